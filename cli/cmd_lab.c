/* cmd_lab.c: `rootshift lab`, an offline IoT Hub and DPS whose roots switch at run time. A table of
 * subcommands; each parses, calls lab/ and renders. */
#include <errno.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "lab.h"

struct subcommand {
	const char *name;
	int (*fn)(int argc, char **argv);
};

#define lab_usage(...) usage_error("lab", __VA_ARGS__)

/* ---- the table: every subcommand's options, a bit each for the subcommands that take them ---- */

/* The subcommands that take a row (cli_opt.sub); revert takes no --to: it goes back to the old chain. */
enum { LAB_INIT = 1, LAB_SERVE = 2, LAB_MIGRATE = 4, LAB_STATUS = 8, LAB_REVERT = 16 };

static const struct cli_opt rows[] = {
	CLI_TEXT("init creates a look-alike PKI in DIR: old (a Baltimore-like RSA-2048 sha1 root, an RSA-4096 sha256\n"
		 "intermediate), new (a G2-like RSA-2048 sha256 root, an RSA-4096 sha384 intermediate, also cross-signed by a\n"
		 "Microsoft RSA Root 2017-like RSA-4096 root), next (two RSA-4096 intermediates under the G2-like root) and\n"
		 "ECC (P-384), with leaves for *.azure-devices.net, *.azure-devices-provisioning.net, localhost, 127.0.0.1\n"
		 "and ::1; and device bundles in DIR/bundles: old-only, new-only, recommended, pinned-intermediate, ecc.\n"),
	CLI_COLUMN(18),
	{ "seed", 's', "TEXT", .help = "derive every key and serial from TEXT (deterministic; default random)", 0, LAB_INIT },
	{ "at", 'a', "TIME", .help = "generation time: certificates are valid from about then (default now)", 0, LAB_INIT },
	{ "hub", 'H', "NAME", .help = "the hub is NAME.azure-devices.net (default rootshift-lab)", 0, LAB_INIT },
	{ "name", 'n', "HOST", .help = "also cover HOST (a DNS name or an IP address) in the leaves; repeatable", 0, LAB_INIT },
	{ "exact-names", 'e', NULL, .help = "copy the real CA names instead of marking them \"(rootshift lab)\" (with a warning)", 0, LAB_INIT },
	{ "fast-keys", 'F', NULL, .help = "RSA-2048 where the real chain has RSA-4096 (for tests; the shapes are otherwise kept)", 0, LAB_INIT },
	CLI_TEXT("\n"),
	CLI_TEXT("device add registers NAME (its key also enrolls it in the lab's DPS), writes its connection string\n"
		 "(GatewayHostName=localhost) to DIR/devices/NAME.connstr (mode 0600) and prints it with the key masked.\n"),
	CLI_TEXT("\n"),
	CLI_TEXT("serve runs the hub and DPS on 127.0.0.1 until SIGTERM: MQTT over TLS (8883; hub and DPS), HTTPS (443; DPS\n"
		 "registration, hub events), AMQP (5671; the protocol header only), MQTT over WebSockets on\n"
		 "/$iothub/websocket (8443), and the admin API, /metrics and a web page on a loopback port. Port 0 picks a\n"
		 "free port; the ports and the admin token go to DIR/serve.json (mode 0600). One JSON event a line on stdout.\n"),
	CLI_COLUMN(24),
	{ "chain", 'c', "C", .help = "the chain served at start (default old)", 0, LAB_SERVE },
	{ "at", 'a', "TIME", .help = "run the lab's clock from TIME (SAS expiry is judged against it)", 0, LAB_SERVE },
	{ "test-endpoint", 't', NULL, .help = "reject every credential after TLS, like the notice's test endpoints", 0, LAB_SERVE },
	{ "dps-delay", 'D', "SECONDS", .help = "DPS follows a hub switch after this delay (default 0)", 0, LAB_SERVE },
	{ "auth-timeout", 'A', "SECONDS", .help = "close a connection not authenticated by then (default 10; 0: never)", 0, LAB_SERVE },
	{ "events", 'E', "FILE", .help = "append the events to FILE instead of stdout ('-': stdout; written without blocking\n"
	  "either way: a reader that falls behind loses events, counted, and gets a dropped event)", 0, LAB_SERVE },
	{ "mqtt-port", 'm', "N", .help = NULL, 0, LAB_SERVE },
	{ "https-port", 's', "N", .help = NULL, 0, LAB_SERVE },
	{ "amqp-port", 'q', "N", .help = NULL, 0, LAB_SERVE },
	{ "ws-port", 'w', "N", .help = NULL, 0, LAB_SERVE },
	{ "admin-port", 'd', "N", .help = NULL, 0, LAB_SERVE },
	{ "listen", 'l', "ADDR", .help = NULL, 0, LAB_SERVE },
	{ "no-client-cert-request", 'n', NULL, .help = NULL, 0, LAB_SERVE },
	{ "max-connections", 'M', "N", .help = NULL, 0, LAB_SERVE },
	{ "handshake-timeout", 'T', "SECONDS", .help = NULL, 0, LAB_SERVE },
	CLI_TEXT("The admin API (loopback; changes need \"Authorization: Bearer TOKEN\" from serve.json): GET /api/status,\n"
		 "POST /api/migrate?to=C&mix=P&disconnect=1, POST /api/revert, POST /api/c2d?device=ID (the body is sent\n"
		 "to the device's C2D subscription), GET /metrics (Prometheus), GET / (the web page).\n"),
	CLI_TEXT("\n"),
	CLI_TEXT("migrate and revert switch the chain for new handshakes (existing sessions stay unless --disconnect);\n"
		 "--mix PERCENT serves that share of handshakes the other chain. status shows the chains and connections.\n"),
	{ "to", 't', "new|next|ecc", .help = NULL, 0, LAB_MIGRATE },
	{ "mix", 'm', "PERCENT", .help = NULL, 0, LAB_MIGRATE | LAB_REVERT },
	{ "disconnect", 'x', NULL, .help = NULL, 0, LAB_MIGRATE | LAB_REVERT },
	{ "format", 'f', "text|json", .help = NULL, 0, LAB_MIGRATE | LAB_REVERT | LAB_STATUS },
	CLI_END_ROWS,
};

/* The subcommands by bit (LAB_INIT, LAB_SERVE, LAB_MIGRATE, LAB_STATUS, LAB_REVERT), for completion; device add
 * takes none. */
static const char *const lab_subs[] = { "init", "serve", "migrate", "status", "revert", NULL };

const struct cli_spec cli_lab = {
	"lab",
	"run an offline IoT Hub and DPS whose roots switch at run time",
	"usage: rootshift lab init DIR [--seed TEXT] [--at TIME] [--hub NAME] [--name HOST]... [--exact-names]\n"
	"                              [--fast-keys]\n"
	"       rootshift lab device add DIR NAME\n"
	"       rootshift lab serve DIR [--mqtt-port N] [--https-port N] [--amqp-port N] [--ws-port N]\n"
	"                               [--admin-port N] [--listen ADDR] [--chain old|new|next|ecc] [--at TIME]\n"
	"                               [--test-endpoint] [--no-client-cert-request] [--dps-delay SECONDS]\n"
	"                               [--max-connections N] [--handshake-timeout SECONDS]\n"
	"                               [--auth-timeout SECONDS] [--events FILE]\n"
	"       rootshift lab migrate DIR [--to new|next|ecc] [--mix PERCENT] [--disconnect] [--format text|json]\n"
	"       rootshift lab revert DIR [--mix PERCENT] [--disconnect] [--format text|json]\n"
	"       rootshift lab status DIR [--format text|json]\n",
	"An offline IoT Hub and DPS whose roots switch at run time, for rehearsing a root migration.\n",
	18,
	rows,
	"Exit status: 0 on success, 2 when the lab cannot be created, read, started or reached.\n",
	lab_subs,
};

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
	struct cli_parser ps;
	struct lab_init_opts opts = { 0 };
	struct lab_init_result res;
	struct rs_error err;
	int c;

	opts.at = now();
	cli_init(&ps, &cli_lab, LAB_INIT, argc, argv);
	while ((c = cli_next(&ps)) != CLI_DONE) {
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
		case CLI_HELP: return show_help("lab");
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
	printf("HostName=%s;DeviceId=%s;SharedAccessKey=%s;GatewayHostName=localhost\n", cfg.hub_host, id,
	       rs_mask_secret(key, mask, sizeof(mask)));
	OPENSSL_cleanse(key, sizeof(key));
	printf("the full connection string is in '%s' (mode 0600)\n", path);
	return EXIT_OK;
}

/* ---- lab serve ---- */

static rs_time serve_offset; /* --at: the lab's clock runs from that time */

static rs_time serve_clock(void *arg)
{
	(void)arg;
	return now() + serve_offset;
}

/* The ready event, on stderr for people: the descriptor limit and the connections it allows. */
static void serve_ready(void *arg, const char *line)
{
	json_t *doc = json_loads(line, 0, NULL);
	json_t *limit = json_object_get(doc, "descriptor_limit"), *room = json_object_get(doc, "connections_allowed");
	long max = (long)json_integer_value(json_object_get(doc, "max_connections"));

	(void)arg;
	if (json_is_integer(limit) && json_is_integer(room))
		fprintf(stderr, "lab: descriptor limit %ld allows about %ld connections%s\n",
			(long)json_integer_value(limit), (long)json_integer_value(room),
			json_integer_value(room) < max ? " (fewer than --max-connections)" : "");
	json_decref(doc);
}

/* Where the event stream goes, as a descriptor the lab writes without blocking (lab/events.c): --events FILE
 * (appended to; a FIFO must have a reader already), or stdout. A regular file never makes a writer wait, so
 * stdout is used as it is; anything else (a pipe, a FIFO, a terminal) is opened again through /proc/self/fd/1,
 * which gives a description of its own to make non-blocking without touching the one the shell shares with
 * others (proc(5)); a socket, which cannot be opened so, is made non-blocking itself. -1 with a message. */
static int events_fd(const char *path)
{
	struct stat st;
	int fd;

	if (path && strcmp(path, "-")) { /* '-': standard output, as without --events */
		if ((fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_NONBLOCK | O_CLOEXEC, 0600)) < 0)
			io_error("cannot open '%s' for the events: %s", path, strerror(errno));
		return fd;
	}
	fflush(stdout);
	if (fstat(STDOUT_FILENO, &st) == 0 && S_ISREG(st.st_mode))
		return dup(STDOUT_FILENO);
	if ((fd = open("/proc/self/fd/1", O_WRONLY | O_NONBLOCK | O_CLOEXEC)) >= 0)
		return fd;
	if ((fd = dup(STDOUT_FILENO)) >= 0 && fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) == 0)
		return fd;
	error("cannot make stdout non-blocking for the events: %s", strerror(errno));
	if (fd >= 0)
		close(fd);
	return -1;
}

static int parse_port(const char *arg, int *out)
{
	char *end;
	long v = strtol(arg, &end, 10);

	if (*end || end == arg || v < 0 || v > 65535)
		return usage_error("lab", "port '%s' is not 0-65535", arg);
	*out = (int)v;
	return 0;
}

static int parse_int(const char *arg, int lo, int hi, int *out)
{
	char *end;
	long v = strtol(arg, &end, 10);

	if (*end || end == arg || v < lo || v > hi)
		return usage_error("lab", "'%s' is not a number from %d to %d", arg, lo, hi);
	*out = (int)v;
	return 0;
}

static int lab_serve_cmd(int argc, char **argv)
{
	struct cli_parser ps;
	struct lab_serve_opts opts = { 0 };
	const char *events = NULL;
	struct rs_error err;
	rs_time at;
	int c, rv, sig = 0, lock;

	opts.listen = "127.0.0.1";
	opts.mqtt_port = 8883;
	opts.https_port = 443;
	opts.amqp_port = 5671;
	opts.ws_port = 8443;
	opts.admin_port = 0;
	opts.request_client_cert = 1;
	opts.max_conns = 60000;
	opts.handshake_timeout = 10;
	opts.auth_timeout = 10;
	opts.chain = LAB_CHAIN_OLD;
	cli_init(&ps, &cli_lab, LAB_SERVE, argc, argv);
	while ((c = cli_next(&ps)) != CLI_DONE) {
		switch (c) {
		case 'm': if (parse_port(optarg, &opts.mqtt_port)) return EXIT_ERROR; break;
		case 's': if (parse_port(optarg, &opts.https_port)) return EXIT_ERROR; break;
		case 'q': if (parse_port(optarg, &opts.amqp_port)) return EXIT_ERROR; break;
		case 'w': if (parse_port(optarg, &opts.ws_port)) return EXIT_ERROR; break;
		case 'd': if (parse_port(optarg, &opts.admin_port)) return EXIT_ERROR; break;
		case 'l': opts.listen = optarg; break;
		case 'c':
			if (lab_chain_parse(optarg, &opts.chain) < 0)
				return lab_usage("chain '%s' is not old, new, next or ecc", optarg);
			break;
		case 'a':
			if (parse_at(optarg, &at))
				return EXIT_ERROR;
			serve_offset = at - now();
			break;
		case 't': opts.test_endpoint = 1; break;
		case 'n': opts.request_client_cert = 0; break;
		case 'D': if (parse_int(optarg, 0, 86400, &opts.dps_delay)) return EXIT_ERROR; break;
		case 'M': if (parse_int(optarg, 1, 1000000, &opts.max_conns)) return EXIT_ERROR; break;
		case 'T': if (parse_int(optarg, 1, 3600, &opts.handshake_timeout)) return EXIT_ERROR; break;
		case 'E': events = optarg; break;
		case 'A': if (parse_int(optarg, 0, 3600, &opts.auth_timeout)) return EXIT_ERROR; break;
		case CLI_HELP: return show_help("lab");
		default: return unknown_option("lab", argc, argv);
		}
	}
	if (argc - optind != 1)
		return lab_usage("'lab serve' takes one directory");
	opts.dir = argv[optind];
	opts.clock = serve_clock;
	opts.ready = serve_ready;
	opts.stopped_by = &sig;
	if ((rv = cli_lab_lock(opts.dir, &lock)) != 0)
		return rv;
	if ((opts.events_fd = events_fd(events)) < 0) {
		cli_lab_unlock(lock);
		return EXIT_ERROR;
	}
	/* Ours while the lab starts and once it has freed its own signal events (libevent gives the handler back):
	 * a signal in either is a stop, not the default death that leaves serve.json and its token behind. */
	if ((rv = interrupt_install()) != 0) {
		close(opts.events_fd);
		cli_lab_unlock(lock);
		return rv;
	}
	opts.cancel = interrupt_flag();
	rv = lab_serve(&opts, &err) < 0 ? lib_error(&err) : sig ? 128 + sig : interrupt_exit_code(); /* 130, 143 after a signal */
	close(opts.events_fd);
	cli_lab_unlock(lock); /* after serve.json is removed */
	return rv;
}

/* ---- lab migrate, revert, status ---- */

static int admin_call(const char *dir, const char *method, const char *path, enum format format)
{
	struct rs_error err;
	char *body = NULL;
	int status = 0, rv;
	json_t *doc;

	if (lab_admin_request(dir, method, path, &body, &status, &err) < 0)
		return lib_error(&err);
	if (status != 200) {
		rv = error("the lab refused '%s %s': HTTP %d %s", method, path, status, body);
		free(body);
		return rv;
	}
	doc = json_loads(body, JSON_REJECT_DUPLICATES, NULL);
	free(body);
	if (!doc)
		return error("the lab's admin API answered something that is not JSON");
	if (format == FORMAT_JSON) { /* indented, as every command's JSON (docs/json.md) */
		rv = print_json(doc) ? EXIT_ERROR : EXIT_OK;
		json_decref(doc);
		return rv;
	}
	printf("hub serves: %s\nDPS serves: %s\nmix: %d%%\nconnected devices: %d\n",
	       json_string_value(json_object_get(doc, "hub_chain")), json_string_value(json_object_get(doc, "dps_chain")),
	       (int)json_integer_value(json_object_get(doc, "mix")),
	       (int)json_integer_value(json_object_get(doc, "connected")));
	json_decref(doc);
	return EXIT_OK;
}

static int lab_switch_cmd(int argc, char **argv)
{
	struct cli_parser ps;
	int migrate = !strcmp(argv[0], "migrate"), disconnect = 0, mix = 0, c;
	enum format format = FORMAT_TEXT;
	const char *to = migrate ? "new" : "old";
	enum lab_chain chain;
	char path[128];

	cli_init(&ps, &cli_lab, migrate ? LAB_MIGRATE : LAB_REVERT, argc, argv);
	while ((c = cli_next(&ps)) != CLI_DONE) {
		switch (c) {
		case 'x': disconnect = 1; break;
		case 'm': if (parse_int(optarg, 0, 100, &mix)) return EXIT_ERROR; break;
		case 't':
			if (lab_chain_parse(optarg, &chain) < 0)
				return lab_usage("chain '%s' is not old, new, next or ecc", optarg);
			to = optarg;
			break;
		case 'f': if (parse_format("lab", optarg, &format)) return EXIT_ERROR; break;
		case CLI_HELP: return show_help("lab");
		default: return unknown_option("lab", argc, argv);
		}
	}
	if (argc - optind != 1)
		return lab_usage("'lab %s' takes one directory", argv[0]);
	snprintf(path, sizeof(path), "/api/%s?to=%s&mix=%d&disconnect=%d", migrate ? "migrate" : "revert", to, mix,
		 disconnect);
	return admin_call(argv[optind], "POST", path, format);
}

static int lab_status_cmd(int argc, char **argv)
{
	struct cli_parser ps;
	enum format format = FORMAT_TEXT;
	int c;

	cli_init(&ps, &cli_lab, LAB_STATUS, argc, argv);
	while ((c = cli_next(&ps)) != CLI_DONE) {
		switch (c) {
		case 'f': if (parse_format("lab", optarg, &format)) return EXIT_ERROR; break;
		case CLI_HELP: return show_help("lab");
		default: return unknown_option("lab", argc, argv);
		}
	}
	if (argc - optind != 1)
		return lab_usage("'lab status' takes one directory");
	return admin_call(argv[optind], "GET", "/api/status", format);
}

/* ---- dispatch ---- */

static const struct subcommand subcommands[] = {
	{ "device", lab_device_cmd },
	{ "init", lab_init_cmd },
	{ "migrate", lab_switch_cmd },
	{ "revert", lab_switch_cmd },
	{ "serve", lab_serve_cmd },
	{ "status", lab_status_cmd },
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
