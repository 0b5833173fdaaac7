/*
 * render.c: a bundle in the form a device needs. Every form says what it holds and which profile made it, in a
 * comment, or in a manifest beside it when the form has no room for comments (DER files, ESP-IDF bundles).
 * The library only makes bytes; the caller writes the files.
 */
#include "bundle.h"

#include <ctype.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MANIFEST "rootshift-bundle.txt"

struct file {
	char *name;
	unsigned char *data;
	size_t len;
};

struct rs_bundle_files {
	struct file *v;
	size_t n;
	size_t payload;
};

/* A buffer that remembers a failed allocation, so a writer checks once at the end. */
struct out {
	struct rs_buf b;
	int bad;
};

static void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;

	if (o->bad)
		return;
	va_start(ap, fmt);
	if (rs_buf_vaddf(&o->b, fmt, ap) < 0)
		o->bad = 1;
	va_end(ap);
}

static void put_bytes(struct out *o, const void *p, size_t len)
{
	if (!o->bad && rs_buf_add(&o->b, p, len) < 0)
		o->bad = 1;
}

/* Text from a profile, made safe for any comment: no control characters, no comment terminator. */
static void put_text(struct out *o, const char *s)
{
	for (; *s; s++) {
		char c = (unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s;
		if (c == '*' && s[1] == '/')
			c = '+';
		put_bytes(o, &c, 1);
	}
}

/* ---- the description every form carries ---- */

static const char *choice(const struct rs_bundle *b)
{
	if (b->opts.minimal)
		return b->opts.keep_old ? "the smallest set that validates every catalog intermediate valid at that time, "
					  "with the old roots kept (--minimal --keep-old)"
					: "the smallest set that validates every catalog intermediate valid at that time "
					  "(--minimal)";
	if (b->opts.keep_old)
		return "the profile's required and recommended roots and its old roots (--keep-old)";
	for (size_t i = 0; i < b->notes.n; i++)
		if (!strcmp(b->notes.v[i].code, "old-kept"))
			return "the profile's required and recommended roots, and its old root inside the migration window";
	return "the profile's required and recommended roots";
}

static void describe_head(struct out *o, const struct rs_bundle *b, const char *pre, const char *format)
{
	const struct rs_profile *p = b->p;
	char t[32];

	put(o, "%sTrust bundle for profile %s: ", pre, rs_profile_id(p));
	put_text(o, rs_profile_name(p));
	put(o, "\n%sMade by rootshift %s, format %s, for %s: %s.\n", pre, rs_version(), format, rs_time_format(b->at, t, 32),
	    choice(b));
	put(o, "%s%zu root%s, %zu bytes of DER.\n", pre, b->n, b->n == 1 ? "" : "s", rs_bundle_der_bytes(b));
}

static void describe_root(struct out *o, const struct rs_bundle *b, size_t i, const char *pre)
{
	const struct rs_bundle_root *r = &b->v[i];
	const struct rs_cert *c = r->cert;
	char t1[32], t2[32];
	size_t len;

	rs_cert_der(c, &len);
	put(o, "%s", pre);
	put_text(o, rs_known_name(r->known));
	put(o, " (");
	put_text(o, rs_known_id(r->known));
	put(o, ")\n%s  subject ", pre);
	put_text(o, rs_cert_subject(c));
	put(o, "\n%s  SHA-256 %s\n", pre, rs_cert_sha256(c));
	put(o, "%s  valid %s to %s; %s %d, %s; %zu bytes DER\n", pre, rs_time_format(rs_cert_not_before(c), t1, 32),
	    rs_time_format(rs_cert_not_after(c), t2, 32), rs_cert_key_type(c), rs_cert_key_bits(c), rs_cert_sig_alg(c),
	    len);
	put(o, "%s  why: ", pre);
	put_text(o, r->why);
	put(o, "\n");
}

static void describe_all(struct out *o, const struct rs_bundle *b, const char *pre, const char *format)
{
	size_t i;

	describe_head(o, b, pre, format);
	for (i = 0; i < b->n; i++) {
		put(o, "%s\n", pre[0] == ' ' ? " *" : pre[0] ? "#" : "");
		describe_root(o, b, i, pre);
	}
}

/* ---- the file list ---- */

/* Takes o's bytes: into f, or freed when it fails (the leak test_allocfail found under LeakSanitizer). */
static int add_file(struct rs_bundle_files *f, const char *name, struct out *o, struct rs_error *err)
{
	struct file *nv;

	if (o->bad || !(nv = realloc(f->v, (f->n + 1) * sizeof(*nv)))) {
		rs_buf_release(&o->b);
		return rs_fail(err, RS_ERR_NOMEM, "out of memory");
	}
	f->v = nv;
	if (!(nv[f->n].name = rs_strdup(name))) {
		rs_buf_release(&o->b);
		return rs_fail(err, RS_ERR_NOMEM, "out of memory");
	}
	nv[f->n].len = o->b.len;
	nv[f->n].data = (unsigned char *)rs_buf_detach(&o->b);
	f->n++;
	return 0;
}

static int add_manifest(struct rs_bundle_files *f, const struct rs_bundle *b, const char *name, const char *format,
			struct rs_error *err)
{
	struct out o = { RS_BUF_INIT, 0 };

	describe_all(&o, b, "", format);
	return add_file(f, name, &o, err);
}

/* ---- PEM ---- */

/* One PEM block with the given line end; returns its size. */
static size_t put_pem(struct out *o, const struct rs_cert *c, const char *eol, const char *open, const char *close)
{
	size_t len, i, n, start = o->b.len;
	const unsigned char *der = rs_cert_der(c, &len);
	char *b64 = rs_base64_encode(der, len);

	if (!b64) {
		o->bad = 1;
		return 0;
	}
	n = strlen(b64);
	put(o, "%s-----BEGIN CERTIFICATE-----%s%s", open, eol, close);
	for (i = 0; i < n; i += 64) {
		put(o, "%s", open);
		put_bytes(o, b64 + i, n - i < 64 ? n - i : 64);
		put(o, "%s%s", eol, close);
	}
	put(o, "%s-----END CERTIFICATE-----%s%s", open, eol, close);
	free(b64);
	return o->b.len - start;
}

static int render_pem(struct rs_bundle_files *f, const struct rs_bundle *b, const char *name, struct rs_error *err)
{
	struct out o = { RS_BUF_INIT, 0 };
	size_t i;

	describe_head(&o, b, "# ", "pem");
	for (i = 0; i < b->n; i++) {
		put(&o, "\n");
		describe_root(&o, b, i, "# ");
		f->payload += put_pem(&o, b->v[i].cert, "\n", "", "");
	}
	return add_file(f, name, &o, err);
}

/* ---- directories ---- */

/* update-ca-certificates style: the name with spaces as underscores, ".crt"; a clash gets "_2", "_3". */
static void crt_name(const struct rs_bundle_files *f, const char *name, char *buf, size_t size)
{
	char base[200];
	size_t i, j, k;
	int n = 1;

	for (i = j = 0; name[i] && j + 1 < sizeof(base); i++)
		base[j++] = isalnum((unsigned char)name[i]) || name[i] == '.' || name[i] == '-' ? name[i] : '_';
	base[j] = '\0';
	for (;;) {
		if (n == 1)
			snprintf(buf, size, "%s.crt", base);
		else
			snprintf(buf, size, "%s_%d.crt", base, n);
		for (k = 0; k < f->n && strcmp(f->v[k].name, buf); k++)
			;
		if (k == f->n)
			return;
		n++;
	}
}

/* openssl rehash: the subject name hash (X509_NAME_hash_ex) and the first free ".N". */
static int hash_name(const struct rs_bundle_files *f, const struct rs_cert *c, char *buf, size_t size,
		     struct rs_error *err)
{
	int ok = 0, n;
	size_t k;
	unsigned long h = X509_NAME_hash_ex(X509_get_subject_name(rs_cert_get0_x509(c)), NULL, NULL, &ok);

	if (!ok)
		return rs_fail_ssl(err, RS_ERR_INTERNAL, "cannot hash the subject of '%s'", rs_cert_subject(c));
	for (n = 0;; n++) {
		snprintf(buf, size, "%08lx.%d", h, n);
		for (k = 0; k < f->n && strcmp(f->v[k].name, buf); k++)
			;
		if (k == f->n)
			return 0;
	}
}

static int render_dir(struct rs_bundle_files *f, const struct rs_bundle *b, enum rs_bundle_format fmt,
		      struct rs_error *err)
{
	char name[256];
	size_t i, len;

	for (i = 0; i < b->n; i++) {
		struct out o = { RS_BUF_INIT, 0 };
		const struct rs_cert *c = b->v[i].cert;
		if (fmt == RS_BUNDLE_HASHED_DIR) {
			if (hash_name(f, c, name, sizeof(name), err) < 0)
				return -1;
		} else
			crt_name(f, rs_known_name(b->v[i].known), name, sizeof(name));
		if (fmt == RS_BUNDLE_DER_DIR) {
			const unsigned char *der = rs_cert_der(c, &len);
			put_bytes(&o, der, len);
			f->payload += len;
		} else {
			describe_root(&o, b, i, "# ");
			f->payload += put_pem(&o, c, "\n", "", "");
		}
		if (add_file(f, name, &o, err) < 0) {
			rs_buf_release(&o.b);
			return -1;
		}
	}
	return add_manifest(f, b, MANIFEST, rs_bundle_format_name(fmt), err);
}

/* ---- C ---- */

static int is_ident(const char *s)
{
	if (!*s || !(isalpha((unsigned char)*s) || *s == '_'))
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_')
			return 0;
	return 1;
}

/* "digicert-global-root-g2" -> "digicert_global_root_g2"; anything else than [A-Za-z0-9] becomes '_'. */
static void put_ident_part(struct out *o, const char *s, int upper)
{
	for (; *s; s++) {
		char c = isalnum((unsigned char)*s) ? *s : '_';
		c = upper ? (char)toupper((unsigned char)c) : c;
		put_bytes(o, &c, 1);
	}
}

static void put_c_head(struct out *o, const struct rs_bundle *b, const char *file, const char *format)
{
	put(o, "/*\n * ");
	put_text(o, file);
	put(o, ": generated by rootshift; do not edit, make it again with 'rootshift bundle'.\n *\n");
	describe_all(o, b, " * ", format);
	put(o, " */\n");
}

static void put_guard(struct out *o, const char *stem, int open)
{
	if (open) {
		put(o, "#ifndef ");
		put_ident_part(o, stem, 1);
		put(o, "_H\n#define ");
		put_ident_part(o, stem, 1);
		put(o, "_H\n\n#include <stddef.h>\n\n#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n");
	} else {
		put(o, "\n#ifdef __cplusplus\n}\n#endif\n\n#endif /* ");
		put_ident_part(o, stem, 1);
		put(o, "_H */\n");
	}
}

static void put_root_comment(struct out *o, const struct rs_bundle *b, size_t i)
{
	char t[32];

	put(o, "/* ");
	put_text(o, rs_known_name(b->v[i].known));
	put(o, ", SHA-256 %s, valid to %s */\n", rs_cert_sha256(b->v[i].cert),
	    rs_time_format(rs_cert_not_after(b->v[i].cert), t, 32));
}

static int render_c_pem(struct rs_bundle_files *f, const struct rs_bundle *b, const char *stem, const char *ident,
			struct rs_error *err)
{
	struct out c = { RS_BUF_INIT, 0 }, h = { RS_BUF_INIT, 0 };
	char cname[300], hname[300];
	size_t i, size = 0;

	snprintf(cname, sizeof(cname), "%s.c", stem);
	snprintf(hname, sizeof(hname), "%s.h", stem);
	put_c_head(&c, b, cname, "c-pem");
	put(&c, "\n#include \"%s\"\n\n/* Concatenated PEM with \\r\\n line ends, as the Azure IoT C SDK's certs.c. */\n"
		"const char %s[] =\n", hname, ident);
	for (i = 0; i < b->n; i++) {
		put_root_comment(&c, b, i);
		put_pem(&c, b->v[i].cert, "\\r\\n", "\"", "\"\n");
	}
	put(&c, ";\n");
	/* the string's size: each escaped "\r\n" of the source is 2 bytes */
	for (i = 0; i < b->n; i++) {
		struct out tmp = { RS_BUF_INIT, 0 };
		size += put_pem(&tmp, b->v[i].cert, "\r\n", "", "");
		rs_buf_release(&tmp.b);
	}
	f->payload = size + 1;
	put_c_head(&h, b, hname, "c-pem");
	put_guard(&h, stem, 1);
	put(&h, "/*\n * %zu root certificate%s as one NUL-terminated PEM string; for the Azure IoT C SDK:\n"
		" * IoTHubDeviceClient_LL_SetOption(handle, OPTION_TRUSTED_CERT, %s); for mbedTLS:\n"
		" * mbedtls_x509_crt_parse(&ca, (const unsigned char *)%s, ",
	    b->n, b->n == 1 ? "" : "s", ident, ident);
	put_ident_part(&h, ident, 1);
	put(&h, "_SIZE).\n */\nextern const char %s[];\n#define ", ident);
	put_ident_part(&h, ident, 1);
	put(&h, "_COUNT %zu\n#define ", b->n);
	put_ident_part(&h, ident, 1);
	put(&h, "_SIZE %zu /* bytes, with the NUL */\n", size + 1);
	put_guard(&h, stem, 0);
	if (add_file(f, cname, &c, err) < 0 || add_file(f, hname, &h, err) < 0) {
		rs_buf_release(&c.b);
		rs_buf_release(&h.b);
		return -1;
	}
	return 0;
}

static void put_array_body(struct out *o, const unsigned char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		put(o, "%s0x%02x,%s", i % 12 ? " " : "\t", p[i], i % 12 == 11 || i + 1 == len ? "\n" : "");
}

static void put_root_ident(struct out *o, const char *ident, const struct rs_known *k)
{
	put(o, "%s_", ident);
	put_ident_part(o, rs_known_id(k), 0);
}

static int render_c_der(struct rs_bundle_files *f, const struct rs_bundle *b, const char *stem, const char *ident,
			struct rs_error *err)
{
	struct out c = { RS_BUF_INIT, 0 }, h = { RS_BUF_INIT, 0 };
	char cname[300], hname[300];
	size_t i, len;

	snprintf(cname, sizeof(cname), "%s.c", stem);
	snprintf(hname, sizeof(hname), "%s.h", stem);
	put_c_head(&c, b, cname, "c-der");
	put(&c, "\n#include \"%s\"\n", hname);
	put_c_head(&h, b, hname, "c-der");
	put_guard(&h, stem, 1);
	put(&h, "/*\n * One DER array per root, because mbedTLS reads one certificate per call:\n"
		" *   for (i = 0; i < ");
	put_ident_part(&h, ident, 1);
	put(&h, "_COUNT; i++)\n *       mbedtls_x509_crt_parse_der(&ca, %s[i], %s_len[i]);\n */\n#define ", ident, ident);
	put_ident_part(&h, ident, 1);
	put(&h, "_COUNT %zu\n", b->n);
	for (i = 0; i < b->n; i++) {
		const unsigned char *der = rs_cert_der(b->v[i].cert, &len);
		f->payload += len;
		put(&c, "\n");
		put_root_comment(&c, b, i);
		put(&c, "const unsigned char ");
		put_root_ident(&c, ident, b->v[i].known);
		put(&c, "[%zu] = {\n", len);
		put_array_body(&c, der, len);
		put(&c, "};\n");
		put(&h, "extern const unsigned char ");
		put_root_ident(&h, ident, b->v[i].known);
		put(&h, "[%zu]; /* ", len);
		put_text(&h, rs_known_name(b->v[i].known));
		put(&h, " */\n");
	}
	put(&c, "\nconst unsigned char *const %s[", ident);
	put_ident_part(&c, ident, 1);
	put(&c, "_COUNT] = {\n");
	for (i = 0; i < b->n; i++) {
		put(&c, "\t");
		put_root_ident(&c, ident, b->v[i].known);
		put(&c, ",\n");
	}
	put(&c, "};\n\nconst size_t %s_len[", ident);
	put_ident_part(&c, ident, 1);
	put(&c, "_COUNT] = {\n");
	for (i = 0; i < b->n; i++) {
		put(&c, "\tsizeof ");
		put_root_ident(&c, ident, b->v[i].known);
		put(&c, ",\n");
	}
	put(&c, "};\n");
	put(&h, "extern const unsigned char *const %s[", ident);
	put_ident_part(&h, ident, 1);
	put(&h, "_COUNT];\nextern const size_t %s_len[", ident);
	put_ident_part(&h, ident, 1);
	put(&h, "_COUNT];\n");
	put_guard(&h, stem, 0);
	if (add_file(f, cname, &c, err) < 0 || add_file(f, hname, &h, err) < 0) {
		rs_buf_release(&c.b);
		rs_buf_release(&h.b);
		return -1;
	}
	return 0;
}

/* ---- ESP-IDF x509_crt_bundle ---- */

struct entry {
	unsigned char *name, *key;
	int nlen, klen;
};

static int entry_cmp(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int n = x->nlen < y->nlen ? x->nlen : y->nlen, c = memcmp(x->name, y->name, (size_t)n);

	return c ? c : (x->nlen > y->nlen) - (x->nlen < y->nlen);
}

static void put_u16(struct out *o, unsigned v, int big)
{
	unsigned char p[2];

	p[big ? 0 : 1] = (unsigned char)(v >> 8);
	p[big ? 1 : 0] = (unsigned char)v;
	put_bytes(o, p, 2);
}

static void put_u32le(struct out *o, unsigned long v)
{
	unsigned char p[4] = { (unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
			       (unsigned char)(v >> 24) };

	put_bytes(o, p, 4);
}

/*
 * gen_crt_bundle.py's layouts, entries sorted by subject DER (the device searches them by name):
 * current: n u32 LE offsets, then [name len u16 LE][key len u16 LE][name][key]...;
 * legacy: [count u16 BE], then [name len u16 BE][key len u16 BE][name][key]...
 */
static int render_esp_idf(struct rs_bundle_files *f, const struct rs_bundle *b, const char *name, int legacy,
			  struct rs_error *err)
{
	struct entry *e = calloc(b->n + 1, sizeof(*e));
	struct out o = { RS_BUF_INIT, 0 };
	char manifest[300];
	unsigned long off;
	size_t i;
	int rv = -1;

	if (!e)
		return rs_fail(err, RS_ERR_NOMEM, "out of memory");
	for (i = 0; i < b->n; i++) {
		X509 *x = rs_cert_get0_x509(b->v[i].cert);
		e[i].nlen = i2d_X509_NAME(X509_get_subject_name(x), &e[i].name);
		e[i].klen = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(x), &e[i].key);
		if (e[i].nlen <= 0 || e[i].klen <= 0 || e[i].nlen > 0xffff || e[i].klen > 0xffff) {
			rs_fail_ssl(err, RS_ERR_INTERNAL, "cannot encode the name and key of '%s'",
				    rs_cert_subject(b->v[i].cert));
			goto out;
		}
	}
	qsort(e, b->n, sizeof(*e), entry_cmp);
	if (legacy)
		put_u16(&o, (unsigned)b->n, 1);
	for (i = 0, off = 4 * b->n; !legacy && i < b->n; off += 4 + (unsigned long)e[i].nlen + (unsigned long)e[i].klen, i++)
		put_u32le(&o, off);
	for (i = 0; i < b->n; i++) {
		put_u16(&o, (unsigned)e[i].nlen, legacy);
		put_u16(&o, (unsigned)e[i].klen, legacy);
		put_bytes(&o, e[i].name, (size_t)e[i].nlen);
		put_bytes(&o, e[i].key, (size_t)e[i].klen);
	}
	f->payload = o.b.len;
	snprintf(manifest, sizeof(manifest), "%s.txt", name);
	if (add_file(f, name, &o, err) < 0 ||
	    add_manifest(f, b, manifest, legacy ? "esp-idf (legacy layout)" : "esp-idf", err) < 0)
		goto out;
	rv = 0;
out:
	rs_buf_release(&o.b);
	for (i = 0; i < b->n; i++) {
		OPENSSL_free(e[i].name);
		OPENSSL_free(e[i].key);
	}
	free(e);
	return rv;
}

/* ---- BearSSL trust anchors ---- */

static const char *br_curve(const char *group)
{
	if (!strcmp(group, "prime256v1") || !strcmp(group, "P-256"))
		return "BR_EC_secp256r1";
	if (!strcmp(group, "secp384r1") || !strcmp(group, "P-384"))
		return "BR_EC_secp384r1";
	if (!strcmp(group, "secp521r1") || !strcmp(group, "P-521"))
		return "BR_EC_secp521r1";
	return NULL;
}

static void put_array(struct out *o, size_t *payload, size_t i, const char *part, const unsigned char *p,
		      size_t len)
{
	*payload += len;
	put(o, "\nstatic const unsigned char TA%zu_%s[] = {\n", i, part);
	put_array_body(o, p, len);
	put(o, "};\n");
}

static void put_bn(struct out *o, size_t *payload, size_t i, const char *part, const BIGNUM *bn)
{
	unsigned char buf[1024];
	int n = BN_num_bytes(bn);

	if (n <= 0 || (size_t)n > sizeof(buf)) {
		o->bad = 1;
		return;
	}
	BN_bn2bin(bn, buf);
	put_array(o, payload, i, part, buf, (size_t)n);
}

/* The key arrays of root i; *curve is set for EC keys. 0, or -1 when the key cannot be a BearSSL anchor. */
static int put_key(struct out *o, size_t *payload, size_t i, const struct rs_cert *c, const char **curve,
		   struct rs_error *err)
{
	X509 *x = rs_cert_get0_x509(c);
	EVP_PKEY *pk = X509_get0_pubkey(x);
	BIGNUM *n = NULL, *e = NULL;
	char group[64];
	const ASN1_BIT_STRING *q;

	*curve = NULL;
	if (pk && EVP_PKEY_is_a(pk, "RSA")) {
		if (!EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_RSA_N, &n) ||
		    !EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_RSA_E, &e)) {
			BN_free(n);
			return rs_fail_ssl(err, RS_ERR_INTERNAL, "cannot read the RSA key of '%s'", rs_cert_subject(c));
		}
		put_bn(o, payload, i, "RSA_N", n);
		put_bn(o, payload, i, "RSA_E", e);
		BN_free(n);
		BN_free(e);
		return 0;
	}
	if (pk && EVP_PKEY_is_a(pk, "EC") &&
	    EVP_PKEY_get_utf8_string_param(pk, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group), NULL) &&
	    (*curve = br_curve(group)) && (q = X509_get0_pubkey_bitstr(x))) {
		put_array(o, payload, i, "EC_Q", q->data, (size_t)q->length);
		return 0;
	}
	return rs_fail(err, RS_ERR_USAGE, "the key of '%s' (%s) cannot be a BearSSL trust anchor (RSA and EC P-256, "
		       "P-384, P-521 only)", rs_cert_subject(c), rs_cert_key_type(c));
}

static int render_bearssl(struct rs_bundle_files *f, const struct rs_bundle *b, const char *name,
			  struct rs_error *err)
{
	struct out o = { RS_BUF_INIT, 0 };
	const char **curves = calloc(b->n + 1, sizeof(*curves));
	unsigned char *dn = NULL;
	char stem[256];
	size_t i;
	int len, rv = -1;

	if (!curves)
		return rs_fail(err, RS_ERR_NOMEM, "out of memory");
	snprintf(stem, sizeof(stem), "%.*s", (int)(strlen(name) > 2 && !strcmp(name + strlen(name) - 2, ".h")
						   ? strlen(name) - 2 : strlen(name)), name);
	put_c_head(&o, b, name, "bearssl");
	put_guard(&o, stem, 1);
	put(&o, "#include <bearssl.h>\n");
	for (i = 0; i < b->n; i++) {
		X509 *x = rs_cert_get0_x509(b->v[i].cert);
		dn = NULL;
		if ((len = i2d_X509_NAME(X509_get_subject_name(x), &dn)) <= 0) {
			rs_fail_ssl(err, RS_ERR_INTERNAL, "cannot encode the name of '%s'", rs_cert_subject(b->v[i].cert));
			goto out;
		}
		put(&o, "\n");
		put_root_comment(&o, b, i);
		put_array(&o, &f->payload, i, "DN", dn, (size_t)len);
		OPENSSL_free(dn);
		dn = NULL;
		if (put_key(&o, &f->payload, i, b->v[i].cert, &curves[i], err) < 0)
			goto out;
	}
	put(&o, "\nstatic const br_x509_trust_anchor TAs[%zu] = {\n", b->n);
	for (i = 0; i < b->n; i++) {
		put(&o, "\t{\n\t\t{ (unsigned char *)TA%zu_DN, sizeof TA%zu_DN },\n\t\tBR_X509_TA_CA,\n\t\t{\n", i, i);
		if (curves[i])
			put(&o, "\t\t\tBR_KEYTYPE_EC,\n\t\t\t{ .ec = {\n\t\t\t\t%s,\n"
				"\t\t\t\t(unsigned char *)TA%zu_EC_Q, sizeof TA%zu_EC_Q,\n\t\t\t} }\n",
			    curves[i], i, i);
		else
			put(&o, "\t\t\tBR_KEYTYPE_RSA,\n\t\t\t{ .rsa = {\n"
				"\t\t\t\t(unsigned char *)TA%zu_RSA_N, sizeof TA%zu_RSA_N,\n"
				"\t\t\t\t(unsigned char *)TA%zu_RSA_E, sizeof TA%zu_RSA_E,\n\t\t\t} }\n",
			    i, i, i, i);
		put(&o, "\t\t}\n\t},\n");
	}
	put(&o, "};\n\n#define TAs_NUM %zu\n", b->n);
	put_guard(&o, stem, 0);
	if (add_file(f, name, &o, err) < 0)
		goto out;
	rv = 0;
out:
	OPENSSL_free(dn);
	rs_buf_release(&o.b);
	free(curves);
	return rv;
}

/* ---- the public face ---- */

static const char *const format_names[] = { "pem", "der-dir", "pem-dir", "hashed-dir",
					    "c-pem", "c-der", "esp-idf", "bearssl" };

const char *rs_bundle_format_name(enum rs_bundle_format format)
{
	return (size_t)format < RS_ARRAY_LEN(format_names) ? format_names[format] : "?";
}

int rs_bundle_format_parse(const char *name, enum rs_bundle_format *out, struct rs_error *err)
{
	size_t i;

	for (i = 0; name && i < RS_ARRAY_LEN(format_names); i++)
		if (!strcmp(name, format_names[i])) {
			*out = (enum rs_bundle_format)i;
			return 0;
		}
	return rs_fail(err, RS_ERR_USAGE, "unknown bundle format '%s' (use pem, der-dir, pem-dir, hashed-dir, c-pem, "
		       "c-der, esp-idf or bearssl)", name ? name : "");
}

int rs_bundle_format_is_dir(enum rs_bundle_format format)
{
	return format == RS_BUNDLE_DER_DIR || format == RS_BUNDLE_PEM_DIR || format == RS_BUNDLE_HASHED_DIR;
}

/* The file stem of a C output: "certs.c" and "certs" both give "certs". */
static void c_stem(const char *file, char *buf, size_t size)
{
	size_t n = strlen(file);

	if (n > 2 && !strcmp(file + n - 2, ".c"))
		n -= 2;
	snprintf(buf, size, "%.*s", (int)n, file);
}

static int render(struct rs_bundle_files *f, const struct rs_bundle *b, enum rs_bundle_format fmt,
		  const struct rs_bundle_render_opts *o, struct rs_error *err)
{
	char stem[256];
	const char *ident = o->ident ? o->ident : fmt == RS_BUNDLE_C_PEM ? "certificates" : "trusted_roots";

	if ((fmt == RS_BUNDLE_C_PEM || fmt == RS_BUNDLE_C_DER) && !is_ident(ident))
		return rs_fail(err, RS_ERR_USAGE, "'%s' is not a C identifier", ident);
	if (o->file && (!*o->file || strchr(o->file, '/')))
		return rs_fail(err, RS_ERR_USAGE, "'%s' is not a file name (no directory part)", o->file);
	switch (fmt) {
	case RS_BUNDLE_PEM:
		return render_pem(f, b, o->file ? o->file : "bundle.pem", err);
	case RS_BUNDLE_DER_DIR:
	case RS_BUNDLE_PEM_DIR:
	case RS_BUNDLE_HASHED_DIR:
		return render_dir(f, b, fmt, err);
	case RS_BUNDLE_C_PEM:
	case RS_BUNDLE_C_DER:
		c_stem(o->file ? o->file : fmt == RS_BUNDLE_C_PEM ? "certs" : "roots", stem, sizeof(stem));
		return fmt == RS_BUNDLE_C_PEM ? render_c_pem(f, b, stem, ident, err) : render_c_der(f, b, stem, ident, err);
	case RS_BUNDLE_ESP_IDF:
		return render_esp_idf(f, b, o->file ? o->file : "x509_crt_bundle", o->esp_idf_legacy, err);
	case RS_BUNDLE_BEARSSL:
		return render_bearssl(f, b, o->file ? o->file : "trust_anchors.h", err);
	}
	return rs_fail(err, RS_ERR_USAGE, "unknown bundle format %d", (int)fmt);
}

struct rs_bundle_files *rs_bundle_render(const struct rs_bundle *b, enum rs_bundle_format format,
					 const struct rs_bundle_render_opts *opts, struct rs_error *err)
{
	static const struct rs_bundle_render_opts defaults = { NULL, NULL, 0 };
	struct rs_bundle_files *f;

	if (!b || rs_bundle_problem_count(b) || !rs_bundle_count(b)) {
		rs_fail(err, RS_ERR_USAGE, "a bundle with problems or without roots cannot be written");
		return NULL;
	}
	if (!(f = calloc(1, sizeof(*f)))) {
		rs_fail(err, RS_ERR_NOMEM, "out of memory");
		return NULL;
	}
	if (render(f, b, format, opts ? opts : &defaults, err) < 0) {
		rs_bundle_files_free(f);
		return NULL;
	}
	return f;
}

void rs_bundle_files_free(struct rs_bundle_files *files)
{
	size_t i;

	if (!files)
		return;
	for (i = 0; i < files->n; i++) {
		free(files->v[i].name);
		free(files->v[i].data);
	}
	free(files->v);
	free(files);
}

size_t rs_bundle_files_count(const struct rs_bundle_files *files) { return files ? files->n : 0; }
const char *rs_bundle_files_name_at(const struct rs_bundle_files *files, size_t i)
{
	return i < files->n ? files->v[i].name : NULL;
}
const unsigned char *rs_bundle_files_data_at(const struct rs_bundle_files *files, size_t i, size_t *len)
{
	if (i >= files->n)
		return NULL;
	if (len)
		*len = files->v[i].len;
	return files->v[i].data;
}
size_t rs_bundle_files_payload(const struct rs_bundle_files *files) { return files ? files->payload : 0; }
