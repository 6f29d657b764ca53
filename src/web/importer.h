/*
 * The import service: from a file's bytes to a staged preview of what would
 * change, in the steps of DESIGN.md (read the file, validate, compare with
 * the roster, save the preview).  The website and the command line both use
 * it, so an upload and `biebsync import` can never disagree.  It lives here
 * because it is the lowest layer that may use sheet/, roster/ and store/
 * together; src/cli/ includes it.
 */
#ifndef BIEBSYNC_WEB_IMPORTER_H
#define BIEBSYNC_WEB_IMPORTER_H

#include "../auth/token.h"
#include "../roster/book.h"
#include "../roster/diff.h"
#include "../store/store.h"

struct preview_opts {
	struct sheet_limits lim;
	struct roster_opts ro;
	struct diff_limits dl;
};

struct preview {
	struct roster_file file;  /* students and validation report */
	struct roster_source src; /* format and sheet */
	struct student *roster;   /* the school's roster when compared */
	size_t nroster;
	struct plan plan;          /* points into file and roster */
	char sha[TOKEN_HASH_SIZE]; /* of the file's bytes */
	size_t size;               /* of the file */
	struct sheet_error err;    /* why an unreadable file was refused */
};

/*
 * Read len bytes at data as school_id's student list and compare it with
 * the school's roster.  ERR_INVALID or ERR_LIMIT: not a readable student
 * list (p->err.problem says why, sheet_problem_text() in words); ERR_DB: the
 * roster could not be read.  Release p in every case.
 */
enum err preview_build(struct store *st, int64_t school_id, const void *data,
                       size_t len, const struct preview_opts *o,
                       struct preview *p);

/*
 * Save p as a preview of school_id's import of filename, with its summary
 * and validation report; fills *rec (rec->id is the preview's id).
 */
enum err preview_stage(struct store *st, const struct store_actor *who,
                       int64_t school_id, const char *filename,
                       struct preview *p, struct import_rec *rec);

/* Free what p holds.  Accepts NULL. */
void preview_release(struct preview *p);

#endif
