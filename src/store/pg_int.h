/*
 * Internals shared by the PostgreSQL backend's files (pg.c: connections,
 * migrations, schools, accounts, sessions, throttling, audit, API tokens;
 * pg_roster.c and its neighbours: students, imports, purge, one pupil, the
 * change feed).  Not for use outside src/store/.  Mirrors sqlite_int.h.
 *
 * Connections: a struct pg_store holds a small pool of libpq connections
 * (PG_POOL), opened on first need.  An operation takes one with
 * pg_acquire(), runs its statements on it (a transaction stays on that one
 * connection from BEGIN to COMMIT) and gives it back with pg_release().
 * Several server threads thus use the database at once; the database
 * itself serialises what must be serialised (row locks, unique indexes,
 * advisory locks), also across several biebsync servers.
 *
 * Statements are declared in tables of SQL text, one table per file (a
 * statement set, enum pg_set), in PostgreSQL's dialect ($1, $2, ...).  Each
 * is prepared once per connection on first use, under the name
 * "b<set>_<id>", and always run with bound parameters, given as a typed
 * array so the compiler checks each one:
 *
 *	r = pg_query(c, PG_SET_ROSTER, STMT_X, sql[STMT_X],
 *	             ARGS(T(name), I(id)), &e);
 *	e = pg_exec(c, PG_SET_ROSTER, STMT_Y, sql[STMT_Y], NOARGS, NULL);
 *
 * An I() parameter is sent as a bigint (int8), so "$1 = 0" and "LIMIT $2"
 * need no cast; a T() parameter as text of unknown type (PostgreSQL infers
 * it from where it is used); T(NULL) is SQL NULL.  Flags are INTEGER 0/1
 * columns as in SQLite (not BOOLEAN), so the same I() binds them; a
 * boolean expression in a SELECT list ("revoked = 0") reads as 1/0 with
 * pg_int().
 *
 * A statement run outside a transaction that fails because the connection
 * was lost is run once more on a reset connection.  Inside a transaction
 * the loss fails the statement with ERR_DB; pg_end() then reports ERR_DB
 * and the connection is reset when it is taken next.
 */
#ifndef BIEBSYNC_STORE_PG_INT_H
#define BIEBSYNC_STORE_PG_INT_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libpq-fe.h>

#include "backend.h"

#define PG_POOL    8  /* connections per struct store, at most */
#define PG_CACHE   64 /* declared statements per set */
#define PG_MAXARGS 64 /* bound parameters per statement */

/* Which file's statement table: part of a prepared statement's name. */
enum pg_set {
	PG_SET_MAIN,   /* pg.c */
	PG_SET_ROSTER, /* pg_roster.c: students, imports, purge */
	PG_SET_PUPIL,  /* pg_pupil.c */
	PG_SET_FEED,   /* pg_feed.c */
	PG_SET_TEST,   /* tests/store/test_pg.c */
	PG_SET__MAX
};

/* Keys of transaction-scoped advisory locks (pg_advisory_xact_lock), the
 * same on every server using the database.  PG_LOCK_MIGRATE: applying
 * migrations.  PG_LOCK_FEED: handing out feed event ids in commit order
 * (take it in the transaction right before INSERT INTO feed_events, so a
 * later id never commits before an earlier one). */
#define PG_LOCK_MIGRATE 6268501
#define PG_LOCK_FEED    6268502

/* One connection of the pool. */
struct pg_conn {
	PGconn *conn; /* NULL until first used */
	struct pg_store *store;
	bool busy;  /* taken by an operation (under the store's lock) */
	bool in_tx; /* between pg_begin() and pg_end() */
	bool lost;  /* the connection failed inside a transaction */
	bool prepared[PG_SET__MAX][PG_CACHE];
};

struct pg_store {
	struct store base;    /* first: a pg_store is a store */
	char *url;            /* as given, handed to libpq */
	pthread_mutex_t lock; /* guards the pool's busy flags */
	pthread_cond_t freed; /* signalled when a connection is released */
	struct pg_conn pool[PG_POOL];
	unsigned test_delay_us; /* BIEBSYNC_TEST_APPLY_DELAY_US, tests only */
};

/* One bound parameter: text or integer. */
struct pg_arg {
	char type; /* 't' or 'i' */
	const char *t;
	int64_t i;
};

#define T(x) ((struct pg_arg){ 't', (x), 0 })
#define I(x) ((struct pg_arg){ 'i', NULL, (x) })
#define ARGS(...)                                                              \
	(const struct pg_arg[]){ __VA_ARGS__ },                                \
	        sizeof((const struct pg_arg[]){ __VA_ARGS__ }) /               \
	                sizeof(struct pg_arg)
#define NOARGS NULL, 0

/* The enum err for an SQLSTATE (NULL: no answer from the server, a lost
 * connection: ERR_DB).  23505 ERR_EXISTS, other 23xxx ERR_INVALID,
 * 40001/40P01/55P03/57014 ERR_BUSY, 53100 ERR_FULL, 54xxx and 22001
 * ERR_LIMIT, anything else ERR_DB. */
enum err pg_err(const char *sqlstate);

/* Take a connection of s's pool, connected (waits while all are taken);
 * NULL when the server cannot be reached (logged).  Give it back with
 * pg_release(), also after a failure. */
struct pg_conn *pg_acquire(struct pg_store *s);
/* Give c back (accepts NULL).  A transaction still open is rolled back. */
void pg_release(struct pg_conn *c);

/*
 * Run declared statement id of set (its text sql) with the n args and
 * return its result (rows or none) for the caller to read and PQclear();
 * NULL on failure, *e saying why (ERR_OK on success).  Outside a
 * transaction a lost connection is reset and the statement run again once.
 */
PGresult *pg_query(struct pg_conn *c, enum pg_set set, int id, const char *sql,
                   const struct pg_arg *args, size_t n, enum err *e);
/* The same, the result dropped; *changed (may be NULL) gets the rows an
 * INSERT/UPDATE/DELETE touched. */
enum err pg_exec(struct pg_conn *c, enum pg_set set, int id, const char *sql,
                 const struct pg_arg *args, size_t n, int64_t *changed);

/*
 * Run a query and hand its rows to fn one by one as they arrive (libpq's
 * single-row mode: a large result, e.g. a school's whole roster, is never
 * held in memory at once; fn reads row 0 of each result it gets).  A
 * non-zero return from fn stops the calls (the rest is read and dropped).
 * fn must not use c or the store.  A failure after some rows were handed
 * over is reported (ERR_BUSY for a statement timeout, else ERR_DB): the
 * rows so far are then incomplete.
 */
enum err pg_each(struct pg_conn *c, enum pg_set set, int id, const char *sql,
                 const struct pg_arg *args, size_t n,
                 int (*fn)(const PGresult *, int row, void *), void *arg);

/* Run sql without parameters (BEGIN, COMMIT, SET ...; never data). */
enum err pg_run(struct pg_conn *c, const char *sql);

/* Transactions on one connection: pg_begin() starts one (READ COMMITTED),
 * pg_begin_as() with its own statement ("BEGIN ISOLATION LEVEL
 * SERIALIZABLE"); pg_end() commits when e is ERR_OK, else rolls back, and
 * returns e or the commit's failure (ERR_DB after a lost connection). */
enum err pg_begin(struct pg_conn *c);
enum err pg_begin_as(struct pg_conn *c, const char *begin_sql);
enum err pg_end(struct pg_conn *c, enum err e);

/* Cell (row, col) of r: text into out (size outsz), "" when NULL or too
 * long; an integer (0 when NULL or not a number; "t"/"f" read as 1/0). */
void pg_text(const PGresult *r, int row, int col, char *out, size_t outsz);
int64_t pg_int(const PGresult *r, int row, int col);

/*
 * Run a query and read its rows into a malloc'ed array of elsize-byte
 * elements with fill (*out NULL and *n 0 when there are none; free() it).
 * Callers hand the rows to their callbacks after pg_release().
 */
enum err pg_collect(struct pg_conn *c, enum pg_set set, int id, const char *sql,
                    const struct pg_arg *args, size_t n, size_t elsize,
                    void (*fill)(const PGresult *, int row, void *), void **out,
                    size_t *count);
/* Run a query expected to yield at most one row, read by fill:
 * ERR_NOTFOUND when there is none. */
enum err pg_one(struct pg_conn *c, enum pg_set set, int id, const char *sql,
                const struct pg_arg *args, size_t n,
                void (*fill)(const PGresult *, int row, void *), void *out);
/* A fill: the first column as an int64_t. */
void pg_fill_id(const PGresult *r, int row, void *out);

/* An audit row in c's current transaction; detail holds ids and counts
 * only.  Its library is the school's, else the actor's account's. */
enum err pg_audit_row(struct pg_conn *c, const struct store_actor *who,
                      enum audit_event ev, int64_t school_id,
                      const char *detail);

/* The roster operations (pg_roster.c).  pg_roster_read is pg_roster_load's
 * body: call it on c inside a transaction. */
enum err pg_roster_read(struct pg_conn *c, int64_t school_id,
                        struct student **out, size_t *n, int64_t *version);
enum err pg_roster_load(struct store *st, int64_t school_id,
                        struct student **out, size_t *n, int64_t *version);
enum err pg_import_stage(struct store *st, const struct store_actor *who,
                         struct import_rec *rec, const struct plan *plan,
                         const struct import_extra *x);
enum err pg_import_columns(struct store *st, int64_t id,
                           struct column_line **out, size_t *n);
enum err pg_import_groups(struct store *st, int64_t id, struct group_line **out,
                          size_t *n);
enum err pg_import_issues(struct store *st, int64_t id, store_issue_cb cb,
                          void *arg);
enum err pg_import_apply(struct store *st, const struct store_actor *who,
                         int64_t school_id, int64_t id, int64_t now,
                         enum import_state *state);
enum err pg_import_cancel(struct store *st, const struct store_actor *who,
                          int64_t school_id, int64_t id, int64_t now,
                          enum import_state *state);
enum err pg_import_undo(struct store *st, const struct store_actor *who,
                        int64_t school_id, int64_t id, int64_t now,
                        enum import_state *state);
enum err pg_import_get(struct store *st, int64_t school_id, int64_t id,
                       struct import_rec *out);
enum err pg_import_list(struct store *st, int64_t library_id, int64_t school_id,
                        int limit, store_import_cb cb, void *arg);
enum err pg_import_changes(struct store *st, int64_t id, store_change_cb cb,
                           void *arg);
enum err pg_purge(struct store *st, const struct store_actor *who,
                  int64_t previews_before, int64_t left_before,
                  struct purge_counts *out);

/* One pupil. */
enum err pg_pupil_get(struct store *st, int64_t id, struct student *out,
                      int64_t *school_id);
enum err pg_pupil_changes(struct store *st, int64_t id,
                          struct pupil_change **out, size_t *n);
enum err pg_pupil_issues(struct store *st, int64_t id, struct pupil_issue **out,
                         size_t *n);
enum err pg_pupil_erase(struct store *st, const struct store_actor *who,
                        int64_t school_id, int64_t id,
                        struct pupil_erasure *out);

/* The change feed.  pg_feed_add records a step in c's current transaction
 * (take PG_LOCK_FEED first, so ids follow commit order). */
enum err pg_feed_add(struct pg_conn *c, enum feed_event ev, int64_t at,
                     int64_t school_id, int64_t import_id, int64_t student_id,
                     bool was_active);
enum err pg_feed_list(struct store *st, int64_t library_id, int64_t school_id,
                      struct feed_pos from, int limit, store_feed_cb cb,
                      void *arg);
enum err pg_feed_head(struct store *st, struct feed_pos *out);
enum err pg_roster_snapshot(struct store *st, int64_t school_id,
                            struct student **out, size_t *n, int64_t *version,
                            struct feed_pos *head);

#endif
