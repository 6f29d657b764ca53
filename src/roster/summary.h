/*
 * What a preview shows besides the students' changes, as data kept with
 * the import (store.h saves it in tables): how the file's columns were
 * used, and each group with its students before and after, its name as the
 * roster and the file write it, and the code the library system will give
 * it.  Pure.
 */
#ifndef BIEBSYNC_ROSTER_SUMMARY_H
#define BIEBSYNC_ROSTER_SUMMARY_H

#include "diff.h"
#include "export.h"
#include "header.h"

struct column_line {
	uint32_t col;            /* 1-based */
	enum roster_field field; /* ROSTER_F_NONE: not used */
	bool stored;             /* its content is kept */
	bool bsn;                /* a BSN column: read, never kept */
	char header[ROSTER_HEADER_TEXT + 1];
};

struct group_line {
	char key[STUDENT_GROUP_MAX + 1];
	char before[STUDENT_GROUP_MAX + 1]; /* the roster's name; "" if new */
	char after[STUDENT_GROUP_MAX + 1];  /* the file's name; "" if gone */
	int64_t n_before, n_after;          /* active students */
	char code[GROUP_CODE_MAX + 1];      /* in the library system ("" if
	                                       the group is gone) */
};

/* The columns of header h, as a malloc'ed array (free() it); *n set. */
struct column_line *summary_columns(const struct roster_header *h, size_t *n);

/*
 * The groups before and after plan p, whose before pointers point into
 * roster (n students), as a malloc'ed array in natural order of their
 * names ("Groep 2" before "Groep 10"); *ngroups set.  Every active student
 * counts before in their group; after, in their new group unless they
 * leave, plus new and re-enrolled students.
 */
struct group_line *summary_groups(const struct plan *p,
                                  const struct student *roster, size_t n,
                                  size_t *ngroups);

/* true if g is a group that is only written differently now. */
bool group_renamed(const struct group_line *g);

#endif
