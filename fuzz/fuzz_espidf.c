/* fuzz_espidf.c: the ESP-IDF x509_crt_bundle recogniser and reader (current and legacy layouts). */
#include "fuzz_scan.h"

static int espidf(struct rs_scan *s)
{
	return rs_is_espidf(s->buf, s->len) ? rs_extract_espidf(s) : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_scan(data, size, 1, espidf);
	return 0;
}
