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
