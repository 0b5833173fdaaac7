/* cert.c: the certificate model. Everything rootshift reports is computed once, when the certificate is made. */
#include "internal.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/err.h>
#include <openssl/obj_mac.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

struct strlist {
	char **v;
	size_t n;
};

struct rs_cert {
	int refs;
	X509 *x509;
	unsigned char *der;
	size_t der_len;
	char sha1[41], sha256[65], spki_sha256[65], spki_pin[56];
	char *subject, *issuer, *cn, *serial, *ski, *aki;
	char key_type[16], key_curve[64], sig_alg[64];
	int key_bits, is_ca, self_issued;
	long path_len;
	char malformed[200];             /* why the certificate breaks RFC 5280's encoding rules, or "" */
	rs_time not_before, not_after;
	struct strlist san, ku, eku;
};

static int strlist_add(struct strlist *l, const char *s)
{
	char **v = realloc(l->v, (l->n + 1) * sizeof(*v));

	if (!v)
		return -1;
	l->v = v;
	if (!(v[l->n] = rs_strdup(s)))
		return -1;
	l->n++;
	return 0;
}

static void strlist_release(struct strlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
}

/* RFC 2253 order (most specific first) with UTF-8 kept as is. */
static char *name_string(const X509_NAME *name)
{
	BIO *bio = BIO_new(BIO_s_mem());
	char *out = NULL, *data;
	long n;

	if (!bio)
		return NULL;
	if (X509_NAME_print_ex(bio, name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) >= 0) {
		n = BIO_get_mem_data(bio, &data);
		out = rs_strndup(data, n > 0 ? (size_t)n : 0);
	}
	BIO_free(bio);
	return out;
}

static char *common_name(const X509_NAME *name)
{
	int i = -1, last = -1;
	unsigned char *utf8 = NULL;
	char *out;
	int n;

	while ((i = X509_NAME_get_index_by_NID(name, NID_commonName, i)) >= 0)
		last = i;
	if (last < 0)
		return rs_strdup("");
	n = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, last)));
	if (n < 0)
		return rs_strdup("");
	out = rs_strndup((const char *)utf8, (size_t)n);
	OPENSSL_free(utf8);
	return out;
}

static char *hex_string(const unsigned char *p, size_t len)
{
	char *out = malloc(2 * len + 1);

	if (out)
		rs_hex_encode(p, len, out);
	return out;
}

static int digests(struct rs_cert *c)
{
	unsigned char md[EVP_MAX_MD_SIZE], *spki = NULL;
	unsigned int mdlen;
	int n;

	if (!EVP_Digest(c->der, c->der_len, md, &mdlen, EVP_sha1(), NULL))
		return -1;
	rs_hex_encode(md, mdlen, c->sha1);
	if (!EVP_Digest(c->der, c->der_len, md, &mdlen, EVP_sha256(), NULL))
		return -1;
	rs_hex_encode(md, mdlen, c->sha256);
	n = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(c->x509), &spki);
	if (n <= 0)
		return -1;
	if (!EVP_Digest(spki, (size_t)n, md, &mdlen, EVP_sha256(), NULL)) {
		OPENSSL_free(spki);
		return -1;
	}
	OPENSSL_free(spki);
	rs_hex_encode(md, mdlen, c->spki_sha256);
	/* the HPKP form (RFC 7469 pin-sha256; curl --pinnedpubkey "sha256//...", OkHttp, Android): base64 of the same
	 * digest; EVP_EncodeBlock writes 44 characters and a NUL for 32 bytes */
	memcpy(c->spki_pin, "sha256//", 8);
	EVP_EncodeBlock((unsigned char *)c->spki_pin + 8, md, (int)mdlen);
	return 0;
}

static void curve_name(EVP_PKEY *key, char *out, size_t size)
{
	char group[64];
	const char *nist;
	int nid;

	out[0] = '\0';
	if (!EVP_PKEY_get_group_name(key, group, sizeof(group), NULL))
		return;
	nid = OBJ_txt2nid(group);
	nist = nid != NID_undef ? EC_curve_nid2nist(nid) : NULL;
	snprintf(out, size, "%s", nist ? nist : group);
}

/* For a certificate whose key d2i_X509 left undecoded: 1 when the key does decode on its own, or when decoding
 * it ran out of memory (so the first try failed for memory, not for an unknown algorithm), else 0. */
static int key_decodes(X509 *x)
{
	unsigned char *der = NULL;
	const unsigned char *p;
	int n = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(x), &der), rv;
	EVP_PKEY *k = NULL;

	if (n > 0) {
		p = der;
		k = d2i_PUBKEY(NULL, &p, n);
	}
	rv = k != NULL || rs_ssl_take_nomem();
	EVP_PKEY_free(k);
	OPENSSL_free(der);
	return rv;
}

static int key_info(struct rs_cert *c)
{
	EVP_PKEY *key = X509_get0_pubkey(c->x509);
	const char *type;

	if (!key) {
		/* d2i_X509 keeps a key it cannot decode as no key (an unknown algorithm, or OpenSSL's own allocation
		 * failing inside its decoder); decoding again tells the two apart */
		if (key_decodes(c->x509))
			return -1;
		snprintf(c->key_type, sizeof(c->key_type), "unknown");
		return 0;
	}
	c->key_bits = EVP_PKEY_get_bits(key);
	switch (EVP_PKEY_get_base_id(key)) {
	case EVP_PKEY_RSA: type = "RSA"; break;
	case EVP_PKEY_RSA_PSS: type = "RSA-PSS"; break;
	case EVP_PKEY_EC: type = "EC"; break;
	case EVP_PKEY_ED25519: type = "Ed25519"; break;
	case EVP_PKEY_ED448: type = "Ed448"; break;
	case EVP_PKEY_DSA: type = "DSA"; break;
	default: type = "other"; break;
	}
	snprintf(c->key_type, sizeof(c->key_type), "%s", type);
	if (EVP_PKEY_get_base_id(key) == EVP_PKEY_EC)
		curve_name(key, c->key_curve, sizeof(c->key_curve));
	return 0;
}

static int general_name(struct strlist *l, const GENERAL_NAME *gn)
{
	char buf[300];
	const unsigned char *p;
	int len;

	switch (gn->type) {
	case GEN_DNS:
	case GEN_EMAIL:
	case GEN_URI:
		p = ASN1_STRING_get0_data(gn->d.ia5);
		len = ASN1_STRING_length(gn->d.ia5);
		snprintf(buf, sizeof(buf), "%s:%.*s",
			 gn->type == GEN_DNS ? "DNS" : gn->type == GEN_EMAIL ? "email" : "URI", len, (const char *)p);
		return strlist_add(l, buf);
	case GEN_IPADD:
		p = ASN1_STRING_get0_data(gn->d.ip);
		len = ASN1_STRING_length(gn->d.ip);
		if (len == 4)
			snprintf(buf, sizeof(buf), "IP:%d.%d.%d.%d", p[0], p[1], p[2], p[3]);
		else if (len == 16) {
			size_t o = (size_t)snprintf(buf, sizeof(buf), "IP:");
			for (int i = 0; i < 16; i += 2)
				o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s%x", i ? ":" : "", p[i] << 8 | p[i + 1]);
		} else
			snprintf(buf, sizeof(buf), "IP:?");
		return strlist_add(l, buf);
	default:
		return 0;
	}
}

static int sans(struct rs_cert *c)
{
	GENERAL_NAMES *names = X509_get_ext_d2i(c->x509, NID_subject_alt_name, NULL, NULL);
	int i, rv = 0;

	for (i = 0; names && i < sk_GENERAL_NAME_num(names) && rv == 0; i++)
		rv = general_name(&c->san, sk_GENERAL_NAME_value(names, i));
	GENERAL_NAMES_free(names);
	return rv;
}

static int key_usages(struct rs_cert *c)
{
	static const struct { uint32_t bit; const char *name; } ku[] = {
		{ KU_DIGITAL_SIGNATURE, "digitalSignature" }, { KU_NON_REPUDIATION, "nonRepudiation" },
		{ KU_KEY_ENCIPHERMENT, "keyEncipherment" },   { KU_DATA_ENCIPHERMENT, "dataEncipherment" },
		{ KU_KEY_AGREEMENT, "keyAgreement" },         { KU_KEY_CERT_SIGN, "keyCertSign" },
		{ KU_CRL_SIGN, "cRLSign" },                   { KU_ENCIPHER_ONLY, "encipherOnly" },
		{ KU_DECIPHER_ONLY, "decipherOnly" },
	};
	EXTENDED_KEY_USAGE *eku;
	uint32_t bits = X509_get_key_usage(c->x509);
	char oid[80];
	size_t i;
	int j;

	if (X509_get_extension_flags(c->x509) & EXFLAG_KUSAGE)
		for (i = 0; i < RS_ARRAY_LEN(ku); i++)
			if ((bits & ku[i].bit) && strlist_add(&c->ku, ku[i].name) < 0)
				return -1;
	eku = X509_get_ext_d2i(c->x509, NID_ext_key_usage, NULL, NULL);
	for (j = 0; eku && j < sk_ASN1_OBJECT_num(eku); j++) {
		const ASN1_OBJECT *obj = sk_ASN1_OBJECT_value(eku, j);
		int nid = OBJ_obj2nid(obj);
		if (nid != NID_undef)
			snprintf(oid, sizeof(oid), "%s", OBJ_nid2sn(nid));
		else
			OBJ_obj2txt(oid, sizeof(oid), obj, 1);
		if (strlist_add(&c->eku, oid) < 0) {
			EXTENDED_KEY_USAGE_free(eku);
			return -1;
		}
	}
	EXTENDED_KEY_USAGE_free(eku);
	return 0;
}

static int identifiers(struct rs_cert *c)
{
	const ASN1_OCTET_STRING *ski = X509_get0_subject_key_id(c->x509);
	const ASN1_OCTET_STRING *aki = X509_get0_authority_key_id(c->x509);

	c->ski = ski ? hex_string(ASN1_STRING_get0_data(ski), (size_t)ASN1_STRING_length(ski)) : rs_strdup("");
	c->aki = aki ? hex_string(ASN1_STRING_get0_data(aki), (size_t)ASN1_STRING_length(aki)) : rs_strdup("");
	return c->ski && c->aki ? 0 : -1;
}

/* The serial's content octets in hex, as Microsoft's and openssl's listings print them (leading zeros kept). */
static int serial_and_names(struct rs_cert *c)
{
	const ASN1_INTEGER *serial = X509_get0_serialNumber(c->x509);
	size_t n = (size_t)ASN1_STRING_length(serial);
	int neg = ASN1_STRING_type(serial) == V_ASN1_NEG_INTEGER;

	c->serial = malloc(2 * n + 2);
	if (!c->serial)
		return -1;
	c->serial[0] = '-';
	rs_hex_encode(ASN1_STRING_get0_data(serial), n, c->serial + neg);
	c->subject = name_string(X509_get_subject_name(c->x509));
	c->issuer = name_string(X509_get_issuer_name(c->x509));
	c->cn = common_name(X509_get_subject_name(c->x509));
	return c->subject && c->issuer && c->cn ? 0 : -1;
}

/* RFC 5280 encoding rules that OpenSSL's parser lets through or only flags: every extension at most once (4.2),
 * every extension rootshift knows decodes, key usage with at least one bit (4.2.1.3), subjectAltName and
 * authorityInfoAccess with at least one entry (4.2.1.6, 4.2.2.1). Fills c->malformed; "" when none applies. */
static void find_malformed(struct rs_cert *c)
{
	const STACK_OF(X509_EXTENSION) *exts = X509_get0_extensions(c->x509);
	int i, j, n = sk_X509_EXTENSION_num(exts);
	char oid[80];

	for (i = 0; i < n && !c->malformed[0]; i++) {
		X509_EXTENSION *e = sk_X509_EXTENSION_value(exts, i);
		const ASN1_OBJECT *obj = X509_EXTENSION_get_object(e);
		int nid = OBJ_obj2nid(obj);
		const X509V3_EXT_METHOD *method;
		void *v;

		OBJ_obj2txt(oid, sizeof(oid), obj, 0);
		for (j = i + 1; j < n; j++)
			if (!OBJ_cmp(obj, X509_EXTENSION_get_object(sk_X509_EXTENSION_value(exts, j)))) {
				snprintf(c->malformed, sizeof(c->malformed), "the %s extension appears twice", oid);
				return;
			}
		if (!(method = X509V3_EXT_get(e)))
			continue;
		if (!(v = X509V3_EXT_d2i(e))) {
			snprintf(c->malformed, sizeof(c->malformed), "the %s extension does not decode", oid);
			return;
		}
		if ((nid == NID_subject_alt_name && sk_GENERAL_NAME_num(v) == 0) ||
		    (nid == NID_info_access && sk_ACCESS_DESCRIPTION_num(v) == 0))
			snprintf(c->malformed, sizeof(c->malformed), "the %s extension is an empty list", oid);
		else if (nid == NID_key_usage && ASN1_STRING_length(v) == 0)
			snprintf(c->malformed, sizeof(c->malformed), "the key usage extension has no bit set");
		if (method->it)
			ASN1_item_free(v, ASN1_ITEM_ptr(method->it));
		else if (method->ext_free)
			method->ext_free(v);
	}
	if (!c->malformed[0] && (X509_get_extension_flags(c->x509) & EXFLAG_INVALID))
		snprintf(c->malformed, sizeof(c->malformed), "an extension breaks RFC 5280's encoding rules");
}

static int basics(struct rs_cert *c, int keep_malformed)
{
	int nid = X509_get_signature_nid(c->x509);

	/* X509_check_ca caches the extensions and tells us whether they parse at all. */
	X509_check_ca(c->x509);
	find_malformed(c);
	if (!keep_malformed && (X509_get_extension_flags(c->x509) & EXFLAG_INVALID))
		return -1;
	c->is_ca = (X509_get_extension_flags(c->x509) & EXFLAG_CA) != 0;
	c->path_len = X509_get_pathlen(c->x509);
	c->self_issued = X509_NAME_cmp(X509_get_subject_name(c->x509), X509_get_issuer_name(c->x509)) == 0;
	snprintf(c->sig_alg, sizeof(c->sig_alg), "%s", nid != NID_undef ? OBJ_nid2ln(nid) : "unknown");
	if (rs_time_from_asn1(X509_get0_notBefore(c->x509), &c->not_before) < 0 ||
	    rs_time_from_asn1(X509_get0_notAfter(c->x509), &c->not_after) < 0) {
		if (!keep_malformed)
			return -1;
		if (!c->malformed[0])
			snprintf(c->malformed, sizeof(c->malformed), "its validity dates cannot be read");
	}
	return 0;
}

struct rs_cert *rs_cert_from_x509(X509 *x, struct rs_error *err)
{
	return rs_cert_from_x509_ex(x, 0, err);
}

struct rs_cert *rs_cert_from_x509_ex(X509 *x, int keep_malformed, struct rs_error *err)
{
	struct rs_cert *c = calloc(1, sizeof(*c));
	unsigned char *der = NULL;
	int n;

	if (!c) {
		rs_fail(err, RS_ERR_NOMEM, "out of memory");
		return NULL;
	}
	c->refs = 1;
	ERR_set_mark(); /* a certificate that is made leaves nothing on OpenSSL's error queue */
	X509_up_ref(x);
	c->x509 = x;
	n = i2d_X509(x, &der);
	if (n <= 0) {
		rs_fail_ssl(err, RS_ERR_PARSE, "cannot encode certificate");
		goto fail;
	}
	c->der = der;
	c->der_len = (size_t)n;
	if (basics(c, keep_malformed) < 0) {
		/* OpenSSL marks extensions invalid when its own allocation fails while it caches them, too */
		if (rs_ssl_take_nomem())
			rs_fail(err, RS_ERR_NOMEM, "out of memory");
		else
			rs_fail(err, RS_ERR_PARSE, "certificate has invalid extensions or dates");
		goto fail;
	}
	if (digests(c) < 0 || serial_and_names(c) < 0 || key_info(c) < 0 || sans(c) < 0 || key_usages(c) < 0 ||
	    identifiers(c) < 0) {
		/* these readers fail only when memory does (test_allocfail): an error, never a "broken" certificate */
		rs_fail_ssl(err, RS_ERR_NOMEM, "cannot read certificate fields: out of memory");
		goto fail;
	}
	ERR_pop_to_mark();
	return c;
fail:
	ERR_clear_last_mark();
	rs_cert_free(c);
	return NULL;
}

struct rs_cert *rs_cert_from_der(const unsigned char *der, size_t len, struct rs_error *err)
{
	const unsigned char *p = der;
	struct rs_cert *c;
	X509 *x;

	if (len > LONG_MAX) {
		rs_fail(err, RS_ERR_LIMIT, "certificate too large");
		return NULL;
	}
	x = d2i_X509(NULL, &p, (long)len);
	if (!x) {
		rs_fail_ssl(err, RS_ERR_PARSE, "not a DER certificate");
		return NULL;
	}
	if ((size_t)(p - der) != len) {
		X509_free(x);
		rs_fail(err, RS_ERR_PARSE, "%zu bytes of trailing data after the certificate", len - (size_t)(p - der));
		return NULL;
	}
	c = rs_cert_from_x509(x, err);
	X509_free(x);
	return c;
}

/* Exactly one PEM certificate and nothing else that OpenSSL reads as PEM: what a catalog entry holds. */
struct rs_cert *rs_cert_from_pem(const char *pem, size_t len, struct rs_error *err)
{
	BIO *bio;
	X509 *x = NULL, *extra = NULL;
	struct rs_cert *c = NULL;

	if (len > INT_MAX) {
		rs_fail(err, RS_ERR_LIMIT, "certificate too large");
		return NULL;
	}
	if (!(bio = BIO_new_mem_buf(pem, (int)len))) {
		rs_fail(err, RS_ERR_NOMEM, "out of memory");
		return NULL;
	}
	if (!(x = PEM_read_bio_X509(bio, NULL, NULL, NULL)))
		rs_fail(err, RS_ERR_PARSE, "not one readable PEM certificate");
	else if ((extra = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL)
		rs_fail(err, RS_ERR_PARSE, "must hold exactly one certificate");
	else
		c = rs_cert_from_x509(x, err);
	ERR_clear_error();
	X509_free(extra);
	X509_free(x);
	BIO_free(bio);
	return c;
}

struct rs_cert *rs_cert_up_ref(struct rs_cert *cert)
{
	if (cert)
		cert->refs++;
	return cert;
}

void rs_cert_free(struct rs_cert *c)
{
	if (!c || --c->refs > 0)
		return;
	X509_free(c->x509);
	OPENSSL_free(c->der);
	free(c->subject);
	free(c->issuer);
	free(c->cn);
	free(c->serial);
	free(c->ski);
	free(c->aki);
	strlist_release(&c->san);
	strlist_release(&c->ku);
	strlist_release(&c->eku);
	free(c);
}

X509 *rs_cert_get0_x509(const struct rs_cert *c) { return c->x509; }

const unsigned char *rs_cert_der(const struct rs_cert *c, size_t *len)
{
	if (len)
		*len = c->der_len;
	return c->der;
}

char *rs_cert_pem(const struct rs_cert *c)
{
	static const char head[] = "-----BEGIN CERTIFICATE-----\n", tail[] = "-----END CERTIFICATE-----\n";
	char *b64 = rs_base64_encode(c->der, c->der_len), *pem, *p;
	size_t n, i;

	if (!b64)
		return NULL;
	n = strlen(b64);
	if ((p = pem = malloc(sizeof(head) + n + n / 64 + 2 + sizeof(tail)))) {
		memcpy(p, head, sizeof(head) - 1);
		p += sizeof(head) - 1;
		for (i = 0; i < n; i += 64) { /* RFC 7468 section 2: lines of exactly 64 characters but the last */
			size_t k = n - i < 64 ? n - i : 64;
			memcpy(p, b64 + i, k);
			p += k;
			*p++ = '\n';
		}
		memcpy(p, tail, sizeof(tail));
	}
	free(b64);
	return pem;
}

const char *rs_cert_sha1(const struct rs_cert *c) { return c->sha1; }
const char *rs_cert_sha256(const struct rs_cert *c) { return c->sha256; }
const char *rs_cert_spki_sha256(const struct rs_cert *c) { return c->spki_sha256; }
const char *rs_cert_spki_pin(const struct rs_cert *c) { return c->spki_pin; }

int rs_cert_expires_within(const struct rs_cert *c, rs_time at, rs_time within)
{
	return within >= 0 && rs_cert_valid_at(c, at) && rs_cert_not_after(c) - at <= within;
}
const char *rs_cert_subject(const struct rs_cert *c) { return c->subject; }
const char *rs_cert_issuer(const struct rs_cert *c) { return c->issuer; }
const char *rs_cert_common_name(const struct rs_cert *c) { return c->cn; }
const char *rs_cert_serial(const struct rs_cert *c) { return c->serial; }
rs_time rs_cert_not_before(const struct rs_cert *c) { return c->not_before; }
rs_time rs_cert_not_after(const struct rs_cert *c) { return c->not_after; }
int rs_cert_is_ca(const struct rs_cert *c) { return c->is_ca; }
long rs_cert_path_len(const struct rs_cert *c) { return c->path_len; }
int rs_cert_self_issued(const struct rs_cert *c) { return c->self_issued; }
const char *rs_cert_key_type(const struct rs_cert *c) { return c->key_type; }
int rs_cert_key_bits(const struct rs_cert *c) { return c->key_bits; }
const char *rs_cert_key_curve(const struct rs_cert *c) { return c->key_curve; }
const char *rs_cert_sig_alg(const struct rs_cert *c) { return c->sig_alg; }
const char *rs_cert_ski(const struct rs_cert *c) { return c->ski; }
const char *rs_cert_aki(const struct rs_cert *c) { return c->aki; }
const char *rs_cert_malformed(const struct rs_cert *c) { return c->malformed[0] ? c->malformed : NULL; }
size_t rs_cert_san_count(const struct rs_cert *c) { return c->san.n; }
const char *rs_cert_san_at(const struct rs_cert *c, size_t i) { return i < c->san.n ? c->san.v[i] : NULL; }
size_t rs_cert_key_usage_count(const struct rs_cert *c) { return c->ku.n; }
const char *rs_cert_key_usage_at(const struct rs_cert *c, size_t i) { return i < c->ku.n ? c->ku.v[i] : NULL; }
size_t rs_cert_ext_key_usage_count(const struct rs_cert *c) { return c->eku.n; }
const char *rs_cert_ext_key_usage_at(const struct rs_cert *c, size_t i) { return i < c->eku.n ? c->eku.v[i] : NULL; }

void rs_cert_info(const struct rs_cert *c, struct rs_cert_info *info)
{
	*info = (struct rs_cert_info){
		.sha1 = c->sha1, .sha256 = c->sha256, .spki_sha256 = c->spki_sha256, .spki_pin = c->spki_pin,
		.subject = c->subject, .issuer = c->issuer, .common_name = c->cn, .serial = c->serial,
		.not_before = c->not_before, .not_after = c->not_after,
		.is_ca = c->is_ca, .path_len = c->path_len, .self_issued = c->self_issued,
		.key_type = c->key_type, .key_bits = c->key_bits, .key_curve = c->key_curve, .sig_alg = c->sig_alg,
		.ski = c->ski, .aki = c->aki, .malformed = rs_cert_malformed(c),
		.san = (const char *const *)c->san.v, .san_count = c->san.n,
		.key_usage = (const char *const *)c->ku.v, .key_usage_count = c->ku.n,
		.ext_key_usage = (const char *const *)c->eku.v, .ext_key_usage_count = c->eku.n,
	};
}

int rs_cert_valid_at(const struct rs_cert *c, rs_time at)
{
	return c->not_before <= at && at <= c->not_after;
}

char *rs_name_der_string(const unsigned char *der, size_t len)
{
	const unsigned char *p = der;
	X509_NAME *name = d2i_X509_NAME(NULL, &p, (long)len);
	char *s;

	if (!name || p != der + len) {
		X509_NAME_free(name);
		return NULL;
	}
	s = name_string(name);
	X509_NAME_free(name);
	return s;
}
