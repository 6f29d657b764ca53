/*
 * The result of roster_read_bytes() as bytes: how a sandboxed reader
 * (src/import/sandboxed.c) hands what it read to the server.
 *
 * Compact: integers as LEB128 varints (signed ones zigzag), strings as one
 * length byte and the bytes (every field fits in 255), so a million
 * students are about 60 MB instead of 280.  The decoder trusts nothing:
 * the bytes may come from a child that a hostile file took over.  Every
 * count is bounded by the caller's options and by the bytes left, every
 * enum is in range, every string fits its field, holds no NUL and is valid
 * UTF-8, and the stream must end exactly with its end mark; anything else
 * is refused as a whole and leaves nothing allocated.  Pure: no I/O.
 */
#ifndef BIEBSYNC_ROSTER_WIRE_H
#define BIEBSYNC_ROSTER_WIRE_H

#include "book.h"

/* What roster_read_bytes() gave: its return value and its three outputs. */
struct wire_result {
	enum err err;
	struct sheet_error e;
	struct roster_source src;
	struct roster_file file; /* empty unless err is ERR_OK */
};

/* Append r to b.  Returns b's error (ERR_LIMIT when b's cap is reached). */
enum err wire_encode(const struct wire_result *r, struct buf *b);

/*
 * Decode the len bytes at p into *out, with at most opts->max_students
 * students and opts->max_issues issues.  ERR_OK, or ERR_INVALID for
 * anything malformed (then *out is zeroed and owns nothing).  Release
 * out->file with roster_file_release().
 */
enum err wire_decode(const void *p, size_t len, const struct roster_opts *opts,
                     struct wire_result *out);

#endif
