/* cmd_verify.c: does a served chain validate against a trust store, and against the profile's old, new and
 * recommended root sets? Parse, call rs_verify() once per store, render. */
#include "cli.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_FILES 64

struct verify_args {
	enum format format;
	rs_time at;
	const char *chain, *profile, *profile_store, *host;
	const char *untrusted[MAX_FILES], *store[MAX_FILES];
	size_t n_untrusted, n_store;
	const char *crl[MAX_FILES];
	size_t n_crl;
	struct rs_verify_opts *opts;
};

/* The stores of a profile, by the name a user gives and the rule that lists their roots. */
static const struct { const char *name, *rule, *label; } profile_stores[] = {
	{ "old", "old", "old roots" },
	{ "new", "required", "new roots" },
	{ "recommended", "recommended", "recommended roots" },
};

/* ---- inputs ---- */

/* A certificate that parses as X.509 but breaks RFC 5280 is loaded: the verdict says "not valid" and why. */
static int load_files(struct rs_certlist *list, const char *const *paths, size_t n)
{
	static const struct rs_load_opts keep = { NULL, 0, 1 };
	struct rs_error err;
	size_t i;

	for (i = 0; i < n; i++)
		if (load_input(list, paths[i], &keep, &err) < 0)
			return lib_error(&err);
	return 0;
}

/* --chain is the chain as served, leaf first: a directory has no order, so it cannot be one. */
static int chain_not_dir(const char *path)
{
	struct stat st;

	if (strcmp(path, "-") && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return usage_error("verify", "--chain '%s' is a directory: give the served chain as one file, leaf first "
				   "(a directory has no order)", path);
	return 0;
}

static int load_crls(struct verify_args *a)
{
	struct rs_error err;
	size_t i;

	for (i = 0; i < a->n_crl; i++)
		if (rs_verify_opts_add_crl_path(a->opts, a->crl[i], &err) < 0)
			return lib_error(&err);
	return 0;
}

static const char *rule_of(const char *store_name)
{
	size_t i;

	for (i = 0; i < sizeof(profile_stores) / sizeof(profile_stores[0]); i++)
		if (!strcmp(profile_stores[i].name, store_name))
			return profile_stores[i].rule;
	return NULL;
}

/* ---- rendering ---- */

static const char *label(const struct rs_cert *c)
{
	return *rs_cert_common_name(c) ? rs_cert_common_name(c) : rs_cert_subject(c);
}

static void print_cert_line(const struct rs_certlist *path, size_t i, const struct rs_catalog *cat, long fault)
{
	const struct rs_cert *c = rs_certlist_at(path, i);
	const struct rs_known *k = rs_catalog_identify(cat, c);

	printf("  [%zu] %s (", i, label(c));
	if (k)
		printf("%s %s", rs_profile_id(rs_known_profile(k)), rs_known_id(k));
	else
		printf("sha1 %s", rs_cert_sha1(c));
	printf(")%s%s\n", i + 1 == rs_certlist_count(path) && fault < 0 ? ", trust anchor" : "",
	       (long)i == fault ? "  <- fails here" : "");
}

static void print_path(const struct rs_certlist *path, const struct rs_catalog *cat, long fault)
{
	size_t i;

	for (i = 0; i < rs_certlist_count(path); i++)
		print_cert_line(path, i, cat, fault);
}

/* Malformed store certificates, reported and not used as anchors. */
static void print_skipped_text(const struct rs_verify_result *r)
{
	size_t i;
	const char *why;

	for (i = 0; i < rs_verify_result_skipped_count(r); i++) {
		const struct rs_cert *c = rs_verify_result_skipped_at(r, i, &why);
		printf("skipped store certificate: %s (sha1 %s): malformed: %s\n", label(c), rs_cert_sha1(c), why);
	}
}

static void print_verdict_text(const struct rs_verify_result *r, const struct rs_certlist *chain,
			       const struct rs_catalog *cat, const struct verify_args *a)
{
	size_t i, n = rs_verify_result_path_count(r);
	const struct rs_certlist *failed;
	char ab[32];
	long at;

	if (rs_verify_result_ok(r))
		printf("verdict: %s at %s, %zu path%s%s\n", good_bad_word("valid", 1), time_str(a->at, ab), n, n == 1 ? "" : "s",
		       rs_verify_result_truncated(r) ? " (search stopped early)" : "");
	else
		printf("verdict: %s at %s: %s: %s (rule %s)\n", good_bad_word("NOT VALID", 0), time_str(a->at, ab),
		       rs_verify_reason_code(rs_verify_result_reason(r)), rs_verify_result_message(r),
		       rs_verify_result_rule(r));
	printf("served chain: %zu certificate%s, %zu bytes%s%s, policy %s\n", rs_certlist_count(chain),
	       rs_certlist_count(chain) == 1 ? "" : "s", rs_verify_result_chain_bytes(r), a->host ? ", host " : "",
	       a->host ? a->host : "", rs_verify_policy_name(rs_verify_result_policy(r)));
	print_skipped_text(r);
	for (i = 0; i < n; i++) {
		printf("path %zu:\n", i + 1);
		print_path(rs_verify_result_path_at(r, i), cat, -1);
	}
	if ((failed = rs_verify_result_failed_path(r, &at)) != NULL) {
		printf("best failed path:\n");
		print_path(failed, cat, at);
	}
}

static void print_whatif_text(const char *name, const struct rs_certlist *store, const struct rs_verify_result *r,
			      const struct rs_catalog *cat)
{
	size_t i, n = rs_verify_result_path_count(r);

	printf("  %-18s ", name);
	for (i = 0; i < rs_certlist_count(store); i++) {
		const struct rs_known *k = rs_catalog_identify(cat, rs_certlist_at(store, i));
		printf("%s%s", i ? ", " : "", k ? rs_known_id(k) : label(rs_certlist_at(store, i)));
		if (i == 3 && rs_certlist_count(store) > 5) {
			printf(" and %zu more", rs_certlist_count(store) - 4);
			break;
		}
	}
	if (!rs_certlist_count(store))
		printf("(no certificates)");
	if (rs_verify_result_ok(r))
		printf(": valid, %zu path%s\n", n, n == 1 ? "" : "s");
	else
		printf(": NOT VALID, %s: %s (rule %s)\n", rs_verify_reason_code(rs_verify_result_reason(r)),
		       rs_verify_result_message(r), rs_verify_result_rule(r));
}

static json_t *list_json(const struct rs_certlist *l, const struct rs_catalog *cat, rs_time at)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; i < rs_certlist_count(l); i++)
		json_array_append_new(arr, cert_json(rs_certlist_at(l, i), rs_certlist_location(l, i), cat, at));
	return arr;
}

static json_t *verdict_json(json_t *o, const struct rs_verify_result *r)
{
	json_object_set_new(o, "valid", json_boolean(rs_verify_result_ok(r)));
	json_object_set_new(o, "code", json_string(rs_verify_reason_code(rs_verify_result_reason(r))));
	json_object_set_new(o, "rule", rs_verify_result_ok(r) ? json_null() : json_string(rs_verify_result_rule(r)));
	json_object_set_new(o, "message", json_string(rs_verify_result_message(r)));
	json_object_set_new(o, "paths", json_integer((json_int_t)rs_verify_result_path_count(r)));
	json_object_set_new(o, "truncated", json_boolean(rs_verify_result_truncated(r)));
	return o;
}

static json_t *paths_json(const struct rs_verify_result *r, const struct rs_catalog *cat, rs_time at)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; i < rs_verify_result_path_count(r); i++)
		json_array_append_new(arr, list_json(rs_verify_result_path_at(r, i), cat, at));
	return arr;
}

static json_t *failed_json(const struct rs_verify_result *r, const struct rs_catalog *cat, rs_time at)
{
	const struct rs_certlist *failed;
	json_t *o;
	long fault;

	if (!(failed = rs_verify_result_failed_path(r, &fault)))
		return json_null();
	o = json_object();
	json_object_set_new(o, "at", fault >= 0 ? json_integer(fault) : json_null());
	json_object_set_new(o, "certificates", list_json(failed, cat, at));
	return o;
}

static json_t *skipped_json(const struct rs_verify_result *r, const struct rs_catalog *cat, rs_time at)
{
	json_t *arr = json_array();
	const char *why;
	size_t i;

	for (i = 0; i < rs_verify_result_skipped_count(r); i++) {
		json_t *o = json_object();
		json_object_set_new(o, "certificate", cert_json(rs_verify_result_skipped_at(r, i, &why), NULL, cat, at));
		json_object_set_new(o, "reason", json_string(why));
		json_array_append_new(arr, o);
	}
	return arr;
}

static json_t *store_ids_json(const struct rs_certlist *store, const struct rs_catalog *cat)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; i < rs_certlist_count(store); i++) {
		const struct rs_known *k = rs_catalog_identify(cat, rs_certlist_at(store, i));
		json_array_append_new(arr, json_string(k ? rs_known_id(k) : rs_cert_sha256(rs_certlist_at(store, i))));
	}
	return arr;
}

/* ---- the runs ---- */

struct run {
	const char *name;  /* "old", "new", "recommended", "given" */
	struct rs_certlist *store;
	struct rs_verify_result *result;
};

static int verify_one(struct run *run, const struct rs_certlist *chain, const struct rs_certlist *untrusted,
		      const struct verify_args *a)
{
	struct rs_error err;

	if (!(run->result = rs_verify(chain, untrusted, run->store, a->opts, &err)))
		return lib_error(&err);
	return 0;
}

static int render(const struct run *runs, size_t n_runs, size_t main_run, const struct rs_certlist *chain,
		  const struct rs_catalog *cat, const struct rs_profile *p, const struct verify_args *a)
{
	const struct rs_verify_result *r = runs[main_run].result;
	json_t *doc, *whatif;
	char ab[32];
	size_t i;
	int rv;

	if (a->format == FORMAT_TEXT) {
		print_verdict_text(r, chain, cat, a);
		printf("what-if (profile %s):\n", rs_profile_id(p));
		for (i = 0; i < n_runs; i++)
			print_whatif_text(runs[i].name, runs[i].store, runs[i].result, cat);
		return 0;
	}
	doc = json_object();
	json_object_set_new(doc, "schema", json_string("rootshift/verify/1"));
	json_object_set_new(doc, "at", json_string(time_str(a->at, ab)));
	json_object_set_new(doc, "host", a->host ? json_string(a->host) : json_null());
	json_object_set_new(doc, "profile", json_string(rs_profile_id(p)));
	json_object_set_new(doc, "store", json_string(runs[main_run].name));
	json_object_set_new(doc, "policy", json_string(rs_verify_policy_name(rs_verify_result_policy(r))));
	json_object_set_new(doc, "skipped_store", skipped_json(r, cat, a->at));
	json_object_set_new(doc, "chain_bytes", json_integer((json_int_t)rs_verify_result_chain_bytes(r)));
	json_object_set_new(doc, "served_chain", list_json(chain, cat, a->at));
	json_object_set_new(doc, "verdict", verdict_json(json_object(), r));
	json_object_set_new(doc, "paths", paths_json(r, cat, a->at));
	json_object_set_new(doc, "failed_path", failed_json(r, cat, a->at));
	whatif = json_array();
	for (i = 0; i < n_runs; i++) {
		json_t *w = json_object();
		json_object_set_new(w, "store", json_string(runs[i].name));
		json_object_set_new(w, "roots", store_ids_json(runs[i].store, cat));
		json_array_append_new(whatif, verdict_json(w, runs[i].result));
	}
	json_object_set_new(doc, "whatif", whatif);
	rv = print_json(doc);
	json_decref(doc);
	return rv;
}

/* ---- arguments ---- */

static int parse_number(const char *opt, const char *arg, long max, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno || end == arg || *end || v < 0 || v > max)
		return usage_error("verify", "invalid value '%s' for '%s' (a number from 0 to %ld)", arg, opt, max);
	*out = v;
	return 0;
}

static int add_path(const char **v, size_t *n, const char *opt, const char *arg)
{
	if (*n == MAX_FILES)
		return usage_error("verify", "too many '%s' options (at most %d)", opt, MAX_FILES);
	v[(*n)++] = arg;
	return 0;
}

static int lib_usage(const struct rs_error *err)
{
	return usage_error("verify", "%s", err->message);
}

static int set_limit(struct verify_args *a, int c, const char *arg)
{
	long n;

	switch (c) {
	case 'd':
		if (parse_number("--max-depth", arg, 64, &n))
			return EXIT_ERROR;
		rs_verify_opts_set_max_depth(a->opts, (int)n);
		return 0;
	case 'b':
		if (parse_number("--max-chain-bytes", arg, LONG_MAX, &n))
			return EXIT_ERROR;
		rs_verify_opts_set_max_chain_bytes(a->opts, (size_t)n);
		return 0;
	case 'm':
		if (parse_number("--min-rsa-bits", arg, 65536, &n))
			return EXIT_ERROR;
		rs_verify_opts_set_min_rsa_bits(a->opts, (int)n);
		return 0;
	default:
		if (parse_number("--rsa-max-bits", arg, 65536, &n))
			return EXIT_ERROR;
		rs_verify_opts_set_rsa_max_bits(a->opts, (int)n);
		return 0;
	}
}

static int set_option(struct verify_args *a, int c, const char *arg)
{
	struct rs_error err;
	enum rs_verify_policy policy;

	switch (c) {
	case 'c': a->chain = arg; return 0;
	case 'P':
		if (rs_verify_policy_parse(arg, &policy, &err) < 0)
			return lib_usage(&err);
		rs_verify_opts_set_policy(a->opts, policy);
		return 0;
	case 'A': return rs_verify_opts_allow_key(a->opts, arg, &err) < 0 ? lib_usage(&err) : 0;
	case 'C': return add_path(a->crl, &a->n_crl, "--crl", arg);
	case 'u': return add_path(a->untrusted, &a->n_untrusted, "--untrusted", arg);
	case 's': return add_path(a->store, &a->n_store, "--store", arg);
	case 'p': a->profile = arg; return 0;
	case 'a': return parse_at(arg, &a->at);
	case 'f': return parse_format("verify", arg, &a->format);
	case 'd': case 'b': case 'r': case 'm': return set_limit(a, c, arg);
	case 'S':
		a->profile_store = arg;
		if (!rule_of(arg))
			return usage_error("verify", "unknown profile store '%s' (use old, new or recommended)", arg);
		return 0;
	case 'H':
		a->host = arg;
		return rs_verify_opts_set_host(a->opts, arg, &err) < 0 ? lib_usage(&err) : 0;
	case 'D': return rs_verify_opts_deny_digest(a->opts, arg, &err) < 0 ? lib_usage(&err) : 0;
	case 'K': return rs_verify_opts_deny_key(a->opts, arg, &err) < 0 ? lib_usage(&err) : 0;
	default: return EXIT_ERROR;
	}
}

static const struct cli_opt rows[] = {
	{ "chain", 'c', "FILE", .help = "the served chain, leaf first ('-' for standard input)" },
	{ "untrusted", 'u', "FILE", .help = "more intermediates the device or a cache holds (repeatable)" },
	{ "store", 's', "PATH", .help = "trust anchors: PEM, DER, PKCS#7, PKCS#12 or a directory; '-' standard input\n"
	  "(repeatable)" },
	{ "profile-store", 'S', "STORE", .help = "use the profile's roots instead: old, new (rule required) or recommended" },
	{ "profile", 'p', "NAME|FILE", .help = "the migration profile (default azure-iot)" },
	{ "host", 'H', "NAME", .help = "check the end certificate against this host name or IP address (RFC 6125)" },
	{ "at", 'a', "TIME", .help = "verify at this RFC 3339 time (default now)" },
	{ "format", 'f', "text|json", .help = "output format (default text; json has schema rootshift/verify/1)" },
	CLI_TEXT("device constraints:\n"),
	{ "max-depth", 'd', "N", .help = "at most N intermediates between the end certificate and the anchor" },
	{ "max-chain-bytes", 'b', "N", .help = "the served chain (sum of DER sizes) must fit in N bytes" },
	{ "no-digest", 'D', "NAME", .help = "the device lacks this digest: md5, sha1, sha224, sha256, sha384, sha512" },
	{ "no-key", 'K', "NAME", .help = "the device cannot use this key type (RSA, EC, Ed25519) or curve (P-384)" },
	{ "rsa-max-bits", 'r', "N", .help = "the largest RSA key the device can use" },
	CLI_TEXT("policy:\n"),
	{ "policy", 'P', "NAME", .help = "webpki (default: as strict as rustls-webpki and pyca/cryptography) or rfc5280\n"
	  "(what a lenient device stack accepts: RFC 5280 without the Web PKI profile)" },
	{ "min-rsa-bits", 'm', "N", .help = "RSA keys need at least N bits, a multiple of 8 (webpki: 2048; 0 turns it off)" },
	{ "allow-key", 'A', "ALG", .help = "allow what the webpki key policy forbids: DSA, Ed25519, a curve (P-192),\n"
	  "any-curve or explicit-curve (repeatable)" },
	{ "crl", 'C', "FILE", .help = "CRLs (PEM or DER) of the path's issuers; revocation is checked (repeatable)" },
	CLI_END_ROWS,
};

const struct cli_spec cli_verify = {
	"verify",
	"build every path from a served chain to a trust store; what-if old, new and recommended roots",
	"usage: rootshift verify --chain FILE [--untrusted FILE]... (--store PATH... | --profile-store old|new|recommended)\n"
	"                        [--profile NAME|FILE] [--host NAME] [--at TIME] [--format text|json]\n"
	"                        [--max-depth N] [--max-chain-bytes N] [--no-digest NAME]... [--no-key NAME]...\n"
	"                        [--rsa-max-bits N] [--policy webpki|rfc5280] [--min-rsa-bits N] [--allow-key ALG]...\n"
	"                        [--crl FILE]...\n",
	"Builds every path from the first certificate of the served chain (leaf first, as a server sends it; a CA\n"
	"certificate may be the end of the chain) to a trust anchor, trying every candidate issuer, so cross-signed\n"
	"twin intermediates are found in any order. Prints the verdict, every valid path (shortest first) with each\n"
	"certificate named by the catalog, or why the best failed path failed, then what-if verdicts against the\n"
	"profile's old, new and recommended roots and the given store. Codes and rules are listed in docs/verify.md.\n"
	"A certificate that breaks RFC 5280 makes the chain not valid (code malformed); a malformed certificate in\n"
	"the store is reported and skipped.\n",
	26,
	rows,
	"Exit status: 0 when a valid path exists for the chosen store, 1 when none does, 2 on error.\n", NULL,
};

static int parse_args(int argc, char **argv, struct verify_args *a)
{
	struct cli_parser ps;
	int c;

	cli_init(&ps, &cli_verify, 0, argc, argv);
	while ((c = cli_next(&ps)) != CLI_DONE) {
		if (c == CLI_HELP)
			return 1;
		if (c == '?' || c == ':') {
			unknown_option("verify", argc, argv);
			return -1;
		}
		if (set_option(a, c, optarg))
			return -1;
	}
	if (optind < argc)
		return usage_error("verify", "unexpected argument '%s'", arg_shown(argv[optind])), -1;
	if (!a->chain)
		return usage_error("verify", "no --chain given"), -1;
	if (!a->n_store == !a->profile_store)
		return usage_error("verify", "give either --store or --profile-store"), -1;
	return 0;
}

/* ---- the command ---- */

static int run_all(struct run *runs, size_t *n_runs, size_t *main_run, const struct rs_certlist *chain,
		   const struct rs_certlist *untrusted, const struct rs_profile *p, const struct verify_args *a)
{
	struct rs_error err;
	size_t i;

	for (i = 0; i < sizeof(profile_stores) / sizeof(profile_stores[0]); i++) {
		struct run *r = &runs[(*n_runs)++];
		r->name = profile_stores[i].name;
		if (!(r->store = rs_certlist_new()))
			return error("out of memory");
		if (rs_profile_rule_store(p, profile_stores[i].rule, r->store, &err) < 0)
			return lib_error(&err);
		if (verify_one(r, chain, untrusted, a))
			return EXIT_ERROR;
		if (a->profile_store && !strcmp(a->profile_store, r->name))
			*main_run = i;
	}
	if (a->n_store) {
		struct run *r = &runs[(*n_runs)++];
		r->name = "given";
		*main_run = *n_runs - 1;
		if (!(r->store = rs_certlist_new()))
			return error("out of memory");
		for (i = 0; i < a->n_store; i++)
			if (load_store(r->store, a->store[i]))
				return EXIT_ERROR;
		if (verify_one(r, chain, untrusted, a))
			return EXIT_ERROR;
	}
	return 0;
}

int cmd_verify(int argc, char **argv)
{
	struct verify_args a = { FORMAT_TEXT, now(), NULL, NULL, NULL, NULL, { NULL }, { NULL }, 0, 0, { NULL }, 0, NULL };
	struct rs_certlist *chain = rs_certlist_new(), *untrusted = rs_certlist_new();
	struct rs_catalog *cat = NULL;
	const struct rs_profile *p;
	struct run runs[4] = { { NULL, NULL, NULL } };
	size_t n_runs = 0, main_run = 0, i;
	int rv = EXIT_ERROR, pa;

	if (!chain || !untrusted || !(a.opts = rs_verify_opts_new())) {
		rv = error("out of memory");
		goto out;
	}
	if ((pa = parse_args(argc, argv, &a)) != 0) {
		rv = pa > 0 ? show_help("verify") : EXIT_ERROR;
		goto out;
	}
	rs_verify_opts_set_time(a.opts, a.at);
	if (load_crls(&a))
		goto out;
	if (!(cat = load_catalog(a.profile)))
		goto out;
	if (!(p = pick_profile(cat, a.profile)))
		goto out;
	if (chain_not_dir(a.chain) || load_files(chain, &a.chain, 1) ||
	    load_files(untrusted, a.untrusted, a.n_untrusted) ||
	    run_all(runs, &n_runs, &main_run, chain, untrusted, p, &a))
		goto out;
	if (render(runs, n_runs, main_run, chain, cat, p, &a) == 0)
		rv = rs_verify_result_ok(runs[main_run].result) ? EXIT_OK : EXIT_PROBLEM;
out:
	for (i = 0; i < n_runs; i++) {
		rs_verify_result_free(runs[i].result);
		rs_certlist_free(runs[i].store);
	}
	rs_certlist_free(chain);
	rs_certlist_free(untrusted);
	rs_catalog_free(cat);
	rs_verify_opts_free(a.opts);
	return rv;
}
