/*
 * The SQLite backend's students and imports (see store.h, "Imports").
 *
 * A preview is an imports row in state "preview" plus its journal in
 * import_changes: one row per change with the student's values before
 * (old_*) and after (new_*).  Applying replays the journal forward inside
 * one BEGIN IMMEDIATE transaction, records new students' ids in the journal
 * and bumps schools.roster_version; undoing replays it backward.  Because
 * every step checks state and version inside the transaction, a second
 * apply of the same preview, or an apply after the roster changed, changes
 * nothing.  Purging removes the pupils of imports past their time (see
 * DUE) and anonymises leavers, in the journal with the same blanking as a
 * pupil's erasure (SQ_JOURNAL_BLANK); a purged import keeps its counts and
 * the kinds of its lines and can no longer be undone.
 */
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sqlite_int.h"
#include "../base/mem.h"
#include "../base/strparse.h"
#include "../base/text.h"

#define STUDENT_COLS                                                           \
	"id, number, number_key, roepnaam, tussenvoegsel, achternaam, birth,"  \
	" group_name, group_key, jaargroep, active, enrolled, left_at"
#define IMPORT_COLS                                                            \
	"id, school_id, coalesce(account_id, 0), actor, created, decided,"     \
	" state, filename, size, sha256, format, layout, roster_version,"      \
	" guard, n_new, n_left, n_moved, n_corrected, n_reenrolled,"           \
	" n_renumbered, n_unchanged, guard_unenrol, guard_match,"              \
	" active_before, matched, sheet, header_row, n_errors, n_warnings,"    \
	" blocked, n_jaargroep, n_group_name, purged"
/*
 * The imports whose pupils the purge removes now (?1: undone before, the
 * preview time-out; ?2: applied before, the retention): a cancelled or
 * expired preview at once, an undone import after the preview time-out
 * (the school can see what was undone meanwhile), an applied one after
 * the retention.  Once purged, never again.
 */
#define DUE                                                                    \
	" purged = 0 AND (state IN ('cancelled', 'expired')"                   \
	" OR (state = 'undone' AND decided < ?1)"                              \
	" OR (state = 'applied' AND decided < ?2))"

enum rstmt {
	R_ROSTER,
	R_VERSION,
	R_IMPORT_ADD,
	R_CHANGE_ADD,
	R_IMPORT_STATE,
	R_CHANGES,
	R_CHANGE_SET_ID,
	R_STUDENT_ADD,
	R_STUDENT_LEAVE,
	R_STUDENT_SET,
	R_STUDENT_DELETE,
	R_VERSION_BUMP,
	R_IMPORT_DECIDE,
	R_IMPORT_GET,
	R_IMPORT_GET_ANY,
	R_IMPORT_LIST,
	R_IMPORT_LIST_ALL,
	R_EXPIRE,
	R_EXPIRED_JOURNAL,
	R_DUE_JOURNAL,
	R_DUE_ISSUES,
	R_DUE_MARK,
	R_ANONYMISE,
	R_ANONYMISE_JOURNAL,
	R_AUDIT,
	R_ISSUE_ADD,
	R_ISSUES,
	R_COLUMN_ADD,
	R_COLUMNS,
	R_GROUP_ADD,
	R_GROUPS,
	R_LATER_APPLIED,
	R_REPLACE,
	R__MAX
};
_Static_assert(R__MAX <= SQ_CACHE, "raise SQ_CACHE");

static const char *const rsql[R__MAX] = {
	[R_ROSTER] = "SELECT " STUDENT_COLS " FROM students"
	             " WHERE school_id = ? ORDER BY id",
	[R_VERSION] = "SELECT roster_version FROM schools WHERE id = ?",
	[R_IMPORT_ADD] =
	        "INSERT INTO imports (school_id, account_id, actor, created,"
	        " state, filename, size, sha256, format, layout,"
	        " roster_version, guard, n_new, n_left, n_moved, n_corrected,"
	        " n_reenrolled, n_renumbered, n_unchanged, guard_unenrol,"
	        " guard_match, active_before, matched, sheet, header_row,"
	        " n_errors, n_warnings, blocked, n_jaargroep, n_group_name)"
	        " VALUES (?, nullif(?, 0), ?, ?, 'preview', ?, ?, ?, ?, ?, ?, ?,"
	        " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	[R_ISSUE_ADD] = "INSERT INTO import_issues (import_id, seq, code, row,"
	                " col, arg, text, name, number, other)"
	                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	/* the file's layout says where a pupil's row is fixed */
	[R_ISSUES] = "SELECT i.code, i.row, i.col, i.arg, i.text, i.name,"
	             " i.number, i.other, m.layout FROM import_issues i"
	             " JOIN imports m ON m.id = i.import_id"
	             " WHERE i.import_id = ? ORDER BY i.seq",
	[R_COLUMN_ADD] = "INSERT INTO import_columns (import_id, seq, col,"
	                 " field, stored, bsn, header) VALUES (?, ?, ?, ?, ?,"
	                 " ?, ?)",
	[R_COLUMNS] = "SELECT col, field, stored, bsn, header FROM"
	              " import_columns WHERE import_id = ? ORDER BY seq",
	[R_GROUP_ADD] = "INSERT INTO import_groups (import_id, seq, group_key,"
	                " name_before, name_after, n_before, n_after, code)"
	                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
	[R_GROUPS] = "SELECT group_key, name_before, name_after, n_before,"
	             " n_after, code FROM import_groups WHERE import_id = ?"
	             " ORDER BY seq",
	[R_CHANGE_ADD] =
	        "INSERT INTO import_changes (import_id, seq, " SQ_CHANGE_COLS
	        ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	[R_IMPORT_STATE] =
	        "SELECT state, roster_version, version_after,"
	        " purged FROM imports WHERE id = ? AND school_id = ?",
	[R_CHANGES] = "SELECT " SQ_CHANGE_COLS " FROM import_changes"
	              " WHERE import_id = ? ORDER BY seq",
	/* new students' ids into the journal, in one statement after the
	 * replay (the school's number keys are unique) */
	[R_CHANGE_SET_ID] = "UPDATE import_changes SET student_id ="
	                    " (SELECT id FROM students WHERE school_id = ?1"
	                    "  AND number_key = import_changes.new_number_key)"
	                    " WHERE import_id = ?2 AND kind = 'new'",
	[R_STUDENT_ADD] = "INSERT INTO students (school_id, number, number_key,"
	                  " roepnaam, tussenvoegsel, achternaam, birth,"
	                  " group_name, group_key, jaargroep, active, enrolled)"
	                  " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)",
	[R_STUDENT_LEAVE] = "UPDATE students SET active = 0, left_at = ?"
	                    " WHERE id = ? AND school_id = ?",
	[R_STUDENT_SET] = "UPDATE students SET number = ?, number_key = ?,"
	                  " roepnaam = ?, tussenvoegsel = ?, achternaam = ?,"
	                  " birth = ?, group_name = ?, group_key = ?,"
	                  " jaargroep = ?, active = ?, enrolled = ?,"
	                  " left_at = ? WHERE id = ? AND school_id = ?",
	[R_STUDENT_DELETE] = "DELETE FROM students WHERE id = ?"
	                     " AND school_id = ?",
	[R_VERSION_BUMP] = "UPDATE schools SET roster_version ="
	                   " roster_version + 1 WHERE id = ?"
	                   " RETURNING roster_version",
	[R_IMPORT_DECIDE] = "UPDATE imports SET state = ?, decided = ?,"
	                    " version_after = ? WHERE id = ?",
	[R_IMPORT_GET] = "SELECT " IMPORT_COLS " FROM imports"
	                 " WHERE id = ? AND school_id = ?",
	[R_IMPORT_GET_ANY] = "SELECT " IMPORT_COLS " FROM imports WHERE id = ?",
	[R_IMPORT_LIST] = "SELECT " IMPORT_COLS " FROM imports"
	                  " WHERE school_id = ? ORDER BY id DESC LIMIT ?",
	[R_IMPORT_LIST_ALL] = "SELECT " IMPORT_COLS " FROM imports"
	                      " WHERE ?1 = 0 OR school_id IN (SELECT id"
	                      " FROM schools WHERE library_id = ?1)"
	                      " ORDER BY id DESC LIMIT ?2",
	[R_EXPIRE] = "UPDATE imports SET state = 'expired', decided = ?"
	             " WHERE state = 'preview' AND created < ?",
	[R_EXPIRED_JOURNAL] = "DELETE FROM import_changes WHERE import_id IN"
	                      " (SELECT id FROM imports"
	                      "  WHERE state IN ('expired', 'cancelled'))",
	/* ?1 the previews' time-out, ?2 the retention's */
	[R_DUE_JOURNAL] = SQ_JOURNAL_BLANK " import_id IN (SELECT id FROM"
	                                   " imports WHERE" DUE ")",
	[R_DUE_ISSUES] = "DELETE FROM import_issues WHERE import_id IN"
	                 " (SELECT id FROM imports WHERE" DUE ")",
	[R_DUE_MARK] = "UPDATE imports SET purged = ?3, filename = '',"
	               " sha256 = '' WHERE" DUE,
	[R_ANONYMISE] = "UPDATE students SET number = 'anoniem-' || id,"
	                " number_key = 'anoniem-' || id, roepnaam = '',"
	                " tussenvoegsel = '', achternaam = '', birth = 0,"
	                " anonymised = 1 WHERE active = 0 AND anonymised = 0"
	                " AND left_at < ?",
	[R_LATER_APPLIED] = "SELECT count(*) FROM imports WHERE school_id = ?"
	                    " AND id > ? AND state = 'applied'",
	/* a school has at most one open preview: a new one cancels the
	 * others */
	[R_REPLACE] = "UPDATE imports SET state = 'cancelled', decided = ?1"
	              " WHERE school_id = ?2 AND state = 'preview' AND id <> ?3"
	              " RETURNING id",
	/* the rows still naming a leaver who is anonymised now (a blanked
	 * row names nobody: student id 0) */
	[R_ANONYMISE_JOURNAL] = SQ_JOURNAL_BLANK
	" student_id IN (SELECT id FROM students WHERE anonymised = 1)",
};

static struct sqlite_store *
S(struct store *st)
{
	return (struct sqlite_store *)st;
}

static enum err
rexec(struct sqlite_store *s, enum rstmt id, const struct sq_arg *args,
      size_t n)
{
	return sq_exec(s, &s->rstmts[id], rsql[id], args, n);
}

static sqlite3_stmt *
rquery(struct sqlite_store *s, enum rstmt id, const struct sq_arg *args,
       size_t n)
{
	return sq_bind(s, &s->rstmts[id], rsql[id], args, n);
}

/* An audit row in the current transaction; detail holds counts only. */
enum err
sq_audit_row(struct sqlite_store *s, const struct store_actor *who,
             enum audit_event ev, int64_t school_id, const char *detail)
{
	return sq_exec(s, &s->rstmts[R_AUDIT], sq_audit_sql,
	               ARGS(I(time_now()), T(audit_event_word(ev)),
	                    I(who->account_id), I(school_id), T(who->name),
	                    T(who->addr), T(detail), I(0)));
}

/* "import 12: 3 new, 1 left, ..." */
static void
counts_detail(char *out, size_t outsz, int64_t id, const int64_t *counts)
{
	int n = snprintf(out, outsz, "import %lld:", (long long)id);

	for (int k = 0; k < CHANGE__MAX && n > 0 && (size_t)n < outsz; k++)
		n += snprintf(out + n, outsz - (size_t)n, " %s=%lld",
		              change_word((enum change_kind)k),
		              (long long)counts[k]);
}

/* Read one int64 from a single-row query; ERR_NOTFOUND without a row. */
static enum err
one_int(sqlite3_stmt *q, int64_t *out)
{
	int rc;

	if (q == NULL)
		return ERR_DB;
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(q, 0);
	sqlite3_reset(q);
	return rc == SQLITE_ROW    ? ERR_OK
	       : rc == SQLITE_DONE ? ERR_NOTFOUND
	                           : sq_err(rc);
}

void
sq_row_student(sqlite3_stmt *q, int c, struct student *o)
{
	memset(o, 0, sizeof(*o));
	o->id = sqlite3_column_int64(q, c);
	sq_col_text(q, c + 1, o->number, sizeof(o->number));
	sq_col_text(q, c + 2, o->number_key, sizeof(o->number_key));
	sq_col_text(q, c + 3, o->roepnaam, sizeof(o->roepnaam));
	sq_col_text(q, c + 4, o->tussenvoegsel, sizeof(o->tussenvoegsel));
	sq_col_text(q, c + 5, o->achternaam, sizeof(o->achternaam));
	o->birth = sqlite3_column_int(q, c + 6);
	sq_col_text(q, c + 7, o->group, sizeof(o->group));
	sq_col_text(q, c + 8, o->group_key, sizeof(o->group_key));
	o->jaargroep = (int8_t)sqlite3_column_int(q, c + 9);
	o->active = sqlite3_column_int(q, c + 10) != 0;
	o->enrolled = sqlite3_column_int64(q, c + 11);
	o->left_at = sqlite3_column_int64(q, c + 12);
}

enum err
sq_roster_read(struct sqlite_store *s, int64_t school_id, struct student **out,
               size_t *n, int64_t *version)
{
	struct student *arr = NULL;
	size_t len = 0, cap = 0;
	sqlite3_stmt *q;
	enum err e;
	int rc;

	*out = NULL;
	*n = 0;
	e = one_int(rquery(s, R_VERSION, ARGS(I(school_id))), version);
	if (e == ERR_OK &&
	    (q = rquery(s, R_ROSTER, ARGS(I(school_id)))) == NULL)
		e = ERR_DB;
	if (e == ERR_OK) {
		while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
			if (len == cap) {
				cap = cap ? cap * 2 : 256;
				arr = xrealloc(arr, cap * sizeof(*arr));
			}
			sq_row_student(q, 0, &arr[len++]);
		}
		sqlite3_reset(q);
		e = sq_err(rc);
	}
	if (e != ERR_OK) {
		free(arr);
		return e;
	}
	*out = arr;
	*n = len;
	return ERR_OK;
}

enum err
sq_roster_load(struct store *st, int64_t school_id, struct student **out,
               size_t *n, int64_t *version)
{
	struct sqlite_store *s = S(st);
	enum err e;

	*out = NULL;
	*n = 0;
	LOCK(s);
	if ((e = sq_run(s, "BEGIN")) == ERR_OK) {
		e = sq_roster_read(s, school_id, out, n, version);
		sq_run(s, "COMMIT");
	}
	UNLOCK(s);
	return e;
}

static const struct student empty_student = { .jaargroep = JAARGROEP_UNKNOWN };

/* Cancel the school's other open previews (in the transaction that stages
 * rec), one audit row each; rec->replaced is the newest of them. */
static enum err
replace_previews(struct sqlite_store *s, const struct store_actor *who,
                 struct import_rec *rec)
{
	sqlite3_stmt *q =
	        rquery(s, R_REPLACE,
	               ARGS(I(rec->created), I(rec->school_id), I(rec->id)));
	int64_t *ids;
	size_t n;
	char detail[96];
	enum err e;

	rec->replaced = 0;
	e = sq_collect(q, sizeof(*ids), sq_fill_id, (void **)&ids, &n);
	for (size_t i = 0; e == ERR_OK && i < n; i++) {
		if (ids[i] > rec->replaced)
			rec->replaced = ids[i];
		snprintf(detail, sizeof(detail),
		         "import %lld: replaced by %lld", (long long)ids[i],
		         (long long)rec->id);
		e = sq_audit_row(s, who, AUDIT_IMPORT_CANCELLED, rec->school_id,
		                 detail);
	}
	free(ids);
	return e;
}

enum err
sq_import_stage(struct store *st, const struct store_actor *who,
                struct import_rec *rec, const struct plan *plan,
                const struct import_extra *x)
{
	static const struct import_extra nothing;
	struct sqlite_store *s = S(st);
	char detail[256];
	enum err e;

	if (x == NULL)
		x = &nothing;
	rec->account_id = who->account_id;
	str_copy(rec->actor, sizeof(rec->actor), who->name);
	rec->created = time_now();
	rec->state = IMPORT_PREVIEW;
	rec->roster_version = plan->roster_version;
	rec->guard = plan->guard_unenrol || plan->guard_match;
	for (int k = 0; k < CHANGE__MAX; k++)
		rec->counts[k] = (int64_t)plan->counts[k];
	LOCK(s);
	if ((e = sq_run(s, "BEGIN IMMEDIATE")) != ERR_OK)
		goto out;
	e = rexec(s, R_IMPORT_ADD,
	          ARGS(I(rec->school_id), I(rec->account_id), T(rec->actor),
	               I(rec->created), T(rec->filename), I(rec->size),
	               T(rec->sha256), T(rec->format), T(rec->layout),
	               I(rec->roster_version), I((int64_t)rec->guard),
	               I(rec->counts[0]), I(rec->counts[1]), I(rec->counts[2]),
	               I(rec->counts[3]), I(rec->counts[4]), I(rec->counts[5]),
	               I(rec->counts[6]), I((int64_t)rec->guard_unenrol),
	               I((int64_t)rec->guard_match), I(rec->active_before),
	               I(rec->matched), T(rec->sheet), I(rec->header_row),
	               I(rec->errors), I(rec->warnings),
	               I((int64_t)rec->blocked),
	               I(rec->counts[CHANGE_JAARGROEP]),
	               I(rec->counts[CHANGE_GROUP_NAME])));
	if (e == ERR_OK) {
		rec->id = sqlite3_last_insert_rowid(s->db);
		e = replace_previews(s, who, rec);
	}
	for (size_t i = 0; e == ERR_OK && i < x->ncolumns; i++) {
		const struct column_line *c = &x->columns[i];

		e = rexec(s, R_COLUMN_ADD,
		          ARGS(I(rec->id), I((int64_t)i), I(c->col),
		               I((int64_t)c->field), I((int64_t)c->stored),
		               I((int64_t)c->bsn), T(c->header)));
	}
	for (size_t i = 0; e == ERR_OK && i < x->ngroups; i++) {
		const struct group_line *g = &x->groups[i];

		e = rexec(s, R_GROUP_ADD,
		          ARGS(I(rec->id), I((int64_t)i), T(g->key),
		               T(g->before), T(g->after), I(g->n_before),
		               I(g->n_after), T(g->code)));
	}
	for (size_t i = 0; e == ERR_OK && i < x->nissues; i++) {
		const struct roster_issue *is = &x->issues[i];

		e = rexec(s, R_ISSUE_ADD,
		          ARGS(I(rec->id), I((int64_t)i),
		               T(roster_code_name(is->code)), I(is->row),
		               I(is->col), I(is->arg), T(is->text), T(is->name),
		               T(is->number), T(is->other)));
	}
	for (size_t i = 0; e == ERR_OK && i < plan->nchanges; i++) {
		const struct change *c = &plan->changes[i];
		const struct student *b =
		        c->before ? c->before : &empty_student;
		const struct student *a = c->after ? c->after : &empty_student;

		e = rexec(
		        s, R_CHANGE_ADD,
		        ARGS(I(rec->id), I((int64_t)i), T(change_word(c->kind)),
		             I(b->id), I((int64_t)a->row), T(b->number),
		             T(b->number_key), T(b->roepnaam),
		             T(b->tussenvoegsel), T(b->achternaam),
		             I((int64_t)b->birth), T(b->group), T(b->group_key),
		             I((int64_t)b->jaargroep), I((int64_t)b->active),
		             I(b->enrolled), I(b->left_at), T(a->number),
		             T(a->number_key), T(a->roepnaam),
		             T(a->tussenvoegsel), T(a->achternaam),
		             I((int64_t)a->birth), T(a->group), T(a->group_key),
		             I((int64_t)a->jaargroep)));
	}
	if (e == ERR_OK) {
		counts_detail(detail, sizeof(detail), rec->id, rec->counts);
		e = sq_audit_row(s, who, AUDIT_IMPORT_PREVIEW, rec->school_id,
		                 detail);
	}
	if (e == ERR_OK)
		e = sq_run(s, "COMMIT");
	if (e != ERR_OK)
		sq_run(s, "ROLLBACK");
out:
	UNLOCK(s);
	return e;
}

/* One journal row, read back. */
struct jrow {
	enum change_kind kind;
	struct student before, after;
};

void
sq_row_change(sqlite3_stmt *q, int c, enum change_kind *kind, struct student *b,
              struct student *a)
{
	char word[16];

	sq_col_text(q, c, word, sizeof(word));
	if (!change_parse(word, kind))
		*kind = CHANGE__MAX;
	memset(b, 0, sizeof(*b));
	memset(a, 0, sizeof(*a));
	b->id = a->id = sqlite3_column_int64(q, c + 1);
	a->row = sqlite3_column_int(q, c + 2);
	sq_col_text(q, c + 3, b->number, sizeof(b->number));
	sq_col_text(q, c + 4, b->number_key, sizeof(b->number_key));
	sq_col_text(q, c + 5, b->roepnaam, sizeof(b->roepnaam));
	sq_col_text(q, c + 6, b->tussenvoegsel, sizeof(b->tussenvoegsel));
	sq_col_text(q, c + 7, b->achternaam, sizeof(b->achternaam));
	b->birth = sqlite3_column_int(q, c + 8);
	sq_col_text(q, c + 9, b->group, sizeof(b->group));
	sq_col_text(q, c + 10, b->group_key, sizeof(b->group_key));
	b->jaargroep = (int8_t)sqlite3_column_int(q, c + 11);
	b->active = sqlite3_column_int(q, c + 12) != 0;
	b->enrolled = sqlite3_column_int64(q, c + 13);
	b->left_at = sqlite3_column_int64(q, c + 14);
	sq_col_text(q, c + 15, a->number, sizeof(a->number));
	sq_col_text(q, c + 16, a->number_key, sizeof(a->number_key));
	sq_col_text(q, c + 17, a->roepnaam, sizeof(a->roepnaam));
	sq_col_text(q, c + 18, a->tussenvoegsel, sizeof(a->tussenvoegsel));
	sq_col_text(q, c + 19, a->achternaam, sizeof(a->achternaam));
	a->birth = sqlite3_column_int(q, c + 20);
	sq_col_text(q, c + 21, a->group, sizeof(a->group));
	sq_col_text(q, c + 22, a->group_key, sizeof(a->group_key));
	a->jaargroep = (int8_t)sqlite3_column_int(q, c + 23);
}

static void
row_change(sqlite3_stmt *q, struct jrow *j)
{
	sq_row_change(q, 0, &j->kind, &j->before, &j->after);
}

/* Set student x (its id) to the values in v, active or not. */
static enum err
set_student(struct sqlite_store *s, int64_t school_id, int64_t id,
            const struct student *v, bool active, int64_t enrolled,
            int64_t left_at)
{
	return rexec(s, R_STUDENT_SET,
	             ARGS(T(v->number), T(v->number_key), T(v->roepnaam),
	                  T(v->tussenvoegsel), T(v->achternaam),
	                  I((int64_t)v->birth), T(v->group), T(v->group_key),
	                  I((int64_t)v->jaargroep), I((int64_t)active),
	                  I(enrolled), I(left_at), I(id), I(school_id)));
}

/* Replay one journal row forward (apply) or backward (undo). */
static enum err
replay(struct sqlite_store *s, int64_t school_id, const struct jrow *j,
       bool forward, int64_t now)
{
	const struct student *b = &j->before, *a = &j->after;

	switch (j->kind) {
	case CHANGE_NEW:
		if (!forward)
			return rexec(s, R_STUDENT_DELETE,
			             ARGS(I(a->id), I(school_id)));
		return rexec(s, R_STUDENT_ADD,
		             ARGS(I(school_id), T(a->number), T(a->number_key),
		                  T(a->roepnaam), T(a->tussenvoegsel),
		                  T(a->achternaam), I((int64_t)a->birth),
		                  T(a->group), T(a->group_key),
		                  I((int64_t)a->jaargroep), I(now)));
	case CHANGE_LEFT:
		if (forward)
			return rexec(s, R_STUDENT_LEAVE,
			             ARGS(I(now), I(b->id), I(school_id)));
		return set_student(s, school_id, b->id, b, b->active,
		                   b->enrolled, b->left_at);
	case CHANGE_MOVED:
	case CHANGE_CORRECTED:
	case CHANGE_RENUMBERED:
	case CHANGE_REENROLLED:
	case CHANGE_JAARGROEP:
	case CHANGE_GROUP_NAME:
		if (!forward)
			return set_student(s, school_id, b->id, b, b->active,
			                   b->enrolled, b->left_at);
		return set_student(
		        s, school_id, b->id, a, true,
		        j->kind == CHANGE_REENROLLED ? now : b->enrolled, 0);
	default:
		return ERR_DB;
	}
}

/*
 * The shared body of apply, cancel and undo: check the import's state (and
 * for apply the roster version, for undo that nothing came after), replay
 * the journal if asked, move the import to its new state.
 */
static enum err
decide(struct store *st, const struct store_actor *who, int64_t school_id,
       int64_t id, int64_t now, enum import_state from, enum import_state to,
       int replay_dir, enum import_state *state)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q;
	char word[16] = "";
	int64_t built = 0, after = 0, current = 0, version = 0, purged = 0;
	struct jrow j;
	enum err e;
	int rc;

	LOCK(s);
	if ((e = sq_run(s, "BEGIN IMMEDIATE")) != ERR_OK)
		goto unlock;
	q = rquery(s, R_IMPORT_STATE, ARGS(I(id), I(school_id)));
	if (q == NULL) {
		e = ERR_DB;
		goto rollback;
	}
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		sq_col_text(q, 0, word, sizeof(word));
		built = sqlite3_column_int64(q, 1);
		after = sqlite3_column_int64(q, 2);
		purged = sqlite3_column_int64(q, 3);
	}
	sqlite3_reset(q);
	if (rc != SQLITE_ROW) {
		e = rc == SQLITE_DONE ? ERR_NOTFOUND : sq_err(rc);
		goto rollback;
	}
	if (import_state_parse(word, state) != ERR_OK || *state != from) {
		e = ERR_STATE;
		goto rollback;
	}
	/* a purged import's journal is blank: replaying it backward would
	 * restore blanks */
	if (replay_dir < 0 && purged != 0) {
		e = ERR_STATE;
		goto rollback;
	}
	if ((e = one_int(rquery(s, R_VERSION, ARGS(I(school_id))), &current)) !=
	    ERR_OK)
		goto rollback;
	if (replay_dir > 0 && current != built) {
		e = ERR_CONFLICT;
		goto rollback;
	}
	if (replay_dir < 0 && current != after) {
		/* Later imports were applied since; if all of them have been
		 * undone, the roster is back at this one's after-state and it
		 * is the last applied import again.  (An import applied after
		 * this one was staged after it: its id is larger.) */
		int64_t later = 0;

		if ((e = one_int(rquery(s, R_LATER_APPLIED,
		                        ARGS(I(school_id), I(id))),
		                 &later)) != ERR_OK)
			goto rollback;
		if (later != 0) {
			e = ERR_STATE;
			goto rollback;
		}
	}
	if (replay_dir != 0) {
		if ((q = rquery(s, R_CHANGES, ARGS(I(id)))) == NULL) {
			e = ERR_DB;
			goto rollback;
		}
		while (e == ERR_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
			row_change(q, &j);
			e = replay(s, school_id, &j, replay_dir > 0, now);
			if (s->test_delay_us)
				usleep(s->test_delay_us);
		}
		sqlite3_reset(q);
		if (e == ERR_OK && rc != SQLITE_DONE)
			e = sq_err(rc);
		if (e == ERR_OK && replay_dir > 0)
			e = rexec(s, R_CHANGE_SET_ID,
			          ARGS(I(school_id), I(id)));
		if (e != ERR_OK)
			goto rollback;
		if ((e = one_int(rquery(s, R_VERSION_BUMP, ARGS(I(school_id))),
		                 &version)) != ERR_OK)
			goto rollback;
		if ((e = sq_feed_add(s, replay_dir > 0 ? FEED_APPLY : FEED_UNDO,
		                     now, school_id, id, 0, false)) != ERR_OK)
			goto rollback;
	}
	if ((e = rexec(s, R_IMPORT_DECIDE,
	               ARGS(T(import_state_word(to)), I(now),
	                    I(replay_dir > 0 ? version : after), I(id)))) !=
	    ERR_OK)
		goto rollback;
	{
		static const enum audit_event ev[IMPORT__MAX] = {
			[IMPORT_APPLIED] = AUDIT_IMPORT_APPLIED,
			[IMPORT_CANCELLED] = AUDIT_IMPORT_CANCELLED,
			[IMPORT_UNDONE] = AUDIT_IMPORT_UNDONE,
		};
		char detail[64];

		snprintf(detail, sizeof(detail), "import %lld", (long long)id);
		if ((e = sq_audit_row(s, who, ev[to], school_id, detail)) !=
		    ERR_OK)
			goto rollback;
	}
	if ((e = sq_run(s, "COMMIT")) != ERR_OK)
		goto rollback;
	*state = to;
	goto unlock;
rollback:
	sq_run(s, "ROLLBACK");
unlock:
	UNLOCK(s);
	return e;
}

enum err
sq_import_apply(struct store *st, const struct store_actor *who,
                int64_t school_id, int64_t id, int64_t now,
                enum import_state *state)
{
	return decide(st, who, school_id, id, now, IMPORT_PREVIEW,
	              IMPORT_APPLIED, 1, state);
}

enum err
sq_import_cancel(struct store *st, const struct store_actor *who,
                 int64_t school_id, int64_t id, int64_t now,
                 enum import_state *state)
{
	return decide(st, who, school_id, id, now, IMPORT_PREVIEW,
	              IMPORT_CANCELLED, 0, state);
}

enum err
sq_import_undo(struct store *st, const struct store_actor *who,
               int64_t school_id, int64_t id, int64_t now,
               enum import_state *state)
{
	return decide(st, who, school_id, id, now, IMPORT_APPLIED,
	              IMPORT_UNDONE, -1, state);
}

static void
row_import(sqlite3_stmt *q, struct import_rec *o)
{
	char word[16];

	memset(o, 0, sizeof(*o));
	o->id = sqlite3_column_int64(q, 0);
	o->school_id = sqlite3_column_int64(q, 1);
	o->account_id = sqlite3_column_int64(q, 2);
	sq_col_text(q, 3, o->actor, sizeof(o->actor));
	o->created = sqlite3_column_int64(q, 4);
	o->decided = sqlite3_column_int64(q, 5);
	sq_col_text(q, 6, word, sizeof(word));
	if (import_state_parse(word, &o->state) != ERR_OK)
		o->state = IMPORT__MAX;
	sq_col_text(q, 7, o->filename, sizeof(o->filename));
	o->size = sqlite3_column_int64(q, 8);
	sq_col_text(q, 9, o->sha256, sizeof(o->sha256));
	sq_col_text(q, 10, o->format, sizeof(o->format));
	sq_col_text(q, 11, o->layout, sizeof(o->layout));
	o->roster_version = sqlite3_column_int64(q, 12);
	o->guard = sqlite3_column_int(q, 13) != 0;
	for (int k = 0; k <= CHANGE_UNCHANGED; k++)
		o->counts[k] = sqlite3_column_int64(q, 14 + k);
	o->counts[CHANGE_JAARGROEP] = sqlite3_column_int64(q, 30);
	o->counts[CHANGE_GROUP_NAME] = sqlite3_column_int64(q, 31);
	o->guard_unenrol = sqlite3_column_int(q, 21) != 0;
	o->guard_match = sqlite3_column_int(q, 22) != 0;
	o->active_before = sqlite3_column_int64(q, 23);
	o->matched = sqlite3_column_int64(q, 24);
	sq_col_text(q, 25, o->sheet, sizeof(o->sheet));
	o->header_row = sqlite3_column_int64(q, 26);
	o->errors = sqlite3_column_int64(q, 27);
	o->warnings = sqlite3_column_int64(q, 28);
	o->blocked = sqlite3_column_int(q, 29) != 0;
	o->purged = sqlite3_column_int64(q, 32);
}

enum err
sq_import_get(struct store *st, int64_t school_id, int64_t id,
              struct import_rec *out)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q;
	enum err e;
	int rc;

	LOCK(s);
	q = school_id ? rquery(s, R_IMPORT_GET, ARGS(I(id), I(school_id)))
	              : rquery(s, R_IMPORT_GET_ANY, ARGS(I(id)));
	if (q == NULL) {
		e = ERR_DB;
	} else {
		rc = sqlite3_step(q);
		if (rc == SQLITE_ROW)
			row_import(q, out);
		sqlite3_reset(q);
		e = rc == SQLITE_ROW    ? ERR_OK
		    : rc == SQLITE_DONE ? ERR_NOTFOUND
		                        : sq_err(rc);
	}
	UNLOCK(s);
	return e;
}

static void
fill_import(sqlite3_stmt *q, void *out)
{
	row_import(q, out);
}

enum err
sq_import_list(struct store *st, int64_t library_id, int64_t school_id,
               int limit, store_import_cb cb, void *arg)
{
	struct sqlite_store *s = S(st);
	struct import_rec *v;
	size_t n;
	sqlite3_stmt *q;
	enum err e;

	LOCK(s);
	q = school_id ? rquery(s, R_IMPORT_LIST,
	                       ARGS(I(school_id), I((int64_t)limit)))
	              : rquery(s, R_IMPORT_LIST_ALL,
	                       ARGS(I(library_id), I((int64_t)limit)));
	e = sq_collect(q, sizeof(*v), fill_import, (void **)&v, &n);
	UNLOCK(s);
	for (size_t i = 0; e == ERR_OK && i < n && cb(&v[i], arg) == 0; i++)
		;
	free(v);
	return e;
}

enum err
sq_import_changes(struct store *st, int64_t id, store_change_cb cb, void *arg)
{
	struct sqlite_store *s = S(st);
	struct jrow *j = xmalloc(sizeof(*j));
	sqlite3_stmt *q;
	enum err e;
	int rc;

	LOCK(s);
	if ((q = rquery(s, R_CHANGES, ARGS(I(id)))) == NULL) {
		e = ERR_DB;
	} else {
		while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
			row_change(q, j);
			if (cb(j->kind,
			       j->kind == CHANGE_NEW ? NULL : &j->before,
			       j->kind == CHANGE_LEFT ? NULL : &j->after,
			       arg) != 0) {
				rc = SQLITE_DONE;
				break;
			}
		}
		sqlite3_reset(q);
		e = sq_err(rc);
	}
	UNLOCK(s);
	free(j);
	return e;
}

static void
fill_column(sqlite3_stmt *q, void *out)
{
	struct column_line *c = out;
	int64_t f = sqlite3_column_int64(q, 1);

	memset(c, 0, sizeof(*c));
	c->col = (uint32_t)sqlite3_column_int64(q, 0);
	c->field = f > 0 && f < ROSTER_F__MAX ? (enum roster_field)f
	                                      : ROSTER_F_NONE;
	c->stored = sqlite3_column_int(q, 2) != 0;
	c->bsn = sqlite3_column_int(q, 3) != 0;
	sq_col_text(q, 4, c->header, sizeof(c->header));
}

static void
fill_group(sqlite3_stmt *q, void *out)
{
	struct group_line *g = out;

	memset(g, 0, sizeof(*g));
	sq_col_text(q, 0, g->key, sizeof(g->key));
	sq_col_text(q, 1, g->before, sizeof(g->before));
	sq_col_text(q, 2, g->after, sizeof(g->after));
	g->n_before = sqlite3_column_int64(q, 3);
	g->n_after = sqlite3_column_int64(q, 4);
	sq_col_text(q, 5, g->code, sizeof(g->code));
}

enum err
sq_import_columns(struct store *st, int64_t id, struct column_line **out,
                  size_t *n)
{
	struct sqlite_store *s = S(st);
	enum err e;

	LOCK(s);
	e = sq_collect(rquery(s, R_COLUMNS, ARGS(I(id))), sizeof(**out),
	               fill_column, (void **)out, n);
	UNLOCK(s);
	return e;
}

enum err
sq_import_groups(struct store *st, int64_t id, struct group_line **out,
                 size_t *n)
{
	struct sqlite_store *s = S(st);
	enum err e;

	LOCK(s);
	e = sq_collect(rquery(s, R_GROUPS, ARGS(I(id))), sizeof(**out),
	               fill_group, (void **)out, n);
	UNLOCK(s);
	return e;
}

void
sq_row_issue(sqlite3_stmt *q, int c, struct roster_issue *is)
{
	char code[48], layout[32];

	memset(is, 0, sizeof(*is));
	sq_col_text(q, c, code, sizeof(code));
	if (!roster_code_parse(code, &is->code))
		is->code = ROSTER_E_NO_HEADER;
	is->row = (uint32_t)sqlite3_column_int64(q, c + 1);
	is->col = (uint32_t)sqlite3_column_int64(q, c + 2);
	is->arg = sqlite3_column_int64(q, c + 3);
	sq_col_text(q, c + 4, is->text, sizeof(is->text));
	sq_col_text(q, c + 5, is->name, sizeof(is->name));
	sq_col_text(q, c + 6, is->number, sizeof(is->number));
	sq_col_text(q, c + 7, is->other, sizeof(is->other));
	sq_col_text(q, c + 8, layout, sizeof(layout));
	is->layout = roster_layout_parse(layout);
}

static void
fill_issue(sqlite3_stmt *q, void *out)
{
	sq_row_issue(q, 0, out);
}

enum err
sq_import_issues(struct store *st, int64_t id, store_issue_cb cb, void *arg)
{
	struct sqlite_store *s = S(st);
	struct roster_issue *v;
	size_t n;
	enum err e;

	LOCK(s);
	e = sq_collect(rquery(s, R_ISSUES, ARGS(I(id))), sizeof(*v), fill_issue,
	               (void **)&v, &n);
	UNLOCK(s);
	for (size_t i = 0; e == ERR_OK && i < n && cb(&v[i], arg) == 0; i++)
		;
	free(v);
	return e;
}

enum err
sq_purge(struct store *st, const struct store_actor *who,
         int64_t previews_before, int64_t left_before, struct purge_counts *out)
{
	struct sqlite_store *s = S(st);
	int64_t now = time_now(), removed = 0;
	enum err e;

	memset(out, 0, sizeof(*out));
	LOCK(s);
	if ((e = sq_run(s, "BEGIN IMMEDIATE")) != ERR_OK)
		goto unlock;
	if ((e = rexec(s, R_EXPIRE, ARGS(I(now), I(previews_before)))) !=
	    ERR_OK)
		goto rollback;
	out->previews = sqlite3_changes(s->db);
	if ((e = rexec(s, R_EXPIRED_JOURNAL, NOARGS)) != ERR_OK)
		goto rollback;
	removed += sqlite3_changes(s->db);
	/* the imports past their time: journal, report (cell texts), then
	 * the mark that also drops the file's name */
	if ((e = rexec(s, R_DUE_JOURNAL,
	               ARGS(I(previews_before), I(left_before)))) != ERR_OK)
		goto rollback;
	removed += sqlite3_changes(s->db);
	if ((e = rexec(s, R_DUE_ISSUES,
	               ARGS(I(previews_before), I(left_before)))) != ERR_OK)
		goto rollback;
	removed += sqlite3_changes(s->db);
	if ((e = rexec(s, R_DUE_MARK,
	               ARGS(I(previews_before), I(left_before), I(now)))) !=
	    ERR_OK)
		goto rollback;
	out->imports = sqlite3_changes(s->db);
	if ((e = rexec(s, R_ANONYMISE, ARGS(I(left_before)))) != ERR_OK)
		goto rollback;
	out->anonymised = sqlite3_changes(s->db);
	/* the journal has no index on student_id: scan it only when someone
	 * was anonymised just now (no later row can name an anonymised
	 * student: its number matches no file) */
	if (out->anonymised > 0 &&
	    (e = rexec(s, R_ANONYMISE_JOURNAL, NOARGS)) != ERR_OK)
		goto rollback;
	if (out->previews + out->anonymised + out->imports > 0) {
		char detail[128];

		snprintf(detail, sizeof(detail),
		         "previews expired=%lld imports purged=%lld"
		         " students anonymised=%lld",
		         (long long)out->previews, (long long)out->imports,
		         (long long)out->anonymised);
		if ((e = sq_audit_row(s, who, AUDIT_PURGE, 0, detail)) !=
		    ERR_OK)
			goto rollback;
	}
	if ((e = sq_run(s, "COMMIT")) != ERR_OK)
		goto rollback;
	if (removed + out->previews + out->anonymised + out->imports > 0)
		sq_checkpoint(s, "the purge");
	goto unlock;
rollback:
	sq_run(s, "ROLLBACK");
unlock:
	UNLOCK(s);
	return e;
}
