/*
 * bearssl.c: BearSSL trust anchors in C headers, as `brssl ta` and Arduino's BearSSLTrustAnchors.h write them:
 *
 *   static const unsigned char TA0_DN[] = { 0x30, 0x61, ... };
 *   static const unsigned char TA0_RSA_N[] = { ... };  static const unsigned char TA0_RSA_E[] = { 0x01, 0x00, 0x01 };
 *   static const br_x509_trust_anchor TAs[1] = { { { (unsigned char *)TA0_DN, sizeof TA0_DN }, BR_X509_TA_CA,
 *       { BR_KEYTYPE_RSA, { .rsa = { (unsigned char *)TA0_RSA_N, sizeof TA0_RSA_N, ... } } } } };
 *
 * or BR_KEYTYPE_EC with { .ec = { BR_EC_secp384r1, (unsigned char *)TA1_EC_Q, sizeof TA1_EC_Q } }. An anchor is
 * only a name (DN DER) and a key: the key is rebuilt as a SubjectPublicKeyInfo to identify it by its SPKI hash.
 */
#include "extract.h"

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/x509.h>
#include <stdlib.h>
#include <string.h>

enum keytype { KEY_NONE, KEY_RSA, KEY_EC };

struct ta {
	const struct rs_carray *dn, *k1, *k2;
	enum keytype type;
	const char *curve;
};

static const struct rs_carray *array_named(const struct rs_carray *arrays, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(arrays[i].name, name))
			return &arrays[i];
	return NULL;
}

static const char *curve_name(const char *ident)
{
	static const struct { const char *br, *ossl; } map[] = {
		{ "BR_EC_secp256r1", "P-256" }, { "BR_EC_secp384r1", "P-384" }, { "BR_EC_secp521r1", "P-521" },
	};
	size_t i;

	for (i = 0; i < RS_ARRAY_LEN(map); i++)
		if (!strcmp(ident, map[i].br))
			return map[i].ossl;
	return NULL;
}

static EVP_PKEY *fromdata(const char *type, OSSL_PARAM_BLD *bld)
{
	OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(bld);
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, type, NULL);
	EVP_PKEY *pkey = NULL;

	if (params && ctx && EVP_PKEY_fromdata_init(ctx) > 0)
		EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params);
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	return pkey;
}

static EVP_PKEY *rsa_key(const struct ta *ta)
{
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	BIGNUM *n = BN_bin2bn(ta->k1->bytes, (int)ta->k1->len, NULL), *e = BN_bin2bn(ta->k2->bytes, (int)ta->k2->len, NULL);
	EVP_PKEY *pkey = NULL;

	if (bld && n && e && OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) &&
	    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e))
		pkey = fromdata("RSA", bld);
	BN_free(n);
	BN_free(e);
	OSSL_PARAM_BLD_free(bld);
	return pkey;
}

static EVP_PKEY *ec_key(const struct ta *ta)
{
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	EVP_PKEY *pkey = NULL;

	if (bld && OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, ta->curve, 0) &&
	    OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, ta->k1->bytes, ta->k1->len))
		pkey = fromdata("EC", bld);
	OSSL_PARAM_BLD_free(bld);
	return pkey;
}

static int emit(struct rs_scan *s, const struct ta *ta)
{
	EVP_PKEY *pkey = ta->type == KEY_RSA ? rsa_key(ta) : ec_key(ta);
	unsigned char *spki = NULL;
	int n, rv = 0;

	if (pkey && (n = i2d_PUBKEY(pkey, &spki)) > 0)
		rv = rs_scan_add_name_key(s, ta->dn->bytes, ta->dn->len, spki, (size_t)n, ta->dn->line, ta->dn->offset,
					  "bearssl");
	else
		rv = rs_scan_finding(s, "broken-certificate", ta->dn->line, ta->dn->offset,
				     "a BearSSL trust anchor whose key does not parse: not a trust anchor");
	ERR_clear_error();
	OPENSSL_free(spki);
	EVP_PKEY_free(pkey);
	if (rv == 1)
		rv = rs_scan_finding(s, "broken-certificate", ta->dn->line, ta->dn->offset,
				     "a BearSSL trust anchor whose name does not parse: not a trust anchor");
	return rv < 0 ? -1 : rv == 0;
}

/* Feeds one identifier of the TAs initializer; returns 1 when an anchor is complete. */
static int feed(struct ta *ta, const char *ident, const struct rs_carray *arr)
{
	if (!strcmp(ident, "BR_KEYTYPE_RSA") && ta->dn) {
		ta->type = KEY_RSA;
		return 0;
	}
	if (!strcmp(ident, "BR_KEYTYPE_EC") && ta->dn) {
		ta->type = KEY_EC;
		return 0;
	}
	if (curve_name(ident)) {
		ta->curve = curve_name(ident);
		return 0;
	}
	if (!arr || arr == ta->dn || arr == ta->k1 || arr == ta->k2)
		return 0; /* casts, sizeof, flags, and the second mention in "sizeof NAME" */
	if (!ta->dn || ta->type == KEY_NONE) {
		ta->dn = arr;
		return 0;
	}
	if (!ta->k1) {
		ta->k1 = arr;
		return ta->type == KEY_EC && ta->curve;
	}
	ta->k2 = arr;
	return ta->type == KEY_RSA;
}

int rs_extract_bearssl(struct rs_scan *s, const struct rs_ctoken *toks, size_t ntoks, const struct rs_carray *arrays,
		       size_t narrays)
{
	size_t i = 0;
	int depth = 0, added = 0, rv, in_init = 0;
	struct ta ta;

	memset(&ta, 0, sizeof(ta));
	for (i = 0; i < ntoks; i++) {
		const struct rs_ctoken *t = &toks[i];
		if (!in_init) {
			in_init = t->ident && !strcmp(t->ident, "br_x509_trust_anchor") ? 1 : 0;
			continue;
		}
		if (t->punct == '{')
			depth++;
		else if (t->punct == '}' && --depth <= 0) {
			in_init = 0;
			depth = 0;
			memset(&ta, 0, sizeof(ta));
		} else if (t->ident && depth > 0 && feed(&ta, t->ident, array_named(arrays, narrays, t->ident))) {
			if ((rv = emit(s, &ta)) < 0)
				return -1;
			added += rv;
			memset(&ta, 0, sizeof(ta));
		}
	}
	return added;
}
