/*
 * The diff: compare a school's validated file with its roster and produce
 * the change plan (model.h), following DESIGN.md's table:
 *
 *   in the file, not in the roster              nieuw
 *   active in the roster, not in the file       uitgeschreven
 *   in both, another group key                  nieuwe groep
 *   in both, same group, number spelling, name
 *     or birth date corrected                   gegevens gewijzigd
 *   in both, same group, another jaargroep      zelfde groep, andere
 *                                               jaargroep
 *   in both, only the group written differently groepsnaam anders
 *                                               geschreven (per group)
 *   number of a former student                  herinschrijving
 *   new number, but name + birth date equal one
 *     active student missing from the file      nieuw leerlingnummer
 *   identical                                   ongewijzigd
 *
 * Before comparing, a matched file row takes from the roster what the file
 * does not say or only writes differently: the roster's spelling of the
 * same number (the same key: with or without leading zeros), and the
 * roster's jaargroep when the file's is unknown for the same group.  So an
 * export with or without leading zeros or without a jaargroep column
 * changes nothing.  Every listed change has at
 * least one field whose shown value differs (change_fields()).
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
 * must outlive p; matched file rows are completed from the roster as said
 * above.  The roster's number_keys must be unique, the file's too
 * (duplicates are validation errors that block the import before this).
 */
void diff_build(struct plan *p, struct student *file, size_t nfile,
                const struct student *roster, size_t nroster,
                int64_t roster_version, const struct diff_limits *lim);

/* true if a and b hold the same number (as written), names and birth
 * date. */
bool student_same_person_data(const struct student *a, const struct student *b);

/* One field whose shown value a change alters, both values as shown
 * (dates dd-mm-jjjj, an unknown jaargroep "-"). */
struct field_change {
	enum change_field {
		FIELD_NUMBER,
		FIELD_ROEPNAAM,
		FIELD_TUSSENVOEGSEL,
		FIELD_ACHTERNAAM,
		FIELD_BIRTH,
		FIELD_GROUP,
		FIELD_JAARGROEP,
		FIELD__MAX
	} field;
	char before[STUDENT_LAST_MAX + 1];
	char after[STUDENT_LAST_MAX + 1];
};

/* The fields whose shown values differ between before and after, into out
 * (FIELD__MAX entries); returns how many.  The group counts only when its
 * key differs: another spelling of the same group is no student's change. */
size_t change_fields(const struct student *before, const struct student *after,
                     struct field_change *out);

/* What people call a field: "leerlingnummer", "geboortedatum", ... */
const char *change_field_label(enum change_field f, enum lang lang);

#endif
