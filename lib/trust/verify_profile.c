/* verify_profile.c: the key policy and the Web PKI profile of the path builder, and the name-constraint rules
 * OpenSSL's NAME_CONSTRAINTS_check leaves out. Every check has a rule id (docs/verify.md lists them with the
 * x509-limbo cases they cover).
 *
 * Sources: the CA/Browser Forum Baseline Requirements 7.1 (certificate profile), RFC 5280 4.2 (extensions),
 * RFC 9525/6125 (wildcards), and the policies of pyca/cryptography (src/rust/cryptography-x509-verification,
 * policy/extension.rs: permitted SPKI algorithms RSA >= 2048 bits with a modulus a multiple of 8, P-256/P-384/
 * P-521; AKI on every certificate but self-signed roots; SKI on CAs; no anyExtendedKeyUsage, no critical EKU on the
 * end certificate; serial numbers positive and at most 20 octets) and rustls-webpki. x509-limbo's generators
 * (limbo/testcases/webpki/, rfc5280/, cve.py) say what each case expects. */
#include "verify.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static int webpki(const struct rs_vpath *pv)
{
	return pv->o->policy == RS_VERIFY_POLICY_WEBPKI;
}

static int allowed(const struct rs_verify_opts *o, const char *name)
{
	size_t i;

	for (i = 0; name && *name && i < o->n_allow_key; i++)
		if (rs_streq_ci(o->allow_key[i], name))
			return 1;
	return 0;
}

/* ---- the key policy ---- */

/* EC parameters given explicitly (a SEQUENCE) instead of a named curve's OID (RFC 5480 2.1.1: MUST NOT). */
static int explicit_curve(X509 *x)
{
	X509_ALGOR *alg = NULL;
	const void *pval = NULL;
	int ptype = V_ASN1_UNDEF;

	if (!X509_PUBKEY_get0_param(NULL, NULL, NULL, &alg, X509_get_X509_PUBKEY(x)) || !alg)
		return 0;
	X509_ALGOR_get0(NULL, &ptype, &pval, alg);
	return ptype == V_ASN1_SEQUENCE;
}

static int check_key_policy(const struct rs_vpath *pv, size_t i, struct rs_verify_fault *f)
{
	const struct rs_cert *c = CERT_AT(pv, i);
	const char *type = rs_cert_key_type(c), *curve = rs_cert_key_curve(c), *label = rs_verify_cert_label(c);
	int bits = rs_cert_key_bits(c), min = pv->o->min_rsa_bits >= 0 ? pv->o->min_rsa_bits : webpki(pv) ? 2048 : 0;

	if (!strcmp(type, "RSA")) {
		if (min > 0 && bits < min)
			return rs_vfault(f, RS_VERIFY_KEY_POLICY, "key.rsa-size", (long)i,
					 "'%s' has an RSA-%d key, below the policy's %d bits", label, bits, min);
		if (min > 0 && bits % 8)
			return rs_vfault(f, RS_VERIFY_KEY_POLICY, "key.rsa-size", (long)i,
					 "'%s' has an RSA modulus of %d bits, not a multiple of 8", label, bits);
		return 0;
	}
	if (!webpki(pv))
		return 0;
	if (!strcmp(type, "EC")) {
		if (explicit_curve(X_AT(pv, i)) && !allowed(pv->o, "explicit-curve"))
			return rs_vfault(f, RS_VERIFY_KEY_POLICY, "key.ec-named-curve", (long)i,
					 "'%s' has an EC key with explicit curve parameters instead of a named curve", label);
		if (strcmp(curve, "P-256") && strcmp(curve, "P-384") && strcmp(curve, "P-521") &&
		    !allowed(pv->o, curve) && !allowed(pv->o, "any-curve"))
			return rs_vfault(f, RS_VERIFY_KEY_POLICY, "key.ec-curve", (long)i,
					 "'%s' has an EC key on %s; the policy allows P-256, P-384 and P-521", label,
					 *curve ? curve : "an unnamed curve");
		return 0;
	}
	if (!allowed(pv->o, type))
		return rs_vfault(f, RS_VERIFY_KEY_POLICY, "key.algorithm", (long)i,
				 "'%s' has a %s key; the policy allows RSA and ECDSA keys", label, type);
	return 0;
}

/* ---- the Web PKI profile, certificate by certificate ---- */

/* RFC 5280 4.1.2.2: a positive integer of at most 20 octets. */
static const char *serial_problem(X509 *x)
{
	const ASN1_INTEGER *serial = X509_get0_serialNumber(x);
	const unsigned char *p = ASN1_STRING_get0_data(serial);
	int n = ASN1_STRING_length(serial), k, zero = 1;

	if (ASN1_STRING_type(serial) == V_ASN1_NEG_INTEGER)
		return "negative";
	for (k = 0; k < n; k++)
		zero &= p[k] == 0;
	if (zero)
		return "zero";
	return n > 20 ? "longer than 20 octets" : NULL;
}

/* A self-signed root may carry an AKI only as its own key identifier (webpki::aki::root-with-aki-*). */
static int root_aki_ok(X509 *x)
{
	AUTHORITY_KEYID *akid;
	const ASN1_OCTET_STRING *ski = X509_get0_subject_key_id(x);
	int crit = -1, ok;

	if (X509_get_ext_by_NID(x, NID_authority_key_identifier, -1) < 0)
		return 1;
	if (!(akid = X509_get_ext_d2i(x, NID_authority_key_identifier, &crit, NULL)))
		return 0;
	ok = akid->keyid && !akid->issuer && !akid->serial && (!ski || !ASN1_OCTET_STRING_cmp(akid->keyid, ski));
	AUTHORITY_KEYID_free(akid);
	return ok;
}

static int ext_critical(X509 *x, int nid)
{
	int at = X509_get_ext_by_NID(x, nid, -1);

	return at < 0 ? -1 : X509_EXTENSION_get_critical(X509_get_ext(x, at));
}

/* The signature's digest when it is MD5 or SHA-1 (CA/B BR 7.1.3.2 allows neither; pyca/cryptography and
 * rustls-webpki accept only SHA-256/384/512 signatures). The anchor's own signature is not checked: a trust
 * anchor is trusted for its key, and Baltimore CyberTrust Root is SHA-1-signed. */
static const char *weak_digest(X509 *x)
{
	int md = NID_undef, pk = NID_undef;

	if (!OBJ_find_sigid_algs(X509_get_signature_nid(x), &md, &pk))
		return NULL;
	return md == NID_sha1 ? "SHA-1" : md == NID_md5 ? "MD5" : md == NID_md4 ? "MD4" : md == NID_md2 ? "MD2" : NULL;
}

int rs_verify_check_cert_profile(const struct rs_vpath *pv, size_t i, struct rs_verify_fault *f)
{
	X509 *x = X_AT(pv, i);
	const char *label = rs_verify_cert_label(CERT_AT(pv, i)), *why;
	int anchor = i + 1 == pv->len, root = anchor && rs_cert_self_issued(CERT_AT(pv, i));

	if (check_key_policy(pv, i, f) < 0)
		return -1;
	if (!webpki(pv))
		return 0;
	if (!anchor && X509_get_version(x) != X509_VERSION_3)
		return rs_vfault(f, RS_VERIFY_PROFILE, "webpki.v3", (long)i, "'%s' is an X.509 v%ld certificate, not v3",
				 label, X509_get_version(x) + 1);
	if (!anchor && (why = weak_digest(x)) != NULL)
		return rs_vfault(f, RS_VERIFY_PROFILE, "webpki.signature-digest", (long)i,
				 "'%s' is signed with %s, which the policy does not accept (CA/B BR 7.1.3.2)", label, why);
	if (!anchor && (why = serial_problem(x)) != NULL)
		return rs_vfault(f, RS_VERIFY_PROFILE, "webpki.serial", (long)i, "'%s' has a serial number that is %s",
				 label, why);
	if (!root && !X509_get0_authority_key_id(x))
		return rs_vfault(f, RS_VERIFY_PROFILE, "webpki.aki", (long)i,
				 "'%s' has no authority key identifier", label);
	if (root && !root_aki_ok(x))
		return rs_vfault(f, RS_VERIFY_PROFILE, "webpki.root-aki", (long)i,
				 "'%s' is self-signed and has an authority key identifier other than its own key identifier",
				 label);
	if (i > 0 && !X509_get0_subject_key_id(x))
		return rs_vfault(f, RS_VERIFY_PROFILE, "webpki.ski", (long)i, "'%s' is a CA without a subject key identifier",
				 label);
	if (i > 0 && ext_critical(x, NID_basic_constraints) == 0)
		return rs_vfault(f, RS_VERIFY_PROFILE, "webpki.bc-critical", (long)i,
				 "'%s' is a CA whose basic constraints are not critical", label);
	if (ext_critical(x, NID_policy_constraints) == 0)
		return rs_vfault(f, RS_VERIFY_PROFILE, "webpki.pc-critical", (long)i,
				 "'%s' has policy constraints that are not critical", label);
	if (root && i > 0 && X509_get_ext_by_NID(x, NID_ext_key_usage, -1) >= 0)
		return rs_vfault(f, RS_VERIFY_BAD_EKU, "webpki.root-eku", (long)i, "'%s' is a root with extended key usage",
				 label);
	return 0;
}

/* ---- the end certificate ---- */

/* Extended key usages a TLS server certificate must not carry (CA/B BR 7.1.2.7.10, RFC 6962 3.1). */
static const char *forbidden_eku(X509 *x)
{
	static const struct { const char *oid, *name; } bad[] = {
		{ "2.5.29.37.0", "anyExtendedKeyUsage" },  { "1.3.6.1.5.5.7.3.3", "codeSigning" },
		{ "1.3.6.1.5.5.7.3.4", "emailProtection" }, { "1.3.6.1.5.5.7.3.8", "timeStamping" },
		{ "1.3.6.1.5.5.7.3.9", "OCSPSigning" },    { "1.3.6.1.4.1.11129.2.4.4", "precertificate signing" },
	};
	EXTENDED_KEY_USAGE *eku = X509_get_ext_d2i(x, NID_ext_key_usage, NULL, NULL);
	const char *found = NULL;
	char oid[80];
	int j;
	size_t k;

	for (j = 0; eku && j < sk_ASN1_OBJECT_num(eku) && !found; j++) {
		OBJ_obj2txt(oid, sizeof(oid), sk_ASN1_OBJECT_value(eku, j), 1);
		for (k = 0; k < RS_ARRAY_LEN(bad) && !found; k++)
			if (!strcmp(oid, bad[k].oid))
				found = bad[k].name;
	}
	EXTENDED_KEY_USAGE_free(eku);
	return found;
}

/* A built-in list of common public suffixes of the ICANN section of the Public Suffix List (a wildcard over one
 * covers domains of many owners). Every single-label name is one too. Not the whole list, and none of its private
 * section (*.s3.amazonaws.com is a real, valid server certificate): docs/verify.md says which are here. */
static const char *const public_suffixes[] = {
	"co.uk", "org.uk", "ac.uk", "gov.uk", "me.uk", "net.uk", "com.au", "net.au", "org.au", "edu.au", "gov.au",
	"co.nz", "org.nz", "co.jp", "ne.jp", "or.jp", "ac.jp", "go.jp", "com.br", "net.br", "org.br", "com.cn",
	"net.cn", "org.cn", "gov.cn", "com.hk", "com.tw", "com.sg", "com.mx", "co.in", "co.za", "co.kr", "or.kr",
	"com.tr", "com.ar", "com.ru", "co.il", "com.pl",
};

static int public_suffix(const char *name, size_t len)
{
	size_t k;

	if (!memchr(name, '.', len))
		return 1;
	for (k = 0; k < RS_ARRAY_LEN(public_suffixes); k++)
		if (strlen(public_suffixes[k]) == len && !strncasecmp(public_suffixes[k], name, len))
			return 1;
	return 0;
}

/* The canonical text of a SAN iPAddress: dotted decimal, or RFC 5952 (glibc's inet_ntop writes it). */
static int ip_text(const ASN1_OCTET_STRING *ip, char *buf, size_t size)
{
	int n = ASN1_STRING_length(ip);

	if (n != 4 && n != 16)
		return -1;
	return inet_ntop(n == 4 ? AF_INET : AF_INET6, ASN1_STRING_get0_data(ip), buf, (socklen_t)size) ? 0 : -1;
}

/* A CN that names a host or an address: it has a '.' or a ':', or it is a whole 32-bit number, which inet_aton(3)
 * reads as an IPv4 address ("0xC0A80101", "3232235777"; x509-limbo's webpki::cn::cabf-cn-ipv4-hex-mismatch). */
static int cn_names_host(const unsigned char *utf8, int n)
{
	const char *s = (const char *)utf8;
	char *end = NULL;
	unsigned long long v;

	if (n <= 0 || memchr(utf8, '.', (size_t)n) || memchr(utf8, ':', (size_t)n))
		return n > 0;
	if (!isdigit((unsigned char)s[0]) || strlen(s) != (size_t)n)
		return 0;
	errno = 0;
	v = strtoull(s, &end, 0);
	return errno == 0 && end && !*end && v <= 0xffffffffULL;
}

/* CA/B BR 7.1.4.3: each CN is a character-for-character copy of a SAN dNSName, or the canonical text of a SAN
 * iPAddress. Only a CN that names a host or an address (cn_names_host) is held to it: x509-limbo's own leaves
 * carry "CN=x509-limbo-ee" beside unrelated SANs and are valid. Returns the first CN that fails, or NULL (into
 * buf). */
static const char *cn_outside_san(X509 *x, const GENERAL_NAMES *gens, char *buf, size_t size)
{
	const X509_NAME *subject = X509_get_subject_name(x);
	int at = -1, k;
	char ip[64];

	while ((at = X509_NAME_get_index_by_NID(subject, NID_commonName, at)) >= 0) {
		const ASN1_STRING *cn = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, at));
		unsigned char *utf8 = NULL;
		int n = ASN1_STRING_to_UTF8(&utf8, cn), found = 0;

		if (n >= 0 && !cn_names_host(utf8, n)) {
			OPENSSL_free(utf8);
			continue;
		}
		for (k = 0; n >= 0 && k < sk_GENERAL_NAME_num(gens) && !found; k++) {
			const GENERAL_NAME *gn = sk_GENERAL_NAME_value(gens, k);
			if (gn->type == GEN_DNS)
				found = ASN1_STRING_length(gn->d.dNSName) == n &&
					!memcmp(ASN1_STRING_get0_data(gn->d.dNSName), utf8, (size_t)n);
			else if (gn->type == GEN_IPADD && ip_text(gn->d.iPAddress, ip, sizeof(ip)) == 0)
				found = strlen(ip) == (size_t)n && !memcmp(ip, utf8, (size_t)n);
		}
		if (!found) {
			snprintf(buf, size, "%.*s", n < 0 ? 0 : n, utf8 ? (const char *)utf8 : "");
			OPENSSL_free(utf8);
			return buf;
		}
		OPENSSL_free(utf8);
	}
	return NULL;
}

/* A dNSName SAN of the form "*.BASE": 1 with the whole name in *d and its length in *n, else 0. */
static int wildcard_san(const GENERAL_NAME *gn, const char **d, size_t *n)
{
	if (gn->type != GEN_DNS)
		return 0;
	*d = (const char *)ASN1_STRING_get0_data(gn->d.dNSName);
	*n = (size_t)ASN1_STRING_length(gn->d.dNSName);
	return *n > 2 && (*d)[0] == '*' && (*d)[1] == '.';
}

static const char *public_suffix_wildcard(const GENERAL_NAMES *gens)
{
	int k;

	for (k = 0; k < sk_GENERAL_NAME_num(gens); k++) {
		const char *d;
		size_t n;

		if (wildcard_san(sk_GENERAL_NAME_value(gens, k), &d, &n) && public_suffix(d + 2, n - 2))
			return d;
	}
	return NULL;
}

static int check_end_names(const struct rs_vpath *pv, X509 *x, const char *label, struct rs_verify_fault *f)
{
	GENERAL_NAMES *gens = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
	const char *bad;
	char cn[256];
	int rv = 0;

	if (!gens)
		rv = rs_vfault(f, RS_VERIFY_PROFILE, "webpki.ee-san", 0, "'%s' has no subjectAltName", label);
	else if (ext_critical(x, NID_subject_alt_name) == 1 && X509_NAME_entry_count(X509_get_subject_name(x)) > 0)
		rv = rs_vfault(f, RS_VERIFY_PROFILE, "webpki.san-critical", 0,
			       "'%s' has a critical subjectAltName and a non-empty subject", label);
	else if ((bad = cn_outside_san(x, gens, cn, sizeof(cn))) != NULL)
		rv = rs_vfault(f, RS_VERIFY_PROFILE, "webpki.cn-in-san", 0,
			       "'%s' has the common name '%s', which is not one of its subjectAltNames", label, bad);
	else if ((bad = public_suffix_wildcard(gens)) != NULL)
		rv = rs_vfault(f, RS_VERIFY_PROFILE, "webpki.wildcard-public-suffix", 0,
			       "'%s' has the wildcard '%s' over a public suffix", label, bad);
	GENERAL_NAMES_free(gens);
	(void)pv;
	return rv;
}

int rs_verify_check_end_profile(const struct rs_vpath *pv, struct rs_verify_fault *f)
{
	X509 *x = X_AT(pv, 0);
	const char *label = rs_verify_cert_label(CERT_AT(pv, 0)), *bad;
	uint32_t fl = X509_get_extension_flags(x);

	if (!webpki(pv))
		return 0;
	if ((fl & EXFLAG_BCONS) && (fl & EXFLAG_CA)) {
		/* Without a host name the call checks an intermediate (docs/verify.md); as a server's leaf a CA is
		 * forbidden (CA/B BR 7.1.2.7.8, 7.1.2.7.11). */
		if (pv->o->host)
			return rs_vfault(f, RS_VERIFY_PROFILE, "webpki.ee-ca", 0,
					 "'%s' is a CA certificate used as the server's certificate", label);
		return 0;
	}
	if (!(fl & EXFLAG_XKUSAGE))
		return rs_vfault(f, RS_VERIFY_BAD_EKU, "webpki.ee-eku", 0, "'%s' has no extended key usage", label);
	if (ext_critical(x, NID_ext_key_usage) == 1)
		return rs_vfault(f, RS_VERIFY_BAD_EKU, "webpki.ee-eku", 0, "'%s' has a critical extended key usage", label);
	if ((bad = forbidden_eku(x)) != NULL)
		return rs_vfault(f, RS_VERIFY_BAD_EKU, "webpki.ee-eku", 0, "'%s' has the extended key usage %s", label, bad);
	return check_end_names(pv, x, label, f);
}

/* ---- name constraints ---- */

static int contiguous_mask(const unsigned char *m, int n)
{
	int k, seen_zero = 0;

	for (k = 0; k < n * 8; k++) {
		int bit = (m[k / 8] >> (7 - k % 8)) & 1;
		if (bit && seen_zero)
			return 0;
		seen_zero |= !bit;
	}
	return 1;
}

/* RFC 5280 4.2.1.10: minimum 0 and no maximum; a dNSName constraint is a host name to which labels may be added
 * on the left (no leading period); an iPAddress constraint is an address and a contiguous mask. */
static const char *subtree_problem(const GENERAL_SUBTREE *st)
{
	const GENERAL_NAME *gn = st->base;
	const unsigned char *p;
	int n;

	if (st->maximum || (st->minimum && ASN1_INTEGER_get(st->minimum) != 0))
		return "a subtree with a minimum or maximum";
	switch (gn->type) {
	case GEN_DNS:
		p = ASN1_STRING_get0_data(gn->d.dNSName);
		n = ASN1_STRING_length(gn->d.dNSName);
		return n == 0 || rs_verify_dns_name_ok((const char *)p, (size_t)n, 0) ? NULL
										     : "a dNSName constraint that is not a host name";
	case GEN_IPADD:
		p = ASN1_STRING_get0_data(gn->d.iPAddress);
		n = ASN1_STRING_length(gn->d.iPAddress);
		if (n != 8 && n != 32)
			return "an iPAddress constraint that is not an address and a mask";
		return contiguous_mask(p + n / 2, n / 2) ? NULL : "an iPAddress constraint with a non-contiguous mask";
	default:
		return NULL;
	}
}

static const char *subtrees_problem(const STACK_OF(GENERAL_SUBTREE) *sts)
{
	const char *why = NULL;
	int k;

	for (k = 0; k < sk_GENERAL_SUBTREE_num(sts) && !why; k++)
		why = subtree_problem(sk_GENERAL_SUBTREE_value(sts, k));
	return why;
}

/* name is in the DNS subtree base: equal, or base with labels added on the left (case-insensitive). */
static int dns_in_subtree(const char *name, size_t len, const ASN1_IA5STRING *base)
{
	const char *b = (const char *)ASN1_STRING_get0_data(base);
	size_t bl = (size_t)ASN1_STRING_length(base);

	if (bl == 0)
		return 1;
	if (len == bl)
		return !strncasecmp(name, b, bl);
	return len > bl && name[len - bl - 1] == '.' && !strncasecmp(name + len - bl, b, bl);
}

/* Whether name satisfies the DNS subtrees: in a permitted one (when there are any) and in no excluded one. */
static int dns_permitted(const NAME_CONSTRAINTS *nc, const char *name, size_t len)
{
	int k, have = 0, in = 0;

	for (k = 0; k < sk_GENERAL_SUBTREE_num(nc->permittedSubtrees); k++) {
		const GENERAL_NAME *gn = sk_GENERAL_SUBTREE_value(nc->permittedSubtrees, k)->base;
		if (gn->type == GEN_DNS) {
			have = 1;
			in |= dns_in_subtree(name, len, gn->d.dNSName);
		}
	}
	if (have && !in)
		return 0;
	for (k = 0; k < sk_GENERAL_SUBTREE_num(nc->excludedSubtrees); k++) {
		const GENERAL_NAME *gn = sk_GENERAL_SUBTREE_value(nc->excludedSubtrees, k)->base;
		if (gn->type == GEN_DNS && dns_in_subtree(name, len, gn->d.dNSName))
			return 0;
	}
	return 1;
}

/* An excluded subtree one label below the wildcard's base: *.example.com can stand for bar.example.com. */
static int wildcard_reaches_excluded(const NAME_CONSTRAINTS *nc, const char *base, size_t bl)
{
	int k;

	for (k = 0; k < sk_GENERAL_SUBTREE_num(nc->excludedSubtrees); k++) {
		const GENERAL_NAME *gn = sk_GENERAL_SUBTREE_value(nc->excludedSubtrees, k)->base;
		const char *e;
		size_t el;

		if (gn->type != GEN_DNS)
			continue;
		e = (const char *)ASN1_STRING_get0_data(gn->d.dNSName);
		el = (size_t)ASN1_STRING_length(gn->d.dNSName);
		if (el > bl + 1 && e[el - bl - 1] == '.' && !strncasecmp(e + el - bl, base, bl) &&
		    !memchr(e, '.', el - bl - 1))
			return 1;
	}
	return 0;
}

/* CVE-2025-61727: the names a wildcard SAN stands for are constrained too. The peer name, when it matches a
 * wildcard SAN of the end certificate, must satisfy the constraints; and a wildcard whose one-label expansions
 * include an excluded name fails even without a peer name. */
static int wildcard_violation(const struct rs_vpath *pv, const NAME_CONSTRAINTS *nc, char *what, size_t size)
{
	GENERAL_NAMES *gens = X509_get_ext_d2i(X_AT(pv, 0), NID_subject_alt_name, NULL, NULL);
	const char *host = pv->o->host;
	size_t hl = host ? strlen(host) : 0;
	int k, bad = 0;

	for (k = 0; gens && k < sk_GENERAL_NAME_num(gens) && !bad; k++) {
		const char *d;
		size_t n;

		if (!wildcard_san(sk_GENERAL_NAME_value(gens, k), &d, &n))
			continue;
		if (wildcard_reaches_excluded(nc, d + 2, n - 2)) {
			snprintf(what, size, "the wildcard '%.*s' covers an excluded name", (int)n, d);
			bad = 1;
		} else if (host && hl > n - 1 && host[hl - (n - 1)] == '.' && !strncasecmp(host + hl - (n - 2), d + 2, n - 2) &&
			   !memchr(host, '.', hl - (n - 1)) && !dns_permitted(nc, host, hl)) {
			snprintf(what, size, "the host '%s', matched through the wildcard '%.*s', is outside them", host,
				 (int)n, d);
			bad = 1;
		}
	}
	GENERAL_NAMES_free(gens);
	return bad;
}

int rs_verify_check_nc_extra(const struct rs_vpath *pv, size_t j, const NAME_CONSTRAINTS *nc, int critical,
			     struct rs_verify_fault *f)
{
	const char *label = rs_verify_cert_label(CERT_AT(pv, j)), *why;
	char what[400];

	if ((why = subtrees_problem(nc->permittedSubtrees)) != NULL ||
	    (why = subtrees_problem(nc->excludedSubtrees)) != NULL)
		return rs_vfault(f, RS_VERIFY_NAME_CONSTRAINTS, "rfc5280.nc-syntax", (long)j,
				 "'%s' has name constraints with %s", label, why);
	if (!critical && !webpki(pv))
		return rs_vfault(f, RS_VERIFY_NAME_CONSTRAINTS, "rfc5280.nc-critical", (long)j,
				 "'%s' has name constraints that are not critical", label);
	if (wildcard_violation(pv, nc, what, sizeof(what)))
		return rs_vfault(f, RS_VERIFY_NAME_CONSTRAINTS, "rfc5280.nc-wildcard", 0,
				 "'%s' is outside the name constraints of '%s': %s", rs_verify_cert_label(CERT_AT(pv, 0)),
				 label, what);
	return 0;
}
