/* fuzz_certdata.c: the NSS certdata.txt reader (certificate and trust objects, MULTILINE_OCTAL). */
#include "fuzz_scan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_scan(data, size, 0, rs_extract_certdata);
	return 0;
}
