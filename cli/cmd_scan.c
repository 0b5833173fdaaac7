/* cmd_scan.c: hard-coded trust and pinning in source, configuration and firmware: parse, scan, render. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum scan_format { SCAN_TEXT, SCAN_JSON, SCAN_SARIF };

struct scan_opts {
	enum scan_format format;
	rs_time at;
	const char *profile;
	unsigned jobs;
	const char *baseline;
	const char *ignore_file;
	const char *rules;        /* --rules FILE: extends the built-in pinning and trust API table */
	int no_ignore;
	enum rs_severity fail_on; /* --fail-on: findings at least this severe exit 1 (default error) */
};

/* ---- the baseline: findings of an earlier JSON run, matched by rule, path, value and text (not by line) ---- */

static char *finding_key(const char *rule, const char *path, const char *value, const char *text)
{
	size_t n = strlen(rule) + strlen(path) + strlen(value) + strlen(text) + 4;
	char *k = malloc(n);

	if (k)
		snprintf(k, n, "%s\t%s\t%s\t%s", rule, path, value, text);
	return k;
}

static json_t *load_baseline(const char *path)
{
	json_error_t je;
	json_t *doc, *findings, *f, *counts;
	char *text;
	size_t i, len;

	/* bounded, and a directory or a missing file said as such (not as a JSON syntax error) */
	if (read_bounded_file(path, LIMIT_BASELINE_FILE, &text, &len))
		return NULL;
	doc = json_loadb(text, len, 0, &je);
	free(text);
	if (!doc) {
		input_error("cannot read baseline '%s' line %d column %d: %s", path, je.line, je.column, je.text);
		return NULL;
	}
	findings = json_object_get(doc, "findings");
	if (!json_is_array(findings) || strcmp(json_string_value(json_object_get(doc, "schema")) ?
						       json_string_value(json_object_get(doc, "schema")) : "",
					       "rootshift/scan/1")) {
		json_decref(doc);
		input_error("cannot read baseline '%s': not the JSON output of 'rootshift scan' (schema rootshift/scan/1)", path);
		return NULL;
	}
	counts = json_object();
	json_array_foreach(findings, i, f) {
		const char *r = json_string_value(json_object_get(f, "rule")), *p = json_string_value(json_object_get(f, "path"));
		const char *v = json_string_value(json_object_get(f, "value")), *t = json_string_value(json_object_get(f, "text"));
		char *k = finding_key(r ? r : "", p ? p : "", v ? v : "", t ? t : "");
		if (!k)
			continue;
		json_object_set_new(counts, k, json_integer(json_integer_value(json_object_get(counts, k)) + 1));
		free(k);
	}
	json_decref(doc);
	return counts;
}

/* Whether f is in the baseline; each baseline entry absorbs one finding. */
static int in_baseline(json_t *counts, const struct rs_pin_finding *f)
{
	char *k;
	json_int_t n;
	int rv = 0;

	if (!counts || !(k = finding_key(f->rule->id, f->path, f->value, f->text)))
		return 0;
	if ((n = json_integer_value(json_object_get(counts, k))) > 0) {
		json_object_set_new(counts, k, json_integer(n - 1));
		rv = 1;
	}
	free(k);
	return rv;
}

/* ---- rendering ---- */

static const char *sarif_level(enum rs_severity s)
{
	return s == RS_SEV_ERROR ? "error" : s == RS_SEV_WARNING ? "warning" : "note";
}

/* Whether g takes its value from the same definition as f (both reached it through a name). */
static int same_definition(const struct rs_pin_finding *f, const struct rs_pin_finding *g)
{
	return f->related_path && g->related_path && f->related_offset == g->related_offset &&
	       !strcmp(f->related_path, g->related_path) && !strcmp(f->related_name ? f->related_name : "",
								     g->related_name ? g->related_name : "");
}

/* The reverse link: every reported call that takes f's definition, f's own first in the order of v. */
static json_t *used_at_json(const struct rs_pin_finding *f, const struct rs_pin_finding *const *v, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		if (same_definition(f, v[i]))
			json_array_append_new(a, json_pack("{s:s, s:o, s:o, s:I, s:o}", "path", v[i]->path, "line",
							   v[i]->line ? json_integer(v[i]->line) : json_null(), "column",
							   v[i]->column ? json_integer(v[i]->column) : json_null(),
							   "offset", (json_int_t)v[i]->offset,
							   "api", *v[i]->api ? json_string(v[i]->api) : json_null()));
	return a;
}

static json_t *finding_json(const struct rs_pin_finding *f, const struct rs_pin_finding *const *v, size_t n)
{
	json_t *o = json_object();

	json_object_set_new(o, "rule", json_string(f->rule->id));
	json_object_set_new(o, "kind", json_string(f->kind));
	json_object_set_new(o, "severity", json_string(rs_severity_name(f->severity)));
	json_object_set_new(o, "confidence", json_string(f->confidence));
	json_set_path(o, "path", f->path);
	json_object_set_new(o, "line", f->line ? json_integer(f->line) : json_null());
	json_object_set_new(o, "column", f->column ? json_integer(f->column) : json_null());
	json_object_set_new(o, "offset", json_integer(f->offset));
	json_object_set_new(o, "value", json_string(f->value));
	json_object_set_new(o, "algorithm", *f->algorithm ? json_string(f->algorithm) : json_null());
	json_object_set_new(o, "known", f->known ? json_string(rs_known_id(f->known)) : json_null());
	if (f->known)
		json_object_set_new(o, "catalog", known_json(f->known));
	json_object_set_new(o, "api", *f->api ? json_string(f->api) : json_null());
	json_object_set_new(o, "text", json_string(f->text));
	json_object_set_new(o, "message", json_string(f->message));
	if (f->related_path) /* where the value passed by name is defined */
		json_object_set_new(o, "related",
				    json_pack("[{s:s, s:o, s:o, s:I, s:s, s:o}]", "path", f->related_path, "line",
					      f->related_line ? json_integer(f->related_line) : json_null(), "column",
					      f->related_column ? json_integer(f->related_column) : json_null(), "offset",
					      (json_int_t)f->related_offset, "name", f->related_name ? f->related_name : "",
					      "used_at", used_at_json(f, v, n)));
	return o;
}

static int render_json(const struct rs_pinscan *ps, const struct rs_pin_finding *const *v, size_t n,
		       const struct scan_opts *o, size_t baselined)
{
	json_t *doc = json_object(), *arr = json_array(), *sum = json_object();
	size_t i, count[3] = { 0, 0, 0 };
	char ab[32];
	int rv;

	json_object_set_new(doc, "schema", json_string("rootshift/scan/1"));
	json_object_set_new(doc, "at", json_string(time_str(o->at, ab)));
	if (interrupted()) /* stopped by a signal: the files read whole so far */
		json_object_set_new(doc, "partial", json_true());
	for (i = 0; i < n; i++) {
		json_array_append_new(arr, finding_json(v[i], v, n));
		count[v[i]->severity]++;
	}
	json_object_set_new(sum, "files", json_integer((json_int_t)rs_pinscan_files(ps)));
	json_object_set_new(sum, "bytes", json_integer((json_int_t)rs_pinscan_bytes(ps)));
	json_object_set_new(sum, "errors", json_integer((json_int_t)count[RS_SEV_ERROR]));
	json_object_set_new(sum, "warnings", json_integer((json_int_t)count[RS_SEV_WARNING]));
	json_object_set_new(sum, "notes", json_integer((json_int_t)count[RS_SEV_INFO]));
	json_object_set_new(sum, "suppressed", json_integer((json_int_t)rs_pinscan_suppressed(ps)));
	json_object_set_new(sum, "baseline", json_integer((json_int_t)baselined));
	json_object_set_new(doc, "summary", sum);
	json_object_set_new(doc, "findings", arr);
	if (rs_pinscan_skipped_count(ps)) { /* the files left unread, with why: never silent */
		json_t *sk = json_array();
		for (i = 0; i < rs_pinscan_skipped_count(ps); i++) {
			const struct rs_pin_skipped *k = rs_pinscan_skipped_at(ps, i);
			json_t *e = json_object();
			json_set_path(e, "path", k->path);
			json_object_set_new(e, "reason", json_string(k->reason));
			json_array_append_new(sk, e);
		}
		json_object_set_new(doc, "skipped", sk);
	}
	rv = print_json(doc);
	json_decref(doc);
	return rv;
}

/* A path as a relative URI reference: unreserved characters and '/' kept, the rest percent-encoded. */
static char *path_uri(const char *path)
{
	size_t n = strlen(path), i, o = 0;
	char *u = malloc(3 * n + 1);

	if (!u)
		return NULL;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)path[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || strchr("-._~/", c))
			u[o++] = (char)c;
		else
			o += (size_t)snprintf(u + o, 4, "%%%02X", c);
	}
	u[o] = '\0';
	return u;
}

static json_t *text_obj(const char *s)
{
	return json_pack("{s:s}", "text", s);
}

/* A SARIF location (3.28) of a finding's place, with an id and the relationships (3.34) given. */
static json_t *sarif_location(const char *path, long line, long column, long long offset, int id, json_t *rels,
			      json_t *message)
{
	char *uri = path_uri(path);
	json_t *region = json_object(), *loc;

	if (line) {
		json_object_set_new(region, "startLine", json_integer(line));
		json_object_set_new(region, "startColumn", json_integer(column));
	} else {
		json_object_set_new(region, "byteOffset", json_integer(offset));
	}
	loc = json_pack("{s:i, s:{s:{s:s}, s:o}, s:o}", "id", id, "physicalLocation", "artifactLocation", "uri",
			uri ? uri : "", "region", region, "relationships", rels);
	if (message)
		json_object_set_new(loc, "message", message);
	free(uri);
	return loc;
}

/*
 * relatedLocations of a finding reached through a name: the definition (id 1) and the other reported calls that
 * take it (ids 2...), with relationships both ways (SARIF 2.1.0 3.28.7, 3.34): the call's location (id 0) points
 * to the definition, the definition to every call.
 */
static json_t *sarif_related(const struct rs_pin_finding *f, const struct rs_pin_finding *const *v, size_t n,
			     json_t *call_loc)
{
	json_t *rel = json_array(), *def_rels = json_array(), *def;
	const char *name = f->related_name && *f->related_name ? f->related_name : "the value";
	size_t i;
	int id = 2;

	json_object_set_new(call_loc, "id", json_integer(0));
	json_object_set_new(call_loc, "relationships",
			    json_pack("[{s:i, s:[s], s:{s:s+}}]", "target", 1, "kinds", "relevant", "description", "text",
				      "takes its value from the definition of ", name));
	json_array_append_new(def_rels, json_pack("{s:i, s:[s], s:{s:s}}", "target", 0, "kinds", "relevant",
						  "description", "text", "used by this call"));
	for (i = 0; i < n; i++) {
		if (v[i] == f || !same_definition(f, v[i]))
			continue;
		json_array_append_new(def_rels, json_pack("{s:i, s:[s], s:{s:s}}", "target", id, "kinds", "relevant",
							  "description", "text", "also used by this call"));
		json_array_append_new(rel, sarif_location(v[i]->path, v[i]->line, v[i]->column, v[i]->offset, id,
							  json_pack("[{s:i, s:[s]}]", "target", 1, "kinds", "relevant"),
							  json_pack("{s:s+}", "text", "another use of ", name)));
		id++;
	}
	def = sarif_location(f->related_path, f->related_line, f->related_column, f->related_offset, 1, def_rels,
			     json_pack("{s:s+}", "text", "definition of ", name));
	json_array_insert_new(rel, 0, def);
	return rel;
}

static json_t *sarif_result(const struct rs_pin_finding *f, const struct rs_pin_finding *const *v, size_t n)
{
	json_t *r = json_object(), *region = json_object(), *props = json_object(), *loc;
	char *uri = path_uri(f->path), *fp = finding_key(f->rule->id, f->path, f->value, f->text);
	size_t i;

	for (i = 0; i < rs_pin_rule_count() && rs_pin_rule_at(i) != f->rule; i++)
		;
	json_object_set_new(r, "ruleId", json_string(f->rule->id));
	json_object_set_new(r, "ruleIndex", json_integer((json_int_t)i));
	json_object_set_new(r, "level", json_string(sarif_level(f->severity)));
	json_object_set_new(r, "message", text_obj(f->message));
	if (f->line) {
		json_object_set_new(region, "startLine", json_integer(f->line));
		json_object_set_new(region, "startColumn", json_integer(f->column));
	} else {
		json_object_set_new(region, "byteOffset", json_integer(f->offset));
	}
	json_object_set_new(region, "snippet", text_obj(f->text));
	loc = json_pack("{s:{s:{s:s},s:o}}", "physicalLocation", "artifactLocation", "uri", uri ? uri : "",
			"region", region);
	json_object_set_new(r, "locations", json_pack("[o]", loc));
	if (f->related_path) /* SARIF 2.1.0 3.27.22: relatedLocations, each a location with an id */
		json_object_set_new(r, "relatedLocations", sarif_related(f, v, n, loc));
	if (fp) {
		for (i = 0; fp[i]; i++)
			fp[i] = fp[i] == '\t' ? '|' : fp[i];
		json_object_set_new(r, "partialFingerprints", json_pack("{s:s}", "rootshift/v1", fp));
	}
	json_object_set_new(props, "kind", json_string(f->kind));
	json_object_set_new(props, "confidence", json_string(f->confidence));
	if (*f->value)
		json_object_set_new(props, "value", json_string(f->value));
	if (*f->algorithm)
		json_object_set_new(props, "algorithm", json_string(f->algorithm));
	if (f->known)
		json_object_set_new(props, "known", json_string(rs_known_id(f->known)));
	if (*f->api)
		json_object_set_new(props, "api", json_string(f->api));
	json_object_set_new(r, "properties", props);
	free(uri);
	free(fp);
	return r;
}

/* SARIF 2.1.0 3.20 (invocation): executionSuccessful, and toolExecutionNotifications (3.20.21, 3.58): one warning a
 * skipped file, an error when a signal stopped the run, and an error for failure, the message of a run that cannot
 * go on (its descriptor names the error's code, as the JSON error document does). ps may be NULL. */
static json_t *sarif_invocations(const struct rs_pinscan *ps, const char *code, const char *failure)
{
	json_t *notes = json_array();
	size_t i;

	for (i = 0; ps && i < rs_pinscan_skipped_count(ps); i++) {
		const struct rs_pin_skipped *k = rs_pinscan_skipped_at(ps, i);
		char *uri = path_uri(k->path), text[1200];
		snprintf(text, sizeof(text), "skipped '%s': %s", k->path, k->reason);
		json_array_append_new(notes, json_pack("{s:s, s:o, s:[{s:{s:{s:s}}}]}", "level", "warning", "message",
						       text_obj(text), "locations", "physicalLocation",
						       "artifactLocation", "uri", uri ? uri : ""));
		free(uri);
	}
	if (interrupted()) {
		char text[200];
		snprintf(text, sizeof(text), "stopped by %s: partial results, of the files read whole so far",
			 interrupt_name());
		json_array_append_new(notes, json_pack("{s:s, s:o}", "level", "error", "message", text_obj(text)));
	}
	if (failure)
		json_array_append_new(notes, json_pack("{s:s, s:o, s:{s:s}}", "level", "error", "message",
						       text_obj(failure), "descriptor", "id", code));
	return json_pack("[{s:b, s:o}]", "executionSuccessful", !interrupted() && !failure,
			 "toolExecutionNotifications", notes);
}

/* The skipped files on stderr, never silent but not a flood: for each reason, the first few paths, then how many
 * more were skipped for it (a rootfs may hold thousands of links); --format json and SARIF list every one. */
#define SKIP_SHOWN 3
static void note_skipped(const struct rs_pinscan *ps)
{
	const char *reasons[64];
	size_t counts[64], nr = 0, n = rs_pinscan_skipped_count(ps);

	for (size_t i = 0; i < n; i++) {
		const struct rs_pin_skipped *k = rs_pinscan_skipped_at(ps, i);
		size_t r = 0;
		while (r < nr && strcmp(reasons[r], k->reason))
			r++;
		if (r == nr && nr < sizeof(reasons) / sizeof(reasons[0])) {
			reasons[nr] = k->reason;
			counts[nr++] = 0;
		}
		if (r == nr || ++counts[r] <= SKIP_SHOWN) /* beyond 64 distinct reasons: each is shown */
			fprintf(stderr, "note: skipped '%s': %s\n", k->path, k->reason);
	}
	for (size_t r = 0; r < nr; r++)
		if (counts[r] > SKIP_SHOWN)
			fprintf(stderr, "note: skipped %zu more for the same reason, %s; --format json lists every skipped file\n",
				counts[r] - SKIP_SHOWN, reasons[r]);
}

/* The SARIF log: the rules, a result a finding, and the invocation when a file was skipped, a signal stopped the
 * run or it failed (failure: its message; ps may then be NULL). */
static json_t *sarif_log(const struct rs_pinscan *ps, const struct rs_pin_finding *const *v, size_t n,
			 const char *code, const char *failure)
{
	json_t *doc = json_object(), *rules = json_array(), *results = json_array(), *driver, *run;
	size_t i;

	for (i = 0; i < rs_pin_rule_count(); i++) {
		const struct rs_pin_rule *r = rs_pin_rule_at(i);
		json_array_append_new(rules, json_pack("{s:s, s:s, s:o, s:o, s:o, s:{s:s}}", "id", r->id, "name", r->id,
						       "shortDescription", text_obj(r->summary), "fullDescription",
						       text_obj(r->help), "help", text_obj(r->help),
						       "defaultConfiguration", "level", sarif_level(r->severity)));
	}
	for (i = 0; i < n; i++)
		json_array_append_new(results, sarif_result(v[i], v, n));
	driver = json_pack("{s:s, s:s, s:s, s:o}", "name", "rootshift", "version", rs_version(), "semanticVersion",
			   rs_version(), "rules", rules);
	run = json_pack("{s:{s:o}, s:o}", "tool", "driver", driver, "results", results);
	if ((ps && rs_pinscan_skipped_count(ps)) || interrupted() || failure)
		json_object_set_new(run, "invocations", sarif_invocations(ps, code, failure));
	json_object_set_new(doc, "$schema", json_string("https://json.schemastore.org/sarif-2.1.0.json"));
	json_object_set_new(doc, "version", json_string("2.1.0"));
	json_object_set_new(doc, "runs", json_pack("[o]", run));
	return doc;
}

json_t *scan_sarif_failure(const char *code, const char *message)
{
	return sarif_log(NULL, NULL, 0, code, message);
}

static int render_sarif(const struct rs_pinscan *ps, const struct rs_pin_finding *const *v, size_t n,
			const char *failure)
{
	json_t *doc = sarif_log(ps, v, n, "input", failure);
	int rv = print_json(doc);

	json_decref(doc);
	return rv;
}

static void render_text(const struct rs_pinscan *ps, const struct rs_pin_finding *const *v, size_t n,
			size_t baselined)
{
	size_t i, count[3] = { 0, 0, 0 };

	for (i = 0; i < n; i++) {
		const struct rs_pin_finding *f = v[i];
		if (f->line)
			printf("%s:%ld:%ld: ", f->path, f->line, f->column);
		else
			printf("%s@%lld: ", f->path, f->offset);
		printf("%s: %s [%s, %s confidence]\n", severity_word(f->severity), f->message, f->rule->id,
		       f->confidence);
		printf("    %s\n", f->text);
		count[f->severity]++;
	}
	printf("%s%zu error%s, %zu warning%s, %zu note%s in %llu file%s", n ? "\n" : "", count[RS_SEV_ERROR],
	       count[RS_SEV_ERROR] == 1 ? "" : "s", count[RS_SEV_WARNING], count[RS_SEV_WARNING] == 1 ? "" : "s",
	       count[RS_SEV_INFO], count[RS_SEV_INFO] == 1 ? "" : "s", rs_pinscan_files(ps),
	       rs_pinscan_files(ps) == 1 ? "" : "s");
	if (rs_pinscan_suppressed(ps))
		printf("; %zu suppressed", rs_pinscan_suppressed(ps));
	if (baselined)
		printf("; %zu in the baseline", baselined);
	putchar('\n');
	if (interrupted())
		printf("partial: stopped by %s; these are the findings of the files read whole so far\n",
		       interrupt_name());
}

/* ---- arguments ---- */

static const struct cli_opt rows[] = {
	{ "profile", 'p', "NAME|FILE", .help = "identify values against this profile (default: every built-in profile)", CLI_SHORT },
	{ "format", 'f', "text|json|sarif", .help = "output format (default text; json has schema rootshift/scan/1; sarif is\n"
	  "SARIF 2.1.0)", CLI_SHORT },
	{ "jobs", 'j', "N", .help = "scan a tree with N threads (default: the online CPUs)", CLI_SHORT },
	{ "baseline", 'b', "FILE", .help = "report only findings that are not in FILE, an earlier --format json output", CLI_SHORT },
	{ "ignore-file", 'i', "FILE", .help = "suppressions: 'PATTERN [RULE...]' or 'value:HEX [RULE...]' a line" },
	{ "no-ignore", 'n', NULL, .help = "do not read .rootshiftignore at the top of a scanned directory" },
	{ "rules", 'r', "FILE", .help = "add pinning and trust APIs to the built-in table (rules/scan-rules.json format,\n"
	  "docs/scan.md); a bad file exits 2 with its line and column" },
	{ "fail-on", 'F', "LEVEL", .help = "exit 1 on findings of this severity or worse: error (default), warning, note" },
	{ "at", 'a', "TIME", .help = "the time recorded in the output (RFC 3339; default now)", CLI_SHORT },
	CLI_END_ROWS,
};

const struct cli_spec cli_scan = {
	"scan",
	"find hard-coded trust and pinning in source, configuration and firmware",
	"usage: rootshift scan [--profile NAME|FILE] [--format text|json|sarif] [--jobs N] [--baseline FILE]\n"
	"                      [--ignore-file FILE] [--no-ignore] [--rules FILE] [--fail-on LEVEL] [--at TIME]\n"
	"                      PATH|-...\n",
	"Finds what breaks a device at a CA rotation, whatever roots it trusts: fingerprints written in code or\n"
	"config (SHA-1 and SHA-256 as hex in any notation, 0x byte arrays, base64 sha256/ SPKI pins) judged by the\n"
	"catalog and by the API they feed (setFingerprint, setKnownKey, X509_digest with memcmp, <pin>,\n"
	"CURLOPT_PINNEDPUBLICKEY, ...), issuer and subject names compared as strings, intermediates and leaves\n"
	"embedded as trust anchors, configuration naming a single root file, verification turned off, and pinning\n"
	"APIs called with placeholders. Binaries go through the same rules (printable runs and carving). .git,\n"
	"node_modules and build outputs are skipped. Rules are listed in docs/scan.md.\n",
	25,
	rows,
	"Exit status: 0 when no finding at the --fail-on level is left, 1 when one is, 2 when an input cannot be read.\n", NULL,
};

static int parse_args(int argc, char **argv, struct scan_opts *o)
{
	struct cli_parser ps;
	char *end;
	long j;
	int c;

	cli_init(&ps, &cli_scan, 0, argc, argv);
	while ((c = cli_next(&ps)) != CLI_DONE) {
		switch (c) {
		case 'f':
			if (!strcmp(optarg, "text"))
				o->format = SCAN_TEXT;
			else if (!strcmp(optarg, "json"))
				o->format = SCAN_JSON;
			else if (!strcmp(optarg, "sarif"))
				o->format = SCAN_SARIF;
			else
				return usage_error("scan", "unknown format '%s' (use text, json or sarif)", optarg), -1;
			break;
		case 'a': if (parse_at(optarg, &o->at)) return -1; break;
		case 'p': o->profile = optarg; break;
		case 'j':
			j = strtol(optarg, &end, 10);
			if (*end || j < 1 || j > 64)
				return usage_error("scan", "--jobs wants a number from 1 to 64, not '%s'", optarg), -1;
			o->jobs = (unsigned)j;
			break;
		case 'b': o->baseline = optarg; break;
		case 'i': o->ignore_file = optarg; break;
		case 'r': o->rules = optarg; break;
		case 'n': o->no_ignore = 1; break;
		case 'F': if (parse_fail_on("scan", optarg, &o->fail_on)) return -1; break;
		case CLI_HELP: return 1;
		default: unknown_option("scan", argc, argv); return -1;
		}
	}
	if (optind >= argc)
		return usage_error("scan", "no input given (give PATH...)"), -1;
	return 0;
}

static int read_ignore(struct rs_pinscan *ps, const char *path)
{
	struct rs_error err;
	char *text;
	size_t len;
	int rv;

	if ((rv = read_bounded_file(path, LIMIT_IGNORE_FILE, &text, &len)) != 0)
		return rv;
	if (rs_pinscan_add_ignore(ps, text, len, "", path, &err) < 0)
		rv = lib_error(&err);
	free(text);
	return rv;
}

static int read_rules(struct rs_pinscan *ps, const char *path)
{
	struct rs_error err;
	char *text;
	size_t len;
	int rv;

	if ((rv = read_bounded_file(path, LIMIT_IGNORE_FILE, &text, &len)) != 0)
		return rv;
	if (rs_pinscan_set_rules(ps, text, len, path, &err) < 0)
		rv = lib_error(&err);
	free(text);
	return rv;
}

/* A path, or "-": standard input, scanned as one file named "(stdin)". */
static int scan_one(struct rs_pinscan *ps, const char *path, const struct rs_pinscan_opts *so, struct rs_error *err)
{
	unsigned char *data = NULL;
	size_t len = 0;
	int rv;

	if (strcmp(path, "-"))
		return rs_pinscan_path(ps, path, so, err);
	if (read_stdin(&data, &len))
		return set_error(err, RS_ERR_IO, "cannot read standard input");
	rv = rs_pinscan_mem(ps, data, len, "(stdin)", err);
	free(data);
	return rv;
}

static int run(int argc, char **argv, struct scan_opts *o)
{
	struct progress prog = { time(NULL), 0, 0, 0 };
	struct rs_pinscan_opts so;
	struct rs_pinscan *ps = NULL;
	struct rs_catalog *cat = NULL;
	const struct rs_profile *p;
	const struct rs_pin_finding **v = NULL;
	json_t *base = NULL;
	struct rs_error err;
	char failure[128];
	size_t i, n = 0, baselined = 0;
	int rv = EXIT_ERROR, errors = 0;

	memset(&so, 0, sizeof(so));
	so.jobs = o->jobs;
	so.no_ignore_files = o->no_ignore;
	if (interrupt_install() != 0)
		return EXIT_ERROR;
	so.cancel = interrupt_flag(); /* SIGINT, SIGTERM: stop within the file, print what was found, partial */
	if (progress_wanted()) {
		so.progress = on_progress;
		so.progress_arg = &prog;
	}
	if (!(cat = load_catalog(o->profile)))
		goto out;
	if (o->baseline && !(base = load_baseline(o->baseline)))
		goto out;
	if (!(p = pick_profile(cat, o->profile)))
		goto out;
	if (!(ps = rs_pinscan_new(cat))) {
		error("out of memory");
		goto out;
	}
	rs_pinscan_set_migration(ps, p, o->at);
	if (o->ignore_file && read_ignore(ps, o->ignore_file))
		goto out;
	if (o->rules && read_rules(ps, o->rules))
		goto out;
	for (i = (size_t)optind; i < (size_t)argc && !interrupted(); i++)
		if (scan_one(ps, argv[i], &so, &err) < 0) {
			if (err.code == RS_ERR_CANCELLED)
				break; /* rendered below, marked partial */
			progress_done(&prog);
			lib_error(&err);
			goto out;
		}
	progress_done(&prog);
	if (!(v = calloc(rs_pinscan_count(ps) + 1, sizeof(*v)))) {
		error("out of memory");
		goto out;
	}
	for (i = 0; i < rs_pinscan_count(ps); i++) {
		const struct rs_pin_finding *f = rs_pinscan_at(ps, i);
		if (in_baseline(base, f)) {
			baselined++;
			continue;
		}
		v[n++] = f;
		errors += f->severity >= o->fail_on;
	}
	note_skipped(ps);
	if (!interrupted() && rs_pinscan_files(ps) == 0 && rs_pinscan_skipped_count(ps)) {
		/* a failed run: SARIF says so in its one log (a CI job uploads it whatever happened), JSON and text
		 * print the error (common.c) */
		snprintf(failure, sizeof(failure), "nothing could be read: %zu file%s skipped",
			 rs_pinscan_skipped_count(ps), rs_pinscan_skipped_count(ps) == 1 ? "" : "s");
		if (o->format == SCAN_SARIF && render_sarif(ps, v, n, failure) != 0)
			goto out;
		rv = error("%s", failure);
		goto out;
	}
	if (o->format == SCAN_JSON ? render_json(ps, v, n, o, baselined) != 0
	    : o->format == SCAN_SARIF ? render_sarif(ps, v, n, NULL) != 0 : (render_text(ps, v, n, baselined), 0))
		goto out;
	rv = errors ? EXIT_PROBLEM : EXIT_OK;
	if (interrupted())
		rv = interrupt_exit_code();
out:
	free(v);
	json_decref(base);
	rs_pinscan_free(ps);
	rs_catalog_free(cat);
	return rv;
}

int cmd_scan(int argc, char **argv)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN); /* --jobs defaults to the online CPUs, as ripgrep's threads do */
	struct scan_opts o = { SCAN_TEXT, now(), NULL, cpus < 1 ? 1 : cpus > 64 ? 64 : (unsigned)cpus, NULL, NULL, NULL, 0,
			       RS_SEV_ERROR };
	int pa = parse_args(argc, argv, &o);

	if (pa)
		return pa > 0 ? show_help("scan") : EXIT_ERROR;
	return run(argc, argv, &o);
}
