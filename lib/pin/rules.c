/*
 * rules.c: the pinning rules over one buffer. Each family looks for a few rare substrings first (memmem), then
 * reads the line around a hit; digests come from tokens.c and are judged by the catalog and by the API they feed.
 * docs/scan.md documents every rule.
 */
#include "pin.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- the rule table (rules/scan-rules.json): ids are stable ---- */

size_t rs_pin_rule_count(void)
{
	const struct rs_pin_ruleset *rs = rs_pin_ruleset_builtin();

	return rs ? rs->nrules : 0;
}

const struct rs_pin_rule *rs_pin_rule_at(size_t i)
{
	const struct rs_pin_ruleset *rs = rs_pin_ruleset_builtin();

	return rs && i < rs->nrules ? &rs->rules[i] : NULL;
}

const struct rs_pin_rule *rs_pin_rule_find(const char *id)
{
	const struct rs_pin_ruleset *rs = rs_pin_ruleset_builtin();
	size_t i;

	for (i = 0; rs && id && i < rs->nrules; i++)
		if (!strcmp(rs->rules[i].id, id))
			return &rs->rules[i];
	return NULL;
}

/* ---- one buffer ---- */

/* Where one of the needles every buffer is searched for (whole[]) occurs: starts in increasing order. */
struct occ {
	size_t *at;
	size_t n, cap;
};

/* What the rules start from: where each needle of the ruleset's passes occurs, and the digests written in the
 * buffer. */
struct rs_pin_cands {
	struct occ occ[RS_PIN_SLOTS_MAX + RS_PIN_COMMON_MAX]; /* the pass's slots, then the common words of rule_calls */
	struct rs_pin_token *hex, *b64;
	size_t nhex, nb64, caphex, capb64;
};

struct ctx {
	const struct rs_catalog *cat;
	const struct rs_pin_ruleset *rs;
	const struct rs_pin_context *pc;
	const unsigned char *buf;
	size_t len;
	const char *name;
	int binary;
	int lockfile;
	int digests; /* the file computes certificate digests (-1: not looked yet): a memcmp near a value compares them */
	const struct rs_pin_sink *sink;
	struct occ *occ; /* where each of whole[] occurs in buf, found in one pass */
	size_t ndefs;    /* values defined by name so far */
	const struct rs_pin_cands *cands; /* the digests written in buf (and occ's owner) */
	size_t nsteps;   /* alias steps traced so far (trace_name): at most MAX_STEPS a buffer */
	int name_file;   /* a file of a language whose names are followed (the rules' name_files: .py, .ts, .cs, ...) */
	int compares_only; /* rule_calls: only the common calls that compare (args line or around, or a file condition) */
	int dir_call;      /* calls_of: the calls given take a directory (a trust API marked "dir") */
};

#define MAX_STEPS 64

static int word_char(unsigned char c)
{
	return isalnum(c) || c == '_';
}

/* A line break: in a binary, every byte outside its printable runs (what its printable view makes '\n'). */
static int line_break(const struct ctx *c, unsigned char b)
{
	return c->binary ? (b < 0x20 || b >= 0x7f) && b != '\t' : b == '\n';
}

static size_t line_start(const struct ctx *c, size_t at)
{
	while (at > 0 && !line_break(c, c->buf[at - 1]))
		at--;
	return at;
}

static size_t line_end(const struct ctx *c, size_t at)
{
	const unsigned char *nl;

	if (c->binary) {
		while (at < c->len && !line_break(c, c->buf[at]))
			at++;
		return at;
	}
	nl = memchr(c->buf + at, '\n', c->len - at);
	return nl ? (size_t)(nl - c->buf) : c->len;
}

/* Start of the line n lines above the line of at. */
static size_t lines_up(const struct ctx *c, size_t at, int n)
{
	size_t s = line_start(c, at);

	while (n-- > 0 && s > 0)
		s = line_start(c, s - 1);
	return s;
}

/* End of the line n lines below the line of at. */
static size_t lines_down(const struct ctx *c, size_t at, int n)
{
	size_t e = line_end(c, at);

	while (n-- > 0 && e < c->len)
		e = line_end(c, e + 1);
	return e;
}

static const unsigned char *find(const struct ctx *c, size_t from, size_t to, const char *needle)
{
	if (to > c->len)
		to = c->len;
	return from < to ? rs_pin_find(c->buf + from, to - from, needle, strlen(needle)) : NULL;
}

/* Case-insensitive search in [from, to). */
static const unsigned char *find_ci(const struct ctx *c, size_t from, size_t to, const char *needle)
{
	size_t n = strlen(needle), i;

	for (i = from; i + n <= to && i + n <= c->len; i++)
		if (tolower(c->buf[i]) == tolower((unsigned char)needle[0]) &&
		    !strncasecmp((const char *)c->buf + i, needle, n))
			return c->buf + i;
	return NULL;
}

/* In a binary's printable view a "line" is a run; the same helpers work, but nothing spans runs. */
static int emit(const struct ctx *c, const struct rs_pin_hit *h)
{
	return c->sink->add(c->sink->arg, h);
}

static int is_lockfile(const char *name)
{
	static const char *const names[] = { "package-lock.json", "yarn.lock", "go.sum", "Cargo.lock", "poetry.lock",
					     "Pipfile.lock", "pnpm-lock.yaml", "composer.lock", "Gemfile.lock",
					     "flake.lock", "packages.lock.json", "gradle.lockfile" };
	const char *base = strrchr(name, '/');
	size_t i, n;

	base = base ? base + 1 : name;
	for (i = 0; i < RS_ARRAY_LEN(names); i++)
		if (!strcmp(base, names[i]))
			return 1;
	n = strlen(base);
	return (n > 5 && !strcmp(base + n - 5, ".lock")) || (n > 4 && !strcmp(base + n - 4, ".sum")) ||
	       !strncmp(base, "requirements", 12);
}

/* ---- fingerprints: which API a value feeds (the rules file's value_apis) ---- */

static int computes_digests(const struct ctx *c);

/*
 * Whether the API a, found at at, plausibly takes a fingerprint there: its "when" conditions (a word on its lines,
 * `begin(url,\n fp)` with http; a word in the file; a file that computes certificate digests, for a memcmp).
 */
static int api_fits(const struct ctx *c, const struct rs_pin_api *a, size_t at)
{
	if (a->near && !find(c, line_start(c, at), lines_down(c, at, 2), a->near))
		return 0;
	if (a->above && !find_ci(c, lines_up(c, at, 8), line_end(c, at), a->above))
		return 0;
	if (a->file && !find(c, 0, c->len, a->file))
		return 0;
	if (a->digests) {
		if (c->digests < 0)
			((struct ctx *)c)->digests = computes_digests(c);
		return c->digests;
	}
	return 1;
}

/* The API found in [from, to), or NULL. */
static const char *api_in(const struct ctx *c, size_t from, size_t to)
{
	const unsigned char *p;
	size_t i;

	for (i = 0; i < c->rs->nvalues; i++)
		if ((p = find(c, from, to, c->rs->values[i].needle)) != NULL &&
		    api_fits(c, &c->rs->values[i], (size_t)(p - c->buf)))
			return c->rs->values[i].name;
	return NULL;
}

/* A word at [i, e) copied into out when it is an identifier that fits. */
static int copy_ident(const struct ctx *c, size_t i, size_t e, char *out, size_t size)
{
	if (e == i || e - i >= size || isdigit(c->buf[i]))
		return 0;
	memcpy(out, c->buf + i, e - i);
	out[e - i] = '\0';
	return 1;
}

/*
 * The name a value on the line of `at` gets without '=': `#define NAME value` (C, C++, also continued from the
 * line above), or a key at the start of the line, `"key": value` (JSON), `key: value` (YAML).
 */
static int defined_ident(const struct ctx *c, size_t at, char *out, size_t size)
{
	size_t ls = line_start(c, at), i, e;

	if (ls > 1 && c->buf[ls - 2] == '\\') /* the continuation of a #define */
		ls = line_start(c, ls - 2);
	for (i = ls; i < at && (c->buf[i] == ' ' || c->buf[i] == '\t'); i++)
		;
	if (at - i > 7 && !memcmp(c->buf + i, "#define", 7)) {
		for (i += 7; i < at && (c->buf[i] == ' ' || c->buf[i] == '\t'); i++)
			;
		for (e = i; e < at && word_char(c->buf[e]); e++)
			;
		return copy_ident(c, i, e, out, size);
	}
	if (i < at && (c->buf[i] == '"' || c->buf[i] == '\''))
		i++;
	for (e = i; e < at && (word_char(c->buf[e]) || c->buf[e] == '-' || c->buf[e] == '.'); e++)
		;
	if (e == i)
		return 0;
	{
		size_t k = e;
		if (k < at && (c->buf[k] == '"' || c->buf[k] == '\''))
			k++;
		while (k < at && (c->buf[k] == ' ' || c->buf[k] == '\t'))
			k++;
		if (k >= at || c->buf[k] != ':' || (k + 1 < at && c->buf[k + 1] == ':'))
			return 0; /* not `QByteArray::fromHex("...")` (C++'s scope) */
	}
	return copy_ident(c, i, e, out, size);
}

/*
 * Where the list holding the value at `at` opens, when the value is an element after a ',' (`PINS = ["a", "b"]`,
 * `String[] PINS = {\n "a",\n "b"\n}`): the '[', '{' or '(' at depth 0 before it, within 2 KiB and outside quotes
 * (an element's own '=' padding is no assignment); (size_t)-1 otherwise.
 */
static size_t list_open(const struct ctx *c, size_t at)
{
	size_t i = at, stop = at > 2048 ? at - 2048 : 0;
	int depth = 0;
	unsigned char q = 0;

	while (i > stop && (isalnum(c->buf[i - 1]) || c->buf[i - 1] == '/' || c->buf[i - 1] == '-')) /* sha256/ */
		i--;
	while (i > stop && strchr(" \t\r\n\"'`", c->buf[i - 1]))
		i--;
	if (i == stop || c->buf[i - 1] != ',')
		return (size_t)-1;
	for (; i > stop; i--) {
		unsigned char ch = c->buf[i - 1];
		if (q) {
			if (ch == q)
				q = 0;
		} else if (ch == '"' || ch == '\'' || ch == '`') {
			q = ch;
		} else if (ch == ')' || ch == ']' || ch == '}') {
			depth++;
		} else if (ch == '(' || ch == '[' || ch == '{') {
			if (depth-- == 0)
				return i - 1;
		} else if (ch == ';') {
			break;
		}
	}
	return (size_t)-1;
}

/*
 * The key of a YAML block scalar whose first line holds the PEM at `at` (ESPHome's `certificate_authority: |` above
 * an indented certificate): only blanks before the value on its line, and the line above ending in `: |` or `: >`
 * (`|-`, `>+`, ...). Certificates only: a digest on a block's first line (a checksum list) is no assignment.
 */
static int block_key(const struct ctx *c, size_t at, char *out, size_t size)
{
	size_t ls = line_start(c, at), i, e;

	if (at + 10 > c->len || memcmp(c->buf + at, "-----BEGIN", 10))
		return 0;
	for (i = ls; i < at && (c->buf[i] == ' ' || c->buf[i] == '\t'); i++)
		;
	if (i < at || ls < 2 || i == ls)
		return 0;
	e = ls - 1; /* the '\n' ending the line above */
	while (e > 0 && (c->buf[e - 1] == ' ' || c->buf[e - 1] == '\t' || c->buf[e - 1] == '\r'))
		e--;
	if (e > 0 && (c->buf[e - 1] == '-' || c->buf[e - 1] == '+'))
		e--;
	if (e < 2 || (c->buf[e - 1] != '|' && c->buf[e - 1] != '>'))
		return 0;
	e--;
	while (e > 0 && (c->buf[e - 1] == ' ' || c->buf[e - 1] == '\t'))
		e--;
	if (e == 0 || c->buf[e - 1] != ':')
		return 0;
	return defined_ident(c, e, out, size);
}

/* The identifier a value at `at` is assigned to ("fp" in `const char fp[] = "..."`), copied into out. */
static int assigned_ident(const struct ctx *c, size_t at, char *out, size_t size)
{
	const char *const *attrs = c->rs ? c->rs->attrs : NULL;
	size_t nattrs = c->rs ? c->rs->nattrs : 0;
	size_t from = lines_up(c, at, 3), i = at, e, k;

	if (defined_ident(c, at, out, size) || block_key(c, at, out, size))
		return 1;
	for (k = at; k > from && (c->buf[k - 1] == ' ' || c->buf[k - 1] == '\t');)
		k--;
	if (k > from && (c->buf[k - 1] == '"' || c->buf[k - 1] == '\''))
		k--;
	if (k > from + 1 && c->buf[k - 1] == '{' && word_char(c->buf[k - 2])) { /* `const std::string NAME{"ca.pem"}` */
		for (e = --k; k > from && word_char(c->buf[k - 1]);)
			k--;
		if (k > from && (c->buf[k - 1] == ']' || c->buf[k - 1] == '.'))
			return 0; /* Go's `[]string{"a.pem"}`, a type's literal, no name */
		return copy_ident(c, k, e, out, size);
	}
	if ((k = list_open(c, at)) != (size_t)-1) /* an element after the first of `NAME = [ "a", "b" ]` */
		i = at = k, from = lines_up(c, at, 3);

	while (i > from && c->buf[i - 1] != '=' && c->buf[i - 1] != ';' && c->buf[i - 1] != '}')
		i--;
	if (i <= from || c->buf[i - 1] != '=' || (i >= 2 && strchr("=!<>", c->buf[i - 2])))
		return 0;
	i--;
	while (i > from && (c->buf[i - 1] == ' ' || c->buf[i - 1] == '\t'))
		i--;
	while (i > from && c->buf[i - 1] == ']') { /* fp[20] or fp[] */
		while (i > from && c->buf[i - 1] != '[')
			i--;
		if (i > from)
			i--;
	}
	for (;;) {
		e = i;
		while (i > from && word_char(c->buf[i - 1]))
			i--;
		for (k = 0; k < nattrs; k++)
			if (e - i == strlen(attrs[k]) && !memcmp(c->buf + i, attrs[k], e - i))
				break;
		if (k == nattrs || e == i)
			break;
		while (i > from && (c->buf[i - 1] == ' ' || c->buf[i - 1] == '\t'))
			i--;
		if (i > from && c->buf[i - 1] == ':' && !(i > from + 1 && c->buf[i - 2] == ':')) {
			i--; /* `NAME: readonly string[] =` (TypeScript's type after a ':') */
			while (i > from && (c->buf[i - 1] == ' ' || c->buf[i - 1] == '\t'))
				i--;
		}
		while (i > from && c->buf[i - 1] == ']') {
			while (i > from && c->buf[i - 1] != '[')
				i--;
			if (i > from)
				i--;
		}
	}
	return copy_ident(c, i, e, out, size);
}

int rs_pin_name_at(const struct rs_pin_ruleset *rs, const unsigned char *buf, size_t len, size_t at, char *out,
		   size_t size)
{
	struct ctx c;

	memset(&c, 0, sizeof(c));
	c.rs = rs ? rs : rs_pin_ruleset_builtin();
	c.buf = buf;
	c.len = len;
	return at < len && assigned_ident(&c, at, out, size);
}

/* The API that a variable is passed to anywhere in the buffer, or NULL: the lines where the name occurs as a word. */
static const char *api_of_ident(const struct ctx *c, const char *ident)
{
	const unsigned char *p;
	const char *api;
	size_t from, at, n = strlen(ident), found = 0;

	for (from = 0; (p = find(c, from, c->len, ident)) != NULL && found < 64; from = at + n) {
		at = (size_t)(p - c->buf);
		if ((at > 0 && word_char(c->buf[at - 1])) || (at + n < c->len && word_char(c->buf[at + n])))
			continue;
		found++;
		if ((api = api_in(c, line_start(c, at), line_end(c, at))) != NULL)
			return api;
	}
	return NULL;
}

static const char *feeding_api(const struct ctx *c, const struct rs_pin_token *t)
{
	const char *api = api_in(c, lines_up(c, t->start, 1), line_end(c, t->end));
	char ident[64];

	if (!api && !c->binary && assigned_ident(c, t->start, ident, sizeof(ident)))
		api = api_of_ident(c, ident);
	return api;
}

/* A word on the line that says the value is a pin; and words that say it is something else. */
static int pin_hint(const struct ctx *c, size_t at)
{
	static const char *const yes[] = { "fingerprint", "thumbprint", "pinned", "pin_", "_pin", "pins", "fp[", "fp =",
					   "fp=", "cert_hash", "certhash", "cert_sha", "tls_sha", "ssl_sha" };
	static const char *const no[] = { "commit", "integrity", "checksum", "sha256sum", "sha1sum", "revision",
					  "git", "uuid", "hash=", "digest:", "resolved" };
	size_t s = line_start(c, at), e = line_end(c, at), i;

	if (c->lockfile)
		return 0;
	for (i = 0; i < RS_ARRAY_LEN(no); i++)
		if (find_ci(c, s, e, no[i]))
			return 0;
	for (i = 0; i < RS_ARRAY_LEN(yes); i++)
		if (find_ci(c, s, e, yes[i]))
			return 1;
	return 0;
}

static int all_same(const unsigned char *b, size_t n)
{
	size_t i;
	int inc = 1;

	for (i = 1; i < n; i++)
		inc &= b[i] == (unsigned char)(b[i - 1] + 1);
	for (i = 1; i < n && b[i] == b[0]; i++)
		;
	return i == n || inc;
}

static const char *kind_word(const struct rs_known *k)
{
	return rs_kind_name(rs_known_kind(k));
}

/* ---- severity: what the migration makes of a pin or a sole anchor ---- */

static const char *day(rs_time t, char *buf)
{
	rs_time_format(t, buf, 32);
	buf[10] = '\0'; /* YYYY-MM-DD */
	return buf;
}

/* Whether the profile lists k among its old roots. */
static int old_root(const struct rs_profile *p, const struct rs_known *k)
{
	size_t i;

	for (i = 0; p && i < rs_profile_rule_count(p, "old"); i++)
		if (rs_profile_rule_at(p, "old", i) == k)
			return 1;
	return !strcmp(rs_known_role(k), "old");
}

/* Whether every issuer the profile gives k is an old root (an intermediate of the retired chain). */
static int under_old_root(const struct rs_profile *p, const struct rs_known *k)
{
	size_t i;

	for (i = 0; i < rs_known_issuer_count(k); i++) {
		const struct rs_known *iss = p ? rs_profile_known(p, rs_known_issuer_at(k, i)) : NULL;
		if (!iss || !old_root(p, iss))
			return 0;
	}
	return i > 0;
}

enum rs_severity rs_pin_judge_known(const struct rs_pin_context *pc, const struct rs_known *k, struct rs_buf *why)
{
	const struct rs_profile *p = rs_known_profile(k);
	const struct rs_known *next = p && rs_profile_rule_count(p, "required") ? rs_profile_rule_at(p, "required", 0)
										 : NULL;
	rs_time done = p ? rs_profile_migration_complete(p) : 0, expiry = rs_known_not_after(k);
	const char *kind = kind_word(k), *to = next ? rs_known_name(next) : "the new root";
	char d[32];

	if (!pc->timed) {
		if (rs_known_kind(k) == RS_KIND_ROOT) {
			rs_buf_addstr(why, "stable until the root changes");
			return RS_SEV_INFO;
		}
		rs_buf_addf(why, "it breaks when the %s is replaced", kind);
		return RS_SEV_ERROR;
	}
	if (expiry && expiry < pc->at) {
		rs_buf_addf(why, "the %s expired on %s, so the device cannot connect now", kind, day(expiry, d));
		return RS_SEV_ERROR;
	}
	if (rs_known_kind(k) == RS_KIND_ROOT && old_root(p, k)) {
		if (done && done <= pc->at) {
			rs_buf_addf(why, "the service has served chains to %s since %s, so the device cannot connect now",
				    to, day(done, d));
			return RS_SEV_ERROR;
		}
		rs_buf_addf(why, "it holds until the service moves to %s%s%s; then the device stops connecting", to,
			    done ? " (planned by " : "", done ? day(done, d) : "");
		if (done)
			rs_buf_addstr(why, ")");
		return RS_SEV_WARNING;
	}
	if (rs_known_kind(k) == RS_KIND_ROOT) {
		rs_buf_addstr(why, "stable until the root changes");
		return RS_SEV_INFO;
	}
	if (under_old_root(p, k) && done && done <= pc->at) {
		rs_buf_addf(why, "the service stopped serving this %s when it moved to %s (%s), so the device cannot "
			    "connect now", kind, to, day(done, d));
		return RS_SEV_ERROR;
	}
	rs_buf_addf(why, "it holds now but breaks when the %s is replaced", kind);
	if (expiry)
		rs_buf_addf(why, " (by %s at the latest; the service may rotate it sooner)", day(expiry, d));
	return RS_SEV_WARNING;
}

/*
 * Among the catalog's certificates with k's key (its SubjectPublicKeyInfo SHA-256), the one valid longest: a key
 * pin (an SPKI pin) holds while any certificate carrying that key is served, so an intermediate cross-signed by
 * two roots (one version to 2026, one to 2028) is judged by the later. k when none lasts longer.
 */
const struct rs_known *rs_pin_key_latest(const struct rs_catalog *cat, const struct rs_known *k)
{
	const char *spki = rs_known_spki_sha256(k);
	const struct rs_known *best = k;
	size_t pi, i;

	if (!spki || !*spki || !rs_known_not_after(k))
		return k;
	for (pi = 0; pi < rs_catalog_profile_count(cat); pi++) {
		const struct rs_profile *p = rs_catalog_profile_at(cat, pi);
		for (i = 0; i < rs_profile_known_count(p); i++) {
			const struct rs_known *o = rs_profile_known_at(p, i);
			const char *os = rs_known_spki_sha256(o);
			if (os && !strcmp(os, spki) && rs_known_kind(o) == rs_known_kind(k) &&
			    rs_known_not_after(o) > rs_known_not_after(best))
				best = o;
		}
	}
	return best;
}

/* The words saying which certificate with the pinned key the judgement is about, when another than the one
 * found (k) lasts longer. */
static void key_latest_words(const struct rs_known *k, const struct rs_known *latest, struct rs_buf *msg)
{
	const struct rs_profile *p = rs_known_profile(latest);
	const struct rs_known *iss = p && rs_known_issuer_count(latest) ? rs_profile_known(p, rs_known_issuer_at(latest, 0))
									: NULL;
	char d[32];

	if (latest == k)
		return;
	rs_buf_addf(msg, "a key pin holds while any certificate with this key is served: the latest, %s%s, is valid to "
		    "%s; ", iss ? "issued by " : rs_known_name(latest), iss ? rs_known_name(iss) : "",
		    day(rs_known_not_after(latest), d));
}

int rs_pin_judge_value(const struct rs_pin_context *pc, const struct rs_pin_token *t, const char *api, int hint,
		       struct rs_pin_hit *hp, struct rs_buf *msg)
{
	static _Thread_local char hex[65];
	const struct rs_known *k = NULL, *actual = NULL;
	const char *alias = NULL, *documented = NULL, *alg;
	struct rs_pin_hit h;
	int b64 = !strcmp(t->notation, "base64") || !strcmp(t->notation, "pubkey");

	memset(&h, 0, sizeof(h));
	h.at = t->start;
	h.end = t->end;
	if (!t->nbytes) { /* a placeholder written as text, reached through a name */
		if (!api)
			return 0;
		h.rule = "pin-placeholder";
		h.kind = "placeholder";
		h.severity = RS_SEV_WARNING;
		h.confidence = "high";
		h.value = "";
		h.algorithm = "";
		h.api = api;
		rs_buf_addf(msg, "placeholder fed to %s: whatever replaces it is a pin that breaks at the next rotation; "
			    "verify against the roots instead", api);
		h.message = msg->data;
		*hp = h;
		return msg->data ? 1 : -1;
	}
	rs_hex_encode(t->bytes, t->nbytes, hex);
	if (t->nbytes == 20) {
		alg = "sha1";
		if (!(alias = rs_catalog_alias(pc->cat, hex, &documented, &actual)))
			k = rs_catalog_by_sha1(pc->cat, hex);
	} else if (b64 || !(k = rs_catalog_by_sha256(pc->cat, hex))) {
		alg = "spki-sha256";
		if (!(k = rs_catalog_by_spki(pc->cat, hex, NULL)) && !b64)
			alg = "sha256";
	} else {
		alg = "sha256";
	}
	if (!api && pc->store)
		return 0; /* a CA store's comments: "# SHA256 Fingerprint: ..." before each root */
	if (!api && b64 && strcmp(t->notation, "pubkey"))
		api = "sha256/ pin";
	h.kind = b64 ? "spki-pin" : "fingerprint";
	h.value = hex;
	h.algorithm = alg;
	h.api = api ? api : "";
	h.confidence = "high";
	if (alias) {
		h.rule = "pin-alias";
		h.severity = RS_SEV_ERROR;
		h.known = actual;
		rs_buf_addf(msg, "SHA-1 thumbprint documented as \"%s\" is really %s's%s%s: the pin matches a "
			    "certificate nobody meant and no chain Azure serves; remove it and trust the roots",
			    documented ? documented : "another certificate",
			    actual ? rs_known_name(actual) : "another certificate", api ? ", fed to " : "", api ? api : "");
	} else if (k) {
		h.known = k;
		h.rule = rs_known_kind(k) == RS_KIND_ROOT ? "pin-root"
			 : rs_known_kind(k) == RS_KIND_LEAF ? "pin-leaf" : "pin-intermediate";
		rs_buf_addf(msg, "%s of %s %s%s%s: ", alg, kind_word(k), rs_known_name(k), api ? ", fed to " : "",
			    api ? api : "");
		if (!strcmp(alg, "spki-sha256") && rs_known_kind(k) != RS_KIND_ROOT) {
			const struct rs_known *latest = rs_pin_key_latest(pc->cat, k);
			key_latest_words(k, latest, msg);
			k = latest;
		}
		h.severity = rs_pin_judge_known(pc, k, msg);
		if (rs_known_kind(k) == RS_KIND_ROOT && h.severity == RS_SEV_INFO)
			rs_buf_addstr(msg, "; keep the old and the new root in the list during a migration");
		else
			rs_buf_addstr(msg, "; verify against the roots (DigiCert Global Root G2, Microsoft RSA Root CA "
				      "2017) instead of pinning one certificate");
	} else if (api && all_same(t->bytes, t->nbytes)) {
		h.rule = "pin-placeholder";
		h.kind = "placeholder";
		h.severity = RS_SEV_WARNING;
		h.confidence = "medium";
		rs_buf_addf(msg, "placeholder %s fed to %s: whatever replaces it is a pin that breaks at the next "
			    "rotation; verify against the roots instead", alg, api);
	} else if (api) {
		h.rule = "pin-unknown";
		h.severity = RS_SEV_ERROR;
		h.confidence = "medium";
		rs_buf_addf(msg, "unknown %s fed to %s: a pin on one certificate or key (most often the server's), "
			    "which breaks when it is renewed; verify against the roots instead", alg, api);
	} else if (!all_same(t->bytes, t->nbytes) && hint) {
		h.rule = "pin-unknown";
		h.severity = RS_SEV_WARNING;
		h.confidence = "low";
		rs_buf_addf(msg, "unknown %s named like a pin: if it is compared with a certificate or key it breaks "
			    "when that is renewed; verify against the roots instead", alg);
	} else {
		return 0;
	}
	h.message = msg->data;
	*hp = h;
	return msg->data ? 1 : -1;
}

/* A name that says its value is a pin or a digest to compare ("pinned_sha256", "SERVER_FP", "expected_root"). */
static int pinlike_name(const char *ident)
{
	static const char *const words[] = { "pin", "fp", "finger", "thumb", "hash", "sha", "digest", "cert", "expect",
					     "root", "trust", "key" };
	char low[64];
	size_t i;

	for (i = 0; ident[i] && i + 1 < sizeof(low); i++)
		low[i] = (char)tolower((unsigned char)ident[i]);
	low[i] = '\0';
	for (i = 0; i < RS_ARRAY_LEN(words); i++)
		if (strstr(low, words[i]))
			return 1;
	return 0;
}

static int judge_token(const struct ctx *c, const struct rs_pin_token *t)
{
	struct rs_pin_hit h;
	struct rs_buf msg = RS_BUF_INIT;
	const char *api = c->sink->def ? api_in(c, lines_up(c, t->start, 1), line_end(c, t->end)) : feeding_api(c, t);
	int rv;

	if (!api && c->pc->store)
		return 0; /* a CA store's comments */
	if (!api && !c->binary && c->sink->def) {
		struct rs_pin_def d;
		memset(&d, 0, sizeof(d));
		if (assigned_ident(c, t->start, d.ident, sizeof(d.ident))) {
			/* passed by name: pinscan.c joins it with the calls of the tree, and judges it there */
			char hex[65];
			d.tok = *t;
			d.hint = pin_hint(c, t->start);
			rs_hex_encode(t->bytes, t->nbytes, hex);
			if (d.hint || pinlike_name(d.ident) || (t->nbytes == 20 ? rs_catalog_by_sha1(c->cat, hex) != NULL
					: rs_catalog_by_sha256(c->cat, hex) || rs_catalog_by_spki(c->cat, hex, NULL)))
				((struct ctx *)c)->ndefs++; /* worth looking for memcmp and begin( in this file */
			return c->sink->def(c->sink->arg, &d);
		}
	}
	rv = rs_pin_judge_value(c->pc, t, api, !api && pin_hint(c, t->start), &h, &msg);
	if (rv > 0)
		rv = emit(c, &h);
	rs_buf_release(&msg);
	return rv;
}

static int rule_fingerprints(const struct ctx *c)
{
	size_t i;

	for (i = 0; i < c->cands->nhex; i++)
		if (judge_token(c, &c->cands->hex[i]) < 0)
			return -1;
	for (i = 0; i < c->cands->nb64; i++)
		if (judge_token(c, &c->cands->b64[i]) < 0)
			return -1;
	return 0;
}

/* ---- placeholders given to pinning APIs ---- */

static int placeholder_text(const unsigned char *p, size_t n)
{
	static const char *const marks[] = { "xx", "your", "fingerprint", "thumbprint", "todo", "replace", "change",
					     "insert", "<", "...", "here", "fixme" };
	size_t i, k;

	if (n == 0)
		return 1;
	for (i = 0; i < RS_ARRAY_LEN(marks); i++)
		for (k = 0; k + strlen(marks[i]) <= n; k++)
			if (!strncasecmp((const char *)p + k, marks[i], strlen(marks[i])))
				return 1;
	return 0;
}

static int rule_placeholders(const struct ctx *c)
{
	const unsigned char *q, *lit;
	size_t i, j, at, end, n;
	struct rs_pin_hit h;

	for (i = 0; i < c->rs->nplaceholders; i++)
		for (j = 0; j < c->occ[c->rs->wbase[RS_PW_PLACEHOLDER] + i].n; j++) {
			const struct rs_pin_api *a = &c->rs->placeholders[i];
			at = c->occ[c->rs->wbase[RS_PW_PLACEHOLDER] + i].at[j];
			end = line_end(c, at);
			if (a->element) { /* <pin digest="...">TEXT</pin> */
				if (!(lit = find(c, at, end, ">")) || !(q = find(c, (size_t)(lit - c->buf), end, "</")))
					continue;
				lit++;
			} else {
				if (!(lit = find(c, at, end, "\"")))
					continue;
				lit++;
				if (!(q = find(c, (size_t)(lit - c->buf), end, "\"")))
					continue;
			}
			n = (size_t)(q - lit);
			if (!placeholder_text(lit, n) || n > 200)
				continue;
			{ /* a literal given to another call inside the arguments is no pin: json_get(cfg, "fingerprint") */
				const unsigned char *open = memchr(c->buf + at, '(', (size_t)(lit - (c->buf + at)));
				if (open && memchr(open + 1, '(', (size_t)(lit - (open + 1))))
					continue;
			}
			if (a->skip_prefix && n >= strlen(a->skip_prefix) &&
			    !strncmp((const char *)lit, a->skip_prefix, strlen(a->skip_prefix)) &&
			    !placeholder_text(lit + strlen(a->skip_prefix), n - strlen(a->skip_prefix)))
				continue;
			memset(&h, 0, sizeof(h));
			h.rule = "pin-placeholder";
			h.kind = "placeholder";
			h.severity = RS_SEV_WARNING;
			h.confidence = "high";
			h.at = (size_t)(lit - c->buf);
			h.end = (size_t)(q - c->buf);
			h.value = "";
			h.algorithm = "";
			h.api = a->name;
			h.message = "pinning API called with a placeholder: whatever replaces it is a pin that breaks at the "
				    "next rotation; verify against the roots instead";
			if (emit(c, &h) < 0)
				return -1;
		}
	return 0;
}

/* ---- values passed by name: definitions and calls, joined across the tree by pinscan.c ---- */

/* Words that mark a placeholder written as text ("YOUR_FINGERPRINT_HERE"), looked for in one pass. */
static const char *const ph_words[] = { RS_PIN_PH_WORD };

/* A placeholder literal around a placeholder word, assigned to a name: a definition without a digest. */
static int rule_placeholder_defs(const struct ctx *c)
{
	size_t i, j, last = (size_t)-1;

	for (i = 0; i < RS_ARRAY_LEN(ph_words); i++)
		for (j = 0; j < c->occ[c->rs->wbase[RS_PW_PHWORD] + i].n; j++) {
			size_t at = c->occ[c->rs->wbase[RS_PW_PHWORD] + i].at[j], ls = line_start(c, at), le = line_end(c, at), b, e;
			struct rs_pin_def d;
			for (b = at; b > ls && c->buf[b - 1] != '"';)
				b--;
			for (e = at; e < le && c->buf[e] != '"';)
				e++;
			if (b == ls || e == le || b == last || e - b > 100 || !placeholder_text(c->buf + b, e - b))
				continue;
			last = b;
			memset(&d, 0, sizeof(d));
			if (!assigned_ident(c, b - 1, d.ident, sizeof(d.ident)))
				continue;
			d.tok.start = b;
			d.tok.end = e;
			d.tok.notation = "text";
			if (c->sink->def(c->sink->arg, &d) < 0)
				return -1;
		}
	return 0;
}

/*
 * A PEM public key in text (`-----BEGIN PUBLIC KEY-----`, also split over C string literals with "\n" escapes):
 * its SubjectPublicKeyInfo's SHA-256 is an SPKI pin (a known-key API's), identified through the catalog's SPKI
 * hashes; judged like a written digest, through the name it is assigned to when it has one.
 */
static const char *const pubkey_marks[] = { RS_PIN_PUBKEY_MARK };

static int rule_public_keys(const struct ctx *c)
{
	size_t j;

	for (j = 0; j < c->occ[c->rs->wbase[RS_PW_PUBKEY]].n; j++) {
		size_t at = c->occ[c->rs->wbase[RS_PW_PUBKEY]].at[j], p = at + strlen(pubkey_marks[0]), n = 0;
		while (p < c->len && c->buf[p] == '-')
			p++;
		const unsigned char *end = find(c, p, p + 4096, "-----END PUBLIC KEY-----");
		unsigned char b64[4096], der[3200];
		struct rs_pin_token t;
		unsigned int mdlen = 32;
		long dn;
		if (!end)
			continue;
		for (; p < (size_t)(end - c->buf) && n < sizeof(b64); p++) {
			unsigned char ch = c->buf[p];
			if (ch == '\\') { /* "\n", "\r" in a C literal */
				p++;
				continue;
			}
			if (isalnum(ch) || ch == '+' || ch == '/' || ch == '=')
				b64[n++] = ch;
		}
		if (n < 40 || n % 4 || (dn = rs_base64_decode((const char *)b64, n, der)) < 40 || der[0] != 0x30)
			continue;
		memset(&t, 0, sizeof(t));
		t.start = at;
		t.end = (size_t)(end - c->buf) + strlen("-----END PUBLIC KEY-----");
		t.nbytes = 32;
		t.notation = "pubkey"; /* an SPKI pin: looked up by SPKI hash */
		if (!EVP_Digest(der, (size_t)dn, t.bytes, &mdlen, EVP_sha256(), NULL))
			continue;
		if (judge_token(c, &t) < 0)
			return -1;
	}
	return 0;
}

/*
 * The names given as arguments to the pinning APIs (`http.begin(url,\n fp)`, `client->pinFn(FP)`) and to the APIs
 * that install anchors (`client.installAnchors(&ica)`, `.field = ica_pem,`): the rules file's call_apis, trust_apis
 * and common_call_apis.
 */
static int calls_of(const struct ctx *c, const struct rs_pin_api *tab, size_t ntab, const struct occ *occ, int trust);
static int add_occ(void *arg, size_t k, size_t at);

static int prototype(const struct ctx *c, size_t at);

/*
 * Whether the name holding a needle's occurrence at [*s, *e) (n bytes) is the one an entry's "called" says: the
 * name itself ("VendorClient"), or one ending with it ("*_load_file"). [*s, *e) becomes the whole name.
 */
static int called_fits(const struct ctx *c, const char *called, size_t n, size_t *s, size_t *e)
{
	size_t k;

	*e = *s + n;
	while (*s > 0 && word_char(c->buf[*s - 1]))
		(*s)--;
	while (*e < c->len && word_char(c->buf[*e]))
		(*e)++;
	if (*called == '*') {
		k = strlen(++called);
		return k <= *e - *s && !memcmp(c->buf + *e - k, called, k);
	}
	k = strlen(called);
	return k == *e - *s && !memcmp(c->buf + *s, called, k);
}

/*
 * Whether one of the occurrences of needle is not a function's prototype (`int digest_of(const CERT *x,
 * ...);` in a header): a header declaring the APIs calls none of them.
 */
static int used(const struct ctx *c, const char *needle, const char *called, const struct occ *o)
{
	size_t j, n = strlen(needle);

	for (j = 0; j < o->n; j++) {
		size_t s = o->at[j], e = o->at[j] + n;
		if (called && !called_fits(c, called, n, &s, &e))
			continue;
		while (s > 0 && word_char(c->buf[s - 1]))
			s--;
		while (e < c->len && word_char(c->buf[e]))
			e++;
		while (e < c->len && (c->buf[e] == ' ' || c->buf[e] == '\t'))
			e++;
		if (!(e < c->len && c->buf[e] == '(' && prototype(c, s)))
			return 1;
	}
	return 0;
}

static int rule_calls(const struct ctx *c)
{
	const struct rs_pin_ruleset *rs = c->rs;
	size_t i, any = c->ndefs;
	int rv;

	for (i = 0; i < rs->ncalls && !any; i++)
		any = used(c, rs->calls[i].needle, rs->calls[i].called, &c->occ[rs->wbase[RS_PW_API] + i]);
	for (i = 0; i < rs->ntrust && !any; i++)
		any = used(c, rs->trust[i].needle, rs->trust[i].called, &c->occ[rs->wbase[RS_PW_TRUST] + i]);
	for (i = 0; i < rs->ndigest_marks && !any; i++) /* a verify callback: memcmp(md, PIN, 32) after a digest computation */
		any = used(c, rs->digest_marks[i], NULL, &c->occ[rs->wbase[RS_PW_DIGEST] + i]);
	if (calls_of(c, rs->calls, rs->ncalls, c->occ + rs->wbase[RS_PW_API], 0) ||
	    calls_of(c, rs->trust, rs->ntrust, c->occ + rs->wbase[RS_PW_TRUST], 1))
		return -1;
	/* a name file (Python, TypeScript, C#, ...): its calls take names defined in other files of the tree, so its
	 * calls are looked for whatever it defines; the name files' own calls in a pass of their own */
	if (c->name_file && rs->nnamed) {
		struct occ named[RS_PIN_NAMED_MAX];
		memset(named, 0, sizeof(named));
		rv = rs_needles_scan(&rs->named_whole, c->buf, c->len, add_occ, named) < 0 ||
		     calls_of(c, rs->named, rs->nnamed, named, -1);
		for (i = 0; i < RS_PIN_NAMED_MAX; i++)
			free(named[i].at);
		if (rv)
			return -1;
	}
	/* the other text files: the calls whose needles do not fit the one pass (an AT command, a C++ library's
	 * method), in a pass of their own */
	if (!c->name_file && !c->binary && rs->nsource) {
		struct occ source[RS_PIN_SOURCE_MAX];
		memset(source, 0, sizeof(source));
		rv = rs_needles_scan(&rs->source_whole, c->buf, c->len, add_occ, source) < 0 ||
		     calls_of(c, rs->source, rs->nsource, source, -1);
		for (i = 0; i < RS_PIN_SOURCE_MAX; i++)
			free(source[i].at);
		if (rv)
			return -1;
	}
	if (!any && !c->name_file)
		return 0;
	/* a name file reached only as one: the common calls that compare (a comparison's line, or a file that says
	 * what is compared), not the C calls whose arguments are anything (`subtle.check(alg, key, sig)` in a JSON doc) */
	((struct ctx *)c)->compares_only = !any;
	/* the common words: found here, in a pass of their own, into the spare slots of occ[] past the first pass's */
	if (rs->ncommon && rs_needles_scan(&rs->common_whole, c->buf, c->len, add_occ, c->occ + rs->nslots) < 0)
		return -1;
	rv = calls_of(c, rs->common, rs->ncommon, c->occ + rs->wbase[RS_PW_COMMON], 0);
	return rv ? -1 : 0;
}

/*
 * The file an array named ident is initialized from, `ident[] = {\n#include "ca.der.inc"\n};`, as "file:BASE" in
 * out: a certificate kept in an include fragment is installed where the array is. 1 when found.
 */
static int included_file(const struct ctx *c, const char *ident, char *out, size_t size)
{
	const unsigned char *p;
	size_t n = strlen(ident), at, i, e, b;

	for (at = 0; (p = find(c, at, c->len, ident)) != NULL; at = (size_t)(p - c->buf) + n) {
		i = (size_t)(p - c->buf);
		if ((i > 0 && word_char(c->buf[i - 1])) || (i + n < c->len && word_char(c->buf[i + n])))
			continue;
		for (i += n; i < c->len && strchr(" \t[]0123456789", c->buf[i]); i++)
			;
		if (i >= c->len || c->buf[i] != '=')
			continue;
		for (i++; i < c->len && strchr(" \t\r\n", c->buf[i]); i++)
			;
		if (i >= c->len || c->buf[i] != '{')
			continue;
		for (i++; i < c->len && strchr(" \t\r\n", c->buf[i]); i++)
			;
		if (c->len - i < 10 || memcmp(c->buf + i, "#include", 8))
			continue;
		for (i += 8; i < c->len && (c->buf[i] == ' ' || c->buf[i] == '\t'); i++)
			;
		if (i >= c->len || (c->buf[i] != '"' && c->buf[i] != '<'))
			continue;
		for (e = ++i; e < c->len && !strchr("\">\n", c->buf[e]); e++)
			;
		for (b = e; b > i && c->buf[b - 1] != '/';)
			b--;
		if (e >= c->len || e == b || e - b + 6 > size)
			continue;
		memcpy(out, "file:", 5);
		memcpy(out + 5, c->buf + b, e - b);
		out[5 + e - b] = '\0';
		return 1;
	}
	return 0;
}

/* A whole literal that is a SHA-256 in base64 without a prefix (44 characters, one '='). */
static int bare_b64(const unsigned char *s, size_t n, struct rs_pin_token *t)
{
	unsigned char out[48];
	size_t i;

	if (n != 44 || s[43] != '=' || s[42] == '=')
		return 0;
	for (i = 0; i < 43; i++)
		if (rs_base64_value(s[i]) < 0)
			return 0;
	if (rs_base64_decode((const char *)s, 44, out) != 32)
		return 0;
	memset(t, 0, sizeof(*t));
	memcpy(t->bytes, out, 32);
	t->nbytes = 32;
	t->end = n;
	t->notation = "base64";
	return 1;
}

/*
 * A digest written as adjacent string literals, `NAME = "70:3D:...:9F:"\n "98:EA:...:6A";` or a #define continued
 * with backslashes: when ident (a pinning call's argument) is assigned such literals in this buffer, their joined
 * text is tokenized and, when it is one digest, given to the join as ident's definition (at the first literal).
 * A single literal is a token already; a definition in another file written this way is not read.
 */
static int concat_def(const struct ctx *c, const char *ident)
{
	const unsigned char *p;
	size_t n = strlen(ident), at, i;

	for (at = 0; (p = find(c, at, c->len, ident)) != NULL; at = (size_t)(p - c->buf) + n) {
		unsigned char joined[160];
		size_t jn = 0, first = 0, last = 0, nlit = 0, pos = 0;
		struct rs_pin_token t;
		struct rs_pin_def d;
		i = (size_t)(p - c->buf);
		if ((i > 0 && word_char(c->buf[i - 1])) || (i + n < c->len && word_char(c->buf[i + n])))
			continue;
		for (i += n; i < c->len && strchr(" \t[]0123456789", c->buf[i]); i++)
			;
		while (i < c->len && (word_char(c->buf[i]) || c->buf[i] == ' ' || c->buf[i] == '\t')) /* PROGMEM */
			i++;
		if (i < c->len && c->buf[i] == '=')
			i++;
		else if (!(i < c->len && c->buf[i] == '"' && line_start(c, (size_t)(p - c->buf)) + 7 <= (size_t)(p - c->buf) &&
			   find(c, line_start(c, (size_t)(p - c->buf)), (size_t)(p - c->buf), "#define")))
			continue;
		for (;;) {
			size_t e;
			unsigned char q;
			while (i < c->len && strchr(" \t\r\n\\", c->buf[i]))
				i++;
			if (i >= c->len || (c->buf[i] != '"' && c->buf[i] != '\''))
				break;
			q = c->buf[i];
			for (e = i + 1; e < c->len && c->buf[e] != q && c->buf[e] != '\n'; e++)
				;
			if (e >= c->len || c->buf[e] != q || jn + (e - i - 1) > sizeof(joined))
				break;
			if (!nlit++)
				first = i;
			memcpy(joined + jn, c->buf + i + 1, e - i - 1);
			jn += e - i - 1;
			last = e + 1;
			i = e + 1;
		}
		if (nlit == 1 && bare_b64(joined, jn, &t))
			t.start = 0; /* a key pin in bare base64 (`const PIN = 'MfmO...=';`), compared with a hash of a key */
		else if (nlit < 2 || !rs_pin_next_hex(joined, jn, &pos, &t) || t.start != 0 || t.end != jn)
			continue;
		memset(&d, 0, sizeof(d));
		memcpy(d.ident, ident, n + 1);
		d.tok = t;
		d.tok.start = first + 1; /* where the tokenizer starts a token in the first literal */
		d.tok.end = last - 1;
		d.hint = 1;
		return c->sink->def(c->sink->arg, &d);
	}
	return 0;
}

/* Words that are never the name of a value passed to an API. */
static const char *const not_names[] = { "sizeof", "const", "NULL", "nullptr", "true", "false", "char", "uint8_t",
					 "unsigned", "void", "self", "this", "new", "String", "F", "PSTR", "return",
					 "if", "null", "undefined", "string" };

static int not_a_name(const unsigned char *w, size_t n)
{
	size_t k;

	for (k = 0; k < RS_ARRAY_LEN(not_names); k++)
		if (n == strlen(not_names[k]) && !memcmp(w, not_names[k], n))
			return 1;
	return 0;
}

/* Whether the word [q, w) stands alone (no word character on either side). */
static int whole_word(const struct ctx *c, size_t q, size_t w)
{
	return !(q > 0 && word_char(c->buf[q - 1])) && !(w < c->len && word_char(c->buf[w]));
}

/*
 * The name a call's result is given, as C and C++ write it: `TYPE NAME(args)` or `TYPE NAME{args}` right after a
 * needle that is a type (`AnchorList ca(PEM)`: *open is then the '(' of the arguments), or `NAME = [new] [ns::]NEEDLE(`
 * before it (`k = new ns::KeyType(PEM)`). *decl is set for a declaration without arguments (`TYPE *NAME;`,
 * `TYPE NAME = ...`), which is no call. 1 when a name is found.
 */
static int result_name(const struct ctx *c, size_t at, size_t p, char *out, size_t size, size_t *open, int *decl)
{
	size_t i = p, q, w;

	*open = 0;
	*decl = 0;
	if (word_char(c->buf[p - 1]) && i < c->len && strchr(" \t*&", c->buf[i])) {
		while (i < c->len && strchr(" \t*&", c->buf[i]))
			i++;
		for (q = i; i < c->len && word_char(c->buf[i]); i++)
			;
		w = i;
		while (i < c->len && (c->buf[i] == ' ' || c->buf[i] == '\t'))
			i++;
		if (w > q && !isdigit(c->buf[q]) && i < c->len) {
			if ((c->buf[i] == '(' || c->buf[i] == '{') && !not_a_name(c->buf + q, w - q) &&
			    copy_ident(c, q, w, out, size)) {
				*open = i;
				return 1;
			}
			if (strchr(";=),[", c->buf[i]))
				*decl = 1;
		}
	}
	i = at;
	while (i > 0 && (word_char(c->buf[i - 1]) || c->buf[i - 1] == ':')) /* ns:: */
		i--;
	while (i > 0 && (c->buf[i - 1] == ' ' || c->buf[i - 1] == '\t'))
		i--;
	if (i >= 3 && !memcmp(c->buf + i - 3, "new", 3) && (i == 3 || !word_char(c->buf[i - 4]))) {
		for (i -= 3; i > 0 && (c->buf[i - 1] == ' ' || c->buf[i - 1] == '\t');)
			i--;
	}
	if (i < 2 || c->buf[i - 1] != '=' || strchr("=!<>", c->buf[i - 2]))
		return 0;
	for (i--; i > 0 && (c->buf[i - 1] == ' ' || c->buf[i - 1] == '\t');)
		i--;
	for (w = i; i > 0 && word_char(c->buf[i - 1]);)
		i--;
	return copy_ident(c, i, w, out, size);
}

/* Gives sink one call of ident [q, w) (or ident itself, w == 0) by the API name, from `at` to `end`. */
static int give_call(const struct ctx *c, const char *api, int trust, size_t at, size_t end, const char *ident,
		     const char *obj, int alias, int not_pin)
{
	struct rs_pin_call call;

	memset(&call, 0, sizeof(call));
	snprintf(call.ident, sizeof(call.ident), "%s", ident);
	snprintf(call.obj, sizeof(call.obj), "%s", obj ? obj : "");
	call.api = api;
	call.trust = trust;
	call.alias = alias;
	call.not_pin = not_pin;
	call.dir = trust && c->dir_call;
	call.at = at;
	call.end = end;
	return c->sink->call(c->sink->arg, &call);
}

/* Whether the word at q follows a type on its line (`AnchorList ca(`, `Buffer *buf`), not a keyword or an operator. */
static int declared_after_type(const struct ctx *c, size_t q)
{
	static const char *const kw[] = { "return", "else", "case", "new", "delete", "throw", "goto", "sizeof" };
	size_t ls = line_start(c, q), k = q, e, i;

	while (k > ls && strchr(" \t*&", c->buf[k - 1]))
		k--;
	if (k == q || k == ls || !word_char(c->buf[k - 1]))
		return 0;
	for (e = k; k > ls && word_char(c->buf[k - 1]);)
		k--;
	for (i = 0; i < RS_ARRAY_LEN(kw); i++)
		if (e - k == strlen(kw[i]) && !memcmp(c->buf + k, kw[i], e - k))
			return 0;
	return 1;
}

/* 1 when the name at q is the one a `#define` line defines. */
static int define_line(const struct ctx *c, size_t q)
{
	size_t k = line_start(c, q);

	while (k < q && (c->buf[k] == ' ' || c->buf[k] == '\t'))
		k++;
	return q - k > 7 && !memcmp(c->buf + k, "#define", 7);
}

/* i just past a declared name: past the blanks, and unless define, an array's brackets and size (`ca[]`). */
static size_t past_declarator(const struct ctx *c, size_t i, int define)
{
	while (i < c->len && (c->buf[i] == ' ' || c->buf[i] == '\t' || (!define && c->buf[i] == '[') ||
			      (!define && c->buf[i] == ']') || (!define && isdigit(c->buf[i]))))
		i++;
	return i;
}

/*
 * A declaration giving ident the linker symbol of another name, GCC's asm label: `extern const uint8_t
 * ca_start[] asm("_binary_ca_cert_pem_start");` (how ESP-IDF code names a file embedded with EMBED_TXTFILES or
 * target_add_binary_data): the label is a step from ident, so that a call taking ident reaches the embedded file
 * (pinscan.c's embedded_symbol). i is just past ident and its brackets. 0 or -1.
 */
static int asm_label(const struct ctx *c, const char *api, int trust, const char *ident, size_t q, size_t i)
{
	static const char *const kw[] = { "__asm__", "__asm", "asm" };
	size_t k, e, n;

	for (k = 0; k < RS_ARRAY_LEN(kw); k++) {
		n = strlen(kw[k]);
		if (c->len - i > n && !memcmp(c->buf + i, kw[k], n) && !word_char(c->buf[i + n]))
			break;
	}
	if (k == RS_ARRAY_LEN(kw))
		return 0;
	for (i += n; i < c->len && (c->buf[i] == ' ' || c->buf[i] == '\t' || c->buf[i] == '('); i++)
		;
	if (i >= c->len || c->buf[i] != '"')
		return 0;
	for (e = ++i; e < c->len && word_char(c->buf[e]) && e - i < 63; e++)
		;
	if (e == i || e >= c->len || c->buf[e] != '"')
		return 0;
	{
		char id[64];
		if (!copy_ident(c, i, e, id, sizeof(id)) || !strcmp(id, ident))
			return 0;
		if (((struct ctx *)c)->nsteps++ >= MAX_STEPS)
			return 0;
		return give_call(c, api, trust, q, e, id, ident, 2, 0) < 0 ? -1 : 0;
	}
}

/*
 * Python's with statement, `with open(CA_PATH) as f:` (also `async with`), binding the name at q: the expression's
 * bounds in [*from, *to). 1 when the name is bound so.
 */
static int with_as(const struct ctx *c, size_t q, size_t *from, size_t *to)
{
	size_t ls = line_start(c, q), k = q, i = ls;

	while (k > ls && (c->buf[k - 1] == ' ' || c->buf[k - 1] == '\t'))
		k--;
	if (k < ls + 3 || memcmp(c->buf + k - 2, "as", 2) || (k - 2 > ls && word_char(c->buf[k - 3])) ||
	    (k - 2 > ls && c->buf[k - 3] != ' ' && c->buf[k - 3] != ')'))
		return 0;
	while (i < k && (c->buf[i] == ' ' || c->buf[i] == '\t'))
		i++;
	if (k - i > 6 && !memcmp(c->buf + i, "async ", 6))
		i += 6;
	if (k - i < 7 || memcmp(c->buf + i, "with ", 5))
		return 0;
	*from = i + 5;
	*to = k - 2;
	return 1;
}

/*
 * The value the name at q (ending at *from) is given: `X *ident = f(a, b)`, `ident = f(a)`, `TYPE ident(a)`,
 * `#define ident a`, up to the end of the statement: its bounds in [*from, *to). 0 when the name gets no value there.
 */
static int assigned_value(const struct ctx *c, size_t q, int trust, size_t *from, size_t *to)
{
	int define = define_line(c, q);
	size_t i = past_declarator(c, *from, define), e;

	/* a certificate read from a file: `caCert, err := os.ReadFile(caPath)`, `a, b = f(x)` (not for pins: a
	 * comparison's `sum := sha256.Sum256(raw)` names a package, not a value) */
	while (trust && !define && i < c->len && c->buf[i] == ',') {
		for (i++; i < c->len && (c->buf[i] == ' ' || c->buf[i] == '\t' || word_char(c->buf[i]));)
			i++;
	}
	if (trust && !define && i + 1 < c->len && c->buf[i] == ':' && c->buf[i + 1] == '=') /* Go's `x := f(y)` */
		i++;
	if (define)
		;
	else if (i < c->len && c->buf[i] == '=' && i + 1 < c->len && c->buf[i + 1] != '=')
		i++;
	else if (!(i < c->len && c->buf[i] == '(' && declared_after_type(c, q)))
		return 0;
	for (e = i; e < c->len && e - i < 256 && c->buf[e] != ';' && c->buf[e] != '{' &&
		    (c->buf[e] != '\n' || (define && e > 0 && c->buf[e - 1] == '\\'));
	     e++)
		;
	*from = i;
	*to = e;
	return 1;
}

/*
 * Where the name ident gets its value in this buffer, followed back up to depth steps: `X *ident = f(a, b)`,
 * `ident = f(a)`, `TYPE ident(a)`, `#define ident a`: each name among the arguments is an alias step (ident to a),
 * so that `addToStore(store, ca)` after `ca = read_cert(bio, ...)` and `bio =
 * mem_buffer(ca_pem, -1)` reaches ca_pem's definition, wherever it is. Bounded: 4 places, 4 names each,
 * MAX_STEPS a buffer.
 */
/*
 * A name given a module's value, `local ca = require("hub_ca")` (the value in [i, e) of the assignment at q): a step
 * from the name to the file of that module, written in the language of this file ("file:hub_ca.lua"), for the
 * module that returns a certificate (`return [[-----BEGIN ...]]`). 0 or -1.
 */
static int required_module(const struct ctx *c, const char *api, size_t q, size_t i, size_t e)
{
	const unsigned char *p = find(c, i, e, "require");
	const char *ext = strrchr(c->name, '.'), *slash = strrchr(c->name, '/');
	char obj[64], ident[64];
	size_t s, m, b;

	if (!p || !ext || (slash && ext < slash) || strlen(ext) > 8)
		return 0;
	for (s = (size_t)(p - c->buf) + 7; s < e && (c->buf[s] == ' ' || c->buf[s] == '('); s++)
		;
	if (s >= e || (c->buf[s] != '"' && c->buf[s] != '\''))
		return 0;
	for (m = ++s; m < e && (word_char(c->buf[m]) || c->buf[m] == '.' || c->buf[m] == '/'); m++)
		;
	if (m >= e || c->buf[m] != c->buf[s - 1] || m == s)
		return 0;
	for (b = m; b > s && c->buf[b - 1] != '.' && c->buf[b - 1] != '/';)
		b--; /* `require("certs.hub_ca")`: the module's last part */
	{
		size_t n = q;
		while (n < c->len && word_char(c->buf[n]))
			n++;
		if (!copy_ident(c, q, n, obj, sizeof(obj)) || m - b + strlen(ext) + 6 > sizeof(ident))
			return 0;
	}
	snprintf(ident, sizeof(ident), "file:%.*s%s", (int)(m - b), (const char *)c->buf + b, ext);
	return give_call(c, api, 1, q, e, ident, obj, 2, 0);
}

static int trace_name(const struct ctx *c, const char *api, int trust, const char *ident, int depth)
{
	const unsigned char *p;
	size_t n = strlen(ident), from, places = 0;

	if (depth <= 0 || !n || c->nsteps >= MAX_STEPS)
		return 0;
	for (from = 0; places < 4 && (p = find(c, from, c->len, ident)) != NULL; from = (size_t)(p - c->buf) + n) {
		size_t q = (size_t)(p - c->buf), i = q + n, e, w, names = 0;
		if (!whole_word(c, q, i))
			continue;
		if (!define_line(c, q) && asm_label(c, api, trust, ident, q, past_declarator(c, i, 0)) < 0)
			return -1;
		if (!(trust && with_as(c, q, &i, &e)) && !assigned_value(c, q, trust, &i, &e))
			continue;
		places++;
		if (trust && required_module(c, api, q, i, e) < 0)
			return -1;
		for (; i < e && names < 4; i = w) {
			char id[64];
			size_t k;
			for (w = i; w < e && word_char(c->buf[w]); w++)
				;
			if (w == i) {
				w++;
				continue;
			}
			if ((i > 0 && word_char(c->buf[i - 1])) || isdigit(c->buf[i]) || not_a_name(c->buf + i, w - i) ||
			    !copy_ident(c, i, w, id, sizeof(id)) || !strcmp(id, ident))
				continue;
			for (k = w; k < e && (c->buf[k] == ' ' || c->buf[k] == '\t');)
				k++;
			if (k < e && c->buf[k] == '(')
				continue; /* the function called */
			names++;
			if (((struct ctx *)c)->nsteps++ >= MAX_STEPS)
				return 0;
			if (give_call(c, api, trust, q, e, id, ident, 2, 0) < 0 || trace_name(c, api, trust, id, depth - 1) < 0)
				return -1;
		}
	}
	return 0;
}

/*
 * A name given a directory's path as a string, `#define CA_DIR "/etc/gw/trust.d"`, `const char ca_dir[] = "certs/"`
 * (a trust call taking a directory, "dir" in the rules, takes ident): a step from ident to "dir:BASE", the path's last
 * component, which pinscan.c joins with the only certificate file of a directory of that name in the tree. The first
 * such definition of ident in the buffer. 0 or -1.
 */
static int dir_def(const struct ctx *c, const char *ident)
{
	const unsigned char *p;
	size_t n = strlen(ident), from, uses = 0;

	for (from = 0; uses < 8 && (p = find(c, from, c->len, ident)) != NULL; from = (size_t)(p - c->buf) + n) {
		size_t q = (size_t)(p - c->buf), i = q + n, vs, ve, b, s;
		int define = define_line(c, q), suffix = 0;
		char id[64];
		if (!whole_word(c, q, i))
			continue;
		uses++;
		i = past_declarator(c, i, define);
		if (!define && i < c->len && c->buf[i] == '=')
			i = past_declarator(c, i + 1, 1);
		else if (!define)
			continue;
		if (i >= c->len || c->buf[i] != '"')
			continue;
		for (ve = vs = i + 1; ve < c->len && c->buf[ve] != '"' && c->buf[ve] != '\n'; ve++)
			;
		if (ve >= c->len || c->buf[ve] != '"')
			continue;
		while (ve > vs && c->buf[ve - 1] == '/')
			ve--;
		for (b = ve; b > vs && c->buf[b - 1] != '/';)
			b--;
		for (s = 0; s < c->rs->nsuffixes; s++) {
			size_t sl = strlen(c->rs->suffixes[s]);
			suffix |= ve - b > sl && !strncasecmp((const char *)c->buf + ve - sl, c->rs->suffixes[s], sl);
		}
		if (b == ve || suffix || ve - b + 5 > sizeof(id))
			return 0; /* a file (rule_root_files), or no name */
		snprintf(id, sizeof(id), "dir:%.*s", (int)(ve - b), (const char *)c->buf + b);
		return give_call(c, "", 1, vs, ve, id, ident, 1, 0);
	}
	return 0;
}

/*
 * A directory's path written in a call taking a directory (`load_dir(ctx, "/etc/gw/trust.d")`): the call of
 * "dir:BASE", the first literal among its arguments [p, end). 0 or -1.
 */
static int dir_literal(const struct ctx *c, const char *api, size_t at, size_t p, size_t end, const char *obj,
		       int alias)
{
	const unsigned char *q = memchr(c->buf + p, '"', end - p), *e;
	size_t vs, ve, b;
	char id[64];

	if (!q || !(e = memchr(q + 1, '"', (size_t)(c->buf + end - q - 1))))
		return 0;
	vs = (size_t)(q + 1 - c->buf);
	for (ve = (size_t)(e - c->buf); ve > vs && c->buf[ve - 1] == '/';)
		ve--;
	for (b = ve; b > vs && c->buf[b - 1] != '/';)
		b--;
	if (b == ve || memchr(c->buf + b, '\n', ve - b) || ve - b + 5 > sizeof(id))
		return 0;
	snprintf(id, sizeof(id), "dir:%.*s", (int)(ve - b), (const char *)c->buf + b);
	return give_call(c, api, 1, at, end, id, obj, alias, 0);
}

/* A context over one file's bytes for the lookups of a name another file uses (no rules run). */
static void defs_ctx(struct ctx *c, const struct rs_pin_context *pc, const unsigned char *buf, size_t len,
		     const struct rs_pin_sink *sink)
{
	memset(c, 0, sizeof(*c));
	c->cat = pc->cat;
	c->rs = pc->rules ? pc->rules : rs_pin_ruleset_builtin();
	c->pc = pc;
	c->buf = buf;
	c->len = len;
	c->name = "";
	c->digests = -1;
	c->sink = sink;
}

int rs_pin_dir_defs(const struct rs_pin_context *pc, const unsigned char *buf, size_t len, const char *ident,
		    const struct rs_pin_sink *sink)
{
	struct ctx c;

	defs_ctx(&c, pc, buf, len, sink);
	return c.rs && sink->call ? dir_def(&c, ident) : 0;
}

int rs_pin_concat_defs(const struct rs_pin_context *pc, const unsigned char *buf, size_t len, const char *ident,
		       const struct rs_pin_sink *sink)
{
	struct ctx c;

	defs_ctx(&c, pc, buf, len, sink);
	return c.rs && sink->def ? concat_def(&c, ident) : 0;
}

/*
 * Whether the function name at `at` is declared, not called: a type word right before it on its line (`int
 * add_cert(`, `STORE *get_store(`), not a keyword (`return f(`) nor an operator (`ok && f(`, `x = f(`).
 */
static int prototype(const struct ctx *c, size_t at)
{
	static const char *const kw[] = { "return", "else", "case", "new", "delete", "throw", "goto", "sizeof", "do",
					  "await", "yield" };
	size_t ls = line_start(c, at), k = at, e, i;

	while (k > ls && (c->buf[k - 1] == ' ' || c->buf[k - 1] == '\t'))
		k--;
	while (k > ls && c->buf[k - 1] == '*')
		k--;
	while (k > ls && (c->buf[k - 1] == ' ' || c->buf[k - 1] == '\t'))
		k--;
	if (k == ls || !word_char(c->buf[k - 1]))
		return 0;
	for (e = k; k > ls && word_char(c->buf[k - 1]);)
		k--;
	for (i = 0; i < RS_ARRAY_LEN(kw); i++)
		if (e - k == strlen(kw[i]) && !memcmp(c->buf + k, kw[i], e - k))
			return 0;
	return !isdigit(c->buf[k]);
}

/* Whether at is in a comment of its line: after `//` outside a string, or on a line that starts a block comment or
 * continues one (` * text`). */
static int in_comment(const struct ctx *c, size_t at)
{
	size_t i = line_start(c, at);
	int quoted = 0;

	while (i < at && (c->buf[i] == ' ' || c->buf[i] == '\t'))
		i++;
	if (i < at && (c->buf[i] == '*' || (c->buf[i] == '/' && i + 1 < at && c->buf[i + 1] == '*')))
		return 1;
	for (; i + 1 < at; i++) {
		if (c->buf[i] == '\\') {
			i++;
			continue;
		}
		if (c->buf[i] == '"')
			quoted = !quoted;
		else if (!quoted && c->buf[i] == '/' && (c->buf[i + 1] == '/' || c->buf[i + 1] == '*'))
			return 1;
	}
	return 0;
}

static int calls_of(const struct ctx *c, const struct rs_pin_api *tab, size_t ntab, const struct occ *occ, int trust)
{
	size_t i, j;

	for (i = 0; i < ntab; i++) {
		struct rs_pin_api api = tab[i];
		int ctrust = trust < 0 ? tab[i].trust : trust;
		if (!occ[i].n || (c->compares_only && !api.file && api.args != RS_PIN_ARGS_LINE &&
				  api.args != RS_PIN_ARGS_AROUND))
			continue;
		if (api.file && !find(c, 0, c->len, api.file))
			continue; /* the file's condition, once for every occurrence (`!=` is frequent) */
		api.file = NULL;
		((struct ctx *)c)->dir_call = api.dir;
		for (j = 0; j < occ[i].n; j++) {
			size_t at = occ[i].at[j], p = at + strlen(tab[i].needle), end, q, w, open;
			int depth = 0, field, line = tab[i].args == RS_PIN_ARGS_LINE || tab[i].args == RS_PIN_ARGS_AROUND ||
						     tab[i].args == RS_PIN_ARGS_BELOW || tab[i].args == RS_PIN_ARGS_ABOVE,
			    next = tab[i].args == RS_PIN_ARGS_NEXT, lines = tab[i].args == RS_PIN_ARGS_BELOW ? 3 : 0;
			int alias = 0, decl = 0;
			size_t seen[8], nseen = 0, s;
			char obj[64] = "";
			if (tab[i].called) { /* one of the APIs sharing the needle: the whole name says which */
				if (!called_fits(c, tab[i].called, strlen(tab[i].needle), &at, &p))
					continue;
			} else if (at > 0 && word_char(c->buf[at - 1]) && isalnum((unsigned char)tab[i].needle[0])) {
				continue; /* inside a longer word (a needle starting with '_' ends one: `_CAINFO`) */
			} else if (!line && word_char(c->buf[p - 1]) && p < c->len && word_char(c->buf[p])) {
				/* a longer name the needle starts (`parse_der(`): a call of it when '(' follows */
				size_t k = p;
				while (k < c->len && word_char(c->buf[k]))
					k++;
				if (k >= c->len || c->buf[k] != '(')
					continue;
				p = k;
			}
			if (line && p < c->len && word_char(c->buf[p]) && word_char((unsigned char)c->buf[p - 1]))
				continue; /* `.digest` in `.digest256` */
			if (trust < 0 && !c->name_file && in_comment(c, at))
				continue; /* `// uploaded with AT+CCERTDOWN` above the certificate: no call */
			while (tab[i].needle[0] == '_' && at > 0 && word_char(c->buf[at - 1]))
				at--; /* the call is reported from the start of the name the needle ends */
			result_name(c, at, p, obj, sizeof(obj), &open, &decl);
			if (decl)
				continue; /* `KeyType *key;`: a declaration, no call */
			if (p < c->len && c->buf[p] == '(' && !line && prototype(c, at))
				continue; /* `int add_cert(STORE *s, CERT *x);`: a prototype (a header), no call */
			if (!api_fits(c, &api, at)) {
				if (!*obj)
					continue;
				alias = 1; /* `KeyType key(PEM)` in a header: a step for a call in another file */
			}
			if (open)
				p = open;
			if (tab[i].args == RS_PIN_ARGS_AROUND) /* `!PINS.has(hash)`: the names before the needle too */
				p = line_start(c, at);
			if (tab[i].args == RS_PIN_ARGS_ABOVE) { /* `blob.data = CA_PEM;` above `setopt(h, OPT, &blob)` */
				p = lines_up(c, at, 4);
				for (q = p; q < at; q++)
					lines += c->buf[q] == '\n';
			}
			while (p < c->len && (c->buf[p] == ' ' || c->buf[p] == '\t'))
				p++;
			if (next && p < c->len && c->buf[p] == ',') /* `setopt(c, OPTION,\n PIN)`: the argument after */
				for (p++; p < c->len && strchr(" \t\r\n", c->buf[p]);)
					p++;
			field = tab[i].args == RS_PIN_ARGS_VALUE || next ||
				(!line && !(p < c->len && (c->buf[p] == '(' || c->buf[p] == '{')) &&
				 tab[i].needle[strlen(tab[i].needle) - 1] != '(');
			if (!field && !line && p < c->len && (c->buf[p] == '(' || c->buf[p] == '{'))
				p++;
			for (end = p; end < c->len && end - p < (lines || tab[i].args == RS_PIN_ARGS_ABOVE ? 1024 : 512); end++) {
				if (line && c->buf[end] == '\n' && lines-- == 0)
					break; /* `cert.Digest() == PINNED`: the rest of the line (below: and three more) */
				if (line && (c->buf[end] == '(' || c->buf[end] == ')'))
					continue;
				if (c->buf[end] == '(')
					depth++;
				else if ((c->buf[end] == ')' || (open && c->buf[end] == '}')) && depth-- == 0)
					break;
				else if ((c->buf[end] == ';' || c->buf[end] == '{' || c->buf[end] == '}') &&
					 tab[i].args != RS_PIN_ARGS_BELOW && tab[i].args != RS_PIN_ARGS_ABOVE)
					break;
				else if (field && (c->buf[end] == ',' || (c->buf[end] == '\n' && !next)))
					break; /* `.field = ica_pem,`: one value */
			}
			if (ctrust && api.dir && dir_literal(c, tab[i].name, at, p, end, obj, alias) < 0)
				return -1;
			for (q = p; q < end; q = w) {
				struct rs_pin_call call;
				size_t n;
				for (w = q; w < end && word_char(c->buf[w]); w++)
					;
				if (w == q) {
					w++;
					continue;
				}
				if ((q > 0 && word_char(c->buf[q - 1])) || isdigit(c->buf[q]) || w - q >= sizeof(call.ident))
					continue;
				for (n = w; n < end && (c->buf[n] == ' ' || c->buf[n] == '\t');)
					n++;
				if (n < end && c->buf[n] == '(')
					continue; /* a function called inside the arguments */
				if (!line && n + 1 < end && c->buf[n] == '=' && c->buf[n + 1] != '=')
					continue; /* a keyword argument's name: `connect(ca=CA, timeout=5)` */
				if (not_a_name(c->buf + q, w - q))
					continue;
				memset(&call, 0, sizeof(call));
				memcpy(call.ident, c->buf + q, w - q);
				if (tab[i].pin_name && !pinlike_name(call.ident))
					continue;
				for (s = 0; s < nseen; s++) /* `parse(&crt, ca, sizeof(ca))`: one call of ca */
					if (!strncmp((const char *)c->buf + seen[s], (const char *)c->buf + q, w - q) &&
					    !word_char(c->buf[seen[s] + (w - q)]))
						break;
				if (s < nseen)
					continue;
				if (nseen < RS_ARRAY_LEN(seen))
					seen[nseen++] = q;
				if (give_call(c, tab[i].name, ctrust, at, end, call.ident, obj, alias, tab[i].not_pin) < 0)
					return -1;
				if (ctrust && included_file(c, call.ident, call.ident, sizeof(call.ident)) &&
				    give_call(c, tab[i].name, ctrust, at, end, call.ident, obj, alias, tab[i].not_pin) < 0)
					return -1;
				if (!ctrust && concat_def(c, call.ident) < 0)
					return -1;
				if (ctrust && api.dir && dir_def(c, call.ident) < 0)
					return -1;
				if (!alias && (!*obj || ctrust) && trace_name(c, tab[i].name, ctrust, call.ident, 2) < 0)
					return -1;
			}
		}
		((struct ctx *)c)->dir_call = 0;
	}
	return 0;
}

/* ---- name checks ---- */

static const char *const compares[] = { "strcmp", "strncmp", "strstr", "strcasecmp", "strncasecmp", "strcasestr",
					 "memcmp", "==", "!=", "equals", "contains", "Contains", "find(", "indexOf",
					 "StartsWith", "startsWith", "EndsWith", "endsWith" };

static const char *compare_in(const struct ctx *c, size_t from, size_t to)
{
	size_t i;

	for (i = 0; i < RS_ARRAY_LEN(compares); i++)
		if (find(c, from, to, compares[i]))
			return compares[i];
	return NULL;
}

/* The catalog name starting at at (case-insensitive), the longest; NULL when none. */
static const struct rs_known *known_name_at(const struct ctx *c, size_t at)
{
	const struct rs_known *best = NULL;
	size_t pi, ki, bestlen = 0;

	for (pi = 0; pi < rs_catalog_profile_count(c->cat); pi++) {
		const struct rs_profile *p = rs_catalog_profile_at(c->cat, pi);
		for (ki = 0; ki < rs_profile_known_count(p); ki++) {
			const struct rs_known *k = rs_profile_known_at(p, ki);
			const char *name = rs_known_name(k);
			size_t n = strlen(name);
			if (n > bestlen && at + n <= c->len && !strncasecmp((const char *)c->buf + at, name, n) &&
			    (at + n == c->len || !word_char(c->buf[at + n]))) {
				best = k;
				bestlen = n;
			}
		}
	}
	return best;
}

static int name_hit(const struct ctx *c, size_t at, size_t end, const struct rs_known *k, const char *cmp,
		    const char *value)
{
	struct rs_pin_hit h;
	struct rs_buf msg = RS_BUF_INIT;
	int rv;

	memset(&h, 0, sizeof(h));
	h.rule = "name-check";
	h.kind = "name-check";
	h.at = at;
	h.end = end;
	h.value = value;
	h.algorithm = "";
	h.known = k;
	h.api = cmp;
	if (k && rs_known_kind(k) != RS_KIND_ROOT) {
		h.confidence = "high";
		rs_buf_addf(&msg, "%s compares a name with \"%s\", the %s %s: ", cmp, rs_known_name(k), kind_word(k),
			    rs_known_name(k));
		h.severity = rs_pin_judge_known(c->pc, k, &msg);
		rs_buf_addstr(&msg, "; rely on chain verification against the roots instead");
	} else if (k) {
		h.confidence = "high";
		rs_buf_addf(&msg, "%s compares a name with root \"%s\": ", cmp, rs_known_name(k));
		h.severity = rs_pin_judge_known(c->pc, k, &msg);
		if (h.severity == RS_SEV_INFO) { /* a check on a root name fails at the next root migration */
			h.severity = RS_SEV_WARNING;
			rs_buf_addstr(&msg, ", but a name check fails when the device moves to another root");
		}
		rs_buf_addstr(&msg, "; rely on chain verification instead");
	} else {
		h.severity = RS_SEV_WARNING;
		h.confidence = "medium";
		rs_buf_addf(&msg, "%s compares a certificate name with a string: names change when CAs rotate; rely "
			    "on chain verification and host name checks instead", cmp);
	}
	if (!msg.data)
		return -1;
	h.message = msg.data;
	rv = emit(c, &h);
	rs_buf_release(&msg);
	return rv;
}

/* Catalog names in string literals on a line that compares (found by the rules file's name_prefixes). */
static int rule_catalog_names(const struct ctx *c, size_t *last_line)
{
	const struct rs_known *k;
	const char *cmp;
	size_t i, j, at;

	for (i = 0; i < c->rs->nname_prefixes; i++)
		for (j = 0; j < c->occ[c->rs->wbase[RS_PW_NAME] + i].n; j++) {
			size_t ls;
			at = c->occ[c->rs->wbase[RS_PW_NAME] + i].at[j];
			if (at == 0 || (c->buf[at - 1] != '"' && c->buf[at - 1] != '=' && c->buf[at - 1] != '\''))
				continue; /* a literal, or CN=Microsoft ... */
			if (!(k = known_name_at(c, at)))
				continue;
			ls = line_start(c, at);
			if (!(cmp = compare_in(c, ls, line_end(c, at))))
				continue;
			*last_line = ls;
			if (name_hit(c, at, at + strlen(rs_known_name(k)), k, cmp, rs_known_name(k)) < 0)
				return -1;
		}
	return 0;
}

/* Names from the name getters (the rules file's name_getters) compared with a literal within the next lines. */
static int rule_name_getters(const struct ctx *c, size_t skip_line)
{
	static const char *const cmps[] = { "strcmp(", "strncmp(", "strstr(", "strcasecmp(", "strncasecmp(",
					    "strcasestr(", "memcmp(", ".equals(", ".contains(", ".startsWith(" };
	static const char *const labels[] = { "strcmp", "strncmp", "strstr", "strcasecmp", "strncasecmp",
					      "strcasestr", "memcmp", "equals", "contains", "startsWith" };
	const unsigned char *q;
	size_t i, j, g, at, last = (size_t)-1;

	for (i = 0; i < c->rs->ngetters; i++)
		for (g = 0; g < c->occ[c->rs->wbase[RS_PW_GETTER] + i].n; g++) {
			size_t end;
			at = c->occ[c->rs->wbase[RS_PW_GETTER] + i].at[g];
			end = lines_down(c, at, 15);
			for (j = 0; j < RS_ARRAY_LEN(cmps); j++) {
				size_t f = at;
				while ((q = find(c, f, end, cmps[j])) != NULL) {
					size_t qa = (size_t)(q - c->buf), ls = line_start(c, qa), le = line_end(c, qa);
					const unsigned char *lit = find(c, qa, le, "\"");
					f = le;
					if (!lit || ls == last || ls == skip_line)
						continue;
					last = ls;
					{
						const unsigned char *lend = find(c, (size_t)(lit - c->buf) + 1, le, "\"");
						size_t n = lend ? (size_t)(lend - lit) - 1 : 0;
						char value[128];
						const struct rs_known *k = known_name_at(c, (size_t)(lit - c->buf) + 1);
						snprintf(value, sizeof(value), "%.*s", (int)(n < 120 ? n : 120), (const char *)lit + 1);
						if (name_hit(c, qa, le, k, labels[j], value) < 0)
							return -1;
					}
				}
			}
		}
	return 0;
}

/* ---- verification off ---- */

/* Whether one of o's line_has words is on the line (or o has none). */
static int line_has(const struct ctx *c, size_t ls, size_t le, const struct rs_pin_api *o)
{
	size_t k;

	for (k = 0; k < RS_ARRAY_LEN(o->line_has) && o->line_has[k]; k++)
		if (find(c, ls, le, o->line_has[k]))
			return 1;
	return k == 0;
}

/* Whether the use at [at, at+n) is a use, not a definition, a comparison or a mention in a comment. */
static int is_use(const struct ctx *c, size_t at, size_t n, const struct rs_pin_api *o)
{
	size_t ls = line_start(c, at), le = line_end(c, at), i = at + n;
	const unsigned char *s = c->buf + ls;

	while (s < c->buf + at && (*s == ' ' || *s == '\t'))
		s++;
	if (*s == '#' && c->buf + at - s >= 7 && !strncmp((const char *)s, "#define", 7))
		return 0;
	if ((*s == '/' && s + 1 < c->buf + c->len && (s[1] == '/' || s[1] == '*')) || *s == '*')
		return 0; /* a comment line */
	if (at > 0 && word_char(c->buf[at - 1]) && !o->key_word && o->needle[0] != '-')
		return 0;
	if (o->not_after && at >= strlen(o->not_after) &&
	    !strncmp((const char *)c->buf + at - strlen(o->not_after), o->not_after, strlen(o->not_after)))
		return 0;
	if (i < le && word_char(c->buf[i]) && !o->key_word)
		return 0;
	if (!*o->after) {
		if (find(c, at, le, "==") || find(c, at, le, "!=") || find(c, ls, at, "==") || find(c, ls, at, "case "))
			return 0;
		if (o->call)
			return i < le && c->buf[i] == '(';
		return line_has(c, ls, le, o);
	}
	if (!line_has(c, ls, le, o))
		return 0;
	if (o->key_word) { /* a key naming TLS: ssl_verify: false, verify_ssl = 0 ... */
		size_t w = at;
		while (w > ls && word_char(c->buf[w - 1]))
			w--;
		while (i < le && word_char(c->buf[i]))
			i++;
		if (i - w > 24)
			return 0;
		if (i - w != 6 && !find_ci(c, w, i, "ssl") && !find_ci(c, w, i, "tls") && !find_ci(c, w, i, "peer") &&
		    !find_ci(c, w, i, "cert"))
			return 0;
	}
	while (i < le && strchr(" \t,=:(\"'", c->buf[i]))
		i++;
	if (i + strlen(o->after) > le || strncasecmp((const char *)c->buf + i, o->after, strlen(o->after)))
		return 0;
	i += strlen(o->after);
	return i >= le || !isalnum(c->buf[i]) || (c->buf[i] == 'L' && (i + 1 >= le || !isalnum(c->buf[i + 1])));
}

static int rule_verify_off(const struct ctx *c)
{
	size_t i, j, at;
	struct rs_pin_hit h;
	char msg[256];

	for (i = 0; i < c->rs->noffs; i++) {
		const struct rs_pin_api *o = &c->rs->offs[i];
		for (j = 0; j < c->occ[c->rs->wbase[RS_PW_OFF] + i].n; j++) {
			at = c->occ[c->rs->wbase[RS_PW_OFF] + i].at[j];
			if (!is_use(c, at, strlen(o->needle), o))
				continue;
			memset(&h, 0, sizeof(h));
			h.rule = "verify-disabled";
			h.kind = "verify-off";
			h.severity = RS_SEV_ERROR;
			h.confidence = o->confidence;
			h.at = at;
			h.end = line_end(c, at);
			h.value = "";
			h.algorithm = "";
			h.api = o->name;
			snprintf(msg, sizeof(msg), "%s turns certificate verification off: any server is accepted and a "
				 "migration test proves nothing; verify against a store with the old and the new roots",
				 o->name);
			h.message = msg;
			if (emit(c, &h) < 0)
				return -1;
		}
	}
	return 0;
}

/* ---- configuration naming one root file ---- */

static void compact(const char *in, size_t n, char *out, size_t size)
{
	size_t i, o = 0;

	for (i = 0; i < n && in[i] && o + 1 < size; i++)
		if (isalnum((unsigned char)in[i]))
			out[o++] = (char)tolower((unsigned char)in[i]);
	out[o] = '\0';
}

/* The catalog certificate whose name the file's base name spells, or NULL. */
static const struct rs_known *known_file(const struct rs_catalog *cat, const char *base)
{
	char b[256], n[256];
	size_t pi, ki;

	compact(base, strlen(base), b, sizeof(b));
	for (pi = 0; pi < rs_catalog_profile_count(cat); pi++) {
		const struct rs_profile *p = rs_catalog_profile_at(cat, pi);
		for (ki = 0; ki < rs_profile_known_count(p); ki++) {
			const struct rs_known *k = rs_profile_known_at(p, ki);
			compact(rs_known_name(k), strlen(rs_known_name(k)), n, sizeof(n));
			if (*n && strstr(b, n))
				return k;
		}
	}
	return NULL;
}

static int root_file_hit(const struct ctx *c, size_t vs, size_t ve, const char *key)
{
	char path[256], msg[512];
	const char *base;
	const struct rs_known *k;
	struct rs_pin_hit h;
	char low[256];

	snprintf(path, sizeof(path), "%.*s", (int)(ve - vs), (const char *)c->buf + vs);
	base = strrchr(path, '/');
	base = base ? base + 1 : path;
	compact(base, strlen(base), low, sizeof(low));
	if (strstr(low, "bundle") || strstr(low, "cacertificates") || strstr(low, "certifi") || strstr(low, "roots") ||
	    strstr(low, "chain") || !strcmp(low, "cacertpem"))
		return 0;
	k = known_file(c->cat, base);
	if (!k && !strstr(low, "root"))
		return 0;
	memset(&h, 0, sizeof(h));
	h.rule = "single-root-file";
	h.kind = "root-file";
	h.at = vs;
	h.end = ve;
	h.value = path;
	h.algorithm = "";
	h.known = k;
	h.api = key;
	h.confidence = k ? "high" : "low";
	if (k && (rs_known_kind(k) != RS_KIND_ROOT || !strcmp(rs_known_role(k), "old"))) {
		h.severity = RS_SEV_ERROR;
		snprintf(msg, sizeof(msg), "%s names one file, %s (%s %s): Azure IoT no longer serves a chain to it; "
			 "point it at a bundle with DigiCert Global Root G2 and Microsoft RSA Root CA 2017", key, base,
			 rs_known_kind(k) == RS_KIND_ROOT ? "the old root" : kind_word(k), rs_known_name(k));
	} else {
		h.severity = RS_SEV_WARNING;
		snprintf(msg, sizeof(msg), "%s names one root file, %s%s%s: it breaks at the next root migration; point "
			 "it at a bundle with the old and the new roots", key, base, k ? ", " : "", k ? rs_known_name(k) : "");
	}
	h.message = msg;
	return emit(c, &h);
}

/*
 * A certificate file named by a CA-file setting (`cafile=`, `verify=`, a load-locations call): a call that
 * pinscan.c joins with the file of that name in the tree when it holds one intermediate or leaf (its only
 * certificate), so the sole anchor is reported where the code installs it.
 */
static int file_call(const struct ctx *c, size_t vs, size_t ve, const struct rs_pin_api *key)
{
	struct rs_pin_call call;
	size_t b = ve;

	if (!c->sink->call || c->binary || c->pc->store)
		return 0;
	while (b > vs && c->buf[b - 1] != '/' && c->buf[b - 1] != '\\')
		b--;
	if (ve - b + 5 >= sizeof(call.ident))
		return 0;
	memset(&call, 0, sizeof(call));
	memcpy(call.ident, "file:", 5);
	memcpy(call.ident + 5, c->buf + b, ve - b);
	call.api = key->name ? key->name : key->needle;
	call.trust = 1;
	if (!assigned_ident(c, vs, call.obj, sizeof(call.obj))) /* `#define CA_FILE "/etc/x/ca.pem"` */
		call.obj[0] = '\0';
	call.at = vs;
	call.end = ve;
	return c->sink->call(c->sink->arg, &call);
}

/*
 * A certificate file's path given a name in C, `#define GW_CA_STORE "/usr/share/gw/ca.crt"`, `const char ca_path[]
 * = "certs/ca.pem"`, on a line naming no CA-file setting: a step from the name to the file ("file:ca.crt"), for a
 * trust call of the tree taking the name; never reported itself. 0 or -1.
 */
static int path_step(const struct ctx *c, size_t vs, size_t ve)
{
	char obj[64], ident[64];
	size_t b = ve;

	if (!c->sink->call || c->binary || c->pc->store || c->name_file || !assigned_ident(c, vs, obj, sizeof(obj)))
		return 0;
	while (b > vs && c->buf[b - 1] != '/' && c->buf[b - 1] != '\\')
		b--;
	if (ve - b + 6 > sizeof(ident))
		return 0;
	snprintf(ident, sizeof(ident), "file:%.*s", (int)(ve - b), (const char *)c->buf + b);
	return give_call(c, "", 1, vs, ve, ident, obj, 1, 0);
}

/*
 * An array initialized from an included certificate, `NAME[] = {\n#include "ca.der.inc"\n};` (the include's file
 * name at [vs, ve) on the line at ls): a step from NAME to the file, for a call of NAME in any file of the tree (the
 * array in ca_certificate.h, the call in main.c). 0 or -1.
 */
static int include_step(const struct ctx *c, size_t ls, size_t vs, size_t ve)
{
	size_t i = ls, b = ve;
	char obj[64], ident[64];

	if (!c->sink->call || c->binary || c->pc->store)
		return 0;
	while (i < vs && (c->buf[i] == ' ' || c->buf[i] == '\t'))
		i++;
	if (vs - i < 9 || memcmp(c->buf + i, "#include", 8))
		return 0;
	for (i = ls; i > 0 && strchr(" \t\r\n", c->buf[i - 1]);)
		i--;
	if (i == 0 || c->buf[i - 1] != '{' || !assigned_ident(c, i - 1, obj, sizeof(obj)))
		return 0;
	while (b > vs && c->buf[b - 1] != '/')
		b--;
	if (ve - b + 6 > sizeof(ident))
		return 0;
	snprintf(ident, sizeof(ident), "file:%.*s", (int)(ve - b), (const char *)c->buf + b);
	return give_call(c, "", 1, vs, ve, ident, obj, 1, 0);
}

/*
 * A certificate file's path given a name, `HUB_CA_CERT = "certs/ica.pem"` (Python, TypeScript, INI, ...), or a
 * directive naming a file for the declaration on the next line (`//go:embed certs/ca.pem` then `var caPEM []byte`:
 * the rules' file_directives): a definition whose value is that file ("file:ica.pem"), for the trust APIs that take
 * the name (`session.trustFile = HUB_CA_CERT`, `pool.addPEM(caPEM)`).
 */
static int path_def(const struct ctx *c, size_t vs, size_t ve)
{
	struct rs_pin_def d;
	size_t b = ve, ls = line_start(c, vs), i, k, e;

	if (!c->sink->def || c->binary || c->pc->store || !c->name_file)
		return 0; /* C keeps certificates in memory (trust_apis), not in files named by constants */
	while (b > vs && c->buf[b - 1] != '/' && c->buf[b - 1] != '\\')
		b--;
	if (ve - b + 5 >= sizeof(d.file))
		return 0;
	memset(&d, 0, sizeof(d));
	for (i = ls; i < vs && (c->buf[i] == ' ' || c->buf[i] == '\t'); i++)
		;
	for (k = 0; k < c->rs->nfile_directives; k++) {
		size_t n = strlen(c->rs->file_directives[k]);
		if (vs - i > n && !memcmp(c->buf + i, c->rs->file_directives[k], n))
			break;
	}
	if (k < c->rs->nfile_directives) { /* the name declared on the next line: the last word before a type or '=' */
		size_t le = line_end(c, vs), ne;
		if (le >= c->len)
			return 0;
		ne = line_end(c, le + 1);
		for (i = le + 1; i < ne && !word_char(c->buf[i]); i++)
			;
		for (e = i; e < ne && word_char(c->buf[e]); e++)
			;
		if (e < ne && c->buf[e] == ' ') { /* `var name []byte`: the keyword, then the name */
			for (i = e; i < ne && c->buf[i] == ' '; i++)
				;
			for (e = i; e < ne && word_char(c->buf[e]); e++)
				;
		}
		if (!copy_ident(c, i, e, d.ident, sizeof(d.ident)))
			return 0;
	} else if (!assigned_ident(c, vs, d.ident, sizeof(d.ident))) {
		return 0;
	}
	memcpy(d.file, "file:", 5);
	memcpy(d.file + 5, c->buf + b, ve - b);
	d.tok.start = vs;
	d.tok.end = ve;
	d.tok.notation = "path";
	return c->sink->def(c->sink->arg, &d);
}

/*
 * The CA-file setting that names the value starting at vs on the line starting at ls: the longest of the rules'
 * ca_file_keys written on the line before the value (`bridge_cafile` rather than `cafile`, `--cacert` rather than
 * `cacert`), so that JSON "api" names the setting as written; a key marked "word" only where no letter or digit
 * precedes it (`"ca"`, `ca:`, not `replica:`). NULL for none.
 */
static const struct rs_pin_api *ca_file_key(const struct ctx *c, size_t ls, size_t vs)
{
	const struct rs_pin_api *best = NULL;
	size_t j, n, blen = 0;

	for (j = 0; j < c->rs->nkeys; j++) {
		const struct rs_pin_api *k = &c->rs->keys[j];
		const unsigned char *m;
		size_t from = ls;
		n = strlen(k->needle);
		if (n <= blen)
			continue;
		while ((m = find_ci(c, from, vs, k->needle)) && k->word && m > c->buf + ls && isalnum(m[-1]))
			from = (size_t)(m - c->buf) + 1;
		if (m) {
			best = k;
			blen = n;
		}
	}
	return best;
}

#define SUFFIXES_MAX RS_PIN_SUFFIXES_MAX

static int rule_root_files(const struct ctx *c)
{
	const struct occ *o = &c->occ[c->rs->wbase[RS_PW_ROOT]];
	size_t at, next[SUFFIXES_MAX] = { 0 }, ns = c->rs->nsuffixes < SUFFIXES_MAX ? c->rs->nsuffixes : SUFFIXES_MAX;

	/* .pem, .crt, .cer and .der in the order they occur (never two at one place) */
	for (;;) {
		size_t ve, vs, ls, s, first = ns;
		const struct rs_pin_api *key;
		for (s = 0; s < ns; s++)
			if (next[s] < o[s].n && (first == ns || o[s].at[next[s]] < o[first].at[next[first]]))
				first = s;
		if (first == ns)
			break;
		at = o[first].at[next[first]++];
		ve = at + strlen(c->rs->suffixes[first]);
		while (ve < c->len && (c->buf[ve] == '.' || isalnum(c->buf[ve]))) /* x.crt.pem */
			ve++;
		if (ve < c->len && (c->buf[ve] == '_' || c->buf[ve] == '/'))
			continue;
		ls = line_start(c, at);
		for (vs = at; vs > ls && !strchr(" \t\"'=:,(<>", c->buf[vs - 1]);)
			vs--;
		if (include_step(c, ls, vs, ve) < 0)
			return -1;
		key = ca_file_key(c, ls, vs);
		if (vs == at)
			continue;
		if (path_def(c, vs, ve) < 0)
			return -1;
		if (!key) {
			if (path_step(c, vs, ve) < 0)
				return -1;
			continue;
		}
		if (key->adds) /* NODE_EXTRA_CA_CERTS: beside the built-in roots, never the only anchor */
			continue;
		if (file_call(c, vs, ve, key) < 0 || root_file_hit(c, vs, ve, key->needle) < 0)
			return -1;
	}
	return 0;
}

/*
 * A CA directory setting in a name file or a script (`#!` first: `mosquitto_pub --capath DIR`) (the ca_file_keys
 * marked "dir": mosquitto's `bridge_capath /etc/mosquitto/ca_certificates`, `caPath: ...`): a trust call of "dir:BASE" (the directory's last component),
 * which pinscan.c joins with the only certificate file of a directory of that name in the tree, when it holds one
 * intermediate or leaf, or the old root alone. A value with a CA-file suffix is a file (rule_root_files).
 */
/* Whether a longer "dir" key than k ends at e too (`bridge_capath`, not `caPath` in it). */
static int longer_dir_key(const struct ctx *c, const struct rs_pin_api *k, size_t e)
{
	size_t j, n;

	for (j = 0; j < c->rs->nkeys; j++)
		if (c->rs->keys[j].dir && (n = strlen(c->rs->keys[j].needle)) > strlen(k->needle) && n <= e &&
		    !strncasecmp((const char *)c->buf + e - n, c->rs->keys[j].needle, n))
			return 1;
	return 0;
}

static int rule_ca_dirs(const struct ctx *c)
{
	size_t j;
	int script = !c->binary && c->len > 2 && c->buf[0] == '#' && c->buf[1] == '!'; /* `mosquitto_pub --capath DIR` */

	if (!(c->name_file || script) || !c->sink->call || c->pc->store)
		return 0;
	for (j = 0; j < c->rs->nkeys; j++) {
		const struct rs_pin_api *k = &c->rs->keys[j];
		const unsigned char *m;
		size_t from = 0, n = strlen(k->needle);
		if (!k->dir)
			continue;
		while ((m = find_ci(c, from, c->len, k->needle)) != NULL) {
			size_t at = (size_t)(m - c->buf), vs = at + n, ve, b, s;
			struct rs_pin_call call;
			int suffix = 0;
			from = vs;
			if ((at > 0 && isalnum(c->buf[at - 1])) || (vs < c->len && word_char(c->buf[vs])) ||
			    longer_dir_key(c, k, vs))
				continue;
			while (vs < c->len && strchr(" \t\"'=:", c->buf[vs]))
				vs++;
			for (ve = vs; ve < c->len && !strchr(" \t\r\n\"',;)", c->buf[ve]);)
				ve++;
			while (ve > vs && c->buf[ve - 1] == '/')
				ve--;
			for (b = ve; b > vs && c->buf[b - 1] != '/';)
				b--;
			for (s = 0; s < c->rs->nsuffixes; s++) {
				size_t sl = strlen(c->rs->suffixes[s]);
				suffix |= ve - b > sl && !strncasecmp((const char *)c->buf + ve - sl, c->rs->suffixes[s], sl);
			}
			if (b == ve || suffix || ve - b + 4 >= sizeof(call.ident))
				continue;
			memset(&call, 0, sizeof(call));
			memcpy(call.ident, "dir:", 4);
			memcpy(call.ident + 4, c->buf + b, ve - b);
			call.api = k->name ? k->name : k->needle;
			call.trust = 1;
			call.at = vs;
			call.end = ve;
			if (c->sink->call(c->sink->arg, &call) < 0)
				return -1;
		}
	}
	return 0;
}

/* ---- all of them ---- */

static int computes_digests(const struct ctx *c)
{
	const unsigned char *buf = c->buf;
	const char *const *d = c->rs->digest_fns;
	size_t i, len = c->len;

	for (i = 0; i < c->rs->ndigest_marks; i++)
		if (c->occ[c->rs->wbase[RS_PW_DIGEST] + i].n)
			return 1;
	for (i = 0; i < c->rs->ndigest_fns; i++)
		if (rs_pin_find(buf, len, d[i], strlen(d[i])))
			return 1;
	return 0;
}

/* ---- names in the languages whose constants live in other files ---- */

/* Whether name (a path) ends in one of the rules' name_files suffixes (".py", ".ts", ".properties", ...). */
static int name_file(const struct rs_pin_ruleset *rs, const char *name)
{
	size_t n = strlen(name), i, k;

	for (i = 0; i < rs->nname_files; i++) {
		k = strlen(rs->name_files[i]);
		if (n > k && !strcmp(name + n - k, rs->name_files[i]))
			return 1;
	}
	return 0;
}

/*
 * Key pins in bare base64 assigned to a name in a name file: `export const PIN = 'i7WT...=';` (TypeScript),
 * `rootKeyPin = "Y9mv...="` (Go), `"spki": "..."` (JSON), `pin: ...=` (YAML): 44 base64 characters ending in one
 * '=' that decode to 32 bytes, the whole value. They are definitions the calls of the tree may take (a comparison
 * with a hash of a certificate's key); one no call takes is reported only when the catalog knows its key.
 */
static int b64_char(unsigned char ch)
{
	return isalnum(ch) || ch == '+' || ch == '/';
}

static int rule_key_pin_defs(const struct ctx *c)
{
	const unsigned char *p;
	size_t at = 43;

	if (!c->name_file)
		return 0;
	while (at < c->len && (p = memchr(c->buf + at, '=', c->len - at)) != NULL) {
		size_t e = (size_t)(p - c->buf), b = e - 43;
		struct rs_pin_def d;
		struct rs_pin_token t;
		at = e + 1;
		if (e < 43 || (e + 1 < c->len && (c->buf[e + 1] == '=' || b64_char(c->buf[e + 1]))) ||
		    (b > 0 && (b64_char(c->buf[b - 1]) || c->buf[b - 1] == '/' || c->buf[b - 1] == '=')) ||
		    !bare_b64(c->buf + b, 44, &t))
			continue;
		memset(&d, 0, sizeof(d));
		if (!assigned_ident(c, b, d.ident, sizeof(d.ident)))
			continue;
		d.tok = t;
		d.tok.start = b;
		d.tok.end = e + 1;
		d.keyonly = 1;
		if (c->sink->def(c->sink->arg, &d) < 0)
			return -1;
	}
	return 0;
}

/* ---- the needles every buffer is searched for, all in one pass ---- */

static int add_occ(void *arg, size_t k, size_t at)
{
	struct occ *o = &((struct occ *)arg)[k];

	if (o->n == o->cap) {
		size_t cap = o->cap ? o->cap * 2 : 8;
		size_t *v = realloc(o->at, cap * sizeof(*v));
		if (!v)
			return -1;
		o->at = v;
		o->cap = cap;
	}
	o->at[o->n++] = at;
	return 0;
}

/* ---- candidates, found chunk by chunk (in parallel for a large file), then judged ---- */


struct rs_pin_cands *rs_pin_cands_new(void)
{
	return calloc(1, sizeof(struct rs_pin_cands));
}

void rs_pin_cands_free(struct rs_pin_cands *cd)
{
	size_t i;

	if (!cd)
		return;
	for (i = 0; i < RS_ARRAY_LEN(cd->occ); i++)
		free(cd->occ[i].at);
	free(cd->hex);
	free(cd->b64);
	free(cd);
}

static int add_token(struct rs_pin_token **v, size_t *n, size_t *cap, const struct rs_pin_token *t)
{
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 16;
		struct rs_pin_token *nv = realloc(*v, c * sizeof(*nv));
		if (!nv)
			return -1;
		*v = nv;
		*cap = c;
	}
	(*v)[(*n)++] = *t;
	return 0;
}

/* A chunk's needle pass: positions relative to the chunk's start, kept when they start before its end. */
struct chunk_occ {
	struct occ *occ;
	size_t from, to;
	const struct rs_pin_ruleset *rs;
};

static int add_chunk_occ(void *arg, size_t k, size_t at)
{
	struct chunk_occ *co = arg;

	size_t slot;

	if (co->from + at >= co->to)
		return 0;
	for (slot = co->rs->first_slot[k]; slot != RS_PIN_NO_SLOT; slot = co->rs->next_slot[slot])
		if (add_occ(co->occ, slot, co->from + at) < 0)
			return -1;
	return 0;
}

int rs_pin_collect(const struct rs_pin_context *pc, const unsigned char *buf, size_t len, size_t from, size_t to,
		   int binary, struct rs_pin_cands *cd)
{
	const struct rs_pin_ruleset *rs = pc->rules ? pc->rules : rs_pin_ruleset_builtin();
	struct chunk_occ co = { cd->occ, from, to, NULL };
	struct rs_pin_token t;
	size_t pos, end, k, longest = 0;

	if (!rs)
		return -1;
	co.rs = rs;
	for (k = 0; k < rs->whole.n; k++)
		longest = rs->whole.len[k] > longest ? rs->whole.len[k] : longest;
	/* needles starting before `to` are read whole: the pass runs on into the next chunk by one needle */
	end = to + longest - 1 < len ? to + longest - 1 : len;
	if (rs_needles_scan(&rs->whole, buf + from, end - from, add_chunk_occ, &co) < 0)
		return -1;
	/* digests: `from` and `to` are 0, len or cut points (rs_pin_cut), where the tokenizers' steps meet */
	for (pos = from; rs_pin_next_hex_in(buf, to, &pos, &t, binary);)
		if (add_token(&cd->hex, &cd->nhex, &cd->caphex, &t) < 0)
			return -1;
	for (pos = from; rs_pin_next_b64_in(buf, to, &pos, &t, binary);)
		if (add_token(&cd->b64, &cd->nb64, &cd->capb64, &t) < 0)
			return -1;
	return 0;
}

int rs_pin_cands_append(struct rs_pin_cands *to, struct rs_pin_cands *from)
{
	size_t k, i;

	for (k = 0; k < RS_ARRAY_LEN(from->occ); k++)
		for (i = 0; i < from->occ[k].n; i++)
			if (add_occ(to->occ, k, from->occ[k].at[i]) < 0)
				return -1;
	for (i = 0; i < from->nhex; i++)
		if (add_token(&to->hex, &to->nhex, &to->caphex, &from->hex[i]) < 0)
			return -1;
	for (i = 0; i < from->nb64; i++)
		if (add_token(&to->b64, &to->nb64, &to->capb64, &from->b64[i]) < 0)
			return -1;
	return 0;
}

int rs_pin_rules_judge(const struct rs_pin_context *pc, const unsigned char *buf, size_t len, const char *name,
		       int binary, const struct rs_pin_sink *sink, struct rs_pin_cands *cd)
{
	const struct rs_pin_ruleset *rs = pc->rules ? pc->rules : rs_pin_ruleset_builtin();
	struct ctx c = { pc->cat, rs, pc, buf, len, name ? name : "", binary, 0, -1, sink, cd->occ, 0, cd, 0, 0, 0, 0 };
	size_t name_line = (size_t)-1;

	if (!rs)
		return -1;

	c.lockfile = is_lockfile(c.name);
	c.name_file = !binary && name_file(rs, c.name);
	if (rule_fingerprints(&c) || rule_placeholders(&c) || rule_catalog_names(&c, &name_line) ||
	    rule_name_getters(&c, name_line) || rule_verify_off(&c) || rule_root_files(&c) ||
	    rule_ca_dirs(&c))
		return -1;
	if (!binary && !pc->store && sink->def && sink->call &&
	    (rule_placeholder_defs(&c) || rule_key_pin_defs(&c) || rule_calls(&c) || rule_public_keys(&c)))
		return -1;
	return 0;
}

int rs_pin_rules_text(const struct rs_pin_context *pc, const unsigned char *buf, size_t len, const char *name,
		      int binary, const struct rs_pin_sink *sink)
{
	struct rs_pin_cands *cd = rs_pin_cands_new();
	int rv = -1;

	if (cd && rs_pin_collect(pc, buf, len, 0, len, binary, cd) == 0)
		rv = rs_pin_rules_judge(pc, buf, len, name, binary, sink, cd);
	rs_pin_cands_free(cd);
	return rv;
}
