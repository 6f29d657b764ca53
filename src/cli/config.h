/*
 * biebsync's configuration: defaults, the INI file (inih) and the command
 * line flags that override it.  Every key is declared once in config.c's
 * table with its type and range; an unknown key or a bad value is an error
 * naming the file and line.  See biebsync.conf(5).
 */
#ifndef BIEBSYNC_CLI_CONFIG_H
#define BIEBSYNC_CLI_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/err.h"
#include "../base/log.h"
#include "../import/import.h"

struct config {
	/* [server] */
	char addr[64];
	uint16_t port;
	uint64_t threads;
	uint64_t max_connections;
	uint64_t per_ip_connections;
	uint64_t idle_timeout;
	uint64_t head_timeout; /* seconds for a whole request head */
	uint64_t header_memory;
	uint64_t form_limit;
	uint64_t body_budget;             /* body bytes in flight; 0: auto */
	uint64_t body_budget_per_address; /* the same per address; 0: auto */
	uint64_t workers; /* worker pool for heavy requests; 0: one per CPU */
	uint64_t queue;   /* heavy requests waiting for a worker */
	char tls_cert[1024];
	char tls_key[1024];
	bool trusted_tls_proxy;
	/* [database] */
	char db_url[1024];
	/* [library] */
	char library_name[128];
	char library_contact[128]; /* the contact person; "" = not given */
	char library_phone[64];
	char library_email[256];
	/* [sessions] */
	uint64_t session_idle;
	uint64_t session_absolute;
	/* [login] */
	uint64_t max_failures_account;
	uint64_t max_failures_address;
	uint64_t failure_window;
	uint64_t lockout;
	uint64_t lockout_max;
	/* [passwords] */
	uint64_t concurrent_hashes;
	/* [imports] */
	uint64_t max_upload;      /* bytes of an uploaded file */
	uint64_t preview_ttl;     /* seconds an unconfirmed preview lives */
	uint64_t retention;       /* seconds before leavers and applied
	                             imports are anonymised */
	uint64_t guard_unenrol;   /* percent */
	uint64_t guard_match;     /* percent */
	uint64_t guard_min;       /* active students before guards apply */
	uint64_t processing_days; /* told to schools after an upload */
	uint64_t purge_interval;  /* seconds between the server's purges */
	uint64_t reader_memory;   /* bytes a sandboxed reader may allocate */
	uint64_t reader_seconds;  /* its CPU seconds (wall clock: twice) */
	/* [api] */
	uint64_t api_rate;  /* requests per second per token */
	uint64_t api_burst; /* requests a token may make at once */
	/* [log] */
	enum log_level log_level;
};

/* Fill c with the defaults. */
void config_defaults(struct config *c);

/* The [imports] section as the import layer takes it. */
void config_imports(const struct config *c, struct import_config *out);

/* Read the INI file at path into c; on error msg holds "FILE:LINE: why". */
enum err config_load(struct config *c, const char *path, char *msg,
                     size_t msgsz);

/* Set one key given as "section.key" (flags use this); msg says why not. */
enum err config_set(struct config *c, const char *section, const char *key,
                    const char *value, char *msg, size_t msgsz);

#endif
