/* fuzz_profile.c: the profile parser on arbitrary JSON. */
#include "internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rs_catalog *cat = rs_catalog_new();
	struct rs_error err;

	if (cat)
		rs_catalog_add_json(cat, (const char *)data, size, "fuzz", &err);
	rs_catalog_free(cat);
	return 0;
}
