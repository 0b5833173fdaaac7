/*
 * extract.h: what the anchor extractors share. One extractor per form, each a file of lib/extract/; they find
 * bytes and hand them to the scan context (lib/trust/anchors.c), which parses, deduplicates and records where.
 */
#ifndef RS_EXTRACT_H
#define RS_EXTRACT_H

#include "internal.h"

/*
 * A stream made from pieces of a file (the decoded string literals of a C file, its byte arrays) remembers
 * where each piece came from, so an anchor found at stream offset `at` gets the line and byte offset of the
 * piece it starts in.
 */
struct rs_segment {
	size_t at;        /* offset in the stream */
	long line;        /* line in the file, 0 for binary input */
	long long offset; /* byte offset in the file */
};
struct rs_linemap {
	struct rs_segment *v;
	size_t n, cap;
};
int rs_linemap_add(struct rs_linemap *m, size_t at, long line, long long offset);
void rs_linemap_where(const struct rs_linemap *m, size_t at, long *line, long long *offset);
void rs_linemap_release(struct rs_linemap *m);

/* One file being scanned. */
struct rs_scan {
	struct rs_anchorset *set;
	const char *path;        /* the file, for locations */
	const unsigned char *buf; /* the whole file */
	size_t len;
	int binary;              /* locations get byte offsets only */
	int commented;           /* certificates found are "commented-out" findings, not anchors */
	struct rs_error *err;
	size_t line_at;          /* line counting cursor for text input: line_no is the line of buf[line_at] */
	long line_no;
	long long base;          /* offset of buf in the file (a window of a large file) */
	size_t limit;            /* when not 0, only finds that start before buf[limit] count (window overlap) */
	size_t nfindings;        /* findings of this file so far; past RS_MAX_FINDINGS they are only counted */
	const volatile int *cancel; /* the caller's flag (rs_scan_opts), or NULL */
	int depth;               /* archive nesting: 0 for a file, 1 for a member of a file's archive, ... */
	struct rs_embedded_list *found; /* not NULL: a blob's embedded file systems are listed here for the caller */
};

/* Whether the caller asked to stop; then err is RS_ERR_CANCELLED. */
int rs_scan_cancelled(const volatile int *cancel, struct rs_error *err);

#define RS_MAX_FINDINGS 100

/* Line of buf[off] in a text file (1-based), counting forward from the last call when possible. */
long rs_scan_line(struct rs_scan *s, size_t off);

/*
 * Adders (lib/trust/anchors.c). They return -1 on a hard error (memory), 1 when the bytes are not what they
 * should be (nothing added), 0 when added or merged.
 */
int rs_scan_add_x509(struct rs_scan *s, X509 *x, long line, long long off, const char *enc, enum rs_trust trust,
		     const char *label);
int rs_scan_add_der(struct rs_scan *s, const unsigned char *der, size_t len, long line, long long off,
		    const char *enc);
int rs_scan_add_name_key(struct rs_scan *s, const unsigned char *name, size_t name_len, const unsigned char *spki,
			 size_t spki_len, long line, long long off, const char *enc);
int rs_scan_finding(struct rs_scan *s, const char *kind, long line, long long off, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/*
 * Debian's /etc/ca-certificates.conf: a line "!mozilla/X.crt" deselects /usr/share/ca-certificates/mozilla/X.crt,
 * which update-ca-certificates then leaves out of the store. rs_anchorset_deselect records such a source's path
 * (as locations name it); rs_anchorset_apply_deselect, after a whole tree or archive is read, drops those
 * locations with a "deselected" finding each, and the anchors left with none. 0 or -1.
 */
int rs_anchorset_deselect(struct rs_anchorset *set, const char *path, struct rs_error *err);
int rs_anchorset_apply_deselect(struct rs_anchorset *set, struct rs_error *err);

/* Sorts the findings from index from on by line and offset (one file's findings come from several streams). */
void rs_anchorset_sort_findings(struct rs_anchorset *set, size_t from);

/*
 * Extractors. Each returns -1 on a hard error, else the number of anchors it added. map may be NULL: the input
 * is then the scanned file itself (s->buf), located by line (text) or offset (binary).
 */
int rs_extract_pem(struct rs_scan *s, const unsigned char *text, size_t len, const struct rs_linemap *map,
		   const char *enc);
int rs_extract_carve(struct rs_scan *s, const unsigned char *buf, size_t len, const struct rs_linemap *map,
		     const char *enc);
int rs_extract_csource(struct rs_scan *s);
int rs_extract_certdata(struct rs_scan *s);
int rs_extract_espidf(struct rs_scan *s);
int rs_extract_espidf_embedded(struct rs_scan *s); /* a bundle inside an ESP32-family firmware (espidf.c) */

/* Recognisers: 1 when the bytes are that form. */
int rs_is_certdata(const unsigned char *buf, size_t len);
int rs_is_espidf(const unsigned char *buf, size_t len);
int rs_is_esp_image(const unsigned char *buf, size_t len);

/* csource.c: the tokens of a C file that the BearSSL extractor needs. */
struct rs_carray {
	char *name;           /* the array's identifier, or "" */
	unsigned char *bytes;
	size_t len;
	long line;
	long long offset;
};
struct rs_ctoken {
	char *ident;          /* identifier text, or NULL for other tokens */
	char punct;           /* '{', '}' or 0 */
	long line;
	long long offset;
};
int rs_extract_bearssl(struct rs_scan *s, const struct rs_ctoken *toks, size_t ntoks, const struct rs_carray *arrays,
		       size_t narrays);

/* Base64 decoding that skips whitespace; -1 on any other character or bad padding. out has room for len*3/4. */

#endif
