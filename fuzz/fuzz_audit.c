/* fuzz_audit.c: the whole audit on arbitrary bytes: form detection, every extractor, the verdict. */
#include "internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct rs_catalog *cat;
	struct rs_anchorset *set = rs_anchorset_new();
	struct rs_verdict *v;
	struct rs_error err;

	if (!cat && (!(cat = rs_catalog_new()) || rs_catalog_add_builtin(cat, "azure-iot", &err) < 0))
		return 0;
	if (!set)
		return 0;
	rs_anchorset_scan_mem(set, data, size, "fuzz", NULL, &err);
	if ((v = rs_audit(set, cat, rs_catalog_profile(cat, "azure-iot"), 1717200000, &err)) != NULL)
		(void)rs_verdict_reason_count(v);
	rs_verdict_free(v);
	rs_anchorset_free(set);
	return 0;
}
