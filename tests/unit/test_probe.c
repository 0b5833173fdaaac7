/* test_probe.c: the probe's pieces that need no network: credentials, decoders of server bytes, options. */
#include "rs_test.h"
#include "probe/probe.h"

#include <stdlib.h>
#include <string.h>

static void test_http_status(void **state)
{
	static const struct { const char *text; int want; } cases[] = {
		{ "HTTP/1.1 401 Unauthorized\r\n", 401 }, { "HTTP/1.0 204\r\n", 204 }, { "HTTP/1.1 200 OK", 200 },
		{ "HTTP/2 200\r\n", -1 },                 { "HTTP/1.1 99 x\r\n", -1 }, { "HTTP/1.1 2000\r\n", -1 },
		{ "HTTP/1.1 20", -1 },                    { "SSH-2.0-OpenSSH\r\n", -1 }, { "", -1 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < RS_ARRAY_LEN(cases); i++)
		assert_int_equal(rs_http_status_line(cases[i].text, strlen(cases[i].text)), cases[i].want);
}

static void test_amqp_mechanisms(void **state)
{
	static const unsigned char array[] = { 0x00, 0x53, 0x40, 0xc0, 0x1d, 0x01, 0xe0, 0x1a, 0x03, 0xa3, 7, 'M', 'S',
					      'S', 'B', 'C', 'B', 'S', 5, 'P', 'L', 'A', 'I', 'N', 9, 'A', 'N',
					      'O', 'N', 'Y', 'M', 'O', 'U', 'S' };
	static const unsigned char single[] = { 0x00, 0x53, 0x40, 0xc0, 0x08, 0x01, 0xa3, 5, 'P', 'L', 'A', 'I', 'N' };
	static const unsigned char lying[] = { 0xe0, 0xff, 0x09, 0xa3, 200, 'x' };
	struct rs_buf out = RS_BUF_INIT;

	(void)state;
	rs_amqp_mechanisms(array, sizeof(array), &out);
	assert_string_equal(out.data, "MSSBCBS PLAIN ANONYMOUS");
	rs_buf_release(&out);
	rs_amqp_mechanisms(single, sizeof(single), &out);
	assert_string_equal(out.data, "PLAIN");
	rs_buf_release(&out);
	rs_amqp_mechanisms(lying, sizeof(lying), &out);
	assert_null(out.data);
}

struct hub_case {
	const char *connstr;
	const char *error;     /* NULL: valid */
	const char *host, *client_id, *username, *sas_prefix;
};

static const struct hub_case hub_cases[] = {
	{ "HostName=hub.azure-devices.net;DeviceId=dev1;SharedAccessKey=iNULmN6ja++HvY6wXvYW9RQyby0nQYZB+0IUiUPpfec=", NULL,
	  "hub.azure-devices.net", "dev1", "hub.azure-devices.net/dev1/?api-version=2021-04-12",
	  "SharedAccessSignature sr=hub.azure-devices.net/devices/dev1&sig=" },
	{ "HostName=hub.azure-devices.net;DeviceId=dev1;ModuleId=m1;SharedAccessSignature=SharedAccessSignature sr=x&sig=y&se=1",
	  NULL, "hub.azure-devices.net", "dev1/m1", "hub.azure-devices.net/dev1/m1/?api-version=2021-04-12",
	  "SharedAccessSignature sr=x&sig=y&se=1" },
	{ "HostName=hub.azure-devices.net;DeviceId=dev1;SharedAccessKey=aGVsbG8=;GatewayHostName=gw.lab.example", NULL,
	  "gw.lab.example", "dev1", "hub.azure-devices.net/dev1/?api-version=2021-04-12", "SharedAccessSignature sr=" },
	{ "HostName=localhost;DeviceId=dev1;SharedAccessKey=aGVsbG8=", "needs a dot", NULL, NULL, NULL, NULL },
	{ "HostName=hub.azure-devices.net;SharedAccessKey=aGVsbG8=", "no DeviceId", NULL, NULL, NULL, NULL },
	{ "HostName=hub.azure-devices.net;DeviceId=dev1", "exactly one of", NULL, NULL, NULL, NULL },
	{ "HostName=hub.azure-devices.net;DeviceId=d;SharedAccessKey=aGVsbG8=;SharedAccessSignature=s", "exactly one of",
	  NULL, NULL, NULL, NULL },
	{ "HostName=hub.azure-devices.net;DeviceId=dev1;SharedAccessKey=not*base64", "", NULL, NULL, NULL, NULL },
};

static void test_hub_credentials(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < RS_ARRAY_LEN(hub_cases); i++) {
		const struct hub_case *c = &hub_cases[i];
		struct rs_error err = { 0 };
		struct rs_connstr *cs = rs_connstr_parse(c->connstr, &err);
		char *host = NULL, *cid = NULL, *user = NULL, *sas = NULL;
		int rv;

		assert_non_null(cs);
		rv = rs_azure_hub_credentials(cs, 1700000000, 3600, &host, &cid, &user, &sas, &err);
		if (c->error) {
			assert_int_equal(rv, -1);
			if (!strstr(err.message, c->error))
				fail_msg("case %zu: %s", i, err.message);
			assert_null(strstr(err.message, "not*base64"));
		} else {
			assert_int_equal(rv, 0);
			assert_string_equal(host, c->host);
			assert_string_equal(cid, c->client_id);
			assert_string_equal(user, c->username);
			assert_int_equal(strncmp(sas, c->sas_prefix, strlen(c->sas_prefix)), 0);
		}
		free(host);
		free(cid);
		free(user);
		free(sas);
		rs_connstr_free(cs);
	}
}

/* The SAS the probe makes verifies the way the service checks it, expiring lifetime seconds after at. */
static void test_hub_sas_verifies(void **state)
{
	const char *key = "iNULmN6ja++HvY6wXvYW9RQyby0nQYZB+0IUiUPpfec=";
	struct rs_connstr *cs = rs_connstr_parse("HostName=g2cert.azure-devices.net;DeviceId=TestDevice1;SharedAccessKey="
						 "iNULmN6ja++HvY6wXvYW9RQyby0nQYZB+0IUiUPpfec=", NULL);
	char *host, *cid, *user, *sas;
	struct rs_sas *parsed;
	struct rs_error err;

	(void)state;
	assert_int_equal(rs_azure_hub_credentials(cs, 1700000000, 3600, &host, &cid, &user, &sas, &err), 0);
	parsed = rs_sas_parse(sas, &err);
	assert_non_null(parsed);
	assert_int_equal(rs_sas_expiry(parsed), 1700003600);
	assert_int_equal(rs_sas_verify(parsed, key, "g2cert.azure-devices.net/devices/TestDevice1", 1700000001, &err), 0);
	assert_int_equal(rs_sas_verify(parsed, key, "g2cert.azure-devices.net/devices/TestDevice1", 1700003601, &err), -1);
	rs_sas_free(parsed);
	free(host);
	free(cid);
	free(user);
	free(sas);
	rs_connstr_free(cs);
}

static void test_dps_credentials(void **state)
{
	char *user = NULL, *sas = NULL;
	struct rs_sas *parsed;
	struct rs_error err;

	(void)state;
	assert_int_equal(rs_azure_dps_credentials("0ne002B1DF7", "abc", "aGVsbG8gd29ybGQ=", 1700000000, 2400, &user, &sas, &err), 0);
	assert_string_equal(user, "0ne002B1DF7/registrations/abc/api-version=2019-03-31");
	assert_non_null(strstr(sas, "sr=0ne002B1DF7%2fregistrations%2fabc&"));
	assert_non_null(strstr(sas, "&skn=registration"));
	parsed = rs_sas_parse(sas, &err);
	assert_non_null(parsed);
	assert_int_equal(rs_sas_verify(parsed, "aGVsbG8gd29ybGQ=", "0ne002B1DF7/registrations/abc", 1700000000, &err), 0);
	rs_sas_free(parsed);
	free(user);
	free(sas);
	assert_int_equal(rs_azure_dps_credentials("", "abc", NULL, 0, 1, &user, &sas, &err), -1);
	assert_int_equal(err.code, RS_ERR_USAGE);
}

static void test_codes_and_options(void **state)
{
	struct rs_probe_opts *o = rs_probe_opts_new();
	struct rs_error err;

	(void)state;
	assert_string_equal(rs_probe_code_name(RS_PROBE_OK_AUTH_REJECTED), "ok-auth-rejected");
	assert_string_equal(rs_probe_code_group(RS_PROBE_CERT_CHAIN_TOO_LARGE), "certificate");
	assert_string_equal(rs_probe_code_name(RS_PROBE_TIMEOUT), "timeout");
	assert_string_equal(rs_probe_code_name((enum rs_probe_code)999), "unknown");
	assert_int_equal(rs_probe_code_for_verify(RS_VERIFY_EXPIRED), RS_PROBE_CERT_EXPIRED);
	assert_int_equal(rs_probe_code_for_verify(RS_VERIFY_NOT_YET_VALID), RS_PROBE_CERT_EXPIRED);
	assert_int_equal(rs_probe_code_for_verify(RS_VERIFY_NAME_MISMATCH), RS_PROBE_CERT_HOSTNAME_MISMATCH);
	assert_int_equal(rs_probe_code_for_verify(RS_VERIFY_CHAIN_TOO_LARGE), RS_PROBE_CERT_CHAIN_TOO_LARGE);
	assert_int_equal(rs_probe_code_for_verify(RS_VERIFY_UNTRUSTED_ROOT), RS_PROBE_CERT_UNTRUSTED);
	assert_int_equal(rs_probe_code_for_verify(RS_VERIFY_UNSUPPORTED_DIGEST), RS_PROBE_CERT_UNTRUSTED);
	assert_int_equal(rs_probe_opts_set_target(o, "", 443, &err), -1);
	assert_int_equal(rs_probe_opts_set_target(o, "h.example", 0, &err), -1);
	assert_int_equal(rs_probe_opts_set_target(o, "h.example", 8883, &err), 0);
	assert_int_equal(rs_probe_opts_set_tls_versions(o, "1.3", "1.2", &err), -1);
	assert_int_equal(rs_probe_opts_set_tls_versions(o, "1.4", NULL, &err), -1);
	assert_non_null(strstr(err.message, "unknown TLS version '1.4'"));
	assert_int_equal(rs_probe_opts_set_http(o, "GET", "no-slash", NULL, &err), -1);
	assert_int_equal(rs_probe_opts_set_http(o, "GET\r\nX", "/", NULL, &err), -1);
	assert_null(rs_probe_run(o, &err)); /* no store */
	assert_int_equal(err.code, RS_ERR_USAGE);
	rs_probe_opts_free(o);
}

/* A closed port on loopback: tcp-refused at the tcp stage, with the address in the message. */
static void test_refused(void **state)
{
	struct rs_probe_opts *o = rs_probe_opts_new();
	struct rs_certlist *store = load_ok(DATA("digicert_global_root_g2.pem"));
	struct rs_probe_result *r;
	struct rs_error err;

	(void)state;
	assert_int_equal(rs_probe_opts_set_target(o, "127.0.0.1", 1, &err), 0);
	assert_int_equal(rs_probe_opts_set_store(o, store, &err), 0);
	rs_certlist_free(store); /* the options keep their own references */
	r = rs_probe_run(o, &err);
	assert_non_null(r);
	assert_int_equal(rs_probe_result_code(r), RS_PROBE_TCP_REFUSED);
	assert_string_equal(rs_probe_result_stage(r), "tcp");
	assert_non_null(strstr(rs_probe_result_message(r), "127.0.0.1:1"));
	assert_int_equal(rs_certlist_count(rs_probe_result_served_chain(r)), 0);
	assert_null(rs_probe_result_verify(r));
	rs_probe_result_free(r);
	rs_probe_opts_free(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_http_status),     cmocka_unit_test(test_amqp_mechanisms),
		cmocka_unit_test(test_hub_credentials), cmocka_unit_test(test_hub_sas_verifies),
		cmocka_unit_test(test_dps_credentials), cmocka_unit_test(test_codes_and_options),
		cmocka_unit_test(test_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
