/*
 * The backend-neutral front of the store: chooses a backend by URL scheme,
 * checks arguments that every backend would otherwise check alike, and
 * forwards to the backend's operation table.
 */
#include <stdio.h>
#include <string.h>

#include "backend.h"
#include "../base/strparse.h"

static const char *const role_words[] = {
	[ROLE_DOCENT] = "docent",
	[ROLE_BIBLIOTHEEK] = "bibliotheek",
};
_Static_assert(sizeof(role_words) / sizeof(role_words[0]) == ROLE__MAX,
               "every role needs a word");

static const char *const audit_words[] = {
	[AUDIT_LOGIN_OK] = "login_ok",
	[AUDIT_LOGIN_FAILED] = "login_failed",
	[AUDIT_LOGIN_THROTTLED] = "login_throttled",
	[AUDIT_LOGOUT] = "logout",
	[AUDIT_PASSWORD_CHANGED] = "password_changed",
	[AUDIT_PASSWORD_RESET] = "password_reset",
	[AUDIT_ACCOUNT_CREATED] = "account_created",
	[AUDIT_ACCOUNT_DISABLED] = "account_disabled",
	[AUDIT_SCHOOL_CREATED] = "school_created",
	[AUDIT_IMPORT_PREVIEW] = "import_preview",
	[AUDIT_IMPORT_APPLIED] = "import_applied",
	[AUDIT_IMPORT_CANCELLED] = "import_cancelled",
	[AUDIT_IMPORT_UNDONE] = "import_undone",
	[AUDIT_PURGE] = "purge",
	[AUDIT_LIBRARY_CREATED] = "library_created",
	[AUDIT_LIBRARY_UPDATED] = "library_updated",
	[AUDIT_SCHOOL_UPDATED] = "school_updated",
	[AUDIT_ACCOUNT_ENABLED] = "account_enabled",
	[AUDIT_TOTP_ENABLED] = "totp_enabled",
	[AUDIT_TOTP_DISABLED] = "totp_disabled",
	[AUDIT_TOTP_RESET] = "totp_reset",
	[AUDIT_TOTP_FAILED] = "totp_failed",
	[AUDIT_RECOVERY_USED] = "recovery_code_used",
	[AUDIT_ROSTER_VIEWED] = "roster_viewed",
	[AUDIT_ROSTER_EXPORTED] = "roster_exported",
	[AUDIT_PUPIL_ACCESS] = "pupil_access",
	[AUDIT_PUPIL_ERASED] = "pupil_erased",
	[AUDIT_PASSWORD_CHECK_FAILED] = "password_check_failed",
	[AUDIT_PASSWORD_CHECK_THROTTLED] = "password_check_throttled",
	[AUDIT_SESSION_ENDED] = "session_ended",
	[AUDIT_TOKEN_CREATED] = "token_created",
	[AUDIT_TOKEN_REVOKED] = "token_revoked",
	[AUDIT_API_READ] = "api_read",
};
_Static_assert(sizeof(audit_words) / sizeof(audit_words[0]) == AUDIT__MAX,
               "every audit event needs a word");

static const char *const import_state_words[] = {
	[IMPORT_PREVIEW] = "preview",     [IMPORT_APPLIED] = "applied",
	[IMPORT_CANCELLED] = "cancelled", [IMPORT_EXPIRED] = "expired",
	[IMPORT_UNDONE] = "undone",
};
_Static_assert(sizeof(import_state_words) / sizeof(import_state_words[0]) ==
                       IMPORT__MAX,
               "every import state needs a word");

const char *
import_state_word(enum import_state s)
{
	return (unsigned)s < IMPORT__MAX ? import_state_words[s] : "?";
}

enum err
import_state_parse(const char *word, enum import_state *out)
{
	for (int i = 0; i < IMPORT__MAX; i++)
		if (strcmp(word, import_state_words[i]) == 0) {
			*out = (enum import_state)i;
			return ERR_OK;
		}
	return ERR_INVALID;
}

const char *
role_word(enum role r)
{
	return (unsigned)r < ROLE__MAX ? role_words[r] : "?";
}

enum err
role_parse(const char *word, enum role *out)
{
	for (int i = 0; i < ROLE__MAX; i++)
		if (strcmp(word, role_words[i]) == 0) {
			*out = (enum role)i;
			return ERR_OK;
		}
	return ERR_INVALID;
}

const char *
audit_event_word(enum audit_event e)
{
	return (unsigned)e < AUDIT__MAX ? audit_words[e] : "?";
}

enum err
audit_event_parse(const char *word, enum audit_event *out)
{
	for (int i = 0; i < AUDIT__MAX; i++)
		if (strcmp(word, audit_words[i]) == 0) {
			*out = (enum audit_event)i;
			return ERR_OK;
		}
	return ERR_INVALID;
}

enum err
store_open(const char *url, struct store **out, char *msg, size_t msgsz)
{
	*out = NULL;
	if (str_starts(url, "sqlite:"))
		return store_sqlite_open(url + strlen("sqlite:"), out, msg,
		                         msgsz);
	if (str_starts(url, "postgresql://") || str_starts(url, "postgres://"))
		return store_pg_open(url, out, msg, msgsz);
	snprintf(msg, msgsz,
	         "unsupported database url '%s' (expected sqlite:PATH or"
	         " postgresql://...)",
	         url);
	return ERR_INVALID;
}

void
store_close(struct store *st)
{
	if (st != NULL)
		st->ops->close(st);
}

int
store_schema_version(struct store *st)
{
	return st->ops->schema_version(st);
}

enum err
store_library_add(struct store *st, struct library *l)
{
	return st->ops->library_add(st, l);
}

enum err
store_library_get(struct store *st, int64_t id, struct library *out)
{
	return st->ops->library_get(st, id, out);
}

enum err
store_library_by_slug(struct store *st, const char *slug, struct library *out)
{
	if (strlen(slug) > STORE_SLUG_MAX)
		return ERR_NOTFOUND;
	return st->ops->library_by_slug(st, slug, out);
}

enum err
store_library_list(struct store *st, store_library_cb cb, void *arg)
{
	return st->ops->library_list(st, cb, arg);
}

enum err
store_library_update(struct store *st, const struct library *l)
{
	return st->ops->library_update(st, l);
}

enum err
store_school_add(struct store *st, struct school *s)
{
	if (s->library_id <= 0)
		return ERR_INVALID;
	return st->ops->school_add(st, s);
}

enum err
store_school_update(struct store *st, const struct school *s)
{
	return st->ops->school_update(st, s);
}

enum err
store_school_get(struct store *st, int64_t id, struct school *out)
{
	return st->ops->school_get(st, id, out);
}

enum err
store_school_by_slug(struct store *st, const char *slug, struct school *out)
{
	if (strlen(slug) > STORE_SLUG_MAX)
		return ERR_NOTFOUND;
	return st->ops->school_by_slug(st, slug, out);
}

enum err
store_school_list(struct store *st, int64_t library_id, store_school_cb cb,
                  void *arg)
{
	return st->ops->school_list(st, library_id, cb, arg);
}

enum err
store_school_overview(struct store *st, int64_t library_id,
                      store_overview_cb cb, void *arg)
{
	return st->ops->school_overview(st, library_id, cb, arg);
}

enum err
store_school_overview_get(struct store *st, int64_t id,
                          struct school_overview *out)
{
	return st->ops->school_overview_get(st, id, out);
}

enum err
store_account_add(struct store *st, struct account *a)
{
	if ((a->role == ROLE_DOCENT) != (a->school_id != 0) ||
	    (a->role == ROLE_BIBLIOTHEEK && a->library_id <= 0))
		return ERR_INVALID;
	return st->ops->account_add(st, a);
}

enum err
store_account_get(struct store *st, int64_t id, struct account *out)
{
	return st->ops->account_get(st, id, out);
}

enum err
store_account_by_name(struct store *st, const char *username,
                      struct account *out)
{
	if (strlen(username) > STORE_USERNAME_MAX)
		return ERR_NOTFOUND;
	return st->ops->account_by_name(st, username, out);
}

enum err
store_account_list(struct store *st, int64_t school_id, store_account_cb cb,
                   void *arg)
{
	return st->ops->account_list(st, school_id, cb, arg);
}

enum err
store_account_set_password(struct store *st, int64_t id, const char *pwhash,
                           bool must_change, int64_t now)
{
	if (strlen(pwhash) > STORE_HASH_MAX)
		return ERR_LIMIT;
	return st->ops->account_set_password(st, id, pwhash, must_change, now);
}

enum err
store_account_set_disabled(struct store *st, int64_t id, bool disabled)
{
	return st->ops->account_set_disabled(st, id, disabled);
}

enum err
store_account_set_totp(struct store *st, int64_t id, const char *secret,
                       const char *pending, int64_t step)
{
	if (strlen(secret) > STORE_TOTP_MAX || strlen(pending) > STORE_TOTP_MAX)
		return ERR_LIMIT;
	return st->ops->account_set_totp(st, id, secret, pending, step);
}

enum err
store_account_totp_step(struct store *st, int64_t id, int64_t step)
{
	return st->ops->account_totp_step(st, id, step);
}

enum err
store_recovery_set(struct store *st, int64_t id, const char (*hashes)[65],
                   size_t n)
{
	return st->ops->recovery_set(st, id, hashes, n);
}

enum err
store_recovery_use(struct store *st, int64_t id, const char *hash)
{
	return st->ops->recovery_use(st, id, hash);
}

enum err
store_recovery_count(struct store *st, int64_t id, int64_t *n)
{
	return st->ops->recovery_count(st, id, n);
}

enum err
store_account_logged_in(struct store *st, int64_t id, int64_t now)
{
	return st->ops->account_logged_in(st, id, now);
}

enum err
store_session_add(struct store *st, const struct session *s)
{
	return st->ops->session_add(st, s);
}

enum err
store_session_get(struct store *st, const char *id_hash, struct session *out)
{
	return st->ops->session_get(st, id_hash, out);
}

enum err
store_session_touch(struct store *st, const char *id_hash, int64_t now)
{
	return st->ops->session_touch(st, id_hash, now);
}

enum err
store_session_delete(struct store *st, const char *id_hash)
{
	return st->ops->session_delete(st, id_hash);
}

enum err
store_session_delete_account(struct store *st, int64_t account_id,
                             const char *except_hash)
{
	return st->ops->session_delete_account(st, account_id, except_hash);
}

enum err
store_session_purge(struct store *st, int64_t idle_before,
                    int64_t created_before)
{
	return st->ops->session_purge(st, idle_before, created_before);
}

enum err
store_throttle_get(struct store *st, const char *key, int64_t *failures,
                   int64_t *last_failure)
{
	if (strlen(key) > STORE_KEY_MAX)
		return ERR_LIMIT;
	return st->ops->throttle_get(st, key, failures, last_failure);
}

enum err
store_throttle_fail(struct store *st, const char *key, int64_t now,
                    int64_t window, int64_t *failures)
{
	if (strlen(key) > STORE_KEY_MAX)
		return ERR_LIMIT;
	return st->ops->throttle_fail(st, key, now, window, failures);
}

enum err
store_throttle_clear(struct store *st, const char *key)
{
	if (strlen(key) > STORE_KEY_MAX)
		return ERR_LIMIT;
	return st->ops->throttle_clear(st, key);
}

enum err
store_throttle_purge(struct store *st, int64_t before)
{
	return st->ops->throttle_purge(st, before);
}

enum err
store_throttle_take(struct store *st, struct throttle_key *keys, size_t n,
                    const struct throttle_rule *rule, int64_t now)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(keys[i].key) > STORE_KEY_MAX || keys[i].max < 1)
			return ERR_LIMIT;
	if (rule->lockout < 1 || rule->lockout_max < rule->lockout)
		return ERR_INVALID;
	return st->ops->throttle_take(st, keys, n, rule, now);
}

enum err
store_throttle_release(struct store *st, const struct throttle_key *k,
                       int64_t now)
{
	if (strlen(k->key) > STORE_KEY_MAX)
		return ERR_LIMIT;
	return st->ops->throttle_release(st, k, now);
}

enum err
store_audit_add(struct store *st, struct audit_entry *e)
{
	return st->ops->audit_add(st, e);
}

enum err
store_audit_list(struct store *st, const struct audit_filter *f,
                 store_audit_cb cb, void *arg)
{
	return st->ops->audit_list(st, f, cb, arg);
}

enum err
store_roster_load(struct store *st, int64_t school_id, struct student **out,
                  size_t *n, int64_t *version)
{
	return st->ops->roster_load(st, school_id, out, n, version);
}

enum err
store_import_stage(struct store *st, const struct store_actor *who,
                   struct import_rec *rec, const struct plan *plan,
                   const struct import_extra *x)
{
	return st->ops->import_stage(st, who, rec, plan, x);
}

enum err
store_import_apply(struct store *st, const struct store_actor *who,
                   int64_t school_id, int64_t id, int64_t now,
                   enum import_state *state)
{
	return st->ops->import_apply(st, who, school_id, id, now, state);
}

enum err
store_import_cancel(struct store *st, const struct store_actor *who,
                    int64_t school_id, int64_t id, int64_t now,
                    enum import_state *state)
{
	return st->ops->import_cancel(st, who, school_id, id, now, state);
}

enum err
store_import_undo(struct store *st, const struct store_actor *who,
                  int64_t school_id, int64_t id, int64_t now,
                  enum import_state *state)
{
	return st->ops->import_undo(st, who, school_id, id, now, state);
}

enum err
store_import_get(struct store *st, int64_t school_id, int64_t id,
                 struct import_rec *out)
{
	return st->ops->import_get(st, school_id, id, out);
}

enum err
store_import_list(struct store *st, int64_t library_id, int64_t school_id,
                  int limit, store_import_cb cb, void *arg)
{
	return st->ops->import_list(st, library_id, school_id, limit, cb, arg);
}

enum err
store_import_changes(struct store *st, int64_t id, store_change_cb cb,
                     void *arg)
{
	return st->ops->import_changes(st, id, cb, arg);
}

enum err
store_import_columns(struct store *st, int64_t id, struct column_line **out,
                     size_t *n)
{
	return st->ops->import_columns(st, id, out, n);
}

enum err
store_import_groups(struct store *st, int64_t id, struct group_line **out,
                    size_t *n)
{
	return st->ops->import_groups(st, id, out, n);
}

enum err
store_import_issues(struct store *st, int64_t id, store_issue_cb cb, void *arg)
{
	return st->ops->import_issues(st, id, cb, arg);
}

enum err
store_purge(struct store *st, const struct store_actor *who,
            int64_t previews_before, int64_t left_before,
            struct purge_counts *out)
{
	return st->ops->purge(st, who, previews_before, left_before, out);
}

enum err
store_pupil_get(struct store *st, int64_t id, struct student *out,
                int64_t *school_id)
{
	return st->ops->pupil_get(st, id, out, school_id);
}

enum err
store_pupil_changes(struct store *st, int64_t id, struct pupil_change **out,
                    size_t *n)
{
	*out = NULL;
	*n = 0;
	return st->ops->pupil_changes(st, id, out, n);
}

enum err
store_pupil_issues(struct store *st, int64_t id, struct pupil_issue **out,
                   size_t *n)
{
	*out = NULL;
	*n = 0;
	return st->ops->pupil_issues(st, id, out, n);
}

enum err
store_pupil_erase(struct store *st, const struct store_actor *who,
                  int64_t school_id, int64_t id, struct pupil_erasure *out)
{
	memset(out, 0, sizeof(*out));
	if (id <= 0 || school_id <= 0)
		return ERR_NOTFOUND;
	return st->ops->pupil_erase(st, who, school_id, id, out);
}

static const char *const feed_event_words[FEED__MAX] = {
	[FEED_APPLY] = "apply",
	[FEED_UNDO] = "undo",
	[FEED_ERASE] = "erase",
};

const char *
feed_event_word(enum feed_event e)
{
	return (unsigned)e < FEED__MAX ? feed_event_words[e] : "?";
}

/* The rest of an entry whose step and journal row are read (kind,
 * pupil_id, before and after as the journal has them): whether the pupil
 * is on the roster before and after it (a new pupil was not, a leaver is
 * not after, a returning one was not active before; blanked rows say
 * inactive), before and after swapped for an undo. */
void
feed_entry_finish(struct feed_entry *f)
{
	bool b = f->kind != CHANGE_NEW && f->before.active;
	bool a = f->kind != CHANGE_LEFT && f->pupil_id != 0;

	if (f->event == FEED_UNDO) {
		struct student t = f->before;

		f->before = f->after;
		f->after = t;
		f->has_before = a;
		f->has_after = b;
	} else {
		f->has_before = b;
		f->has_after = a;
	}
	f->before.active = f->has_before;
	f->after.active = f->has_after;
}

bool
feed_event_parse(const char *word, enum feed_event *out)
{
	for (int i = 0; i < FEED__MAX; i++)
		if (strcmp(word, feed_event_words[i]) == 0) {
			*out = (enum feed_event)i;
			return true;
		}
	return false;
}

enum err
store_token_add(struct store *st, const struct store_actor *who,
                struct api_token *t)
{
	if (t->name[0] == '\0' || strlen(t->name) > STORE_TOKEN_NAME_MAX)
		return ERR_INVALID;
	return st->ops->token_add(st, who, t);
}

enum err
store_token_list(struct store *st, int64_t library_id, store_token_cb cb,
                 void *arg)
{
	return st->ops->token_list(st, library_id, cb, arg);
}

enum err
store_token_by_hash(struct store *st, const char *hash, struct api_token *out)
{
	if (strlen(hash) != 64)
		return ERR_NOTFOUND;
	return st->ops->token_by_hash(st, hash, out);
}

enum err
store_token_revoke(struct store *st, const struct store_actor *who,
                   int64_t library_id, int64_t id, int64_t now)
{
	if (id <= 0)
		return ERR_NOTFOUND;
	return st->ops->token_revoke(st, who, library_id, id, now);
}

enum err
store_token_used(struct store *st, int64_t id, int64_t now)
{
	return st->ops->token_used(st, id, now);
}

enum err
store_feed_list(struct store *st, int64_t library_id, int64_t school_id,
                struct feed_pos from, int limit, store_feed_cb cb, void *arg)
{
	if (library_id <= 0 || limit <= 0 || from.event < 0 || from.seq < 0)
		return ERR_INVALID;
	return st->ops->feed_list(st, library_id, school_id, from, limit, cb,
	                          arg);
}

enum err
store_feed_head(struct store *st, struct feed_pos *out)
{
	out->event = out->seq = 0;
	return st->ops->feed_head(st, out);
}

enum err
store_roster_snapshot(struct store *st, int64_t school_id, struct student **out,
                      size_t *n, int64_t *version, struct feed_pos *head)
{
	head->event = head->seq = 0;
	return st->ops->roster_snapshot(st, school_id, out, n, version, head);
}
