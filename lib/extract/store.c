/* store.c: a device's trust store, as audit finds it, turned into the certificates the path builder trusts. */
#include "internal.h"

int rs_anchorset_trusted_certs(const struct rs_anchorset *set, struct rs_certlist *out, size_t *skipped,
			       struct rs_error *err)
{
	size_t i, n = rs_anchorset_count(set);

	if (skipped)
		*skipped = 0;
	for (i = 0; i < n; i++) {
		const struct rs_anchor *a = rs_anchorset_at(set, i);
		const struct rs_cert *c = rs_anchor_cert(a);

		if (rs_anchor_trust(a) != RS_TRUST_ANCHOR)
			continue;
		if (!c) {
			if (skipped)
				(*skipped)++;
			continue;
		}
		if (rs_certlist_add(out, (struct rs_cert *)c, rs_anchor_location_at(a, 0), err) < 0)
			return -1;
	}
	return 0;
}
