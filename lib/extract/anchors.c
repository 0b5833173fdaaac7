/*
 * anchors.c: the trust anchor model. An anchor is a certificate or a name and a key, deduplicated, with every
 * place it was found. Extractors add to it through the rs_scan_* functions of extract/extract.h.
 */
#include "extract.h"

#include <openssl/evp.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct rs_anchor {
	enum rs_anchor_form form;
	struct rs_cert *cert;
	unsigned char *subject_der, *spki_der;
	size_t subject_len, spki_len;
	char *subject, *label;
	char spki_sha256[65];
	unsigned char key[32]; /* dedup key: the certificate's SHA-256, or SHA-256 of name || key */
	enum rs_trust trust;
	struct rs_location *locs;
	size_t nlocs;
};

struct rs_anchorset {
	struct rs_anchor **v;
	size_t n, cap;
	struct rs_finding *f;
	size_t nf, fcap;
	char **deselected; /* paths of certificate sources a ca-certificates.conf deselects */
	size_t ndes;
};

struct rs_anchorset *rs_anchorset_new(void)
{
	return calloc(1, sizeof(struct rs_anchorset));
}

static void anchor_free(struct rs_anchor *a)
{
	size_t i;

	if (!a)
		return;
	rs_cert_free(a->cert);
	free(a->subject_der);
	free(a->spki_der);
	free(a->subject);
	free(a->label);
	for (i = 0; i < a->nlocs; i++)
		free((char *)a->locs[i].path);
	free(a->locs);
	free(a);
}

void rs_anchorset_free(struct rs_anchorset *set)
{
	size_t i;

	if (!set)
		return;
	for (i = 0; i < set->n; i++)
		anchor_free(set->v[i]);
	for (i = 0; i < set->nf; i++) {
		free((char *)set->f[i].message);
		free((char *)set->f[i].loc.path);
	}
	for (i = 0; i < set->ndes; i++)
		free(set->deselected[i]);
	free(set->deselected);
	free(set->v);
	free(set->f);
	free(set);
}

size_t rs_anchorset_count(const struct rs_anchorset *set) { return set ? set->n : 0; }
const struct rs_anchor *rs_anchorset_at(const struct rs_anchorset *set, size_t i)
{
	return i < set->n ? set->v[i] : NULL;
}
size_t rs_anchorset_finding_count(const struct rs_anchorset *set) { return set ? set->nf : 0; }
const struct rs_finding *rs_anchorset_finding_at(const struct rs_anchorset *set, size_t i)
{
	return i < set->nf ? &set->f[i] : NULL;
}

enum rs_anchor_form rs_anchor_form(const struct rs_anchor *a) { return a->form; }
const struct rs_cert *rs_anchor_cert(const struct rs_anchor *a) { return a->cert; }
const char *rs_anchor_subject(const struct rs_anchor *a) { return a->subject; }
const char *rs_anchor_spki_sha256(const struct rs_anchor *a) { return a->spki_sha256; }
enum rs_trust rs_anchor_trust(const struct rs_anchor *a) { return a->trust; }
const char *rs_anchor_label(const struct rs_anchor *a) { return a->label ? a->label : ""; }
size_t rs_anchor_location_count(const struct rs_anchor *a) { return a->nlocs; }

const struct rs_location *rs_anchor_location_at(const struct rs_anchor *a, size_t i)
{
	return i < a->nlocs ? &a->locs[i] : NULL;
}

const unsigned char *rs_anchor_subject_der(const struct rs_anchor *a, size_t *len)
{
	*len = a->subject_len;
	return a->subject_der;
}

const unsigned char *rs_anchor_spki_der(const struct rs_anchor *a, size_t *len)
{
	*len = a->spki_len;
	return a->spki_der;
}

const char *rs_anchor_form_name(enum rs_anchor_form form)
{
	return form == RS_ANCHOR_CERT ? "certificate" : "name-and-key";
}

const char *rs_trust_name(enum rs_trust trust)
{
	return trust == RS_TRUST_ANCHOR ? "anchor" : trust == RS_TRUST_MUST_VERIFY ? "must-verify" : "distrusted";
}

const struct rs_known *rs_anchor_identify(const struct rs_catalog *cat, const struct rs_anchor *a)
{
	if (a->cert)
		return rs_catalog_identify(cat, a->cert);
	return rs_catalog_by_spki(cat, a->spki_sha256, a->subject);
}

/* Line counting for text input: forward from the last position, restarting when asked to go back. */
long rs_scan_line(struct rs_scan *s, size_t off)
{
	size_t i;

	if (off < s->line_at || s->line_no == 0) {
		s->line_at = 0;
		s->line_no = 1;
	}
	for (i = s->line_at; i < off && i < s->len; i++)
		s->line_no += s->buf[i] == '\n';
	s->line_at = off;
	return s->line_no;
}

static int add_location(struct rs_scan *s, struct rs_anchor *a, long line, long long off, const char *enc)
{
	struct rs_location *v = realloc(a->locs, (a->nlocs + 1) * sizeof(*v));

	if (!v)
		return rs_fail(s->err, RS_ERR_NOMEM, "out of memory");
	a->locs = v;
	v[a->nlocs].path = rs_strdup(s->path);
	if (!v[a->nlocs].path)
		return rs_fail(s->err, RS_ERR_NOMEM, "out of memory");
	v[a->nlocs].line = s->binary ? 0 : line;
	v[a->nlocs].offset = off;
	v[a->nlocs].encoding = enc; /* encodings are string constants */
	a->nlocs++;
	return 0;
}

static struct rs_anchor *find_anchor(struct rs_anchorset *set, enum rs_anchor_form form, const unsigned char key[32])
{
	size_t i;

	for (i = 0; i < set->n; i++)
		if (set->v[i]->form == form && !memcmp(set->v[i]->key, key, 32))
			return set->v[i];
	return NULL;
}

static int push_anchor(struct rs_scan *s, struct rs_anchor *a)
{
	struct rs_anchorset *set = s->set;

	if (set->n == set->cap) {
		size_t cap = set->cap ? set->cap * 2 : 32;
		struct rs_anchor **v = realloc(set->v, cap * sizeof(*v));
		if (!v) {
			anchor_free(a);
			return rs_fail(s->err, RS_ERR_NOMEM, "out of memory");
		}
		set->v = v;
		set->cap = cap;
	}
	set->v[set->n++] = a;
	return 0;
}

/* Merges a new sighting into an existing anchor: more trust wins (some file trusts it). */
static int merge(struct rs_scan *s, struct rs_anchor *old, enum rs_trust trust, const char *label, long line,
		 long long off, const char *enc)
{
	if (trust < old->trust)
		old->trust = trust;
	if (label && *label && !old->label && !(old->label = rs_strdup(label)))
		return rs_fail(s->err, RS_ERR_NOMEM, "out of memory");
	return add_location(s, old, line, off, enc);
}

static int fill_names(struct rs_anchor *a, X509 *x)
{
	unsigned char *p = NULL;
	int n;

	if ((n = i2d_X509_NAME(X509_get_subject_name(x), &p)) <= 0)
		return -1;
	a->subject_der = p;
	a->subject_len = (size_t)n;
	p = NULL;
	if ((n = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(x), &p)) <= 0)
		return -1;
	a->spki_der = p;
	a->spki_len = (size_t)n;
	return 0;
}

int rs_scan_add_x509(struct rs_scan *s, X509 *x, long line, long long off, const char *enc, enum rs_trust trust,
		     const char *label)
{
	struct rs_cert *c;
	struct rs_anchor *a, *old;
	unsigned char key[32];
	size_t dlen;
	const unsigned char *der;
	struct rs_error perr;

	/* A certificate OpenSSL decodes but rootshift cannot read (bad extensions or dates, as x509-limbo's
	 * corpus has) is one broken certificate in one file, not a reason to stop reading the tree. */
	if (!(c = rs_cert_from_x509(x, &perr))) {
		if (perr.code != RS_ERR_PARSE)
			return rs_fail(s->err, perr.code, "%s", perr.message);
		return rs_scan_finding(s, "broken-certificate", line, off, "a certificate that cannot be read (%s): "
				       "not a trust anchor", perr.message);
	}
	der = rs_cert_der(c, &dlen);
	if (!EVP_Digest(der, dlen, key, NULL, EVP_sha256(), NULL)) {
		rs_cert_free(c);
		return rs_fail_ssl(s->err, RS_ERR_NOMEM, "cannot hash a certificate: out of memory");
	}
	if ((old = find_anchor(s->set, RS_ANCHOR_CERT, key)) != NULL) {
		rs_cert_free(c);
		return merge(s, old, trust, label, line, off, enc);
	}
	if (!(a = calloc(1, sizeof(*a)))) {
		rs_cert_free(c);
		return rs_fail(s->err, RS_ERR_NOMEM, "out of memory");
	}
	a->form = RS_ANCHOR_CERT;
	a->cert = c;
	a->trust = trust;
	memcpy(a->key, key, 32);
	memcpy(a->spki_sha256, rs_cert_spki_sha256(c), 65);
	if (fill_names(a, x) < 0 || !(a->subject = rs_strdup(rs_cert_subject(c))) ||
	    (label && *label && !(a->label = rs_strdup(label))) || add_location(s, a, line, off, enc) < 0) {
		anchor_free(a);
		return rs_fail(s->err, RS_ERR_NOMEM, "out of memory");
	}
	return push_anchor(s, a);
}

int rs_scan_add_der(struct rs_scan *s, const unsigned char *der, size_t len, long line, long long off,
		    const char *enc)
{
	const unsigned char *p = der;
	X509 *x = d2i_X509(NULL, &p, (long)len);
	int rv;

	if (!x || p != der + len) {
		X509_free(x);
		return 1;
	}
	rv = rs_scan_add_x509(s, x, line, off, enc, RS_TRUST_ANCHOR, NULL);
	X509_free(x);
	return rv;
}

/* The SPKI must parse as a public key; its SHA-256 is over the DER as given, like rs_cert_spki_sha256. */
static int check_spki(const unsigned char *spki, size_t len)
{
	const unsigned char *p = spki;
	EVP_PKEY *k = d2i_PUBKEY(NULL, &p, (long)len);
	int ok = k && p == spki + len;

	EVP_PKEY_free(k);
	return ok;
}

/* Takes subject, also when it fails (the anchor frees it with the rest). */
static struct rs_anchor *new_name_key(const unsigned char *name, size_t name_len, const unsigned char *spki,
				      size_t spki_len, char *subject)
{
	struct rs_anchor *a = calloc(1, sizeof(*a));
	unsigned char md[32];

	if (!a) {
		free(subject);
		return NULL;
	}
	a->form = RS_ANCHOR_NAME_KEY;
	a->subject = subject;
	a->subject_der = malloc(name_len);
	a->spki_der = malloc(spki_len);
	if (!a->subject_der || !a->spki_der || !EVP_Digest(spki, spki_len, md, NULL, EVP_sha256(), NULL)) {
		anchor_free(a);
		return NULL;
	}
	memcpy(a->subject_der, name, name_len);
	memcpy(a->spki_der, spki, spki_len);
	a->subject_len = name_len;
	a->spki_len = spki_len;
	rs_hex_encode(md, 32, a->spki_sha256);
	return a;
}

/* 0, or -1 when OpenSSL fails (out of memory): a zero key would merge unrelated anchors. */
static int name_key_digest(const unsigned char *name, size_t name_len, const unsigned char *spki, size_t spki_len,
			   unsigned char key[32])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) && EVP_DigestUpdate(ctx, name, name_len) &&
		 EVP_DigestUpdate(ctx, spki, spki_len) && EVP_DigestFinal_ex(ctx, key, NULL);

	EVP_MD_CTX_free(ctx);
	return ok ? 0 : -1;
}

int rs_scan_add_name_key(struct rs_scan *s, const unsigned char *name, size_t name_len, const unsigned char *spki,
			 size_t spki_len, long line, long long off, const char *enc)
{
	struct rs_anchor *a, *old;
	unsigned char key[32];
	char *subject;

	if (!check_spki(spki, spki_len) || !(subject = rs_name_der_string(name, name_len)))
		return 1;
	if (name_key_digest(name, name_len, spki, spki_len, key) < 0) {
		free(subject);
		return rs_fail(s->err, RS_ERR_NOMEM, "out of memory");
	}
	if ((old = find_anchor(s->set, RS_ANCHOR_NAME_KEY, key)) != NULL) {
		free(subject);
		return merge(s, old, RS_TRUST_ANCHOR, NULL, line, off, enc);
	}
	if (!(a = new_name_key(name, name_len, spki, spki_len, subject)))
		return rs_fail(s->err, RS_ERR_NOMEM, "out of memory");
	memcpy(a->key, key, 32);
	a->trust = RS_TRUST_ANCHOR;
	if (add_location(s, a, line, off, enc) < 0) {
		anchor_free(a);
		return -1;
	}
	return push_anchor(s, a);
}

/* 1 (and err set) when the caller asked to stop: extractors read it between pieces of work. */
int rs_scan_cancelled(const volatile int *cancel, struct rs_error *err)
{
	if (!cancel || !*cancel)
		return 0;
	rs_fail(err, RS_ERR_CANCELLED, "stopped on request");
	return 1;
}

int rs_scan_finding(struct rs_scan *s, const char *kind, long line, long long off, const char *fmt, ...)
{
	struct rs_anchorset *set = s->set;
	struct rs_finding *f;
	char *msg;
	va_list ap;

	if (++s->nfindings > RS_MAX_FINDINGS)
		return 0; /* counted; scan.c says how many were left out */
	if (set->nf == set->fcap) {
		size_t cap = set->fcap ? set->fcap * 2 : 8;
		struct rs_finding *v = realloc(set->f, cap * sizeof(*v));
		if (!v)
			return rs_fail(s->err, RS_ERR_NOMEM, "out of memory");
		set->f = v;
		set->fcap = cap;
	}
	va_start(ap, fmt);
	msg = rs_vstrdupf(fmt, ap);
	va_end(ap);
	if (!msg)
		return rs_fail(s->err, RS_ERR_NOMEM, "out of memory");
	f = &set->f[set->nf];
	f->kind = kind;
	f->message = msg;
	f->loc.path = rs_strdup(s->path);
	f->loc.line = s->binary ? 0 : line;
	f->loc.offset = off;
	f->loc.encoding = "";
	if (!f->loc.path) {
		free(msg);
		return rs_fail(s->err, RS_ERR_NOMEM, "out of memory");
	}
	set->nf++;
	return 0;
}

int rs_linemap_add(struct rs_linemap *m, size_t at, long line, long long offset)
{
	if (m->n && m->v[m->n - 1].at == at) {
		m->v[m->n - 1].line = line;
		m->v[m->n - 1].offset = offset;
		return 0;
	}
	if (m->n == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 64;
		struct rs_segment *v = realloc(m->v, cap * sizeof(*v));
		if (!v)
			return -1;
		m->v = v;
		m->cap = cap;
	}
	m->v[m->n].at = at;
	m->v[m->n].line = line;
	m->v[m->n].offset = offset;
	m->n++;
	return 0;
}

void rs_linemap_where(const struct rs_linemap *m, size_t at, long *line, long long *offset)
{
	size_t lo = 0, hi = m->n;

	*line = 0;
	*offset = 0;
	if (!m->n)
		return;
	while (hi - lo > 1) { /* the last segment starting at or before at */
		size_t mid = lo + (hi - lo) / 2;
		if (m->v[mid].at <= at)
			lo = mid;
		else
			hi = mid;
	}
	*line = m->v[lo].line;
	*offset = m->v[lo].offset;
}

void rs_linemap_release(struct rs_linemap *m)
{
	free(m->v);
	m->v = NULL;
	m->n = m->cap = 0;
}

static int cmp_findings(const void *a, const void *b)
{
	const struct rs_finding *x = a, *y = b;

	if (x->loc.line != y->loc.line)
		return x->loc.line < y->loc.line ? -1 : 1;
	if (x->loc.offset != y->loc.offset)
		return x->loc.offset < y->loc.offset ? -1 : 1;
	return strcmp(x->kind, y->kind);
}

void rs_anchorset_sort_findings(struct rs_anchorset *set, size_t from)
{
	if (set->nf > from + 1)
		qsort(set->f + from, set->nf - from, sizeof(*set->f), cmp_findings);
}

void rs_anchor_info(const struct rs_anchor *a, struct rs_anchor_info *info)
{
	*info = (struct rs_anchor_info){
		.form = a->form, .cert = a->cert, .subject = a->subject, .spki_sha256 = a->spki_sha256,
		.subject_der = a->subject_der, .subject_der_len = a->subject_len, .spki_der = a->spki_der,
		.spki_der_len = a->spki_len, .trust = a->trust, .label = rs_anchor_label(a), .locations = a->locs,
		.location_count = a->nlocs,
	};
}

/* ---- sources a ca-certificates.conf deselects ---- */

int rs_anchorset_deselect(struct rs_anchorset *set, const char *path, struct rs_error *err)
{
	char **v = realloc(set->deselected, (set->ndes + 1) * sizeof(*v));

	if (!v)
		return rs_fail(err, RS_ERR_NOMEM, "out of memory");
	set->deselected = v;
	if (!(v[set->ndes] = rs_strdup(path)))
		return rs_fail(err, RS_ERR_NOMEM, "out of memory");
	set->ndes++;
	return 0;
}

static int deselected(const struct rs_anchorset *set, const char *path)
{
	size_t i;

	for (i = 0; i < set->ndes; i++)
		if (!strcmp(set->deselected[i], path))
			return 1;
	return 0;
}

/*
 * Drops the locations that are deselected sources (update-ca-certificates does not put them in the store), each
 * with a "deselected" finding, and the anchors left with no location. 0 or -1.
 */
int rs_anchorset_apply_deselect(struct rs_anchorset *set, struct rs_error *err)
{
	size_t i, j, k, n = 0;

	if (!set->ndes)
		return 0;
	for (i = 0; i < set->n; i++) {
		struct rs_anchor *a = set->v[i];
		for (j = k = 0; j < a->nlocs; j++) {
			struct rs_location *l = &a->locs[j];
			struct rs_scan s;
			if (!deselected(set, l->path)) {
				a->locs[k++] = *l;
				continue;
			}
			memset(&s, 0, sizeof(s));
			s.set = set;
			s.path = l->path;
			s.err = err;
			if (rs_scan_finding(&s, "deselected", l->line, l->offset,
					    "%s is deselected in ca-certificates.conf ('!' line): update-ca-certificates "
					    "leaves it out of the store, so it is not counted as a trust anchor",
					    a->subject ? a->subject : "this certificate") < 0)
				return -1;
			free((char *)l->path);
		}
		a->nlocs = k;
	}
	for (i = 0; i < set->n; i++) {
		if (set->v[i]->nlocs)
			set->v[n++] = set->v[i];
		else
			anchor_free(set->v[i]);
	}
	set->n = n;
	return 0;
}
