/*
 * jsonkeys.c: strict input for JSON documents (profiles, fleet files). jansson parses the document but keeps no
 * positions for the values it returns (json_error_t has line and column only for a parse error), so a second,
 * read-only pass over the text finds each object's keys with their line and column and checks them against the
 * keys the reader knows. Only the grammar of RFC 8259 is followed; the text has already parsed, so anything
 * unexpected just ends the walk without a verdict.
 */
#include "internal.h"

#include <stdio.h>
#include <string.h>

#define MAX_DEPTH 2048 /* jansson's JSON_PARSER_MAX_DEPTH */

struct walk {
	const char *p, *end;
	int line, col;
	const struct rs_json_keys *schema;
	size_t n;
	const char *what;
	struct rs_error *err;
	char pattern[256], path[256]; /* "classes[].backoff" and "classes[3].backoff" */
	int failed, broken;
};

static void adv(struct walk *w)
{
	if (*w->p == '\n') {
		w->line++;
		w->col = 1;
	} else
		w->col++;
	w->p++;
}

static void ws(struct walk *w)
{
	while (w->p < w->end && (*w->p == ' ' || *w->p == '\t' || *w->p == '\r' || *w->p == '\n'))
		adv(w);
}

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Reads a string at w->p (on its quote); the decoded text goes to out when it is ASCII and fits, else out gets
 * a character no key has ("\x01"). */
static void string(struct walk *w, char *out, size_t size)
{
	size_t n = 0;
	int plain = 1;

	adv(w);
	while (w->p < w->end && *w->p != '"') {
		char c = *w->p;
		if (c == '\\' && w->p + 1 < w->end) {
			adv(w);
			c = *w->p;
			if (c == 'u') {
				int v = 0, i, h;
				for (i = 0; i < 4 && w->p + 1 < w->end && (h = hexval(w->p[1])) >= 0; i++) {
					adv(w);
					v = v * 16 + h;
				}
				plain &= v > 0 && v < 0x80;
				c = (char)v;
			} else
				c = c == 'n' ? '\n' : c == 't' ? '\t' : c == 'r' ? '\r' : c == 'b' ? '\b' : c == 'f' ? '\f' : c;
		}
		plain &= (unsigned char)c < 0x80;
		if (out && n + 1 < size)
			out[n++] = c;
		else
			plain = 0;
		adv(w);
	}
	if (w->p < w->end)
		adv(w);
	else
		w->broken = 1;
	if (out && plain)
		out[n] = '\0';
	else if (out)
		snprintf(out, size, "\x01");
}

static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), row[65], i, j, prev, cur;

	if (la > 64 || lb > 64)
		return (size_t)-1;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			cur = row[j];
			row[j] = a[i - 1] == b[j - 1] ? prev : 1 + (prev < row[j - 1] ? (prev < cur ? prev : cur)
										: (row[j - 1] < cur ? row[j - 1] : cur));
			prev = cur;
		}
	}
	return row[lb];
}

const char *rs_nearest_word(const char *word, const char *const *words)
{
	const char *best = NULL;
	size_t d, bd = (size_t)-1, len = strlen(word), limit = len / 2 > 2 ? len / 2 : 2;

	for (; words && *words; words++)
		if ((d = distance(word, *words)) < bd) {
			bd = d;
			best = *words;
		}
	return bd <= limit ? best : NULL;
}

static const char *const *known_keys(const struct walk *w)
{
	size_t i;

	for (i = 0; i < w->n; i++)
		if (!strcmp(w->schema[i].path, w->pattern))
			return w->schema[i].keys;
	return NULL;
}

static void check(struct walk *w, const char *key, int line, int col)
{
	const char *const *keys = known_keys(w), *const *k, *near;

	if (!keys)
		return;
	for (k = keys; *k; k++)
		if (!strcmp(*k, key))
			return;
	near = rs_nearest_word(key, keys);
	w->failed = 1;
	rs_fail(w->err, RS_ERR_PARSE, "%s: unknown key '%s' at line %d column %d%s%s%s%s%s", w->what,
		key[0] == '\x01' ? "(not ASCII)" : key, line, col, *w->path ? " in " : "", w->path,
		near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "");
}

static void value(struct walk *w, int depth);

/* Appends a step to both paths; returns the lengths to restore. */
static void push(struct walk *w, const char *pat, const char *step, size_t *lp, size_t *lq)
{
	*lp = strlen(w->pattern);
	*lq = strlen(w->path);
	snprintf(w->pattern + *lp, sizeof(w->pattern) - *lp, "%s", pat);
	snprintf(w->path + *lq, sizeof(w->path) - *lq, "%s", step);
}

static void pop(struct walk *w, size_t lp, size_t lq)
{
	w->pattern[lp] = '\0';
	w->path[lq] = '\0';
}

static void object(struct walk *w, int depth)
{
	char key[128], step[132];
	size_t lp, lq;
	int line, col;

	adv(w);
	ws(w);
	if (w->p < w->end && *w->p == '}') {
		adv(w);
		return;
	}
	while (!w->failed && !w->broken && w->p < w->end && *w->p == '"') {
		line = w->line;
		col = w->col;
		string(w, key, sizeof(key));
		check(w, key, line, col);
		ws(w);
		if (w->failed || w->p >= w->end || *w->p != ':')
			break;
		adv(w);
		snprintf(step, sizeof(step), "%s%s", *w->pattern ? "." : "", key);
		push(w, step, step, &lp, &lq);
		value(w, depth + 1);
		pop(w, lp, lq);
		ws(w);
		if (w->p < w->end && *w->p == ',') {
			adv(w);
			ws(w);
			continue;
		}
		if (w->p < w->end && *w->p == '}')
			adv(w);
		else
			w->broken = 1;
		return;
	}
	w->broken = 1;
}

static void array(struct walk *w, int depth)
{
	char step[32];
	size_t i, lp, lq;

	adv(w);
	ws(w);
	if (w->p < w->end && *w->p == ']') {
		adv(w);
		return;
	}
	for (i = 0; !w->failed && !w->broken && w->p < w->end; i++) {
		snprintf(step, sizeof(step), "[%zu]", i);
		push(w, "[]", step, &lp, &lq);
		value(w, depth + 1);
		pop(w, lp, lq);
		ws(w);
		if (w->p < w->end && *w->p == ',') {
			adv(w);
			continue;
		}
		if (w->p < w->end && *w->p == ']')
			adv(w);
		else
			w->broken = 1;
		return;
	}
}

static void value(struct walk *w, int depth)
{
	ws(w);
	if (w->p >= w->end || depth > MAX_DEPTH) {
		w->broken = 1;
		return;
	}
	if (*w->p == '{')
		object(w, depth);
	else if (*w->p == '[')
		array(w, depth);
	else if (*w->p == '"')
		string(w, NULL, 0);
	else
		while (w->p < w->end && !strchr(",]} \t\r\n", *w->p))
			adv(w);
}

int rs_json_check_keys(const char *text, size_t len, const struct rs_json_keys *schema, size_t n, const char *what,
		       struct rs_error *err)
{
	struct walk w;

	memset(&w, 0, sizeof(w));
	w.p = text;
	w.end = text + len;
	w.line = w.col = 1;
	w.schema = schema;
	w.n = n;
	w.what = what;
	w.err = err;
	value(&w, 0);
	return w.failed ? -1 : 0;
}
