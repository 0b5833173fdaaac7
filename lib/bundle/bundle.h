/* bundle.h: what the bundle modules share (selection, rendering, checking). */
#ifndef RS_BUNDLE_H
#define RS_BUNDLE_H

#include "internal.h"

/* A growable list of reasons whose message and action strings are owned by the list. */
struct rs_rlist {
	struct rs_reason *v;
	size_t n, cap;
};
struct rs_reason *rs_rlist_add(struct rs_rlist *l, const char *code, enum rs_severity sev, const struct rs_known *k,
			       const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Sets r's action (r may be NULL after a failed add); -1 when out of memory. */
int rs_rlist_action(struct rs_reason *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void rs_rlist_release(struct rs_rlist *l);

struct rs_bundle_root {
	struct rs_cert *cert;
	const struct rs_known *known;
	char *why;
	struct rs_location loc; /* path owned */
};

struct rs_bundle {
	const struct rs_profile *p;
	rs_time at;
	struct rs_bundle_opts opts;
	struct rs_bundle_root *v;
	size_t n;
	struct rs_rlist problems, notes;
};

/* The catalog intermediates of p that carry a certificate, as a list (the untrusted pool of every check). */
int rs_bundle_intermediates(const struct rs_profile *p, struct rs_certlist *out, struct rs_error *err);
/*
 * Verifies intermediate k at `at` against store, with pool as untrusted certificates. Returns 1 when a valid
 * path exists, 0 when not (*res, when not NULL, gets the result to inspect; the caller frees it), -1 on error.
 */
int rs_bundle_verifies(const struct rs_known *k, const struct rs_certlist *pool, const struct rs_certlist *store,
		       rs_time at, struct rs_verify_result **res, struct rs_error *err);
/* "2025-05-12" */
const char *rs_bundle_day(rs_time t, char buf[32]);

#endif
