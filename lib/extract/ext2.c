/*
 * ext2.c: ext2, ext3 and ext4 file system images (Yocto's *.ext4, Buildroot's rootfs.ext2/rootfs.ext4, the root
 * partition of a Raspberry Pi .img or a Yocto .wic), read in memory with libext2fs (e2fsprogs; Debian
 * libext2fs-dev), never hand-written file-system code. archive.c hands such an image here and gets every regular
 * file back by its path in the image, exactly as squashfs.c gives a SquashFS image's files: same callback, same
 * limits. Only files reachable from the root directory are read, through their inodes' block maps or extents, so a
 * deleted file's old blocks are never read and a file in scattered extents is read whole.
 *
 * An image shorter than its file system (mke2fs -d into a new file leaves the unwritten tail out; a cut download)
 * reads as zeros past its end, with a note; one whose block count is far beyond its size is refused as damaged.
 *
 * Relied on: e2fsprogs' headers (ext2fs/ext2_io.h: struct struct_io_manager and struct struct_io_channel, an I/O
 * manager is a table of functions whose read_blk64 reads `count` blocks of channel->block_size bytes, or -count
 * bytes when count is negative, as unix_io.c and test_io.c do; ext2fs/ext2fs.h: ext2fs_open2 with
 * EXT2_FLAG_SUPER_ONLY reads the superblock alone, ext2fs_dir_iterate2, ext2fs_read_inode, ext2fs_file_open,
 * ext2fs_file_get_lsize and ext2fs_file_read; ext2fs/ext2_err.h: the error codes) and the superblock's magic 0xEF53
 * at byte 56 of the superblock, which starts at byte 1024 of the image (ext2_fs.h: EXT2_SUPER_MAGIC, SUPERBLOCK_OFFSET).
 *
 * libext2fs is opened on first use, as libsquashfs is: only audit and scan of an image need it. Without it an
 * image is noted, never silently read as opaque bytes.
 */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The superblock starts at byte 1024; its magic (s_magic, 0xEF53 little-endian) at 56 in it; s_log_block_size (the
 * block size is 1024 << it) at 24, at most 6 (64 KiB). */
int rs_ext2_sniff(const unsigned char *b, size_t n)
{
	const unsigned char *sb = b + 1024;

	return n >= 2048 && sb[56] == 0x53 && sb[57] == 0xef && sb[24] <= 6 && !sb[25] && !sb[26] && !sb[27];
}

#ifdef RS_NO_EXT2FS
int rs_ext2_each(const unsigned char *buf, size_t len, const struct rs_sqfs_cb *cb, char *why, size_t whysize)
{
	(void)buf, (void)len, (void)cb;
	snprintf(why, whysize, "an ext2/3/4 image: this build of rootshift cannot open one (built without libext2fs)");
	return 1;
}
#else
#include <ext2fs/ext2fs.h>

#ifdef RS_EXT2FS_SONAME
#include <pthread.h>

static struct {
	errcode_t (*open2)(const char *, const char *, int, int, unsigned int, io_manager, ext2_filsys *);
	errcode_t (*close_free)(ext2_filsys *);
	errcode_t (*dir_iterate2)(ext2_filsys, ext2_ino_t, int, char *,
				  int (*)(ext2_ino_t, int, struct ext2_dir_entry *, int, int, char *, void *), void *);
	errcode_t (*read_inode)(ext2_filsys, ext2_ino_t, struct ext2_inode *);
	errcode_t (*file_open)(ext2_filsys, ext2_ino_t, int, ext2_file_t *);
	errcode_t (*file_get_lsize)(ext2_file_t, __u64 *);
	errcode_t (*file_read)(ext2_file_t, void *, unsigned int, unsigned int *);
	errcode_t (*file_close)(ext2_file_t);
	blk64_t (*blocks_count)(struct ext2_super_block *);
} e2;
static int e2_loaded;
static pthread_once_t e2_once = PTHREAD_ONCE_INIT;

static void e2_load(void)
{
	static const char *const names[] = {
		"ext2fs_open2", "ext2fs_close_free", "ext2fs_dir_iterate2", "ext2fs_read_inode", "ext2fs_file_open",
		"ext2fs_file_get_lsize", "ext2fs_file_read", "ext2fs_file_close", "ext2fs_blocks_count",
	};

	_Static_assert(sizeof(e2) == RS_ARRAY_LEN(names) * sizeof(e2.open2), "one name a function pointer");
	e2_loaded = rs_dl_load(RS_EXT2FS_SONAME, names, RS_ARRAY_LEN(names), &e2, sizeof(e2.open2));
}

static int e2_ready(void)
{
	pthread_once(&e2_once, e2_load);
	return e2_loaded;
}
#define E2(f) e2.f
#define E2_MISSING RS_EXT2FS_SONAME " is not installed"
#else
static int e2_ready(void) { return 1; }
#define E2_MISSING "libext2fs is missing"
#define E2(f) ext2fs_##f
#endif

#define MAX_DIRS 65536u      /* directories walked in one image */
#define MAX_ENTRIES 1048576u /* directory entries looked at in one image */

/* ---- the image in memory, as the device libext2fs reads: read-only ---- */

struct mem_dev {
	const unsigned char *buf;
	size_t len;
};

/* ext2fs_open2 gives the manager's open only a name: the image it means is handed over in this thread. */
static _Thread_local const struct mem_dev *pending;

static struct struct_io_manager mem_manager;

static errcode_t mem_open(const char *name, int flags, io_channel *out)
{
	io_channel io;

	if (!pending || (flags & IO_FLAG_RW))
		return EXT2_ET_BAD_DEVICE_NAME;
	if (!(io = calloc(1, sizeof(*io))))
		return EXT2_ET_NO_MEMORY;
	io->magic = EXT2_ET_MAGIC_IO_CHANNEL;
	io->manager = &mem_manager;
	io->name = (char *)name; /* ext2fs_open2's own copy, which outlives the channel */
	io->block_size = 1024;
	io->refcount = 1;
	io->private_data = (void *)pending;
	*out = io;
	return 0;
}

static errcode_t mem_close(io_channel io)
{
	if (--io->refcount > 0)
		return 0;
	free(io);
	return 0;
}

static errcode_t mem_set_blksize(io_channel io, int blksize)
{
	if (blksize <= 0 || blksize > 65536)
		return EXT2_ET_INVALID_ARGUMENT;
	io->block_size = blksize;
	return 0;
}

/* Beyond the image is a short read, as on a truncated file. */
static errcode_t mem_read_blk64(io_channel io, unsigned long long block, int count, void *data)
{
	const struct mem_dev *d = io->private_data;
	unsigned long long size = count < 0 ? (unsigned long long)-(long long)count
					   : (unsigned long long)count * (unsigned long long)io->block_size;
	unsigned long long off = block * (unsigned long long)io->block_size;

	if (size > (1u << 26) || block > (unsigned long long)d->len || off > d->len)
		return EXT2_ET_SHORT_READ;
	/* past the end: zeros, as a file mke2fs made without writing its tail reads (the caller notes the shortfall) */
	if (size > d->len - off) {
		memcpy(data, d->buf + off, d->len - off);
		memset((char *)data + (d->len - off), 0, (size_t)size - (d->len - off));
		return 0;
	}
	memcpy(data, d->buf + off, (size_t)size);
	return 0;
}

static errcode_t mem_read_blk(io_channel io, unsigned long block, int count, void *data)
{
	return mem_read_blk64(io, block, count, data);
}

static errcode_t mem_write_blk64(io_channel io, unsigned long long block, int count, const void *data)
{
	(void)io, (void)block, (void)count, (void)data;
	return EXT2_ET_RO_FILSYS;
}

static errcode_t mem_write_blk(io_channel io, unsigned long block, int count, const void *data)
{
	return mem_write_blk64(io, block, count, data);
}

static errcode_t mem_flush(io_channel io)
{
	(void)io;
	return 0;
}

static errcode_t mem_set_option(io_channel io, const char *option, const char *arg)
{
	(void)io, (void)option, (void)arg;
	return EXT2_ET_INVALID_ARGUMENT;
}

static struct struct_io_manager mem_manager = {
	.magic = EXT2_ET_MAGIC_IO_MANAGER,
	.name = "rootshift memory",
	.open = mem_open,
	.close = mem_close,
	.set_blksize = mem_set_blksize,
	.read_blk = mem_read_blk,
	.write_blk = mem_write_blk,
	.flush = mem_flush,
	.set_option = mem_set_option,
	.read_blk64 = mem_read_blk64,
	.write_blk64 = mem_write_blk64,
};

static const char *e2_error(errcode_t code)
{
	switch (code) {
	case EXT2_ET_NO_MEMORY: return "a table too large for memory (a damaged size?)";
	case EXT2_ET_SHORT_READ: return "an offset beyond the image (truncated?)";
	case EXT2_ET_BAD_MAGIC: return "not an ext2/3/4 file system";
	case EXT2_ET_UNSUPP_FEATURE:
	case EXT2_ET_RO_UNSUPP_FEATURE: return "a feature this libext2fs does not support";
	case EXT2_ET_REV_TOO_HIGH: return "a file system revision this libext2fs does not know";
	default: return "a corrupt file system";
	}
}

/* Opens the image read-only: its superblock alone first, to check that the image holds the blocks it counts (a
 * damaged count would size the group descriptors' table from it), then whole. 0, or 1 with why filled. */
static int e2_open(const struct mem_dev *dev, ext2_filsys *fs, char *why, size_t whysize)
{
	const int flags = EXT2_FLAG_64BITS | EXT2_FLAG_SKIP_MMP | EXT2_FLAG_IGNORE_CSUM_ERRORS;
	unsigned long long blocks, bytes;
	errcode_t rc;

	*fs = NULL;
	pending = dev;
	rc = E2(open2)("image", NULL, flags | EXT2_FLAG_SUPER_ONLY, 0, 0, &mem_manager, fs);
	if (rc == 0) {
		blocks = E2(blocks_count)((*fs)->super);
		bytes = blocks * (unsigned long long)(*fs)->blocksize;
		E2(close_free)(fs);
		/* a damaged count: far more blocks than the image holds */
		if (blocks > (~0ull >> 17) || bytes / 16 > dev->len) {
			pending = NULL;
			snprintf(why, whysize, "cannot read the ext2/3/4 image: truncated or damaged (it says %llu bytes, "
				 "there are %zu)", blocks > (~0ull >> 17) ? ~0ull : bytes, dev->len);
			return 1;
		}
		if (bytes > dev->len)
			snprintf(why, whysize, "cannot read all of the ext2/3/4 image: shorter than its file system, "
				 "truncated? (it says %llu bytes, there are %zu); blocks past its end read as zeros", bytes,
				 dev->len);
		rc = E2(open2)("image", NULL, flags, 0, 0, &mem_manager, fs);
	}
	pending = NULL;
	if (rc == 0)
		return 0;
	if (*fs)
		E2(close_free)(fs);
	snprintf(why, whysize, "cannot read the ext2/3/4 image: %s", e2_error(rc));
	return 1;
}

/* ---- the walk: directories from the root, each once ---- */

struct dir {
	ext2_ino_t ino;
	char *path; /* "" for the root, else "etc/ssl" */
};

struct walk {
	ext2_filsys fs;
	const struct rs_sqfs_cb *cb;
	struct dir *todo; /* directories still to read */
	size_t ntodo, cap;
	ext2_ino_t *seen; /* directories queued: an open-addressing set (0 = empty), a cycle is walked once */
	size_t seencap, nseen;
	unsigned entries;
	const char *dir; /* the directory being read */
	int rv;          /* -1: a callback failed or memory ran out; 1: a limit was reached */
	int limit_noted;
};

/* 1 when ino is new (now in the set), 0 when seen, -1 no memory. */
static int seen_add(struct walk *w, ext2_ino_t ino)
{
	size_t i;

	if ((w->nseen + 1) * 2 > w->seencap) {
		size_t ncap = w->seencap ? w->seencap * 2 : 256;
		ext2_ino_t *ns = calloc(ncap, sizeof(*ns));
		if (!ns)
			return -1;
		for (i = 0; i < w->seencap; i++)
			if (w->seen[i]) {
				size_t j = (w->seen[i] * 2654435761u) & (ncap - 1);
				while (ns[j])
					j = (j + 1) & (ncap - 1);
				ns[j] = w->seen[i];
			}
		free(w->seen);
		w->seen = ns;
		w->seencap = ncap;
	}
	for (i = (ino * 2654435761u) & (w->seencap - 1); w->seen[i]; i = (i + 1) & (w->seencap - 1))
		if (w->seen[i] == ino)
			return 0;
	w->seen[i] = ino;
	w->nseen++;
	return 1;
}

static char *join(const char *dir, const char *name, size_t n)
{
	size_t d = strlen(dir);
	char *p = malloc(d + 1 + n + 1);

	if (!p)
		return NULL;
	memcpy(p, dir, d);
	if (d)
		p[d++] = '/';
	memcpy(p + d, name, n);
	p[d + n] = '\0';
	return p;
}

static int skip(struct walk *w, const char *path, const char *why)
{
	return w->cb->skip(w->cb->arg, path, why) < 0 ? -1 : 0;
}

/* One regular file to the callback, read whole unless larger than cb->max_member. */
static int one_file(struct walk *w, ext2_ino_t ino, const char *path)
{
	ext2_file_t f;
	__u64 size = 0;
	unsigned char *data;
	unsigned got = 0;
	errcode_t rc;
	int rv;

	if ((rc = E2(file_open)(w->fs, ino, 0, &f)) != 0)
		return skip(w, path, e2_error(rc));
	if ((rc = E2(file_get_lsize)(f, &size)) != 0 || size > w->cb->max_member || size > 0x7fffffff) {
		E2(file_close)(f);
		return skip(w, path, rc ? e2_error(rc) : "a member larger than 256 MiB is not read");
	}
	if (!(data = malloc(size ? (size_t)size : 1))) {
		E2(file_close)(f);
		return -1;
	}
	rc = size ? E2(file_read)(f, data, (unsigned)size, &got) : 0;
	E2(file_close)(f);
	if (rc || got != size)
		rv = skip(w, path, rc ? e2_error(rc) : "shorter than its size");
	else
		rv = w->cb->file(w->cb->arg, path, data, (size_t)size);
	free(data);
	return rv;
}

static int queue_dir(struct walk *w, ext2_ino_t ino, char *path)
{
	int r = seen_add(w, ino);

	if (r <= 0) {
		free(path);
		return r;
	}
	if (w->nseen > MAX_DIRS) {
		free(path);
		w->rv = 1;
		return 0;
	}
	if (w->ntodo == w->cap) {
		size_t ncap = w->cap ? w->cap * 2 : 64;
		struct dir *nt = realloc(w->todo, ncap * sizeof(*nt));
		if (!nt) {
			free(path);
			return -1;
		}
		w->todo = nt;
		w->cap = ncap;
	}
	w->todo[w->ntodo].ino = ino;
	w->todo[w->ntodo++].path = path;
	return 0;
}

static int entry(ext2_ino_t dir, int kind, struct ext2_dir_entry *d, int offset, int blocksize, char *buf, void *arg)
{
	struct walk *w = arg;
	size_t n = (size_t)(d->name_len & 0xff); /* the low byte; the high one is the file type (ext2_fs.h) */
	struct ext2_inode inode;
	char *path;
	int r;

	(void)dir, (void)kind, (void)offset, (void)blocksize, (void)buf;
	if (!d->inode || (n == 1 && d->name[0] == '.') || (n == 2 && d->name[0] == '.' && d->name[1] == '.'))
		return 0;
	if (++w->entries > MAX_ENTRIES) {
		w->rv = 1;
		return DIRENT_ABORT;
	}
	if ((w->cb->stop && w->cb->stop(w->cb->arg)) || E2(read_inode)(w->fs, d->inode, &inode) != 0)
		return w->cb->stop && w->cb->stop(w->cb->arg) ? DIRENT_ABORT : 0;
	if (!LINUX_S_ISREG(inode.i_mode) && !LINUX_S_ISDIR(inode.i_mode))
		return 0;
	if (!(path = join(w->dir, d->name, n))) {
		w->rv = -1;
		return DIRENT_ABORT;
	}
	if (LINUX_S_ISDIR(inode.i_mode)) {
		r = queue_dir(w, d->inode, path);
	} else {
		r = one_file(w, d->inode, path);
		free(path);
	}
	if (r < 0 || w->rv)
		w->rv = r < 0 ? -1 : w->rv;
	return w->rv ? DIRENT_ABORT : 0;
}

int rs_ext2_each(const unsigned char *buf, size_t len, const struct rs_sqfs_cb *cb, char *why, size_t whysize)
{
	struct mem_dev dev = { buf, len };
	struct walk w;
	char *root;

	if (!e2_ready()) {
		snprintf(why, whysize, "cannot open the ext2/3/4 image: %s", E2_MISSING);
		return 1;
	}
	memset(&w, 0, sizeof(w));
	w.cb = cb;
	if (e2_open(&dev, &w.fs, why, whysize))
		return 1;
	if (!(root = malloc(1)) || (*root = '\0', queue_dir(&w, EXT2_ROOT_INO, root)) < 0)
		w.rv = -1;
	while (w.ntodo && w.rv == 0) {
		struct dir d = w.todo[--w.ntodo];
		errcode_t rc;

		w.dir = d.path;
		rc = E2(dir_iterate2)(w.fs, d.ino, 0, NULL, entry, &w);
		if (rc && w.rv == 0 && skip(&w, d.path, e2_error(rc)) < 0)
			w.rv = -1;
		free(d.path);
	}
	if (w.rv == 1) {
		snprintf(why, whysize, "more than %u directories or %u entries in the ext2/3/4 image: the rest is not read",
			 MAX_DIRS, MAX_ENTRIES);
		w.rv = 0;
	}
	while (w.ntodo)
		free(w.todo[--w.ntodo].path);
	free(w.todo);
	free(w.seen);
	E2(close_free)(&w.fs);
	return w.rv < 0 ? -1 : 0;
}
#endif
