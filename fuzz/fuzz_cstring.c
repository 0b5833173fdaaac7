/*
 * fuzz_cstring.c: C and C++ string literals (concatenation, escapes, raw strings, JSON inside); the corpus holds literal-shaped sources.
 * The C lexer (lib/extract/csource.c) is the one entry of literals, arrays and BearSSL anchors, so this target runs
 * it whole; its own corpus steers it to one form.
 */
#include "fuzz_scan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_scan(data, size, 0, rs_extract_csource);
	return 0;
}
