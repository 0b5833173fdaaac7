/* base64.c: base64 (RFC 4648, standard alphabet) for PEM bodies, SAS keys and signatures. */
#include "internal.h"

#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

/* The value of one base64 digit, or -1. */
int rs_base64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	return c == '+' ? 62 : c == '/' ? 63 : -1;
}

/* Decodes in[0..len), skipping whitespace, into out (at least len / 4 * 3 + 3 bytes); returns the number of bytes,
 * or -1 when the text is not base64 (bad characters, data after padding, wrong length). */
long rs_base64_decode(const char *in, size_t len, unsigned char *out)
{
	unsigned long acc = 0;
	size_t i, n = 0, pad = 0, bits = 0;
	long outn = 0;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)in[i];
		int v;
		if (c == ' ' || c == '\n' || c == '\r' || c == '\t')
			continue;
		if (c == '=') {
			pad++;
			continue;
		}
		if (pad || (v = rs_base64_value(c)) < 0)
			return -1; /* data after padding, or not base64 */
		acc = (acc << 6) | (unsigned long)v;
		bits += 6;
		n++;
		if (bits >= 8) {
			bits -= 8;
			out[outn++] = (unsigned char)(acc >> bits);
		}
	}
	if ((n + pad) % 4 || pad > 2 || (n % 4 == 1))
		return -1;
	return outn;
}

/* Strict: no whitespace, padding required, at most 4096 characters. *out is malloc'd. */
int rs_base64_decode_alloc(const char *text, unsigned char **out, size_t *outlen)
{
	size_t n = strlen(text);
	unsigned char *buf;
	long got;

	if (n == 0 || n % 4 != 0 || n > 4096 || strcspn(text, " \t\r\n") != n)
		return -1;
	if (!(buf = malloc(n / 4 * 3 + 3)))
		return -1;
	got = rs_base64_decode(text, n, buf);
	if (got < 0) {
		free(buf);
		return -1;
	}
	*out = buf;
	*outlen = (size_t)got;
	return 0;
}

char *rs_base64_encode(const unsigned char *data, size_t len)
{
	char *out = malloc(4 * ((len + 2) / 3) + 1);

	if (out)
		EVP_EncodeBlock((unsigned char *)out, data, (int)len);
	return out;
}
