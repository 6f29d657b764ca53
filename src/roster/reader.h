/*
 * Reading a student list: rows of cells in, a validated list of students
 * and a validation report out (DESIGN.md, "Understanding the file").
 *
 * The reader is a row consumer so that the caller decides where rows come
 * from (src/sheet/ in the program, arrays of cells in the tests):
 *
 *   struct roster_probe p;                     (header.h)
 *   roster_probe_init(&p);
 *   ... roster_probe_row(&p, row) for the first rows of each sheet; keep
 *       the probe with the highest p.best.score ...
 *   r = roster_reader_new(&opts);
 *   roster_reader_header(r, &p);
 *   ... roster_reader_row(r, row) for every row of that sheet ...
 *   roster_reader_finish(r, &file);  roster_reader_free(r);
 *   ... use file ...; roster_file_release(&file);
 *
 * Rows at or above the header row are skipped, so the same sheet can simply
 * be read again from the top.  roster_read_rows() does all of this for an
 * array of rows.
 *
 * Guarantees of the result: students' number_keys are unique (a later
 * duplicate is reported and left out; the first is kept with has_error);
 * every student has a valid number; a student without a roepnaam has the
 * first of the voornamen, else the voorletters, when the header has such
 * columns (reported as information); a student with has_error must be kept
 * as they are by the diff; a row with an error and no valid number is not
 * in the list (and blocks the import).  Text is NFC, trimmed, with single
 * spaces; nothing is cut to fit: too long is an error.  When the number
 * column holds BSNs the list is emptied (and wiped) and only the refusal
 * is reported.  Issues are sorted by row, then column; an issue about a
 * pupil's row names the pupil (report.h), and every issue carries the
 * file's layout.
 *
 * Pure: no I/O, no clock (today's date is an option), no globals that
 * change.  Memory: one struct student per row (capped by max_students) and
 * one issue per problem (capped by max_issues; the rest are counted).
 */
#ifndef BIEBSYNC_ROSTER_READER_H
#define BIEBSYNC_ROSTER_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "header.h"
#include "model.h"
#include "report.h"
#include "../sheet/sheet.h"

struct roster_opts {
	int32_t today; /* yyyymmdd: reference date (ages, 2-digit years) */
	size_t max_students;      /* rows read at most; more is an error */
	size_t max_issues;        /* issues kept; more are only counted */
	int min_age, max_age;     /* plausible ages for a primary school */
	enum sheet_format format; /* where the rows come from, when known
	                             (roster_read_bytes sets it): EDEXML is
	                             never Excel's work, so no message blames
	                             Excel and short numbers are no sign of
	                             lost zeros; UNKNOWN: a spreadsheet */
};

/* Defaults: 2,000,000 students, 100,000 issues, ages 3-14. */
void roster_opts_default(struct roster_opts *o, int32_t today);

struct roster_file {
	struct student *students; /* in file order */
	size_t nstudents;
	struct roster_issue *issues; /* sorted by row, col */
	size_t nissues;
	size_t issues_omitted;          /* beyond max_issues */
	size_t count[ROSTER_CODE__MAX]; /* per code, omitted ones included */
	size_t nerrors, nwarnings;      /* likewise */
	bool blocked; /* a blocking issue: the import may not be applied */
	struct roster_header header;   /* mapping, columns and their use,
	                                  the layout */
	struct roster_preview preview; /* the first rows, for a file without
	                                  a usable header */
	size_t rows;                   /* rows read below the header */
	size_t ignored;                /* of those, empty or skipped (totals) */
};

/* Free what f holds; f can be reused.  Accepts NULL. */
void roster_file_release(struct roster_file *f);

struct roster_reader;

/* A new reader (copies *o).  Never NULL. */
struct roster_reader *roster_reader_new(const struct roster_opts *o);
/* Use the probe's best header (copied).  Without this call, or when the
 * header is not usable, rows are ignored and the result is refused. */
void roster_reader_header(struct roster_reader *r,
                          const struct roster_probe *p);
/* Read one row.  ERR_OK, or ERR_LIMIT when max_students is passed (stop
 * reading; finish still gives a complete report). */
enum err roster_reader_row(struct roster_reader *r,
                           const struct sheet_row *row);
/* Hand the result to *out (which is overwritten; release it later).  The
 * reader can only be freed afterwards. */
void roster_reader_finish(struct roster_reader *r, struct roster_file *out);
/* Accepts NULL. */
void roster_reader_free(struct roster_reader *r);

/* Probe the first rows, then read all n rows into *out. */
void roster_read_rows(const struct sheet_row *rows, size_t n,
                      const struct roster_opts *o, struct roster_file *out);

#endif
