/*
 * The PostgreSQL backend's view of one pupil, for the AVG (GDPR):
 * everything stored about it, and its erasure (see store.h, "One pupil"),
 * with the behaviour of the SQLite backend's pupil.c.
 *
 * Which rows name a pupil is said once, in SQL, as in pupil.c: the keys CTE
 * holds the student numbers (keys) the pupil has had, its number now and
 * those of the journal rows carrying its id; a journal row of an import of
 * the pupil's school names it when it carries the id or one of those keys.
 *
 * Erasure is one transaction that first locks the school's row, as an
 * apply does, so that it never interleaves with an apply or undo of the
 * same school on another server.  PostgreSQL has no secure_delete: the old
 * row versions stay in the tables' pages until VACUUM frees their space
 * and new rows overwrite it (see pg_roster.c and docs/avg.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pg_roster_int.h"
#include "../base/text.h"

/* $1 = the pupil's id, $2 = its school */
#define KEYS                                                                   \
	"WITH k(key) AS (SELECT number_key FROM students WHERE id = $1"        \
	" UNION SELECT old_number_key FROM import_changes"                     \
	"  WHERE student_id = $1 AND old_number_key <> ''"                     \
	" UNION SELECT new_number_key FROM import_changes"                     \
	"  WHERE student_id = $1 AND new_number_key <> '') "
#define NAMES_PUPIL                                                            \
	" import_id IN (SELECT id FROM imports WHERE school_id = $2)"          \
	" AND (student_id = $1 OR old_number_key IN (SELECT key FROM k)"       \
	"  OR new_number_key IN (SELECT key FROM k))"

/* report lines carry the number as the file wrote it: the numbers as
 * written, beside the keys */
#define NUMBERS                                                                \
	", n(num) AS (SELECT number FROM students WHERE id = $1"               \
	" UNION SELECT old_number FROM import_changes WHERE" NAMES_PUPIL       \
	" UNION SELECT new_number FROM import_changes WHERE" NAMES_PUPIL ") "
#define ISSUE_NAMES_PUPIL                                                      \
	" import_id IN (SELECT id FROM imports WHERE school_id = $2)"          \
	" AND number <> '' AND (number IN (SELECT num FROM n)"                 \
	"  OR number IN (SELECT key FROM k))"

enum pstmt {
	P_GET,
	P_LOCK_SCHOOL,
	P_ISSUES_LIST,
	P_CHANGES,
	P_CANCEL,
	P_ISSUES,
	P_JOURNAL,
	P_DELETE,
	P_VERSION_BUMP,
	P__MAX
};
_Static_assert(P__MAX <= PG_CACHE, "raise PG_CACHE");

static const char *const psql[P__MAX] = {
	[P_GET] = "SELECT school_id, " PGR_STUDENT_COLS " FROM students"
	          " WHERE id = $1",
	/* the per-school lock (pg_roster.c) */
	[P_LOCK_SCHOOL] = "SELECT roster_version FROM schools WHERE id = $1"
	                  " FOR UPDATE",
	/* before from column 3, after from column 16 (pgr_row_student) */
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
	             " decided = $3 WHERE school_id = $2"
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
	[P_JOURNAL] = KEYS PGR_JOURNAL_BLANK NAMES_PUPIL,
	[P_DELETE] = "DELETE FROM students WHERE id = $1 AND school_id = $2",
	[P_VERSION_BUMP] = "UPDATE schools SET roster_version ="
	                   " roster_version + 1 WHERE id = $1"
	                   " RETURNING roster_version",
};

static struct pg_store *
S(struct store *st)
{
	return (struct pg_store *)st;
}

/* A pupil and its school, as P_GET reads them. */
struct pupil_row {
	int64_t school_id;
	struct student s;
};

static void
fill_pupil(const PGresult *r, int row, void *out)
{
	struct pupil_row *p = out;

	p->school_id = pg_int(r, row, 0);
	pgr_row_student(r, row, 1, &p->s);
}

static enum err
get(struct pg_conn *c, int64_t id, struct pupil_row *p)
{
	return pg_one(c, PG_SET_PUPIL, P_GET, psql[P_GET], ARGS(I(id)),
	              fill_pupil, p);
}

enum err
pg_pupil_get(struct store *st, int64_t id, struct student *out,
             int64_t *school_id)
{
	struct pg_conn *c = pg_acquire(S(st));
	struct pupil_row p;
	enum err e;

	if (c == NULL)
		return ERR_DB;
	if ((e = get(c, id, &p)) == ERR_OK) {
		*out = p.s;
		*school_id = p.school_id;
	}
	pg_release(c);
	return e;
}

/* The rows of query which ($1 the pupil, $2 its school) naming pupil id,
 * collected with fill; *school is the pupil's school. */
static enum err
pupil_rows(struct store *st, int64_t id, enum pstmt which, size_t elsize,
           void (*fill)(const PGresult *, int, void *), void **out, size_t *n,
           int64_t *school)
{
	struct pg_conn *c;
	struct pupil_row p;
	enum err e;

	*out = NULL;
	*n = 0;
	if ((c = pg_acquire(S(st))) == NULL)
		return ERR_DB;
	if ((e = get(c, id, &p)) == ERR_OK) {
		*school = p.school_id;
		e = pg_collect(c, PG_SET_PUPIL, (int)which, psql[which],
		               ARGS(I(id), I(*school)), elsize, fill, out, n);
	}
	pg_release(c);
	return e;
}

static void
fill_change(const PGresult *r, int row, void *out)
{
	struct pupil_change *c = out;
	char kind[16];

	memset(c, 0, sizeof(*c));
	c->import.id = pg_int(r, row, 0);
	pg_text(r, row, 1, kind, sizeof(kind));
	if (!change_parse(kind, &c->kind))
		c->kind = CHANGE__MAX;
	pgr_row_student(r, row, 3, &c->before);
	pgr_row_student(r, row, 16, &c->after);
	c->after.row = (int32_t)pg_int(r, row, 2);
	c->has_before = c->kind != CHANGE_NEW;
	c->has_after = c->kind != CHANGE_LEFT;
	if (!c->has_before)
		memset(&c->before, 0, sizeof(c->before));
	if (!c->has_after)
		memset(&c->after, 0, sizeof(c->after));
}

enum err
pg_pupil_changes(struct store *st, int64_t id, struct pupil_change **out,
                 size_t *n)
{
	int64_t school = 0;
	enum err e;

	e = pupil_rows(st, id, P_CHANGES, sizeof(**out), fill_change,
	               (void **)out, n, &school);
	/* each row's import, read after the connection is given back */
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
fill_issue(const PGresult *r, int row, void *out)
{
	struct pupil_issue *o = out;

	memset(o, 0, sizeof(*o));
	o->import_id = pg_int(r, row, 0);
	pgr_row_issue(r, row, 1, &o->issue);
}

enum err
pg_pupil_issues(struct store *st, int64_t id, struct pupil_issue **out,
                size_t *n)
{
	int64_t school = 0;

	return pupil_rows(st, id, P_ISSUES_LIST, sizeof(**out), fill_issue,
	                  (void **)out, n, &school);
}

/* Cancel the school's open previews that name the pupil, one audit row
 * each. */
static enum err
cancel_previews(struct pg_conn *c, const struct store_actor *who,
                int64_t school_id, int64_t id, int64_t *count)
{
	int64_t *ids = NULL;
	size_t n = 0;
	char detail[96];
	enum err e;

	e = pg_collect(c, PG_SET_PUPIL, P_CANCEL, psql[P_CANCEL],
	               ARGS(I(id), I(school_id), I(time_now())), sizeof(*ids),
	               pg_fill_id, (void **)&ids, &n);
	for (size_t i = 0; e == ERR_OK && i < n; i++) {
		snprintf(detail, sizeof(detail),
		         "import %lld: names pupil %lld, who was erased",
		         (long long)ids[i], (long long)id);
		e = pg_audit_row(c, who, AUDIT_IMPORT_CANCELLED, school_id,
		                 detail);
	}
	*count = (int64_t)n;
	free(ids);
	return e;
}

static enum err
pexec(struct pg_conn *c, enum pstmt id, const struct pg_arg *args, size_t n,
      int64_t *changed)
{
	return pg_exec(c, PG_SET_PUPIL, (int)id, psql[id], args, n, changed);
}

enum err
pg_pupil_erase(struct store *st, const struct store_actor *who,
               int64_t school_id, int64_t id, struct pupil_erasure *out)
{
	struct pg_conn *c;
	struct pupil_row p;
	char detail[160];
	int64_t version = 0, deleted = 0;
	enum err e;

	if ((c = pg_acquire(S(st))) == NULL)
		return ERR_DB;
	if ((e = pg_begin(c)) != ERR_OK)
		goto out;
	e = pg_one(c, PG_SET_PUPIL, P_LOCK_SCHOOL, psql[P_LOCK_SCHOOL],
	           ARGS(I(school_id)), pg_fill_id, &version);
	/* the pupil must be the school's: nothing happens otherwise */
	if (e == ERR_OK)
		e = get(c, id, &p);
	if (e == ERR_OK && p.school_id != school_id)
		e = ERR_NOTFOUND;
	/* the order matters: each step finds the rows through the journal
	 * rows and the student that the next steps blank and delete */
	if (e == ERR_OK)
		e = cancel_previews(c, who, school_id, id, &out->previews);
	if (e == ERR_OK)
		e = pexec(c, P_ISSUES, ARGS(I(id), I(school_id)), &out->issues);
	if (e == ERR_OK)
		e = pexec(c, P_JOURNAL, ARGS(I(id), I(school_id)),
		          &out->journal_rows);
	if (e == ERR_OK)
		e = pexec(c, P_DELETE, ARGS(I(id), I(school_id)), &deleted);
	if (e == ERR_OK && deleted != 1)
		e = ERR_NOTFOUND;
	if (e == ERR_OK)
		e = pg_one(c, PG_SET_PUPIL, P_VERSION_BUMP,
		           psql[P_VERSION_BUMP], ARGS(I(school_id)), pg_fill_id,
		           &out->version);
	if (e == ERR_OK) {
		snprintf(detail, sizeof(detail),
		         "pupil %lld: journal rows=%lld report lines=%lld"
		         " previews cancelled=%lld",
		         (long long)id, (long long)out->journal_rows,
		         (long long)out->issues, (long long)out->previews);
		e = pg_audit_row(c, who, AUDIT_PUPIL_ERASED, school_id, detail);
	}
	/* the feed's step last: it holds the feed's lock to the commit */
	if (e == ERR_OK)
		e = pg_feed_add(c, FEED_ERASE, time_now(), school_id, 0, id,
		                p.s.active);
	e = pg_end(c, e);
	if (e != ERR_OK)
		memset(out, 0, sizeof(*out));
out:
	pg_release(c);
	return e;
}
