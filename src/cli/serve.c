/*
 * `biebsync serve`: wire the configuration, the store and the website into
 * the http server, then wait for SIGTERM or SIGINT and shut down gracefully
 * (stop accepting, let requests in flight finish, close the database).
 */
#include <pthread.h>
#include <signal.h>
#include <unistd.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "../base/cpus.h"
#include "../base/heavy.h"
#include "../base/log.h"
#include "../base/mem.h"
#include "../base/strparse.h"
#include "../base/text.h"
#include "../api/api.h"
#include "../http/http.h"
#include "../web/web.h"

/*
 * The housekeeping: the purge (expire unconfirmed previews, remove the
 * pupils of imports past their time, anonymise students who left longer
 * ago than the retention period; audited as a purge row with counts when
 * it did anything), dropping dead sessions and forgetting login failures
 * that no longer count (they name usernames and addresses).  Runs on its
 * own thread at start-up and then every purge_interval (default an hour)
 * until the server stops, so nothing outlives its time by more than that.
 * With
 * several servers on one database each runs it; the work is idempotent.
 */
struct housekeeping {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool stop;
	struct store *st;
	const struct config *c;
	struct import_config imports;
};

static void *
housekeeping_run(void *arg)
{
	static const struct store_actor server = { 0, "server", "server" };
	struct housekeeping *h = arg;
	struct purge_counts pc;
	struct timespec until;

	pthread_mutex_lock(&h->lock);
	while (!h->stop) {
		int64_t now = time_now();
		int64_t forget =
		        (int64_t)(h->c->failure_window > h->c->lockout_max
		                          ? h->c->failure_window
		                          : h->c->lockout_max);

		pthread_mutex_unlock(&h->lock);
		if (import_purge(h->st, &h->imports, &server, now, &pc) ==
		    ERR_OK)
			log_info(NULL,
			         "purge: %lld previews expired, %lld imports"
			         " purged, %lld students anonymised",
			         (long long)pc.previews, (long long)pc.imports,
			         (long long)pc.anonymised);
		else
			log_error(NULL, "purge failed");
		store_session_purge(h->st, now - (int64_t)h->c->session_idle,
		                    now - (int64_t)h->c->session_absolute);
		/* a failure stops mattering once neither its window nor the
		 * longest lockout reaches now */
		store_throttle_purge(h->st, now - forget);
		pthread_mutex_lock(&h->lock);
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += (time_t)h->c->purge_interval;
		while (!h->stop &&
		       pthread_cond_timedwait(&h->wake, &h->lock, &until) == 0)
			;
	}
	pthread_mutex_unlock(&h->lock);
	return NULL;
}

/* Read a whole PEM file (at most 1 MiB) or return NULL. */
static char *
read_pem(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct buf b;
	char chunk[4096], *pem;
	size_t n;

	if (f == NULL)
		return NULL;
	buf_init(&b, 1 << 20);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (buf_add(&b, chunk, n) != ERR_OK)
			break;
	fclose(f);
	if (b.err != ERR_OK || b.len == 0) {
		buf_release(&b);
		return NULL;
	}
	pem = buf_detach(&b, NULL);
	buf_release(&b); /* detach leaves b initialised */
	return pem;
}

/*
 * A body budget in bytes: the configured one, or n uploads' worth when 0;
 * never below one upload, else no upload could ever start.
 */
static size_t
body_budget(uint64_t configured, const char *key, size_t upload, unsigned n)
{
	if (configured == 0)
		return upload * n;
	if (configured < upload) {
		log_warn(NULL,
		         "serve: %s %llu is below one upload (%zu bytes), "
		         "raised to that",
		         key, (unsigned long long)configured, upload);
		return upload;
	}
	return (size_t)configured;
}

/* The worker pool's size: the configured one, or one per online CPU (at
 * most 8) when 0. */
static unsigned
workers(uint64_t configured)
{
	long n = cpus_online(); /* at least 1 */

	if (configured != 0)
		return (unsigned)configured;
	return n > 8 ? 8 : (unsigned)n;
}

int
cmd_serve(int argc, char **argv)
{
	static const struct opt_spec spec[] = {
		COMMON_OPTS,         { "listen", true }, { "tls-cert", true },
		{ "tls-key", true }, { NULL, false },
	};
	struct args a;
	struct config c;
	struct store *st = NULL;
	struct web w;
	struct http_options ho;
	struct http_server *srv;
	struct api *api = NULL;
	struct api_config ac;
	struct housekeeping hk = { 0 };
	char msg[300], *cert = NULL, *key = NULL;
	sigset_t set;
	int sig, rc = EXIT_REFUSED;

	if (!args_parse(argc, argv, spec, &a))
		return EXIT_USAGE;
	if (a.nwords != 0) {
		fprintf(stderr,
		        "usage: biebsync serve [--config FILE] [--listen ADDR:PORT] [--db URL] [--tls-cert FILE --tls-key FILE]\n");
		return EXIT_USAGE;
	}
	if (!cli_open(&a, &c, &st))
		return EXIT_REFUSED;
	if ((c.tls_cert[0] != '\0') != (c.tls_key[0] != '\0')) {
		log_error(NULL, "serve: tls_cert and tls_key go together");
		goto out;
	}
	if (c.tls_cert[0] != '\0' && ((cert = read_pem(c.tls_cert)) == NULL ||
	                              (key = read_pem(c.tls_key)) == NULL)) {
		log_error(NULL, "serve: cannot read '%s' or '%s'", c.tls_cert,
		          c.tls_key);
		goto out;
	}

	memset(&w, 0, sizeof(w));
	w.st = st;
	str_copy(w.cfg.library_name, sizeof(w.cfg.library_name),
	         c.library_name);
	str_copy(w.cfg.contact.name, sizeof(w.cfg.contact.name),
	         c.library_contact);
	str_copy(w.cfg.contact.phone, sizeof(w.cfg.contact.phone),
	         c.library_phone);
	str_copy(w.cfg.contact.email, sizeof(w.cfg.contact.email),
	         c.library_email);
	w.cfg.secure_cookies = cert != NULL || c.trusted_tls_proxy;
	w.cfg.session.idle_timeout = (int64_t)c.session_idle;
	w.cfg.session.absolute_timeout = (int64_t)c.session_absolute;
	w.cfg.login.max_account = (int64_t)c.max_failures_account;
	w.cfg.login.max_address = (int64_t)c.max_failures_address;
	w.cfg.login.window = (int64_t)c.failure_window;
	w.cfg.login.lockout = (int64_t)c.lockout;
	w.cfg.login.lockout_max = (int64_t)c.lockout_max;
	w.cfg.form_limit = c.form_limit;
	config_imports(&c, &w.cfg.imports);
	ac.rate = c.api_rate;
	ac.burst = c.api_burst;
	if ((api = api_new(st, &ac)) == NULL) {
		log_error(NULL, "serve: [api] rate and burst must be above 0");
		goto out;
	}
	w.api = api_handle;
	w.api_arg = api;

	memset(&ho, 0, sizeof(ho));
	str_copy(ho.addr, sizeof(ho.addr), c.addr);
	ho.port = c.port;
	ho.threads = (unsigned)c.threads;
	ho.max_connections = (unsigned)c.max_connections;
	ho.per_ip_connections = (unsigned)c.per_ip_connections;
	ho.idle_timeout = (unsigned)c.idle_timeout;
	ho.head_timeout = (unsigned)c.head_timeout;
	ho.header_memory = c.header_memory;
	ho.tls_cert_pem = cert;
	ho.tls_key_pem = key;
	ho.handler = web_handle;
	ho.body_limit = web_body_limit;
	ho.too_large = web_too_large;
	ho.admit = web_admit;
	ho.busy = web_busy;
	ho.body_budget =
	        body_budget(c.body_budget, "body_budget",
	                    web_body_limit(HTTP_POST, "/docent/upload", &w), 8);
	ho.body_budget_per_address = body_budget(
	        c.body_budget_per_address, "body_budget_per_address",
	        web_body_limit(HTTP_POST, "/docent/upload", &w), 4);
	ho.heavy = web_heavy;
	ho.queue_full = web_queue_full;
	ho.workers = workers(c.workers);
	ho.queue = (unsigned)c.queue;
	ho.app = &w;
	/* from now on hashing or file reading on an HTTP thread is an error
	 * in the log (a route not marked heavy) */
	heavy_enforce(true);

	/* Block the signals before the server's threads inherit the mask. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	if ((srv = http_start(&ho, msg, sizeof(msg))) == NULL) {
		log_error(NULL, "serve: %s", msg);
		goto out;
	}
	log_info(NULL, "serve: listening on %s://%s%s%s:%u/ database %s",
	         cert ? "https" : "http", strchr(c.addr, ':') ? "[" : "",
	         c.addr, strchr(c.addr, ':') ? "]" : "",
	         (unsigned)http_port(srv),
	         str_starts(c.db_url, "sqlite:") ? c.db_url : "(url hidden)");
	if (c.retention < 86400 || c.preview_ttl < 60)
		log_warn(NULL,
		         "serve: retention %llus, preview_ttl %llus: personal"
		         " data and previews go that soon (meant for tests?)",
		         (unsigned long long)c.retention,
		         (unsigned long long)c.preview_ttl);
	pthread_mutex_init(&hk.lock, NULL);
	pthread_cond_init(&hk.wake, NULL);
	hk.st = st;
	hk.c = &c;
	config_imports(&c, &hk.imports);
	pthread_create(&hk.thread, NULL, housekeeping_run, &hk);
	sigwait(&set, &sig);
	log_info(NULL, "serve: %s received, finishing requests in flight",
	         sig == SIGTERM ? "SIGTERM" : "SIGINT");
	pthread_mutex_lock(&hk.lock);
	hk.stop = true;
	pthread_cond_signal(&hk.wake);
	pthread_mutex_unlock(&hk.lock);
	pthread_join(hk.thread, NULL);
	http_stop(srv, 10);
	log_info(NULL, "serve: stopped");
	rc = 0;
out:
	str_free_secret(key);
	free(cert);
	api_free(api);
	store_close(st);
	return rc;
}
