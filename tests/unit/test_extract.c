/* test_extract.c: every anchor form, as tables of cases over the fixtures of tests/data/audit and in-memory variants. */
#include "rs_test.h"

#include "extract/extract.h"

#include <openssl/evp.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct rs_catalog *catalog(void)
{
	struct rs_catalog *cat = rs_catalog_new();

	assert_non_null(cat);
	assert_int_equal(rs_catalog_add_builtin(cat, NULL, NULL), 0);
	return cat;
}

static struct rs_anchorset *scan_path(const char *path)
{
	struct rs_anchorset *set = rs_anchorset_new();
	struct rs_error err = { 0 };

	assert_non_null(set);
	if (rs_anchorset_scan_path(set, path, NULL, &err) < 0)
		fail_msg("%s: %s", path, err.message);
	return set;
}

static struct rs_anchorset *scan_mem(const char *text, size_t len)
{
	struct rs_anchorset *set = rs_anchorset_new();
	struct rs_error err = { 0 };

	assert_non_null(set);
	if (rs_anchorset_scan_mem(set, (const unsigned char *)text, len, "mem.c", NULL, &err) < 0)
		fail_msg("%s", err.message);
	return set;
}

static const struct rs_anchor *anchor_known(const struct rs_anchorset *set, const struct rs_catalog *cat,
					    const char *id)
{
	size_t i;

	for (i = 0; i < rs_anchorset_count(set); i++) {
		const struct rs_known *k = rs_anchor_identify(cat, rs_anchorset_at(set, i));
		if (k && !strcmp(rs_known_id(k), id))
			return rs_anchorset_at(set, i);
	}
	return NULL;
}

static size_t findings_of(const struct rs_anchorset *set, const char *kind)
{
	size_t i, n = 0;

	for (i = 0; i < rs_anchorset_finding_count(set); i++)
		n += !strcmp(rs_anchorset_finding_at(set, i)->kind, kind);
	return n;
}

static char *slurp(const char *path, size_t *len)
{
	unsigned char *data = NULL;
	struct rs_error err;

	if (rs_read_file(path, 1u << 26, &data, len, &err) < 0)
		fail_msg("%s", err.message);
	return (char *)data;
}

/* ---- fixtures: each file, the anchors it must give (catalog id, form, line or offset, encoding) ---- */

struct expect {
	const char *id;
	enum rs_anchor_form form;
	long line;         /* 0: binary */
	long long offset;  /* checked for binaries */
	const char *encoding;
};

struct fixture {
	const char *file;
	size_t count;
	struct expect e[4];
};

static const struct fixture fixtures[] = {
	{ "audit/certs.c", 3, { { "baltimore-cybertrust-root", RS_ANCHOR_CERT, 12, 0, "c-string" },
				{ "digicert-global-root-g2", RS_ANCHOR_CERT, 34, 0, "c-string" },
				{ "microsoft-rsa-root-ca-2017", RS_ANCHOR_CERT, 57, 0, "c-string" } } },
	{ "audit/esp32_azure.ino", 1, { { "digicert-global-root-g2", RS_ANCHOR_CERT, 5, 0, "c-string" } } },
	{ "audit/esp8266_azure.ino", 1, { { "microsoft-rsa-root-ca-2017", RS_ANCHOR_CERT, 7, 0, "c-string" } } },
	{ "audit/azure_roots_define.h", 2, { { "digicert-global-root-g2", RS_ANCHOR_CERT, 5, 0, "c-string" },
					     { "microsoft-rsa-root-ca-2017", RS_ANCHOR_CERT, 29, 0, "c-string" } } },
	{ "audit/raw_string.cpp", 2, { { "microsoft-rsa-root-ca-2017", RS_ANCHOR_CERT, 3, 0, "c-string" },
				       { "digicert-global-root-g2", RS_ANCHOR_CERT, 37, 0, "c-string" } } },
	{ "audit/json_in_c.c", 3, { { "digicert-global-root-g2", RS_ANCHOR_CERT, 2, 0, "c-string" },
				    { "microsoft-rsa-root-ca-2017", RS_ANCHOR_CERT, 3, 0, "c-string" },
				    { "baltimore-cybertrust-root", RS_ANCHOR_CERT, 4, 0, "c-string" } } },
	{ "audit/der_arrays.c", 3, { { "digicert-global-root-g2", RS_ANCHOR_CERT, 4, 0, "c-bytes" },
				     { "microsoft-rsa-root-ca-2017", RS_ANCHOR_CERT, 86, 0, "c-bytes" },
				     { "baltimore-cybertrust-root", RS_ANCHOR_CERT, 181, 0, "c-bytes" } } },
	{ "audit/g3_pem.h", 1, { { "digicert-global-root-g3", RS_ANCHOR_CERT, 1, 0, "xxd-pem" } } },
	{ "audit/bearssl_tas.h", 2, { { "digicert-global-root-g2", RS_ANCHOR_NAME_KEY, 1, 0, "bearssl" },
				      { "digicert-global-root-g3", RS_ANCHOR_NAME_KEY, 42, 0, "bearssl" } } },
	{ "audit/BearSSLTrustAnchors.h", 2, { { "baltimore-cybertrust-root", RS_ANCHOR_NAME_KEY, 9, 0, "bearssl" },
					      { "microsoft-rsa-root-ca-2017", RS_ANCHOR_NAME_KEY, 49, 0, "bearssl" } } },
	{ "audit/x509_crt_bundle", 3, { { "digicert-global-root-g2", RS_ANCHOR_NAME_KEY, 0, 12, "esp-idf" },
					{ "digicert-global-root-g3", RS_ANCHOR_NAME_KEY, 0, 409, "esp-idf" },
					{ "microsoft-rsa-root-ca-2017", RS_ANCHOR_NAME_KEY, 0, 632, "esp-idf" } } },
	{ "audit/x509_crt_bundle_legacy", 2, { { "baltimore-cybertrust-root", RS_ANCHOR_NAME_KEY, 0, 2, "esp-idf" },
					       { "digicert-global-root-g2", RS_ANCHOR_NAME_KEY, 0, 392, "esp-idf" } } },
	{ "audit/firmware.bin", 2, { { "digicert-global-root-g2", RS_ANCHOR_CERT, 0, 4096, "carved-der" },
				     { "microsoft-rsa-root-ca-2017", RS_ANCHOR_CERT, 0, 6914, "carved-pem" } } },
	{ "audit/roots.o", 2, { { "digicert-global-root-g2", RS_ANCHOR_CERT, 0, -1, "carved-der" },
				{ "baltimore-cybertrust-root", RS_ANCHOR_CERT, 0, -1, "carved-pem" } } },
	{ "audit/libroots.a", 2, { { "digicert-global-root-g2", RS_ANCHOR_CERT, 0, -1, "carved-der" },
				   { "baltimore-cybertrust-root", RS_ANCHOR_CERT, 0, -1, "carved-pem" } } },
	{ "audit/device_config.json", 2, { { "digicert-global-root-g2", RS_ANCHOR_CERT, 4, 0, "pem" },
					   { "microsoft-rsa-root-ca-2017", RS_ANCHOR_CERT, 5, 0, "pem" } } },
	{ "forms/three_roots.p7b", 3, { { "digicert-global-root-g2", RS_ANCHOR_CERT, 0, 0, "pkcs7-der" } } },
	{ "forms/digicert_global_root_g2.der", 1, { { "digicert-global-root-g2", RS_ANCHOR_CERT, 0, 0, "der" } } },
	{ "forms/three_roots.p7b.pem", 3, { { "microsoft-rsa-root-ca-2017", RS_ANCHOR_CERT, 1, 0, "pkcs7-pem" } } },
};

static void check_fixture(const struct fixture *f, const struct rs_catalog *cat)
{
	char path[512];
	struct rs_anchorset *set;
	size_t i;

	snprintf(path, sizeof(path), "%s/%s", RS_TEST_DATA, f->file);
	set = scan_path(path);
	if (rs_anchorset_count(set) != f->count)
		fail_msg("%s: %zu anchors, expected %zu", f->file, rs_anchorset_count(set), f->count);
	for (i = 0; i < RS_ARRAY_LEN(f->e) && f->e[i].id; i++) {
		const struct expect *e = &f->e[i];
		const struct rs_anchor *a = anchor_known(set, cat, e->id);
		const struct rs_location *l;
		if (!a)
			fail_msg("%s: no anchor %s", f->file, e->id);
		l = rs_anchor_location_at(a, 0);
		assert_int_equal(rs_anchor_form(a), e->form);
		assert_int_equal(rs_anchor_trust(a), RS_TRUST_ANCHOR);
		if (l->line != e->line || strcmp(l->encoding, e->encoding) || (!e->line && e->offset >= 0 && l->offset != e->offset))
			fail_msg("%s: %s at line %ld offset %lld (%s), expected line %ld offset %lld (%s)", f->file, e->id, l->line,
				 l->offset, l->encoding, e->line, e->offset, e->encoding);
		if (e->form == RS_ANCHOR_NAME_KEY)
			assert_null(rs_anchor_cert(a));
	}
	assert_int_equal(findings_of(set, "broken-certificate"), 0);
	rs_anchorset_free(set);
}

static void test_fixtures(void **state)
{
	struct rs_catalog *cat = catalog();
	size_t i;

	(void)state;
	for (i = 0; i < RS_ARRAY_LEN(fixtures); i++)
		check_fixture(&fixtures[i], cat);
	rs_catalog_free(cat);
}

/* ---- C and C++ variants of one certificate, made here from the real G2 PEM ---- */

struct text {
	char *s;
	size_t n, cap;
};

static void put(struct text *t, const char *s, size_t n)
{
	if (t->n + n + 1 > t->cap) {
		t->cap = (t->n + n + 1) * 2;
		t->s = realloc(t->s, t->cap);
		assert_non_null(t->s);
	}
	memcpy(t->s + t->n, s, n);
	t->n += n;
	t->s[t->n] = '\0';
}

static void puts_(struct text *t, const char *s) { put(t, s, strlen(s)); }

/* The PEM's lines, each wrapped as before + line + after. */
static void lines(struct text *t, const char *pem, const char *before, const char *after)
{
	const char *p = pem, *nl;

	while (*p && (nl = strchr(p, '\n')) != NULL) {
		puts_(t, before);
		put(t, p, (size_t)(nl - p));
		puts_(t, after);
		p = nl + 1;
	}
}

/* JSON-escapes s (quotes, backslashes, newlines) `levels` times into t. */
static void json_escape(struct text *t, const char *s, int levels)
{
	struct text cur = { 0 }, next = { 0 };
	const char *p;

	puts_(&cur, s);
	for (; levels > 0; levels--) {
		next.n = 0;
		for (p = cur.s; *p; p++) {
			if (*p == '\n')
				puts_(&next, "\\n");
			else if (*p == '"' || *p == '\\') {
				char e[3] = { '\\', *p, 0 };
				puts_(&next, e);
			} else
				put(&next, p, 1);
		}
		cur.n = 0;
		puts_(&cur, next.s);
	}
	puts_(t, cur.s);
	free(cur.s);
	free(next.s);
}

/* C-escapes s (quotes and backslashes) into t. */
static void c_escape(struct text *t, const char *s)
{
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			put(t, "\\", 1);
		put(t, s, 1);
	}
}

enum variant {
	V_LINES_N, V_LINES_RN, V_ONE_LITERAL, V_DEFINE, V_CONTINUATION, V_RAW, V_RAW_DELIM, V_PROGMEM_F, V_JSON1,
	V_JSON2, V_JSON3, V_HEX, V_DEC, V_OCT, V_SPLIT, V_XXD_PEM, V_WIDE_PREFIX, V__COUNT
};

static const char *const variant_names[] = { "lines \\n", "lines \\r\\n", "one literal", "#define", "continuation",
					     "raw", "raw delimiter", "PROGMEM F()", "json 1", "json 2", "json 3", "hex array",
					     "decimal array", "octal array", "split arrays", "xxd pem", "u8 prefix" };

enum radix { HEX_LOWER, HEX_UPPER, DECIMAL, OCTAL };

static void bytes_array(struct text *t, const unsigned char *b, size_t n, enum radix r)
{
	char item[16];
	size_t i;

	for (i = 0; i < n; i++) {
		if (r == HEX_LOWER)
			snprintf(item, sizeof(item), "0x%02x", b[i]);
		else if (r == HEX_UPPER)
			snprintf(item, sizeof(item), "0x%02X", b[i]);
		else if (r == DECIMAL)
			snprintf(item, sizeof(item), "%u", b[i]);
		else
			snprintf(item, sizeof(item), "0%o", b[i]);
		puts_(t, item);
		puts_(t, i + 1 < n ? (i % 12 == 11 ? ",\n" : ", ") : "\n");
	}
}

static void make_variant(struct text *t, enum variant v, const char *pem, const unsigned char *der, size_t dlen)
{
	puts_(t, "#include <stdint.h>\n"); /* line 1; the certificate begins on line 2 */
	switch (v) {
	case V_LINES_N: puts_(t, "const char ca[] =\n"); lines(t, pem, "\"", "\\n\"\n"); puts_(t, ";\n"); break;
	case V_LINES_RN: puts_(t, "const char ca[] =\n"); lines(t, pem, "  \"", "\\r\\n\" // line\n"); puts_(t, ";\n"); break;
	case V_ONE_LITERAL: puts_(t, "const char *ca = \""); lines(t, pem, "", "\\n"); puts_(t, "\";\n"); break;
	case V_DEFINE: puts_(t, "#define CA \\\n"); lines(t, pem, "  \"", "\\n\" \\\n"); puts_(t, "  \"\"\n"); break;
	case V_CONTINUATION: puts_(t, "#define CA \""); lines(t, pem, "", "\\n\\\n"); puts_(t, "\"\n"); break;
	case V_RAW: puts_(t, "auto ca = R\"("); puts_(t, pem); puts_(t, ")\";\n"); break;
	case V_RAW_DELIM: puts_(t, "static const char ca[] PROGMEM = R\"EOF(\n"); puts_(t, pem); puts_(t, ")EOF\";\n"); break;
	case V_PROGMEM_F: puts_(t, "client.setCACert(F(\n"); lines(t, pem, "\"", "\\n\"\n"); puts_(t, "));\n"); break;
	case V_JSON1: case V_JSON2: case V_JSON3: {
		struct text j = { 0 };
		puts_(&j, "{\"ca\": \"");
		json_escape(&j, pem, 1 + (int)(v - V_JSON1));
		puts_(&j, "\"}");
		puts_(t, "const char *cfg = \"");
		c_escape(t, j.s);
		puts_(t, "\";\n");
		free(j.s);
		break;
	}
	case V_HEX: puts_(t, "const unsigned char ca[] = {\n"); bytes_array(t, der, dlen, HEX_UPPER); puts_(t, "};\n"); break;
	case V_DEC: puts_(t, "static const uint8_t ca[] = {\n"); bytes_array(t, der, dlen, DECIMAL); puts_(t, "};\n"); break;
	case V_OCT: puts_(t, "uint8_t ca[] = {\n"); bytes_array(t, der, dlen, OCTAL); puts_(t, "};\n"); break;
	case V_SPLIT:
		puts_(t, "const unsigned char ca1[] = {\n");
		bytes_array(t, der, 300, HEX_LOWER);
		puts_(t, "};\nconst unsigned char ca2[] = {\n");
		bytes_array(t, der + 300, dlen - 300, HEX_LOWER);
		puts_(t, "};\n");
		break;
	case V_XXD_PEM:
		puts_(t, "unsigned char ca_pem[] = {\n");
		bytes_array(t, (const unsigned char *)pem, strlen(pem), HEX_LOWER);
		puts_(t, "};\nunsigned int ca_pem_len = 1;\n");
		break;
	case V_WIDE_PREFIX: puts_(t, "const char *ca = u8\""); lines(t, pem, "", "\\n"); puts_(t, "\";\n"); break;
	default: break;
	}
}

/* The line where each variant's literal or array begins. */
static const long variant_lines[V__COUNT] = { 3, 3, 2, 3, 2, 2, 2, 3, 2, 2, 2, 2, 2, 2, 2, 2, 2 };

static void test_c_variants(void **state)
{
	struct rs_catalog *cat = catalog();
	size_t plen, dlen;
	char *pem = slurp(DATA("digicert_global_root_g2.pem"), &plen);
	char *der = slurp(DATA("forms/digicert_global_root_g2.der"), &dlen);
	int v;

	(void)state;
	for (v = 0; v < V__COUNT; v++) {
		struct text t = { 0 };
		struct rs_anchorset *set;
		const struct rs_anchor *a;
		make_variant(&t, (enum variant)v, pem, (unsigned char *)der, dlen);
		set = scan_mem(t.s, t.n);
		a = anchor_known(set, cat, "digicert-global-root-g2");
		if (rs_anchorset_count(set) != 1 || !a)
			fail_msg("variant '%s': %zu anchors\n%s", variant_names[v], rs_anchorset_count(set), t.s);
		if (rs_anchor_location_at(a, 0)->line != variant_lines[v])
			fail_msg("variant '%s': line %ld, expected %ld", variant_names[v], rs_anchor_location_at(a, 0)->line,
				 variant_lines[v]);
		assert_int_equal(rs_anchorset_finding_count(set), 0);
		rs_anchorset_free(set);
		free(t.s);
	}
	free(pem);
	free(der);
	rs_catalog_free(cat);
}

/* Two certificates in one DER array (as in a device that loads several roots from one buffer): each at its line. */
static void test_two_certs_one_array(void **state)
{
	struct rs_catalog *cat = catalog();
	size_t l1, l2;
	char *g2 = slurp(DATA("forms/digicert_global_root_g2.der"), &l1);
	struct rs_certlist *l = load_ok(DATA("microsoft_rsa_root_ca_2017.pem"));
	const unsigned char *ms = rs_cert_der(rs_certlist_at(l, 0), &l2);
	unsigned char *both = malloc(l1 + l2);
	struct text t = { 0 };
	struct rs_anchorset *set;
	const struct rs_anchor *a;

	(void)state;
	assert_non_null(both);
	memcpy(both, g2, l1);
	memcpy(both + l1, ms, l2);
	puts_(&t, "/* roots */\nconst unsigned char roots[] = {\n");
	bytes_array(&t, both, l1 + l2, HEX_LOWER); /* 12 a line, from line 3 */
	puts_(&t, "};\n");
	set = scan_mem(t.s, t.n);
	assert_int_equal(rs_anchorset_count(set), 2);
	assert_non_null(a = anchor_known(set, cat, "digicert-global-root-g2"));
	assert_int_equal(rs_anchor_location_at(a, 0)->line, 2);
	assert_non_null(a = anchor_known(set, cat, "microsoft-rsa-root-ca-2017"));
	assert_int_equal(rs_anchor_location_at(a, 0)->line, 3 + (long)(l1 / 12));
	rs_anchorset_free(set);
	free(t.s);
	free(both);
	free(g2);
	rs_certlist_free(l);
	rs_catalog_free(cat);
}

/* ---- things that must not become anchors ---- */

static void test_not_anchors(void **state)
{
	static const struct { const char *kind; size_t n; } want[] = {
		{ "broken-certificate", 3 }, { "placeholder", 1 }, { "private-key", 1 }, { "commented-out", 1 },
	};
	struct rs_anchorset *set = scan_path(DATA("audit/not_anchors.c"));
	size_t i;

	(void)state;
	assert_int_equal(rs_anchorset_count(set), 0);
	for (i = 0; i < RS_ARRAY_LEN(want); i++)
		if (findings_of(set, want[i].kind) != want[i].n)
			fail_msg("%s: %zu findings, expected %zu", want[i].kind, findings_of(set, want[i].kind), want[i].n);
	for (i = 0; i < rs_anchorset_finding_count(set); i++) /* a finding never quotes the key */
		assert_null(strstr(rs_anchorset_finding_at(set, i)->message, "MHcCAQEE"));
	rs_anchorset_free(set);
}

static void test_pem_edge_table(void **state)
{
	static const struct { const char *text; size_t anchors; const char *finding; } cases[] = {
		{ "-----BEGIN CERTIFICATE-----\n...\n-----END CERTIFICATE-----\n", 0, "broken-certificate" },
		{ "-----BEGIN CERTIFICATE-----\n<your certificate>\n-----END CERTIFICATE-----\n", 0, "placeholder" },
		{ "-----BEGIN CERTIFICATE-----\nMIIB\n", 0, "broken-certificate" },
		{ "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", 0, "broken-certificate" },
		{ "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n", 0, "private-key" },
		{ "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", 0, NULL },
		{ "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n", 0, "broken-certificate" },
		{ "-----BEGIN \n-----BEGIN CERTIFICATE", 0, NULL },
		{ "no pem here", 0, NULL },
		{ "# Caf\xe9 (Latin-1 is still text)\n-----BEGIN CERTIFICATE-----\n...\n-----END CERTIFICATE-----\n", 0,
		  "broken-certificate" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < RS_ARRAY_LEN(cases); i++) {
		struct rs_anchorset *set = rs_anchorset_new();
		assert_int_equal(rs_anchorset_scan_mem(set, (const unsigned char *)cases[i].text, strlen(cases[i].text), "t.pem",
						       NULL, NULL), 0);
		assert_int_equal(rs_anchorset_count(set), cases[i].anchors);
		if (cases[i].finding ? findings_of(set, cases[i].finding) != 1 : rs_anchorset_finding_count(set) != 0)
			fail_msg("case %zu: %zu findings", i, rs_anchorset_finding_count(set));
		if (rs_anchorset_finding_count(set) && rs_anchorset_finding_at(set, 0)->loc.line == 0)
			fail_msg("case %zu: read as binary", i);
		rs_anchorset_free(set);
	}
}

/* ---- carving ---- */

static void test_carve_table(void **state)
{
	static const size_t offsets[] = { 0, 1, 4095, 100000 };
	size_t dlen, i, n = 200000;
	char *der = slurp(DATA("forms/digicert_global_root_g2.der"), &dlen);
	unsigned char *buf = malloc(n);
	struct rs_catalog *cat = catalog();

	(void)state;
	assert_non_null(buf);
	for (i = 0; i < RS_ARRAY_LEN(offsets); i++) {
		struct rs_anchorset *set;
		size_t k;
		for (k = 0; k < n; k++) /* binary filler with many 0x30 0x82 decoys */
			buf[k] = (unsigned char)(k % 7 == 0 ? 0x30 : k % 7 == 1 ? 0x82 : k * 31);
		buf[5] = 0;
		memcpy(buf + offsets[i], der, dlen);
		set = rs_anchorset_new();
		assert_int_equal(rs_anchorset_scan_mem(set, buf, n, "fw.bin", NULL, NULL), 0);
		assert_int_equal(rs_anchorset_count(set), 1);
		assert_non_null(anchor_known(set, cat, "digicert-global-root-g2"));
		assert_int_equal(rs_anchor_location_at(rs_anchorset_at(set, 0), 0)->offset, (long long)offsets[i]);
		rs_anchorset_free(set);
	}
	/* a truncated DER certificate gives nothing */
	memset(buf, 0, n);
	memcpy(buf + 10, der, dlen - 1);
	{
		struct rs_anchorset *set = rs_anchorset_new();
		assert_int_equal(rs_anchorset_scan_mem(set, buf, dlen + 9, "cut.bin", NULL, NULL), 0);
		assert_int_equal(rs_anchorset_count(set), 0);
		rs_anchorset_free(set);
	}
	free(buf);
	free(der);
	rs_catalog_free(cat);
}

/* ---- NSS certdata ---- */

static void test_certdata(void **state)
{
	struct rs_catalog *cat = catalog();
	struct rs_anchorset *set = scan_path(DATA("nss-3.114-certdata.txt"));
	size_t i, trusted = 0, untrusted = 0;
	const struct rs_anchor *g2;

	(void)state;
	assert_int_equal(rs_anchorset_count(set), 181);
	for (i = 0; i < rs_anchorset_count(set); i++) {
		if (rs_anchor_trust(rs_anchorset_at(set, i)) == RS_TRUST_ANCHOR)
			trusted++;
		else
			untrusted++;
	}
	assert_int_equal(trusted, 146);
	assert_int_equal(untrusted, 35);
	assert_null(anchor_known(set, cat, "baltimore-cybertrust-root")); /* removed from NSS before 3.114 */
	assert_non_null(g2 = anchor_known(set, cat, "digicert-global-root-g2"));
	assert_int_equal(rs_anchor_trust(g2), RS_TRUST_ANCHOR);
	assert_string_equal(rs_anchor_label(g2), "DigiCert Global Root G2");
	assert_string_equal(rs_anchor_location_at(g2, 0)->encoding, "certdata");
	rs_anchorset_free(set);
	rs_catalog_free(cat);
}

/* A certdata object with each server-auth trust value. */
static void test_certdata_trust_table(void **state)
{
	static const struct { const char *trust; enum rs_trust want; } cases[] = {
		{ "CKT_NSS_TRUSTED_DELEGATOR", RS_TRUST_ANCHOR },
		{ "CKT_NSS_MUST_VERIFY_TRUST", RS_TRUST_MUST_VERIFY },
		{ "CKT_NSS_NOT_TRUSTED", RS_TRUST_DISTRUSTED },
		{ NULL, RS_TRUST_MUST_VERIFY }, /* no trust object at all */
	};
	size_t dlen, i, k;
	char *der = slurp(DATA("forms/digicert_global_root_g2.der"), &dlen);
	unsigned char sha1[20];

	(void)state;
	EVP_Digest(der, dlen, sha1, NULL, EVP_sha1(), NULL);
	for (i = 0; i < RS_ARRAY_LEN(cases); i++) {
		struct text t = { 0 };
		char oct[8];
		struct rs_anchorset *set;
		puts_(&t, "BEGINDATA\nCKA_CLASS CK_OBJECT_CLASS CKO_CERTIFICATE\nCKA_LABEL UTF8 \"G2\"\nCKA_VALUE MULTILINE_OCTAL\n");
		for (k = 0; k < dlen; k++) {
			snprintf(oct, sizeof(oct), "\\%03o", (unsigned char)der[k]);
			puts_(&t, oct);
			if (k % 16 == 15)
				puts_(&t, "\n");
		}
		puts_(&t, "\nEND\n\n");
		if (cases[i].trust) {
			puts_(&t, "CKA_CLASS CK_OBJECT_CLASS CKO_NSS_TRUST\nCKA_CERT_SHA1_HASH MULTILINE_OCTAL\n");
			for (k = 0; k < 20; k++) {
				snprintf(oct, sizeof(oct), "\\%03o", sha1[k]);
				puts_(&t, oct);
			}
			puts_(&t, "\nEND\nCKA_TRUST_SERVER_AUTH CK_TRUST ");
			puts_(&t, cases[i].trust);
			puts_(&t, "\n");
		}
		set = scan_mem(t.s, t.n);
		assert_int_equal(rs_anchorset_count(set), 1);
		assert_int_equal(rs_anchor_trust(rs_anchorset_at(set, 0)), cases[i].want);
		assert_int_equal(rs_anchor_location_at(rs_anchorset_at(set, 0), 0)->line, 2);
		rs_anchorset_free(set);
		free(t.s);
	}
	free(der);
}

/* ---- ESP-IDF: damaged bundles are not bundles ---- */

static void test_espidf_damaged(void **state)
{
	static const char *const files[] = { "audit/x509_crt_bundle", "audit/x509_crt_bundle_legacy" };
	size_t i, len;

	(void)state;
	for (i = 0; i < RS_ARRAY_LEN(files); i++) {
		char path[512];
		char *b;
		snprintf(path, sizeof(path), "%s/%s", RS_TEST_DATA, files[i]);
		b = slurp(path, &len);
		assert_true(rs_is_espidf((unsigned char *)b, len));
		assert_false(rs_is_espidf((unsigned char *)b, len - 1));
		b[len / 2] ^= 0x55;
		{
			struct rs_anchorset *set = rs_anchorset_new();
			assert_int_equal(rs_anchorset_scan_mem(set, (unsigned char *)b, len - 1, "cut", NULL, NULL), 0);
			rs_anchorset_free(set);
		}
		free(b);
	}
}

/* ---- trees: dedup with every location, symlink loops ---- */

static void test_tree_dedup(void **state)
{
	struct rs_catalog *cat = catalog();
	struct rs_anchorset *set = scan_path(DATA("audit"));
	const struct rs_anchor *g2;

	(void)state;
	assert_non_null(g2 = anchor_known(set, cat, "digicert-global-root-g2"));
	/* certs.c? no: G2 is in azure_roots_define.h, bearssl (name-and-key, separate), der_arrays.c, ... */
	assert_true(rs_anchor_location_count(g2) >= 8);
	assert_true(findings_of(set, "private-key") >= 2);
	rs_anchorset_free(set);
	rs_catalog_free(cat);
}

static void test_system_root(void **state)
{
	struct rs_anchorset *set = rs_anchorset_new();
	struct rs_error err;
	const char *const *p = rs_system_store_paths();

	(void)state;
	assert_non_null(p[0]);
	assert_int_equal(rs_anchorset_scan_system(set, DATA("audit/sysroot"), NULL, &err), 0);
	assert_int_equal(rs_anchorset_count(set), 3);
	assert_int_equal(rs_anchorset_scan_system(set, DATA("audit/no-such-root"), NULL, &err), -1);
	assert_int_equal(err.code, RS_ERR_NOTFOUND);
	rs_anchorset_free(set);
}

/* ---- partition tables (parttab.c): built byte by byte from the layouts the UEFI specification gives ---- */

static void put_le(unsigned char *p, unsigned long long v, int n)
{
	for (int i = 0; i < n; i++, v >>= 8)
		p[i] = (unsigned char)v;
}

/* An MBR record in slot i (0-3): boot flag, type, first sector, sector count. */
static void mbr_entry(unsigned char *d, int i, unsigned char flag, unsigned char type, unsigned first, unsigned count)
{
	unsigned char *e = d + 446 + 16 * i;

	e[0] = flag;
	e[4] = type;
	put_le(e + 8, first, 4);
	put_le(e + 12, count, 4);
	d[510] = 0x55;
	d[511] = 0xaa;
}

static void test_parttab_mbr(void **state)
{
	const size_t len = 64 * 512;
	unsigned char *d = calloc(1, len);
	struct rs_part p[8];

	(void)state;
	assert_non_null(d);
	assert_int_equal(rs_parttab_parse(d, len, p, 8), -1); /* no signature */
	mbr_entry(d, 0, 0x80, 0x0c, 2, 8);                    /* FAT32 LBA, bootable */
	mbr_entry(d, 1, 0x00, 0x83, 10, 40);                  /* Linux */
	assert_int_equal(rs_parttab_sniff(d, len), 1);
	assert_int_equal(rs_parttab_parse(d, len, p, 8), 2);
	assert_int_equal(p[0].index, 1);
	assert_int_equal(p[0].offset, 1024);
	assert_int_equal(p[0].size, 8 * 512);
	assert_int_equal(p[1].index, 2);
	assert_int_equal(p[1].offset, 10 * 512);
	assert_int_equal(p[1].size, 40 * 512);
	assert_false(p[1].truncated);
	assert_int_equal(rs_parttab_parse(d, len, p, 1), -1); /* more than max */
	/* a partition past the end is cut to the image and flagged; one starting past it is left out */
	mbr_entry(d, 1, 0x00, 0x83, 10, 100);
	mbr_entry(d, 2, 0x00, 0x83, 200, 4);
	assert_int_equal(rs_parttab_parse(d, len, p, 8), 2);
	assert_true(p[1].truncated);
	assert_int_equal(p[1].size, (64 - 10) * 512);
	/* an extended partition's chain is not followed; a slot whose boot flag is neither 0 nor 0x80 is boot code */
	mbr_entry(d, 3, 0x00, 0x05, 60, 4);
	assert_int_equal(rs_parttab_parse(d, len, p, 8), 2);
	mbr_entry(d, 3, 0x7f, 0x05, 60, 4);
	assert_int_equal(rs_parttab_sniff(d, len), 0);
	assert_int_equal(rs_parttab_parse(d, len, p, 8), -1);
	/* a FAT boot sector ends in 0x55 0xAA too: a jump, then 512 bytes per sector at byte 11 */
	memset(d, 0, len);
	mbr_entry(d, 0, 0x00, 0x83, 2, 8);
	d[0] = 0xeb, d[1] = 0x3c, d[2] = 0x90;
	put_le(d + 11, 512, 2);
	assert_int_equal(rs_parttab_sniff(d, len), 0);
	assert_int_equal(rs_parttab_parse(d, len, p, 8), -1);
	/* a protective MBR without a GPT header, and a record starting at sector 0 */
	memset(d, 0, len);
	mbr_entry(d, 0, 0x00, 0xee, 1, 63);
	assert_int_equal(rs_parttab_parse(d, len, p, 8), -1);
	mbr_entry(d, 0, 0x00, 0x83, 0, 8);
	assert_int_equal(rs_parttab_parse(d, len, p, 8), -1);
	assert_int_equal(rs_parttab_parse(d, 600, p, 8), -1); /* shorter than two sectors */
	free(d);
}

static void test_parttab_gpt(void **state)
{
	const size_t len = 128 * 512;
	unsigned char *d = calloc(1, len), *h, *e;
	struct rs_part p[8];

	(void)state;
	assert_non_null(d);
	mbr_entry(d, 0, 0x00, 0xee, 1, 127);
	h = d + 512;
	memcpy(h, "EFI PART", 8);
	put_le(h + 72, 2, 8);   /* PartitionEntryLBA */
	put_le(h + 80, 4, 4);   /* NumberOfPartitionEntries */
	put_le(h + 84, 128, 4); /* SizeOfPartitionEntry */
	e = d + 2 * 512;
	memset(e, 0xaa, 16); /* entry 1: a type GUID */
	put_le(e + 32, 34, 8);
	put_le(e + 40, 41, 8);                    /* inclusive: 8 sectors */
	memset(e + 2 * 128, 0x11, 16);           /* entry 3 (entry 2 unused) */
	put_le(e + 2 * 128 + 32, 42, 8);
	put_le(e + 2 * 128 + 40, 200, 8);        /* past the end: cut */
	assert_int_equal(rs_parttab_sniff(d, len), 1);
	assert_int_equal(rs_parttab_parse(d, len, p, 8), 2);
	assert_int_equal(p[0].index, 1);
	assert_int_equal(p[0].offset, 34 * 512);
	assert_int_equal(p[0].size, 8 * 512);
	assert_int_equal(p[1].index, 3);
	assert_int_equal(p[1].offset, 42 * 512);
	assert_true(p[1].truncated);
	assert_int_equal(p[1].size, (128 - 42) * 512);
	/* damaged headers: an entry size that is not 128 x 2^n, too many entries, an array past the end */
	put_le(h + 84, 100, 4);
	assert_int_equal(rs_parttab_parse(d, len, p, 8), -1);
	put_le(h + 84, 128, 4);
	put_le(h + 80, 100000, 4);
	assert_int_equal(rs_parttab_parse(d, len, p, 8), -1);
	put_le(h + 80, 4, 4);
	put_le(h + 72, 128, 8);
	assert_int_equal(rs_parttab_parse(d, len, p, 8), -1);
	put_le(h + 72, ~0ull, 8);
	assert_int_equal(rs_parttab_parse(d, len, p, 8), -1);
	free(d);
}

/* An ext2/3/4 superblock's magic at byte 1080, a block size of at most 64 KiB. */
static void test_ext2_sniff(void **state)
{
	unsigned char d[2048] = { 0 };

	(void)state;
	assert_int_equal(rs_ext2_sniff(d, sizeof(d)), 0);
	d[1080] = 0x53, d[1081] = 0xef;
	assert_int_equal(rs_ext2_sniff(d, sizeof(d)), 1);
	assert_int_equal(rs_ext2_sniff(d, 1500), 0);
	d[1024 + 24] = 7; /* 128 KiB blocks: not ext */
	assert_int_equal(rs_ext2_sniff(d, sizeof(d)), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixtures),      cmocka_unit_test(test_c_variants),
		cmocka_unit_test(test_two_certs_one_array),
		cmocka_unit_test(test_not_anchors),   cmocka_unit_test(test_pem_edge_table),
		cmocka_unit_test(test_carve_table),   cmocka_unit_test(test_certdata),
		cmocka_unit_test(test_certdata_trust_table), cmocka_unit_test(test_espidf_damaged),
		cmocka_unit_test(test_tree_dedup),    cmocka_unit_test(test_system_root),
		cmocka_unit_test(test_parttab_mbr),   cmocka_unit_test(test_parttab_gpt),
		cmocka_unit_test(test_ext2_sniff),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
