/*
 * utf16.c: text saved as UTF-16 with a byte-order mark (what Windows PowerShell 5's `>` and Out-File write, e.g. a
 * store exported from Cert:\LocalMachine\Root) narrowed to 8-bit text, so PEM in it is read like any other.
 * Certificate text is ASCII: each code unit below 0x80 becomes its byte, anything else '?'. Lines keep their
 * numbers; byte offsets are those of the narrowed text.
 */
#include "internal.h"

#include <stdlib.h>

int rs_utf16_narrow(const unsigned char *buf, size_t len, unsigned char **out, size_t *outlen)
{
	int le;
	size_t n = 0;
	unsigned char *v;

	*out = NULL;
	*outlen = 0;
	if (len < 4 || len % 2 || !((buf[0] == 0xff && buf[1] == 0xfe) || (buf[0] == 0xfe && buf[1] == 0xff)))
		return 0;
	le = buf[0] == 0xff;
	if (!(v = malloc(len / 2)))
		return -1;
	for (size_t i = 2; i + 1 < len; i += 2) {
		unsigned unit = le ? (unsigned)buf[i] | (unsigned)buf[i + 1] << 8 : (unsigned)buf[i] << 8 | buf[i + 1];
		v[n++] = unit < 0x80 ? (unsigned char)unit : '?';
	}
	*out = v;
	*outlen = n;
	return 1;
}
