/* test_mcuhex.c: lib/extract/mcuhex.c, microcontroller flash images decoded to runs of flash addresses. Records and
 * blocks are written here from the formats' documented fields (Intel HEX rev A, srec(5), Microsoft's UF2 README),
 * each record type once, then checksums, gaps, overlaps and UF2 flags wrong or set. */
#include "rs_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What the decoder handed over: each run's address and bytes, in order. */
struct got {
	uint32_t addr[16];
	size_t len[16];
	unsigned char bytes[16][2048];
	size_t n;
	int stop_after; /* cb->stop says stop after this many runs (0: never) */
};

static int on_run(void *arg, uint32_t addr, const unsigned char *data, size_t len)
{
	struct got *g = arg;

	assert_true(g->n < 16);
	assert_true(len <= sizeof(g->bytes[0]));
	g->addr[g->n] = addr;
	g->len[g->n] = len;
	memcpy(g->bytes[g->n], data, len);
	g->n++;
	return 0;
}

static int on_stop(void *arg)
{
	struct got *g = arg;

	return g->stop_after && g->n >= (size_t)g->stop_after;
}

static int decode(const char *text, size_t len, struct got *g, char *why, size_t whysize)
{
	struct rs_flash_cb cb = { on_run, on_stop, g, 1u << 20 };
	int stop_after = g->stop_after;

	memset(g, 0, sizeof(*g));
	g->stop_after = stop_after;
	return rs_flash_each((const unsigned char *)text, len, &cb, why, whysize);
}

#define TEXT 8192 /* every text buffer of the tests */

/* printf to the end of out (TEXT bytes). */
static void add(char *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void add(char *out, const char *fmt, ...)
{
	size_t n = strlen(out);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(out + n, TEXT - n, fmt, ap);
	va_end(ap);
}

/* out holds s alone */
static void set(char *out, const char *s)
{
	out[0] = '\0';
	add(out, "%s", s);
}

/* An Intel HEX record: ":LLAAAATT<data>CC\n" appended to out. */
static void ihex(char *out, unsigned type, unsigned addr, const unsigned char *data, size_t n)
{
	unsigned sum = (unsigned)n + (addr >> 8) + (addr & 0xff) + type;

	add(out, ":%02X%04X%02X", (unsigned)n, addr, type);
	for (size_t i = 0; i < n; i++) {
		add(out, "%02X", data[i]);
		sum += data[i];
	}
	add(out, "%02X\n", (0x100 - (sum & 0xff)) & 0xff);
}

/* An S-record "Stnn<address><data>cc\n" appended to out, with an address of abytes bytes. */
static void srec(char *out, unsigned type, unsigned abytes, uint32_t addr, const unsigned char *data, size_t n)
{
	unsigned count = (unsigned)(abytes + n + 1), sum = count;

	add(out, "S%u%02X", type, count);
	for (unsigned i = abytes; i-- > 0;) {
		add(out, "%02X", (addr >> (8 * i)) & 0xff);
		sum += (addr >> (8 * i)) & 0xff;
	}
	for (size_t i = 0; i < n; i++) {
		add(out, "%02X", data[i]);
		sum += data[i];
	}
	add(out, "%02X\n", ~sum & 0xff);
}

static const unsigned char bytes16[16] = { 0x30, 0x82, 0x03, 0x77, 0x30, 0x82, 0x02, 0x5f,
					   0xa0, 0x03, 0x02, 0x01, 0x02, 0x02, 0x04, 0x02 };

static void test_ihex_types(void **state)
{
	char text[TEXT] = "";
	unsigned char seg[2] = { 0x10, 0x00 }, lin[2] = { 0x08, 0x00 }, start[4] = { 0x08, 0x00, 0x01, 0x21 };
	struct got g = { 0 };
	char why[256];

	(void)state;
	ihex(text, 4, 0, lin, 2);            /* base 0x08000000 */
	ihex(text, 0, 0x0000, bytes16, 16);
	ihex(text, 0, 0x0010, bytes16, 8);   /* contiguous: one run of 24 */
	ihex(text, 2, 0, seg, 2);            /* segment 0x1000: base 0x10000 */
	ihex(text, 0, 0x0004, bytes16, 4);   /* a second run at 0x10004 */
	ihex(text, 3, 0, start, 4);          /* CS:IP, no bytes */
	ihex(text, 5, 0, start, 4);          /* EIP, no bytes */
	ihex(text, 1, 0, NULL, 0);
	add(text, "%s", "trailing text after the end record is not read\n");
	assert_int_equal(rs_flash_sniff((const unsigned char *)text, strlen(text)), RS_FLASH_IHEX);
	assert_int_equal(decode(text, strlen(text), &g, why, sizeof(why)), 0);
	assert_string_equal(why, "");
	assert_int_equal(g.n, 2);
	assert_int_equal(g.addr[0], 0x08000000);
	assert_int_equal(g.len[0], 24);
	assert_memory_equal(g.bytes[0], bytes16, 16);
	assert_memory_equal(g.bytes[0] + 16, bytes16, 8);
	assert_int_equal(g.addr[1], 0x10004);
	assert_int_equal(g.len[1], 4);

	/* lowercase hex and CRLF line ends, as some Windows tools write */
	set(text, ":0400000001020304f2\r\n:00000001ff\r\n");
	assert_int_equal(decode(text, strlen(text), &g, why, sizeof(why)), 0);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.len[0], 4);
}

static void test_ihex_errors(void **state)
{
	char text[TEXT] = "";
	unsigned char lin[2] = { 0x00, 0x00 };
	struct got g = { 0 };
	char why[256];
	size_t at;

	(void)state;
	/* not sniffed: a bad checksum first, an unknown type, ':' text */
	set(text, ":0400000001020304F3\n");
	assert_int_equal(rs_flash_sniff((const unsigned char *)text, strlen(text)), RS_FLASH_NONE);
	text[0] = '\0';
	ihex(text, 6, 0, bytes16, 4);
	assert_int_equal(rs_flash_sniff((const unsigned char *)text, strlen(text)), RS_FLASH_NONE);
	set(text, ":host: example.net\n");
	assert_int_equal(rs_flash_sniff((const unsigned char *)text, strlen(text)), RS_FLASH_NONE);
	assert_int_equal(decode(text, strlen(text), &g, why, sizeof(why)), 1);

	/* a bad checksum on line 3: the run before it is handed over, why names the line */
	text[0] = '\0';
	ihex(text, 0, 0x0000, bytes16, 16);
	ihex(text, 0, 0x0010, bytes16, 16);
	at = strlen(text);
	ihex(text, 0, 0x0020, bytes16, 16);
	text[at + 9] = text[at + 9] == '0' ? '1' : '0';
	ihex(text, 1, 0, NULL, 0);
	assert_int_equal(decode(text, strlen(text), &g, why, sizeof(why)), 0);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.len[0], 32);
	assert_string_equal(why, "cannot read past line 3: a bad checksum");

	/* a short line */
	text[0] = '\0';
	ihex(text, 0, 0x0000, bytes16, 16);
	add(text, "%s", ":10001000303132\n");
	assert_int_equal(decode(text, strlen(text), &g, why, sizeof(why)), 0);
	assert_non_null(strstr(why, "line 2: a short record"));

	/* no end record: the bytes, and a remark */
	text[0] = '\0';
	ihex(text, 0, 0x0000, bytes16, 16);
	assert_int_equal(decode(text, strlen(text), &g, why, sizeof(why)), 0);
	assert_int_equal(g.n, 1);
	assert_non_null(strstr(why, "no end-of-file record"));

	/* an overlap: the second record writes over the first's bytes */
	text[0] = '\0';
	ihex(text, 0, 0x0100, bytes16, 16);
	ihex(text, 0, 0x0108, bytes16, 16);
	ihex(text, 1, 0, NULL, 0);
	assert_int_equal(decode(text, strlen(text), &g, why, sizeof(why)), 0);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.addr[0], 0x100);
	assert_non_null(strstr(why, "overlap"));

	/* past 4 GiB: base 0xffff0000 + 0xfff8 + 16 */
	text[0] = '\0';
	lin[0] = lin[1] = 0xff;
	ihex(text, 4, 0, lin, 2);
	ihex(text, 0, 0xfff8, bytes16, 16);
	ihex(text, 1, 0, NULL, 0);
	assert_int_equal(decode(text, strlen(text), &g, why, sizeof(why)), 1);
	assert_int_equal(g.n, 0);
	assert_non_null(strstr(why, "4 GiB"));

	/* an address record of the wrong size */
	text[0] = '\0';
	ihex(text, 0, 0, bytes16, 4);
	ihex(text, 4, 0, bytes16, 3);
	assert_int_equal(decode(text, strlen(text), &g, why, sizeof(why)), 0);
	assert_non_null(strstr(why, "an address record of 3 bytes"));
}

static void test_ihex_gap(void **state)
{
	char text[TEXT] = "";
	unsigned char uicr[2] = { 0x10, 0x00 };
	struct got g = { 0 };
	char why[256];

	(void)state;
	/* nRF: code at 0, UICR at 0x10001000: two runs, nothing allocated between */
	ihex(text, 0, 0x0000, bytes16, 16);
	ihex(text, 4, 0, uicr, 2);
	ihex(text, 0, 0x1000, bytes16, 4);
	ihex(text, 1, 0, NULL, 0);
	assert_int_equal(decode(text, strlen(text), &g, why, sizeof(why)), 0);
	assert_int_equal(g.n, 2);
	assert_int_equal(g.addr[0], 0);
	assert_int_equal(g.len[0], 16);
	assert_int_equal(g.addr[1], 0x10001000);
	assert_int_equal(g.len[1], 4);

	/* the callback's stop: after the first run, nothing more */
	g.stop_after = 1;
	assert_int_equal(decode(text, strlen(text), &g, why, sizeof(why)), 0);
	assert_int_equal(g.n, 1);
}

static void test_srec(void **state)
{
	char text[TEXT] = "";
	struct got g = { 0 };
	char why[256];
	size_t at;

	(void)state;
	srec(text, 0, 2, 0, (const unsigned char *)"hello", 5);
	srec(text, 1, 2, 0x1000, bytes16, 16);
	srec(text, 1, 2, 0x1010, bytes16, 4);
	srec(text, 2, 3, 0x20000, bytes16, 8);
	srec(text, 3, 4, 0x08000000, bytes16, 16);
	srec(text, 5, 2, 4, NULL, 0);
	srec(text, 7, 4, 0x08000000, NULL, 0);
	assert_int_equal(rs_flash_sniff((const unsigned char *)text, strlen(text)), RS_FLASH_SREC);
	assert_int_equal(decode(text, strlen(text), &g, why, sizeof(why)), 0);
	assert_string_equal(why, "");
	assert_int_equal(g.n, 3);
	assert_int_equal(g.addr[0], 0x1000);
	assert_int_equal(g.len[0], 20);
	assert_int_equal(g.addr[1], 0x20000);
	assert_int_equal(g.len[1], 8);
	assert_int_equal(g.addr[2], 0x08000000);
	assert_int_equal(g.len[2], 16);
	assert_memory_equal(g.bytes[2], bytes16, 16);

	/* S9 and S8 end it too; S1 first is sniffed */
	text[0] = '\0';
	srec(text, 1, 2, 0, bytes16, 2);
	srec(text, 9, 2, 0, NULL, 0);
	assert_int_equal(rs_flash_sniff((const unsigned char *)text, strlen(text)), RS_FLASH_SREC);
	assert_int_equal(decode(text, strlen(text), &g, why, sizeof(why)), 0);
	assert_int_equal(g.n, 1);

	/* not sniffed: S5 first, S4, a bad checksum, "Subject:" text */
	text[0] = '\0';
	srec(text, 5, 2, 1, NULL, 0);
	assert_int_equal(rs_flash_sniff((const unsigned char *)text, strlen(text)), RS_FLASH_NONE);
	text[0] = '\0';
	srec(text, 4, 2, 1, bytes16, 2);
	assert_int_equal(rs_flash_sniff((const unsigned char *)text, strlen(text)), RS_FLASH_NONE);
	set(text, "S00600004844521C\n"); /* an "HDR" header, its checksum (1B) off by one */
	assert_int_equal(rs_flash_sniff((const unsigned char *)text, strlen(text)), RS_FLASH_NONE);
	set(text, "Subject: firmware\n");
	assert_int_equal(rs_flash_sniff((const unsigned char *)text, strlen(text)), RS_FLASH_NONE);

	/* a bad checksum on line 3 */
	text[0] = '\0';
	srec(text, 0, 2, 0, (const unsigned char *)"HDR", 3);
	srec(text, 3, 4, 0x100, bytes16, 16);
	at = strlen(text);
	srec(text, 3, 4, 0x110, bytes16, 16);
	text[at + 14] = text[at + 14] == '0' ? '1' : '0';
	srec(text, 7, 4, 0, NULL, 0);
	assert_int_equal(decode(text, strlen(text), &g, why, sizeof(why)), 0);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.len[0], 16);
	assert_string_equal(why, "cannot read past line 3: a bad checksum");

	/* a count shorter than the address: malformed */
	text[0] = '\0';
	srec(text, 1, 2, 0, bytes16, 2);
	add(text, "%s", "S3030000FC\n");
	assert_int_equal(decode(text, strlen(text), &g, why, sizeof(why)), 0);
	assert_non_null(strstr(why, "line 2"));
}

/* A UF2 block: flags, address, payload, the family in word 7 */
static void uf2(unsigned char *b, uint32_t flags, uint32_t addr, uint32_t size, uint32_t no, uint32_t family)
{
	uint32_t w[8] = { 0x0A324655u, 0x9E5D5157u, flags, addr, size, no, 4, family }, end = 0x0AB16F30u;

	memset(b, 0, 512);
	for (int i = 0; i < 8; i++)
		for (int k = 0; k < 4; k++)
			b[4 * i + k] = (unsigned char)(w[i] >> (8 * k));
	for (uint32_t i = 0; i < size && i < 476; i++)
		b[32 + i] = (unsigned char)(no * 16 + i);
	for (int k = 0; k < 4; k++)
		b[508 + k] = (unsigned char)(end >> (8 * k));
}

static void test_uf2(void **state)
{
	static unsigned char b[6 * 512];
	struct got g = { 0 };
	char why[256];

	(void)state;
	uf2(b, 0x2000, 0x10000000, 256, 0, 0xe48bff56);
	uf2(b + 512, 0x2000, 0x10000100, 256, 1, 0xe48bff56);    /* contiguous */
	uf2(b + 1024, 0x2001, 0x20000000, 256, 2, 0xe48bff56);   /* not main flash: skipped */
	uf2(b + 1536, 0x1000, 0, 256, 3, 4096);                  /* a file container's block: skipped */
	uf2(b + 2048, 0x0000, 0x10010000, 100, 4, 0);            /* no family, a gap: a run of its own */
	uf2(b + 2560, 0x2000, 0x10000000, 256, 5, 0xada52840);   /* another family at the same address: no overlap */
	assert_int_equal(rs_flash_sniff(b, sizeof(b)), RS_FLASH_UF2);
	assert_int_equal(decode((const char *)b, sizeof(b), &g, why, sizeof(why)), 0);
	assert_string_equal(why, "");
	assert_int_equal(g.n, 3);
	assert_int_equal(g.addr[0], 0x10000000);
	assert_int_equal(g.len[0], 512);
	assert_int_equal(g.bytes[0][0], 0);
	assert_int_equal(g.bytes[0][256], 16);
	assert_int_equal(g.addr[1], 0x10010000);
	assert_int_equal(g.len[1], 100);
	assert_int_equal(g.addr[2], 0x10000000);

	/* the same family twice at one address: an overlap ends it */
	uf2(b + 2560, 0x2000, 0x10000000, 256, 5, 0xe48bff56);
	assert_int_equal(decode((const char *)b, sizeof(b), &g, why, sizeof(why)), 0);
	assert_int_equal(g.n, 2);
	assert_non_null(strstr(why, "overlap"));

	/* a payload over 476 bytes, a bad magic mid-file, a tail that is not a block */
	uf2(b + 2560, 0x2000, 0x10020000, 477, 5, 0xe48bff56);
	assert_int_equal(decode((const char *)b, sizeof(b), &g, why, sizeof(why)), 0);
	assert_non_null(strstr(why, "block 5: a payload of 477 bytes"));
	b[2560 + 508] ^= 1;
	assert_int_equal(decode((const char *)b, sizeof(b), &g, why, sizeof(why)), 0);
	assert_non_null(strstr(why, "block 5 (byte 2560): not a UF2 block"));
	assert_int_equal(g.n, 2);
	assert_int_equal(decode((const char *)b, 2560 + 100, &g, why, sizeof(why)), 0);
	assert_non_null(strstr(why, "the last 100 bytes"));

	/* the end magic wrong in the first block: not sniffed; every block skipped: nothing handed over */
	b[508] ^= 1;
	assert_int_equal(rs_flash_sniff(b, sizeof(b)), RS_FLASH_NONE);
	b[508] ^= 1;
	uf2(b, 0x2001, 0x10000000, 256, 0, 0xe48bff56);
	assert_int_equal(decode((const char *)b, 512, &g, why, sizeof(why)), 1);
	assert_int_equal(g.n, 0);
}

/* A run longer than max_run ends the decode, the run so far handed over. */
static void test_max_run(void **state)
{
	char text[TEXT] = "";
	struct got g = { 0 };
	struct rs_flash_cb cb = { on_run, NULL, &g, 40 };
	char why[256];

	(void)state;
	for (unsigned a = 0; a < 64; a += 16)
		ihex(text, 0, a, bytes16, 16);
	ihex(text, 1, 0, NULL, 0);
	assert_int_equal(rs_flash_each((const unsigned char *)text, strlen(text), &cb, why, sizeof(why)), 0);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.len[0], 32);
	assert_non_null(strstr(why, "longer than"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ihex_types), cmocka_unit_test(test_ihex_errors), cmocka_unit_test(test_ihex_gap),
		cmocka_unit_test(test_srec),       cmocka_unit_test(test_uf2),         cmocka_unit_test(test_max_run),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
