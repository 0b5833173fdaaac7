/* test_core.c: time, hex and buffer helpers. */
#include "rs_test.h"

#include <string.h>

static void test_time_table(void **state)
{
	static const struct { const char *text; rs_time want; } ok[] = {
		{ "1970-01-01T00:00:00Z", 0 },
		{ "2025-05-12T23:59:00Z", 1747094340 },
		{ "2025-05-12", 1747008000 },
		{ "2038-01-15T12:00:00Z", 2147169600 },
		{ "2000-02-29T00:00:00Z", 951782400 },
		{ "2025-05-13T01:59:00+02:00", 1747094340 },
		{ "2025-05-12t23:59:00.123z", 1747094340 },
		{ "1969-12-31T23:59:59Z", -1 },
		{ "2100-03-01T00:00:00Z", 4107542400 },
	};
	static const char *const bad[] = { "", "2025", "2025-13-01", "2025-02-29", "2025-05-12T24:00:00Z",
					   "2025-05-12T23:59:00", "2025-05-12T23:59:00Zjunk", "tomorrow" };
	struct rs_error err;
	rs_time t;
	size_t i;

	(void)state;
	for (i = 0; i < RS_ARRAY_LEN(ok); i++) {
		assert_int_equal(rs_time_parse(ok[i].text, &t, &err), 0);
		assert_int_equal(t, ok[i].want);
	}
	for (i = 0; i < RS_ARRAY_LEN(bad); i++) {
		assert_int_equal(rs_time_parse(bad[i], &t, &err), -1);
		assert_int_equal(err.code, RS_ERR_USAGE);
		assert_non_null(strstr(err.message, "invalid time"));
	}
}

static void test_time_format_roundtrip(void **state)
{
	char buf[32];
	rs_time t, back;

	(void)state;
	assert_string_equal(rs_time_format(1747094340, buf, sizeof(buf)), "2025-05-12T23:59:00Z");
	assert_string_equal(rs_time_format(-1, buf, sizeof(buf)), "1969-12-31T23:59:59Z");
	for (t = -86400 * 800; t < (rs_time)86400 * 365 * 200; t += 86400 * 37 + 3607) {
		rs_time_format(t, buf, sizeof(buf));
		assert_int_equal(rs_time_parse(buf, &back, NULL), 0);
		assert_int_equal(back, t);
	}
}

static void test_durations(void **state)
{
	static const struct {
		const char *text;
		rs_time want; /* -1: rejected */
	} cases[] = {
		{ "90d", 90 * 86400 }, { "12h", 12 * 3600 }, { "30min", 1800 }, { "2w", 14 * 86400 }, { "1y", 365 * 86400 },
		{ "6mo", 180 * 86400 }, { "45s", 45 },       { "0d", 0 },          { "100y", 100LL * 365 * 86400 },
		{ "30m", -1 },         { "3600", -1 },       { "6months", -1 },    { "1200mo", 1200LL * 30 * 86400 }, { "1217mo", -1 },
		{ "101y", -1 },        { "", -1 },           { "d", -1 }, { "-1d", -1 }, { "9x", -1 }, { "9dd", -1 },
		{ "99999999999999999999999d", -1 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		rs_time got = -1;
		struct rs_error err = { 0 };
		int rv = rs_duration_parse(cases[i].text, &got, &err);
		if (cases[i].want < 0 ? rv != -1 || err.code != RS_ERR_USAGE : rv != 0 || got != cases[i].want)
			fail_msg("'%s': rv %d, got %lld", cases[i].text, rv, (long long)got);
	}
}

static void test_hex(void **state)
{
	char out[64];
	unsigned char in[] = { 0xdf, 0x3c, 0x00, 0xff };

	(void)state;
	rs_hex_encode(in, sizeof(in), out);
	assert_string_equal(out, "df3c00ff");
	assert_int_equal(rs_hex_normalize("DF:3C:24 f9", out, sizeof(out)), 0);
	assert_string_equal(out, "df3c24f9");
	assert_int_equal(rs_hex_normalize("xyz", out, sizeof(out)), -1);
	assert_int_equal(rs_hex_normalize("", out, sizeof(out)), -1);
	assert_int_equal(rs_hex_normalize("abcdef", out, 4), -1);
}

static void test_buf(void **state)
{
	struct rs_buf b = RS_BUF_INIT;
	int i;

	(void)state;
	for (i = 0; i < 1000; i++)
		assert_int_equal(rs_buf_addf(&b, "%d,", i), 0);
	assert_int_equal(strncmp(b.data, "0,1,2,", 6), 0);
	assert_int_equal(b.len, strlen(b.data));
	rs_buf_release(&b);
}

static void test_errors(void **state)
{
	struct rs_error err;

	(void)state;
	assert_string_equal(rs_errcode_name(RS_ERR_PARSE), "RS_ERR_PARSE");
	assert_string_equal(rs_errcode_category(RS_ERR_PROFILE), "profile");
	assert_string_equal(rs_errcode_name((enum rs_errcode)999), "RS_ERR_UNKNOWN");
	assert_int_equal(rs_fail(&err, RS_ERR_IO, "cannot read '%s'", "x"), -1);
	assert_string_equal(err.message, "cannot read 'x'");
	assert_int_equal(rs_fail(NULL, RS_ERR_IO, "ignored"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_time_table), cmocka_unit_test(test_time_format_roundtrip),
		cmocka_unit_test(test_hex),        cmocka_unit_test(test_buf),
		cmocka_unit_test(test_durations),
		cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
