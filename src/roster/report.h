/*
 * The validation report of a student list: issue codes, their severity,
 * whether they block the import, and the sentences that explain them.
 *
 * One table (report.c) holds, per code, Dutch and English sentences that
 * say what is wrong and how to fix it.  An issue about a pupil's row names
 * the place and the pupil, says what is wrong with the cell's value in it
 * and how to fix it in the school's administration system when the file's
 * layout says which one (ParnasSys, ESIS, Dotcom; "je administratiepakket"
 * for EDEXML), in a spreadsheet otherwise:
 *
 *   rij 4 – Finn Meijer (6003): geboortedatum 31-02-2015 bestaat niet.
 *   Pas de geboortedatum van deze leerling aan in ParnasSys en maak de
 *   export opnieuw.
 *
 * An issue carries the cell's text (cut to ROSTER_ISSUE_TEXT bytes) and the
 * pupil's name and number (cut likewise): personal data, shown to that
 * school and to library staff, stored with the import and purged with it,
 * never written to logs.
 *
 * Blocking codes stop the import as a whole (a missing, invalid or
 * duplicate student number could otherwise unenrol a child); other errors
 * only keep that row's student as they are.
 */
#ifndef BIEBSYNC_ROSTER_REPORT_H
#define BIEBSYNC_ROSTER_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/buf.h"
#include "../base/err.h"
#include "../base/lang.h"
#include "header.h"

#define ROSTER_ISSUE_TEXT   48 /* bytes of a cell's text kept in an issue */
#define ROSTER_ISSUE_NAME   64 /* bytes of a pupil's name kept in an issue */
#define ROSTER_ISSUE_NUMBER 20 /* = STUDENT_NUMBER_MAX (model.h) */

enum roster_severity {
	ROSTER_SEV_ERROR,
	ROSTER_SEV_WARNING,
	ROSTER_SEV_INFO,
};

enum roster_code {
	/* the file as a whole */
	ROSTER_E_NO_HEADER,     /* arg: enum roster_need bits missing */
	ROSTER_E_NUMBER_IS_BSN, /* the number column holds BSNs */
	ROSTER_E_TOO_MANY_ROWS, /* arg: the limit */
	ROSTER_E_NO_STUDENTS,   /* a header but no student rows */
	/* student numbers: block the import */
	ROSTER_E_NUMBER_MISSING,   /* */
	ROSTER_E_NUMBER_DUPLICATE, /* arg: the row of the first one */
	ROSTER_E_NUMBER_TOO_LONG,  /* */
	ROSTER_E_NUMBER_NOT_EXACT, /* fraction, negative, > 2^53, "1,2E+15";
	                              arg: ROSTER_ARG_XML or 0 */
	ROSTER_E_NUMBER_INVALID,   /* an Excel error, a date or yes/no */
	/* the rest of a row: the student stays as they are */
	ROSTER_E_DATE_IMPOSSIBLE, /* no such day (31-02-2015, 12/31/2015) */
	ROSTER_E_DATE_INVALID,    /* not written as a date */
	ROSTER_E_BIRTH_EMPTY,     /* */
	ROSTER_E_BIRTH_FUTURE,    /* */
	ROSTER_E_NAME_EMPTY,      /* */
	ROSTER_E_NAME_INCOMPLETE, /* roepnaam or achternaam missing */
	ROSTER_E_GROUP_EMPTY,     /* */
	ROSTER_E_TOO_LONG,        /* arg: the most bytes the field holds */
	ROSTER_E_CELL_ERROR,      /* an Excel error value such as #N/A, or
	                             text that cannot be read; arg:
	                             ROSTER_ARG_XML or 0 */
	/* warnings */
	ROSTER_W_AGE,               /* arg: the age on the reference date */
	ROSTER_W_NUMBER_SHORT,      /* arg: the usual number of digits */
	ROSTER_W_GROUP_CHANGES,     /* no longer given (the preview's group
	                               table shows the code); kept so that
	                               stored reports still read */
	ROSTER_W_SAME_PERSON,       /* arg: the row of the other number */
	ROSTER_W_JAARGROEP_INVALID, /* not 0-8: jaargroep unknown */
	ROSTER_W_ROW_IGNORED,       /* no number, birth date nor group */
	/* information */
	ROSTER_I_COLUMN_DROPPED,     /* text: the header */
	ROSTER_I_BSN_COLUMN_DROPPED, /* text: the header */
	ROSTER_I_ROEPNAAM_DERIVED,   /* no roepnaam: taken from the voornamen
	                                (arg 0) or the voorletters (arg
	                                ROSTER_ARG_INITIALS); text: the
	                                name as it is kept */
	ROSTER_CODE__MAX
};

/* The arg of codes whose sentence depends on where the file came from:
 * it is XML (EDEXML), which Excel never touched, so the sentence does not
 * blame Excel. */
#define ROSTER_ARG_XML 1
/* The arg of ROSTER_I_ROEPNAAM_DERIVED when the voorletters were used. */
#define ROSTER_ARG_INITIALS 1

/*
 * One line of the report.  name, number and other are filled by the reader
 * for issues about a pupil's row (empty for the file, a column or a row
 * that is not a pupil's); layout is the file's, so that a line can say
 * where to fix it.
 */
struct roster_issue {
	enum roster_code code;
	uint32_t row;              /* Excel row; 0: the file as a whole */
	uint32_t col;              /* 1-based column; 0: the row as a whole */
	int64_t arg;               /* see the code */
	enum roster_layout layout; /* of the file */
	char text[ROSTER_ISSUE_TEXT + 1]; /* the cell (or header) text, cut */
	/* the pupil: "Roepnaam tussenvoegsel Achternaam" as the row has them
	 * (also when the row is invalid), and the leerlingnummer when it is
	 * a valid one; cut */
	char name[ROSTER_ISSUE_NAME + 1];
	char number[ROSTER_ISSUE_NUMBER + 1];
	/* ROSTER_E_NUMBER_DUPLICATE: the name of the pupil in the arg's row */
	char other[ROSTER_ISSUE_NAME + 1];
};

enum roster_severity roster_code_severity(enum roster_code c);
bool roster_code_blocks(enum roster_code c);
/* The stable lowercase name of a code ("number_duplicate"), for JSON. */
const char *roster_code_name(enum roster_code c);
/* The code with that name; false when there is none. */
bool roster_code_parse(const char *name, enum roster_code *out);
/* The sentence for a code in lang, on its own (without a value or a
 * pupil).  Never NULL.  Some codes have a second sentence for an arg that
 * says so (see the codes); this is the first. */
const char *roster_code_text(enum roster_code c, enum lang lang);
/* The sentence for an issue on its own: roster_code_text(), or the second
 * one where the issue's arg chooses it.  Never NULL. */
const char *roster_issue_text(const struct roster_issue *is, enum lang lang);

/* Call cb with every pair of Dutch and English texts of the report (the
 * sentences of each code and the words around them), key counting from 0,
 * and NULL where a code has no such text; for the tests, which check that
 * both languages are there with the same printf conversions. */
typedef void (*roster_text_cb)(const char *what, int key, const char *nl,
                               const char *en, void *arg);
void roster_report_texts(roster_text_cb cb, void *arg);

/* Column number to letters: 1 -> "A", 28 -> "AB".  out needs 8 bytes. */
void roster_col_name(uint32_t col, char *out, size_t outsz);

/* Flags of roster_issue_say(). */
enum {
	ROSTER_SAY_COLUMN = 1 << 0,   /* the place names the column too:
	                                 "rij 6, kolom E – Finn Meijer: ..."
	                                 (always without a pupil) */
	ROSTER_SAY_NO_PLACE = 1 << 1, /* no row or column (a report with
	                                 columns of their own): "Finn Meijer
	                                 (6003): ..." */
};

/*
 * Append one issue as a line of text to b, in lang:
 *
 *   rij 4 – Finn Meijer (6003): geboortedatum 31-02-2015 bestaat niet.
 *   Pas de geboortedatum van deze leerling aan in ParnasSys en maak de
 *   export opnieuw.
 *
 * The place (see the flags), the pupil when known (name, number or both),
 * what is wrong with the value in it, what the arg adds ("(zie rij 3:
 * Eva Jansen)"), and how to fix it: in the administration system of the
 * issue's layout, else in the spreadsheet.  An issue without a pupil or a
 * value (the file, a column, a legacy code) is "rij 3, kolom B: <the
 * sentence> (waarde: "...")".  Holds personal data: for the school and
 * library staff, never for logs.  Returns b's error.
 */
enum err roster_issue_say(struct buf *b, const struct roster_issue *is,
                          enum lang lang, unsigned flags);
/* roster_issue_say() with ROSTER_SAY_COLUMN: the command line's form. */
enum err roster_issue_format(struct buf *b, const struct roster_issue *is,
                             enum lang lang);

#endif
