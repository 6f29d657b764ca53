/*
 * Internals shared by the SQLite backend's files (sqlite.c: connection,
 * migrations, schools, accounts, sessions, throttling, audit; roster.c:
 * students and imports; pupil.c: one pupil's data and its erasure; feed.c:
 * the change feed).  Not for use outside src/store/.
 *
 * Statements are declared in tables of SQL text, prepared once on first use
 * into a cache slot and always run with bound parameters, given as a typed
 * array so the compiler checks each one:
 *
 *	exec(s, STMT_X, ARGS(T(name), I(id)));	 or  exec(s, STMT_Y, NOARGS);
 */
#ifndef BIEBSYNC_STORE_SQLITE_INT_H
#define BIEBSYNC_STORE_SQLITE_INT_H

#include <pthread.h>
#include <stddef.h>

#include <sqlite3.h>

#include "backend.h"

#define SQ_CACHE 64 /* statement cache slots per file */

struct sqlite_store {
	struct store base; /* first: a sqlite_store is a store */
	sqlite3 *db;
	pthread_mutex_t lock;
	sqlite3_stmt *stmts[SQ_CACHE];  /* sqlite.c's statements */
	sqlite3_stmt *rstmts[SQ_CACHE]; /* roster.c's statements */
	sqlite3_stmt *pstmts[SQ_CACHE]; /* pupil.c's statements */
	sqlite3_stmt *fstmts[SQ_CACHE]; /* feed.c's statements */
	unsigned test_delay_us; /* BIEBSYNC_TEST_APPLY_DELAY_US, tests only */
};

#define LOCK(s)   pthread_mutex_lock(&(s)->lock)
#define UNLOCK(s) pthread_mutex_unlock(&(s)->lock)

/* One bound parameter: text or integer. */
struct sq_arg {
	char type; /* 't' or 'i' */
	const char *t;
	int64_t i;
};

#define T(x) ((struct sq_arg){ 't', (x), 0 })
#define I(x) ((struct sq_arg){ 'i', NULL, (x) })
#define ARGS(...)                                                              \
	(const struct sq_arg[]){ __VA_ARGS__ },                                \
	        sizeof((const struct sq_arg[]){ __VA_ARGS__ }) /               \
	                sizeof(struct sq_arg)
#define NOARGS NULL, 0

/* Insert an audit row: at, event word, account id, school id, actor, addr,
 * detail, library id (0: the school's, else the account's). */
extern const char sq_audit_sql[];
/* An audit row in the current transaction (roster.c's statement cache);
 * detail holds ids and counts only. */
enum err sq_audit_row(struct sqlite_store *s, const struct store_actor *who,
                      enum audit_event ev, int64_t school_id,
                      const char *detail);

/* The enum err for an SQLite result code. */
enum err sq_err(int rc);

/* Prepare sql into *slot once, reset it and bind the n args; NULL on
 * error. */
sqlite3_stmt *sq_bind(struct sqlite_store *s, sqlite3_stmt **slot,
                      const char *sql, const struct sq_arg *args, size_t n);

/* Run a statement to completion; its rows, if any, are ignored. */
enum err sq_exec(struct sqlite_store *s, sqlite3_stmt **slot, const char *sql,
                 const struct sq_arg *args, size_t n);

/* Copy a text column into out (size outsz); "" when NULL or too long. */
void sq_col_text(sqlite3_stmt *q, int col, char *out, size_t outsz);

/*
 * Step query q to the end, filling an array of elsize-byte elements with
 * fill; *out is malloc'ed (free it).  Callers deliver the rows to their
 * callbacks after releasing the lock, so a callback may use the store.
 */
enum err sq_collect(sqlite3_stmt *q, size_t elsize,
                    void (*fill)(sqlite3_stmt *, void *), void **out,
                    size_t *n);
/* A fill for sq_collect: the first column as an int64_t. */
void sq_fill_id(sqlite3_stmt *q, void *out);

/* A student from 13 columns starting at c: id, number, number_key,
 * roepnaam, tussenvoegsel, achternaam, birth, group_name, group_key,
 * jaargroep, active, enrolled, left_at (roster.c). */
void sq_row_student(sqlite3_stmt *q, int c, struct student *o);
/* A journal row's columns, and the row read from column c on: its kind,
 * the student before and after (the same id in both). */
#define SQ_CHANGE_COLS                                                         \
	"kind, student_id, row, old_number, old_number_key, old_roepnaam,"     \
	" old_tussenvoegsel, old_achternaam, old_birth, old_group,"            \
	" old_group_key, old_jaargroep, old_active, old_enrolled, "            \
	"old_left_at,"                                                         \
	" new_number, new_number_key, new_roepnaam, new_tussenvoegsel,"        \
	" new_achternaam, new_birth, new_group, new_group_key, new_jaargroep"
void sq_row_change(sqlite3_stmt *q, int c, enum change_kind *kind,
                   struct student *before, struct student *after);
/* A report line from columns c.. (code, row, col, arg, text, name, number,
 * other, layout). */
void sq_row_issue(sqlite3_stmt *q, int c, struct roster_issue *is);

/*
 * The one way a journal row loses its pupil: student id, row and every
 * value blanked, only the kind (and the import and order) left.  Followed
 * by the condition saying which rows: pupil.c erases one pupil's rows,
 * roster.c's purge those of imports past their time and of anonymised
 * leavers.  A blanked row reads as "gewiste leerling" on the import page.
 */
#define SQ_JOURNAL_BLANK                                                       \
	"UPDATE import_changes SET student_id = 0, row = 0,"                   \
	" old_number = '', old_number_key = '', old_roepnaam = '',"            \
	" old_tussenvoegsel = '', old_achternaam = '', old_birth = 0,"         \
	" old_group = '', old_group_key = '', old_jaargroep = -1,"             \
	" old_active = 0, old_enrolled = 0, old_left_at = 0,"                  \
	" new_number = '', new_number_key = '', new_roepnaam = '',"            \
	" new_tussenvoegsel = '', new_achternaam = '', new_birth = 0,"         \
	" new_group = '', new_group_key = '', new_jaargroep = -1 WHERE"

/* After a transaction that removed personal data: copy the new pages into
 * the database and truncate the write-ahead log, where the old pages still
 * are (waits for readers through the busy timeout).  A failure is logged
 * with what (e.g. "purge"); the next checkpoint removes them then.  Call
 * with s->lock held, outside a transaction. */
void sq_checkpoint(struct sqlite_store *s, const char *what);

/* Run sql (no parameters) directly, e.g. BEGIN/COMMIT. */
enum err sq_run(struct sqlite_store *s, const char *sql);

/* The roster operations, implemented in roster.c.  sq_roster_read is
 * sq_roster_load's body: call it with s->lock held, in a transaction. */
enum err sq_roster_read(struct sqlite_store *s, int64_t school_id,
                        struct student **out, size_t *n, int64_t *version);
enum err sq_roster_load(struct store *st, int64_t school_id,
                        struct student **out, size_t *n, int64_t *version);
enum err sq_import_stage(struct store *st, const struct store_actor *who,
                         struct import_rec *rec, const struct plan *plan,
                         const struct import_extra *x);
enum err sq_import_columns(struct store *st, int64_t id,
                           struct column_line **out, size_t *n);
enum err sq_import_groups(struct store *st, int64_t id, struct group_line **out,
                          size_t *n);
enum err sq_import_issues(struct store *st, int64_t id, store_issue_cb cb,
                          void *arg);
enum err sq_import_apply(struct store *st, const struct store_actor *who,
                         int64_t school_id, int64_t id, int64_t now,
                         enum import_state *state);
enum err sq_import_cancel(struct store *st, const struct store_actor *who,
                          int64_t school_id, int64_t id, int64_t now,
                          enum import_state *state);
enum err sq_import_undo(struct store *st, const struct store_actor *who,
                        int64_t school_id, int64_t id, int64_t now,
                        enum import_state *state);
enum err sq_import_get(struct store *st, int64_t school_id, int64_t id,
                       struct import_rec *out);
enum err sq_import_list(struct store *st, int64_t library_id, int64_t school_id,
                        int limit, store_import_cb cb, void *arg);
enum err sq_import_changes(struct store *st, int64_t id, store_change_cb cb,
                           void *arg);
enum err sq_purge(struct store *st, const struct store_actor *who,
                  int64_t previews_before, int64_t left_before,
                  struct purge_counts *out);

/* One pupil, in pupil.c. */
enum err sq_pupil_get(struct store *st, int64_t id, struct student *out,
                      int64_t *school_id);
enum err sq_pupil_changes(struct store *st, int64_t id,
                          struct pupil_change **out, size_t *n);
enum err sq_pupil_issues(struct store *st, int64_t id, struct pupil_issue **out,
                         size_t *n);
enum err sq_pupil_erase(struct store *st, const struct store_actor *who,
                        int64_t school_id, int64_t id,
                        struct pupil_erasure *out);

/* The change feed, in feed.c.  sq_feed_add records a step (store.h,
 * "The change feed") at time at in the current transaction: an apply or undo of
 * import_id, or the erasure of student_id (was_active: it was on the
 * roster). */
enum err sq_feed_add(struct sqlite_store *s, enum feed_event ev, int64_t at,
                     int64_t school_id, int64_t import_id, int64_t student_id,
                     bool was_active);
enum err sq_feed_list(struct store *st, int64_t library_id, int64_t school_id,
                      struct feed_pos from, int limit, store_feed_cb cb,
                      void *arg);
enum err sq_feed_head(struct store *st, struct feed_pos *out);
enum err sq_roster_snapshot(struct store *st, int64_t school_id,
                            struct student **out, size_t *n, int64_t *version,
                            struct feed_pos *head);

#endif
