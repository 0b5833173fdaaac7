/*
 * certdata.c: Mozilla NSS certdata.txt. Certificate objects (CKO_CERTIFICATE with CKA_VALUE) and trust objects
 * (CKO_NSS_TRUST, matched by CKA_CERT_SHA1_HASH). Only CKA_TRUST_SERVER_AUTH CKT_NSS_TRUSTED_DELEGATOR makes a
 * TLS trust anchor; CKT_NSS_MUST_VERIFY_TRUST (or no trust object) is present but not an anchor, and
 * CKT_NSS_NOT_TRUSTED is distrusted.
 */
#include "extract.h"

#include <openssl/evp.h>
#include <openssl/err.h>
#include <stdlib.h>
#include <string.h>

enum objclass { OBJ_OTHER, OBJ_CERT, OBJ_TRUST };

struct object {
	enum objclass cls;
	long line;
	long long offset;
	char *label;
	struct rs_buf value;        /* CKA_VALUE of a certificate */
	unsigned char sha1[20];     /* CKA_CERT_SHA1_HASH of a trust object */
	int has_sha1;
	enum rs_trust trust;
	char distrust_after[16];    /* CKA_NSS_SERVER_DISTRUST_AFTER as YYMMDDHHMMSSZ, or "" */
};

struct parser {
	const unsigned char *t;
	size_t len, i;
	long line;
	struct object *v;
	size_t n, cap;
	int nomem;
};

int rs_is_certdata(const unsigned char *buf, size_t len)
{
	return rs_memmem(buf, len, "CKA_CLASS CK_OBJECT_CLASS CKO_CERTIFICATE", 41) &&
	       rs_memmem(buf, len, "MULTILINE_OCTAL", 15);
}

/* The next line as [*start, *end); advances. */
static int next_line(struct parser *p, size_t *start, size_t *end)
{
	const unsigned char *nl;

	if (p->i >= p->len)
		return 0;
	*start = p->i;
	nl = memchr(p->t + p->i, '\n', p->len - p->i);
	*end = nl ? (size_t)(nl - p->t) : p->len;
	p->i = *end + 1;
	p->line++;
	return 1;
}

static int starts(const struct parser *p, size_t s, size_t e, const char *prefix)
{
	size_t n = strlen(prefix);

	return e - s >= n && !memcmp(p->t + s, prefix, n);
}

/* Reads MULTILINE_OCTAL lines up to END into out. */
static void octal_block(struct parser *p, struct rs_buf *out)
{
	size_t s, e, k;

	while (next_line(p, &s, &e)) {
		if (starts(p, s, e, "END"))
			return;
		for (k = s; k + 3 < e; k++) {
			unsigned char c;
			if (p->t[k] != '\\')
				continue;
			c = (unsigned char)(((p->t[k + 1] - '0') & 7) << 6 | ((p->t[k + 2] - '0') & 7) << 3 | ((p->t[k + 3] - '0') & 7));
			if (rs_buf_add(out, &c, 1) < 0)
				p->nomem = 1;
			k += 3;
		}
	}
}

static struct object *new_object(struct parser *p, enum objclass cls, size_t at)
{
	struct object *o;

	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 64;
		struct object *v = realloc(p->v, cap * sizeof(*v));
		if (!v) {
			p->nomem = 1;
			return NULL;
		}
		p->v = v;
		p->cap = cap;
	}
	o = &p->v[p->n++];
	memset(o, 0, sizeof(*o));
	o->cls = cls;
	o->line = p->line;
	o->offset = (long long)at;
	o->trust = RS_TRUST_MUST_VERIFY;
	return o;
}

static void label(struct parser *p, struct object *o, size_t s, size_t e)
{
	const unsigned char *q = memchr(p->t + s, '"', e - s), *r;

	if (!q || !(r = memchr(q + 1, '"', (size_t)(p->t + e - q - 1))) || o->label)
		return;
	if (!(o->label = rs_strndup((const char *)q + 1, (size_t)(r - q - 1))))
		p->nomem = 1;
}

static void attribute(struct parser *p, struct object *o, size_t s, size_t e)
{
	struct rs_buf b = RS_BUF_INIT;

	if (starts(p, s, e, "CKA_LABEL "))
		label(p, o, s, e);
	else if (starts(p, s, e, "CKA_VALUE MULTILINE_OCTAL") && o->cls == OBJ_CERT)
		octal_block(p, &o->value);
	else if (starts(p, s, e, "CKA_CERT_SHA1_HASH MULTILINE_OCTAL")) {
		octal_block(p, &b);
		if (b.len == 20) {
			memcpy(o->sha1, b.data, 20);
			o->has_sha1 = 1;
		}
	} else if (starts(p, s, e, "CKA_NSS_SERVER_DISTRUST_AFTER MULTILINE_OCTAL")) {
		octal_block(p, &b);
		if (b.len >= 15 && b.data[0] == 0x17 && b.data[1] == 13)
			memcpy(o->distrust_after, b.data + 2, 13);
	} else if (starts(p, s, e, "CKA_TRUST_SERVER_AUTH CK_TRUST ")) {
		if (starts(p, s, e, "CKA_TRUST_SERVER_AUTH CK_TRUST CKT_NSS_TRUSTED_DELEGATOR"))
			o->trust = RS_TRUST_ANCHOR;
		else if (starts(p, s, e, "CKA_TRUST_SERVER_AUTH CK_TRUST CKT_NSS_NOT_TRUSTED"))
			o->trust = RS_TRUST_DISTRUSTED;
	}
	rs_buf_release(&b);
}

static void parse(struct parser *p)
{
	struct object *o = NULL;
	size_t s, e;

	while (!p->nomem && next_line(p, &s, &e)) {
		if (starts(p, s, e, "CKA_CLASS CK_OBJECT_CLASS ")) {
			enum objclass cls = starts(p, s, e, "CKA_CLASS CK_OBJECT_CLASS CKO_CERTIFICATE") ? OBJ_CERT
					    : starts(p, s, e, "CKA_CLASS CK_OBJECT_CLASS CKO_NSS_TRUST")  ? OBJ_TRUST
											     : OBJ_OTHER;
			o = new_object(p, cls, s);
		} else if (o && starts(p, s, e, "CKA_"))
			attribute(p, o, s, e);
		else if (e == s)
			o = NULL; /* a blank line ends an object */
	}
}

static const struct object *trust_for(const struct parser *p, const unsigned char sha1[20])
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (p->v[i].cls == OBJ_TRUST && p->v[i].has_sha1 && !memcmp(p->v[i].sha1, sha1, 20))
			return &p->v[i];
	return NULL;
}

static int add_cert(struct rs_scan *s, const struct parser *p, const struct object *o)
{
	const unsigned char *q = (const unsigned char *)o->value.data;
	const struct object *t;
	unsigned char sha1[20];
	X509 *x;
	int rv;

	if (!q || !(x = d2i_X509(NULL, &q, (long)o->value.len))) {
		if (rs_ssl_take_nomem())
			return rs_fail(s->err, RS_ERR_NOMEM, "out of memory");
		return rs_scan_finding(s, "broken-certificate", o->line, o->offset,
				       "certdata object '%s' holds no parsable certificate", o->label ? o->label : "");
	}
	if (!EVP_Digest(o->value.data, o->value.len, sha1, NULL, EVP_sha1(), NULL)) {
		X509_free(x);
		return rs_fail_ssl(s->err, RS_ERR_NOMEM, "cannot hash a certificate: out of memory");
	}
	t = trust_for(p, sha1);
	rv = rs_scan_add_x509(s, x, o->line, o->offset, "certdata", t ? t->trust : RS_TRUST_MUST_VERIFY, o->label);
	X509_free(x);
	if (rv == 0 && t && t->trust == RS_TRUST_ANCHOR && o->distrust_after[0])
		rv = rs_scan_finding(s, "distrust-after", o->line, o->offset,
				     "NSS distrusts server certificates that '%s' issued after 20%.2s-%.2s-%.2s", o->label ? o->label : "",
				     o->distrust_after, o->distrust_after + 2, o->distrust_after + 4);
	return rv < 0 ? -1 : 1;
}

int rs_extract_certdata(struct rs_scan *s)
{
	struct parser p = { s->buf, s->len, 0, 0, NULL, 0, 0, 0 };
	int added = 0, rv = 0;
	size_t i;

	parse(&p);
	if (p.nomem)
		rv = rs_fail(s->err, RS_ERR_NOMEM, "out of memory reading '%s'", s->path);
	for (i = 0; i < p.n && rv >= 0; i++)
		if (p.v[i].cls == OBJ_CERT && (rv = add_cert(s, &p, &p.v[i])) > 0)
			added++;
	for (i = 0; i < p.n; i++) {
		free(p.v[i].label);
		rs_buf_release(&p.v[i].value);
	}
	free(p.v);
	return rv < 0 ? -1 : added;
}
