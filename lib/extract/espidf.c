/*
 * espidf.c: ESP-IDF certificate bundles (x509_crt_bundle, made by components/mbedtls/esp_crt_bundle/
 * gen_crt_bundle.py). Each entry is a subject name (DER) and a public key (SubjectPublicKeyInfo DER), sorted
 * by name. Two layouts, as esp_crt_bundle.c documents them:
 *  - current: n little-endian u32 offsets (the first equals 4*n), then the entries; each entry is
 *    [name length u16 LE][key length u16 LE][name][key];
 *  - legacy (ESP-IDF before 5.x): [count u16 BE], then entries [name length u16 BE][key length u16 BE][name][key].
 * Both are recognised only when every length adds up to exactly the file's size.
 */
#include "extract.h"

#include <string.h>

#define MAX_ENTRIES 4096

static unsigned le16(const unsigned char *p) { return (unsigned)p[0] | (unsigned)p[1] << 8; }
static unsigned be16(const unsigned char *p) { return (unsigned)p[0] << 8 | (unsigned)p[1]; }
static unsigned long le32(const unsigned char *p)
{
	return (unsigned long)p[0] | (unsigned long)p[1] << 8 | (unsigned long)p[2] << 16 | (unsigned long)p[3] << 24;
}

/* One entry at off: its size, or 0 when it does not fit or does not hold two DER SEQUENCEs. */
static size_t entry_len(const unsigned char *buf, size_t len, size_t off, int big_endian)
{
	size_t nl, kl;

	if (off > len || len - off < 4)
		return 0;
	nl = big_endian ? be16(buf + off) : le16(buf + off);
	kl = big_endian ? be16(buf + off + 2) : le16(buf + off + 2);
	if (nl < 2 || kl < 2 || len - off - 4 < nl + kl)
		return 0;
	if (buf[off + 4] != 0x30 || buf[off + 4 + nl] != 0x30)
		return 0;
	return 4 + nl + kl;
}

/* The current layout's entry count, and in *span its length, when a bundle starts at buf (it may end before len) */
static size_t current_span(const unsigned char *buf, size_t len, size_t *span)
{
	unsigned long first;
	size_t n, i, off, el;

	if (len < 8 || (first = le32(buf)) < 4 || first % 4 || first >= len || first / 4 > MAX_ENTRIES)
		return 0;
	n = first / 4;
	for (i = 0, off = first; i < n; i++, off += el) {
		if (le32(buf + 4 * i) != off || !(el = entry_len(buf, len, off, 0)))
			return 0;
	}
	*span = off;
	return n;
}

static size_t legacy_span(const unsigned char *buf, size_t len, size_t *span)
{
	size_t n, i, off = 2, el;

	if (len < 6 || (n = be16(buf)) == 0 || n > MAX_ENTRIES)
		return 0;
	for (i = 0; i < n; i++, off += el)
		if (!(el = entry_len(buf, len, off, 1)))
			return 0;
	*span = off;
	return n;
}

static size_t current_count(const unsigned char *buf, size_t len)
{
	size_t span = 0, n = current_span(buf, len, &span);

	return span == len ? n : 0;
}

static size_t legacy_count(const unsigned char *buf, size_t len)
{
	size_t span = 0, n = legacy_span(buf, len, &span);

	return span == len ? n : 0;
}

int rs_is_espidf(const unsigned char *buf, size_t len)
{
	return current_count(buf, len) > 0 || legacy_count(buf, len) > 0;
}

/* The n entries of the bundle at buf + at (big: the legacy layout), each a name-and-key anchor. */
static int add_entries(struct rs_scan *s, size_t at, size_t n, int big)
{
	const unsigned char *buf = s->buf + at;
	size_t len = s->len - at, i, off = big ? 2 : 4 * n;
	int added = 0, rv;

	for (i = 0; i < n; i++) {
		size_t el = entry_len(buf, len, off, big);
		size_t nl = big ? be16(buf + off) : le16(buf + off);
		rv = rs_scan_add_name_key(s, buf + off + 4, nl, buf + off + 4 + nl, el - 4 - nl, 0,
					  s->base + (long long)(at + off), "esp-idf");
		if (rv < 0)
			return -1;
		if (rv == 1 && rs_scan_finding(s, "broken-certificate", 0, (long long)off,
					       "an ESP-IDF bundle entry whose name or key does not parse") < 0)
			return -1;
		added += rv == 0;
		off += el;
	}
	return added;
}

int rs_extract_espidf(struct rs_scan *s)
{
	size_t n = current_count(s->buf, s->len);

	return n ? add_entries(s, 0, n, 0) : add_entries(s, 0, legacy_count(s->buf, s->len), 1);
}

/* The length of the DER SEQUENCE at p (header included), 0 when it is none or longer than n */
static size_t der_seq(const unsigned char *p, size_t n)
{
	size_t l;

	if (n < 2 || p[0] != 0x30)
		return 0;
	if (p[1] < 0x80)
		l = 2 + (size_t)p[1];
	else if (p[1] == 0x81 && n >= 3)
		l = 3 + (size_t)p[2];
	else if (p[1] == 0x82 && n >= 4)
		l = 4 + ((size_t)p[2] << 8 | p[3]);
	else
		return 0;
	return l <= n ? l : 0;
}

/* Inside other bytes a bundle must be exact: each entry's lengths those of its name's and key's DER. */
static int entries_exact(const unsigned char *buf, size_t len, size_t n, int big)
{
	size_t i, off = big ? 2 : 4 * n;

	for (i = 0; i < n; i++) {
		size_t el = entry_len(buf, len, off, big), nl = big ? be16(buf + off) : le16(buf + off);
		if (!el || der_seq(buf + off + 4, nl) != nl || der_seq(buf + off + 4 + nl, el - 4 - nl) != el - 4 - nl)
			return 0;
		off += el;
	}
	return 1;
}

/* An ESP-IDF image header (esp_app_format.h, esp_image_header_t): magic 0xE9, 1-16 segments, an SPI mode 0-5, and
 * a chip id (at 12, little-endian) of the family: ESP32 0, S2 2, C3 5, S3 9, C2 12, C6 13, H2 16, P4 18, C5 23,
 * C61 20 (ESP_CHIP_ID_*). */
static int esp_header(const unsigned char *b, size_t n)
{
	static const unsigned ids[] = { 0, 2, 5, 9, 12, 13, 16, 18, 20, 23 };
	unsigned id;

	if (n < 24 || b[0] != 0xe9 || b[1] < 1 || b[1] > 16 || b[2] > 5)
		return 0;
	id = le16(b + 12);
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
		if (ids[i] == id)
			return 1;
	return 0;
}

/* An ESP32-family firmware: an app image (header at 0), a merged flash image (the ESP32's and S2's bootloader at
 * 0x1000, the others' at 0), or the build's ELF (Xtensa, 94, or RISC-V, 243: e_machine at 18, 32-bit class). */
int rs_is_esp_image(const unsigned char *b, size_t n)
{
	if (n >= 20 && !memcmp(b, "\x7f" "ELF\x01", 5))
		return le16(b + 18) == 94 || le16(b + 18) == 243;
	return esp_header(b, n) || (n > 0x1000 && esp_header(b + 0x1000, n - 0x1000));
}

/*
 * The certificate bundle inside an ESP32-family firmware (esp_crt_bundle_attach: the default in esp-tls,
 * esp_http_client and esp-mqtt): the bytes of x509_crt_bundle are embedded as they are, so each byte offset is tried
 * as the start of a bundle (the current layout, then the legacy one), and a bundle whose every entry holds a DER
 * name and key of exactly its lengths is read as a whole file's would be. The number of anchors added, or -1.
 */
int rs_extract_espidf_embedded(struct rs_scan *s)
{
	size_t at, n, span;
	int added = 0, rv;

	if (!rs_is_esp_image(s->buf, s->len))
		return 0;
	for (at = 0; at + 8 <= s->len; at++) {
		unsigned long first = le32(s->buf + at);
		int big = 0;

		span = 0;
		/* the cheap tests first: the offset table's first entry is 4 * n (its first entry right after it when n is
		 * 1), the legacy layout's first name a SEQUENCE of less than 256 bytes */
		if (first >= 4 && first % 4 == 0 && first / 4 <= MAX_ENTRIES && at + first + 4 < s->len &&
		    s->buf[at + first + 4] == 0x30)
			n = current_span(s->buf + at, s->len - at, &span);
		else if (s->buf[at + 6] == 0x30 && s->buf[at + 2] == 0 && be16(s->buf + at) >= 1 &&
			 (n = legacy_span(s->buf + at, s->len - at, &span)) >= 1)
			big = 1;
		else
			continue;
		if (!n || !span || !entries_exact(s->buf + at, span, n, big))
			continue;
		if ((rv = add_entries(s, at, n, big)) < 0)
			return -1;
		added += rv;
		at += span - 1;
	}
	return added;
}
