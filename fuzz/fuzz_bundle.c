/*
 * fuzz_bundle.c: bundles from arbitrary sources. The bytes are a source: when it yields the azure-iot bundle, every
 * format is written and read back, and must give exactly as many anchors as roots (the round trip as a property).
 * The bytes are also a bundle to prove: --check's path (anchors, name-and-key stand-ins, the path builder).
 */
#include "internal.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void roundtrip(const struct rs_bundle *b)
{
	int f;
	size_t i, len;

	for (f = RS_BUNDLE_PEM; f <= RS_BUNDLE_BEARSSL; f++) {
		struct rs_bundle_files *files = rs_bundle_render(b, (enum rs_bundle_format)f, NULL, NULL);
		struct rs_anchorset *back = rs_anchorset_new();
		if (!files || !back)
			abort();
		for (i = 0; i < rs_bundle_files_count(files); i++) {
			const unsigned char *p = rs_bundle_files_data_at(files, i, &len);
			if (rs_anchorset_scan_mem(back, p, len, rs_bundle_files_name_at(files, i), NULL, NULL) < 0)
				abort();
		}
		if (rs_anchorset_count(back) != rs_bundle_count(b))
			abort();
		rs_anchorset_free(back);
		rs_bundle_files_free(files);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct rs_catalog *cat;
	struct rs_bundle_opts o = { size > 0 && (data[0] & 1), size > 0 && (data[0] & 2) };
	struct rs_anchorset *set = rs_anchorset_new();
	const struct rs_profile *p;
	struct rs_bundle_check *chk;
	struct rs_bundle *b;

	if (!cat && (!(cat = rs_catalog_new()) || rs_catalog_add_builtin(cat, "azure-iot", NULL) < 0))
		return 0;
	if (!set)
		return 0;
	p = rs_catalog_profile(cat, "azure-iot");
	rs_anchorset_scan_mem(set, data, size, "fuzz", NULL, NULL);
	if ((b = rs_bundle_select(set, cat, p, 1748736000, &o, NULL)) && !rs_bundle_problem_count(b))
		roundtrip(b);
	rs_bundle_free(b);
	if ((chk = rs_bundle_check(set, cat, p, 1748736000, NULL)) != NULL)
		(void)rs_bundle_check_ok(chk);
	rs_bundle_check_free(chk);
	rs_anchorset_free(set);
	return 0;
}
