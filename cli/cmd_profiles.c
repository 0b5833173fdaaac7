/* cmd_profiles.c: list the migration profiles, or show one. */
#include "cli.h"

#include <string.h>

static void show_rules(const struct rs_profile *p, const char *rule)
{
	size_t i, n = rs_profile_rule_count(p, rule);

	printf("  %-12s", rule);
	for (i = 0; i < n; i++)
		printf("%s%s", i ? ", " : " ", rs_known_name(rs_profile_rule_at(p, rule, i)));
	printf("%s\n", n ? "" : " -");
}

static void show_text(const struct rs_profile *p)
{
	size_t i;
	char tb[32];

	printf("%s: %s\n%s\n\nrules\n", rs_profile_id(p), rs_profile_name(p), rs_profile_description(p));
	show_rules(p, "required");
	show_rules(p, "recommended");
	show_rules(p, "old");
	printf("\ncertificates\n");
	for (i = 0; i < rs_profile_known_count(p); i++) {
		const struct rs_known *k = rs_profile_known_at(p, i);
		printf("  %-12s %s  %s (%s)\n", rs_kind_name(rs_known_kind(k)), *rs_known_sha1(k) ? rs_known_sha1(k) : "-",
		       rs_known_name(k), rs_known_role(k));
	}
	if (rs_profile_event_count(p))
		printf("\ntimeline\n");
	for (i = 0; i < rs_profile_event_count(p); i++) {
		rs_time when;
		const char *text;
		rs_profile_event_at(p, i, &when, NULL, &text);
		printf("  %.10s   %s\n", time_str(when, tb), text);
	}
}

static json_t *profile_json(const struct rs_profile *p)
{
	json_t *o = json_object(), *certs = json_array(), *rules = json_object();
	static const char *const names[] = { "required", "recommended", "old" };
	size_t i, j;

	json_object_set_new(o, "id", json_string(rs_profile_id(p)));
	json_object_set_new(o, "name", json_string(rs_profile_name(p)));
	json_object_set_new(o, "description", json_string(rs_profile_description(p)));
	for (i = 0; i < rs_profile_known_count(p); i++) {
		const struct rs_known *k = rs_profile_known_at(p, i);
		json_t *kj = known_json(k);
		json_object_set_new(kj, "sha1", json_string(rs_known_sha1(k)));
		json_object_set_new(kj, "sha256", json_string(rs_known_sha256(k)));
		json_object_set_new(kj, "spki_sha256", json_string(rs_known_spki_sha256(k)));
		json_array_append_new(certs, kj);
	}
	for (i = 0; i < 3; i++) {
		json_t *a = json_array();
		for (j = 0; j < rs_profile_rule_count(p, names[i]); j++)
			json_array_append_new(a, json_string(rs_known_id(rs_profile_rule_at(p, names[i], j))));
		json_object_set_new(rules, names[i], a);
	}
	json_object_set_new(o, "rules", rules);
	json_object_set_new(o, "certificates", certs);
	return o;
}

static int render(const struct rs_catalog *cat, const char *only, enum format format)
{
	json_t *doc = json_object(), *arr = json_array();
	size_t i;
	int rv = 0;

	for (i = 0; i < rs_catalog_profile_count(cat); i++) {
		const struct rs_profile *p = rs_catalog_profile_at(cat, i);
		if (format == FORMAT_JSON)
			json_array_append_new(arr, profile_json(p));
		else if (only)
			show_text(p);
		else
			printf("%-16s %s\n", rs_profile_id(p), rs_profile_name(p));
	}
	json_object_set_new(doc, "schema", json_string("rootshift/profiles/1"));
	json_object_set_new(doc, "profiles", arr);
	if (format == FORMAT_JSON)
		rv = print_json(doc);
	json_decref(doc);
	return rv;
}

enum { OPT_FORMAT = 'f' };

static const struct cli_opt rows[] = {
	{ "format", OPT_FORMAT, "text|json", .help = NULL, CLI_SHORT },
	CLI_END_ROWS,
};

const struct cli_spec cli_profiles = {
	"profiles",
	"list migration profiles, or show one",
	"usage: rootshift profiles [--format text|json] [NAME|FILE]\n",
	"Without an argument, lists the built-in profiles. With one, shows its certificates, rules and timeline;\n"
	"a FILE is validated first and any error names the JSON path.\n",
	25,
	rows,
	NULL, NULL,
};

int cmd_profiles(int argc, char **argv)
{
	enum format format = FORMAT_TEXT;
	struct cli_parser ps;
	struct rs_catalog *cat;
	const char *only;
	int c, rv;

	cli_init(&ps, &cli_profiles, 0, argc, argv);
	while ((c = cli_next(&ps)) != CLI_DONE) {
		switch (c) {
		case OPT_FORMAT: if (parse_format("profiles", optarg, &format)) return EXIT_ERROR; break;
		case CLI_HELP: return show_help("profiles");
		default: return unknown_option("profiles", argc, argv);
		}
	}
	if (argc - optind > 1)
		return usage_error("profiles", "give at most one profile");
	only = optind < argc ? argv[optind] : NULL;
	if (!(cat = load_catalog(only)))
		return EXIT_ERROR;
	rv = render(cat, only, format) == 0 ? EXIT_OK : EXIT_ERROR;
	rs_catalog_free(cat);
	return rv;
}
