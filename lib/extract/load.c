/*
 * load.c: certificates from files, directories and memory. The content decides the format: PEM blocks anywhere
 * in the text, else DER (one or more concatenated certificates), PKCS#7 or PKCS#12.
 */
#include "internal.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/pkcs7.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define DEFAULT_MAX_FILE (64u << 20)
#define MAX_DIR_DEPTH 32

struct loader {
	struct rs_certlist *out;
	const struct rs_load_opts *opts;
	const char *name;
	struct rs_error *err;
	size_t found;
};

static int add_x509(struct loader *ld, X509 *x, long line, long long offset, const char *encoding)
{
	struct rs_location loc = { ld->name, line, offset, encoding };
	struct rs_error cerr;
	struct rs_cert *c = rs_cert_from_x509_ex(x, ld->opts && ld->opts->keep_malformed, &cerr);
	int rv;

	if (!c) {
		if (line > 0)
			return rs_fail(ld->err, cerr.code, "'%s' line %ld: %s", ld->name, line, cerr.message);
		return rs_fail(ld->err, cerr.code, "'%s' at byte %lld: %s", ld->name, offset, cerr.message);
	}
	rv = rs_certlist_add(ld->out, c, &loc, ld->err);
	rs_cert_free(c);
	if (rv == 0)
		ld->found++;
	return rv;
}

static int add_stack(struct loader *ld, STACK_OF(X509) *certs, long line, long long offset, const char *encoding)
{
	int i;

	for (i = 0; i < sk_X509_num(certs); i++)
		if (add_x509(ld, sk_X509_value(certs, i), line, offset, encoding) < 0)
			return -1;
	return 0;
}

static int add_pkcs7(struct loader *ld, PKCS7 *p7, long line, long long offset, const char *encoding)
{
	STACK_OF(X509) *certs = NULL;

	if (PKCS7_type_is_signed(p7) && p7->d.sign)
		certs = p7->d.sign->cert;
	else if (PKCS7_type_is_signedAndEnveloped(p7) && p7->d.signed_and_enveloped)
		certs = p7->d.signed_and_enveloped->cert;
	return certs ? add_stack(ld, certs, line, offset, encoding) : 0;
}

static long line_of(const unsigned char *buf, size_t off)
{
	long line = 1;
	size_t i;

	for (i = 0; i < off; i++)
		line += buf[i] == '\n';
	return line;
}

static int decode_block(struct loader *ld, const char *label, const unsigned char *der, long len, long line,
			long long off)
{
	const unsigned char *p = der;
	X509 *x = NULL;
	PKCS7 *p7;
	int rv;

	if (!strcmp(label, "PKCS7") || !strcmp(label, "CMS")) {
		if (!(p7 = d2i_PKCS7(NULL, &p, len)))
			return rs_fail_ssl(ld->err, RS_ERR_PARSE, "cannot parse '%s' line %ld: bad PKCS#7 block", ld->name, line);
		rv = add_pkcs7(ld, p7, line, off, "pkcs7-pem");
		PKCS7_free(p7);
		return rv;
	}
	x = !strcmp(label, "TRUSTED CERTIFICATE") ? d2i_X509_AUX(NULL, &p, len) : d2i_X509(NULL, &p, len);
	if (!x)
		return rs_fail_ssl(ld->err, RS_ERR_PARSE, "cannot parse '%s' line %ld: bad certificate", ld->name, line);
	rv = add_x509(ld, x, line, off, "pem");
	X509_free(x);
	return rv;
}

static int is_cert_label(const char *label)
{
	return !strcmp(label, "CERTIFICATE") || !strcmp(label, "X509 CERTIFICATE") ||
	       !strcmp(label, "TRUSTED CERTIFICATE") || !strcmp(label, "PKCS7") || !strcmp(label, "CMS");
}

/* The indentation before buf[off] on its line (spaces and tabs only), or 0. */
static size_t indent_of(const unsigned char *buf, size_t off)
{
	size_t i = off;

	while (i > 0 && (buf[i - 1] == ' ' || buf[i - 1] == '\t'))
		i--;
	return i == 0 || buf[i - 1] == '\n' ? off - i : 0;
}

/*
 * A PEM block indented as YAML and Kubernetes ConfigMaps hold it ("ca.crt: |" then the block two spaces in): the
 * block from buf[off] to its END line, with each line's leading spaces and tabs removed, malloc'd in *out; *end is
 * where the END line ends in buf. Returns 0, 1 when no END line follows, -1 no memory.
 */
static int dedent_block(const unsigned char *buf, size_t len, size_t off, char **out, size_t *outlen, size_t *end)
{
	char *v = malloc(len - off + 1);
	size_t i = off, n = 0;

	if (!v)
		return -1;
	while (i < len) {
		size_t start = n;
		while (i < len && (buf[i] == ' ' || buf[i] == '\t'))
			i++;
		while (i < len && buf[i] != '\n')
			v[n++] = (char)buf[i++];
		if (i < len)
			v[n++] = (char)buf[i++];
		if (n - start >= 9 && !memcmp(v + start, "-----END ", 9)) {
			*out = v;
			*outlen = n;
			*end = i;
			return 0;
		}
	}
	free(v);
	return 1;
}

static int read_block(struct loader *ld, const unsigned char *p, size_t n, long line, long long off, size_t *used);

/* Reads the PEM block that starts at buf[off]; *used is how many bytes it took. An indented block is read with its
 * indentation removed, its line and offset those of its BEGIN line in buf. */
static int pem_block(struct loader *ld, const unsigned char *buf, size_t len, size_t off, size_t *used)
{
	char *flat;
	size_t flen, end, fused = 0;
	long line;
	int rv;

	line = line_of(buf, off);
	if (!indent_of(buf, off) || (rv = dedent_block(buf, len, off, &flat, &flen, &end)) > 0)
		return read_block(ld, buf + off, len - off, line, (long long)off, used);
	if (rv < 0)
		return rs_fail(ld->err, RS_ERR_NOMEM, "out of memory");
	rv = read_block(ld, (const unsigned char *)flat, flen, line, (long long)off, &fused);
	free(flat);
	*used = end - off;
	return rv;
}

/* Reads the PEM block at the start of p[0..n), found at line and byte off of the file; *used is how many bytes
 * it took. */
static int read_block(struct loader *ld, const unsigned char *p, size_t n, long line, long long off, size_t *used)
{
	BIO *bio = BIO_new_mem_buf(p, (int)n);
	char *label = NULL, *header = NULL;
	unsigned char *der = NULL;
	long dlen = 0;
	int rv = -1;

	if (!bio)
		return rs_fail(ld->err, RS_ERR_NOMEM, "out of memory");
	if (!PEM_read_bio(bio, &label, &header, &der, &dlen)) {
		if (rs_ssl_take_nomem()) {
			rs_fail(ld->err, RS_ERR_NOMEM, "out of memory");
			goto out;
		}
		rs_fail(ld->err, RS_ERR_PARSE, "cannot parse '%s' line %ld: truncated or corrupt PEM block", ld->name, line);
		goto out;
	}
	*used = n - (size_t)BIO_ctrl_pending(bio);
	rv = is_cert_label(label) ? decode_block(ld, label, der, dlen, line, off) : 0;
out:
	OPENSSL_free(label);
	OPENSSL_free(header);
	OPENSSL_free(der);
	BIO_free(bio);
	return rv;
}

static const unsigned char *find_begin(const unsigned char *buf, size_t len, size_t from)
{
	static const char tag[] = "-----BEGIN ";
	const size_t tlen = sizeof(tag) - 1;
	const unsigned char *p = buf + from, *end = buf + len;

	while ((size_t)(end - p) >= tlen) {
		p = memchr(p, '-', (size_t)(end - p) - tlen + 1);
		if (!p)
			return NULL;
		if (!memcmp(p, tag, tlen))
			return p;
		p++;
	}
	return NULL;
}

static int load_pem(struct loader *ld, const unsigned char *buf, size_t len)
{
	const unsigned char *p;
	size_t off = 0, used = 0;

	while ((p = find_begin(buf, len, off)) != NULL) {
		if (pem_block(ld, buf, len, (size_t)(p - buf), &used) < 0)
			return -1;
		off = (size_t)(p - buf) + (used ? used : 1);
	}
	return 0;
}

static int load_der_certs(struct loader *ld, const unsigned char *buf, size_t len)
{
	size_t off = 0;

	while (off < len) {
		const unsigned char *p = buf + off;
		X509 *x = d2i_X509(NULL, &p, (long)(len - off));
		int rv;

		if (!x) {
			if (rs_ssl_take_nomem())
				return rs_fail(ld->err, RS_ERR_NOMEM, "out of memory");
			if (off == 0)
				return 1; /* not DER: let the caller try other formats */
			return rs_fail(ld->err, RS_ERR_PARSE, "cannot parse '%s' at byte %zu: data after the certificates is not a certificate",
				       ld->name, off);
		}
		rv = add_x509(ld, x, 0, (long long)off, "der");
		X509_free(x);
		if (rv < 0)
			return -1;
		off = (size_t)(p - buf);
	}
	return 0;
}

static int load_pkcs7_der(struct loader *ld, const unsigned char *buf, size_t len)
{
	const unsigned char *p = buf;
	PKCS7 *p7 = d2i_PKCS7(NULL, &p, (long)len);
	int rv;

	if (!p7) {
		if (rs_ssl_take_nomem())
			return rs_fail(ld->err, RS_ERR_NOMEM, "out of memory");
		return 1;
	}
	rv = add_pkcs7(ld, p7, 0, 0, "pkcs7-der");
	PKCS7_free(p7);
	return rv;
}

/*
 * A PKCS#12 file: the given password, else the empty and the absent password that exporters use, else "changeit",
 * the public default of Java's trust stores (keytool writes PKCS#12 since JDK 9, and the JDK's and Debian's
 * ca-certificates-java cacerts use it), so a gateway's Java trust store is read as it ships. Not a secret.
 */
static const char *pkcs12_password(struct loader *ld, PKCS12 *p12, int *ok)
{
	const char *pw = ld->opts ? ld->opts->password : NULL;

	*ok = 1;
	if (pw && PKCS12_verify_mac(p12, pw, -1))
		return pw;
	if (!pw && PKCS12_verify_mac(p12, "", 0))
		return "";
	if (!pw && PKCS12_verify_mac(p12, NULL, 0))
		return NULL;
	if (!pw && PKCS12_verify_mac(p12, "changeit", -1))
		return "changeit";
	*ok = 0;
	return NULL;
}

static int load_pkcs12(struct loader *ld, const unsigned char *buf, size_t len)
{
	const unsigned char *p = buf;
	PKCS12 *p12 = d2i_PKCS12(NULL, &p, (long)len);
	STACK_OF(X509) *ca = NULL;
	EVP_PKEY *key = NULL;
	X509 *cert = NULL;
	const char *pw;
	int ok, rv = -1;

	if (!p12) {
		if (rs_ssl_take_nomem())
			return rs_fail(ld->err, RS_ERR_NOMEM, "out of memory");
		return 1;
	}
	pw = pkcs12_password(ld, p12, &ok);
	if (!ok) {
		ERR_clear_error();
		rs_fail(ld->err, RS_ERR_PASSWORD, "cannot decrypt '%s': wrong or missing PKCS#12 password", ld->name);
		goto out;
	}
	if (!PKCS12_parse(p12, pw, &key, &cert, &ca)) {
		rs_fail_ssl(ld->err, RS_ERR_PARSE, "cannot read PKCS#12 '%s'", ld->name);
		goto out;
	}
	if (cert && add_x509(ld, cert, 0, 0, "pkcs12") < 0)
		goto out;
	rv = ca ? add_stack(ld, ca, 0, 0, "pkcs12") : 0;
out:
	EVP_PKEY_free(key);
	X509_free(cert);
	sk_X509_pop_free(ca, X509_free);
	PKCS12_free(p12);
	return rv;
}

static int load_binary(struct loader *ld, const unsigned char *buf, size_t len)
{
	int rv;

	if (len > LONG_MAX)
		return rs_fail(ld->err, RS_ERR_LIMIT, "'%s' is too large", ld->name);
	if ((rv = load_der_certs(ld, buf, len)) <= 0)
		return rv;
	if ((rv = load_pkcs7_der(ld, buf, len)) <= 0)
		return rv;
	if ((rv = load_pkcs12(ld, buf, len)) <= 0)
		return rv;
	return rs_fail(ld->err, RS_ERR_NOCERT, "no certificate in '%s': not PEM, DER, PKCS#7 or PKCS#12", ld->name);
}

static int load_buffer(struct loader *ld, const unsigned char *buf, size_t len)
{
	unsigned char *narrow;
	size_t n;
	int rv;

	if (len == 0)
		return rs_fail(ld->err, RS_ERR_EMPTY, "'%s' is empty", ld->name);
	if ((rv = rs_utf16_narrow(buf, len, &narrow, &n)) != 0) { /* saved as UTF-16 (PowerShell's `>`) */
		if (rv < 0)
			return rs_fail(ld->err, RS_ERR_NOMEM, "out of memory");
		rv = load_buffer(ld, narrow, n);
		free(narrow);
		return rv;
	}
	if (find_begin(buf, len, 0)) {
		if (load_pem(ld, buf, len) < 0)
			return -1;
		if (ld->found == 0)
			return rs_fail(ld->err, RS_ERR_NOCERT, "no certificate in '%s': its PEM blocks hold none", ld->name);
		return 0;
	}
	return load_binary(ld, buf, len);
}

int rs_load_mem(struct rs_certlist *out, const unsigned char *buf, size_t len, const char *name,
		const struct rs_load_opts *opts, struct rs_error *err)
{
	struct loader ld = { out, opts, name ? name : "(memory)", err, 0 };

	return load_buffer(&ld, buf, len);
}

static size_t max_bytes(const struct rs_load_opts *opts)
{
	return opts && opts->max_file_bytes ? opts->max_file_bytes : DEFAULT_MAX_FILE;
}

static int load_file(struct rs_certlist *out, const char *path, const struct rs_load_opts *opts,
		     struct rs_error *err)
{
	unsigned char *data = NULL;
	size_t len = 0;
	int rv;

	if (rs_read_file(path, max_bytes(opts), &data, &len, err) < 0)
		return -1;
	rv = rs_load_mem(out, data, len, path, opts, err);
	free(data);
	return rv;
}

/* Directory walking: sorted names, each real file and directory once (hashed directories are symlinks). */
struct walk {
	struct rs_certlist *out;
	const struct rs_load_opts *opts;
	struct rs_error *err;
	char **seen;
	size_t nseen;
};

static int seen_before(struct walk *w, const char *path)
{
	char *real = realpath(path, NULL), **v;
	size_t i;

	if (!real)
		return 0;
	for (i = 0; i < w->nseen; i++)
		if (!strcmp(w->seen[i], real)) {
			free(real);
			return 1;
		}
	v = realloc(w->seen, (w->nseen + 1) * sizeof(*v));
	if (!v) {
		free(real);
		return 0;
	}
	w->seen = v;
	w->seen[w->nseen++] = real;
	return 0;
}

static int walk_path(struct walk *w, const char *path, int depth, int top);

static int walk_dir(struct walk *w, const char *path, int depth)
{
	char **names = NULL;
	size_t n = 0, i;
	int rv = 0;

	if (depth > MAX_DIR_DEPTH)
		return rs_fail(w->err, RS_ERR_LIMIT, "'%s' is nested more than %d directories deep", path, MAX_DIR_DEPTH);
	if (rs_list_dir(path, &names, &n, w->err) < 0)
		return -1;
	for (i = 0; i < n && rv == 0; i++) {
		struct rs_buf child = RS_BUF_INIT;
		size_t plen = strlen(path);
		if (rs_buf_addf(&child, "%s%s%s", path, plen && path[plen - 1] == '/' ? "" : "/", names[i]) < 0)
			rv = rs_fail(w->err, RS_ERR_NOMEM, "out of memory");
		else
			rv = walk_path(w, child.data, depth + 1, 0);
		rs_buf_release(&child);
	}
	rs_free_names(names, n);
	return rv;
}

static int walk_path(struct walk *w, const char *path, int depth, int top)
{
	struct stat st;
	int rv;

	if (stat(path, &st) < 0) {
		if (!top && lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
			return 0; /* a dangling link in a directory, as /etc/ssl/certs can have */
		return rs_fail(w->err, RS_ERR_IO, "cannot open '%s': %s", path, strerror(errno));
	}
	if (seen_before(w, path))
		return 0;
	if (S_ISDIR(st.st_mode))
		return walk_dir(w, path, depth);
	if (!S_ISREG(st.st_mode))
		return top ? rs_fail(w->err, RS_ERR_IO, "'%s' is not a regular file", path) : 0;
	rv = load_file(w->out, path, w->opts, w->err);
	if (rv < 0 && !top && w->err && (w->err->code == RS_ERR_NOCERT || w->err->code == RS_ERR_EMPTY)) {
		rs_error_clear(w->err);
		return 0; /* a README or an empty file beside the certificates */
	}
	return rv;
}

int rs_load_path(struct rs_certlist *out, const char *path, const struct rs_load_opts *opts, struct rs_error *err)
{
	struct walk w = { out, opts, err, NULL, 0 };
	struct rs_error local;
	size_t i;
	int rv;

	size_t before = rs_certlist_count(out);
	struct stat st;

	if (!err)
		w.err = &local; /* the directory walk needs to see error codes */
	rv = walk_path(&w, path, 0, 1);
	if (rv == 0 && rs_certlist_count(out) == before && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		rv = rs_fail(w.err, RS_ERR_NOCERT, "no certificate in directory '%s'", path);
	for (i = 0; i < w.nseen; i++)
		free(w.seen[i]);
	free(w.seen);
	return rv;
}
