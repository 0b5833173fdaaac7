/* url.c: percent-encoding, base64 and the masking of secrets, as Azure's tokens and strings use them. */
#include "azure.h"

#include <ctype.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

static int unreserved(unsigned char c)
{
	return isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~';
}

char *rs_url_encode(const char *text, int upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	size_t n = strlen(text), i, o = 0;
	char *out = malloc(3 * n + 1);

	if (!out)
		return NULL;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)text[i];
		if (unreserved(c)) {
			out[o++] = (char)c;
			continue;
		}
		out[o++] = '%';
		out[o++] = digits[c >> 4];
		out[o++] = digits[c & 15];
	}
	out[o] = '\0';
	return out;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

char *rs_url_decode(const char *text)
{
	size_t n = strlen(text), i, o = 0;
	char *out = malloc(n + 1);
	int hi, lo;

	if (!out)
		return NULL;
	for (i = 0; i < n; i++) {
		if (text[i] != '%') {
			out[o++] = text[i];
			continue;
		}
		if (i + 2 >= n || (hi = hexval((unsigned char)text[i + 1])) < 0 ||
		    (lo = hexval((unsigned char)text[i + 2])) < 0 || (hi | lo) == 0) {
			free(out);
			return NULL;
		}
		out[o++] = (char)(hi << 4 | lo);
		i += 2;
	}
	out[o] = '\0';
	return out;
}

const char *rs_mask_secret(const char *secret, char *buf, size_t size)
{
	size_t n = secret ? strlen(secret) : 0;

	/* Short secrets show nothing: four characters of an eight-character secret is half of it. */
	snprintf(buf, size, "***%s", n >= 16 ? secret + n - 4 : "");
	return buf;
}

