/*
 * Internals shared by the PostgreSQL backend's roster files (pg_roster.c:
 * students and imports; pg_pupil.c: one pupil; pg_feed.c: the change feed):
 * how a student, a journal row and a report line are read from a result,
 * the one way a journal row is blanked, and the two bulk paths that large
 * imports need (a result read row by row, rows written with COPY).  Mirrors
 * the part of sqlite_int.h those files use.  Not for use outside
 * src/store/.
 */
#ifndef BIEBSYNC_STORE_PG_ROSTER_INT_H
#define BIEBSYNC_STORE_PG_ROSTER_INT_H

#include "pg_int.h"
#include "../base/buf.h"

/* The key of the session-level advisory lock under which staging takes a
 * block of student ids (pg_roster.c), beside pg_int.h's PG_LOCK_*. */
#define PGR_LOCK_IDS 6268503

/* A student's 13 columns (pgr_row_student). */
#define PGR_STUDENT_COLS                                                       \
	"id, number, number_key, roepnaam, tussenvoegsel, achternaam, birth,"  \
	" group_name, group_key, jaargroep, active, enrolled, left_at"

/* A journal row's columns (pgr_row_change): its kind, the student before
 * and after (the same id in both). */
#define PGR_CHANGE_COLS                                                        \
	"kind, student_id, row, old_number, old_number_key, old_roepnaam,"     \
	" old_tussenvoegsel, old_achternaam, old_birth, old_group,"            \
	" old_group_key, old_jaargroep, old_active, old_enrolled,"             \
	" old_left_at, new_number, new_number_key, new_roepnaam,"              \
	" new_tussenvoegsel, new_achternaam, new_birth, new_group,"            \
	" new_group_key, new_jaargroep"

/*
 * The one way a journal row loses its pupil (as SQ_JOURNAL_BLANK):
 * student id, row and every value blanked, only the kind (and the import
 * and order) left.  Followed by the condition saying which rows.
 */
#define PGR_JOURNAL_BLANK                                                      \
	"UPDATE import_changes SET student_id = 0, row = 0,"                   \
	" old_number = '', old_number_key = '', old_roepnaam = '',"            \
	" old_tussenvoegsel = '', old_achternaam = '', old_birth = 0,"         \
	" old_group = '', old_group_key = '', old_jaargroep = -1,"             \
	" old_active = 0, old_enrolled = 0, old_left_at = 0,"                  \
	" new_number = '', new_number_key = '', new_roepnaam = '',"            \
	" new_tussenvoegsel = '', new_achternaam = '', new_birth = 0,"         \
	" new_group = '', new_group_key = '', new_jaargroep = -1 WHERE"

/* Readers: a student from the 13 columns starting at col; a journal row
 * from col on; a report line from col on (code, row, col, arg, text,
 * name, number, other, layout). */
void pgr_row_student(const PGresult *r, int row, int col, struct student *o);
void pgr_row_change(const PGresult *r, int row, int col, enum change_kind *kind,
                    struct student *before, struct student *after);
void pgr_row_issue(const PGresult *r, int row, int col,
                   struct roster_issue *is);

/*
 * Run sql (a declared statement's text) with the n args on c and hand each
 * row (row of r) to each as it arrives, so that a roster or a journal of a
 * million rows never sits in memory as one result: through a cursor, FETCH
 * by FETCH, so only inside a transaction (else ERR_INVALID).  A non-zero
 * return of each stops the delivery.  ERR_OK, or why the query failed.
 */
enum err pgr_stream(struct pg_conn *c, const char *sql,
                    const struct pg_arg *args, size_t n,
                    int (*each)(const PGresult *r, int row, void *arg),
                    void *arg);

/*
 * Rows for COPY ... FROM STDIN in text format, gathered in b and sent in
 * chunks: a row is pgr_copy_text/pgr_copy_int calls, then pgr_copy_end.
 * Text is escaped (backslash, tab, newline, carriage return), so a value
 * is always data, never a delimiter or a command: what bound parameters
 * give a statement.
 */
struct pgr_copy {
	struct pg_conn *c;
	struct buf b;
	bool first; /* the next value starts a row */
	enum err e; /* sticky */
};

/* Start the COPY statement sql (no parameters) on c, in a transaction. */
enum err pgr_copy_begin(struct pgr_copy *w, struct pg_conn *c, const char *sql);
void pgr_copy_text(struct pgr_copy *w, const char *s);
void pgr_copy_int(struct pgr_copy *w, int64_t v);
void pgr_copy_end(struct pgr_copy *w);
/* Finish the COPY; *rows (may be NULL) gets the rows written. */
enum err pgr_copy_finish(struct pgr_copy *w, int64_t *rows);

#endif
