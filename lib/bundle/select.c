/*
 * select.c: which roots a bundle holds. Roots are looked up in the source by the SHA-256 the profile gives, never
 * by name; a root that is missing, not valid at T, not trusted or present only as a name and key is a problem.
 *
 * Default: the profile's required and recommended roots (and its old ones with keep_old). Minimal: the required
 * roots (and the old ones with keep_old), plus the smallest set of the other candidates (recommended, old) that
 * lets every catalog intermediate valid at T verify; ties go to the fewer DER bytes.
 */
#include "bundle.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CANDIDATES 16

enum state { ST_OK, ST_NOT_YET, ST_EXPIRED, ST_NOT_TRUSTED, ST_NAME_KEY_ONLY, ST_OTHER_CERT, ST_MISSING, ST_NO_SHA256 };

struct cand {
	const struct rs_known *k;
	const char *rule;            /* "required", "recommended" or "old" */
	enum state st;
	const struct rs_anchor *a;   /* the anchor found (the best one), or NULL */
	int forced;                  /* must be in the bundle */
	int chosen;
};

struct sel {
	struct rs_bundle *b;
	const struct rs_anchorset *src;
	const struct rs_catalog *cat;
	struct cand c[MAX_CANDIDATES];
	size_t nc;
	struct rs_error *err;
};

/* ---- reasons ---- */

struct rs_reason *rs_rlist_add(struct rs_rlist *l, const char *code, enum rs_severity sev, const struct rs_known *k,
			       const char *fmt, ...)
{
	struct rs_reason *r;
	va_list ap;
	char *msg;

	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 8;
		struct rs_reason *nv = realloc(l->v, cap * sizeof(*nv));
		if (!nv)
			return NULL;
		l->v = nv;
		l->cap = cap;
	}
	va_start(ap, fmt);
	msg = rs_vstrdupf(fmt, ap);
	va_end(ap);
	if (!msg)
		return NULL;
	r = &l->v[l->n++];
	memset(r, 0, sizeof(*r));
	r->code = code;
	r->severity = sev;
	r->known = k;
	r->message = msg;
	return r;
}

int rs_rlist_action(struct rs_reason *r, const char *fmt, ...)
{
	va_list ap;

	if (!r)
		return -1;
	va_start(ap, fmt);
	r->action = rs_vstrdupf(fmt, ap);
	va_end(ap);
	return r->action ? 0 : -1;
}

void rs_rlist_release(struct rs_rlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free((char *)l->v[i].message);
		free((char *)l->v[i].action);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* ---- finding a root in the source ---- */

static enum state anchor_state(const struct rs_anchor *a, rs_time at)
{
	const struct rs_cert *c = rs_anchor_cert(a);

	if (rs_anchor_trust(a) != RS_TRUST_ANCHOR)
		return ST_NOT_TRUSTED;
	if (at < rs_cert_not_before(c))
		return ST_NOT_YET;
	if (at > rs_cert_not_after(c))
		return ST_EXPIRED;
	return ST_OK;
}

static int same_name_key(const struct rs_anchor *a, const struct rs_known *k)
{
	return *rs_known_spki_sha256(k) && !strcmp(rs_anchor_spki_sha256(a), rs_known_spki_sha256(k)) &&
	       (!*rs_known_subject(k) || !strcmp(rs_anchor_subject(a), rs_known_subject(k)));
}

/* The state of k in the source: by SHA-256 only; a same-name-and-key anchor only explains why it is missing. */
static enum state find_root(const struct rs_anchorset *src, const struct rs_known *k, rs_time at,
			    const struct rs_anchor **found)
{
	enum state best = ST_MISSING, st;
	size_t i;

	*found = NULL;
	if (!*rs_known_sha256(k))
		return ST_NO_SHA256;
	for (i = 0; i < rs_anchorset_count(src); i++) {
		const struct rs_anchor *a = rs_anchorset_at(src, i);
		const struct rs_cert *c = rs_anchor_cert(a);
		if (c && !strcmp(rs_cert_sha256(c), rs_known_sha256(k)))
			st = anchor_state(a, at);
		else if (same_name_key(a, k))
			st = c ? ST_OTHER_CERT : ST_NAME_KEY_ONLY;
		else
			continue;
		if (!*found || st < best) {
			best = st;
			*found = a;
		}
	}
	return best;
}

static const char *where(const struct rs_anchor *a, char *buf, size_t size)
{
	const struct rs_location *l = rs_anchor_location_at(a, 0);

	if (!l)
		snprintf(buf, size, "the source");
	else if (l->line > 0)
		snprintf(buf, size, "%s line %ld", l->path, l->line);
	else
		snprintf(buf, size, "%s byte %lld", l->path, l->offset);
	return buf;
}

/* Adds the problem that makes candidate c unusable; 0, or -1 when out of memory. */
static int problem(struct sel *s, const struct cand *c)
{
	const struct rs_known *k = c->k;
	const struct rs_cert *ac = c->a ? rs_anchor_cert(c->a) : NULL;
	struct rs_rlist *l = &s->b->problems;
	struct rs_reason *r = NULL;
	char d[32], w[600];
	int rv = 0;

	switch (c->st) {
	case ST_OK:
		return 0;
	case ST_MISSING:
		r = rs_rlist_add(l, "root-missing", RS_SEV_ERROR, k, "%s (%s root, SHA-256 %s) is not in the source",
				 rs_known_name(k), c->rule, rs_known_sha256(k));
		rv = rs_rlist_action(r, "take the roots from a source that has it, such as an up-to-date ca-certificates "
				     "or certifi");
		break;
	case ST_OTHER_CERT:
		r = rs_rlist_add(l, "root-missing", RS_SEV_ERROR, k,
				 "%s (%s root, SHA-256 %s) is not in the source; %s has a certificate with the same name and key "
				 "(SHA-256 %s), but roots are selected by the SHA-256 the profile gives",
				 rs_known_name(k), c->rule, rs_known_sha256(k), where(c->a, w, sizeof(w)), rs_cert_sha256(ac));
		rv = rs_rlist_action(r, "take the roots from a source that has the profile's certificate");
		break;
	case ST_NAME_KEY_ONLY:
		r = rs_rlist_add(l, "root-name-key-only", RS_SEV_ERROR, k,
				 "%s (%s root) is in the source only as a name and a key (%s): a bundle needs the certificate",
				 rs_known_name(k), c->rule, where(c->a, w, sizeof(w)));
		rv = rs_rlist_action(r, "take the roots from a source that holds certificates (PEM, DER, certdata)");
		break;
	case ST_EXPIRED:
		r = rs_rlist_add(l, "root-expired", RS_SEV_ERROR, k, "%s (%s root) expired on %s: it cannot be in a bundle "
				 "for that time", rs_known_name(k), c->rule, rs_bundle_day(rs_cert_not_after(ac), d));
		rv = !strcmp(c->rule, "old") ? rs_rlist_action(r, "drop --keep-old: an expired old root helps no device")
					     : rs_rlist_action(r, "the profile needs a root that is valid at that time");
		break;
	case ST_NOT_YET:
		r = rs_rlist_add(l, "root-not-yet-valid", RS_SEV_ERROR, k, "%s (%s root) is not valid until %s",
				 rs_known_name(k), c->rule, rs_bundle_day(rs_cert_not_before(ac), d));
		rv = r ? 0 : -1;
		break;
	case ST_NOT_TRUSTED:
		r = rs_rlist_add(l, "root-distrusted", RS_SEV_ERROR, k,
				 "%s (%s root) is in the source (%s) but not trusted for TLS server authentication (%s)",
				 rs_known_name(k), c->rule, where(c->a, w, sizeof(w)), rs_trust_name(rs_anchor_trust(c->a)));
		rv = rs_rlist_action(r, "take the roots from a source that trusts it, or decide to trust it knowingly");
		break;
	case ST_NO_SHA256:
		r = rs_rlist_add(l, "root-missing", RS_SEV_ERROR, k,
				 "%s (%s root) has no SHA-256 in the profile, and roots are selected by SHA-256 only",
				 rs_known_name(k), c->rule);
		rv = r ? 0 : -1;
		break;
	}
	return rv;
}

/* ---- candidates ---- */

static int add_rule(struct sel *s, const char *rule, int forced)
{
	const struct rs_profile *p = s->b->p;
	size_t i, j;

	for (i = 0; i < rs_profile_rule_count(p, rule); i++) {
		const struct rs_known *k = rs_profile_rule_at(p, rule, i);
		for (j = 0; j < s->nc && s->c[j].k != k; j++)
			;
		if (j < s->nc) {
			s->c[j].forced |= forced;
			continue;
		}
		if (s->nc == MAX_CANDIDATES)
			return rs_fail(s->err, RS_ERR_LIMIT, "profile '%s' has more than %d roots in its rules",
				       rs_profile_id(p), MAX_CANDIDATES);
		s->c[s->nc].k = k;
		s->c[s->nc].rule = rule;
		s->c[s->nc].forced = forced;
		s->c[s->nc].st = find_root(s->src, k, s->b->at, &s->c[s->nc].a);
		s->nc++;
	}
	return 0;
}

static int add_root(struct sel *s, const struct cand *c, const char *why)
{
	struct rs_bundle *b = s->b;
	struct rs_bundle_root *nv = realloc(b->v, (b->n + 1) * sizeof(*nv)), *r;
	const struct rs_location *loc = rs_anchor_location_at(c->a, 0);

	if (!nv)
		return rs_fail(s->err, RS_ERR_NOMEM, "out of memory");
	b->v = nv;
	r = &b->v[b->n];
	memset(r, 0, sizeof(*r));
	r->cert = rs_cert_up_ref((struct rs_cert *)rs_anchor_cert(c->a)); /* a reference count, not the content */
	r->known = c->k;
	b->n++;
	if (loc) {
		r->loc = *loc;
		r->loc.path = rs_strdup(loc->path);
	}
	if (!(r->why = rs_strdup(why)) || (loc && !r->loc.path))
		return rs_fail(s->err, RS_ERR_NOMEM, "out of memory");
	return 0;
}

static const char *rule_why(const struct cand *c)
{
	if (!strcmp(c->rule, "required"))
		return "required by the profile";
	if (!strcmp(c->rule, "recommended"))
		return "recommended by the profile";
	return "the old root, kept by --keep-old for the transition";
}

/* ---- the default selection ---- */

static int select_rules(struct sel *s)
{
	size_t i;

	for (i = 0; i < s->nc; i++)
		if (s->c[i].forced && problem(s, &s->c[i]) < 0)
			return rs_fail(s->err, RS_ERR_NOMEM, "out of memory");
	if (s->b->problems.n)
		return 0;
	for (i = 0; i < s->nc; i++) {
		if (!s->c[i].forced)
			continue;
		s->c[i].chosen = 1;
		if (add_root(s, &s->c[i], rule_why(&s->c[i])) < 0)
			return -1;
	}
	return 0;
}

/* Inside the profile's migration window (at before its migration_complete) some endpoints still serve chains to
 * the old roots, so the default selection keeps a usable old root without --keep-old, and says why and until when
 * (the same window audit uses: docs/audit.md). */
static int keep_old_in_window(struct sel *s)
{
	rs_time complete = rs_profile_migration_complete(s->b->p);
	char d[32], why[160];
	size_t i;

	if (!complete || s->b->at >= complete || s->b->opts.keep_old || s->b->problems.n)
		return 0;
	rs_bundle_day(complete, d);
	for (i = 0; i < s->nc; i++) {
		struct cand *c = &s->c[i];
		struct rs_reason *r;
		if (strcmp(c->rule, "old") || c->chosen)
			continue;
		if (c->st == ST_OK) {
			snprintf(why, sizeof(why), "the old root, kept automatically until %s (the migration window)", d);
			c->chosen = 1;
			if (add_root(s, c, why) < 0)
				return -1;
			r = rs_rlist_add(&s->b->notes, "old-kept", RS_SEV_INFO, c->k,
					 "%s is kept: inside the migration window some endpoints still serve its chain, until "
					 "the profile's migration_complete %s; a bundle made for that date or later (--at) leaves it out",
					 rs_known_name(c->k), d);
		} else
			r = rs_rlist_add(&s->b->notes, "old-unavailable", RS_SEV_WARNING, c->k,
					 "%s is not usable in the source: until %s devices may meet endpoints that still "
					 "serve its chain", rs_known_name(c->k), d);
		if (!r)
			return rs_fail(s->err, RS_ERR_NOMEM, "out of memory");
	}
	return 0;
}

/* ---- coverage: which candidate validates which intermediate ---- */

struct cover {
	const struct rs_known *k;  /* an intermediate valid at T */
	unsigned mask;             /* candidates that validate it alone */
};

static int store_of(const struct cand *c, struct rs_certlist **out, struct rs_error *err)
{
	*out = rs_certlist_new();
	if (!*out)
		return rs_fail(err, RS_ERR_NOMEM, "out of memory");
	return rs_certlist_add(*out, (struct rs_cert *)rs_anchor_cert(c->a), NULL, err);
}

static int coverage(struct sel *s, const struct rs_certlist *pool, struct cover **out, size_t *nout)
{
	const struct rs_profile *p = s->b->p;
	struct cover *v = calloc(rs_profile_known_count(p) + 1, sizeof(*v));
	struct rs_certlist *store = NULL;
	size_t i, j, n = 0;
	int rv = -1, ok;

	if (!v)
		return rs_fail(s->err, RS_ERR_NOMEM, "out of memory");
	for (i = 0; i < rs_profile_known_count(p); i++) {
		const struct rs_known *k = rs_profile_known_at(p, i);
		const struct rs_cert *c = rs_known_cert(k);
		if (rs_known_kind(k) != RS_KIND_INTERMEDIATE || !c || !rs_cert_valid_at(c, s->b->at))
			continue;
		v[n].k = k;
		for (j = 0; j < s->nc; j++) {
			if (s->c[j].st != ST_OK)
				continue;
			if (store_of(&s->c[j], &store, s->err) < 0 ||
			    (ok = rs_bundle_verifies(k, pool, store, s->b->at, NULL, s->err)) < 0)
				goto out;
			v[n].mask |= ok ? 1u << j : 0;
			rs_certlist_free(store);
			store = NULL;
		}
		n++;
	}
	*out = v;
	*nout = n;
	v = NULL;
	rv = 0;
out:
	rs_certlist_free(store);
	free(v);
	return rv;
}

static size_t der_size(const struct cand *c)
{
	size_t len = 0;

	rs_cert_der(rs_anchor_cert(c->a), &len);
	return len;
}

static int popcount(unsigned m)
{
	int n = 0;

	for (; m; m &= m - 1)
		n++;
	return n;
}

/* The smallest set of usable candidates that includes `forced` and hits every mask; ties: fewer DER bytes. */
static unsigned smallest(const struct sel *s, const struct cover *v, size_t n, unsigned usable, unsigned forced)
{
	unsigned m, best = 0;
	size_t i, bytes, best_bytes = 0;
	int found = 0;

	for (m = 0; m < 1u << s->nc; m++) {
		if ((m & usable) != m || (m & forced) != forced)
			continue;
		for (i = 0; i < n && (!v[i].mask || (v[i].mask & m)); i++)
			;
		if (i < n)
			continue;
		for (bytes = 0, i = 0; i < s->nc; i++)
			bytes += m & 1u << i ? der_size(&s->c[i]) : 0;
		if (!found || popcount(m) < popcount(best) || (popcount(m) == popcount(best) && bytes < best_bytes)) {
			best = m;
			best_bytes = bytes;
			found = 1;
		}
	}
	return best;
}

/* Names the state of an intermediate's issuers in the source, for an uncovered intermediate. */
static void issuer_text(const struct sel *s, const struct rs_known *k, char *buf, size_t size)
{
	static const char *const words[] = { "usable", "not valid yet", "expired", "not trusted in the source",
					     "in the source only as a name and key", "missing from the source",
					     "missing from the source", "without a SHA-256 in the profile" };
	size_t i, used = 0;
	int w;

	buf[0] = '\0';
	for (i = 0; i < rs_known_issuer_count(k); i++) {
		const struct rs_known *r = NULL;
		const struct rs_anchor *a;
		size_t j;
		for (j = 0; j < rs_profile_known_count(s->b->p); j++)
			if (!strcmp(rs_known_id(rs_profile_known_at(s->b->p, j)), rs_known_issuer_at(k, i)))
				r = rs_profile_known_at(s->b->p, j);
		if (!r)
			continue;
		w = snprintf(buf + used, size - used, "%s%s is %s", used ? "; " : "", rs_known_name(r),
			     words[find_root(s->src, r, s->b->at, &a)]);
		if (w < 0 || (size_t)w >= size - used)
			break;
		used += (size_t)w;
	}
	if (!used)
		snprintf(buf, size, "no root of the source validates it");
}

static int why_minimal(struct sel *s, size_t j, const struct cover *v, size_t n, char *buf, size_t size)
{
	size_t i, count = 0;
	const struct rs_known *first = NULL;

	if (s->c[j].forced) {
		snprintf(buf, size, "%s", rule_why(&s->c[j]));
		return 0;
	}
	for (i = 0; i < n; i++)
		if (v[i].mask & 1u << j) {
			first = first ? first : v[i].k;
			count++;
		}
	if (count > 1)
		snprintf(buf, size, "validates %s and %zu more catalog intermediates", rs_known_name(first), count - 1);
	else
		snprintf(buf, size, "validates %s", first ? rs_known_name(first) : "nothing");
	return 0;
}

static int select_minimal(struct sel *s)
{
	struct rs_certlist *pool = rs_certlist_new();
	struct cover *v = NULL;
	unsigned usable = 0, forced = 0, best;
	size_t i, n = 0;
	char buf[1200], d[32];
	int rv = -1;

	if (!pool)
		return rs_fail(s->err, RS_ERR_NOMEM, "out of memory");
	for (i = 0; i < s->nc; i++) {
		usable |= s->c[i].st == ST_OK ? 1u << i : 0;
		forced |= s->c[i].forced ? 1u << i : 0;
		if (s->c[i].forced && problem(s, &s->c[i]) < 0)
			goto nomem;
	}
	if (rs_bundle_intermediates(s->b->p, pool, s->err) < 0 || coverage(s, pool, &v, &n) < 0)
		goto out;
	for (i = 0; i < n; i++) {
		if (v[i].mask)
			continue;
		issuer_text(s, v[i].k, buf, sizeof(buf));
		if (rs_rlist_action(rs_rlist_add(&s->b->problems, "intermediate-uncovered", RS_SEV_ERROR, v[i].k,
						 "%s (SHA-256 %s), valid at %s, verifies against no root the source offers: %s",
						 rs_known_name(v[i].k), rs_known_sha256(v[i].k), rs_bundle_day(s->b->at, d),
						 buf),
				    "take the roots from a source that has its issuing root") < 0)
			goto nomem;
	}
	if (s->b->problems.n) {
		rv = 0;
		goto out;
	}
	best = smallest(s, v, n, usable, forced);
	for (i = 0; i < s->nc; i++) {
		if (!(best & 1u << i)) {
			if (!rs_rlist_add(&s->b->notes, "left-out", RS_SEV_INFO, s->c[i].k,
					  "left out %s (%s root): %s", rs_known_name(s->c[i].k), s->c[i].rule,
					  s->c[i].st == ST_OK ? "every catalog intermediate valid at that time verifies without it"
							      : "not usable from the source, and not needed"))
				goto nomem;
			continue;
		}
		s->c[i].chosen = 1;
		why_minimal(s, i, v, n, buf, sizeof(buf));
		if (add_root(s, &s->c[i], buf) < 0)
			goto out;
	}
	rv = 0;
	goto out;
nomem:
	rs_fail(s->err, RS_ERR_NOMEM, "out of memory");
out:
	free(v);
	rs_certlist_free(pool);
	return rv;
}

/* Default selection: warn about intermediates valid at T that the chosen roots do not validate. */
static int uncovered_notes(struct sel *s)
{
	struct rs_certlist *pool = rs_certlist_new(), *store = rs_certlist_new();
	const struct rs_profile *p = s->b->p;
	size_t i;
	char d[32];
	int rv = -1, ok;

	if (!pool || !store) {
		rs_fail(s->err, RS_ERR_NOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < s->b->n; i++)
		if (rs_certlist_add(store, s->b->v[i].cert, NULL, s->err) < 0)
			goto out;
	if (rs_bundle_intermediates(p, pool, s->err) < 0)
		goto out;
	for (i = 0; i < rs_profile_known_count(p); i++) {
		const struct rs_known *k = rs_profile_known_at(p, i);
		const struct rs_cert *c = rs_known_cert(k);
		struct rs_reason *r;
		if (rs_known_kind(k) != RS_KIND_INTERMEDIATE || !c || !rs_cert_valid_at(c, s->b->at))
			continue;
		if ((ok = rs_bundle_verifies(k, pool, store, s->b->at, NULL, s->err)) < 0)
			goto out;
		if (ok)
			continue;
		r = rs_rlist_add(&s->b->notes, "intermediate-uncovered", RS_SEV_WARNING, k,
				 "%s (SHA-256 %s) is still valid at %s but does not verify against this bundle",
				 rs_known_name(k), rs_known_sha256(k), rs_bundle_day(s->b->at, d));
		if (rs_rlist_action(r, "add --keep-old (or use --minimal) while endpoints may still serve it") < 0) {
			rs_fail(s->err, RS_ERR_NOMEM, "out of memory");
			goto out;
		}
	}
	rv = 0;
out:
	rs_certlist_free(pool);
	rs_certlist_free(store);
	return rv;
}

struct rs_bundle *rs_bundle_select(const struct rs_anchorset *source, const struct rs_catalog *cat,
				   const struct rs_profile *p, rs_time at, const struct rs_bundle_opts *opts,
				   struct rs_error *err)
{
	static const struct rs_bundle_opts defaults = { 0, 0 };
	struct sel s;

	if (!source || !cat || !p) {
		rs_fail(err, RS_ERR_USAGE, "rs_bundle_select needs a source, a catalog and a profile");
		return NULL;
	}
	opts = opts ? opts : &defaults;
	memset(&s, 0, sizeof(s));
	s.src = source;
	s.cat = cat;
	s.err = err;
	if (!(s.b = calloc(1, sizeof(*s.b)))) {
		rs_fail(err, RS_ERR_NOMEM, "out of memory");
		return NULL;
	}
	s.b->p = p;
	s.b->at = at;
	s.b->opts = *opts;
	if (add_rule(&s, "required", 1) < 0 || add_rule(&s, "recommended", !opts->minimal) < 0 ||
	    add_rule(&s, "old", opts->keep_old) < 0)
		goto fail;
	if (opts->minimal ? select_minimal(&s) < 0
			  : (select_rules(&s) < 0 || keep_old_in_window(&s) < 0 ||
			     (!s.b->problems.n && uncovered_notes(&s) < 0)))
		goto fail;
	if (!s.b->problems.n && !s.b->n &&
	    !rs_rlist_add(&s.b->problems, "no-roots", RS_SEV_ERROR, NULL, "profile '%s' names no root to bundle",
			  rs_profile_id(p))) {
		rs_fail(err, RS_ERR_NOMEM, "out of memory");
		goto fail;
	}
	return s.b;
fail:
	rs_bundle_free(s.b);
	return NULL;
}

void rs_bundle_free(struct rs_bundle *b)
{
	size_t i;

	if (!b)
		return;
	for (i = 0; i < b->n; i++) {
		rs_cert_free(b->v[i].cert);
		free(b->v[i].why);
		free((char *)b->v[i].loc.path);
	}
	free(b->v);
	rs_rlist_release(&b->problems);
	rs_rlist_release(&b->notes);
	free(b);
}

const struct rs_profile *rs_bundle_profile(const struct rs_bundle *b) { return b->p; }
rs_time rs_bundle_time(const struct rs_bundle *b) { return b->at; }
size_t rs_bundle_count(const struct rs_bundle *b) { return b ? b->n : 0; }
const struct rs_cert *rs_bundle_cert_at(const struct rs_bundle *b, size_t i) { return i < b->n ? b->v[i].cert : NULL; }
const struct rs_known *rs_bundle_known_at(const struct rs_bundle *b, size_t i)
{
	return i < b->n ? b->v[i].known : NULL;
}
const char *rs_bundle_why_at(const struct rs_bundle *b, size_t i) { return i < b->n ? b->v[i].why : NULL; }
const struct rs_location *rs_bundle_source_at(const struct rs_bundle *b, size_t i)
{
	return i < b->n && b->v[i].loc.path ? &b->v[i].loc : NULL;
}
size_t rs_bundle_problem_count(const struct rs_bundle *b) { return b ? b->problems.n : 0; }
const struct rs_reason *rs_bundle_problem_at(const struct rs_bundle *b, size_t i)
{
	return i < b->problems.n ? &b->problems.v[i] : NULL;
}
size_t rs_bundle_note_count(const struct rs_bundle *b) { return b ? b->notes.n : 0; }
const struct rs_reason *rs_bundle_note_at(const struct rs_bundle *b, size_t i)
{
	return i < b->notes.n ? &b->notes.v[i] : NULL;
}

size_t rs_bundle_der_bytes(const struct rs_bundle *b)
{
	size_t i, len, total = 0;

	for (i = 0; b && i < b->n; i++) {
		rs_cert_der(b->v[i].cert, &len);
		total += len;
	}
	return total;
}

void rs_bundle_info(const struct rs_bundle *b, struct rs_bundle_info *info)
{
	*info = (struct rs_bundle_info){
		.profile = b->p, .at = b->at, .count = b->n, .der_bytes = rs_bundle_der_bytes(b),
		.problems = b->problems.v, .problem_count = b->problems.n, .notes = b->notes.v,
		.note_count = b->notes.n,
	};
}
