/*
 * Configuration (see config.h).  The keys table is the single list of what
 * can be configured; config_set() is the single place values are parsed, for
 * the file and the flags alike.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <ini.h>

#include "config.h"
#include "../base/strparse.h"

enum ktype {
	K_STRING,   /* char array */
	K_UINT,     /* uint64_t in [min, max] */
	K_SIZE,     /* uint64_t bytes with k/m/g suffix */
	K_DURATION, /* uint64_t seconds with s/m/h/d suffix */
	K_BOOL,
	K_LISTEN, /* ADDR:PORT into addr and port */
	K_LEVEL,  /* log level word */
};

struct key {
	const char *section;
	const char *name;
	enum ktype type;
	size_t off;
	size_t size; /* K_STRING: array size */
	uint64_t min, max;
};

#define F(field) offsetof(struct config, field)
#define S(field) sizeof(((struct config *)0)->field)

static const struct key keys[] = {
	{ "server", "listen", K_LISTEN, 0, 0, 0, 0 },
	{ "server", "threads", K_UINT, F(threads), 0, 1, 64 },
	{ "server", "max_connections", K_UINT, F(max_connections), 0, 1,
	  100000 },
	{ "server", "per_ip_connections", K_UINT, F(per_ip_connections), 0, 16,
	  100000 },
	{ "server", "idle_timeout", K_DURATION, F(idle_timeout), 0, 1, 3600 },
	{ "server", "head_timeout", K_DURATION, F(head_timeout), 0, 1, 3600 },
	{ "server", "header_memory", K_SIZE, F(header_memory), 0, 8192,
	  1 << 20 },
	{ "server", "form_limit", K_SIZE, F(form_limit), 0, 1024, 1 << 20 },
	/* 0: derived from [imports] max_upload (see serve.c) */
	{ "server", "body_budget", K_SIZE, F(body_budget), 0, 0, 1ULL << 40 },
	{ "server", "body_budget_per_address", K_SIZE,
	  F(body_budget_per_address), 0, 0, 1ULL << 40 },
	/* 0: one per online CPU, at most 8 (see serve.c) */
	{ "server", "workers", K_UINT, F(workers), 0, 0, 64 },
	{ "server", "queue", K_UINT, F(queue), 0, 1, 100000 },
	{ "server", "tls_cert", K_STRING, F(tls_cert), S(tls_cert), 0, 0 },
	{ "server", "tls_key", K_STRING, F(tls_key), S(tls_key), 0, 0 },
	{ "server", "trusted_tls_proxy", K_BOOL, F(trusted_tls_proxy), 0, 0,
	  0 },
	{ "database", "url", K_STRING, F(db_url), S(db_url), 0, 0 },
	{ "library", "name", K_STRING, F(library_name), S(library_name), 0, 0 },
	{ "library", "contact_name", K_STRING, F(library_contact),
	  S(library_contact), 0, 0 },
	{ "library", "phone", K_STRING, F(library_phone), S(library_phone), 0,
	  0 },
	{ "library", "email", K_STRING, F(library_email), S(library_email), 0,
	  0 },
	{ "sessions", "idle_timeout", K_DURATION, F(session_idle), 0, 1,
	  86400 },
	{ "sessions", "absolute_timeout", K_DURATION, F(session_absolute), 0, 1,
	  7 * 86400 },
	{ "login", "max_failures_account", K_UINT, F(max_failures_account), 0,
	  1, 1000 },
	{ "login", "max_failures_address", K_UINT, F(max_failures_address), 0,
	  1, 100000 },
	{ "login", "failure_window", K_DURATION, F(failure_window), 0, 1,
	  86400 },
	{ "login", "lockout", K_DURATION, F(lockout), 0, 1, 86400 },
	{ "login", "lockout_max", K_DURATION, F(lockout_max), 0, 1, 86400 },
	{ "passwords", "concurrent_hashes", K_UINT, F(concurrent_hashes), 0, 1,
	  64 },
	{ "imports", "max_upload", K_SIZE, F(max_upload), 0, 1024, 1ULL << 30 },
	/* seconds are allowed, for tests; serve warns below a day */
	{ "imports", "preview_ttl", K_DURATION, F(preview_ttl), 0, 1,
	  30 * 86400 },
	{ "imports", "retention", K_DURATION, F(retention), 0, 1,
	  10 * 365 * 86400ULL },
	{ "imports", "guard_unenrol", K_UINT, F(guard_unenrol), 0, 1, 100 },
	{ "imports", "guard_match", K_UINT, F(guard_match), 0, 1, 100 },
	{ "imports", "guard_min", K_UINT, F(guard_min), 0, 1, 1000000 },
	{ "imports", "processing_days", K_UINT, F(processing_days), 0, 0, 365 },
	{ "imports", "purge_interval", K_DURATION, F(purge_interval), 0, 1,
	  86400 },
	{ "imports", "reader_memory", K_SIZE, F(reader_memory), 0, 16 << 20,
	  1ULL << 40 },
	{ "imports", "reader_seconds", K_DURATION, F(reader_seconds), 0, 1,
	  3600 },
	{ "api", "rate", K_UINT, F(api_rate), 0, 1, 100000 },
	{ "api", "burst", K_UINT, F(api_burst), 0, 1, 1000000 },
	{ "log", "level", K_LEVEL, F(log_level), 0, 0, 0 },
};

void
config_defaults(struct config *c)
{
	struct import_config ic;

	memset(c, 0, sizeof(*c));
	str_copy(c->addr, sizeof(c->addr), "127.0.0.1");
	c->port = 8080;
	c->threads = 4;
	c->max_connections = 1000;
	c->per_ip_connections = 64;
	c->idle_timeout = 30;
	c->head_timeout = 10;
	/* at most 32k: libmicrohttpd then takes a connection's memory
	 * from malloc, not mmap; a map per connection contended with
	 * Argon2's 64 MiB maps for the memory map lock (issue 12, point 3) */
	c->header_memory = 32 * 1024;
	c->workers = 0;
	c->queue = 64;
	c->form_limit = 64 * 1024;
	str_copy(c->db_url, sizeof(c->db_url), "sqlite:var/biebsync.db");
	str_copy(c->library_name, sizeof(c->library_name), "de Bibliotheek");
	c->session_idle = 30 * 60;
	c->session_absolute = 12 * 3600;
	c->max_failures_account = 5;
	c->max_failures_address = 50;
	c->failure_window = 15 * 60;
	c->lockout = 60;
	c->lockout_max = 15 * 60;
	c->concurrent_hashes = 2;
	import_config_defaults(&ic);
	c->max_upload = ic.max_upload;
	c->preview_ttl = ic.preview_ttl;
	c->retention = ic.retention;
	c->guard_unenrol = ic.guards.unenrol_pct;
	c->guard_match = ic.guards.match_pct;
	c->guard_min = ic.guards.guard_min;
	c->purge_interval = 3600;
	c->reader_memory = ic.reader.memory;
	c->reader_seconds = ic.reader.seconds;
	c->api_rate = 10;
	c->api_burst = 60;
	c->log_level = LOG_INFO;
}

enum err
config_set(struct config *c, const char *section, const char *name,
           const char *value, char *msg, size_t msgsz)
{
	static const char *const levels[] = { "debug", "info", "warn",
		                              "error" };
	const struct key *k = NULL;
	char *base = (char *)c;
	enum err e = ERR_INVALID;
	bool bv;

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strcmp(keys[i].section, section) == 0 &&
		    strcmp(keys[i].name, name) == 0)
			k = &keys[i];
	if (k == NULL) {
		snprintf(msg, msgsz, "unknown key '%s' in section [%s]", name,
		         section);
		return ERR_INVALID;
	}
	switch (k->type) {
	case K_STRING:
		e = str_copy(base + k->off, k->size, value);
		break;
	case K_UINT:
		e = parse_u64(value, k->min, k->max,
		              (uint64_t *)(void *)(base + k->off));
		break;
	case K_SIZE:
		e = parse_size(value, k->min, k->max,
		               (uint64_t *)(void *)(base + k->off));
		break;
	case K_DURATION:
		e = parse_duration(value, k->min, k->max,
		                   (uint64_t *)(void *)(base + k->off));
		break;
	case K_BOOL:
		if ((e = parse_bool(value, &bv)) == ERR_OK)
			*(bool *)(void *)(base + k->off) = bv;
		break;
	case K_LISTEN:
		e = parse_listen(value, c->addr, sizeof(c->addr), &c->port);
		break;
	case K_LEVEL:
		for (int i = 0; i < 4; i++)
			if (strcmp(value, levels[i]) == 0) {
				c->log_level = (enum log_level)i;
				e = ERR_OK;
			}
		break;
	}
	if (e != ERR_OK) {
		const char *want =
		        k->type == K_STRING     ? "text that fits"
		        : k->type == K_UINT     ? "a whole number"
		        : k->type == K_SIZE     ? "a size like 64k"
		        : k->type == K_DURATION ? "a duration like 30m"
		        : k->type == K_BOOL     ? "yes or no"
		        : k->type == K_LISTEN   ? "ADDRESS:PORT"
		                                : "debug, info, warn or error";
		if (k->type == K_UINT || k->type == K_SIZE ||
		    k->type == K_DURATION)
			snprintf(
			        msg, msgsz,
			        "bad value '%s' for %s.%s: expected %s between %llu and %llu",
			        value, section, name, want,
			        (unsigned long long)k->min,
			        (unsigned long long)k->max);
		else
			snprintf(msg, msgsz,
			         "bad value '%s' for %s.%s: expected %s", value,
			         section, name, want);
	}
	return e;
}

struct load_ctx {
	struct config *c;
	char msg[512];
	bool failed;
};

static int
on_key(void *user, const char *section, const char *name, const char *value)
{
	struct load_ctx *l = user;
	char why[400];

	if (config_set(l->c, section, name, value, why, sizeof(why)) == ERR_OK)
		return 1;
	if (!l->failed) {
		str_copy(l->msg, sizeof(l->msg), why);
		l->failed = true;
	}
	return 0;
}

enum err
config_load(struct config *c, const char *path, char *msg, size_t msgsz)
{
	struct load_ctx l = { c, "", false };
	int rc = ini_parse(path, on_key, &l);

	if (rc == 0)
		return ERR_OK;
	if (rc == -1)
		snprintf(msg, msgsz, "%s: cannot open the configuration file",
		         path);
	else if (l.failed)
		snprintf(msg, msgsz, "%s:%d: %s", path, rc, l.msg);
	else
		snprintf(msg, msgsz, "%s:%d: syntax error", path, rc);
	return ERR_INVALID;
}

void
config_imports(const struct config *c, struct import_config *out)
{
	out->max_upload = c->max_upload;
	out->preview_ttl = c->preview_ttl;
	out->retention = c->retention;
	out->guards.unenrol_pct = (unsigned)c->guard_unenrol;
	out->guards.match_pct = (unsigned)c->guard_match;
	out->guards.guard_min = c->guard_min;
	out->processing_days = c->processing_days;
	out->reader.memory = c->reader_memory;
	out->reader.seconds = (unsigned)c->reader_seconds;
	/* a fresh reader process, not a copy of this one (sandboxed.h) */
	out->reader.exe = "/proc/self/exe";
}
