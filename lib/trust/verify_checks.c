/* verify_checks.c: the checks of one complete path, end certificate first and trust anchor last. Each check
 * returns 0, or -1 after filling the fault with a reason from RS_VERIFY_REASON_TABLE and a message naming the
 * certificate. OpenSSL does the single checks it gets right (signature info, name constraints, host names). */
#include "verify.h"

#include <openssl/x509v3.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define pathview rs_vpath

const char *rs_verify_cert_label(const struct rs_cert *cert)
{
	if (*rs_cert_common_name(cert))
		return rs_cert_common_name(cert);
	return *rs_cert_subject(cert) ? rs_cert_subject(cert) : rs_cert_sha1(cert); /* an empty name: the thumbprint */
}

int rs_vfault(struct rs_verify_fault *f, enum rs_verify_reason reason, const char *rule, long at, const char *fmt, ...)
{
	va_list ap;

	f->reason = reason;
	f->rule = rule;
	f->at = at;
	va_start(ap, fmt);
	vsnprintf(f->message, sizeof(f->message), fmt, ap);
	va_end(ap);
	return -1;
}

static int is_denied(char *const *list, size_t n, const char *name)
{
	size_t i;

	for (i = 0; name && *name && i < n; i++)
		if (rs_streq_ci(list[i], name))
			return 1;
	return 0;
}

static int check_validity(const struct pathview *pv, size_t i, struct rs_verify_fault *f)
{
	const struct rs_cert *c = CERT_AT(pv, i);
	char buf[32];

	if (pv->o->at < rs_cert_not_before(c))
		return rs_vfault(f, RS_VERIFY_NOT_YET_VALID, "rfc5280.validity", (long)i, "'%s' is not valid before %s", rs_verify_cert_label(c),
			     rs_time_format(rs_cert_not_before(c), buf, sizeof(buf)));
	if (pv->o->at > rs_cert_not_after(c))
		return rs_vfault(f, RS_VERIFY_EXPIRED, "rfc5280.validity", (long)i, "'%s' expired at %s", rs_verify_cert_label(c),
			     rs_time_format(rs_cert_not_after(c), buf, sizeof(buf)));
	return 0;
}

/* The digest a device must compute to verify (mbedTLS: even to parse) the certificate's signature. */
static int check_digest(const struct pathview *pv, size_t i, struct rs_verify_fault *f)
{
	const struct rs_cert *c = CERT_AT(pv, i);
	int mdnid = NID_undef;
	char md[32];
	size_t k;

	if (!X509_get_signature_info(X_AT(pv, i), &mdnid, NULL, NULL, NULL) || mdnid == NID_undef)
		return 0;
	snprintf(md, sizeof(md), "%s", OBJ_nid2sn(mdnid));
	for (k = 0; md[k]; k++)
		md[k] = (char)(md[k] >= 'A' && md[k] <= 'Z' ? md[k] - 'A' + 'a' : md[k]);
	if (is_denied(pv->o->deny_digest, pv->o->n_deny_digest, md))
		return rs_vfault(f, RS_VERIFY_UNSUPPORTED_DIGEST, "device.no-digest", (long)i, "'%s' is signed with %s and the device has no %s",
			     rs_verify_cert_label(c), rs_cert_sig_alg(c), md);
	return 0;
}

static int check_key(const struct pathview *pv, size_t i, struct rs_verify_fault *f)
{
	const struct rs_cert *c = CERT_AT(pv, i);
	const char *type = rs_cert_key_type(c), *curve = rs_cert_key_curve(c);

	if (is_denied(pv->o->deny_key, pv->o->n_deny_key, type) ||
	    is_denied(pv->o->deny_key, pv->o->n_deny_key, curve))
		return rs_vfault(f, RS_VERIFY_UNSUPPORTED_KEY, "device.no-key", (long)i, "'%s' has a key of type %s%s%s, which the device cannot use",
			     rs_verify_cert_label(c), type, *curve ? " " : "", curve);
	if (pv->o->rsa_max_bits && !strcmp(type, "RSA") && rs_cert_key_bits(c) > pv->o->rsa_max_bits)
		return rs_vfault(f, RS_VERIFY_UNSUPPORTED_KEY, "device.rsa-max-bits", (long)i,
			     "'%s' has an RSA-%d key, larger than the device's %d bits", rs_verify_cert_label(c),
			     rs_cert_key_bits(c), pv->o->rsa_max_bits);
	return 0;
}

/* RFC 5280's encoding rules (x509/cert.c find_malformed): a certificate that breaks them is "not valid", with its
 * position, never a reason to stop. */
static int check_well_formed(const struct pathview *pv, size_t i, struct rs_verify_fault *f)
{
	const char *why = rs_cert_malformed(CERT_AT(pv, i));

	if (why)
		return rs_vfault(f, RS_VERIFY_MALFORMED, "rfc5280.well-formed", (long)i, "'%s' is malformed: %s",
				 rs_verify_cert_label(CERT_AT(pv, i)), why);
	return 0;
}

static int check_critical(const struct pathview *pv, size_t i, struct rs_verify_fault *f)
{
	if (X509_get_extension_flags(X_AT(pv, i)) & EXFLAG_CRITICAL)
		return rs_vfault(f, RS_VERIFY_CRITICAL_EXTENSION, "rfc5280.critical-extension", (long)i,
			     "'%s' has a critical extension that is not understood", rs_verify_cert_label(CERT_AT(pv, i)));
	return 0;
}

/* A dNSName in preferred name syntax (RFC 5280 4.2.1.6, RFC 1034): LDH labels, a whole "*" left-most label. */
int rs_verify_dns_name_ok(const char *name, size_t len, int wildcard_ok)
{
	size_t i, label = 0;

	if (wildcard_ok && len >= 2 && name[0] == '*' && name[1] == '.') {
		name += 2;
		len -= 2;
	}
	if (len == 0 || len > 253)
		return 0;
	for (i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)name[i];
		if (ch == '.') {
			if (label == 0 || name[i - 1] == '-')
				return 0;
			label = 0;
		} else if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
			   (ch == '-' && label > 0)) {
			if (++label > 63)
				return 0;
		} else
			return 0;
	}
	return label > 0 && name[len - 1] != '-';
}

static int bad_dns_san(X509 *x)
{
	GENERAL_NAMES *gens = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
	int i, bad = 0;

	for (i = 0; gens && i < sk_GENERAL_NAME_num(gens) && !bad; i++) {
		const GENERAL_NAME *gn = sk_GENERAL_NAME_value(gens, i);
		if (gn->type == GEN_DNS)
			bad = !rs_verify_dns_name_ok((const char *)ASN1_STRING_get0_data(gn->d.dNSName),
						     (size_t)ASN1_STRING_length(gn->d.dNSName), 1);
	}
	GENERAL_NAMES_free(gens);
	return bad;
}

/* RFC 5280 rules on names: a non-empty issuer; a CA's subject non-empty; an empty subject only with a critical
 * subjectAltName; the end certificate's dNSNames well formed. */
static int check_names(const struct pathview *pv, size_t i, struct rs_verify_fault *f)
{
	X509 *x = X_AT(pv, i);
	const char *label = rs_verify_cert_label(CERT_AT(pv, i));
	int crit = 0, san = X509_get_ext_by_NID(x, NID_subject_alt_name, -1);

	if (san >= 0)
		crit = X509_EXTENSION_get_critical(X509_get_ext(x, san));
	if (X509_NAME_entry_count(X509_get_issuer_name(x)) == 0)
		return rs_vfault(f, RS_VERIFY_MALFORMED, "rfc5280.names", (long)i, "'%s' has an empty issuer name", label);
	if (X509_NAME_entry_count(X509_get_subject_name(x)) == 0 && (i > 0 || !crit))
		return rs_vfault(f, RS_VERIFY_MALFORMED, "rfc5280.names", (long)i, "'%s' has an empty subject name%s", label,
			     i > 0 ? " but issues certificates" : " and no critical subjectAltName");
	if (i == 0 && bad_dns_san(x))
		return rs_vfault(f, RS_VERIFY_MALFORMED, "rfc5280.san-syntax", 0, "'%s' has a subjectAltName dNSName that is not a host name", label);
	return 0;
}

/* Extended key usage, where present, must allow TLS server authentication (for CAs too: EKU chaining). */
static int check_eku(const struct pathview *pv, size_t i, struct rs_verify_fault *f)
{
	X509 *x = X_AT(pv, i);

	if (!(X509_get_extension_flags(x) & EXFLAG_XKUSAGE))
		return 0;
	if (X509_get_extended_key_usage(x) & (XKU_SSL_SERVER | XKU_ANYEKU))
		return 0;
	return rs_vfault(f, RS_VERIFY_BAD_EKU, "rfc5280.eku", (long)i, "'%s' has an extended key usage without serverAuth",
		     rs_verify_cert_label(CERT_AT(pv, i)));
}

static int has_cert_sign(X509 *x)
{
	return !(X509_get_extension_flags(x) & EXFLAG_KUSAGE) || (X509_get_key_usage(x) & KU_KEY_CERT_SIGN);
}

static int is_ca(X509 *x)
{
	uint32_t fl = X509_get_extension_flags(x);

	return (fl & EXFLAG_BCONS) && (fl & EXFLAG_CA);
}

/* Every certificate above the end one issues: cA=TRUE and, when key usage is present, keyCertSign. */
static int check_issuer_role(const struct pathview *pv, size_t i, struct rs_verify_fault *f)
{
	X509 *x = X_AT(pv, i);
	const char *label = rs_verify_cert_label(CERT_AT(pv, i));

	if (!is_ca(x))
		return rs_vfault(f, RS_VERIFY_NOT_A_CA, "rfc5280.basic-constraints", (long)i, "'%s' issues '%s' but is not a CA", label,
			     rs_verify_cert_label(CERT_AT(pv, i - 1)));
	if (!has_cert_sign(x))
		return rs_vfault(f, RS_VERIFY_BAD_KEY_USAGE, "rfc5280.key-usage", (long)i,
			     "'%s' is a CA whose key usage lacks keyCertSign", label);
	return check_eku(pv, i, f);
}

/* The end certificate: key usage consistent with basicConstraints, serverAuth, no name constraints of its own. */
static int check_end(const struct pathview *pv, struct rs_verify_fault *f)
{
	X509 *x = X_AT(pv, 0);
	const char *label = rs_verify_cert_label(CERT_AT(pv, 0));
	int ca = is_ca(x), sign = (X509_get_extension_flags(x) & EXFLAG_KUSAGE) &&
				  (X509_get_key_usage(x) & KU_KEY_CERT_SIGN);

	if (ca && !has_cert_sign(x))
		return rs_vfault(f, RS_VERIFY_BAD_KEY_USAGE, "rfc5280.key-usage", 0,
			     "'%s' is a CA whose key usage lacks keyCertSign", label);
	if (!ca && sign)
		return rs_vfault(f, RS_VERIFY_BAD_KEY_USAGE, "rfc5280.key-usage", 0, "'%s' has keyCertSign but is not a CA", label);
	if (!ca && X509_get_ext_by_NID(x, NID_name_constraints, -1) >= 0)
		return rs_vfault(f, RS_VERIFY_NAME_CONSTRAINTS, "rfc5280.nc-in-ca", 0,
			     "'%s' is not a CA but carries name constraints", label);
	return check_eku(pv, 0, f);
}

/* pathLenConstraint of certificate j: the non-self-issued intermediates below it (the end one not counted). */
static int check_path_len(const struct pathview *pv, size_t j, struct rs_verify_fault *f)
{
	long max = X509_get_pathlen(X_AT(pv, j));
	size_t k, below = 0;

	if (max < 0)
		return 0;
	for (k = 1; k < j; k++)
		below += !rs_cert_self_issued(CERT_AT(pv, k));
	if ((long)below > max)
		return rs_vfault(f, RS_VERIFY_PATH_TOO_LONG, "rfc5280.path-len", (long)j, "'%s' allows %ld intermediate%s below it, the path has %zu",
			     rs_verify_cert_label(CERT_AT(pv, j)), max, max == 1 ? "" : "s", below);
	return 0;
}

static int has_dns_san(X509 *x)
{
	GENERAL_NAMES *gens = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
	int i, found = 0;

	for (i = 0; gens && i < sk_GENERAL_NAME_num(gens); i++)
		if (sk_GENERAL_NAME_value(gens, i)->type == GEN_DNS)
			found = 1;
	GENERAL_NAMES_free(gens);
	return found;
}

/* Name constraints of certificate j over every certificate below it (self-issued intermediates exempt). */
static int check_name_constraints(const struct pathview *pv, size_t j, struct rs_verify_fault *f)
{
	NAME_CONSTRAINTS *nc;
	int crit = -1, rc = X509_V_OK;
	size_t k;

	nc = X509_get_ext_d2i(X_AT(pv, j), NID_name_constraints, &crit, NULL);
	if (nc && rs_verify_check_nc_extra(pv, j, nc, crit, f) < 0) {
		NAME_CONSTRAINTS_free(nc);
		return -1;
	}
	if (!nc)
		return crit == -2 ? rs_vfault(f, RS_VERIFY_NAME_CONSTRAINTS, "rfc5280.well-formed", (long)j,
					  "'%s' has duplicate name constraints",
					  rs_verify_cert_label(CERT_AT(pv, j))) : 0;
	if (sk_GENERAL_SUBTREE_num(nc->permittedSubtrees) <= 0 && sk_GENERAL_SUBTREE_num(nc->excludedSubtrees) <= 0) {
		NAME_CONSTRAINTS_free(nc);
		return rs_vfault(f, RS_VERIFY_NAME_CONSTRAINTS, "rfc5280.nc-syntax", (long)j, "'%s' has name constraints with no subtrees",
			     rs_verify_cert_label(CERT_AT(pv, j)));
	}
	for (k = 0; k < j && rc == X509_V_OK; k++) {
		if (k > 0 && rs_cert_self_issued(CERT_AT(pv, k)))
			continue;
		rc = NAME_CONSTRAINTS_check(X_AT(pv, k), nc);
		if (rc == X509_V_OK && k == 0 && !has_dns_san(X_AT(pv, 0)))
			rc = NAME_CONSTRAINTS_check_CN(X_AT(pv, 0), nc);
	}
	NAME_CONSTRAINTS_free(nc);
	if (rc != X509_V_OK)
		return rs_vfault(f, RS_VERIFY_NAME_CONSTRAINTS, "rfc5280.nc", (long)(k - 1), "'%s' is outside the name constraints of '%s' (%s)",
			     rs_verify_cert_label(CERT_AT(pv, k - 1)), rs_verify_cert_label(CERT_AT(pv, j)),
			     X509_verify_cert_error_string(rc));
	return 0;
}

/* RFC 6125: SAN dNSName (left-most whole-label wildcard only), the CN only when there is no DNS SAN. */
static int check_host(const struct pathview *pv, struct rs_verify_fault *f)
{
	const char *host = pv->o->host;
	ASN1_OCTET_STRING *ip;
	int ok;

	if (!host)
		return 0;
	if ((ip = a2i_IPADDRESS(host)) != NULL) {
		ASN1_OCTET_STRING_free(ip);
		ok = X509_check_ip_asc(X_AT(pv, 0), host, 0) == 1;
	} else
		ok = X509_check_host(X_AT(pv, 0), host, strlen(host),
				     X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS |
					     (pv->o->policy == RS_VERIFY_POLICY_WEBPKI ? X509_CHECK_FLAG_NEVER_CHECK_SUBJECT : 0),
				     NULL) == 1;
	if (!ok)
		return rs_vfault(f, RS_VERIFY_NAME_MISMATCH, "rfc6125.host", 0, "'%s' does not match host '%s'",
			     rs_verify_cert_label(CERT_AT(pv, 0)), host);
	return 0;
}

/* What the device sees before any signature: the size of the served chain and the number of intermediates. */
static int check_device(const struct pathview *pv, size_t chain_bytes, struct rs_verify_fault *f)
{
	size_t inter = pv->len >= 2 ? pv->len - 2 : 0;

	if (pv->o->max_chain_bytes && chain_bytes > pv->o->max_chain_bytes)
		return rs_vfault(f, RS_VERIFY_CHAIN_TOO_LARGE, "device.max-chain-bytes", -1, "the served chain takes %zu bytes, more than the device's %zu",
			     chain_bytes, pv->o->max_chain_bytes);
	if (pv->o->max_depth >= 0 && inter > (size_t)pv->o->max_depth)
		return rs_vfault(f, RS_VERIFY_PATH_TOO_LONG, "device.max-depth", -1, "the path has %zu intermediate%s, more than the device's %d",
			     inter, inter == 1 ? "" : "s", pv->o->max_depth);
	return 0;
}

int rs_verify_check_path(const struct rs_vnode *nodes, const size_t *path, size_t len, size_t chain_bytes,
			 const struct rs_verify_opts *opts, struct rs_verify_fault *f)
{
	struct pathview pv = { nodes, path, len, opts };
	size_t i;

	if (check_device(&pv, chain_bytes, f) < 0)
		return -1;
	for (i = 0; i < len; i++)
		if (check_well_formed(&pv, i, f) < 0 || check_critical(&pv, i, f) < 0 || check_names(&pv, i, f) < 0 ||
		    check_validity(&pv, i, f) < 0 || check_digest(&pv, i, f) < 0 || check_key(&pv, i, f) < 0 ||
		    rs_verify_check_cert_profile(&pv, i, f) < 0)
			return -1;
	if (check_end(&pv, f) < 0 || rs_verify_check_end_profile(&pv, f) < 0)
		return -1;
	for (i = 1; i < len; i++)
		if (check_issuer_role(&pv, i, f) < 0 || check_path_len(&pv, i, f) < 0)
			return -1;
	for (i = 1; i < len; i++)
		if (check_name_constraints(&pv, i, f) < 0)
			return -1;
	if (check_host(&pv, f) < 0)
		return -1;
	return rs_verify_check_crls(nodes, path, len, opts, f);
}
