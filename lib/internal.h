/* internal.h: what the library's modules share. Never installed. */
#ifndef RS_INTERNAL_H
#define RS_INTERNAL_H

#include "rsx/rsx.h" /* rootshift.h and the private helpers */

#include <openssl/x509.h>
#include <stdarg.h>
#include <stdbool.h>

#include "banned.h"

#define RS_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* core/error.c: fill err (if not NULL) and return -1, so callers can write `return rs_fail(...)`. */
int rs_fail(struct rs_error *err, enum rs_errcode code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Appends OpenSSL's first queued error reason to err's message and clears the queue: the one place where
 * OpenSSL's error queue is translated. */
int rs_ssl_take_nomem(void); /* 1 when OpenSSL's error queue held an allocation failure; empties it */
int rs_fail_ssl(struct rs_error *err, enum rs_errcode code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void rs_error_clear(struct rs_error *err);

/* core/buf.c: a growable byte buffer, always NUL-terminated. */
struct rs_buf {
	char *data;
	size_t len;
	size_t cap;
};
#define RS_BUF_INIT { NULL, 0, 0 }
int rs_buf_grow(struct rs_buf *b, size_t extra);
int rs_buf_add(struct rs_buf *b, const void *data, size_t len);
int rs_buf_addstr(struct rs_buf *b, const char *s);
int rs_buf_addf(struct rs_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int rs_buf_vaddf(struct rs_buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
char *rs_vstrdupf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0))); /* NULL when out of memory */
char *rs_buf_detach(struct rs_buf *b);
void rs_buf_release(struct rs_buf *b);

/* core/hex.c */
void rs_hex_encode(const unsigned char *in, size_t len, char *out); /* out: 2*len+1 bytes, lowercase */
int rs_hex_normalize(const char *in, char *out, size_t outsize);   /* strips ':' ' ', lowercases; -1 if not hex */
char *rs_strdup(const char *s);
char *rs_strndup(const char *s, size_t n);
int rs_streq_ci(const char *a, const char *b);

/* core/mem.c: the first occurrence of needle in hay, or NULL. */
const unsigned char *rs_memmem(const unsigned char *hay, size_t hlen, const void *needle, size_t nlen);
/*
 * How many bytes at the start of buf[0, n) are whole 8-byte words of plain ASCII (no NUL, no byte >= 0x80), eight
 * at a time; adds their control characters other than \t..\r (< 0x09 or 0x0e..0x1f) to *odd. Text sniffers
 * go on byte by byte from there.
 */
size_t rs_ascii_words(const unsigned char *buf, size_t n, size_t *odd);

/*
 * core/needles.c: every occurrence of up to RS_NEEDLES_MAX needles (non-empty C strings, borrowed until the set
 * is no longer used) in one pass. rs_needles_init returns -1 when there are too many needles or their anchor
 * bytes do not fit. rs_needles_scan calls fn(arg, k, at) for each occurrence of needle k starting at `at`,
 * overlapping ones included, each needle's in increasing order, and stops when fn returns -1 (then returns -1).
 * rs_needles_scan_plain is the portable path (byte by byte); rs_needles_scan uses AVX2 where the CPU has it, else SSE2
 * where the target has it. The order of calls across needles differs between the paths, not each needle's.
 */
/* How many of 10,000 bytes of C source are c, roughly (searches anchor on a needle's rarest byte by it). */
unsigned rs_byte_frequency(unsigned char c);
#define RS_NEEDLES_MAX 64
#define RS_NEEDLES_ANCHORS 8
#define RS_NEEDLES_PAIRS 16
#define RS_NEEDLES_TEDDY 4 /* bytes of each needle the AVX2 filter looks at */
struct rs_needles {
	size_t n;
	const char *s[RS_NEEDLES_MAX];
	size_t len[RS_NEEDLES_MAX];
	size_t off[RS_NEEDLES_MAX];           /* where the needle's anchor (a byte or a pair) is */
	size_t second[RS_NEEDLES_MAX];        /* another byte checked before the whole needle */
	unsigned char anchor[RS_NEEDLES_ANCHORS]; /* the distinct anchor bytes */
	size_t nanchors;
	unsigned char pair[RS_NEEDLES_PAIRS][2];  /* the distinct anchor pairs (two bytes in a row) */
	size_t npairs;
	uint64_t on[256];                     /* the needles anchored on each byte value */
	uint64_t next[256][4];                /* the bytes that follow each anchor's first byte in its needles */
	/* the AVX2 path's filter (nibble buckets, as in Hyperscan's Teddy): needle k is in one of eight buckets and is
	 * looked for by the RS_NEEDLES_TEDDY bytes from its offset tw[k]; bit b of teddy[j][0][x] (teddy[j][1][x]) is
	 * set when a needle of bucket b may have a byte with low (high) nibble x at tw + j */
	unsigned char teddy[RS_NEEDLES_TEDDY][2][16];
	size_t tw[RS_NEEDLES_MAX];
	uint64_t bucket[8];                   /* the needles of each bucket */
	uint64_t wb[2][256];                  /* wb[j][x]: the needles whose byte tw + j is x (or that end before it) */
};
typedef int (*rs_needle_fn)(void *arg, size_t k, size_t at);
int rs_needles_init(struct rs_needles *nd, const char *const *needles, size_t n);
int rs_needles_scan(const struct rs_needles *nd, const unsigned char *buf, size_t len, rs_needle_fn fn, void *arg);
int rs_needles_scan_plain(const struct rs_needles *nd, const unsigned char *buf, size_t len, rs_needle_fn fn,
			  void *arg);

/* core/base64.c */
int rs_base64_value(unsigned char c); /* a digit's value, or -1 */
long rs_base64_decode(const char *in, size_t len, unsigned char *out); /* skips whitespace; out >= len/4*3+3 */
int rs_base64_decode_alloc(const char *text, unsigned char **out, size_t *outlen); /* strict; malloc'd */
char *rs_base64_encode(const unsigned char *data, size_t len);

/* core/time.c */
rs_time rs_time_from_civil(int64_t year, int month, int day, int hour, int min, int sec);
int rs_time_from_asn1(const ASN1_TIME *t, rs_time *out);

/* core/dir.c: the entries of a directory but "." and "..", sorted, OpenSSL hashed names ("1a2b3c4d.0") last so
 * that a walk meets a certificate by its own name first; free with rs_free_names. */
int rs_list_dir(const char *path, char ***names, size_t *n, struct rs_error *err);
void rs_free_names(char **names, size_t n);

/* core/dl.c: opens soname and fills slots (n function pointers of slot_size bytes, in the order of names) with its
 * functions; 1 when every name resolved, else 0 (nothing kept open). Run once per library (pthread_once); the
 * handle then stays open for the life of the process. Only where a library is opened at run time. */
int rs_dl_load(const char *soname, const char *const *names, size_t n, void *slots, size_t slot_size);

/* core/file.c: reads a whole regular file; errors name the path. */
int rs_read_file(const char *path, size_t max, unsigned char **data, size_t *len, struct rs_error *err);

/*
 * extract/archive.c: archives and compressed files in memory (libarchive). rs_archive_sniff: 1 when buf starts like
 * one (gzip, xz, zstd, bzip2, lz4, zip, 7-Zip, ar, cpio, tar, SquashFS, ext2/3/4, a disk image, Intel
 * HEX, S-record, UF2). rs_archive_each calls cb->member for every
 * regular member, nested archives opened to a bounded depth, named "NAME!/path"; cb->note (may be NULL) hears what
 * was not read (limits, corrupt parts) with the name it is about. Returns 0, -1 on a hard error (memory, or a callback's
 * -1), or 1 when buf could not be opened and nothing was read (the caller reads the bytes as they are).
 */
struct rs_archive_cb {
	/* depth: how deep the member is nested (1 in a top-level archive); a member's own embedded file systems are
	 * opened with rs_archive_embedded from that depth, so that nesting stays bounded */
	int (*member)(void *arg, const char *name, const unsigned char *buf, size_t len, int depth);
	int (*note)(void *arg, const char *name, const char *message);
	void *arg;
};
#define RS_ARCHIVE_MAX_DEPTH 4 /* archives inside archives (and file systems inside blobs): four levels */
int rs_archive_sniff(const unsigned char *buf, size_t len);
int rs_archive_each(const unsigned char *buf, size_t len, const char *name, int depth, const struct rs_archive_cb *cb,
		    struct rs_error *err);

/*
 * extract/embedded.c: the file systems and compressed streams inside a firmware blob (a kernel and a SquashFS back
 * to back), by magic and a check of the header behind it: *n of them in v, in offset order and not overlapping, at
 * most max (*more counts the rest); 0, or -1 when memory ran out. A format read nowhere here (UBI, JFFS2, cramfs, SquashFS before 4.0) comes with a note, once a
 * format. rs_archive_embedded opens each readable one in place as a member "NAME!@OFFSET" (one budget for the
 * blob, as for an archive; depth is the blob's own), hands cb->note the notes, and sets opened on those it read;
 * a stream that turns out not to be one (a magic by chance) is dropped without a note. 0 or -1.
 */
struct rs_embedded {
	size_t offset, size; /* size: the file system's own (sized), else to the end of the blob */
	int sized;           /* its size is known: when opened, its bytes are not carved as the blob's */
	int opened;          /* set by rs_archive_embedded */
	const char *what;    /* "SquashFS", "ext2/3/4", "gzip", "xz", "zstd", "cpio", "tar", "zip", "UBI", ... */
	const char *note;    /* not read here: why, and what to do */
};
int rs_embedded_find(const unsigned char *buf, size_t len, struct rs_embedded *v, size_t max, size_t *n,
		     size_t *more); /* 0, or -1 out of memory */
/* extract/scan.c: rs_anchorset_scan_mem for bytes nested depth deep in archives. When found is not NULL, the
 * caller reads the blob's embedded file systems itself (pinscan.c, as members with their own rules): they are
 * listed there, not opened, and the blob is carved around them. */
struct rs_embedded_list {
	struct rs_embedded v[32];
	size_t n, more;
};
int rs_anchorset_scan_blob(struct rs_anchorset *set, const unsigned char *buf, size_t len, const char *name,
			   const struct rs_scan_opts *opts, int depth, struct rs_embedded_list *found,
			   struct rs_error *err);
int rs_archive_embedded(const unsigned char *buf, size_t len, const char *name, int depth, struct rs_embedded *v,
			size_t n, size_t more, const struct rs_archive_cb *cb, struct rs_error *err);

/*
 * extract/squashfs.c: SquashFS images in memory (libsquashfs), for archive.c. rs_sqfs_sniff: 1 when buf starts like
 * a SquashFS 4 image. rs_sqfs_each calls cb->file for every regular file (its path in the image, without a leading
 * '/'), cb->skip for one not read (larger than cb->max_member, unreadable), and cb->stop (may be NULL) before each
 * to end early. Returns 0, -1 when a callback did or memory ran out, or 1 with why filled when the image cannot be
 * read (corrupt, an unsupported compressor, libsquashfs missing).
 */
struct rs_sqfs_cb {
	int (*file)(void *arg, const char *path, const unsigned char *data, size_t len);
	int (*skip)(void *arg, const char *path, const char *why);
	int (*stop)(void *arg);
	void *arg;
	unsigned long long max_member;
};
int rs_sqfs_sniff(const unsigned char *buf, size_t len);
int rs_sqfs_each(const unsigned char *buf, size_t len, const struct rs_sqfs_cb *cb, char *why, size_t whysize);

/* extract/ext2.c: ext2/3/4 images in memory (libext2fs), for archive.c, with rs_sqfs_each's callback and contract:
 * rs_ext2_sniff is 1 when buf has an ext2/3/4 superblock at byte 1024; rs_ext2_each gives every regular file
 * reachable from the root directory (never a deleted file's blocks), or 1 with why filled; on 0, why may hold a
 * remark on the whole image (shorter than its file system, a limit reached), for a note. */
int rs_ext2_sniff(const unsigned char *buf, size_t len);
int rs_ext2_each(const unsigned char *buf, size_t len, const struct rs_sqfs_cb *cb, char *why, size_t whysize);

/* extract/parttab.c: a whole-disk image's MBR or GPT partition table. rs_parttab_sniff: 1 when buf may start with
 * one (cheap). rs_parttab_parse fills out[] (at most max) with the partitions that start inside buf, in table order,
 * and returns their count, or -1 when buf holds no sane table (or more than max partitions). */
struct rs_part {
	unsigned index;  /* the partition's number as Linux gives it: p1..p4 for MBR slots, GPT entries from 1 */
	size_t offset;   /* its first byte in buf */
	size_t size;     /* its bytes in buf */
	int truncated;   /* the table says it runs past the end of buf: size is what buf holds */
};
int rs_parttab_sniff(const unsigned char *buf, size_t len);
int rs_parttab_parse(const unsigned char *buf, size_t len, struct rs_part *out, size_t max);

/*
 * extract/mcuhex.c: microcontroller flash images (Intel HEX, Motorola S-record, UF2), for archive.c. rs_flash_sniff
 * gives the format of buf (its first record well formed, checksum included; UF2: the first block's three magics).
 * rs_flash_each decodes it and calls cb->run for each contiguous run of flash addresses, in file order, with its start
 * address (a gap ends a run; nothing is allocated across it), cb->stop (may be NULL) after each to end early. A bad
 * record, an address past 4 GiB or over bytes already given, a run longer than cb->max_run end the decode: the runs
 * before are handed over and why says what and where. UF2 blocks flagged "not main flash" or "file container" are
 * skipped. Returns 0 (why may hold a remark), -1 when memory ran out or a callback returned -1, or 1 when no run
 * was handed over (why may say why).
 */
enum { RS_FLASH_NONE, RS_FLASH_IHEX, RS_FLASH_SREC, RS_FLASH_UF2 };
struct rs_flash_cb {
	int (*run)(void *arg, uint32_t addr, const unsigned char *data, size_t len);
	int (*stop)(void *arg);
	void *arg;
	size_t max_run;
};
int rs_flash_sniff(const unsigned char *buf, size_t len);
int rs_flash_each(const unsigned char *buf, size_t len, const struct rs_flash_cb *cb, char *why, size_t whysize);

/* extract/utf16.c: text with a UTF-16 byte-order mark narrowed to 8-bit (ASCII kept, the rest '?'), malloc'd in
 * *out. Returns 1 when buf was UTF-16 and is converted, 0 when it is not UTF-16 (nothing allocated), -1 no memory. */
int rs_utf16_narrow(const unsigned char *buf, size_t len, unsigned char **out, size_t *outlen);

/* x509/cert.c */
struct rs_cert *rs_cert_from_x509(X509 *x, struct rs_error *err); /* takes a reference of its own */
/* The same; with keep_malformed, a certificate whose extensions OpenSSL flags as invalid is kept (its
 * rs_cert_malformed() says why) instead of being an error. */
struct rs_cert *rs_cert_from_x509_ex(X509 *x, int keep_malformed, struct rs_error *err);
struct rs_cert *rs_cert_from_pem(const char *pem, size_t len, struct rs_error *err);
X509 *rs_cert_get0_x509(const struct rs_cert *cert);
/* A DER X.509 Name as rs_cert_subject writes names; NULL when der is not exactly one Name. */
char *rs_name_der_string(const unsigned char *der, size_t len);

#endif
