/* opt.h: one table per command drives its option parsing, its --help, the man page's option sections
 * (`rootshift help --man`) and the shell completions (`rootshift completion bash|zsh`). Each cmd_*.c holds its own
 * table (a struct cli_spec) and switches on the ids cli_next returns. */
#ifndef RS_CLI_OPT_H
#define RS_CLI_OPT_H

#include <getopt.h>
#include <stdio.h>

enum {
	CLI_SHORT = 1u << 0,      /* the id (a character) is also a short option, as -f; not shown in help */
	CLI_SHOW_SHORT = 1u << 1, /* ... and shown: "-o, --output OUT" (implies CLI_SHORT) */
	CLI_PRE = 1u << 2,        /* the help is a table: the man page keeps its lines (.nf) */
};

/* One row of a command's table, in the order of its help. A row with a name is an option; a row without one is a
 * line of text in the options part of the help (help printed as is), or sets the help column (col). */
struct cli_opt {
	const char *name;    /* the long name, without "--" */
	int id;              /* what cli_next returns for it (a character with CLI_SHORT) */
	const char *metavar; /* the value's name ("FILE"); NULL: takes no value */
	const char *help;    /* its help: lines after the first indented to the column; NULL: in the synopsis only */
	unsigned flags;      /* CLI_SHORT, CLI_SHOW_SHORT, CLI_PRE */
	unsigned sub;        /* the subcommands that take it, a bit each (lab); 0: every one */
	int col;             /* a row without a name: the help column from here on; 0: unchanged */
	const char *label;   /* the help's left column, instead of "--name METAVAR" */
};

#define CLI_TEXT(t) { NULL, 0, NULL, (t), 0, 0, 0, NULL }
#define CLI_COLUMN(c) { NULL, 0, NULL, NULL, 0, 0, (c), NULL }
#define CLI_END_ROWS { NULL, 0, NULL, NULL, 0, 0, 0, NULL }

/* A command: its help is synopsis, description, the options (rows), epilog, each part after a blank line. */
struct cli_spec {
	const char *name;
	const char *summary;     /* one line, for `rootshift help` and zsh */
	const char *synopsis;    /* "usage: rootshift NAME ...\n", hand-wrapped; may name options without help */
	const char *description; /* NULL: none */
	int col;                 /* the column where the options' help starts */
	const struct cli_opt *rows; /* ended by a row with neither name, help nor col */
	const char *epilog;      /* NULL: none */
	/* subcommands (lab): subs[k] names those that take the rows with bit 1 << k of cli_opt.sub, space-separated
	 * ("migrate revert"); NULL-terminated; NULL: no subcommands. Completion offers each its own options. */
	const char *const *subs;
};

/* What cli_next returns besides the ids of the table. */
enum { CLI_DONE = -1, CLI_HELP = 0x10000 };

struct cli_parser {
	struct option longopts[64];
	char shortopts[64];
	int argc;
	char **argv;
};

/* Prepares a parse of argv with the options of spec that subcommand sub takes (0: all); --help and -h are added.
 * Call cli_next until CLI_DONE; optind then indexes the first operand. '?' is an unknown option or a missing
 * value (unknown_option reports it), CLI_HELP a request for help. */
void cli_init(struct cli_parser *p, const struct cli_spec *spec, unsigned sub, int argc, char **argv);
int cli_next(struct cli_parser *p);

int cli_is_end(const struct cli_opt *row);
/* The help: synopsis, description, options, epilog. */
void cli_print_help(FILE *out, const struct cli_spec *spec);
/* The roff of the command's options for the man page (an .SS section). */
void cli_print_man(FILE *out, const struct cli_spec *spec);
/* The command's options ("--at --format ..."), each once, space-separated, into buf. */
void cli_option_names(const struct cli_spec *spec, char *buf, size_t size);
/* The same for one subcommand: the options of the rows whose sub has that bit, or is 0 (every subcommand). */
void cli_option_names_sub(const struct cli_spec *spec, unsigned sub, char *buf, size_t size);

#endif
