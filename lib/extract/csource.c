/*
 * csource.c: certificates in C and C++ sources and headers. A small lexer turns the file into three streams:
 * the decoded string literals (concatenation, escapes, backslash-newline in a #define, raw strings
 * R"X(...)X", Arduino PROGMEM and F() need nothing special), the bytes of brace-enclosed integer arrays (hex,
 * decimal, octal; xxd -i output; one certificate split over several arrays) and the comments. Each stream keeps a
 * line map, so an anchor is reported at the line where its literal or array begins.
 */
#include "extract.h"

#include <stdlib.h>
#include <string.h>

#define MAX_RAW_DELIM 16

struct lexer {
	const unsigned char *t;
	size_t len, i;
	long line;
	struct rs_buf lit, bytes, comments;
	struct rs_linemap lit_map, bytes_map, comment_map;
	/* the array being read: valid while only integers and commas follow its '{' */
	int in_array, array_ok;
	size_t array_start, array_map_n; /* where the array's bytes and line segments begin */
	long bytes_line;                  /* the line of the last byte added */
	long array_line;
	long long array_off;
	char name[64], pending[64];
	/* BearSSL headers need identifiers and braces */
	int want_tokens;
	struct rs_ctoken *toks;
	size_t ntoks, captoks;
	struct rs_carray *arrays;
	size_t narrays, caparrays;
	int nomem;
};

static int at(const struct lexer *lx, size_t k, unsigned char c)
{
	return lx->i + k < lx->len && lx->t[lx->i + k] == c;
}

static void newline_scan(struct lexer *lx, size_t from, size_t to)
{
	size_t k;

	for (k = from; k < to; k++)
		lx->line += lx->t[k] == '\n';
}

static void add_byte(struct lexer *lx, struct rs_buf *b, unsigned char c)
{
	if (rs_buf_add(b, &c, 1) < 0)
		lx->nomem = 1;
}

static void segment(struct lexer *lx, struct rs_linemap *m, const struct rs_buf *b, long line, size_t off)
{
	if (rs_linemap_add(m, b->len, line, (long long)off) < 0)
		lx->nomem = 1;
}

static int hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* One escape sequence after a backslash at t[i]; appends its value to the literal stream. */
static void escape(struct lexer *lx)
{
	static const char from[] = "ntrabfv", to[] = "\n\t\r\a\b\f\v";
	unsigned char c;
	const char *p;
	int v = 0, n = 0, d;

	lx->i++; /* the backslash */
	if (lx->i >= lx->len)
		return;
	c = lx->t[lx->i++];
	if (c == '\n') { /* a continuation inside the literal */
		lx->line++;
		return;
	}
	if (c == '\r' && at(lx, 0, '\n')) {
		lx->i++;
		lx->line++;
		return;
	}
	if ((p = strchr(from, c)) != NULL && c) {
		add_byte(lx, &lx->lit, (unsigned char)to[p - from]);
		return;
	}
	if (c == 'x') {
		while (lx->i < lx->len && (d = hexval(lx->t[lx->i])) >= 0 && n++ < 2) {
			v = v * 16 + d;
			lx->i++;
		}
		add_byte(lx, &lx->lit, (unsigned char)v);
		return;
	}
	if (c >= '0' && c <= '7') {
		v = c - '0';
		while (lx->i < lx->len && lx->t[lx->i] >= '0' && lx->t[lx->i] <= '7' && ++n < 3)
			v = v * 8 + (lx->t[lx->i++] - '0');
		add_byte(lx, &lx->lit, (unsigned char)v);
		return;
	}
	add_byte(lx, &lx->lit, c); /* \\ \" \' \? and anything unknown */
}

/* A string literal from its opening quote; an unterminated one ends at the line's end. */
static void string_literal(struct lexer *lx)
{
	segment(lx, &lx->lit_map, &lx->lit, lx->line, lx->i);
	lx->i++;
	while (lx->i < lx->len && lx->t[lx->i] != '"' && lx->t[lx->i] != '\n') {
		if (lx->t[lx->i] == '\\')
			escape(lx);
		else
			add_byte(lx, &lx->lit, lx->t[lx->i++]);
	}
	if (at(lx, 0, '"'))
		lx->i++;
}

/* R"delim( ... )delim" from the quote: the content is taken as is. */
static void raw_literal(struct lexer *lx)
{
	char close[MAX_RAW_DELIM + 3];
	size_t d = 0, start, cl;
	const unsigned char *end;

	segment(lx, &lx->lit_map, &lx->lit, lx->line, lx->i);
	lx->i++;
	while (lx->i < lx->len && lx->t[lx->i] != '(' && d < MAX_RAW_DELIM && lx->t[lx->i] != '"' && lx->t[lx->i] > ' ')
		close[1 + d++] = (char)lx->t[lx->i++];
	if (!at(lx, 0, '('))
		return; /* not a raw string after all */
	close[0] = ')';
	close[1 + d] = '"';
	cl = d + 2;
	start = ++lx->i;
	end = rs_memmem(lx->t + start, lx->len - start, close, cl);
	lx->i = end ? (size_t)(end - lx->t) : lx->len;
	if (rs_buf_add(&lx->lit, lx->t + start, lx->i - start) < 0)
		lx->nomem = 1;
	newline_scan(lx, start, lx->i);
	if (end)
		lx->i += cl;
}

/* Comment text without its markers (the slashes and the stars that start the lines of a block comment). */
static void comment_text(struct lexer *lx, size_t from, size_t to)
{
	size_t k = from;
	int line_start = 1;

	while (k < to) {
		unsigned char c = lx->t[k];
		if (line_start && (c == ' ' || c == '\t' || c == '*' || c == '/')) {
			k++;
			continue;
		}
		line_start = c == '\n';
		add_byte(lx, &lx->comments, c);
		k++;
	}
	add_byte(lx, &lx->comments, '\n');
}

static void comment(struct lexer *lx)
{
	size_t start = lx->i;
	int block = at(lx, 1, '*');
	const unsigned char *end;

	segment(lx, &lx->comment_map, &lx->comments, lx->line, lx->i);
	if (block) {
		end = rs_memmem(lx->t + start + 2, lx->len - start - 2, "*/", 2);
		lx->i = end ? (size_t)(end - lx->t) + 2 : lx->len;
	} else {
		while (lx->i < lx->len && lx->t[lx->i] != '\n')
			lx->i += (lx->t[lx->i] == '\\' && at(lx, 1, '\n')) ? 2 : 1;
	}
	comment_text(lx, start, block && lx->i - start >= 4 && lx->t[lx->i - 1] == '/' ? lx->i - 2 : lx->i);
	newline_scan(lx, start, lx->i);
}

static void char_literal(struct lexer *lx)
{
	lx->i++;
	while (lx->i < lx->len && lx->t[lx->i] != '\'' && lx->t[lx->i] != '\n')
		lx->i += lx->t[lx->i] == '\\' ? 2 : 1;
	if (at(lx, 0, '\''))
		lx->i++;
}

static void push_token(struct lexer *lx, const char *ident, size_t n, char punct)
{
	struct rs_ctoken *v;

	if (!lx->want_tokens)
		return;
	if (lx->ntoks == lx->captoks) {
		size_t cap = lx->captoks ? lx->captoks * 2 : 256;
		if (!(v = realloc(lx->toks, cap * sizeof(*v)))) {
			lx->nomem = 1;
			return;
		}
		lx->toks = v;
		lx->captoks = cap;
	}
	v = &lx->toks[lx->ntoks];
	v->ident = ident ? rs_strndup(ident, n) : NULL;
	v->punct = punct;
	v->line = lx->line;
	v->offset = (long long)lx->i;
	if (ident && !v->ident)
		lx->nomem = 1;
	lx->ntoks++;
}

static void identifier(struct lexer *lx)
{
	size_t start = lx->i, n;

	while (lx->i < lx->len && (lx->t[lx->i] == '_' || (lx->t[lx->i] >= 'a' && lx->t[lx->i] <= 'z') ||
				   (lx->t[lx->i] >= 'A' && lx->t[lx->i] <= 'Z') || (lx->t[lx->i] >= '0' && lx->t[lx->i] <= '9')))
		lx->i++;
	n = lx->i - start;
	if (at(lx, 0, '"')) { /* encoding and raw prefixes: L u U u8, R LR uR UR u8R */
		if (lx->t[lx->i - 1] == 'R' && n <= 3) {
			raw_literal(lx);
			return;
		}
		if (n <= 2) {
			string_literal(lx);
			return;
		}
	}
	lx->array_ok = 0;
	if (n < sizeof(lx->name)) {
		memcpy(lx->name, lx->t + start, n);
		lx->name[n] = '\0';
	}
	push_token(lx, (const char *)lx->t + start, n, 0);
}

static void number(struct lexer *lx)
{
	const unsigned char *s = lx->t + lx->i;
	char buf[40];
	size_t n = 0;
	unsigned long v;
	char *end;

	while (lx->i + n < lx->len && n < sizeof(buf) - 1 &&
	       (hexval(s[n]) >= 0 || s[n] == 'x' || s[n] == 'X' || s[n] == 'u' || s[n] == 'U' || s[n] == 'l' || s[n] == 'L' ||
		s[n] == 'b'))
		n++;
	memcpy(buf, s, n);
	buf[n] = '\0';
	lx->i += n ? n : 1;
	if (!lx->in_array || !lx->array_ok)
		return;
	if (n > 2 && buf[0] == '0' && (buf[1] == 'b' || buf[1] == 'B'))
		v = strtoul(buf + 2, &end, 2);
	else
		v = strtoul(buf, &end, 0); /* 0x.. hex, 0.. octal, decimal */
	while (*end == 'u' || *end == 'U' || *end == 'l' || *end == 'L')
		end++;
	if (*end || v > 255) {
		lx->array_ok = 0;
		return;
	}
	if (lx->line != lx->bytes_line) { /* a later certificate in the same array is located by its own line */
		if (lx->bytes.len > lx->array_start && rs_linemap_add(&lx->bytes_map, lx->bytes.len, lx->line, (long long)lx->i) < 0)
			lx->nomem = 1;
		lx->bytes_line = lx->line;
	}
	add_byte(lx, &lx->bytes, (unsigned char)v);
}

/* Drops what an array collected: it held something else than integers. */
static void drop_array(struct lexer *lx)
{
	lx->bytes.len = lx->array_start;
	lx->bytes_map.n = lx->array_map_n;
}

static void open_brace(struct lexer *lx)
{
	push_token(lx, NULL, 0, '{');
	if (lx->in_array) /* nested: drop what the outer one collected */
		drop_array(lx);
	lx->in_array = lx->array_ok = 1;
	lx->array_start = lx->bytes.len;
	lx->array_map_n = lx->bytes_map.n;
	lx->array_line = lx->bytes_line = lx->line;
	lx->array_off = (long long)lx->i;
	if (rs_linemap_add(&lx->bytes_map, lx->array_start, lx->array_line, lx->array_off) < 0)
		lx->nomem = 1;
	memcpy(lx->name, lx->pending, sizeof(lx->name));
	lx->i++;
}

static void add_array(struct lexer *lx)
{
	struct rs_carray *v, *a;
	size_t n = lx->bytes.len - lx->array_start;

	if (!lx->want_tokens)
		return;
	if (lx->narrays == lx->caparrays) {
		size_t cap = lx->caparrays ? lx->caparrays * 2 : 16;
		if (!(v = realloc(lx->arrays, cap * sizeof(*v)))) {
			lx->nomem = 1;
			return;
		}
		lx->arrays = v;
		lx->caparrays = cap;
	}
	a = &lx->arrays[lx->narrays];
	a->name = rs_strdup(lx->name);
	a->bytes = malloc(n ? n : 1);
	if (!a->name || !a->bytes) {
		free(a->name);
		free(a->bytes);
		lx->nomem = 1;
		return;
	}
	memcpy(a->bytes, lx->bytes.data + lx->array_start, n);
	a->len = n;
	a->line = lx->array_line;
	a->offset = lx->array_off;
	lx->narrays++;
}

static void close_brace(struct lexer *lx)
{
	push_token(lx, NULL, 0, '}');
	if (lx->in_array && lx->array_ok && lx->bytes.len > lx->array_start)
		add_array(lx);
	else if (lx->in_array)
		drop_array(lx);
	lx->in_array = lx->array_ok = 0;
	lx->i++;
}

static void punct(struct lexer *lx, unsigned char c)
{
	if (c == '[')
		memcpy(lx->pending, lx->name, sizeof(lx->pending));
	if (c != ',' && c != ' ' && c != '\t' && c != '\r' && c != '\f' && c != '\v')
		lx->array_ok = 0;
	lx->i++;
}

static void lex(struct lexer *lx)
{
	while (lx->i < lx->len && !lx->nomem) {
		unsigned char c = lx->t[lx->i];
		if (c == '\n') {
			lx->line++;
			lx->i++;
		} else if (c == '\\' && at(lx, 1, '\n')) {
			lx->line++;
			lx->i += 2;
		} else if (c == '/' && (at(lx, 1, '/') || at(lx, 1, '*')))
			comment(lx);
		else if (c == '"') {
			lx->array_ok = 0;
			string_literal(lx);
		} else if (c == '\'') {
			lx->array_ok = 0;
			char_literal(lx);
		} else if (c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
			identifier(lx);
		else if (c >= '0' && c <= '9')
			number(lx);
		else if (c == '{')
			open_brace(lx);
		else if (c == '}')
			close_brace(lx);
		else
			punct(lx, c);
	}
}

static void lexer_release(struct lexer *lx)
{
	size_t i;

	rs_buf_release(&lx->lit);
	rs_buf_release(&lx->bytes);
	rs_buf_release(&lx->comments);
	rs_linemap_release(&lx->lit_map);
	rs_linemap_release(&lx->bytes_map);
	rs_linemap_release(&lx->comment_map);
	for (i = 0; i < lx->ntoks; i++)
		free(lx->toks[i].ident);
	free(lx->toks);
	for (i = 0; i < lx->narrays; i++) {
		free(lx->arrays[i].name);
		free(lx->arrays[i].bytes);
	}
	free(lx->arrays);
}

static int run_extractors(struct rs_scan *s, struct lexer *lx)
{
	int n = 0, k;

	if (lx->want_tokens && (k = rs_extract_bearssl(s, lx->toks, lx->ntoks, lx->arrays, lx->narrays)) < 0)
		return -1;
	n += lx->want_tokens ? k : 0;
	if ((k = rs_extract_pem(s, (unsigned char *)lx->lit.data, lx->lit.len, &lx->lit_map, "c-string")) < 0)
		return -1;
	n += k;
	if ((k = rs_extract_carve(s, (unsigned char *)lx->bytes.data, lx->bytes.len, &lx->bytes_map, "c-bytes")) < 0)
		return -1;
	n += k;
	s->commented = 1;
	k = rs_extract_pem(s, (unsigned char *)lx->comments.data, lx->comments.len, &lx->comment_map, "c-comment");
	s->commented = 0;
	return k < 0 ? -1 : n;
}

int rs_extract_csource(struct rs_scan *s)
{
	struct lexer lx;
	int rv;

	memset(&lx, 0, sizeof(lx));
	lx.t = s->buf;
	lx.len = s->len;
	lx.line = 1;
	lx.want_tokens = rs_memmem(s->buf, s->len, "br_x509_trust_anchor", 20) != NULL;
	if (!memchr(s->buf, '{', s->len)) { /* an include fragment, `0x30, 0x82, ...`: the braces are the includer's */
		open_brace(&lx);
		lx.i = 0;
	}
	lex(&lx);
	if (lx.in_array && !lx.array_ok)
		drop_array(&lx);
	if (lx.nomem)
		rv = rs_fail(s->err, RS_ERR_NOMEM, "out of memory reading '%s'", s->path);
	else
		rv = run_extractors(s, &lx);
	lexer_release(&lx);
	return rv;
}
