/*
 * From a file's bytes to a validated student list: open the workbook
 * (src/sheet/), choose the worksheet whose header matches best (the first
 * ROSTER_PROBE_ROWS rows of each), and read it with the roster reader.
 * Pure, like the layers it joins: bytes and options in, results out.
 */
#ifndef BIEBSYNC_ROSTER_BOOK_H
#define BIEBSYNC_ROSTER_BOOK_H

#include "reader.h"

/* What was read. */
struct roster_source {
	enum sheet_format format;
	int sheet;            /* index of the sheet used, -1: none */
	char sheet_name[128]; /* its name, cut to fit */
	size_t sheets;        /* sheets in the workbook */
};

/*
 * Read the len bytes at data.  On ERR_OK *out holds the students and the
 * report (check out->blocked) and *src what was read.  A file that is not
 * a readable spreadsheet gives ERR_INVALID or ERR_LIMIT with e->problem
 * saying why (sheet_problem_text() for the school); *out is then empty.
 */
enum err roster_read_bytes(const void *data, size_t len,
                           const struct sheet_limits *lim,
                           const struct roster_opts *opts,
                           struct roster_file *out, struct roster_source *src,
                           struct sheet_error *e);

#endif
