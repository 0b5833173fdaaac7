/* cmd_inspect.c: any certificate file explained. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

struct inspect_opts {
	enum format format;
	rs_time at;
	const char *profile;
	char *password;
	int known_only;
	rs_time expiring; /* --expiring-within, seconds; -1 when not asked */
	const char *expiring_text;
};

static void print_list(const char *label, size_t n, const char *(*at)(const struct rs_cert *, size_t),
		       const struct rs_cert *c)
{
	size_t i;

	printf("  %-13s ", label);
	for (i = 0; i < n; i++)
		printf("%s%s", i ? ", " : "", at(c, i));
	printf("%s\n", n ? "" : "-");
}

static void print_catalog(const struct rs_catalog *cat, const struct rs_cert *c)
{
	const struct rs_known *k = rs_catalog_identify(cat, c), *actual = NULL;
	const char *documented_as = NULL;
	const char *note = rs_catalog_alias(cat, rs_cert_sha1(c), &documented_as, &actual);

	printf("  %-13s ", "catalog");
	if (k) {
		print_known_line(stdout, k);
		printf(" (%s %s, %s)\n", rs_profile_id(rs_known_profile(k)), rs_kind_name(rs_known_kind(k)),
		       rs_known_role(k));
	} else
		printf("not in the loaded profiles\n");
	if (note)
		printf("  %-13s documented as '%s': %s\n", "note", documented_as, note);
}

static void print_validity(const struct rs_cert *c, rs_time at, rs_time within)
{
	char nb[32], na[32], ab[32];
	const char *state = rs_cert_valid_at(c, at) ? "valid" : at < rs_cert_not_before(c) ? "not yet valid" : "EXPIRED";

	printf("  %-13s %s to %s (%s at %s)%s\n", "validity", time_str(rs_cert_not_before(c), nb),
	       time_str(rs_cert_not_after(c), na), state, time_str(at, ab),
	       rs_cert_expires_within(c, at, within) ? " EXPIRING within the period asked for" : "");
}

static void print_ca(const struct rs_cert *c)
{
	printf("  %-13s ", "ca");
	if (!rs_cert_is_ca(c))
		printf("no\n");
	else if (rs_cert_path_len(c) >= 0)
		printf("yes, path length %ld\n", rs_cert_path_len(c));
	else
		printf("yes\n");
}

static void print_text(const struct rs_certlist *list, size_t i, const struct rs_catalog *cat, rs_time at, rs_time within)
{
	const struct rs_cert *c = rs_certlist_at(list, i);
	const struct rs_location *loc = rs_certlist_location(list, i);

	printf("%scertificate %zu of %zu: %s\n", i ? "\n" : "", i + 1, rs_certlist_count(list),
	       *rs_cert_common_name(c) ? rs_cert_common_name(c) : rs_cert_subject(c));
	printf("  %-13s %s", "found in", loc->path);
	if (loc->line > 0)
		printf(" line %ld", loc->line);
	else
		printf(" byte %lld", loc->offset);
	printf(" (%s)\n", loc->encoding);
	print_catalog(cat, c);
	printf("  %-13s %s\n", "subject", rs_cert_subject(c));
	printf("  %-13s %s%s\n", "issuer", rs_cert_issuer(c), rs_cert_self_issued(c) ? " (self-issued)" : "");
	printf("  %-13s %s\n", "serial", rs_cert_serial(c));
	print_validity(c, at, within);
	printf("  %-13s %s %d bits%s%s\n", "key", rs_cert_key_type(c), rs_cert_key_bits(c),
	       *rs_cert_key_curve(c) ? ", " : "", rs_cert_key_curve(c));
	printf("  %-13s %s\n", "signature", rs_cert_sig_alg(c));
	print_fingerprint(stdout, "sha1", rs_cert_sha1(c));
	print_fingerprint(stdout, "sha256", rs_cert_sha256(c));
	printf("  %-13s %s\n  %-13s %s\n", "spki sha256", rs_cert_spki_sha256(c), "spki pin", rs_cert_spki_pin(c));
	print_ca(c);
	print_list("key usage", rs_cert_key_usage_count(c), rs_cert_key_usage_at, c);
	print_list("ext key usage", rs_cert_ext_key_usage_count(c), rs_cert_ext_key_usage_at, c);
	print_list("san", rs_cert_san_count(c), rs_cert_san_at, c);
	printf("  %-13s %s\n", "ski", *rs_cert_ski(c) ? rs_cert_ski(c) : "-");
	printf("  %-13s %s\n", "aki", *rs_cert_aki(c) ? rs_cert_aki(c) : "-");
}

/* With --known-only, keeps the certificates the catalog knows (a new list sharing the certificates). */
static struct rs_certlist *select_known(const struct rs_certlist *list, const struct rs_catalog *cat)
{
	struct rs_certlist *out = rs_certlist_new();
	struct rs_error err;
	size_t i;

	for (i = 0; out && i < rs_certlist_count(list); i++) {
		struct rs_cert *c = rs_certlist_at(list, i);
		if (rs_catalog_identify(cat, c) &&
		    rs_certlist_add(out, c, rs_certlist_location(list, i), &err) < 0) {
			rs_certlist_free(out);
			return NULL;
		}
	}
	return out;
}

/* --expiring-within: a summary after the certificates, so the warning is not lost in a long listing. */
static void print_expiring(const struct rs_certlist *list, const struct inspect_opts *o)
{
	size_t i, n = 0;
	char d[32];

	for (i = 0; i < rs_certlist_count(list); i++) {
		const struct rs_cert *c = rs_certlist_at(list, i);
		if (!rs_cert_expires_within(c, o->at, o->expiring))
			continue;
		if (!n++)
			printf("\nexpiring within %s of %s:\n", o->expiring_text, time_str(o->at, d));
		printf("  %s  %s (SHA-1 %s)\n", time_str(rs_cert_not_after(c), d), rs_cert_subject(c), rs_cert_sha1(c));
	}
}

static int render(const struct rs_certlist *list, const struct rs_catalog *cat, const struct inspect_opts *o)
{
	size_t i, n = rs_certlist_count(list);
	json_t *doc, *arr;
	char ab[32];
	int rv;

	if (o->format == FORMAT_TEXT) {
		for (i = 0; i < n; i++)
			print_text(list, i, cat, o->at, o->expiring);
		if (n == 0)
			printf("no certificate the loaded profiles know\n");
		print_expiring(list, o);
		return 0;
	}
	doc = json_object();
	arr = json_array();
	json_object_set_new(doc, "schema", json_string("rootshift/inspect/1"));
	json_object_set_new(doc, "at", json_string(time_str(o->at, ab)));
	for (i = 0; i < n; i++) {
		json_t *cj = cert_json(rs_certlist_at(list, i), rs_certlist_location(list, i), cat, o->at);
		json_object_set_new(cj, "spki_pin", json_string(rs_cert_spki_pin(rs_certlist_at(list, i))));
		if (o->expiring >= 0)
			json_object_set_new(cj, "expiring",
					    json_boolean(rs_cert_expires_within(rs_certlist_at(list, i), o->at, o->expiring)));
		json_array_append_new(arr, cj);
	}
	json_object_set_new(doc, "count", json_integer((json_int_t)n));
	json_object_set_new(doc, "certificates", arr);
	rv = print_json(doc);
	json_decref(doc);
	return rv;
}

static const struct cli_opt rows[] = {
	{ "format", 'f', "text|json", .help = "output format (default text; json has schema rootshift/inspect/1)", CLI_SHORT },
	{ "at", 'a', "TIME", .help = "judge validity at this RFC 3339 time (default now)", CLI_SHORT },
	{ "profile", 'p', "NAME|FILE", .help = "identify certificates against this profile only (default: all built-in)",
	  CLI_SHORT },
	{ "password-file", 'P', "FILE", .help = "PKCS#12 password (first line); else $ROOTSHIFT_PASSWORD, else empty" },
	{ "known-only", 'k', NULL, .help = "show only the certificates a loaded profile knows" },
	{ "expiring-within", 'E', "D",
	  .help = "mark, and list at the end, certificates valid at TIME that expire within D (90d,\n"
	  "6mo, 1y, 2w, 12h; a unit is needed, and 'm' is refused: mo or min)" },
	CLI_END_ROWS,
};

const struct cli_spec cli_inspect = {
	"inspect",
	"explain certificate files: names, dates, keys, thumbprints, catalog identity",
	"usage: rootshift inspect [--format text|json] [--at TIME] [--profile NAME|FILE]\n"
	"                         [--password-file FILE] [--known-only] [--expiring-within D] FILE|DIR|-...\n",
	"Reads every certificate in PEM bundles, DER, PKCS#7 (PEM or DER), PKCS#12 and directories (recursively,\n"
	"OpenSSL hashed names included), or standard input with '-'. The content decides the format.\n",
	25,
	rows,
	"Exit status: 0 on success, 2 when an input cannot be read or holds no certificate.\n", NULL,
};

static int parse_args(int argc, char **argv, struct inspect_opts *o)
{
	struct cli_parser ps;
	int c;

	cli_init(&ps, &cli_inspect, 0, argc, argv);
	while ((c = cli_next(&ps)) != CLI_DONE) {
		switch (c) {
		case 'f': if (parse_format("inspect", optarg, &o->format)) return -1; break;
		case 'a': if (parse_at(optarg, &o->at)) return -1; break;
		case 'p': o->profile = optarg; break;
		case 'P':
			free(o->password);
			if (!(o->password = read_secret_file(optarg)))
				return -1;
			break;
		case 'k': o->known_only = 1; break;
		case 'E':
			if (parse_duration("inspect", optarg, &o->expiring))
				return -1;
			o->expiring_text = optarg;
			break;
		case CLI_HELP: return 1;
		default: unknown_option("inspect", argc, argv); return -1;
		}
	}
	if (optind >= argc) {
		usage_error("inspect", "no file given");
		return -1;
	}
	return 0;
}

int cmd_inspect(int argc, char **argv)
{
	struct inspect_opts o = { FORMAT_TEXT, now(), NULL, NULL, 0, -1, NULL };
	struct rs_certlist *list = NULL, *shown = NULL;
	struct rs_catalog *cat = NULL;
	struct rs_load_opts lo = { 0 };
	struct rs_error err;
	int rv = EXIT_ERROR, i, pa;

	if ((pa = parse_args(argc, argv, &o)) != 0) {
		free(o.password);
		if (pa > 0)
			return show_help("inspect");
		return EXIT_ERROR;
	}
	if (!o.password && getenv("ROOTSHIFT_PASSWORD"))
		o.password = strdup(getenv("ROOTSHIFT_PASSWORD"));
	lo.password = o.password;
	if (!(cat = load_catalog(o.profile)) || !(list = rs_certlist_new()))
		goto out;
	for (i = optind; i < argc; i++)
		if (load_input(list, argv[i], &lo, &err) < 0) {
			lib_error(&err);
			if (err.code == RS_ERR_NOCERT) /* inspect reads certificate files; audit reads inside the rest */
				fprintf(stderr, "hint: an archive, a disk or firmware image, a flash file or source code: "
						"'rootshift audit %s' looks inside\n", argv[i]);
			goto out;
		}
	if (o.known_only && !(shown = select_known(list, cat))) {
		error("out of memory");
		goto out;
	}
	rv = render(shown ? shown : list, cat, &o) == 0 ? EXIT_OK : EXIT_ERROR;
out:
	rs_certlist_free(shown);
	rs_certlist_free(list);
	rs_catalog_free(cat);
	free(o.password);
	return rv;
}
