/*
 * pki.c: the lab's look-alike PKI, generated deterministically from a seed (azure-iot-facts.md 1.3 and 5.1).
 *
 * OpenSSL 3.0's key generators cannot be seeded, so keys come from our own stream: HMAC-SHA256(SHA-256(seed),
 * label || counter). RSA primes are the first probable primes at or above a stream-drawn odd start (with the top
 * two bits set, so n has exactly the requested size); EC scalars are drawn straight from the stream. RSA PKCS#1
 * v1.5 signatures are deterministic, so the RSA chains are byte-for-byte reproducible; OpenSSL 3.0's ECDSA
 * signatures are not (RFC 6979 arrived in 3.2), so the ECC certificates differ between runs, their keys do not.
 */

#include <errno.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "lab.h"

/* ---- the deterministic stream ---- */

struct drbg {
	unsigned char key[32];
	char label[64];
	uint64_t ctr;
	unsigned char block[32];
	size_t pos;
};

static void drbg_init(struct drbg *d, const char *seed, const char *label)
{
	memset(d, 0, sizeof(*d));
	SHA256((const unsigned char *)seed, strlen(seed), d->key);
	snprintf(d->label, sizeof(d->label), "%s", label);
	d->pos = sizeof(d->block);
}

static void drbg_bytes(struct drbg *d, unsigned char *out, size_t n)
{
	unsigned char msg[64 + 8];
	size_t llen = strlen(d->label), i;
	unsigned int len;

	for (i = 0; i < n; i++) {
		if (d->pos == sizeof(d->block)) {
			memcpy(msg, d->label, llen);
			for (int k = 0; k < 8; k++)
				msg[llen + (size_t)k] = (unsigned char)(d->ctr >> (56 - 8 * k));
			d->ctr++;
			HMAC(EVP_sha256(), d->key, sizeof(d->key), msg, llen + 8, d->block, &len);
			d->pos = 0;
		}
		out[i] = d->block[d->pos++];
	}
}

static void drbg_clear(struct drbg *d)
{
	OPENSSL_cleanse(d, sizeof(*d));
}

/* ---- keys ---- */

static BIGNUM *gen_prime(struct drbg *d, int bits, const BIGNUM *e, BN_CTX *bctx)
{
	unsigned char buf[512];
	size_t n = (size_t)bits / 8;
	BIGNUM *p = NULL, *pm1 = BN_new(), *g = BN_new();
	int i;

	drbg_bytes(d, buf, n);
	buf[0] |= 0xc0;
	buf[n - 1] |= 1;
	p = BN_bin2bn(buf, (int)n, NULL);
	OPENSSL_cleanse(buf, sizeof(buf));
	if (!p || !pm1 || !g)
		goto fail;
	for (i = 0; i < 1000000; i++) {
		if (BN_check_prime(p, bctx, NULL) == 1 && BN_sub(pm1, p, BN_value_one()) && BN_gcd(g, pm1, e, bctx) &&
		    BN_is_one(g) && BN_num_bits(p) == bits)
			goto done;
		if (!BN_add_word(p, 2))
			goto fail;
	}
fail:
	BN_clear_free(p);
	p = NULL;
done:
	BN_free(pm1);
	BN_free(g);
	return p;
}

static EVP_PKEY *pkey_fromdata(const char *type, OSSL_PARAM_BLD *bld)
{
	OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(bld);
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, type, NULL);
	EVP_PKEY *pkey = NULL;

	if (params && ctx && EVP_PKEY_fromdata_init(ctx) > 0)
		EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_KEYPAIR, params);
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	return pkey;
}

/* The RSA numbers from two primes (p > q); NULL on failure. */
static EVP_PKEY *rsa_from_primes(BIGNUM *p, BIGNUM *q, const BIGNUM *e, BN_CTX *bctx)
{
	BIGNUM *n = BN_new(), *d = BN_new(), *dp = BN_new(), *dq = BN_new(), *qi = BN_new(), *p1 = BN_new(),
	       *q1 = BN_new(), *phi = BN_new();
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	EVP_PKEY *pkey = NULL;

	if (BN_cmp(p, q) < 0)
		BN_swap(p, q);
	if (!n || !d || !dp || !dq || !qi || !p1 || !q1 || !phi || !bld || !BN_mul(n, p, q, bctx) ||
	    !BN_sub(p1, p, BN_value_one()) || !BN_sub(q1, q, BN_value_one()) || !BN_mul(phi, p1, q1, bctx) ||
	    !BN_mod_inverse(d, e, phi, bctx) || !BN_mod(dp, d, p1, bctx) || !BN_mod(dq, d, q1, bctx) ||
	    !BN_mod_inverse(qi, q, p, bctx))
		goto done;
	if (OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) && OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e) &&
	    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_D, d) &&
	    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_FACTOR1, p) &&
	    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_FACTOR2, q) &&
	    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_EXPONENT1, dp) &&
	    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_EXPONENT2, dq) &&
	    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_COEFFICIENT1, qi))
		pkey = pkey_fromdata("RSA", bld);
done:
	BN_free(n);
	BN_clear_free(d);
	BN_clear_free(dp);
	BN_clear_free(dq);
	BN_clear_free(qi);
	BN_clear_free(p1);
	BN_clear_free(q1);
	BN_clear_free(phi);
	OSSL_PARAM_BLD_free(bld);
	return pkey;
}

static EVP_PKEY *gen_rsa(struct drbg *d, int bits)
{
	BN_CTX *bctx = BN_CTX_new();
	BIGNUM *e = BN_new(), *p = NULL, *q = NULL;
	EVP_PKEY *pkey = NULL;

	if (!bctx || !e || !BN_set_word(e, RSA_F4))
		goto done;
	p = gen_prime(d, bits / 2, e, bctx);
	q = gen_prime(d, bits / 2, e, bctx);
	if (p && q && BN_cmp(p, q) != 0)
		pkey = rsa_from_primes(p, q, e, bctx);
done:
	BN_clear_free(p);
	BN_clear_free(q);
	BN_free(e);
	BN_CTX_free(bctx);
	return pkey;
}

static EVP_PKEY *gen_ec(struct drbg *d, const char *curve)
{
	int nid = OBJ_txt2nid(curve);
	EC_GROUP *group = EC_GROUP_new_by_curve_name(nid);
	BN_CTX *bctx = BN_CTX_new();
	BIGNUM *k = NULL, *order1 = BN_new();
	EC_POINT *pub = NULL;
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	unsigned char buf[80], pubbuf[160];
	size_t n, publen;
	EVP_PKEY *pkey = NULL;

	if (!group || !bctx || !order1 || !bld)
		goto done;
	n = (size_t)(EC_GROUP_order_bits(group) + 7) / 8 + 8; /* 64 extra bits make the modular bias negligible */
	drbg_bytes(d, buf, n);
	if (!(k = BN_bin2bn(buf, (int)n, NULL)) || !BN_sub(order1, EC_GROUP_get0_order(group), BN_value_one()) ||
	    !BN_mod(k, k, order1, bctx) || !BN_add_word(k, 1) || !(pub = EC_POINT_new(group)) ||
	    !EC_POINT_mul(group, pub, k, NULL, NULL, bctx))
		goto done;
	publen = EC_POINT_point2oct(group, pub, POINT_CONVERSION_UNCOMPRESSED, pubbuf, sizeof(pubbuf), bctx);
	if (publen && OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, OBJ_nid2sn(nid), 0) &&
	    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, k) &&
	    OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, pubbuf, publen))
		pkey = pkey_fromdata("EC", bld);
done:
	OPENSSL_cleanse(buf, sizeof(buf));
	BN_clear_free(k);
	BN_free(order1);
	EC_POINT_free(pub);
	EC_GROUP_free(group);
	BN_CTX_free(bctx);
	OSSL_PARAM_BLD_free(bld);
	return pkey;
}

/* ---- the hierarchy ---- */

struct spec {
	const char *id;
	const char *cn, *ou, *o, *c; /* real names; " (rootshift lab)" is appended to cn unless exact */
	const char *key;             /* "rsa2048", "rsa4096", "p384", "p256", or "=ID" to share ID's key */
	const char *md;              /* the issuer's signature hash */
	const char *issuer;          /* NULL: self-signed */
	int kind;                    /* 0 root, 1 intermediate, 2 leaf */
	long days_before, days_after;
};

static const struct spec specs[] = {
	{ "old-root", "Baltimore CyberTrust Root", "CyberTrust", "Baltimore", "IE", "rsa2048", "sha1", NULL, 0, 3650, 3650 },
	{ "old-ca", "Microsoft RSA TLS CA 01", NULL, "Microsoft Corporation", "US", "rsa4096", "sha256", "old-root", 1, 365, 1460 },
	{ "old-leaf", "*.azure-devices.net", NULL, NULL, NULL, "rsa2048", "sha256", "old-ca", 2, 30, 365 },
	{ "new-root", "DigiCert Global Root G2", "www.digicert.com", "DigiCert Inc", "US", "rsa2048", "sha256", NULL, 0, 3650, 7300 },
	{ "ms-root", "Microsoft RSA Root Certificate Authority 2017", NULL, "Microsoft Corporation", "US", "rsa4096", "sha384", NULL, 0, 3650, 7300 },
	{ "new-ca", "Microsoft Azure TLS Issuing CA 01", NULL, "Microsoft Corporation", "US", "rsa4096", "sha384", "new-root", 1, 365, 1460 },
	{ "new-ca-xsign", "Microsoft Azure TLS Issuing CA 01", NULL, "Microsoft Corporation", "US", "=new-ca", "sha384", "ms-root", 1, 365, 1460 },
	{ "new-leaf", "*.azure-devices.net", NULL, NULL, NULL, "rsa2048", "sha384", "new-ca", 2, 30, 365 },
	{ "next-ca1", "Microsoft TLS RSA Root G2", NULL, "Microsoft Corporation", "US", "rsa4096", "sha384", "new-root", 1, 365, 1460 },
	{ "next-ca2", "Microsoft TLS G2 RSA CA OCSP 02", NULL, "Microsoft Corporation", "US", "rsa4096", "sha384", "next-ca1", 1, 365, 1460 },
	{ "next-leaf", "*.azure-devices.net", NULL, NULL, NULL, "rsa2048", "sha384", "next-ca2", 2, 30, 365 },
	{ "ecc-root", "DigiCert Global Root G3", "www.digicert.com", "DigiCert Inc", "US", "p384", "sha384", NULL, 0, 3650, 7300 },
	{ "ecc-ca", "Microsoft Azure ECC TLS Issuing CA 01", NULL, "Microsoft Corporation", "US", "p384", "sha384", "ecc-root", 1, 365, 1460 },
	{ "ecc-leaf", "*.azure-devices.net", NULL, NULL, NULL, "p256", "sha384", "ecc-ca", 2, 30, 365 },
};
#define NSPECS (sizeof(specs) / sizeof(specs[0]))

struct made {
	X509 *cert;
	EVP_PKEY *key;
};

static int spec_index(const char *id)
{
	for (size_t i = 0; i < NSPECS; i++)
		if (!strcmp(specs[i].id, id))
			return (int)i;
	return -1;
}

static EVP_PKEY *make_key(const struct spec *s, const struct lab_init_opts *opts, const char *seed, struct made *made)
{
	struct drbg d;
	EVP_PKEY *k = NULL;

	if (s->key[0] == '=') {
		k = made[spec_index(s->key + 1)].key;
		return EVP_PKEY_up_ref(k) ? k : NULL;
	}
	drbg_init(&d, seed, s->id);
	if (!strcmp(s->key, "rsa2048"))
		k = gen_rsa(&d, 2048);
	else if (!strcmp(s->key, "rsa4096"))
		k = gen_rsa(&d, opts->fast_keys ? 2048 : 4096);
	else
		k = gen_ec(&d, s->key[1] == '3' ? "secp384r1" : "prime256v1");
	drbg_clear(&d);
	return k;
}

static int add_name(X509_NAME *name, const char *field, const char *value)
{
	return !value ||
	       X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8, (const unsigned char *)value, -1, -1, 0);
}

static X509_NAME *make_name(const struct spec *s, int exact)
{
	X509_NAME *name = X509_NAME_new();
	char cn[160];

	snprintf(cn, sizeof(cn), "%s%s", s->cn, exact || s->kind == 2 ? "" : " (rootshift lab)");
	if (!name || !add_name(name, "C", s->c) || !add_name(name, "O", s->o) || !add_name(name, "OU", s->ou) ||
	    !add_name(name, "CN", cn)) {
		X509_NAME_free(name);
		return NULL;
	}
	return name;
}

static int add_ext(X509 *cert, X509V3_CTX *ctx, int nid, const char *value)
{
	X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, ctx, nid, value);
	int ok = ext && X509_add_ext(cert, ext, -1);

	X509_EXTENSION_free(ext);
	return ok;
}

/* "DNS:*.azure-devices.net,DNS:...,IP:127.0.0.1,..." */
static void leaf_sans(const struct lab_init_opts *opts, char *out, size_t size)
{
	int n = snprintf(out, size, "DNS:*.azure-devices.net,DNS:*.azure-devices-provisioning.net,"
				    "DNS:localhost,IP:127.0.0.1,IP:::1");

	for (size_t i = 0; i < opts->name_count && n > 0 && (size_t)n < size; i++) {
		int ip = strspn(opts->names[i], "0123456789.:abcdefABCDEF") == strlen(opts->names[i]) &&
			 strpbrk(opts->names[i], ".:") && !strpbrk(opts->names[i], "g-zG-Z");
		n += snprintf(out + n, size - (size_t)n, ",%s:%s", ip ? "IP" : "DNS", opts->names[i]);
	}
}

static int add_extensions(X509 *cert, X509 *issuer, const struct spec *s, const struct lab_init_opts *opts)
{
	X509V3_CTX ctx;
	char sans[2048];

	X509V3_set_ctx(&ctx, issuer ? issuer : cert, cert, NULL, NULL, 0);
	if (!add_ext(cert, &ctx, NID_subject_key_identifier, "hash"))
		return 0;
	if (issuer && !add_ext(cert, &ctx, NID_authority_key_identifier, "keyid:always"))
		return 0;
	if (s->kind == 0)
		return add_ext(cert, &ctx, NID_basic_constraints, "critical,CA:TRUE") &&
		       add_ext(cert, &ctx, NID_key_usage, "critical,digitalSignature,keyCertSign,cRLSign");
	if (s->kind == 1)
		return add_ext(cert, &ctx, NID_basic_constraints, strncmp(s->id, "next-ca1", 8) ?
					   "critical,CA:TRUE,pathlen:0" : "critical,CA:TRUE,pathlen:1") &&
		       add_ext(cert, &ctx, NID_key_usage, "critical,digitalSignature,keyCertSign,cRLSign") &&
		       add_ext(cert, &ctx, NID_ext_key_usage, "serverAuth,clientAuth");
	leaf_sans(opts, sans, sizeof(sans));
	return add_ext(cert, &ctx, NID_basic_constraints, "critical,CA:FALSE") &&
	       add_ext(cert, &ctx, NID_key_usage, strncmp(s->key, "p", 1) ? "critical,digitalSignature,keyEncipherment"
									 : "critical,digitalSignature") &&
	       add_ext(cert, &ctx, NID_ext_key_usage, "serverAuth,clientAuth") &&
	       add_ext(cert, &ctx, NID_subject_alt_name, sans);
}

static int set_serial(X509 *cert, const char *seed, const char *id)
{
	unsigned char buf[16];
	char label[64];
	struct drbg d;
	BIGNUM *bn;
	int ok;

	snprintf(label, sizeof(label), "serial:%s", id);
	drbg_init(&d, seed, label);
	drbg_bytes(&d, buf, sizeof(buf));
	buf[0] = (unsigned char)((buf[0] & 0x7f) | 0x01);
	bn = BN_bin2bn(buf, sizeof(buf), NULL);
	ok = bn && BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert));
	BN_free(bn);
	return ok;
}

static X509 *make_cert(const struct spec *s, EVP_PKEY *key, struct made *made, const struct lab_init_opts *opts,
		       const char *seed)
{
	X509 *cert = X509_new(), *issuer = s->issuer ? made[spec_index(s->issuer)].cert : NULL;
	EVP_PKEY *signer = s->issuer ? made[spec_index(s->issuer)].key : key;
	X509_NAME *name = make_name(s, opts->exact_names);
	int ok;

	ok = cert && name && X509_set_version(cert, 2) && set_serial(cert, seed, s->id) &&
	     X509_set_subject_name(cert, name) &&
	     X509_set_issuer_name(cert, issuer ? X509_get_subject_name(issuer) : name) &&
	     ASN1_TIME_set(X509_getm_notBefore(cert), (time_t)(opts->at - s->days_before * 86400)) &&
	     ASN1_TIME_set(X509_getm_notAfter(cert), (time_t)(opts->at + s->days_after * 86400)) &&
	     X509_set_pubkey(cert, key) && add_extensions(cert, issuer, s, opts) &&
	     X509_sign(cert, signer, EVP_get_digestbyname(s->md)) > 0;
	X509_NAME_free(name);
	if (!ok) {
		X509_free(cert);
		return NULL;
	}
	return cert;
}

/* ---- files ---- */

static int write_bio(const char *dir, const char *name, BIO *bio, int private_mode, struct rs_error *err)
{
	char path[4096];
	char *data;
	long len = BIO_get_mem_data(bio, &data);

	if (lab_path(path, sizeof(path), dir, name) < 0)
		return rs_error_set(err, RS_ERR_USAGE, "path '%s/%s' is too long", dir, name);
	return lab_write_file(path, data, (size_t)len, private_mode, err);
}

/* Writes the certificates named by ids (space-separated) as one PEM file. */
static int write_pems(const char *dir, const char *name, const char *ids, struct made *made, struct rs_error *err)
{
	BIO *bio = BIO_new(BIO_s_mem());
	char buf[256], *p, *save = NULL;
	int rv = -1;

	snprintf(buf, sizeof(buf), "%s", ids);
	if (!bio)
		return rs_error_set(err, RS_ERR_NOMEM, "out of memory");
	for (p = buf; p && *p; p = save) {
		save = strchr(p, ' ');
		if (save)
			*save++ = '\0';
		if (!PEM_write_bio_X509(bio, made[spec_index(p)].cert)) {
			rs_error_set_ssl(err, RS_ERR_INTERNAL, "cannot encode '%s'", p);
			goto done;
		}
	}
	rv = write_bio(dir, name, bio, 0, err);
done:
	BIO_free(bio);
	return rv;
}

static int write_key(const char *dir, const char *id, EVP_PKEY *key, struct rs_error *err)
{
	BIO *bio = BIO_new(BIO_s_mem());
	char name[64];
	int rv;

	snprintf(name, sizeof(name), "pki/%s.key", id);
	if (!bio || !PEM_write_bio_PrivateKey(bio, key, NULL, NULL, 0, NULL, NULL)) {
		BIO_free(bio);
		return rs_error_set_ssl(err, RS_ERR_INTERNAL, "cannot encode the key of '%s'", id);
	}
	rv = write_bio(dir, name, bio, 1, err);
	BIO_free(bio);
	return rv;
}

static int write_config(const char *dir, const struct lab_init_opts *opts, const char *seed, struct rs_error *err)
{
	char text[2048], at[32], scope[16], hexs[8];
	unsigned char h[32];

	SHA256((const unsigned char *)seed, strlen(seed), h);
	snprintf(hexs, sizeof(hexs), "%02X%02X%02X", h[0], h[1], h[2]);
	snprintf(scope, sizeof(scope), "0ne00%s", hexs);
	rs_time_format(opts->at, at, sizeof(at));
	snprintf(text, sizeof(text),
		 "{\n  \"schema\": \"rootshift/lab/1\",\n  \"hub_host\": \"%s.azure-devices.net\",\n"
		 "  \"dps_host\": \"global.azure-devices-provisioning.net\",\n  \"id_scope\": \"%s\",\n"
		 "  \"generated_at\": \"%s\",\n  \"exact_names\": %s,\n  \"fast_keys\": %s\n}\n",
		 opts->hub_name ? opts->hub_name : "rootshift-lab", scope, at, opts->exact_names ? "true" : "false",
		 opts->fast_keys ? "true" : "false");
	char path[4096];

	if (lab_path(path, sizeof(path), dir, "lab.json") < 0)
		return rs_error_set(err, RS_ERR_USAGE, "path '%s' is too long", dir);
	return lab_write_file(path, text, strlen(text), 0, err);
}

/* The served chains (leaf first, no root) and the device bundles, by class of device. */
static const struct { const char *name, *ids; } outputs[] = {
	{ "chains/old.pem", "old-leaf old-ca" },
	{ "chains/new.pem", "new-leaf new-ca" },
	{ "chains/next.pem", "next-leaf next-ca2 next-ca1" },
	{ "chains/ecc.pem", "ecc-leaf ecc-ca" },
	{ "bundles/old-only.pem", "old-root" },
	{ "bundles/new-only.pem", "new-root" },
	{ "bundles/recommended.pem", "old-root new-root ms-root" },
	{ "bundles/pinned-intermediate.pem", "old-ca" },
	{ "bundles/ecc.pem", "ecc-root" },
};

static int make_dirs(const char *dir, struct rs_error *err)
{
	static const char *const subs[] = { "", "/pki", "/devices", "/chains", "/bundles" };
	char path[4096];

	for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++) {
		snprintf(path, sizeof(path), "%s%s", dir, subs[i]);
		if (mkdir(path, i == 1 || i == 2 ? 0700 : 0755) < 0 && !(errno == EEXIST && i == 0))
			return rs_error_set(err, RS_ERR_IO, "cannot create '%s': %s", path, strerror(errno));
	}
	return 0;
}

static void describe(const struct spec *s, X509 *cert, EVP_PKEY *key, struct lab_cert_info *info)
{
	unsigned char md[20];
	unsigned int len;
	char *subj = X509_NAME_oneline(X509_get_subject_name(cert), NULL, 0);
	int nid = X509_get_signature_nid(cert);

	snprintf(info->id, sizeof(info->id), "%s", s->id);
	snprintf(info->subject, sizeof(info->subject), "%s", subj ? subj : "?");
	OPENSSL_free(subj);
	X509_digest(cert, EVP_sha1(), md, &len);
	for (unsigned i = 0; i < 20; i++)
		snprintf(info->sha1 + 2 * i, 3, "%02x", md[i]);
	snprintf(info->detail, sizeof(info->detail), "%s-%d %s", EVP_PKEY_is_a(key, "RSA") ? "RSA" : "EC",
		 EVP_PKEY_is_a(key, "RSA") ? EVP_PKEY_get_bits(key) : EVP_PKEY_get_bits(key), OBJ_nid2ln(nid));
}

static int generate(const char *dir, const struct lab_init_opts *opts, const char *seed, struct made *made,
		    struct lab_init_result *res, struct rs_error *err)
{
	clock_t t0;

	for (size_t i = 0; i < NSPECS; i++) {
		const struct spec *s = &specs[i];
		char name[64];

		t0 = clock();
		if (!(made[i].key = make_key(s, opts, seed, made)))
			return rs_error_set_ssl(err, RS_ERR_INTERNAL, "cannot generate the key of '%s'", s->id);
		res->seconds_keys += (double)(clock() - t0) / CLOCKS_PER_SEC;
		if (!(made[i].cert = make_cert(s, made[i].key, made, opts, seed)))
			return rs_error_set_ssl(err, RS_ERR_INTERNAL, "cannot make the certificate '%s'", s->id);
		describe(s, made[i].cert, made[i].key, &res->certs[res->count++]);
		snprintf(name, sizeof(name), "pki/%s.pem", s->id);
		if (write_pems(dir, name, s->id, made, err) < 0 ||
		    (s->key[0] != '=' && write_key(dir, s->id, made[i].key, err) < 0))
			return -1;
	}
	for (size_t i = 0; i < sizeof(outputs) / sizeof(outputs[0]); i++)
		if (write_pems(dir, outputs[i].name, outputs[i].ids, made, err) < 0)
			return -1;
	return 0;
}

int lab_init(const char *dir, const struct lab_init_opts *opts, struct lab_init_result *res, struct rs_error *err)
{
	struct made made[NSPECS];
	char seed[65], path[4096];
	unsigned char rnd[16];
	int rv = -1;

	memset(made, 0, sizeof(made));
	memset(res, 0, sizeof(*res));
	if (opts->seed)
		snprintf(seed, sizeof(seed), "%s", opts->seed);
	else if (RAND_bytes(rnd, sizeof(rnd)) == 1)
		for (unsigned i = 0; i < sizeof(rnd); i++)
			snprintf(seed + 2 * i, 3, "%02x", rnd[i]);
	else
		return rs_error_set_ssl(err, RS_ERR_INTERNAL, "cannot draw a random seed");
	if (make_dirs(dir, err) < 0)
		goto done;
	if (generate(dir, opts, seed, made, res, err) < 0 || write_config(dir, opts, seed, err) < 0)
		goto done;
	if (lab_path(path, sizeof(path), dir, "devices.json") < 0 ||
	    lab_write_file(path, "{\"devices\": {}}\n", 16, 1, err) < 0)
		goto done;
	rv = 0;
done:
	for (size_t i = 0; i < NSPECS; i++) {
		X509_free(made[i].cert);
		EVP_PKEY_free(made[i].key);
	}
	OPENSSL_cleanse(seed, sizeof(seed));
	return rv;
}

const char *lab_chain_name(enum lab_chain c)
{
	static const char *const names[] = { "old", "new", "next", "ecc" };

	return (unsigned)c < LAB_CHAIN__COUNT ? names[c] : "?";
}

int lab_chain_parse(const char *name, enum lab_chain *out)
{
	for (int c = 0; c < LAB_CHAIN__COUNT; c++)
		if (!strcmp(name, lab_chain_name((enum lab_chain)c))) {
			*out = (enum lab_chain)c;
			return 0;
		}
	return -1;
}
