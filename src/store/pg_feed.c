/*
 * The PostgreSQL backend's change feed (store.h, "The change feed"), with
 * the behaviour of the SQLite backend's feed.c: a step (feed_events row) is
 * written in the transaction that applies or undoes an import or erases a
 * pupil, and its entries are the import's journal rows read through it.
 *
 * Steps must be numbered in commit order, so that a follower that has read
 * up to step N never later finds a step below N committed after it read.
 * An identity column alone does not give that: two transactions take ids
 * 7 and 8, and 8 may commit (and be read) before 7 does.  So pg_feed_add
 * first takes a transaction-level advisory lock with one fixed key
 * (PG_LOCK_FEED, the same on every server), then inserts: the lock is held
 * until the transaction ends, so the next step's id is taken only after
 * this one has committed (or rolled back, leaving a gap, which is fine:
 * positions only have to grow).  Callers record the step as the last thing
 * before COMMIT, so the feed's lock is held only for that moment.
 *
 * Readers need no lock: a snapshot that sees step N sees every step
 * before it, since those committed before N's id was taken.
 */
#include <stdlib.h>
#include <string.h>

#include "pg_roster_int.h"
#include "../base/mem.h"

/* An entry: the step, the journal row (NULL for an erasure). */
#define FEED_COLS                                                              \
	"e.id, coalesce(c.seq, 0), e.event, e.at, e.school_id,"                \
	" coalesce(e.import_id, 0), e.erased_id, e.was_active, c.kind,"        \
	" c.student_id, c.row, c.old_number, c.old_number_key,"                \
	" c.old_roepnaam, c.old_tussenvoegsel, c.old_achternaam,"              \
	" c.old_birth, c.old_group, c.old_group_key, c.old_jaargroep,"         \
	" c.old_active, c.old_enrolled, c.old_left_at, c.new_number,"          \
	" c.new_number_key, c.new_roepnaam, c.new_tussenvoegsel,"              \
	" c.new_achternaam, c.new_birth, c.new_group, c.new_group_key,"        \
	" c.new_jaargroep"

enum fstmt { F_LOCK, F_ADD, F_LIST, F_REST, F_HEAD, F__MAX };
_Static_assert(F__MAX <= PG_CACHE, "raise PG_CACHE");

static const char *const fsql[F__MAX] = {
	/* the feed's lock, to the end of the transaction */
	[F_LOCK] = "SELECT pg_advisory_xact_lock($1)",
	[F_ADD] = "INSERT INTO feed_events (at, event, library_id, school_id,"
	          " import_id, erased_id, was_active)"
	          " SELECT $1, $2, library_id, id, nullif($4, 0), $5, $6"
	          " FROM schools WHERE id = $3",
	/* the steps after step $3, in order */
	[F_LIST] = "SELECT " FEED_COLS " FROM feed_events e"
	           " LEFT JOIN import_changes c ON c.import_id = e.import_id"
	           " WHERE e.library_id = $1 AND ($2 = 0 OR e.school_id = $2)"
	           " AND e.id > $3 AND (e.event = 'erase' OR c.seq IS NOT NULL)"
	           " ORDER BY e.id, c.seq LIMIT $4",
	/* the rest of step $3 after seq $4: apart, so that a page in the
	 * middle of a large import starts at its seq in the journal's key */
	[F_REST] = "SELECT " FEED_COLS " FROM feed_events e"
	           " JOIN import_changes c ON c.import_id = e.import_id"
	           " WHERE e.id = $3 AND e.library_id = $1"
	           " AND ($2 = 0 OR e.school_id = $2) AND c.seq > $4"
	           " ORDER BY c.seq LIMIT $5",
	[F_HEAD] = "SELECT e.id, coalesce((SELECT max(seq) FROM import_changes"
	           "  WHERE import_id = e.import_id), 0)"
	           " FROM feed_events e ORDER BY e.id DESC LIMIT 1",
};

static struct pg_store *
S(struct store *st)
{
	return (struct pg_store *)st;
}

enum err
pg_feed_add(struct pg_conn *c, enum feed_event ev, int64_t at,
            int64_t school_id, int64_t import_id, int64_t student_id,
            bool was_active)
{
	int64_t added = 0;
	enum err e;

	e = pg_exec(c, PG_SET_FEED, F_LOCK, fsql[F_LOCK], ARGS(I(PG_LOCK_FEED)),
	            NULL);
	if (e == ERR_OK)
		e = pg_exec(c, PG_SET_FEED, F_ADD, fsql[F_ADD],
		            ARGS(I(at), T(feed_event_word(ev)), I(school_id),
		                 I(import_id), I(student_id),
		                 I((int64_t)was_active)),
		            &added);
	return e == ERR_OK && added != 1 ? ERR_NOTFOUND : e;
}

static void
fill_entry(const PGresult *r, int row, void *out)
{
	struct feed_entry *f = out;
	char word[16];

	memset(f, 0, sizeof(*f));
	f->pos.event = pg_int(r, row, 0);
	f->pos.seq = pg_int(r, row, 1);
	pg_text(r, row, 2, word, sizeof(word));
	if (!feed_event_parse(word, &f->event))
		f->event = FEED__MAX;
	f->at = pg_int(r, row, 3);
	f->school_id = pg_int(r, row, 4);
	f->import_id = pg_int(r, row, 5);
	if (f->event == FEED_ERASE) {
		f->kind = CHANGE__MAX;
		f->pupil_id = pg_int(r, row, 6);
		f->before.id = f->after.id = f->pupil_id;
		f->before.jaargroep = f->after.jaargroep = JAARGROEP_UNKNOWN;
		f->has_before = pg_int(r, row, 7) != 0;
		return;
	}
	pgr_row_change(r, row, 8, &f->kind, &f->before, &f->after);
	f->pupil_id = f->before.id;
	feed_entry_finish(f);
}

enum err
pg_feed_list(struct store *st, int64_t library_id, int64_t school_id,
             struct feed_pos from, int limit, store_feed_cb cb, void *arg)
{
	struct pg_conn *c = pg_acquire(S(st));
	struct feed_entry *v = NULL, *more = NULL;
	size_t n = 0, m = 0;
	enum err e;

	if (c == NULL)
		return ERR_DB;
	/* both queries from one snapshot */
	e = pg_begin_as(c, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
	if (e == ERR_OK && from.event > 0)
		e = pg_collect(c, PG_SET_FEED, F_REST, fsql[F_REST],
		               ARGS(I(library_id), I(school_id), I(from.event),
		                    I(from.seq), I(limit)),
		               sizeof(*v), fill_entry, (void **)&v, &n);
	if (e == ERR_OK && n < (size_t)limit)
		e = pg_collect(c, PG_SET_FEED, F_LIST, fsql[F_LIST],
		               ARGS(I(library_id), I(school_id), I(from.event),
		                    I(limit - (int64_t)n)),
		               sizeof(*v), fill_entry, (void **)&more, &m);
	e = pg_end(c, e);
	pg_release(c);
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
fill_pos(const PGresult *r, int row, void *out)
{
	struct feed_pos *p = out;

	p->event = pg_int(r, row, 0);
	p->seq = pg_int(r, row, 1);
}

/* The head on c: {0, 0} when the feed is empty. */
static enum err
head(struct pg_conn *c, struct feed_pos *out)
{
	enum err e = pg_one(c, PG_SET_FEED, F_HEAD, fsql[F_HEAD], NOARGS,
	                    fill_pos, out);

	return e == ERR_NOTFOUND ? ERR_OK : e;
}

enum err
pg_feed_head(struct store *st, struct feed_pos *out)
{
	struct pg_conn *c = pg_acquire(S(st));
	enum err e;

	if (c == NULL)
		return ERR_DB;
	e = head(c, out);
	pg_release(c);
	return e;
}

enum err
pg_roster_snapshot(struct store *st, int64_t school_id, struct student **out,
                   size_t *n, int64_t *version, struct feed_pos *pos)
{
	struct pg_conn *c = pg_acquire(S(st));
	enum err e;

	*out = NULL;
	*n = 0;
	if (c == NULL)
		return ERR_DB;
	/* the roster and the head from one snapshot: the roster as it was
	 * at the head, since steps commit in their order */
	e = pg_begin_as(c, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
	if (e == ERR_OK) {
		e = pg_roster_read(c, school_id, out, n, version);
		if (e == ERR_OK)
			e = head(c, pos);
		e = pg_end(c, e);
	}
	pg_release(c);
	if (e != ERR_OK) {
		free(*out);
		*out = NULL;
		*n = 0;
	}
	return e;
}
