/*
 * check.c: the proof of a bundle. The bundle is read back with the anchor extractors; every catalog intermediate
 * valid at T must then verify to one of its anchors with the path builder.
 */
#include "bundle.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct rs_bundle_check {
	struct rs_bundle_check_item *v;
	size_t n;
	size_t anchors, checked, failed, errors, warnings;
	char **notes;
	size_t nnotes;
};

/* The date part of an RFC 3339 time: messages name days. (check.c is the lower file: select.c calls it.) */
const char *rs_bundle_day(rs_time t, char buf[32])
{
	rs_time_format(t, buf, 32);
	buf[10] = '\0';
	return buf;
}

int rs_bundle_intermediates(const struct rs_profile *p, struct rs_certlist *out, struct rs_error *err)
{
	size_t i;

	for (i = 0; i < rs_profile_known_count(p); i++) {
		const struct rs_known *k = rs_profile_known_at(p, i);
		const struct rs_cert *c = rs_known_cert(k);
		struct rs_location loc = { rs_known_id(k), 0, 0, "catalog" };
		if (rs_known_kind(k) == RS_KIND_INTERMEDIATE && c &&
		    rs_certlist_add(out, (struct rs_cert *)c, &loc, err) < 0) /* adds a reference only */
			return -1;
	}
	return 0;
}

int rs_bundle_verifies(const struct rs_known *k, const struct rs_certlist *pool, const struct rs_certlist *store,
		       rs_time at, struct rs_verify_result **res, struct rs_error *err)
{
	struct rs_certlist *chain = rs_certlist_new();
	struct rs_verify_opts *o = rs_verify_opts_new();
	struct rs_verify_result *r = NULL;
	int rv = -1;

	if (res)
		*res = NULL;
	if (!chain || !o) {
		rs_fail(err, RS_ERR_NOMEM, "out of memory");
		goto out;
	}
	rs_verify_opts_set_time(o, at);
	if (rs_certlist_add(chain, (struct rs_cert *)rs_known_cert(k), NULL, err) < 0 ||
	    !(r = rs_verify(chain, pool, store, o, err)))
		goto out;
	rv = rs_verify_result_ok(r) ? 1 : 0;
	if (res) {
		*res = r;
		r = NULL;
	}
out:
	rs_verify_result_free(r);
	rs_verify_opts_free(o);
	rs_certlist_free(chain);
	return rv;
}

static int note(struct rs_bundle_check *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int note(struct rs_bundle_check *c, const char *fmt, ...)
{
	char buf[1024], **nv = realloc(c->notes, (c->nnotes + 1) * sizeof(*nv));
	va_list ap;

	if (!nv)
		return -1;
	c->notes = nv;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (!(c->notes[c->nnotes] = rs_strdup(buf)))
		return -1;
	c->nnotes++;
	return 0;
}

/* The certificate a name-and-key anchor stands for: a catalog certificate with the same subject and key. */
static const struct rs_cert *stand_in(const struct rs_profile *p, const struct rs_anchor *a)
{
	size_t i;

	for (i = 0; i < rs_profile_known_count(p); i++) {
		const struct rs_known *k = rs_profile_known_at(p, i);
		const struct rs_cert *c = rs_known_cert(k);
		if (c && !strcmp(rs_cert_spki_sha256(c), rs_anchor_spki_sha256(a)) &&
		    !strcmp(rs_cert_subject(c), rs_anchor_subject(a)))
			return c;
	}
	return NULL;
}

static int build_store(struct rs_bundle_check *c, const struct rs_anchorset *set, const struct rs_profile *p,
		       struct rs_certlist *store, struct rs_error *err)
{
	size_t i;

	for (i = 0; i < rs_anchorset_count(set); i++) {
		const struct rs_anchor *a = rs_anchorset_at(set, i);
		const struct rs_cert *cert = rs_anchor_cert(a);
		if (rs_anchor_trust(a) != RS_TRUST_ANCHOR) {
			if (note(c, "%s is present but not trusted (%s): not used", rs_anchor_subject(a),
				 rs_trust_name(rs_anchor_trust(a))) < 0)
				return rs_fail(err, RS_ERR_NOMEM, "out of memory");
			continue;
		}
		if (!cert && !(cert = stand_in(p, a))) {
			if (note(c, "name-and-key anchor %s (SPKI SHA-256 %s) is not in the profile: the path builder cannot "
				 "use it", rs_anchor_subject(a), rs_anchor_spki_sha256(a)) < 0)
				return rs_fail(err, RS_ERR_NOMEM, "out of memory");
			continue;
		}
		if (rs_certlist_add(store, (struct rs_cert *)cert, NULL, err) < 0)
			return -1;
		c->anchors++;
	}
	return 0;
}

static int in_rule(const struct rs_profile *p, const char *rule, const struct rs_known *k)
{
	size_t i;

	for (i = 0; i < rs_profile_rule_count(p, rule); i++)
		if (rs_profile_rule_at(p, rule, i) == k)
			return 1;
	return 0;
}

/* How much a failed intermediate matters, by the rule of the root that signs it: the same weights audit gives a
 * missing root (required: error; recommended: warning; old: warning until the migration is complete). */
static enum rs_severity failure_severity(const struct rs_profile *p, const struct rs_known *k, rs_time at)
{
	enum rs_severity sev = RS_SEV_INFO;
	rs_time complete = rs_profile_migration_complete(p);
	size_t i;

	for (i = 0; i < rs_known_issuer_count(k); i++) {
		const struct rs_known *iss = rs_profile_known(p, rs_known_issuer_at(k, i));
		if (!iss)
			continue;
		if (in_rule(p, "required", iss))
			return RS_SEV_ERROR;
		if (in_rule(p, "recommended", iss) || (in_rule(p, "old", iss) && (!complete || at < complete)))
			sev = RS_SEV_WARNING;
	}
	return sev;
}

static int check_one(struct rs_bundle_check *c, const struct rs_known *k, const struct rs_certlist *pool,
		     const struct rs_certlist *store, const struct rs_catalog *cat, const struct rs_profile *p, rs_time at,
		     struct rs_error *err)
{
	struct rs_bundle_check_item *it = &c->v[c->n++];
	const struct rs_cert *cert = rs_known_cert(k);
	struct rs_verify_result *r = NULL;
	char d[32], buf[600];
	int ok;

	it->intermediate = k;
	it->reason = RS_VERIFY_OK;
	it->severity = RS_SEV_INFO;
	if (!cert) {
		it->status = "no-certificate";
		snprintf(buf, sizeof(buf), "the profile knows it only by thumbprint");
	} else if (at < rs_cert_not_before(cert)) {
		it->status = "not-yet-valid";
		snprintf(buf, sizeof(buf), "not valid until %s", rs_bundle_day(rs_cert_not_before(cert), d));
	} else if (at > rs_cert_not_after(cert)) {
		it->status = "expired";
		snprintf(buf, sizeof(buf), "expired on %s: no endpoint serves it any more",
			 rs_bundle_day(rs_cert_not_after(cert), d));
	} else {
		if ((ok = rs_bundle_verifies(k, pool, store, at, &r, err)) < 0)
			return -1;
		c->checked++;
		if (ok) {
			const struct rs_certlist *path = rs_verify_result_path_at(r, 0);
			const struct rs_cert *top = rs_certlist_at(path, rs_certlist_count(path) - 1);
			it->status = "ok";
			it->root = rs_catalog_identify(cat, top);
			snprintf(buf, sizeof(buf), "verifies to %s", it->root ? rs_known_name(it->root) : rs_cert_subject(top));
		} else {
			c->failed++;
			it->status = "failed";
			it->severity = failure_severity(p, k, at);
			c->errors += it->severity == RS_SEV_ERROR;
			c->warnings += it->severity == RS_SEV_WARNING;
			it->reason = rs_verify_result_reason(r);
			snprintf(buf, sizeof(buf), "%s: %s", rs_verify_reason_code(it->reason), rs_verify_result_message(r));
		}
		rs_verify_result_free(r);
	}
	if (!(it->message = rs_strdup(buf)))
		return rs_fail(err, RS_ERR_NOMEM, "out of memory");
	return 0;
}

struct rs_bundle_check *rs_bundle_check(const struct rs_anchorset *set, const struct rs_catalog *cat,
					const struct rs_profile *p, rs_time at, struct rs_error *err)
{
	struct rs_bundle_check *c = calloc(1, sizeof(*c));
	struct rs_certlist *pool = rs_certlist_new(), *store = rs_certlist_new();
	size_t i;
	int ok = 0;

	if (!c || !pool || !store || !(c->v = calloc(rs_profile_known_count(p) + 1, sizeof(*c->v)))) {
		rs_fail(err, RS_ERR_NOMEM, "out of memory");
		goto out;
	}
	if (build_store(c, set, p, store, err) < 0 || rs_bundle_intermediates(p, pool, err) < 0)
		goto out;
	for (i = 0; i < rs_profile_known_count(p); i++) {
		const struct rs_known *k = rs_profile_known_at(p, i);
		if (rs_known_kind(k) == RS_KIND_INTERMEDIATE && check_one(c, k, pool, store, cat, p, at, err) < 0)
			goto out;
	}
	ok = 1;
out:
	rs_certlist_free(pool);
	rs_certlist_free(store);
	if (!ok) {
		rs_bundle_check_free(c);
		return NULL;
	}
	return c;
}

void rs_bundle_check_free(struct rs_bundle_check *c)
{
	size_t i;

	if (!c)
		return;
	for (i = 0; i < c->n; i++)
		free((char *)c->v[i].message);
	for (i = 0; i < c->nnotes; i++)
		free(c->notes[i]);
	free(c->notes);
	free(c->v);
	free(c);
}

int rs_bundle_check_ok(const struct rs_bundle_check *c) { return c->checked > 0 && c->failed == 0; }
enum rs_status rs_bundle_check_status(const struct rs_bundle_check *c)
{
	return c->checked ? rs_status_judge(c->errors, c->warnings) : RS_STATUS_NOT_READY;
}
size_t rs_bundle_check_count(const struct rs_bundle_check *c) { return c ? c->n : 0; }
const struct rs_bundle_check_item *rs_bundle_check_at(const struct rs_bundle_check *c, size_t i)
{
	return i < c->n ? &c->v[i] : NULL;
}
size_t rs_bundle_check_anchor_count(const struct rs_bundle_check *c) { return c ? c->anchors : 0; }
size_t rs_bundle_check_note_count(const struct rs_bundle_check *c) { return c ? c->nnotes : 0; }
const char *rs_bundle_check_note_at(const struct rs_bundle_check *c, size_t i)
{
	return i < c->nnotes ? c->notes[i] : NULL;
}

void rs_bundle_check_info(const struct rs_bundle_check *c, struct rs_bundle_check_info *info)
{
	*info = (struct rs_bundle_check_info){
		.ok = rs_bundle_check_ok(c), .status = rs_bundle_check_status(c), .items = c->v, .item_count = c->n,
		.anchor_count = c->anchors, .notes = (const char *const *)c->notes, .note_count = c->nnotes,
	};
}
