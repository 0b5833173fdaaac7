/*
 * audit.c: a set of trust anchors judged against a migration profile at a time T.
 *
 * The time logic (docs/audit.md has the table):
 *  - a required or recommended root counts only when it is a trust anchor (not merely present in certdata) and
 *    valid at T;
 *  - before the profile's migration_complete, some endpoints still serve chains to the old roots: a device needs
 *    them too ("keep Baltimore until the switch is done"), and one with only old roots still connects but is not
 *    ready for the switch;
 *  - after migration_complete an old-only device fails now; after the old root's expiry the old root is useless.
 */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct list {
	struct rs_reason *v;
	size_t n, cap;
};

struct rs_verdict {
	enum rs_status status;
	struct list reasons, notes;
	int nomem;
};

enum state { ST_OK, ST_MISSING, ST_EXPIRED, ST_NOT_YET, ST_NOT_TRUSTED };

struct ctx {
	struct rs_verdict *v;
	const struct rs_anchorset *set;
	const struct rs_catalog *cat;
	const struct rs_profile *p;
	rs_time at, complete;
};

static struct rs_reason *push(struct ctx *c, struct list *l, const char *code, enum rs_severity sev)
{
	struct rs_reason *r;

	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 8;
		struct rs_reason *nv = realloc(l->v, cap * sizeof(*nv));
		if (!nv) {
			c->v->nomem = 1;
			return NULL;
		}
		l->v = nv;
		l->cap = cap;
	}
	r = &l->v[l->n++];
	memset(r, 0, sizeof(*r));
	r->code = code;
	r->severity = sev;
	return r;
}

static struct rs_reason *add(struct ctx *c, struct list *l, const char *code, enum rs_severity sev,
			     const struct rs_known *k, const struct rs_anchor *a, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));

static struct rs_reason *add(struct ctx *c, struct list *l, const char *code, enum rs_severity sev,
			     const struct rs_known *k, const struct rs_anchor *a, const char *fmt, ...)
{
	struct rs_reason *r = push(c, l, code, sev);
	va_list ap;

	if (!r)
		return NULL;
	r->known = k;
	r->anchor = a;
	va_start(ap, fmt);
	r->message = rs_vstrdupf(fmt, ap);
	va_end(ap);
	if (!r->message)
		c->v->nomem = 1;
	return r;
}

static void action(struct ctx *c, struct rs_reason *r, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void action(struct ctx *c, struct rs_reason *r, const char *fmt, ...)
{
	va_list ap;

	if (!r)
		return;
	va_start(ap, fmt);
	r->action = rs_vstrdupf(fmt, ap);
	va_end(ap);
	if (!r->action)
		c->v->nomem = 1;
}

static const char *day(rs_time t, char buf[32])
{
	rs_time_format(t, buf, 32);
	buf[10] = '\0';
	return buf;
}

/* ---- matching anchors to the catalog ---- */

static int matches(const struct rs_anchor *a, const struct rs_known *k)
{
	const struct rs_cert *c = rs_anchor_cert(a);

	if (c && *rs_known_sha256(k) && !strcmp(rs_cert_sha256(c), rs_known_sha256(k)))
		return 1;
	if (c && *rs_known_sha1(k) && !strcmp(rs_cert_sha1(c), rs_known_sha1(k)))
		return 1;
	/* the same name and key: a re-issued root or a name-and-key anchor works as the same trust anchor */
	return *rs_known_spki_sha256(k) && !strcmp(rs_anchor_spki_sha256(a), rs_known_spki_sha256(k)) &&
	       (!*rs_known_subject(k) || !strcmp(rs_anchor_subject(a), rs_known_subject(k)));
}

static enum state anchor_state(const struct rs_anchor *a, const struct rs_known *k, rs_time at)
{
	const struct rs_cert *c = rs_anchor_cert(a);

	if (rs_anchor_trust(a) != RS_TRUST_ANCHOR)
		return ST_NOT_TRUSTED;
	if (c && at < rs_cert_not_before(c))
		return ST_NOT_YET;
	if (c ? at > rs_cert_not_after(c) : (rs_known_not_after(k) && at > rs_known_not_after(k)))
		return ST_EXPIRED;
	return ST_OK;
}

/* The best anchor for k (a usable one first) and its state. */
static enum state root_state(const struct ctx *c, const struct rs_known *k, const struct rs_anchor **found)
{
	enum state best = ST_MISSING, st;
	size_t i;

	*found = NULL;
	for (i = 0; i < rs_anchorset_count(c->set); i++) {
		const struct rs_anchor *a = rs_anchorset_at(c->set, i);
		if (!matches(a, k))
			continue;
		st = anchor_state(a, k, c->at);
		if (!*found || st < best) {
			best = st;
			*found = a;
		}
	}
	return best;
}

static rs_time known_expiry(const struct rs_known *k, const struct rs_anchor *a)
{
	const struct rs_cert *c = a ? rs_anchor_cert(a) : NULL;

	return c ? rs_cert_not_after(c) : rs_known_not_after(k);
}

/* ---- the rules ---- */

static void bad_root(struct ctx *c, const struct rs_known *k, const struct rs_anchor *a, enum state st,
		     enum rs_severity sev, const char *rule)
{
	char d[32];
	struct rs_reason *r = NULL;

	if (st == ST_MISSING) {
		r = add(c, &c->v->reasons, sev == RS_SEV_ERROR ? "required-missing" : "recommended-missing", sev, k, NULL,
			"%s (%s root) is missing", rs_known_name(k), rule);
		action(c, r, "add %s (SHA-1 %s)", rs_known_name(k), rs_known_sha1(k));
	} else if (st == ST_EXPIRED) {
		r = add(c, &c->v->reasons, "root-expired", sev, k, a, "%s (%s root) expired on %s", rs_known_name(k), rule,
			day(known_expiry(k, a), d));
	} else if (st == ST_NOT_YET) {
		r = add(c, &c->v->reasons, "root-not-yet-valid", sev, k, a, "%s (%s root) is not valid yet", rs_known_name(k),
			rule);
	} else if (st == ST_NOT_TRUSTED) {
		r = add(c, &c->v->reasons, "root-distrusted", sev, k, a,
			"%s (%s root) is present but not trusted for server authentication (%s)", rs_known_name(k), rule,
			rs_trust_name(rs_anchor_trust(a)));
		action(c, r, "mark %s as trusted for TLS server authentication, or add it to the device's trust store",
		       rs_known_name(k));
	}
}

static int in_rule(const struct rs_profile *p, const char *rule, const struct rs_known *k)
{
	size_t i;

	for (i = 0; i < rs_profile_rule_count(p, rule); i++)
		if (rs_profile_rule_at(p, rule, i) == k)
			return 1;
	return 0;
}

static int check_rule(struct ctx *c, const char *rule, enum rs_severity sev)
{
	const struct rs_anchor *a;
	size_t i;
	int ok = 1;

	for (i = 0; i < rs_profile_rule_count(c->p, rule); i++) {
		const struct rs_known *k = rs_profile_rule_at(c->p, rule, i);
		enum state st;
		if (sev != RS_SEV_ERROR && in_rule(c->p, "required", k))
			continue;
		if ((st = root_state(c, k, &a)) != ST_OK) {
			bad_root(c, k, a, st, sev, rule);
			ok = 0;
		}
	}
	return ok;
}

static void old_roots(struct ctx *c, int required_ok)
{
	const struct rs_anchor *a;
	char d1[32];
	size_t i;

	for (i = 0; i < rs_profile_rule_count(c->p, "old"); i++) {
		const struct rs_known *k = rs_profile_rule_at(c->p, "old", i);
		enum state st = root_state(c, k, &a);
		int before = c->complete && c->at < c->complete;
		struct rs_reason *r = NULL;

		if (st == ST_OK && !required_ok && before)
			r = add(c, &c->v->reasons, "old-root-only", RS_SEV_ERROR, k, a,
				"only the old root %s: it connects to endpoints not yet moved and fails when they switch "
				"(all moved by %s)", rs_known_name(k), day(c->complete, d1));
		else if (st == ST_OK && !required_ok)
			r = add(c, &c->v->reasons, "old-root-only", RS_SEV_ERROR, k, a,
				"only the old root %s: the service finished its move on %s, so connections fail now",
				rs_known_name(k), day(c->complete, d1));
		else if (st == ST_EXPIRED && !required_ok)
			r = add(c, &c->v->reasons, "old-root-only", RS_SEV_ERROR, k, a,
				"only the old root %s, which expired on %s: it is useless", rs_known_name(k),
				day(known_expiry(k, a), d1));
		else if (st == ST_EXPIRED)
			r = add(c, &c->v->notes, "old-root-expired", RS_SEV_INFO, k, a,
				"%s expired on %s: it no longer helps and can be removed", rs_known_name(k),
				day(known_expiry(k, a), d1));
		else if (st != ST_OK && before && required_ok) {
			r = add(c, &c->v->reasons, "old-root-needed", RS_SEV_WARNING, k, a,
				"until %s some endpoints still serve chains to the old root %s, which is missing or unusable",
				day(c->complete, d1), rs_known_name(k));
			action(c, r, "keep %s until the switch is complete", rs_known_name(k));
		}
		if (r && !r->action && !strcmp(r->code, "old-root-only"))
			action(c, r, "add the required roots; do not rely on %s", rs_known_name(k));
	}
}

static void pins(struct ctx *c)
{
	size_t i;

	for (i = 0; i < rs_anchorset_count(c->set); i++) {
		const struct rs_anchor *a = rs_anchorset_at(c->set, i);
		const struct rs_known *k = rs_anchor_identify(c->cat, a), *actual = NULL;
		const struct rs_cert *cert = rs_anchor_cert(a);
		const char *documented = NULL, *note;
		struct rs_reason *r;

		if (rs_anchor_trust(a) != RS_TRUST_ANCHOR)
			continue;
		if (k && rs_known_kind(k) != RS_KIND_ROOT) {
			r = add(c, &c->v->reasons, rs_known_kind(k) == RS_KIND_LEAF ? "pinned-leaf" : "pinned-intermediate",
				RS_SEV_WARNING, k, a, "%s is %s certificate carried as a trust anchor: a pin that breaks when it rotates",
				rs_known_name(k), rs_known_kind(k) == RS_KIND_LEAF ? "a leaf" : "an intermediate");
			action(c, r, "remove %s and trust the roots instead; never pin intermediates or leaves", rs_known_name(k));
		} else if (!k && cert && !rs_cert_self_issued(cert))
			add(c, &c->v->notes, "non-root-anchor", RS_SEV_INFO, NULL, a,
			    "'%s' is %s, not a root, carried as a trust anchor", rs_anchor_subject(a),
			    rs_cert_is_ca(cert) ? "an intermediate CA" : "a leaf");
		if (cert && (note = rs_catalog_alias(c->cat, rs_cert_sha1(cert), &documented, &actual)) != NULL)
			add(c, &c->v->reasons, "documented-thumbprint", RS_SEV_WARNING, actual, a,
			    "thumbprint %s is documented as '%s': %s", rs_cert_sha1(cert), documented, note);
	}
}

/* ---- look-alike names: "DigiCert Assured ID Root G2" is not "DigiCert Global Root G2" ---- */

static size_t words(const char *s, char w[][32], size_t max)
{
	size_t n = 0, l = 0;

	for (;; s++) {
		if (*s && *s != ' ' && *s != ',' && *s != '=') {
			if (l < 31)
				w[n][l++] = *s;
			continue;
		}
		if (l && n < max) {
			w[n][l] = '\0';
			n++;
		}
		l = 0;
		if (!*s || n == max)
			return n;
	}
}

static int look_alike(const char *name, const char *cn)
{
	char a[12][32], b[12][32];
	size_t na = words(name, a, 12), nb = words(cn, b, 12), i, j, common = 0;

	if (!na || !nb || !strcasecmp(name, cn))
		return 0;
	for (i = 0; i < na; i++)
		for (j = 0; j < nb; j++)
			if (!strcasecmp(a[i], b[j])) {
				common++;
				break;
			}
	return common * 4 >= na * 3 && common >= 2;
}

/* The first CN of an RFC 2253 subject string (names from rs_anchor_subject start with the most specific). */
static const char *subject_cn(const char *subject, char *buf, size_t size)
{
	const char *p = strstr(subject, "CN=");
	size_t n = 0;

	if (!p)
		return subject;
	for (p += 3; *p && *p != ',' && n + 1 < size; p++)
		buf[n++] = *p;
	buf[n] = '\0';
	return buf;
}

static void look_alikes(struct ctx *c, const struct rs_known *k)
{
	size_t i;

	for (i = 0; i < rs_anchorset_count(c->set); i++) {
		const struct rs_anchor *a = rs_anchorset_at(c->set, i);
		const struct rs_cert *cert = rs_anchor_cert(a);
		char cnbuf[256];
		const char *cn = cert ? rs_cert_common_name(cert) : subject_cn(rs_anchor_subject(a), cnbuf, sizeof(cnbuf));
		if (rs_anchor_identify(c->cat, a) || !look_alike(rs_known_name(k), cn))
			continue;
		add(c, &c->v->reasons, "look-alike", RS_SEV_INFO, k, a, "'%s' is not '%s': a different root with a similar name",
		    cn, rs_known_name(k));
	}
}

static void missing_look_alikes(struct ctx *c)
{
	size_t i, n = c->v->reasons.n;

	for (i = 0; i < n; i++) {
		const struct rs_reason *r = &c->v->reasons.v[i];
		if (!strcmp(r->code, "required-missing") || !strcmp(r->code, "recommended-missing"))
			look_alikes(c, r->known);
	}
}

/* ---- notes ---- */

static void algorithm_needs(const struct rs_known *k, int *sha384, int *rsa4096)
{
	const struct rs_cert *cert = rs_known_cert(k);

	if (!cert)
		return;
	*sha384 |= strstr(rs_cert_sig_alg(cert), "384") != NULL;
	*rsa4096 |= !strcmp(rs_cert_key_type(cert), "RSA") && rs_cert_key_bits(cert) >= 4096;
}

static int issued_by_rule_root(const struct rs_profile *p, const struct rs_known *k)
{
	size_t i;

	for (i = 0; i < rs_known_issuer_count(k); i++) {
		const struct rs_known *iss = rs_profile_known(p, rs_known_issuer_at(k, i));
		if (iss && (in_rule(p, "required", iss) || in_rule(p, "recommended", iss)))
			return 1;
	}
	return 0;
}

static void notes_algorithms(struct ctx *c)
{
	int sha384 = 0, rsa4096 = 0;
	size_t i;

	for (i = 0; i < rs_profile_known_count(c->p); i++) {
		const struct rs_known *k = rs_profile_known_at(c->p, i);
		if (in_rule(c->p, "required", k) || in_rule(c->p, "recommended", k) || issued_by_rule_root(c->p, k))
			algorithm_needs(k, &sha384, &rsa4096);
	}
	if (sha384 || rsa4096)
		add(c, &c->v->notes, "algorithms", RS_SEV_INFO, NULL, NULL,
		    "the new chains need %s%s%s: enable them in the device's TLS stack (mbedTLS: MBEDTLS_SHA384_C, or "
		    "MBEDTLS_SHA512_C in 2.x; an RSA key size limit of at least 4096)",
		    sha384 ? "SHA-384" : "", sha384 && rsa4096 ? " and " : "", rsa4096 ? "RSA-4096 signatures" : "");
}

static void notes_sha1(struct ctx *c)
{
	size_t i;

	for (i = 0; i < rs_anchorset_count(c->set); i++) {
		const struct rs_anchor *a = rs_anchorset_at(c->set, i);
		const struct rs_known *k = rs_anchor_identify(c->cat, a);
		const struct rs_cert *cert = rs_anchor_cert(a);
		if (k && cert && strstr(rs_cert_sig_alg(cert), "sha1") && in_rule(c->p, "old", k))
			add(c, &c->v->notes, "sha1-root", RS_SEV_INFO, k, a,
			    "%s is signed with SHA-1: a TLS stack built without SHA-1 cannot parse it and may reject the whole "
			    "bundle (mbedTLS: MBEDTLS_SHA1_C)", rs_known_name(k));
	}
}

static void notes_findings(struct ctx *c)
{
	size_t i, untrusted = 0;

	for (i = 0; i < rs_anchorset_finding_count(c->set); i++) {
		const struct rs_finding *f = rs_anchorset_finding_at(c->set, i);
		struct rs_reason *r = push(c, &c->v->notes, f->kind, RS_SEV_INFO);
		if (!r)
			return;
		r->finding = f;
		if (!(r->message = rs_strdup(f->message)))
			c->v->nomem = 1;
	}
	for (i = 0; i < rs_anchorset_count(c->set); i++)
		untrusted += rs_anchor_trust(rs_anchorset_at(c->set, i)) != RS_TRUST_ANCHOR;
	if (untrusted)
		add(c, &c->v->notes, "present-not-trusted", RS_SEV_INFO, NULL, NULL,
		    "%zu certificate%s present but not trusted for TLS server authentication (NSS trust bits): not counted as "
		    "anchors", untrusted, untrusted == 1 ? " is" : "s are");
}

static void decide(struct rs_verdict *v)
{
	size_t i, errors = 0, warnings = 0;

	for (i = 0; i < v->reasons.n; i++) {
		errors += v->reasons.v[i].severity == RS_SEV_ERROR;
		warnings += v->reasons.v[i].severity == RS_SEV_WARNING;
	}
	v->status = rs_status_judge(errors, warnings);
}

static size_t usable_anchors(const struct rs_anchorset *set)
{
	size_t i, n = 0;

	for (i = 0; i < rs_anchorset_count(set); i++)
		n += rs_anchor_trust(rs_anchorset_at(set, i)) == RS_TRUST_ANCHOR;
	return n;
}

struct rs_verdict *rs_audit(const struct rs_anchorset *set, const struct rs_catalog *cat, const struct rs_profile *p,
			    rs_time at, struct rs_error *err)
{
	struct ctx c = { calloc(1, sizeof(struct rs_verdict)), set, cat, p, at, p ? rs_profile_migration_complete(p) : 0 };
	int required_ok;

	if (!c.v) {
		rs_fail(err, RS_ERR_NOMEM, "out of memory");
		return NULL;
	}
	if (!set || !cat || !p) {
		rs_verdict_free(c.v);
		rs_fail(err, RS_ERR_USAGE, "rs_audit needs anchors, a catalog and a profile");
		return NULL;
	}
	if (!usable_anchors(set))
		add(&c, &c.v->reasons, "no-anchors", RS_SEV_ERROR, NULL, NULL, "no trust anchor found");
	required_ok = check_rule(&c, "required", RS_SEV_ERROR);
	check_rule(&c, "recommended", RS_SEV_WARNING);
	old_roots(&c, required_ok);
	pins(&c);
	missing_look_alikes(&c);
	notes_algorithms(&c);
	notes_sha1(&c);
	notes_findings(&c);
	decide(c.v);
	if (c.v->nomem) {
		rs_verdict_free(c.v);
		rs_fail(err, RS_ERR_NOMEM, "out of memory");
		return NULL;
	}
	return c.v;
}

/* ---- --expiring-within ---- */

static void expiring_anchors(struct ctx *c, rs_time within)
{
	char d[32];
	size_t i;

	for (i = 0; i < rs_anchorset_count(c->set); i++) {
		const struct rs_anchor *a = rs_anchorset_at(c->set, i);
		const struct rs_known *k = rs_anchor_identify(c->cat, a);
		rs_time end = known_expiry(k, a);
		struct rs_reason *r;
		if (rs_anchor_trust(a) != RS_TRUST_ANCHOR || !end || end < c->at || end - c->at > within)
			continue;
		r = add(c, &c->v->notes, "anchor-expiring", RS_SEV_WARNING, k, a, "%s expires on %s, within the %lld %s "
			"asked for", k ? rs_known_name(k) : rs_anchor_subject(a), day(end, d),
			(long long)(within % 86400 ? within / 3600 : within / 86400), within % 86400 ? "hours" : "days");
		action(c, r, "make sure the device also trusts its successor before %s", d);
	}
}

static void expiring_intermediates(struct ctx *c, rs_time within)
{
	char d[32];
	size_t i;

	for (i = 0; i < rs_profile_known_count(c->p); i++) {
		const struct rs_known *k = rs_profile_known_at(c->p, i);
		const struct rs_cert *cert = rs_known_cert(k);
		rs_time end = cert ? rs_cert_not_after(cert) : 0;
		if (rs_known_kind(k) != RS_KIND_INTERMEDIATE || !cert || !rs_cert_valid_at(cert, c->at) ||
		    end - c->at > within)
			continue;
		add(c, &c->v->notes, "intermediate-expiring", RS_SEV_WARNING, k, NULL,
		    "%s (SHA-1 %s), an intermediate the endpoints serve, expires on %s: they will serve a successor, so "
		    "nothing may pin it", rs_known_name(k), rs_known_sha1(k), day(end, d));
	}
}

int rs_verdict_note_expiring(struct rs_verdict *v, const struct rs_anchorset *set, const struct rs_catalog *cat,
			     const struct rs_profile *p, rs_time at, rs_time within, struct rs_error *err)
{
	struct ctx c = { v, set, cat, p, at, p ? rs_profile_migration_complete(p) : 0 };

	if (!v || !set || !cat || !p || within < 0)
		return rs_fail(err, RS_ERR_USAGE, "rs_verdict_note_expiring needs a verdict, anchors, a catalog and a profile");
	expiring_anchors(&c, within);
	expiring_intermediates(&c, within);
	return v->nomem ? rs_fail(err, RS_ERR_NOMEM, "out of memory") : 0;
}

static void list_release(struct list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free((char *)l->v[i].message);
		free((char *)l->v[i].action);
	}
	free(l->v);
}

void rs_verdict_free(struct rs_verdict *v)
{
	if (!v)
		return;
	list_release(&v->reasons);
	list_release(&v->notes);
	free(v);
}

enum rs_status rs_verdict_status(const struct rs_verdict *v) { return v->status; }
size_t rs_verdict_reason_count(const struct rs_verdict *v) { return v->reasons.n; }
size_t rs_verdict_note_count(const struct rs_verdict *v) { return v->notes.n; }

const struct rs_reason *rs_verdict_reason_at(const struct rs_verdict *v, size_t i)
{
	return i < v->reasons.n ? &v->reasons.v[i] : NULL;
}

const struct rs_reason *rs_verdict_note_at(const struct rs_verdict *v, size_t i)
{
	return i < v->notes.n ? &v->notes.v[i] : NULL;
}

const char *rs_status_name(enum rs_status s)
{
	return s == RS_STATUS_READY ? "ready" : s == RS_STATUS_PARTIAL ? "partial" : "not-ready";
}

enum rs_status rs_status_judge(size_t errors, size_t warnings)
{
	return errors ? RS_STATUS_NOT_READY : warnings ? RS_STATUS_PARTIAL : RS_STATUS_READY;
}

const char *rs_status_word(enum rs_status s)
{
	return s == RS_STATUS_READY ? "READY" : s == RS_STATUS_PARTIAL ? "PARTIAL" : "NOT READY";
}

const char *rs_severity_name(enum rs_severity s)
{
	return s == RS_SEV_ERROR ? "error" : s == RS_SEV_WARNING ? "warning" : "info";
}

void rs_verdict_info(const struct rs_verdict *v, struct rs_verdict_info *info)
{
	*info = (struct rs_verdict_info){
		.status = v->status, .reasons = v->reasons.v, .reason_count = v->reasons.n, .notes = v->notes.v,
		.note_count = v->notes.n,
	};
}
