/* fuzz_carve.c: carving DER certificates and PEM blocks out of raw bytes. */
#include "fuzz_scan.h"

static int carve(struct rs_scan *s)
{
	return rs_extract_carve(s, s->buf, s->len, NULL, "carved-der");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_scan(data, size, 1, carve);
	return 0;
}
