/* test_azure.c: SAS tokens (the facts' test vector), connection strings, URL encoding, group keys. */
#include "rs_test.h"

#include <stdlib.h>
#include <string.h>

#define VEC_KEY "18RQk/hOPJR9EbsJlk2j8WA6vWaj/yi+oaYg7zmxfQNdOyMSu+SJ8O7TSlZhDJCYmn4rzEiVKIzNiVAWjLxrGA=="
#define VEC_SR "MyExampleHub.azure-devices.net%2Fdevices%2Fmy-symkey-device"
#define VEC_SE 1663119026
#define VEC_RES "myexamplehub.azure-devices.net/devices/my-symkey-device"

/* azure-iot-facts.md 3.3: the DPS how-to's vector, recomputed. */
static void test_sas_vector(void **state)
{
	struct rs_error err;
	char *tok;
	struct rs_sas *sas;

	(void)state;
	tok = rs_sas_make(VEC_SR, VEC_KEY, VEC_SE, NULL, &err);
	assert_non_null(tok);
	assert_string_equal(tok, "SharedAccessSignature sr=" VEC_SR
				 "&sig=f%2BwW8XOKeJOtiPc9Iwjc4OpExvPM7NlhM9qxN2a1aAM%3D&se=1663119026");
	sas = rs_sas_parse(tok, &err);
	assert_non_null(sas);
	assert_string_equal(rs_sas_resource(sas), VEC_SR);
	assert_string_equal(rs_sas_resource_decoded(sas), "MyExampleHub.azure-devices.net/devices/my-symkey-device");
	assert_int_equal(rs_sas_expiry(sas), VEC_SE);
	assert_int_equal(rs_sas_verify(sas, VEC_KEY, VEC_RES, VEC_SE - 1, &err), 0);
	assert_int_equal(rs_sas_verify(sas, VEC_KEY, VEC_RES, VEC_SE, &err), -1);
	assert_int_equal(err.code, RS_ERR_EXPIRED);
	assert_int_equal(rs_sas_verify(sas, VEC_KEY, "myexamplehub.azure-devices.net/devices/other", 0, &err), -1);
	assert_int_equal(err.code, RS_ERR_AUTH);
	assert_int_equal(rs_sas_verify(sas, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", VEC_RES, 0, &err), -1);
	assert_int_equal(err.code, RS_ERR_AUTH);
	assert_null(strstr(err.message, "f+wW"));
	assert_int_equal(rs_sas_verify(sas, "not base64!", VEC_RES, 0, &err), -1);
	assert_int_equal(err.code, RS_ERR_USAGE);
	rs_sas_free(sas);
	free(tok);
}

/* The literal sr is signed: the same resource encoded differently is a different, still valid, token. */
static void test_sas_literal_sr(void **state)
{
	static const char *const forms[] = { "MyExampleHub.azure-devices.net/devices/my-symkey-device",
					     "myexamplehub.azure-devices.net%2fdevices%2fmy-symkey-device", VEC_SR };
	struct rs_error err;
	size_t i;

	(void)state;
	for (i = 0; i < RS_ARRAY_LEN(forms); i++) {
		char *tok = rs_sas_make(forms[i], VEC_KEY, VEC_SE, i == 1 ? "registration" : NULL, &err);
		struct rs_sas *sas = rs_sas_parse(tok, &err);
		assert_non_null(sas);
		assert_int_equal(rs_sas_verify(sas, VEC_KEY, VEC_RES, 0, &err), 0);
		/* a prefix at a segment boundary matches; a partial segment does not */
		assert_int_equal(rs_sas_verify(sas, VEC_KEY, VEC_RES "/modules/m1", 0, &err), 0);
		assert_int_equal(rs_sas_verify(sas, VEC_KEY, VEC_RES "x", 0, &err), -1);
		assert_string_equal(rs_sas_key_name(sas), i == 1 ? "registration" : "");
		rs_sas_free(sas);
		free(tok);
	}
}

static void test_sas_parse_errors(void **state)
{
	static const char *const bad[] = {
		"", "sr=a&sig=b&se=1", "SharedAccessSignature sr=a&sig=b", "SharedAccessSignature sr=a&se=1",
		"SharedAccessSignature sr=a&sig=b&se=x", "SharedAccessSignature sr=a&sig=b&se=1&sr=c",
		"SharedAccessSignature sr=a%zz&sig=b&se=1", "SharedAccessSignature sr=a%00&sig=b&se=1",
		"SharedAccessSignature sr=a&sig=b&se=-5", "SharedAccessSignature srab",
	};
	struct rs_error err;
	size_t i;

	(void)state;
	for (i = 0; i < RS_ARRAY_LEN(bad); i++) {
		struct rs_sas *sas = rs_sas_parse(bad[i], &err);
		if (sas)
			fail_msg("parsed: %s", bad[i]);
		assert_int_equal(err.code, RS_ERR_PARSE);
	}
	/* field order does not matter; unknown fields are ignored */
	struct rs_sas *sas = rs_sas_parse("SharedAccessSignature se=5&x=1&skn=registration&sig=a&sr=s", &err);
	assert_non_null(sas);
	assert_int_equal(rs_sas_expiry(sas), 5);
	rs_sas_free(sas);
}

static void test_connstr(void **state)
{
	struct rs_error err;
	struct rs_connstr *cs;

	(void)state;
	cs = rs_connstr_parse("HostName=h.azure-devices.net;DeviceId=d1;SharedAccessKey=" VEC_KEY
			      ";GatewayHostName=localhost;", &err);
	assert_non_null(cs);
	assert_string_equal(rs_connstr_get(cs, "HostName"), "h.azure-devices.net");
	assert_string_equal(rs_connstr_get(cs, "DeviceId"), "d1");
	assert_string_equal(rs_connstr_get(cs, "SharedAccessKey"), VEC_KEY);
	assert_string_equal(rs_connstr_get(cs, "GatewayHostName"), "localhost");
	assert_null(rs_connstr_get(cs, "hostname"));
	rs_connstr_free(cs);
	assert_null(rs_connstr_parse("", &err));
	assert_null(rs_connstr_parse("DeviceId=d1", &err));
	assert_null(rs_connstr_parse("HostName=a;HostName=b", &err));
	assert_null(rs_connstr_parse("HostName=a;junk", &err));
	assert_null(rs_connstr_parse("HostName=a;=b", &err));
}

static void test_url_and_mask(void **state)
{
	char *s, buf[16];

	(void)state;
	s = rs_url_encode("a/b c+=", 1);
	assert_string_equal(s, "a%2Fb%20c%2B%3D");
	free(s);
	s = rs_url_encode("a/b", 0);
	assert_string_equal(s, "a%2fb");
	free(s);
	s = rs_url_decode("a%2Fb%2fc+");
	assert_string_equal(s, "a/b/c+");
	free(s);
	assert_null(rs_url_decode("a%2"));
	assert_null(rs_url_decode("a%g0"));
	assert_string_equal(rs_mask_secret(VEC_KEY, buf, sizeof(buf)), "***GA==");
	assert_string_equal(rs_mask_secret("short", buf, sizeof(buf)), "***");
}

/* Group enrollment: the derived key signs like any device key, and matches openssl's HMAC. */
static void test_derive(void **state)
{
	struct rs_error err;
	char *k = rs_derive_device_key(VEC_KEY, "my-symkey-device", &err);

	(void)state;
	assert_non_null(k);
	/* printf 'my-symkey-device' | openssl dgst -sha256 -mac HMAC -macopt hexkey:$(base64 -d <<< KEY | xxd -p) */
	assert_string_equal(k, "IqHzTCWbFFSzszj81ZsEY46M/GQw9JMCpggaY6Ru0Fk=");
	free(k);
	assert_null(rs_derive_device_key("***", "x", &err));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sas_vector),    cmocka_unit_test(test_sas_literal_sr),
		cmocka_unit_test(test_sas_parse_errors), cmocka_unit_test(test_connstr),
		cmocka_unit_test(test_url_and_mask),  cmocka_unit_test(test_derive),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
