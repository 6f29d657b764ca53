/*
 * The PostgreSQL backend's students and imports (see store.h, "Imports"),
 * with the behaviour of the SQLite backend's roster.c.
 *
 * A preview is an imports row in state "preview" plus its journal in
 * import_changes, written with COPY (a million rows are one statement, not
 * a million round trips), with its report, columns and groups.
 *
 * Several servers may share the database, so everything that SQLite's
 * single writer serialised is serialised by PostgreSQL here: an apply,
 * cancel or undo first locks the school's row (SELECT ... FOR UPDATE) and
 * only then reads the import's state and the roster version, in READ
 * COMMITTED, where each statement sees what was committed before it.  Of
 * two servers confirming the same preview at once, the second waits for
 * the first's commit, then finds the import applied (ERR_STATE) or the
 * roster changed (ERR_CONFLICT), exactly as SQLite answers.  Staging locks
 * the school too, right before it cancels the school's other open
 * previews, so that of two previews staged at once the later one wins and
 * a school never has two.
 *
 * The journal is replayed set-wise, one statement per kind of change
 * (enrolments, leavers, the rest), instead of one statement per row: a
 * plan never gives two rows the same student nor a new number that another
 * student holds, so the order within a kind does not matter.  Row locks are
 * taken in one order everywhere: the school, the import, the students
 * (also by the purge: imports before students), so two operations never
 * wait for each other in a circle.
 *
 * The purge removes pupils' data with UPDATE and DELETE.  PostgreSQL has
 * no secure_delete: the old row versions stay in the table's pages until
 * VACUUM (autovacuum, within minutes) marks their space free, and their
 * bytes until new rows overwrite that space; the write-ahead log keeps
 * them until its segments are recycled, and base backups keep them as
 * long as they are kept.  docs/avg.md says what the operator does about
 * it (an encrypted disk, VACUUM FULL when it must be gone now).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pg_roster_int.h"
#include "../base/mem.h"
#include "../base/strparse.h"
#include "../base/text.h"

#define IMPORT_COLS                                                            \
	"id, school_id, coalesce(account_id, 0), actor, created, decided,"     \
	" state, filename, size, sha256, format, layout, roster_version,"      \
	" guard, n_new, n_left, n_moved, n_corrected, n_reenrolled,"           \
	" n_renumbered, n_unchanged, guard_unenrol, guard_match,"              \
	" active_before, matched, sheet, header_row, n_errors, n_warnings,"    \
	" blocked, n_jaargroep, n_group_name, purged"
/*
 * The imports whose pupils the purge removes now ($1: undone before, the
 * preview time-out; $2: applied before, the retention): as roster.c's DUE.
 */
#define DUE                                                                    \
	" purged = 0 AND (state IN ('cancelled', 'expired')"                   \
	" OR (state = 'undone' AND decided < $1)"                              \
	" OR (state = 'applied' AND decided < $2))"

/* The journal rows of import $2 of school $1 that a statement replays,
 * joined to their students. */
#define REPLAYED                                                                \
	" FROM import_changes c WHERE c.import_id = $2 AND s.id = c.student_id" \
	" AND s.school_id = $1"

/*
 * Staging, applying, undoing and purging a school of a million pupils
 * takes longer than the connection's statement timeout (pg.c, 30 s) on a
 * busy machine: these transactions get a longer one of their own.
 */
#define BULK_TIMEOUT "SET LOCAL statement_timeout = '10min'"
/*
 * ... and applying and undoing join the journal to the students by hash,
 * whatever the statistics say: right after a first import the tables have
 * none yet, and the planner's nested loop over both took 100 ms for a
 * thousand pupils (a hash join: 2 ms; for a million it is the plan anyway).
 */
#define REPLAY_SETTINGS BULK_TIMEOUT "; SET LOCAL enable_nestloop = off"

enum rstmt {
	R_ROSTER,
	R_VERSION,
	R_LOCK_SCHOOL,
	R_IMPORT_ADD,
	R_IDS_LOCK,
	R_RESERVE_IDS,
	R_IDS_UNLOCK,
	R_REPLACE,
	R_COPY_CHANGES,
	R_COPY_ISSUES,
	R_COPY_COLUMNS,
	R_COPY_GROUPS,
	R_IMPORT_STATE,
	R_LATER_APPLIED,
	R_APPLY_NEW,
	R_APPLY_LEFT,
	R_APPLY_SET,
	R_UNDO_NEW,
	R_UNDO_SET,
	R_VERSION_BUMP,
	R_IMPORT_DECIDE,
	R_CHANGES,
	R_IMPORT_GET,
	R_IMPORT_GET_ANY,
	R_IMPORT_LIST,
	R_IMPORT_LIST_ALL,
	R_ISSUES,
	R_COLUMNS,
	R_GROUPS,
	R_EXPIRE,
	R_EXPIRED_JOURNAL,
	R_DUE_JOURNAL,
	R_DUE_ISSUES,
	R_DUE_MARK,
	R_ANONYMISE,
	R_ANONYMISE_JOURNAL,
	R__MAX
};
_Static_assert(R__MAX <= PG_CACHE, "raise PG_CACHE");

static const char *const rsql[R__MAX] = {
	/* streamed (pgr_stream) */
	[R_ROSTER] = "SELECT " PGR_STUDENT_COLS " FROM students"
	             " WHERE school_id = $1 ORDER BY id",
	[R_VERSION] = "SELECT roster_version FROM schools WHERE id = $1",
	/* the per-school lock of apply, cancel, undo and staging: held to
	 * the end of the transaction, on every server */
	[R_LOCK_SCHOOL] = "SELECT roster_version FROM schools WHERE id = $1"
	                  " FOR UPDATE",
	[R_IMPORT_ADD] =
	        "INSERT INTO imports (school_id, account_id, actor, created,"
	        " state, filename, size, sha256, format, layout,"
	        " roster_version, guard, n_new, n_left, n_moved, n_corrected,"
	        " n_reenrolled, n_renumbered, n_unchanged, guard_unenrol,"
	        " guard_match, active_before, matched, sheet, header_row,"
	        " n_errors, n_warnings, blocked, n_jaargroep, n_group_name)"
	        " VALUES ($1, nullif($2, 0), $3, $4, 'preview', $5, $6, $7, $8,"
	        " $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20,"
	        " $21, $22, $23, $24, $25, $26, $27, $28, $29) RETURNING id",
	/* the ids that a preview's new pupils get when it is applied: a
	 * block of $1 from the students' own sequence, taken when it is
	 * staged, so that applying needs no second pass over the journal
	 * to note them.  nextval and setval are two steps: between the
	 * lock and the unlock nobody else takes ids (only this code
	 * inserts students).  The last id of the block. */
	[R_IDS_LOCK] = "SELECT pg_advisory_lock($1)",
	[R_RESERVE_IDS] = "SELECT setval(pg_get_serial_sequence('students',"
	                  " 'id'), nextval(pg_get_serial_sequence('students',"
	                  " 'id')) + $1 - 1)",
	[R_IDS_UNLOCK] = "SELECT pg_advisory_unlock($1)",
	/* a school has at most one open preview: a new one cancels the
	 * others */
	[R_REPLACE] = "UPDATE imports SET state = 'cancelled', decided = $1"
	              " WHERE school_id = $2 AND state = 'preview' AND id <> $3"
	              " RETURNING id",
	/* COPY data: import id, seq, then the row's values */
	[R_COPY_CHANGES] =
	        "COPY import_changes (import_id, seq, " PGR_CHANGE_COLS
	        ") FROM STDIN",
	[R_COPY_ISSUES] = "COPY import_issues (import_id, seq, code, row, col,"
	                  " arg, text, name, number, other) FROM STDIN",
	[R_COPY_COLUMNS] = "COPY import_columns (import_id, seq, col, field,"
	                   " stored, bsn, header) FROM STDIN",
	[R_COPY_GROUPS] = "COPY import_groups (import_id, seq, group_key,"
	                  " name_before, name_after, n_before, n_after, code)"
	                  " FROM STDIN",
	[R_IMPORT_STATE] = "SELECT state, roster_version, version_after, purged"
	                   " FROM imports WHERE id = $1 AND school_id = $2",
	[R_LATER_APPLIED] = "SELECT count(*) FROM imports WHERE school_id = $1"
	                    " AND id > $2 AND state = 'applied'",
	/* apply ($1 school, $2 import, $3 now): enrol with the ids the
	 * journal holds (R_RESERVE_IDS) */
	[R_APPLY_NEW] = "INSERT INTO students (id, school_id, number,"
	                " number_key, roepnaam, tussenvoegsel, achternaam,"
	                " birth, group_name, group_key, jaargroep, active,"
	                " enrolled) SELECT student_id, $1, new_number,"
	                " new_number_key, new_roepnaam,"
	                " new_tussenvoegsel, new_achternaam, new_birth,"
	                " new_group, new_group_key, new_jaargroep, 1, $3"
	                " FROM import_changes WHERE import_id = $2"
	                " AND kind = 'new' ORDER BY seq",
	[R_APPLY_LEFT] =
	        "UPDATE students s SET active = 0, left_at = $3" REPLAYED
	        " AND c.kind = 'left'",
	/* every other kind: the file's values, active; a returning pupil
	 * enrolled now */
	[R_APPLY_SET] =
	        "UPDATE students s SET number = c.new_number,"
	        " number_key = c.new_number_key, roepnaam = c.new_roepnaam,"
	        " tussenvoegsel = c.new_tussenvoegsel,"
	        " achternaam = c.new_achternaam, birth = c.new_birth,"
	        " group_name = c.new_group, group_key = c.new_group_key,"
	        " jaargroep = c.new_jaargroep, active = 1,"
	        " enrolled = CASE WHEN c.kind = 'reenrolled' THEN $3"
	        "  ELSE c.old_enrolled END, left_at = 0" REPLAYED
	        " AND c.kind NOT IN ('new', 'left')",
	/* undo ($1 school, $2 import): the enrolled go, everyone else gets
	 * the values from before */
	[R_UNDO_NEW] = "DELETE FROM students s USING import_changes c"
	               " WHERE c.import_id = $2 AND s.id = c.student_id"
	               " AND s.school_id = $1 AND c.kind = 'new'",
	[R_UNDO_SET] =
	        "UPDATE students s SET number = c.old_number,"
	        " number_key = c.old_number_key,"
	        " roepnaam = c.old_roepnaam,"
	        " tussenvoegsel = c.old_tussenvoegsel,"
	        " achternaam = c.old_achternaam, birth = c.old_birth,"
	        " group_name = c.old_group, group_key = c.old_group_key,"
	        " jaargroep = c.old_jaargroep, active = c.old_active,"
	        " enrolled = c.old_enrolled,"
	        " left_at = c.old_left_at" REPLAYED " AND c.kind <> 'new'",
	[R_VERSION_BUMP] = "UPDATE schools SET roster_version ="
	                   " roster_version + 1 WHERE id = $1"
	                   " RETURNING roster_version",
	[R_IMPORT_DECIDE] = "UPDATE imports SET state = $1, decided = $2,"
	                    " version_after = $3 WHERE id = $4",
	/* streamed */
	[R_CHANGES] = "SELECT " PGR_CHANGE_COLS " FROM import_changes"
	              " WHERE import_id = $1 ORDER BY seq",
	[R_IMPORT_GET] = "SELECT " IMPORT_COLS " FROM imports"
	                 " WHERE id = $1 AND school_id = $2",
	[R_IMPORT_GET_ANY] = "SELECT " IMPORT_COLS " FROM imports"
	                     " WHERE id = $1",
	[R_IMPORT_LIST] = "SELECT " IMPORT_COLS " FROM imports"
	                  " WHERE school_id = $1 ORDER BY id DESC LIMIT $2",
	[R_IMPORT_LIST_ALL] = "SELECT " IMPORT_COLS " FROM imports"
	                      " WHERE $1 = 0 OR school_id IN (SELECT id"
	                      " FROM schools WHERE library_id = $1)"
	                      " ORDER BY id DESC LIMIT $2",
	/* the file's layout says where a pupil's row is fixed */
	[R_ISSUES] = "SELECT i.code, i.row, i.col, i.arg, i.text, i.name,"
	             " i.number, i.other, m.layout FROM import_issues i"
	             " JOIN imports m ON m.id = i.import_id"
	             " WHERE i.import_id = $1 ORDER BY i.seq",
	[R_COLUMNS] = "SELECT col, field, stored, bsn, header FROM"
	              " import_columns WHERE import_id = $1 ORDER BY seq",
	[R_GROUPS] = "SELECT group_key, name_before, name_after, n_before,"
	             " n_after, code FROM import_groups WHERE import_id = $1"
	             " ORDER BY seq",
	[R_EXPIRE] = "UPDATE imports SET state = 'expired', decided = $1"
	             " WHERE state = 'preview' AND created < $2",
	[R_EXPIRED_JOURNAL] = "DELETE FROM import_changes WHERE import_id IN"
	                      " (SELECT id FROM imports"
	                      "  WHERE state IN ('expired', 'cancelled'))",
	[R_DUE_JOURNAL] = PGR_JOURNAL_BLANK " import_id IN (SELECT id FROM"
	                                    " imports WHERE" DUE ")",
	[R_DUE_ISSUES] = "DELETE FROM import_issues WHERE import_id IN"
	                 " (SELECT id FROM imports WHERE" DUE ")",
	[R_DUE_MARK] = "UPDATE imports SET purged = $3, filename = '',"
	               " sha256 = '' WHERE" DUE,
	[R_ANONYMISE] = "UPDATE students SET number = 'anoniem-' || id,"
	                " number_key = 'anoniem-' || id, roepnaam = '',"
	                " tussenvoegsel = '', achternaam = '', birth = 0,"
	                " anonymised = 1 WHERE active = 0 AND anonymised = 0"
	                " AND left_at < $1",
	/* the rows still naming a leaver who is anonymised now (a blanked
	 * row names nobody: student id 0) */
	[R_ANONYMISE_JOURNAL] = PGR_JOURNAL_BLANK
	" student_id IN (SELECT id FROM students WHERE anonymised = 1)",
};

static struct pg_store *
S(struct store *st)
{
	return (struct pg_store *)st;
}

static enum err
rexec(struct pg_conn *c, enum rstmt id, const struct pg_arg *args, size_t n,
      int64_t *changed)
{
	return pg_exec(c, PG_SET_ROSTER, (int)id, rsql[id], args, n, changed);
}

static enum err
rone(struct pg_conn *c, enum rstmt id, const struct pg_arg *args, size_t n,
     void (*fill)(const PGresult *, int, void *), void *out)
{
	return pg_one(c, PG_SET_ROSTER, (int)id, rsql[id], args, n, fill, out);
}

static enum err
rcollect(struct pg_conn *c, enum rstmt id, const struct pg_arg *args, size_t n,
         size_t elsize, void (*fill)(const PGresult *, int, void *), void **out,
         size_t *count)
{
	return pg_collect(c, PG_SET_ROSTER, (int)id, rsql[id], args, n, elsize,
	                  fill, out, count);
}

/* "import 12: new=3 left=1 ..." */
static void
counts_detail(char *out, size_t outsz, int64_t id, const int64_t *counts)
{
	int n = snprintf(out, outsz, "import %lld:", (long long)id);

	for (int k = 0; k < CHANGE__MAX && n > 0 && (size_t)n < outsz; k++)
		n += snprintf(out + n, outsz - (size_t)n, " %s=%lld",
		              change_word((enum change_kind)k),
		              (long long)counts[k]);
}

void
pgr_row_student(const PGresult *r, int row, int c, struct student *o)
{
	memset(o, 0, sizeof(*o));
	o->id = pg_int(r, row, c);
	pg_text(r, row, c + 1, o->number, sizeof(o->number));
	pg_text(r, row, c + 2, o->number_key, sizeof(o->number_key));
	pg_text(r, row, c + 3, o->roepnaam, sizeof(o->roepnaam));
	pg_text(r, row, c + 4, o->tussenvoegsel, sizeof(o->tussenvoegsel));
	pg_text(r, row, c + 5, o->achternaam, sizeof(o->achternaam));
	o->birth = (int32_t)pg_int(r, row, c + 6);
	pg_text(r, row, c + 7, o->group, sizeof(o->group));
	pg_text(r, row, c + 8, o->group_key, sizeof(o->group_key));
	o->jaargroep = (int8_t)pg_int(r, row, c + 9);
	o->active = pg_int(r, row, c + 10) != 0;
	o->enrolled = pg_int(r, row, c + 11);
	o->left_at = pg_int(r, row, c + 12);
}

void
pgr_row_change(const PGresult *r, int row, int c, enum change_kind *kind,
               struct student *b, struct student *a)
{
	char word[16];

	pg_text(r, row, c, word, sizeof(word));
	if (!change_parse(word, kind))
		*kind = CHANGE__MAX;
	memset(b, 0, sizeof(*b));
	memset(a, 0, sizeof(*a));
	b->id = a->id = pg_int(r, row, c + 1);
	a->row = (int32_t)pg_int(r, row, c + 2);
	pg_text(r, row, c + 3, b->number, sizeof(b->number));
	pg_text(r, row, c + 4, b->number_key, sizeof(b->number_key));
	pg_text(r, row, c + 5, b->roepnaam, sizeof(b->roepnaam));
	pg_text(r, row, c + 6, b->tussenvoegsel, sizeof(b->tussenvoegsel));
	pg_text(r, row, c + 7, b->achternaam, sizeof(b->achternaam));
	b->birth = (int32_t)pg_int(r, row, c + 8);
	pg_text(r, row, c + 9, b->group, sizeof(b->group));
	pg_text(r, row, c + 10, b->group_key, sizeof(b->group_key));
	b->jaargroep = (int8_t)pg_int(r, row, c + 11);
	b->active = pg_int(r, row, c + 12) != 0;
	b->enrolled = pg_int(r, row, c + 13);
	b->left_at = pg_int(r, row, c + 14);
	pg_text(r, row, c + 15, a->number, sizeof(a->number));
	pg_text(r, row, c + 16, a->number_key, sizeof(a->number_key));
	pg_text(r, row, c + 17, a->roepnaam, sizeof(a->roepnaam));
	pg_text(r, row, c + 18, a->tussenvoegsel, sizeof(a->tussenvoegsel));
	pg_text(r, row, c + 19, a->achternaam, sizeof(a->achternaam));
	a->birth = (int32_t)pg_int(r, row, c + 20);
	pg_text(r, row, c + 21, a->group, sizeof(a->group));
	pg_text(r, row, c + 22, a->group_key, sizeof(a->group_key));
	a->jaargroep = (int8_t)pg_int(r, row, c + 23);
}

void
pgr_row_issue(const PGresult *r, int row, int c, struct roster_issue *is)
{
	char code[48], layout[32];

	memset(is, 0, sizeof(*is));
	pg_text(r, row, c, code, sizeof(code));
	if (!roster_code_parse(code, &is->code))
		is->code = ROSTER_E_NO_HEADER;
	is->row = (uint32_t)pg_int(r, row, c + 1);
	is->col = (uint32_t)pg_int(r, row, c + 2);
	is->arg = pg_int(r, row, c + 3);
	pg_text(r, row, c + 4, is->text, sizeof(is->text));
	pg_text(r, row, c + 5, is->name, sizeof(is->name));
	pg_text(r, row, c + 6, is->number, sizeof(is->number));
	pg_text(r, row, c + 7, is->other, sizeof(is->other));
	pg_text(r, row, c + 8, layout, sizeof(layout));
	is->layout = roster_layout_parse(layout);
}

/* The roster being read: a growing array. */
struct roster_acc {
	struct student *v;
	size_t n, cap;
};

static int
add_student(const PGresult *r, int row, void *arg)
{
	struct roster_acc *a = arg;

	if (a->n == a->cap) {
		a->cap = a->cap ? a->cap * 2 : 256;
		a->v = xrealloc(a->v, a->cap * sizeof(*a->v));
	}
	pgr_row_student(r, row, 0, &a->v[a->n++]);
	return 0;
}

enum err
pg_roster_read(struct pg_conn *c, int64_t school_id, struct student **out,
               size_t *n, int64_t *version)
{
	struct roster_acc a = { 0 };
	enum err e;

	*out = NULL;
	*n = 0;
	e = rone(c, R_VERSION, ARGS(I(school_id)), pg_fill_id, version);
	if (e == ERR_OK)
		e = pgr_stream(c, rsql[R_ROSTER], ARGS(I(school_id)),
		               add_student, &a);
	if (e != ERR_OK) {
		free(a.v);
		return e;
	}
	*out = a.v;
	*n = a.n;
	return ERR_OK;
}

enum err
pg_roster_load(struct store *st, int64_t school_id, struct student **out,
               size_t *n, int64_t *version)
{
	struct pg_conn *c = pg_acquire(S(st));
	enum err e;

	*out = NULL;
	*n = 0;
	if (c == NULL)
		return ERR_DB;
	/* the version and the students from one snapshot */
	e = pg_begin_as(c, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
	if (e == ERR_OK)
		e = pg_end(c, pg_roster_read(c, school_id, out, n, version));
	pg_release(c);
	if (e != ERR_OK) {
		free(*out);
		*out = NULL;
		*n = 0;
	}
	return e;
}

static const struct student empty_student = { .jaargroep = JAARGROEP_UNKNOWN };

/* Cancel the school's other open previews (in the transaction that stages
 * rec, with the school locked), one audit row each; rec->replaced is the
 * newest of them. */
static enum err
replace_previews(struct pg_conn *c, const struct store_actor *who,
                 struct import_rec *rec)
{
	int64_t *ids = NULL, version;
	size_t n = 0;
	char detail[96];
	enum err e;

	rec->replaced = 0;
	e = rone(c, R_LOCK_SCHOOL, ARGS(I(rec->school_id)), pg_fill_id,
	         &version);
	if (e == ERR_OK)
		e = rcollect(
		        c, R_REPLACE,
		        ARGS(I(rec->created), I(rec->school_id), I(rec->id)),
		        sizeof(*ids), pg_fill_id, (void **)&ids, &n);
	for (size_t i = 0; e == ERR_OK && i < n; i++) {
		if (ids[i] > rec->replaced)
			rec->replaced = ids[i];
		snprintf(detail, sizeof(detail),
		         "import %lld: replaced by %lld", (long long)ids[i],
		         (long long)rec->id);
		e = pg_audit_row(c, who, AUDIT_IMPORT_CANCELLED, rec->school_id,
		                 detail);
	}
	free(ids);
	return e;
}

/* The preview's report, columns and groups, each one COPY. */
static enum err
copy_extra(struct pg_conn *c, int64_t id, const struct import_extra *x)
{
	struct pgr_copy w;
	enum err e = ERR_OK;

	if (x->nissues > 0) {
		pgr_copy_begin(&w, c, rsql[R_COPY_ISSUES]);
		for (size_t i = 0; w.e == ERR_OK && i < x->nissues; i++) {
			const struct roster_issue *is = &x->issues[i];

			pgr_copy_int(&w, id);
			pgr_copy_int(&w, (int64_t)i);
			pgr_copy_text(&w, roster_code_name(is->code));
			pgr_copy_int(&w, is->row);
			pgr_copy_int(&w, is->col);
			pgr_copy_int(&w, is->arg);
			pgr_copy_text(&w, is->text);
			pgr_copy_text(&w, is->name);
			pgr_copy_text(&w, is->number);
			pgr_copy_text(&w, is->other);
			pgr_copy_end(&w);
		}
		e = pgr_copy_finish(&w, NULL);
	}
	if (e == ERR_OK && x->ncolumns > 0) {
		pgr_copy_begin(&w, c, rsql[R_COPY_COLUMNS]);
		for (size_t i = 0; w.e == ERR_OK && i < x->ncolumns; i++) {
			const struct column_line *l = &x->columns[i];

			pgr_copy_int(&w, id);
			pgr_copy_int(&w, (int64_t)i);
			pgr_copy_int(&w, l->col);
			pgr_copy_int(&w, (int64_t)l->field);
			pgr_copy_int(&w, (int64_t)l->stored);
			pgr_copy_int(&w, (int64_t)l->bsn);
			pgr_copy_text(&w, l->header);
			pgr_copy_end(&w);
		}
		e = pgr_copy_finish(&w, NULL);
	}
	if (e == ERR_OK && x->ngroups > 0) {
		pgr_copy_begin(&w, c, rsql[R_COPY_GROUPS]);
		for (size_t i = 0; w.e == ERR_OK && i < x->ngroups; i++) {
			const struct group_line *g = &x->groups[i];

			pgr_copy_int(&w, id);
			pgr_copy_int(&w, (int64_t)i);
			pgr_copy_text(&w, g->key);
			pgr_copy_text(&w, g->before);
			pgr_copy_text(&w, g->after);
			pgr_copy_int(&w, g->n_before);
			pgr_copy_int(&w, g->n_after);
			pgr_copy_text(&w, g->code);
			pgr_copy_end(&w);
		}
		e = pgr_copy_finish(&w, NULL);
	}
	return e;
}

/*
 * Take n student ids for a preview's new pupils: *first .. *first + n - 1.
 * Outside any transaction, so that the session's lock is always given
 * back (a lost connection gives it back too) and the ids stay taken
 * whatever becomes of the preview.
 */
static enum err
reserve_ids(struct pg_conn *c, int64_t n, int64_t *first)
{
	int64_t last = 0;
	enum err e, u;

	e = rexec(c, R_IDS_LOCK, ARGS(I(PGR_LOCK_IDS)), NULL);
	if (e != ERR_OK)
		return e;
	e = rone(c, R_RESERVE_IDS, ARGS(I(n)), pg_fill_id, &last);
	u = rexec(c, R_IDS_UNLOCK, ARGS(I(PGR_LOCK_IDS)), NULL);
	*first = last - n + 1;
	return e != ERR_OK ? e : u;
}

/* The journal: one COPY, every change's values before and after; a new
 * pupil's row carries the id it will get. */
static enum err
copy_journal(struct pg_conn *c, int64_t id, const struct plan *plan,
             int64_t next_id)
{
	struct pgr_copy w;

	if (plan->nchanges == 0)
		return ERR_OK;
	pgr_copy_begin(&w, c, rsql[R_COPY_CHANGES]);
	for (size_t i = 0; w.e == ERR_OK && i < plan->nchanges; i++) {
		const struct change *ch = &plan->changes[i];
		const struct student *b =
		        ch->before ? ch->before : &empty_student;
		const struct student *a =
		        ch->after ? ch->after : &empty_student;

		pgr_copy_int(&w, id);
		pgr_copy_int(&w, (int64_t)i);
		pgr_copy_text(&w, change_word(ch->kind));
		pgr_copy_int(&w, ch->kind == CHANGE_NEW ? next_id++ : b->id);
		pgr_copy_int(&w, a->row);
		pgr_copy_text(&w, b->number);
		pgr_copy_text(&w, b->number_key);
		pgr_copy_text(&w, b->roepnaam);
		pgr_copy_text(&w, b->tussenvoegsel);
		pgr_copy_text(&w, b->achternaam);
		pgr_copy_int(&w, b->birth);
		pgr_copy_text(&w, b->group);
		pgr_copy_text(&w, b->group_key);
		pgr_copy_int(&w, b->jaargroep);
		pgr_copy_int(&w, (int64_t)b->active);
		pgr_copy_int(&w, b->enrolled);
		pgr_copy_int(&w, b->left_at);
		pgr_copy_text(&w, a->number);
		pgr_copy_text(&w, a->number_key);
		pgr_copy_text(&w, a->roepnaam);
		pgr_copy_text(&w, a->tussenvoegsel);
		pgr_copy_text(&w, a->achternaam);
		pgr_copy_int(&w, a->birth);
		pgr_copy_text(&w, a->group);
		pgr_copy_text(&w, a->group_key);
		pgr_copy_int(&w, a->jaargroep);
		pgr_copy_end(&w);
	}
	return pgr_copy_finish(&w, NULL);
}

enum err
pg_import_stage(struct store *st, const struct store_actor *who,
                struct import_rec *rec, const struct plan *plan,
                const struct import_extra *x)
{
	static const struct import_extra nothing;
	struct pg_conn *c;
	char detail[256];
	int64_t first = 0, nnew = 0;
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
	for (size_t i = 0; i < plan->nchanges; i++)
		nnew += plan->changes[i].kind == CHANGE_NEW;
	if ((c = pg_acquire(S(st))) == NULL)
		return ERR_DB;
	if (nnew > 0 && (e = reserve_ids(c, nnew, &first)) != ERR_OK)
		goto out;
	if ((e = pg_begin(c)) != ERR_OK)
		goto out;
	e = pg_run(c, BULK_TIMEOUT);
	if (e == ERR_OK)
		e = rone(c, R_IMPORT_ADD,
		         ARGS(I(rec->school_id), I(rec->account_id),
		              T(rec->actor), I(rec->created), T(rec->filename),
		              I(rec->size), T(rec->sha256), T(rec->format),
		              T(rec->layout), I(rec->roster_version),
		              I((int64_t)rec->guard), I(rec->counts[0]),
		              I(rec->counts[1]), I(rec->counts[2]),
		              I(rec->counts[3]), I(rec->counts[4]),
		              I(rec->counts[5]), I(rec->counts[6]),
		              I((int64_t)rec->guard_unenrol),
		              I((int64_t)rec->guard_match),
		              I(rec->active_before), I(rec->matched),
		              T(rec->sheet), I(rec->header_row), I(rec->errors),
		              I(rec->warnings), I((int64_t)rec->blocked),
		              I(rec->counts[CHANGE_JAARGROEP]),
		              I(rec->counts[CHANGE_GROUP_NAME])),
		         pg_fill_id, &rec->id);
	if (e == ERR_OK)
		e = copy_extra(c, rec->id, x);
	if (e == ERR_OK)
		e = copy_journal(c, rec->id, plan, first);
	/* the school's lock last: two stagings of one school overlap until
	 * here, and the later of them cancels the earlier */
	if (e == ERR_OK)
		e = replace_previews(c, who, rec);
	if (e == ERR_OK) {
		counts_detail(detail, sizeof(detail), rec->id, rec->counts);
		e = pg_audit_row(c, who, AUDIT_IMPORT_PREVIEW, rec->school_id,
		                 detail);
	}
	e = pg_end(c, e);
out:
	pg_release(c);
	return e;
}

/* Replay import id's journal forward (apply) or backward (undo). */
static enum err
replay(struct pg_conn *c, int64_t school_id, int64_t id, bool forward,
       int64_t now, int64_t *rows)
{
	int64_t n = 0;
	enum err e;

	*rows = 0;
	if (!forward) {
		e = rexec(c, R_UNDO_NEW, ARGS(I(school_id), I(id)), &n);
		*rows += n;
		if (e == ERR_OK)
			e = rexec(c, R_UNDO_SET, ARGS(I(school_id), I(id)), &n);
		*rows += n;
		return e;
	}
	e = rexec(c, R_APPLY_NEW, ARGS(I(school_id), I(id), I(now)), &n);
	*rows += n;
	if (e == ERR_OK)
		e = rexec(c, R_APPLY_LEFT, ARGS(I(school_id), I(id), I(now)),
		          &n);
	*rows += n;
	if (e == ERR_OK)
		e = rexec(c, R_APPLY_SET, ARGS(I(school_id), I(id), I(now)),
		          &n);
	*rows += n;
	return e;
}

/* An import's state as decide() reads it. */
struct istate {
	char word[16];
	int64_t built, after, purged;
};

static void
fill_istate(const PGresult *r, int row, void *out)
{
	struct istate *s = out;

	pg_text(r, row, 0, s->word, sizeof(s->word));
	s->built = pg_int(r, row, 1);
	s->after = pg_int(r, row, 2);
	s->purged = pg_int(r, row, 3);
}

/*
 * The shared body of apply, cancel and undo, with roster.c's checks: lock
 * the school, check the import's state (and for apply the roster version,
 * for undo that nothing came after), move the import to its new state,
 * replay the journal if asked, bump the version and record the feed's
 * step last (it takes the feed's lock: held from there to the commit).
 */
static enum err
decide(struct store *st, const struct store_actor *who, int64_t school_id,
       int64_t id, int64_t now, enum import_state from, enum import_state to,
       int replay_dir, enum import_state *state)
{
	static const enum audit_event ev[IMPORT__MAX] = {
		[IMPORT_APPLIED] = AUDIT_IMPORT_APPLIED,
		[IMPORT_CANCELLED] = AUDIT_IMPORT_CANCELLED,
		[IMPORT_UNDONE] = AUDIT_IMPORT_UNDONE,
	};
	struct pg_store *s = S(st);
	struct pg_conn *c;
	struct istate is = { .word = "" };
	int64_t current = 0, version = 0, rows = 0;
	char detail[64];
	enum err e;

	if ((c = pg_acquire(s)) == NULL)
		return ERR_DB;
	if ((e = pg_begin(c)) != ERR_OK)
		goto out;
	/* the lock first: every read below sees the commit of whoever held
	 * it before */
	e = pg_run(c, REPLAY_SETTINGS);
	if (e == ERR_OK)
		e = rone(c, R_LOCK_SCHOOL, ARGS(I(school_id)), pg_fill_id,
		         &current);
	if (e == ERR_OK)
		e = rone(c, R_IMPORT_STATE, ARGS(I(id), I(school_id)),
		         fill_istate, &is);
	if (e != ERR_OK)
		goto end;
	if (import_state_parse(is.word, state) != ERR_OK || *state != from) {
		e = ERR_STATE;
		goto end;
	}
	/* a purged import's journal is blank: replaying it backward would
	 * restore blanks */
	if (replay_dir < 0 && is.purged != 0) {
		e = ERR_STATE;
		goto end;
	}
	if (replay_dir > 0 && current != is.built) {
		e = ERR_CONFLICT;
		goto end;
	}
	if (replay_dir < 0 && current != is.after) {
		/* later imports were applied since: only when all of them
		 * are undone is this one the last applied again */
		int64_t later = 0;

		if ((e = rone(c, R_LATER_APPLIED, ARGS(I(school_id), I(id)),
		              pg_fill_id, &later)) != ERR_OK)
			goto end;
		if (later != 0) {
			e = ERR_STATE;
			goto end;
		}
	}
	/* the import's row before the students' (the order of locks) */
	e = rexec(c, R_IMPORT_DECIDE,
	          ARGS(T(import_state_word(to)), I(now),
	               I(replay_dir > 0 ? current + 1 : is.after), I(id)),
	          NULL);
	if (e == ERR_OK && replay_dir != 0) {
		e = replay(c, school_id, id, replay_dir > 0, now, &rows);
		if (e == ERR_OK)
			e = rone(c, R_VERSION_BUMP, ARGS(I(school_id)),
			         pg_fill_id, &version);
		/* the school is locked: nobody else bumped it */
		if (e == ERR_OK && version != current + 1)
			e = ERR_CONFLICT;
	}
	if (e == ERR_OK) {
		snprintf(detail, sizeof(detail), "import %lld", (long long)id);
		e = pg_audit_row(c, who, ev[to], school_id, detail);
	}
	if (e == ERR_OK && replay_dir != 0)
		e = pg_feed_add(c, replay_dir > 0 ? FEED_APPLY : FEED_UNDO, now,
		                school_id, id, 0, false);
	/* tests only: a slow apply, as SQLite's sleeps per replayed row,
	 * here between the feed's step and the commit, where a step that
	 * was numbered out of commit order would show */
	if (e == ERR_OK && replay_dir != 0 && s->test_delay_us)
		usleep((useconds_t)(s->test_delay_us *
		                    (rows < 1000 ? rows : 1000)));
end:
	e = pg_end(c, e);
	if (e == ERR_OK)
		*state = to;
out:
	pg_release(c);
	return e;
}

enum err
pg_import_apply(struct store *st, const struct store_actor *who,
                int64_t school_id, int64_t id, int64_t now,
                enum import_state *state)
{
	return decide(st, who, school_id, id, now, IMPORT_PREVIEW,
	              IMPORT_APPLIED, 1, state);
}

enum err
pg_import_cancel(struct store *st, const struct store_actor *who,
                 int64_t school_id, int64_t id, int64_t now,
                 enum import_state *state)
{
	return decide(st, who, school_id, id, now, IMPORT_PREVIEW,
	              IMPORT_CANCELLED, 0, state);
}

enum err
pg_import_undo(struct store *st, const struct store_actor *who,
               int64_t school_id, int64_t id, int64_t now,
               enum import_state *state)
{
	return decide(st, who, school_id, id, now, IMPORT_APPLIED,
	              IMPORT_UNDONE, -1, state);
}

static void
fill_import(const PGresult *r, int row, void *out)
{
	struct import_rec *o = out;
	char word[16];

	memset(o, 0, sizeof(*o));
	o->id = pg_int(r, row, 0);
	o->school_id = pg_int(r, row, 1);
	o->account_id = pg_int(r, row, 2);
	pg_text(r, row, 3, o->actor, sizeof(o->actor));
	o->created = pg_int(r, row, 4);
	o->decided = pg_int(r, row, 5);
	pg_text(r, row, 6, word, sizeof(word));
	if (import_state_parse(word, &o->state) != ERR_OK)
		o->state = IMPORT__MAX;
	pg_text(r, row, 7, o->filename, sizeof(o->filename));
	o->size = pg_int(r, row, 8);
	pg_text(r, row, 9, o->sha256, sizeof(o->sha256));
	pg_text(r, row, 10, o->format, sizeof(o->format));
	pg_text(r, row, 11, o->layout, sizeof(o->layout));
	o->roster_version = pg_int(r, row, 12);
	o->guard = pg_int(r, row, 13) != 0;
	for (int k = 0; k <= CHANGE_UNCHANGED; k++)
		o->counts[k] = pg_int(r, row, 14 + k);
	o->counts[CHANGE_JAARGROEP] = pg_int(r, row, 30);
	o->counts[CHANGE_GROUP_NAME] = pg_int(r, row, 31);
	o->guard_unenrol = pg_int(r, row, 21) != 0;
	o->guard_match = pg_int(r, row, 22) != 0;
	o->active_before = pg_int(r, row, 23);
	o->matched = pg_int(r, row, 24);
	pg_text(r, row, 25, o->sheet, sizeof(o->sheet));
	o->header_row = pg_int(r, row, 26);
	o->errors = pg_int(r, row, 27);
	o->warnings = pg_int(r, row, 28);
	o->blocked = pg_int(r, row, 29) != 0;
	o->purged = pg_int(r, row, 32);
}

enum err
pg_import_get(struct store *st, int64_t school_id, int64_t id,
              struct import_rec *out)
{
	struct pg_conn *c = pg_acquire(S(st));
	enum err e;

	if (c == NULL)
		return ERR_DB;
	e = school_id
	            ? rone(c, R_IMPORT_GET, ARGS(I(id), I(school_id)),
	                   fill_import, out)
	            : rone(c, R_IMPORT_GET_ANY, ARGS(I(id)), fill_import, out);
	pg_release(c);
	return e;
}

enum err
pg_import_list(struct store *st, int64_t library_id, int64_t school_id,
               int limit, store_import_cb cb, void *arg)
{
	struct pg_conn *c = pg_acquire(S(st));
	struct import_rec *v = NULL;
	size_t n = 0;
	enum err e;

	if (c == NULL)
		return ERR_DB;
	e = school_id ? rcollect(c, R_IMPORT_LIST,
	                         ARGS(I(school_id), I((int64_t)limit)),
	                         sizeof(*v), fill_import, (void **)&v, &n)
	              : rcollect(c, R_IMPORT_LIST_ALL,
	                         ARGS(I(library_id), I((int64_t)limit)),
	                         sizeof(*v), fill_import, (void **)&v, &n);
	pg_release(c);
	for (size_t i = 0; e == ERR_OK && i < n && cb(&v[i], arg) == 0; i++)
		;
	free(v);
	return e;
}

/* import_changes' callback and its argument, for each journal row. */
struct change_walk {
	store_change_cb cb;
	void *arg;
	enum change_kind kind;
	struct student before, after;
};

static int
walk_change(const PGresult *r, int row, void *arg)
{
	struct change_walk *w = arg;

	pgr_row_change(r, row, 0, &w->kind, &w->before, &w->after);
	return w->cb(w->kind, w->kind == CHANGE_NEW ? NULL : &w->before,
	             w->kind == CHANGE_LEFT ? NULL : &w->after, w->arg);
}

enum err
pg_import_changes(struct store *st, int64_t id, store_change_cb cb, void *arg)
{
	struct pg_conn *c = pg_acquire(S(st));
	struct change_walk *w;
	enum err e;

	if (c == NULL)
		return ERR_DB;
	w = xmalloc(sizeof(*w));
	w->cb = cb;
	w->arg = arg;
	/* in a transaction: read through a cursor */
	e = pg_begin_as(c, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
	if (e == ERR_OK)
		e = pg_end(c, pgr_stream(c, rsql[R_CHANGES], ARGS(I(id)),
		                         walk_change, w));
	pg_release(c);
	free(w);
	return e;
}

static void
fill_column(const PGresult *r, int row, void *out)
{
	struct column_line *l = out;
	int64_t f = pg_int(r, row, 1);

	memset(l, 0, sizeof(*l));
	l->col = (uint32_t)pg_int(r, row, 0);
	l->field = f > 0 && f < ROSTER_F__MAX ? (enum roster_field)f
	                                      : ROSTER_F_NONE;
	l->stored = pg_int(r, row, 2) != 0;
	l->bsn = pg_int(r, row, 3) != 0;
	pg_text(r, row, 4, l->header, sizeof(l->header));
}

static void
fill_group(const PGresult *r, int row, void *out)
{
	struct group_line *g = out;

	memset(g, 0, sizeof(*g));
	pg_text(r, row, 0, g->key, sizeof(g->key));
	pg_text(r, row, 1, g->before, sizeof(g->before));
	pg_text(r, row, 2, g->after, sizeof(g->after));
	g->n_before = pg_int(r, row, 3);
	g->n_after = pg_int(r, row, 4);
	pg_text(r, row, 5, g->code, sizeof(g->code));
}

static void
fill_issue(const PGresult *r, int row, void *out)
{
	pgr_row_issue(r, row, 0, out);
}

/* The rows of statement which for import id, collected with fill. */
static enum err
import_rows(struct store *st, int64_t id, enum rstmt which, size_t elsize,
            void (*fill)(const PGresult *, int, void *), void **out, size_t *n)
{
	struct pg_conn *c = pg_acquire(S(st));
	enum err e;

	*out = NULL;
	*n = 0;
	if (c == NULL)
		return ERR_DB;
	e = rcollect(c, which, ARGS(I(id)), elsize, fill, out, n);
	pg_release(c);
	return e;
}

enum err
pg_import_columns(struct store *st, int64_t id, struct column_line **out,
                  size_t *n)
{
	return import_rows(st, id, R_COLUMNS, sizeof(**out), fill_column,
	                   (void **)out, n);
}

enum err
pg_import_groups(struct store *st, int64_t id, struct group_line **out,
                 size_t *n)
{
	return import_rows(st, id, R_GROUPS, sizeof(**out), fill_group,
	                   (void **)out, n);
}

enum err
pg_import_issues(struct store *st, int64_t id, store_issue_cb cb, void *arg)
{
	struct roster_issue *v;
	size_t n;
	enum err e;

	e = import_rows(st, id, R_ISSUES, sizeof(*v), fill_issue, (void **)&v,
	                &n);
	for (size_t i = 0; e == ERR_OK && i < n && cb(&v[i], arg) == 0; i++)
		;
	free(v);
	return e;
}

enum err
pg_purge(struct store *st, const struct store_actor *who,
         int64_t previews_before, int64_t left_before, struct purge_counts *out)
{
	struct pg_conn *c;
	int64_t now = time_now();
	enum err e;

	memset(out, 0, sizeof(*out));
	if ((c = pg_acquire(S(st))) == NULL)
		return ERR_DB;
	if ((e = pg_begin(c)) != ERR_OK)
		goto out;
	/* imports first, students after: the order of locks decide() keeps */
	e = pg_run(c, BULK_TIMEOUT);
	if (e == ERR_OK)
		e = rexec(c, R_EXPIRE, ARGS(I(now), I(previews_before)),
		          &out->previews);
	if (e == ERR_OK)
		e = rexec(c, R_EXPIRED_JOURNAL, NOARGS, NULL);
	/* the imports past their time: journal, report (cell texts), then
	 * the mark that also drops the file's name */
	if (e == ERR_OK)
		e = rexec(c, R_DUE_JOURNAL,
		          ARGS(I(previews_before), I(left_before)), NULL);
	if (e == ERR_OK)
		e = rexec(c, R_DUE_ISSUES,
		          ARGS(I(previews_before), I(left_before)), NULL);
	if (e == ERR_OK)
		e = rexec(c, R_DUE_MARK,
		          ARGS(I(previews_before), I(left_before), I(now)),
		          &out->imports);
	if (e == ERR_OK)
		e = rexec(c, R_ANONYMISE, ARGS(I(left_before)),
		          &out->anonymised);
	/* the journal has no index on student_id: scan it only when
	 * someone was anonymised just now */
	if (e == ERR_OK && out->anonymised > 0)
		e = rexec(c, R_ANONYMISE_JOURNAL, NOARGS, NULL);
	if (e == ERR_OK && out->previews + out->anonymised + out->imports > 0) {
		char detail[128];

		snprintf(detail, sizeof(detail),
		         "previews expired=%lld imports purged=%lld"
		         " students anonymised=%lld",
		         (long long)out->previews, (long long)out->imports,
		         (long long)out->anonymised);
		e = pg_audit_row(c, who, AUDIT_PURGE, 0, detail);
	}
	e = pg_end(c, e);
	if (e != ERR_OK)
		memset(out, 0, sizeof(*out));
out:
	pg_release(c);
	return e;
}
