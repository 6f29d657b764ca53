/*
 * What a preview shows besides the changes, kept with the import so the
 * preview and history pages can show it later: the column mapping and the
 * number of students per group before and after.  A summary is plain text,
 * one record a line, fields separated by tabs (no field holds a tab: header
 * texts and group names are normalised text):
 *
 *   C <col> <field|-> <stored: 1|0> <bsn: 1|0> <header text>
 *   G <group display name> <before> <after>
 *
 * Groups come in natural order ("Groep 2" before "Groep 10").  Pure.
 */
#ifndef BIEBSYNC_ROSTER_SUMMARY_H
#define BIEBSYNC_ROSTER_SUMMARY_H

#include "diff.h"
#include "header.h"
#include "../base/buf.h"

/* Write the summary of header h and plan p (whose before pointers point
 * into roster, n students) to out. */
void summary_write(struct buf *out, const struct roster_header *h,
                   const struct plan *p, const struct student *roster,
                   size_t n);

struct summary_column {
	uint32_t col;
	enum roster_field field;
	bool stored, bsn;
	const char *header;
};

struct summary_group {
	const char *name;
	long before, after;
};

/* Call col() and group() for each record of text (modified in place:
 * tabs and newlines become NULs). */
void summary_each(char *text,
                  void (*col)(const struct summary_column *, void *),
                  void (*group)(const struct summary_group *, void *),
                  void *arg);

#endif
