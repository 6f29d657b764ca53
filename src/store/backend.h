/*
 * The contract between store.c and a database backend: a table of
 * operations mirroring store.h one to one.  A backend allocates a struct
 * that begins with struct store (so a pointer to it is a struct store *)
 * and sets ops.  Only store.c calls through this table.
 */
#ifndef BIEBSYNC_STORE_BACKEND_H
#define BIEBSYNC_STORE_BACKEND_H

#include "store.h"

struct store_ops {
	void (*close)(struct store *);
	int (*schema_version)(struct store *);
	enum err (*library_add)(struct store *, struct library *);
	enum err (*library_get)(struct store *, int64_t, struct library *);
	enum err (*library_by_slug)(struct store *, const char *,
	                            struct library *);
	enum err (*library_list)(struct store *, store_library_cb, void *);
	enum err (*library_update)(struct store *, const struct library *);
	enum err (*school_add)(struct store *, struct school *);
	enum err (*school_update)(struct store *, const struct school *);
	enum err (*school_get)(struct store *, int64_t, struct school *);
	enum err (*school_by_slug)(struct store *, const char *,
	                           struct school *);
	enum err (*school_list)(struct store *, int64_t, store_school_cb,
	                        void *);
	enum err (*school_overview)(struct store *, int64_t, store_overview_cb,
	                            void *);
	enum err (*school_overview_get)(struct store *, int64_t,
	                                struct school_overview *);
	enum err (*account_add)(struct store *, struct account *);
	enum err (*account_get)(struct store *, int64_t, struct account *);
	enum err (*account_by_name)(struct store *, const char *,
	                            struct account *);
	enum err (*account_list)(struct store *, int64_t, store_account_cb,
	                         void *);
	enum err (*account_set_password)(struct store *, int64_t, const char *,
	                                 bool, int64_t);
	enum err (*account_set_disabled)(struct store *, int64_t, bool);
	enum err (*account_set_totp)(struct store *, int64_t, const char *,
	                             const char *, int64_t);
	enum err (*account_totp_step)(struct store *, int64_t, int64_t);
	enum err (*recovery_set)(struct store *, int64_t, const char (*)[65],
	                         size_t);
	enum err (*recovery_use)(struct store *, int64_t, const char *);
	enum err (*recovery_count)(struct store *, int64_t, int64_t *);
	enum err (*account_logged_in)(struct store *, int64_t, int64_t);
	enum err (*session_add)(struct store *, const struct session *);
	enum err (*session_get)(struct store *, const char *, struct session *);
	enum err (*session_touch)(struct store *, const char *, int64_t);
	enum err (*session_delete)(struct store *, const char *);
	enum err (*session_delete_account)(struct store *, int64_t,
	                                   const char *);
	enum err (*session_purge)(struct store *, int64_t, int64_t);
	enum err (*throttle_get)(struct store *, const char *, int64_t *,
	                         int64_t *);
	enum err (*throttle_fail)(struct store *, const char *, int64_t,
	                          int64_t, int64_t *);
	enum err (*throttle_clear)(struct store *, const char *);
	enum err (*throttle_purge)(struct store *, int64_t);
	enum err (*throttle_take)(struct store *, struct throttle_key *, size_t,
	                          const struct throttle_rule *, int64_t);
	enum err (*throttle_release)(struct store *,
	                             const struct throttle_key *, int64_t);
	enum err (*audit_add)(struct store *, struct audit_entry *);
	enum err (*audit_list)(struct store *, const struct audit_filter *,
	                       store_audit_cb, void *);
	enum err (*roster_load)(struct store *, int64_t, struct student **,
	                        size_t *, int64_t *);
	enum err (*import_stage)(struct store *, const struct store_actor *,
	                         struct import_rec *, const struct plan *,
	                         const struct import_extra *);
	enum err (*import_apply)(struct store *, const struct store_actor *,
	                         int64_t, int64_t, int64_t,
	                         enum import_state *);
	enum err (*import_cancel)(struct store *, const struct store_actor *,
	                          int64_t, int64_t, int64_t,
	                          enum import_state *);
	enum err (*import_undo)(struct store *, const struct store_actor *,
	                        int64_t, int64_t, int64_t, enum import_state *);
	enum err (*import_get)(struct store *, int64_t, int64_t,
	                       struct import_rec *);
	enum err (*import_list)(struct store *, int64_t, int64_t, int,
	                        store_import_cb, void *);
	enum err (*import_changes)(struct store *, int64_t, store_change_cb,
	                           void *);
	enum err (*import_columns)(struct store *, int64_t,
	                           struct column_line **, size_t *);
	enum err (*import_groups)(struct store *, int64_t, struct group_line **,
	                          size_t *);
	enum err (*import_issues)(struct store *, int64_t, store_issue_cb,
	                          void *);
	enum err (*purge)(struct store *, const struct store_actor *, int64_t,
	                  int64_t, struct purge_counts *);
	enum err (*pupil_get)(struct store *, int64_t, struct student *,
	                      int64_t *);
	enum err (*pupil_changes)(struct store *, int64_t,
	                          struct pupil_change **, size_t *);
	enum err (*pupil_issues)(struct store *, int64_t, struct pupil_issue **,
	                         size_t *);
	enum err (*pupil_erase)(struct store *, const struct store_actor *,
	                        int64_t, int64_t, struct pupil_erasure *);
	enum err (*token_add)(struct store *, const struct store_actor *,
	                      struct api_token *);
	enum err (*token_list)(struct store *, int64_t, store_token_cb, void *);
	enum err (*token_by_hash)(struct store *, const char *,
	                          struct api_token *);
	enum err (*token_revoke)(struct store *, const struct store_actor *,
	                         int64_t, int64_t, int64_t);
	enum err (*token_used)(struct store *, int64_t, int64_t);
	enum err (*feed_list)(struct store *, int64_t, int64_t, struct feed_pos,
	                      int, store_feed_cb, void *);
	enum err (*feed_head)(struct store *, struct feed_pos *);
	enum err (*roster_snapshot)(struct store *, int64_t, struct student **,
	                            size_t *, int64_t *, struct feed_pos *);
};

struct store {
	const struct store_ops *ops;
};

/* For the backends' change feed (store.c): the event of a stored word,
 * and the rest of an entry once its step and journal row are read. */
bool feed_event_parse(const char *word, enum feed_event *out);
void feed_entry_finish(struct feed_entry *f);

/* Backends: open the database at the part of the URL after the scheme. */
enum err store_sqlite_open(const char *path, struct store **out, char *msg,
                           size_t msgsz);
/* url is the whole "postgresql://..." or "postgres://..." URL (pg.c). */
enum err store_pg_open(const char *url, struct store **out, char *msg,
                       size_t msgsz);

#endif
