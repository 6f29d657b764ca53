/*
 * The diff: compare a school's validated file with its roster and produce
 * the change plan (model.h), following DESIGN.md's table:
 *
 *   in the file, not in the roster              nieuw
 *   active in the roster, not in the file       uitgeschreven
 *   in both, other group (or jaargroep)         nieuwe groep
 *   in both, same group, name/birth corrected   gegevens gewijzigd
 *   number of a former student                  herinschrijving
 *   new number, but name + birth date equal one
 *     active student missing from the file      nieuw leerlingnummer
 *   identical                                   ongewijzigd
 *
 * Numbers match on number_key.  A file row with an error whose number
 * matches a student keeps that student exactly as they are (never
 * unenrolled because of a typo); a row with an error and an unknown number
 * changes nothing.  Renumbering needs an unambiguous match: when two
 * students share name and birth date, nothing is guessed.
 *
 * Pure: no I/O; O(n) expected time with hash indexes.
 */
#ifndef BIEBSYNC_ROSTER_DIFF_H
#define BIEBSYNC_ROSTER_DIFF_H

#include "model.h"

struct diff_limits {
	unsigned unenrol_pct; /* guard when unenrolling more than this share */
	unsigned match_pct;   /* guard when matching less than this share */
	size_t guard_min;     /* guards apply from this many active students */
};

#define DIFF_LIMITS_DEFAULT                                                    \
	{                                                                      \
		30, 50, 20                                                     \
	}

/*
 * Build plan p (which must be zeroed or released) from nfile file rows and
 * nroster roster students (active and former) of one school.  Both arrays
 * must outlive p.  The roster's number_keys must be unique, the file's too
 * (duplicates are validation errors that block the import before this).
 */
void diff_build(struct plan *p, const struct student *file, size_t nfile,
                const struct student *roster, size_t nroster,
                int64_t roster_version, const struct diff_limits *lim);

/* true if a and b hold the same personal data (names and birth date). */
bool student_same_person_data(const struct student *a, const struct student *b);

#endif
