/*
 * The SQLite backend's change feed (store.h, "The change feed").
 *
 * A step (feed_events row) is written in the transaction that applies or
 * undoes an import or erases a pupil.  Its entries are not copied: they are
 * the import's journal rows, read through the step, so the purge and an
 * erasure that blank the journal blank the feed with it and no personal
 * data lives twice.  An erasure's step is one entry of its own (seq 0).
 * Step numbers come from AUTOINCREMENT under SQLite's single writer, so
 * they grow in commit order and are never given twice.
 */
#include <stdlib.h>
#include <string.h>

#include "sqlite_int.h"
#include "../base/mem.h"

/* An entry: the step, the journal row (NULL for an erasure). */
#define FEED_COLS                                                              \
	"e.id, coalesce(c.seq, 0), e.event, e.at, e.school_id,"                \
	" coalesce(e.import_id, 0), e.erased_id, e.was_active, " SQ_CHANGE_COLS

enum fstmt { F_ADD, F_LIST, F_REST, F_HEAD, F__MAX };
_Static_assert(F__MAX <= SQ_CACHE, "raise SQ_CACHE");

static const char *const fsql[F__MAX] = {
	[F_ADD] = "INSERT INTO feed_events (at, event, library_id, school_id,"
	          " import_id, erased_id, was_active)"
	          " SELECT ?1, ?2, library_id, id, nullif(?4, 0), ?5, ?6"
	          " FROM schools WHERE id = ?3",
	/* the steps after step ?3, in order */
	[F_LIST] = "SELECT " FEED_COLS " FROM feed_events e"
	           " LEFT JOIN import_changes c ON c.import_id = e.import_id"
	           " WHERE e.library_id = ?1 AND (?2 = 0 OR e.school_id = ?2)"
	           " AND e.id > ?3 AND (e.event = 'erase' OR c.seq IS NOT NULL)"
	           " ORDER BY e.id, c.seq LIMIT ?5",
	/* the rest of step ?3 after seq ?4: apart, so that a page in the
	 * middle of a large import starts at its seq in the journal's key
	 * instead of reading the import from its first row */
	[F_REST] = "SELECT " FEED_COLS " FROM feed_events e"
	           " JOIN import_changes c ON c.import_id = e.import_id"
	           " WHERE e.id = ?3 AND e.library_id = ?1"
	           " AND (?2 = 0 OR e.school_id = ?2) AND c.seq > ?4"
	           " ORDER BY c.seq LIMIT ?5",
	[F_HEAD] = "SELECT e.id, coalesce((SELECT max(seq) FROM import_changes"
	           "  WHERE import_id = e.import_id), 0)"
	           " FROM feed_events e ORDER BY e.id DESC LIMIT 1",
};

static struct sqlite_store *
S(struct store *st)
{
	return (struct sqlite_store *)st;
}

static sqlite3_stmt *
fquery(struct sqlite_store *s, enum fstmt id, const struct sq_arg *args,
       size_t n)
{
	return sq_bind(s, &s->fstmts[id], fsql[id], args, n);
}

enum err
sq_feed_add(struct sqlite_store *s, enum feed_event ev, int64_t at,
            int64_t school_id, int64_t import_id, int64_t student_id,
            bool was_active)
{
	enum err e = sq_exec(s, &s->fstmts[F_ADD], fsql[F_ADD],
	                     ARGS(I(at), T(feed_event_word(ev)), I(school_id),
	                          I(import_id), I(student_id),
	                          I((int64_t)was_active)));

	return e == ERR_OK && sqlite3_changes(s->db) != 1 ? ERR_NOTFOUND : e;
}

static void
fill_entry(sqlite3_stmt *q, void *out)
{
	struct feed_entry *f = out;
	char word[16];

	memset(f, 0, sizeof(*f));
	f->pos.event = sqlite3_column_int64(q, 0);
	f->pos.seq = sqlite3_column_int64(q, 1);
	sq_col_text(q, 2, word, sizeof(word));
	if (!feed_event_parse(word, &f->event))
		f->event = FEED__MAX;
	f->at = sqlite3_column_int64(q, 3);
	f->school_id = sqlite3_column_int64(q, 4);
	f->import_id = sqlite3_column_int64(q, 5);
	if (f->event == FEED_ERASE) {
		f->kind = CHANGE__MAX;
		f->pupil_id = sqlite3_column_int64(q, 6);
		f->before.id = f->after.id = f->pupil_id;
		f->before.jaargroep = f->after.jaargroep = JAARGROEP_UNKNOWN;
		f->has_before = sqlite3_column_int(q, 7) != 0;
		return;
	}
	sq_row_change(q, 8, &f->kind, &f->before, &f->after);
	f->pupil_id = f->before.id;
	feed_entry_finish(f);
}

enum err
sq_feed_list(struct store *st, int64_t library_id, int64_t school_id,
             struct feed_pos from, int limit, store_feed_cb cb, void *arg)
{
	struct sqlite_store *s = S(st);
	struct feed_entry *v = NULL, *more = NULL;
	size_t n = 0, m = 0;
	enum err e = ERR_OK;

	LOCK(s);
	if ((e = sq_run(s, "BEGIN")) != ERR_OK)
		goto unlock;
	if (from.event > 0)
		e = sq_collect(
		        fquery(s, F_REST,
		               ARGS(I(library_id), I(school_id), I(from.event),
		                    I(from.seq), I(limit))),
		        sizeof(*v), fill_entry, (void **)&v, &n);
	if (e == ERR_OK && n < (size_t)limit)
		e = sq_collect(
		        fquery(s, F_LIST,
		               ARGS(I(library_id), I(school_id), I(from.event),
		                    I(0), I(limit - (int)n))),
		        sizeof(*v), fill_entry, (void **)&more, &m);
	sq_run(s, "COMMIT");
unlock:
	UNLOCK(s);
	if (e == ERR_OK && m > 0) {
		v = xrealloc(v, (n + m) * sizeof(*v));
		memcpy(v + n, more, m * sizeof(*v));
		n += m;
	}
	for (size_t i = 0; e == ERR_OK && i < n && cb(&v[i], arg) == 0; i++)
		;
	free(v);
	free(more);
	return e;
}

static void
fill_pos(sqlite3_stmt *q, void *out)
{
	struct feed_pos *p = out;

	p->event = sqlite3_column_int64(q, 0);
	p->seq = sqlite3_column_int64(q, 1);
}

/* The head, with s->lock held. */
static enum err
head(struct sqlite_store *s, struct feed_pos *out)
{
	struct feed_pos *v;
	size_t n;
	enum err e = sq_collect(fquery(s, F_HEAD, NOARGS), sizeof(*v), fill_pos,
	                        (void **)&v, &n);

	if (e == ERR_OK && n == 1)
		*out = v[0];
	free(v);
	return e;
}

enum err
sq_feed_head(struct store *st, struct feed_pos *out)
{
	struct sqlite_store *s = S(st);
	enum err e;

	LOCK(s);
	e = head(s, out);
	UNLOCK(s);
	return e;
}

enum err
sq_roster_snapshot(struct store *st, int64_t school_id, struct student **out,
                   size_t *n, int64_t *version, struct feed_pos *pos)
{
	struct sqlite_store *s = S(st);
	enum err e;

	*out = NULL;
	*n = 0;
	LOCK(s);
	if ((e = sq_run(s, "BEGIN")) == ERR_OK) {
		e = sq_roster_read(s, school_id, out, n, version);
		if (e == ERR_OK && (e = head(s, pos)) != ERR_OK) {
			free(*out);
			*out = NULL;
			*n = 0;
		}
		sq_run(s, "COMMIT");
	}
	UNLOCK(s);
	return e;
}
