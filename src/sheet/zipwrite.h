/*
 * A small zip writer into memory: the files of an export (OneRoster's CSV
 * set) packed into one .zip that any unzip tool and the reader in zip.h
 * open.
 *
 * Entries are deflated with zlib, or stored when deflate would not make
 * them smaller; names are ASCII and sit at the root.  No zip64: an entry
 * or archive that does not fit 32-bit sizes, more than 65535 entries, or
 * an archive beyond the cap of out is ERR_LIMIT.  The result depends only
 * on the names, contents and mtime given, never on the clock.
 */
#ifndef BIEBSYNC_SHEET_ZIPWRITE_H
#define BIEBSYNC_SHEET_ZIPWRITE_H

#include <stdint.h>

#include "../base/buf.h"

struct zipwrite {
	struct buf *out;   /* the archive, appended to; owned by the caller */
	struct buf cd;     /* the central directory, until zipwrite_finish */
	unsigned n;        /* entries written */
	uint16_t dos_time; /* mtime of every entry, MS-DOS format */
	uint16_t dos_date;
	enum err err; /* first failure, sticky */
};

/* Start an archive at the end of out; mtime (Unix seconds, UTC) is every
 * entry's modification time. */
void zipwrite_init(struct zipwrite *z, struct buf *out, int64_t mtime);

/* Add one file. */
enum err zipwrite_add(struct zipwrite *z, const char *name, const void *data,
                      size_t len);

/* Append the central directory and its end record; frees what the writer
 * holds.  Returns the first error of the whole archive. */
enum err zipwrite_finish(struct zipwrite *z);

/* Free what the writer holds without finishing (after a failure).
 * Accepts NULL. */
void zipwrite_release(struct zipwrite *z);

#endif
