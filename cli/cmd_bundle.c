/* cmd_bundle.c: the smallest correct trust bundle in the form the device needs, and its proof (--check). */
#include "cli.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_FROM 32

struct bundle_opts {
	rs_time at;
	const char *profile;
	const char *from[MAX_FROM];
	int nfrom;
	const char *system_root;
	const char *format;
	const char *out;
	const char *check;
	const char *ident;
	struct rs_bundle_opts sel;
	int esp_idf_legacy;
	int json;
};

static const char *payload_what(enum rs_bundle_format f)
{
	static const char *const what[] = {
		"the PEM text", "the DER files", "the PEM text", "the PEM text",
		"the string, with its NUL", "the DER arrays", "the bundle file", "the names and keys",
	};
	return (size_t)f < sizeof(what) / sizeof(what[0]) ? what[f] : "";
}

static const char *day(rs_time t, char buf[32])
{
	time_str(t, buf);
	buf[10] = '\0';
	return buf;
}

/* ---- arguments ---- */

static const struct cli_opt rows[] = {
	{ "format", 'f', "FMT", .help = "pem             one PEM file\n"
	  "der-dir         a directory, one DER .crt file per root\n"
	  "pem-dir         a directory, one PEM .crt file per root (update-ca-certificates)\n"
	  "hashed-dir      an OpenSSL CApath directory: <subject hash>.0 as openssl rehash names\n"
	  "c-pem           OUT.c and OUT.h: one PEM string, \\r\\n line ends (Azure C SDK certs.c)\n"
	  "c-der           OUT.c and OUT.h: one DER array per root (mbedTLS parses one per call)\n"
	  "esp-idf         an ESP-IDF x509_crt_bundle, and OUT.txt saying what it holds\n"
	  "bearssl         a BearSSL trust-anchor header (brssl ta style)", CLI_SHORT | CLI_PRE },
	{ "output", 'o', "OUT", .help = "the file, or for *-dir formats a new or empty directory; '-' writes a one-file form\n"
	  "(pem, bearssl; esp-idf's bundle file without OUT.txt, never to a terminal) to\n"
	  "standard output and the summary to standard error", CLI_SHOW_SHORT },
	{ "from", 'F', "PATH", .help = "where the roots come from: anything audit reads (a PEM bundle such as certifi, NSS\n"
	  "certdata.txt with its trust bits, a directory; '-' standard input); repeatable; default the\n"
	  "system store" },
	{ "system-root", 'r', "DIR", .help = "without --from: the system store of a root file system unpacked under DIR" },
	{ "profile", 'p', "NAME|FILE", .help = "the migration profile (default azure-iot)", CLI_SHORT },
	{ "at", 'a', "TIME", .help = "choose for this RFC 3339 time (default now)" },
	{ "minimal", 'm', NULL, .help = "the smallest set of the profile's roots that validates, at TIME, every catalog\n"
	  "intermediate the endpoints may serve (the required roots always stay)" },
	{ "keep-old", 'k', NULL, .help = "also keep the profile's old root during a transition" },
	{ "name", 'n', "IDENT", .help = "the C identifier for c-pem (default certificates) and c-der (default trusted_roots)" },
	{ "esp-idf-legacy", 'L', NULL, .help = "the u16 big-endian esp-idf layout of older ESP-IDF releases (default: the current\n"
	  "offset-table layout)" },
	{ "check", 'c', "OUT", .help = "prove a bundle: read it back as audit does and verify every catalog intermediate\n"
	  "valid at TIME against it with the path builder ('-': read it from standard input)" },
	{ "format", 'f', "json", .help = "report as JSON (schema rootshift/bundle/1, or rootshift/bundle-check/1 for --check);\n"
	  "given besides --format FMT; --json is an alias", CLI_SHORT },
	{ "json", 'j', NULL, .help = NULL }, /* the alias that the --format json row names */
	CLI_END_ROWS,
};

const struct cli_spec cli_bundle = {
	"bundle",
	"write the smallest correct trust bundle in the device's form, or prove one (--check)",
	"usage: rootshift bundle --format FMT -o OUT [--profile NAME|FILE] [--from PATH]... [--system-root DIR]\n"
	"                        [--at TIME] [--minimal] [--keep-old] [--name IDENT] [--esp-idf-legacy]\n"
	"                        [--format json]\n"
	"       rootshift bundle --check OUT [--profile NAME|FILE] [--at TIME] [--format text|json]\n",
	"Takes the profile's roots from a trusted source, selected by the SHA-256 the profile gives (never by name),\n"
	"and writes them in the form the device needs; every output says what it holds (names, SHA-256, validity)\n"
	"and which profile made it. A root that is missing from the source, expired or not yet valid at TIME, not\n"
	"trusted there (NSS certdata trust bits) or present only as a name and key is an error, never left out.\n",
	25,
	rows,
	"--check gives audit's verdict words: READY, PARTIAL or NOT READY. Inside the profile's migration window\n"
	"(--at before its migration_complete) the old root is kept without --keep-old, with a note saying until when.\n"
	"Exit status: 0 written (or READY); 1 the source cannot yield the bundle (or PARTIAL, NOT READY); 2 on error.\n", NULL
};

static int parse_args(int argc, char **argv, struct bundle_opts *o)
{
	struct cli_parser ps;
	int c;

	cli_init(&ps, &cli_bundle, 0, argc, argv);
	while ((c = cli_next(&ps)) != CLI_DONE) {
		switch (c) {
		case 'p': o->profile = optarg; break;
		case 'F':
			if (o->nfrom == MAX_FROM)
				return usage_error("bundle", "at most %d --from sources", MAX_FROM), -1;
			o->from[o->nfrom++] = optarg;
			break;
		case 'r': o->system_root = optarg; break;
		case 'a': if (parse_at(optarg, &o->at)) return -1; break;
		case 'f': /* the bundle's form, or the report's: --format json is the flag on every command */
			if (!strcmp(optarg, "json") || !strcmp(optarg, "text"))
				o->json = !strcmp(optarg, "json");
			else
				o->format = optarg;
			break;
		case 'o': o->out = optarg; break;
		case 'c': o->check = optarg; break;
		case 'm': o->sel.minimal = 1; break;
		case 'k': o->sel.keep_old = 1; break;
		case 'n': o->ident = optarg; break;
		case 'L': o->esp_idf_legacy = 1; break;
		case 'j': o->json = 1; break;
		case CLI_HELP: return 1;
		default: unknown_option("bundle", argc, argv); return -1;
		}
	}
	if (optind < argc)
		return usage_error("bundle", "unexpected argument '%s'", arg_shown(argv[optind])), -1;
	if (o->check)
		return o->format || o->out || o->nfrom || o->system_root || o->sel.minimal || o->sel.keep_old
		       ? (usage_error("bundle", "--check takes only --profile, --at and --format text|json"), -1) : 0;
	if (!o->format || !o->out)
		return usage_error("bundle", "give --format FMT and -o OUT (or --check OUT)"), -1;
	if (!strcmp(o->out, "-") && o->json)
		return usage_error("bundle", "-o - writes the bundle to standard output: leave out --format json"), -1;
	return 0;
}

/* ---- writing files ---- */

static int write_file(const char *dir, const char *name, const unsigned char *data, size_t len)
{
	char path[8192];
	FILE *f;
	int bad, n;

	n = snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (n < 0 || (size_t)n >= sizeof(path))
		return error("path too long: '%s/%s'", dir, name);
	if (!(f = fopen(path, "wb")))
		return io_error("cannot write '%s': %s", path, strerror(errno));
	bad = fwrite(data, 1, len, f) != len;
	bad |= fclose(f) != 0;
	return bad ? io_error("cannot write '%s': %s", path, strerror(errno)) : 0;
}

/* A directory output must be new or empty: stale files (old hash names) would stay trusted. */
static int prepare_dir(const char *dir)
{
	struct dirent *e;
	DIR *d;
	int used = 0;

	if (mkdir(dir, 0755) == 0)
		return 0;
	if (errno != EEXIST || !(d = opendir(dir)))
		return io_error("cannot make directory '%s': %s", dir, strerror(errno));
	while ((e = readdir(d)))
		used |= strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	return used ? error("'%s' is not empty: give a new or empty directory, so no stale file stays trusted", dir) : 0;
}

/* Splits OUT into its directory and file name (dir "." when none). */
static void split_out(const char *out, char *dir, size_t dsize, const char **file)
{
	const char *slash = strrchr(out, '/');

	if (!slash) {
		snprintf(dir, dsize, ".");
		*file = out;
	} else {
		snprintf(dir, dsize, "%.*s", slash == out ? 1 : (int)(slash - out), out);
		*file = slash + 1;
	}
}

/* ---- making a bundle ---- */

/* A bundle made from part of its sources could leave a required root out: after SIGINT or SIGTERM nothing is
 * written, and the exit is 130 or 143 (a note says so). */
static int stopped(void)
{
	fprintf(stderr, "note: stopped by %s before the bundle was written: nothing written\n", interrupt_name());
	return interrupt_exit_code();
}

/* 0, or the exit code: an error, or a stop (the scan reads the interrupt flag before each file and MiB). */
static int scan_sources(struct rs_anchorset *src, const struct bundle_opts *o)
{
	struct rs_scan_opts so = { 0 };
	struct rs_error err;
	int i;

	so.cancel = interrupt_flag();
	if (!o->nfrom && rs_anchorset_scan_system(src, o->system_root, &so, &err) < 0)
		return err.code == RS_ERR_CANCELLED ? stopped() : lib_error(&err);
	for (i = 0; i < o->nfrom; i++)
		if (scan_store_path(src, o->from[i], &so, &err) < 0)
			return err.code == RS_ERR_CANCELLED ? stopped() : lib_error(&err);
	return interrupted() ? stopped() : 0;
}

static void source_name(const struct bundle_opts *o, char *buf, size_t size)
{
	size_t used = 0;
	int i, n;

	buf[0] = '\0';
	if (!o->nfrom)
		snprintf(buf, size, "the system store%s%s", o->system_root ? " under " : "",
			 o->system_root ? o->system_root : "");
	for (i = 0; i < o->nfrom && used < size; i++) {
		n = snprintf(buf + used, size - used, "%s'%s'", i ? ", " : "", o->from[i]);
		used += n > 0 ? (size_t)n : 0;
	}
}

static void print_reason(FILE *f, const struct rs_reason *r)
{
	fprintf(f, "  - %s\n", r->message);
	if (r->action)
		fprintf(f, "    what to do: %s\n", r->action);
}

static int report_problems(const struct rs_bundle *b, const struct bundle_opts *o)
{
	char src[1024], t[32];
	size_t i;

	source_name(o, src, sizeof(src));
	fflush(stdout);
	fprintf(stderr, "error: cannot make the %s bundle from %s at %s:\n", rs_profile_id(rs_bundle_profile(b)), src,
		time_str(o->at, t));
	for (i = 0; i < rs_bundle_problem_count(b); i++)
		print_reason(stderr, rs_bundle_problem_at(b, i));
	return EXIT_PROBLEM;
}

static void print_bundle(FILE *out, const struct rs_bundle *b)
{
	const struct rs_location *l;
	char t1[32], t2[32];
	size_t i, len;

	fprintf(out, "bundle for %s at %s: %zu root%s, %zu bytes of DER\n", rs_profile_id(rs_bundle_profile(b)),
	       time_str(rs_bundle_time(b), t1), rs_bundle_count(b), rs_bundle_count(b) == 1 ? "" : "s",
	       rs_bundle_der_bytes(b));
	for (i = 0; i < rs_bundle_count(b); i++) {
		const struct rs_cert *c = rs_bundle_cert_at(b, i);
		rs_cert_der(c, &len);
		fprintf(out, "\n  %s\n    SHA-256 %s\n    valid %s to %s, %s %d, %zu bytes DER\n    why: %s\n",
		       rs_known_name(rs_bundle_known_at(b, i)), rs_cert_sha256(c), day(rs_cert_not_before(c), t1),
		       day(rs_cert_not_after(c), t2), rs_cert_key_type(c), rs_cert_key_bits(c), len, rs_bundle_why_at(b, i));
		if ((l = rs_bundle_source_at(b, i)) && l->line > 0)
			fprintf(out, "    from: %s line %ld\n", l->path, l->line);
		else if (l)
			fprintf(out, "    from: %s byte %lld\n", l->path, l->offset);
	}
	if (rs_bundle_note_count(b))
		fprintf(out, "\nnotes:\n");
	for (i = 0; i < rs_bundle_note_count(b); i++)
		print_reason(out, rs_bundle_note_at(b, i));
}

/* Writes the files and reports them: as text, or into doc ("files", "payload_bytes") for --json. */
static int write_files(const struct rs_bundle_files *files, enum rs_bundle_format fmt, const char *dir,
		       const char *shown, json_t *doc)
{
	json_t *arr = json_array();
	char path[8192];
	size_t i, len, total = 0;

	if (!doc)
		printf("\nwrote %s:\n", rs_bundle_format_name(fmt));
	for (i = 0; i < rs_bundle_files_count(files); i++) {
		const char *name = rs_bundle_files_name_at(files, i);
		const unsigned char *data = rs_bundle_files_data_at(files, i, &len);
		json_t *f = json_object();
		if (write_file(dir, name, data, len)) {
			json_decref(f);
			json_decref(arr);
			return EXIT_ERROR;
		}
		snprintf(path, sizeof(path), "%s%s%s", shown, *shown ? "/" : "", name);
		if (!doc)
			printf("  %s  %zu bytes\n", path, len);
		json_set_path(f, "path", path);
		json_object_set_new(f, "bytes", json_integer((json_int_t)len));
		json_array_append_new(arr, f);
		total += len;
	}
	if (doc) {
		json_object_set_new(doc, "files", arr);
		json_object_set_new(doc, "payload_bytes", json_integer((json_int_t)rs_bundle_files_payload(files)));
		json_object_set_new(doc, "payload", json_string(payload_what(fmt)));
		return 0;
	}
	json_decref(arr);
	printf("%zu bytes in %zu file%s; the device holds %zu bytes (%s)\n", total, rs_bundle_files_count(files),
	       rs_bundle_files_count(files) == 1 ? "" : "s", rs_bundle_files_payload(files), payload_what(fmt));
	return 0;
}

/* ---- JSON (--json): schema rootshift/bundle/1 ---- */

static json_t *reason_json(const struct rs_reason *r)
{
	json_t *o = json_object();

	json_object_set_new(o, "code", json_string(r->code));
	json_object_set_new(o, "severity", json_string(rs_severity_name(r->severity)));
	json_object_set_new(o, "message", json_string(r->message));
	if (r->action)
		json_object_set_new(o, "action", json_string(r->action));
	json_object_set_new(o, "known", r->known ? json_string(rs_known_id(r->known)) : json_null());
	return o;
}

static json_t *bundle_json(const struct rs_bundle *b, const struct rs_catalog *cat, const char *format)
{
	json_t *doc = json_object(), *prof = json_object(), *roots = json_array(), *problems = json_array();
	json_t *notes = json_array();
	const struct rs_profile *p = rs_bundle_profile(b);
	char t[32];
	size_t i;

	json_object_set_new(doc, "schema", json_string("rootshift/bundle/1"));
	json_object_set_new(doc, "at", json_string(time_str(rs_bundle_time(b), t)));
	json_object_set_new(prof, "id", json_string(rs_profile_id(p)));
	json_object_set_new(prof, "name", json_string(rs_profile_name(p)));
	json_object_set_new(doc, "profile", prof);
	json_object_set_new(doc, "format", json_string(format));
	json_object_set_new(doc, "ok", json_boolean(!rs_bundle_problem_count(b)));
	for (i = 0; i < rs_bundle_count(b); i++) {
		const struct rs_location *l = rs_bundle_source_at(b, i);
		json_t *c = cert_json(rs_bundle_cert_at(b, i), l, cat, rs_bundle_time(b));
		size_t len;
		rs_cert_der(rs_bundle_cert_at(b, i), &len);
		json_object_set_new(c, "der_bytes", json_integer((json_int_t)len));
		json_object_set_new(c, "why", json_string(rs_bundle_why_at(b, i)));
		json_array_append_new(roots, c);
	}
	json_object_set_new(doc, "roots", roots);
	json_object_set_new(doc, "der_bytes", json_integer((json_int_t)rs_bundle_der_bytes(b)));
	for (i = 0; i < rs_bundle_problem_count(b); i++)
		json_array_append_new(problems, reason_json(rs_bundle_problem_at(b, i)));
	json_object_set_new(doc, "problems", problems);
	for (i = 0; i < rs_bundle_note_count(b); i++)
		json_array_append_new(notes, reason_json(rs_bundle_note_at(b, i)));
	json_object_set_new(doc, "notes", notes);
	return doc;
}

/* The file -o - writes: the only one, or esp-idf's bundle without its OUT.txt (what the summary on standard error
 * says too); -1 for forms of several files. */
static long stdout_file(const struct rs_bundle_files *files, enum rs_bundle_format fmt)
{
	size_t i, n = rs_bundle_files_count(files), len;

	if (rs_bundle_format_is_dir(fmt))
		return -1;
	if (n == 1)
		return 0;
	if (fmt != RS_BUNDLE_ESP_IDF)
		return -1;
	for (i = 0; i < n; i++) {
		const char *name = rs_bundle_files_name_at(files, i);
		len = strlen(name);
		if (len < 4 || strcmp(name + len - 4, ".txt"))
			return (long)i;
	}
	return -1;
}

/* -o -: a form written as one file goes to standard output; the summary goes to standard error. */
static int write_stdout(const struct rs_bundle *b, const struct rs_bundle_files *files, enum rs_bundle_format fmt)
{
	const unsigned char *data;
	long k = stdout_file(files, fmt);
	size_t len;

	if (k < 0)
		return usage_error("bundle",
				   "-o - takes a form written as one file (pem, bearssl, esp-idf), not %s (%zu files)",
				   rs_bundle_format_name(fmt), rs_bundle_files_count(files));
	if (fmt == RS_BUNDLE_ESP_IDF && isatty(STDOUT_FILENO))
		return usage_error("bundle", "-o - with esp-idf writes binary data: redirect standard output to a file "
				   "or a pipe");
	data = rs_bundle_files_data_at(files, (size_t)k, &len);
	if (fwrite(data, 1, len, stdout) != len)
		return io_error("cannot write the bundle to standard output");
	print_bundle(stderr, b);
	return EXIT_OK;
}

static int make_bundle(const struct bundle_opts *o)
{
	struct rs_bundle_render_opts ro = { NULL, o->ident, o->esp_idf_legacy };
	struct rs_anchorset *src = rs_anchorset_new();
	struct rs_bundle_files *files = NULL;
	struct rs_catalog *cat = NULL;
	struct rs_bundle *b = NULL;
	json_t *doc = NULL;
	const struct rs_profile *p;
	enum rs_bundle_format fmt;
	struct rs_error err;
	char dir[4096];
	const char *shown;
	int rv = EXIT_ERROR;

	if (rs_bundle_format_parse(o->format, &fmt, &err) < 0) {
		usage_error("bundle", "%s", err.message);
		goto out;
	}
	if (!src || !(cat = load_catalog(o->profile)) || !(p = pick_profile(cat, o->profile)))
		goto out;
	if ((rv = interrupt_install()) != 0 || (rv = scan_sources(src, o)) != 0)
		goto out;
	rv = EXIT_ERROR;
	if (!(b = rs_bundle_select(src, cat, p, o->at, &o->sel, &err))) {
		lib_error(&err);
		goto out;
	}
	if (o->json)
		doc = bundle_json(b, cat, rs_bundle_format_name(fmt));
	if (rs_bundle_problem_count(b)) {
		rv = report_problems(b, o);
		if (doc && print_json(doc))
			rv = EXIT_ERROR;
		goto out;
	}
	if (rs_bundle_format_is_dir(fmt)) {
		snprintf(dir, sizeof(dir), "%s", o->out);
		shown = o->out;
	} else {
		split_out(o->out, dir, sizeof(dir), &ro.file);
		shown = strrchr(o->out, '/') ? dir : "";
		if (!strcmp(o->out, "-"))
			ro.file = NULL;
	}
	if (!(files = rs_bundle_render(b, fmt, &ro, &err))) {
		lib_error(&err);
		goto out;
	}
	if (interrupted()) {
		rv = stopped();
		goto out;
	}
	if (!strcmp(o->out, "-")) { /* -o -: the bundle on stdout, what it holds on stderr; never a directory '-' */
		rv = write_stdout(b, files, fmt);
		goto out;
	}
	if (rs_bundle_format_is_dir(fmt) && prepare_dir(dir))
		goto out;
	if (!o->json)
		print_bundle(stdout, b);
	if (write_files(files, fmt, dir, shown, doc))
		goto out;
	rv = doc && print_json(doc) ? EXIT_ERROR : EXIT_OK;
out:
	json_decref(doc);
	rs_bundle_files_free(files);
	rs_bundle_free(b);
	rs_catalog_free(cat);
	rs_anchorset_free(src);
	return rv;
}

/* ---- --check ---- */

static void print_anchors(const struct rs_anchorset *set, const struct rs_catalog *cat)
{
	size_t i, known = 0;

	for (i = 0; i < rs_anchorset_count(set); i++) {
		const struct rs_anchor *a = rs_anchorset_at(set, i);
		const struct rs_known *k = rs_anchor_identify(cat, a);
		const struct rs_cert *c = rs_anchor_cert(a);
		if (!k)
			continue;
		if (!known++)
			printf("anchors the profile knows:\n");
		printf("  %-46s %s %s%s\n", rs_known_name(k), c ? "SHA-256" : "SPKI SHA-256",
		       c ? rs_cert_sha256(c) : rs_anchor_spki_sha256(a),
		       rs_anchor_trust(a) == RS_TRUST_ANCHOR ? "" : " [not trusted]");
	}
	printf("%zu anchor%s read back, %zu known to the profile\n", rs_anchorset_count(set),
	       rs_anchorset_count(set) == 1 ? "" : "s", known);
}

static int check_json(const struct bundle_opts *o, const struct rs_anchorset *set, const struct rs_bundle_check *chk,
		      const struct rs_catalog *cat, const struct rs_profile *p)
{
	json_t *doc = json_object(), *prof = json_object(), *items = json_array(), *anchors = json_array();
	json_t *notes = json_array();
	char t[32];
	size_t i;
	int rv;

	json_object_set_new(doc, "schema", json_string("rootshift/bundle-check/1"));
	json_set_path(doc, "path", o->check);
	json_object_set_new(doc, "at", json_string(time_str(o->at, t)));
	json_object_set_new(prof, "id", json_string(rs_profile_id(p)));
	json_object_set_new(prof, "name", json_string(rs_profile_name(p)));
	json_object_set_new(doc, "profile", prof);
	json_object_set_new(doc, "ok", json_boolean(rs_bundle_check_ok(chk)));
	json_object_set_new(doc, "verdict",
			    json_pack("{s:s}", "status", rs_status_name(rs_bundle_check_status(chk))));
	for (i = 0; i < rs_anchorset_count(set); i++) {
		const struct rs_anchor *a = rs_anchorset_at(set, i);
		const struct rs_known *k = rs_anchor_identify(cat, a);
		const struct rs_cert *c = rs_anchor_cert(a);
		json_t *x = json_object();
		json_object_set_new(x, "form", json_string(rs_anchor_form_name(rs_anchor_form(a))));
		json_object_set_new(x, "subject", json_string(rs_anchor_subject(a)));
		if (c)
			json_object_set_new(x, "sha256", json_string(rs_cert_sha256(c)));
		json_object_set_new(x, "spki_sha256", json_string(rs_anchor_spki_sha256(a)));
		json_object_set_new(x, "known", k ? json_string(rs_known_id(k)) : json_null());
		json_object_set_new(x, "trust", json_string(rs_trust_name(rs_anchor_trust(a))));
		json_array_append_new(anchors, x);
	}
	json_object_set_new(doc, "anchors", anchors);
	for (i = 0; i < rs_bundle_check_count(chk); i++) {
		const struct rs_bundle_check_item *it = rs_bundle_check_at(chk, i);
		json_t *x = json_object();
		json_object_set_new(x, "known", json_string(rs_known_id(it->intermediate)));
		json_object_set_new(x, "name", json_string(rs_known_name(it->intermediate)));
		json_object_set_new(x, "status", json_string(it->status));
		if (!strcmp(it->status, "failed")) {
			json_object_set_new(x, "reason", json_string(rs_verify_reason_code(it->reason)));
			json_object_set_new(x, "severity", json_string(rs_severity_name(it->severity)));
		}
		json_object_set_new(x, "message", json_string(it->message));
		json_object_set_new(x, "root", it->root ? json_string(rs_known_id(it->root)) : json_null());
		json_array_append_new(items, x);
	}
	json_object_set_new(doc, "intermediates", items);
	for (i = 0; i < rs_bundle_check_note_count(chk); i++)
		json_array_append_new(notes, json_string(rs_bundle_check_note_at(chk, i)));
	json_object_set_new(doc, "notes", notes);
	rv = print_json(doc);
	json_decref(doc);
	return rv;
}

static int check_bundle(const struct bundle_opts *o)
{
	struct rs_anchorset *set = rs_anchorset_new();
	struct rs_bundle_check *chk = NULL;
	struct rs_catalog *cat = NULL;
	const struct rs_profile *p;
	struct rs_error err;
	size_t i, n, checked = 0, failed = 0;
	char t[32];
	int rv = EXIT_ERROR;

	if (!set || !(cat = load_catalog(o->profile)) || !(p = pick_profile(cat, o->profile)))
		goto out;
	if (scan_store_path(set, o->check, NULL, &err) < 0 || !(chk = rs_bundle_check(set, cat, p, o->at, &err))) {
		lib_error(&err);
		goto out;
	}
	n = rs_bundle_check_count(chk);
	for (i = 0; i < n; i++) {
		const char *st = rs_bundle_check_at(chk, i)->status;
		checked += !strcmp(st, "ok") || !strcmp(st, "failed");
		failed += !strcmp(st, "failed");
	}
	if (o->json) {
		rv = check_json(o, set, chk, cat, p) ? EXIT_ERROR : status_exit(rs_bundle_check_status(chk));
		goto out;
	}
	printf("%s: %s%s%s for %s at %s: %zu of %zu catalog intermediates valid then verify against it\n",
	       status_word(rs_bundle_check_status(chk)), strcmp(o->check, "-") ? "'" : "",
	       strcmp(o->check, "-") ? o->check : "standard input", strcmp(o->check, "-") ? "'" : "", rs_profile_id(p),
	       time_str(o->at, t),
	       checked - failed, checked);
	printf("\n");
	print_anchors(set, cat);
	printf("\nintermediates:\n");
	for (i = 0; i < n; i++) {
		const struct rs_bundle_check_item *it = rs_bundle_check_at(chk, i);
		printf("  %-14s %-44s %s%s%s\n", it->status, rs_known_id(it->intermediate), it->message,
		       it->severity != RS_SEV_INFO ? " " : "", it->severity == RS_SEV_ERROR ? "[required]"
		       : it->severity == RS_SEV_WARNING ? "[recommended]" : "");
	}
	if (rs_bundle_check_note_count(chk) || rs_anchorset_finding_count(set))
		printf("\nnotes:\n");
	for (i = 0; i < rs_bundle_check_note_count(chk); i++)
		printf("  - %s\n", rs_bundle_check_note_at(chk, i));
	for (i = 0; i < rs_anchorset_finding_count(set); i++)
		printf("  - %s: %s\n", rs_anchorset_finding_at(set, i)->kind, rs_anchorset_finding_at(set, i)->message);
	if (!checked)
		printf("\nno catalog intermediate is valid at %s: nothing proves the bundle\n", time_str(o->at, t));
	rv = status_exit(rs_bundle_check_status(chk));
out:
	rs_bundle_check_free(chk);
	rs_catalog_free(cat);
	rs_anchorset_free(set);
	return rv;
}

int cmd_bundle(int argc, char **argv)
{
	struct bundle_opts o;
	int pa;

	memset(&o, 0, sizeof(o));
	o.at = now();
	if ((pa = parse_args(argc, argv, &o)) != 0)
		return pa > 0 ? show_help("bundle") : EXIT_ERROR;
	return o.check ? check_bundle(&o) : make_bundle(&o);
}
