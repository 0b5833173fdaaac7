/* test_pinarchive.c: scan on archives (lib/pin/pinscan.c over lib/extract/archive.c): a pin in a member of a tar
 * and of a gzip'd tar is found as in the plain file, under the member's name ("fw.tar!/src/net.c"), and what cannot be
 * read of a damaged archive is an archive-unread note, not an error. The archives are written in memory with
 * libarchive. */
#include "rs_test.h"

#include <archive.h>
#include <archive_entry.h>
#include <string.h>

/* Baltimore CyberTrust Root's SHA-1 (the thumbprint Azure documents), pinned in code. */
static const char code[] = "/* the hub's root */\n"
			   "static const char *hub_pin = \"d4de20d05e66fc53fe1a50882c78db2852cae474\";\n";

/* A tar (gzip'd when gz) of src/net.c holding code and README holding text; its length in *len. */
static void make_tar(unsigned char *out, size_t size, size_t *len, int gz)
{
	struct archive *a = archive_write_new();
	struct archive_entry *e;
	const char *names[] = { "README", "src/net.c" }, *bodies[] = { "nothing here\n", code };

	assert_non_null(a);
	assert_int_equal(archive_write_set_format_ustar(a), ARCHIVE_OK);
	if (gz)
		assert_int_equal(archive_write_add_filter_gzip(a), ARCHIVE_OK);
	assert_int_equal(archive_write_open_memory(a, out, size, len), ARCHIVE_OK);
	for (size_t i = 0; i < 2; i++) {
		assert_non_null(e = archive_entry_new());
		archive_entry_set_pathname(e, names[i]);
		archive_entry_set_size(e, (la_int64_t)strlen(bodies[i]));
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, 0644);
		archive_entry_set_mtime(e, 1767225600, 0);
		assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
		assert_int_equal(archive_write_data(a, bodies[i], strlen(bodies[i])), (la_ssize_t)strlen(bodies[i]));
		archive_entry_free(e);
	}
	assert_int_equal(archive_write_close(a), ARCHIVE_OK);
	archive_write_free(a);
}

struct scanned {
	size_t n;
	char path[128], rule[64], value[128];
	long line;
};

static void scan(struct rs_catalog *cat, const unsigned char *buf, size_t len, const char *name, struct scanned *s)
{
	struct rs_pinscan *ps = rs_pinscan_new(cat);
	struct rs_error err;

	assert_non_null(ps);
	if (rs_pinscan_mem(ps, buf, len, name, &err) < 0)
		fail_msg("%s", err.message);
	memset(s, 0, sizeof(*s));
	s->n = rs_pinscan_count(ps);
	if (s->n) {
		const struct rs_pin_finding *f = rs_pinscan_at(ps, 0);
		snprintf(s->path, sizeof(s->path), "%s", f->path);
		snprintf(s->rule, sizeof(s->rule), "%s", f->rule->id);
		snprintf(s->value, sizeof(s->value), "%s", f->value);
		s->line = f->line;
	}
	rs_pinscan_free(ps);
}

static void test_members(void **state)
{
	static unsigned char tar[16384], tgz[16384];
	struct rs_catalog *cat = rs_catalog_new();
	struct scanned plain, in_tar, in_tgz, damaged;
	struct rs_error err;
	size_t tlen, glen;

	(void)state;
	assert_int_equal(rs_catalog_add_builtin(cat, NULL, &err), 0);
	scan(cat, (const unsigned char *)code, strlen(code), "net.c", &plain);
	assert_int_equal(plain.n, 1);
	assert_string_equal(plain.rule, "pin-root");
	assert_int_equal(plain.line, 2);

	make_tar(tar, sizeof(tar), &tlen, 0);
	scan(cat, tar, tlen, "fw.tar", &in_tar);
	assert_int_equal(in_tar.n, 1);
	assert_string_equal(in_tar.path, "fw.tar!/src/net.c");
	assert_string_equal(in_tar.rule, plain.rule);
	assert_string_equal(in_tar.value, plain.value);
	assert_int_equal(in_tar.line, 2);

	make_tar(tgz, sizeof(tgz), &glen, 1);
	assert_true(glen < tlen);
	scan(cat, tgz, glen, "fw.tgz", &in_tgz);
	assert_int_equal(in_tgz.n, 1);
	assert_string_equal(in_tgz.path, "fw.tgz!/src/net.c");
	assert_string_equal(in_tgz.value, plain.value);

	/* the gzip stream cut short: what was read is judged, the rest is a note on the archive */
	scan(cat, tgz, glen / 2, "cut.tgz", &damaged);
	assert_true(damaged.n >= 1);
	{
		struct rs_pinscan *ps = rs_pinscan_new(cat);
		int notes = 0;
		assert_int_equal(rs_pinscan_mem(ps, tgz, glen / 2, "cut.tgz", &err), 0);
		for (size_t i = 0; i < rs_pinscan_count(ps); i++) {
			const struct rs_pin_finding *f = rs_pinscan_at(ps, i);
			if (!strcmp(f->rule->id, "archive-unread")) {
				notes++;
				assert_int_equal(strncmp(f->path, "cut.tgz", 7), 0);
				assert_true(f->message && *f->message);
			}
		}
		assert_int_equal(notes, 1);
		rs_pinscan_free(ps);
	}
	rs_catalog_free(cat);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_members),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
