/*
 * Placeholders for the PostgreSQL backend's roster side (students,
 * imports, purge, one pupil, the change feed), built in parallel in
 * pg_roster.c and its neighbours: each fails with ERR_DB and says so in
 * the log.  DELETE THIS FILE when those files are merged; it only lets
 * pg.c link and be tested on its own until then.
 */
#include "pg_int.h"
#include "../base/log.h"

static enum err
pending(const char *what)
{
	log_error(NULL, "postgresql: %s is not built yet", what);
	return ERR_DB;
}

enum err
pg_roster_read(struct pg_conn *c, int64_t school_id, struct student **out,
               size_t *n, int64_t *version)
{
	(void)c, (void)school_id, (void)out, (void)n, (void)version;
	return pending("roster_read");
}

enum err
pg_roster_load(struct store *st, int64_t school_id, struct student **out,
               size_t *n, int64_t *version)
{
	(void)st, (void)school_id, (void)out, (void)n, (void)version;
	return pending("roster_load");
}

enum err
pg_import_stage(struct store *st, const struct store_actor *who,
                struct import_rec *rec, const struct plan *plan,
                const struct import_extra *x)
{
	(void)st, (void)who, (void)rec, (void)plan, (void)x;
	return pending("import_stage");
}

enum err
pg_import_columns(struct store *st, int64_t id, struct column_line **out,
                  size_t *n)
{
	(void)st, (void)id, (void)out, (void)n;
	return pending("import_columns");
}

enum err
pg_import_groups(struct store *st, int64_t id, struct group_line **out,
                 size_t *n)
{
	(void)st, (void)id, (void)out, (void)n;
	return pending("import_groups");
}

enum err
pg_import_issues(struct store *st, int64_t id, store_issue_cb cb, void *arg)
{
	(void)st, (void)id, (void)cb, (void)arg;
	return pending("import_issues");
}

enum err
pg_import_apply(struct store *st, const struct store_actor *who,
                int64_t school_id, int64_t id, int64_t now,
                enum import_state *state)
{
	(void)st, (void)who, (void)school_id, (void)id, (void)now, (void)state;
	return pending("import_apply");
}

enum err
pg_import_cancel(struct store *st, const struct store_actor *who,
                 int64_t school_id, int64_t id, int64_t now,
                 enum import_state *state)
{
	(void)st, (void)who, (void)school_id, (void)id, (void)now, (void)state;
	return pending("import_cancel");
}

enum err
pg_import_undo(struct store *st, const struct store_actor *who,
               int64_t school_id, int64_t id, int64_t now,
               enum import_state *state)
{
	(void)st, (void)who, (void)school_id, (void)id, (void)now, (void)state;
	return pending("import_undo");
}

enum err
pg_import_get(struct store *st, int64_t school_id, int64_t id,
              struct import_rec *out)
{
	(void)st, (void)school_id, (void)id, (void)out;
	return pending("import_get");
}

enum err
pg_import_list(struct store *st, int64_t library_id, int64_t school_id,
               int limit, store_import_cb cb, void *arg)
{
	(void)st, (void)library_id, (void)school_id, (void)limit, (void)cb,
	        (void)arg;
	return pending("import_list");
}

enum err
pg_import_changes(struct store *st, int64_t id, store_change_cb cb, void *arg)
{
	(void)st, (void)id, (void)cb, (void)arg;
	return pending("import_changes");
}

enum err
pg_purge(struct store *st, const struct store_actor *who,
         int64_t previews_before, int64_t left_before, struct purge_counts *out)
{
	(void)st, (void)who, (void)previews_before, (void)left_before,
	        (void)out;
	return pending("purge");
}

enum err
pg_pupil_get(struct store *st, int64_t id, struct student *out,
             int64_t *school_id)
{
	(void)st, (void)id, (void)out, (void)school_id;
	return pending("pupil_get");
}

enum err
pg_pupil_changes(struct store *st, int64_t id, struct pupil_change **out,
                 size_t *n)
{
	(void)st, (void)id, (void)out, (void)n;
	return pending("pupil_changes");
}

enum err
pg_pupil_issues(struct store *st, int64_t id, struct pupil_issue **out,
                size_t *n)
{
	(void)st, (void)id, (void)out, (void)n;
	return pending("pupil_issues");
}

enum err
pg_pupil_erase(struct store *st, const struct store_actor *who,
               int64_t school_id, int64_t id, struct pupil_erasure *out)
{
	(void)st, (void)who, (void)school_id, (void)id, (void)out;
	return pending("pupil_erase");
}

enum err
pg_feed_add(struct pg_conn *c, enum feed_event ev, int64_t at,
            int64_t school_id, int64_t import_id, int64_t student_id,
            bool was_active)
{
	(void)c, (void)ev, (void)at, (void)school_id, (void)import_id,
	        (void)student_id, (void)was_active;
	return pending("feed_add");
}

enum err
pg_feed_list(struct store *st, int64_t library_id, int64_t school_id,
             struct feed_pos from, int limit, store_feed_cb cb, void *arg)
{
	(void)st, (void)library_id, (void)school_id, (void)from, (void)limit,
	        (void)cb, (void)arg;
	return pending("feed_list");
}

enum err
pg_feed_head(struct store *st, struct feed_pos *out)
{
	(void)st, (void)out;
	return pending("feed_head");
}

enum err
pg_roster_snapshot(struct store *st, int64_t school_id, struct student **out,
                   size_t *n, int64_t *version, struct feed_pos *head)
{
	(void)st, (void)school_id, (void)out, (void)n, (void)version,
	        (void)head;
	return pending("roster_snapshot");
}
