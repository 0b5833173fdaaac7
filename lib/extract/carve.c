/*
 * carve.c: certificates in raw bytes (firmware images, ELF files, ar archives, byte arrays). A DER certificate
 * starts with SEQUENCE { SEQUENCE (tbsCertificate) { [0] version or INTEGER serial ...; the cheap checks of
 * those headers reject almost every 0x30 byte before OpenSSL sees it. PEM blocks are found as in text.
 */
#include "extract.h"

#include <openssl/err.h>
#include <string.h>

#define MAX_DER (1u << 20)

/* Length of the DER SEQUENCE at p (header included) when it fits in n bytes, else 0. */
static size_t seq_len(const unsigned char *p, size_t n, size_t *hdr)
{
	size_t l;

	if (n < 4 || p[0] != 0x30)
		return 0;
	if (p[1] == 0x82) {
		l = ((size_t)p[2] << 8 | p[3]) + 4;
		*hdr = 4;
	} else if (p[1] == 0x83 && n >= 5) {
		l = ((size_t)p[2] << 16 | (size_t)p[3] << 8 | p[4]) + 5;
		*hdr = 5;
	} else if (p[1] == 0x81) {
		l = (size_t)p[2] + 3;
		*hdr = 3;
	} else
		return 0;
	return l <= n && l <= MAX_DER ? l : 0;
}

/* The cheap test: a certificate's outer SEQUENCE holding a tbsCertificate SEQUENCE that starts right. */
static size_t looks_like_cert(const unsigned char *p, size_t n)
{
	size_t total, tbs, h1, h2;

	if (p[1] != 0x82) /* real certificates are 256 bytes to 64 KiB */
		return 0;
	if (!(total = seq_len(p, n, &h1)))
		return 0;
	if (!(tbs = seq_len(p + h1, total - h1, &h2)) || tbs + h1 >= total)
		return 0;
	if (total - h1 - tbs < 12) /* signatureAlgorithm and signature follow */
		return 0;
	return (p[h1 + h2] == 0xa0 || p[h1 + h2] == 0x02) ? total : 0;
}

/*
 * Candidates are found by their second byte: 0x82 (a two-byte length, 256 bytes to 64 KiB: every real certificate)
 * is several times rarer than 0x30 in binaries, so memchr stops less often.
 */
static int carve_der(struct rs_scan *s, const unsigned char *buf, size_t len, const struct rs_linemap *map,
		     const char *enc)
{
	size_t i = 0, total, tried = 0;
	int added = 0, rv;

	size_t end = s->limit && !map && s->limit + 1 < len - 15 ? s->limit + 1 : len - 15;

	while (i + 16 <= len && i + 1 < end) {
		const unsigned char *p = memchr(buf + i + 1, 0x82, end - i - 1);
		long line = 0;
		long long off;

		if (!p)
			break;
		i = (size_t)(p - buf) - 1;
		if (s->limit && !map && i >= s->limit)
			break;
		if (buf[i] != 0x30 || !(total = looks_like_cert(buf + i, len - i))) {
			i++;
			continue;
		}
		/* A MiB dense with candidates (a header every 16 bytes) is seconds of OpenSSL parsing: the cancel flag is
		 * read every 1024 candidates too, not only between MiB (test_cancel_anytime.sh: 5-7 s to stop in the ASan
		 * build, 160 ms a MiB in a release build). */
		if (++tried % 1024 == 0 && rs_scan_cancelled(s->cancel, s->err))
			return -1;
		off = s->base + (long long)i;
		if (map)
			rs_linemap_where(map, i, &line, &off);
		rv = s->commented ? 1 : rs_scan_add_der(s, buf + i, total, line, off, enc);
		if (rv < 0)
			return -1;
		if (rv == 0) {
			added++;
			i += total;
		} else {
			if (rs_ssl_take_nomem()) /* not a certificate, or OpenSSL ran out of memory reading it */
				return rs_fail(s->err, RS_ERR_NOMEM, "out of memory");
			i++;
		}
	}
	return added;
}

int rs_extract_carve(struct rs_scan *s, const unsigned char *buf, size_t len, const struct rs_linemap *map,
		     const char *enc)
{
	int der, pem;
	int was = s->binary;

	if ((der = carve_der(s, buf, len, map, enc)) < 0)
		return -1;
	if (!map)
		s->binary = 1;
	pem = rs_extract_pem(s, buf, len, map, map ? "xxd-pem" : "carved-pem");
	s->binary = was;
	return pem < 0 ? -1 : der + pem;
}
