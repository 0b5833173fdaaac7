/* test_pinrules.c: a scan --rules file (lib/pin/ruleset.c, docs/scan.md) through rs_pinscan_set_rules: every check
 * of an entry, a section and the file refuses a bad file with the place and the reason; a good file replaces the
 * built-in entry of the same needle, adds to the string lists, and "replace": true drops the built-in APIs. */
#include "rs_test.h"

#include <string.h>

#define HEAD "{ \"format\": \"rootshift-scan-rules/1\",\n  "

static const struct {
	const char *text, *want; /* want: in the message, after "bad.json " */
} bad[] = {
	{ HEAD "\"value_apis\": [ 1 ] }", "line 2 column 19: value_apis[0]: an entry is an object" },
	{ HEAD "\"value_apis\": [ { \"needle\": \"a\", \"name\": \"A\", \"colour\": \"red\" } ] }",
	  "value_apis[0]: unknown field colour" },
	{ HEAD "\"call_apis\": [ { \"needle\": \"a\", \"name\": \"A\", \"when\": \"near\" } ] }",
	  "call_apis[0]: \"when\" is an object" },
	{ HEAD "\"call_apis\": [ { \"needle\": \"a\", \"name\": \"A\", \"when\": { \"far\": \"x\" } } ] }",
	  "unknown condition far" },
	{ HEAD "\"call_apis\": [ { \"needle\": \"a\", \"name\": \"A\", \"when\": { \"digests\": \"yes\" } } ] }",
	  "bad value for condition digests" },
	{ HEAD "\"call_apis\": [ { \"needle\": \"a\", \"name\": \"A\", \"when\": { \"near\": \"\" } } ] }",
	  "bad value for condition near" },
	{ HEAD "\"call_apis\": [ { \"needle\": \"a\", \"name\": \"A\", \"call\": \"yes\" } ] }",
	  "true or false wanted for call" },
	{ HEAD "\"trust_apis\": [ { \"needle\": \"a\", \"name\": \"A\", \"line_has\": \"x\" } ] }",
	  "trust_apis[0]: \"line_has\" is a list of at most 4 strings" },
	{ HEAD "\"trust_apis\": [ { \"needle\": \"a\", \"name\": \"A\", \"line_has\": [\"a\",\"b\",\"c\",\"d\",\"e\"] } ] }",
	  "\"line_has\" is a list of at most 4 strings" },
	{ HEAD "\"trust_apis\": [ { \"needle\": \"a\", \"name\": \"A\", \"line_has\": [\"a\", \"\"] } ] }",
	  "\"line_has\" is a list of at most 4 strings" },
	{ HEAD "\"value_apis\": [ { \"needle\": \"a\", \"name\": \"\" } ] }", "a non-empty string wanted for name" },
	{ HEAD "\"value_apis\": [ { \"needle\": \"a\", \"name\": \"A\", \"args\": 3 } ] }",
	  "a non-empty string wanted for args" },
	{ HEAD "\"value_apis\": [ { \"name\": \"A\" } ] }", "value_apis[0]: missing needle" },
	{ HEAD "\"value_apis\": [ { \"needle\": \"0123456789012345678901234567890123456789012345678901234567890123\","
	       " \"name\": \"A\" } ] }",
	  "longer than 63 bytes: needle" },
	{ HEAD "\"ca_file_keys\": [ { \"needle\": \"cafile\" } ] }", "ca_file_keys[0]: missing key" },
	{ HEAD "\"value_apis\": [ { \"needle\": \"a\", \"name\": \"A\", \"literal\": \"word\" } ] }",
	  "\"literal\" is \"quoted\" or \"element\", not word" },
	{ HEAD "\"value_apis\": [ { \"needle\": \"a\", \"name\": \"A\", \"confidence\": \"certain\" } ] }",
	  "\"confidence\" is \"high\", \"medium\" or \"low\", not certain" },
	{ HEAD "\"replace\": \"yes\" }", "replace: \"replace\" is true or false, in a --rules file" },
	{ HEAD "\"rules\": [ { \"id\": \"x\" } ] }", "rules: the rules' ids, levels and texts are built in" },
	{ HEAD "\"call_apis\": { } }", "line 2 column 3: call_apis: a list wanted" },
	{ HEAD "\"name_prefixes\": \"Microsoft \" }", "name_prefixes: a list wanted" },
	{ HEAD "\"colours\": 1 }", "colours: unknown section" },
	{ HEAD "\"name_prefixes\": [ \"ok\", \"\" ] }", "name_prefixes[1]: a non-empty string of at most 63 bytes wanted" },
	{ HEAD "\"digest_functions\": [ 7 ] }", "digest_functions[0]: a non-empty string of at most 63 bytes wanted" },
	{ HEAD "\"value_apis\": [], \"value_apis\": [] }", "line 2 column" }, /* a duplicate key */
	{ "{ \"comment\": \"no format\" }", "format: \"format\": \"rootshift-scan-rules/1\" wanted" },
	{ "", "line 1 column" },
};

static void test_bad_files(void **state)
{
	struct rs_catalog *cat = rs_catalog_new();
	struct rs_error err;

	(void)state;
	assert_int_equal(rs_catalog_add_builtin(cat, NULL, &err), 0);
	for (size_t i = 0; i < RS_ARRAY_LEN(bad); i++) {
		struct rs_pinscan *ps = rs_pinscan_new(cat);
		assert_non_null(ps);
		memset(&err, 0, sizeof(err));
		assert_int_equal(rs_pinscan_set_rules(ps, bad[i].text, strlen(bad[i].text), "bad.json", &err), -1);
		assert_int_equal(err.code, RS_ERR_PARSE);
		if (strncmp(err.message, "bad.json ", 9) || !strstr(err.message, bad[i].want))
			fail_msg("case %zu: '%s' wanted '%s'", i, err.message, bad[i].want);
		rs_pinscan_free(ps);
	}
	rs_catalog_free(cat);
}

/* The APIs found in code with a ruleset: the first finding's API name, or NULL when none. */
static const char *first_api(struct rs_catalog *cat, const char *rules, const char *code, char *out, size_t size)
{
	struct rs_pinscan *ps = rs_pinscan_new(cat);
	struct rs_error err;
	const char *rv = NULL;

	assert_non_null(ps);
	if (rules && rs_pinscan_set_rules(ps, rules, strlen(rules), "good.json", &err) < 0)
		fail_msg("%s", err.message);
	assert_int_equal(rs_pinscan_mem(ps, (const unsigned char *)code, strlen(code), "net.c", &err), 0);
	if (rs_pinscan_count(ps)) {
		snprintf(out, size, "%s", rs_pinscan_at(ps, 0)->api);
		rv = out;
	}
	rs_pinscan_free(ps);
	return rv;
}

static void test_good_files(void **state)
{
	static const char code[] = "void setup(SSL_CTX *ctx) { SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL); }\n";
	static const char renamed[] = HEAD "\"comment\": \"same needle, new name\",\n"
				      "  \"verify_off\": [ { \"needle\": \"SSL_VERIFY_NONE\", \"name\": \"no checks at all\","
				      " \"not_after\": \"MBEDTLS_SSL_\" } ],\n"
				      "  \"name_prefixes\": [ \"Contoso \", \"Microsoft \" ] }";
	static const char only_vendor[] = HEAD "\"replace\": true,\n"
					  "  \"verify_off\": [ { \"needle\": \"VENDOR_VERIFY_NONE\", \"name\": \"vendor off\" } ] }";
	static const char vendor_code[] = "void setup(void) { vendor_tls(VENDOR_VERIFY_NONE); }\n";
	struct rs_catalog *cat = rs_catalog_new();
	struct rs_error err;
	char api[256];

	(void)state;
	assert_int_equal(rs_catalog_add_builtin(cat, NULL, &err), 0);
	assert_non_null(first_api(cat, NULL, code, api, sizeof(api)));
	assert_string_equal(api, "SSL_CTX_set_verify(SSL_VERIFY_NONE)");
	/* the entry of the same needle is replaced, not doubled */
	assert_non_null(first_api(cat, renamed, code, api, sizeof(api)));
	assert_string_equal(api, "no checks at all");
	/* replace: the built-in APIs are gone, the file's are there */
	assert_null(first_api(cat, only_vendor, code, api, sizeof(api)));
	assert_null(first_api(cat, NULL, vendor_code, api, sizeof(api)));
	assert_non_null(first_api(cat, only_vendor, vendor_code, api, sizeof(api)));
	assert_string_equal(api, "vendor off");
	rs_catalog_free(cat);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_good_files),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
