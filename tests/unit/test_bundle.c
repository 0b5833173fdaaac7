/* test_bundle.c: root selection, problems, --minimal over time, every format read back by the anchor extractors. */
#include "rs_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define G2 "cb3ccbb76031e5e0138f8dd39a23f9de47ffc35e43c1144cea27d46a5ab1cb5f"
#define MS "c741f70f4b2a8d88bf2e71c14122ef53ef10eba0cfa5e64cfa20f418853073e0"
#define BALTIMORE "16af57a9f676b0ab126095aa5ebadef22ab31119d644ac95cd4b93dbf3f26aeb"

/* Appends s and a space to buf. */
static void append(char *buf, size_t size, const char *s)
{
	size_t n = strlen(buf);

	snprintf(buf + n, size - n, "%s ", s);
}

static rs_time day(const char *s)
{
	rs_time t = 0;

	assert_int_equal(rs_time_parse(s, &t, NULL), 0);
	return t;
}

static struct rs_anchorset *scan(const char *path)
{
	struct rs_anchorset *set = rs_anchorset_new();
	struct rs_error err = { 0 };

	assert_non_null(set);
	if (rs_anchorset_scan_path(set, path, NULL, &err) < 0)
		fail_msg("%s", err.message);
	return set;
}

static struct rs_catalog *catalog(void)
{
	struct rs_catalog *cat = rs_catalog_new();

	assert_non_null(cat);
	assert_int_equal(rs_catalog_add_builtin(cat, "azure-iot", NULL), 0);
	return cat;
}

static struct rs_bundle *select_ok(const char *source, const char *at, int minimal, int keep_old,
				   struct rs_catalog **cat_out, struct rs_anchorset **src_out)
{
	struct rs_bundle_opts o = { minimal, keep_old };
	struct rs_error err = { 0 };
	struct rs_bundle *b;

	*cat_out = catalog();
	*src_out = scan(source);
	b = rs_bundle_select(*src_out, *cat_out, rs_catalog_profile(*cat_out, "azure-iot"), day(at), &o, &err);
	if (!b)
		fail_msg("%s", err.message);
	return b;
}

static void test_default_selection(void **state)
{
	struct rs_catalog *cat;
	struct rs_anchorset *src;
	struct rs_bundle *b = select_ok(DATA("certifi-2025.01.31.pem"), "2025-06-01", 0, 0, &cat, &src);

	(void)state;
	assert_int_equal(rs_bundle_problem_count(b), 0);
	assert_int_equal(rs_bundle_count(b), 2);
	assert_string_equal(rs_cert_sha256(rs_bundle_cert_at(b, 0)), G2);
	assert_string_equal(rs_cert_sha256(rs_bundle_cert_at(b, 1)), MS);
	assert_string_equal(rs_bundle_why_at(b, 0), "required by the profile");
	assert_string_equal(rs_bundle_why_at(b, 1), "recommended by the profile");
	assert_non_null(strstr(rs_bundle_source_at(b, 0)->path, "certifi-2025.01.31.pem"));
	assert_int_equal(rs_bundle_der_bytes(b), 914 + 1452);
	rs_bundle_free(b);
	rs_anchorset_free(src);
	rs_catalog_free(cat);
}

/* A source that cannot yield the bundle: the first problem's code and the root it names. */
static const struct {
	const char *source, *at;
	int minimal, keep_old;
	const char *code, *known;
} problems[] = {
	{ "certifi-2020.04.05.2.pem", "2025-06-01", 0, 0, "root-missing", "microsoft-rsa-root-ca-2017" },
	{ "certifi-2025.01.31.pem", "2025-06-01", 0, 1, "root-expired", "baltimore-cybertrust-root" },
	{ "certifi-2025.01.31.pem", "2025-06-01", 1, 1, "root-expired", "baltimore-cybertrust-root" },
	{ "bundle/nss-ms2017-must-verify.txt", "2025-06-01", 0, 0, "root-distrusted", "microsoft-rsa-root-ca-2017" },
	{ "audit/x509_crt_bundle", "2025-06-01", 0, 0, "root-name-key-only", "digicert-global-root-g2" },
	{ "certifi-2025.01.31.pem", "2010-01-01", 0, 0, "root-not-yet-valid", "digicert-global-root-g2" },
	{ "certifi-2020.04.05.2.pem", "2025-06-01", 1, 0, "intermediate-uncovered",
	  "microsoft-azure-rsa-tls-issuing-ca-03-ms2017" },
	{ "nss-3.114-certdata.txt", "2024-03-01", 1, 0, "intermediate-uncovered", "microsoft-rsa-tls-ca-01" },
};

static void test_problems(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < RS_ARRAY_LEN(problems); i++) {
		char path[512];
		struct rs_catalog *cat;
		struct rs_anchorset *src;
		struct rs_bundle *b;
		struct rs_error err = { 0 };
		const struct rs_reason *r;

		snprintf(path, sizeof(path), "%s/%s", RS_TEST_DATA, problems[i].source);
		b = select_ok(path, problems[i].at, problems[i].minimal, problems[i].keep_old, &cat, &src);
		if (!rs_bundle_problem_count(b))
			fail_msg("case %zu (%s): no problem", i, problems[i].source);
		r = rs_bundle_problem_at(b, 0);
		if (strcmp(r->code, problems[i].code) || strcmp(rs_known_id(r->known), problems[i].known))
			fail_msg("case %zu (%s): %s %s: %s", i, problems[i].source, r->code, rs_known_id(r->known), r->message);
		assert_int_equal(rs_bundle_count(b), 0);
		assert_null(rs_bundle_render(b, RS_BUNDLE_PEM, NULL, &err));
		assert_int_equal(err.code, RS_ERR_USAGE);
		rs_bundle_free(b);
		rs_anchorset_free(src);
		rs_catalog_free(cat);
	}
}

/* --minimal keeps Baltimore only while an intermediate under it is still valid; the required G2 always stays. */
static void test_minimal_over_time(void **state)
{
	static const struct {
		const char *at;
		const char *roots;
	} cases[] = {
		{ "2024-03-01", G2 " " MS " " BALTIMORE " " },
		{ "2024-10-01", G2 " " MS " " BALTIMORE " " },
		{ "2024-10-09", G2 " " MS " " },
		{ "2025-06-01", G2 " " MS " " },
		{ "2026-11-28", G2 " " MS " " },
	};
	size_t i, j;

	(void)state;
	for (i = 0; i < RS_ARRAY_LEN(cases); i++) {
		struct rs_catalog *cat;
		struct rs_anchorset *src;
		struct rs_bundle *b = select_ok(DATA("certifi-2025.01.31.pem"), cases[i].at, 1, 0, &cat, &src);
		char got[400] = "";
		for (j = 0; j < rs_bundle_count(b); j++)
			append(got, sizeof(got), rs_cert_sha256(rs_bundle_cert_at(b, j)));
		if (strcmp(got, cases[i].roots))
			fail_msg("at %s: %s", cases[i].at, got);
		rs_bundle_free(b);
		rs_anchorset_free(src);
		rs_catalog_free(cat);
	}
}

/* Inside the migration window (before migration_complete) the default keeps a usable old root, with a note saying
 * why and until when; a source without it gets a warning and the uncovered intermediates are noted. */
static void test_default_keeps_old_in_window(void **state)
{
	struct rs_catalog *cat;
	struct rs_anchorset *src;
	struct rs_bundle *b = select_ok(DATA("certifi-2025.01.31.pem"), "2024-03-01", 0, 0, &cat, &src);

	(void)state;
	assert_int_equal(rs_bundle_problem_count(b), 0);
	assert_int_equal(rs_bundle_count(b), 3);
	assert_non_null(strstr(rs_bundle_why_at(b, 2), "until 2024-09-30"));
	assert_true(rs_bundle_note_count(b) > 0);
	assert_string_equal(rs_bundle_note_at(b, 0)->code, "old-kept");
	assert_non_null(strstr(rs_bundle_note_at(b, 0)->message, "2024-09-30"));
	rs_bundle_free(b);
	rs_anchorset_free(src);
	rs_catalog_free(cat);
	b = select_ok(DATA("g2_ms2017.pem"), "2024-03-01", 0, 0, &cat, &src);
	assert_int_equal(rs_bundle_problem_count(b), 0);
	assert_int_equal(rs_bundle_count(b), 2);
	assert_string_equal(rs_bundle_note_at(b, 0)->code, "old-unavailable");
	assert_true(rs_bundle_note_count(b) > 1);
	assert_string_equal(rs_bundle_note_at(b, 1)->code, "intermediate-uncovered");
	assert_non_null(strstr(rs_bundle_note_at(b, 1)->action, "--keep-old"));
	rs_bundle_free(b);
	rs_anchorset_free(src);
	rs_catalog_free(cat);
	/* after the window: the old root is left out; only its intermediates still valid are noted */
	b = select_ok(DATA("certifi-2025.01.31.pem"), "2024-10-01", 0, 0, &cat, &src);
	assert_int_equal(rs_bundle_count(b), 2);
	for (size_t i = 0; i < rs_bundle_note_count(b); i++)
		assert_string_equal(rs_bundle_note_at(b, i)->code, "intermediate-uncovered");
	rs_bundle_free(b);
	rs_anchorset_free(src);
	rs_catalog_free(cat);
	b = select_ok(DATA("certifi-2025.01.31.pem"), "2024-03-01", 0, 1, &cat, &src);
	assert_int_equal(rs_bundle_count(b), 3);
	assert_int_equal(rs_bundle_note_count(b), 0);
	rs_bundle_free(b);
	rs_anchorset_free(src);
	rs_catalog_free(cat);
}

/* Reads every file of a rendered bundle back into one anchor set, as audit does. */
static struct rs_anchorset *read_back(const struct rs_bundle_files *f)
{
	struct rs_anchorset *set = rs_anchorset_new();
	struct rs_error err = { 0 };
	size_t i, len;

	assert_non_null(set);
	for (i = 0; i < rs_bundle_files_count(f); i++) {
		const unsigned char *data = rs_bundle_files_data_at(f, i, &len);
		if (rs_anchorset_scan_mem(set, data, len, rs_bundle_files_name_at(f, i), NULL, &err) < 0)
			fail_msg("%s: %s", rs_bundle_files_name_at(f, i), err.message);
	}
	return set;
}

/* Every anchor is one of the bundle's roots (by SHA-256, or by catalog identity for name and key) and each once. */
static void assert_same_roots(const struct rs_bundle *b, const struct rs_anchorset *set, const struct rs_catalog *cat,
			      enum rs_bundle_format fmt)
{
	size_t i, j;

	if (rs_anchorset_count(set) != rs_bundle_count(b))
		fail_msg("%s: %zu anchors read back for %zu roots", rs_bundle_format_name(fmt), rs_anchorset_count(set),
			 rs_bundle_count(b));
	for (i = 0; i < rs_anchorset_count(set); i++) {
		const struct rs_anchor *a = rs_anchorset_at(set, i);
		for (j = 0; j < rs_bundle_count(b); j++) {
			const struct rs_cert *c = rs_bundle_cert_at(b, j);
			if (rs_anchor_cert(a) ? !strcmp(rs_cert_sha256(rs_anchor_cert(a)), rs_cert_sha256(c))
					      : rs_anchor_identify(cat, a) == rs_bundle_known_at(b, j) &&
							!strcmp(rs_anchor_spki_sha256(a), rs_cert_spki_sha256(c)))
				break;
		}
		if (j == rs_bundle_count(b))
			fail_msg("%s: anchor %s is not a chosen root", rs_bundle_format_name(fmt), rs_anchor_subject(a));
		assert_int_equal(rs_anchor_form(a), fmt == RS_BUNDLE_ESP_IDF || fmt == RS_BUNDLE_BEARSSL ? RS_ANCHOR_NAME_KEY
													  : RS_ANCHOR_CERT);
	}
}

static void test_roundtrip_every_format(void **state)
{
	static const int legacy[] = { 0, 1 };
	struct rs_catalog *cat;
	struct rs_anchorset *src;
	struct rs_bundle *b = select_ok(DATA("certifi-2025.01.31.pem"), "2025-06-01", 0, 0, &cat, &src);
	int f;
	size_t l;

	(void)state;
	for (f = RS_BUNDLE_PEM; f <= RS_BUNDLE_BEARSSL; f++) {
		for (l = 0; l < (f == RS_BUNDLE_ESP_IDF ? 2u : 1u); l++) {
			struct rs_bundle_render_opts ro = { NULL, NULL, legacy[l] };
			struct rs_error err = { 0 };
			struct rs_bundle_files *files = rs_bundle_render(b, (enum rs_bundle_format)f, &ro, &err);
			struct rs_anchorset *set;
			struct rs_bundle_check *chk;
			if (!files)
				fail_msg("%s: %s", rs_bundle_format_name((enum rs_bundle_format)f), err.message);
			assert_true(rs_bundle_files_payload(files) > 0);
			set = read_back(files);
			assert_same_roots(b, set, cat, (enum rs_bundle_format)f);
			chk = rs_bundle_check(set, cat, rs_catalog_profile(cat, "azure-iot"), day("2025-06-01"), &err);
			assert_non_null(chk);
			assert_true(rs_bundle_check_ok(chk));
			rs_bundle_check_free(chk);
			rs_anchorset_free(set);
			rs_bundle_files_free(files);
		}
	}
	rs_bundle_free(b);
	rs_anchorset_free(src);
	rs_catalog_free(cat);
}

static void test_file_names_and_options(void **state)
{
	static const struct {
		enum rs_bundle_format fmt;
		const char *file, *ident;
		const char *names;
	} cases[] = {
		{ RS_BUNDLE_PEM, NULL, NULL, "bundle.pem " },
		{ RS_BUNDLE_DER_DIR, NULL, NULL,
		  "DigiCert_Global_Root_G2.crt Microsoft_RSA_Root_Certificate_Authority_2017.crt rootshift-bundle.txt " },
		{ RS_BUNDLE_HASHED_DIR, NULL, NULL, "607986c7.0 bf53fb88.0 rootshift-bundle.txt " },
		{ RS_BUNDLE_C_PEM, "certs.c", NULL, "certs.c certs.h " },
		{ RS_BUNDLE_C_DER, "azure_roots", "my_roots", "azure_roots.c azure_roots.h " },
		{ RS_BUNDLE_ESP_IDF, NULL, NULL, "x509_crt_bundle x509_crt_bundle.txt " },
		{ RS_BUNDLE_BEARSSL, NULL, NULL, "trust_anchors.h " },
	};
	struct rs_catalog *cat;
	struct rs_anchorset *src;
	struct rs_bundle *b = select_ok(DATA("certifi-2025.01.31.pem"), "2025-06-01", 0, 0, &cat, &src);
	struct rs_bundle_render_opts bad_ident = { NULL, "2roots", 0 }, bad_file = { "a/b.c", NULL, 0 };
	struct rs_error err = { 0 };
	size_t i, j, len;

	(void)state;
	for (i = 0; i < RS_ARRAY_LEN(cases); i++) {
		struct rs_bundle_render_opts ro = { cases[i].file, cases[i].ident, 0 };
		struct rs_bundle_files *files = rs_bundle_render(b, cases[i].fmt, &ro, &err);
		char names[300] = "";
		assert_non_null(files);
		for (j = 0; j < rs_bundle_files_count(files); j++)
			append(names, sizeof(names), rs_bundle_files_name_at(files, j));
		assert_string_equal(names, cases[i].names);
		if (cases[i].ident) {
			const char *c = (const char *)rs_bundle_files_data_at(files, 0, &len);
			assert_non_null(strstr(c, "const unsigned char my_roots_digicert_global_root_g2[914]"));
			assert_non_null(strstr(c, "const size_t my_roots_len[MY_ROOTS_COUNT]"));
		}
		if (cases[i].fmt == RS_BUNDLE_C_PEM) {
			const char *h = (const char *)rs_bundle_files_data_at(files, 1, &len);
			assert_non_null(strstr(h, "#define CERTIFICATES_SIZE 3371"));
			assert_int_equal(rs_bundle_files_payload(files), 3371);
		}
		rs_bundle_files_free(files);
	}
	assert_null(rs_bundle_render(b, RS_BUNDLE_C_DER, &bad_ident, &err));
	assert_int_equal(err.code, RS_ERR_USAGE);
	assert_null(rs_bundle_render(b, RS_BUNDLE_C_PEM, &bad_file, &err));
	assert_int_equal(err.code, RS_ERR_USAGE);
	rs_bundle_free(b);
	rs_anchorset_free(src);
	rs_catalog_free(cat);
}

/* ESP-IDF entries are sorted by subject DER, in both layouts; the device searches them by name. */
static void test_esp_idf_sorted(void **state)
{
	struct rs_catalog *cat;
	struct rs_anchorset *src;
	struct rs_bundle *b = select_ok(DATA("certifi-2025.01.31.pem"), "2024-03-01", 0, 1, &cat, &src);
	struct rs_bundle_render_opts ro = { NULL, NULL, 1 };
	struct rs_bundle_files *files = rs_bundle_render(b, RS_BUNDLE_ESP_IDF, &ro, NULL);
	const unsigned char *p, *prev = NULL;
	size_t len, off, i, n, nl, prev_len = 0;

	(void)state;
	assert_non_null(files);
	p = rs_bundle_files_data_at(files, 0, &len);
	n = (size_t)p[0] << 8 | p[1];
	assert_int_equal(n, 3);
	for (i = 0, off = 2; i < n; i++) {
		nl = (size_t)p[off] << 8 | p[off + 1];
		if (prev) {
			int c = memcmp(prev, p + off + 4, nl < prev_len ? nl : prev_len);
			assert_true(c < 0 || (c == 0 && prev_len < nl));
		}
		prev = p + off + 4;
		prev_len = nl;
		off += 4 + nl + ((size_t)p[off + 2] << 8 | p[off + 3]);
	}
	assert_int_equal(off, len);
	rs_bundle_files_free(files);
	rs_bundle_free(b);
	rs_anchorset_free(src);
	rs_catalog_free(cat);
}

/* EC roots (P-384) through BearSSL and ESP-IDF: a profile made here from DigiCert G3 and Microsoft ECC 2017. */
static char *read_text(const char *path)
{
	unsigned char *data = NULL;
	size_t len = 0;

	assert_int_equal(rs_read_file(path, 1 << 20, &data, &len, NULL), 0);
	return (char *)data;
}

static void test_ecc_roots(void **state)
{
	char *g3 = read_text(DATA("digicert_global_root_g3.pem")), *ecc = read_text(DATA("microsoft_ecc_root_ca_2017.pem"));
	json_t *doc = json_pack("{s:s, s:s, s:s, s:[{s:s, s:s, s:s, s:s}, {s:s, s:s, s:s, s:s}], s:{s:[s], s:[s, s], s:[]}}",
				"schema", "rootshift/profile/1", "id", "ecc-test", "name", "ECC roots", "certificates", "id",
				"g3", "name", "DigiCert Global Root G3", "kind", "root", "pem", g3, "id", "ecc", "name",
				"Microsoft ECC Root Certificate Authority 2017", "kind", "root", "pem", ecc, "rules", "required",
				"g3", "recommended", "g3", "ecc", "old");
	char *text = json_dumps(doc, 0);
	struct rs_catalog *cat = rs_catalog_new();
	struct rs_anchorset *src = rs_anchorset_new();
	struct rs_error err = { 0 };
	struct rs_bundle *b;
	int f;

	(void)state;
	if (rs_catalog_add_json(cat, text, strlen(text), "ecc-test", &err) < 0)
		fail_msg("%s", err.message);
	assert_int_equal(rs_anchorset_scan_path(src, DATA("certifi-2025.01.31.pem"), NULL, &err), 0);
	b = rs_bundle_select(src, cat, rs_catalog_profile(cat, "ecc-test"), day("2025-06-01"), NULL, &err);
	assert_non_null(b);
	assert_int_equal(rs_bundle_problem_count(b), 0);
	assert_int_equal(rs_bundle_count(b), 2);
	for (f = RS_BUNDLE_PEM; f <= RS_BUNDLE_BEARSSL; f++) {
		struct rs_bundle_files *files = rs_bundle_render(b, (enum rs_bundle_format)f, NULL, &err);
		struct rs_anchorset *set;
		if (!files)
			fail_msg("%s: %s", rs_bundle_format_name((enum rs_bundle_format)f), err.message);
		set = read_back(files);
		assert_same_roots(b, set, cat, (enum rs_bundle_format)f);
		if (f == RS_BUNDLE_BEARSSL)
			assert_non_null(strstr((const char *)rs_bundle_files_data_at(files, 0, NULL), "BR_EC_secp384r1"));
		rs_anchorset_free(set);
		rs_bundle_files_free(files);
	}
	rs_bundle_free(b);
	rs_anchorset_free(src);
	rs_catalog_free(cat);
	free(text);
	json_decref(doc);
	free(g3);
	free(ecc);
}

/*
 * Two roots with one subject (the real G2 and the test look-alike of tests/data/pki) get the same subject hash:
 * "<hash>.0" and "<hash>.1", as openssl rehash numbers them; the source is both files.
 */
static void test_hashed_dir_collision(void **state)
{
	char *real = read_text(DATA("digicert_global_root_g2.pem")), *look = read_text(DATA("pki/root_g2.pem"));
	json_t *doc = json_pack("{s:s, s:s, s:s, s:[{s:s, s:s, s:s, s:s}, {s:s, s:s, s:s, s:s}], s:{s:[s, s], s:[], s:[]}}",
				"schema", "rootshift/profile/1", "id", "twins", "name", "same subject", "certificates", "id",
				"real", "name", "DigiCert Global Root G2", "kind", "root", "pem", real, "id", "look", "name",
				"DigiCert Global Root G2 (test look-alike)", "kind", "root", "pem", look, "rules", "required",
				"real", "look", "recommended", "old");
	char *text = json_dumps(doc, 0);
	struct rs_catalog *cat = rs_catalog_new();
	struct rs_anchorset *src = rs_anchorset_new();
	struct rs_error err = { 0 };
	struct rs_bundle_files *files;
	struct rs_bundle *b;
	char names[200] = "";
	size_t j;

	(void)state;
	if (rs_catalog_add_json(cat, text, strlen(text), "twins", &err) < 0)
		fail_msg("%s", err.message);
	assert_int_equal(rs_anchorset_scan_path(src, DATA("digicert_global_root_g2.pem"), NULL, &err), 0);
	assert_int_equal(rs_anchorset_scan_path(src, DATA("pki/root_g2.pem"), NULL, &err), 0);
	b = rs_bundle_select(src, cat, rs_catalog_profile(cat, "twins"), day("2025-06-01"), NULL, &err);
	assert_non_null(b);
	assert_int_equal(rs_bundle_count(b), 2);
	files = rs_bundle_render(b, RS_BUNDLE_HASHED_DIR, NULL, &err);
	assert_non_null(files);
	for (j = 0; j < rs_bundle_files_count(files); j++)
		append(names, sizeof(names), rs_bundle_files_name_at(files, j));
	assert_string_equal(names, "607986c7.0 607986c7.1 rootshift-bundle.txt ");
	rs_bundle_files_free(files);
	rs_bundle_free(b);
	rs_anchorset_free(src);
	rs_catalog_free(cat);
	free(text);
	json_decref(doc);
	free(real);
	free(look);
}

/* A check fails when an intermediate valid at T does not verify, and needs at least one to verify. */
static void test_check_fails(void **state)
{
	struct rs_catalog *cat = catalog();
	struct rs_anchorset *set = scan(DATA("certifi-2020.04.05.2.pem"));
	const struct rs_profile *p = rs_catalog_profile(cat, "azure-iot");
	struct rs_bundle_check *chk = rs_bundle_check(set, cat, p, day("2025-06-01"), NULL);
	size_t i, failed = 0;

	(void)state;
	assert_non_null(chk);
	assert_false(rs_bundle_check_ok(chk));
	for (i = 0; i < rs_bundle_check_count(chk); i++)
		if (!strcmp(rs_bundle_check_at(chk, i)->status, "failed")) {
			failed++;
			assert_int_equal(rs_bundle_check_at(chk, i)->reason, RS_VERIFY_UNTRUSTED_ROOT);
			/* the Microsoft RSA Root 2017 twins: recommended, not required */
			assert_int_equal(rs_bundle_check_at(chk, i)->severity, RS_SEV_WARNING);
		}
	assert_int_equal(failed, 4);
	assert_int_equal(rs_bundle_check_status(chk), RS_STATUS_PARTIAL);
	rs_bundle_check_free(chk);
	/* far in the future no catalog intermediate is valid: nothing proves the bundle */
	chk = rs_bundle_check(set, cat, p, day("2040-01-01"), NULL);
	assert_non_null(chk);
	assert_false(rs_bundle_check_ok(chk));
	assert_int_equal(rs_bundle_check_status(chk), RS_STATUS_NOT_READY);
	rs_bundle_check_free(chk);
	rs_anchorset_free(set);
	rs_catalog_free(cat);
}

/* One verdict for every command: audit and the proof of a bundle give the same word on the same store. */
static void test_same_verdict_as_audit(void **state)
{
	static const struct {
		const char *store, *at;
		enum rs_status want;
	} cases[] = {
		{ "digicert_global_root_g2.pem", "2026-01-02", RS_STATUS_PARTIAL },
		{ "baltimore_cybertrust_root.pem", "2026-01-02", RS_STATUS_NOT_READY },
		{ "g2_ms2017.pem", "2026-01-02", RS_STATUS_READY },
		{ "digicert_global_root_g2.pem", "2023-06-01", RS_STATUS_PARTIAL },
		{ "baltimore_cybertrust_root.pem", "2023-06-01", RS_STATUS_NOT_READY },
		{ "g2_ms2017.pem", "2023-06-01", RS_STATUS_PARTIAL },
	};
	struct rs_catalog *cat = catalog();
	const struct rs_profile *p = rs_catalog_profile(cat, "azure-iot");
	char path[512];
	size_t i;

	(void)state;
	assert_int_equal(rs_status_judge(0, 0), RS_STATUS_READY);
	assert_int_equal(rs_status_judge(0, 2), RS_STATUS_PARTIAL);
	assert_int_equal(rs_status_judge(1, 2), RS_STATUS_NOT_READY);
	assert_string_equal(rs_status_word(RS_STATUS_NOT_READY), "NOT READY");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct rs_anchorset *set;
		struct rs_bundle_check *chk;
		struct rs_verdict *v;
		snprintf(path, sizeof(path), "%s%s", DATA(""), cases[i].store);
		set = scan(path);
		chk = rs_bundle_check(set, cat, p, day(cases[i].at), NULL);
		v = rs_audit(set, cat, p, day(cases[i].at), NULL);
		assert_non_null(chk);
		assert_non_null(v);
		if (rs_bundle_check_status(chk) != cases[i].want || rs_verdict_status(v) != cases[i].want)
			fail_msg("%s at %s: check %s, audit %s", cases[i].store, cases[i].at,
				 rs_status_name(rs_bundle_check_status(chk)), rs_status_name(rs_verdict_status(v)));
		rs_verdict_free(v);
		rs_bundle_check_free(chk);
		rs_anchorset_free(set);
	}
	rs_catalog_free(cat);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_selection),
		cmocka_unit_test(test_problems),
		cmocka_unit_test(test_minimal_over_time),
		cmocka_unit_test(test_default_keeps_old_in_window),
		cmocka_unit_test(test_roundtrip_every_format),
		cmocka_unit_test(test_file_names_and_options),
		cmocka_unit_test(test_esp_idf_sorted),
		cmocka_unit_test(test_ecc_roots),
		cmocka_unit_test(test_hashed_dir_collision),
		cmocka_unit_test(test_check_fails),
		cmocka_unit_test(test_same_verdict_as_audit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
