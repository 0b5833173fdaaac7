/*
 * pinscan.c: the pinning scanner: findings, suppressions (.rootshiftignore), files (text, or a binary's printable
 * runs plus carving) and trees walked by N worker threads. Each file is judged on its own, so workers share only
 * the catalog (read-only), the result list and the progress counter (under one mutex).
 */
#define _DEFAULT_SOURCE /* MAP_POPULATE and MAP_ANONYMOUS, where the system has them */
#include "pin.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define DEFAULT_MAX (1ull << 30)
#ifdef MAP_POPULATE
#define POPULATE MAP_POPULATE /* a large file is read whole: map its pages at once, not one fault at a time */
#else
#define POPULATE 0
#endif
#define SMALL (1u << 20)  /* files up to this size are read into a reused buffer; larger ones are mapped */
#define TEXT_SNIFF 8192
#define MAX_DEPTH 64
#define TEXT_MAX 120

struct ignore {
	char *pattern; /* fnmatch pattern, or NULL for a value */
	char *value;   /* lowercase hex, or NULL */
	char *base;    /* the directory the pattern is relative to, "" for none */
	char *rules;   /* " rule rule " or NULL for every rule */
};

/* A value assigned to a name, and a pinning API given a name: what the tree-wide join reads (pinscan_join). */
struct pdef {
	struct rs_pin_def d;
	char *path;
	long line, column;
	char *text;
	int used;
	int anchor;              /* an embedded anchor's finding (hit), not a digest */
	int join_only;           /* the hit is reported only at a call that takes it (a sole root anchor) */
	int taken;               /* a file's path given a name (d.file) that a trust call takes by the name */
	int table;               /* an anchor's second name, the table holding its array (never reported unused) */
	const struct pcall *last; /* the last call joined with it: two APIs on one line are one use */
	struct rs_pin_hit hit;   /* with message, value and text owned (hmsg, hval, htext) */
	char *hmsg, *hval, *htext;
};
struct pcall {
	struct rs_pin_call c;
	char *path;
	long line, column;
	char *text;
};
/* A file holding certificates, under a directory (its last component "dir:NAME"): a CApath's members. */
struct pdir {
	char ident[64];
	char *path;
};
struct names {
	struct pdef *defs;
	size_t ndefs, capdefs;
	struct pcall *calls;
	size_t ncalls, capcalls;
	struct pdir *dirs;
	size_t ndirs, capdirs;
};

struct rs_pinscan {
	const struct rs_catalog *cat;
	struct names pending; /* definitions and calls of the files scanned since the last join */
	struct rs_pin_context pc; /* the catalog, and the profile and time of the judgement */
	struct rs_pin_ruleset *rules; /* a --rules file's table, or NULL for the built-in one */
	struct rs_pin_finding *v;
	size_t n, cap;
	struct ignore *ign;
	size_t nign, capign;
	size_t suppressed;
	unsigned long long files, bytes;
	struct rs_pin_skipped *skipped; /* files of a tree left unread, with the reason: never silent */
	size_t nskipped, capskipped;
	pthread_mutex_t lock;
};

struct rs_pinscan *rs_pinscan_new(const struct rs_catalog *cat)
{
	struct rs_pinscan *ps = calloc(1, sizeof(*ps));

	if (!ps)
		return NULL;
	ps->cat = cat;
	ps->pc.cat = cat;
	pthread_mutex_init(&ps->lock, NULL);
	return ps;
}

void rs_pinscan_set_migration(struct rs_pinscan *ps, const struct rs_profile *p, rs_time at)
{
	if (!ps)
		return;
	ps->pc.profile = p;
	ps->pc.at = at;
	ps->pc.timed = 1;
}

static void names_release(struct names *n)
{
	size_t i;

	for (i = 0; i < n->ndefs; i++) {
		free(n->defs[i].path);
		free(n->defs[i].text);
		free(n->defs[i].hmsg);
		free(n->defs[i].hval);
		free(n->defs[i].htext);
	}
	for (i = 0; i < n->ncalls; i++) {
		free(n->calls[i].path);
		free(n->calls[i].text);
	}
	for (i = 0; i < n->ndirs; i++)
		free(n->dirs[i].path);
	free(n->defs);
	free(n->calls);
	free(n->dirs);
	memset(n, 0, sizeof(*n));
}

/* An array v (capacity *cap) with room for need (> 0) elements of size bytes, doubling: v or its new place, or
 * NULL (v is left as it was). */
static void *room(void *v, size_t *cap, size_t need, size_t size)
{
	size_t c = *cap ? *cap : 8;
	void *nv;

	if (need <= *cap)
		return v;
	while (c < need)
		c *= 2;
	if ((nv = realloc(v, c * size)) != NULL)
		*cap = c;
	return nv;
}


/* Moves the definitions and calls of from to the end of to. */
static int names_move(struct names *to, struct names *from)
{
	struct pdef *d;
	struct pcall *c;

	if (from->ndefs) {
		if (!(d = room(to->defs, &to->capdefs, to->ndefs + from->ndefs, sizeof(*to->defs))))
			return -1;
		to->defs = d;
	}
	if (from->ncalls) {
		if (!(c = room(to->calls, &to->capcalls, to->ncalls + from->ncalls, sizeof(*to->calls))))
			return -1;
		to->calls = c;
	}
	if (from->ndirs) {
		struct pdir *r = room(to->dirs, &to->capdirs, to->ndirs + from->ndirs, sizeof(*to->dirs));
		if (!r)
			return -1;
		to->dirs = r;
		memcpy(to->dirs + to->ndirs, from->dirs, from->ndirs * sizeof(*to->dirs));
		to->ndirs += from->ndirs;
		from->ndirs = 0;
	}
	if (from->ndefs)
		memcpy(to->defs + to->ndefs, from->defs, from->ndefs * sizeof(*to->defs));
	if (from->ncalls)
		memcpy(to->calls + to->ncalls, from->calls, from->ncalls * sizeof(*to->calls));
	to->ndefs += from->ndefs;
	to->ncalls += from->ncalls;
	from->ndefs = from->ncalls = 0;
	return 0;
}

static void finding_release(struct rs_pin_finding *f)
{
	free((char *)f->related_path);
	free((char *)f->related_name);
	free((char *)f->path);
	free((char *)f->value);
	free((char *)f->text);
	free((char *)f->message);
}

int rs_pinscan_set_rules(struct rs_pinscan *ps, const char *text, size_t len, const char *origin,
			 struct rs_error *err)
{
	struct rs_pin_ruleset *rs;

	if (!ps)
		return rs_fail(err, RS_ERR_USAGE, "no scanner");
	if (!(rs = rs_pin_ruleset_load(text, len, origin, err)))
		return -1;
	rs_pin_ruleset_free(ps->rules);
	ps->rules = rs;
	ps->pc.rules = rs;
	return 0;
}

void rs_pinscan_free(struct rs_pinscan *ps)
{
	size_t i;

	if (!ps)
		return;
	rs_pin_ruleset_free(ps->rules);
	for (i = 0; i < ps->n; i++)
		finding_release(&ps->v[i]);
	for (i = 0; i < ps->nign; i++) {
		free(ps->ign[i].pattern);
		free(ps->ign[i].value);
		free(ps->ign[i].base);
		free(ps->ign[i].rules);
	}
	free(ps->ign);
	free(ps->v);
	for (i = 0; i < ps->nskipped; i++) {
		free(ps->skipped[i].path);
		free(ps->skipped[i].reason);
	}
	free(ps->skipped);
	names_release(&ps->pending);
	pthread_mutex_destroy(&ps->lock);
	free(ps);
}

size_t rs_pinscan_count(const struct rs_pinscan *ps)
{
	return ps ? ps->n : 0;
}

const struct rs_pin_finding *rs_pinscan_at(const struct rs_pinscan *ps, size_t i)
{
	return ps && i < ps->n ? &ps->v[i] : NULL;
}

unsigned long long rs_pinscan_files(const struct rs_pinscan *ps)
{
	return ps ? ps->files : 0;
}

unsigned long long rs_pinscan_bytes(const struct rs_pinscan *ps)
{
	return ps ? ps->bytes : 0;
}

size_t rs_pinscan_suppressed(const struct rs_pinscan *ps)
{
	return ps ? ps->suppressed : 0;
}

/* ---- suppressions ---- */

static int add_ignore_line(struct rs_pinscan *ps, const char *line, size_t n, const char *base)
{
	struct ignore *g;
	struct rs_buf rules = RS_BUF_INIT;
	size_t i = 0, w;
	char *first = NULL;

	while (i < n) {
		while (i < n && (line[i] == ' ' || line[i] == '\t'))
			i++;
		for (w = i; i < n && line[i] != ' ' && line[i] != '\t';)
			i++;
		if (w == i)
			break;
		if (!first) {
			if (!(first = rs_strndup(line + w, i - w)))
				return -1;
		} else if (rs_buf_addf(&rules, " %.*s", (int)(i - w), line + w) < 0) {
			free(first);
			return -1;
		}
	}
	if (!first)
		return 0;
	if (ps->nign == ps->capign) {
		size_t cap = ps->capign ? ps->capign * 2 : 8;
		struct ignore *v = realloc(ps->ign, cap * sizeof(*v));
		if (!v) {
			free(first);
			rs_buf_release(&rules);
			return -1;
		}
		ps->ign = v;
		ps->capign = cap;
	}
	g = &ps->ign[ps->nign];
	memset(g, 0, sizeof(*g));
	if (!strncmp(first, "value:", 6)) {
		char hex[130];
		if (rs_hex_normalize(first + 6, hex, sizeof(hex)) < 0)
			snprintf(hex, sizeof(hex), "%s", first + 6);
		g->value = rs_strdup(hex);
		free(first);
	} else {
		size_t fl = strlen(first);
		if (fl > 1 && first[fl - 1] == '/') { /* a directory: everything under it */
			char *d = malloc(fl + 2);
			if (d)
				snprintf(d, fl + 2, "%s*", first);
			free(first);
			first = d;
		}
		g->pattern = first;
	}
	if (rules.len && rs_buf_addstr(&rules, " ") < 0) {
		rs_buf_release(&rules);
		return -1;
	}
	g->rules = rules.len ? rs_buf_detach(&rules) : NULL;
	g->base = rs_strdup(base ? base : "");
	if ((!g->pattern && !g->value) || !g->base)
		return -1;
	ps->nign++;
	return 0;
}

int rs_pinscan_add_ignore(struct rs_pinscan *ps, const char *text, size_t len, const char *base, const char *origin,
			  struct rs_error *err)
{
	size_t i = 0, e, n;

	while (i < len) {
		const char *nl = memchr(text + i, '\n', len - i), *hash;
		e = nl ? (size_t)(nl - text) : len;
		n = e - i;
		if ((hash = memchr(text + i, '#', n)) != NULL)
			n = (size_t)(hash - (text + i));
		while (n && (text[i + n - 1] == ' ' || text[i + n - 1] == '\r' || text[i + n - 1] == '\t'))
			n--;
		if (n && add_ignore_line(ps, text + i, n, base) < 0)
			return rs_fail(err, RS_ERR_NOMEM, "cannot read '%s': out of memory", origin ? origin : "ignore");
		i = e + 1;
	}
	return 0;
}

static int has_rule(const char *rules, const char *id)
{
	char w[64];

	if (!rules)
		return 1;
	snprintf(w, sizeof(w), " %s ", id);
	return strstr(rules, w) != NULL;
}

static int ignored(const struct rs_pinscan *ps, const char *path, const char *rule, const char *value)
{
	size_t i, bl;
	const char *rel;

	for (i = 0; i < ps->nign; i++) {
		const struct ignore *g = &ps->ign[i];
		if (!has_rule(g->rules, rule))
			continue;
		if (g->value) {
			if (value && !strcmp(g->value, value))
				return 1;
			continue;
		}
		rel = path;
		bl = strlen(g->base);
		if (bl) {
			if (strncmp(path, g->base, bl) || (path[bl] != '/' && g->base[bl - 1] != '/'))
				continue;
			rel = path + bl + (path[bl] == '/');
		}
		if (!fnmatch(g->pattern, rel, 0) || (!strchr(g->pattern, '/') && strrchr(rel, '/') &&
						     !fnmatch(g->pattern, strrchr(rel, '/') + 1, 0)))
			return 1;
	}
	return 0;
}

/* ---- findings of one file ---- */

struct filescan {
	struct rs_pinscan *ps;
	const char *path;
	const unsigned char *buf; /* the file's bytes (for line and column and the text) */
	size_t len;
	int binary;
	size_t line_at; /* line counting cursor: an offset and the line it is on (0: not started) */
	long line_no;
	struct rs_pin_finding *v;
	size_t n, cap;
	size_t suppressed;
	struct names names; /* values passed by name and the calls that take names */
	const volatile int *cancel; /* the caller's stop flag, or NULL */
	unsigned jobs;              /* threads a large file may be split across */
	int depth;                  /* archive nesting (rs_archive_cb): 0 for a file */
	struct rs_embedded_list embedded; /* the file systems inside this blob (scan_anchors finds them), for members */
};

/* The '\n' bytes in [p, end): sixteen bytes at a time where the target has SSE2 (a lane counts up to 255 matches
 * before the lanes are summed), eight at a time elsewhere (each byte of x ^ "\n\n..." that is zero counted exactly:
 * the high bit of ((x & 0x7f..) + 0x7f..) | x is clear only for a zero byte), then byte by byte. */
static size_t newlines(const unsigned char *p, const unsigned char *end)
{
	const uint64_t lo7 = 0x7f7f7f7f7f7f7f7fULL, ones = 0x0101010101010101ULL;
	size_t n = 0;

#if defined(__SSE2__)
	const __m128i nl = _mm_set1_epi8('\n'), zero = _mm_setzero_si128();
	while (end - p >= 16) {
		__m128i acc = zero;
		int k;
		for (k = 0; k < 255 && end - p >= 16; k++, p += 16)
			acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)p), nl));
		acc = _mm_sad_epu8(acc, zero);
		n += (size_t)_mm_cvtsi128_si32(acc) + (size_t)_mm_cvtsi128_si32(_mm_srli_si128(acc, 8));
	}
#endif

	while (end - p >= 8) {
		uint64_t x, z, acc = 0;
		int k;
		for (k = 0; k < 31 && end - p >= 8; k++, p += 8) { /* at most 31 ones a byte lane before they are summed */
			memcpy(&x, p, 8);
			x ^= ones * '\n';
			z = ~(((x & lo7) + lo7) | x) & ~lo7; /* 0x80 in each lane that was '\n' */
			acc += z >> 7;
		}
		n += (size_t)((acc * ones) >> 56);
	}
	for (; p < end; p++)
		n += *p == '\n';
	return n;
}

/* The line and column of `at`. Findings, definitions and calls come in several passes over the buffer, so the
 * cursor (line_at: an offset, line_no: the line it is on) moves forward or back by the newlines in between. */
static long line_of(struct filescan *f, size_t at, long *column)
{
	const unsigned char *start;

	if (!f->line_no) {
		f->line_at = 0;
		f->line_no = 1;
	}
	if (at >= f->line_at)
		f->line_no += (long)newlines(f->buf + f->line_at, f->buf + at);
	else
		f->line_no -= (long)newlines(f->buf + at, f->buf + f->line_at);
	f->line_at = at;
	for (start = f->buf + at; start > f->buf && start[-1] != '\n';)
		start--;
	*column = (long)(f->buf + at - start) + 1;
	return f->line_no;
}

/* The matched text, one line, at most TEXT_MAX bytes, secrets masked. */
static char *snippet(const unsigned char *buf, size_t at, size_t end)
{
	static const char *const secrets[] = { "SharedAccessKey=", "SharedAccessSignature", "sig=", "password",
					       "PRIVATE KEY" };
	size_t n = end > at ? end - at : 0, i;
	char *s, *p;

	if (n > TEXT_MAX)
		n = TEXT_MAX;
	for (i = 0; i < n; i++)
		if (buf[at + i] == '\n' || buf[at + i] == '\r') {
			n = i;
			break;
		}
	if (!(s = rs_strndup((const char *)buf + at, n)))
		return NULL;
	for (p = s; *p; p++) /* ASCII only: a binary's bytes or a stray Latin-1 byte never reach a JSON string */
		if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
			*p = (unsigned char)*p < 0x20 ? ' ' : '?';
	for (i = 0; i < RS_ARRAY_LEN(secrets); i++)
		if ((p = strstr(s, secrets[i])) != NULL) {
			p += strlen(secrets[i]);
			if (*p)
				snprintf(p, (size_t)(s + n - p) + 1, "***");
		}
	while (n && s[n - 1] == ' ')
		s[--n] = '\0';
	return s;
}

static int file_add(void *arg, const struct rs_pin_hit *h)
{
	struct filescan *f = arg;
	struct rs_pin_finding *r;

	if (ignored(f->ps, f->path, h->rule, h->value)) {
		f->suppressed++;
		return 0;
	}
	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 16;
		struct rs_pin_finding *v = realloc(f->v, cap * sizeof(*v));
		if (!v)
			return -1;
		f->v = v;
		f->cap = cap;
	}
	r = &f->v[f->n];
	memset(r, 0, sizeof(*r));
	r->rule = rs_pin_rule_find(h->rule);
	r->kind = h->kind;
	r->severity = h->severity;
	r->confidence = h->confidence;
	r->offset = (long long)h->at;
	if (!f->binary)
		r->line = line_of(f, h->at, &r->column);
	r->algorithm = h->algorithm ? h->algorithm : "";
	r->known = h->known;
	r->api = h->api ? h->api : "";
	r->path = rs_strdup(f->path);
	r->value = rs_strdup(h->value ? h->value : "");
	r->text = h->text ? snippet((const unsigned char *)h->text, 0, strlen(h->text)) : snippet(f->buf, h->at, h->end);
	r->message = rs_strdup(h->message);
	if (!r->rule || !r->path || !r->value || !r->text || !r->message) {
		finding_release(r);
		return -1;
	}
	f->n++;
	return 0;
}

static int file_def(void *arg, const struct rs_pin_def *d)
{
	struct filescan *f = arg;
	struct names *n = &f->names;
	struct pdef *p;

	if (!(p = room(n->defs, &n->capdefs, n->ndefs + 1, sizeof(*n->defs))))
		return -1;
	n->defs = p;
	p = &n->defs[n->ndefs];
	memset(p, 0, sizeof(*p));
	p->d = *d;
	if (!f->binary)
		p->line = line_of(f, d->tok.start, &p->column);
	p->path = rs_strdup(f->path);
	p->text = snippet(f->buf, d->tok.start, d->tok.end);
	if (!p->path || !p->text) {
		free(p->path);
		free(p->text);
		return -1;
	}
	n->ndefs++;
	return 0;
}

/* The last directory component of path as "dir:NAME" in out (64 bytes); 0 when there is none or it is too long. */
static int dir_ident(const char *path, char *out)
{
	const char *e = strrchr(path, '/'), *b;

	if (!e || e == path)
		return 0;
	for (b = e; b > path && b[-1] != '/';)
		b--;
	if (e - b + 5 > 64 || b == e)
		return 0;
	snprintf(out, 64, "dir:%.*s", (int)(e - b), b);
	return 1;
}

/* f holds certificates: a member of its directory, for a CA directory setting (`bridge_capath DIR`). 0 or -1. */
static int dir_member(struct filescan *f)
{
	struct names *n = &f->names;
	struct pdir *d;

	if (!(d = room(n->dirs, &n->capdirs, n->ndirs + 1, sizeof(*n->dirs))))
		return -1;
	n->dirs = d;
	d = &n->dirs[n->ndirs];
	if (!dir_ident(f->path, d->ident))
		return 0;
	if (!(d->path = rs_strdup(f->path)))
		return -1;
	n->ndirs++;
	return 0;
}

/* The definition of an embedded anchor h under the name ident (the anchor's finding kept with it). */
static int anchor_def(struct filescan *f, const struct rs_pin_hit *h, const char *ident, int join_only, int table)
{
	struct rs_pin_def d;
	struct pdef *p;

	memset(&d, 0, sizeof(d));
	snprintf(d.ident, sizeof(d.ident), "%s", ident);
	d.tok.start = h->at;
	d.tok.end = h->end;
	if (file_def(f, &d) < 0)
		return -1;
	p = &f->names.defs[f->names.ndefs - 1];
	p->anchor = 1;
	p->join_only = join_only;
	p->table = table;
	p->hit = *h;
	p->hmsg = rs_strdup(h->message);
	p->hval = rs_strdup(h->value ? h->value : "");
	p->htext = rs_strdup(h->text ? h->text : "");
	if (!p->hmsg || !p->hval || !p->htext)
		return -1;
	p->hit.message = p->hmsg;
	p->hit.value = p->hval;
	p->hit.text = p->htext;
	free(p->text);
	p->text = snippet((const unsigned char *)p->htext, 0, strlen(p->htext));
	return p->text ? 0 : -1;
}

static int ident_char(unsigned char ch)
{
	return isalnum(ch) || ch == '_';
}

/*
 * The name of a table whose initializer holds ident after `at` (`TAs[1] = { { { (unsigned char *)TA0_DN, ... } } };`,
 * a TLS library's trust anchor table built from the arrays of a name and a key; `roots[] = { ca_pem };`): the call
 * installing the table installs the anchor. Looks at the first 8 uses of ident, at most 4 KiB back to the
 * table's `NAME[...] = {`. 1 when found.
 */
static int table_of(const unsigned char *buf, size_t len, const char *ident, size_t at, char *out, size_t size)
{
	size_t n = strlen(ident), q, i, e, uses = 0;
	const unsigned char *p;

	for (q = at; uses < 8 && (p = rs_pin_find(buf + q, len - q, ident, n)) != NULL; q = (size_t)(p - buf) + n) {
		size_t u = (size_t)(p - buf);
		int depth = 0;
		if ((u > 0 && ident_char(buf[u - 1])) || (u + n < len && ident_char(buf[u + n])))
			continue;
		uses++;
		for (i = u; i > 0 && u - i < 4096; i--) {
			unsigned char ch = buf[i - 1];
			if (ch == ';')
				break;
			if (ch == '}')
				depth++;
			else if (ch == '{' && depth > 0)
				depth--;
			else if (ch == '{') {
				size_t k = i - 1;
				while (k > 0 && strchr(" \t\r\n", buf[k - 1]))
					k--;
				if (k == 0 || buf[k - 1] != '=')
					continue; /* a brace inside the table: go on out */
				for (k--; k > 0 && strchr(" \t", buf[k - 1]);)
					k--;
				while (k > 0 && buf[k - 1] == ']') { /* NAME[2][4] */
					while (k > 0 && buf[k - 1] != '[')
						k--;
					if (k > 0)
						k--;
				}
				for (e = k; k > 0 && ident_char(buf[k - 1]);)
					k--;
				if (e == k || e - k >= size || isdigit(buf[k]) || (e - k == n && !memcmp(buf + k, ident, n)))
					break;
				memcpy(out, buf + k, e - k);
				out[e - k] = '\0';
				return 1;
			}
		}
	}
	return 0;
}

/* An embedded intermediate or leaf assigned to a name in a text file: a definition the anchor-installing calls
 * of the tree may take; otherwise reported where it is. A table that holds the name is another name for it. A
 * file holding only this certificate is also one of its directory's ("dir:NAME", reported only at a CA directory
 * setting). */
static int anchor_add(void *arg, const struct rs_pin_hit *h)
{
	struct filescan *f = arg;
	char ident[64], table[64];

	if (f->binary && !h->lone)
		return h->join_only ? 0 : file_add(arg, h);
	/* a binary holding one certificate (`ca.der`) has no names: the file itself is what a call installs */
	if (f->binary || !rs_pin_name_at(f->ps->pc.rules, f->buf, f->len, h->at, ident, sizeof(ident))) {
		/* a file holding only this certificate: a CA-file setting naming it (`cafile="ica.pem"`) installs it */
		const char *base = strrchr(f->path, '/');
		base = base ? base + 1 : f->path;
		if (!h->lone || strlen(base) + 5 >= sizeof(ident))
			return h->join_only ? 0 : file_add(arg, h);
		snprintf(ident, sizeof(ident), "file:%s", base);
	} else if (h->lone && table_of(f->buf, f->len, ident, h->at, table, sizeof(table)) &&
		   anchor_def(f, h, table, 1, 1) < 0) {
		return -1;
	}
	if (anchor_def(f, h, ident, h->join_only, 0) < 0)
		return -1;
	if (strncmp(ident, "file:", 5) || !dir_ident(f->path, ident))
		return 0;
	return anchor_def(f, h, ident, 1, 0);
}

static int file_call(void *arg, const struct rs_pin_call *c)
{
	struct filescan *f = arg;
	struct names *n = &f->names;
	struct pcall *p;

	if (!(p = room(n->calls, &n->capcalls, n->ncalls + 1, sizeof(*n->calls))))
		return -1;
	n->calls = p;
	p = &n->calls[n->ncalls];
	memset(p, 0, sizeof(*p));
	p->c = *c;
	p->line = line_of(f, c->at, &p->column);
	p->path = rs_strdup(f->path);
	p->text = snippet(f->buf, c->at, c->end + 1 <= f->len ? c->end + 1 : f->len);
	if (!p->path || !p->text) {
		free(p->path);
		free(p->text);
		return -1;
	}
	n->ncalls++;
	return 0;
}

/* ---- values passed by name, joined across the files of a scan ---- */

static int cmp_findings(const void *a, const void *b);

static int cmp_defs(const void *a, const void *b)
{
	const struct pdef *x = a, *y = b;
	int c = strcmp(x->path, y->path);

	return c ? c : x->d.tok.start < y->d.tok.start ? -1 : x->d.tok.start > y->d.tok.start;
}

static int cmp_calls(const void *a, const void *b)
{
	const struct pcall *x = a, *y = b;
	int c = strcmp(x->path, y->path);

	if (c)
		return c;
	if (x->c.at != y->c.at)
		return x->c.at < y->c.at ? -1 : 1;
	if ((c = strcmp(x->c.ident, y->c.ident)) != 0 || (c = strcmp(x->c.obj, y->c.obj)) != 0)
		return c;
	return x->c.alias - y->c.alias;
}

/* Length of the directory part of a path ("a/b/c.h": 4), 0 for none. */
static size_t dir_len(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? (size_t)(s - path) + 1 : 0;
}

/*
 * Whether a call's name is the symbol the linker gives a file embedded as binary data (objcopy -I binary, and the
 * build systems that use it: `_binary_ca_pem_start` for ca.pem, often declared as `ca_pem_start`), and def the
 * one-certificate file of that base name (`file:ca.pem`).
 */
static int embedded_symbol(const char *ident, const struct pdef *def)
{
	static const char pre[] = "_binary_", suf[] = "_start";
	const char *base = def->d.ident + 5;
	size_t n = strlen(ident), i;

	if (!def->anchor || strncmp(def->d.ident, "file:", 5))
		return 0;
	if (!strncmp(ident, pre, sizeof(pre) - 1)) {
		ident += sizeof(pre) - 1;
		n -= sizeof(pre) - 1;
	}
	if (n <= sizeof(suf) - 1 || strcmp(ident + n - (sizeof(suf) - 1), suf))
		return 0;
	n -= sizeof(suf) - 1;
	if (strlen(base) != n)
		return 0;
	for (i = 0; i < n; i++)
		if (ident[i] != (isalnum((unsigned char)base[i]) ? base[i] : '_'))
			return 0;
	return 1;
}

/*
 * Whether a call's file name is an include fragment generated from def's file at build time (`file:ca.der.inc` for
 * `file:ca.der`: Zephyr's generate_inc_file_for_target, a build rule running `xxd -i`), the fragment itself not
 * being in the tree.
 */
static int generated_from(const char *ident, const struct pdef *def)
{
	static const char suf[] = ".inc";
	size_t n = strlen(def->d.ident);

	return def->anchor && !strncmp(ident, "file:", 5) && !strncmp(def->d.ident, "file:", 5) &&
	       strlen(ident) == n + sizeof(suf) - 1 && !strncmp(ident, def->d.ident, n) && !strcmp(ident + n, suf);
}

static int names_call(const struct pdef *d, const struct pcall *call)
{
	return (d->anchor || d->d.file[0]) == call->c.trust && !(call->c.not_pin && d->d.file[0]) &&
	       (!strcmp(d->d.ident, call->c.ident) ||
		(call->c.trust && (embedded_symbol(call->c.ident, d) || generated_from(call->c.ident, d))));
}

/* How near path b is to path a: 3 the same file, 2 the same directory, 1 elsewhere in the tree. */
static int nearness(const char *a, const char *b)
{
	return !strcmp(a, b) ? 3 : dir_len(a) == dir_len(b) && !strncmp(a, b, dir_len(a)) ? 2 : 1;
}

/* The definition of a call's name: in the call's file first, then its directory, then anywhere in the tree. */
static struct pdef *def_for(struct names *n, const struct pcall *call)
{
	struct pdef *best = NULL;
	int rank = 0, r;
	size_t i;

	for (i = 0; i < n->ndefs; i++) {
		struct pdef *d = &n->defs[i];
		if (!names_call(d, call))
			continue;
		r = nearness(d->path, call->path);
		if (r > rank) {
			best = d;
			rank = r;
		}
	}
	return best;
}

/*
 * The definition a call's name reaches through the steps other calls give (`AnchorList ca(PEM)` gives ca -> PEM,
 * `#define CA_FILE "ca.pem"` gives CA_FILE -> file:ca.pem, `ca = read_cert(bio...)` gives ca -> bio): the
 * step nearest the call first, at most depth steps. *via is the call whose name the definition has (call itself
 * when it is direct).
 */
static struct pdef *def_through(struct names *n, const struct pcall *call, int depth, const struct pcall **via)
{
	struct pdef *d = def_for(n, call);
	int rank;
	size_t i;

	*via = call;
	if (d || depth <= 0)
		return d;
	for (rank = 3; rank >= 1; rank--) {
		int steps = 0;
		for (i = 0; i < n->ncalls; i++) {
			const struct pcall *w = &n->calls[i];
			struct pcall step;
			if (w == call || w->c.trust != call->c.trust || strcmp(w->c.obj, call->c.ident) ||
			    nearness(w->path, call->path) != rank || (w->c.alias == 2 && rank != 3))
				continue;
			steps++;
			step = *w;
			if ((d = def_through(n, &step, depth - 1, via)) != NULL) {
				*via = w;
				return d;
			}
		}
		if (steps)
			return NULL; /* the nearest steps decide: a name of the same spelling farther away is another's */
	}
	return NULL;
}

/* Whether another call takes the name call's result is given (`installAnchors(&ca)` after `AnchorList ca(PEM)`):
 * then that call reports it and this one does not. */
static int result_taken(const struct names *n, const struct pcall *call)
{
	size_t i;

	if (!call->c.obj[0])
		return 0;
	for (i = 0; i < n->ncalls; i++)
		if (&n->calls[i] != call && !n->calls[i].c.alias && n->calls[i].c.trust == call->c.trust &&
		    !strcmp(n->calls[i].c.ident, call->c.obj))
			return 1;
	return 0;
}

/* Appends one finding made by the join: at the call (at its file's path) or, unused, at the definition. */
static int join_add(struct rs_pinscan *ps, const struct rs_pin_hit *h, const char *path, long line, long column,
		    long long offset, const char *text, const struct pdef *rel)
{
	struct rs_pin_finding *r;

	if (ignored(ps, path, h->rule, h->value)) {
		ps->suppressed++;
		return 0;
	}
	if (ps->n == ps->cap) {
		size_t cap = ps->cap ? ps->cap * 2 : 64;
		struct rs_pin_finding *v = realloc(ps->v, cap * sizeof(*v));
		if (!v)
			return -1;
		ps->v = v;
		ps->cap = cap;
	}
	r = &ps->v[ps->n];
	memset(r, 0, sizeof(*r));
	r->rule = rs_pin_rule_find(h->rule);
	r->kind = h->kind;
	r->severity = h->severity;
	r->confidence = h->confidence;
	r->offset = offset;
	r->line = line;
	r->column = column;
	r->algorithm = h->algorithm ? h->algorithm : "";
	r->known = h->known;
	r->api = h->api ? h->api : "";
	r->path = rs_strdup(path);
	r->value = rs_strdup(h->value ? h->value : "");
	r->text = rs_strdup(text);
	r->message = rs_strdup(h->message);
	if (rel) {
		r->related_path = rs_strdup(rel->path);
		r->related_name = rs_strdup(rel->d.ident);
		r->related_line = rel->line;
		r->related_column = rel->column;
		r->related_offset = (long long)rel->d.tok.start;
	}
	if (!r->rule || !r->path || !r->value || !r->text || !r->message ||
	    (rel && (!r->related_path || !r->related_name))) {
		finding_release(r);
		return -1;
	}
	ps->n++;
	return 0;
}

/* An anchor defined under two names (its array's and its table's): once one is installed, neither is reported at
 * its place. */
static void same_anchor_used(struct names *n, const struct pdef *d)
{
	size_t i;

	for (i = 0; i < n->ndefs; i++)
		if (n->defs[i].anchor && n->defs[i].d.tok.start == d->d.tok.start && !strcmp(n->defs[i].path, d->path))
			n->defs[i].used = 1;
}

/*
 * Whether a call of the same file as call installs another root than d's (`parse(&ca, g2_pem)` then `parse(&ca,
 * ms2017_pem)`, two credentials of two roots): then d's root is not the device's only one.
 */
static int other_root_installed(struct names *n, const struct pcall *call, const struct pdef *d)
{
	size_t i;

	for (i = 0; i < n->ncalls; i++) {
		const struct pcall *w = &n->calls[i], *via;
		const struct pdef *o;
		if (w == call || w->c.alias || !w->c.trust || strcmp(w->path, call->path) || result_taken(n, w))
			continue;
		if ((o = def_through(n, w, 3, &via)) != NULL && o->anchor && o != d && o->hit.known != d->hit.known &&
		    (o->hit.partial || !strcmp(o->hit.rule, "ca-store") ||
		     (o->hit.known && rs_known_kind(o->hit.known) == RS_KIND_ROOT)))
			return 1;
	}
	return 0;
}

/* Judges the definition d taken by call, reported at the call with d as the related location. */
static int join_one(struct rs_pinscan *ps, const struct pcall *call, struct pdef *d)
{
	const char *base = strrchr(d->path, '/');
	struct rs_pin_hit h;
	struct rs_buf msg = RS_BUF_INIT;
	int r;

	d->used = 1;
	if (d->anchor && d->hit.lone && d->hit.join_only && other_root_installed(&ps->pending, call, d)) {
		same_anchor_used(&ps->pending, d);
		return 0;
	}
	if (d->anchor) {
		same_anchor_used(&ps->pending, d);
		h = d->hit;
		h.api = call->c.api;
		rs_buf_addf(&msg, "%s (installed by %s as %s, defined in %s line %ld)", d->hit.message, call->c.api,
			    d->d.ident, base ? base + 1 : d->path, d->line);
		h.message = msg.data;
		r = msg.data ? join_add(ps, &h, call->path, call->line, call->column, (long long)call->c.at, call->text, d)
			     : -1;
	} else if ((r = rs_pin_judge_value(&ps->pc, &d->d.tok, call->c.api, 0, &h, &msg)) > 0) {
		rs_buf_addf(&msg, " (passed as %s, defined in %s line %ld)", d->d.ident, base ? base + 1 : d->path, d->line);
		h.message = msg.data;
		r = msg.data ? join_add(ps, &h, call->path, call->line, call->column, (long long)call->c.at, call->text, d)
			     : -1;
	}
	rs_buf_release(&msg);
	return r < 0 ? -1 : 0;
}

/*
 * A trust call taking a name whose value is a certificate file's path (`session.trustFile = HUB_CA_CERT`, HUB_CA_CERT
 * = "certs/ica.pem" in another file): the file's sole anchor, when it is one the join reports, is reported at the
 * call, the name's definition the related location.
 */
static int join_path(struct rs_pinscan *ps, struct names *n, const struct pcall *call, struct pdef *pd)
{
	struct pcall via = *call;
	struct pdef *fd;
	const char *base = strrchr(pd->path, '/');
	struct rs_pin_hit h;
	struct rs_buf msg = RS_BUF_INIT;
	int r;

	pd->used = 1;
	if (pd->last && pd->last->line == call->line && !strcmp(pd->last->path, call->path))
		return 0; /* `load_locations(cafile=NAME)`: one call that two APIs name */
	pd->last = call;
	memcpy(via.c.ident, pd->d.file, sizeof(via.c.ident));
	via.path = pd->path; /* the file is looked for from the definition's directory */
	if (!(fd = def_for(n, &via)) || !fd->anchor)
		return 0;
	fd->used = 1;
	h = fd->hit;
	h.api = call->c.api;
	rs_buf_addf(&msg, "%s (installed by %s as %s, defined in %s line %ld: the file %s)", fd->hit.message,
		    call->c.api, pd->d.ident, base ? base + 1 : pd->path, pd->line, pd->d.file + 5);
	h.message = msg.data;
	r = msg.data ? join_add(ps, &h, call->path, call->line, call->column, (long long)call->c.at, call->text, pd) : -1;
	rs_buf_release(&msg);
	return r;
}

/* Whether call is a CA-file setting at a file's path that a name holds (`HUB_CA = "ica.pem"`) which a trust call
 * takes: then the file is reported at that call, not at the setting. */
static int setting_taken(const struct names *n, const struct pcall *call)
{
	size_t i;

	if (strncmp(call->c.ident, "file:", 5))
		return 0;
	for (i = 0; i < n->ndefs; i++)
		if (n->defs[i].taken && n->defs[i].d.tok.start == call->c.at && !strcmp(n->defs[i].path, call->path))
			return 1;
	return 0;
}

/* A CA-file setting whose file the join judges by its contents (`cafile="ica.pem"` holding an intermediate): the
 * finding the setting got from the file's name alone (single-root-file) is dropped, the join's says more. */
static void drop_file_setting(struct rs_pinscan *ps, const struct pcall *call)
{
	size_t i, o = 0;

	for (i = 0; i < ps->n; i++) {
		struct rs_pin_finding *r = &ps->v[i];
		if (r->offset == (long long)call->c.at && !r->related_path && !strcmp(r->rule->id, "single-root-file") &&
		    !strcmp(r->path, call->path)) {
			finding_release(r);
			continue;
		}
		ps->v[o++] = *r;
	}
	ps->n = o;
}

/*
 * A CA directory setting ("dir:NAME"): whether exactly one file holding certificates lies in a directory of that
 * name in the tree (the hashed links of a CApath are not files of their own), so that file's only certificate is
 * all the setting trusts. The other directories of the same name must hold none.
 */
static int dir_single(const struct names *n, const char *ident)
{
	size_t i, found = 0;

	for (i = 0; i < n->ndirs && found < 2; i++)
		found += !strcmp(n->dirs[i].ident, ident);
	return found == 1;
}

/* The definitions of the file at def d's place (its "file:" twin of a "dir:" one): used, reported once. */
static void mark_place_used(struct names *n, const struct pdef *d)
{
	size_t i;

	for (i = 0; i < n->ndefs; i++)
		if (n->defs[i].d.tok.start == d->d.tok.start && !strcmp(n->defs[i].path, d->path))
			n->defs[i].used = 1;
}

/*
 * A sole root anchor assigned to a name in source (`const char root_ca[] = "-----BEGIN..."`, a DER array) that no call
 * of the tree installs: the code that installs it is elsewhere (a vendor SDK, `cfg->ca = root_ca`), and audit reads
 * it as the firmware's only anchor, so it is reported at its place, with medium confidence. The same certificate
 * in a file of its own (`certs/baltimore.pem`) is no finding: it may lie there unused.
 */
static int sole_root_unused(struct rs_pinscan *ps, const struct pdef *d)
{
	struct rs_pin_hit h = d->hit;
	struct rs_buf msg = RS_BUF_INIT;
	int r;

	rs_buf_addf(&msg, "%s (as %s; no call of the scanned tree installs it, and audit reads it as the only anchor)",
		    d->hit.message, d->d.ident);
	if (!msg.data)
		return -1;
	h.message = msg.data;
	h.confidence = "medium";
	r = join_add(ps, &h, d->path, d->line, d->column, (long long)d->d.tok.start, d->text, NULL);
	rs_buf_release(&msg);
	return r;
}

/*
 * Joins the pending definitions with the calls: a value reaching a pinning API through a name is judged with that
 * API and reported at the call, its definition the related location; a definition no call takes is judged as a
 * value fed to nothing, at its place. Sorted first, so the result does not depend on the order files were read in.
 */
static int pinscan_join(struct rs_pinscan *ps, struct rs_error *err)
{
	struct names *n = &ps->pending;
	size_t i;
	int rv = 0;

	if (n->ndefs > 1)
		qsort(n->defs, n->ndefs, sizeof(*n->defs), cmp_defs);
	if (n->ncalls > 1)
		qsort(n->calls, n->ncalls, sizeof(*n->calls), cmp_calls);
	for (i = 0; i < n->ncalls; i++) { /* names holding a file's path that trust calls take */
		struct pdef *best = n->calls[i].c.trust ? def_for(n, &n->calls[i]) : NULL;
		if (best && best->d.file[0])
			best->taken = 1;
	}
	for (i = 0; i < n->ncalls && rv == 0; i++) {
		const struct pcall *call = &n->calls[i], *via;
		struct pdef *best, *prev;
		size_t j;
		if (setting_taken(n, call)) {
			drop_file_setting(ps, call); /* reported where the name is installed */
			continue;
		}
		if (call->c.alias || result_taken(n, call) ||
		    (!strncmp(call->c.ident, "dir:", 4) && !dir_single(n, call->c.ident)) ||
		    !(best = def_through(n, call, 3, &via)) ||
		    (via != call && !strncmp(via->c.ident, "dir:", 4) && !dir_single(n, via->c.ident)))
			continue; /* a directory reached through a name (`load_dir(ctx, CA_DIR)`) holds one file */
		if (!strncmp(best->d.ident, "dir:", 4))
			mark_place_used(n, best);
		if (best->d.file[0]) {
			rv = join_path(ps, n, call, best) < 0 ? -1 : 0;
			continue;
		}
		if (call->c.not_pin) { /* a store lookup by thumbprint (a client certificate): no pin */
			for (j = 0; j < n->ndefs; j++)
				if (names_call(&n->defs[j], via) && !strcmp(n->defs[j].path, best->path))
					n->defs[j].used = 1;
			continue;
		}
		if (best->anchor && !strncmp(via->c.ident, "file:", 5))
			drop_file_setting(ps, via);
		/* every value the name is given in that file: a list of pins (`#define PINS "sha256//A;" \ "sha256//B"`) */
		for (j = 0, prev = NULL; j < n->ndefs && rv == 0; j++) {
			struct pdef *d = &n->defs[j];
			if (d != best && (!names_call(d, via) || strcmp(d->path, best->path)))
				continue;
			if (prev && prev->d.tok.start == d->d.tok.start && !strcmp(prev->path, d->path)) {
				d->used = 1; /* the same value defined twice (read at two calls of its name) */
				continue;
			}
			if (d->last && d->last->line == call->line && !strcmp(d->last->path, call->path))
				continue; /* `cert.digest() != FP`: one comparison that two APIs name */
			rv = join_one(ps, call, d);
			d->last = call;
			prev = d;
		}
	}
	for (i = 0; i < n->ndefs && rv == 0; i++) {
		const struct pdef *d = &n->defs[i];
		struct rs_pin_hit h;
		struct rs_buf msg = RS_BUF_INIT;
		int r;
		if (d->used || d->table || d->d.file[0] ||
		    (d->join_only && (!strncmp(d->d.ident, "file:", 5) || !strncmp(d->d.ident, "dir:", 4))))
			continue; /* a file's certificate that no call installs: file_add reported it, or it may lie there unused */
		if (d->anchor && d->join_only)
			r = sole_root_unused(ps, d);
		else if (d->anchor)
			r = join_add(ps, &d->hit, d->path, d->line, d->column, (long long)d->d.tok.start, d->text, NULL);
		else if ((r = rs_pin_judge_value(&ps->pc, &d->d.tok, NULL, d->d.hint, &h, &msg)) > 0 &&
			 !(d->d.keyonly && !h.known)) { /* a bare base64 value no call takes: a key pin if the catalog
							   * knows the key, else anything (a secret, a salt) */
			h.message = msg.data;
			r = join_add(ps, &h, d->path, d->line, d->column, (long long)d->d.tok.start, d->text, NULL);
		}
		rs_buf_release(&msg);
		rv = r < 0 ? -1 : 0;
	}
	names_release(n);
	if (rv < 0)
		return rs_fail(err, RS_ERR_NOMEM, "out of memory");
	if (ps->n > 1)
		qsort(ps->v, ps->n, sizeof(*ps->v), cmp_findings);
	return 0;
}

/* ---- embedded anchors that are not roots ---- */

/* Whether a leaf names a host a profile's servers use ("*.azure-devices.net"): the server's own certificate. */
static int server_of_profile(const struct rs_catalog *cat, const struct rs_cert *c)
{
	size_t pi, i, j;

	for (pi = 0; pi < rs_catalog_profile_count(cat); pi++) {
		const struct rs_profile *p = rs_catalog_profile_at(cat, pi);
		for (i = 0; i < rs_profile_leaf_pattern_count(p); i++) {
			const char *pat = rs_profile_leaf_pattern_at(p, i);
			if (!strcmp(rs_cert_common_name(c), pat))
				return 1;
			for (j = 0; j < rs_cert_san_count(c); j++)
				if (!strncmp(rs_cert_san_at(c, j), "DNS:", 4) && !strcmp(rs_cert_san_at(c, j) + 4, pat))
					return 1;
		}
	}
	return 0;
}

/* A leaf for client authentication only: a device's own certificate, not something it trusts. */
static int client_only(const struct rs_cert *c)
{
	size_t i;
	int client = 0, server = 0;

	for (i = 0; i < rs_cert_ext_key_usage_count(c); i++) {
		client |= !strcmp(rs_cert_ext_key_usage_at(c, i), "clientAuth");
		server |= !strcmp(rs_cert_ext_key_usage_at(c, i), "serverAuth");
	}
	return client && !server;
}

/*
 * A known root that is its buffer's only certificate: when a call installs it (`client.installCA(root_ca)`,
 * `.ca_field = root_pem_start`, `cafile="root.pem"`), it is the device's sole anchor. Only a root the migration
 * judges (the profile's old root: error once the service serves the new chains) is reported, and only at the call
 * (join_only): the same certificate lying in the tree, installed by nothing, is no finding, nor is a current root.
 */
/* Whether k is in its profile's rule (`old`: Baltimore; `required`, `recommended`: the roots to move to). */
static int in_rule(const struct rs_known *k, const char *rule)
{
	const struct rs_profile *p = rs_known_profile(k);
	size_t i;

	for (i = 0; p && i < rs_profile_rule_count(p, rule); i++)
		if (rs_profile_rule_at(p, rule, i) == k)
			return 1;
	return 0;
}

static int old_root_of(const struct rs_known *k)
{
	return in_rule(k, "old");
}

/*
 * A current root of a profile alone (DigiCert Global Root G2 without Microsoft RSA Root Certificate Authority 2017):
 * judged as audit judges a store of that one root with the root's profile, so that scan and audit agree: partial
 * is a warning (the device holds now; the profile's other root is missing), not ready an error, ready nothing.
 * msg has "root X is the only trust anchor: " and the root's own words, which this replaces. 0 or -1.
 */
static int sole_root_audit(const struct rs_pin_context *pc, const struct rs_anchorset *set, const struct rs_known *k,
			   enum rs_severity *sev, struct rs_buf *msg)
{
	const struct rs_profile *p = rs_known_profile(k);
	const struct rs_reason *why = NULL;
	struct rs_error err;
	struct rs_verdict *v;
	size_t i;

	if (!pc->timed || !p || !(in_rule(k, "required") || in_rule(k, "recommended")))
		return 0; /* another root of the catalog (G3, DigiCert Global Root CA) may serve another service */
	memset(&err, 0, sizeof(err));
	if (!(v = rs_audit(set, pc->cat, p, pc->at, &err)))
		return err.code == RS_ERR_NOMEM ? -1 : 0;
	*sev = rs_verdict_status(v) == RS_STATUS_NOT_READY ? RS_SEV_ERROR
	       : rs_verdict_status(v) == RS_STATUS_PARTIAL ? RS_SEV_WARNING : RS_SEV_INFO;
	for (i = 0; i < rs_verdict_reason_count(v) && !why; i++)
		if (rs_verdict_reason_at(v, i)->severity == *sev)
			why = rs_verdict_reason_at(v, i);
	if (*sev != RS_SEV_INFO && why) {
		msg->len = 0;
		rs_buf_addf(msg, "root %s is the only trust anchor: audit judges it %s for %s: %s; %s", rs_known_name(k),
			    rs_status_name(rs_verdict_status(v)), rs_profile_name(p), why->message,
			    *sev == RS_SEV_WARNING ? "it holds now, but the device stops connecting when the service "
						     "moves to the missing root" : "the device cannot connect");
	} else
		*sev = RS_SEV_INFO;
	rs_verdict_free(v);
	return msg->data ? 0 : -1;
}

static int sole_root(const struct rs_pin_context *pc, const struct rs_anchorset *set, const struct rs_anchor *a,
		     const struct rs_known *k, size_t len, const struct rs_pin_sink *sink)
{
	const struct rs_cert *c = rs_anchor_cert(a);
	struct rs_buf msg = RS_BUF_INIT;
	struct rs_pin_hit h;
	int rv = 0;

	memset(&h, 0, sizeof(h));
	rs_buf_addf(&msg, "root %s is the only trust anchor: ", rs_known_name(k));
	h.severity = rs_pin_judge_known(pc, k, &msg);
	if (h.severity == RS_SEV_INFO && sole_root_audit(pc, set, k, &h.severity, &msg) < 0) {
		rs_buf_release(&msg);
		return -1;
	}
	h.partial = h.severity == RS_SEV_WARNING && !old_root_of(k);
	rs_buf_addstr(&msg, "; embed the roots (DigiCert Global Root G2, Microsoft RSA Root CA 2017) instead");
	if (!msg.data)
		return -1;
	if (h.severity != RS_SEV_INFO && rs_anchor_location_count(a)) {
		const struct rs_location *l = rs_anchor_location_at(a, 0);
		h.rule = "single-root-file";
		h.kind = "sole-anchor";
		h.confidence = "high";
		h.value = c ? rs_cert_sha1(c) : rs_anchor_spki_sha256(a);
		h.algorithm = c ? "sha1" : "spki-sha256";
		h.known = k;
		h.api = "";
		h.message = msg.data;
		h.text = rs_anchor_subject(a);
		h.lone = 1;
		h.join_only = 1;
		h.at = l->offset >= 0 && (size_t)l->offset < len ? (size_t)l->offset : 0;
		h.end = h.at + 40 > len ? len : h.at + 40;
		rv = sink->add(sink->arg, &h);
	}
	rs_buf_release(&msg);
	return rv;
}

int rs_pin_rules_anchors(const struct rs_pin_context *pc, const struct rs_anchorset *set, size_t len,
			 const struct rs_pin_sink *sink)
{
	size_t i, j;

	for (i = 0; i < rs_anchorset_count(set); i++) {
		const struct rs_anchor *a = rs_anchorset_at(set, i);
		const struct rs_cert *c = rs_anchor_cert(a);
		const struct rs_known *k = rs_anchor_identify(pc->cat, a);
		int leaf, inter, rv;
		struct rs_buf msg = RS_BUF_INIT;
		struct rs_pin_hit h;

		leaf = k ? rs_known_kind(k) == RS_KIND_LEAF : c && !rs_cert_is_ca(c);
		inter = k ? rs_known_kind(k) == RS_KIND_INTERMEDIATE : c && rs_cert_is_ca(c) && !rs_cert_self_issued(c);
		if (k && rs_known_kind(k) == RS_KIND_ROOT && rs_anchorset_count(set) == 1 && !pc->store &&
		    rs_anchor_trust(a) == RS_TRUST_ANCHOR) {
			if (sole_root(pc, set, a, k, len, sink) < 0)
				return -1;
			continue;
		}
		if ((!leaf && !inter) || rs_anchor_trust(a) != RS_TRUST_ANCHOR || (leaf && !k && client_only(c)))
			continue;
		if (pc->store && leaf && !k && rs_cert_self_issued(c))
			continue; /* a version 1 root in a store: no basicConstraints */
		memset(&h, 0, sizeof(h));
		rs_buf_addf(&msg, "%s %s embedded as a trust anchor: ", leaf ? "leaf certificate" : "intermediate",
			    k ? rs_known_name(k) : rs_anchor_subject(a));
		/* known to the catalog, or the server's own certificate: it is what the device trusts; other certificates
		 * in a file may be there for another reason (a test CA, a chain sent to the server) */
		if (k) { /* a name and a key (a TLS library's anchor table entry) holds while any certificate with the key is served */
			h.severity = rs_pin_judge_known(pc, c ? k : rs_pin_key_latest(pc->cat, k), &msg);
		} else {
			h.severity = leaf && server_of_profile(pc->cat, c) ? RS_SEV_ERROR : RS_SEV_WARNING;
			rs_buf_addstr(&msg, "the device stops connecting when it is replaced");
		}
		rs_buf_addstr(&msg, "; embed the roots (DigiCert Global Root G2, Microsoft RSA Root CA 2017) instead");
		if (!msg.data)
			return -1;
		h.rule = "anchor-not-root";
		h.kind = "embedded-anchor";
		h.confidence = k || h.severity == RS_SEV_ERROR ? "high" : "medium";
		h.value = c ? rs_cert_sha1(c) : rs_anchor_spki_sha256(a);
		h.algorithm = c ? "sha1" : "spki-sha256";
		h.known = k;
		h.api = "";
		h.message = msg.data;
		h.text = rs_anchor_subject(a);
		h.lone = rs_anchorset_count(set) == 1;
		for (j = 0, rv = 0; j < rs_anchor_location_count(a) && rv == 0; j++) {
			const struct rs_location *l = rs_anchor_location_at(a, j);
			h.at = l->offset >= 0 && (size_t)l->offset < len ? (size_t)l->offset : 0;
			h.end = h.at + 40;
			if (h.end > len)
				h.end = len;
			rv = sink->add(sink->arg, &h);
		}
		rs_buf_release(&msg);
		if (rv < 0)
			return -1;
	}
	return 0;
}

/* ---- CA stores ---- */

int rs_pin_rules_store(const struct rs_pin_context *pc, const struct rs_anchorset *set, const struct rs_pin_sink *sink,
		       struct rs_error *err)
{
	const struct rs_profile *p = pc->profile;
	const struct rs_reason *why = NULL;
	struct rs_verdict *v;
	struct rs_buf msg = RS_BUF_INIT;
	struct rs_pin_hit h;
	size_t i, roots = 0, known = 0;
	long long first = -1;
	char text[64];
	int rv;

	for (i = 0; i < rs_anchorset_count(set); i++) {
		const struct rs_anchor *a = rs_anchorset_at(set, i);
		const struct rs_cert *c = rs_anchor_cert(a);
		const struct rs_known *k;
		/* a self-issued certificate is a root (version 1 roots have no basicConstraints); a name and key
		 * (a TLS library's anchor table, an ESP-IDF bundle) is a store's entry by its form */
		if (rs_anchor_trust(a) != RS_TRUST_ANCHOR || (c && !rs_cert_self_issued(c)))
			continue;
		roots++;
		known += (k = rs_anchor_identify(pc->cat, a)) != NULL && rs_known_kind(k) == RS_KIND_ROOT;
		if (rs_anchor_location_count(a) &&
		    (first < 0 || rs_anchor_location_at(a, 0)->offset < first))
			first = rs_anchor_location_at(a, 0)->offset;
	}
	if (roots < 2)
		return 0;
	if (!pc->timed || (roots < 10 && !known))
		return 1; /* a store, but none the profile is about (a test PKI), or no time to judge it at */
	if (!p && !(p = rs_catalog_profile(pc->cat, "azure-iot")) && rs_catalog_profile_count(pc->cat))
		p = rs_catalog_profile_at(pc->cat, 0);
	if (!p)
		return 1;
	if (!(v = rs_audit(set, pc->cat, p, pc->at, err)))
		return -1;
	memset(&h, 0, sizeof(h));
	h.severity = rs_verdict_status(v) == RS_STATUS_NOT_READY ? RS_SEV_ERROR
		     : rs_verdict_status(v) == RS_STATUS_PARTIAL ? RS_SEV_WARNING : RS_SEV_INFO;
	for (i = 0; i < rs_verdict_reason_count(v) && !why; i++)
		if (rs_verdict_reason_at(v, i)->severity == h.severity)
			why = rs_verdict_reason_at(v, i);
	if (h.severity == RS_SEV_INFO || !why)
		rs_buf_addf(&msg, "a CA store of %zu roots, judged as audit judges it: %s for %s", roots,
			    rs_status_name(rs_verdict_status(v)), rs_profile_name(p));
	else
		rs_buf_addf(&msg, "a CA store of %zu roots, judged as audit judges it: %s: %s; %s", roots,
			    rs_status_name(rs_verdict_status(v)), why->message,
			    why->action ? why->action : "update the store");
	snprintf(text, sizeof(text), "%zu trusted roots", roots);
	h.rule = "ca-store";
	h.kind = "trust-store";
	h.confidence = "high";
	h.at = first > 0 ? (size_t)first : 0;
	h.end = h.at;
	h.value = why && why->known ? rs_known_sha256(why->known) : "";
	h.algorithm = why && why->known && *rs_known_sha256(why->known) ? "sha256" : "";
	h.known = why ? why->known : NULL;
	h.api = "";
	h.text = text;
	h.message = msg.data;
	rv = msg.data ? sink->add(sink->arg, &h) : -1;
	rs_buf_release(&msg);
	rs_verdict_free(v);
	if (rv < 0)
		return rs_fail(err, RS_ERR_NOMEM, "out of memory");
	return 1;
}

/* ---- one buffer ---- */

static int is_text(const unsigned char *buf, size_t len)
{
	size_t n = len < TEXT_SNIFF ? len : TEXT_SNIFF, i, odd = 0;

	if (memchr(buf, 0, n))
		return 0;
	for (i = rs_ascii_words(buf, n, &odd); i < n; i++)
		odd += buf[i] < 0x09 || (buf[i] > 0x0d && buf[i] < 0x20);
	return odd <= n / 100 + 2;
}

static int cmp_findings(const void *a, const void *b)
{
	const struct rs_pin_finding *x = a, *y = b;
	int c = strcmp(x->path, y->path);

	if (c)
		return c;
	if (x->offset != y->offset)
		return x->offset < y->offset ? -1 : 1;
	return strcmp(x->rule->id, y->rule->id);
}

/* One place, one rule: a value seen by two passes (a digest inside a placeholder check) is reported once. */
static void dedupe(struct filescan *f)
{
	size_t i, o = 0;

	for (i = 0; i < f->n; i++) {
		if (o && f->v[o - 1].offset == f->v[i].offset && f->v[o - 1].rule == f->v[i].rule) {
			finding_release(&f->v[i]);
			continue;
		}
		f->v[o++] = f->v[i];
	}
	f->n = o;
}

#define ONES 0x0101010101010101ull
#define HIGH 0x8080808080808080ull

/* Eight bytes at a time: a byte is kept when printable ASCII (0x20-0x7e) or a tab, else made '\n'. */
static uint64_t printable_word(uint64_t w)
{
	uint64_t low = w & ~HIGH, hi = w & HIGH, tab = low ^ (ONES * 0x09), keep;

	keep = (low + ONES * 0x60) & ~(low + ONES * 0x01) & HIGH;  /* 0x20 <= byte < 0x7f, no carries: low < 0x80 */
	keep |= ~(((tab & ~HIGH) + ~HIGH) | tab) & HIGH;           /* byte == 0x09 */
	keep = (keep & ~hi) >> 7;
	keep *= 0xff;
	return (w & keep) | (ONES * '\n' & ~keep);
}

static void printable_view_from(unsigned char *view, const unsigned char *buf, size_t len, size_t i)
{
	uint64_t w;

	for (; i + 8 <= len; i += 8) {
		memcpy(&w, buf + i, 8);
		w = printable_word(w);
		memcpy(view + i, &w, 8);
	}
	for (; i < len; i++)
		view[i] = (buf[i] >= 0x20 && buf[i] < 0x7f) || buf[i] == '\t' ? buf[i] : '\n';
}

void rs_pin_printable_view_plain(unsigned char *view, const unsigned char *buf, size_t len)
{
	printable_view_from(view, buf, len, 0);
}

void rs_pin_printable_view(unsigned char *view, const unsigned char *buf, size_t len)
{
	size_t i = 0;
#if defined(__SSE2__)
	const __m128i lo = _mm_set1_epi8(0x1f), hi = _mm_set1_epi8(0x7f), tab = _mm_set1_epi8('\t');
	const __m128i nl = _mm_set1_epi8('\n');

	for (; i + 16 <= len; i += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(buf + i)), keep;
		/* signed compares: bytes from 0x80 up are negative, so never above 0x1f */
		keep = _mm_and_si128(_mm_cmpgt_epi8(v, lo), _mm_cmplt_epi8(v, hi));
		keep = _mm_or_si128(keep, _mm_cmpeq_epi8(v, tab));
		_mm_storeu_si128((__m128i *)(void *)(view + i), _mm_or_si128(_mm_and_si128(keep, v), _mm_andnot_si128(keep, nl)));
	}
#endif
	printable_view_from(view, buf, len, i);
}

static int scan_plain(struct filescan *f, struct rs_error *err);

struct in_archive {
	struct filescan *f; /* the archive file: its members' findings are moved into it */
	struct rs_error *err;
};

/* Moves sub's findings (a member's) into f. */
static int adopt(struct filescan *f, struct filescan *sub)
{
	struct rs_pin_finding *v;

	if (sub->n) {
		if (!(v = room(f->v, &f->cap, f->n + sub->n, sizeof(*f->v))))
			return -1;
		f->v = v;
	}
	if (sub->n)
		memcpy(f->v + f->n, sub->v, sub->n * sizeof(*sub->v));
	f->n += sub->n;
	f->suppressed += sub->suppressed;
	sub->n = 0;
	return 0;
}

/* Frees what f holds: its findings not adopted by another (a member's, after a failure on the way) and its names. */
static void filescan_release(struct filescan *f)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		finding_release(&f->v[i]);
	free(f->v);
	names_release(&f->names);
}

static int archive_member(void *arg, const char *name, const unsigned char *buf, size_t len, int depth);
static int archive_note(void *arg, const char *name, const char *message);

/* The blob's own findings (the first own of f->v) that lie in a file system read as members (an ext4 image's bytes
 * are not compressed: its files' pins are found by the blob's rules too) are the members' findings, not the
 * blob's: dropped. */
static void drop_inside(struct filescan *f, size_t own)
{
	const struct rs_embedded_list *l = &f->embedded;
	size_t i, k, kept = 0;

	for (i = 0; i < f->n; i++) {
		int inside = 0;
		for (k = 0; i < own && k < l->n && !inside; k++)
			inside = l->v[k].sized && l->v[k].opened && f->v[i].offset >= 0 &&
				 (unsigned long long)f->v[i].offset >= l->v[k].offset &&
				 (unsigned long long)f->v[i].offset < (unsigned long long)l->v[k].offset + l->v[k].size;
		if (inside)
			finding_release(&f->v[i]);
		else
			f->v[kept++] = f->v[i];
	}
	f->n = kept;
}

/*
 * The file systems and compressed streams inside a binary that is no archive at its start (a firmware blob: a
 * kernel, then a SquashFS), which scan_anchors found while carving around them: each is scanned as members
 * "BLOB!@OFFSET!/path" with their own rules, their findings moved into f. 0 or -1.
 */
static int embedded(struct filescan *f, struct rs_error *err)
{
	struct in_archive ia = { f, err };
	struct rs_archive_cb cb = { archive_member, archive_note, &ia };
	struct rs_embedded_list *l = &f->embedded;
	size_t own = f->n;

	if (!l->n)
		return 0;
	if (rs_archive_embedded(f->buf, f->len, f->path, f->depth, l->v, l->n, l->more, &cb, err) < 0)
		return -1;
	drop_inside(f, own);
	if (f->n > 1)
		qsort(f->v, f->n, sizeof(*f->v), cmp_findings);
	return 0;
}

static int archive_member(void *arg, const char *name, const unsigned char *buf, size_t len, int depth)
{
	struct in_archive *ia = arg;
	struct filescan sub;
	int rv;

	memset(&sub, 0, sizeof(sub));
	sub.ps = ia->f->ps;
	sub.path = name;
	sub.buf = buf;
	sub.len = len;
	sub.cancel = ia->f->cancel;
	sub.depth = depth;
	if (sub.cancel && *sub.cancel)
		return rs_fail(ia->err, RS_ERR_CANCELLED, "stopped on request");
	rv = scan_plain(&sub, ia->err);
	if (rv == 0)
		rv = embedded(&sub, ia->err);
	if (rv == 0 && (adopt(ia->f, &sub) < 0 || names_move(&ia->f->names, &sub.names) < 0))
		rv = rs_fail(ia->err, RS_ERR_NOMEM, "out of memory");
	filescan_release(&sub);
	return rv;
}

/* What was not read of an archive (a limit, a corrupt part): an archive-unread note on the member or the archive. */
static int archive_note(void *arg, const char *name, const char *message)
{
	struct in_archive *ia = arg;
	struct filescan sub;
	struct rs_pin_hit h;
	int rv;

	memset(&sub, 0, sizeof(sub));
	sub.ps = ia->f->ps;
	sub.path = name;
	sub.buf = (const unsigned char *)"";
	sub.binary = 1;
	memset(&h, 0, sizeof(h));
	h.rule = "archive-unread";
	h.kind = "archive";
	h.severity = RS_SEV_INFO;
	h.confidence = "high";
	h.value = "";
	h.algorithm = "";
	h.api = "";
	h.message = message;
	h.text = message;
	rv = file_add(&sub, &h);
	if (rv == 0 && adopt(ia->f, &sub) < 0)
		rv = -1;
	filescan_release(&sub);
	return rv < 0 ? rs_fail(ia->err, RS_ERR_NOMEM, "out of memory") : 0;
}

/* Judges one file's bytes into f: an archive member by member, anything else as it is, then the file systems and
 * streams that its anchor scan found inside it as members. */
static int scan_bytes(struct filescan *f, struct rs_error *err)
{
	if (f->len && rs_archive_sniff(f->buf, f->len)) {
		struct in_archive ia = { f, err };
		struct rs_archive_cb cb = { archive_member, archive_note, &ia };
		int rv = rs_archive_each(f->buf, f->len, f->path, f->depth, &cb, err);
		if (rv != 1) {
			if (rv == 0 && f->n > 1)
				qsort(f->v, f->n, sizeof(*f->v), cmp_findings);
			return rv;
		}
	}
	if (scan_plain(f, err) < 0)
		return -1;
	return embedded(f, err);
}

/* The embedded anchors of f's bytes first: a file that is a CA store is judged once, and its comments are not pins
 * (pc->store). Findings go to f. */
static int scan_anchors(struct filescan *f, struct rs_pin_context *pc, struct rs_error *err)
{
	struct rs_pin_sink sink = { file_add, f, file_def, file_call }, asink = { anchor_add, f, NULL, NULL };
	struct rs_anchorset *set;
	struct rs_scan_opts so;

	if (!(set = rs_anchorset_new()))
		return rs_fail(err, RS_ERR_NOMEM, "out of memory");
	memset(&so, 0, sizeof(so));
	so.cancel = f->cancel; /* looked at each MiB carved */
	if (rs_anchorset_scan_blob(set, f->buf, f->len, f->path, &so, f->depth, &f->embedded, err) < 0 ||
	    (pc->store = rs_pin_rules_store(pc, set, &sink, err)) < 0 ||
	    rs_pin_rules_anchors(pc, set, f->len, &asink) < 0 ||
	    (rs_anchorset_count(set) && !f->binary && dir_member(f) < 0)) {
		rs_anchorset_free(set);
		return err && err->code != RS_ERR_NONE ? -1 : rs_fail(err, RS_ERR_NOMEM, "out of memory");
	}
	rs_anchorset_free(set);
	return 0;
}

/*
 * A large file is split across threads: one task carves its anchors, the others find the rules' candidates chunk
 * by chunk (rs_pin_collect), between cut points that depend on the bytes only (rs_pin_cut: no token spans one, a
 * needle that starts before one is read whole); the candidates are then joined in file order and judged at once
 * over the whole file, so the findings are those of one thread, whatever the number of threads.
 */
#define SPLIT_MIN (16u << 20) /* files from this size are split */
#define SPLIT_CHUNK (4u << 20)

struct split {
	struct filescan *f;
	struct rs_pin_context *pc;
	size_t *cuts;                /* chunk k is [cuts[k], cuts[k + 1]) */
	size_t nchunks;
	struct rs_pin_cands **cands; /* one a chunk */
	size_t next;                 /* the next task: 0 the anchors, k + 1 chunk k (under lock) */
	pthread_mutex_t lock;
	int failed;
	struct rs_error err;         /* the first failure */
};

static void *split_worker(void *arg)
{
	struct split *sp = arg;
	struct rs_error err;

	for (;;) {
		size_t t;
		int rv;
		pthread_mutex_lock(&sp->lock);
		t = sp->failed ? sp->nchunks + 1 : sp->next++;
		pthread_mutex_unlock(&sp->lock);
		if (t > sp->nchunks)
			break;
		memset(&err, 0, sizeof(err));
		if (sp->f->cancel && *sp->f->cancel)
			rv = rs_fail(&err, RS_ERR_CANCELLED, "stopped on request");
		else if (t == 0)
			rv = scan_anchors(sp->f, sp->pc, &err);
		else if (!(sp->cands[t - 1] = rs_pin_cands_new()) ||
			 rs_pin_collect(sp->pc, sp->f->buf, sp->f->len, sp->cuts[t - 1], sp->cuts[t],
					sp->f->binary, sp->cands[t - 1]) < 0)
			rv = rs_fail(&err, RS_ERR_NOMEM, "out of memory scanning '%s'", sp->f->path);
		else
			rv = 0;
		if (rv < 0) {
			pthread_mutex_lock(&sp->lock);
			if (!sp->failed) {
				sp->failed = 1;
				sp->err = err;
			}
			pthread_mutex_unlock(&sp->lock);
		}
	}
	return NULL;
}

static int split_cuts(struct split *sp)
{
	size_t cap = sp->f->len / SPLIT_CHUNK + 2, at = 0;

	if (!(sp->cuts = malloc(cap * sizeof(*sp->cuts))))
		return -1;
	sp->cuts[0] = 0;
	sp->nchunks = 0;
	while (sp->f->len - at > SPLIT_CHUNK && sp->nchunks + 2 < cap) {
		size_t c = rs_pin_cut(sp->f->buf, at + SPLIT_CHUNK, sp->f->len);
		if (c >= sp->f->len)
			break;
		sp->cuts[++sp->nchunks] = at = c;
	}
	sp->cuts[++sp->nchunks] = sp->f->len;
	return 0;
}

static int scan_split(struct filescan *f, struct rs_pin_context *pc, struct rs_error *err)
{
	struct rs_pin_sink sink = { file_add, f, file_def, file_call };
	struct split sp;
	struct rs_pin_cands *all = NULL;
	pthread_t th[63];
	unsigned i, n, started = 0;
	int rv = -1;

	memset(&sp, 0, sizeof(sp));
	sp.f = f;
	sp.pc = pc;
	if (split_cuts(&sp) < 0 || !(sp.cands = calloc(sp.nchunks, sizeof(*sp.cands)))) {
		free(sp.cuts);
		return rs_fail(err, RS_ERR_NOMEM, "out of memory scanning '%s'", f->path);
	}
	pthread_mutex_init(&sp.lock, NULL);
	n = f->jobs - 1 < RS_ARRAY_LEN(th) ? f->jobs - 1 : (unsigned)RS_ARRAY_LEN(th);
	if (n > sp.nchunks)
		n = (unsigned)sp.nchunks;
	for (i = 0; i < n; i++)
		if (pthread_create(&th[started], NULL, split_worker, &sp) == 0)
			started++;
	split_worker(&sp);
	for (i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	if (sp.failed) {
		if (err)
			*err = sp.err;
	} else if (!(all = rs_pin_cands_new())) {
		rs_fail(err, RS_ERR_NOMEM, "out of memory scanning '%s'", f->path);
	} else {
		for (i = 0, rv = 0; i < sp.nchunks && rv == 0; i++)
			rv = rs_pin_cands_append(all, sp.cands[i]);
		if (rv == 0)
			rv = rs_pin_rules_judge(pc, f->buf, f->len, f->path, f->binary, &sink, all);
		if (rv < 0)
			rs_fail(err, RS_ERR_NOMEM, "out of memory scanning '%s'", f->path);
	}
	for (i = 0; i < sp.nchunks; i++)
		rs_pin_cands_free(sp.cands[i]);
	rs_pin_cands_free(all);
	free(sp.cands);
	free(sp.cuts);
	pthread_mutex_destroy(&sp.lock);
	return rv;
}

/* Whether the file's definitions or its steps give a value to ident. */
static int defined_here(const struct filescan *f, const char *ident)
{
	size_t i;

	for (i = 0; i < f->names.ndefs; i++)
		if (!strcmp(f->names.defs[i].d.ident, ident))
			return 1;
	for (i = 0; i < f->names.ncalls; i++)
		if (!strcmp(f->names.calls[i].c.obj, ident))
			return 1;
	return 0;
}

/* Reads one file f includes (path) for the definitions of the names f's pinning calls take and f does not
 * define. 1 when the file was read, 0 when it could not be, -1 out of memory. */
static int header_read(struct filescan *f, const struct rs_pin_context *pc, const char *path)
{
	struct filescan hf;
	struct rs_pin_sink sink = { file_add, &hf, file_def, file_call };
	struct rs_error herr;
	unsigned char *data = NULL;
	size_t len = 0, i;
	int rv = 0;

	if (rs_read_file(path, 1 << 20, &data, &len, &herr) < 0)
		return 0;
	memset(&hf, 0, sizeof(hf));
	hf.ps = f->ps;
	hf.path = path;
	hf.buf = data;
	hf.len = len;
	for (i = 0; i < f->names.ncalls && rv == 0; i++) {
		const struct pcall *c = &f->names.calls[i];
		if (c->c.alias || defined_here(f, c->c.ident) || defined_here(&hf, c->c.ident))
			continue;
		if (!c->c.trust)
			rv = rs_pin_concat_defs(pc, data, len, c->c.ident, &sink);
		else if (c->c.dir) /* `load_dir(ctx, CA_DIR)`: `#define CA_DIR "/etc/gw/trust.d"` */
			rv = rs_pin_dir_defs(pc, data, len, c->c.ident, &sink);
	}
	if (rv == 0 && (hf.names.ndefs || hf.names.ncalls))
		rv = names_move(&f->names, &hf.names);
	names_release(&hf.names);
	free(data);
	return rv < 0 ? -1 : 1;
}

/*
 * The headers a file includes (`#include "pins.h"`, next to it), read for the adjacent-literal digests
 * (`#define FP "AA:BB:" \ "CC:..."`) and bare base64 key pins that the file's pinning calls take by a name defined
 * nowhere in the file: the tokenizer does not see a digest split over literals, nor a base64 key without a prefix
 * in C, so its definition is read where the call is. A header declaring `extern const char PIN[];` has the
 * definition in its source file of the same name (`pins.h`, `pins.c`), which is read too. Files on disk only (not
 * archive members); at most 8 files of at most 1 MiB each. 0 or -1 (out of memory).
 */
static int header_defs(struct filescan *f, const struct rs_pin_context *pc)
{
	static const char *const sources[] = { ".c", ".cpp", ".cc" };
	const unsigned char *p = f->buf, *end = f->buf + f->len;
	size_t i, nread = 0, want = 0;
	int rv = 0;

	if (strstr(f->path, "!/"))
		return 0;
	for (i = 0; i < f->names.ncalls; i++)
		want += (!f->names.calls[i].c.trust || f->names.calls[i].c.dir) && !f->names.calls[i].c.alias &&
			!defined_here(f, f->names.calls[i].c.ident);
	while (want && rv >= 0 && nread < 8 && (p = memchr(p, '#', (size_t)(end - p))) != NULL) {
		const unsigned char *q = p + 1, *e;
		size_t dl = dir_len(f->path), n;
		char path[4096];
		p++;
		while (q < end && (*q == ' ' || *q == '\t'))
			q++;
		if (end - q < 10 || memcmp(q, "include", 7))
			continue;
		for (q += 7; q < end && (*q == ' ' || *q == '\t');)
			q++;
		if (q >= end || *q != '"' || !(e = memchr(q + 1, '"', (size_t)(end - q - 1))) || memchr(q, '\n', (size_t)(e - q)) ||
		    dl + (size_t)(e - q) + 4 >= sizeof(path))
			continue;
		snprintf(path, sizeof(path), "%.*s%.*s", (int)dl, f->path, (int)(e - q - 1), (const char *)q + 1);
		if (access(path, R_OK) != 0 && dl + (size_t)(e - q) + 15 < sizeof(path)) /* src/x.c, include/x.h */
			snprintf(path, sizeof(path), "%.*s../include/%.*s", (int)dl, f->path, (int)(e - q - 1),
				 (const char *)q + 1);
		nread++;
		rv = header_read(f, pc, path);
		n = strlen(path);
		if (rv < 0 || n < 3 || strcmp(path + n - 2, ".h"))
			continue;
		for (i = 0; i < RS_ARRAY_LEN(sources) && rv >= 0 && nread < 8; i++) {
			snprintf(path + n - 2, sizeof(path) - (n - 2), "%s", sources[i]);
			if (strcmp(path, f->path) && access(path, R_OK) == 0) {
				nread++;
				rv = header_read(f, pc, path);
			}
		}
	}
	return rv < 0 ? -1 : 0;
}

static int scan_plain(struct filescan *f, struct rs_error *err)
{
	struct rs_pin_sink sink = { file_add, f, file_def, file_call };
	struct rs_pin_context pc = f->ps->pc;

	if (f->len == 0)
		return 0;
	f->binary = !is_text(f->buf, f->len);
	if (f->jobs > 1 && f->len >= SPLIT_MIN) {
		if (scan_split(f, &pc, err) < 0)
			return -1;
	} else {
		if (scan_anchors(f, &pc, err) < 0)
			return -1;
		/* a binary is read as its printable view (every byte that is not printable ASCII a line break), in
		 * place: writing the view costs more than reading it (fresh pages, twice the memory traffic) */
		if (rs_pin_rules_text(&pc, f->buf, f->len, f->path, f->binary, &sink) < 0)
			return rs_fail(err, RS_ERR_NOMEM, "out of memory scanning '%s'", f->path);
	}
	if (!f->binary && f->names.ncalls && header_defs(f, &pc) < 0)
		return rs_fail(err, RS_ERR_NOMEM, "out of memory scanning '%s'", f->path);
	if (f->n > 1) {
		qsort(f->v, f->n, sizeof(*f->v), cmp_findings);
		dedupe(f);
	}
	return 0;
}

/* Moves f's findings into ps. */
static int merge(struct rs_pinscan *ps, struct filescan *f)
{
	int rv = 0;

	pthread_mutex_lock(&ps->lock);
	if (ps->n + f->n > ps->cap) {
		size_t cap = ps->cap ? ps->cap : 64;
		struct rs_pin_finding *v;
		while (cap < ps->n + f->n)
			cap *= 2;
		if ((v = realloc(ps->v, cap * sizeof(*v))) != NULL) {
			ps->v = v;
			ps->cap = cap;
		} else {
			rv = -1;
		}
	}
	if (rv == 0 && f->n) {
		memcpy(ps->v + ps->n, f->v, f->n * sizeof(*f->v));
		ps->n += f->n;
		f->n = 0;
	}
	if (rv == 0)
		rv = names_move(&ps->pending, &f->names);
	ps->suppressed += f->suppressed;
	ps->files++;
	ps->bytes += f->len;
	pthread_mutex_unlock(&ps->lock);
	return rv;
}

int rs_pinscan_mem(struct rs_pinscan *ps, const unsigned char *buf, size_t len, const char *name,
		   struct rs_error *err)
{
	struct filescan f;
	int rv;

	if (!ps || (!buf && len))
		return rs_fail(err, RS_ERR_USAGE, "rs_pinscan_mem: no scanner or no bytes");
	memset(&f, 0, sizeof(f));
	f.ps = ps;
	f.path = name ? name : "(memory)";
	f.buf = buf;
	f.len = len;
	rv = scan_bytes(&f, err);
	if (rv == 0 && merge(ps, &f) < 0)
		rv = rs_fail(err, RS_ERR_NOMEM, "out of memory");
	filescan_release(&f);
	if (rv == 0)
		rv = pinscan_join(ps, err);
	if (rv == 0 && ps->n > 1)
		qsort(ps->v, ps->n, sizeof(*ps->v), cmp_findings);
	return rv;
}

/* ---- files and trees ---- */

struct work {
	struct rs_pinscan *ps;
	const struct rs_pinscan_opts *opts;
	unsigned long long max;
	char **paths;
	size_t n, cap;
	size_t next;        /* the next file to take (under ps->lock) */
	int failed;
	struct rs_error err; /* the first hard error */
};

static int add_path(struct work *w, const char *path)
{
	if (w->n == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 256;
		char **v = realloc(w->paths, cap * sizeof(*v));
		if (!v)
			return -1;
		w->paths = v;
		w->cap = cap;
	}
	if (!(w->paths[w->n] = rs_strdup(path)))
		return -1;
	w->n++;
	return 0;
}

/* Lists a file of a tree that is not read, and why (the caller holds the lock when workers run); -1: memory. */
static int add_skipped(struct rs_pinscan *ps, const char *path, const char *reason)
{
	struct rs_pin_skipped *v = ps->skipped, *e;

	if (ps->nskipped == ps->capskipped) {
		size_t cap = ps->capskipped ? ps->capskipped * 2 : 16;
		if (!(v = realloc(ps->skipped, cap * sizeof(*v))))
			return -1;
		ps->skipped = v;
		ps->capskipped = cap;
	}
	e = &ps->skipped[ps->nskipped];
	e->path = rs_strdup(path);
	e->reason = rs_strdup(reason);
	if (!e->path || !e->reason) {
		free(e->path);
		free(e->reason);
		return -1;
	}
	ps->nskipped++;
	return 0;
}

size_t rs_pinscan_skipped_count(const struct rs_pinscan *ps) { return ps->nskipped; }
const struct rs_pin_skipped *rs_pinscan_skipped_at(const struct rs_pinscan *ps, size_t i)
{
	return i < ps->nskipped ? &ps->skipped[i] : NULL;
}

static int skip_dir(const char *dir, const char *name)
{
	static const char *const names[] = { ".git", ".hg", ".svn", ".bzr", "node_modules", "__pycache__", ".pio",
					     ".tox", ".venv", "CMakeFiles", "build", ".gradle", ".idea" };
	char probe[4096];
	struct stat st;
	size_t i;

	for (i = 0; i < RS_ARRAY_LEN(names); i++)
		if (!strcmp(name, names[i]))
			return 1;
	if (!strncmp(name, "build-", 6) || !strncmp(name, "cmake-build-", 12))
		return 1;
	snprintf(probe, sizeof(probe), "%s/%s/CMakeCache.txt", dir, name);
	return stat(probe, &st) == 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int walk(struct work *w, const char *path, int depth, struct rs_error *err)
{
	DIR *d;
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0, i;
	int rv = 0;

	if (depth > MAX_DEPTH)
		return 0;
	if (!(d = opendir(path))) {
		char why[200];
		if (depth == 0)
			return rs_fail(err, RS_ERR_IO, "cannot read '%s': %s", path, strerror(errno));
		snprintf(why, sizeof(why), "cannot read the directory: %s", strerror(errno));
		return add_skipped(w->ps, path, why) < 0 ? rs_fail(err, RS_ERR_NOMEM, "out of memory") : 0;
	}
	while ((e = readdir(d)) != NULL) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (n == cap) {
			char **v = realloc(names, (cap = cap ? cap * 2 : 32) * sizeof(*v));
			if (!v) {
				rv = -1;
				break;
			}
			names = v;
		}
		if (!(names[n] = rs_strdup(e->d_name))) {
			rv = -1;
			break;
		}
		n++;
	}
	closedir(d);
	if (rv == 0 && n > 1)
		qsort(names, n, sizeof(*names), cmp_str);
	for (i = 0; i < n && rv == 0; i++) {
		struct rs_buf child = RS_BUF_INIT;
		struct stat st;
		if (rs_buf_addf(&child, "%s%s%s", path, path[strlen(path) - 1] == '/' ? "" : "/", names[i]) < 0) {
			rv = -1;
			break;
		}
		if (lstat(child.data, &st) < 0)
			rv = add_skipped(w->ps, child.data, strerror(errno));
		else if (S_ISDIR(st.st_mode) && !skip_dir(path, names[i]))
			rv = walk(w, child.data, depth + 1, err);
		else if (S_ISREG(st.st_mode) && strcmp(names[i], ".rootshiftignore"))
			rv = add_path(w, child.data);
		else if (S_ISLNK(st.st_mode))
			rv = add_skipped(w->ps, child.data, "a symbolic link (links inside a tree are not followed)");
		else if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode))
			rv = add_skipped(w->ps, child.data, "a special file (device, socket or pipe)");
		rs_buf_release(&child);
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	if (rv < 0 && err && err->code == RS_ERR_NONE)
		rs_fail(err, RS_ERR_NOMEM, "out of memory walking '%s'", path);
	return rv;
}

/* Reads (small) or maps (large) a file; *mapped tells which. A file over max is RS_ERR_LIMIT. */
static int open_file(const char *path, unsigned long long max, struct rs_buf *small, const unsigned char **data,
		     size_t *len, int *mapped, struct rs_error *err)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t r;
	size_t got = 0;

	*mapped = 0;
	*len = 0;
	*data = NULL;
	if (fd < 0 || fstat(fd, &st) < 0) {
		if (fd >= 0)
			close(fd);
		return rs_fail(err, RS_ERR_IO, "cannot read: %s", strerror(errno));
	}
	if ((unsigned long long)st.st_size > max) {
		close(fd);
		return rs_fail(err, RS_ERR_LIMIT, "larger than %llu bytes", max);
	}
	if (st.st_size == 0) {
		close(fd);
		return 0;
	}
	if (st.st_size > SMALL) {
		void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE | POPULATE, fd, 0);
		close(fd);
		if (m == MAP_FAILED)
			return rs_fail(err, RS_ERR_IO, "cannot read: %s", strerror(errno));
		*data = m;
		*len = (size_t)st.st_size;
		*mapped = 1;
		return 0;
	}
	small->len = 0;
	if (rs_buf_grow(small, (size_t)st.st_size + 1) < 0) {
		close(fd);
		return rs_fail(err, RS_ERR_NOMEM, "out of memory reading '%s'", path);
	}
	while (got < (size_t)st.st_size && (r = read(fd, small->data + got, (size_t)st.st_size - got)) > 0)
		got += (size_t)r;
	close(fd);
	*data = (const unsigned char *)small->data;
	*len = got;
	return 0;
}

static int cancelled(const struct work *w)
{
	return w->opts && w->opts->cancel && *w->opts->cancel;
}

static int scan_one(struct work *w, const char *path, struct rs_buf *small, struct rs_error *err)
{
	struct filescan f;
	const unsigned char *data;
	size_t len;
	int mapped, rv;

	if (cancelled(w))
		return rs_fail(err, RS_ERR_CANCELLED, "stopped on request");
	if (open_file(path, w->max, small, &data, &len, &mapped, err) < 0)
		return -1;
	memset(&f, 0, sizeof(f));
	f.ps = w->ps;
	f.path = path;
	f.buf = data;
	f.len = len;
	f.cancel = w->opts ? w->opts->cancel : NULL;
	f.jobs = w->opts && w->opts->jobs > 1 ? w->opts->jobs : 1;
	rv = scan_bytes(&f, err);
	if (mapped)
		munmap((void *)data, len);
	if (rv == 0 && merge(w->ps, &f) < 0)
		rv = rs_fail(err, RS_ERR_NOMEM, "out of memory");
	filescan_release(&f);
	if (rv == 0 && w->opts && w->opts->progress) {
		pthread_mutex_lock(&w->ps->lock);
		w->opts->progress(w->opts->progress_arg, path, w->ps->files, w->ps->bytes); /* over every call */
		pthread_mutex_unlock(&w->ps->lock);
	}
	return rv;
}

static void *worker(void *arg)
{
	struct work *w = arg;
	struct rs_buf small = RS_BUF_INIT;
	struct rs_error err;

	for (;;) {
		size_t i;
		pthread_mutex_lock(&w->ps->lock);
		i = w->failed ? w->n : w->next++;
		pthread_mutex_unlock(&w->ps->lock);
		if (i >= w->n)
			break;
		memset(&err, 0, sizeof(err));
		if (scan_one(w, w->paths[i], &small, &err) < 0) {
			/* a file that vanished, cannot be read or is too large inside a tree is skipped and listed;
			 * memory is a hard error */
			pthread_mutex_lock(&w->ps->lock);
			if ((err.code == RS_ERR_IO || err.code == RS_ERR_LIMIT) &&
			    add_skipped(w->ps, w->paths[i], err.message) == 0) {
				pthread_mutex_unlock(&w->ps->lock);
				continue;
			}
			if (!w->failed) {
				w->failed = 1;
				w->err = err;
			}
			pthread_mutex_unlock(&w->ps->lock);
		}
	}
	rs_buf_release(&small);
	return NULL;
}

static int run_jobs(struct work *w, unsigned jobs, struct rs_error *err)
{
	pthread_t th[64];
	unsigned i, started = 0;

	if (jobs > RS_ARRAY_LEN(th))
		jobs = RS_ARRAY_LEN(th);
	if (jobs > w->n)
		jobs = w->n ? (unsigned)w->n : 1;
	for (i = 1; i < jobs; i++)
		if (pthread_create(&th[started], NULL, worker, w) == 0)
			started++;
	worker(w);
	for (i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	if (w->failed) {
		if (err)
			*err = w->err;
		return -1;
	}
	return 0;
}

static int read_ignore_file(struct rs_pinscan *ps, const char *dir, struct rs_error *err)
{
	struct rs_buf p = RS_BUF_INIT;
	unsigned char *data = NULL;
	size_t len = 0;
	struct stat st;
	int rv = 0;

	if (rs_buf_addf(&p, "%s/.rootshiftignore", dir) < 0)
		return rs_fail(err, RS_ERR_NOMEM, "out of memory");
	if (stat(p.data, &st) == 0) {
		rv = rs_read_file(p.data, 1 << 20, &data, &len, err);
		if (rv == 0)
			rv = rs_pinscan_add_ignore(ps, (const char *)data, len, dir, p.data, err);
		free(data);
	}
	rs_buf_release(&p);
	return rv;
}

int rs_pinscan_path(struct rs_pinscan *ps, const char *path, const struct rs_pinscan_opts *opts,
		    struct rs_error *err)
{
	struct work w;
	struct stat st;
	size_t i;
	int rv = -1;

	if (!ps || !path)
		return rs_fail(err, RS_ERR_USAGE, "rs_pinscan_path: no scanner or no path");
	if (stat(path, &st) < 0)
		return rs_fail(err, RS_ERR_IO, "cannot read '%s': %s", path, strerror(errno));
	memset(&w, 0, sizeof(w));
	w.ps = ps;
	w.opts = opts;
	w.max = opts && opts->max_file_bytes ? opts->max_file_bytes : DEFAULT_MAX;
	if (err)
		rs_error_clear(err);
	if (S_ISDIR(st.st_mode)) {
		if ((!opts || !opts->no_ignore_files) && read_ignore_file(ps, path, err) < 0)
			goto out;
		if (walk(&w, path, 0, err) < 0)
			goto out;
	} else if (add_path(&w, path) < 0) {
		rs_fail(err, RS_ERR_NOMEM, "out of memory");
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		if (run_jobs(&w, opts && opts->jobs > 1 ? opts->jobs : 1, err) < 0)
			goto stopped;
	} else {
		struct rs_buf small = RS_BUF_INIT;
		rv = scan_one(&w, path, &small, err);
		rs_buf_release(&small);
		if (rv < 0 && err && (err->code == RS_ERR_IO || err->code == RS_ERR_LIMIT)) {
			char why[sizeof(err->message)];
			snprintf(why, sizeof(why), "%s", err->message);
			rs_fail(err, err->code, "cannot read '%s': %s", path, why);
		}
		if (rv < 0)
			goto stopped;
	}
	if (pinscan_join(ps, err) < 0)
		goto out;
	if (ps->n > 1)
		qsort(ps->v, ps->n, sizeof(*ps->v), cmp_findings);
	rv = 0;
	goto out;
stopped:
	rv = -1;
	if (err && err->code == RS_ERR_CANCELLED) { /* what the files read whole found is kept, joined and sorted */
		struct rs_error jerr;
		memset(&jerr, 0, sizeof(jerr));
		if (pinscan_join(ps, &jerr) < 0)
			*err = jerr;
		else if (ps->n > 1)
			qsort(ps->v, ps->n, sizeof(*ps->v), cmp_findings);
	}
out:
	names_release(&ps->pending);
	for (i = 0; i < w.n; i++)
		free(w.paths[i]);
	free(w.paths);
	return rv;
}

void rs_pinscan_info(const struct rs_pinscan *ps, struct rs_pinscan_info *info)
{
	*info = (struct rs_pinscan_info){
		.findings = ps->v, .finding_count = ps->n, .skipped = ps->skipped, .skipped_count = ps->nskipped,
		.files = ps->files, .bytes = ps->bytes, .suppressed = ps->suppressed,
	};
}
