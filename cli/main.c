/* main.c: the rootshift command. A sorted table of commands; help is generated from it. */
#include "cli.h"

#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

static const struct cli_opt no_rows[] = { CLI_END_ROWS };

static const struct cli_spec cli_completion = {
	"completion",
	"print a bash or zsh completion script, made from this help",
	"usage: rootshift completion bash|zsh\n",
	"Prints a completion script for the shell: command names, and each command's options as its help lists them.\n"
	"  bash:  rootshift completion bash > /etc/bash_completion.d/rootshift  (or source it from ~/.bashrc)\n"
	"  zsh:   rootshift completion zsh > \"${fpath[1]}/_rootshift\"\n"
	"The Debian package installs both.\n",
	0,
	no_rows,
	NULL,
};

static const struct cli_spec cli_help = {
	"help", "show help for rootshift or one command", "usage: rootshift help [COMMAND]\n", NULL, 0, no_rows, NULL,
};

static const struct cli_spec cli_version = {
	"version", "print the version", "usage: rootshift version\n", NULL, 0, no_rows, NULL,
};

static const struct command commands[] = {
	{ "audit", cmd_audit, NULL, "find every trust anchor a device carries and judge it against a profile",
	  "usage: rootshift audit [--profile NAME|FILE] [--at TIME] [--format text|json] [--fail-on LEVEL] [--system]\n"
	  "                       PATH|-...\n"
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
	  "  --fail-on LEVEL        exit 1 on: error (not ready only), warning (partial too; the default), note (any\n"
	  "                         note too)\n"
	  "  --expiring-within D    note anchors, and the profile's intermediates, that expire within D (90d, 12h, 2w)\n"
	  "\n"
	  "Exit status: 0 ready, 1 partial or not ready, 2 when an input cannot be read.\n" },
	{ "bundle", cmd_bundle, &cli_bundle, NULL, NULL },
	{ "check", cmd_check, NULL, "is this machine ready? its trust store audited against the default profile",
	  "usage: rootshift check [--profile NAME|FILE] [--at TIME] [--format text|json] [--system-root DIR]\n"
	  "                       [--endpoints] [PATH...]\n"
	  "\n"
	  "Audits this machine's trust store (as 'audit --system') and says in plain words what the verdict means.\n"
	  "--endpoints also probes the profile's endpoints that have a concrete host name (TLS with this store, 5 s\n"
	  "each) and says plainly when the network cannot reach them.\n"
	  "\n"
	  "Exit status: 0 ready (and every reached endpoint verified), 1 partial, not ready or an endpoint failed,\n"
	  "2 when the store cannot be read.\n" },
	{ "completion", cmd_completion, &cli_completion, NULL, NULL },
	{ "help", cmd_help, &cli_help, NULL, NULL },
	{ "inspect", cmd_inspect, &cli_inspect, NULL, NULL },
	{ "lab", cmd_lab, &cli_lab, NULL, NULL },
	{ "probe", cmd_probe, &cli_probe, NULL, NULL },
	{ "profiles", cmd_profiles, &cli_profiles, NULL, NULL },
	{ "rehearse", cmd_rehearse, &cli_rehearse, NULL, NULL },
	{ "scan", cmd_scan, &cli_scan, NULL, NULL },
	{ "verify", cmd_verify, &cli_verify, NULL, NULL },
	{ "version", cmd_version, &cli_version, NULL, NULL },
};

const struct command *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

static const char *summary(const struct command *c)
{
	return c->spec ? c->spec->summary : c->summary;
}

static void print_overview(FILE *out)
{
	size_t i;

	fputs("usage: rootshift [--version] [--help] COMMAND [ARGS]\n\n"
	      "Will your devices still connect after a TLS root migration?\n\ncommands:\n", out);
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, summary(&commands[i]));
	fputs("\nEvery command takes --color=auto|always|never (auto: on a terminal, unless NO_COLOR is set).\n"
	      "Every command that prints JSON takes --format json (--json is an alias); with it, a failure is a JSON\n"
	      "document {\"error\": {\"code\", \"message\"}} on standard output (exit 2).\n"
	      "See 'rootshift help COMMAND' for one command, and rootshift(1) for exit codes.\n", out);
}

int show_help(const char *name)
{
	const struct command *c = find_command(name);

	if (!c)
		return usage_error(NULL, "no command '%s'", name);
	if (c->spec)
		cli_print_help(stdout, c->spec);
	else
		fputs(c->usage, stdout);
	return EXIT_OK;
}

/* help --man: the man page's option sections, one per command (docs/rootshift.1 holds them; cli.man checks). */
static void print_man(void)
{
	size_t i;

	printf(".\\\" Generated by 'rootshift help --man' from the commands' option tables: edit the tables, not this.\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (commands[i].spec)
			cli_print_man(stdout, commands[i].spec);
}

int cmd_help(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "--man")) {
		print_man();
		return EXIT_OK;
	}
	if (argc < 2) {
		print_overview(stdout);
		return EXIT_OK;
	}
	return show_help(argv[1]);
}

/* ---- completion: generated from the usage texts above, so there is one place that lists the options ---- */

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

/* The options a command's usage names ("--format", "--at", ...), each once, space-separated, into buf. */
static void usage_options(const struct command *c, char *buf, size_t size)
{
	const char *p = c->usage, *q;
	char seen[2048] = " ", opt[64];
	size_t used = 0, nseen = 1;

	buf[0] = '\0';
	while ((p = strstr(p, "--"))) {
		for (q = p + 2; (*q >= 'a' && *q <= 'z') || (*q >= '0' && *q <= '9') || *q == '-'; q++)
			;
		snprintf(opt, sizeof(opt), " %.*s ", (int)(q - p), p);
		if (q - p > 2 && (size_t)(q - p) < sizeof(opt) - 2 && (p == c->usage || strchr(" [(|", p[-1])) &&
		    !strstr(seen, opt) && used + (size_t)(q - p) + 2 < size && nseen + strlen(opt) < sizeof(seen)) {
			nseen += (size_t)snprintf(seen + nseen, sizeof(seen) - nseen, "%s", opt + 1);
			used += (size_t)snprintf(buf + used, size - used, "%s%.*s", used ? " " : "", (int)(q - p), p);
		}
		p = q;
	}
}

/* One shell `case` arm a command: its options between open and close (bash: a string, zsh: an array). */
static void print_cases(const char *open, const char *close)
{
	char opts[2048];
	size_t i;

	for (i = 0; i < NCOMMANDS; i++) {
		if (commands[i].spec)
			cli_option_names(commands[i].spec, opts, sizeof(opts));
		else
			usage_options(&commands[i], opts, sizeof(opts));
		printf("  %s) opts=%s%s%s ;;\n", commands[i].name, open, opts, close);
	}
}

static void completion_bash(void)
{
	size_t i;

	printf("# bash completion for rootshift, made by 'rootshift completion bash' from the commands' help\n"
	       "_rootshift() {\n"
	       "  local cur=${COMP_WORDS[COMP_CWORD]} opts=\n"
	       "  if [ \"$COMP_CWORD\" -eq 1 ]; then\n"
	       "    COMPREPLY=($(compgen -W \"");
	for (i = 0; i < NCOMMANDS; i++)
		printf("%s%s", i ? " " : "", commands[i].name);
	printf(" --help --version\" -- \"$cur\"))\n    return\n  fi\n  case ${COMP_WORDS[1]} in\n");
	print_cases("\"", "\"");
	printf("  esac\n"
	       "  case $cur in\n"
	       "  -*) COMPREPLY=($(compgen -W \"$opts --color --help\" -- \"$cur\")) ;;\n"
	       "  *) COMPREPLY=($(compgen -f -- \"$cur\")) ;;\n"
	       "  esac\n"
	       "}\n"
	       "complete -o filenames -F _rootshift rootshift\n");
}

static void completion_zsh(void)
{
	size_t i;

	printf("#compdef rootshift\n# zsh completion for rootshift, made by 'rootshift completion zsh' from the commands' "
	       "help\n_rootshift() {\n  local -a cmds opts\n  cmds=(\n");
	for (i = 0; i < NCOMMANDS; i++) {
		const char *p;
		printf("    '%s:", commands[i].name);
		for (p = summary(&commands[i]); *p; p++) /* in single quotes; ':' separates _describe's fields */
			fputs(*p == '\'' ? "'\\''" : *p == ':' ? "\\:" : (char[]){ *p, 0 }, stdout);
		printf("'\n");
	}
	printf("  )\n  if (( CURRENT == 2 )); then\n    _describe command cmds\n    return\n  fi\n  case $words[2] in\n");
	print_cases("(", ")");
	printf("  esac\n"
	       "  if [[ $PREFIX == -* ]]; then\n"
	       "    compadd -- $opts --color --help\n"
	       "  else\n"
	       "    _files\n"
	       "  fi\n"
	       "}\n"
	       "_rootshift \"$@\"\n");
}

int cmd_completion(int argc, char **argv)
{
	if (argc != 2)
		return usage_error("completion", "give the shell: bash or zsh");
	if (!strcmp(argv[1], "bash"))
		completion_bash();
	else if (!strcmp(argv[1], "zsh"))
		completion_zsh();
	else if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return show_help("completion");
	else
		return usage_error("completion", "no completion for '%s' (use bash or zsh)", argv[1]);
	return EXIT_OK;
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

/* --json is a documented alias of --format json on every command (issue #19): rewritten here, in one place. */
static void json_alias(int argc, char **argv)
{
	static char format_json[] = "--format=json";
	int i;

	for (i = 2; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "--json"))
			argv[i] = format_json;
}

int main(int argc, char **argv)
{
	const struct command *c;
	const char *hint;

	opterr = 0; /* commands report unknown options themselves, in one line */
	/* A peer that hangs up, or a reader of stdout that goes away, is an error to report (EPIPE), never a death
	 * by signal: the library, the lab and the fleet write to sockets through OpenSSL and libevent too. */
	signal(SIGPIPE, SIG_IGN);
	json_errors_from_args(argc, argv);
	json_alias(argc, argv);
	if (color_from_args(&argc, argv) < 0)
		return EXIT_ERROR;
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
