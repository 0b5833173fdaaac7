/* opt.c: the option tables' driver: parsing (getopt_long), help, man page sections and completion names. */
#include "opt.h"

#include <string.h>

int cli_is_end(const struct cli_opt *row)
{
	return !row->name && !row->help && !row->col;
}

static int takes(const struct cli_opt *row, unsigned sub)
{
	return row->name && (!sub || !row->sub || (row->sub & sub));
}

static int listed(const struct option *longopts, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(longopts[i].name, name))
			return 1;
	return 0;
}

void cli_init(struct cli_parser *p, const struct cli_spec *spec, unsigned sub, int argc, char **argv)
{
	const size_t max = sizeof(p->longopts) / sizeof(p->longopts[0]) - 2;
	const struct cli_opt *r;
	size_t n = 0, s = 0;

	memset(p, 0, sizeof(*p));
	p->argc = argc;
	p->argv = argv;
	for (r = spec->rows; !cli_is_end(r); r++) {
		/* A name listed twice (bundle --format FMT and --format json, lab's --at of init and of serve) is one
		 * option with two lines of help. The test cli.tables checks that every table fits. */
		if (!takes(r, sub) || listed(p->longopts, n, r->name) || n >= max)
			continue;
		p->longopts[n++] = (struct option){ r->name, r->metavar ? required_argument : no_argument, NULL, r->id };
		if ((r->flags & (CLI_SHORT | CLI_SHOW_SHORT)) && s + 3 < sizeof(p->shortopts)) {
			p->shortopts[s++] = (char)r->id;
			if (r->metavar)
				p->shortopts[s++] = ':';
		}
	}
	p->longopts[n] = (struct option){ "help", no_argument, NULL, CLI_HELP };
	p->shortopts[s] = 'h';
}

int cli_next(struct cli_parser *p)
{
	int c = getopt_long(p->argc, p->argv, p->shortopts, p->longopts, NULL);

	return c == 'h' ? CLI_HELP : c;
}

/* ---- help ---- */

/* "  --name METAVAR" padded to col (two spaces when it reaches it), then the help, its lines indented to col. */
static void print_option(FILE *out, const struct cli_opt *r, int col)
{
	const char *p, *nl;
	int len;

	if (r->label)
		len = fprintf(out, "  %s", r->label);
	else if (r->flags & CLI_SHOW_SHORT)
		len = fprintf(out, "  -%c, --%s%s%s", r->id, r->name, r->metavar ? " " : "", r->metavar ? r->metavar : "");
	else
		len = fprintf(out, "  --%s%s%s", r->name, r->metavar ? " " : "", r->metavar ? r->metavar : "");
	fprintf(out, "%*s", len < col ? col - len : 2, "");
	for (p = r->help; (nl = strchr(p, '\n')); p = nl + 1)
		fprintf(out, "%.*s\n%*s", (int)(nl - p), p, col, "");
	fprintf(out, "%s\n", p);
}

void cli_print_help(FILE *out, const struct cli_spec *spec)
{
	const struct cli_opt *r;
	int col = spec->col, first = 1;

	fputs(spec->synopsis, out);
	if (spec->description)
		fprintf(out, "\n%s", spec->description);
	for (r = spec->rows; !cli_is_end(r); r++) {
		if (r->col)
			col = r->col;
		if (!r->help)
			continue;
		if (first)
			fputc('\n', out);
		first = 0;
		if (r->name)
			print_option(out, r, col);
		else
			fputs(r->help, out);
	}
	if (spec->epilog)
		fprintf(out, "\n%s", spec->epilog);
}

/* ---- man page ---- */

/* Text as roff: backslashes and hyphens escaped, a leading '.' or '\'' made literal; without keep, the spaces that
 * indent a help's continuation lines dropped (roff fills the lines). */
static void roff(FILE *out, const char *s, size_t len, int keep)
{
	int bol = 1;
	size_t i;

	for (i = 0; i < len; i++) {
		char c = s[i];
		if (bol && !keep && c == ' ')
			continue;
		if (bol && (c == '.' || c == '\''))
			fputs("\\&", out);
		bol = c == '\n';
		if (c == '\\')
			fputs("\\e", out);
		else if (c == '-')
			fputs("\\-", out);
		else
			fputc(c, out);
	}
}

static void roff_str(FILE *out, const char *s)
{
	roff(out, s, strlen(s), 0);
}

static void man_option(FILE *out, const struct cli_opt *r)
{
	fputs(".TP\n", out);
	if (r->label) {
		fputs(".B \"", out);
		roff_str(out, r->label);
		fputs("\"\n", out);
	} else {
		fputs(r->metavar ? ".BI \"" : ".B \"", out);
		if (r->flags & CLI_SHOW_SHORT)
			fprintf(out, "\\-%c, ", r->id);
		fputs("\\-\\-", out);
		roff_str(out, r->name);
		if (r->metavar) {
			fputs("\" \" ", out);
			roff_str(out, r->metavar);
		}
		fputs("\"\n", out);
	}
	if (r->flags & CLI_PRE)
		fputs(".nf\n", out);
	roff(out, r->help, strlen(r->help), r->flags & CLI_PRE);
	fputs(r->flags & CLI_PRE ? "\n.fi\n" : "\n", out);
}

void cli_print_man(FILE *out, const struct cli_spec *spec)
{
	const struct cli_opt *r;
	int n = 0, others = 0;

	for (r = spec->rows; !cli_is_end(r); r++)
		n += r->name != NULL;
	if (!n)
		return;
	fprintf(out, ".SS %s\n", spec->name);
	for (r = spec->rows; !cli_is_end(r); r++)
		if (r->name && r->help)
			man_option(out, r);
	/* The options that only the synopsis names, as a sentence. */
	for (r = spec->rows; !cli_is_end(r); r++) {
		if (!r->name || r->help)
			continue;
		fputs(others++ ? ",\n" : ".PP\nAlso, as its synopsis shows:\n", out);
		fputs("\\fB\\-\\-", out);
		roff_str(out, r->name);
		fputs("\\fR", out);
		if (r->metavar) {
			fputs(" \\fI", out);
			roff_str(out, r->metavar);
			fputs("\\fR", out);
		}
	}
	if (others)
		fputs(".\n", out);
}

/* ---- completion ---- */

void cli_option_names(const struct cli_spec *spec, char *buf, size_t size)
{
	cli_option_names_sub(spec, 0, buf, size);
}

/* An option row that subcommand sub takes (0: any). */
static int row_of(const struct cli_opt *r, unsigned sub)
{
	return r->name && (!sub || !r->sub || (r->sub & sub));
}

void cli_option_names_sub(const struct cli_spec *spec, unsigned sub, char *buf, size_t size)
{
	const struct cli_opt *r, *q;
	size_t used = 0;
	int format = 0, json = 0;

	buf[0] = '\0';
	for (r = spec->rows; !cli_is_end(r); r++) {
		if (!row_of(r, sub))
			continue;
		for (q = spec->rows; q < r && !(row_of(q, sub) && !strcmp(q->name, r->name)); q++)
			;
		if (q < r)
			continue;
		format |= !strcmp(r->name, "format");
		json |= !strcmp(r->name, "json");
		if (used + strlen(r->name) + 4 < size)
			used += (size_t)snprintf(buf + used, size - used, "%s--%s", used ? " " : "", r->name);
	}
	if (format && !json && used + 8 < size) /* --json: main.c's alias of --format json */
		snprintf(buf + used, size - used, "%s--json", used ? " " : "");
}
