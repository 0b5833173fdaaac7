/* common.c: error messages, option helpers and output for every command. */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* --format json (or jsonl, or --json) anywhere on the command line: a failure is also a JSON document on stdout,
 * {"error": {"code", "message"}}, so a tool reading stdout sees why (issue #19); with jsonl it is one line. scan's
 * --format sarif: a SARIF log whose invocation failed (scan_sarif_failure), so a CI job uploading it has a valid
 * log whatever happened. One document a run: none after the command printed its own (print_json). */
static enum { ERRDOC_NONE, ERRDOC_JSON, ERRDOC_JSONL, ERRDOC_SARIF } errdoc;
static int json_error_done;
static json_t *(*sarif_failure)(const char *code, const char *message); /* set by main: scan_sarif_failure */

void json_errors_set_sarif(json_t *(*fn)(const char *code, const char *message))
{
	sarif_failure = fn;
}

void json_errors_from_args(int argc, char **argv)
{
	int i, scan = argc > 1 && !strcmp(argv[1], "scan");

	for (i = 1; i < argc && strcmp(argv[i], "--"); i++) {
		const char *a = argv[i], *v = NULL;
		if (!strcmp(a, "--json"))
			errdoc = ERRDOC_JSON;
		else if (!strncmp(a, "--format=", 9))
			v = a + 9;
		else if ((!strcmp(a, "--format") || !strcmp(a, "-f")) && i + 1 < argc)
			v = argv[++i];
		else if (!strncmp(a, "-f", 2) && a[2] != '-') /* -fjson */
			v = a + 2;
		if (!v)
			continue;
		if (!strcmp(v, "json"))
			errdoc = ERRDOC_JSON;
		else if (!strcmp(v, "jsonl"))
			errdoc = ERRDOC_JSONL;
		else if (!strcmp(v, "sarif") && scan && sarif_failure)
			errdoc = ERRDOC_SARIF;
	}
}

/* --json is a documented alias of --format json on every command (issue #19): rewritten here, in one place, to
 * this very buffer, so that messages can show the argument as the user gave it (arg_shown). */
static char json_alias_arg[] = "--format=json";

void json_alias(int argc, char **argv)
{
	int i;

	for (i = 2; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "--json"))
			argv[i] = json_alias_arg;
}

const char *arg_shown(const char *arg)
{
	return arg == json_alias_arg ? "--json" : arg;
}

static void json_error_out(const char *code, const char *message)
{
	json_t *doc;
	size_t flags = errdoc == ERRDOC_JSONL ? JSON_COMPACT : JSON_INDENT(2);

	if (errdoc == ERRDOC_NONE || json_error_done)
		return;
	json_error_done = 1;
	if (errdoc == ERRDOC_SARIF)
		doc = sarif_failure(code, message);
	else
		doc = json_pack("{s:{s:s, s:s}}", "error", "code", code, "message", message);
	if (doc && json_dumpf(doc, stdout, flags | JSON_PRESERVE_ORDER) == 0)
		fputc('\n', stdout);
	json_decref(doc);
}

static int report(const char *code, const char *suffix, const char *fmt, va_list ap)
{
	char msg[2048];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	json_error_out(code, msg);
	fflush(stdout);
	fprintf(stderr, "error: %s%s\n", msg, suffix);
	return EXIT_ERROR;
}

int error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report("error", "", fmt, ap);
	va_end(ap);
	return EXIT_ERROR;
}

static int error_code(const char *code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int error_code(const char *code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(code, "", fmt, ap);
	va_end(ap);
	return EXIT_ERROR;
}

int io_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report("io", "", fmt, ap);
	va_end(ap);
	return EXIT_ERROR;
}

int input_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report("input", "", fmt, ap);
	va_end(ap);
	return EXIT_ERROR;
}

int usage_error(const char *cmd, const char *fmt, ...)
{
	char suffix[64];
	va_list ap;

	snprintf(suffix, sizeof(suffix), "; see 'rootshift help%s%s'", cmd ? " " : "", cmd ? cmd : "");
	va_start(ap, fmt);
	report("usage", suffix, fmt, ap);
	va_end(ap);
	return EXIT_ERROR;
}

int lib_error(const struct rs_error *err)
{
	return error_code(rs_errcode_category(err->code), "%s", err->message[0] ? err->message : rs_errcode_name(err->code));
}

int set_error(struct rs_error *err, enum rs_errcode code, const char *fmt, ...)
{
	va_list ap;

	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	return -1;
}

int unknown_option(const char *cmd, int argc, char **argv)
{
	extern int optind, optopt;
	const char *arg = optind - 1 < argc ? arg_shown(argv[optind - 1]) : "?";

	if (optopt && strchr(arg, '=') == NULL && strncmp(arg, "--", 2))
		return usage_error(cmd, "unknown option '-%c' for '%s'", optopt, cmd);
	return usage_error(cmd, "unknown option or missing value '%s' for '%s'", arg, cmd);
}

int parse_format(const char *cmd, const char *arg, enum format *out)
{
	if (!strcmp(arg, "text"))
		*out = FORMAT_TEXT;
	else if (!strcmp(arg, "json"))
		*out = FORMAT_JSON;
	else
		return usage_error(cmd, "unknown format '%s' (use text or json)", arg);
	return 0;
}

int parse_at(const char *arg, rs_time *out)
{
	struct rs_error err;

	if (rs_time_parse(arg, out, &err) < 0)
		return lib_error(&err);
	return 0;
}

int parse_fail_on(const char *cmd, const char *arg, enum rs_severity *out)
{
	if (!strcmp(arg, "error"))
		*out = RS_SEV_ERROR;
	else if (!strcmp(arg, "warning"))
		*out = RS_SEV_WARNING;
	else if (!strcmp(arg, "note"))
		*out = RS_SEV_INFO;
	else
		return usage_error(cmd, "unknown --fail-on '%s' (use error, warning or note)", arg);
	return 0;
}

static int color_on;

/* Takes argv[i .. i+n-1] out of argv (a global option read before the command's own parser), with argv's NULL. */
static void drop_args(int *argc, char **argv, int i, int n)
{
	for (; i + n <= *argc; i++)
		argv[i] = argv[i + n];
	*argc -= n;
}

/* TERM=dumb (Emacs' shell, some CI logs) cannot show escape sequences. */
static int dumb_terminal(void)
{
	const char *term = getenv("TERM");

	return term && !strcmp(term, "dumb");
}

int color_from_args(int *argc, char **argv)
{
	const char *when = "auto", *env = getenv("NO_COLOR");
	int i, take;

	for (i = 1; i < *argc && strcmp(argv[i], "--");) {
		take = 0;
		if (!strncmp(argv[i], "--color=", 8)) {
			when = argv[i] + 8;
			take = 1;
		} else if (!strcmp(argv[i], "--color")) { /* --color WHEN, or a bare --color: always (as git, ls) */
			int word = i + 1 < *argc && (!strcmp(argv[i + 1], "auto") || !strcmp(argv[i + 1], "always") ||
						     !strcmp(argv[i + 1], "never"));
			when = word ? argv[i + 1] : "always";
			take = word ? 2 : 1;
		}
		if (!take) {
			i++;
			continue;
		}
		drop_args(argc, argv, i, take);
	}
	if (!strcmp(when, "always"))
		color_on = 1;
	else if (!strcmp(when, "never"))
		color_on = 0;
	else if (!strcmp(when, "auto"))
		color_on = isatty(STDOUT_FILENO) && !(env && *env) && !dumb_terminal(); /* https://no-color.org */
	else
		return usage_error(NULL, "unknown --color '%s' (use auto, always or never)", when), -1;
	return 0;
}

const char *status_word(enum rs_status s)
{
	static const char *const colored[] = { "\033[1;32mREADY\033[0m", "\033[1;33mPARTIAL\033[0m",
					       "\033[1;31mNOT READY\033[0m" };

	return color_on && (unsigned)s < 3 ? colored[s] : rs_status_word(s);
}

const char *severity_word(enum rs_severity s)
{
	static const char *const colored[] = { "\033[36minfo\033[0m", "\033[1;33mwarning\033[0m",
					       "\033[1;31merror\033[0m" };

	return color_on && (unsigned)s < 3 ? colored[s] : rs_severity_name(s);
}

const char *good_bad_word(const char *word, int good)
{
	static __thread char buf[128];

	if (!color_on)
		return word;
	snprintf(buf, sizeof(buf), "\033[1;%dm%s\033[0m", good ? 32 : 31, word);
	return buf;
}

int status_exit(enum rs_status s)
{
	return s == RS_STATUS_READY ? EXIT_OK : EXIT_PROBLEM;
}

int parse_duration(const char *cmd, const char *arg, rs_time *out)
{
	struct rs_error err;

	if (rs_duration_parse(arg, out, &err) < 0)
		return usage_error(cmd, "%s", err.message);
	return 0;
}

rs_time now(void)
{
	return (rs_time)time(NULL);
}

/* --profile FILE or NAME: a path (a '/', or .json in it) is a file; so is any other word that names no built-in
 * profile but an existing file (a profile saved as 'plant7'). */
static int profile_is_file(const char *name)
{
	const char *const *ids;
	struct stat st;

	if (strchr(name, '/') || strstr(name, ".json"))
		return 1;
	for (ids = rs_builtin_profiles(); *ids; ids++)
		if (!strcmp(*ids, name))
			return 0;
	return stat(name, &st) == 0;
}

struct rs_catalog *load_catalog(const char *profile)
{
	struct rs_catalog *cat = rs_catalog_new();
	struct rs_error err;
	int rv;

	if (!cat) {
		error("out of memory");
		return NULL;
	}
	if (!profile)
		rv = rs_catalog_add_builtin(cat, NULL, &err);
	else if (profile_is_file(profile))
		rv = rs_catalog_add_file(cat, profile, &err);
	else
		rv = rs_catalog_add_builtin(cat, profile, &err);
	if (rv < 0) {
		if (err.code == RS_ERR_NOTFOUND) {
			const char *const *ids = rs_builtin_profiles();
			char list[512] = "";
			size_t used = 0;
			for (; *ids && used < sizeof(list); ids++) {
				int n = snprintf(list + used, sizeof(list) - used, " %s", *ids);
				used += n > 0 ? (size_t)n : 0;
			}
			error_code("usage", "%s; built-in profiles:%s (or give a profile file)", err.message, list);
		} else
			lib_error(&err);
		rs_catalog_free(cat);
		return NULL;
	}
	return cat;
}

char *read_secret_file(const char *path)
{
	char *data, *copy;
	size_t len;

	if (read_bounded_file(path, LIMIT_SECRET_FILE, &data, &len))
		return NULL;
	data[strcspn(data, "\r\n")] = '\0'; /* the first line */
	copy = strdup(data);
	OPENSSL_cleanse(data, len);
	free(data);
	if (!copy)
		error("out of memory");
	return copy;
}

/* Reads what fd gives, at most max bytes (one more byte read tells a larger input); NUL-terminated. */
static int read_fd_bounded(int fd, const char *name, size_t max, char **data, size_t *len)
{
	size_t cap = max < 65536 ? max + 1 : 65536, n = 0;
	char *buf = malloc(cap + 1), *nb;
	ssize_t got;

	while (buf) {
		if (n == cap) {
			if (cap > max) {
				free(buf);
				return error("'%s' is larger than %zu bytes", name, max);
			}
			cap = cap * 2 > max + 1 ? max + 1 : cap * 2;
			if (!(nb = realloc(buf, cap + 1)))
				free(buf);
			buf = nb;
			continue;
		}
		got = read(fd, buf + n, cap - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			int e = errno;
			free(buf);
			return io_error("cannot read '%s': %s", name, strerror(e));
		}
		if (got == 0)
			break;
		n += (size_t)got;
	}
	if (!buf)
		return error("out of memory");
	buf[n] = '\0';
	*data = buf;
	*len = n;
	return 0;
}

int read_bounded_file(const char *path, size_t max, char **data, size_t *len)
{
	struct stat st;
	int fd, rv;

	if (!strcmp(path, "-"))
		return read_fd_bounded(STDIN_FILENO, "standard input", max, data, len);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return io_error("cannot open '%s': %s", path, strerror(errno));
	if (fstat(fd, &st) < 0)
		rv = io_error("cannot read '%s': %s", path, strerror(errno));
	else if (S_ISDIR(st.st_mode))
		rv = io_error("'%s' is a directory, not a file", path);
	else if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode))
		rv = io_error("'%s' is not a regular file", path);
	else if (S_ISREG(st.st_mode) && (uintmax_t)st.st_size > max)
		rv = input_error("'%s' is larger than %zu bytes", path, max);
	else
		rv = read_fd_bounded(fd, path, max, data, len);
	close(fd);
	return rv;
}

int read_stdin(unsigned char **data, size_t *len)
{
	return read_fd_bounded(STDIN_FILENO, "standard input", LIMIT_STDIN, (char **)data, len);
}

int load_input(struct rs_certlist *list, const char *path, const struct rs_load_opts *opts, struct rs_error *err)
{
	unsigned char *data = NULL;
	size_t len = 0;
	int rv;

	if (strcmp(path, "-"))
		return rs_load_path(list, path, opts, err);
	if (read_stdin(&data, &len)) {
		err->code = RS_ERR_IO;
		snprintf(err->message, sizeof(err->message), "cannot read standard input");
		return -1;
	}
	rv = rs_load_mem(list, data, len, "(stdin)", opts, err);
	free(data);
	return rv;
}

int print_json(json_t *doc)
{
	int rv;

	json_error_done = 1; /* the run's document: a later failure is on stderr and in the exit status only */
	rv = json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

	if (rv == 0)
		fputc('\n', stdout);
	return rv == 0 ? 0 : io_error("cannot write JSON output");
}

int finish_output(int rv)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "error: cannot write output: %s\n", strerror(errno));
		return EXIT_ERROR;
	}
	return rv;
}

/* A store certificate that cannot be read is reported and skipped; the rest of the store is used. */
static void report_broken(const struct rs_anchorset *set)
{
	size_t i;

	for (i = 0; i < rs_anchorset_finding_count(set); i++) {
		const struct rs_finding *f = rs_anchorset_finding_at(set, i);
		if (!strcmp(f->kind, "broken-certificate"))
			fprintf(stderr, "note: '%s' %s %lld: %s; skipped\n", f->loc.path, f->loc.line > 0 ? "line" : "byte",
				f->loc.line > 0 ? (long long)f->loc.line : f->loc.offset, f->message);
	}
}

int scan_store_path(struct rs_anchorset *set, const char *path, const struct rs_scan_opts *so, struct rs_error *err)
{
	unsigned char *data = NULL;
	size_t len = 0;
	int rv;

	if (strcmp(path, "-"))
		return rs_anchorset_scan_path(set, path, so, err);
	if (read_stdin(&data, &len))
		return set_error(err, RS_ERR_IO, "cannot read standard input");
	rv = rs_anchorset_scan_mem(set, data, len, "(stdin)", so, err);
	free(data);
	return rv;
}

/* path, or (path NULL) the system store under root. */
static int load_store_from(struct rs_certlist *out, const char *path, const char *root)
{
	struct rs_anchorset *set = rs_anchorset_new();
	struct rs_error err;
	size_t skipped = 0, before = rs_certlist_count(out);
	int rv;

	if (!set)
		return error("out of memory");
	rv = path ? scan_store_path(set, path, NULL, &err) : rs_anchorset_scan_system(set, root, NULL, &err);
	if (rv == 0)
		report_broken(set);
	if (rv == 0)
		rv = rs_anchorset_trusted_certs(set, out, &skipped, &err);
	rs_anchorset_free(set);
	if (rv < 0)
		return lib_error(&err);
	if (rs_certlist_count(out) == before)
		return error("no trusted certificate in '%s'%s%s%s", path ? path : "the system store",
			     !path && strcmp(root, "/") ? " under " : "", !path && strcmp(root, "/") ? root : "",
			     skipped ? " (name-and-key anchors cannot be used to verify a chain yet)" : "");
	return 0;
}

int load_store(struct rs_certlist *out, const char *path)
{
	return load_store_from(out, path, "/");
}

int load_system_store(struct rs_certlist *out, const char *root)
{
	return load_store_from(out, NULL, root ? root : "/");
}

int64_t monotonic_ms(void *ctx)
{
	struct timespec ts;

	(void)ctx;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

const struct rs_profile *pick_profile(const struct rs_catalog *cat, const char *name)
{
	const struct rs_profile *p;

	if (!name || !profile_is_file(name))
		p = rs_catalog_profile(cat, name ? name : "azure-iot");
	else
		p = rs_catalog_profile_count(cat) ? rs_catalog_profile_at(cat, 0) : NULL;
	if (!p)
		error("no profile '%s'", name ? name : "azure-iot");
	return p;
}

static int progress_off; /* --no-progress */

void progress_from_args(int *argc, char **argv)
{
	int i;

	for (i = 1; i < *argc && strcmp(argv[i], "--");) {
		if (strcmp(argv[i], "--no-progress")) {
			i++;
			continue;
		}
		progress_off = 1;
		drop_args(argc, argv, i, 1);
	}
}

int progress_wanted(void)
{
	return !progress_off && isatty(STDERR_FILENO);
}

void on_progress(void *arg, const char *path, unsigned long long files, unsigned long long bytes)
{
	struct progress *p = arg;
	time_t t = time(NULL);

	if (t - p->start < 1 || t == p->last)
		return;
	p->last = t;
	p->shown = 1;
	fprintf(stderr, "\r\033[Kscanning: %llu files, %llu MB: %.60s", files, bytes >> 20, path);
}

void progress_line(struct progress *p, int force, const char *fmt, ...)
{
	int64_t t = monotonic_ms(NULL);
	va_list ap;

	if (!force && p->shown && t - p->last_ms < 100)
		return;
	p->last_ms = t;
	p->shown = 1;
	fputs("\r\033[K", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fflush(stderr);
}

void progress_clear(struct progress *p)
{
	if (p->shown)
		fputs("\r\033[K", stderr);
	p->shown = 0;
}

void progress_done(const struct progress *p)
{
	if (p->shown)
		fputs("\r\033[K", stderr);
}

/* "host", "host:port", "[v6]" or "[v6]:port"; *port is 0 when none is given. */
int split_hostport(const char *text, char *host, size_t size, int *port)
{
	const char *colon = strrchr(text, ':'), *h = text;
	size_t hl;
	char *end;
	long p = 0;

	if (text[0] == '[') {
		const char *close = strchr(text, ']');
		if (!close)
			return -1;
		h = text + 1;
		hl = (size_t)(close - h);
		colon = close[1] == ':' ? close + 1 : NULL;
	} else
		hl = colon ? (size_t)(colon - text) : strlen(text);
	if (colon) {
		p = strtol(colon + 1, &end, 10);
		if (*end || p < 1 || p > 65535)
			return -1;
	}
	if (hl == 0 || hl >= size)
		return -1;
	memcpy(host, h, hl);
	host[hl] = '\0';
	*port = (int)p;
	return 0;
}
