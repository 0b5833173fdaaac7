/* test_embedded.c: lib/extract/embedded.c, the file systems and streams inside a firmware blob. Headers are written
 * here field by field (the formats' documented layouts), each once valid and once with one field wrong. */
#include "rs_test.h"

#include <stdlib.h>
#include <string.h>

#define BLOB (1u << 20)

static unsigned char *blob(void)
{
	unsigned char *b = malloc(BLOB);
	unsigned x = 12345;

	assert_non_null(b);
	for (size_t i = 0; i < BLOB; i++) { /* bytes that hold no magic: a kernel's */
		x = x * 1103515245u + 12345u;
		b[i] = (unsigned char)(x >> 24) | 0x80;
	}
	return b;
}

static void le(unsigned char *p, unsigned long long v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static void be(unsigned char *p, unsigned long v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (unsigned char)(v >> (8 * (n - 1 - i)));
}

static void squashfs(unsigned char *p, unsigned long long used)
{
	memset(p, 0, 96);
	memcpy(p, "hsqs", 4);
	le(p + 4, 12, 4);        /* inodes */
	le(p + 12, 131072, 4);   /* block size */
	le(p + 20, 4, 2);        /* xz */
	le(p + 22, 17, 2);       /* block log */
	le(p + 28, 4, 2);        /* 4.0 */
	le(p + 40, used, 8);     /* bytes used */
}

static void ext4(unsigned char *p, unsigned blocks)
{
	unsigned char *sb = p + 1024;

	memset(p, 0, 2048);
	le(sb, 2048, 4);        /* inodes */
	le(sb + 4, blocks, 4);  /* blocks */
	le(sb + 24, 2, 4);      /* 4 KiB blocks */
	le(sb + 40, 2048, 4);   /* inodes per group */
	le(sb + 56, 0xef53, 2);
	le(sb + 76, 1, 4);      /* dynamic revision */
}

static size_t find(const unsigned char *b, size_t len, struct rs_embedded *v, size_t max, size_t *more)
{
	size_t n;

	assert_int_equal(rs_embedded_find(b, len, v, max, &n, more), 0);
	return n;
}

static void test_squashfs_ext_sized(void **state)
{
	unsigned char *b = blob();
	struct rs_embedded v[8];
	size_t more, n;

	(void)state;
	squashfs(b + 65536, 200000);
	ext4(b + 524288, 64); /* 256 KiB */
	squashfs(b + 600000, 1000); /* inside the ext image: its file, not the blob's */
	n = find(b, BLOB, v, 8, &more);
	assert_int_equal(n, 2);
	assert_int_equal(more, 0);
	assert_int_equal(v[0].offset, 65536);
	assert_string_equal(v[0].what, "SquashFS");
	assert_int_equal(v[0].size, 200000);
	assert_true(v[0].sized);
	assert_null(v[0].note);
	assert_int_equal(v[1].offset, 524288);
	assert_string_equal(v[1].what, "ext2/3/4");
	assert_int_equal(v[1].size, 64 * 4096);

	/* one field wrong each time: nothing */
	squashfs(b + 65536, 200000);
	le(b + 65536 + 22, 16, 2); /* block log disagrees with the block size */
	ext4(b + 524288, 64);
	le(b + 524288 + 1024 + 20, 1, 4); /* first data block 1 with 4 KiB blocks */
	memset(b + 600000, 0x80, 96);
	assert_int_equal(find(b, BLOB, v, 8, &more), 0);
	/* the ext magic off the 512-byte grid */
	ext4(b + 524288 + 100, 64);
	assert_int_equal(find(b, BLOB, v, 8, &more), 0);
	/* at the blob's start: the archive reader's, not this */
	squashfs(b, 1000);
	assert_int_equal(find(b, BLOB, v, 8, &more), 0);
	free(b);
}

static void test_streams(void **state)
{
	unsigned char *b = blob();
	static const unsigned char xz[12] = { 0xfd, '7', 'z', 'X', 'Z', 0, 0, 4, 0xe6, 0xd6, 0xb4, 0x46 };
	struct rs_embedded v[8];
	size_t more, n;

	(void)state;
	memcpy(b + 1001, "\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\x03", 10); /* gzip, -9, Unix */
	memcpy(b + 5000, xz, sizeof(xz));                               /* xz, CRC64 check, flags' CRC32 */
	memcpy(b + 9000, "\x28\xb5\x2f\xfd\x24", 5);                     /* zstd */
	n = find(b, BLOB, v, 8, &more);
	assert_int_equal(n, 3);
	assert_string_equal(v[0].what, "gzip");
	assert_int_equal(v[0].offset, 1001);
	assert_false(v[0].sized);
	assert_int_equal(v[0].size, BLOB - 1001);
	assert_string_equal(v[1].what, "xz");
	assert_string_equal(v[2].what, "zstd");

	b[1001 + 3] = 0xe0;  /* gzip's reserved flags */
	b[5000 + 8] ^= 1;    /* xz's flags CRC */
	b[9000 + 4] = 0x08;  /* zstd's reserved bit */
	assert_int_equal(find(b, BLOB, v, 8, &more), 0);
	free(b);
}

static void test_cpio_tar(void **state)
{
	unsigned char *b = blob(), *h;
	struct rs_embedded v[8];
	unsigned long sum = 0;
	char hdr[111];
	size_t more, n, i;

	(void)state;
	/* cpio newc: one 5-byte file "a", then the trailer */
	snprintf(hdr, sizeof(hdr), "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X", 1, 0100644, 0, 0, 1, 0,
		 5, 0, 0, 0, 0, 2, 0);
	memcpy(b + 4096, hdr, 110);
	/* header 110 + name 2 = 112 (aligned), data 5 padded to 8: the trailer at 4096 + 120 */
	memcpy(b + 4096 + 110, "a", 2);
	memcpy(b + 4096 + 112, "hello\0\0", 8);
	snprintf(hdr, sizeof(hdr), "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X", 0, 0, 0, 0, 1, 0, 0, 0,
		 0, 0, 0, 11, 0);
	memcpy(b + 4096 + 120, hdr, 110);
	memcpy(b + 4096 + 230, "TRAILER!!!\0\0", 12);
	/* ustar at 65536: a header block with a good checksum, 0 bytes of data, then two zero blocks */
	h = b + 65536;
	memset(h, 0, 1536);
	memcpy(h, "etc/ca.pem", 10);
	memcpy(h + 100, "0000644", 7);
	memcpy(h + 124, "00000000000", 11);
	memcpy(h + 257, "ustar\0" "00", 8);
	memset(h + 148, ' ', 8);
	for (i = 0; i < 512; i++)
		sum += h[i];
	snprintf((char *)h + 148, 8, "%06lo", sum);
	n = find(b, BLOB, v, 8, &more);
	assert_int_equal(n, 2);
	assert_string_equal(v[0].what, "cpio");
	assert_int_equal(v[0].offset, 4096);
	assert_true(v[0].sized);
	assert_int_equal(v[0].size, 120 + 124); /* to the trailer's end: 110 + 11 bytes of name, padded to 4 */
	assert_string_equal(v[1].what, "tar");
	assert_int_equal(v[1].offset, 65536);
	assert_int_equal(v[1].size, 1536);

	h[0] = 'E'; /* the checksum no longer holds */
	b[4096 + 10] = 'z'; /* a field that is not hex */
	assert_int_equal(find(b, BLOB, v, 8, &more), 0);
	free(b);
}

static void test_notes_once(void **state)
{
	unsigned char *b = blob();
	struct rs_embedded v[8];
	size_t more, n;

	(void)state;
	for (size_t at = 131072; at < BLOB; at += 131072) { /* a UBI erase counter header each erase block */
		memset(b + at, 0, 64);
		memcpy(b + at, "UBI#", 4);
		b[at + 4] = 1;
		be(b + at + 16, 2048, 4); /* VID header offset */
		be(b + at + 20, 4096, 4); /* data offset */
	}
	n = find(b, BLOB, v, 8, &more);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].what, "UBI");
	assert_int_equal(v[0].offset, 131072);
	assert_non_null(v[0].note);
	assert_non_null(strstr(v[0].note, "ubireader"));
	/* a version that is not 1: no note */
	for (size_t at = 131072; at < BLOB; at += 131072)
		b[at + 4] = 2;
	assert_int_equal(find(b, BLOB, v, 8, &more), 0);
	free(b);
}

/* SquashFS 3.1, big-endian (an old MIPS router's): not read here, a note; a wrong block log is nothing */
static void test_squashfs3(void **state)
{
	unsigned char *b = blob(), *p = b + 65536;
	struct rs_embedded v[8];
	size_t more;

	(void)state;
	memset(p, 0, 96);
	memcpy(p, "sqsh", 4);
	be(p + 28, 3, 2);  /* s_major */
	be(p + 30, 1, 2);  /* s_minor */
	be(p + 32, 0, 2);  /* block_size_1 */
	be(p + 34, 16, 2); /* block_log: 64 KiB */
	assert_int_equal(find(b, BLOB, v, 8, &more), 1);
	assert_string_equal(v[0].what, "SquashFS");
	assert_non_null(v[0].note);
	assert_non_null(strstr(v[0].note, "older than 4.0"));
	be(p + 34, 30, 2);
	assert_int_equal(find(b, BLOB, v, 8, &more), 0);
	free(b);
}

static void test_max_more(void **state)
{
	unsigned char *b = blob();
	struct rs_embedded v[3];
	size_t more, n;

	(void)state;
	for (int i = 1; i <= 5; i++)
		memcpy(b + i * 10000, "\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", 10);
	n = find(b, BLOB, v, 3, &more);
	assert_int_equal(n, 3);
	assert_int_equal(more, 2);
	assert_int_equal(find(b, 32, v, 3, &more), 0); /* too short to hold anything */
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_squashfs_ext_sized),
		cmocka_unit_test(test_streams),
		cmocka_unit_test(test_cpio_tar),
		cmocka_unit_test(test_notes_once),
		cmocka_unit_test(test_squashfs3),
		cmocka_unit_test(test_max_more),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
