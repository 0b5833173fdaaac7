/* help.c: a command's usage text, looked up in the table of commands that main() hands over at start (so that the
 * commands can print their own help without depending on main.c, which depends on them). */
#include "cli.h"

#include <string.h>

static const struct command *commands;
static size_t ncommands;

void help_set_commands(const struct command *table, size_t n)
{
	commands = table;
	ncommands = n;
}

int show_help(const char *name)
{
	for (size_t i = 0; i < ncommands; i++)
		if (!strcmp(commands[i].spec->name, name)) {
			cli_print_help(stdout, commands[i].spec);
			return EXIT_OK;
		}
	return usage_error(NULL, "no command '%s'", name);
}
