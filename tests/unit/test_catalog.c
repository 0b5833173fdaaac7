/* test_catalog.c: built-in profiles, identification, aliases, and errors in broken profile files. */
#include "rs_test.h"
#include "catalog/builtin.h"

#include <string.h>

static struct rs_catalog *builtin(void)
{
	struct rs_catalog *cat = rs_catalog_new();
	struct rs_error err;

	assert_non_null(cat);
	if (rs_catalog_add_builtin(cat, NULL, &err) < 0)
		fail_msg("%s", err.message);
	return cat;
}

static void test_builtin_profiles(void **state)
{
	struct rs_catalog *cat = builtin();
	const struct rs_profile *p = rs_catalog_profile(cat, "azure-iot");
	const char *const *ids = rs_builtin_profiles();
	rs_time when;
	const char *event;
	size_t i, with_cert = 0;

	(void)state;
	assert_string_equal(ids[0], "azure-iot");
	assert_string_equal(ids[1], "azure-ica-2026");
	assert_null(ids[2]);
	assert_int_equal(rs_catalog_profile_count(cat), 2);
	assert_non_null(p);
	/* six roots, all twenty corpus intermediates but the duplicate MS RSA 2017 root and the 2026 ones, two by thumbprint */
	assert_int_equal(rs_profile_known_count(p), 24);
	for (i = 0; i < rs_profile_known_count(p); i++)
		with_cert += rs_known_cert(rs_profile_known_at(p, i)) != NULL;
	assert_int_equal(with_cert, 22);
	assert_int_equal(rs_profile_rule_count(p, "required"), 1);
	assert_string_equal(rs_known_id(rs_profile_rule_at(p, "required", 0)), "digicert-global-root-g2");
	assert_int_equal(rs_profile_rule_count(p, "recommended"), 2);
	assert_string_equal(rs_known_id(rs_profile_rule_at(p, "old", 0)), "baltimore-cybertrust-root");
	assert_int_equal(rs_profile_rule_count(p, "nonsense"), 0);
	assert_int_equal(rs_profile_leaf_pattern_count(p), 2);
	assert_string_equal(rs_profile_leaf_pattern_at(p, 0), "*.azure-devices.net");
	assert_int_equal(rs_profile_event_at(p, 0, &when, &event, NULL), 0);
	assert_string_equal(event, "hub-migration-start");
	assert_int_equal(when, 1676419200); /* 2023-02-15 */
	assert_int_equal(rs_profile_event_at(p, 4, &when, &event, NULL), 0);
	assert_string_equal(event, "old-root-expiry");
	assert_int_equal(rs_profile_endpoint_at(p, 0)->port, 8883);
	rs_catalog_free(cat);
}

static void test_identify(void **state)
{
	struct rs_catalog *cat = builtin();
	struct rs_certlist *l = load_ok(DATA("intermediates/microsoft_azure_rsa_tls_issuing_ca_07.pem"));
	const struct rs_known *k = rs_catalog_identify(cat, rs_certlist_at(l, 0));

	(void)state;
	assert_non_null(k);
	assert_string_equal(rs_known_id(k), "microsoft-azure-rsa-tls-issuing-ca-07-ms2017");
	assert_int_equal(rs_known_kind(k), RS_KIND_INTERMEDIATE);
	assert_int_equal(rs_known_issuer_count(k), 1);
	assert_string_equal(rs_known_issuer_at(k, 0), "microsoft-rsa-root-ca-2017");
	assert_string_equal(rs_profile_id(rs_known_profile(k)), "azure-iot");
	rs_certlist_free(l);

	k = rs_catalog_by_sha1(cat, "E7:EE:A6:74:CA:71:8E:3B:EF:D9:08:58:E0:9F:83:72:AD:0A:E2:AA");
	assert_non_null(k);
	assert_string_equal(rs_known_name(k), "Microsoft Azure TLS Issuing CA 02");
	assert_null(rs_known_cert(k));
	assert_null(rs_catalog_by_sha1(cat, "0000000000000000000000000000000000000000"));
	assert_null(rs_catalog_by_sha1(cat, "not hex"));

	k = rs_catalog_by_spki(cat, "8bb593a93be1d0e8a822bb887c547890c3e706aad2dab76254f97fb36b82fc26",
			       "CN=DigiCert Global Root G2,OU=www.digicert.com,O=DigiCert Inc,C=US");
	assert_non_null(k);
	assert_string_equal(rs_known_role(k), "new");
	assert_null(rs_catalog_by_spki(cat, "8bb593a93be1d0e8a822bb887c547890c3e706aad2dab76254f97fb36b82fc26", "CN=Other"));
	rs_catalog_free(cat);
}

/* The notice prints 417e2250... for Microsoft RSA TLS CA 01; it is Microsoft IT TLS CA 1. */
static void test_alias(void **state)
{
	struct rs_catalog *cat = builtin();
	const struct rs_known *actual = NULL;
	const char *documented_as = NULL;
	const char *note = rs_catalog_alias(cat, "417e225037fbfaa4f95761d5ae729e1aea7e3a42", &documented_as, &actual);

	(void)state;
	assert_non_null(note);
	assert_string_equal(documented_as, "Microsoft RSA TLS CA 01");
	assert_string_equal(rs_known_name(actual), "Microsoft IT TLS CA 1");
	assert_non_null(strstr(note, "703d7a8f0ebf55aaa59f98eaf4a206004eb2516a"));
	assert_string_equal(rs_known_sha1(rs_catalog_by_sha1(cat, "703d7a8f0ebf55aaa59f98eaf4a206004eb2516a")),
			    "703d7a8f0ebf55aaa59f98eaf4a206004eb2516a");
	assert_null(rs_catalog_alias(cat, "df3c24f9bfd666761b268073fe06d1cc8d4f82a4", NULL, NULL));
	rs_catalog_free(cat);
}

struct bad_case {
	const char *json;
	const char *message;
};

#define HEAD "{\"schema\":\"rootshift/profile/1\",\"id\":\"t\",\"name\":\"T\","
#define ROOT "{\"id\":\"r\",\"name\":\"R\",\"kind\":\"root\",\"sha1\":\"df3c24f9bfd666761b268073fe06d1cc8d4f82a4\"}"

static const struct bad_case bad[] = {
	{ "{\"schema\": ", "line 1 column 11: " },
	{ "[]", "$: expected an object" },
	{ "{\"schema\":\"rootshift/profile/9\"}", "$.schema: expected \"rootshift/profile/1\"" },
	{ HEAD "\"certificates\":[]}", "$.certificates: expected a non-empty array" },
	{ HEAD "\"certificates\":[{\"id\":\"r\",\"name\":\"R\",\"kind\":\"root\",\"sha1\":\"12\"}]}",
	  "$.certificates[0].sha1: expected 40 hex digits" },
	{ HEAD "\"certificates\":[{\"id\":\"r\",\"name\":\"R\",\"kind\":\"tree\",\"sha1\":\"df3c24f9bfd666761b268073fe06d1cc8d4f82a4\"}]}",
	  "$.certificates[0]: kind must be root, intermediate or leaf" },
	{ HEAD "\"certificates\":[{\"id\":\"r\",\"kind\":\"root\"}]}", "$.certificates[0].name: missing" },
	{ HEAD "\"certificates\":[" ROOT "," ROOT "]}", "$.certificates[1]: duplicate id" },
	{ HEAD "\"certificates\":[" ROOT "]}", "$.rules: expected an object" },
	{ HEAD "\"certificates\":[" ROOT "],\"rules\":{\"required\":[\"x\"]}}",
	  "$.rules.required[0]: names no certificate of this profile" },
	{ HEAD "\"certificates\":[" ROOT "],\"rules\":{}}", "$.rules.required: a profile needs at least one required root" },
	{ HEAD "\"certificates\":[" ROOT "],\"rules\":{\"required\":[\"r\"]},\"timeline\":[{\"date\":\"2023-02-30\",\"event\":\"e\"}]}",
	  "$.timeline[0].date: expected an RFC 3339 time" },
	{ HEAD "\"certificates\":[" ROOT "],\"rules\":{\"required\":[\"r\"]},\"endpoints\":[{\"service\":\"s\",\"protocol\":\"p\",\"host\":\"h\",\"port\":0}]}",
	  "$.endpoints[0]: port must be an integer from 1 to 65535" },
	{ HEAD "\"certificates\":[{\"id\":\"r\",\"name\":\"R\",\"kind\":\"root\",\"issuers\":[\"q\"],\"sha1\":\"df3c24f9bfd666761b268073fe06d1cc8d4f82a4\"}]}",
	  "$.certificates[0].issuers[0]: names no certificate of this profile" },
	{ HEAD "\"certificates\":[{\"id\":\"r\",\"name\":\"R\",\"kind\":\"root\",\"sha1\":\"d4de20d05e66fc53fe1a50882c78db2852cae474\","
	  "\"pem\":\"-----BEGIN CERTIFICATE-----\\nMIIB\\n-----END CERTIFICATE-----\\n\"}]}",
	  "$.certificates[0].pem: not one readable PEM certificate" },
	{ HEAD "\"id\":\"t\"}", "duplicate object key" },
	{ HEAD "\"certificates\":[" ROOT "],\"rulez\":{}}", "unknown key 'rulez' at line 1 column " },
	{ HEAD "\"certificates\":[" ROOT "],\"rules\":{\"required\":[\"r\"],\"recomended\":[]}}",
	  "in rules (did you mean 'recommended'?)" },
	{ HEAD "\"certificates\":[{\"id\":\"r\",\"nmae\":\"R\"}]}", "in certificates[0] (did you mean 'name'?)" },
};

static void test_broken_profiles(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < RS_ARRAY_LEN(bad); i++) {
		struct rs_catalog *cat = rs_catalog_new();
		struct rs_error err = { 0 };

		assert_int_equal(rs_catalog_add_json(cat, bad[i].json, strlen(bad[i].json), "bad.json", &err), -1);
		if (!strstr(err.message, bad[i].message) || !strstr(err.message, "bad.json"))
			fail_msg("case %zu: unexpected message: %s", i, err.message);
		assert_int_equal(rs_catalog_profile_count(cat), 0);
		rs_catalog_free(cat);
	}
}

/* A digest that disagrees with the certificate carried in pem names the field and the real value. */
static void test_digest_mismatch(void **state)
{
	struct rs_certlist *l = load_ok(DATA("digicert_global_root_g2.pem"));
	const struct rs_cert *g2 = rs_certlist_at(l, 0);
	struct rs_catalog *cat = rs_catalog_new();
	json_t *root = json_pack("{s:s,s:s,s:s,s:[{s:s,s:s,s:s,s:s,s:s}],s:{s:[s]}}", "schema", "rootshift/profile/1",
				 "id", "t", "name", "T", "certificates", "id", "r", "name", "R", "kind", "root", "sha1",
				 "d4de20d05e66fc53fe1a50882c78db2852cae474", "pem", "", "rules", "required", "r");
	struct rs_buf pem = RS_BUF_INIT;
	struct rs_error err;
	char *text;

	(void)state;
	(void)g2;
	assert_int_equal(rs_read_file(DATA("digicert_global_root_g2.pem"), 1 << 20, (unsigned char **)&pem.data, &pem.len, NULL), 0);
	json_object_set_new(json_array_get(json_object_get(root, "certificates"), 0), "pem", json_string(pem.data));
	text = json_dumps(root, 0);
	assert_int_equal(rs_catalog_add_json(cat, text, strlen(text), "t.json", &err), -1);
	assert_non_null(strstr(err.message, "$.certificates[0].sha1: does not match the certificate in pem (which has df3c24f9"));
	free(text);
	json_decref(root);
	free(pem.data);
	rs_catalog_free(cat);
	rs_certlist_free(l);
}

static void test_duplicate_and_missing(void **state)
{
	struct rs_catalog *cat = builtin();
	struct rs_error err;

	(void)state;
	assert_int_equal(rs_catalog_add_builtin(cat, "azure-iot", &err), 0); /* already there: nothing to do */
	assert_int_equal(rs_catalog_add_builtin(cat, "nope", &err), -1);
	assert_int_equal(err.code, RS_ERR_NOTFOUND);
	assert_int_equal(rs_catalog_add_file(cat, RS_TEST_DATA "/../../profiles/azure-iot.json", &err), -1);
	assert_non_null(strstr(err.message, "profile 'azure-iot' is already loaded"));
	assert_int_equal(rs_catalog_add_file(cat, DATA("nope.json"), &err), -1);
	assert_int_equal(err.code, RS_ERR_IO);
	rs_catalog_free(cat);
}

/* Built-in profiles are loaded lazily (keys unchecked, the certificates' PEMs kept out of the JSON and parsed on
 * first use): each must agree field by field with the strict parse of its source, profiles/NAME.json. */
static void test_builtin_strict(void **state)
{
	struct rs_catalog *lazy = builtin(), *strict = rs_catalog_new();
	struct rs_error err;
	size_t i, j;

	(void)state;
	for (i = 0; i < rs_builtin_profile_count; i++) {
		const struct rs_builtin_profile *b = &rs_builtin_profile_data[i];
		char path[512];
		snprintf(path, sizeof(path), "%s/../../profiles/%s.json", RS_TEST_DATA, b->id);
		if (rs_catalog_add_file(strict, path, &err) < 0)
			fail_msg("%s", err.message);
		assert_null(strstr((const char *)b->json, "BEGIN CERTIFICATE")); /* the PEMs are in the table only */
	}
	assert_int_equal(rs_catalog_profile_count(strict), rs_catalog_profile_count(lazy));
	for (i = 0; i < rs_catalog_profile_count(strict); i++) {
		const struct rs_profile *ps = rs_catalog_profile_at(strict, i), *pl = rs_catalog_profile_at(lazy, i);
		assert_int_equal(rs_profile_known_count(ps), rs_profile_known_count(pl));
		for (j = 0; j < rs_profile_known_count(ps); j++) {
			const struct rs_known *ks = rs_profile_known_at(ps, j), *kl = rs_profile_known_at(pl, j);
			/* the digests first: a lookup reads them before anything parses the certificate */
			assert_string_equal(rs_known_sha256(ks), rs_known_sha256(kl));
			assert_string_equal(rs_known_sha1(ks), rs_known_sha1(kl));
			assert_string_equal(rs_known_spki_sha256(ks), rs_known_spki_sha256(kl));
			assert_string_equal(rs_known_subject(ks), rs_known_subject(kl));
			assert_int_equal(rs_known_not_after(ks), rs_known_not_after(kl));
			assert_int_equal(rs_known_cert(ks) != NULL, rs_known_cert(kl) != NULL);
			if (rs_known_cert(ks))
				assert_string_equal(rs_cert_sha256(rs_known_cert(kl)), rs_known_sha256(ks));
		}
	}
	rs_catalog_free(strict);
	rs_catalog_free(lazy);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_builtin_profiles), cmocka_unit_test(test_identify),
		cmocka_unit_test(test_alias),            cmocka_unit_test(test_broken_profiles),
		cmocka_unit_test(test_digest_mismatch),  cmocka_unit_test(test_duplicate_and_missing),
		cmocka_unit_test(test_builtin_strict),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
