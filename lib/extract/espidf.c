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

static size_t current_count(const unsigned char *buf, size_t len)
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
	return off == len ? n : 0;
}

static size_t legacy_count(const unsigned char *buf, size_t len)
{
	size_t n, i, off = 2, el;

	if (len < 6 || (n = be16(buf)) == 0 || n > MAX_ENTRIES)
		return 0;
	for (i = 0; i < n; i++, off += el)
		if (!(el = entry_len(buf, len, off, 1)))
			return 0;
	return off == len ? n : 0;
}

int rs_is_espidf(const unsigned char *buf, size_t len)
{
	return current_count(buf, len) > 0 || legacy_count(buf, len) > 0;
}

int rs_extract_espidf(struct rs_scan *s)
{
	size_t n = current_count(s->buf, s->len), i, off;
	int big = 0, added = 0, rv;

	if (!n) {
		n = legacy_count(s->buf, s->len);
		big = 1;
	}
	off = big ? 2 : 4 * n;
	for (i = 0; i < n; i++) {
		size_t el = entry_len(s->buf, s->len, off, big);
		size_t nl = big ? be16(s->buf + off) : le16(s->buf + off);
		rv = rs_scan_add_name_key(s, s->buf + off + 4, nl, s->buf + off + 4 + nl, el - 4 - nl, 0, (long long)off,
					  "esp-idf");
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
