/* mem.c: byte searching (memmem is a GNU extension, outside the POSIX 2008 this project builds against). */
#include "internal.h"

#include <string.h>

const unsigned char *rs_memmem(const unsigned char *hay, size_t hlen, const void *needle, size_t nlen)
{
	const unsigned char *n = needle, *p = hay, *end = hay + hlen;

	if (nlen == 0)
		return hay;
	while ((size_t)(end - p) >= nlen) {
		p = memchr(p, n[0], (size_t)(end - p) - nlen + 1);
		if (!p)
			return NULL;
		if (!memcmp(p, n, nlen))
			return p;
		p++;
	}
	return NULL;
}

#define ONES 0x0101010101010101ull
#define HIGH 0x8080808080808080ull

/* Bit 7 of each byte of a word of bytes < 0x80: set where the byte is below b (no carries cross bytes). */
static uint64_t below(uint64_t w, unsigned b)
{
	return ~(w + ONES * (0x80 - b)) & HIGH;
}

size_t rs_ascii_words(const unsigned char *buf, size_t n, size_t *odd)
{
	size_t i = 0;
	uint64_t w, ctl;

	for (; i + 8 <= n; i += 8) {
		memcpy(&w, buf + i, 8);
		if ((w & HIGH) || below(w, 0x01))
			break;
		ctl = below(w, 0x09) | (below(w, 0x20) & ~below(w, 0x0e));
		*odd += (size_t)(((ctl >> 7) * ONES) >> 56);
	}
	return i;
}
