/* cli.h: what the rootshift command's front end shares. It parses, calls librootshift and renders. */
#ifndef RS_CLI_H
#define RS_CLI_H

#include "rsx.h" /* rootshift.h and the private helpers */

#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <time.h>

#include "../lib/banned.h"
#include "opt.h"

/* Exit codes, the contract of docs/rootshift.1. */
enum { EXIT_OK = 0, EXIT_PROBLEM = 1, EXIT_ERROR = 2 };

enum format { FORMAT_TEXT, FORMAT_JSON };

struct command {
	int (*fn)(int argc, char **argv);
	const struct cli_spec *spec; /* its name, summary, options and help (opt.h), in its cmd_*.c */
};

/* help.c: main() hands over its table of commands; show_help prints a command's usage to stdout, returns EXIT_OK. */
void help_set_commands(const struct command *table, size_t n);
int show_help(const char *name);

/* common.c */
/* Turns on JSON error documents on stdout when the command line asks for JSON (--format json|jsonl, --json, -f json),
 * and a failed SARIF log for scan --format sarif. */
void json_errors_from_args(int argc, char **argv);
/* --json rewritten to --format=json in argv (from argv[2] to "--"); arg_shown gives "--json" back for messages. */
void json_alias(int argc, char **argv);
const char *arg_shown(const char *arg);
/* The SARIF log of a failed scan (scan_sarif_failure), given by main before json_errors_from_args: cli/ files do
 * not call each other in a circle (arch.layers), so common.c does not name cmd_scan.c's function. */
void json_errors_set_sarif(json_t *(*fn)(const char *code, const char *message));
int error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));       /* prints, returns EXIT_ERROR */
/* The same, with the JSON error code "io" (a file that cannot be read or written) or "input" (malformed input). */
int io_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int input_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int lib_error(const struct rs_error *err);
/* Fills err like the library does; returns -1. */
int set_error(struct rs_error *err, enum rs_errcode code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));                                    /* prints err, returns EXIT_ERROR */
int unknown_option(const char *cmd, int argc, char **argv);                   /* call on getopt's '?' */
int parse_format(const char *cmd, const char *arg, enum format *out);
int parse_at(const char *arg, rs_time *out);
/* --expiring-within DURATION ("90d"); 0, or an exit code after printing the error. */
int parse_duration(const char *cmd, const char *arg, rs_time *out);
/* --fail-on error|warning|note: the least severity that makes the exit status 1. */
int parse_fail_on(const char *cmd, const char *arg, enum rs_severity *out);
/* --color=auto|always|never on every command (auto: stdout is a terminal and NO_COLOR is unset or empty); removed
 * from argv by main before the command parses it. Returns -1 (reported) on a bad value. */
int color_from_args(int *argc, char **argv);
/* The verdict word (READY, PARTIAL, NOT READY), coloured when colour is on. */
const char *status_word(enum rs_status s);
/* A finding's severity word (info, warning, error), coloured when colour is on (scan's text). */
const char *severity_word(enum rs_severity s);
/* word in green (good) or red, when colour is on; the buffer is the calling thread's, until its next call. */
const char *good_bad_word(const char *word, int good);
/* The exit code of a verdict (rs_status_judge): 0 ready, 1 partial or not ready. */
int status_exit(enum rs_status s);
rs_time now(void);
/* Loads a built-in profile by name or a profile file; NULL means every built-in profile. */
struct rs_catalog *load_catalog(const char *profile);
/* Reads a secret from a file (first line, without its newline); NULL on error (already reported). */
char *read_secret_file(const char *path);
/* Reads all of standard input (at most LIMIT_STDIN); an error is already reported. */
int read_stdin(unsigned char **data, size_t *len);
/* The bounds of the files the front end reads itself (docs/rootshift.1, FILES). */
#define LIMIT_STDIN (64u << 20)
#define LIMIT_SECRET_FILE (64u << 10)
#define LIMIT_TARGETS_FILE (16u << 20)
#define LIMIT_IGNORE_FILE (1u << 20)
#define LIMIT_FLEET_FILE (16u << 20)
#define LIMIT_BASELINE_FILE (256u << 20) /* scan --baseline: an earlier scan's JSON */
/* Reads a whole file ("-": standard input), NUL-terminated: fstat first (a directory or a device is refused), then
 * the size against max before a byte is read, then a bounded read; a read error is an error. 0, or EXIT_ERROR
 * after printing the message. */
int read_bounded_file(const char *path, size_t max, char **data, size_t *len);
/* Loads a path, or "-" for standard input, into list. */
int load_input(struct rs_certlist *list, const char *path, const struct rs_load_opts *opts, struct rs_error *err);
/* rs_anchorset_scan_path, and "-": standard input (at most LIMIT_STDIN), named "(stdin)". */
int scan_store_path(struct rs_anchorset *set, const char *path, const struct rs_scan_opts *so, struct rs_error *err);
/* Loads a device's trust store in any form audit reads (NULL: the system store) as certificates the path builder
 * trusts; 0, or an exit code after printing the error. */
int load_store(struct rs_certlist *out, const char *path);
/* The same for the system store of a root file system unpacked under root (NULL: "/"). */
int load_system_store(struct rs_certlist *out, const char *root);
/* A monotonic clock in milliseconds, for the library's deadlines (rs_clock_fn). */
int64_t monotonic_ms(void *ctx);
/* The profile a --profile value names (a built-in name, or the one profile of a file; default azure-iot);
 * NULL after printing an error. */
const struct rs_profile *pick_profile(const struct rs_catalog *cat, const char *name);
/* A progress line on standard error for long work (scan and audit of trees, probe --targets, rehearse): one line,
 * rewritten in place, cleared before the results; only when standard error is a terminal and --no-progress was not
 * given (progress_wanted). The library reports progress through callbacks and never prints. */
struct progress {
	time_t start, last;
	int shown;
	int64_t last_ms; /* progress_line: when the line was last drawn */
};
/* Takes --no-progress out of argv (a global option, as --color is). */
void progress_from_args(int *argc, char **argv);
int progress_wanted(void);
/* rs_scan_opts / rs_pinscan_opts callback: "scanning: N files, M MB: PATH", once the walk took a second. */
void on_progress(void *arg, const char *path, unsigned long long files, unsigned long long bytes);
/* Draws the line (at most ten times a second unless force); progress_clear removes it (before output is
 * written), progress_done at the end. */
void progress_line(struct progress *p, int force, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void progress_clear(struct progress *p);
void progress_done(const struct progress *p);
/* "host", "host:port", "[v6]" or "[v6]:port" into host and *port (0 when none); -1 when malformed. */
int split_hostport(const char *text, char *host, size_t size, int *port);
/* Prints a JSON document to stdout. */
int print_json(json_t *doc);
/* Flushes stdout and reports a write error (a full disk is an error, not silence). */
int finish_output(int rv);

/* interrupt.c: SIGINT and SIGTERM for the long commands. interrupt_install: the first signal sets a flag and makes
 * interrupt_fd() readable (a self-pipe for event loops and polls), the second ends the process at once. The
 * command then prints what it has, marked partial, and returns interrupt_exit_code() (130, 143). */
int interrupt_install(void);
int interrupted(void);             /* the signal received, or 0 */
const volatile int *interrupt_flag(void); /* the same, for a library call's cancel option (scan, audit) */
int interrupt_fd(void);
int interrupt_exit_code(void);     /* 128 + the signal, or 0 */
int64_t interruptible_clock(void *ctx); /* monotonic_ms, or far past every deadline after a signal */
const char *interrupt_name(void);  /* "SIGINT", "SIGTERM" */
/* Blocks SIGINT and SIGTERM in the calling thread (call before pthread_create: the thread inherits the mask),
 * so that the main thread gets them; *old receives the mask to restore. */
void interrupt_block_in_thread(sigset_t *old);
/* Removes dir and what it holds when this process ends, whatever the way (a reaper process waits for it). */
int interrupt_reap_dir(const char *dir);
int remove_tree(const char *dir);

/* lab_lock.c: an exclusive lock on DIR/serve.lock while a lab is served (lab serve, rehearse --lab); 0 and *fd, or
 * EXIT_ERROR naming the running server's pid and ports. A stale serve.json (kill -9) is taken over with a note. */
int cli_lab_lock(const char *dir, int *fd);
void cli_lab_unlock(int fd);

/* render.c: certificate objects shared by every command's JSON and text output. */
json_t *cert_json(const struct rs_cert *cert, const struct rs_location *loc, const struct rs_catalog *cat, rs_time at);
json_t *known_json(const struct rs_known *k);
json_t *location_json(const struct rs_location *loc);
void json_set_path(json_t *obj, const char *key, const char *path); /* path, or escaped path + path_base64 */
void print_fingerprint(FILE *out, const char *label, const char *hex);
const char *time_str(rs_time t, char buf[32]);
/* "DigiCert Global Root G2: the root Azure IoT Hub and DPS moved to in 2023" */
void print_known_line(FILE *out, const struct rs_known *k);

/* check_endpoints.c: `check --endpoints`. The endpoints' chains are judged under this verify policy (named in the
 * text and in the JSON `policy` field). */
#define CHECK_ENDPOINTS_POLICY RS_VERIFY_POLICY_WEBPKI
json_t *check_endpoints(const struct rs_profile *p, const struct rs_anchorset *set, rs_time at, int *failed,
			int *unreachable);
void print_endpoints(const json_t *arr, int unreachable);

/* rehearse_endpoint.c: `rehearse FLEET.json --target HOST[:PORT]`, each class checked against a real endpoint now
 * and against the profile's new chain; returns the exit code. */
struct fleet_spec;
int rehearse_endpoint(const struct fleet_spec *spec, const char *target, rs_time at, const char *profile,
		      enum format format, int timeout_s);

/* cmd_scan.c: a SARIF 2.1.0 log of a run that failed before it could scan (executionSuccessful false, the message
 * as an error notification whose descriptor id is code). */
json_t *scan_sarif_failure(const char *code, const char *message);

/* Each command's table (opt.h), next to its function in its cmd_*.c. */
extern const struct cli_spec cli_audit, cli_bundle, cli_check, cli_inspect, cli_lab, cli_profiles, cli_probe,
	cli_rehearse, cli_scan, cli_verify;

/* One function per command. */
int cmd_audit(int argc, char **argv);
int cmd_bundle(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_completion(int argc, char **argv);
int cmd_inspect(int argc, char **argv);
int cmd_lab(int argc, char **argv);
int cmd_profiles(int argc, char **argv);
int cmd_probe(int argc, char **argv);
int cmd_rehearse(int argc, char **argv);
int cmd_scan(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_help(int argc, char **argv);
int cmd_version(int argc, char **argv);

#endif
