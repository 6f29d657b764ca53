/*
 * Shared command-line plumbing (see cli.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <sodium.h>

#include "cli.h"
#include "../auth/password.h"
#include "../base/buf.h"
#include "../base/mem.h"
#include "../base/strparse.h"

bool
args_parse(int argc, char **argv, const struct opt_spec *spec, struct args *out)
{
	memset(out, 0, sizeof(*out));
	for (int i = 0; i < argc; i++) {
		const char *arg = argv[i], *eq, *value = "";
		const struct opt_spec *s;
		size_t n;

		if (!str_starts(arg, "--") || strcmp(arg, "--") == 0) {
			if (out->nwords == ARGS_MAX)
				goto toomany;
			out->words[out->nwords++] = arg;
			continue;
		}
		arg += 2;
		eq = strchr(arg, '=');
		n = eq ? (size_t)(eq - arg) : strlen(arg);
		for (s = spec; s->name != NULL; s++)
			if (strlen(s->name) == n &&
			    strncmp(s->name, arg, n) == 0)
				break;
		if (s->name == NULL) {
			fprintf(stderr, cli_msg(CM_ARG_UNKNOWN_OPTION), (int)n,
			        arg);
			return false;
		}
		if (s->has_value) {
			if (eq != NULL)
				value = eq + 1;
			else if (i + 1 < argc)
				value = argv[++i];
			else {
				fprintf(stderr, cli_msg(CM_ARG_NEEDS_VALUE),
				        s->name);
				return false;
			}
		} else if (eq != NULL) {
			fprintf(stderr, cli_msg(CM_ARG_TAKES_NO_VALUE),
			        s->name);
			return false;
		}
		if (out->nopts == ARGS_MAX)
			goto toomany;
		out->opt_names[out->nopts] = s->name;
		out->opt_values[out->nopts++] = value;
	}
	return true;
toomany:
	fputs(cli_msg(CM_ARG_TOO_MANY), stderr);
	return false;
}

const char *
args_get(const struct args *a, const char *name)
{
	const char *v = NULL;

	for (int i = 0; i < a->nopts; i++)
		if (strcmp(a->opt_names[i], name) == 0)
			v = a->opt_values[i];
	return v;
}

bool
cli_config(const struct args *a, struct config *c)
{
	static const struct {
		const char *opt, *section, *key;
	} flags[] = {
		{ "db", "database", "url" },
		{ "listen", "server", "listen" },
		{ "tls-cert", "server", "tls_cert" },
		{ "tls-key", "server", "tls_key" },
	};
	const char *path = args_get(a, "config");
	char msg[600];

	config_defaults(c);
	if (path != NULL && config_load(c, path, msg, sizeof(msg)) != ERR_OK) {
		fprintf(stderr, "biebsync: %s\n", msg);
		return false;
	}
	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		const char *v = args_get(a, flags[i].opt);

		if (v != NULL && config_set(c, flags[i].section, flags[i].key,
		                            v, msg, sizeof(msg)) != ERR_OK) {
			fprintf(stderr, "biebsync: --%s: %s\n", flags[i].opt,
			        msg);
			return false;
		}
	}
	log_set_level(c->log_level);
	return true;
}

static bool
open_store(const struct config *c, struct store **st)
{
	char msg[600];

	if (store_open(c->db_url, st, msg, sizeof(msg)) != ERR_OK) {
		fprintf(stderr, "biebsync: %s\n", msg);
		return false;
	}
	return true;
}

bool
cli_open(const struct args *a, struct config *c, struct store **st)
{
	if (!cli_config(a, c))
		return false;
	if (password_init((int)c->concurrent_hashes) != ERR_OK) {
		fprintf(stderr, "biebsync: cannot initialise libsodium\n");
		return false;
	}
	return open_store(c, st);
}

bool
cli_open_store(const struct args *a, struct config *c, struct store **st)
{
	if (!cli_config(a, c))
		return false;
	if (sodium_init() < 0) {
		fprintf(stderr, "biebsync: cannot initialise libsodium\n");
		return false;
	}
	return open_store(c, st);
}

/* Read f to its end into *data, at most max bytes (see cli_read_file). */
static enum err
read_stream(FILE *f, const char *path, size_t max, char **data, size_t *len)
{
	size_t alloc = 65536, n = 0, got;
	char *p = xmalloc(alloc);

	do {
		if (n == alloc) {
			if (alloc > max)
				break;
			alloc *= 2;
			p = xrealloc(p, alloc);
		}
		got = fread(p + n, 1, alloc - n, f);
		n += got;
	} while (got > 0);
	if (ferror(f)) {
		fprintf(stderr, "biebsync: %s: read error\n", path);
		n = SIZE_MAX;
	}
	if (n == SIZE_MAX || n > max) {
		free(p);
		return n == SIZE_MAX ? ERR_IO : ERR_LIMIT;
	}
	*data = p;
	*len = n;
	return ERR_OK;
}

static FILE *
open_input(const char *path)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");

	if (f == NULL)
		fprintf(stderr, "biebsync: %s: %s\n", path, strerror(errno));
	return f;
}

enum err
cli_read_file(const char *path, size_t max, char **data, size_t *len)
{
	FILE *f = open_input(path);
	enum err rc;

	*data = NULL;
	*len = 0;
	if (f == NULL)
		return ERR_IO;
	rc = read_stream(f, path, max, data, len);
	if (f != stdin)
		fclose(f);
	return rc;
}

enum err
cli_map_file(const char *path, size_t max, struct cli_file *out)
{
	FILE *f = open_input(path);
	struct stat st;
	enum err rc = ERR_OK;
	void *m;

	memset(out, 0, sizeof(*out));
	if (f == NULL)
		return ERR_IO;
	if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode)) {
		if ((uintmax_t)st.st_size > max) {
			rc = ERR_LIMIT;
			goto done;
		}
		if (st.st_size == 0) {
			out->data = "";
			goto done;
		}
		m = mmap(NULL, (size_t)st.st_size, PROT_READ,
		         MAP_PRIVATE | MAP_POPULATE, fileno(f), 0);
		if (m != MAP_FAILED) {
			out->data = out->map = m;
			out->len = (size_t)st.st_size;
			goto done;
		}
	}
	rc = read_stream(f, path, max, &out->owned, &out->len);
	out->data = out->owned;
done:
	if (f != stdin)
		fclose(f);
	return rc;
}

void
cli_file_release(struct cli_file *f)
{
	if (f == NULL)
		return;
	if (f->map != NULL)
		munmap(f->map, f->len);
	free(f->owned);
	memset(f, 0, sizeof(*f));
}

void
cli_json_str(FILE *f, const char *s)
{
	struct buf b;

	buf_init(&b, 6 * strlen(s) + 8);
	buf_add_json(&b, s);
	fputs(b.data, f);
	buf_release(&b);
}
