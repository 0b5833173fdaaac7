/* test_load.c: the certificate loaders: every form, every error, directories. */
#include "rs_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct form_case {
	const char *file;
	const char *password;
	size_t count;
	const char *encoding;
	long first_line;
	const char *first_sha1;
};

static const struct form_case forms[] = {
	{ "forms/three_roots.pem", NULL, 3, "pem", 1, "d4de20d05e66fc53fe1a50882c78db2852cae474" },
	{ "forms/three_roots.p7b", NULL, 3, "pkcs7-der", 0, "d4de20d05e66fc53fe1a50882c78db2852cae474" },
	{ "forms/three_roots.p7b.pem", NULL, 3, "pkcs7-pem", 1, "d4de20d05e66fc53fe1a50882c78db2852cae474" },
	{ "forms/digicert_global_root_g2.der", NULL, 1, "der", 0, "df3c24f9bfd666761b268073fe06d1cc8d4f82a4" },
	{ "forms/cert_and_junk_block.pem", NULL, 1, "pem", 1, "df3c24f9bfd666761b268073fe06d1cc8d4f82a4" },
	{ "forms/device.p12", "rootshift-test", 2, "pkcs12", 0, NULL },
	{ "certifi-2025.01.31.pem", NULL, 150, "pem", 9, "b1bc968bd4f49d622aa89a81f2150152a41d829c" },
};

static void test_forms(void **state)
{
	char path[512];
	size_t i;

	(void)state;
	for (i = 0; i < RS_ARRAY_LEN(forms); i++) {
		const struct form_case *f = &forms[i];
		struct rs_load_opts opts = { f->password, 0, 0 };
		struct rs_certlist *l = rs_certlist_new();
		const struct rs_location *loc;
		struct rs_error err = { 0 };

		snprintf(path, sizeof(path), "%s/%s", RS_TEST_DATA, f->file);
		if (rs_load_path(l, path, &opts, &err) < 0)
			fail_msg("%s: %s", f->file, err.message);
		assert_int_equal(rs_certlist_count(l), f->count);
		loc = rs_certlist_location(l, 0);
		assert_string_equal(loc->encoding, f->encoding);
		assert_int_equal(loc->line, f->first_line);
		assert_string_equal(loc->path, path);
		if (f->first_sha1)
			assert_string_equal(rs_cert_sha1(rs_certlist_at(l, 0)), f->first_sha1);
		rs_certlist_free(l);
	}
}

/* Line numbers and offsets of every certificate in a bundle. */
static void test_pem_locations(void **state)
{
	struct rs_certlist *l = load_ok(DATA("forms/three_roots.pem"));

	(void)state;
	assert_int_equal(rs_certlist_location(l, 1)->line, 22);
	assert_int_equal(rs_certlist_location(l, 1)->offset, 1261);
	assert_int_equal(rs_certlist_location(l, 2)->line, 44);
	rs_certlist_free(l);
}

struct error_case {
	const char *file;
	const char *password;
	enum rs_errcode code;
	const char *message; /* after the path */
};

static const struct error_case errors[] = {
	{ "forms/empty.pem", NULL, RS_ERR_EMPTY, "' is empty" },
	{ "forms/truncated.pem", NULL, RS_ERR_PARSE, "' line 1: truncated or corrupt PEM block" },
	{ "forms/random.bin", NULL, RS_ERR_NOCERT, "': not PEM, DER, PKCS#7 or PKCS#12" },
	{ "forms/device.p12", NULL, RS_ERR_PASSWORD, "': wrong or missing PKCS#12 password" },
	{ "forms/device.p12", "wrong", RS_ERR_PASSWORD, "': wrong or missing PKCS#12 password" },
	{ "forms/no-such-file.pem", NULL, RS_ERR_IO, "': No such file or directory" },
};

static void test_errors(void **state)
{
	char path[512];
	size_t i;

	(void)state;
	for (i = 0; i < RS_ARRAY_LEN(errors); i++) {
		const struct error_case *e = &errors[i];
		struct rs_load_opts opts = { e->password, 0, 0 };
		struct rs_certlist *l = rs_certlist_new();
		struct rs_error err = { 0 };

		snprintf(path, sizeof(path), "%s/%s", RS_TEST_DATA, e->file);
		assert_int_equal(rs_load_path(l, path, &opts, &err), -1);
		assert_int_equal(err.code, e->code);
		if (!strstr(err.message, path) || !strstr(err.message, e->message))
			fail_msg("%s: unexpected message: %s", e->file, err.message);
		assert_null(strchr(err.message, '\n'));
		rs_certlist_free(l);
	}
}

static void test_limits_and_memory(void **state)
{
	static const unsigned char der_then_junk[] = { 0x30, 0x03, 0x02, 0x01, 0x00 };
	struct rs_load_opts small = { NULL, 100, 0 };
	struct rs_certlist *l = rs_certlist_new();
	struct rs_error err;

	(void)state;
	assert_int_equal(rs_load_path(l, DATA("certifi-2025.01.31.pem"), &small, &err), -1);
	assert_int_equal(err.code, RS_ERR_LIMIT);
	assert_int_equal(rs_load_mem(l, der_then_junk, sizeof(der_then_junk), "x.der", NULL, &err), -1);
	assert_int_equal(err.code, RS_ERR_NOCERT);
	assert_int_equal(rs_load_mem(l, (const unsigned char *)"", 0, NULL, NULL, &err), -1);
	assert_string_equal(err.message, "'(memory)' is empty");
	assert_int_equal(rs_certlist_count(l), 0);
	rs_certlist_free(l);
}

static void write_file(const char *dir, const char *name, const void *data, size_t len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
}

static void copy_file(const char *from, const char *dir, const char *name)
{
	unsigned char *data;
	size_t len;

	assert_int_equal(rs_read_file(from, 1 << 20, &data, &len, NULL), 0);
	write_file(dir, name, data, len);
	free(data);
}

/* A directory like /etc/ssl/certs: certificates, hashed symlinks, a README, an empty file, a dangling link. */
static void test_directory(void **state)
{
	char dir[] = "/tmp/rs-test-load-XXXXXX", sub[600], link[600], target[600], cmd[700];
	struct rs_certlist *l = rs_certlist_new();
	struct rs_error err;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(sub, sizeof(sub), "%s/sub", dir);
	assert_int_equal(mkdir(sub, 0755), 0);
	copy_file(DATA("digicert_global_root_g2.pem"), dir, "DigiCert_Global_Root_G2.pem");
	copy_file(DATA("forms/three_roots.p7b"), sub, "bundle.p7b");
	write_file(dir, "README", "not a certificate\n", 18);
	write_file(dir, "empty", "", 0);
	snprintf(link, sizeof(link), "%s/607986c7.0", dir);
	snprintf(target, sizeof(target), "%s/DigiCert_Global_Root_G2.pem", dir);
	assert_int_equal(symlink(target, link), 0);
	snprintf(link, sizeof(link), "%s/dangling.0", dir);
	assert_int_equal(symlink("/nonexistent/rootshift", link), 0);

	assert_int_equal(rs_load_path(l, dir, NULL, &err), 0);
	assert_int_equal(rs_certlist_count(l), 4); /* G2 once (the hash link is the same file), 3 from PKCS#7 */
	assert_non_null(strstr(rs_certlist_location(l, 0)->path, "DigiCert_Global_Root_G2.pem"));
	assert_non_null(strstr(rs_certlist_location(l, 1)->path, "sub/bundle.p7b"));

	copy_file(DATA("forms/truncated.pem"), sub, "broken.pem");
	rs_certlist_free(l);
	l = rs_certlist_new();
	assert_int_equal(rs_load_path(l, dir, NULL, &err), -1);
	assert_int_equal(err.code, RS_ERR_PARSE);
	assert_non_null(strstr(err.message, "sub/broken.pem' line 1"));
	rs_certlist_free(l);

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

static void test_empty_directory(void **state)
{
	char dir[] = "/tmp/rs-test-load-XXXXXX";
	struct rs_certlist *l = rs_certlist_new();
	struct rs_error err;

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_int_equal(rs_load_path(l, dir, NULL, &err), -1);
	assert_int_equal(err.code, RS_ERR_NOCERT);
	assert_non_null(strstr(err.message, "no certificate in directory"));
	rmdir(dir);
	rs_certlist_free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_forms),          cmocka_unit_test(test_pem_locations),
		cmocka_unit_test(test_errors),         cmocka_unit_test(test_limits_and_memory),
		cmocka_unit_test(test_directory),      cmocka_unit_test(test_empty_directory),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
