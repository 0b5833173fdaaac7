/* http.c: HTTP/1.x request heads (RFC 9112), strictly: CRLF only, no line folding, tokens where tokens belong. */
#include "stream.h"

#include <ctype.h>
#include <string.h>

static int tchar(unsigned char c)
{
	return isalnum(c) || (c && strchr("!#$%&'*+-.^_`|~", c));
}

/* Visible characters, spaces and tabs, and obs-text: what a field value may hold. */
static int vchar(unsigned char c)
{
	return c == '\t' || (c >= 0x20 && c != 0x7f);
}

static struct rs_span trim(const char *p, size_t n)
{
	struct rs_span s;

	while (n && (*p == ' ' || *p == '\t'))
		p++, n--;
	while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	s.ptr = p;
	s.len = n;
	return s;
}

static int bad(struct rs_error *err, const char *what)
{
	return rs_fail(err, RS_ERR_PARSE, "malformed HTTP request: %s", what);
}

static int parse_request_line(const char *p, size_t n, struct rs_http_request *req, struct rs_error *err)
{
	const char *sp1 = memchr(p, ' ', n), *sp2;
	size_t i;

	if (!sp1 || sp1 == p)
		return bad(err, "no method");
	for (i = 0; p + i < sp1; i++)
		if (!tchar((unsigned char)p[i]))
			return bad(err, "method is not a token");
	sp2 = memchr(sp1 + 1, ' ', n - (size_t)(sp1 + 1 - p));
	if (!sp2 || sp2 == sp1 + 1)
		return bad(err, "no request target");
	for (const char *q = sp1 + 1; q < sp2; q++)
		if ((unsigned char)*q <= 0x20 || *q == 0x7f)
			return bad(err, "request target has a control character or blank");
	if ((size_t)(p + n - sp2 - 1) != 8 || memcmp(sp2 + 1, "HTTP/1.", 7) || (sp2[8] != '0' && sp2[8] != '1'))
		return bad(err, "version is not HTTP/1.0 or HTTP/1.1");
	req->method.ptr = p;
	req->method.len = (size_t)(sp1 - p);
	req->target.ptr = sp1 + 1;
	req->target.len = (size_t)(sp2 - sp1 - 1);
	req->minor_version = sp2[8] - '0';
	return 0;
}

static int parse_header(const char *p, size_t n, struct rs_http_request *req, struct rs_error *err)
{
	const char *colon = memchr(p, ':', n);
	size_t i;

	if (!colon || colon == p)
		return bad(err, "header line has no name");
	for (i = 0; p + i < colon; i++)
		if (!tchar((unsigned char)p[i]))
			return bad(err, "header name is not a token");
	for (const char *q = colon + 1; q < p + n; q++)
		if (!vchar((unsigned char)*q))
			return bad(err, "header value has a control character");
	if (req->header_count == RS_HTTP_MAX_HEADERS)
		return rs_fail(err, RS_ERR_LIMIT, "HTTP request has more than %d headers", RS_HTTP_MAX_HEADERS);
	req->names[req->header_count].ptr = p;
	req->names[req->header_count].len = (size_t)(colon - p);
	req->values[req->header_count] = trim(colon + 1, (size_t)(p + n - colon - 1));
	req->header_count++;
	return 0;
}

int rs_http_parse_request(const char *buf, size_t len, size_t max_head, struct rs_http_request *req, size_t *used,
			  struct rs_error *err)
{
	size_t pos = 0, line = 0, scan = len < max_head ? len : max_head;
	const char *lf;

	memset(req, 0, sizeof(*req));
	while (pos < scan) {
		lf = memchr(buf + pos, '\n', scan - pos);
		if (!lf)
			break;
		if (lf == buf + pos || lf[-1] != '\r')
			return bad(err, "line does not end with CRLF");
		size_t n = (size_t)(lf - 1 - (buf + pos));
		if (n == 0) {
			if (line == 0)
				return bad(err, "empty request line");
			*used = (size_t)(lf + 1 - buf);
			return 1;
		}
		if (line > 0 && (buf[pos] == ' ' || buf[pos] == '\t'))
			return bad(err, "obsolete line folding");
		if ((line == 0 ? parse_request_line(buf + pos, n, req, err) : parse_header(buf + pos, n, req, err)) < 0)
			return -1;
		line++;
		pos = (size_t)(lf + 1 - buf);
	}
	if (len >= max_head)
		return rs_fail(err, RS_ERR_LIMIT, "HTTP request head is over %zu bytes", max_head);
	return 0;
}

int rs_span_eq_ci(struct rs_span s, const char *text)
{
	size_t n = strlen(text);

	if (n != s.len)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (tolower((unsigned char)s.ptr[i]) != tolower((unsigned char)text[i]))
			return 0;
	return 1;
}

const struct rs_span *rs_http_header(const struct rs_http_request *req, const char *name)
{
	for (size_t i = 0; i < req->header_count; i++)
		if (rs_span_eq_ci(req->names[i], name))
			return &req->values[i];
	return NULL;
}

int rs_http_header_has_token(const struct rs_http_request *req, const char *name, const char *token)
{
	for (size_t i = 0; i < req->header_count; i++) {
		const char *p, *end, *comma;
		if (!rs_span_eq_ci(req->names[i], name))
			continue;
		p = req->values[i].ptr;
		end = p + req->values[i].len;
		for (; p < end; p = comma + 1) {
			comma = memchr(p, ',', (size_t)(end - p));
			if (!comma)
				comma = end;
			if (rs_span_eq_ci(trim(p, (size_t)(comma - p)), token))
				return 1;
		}
	}
	return 0;
}

/* "HTTP/1.1 401 Unauthorized\r\n...": the status, or -1 when the bytes do not start with a status line. */
int rs_http_status_line(const char *buf, size_t len)
{
	int status = 0;
	size_t i;

	if (len < 12 || memcmp(buf, "HTTP/1.", 7) || (buf[7] != '0' && buf[7] != '1') || buf[8] != ' ')
		return -1;
	for (i = 9; i < 12; i++) {
		if (buf[i] < '0' || buf[i] > '9')
			return -1;
		status = status * 10 + (buf[i] - '0');
	}
	if (len > 12 && buf[12] != ' ' && buf[12] != '\r')
		return -1;
	return status >= 100 ? status : -1;
}
