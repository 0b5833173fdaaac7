/* utf8.c: one check of UTF-8 sequences, for renderers that must keep bytes jansson refuses. */
#include "internal.h"

/* RFC 3629, section 4: no overlong forms, no surrogates, nothing above U+10FFFF. A NUL ends every sequence early,
 * since no continuation byte is 0. */
size_t rs_utf8_len(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = p[0] < 0x80 ? 1 : p[0] < 0xc2 ? 0 : p[0] < 0xe0 ? 2 : p[0] < 0xf0 ? 3 : p[0] < 0xf5 ? 4 : 0;

	for (size_t i = 1; i < n; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	if ((p[0] == 0xe0 && p[1] < 0xa0) || (p[0] == 0xed && p[1] > 0x9f) || (p[0] == 0xf0 && p[1] < 0x90) ||
	    (p[0] == 0xf4 && p[1] > 0x8f))
		return 0;
	return n;
}
