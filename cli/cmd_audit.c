/* cmd_audit.c: every trust anchor a device carries, judged against a profile; and `check`, for this machine. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct audit_opts {
	enum format format;
	rs_time at;
	const char *profile;
	int system;
	const char *system_root;
	int plain; /* `check`: explain in plain words */
	int endpoints; /* `check --endpoints`: probe the profile's endpoints too */
	enum rs_severity fail_on; /* --fail-on: error (not-ready only), warning (default: not ready), note */
	rs_time expiring;         /* --expiring-within, seconds; -1 when not asked */
};

/* ---- JSON ---- */

static json_t *anchor_json(const struct rs_anchor *a, const struct rs_catalog *cat, rs_time at)
{
	const struct rs_cert *c = rs_anchor_cert(a);
	const struct rs_known *k = rs_anchor_identify(cat, a);
	json_t *o, *locs = json_array();
	size_t i;

	if (c) {
		o = cert_json(c, NULL, cat, at);
		json_object_set_new(o, "form", json_string("certificate"));
	} else {
		o = json_object();
		json_object_set_new(o, "form", json_string("name-and-key"));
		json_object_set_new(o, "spki_sha256", json_string(rs_anchor_spki_sha256(a)));
		json_object_set_new(o, "subject", json_string(rs_anchor_subject(a)));
		json_object_set_new(o, "known", k ? json_string(rs_known_id(k)) : json_null());
		if (k)
			json_object_set_new(o, "catalog", known_json(k));
	}
	json_object_set_new(o, "trust", json_string(rs_trust_name(rs_anchor_trust(a))));
	if (*rs_anchor_label(a))
		json_object_set_new(o, "label", json_string(rs_anchor_label(a)));
	for (i = 0; i < rs_anchor_location_count(a); i++)
		json_array_append_new(locs, location_json(rs_anchor_location_at(a, i)));
	json_object_set_new(o, "locations", locs);
	return o;
}

static json_t *reason_json(const struct rs_reason *r)
{
	json_t *o = json_object();
	const struct rs_cert *c = r->anchor ? rs_anchor_cert(r->anchor) : NULL;

	json_object_set_new(o, "code", json_string(r->code));
	json_object_set_new(o, "severity", json_string(rs_severity_name(r->severity)));
	json_object_set_new(o, "message", json_string(r->message));
	if (r->action)
		json_object_set_new(o, "action", json_string(r->action));
	if (r->known)
		json_object_set_new(o, "known", json_string(rs_known_id(r->known)));
	if (c)
		json_object_set_new(o, "sha256", json_string(rs_cert_sha256(c)));
	else if (r->anchor)
		json_object_set_new(o, "spki_sha256", json_string(rs_anchor_spki_sha256(r->anchor)));
	if (r->finding) {
		json_set_path(o, "path", r->finding->loc.path);
		json_object_set_new(o, "line", r->finding->loc.line > 0 ? json_integer(r->finding->loc.line) : json_null());
		json_object_set_new(o, "offset", json_integer(r->finding->loc.offset));
	}
	return o;
}

static int render_json(const struct rs_anchorset *set, const struct rs_verdict *v, const struct rs_catalog *cat,
		       const struct rs_profile *p, rs_time at, json_t *endpoints)
{
	json_t *doc = json_object(), *anchors = json_array(), *reasons = json_array(), *notes = json_array();
	json_t *verdict = json_object(), *prof = json_object();
	char ab[32];
	size_t i;
	int rv;

	json_object_set_new(doc, "schema", json_string("rootshift/audit/1"));
	json_object_set_new(doc, "at", json_string(time_str(at, ab)));
	if (interrupted()) /* stopped by a signal: judged from the anchors found so far */
		json_object_set_new(doc, "partial", json_true());
	json_object_set_new(prof, "id", json_string(rs_profile_id(p)));
	json_object_set_new(prof, "name", json_string(rs_profile_name(p)));
	json_object_set_new(doc, "profile", prof);
	/* The store's verdict rests on its anchors; only the endpoints' chains are path-validated, under one policy. */
	json_object_set_new(doc, "policy", endpoints ? json_string(rs_verify_policy_name(CHECK_ENDPOINTS_POLICY))
						     : json_null());
	json_object_set_new(verdict, "status", json_string(rs_status_name(rs_verdict_status(v))));
	for (i = 0; i < rs_verdict_reason_count(v); i++)
		json_array_append_new(reasons, reason_json(rs_verdict_reason_at(v, i)));
	json_object_set_new(verdict, "reasons", reasons);
	json_object_set_new(doc, "verdict", verdict);
	json_object_set_new(doc, "count", json_integer((json_int_t)rs_anchorset_count(set)));
	for (i = 0; i < rs_anchorset_count(set); i++)
		json_array_append_new(anchors, anchor_json(rs_anchorset_at(set, i), cat, at));
	json_object_set_new(doc, "anchors", anchors);
	for (i = 0; i < rs_verdict_note_count(v); i++)
		json_array_append_new(notes, reason_json(rs_verdict_note_at(v, i)));
	json_object_set_new(doc, "notes", notes);
	if (endpoints)
		json_object_set(doc, "endpoints", endpoints);
	rv = print_json(doc);
	json_decref(doc);
	return rv;
}

/* ---- text: the verdict on one line, then what to do, then why ---- */

static void print_where(const struct rs_location *l)
{
	if (l->line > 0)
		printf("%s line %ld", l->path, l->line);
	else
		printf("%s byte %lld", l->path, l->offset);
	if (l->encoding && *l->encoding)
		printf(" (%s)", l->encoding);
}

static void print_known_anchors(const struct rs_anchorset *set, const struct rs_catalog *cat)
{
	size_t i, n = rs_anchorset_count(set), known = 0, nk = 0, trusted = 0;

	for (i = 0; i < n; i++) {
		const struct rs_anchor *a = rs_anchorset_at(set, i);
		const struct rs_known *k = rs_anchor_identify(cat, a);
		nk += rs_anchor_form(a) == RS_ANCHOR_NAME_KEY;
		trusted += rs_anchor_trust(a) == RS_TRUST_ANCHOR;
		if (!k)
			continue;
		if (!known++)
			printf("\nanchors the profiles know:\n");
		printf("  %-46s %-12s ", rs_known_name(k), rs_known_role(k));
		print_where(rs_anchor_location_at(a, 0));
		if (rs_anchor_location_count(a) > 1)
			printf(" and %zu more", rs_anchor_location_count(a) - 1);
		if (rs_anchor_trust(a) != RS_TRUST_ANCHOR)
			printf(" [%s]", rs_trust_name(rs_anchor_trust(a)));
		putchar('\n');
	}
	printf("\n%zu trust anchor%s (%zu name-and-key), %zu known to the profiles", trusted, trusted == 1 ? "" : "s", nk,
	       known);
	if (n > trusted)
		printf("; %zu more present but not trusted", n - trusted);
	putchar('\n');
}

static void print_notes(const struct rs_verdict *v)
{
	size_t i;

	if (rs_verdict_note_count(v))
		printf("\nnotes:\n");
	for (i = 0; i < rs_verdict_note_count(v); i++) {
		const struct rs_reason *r = rs_verdict_note_at(v, i);
		printf("  - ");
		if (r->finding) {
			print_where(&r->finding->loc);
			printf(": ");
		}
		printf("%s\n", r->message);
	}
}

static void plain_words(enum rs_status s, const struct rs_profile *p)
{
	if (s == RS_STATUS_READY)
		printf("This machine's trust store has every root %s needs: programs that use it will keep connecting.\n",
		       rs_profile_id(p));
	else if (s == RS_STATUS_PARTIAL)
		printf("This machine's trust store has the root %s needs today but misses something for the next change.\n",
		       rs_profile_id(p));
	else
		printf("Programs on this machine that use its trust store cannot connect to %s: update the ca-certificates\n"
		       "package (or add the roots below) before they are needed.\n", rs_profile_id(p));
}

static void render_text(const struct rs_anchorset *set, const struct rs_verdict *v, const struct rs_catalog *cat,
			const struct rs_profile *p, rs_time at, int plain)
{
	size_t i, nact = 0, n = rs_verdict_reason_count(v);
	char ab[32];

	printf("%s: %s at %s\n", status_word(rs_verdict_status(v)), rs_profile_name(p), time_str(at, ab));
	if (plain)
		plain_words(rs_verdict_status(v), p);
	for (i = 0; i < n; i++) {
		const struct rs_reason *r = rs_verdict_reason_at(v, i);
		if (!r->action)
			continue;
		printf("%s  - %s\n", nact++ ? "" : "\nwhat to do:\n", r->action);
	}
	if (n)
		printf("\nwhy:\n");
	for (i = 0; i < n; i++) {
		const struct rs_reason *r = rs_verdict_reason_at(v, i);
		printf("  %-7s %s\n", rs_severity_name(r->severity), r->message);
	}
	print_known_anchors(set, cat);
	print_notes(v);
}

/* ---- arguments ---- */

static const struct cli_opt rows[] = {
	{ "profile", 'p', "NAME|FILE", .help = "judge against this profile (default azure-iot)", CLI_SHORT },
	{ "at", 'a', "TIME", .help = "judge at this RFC 3339 time (default now)", CLI_SHORT },
	{ "format", 'f', "text|json", .help = "output format (default text; json has schema rootshift/audit/1)", CLI_SHORT },
	{ "system", 's', NULL, .help = "also read this machine's trust store (see docs/audit.md for the files)" },
	{ "system-root", 'r', "DIR", .help = "read the trust store of a system unpacked under DIR (implies --system)" },
	{ "fail-on", 'F', "LEVEL", .help = "exit 1 on: error (not ready only), warning (partial too, and the warnings of\n"
	  "--expiring-within; the default), note (any note too)" },
	{ "expiring-within", 'E', "D", .help = "note anchors, and the profile's intermediates, that expire within D (90d, 6mo,\n"
	  "1y, 2w, 12h; a unit is needed, and 'm' is refused: mo or min)" },
	CLI_END_ROWS,
};

const struct cli_spec cli_audit = {
	"audit",
	"find every trust anchor a device carries and judge it against a profile",
	"usage: rootshift audit [--profile NAME|FILE] [--at TIME] [--format text|json] [--fail-on LEVEL] [--system]\n"
	"                       [--system-root DIR] [--expiring-within D] PATH|-...\n",
	"Finds every trust anchor in files and directories, whatever the form; the content decides, never the name:\n"
	"PEM bundles (also inside JSON), DER, PKCS#7, PKCS#12, directories (OpenSSL hashed ones too), C and C++\n"
	"sources (PEM in string literals, DER or PEM in byte arrays), BearSSL trust-anchor headers, ESP-IDF\n"
	"x509_crt_bundle files, NSS certdata.txt (with its trust bits) and any other file, such as firmware\n"
	"images, ELF binaries or ar archives, by carving DER and PEM from its bytes; '-' reads standard input.\n"
	"Duplicates are merged with every location kept. The anchors are then judged against the profile at TIME:\n"
	"ready, partial or not-ready, with reasons and what to do.\n",
	25,
	rows,
	"Exit status: 0 ready, 1 partial or not ready, 2 when an input cannot be read.\n", NULL
};

/* check takes audit's options and --endpoints; its help explains the verdict instead of listing them. */
static const struct cli_opt check_rows[] = {
	{ "profile", 'p', "NAME|FILE", .help = NULL, CLI_SHORT },
	{ "at", 'a', "TIME", .help = NULL, CLI_SHORT },
	{ "format", 'f', "text|json", .help = NULL, CLI_SHORT },
	{ "system-root", 'r', "DIR", .help = NULL },
	{ "endpoints", 'e', NULL, .help = NULL },
	{ "fail-on", 'F', "LEVEL", .help = NULL },
	{ "expiring-within", 'E', "D", .help = NULL },
	{ "system", 's', NULL, .help = NULL }, /* what check does anyway */
	CLI_END_ROWS,
};

const struct cli_spec cli_check = {
	"check",
	"is this machine ready? its trust store audited against the default profile",
	"usage: rootshift check [--profile NAME|FILE] [--at TIME] [--format text|json] [--system-root DIR]\n"
	"                       [--endpoints] [--fail-on LEVEL] [--expiring-within D] [PATH...]\n",
	"Audits this machine's trust store (as 'audit --system') and says in plain words what the verdict means.\n"
	"--endpoints also probes the profile's endpoints that have a concrete host name (TLS with this store, 5 s\n"
	"each) and says plainly when the network cannot reach them. PATH...: more certificates this machine's\n"
	"programs trust besides the system store (an application's own bundle), audited with it as one store.\n",
	25,
	check_rows,
	"Exit status: 0 ready (and every reached endpoint verified), 1 partial, not ready or an endpoint failed,\n"
	"2 when the store cannot be read.\n", NULL,
};

static int parse_args(const char *cmd, int argc, char **argv, struct audit_opts *o)
{
	struct cli_parser ps;
	int c;

	cli_init(&ps, o->plain ? &cli_check : &cli_audit, 0, argc, argv);
	while ((c = cli_next(&ps)) != CLI_DONE) {
		switch (c) {
		case 'f': if (parse_format(cmd, optarg, &o->format)) return -1; break;
		case 'a': if (parse_at(optarg, &o->at)) return -1; break;
		case 'p': o->profile = optarg; break;
		case 's': o->system = 1; break;
		case 'r': o->system = 1; o->system_root = optarg; break;
		case 'e': o->endpoints = 1; break; /* check only: audit's table has no --endpoints */
		case 'F': if (parse_fail_on(cmd, optarg, &o->fail_on)) return -1; break;
		case 'E': if (parse_duration(cmd, optarg, &o->expiring)) return -1; break;
		case CLI_HELP: return 1;
		default: unknown_option(cmd, argc, argv); return -1;
		}
	}
	if (optind >= argc && !o->system) {
		usage_error(cmd, "no input given (give PATH... or --system)");
		return -1;
	}
	return 0;
}

static int scan_inputs(struct rs_anchorset *set, int argc, char **argv, const struct audit_opts *o,
		       struct rs_scan_opts *so)
{
	struct rs_error err;
	int i;

	if (o->system && rs_anchorset_scan_system(set, o->system_root, so, &err) < 0)
		return err.code == RS_ERR_CANCELLED ? 0 : lib_error(&err);
	for (i = optind; i < argc && !interrupted(); i++) {
		unsigned char *data = NULL;
		size_t len = 0;
		int rv;
		if (strcmp(argv[i], "-")) {
			if (rs_anchorset_scan_path(set, argv[i], so, &err) < 0)
				return err.code == RS_ERR_CANCELLED ? 0 : lib_error(&err); /* judged, marked partial */
			continue;
		}
		if (read_stdin(&data, &len))
			return EXIT_ERROR;
		rv = rs_anchorset_scan_mem(set, data, len, "(stdin)", so, &err);
		free(data);
		if (rv < 0)
			return err.code == RS_ERR_CANCELLED ? 0 : lib_error(&err);
	}
	return 0;
}

/* The exit status --fail-on asks for: the verdict's (0 only when ready) at warning, the default, where a note of
 * severity warning (--expiring-within's) fails too, as its JSON says "warning"; not-ready only at error; ready
 * without notes about the store at note. */
static int fail_on_exit(const struct rs_verdict *v, enum rs_severity fail_on)
{
	enum rs_status st = rs_verdict_status(v);
	struct rs_verdict_info info;

	if (fail_on == RS_SEV_ERROR)
		return st == RS_STATUS_NOT_READY ? EXIT_PROBLEM : EXIT_OK;
	rs_verdict_info(v, &info);
	for (size_t i = 0; i < info.note_count; i++) {
		/* what the profile's chains need of any TLS stack is said for every store: not a finding about this one,
		 * so it does not fail --fail-on note (else that gate would fail always) */
		int about_store = strcmp(info.notes[i].code, "algorithms") != 0;
		if (info.notes[i].severity >= RS_SEV_WARNING || (fail_on == RS_SEV_INFO && about_store))
			return EXIT_PROBLEM;
	}
	return status_exit(st);
}

static int run(const char *cmd, int argc, char **argv, struct audit_opts *o)
{
	struct progress prog = { time(NULL), 0, 0, 0 };
	struct rs_scan_opts so = { 0, NULL, NULL, NULL };
	struct rs_anchorset *set = NULL;
	struct rs_catalog *cat = NULL;
	struct rs_verdict *v = NULL;
	const struct rs_profile *p;
	struct rs_error err;
	json_t *endpoints = NULL;
	int rv = EXIT_ERROR, pa, failed = 0, unreachable = 0;

	if ((pa = parse_args(cmd, argc, argv, o)) != 0)
		return pa > 0 ? show_help(cmd) : EXIT_ERROR;
	if (interrupt_install() != 0)
		return EXIT_ERROR;
	so.cancel = interrupt_flag(); /* SIGINT, SIGTERM: stop within the file, judge what was found, partial */
	if (progress_wanted()) {
		so.progress = on_progress;
		so.progress_arg = &prog;
	}
	if (!(cat = load_catalog(o->profile)) || !(p = pick_profile(cat, o->profile)))
		goto out;
	if (!(set = rs_anchorset_new())) {
		error("out of memory");
		goto out;
	}
	pa = scan_inputs(set, argc, argv, o, &so);
	progress_done(&prog);
	if (pa)
		goto out;
	if (!(v = rs_audit(set, cat, p, o->at, &err))) {
		lib_error(&err);
		goto out;
	}
	if (o->expiring >= 0 && rs_verdict_note_expiring(v, set, cat, p, o->at, o->expiring, &err) < 0) {
		lib_error(&err);
		goto out;
	}
	if (o->endpoints && !interrupted())
		endpoints = check_endpoints(p, set, o->at, &failed, &unreachable);
	if (o->format == FORMAT_JSON ? render_json(set, v, cat, p, o->at, endpoints) != 0
				     : (render_text(set, v, cat, p, o->at, o->plain), 0))
		goto out;
	if (endpoints && o->format == FORMAT_TEXT)
		print_endpoints(endpoints, unreachable);
	if (interrupted() && o->format == FORMAT_TEXT)
		printf("\npartial: stopped by %s; judged from the anchors found so far, not the whole input\n",
		       interrupt_name());
	rv = interrupted() ? interrupt_exit_code() : failed ? EXIT_PROBLEM : fail_on_exit(v, o->fail_on);
out:
	json_decref(endpoints);
	rs_verdict_free(v);
	rs_anchorset_free(set);
	rs_catalog_free(cat);
	return rv;
}

int cmd_audit(int argc, char **argv)
{
	struct audit_opts o = { FORMAT_TEXT, now(), NULL, 0, NULL, 0, 0, RS_SEV_WARNING, -1 };

	return run("audit", argc, argv, &o);
}

int cmd_check(int argc, char **argv)
{
	struct audit_opts o = { FORMAT_TEXT, now(), NULL, 1, NULL, 1, 0, RS_SEV_WARNING, -1 };

	return run("check", argc, argv, &o);
}
