/*
 * catalog.c: migration profiles as data. A profile is a JSON document (profiles/NAME.json; the format is described
 * in docs/profile-format.md); built-in profiles are the same JSON compiled into the library.
 */
#include "internal.h"
#include "catalog/builtin.h"

#include <ctype.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct rs_known {
	char *id, *name, *role, *summary, *sha1, *sha256, *spki, *subject;
	enum rs_kind kind;
	rs_time not_after;
	struct rs_cert *cert;
	const char *pem; /* a built-in certificate not parsed yet (known_ready parses it on first use; the text is the
			  * built-in table's, never freed), else NULL */
	char **issuers;
	size_t nissuers;
	const struct rs_profile *profile;
};

struct idlist {
	const struct rs_known **v;
	size_t n;
};

struct event {
	rs_time when;
	char *event, *text;
};

struct alias {
	char *sha1, *documented_as, *actual, *note;
};

struct rs_profile {
	char *id, *name, *description;
	struct rs_known *known;
	size_t nknown;
	struct idlist required, recommended, old;
	char **leaf;
	size_t nleaf;
	struct event *events;
	size_t nevents;
	struct rs_endpoint *endpoints;
	size_t nendpoints;
	struct alias *aliases;
	size_t naliases;
	rs_time migration_complete; /* 0 when the profile does not say */
};

struct rs_catalog {
	struct rs_profile **v;
	size_t n;
};

/* Parsing context: errors name the origin and the JSON path. */
struct pctx {
	const char *origin;
	struct rs_error *err;
	struct rs_profile *p;
	int lazy; /* built-in: certificates that carry all three digests are parsed on first use */
	const char *const *pems; /* built-in: certificates[i].pem, kept out of the JSON (builtin.h); else NULL */
	size_t npems, index;     /* ... and the index of the certificate being parsed */
};

static int perr(struct pctx *c, const char *path, const char *what)
{
	return rs_fail(c->err, RS_ERR_PROFILE, "invalid profile '%s': %s: %s", c->origin, path, what);
}

static int get_str(struct pctx *c, json_t *obj, const char *key, const char *path, int required, char **out)
{
	json_t *v = json_object_get(obj, key);
	char where[256];

	snprintf(where, sizeof(where), "%s.%s", path, key);
	*out = NULL;
	if (!v) {
		if (required)
			return perr(c, where, "missing");
		*out = rs_strdup("");
		return *out ? 0 : perr(c, where, "out of memory");
	}
	if (!json_is_string(v))
		return perr(c, where, "expected a string");
	*out = rs_strdup(json_string_value(v));
	return *out ? 0 : perr(c, where, "out of memory");
}

static int get_hex(struct pctx *c, json_t *obj, const char *key, const char *path, size_t digits, char **out)
{
	char where[256], norm[130];

	if (get_str(c, obj, key, path, 0, out) < 0)
		return -1;
	if (!**out)
		return 0;
	snprintf(where, sizeof(where), "%s.%s", path, key);
	if (rs_hex_normalize(*out, norm, sizeof(norm)) < 0 || strlen(norm) != digits) {
		char msg[64];
		snprintf(msg, sizeof(msg), "expected %zu hex digits", digits);
		return perr(c, where, msg);
	}
	memcpy(*out, norm, digits + 1);
	return 0;
}

static int get_time(struct pctx *c, json_t *obj, const char *key, const char *path, int required, rs_time *out)
{
	char *s = NULL, where[256];
	int rv = 0;

	*out = 0;
	if (get_str(c, obj, key, path, required, &s) < 0)
		return -1;
	if (*s && rs_time_parse(s, out, NULL) < 0) {
		snprintf(where, sizeof(where), "%s.%s", path, key);
		rv = perr(c, where, "expected an RFC 3339 time");
	}
	free(s);
	return rv;
}

static int parse_kind(struct pctx *c, const char *s, const char *path, enum rs_kind *out)
{
	if (!strcmp(s, "root"))
		*out = RS_KIND_ROOT;
	else if (!strcmp(s, "intermediate"))
		*out = RS_KIND_INTERMEDIATE;
	else if (!strcmp(s, "leaf"))
		*out = RS_KIND_LEAF;
	else
		return perr(c, path, "kind must be root, intermediate or leaf");
	return 0;
}

/* The certificate carried in "pem" settles every digest; given digests must agree with it. */
static int check_digest(struct pctx *c, const char *path, const char *key, char **given, const char *actual)
{
	char where[256], msg[160];

	if (!**given) {
		free(*given);
		*given = rs_strdup(actual);
		return *given ? 0 : perr(c, path, "out of memory");
	}
	if (strcmp(*given, actual)) {
		snprintf(where, sizeof(where), "%s.%s", path, key);
		snprintf(msg, sizeof(msg), "does not match the certificate in pem (which has %s)", actual);
		return perr(c, where, msg);
	}
	return 0;
}

static int known_pem(struct pctx *c, json_t *obj, const char *path, struct rs_known *k)
{
	json_t *pem = json_object_get(obj, "pem");
	const char *text;
	struct rs_error inner;
	char where[256];

	snprintf(where, sizeof(where), "%s.pem", path);
	if (c->pems) /* built-in: from the table, by the certificate's index */
		text = c->index < c->npems ? c->pems[c->index] : NULL;
	else if (pem && !json_is_string(pem))
		return perr(c, where, "expected a string");
	else
		text = pem ? json_string_value(pem) : NULL;
	if (!text)
		return 0;
	/* A built-in profile is checked when it is built (tests/unit/test_catalog.c parses each strictly): its
	 * digests are the certificate's, so a lookup needs no certificate parsed, and a probe parses none of the
	 * catalog's certificates until a what-if store or a subject needs one (issue #19). */
	if (c->lazy && c->pems && *k->sha1 && *k->sha256 && *k->spki) {
		k->pem = text;
		return 0;
	}
	/* One PEM certificate, read by the x509 layer: the catalog sits below extract and never loads files. */
	if (!(k->cert = rs_cert_from_pem(text, strlen(text), &inner)))
		return perr(c, where, inner.message);
	if (check_digest(c, path, "sha1", &k->sha1, rs_cert_sha1(k->cert)) < 0 ||
	    check_digest(c, path, "sha256", &k->sha256, rs_cert_sha256(k->cert)) < 0 ||
	    check_digest(c, path, "spki_sha256", &k->spki, rs_cert_spki_sha256(k->cert)) < 0)
		return -1;
	/* The subject is informational in the JSON; the certificate's own rendering is the one lookups compare. */
	free(k->subject);
	if (!(k->subject = rs_strdup(rs_cert_subject(k->cert))))
		return perr(c, where, "out of memory");
	k->not_after = rs_cert_not_after(k->cert);
	return 0;
}

static int known_issuers(struct pctx *c, json_t *obj, const char *path, struct rs_known *k)
{
	json_t *arr = json_object_get(obj, "issuers"), *v;
	char where[256];
	size_t i;

	if (!arr)
		return 0;
	snprintf(where, sizeof(where), "%s.issuers", path);
	if (!json_is_array(arr))
		return perr(c, where, "expected an array of certificate ids");
	k->issuers = calloc(json_array_size(arr) + 1, sizeof(char *));
	if (!k->issuers)
		return perr(c, where, "out of memory");
	json_array_foreach(arr, i, v) {
		if (!json_is_string(v))
			return perr(c, where, "expected an array of certificate ids");
		if (!(k->issuers[k->nissuers++] = rs_strdup(json_string_value(v))))
			return perr(c, where, "out of memory");
	}
	return 0;
}

static int parse_known(struct pctx *c, json_t *obj, const char *path, struct rs_known *k)
{
	char *kind = NULL;
	int rv = -1;

	k->profile = c->p;
	if (!json_is_object(obj))
		return perr(c, path, "expected an object");
	if (get_str(c, obj, "id", path, 1, &k->id) < 0 || get_str(c, obj, "name", path, 1, &k->name) < 0 ||
	    get_str(c, obj, "kind", path, 1, &kind) < 0 || get_str(c, obj, "role", path, 0, &k->role) < 0 ||
	    get_str(c, obj, "summary", path, 0, &k->summary) < 0 || get_str(c, obj, "subject", path, 0, &k->subject) < 0 ||
	    get_hex(c, obj, "sha1", path, 40, &k->sha1) < 0 || get_hex(c, obj, "sha256", path, 64, &k->sha256) < 0 ||
	    get_hex(c, obj, "spki_sha256", path, 64, &k->spki) < 0 ||
	    get_time(c, obj, "not_after", path, 0, &k->not_after) < 0)
		goto out;
	if (parse_kind(c, kind, path, &k->kind) < 0 || known_pem(c, obj, path, k) < 0 ||
	    known_issuers(c, obj, path, k) < 0)
		goto out;
	if (!*k->sha1 && !*k->sha256 && !*k->spki) {
		perr(c, path, "needs pem, sha1, sha256 or spki_sha256 to identify the certificate");
		goto out;
	}
	rv = 0;
out:
	free(kind);
	return rv;
}

static void known_release(struct rs_known *k)
{
	size_t i;

	free(k->id);
	free(k->name);
	free(k->role);
	free(k->summary);
	free(k->sha1);
	free(k->sha256);
	free(k->spki);
	free(k->subject);
	rs_cert_free(k->cert);
	for (i = 0; i < k->nissuers; i++)
		free(k->issuers[i]);
	free(k->issuers);
}

/* A lazily kept certificate, parsed now: its subject and expiry replace the profile's informational ones, as
 * known_pem does. Under a lock: threads of a probe share one catalog. */
static pthread_mutex_t ready_lock = PTHREAD_MUTEX_INITIALIZER;

static const struct rs_known *known_ready(const struct rs_known *ck)
{
	struct rs_known *k = (struct rs_known *)ck; /* the parse is a cache: the entry means the same after it */
	struct rs_error inner;
	char *subject;

	pthread_mutex_lock(&ready_lock);
	if (k->pem && (k->cert = rs_cert_from_pem(k->pem, strlen(k->pem), &inner)) != NULL) {
		if ((subject = rs_strdup(rs_cert_subject(k->cert))) != NULL) {
			free(k->subject);
			k->subject = subject;
		}
		k->not_after = rs_cert_not_after(k->cert);
	}
	if (k->cert)
		k->pem = NULL;
	pthread_mutex_unlock(&ready_lock);
	return k;
}

const struct rs_known *rs_profile_known(const struct rs_profile *p, const char *id)
{
	size_t i;

	for (i = 0; p && i < p->nknown; i++)
		if (p->known[i].id && !strcmp(p->known[i].id, id))
			return &p->known[i];
	return NULL;
}

static int parse_certificates(struct pctx *c, json_t *root)
{
	json_t *arr = json_object_get(root, "certificates"), *v;
	char path[96];
	size_t i, j;

	if (!json_is_array(arr) || json_array_size(arr) == 0)
		return perr(c, "$.certificates", "expected a non-empty array");
	c->p->known = calloc(json_array_size(arr), sizeof(struct rs_known));
	if (!c->p->known)
		return perr(c, "$.certificates", "out of memory");
	json_array_foreach(arr, i, v) {
		snprintf(path, sizeof(path), "$.certificates[%zu]", i);
		c->p->nknown = i + 1;
		c->index = i;
		if (parse_known(c, v, path, &c->p->known[i]) < 0)
			return -1;
		if (rs_profile_known(c->p, c->p->known[i].id) != &c->p->known[i])
			return perr(c, path, "duplicate id");
	}
	for (i = 0; i < c->p->nknown; i++)
		for (j = 0; j < c->p->known[i].nissuers; j++)
			if (!rs_profile_known(c->p, c->p->known[i].issuers[j])) {
				snprintf(path, sizeof(path), "$.certificates[%zu].issuers[%zu]", i, j);
				return perr(c, path, "names no certificate of this profile");
			}
	return 0;
}

static int parse_idlist(struct pctx *c, json_t *rules, const char *key, struct idlist *out)
{
	json_t *arr = json_object_get(rules, key), *v;
	char path[96];
	size_t i;

	snprintf(path, sizeof(path), "$.rules.%s", key);
	if (!arr)
		return 0;
	if (!json_is_array(arr))
		return perr(c, path, "expected an array of certificate ids");
	out->v = calloc(json_array_size(arr) + 1, sizeof(*out->v));
	if (!out->v)
		return perr(c, path, "out of memory");
	json_array_foreach(arr, i, v) {
		const struct rs_known *k = json_is_string(v) ? rs_profile_known(c->p, json_string_value(v)) : NULL;
		snprintf(path, sizeof(path), "$.rules.%s[%zu]", key, i);
		if (!k)
			return perr(c, path, "names no certificate of this profile");
		if (k->kind != RS_KIND_ROOT)
			return perr(c, path, "names a certificate that is not a root");
		out->v[out->n++] = k;
	}
	return 0;
}

static int parse_rules(struct pctx *c, json_t *root)
{
	json_t *rules = json_object_get(root, "rules");

	if (!json_is_object(rules))
		return perr(c, "$.rules", "expected an object");
	if (parse_idlist(c, rules, "required", &c->p->required) < 0 ||
	    parse_idlist(c, rules, "recommended", &c->p->recommended) < 0 ||
	    parse_idlist(c, rules, "old", &c->p->old) < 0)
		return -1;
	if (c->p->required.n == 0)
		return perr(c, "$.rules.required", "a profile needs at least one required root");
	return 0;
}

static int parse_leaf_patterns(struct pctx *c, json_t *root)
{
	json_t *arr = json_object_get(root, "leaf_patterns"), *v;
	size_t i;

	if (!arr)
		return 0;
	if (!json_is_array(arr))
		return perr(c, "$.leaf_patterns", "expected an array of strings");
	c->p->leaf = calloc(json_array_size(arr) + 1, sizeof(char *));
	if (!c->p->leaf)
		return perr(c, "$.leaf_patterns", "out of memory");
	json_array_foreach(arr, i, v) {
		if (!json_is_string(v))
			return perr(c, "$.leaf_patterns", "expected an array of strings");
		if (!(c->p->leaf[c->p->nleaf++] = rs_strdup(json_string_value(v))))
			return perr(c, "$.leaf_patterns", "out of memory");
	}
	return 0;
}

static int cmp_events(const void *a, const void *b)
{
	const struct event *x = a, *y = b;

	return (x->when > y->when) - (x->when < y->when);
}

static int parse_timeline(struct pctx *c, json_t *root)
{
	json_t *arr = json_object_get(root, "timeline"), *v;
	char path[96];
	size_t i;

	if (!arr)
		return 0;
	if (!json_is_array(arr))
		return perr(c, "$.timeline", "expected an array");
	c->p->events = calloc(json_array_size(arr) + 1, sizeof(struct event));
	if (!c->p->events)
		return perr(c, "$.timeline", "out of memory");
	json_array_foreach(arr, i, v) {
		struct event *e = &c->p->events[i];
		snprintf(path, sizeof(path), "$.timeline[%zu]", i);
		c->p->nevents = i + 1;
		if (!json_is_object(v))
			return perr(c, path, "expected an object");
		if (get_time(c, v, "date", path, 1, &e->when) < 0 || get_str(c, v, "event", path, 1, &e->event) < 0 ||
		    get_str(c, v, "text", path, 0, &e->text) < 0)
			return -1;
	}
	qsort(c->p->events, c->p->nevents, sizeof(struct event), cmp_events);
	return 0;
}

static int parse_endpoint(struct pctx *c, json_t *v, const char *path, struct rs_endpoint *e)
{
	json_t *port = json_object_get(v, "port");
	char *s;

	if (!json_is_object(v))
		return perr(c, path, "expected an object");
	if (get_str(c, v, "service", path, 1, &s) < 0)
		return -1;
	e->service = s;
	if (get_str(c, v, "protocol", path, 1, &s) < 0)
		return -1;
	e->protocol = s;
	if (get_str(c, v, "host", path, 1, &s) < 0)
		return -1;
	e->host = s;
	if (get_str(c, v, "path", path, 0, &s) < 0)
		return -1;
	e->path = s;
	if (get_str(c, v, "note", path, 0, &s) < 0)
		return -1;
	e->note = s;
	if (!json_is_integer(port) || json_integer_value(port) < 1 || json_integer_value(port) > 65535)
		return perr(c, path, "port must be an integer from 1 to 65535");
	e->port = (int)json_integer_value(port);
	e->test = json_is_true(json_object_get(v, "test"));
	return 0;
}

static int parse_endpoints(struct pctx *c, json_t *root)
{
	json_t *arr = json_object_get(root, "endpoints"), *v;
	char path[96];
	size_t i;

	if (!arr)
		return 0;
	if (!json_is_array(arr))
		return perr(c, "$.endpoints", "expected an array");
	c->p->endpoints = calloc(json_array_size(arr) + 1, sizeof(struct rs_endpoint));
	if (!c->p->endpoints)
		return perr(c, "$.endpoints", "out of memory");
	json_array_foreach(arr, i, v) {
		snprintf(path, sizeof(path), "$.endpoints[%zu]", i);
		c->p->nendpoints = i + 1;
		if (parse_endpoint(c, v, path, &c->p->endpoints[i]) < 0)
			return -1;
	}
	return 0;
}

static int parse_aliases(struct pctx *c, json_t *root)
{
	json_t *arr = json_object_get(root, "aliases"), *v;
	char path[96];
	size_t i;

	if (!arr)
		return 0;
	if (!json_is_array(arr))
		return perr(c, "$.aliases", "expected an array");
	c->p->aliases = calloc(json_array_size(arr) + 1, sizeof(struct alias));
	if (!c->p->aliases)
		return perr(c, "$.aliases", "out of memory");
	json_array_foreach(arr, i, v) {
		struct alias *a = &c->p->aliases[i];
		snprintf(path, sizeof(path), "$.aliases[%zu]", i);
		c->p->naliases = i + 1;
		if (!json_is_object(v))
			return perr(c, path, "expected an object");
		if (get_hex(c, v, "sha1", path, 40, &a->sha1) < 0 || get_str(c, v, "documented_as", path, 1, &a->documented_as) < 0 ||
		    get_str(c, v, "actual", path, 0, &a->actual) < 0 || get_str(c, v, "note", path, 1, &a->note) < 0)
			return -1;
		if (!*a->sha1)
			return perr(c, path, "sha1 is missing");
		if (*a->actual && !rs_profile_known(c->p, a->actual))
			return perr(c, path, "actual names no certificate of this profile");
	}
	return 0;
}

static int valid_id(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) && *s != '-')
			return 0;
	return 1;
}

static int parse_header(struct pctx *c, json_t *root)
{
	char *schema = NULL;
	int rv = -1;

	if (!json_is_object(root))
		return perr(c, "$", "expected an object");
	if (get_str(c, root, "schema", "$", 1, &schema) < 0)
		return -1;
	if (strcmp(schema, "rootshift/profile/1")) {
		perr(c, "$.schema", "expected \"rootshift/profile/1\"");
		goto out;
	}
	if (get_str(c, root, "id", "$", 1, &c->p->id) < 0 || get_str(c, root, "name", "$", 1, &c->p->name) < 0 ||
	    get_str(c, root, "description", "$", 0, &c->p->description) < 0 ||
	    get_time(c, root, "migration_complete", "$", 0, &c->p->migration_complete) < 0)
		goto out;
	if (!valid_id(c->p->id)) {
		perr(c, "$.id", "use lowercase letters, digits and '-'");
		goto out;
	}
	rv = 0;
out:
	free(schema);
	return rv;
}

static void profile_free(struct rs_profile *p)
{
	size_t i;

	if (!p)
		return;
	free(p->id);
	free(p->name);
	free(p->description);
	for (i = 0; i < p->nknown; i++)
		known_release(&p->known[i]);
	free(p->known);
	free(p->required.v);
	free(p->recommended.v);
	free(p->old.v);
	for (i = 0; i < p->nleaf; i++)
		free(p->leaf[i]);
	free(p->leaf);
	for (i = 0; i < p->nevents; i++) {
		free(p->events[i].event);
		free(p->events[i].text);
	}
	free(p->events);
	for (i = 0; i < p->nendpoints; i++) {
		free((char *)p->endpoints[i].service);
		free((char *)p->endpoints[i].protocol);
		free((char *)p->endpoints[i].host);
		free((char *)p->endpoints[i].path);
		free((char *)p->endpoints[i].note);
	}
	free(p->endpoints);
	for (i = 0; i < p->naliases; i++) {
		free(p->aliases[i].sha1);
		free(p->aliases[i].documented_as);
		free(p->aliases[i].actual);
		free(p->aliases[i].note);
	}
	free(p->aliases);
	free(p);
}

static struct rs_profile *parse_profile(json_t *root, const char *origin, const struct rs_builtin_profile *b,
					struct rs_error *err)
{
	struct pctx c = { origin, err, calloc(1, sizeof(struct rs_profile)), b != NULL, b ? b->pems : NULL,
			  b ? b->npems : 0, 0 };

	if (!c.p) {
		rs_fail(err, RS_ERR_NOMEM, "out of memory");
		return NULL;
	}
	if (parse_header(&c, root) < 0 || parse_certificates(&c, root) < 0 || parse_rules(&c, root) < 0 ||
	    parse_leaf_patterns(&c, root) < 0 || parse_timeline(&c, root) < 0 || parse_endpoints(&c, root) < 0 ||
	    parse_aliases(&c, root) < 0) {
		profile_free(c.p);
		return NULL;
	}
	return c.p;
}

struct rs_catalog *rs_catalog_new(void)
{
	return calloc(1, sizeof(struct rs_catalog));
}

void rs_catalog_free(struct rs_catalog *cat)
{
	size_t i;

	if (!cat)
		return;
	for (i = 0; i < cat->n; i++)
		profile_free(cat->v[i]);
	free(cat->v);
	free(cat);
}

/* The keys a profile may have (docs/profile-format.md): an unknown one is a typo, an error naming it. */
static const char *const top_keys[] = { "schema", "id", "name", "description", "sources", "certificates", "aliases",
					"leaf_patterns", "endpoints", "rules", "timeline", "migration_complete", NULL };
static const char *const cert_keys[] = { "id", "name", "kind", "role", "issuers", "summary", "sha1", "sha256",
					 "spki_sha256", "subject", "issuer", "not_before", "not_after", "pem", "origin",
					 NULL };
static const char *const alias_keys[] = { "sha1", "documented_as", "actual", "note", NULL };
static const char *const endpoint_keys[] = { "service", "protocol", "host", "port", "path", "test", "note", "id_scope",
					     "registration_id", NULL };
static const char *const rule_keys[] = { "required", "recommended", "old", "never_pin", NULL };
static const char *const event_keys[] = { "date", "event", "text", NULL };
static const struct rs_json_keys profile_keys[] = {
	{ "", top_keys },		 { "certificates[]", cert_keys }, { "aliases[]", alias_keys },
	{ "endpoints[]", endpoint_keys }, { "rules", rule_keys },	   { "timeline[]", event_keys },
};

/* b NULL (files): the keys are checked and every certificate is parsed now; else the built-in profile b's way. */
static int add_json(struct rs_catalog *cat, const char *text, size_t len, const char *origin,
		    const struct rs_builtin_profile *b, struct rs_error *err)
{
	char what[600];
	struct rs_profile *p, **v;
	json_error_t jerr;
	json_t *root;

	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		return rs_fail(err, RS_ERR_PROFILE, "invalid profile '%s' line %d column %d: %s", origin, jerr.line,
			       jerr.column, jerr.text);
	snprintf(what, sizeof(what), "invalid profile '%s'", origin);
	if (!b && rs_json_check_keys(text, len, profile_keys, sizeof(profile_keys) / sizeof(profile_keys[0]), what, err) < 0) {
		json_decref(root);
		if (err)
			err->code = RS_ERR_PROFILE;
		return -1;
	}
	p = parse_profile(root, origin, b, err);
	json_decref(root);
	if (!p)
		return -1;
	if (rs_catalog_profile(cat, p->id)) {
		rs_fail(err, RS_ERR_PROFILE, "invalid profile '%s': $.id: profile '%s' is already loaded", origin, p->id);
		profile_free(p);
		return -1;
	}
	v = realloc(cat->v, (cat->n + 1) * sizeof(*v));
	if (!v) {
		profile_free(p);
		return rs_fail(err, RS_ERR_NOMEM, "out of memory");
	}
	cat->v = v;
	cat->v[cat->n++] = p;
	return 0;
}

int rs_catalog_add_json(struct rs_catalog *cat, const char *text, size_t len, const char *origin,
			struct rs_error *err)
{
	return add_json(cat, text, len, origin, NULL, err);
}

int rs_catalog_add_file(struct rs_catalog *cat, const char *path, struct rs_error *err)
{
	unsigned char *data = NULL;
	size_t len = 0;
	int rv;

	if (rs_read_file(path, 16u << 20, &data, &len, err) < 0)
		return -1;
	rv = rs_catalog_add_json(cat, (const char *)data, len, path, err);
	free(data);
	return rv;
}

const char *const *rs_builtin_profiles(void)
{
	return rs_builtin_profile_ids;
}

int rs_catalog_add_builtin(struct rs_catalog *cat, const char *id, struct rs_error *err)
{
	size_t i;
	int found = 0;

	for (i = 0; i < rs_builtin_profile_count; i++) {
		const struct rs_builtin_profile *b = &rs_builtin_profile_data[i];
		if (id && strcmp(id, b->id))
			continue;
		found = 1;
		if (rs_catalog_profile(cat, b->id))
			continue;
		if (add_json(cat, (const char *)b->json, b->len, b->id, b, err) < 0)
			return -1;
	}
	if (!found)
		return rs_fail(err, RS_ERR_NOTFOUND, "no built-in profile '%s'", id);
	return 0;
}

size_t rs_catalog_profile_count(const struct rs_catalog *cat) { return cat->n; }

const struct rs_profile *rs_catalog_profile_at(const struct rs_catalog *cat, size_t i)
{
	return i < cat->n ? cat->v[i] : NULL;
}

const struct rs_profile *rs_catalog_profile(const struct rs_catalog *cat, const char *id)
{
	size_t i;

	for (i = 0; i < cat->n; i++)
		if (!strcmp(cat->v[i]->id, id))
			return cat->v[i];
	return NULL;
}

enum field { F_SHA1, F_SHA256, F_SPKI };

static const char *field_of(const struct rs_known *k, enum field f)
{
	return f == F_SHA1 ? k->sha1 : f == F_SHA256 ? k->sha256 : k->spki;
}

static const struct rs_known *lookup(const struct rs_catalog *cat, enum field f, const char *hex, const char *subject)
{
	char norm[130];
	size_t i, j;

	if (!hex || rs_hex_normalize(hex, norm, sizeof(norm)) < 0)
		return NULL;
	for (i = 0; i < cat->n; i++)
		for (j = 0; j < cat->v[i]->nknown; j++) {
			const struct rs_known *k = &cat->v[i]->known[j];
			if (strcmp(field_of(k, f), norm))
				continue;
			if (subject && *known_ready(k)->subject && strcmp(subject, k->subject))
				continue;
			return k;
		}
	return NULL;
}

const struct rs_known *rs_catalog_by_sha1(const struct rs_catalog *cat, const char *hex)
{
	return lookup(cat, F_SHA1, hex, NULL);
}

const struct rs_known *rs_catalog_by_sha256(const struct rs_catalog *cat, const char *hex)
{
	return lookup(cat, F_SHA256, hex, NULL);
}

const struct rs_known *rs_catalog_by_spki(const struct rs_catalog *cat, const char *spki_hex, const char *subject)
{
	return lookup(cat, F_SPKI, spki_hex, subject);
}

const struct rs_known *rs_catalog_identify(const struct rs_catalog *cat, const struct rs_cert *cert)
{
	const struct rs_known *k = rs_catalog_by_sha256(cat, rs_cert_sha256(cert));

	return k ? k : rs_catalog_by_sha1(cat, rs_cert_sha1(cert));
}

const char *rs_catalog_alias(const struct rs_catalog *cat, const char *sha1_hex, const char **documented_as,
			     const struct rs_known **actual)
{
	char norm[64];
	size_t i, j;

	if (!sha1_hex || rs_hex_normalize(sha1_hex, norm, sizeof(norm)) < 0)
		return NULL;
	for (i = 0; i < cat->n; i++)
		for (j = 0; j < cat->v[i]->naliases; j++) {
			const struct alias *a = &cat->v[i]->aliases[j];
			if (strcmp(a->sha1, norm))
				continue;
			if (documented_as)
				*documented_as = a->documented_as;
			if (actual)
				*actual = *a->actual ? rs_profile_known(cat->v[i], a->actual) : NULL;
			return a->note;
		}
	return NULL;
}

const char *rs_profile_id(const struct rs_profile *p) { return p->id; }
const char *rs_profile_name(const struct rs_profile *p) { return p->name; }
const char *rs_profile_description(const struct rs_profile *p) { return p->description; }
rs_time rs_profile_migration_complete(const struct rs_profile *p) { return p->migration_complete; }
size_t rs_profile_known_count(const struct rs_profile *p) { return p->nknown; }

const struct rs_known *rs_profile_known_at(const struct rs_profile *p, size_t i)
{
	return i < p->nknown ? &p->known[i] : NULL;
}

static const struct idlist *rule_list(const struct rs_profile *p, const char *rule)
{
	if (!strcmp(rule, "required"))
		return &p->required;
	if (!strcmp(rule, "recommended"))
		return &p->recommended;
	if (!strcmp(rule, "old"))
		return &p->old;
	return NULL;
}

size_t rs_profile_rule_count(const struct rs_profile *p, const char *rule)
{
	const struct idlist *l = rule_list(p, rule);

	return l ? l->n : 0;
}

const struct rs_known *rs_profile_rule_at(const struct rs_profile *p, const char *rule, size_t i)
{
	const struct idlist *l = rule_list(p, rule);

	return l && i < l->n ? l->v[i] : NULL;
}

int rs_profile_rule_store(const struct rs_profile *p, const char *rule, struct rs_certlist *out, struct rs_error *err)
{
	const struct idlist *l = rule_list(p, rule);
	struct rs_location loc = { NULL, 0, 0, "catalog" };
	char where[256];
	size_t i;

	if (!l)
		return rs_fail(err, RS_ERR_USAGE, "unknown rule '%s' (use required, recommended or old)", rule);
	loc.path = where;
	for (i = 0; i < l->n; i++) {
		if (!known_ready(l->v[i])->cert)
			continue;
		snprintf(where, sizeof(where), "%s:%s", p->id, l->v[i]->id);
		if (rs_certlist_add(out, l->v[i]->cert, &loc, err) < 0)
			return -1;
	}
	return 0;
}

size_t rs_profile_leaf_pattern_count(const struct rs_profile *p) { return p->nleaf; }

const char *rs_profile_leaf_pattern_at(const struct rs_profile *p, size_t i)
{
	return i < p->nleaf ? p->leaf[i] : NULL;
}

size_t rs_profile_event_count(const struct rs_profile *p) { return p->nevents; }

int rs_profile_event_at(const struct rs_profile *p, size_t i, rs_time *when, const char **event, const char **text)
{
	if (i >= p->nevents)
		return -1;
	if (when)
		*when = p->events[i].when;
	if (event)
		*event = p->events[i].event;
	if (text)
		*text = p->events[i].text;
	return 0;
}

size_t rs_profile_endpoint_count(const struct rs_profile *p) { return p->nendpoints; }

const struct rs_endpoint *rs_profile_endpoint_at(const struct rs_profile *p, size_t i)
{
	return i < p->nendpoints ? &p->endpoints[i] : NULL;
}

const char *rs_known_id(const struct rs_known *k) { return k->id; }
const char *rs_known_name(const struct rs_known *k) { return k->name; }
enum rs_kind rs_known_kind(const struct rs_known *k) { return k->kind; }
const char *rs_known_role(const struct rs_known *k) { return k->role; }
const char *rs_known_summary(const struct rs_known *k) { return k->summary; }
const struct rs_profile *rs_known_profile(const struct rs_known *k) { return k->profile; }
const char *rs_known_sha1(const struct rs_known *k) { return k->sha1; }
const char *rs_known_sha256(const struct rs_known *k) { return k->sha256; }
const char *rs_known_spki_sha256(const struct rs_known *k) { return k->spki; }
const char *rs_known_subject(const struct rs_known *k) { return known_ready(k)->subject; }
rs_time rs_known_not_after(const struct rs_known *k) { return known_ready(k)->not_after; }
const struct rs_cert *rs_known_cert(const struct rs_known *k) { return known_ready(k)->cert; }
size_t rs_known_issuer_count(const struct rs_known *k) { return k->nissuers; }

const char *rs_known_issuer_at(const struct rs_known *k, size_t i)
{
	return i < k->nissuers ? k->issuers[i] : NULL;
}

const char *rs_kind_name(enum rs_kind kind)
{
	switch (kind) {
	case RS_KIND_ROOT: return "root";
	case RS_KIND_INTERMEDIATE: return "intermediate";
	case RS_KIND_LEAF: return "leaf";
	}
	return "unknown";
}

void rs_profile_info(const struct rs_profile *p, struct rs_profile_info *info)
{
	*info = (struct rs_profile_info){
		.id = p->id, .name = p->name, .description = p->description,
		.migration_complete = p->migration_complete,
		.leaf_patterns = (const char *const *)p->leaf, .leaf_pattern_count = p->nleaf,
		.endpoints = p->endpoints, .endpoint_count = p->nendpoints,
	};
}

void rs_known_info(const struct rs_known *k, struct rs_known_info *info)
{
	*info = (struct rs_known_info){
		.id = k->id, .name = k->name, .kind = k->kind, .role = k->role, .summary = k->summary,
		.profile = k->profile, .sha1 = rs_known_sha1(k), .sha256 = rs_known_sha256(k),
		.spki_sha256 = rs_known_spki_sha256(k), .subject = rs_known_subject(k), .not_after = k->not_after,
		.cert = k->cert, .issuers = (const char *const *)k->issuers, .issuer_count = k->nissuers,
	};
}
