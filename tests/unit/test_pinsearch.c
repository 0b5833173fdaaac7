/* test_pinsearch.c: rs_needles (core/needles.c), the one-pass search of many needles the scanner's rules use,
 * against a brute-force search: both paths (SSE2 where built, and the portable one), every alignment. */
#include "rs_test.h"

#include "internal.h"
#include "pin/pin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct hits {
	size_t k[4096], at[4096];
	size_t n;
};

static int record(void *arg, size_t k, size_t at)
{
	struct hits *h = arg;

	if (h->n == 4096)
		return -1;
	h->k[h->n] = k;
	h->at[h->n++] = at;
	return 0;
}

/* Brute force, in the order the contract promises for each needle: increasing starts. */
static void brute(const char *const *needles, size_t n, const unsigned char *buf, size_t len, struct hits *h)
{
	size_t k, i;

	h->n = 0;
	for (k = 0; k < n; k++)
		for (i = 0; i + strlen(needles[k]) <= len; i++)
			if (!memcmp(buf + i, needles[k], strlen(needles[k])))
				record(h, k, i);
}

/* The same hits, needle by needle in increasing order (the scan interleaves needles by position). */
static void check_same(const char *const *needles, size_t n, const struct hits *want, const struct hits *got,
		       const char *what)
{
	size_t k, i, j;

	assert_int_equal(want->n, got->n);
	for (k = 0; k < n; k++)
		for (i = 0, j = 0;; i++, j++) {
			while (i < want->n && want->k[i] != k)
				i++;
			while (j < got->n && got->k[j] != k)
				j++;
			if (i == want->n || j == got->n) {
				if (i != want->n || j != got->n)
					fail_msg("%s: needle '%s': hit counts differ", what, needles[k]);
				break;
			}
			if (want->at[i] != got->at[j])
				fail_msg("%s: needle '%s': %zu found at %zu", what, needles[k], want->at[i], got->at[j]);
		}
}

static void run(const char *const *needles, size_t n, const unsigned char *buf, size_t len)
{
	static struct hits want, got;
	struct rs_needles nd;

	assert_int_equal(rs_needles_init(&nd, needles, n), 0);
	brute(needles, n, buf, len, &want);
	got.n = 0;
	assert_int_equal(rs_needles_scan(&nd, buf, len, record, &got), 0);
	check_same(needles, n, &want, &got, "scan");
	got.n = 0;
	assert_int_equal(rs_needles_scan_plain(&nd, buf, len, record, &got), 0);
	check_same(needles, n, &want, &got, "plain");
}

static const char *const words[] = { "verify", "VERIFY", "setInsecure", "nsecure", ".pem", ".der", "aa", "a",
				     "<pin ", "X509_NAME_oneline", "zz", "Microsoft " };

static void test_edges(void **state)
{
	static const char *const cases[] = {
		"",
		"a",
		"verify",                                   /* the whole buffer */
		"verifyverify",                             /* back to back */
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", /* overlapping, across every 16- and 32-byte step */
		"x.pe",                                     /* a needle cut by the end */
		"0123456789abcdefghijklmnopqrstuvwxyz.pem",  /* a needle in the last bytes */
		"0123456789abcdefghijklmnopqrstuv.der",
		"setInsecure setinsecure SETINSECURE nsecure<pin <pin",
		"X509_NAME_onelin X509_NAME_oneline Microsoft Microsoft zzz",
	};
	size_t i;

	(void)state;
	for (i = 0; i < RS_ARRAY_LEN(cases); i++)
		run(words, RS_ARRAY_LEN(words), (const unsigned char *)cases[i], strlen(cases[i]));
}

/* Every alignment and every length up to 80 of a text full of needles, at the end of its allocation too. */
static void test_alignments(void **state)
{
	static const char text[] = "verify.pem aaa<pin VERIFY X509_NAME_oneline.der zz nsecure Microsoft setInsecure";
	size_t shift, len;

	(void)state;
	for (shift = 0; shift < 32; shift++)
		for (len = 0; len <= sizeof(text) - 1; len++) {
			unsigned char *buf = malloc(shift + len + 1);
			assert_non_null(buf);
			memcpy(buf + shift, text + sizeof(text) - 1 - len, len);
			run(words, RS_ARRAY_LEN(words), buf + shift, len);
			memcpy(buf + shift, text, len);
			run(words, RS_ARRAY_LEN(words), buf + shift, len);
			free(buf);
		}
}

/* Random text over a small alphabet, so that needles and near misses are frequent. */
static void test_random(void **state)
{
	static const char alpha[] = "verifyVERIFY.pemdr<in aXz";
	unsigned char buf[3000];
	unsigned seed = 5;
	size_t round, i;

	(void)state;
	for (round = 0; round < 50; round++) {
		for (i = 0; i < sizeof(buf); i++) {
			seed = seed * 1103515245u + 12345u;
			buf[i] = (unsigned char)alpha[(seed >> 16) % (sizeof(alpha) - 1)];
		}
		run(words, RS_ARRAY_LEN(words), buf, sizeof(buf) - round);
	}
}

/*
 * The rules' own needle sets (the AVX2 path spreads them over all its buckets, with windows inside the needles):
 * random text of their pieces, case-flipped bytes (which share a low nibble) and other bytes, at every length.
 */
static void test_ruleset_needles(void **state)
{
	const struct rs_pin_ruleset *rs = rs_pin_ruleset_builtin();
	const struct rs_needles *sets[2];
	unsigned char buf[4000];
	unsigned seed = 11;
	size_t set, round, i;

	(void)state;
	assert_non_null(rs);
	sets[0] = &rs->whole;
	sets[1] = &rs->common_whole;
	for (set = 0; set < 2; set++)
		for (round = 0; round < 40; round++) {
			for (i = 0; i < sizeof(buf);) {
				const char *w;
				size_t from, n;
				seed = seed * 1103515245u + 12345u;
				w = sets[set]->s[(seed >> 16) % sets[set]->n];
				seed = seed * 1103515245u + 12345u;
				from = (seed >> 16) % 3 == 0 ? (seed >> 8) % strlen(w) : 0;
				n = strlen(w) - from;
				if (n > sizeof(buf) - i)
					n = sizeof(buf) - i;
				memcpy(buf + i, w + from, n);
				if ((seed >> 20) % 4 == 0)
					buf[i + (seed >> 4) % n] ^= 0x20;
				i += n;
				if (i < sizeof(buf) && (seed >> 24) % 2)
					buf[i++] = (unsigned char)(seed >> 9);
			}
			run(sets[set]->s, sets[set]->n, buf + round, sizeof(buf) - 3 * round);
		}
}

/* The set the scanner's rules use fits (rules.c returns an error otherwise); too many needles do not. */
static void test_limits(void **state)
{
	const char *many[RS_NEEDLES_MAX + 1];
	const char *empty[] = { "" };
	struct rs_needles nd;
	size_t i;
	struct rs_catalog *cat = rs_catalog_new();
	struct rs_pinscan *ps;
	struct rs_error err;

	(void)state;
	for (i = 0; i < RS_ARRAY_LEN(many); i++)
		many[i] = "x";
	assert_int_equal(rs_needles_init(&nd, many, RS_ARRAY_LEN(many)), -1);
	assert_int_equal(rs_needles_init(&nd, many, RS_NEEDLES_MAX), 0);
	assert_int_equal(rs_needles_init(&nd, empty, 1), -1);
	memset(&err, 0, sizeof(err));
	assert_non_null(cat);
	assert_int_equal(rs_catalog_add_builtin(cat, NULL, &err), 0);
	assert_non_null(ps = rs_pinscan_new(cat));
	assert_int_equal(rs_pinscan_mem(ps, (const unsigned char *)"x(SSL_VERIFY_NONE);", 19, "a.c", &err), 0);
	assert_int_equal(rs_pinscan_count(ps), 1);
	assert_string_equal(rs_pinscan_at(ps, 0)->rule->id, "verify-disabled");
	rs_pinscan_free(ps);
	rs_catalog_free(cat);
}

/* The printable view of every byte value, at every alignment and length, by both paths. */
static void test_printable_view(void **state)
{
	unsigned char buf[600], view[600], plain[600];
	size_t i, shift, len;

	(void)state;
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (unsigned char)(i * 7 + i / 256);
	for (shift = 0; shift < 32; shift++)
		for (len = 0; shift + len <= sizeof(buf); len += len < 40 ? 1 : 37) {
			memset(view, 0xee, sizeof(view));
			memset(plain, 0xee, sizeof(plain));
			rs_pin_printable_view(view + shift, buf + shift, len);
			rs_pin_printable_view_plain(plain + shift, buf + shift, len);
			for (i = 0; i < sizeof(buf); i++) {
				unsigned char c = buf[i];
				unsigned char want = i < shift || i >= shift + len ? 0xee
						     : (c >= 0x20 && c < 0x7f) || c == '\t' ? c : '\n';
				if (view[i] != want || plain[i] != want)
					fail_msg("byte 0x%02x at %zu (shift %zu, length %zu): %02x and %02x, not %02x", c, i,
						 shift, len, view[i], plain[i], want);
			}
		}
}

/* What the rules report over one buffer, as text to compare. */
struct report {
	char text[65536];
	size_t len;
};

static int report_hit(void *arg, const struct rs_pin_hit *h)
{
	struct report *r = arg;
	int n = snprintf(r->text + r->len, sizeof(r->text) - r->len, "%s %zu-%zu %s [%s] %d %s\n", h->rule, h->at, h->end,
			 h->value ? h->value : "", h->api ? h->api : "", (int)h->severity, h->message ? h->message : "");

	if (n < 0 || (size_t)n >= sizeof(r->text) - r->len)
		return -1;
	r->len += (size_t)n;
	return 0;
}

static int report_def(void *arg, const struct rs_pin_def *d)
{
	struct report *r = arg;
	int n = snprintf(r->text + r->len, sizeof(r->text) - r->len, "def %s %zu-%zu %zu\n", d->ident, d->tok.start,
			 d->tok.end, d->tok.nbytes);

	if (n < 0 || (size_t)n >= sizeof(r->text) - r->len)
		return -1;
	r->len += (size_t)n;
	return 0;
}

static int report_call(void *arg, const struct rs_pin_call *c)
{
	struct report *r = arg;
	int n = snprintf(r->text + r->len, sizeof(r->text) - r->len, "call %s %s %zu-%zu\n", c->ident, c->api, c->at,
			 c->end);

	if (n < 0 || (size_t)n >= sizeof(r->text) - r->len)
		return -1;
	r->len += (size_t)n;
	return 0;
}

/*
 * A binary read in place (every unprintable byte a line break) gives what its printable view gives: random bytes
 * with digests in every notation, 0x lists and base64 pins cut by unprintable bytes, names, API and verification
 * needles planted.
 */
/* A random buffer of parts and stray bytes (binary: mostly unprintable ones; text: printable ones and line breaks). */
static size_t fill(unsigned char *buf, size_t size, unsigned *seedp, int binary)
{
	static const char *const parts[] = {
		"d4de20d05e66fc53fe1a50882c78db2852cae474", "D4:DE:20:D0:5E:66:FC:53:FE:1A:50:88:2C:78:DB:28:52:CA:E4:74",
		"setFingerprint(\"", "0x12, 0x34,", "0xd4,", "0xde, ", "0x20 ,", "sha256/", "sha256//", "pin-sha256=\"",
		"NHwusbC7w844JzTmvIRIo8NL7D6StITK9phzFgtJi0w=", "SSL_VERIFY_NONE", "verify=False", "strcmp(issuer, \"",
		"\"Microsoft RSA TLS CA 01\"", "X509_NAME_oneline", "cafile=/etc/BaltimoreCyberTrustRoot.pem", " ", "\t",
		"ab:cd:", "\\x12\\x34", "Baltimore CyberTrust Root", "memcmp", "begin(", "http://", "CURLOPT_PINNEDPUBLICKEY",
		"YOUR_FP", "0123456789abcdef0123456789abcdef01234567", "\r\n", ",", "-", ":", ";", "(", ".", "X509List(",
		"client.setCACert(ca_pem);", "const char fp[] = \"", "setTrustAnchors(&ta);", "#define FP \"", "\n", "{",
	};
	unsigned seed = *seedp;
	size_t len;

	for (len = 0; len < size - 128;) {
		seed = seed * 1103515245u + 12345u;
		if ((seed >> 16) % 3 == 0) { /* a few bytes of anything */
			size_t n = (seed >> 20) % 4 + 1, i;
			for (i = 0; i < n; i++) {
				seed = seed * 1103515245u + 12345u;
				buf[len++] = (unsigned char)(binary ? ((seed >> 16) % 5 == 0 ? 0x20 + (seed >> 8) % 0x5f : (seed >> 8))
								  : ((seed >> 16) % 9 == 0 ? '\n' : 0x20 + (seed >> 8) % 0x5f));
			}
		} else if ((seed >> 16) % 7 == 1) { /* 20 0x items, some separated by unprintable bytes */
			static const char *const seps[] = { ", ", ",", ",\001", "\002,", "\377, ", ",\n\t" };
			size_t i;
			for (i = 0; i < 20; i++) {
				const char *sep = seps[(seed >> (i % 24)) % (i % 3 || !binary ? 2 : RS_ARRAY_LEN(seps))];
				len += (size_t)snprintf((char *)buf + len, 16, "0x%02x%s", (unsigned)(seed >> i) & 0xff,
							i < 19 ? sep : "");
			}
		} else if ((seed >> 16) % 7 == 2) { /* a base64 pin after an unprintable byte, or a quote */
			buf[len + 7] = binary ? ((seed >> 20) % 2 ? 0 : 0x7f) : '"';
			memcpy(buf + len, "sha256/", 7);
			memcpy(buf + len + 8, "NHwusbC7w844JzTmvIRIo8NL7D6StITK9phzFgtJi0w=", 44);
			len += 52;
		} else {
			const char *p = parts[(seed >> 18) % RS_ARRAY_LEN(parts)];
			memcpy(buf + len, p, strlen(p));
			len += strlen(p);
		}
	}
	*seedp = seed;
	return len;
}

/*
 * A large file's candidates found chunk by chunk, between the cut points rs_pin_cut picks after each nominal
 * boundary, then joined and judged, give what one pass over the whole buffer gives: for text and binaries, chunks
 * from 7 bytes up, so that needles (".pem", "X509List(", "begin(") and tokens sit across every kind of boundary.
 */
static void test_chunks(void **state)
{
	static const char *const crossing[] = { ".pem", "X509List(", "begin(", "setCACert(", "setTrustAnchors(" };
	static const size_t sizes[] = { 7, 64, 333, 1000 };
	static unsigned char buf[8192];
	static struct report a, b;
	struct rs_catalog *cat = rs_catalog_new();
	struct rs_pin_context pc;
	struct rs_pin_sink sa = { report_hit, &a, report_def, report_call }, sb = { report_hit, &b, report_def, report_call };
	struct rs_error err;
	unsigned seed = 7;
	size_t round, si, straddled = 0, found = 0;

	(void)state;
	memset(&err, 0, sizeof(err));
	assert_non_null(cat);
	assert_int_equal(rs_catalog_add_builtin(cat, NULL, &err), 0);
	memset(&pc, 0, sizeof(pc));
	pc.cat = cat;
	for (round = 0; round < 120; round++) {
		int binary = (int)(round % 2);
		size_t len = fill(buf, sizeof(buf), &seed, binary);
		a.len = 0;
		a.text[0] = '\0';
		assert_int_equal(rs_pin_rules_text(&pc, buf, len, "fw.c", binary, &sa), 0);
		found += a.len > 0;
		for (si = 0; si < RS_ARRAY_LEN(sizes); si++) {
			struct rs_pin_cands *all = rs_pin_cands_new();
			size_t from = 0, to, k;
			assert_non_null(all);
			do {
				struct rs_pin_cands *cd = rs_pin_cands_new();
				assert_non_null(cd);
				to = len - from > sizes[si] ? rs_pin_cut(buf, from + sizes[si], len) : len;
				for (k = 0; to < len && k < RS_ARRAY_LEN(crossing); k++) { /* a needle across the cut */
					size_t n = strlen(crossing[k]), s = to + 1 > n ? to + 1 - n : 0;
					for (; s < to && s + n <= len; s++)
						straddled += !memcmp(buf + s, crossing[k], n);
				}
				assert_int_equal(rs_pin_collect(&pc, buf, len, from, to, binary, cd), 0);
				assert_int_equal(rs_pin_cands_append(all, cd), 0);
				rs_pin_cands_free(cd);
				from = to;
			} while (to < len);
			b.len = 0;
			b.text[0] = '\0';
			assert_int_equal(rs_pin_rules_judge(&pc, buf, len, "fw.c", binary, &sb, all), 0);
			rs_pin_cands_free(all);
			if (a.len != b.len || memcmp(a.text, b.text, a.len))
				fail_msg("round %zu (%s), chunks of %zu: one pass gives\n%s\nchunks give\n%s", round,
					 binary ? "binary" : "text", sizes[si], a.text, b.text);
		}
	}
	assert_true(found > 100);
	assert_true(straddled > 50); /* needles did sit across cut points */
	rs_catalog_free(cat);
}

static void test_binary_in_place(void **state)
{
	static const char *const parts[] = {
		"d4de20d05e66fc53fe1a50882c78db2852cae474", "D4:DE:20:D0:5E:66:FC:53:FE:1A:50:88:2C:78:DB:28:52:CA:E4:74",
		"setFingerprint(\"", "0x12, 0x34,", "0xd4,", "0xde, ", "0x20 ,", "sha256/", "sha256//", "pin-sha256=\"",
		"NHwusbC7w844JzTmvIRIo8NL7D6StITK9phzFgtJi0w=", "SSL_VERIFY_NONE", "verify=False", "strcmp(issuer, \"",
		"\"Microsoft RSA TLS CA 01\"", "X509_NAME_oneline", "cafile=/etc/BaltimoreCyberTrustRoot.pem", " ", "\t",
		"ab:cd:", "\\x12\\x34", "Baltimore CyberTrust Root", "memcmp", "begin(", "http://", "CURLOPT_PINNEDPUBLICKEY",
		"YOUR_FP", "0123456789abcdef0123456789abcdef01234567", "\r\n", ",", "-", ":",
	};
	static unsigned char buf[8192], view[8192];
	static struct report a, b;
	struct rs_catalog *cat = rs_catalog_new();
	struct rs_pin_context pc;
	struct rs_pin_sink sa = { report_hit, &a, report_def, report_call }, sb = { report_hit, &b, report_def, report_call };
	struct rs_error err;
	unsigned seed = 11;
	size_t round, len, found = 0;

	(void)state;
	memset(&err, 0, sizeof(err));
	assert_non_null(cat);
	assert_int_equal(rs_catalog_add_builtin(cat, NULL, &err), 0);
	memset(&pc, 0, sizeof(pc));
	pc.cat = cat;
	for (round = 0; round < 400; round++) {
		for (len = 0; len < sizeof(buf) - 128;) {
			seed = seed * 1103515245u + 12345u;
			if ((seed >> 16) % 3 == 0) { /* a few bytes of anything, unprintable ones most likely */
				size_t n = (seed >> 20) % 4 + 1, i;
				for (i = 0; i < n; i++) {
					seed = seed * 1103515245u + 12345u;
					buf[len++] = (unsigned char)((seed >> 16) % 5 == 0 ? 0x20 + (seed >> 8) % 0x5f : (seed >> 8));
				}
			} else if ((seed >> 16) % 7 == 1) { /* 20 0x items, some separated by unprintable bytes */
				static const char *const seps[] = { ", ", ",", ",\001", "\002,", "\377, ", ",\n\t" };
				size_t i;
				for (i = 0; i < 20; i++) {
					const char *sep = seps[(seed >> (i % 24)) % (i % 3 ? 2 : RS_ARRAY_LEN(seps))];
					len += (size_t)snprintf((char *)buf + len, 16, "0x%02x%s", (unsigned)(seed >> i) & 0xff,
								i < 19 ? sep : "");
				}
			} else if ((seed >> 16) % 7 == 2) { /* a base64 pin after an unprintable byte */
				buf[len + 7] = (seed >> 20) % 2 ? 0 : 0x7f;
				memcpy(buf + len, "sha256/", 7);
				memcpy(buf + len + 8, "NHwusbC7w844JzTmvIRIo8NL7D6StITK9phzFgtJi0w=", 44);
				len += 52;
			} else {
				const char *p = parts[(seed >> 18) % RS_ARRAY_LEN(parts)];
				memcpy(buf + len, p, strlen(p));
				len += strlen(p);
			}
		}
		rs_pin_printable_view(view, buf, len);
		a.len = b.len = 0;
		a.text[0] = b.text[0] = '\0';
		assert_int_equal(rs_pin_rules_text(&pc, view, len, "fw.bin", 1, &sa), 0);
		assert_int_equal(rs_pin_rules_text(&pc, buf, len, "fw.bin", 1, &sb), 0);
		if (a.len != b.len || memcmp(a.text, b.text, a.len))
			fail_msg("round %zu: the view gives\n%s\nin place gives\n%s", round, a.text, b.text);
		found += a.len > 0;
	}
	assert_true(found > 100); /* the rounds do find things */
	rs_catalog_free(cat);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_edges),
		cmocka_unit_test(test_alignments),
		cmocka_unit_test(test_random),
		cmocka_unit_test(test_ruleset_needles),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_printable_view),
		cmocka_unit_test(test_binary_in_place),
		cmocka_unit_test(test_chunks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
