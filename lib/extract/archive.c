/*
 * archive.c: archives and compressed files opened in memory with libarchive (never hand-written format code):
 * gzip, xz, zstd, bzip2, lz4 and lzma streams, tar, zip, cpio, ar (.deb, .ipk) and 7-Zip, nested to a bounded
 * depth. A member's name is the archive's, "!/" and its path inside ("firmware.tgz!/etc/ssl/certs/ca.crt"); a
 * compressed file that is not an archive is one member named after the file without its suffix
 * ("cacert.pem.gz!/cacert.pem"). Limits on the expanded size and on the ratio of expanded to packed bytes stop
 * archive bombs with a note.
 *
 * Relied on: libarchive's archive_read(3) and archive_read_format(3) (archive_read_open_memory, the raw format
 * handler bidding only when no archive format does, so a compressed single file reads as one entry named "data"),
 * and the magic numbers of the formats (gzip RFC 1952, xz, zstd RFC 8878, POSIX ustar at offset 257, cpio
 * "070701"/"070707", zip local header "PK\3\4", ar "!<arch>\n"). SquashFS images, which libarchive does not read,
 * go to squashfs.c (libsquashfs), ext2/3/4 images to ext2.c (libext2fs), and come back file by file, under the
 * same names and limits; a whole-disk image's partitions (parttab.c: MBR or GPT) are members "IMAGE!p1", "IMAGE!p2".
 * A microcontroller's flash image (mcuhex.c: Intel HEX, S-record, UF2) is decoded to one member per contiguous run
 * of flash addresses, "zephyr.hex!/0x08000000.bin": an offset in it plus that address is where a byte is in flash.
 */
#include "internal.h"

#include <archive.h>
#include <archive_entry.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef RS_LIBARCHIVE_SONAME
/* libarchive is opened on first use, not linked: it brings libxml2, ICU, libstdc++, nettle and five compression
 * libraries, whose loading and relocation were a third of a one-off `probe`'s start (issue #19, docs/probe.md
 * "Speed"). Only audit, scan and inspect of an archive or a compressed file open it. The static build links it. */
#include <pthread.h>

static struct {
	struct archive *(*read_new)(void);
	int (*read_support_filter_all)(struct archive *);
	int (*read_support_format_tar)(struct archive *);
	int (*read_support_format_zip)(struct archive *);
	int (*read_support_format_cpio)(struct archive *);
	int (*read_support_format_ar)(struct archive *);
	int (*read_support_format_7zip)(struct archive *);
	int (*read_support_format_raw)(struct archive *);
	int (*read_open_memory)(struct archive *, const void *, size_t);
	int (*read_next_header)(struct archive *, struct archive_entry **);
	la_ssize_t (*read_data)(struct archive *, void *, size_t);
	int (*read_data_skip)(struct archive *);
	int (*read_free)(struct archive *);
	const char *(*error_string)(struct archive *);
	int (*format)(struct archive *);
	__LA_MODE_T (*entry_filetype)(struct archive_entry *);
	const char *(*entry_hardlink)(struct archive_entry *);
	const char *(*entry_pathname)(struct archive_entry *);
} la;
static int la_loaded;
static pthread_once_t la_once = PTHREAD_ONCE_INIT;

static void la_load(void)
{
	static const char *const names[] = {
		"archive_read_new", "archive_read_support_filter_all", "archive_read_support_format_tar",
		"archive_read_support_format_zip", "archive_read_support_format_cpio", "archive_read_support_format_ar",
		"archive_read_support_format_7zip", "archive_read_support_format_raw", "archive_read_open_memory",
		"archive_read_next_header", "archive_read_data", "archive_read_data_skip", "archive_read_free",
		"archive_error_string", "archive_format", "archive_entry_filetype", "archive_entry_hardlink",
		"archive_entry_pathname",
	};

	_Static_assert(sizeof(la) == RS_ARRAY_LEN(names) * sizeof(la.read_new), "one name a function pointer");
	la_loaded = rs_dl_load(RS_LIBARCHIVE_SONAME, names, RS_ARRAY_LEN(names), &la, sizeof(la.read_new));
}

#define RS_LIBARCHIVE_MISSING RS_LIBARCHIVE_SONAME " is not installed"

static int la_ready(void)
{
	pthread_once(&la_once, la_load);
	return la_loaded;
}

#define archive_read_new la.read_new
#define archive_read_support_filter_all la.read_support_filter_all
#define archive_read_support_format_tar la.read_support_format_tar
#define archive_read_support_format_zip la.read_support_format_zip
#define archive_read_support_format_cpio la.read_support_format_cpio
#define archive_read_support_format_ar la.read_support_format_ar
#define archive_read_support_format_7zip la.read_support_format_7zip
#define archive_read_support_format_raw la.read_support_format_raw
#define archive_read_open_memory la.read_open_memory
#define archive_read_next_header la.read_next_header
#define archive_read_data la.read_data
#define archive_read_data_skip la.read_data_skip
#define archive_read_free la.read_free
#define archive_error_string la.error_string
#define archive_format la.format
#define archive_entry_filetype la.entry_filetype
#define archive_entry_hardlink la.entry_hardlink
#define archive_entry_pathname la.entry_pathname
#else
#define RS_LIBARCHIVE_MISSING "libarchive is missing"

static int la_ready(void) { return 1; }
#endif

#define MAX_DEPTH RS_ARCHIVE_MAX_DEPTH     /* archives inside archives: four levels */
#define MAX_MEMBER (256ull << 20)         /* one member read into memory: at most this much */
#define MAX_TOTAL (1ull << 30)            /* everything expanded from one top-level archive */
#define RATIO_FLOOR (64ull << 20)         /* below this much expanded, any ratio is fine (zeroed firmware) */
#define MAX_RATIO 200ull                  /* expanded bytes per packed byte past the floor: a bomb */

/* The magic of a format libarchive reads. */
static int la_sniff(const unsigned char *b, size_t n)
{
	static const struct {
		size_t at, len;
		const char *magic;
	} m[] = {
		{ 0, 2, "\x1f\x8b" },                 /* gzip */
		{ 0, 6, "\xfd" "7zXZ\0" },            /* xz */
		{ 0, 4, "\x28\xb5\x2f\xfd" },         /* zstd */
		{ 0, 3, "BZh" },                      /* bzip2 */
		{ 0, 4, "\x04\x22\x4d\x18" },         /* lz4 */
		{ 0, 4, "PK\x03\x04" },               /* zip */
		{ 0, 6, "7z\xbc\xaf\x27\x1c" },       /* 7-Zip */
		{ 0, 8, "!<arch>\n" },                /* ar: .deb, .ipk */
		{ 0, 6, "070701" },                   /* cpio newc */
		{ 0, 6, "070702" },                   /* cpio crc */
		{ 0, 6, "070707" },                   /* cpio odc */
		{ 257, 5, "ustar" },                  /* POSIX and GNU tar */
	};
	size_t i;

	for (i = 0; i < RS_ARRAY_LEN(m); i++)
		if (n >= m[i].at + m[i].len && !memcmp(b + m[i].at, m[i].magic, m[i].len))
			return 1;
	/* binary cpio, either byte order */
	return n >= 26 && ((b[0] == 0xc7 && b[1] == 0x71) || (b[0] == 0x71 && b[1] == 0xc7));
}

int rs_archive_sniff(const unsigned char *b, size_t n)
{
	return la_sniff(b, n) || rs_sqfs_sniff(b, n) || rs_ext2_sniff(b, n) || rs_parttab_sniff(b, n) ||
	       rs_flash_sniff(b, n) != RS_FLASH_NONE;
}

struct budget {
	unsigned long long packed, expanded;
	int stopped; /* a limit was reached: read nothing more */
};

struct each {
	const struct rs_archive_cb *cb;
	struct budget *bud;
	struct rs_error *err;
};

static int note(const struct each *e, const char *name, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int note(const struct each *e, const char *name, const char *fmt, ...)
{
	char msg[384];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return e->cb->note ? e->cb->note(e->cb->arg, name, msg) : 0;
}

/* The name of a compressed file's single member: the file's base name without its compression suffix. */
static void raw_name(const char *outer, char *out, size_t size)
{
	static const char *const sfx[] = { ".gz", ".xz", ".zst", ".bz2", ".lz4", ".lzma", ".z", ".Z", ".tgz" };
	const char *base = strrchr(outer, '/');
	size_t n, i, k;

	base = base ? base + 1 : outer;
	snprintf(out, size, "%s", base);
	n = strlen(out);
	for (i = 0; i < RS_ARRAY_LEN(sfx); i++) {
		k = strlen(sfx[i]);
		if (n > k && !strcmp(out + n - k, sfx[i])) {
			out[n - k] = '\0';
			if (!strcmp(sfx[i], ".tgz"))
				snprintf(out + n - k, size - (n - k), ".tar");
			return;
		}
	}
	snprintf(out, size, "data");
}

static int each_at(struct each *e, const unsigned char *buf, size_t len, const char *name, int depth);

/* Counts n more expanded bytes against the limits: 1 within them; 0 when a limit is reached (noted, and nothing more
 * is read); -1 when the note failed. */
static int charge(struct each *e, const char *name, size_t n)
{
	e->bud->expanded += (unsigned long long)n;
	if (e->bud->expanded <= MAX_TOTAL &&
	    (e->bud->expanded <= RATIO_FLOOR || e->bud->expanded / MAX_RATIO <= e->bud->packed))
		return 1;
	e->bud->stopped = 1;
	return note(e, name, "the archive expands to more than %s: an archive bomb? the rest is not read",
		    e->bud->expanded > MAX_TOTAL ? "1 GiB" : "200 times its size") < 0 ? -1 : 0;
}

/* Reads the current entry whole (it may not say its size), within the limits. 1: read; 0: skipped; -1: memory. */
static int read_member(struct each *e, struct archive *a, const char *name, unsigned char **out, size_t *outlen)
{
	size_t cap = 0, n = 0;
	unsigned char *v = NULL;
	char chunk[65536];
	la_ssize_t r;

	*out = NULL;
	*outlen = 0;
	while ((r = archive_read_data(a, chunk, sizeof(chunk))) > 0) {
		int c = charge(e, name, (size_t)r);
		if (c <= 0) {
			free(v);
			return c;
		}
		if (n + (size_t)r > MAX_MEMBER) {
			free(v);
			archive_read_data_skip(a);
			return note(e, name, "a member larger than 256 MiB is not read") < 0 ? -1 : 0;
		}
		if (n + (size_t)r > cap) {
			unsigned char *nv;
			cap = cap ? cap * 2 : 1u << 16;
			while (cap < n + (size_t)r)
				cap *= 2;
			if (!(nv = realloc(v, cap))) {
				free(v);
				return rs_fail(e->err, RS_ERR_NOMEM, "out of memory reading '%s'", name);
			}
			v = nv;
		}
		memcpy(v + n, chunk, (size_t)r);
		n += (size_t)r;
	}
	if (r < 0) {
		free(v);
		return note(e, name, "cannot read: %s", archive_error_string(a) ? archive_error_string(a)
										   : "corrupt archive") < 0 ? -1 : 0;
	}
	*out = v;
	*outlen = n;
	return 1;
}

/* One member: an archive again (to MAX_DEPTH), or bytes for the callback. */
static int member(struct each *e, const char *name, const unsigned char *buf, size_t len, int depth)
{
	if (len && rs_archive_sniff(buf, len)) {
		int r;
		if (depth + 1 >= MAX_DEPTH)
			return note(e, name, "an archive nested more than %d deep is not opened", MAX_DEPTH);
		if ((r = each_at(e, buf, len, name, depth + 1)) != 1)
			return r;
		/* not an archive after all: its bytes as they are */
	}
	return e->cb->member(e->cb->arg, name, buf, len, depth + 1);
}

/* ---- SquashFS (squashfs.c): each file of the image as a member ---- */

struct sqfs_walk {
	struct each *e;
	const char *name;
	int depth;
	int failed; /* a callback returned -1 with the error set */
};

/* One file of the image, named "IMAGE!/path": its bytes as a member, or (why set) a note on why it was not read. */
static int sqfs_member(struct sqfs_walk *w, const char *path, const unsigned char *data, size_t len, const char *why)
{
	struct rs_buf full = RS_BUF_INIT;
	int rv;

	if (rs_buf_addf(&full, "%s!/%s", w->name, path) < 0)
		rv = rs_fail(w->e->err, RS_ERR_NOMEM, "out of memory");
	else if (why)
		rv = note(w->e, full.data, "%s", why);
	else if ((rv = charge(w->e, full.data, len)) > 0)
		rv = member(w->e, full.data, len ? data : (const unsigned char *)"", len, w->depth);
	rs_buf_release(&full);
	w->failed |= rv < 0;
	return rv < 0 ? -1 : 0;
}

static int sqfs_file(void *arg, const char *path, const unsigned char *data, size_t len)
{
	return sqfs_member(arg, path, data, len, NULL);
}

static int sqfs_skip(void *arg, const char *path, const char *why)
{
	return sqfs_member(arg, path, NULL, 0, why);
}

static int sqfs_stop(void *arg)
{
	return ((struct sqfs_walk *)arg)->e->bud->stopped;
}

/* A SquashFS (squashfs.c) or ext2/3/4 (ext2.c) image: the same callbacks, names and limits. */
static int image_at(struct each *e, const unsigned char *buf, size_t len, const char *name, int depth,
		    int (*each)(const unsigned char *, size_t, const struct rs_sqfs_cb *, char *, size_t))
{
	struct sqfs_walk w = { e, name, depth, 0 };
	struct rs_sqfs_cb cb = { sqfs_file, sqfs_skip, sqfs_stop, &w, MAX_MEMBER };
	char why[256] = "";
	int rv = each(buf, len, &cb, why, sizeof(why));

	if (rv == 1) /* not read: a note, then the bytes as they are */
		return note(e, name, "%s", why) < 0 ? -1 : 1;
	if (rv == 0 && why[0] && note(e, name, "%s", why) < 0) /* read, with a remark on the image as a whole */
		return -1;
	if (rv < 0 && !w.failed)
		rs_fail(e->err, RS_ERR_NOMEM, "out of memory reading '%s'", name);
	return rv;
}

/* ---- a whole-disk image (parttab.c): each partition as a member "IMAGE!pN", read in place ---- */

static int parts_at(struct each *e, const unsigned char *buf, size_t len, const char *name, int depth)
{
	struct rs_part parts[128];
	int n = rs_parttab_parse(buf, len, parts, RS_ARRAY_LEN(parts)), rv = 0;

	if (n <= 0)
		return 1; /* no table after all: the bytes as they are */
	for (int i = 0; i < n && rv >= 0 && !e->bud->stopped; i++) {
		struct rs_buf full = RS_BUF_INIT;
		/* a partition is the image's own bytes, not expanded ones: not charged, not copied */
		if (rs_buf_addf(&full, "%s!p%u", name, parts[i].index) < 0)
			rv = rs_fail(e->err, RS_ERR_NOMEM, "out of memory");
		else if (parts[i].truncated && note(e, full.data, "the partition runs past the end of the image "
						   "(truncated?): the part inside it is read") < 0)
			rv = -1;
		else
			rv = member(e, full.data, buf + parts[i].offset, parts[i].size, depth) < 0 ? -1 : 0;
		rs_buf_release(&full);
	}
	return rv;
}

/* ---- a flash image (mcuhex.c): each run of flash addresses as a member "FILE!/0xADDRESS.bin" ---- */

struct flash_walk {
	struct each *e;
	const char *name;
	int depth;
	int failed; /* a callback returned -1 with the error set */
};

static int flash_run(void *arg, uint32_t addr, const unsigned char *data, size_t len)
{
	struct flash_walk *w = arg;
	struct rs_buf full = RS_BUF_INIT;
	int rv;

	if (rs_buf_addf(&full, "%s!/0x%08" PRIx32 ".bin", w->name, addr) < 0)
		rv = rs_fail(w->e->err, RS_ERR_NOMEM, "out of memory");
	else if ((rv = charge(w->e, full.data, len)) > 0)
		rv = member(w->e, full.data, data, len, w->depth);
	rs_buf_release(&full);
	w->failed |= rv < 0;
	return rv < 0 ? -1 : 0;
}

static int flash_stop(void *arg)
{
	return ((struct flash_walk *)arg)->e->bud->stopped;
}

static int flash_at(struct each *e, const unsigned char *buf, size_t len, const char *name, int depth)
{
	struct flash_walk w = { e, name, depth, 0 };
	struct rs_flash_cb cb = { flash_run, flash_stop, &w, MAX_MEMBER };
	char why[256] = "";
	int rv = rs_flash_each(buf, len, &cb, why, sizeof(why));

	if (rv < 0 && !w.failed)
		return rs_fail(e->err, RS_ERR_NOMEM, "out of memory reading '%s'", name);
	/* 1: no bytes decoded, the file is read as it is; 0: read, maybe up to a bad record */
	if (rv >= 0 && why[0] && note(e, name, "%s", why) < 0)
		return -1;
	return rv;
}

/* A compression stream's magic (gzip, xz, zstd, bzip2, lz4): what it holds may be any file. */
static int compressed(const unsigned char *b, size_t n)
{
	return (n >= 2 && b[0] == 0x1f && b[1] == 0x8b) || (n >= 6 && !memcmp(b, "\xfd" "7zXZ\0", 6)) ||
	       (n >= 4 && !memcmp(b, "\x28\xb5\x2f\xfd", 4)) || (n >= 3 && !memcmp(b, "BZh", 3)) ||
	       (n >= 4 && !memcmp(b, "\x04\x22\x4d\x18", 4));
}

static int la_each(struct each *e, const unsigned char *buf, size_t len, const char *name, int depth, int raw_only);

static int each_at(struct each *e, const unsigned char *buf, size_t len, const char *name, int depth)
{
	int rv;

	if (rs_flash_sniff(buf, len) != RS_FLASH_NONE)
		return flash_at(e, buf, len, name, depth);
	if (rs_sqfs_sniff(buf, len))
		return image_at(e, buf, len, name, depth, rs_sqfs_each);
	if (rs_ext2_sniff(buf, len))
		return image_at(e, buf, len, name, depth, rs_ext2_each);
	/* no sane partition table after all: libarchive's only if its magic is there too, else the bytes as they are */
	if (rs_parttab_sniff(buf, len) && ((rv = parts_at(e, buf, len, name, depth)) != 1 || !la_sniff(buf, len)))
		return rv;
	if (!la_ready()) /* like an archive libarchive cannot open: a note, then the bytes as they are */
		return note(e, name, "cannot open the archive: %s", RS_LIBARCHIVE_MISSING) < 0 ? -1 : 1;
	/* a compressed file system or disk image starts with zeros, which the tar reader takes for an empty archive
	 * (two zero blocks end one): nothing read, so the stream is read again as one file */
	if ((rv = la_each(e, buf, len, name, depth, 0)) == 2)
		rv = compressed(buf, len) ? la_each(e, buf, len, name, depth, 1) : 0;
	return rv == 2 ? 0 : rv;
}

/* libarchive's reading; raw_only: the stream as one file. 2: an archive without entries. */
static int la_each(struct each *e, const unsigned char *buf, size_t len, const char *name, int depth, int raw_only)
{
	struct archive *a;
	struct archive_entry *ent;
	int rv = 0, r = ARCHIVE_OK, entries = 0;

	if (!(a = archive_read_new()))
		return rs_fail(e->err, RS_ERR_NOMEM, "out of memory");
	archive_read_support_filter_all(a);
	if (!raw_only) {
		archive_read_support_format_tar(a);
		archive_read_support_format_zip(a);
		archive_read_support_format_cpio(a);
		archive_read_support_format_ar(a);
		archive_read_support_format_7zip(a);
	}
	archive_read_support_format_raw(a); /* bids only when no archive format does: one compressed file */
	if (archive_read_open_memory(a, buf, len) != ARCHIVE_OK) {
		rv = note(e, name, "cannot open the archive: %s", archive_error_string(a) ? archive_error_string(a) : "?");
		archive_read_free(a);
		return rv < 0 ? -1 : 1;
	}
	while (rv >= 0 && !e->bud->stopped && (r = archive_read_next_header(a, &ent)) != ARCHIVE_EOF) {
		struct rs_buf full = RS_BUF_INIT;
		unsigned char *data;
		size_t n;
		const char *path;
		char raw[256];

		if (r == ARCHIVE_FATAL || r == ARCHIVE_RETRY) {
			rv = note(e, name, "cannot read the archive%s: %s", entries ? " to its end" : "",
				  archive_error_string(a) ? archive_error_string(a) : "corrupt");
			if (rv == 0 && !entries)
				rv = 1; /* nothing read: the caller reads the bytes as they are */
			break;
		}
		entries++;
		/* regular files; an ar member whose mode is 0 has no type but is one */
		if ((archive_entry_filetype(ent) != AE_IFREG && archive_entry_filetype(ent) != 0) ||
		    archive_entry_hardlink(ent))
			continue;
		if (archive_format(a) == ARCHIVE_FORMAT_RAW) {
			raw_name(name, raw, sizeof(raw));
			path = raw;
		} else {
			path = archive_entry_pathname(ent) ? archive_entry_pathname(ent) : "?";
			while (path[0] == '.' && path[1] == '/')
				path += 2;
			while (*path == '/')
				path++;
		}
		if (rs_buf_addf(&full, "%s!/%s", name, path) < 0) {
			rv = rs_fail(e->err, RS_ERR_NOMEM, "out of memory");
			break;
		}
		if ((r = read_member(e, a, full.data, &data, &n)) < 0)
			rv = -1;
		else if (r > 0)
			rv = member(e, full.data, data ? data : (const unsigned char *)"", n, depth) < 0 ? -1 : 0;
		free(data);
		rs_buf_release(&full);
	}
	archive_read_free(a);
	return rv == 0 && !entries && r == ARCHIVE_EOF ? 2 : rv;
}

int rs_archive_each(const unsigned char *buf, size_t len, const char *name, int depth, const struct rs_archive_cb *cb,
		    struct rs_error *err)
{
	struct budget bud = { len, 0, 0 };
	struct each e = { cb, &bud, err };

	return each_at(&e, buf, len, name ? name : "(memory)", depth);
}

/* ---- file systems and streams inside a blob (embedded.c), each read in place as a member "BLOB!@OFFSET" ---- */

struct quiet {
	const struct rs_archive_cb *cb;
	const char *region; /* a stream found by its magic alone: what its reader says of it as a whole is dropped */
};

static int quiet_member(void *arg, const char *name, const unsigned char *buf, size_t len, int depth)
{
	const struct quiet *q = arg;

	return q->cb->member(q->cb->arg, name, buf, len, depth);
}

static int quiet_note(void *arg, const char *name, const char *message)
{
	const struct quiet *q = arg;

	if (q->region && !strcmp(name, q->region))
		return 0;
	return q->cb->note ? q->cb->note(q->cb->arg, name, message) : 0;
}

int rs_archive_embedded(const unsigned char *buf, size_t len, const char *name, int depth, struct rs_embedded *v,
			size_t n, size_t more, const struct rs_archive_cb *cb, struct rs_error *err)
{
	struct budget bud = { len, 0, 0 };
	struct quiet q = { cb, NULL };
	struct rs_archive_cb qcb = { quiet_member, quiet_note, &q };
	struct each e = { &qcb, &bud, err };
	int rv = 0;

	for (size_t i = 0; i < n && rv >= 0 && !bud.stopped; i++) {
		struct rs_buf full = RS_BUF_INIT;
		if (rs_buf_addf(&full, "%s!@%zu", name, v[i].offset) < 0)
			rv = rs_fail(err, RS_ERR_NOMEM, "out of memory");
		else if (v[i].note)
			rv = note(&e, full.data, "%s", v[i].note);
		else if (depth + 1 >= MAX_DEPTH)
			rv = note(&e, full.data, "a %s image nested more than %d deep is not opened", v[i].what, MAX_DEPTH);
		else {
			/* a file system's superblock was checked: what its reader says is worth a note; a stream's magic
			 * is three to six bytes, which a blob may hold by chance */
			q.region = v[i].sized ? NULL : full.data;
			rv = each_at(&e, buf + v[i].offset, v[i].size, full.data, depth + 1);
			v[i].opened = rv == 0;
			rv = rv < 0 ? -1 : 0;
		}
		rs_buf_release(&full);
	}
	if (rv == 0 && more)
		rv = note(&e, name, "%zu more places look like the start of a file system or a compressed stream: not "
			 "opened (32 a file at most)", more) < 0 ? -1 : 0;
	return rv < 0 ? -1 : 0;
}
