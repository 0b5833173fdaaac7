/* test_config.c: the option structs of verification and probing (rs_verify_config, rs_probe_config) make the same
 * options as the setters behind them, and reject what the setters reject, with the same messages. */
#include "rs_test.h"

#include <string.h>

static rs_time day(const char *s)
{
	rs_time t = 0;

	assert_int_equal(rs_time_parse(s, &t, NULL), 0);
	return t;
}

/* The reason of verifying Microsoft Azure RSA TLS Issuing CA 03 to Microsoft RSA Root CA 2017 under opts. */
static enum rs_verify_reason verify_reason(const struct rs_verify_opts *opts)
{
	struct rs_certlist *chain = load_ok(DATA("intermediates/microsoft_azure_rsa_tls_issuing_ca_03.pem"));
	struct rs_certlist *store = load_ok(DATA("microsoft_rsa_root_ca_2017.pem"));
	struct rs_verify_result *r = rs_verify(chain, NULL, store, opts, NULL);
	struct rs_verify_info vi;

	assert_non_null(r);
	rs_verify_result_info(r, &vi);
	rs_verify_result_free(r);
	rs_certlist_free(chain);
	rs_certlist_free(store);
	return vi.reason;
}

static void test_verify_config(void **state)
{
	static const char *const deny_sha384[] = { "sha384", NULL }, *const deny_md4[] = { "md4", NULL };
	struct rs_verify_config c;
	struct rs_verify_opts *o, *set;
	struct rs_error err = { 0 };

	(void)state;
	rs_verify_config_init(&c);
	assert_true(c.max_depth == -1 && c.min_rsa_bits == -1 && c.policy == RS_VERIFY_POLICY_WEBPKI && !c.host);
	c.at = day("2025-06-01");
	o = rs_verify_opts_from(&c, &err);
	assert_non_null(o);
	assert_int_equal(verify_reason(o), RS_VERIFY_OK);
	rs_verify_opts_free(o);

	/* The issuing CA is signed with SHA-384: a device without it fails, as with the setter. */
	c.deny_digests = deny_sha384;
	o = rs_verify_opts_from(&c, &err);
	assert_non_null(o);
	set = rs_verify_opts_new();
	rs_verify_opts_set_time(set, c.at);
	assert_int_equal(rs_verify_opts_deny_digest(set, "sha384", NULL), 0);
	assert_int_equal(verify_reason(o), RS_VERIFY_UNSUPPORTED_DIGEST);
	assert_int_equal(verify_reason(set), RS_VERIFY_UNSUPPORTED_DIGEST);
	rs_verify_opts_free(o);
	rs_verify_opts_free(set);

	c.deny_digests = deny_md4;
	assert_null(rs_verify_opts_from(&c, &err));
	assert_int_equal(err.code, RS_ERR_USAGE);
	assert_string_equal(err.message, "unknown digest 'md4' (use md5, sha1, sha224, sha256, sha384 or sha512)");
	c.deny_digests = NULL;

	c.host = "";
	assert_null(rs_verify_opts_from(&c, &err));
	assert_string_equal(err.message, "empty host name");
}

static void test_probe_config(void **state)
{
	struct rs_probe_config c;
	struct rs_probe_opts *o;
	struct rs_probe_result *r;
	struct rs_probe_info pi;
	struct rs_error err = { 0 };
	struct rs_certlist *store = load_ok(DATA("digicert_global_root_g2.pem"));

	(void)state;
	rs_probe_config_init(&c);
	assert_true(c.protocol == RS_PROTO_TLS && c.connect_ms == 10000 && c.total_ms == 30000 && !c.host);
	assert_null(rs_probe_opts_from(&c, &err));
	assert_string_equal(err.message, "a probe needs a target host");
	c.host = "127.0.0.1";
	c.port = 70000;
	assert_null(rs_probe_opts_from(&c, &err));
	assert_string_equal(err.message, "invalid target '127.0.0.1:70000'");
	c.port = 1; /* refused at once on the loopback address */
	c.tls_min = "1.3";
	c.tls_max = "1.2";
	assert_null(rs_probe_opts_from(&c, &err));
	assert_string_equal(err.message, "the lowest TLS version is above the highest");
	c.tls_min = c.tls_max = NULL;
	c.http_path = "no-slash";
	assert_null(rs_probe_opts_from(&c, &err));
	assert_int_equal(err.code, RS_ERR_USAGE);
	c.http_path = NULL;
	c.store = store;
	o = rs_probe_opts_from(&c, &err);
	assert_non_null(o);
	rs_certlist_free(store); /* the options hold their own references */
	r = rs_probe_run(o, &err);
	assert_non_null(r);
	rs_probe_result_info(r, &pi);
	assert_int_equal(pi.code, RS_PROBE_TCP_REFUSED);
	rs_probe_result_free(r);
	rs_probe_opts_free(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_verify_config),
		cmocka_unit_test(test_probe_config),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
