/*
 * squashfs.c: SquashFS images, the read-only root file system of most embedded Linux firmware (OpenWrt, Yocto,
 * Buildroot), read in memory with libsquashfs (squashfs-tools-ng; Debian libsquashfs-dev), never hand-written
 * format code. libarchive does not read SquashFS, so archive.c hands such an image here and gets every regular
 * file back, by its path in the image.
 *
 * Relied on: squashfs-tools-ng's headers (sqfs/io.h: a sqfs_file_t is an object with read_at, write_at, get_size
 * and truncate, so an image in memory needs no temporary file; sqfs/super.h, compressor.h, id_table.h,
 * dir_reader.h: sqfs_dir_reader_get_full_hierarchy gives the tree, sqfs_tree_node_get_path a node's path;
 * data_reader.h: sqfs_data_reader_read reads a file's bytes, fragments included once the fragment table is
 * loaded), and the superblock's magic "hsqs" (SQFS_MAGIC, little-endian, SquashFS 4.0).
 *
 * libsquashfs is opened on first use, as libarchive is (archive.c): it brings five compression libraries, and
 * only audit and scan of an image need it. Without it an image is noted, never silently read as opaque bytes.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

int rs_sqfs_sniff(const unsigned char *b, size_t n)
{
	return n >= 96 && !memcmp(b, "hsqs", 4); /* the superblock is 96 bytes */
}

#ifdef RS_NO_SQUASHFS
int rs_sqfs_each(const unsigned char *buf, size_t len, const struct rs_sqfs_cb *cb, char *why, size_t whysize)
{
	(void)buf, (void)len, (void)cb;
	snprintf(why, whysize, "a SquashFS image: this build of rootshift cannot open one (built without libsquashfs)");
	return 1;
}
#else
#include <sqfs/compressor.h>
#include <sqfs/data_reader.h>
#include <sqfs/dir_reader.h>
#include <sqfs/error.h>
#include <sqfs/id_table.h>
#include <sqfs/inode.h>
#include <sqfs/io.h>
#include <sqfs/super.h>
#include <stdio.h>

#ifdef RS_SQUASHFS_SONAME
#include <pthread.h>

static struct {
	int (*super_read)(sqfs_super_t *, sqfs_file_t *);
	int (*compressor_config_init)(sqfs_compressor_config_t *, SQFS_COMPRESSOR, size_t, sqfs_u16);
	int (*compressor_create)(const sqfs_compressor_config_t *, sqfs_compressor_t **);
	sqfs_id_table_t *(*id_table_create)(sqfs_u32);
	int (*id_table_read)(sqfs_id_table_t *, sqfs_file_t *, const sqfs_super_t *, sqfs_compressor_t *);
	sqfs_dir_reader_t *(*dir_reader_create)(const sqfs_super_t *, sqfs_compressor_t *, sqfs_file_t *, sqfs_u32);
	int (*get_full_hierarchy)(sqfs_dir_reader_t *, const sqfs_id_table_t *, const char *, sqfs_u32,
				  sqfs_tree_node_t **);
	void (*dir_tree_destroy)(sqfs_tree_node_t *);
	int (*tree_node_get_path)(const sqfs_tree_node_t *, char **);
	sqfs_data_reader_t *(*data_reader_create)(sqfs_file_t *, size_t, sqfs_compressor_t *, sqfs_u32);
	int (*load_fragment_table)(sqfs_data_reader_t *, const sqfs_super_t *);
	sqfs_s32 (*data_reader_read)(sqfs_data_reader_t *, const sqfs_inode_generic_t *, sqfs_u64, void *, sqfs_u32);
	int (*inode_get_file_size)(const sqfs_inode_generic_t *, sqfs_u64 *);
	void (*free)(void *);
} sq;
static int sq_loaded;
static pthread_once_t sq_once = PTHREAD_ONCE_INIT;

static void sq_load(void)
{
	static const char *const names[] = {
		"sqfs_super_read", "sqfs_compressor_config_init", "sqfs_compressor_create", "sqfs_id_table_create",
		"sqfs_id_table_read", "sqfs_dir_reader_create", "sqfs_dir_reader_get_full_hierarchy",
		"sqfs_dir_tree_destroy", "sqfs_tree_node_get_path", "sqfs_data_reader_create",
		"sqfs_data_reader_load_fragment_table", "sqfs_data_reader_read", "sqfs_inode_get_file_size", "sqfs_free",
	};

	_Static_assert(sizeof(sq) == RS_ARRAY_LEN(names) * sizeof(sq.super_read), "one name a function pointer");
	sq_loaded = rs_dl_load(RS_SQUASHFS_SONAME, names, RS_ARRAY_LEN(names), &sq, sizeof(sq.super_read));
}

static int sq_ready(void)
{
	pthread_once(&sq_once, sq_load);
	return sq_loaded;
}
#define SQ(f) sq.f
#define SQ_MISSING RS_SQUASHFS_SONAME " is not installed"
#else
static int sq_ready(void) { return 1; }
#define SQ_MISSING "libsquashfs is missing"
#define SQ(f) sqfs_##f
#define sqfs_get_full_hierarchy sqfs_dir_reader_get_full_hierarchy
#define sqfs_load_fragment_table sqfs_data_reader_load_fragment_table
#endif

/* The image in memory, as the file libsquashfs reads: read-only, never destroyed by it. */
struct mem_file {
	sqfs_file_t base;
	const unsigned char *buf;
	size_t len;
};

static int mem_read_at(sqfs_file_t *f, sqfs_u64 off, void *out, size_t size)
{
	const struct mem_file *m = (const struct mem_file *)f;

	if (off > m->len || size > m->len - off)
		return SQFS_ERROR_OUT_OF_BOUNDS;
	memcpy(out, m->buf + off, size);
	return 0;
}

static int mem_write_at(sqfs_file_t *f, sqfs_u64 off, const void *in, size_t size)
{
	(void)f, (void)off, (void)in, (void)size;
	return SQFS_ERROR_IO;
}

static sqfs_u64 mem_get_size(const sqfs_file_t *f)
{
	return ((const struct mem_file *)f)->len;
}

static int mem_truncate(sqfs_file_t *f, sqfs_u64 size)
{
	(void)f, (void)size;
	return SQFS_ERROR_IO;
}

static void mem_destroy(sqfs_object_t *o)
{
	(void)o; /* on the caller's stack */
}

static const char *sq_error(int code)
{
	switch (code) {
	case SQFS_ERROR_ALLOC: return "out of memory";
	case SQFS_ERROR_COMPRESSOR: return "a block does not decompress";
	case SQFS_ERROR_UNSUPPORTED: return "a feature or compressor this libsquashfs does not support";
	case SQFS_ERROR_OUT_OF_BOUNDS: return "an offset beyond the image (truncated?)";
	case -9: return "not a SquashFS 4 image";             /* SQFS_ERROR_SUPER_MAGIC (spelt SFQS_ in 1.2) */
	case -10: return "a SquashFS version other than 4.0"; /* SQFS_ERROR_SUPER_VERSION */
	default: return "a corrupt image";
	}
}

/* The compressor's name by its id in the superblock (SquashFS 4: 1 gzip, 2 lzma, 3 lzo, 4 xz, 5 lz4, 6 zstd). */
static const char *compressor_name(unsigned id)
{
	static const char *const names[] = { "an unknown compressor", "gzip", "lzma", "lzo", "xz", "lz4", "zstd" };

	return names[id < RS_ARRAY_LEN(names) ? id : 0];
}

/* The parts that read the image; released in reverse by sq_close. */
struct image {
	struct mem_file file;
	sqfs_super_t super;
	sqfs_compressor_t *cmp;
	sqfs_id_table_t *ids;
	sqfs_dir_reader_t *dirs;
	sqfs_data_reader_t *data;
	sqfs_tree_node_t *root;
};

static void sq_close(struct image *im)
{
	if (im->root)
		SQ(dir_tree_destroy)(im->root);
	sqfs_destroy(im->data);
	sqfs_destroy(im->dirs);
	sqfs_destroy(im->ids);
	sqfs_destroy(im->cmp);
}

/*
 * libsquashfs sizes the fragment table from the superblock's count before reading it (a damaged count asked for
 * 9.9 GB in fuzzing). The table's index (one 8-byte pointer per 8 KiB metadata block of 16-byte entries) is stored
 * uncompressed at fragment_table_start, so a count whose index does not fit in the image is corrupt.
 */
static int tables_fit(const sqfs_super_t *sb, size_t len)
{
	unsigned long long blocks = ((unsigned long long)sb->fragment_entry_count * 16 + 8191) / 8192;

	if (!sb->fragment_entry_count || (sb->flags & SQFS_FLAG_NO_FRAGMENTS))
		return 1;
	return sb->fragment_table_start < len && blocks * 8 <= len - sb->fragment_table_start;
}

static int sq_open(struct image *im, const unsigned char *buf, size_t len, char *why, size_t whysize)
{
	sqfs_compressor_config_t cfg;
	int rc;

	memset(im, 0, sizeof(*im));
	im->file.base.base.destroy = mem_destroy;
	im->file.base.read_at = mem_read_at;
	im->file.base.write_at = mem_write_at;
	im->file.base.get_size = mem_get_size;
	im->file.base.truncate = mem_truncate;
	im->file.buf = buf;
	im->file.len = len;
	if ((rc = SQ(super_read)(&im->super, &im->file.base)) != 0)
		goto fail;
	if (im->super.bytes_used > len) {
		snprintf(why, whysize, "cannot read the SquashFS image: truncated (it says %llu bytes, there are %zu)",
			 (unsigned long long)im->super.bytes_used, len);
		sq_close(im);
		return 1;
	}
	if (!tables_fit(&im->super, len)) {
		rc = SQFS_ERROR_CORRUPTED;
		goto fail;
	}
	if ((rc = SQ(compressor_config_init)(&cfg, (SQFS_COMPRESSOR)im->super.compression_id, im->super.block_size,
					     SQFS_COMP_FLAG_UNCOMPRESS)) != 0 ||
	    (rc = SQ(compressor_create)(&cfg, &im->cmp)) != 0) {
		if (rc != SQFS_ERROR_UNSUPPORTED)
			goto fail;
		snprintf(why, whysize, "cannot read the SquashFS image: it is compressed with %s, which the installed "
			 "libsquashfs cannot decompress; unpack it with unsquashfs (squashfs-tools) and give the directory",
			 compressor_name(im->super.compression_id));
		sq_close(im);
		memset(im, 0, sizeof(*im));
		return 1;
	}
	rc = SQFS_ERROR_ALLOC;
	if (!(im->ids = SQ(id_table_create)(0)) ||
	    (rc = SQ(id_table_read)(im->ids, &im->file.base, &im->super, im->cmp)) != 0)
		goto fail;
	rc = SQFS_ERROR_ALLOC;
	if (!(im->dirs = SQ(dir_reader_create)(&im->super, im->cmp, &im->file.base, 0)) ||
	    !(im->data = SQ(data_reader_create)(&im->file.base, im->super.block_size, im->cmp, 0)))
		goto fail;
	if ((rc = SQ(load_fragment_table)(im->data, &im->super)) != 0 ||
	    (rc = SQ(get_full_hierarchy)(im->dirs, im->ids, NULL,
					 SQFS_TREE_NO_DEVICES | SQFS_TREE_NO_SOCKETS | SQFS_TREE_NO_FIFO |
						 SQFS_TREE_NO_SLINKS,
					 &im->root)) != 0)
		goto fail;
	return 0;
fail:
	/* out of memory here is most likely a damaged size: a note, like any other damage */
	snprintf(why, whysize, "cannot read the SquashFS image: %s", rc == SQFS_ERROR_ALLOC ? "a table too large for "
		 "memory (a damaged size?)" : sq_error(rc));
	sq_close(im);
	memset(im, 0, sizeof(*im));
	return 1;
}

/* The next node in depth-first order (children first, then siblings, then the parents' siblings). */
static const sqfs_tree_node_t *next_node(const sqfs_tree_node_t *n)
{
	if (n->children)
		return n->children;
	while (n && !n->next)
		n = n->parent;
	return n ? n->next : NULL;
}

/* One regular file to the callback, read whole unless larger than cb->max_member. */
static int one_file(struct image *im, const sqfs_tree_node_t *n, const struct rs_sqfs_cb *cb)
{
	char *path = NULL;
	const char *rel;
	unsigned char *data;
	sqfs_u64 size = 0;
	sqfs_s32 got;
	int rv;

	if (SQ(tree_node_get_path)(n, &path) != 0)
		return cb->skip(cb->arg, "?", "a path that cannot be made") < 0 ? -1 : 0;
	for (rel = path; *rel == '/'; rel++)
		;
	SQ(inode_get_file_size)(n->inode, &size);
	if (size > cb->max_member || size > 0x7fffffff) {
		rv = cb->skip(cb->arg, rel, "a member larger than 256 MiB is not read");
		SQ(free)(path);
		return rv < 0 ? -1 : 0;
	}
	if (!(data = malloc(size ? (size_t)size : 1))) {
		SQ(free)(path);
		return -1;
	}
	got = size ? SQ(data_reader_read)(im->data, n->inode, 0, data, (sqfs_u32)size) : 0;
	if (got < 0 || (sqfs_u64)got != size)
		rv = cb->skip(cb->arg, rel, got < 0 ? sq_error(got) : "shorter than its size") < 0 ? -1 : 0;
	else
		rv = cb->file(cb->arg, rel, data, (size_t)size);
	free(data);
	SQ(free)(path);
	return rv;
}

int rs_sqfs_each(const unsigned char *buf, size_t len, const struct rs_sqfs_cb *cb, char *why, size_t whysize)
{
	struct image im;
	int rv;

	if (!sq_ready()) {
		snprintf(why, whysize, "cannot open the SquashFS image: %s", SQ_MISSING);
		return 1;
	}
	if ((rv = sq_open(&im, buf, len, why, whysize)) != 0)
		return rv;
	for (const sqfs_tree_node_t *n = im.root->children ? im.root->children : NULL; n && rv == 0; n = next_node(n)) {
		int type = n->inode->base.type;
		if (cb->stop && cb->stop(cb->arg))
			break;
		if (type == SQFS_INODE_FILE || type == SQFS_INODE_EXT_FILE)
			rv = one_file(&im, n, cb);
	}
	sq_close(&im);
	return rv < 0 ? -1 : 0;
}
#endif
