/* test_info.c: the public info structs (rs_cert_info, rs_known_info, ...) say what the per-field accessors of
 * lib/rsx/rsx.h say, field by field, on real certificates, profiles, anchors, verdicts, bundles and scans. */
#include "rs_test.h"

#include <string.h>

static rs_time day(const char *s)
{
	rs_time t = 0;

	assert_int_equal(rs_time_parse(s, &t, NULL), 0);
	return t;
}

static struct rs_catalog *catalog(void)
{
	struct rs_catalog *cat = rs_catalog_new();

	assert_non_null(cat);
	assert_int_equal(rs_catalog_add_builtin(cat, "azure-iot", NULL), 0);
	return cat;
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

static void check_cert(const struct rs_cert *c)
{
	struct rs_cert_info ci;
	size_t i;

	rs_cert_info(c, &ci);
	assert_string_equal(ci.sha1, rs_cert_sha1(c));
	assert_string_equal(ci.sha256, rs_cert_sha256(c));
	assert_string_equal(ci.spki_sha256, rs_cert_spki_sha256(c));
	assert_string_equal(ci.spki_pin, rs_cert_spki_pin(c));
	assert_string_equal(ci.subject, rs_cert_subject(c));
	assert_string_equal(ci.issuer, rs_cert_issuer(c));
	assert_string_equal(ci.common_name, rs_cert_common_name(c));
	assert_string_equal(ci.serial, rs_cert_serial(c));
	assert_true(ci.not_before == rs_cert_not_before(c) && ci.not_after == rs_cert_not_after(c));
	assert_int_equal(ci.is_ca, rs_cert_is_ca(c));
	assert_int_equal(ci.path_len, rs_cert_path_len(c));
	assert_int_equal(ci.self_issued, rs_cert_self_issued(c));
	assert_string_equal(ci.key_type, rs_cert_key_type(c));
	assert_int_equal(ci.key_bits, rs_cert_key_bits(c));
	assert_string_equal(ci.key_curve, rs_cert_key_curve(c));
	assert_string_equal(ci.sig_alg, rs_cert_sig_alg(c));
	assert_string_equal(ci.ski, rs_cert_ski(c));
	assert_string_equal(ci.aki, rs_cert_aki(c));
	assert_ptr_equal(ci.malformed, rs_cert_malformed(c));
	assert_int_equal(ci.san_count, rs_cert_san_count(c));
	for (i = 0; i < ci.san_count; i++)
		assert_string_equal(ci.san[i], rs_cert_san_at(c, i));
	assert_int_equal(ci.key_usage_count, rs_cert_key_usage_count(c));
	for (i = 0; i < ci.key_usage_count; i++)
		assert_string_equal(ci.key_usage[i], rs_cert_key_usage_at(c, i));
	assert_int_equal(ci.ext_key_usage_count, rs_cert_ext_key_usage_count(c));
	for (i = 0; i < ci.ext_key_usage_count; i++)
		assert_string_equal(ci.ext_key_usage[i], rs_cert_ext_key_usage_at(c, i));
}

static void test_cert(void **state)
{
	struct rs_certlist *l = load_ok(DATA("intermediates"));
	struct rs_cert_info ci;
	size_t i;

	(void)state;
	assert_true(rs_certlist_count(l) > 3);
	for (i = 0; i < rs_certlist_count(l); i++)
		check_cert(rs_certlist_at(l, i));
	rs_certlist_free(l);
	l = load_ok(DATA("digicert_global_root_g2.pem"));
	rs_cert_info(rs_certlist_at(l, 0), &ci);
	assert_string_equal(ci.sha256, "cb3ccbb76031e5e0138f8dd39a23f9de47ffc35e43c1144cea27d46a5ab1cb5f");
	assert_string_equal(ci.common_name, "DigiCert Global Root G2");
	assert_true(ci.is_ca && ci.self_issued && ci.key_bits == 2048);
	rs_certlist_free(l);
}

static void test_profile_and_known(void **state)
{
	struct rs_catalog *cat = catalog();
	const struct rs_profile *p = rs_catalog_profile(cat, "azure-iot");
	struct rs_profile_info pi;
	size_t i, j;

	(void)state;
	rs_profile_info(p, &pi);
	assert_string_equal(pi.id, "azure-iot");
	assert_string_equal(pi.name, rs_profile_name(p));
	assert_string_equal(pi.description, rs_profile_description(p));
	assert_true(pi.migration_complete == rs_profile_migration_complete(p) && pi.migration_complete > 0);
	assert_int_equal(pi.leaf_pattern_count, rs_profile_leaf_pattern_count(p));
	assert_true(pi.leaf_pattern_count > 0);
	for (i = 0; i < pi.leaf_pattern_count; i++)
		assert_string_equal(pi.leaf_patterns[i], rs_profile_leaf_pattern_at(p, i));
	assert_int_equal(pi.endpoint_count, rs_profile_endpoint_count(p));
	for (i = 0; i < pi.endpoint_count; i++)
		assert_ptr_equal(&pi.endpoints[i], rs_profile_endpoint_at(p, i));
	for (i = 0; i < rs_profile_known_count(p); i++) {
		const struct rs_known *k = rs_profile_known_at(p, i);
		struct rs_known_info ki;

		rs_known_info(k, &ki);
		assert_string_equal(ki.id, rs_known_id(k));
		assert_string_equal(ki.name, rs_known_name(k));
		assert_int_equal(ki.kind, rs_known_kind(k));
		assert_ptr_equal(ki.role, rs_known_role(k));
		assert_ptr_equal(ki.summary, rs_known_summary(k));
		assert_ptr_equal(ki.profile, p);
		assert_string_equal(ki.sha1, rs_known_sha1(k));
		assert_string_equal(ki.sha256, rs_known_sha256(k));
		assert_string_equal(ki.spki_sha256, rs_known_spki_sha256(k));
		assert_ptr_equal(ki.subject, rs_known_subject(k));
		assert_true(ki.not_after == rs_known_not_after(k));
		assert_ptr_equal(ki.cert, rs_known_cert(k));
		assert_int_equal(ki.issuer_count, rs_known_issuer_count(k));
		for (j = 0; j < ki.issuer_count; j++)
			assert_string_equal(ki.issuers[j], rs_known_issuer_at(k, j));
	}
	rs_catalog_free(cat);
}

static void test_anchor_and_verdict(void **state)
{
	struct rs_catalog *cat = catalog();
	struct rs_anchorset *set = scan(DATA("certifi-2020.06.20.pem"));
	struct rs_verdict *v;
	struct rs_verdict_info vi;
	size_t i, n;

	(void)state;
	assert_true(rs_anchorset_count(set) > 100);
	for (i = 0; i < rs_anchorset_count(set); i++) {
		const struct rs_anchor *a = rs_anchorset_at(set, i);
		struct rs_anchor_info ai;
		const unsigned char *der;

		rs_anchor_info(a, &ai);
		assert_int_equal(ai.form, rs_anchor_form(a));
		assert_ptr_equal(ai.cert, rs_anchor_cert(a));
		assert_string_equal(ai.subject, rs_anchor_subject(a));
		assert_string_equal(ai.spki_sha256, rs_anchor_spki_sha256(a));
		der = rs_anchor_subject_der(a, &n);
		assert_true(ai.subject_der == der && ai.subject_der_len == n);
		der = rs_anchor_spki_der(a, &n);
		assert_true(ai.spki_der == der && ai.spki_der_len == n);
		assert_int_equal(ai.trust, rs_anchor_trust(a));
		assert_string_equal(ai.label, rs_anchor_label(a));
		assert_int_equal(ai.location_count, rs_anchor_location_count(a));
		assert_ptr_equal(&ai.locations[0], rs_anchor_location_at(a, 0));
	}
	rs_anchorset_free(set);
	set = scan(DATA("baltimore_cybertrust_root.pem")); /* the old root alone: not ready, with reasons */
	v = rs_audit(set, cat, rs_catalog_profile(cat, "azure-iot"), day("2025-06-01"), NULL);
	assert_non_null(v);
	rs_verdict_info(v, &vi);
	assert_int_equal(vi.status, rs_verdict_status(v));
	assert_int_equal(vi.status, RS_STATUS_NOT_READY);
	assert_int_equal(vi.reason_count, rs_verdict_reason_count(v));
	assert_true(vi.reason_count > 0);
	for (i = 0; i < vi.reason_count; i++)
		assert_ptr_equal(&vi.reasons[i], rs_verdict_reason_at(v, i));
	assert_int_equal(vi.note_count, rs_verdict_note_count(v));
	for (i = 0; i < vi.note_count; i++)
		assert_ptr_equal(&vi.notes[i], rs_verdict_note_at(v, i));
	rs_verdict_free(v);
	rs_anchorset_free(set);
	rs_catalog_free(cat);
}

static void check_verify(const struct rs_verify_result *r)
{
	struct rs_verify_info vi;
	const struct rs_certlist *failed;
	long at = 0;
	size_t i;

	rs_verify_result_info(r, &vi);
	assert_int_equal(vi.ok, rs_verify_result_ok(r));
	assert_int_equal(vi.reason, rs_verify_result_reason(r));
	assert_string_equal(vi.message, rs_verify_result_message(r));
	assert_string_equal(vi.rule, rs_verify_result_rule(r));
	assert_int_equal(vi.policy, rs_verify_result_policy(r));
	assert_int_equal(vi.path_count, rs_verify_result_path_count(r));
	for (i = 0; i < vi.path_count; i++)
		assert_ptr_equal(vi.paths[i], rs_verify_result_path_at(r, i));
	failed = rs_verify_result_failed_path(r, &at);
	assert_ptr_equal(vi.failed_path, failed);
	assert_int_equal(vi.failed_at, at);
	assert_int_equal(rs_certlist_count(vi.skipped), rs_verify_result_skipped_count(r));
	assert_int_equal(vi.chain_bytes, rs_verify_result_chain_bytes(r));
	assert_int_equal(vi.work, rs_verify_result_work(r));
	assert_int_equal(vi.truncated, rs_verify_result_truncated(r));
}

static void test_verify(void **state)
{
	struct rs_certlist *chain = load_ok(DATA("intermediates/microsoft_azure_rsa_tls_issuing_ca_03.pem"));
	struct rs_certlist *good = load_ok(DATA("microsoft_rsa_root_ca_2017.pem"));
	struct rs_certlist *bad = load_ok(DATA("baltimore_cybertrust_root.pem"));
	struct rs_verify_opts *o = rs_verify_opts_new();
	struct rs_verify_result *r;
	struct rs_verify_info vi;

	(void)state;
	rs_verify_opts_set_time(o, day("2025-06-01"));
	r = rs_verify(chain, NULL, good, o, NULL);
	assert_non_null(r);
	check_verify(r);
	rs_verify_result_info(r, &vi);
	assert_true(vi.ok && vi.path_count == 1 && vi.failed_path == NULL && vi.failed_at == -1);
	rs_verify_result_free(r);
	r = rs_verify(chain, NULL, bad, o, NULL);
	assert_non_null(r);
	check_verify(r);
	rs_verify_result_info(r, &vi);
	assert_true(!vi.ok && vi.reason == RS_VERIFY_UNTRUSTED_ROOT && vi.failed_path && *vi.rule);
	rs_verify_result_free(r);
	rs_verify_opts_free(o);
	rs_certlist_free(chain);
	rs_certlist_free(good);
	rs_certlist_free(bad);
}

static void test_bundle(void **state)
{
	struct rs_catalog *cat = catalog();
	const struct rs_profile *p = rs_catalog_profile(cat, "azure-iot");
	struct rs_anchorset *src = scan(DATA("certifi-2025.01.31.pem")), *back;
	struct rs_bundle_opts bo = { 0 };
	struct rs_bundle *b = rs_bundle_select(src, cat, p, day("2025-06-01"), &bo, NULL);
	struct rs_bundle_files *files;
	struct rs_bundle_check *c;
	struct rs_bundle_info bi;
	struct rs_bundle_check_info ci;
	const unsigned char *data;
	size_t i, len;

	(void)state;
	assert_non_null(b);
	rs_bundle_info(b, &bi);
	assert_ptr_equal(bi.profile, rs_bundle_profile(b));
	assert_true(bi.at == rs_bundle_time(b) && bi.at == day("2025-06-01"));
	assert_int_equal(bi.count, rs_bundle_count(b));
	assert_true(bi.count >= 2);
	assert_int_equal(bi.der_bytes, rs_bundle_der_bytes(b));
	assert_int_equal(bi.problem_count, rs_bundle_problem_count(b));
	for (i = 0; i < bi.problem_count; i++)
		assert_ptr_equal(&bi.problems[i], rs_bundle_problem_at(b, i));
	assert_int_equal(bi.note_count, rs_bundle_note_count(b));
	for (i = 0; i < bi.note_count; i++)
		assert_ptr_equal(&bi.notes[i], rs_bundle_note_at(b, i));
	files = rs_bundle_render(b, RS_BUNDLE_PEM, NULL, NULL);
	assert_non_null(files);
	data = rs_bundle_files_data_at(files, 0, &len);
	back = rs_anchorset_new();
	assert_int_equal(rs_anchorset_scan_mem(back, data, len, "bundle.pem", NULL, NULL), 0);
	c = rs_bundle_check(back, cat, p, day("2025-06-01"), NULL);
	assert_non_null(c);
	rs_bundle_check_info(c, &ci);
	assert_int_equal(ci.ok, rs_bundle_check_ok(c));
	assert_true(ci.ok);
	assert_int_equal(ci.status, rs_bundle_check_status(c));
	assert_int_equal(ci.item_count, rs_bundle_check_count(c));
	for (i = 0; i < ci.item_count; i++)
		assert_ptr_equal(&ci.items[i], rs_bundle_check_at(c, i));
	assert_int_equal(ci.anchor_count, rs_bundle_check_anchor_count(c));
	assert_int_equal(ci.anchor_count, bi.count);
	assert_int_equal(ci.note_count, rs_bundle_check_note_count(c));
	for (i = 0; i < ci.note_count; i++)
		assert_string_equal(ci.notes[i], rs_bundle_check_note_at(c, i));
	rs_bundle_check_free(c);
	rs_anchorset_free(back);
	rs_bundle_files_free(files);
	rs_bundle_free(b);
	rs_anchorset_free(src);
	rs_catalog_free(cat);
}

static void test_pinscan(void **state)
{
	static const char text[] = "SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);\n"
				   "fp = \"d4de20d05e66fc53fe1a50882c78db2852cae474\";\n";
	struct rs_catalog *cat = catalog();
	struct rs_pinscan *ps = rs_pinscan_new(cat);
	struct rs_pinscan_info pi;
	size_t i;

	(void)state;
	assert_int_equal(rs_pinscan_mem(ps, (const unsigned char *)text, strlen(text), "src/tls.c", NULL), 0);
	rs_pinscan_info(ps, &pi);
	assert_int_equal(pi.finding_count, rs_pinscan_count(ps));
	assert_int_equal(pi.finding_count, 2);
	for (i = 0; i < pi.finding_count; i++)
		assert_ptr_equal(&pi.findings[i], rs_pinscan_at(ps, i));
	assert_int_equal(pi.skipped_count, rs_pinscan_skipped_count(ps));
	assert_true(pi.files == rs_pinscan_files(ps) && pi.bytes == rs_pinscan_bytes(ps) && pi.bytes == strlen(text));
	assert_int_equal(pi.suppressed, rs_pinscan_suppressed(ps));
	rs_pinscan_free(ps);
	rs_catalog_free(cat);
}

static void test_probe(void **state)
{
	struct rs_probe_opts *o = rs_probe_opts_new();
	struct rs_certlist *store = load_ok(DATA("digicert_global_root_g2.pem"));
	struct rs_probe_result *r;
	struct rs_probe_info pi;

	(void)state;
	/* Port 1 of the loopback address: refused at once, no network involved. */
	assert_int_equal(rs_probe_opts_set_target(o, "127.0.0.1", 1, NULL), 0);
	assert_int_equal(rs_probe_opts_set_store(o, store, NULL), 0);
	r = rs_probe_run(o, NULL);
	assert_non_null(r);
	rs_probe_result_info(r, &pi);
	assert_int_equal(pi.code, rs_probe_result_code(r));
	assert_int_equal(pi.code, RS_PROBE_TCP_REFUSED);
	assert_string_equal(pi.stage, rs_probe_result_stage(r));
	assert_string_equal(pi.message, rs_probe_result_message(r));
	assert_ptr_equal(pi.served_chain, rs_probe_result_served_chain(r));
	assert_ptr_equal(pi.verify, rs_probe_result_verify(r));
	assert_string_equal(pi.tls_version, rs_probe_result_tls_version(r));
	assert_string_equal(pi.cipher, rs_probe_result_cipher(r));
	assert_string_equal(pi.alpn, rs_probe_result_alpn(r));
	assert_string_equal(pi.peer, rs_probe_result_peer(r));
	assert_int_equal(pi.status, rs_probe_result_status(r));
	assert_string_equal(pi.detail, rs_probe_result_detail(r));
	assert_string_equal(pi.transcript, rs_probe_result_transcript(r));
	assert_true(pi.connect_ms == rs_probe_result_connect_ms(r) && pi.handshake_ms == rs_probe_result_handshake_ms(r));
	rs_probe_result_free(r);
	rs_certlist_free(store);
	rs_probe_opts_free(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cert),
		cmocka_unit_test(test_profile_and_known),
		cmocka_unit_test(test_anchor_and_verdict),
		cmocka_unit_test(test_verify),
		cmocka_unit_test(test_bundle),
		cmocka_unit_test(test_pinscan),
		cmocka_unit_test(test_probe),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
