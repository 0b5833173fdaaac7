/*
 * ruleset.c: the pinning and trust APIs the scan knows, read from rules/scan-rules.json (compiled into the
 * library by cmake/embed_rules.cmake) and, for `scan --rules FILE`, extended by a file in the same format.
 * docs/scan.md documents the format. The strings stay in the parsed JSON, which the ruleset owns.
 */
#include "pin.h"

#include <jansson.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

extern const unsigned char rs_builtin_scan_rules[];
extern const size_t rs_builtin_scan_rules_len;

#define FORMAT "rootshift-scan-rules/1"

/* The sections holding API entries (objects keyed by "needle" or "key"), and the lists of strings. */
static const char *const api_sections[] = { "value_apis", "call_apis", "common_call_apis", "trust_apis",
					    "placeholder_apis", "ca_file_keys", "verify_off", "name_call_apis",
					    "source_call_apis" };
static const char *const string_sections[] = { "ca_file_suffixes", "name_prefixes", "name_getters",
					       "digest_functions", "declaration_attributes", "name_files", "file_directives",
					       "digest_marks" };

/* ---- where an error is: line and column of section[index] in the text ---- */

static void position(const char *text, size_t len, size_t at, long *line, long *col)
{
	size_t i;

	*line = 1;
	*col = 1;
	for (i = 0; i < at && i < len; i++) {
		if (text[i] == '\n') {
			++*line;
			*col = 1;
		} else {
			++*col;
		}
	}
}

/* Offset of element index of the array under key section ((size_t)-1: the key itself), or of the key. */
static size_t locate(const char *text, size_t len, const char *section, size_t index)
{
	char key[64];
	size_t k, i, depth = 0, n = 0;
	const char *p;
	int str = 0;

	snprintf(key, sizeof(key), "\"%s\"", section);
	k = strlen(key);
	for (p = text; p && (size_t)(p - text) + k <= len; p++) {
		p = memchr(p, '"', len - (size_t)(p - text));
		if (!p || (size_t)(p - text) + k > len)
			return 0;
		if (!memcmp(p, key, k))
			break;
	}
	if (!p)
		return 0;
	i = (size_t)(p - text);
	if (index == (size_t)-1)
		return i;
	while (i < len && text[i] != '[')
		i++;
	for (i++; i < len; i++) {
		char c = text[i];
		if (str) {
			if (c == '\\')
				i++;
			else if (c == '"')
				str = 0;
			continue;
		}
		if (depth == 0 && n == index && c != ' ' && c != '\n' && c != '\t' && c != '\r')
			return i;
		if (c == '"')
			str = 1;
		else if (c == '[' || c == '{')
			depth++;
		else if ((c == ']' || c == '}') && depth-- == 0)
			break;
		else if (c == ',' && depth == 0)
			n++;
	}
	return i;
}

struct src {
	const char *text, *name;
	size_t len;
	struct rs_error *err;
};

static int bad(const struct src *s, const char *section, size_t index, const char *fmt, const char *what)
{
	long line, col;
	char where[96];

	position(s->text, s->len, locate(s->text, s->len, section, index), &line, &col);
	if (index == (size_t)-1)
		snprintf(where, sizeof(where), "%s", section);
	else
		snprintf(where, sizeof(where), "%s[%zu]", section, index);
	return rs_fail(s->err, RS_ERR_PARSE, "%s line %ld column %ld: %s: %s%s", s->name, line, col, where, fmt,
		       what ? what : "");
}

/* ---- checking one file ---- */

static int in(const char *s, const char *const *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(s, v[i]))
			return 1;
	return 0;
}

/* An API entry: the fields each section takes, every value a non-empty string (or a bool, or a list). */
static int check_entry(const struct src *s, const char *section, size_t i, json_t *e)
{
	static const char *const fields[] = { "needle", "name", "when", "args", "literal", "skip_prefix", "key",
					      "after", "not_after", "call", "key_word", "confidence", "line_has",
					      "trust", "not_pin", "word", "dir", "called", "adds" };
	static const char *const whens[] = { "near", "file", "digests", "pin_name", "above" };
	const char *f, *keyf = !strcmp(section, "ca_file_keys") ? "key" : "needle";
	json_t *v;

	if (!json_is_object(e))
		return bad(s, section, i, "an entry is an object", NULL);
	json_object_foreach(e, f, v) {
		if (!in(f, fields, RS_ARRAY_LEN(fields)))
			return bad(s, section, i, "unknown field ", f);
		if (!strcmp(f, "when")) {
			const char *w;
			json_t *wv;
			if (!json_is_object(v))
				return bad(s, section, i, "\"when\" is an object", NULL);
			json_object_foreach(v, w, wv) {
				if (!in(w, whens, RS_ARRAY_LEN(whens)))
					return bad(s, section, i, "unknown condition ", w);
				if (strcmp(w, "digests") && strcmp(w, "pin_name") ? !json_is_string(wv) || !*json_string_value(wv)
										    : !json_is_boolean(wv))
					return bad(s, section, i, "bad value for condition ", w);
			}
		} else if (!strcmp(f, "call") || !strcmp(f, "key_word") || !strcmp(f, "trust") || !strcmp(f, "not_pin") ||
			   !strcmp(f, "word") || !strcmp(f, "dir") || !strcmp(f, "adds")) {
			if (!json_is_boolean(v))
				return bad(s, section, i, "true or false wanted for ", f);
		} else if (!strcmp(f, "line_has")) {
			size_t k;
			if (!json_is_array(v) || json_array_size(v) > 4)
				return bad(s, section, i, "\"line_has\" is a list of at most 4 strings", NULL);
			for (k = 0; k < json_array_size(v); k++)
				if (!json_is_string(json_array_get(v, k)) || !*json_string_value(json_array_get(v, k)))
					return bad(s, section, i, "\"line_has\" is a list of at most 4 strings", NULL);
		} else if (!json_is_string(v) || (!*json_string_value(v) && strcmp(f, "after"))) {
			return bad(s, section, i, "a non-empty string wanted for ", f);
		}
	}
	if (!json_is_string(json_object_get(e, keyf)))
		return bad(s, section, i, "missing ", keyf);
	if (strlen(json_string_value(json_object_get(e, keyf))) > 63)
		return bad(s, section, i, "longer than 63 bytes: ", keyf);
	if ((v = json_object_get(e, "called")) &&
	    !strstr(json_string_value(v) + (*json_string_value(v) == '*'), json_string_value(json_object_get(e, keyf))))
		return bad(s, section, i, "\"called\" holds the needle, not ", json_string_value(v));
	if (strcmp(section, "ca_file_keys") && !json_is_string(json_object_get(e, "name")))
		return bad(s, section, i, "missing ", "name");
	if ((v = json_object_get(e, "args")) &&
	    !in(json_string_value(v), (const char *const[]){ "call", "value", "line", "next", "around", "below", "above" },
		7))
		return bad(s, section, i,
			   "\"args\" is \"call\", \"value\", \"line\", \"next\", \"around\", \"below\" or \"above\", not ",
			   json_string_value(v));
	if ((v = json_object_get(e, "literal")) &&
	    !in(json_string_value(v), (const char *const[]){ "quoted", "element" }, 2))
		return bad(s, section, i, "\"literal\" is \"quoted\" or \"element\", not ", json_string_value(v));
	if ((v = json_object_get(e, "confidence")) &&
	    !in(json_string_value(v), (const char *const[]){ "high", "medium", "low" }, 3))
		return bad(s, section, i, "\"confidence\" is \"high\", \"medium\" or \"low\", not ", json_string_value(v));
	return 0;
}

static int check_rules(const struct src *s, json_t *a)
{
	static const char *const sevs[] = { "info", "warning", "error" };
	size_t i;
	json_t *e;

	json_array_foreach(a, i, e) {
		const char *f;
		json_t *v;
		if (!json_is_object(e))
			return bad(s, "rules", i, "a rule is an object", NULL);
		json_object_foreach(e, f, v)
			if (!in(f, (const char *const[]){ "id", "severity", "title", "help" }, 4) || !json_is_string(v) ||
			    !*json_string_value(v))
				return bad(s, "rules", i, "a rule has id, severity, title and help, strings: bad ", f);
		if (json_object_size(e) != 4)
			return bad(s, "rules", i, "a rule has id, severity, title and help", NULL);
		if (!in(json_string_value(json_object_get(e, "severity")), sevs, 3))
			return bad(s, "rules", i, "severity is info, warning or error", NULL);
	}
	return 0;
}

/* Parses and checks one rules file; builtin: it may (must) define "rules". */
static json_t *load(const struct src *s, int builtin)
{
	json_error_t je;
	json_t *root = json_loadb(s->text, s->len, JSON_REJECT_DUPLICATES, &je), *v;
	const char *k;
	size_t i;

	if (!root) {
		rs_fail(s->err, RS_ERR_PARSE, "%s line %d column %d: %s", s->name, je.line, je.column, je.text);
		return NULL;
	}
	if (!json_is_object(root)) {
		rs_fail(s->err, RS_ERR_PARSE, "%s line 1 column 1: the rules are a JSON object", s->name);
		goto fail;
	}
	if (!json_is_string(json_object_get(root, "format")) ||
	    strcmp(json_string_value(json_object_get(root, "format")), FORMAT)) {
		bad(s, "format", (size_t)-1, "\"format\": \"" FORMAT "\" wanted", NULL);
		goto fail;
	}
	json_object_foreach(root, k, v) {
		if (!strcmp(k, "format") || !strcmp(k, "comment"))
			continue;
		if (!strcmp(k, "replace")) {
			if (builtin || !json_is_boolean(v)) {
				bad(s, k, (size_t)-1, "\"replace\" is true or false, in a --rules file", NULL);
				goto fail;
			}
			continue;
		}
		if (!strcmp(k, "rules")) {
			if (!builtin) {
				bad(s, k, (size_t)-1, "the rules' ids, levels and texts are built in; a --rules file adds "
				    "APIs", NULL);
				goto fail;
			}
			if (!json_is_array(v) || check_rules(s, v) < 0) {
				if (!json_is_array(v))
					bad(s, k, (size_t)-1, "a list wanted", NULL);
				goto fail;
			}
			continue;
		}
		if (!json_is_array(v)) {
			if (in(k, api_sections, RS_ARRAY_LEN(api_sections)) ||
			    in(k, string_sections, RS_ARRAY_LEN(string_sections)))
				bad(s, k, (size_t)-1, "a list wanted", NULL);
			else
				bad(s, k, (size_t)-1, "unknown section", NULL);
			goto fail;
		}
		if (in(k, api_sections, RS_ARRAY_LEN(api_sections))) {
			json_t *e;
			json_array_foreach(v, i, e)
				if (check_entry(s, k, i, e) < 0)
					goto fail;
		} else if (in(k, string_sections, RS_ARRAY_LEN(string_sections))) {
			json_t *e;
			json_array_foreach(v, i, e)
				if (!json_is_string(e) || !*json_string_value(e) || strlen(json_string_value(e)) > 63) {
					bad(s, k, i, "a non-empty string of at most 63 bytes wanted", NULL);
					goto fail;
				}
		} else {
			bad(s, k, (size_t)-1, "unknown section", NULL);
			goto fail;
		}
	}
	if (builtin && !json_is_array(json_object_get(root, "rules"))) {
		rs_fail(s->err, RS_ERR_PARSE, "%s: no \"rules\"", s->name);
		goto fail;
	}
	return root;
fail:
	json_decref(root);
	return NULL;
}

/* ---- merging a --rules file into the built-in rules ---- */

static const char *entry_key(json_t *e)
{
	json_t *k = json_object_get(e, "needle");

	return json_string_value(k ? k : json_object_get(e, "key"));
}

/* Whether two entries' "called" (the name a shared needle must be part of) are the same, or both absent. */
static int same_called(json_t *a, json_t *b)
{
	const char *x = json_string_value(json_object_get(a, "called"));
	const char *y = json_string_value(json_object_get(b, "called"));

	return x && y ? !strcmp(x, y) : x == y;
}

/* add's entries into base: an entry with the needle (key) and "called" of one in base replaces it, others are
 * appended. */
static int merge(json_t *base, json_t *add)
{
	const char *k;
	json_t *v;

	if (json_is_true(json_object_get(add, "replace"))) {
		const char *bk;
		json_t *bv;
		void *tmp;
		json_object_foreach_safe(base, tmp, bk, bv)
			if (strcmp(bk, "rules") && strcmp(bk, "format") && strcmp(bk, "comment"))
				json_object_del(base, bk);
	}
	json_object_foreach(add, k, v) {
		json_t *into = json_object_get(base, k), *e;
		size_t i, j;
		if (!json_is_array(v))
			continue;
		if (!into) {
			if (json_object_set_new(base, k, (into = json_array())) < 0)
				return -1;
		}
		json_array_foreach(v, i, e) {
			int api = json_is_object(e);
			for (j = 0; j < json_array_size(into); j++) {
				json_t *b = json_array_get(into, j);
				if (api ? !strcmp(entry_key(b), entry_key(e)) && same_called(b, e) &&
						  !(json_object_get(b, "after") && json_object_get(e, "after") &&
						    strcmp(json_string_value(json_object_get(b, "after")),
							   json_string_value(json_object_get(e, "after"))))
					: !strcmp(json_string_value(b), json_string_value(e)))
					break;
			}
			if (j < json_array_size(into) ? json_array_set(into, j, e) : json_array_append(into, e))
				return -1;
		}
	}
	return 0;
}

/* ---- the needles of the one pass (core/needles.c) ---- */

static void whole_add(struct rs_pin_ruleset *rs, const char **v, size_t *n, int family, const char *const *needles,
		      size_t count)
{
	size_t i;

	rs->wbase[family] = *n;
	for (i = 0; i < count && *n < RS_PIN_SLOTS_MAX; i++)
		v[(*n)++] = needles[i];
}

static void whole_add_apis(struct rs_pin_ruleset *rs, const char **v, size_t *n, int family,
			   const struct rs_pin_api *apis, size_t count)
{
	size_t i;

	rs->wbase[family] = *n;
	for (i = 0; i < count && *n < RS_PIN_SLOTS_MAX; i++)
		v[(*n)++] = apis[i].needle;
}

static const char *const ph_words[] = { RS_PIN_PH_WORD };
static const char *const pubkey_marks[] = { RS_PIN_PUBKEY_MARK };

/*
 * The one pass searches each distinct needle of the slots v[0, n) once: whole gets the distinct needles, and
 * first_slot/next_slot the slots each one's occurrences go to. -1 when they do not fit one pass.
 */
static int distinct_needles(struct rs_pin_ruleset *rs, const char *const *v, size_t n)
{
	const char *u[RS_NEEDLES_MAX];
	size_t nu = 0, i, k, *last[RS_NEEDLES_MAX];

	for (i = 0; i < n; i++) {
		for (k = 0; k < nu && strcmp(u[k], v[i]); k++)
			;
		if (k == nu) {
			if (nu == RS_NEEDLES_MAX)
				return -1;
			u[nu] = v[i];
			rs->first_slot[nu] = i;
			last[nu++] = &rs->next_slot[i];
		} else {
			*last[k] = i;
			last[k] = &rs->next_slot[i];
		}
		rs->next_slot[i] = RS_PIN_NO_SLOT;
	}
	rs->nslots = n;
	return rs_needles_init(&rs->whole, u, nu);
}

/* Builds rs->whole (and rs->common_whole) from the ruleset's needles: -1 when they do not fit one pass. */
static int ruleset_needles(struct rs_pin_ruleset *rs)
{
	const char *v[RS_PIN_SLOTS_MAX];
	size_t n = 0, want;

	whole_add_apis(rs, v, &n, RS_PW_PLACEHOLDER, rs->placeholders, rs->nplaceholders);
	whole_add(rs, v, &n, RS_PW_NAME, rs->name_prefixes, rs->nname_prefixes);
	whole_add(rs, v, &n, RS_PW_GETTER, rs->getters, rs->ngetters);
	whole_add_apis(rs, v, &n, RS_PW_OFF, rs->offs, rs->noffs);
	whole_add(rs, v, &n, RS_PW_ROOT, rs->suffixes, rs->nsuffixes);
	whole_add_apis(rs, v, &n, RS_PW_API, rs->calls, rs->ncalls);
	whole_add(rs, v, &n, RS_PW_PHWORD, ph_words, RS_ARRAY_LEN(ph_words));
	whole_add_apis(rs, v, &n, RS_PW_TRUST, rs->trust, rs->ntrust);
	whole_add(rs, v, &n, RS_PW_PUBKEY, pubkey_marks, RS_ARRAY_LEN(pubkey_marks));
	whole_add(rs, v, &n, RS_PW_DIGEST, rs->digest_marks, rs->ndigest_marks);
	want = rs->nplaceholders + rs->nname_prefixes + rs->ngetters + rs->noffs + rs->nsuffixes + rs->ncalls +
	       RS_ARRAY_LEN(ph_words) + rs->ntrust + RS_ARRAY_LEN(pubkey_marks) + rs->ndigest_marks;
	rs->wbase[RS_PW_COMMON] = n; /* found by rule_calls itself, in the slots after the pass's */
	/* the set keeps pointers to the ruleset's strings; all of them must fit one pass's anchor bytes
	 * (core/needles.c), which is what keeps the scan as fast as ripgrep */
	if (n != want || rs->nsuffixes > RS_PIN_SUFFIXES_MAX || distinct_needles(rs, v, n) < 0)
		return -1;
	n = 0;
	whole_add_apis(rs, v, &n, RS_PW_COMMON, rs->common, rs->ncommon);
	rs->wbase[RS_PW_COMMON] = rs->nslots;
	if (rs->ncommon && (n != rs->ncommon || rs_needles_init(&rs->common_whole, v, n) < 0))
		return -1;
	/* the calls looked for in the name files only (name_files: .py, .ts, ...), in a pass of their own there */
	n = 0;
	whole_add_apis(rs, v, &n, RS_PW_NAMED, rs->named, rs->nnamed);
	if (rs->nnamed && (n != rs->nnamed || rs_needles_init(&rs->named_whole, v, n) < 0))
		return -1;
	/* the calls of the other text files whose needles do not fit the one pass: a pass of their own there */
	n = 0;
	whole_add_apis(rs, v, &n, RS_PW_SOURCE, rs->source, rs->nsource);
	return rs->nsource == 0 || (n == rs->nsource && rs_needles_init(&rs->source_whole, v, n) == 0) ? 0 : -1;
}

/* ---- the C view ---- */

static const char *str(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static int fill_apis(json_t *root, const char *section, struct rs_pin_api **out, size_t *n)
{
	json_t *a = json_object_get(root, section), *e;
	size_t i;

	*n = json_array_size(a);
	if (!(*out = calloc(*n ? *n : 1, sizeof(**out))))
		return -1;
	json_array_foreach(a, i, e) {
		struct rs_pin_api *p = &(*out)[i];
		json_t *w = json_object_get(e, "when");
		const char *args = str(e, "args");
		p->needle = str(e, "needle") ? str(e, "needle") : str(e, "key");
		p->name = str(e, "name");
		p->near = str(w, "near");
		p->above = str(w, "above");
		p->trust = json_is_true(json_object_get(e, "trust"));
		p->not_pin = json_is_true(json_object_get(e, "not_pin"));
		p->file = str(w, "file");
		p->digests = json_is_true(json_object_get(w, "digests"));
		p->pin_name = json_is_true(json_object_get(w, "pin_name"));
		p->args = !args || !strcmp(args, "call") ? RS_PIN_ARGS_CALL
			  : !strcmp(args, "value") ? RS_PIN_ARGS_VALUE
			  : !strcmp(args, "line") ? RS_PIN_ARGS_LINE
			  : !strcmp(args, "around") ? RS_PIN_ARGS_AROUND
			  : !strcmp(args, "below") ? RS_PIN_ARGS_BELOW
			  : !strcmp(args, "above") ? RS_PIN_ARGS_ABOVE : RS_PIN_ARGS_NEXT;
		p->element = str(e, "literal") && !strcmp(str(e, "literal"), "element");
		p->skip_prefix = str(e, "skip_prefix");
		p->after = str(e, "after") ? str(e, "after") : "";
		p->not_after = str(e, "not_after");
		p->confidence = str(e, "confidence") ? str(e, "confidence") : "high";
		p->call = json_is_true(json_object_get(e, "call"));
		p->key_word = json_is_true(json_object_get(e, "key_word"));
		p->word = json_is_true(json_object_get(e, "word"));
		p->dir = json_is_true(json_object_get(e, "dir"));
		p->adds = json_is_true(json_object_get(e, "adds"));
		p->called = str(e, "called");
		{
			json_t *lh = json_object_get(e, "line_has");
			size_t k;
			for (k = 0; k < json_array_size(lh) && k < RS_ARRAY_LEN(p->line_has); k++)
				p->line_has[k] = json_string_value(json_array_get(lh, k));
		}
	}
	return 0;
}

static int fill_strings(json_t *root, const char *section, const char ***out, size_t *n)
{
	json_t *a = json_object_get(root, section);
	size_t i;

	*n = json_array_size(a);
	if (!(*out = calloc(*n ? *n : 1, sizeof(**out))))
		return -1;
	for (i = 0; i < *n; i++)
		(*out)[i] = json_string_value(json_array_get(a, i));
	return 0;
}

void rs_pin_ruleset_free(struct rs_pin_ruleset *rs)
{
	if (!rs)
		return;
	free(rs->rules);
	free(rs->values);
	free(rs->calls);
	free(rs->common);
	free(rs->named);
	free(rs->source);
	free(rs->name_files);
	free(rs->file_directives);
	free(rs->trust);
	free(rs->placeholders);
	free(rs->keys);
	free(rs->offs);
	free(rs->suffixes);
	free(rs->name_prefixes);
	free(rs->getters);
	free(rs->digest_fns);
	free(rs->digest_marks);
	free(rs->attrs);
	json_decref(rs->json);
	free(rs);
}

/* The C view of a checked (and merged) document; takes root. */
static struct rs_pin_ruleset *build(json_t *root, const struct src *s)
{
	struct rs_pin_ruleset *rs = calloc(1, sizeof(*rs));
	json_t *a = json_object_get(root, "rules"), *e;
	size_t i;

	if (!rs) {
		json_decref(root);
		rs_fail(s->err, RS_ERR_NOMEM, "out of memory");
		return NULL;
	}
	rs->json = root;
	rs->nrules = json_array_size(a);
	if (!(rs->rules = calloc(rs->nrules ? rs->nrules : 1, sizeof(*rs->rules))) ||
	    fill_apis(root, "value_apis", &rs->values, &rs->nvalues) ||
	    fill_apis(root, "call_apis", &rs->calls, &rs->ncalls) ||
	    fill_apis(root, "common_call_apis", &rs->common, &rs->ncommon) ||
	    fill_apis(root, "name_call_apis", &rs->named, &rs->nnamed) ||
	    fill_apis(root, "source_call_apis", &rs->source, &rs->nsource) ||
	    fill_strings(root, "name_files", &rs->name_files, &rs->nname_files) ||
	    fill_strings(root, "file_directives", &rs->file_directives, &rs->nfile_directives) ||
	    fill_apis(root, "trust_apis", &rs->trust, &rs->ntrust) ||
	    fill_apis(root, "placeholder_apis", &rs->placeholders, &rs->nplaceholders) ||
	    fill_apis(root, "ca_file_keys", &rs->keys, &rs->nkeys) ||
	    fill_apis(root, "verify_off", &rs->offs, &rs->noffs) ||
	    fill_strings(root, "ca_file_suffixes", &rs->suffixes, &rs->nsuffixes) ||
	    fill_strings(root, "name_prefixes", &rs->name_prefixes, &rs->nname_prefixes) ||
	    fill_strings(root, "name_getters", &rs->getters, &rs->ngetters) ||
	    fill_strings(root, "digest_functions", &rs->digest_fns, &rs->ndigest_fns) ||
	    fill_strings(root, "declaration_attributes", &rs->attrs, &rs->nattrs) ||
	    fill_strings(root, "digest_marks", &rs->digest_marks, &rs->ndigest_marks)) {
		rs_pin_ruleset_free(rs);
		rs_fail(s->err, RS_ERR_NOMEM, "out of memory");
		return NULL;
	}
	json_array_foreach(a, i, e) {
		const char *sev = str(e, "severity");
		rs->rules[i].id = str(e, "id");
		rs->rules[i].severity = !strcmp(sev, "error") ? RS_SEV_ERROR : !strcmp(sev, "warning") ? RS_SEV_WARNING
													 : RS_SEV_INFO;
		rs->rules[i].summary = str(e, "title");
		rs->rules[i].help = str(e, "help");
	}
	if (rs->ncommon > RS_PIN_COMMON_MAX) {
		bad(s, "common_call_apis", RS_PIN_COMMON_MAX, "too many entries (at most 16)", NULL);
		rs_pin_ruleset_free(rs);
		return NULL;
	}
	if (rs->nnamed > RS_PIN_NAMED_MAX) {
		bad(s, "name_call_apis", RS_PIN_NAMED_MAX, "too many entries (at most 32)", NULL);
		rs_pin_ruleset_free(rs);
		return NULL;
	}
	if (rs->nsource > RS_PIN_SOURCE_MAX) {
		bad(s, "source_call_apis", RS_PIN_SOURCE_MAX, "too many entries (at most 32)", NULL);
		rs_pin_ruleset_free(rs);
		return NULL;
	}
	if (ruleset_needles(rs) < 0) {
		rs_fail(s->err, RS_ERR_LIMIT, "%s: the rules' needles do not fit one pass (at most %d needles over few "
			"distinct rare bytes); move an API to common_call_apis", s->name, RS_NEEDLES_MAX);
		rs_pin_ruleset_free(rs);
		return NULL;
	}
	return rs;
}

static struct rs_pin_ruleset *builtin;
static struct rs_error builtin_err;

static void builtin_init(void)
{
	struct src s = { (const char *)rs_builtin_scan_rules, "rules/scan-rules.json (built in)",
			 rs_builtin_scan_rules_len, &builtin_err };
	json_t *root = load(&s, 1);

	if (root)
		builtin = build(root, &s);
}

const struct rs_pin_ruleset *rs_pin_ruleset_builtin(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, builtin_init);
	return builtin;
}

struct rs_pin_ruleset *rs_pin_ruleset_load(const char *text, size_t len, const char *name, struct rs_error *err)
{
	struct src b = { (const char *)rs_builtin_scan_rules, "rules/scan-rules.json (built in)",
			 rs_builtin_scan_rules_len, err };
	struct src s = { text, name ? name : "rules", len, err };
	json_t *base, *add;

	if (!text)
		return rs_fail(err, RS_ERR_USAGE, "no rules text"), NULL;
	if (!(add = load(&s, 0)))
		return NULL;
	if (!(base = load(&b, 1))) {
		json_decref(add);
		return NULL;
	}
	if (merge(base, add) < 0) {
		json_decref(add);
		json_decref(base);
		return rs_fail(err, RS_ERR_NOMEM, "out of memory"), NULL;
	}
	json_decref(add);
	return build(base, &s);
}
