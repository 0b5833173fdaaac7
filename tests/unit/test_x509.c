/* test_x509.c: the certificate model against real certificates and what openssl says about them. */
#include "rs_test.h"

#include <string.h>

struct expect {
	const char *file;
	const char *sha1;
	const char *subject;
	const char *serial;
	const char *not_after;
	const char *key_type;
	int key_bits;
	const char *curve;
	const char *sig_alg;
	int is_ca;
	int self_issued;
};

/* Values from `openssl x509 -noout -fingerprint -sha1 -serial -enddate` on each file. */
static const struct expect table[] = {
	{ "baltimore_cybertrust_root.pem", "d4de20d05e66fc53fe1a50882c78db2852cae474",
	  "CN=Baltimore CyberTrust Root,OU=CyberTrust,O=Baltimore,C=IE", "020000b9", "2025-05-12T23:59:00Z", "RSA",
	  2048, "", "sha1WithRSAEncryption", 1, 1 },
	{ "digicert_global_root_g2.pem", "df3c24f9bfd666761b268073fe06d1cc8d4f82a4",
	  "CN=DigiCert Global Root G2,OU=www.digicert.com,O=DigiCert Inc,C=US", "033af1e6a711a9a0bb2864b11d09fae5",
	  "2038-01-15T12:00:00Z", "RSA", 2048, "", "sha256WithRSAEncryption", 1, 1 },
	{ "microsoft_rsa_root_ca_2017.pem", "73a5e64a3bff8316ff0edccc618a906e4eae4d74",
	  "CN=Microsoft RSA Root Certificate Authority 2017,O=Microsoft Corporation,C=US",
	  "1ed397095fd8b4b347701eaabe7f45b3", "2042-07-18T23:00:23Z", "RSA", 4096, "", "sha384WithRSAEncryption", 1, 1 },
	{ "digicert_global_root_g3.pem", "7e04de896a3e666d00e687d33ffad93be83d349e",
	  "CN=DigiCert Global Root G3,OU=www.digicert.com,O=DigiCert Inc,C=US", "055556bcf25ea43535c3a40fd5ab4572",
	  "2038-01-15T12:00:00Z", "EC", 384, "P-384", "ecdsa-with-SHA384", 1, 1 },
	{ "intermediates/microsoft_azure_rsa_tls_issuing_ca_07_xsign.pem", "3382517058a0c20228d598ee7501b61256a76442",
	  "CN=Microsoft Azure RSA TLS Issuing CA 07,O=Microsoft Corporation,C=US", NULL, "2026-08-25T23:59:59Z", "RSA",
	  4096, "", "sha384WithRSAEncryption", 1, 0 },
};

static void test_table(void **state)
{
	char path[512], buf[32];
	size_t i;

	(void)state;
	for (i = 0; i < RS_ARRAY_LEN(table); i++) {
		const struct expect *e = &table[i];
		struct rs_certlist *l;
		const struct rs_cert *c;

		snprintf(path, sizeof(path), "%s/%s", RS_TEST_DATA, e->file);
		l = load_ok(path);
		assert_int_equal(rs_certlist_count(l), 1);
		c = rs_certlist_at(l, 0);
		assert_string_equal(rs_cert_sha1(c), e->sha1);
		assert_string_equal(rs_cert_subject(c), e->subject);
		if (e->serial)
			assert_string_equal(rs_cert_serial(c), e->serial);
		assert_string_equal(rs_time_format(rs_cert_not_after(c), buf, sizeof(buf)), e->not_after);
		assert_string_equal(rs_cert_key_type(c), e->key_type);
		assert_int_equal(rs_cert_key_bits(c), e->key_bits);
		assert_string_equal(rs_cert_key_curve(c), e->curve);
		assert_string_equal(rs_cert_sig_alg(c), e->sig_alg);
		assert_int_equal(rs_cert_is_ca(c), e->is_ca);
		assert_int_equal(rs_cert_self_issued(c), e->self_issued);
		assert_int_equal(strlen(rs_cert_sha256(c)), 64);
		assert_int_equal(strlen(rs_cert_spki_sha256(c)), 64);
		rs_certlist_free(l);
	}
}

/* SPKI SHA-256 of G2, as `openssl x509 -pubkey | openssl pkey -pubin -outform DER | sha256sum` gives it. */
static void test_spki_and_sha256(void **state)
{
	struct rs_certlist *l = load_ok(DATA("digicert_global_root_g2.pem"));
	const struct rs_cert *c = rs_certlist_at(l, 0);

	(void)state;
	assert_string_equal(rs_cert_sha256(c), "cb3ccbb76031e5e0138f8dd39a23f9de47ffc35e43c1144cea27d46a5ab1cb5f");
	assert_string_equal(rs_cert_spki_sha256(c), "8bb593a93be1d0e8a822bb887c547890c3e706aad2dab76254f97fb36b82fc26");
	assert_string_equal(rs_cert_ski(c), "4e2254201895e6e36ee60ffafab912ed06178f39");
	assert_string_equal(rs_cert_aki(c), "");
	assert_int_equal(rs_cert_key_usage_count(c), 3);
	assert_string_equal(rs_cert_key_usage_at(c, 1), "keyCertSign");
	assert_true(rs_cert_valid_at(c, 1747094340));
	assert_false(rs_cert_valid_at(c, 2147169601));
	rs_certlist_free(l);
}

static void test_sans_and_eku(void **state)
{
	struct rs_certlist *l = load_ok(DATA("forms/device.pem"));
	const struct rs_cert *c = rs_certlist_at(l, 0);

	(void)state;
	assert_int_equal(rs_cert_san_count(c), 2);
	assert_string_equal(rs_cert_san_at(c, 0), "DNS:device.example");
	assert_string_equal(rs_cert_san_at(c, 1), "IP:127.0.0.1");
	assert_null(rs_cert_san_at(c, 2));
	assert_string_equal(rs_cert_common_name(c), "rootshift test device");
	rs_certlist_free(l);

	l = load_ok(DATA("intermediates/microsoft_azure_rsa_tls_issuing_ca_07_xsign.pem"));
	c = rs_certlist_at(l, 0);
	assert_true(rs_cert_ext_key_usage_count(c) >= 1);
	assert_string_equal(rs_cert_ext_key_usage_at(c, 0), "serverAuth");
	assert_int_equal(rs_cert_path_len(c), 0);
	rs_certlist_free(l);
}

static void test_der_roundtrip_and_refs(void **state)
{
	struct rs_certlist *l = load_ok(DATA("forms/digicert_global_root_g2.der"));
	struct rs_cert *c = rs_certlist_at(l, 0), *copy;
	const unsigned char *der;
	size_t len;
	struct rs_error err;

	(void)state;
	der = rs_cert_der(c, &len);
	assert_int_equal(len, 914);
	copy = rs_cert_from_der(der, len, &err);
	assert_non_null(copy);
	assert_string_equal(rs_cert_sha1(copy), rs_cert_sha1(c));
	assert_ptr_equal(rs_cert_up_ref(copy), copy);
	rs_cert_free(copy);
	rs_cert_free(copy);
	assert_null(rs_cert_from_der(der, len - 1, &err));
	assert_int_equal(err.code, RS_ERR_PARSE);
	rs_certlist_free(l);
	rs_cert_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_spki_and_sha256),
		cmocka_unit_test(test_sans_and_eku),
		cmocka_unit_test(test_der_roundtrip_and_refs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
