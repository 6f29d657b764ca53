/*
 * biebsync's entry point: one binary, subcommands chosen from a table.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "../import/sandboxed.h"

#ifndef BIEBSYNC_VERSION
#define BIEBSYNC_VERSION "0.1.0"
#endif

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *about[LANG__MAX]; /* one-line description */
};

static const struct command commands[] = {
	{ "serve", cmd_serve, { "de website starten", "run the web server" } },
	{ "admin",
	  cmd_admin,
	  { "scholen, accounts, imports en exports beheren",
	    "manage schools, accounts, imports and exports" } },
	{ "check",
	  cmd_check,
	  { "een bestand lezen en tonen wat erin staat",
	    "read a file and show what it holds" } },
	{ "import",
	  cmd_import,
	  { "een leerlingbestand controleren en inlezen (--apply)",
	    "check a student list and import it (--apply)" } },
	{ "demo",
	  cmd_demo,
	  { "een demoschool met demo-account aanmaken",
	    "create a demo school and demo account" } },
};

static int
usage(FILE *out)
{
	fputs(cli_msg(CM_MAIN_USAGE), out);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-8s %s\n", commands[i].name,
		        lang_pick(commands[i].about, cli_lang()));
	fputs(cli_msg(CM_MAIN_SEE_MANUAL), out);
	return out == stdout ? 0 : EXIT_USAGE;
}

int
main(int argc, char **argv)
{
	if (argc < 2)
		return usage(stderr);
	/* a reader child of the server or a command (import/sandboxed.h):
	 * _exit, no atexit handler under the filter */
	if (argc == 2 && strcmp(argv[1], READER_ARG) == 0)
		_exit(reader_child_main());
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0)
		return usage(stdout);
	if (strcmp(argv[1], "--version") == 0 ||
	    strcmp(argv[1], "version") == 0) {
		printf("biebsync %s\n", BIEBSYNC_VERSION);
		return 0;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 2, argv + 2);
	fprintf(stderr, cli_msg(CM_MAIN_UNKNOWN_COMMAND), argv[1]);
	return usage(stderr);
}
