/* main.c: the rootshift command. A sorted table of commands; help is generated from it. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static const struct command commands[] = {
	{ "audit", cmd_audit, "find every trust anchor a device carries and judge it against a profile",
	  "usage: rootshift audit [--profile NAME|FILE] [--at TIME] [--format text|json] [--system] PATH|-...\n"
	  "\n"
	  "Finds every trust anchor in files and directories, whatever the form; the content decides, never the name:\n"
	  "PEM bundles (also inside JSON), DER, PKCS#7, PKCS#12, directories (OpenSSL hashed ones too), C and C++\n"
	  "sources (PEM in string literals, DER or PEM in byte arrays), BearSSL trust-anchor headers, ESP-IDF\n"
	  "x509_crt_bundle files, NSS certdata.txt (with its trust bits) and any other file, such as firmware\n"
	  "images, ELF binaries or ar archives, by carving DER and PEM from its bytes; '-' reads standard input.\n"
	  "Duplicates are merged with every location kept. The anchors are then judged against the profile at TIME:\n"
	  "ready, partial or not-ready, with reasons and what to do.\n"
	  "\n"
	  "  --profile NAME|FILE    judge against this profile (default azure-iot)\n"
	  "  --at TIME              judge at this RFC 3339 time (default now)\n"
	  "  --format text|json     output format (default text; json has schema rootshift/audit/1)\n"
	  "  --system               also read this machine's trust store (see docs/audit.md for the files)\n"
	  "  --system-root DIR      read the trust store of a system unpacked under DIR (implies --system)\n"
	  "\n"
	  "Exit status: 0 ready, 1 partial or not ready, 2 when an input cannot be read.\n" },
	{ "check", cmd_check, "is this machine ready? its trust store audited against the default profile",
	  "usage: rootshift check [--profile NAME|FILE] [--at TIME] [--format text|json] [--system-root DIR] [PATH...]\n"
	  "\n"
	  "Audits this machine's trust store (as 'audit --system') and says in plain words what the verdict means.\n"
	  "\n"
	  "Exit status: 0 ready, 1 partial or not ready, 2 when the store cannot be read.\n" },
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
