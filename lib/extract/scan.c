/*
 * scan.c: trust anchors in files and trees. The content decides the form, never the name:
 *   NSS certdata.txt -> certdata.c; an ESP-IDF bundle -> espidf.c; other text: C/C++ source -> csource.c (string
 *   literals, byte arrays, BearSSL headers), else PEM text (pemtext.c, also PEM inside JSON or YAML); other
 *   binary: whole-file DER, PKCS#7 or PKCS#12 (extract/load.c), else carving (carve.c).
 * Files are mapped, not read, so a large firmware image or a sparse file costs address space, not memory.
 */
#include "extract.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define DEFAULT_MAX (4ull << 30)
#define WINDOW (64u << 20)   /* files larger than this are carved window by window */
#define OVERLAP (2u << 20)   /* a certificate or PEM block starting near a window's end is read in full */
#define CHUNK (1u << 20)     /* carving runs its passes chunk by chunk, while the chunk is in the cache */
#define MAX_DEPTH 64
#define TEXT_SNIFF 8192

/* ---- what a buffer is ---- */

/* Length of the UTF-8 sequence at p (n bytes left), 0 when invalid; a sequence cut by n counts as valid. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
	size_t want, i;

	if (p[0] < 0x80)
		return 1;
	want = p[0] >= 0xc2 && p[0] <= 0xdf ? 2 : (p[0] & 0xf0) == 0xe0 ? 3 : p[0] >= 0xf0 && p[0] <= 0xf4 ? 4 : 0;
	for (i = 1; i < want; i++) {
		if (i >= n)
			return n;
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	}
	return want;
}

/* Text: no NUL, mostly valid UTF-8 (a Latin-1 comment is fine) and few control characters in the first bytes. */
static int is_text(const unsigned char *buf, size_t len)
{
	size_t n = len < TEXT_SNIFF ? len : TEXT_SNIFF, i, odd = 0, step;

	for (i = rs_ascii_words(buf, n, &odd); i < n;) { /* plain ASCII words first: one byte, one character */
		if (buf[i] == 0)
			return 0;
		if (!(step = utf8_len(buf + i, n - i))) {
			odd++;
			step = 1;
		}
		odd += buf[i] < 0x09 || (buf[i] > 0x0d && buf[i] < 0x20);
		i += step;
	}
	return odd <= n / 100 + 2;
}

/* After token a (case-insensitive), separators (spaces, commas, suffixes u U), then token b. */
static int token_pair_at(const unsigned char *p, const unsigned char *end, const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	if ((size_t)(end - p) < la || strncasecmp((const char *)p, a, la))
		return 0;
	for (p += la; p < end && (*p == ' ' || *p == ',' || *p == '\t' || *p == '\n' || *p == '\r' || *p == 'u' || *p == 'U');)
		p++;
	return (size_t)(end - p) >= lb && !strncasecmp((const char *)p, b, lb);
}

/* The markers of PEM, BearSSL anchors and certdata, looked for in one pass (core/needles.c). */
static const char *const marker_strings[] = { "-----BEGIN", "br_x509_trust_anchor", "CKO_CERTIFICATE" };
static struct rs_needles markers;
static int markers_ok;

static void markers_init(void)
{
	markers_ok = rs_needles_init(&markers, marker_strings, RS_ARRAY_LEN(marker_strings)) == 0;
}

static int stop_at_first(void *arg, size_t k, size_t at)
{
	(void)arg;
	(void)k;
	(void)at;
	return -1;
}

static int has_marker(const unsigned char *buf, size_t len)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	size_t i;

	pthread_once(&once, markers_init);
	if (markers_ok)
		return rs_needles_scan(&markers, buf, len, stop_at_first, NULL) < 0;
	for (i = 0; i < RS_ARRAY_LEN(marker_strings); i++)
		if (rs_memmem(buf, len, marker_strings[i], strlen(marker_strings[i])))
			return 1;
	return 0;
}

/* strchr(set, c) != NULL for the array sniff's sets, the terminator included as strchr has it */
static int last_digit_of_item(unsigned char c)
{
	return c == '0' || c == '8' || c == '5' || c == 'd' || c == 'D' || c == 0;
}

static int digit_before_last(unsigned char c)
{
	return c == '3' || c == '4' || c == '6' || c == '5' || c == '2' || c == 0;
}

/* The comma at p ends an item `0x30`, `48`, `060`, `0x2d`, `45` or `055` (u/U suffixes and spaces before it) that
 * one of pairs[] starts, with its partner after. */
static int pair_at_comma(const unsigned char *buf, const unsigned char *end, const unsigned char *p)
{
	static const char *const pairs[][2] = { { "0x30", "0x82" }, { "48", "130" }, { "060", "0202" },
						{ "0x2d", "0x2d" }, { "45", "45" },   { "055", "055" } };
	const unsigned char *q = p;
	size_t i;

	while (q > buf && (q[-1] == ' ' || q[-1] == 'u' || q[-1] == 'U'))
		q--;
	if (q - buf >= 2 && last_digit_of_item(q[-1]) && digit_before_last(q[-2])) { /* ..30 ..48 ..60 ..2d ..45 ..55 */
		while (q > buf && isalnum(q[-1]) && p - q < 8)
			q--;
		for (i = 0; i < RS_ARRAY_LEN(pairs); i++)
			if (token_pair_at(q, end, pairs[i][0], pairs[i][1]))
				return 1;
	}
	return 0;
}

/* A byte that may stand just before such a comma: a space or suffix pair_at_comma skips, or an item's last digit. */
static int before_comma(unsigned char c)
{
	return c == ' ' || c == 'u' || c == 'U' || last_digit_of_item(c);
}

#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>
#define SCAN_AVX2 1

/* A marker (marker_strings) or an array's first pair (pair_at_comma) found from its byte at `at`: a comma, the
 * first '-' of "-----BEGIN", the 'K' of "CKO_CERTIFICATE" or the first '_' of "br_x509_trust_anchor". */
static int anchor_from(const unsigned char *buf, size_t len, size_t at)
{
	switch (buf[at]) {
	case ',':
		return at >= 1 && before_comma(buf[at - 1]) && pair_at_comma(buf, buf + len, buf + at);
	case '-':
		return len - at >= 10 && !memcmp(buf + at, marker_strings[0], 10);
	case '_':
		return at >= 2 && len - (at - 2) >= 20 && !memcmp(buf + at - 2, marker_strings[1], 20);
	case 'K':
		return at >= 1 && len - (at - 1) >= 15 && !memcmp(buf + at - 1, marker_strings[2], 15);
	default:
		return 0;
	}
}

/*
 * may_hold_anchors in one pass where the CPU has AVX2 (checked at run time), 32 positions a step: a comma after a
 * byte before_comma() allows (a nibble lookup a byte: the low nibble's table says which high nibbles are in the
 * set), "--", "KO_" and "_x5" are candidates, looked at whole by anchor_from. The same answer as has_marker and
 * the comma loop; reads no byte outside buf.
 */
__attribute__((target("avx2"))) static int may_hold_anchors_avx2(const unsigned char *buf, size_t len)
{
	/* set: NUL ' ' '0' '5' '8' 'D' 'U' 'd' 'u'; lo[l] has bit h when the byte 0xhl is in it, hi[h] is 1 << h */
	const __m256i lo = _mm256_setr_epi8(0x0d, 0, 0, 0, 0x50, (char)0xa8, 0, 0, 0x08, 0, 0, 0, 0, 0, 0, 0, 0x0d, 0,
					    0, 0, 0x50, (char)0xa8, 0, 0, 0x08, 0, 0, 0, 0, 0, 0, 0);
	const __m256i hi = _mm256_setr_epi8(1, 2, 4, 8, 16, 32, 64, (char)128, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 4, 8, 16,
					    32, 64, (char)128, 0, 0, 0, 0, 0, 0, 0, 0);
	const __m256i nib = _mm256_set1_epi8(0x0f), zero = _mm256_setzero_si256(), comma = _mm256_set1_epi8(','),
		      dash = _mm256_set1_epi8('-'), k = _mm256_set1_epi8('K'), o = _mm256_set1_epi8('O'),
		      us = _mm256_set1_epi8('_'), x = _mm256_set1_epi8('x'), five = _mm256_set1_epi8('5');
	size_t i = 1;

	if (anchor_from(buf, len, 0))
		return 1;
	for (; len >= 34 && i <= len - 34; i += 32) { /* reads buf[i - 1] to buf[i + 33] */
		__m256i p = _mm256_loadu_si256((const __m256i *)(const void *)(buf + i - 1));
		__m256i c = _mm256_loadu_si256((const __m256i *)(const void *)(buf + i));
		__m256i n1 = _mm256_loadu_si256((const __m256i *)(const void *)(buf + i + 1));
		__m256i n2 = _mm256_loadu_si256((const __m256i *)(const void *)(buf + i + 2));
		__m256i in = _mm256_and_si256(_mm256_shuffle_epi8(lo, _mm256_and_si256(p, nib)),
					      _mm256_shuffle_epi8(hi, _mm256_and_si256(_mm256_srli_epi16(p, 4), nib)));
		__m256i cm = _mm256_andnot_si256(_mm256_cmpeq_epi8(in, zero), _mm256_cmpeq_epi8(c, comma));
		__m256i dd = _mm256_and_si256(_mm256_cmpeq_epi8(c, dash), _mm256_cmpeq_epi8(n1, dash));
		__m256i ko = _mm256_and_si256(_mm256_and_si256(_mm256_cmpeq_epi8(c, k), _mm256_cmpeq_epi8(n1, o)),
					      _mm256_cmpeq_epi8(n2, us));
		__m256i x5 = _mm256_and_si256(_mm256_and_si256(_mm256_cmpeq_epi8(c, us), _mm256_cmpeq_epi8(n1, x)),
					      _mm256_cmpeq_epi8(n2, five));
		unsigned m = (unsigned)_mm256_movemask_epi8(_mm256_or_si256(_mm256_or_si256(cm, dd), _mm256_or_si256(ko, x5)));
		for (; m; m &= m - 1)
			if (anchor_from(buf, len, i + (unsigned)__builtin_ctz(m)))
				return 1;
	}
	for (; i < len; i++)
		if (anchor_from(buf, len, i))
			return 1;
	return 0;
}
#endif

/*
 * Whether text can hold anything an extractor finds: a PEM line, a BearSSL anchor, certdata, or a byte array
 * that starts a DER certificate (0x30, 0x82 in hex, decimal or octal) or PEM text (0x2d, 0x2d: xxd -i of a .pem).
 * Most source files hold none, and then the lexer never runs. Source text has a comma every few dozen bytes, so
 * the commas are found sixteen at a time (SSE2), without a call a comma, and only those after a byte that
 * before_comma() allows are looked at.
 */
static int may_hold_anchors(const unsigned char *buf, size_t len)
{
	const unsigned char *end = buf + len;
	size_t i = 1;

#ifdef SCAN_AVX2
	if (__builtin_cpu_supports("avx2"))
		return may_hold_anchors_avx2(buf, len);
#endif
	if (has_marker(buf, len))
		return 1;
	if (len < 2)
		return 0;
#if defined(__SSE2__)
	{
		const __m128i comma = _mm_set1_epi8(',');
		for (; i + 16 <= len; i += 16) {
			unsigned m = (unsigned)_mm_movemask_epi8(
				_mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)(buf + i)), comma));
			for (; m; m &= m - 1) {
				const unsigned char *p = buf + i + (unsigned)__builtin_ctz(m);
				if (before_comma(p[-1]) && pair_at_comma(buf, end, p))
					return 1;
			}
		}
	}
#endif
	for (; i < len; i++)
		if (buf[i] == ',' && before_comma(buf[i - 1]) && pair_at_comma(buf, end, buf + i))
			return 1;
	return 0;
}

/*
 * An include fragment: a file that is only an initializer's integers (`0x30, 0x82, ...`), #included between the
 * braces of an array in a source (`xxd -i` without its declaration, Zephyr's generate_inc_file_for_target).
 */
static int int_fragment(const unsigned char *buf, size_t len)
{
	size_t i = 0;

	while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r' || buf[i] == '\n'))
		i++;
	return i + 2 < len && isdigit(buf[i]) && memchr(buf + i, ',', len - i < 16 ? len - i : 16) &&
	       !memchr(buf, '{', len);
}

static int looks_like_c(const unsigned char *buf, size_t len)
{
	static const char *const marks[] = { "#include", "#define", "#ifndef", "#pragma", "PROGMEM", "const char",
					     "unsigned char", "uint8_t", "static const", "char *", "[] =", "[]=",
					     "br_x509_trust_anchor", "R\"" };
	size_t i;

	for (i = 0; i < RS_ARRAY_LEN(marks); i++)
		if (rs_memmem(buf, len, marks[i], strlen(marks[i])))
			return 1;
	return int_fragment(buf, len);
}

/* A binary file that is one DER certificate (or several), PKCS#7 or PKCS#12: the loader reads it whole. */
static int whole_file(struct rs_scan *s)
{
	struct rs_certlist *list = rs_certlist_new();
	struct rs_load_opts lo = { NULL, s->len + 1, 0 };
	struct rs_error e;
	size_t i;
	int rv = 1;

	/* DER certificates, PKCS#7 and PKCS#12 are all a SEQUENCE (0x30) from the first byte: anything else is for
	 * carving, without a pass over the whole file (the loader would reject it at its first byte) */
	if (!list || s->len == 0 || s->buf[0] != 0x30) {
		rs_certlist_free(list);
		return list ? 1 : rs_fail(s->err, RS_ERR_NOMEM, "out of memory");
	}
	if (rs_memmem(s->buf, s->len, "-----BEGIN ", 11)) {
		rs_certlist_free(list);
		return 1; /* PEM inside binary bytes: carving finds it and any DER beside it */
	}
	if (!list)
		return rs_fail(s->err, RS_ERR_NOMEM, "out of memory");
	if (rs_load_mem(list, s->buf, s->len, s->path, &lo, &e) == 0) {
		for (i = 0, rv = 0; i < rs_certlist_count(list) && rv == 0; i++) {
			const struct rs_location *loc = rs_certlist_location(list, i);
			rv = rs_scan_add_x509(s, rs_cert_get0_x509(rs_certlist_at(list, i)), 0, loc->offset, loc->encoding,
					      RS_TRUST_ANCHOR, NULL);
		}
	} else if (e.code == RS_ERR_PASSWORD) {
		rv = rs_scan_finding(s, "unreadable", 0, 0, "a PKCS#12 file with a password: its certificates were not read");
	}
	rs_certlist_free(list);
	return rv;
}

static int carve_chunks(struct rs_scan *file, const unsigned char *buf, size_t len, size_t limit, long long base);
static int more_findings(struct rs_scan *file);

static int scan_plain(struct rs_scan *s);
static int carve_embedded(struct rs_scan *s);

/* An archive's member: scanned as a file of its own, named "archive!/member". */
static int archive_member(void *arg, const char *name, const unsigned char *buf, size_t len, int depth)
{
	const struct rs_scan *outer = arg;
	size_t before = rs_anchorset_finding_count(outer->set);
	struct rs_scan s;
	int rv;

	memset(&s, 0, sizeof(s));
	s.set = outer->set;
	s.path = name;
	s.buf = buf;
	s.len = len;
	s.err = outer->err;
	s.cancel = outer->cancel;
	s.depth = depth;
	rv = scan_plain(&s);
	rs_anchorset_sort_findings(s.set, before);
	return rv == 0 ? more_findings(&s) : rv;
}

/* What an archive's reading left out (a limit, a corrupt part): a finding on the member or the archive. */
static int archive_note(void *arg, const char *name, const char *message)
{
	const struct rs_scan *outer = arg;
	struct rs_scan s;

	memset(&s, 0, sizeof(s));
	s.set = outer->set;
	s.path = name;
	s.err = outer->err;
	return rs_scan_finding(&s, strncmp(message, "cannot", 6) ? "archive-limit" : "unreadable", 0, 0, "%s", message);
}

static int scan_buffer(struct rs_scan *s)
{
	if (s->len && rs_archive_sniff(s->buf, s->len)) {
		struct rs_archive_cb cb = { archive_member, archive_note, s };
		int rv = rs_archive_each(s->buf, s->len, s->path, s->depth, &cb, s->err);
		if (rv != 1)
			return rv < 0 ? -1 : 0;
	}
	return scan_plain(s);
}

/* A file saved as UTF-16 (PowerShell's `>`): its text narrowed, then read as any text. 1 when it is not UTF-16. */
static int scan_utf16(struct rs_scan *s)
{
	const unsigned char *buf = s->buf;
	unsigned char *narrow;
	size_t len = s->len, n;
	int rv = rs_utf16_narrow(buf, len, &narrow, &n);

	if (rv <= 0)
		return rv < 0 ? rs_fail(s->err, RS_ERR_NOMEM, "out of memory reading '%s'", s->path) : 1;
	s->buf = narrow;
	s->len = n;
	rv = scan_plain(s);
	s->buf = buf;
	s->len = len;
	free(narrow);
	return rv;
}

/*
 * A file named ca-certificates.conf in an etc directory (a root file system's /etc, or an archive member's): its
 * "!NAME" lines deselect usr/share/ca-certificates/NAME beside that etc (extract.h). 0 or -1.
 */
static int ca_conf(struct rs_scan *s)
{
	static const char conf[] = "etc/ca-certificates.conf", src[] = "usr/share/ca-certificates/";
	size_t n = strlen(s->path), pre = n - (sizeof(conf) - 1), i = 0, e;
	struct rs_buf path = RS_BUF_INIT;
	int rv = 0;

	if (n < sizeof(conf) - 1 || strcmp(s->path + pre, conf) || (pre && s->path[pre - 1] != '/'))
		return 0;
	while (i < s->len && !rv) {
		const unsigned char *nl = memchr(s->buf + i, '\n', s->len - i);
		e = nl ? (size_t)(nl - s->buf) : s->len;
		while (e > i && (s->buf[e - 1] == '\r' || s->buf[e - 1] == ' ' || s->buf[e - 1] == '\t'))
			e--;
		if (e > i + 1 && s->buf[i] == '!' && memchr(s->buf + i, '\0', e - i) == NULL) {
			path.len = 0;
			if (rs_buf_add(&path, s->path, pre) || rs_buf_add(&path, src, sizeof(src) - 1) ||
			    rs_buf_add(&path, s->buf + i + 1, e - i - 1) || rs_buf_add(&path, "", 1))
				rv = rs_fail(s->err, RS_ERR_NOMEM, "out of memory");
			else
				rv = rs_anchorset_deselect(s->set, path.data, s->err);
		}
		i = nl ? (size_t)(nl - s->buf) + 1 : s->len;
	}
	rs_buf_release(&path);
	return rv;
}

static int scan_plain(struct rs_scan *s)
{
	int rv;

	if (s->len == 0)
		return 0;
	if ((rv = scan_utf16(s)) <= 0)
		return rv;
	if (ca_conf(s) < 0)
		return -1;
	if (is_text(s->buf, s->len)) {
		s->binary = 0;
		if (!may_hold_anchors(s->buf, s->len))
			return 0;
		if (rs_is_certdata(s->buf, s->len))
			return rs_extract_certdata(s) < 0 ? -1 : 0;
		if (looks_like_c(s->buf, s->len))
			return rs_extract_csource(s) < 0 ? -1 : 0;
		return rs_extract_pem(s, s->buf, s->len, NULL, "pem") < 0 ? -1 : 0;
	}
	s->binary = 1;
	if (rs_is_espidf(s->buf, s->len))
		return rs_extract_espidf(s) < 0 ? -1 : 0;
	if ((rv = whole_file(s)) <= 0)
		return rv;
	if (rs_extract_espidf_embedded(s) < 0)
		return -1;
	return carve_embedded(s);
}

/*
 * A binary that is no archive at its start may hold file systems and compressed streams further in (a firmware
 * blob: a kernel, then a SquashFS): each is read as a member "BLOB!@OFFSET" (archive.c), and the blob is carved
 * around the file systems read (an ext4 image's files are its own, by name: a deleted certificate in its free
 * blocks is not the device's). With s->found the caller reads them (pinscan.c): listed there, and carved around.
 */
static int carve_embedded(struct rs_scan *s)
{
	struct rs_embedded_list own, *l = s->found ? s->found : &own;
	size_t at = 0, i;

	l->n = l->more = 0;
	if (s->depth < RS_ARCHIVE_MAX_DEPTH &&
	    rs_embedded_find(s->buf, s->len, l->v, RS_ARRAY_LEN(l->v), &l->n, &l->more) < 0)
		return rs_fail(s->err, RS_ERR_NOMEM, "out of memory reading '%s'", s->path);
	if (l->n && !s->found) {
		struct rs_archive_cb cb = { archive_member, archive_note, s };
		if (rs_archive_embedded(s->buf, s->len, s->path, s->depth, l->v, l->n, l->more, &cb, s->err) < 0)
			return -1;
	}
	for (i = 0; i < l->n; i++) {
		if (!l->v[i].sized || l->v[i].note || (!s->found && !l->v[i].opened))
			continue;
		if (l->v[i].offset > at && carve_chunks(s, s->buf + at, l->v[i].offset - at, 0, s->base + (long long)at) < 0)
			return -1;
		at = l->v[i].offset + l->v[i].size;
	}
	return at < s->len ? carve_chunks(s, s->buf + at, s->len - at, 0, s->base + (long long)at) : 0;
}

int rs_anchorset_scan_blob(struct rs_anchorset *set, const unsigned char *buf, size_t len, const char *name,
			   const struct rs_scan_opts *opts, int depth, struct rs_embedded_list *found,
			   struct rs_error *err)
{
	size_t before = rs_anchorset_finding_count(set);
	struct rs_scan s;
	int rv;

	memset(&s, 0, sizeof(s));
	s.set = set;
	s.path = name ? name : "(memory)";
	s.buf = buf;
	s.len = len;
	s.err = err;
	s.cancel = opts ? opts->cancel : NULL;
	s.depth = depth;
	s.found = found;
	if (found)
		found->n = found->more = 0;
	rv = scan_buffer(&s);
	if (rv == 0 && rs_anchorset_apply_deselect(set, err) < 0)
		rv = -1;
	rs_anchorset_sort_findings(set, before);
	return rv == 0 ? more_findings(&s) : rv;
}

int rs_anchorset_scan_mem(struct rs_anchorset *set, const unsigned char *buf, size_t len, const char *name,
			  const struct rs_scan_opts *opts, struct rs_error *err)
{
	return rs_anchorset_scan_blob(set, buf, len, name, opts, 0, NULL, err);
}

/* ---- files ---- */

/*
 * Carves buf (at byte base of the file) chunk by chunk: each pass (DER, PEM) sees a chunk while it is in the
 * cache, and a certificate that starts in a chunk may run into the next OVERLAP bytes. file holds the file's
 * path and its count of findings.
 */
static int carve_chunks(struct rs_scan *file, const unsigned char *buf, size_t len, size_t limit, long long base)
{
	size_t at;

	if (!limit)
		limit = len;
	for (at = 0; at < limit; at += CHUNK) {
		struct rs_scan s;
		int rv;

		if (rs_scan_cancelled(file->cancel, file->err))
			return -1;
		memset(&s, 0, sizeof(s));
		s.set = file->set;
		s.path = file->path;
		s.err = file->err;
		s.cancel = file->cancel;
		s.nfindings = file->nfindings;
		s.buf = buf + at;
		s.len = len - at < (size_t)CHUNK + OVERLAP ? len - at : (size_t)CHUNK + OVERLAP;
		s.binary = 1;
		s.base = base + (long long)at;
		s.limit = limit - at < CHUNK ? limit - at : CHUNK;
		if (s.limit >= s.len)
			s.limit = 0;
		rv = rs_extract_carve(&s, s.buf, s.len, NULL, "carved-der");
		file->nfindings = s.nfindings;
		if (rv < 0)
			return -1;
	}
	return 0;
}

/* After a file: how many findings were only counted. */
static int more_findings(struct rs_scan *file)
{
	size_t more;

	if (file->nfindings <= RS_MAX_FINDINGS)
		return 0;
	more = file->nfindings - RS_MAX_FINDINGS;
	file->nfindings = 0;
	return rs_scan_finding(file, "more-findings", 0, 0, "%zu more findings in this file are not listed", more);
}

/*
 * Whether a large file holds a file system or a compressed stream that can be read (a firmware blob): looked for
 * window by window, each unmapped before the next, so that the look costs no more memory than carving. 1, 0, -1;
 * with 0, notes[] (at most max, *n of them) holds the first of each format read nowhere here (a UBI image in a NAND
 * dump), offsets in the file.
 */
static int look_inside(int fd, unsigned long long size, const char *path, struct rs_embedded *notes, size_t max,
		       size_t *n, struct rs_error *err)
{
	struct rs_embedded v[8];
	unsigned long long at;
	size_t more, got, i, k;
	int rv;

	*n = 0;
	for (at = 0; at < size; at += WINDOW) {
		size_t len = (size_t)(size - at < (unsigned long long)WINDOW + OVERLAP ? size - at : WINDOW + OVERLAP);
		void *map = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, (off_t)at);

		if (map == MAP_FAILED)
			return rs_fail(err, RS_ERR_IO, "cannot map '%s': %s", path, strerror(errno));
		posix_madvise(map, len, POSIX_MADV_SEQUENTIAL);
		rv = rs_embedded_find(map, len, v, RS_ARRAY_LEN(v), &got, &more);
		munmap(map, len);
		if (rv < 0)
			return rs_fail(err, RS_ERR_NOMEM, "out of memory reading '%s'", path);
		for (i = 0; i < got; i++) {
			if (!v[i].note)
				return 1;
			for (k = 0; k < *n && strcmp(notes[k].what, v[i].what); k++)
				;
			if (k == *n && *n < max) {
				notes[(*n)++] = v[i];
				notes[k].offset += (size_t)at;
			}
		}
	}
	return 0;
}

/* A large file: carved in windows that are mapped one at a time, so memory stays bounded. */
static int scan_windows(struct rs_anchorset *set, const char *path, int fd, unsigned long long size,
			const struct rs_scan_opts *opts, const struct rs_embedded *notes, size_t nnotes,
			struct rs_error *err)
{
	size_t before = rs_anchorset_finding_count(set), i;
	struct rs_scan file = { .set = set, .path = path, .err = err, .binary = 1, .cancel = opts ? opts->cancel : NULL };
	unsigned long long at;
	int rv = 0;

	for (at = 0; at < size && rv == 0; at += WINDOW) {
		size_t len = (size_t)(size - at < (unsigned long long)WINDOW + OVERLAP ? size - at : WINDOW + OVERLAP);
		void *map = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, (off_t)at);

		if (map == MAP_FAILED)
			return rs_fail(err, RS_ERR_IO, "cannot map '%s': %s", path, strerror(errno));
		posix_madvise(map, len, POSIX_MADV_SEQUENTIAL);
		rv = carve_chunks(&file, map, len, len > WINDOW ? WINDOW : 0, (long long)at);
		munmap(map, len);
	}
	for (i = 0; i < nnotes && rv == 0; i++) { /* "BLOB!@OFFSET": a format read nowhere here, what to unpack it with */
		struct rs_buf name = RS_BUF_INIT;
		if (rs_buf_addf(&name, "%s!@%zu", path, notes[i].offset) < 0)
			rv = rs_fail(err, RS_ERR_NOMEM, "out of memory");
		else {
			struct rs_scan s = { .set = set, .path = name.data, .err = err };
			rv = rs_scan_finding(&s, "unreadable", 0, 0, "%s", notes[i].note);
		}
		rs_buf_release(&name);
	}
	rs_anchorset_sort_findings(set, before);
	return rv == 0 ? more_findings(&file) : rv;
}

/* Small files are read into one reused buffer: cheaper than a mapping per file. */
#define SMALL_FILE (1u << 20)

static int read_small(int fd, struct rs_buf *b, size_t size, const char *path, struct rs_error *err)
{
	size_t got = 0;

	b->len = 0;
	if (rs_buf_grow(b, size) < 0)
		return rs_fail(err, RS_ERR_NOMEM, "out of memory reading '%s'", path);
	while (got < size) {
		ssize_t n = read(fd, b->data + got, size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return rs_fail(err, RS_ERR_IO, "cannot read '%s': %s", path, strerror(errno));
		if (n == 0)
			break;
		got += (size_t)n;
	}
	b->len = got;
	return 0;
}

static int scan_file(struct rs_anchorset *set, const char *path, int fd, size_t size, const struct rs_scan_opts *opts,
		     struct rs_buf *small, struct rs_error *err)
{
	void *map;
	int rv;

	unsigned char head[2048]; /* an ext2/3/4 superblock's magic is at byte 1080 */
	struct rs_embedded notes[8];
	size_t nnotes;
	ssize_t got;

	if (size == 0)
		return 0;
	/* a large archive is expanded in memory like a small one, and so is a blob holding file systems; anything
	 * else is carved window by window */
	if (size > WINDOW && !((got = pread(fd, head, sizeof(head), 0)) > 0 && rs_archive_sniff(head, (size_t)got)) &&
	    (rv = look_inside(fd, size, path, notes, RS_ARRAY_LEN(notes), &nnotes, err)) <= 0)
		return rv < 0 ? -1 : scan_windows(set, path, fd, size, opts, notes, nnotes, err);
	if (size <= SMALL_FILE) {
		if (read_small(fd, small, size, path, err) < 0)
			return -1;
		return rs_anchorset_scan_mem(set, (unsigned char *)small->data, small->len, path, opts, err);
	}
	map = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (map == MAP_FAILED)
		return rs_fail(err, RS_ERR_IO, "cannot map '%s': %s", path, strerror(errno));
	posix_madvise(map, size, POSIX_MADV_SEQUENTIAL);
	rv = rs_anchorset_scan_mem(set, map, size, path, opts, err);
	munmap(map, size);
	return rv;
}

/* ---- trees: each directory and file once (symlink loops, hashed directories, hard links) ---- */

struct devino {
	dev_t dev;
	ino_t ino;
	int used;
};

struct walk {
	struct rs_anchorset *set;
	const struct rs_scan_opts *opts;
	struct rs_error *err;
	struct devino *seen;
	size_t nseen, capseen;
	unsigned long long files, bytes, max;
	struct rs_buf small; /* reused for small files */
	struct rs_buf root;  /* the image's root given by the caller (audit --root), else empty: found per link */
	struct rs_buf found; /* the last image root found for a link, and the directory it was found for */
	struct rs_buf found_for;
};

static size_t devino_hash(dev_t dev, ino_t ino, size_t cap)
{
	unsigned long long h = (unsigned long long)ino * 0x9e3779b97f4a7c15ull ^ (unsigned long long)dev;

	return (size_t)(h ^ (h >> 29)) & (cap - 1);
}

static int seen_grow(struct walk *w)
{
	size_t cap = w->capseen ? w->capseen * 2 : 1024, i, h;
	struct devino *v = calloc(cap, sizeof(*v));

	if (!v)
		return -1;
	for (i = 0; i < w->capseen; i++) {
		if (!w->seen[i].used)
			continue;
		for (h = devino_hash(w->seen[i].dev, w->seen[i].ino, cap); v[h].used; h = (h + 1) & (cap - 1))
			;
		v[h] = w->seen[i];
	}
	free(w->seen);
	w->seen = v;
	w->capseen = cap;
	return 0;
}

/* 1 when seen before, 0 when new (now recorded), -1 when out of memory. */
static int seen_before(struct walk *w, const struct stat *st)
{
	size_t h;

	if ((w->nseen + 1) * 2 > w->capseen && seen_grow(w) < 0)
		return -1;
	for (h = devino_hash(st->st_dev, st->st_ino, w->capseen); w->seen[h].used; h = (h + 1) & (w->capseen - 1))
		if (w->seen[h].dev == st->st_dev && w->seen[h].ino == st->st_ino)
			return 1;
	w->seen[h].dev = st->st_dev;
	w->seen[h].ino = st->st_ino;
	w->seen[h].used = 1;
	w->nseen++;
	return 0;
}

static int walk_path(struct walk *w, const char *path, int depth, int top);

static int walk_dir(struct walk *w, const char *path, int depth)
{
	char **names = NULL;
	size_t n = 0, i, plen = strlen(path);
	int rv = 0;

	if (depth > MAX_DEPTH) {
		struct rs_scan s = { .set = w->set, .path = path, .err = w->err };
		return rs_scan_finding(&s, "unreadable", 0, 0, "nested more than %d directories deep: not read", MAX_DEPTH);
	}
	if (rs_list_dir(path, &names, &n, w->err) < 0)
		return -1;
	for (i = 0; i < n && rv == 0; i++) {
		struct rs_buf child = RS_BUF_INIT;
		if (rs_buf_addf(&child, "%s%s%s", path, plen && path[plen - 1] == '/' ? "" : "/", names[i]) < 0)
			rv = rs_fail(w->err, RS_ERR_NOMEM, "out of memory");
		else
			rv = walk_path(w, child.data, depth + 1, 0);
		rs_buf_release(&child);
	}
	rs_free_names(names, n);
	return rv;
}

/* Inside a tree, a file that cannot be read is a finding; at the top it is an error. */
static int unreadable(struct walk *w, const char *path, int top, const char *why)
{
	struct rs_scan s = { .set = w->set, .path = path, .err = w->err };

	if (top)
		return rs_fail(w->err, RS_ERR_IO, "cannot read '%s': %s", path, why);
	return rs_scan_finding(&s, "unreadable", 0, 0, "cannot read: %s", why);
}

/* Scans file under the name path (a link's, when file is the image file it names). */
static int walk_file(struct walk *w, const char *path, const char *file, const struct stat *st, int top)
{
	int fd, rv;
	char limit[64];

	if (rs_scan_cancelled(w->opts ? w->opts->cancel : NULL, w->err))
		return -1;
	if ((unsigned long long)st->st_size > w->max) {
		snprintf(limit, sizeof(limit), "larger than %llu bytes", w->max);
		return unreadable(w, path, top, limit);
	}
	if ((fd = open(file, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)) < 0)
		return unreadable(w, path, top, strerror(errno));
	rv = scan_file(w->set, path, fd, (size_t)st->st_size, w->opts, &w->small, w->err);
	close(fd);
	w->files++;
	w->bytes += (unsigned long long)st->st_size;
	if (w->opts && w->opts->progress)
		w->opts->progress(w->opts->progress_arg, path, w->files, w->bytes);
	return rv;
}

/* 1 when dir holds etc/ and usr/ directories: the root of a Linux file system. */
static int looks_like_root(const char *dir)
{
	char p[PATH_MAX + 8];
	struct stat st;

	snprintf(p, sizeof(p), "%s/etc", dir);
	if (stat(p, &st) < 0 || !S_ISDIR(st.st_mode))
		return 0;
	snprintf(p, sizeof(p), "%s/usr", dir);
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/*
 * The root of the unpacked image that the link at path lies in: the caller's (audit --root), or the nearest
 * directory above the link's own that holds etc/ and usr/, never this host's /. The last answer is kept for the
 * link's directory (a CA directory holds hundreds of links). 1 found, 0 none, -1 no memory.
 */
static int image_root(struct walk *w, const char *path, const struct rs_buf **root)
{
	char real[PATH_MAX], *slash;
	const char *base = strrchr(path, '/');
	struct rs_buf dir = RS_BUF_INIT;
	int rv = 0;

	*root = w->root.len ? &w->root : &w->found;
	if (w->root.len)
		return 1;
	if (rs_buf_addf(&dir, "%.*s", base ? (int)(base - path) + (base == path) : 1, base ? path : ".") < 0)
		return -1;
	if (w->found_for.len && !strcmp(w->found_for.data, dir.data)) {
		rs_buf_release(&dir);
		return w->found.len > 0;
	}
	w->found.len = w->found_for.len = 0;
	if (rs_buf_addf(&w->found_for, "%s", dir.data) < 0)
		rv = -1;
	else if (realpath(dir.data, real)) {
		while (real[0] && strcmp(real, "/") && !looks_like_root(real) && (slash = strrchr(real, '/')))
			*slash = '\0';
		if (real[0] && strcmp(real, "/"))
			rv = rs_buf_addf(&w->found, "%s", real) < 0 ? -1 : 1;
	}
	rs_buf_release(&dir);
	if (rv < 0)
		w->found_for.len = 0;
	return rv;
}

/*
 * A link inside an unpacked image whose target is absolute (Debian's /etc/ssl/certs/X.pem ->
 * /usr/share/ca-certificates/mozilla/X.crt) means the image's file, not this host's: followed link by link (at most
 * 16) with the image's root before each absolute target, into *out. 1 when path is not such a link (stat it as it
 * is), 0 when resolved, -1 no memory.
 */
static int resolve_in_root(struct walk *w, const char *path, struct rs_buf *out)
{
	const struct rs_buf *root;
	char target[4096];
	struct stat st;
	int hops = 0, absolute = 0, r;

	out->len = 0;
	if (rs_buf_add(out, path, strlen(path) + 1) < 0)
		return -1;
	while (hops++ < 16 && lstat(out->data, &st) == 0 && S_ISLNK(st.st_mode)) {
		ssize_t n = readlink(out->data, target, sizeof(target) - 1);
		char *slash;
		if (n <= 0)
			break;
		target[n] = '\0';
		if (target[0] == '/') {
			if ((r = image_root(w, out->data, &root)) <= 0)
				return r < 0 ? -1 : 1; /* not in an image: the host's file is meant */
			absolute = 1;
			out->len = 0;
			if (rs_buf_addf(out, "%.*s%s", (int)root->len, root->data, target) < 0)
				return -1;
		} else {
			slash = strrchr(out->data, '/');
			out->len = slash ? (size_t)(slash - out->data) + 1 : 0;
			if (rs_buf_addf(out, "%s", target) < 0)
				return -1;
		}
	}
	return absolute ? 0 : 1;
}

/* Reads path (a link's name when file is the image's file it names, else path itself): a directory walked, a
 * regular file scanned, anything else listed as unreadable. */
static int walk_one(struct walk *w, const char *path, const char *file, int depth, int top)
{
	struct stat st;
	int seen;

	if (stat(file, &st) < 0) {
		if (!top && lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
			return 0; /* a dangling link, as /etc/ssl/certs can have */
		return unreadable(w, path, top, strerror(errno));
	}
	if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode)) /* inside a tree: listed with why, never silent */
		return top ? rs_fail(w->err, RS_ERR_IO, "'%s' is not a regular file or directory", path)
			   : unreadable(w, path, 0, "a special file (device, socket or pipe)");
	if ((seen = seen_before(w, &st)) < 0)
		return rs_fail(w->err, RS_ERR_NOMEM, "out of memory");
	if (seen)
		return 0;
	return S_ISDIR(st.st_mode) ? walk_dir(w, file, depth) : walk_file(w, path, file, &st, top);
}

static int walk_path(struct walk *w, const char *path, int depth, int top)
{
	struct rs_buf img = RS_BUF_INIT;
	struct stat st;
	int rv;

	if (lstat(path, &st) < 0 || !S_ISLNK(st.st_mode))
		return walk_one(w, path, path, depth, top);
	if ((rv = resolve_in_root(w, path, &img)) < 0)
		rv = rs_fail(w->err, RS_ERR_NOMEM, "out of memory");
	else
		rv = walk_one(w, path, rv == 0 ? img.data : path, depth, top);
	rs_buf_release(&img);
	return rv;
}

static int walk_top(struct walk *w, const char *path)
{
	return walk_path(w, path, 0, 1);
}

static void walk_init(struct walk *w, struct rs_anchorset *set, const struct rs_scan_opts *opts, struct rs_error *err)
{
	memset(w, 0, sizeof(*w));
	w->set = set;
	w->opts = opts;
	w->err = err;
	w->max = opts && opts->max_file_bytes ? opts->max_file_bytes : DEFAULT_MAX;
}

int rs_anchorset_scan_path(struct rs_anchorset *set, const char *path, const struct rs_scan_opts *opts,
			   struct rs_error *err)
{
	struct walk w;
	int rv;

	walk_init(&w, set, opts, err);
	rv = walk_top(&w, path);
	if (rv == 0 && rs_anchorset_apply_deselect(set, err) < 0)
		rv = -1;
	free(w.seen);
	rs_buf_release(&w.small);
	rs_buf_release(&w.root);
	rs_buf_release(&w.found);
	rs_buf_release(&w.found_for);
	return rv;
}

/* ---- the operating system's store ---- */

static const char *const system_paths[] = {
	"/etc/ssl/certs/ca-certificates.crt",                /* Debian, Ubuntu, Alpine: the bundle OpenSSL reads */
	"/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem", /* Fedora, RHEL: anchors trusted for TLS */
	"/etc/pki/tls/certs/ca-bundle.crt",                  /* Fedora, RHEL: the classic bundle path */
	"/etc/ssl/cert.pem",                                 /* Alpine, LibreSSL and the BSDs */
	"/etc/ssl/certs",                                    /* OpenSSL's CApath: per-certificate files, hashed links */
	NULL,
};

const char *const *rs_system_store_paths(void)
{
	return system_paths;
}

int rs_anchorset_scan_system(struct rs_anchorset *set, const char *root, const struct rs_scan_opts *opts,
			     struct rs_error *err)
{
	struct walk w;
	struct stat st;
	size_t i, found = 0;
	int rv = 0;

	walk_init(&w, set, opts, err);
	if (!root || !strcmp(root, "/"))
		root = "";
	if (*root && rs_buf_add(&w.root, root, strlen(root)) < 0) /* links in the image resolve inside it */
		return rs_fail(err, RS_ERR_NOMEM, "out of memory");
	for (i = 0; system_paths[i] && rv == 0; i++) {
		struct rs_buf p = RS_BUF_INIT;
		if (rs_buf_addf(&p, "%s%s", root, system_paths[i]) < 0)
			rv = rs_fail(err, RS_ERR_NOMEM, "out of memory");
		else if (stat(p.data, &st) == 0) {
			found++;
			rv = walk_top(&w, p.data);
		}
		rs_buf_release(&p);
	}
	free(w.seen);
	rs_buf_release(&w.small);
	rs_buf_release(&w.root);
	rs_buf_release(&w.found);
	rs_buf_release(&w.found_for);
	if (rv == 0 && !found)
		rv = rs_fail(err, RS_ERR_NOTFOUND, "no system trust store found under '%s' (see docs/audit.md)", *root ? root : "/");
	return rv;
}
