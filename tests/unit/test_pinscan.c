/* test_pinscan.c: the pinning scanner as tables: the tokenizer's notations, then one snippet per rule and near-miss. */
#include "rs_test.h"

#include "pin/pin.h"

#include <stdlib.h>
#include <string.h>

/* ---- tokens ---- */

struct tok_case {
	const char *text;
	const char *hex;      /* the digest found, or NULL for none */
	const char *notation;
};

#define SHA1 "d4de20d05e66fc53fe1a50882c78db2852cae474"

static const struct tok_case tok_cases[] = {
	{ "fp = \"" SHA1 "\";", SHA1, "hex" },
	{ "fp = \"D4DE20D05E66FC53FE1A50882C78DB2852CAE474\";", SHA1, "hex" },
	{ "D4:DE:20:D0:5E:66:FC:53:FE:1A:50:88:2C:78:DB:28:52:CA:E4:74", SHA1, "colon" },
	{ "d4 de 20 d0 5e 66 fc 53 fe 1a 50 88 2c 78 db 28 52 ca e4 74\n", SHA1, "space" },
	{ "d4-de-20-d0-5e-66-fc-53-fe-1a-50-88-2c-78-db-28-52-ca-e4-74", SHA1, "dash" },
	{ "{0xD4, 0xDE, 0x20, 0xD0, 0x5E, 0x66, 0xFC, 0x53, 0xFE, 0x1A,\n 0x50, 0x88, 0x2C, 0x78, 0xDB, 0x28, 0x52, 0xCA, "
	  "0xE4, 0x74}",
	  SHA1, "0x-array" },
	{ "\"\\xd4\\xde\\x20\\xd0\\x5e\\x66\\xfc\\x53\\xfe\\x1a\\x50\\x88\\x2c\\x78\\xdb\\x28\\x52\\xca\\xe4\\x74\"", SHA1,
	  "escaped" },
	{ "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
	  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "hex" },
	/* not digests */
	{ "123e4567-e89b-12d3-a456-426614174000", NULL, NULL },           /* a UUID */
	{ SHA1 "00", NULL, NULL },                                        /* 42 digits */
	{ "x" SHA1, NULL, NULL },                                         /* inside a word */
	{ "1234567890123456789012345678901234567890", NULL, NULL },       /* all digits */
	{ "D4:DE:20:D0:5E:66:FC:53:FE:1A:50:88:2C:78:DB:28:52:CA:E4", NULL, NULL },   /* 19 groups */
	{ "D4:DE:20:D0:5E:66:FC:53:FE:1A:50:88:2C:78:DB:28:52:CA:E4:74:00", NULL, NULL }, /* 21 groups */
	{ "{0xD4, 0xDE, 0x20}", NULL, NULL },
	{ "0xd4de20d05e66fc53fe1a50882c78db2852cae474ab", NULL, NULL },
};

static void test_tokens(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < RS_ARRAY_LEN(tok_cases); i++) {
		const struct tok_case *c = &tok_cases[i];
		struct rs_pin_token t;
		size_t pos = 0;
		char hex[65];
		int found = rs_pin_next_hex((const unsigned char *)c->text, strlen(c->text), &pos, &t);

		if (!c->hex) {
			if (found)
				fail_msg("case %zu: found a %zu-byte %s token in '%s'", i, t.nbytes, t.notation, c->text);
			continue;
		}
		if (!found)
			fail_msg("case %zu: nothing found in '%s'", i, c->text);
		rs_hex_encode(t.bytes, t.nbytes, hex);
		assert_string_equal(hex, c->hex);
		assert_string_equal(t.notation, c->notation);
	}
}

static void test_base64_pins(void **state)
{
	static const char *const texts[] = {
		"sha256//i7WTqTvh0OioIruIfFR4kMPnBqrS2rdiVPl/s2uC/CY=",
		"<pin digest=\"SHA-256\">i7WTqTvh0OioIruIfFR4kMPnBqrS2rdiVPl/s2uC/CY=</pin>",
		"pin-sha256=\"i7WTqTvh0OioIruIfFR4kMPnBqrS2rdiVPl/s2uC/CY=\"",
	};
	struct rs_pin_token t;
	size_t i, pos;

	(void)state;
	for (i = 0; i < RS_ARRAY_LEN(texts); i++) {
		pos = 0;
		assert_int_equal(rs_pin_next_b64((const unsigned char *)texts[i], strlen(texts[i]), &pos, &t), 1);
		assert_int_equal(t.nbytes, 32);
		assert_int_equal(t.bytes[0], 0x8b);
	}
	pos = 0;
	assert_int_equal(rs_pin_next_b64((const unsigned char *)"sha256-abc", 10, &pos, &t), 0);
}

/* ---- rules ---- */

struct rule_case {
	const char *name;  /* file name (lock files are told by it) */
	const char *text;
	const char *rule;  /* the one rule expected, or NULL for no finding */
	const char *severity;
	const char *value; /* expected value, or NULL to skip the check */
};

static const struct rule_case rule_cases[] = {
	/* fingerprints by the catalog */
	{ "a.ino", "client.setFingerprint(\"70 3D 7A 8F 0E BF 55 AA A5 9F 98 EA F4 A2 06 00 4E B2 51 6A\");",
	  "pin-intermediate", "error", "703d7a8f0ebf55aaa59f98eaf4a206004eb2516a" },
	{ "a.h", "#define AZURE_FP \"417e225037fbfaa4f95761d5ae729e1aea7e3a42\"", "pin-alias", "error", NULL },
	{ "a.c", "static const char *root_fp = \"" SHA1 "\";", "pin-root", "info", SHA1 },
	{ "a.c", "x = \"" SHA1 "\";", "pin-root", "info", NULL }, /* a catalog match needs no context */
	/* unknown fingerprints: only a pinning API or a pin-like name makes them findings */
	{ "a.ino", "client.setFingerprint(\"11 22 33 44 55 66 77 88 99 AA BB CC DD EE FF 10 20 30 40 51\");",
	  "pin-unknown", "error", "112233445566778899aabbccddeeff1020304051" },
	{ "a.ino", "const char fp[] PROGMEM = \"0123456789abcdef0123456789abcdef01234568\";\n"
		   "void s() {\n  client.setFingerprint(fp);\n}\n",
	  "pin-unknown", "error", NULL },
	{ "a.c", "const char *server_fingerprint = \"0123456789abcdef0123456789abcdef01234568\";", "pin-unknown",
	  "warning", NULL },
	{ "a.c", "const char *build = \"0123456789abcdef0123456789abcdef01234568\";", NULL, NULL, NULL },
	{ "Cargo.lock", "checksum = \"c17fa4cb658e3583423e915b9f3acc01cceaee1860e33d59ebae66adc3a2dc0d\"", NULL, NULL,
	  NULL },
	{ "go.sum", "fingerprint v1.0.0 h1:0123456789abcdef0123456789abcdef01234568", NULL, NULL, NULL },
	{ "log.txt", "commit 3f786850e387550fdab836ed7e6dc881de23001b (pinned)", NULL, NULL, NULL },
	{ "a.ino", "client.setFingerprint(\"00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00\");",
	  "pin-placeholder", "warning", NULL },
	{ "a.ino", "client.setFingerprint(\"XX XX XX XX\");", "pin-placeholder", "warning", NULL },
	{ "a.c", "curl_easy_setopt(c, CURLOPT_PINNEDPUBLICKEY, \"sha256//YOUR_PIN_HERE\");", "pin-placeholder", "warning",
	  NULL },
	{ "a.kt", "CertificatePinner.Builder().add(\"x\", \"sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\")",
	  "pin-placeholder", "warning", NULL },
	{ "a.sh", "curl --pinnedpubkey 'sha256//i7WTqTvh0OioIruIfFR4kMPnBqrS2rdiVPl/s2uC/CY=' https://x", "pin-root",
	  "info", NULL },
	/* name checks */
	{ "a.c", "if (strstr(issuer, \"Microsoft RSA TLS CA 02\")) ok = 1;", "name-check", "error", NULL },
	{ "a.c", "if (!strcmp(name, \"Baltimore CyberTrust Root\")) ok = 1;", "name-check", "warning", NULL },
	{ "a.c", "X509_NAME_oneline(X509_get_subject_name(c), buf, 256);\nif (strcmp(buf, \"/CN=device\") == 0)\n",
	  "name-check", "warning", "/CN=device" },
	{ "a.c", "const char *label = \"Microsoft RSA TLS CA 02\";", NULL, NULL, NULL },
	/* verification off */
	{ "a.c", "SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);", "verify-disabled", "error", NULL },
	{ "a.c", "mbedtls_ssl_conf_authmode(&conf, MBEDTLS_SSL_VERIFY_NONE);", "verify-disabled", "error", NULL },
	{ "a.c", "mbedtls_ssl_conf_authmode(&conf, MBEDTLS_SSL_VERIFY_REQUIRED);", NULL, NULL, NULL },
	{ "a.c", "curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);", "verify-disabled", "error", NULL },
	{ "a.c", "curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);", NULL, NULL, NULL },
	{ "a.c", "curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0);", "verify-disabled", "error", NULL },
	{ "a.go", "cfg := &tls.Config{InsecureSkipVerify: true}", "verify-disabled", "error", NULL },
	{ "a.go", "cfg := &tls.Config{InsecureSkipVerify: false}", NULL, NULL, NULL },
	{ "a.py", "requests.get(url, verify=False)", "verify-disabled", "error", NULL },
	{ "a.py", "requests.get(url, verify=True)", NULL, NULL, NULL },
	{ "a.js", "const agent = new https.Agent({ rejectUnauthorized: false });", "verify-disabled", "error", NULL },
	{ "a.ino", "client.setInsecure();", "verify-disabled", "error", NULL },
	{ "a.ino", "// client.setInsecure();", NULL, NULL, NULL },
	{ "a.h", "#define SSL_VERIFY_NONE 0", NULL, NULL, NULL },
	{ "a.c", "if (mode == SSL_VERIFY_NONE) warn();", NULL, NULL, NULL },
	/* configuration naming one root file */
	{ "mosquitto.conf", "cafile /etc/mosquitto/certs/Baltimore_CyberTrust_Root.pem", "single-root-file", "error",
	  "/etc/mosquitto/certs/Baltimore_CyberTrust_Root.pem" },
	{ "a.yaml", "  ca_cert: certs/DigiCertGlobalRootG2.crt.pem", "single-root-file", "warning", NULL },
	{ "a.sh", "openssl s_client -CAfile my_root_ca.pem -connect h:443", "single-root-file", "warning", NULL },
	{ "mosquitto.conf", "cafile /etc/ssl/certs/ca-certificates.crt", NULL, NULL, NULL },
	{ "a.ini", "certfile=/etc/device/device.crt", NULL, NULL, NULL },
	{ "a.sh", "curl --cacert /etc/pki/tls/certs/ca-bundle.crt https://x", NULL, NULL, NULL },
};

static void test_rules(void **state)
{
	struct rs_catalog *cat = rs_catalog_new();
	struct rs_error err;
	size_t i;

	(void)state;
	assert_int_equal(rs_catalog_add_builtin(cat, NULL, &err), 0);
	for (i = 0; i < RS_ARRAY_LEN(rule_cases); i++) {
		const struct rule_case *c = &rule_cases[i];
		struct rs_pinscan *ps = rs_pinscan_new(cat);
		const struct rs_pin_finding *f;

		assert_non_null(ps);
		assert_int_equal(rs_pinscan_mem(ps, (const unsigned char *)c->text, strlen(c->text), c->name, &err), 0);
		if (!c->rule) {
			if (rs_pinscan_count(ps))
				fail_msg("case %zu: '%s' gave %s: %s", i, c->text, rs_pinscan_at(ps, 0)->rule->id,
					 rs_pinscan_at(ps, 0)->message);
		} else {
			if (rs_pinscan_count(ps) != 1)
				fail_msg("case %zu: '%s' gave %zu findings, expected one %s", i, c->text, rs_pinscan_count(ps),
					 c->rule);
			f = rs_pinscan_at(ps, 0);
			if (strcmp(f->rule->id, c->rule))
				fail_msg("case %zu: '%s' gave %s, expected %s", i, c->text, f->rule->id, c->rule);
			assert_string_equal(rs_severity_name(f->severity), c->severity);
			if (c->value)
				assert_string_equal(f->value, c->value);
			assert_true(f->line >= 1 && f->column >= 1);
			assert_true(*f->message && *f->confidence);
		}
		rs_pinscan_free(ps);
	}
	rs_catalog_free(cat);
}

/*
 * Lines and columns of findings that the rules report out of order (pins after the disabled verification on an
 * earlier line) and far apart, over 4,080 bytes and 10,000 blank lines between them (the SSE2 newline count sums its
 * lanes before one overflows), against a count of the text's newlines.
 */
static void test_lines(void **state)
{
	static const char *const parts[] = { "    client.setInsecure();\n",
					     "client.setFingerprint(\"11 22 33 44 55 66 77 88 99 AA BB CC DD EE FF 10 20 30 "
					     "40 51\");\n",
					     "\tstatic const char *root_fp = \"" SHA1 "\";\n",
					     "  SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);\n" };
	struct rs_catalog *cat = rs_catalog_new();
	struct rs_pinscan *ps = rs_pinscan_new(cat);
	struct rs_buf text = RS_BUF_INIT;
	struct rs_error err;
	size_t i, k;

	(void)state;
	assert_int_equal(rs_catalog_add_builtin(cat, NULL, &err), 0);
	for (i = 0; i < RS_ARRAY_LEN(parts); i++) {
		for (k = 0; k < 700 * (i + 1); k++)
			assert_int_equal(rs_buf_add(&text, "int a, b;\n", 10), 0);
		for (k = 0; k < 10000 && i == 2; k++) /* blank lines: a lane of the count meets a newline every step */
			assert_int_equal(rs_buf_add(&text, "\n", 1), 0);
		assert_int_equal(rs_buf_add(&text, parts[i], strlen(parts[i])), 0);
	}
	assert_int_equal(rs_pinscan_mem(ps, (const unsigned char *)text.data, text.len, "a.ino", &err), 0);
	assert_int_equal(rs_pinscan_count(ps), RS_ARRAY_LEN(parts));
	for (i = 0; i < rs_pinscan_count(ps); i++) {
		const struct rs_pin_finding *f = rs_pinscan_at(ps, i);
		long line = 1, column = 1;
		for (k = 0; k < (size_t)f->offset; k++, column++)
			if (text.data[k] == '\n') {
				line++;
				column = 0;
			}
		if (f->line != line || f->column != column)
			fail_msg("%s at offset %lld: line %ld column %ld, expected %ld and %ld", f->rule->id, f->offset,
				 f->line, f->column, line, column);
	}
	rs_buf_release(&text);
	rs_pinscan_free(ps);
	rs_catalog_free(cat);
}

static void test_rule_table(void **state)
{
	size_t i, j;

	(void)state;
	assert_true(rs_pin_rule_count() >= 10);
	for (i = 0; i < rs_pin_rule_count(); i++) {
		const struct rs_pin_rule *r = rs_pin_rule_at(i);
		assert_ptr_equal(rs_pin_rule_find(r->id), r);
		assert_true(strlen(r->help) > 40);
		for (j = 0; j < i; j++)
			assert_string_not_equal(rs_pin_rule_at(j)->id, r->id);
	}
	assert_null(rs_pin_rule_at(rs_pin_rule_count()));
	assert_null(rs_pin_rule_find("no-such-rule"));
}

static void test_ignore(void **state)
{
	static const char text[] = "SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);\nfp = \"" SHA1 "\";\n";
	static const char *const ignores[] = { "*.c", "src/*.c verify-disabled pin-root", "value:" SHA1,
					       "src/ # the directory", "# only a comment\n*.h" };
	static const size_t left[] = { 0, 0, 1, 0, 2 };
	struct rs_catalog *cat = rs_catalog_new();
	struct rs_error err;
	size_t i;

	(void)state;
	assert_int_equal(rs_catalog_add_builtin(cat, NULL, &err), 0);
	for (i = 0; i < RS_ARRAY_LEN(ignores); i++) {
		struct rs_pinscan *ps = rs_pinscan_new(cat);
		assert_int_equal(rs_pinscan_add_ignore(ps, ignores[i], strlen(ignores[i]), "", "test", &err), 0);
		assert_int_equal(rs_pinscan_mem(ps, (const unsigned char *)text, strlen(text), "src/tls.c", &err), 0);
		if (rs_pinscan_count(ps) != left[i])
			fail_msg("ignore '%s': %zu findings left, expected %zu", ignores[i], rs_pinscan_count(ps), left[i]);
		assert_int_equal(rs_pinscan_suppressed(ps), 2 - left[i]);
		rs_pinscan_free(ps);
	}
	rs_catalog_free(cat);
}

static void test_tree_and_jobs(void **state)
{
	struct rs_catalog *cat = rs_catalog_new();
	struct rs_pinscan *one = rs_pinscan_new(cat), *two = rs_pinscan_new(cat);
	struct rs_pinscan_opts o;
	struct rs_error err;
	size_t i;

	(void)state;
	assert_int_equal(rs_catalog_add_builtin(cat, NULL, &err), 0);
	memset(&o, 0, sizeof(o));
	assert_int_equal(rs_pinscan_path(one, DATA("scan/fire"), &o, &err), 0);
	o.jobs = 2;
	assert_int_equal(rs_pinscan_path(two, DATA("scan/fire"), &o, &err), 0);
	assert_true(rs_pinscan_count(one) > 20);
	assert_int_equal(rs_pinscan_count(one), rs_pinscan_count(two));
	assert_int_equal(rs_pinscan_files(one), rs_pinscan_files(two));
	for (i = 0; i < rs_pinscan_count(one); i++) {
		assert_string_equal(rs_pinscan_at(one, i)->path, rs_pinscan_at(two, i)->path);
		assert_int_equal(rs_pinscan_at(one, i)->offset, rs_pinscan_at(two, i)->offset);
	}
	assert_int_equal(rs_pinscan_path(one, DATA("scan/no-such"), &o, &err), -1);
	assert_int_equal(err.code, RS_ERR_IO);
	rs_pinscan_free(one);
	rs_pinscan_free(two);
	rs_catalog_free(cat);
}

/* ---- severity follows the migration; CA stores are judged once ---- */

struct when_case {
	const char *name, *text, *at, *rule, *severity;
};

#define ICA03_SHA1 "37461aacfa5970f7f2d2bac5a659b53b72541c68" /* Microsoft Azure RSA TLS Issuing CA 03 (2028) */
#define ITCA1_SHA1 "417e225037fbfaa4f95761d5ae729e1aea7e3a42"

static const struct when_case when_cases[] = {
	/* Baltimore pinned: holds before the service moved, fails after it moved (2024-09-30) and after it expired */
	{ "a.ino", "client.setFingerprint(\"" SHA1 "\");", "2023-01-01", "pin-root", "warning" },
	{ "a.ino", "client.setFingerprint(\"" SHA1 "\");", "2025-01-01", "pin-root", "error" },
	{ "a.ino", "client.setFingerprint(\"" SHA1 "\");", "2026-01-01", "pin-root", "error" },
	/* DigiCert Global Root G2: informational */
	{ "a.ino", "client.setFingerprint(\"df3c24f9bfd666761b268073fe06d1cc8d4f82a4\");", "2026-01-01", "pin-root",
	  "info" },
	/* an intermediate served now: breaks at the next rotation; after its expiry: broken now */
	{ "a.py", "THUMBPRINT = \"" ICA03_SHA1 "\"", "2026-01-01", "pin-intermediate", "warning" },
	{ "a.py", "THUMBPRINT = \"" ICA03_SHA1 "\"", "2029-01-01", "pin-intermediate", "error" },
	/* a name check on Baltimore */
	{ "a.c", "if (strstr(issuer, \"Baltimore CyberTrust Root\"))", "2023-01-01", "name-check", "warning" },
	{ "a.c", "if (strstr(issuer, \"Baltimore CyberTrust Root\"))", "2026-01-01", "name-check", "error" },
	{ "a.c", "if (strstr(issuer, \"DigiCert Global Root G2\"))", "2026-01-01", "name-check", "warning" },
};

static void test_migration_severity(void **state)
{
	struct rs_catalog *cat = rs_catalog_new();
	struct rs_error err;
	size_t i;

	(void)state;
	assert_int_equal(rs_catalog_add_builtin(cat, NULL, &err), 0);
	for (i = 0; i < RS_ARRAY_LEN(when_cases); i++) {
		const struct when_case *c = &when_cases[i];
		struct rs_pinscan *ps = rs_pinscan_new(cat);
		rs_time at;

		assert_int_equal(rs_time_parse(c->at, &at, &err), 0);
		rs_pinscan_set_migration(ps, rs_catalog_profile(cat, "azure-iot"), at);
		assert_int_equal(rs_pinscan_mem(ps, (const unsigned char *)c->text, strlen(c->text), c->name, &err), 0);
		if (rs_pinscan_count(ps) != 1)
			fail_msg("case %zu: %zu findings", i, rs_pinscan_count(ps));
		assert_string_equal(rs_pinscan_at(ps, 0)->rule->id, c->rule);
		if (strcmp(rs_severity_name(rs_pinscan_at(ps, 0)->severity), c->severity))
			fail_msg("case %zu at %s: %s, expected %s: %s", i, c->at,
				 rs_severity_name(rs_pinscan_at(ps, 0)->severity), c->severity, rs_pinscan_at(ps, 0)->message);
		rs_pinscan_free(ps);
	}
	rs_catalog_free(cat);
}

/* Reads a file of the test data into a buffer. */
static unsigned char *slurp(const char *path, size_t *len)
{
	unsigned char *data = NULL;
	struct rs_error err;

	assert_int_equal(rs_read_file(path, 64 << 20, &data, len, &err), 0);
	return data;
}

static void test_ca_store(void **state)
{
	struct rs_catalog *cat = rs_catalog_new();
	struct rs_pinscan *ps;
	struct rs_error err;
	unsigned char *data, *cut;
	char *text;
	const char *g2;
	size_t len, i, b, e;
	rs_time at;

	(void)state;
	assert_int_equal(rs_catalog_add_builtin(cat, NULL, &err), 0);
	assert_int_equal(rs_time_parse("2026-01-01", &at, &err), 0);
	data = slurp(DATA("certifi-2025.01.31.pem"), &len);

	/* certifi 2025.01.31 holds G2, Microsoft RSA 2017 and Baltimore: one note, nothing read as a pin */
	ps = rs_pinscan_new(cat);
	rs_pinscan_set_migration(ps, NULL, at);
	assert_int_equal(rs_pinscan_mem(ps, data, len, "cacert.pem", &err), 0);
	assert_int_equal(rs_pinscan_count(ps), 1);
	assert_string_equal(rs_pinscan_at(ps, 0)->rule->id, "ca-store");
	assert_int_equal(rs_pinscan_at(ps, 0)->severity, RS_SEV_INFO);
	rs_pinscan_free(ps);

	/* untimed: no judgement, and still no comment read as a pin */
	ps = rs_pinscan_new(cat);
	assert_int_equal(rs_pinscan_mem(ps, data, len, "cacert.pem", &err), 0);
	assert_int_equal(rs_pinscan_count(ps), 0);
	rs_pinscan_free(ps);

	/* the same bundle without G2 (its comment block and PEM): one error naming G2 */
	text = rs_strndup((const char *)data, len);
	assert_non_null(text);
	g2 = strstr(text, "# Issuer: CN=DigiCert Global Root G2");
	assert_non_null(g2);
	b = (size_t)(g2 - text);
	assert_non_null(strstr(g2, "-----END CERTIFICATE-----"));
	e = (size_t)(strstr(g2, "-----END CERTIFICATE-----") - text) + 26;
	free(text);
	cut = malloc(len);
	assert_non_null(cut);
	memcpy(cut, data, b);
	memcpy(cut + b, data + e, len - e);
	ps = rs_pinscan_new(cat);
	rs_pinscan_set_migration(ps, NULL, at);
	assert_int_equal(rs_pinscan_mem(ps, cut, len - (e - b), "cacert.pem", &err), 0);
	assert_int_equal(rs_pinscan_count(ps), 1);
	assert_string_equal(rs_pinscan_at(ps, 0)->rule->id, "ca-store");
	assert_int_equal(rs_pinscan_at(ps, 0)->severity, RS_SEV_ERROR);
	assert_non_null(rs_pinscan_at(ps, 0)->known);
	assert_string_equal(rs_known_id(rs_pinscan_at(ps, 0)->known), "digicert-global-root-g2");
	rs_pinscan_free(ps);
	free(cut);
	free(data);

	/* NSS certdata: a store too */
	data = slurp(DATA("nss-3.114-certdata.txt"), &len);
	ps = rs_pinscan_new(cat);
	rs_pinscan_set_migration(ps, NULL, at);
	assert_int_equal(rs_pinscan_mem(ps, data, len, "certdata.txt", &err), 0);
	for (i = 0; i < rs_pinscan_count(ps); i++)
		assert_int_equal(rs_pinscan_at(ps, i)->severity, RS_SEV_INFO);
	assert_int_equal(rs_pinscan_count(ps), 1);
	rs_pinscan_free(ps);
	free(data);
	rs_catalog_free(cat);
}

/* Values passed by name across files: reported at the call, the definition as the related location. */
static void test_names(void **state)
{
	struct rs_catalog *cat = rs_catalog_new();
	struct rs_pinscan *ps = rs_pinscan_new(cat);
	struct rs_pinscan_opts o;
	struct rs_error err;
	size_t i, at_calls = 0;
	rs_time at;

	(void)state;
	assert_int_equal(rs_catalog_add_builtin(cat, NULL, &err), 0);
	assert_int_equal(rs_time_parse("2026-01-01", &at, &err), 0);
	rs_pinscan_set_migration(ps, NULL, at);
	memset(&o, 0, sizeof(o));
	o.jobs = 3;
	assert_int_equal(rs_pinscan_path(ps, DATA("scan/names"), &o, &err), 0);
	for (i = 0; i < rs_pinscan_count(ps); i++) {
		const struct rs_pin_finding *f = rs_pinscan_at(ps, i);
		assert_non_null(f->related_path);
		assert_true(strstr(f->path, "sketch.ino") || strstr(f->path, "connect.c") || strstr(f->path, "main.ino") ||
			    strstr(f->path, "knownkey.ino"));
		assert_true(f->related_line > 0 && *f->api);
		if (strstr(f->related_path, "secrets.h") && !strcmp(f->related_name, "AZURE_FINGERPRINT")) {
			assert_string_equal(f->rule->id, "pin-root"); /* Baltimore, in another file, through a macro */
			assert_int_equal(f->severity, RS_SEV_ERROR);
			assert_int_equal(f->line, 10);
		}
		at_calls++;
	}
	assert_int_equal(at_calls, 6); /* a PEM public key for setKnownKey, the macro, the multi-line begin(), the placeholder variable, the JSON key, and
				      * the intermediate of a header installed with setCACert */
	rs_pinscan_free(ps);
	rs_catalog_free(cat);
}


/* ---- the API table (rules/scan-rules.json): each API found at the call, in real-looking code ---- */

struct api_case {
	const char *path;    /* under tests/data/scan/apis/pos */
	long line;
	const char *rule;
	enum rs_severity severity;
	const char *api;     /* a part of the API's name */
	const char *related; /* the definition's name, or NULL */
};

static const struct api_case api_cases[] = {
	/* Linux gateways: a mosquitto bridge's CA file and CA directory, azure-iot-device's server_verification_cert
	 * reached through `with open(NAME) as f`, a .properties pin compared in checkServerTrusted */
	{ "gateway/bridge.conf", 3, "anchor-not-root", RS_SEV_WARNING, "bridge_cafile", "file:gw-hub-ica.pem" },
	{ "gateway/capath/bridge.conf", 3, "anchor-not-root", RS_SEV_WARNING, "bridge_capath", "dir:gwca" },
	{ "gateway/edge_device.py", 9, "anchor-not-root", RS_SEV_WARNING, "server_verification_cert", "EDGE_CA_PEM" },
	{ "gateway/java/UplinkTrust.java", 7, "pin-intermediate", RS_SEV_WARNING, "checkServerTrusted", "pin" },
	{ "gateway/go/uplink_tls.go", 17, "anchor-not-root", RS_SEV_WARNING, "AppendCertsFromPEM", "uplinkCAPath" },
	{ "gateway/paho_positional.py", 8, "anchor-not-root", RS_SEV_WARNING, "tls_set", "GW_BROKER_CA" },
	{ "gateway/nginx/hub-proxy.conf", 6, "anchor-not-root", RS_SEV_ERROR, "proxy_ssl_trusted_certificate",
	  "file:upstream-hub-ica.pem" },
	/* C trust APIs given a lone intermediate (ctrust/hub_ca.h, ctrust/hub_ca.pem through gw.h's GW_CA_FILE) */
	{ "ctrust/install.c", 6, "anchor-not-root", RS_SEV_WARNING, "esp_transport_ssl_set_cert_data", "hub_ca_pem" },
	{ "ctrust/install.c", 7, "anchor-not-root", RS_SEV_WARNING, "wolfSSL_CTX_load_verify_buffer", "hub_ca_pem" },
	/* X509_STORE_add_cert(store, ca) after ca = PEM_read_bio_X509(bio) and bio = BIO_new_mem_buf(hub_ca_pem) */
	{ "ctrust/install.c", 11, "anchor-not-root", RS_SEV_WARNING, "X509_STORE_add_cert", "hub_ca_pem" },
	{ "ctrust/install.c", 12, "anchor-not-root", RS_SEV_WARNING, "OPTION_TRUSTED_CERT", "hub_ca_pem" },
	{ "ctrust/install.c", 13, "anchor-not-root", RS_SEV_WARNING, "CURLOPT_CAINFO", "file:hub_ca.pem" },
	{ "android/res/xml/network_security_config.xml", 6, "pin-intermediate", RS_SEV_WARNING, "<pin>", NULL },
	/* the backup pin on the new root: a note */
	{ "android/res/xml/network_security_config.xml", 8, "pin-root", RS_SEV_INFO, "<pin>", NULL },
	{ "arduino/hub_client.ino", 11, "pin-root", RS_SEV_ERROR, "verify", "hub_fp" }, /* client->verify(fp, host) */
	{ "curl/upload.c", 15, "pin-intermediate", RS_SEV_WARNING, "CURLOPT_PINNEDPUBLICKEY", "HUB_PUBKEY_PIN" },
	{ "dotnet/HubConnection.cs", 15, "pin-root", RS_SEV_ERROR, "GetCertHashString", "PinnedThumbprint" },
	{ "dotnet/HubConnection.cs", 22, "pin-intermediate", RS_SEV_WARNING, "GetCertHashString", NULL },
	/* an intermediate of the old root, no longer served: an error */
	{ "dotnet/LegacyPin.cs", 10, "pin-intermediate", RS_SEV_ERROR, "GetCertHashString", NULL },
	{ "dotnet/Thumbprint.cs", 14, "pin-intermediate", RS_SEV_WARNING, "Thumbprint", "ExpectedIssuerThumbprint" },
	{ "mbedtls/tls.c", 9, "anchor-not-root", RS_SEV_WARNING, "mbedtls_x509_crt_parse", "hub_ca_pem" },
	{ "espidf/ota_client.c", 11, "anchor-not-root", RS_SEV_WARNING, "cert_pem", "hub_issuing_ca_pem" },
	{ "node/hub.js", 16, "pin-unknown", RS_SEV_ERROR, "fingerprint256", "HUB_FP256" },
	{ "node/mqtt.js", 5, "pin-root", RS_SEV_ERROR, "checkServerIdentity", NULL },
	{ "node/pubkey.js", 14, "pin-intermediate", RS_SEV_WARNING, "cert.pubkey", "ISSUER_PUBKEY_SHA256" },
	{ "okhttp/PinnedClient.java", 12, "pin-intermediate", RS_SEV_WARNING, "CertificatePinner", NULL },
	{ "okhttp/Pins.kt", 11, "pin-intermediate", RS_SEV_WARNING, "CertificatePinner", "HUB_SPKI_PIN" },
	{ "python/mqtt_tls.py", 5, "anchor-not-root", RS_SEV_WARNING, "load_verify_locations", "file:azure_ica03.pem" },
	{ "python/uploader.py", 11, "anchor-not-root", RS_SEV_WARNING, "cafile", "file:azure_ica03.pem" },
	{ "python/uploader.py", 17, "anchor-not-root", RS_SEV_WARNING, "verify=", "file:azure_ica03.pem" },
};

static struct rs_pinscan *scan_at(struct rs_catalog *cat, const char *path, const char *when)
{
	struct rs_pinscan *ps = rs_pinscan_new(cat);
	struct rs_pinscan_opts o;
	struct rs_error err;
	rs_time at;

	assert_int_equal(rs_time_parse(when, &at, &err), 0);
	rs_pinscan_set_migration(ps, NULL, at);
	memset(&o, 0, sizeof(o));
	o.jobs = 2;
	assert_int_equal(rs_pinscan_path(ps, path, &o, &err), 0);
	return ps;
}

static void test_api_rules(void **state)
{
	struct rs_catalog *cat = rs_catalog_new();
	struct rs_pinscan *ps;
	struct rs_error err;
	size_t i, k;

	(void)state;
	assert_int_equal(rs_catalog_add_builtin(cat, NULL, &err), 0);
	ps = scan_at(cat, DATA("scan/apis/pos"), "2026-01-01");
	for (k = 0; k < rs_pinscan_count(ps); k++)
		print_message("found %s:%ld %s %s\n", rs_pinscan_at(ps, k)->path, rs_pinscan_at(ps, k)->line,
			      rs_pinscan_at(ps, k)->rule->id, rs_pinscan_at(ps, k)->api);
	assert_int_equal(rs_pinscan_count(ps), RS_ARRAY_LEN(api_cases));
	for (i = 0; i < RS_ARRAY_LEN(api_cases); i++) {
		const struct api_case *c = &api_cases[i];
		const struct rs_pin_finding *f = NULL;
		for (k = 0; k < rs_pinscan_count(ps) && !f; k++) {
			const struct rs_pin_finding *g = rs_pinscan_at(ps, k);
			size_t n = strlen(g->path), m = strlen(c->path);
			if (n >= m && !strcmp(g->path + n - m, c->path) && g->line == c->line)
				f = g;
		}
		if (!f)
			fail_msg("no finding at %s:%ld", c->path, c->line);
		assert_string_equal(f->rule->id, c->rule);
		assert_int_equal(f->severity, c->severity);
		if (!strstr(f->api, c->api))
			fail_msg("%s:%ld: api '%s' wanted '%s'", c->path, c->line, f->api, c->api);
		if (c->related) {
			assert_non_null(f->related_path);
			assert_string_equal(f->related_name, c->related);
		}
	}
	rs_pinscan_free(ps);
	/* the same code without pins, or with stores and roots (G2 and Microsoft RSA Root CA 2017: a ready store, a
	 * note; G2 alone is partial, a warning, as audit says): no warning or error */
	ps = scan_at(cat, DATA("scan/apis/neg"), "2026-01-01");
	for (k = i = 0; k < rs_pinscan_count(ps); k++) {
		if (rs_pinscan_at(ps, k)->severity == RS_SEV_INFO && !strcmp(rs_pinscan_at(ps, k)->rule->id, "ca-store"))
			continue;
		print_message("unexpected %s:%ld %s\n", rs_pinscan_at(ps, k)->path, rs_pinscan_at(ps, k)->line,
			      rs_pinscan_at(ps, k)->message);
		i++;
	}
	assert_int_equal(i, 0);
	rs_pinscan_free(ps);
	rs_catalog_free(cat);
}

/* ---- entries sharing a needle ("called"), the option as a string: a sole root installed by a call ---- */

struct called_case {
	const char *call;  /* the line after the definition's, taking hub_root */
	const char *api;   /* a substring of the finding's api at the call; NULL: no call installs it (at its place) */
	long down;         /* the finding's line below the call's first (the option's line) */
};

static const struct called_case called_cases[] = {
	{ "SSLClient client(net, hub_root, 1, A0);", "SSLClient(client, TAs, n, pin)", 0 },
	{ "BearSSLClient ssl(net, hub_root, 1);", "BearSSLClient", 0 },
	{ "ssl = new BearSSLClient(net, hub_root, 1);", "BearSSLClient", 0 },
	{ "WiFiSSLClient client(hub_root);", NULL, 0 },                 /* another name ending with the needle */
	{ "MySSLClientPool pool(hub_root);", NULL, 0 },                 /* the needle inside a longer name */
	{ "wolfSSL_CTX_load_verify_buffer(ctx, hub_root, sizeof hub_root, 1);", "wolfSSL_CTX_load_verify_buffer", 0 },
	{ "SSL_CTX_load_verify_mem(ctx, hub_root);", NULL, 0 },         /* _load_verify_ of no entry */
	{ "X509_STORE_load_file(store, hub_root);", "X509_STORE_load_file", 0 },
	{ "X509_STORE_load_blob(store, hub_root);", NULL, 0 },
	{ "br_x509_minimal_init(&xc, &br_sha256_vtable, hub_root, 1);", "br_x509_minimal_init", 0 },
	{ "IoTHubDeviceClient_LL_SetOption(h, \"TrustedCerts\", hub_root);", "\"TrustedCerts\"", 0 },
	{ "IoTHubDeviceClient_LL_SetOption(h,\n\t\t\"TrustedCerts\", hub_root);", "\"TrustedCerts\"", 1 },
	{ "IoTHubDeviceClient_LL_SetOption(h, \"x509certificate\", hub_root);", NULL, 0 },
};

/* Scans `static const char hub_root[] = PEM;` (Baltimore CyberTrust Root) and call in one C file at 2026-01-01, with
 * the rules file extra (NULL: the built-in rules): the one finding, an error (the root alone, expired). */
static const struct rs_pin_finding *scan_called(struct rs_catalog *cat, struct rs_pinscan **ps, const char *call,
						const char *extra, long *call_line)
{
	struct rs_buf text = RS_BUF_INIT;
	struct rs_error err;
	size_t len, i;
	unsigned char *pem = slurp(DATA("baltimore_cybertrust_root.pem"), &len);
	rs_time at;

	rs_buf_addstr(&text, "#include \"net.h\"\n\nstatic const char hub_root[] =\n\"");
	for (i = 0; i < len; i++)
		rs_buf_addf(&text, pem[i] == '\n' ? (i + 1 < len ? "\\n\"\n\"" : "\\n\"") : "%c", pem[i]);
	assert_non_null(text.data);
	for (*call_line = 5, i = 0; i < text.len; i++) /* the definition's lines, then `;`, blank, `void`, `{` */
		*call_line += text.data[i] == '\n';
	rs_buf_addf(&text, ";\n\nvoid hub_connect(void)\n{\n\t%s\n}\n", call);
	assert_non_null(text.data);
	free(pem);
	*ps = rs_pinscan_new(cat);
	assert_int_equal(rs_time_parse("2026-01-01T00:00:00Z", &at, &err), 0);
	rs_pinscan_set_migration(*ps, NULL, at);
	if (extra)
		assert_int_equal(rs_pinscan_set_rules(*ps, extra, strlen(extra), "extra.json", &err), 0);
	assert_int_equal(rs_pinscan_mem(*ps, (const unsigned char *)text.data, text.len, "hub.c", &err), 0);
	rs_buf_release(&text);
	if (rs_pinscan_count(*ps) != 1)
		fail_msg("%s: %zu findings", call, rs_pinscan_count(*ps));
	assert_int_equal(rs_pinscan_at(*ps, 0)->severity, RS_SEV_ERROR);
	return rs_pinscan_at(*ps, 0);
}

static void test_called_apis(void **state)
{
	static const char extra[] = "{ \"format\": \"rootshift-scan-rules/1\", \"trust_apis\": [\n"
				    "  { \"needle\": \"SSLClient\", \"called\": \"SSLClient\", \"name\": \"Vendor client\" } ] }";
	struct rs_catalog *cat = rs_catalog_new();
	struct rs_pinscan *ps;
	struct rs_error err;
	const struct rs_pin_finding *f;
	long line;
	size_t i;

	(void)state;
	assert_int_equal(rs_catalog_add_builtin(cat, NULL, &err), 0);
	for (i = 0; i < RS_ARRAY_LEN(called_cases); i++) {
		const struct called_case *c = &called_cases[i];
		f = scan_called(cat, &ps, c->call, NULL, &line);
		if (c->api && (f->line != line + c->down || !strstr(f->api, c->api)))
			fail_msg("%s: line %ld api '%s', wanted line %ld api '%s'", c->call, f->line, f->api, line + c->down,
				 c->api);
		if (!c->api && (f->line == line || *f->api))
			fail_msg("%s: taken for a call (line %ld, api '%s')", c->call, f->line, f->api);
		rs_pinscan_free(ps);
	}
	/* a --rules entry with the needle and "called" of a built-in one replaces it, not its needle's others */
	f = scan_called(cat, &ps, "SSLClient client(net, hub_root, 1, A0);", extra, &line);
	assert_string_equal(f->api, "Vendor client");
	rs_pinscan_free(ps);
	f = scan_called(cat, &ps, "BearSSLClient ssl(net, hub_root, 1);", extra, &line);
	assert_non_null(strstr(f->api, "BearSSLClient"));
	rs_pinscan_free(ps);
	rs_catalog_free(cat);
}

/* ---- a --rules file: extends the table; a bad one is refused with its line and column ---- */

static void test_rules_file(void **state)
{
	static const char code[] = "void connect(void) { vendor_tls_check(\"9f2c4e1a7b3d5f60812a4c6e8b0d2f4a6c8e0b1d\"); }\n";
	static const char extra[] = "{ \"format\": \"rootshift-scan-rules/1\",\n"
				    "  \"value_apis\": [ { \"needle\": \"vendor_tls_check\", \"name\": \"Vendor TLS check\" } ] }\n";
	static const struct {
		const char *text;
		const char *where; /* in the message */
	} bad[] = {
		{ "{ \"format\": \"rootshift-scan-rules/1\",\n  \"value_apis\": [ { \"needle\": \"x\" ] }", "line 2 column" },
		{ "{ \"format\": \"rootshift-scan-rules/1\",\n  \"value_apis\": [\n    { \"needle\": \"a\", \"name\": \"A\" },\n"
		  "    { \"needle\": \"b\" } ] }", "line 4 column 5: value_apis[1]: missing name" },
		{ "{ \"format\": \"rootshift-scan-rules/1\",\n  \"call_apis\": [ { \"needle\": \"a\", \"name\": \"A\", \"args\": \"all\" } ] }",
		  "line 2 column 18: call_apis[0]" },
		{ "{ \"format\": \"rootshift-scan-rules/1\",\n  \"valu_apis\": [] }", "line 2 column 3: valu_apis: unknown section" },
		{ "{ \"format\": \"rootshift-scan-rules/2\" }", "line 1 column 3: format" },
		{ "{ \"format\": \"rootshift-scan-rules/1\", \"rules\": [] }", "rules" },
		{ "[]", "line 1 column 1" },
		{ "{ \"format\": \"rootshift-scan-rules/1\",\n  \"trust_apis\": [ { \"needle\": \"abc\", \"called\": \"*xyz\", "
		  "\"name\": \"A\" } ] }", "trust_apis[0]: \"called\" holds the needle, not *xyz" },
	};
	struct rs_catalog *cat = rs_catalog_new();
	struct rs_pinscan *ps;
	struct rs_error err;
	size_t i;

	(void)state;
	assert_int_equal(rs_catalog_add_builtin(cat, NULL, &err), 0);
	assert_non_null(rs_pin_ruleset_builtin());
	/* built in: the vendor's call is not a pinning API, and the unknown value has no name that says pin */
	ps = rs_pinscan_new(cat);
	assert_int_equal(rs_pinscan_mem(ps, (const unsigned char *)code, strlen(code), "net.c", &err), 0);
	assert_int_equal(rs_pinscan_count(ps), 0);
	rs_pinscan_free(ps);
	/* extended: it is, and the finding names it */
	ps = rs_pinscan_new(cat);
	assert_int_equal(rs_pinscan_set_rules(ps, extra, strlen(extra), "extra.json", &err), 0);
	assert_int_equal(rs_pinscan_mem(ps, (const unsigned char *)code, strlen(code), "net.c", &err), 0);
	assert_int_equal(rs_pinscan_count(ps), 1);
	assert_string_equal(rs_pinscan_at(ps, 0)->api, "Vendor TLS check");
	assert_string_equal(rs_pinscan_at(ps, 0)->rule->id, "pin-unknown");
	rs_pinscan_free(ps);
	{ /* too many needles for the one pass: refused, not slowed down */
		struct rs_buf many = RS_BUF_INIT;
		rs_buf_addstr(&many, "{ \"format\": \"rootshift-scan-rules/1\", \"call_apis\": [");
		for (i = 0; i < 40; i++)
			rs_buf_addf(&many, "%s{ \"needle\": \"vendor_pin_%02zu\", \"name\": \"v\" }", i ? ", " : "", i);
		rs_buf_addstr(&many, "] }");
		assert_non_null(many.data);
		ps = rs_pinscan_new(cat);
		assert_int_equal(rs_pinscan_set_rules(ps, many.data, strlen(many.data), "many.json", &err), -1);
		assert_int_equal(err.code, RS_ERR_LIMIT);
		assert_non_null(strstr(err.message, "do not fit one pass"));
		rs_pinscan_free(ps);
		rs_buf_release(&many);
	}
	for (i = 0; i < RS_ARRAY_LEN(bad); i++) {
		ps = rs_pinscan_new(cat);
		memset(&err, 0, sizeof(err));
		assert_int_equal(rs_pinscan_set_rules(ps, bad[i].text, strlen(bad[i].text), "bad.json", &err), -1);
		if (!strstr(err.message, bad[i].where) || strncmp(err.message, "bad.json", 8))
			fail_msg("case %zu: '%s' wanted '%s'", i, err.message, bad[i].where);
		rs_pinscan_free(ps);
	}
	rs_catalog_free(cat);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tokens),     cmocka_unit_test(test_base64_pins), cmocka_unit_test(test_rules),
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_rule_table), cmocka_unit_test(test_ignore),      cmocka_unit_test(test_tree_and_jobs),
		cmocka_unit_test(test_migration_severity), cmocka_unit_test(test_ca_store),
		cmocka_unit_test(test_names),      cmocka_unit_test(test_api_rules),   cmocka_unit_test(test_rules_file),
		cmocka_unit_test(test_called_apis),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
