/* parse.c: decoders of server bytes the probe reads, kept apart so that they are fuzzed on their own. */
#include "probe.h"

#include <string.h>

/* sym8 elements of an array8 of symbols (AMQP 1.0 types 1.6.24 and 1.6.21: 0xe0 size count 0xa3, then each
 * element as a length byte and its bytes); returns the bytes taken, 0 when p is no such array. */
static size_t symbol_array(const unsigned char *p, size_t n, struct rs_buf *out)
{
	size_t size, count, i, at = 4;

	if (n < 4 || p[0] != 0xe0 || p[3] != 0xa3)
		return 0;
	size = p[1];
	count = p[2];
	if (2 + size > n)
		return 0;
	for (i = 0; i < count && at < 2 + size; i++) {
		size_t len = p[at];
		if (at + 1 + len > 2 + size)
			break;
		rs_buf_addf(out, "%s%.*s", out->len ? " " : "", (int)len, (const char *)p + at + 1);
		at += 1 + len;
	}
	return 2 + size;
}

/* The sasl-mechanisms frame (AMQP 1.0, 5.3.3.1) lists the mechanisms as a symbol (sym8 0xa3) or an array of
 * symbols; collect them wherever they are in the frame. */
void rs_amqp_mechanisms(const unsigned char *p, size_t n, struct rs_buf *out)
{
	size_t i = 0, used;

	while (i + 2 <= n) {
		if ((used = symbol_array(p + i, n - i, out)) > 0) {
			i += used;
			continue;
		}
		if (p[i] == 0xa3 && p[i + 1] > 0 && i + 2 + p[i + 1] <= n) {
			rs_buf_addf(out, "%s%.*s", out->len ? " " : "", (int)p[i + 1], (const char *)p + i + 2);
			i += 2 + (size_t)p[i + 1];
			continue;
		}
		i++;
	}
}
