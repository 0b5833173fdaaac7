/* fuzz_scan.h: what the anchor extractor fuzz targets share: a scan context over the input. */
#ifndef RS_FUZZ_SCAN_H
#define RS_FUZZ_SCAN_H

#include "extract/extract.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Runs fn over data as one file of a fresh anchor set, then reads every anchor and finding back. */
static inline void fuzz_scan(const uint8_t *data, size_t size, int binary, int (*fn)(struct rs_scan *))
{
	struct rs_anchorset *set = rs_anchorset_new();
	struct rs_error err;
	struct rs_scan s;
	size_t i, j;

	if (!set)
		return;
	memset(&s, 0, sizeof(s));
	s.set = set;
	s.path = "fuzz";
	s.buf = data;
	s.len = size;
	s.binary = binary;
	s.err = &err;
	fn(&s);
	for (i = 0; i < rs_anchorset_count(set); i++) {
		const struct rs_anchor *a = rs_anchorset_at(set, i);
		(void)rs_anchor_subject(a);
		for (j = 0; j < rs_anchor_location_count(a); j++)
			(void)rs_anchor_location_at(a, j)->line;
	}
	for (i = 0; i < rs_anchorset_finding_count(set); i++)
		(void)strlen(rs_anchorset_finding_at(set, i)->message);
	rs_anchorset_free(set);
}

#endif
