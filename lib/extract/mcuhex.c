/*
 * mcuhex.c: microcontroller flash images as they are shipped, decoded to flash bytes for archive.c: Intel HEX
 * (zephyr.hex, Nordic's merged.hex, Arduino/AVR/STM32 .hex), Motorola S-records (.srec, .s19, .mot) and UF2
 * (Raspberry Pi Pico/RP2040, Adafruit and CircuitPython boards). Each contiguous run of flash addresses comes back
 * whole, with its start address, so that an offset in the run plus the address is where a byte lies in flash; a
 * gap between addresses ends a run and is never filled (nRF's UICR at 0x10001000 after code at 0 is two runs).
 * A bad record (checksum, short line, an address past 4 GiB or over bytes already given) ends the decode: the
 * runs before it are handed over and why says where. No library in Debian reads these; they are small formats.
 *
 * Relied on (facts of the formats):
 * - Intel, "Hexadecimal Object File Format Specification", revision A (1988): a record is ':' then hex pairs,
 *   RECLEN, LOAD OFFSET (16 bits, big-endian), RECTYP, INFO/DATA, CHKSUM, the two's complement of the sum of the
 *   bytes before it. Types 00 data, 01 end of file, 02 extended segment address (USBA, paragraph: times 16),
 *   03 start segment address, 04 extended linear address (ULBA, the upper 16 bits), 05 start linear address.
 * - srec(5) of the srecord package (Debian's srecord): 'S', a type digit, a byte count (address, data and
 *   checksum bytes), the address, the data, and a checksum, the ones' complement of the low byte of the sum of
 *   the count, address and data bytes. S0 header, S1/S2/S3 data with a 16/24/32-bit address, S5/S6 record counts,
 *   S7/S8/S9 start addresses that end the file.
 * - Microsoft's UF2 specification (github.com/microsoft/uf2, README.md): 512-byte blocks of little-endian 32-bit
 *   words, magicStart0 0x0A324655 ("UF2\n"), magicStart1 0x9E5D5157, flags, targetAddr, payloadSize, blockNo,
 *   numBlocks, fileSize or familyID, data[476], magicEnd 0x0AB16F30 at byte 508. Flags 0x00000001 "not main
 *   flash" (the block is not written: skipped here), 0x00001000 "file container" (skipped: its targetAddr is an
 *   offset in a file, not flash), 0x00002000 "familyID present".
 */
#include "internal.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define UF2_BLOCK 512u
#define UF2_MAGIC0 0x0A324655u
#define UF2_MAGIC1 0x9E5D5157u
#define UF2_MAGIC_END 0x0AB16F30u
#define UF2_NOT_MAIN_FLASH 0x00000001u
#define UF2_FILE_CONTAINER 0x00001000u
#define UF2_FAMILY_ID 0x00002000u
#define UF2_PAYLOAD_MAX 476u
#define MAX_RUNS 4096u      /* runs of one image: past this many gaps the rest is not read */
#define RECORD_MAX 600u     /* the longest record line read: 255 data bytes, hex, with its fields */

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static int hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* The bytes of n hex pairs at p into out; -1 when one is not hex. */
static int unhex(const unsigned char *p, size_t n, unsigned char *out)
{
	for (size_t i = 0; i < n; i++) {
		int hi = hexval(p[2 * i]), lo = hexval(p[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}

/* ---- one record of a text format ---- */

struct record {
	int type;            /* Intel: RECTYP; S-record: the digit after 'S' */
	uint32_t addr;       /* Intel: the 16-bit load offset; S-record: the address, 16 to 32 bits */
	unsigned char data[256];
	size_t n;            /* data bytes */
};

/* The end of the line starting at at (its '\r' or '\n', or the end of the buffer), looked for no further than a
 * record can be long: past that, a point beyond RECORD_MAX (too long for a record). */
static size_t line_end(const unsigned char *b, size_t len, size_t at)
{
	size_t look = len - at > RECORD_MAX + 2 ? RECORD_MAX + 2 : len - at;
	const unsigned char *nl = memchr(b + at, '\n', look);
	size_t e = nl ? (size_t)(nl - b) : at + look;

	while (e > at && (b[e - 1] == '\r' || b[e - 1] == ' ' || b[e - 1] == '\t'))
		e--;
	return e;
}

/* An Intel HEX record in line[0, n) (':' first): 0, or -1 with why. */
static int ihex_record(const unsigned char *line, size_t n, struct record *r, const char **why)
{
	unsigned char raw[5 + 255];
	unsigned sum = 0;
	size_t count;

	if (n < 11 || line[0] != ':' || unhex(line + 1, 1, raw) < 0) {
		*why = "a short or malformed record";
		return -1;
	}
	count = raw[0];
	if (n != 11 + 2 * count) {
		*why = n < 11 + 2 * count ? "a short record" : "a record longer than its length says";
		return -1;
	}
	if (unhex(line + 1, count + 5, raw) < 0) {
		*why = "a record that is not hex";
		return -1;
	}
	for (size_t i = 0; i < count + 5; i++)
		sum += raw[i];
	if (sum & 0xff) {
		*why = "a bad checksum";
		return -1;
	}
	if (raw[3] > 5) {
		*why = "an unknown record type";
		return -1;
	}
	r->type = raw[3];
	r->addr = (uint32_t)raw[1] << 8 | raw[2];
	r->n = count;
	memcpy(r->data, raw + 4, count);
	return 0;
}

/* An S-record in line[0, n) ('S' first): 0, or -1 with why. */
static int srec_record(const unsigned char *line, size_t n, struct record *r, const char **why)
{
	static const unsigned char addr_bytes[10] = { 2, 2, 3, 4, 0, 2, 3, 4, 3, 2 };
	unsigned char raw[256];
	unsigned sum = 0;
	size_t count, ab;

	if (n < 4 || line[0] != 'S' || line[1] < '0' || line[1] > '9' || line[1] == '4' || unhex(line + 2, 1, raw) < 0) {
		*why = "a short or malformed record";
		return -1;
	}
	r->type = line[1] - '0';
	count = raw[0];
	ab = addr_bytes[r->type];
	if (n != 4 + 2 * count || count < ab + 1) {
		*why = n < 4 + 2 * count ? "a short record" : "a record whose length is wrong";
		return -1;
	}
	if (unhex(line + 2, count + 1, raw) < 0) {
		*why = "a record that is not hex";
		return -1;
	}
	for (size_t i = 0; i < count; i++)
		sum += raw[i];
	if ((~sum & 0xff) != raw[count]) {
		*why = "a bad checksum";
		return -1;
	}
	r->addr = 0;
	for (size_t i = 0; i < ab; i++)
		r->addr = r->addr << 8 | raw[1 + i];
	r->n = count - ab - 1;
	memcpy(r->data, raw + 1 + ab, r->n);
	return 0;
}

/* ---- sniffing ---- */

static size_t skip_space(const unsigned char *b, size_t len, size_t at)
{
	while (at < len && (b[at] == ' ' || b[at] == '\t' || b[at] == '\r' || b[at] == '\n'))
		at++;
	return at;
}

static int uf2_block_ok(const unsigned char *b)
{
	return le32(b) == UF2_MAGIC0 && le32(b + 4) == UF2_MAGIC1 && le32(b + 508) == UF2_MAGIC_END;
}

int rs_flash_sniff(const unsigned char *b, size_t len)
{
	struct record r;
	const char *why;
	size_t at, e;

	if (len >= UF2_BLOCK && uf2_block_ok(b))
		return RS_FLASH_UF2;
	at = skip_space(b, len, 0);
	if (at == len || (b[at] != ':' && b[at] != 'S'))
		return RS_FLASH_NONE;
	e = line_end(b, len, at);
	if (e - at > RECORD_MAX)
		return RS_FLASH_NONE;
	if (b[at] == ':')
		return ihex_record(b + at, e - at, &r, &why) == 0 ? RS_FLASH_IHEX : RS_FLASH_NONE;
	return srec_record(b + at, e - at, &r, &why) == 0 && r.type <= 3 ? RS_FLASH_SREC : RS_FLASH_NONE;
}

/* ---- runs of flash addresses ---- */

struct span {
	uint64_t start, end; /* [start, end) */
	uint32_t family;
};

struct runs {
	const struct rs_flash_cb *cb;
	unsigned char *buf;  /* the current run's bytes */
	size_t len, cap;
	uint64_t start;      /* the current run's address (valid when len) */
	uint32_t family;
	struct span *done;   /* the runs handed over, for overlaps */
	size_t ndone, capdone;
	int handed;          /* runs handed over */
	char *why;
	size_t whysize;
};

static int say(struct runs *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Sets why; returns 1 ("stopped"). */
static int say(struct runs *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->why, r->whysize, fmt, ap);
	va_end(ap);
	return 1;
}

/* Hands the current run over: 0, 1 stopped (why set), -1 memory or the callback. */
static int flush(struct runs *r)
{
	uint64_t end = r->start + r->len;

	if (!r->len)
		return 0;
	for (size_t i = 0; i < r->ndone; i++)
		if (r->done[i].family == r->family && r->start < r->done[i].end && r->done[i].start < end) {
			r->len = 0;
			return say(r, "cannot read past bytes at 0x%08llx: they overlap bytes already read at 0x%08llx",
				   (unsigned long long)r->start, (unsigned long long)r->done[i].start);
		}
	if (r->ndone == MAX_RUNS) {
		r->len = 0;
		return say(r, "more than %u runs of flash addresses: the rest is not read", MAX_RUNS);
	}
	if (r->ndone == r->capdone) {
		size_t cap = r->capdone ? r->capdone * 2 : 8;
		struct span *v = realloc(r->done, cap * sizeof(*v));
		if (!v)
			return -1;
		r->done = v;
		r->capdone = cap;
	}
	r->done[r->ndone].start = r->start;
	r->done[r->ndone].end = end;
	r->done[r->ndone++].family = r->family;
	r->handed++;
	if (r->cb->run(r->cb->arg, (uint32_t)r->start, r->buf, r->len) < 0)
		return -1;
	r->len = 0;
	return r->cb->stop && r->cb->stop(r->cb->arg) ? 2 : 0;
}

/* n bytes at address addr: the current run goes on, or a new one starts. 0, 1 stopped (why set), 2 the callback
 * asked to stop, -1. */
static int put(struct runs *r, uint64_t addr, uint32_t family, const unsigned char *data, size_t n)
{
	int rv;

	if (!n)
		return 0;
	if (addr + n > 0x100000000ull)
		return say(r, "cannot read past bytes at 0x%llx: they run past 4 GiB", (unsigned long long)addr);
	if (r->len && (addr != r->start + r->len || family != r->family) && (rv = flush(r)) != 0)
		return rv;
	if (!r->len) {
		r->start = addr;
		r->family = family;
	}
	if (r->len + n > r->cb->max_run)
		return say(r, "a run of flash addresses longer than %llu MiB at 0x%08llx: the rest is not read",
			   (unsigned long long)(r->cb->max_run >> 20), (unsigned long long)r->start);
	if (r->len + n > r->cap) {
		size_t cap = r->cap ? r->cap : 4096;
		unsigned char *v;
		while (cap < r->len + n)
			cap *= 2;
		if (!(v = realloc(r->buf, cap)))
			return -1;
		r->buf = v;
		r->cap = cap;
	}
	memcpy(r->buf + r->len, data, n);
	r->len += n;
	return 0;
}

/* ---- the three formats ---- */

/* The next record of a text format: blank lines skipped (counted in *line), *at its start and *e its end; 0 at the
 * end of the file. */
static int next_record(const unsigned char *b, size_t len, size_t *at, unsigned long *line, size_t *e)
{
	size_t next = skip_space(b, len, *at);

	for (size_t i = *at; i < next; i++)
		*line += b[i] == '\n';
	*at = next;
	if (*at == len)
		return 0;
	*e = line_end(b, len, *at);
	return 1;
}

static int ihex_each(const unsigned char *b, size_t len, struct runs *r)
{
	struct record rec;
	uint64_t base = 0;
	unsigned long line = 1;
	size_t at = 0, e;
	const char *why;
	int rv;

	for (;;) {
		if (!next_record(b, len, &at, &line, &e))
			return say(r, "cannot read to the end: no end-of-file record (cut short?)");
		if (b[at] != ':' || e - at > RECORD_MAX)
			return say(r, "cannot read past line %lu: not an Intel HEX record", line);
		if (ihex_record(b + at, e - at, &rec, &why) < 0)
			return say(r, "cannot read past line %lu: %s", line, why);
		at = e;
		switch (rec.type) {
		case 0:
			if ((rv = put(r, base + rec.addr, 0, rec.data, rec.n)) != 0)
				return rv;
			break;
		case 1:
			return 0;
		case 2:
		case 4:
			if (rec.n != 2)
				return say(r, "cannot read past line %lu: an address record of %zu bytes", line, rec.n);
			base = (uint64_t)(rec.data[0] << 8 | rec.data[1]) << (rec.type == 2 ? 4 : 16);
			break;
		default: /* 03, 05: where execution starts, no bytes */
			break;
		}
	}
}

static int srec_each(const unsigned char *b, size_t len, struct runs *r)
{
	struct record rec;
	unsigned long line = 1;
	size_t at = 0, e;
	const char *why;
	int rv;

	for (;;) {
		if (!next_record(b, len, &at, &line, &e))
			return say(r, "cannot read to the end: no termination record (S7, S8 or S9; cut short?)");
		if (b[at] != 'S' || e - at > RECORD_MAX)
			return say(r, "cannot read past line %lu: not an S-record", line);
		if (srec_record(b + at, e - at, &rec, &why) < 0)
			return say(r, "cannot read past line %lu: %s", line, why);
		at = e;
		if (rec.type >= 1 && rec.type <= 3 && (rv = put(r, rec.addr, 0, rec.data, rec.n)) != 0)
			return rv;
		if (rec.type >= 7)
			return 0;
	}
}

static int uf2_each(const unsigned char *b, size_t len, struct runs *r)
{
	size_t at;
	int rv;

	for (at = 0; at + UF2_BLOCK <= len; at += UF2_BLOCK) {
		const unsigned char *blk = b + at;
		uint32_t flags = le32(blk + 8), addr = le32(blk + 12), size = le32(blk + 16);
		if (!uf2_block_ok(blk))
			return say(r, "cannot read past block %zu (byte %zu): not a UF2 block", at / UF2_BLOCK, at);
		if (flags & (UF2_NOT_MAIN_FLASH | UF2_FILE_CONTAINER))
			continue;
		if (size > UF2_PAYLOAD_MAX)
			return say(r, "cannot read past block %zu: a payload of %u bytes (at most %u)",
				   at / UF2_BLOCK, (unsigned)size, UF2_PAYLOAD_MAX);
		if ((rv = put(r, addr, flags & UF2_FAMILY_ID ? le32(blk + 28) : 0, blk + 32, size)) != 0)
			return rv;
	}
	if (at != len)
		return say(r, "cannot read the last %zu bytes: not a whole UF2 block", len - at);
	return 0;
}

int rs_flash_each(const unsigned char *buf, size_t len, const struct rs_flash_cb *cb, char *why, size_t whysize)
{
	struct runs r;
	int fmt = rs_flash_sniff(buf, len), rv;

	memset(&r, 0, sizeof(r));
	r.cb = cb;
	r.why = why;
	r.whysize = whysize;
	if (whysize)
		why[0] = '\0';
	if (fmt == RS_FLASH_NONE)
		return say(&r, "not an Intel HEX, S-record or UF2 file");
	rv = fmt == RS_FLASH_IHEX ? ihex_each(buf, len, &r) : fmt == RS_FLASH_SREC ? srec_each(buf, len, &r)
										     : uf2_each(buf, len, &r);
	/* what was decoded before the end or a bad record is handed over; after a refusal, nothing more */
	if (rv >= 0 && rv != 2) {
		int f = flush(&r);
		rv = f < 0 ? -1 : rv;
	}
	free(r.buf);
	free(r.done);
	if (rv < 0)
		return -1;
	return r.handed ? 0 : 1;
}
