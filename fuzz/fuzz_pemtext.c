/* fuzz_pemtext.c: the tolerant PEM reader (escapes, elisions, placeholders, keys) on text. */
#include "fuzz_scan.h"

static int pem(struct rs_scan *s)
{
	return rs_extract_pem(s, s->buf, s->len, NULL, "pem");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_scan(data, size, 0, pem);
	return 0;
}
