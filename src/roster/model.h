/*
 * The import's data model, shared by roster/ (which builds it from a file)
 * and store/ (which loads and saves it): a student as the library keeps one,
 * the kinds of change an import can make, and the change plan.
 *
 * A struct student is fixed-size so that a roster of a million students is
 * one allocation; every text field is NUL-terminated valid UTF-8 in NFC and
 * fits its array (longer input is a validation error, never truncated in
 * silence).  Dates are integers yyyymmdd (0: unknown).
 */
#ifndef BIEBSYNC_ROSTER_MODEL_H
#define BIEBSYNC_ROSTER_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/lang.h"

#define STUDENT_NUMBER_MAX 20 /* bytes */
#define STUDENT_FIRST_MAX  40 /* roepnaam */
#define STUDENT_PREFIX_MAX 16 /* tussenvoegsel */
#define STUDENT_LAST_MAX   56 /* achternaam */
#define STUDENT_GROUP_MAX  40 /* group as the school writes it */

#define JAARGROEP_UNKNOWN (-1)

struct student {
	int64_t id;       /* the library's stable id; 0 for a file row */
	int64_t enrolled; /* roster: when enrolled (seconds) */
	int64_t left_at;  /* roster: when unenrolled; 0 while active */
	int32_t row;      /* Excel row number in the file; 0 in the roster */
	int32_t birth;    /* yyyymmdd; 0 unknown */
	int8_t jaargroep; /* 0-8, or JAARGROEP_UNKNOWN */
	bool active;      /* roster: enrolled now */
	bool has_error;   /* file: the row has an error; keep the student */
	char number[STUDENT_NUMBER_MAX + 1];     /* as written by the school */
	char number_key[STUDENT_NUMBER_MAX + 1]; /* what numbers match on */
	char roepnaam[STUDENT_FIRST_MAX + 1];
	char tussenvoegsel[STUDENT_PREFIX_MAX + 1];
	char achternaam[STUDENT_LAST_MAX + 1];
	char group[STUDENT_GROUP_MAX + 1];     /* display form */
	char group_key[STUDENT_GROUP_MAX + 1]; /* what groups compare on */
};

/*
 * The kinds of change; the words are stored, so never renumber.  A group is
 * the same group when its key is (see norm_group_key()), so "3", "Groep 3"
 * and "groep 3" are one group: writing it differently is CHANGE_GROUP_NAME,
 * shown once for the group, never as a change of each student.
 */
enum change_kind {
	CHANGE_NEW,       /* nieuw: enrol */
	CHANGE_LEFT,      /* uitgeschreven: unenrol (kept, marked left) */
	CHANGE_MOVED,     /* nieuwe groep: another group key */
	CHANGE_CORRECTED, /* gegevens gewijzigd: number spelling, name, birth */
	CHANGE_REENROLLED, /* herinschrijving: a former student returns */
	CHANGE_RENUMBERED, /* nieuw leerlingnummer: same child, new number */
	CHANGE_UNCHANGED,  /* ongewijzigd */
	CHANGE_JAARGROEP,  /* same group, another jaargroep (1/2A: 1 -> 2) */
	CHANGE_GROUP_NAME, /* only the group's spelling changed ("3" -> "groep
	                      3"): listed per group, not per student */
	CHANGE__MAX
};

/* The order in which pages and reports list the kinds. */
extern const enum change_kind change_order[CHANGE__MAX];

/* Is a student of kind k listed one by one?  Not the unchanged ones, nor
 * those whose group was only written differently. */
bool change_listed(enum change_kind k);

struct change {
	enum change_kind kind;
	const struct student *before; /* roster state; NULL for CHANGE_NEW */
	const struct student *after;  /* file row; NULL for CHANGE_LEFT */
};

/*
 * A change plan: what applying a file to a roster does.  It points into the
 * file's and the roster's student arrays, which must outlive it.  Unchanged
 * students are counted but not listed.
 */
struct plan {
	struct change *changes;
	size_t nchanges;
	size_t counts[CHANGE__MAX];
	size_t active_before;   /* active students in the roster */
	size_t matched;         /* of those, found in the file (by number
	                           with a name or the birth date in common,
	                           or renumbered) */
	size_t kept;            /* rows with errors whose student stays as is */
	int64_t roster_version; /* the roster the plan was computed from */
	bool guard_unenrol;     /* unenrols an unusually large share */
	bool guard_match;       /* hardly matches the roster */
};

/* The stored word for a kind ("new", "left", ...) and back. */
const char *change_word(enum change_kind k);
bool change_parse(const char *word, enum change_kind *out);

/* What people call a kind: "nieuw", "uitgeschreven", "nieuwe groep", ... */
const char *change_label(enum change_kind k, enum lang lang);

/* "Roepnaam tussenvoegsel Achternaam" into out. */
void student_name(const struct student *s, char *out, size_t outsz);

/* Free the plan's changes; the plan can be reused.  Accepts NULL. */
void plan_release(struct plan *p);

#endif
