/*
 * Tests for what the PostgreSQL backend (src/store/pg.c) must do beyond
 * test_store.c, which runs on it too: several servers on one database (two
 * struct store opened on it see each other's accounts and sessions, and
 * count attempts at a secret together; two starting at once migrate
 * once), many threads on one store (its pool of connections), the session
 * settings, the same tables and columns as SQLite's, a connection lost between
 * two calls or inside a transaction, and a query's rows handed over one by one
 * (pg_each).  Every test is skipped unless BIEBSYNC_TEST_PG_URL names a
 * PostgreSQL server (tests/testutil.h, tu_store_url).
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "../testutil.h"
#include "../../src/base/strparse.h"
#include "../../src/base/text.h"
#include "../../src/store/pg_int.h"

struct fixture {
	char dir[64];
	char url[256];     /* a fresh database of its own */
	struct store *st;  /* one server */
	struct store *st2; /* another server on the same database */
};

static int
setup(void **state)
{
	struct fixture *f;
	char msg[256];
	const char *pg = getenv("BIEBSYNC_TEST_PG_URL");

	if (pg == NULL || *pg == '\0') {
		*state = NULL;
		return 0;
	}
	f = calloc(1, sizeof(*f));
	tu_tmpdir(f->dir);
	tu_store_url(f->dir, f->url);
	if (store_open(f->url, &f->st, msg, sizeof(msg)) != ERR_OK ||
	    store_open(f->url, &f->st2, msg, sizeof(msg)) != ERR_OK) {
		fprintf(stderr, "store_open: %s\n", msg);
		return -1;
	}
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	if (f == NULL)
		return 0;
	store_close(f->st);
	store_close(f->st2);
	tu_rmdir(f->dir);
	free(f);
	return 0;
}

/* Every test starts with this: nothing to do without a server. */
#define NEED_PG(f)                                                             \
	do {                                                                   \
		if ((f) == NULL)                                               \
			skip();                                                \
	} while (0)

/* One statement on the test's database through a connection of the
 * test's own; the first value of the first row into out (may be NULL). */
static bool
sql_on_db(const struct fixture *f, const char *sql, char *out, size_t outsz)
{
	PGconn *c = PQconnectdb(f->url);
	PGresult *r = PQexec(c, sql);
	bool ok = PQresultStatus(r) == PGRES_TUPLES_OK ||
	          PQresultStatus(r) == PGRES_COMMAND_OK;

	if (out != NULL) {
		out[0] = '\0';
		if (ok && PQntuples(r) > 0)
			snprintf(out, outsz, "%s", PQgetvalue(r, 0, 0));
	}
	if (!ok)
		fprintf(stderr, "sql_on_db: %s", PQerrorMessage(c));
	PQclear(r);
	PQfinish(c);
	return ok;
}

/* End every biebsync connection to the test's database, as a restarted
 * or failed-over server does; how many were ended. */
static int
kill_connections(const struct fixture *f)
{
	char n[16];
	uint64_t v = 0;

	assert_true(sql_on_db(f,
	                      "SELECT count(pg_terminate_backend(pid))"
	                      " FROM pg_stat_activity"
	                      " WHERE datname = current_database()"
	                      " AND application_name = 'biebsync'"
	                      " AND pid <> pg_backend_pid()",
	                      n, sizeof(n)));
	assert_int_equal(parse_u64(n, 0, 1000, &v), ERR_OK);
	return (int)v;
}

static void
add_school(struct store *st, const char *slug, struct school *out)
{
	memset(out, 0, sizeof(*out));
	out->library_id = 1;
	str_copy(out->name, sizeof(out->name), slug);
	str_copy(out->brin, sizeof(out->brin), "12AB");
	str_copy(out->slug, sizeof(out->slug), slug);
	assert_int_equal(store_school_add(st, out), ERR_OK);
}

static enum err
add_account(struct store *st, const char *name, int64_t school_id,
            struct account *out)
{
	memset(out, 0, sizeof(*out));
	str_copy(out->username, sizeof(out->username), name);
	str_copy(out->pwhash, sizeof(out->pwhash), "hash");
	out->role = ROLE_DOCENT;
	out->school_id = school_id;
	return store_account_add(st, out);
}

/* --- two servers on one database --- */

static void
pg_an_account_made_on_one_server_is_seen_on_the_other(void **state)
{
	struct fixture *f = *state;
	struct school sc;
	struct account a, got;

	NEED_PG(f);
	add_school(f->st, "de-fontein", &sc);
	assert_int_equal(add_account(f->st, "Juf.Anna", sc.id, &a), ERR_OK);
	assert_int_equal(store_account_by_name(f->st2, "juf.anna", &got),
	                 ERR_OK);
	assert_int_equal(got.id, a.id);
	assert_int_equal(got.library_id, 1);
	assert_string_equal(got.username, "Juf.Anna");
	/* the name is taken on both, in any case */
	assert_int_equal(add_account(f->st2, "JUF.ANNA", sc.id, &got),
	                 ERR_EXISTS);
}

static void
pg_a_session_made_on_one_server_is_valid_on_the_other(void **state)
{
	struct fixture *f = *state;
	struct school sc;
	struct account a;
	struct session se, got;

	NEED_PG(f);
	add_school(f->st, "de-fontein", &sc);
	assert_int_equal(add_account(f->st, "anna", sc.id, &a), ERR_OK);
	memset(&se, 0, sizeof(se));
	memset(se.id_hash, 'c', 64);
	se.account_id = a.id;
	se.created = se.last_seen = 1000;
	assert_int_equal(store_session_add(f->st, &se), ERR_OK);
	assert_int_equal(store_session_get(f->st2, se.id_hash, &got), ERR_OK);
	assert_int_equal(got.account_id, a.id);
	assert_int_equal(store_session_touch(f->st2, se.id_hash, 1500), ERR_OK);
	assert_int_equal(store_session_get(f->st, se.id_hash, &got), ERR_OK);
	assert_int_equal(got.last_seen, 1500);
	/* logged out on one: gone on both */
	assert_int_equal(store_session_delete(f->st2, se.id_hash), ERR_OK);
	assert_int_equal(store_session_get(f->st, se.id_hash, &got),
	                 ERR_NOTFOUND);
}

static const struct throttle_rule rule = { 900, 60, 3600 };

static void
pg_throttle_take_counts_across_two_servers(void **state)
{
	struct fixture *f = *state;
	struct throttle_key k = { "u:anna", 5, 0 }, fifth;
	int64_t failures, last;

	NEED_PG(f);
	/* five attempts, alternating between the servers, all checked */
	for (int i = 0; i < 5; i++)
		assert_int_equal(store_throttle_take(i % 2 ? f->st2 : f->st, &k,
		                                     1, &rule, 1000 + i),
		                 ERR_OK);
	fifth = k; /* its last failure before: the fourth's */
	assert_int_equal(fifth.prev, 1003);
	/* the sixth is refused on either, and not counted */
	assert_int_equal(store_throttle_take(f->st, &k, 1, &rule, 1010),
	                 ERR_THROTTLED);
	assert_int_equal(store_throttle_take(f->st2, &k, 1, &rule, 1010),
	                 ERR_THROTTLED);
	assert_int_equal(store_throttle_get(f->st, "u:anna", &failures, &last),
	                 ERR_OK);
	assert_int_equal(failures, 5);
	assert_int_equal(last, 1004);
	/* a right secret on one gives its attempt back for both */
	assert_int_equal(store_throttle_release(f->st2, &fifth, 1004), ERR_OK);
	assert_int_equal(store_throttle_get(f->st, "u:anna", &failures, &last),
	                 ERR_OK);
	assert_int_equal(failures, 4);
	assert_int_equal(last, 1003);
}

/* Many threads, each its own server, trying one key at once. */
#define SERVERS  4
#define ATTEMPTS 6
#define LIMIT    5

struct server {
	const char *url;
	pthread_barrier_t *go;
	int allowed;
};

static void *
attack(void *arg)
{
	struct server *sv = arg;
	struct throttle_key k = { "u:shared", LIMIT, 0 };
	struct store *st = NULL;
	char msg[256];
	enum err e;

	if (store_open(sv->url, &st, msg, sizeof(msg)) != ERR_OK)
		return arg;
	pthread_barrier_wait(sv->go);
	for (int i = 0; i < ATTEMPTS; i++) {
		e = store_throttle_take(st, &k, 1, &rule, 5000);
		if (e == ERR_OK)
			sv->allowed++;
		else if (e != ERR_THROTTLED)
			break;
	}
	store_close(st);
	return NULL;
}

static void
pg_parallel_attempts_on_four_servers_get_the_limit_through(void **state)
{
	struct fixture *f = *state;
	pthread_barrier_t go;
	pthread_t t[SERVERS];
	struct server sv[SERVERS];
	int64_t failures, last;
	int allowed = 0;
	void *rv;

	NEED_PG(f);
	assert_int_equal(pthread_barrier_init(&go, NULL, SERVERS), 0);
	for (int i = 0; i < SERVERS; i++) {
		sv[i] = (struct server){ f->url, &go, 0 };
		assert_int_equal(pthread_create(&t[i], NULL, attack, &sv[i]),
		                 0);
	}
	for (int i = 0; i < SERVERS; i++) {
		assert_int_equal(pthread_join(t[i], &rv), 0);
		assert_null(rv);
		allowed += sv[i].allowed;
	}
	pthread_barrier_destroy(&go);
	assert_int_equal(allowed, LIMIT);
	assert_int_equal(
	        store_throttle_get(f->st, "u:shared", &failures, &last),
	        ERR_OK);
	assert_int_equal(failures, LIMIT);
}

/* Two servers opening one fresh database at the same moment. */
struct opener {
	const char *url;
	pthread_barrier_t *go;
	struct store *st;
	enum err e;
};

static void *
open_at_once(void *arg)
{
	struct opener *o = arg;
	char msg[256];

	pthread_barrier_wait(o->go);
	o->e = store_open(o->url, &o->st, msg, sizeof(msg));
	if (o->e != ERR_OK)
		fprintf(stderr, "store_open: %s\n", msg);
	return NULL;
}

static void
pg_two_servers_starting_at_once_migrate_once(void **state)
{
	struct fixture *f = *state;
	struct opener o[2];
	pthread_barrier_t go;
	pthread_t t[2];
	struct fixture fresh;
	char n[16];

	NEED_PG(f);
	memcpy(&fresh, f, sizeof(fresh));
	tu_store_url(f->dir, fresh.url); /* an empty database */
	assert_int_equal(pthread_barrier_init(&go, NULL, 2), 0);
	for (int i = 0; i < 2; i++) {
		o[i] = (struct opener){ fresh.url, &go, NULL, ERR_DB };
		assert_int_equal(
		        pthread_create(&t[i], NULL, open_at_once, &o[i]), 0);
	}
	for (int i = 0; i < 2; i++)
		assert_int_equal(pthread_join(t[i], NULL), 0);
	pthread_barrier_destroy(&go);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(o[i].e, ERR_OK);
		assert_int_equal(store_schema_version(o[i].st),
		                 store_schema_version(f->st));
		store_close(o[i].st);
	}
	/* migration 6 made library 1 once, not twice */
	assert_true(sql_on_db(&fresh, "SELECT count(*) FROM libraries", n,
	                      sizeof(n)));
	assert_string_equal(n, "1");
	assert_true(sql_on_db(&fresh, "SELECT count(*) FROM biebsync_schema", n,
	                      sizeof(n)));
	assert_string_equal(n, "1");
}

/* Each "table.column" of a schema, sorted, one per line, into out. */
static void
add_column(char *out, size_t outsz, const char *table, const char *column)
{
	size_t len = strlen(out);

	snprintf(out + len, outsz - len, "%s.%s\n", table, column);
}

static int
by_text(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sort the lines of text (size textsz) in place. */
static void
sort_lines(char *text, size_t textsz)
{
	char *lines[512], *copy = strdup(text), *save = NULL;
	size_t n = 0, len = 0;

	for (char *l = strtok_r(copy, "\n", &save); l != NULL && n < 512;
	     l = strtok_r(NULL, "\n", &save))
		lines[n++] = l;
	qsort(lines, n, sizeof(lines[0]), by_text);
	text[0] = '\0';
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(text + len, textsz - len, "%s\n",
		                        lines[i]);
	free(copy);
}

static void
pg_the_schema_has_sqlites_tables_and_columns(void **state)
{
	struct fixture *f = *state;
	static char lite[16384], pg[16384];
	char url[256], msg[256];
	struct store *st = NULL;
	sqlite3 *db;
	sqlite3_stmt *q;
	PGconn *c;
	PGresult *r;

	NEED_PG(f);
	lite[0] = pg[0] = '\0';
	snprintf(url, sizeof(url), "sqlite:%s/db", f->dir);
	assert_int_equal(store_open(url, &st, msg, sizeof(msg)), ERR_OK);
	assert_int_equal(store_schema_version(st), store_schema_version(f->st));
	store_close(st);
	assert_int_equal(sqlite3_open(url + strlen("sqlite:"), &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db,
	                                    "SELECT m.name, p.name FROM"
	                                    " sqlite_master m,"
	                                    " pragma_table_info(m.name) p"
	                                    " WHERE m.type = 'table' AND"
	                                    " m.name NOT LIKE 'sqlite_%'",
	                                    -1, &q, NULL),
	                 SQLITE_OK);
	while (sqlite3_step(q) == SQLITE_ROW)
		add_column(lite, sizeof(lite),
		           (const char *)sqlite3_column_text(q, 0),
		           (const char *)sqlite3_column_text(q, 1));
	sqlite3_finalize(q);
	sqlite3_close(db);
	c = PQconnectdb(f->url);
	r = PQexec(c, "SELECT table_name, column_name FROM"
	              " information_schema.columns WHERE table_schema ="
	              " 'public' AND table_name <> 'biebsync_schema'");
	assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
	for (int i = 0; i < PQntuples(r); i++)
		add_column(pg, sizeof(pg), PQgetvalue(r, i, 0),
		           PQgetvalue(r, i, 1));
	PQclear(r);
	PQfinish(c);
	sort_lines(lite, sizeof(lite));
	sort_lines(pg, sizeof(pg));
	assert_true(strlen(lite) > 1000);
	assert_string_equal(pg, lite);
}

/* --- one server, many threads --- */

#define THREADS 12 /* more than PG_POOL: some wait for a connection */
#define EACH    15

struct worker {
	struct store *st;
	int64_t school_id;
	int n;
	int made;
};

static void *
make_accounts(void *arg)
{
	struct worker *w = arg;
	struct account a;
	char name[32];

	for (int i = 0; i < EACH; i++) {
		snprintf(name, sizeof(name), "t%d-%d", w->n, i);
		if (add_account(w->st, name, w->school_id, &a) == ERR_OK &&
		    store_account_get(w->st, a.id, &a) == ERR_OK &&
		    strcmp(a.username, name) == 0)
			w->made++;
	}
	return NULL;
}

static int
count_account(const struct account *a, void *arg)
{
	(void)a;
	(*(int *)arg)++;
	return 0;
}

static void
pg_many_threads_share_one_store(void **state)
{
	struct fixture *f = *state;
	struct worker w[THREADS];
	pthread_t t[THREADS];
	struct school sc;
	int listed = 0;

	NEED_PG(f);
	add_school(f->st, "de-fontein", &sc);
	for (int i = 0; i < THREADS; i++) {
		w[i] = (struct worker){ f->st, sc.id, i, 0 };
		assert_int_equal(
		        pthread_create(&t[i], NULL, make_accounts, &w[i]), 0);
	}
	for (int i = 0; i < THREADS; i++) {
		assert_int_equal(pthread_join(t[i], NULL), 0);
		assert_int_equal(w[i].made, EACH);
	}
	assert_int_equal(
	        store_account_list(f->st2, sc.id, count_account, &listed),
	        ERR_OK);
	assert_int_equal(listed, THREADS * EACH);
}

/* --- the connection --- */

static void
pg_connections_have_the_session_settings(void **state)
{
	struct fixture *f = *state;
	struct pg_store *s;
	struct pg_conn *c;
	PGresult *r;

	NEED_PG(f);
	s = (struct pg_store *)f->st;
	c = pg_acquire(s);
	assert_non_null(c);
	r = PQexec(c->conn, "SELECT current_setting('statement_timeout'),"
	                    " current_setting("
	                    "'idle_in_transaction_session_timeout'),"
	                    " current_setting('application_name')");
	assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
	assert_string_equal(PQgetvalue(r, 0, 0), "30s");
	assert_string_equal(PQgetvalue(r, 0, 1), "1min");
	assert_string_equal(PQgetvalue(r, 0, 2), "biebsync");
	PQclear(r);
	pg_release(c);
}

static void
pg_a_connection_killed_between_two_calls_is_replaced(void **state)
{
	struct fixture *f = *state;
	struct throttle_key k = { "u:anna", 5, 0 };
	struct school sc, got;

	NEED_PG(f);
	add_school(f->st, "de-fontein", &sc);
	assert_true(kill_connections(f) >= 1);
	/* a plain read */
	assert_int_equal(store_school_get(f->st, sc.id, &got), ERR_OK);
	assert_string_equal(got.slug, "de-fontein");
	/* a transaction (BEGIN is the first to meet the dead connection) */
	assert_true(kill_connections(f) >= 1);
	assert_int_equal(store_throttle_take(f->st, &k, 1, &rule, 1000),
	                 ERR_OK);
	/* a write */
	assert_true(kill_connections(f) >= 1);
	add_school(f->st, "het-anker", &got);
	assert_int_equal(store_school_by_slug(f->st2, "het-anker", &got),
	                 ERR_OK);
}

static int
count_audit(const struct audit_entry *e, void *arg)
{
	(void)e;
	(*(int *)arg)++;
	return 0;
}

static void
pg_a_connection_killed_inside_a_transaction_fails_it_alone(void **state)
{
	struct fixture *f = *state;
	struct store_actor who = { 0, "cli", "cli" };
	struct audit_filter all = { 0, 0, 0, -1, 0, 0, 0, 100 };
	struct pg_conn *c;
	struct school sc;
	int rows = 0;

	NEED_PG(f);
	add_school(f->st, "de-fontein", &sc);
	c = pg_acquire((struct pg_store *)f->st);
	assert_non_null(c);
	assert_int_equal(pg_begin(c), ERR_OK);
	assert_int_equal(pg_audit_row(c, &who, AUDIT_PURGE, sc.id, "one"),
	                 ERR_OK);
	assert_true(kill_connections(f) >= 1);
	/* not run again on a new connection: the first row is gone */
	assert_int_equal(pg_audit_row(c, &who, AUDIT_PURGE, sc.id, "two"),
	                 ERR_DB);
	assert_int_equal(pg_end(c, ERR_OK), ERR_DB);
	pg_release(c);
	/* the next call works, and nothing of the transaction was kept */
	assert_int_equal(store_audit_list(f->st, &all, count_audit, &rows),
	                 ERR_OK);
	assert_int_equal(rows, 0);
}

static void
pg_a_transaction_commits_or_rolls_back_as_told(void **state)
{
	struct fixture *f = *state;
	struct store_actor who = { 0, "cli", "cli" };
	struct audit_filter all = { 0, 0, 0, -1, 0, 0, 0, 100 };
	struct pg_conn *c;
	int rows = 0;

	NEED_PG(f);
	c = pg_acquire((struct pg_store *)f->st);
	assert_non_null(c);
	assert_int_equal(pg_begin(c), ERR_OK);
	assert_int_equal(pg_audit_row(c, &who, AUDIT_PURGE, 0, "kept"), ERR_OK);
	assert_int_equal(pg_end(c, ERR_OK), ERR_OK);
	assert_int_equal(pg_begin(c), ERR_OK);
	assert_int_equal(pg_audit_row(c, &who, AUDIT_PURGE, 0, "dropped"),
	                 ERR_OK);
	assert_int_equal(pg_end(c, ERR_STATE), ERR_STATE);
	/* a statement that fails makes COMMIT roll back: reported */
	assert_int_equal(pg_begin(c), ERR_OK);
	assert_int_equal(pg_audit_row(c, &who, AUDIT_PURGE, 0, "lost"), ERR_OK);
	assert_int_not_equal(pg_run(c, "SELECT 1/0"), ERR_OK);
	assert_int_equal(pg_end(c, ERR_OK), ERR_DB);
	pg_release(c);
	assert_int_equal(store_audit_list(f->st2, &all, count_audit, &rows),
	                 ERR_OK);
	assert_int_equal(rows, 1);
}

struct counter {
	int n;
	int stop_at; /* 0: never */
	int64_t last;
};

static int
count_row(const PGresult *r, int row, void *arg)
{
	struct counter *k = arg;

	k->n++;
	k->last = pg_int(r, row, 0);
	return k->stop_at != 0 && k->n >= k->stop_at;
}

static void
pg_a_query_hands_its_rows_over_one_by_one(void **state)
{
	static const char ids[] = "SELECT id FROM audit_log WHERE id > $1"
	                          " ORDER BY id";
	struct fixture *f = *state;
	struct store_actor who = { 0, "cli", "cli" };
	struct counter k = { 0, 0, 0 };
	struct pg_conn *c;
	int64_t first = 0;

	NEED_PG(f);
	c = pg_acquire((struct pg_store *)f->st);
	assert_non_null(c);
	assert_int_equal(pg_begin(c), ERR_OK);
	for (int i = 0; i < 300; i++)
		assert_int_equal(pg_audit_row(c, &who, AUDIT_PURGE, 0, "x"),
		                 ERR_OK);
	assert_int_equal(pg_end(c, ERR_OK), ERR_OK);
	assert_int_equal(
	        pg_each(c, PG_SET_TEST, 0, ids, ARGS(I(0)), count_row, &k),
	        ERR_OK);
	assert_int_equal(k.n, 300);
	first = k.last - 299;
	/* stopped after ten: the rest is dropped, the connection free */
	k = (struct counter){ 0, 10, 0 };
	assert_int_equal(
	        pg_each(c, PG_SET_TEST, 0, ids, ARGS(I(0)), count_row, &k),
	        ERR_OK);
	assert_int_equal(k.n, 10);
	assert_int_equal(k.last, first + 9);
	k = (struct counter){ 0, 0, 0 };
	assert_int_equal(pg_each(c, PG_SET_TEST, 0, ids, ARGS(I(first + 99)),
	                         count_row, &k),
	                 ERR_OK);
	assert_int_equal(k.n, 200);
	/* a failing query is reported, and the connection still works */
	k = (struct counter){ 0, 0, 0 };
	assert_int_equal(pg_each(c, PG_SET_TEST, 1, "SELECT 1 / ($1 - $1)",
	                         ARGS(I(5)), count_row, &k),
	                 ERR_DB);
	assert_int_equal(k.n, 0);
	/* the connection killed before: run again on a new one */
	assert_true(kill_connections(f) >= 1);
	assert_int_equal(
	        pg_each(c, PG_SET_TEST, 0, ids, ARGS(I(0)), count_row, &k),
	        ERR_OK);
	assert_int_equal(k.n, 300);
	pg_release(c);
}

static void
pg_sqlstates_map_to_errors(void **state)
{
	(void)state;
	assert_int_equal(pg_err("23505"), ERR_EXISTS);
	assert_int_equal(pg_err("23503"), ERR_INVALID); /* foreign key */
	assert_int_equal(pg_err("23514"), ERR_INVALID); /* check */
	assert_int_equal(pg_err("40001"), ERR_BUSY);
	assert_int_equal(pg_err("40P01"), ERR_BUSY);
	assert_int_equal(pg_err("55P03"), ERR_BUSY);
	assert_int_equal(pg_err("57014"), ERR_BUSY);
	assert_int_equal(pg_err("53100"), ERR_FULL);
	assert_int_equal(pg_err("08006"), ERR_DB);
	assert_int_equal(pg_err(NULL), ERR_DB);
	assert_int_equal(pg_err(""), ERR_DB);
}

static void
pg_an_unreachable_server_is_refused_without_the_password(void **state)
{
	struct store *st = (struct store *)(void *)state;
	char msg[256] = "";

	assert_int_equal(store_open("postgresql://biebsync:geheim-wachtwoord@"
	                            "/biebsync?host=/nonexistent&port=1",
	                            &st, msg, sizeof(msg)),
	                 ERR_DB);
	assert_null(st);
	assert_non_null(strstr(msg, "PostgreSQL"));
	assert_null(strstr(msg, "geheim"));
	assert_null(strchr(msg, '\n'));
}

#define TC(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		TC(pg_an_account_made_on_one_server_is_seen_on_the_other),
		TC(pg_a_session_made_on_one_server_is_valid_on_the_other),
		TC(pg_throttle_take_counts_across_two_servers),
		TC(pg_parallel_attempts_on_four_servers_get_the_limit_through),
		TC(pg_two_servers_starting_at_once_migrate_once),
		TC(pg_the_schema_has_sqlites_tables_and_columns),
		TC(pg_many_threads_share_one_store),
		TC(pg_connections_have_the_session_settings),
		TC(pg_a_connection_killed_between_two_calls_is_replaced),
		TC(pg_a_connection_killed_inside_a_transaction_fails_it_alone),
		TC(pg_a_transaction_commits_or_rolls_back_as_told),
		TC(pg_a_query_hands_its_rows_over_one_by_one),
		cmocka_unit_test(pg_sqlstates_map_to_errors),
		cmocka_unit_test(
		        pg_an_unreachable_server_is_refused_without_the_password),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
