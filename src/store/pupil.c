/*
 * The SQLite backend's view of one pupil, for the AVG (GDPR): everything
 * stored about it, and its erasure (see store.h, "One pupil").
 *
 * Which rows name a pupil is said once, in SQL: the keys CTE holds the
 * student numbers (keys) the pupil has had, its number now and those of
 * the journal rows carrying its id; a journal row of an import of the
 * pupil's school names it when it carries the id or one of those keys.
 * The journal has no index on student_id: an access or erasure request
 * scans it, which is rare and fine.
 *
 * Erasure is one BEGIN IMMEDIATE transaction; afterwards the write-ahead
 * log is checkpointed and truncated, so that the old pages holding the
 * pupil are gone from the -wal file as well.  secure_delete is on for
 * every connection (sqlite.c), so freed space in the database file is
 * zeroed, not left behind.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sqlite_int.h"
#include "../base/mem.h"
#include "../base/text.h"

/* ?1 = the pupil's id, ?2 = its school */
#define KEYS                                                                   \
	"WITH k(key) AS (SELECT number_key FROM students WHERE id = ?1"        \
	" UNION SELECT old_number_key FROM import_changes"                     \
	"  WHERE student_id = ?1 AND old_number_key <> ''"                     \
	" UNION SELECT new_number_key FROM import_changes"                     \
	"  WHERE student_id = ?1 AND new_number_key <> '') "
#define NAMES_PUPIL                                                            \
	" import_id IN (SELECT id FROM imports WHERE school_id = ?2)"          \
	" AND (student_id = ?1 OR old_number_key IN (SELECT key FROM k)"       \
	"  OR new_number_key IN (SELECT key FROM k))"

/* report lines carry the number as the file wrote it: the numbers as
 * written, beside the keys */
#define NUMBERS                                                                \
	", n(num) AS (SELECT number FROM students WHERE id = ?1"               \
	" UNION SELECT old_number FROM import_changes WHERE" NAMES_PUPIL       \
	" UNION SELECT new_number FROM import_changes WHERE" NAMES_PUPIL ") "
#define ISSUE_NAMES_PUPIL                                                      \
	" import_id IN (SELECT id FROM imports WHERE school_id = ?2)"          \
	" AND number <> '' AND (number IN (SELECT num FROM n)"                 \
	"  OR number IN (SELECT key FROM k))"

enum pstmt {
	P_GET,
	P_ISSUES_LIST,
	P_CHANGES,
	P_CANCEL,
	P_ISSUES,
	P_JOURNAL,
	P_DELETE,
	P_VERSION_BUMP,
	P__MAX
};
_Static_assert(P__MAX <= SQ_CACHE, "raise SQ_CACHE");

static const char *const psql[P__MAX] = {
	[P_GET] = "SELECT school_id, id, number, number_key, roepnaam,"
	          " tussenvoegsel, achternaam, birth, group_name, group_key,"
	          " jaargroep, active, enrolled, left_at FROM students"
	          " WHERE id = ?",
	/* before from column 3, after from column 16 (sq_row_student) */
	[P_CHANGES] = KEYS "SELECT import_id, kind, row, student_id,"
	                   " old_number, old_number_key, old_roepnaam,"
	                   " old_tussenvoegsel, old_achternaam, old_birth,"
	                   " old_group, old_group_key, old_jaargroep,"
	                   " old_active, old_enrolled, old_left_at,"
	                   " student_id, new_number, new_number_key,"
	                   " new_roepnaam, new_tussenvoegsel, new_achternaam,"
	                   " new_birth, new_group, new_group_key,"
	                   " new_jaargroep, 1, 0, 0 FROM import_changes"
	                   " WHERE" NAMES_PUPIL " ORDER BY import_id, seq",
	[P_CANCEL] =
	        KEYS "UPDATE imports SET state = 'cancelled',"
	             " decided = ?3 WHERE school_id = ?2"
	             " AND state = 'preview' AND id IN"
	             " (SELECT import_id FROM import_changes WHERE" NAMES_PUPIL
	             ") RETURNING id",
	[P_ISSUES] = KEYS NUMBERS
	"DELETE FROM import_issues WHERE" ISSUE_NAMES_PUPIL,
	[P_ISSUES_LIST] = KEYS NUMBERS
	"SELECT i.import_id, i.code, i.row, i.col, i.arg, i.text,"
	" i.name, i.number, i.other, m.layout FROM import_issues i"
	" JOIN imports m ON m.id = i.import_id WHERE" ISSUE_NAMES_PUPIL
	" ORDER BY i.import_id, i.seq",
	[P_JOURNAL] = KEYS SQ_JOURNAL_BLANK NAMES_PUPIL,
	[P_DELETE] = "DELETE FROM students WHERE id = ?1 AND school_id = ?2",
	[P_VERSION_BUMP] = "UPDATE schools SET roster_version ="
	                   " roster_version + 1 WHERE id = ?"
	                   " RETURNING roster_version",
};

static struct sqlite_store *
S(struct store *st)
{
	return (struct sqlite_store *)st;
}

static sqlite3_stmt *
pquery(struct sqlite_store *s, enum pstmt id, const struct sq_arg *args,
       size_t n)
{
	return sq_bind(s, &s->pstmts[id], psql[id], args, n);
}

static enum err
pexec(struct sqlite_store *s, enum pstmt id, const struct sq_arg *args,
      size_t n)
{
	return sq_exec(s, &s->pstmts[id], psql[id], args, n);
}

enum err
sq_pupil_get(struct store *st, int64_t id, struct student *out,
             int64_t *school_id)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q;
	enum err e;
	int rc;

	LOCK(s);
	if ((q = pquery(s, P_GET, ARGS(I(id)))) == NULL) {
		e = ERR_DB;
	} else {
		rc = sqlite3_step(q);
		if (rc == SQLITE_ROW) {
			*school_id = sqlite3_column_int64(q, 0);
			sq_row_student(q, 1, out);
		}
		sqlite3_reset(q);
		e = rc == SQLITE_ROW    ? ERR_OK
		    : rc == SQLITE_DONE ? ERR_NOTFOUND
		                        : sq_err(rc);
	}
	UNLOCK(s);
	return e;
}

/* The rows of query which (?1 the pupil, ?2 its school) naming pupil id,
 * collected with fill; *school is the pupil's school. */
static enum err
pupil_rows(struct store *st, int64_t id, enum pstmt which, size_t elsize,
           void (*fill)(sqlite3_stmt *, void *), void **out, size_t *n,
           int64_t *school)
{
	struct sqlite_store *s = S(st);
	struct student p;
	enum err e;

	*out = NULL;
	*n = 0;
	if ((e = sq_pupil_get(st, id, &p, school)) != ERR_OK)
		return e;
	LOCK(s);
	e = sq_collect(pquery(s, which, ARGS(I(id), I(*school))), elsize, fill,
	               out, n);
	UNLOCK(s);
	return e;
}

static void
fill_change(sqlite3_stmt *q, void *out)
{
	struct pupil_change *c = out;
	char kind[16];

	memset(c, 0, sizeof(*c));
	c->import.id = sqlite3_column_int64(q, 0);
	sq_col_text(q, 1, kind, sizeof(kind));
	if (!change_parse(kind, &c->kind))
		c->kind = CHANGE__MAX;
	sq_row_student(q, 3, &c->before);
	sq_row_student(q, 16, &c->after);
	c->after.row = sqlite3_column_int(q, 2);
	c->has_before = c->kind != CHANGE_NEW;
	c->has_after = c->kind != CHANGE_LEFT;
	if (!c->has_before)
		memset(&c->before, 0, sizeof(c->before));
	if (!c->has_after)
		memset(&c->after, 0, sizeof(c->after));
}

enum err
sq_pupil_changes(struct store *st, int64_t id, struct pupil_change **out,
                 size_t *n)
{
	int64_t school = 0;
	enum err e;

	e = pupil_rows(st, id, P_CHANGES, sizeof(**out), fill_change,
	               (void **)out, n, &school);
	/* each row's import, read after the lock is released */
	for (size_t i = 0; e == ERR_OK && i < *n; i++) {
		struct pupil_change *c = &(*out)[i];

		if (i > 0 && (*out)[i - 1].import.id == c->import.id)
			c->import = (*out)[i - 1].import;
		else
			e = store_import_get(st, school, c->import.id,
			                     &c->import);
	}
	if (e != ERR_OK) {
		free(*out);
		*out = NULL;
		*n = 0;
	}
	return e;
}

static void
fill_issue(sqlite3_stmt *q, void *out)
{
	struct pupil_issue *o = out;

	memset(o, 0, sizeof(*o));
	o->import_id = sqlite3_column_int64(q, 0);
	sq_row_issue(q, 1, &o->issue);
}

enum err
sq_pupil_issues(struct store *st, int64_t id, struct pupil_issue **out,
                size_t *n)
{
	int64_t school = 0;

	return pupil_rows(st, id, P_ISSUES_LIST, sizeof(**out), fill_issue,
	                  (void **)out, n, &school);
}

/* Cancel the school's open previews that name the pupil, one audit row
 * each. */
static enum err
cancel_previews(struct sqlite_store *s, const struct store_actor *who,
                int64_t school_id, int64_t id, int64_t *count)
{
	sqlite3_stmt *q =
	        pquery(s, P_CANCEL, ARGS(I(id), I(school_id), I(time_now())));
	int64_t *ids;
	size_t n;
	char detail[96];
	enum err e;

	e = sq_collect(q, sizeof(*ids), sq_fill_id, (void **)&ids, &n);
	for (size_t i = 0; e == ERR_OK && i < n; i++) {
		snprintf(detail, sizeof(detail),
		         "import %lld: names pupil %lld, who was erased",
		         (long long)ids[i], (long long)id);
		e = sq_audit_row(s, who, AUDIT_IMPORT_CANCELLED, school_id,
		                 detail);
	}
	*count = (int64_t)n;
	free(ids);
	return e;
}

enum err
sq_pupil_erase(struct store *st, const struct store_actor *who,
               int64_t school_id, int64_t id, struct pupil_erasure *out)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q;
	char detail[160];
	bool was_active;
	enum err e;
	int rc;

	LOCK(s);
	if ((e = sq_run(s, "BEGIN IMMEDIATE")) != ERR_OK)
		goto unlock;
	/* the pupil must be the school's: nothing happens otherwise */
	if ((q = pquery(s, P_GET, ARGS(I(id)))) == NULL) {
		e = ERR_DB;
		goto rollback;
	}
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW && sqlite3_column_int64(q, 0) != school_id)
		rc = SQLITE_DONE;
	was_active = rc == SQLITE_ROW && sqlite3_column_int(q, 11) != 0;
	sqlite3_reset(q);
	if (rc != SQLITE_ROW) {
		e = rc == SQLITE_DONE ? ERR_NOTFOUND : sq_err(rc);
		goto rollback;
	}
	/* the order matters: each step finds the rows through the journal
	 * rows and the student that the next steps blank and delete */
	if ((e = cancel_previews(s, who, school_id, id, &out->previews)) !=
	    ERR_OK)
		goto rollback;
	if ((e = pexec(s, P_ISSUES, ARGS(I(id), I(school_id)))) != ERR_OK)
		goto rollback;
	out->issues = sqlite3_changes(s->db);
	if ((e = pexec(s, P_JOURNAL, ARGS(I(id), I(school_id)))) != ERR_OK)
		goto rollback;
	out->journal_rows = sqlite3_changes(s->db);
	if ((e = pexec(s, P_DELETE, ARGS(I(id), I(school_id)))) != ERR_OK)
		goto rollback;
	if (sqlite3_changes(s->db) != 1) {
		e = ERR_NOTFOUND;
		goto rollback;
	}
	q = pquery(s, P_VERSION_BUMP, ARGS(I(school_id)));
	if (q == NULL) {
		e = ERR_DB;
		goto rollback;
	}
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		out->version = sqlite3_column_int64(q, 0);
	sqlite3_reset(q);
	if (rc != SQLITE_ROW) {
		e = rc == SQLITE_DONE ? ERR_NOTFOUND : sq_err(rc);
		goto rollback;
	}
	if ((e = sq_feed_add(s, FEED_ERASE, time_now(), school_id, 0, id,
	                     was_active)) != ERR_OK)
		goto rollback;
	snprintf(detail, sizeof(detail),
	         "pupil %lld: journal rows=%lld report lines=%lld"
	         " previews cancelled=%lld",
	         (long long)id, (long long)out->journal_rows,
	         (long long)out->issues, (long long)out->previews);
	if ((e = sq_audit_row(s, who, AUDIT_PUPIL_ERASED, school_id, detail)) !=
	    ERR_OK)
		goto rollback;
	if ((e = sq_run(s, "COMMIT")) != ERR_OK)
		goto rollback;
	sq_checkpoint(s, "erasing a pupil");
	goto unlock;
rollback:
	sq_run(s, "ROLLBACK");
unlock:
	UNLOCK(s);
	return e;
}
