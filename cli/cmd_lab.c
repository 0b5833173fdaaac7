/* cmd_lab.c: `rootshift lab`, an offline IoT Hub and DPS whose roots switch at run time. A table of
 * subcommands; each parses, calls lab/ and renders. */
#include <getopt.h>
#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "lab.h"

struct subcommand {
	const char *name;
	int (*fn)(int argc, char **argv);
};

#define lab_usage(...) usage_error("lab", __VA_ARGS__)

/* ---- lab init ---- */

static int init_print(const char *dir, const struct lab_init_result *res, int exact)
{
	printf("lab created in '%s'\n\n", dir);
	for (size_t i = 0; i < res->count; i++)
		printf("  %-13s %s  %-40s %s\n", res->certs[i].id, res->certs[i].sha1, res->certs[i].detail,
		       res->certs[i].subject);
	printf("\nserved chains: %s/chains/{old,new,next,ecc}.pem\n", dir);
	printf("device bundles: %s/bundles/{old-only,new-only,recommended,pinned-intermediate,ecc}.pem\n", dir);
	if (exact)
		fprintf(stderr, "warning: certificates carry the real CA names; keep this lab away from real trust "
				"stores\n");
	return EXIT_OK;
}

static int lab_init_cmd(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "seed", required_argument, NULL, 's' },   { "at", required_argument, NULL, 'a' },
		{ "name", required_argument, NULL, 'n' },   { "hub", required_argument, NULL, 'H' },
		{ "exact-names", no_argument, NULL, 'e' },  { "fast-keys", no_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },         { NULL, 0, NULL, 0 },
	};
	struct lab_init_opts opts = { 0 };
	struct lab_init_result res;
	struct rs_error err;
	int c;

	opts.at = now();
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 's': opts.seed = optarg; break;
		case 'a': if (parse_at(optarg, &opts.at)) return EXIT_ERROR; break;
		case 'n':
			if (opts.name_count == LAB_MAX_NAMES)
				return lab_usage("at most 16 --name options");
			opts.names[opts.name_count++] = optarg;
			break;
		case 'H':
			if (!*optarg || strspn(optarg, "abcdefghijklmnopqrstuvwxyz0123456789-") != strlen(optarg) ||
			    strlen(optarg) > 50)
				return lab_usage("hub name '%s' is not valid (lowercase letters, digits, '-')", optarg);
			opts.hub_name = optarg;
			break;
		case 'e': opts.exact_names = 1; break;
		case 'F': opts.fast_keys = 1; break;
		case 'h': return show_help("lab");
		default: return unknown_option("lab", argc, argv);
		}
	}
	if (argc - optind != 1)
		return lab_usage("'lab init' takes one directory");
	if (lab_init(argv[optind], &opts, &res, &err) < 0)
		return lib_error(&err);
	return init_print(argv[optind], &res, opts.exact_names);
}

/* ---- lab device add ---- */

static int lab_device_cmd(int argc, char **argv)
{
	struct lab_config cfg;
	struct rs_error err;
	char key[64], mask[16], path[4096], line[1024];
	const char *dir, *id;
	int n;

	if (argc != 4 || strcmp(argv[1], "add"))
		return lab_usage("usage: rootshift lab device add DIR NAME");
	dir = argv[2];
	id = argv[3];
	if (lab_config_load(dir, &cfg, &err) < 0 || lab_device_add(dir, id, key, sizeof(key), &err) < 0)
		return lib_error(&err);
	n = snprintf(line, sizeof(line), "HostName=%s;DeviceId=%s;SharedAccessKey=%s;GatewayHostName=localhost\n",
		     cfg.hub_host, id, key);
	snprintf(path, sizeof(path), "%s/devices/%s.connstr", dir, id);
	if (n < 0 || lab_write_file(path, line, (size_t)n, 1, &err) < 0)
		return lib_error(&err);
	OPENSSL_cleanse(line, sizeof(line));
	OPENSSL_cleanse(key, sizeof(key));
	printf("HostName=%s;DeviceId=%s;SharedAccessKey=%s;GatewayHostName=localhost\n", cfg.hub_host, id,
	       rs_mask_secret(key, mask, sizeof(mask)));
	printf("the full connection string is in '%s' (mode 0600)\n", path);
	return EXIT_OK;
}

/* ---- dispatch ---- */

static const struct subcommand subcommands[] = {
	{ "device", lab_device_cmd },
	{ "init", lab_init_cmd },
};

int cmd_lab(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return argc < 2 ? lab_usage("'lab' needs a subcommand") : show_help("lab");
	for (size_t i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		if (!strcmp(argv[1], subcommands[i].name)) {
			optind = 1;
			return subcommands[i].fn(argc - 1, argv + 1);
		}
	return lab_usage("no lab subcommand '%s'", argv[1]);
}
