/*
 * embedded.c: file systems and compressed streams inside a firmware blob. A router's or a camera's firmware is a
 * header, a kernel and a root file system back to back (OpenWrt's sysupgrade image: a uImage kernel, then a SquashFS
 * at an erase-block boundary); the certificates are in the file system, compressed, so carving the blob finds none.
 * This finds where each file system or stream starts, by its magic and a check of the header behind it that random
 * bytes and the magic strings in a reader's own code fail, so that archive.c can open it in place.
 *
 * Relied on (formats, not code): SquashFS 4.0 superblock (squashfs-tools' squashfs_fs.h: magic "hsqs", block_size
 * at 12, compression at 20, block_log at 22, version 4.0 at 28, bytes_used at 40); ext2/3/4 superblock at byte 1024
 * (magic 0xEF53 at 56, s_log_block_size at 24, s_blocks_count at 4, s_rev_level at 76); gzip RFC 1952 (ID1 ID2 CM=8,
 * FLG's reserved bits 0, XFL 0/2/4, OS 0-13 or 255); xz file format 1.0.4 section 2.1.1 (stream flags and their
 * CRC32); zstd RFC 8878 section 3.1.1.1.1 (frame header descriptor's reserved bit 0); cpio(5) "new ASCII" (13 fields
 * of 8 hex digits after "070701"/"070702", name and data padded to 4 bytes, "TRAILER!!!" last); POSIX ustar
 * (the header checksum at 148 over the 512-byte block with the field as spaces); zip APPNOTE 4.3.7 (local file
 * header); U-Boot's image.h (the legacy uImage header: magic 0x27051956, header CRC32 at 4, data size at 12,
 * compression at 31, 3 for LZMA, the payload at 64). Formats read nowhere here are named in a note: UBI (erase counter header "UBI#", version 1), JFFS2 (node
 * magic 0x1985, header CRC as Linux's crc32(0, hdr, 8)), cramfs ("Compressed ROMFS" at 16) and SquashFS before 4.0.
 */
#include "internal.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static uint32_t le16(const unsigned char *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8; }
static uint32_t le32(const unsigned char *p) { return le16(p) | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24; }
static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static uint64_t le64(const unsigned char *p) { return le32(p) | (uint64_t)le32(p + 4) << 32; }

/* CRC-32 (IEEE 802.3, reflected), continuing from crc without the final inversion of zlib's: Linux's crc32_le. */
static uint32_t crc32_le(uint32_t crc, const unsigned char *p, size_t n)
{
	while (n--) {
		crc ^= *p++;
		for (int k = 0; k < 8; k++)
			crc = crc >> 1 ^ (0xedb88320u & -(crc & 1));
	}
	return crc;
}

static int hexdigits(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((p[i] >= '0' && p[i] <= '9') || (p[i] >= 'a' && p[i] <= 'f') || (p[i] >= 'A' && p[i] <= 'F')))
			return 0;
	return 1;
}

static size_t hex8(const unsigned char *p)
{
	size_t v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 4 | (size_t)(p[i] <= '9' ? p[i] - '0' : (p[i] | 0x20) - 'a' + 10);
	return v;
}

#define ALIGN4(x) (((x) + 3) & ~(size_t)3)

/* ---- each format's check: 0 when the bytes at b (n of them to the blob's end) are not that format ---- */

static int squashfs4(const unsigned char *b, size_t n, struct rs_embedded *e)
{
	uint32_t block = n >= 96 ? le32(b + 12) : 0, log = n >= 96 ? le16(b + 22) : 0;
	uint64_t used;

	if (n < 96 || le32(b + 4) == 0 || log < 12 || log > 20 || block != 1u << log || le16(b + 20) < 1 ||
	    le16(b + 20) > 6 || le16(b + 28) != 4 || le16(b + 30) != 0)
		return 0;
	used = le64(b + 40);
	if (used < 96)
		return 0;
	e->what = "SquashFS";
	e->size = used < n ? (size_t)used : n;
	e->sized = 1;
	return 1;
}

/* SquashFS 1-3: little-endian "hsqs" or big-endian "sqsh", major version 1 to 3 at byte 28 */
static int squashfs_old(const unsigned char *b, size_t n, struct rs_embedded *e)
{
	uint32_t major, minor, log;

	if (n < 96)
		return 0;
	/* squashfs-tools 3.x's squashfs_fs.h: s_major at 28, s_minor at 30, block_log at 34, in the image's byte order */
	major = b[0] == 's' ? (uint32_t)b[28] << 8 | b[29] : le16(b + 28);
	minor = b[0] == 's' ? (uint32_t)b[30] << 8 | b[31] : le16(b + 30);
	log = b[0] == 's' ? (uint32_t)b[34] << 8 | b[35] : le16(b + 34);
	if (major < 1 || major > 3 || minor > 1 || log < 12 || log > 20)
		return 0;
	e->what = "SquashFS";
	e->note = "cannot read a SquashFS image older than 4.0 here (nor vendors' LZMA variants): unpack it (sasquatch, "
		  "unsquashfs 3.x, or binwalk -e) and audit the directory";
	return 1;
}

static int ext2(const unsigned char *b, size_t n, struct rs_embedded *e)
{
	const unsigned char *sb = b + 1024;
	uint32_t log;
	uint64_t size;

	if (n < 2048 || !rs_ext2_sniff(b, n) || le32(sb) == 0 || le32(sb + 4) == 0 || le32(sb + 76) > 1 ||
	    le32(sb + 40) == 0)
		return 0;
	log = le32(sb + 24);
	if (le32(sb + 20) != (log == 0 ? 1u : 0u)) /* s_first_data_block: 1 with 1 KiB blocks, else 0 */
		return 0;
	size = (uint64_t)le32(sb + 4) << (10 + log);
	e->what = "ext2/3/4";
	e->size = size < n ? (size_t)size : n;
	e->sized = 1;
	return 1;
}

static int gzip(const unsigned char *b, size_t n, struct rs_embedded *e)
{
	if (n < 18 || b[2] != 8 || (b[3] & 0xe0) || (b[8] != 0 && b[8] != 2 && b[8] != 4) || (b[9] > 13 && b[9] != 255))
		return 0;
	e->what = "gzip";
	return 1;
}

static int xz(const unsigned char *b, size_t n, struct rs_embedded *e)
{
	if (n < 32 || b[6] != 0 || b[7] > 0x0f || le32(b + 8) != ~crc32_le(~0u, b + 6, 2))
		return 0;
	e->what = "xz";
	return 1;
}

static int zstd(const unsigned char *b, size_t n, struct rs_embedded *e)
{
	if (n < 13 || (b[4] & 0x08))
		return 0;
	e->what = "zstd";
	return 1;
}

/* cpio "new ASCII": every header's fields are hex; walked to its trailer, so its bytes are known */
static int cpio(const unsigned char *b, size_t n, struct rs_embedded *e)
{
	size_t at = 0, entries = 0;

	while (at + 110 <= n && (!memcmp(b + at, "070701", 6) || !memcmp(b + at, "070702", 6)) &&
	       hexdigits(b + at + 6, 104)) {
		size_t name = hex8(b + at + 94), data = hex8(b + at + 54), next;
		if (name == 0 || name > 4096 || data > n)
			break;
		next = ALIGN4(at + 110 + name) + ALIGN4(data);
		entries++;
		if (name == 11 && at + 110 + 11 <= n && !memcmp(b + at + 110, "TRAILER!!!", 11)) {
			if (entries == 1)
				return 0; /* a trailer alone holds nothing */
			at = next < n ? next : n;
			e->what = "cpio";
			e->size = at;
			e->sized = 1;
			return 1;
		}
		if (next > n)
			break;
		at = next;
	}
	if (!entries)
		return 0;
	e->what = "cpio"; /* cut short: libarchive reads what there is */
	return 1;
}

/* A ustar header block: its checksum holds */
static int tar_header(const unsigned char *h)
{
	unsigned long sum = 0, want = 0;
	size_t i;

	for (i = 0; i < 512; i++)
		sum += i >= 148 && i < 156 ? ' ' : h[i];
	for (i = 148; i < 156 && h[i] == ' '; i++)
		;
	if (i == 156 || h[i] < '0' || h[i] > '7')
		return 0;
	for (; i < 156 && h[i] >= '0' && h[i] <= '7'; i++)
		want = want * 8 + (unsigned long)(h[i] - '0');
	return sum == want;
}

static size_t tar_size_field(const unsigned char *h)
{
	size_t v = 0;

	for (size_t i = 124; i < 136 && h[i] >= '0' && h[i] <= '7'; i++)
		v = v * 8 + (size_t)(h[i] - '0');
	return v;
}

/* A tar archive: walked header by header to its two zero blocks (or the last good header) */
static int tar(const unsigned char *b, size_t n, struct rs_embedded *e)
{
	static const unsigned char zero[512];
	size_t at = 0;

	if (n < 1024 || !tar_header(b))
		return 0;
	while (at + 512 <= n && tar_header(b + at)) {
		size_t data = tar_size_field(b + at);
		if (data > n)
			break;
		at += 512 + (data + 511) / 512 * 512;
	}
	if (at + 1024 <= n && !memcmp(b + at, zero, 512) && !memcmp(b + at + 512, zero, 512))
		at += 1024;
	e->what = "tar";
	e->size = at < n ? at : n;
	e->sized = 1;
	return 1;
}

static int zip(const unsigned char *b, size_t n, struct rs_embedded *e)
{
	uint32_t method, name;

	if (n < 30 + 1)
		return 0;
	method = le16(b + 8);
	name = le16(b + 26);
	if (le16(b + 4) > 63 || (method != 0 && method != 8 && method != 9 && method != 12 && method != 14 &&
				 method != 93 && method != 95) || name == 0 || name > 1024 || 30 + name > n)
		return 0;
	for (uint32_t i = 0; i < name; i++)
		if (b[30 + i] < 0x20 || b[30 + i] == 0x7f)
			return 0;
	e->what = "zip";
	return 1;
}

static int ubi(const unsigned char *b, size_t n, struct rs_embedded *e)
{
	uint32_t vid, data;

	if (n < 64 || b[4] != 1)
		return 0;
	vid = be32(b + 16);
	data = be32(b + 20);
	if (vid < 64 || vid >= data || data > (1u << 20))
		return 0;
	e->what = "UBI";
	e->note = "cannot read a UBI image (raw NAND flash) here: extract its volumes (ubireader_extract_files from "
		  "ubi_reader, or binwalk -e) and audit the directory";
	return 1;
}

static int jffs2(const unsigned char *b, size_t n, struct rs_embedded *e)
{
	int big = b[0] == 0x19;
	uint32_t type, crc;

	if (n < 12)
		return 0;
	type = big ? (uint32_t)b[2] << 8 | b[3] : le16(b + 2);
	crc = big ? be32(b + 8) : le32(b + 8);
	if ((type & 0x1fff) == 0 || (type & 0x1fff) > 9 || crc != crc32_le(0, b, 8))
		return 0;
	e->what = "JFFS2";
	e->note = "cannot read a JFFS2 file system (NOR flash) here: extract it (jefferson, or binwalk -e) and audit the "
		  "directory";
	return 1;
}

static int cramfs(const unsigned char *b, size_t n, struct rs_embedded *e)
{
	if (n < 64 || memcmp(b + 16, "Compressed ROMFS", 16))
		return 0;
	e->what = "cramfs";
	e->note = "cannot read a cramfs image here: extract it (cramfsck -x DIR) and audit the directory";
	return 1;
}

/*
 * A U-Boot legacy image (uImage: a 64-byte big-endian header whose CRC32 covers it with that field zero, then the
 * payload) with an LZMA payload (compression 3: the kernels of OpenWrt and of most MIPS and ARM routers). An LZMA
 * stream has no magic of its own; the header says where it is and how long. Other payloads are found by their own
 * magic (gzip, a cpio ramdisk) or are a kernel's code.
 */
static int uimage(const unsigned char *b, size_t n, struct rs_embedded *e)
{
	unsigned char h[64];
	uint32_t size;

	if (n < 64 + 13 || b[31] != 3)
		return 0;
	memcpy(h, b, 64);
	memset(h + 4, 0, 4);
	if (be32(b + 4) != ~crc32_le(~0u, h, 64))
		return 0;
	size = be32(b + 12);
	e->offset += 64;
	e->size = size < n - 64 ? size : n - 64;
	e->sized = 1; /* compressed: nothing to carve in it */
	e->what = "LZMA (uImage)";
	return 1;
}

/* ---- the search ---- */

/* The magics, each with the offset of its match from the format's start and its check. Strings, so no NUL. */
static const struct magic {
	const char *s;
	size_t back; /* the match is this many bytes after the format's start */
	int (*check)(const unsigned char *, size_t, struct rs_embedded *);
} magics[] = {
	{ "hsqs", 0, squashfs4 },
	{ "hsqs", 0, squashfs_old },
	{ "sqsh", 0, squashfs_old },
	{ "\x1f\x8b\x08", 0, gzip },
	{ "\xfd" "7zXZ", 0, xz }, /* and a NUL, checked with the flags */
	{ "\x28\xb5\x2f\xfd", 0, zstd },
	{ "070701", 0, cpio },
	{ "070702", 0, cpio },
	{ "ustar", 257, tar },
	{ "PK\x03\x04", 0, zip },
	{ "UBI#", 0, ubi },
	{ "\x85\x19", 0, jffs2 },
	{ "\x19\x85", 0, jffs2 },
	{ "\x45\x3d\xcd\x28", 0, cramfs },
	{ "\x53\xef", 1080, ext2 }, /* the superblock's magic; the image starts 512-byte aligned */
	{ "\x27\x05\x19\x56", 0, uimage },
};

/* Every candidate is kept until all are sorted: one inside an ext4 image found later (its .gz files) must not take
 * the place of the image itself. Past this many the rest are only counted. */
#define MAX_CANDIDATES 65536

struct found {
	const unsigned char *buf;
	size_t len;
	struct rs_embedded *v; /* grown to MAX_CANDIDATES */
	size_t n, cap, more;
	int nomem;
	unsigned noted; /* the magics already in a note (a UBI image has a header every erase block: noted once) */
};

/* The format at the hit at of magic m, when its check holds: 1 (recorded, or counted past max), else 0. */
static int one(struct found *f, size_t at, const struct magic *m)
{
	struct rs_embedded e;
	unsigned bit = 1u << (m - magics);

	if (at < m->back)
		return 0;
	at -= m->back;
	if ((m->check == jffs2 && at % 4) || (m->check == ext2 && at % 512) ||
	    (m->check == xz && (at + 6 > f->len || f->buf[at + 5] != 0)))
		return 0;
	memset(&e, 0, sizeof(e));
	e.offset = at;
	e.size = f->len - at;
	if (!m->check(f->buf + at, f->len - at, &e))
		return 0;
	if (e.offset == 0 && !e.note) /* a format at the start is the archive reader's, which did not take it */
		return 0;
	if (e.note && (f->noted & bit))
		return 1;
	f->noted |= e.note ? bit : 0;
	if (f->n == f->cap && f->cap < MAX_CANDIDATES && !f->nomem) {
		size_t cap = f->cap ? f->cap * 4 : 64;
		struct rs_embedded *nv = realloc(f->v, cap * sizeof(*nv));
		if (nv) {
			f->v = nv;
			f->cap = cap;
		} else
			f->nomem = 1;
	}
	if (f->n < f->cap)
		f->v[f->n++] = e;
	else
		f->more++;
	return 1;
}

static struct rs_needles needles;
static size_t needle_entry[RS_ARRAY_LEN(magics)]; /* needle k's first entry in magics[] */
static int needles_ok;
static pthread_once_t needles_once = PTHREAD_ONCE_INIT;

static void needles_init(void)
{
	const char *s[RS_ARRAY_LEN(magics)];
	size_t n = 0;

	/* one needle a distinct magic: the entries that share it are tried in turn from its hit */
	for (size_t i = 0; i < RS_ARRAY_LEN(magics); i++)
		if (!i || strcmp(magics[i].s, magics[i - 1].s)) {
			needle_entry[n] = i;
			s[n++] = magics[i].s;
		}
	needles_ok = rs_needles_init(&needles, s, n) == 0;
}

static int on_hit(void *arg, size_t k, size_t at)
{
	const struct magic *m = &magics[needle_entry[k]], *first = m;

	for (; m < magics + RS_ARRAY_LEN(magics) && !strcmp(m->s, first->s); m++)
		if (one(arg, at, m))
			break;
	return 0;
}

static int cmp_offset(const void *a, const void *b)
{
	const struct rs_embedded *x = a, *y = b;

	return x->offset < y->offset ? -1 : x->offset > y->offset;
}

int rs_embedded_find(const unsigned char *buf, size_t len, struct rs_embedded *v, size_t max, size_t *n,
		     size_t *more)
{
	struct found f = { buf, len, NULL, 0, 0, 0, 0, 0 };
	size_t i, kept = 0;

	*n = *more = 0;
	pthread_once(&needles_once, needles_init);
	if (!needles_ok || len < 64 || !max)
		return 0;
	rs_needles_scan(&needles, buf, len, on_hit, &f);
	if (f.nomem) {
		free(f.v);
		return -1;
	}
	/* hits come needle by needle: sorted by offset, and those inside a file system found before them dropped (a
	 * .tar.gz stored in an ext4 image is the image's file, not the blob's; an ext4 image's backup superblocks) */
	if (f.n)
		qsort(f.v, f.n, sizeof(*f.v), cmp_offset);
	for (i = 0; i < f.n; i++) {
		if (kept && v[kept - 1].sized && f.v[i].offset < v[kept - 1].offset + v[kept - 1].size)
			continue;
		if (kept == max)
			f.more++;
		else
			v[kept++] = f.v[i];
	}
	free(f.v);
	*n = kept;
	*more = f.more;
	return 0;
}
