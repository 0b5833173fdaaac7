/* hex.c: hex digests and small string helpers. */
#include "internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

void rs_hex_encode(const unsigned char *in, size_t len, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < len; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 0x0f];
	}
	out[2 * len] = '\0';
}

/* Accepts "DF:3C:24...", "df 3c 24", "DF3C24"; writes lowercase hex without separators. */
int rs_hex_normalize(const char *in, char *out, size_t outsize)
{
	size_t n = 0;

	for (; *in; in++) {
		unsigned char c = (unsigned char)*in;
		if (c == ':' || c == ' ')
			continue;
		if (!isxdigit(c) || n + 1 >= outsize)
			return -1;
		out[n++] = (char)tolower(c);
	}
	out[n] = '\0';
	return n ? 0 : -1;
}

char *rs_strndup(const char *s, size_t n)
{
	char *p = malloc(n + 1);

	if (!p)
		return NULL;
	if (n)
		memcpy(p, s, n); /* s may be NULL when n is 0 (an empty name printed to a memory BIO) */
	p[n] = '\0';
	return p;
}

char *rs_strdup(const char *s)
{
	return s ? rs_strndup(s, strlen(s)) : NULL;
}

int rs_streq_ci(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return 0;
	return *a == *b;
}
