/*
 * Normalising the values of a student list: text, comparison keys, student
 * numbers, dates, groups and jaargroepen, names.  These are the rules that
 * decide when two spellings are "the same" (DESIGN.md, "Understanding the
 * file"), kept in one place so that the reader, the exports and the tests
 * agree.
 *
 * Everything here is pure: no allocation, no I/O, no clock (today's date is
 * a parameter).  Output goes into caller buffers of a stated size and is
 * always NUL-terminated.  Input text is UTF-8; text that is not valid UTF-8
 * (the sheet reader never yields it) is refused or has its invalid bytes
 * replaced, as each function says.  Text longer than NORM_TEXT_MAX code
 * points is "too long" for every purpose here.
 */
#ifndef BIEBSYNC_ROSTER_NORM_H
#define BIEBSYNC_ROSTER_NORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/err.h"

#define NORM_TEXT_MAX 1024 /* code points any normaliser looks at */

/*
 * Clean a cell's text for storing: control characters and no-break spaces
 * become spaces, spaces are trimmed and collapsed to one, the result is in
 * NFC.  Returns ERR_OK, ERR_LIMIT when the result needs more than outsz - 1
 * bytes (out is then ""), or ERR_INVALID when s is not valid UTF-8.
 */
enum err norm_text(const char *s, size_t len, char *out, size_t outsz);

/* What norm_fold() removes besides case and accents. */
enum norm_fold {
	NORM_FOLD_KEEP,   /* keep everything else */
	NORM_FOLD_SPACES, /* remove white space */
	NORM_FOLD_ALNUM,  /* keep only letters and digits */
};

/*
 * A comparison key: compatibility-decomposed, case-folded, accents
 * stripped, NFC, with what mode says removed.  Invalid UTF-8 bytes become
 * '?'.  A key that does not fit is cut at a code point boundary.  Returns
 * the key's length.
 */
size_t norm_fold(const char *s, size_t len, enum norm_fold mode, char *out,
                 size_t outsz);

/*
 * Student numbers.  A number cell holds a student number exactly when it is
 * an integer in [0, 2^53]; then its digits (no ".0", no exponent) are
 * written and true returned.
 */
bool norm_number_from_double(double v, char *out, size_t outsz);

/* The key numbers match on: a digit string without its leading zeros ("0"
 * for all zeros), anything else case-folded without spaces. */
void norm_number_key(const char *number, char *key, size_t keysz);

/* true if s is all ASCII digits (and not empty). */
bool norm_all_digits(const char *s);

/* The 11-test of a 9-digit BSN or onderwijsnummer.  digits must be
 * exactly 9 ASCII digits; all zeros fails. */
bool norm_elfproef(const char *digits);

/* true if s looks like a BSN or onderwijsnummer: 9 digits, or 8 when
 * short8 (a number cell that lost its leading zero), passing the 11-test. */
bool norm_looks_bsn(const char *s, bool short8);

/*
 * Dates are int32 yyyymmdd.  Text is read in Dutch order only: d-m-jjjj,
 * d/m/jjjj, d.m.jjjj (day and month one or two digits, year two or four),
 * jjjj-mm-dd, and "14 maart 2015" / "14-mrt-2015" with Dutch month names; a
 * time of day after the date is ignored.  A two-digit year is 20yy unless
 * that is after today's year, then 19yy (a primary-school child is never
 * older than 100 nor born in the future).  US order (12/31/2015) is never
 * tried: it reads as month 31, an impossible date.
 */
enum norm_date {
	NORM_DATE_OK,
	NORM_DATE_NOT_A_DATE, /* not written as any accepted form */
	NORM_DATE_IMPOSSIBLE, /* a form, but no such day (31-02-2015) */
};

enum norm_date norm_date_text(const char *s, int32_t today, int32_t *out);
/* A calendar date, years 1900-2100. */
enum norm_date norm_date_ymd(int y, int m, int d, int32_t *out);
/* An Excel serial day (1900 date system) from 1950 to 2100, or an integer
 * written as yyyymmdd; false for anything else. */
bool norm_date_number(double v, int32_t *out);
/* Whole years between birth and today (negative if birth is later). */
int norm_age(int32_t birth, int32_t today);
/* Write a yyyymmdd date as "dd-mm-jjjj" ("-" for 0); out needs 11 bytes. */
void norm_date_fmt(int32_t date, char *out, size_t outsz);

/*
 * Groups.  The key is case-folded without spaces, with a leading "groep" or
 * "klas" (or "gr"/"gr." before a digit) removed unless nothing would remain:
 * "Groep 5/6a", "groep 5/6A", "Klas 5/6a" and "5/6a" share the key "5/6a".
 */
void norm_group_key(const char *group, char *key, size_t keysz);

/*
 * The jaargroep a group or jaargroep text names: one digit 0-8, optionally
 * after "groep" and before letters only ("Groep 3b" -> 3, "8" -> 8, "Groep 0"
 * -> 0).  A combination ("1/2", "groep 3-4") or a name without a digit
 * ("Instroom", "Zonnebloem") is JAARGROEP_UNKNOWN (returned as -1).  Returns
 * -2 when the text has one number that is not 0-8 ("9", "Groep 10").
 */
int norm_jaargroep(const char *text);

/*
 * Names.  A tussenvoegsel is a run of the lowercase-compared words van, de,
 * der, den, het, 't, te, ten, ter, ... (table in norm.c); it is kept as the
 * school wrote it.
 */
#define NORM_NAME_MAX 256
struct norm_name {
	char roepnaam[NORM_NAME_MAX];
	char tussenvoegsel[NORM_NAME_MAX];
	char achternaam[NORM_NAME_MAX];
	bool comma; /* written "Achternaam, Roepnaam tussenvoegsel" */
	bool fits;  /* false: a part was longer than NORM_NAME_MAX - 1 */
};

/*
 * Split one cleaned full name.  "Berg, Jan van den" (Dotcom) gives Jan /
 * van den / Berg; "Jan van den Berg" the same; without a tussenvoegsel the
 * last word is the achternaam ("Anne Fleur Jansen").  One word is an
 * achternaam without roepnaam.
 */
void norm_split_name(const char *name, struct norm_name *out);

/* Split leading tussenvoegsel words off an achternaam ("van Dijk" -> "van"
 * + "Dijk"), leaving at least one word.  prefix and rest need
 * NORM_NAME_MAX bytes. */
void norm_split_prefix(const char *achternaam, char *prefix, char *rest);

/* true if the n bytes at w are a tussenvoegsel word. */
bool norm_is_prefix_word(const char *w, size_t n);

#endif
