/* verify_crl.c: revocation along a path by the CRLs given with rs_verify_opts_add_crls (--crl).
 *
 * RFC 5280 6.3.3 and 5.2/5.3: a CRL that names an issuer of the path speaks for it only when it is usable (the
 * issuer's key verifies it; the issuer's key usage, when present, has cRLSign; it carries a non-critical CRL
 * number; it has no critical extension, on itself or an entry, that is not understood; thisUpdate <= T <=
 * nextUpdate; no serial twice). A CRL that names an issuer of the path but is not usable fails the path (bad-crl):
 * a device that fetched it could not decide. A certificate whose serial the issuer's CRL lists is revoked,
 * whatever the revocation date (x509-limbo rfc5280::crl::*, webpki::crl::*). CRLs of issuers not on the path are
 * ignored. */
#include "verify.h"

#include <stdlib.h>
#include <string.h>

static int known_crl_ext(int nid)
{
	return nid == NID_crl_number || nid == NID_authority_key_identifier || nid == NID_issuing_distribution_point ||
	       nid == NID_delta_crl || nid == NID_freshest_crl || nid == NID_issuer_alt_name;
}

static int known_entry_ext(int nid)
{
	return nid == NID_crl_reason || nid == NID_invalidity_date || nid == NID_certificate_issuer ||
	       nid == NID_hold_instruction_code;
}

static int critical_unknown(const STACK_OF(X509_EXTENSION) *exts, int (*known)(int))
{
	int k;

	for (k = 0; k < sk_X509_EXTENSION_num(exts); k++) {
		X509_EXTENSION *e = sk_X509_EXTENSION_value(exts, k);
		if (X509_EXTENSION_get_critical(e) && !known(OBJ_obj2nid(X509_EXTENSION_get_object(e))))
			return 1;
	}
	return 0;
}

static int serial_cmp(const void *a, const void *b)
{
	return ASN1_INTEGER_cmp(*(const ASN1_INTEGER *const *)a, *(const ASN1_INTEGER *const *)b);
}

/* Entries: a critical extension not understood, or the same serial twice. */
static const char *entries_problem(const STACK_OF(X509_REVOKED) *revs)
{
	int n = sk_X509_REVOKED_num(revs), k;
	const ASN1_INTEGER **serials;
	const char *why = NULL;

	for (k = 0; k < n; k++)
		if (critical_unknown(X509_REVOKED_get0_extensions(sk_X509_REVOKED_value(revs, k)), known_entry_ext))
			return "an entry has a critical extension that is not understood";
	if (n < 2)
		return NULL;
	if (!(serials = malloc((size_t)n * sizeof(*serials))))
		return "out of memory";
	for (k = 0; k < n; k++)
		serials[k] = X509_REVOKED_get0_serialNumber(sk_X509_REVOKED_value(revs, k));
	qsort(serials, (size_t)n, sizeof(*serials), serial_cmp);
	for (k = 1; k < n && !why; k++)
		if (!ASN1_INTEGER_cmp(serials[k - 1], serials[k]))
			why = "it lists a serial number twice";
	free(serials);
	return why;
}

static const char *crl_problem(X509_CRL *crl, X509 *issuer, rs_time at)
{
	EVP_PKEY *key = X509_get0_pubkey(issuer);
	int num = X509_CRL_get_ext_by_NID(crl, NID_crl_number, -1);
	rs_time t;

	if (!key || X509_CRL_verify(crl, key) != 1)
		return "its signature does not verify with the issuer's key";
	if ((X509_get_extension_flags(issuer) & EXFLAG_KUSAGE) && !(X509_get_key_usage(issuer) & KU_CRL_SIGN))
		return "the issuer's key usage lacks cRLSign";
	if (num < 0)
		return "it has no CRL number";
	if (X509_EXTENSION_get_critical(X509_CRL_get_ext(crl, num)))
		return "its CRL number is critical";
	if (critical_unknown(X509_CRL_get0_extensions(crl), known_crl_ext))
		return "it has a critical extension that is not understood";
	if (rs_time_from_asn1(X509_CRL_get0_lastUpdate(crl), &t) < 0 || t > at)
		return "it is not valid yet (thisUpdate)";
	if (X509_CRL_get0_nextUpdate(crl) && (rs_time_from_asn1(X509_CRL_get0_nextUpdate(crl), &t) < 0 || t < at))
		return "it has expired (nextUpdate)";
	return entries_problem(X509_CRL_get_REVOKED(crl));
}

static int listed(X509_CRL *crl, X509 *x)
{
	const STACK_OF(X509_REVOKED) *revs = X509_CRL_get_REVOKED(crl);
	const ASN1_INTEGER *serial = X509_get0_serialNumber(x);
	int k;

	for (k = 0; k < sk_X509_REVOKED_num(revs); k++)
		if (!ASN1_INTEGER_cmp(X509_REVOKED_get0_serialNumber(sk_X509_REVOKED_value(revs, k)), serial))
			return 1;
	return 0;
}

int rs_verify_check_crls(const struct rs_vnode *nodes, const size_t *path, size_t len,
			 const struct rs_verify_opts *opts, struct rs_verify_fault *f)
{
	size_t k;
	int c;

	for (k = 0; opts->crls && k + 1 < len; k++) {
		X509 *x = nodes[path[k]].x, *issuer = nodes[path[k + 1]].x;
		for (c = 0; c < sk_X509_CRL_num(opts->crls); c++) {
			X509_CRL *crl = sk_X509_CRL_value(opts->crls, c);
			const char *why;
			if (X509_NAME_cmp(X509_CRL_get_issuer(crl), X509_get_subject_name(issuer)))
				continue;
			if ((why = crl_problem(crl, issuer, opts->at)) != NULL)
				return rs_vfault(f, RS_VERIFY_BAD_CRL, "rfc5280.crl-usable", (long)(k + 1),
						 "the CRL of '%s' cannot be used: %s",
						 rs_verify_cert_label(nodes[path[k + 1]].cert), why);
			if (listed(crl, x))
				return rs_vfault(f, RS_VERIFY_REVOKED, "rfc5280.crl-revoked", (long)k,
						 "'%s' (serial %s) is revoked by the CRL of '%s'",
						 rs_verify_cert_label(nodes[path[k]].cert), rs_cert_serial(nodes[path[k]].cert),
						 rs_verify_cert_label(nodes[path[k + 1]].cert));
		}
	}
	return 0;
}
