/* main.c: the rootshift command. A sorted table of commands; help is generated from it. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

#define LAB_USAGE                                                                                                    \
	"usage: rootshift lab init DIR [--seed TEXT] [--at TIME] [--hub NAME] [--name HOST]... [--exact-names]\n"    \
	"                              [--fast-keys]\n"                                                              \
	"       rootshift lab device add DIR NAME\n"                                                                  \
	"       rootshift lab serve DIR [--mqtt-port N] [--https-port N] [--amqp-port N] [--ws-port N]\n"             \
	"                               [--admin-port N] [--listen ADDR] [--chain old|new|next|ecc] [--at TIME]\n"        \
	"                               [--test-endpoint] [--no-client-cert-request] [--dps-delay SECONDS]\n"         \
	"                               [--max-connections N] [--handshake-timeout SECONDS]\n"                       \
	"       rootshift lab migrate DIR [--to new|next|ecc] [--mix PERCENT] [--disconnect] [--format text|json]\n"      \
	"       rootshift lab revert DIR [--mix PERCENT] [--disconnect] [--format text|json]\n"                       \
	"       rootshift lab status DIR [--format text|json]\n"                                                      \
	"\n"                                                                                                          \
	"An offline IoT Hub and DPS whose roots switch at run time, for rehearsing a root migration.\n"               \
	"\n"                                                                                                          \
	"init creates a look-alike PKI in DIR: old (a Baltimore-like RSA-2048 sha1 root, an RSA-4096 sha256\n"       \
	"intermediate), new (a G2-like RSA-2048 sha256 root, an RSA-4096 sha384 intermediate, also cross-signed by a\n" \
	"Microsoft RSA Root 2017-like RSA-4096 root), next (two RSA-4096 intermediates under the G2-like root) and\n"  \
	"ECC (P-384), with leaves for *.azure-devices.net, *.azure-devices-provisioning.net, localhost, 127.0.0.1\n"  \
	"and ::1; and device bundles in DIR/bundles: old-only, new-only, recommended, pinned-intermediate, ecc.\n"     \
	"  --seed TEXT     derive every key and serial from TEXT (deterministic; default random)\n"                  \
	"  --at TIME       generation time: certificates are valid from about then (default now)\n"                  \
	"  --hub NAME      the hub is NAME.azure-devices.net (default rootshift-lab)\n"                              \
	"  --name HOST     also cover HOST (a DNS name or an IP address) in the leaves; repeatable\n"                \
	"  --exact-names   copy the real CA names instead of marking them \"(rootshift lab)\" (with a warning)\n"      \
	"  --fast-keys     RSA-2048 where the real chain has RSA-4096 (for tests; the shapes are otherwise kept)\n"   \
	"\n"                                                                                                          \
	"device add registers NAME (its key also enrolls it in the lab's DPS), writes its connection string\n"        \
	"(GatewayHostName=localhost) to DIR/devices/NAME.connstr (mode 0600) and prints it with the key masked.\n"    \
	"\n"                                                                                                          \
	"serve runs the hub and DPS on 127.0.0.1 until SIGTERM: MQTT over TLS (8883; hub and DPS), HTTPS (443; DPS\n" \
	"registration, hub events), AMQP (5671; the protocol header only), MQTT over WebSockets on\n"                 \
	"/$iothub/websocket (8443), and the admin API, /metrics and a web page on a loopback port. Port 0 picks a\n"  \
	"free port; the ports and the admin token go to DIR/serve.json (mode 0600). One JSON event a line on stdout.\n" \
	"  --chain C             the chain served at start (default old)\n"                                           \
	"  --at TIME             run the lab's clock from TIME (SAS expiry is judged against it)\n"                   \
	"  --test-endpoint       reject every credential after TLS, like the notice's test endpoints\n"               \
	"  --dps-delay SECONDS   DPS follows a hub switch after this delay (default 0)\n"                             \
	"The admin API (loopback; changes need \"Authorization: Bearer TOKEN\" from serve.json): GET /api/status,\n"   \
	"POST /api/migrate?to=C&mix=P&disconnect=1, POST /api/revert, POST /api/c2d?device=ID (the body is sent\n"  \
	"to the device's C2D subscription), GET /metrics (Prometheus), GET / (the web page).\n"                    \
	"\n"                                                                                                          \
	"migrate and revert switch the chain for new handshakes (existing sessions stay unless --disconnect);\n"     \
	"--mix PERCENT serves that share of handshakes the other chain. status shows the chains and connections.\n"  \
	"\n"                                                                                                          \
	"Exit status: 0 on success, 2 when the lab cannot be created, read, started or reached.\n"

static const struct command commands[] = {
	{ "help", cmd_help, "show help for rootshift or one command",
	  "usage: rootshift help [COMMAND]\n" },
	{ "inspect", cmd_inspect, "explain certificate files: names, dates, keys, thumbprints, catalog identity",
	  "usage: rootshift inspect [--format text|json] [--at TIME] [--profile NAME|FILE]\n"
	  "                         [--password-file FILE] FILE|DIR|-...\n"
	  "\n"
	  "Reads every certificate in PEM bundles, DER, PKCS#7 (PEM or DER), PKCS#12 and directories (recursively,\n"
	  "OpenSSL hashed names included), or standard input with '-'. The content decides the format.\n"
	  "\n"
	  "  --format text|json     output format (default text; json has schema rootshift/inspect/1)\n"
	  "  --at TIME              judge validity at this RFC 3339 time (default now)\n"
	  "  --profile NAME|FILE    identify certificates against this profile only (default: all built-in)\n"
	  "  --password-file FILE   PKCS#12 password (first line); else $ROOTSHIFT_PASSWORD, else empty\n"
	  "\n"
	  "Exit status: 0 on success, 2 when an input cannot be read or holds no certificate.\n" },
	{ "lab", cmd_lab, "run an offline IoT Hub and DPS whose roots switch at run time",
	  LAB_USAGE },
	{ "profiles", cmd_profiles, "list migration profiles, or show one",
	  "usage: rootshift profiles [--format text|json] [NAME|FILE]\n"
	  "\n"
	  "Without an argument, lists the built-in profiles. With one, shows its certificates, rules and timeline;\n"
	  "a FILE is validated first and any error names the JSON path.\n" },
	{ "version", cmd_version, "print the version", "usage: rootshift version\n" },
};

const struct command *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

static void print_overview(FILE *out)
{
	size_t i;

	fputs("usage: rootshift [--version] [--help] COMMAND [ARGS]\n\n"
	      "Will your devices still connect after a TLS root migration?\n\ncommands:\n", out);
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fputs("\nSee 'rootshift help COMMAND' for one command, and rootshift(1) for exit codes.\n", out);
}

int show_help(const char *name)
{
	const struct command *c = find_command(name);

	if (!c)
		return usage_error(NULL, "no command '%s'", name);
	fputs(c->usage, stdout);
	return EXIT_OK;
}

int cmd_help(int argc, char **argv)
{
	if (argc < 2) {
		print_overview(stdout);
		return EXIT_OK;
	}
	return show_help(argv[1]);
}

int cmd_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("rootshift %s\n", rs_version());
	return EXIT_OK;
}

/* The closest command name, for "did you mean". */
static const char *suggest(const char *name)
{
	size_t i, n = strlen(name);

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (n >= 2 && !strncmp(commands[i].name, name, n < 3 ? n : 3))
			return commands[i].name;
	return NULL;
}

int main(int argc, char **argv)
{
	const struct command *c;
	const char *hint;

	if (argc < 2) {
		print_overview(stderr);
		return EXIT_ERROR;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return finish_output(cmd_help(1, argv));
	if (!strcmp(argv[1], "--version"))
		return finish_output(cmd_version(1, argv));
	if (argv[1][0] == '-')
		return usage_error(NULL, "unknown option '%s'", argv[1]);
	if (!(c = find_command(argv[1]))) {
		hint = suggest(argv[1]);
		if (hint)
			return usage_error(NULL, "no command '%s' (did you mean '%s'?)", argv[1], hint);
		return usage_error(NULL, "no command '%s'", argv[1]);
	}
	return finish_output(c->fn(argc - 1, argv + 1));
}
