/* buf.c: a growable, always NUL-terminated byte buffer. */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int rs_buf_grow(struct rs_buf *b, size_t extra)
{
	size_t need, cap;
	char *p;

	if (extra > SIZE_MAX - b->len - 1)
		return -1;
	need = b->len + extra + 1;
	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	p = realloc(b->data, cap);
	if (!p)
		return -1;
	b->data = p;
	b->cap = cap;
	return 0;
}

int rs_buf_add(struct rs_buf *b, const void *data, size_t len)
{
	if (rs_buf_grow(b, len) < 0)
		return -1;
	if (len)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
	return 0;
}

int rs_buf_addstr(struct rs_buf *b, const char *s)
{
	return rs_buf_add(b, s, strlen(s));
}

int rs_buf_vaddf(struct rs_buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0 || rs_buf_grow(b, (size_t)n) < 0)
		return -1;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int rs_buf_addf(struct rs_buf *b, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = rs_buf_vaddf(b, fmt, ap);
	va_end(ap);
	return rc;
}

char *rs_vstrdupf(const char *fmt, va_list ap)
{
	struct rs_buf b = RS_BUF_INIT;

	if (rs_buf_vaddf(&b, fmt, ap) < 0) {
		rs_buf_release(&b);
		return NULL;
	}
	return rs_buf_detach(&b);
}

char *rs_buf_detach(struct rs_buf *b)
{
	char *p = b->data;

	if (!p)
		p = calloc(1, 1);
	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}

void rs_buf_release(struct rs_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}
