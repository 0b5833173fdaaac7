/* test_verify.c: the path builder, as a table of cases over the real Azure intermediates and the self-made twin
 * hierarchy of tests/data/pki, the cases where OpenSSL 3.0's X509_verify_cert differs, and a pathological set. */
#include "rs_test.h"
#include "trust/verify.h"

#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509v3.h>
#include <stdlib.h>
#include <string.h>

#define PKI(f) DATA("pki/" f)
#define INT(f) DATA("intermediates/" f)
#define G2 DATA("digicert_global_root_g2.pem")
#define MS2017 DATA("microsoft_rsa_root_ca_2017.pem")
#define BALTIMORE DATA("baltimore_cybertrust_root.pem")

/* One case: files are space-free paths separated by '|'. */
struct vcase {
	const char *name;
	const char *chain, *untrusted, *store;
	const char *at;
	const char *host;
	int max_depth;           /* -1: none */
	size_t max_bytes;
	const char *deny_digest;
	int rsa_max_bits;
	const char *want;        /* "ok" or a reason code */
	size_t paths;            /* valid paths expected (when ok) */
	size_t first_len;        /* length of the shortest path (when ok) */
};

static const struct vcase cases[] = {
	/* The twins, self-made under copies of the real names: every order, each root alone and both. */
	{ "xsign-first/g2", PKI("leaf.pem"), PKI("twins_xsign_first.pem"), PKI("root_g2.pem"), "2025-06-01", NULL, -1, 0, NULL, 0, "ok", 1, 3 },
	{ "ms2017-first/g2", PKI("leaf.pem"), PKI("twins_ms2017_first.pem"), PKI("root_g2.pem"), "2025-06-01", NULL, -1, 0, NULL, 0, "ok", 1, 3 },
	{ "xsign-first/ms2017", PKI("leaf.pem"), PKI("twins_xsign_first.pem"), PKI("root_ms2017.pem"), "2025-06-01", NULL, -1, 0, NULL, 0, "ok", 1, 3 },
	{ "ms2017-first/ms2017", PKI("leaf.pem"), PKI("twins_ms2017_first.pem"), PKI("root_ms2017.pem"), "2025-06-01", NULL, -1, 0, NULL, 0, "ok", 1, 3 },
	{ "xsign-first/both", PKI("leaf.pem"), PKI("twins_xsign_first.pem"), PKI("root_g2.pem") "|" PKI("root_ms2017.pem"), "2025-06-01", NULL, -1, 0, NULL, 0, "ok", 2, 3 },
	{ "ms2017-first/both", PKI("leaf.pem"), PKI("twins_ms2017_first.pem"), PKI("root_ms2017.pem") "|" PKI("root_g2.pem"), "2025-06-01", NULL, -1, 0, NULL, 0, "ok", 2, 3 },
	{ "served-ms2017+xsign-untrusted/g2", PKI("served_ms2017.pem"), PKI("ica07_xsign.pem"), PKI("root_g2.pem"), "2025-06-01", NULL, -1, 0, NULL, 0, "ok", 1, 3 },
	{ "served-xsign/ms2017-missing-twin", PKI("served_xsign.pem"), NULL, PKI("root_ms2017.pem"), "2025-06-01", NULL, -1, 0, NULL, 0, "untrusted-root", 0, 0 },
	/* The look-alike roots are not the real ones: same names, other keys. */
	{ "look-alike/real-g2", PKI("leaf.pem"), PKI("twins_xsign_first.pem"), G2, "2025-06-01", NULL, -1, 0, NULL, 0, "untrusted-root", 0, 0 },
	/* Time: the G2 twin expires 2026-08-25, the leaf 2026-02-28. */
	{ "xsign-expired/g2", PKI("ica07_xsign.pem"), NULL, PKI("root_g2.pem"), "2026-09-01", NULL, -1, 0, NULL, 0, "expired", 0, 0 },
	{ "xsign-expired/both", PKI("ica07_xsign.pem"), PKI("ica07.pem"), PKI("root_g2.pem") "|" PKI("root_ms2017.pem"), "2026-09-01", NULL, -1, 0, NULL, 0, "expired", 0, 0 },
	{ "leaf-2026/twins/g2-later", PKI("leaf_2026.pem"), PKI("twins_xsign_first.pem"), PKI("root_g2.pem"), "2026-09-01", NULL, -1, 0, NULL, 0, "expired", 0, 0 },
	{ "leaf-2026/twins/both-later", PKI("leaf_2026.pem"), PKI("twins_xsign_first.pem"), PKI("root_g2.pem") "|" PKI("root_ms2017.pem"), "2026-09-01", NULL, -1, 0, NULL, 0, "ok", 1, 3 },
	{ "leaf-2026/twins/both-before", PKI("leaf_2026.pem"), PKI("twins_xsign_first.pem"), PKI("root_g2.pem") "|" PKI("root_ms2017.pem"), "2026-07-01", NULL, -1, 0, NULL, 0, "ok", 2, 3 },
	{ "leaf-expired", PKI("leaf.pem"), PKI("twins_xsign_first.pem"), PKI("root_g2.pem"), "2026-03-01", NULL, -1, 0, NULL, 0, "expired", 0, 0 },
	{ "leaf-not-yet-valid", PKI("leaf.pem"), PKI("twins_xsign_first.pem"), PKI("root_g2.pem"), "2025-01-01", NULL, -1, 0, NULL, 0, "not-yet-valid", 0, 0 },
	/* Host names (RFC 6125). */
	{ "host-wildcard", PKI("leaf.pem"), PKI("twins_xsign_first.pem"), PKI("root_g2.pem"), "2025-06-01", "myhub.azure-devices.net", -1, 0, NULL, 0, "ok", 1, 3 },
	{ "host-apex", PKI("leaf.pem"), PKI("twins_xsign_first.pem"), PKI("root_g2.pem"), "2025-06-01", "azure-devices.net", -1, 0, NULL, 0, "ok", 1, 3 },
	{ "host-two-labels", PKI("leaf.pem"), PKI("twins_xsign_first.pem"), PKI("root_g2.pem"), "2025-06-01", "a.b.azure-devices.net", -1, 0, NULL, 0, "name-mismatch", 0, 0 },
	{ "host-other", PKI("leaf.pem"), PKI("twins_xsign_first.pem"), PKI("root_g2.pem"), "2025-06-01", "example.com", -1, 0, NULL, 0, "name-mismatch", 0, 0 },
	{ "client-only-eku", PKI("leaf_client_only.pem"), PKI("twins_xsign_first.pem"), PKI("root_g2.pem"), "2025-06-01", NULL, -1, 0, NULL, 0, "bad-eku", 0, 0 },
	{ "ec-leaf", PKI("leaf_ec.pem"), PKI("twins_ms2017_first.pem"), PKI("root_g2.pem"), "2025-06-01", "ec.azure-devices.net", -1, 0, NULL, 0, "ok", 1, 3 },
	/* Device constraints. */
	{ "no-sha384", PKI("leaf.pem"), PKI("twins_xsign_first.pem"), PKI("root_g2.pem"), "2025-06-01", NULL, -1, 0, "sha384", 0, "unsupported-digest", 0, 0 },
	{ "rsa-2048/ms2017", PKI("leaf.pem"), PKI("twins_xsign_first.pem"), PKI("root_ms2017.pem"), "2025-06-01", NULL, -1, 0, NULL, 2048, "unsupported-key", 0, 0 },
	{ "rsa-2048/g2", PKI("leaf.pem"), PKI("twins_xsign_first.pem"), PKI("root_g2.pem"), "2025-06-01", NULL, -1, 0, NULL, 2048, "ok", 1, 3 },
	{ "max-depth-0", PKI("leaf.pem"), PKI("twins_xsign_first.pem"), PKI("root_g2.pem"), "2025-06-01", NULL, 0, 0, NULL, 0, "path-too-long", 0, 0 },
	{ "max-depth-1", PKI("leaf.pem"), PKI("twins_xsign_first.pem"), PKI("root_g2.pem"), "2025-06-01", NULL, 1, 0, NULL, 0, "ok", 1, 3 },
	{ "chain-1000-bytes", PKI("served_xsign.pem"), NULL, PKI("root_g2.pem"), "2025-06-01", NULL, -1, 1000, NULL, 0, "chain-too-large", 0, 0 },
	{ "chain-4096-bytes", PKI("served_xsign.pem"), NULL, PKI("root_g2.pem"), "2025-06-01", NULL, -1, 4096, NULL, 0, "ok", 1, 3 },
	{ "no-store", PKI("leaf.pem"), PKI("twins_xsign_first.pem"), NULL, "2025-06-01", NULL, -1, 0, NULL, 0, "untrusted-root", 0, 0 },

	/* Real Azure intermediates as the end of the chain (no real leaf is in the corpus). */
	{ "real-07-xsign/g2", INT("microsoft_azure_rsa_tls_issuing_ca_07_xsign.pem"), NULL, G2, "2025-06-01", NULL, -1, 0, NULL, 0, "ok", 1, 2 },
	{ "real-07-ms2017/g2", INT("microsoft_azure_rsa_tls_issuing_ca_07.pem"), NULL, G2, "2025-06-01", NULL, -1, 0, NULL, 0, "untrusted-root", 0, 0 },
	{ "real-07-ms2017/ms2017", INT("microsoft_azure_rsa_tls_issuing_ca_07.pem"), NULL, MS2017, "2025-06-01", NULL, -1, 0, NULL, 0, "ok", 1, 2 },
	{ "real-07-xsign/ms2017", INT("microsoft_azure_rsa_tls_issuing_ca_07_xsign.pem"), NULL, MS2017, "2025-06-01", NULL, -1, 0, NULL, 0, "untrusted-root", 0, 0 },
	{ "real-07-xsign/old", INT("microsoft_azure_rsa_tls_issuing_ca_07_xsign.pem"), NULL, BALTIMORE, "2025-06-01", NULL, -1, 0, NULL, 0, "untrusted-root", 0, 0 },
	{ "real-07-xsign/later", INT("microsoft_azure_rsa_tls_issuing_ca_07_xsign.pem"), NULL, G2, "2026-09-01", NULL, -1, 0, NULL, 0, "expired", 0, 0 },
	{ "real-07-ms2017/later", INT("microsoft_azure_rsa_tls_issuing_ca_07.pem"), NULL, MS2017, "2026-09-01", NULL, -1, 0, NULL, 0, "ok", 1, 2 },
	{ "real-07-xsign/no-sha384", INT("microsoft_azure_rsa_tls_issuing_ca_07_xsign.pem"), NULL, G2, "2025-06-01", NULL, -1, 0, "sha384", 0, "unsupported-digest", 0, 0 },
	{ "real-07-ms2017/rsa-2048", INT("microsoft_azure_rsa_tls_issuing_ca_07.pem"), NULL, MS2017, "2025-06-01", NULL, -1, 0, NULL, 2048, "unsupported-key", 0, 0 },
	{ "real-03-xsign/certifi-2025", INT("microsoft_azure_rsa_tls_issuing_ca_03_xsign.pem"), NULL, DATA("certifi-2025.01.31.pem"), "2025-06-01", NULL, -1, 0, NULL, 0, "ok", 1, 2 },
	/* The Baltimore era. */
	{ "real-rsa-tls-01/baltimore-2023", INT("microsoft_rsa_tls_ca_1.pem"), NULL, BALTIMORE, "2023-01-01", NULL, -1, 0, NULL, 0, "ok", 1, 2 },
	{ "real-rsa-tls-02/baltimore-2023", INT("microsoft_rsa_tls_ca_2.pem"), NULL, BALTIMORE, "2023-01-01", NULL, -1, 0, NULL, 0, "ok", 1, 2 },
	{ "real-rsa-tls-01/g2", INT("microsoft_rsa_tls_ca_1.pem"), NULL, G2 "|" MS2017, "2023-01-01", NULL, -1, 0, NULL, 0, "untrusted-root", 0, 0 },
	{ "real-rsa-tls-01/later", INT("microsoft_rsa_tls_ca_1.pem"), NULL, BALTIMORE, "2024-12-01", NULL, -1, 0, NULL, 0, "expired", 0, 0 },
	{ "real-it-tls-1/baltimore-2022", INT("microsoft_it_tls_ca_1.pem"), NULL, BALTIMORE, "2022-06-01", NULL, -1, 0, NULL, 0, "ok", 1, 2 },
	{ "real-it-tls-1/later", INT("microsoft_it_tls_ca_1.pem"), NULL, BALTIMORE, "2024-06-01", NULL, -1, 0, NULL, 0, "expired", 0, 0 },
	{ "real-it-tls-1/no-sha1", INT("microsoft_it_tls_ca_1.pem"), NULL, BALTIMORE, "2022-06-01", NULL, -1, 0, "sha1", 0, "unsupported-digest", 0, 0 },
	{ "real-root-in-store", G2, NULL, G2, "2025-06-01", NULL, -1, 0, NULL, 0, "ok", 1, 1 },
};

static void add_files(struct rs_certlist *l, const char *spec)
{
	char buf[4096], *p, *bar;
	struct rs_error err;

	snprintf(buf, sizeof(buf), "%s", spec);
	for (p = buf; p; p = bar) {
		if ((bar = strchr(p, '|')))
			*bar++ = '\0';
		if (rs_load_path(l, p, NULL, &err) < 0)
			fail_msg("%s", err.message);
	}
}

static struct rs_certlist *files(const char *spec)
{
	struct rs_certlist *l = rs_certlist_new();

	assert_non_null(l);
	if (spec)
		add_files(l, spec);
	return l;
}

static struct rs_verify_opts *opts_for(const struct vcase *c)
{
	struct rs_verify_opts *o = rs_verify_opts_new();
	rs_time at;

	assert_non_null(o);
	assert_int_equal(rs_time_parse(c->at, &at, NULL), 0);
	rs_verify_opts_set_time(o, at);
	assert_int_equal(rs_verify_opts_set_host(o, c->host, NULL), 0);
	rs_verify_opts_set_max_depth(o, c->max_depth);
	rs_verify_opts_set_max_chain_bytes(o, c->max_bytes);
	rs_verify_opts_set_rsa_max_bits(o, c->rsa_max_bits);
	if (c->deny_digest)
		assert_int_equal(rs_verify_opts_deny_digest(o, c->deny_digest, NULL), 0);
	return o;
}

static void run_case(const struct vcase *c)
{
	struct rs_certlist *chain = files(c->chain), *untrusted = files(c->untrusted), *store = files(c->store);
	struct rs_verify_opts *o = opts_for(c);
	struct rs_error err;
	struct rs_verify_result *r = rs_verify(chain, untrusted, store, o, &err);
	const char *got;

	if (!r)
		fail_msg("%s: %s", c->name, err.message);
	got = rs_verify_reason_code(rs_verify_result_reason(r));
	if (strcmp(got, c->want))
		fail_msg("%s: got %s (%s), want %s", c->name, got, rs_verify_result_message(r), c->want);
	if (!strcmp(c->want, "ok")) {
		assert_int_equal(rs_verify_result_path_count(r), c->paths);
		assert_int_equal(rs_certlist_count(rs_verify_result_path_at(r, 0)), c->first_len);
		assert_null(rs_verify_result_failed_path(r, NULL));
	} else {
		assert_false(rs_verify_result_ok(r));
		assert_int_equal(rs_verify_result_path_count(r), 0);
		assert_true(strlen(rs_verify_result_message(r)) > 0);
	}
	assert_int_equal(ERR_peek_error(), 0); /* nothing left on OpenSSL's error queue */
	rs_verify_result_free(r);
	rs_verify_opts_free(o);
	rs_certlist_free(chain);
	rs_certlist_free(untrusted);
	rs_certlist_free(store);
}

static void test_case_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < RS_ARRAY_LEN(cases); i++)
		run_case(&cases[i]);
}

/* The path found goes through the twin that the trusted root signed, whichever twin comes first. */
static void test_twin_chosen(void **state)
{
	static const struct { const char *untrusted, *root, *twin; } t[] = {
		{ PKI("twins_xsign_first.pem"), PKI("root_g2.pem"), PKI("ica07_xsign.pem") },
		{ PKI("twins_ms2017_first.pem"), PKI("root_g2.pem"), PKI("ica07_xsign.pem") },
		{ PKI("twins_xsign_first.pem"), PKI("root_ms2017.pem"), PKI("ica07.pem") },
		{ PKI("twins_ms2017_first.pem"), PKI("root_ms2017.pem"), PKI("ica07.pem") },
	};
	size_t i;

	(void)state;
	for (i = 0; i < RS_ARRAY_LEN(t); i++) {
		struct rs_certlist *chain = files(PKI("leaf.pem")), *u = files(t[i].untrusted), *s = files(t[i].root);
		struct rs_certlist *twin = files(t[i].twin);
		struct rs_verify_opts *o = rs_verify_opts_new();
		struct rs_verify_result *r;
		const struct rs_certlist *p;

		rs_verify_opts_set_time(o, 1748736000); /* 2025-06-01 */
		r = rs_verify(chain, u, s, o, NULL);
		assert_non_null(r);
		assert_true(rs_verify_result_ok(r));
		p = rs_verify_result_path_at(r, 0);
		assert_string_equal(rs_cert_sha256(rs_certlist_at(p, 1)), rs_cert_sha256(rs_certlist_at(twin, 0)));
		assert_string_equal(rs_cert_sha256(rs_certlist_at(p, 2)), rs_cert_sha256(rs_certlist_at(s, 0)));
		rs_verify_result_free(r);
		rs_verify_opts_free(o);
		rs_certlist_free(chain);
		rs_certlist_free(u);
		rs_certlist_free(s);
		rs_certlist_free(twin);
	}
}

/* OpenSSL 3.0's X509_verify_cert on the same inputs: 1 when it verifies. */
static int openssl_verifies(const char *leaf, const char *untrusted, const char *root, time_t at)
{
	struct rs_certlist *l = files(leaf), *u = files(untrusted), *r = files(root);
	X509_STORE *store = X509_STORE_new();
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	STACK_OF(X509) *chain = sk_X509_new_null();
	size_t i;
	int ok;

	assert_non_null(store);
	assert_non_null(ctx);
	assert_non_null(chain);
	for (i = 0; i < rs_certlist_count(u); i++)
		sk_X509_push(chain, rs_cert_get0_x509(rs_certlist_at(u, i)));
	X509_STORE_add_cert(store, rs_cert_get0_x509(rs_certlist_at(r, 0)));
	assert_int_equal(X509_STORE_CTX_init(ctx, store, rs_cert_get0_x509(rs_certlist_at(l, 0)), chain), 1);
	X509_STORE_CTX_set_time(ctx, 0, at);
	ok = X509_verify_cert(ctx) == 1;
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(store);
	sk_X509_free(chain);
	rs_certlist_free(l);
	rs_certlist_free(u);
	rs_certlist_free(r);
	return ok;
}

/*
 * Where OpenSSL differs: given both twins as untrusted certificates and one root, X509_verify_cert takes the first
 * twin by name and fails when that twin was signed by the other root. Both twins carry the same name and key, so
 * a path through the other twin is as valid as any: rootshift, which tries every candidate issuer, is right.
 */
static void test_openssl_differs(void **state)
{
	const time_t at = 1748736000; /* 2025-06-01 */

	(void)state;
	assert_true(openssl_verifies(PKI("leaf.pem"), PKI("twins_xsign_first.pem"), PKI("root_g2.pem"), at));
	assert_false(openssl_verifies(PKI("leaf.pem"), PKI("twins_ms2017_first.pem"), PKI("root_g2.pem"), at));
	assert_false(openssl_verifies(PKI("leaf.pem"), PKI("twins_xsign_first.pem"), PKI("root_ms2017.pem"), at));
	assert_true(openssl_verifies(PKI("leaf.pem"), PKI("twins_ms2017_first.pem"), PKI("root_ms2017.pem"), at));
	/* rootshift succeeds in all four: cases xsign-first/g2 ... ms2017-first/ms2017 of the table. */
}

/* ---- a pathological set: many CAs of one name, each certified by every other ---- */

static X509 *make_cert(const char *subject, const char *issuer, EVP_PKEY *key, EVP_PKEY *signer, long serial)
{
	X509 *x = X509_new();
	X509_NAME *s = X509_NAME_new(), *i = X509_NAME_new();
	BASIC_CONSTRAINTS *bc = BASIC_CONSTRAINTS_new();

	assert_non_null(x);
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), serial);
	X509_NAME_add_entry_by_txt(s, "CN", MBSTRING_ASC, (const unsigned char *)subject, -1, -1, 0);
	X509_NAME_add_entry_by_txt(i, "CN", MBSTRING_ASC, (const unsigned char *)issuer, -1, -1, 0);
	X509_set_subject_name(x, s);
	X509_set_issuer_name(x, i);
	ASN1_TIME_set(X509_getm_notBefore(x), 1577836800); /* 2020-01-01 */
	ASN1_TIME_set(X509_getm_notAfter(x), 2208988800);  /* 2040-01-01 */
	X509_set_pubkey(x, key);
	bc->ca = 0xff;
	X509_add1_ext_i2d(x, NID_basic_constraints, bc, 1, 0);
	assert_true(X509_sign(x, signer, EVP_sha256()) > 0);
	BASIC_CONSTRAINTS_free(bc);
	X509_NAME_free(s);
	X509_NAME_free(i);
	return x;
}

static void add_x509(struct rs_certlist *l, X509 *x)
{
	struct rs_cert *c = rs_cert_from_x509(x, NULL);

	assert_non_null(c);
	assert_int_equal(rs_certlist_add(l, c, NULL, NULL), 0);
	rs_cert_free(c);
	X509_free(x);
}

static void test_pathological(void **state)
{
	enum { K = 9 };
	EVP_PKEY *keys[K];
	struct rs_certlist *chain = rs_certlist_new(), *pool = rs_certlist_new(), *store = rs_certlist_new();
	struct rs_verify_opts *o = rs_verify_opts_new();
	struct rs_verify_result *r;
	long serial = 1;
	int i, j;

	(void)state;
	for (i = 0; i < K; i++)
		assert_non_null(keys[i] = EVP_EC_gen("P-256"));
	for (i = 0; i < K; i++)
		for (j = 0; j < K; j++)
			if (i != j)
				add_x509(pool, make_cert("Loop CA", "Loop CA", keys[i], keys[j], serial++));
	add_x509(chain, make_cert("leaf", "Loop CA", keys[0], keys[1], serial++));
	/* An anchor of the same name whose key signed nothing: no path exists. */
	{
		EVP_PKEY *rk = EVP_EC_gen("P-256");
		add_x509(store, make_cert("Loop CA", "Loop CA", rk, rk, serial++));
		EVP_PKEY_free(rk);
	}
	rs_verify_opts_set_time(o, 1748736000);
	r = rs_verify(chain, pool, store, o, NULL);
	assert_non_null(r);
	assert_false(rs_verify_result_ok(r));
	assert_int_equal(rs_verify_result_reason(r), RS_VERIFY_SEARCH_LIMIT);
	assert_true(rs_verify_result_truncated(r));
	assert_true(rs_verify_result_work(r) <= 5000);
	rs_verify_result_free(r);

	/* A smaller limit is honoured too. */
	rs_verify_opts_set_max_work(o, 300);
	r = rs_verify(chain, pool, store, o, NULL);
	assert_non_null(r);
	assert_int_equal(rs_verify_result_reason(r), RS_VERIFY_SEARCH_LIMIT);
	assert_true(rs_verify_result_work(r) <= 300);
	rs_verify_result_free(r);

	for (i = 0; i < K; i++)
		EVP_PKEY_free(keys[i]);
	rs_verify_opts_free(o);
	rs_certlist_free(chain);
	rs_certlist_free(pool);
	rs_certlist_free(store);
}

/* Without key identifiers, only the signature tells a look-alike issuer from the real one. */
static void test_bad_signature(void **state)
{
	EVP_PKEY *k1 = EVP_EC_gen("P-256"), *k2 = EVP_EC_gen("P-256"), *k3 = EVP_EC_gen("P-256");
	struct rs_certlist *chain = rs_certlist_new(), *store = rs_certlist_new();
	struct rs_verify_opts *o = rs_verify_opts_new();
	struct rs_verify_result *r;
	const struct rs_certlist *failed;
	long at;

	(void)state;
	add_x509(chain, make_cert("end", "Some Root", k1, k2, 1));
	add_x509(store, make_cert("Some Root", "Some Root", k3, k3, 2));
	rs_verify_opts_set_time(o, 1748736000);
	r = rs_verify(chain, NULL, store, o, NULL);
	assert_non_null(r);
	assert_int_equal(rs_verify_result_reason(r), RS_VERIFY_BAD_SIGNATURE);
	assert_non_null(failed = rs_verify_result_failed_path(r, &at));
	assert_int_equal(rs_certlist_count(failed), 1);
	assert_int_equal(at, 0);
	assert_string_equal(rs_verify_result_message(r), "the signature of 'end' does not verify with the key of 'Some Root'");
	rs_verify_result_free(r);
	rs_verify_opts_free(o);
	rs_certlist_free(chain);
	rs_certlist_free(store);
	EVP_PKEY_free(k1);
	EVP_PKEY_free(k2);
	EVP_PKEY_free(k3);
}

static void test_opts_and_codes(void **state)
{
	struct rs_verify_opts *o = rs_verify_opts_new();
	struct rs_error err;
	int i;

	(void)state;
	assert_int_equal(rs_verify_opts_deny_digest(o, "SHA384", &err), 0);
	assert_int_equal(rs_verify_opts_deny_digest(o, "sha3", &err), -1);
	assert_int_equal(err.code, RS_ERR_USAGE);
	assert_int_equal(rs_verify_opts_set_host(o, "", &err), -1);
	assert_int_equal(rs_verify_opts_deny_key(o, "P-384", &err), 0);
	for (i = 0; i < RS_VERIFY__COUNT; i++) {
		const char *code = rs_verify_reason_code((enum rs_verify_reason)i);
		int j;
		assert_true(strlen(code) > 1 && strspn(code, "abcdefghijklmnopqrstuvwxyz-") == strlen(code));
		assert_true(strlen(rs_verify_reason_description((enum rs_verify_reason)i)) > 0);
		for (j = 0; j < i; j++)
			assert_string_not_equal(code, rs_verify_reason_code((enum rs_verify_reason)j));
	}
	assert_string_equal(rs_verify_reason_code(RS_VERIFY_UNTRUSTED_ROOT), "untrusted-root");
	assert_null(rs_verify(NULL, NULL, NULL, o, &err));
	rs_verify_opts_free(o);
	rs_verify_opts_free(NULL);
	rs_verify_result_free(NULL);
}

/* ---- the policies (tests/data/verify, tools/mkverify.py) ---- */

#define VF(f) DATA("verify/" f)

/* One rule case: chain file, host, policy, extra options ("min-rsa=N", "allow=ALG", "crl=FILE"), the code and
 * the rule expected ("ok" and "" when valid), and the certificate at fault. */
struct pcase {
	const char *chain, *host;
	enum rs_verify_policy policy;
	const char *opt;
	const char *want, *rule;
	long at;
};

#define W RS_VERIFY_POLICY_WEBPKI
#define R RS_VERIFY_POLICY_RFC5280
static const struct pcase pcases[] = {
	{ "ok.pem", "ok.example.com", W, NULL, "ok", "", -1 },
	{ "ok.pem", "ok.example.com", R, NULL, "ok", "", -1 },
	/* Malformed is "not valid", under both policies, with the position. */
	{ "malformed_dup_ext.pem", "dup.example.com", W, NULL, "malformed", "rfc5280.well-formed", 0 },
	{ "malformed_dup_ext.pem", "dup.example.com", R, NULL, "malformed", "rfc5280.well-formed", 0 },
	{ "malformed_empty_ku.pem", "ku.example.com", W, NULL, "malformed", "rfc5280.well-formed", 0 },
	{ "malformed_aia.pem", "ok.example.com", R, NULL, "malformed", "rfc5280.well-formed", 0 },
	{ "malformed_san.pem", NULL, W, NULL, "malformed", "rfc5280.well-formed", 0 },
	{ "malformed_dates.pem", "ok.example.com", R, NULL, "malformed", "rfc5280.well-formed", 0 },
	/* The key policy and its options. */
	{ "key_rsa1024.pem", "ok.example.com", W, NULL, "key-policy", "key.rsa-size", 0 },
	{ "key_rsa1024.pem", "ok.example.com", W, "min-rsa=1024", "ok", "", -1 },
	{ "key_rsa1024.pem", "ok.example.com", R, NULL, "ok", "", -1 },
	{ "key_rsa1024.pem", "ok.example.com", R, "min-rsa=2048", "key-policy", "key.rsa-size", 0 },
	{ "key_rsa2052.pem", "ok.example.com", W, NULL, "key-policy", "key.rsa-size", 0 },
	{ "key_rsa2052.pem", "ok.example.com", W, "min-rsa=0", "ok", "", -1 },
	{ "key_rsa2048.pem", "ok.example.com", W, NULL, "ok", "", -1 },
	{ "key_p192.pem", "ok.example.com", W, NULL, "key-policy", "key.ec-curve", 0 },
	{ "key_p192.pem", "ok.example.com", W, "allow=P-192", "ok", "", -1 },
	{ "key_p384.pem", "ok.example.com", W, NULL, "ok", "", -1 },
	{ "key_dsa.pem", "ok.example.com", W, NULL, "key-policy", "key.algorithm", 0 },
	{ "key_dsa.pem", "ok.example.com", W, "allow=DSA", "ok", "", -1 },
	{ "key_dsa.pem", "ok.example.com", R, NULL, "ok", "", -1 },
	{ "key_ec_explicit.pem", "ok.example.com", W, NULL, "key-policy", "key.ec-named-curve", 0 },
	{ "key_ec_explicit.pem", "ok.example.com", W, "allow=explicit-curve", "ok", "", -1 },
	{ "key_ec_explicit.pem", "ok.example.com", R, NULL, "ok", "", -1 },
	{ "webpki_v1.pem", "ok.example.com", W, NULL, "profile", "webpki.v3", 0 },
	{ "webpki_v1.pem", "ok.example.com", R, NULL, "ok", "", -1 },
	{ "webpki_serial_zero.pem", "ok.example.com", W, NULL, "profile", "webpki.serial", 0 },
	{ "webpki_serial_zero.pem", "ok.example.com", R, NULL, "ok", "", -1 },
	/* The Web PKI profile; the rfc5280 policy accepts each. */
	{ "webpki_no_aki.pem", "ok.example.com", W, NULL, "profile", "webpki.aki", 0 },
	{ "webpki_no_aki.pem", "ok.example.com", R, NULL, "ok", "", -1 },
	{ "webpki_no_eku.pem", "ok.example.com", W, NULL, "bad-eku", "webpki.ee-eku", 0 },
	{ "webpki_no_eku.pem", "ok.example.com", R, NULL, "ok", "", -1 },
	{ "webpki_anyeku.pem", "ok.example.com", W, NULL, "bad-eku", "webpki.ee-eku", 0 },
	{ "webpki_critical_eku.pem", "ok.example.com", W, NULL, "bad-eku", "webpki.ee-eku", 0 },
	{ "webpki_cn_not_in_san.pem", "ok.example.com", W, NULL, "profile", "webpki.cn-in-san", 0 },
	{ "webpki_cn_not_in_san.pem", "ok.example.com", R, NULL, "ok", "", -1 },
	{ "webpki_cn_ip_not_canonical.pem", "192.168.1.1", W, NULL, "profile", "webpki.cn-in-san", 0 },
	{ "webpki_cn_ip_canonical.pem", "192.168.1.1", W, NULL, "ok", "", -1 },
	{ "webpki_no_san.pem", "ok.example.com", W, NULL, "profile", "webpki.ee-san", 0 },
	{ "webpki_no_san.pem", "ok.example.com", R, NULL, "ok", "", -1 },
	{ "webpki_wildcard_co_uk.pem", "example.co.uk", W, NULL, "profile", "webpki.wildcard-public-suffix", 0 },
	{ "webpki_wildcard_co_uk.pem", "example.co.uk", R, NULL, "ok", "", -1 },
	{ "webpki_wildcard_ok.pem", "a.example.com", W, NULL, "ok", "", -1 },
	{ "webpki_ica_no_ski.pem", "ok.example.com", W, NULL, "profile", "webpki.ski", 1 },
	{ "webpki_ica_noncritical_pc.pem", "ok.example.com", W, NULL, "profile", "webpki.pc-critical", 1 },
	{ "webpki_ica_noncritical_bc.pem", "ok.example.com", W, NULL, "profile", "webpki.bc-critical", 1 },
	{ "webpki_ca_as_leaf.pem", "ca.example.com", W, NULL, "profile", "webpki.ee-ca", 0 },
	{ "webpki_ca_as_leaf.pem", NULL, W, NULL, "ok", "", -1 },
	{ "webpki_ca_as_leaf.pem", "ca.example.com", R, NULL, "ok", "", -1 },
	/* Name constraints: through a wildcard (CVE-2025-61727), syntax, criticality. */
	{ "nc_wildcard_excluded.pem", "bar.example.com", W, NULL, "name-constraints", "rfc5280.nc-wildcard", 0 },
	{ "nc_wildcard_excluded.pem", NULL, R, NULL, "name-constraints", "rfc5280.nc-wildcard", 0 },
	{ "nc_wildcard_permitted_narrow.pem", "foo.example.com", W, NULL, "name-constraints", "rfc5280.nc", 0 },
	{ "nc_wildcard_excluded_deeper.pem", "b.example.com", W, NULL, "ok", "", -1 },
	{ "nc_leading_period.pem", "ok.example.com", W, NULL, "name-constraints", "rfc5280.nc-syntax", 1 },
	{ "nc_noncritical.pem", "ok.example.com", W, NULL, "ok", "", -1 },
	{ "nc_noncritical.pem", "ok.example.com", R, NULL, "name-constraints", "rfc5280.nc-critical", 1 },
	/* CRLs. */
	{ "ok.pem", "ok.example.com", W, "crl=crl_ica_revokes_ok.pem", "revoked", "rfc5280.crl-revoked", 0 },
	{ "ok.pem", "ok.example.com", R, "crl=crl_ica_revokes_ok.pem", "revoked", "rfc5280.crl-revoked", 0 },
	{ "ok.pem", "ok.example.com", W, "crl=crl_root_revokes_ica.pem", "revoked", "rfc5280.crl-revoked", 1 },
	{ "ok.pem", "ok.example.com", W, "crl=crl_ica_empty.pem", "ok", "", -1 },
	{ "ok.pem", "ok.example.com", W, "crl=crl_ica_empty.der", "ok", "", -1 },
	{ "ok.pem", "ok.example.com", W, "crl=crl_ica_bad_signature.pem", "bad-crl", "rfc5280.crl-usable", 1 },
	{ "ok.pem", "ok.example.com", W, "crl=crl_ica_no_number.pem", "bad-crl", "rfc5280.crl-usable", 1 },
	{ "ok.pem", "ok.example.com", W, "crl=crl_ica_expired.pem", "bad-crl", "rfc5280.crl-usable", 1 },
	{ "key_p384.pem", "ok.example.com", W, "crl=crl_ica_revokes_ok.pem", "ok", "", -1 },
};
#undef W
#undef R

static void apply_opt(struct rs_verify_opts *o, const char *opt)
{
	char path[512];

	if (!opt)
		return;
	if (!strncmp(opt, "min-rsa=", 8))
		rs_verify_opts_set_min_rsa_bits(o, (int)strtol(opt + 8, NULL, 10));
	else if (!strncmp(opt, "allow=", 6))
		assert_int_equal(rs_verify_opts_allow_key(o, opt + 6, NULL), 0);
	else if (!strncmp(opt, "crl=", 4)) {
		snprintf(path, sizeof(path), "%s", VF("") );
		snprintf(path + strlen(path), sizeof(path) - strlen(path), "%s", opt + 4);
		assert_int_equal(rs_verify_opts_add_crl_path(o, path, NULL), 0);
	} else
		fail_msg("unknown option %s", opt);
}

static struct rs_certlist *load_keep(const char *path)
{
	static const struct rs_load_opts keep = { NULL, 0, 1 };
	struct rs_certlist *l = rs_certlist_new();
	struct rs_error err;

	assert_non_null(l);
	if (rs_load_path(l, path, &keep, &err) < 0)
		fail_msg("%s: %s", path, err.message);
	return l;
}

static void test_policy_rules(void **state)
{
	struct rs_certlist *store = load_keep(VF("root.pem"));
	char path[512];
	size_t i;

	(void)state;
	for (i = 0; i < RS_ARRAY_LEN(pcases); i++) {
		const struct pcase *c = &pcases[i];
		struct rs_verify_opts *o = rs_verify_opts_new();
		struct rs_certlist *chain;
		struct rs_verify_result *r;
		rs_time at;
		long fault = -1;

		snprintf(path, sizeof(path), "%s%s", VF(""), c->chain);
		chain = load_keep(path);
		assert_int_equal(rs_time_parse("2026-01-01", &at, NULL), 0);
		rs_verify_opts_set_time(o, at);
		rs_verify_opts_set_policy(o, c->policy);
		assert_int_equal(rs_verify_opts_set_host(o, c->host, NULL), 0);
		apply_opt(o, c->opt);
		r = rs_verify(chain, NULL, store, o, NULL);
		assert_non_null(r);
		if (strcmp(rs_verify_reason_code(rs_verify_result_reason(r)), c->want) ||
		    strcmp(rs_verify_result_rule(r), c->rule))
			fail_msg("%s %s %s: got %s [%s] (%s), want %s [%s]", c->chain, rs_verify_policy_name(c->policy),
				 c->opt ? c->opt : "", rs_verify_reason_code(rs_verify_result_reason(r)),
				 rs_verify_result_rule(r), rs_verify_result_message(r), c->want, c->rule);
		rs_verify_result_failed_path(r, &fault);
		assert_int_equal(fault, c->at);
		assert_int_equal(rs_verify_result_policy(r), c->policy);
		if (ERR_peek_error())
			fail_msg("%s: %s left an error on OpenSSL's queue", c->chain, c->opt ? c->opt : "");
		rs_verify_result_free(r);
		rs_verify_opts_free(o);
		rs_certlist_free(chain);
	}
	rs_certlist_free(store);
}

/* A malformed certificate in the store is reported and skipped; the rest of the store is used. */
static void test_malformed_anchor_skipped(void **state)
{
	struct rs_certlist *store = load_keep(VF("store_malformed_and_good.pem")), *chain = load_keep(VF("ok.pem"));
	struct rs_verify_opts *o = rs_verify_opts_new();
	struct rs_verify_result *r;
	const char *why = NULL;
	rs_time at;

	(void)state;
	assert_int_equal(rs_certlist_count(store), 2);
	assert_int_equal(rs_time_parse("2026-01-01", &at, NULL), 0);
	rs_verify_opts_set_time(o, at);
	r = rs_verify(chain, NULL, store, o, NULL);
	assert_non_null(r);
	assert_true(rs_verify_result_ok(r));
	assert_int_equal(rs_verify_result_skipped_count(r), 1);
	assert_non_null(rs_verify_result_skipped_at(r, 0, &why));
	assert_non_null(strstr(why, "Authority Information Access"));
	assert_null(rs_verify_result_skipped_at(r, 1, NULL));
	rs_verify_result_free(r);
	rs_verify_opts_free(o);
	rs_certlist_free(store);
	rs_certlist_free(chain);
}

/* Without keep_malformed the loader still refuses what OpenSSL flags as invalid (audit and scan rely on it). */
static void test_policy_opts(void **state)
{
	struct rs_verify_opts *o = rs_verify_opts_new(), *d;
	struct rs_certlist *l = rs_certlist_new();
	enum rs_verify_policy p;
	struct rs_error err;

	(void)state;
	assert_int_equal(rs_load_path(l, VF("malformed_dup_ext.pem"), NULL, &err), -1);
	assert_int_equal(rs_verify_opts_policy(o), RS_VERIFY_POLICY_WEBPKI);
	assert_int_equal(rs_verify_policy_parse("RFC5280", &p, &err), 0);
	assert_int_equal(p, RS_VERIFY_POLICY_RFC5280);
	assert_int_equal(rs_verify_policy_parse("strict", &p, &err), -1);
	assert_int_equal(err.code, RS_ERR_USAGE);
	assert_string_equal(rs_verify_policy_name(RS_VERIFY_POLICY_WEBPKI), "webpki");
	assert_int_equal(rs_verify_opts_allow_key(o, "", &err), -1);
	assert_int_equal(rs_verify_opts_add_crls(o, (const unsigned char *)"junk", 4, "junk", &err), -1);
	assert_int_equal(rs_verify_opts_add_crl_path(o, VF("crl_ica_empty.pem"), &err), 0);
	assert_int_equal(rs_verify_opts_add_crl_path(o, VF("no-such.crl"), &err), -1);
	rs_verify_opts_set_policy(o, RS_VERIFY_POLICY_RFC5280);
	assert_int_equal(rs_verify_opts_allow_key(o, "DSA", &err), 0);
	assert_non_null(d = rs_verify_opts_dup(o));
	assert_int_equal(rs_verify_opts_policy(d), RS_VERIFY_POLICY_RFC5280);
	ERR_clear_error();
	rs_verify_opts_free(d);
	rs_verify_opts_free(o);
	rs_certlist_free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_case_table),
		cmocka_unit_test(test_twin_chosen),
		cmocka_unit_test(test_openssl_differs),
		cmocka_unit_test(test_pathological),
		cmocka_unit_test(test_bad_signature),
		cmocka_unit_test(test_opts_and_codes),
		cmocka_unit_test(test_policy_rules),
		cmocka_unit_test(test_malformed_anchor_skipped),
		cmocka_unit_test(test_policy_opts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
