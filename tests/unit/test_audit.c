/* test_audit.c: verdicts against the azure-iot profile at chosen times, as a table of cases. */
#include "rs_test.h"

#include <stdio.h>
#include <string.h>

struct vcase {
	const char *name;
	const char *inputs[5]; /* under tests/data */
	const char *at;
	enum rs_status want;
	const char *reasons; /* the reason codes, space-separated, in order */
	const char *note;    /* a note code that must be there, or NULL */
	const char *message; /* a substring of some reason's message, or NULL */
};

static const struct vcase cases[] = {
	/* a root file system whose ca-certificates.conf deselects G2: its file under usr/share is not counted */
	{ "G2 deselected in ca-certificates.conf", { "scan/gateway/ca-conf" }, "2026-01-01", RS_STATUS_NOT_READY,
	  "required-missing recommended-missing old-root-only", "deselected", NULL },
	{ "Baltimore deselected, G2 and Microsoft RSA 2017 in the store", { "scan/gateway-neg/ca-conf-other" },
	  "2026-01-01", RS_STATUS_READY, "", "deselected", NULL },
	{ "certifi 2020.04.05.2 lacks the backup root", { "certifi-2020.04.05.2.pem" }, "2024-06-01", RS_STATUS_PARTIAL,
	  "recommended-missing", "algorithms", "Microsoft RSA Root Certificate Authority 2017 (recommended root) is missing" },
	{ "certifi 2020.06.20 has all three", { "certifi-2020.06.20.pem" }, "2024-06-01", RS_STATUS_READY, "", "sha1-root",
	  NULL },
	{ "certifi 2020.06.20 after Baltimore expired", { "certifi-2020.06.20.pem" }, "2026-01-01", RS_STATUS_READY, "",
	  "old-root-expired", NULL },
	{ "NSS 3.114 before the switch: Baltimore already gone", { "nss-3.114-certdata.txt" }, "2024-06-01",
	  RS_STATUS_PARTIAL, "old-root-needed", "present-not-trusted", "until 2024-09-30" },
	{ "NSS 3.114 after the switch", { "nss-3.114-certdata.txt" }, "2026-01-01", RS_STATUS_READY, "",
	  "present-not-trusted", NULL },
	{ "Baltimore only, before the switch", { "baltimore_cybertrust_root.pem" }, "2023-01-01", RS_STATUS_NOT_READY,
	  "required-missing recommended-missing old-root-only", NULL, "fails when they switch" },
	{ "Baltimore only, after the switch", { "baltimore_cybertrust_root.pem" }, "2025-01-01", RS_STATUS_NOT_READY,
	  "required-missing recommended-missing old-root-only", NULL, "connections fail now" },
	{ "Baltimore only, after it expired", { "baltimore_cybertrust_root.pem" }, "2025-06-01", RS_STATUS_NOT_READY,
	  "required-missing recommended-missing old-root-only", NULL, "expired on 2025-05-12" },
	{ "G2 only before the switch needs Baltimore and the backup", { "digicert_global_root_g2.pem" }, "2022-06-01",
	  RS_STATUS_PARTIAL, "recommended-missing old-root-needed", NULL, "keep" },
	{ "G2 and MS RSA 2017 after the switch", { "digicert_global_root_g2.pem", "microsoft_rsa_root_ca_2017.pem" },
	  "2026-01-01", RS_STATUS_READY, "", "algorithms", NULL },
	{ "G2 expired", { "digicert_global_root_g2.pem", "microsoft_rsa_root_ca_2017.pem" }, "2039-01-01",
	  RS_STATUS_NOT_READY, "root-expired", NULL, "expired on 2038-01-15" },
	{ "pinned intermediate with the documented thumbprint", { "audit/pinned.pem" }, "2024-06-01", RS_STATUS_PARTIAL,
	  "pinned-intermediate documented-thumbprint", NULL, "417e225037fbfaa4f95761d5ae729e1aea7e3a42" },
	{ "look-alike name", { "audit/lookalike.pem" }, "2024-06-01", RS_STATUS_NOT_READY,
	  "required-missing recommended-missing old-root-only look-alike", NULL,
	  "'DigiCert Assured ID Root G2' is not 'DigiCert Global Root G2'" },
	{ "BearSSL header with name-and-key anchors", { "audit/bearssl_tas.h" }, "2026-01-01", RS_STATUS_PARTIAL,
	  "recommended-missing", NULL, NULL },
	{ "ESP-IDF bundle", { "audit/x509_crt_bundle" }, "2026-01-01", RS_STATUS_READY, "", NULL, NULL },
	{ "ESP-IDF legacy bundle, before the switch", { "audit/x509_crt_bundle_legacy" }, "2023-06-01",
	  RS_STATUS_PARTIAL, "recommended-missing", NULL, NULL },
	{ "certdata: G2 present but not trusted for server auth", { "audit/certdata_g2_not_trusted.txt" }, "2026-01-01",
	  RS_STATUS_NOT_READY, "root-distrusted", "present-not-trusted", "present but not trusted for server authentication" },
	{ "Azure C SDK certs.c", { "audit/certs.c" }, "2024-06-01", RS_STATUS_READY, "", "sha1-root", NULL },
	{ "nothing but broken blocks", { "audit/not_anchors.c" }, "2024-06-01", RS_STATUS_NOT_READY,
	  "no-anchors required-missing recommended-missing", "private-key", NULL },
};

static void codes(const struct rs_verdict *v, char *out, size_t size)
{
	size_t i, n = 0;

	out[0] = '\0';
	for (i = 0; i < rs_verdict_reason_count(v) && n < size; i++)
		n += (size_t)snprintf(out + n, size - n, "%s%s", i ? " " : "", rs_verdict_reason_at(v, i)->code);
}

static int has_note(const struct rs_verdict *v, const char *code)
{
	size_t i;

	for (i = 0; i < rs_verdict_note_count(v); i++)
		if (!strcmp(rs_verdict_note_at(v, i)->code, code))
			return 1;
	return 0;
}

static int has_message(const struct rs_verdict *v, const char *text)
{
	size_t i;

	for (i = 0; i < rs_verdict_reason_count(v); i++) {
		const struct rs_reason *r = rs_verdict_reason_at(v, i);
		if (strstr(r->message, text) || (r->action && strstr(r->action, text)))
			return 1;
	}
	return 0;
}

static void run_case(const struct vcase *c, const struct rs_catalog *cat)
{
	struct rs_anchorset *set = rs_anchorset_new();
	struct rs_verdict *v;
	struct rs_error err;
	char path[512], got[512];
	rs_time at;
	size_t i;

	assert_int_equal(rs_time_parse(c->at, &at, NULL), 0);
	for (i = 0; i < RS_ARRAY_LEN(c->inputs) && c->inputs[i]; i++) {
		snprintf(path, sizeof(path), "%s/%s", RS_TEST_DATA, c->inputs[i]);
		if (rs_anchorset_scan_path(set, path, NULL, &err) < 0)
			fail_msg("%s: %s", c->name, err.message);
	}
	v = rs_audit(set, cat, rs_catalog_profile(cat, "azure-iot"), at, &err);
	assert_non_null(v);
	codes(v, got, sizeof(got));
	if (rs_verdict_status(v) != c->want || strcmp(got, c->reasons))
		fail_msg("%s: %s [%s], expected %s [%s]", c->name, rs_status_name(rs_verdict_status(v)), got,
			 rs_status_name(c->want), c->reasons);
	if (c->note && !has_note(v, c->note))
		fail_msg("%s: no note %s", c->name, c->note);
	if (c->message && !has_message(v, c->message))
		fail_msg("%s: no reason says '%s'", c->name, c->message);
	rs_verdict_free(v);
	rs_anchorset_free(set);
}

static void test_verdicts(void **state)
{
	struct rs_catalog *cat = rs_catalog_new();
	size_t i;

	(void)state;
	assert_int_equal(rs_catalog_add_builtin(cat, NULL, NULL), 0);
	for (i = 0; i < RS_ARRAY_LEN(cases); i++)
		run_case(&cases[i], cat);
	rs_catalog_free(cat);
}

static void test_bad_arguments(void **state)
{
	struct rs_error err;

	(void)state;
	assert_null(rs_audit(NULL, NULL, NULL, 0, &err));
	assert_int_equal(err.code, RS_ERR_USAGE);
	assert_string_equal(rs_status_name(RS_STATUS_NOT_READY), "not-ready");
	assert_string_equal(rs_trust_name(RS_TRUST_MUST_VERIFY), "must-verify");
	assert_string_equal(rs_anchor_form_name(RS_ANCHOR_NAME_KEY), "name-and-key");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_verdicts),
		cmocka_unit_test(test_bad_arguments),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
