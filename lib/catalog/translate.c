/*
 * translate.c: a real store or pin put in a stand-in PKI's terms (rs_translate_certs). The lab signs its chains
 * with its own keys under look-alike roots, so the real DigiCert Global Root G2 in a device's store trusts none of
 * them; the lab's look-alike of G2 does. Which look-alike replaces a certificate is decided by what the catalog
 * knows the certificate as (fingerprint, else SPKI and subject) and what each look-alike plays: the same catalog
 * certificate, or, for an intermediate nothing plays, one of the same role under the same issuers. Names never
 * decide: a look-alike carries the real names (`lab init --exact-names`) and different keys.
 */
#include "internal.h"

#include <stdio.h>
#include <string.h>

/* Two catalog entries for one certificate (the same certificate may sit in several profiles). */
static int same_known(const struct rs_known *a, const struct rs_known *b)
{
	if (a == b)
		return 1;
	if (*rs_known_sha256(a) && *rs_known_sha256(b))
		return !strcmp(rs_known_sha256(a), rs_known_sha256(b));
	return *rs_known_sha1(a) && !strcmp(rs_known_sha1(a), rs_known_sha1(b));
}

/* "PROFILE:ID" resolved in cat, or NULL. */
static const struct rs_known *played(const struct rs_catalog *cat, const char *plays)
{
	const char *colon = plays ? strchr(plays, ':') : NULL;
	char profile[128];

	if (!colon || (size_t)(colon - plays) >= sizeof(profile))
		return NULL;
	memcpy(profile, plays, (size_t)(colon - plays));
	profile[colon - plays] = '\0';
	return rs_profile_known(rs_catalog_profile(cat, profile), colon + 1);
}

/* The catalog entry of issuer i of k (issuers are ids within k's profile). */
static const struct rs_known *issuer_of(const struct rs_known *k, size_t i)
{
	return rs_profile_known(rs_known_profile(k), rs_known_issuer_at(k, i));
}

static int has_issuer(const struct rs_known *k, const struct rs_known *issuer)
{
	for (size_t i = 0; i < rs_known_issuer_count(k); i++) {
		const struct rs_known *x = issuer_of(k, i);
		if (x && same_known(x, issuer))
			return 1;
	}
	return 0;
}

/* Intermediates of one role issued by the same roots: each stands in for the other. */
static int same_role(const struct rs_known *a, const struct rs_known *b)
{
	if (rs_known_kind(a) != RS_KIND_INTERMEDIATE || rs_known_kind(b) != RS_KIND_INTERMEDIATE ||
	    strcmp(rs_known_role(a), rs_known_role(b)) || !rs_known_issuer_count(a) || !rs_known_issuer_count(b))
		return 0;
	for (size_t i = 0; i < rs_known_issuer_count(a); i++)
		if (!issuer_of(a, i) || !has_issuer(b, issuer_of(a, i)))
			return 0;
	for (size_t i = 0; i < rs_known_issuer_count(b); i++)
		if (!issuer_of(b, i) || !has_issuer(a, issuer_of(b, i)))
			return 0;
	return 1;
}

/* What the catalog knows cert as: by fingerprint, else by key and subject (a re-issued certificate of the same
 * key and name is the same anchor to a device). */
static const struct rs_known *identify(const struct rs_catalog *cat, const struct rs_cert *cert)
{
	const struct rs_known *k = rs_catalog_identify(cat, cert);

	return k ? k : rs_catalog_by_spki(cat, rs_cert_spki_sha256(cert), rs_cert_subject(cert));
}

/* The look-alike that stands for k, and how; NULL when none. */
static const struct rs_lookalike *stand_in(const struct rs_catalog *cat, const struct rs_lookalike *map, size_t n,
					   const struct rs_known *k, enum rs_translate_how *how)
{
	for (size_t i = 0; i < n; i++) {
		const struct rs_known *p = played(cat, map[i].plays);
		if (p && map[i].cert && same_known(p, k)) {
			*how = RS_TRANSLATE_SAME;
			return &map[i];
		}
	}
	for (size_t i = 0; i < n; i++) {
		const struct rs_known *p = played(cat, map[i].plays);
		if (p && map[i].cert && same_role(p, k)) {
			*how = RS_TRANSLATE_ROLE;
			return &map[i];
		}
	}
	*how = RS_TRANSLATE_KEPT;
	return NULL;
}

static int contains(const struct rs_certlist *list, const struct rs_cert *cert)
{
	for (size_t i = 0; i < rs_certlist_count(list); i++)
		if (!strcmp(rs_cert_sha256(rs_certlist_at(list, i)), rs_cert_sha256(cert)))
			return 1;
	return 0;
}

int rs_translate_certs(const struct rs_catalog *cat, const struct rs_lookalike *map, size_t nmap,
		       const struct rs_certlist *in, struct rs_certlist *out, struct rs_translation *tr, size_t max,
		       struct rs_error *err)
{
	struct rs_location loc = { NULL, 0, 0, "lookalike" };
	int met = 0;

	if (!cat || !in || !out || (nmap && !map) || (max && !tr))
		return rs_fail(err, RS_ERR_USAGE, "rs_translate_certs: missing argument");
	for (size_t i = 0; i < rs_certlist_count(in); i++) {
		struct rs_cert *cert = rs_certlist_at(in, i);
		const struct rs_known *k = identify(cat, cert);
		const struct rs_lookalike *by = NULL;
		enum rs_translate_how how = RS_TRANSLATE_KEPT;

		if (k) {
			by = stand_in(cat, map, nmap, k, &how);
			if ((size_t)met < max)
				tr[met] = (struct rs_translation){ cert, k, by, how };
			met++;
		}
		if (by) {
			loc.path = by->role;
			if (!contains(out, by->cert) && rs_certlist_add(out, (struct rs_cert *)by->cert, &loc, err) < 0)
				return -1;
		} else if (!contains(out, cert) && rs_certlist_add(out, cert, rs_certlist_location(in, i), err) < 0)
			return -1;
	}
	return met;
}

const char *rs_translate_how_name(enum rs_translate_how how)
{
	switch (how) {
	case RS_TRANSLATE_SAME: return "same";
	case RS_TRANSLATE_ROLE: return "role";
	case RS_TRANSLATE_KEPT: return "kept";
	}
	return "?";
}
