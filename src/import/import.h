/*
 * The import: the one layer between the store and the outer layers (web,
 * api, cli) that turns a school's file into a preview and a preview into
 * an applied, cancelled or undone import.  Every rule lives here: the
 * options built from the configuration, the steps of DESIGN.md (read,
 * validate, compare, stage), the state machine (preview -> applied ->
 * undone, preview -> cancelled or expired) and what may be confirmed (never
 * a blocked preview, never a stale one, a guard only when confirmed).  The
 * outer layers only render what these functions return.
 */
#ifndef BIEBSYNC_IMPORT_IMPORT_H
#define BIEBSYNC_IMPORT_IMPORT_H

#include "sandboxed.h"
#include "../roster/book.h"
#include "../roster/diff.h"
#include "../roster/summary.h"
#include "../store/store.h"

/* The [imports] part of the configuration. */
struct import_config {
	uint64_t max_upload;         /* bytes of a file */
	uint64_t preview_ttl;        /* seconds an unconfirmed preview lives */
	uint64_t retention;          /* seconds before leavers are anonymised */
	struct diff_limits guards;   /* when a preview needs a confirmation */
	uint64_t processing_days;    /* working days the library takes to
	                                take an import over (shown to the
	                                school); 0: not said */
	struct reader_limits reader; /* the sandboxed reader's limits */
};

/* The defaults: 10 MB, 24 hours, 365 days, DIFF_LIMITS_DEFAULT,
 * reader_limits_default(). */
void import_config_defaults(struct import_config *c);

/* A file read and compared with a school's roster, staged or not. */
struct import_preview {
	struct import_rec rec;    /* what is (or would be) stored; rec.id 0
	                             until staged */
	struct roster_file file;  /* students and validation report */
	struct roster_source src; /* format and sheet */
	struct student *roster;   /* the school's roster when compared */
	size_t nroster;
	struct plan plan; /* points into file and roster */
	struct column_line *columns;
	size_t ncolumns;
	struct group_line *groups;
	size_t ngroups;
	struct sheet_error err; /* why an unreadable file was refused */
};

/*
 * Read len bytes at data, the file filename (its base name is kept) of
 * school_id, in a sandboxed child (sandboxed.h), and compare it with the
 * school's roster.  ERR_INVALID or
 * ERR_LIMIT: not a readable student list (p->err says why: see
 * sheet_problem_text()); ERR_DB: the roster could not be read.  Release p
 * in every case.
 */
enum err import_read(struct store *st, const struct import_config *cfg,
                     int64_t school_id, const char *filename, const void *data,
                     size_t len, struct import_preview *p);

/* Save p as a preview (sets p->rec.id). */
enum err import_stage(struct store *st, const struct store_actor *who,
                      struct import_preview *p);

/* Free what p holds.  Accepts NULL. */
void import_preview_release(struct import_preview *p);

/* true if p's file can be applied but changes no student. */
bool import_nothing_changes(const struct import_rec *rec);

/* What a decision came to. */
enum import_outcome {
	IMPORT_OK,           /* done */
	IMPORT_BLOCKED,      /* the file has errors that forbid applying */
	IMPORT_GUARD_NEEDED, /* a guard tripped and was not confirmed */
	IMPORT_STALE,        /* the roster changed since the preview */
	IMPORT_EXPIRED_NOW,  /* the preview is older than preview_ttl */
	IMPORT_NOT_PREVIEW,  /* already applied, cancelled, expired, undone */
	IMPORT_NOT_LAST,     /* undo: not the last applied import */
	IMPORT_NONE,         /* undo: no applied import to undo */
	IMPORT_NOT_FOUND,    /* no such import at this school */
	IMPORT_DB_FULL,      /* the disk or database is full */
	IMPORT_DB_BUSY,      /* the database stayed locked */
	IMPORT_FAILED,       /* another database error */
	IMPORT_PURGED, /* undo: its pupils were removed after the retention */
	IMPORT_OUTCOME__MAX
};

/*
 * May rec be confirmed now?  IMPORT_OK, or the reason it may not: not a
 * preview, blocked, expired (created before now - preview_ttl), a guard
 * that guard_confirmed does not confirm.  import_confirm() checks this
 * first; a caller may check it before staging.
 */
enum import_outcome import_may_confirm(const struct import_config *cfg,
                                       const struct import_rec *rec,
                                       bool guard_confirmed, int64_t now);

/* Apply preview id of school_id, if import_may_confirm() allows it and the
 * roster is still the one it was computed from (else IMPORT_STALE).  *rec
 * is the import as found (before the decision). */
enum import_outcome
import_confirm(struct store *st, const struct import_config *cfg,
               const struct store_actor *who, int64_t school_id, int64_t id,
               bool guard_confirmed, struct import_rec *rec);

/* Cancel preview id of school_id. */
enum import_outcome import_cancel(struct store *st,
                                  const struct store_actor *who,
                                  int64_t school_id, int64_t id,
                                  struct import_rec *rec);

/* Undo import id of school_id (0: its last applied import), which must be
 * the last applied one and not purged (IMPORT_PURGED: its pupils were
 * removed after the retention, there is nothing left to restore). */
enum import_outcome import_undo(struct store *st, const struct store_actor *who,
                                int64_t school_id, int64_t id,
                                struct import_rec *rec);

/* The id of school_id's last applied import, or 0. */
int64_t import_last_applied(struct store *st, int64_t school_id);

/* The purge at now (store_purge): previews and undone imports after
 * preview_ttl, applied imports and leavers after the retention. */
enum err import_purge(struct store *st, const struct import_config *cfg,
                      const struct store_actor *who, int64_t now,
                      struct purge_counts *out);

/* What an outcome means for the person who asked, with what to do. */
const char *import_outcome_text(enum import_outcome o, enum lang lang);

/* The store's errors as outcomes. */
enum import_outcome import_outcome_of(enum err e);

#endif
