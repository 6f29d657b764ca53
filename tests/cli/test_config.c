/*
 * Tests for src/cli/config.c: the defaults, reading an INI file with every
 * section, errors that name the file and line ("FILE:LINE: why") for
 * unknown keys, bad values and syntax, and config_set, which flags use to
 * override single keys.  Files are written to a private directory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "../testutil.h"
#include "../../src/cli/config.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

struct fixture {
	char dir[64];
	char path[128];
	struct config c;
	char msg[512];
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	tu_tmpdir(f->dir);
	snprintf(f->path, sizeof(f->path), "%s/biebsync.conf", f->dir);
	config_defaults(&f->c);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	tu_rmdir(f->dir);
	free(f);
	return 0;
}

/* Write text as the config file and load it. */
static enum err
load(struct fixture *f, const char *text)
{
	tu_write_file(f->path, text);
	f->msg[0] = '\0';
	return config_load(&f->c, f->path, f->msg, sizeof(f->msg));
}

/* Assert f->msg is "PATH:LINE: " followed by rest. */
static void
assert_msg(struct fixture *f, int line, const char *rest)
{
	char want[512];

	snprintf(want, sizeof(want), "%s:%d: %s", f->path, line, rest);
	assert_string_equal(f->msg, want);
}

/* Assert f->msg starts with "PATH:LINE: " followed by start. */
static void
assert_msg_starts(struct fixture *f, int line, const char *start)
{
	char want[512];

	snprintf(want, sizeof(want), "%s:%d: %s", f->path, line, start);
	if (strncmp(f->msg, want, strlen(want)) != 0)
		fail_msg("message '%s' does not start with '%s'", f->msg, want);
}

static void
config_defaults_are_safe_and_local(void **state)
{
	struct fixture *f = *state;
	struct config *c = &f->c;

	assert_string_equal(c->addr, "127.0.0.1");
	assert_int_equal(c->port, 8080);
	assert_int_equal(c->threads, 4);
	assert_int_equal(c->max_connections, 1000);
	assert_int_equal(c->per_ip_connections, 64);
	assert_int_equal(c->idle_timeout, 30);
	assert_int_equal(c->header_memory, 32 * 1024);
	assert_int_equal(c->workers, 0); /* one per CPU */
	assert_int_equal(c->queue, 64);
	assert_int_equal(c->form_limit, 64 * 1024);
	assert_int_equal(c->body_budget, 0); /* derived from max_upload */
	assert_int_equal(c->body_budget_per_address, 0);
	assert_string_equal(c->tls_cert, "");
	assert_string_equal(c->tls_key, "");
	assert_false(c->trusted_tls_proxy);
	assert_string_equal(c->db_url, "sqlite:var/biebsync.db");
	assert_string_equal(c->library_name, "de Bibliotheek");
	/* no contact details unless configured: the pages then say plainly
	 * to contact the library */
	assert_string_equal(c->library_contact, "");
	assert_string_equal(c->library_phone, "");
	assert_string_equal(c->library_email, "");
	assert_int_equal(c->session_idle, 30 * 60);
	assert_int_equal(c->session_absolute, 12 * 3600);
	assert_int_equal(c->max_failures_account, 5);
	assert_int_equal(c->max_failures_address, 50);
	assert_int_equal(c->failure_window, 15 * 60);
	assert_int_equal(c->lockout, 60);
	assert_int_equal(c->lockout_max, 15 * 60);
	assert_int_equal(c->concurrent_hashes, 2);
	assert_int_equal(c->log_level, LOG_INFO);
}

static void
config_load_reads_every_section(void **state)
{
	struct fixture *f = *state;
	struct config *c = &f->c;

	assert_int_equal(load(f, "; biebsync test configuration\n"
	                         "[server]\n"
	                         "listen = [::1]:9443\n"
	                         "threads = 8\n"
	                         "max_connections = 200\n"
	                         "per_ip_connections = 20\n"
	                         "idle_timeout = 1m\n"
	                         "header_memory = 48k\n"
	                         "workers = 3\n"
	                         "queue = 16\n"
	                         "form_limit = 128KB\n"
	                         "body_budget = 200m\n"
	                         "body_budget_per_address = 50m\n"
	                         "tls_cert = /etc/biebsync/cert.pem\n"
	                         "tls_key = /etc/biebsync/key.pem\n"
	                         "trusted_tls_proxy = yes\n"
	                         "\n"
	                         "[database]\n"
	                         "url = sqlite:/var/lib/biebsync/db\n"
	                         "[library]\n"
	                         "name = Bibliotheek Rivierenland\n"
	                         "contact_name = Marieke de Vries\n"
	                         "phone = 0344 12 34 56\n"
	                         "email = scholen@bieb.example\n"
	                         "[sessions]\n"
	                         "idle_timeout = 20m\n"
	                         "absolute_timeout = 8h\n"
	                         "[login]\n"
	                         "max_failures_account = 10\n"
	                         "max_failures_address = 100\n"
	                         "failure_window = 1h\n"
	                         "lockout = 30s\n"
	                         "lockout_max = 1d\n"
	                         "[passwords]\n"
	                         "concurrent_hashes = 4\n"
	                         "[log]\n"
	                         "level = debug\n"),
	                 ERR_OK);
	assert_string_equal(c->addr, "::1");
	assert_int_equal(c->port, 9443);
	assert_int_equal(c->threads, 8);
	assert_int_equal(c->max_connections, 200);
	assert_int_equal(c->per_ip_connections, 20);
	assert_int_equal(c->idle_timeout, 60);
	assert_int_equal(c->header_memory, 48 * 1024);
	assert_int_equal(c->workers, 3);
	assert_int_equal(c->queue, 16);
	assert_int_equal(c->form_limit, 128 * 1024);
	assert_int_equal(c->body_budget, 200u << 20);
	assert_int_equal(c->body_budget_per_address, 50u << 20);
	assert_string_equal(c->tls_cert, "/etc/biebsync/cert.pem");
	assert_string_equal(c->tls_key, "/etc/biebsync/key.pem");
	assert_true(c->trusted_tls_proxy);
	assert_string_equal(c->db_url, "sqlite:/var/lib/biebsync/db");
	assert_string_equal(c->library_name, "Bibliotheek Rivierenland");
	assert_string_equal(c->library_contact, "Marieke de Vries");
	assert_string_equal(c->library_phone, "0344 12 34 56");
	assert_string_equal(c->library_email, "scholen@bieb.example");
	assert_int_equal(c->session_idle, 20 * 60);
	assert_int_equal(c->session_absolute, 8 * 3600);
	assert_int_equal(c->max_failures_account, 10);
	assert_int_equal(c->max_failures_address, 100);
	assert_int_equal(c->failure_window, 3600);
	assert_int_equal(c->lockout, 30);
	assert_int_equal(c->lockout_max, 86400);
	assert_int_equal(c->concurrent_hashes, 4);
	assert_int_equal(c->log_level, LOG_DEBUG);
}

static void
config_load_keeps_defaults_for_keys_not_given(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(load(f, "[server]\nthreads = 2\n"), ERR_OK);
	assert_int_equal(f->c.threads, 2);
	assert_int_equal(f->c.port, 8080);
	assert_string_equal(f->c.db_url, "sqlite:var/biebsync.db");
}

static void
config_load_of_an_empty_file_changes_nothing(void **state)
{
	struct fixture *f = *state;
	struct config before = f->c;

	assert_int_equal(load(f, "\n; only a comment\n# and another\n"),
	                 ERR_OK);
	assert_memory_equal(&before, &f->c, sizeof(before));
}

static void
config_load_refuses_an_unknown_key_naming_file_and_line(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(load(f, "[server]\nthreads = 4\nbogus = 1\n"),
	                 ERR_INVALID);
	assert_msg(f, 3, "unknown key 'bogus' in section [server]");
}

static void
config_load_refuses_a_key_in_the_wrong_section(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(load(f, "[database]\nthreads = 4\n"), ERR_INVALID);
	assert_msg(f, 2, "unknown key 'threads' in section [database]");
}

static void
config_load_refuses_an_unknown_section(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(load(f, "[server]\n\n[nope]\nx = 1\n"), ERR_INVALID);
	assert_msg(f, 4, "unknown key 'x' in section [nope]");
}

static void
config_load_refuses_a_key_before_any_section(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(load(f, "threads = 4\n"), ERR_INVALID);
	assert_msg(f, 1, "unknown key 'threads' in section []");
}

static void
config_load_refuses_bad_values_with_the_line(void **state)
{
	static const struct {
		const char *file;
		int line;
		const char *start;
	} c[] = {
		{ "[server]\nlisten = 127.0.0.1:70000\n", 2,
		  "bad value '127.0.0.1:70000' for server.listen: expected ADDRESS:PORT" },
		{ "[server]\nlisten = localhost:8080\n", 2,
		  "bad value 'localhost:8080' for server.listen" },
		{ "[server]\nthreads = 0\n", 2,
		  "bad value '0' for server.threads: expected a whole number between 1 and 64" },
		{ "[server]\n\nthreads = 65\n", 3,
		  "bad value '65' for server.threads" },
		{ "[server]\nthreads = four\n", 2,
		  "bad value 'four' for server.threads" },
		{ "[server]\nheader_memory = 1k\n", 2,
		  "bad value '1k' for server.header_memory: expected a size like 64k between 8192 and 1048576" },
		{ "[sessions]\nidle_timeout = abc\n", 2,
		  "bad value 'abc' for sessions.idle_timeout: expected a duration like 30m" },
		{ "[login]\nlockout = 10x\n", 2,
		  "bad value '10x' for login.lockout" },
		{ "[login]\nfailure_window = 2d\n", 2,
		  "bad value '2d' for login.failure_window" },
		{ "[server]\ntrusted_tls_proxy = maybe\n", 2,
		  "bad value 'maybe' for server.trusted_tls_proxy: expected yes or no" },
		{ "[log]\nlevel = verbose\n", 2,
		  "bad value 'verbose' for log.level: expected debug, info, warn or error" },
		{ "[passwords]\nconcurrent_hashes = -1\n", 2,
		  "bad value '-1' for passwords.concurrent_hashes" },
	};

	for (size_t i = 0; i < N(c); i++) {
		struct fixture *f = *state;

		config_defaults(&f->c);
		assert_int_equal(load(f, c[i].file), ERR_INVALID);
		assert_msg_starts(f, c[i].line, c[i].start);
	}
}

static void
config_load_refuses_a_string_that_does_not_fit(void **state)
{
	struct fixture *f = *state;
	char text[256] = "[library]\nname = ";

	memset(text + strlen(text), 'n', 150);
	assert_int_equal(load(f, text), ERR_INVALID);
	assert_msg_starts(f, 2, "bad value '");
	assert_non_null(
	        strstr(f->msg, "for library.name: expected text that fits"));
	assert_string_equal(f->c.library_name, "de Bibliotheek");
}

static void
config_load_reports_the_first_error(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(load(f, "[server]\nthreads = 0\nbogus = 1\n"),
	                 ERR_INVALID);
	assert_msg_starts(f, 2, "bad value '0' for server.threads");
}

static void
config_load_reports_a_syntax_error(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(load(f, "[server]\nthreads = 4\n[broken\n"),
	                 ERR_INVALID);
	assert_msg(f, 3, "syntax error");
}

static void
config_load_reports_a_missing_file(void **state)
{
	struct fixture *f = *state;
	char want[256];

	snprintf(f->path, sizeof(f->path), "%s/missing.conf", f->dir);
	assert_int_equal(config_load(&f->c, f->path, f->msg, sizeof(f->msg)),
	                 ERR_INVALID);
	snprintf(want, sizeof(want), "%s: cannot open the configuration file",
	         f->path);
	assert_string_equal(f->msg, want);
}

static void
config_set_overrides_single_keys(void **state)
{
	struct fixture *f = *state;
	struct config *c = &f->c;

	assert_int_equal(config_set(c, "server", "listen", "0.0.0.0:8443",
	                            f->msg, sizeof(f->msg)),
	                 ERR_OK);
	assert_string_equal(c->addr, "0.0.0.0");
	assert_int_equal(c->port, 8443);
	assert_int_equal(config_set(c, "server", "listen", "127.0.0.1:0",
	                            f->msg, sizeof(f->msg)),
	                 ERR_OK);
	assert_int_equal(c->port, 0);
	assert_int_equal(config_set(c, "database", "url", "sqlite:/tmp/x.db",
	                            f->msg, sizeof(f->msg)),
	                 ERR_OK);
	assert_string_equal(c->db_url, "sqlite:/tmp/x.db");
	assert_int_equal(
	        config_set(c, "log", "level", "error", f->msg, sizeof(f->msg)),
	        ERR_OK);
	assert_int_equal(c->log_level, LOG_ERROR);
	assert_int_equal(config_set(c, "server", "trusted_tls_proxy", "ON",
	                            f->msg, sizeof(f->msg)),
	                 ERR_OK);
	assert_true(c->trusted_tls_proxy);
}

static void
config_set_after_load_wins(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(load(f, "[server]\nlisten = 127.0.0.1:9000\n"
	                         "threads = 8\n"),
	                 ERR_OK);
	assert_int_equal(config_set(&f->c, "server", "listen", "[::]:9001",
	                            f->msg, sizeof(f->msg)),
	                 ERR_OK);
	assert_string_equal(f->c.addr, "::");
	assert_int_equal(f->c.port, 9001);
	assert_int_equal(f->c.threads, 8);
}

static void
config_set_refuses_and_keeps_the_old_value(void **state)
{
	struct fixture *f = *state;
	struct config *c = &f->c;

	assert_int_equal(config_set(c, "server", "listen", "127.0.0.1:70000",
	                            f->msg, sizeof(f->msg)),
	                 ERR_INVALID);
	assert_string_equal(c->addr, "127.0.0.1");
	assert_int_equal(c->port, 8080);
	assert_string_equal(
	        f->msg,
	        "bad value '127.0.0.1:70000' for server.listen: expected ADDRESS:PORT");
	assert_int_equal(
	        config_set(c, "server", "threads", "0", f->msg, sizeof(f->msg)),
	        ERR_INVALID);
	assert_int_equal(c->threads, 4);
	assert_int_equal(
	        config_set(c, "log", "level", "DEBUG", f->msg, sizeof(f->msg)),
	        ERR_INVALID);
	assert_int_equal(c->log_level, LOG_INFO);
	assert_int_equal(
	        config_set(c, "server", "nope", "1", f->msg, sizeof(f->msg)),
	        ERR_INVALID);
	assert_string_equal(f->msg, "unknown key 'nope' in section [server]");
}

static void
config_api_section_sets_the_rate_limit(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(f->c.api_rate, 10);
	assert_int_equal(f->c.api_burst, 60);
	assert_int_equal(load(f, "[api]\nrate = 2\nburst = 5\n"), ERR_OK);
	assert_int_equal(f->c.api_rate, 2);
	assert_int_equal(f->c.api_burst, 5);
	assert_int_equal(load(f, "[api]\nrate = 0\n"), ERR_INVALID);
	assert_msg_starts(f, 2, "bad value '0' for api.rate");
	assert_int_equal(load(f, "[api]\n\nburst = 0\n"), ERR_INVALID);
	assert_msg_starts(f, 3, "bad value '0' for api.burst");
	assert_int_equal(f->c.api_burst, 5);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(config_defaults_are_safe_and_local),
		T(config_load_reads_every_section),
		T(config_load_keeps_defaults_for_keys_not_given),
		T(config_load_of_an_empty_file_changes_nothing),
		T(config_load_refuses_an_unknown_key_naming_file_and_line),
		T(config_load_refuses_a_key_in_the_wrong_section),
		T(config_load_refuses_an_unknown_section),
		T(config_load_refuses_a_key_before_any_section),
		T(config_load_refuses_bad_values_with_the_line),
		T(config_load_refuses_a_string_that_does_not_fit),
		T(config_load_reports_the_first_error),
		T(config_load_reports_a_syntax_error),
		T(config_load_reports_a_missing_file),
		T(config_set_overrides_single_keys),
		T(config_set_after_load_wins),
		T(config_set_refuses_and_keeps_the_old_value),
		T(config_api_section_sets_the_rate_limit),
	};

	return cmocka_run_group_tests_name("cli/config", tests, NULL, NULL);
}
