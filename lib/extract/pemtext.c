/*
 * pemtext.c: PEM blocks wherever text holds them, tolerantly. The body between BEGIN and END may carry what
 * the file around it added: line breaks, indentation, JSON or C escapes one to three levels deep (\n, \\n,
 * \\\\n, \/), quotes of concatenated literals. A block that is elided ("..."), truncated or a sample's stand-in
 * gets a finding, never an anchor; a private key gets a finding that never shows it.
 */
#include "extract.h"

#include <openssl/err.h>
#include <openssl/pkcs7.h>
#include <string.h>
#include <strings.h>

#define MAX_BLOCK (1u << 20) /* no certificate or PKCS#7 bundle of a device is larger */
#define MAX_LABEL 40

static const char begin_tag[] = "-----BEGIN ";

struct block {
	char label[MAX_LABEL + 1];
	size_t start, body, body_end, end; /* offsets in the text */
	int elided, junk;
	struct rs_buf b64;
};

static int is_cert_label(const char *l)
{
	return !strcmp(l, "CERTIFICATE") || !strcmp(l, "X509 CERTIFICATE") || !strcmp(l, "TRUSTED CERTIFICATE");
}

static int is_p7_label(const char *l)
{
	return !strcmp(l, "PKCS7") || !strcmp(l, "CMS");
}

/* Reads the label after "-----BEGIN "; returns the offset just past its closing "-----", or 0. */
static size_t read_label(const unsigned char *t, size_t len, size_t at, char *label)
{
	size_t i = at, n = 0;

	while (i < len && n < MAX_LABEL && ((t[i] >= 'A' && t[i] <= 'Z') || (t[i] >= '0' && t[i] <= '9') || t[i] == ' '))
		label[n++] = (char)t[i++];
	label[n] = '\0';
	if (n == 0 || len - i < 5 || memcmp(t + i, "-----", 5))
		return 0;
	return i + 5;
}

/*
 * The END line for label after from. The last search is remembered: many BEGIN lines before one END (or before
 * none) cost one scan, not one each.
 */
struct end_memo {
	char label[MAX_LABEL + 1];
	size_t from, end; /* searched from `from`; END found ending at `end`, or 0 for none */
	const unsigned char *text;
};

static int find_end(struct end_memo *m, const unsigned char *t, size_t len, size_t from, const char *label, size_t *end)
{
	char tag[MAX_LABEL + 16];
	const unsigned char *p;
	int n = snprintf(tag, sizeof(tag), "-----END %s-----", label);

	if (m->text == t && !strcmp(m->label, label) && m->from <= from && (m->end == 0 || m->end - (size_t)n >= from)) {
		*end = m->end;
		return m->end != 0;
	}
	p = rs_memmem(t + from, len - from, tag, (size_t)n);
	m->text = t;
	memcpy(m->label, label, strlen(label) + 1);
	m->from = from;
	m->end = p ? (size_t)(p - t) + (size_t)n : 0;
	*end = m->end;
	return p != NULL;
}

/* One body byte sequence at t[i]: returns how many bytes it takes and appends base64 to b->b64. */
static size_t body_step(struct block *b, const unsigned char *t, size_t i, size_t end)
{
	unsigned char c = t[i];
	size_t j;

	if (c == '\\') { /* an escape, possibly escaped itself: \n \\n \\\\n \/ and backslash-newline */
		for (j = i; j < end && t[j] == '\\'; j++)
			;
		if (j == end)
			return j - i;
		c = t[j];
		if (c == 'n' || c == 'r' || c == 't' || c == '\n' || c == '\r' || c == '"')
			return j - i + 1;
		if (c == '/')
			return rs_buf_add(&b->b64, "/", 1) < 0 ? 0 : j - i + 1;
		b->junk++;
		return j - i;
	}
	if (rs_base64_value(c) >= 0 || c == '=')
		return rs_buf_add(&b->b64, &c, 1) < 0 ? 0 : 1;
	if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '"')
		return 1;
	if (c == '.' && i + 2 < end && t[i + 1] == '.' && t[i + 2] == '.')
		b->elided = 1;
	else if (c == 0xe2 && i + 2 < end && t[i + 1] == 0x80 && t[i + 2] == 0xa6)
		b->elided = 1; /* U+2026 HORIZONTAL ELLIPSIS */
	else
		b->junk++;
	return 1;
}

static int clean_body(struct block *b, const unsigned char *t)
{
	size_t i = b->body, step;

	while (i < b->body_end) {
		if (!(step = body_step(b, t, i, b->body_end)))
			return -1;
		i += step;
	}
	return 0;
}

/* Words that samples put where a certificate should go. */
static int looks_placeholder(const unsigned char *t, size_t from, size_t to)
{
	static const char *const words[] = { "YOUR", "PASTE", "INSERT", "REPLACE", "PLACEHOLDER", "XXXX", "<", "TODO",
					     "HERE", "CERTIFICATE CONTENT" };
	size_t i, w;

	for (w = 0; w < RS_ARRAY_LEN(words); w++) {
		size_t wl = strlen(words[w]);
		for (i = from; i + wl <= to; i++)
			if (!strncasecmp((const char *)t + i, words[w], wl))
				return 1;
	}
	return 0;
}

static void where(struct rs_scan *s, const unsigned char *text, const struct rs_linemap *map, size_t at, long *line,
		  long long *off)
{
	if (map) {
		rs_linemap_where(map, at, line, off);
		return;
	}
	*off = s->base + (long long)(text - s->buf) + (long long)at;
	*line = s->binary ? 0 : rs_scan_line(s, (size_t)*off);
}

static int bad_block(struct rs_scan *s, const struct block *b, const unsigned char *t, long line, long long off,
		     const char *why)
{
	if (b->elided)
		return rs_scan_finding(s, "broken-certificate", line, off,
				       "a certificate elided with '...' looks like a broken certificate: not a trust anchor");
	if (looks_placeholder(t, b->body, b->body_end))
		return rs_scan_finding(s, "placeholder", line, off,
				       "a placeholder where a certificate should be: not a trust anchor");
	return rs_scan_finding(s, "broken-certificate", line, off, "looks like a broken certificate (%s): not a trust anchor",
			       why);
}

static int add_cert(struct rs_scan *s, const struct block *b, const unsigned char *der, long dlen, long line,
		    long long off, const char *enc, const unsigned char *t)
{
	const unsigned char *p = der;
	X509 *x = !strcmp(b->label, "TRUSTED CERTIFICATE") ? d2i_X509_AUX(NULL, &p, dlen) : d2i_X509(NULL, &p, dlen);
	int rv;

	if (!x) {
		if (rs_ssl_take_nomem()) /* OpenSSL ran out of memory: no verdict on the block */
			return rs_fail(s->err, RS_ERR_NOMEM, "out of memory");
		return bad_block(s, b, t, line, off, "its content is not X.509");
	}
	if (s->commented)
		rv = rs_scan_finding(s, "commented-out", line, off,
				     "a certificate inside a comment is not compiled in: not a trust anchor");
	else
		rv = rs_scan_add_x509(s, x, line, off, enc, RS_TRUST_ANCHOR, NULL) < 0 ? -1 : 1;
	X509_free(x);
	return rv;
}

static int add_p7(struct rs_scan *s, const unsigned char *der, long dlen, long line, long long off)
{
	const unsigned char *p = der;
	PKCS7 *p7 = d2i_PKCS7(NULL, &p, dlen);
	STACK_OF(X509) *certs = NULL;
	int i, n = 0;

	if (!p7) {
		if (rs_ssl_take_nomem())
			return rs_fail(s->err, RS_ERR_NOMEM, "out of memory");
		return rs_scan_finding(s, "broken-certificate", line, off, "a PKCS#7 block that does not parse");
	}
	if (PKCS7_type_is_signed(p7) && p7->d.sign)
		certs = p7->d.sign->cert;
	for (i = 0; certs && i < sk_X509_num(certs) && n >= 0; i++)
		n = rs_scan_add_x509(s, sk_X509_value(certs, i), line, off, "pkcs7-pem", RS_TRUST_ANCHOR, NULL) < 0 ? -1 : n + 1;
	PKCS7_free(p7);
	return n;
}

/* Decodes one complete block; returns -1 on a hard error, else how many anchors it added. */
static int decode_block(struct rs_scan *s, struct block *b, const unsigned char *t, const struct rs_linemap *map,
			const char *enc)
{
	long line, dlen;
	long long off;
	unsigned char *der;
	int rv;

	where(s, t, map, b->start, &line, &off);
	if (strstr(b->label, "PRIVATE KEY"))
		return rs_scan_finding(s, "private-key", line, off, "a private key (%s) is embedded here; it is not shown",
				       b->label);
	if (!is_cert_label(b->label) && !is_p7_label(b->label))
		return 0;
	if (clean_body(b, t) < 0)
		return rs_fail(s->err, RS_ERR_NOMEM, "out of memory");
	if (b->elided || b->junk)
		return bad_block(s, b, t, line, off, "stray characters in its base64");
	if (!(der = malloc(b->b64.len / 4 * 3 + 3)))
		return rs_fail(s->err, RS_ERR_NOMEM, "out of memory");
	dlen = rs_base64_decode(b->b64.data ? b->b64.data : "", b->b64.len, der);
	if (dlen <= 0)
		rv = bad_block(s, b, t, line, off, "its base64 ends early");
	else if (is_p7_label(b->label))
		rv = s->commented ? 0 : add_p7(s, der, dlen, line, off);
	else
		rv = add_cert(s, b, der, dlen, line, off, enc, t);
	free(der);
	return rv;
}

int rs_extract_pem(struct rs_scan *s, const unsigned char *text, size_t len, const struct rs_linemap *map,
		   const char *enc)
{
	size_t pos = 0, tl = sizeof(begin_tag) - 1;
	struct end_memo memo;
	int added = 0, rv;

	memset(&memo, 0, sizeof(memo));

	/* with a limit, only blocks that begin before it count: the search for BEGIN stops there */
	size_t stop = s->limit && !map && s->limit + tl < len ? s->limit + tl : len;

	while (pos + tl <= stop) {
		const unsigned char *p = rs_memmem(text + pos, stop - pos, begin_tag, tl);
		struct block b = { .b64 = RS_BUF_INIT };
		size_t after;

		if (!p)
			break;
		b.start = (size_t)(p - text);
		if (s->limit && !map && b.start >= s->limit)
			break;
		pos = b.start + 1;
		if (!(after = read_label(text, len, b.start + tl, b.label)))
			continue;
		b.body = after;
		if (!find_end(&memo, text, len, after, b.label, &b.end) || b.end - after > MAX_BLOCK) {
			long line;
			long long off;
			if (!is_cert_label(b.label))
				continue;
			where(s, text, map, b.start, &line, &off);
			if (rs_scan_finding(s, "broken-certificate", line, off,
					    "a certificate without its END line looks truncated: not a trust anchor") < 0)
				return -1;
			continue;
		}
		b.body_end = b.end - (strlen(b.label) + 14);
		if (rs_memmem(text + after, b.body_end - after, begin_tag, tl)) {
			/* another block begins before this one ends: this one is cut short */
			long line;
			long long off;
			where(s, text, map, b.start, &line, &off);
			if (is_cert_label(b.label) &&
			    rs_scan_finding(s, "broken-certificate", line, off,
					    "a certificate cut short by the next block looks truncated: not a trust anchor") < 0)
				return -1;
			continue;
		}
		rv = decode_block(s, &b, text, map, enc);
		rs_buf_release(&b.b64);
		if (rv < 0)
			return -1;
		added += rv;
		pos = b.end;
	}
	return added;
}
