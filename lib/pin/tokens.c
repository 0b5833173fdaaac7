/*
 * tokens.c: digests written in text. One forward pass over the buffer; everything here is bounds-checked against
 * len and never reads past it (fuzz/fuzz_pintokens.c).
 */
#include "pin.h"

#include <pthread.h>
#include <string.h>

/* 0-15 for a hex digit, 16 for another word character (letters, digits, '_'), 17 for anything else. */
static unsigned char cls[256];
#define WORD 16
#define OTHER 17

static void init_cls(void)
{
	int c;

	for (c = 0; c < 256; c++)
		cls[c] = OTHER;
	for (c = 'g'; c <= 'z'; c++)
		cls[c] = cls[c - 'a' + 'A'] = WORD;
	cls['_'] = WORD;
	for (c = 0; c < 10; c++)
		cls['0' + c] = (unsigned char)c;
	for (c = 0; c < 6; c++)
		cls['a' + c] = cls['A' + c] = (unsigned char)(10 + c);
}

static int is_hex(const unsigned char *buf, size_t len, size_t i)
{
	return i < len && cls[buf[i]] < 16;
}

static int is_word(const unsigned char *buf, size_t len, size_t i)
{
	return i < len && cls[buf[i]] <= WORD;
}

/* A byte outside a binary's printable runs (printable ASCII and tab): a line break of its printable view. */
static int unprintable(unsigned char b)
{
	return (b < 0x20 || b >= 0x7f) && b != '\t';
}

/* White space between the items of a 0x list; in a binary every unprintable byte is a line break, so white. */
static int list_space(unsigned char b, int binary)
{
	return b == ' ' || b == '\t' || (binary ? unprintable(b) : b == '\r' || b == '\n');
}

static unsigned char byte_at(const unsigned char *p)
{
	return (unsigned char)(cls[p[0]] << 4 | cls[p[1]]);
}

/* A continuous run of n hex digits at i: 40 or 64, mixed digits and letters. */
static int continuous(const unsigned char *buf, size_t i, size_t n, struct rs_pin_token *t)
{
	size_t k, digits = 0;

	if (n != 40 && n != 64)
		return 0;
	for (k = 0; k < n; k++)
		digits += cls[buf[i + k]] < 10;
	if (digits == 0 || digits == n)
		return 0;
	for (k = 0; k < n / 2; k++)
		t->bytes[k] = byte_at(buf + i + 2 * k);
	t->nbytes = n / 2;
	t->start = i;
	t->end = i + n;
	t->notation = "hex";
	return 1;
}

/* Two-digit groups joined by one separator: "AB:CD:...". */
static int grouped(const unsigned char *buf, size_t len, size_t i, struct rs_pin_token *t)
{
	unsigned char sep;
	size_t n = 0, j = i;

	if (i + 2 >= len)
		return 0;
	sep = buf[i + 2];
	if (sep != ':' && sep != ' ' && sep != '-')
		return 0;
	while (n < 33 && is_hex(buf, len, j) && is_hex(buf, len, j + 1) && !is_word(buf, len, j + 2)) {
		if (n < 32)
			t->bytes[n] = byte_at(buf + j);
		n++;
		j += 2;
		if (j + 2 < len && buf[j] == sep && is_hex(buf, len, j + 1))
			j++;
		else
			break;
	}
	if (n != 20 && n != 32)
		return 0;
	if (j < len && buf[j] == sep && is_hex(buf, len, j + 1)) /* more groups follow: part of something longer */
		return 0;
	t->nbytes = n;
	t->start = i;
	t->end = j;
	t->notation = sep == ':' ? "colon" : sep == ' ' ? "space" : "dash";
	return 1;
}

/* "0xNN" items separated by commas (and white space): exactly 20 or 32 of them. */
static int array(const unsigned char *buf, size_t len, size_t i, size_t *stop, struct rs_pin_token *t, int binary)
{
	size_t n = 0, j = i, last = i;

	while (j + 3 < len && buf[j] == '0' && (buf[j + 1] == 'x' || buf[j + 1] == 'X') && is_hex(buf, len, j + 2) &&
	       is_hex(buf, len, j + 3) && !is_word(buf, len, j + 4)) {
		if (n < 32)
			t->bytes[n] = byte_at(buf + j + 2);
		n++;
		last = j + 4;
		j += 4;
		while (j < len && list_space(buf[j], binary))
			j++;
		if (j >= len || buf[j] != ',')
			break;
		j++;
		while (j < len && list_space(buf[j], binary))
			j++;
	}
	*stop = last > i ? last : i + 1;
	if (n != 20 && n != 32)
		return 0;
	t->nbytes = n;
	t->start = i;
	t->end = last;
	t->notation = "0x-array";
	return 1;
}

/* "\xNN" escapes, exactly 20 or 32 in a row. */
static int escaped(const unsigned char *buf, size_t len, size_t i, size_t *stop, struct rs_pin_token *t)
{
	size_t n = 0, j = i;

	while (j + 3 < len && buf[j] == '\\' && buf[j + 1] == 'x' && is_hex(buf, len, j + 2) && is_hex(buf, len, j + 3) &&
	       !is_hex(buf, len, j + 4)) {
		if (n < 32)
			t->bytes[n] = byte_at(buf + j + 2);
		n++;
		j += 4;
	}
	*stop = j > i ? j : i + 1;
	if (n != 20 && n != 32)
		return 0;
	t->nbytes = n;
	t->start = i;
	t->end = j;
	t->notation = "escaped";
	return 1;
}

/* One step of the tokenizer at i: returns where the next step starts, or sets *hit when t holds a token. */
static size_t step(const unsigned char *buf, size_t len, size_t i, struct rs_pin_token *t, int *hit, int binary)
{
	unsigned char c = cls[buf[i]];
	size_t j, stop;

	if (c == OTHER) {
		if (buf[i] == '\\' && i + 1 < len && buf[i + 1] == 'x') {
			if (escaped(buf, len, i, &stop, t)) {
				*hit = 1;
				return t->end;
			}
			return stop;
		}
		return i + 1;
	}
	if (c == WORD) { /* skip the rest of a word that starts with a non-hex letter */
		while (i < len && cls[buf[i]] <= WORD)
			i++;
		return i;
	}
	/* a word starting with a hex digit: a digest, a 0x list, a group, or nothing */
	if (buf[i] == '0' && i + 1 < len && (buf[i + 1] == 'x' || buf[i + 1] == 'X')) {
		if (array(buf, len, i, &stop, t, binary)) {
			*hit = 1;
			return t->end;
		}
		for (i = stop; i < len && cls[buf[i]] <= WORD;)
			i++;
		return i;
	}
	for (j = i; j < len && cls[buf[j]] < 16;)
		j++;
	if (j == len || cls[buf[j]] == OTHER) {
		if (continuous(buf, i, j - i, t) || (j - i == 2 && grouped(buf, len, i, t))) {
			*hit = 1;
			return t->end;
		}
		if (j - i == 2 && j + 1 < len && (buf[j] == ':' || buf[j] == ' ' || buf[j] == '-')) {
			/* a group that is not a digest: skip every group of its run */
			unsigned char sep = buf[j];
			while (j + 2 < len && buf[j] == sep && is_hex(buf, len, j + 1) && is_hex(buf, len, j + 2) &&
			       !is_word(buf, len, j + 3))
				j += 3;
		}
		return j;
	}
	while (j < len && cls[buf[j]] <= WORD) /* hex digits followed by other letters: one word */
		j++;
	return j;
}

/*
 * Every token is a run of bytes of class HEXD or INNER holding at least 40 hex digits, and no step of the
 * tokenizer jumps over a HARD byte: a step that starts before it ends at or before it. So the tokenizer may skip
 * to just after the last HARD byte before such a run and find the same tokens. Runs are found by probing the
 * PROBE_LEN bytes at every PROBE-th offset and widening the probes that hit: a run of 40 bytes or more holds at
 * least four whole 8-byte blocks at multiples of 8 (40 - 2 * 7 = 26, rounded up to 32), so one of them starts at
 * a multiple of PROBE (32), and eight bytes of source text that are all hex digits or separators are rare, where
 * one such byte is every other one.
 */
enum { HEXD, INNER, SOFT, HARD };
#define PROBE 32
#define PROBE_LEN 8
#define MIN_HEX 40
static unsigned char span_text[256], span_bin[256]; /* span_bin: a binary's, unprintable bytes are line breaks */

static void init_tables(void)
{
	int c;

	init_cls();
	for (c = 0; c < 256; c++)
		span_text[c] = cls[c] < 16 ? HEXD : cls[c] == WORD ? SOFT : HARD;
	span_text['x'] = span_text['X'] = span_text['\\'] = span_text[':'] = span_text['-'] = span_text[','] = INNER;
	span_text[' '] = span_text['\t'] = span_text['\r'] = span_text['\n'] = INNER;
	for (c = 0; c < 256; c++)
		span_bin[c] = unprintable((unsigned char)c) ? INNER : span_text[c];
}

/* Whether the PROBE_LEN bytes at q (those before len) are all HEXD or INNER: an OR of their classes stays below
 * SOFT (HEXD 0, INNER 1, SOFT 2, HARD 3). Without a branch a byte: they are rarely all so. */
static int probe_hits(const unsigned char *span, const unsigned char *buf, size_t len, size_t q)
{
	const unsigned char *p = buf + q;
	unsigned m;
	size_t k;

	if (len - q >= PROBE_LEN)
		m = span[p[0]] | span[p[1]] | span[p[2]] | span[p[3]] | span[p[4]] | span[p[5]] | span[p[6]] | span[p[7]];
	else
		for (m = 0, k = 0; k < len - q; k++)
			m |= span[p[k]];
	return m < SOFT;
}

/* The first run in [from, len) that may hold a token: [*s, *e). */
static int next_run(const unsigned char *span, const unsigned char *buf, size_t len, size_t from, size_t *s, size_t *e)
{
	size_t q = (from + PROBE - 1) / PROBE * PROBE, a, b, hex;

	while (q < len) {
		if (!probe_hits(span, buf, len, q)) {
			q += PROBE;
			continue;
		}
		for (a = q; a > from && span[buf[a - 1]] < SOFT;)
			a--;
		for (b = a, hex = 0; b < len && span[buf[b]] < SOFT; b++)
			hex += span[buf[b]] == HEXD;
		if (hex >= MIN_HEX) {
			*s = a;
			*e = b;
			return 1;
		}
		q = (b / PROBE + 1) * PROBE;
	}
	return 0;
}

int rs_pin_next_hex_in(const unsigned char *buf, size_t len, size_t *pos, struct rs_pin_token *t, int binary)
{
	size_t i = *pos, s, e;
	int hit = 0;
	const unsigned char *span;

	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, init_tables);
	span = binary ? span_bin : span_text;
	while (i < len && next_run(span, buf, len, i, &s, &e)) {
		while (s > i && span[buf[s - 1]] != HARD)
			s--;
		for (i = s; i < e;) {
			i = step(buf, len, i, t, &hit, binary);
			if (hit) {
				*pos = i;
				return 1;
			}
		}
	}
	*pos = len;
	return 0;
}

int rs_pin_next_hex(const unsigned char *buf, size_t len, size_t *pos, struct rs_pin_token *t)
{
	return rs_pin_next_hex_in(buf, len, pos, t, 0);
}

size_t rs_pin_cut(const unsigned char *buf, size_t at, size_t limit)
{
	/* HARD in both span tables (no step jumps over one) and outside sha256/ pins' bytes and separators */
	static const char cuts[] = ";(){}[]!#$%&*.<?@^`|~";

	for (; at < limit; at++)
		if (buf[at] && strchr(cuts, buf[at]))
			return at;
	return limit;
}

/* ---- searching ---- */

const unsigned char *rs_pin_find(const unsigned char *hay, size_t hlen, const char *needle, size_t nlen)
{
	const unsigned char *n = (const unsigned char *)needle, *p, *end;
	size_t k = 0, i;

	if (nlen == 0 || hlen < nlen)
		return nlen == 0 ? hay : NULL;
	for (i = 1; i < nlen; i++)
		if (rs_byte_frequency(n[i]) < rs_byte_frequency(n[k]))
			k = i;
	p = hay + k;
	end = hay + hlen - (nlen - k) + 1; /* the anchor byte may be at most here */
	while (p < end && (p = memchr(p, n[k], (size_t)(end - p))) != NULL) {
		const unsigned char *s = p - k;
		if (s[0] == n[0] && s[nlen - 1] == n[nlen - 1] && !memcmp(s, n, nlen))
			return s;
		p++;
	}
	return NULL;
}

/* ---- base64 pins ---- */

static int b64_at(const unsigned char *buf, size_t len, size_t i, struct rs_pin_token *t)
{
	unsigned char out[48];
	size_t n = 0;

	while (i + n < len && n < 45 && rs_base64_value(buf[i + n]) >= 0)
		n++;
	if (n != 43 || i + n >= len || buf[i + n] != '=')
		return 0;
	if (i + n + 1 < len && (buf[i + n + 1] == '=' || rs_base64_value(buf[i + n + 1]) >= 0))
		return 0;
	if (rs_base64_decode((const char *)buf + i, 44, out) != 32)
		return 0;
	memcpy(t->bytes, out, 32);
	t->nbytes = 32;
	t->start = i;
	t->end = i + 44;
	t->notation = "base64";
	return 1;
}

/* The next "sha256" or "sha-256" in any case, found by its "256". */
static const unsigned char *find_sha256(const unsigned char *p, const unsigned char *end)
{
	const unsigned char *start = p, *q;

	while ((q = rs_pin_find(p, (size_t)(end - p), "256", 3)) != NULL) {
		if (q - start >= 3 && (q[-3] | 0x20) == 's' && (q[-2] | 0x20) == 'h' && (q[-1] | 0x20) == 'a')
			return q - 3;
		if (q - start >= 4 && q[-1] == '-' && (q[-4] | 0x20) == 's' && (q[-3] | 0x20) == 'h' && (q[-2] | 0x20) == 'a')
			return q - 4;
		p = q + 3;
	}
	return NULL;
}

int rs_pin_next_b64_in(const unsigned char *buf, size_t len, size_t *pos, struct rs_pin_token *t, int binary)
{
	const unsigned char *end = buf + len, *p = buf + (*pos < len ? *pos : len), *s;

	/* "sha256/" is where every form but <pin> starts, and <pin>'s digest attribute says SHA-256 */
	while ((s = find_sha256(p, end)) != NULL) {
		size_t i = (size_t)(s - buf) + (s[3] == '-' ? 7 : 6);
		size_t skip = 0;
		/* sha256/ sha256// ; pin-sha256="..." ; digest="SHA-256">...  */
		while (i + skip < len && skip < 16 &&
		       ((binary && unprintable(buf[i + skip])) || (buf[i + skip] && strchr("/=\"'> \t\r\n", buf[i + skip]))))
			skip++;
		if (skip && b64_at(buf, len, i + skip, t)) {
			*pos = t->end;
			return 1;
		}
		p = s + 6;
	}
	*pos = len;
	return 0;
}

int rs_pin_next_b64(const unsigned char *buf, size_t len, size_t *pos, struct rs_pin_token *t)
{
	return rs_pin_next_b64_in(buf, len, pos, t, 0);
}
