/*
 * Shared plumbing of the subcommands: argument parsing into options and
 * words, loading the configuration with flag overrides, opening the store.
 * Their texts in Dutch and English, and the choice between them, are in
 * msg.h.
 *
 * Exit statuses: 0 done, 1 refused or failed, 2 usage error.
 */
#ifndef BIEBSYNC_CLI_CLI_H
#define BIEBSYNC_CLI_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "config.h"
#include "../sheet/sheet.h"
#include "msg.h"
#include "../store/store.h"

#define EXIT_REFUSED 1
#define EXIT_USAGE   2

#define ARGS_MAX 32

struct opt_spec {
	const char *name; /* without the leading "--" */
	bool has_value;
};

struct args {
	int nwords;
	const char *words[ARGS_MAX];
	int nopts;
	const char *opt_names[ARGS_MAX];
	const char *opt_values[ARGS_MAX]; /* "" for flags */
};

/* Parse argv (without the program and command names).  Options are
 * "--name value", "--name=value" or "--flag"; spec ends with a NULL name.
 * Returns false after printing a usage error. */
bool args_parse(int argc, char **argv, const struct opt_spec *spec,
                struct args *out);
const char *args_get(const struct args *a, const char *name);

/* The options every command that uses the database accepts. */
#define COMMON_OPTS                                                            \
	{ "config", true },                                                    \
	{                                                                      \
		"db", true                                                     \
	}

/* Defaults, --config FILE, then --db etc.; prints errors.  false: failed. */
bool cli_config(const struct args *a, struct config *c);
/* cli_config, password_init and store_open; prints errors. */
bool cli_open(const struct args *a, struct config *c, struct store **st);
/* cli_config, libsodium and store_open, without password_init: for commands
 * that hash no passwords, since password_init computes a dummy Argon2id
 * hash (some 60 ms and 64 MiB) that they would only wait for. */
bool cli_open_store(const struct args *a, struct config *c, struct store **st);

/*
 * Read the file at path ("-": standard input) into *data (free() it), at
 * most max bytes; a larger file gives ERR_LIMIT.  Errors are printed.
 */
enum err cli_read_file(const char *path, size_t max, char **data, size_t *len);

/*
 * The same for reading only, without a copy when path is a regular file:
 * the file is mapped (it must not shrink while mapped, or reading it
 * faults), anything else (standard input, a pipe) is read as above.
 * Release with cli_file_release (accepts NULL and a failed map).
 */
struct cli_file {
	const char *data; /* never NULL after ERR_OK */
	size_t len;
	void *map;   /* the mapping, or NULL */
	char *owned; /* the bytes read, or NULL */
};
enum err cli_map_file(const char *path, size_t max, struct cli_file *f);
void cli_file_release(struct cli_file *f);

/* Write s as a JSON string (quoted, escaped) to f. */
void cli_json_str(FILE *f, const char *s);

/* Print why a file is refused (sheet_problem_format) on standard output,
 * naming the file at path ("-": standard input, unnamed) where the message
 * is about the file. */
void cli_print_problem(enum sheet_problem problem, const char *path);

struct roster_file;
struct roster_source;
/* Print the layout, the column mapping and the validation report. */
void cli_print_understanding(const struct roster_file *f,
                             const struct roster_source *src);

/* An import's counts per kind (CHANGE__MAX of them, zero kinds left
 * out), one listed change with the fields it alters, and the groups that
 * are only written differently. */
void cli_print_counts(const int64_t *counts);
void cli_print_change(const struct student *before,
                      const struct student *after);
void cli_print_groups(const struct group_line *g, size_t n);

int cmd_serve(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_admin(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_check(int argc, char **argv);

#endif
