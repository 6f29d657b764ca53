/*
 * The database, behind one backend-neutral interface.
 *
 * Callers see plain structs with bounded fields and functions returning
 * enum err; they never see SQL or a backend type.  store_open() chooses the
 * backend from the URL ("sqlite:PATH": sqlite.c; "postgresql://..." or
 * "postgres://...": pg.c) and applies pending migrations.  A struct store may
 * be used from several threads at once; every function is one atomic step.
 *
 * List functions call their callback after reading, outside any lock, so a
 * callback may use the store (except store_import_changes, see there).
 *
 * Strings in the structs are NUL-terminated and at most the array size - 1
 * bytes; functions that store strings refuse longer ones with ERR_LIMIT.
 * Lookups that find nothing return ERR_NOTFOUND; unique clashes ERR_EXISTS.
 */
#ifndef BIEBSYNC_STORE_STORE_H
#define BIEBSYNC_STORE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/err.h"
#include "../roster/model.h"
#include "../roster/report.h"
#include "../roster/summary.h"

#define STORE_NAME_MAX     200 /* school name, bytes */
#define STORE_SLUG_MAX     64
#define STORE_BRIN_MAX     8
#define STORE_USERNAME_MAX 64
#define STORE_HASH_MAX     128 /* crypto_pwhash_STRBYTES */
#define STORE_ADDR_MAX     64
#define STORE_KEY_MAX      128
#define STORE_PERSON_MAX   120 /* a contact person's name */
#define STORE_PHONE_MAX    40
#define STORE_EMAIL_MAX    254
#define STORE_TOTP_MAX     64 /* base32 TOTP secret */

enum role {
	ROLE_DOCENT,      /* school staff: exactly one school */
	ROLE_BIBLIOTHEEK, /* library staff: one library, no school */
	ROLE__MAX
};

/* Whom to ask: each part may be "" (not given). */
struct contact {
	char name[STORE_PERSON_MAX + 1];
	char phone[STORE_PHONE_MAX + 1];
	char email[STORE_EMAIL_MAX + 1];
};

/*
 * A library organisation.  Every school belongs to exactly one; a library
 * account sees only its own library's schools.  A database made before
 * organisations existed has one (id 1) holding everything.
 */
struct library {
	int64_t id;
	char name[STORE_NAME_MAX + 1];
	char slug[STORE_SLUG_MAX + 1];
	struct contact contact; /* shown to its schools on the help pages */
	int64_t created;
};

struct school {
	int64_t id;
	int64_t library_id;
	char name[STORE_NAME_MAX + 1];
	char brin[STORE_BRIN_MAX + 1];
	char slug[STORE_SLUG_MAX + 1];
	struct contact contact; /* the school's contact for the library */
	int64_t created;
};

/* A school with what the library's list shows about it. */
struct school_overview {
	struct school school;
	int64_t pupils;       /* active students */
	int64_t last_applied; /* when the last upload was applied; 0: never */
	int64_t last_applied_id; /* that import */
	int64_t open_previews;   /* previews not yet decided */
	int64_t accounts;        /* accounts of the school, disabled included */
};

struct account {
	int64_t id;
	char username[STORE_USERNAME_MAX + 1];
	enum role role;
	int64_t school_id;  /* 0 for ROLE_BIBLIOTHEEK */
	int64_t library_id; /* its library (a school account: its school's) */
	char pwhash[STORE_HASH_MAX + 1];
	bool must_change; /* holds a one-time password */
	bool disabled;
	int64_t created;
	int64_t last_login;     /* this or the latest login; 0: never */
	int64_t previous_login; /* the login before that; 0: none */
	int64_t password_changed;
	/* two-step login (RFC 6238): the base32 secret in use ("" = off),
	 * one being set up and not yet confirmed with a code, and the last
	 * time step a code was accepted for (a code is good once) */
	char totp_secret[STORE_TOTP_MAX + 1];
	char totp_pending[STORE_TOTP_MAX + 1];
	int64_t totp_step;
};

struct session {
	char id_hash[65]; /* hex SHA-256 of the cookie's token */
	int64_t account_id;
	int64_t created;
	int64_t last_seen;
	bool pending; /* the password was right; the second step is due */
};

/* Audit events; the words are stored, so never renumber, only append. */
enum audit_event {
	AUDIT_LOGIN_OK,
	AUDIT_LOGIN_FAILED,
	AUDIT_LOGIN_THROTTLED,
	AUDIT_LOGOUT,
	AUDIT_PASSWORD_CHANGED,
	AUDIT_PASSWORD_RESET,
	AUDIT_ACCOUNT_CREATED,
	AUDIT_ACCOUNT_DISABLED,
	AUDIT_SCHOOL_CREATED,
	AUDIT_IMPORT_PREVIEW,
	AUDIT_IMPORT_APPLIED,
	AUDIT_IMPORT_CANCELLED,
	AUDIT_IMPORT_UNDONE,
	AUDIT_PURGE,
	AUDIT_LIBRARY_CREATED,
	AUDIT_LIBRARY_UPDATED,
	AUDIT_SCHOOL_UPDATED,
	AUDIT_ACCOUNT_ENABLED,
	AUDIT_TOTP_ENABLED,
	AUDIT_TOTP_DISABLED,
	AUDIT_TOTP_RESET,
	AUDIT_TOTP_FAILED,
	AUDIT_RECOVERY_USED,
	AUDIT_ROSTER_VIEWED,
	AUDIT_ROSTER_EXPORTED,
	AUDIT_PUPIL_ACCESS,
	AUDIT_PUPIL_ERASED,
	AUDIT_PASSWORD_CHECK_FAILED,    /* a logged-in user's wrong password */
	AUDIT_PASSWORD_CHECK_THROTTLED, /* ... not checked: too many */
	AUDIT_SESSION_ENDED,            /* ended after too many of them */
	AUDIT_TOKEN_CREATED,            /* an API token made */
	AUDIT_TOKEN_REVOKED,            /* ... revoked */
	AUDIT_API_READ, /* an API token read pupils' data (detail: what) */
	AUDIT__MAX
};

struct audit_entry {
	int64_t id;
	int64_t at;
	enum audit_event event;
	int64_t account_id; /* 0: none or unknown */
	int64_t school_id;  /* 0: none */
	int64_t library_id; /* set by audit_add from the school or account */
	char actor[STORE_USERNAME_MAX + 1]; /* who did it: a username, "cli" */
	char addr[STORE_ADDR_MAX + 1];      /* client address or "cli" */
	char detail[256];                   /* counts and ids; never secrets */
};

struct store;

/* Which audit rows to list: 0 (or -1 for event) leaves a part open. */
struct audit_filter {
	int64_t library_id;
	int64_t school_id;
	int64_t account_id;
	int event;        /* an enum audit_event, or -1: any */
	int64_t from, to; /* at >= from, at < to */
	int64_t before;   /* id < before: the next page */
	int limit;
};

typedef int (*store_library_cb)(const struct library *, void *arg);
typedef int (*store_school_cb)(const struct school *, void *arg);
typedef int (*store_overview_cb)(const struct school_overview *, void *arg);
typedef int (*store_account_cb)(const struct account *, void *arg);
typedef int (*store_audit_cb)(const struct audit_entry *, void *arg);

/*
 * Open the database named by url, creating it and applying migrations as
 * needed.  On failure *out is NULL and msg (size msgsz) says why in English.
 */
enum err store_open(const char *url, struct store **out, char *msg,
                    size_t msgsz);
/* Close and free.  Accepts NULL. */
void store_close(struct store *st);
/* Schema version after migrations (for tests). */
int store_schema_version(struct store *st);

/* Libraries.  library_add sets l->id and l->created; library_update
 * writes the name and the contact. */
enum err store_library_add(struct store *st, struct library *l);
enum err store_library_get(struct store *st, int64_t id, struct library *out);
enum err store_library_by_slug(struct store *st, const char *slug,
                               struct library *out);
enum err store_library_list(struct store *st, store_library_cb cb, void *arg);
enum err store_library_update(struct store *st, const struct library *l);

/* Schools.  school_add sets s->id and s->created; school_update writes
 * the name, BRIN and contact. */
enum err store_school_add(struct store *st, struct school *s);
enum err store_school_update(struct store *st, const struct school *s);
enum err store_school_get(struct store *st, int64_t id, struct school *out);
enum err store_school_by_slug(struct store *st, const char *slug,
                              struct school *out);
/* Calls cb for each school of library_id (0: all) ordered by name; a
 * non-zero return stops. */
enum err store_school_list(struct store *st, int64_t library_id,
                           store_school_cb cb, void *arg);
/* The same, with counts (struct school_overview). */
enum err store_school_overview(struct store *st, int64_t library_id,
                               store_overview_cb cb, void *arg);
/* The same for school id alone (ERR_NOTFOUND when there is none). */
enum err store_school_overview_get(struct store *st, int64_t id,
                                   struct school_overview *out);

/* Accounts.  Usernames are unique ignoring ASCII case. */
/* a->library_id may be 0 for a school's account: it is its school's. */
enum err store_account_add(struct store *st, struct account *a);
enum err store_account_get(struct store *st, int64_t id, struct account *out);
enum err store_account_by_name(struct store *st, const char *username,
                               struct account *out);
/* school_id 0 lists every account; ordered by username. */
enum err store_account_list(struct store *st, int64_t school_id,
                            store_account_cb cb, void *arg);
/* Replace the password hash; must_change marks a one-time password. */
enum err store_account_set_password(struct store *st, int64_t id,
                                    const char *pwhash, bool must_change,
                                    int64_t now);
enum err store_account_set_disabled(struct store *st, int64_t id,
                                    bool disabled);
/* Write totp_secret and totp_pending; step is the new totp_step. */
enum err store_account_set_totp(struct store *st, int64_t id,
                                const char *secret, const char *pending,
                                int64_t step);
/* Accept a code of time step for id: ERR_OK and totp_step = step when
 * step is newer than the last accepted one, else ERR_EXISTS (a replay). */
enum err store_account_totp_step(struct store *st, int64_t id, int64_t step);
/* Replace the recovery codes of id by n hashes (hex SHA-256). */
enum err store_recovery_set(struct store *st, int64_t id,
                            const char (*hashes)[65], size_t n);
/* Use up one: ERR_OK when id had it (now gone), else ERR_NOTFOUND. */
enum err store_recovery_use(struct store *st, int64_t id, const char *hash);
enum err store_recovery_count(struct store *st, int64_t id, int64_t *n);
enum err store_account_logged_in(struct store *st, int64_t id, int64_t now);

/* Sessions, keyed by the hash of their token. */
enum err store_session_add(struct store *st, const struct session *s);
enum err store_session_get(struct store *st, const char *id_hash,
                           struct session *out);
enum err store_session_touch(struct store *st, const char *id_hash,
                             int64_t now);
enum err store_session_delete(struct store *st, const char *id_hash);
/* Delete every session of account, except the one with except_hash
 * (NULL: all). */
enum err store_session_delete_account(struct store *st, int64_t account_id,
                                      const char *except_hash);
/* Delete sessions idle since before idle_before or created before
 * created_before. */
enum err store_session_purge(struct store *st, int64_t idle_before,
                             int64_t created_before);

/*
 * Login throttling state per key (an account name or a client address).
 * throttle_fail counts one failure atomically: the count restarts at 1 when
 * the previous failure is older than window seconds.  It returns the new
 * count in *failures.
 */
enum err store_throttle_get(struct store *st, const char *key,
                            int64_t *failures, int64_t *last_failure);
enum err store_throttle_fail(struct store *st, const char *key, int64_t now,
                             int64_t window, int64_t *failures);
enum err store_throttle_clear(struct store *st, const char *key);
/* Forget every key whose last failure is older than before: the usernames
 * and client addresses it names are not kept longer than they matter. */
enum err store_throttle_purge(struct store *st, int64_t before);

/*
 * One attempt at a secret (a password, a code), checked and counted in one
 * atomic step, so that parallel attempts can never get more than the limit
 * checked.  A key is locked while it has at least its max failures and now
 * is before its last failure + lockout << (failures - max), at most
 * lockout_max.  store_throttle_take: when no key is locked, each key's
 * count goes up by one now (restarting at 1 after window seconds, as
 * store_throttle_fail) and ERR_OK says the secret may be checked; a
 * wrong secret then needs nothing more.  When any key is locked, nothing
 * is counted and the answer is ERR_THROTTLED.  A right secret gives its
 * attempt back with store_throttle_release (or clears the key).
 */
struct throttle_key {
	const char *key; /* at most STORE_KEY_MAX bytes */
	int64_t max;     /* failures that lock the key */
	int64_t prev;    /* out: the last failure before this attempt */
};

struct throttle_rule {
	int64_t window;      /* seconds a failure is remembered */
	int64_t lockout;     /* first lockout, seconds */
	int64_t lockout_max; /* longest lockout, seconds */
};

enum err store_throttle_take(struct store *st, struct throttle_key *keys,
                             size_t n, const struct throttle_rule *rule,
                             int64_t now);
/* Take back the attempt k took at now: one failure less, and the time of
 * the last failure as before when no other failure came since. */
enum err store_throttle_release(struct store *st, const struct throttle_key *k,
                                int64_t now);

/* Audit log.  e->id and e->at are set by audit_add when zero, and
 * e->library_id from the school, else the account. */
enum err store_audit_add(struct store *st, struct audit_entry *e);
/* The rows f selects, newest first, at most f->limit. */
enum err store_audit_list(struct store *st, const struct audit_filter *f,
                          store_audit_cb cb, void *arg);

/*
 * Imports.  An import is staged as a preview (the import row plus a
 * journal with every change's old and new values), then applied, cancelled
 * or left to expire; the last applied import of a school can be undone.
 * Applying and undoing are one transaction each and bump the school's
 * roster version; applying checks the version the preview was computed
 * from (ERR_CONFLICT when the roster changed) and the state (ERR_STATE,
 * with *state saying what it is, when the import is not a preview).
 */
enum import_state {
	IMPORT_PREVIEW,
	IMPORT_APPLIED,
	IMPORT_CANCELLED,
	IMPORT_EXPIRED,
	IMPORT_UNDONE,
	IMPORT__MAX
};

struct import_rec {
	int64_t id;
	int64_t school_id;
	int64_t account_id; /* 0: the command line */
	char actor[STORE_USERNAME_MAX + 1];
	int64_t created;
	int64_t decided; /* when applied, cancelled, expired or undone */
	enum import_state state;
	char filename[256];
	int64_t size;           /* bytes of the uploaded file */
	char sha256[65];        /* hex, of the uploaded file */
	char format[16];        /* "xlsx", "csv", ... */
	char layout[32];        /* "ParnasSys", "generic", ... */
	int64_t roster_version; /* the roster the preview was computed from */
	bool guard;             /* needed an extra confirmation */
	bool guard_unenrol;     /* unenrols an unusually large share */
	bool guard_match;       /* hardly matches the roster */
	int64_t active_before;  /* active students when previewed */
	int64_t matched;        /* of those, found in the file */
	int64_t counts[CHANGE__MAX];
	char sheet[128];    /* the sheet read */
	int64_t header_row; /* 0: no usable header */
	int64_t errors, warnings;
	bool blocked;     /* errors that forbid applying */
	int64_t replaced; /* set by staging only: the open preview it
	                     cancelled (0: none) */
	int64_t purged;   /* when the purge removed its pupils and file
	                     name (0: not yet); see store_purge */
};

/* What a preview shows besides its changes (roster/summary.h) and the
 * validation report. */
struct import_extra {
	const struct column_line *columns;
	size_t ncolumns;
	const struct group_line *groups;
	size_t ngroups;
	const struct roster_issue *issues;
	size_t nissues;
};

/* Who acts, for the audit rows that imports and purges write in the same
 * transaction as the change itself. */
struct store_actor {
	int64_t account_id; /* 0: the command line or the server */
	const char *name;   /* username, "cli" or "server" */
	const char *addr;   /* client address, "cli" or "server" */
};

struct purge_counts {
	int64_t previews;   /* expired previews deleted */
	int64_t anonymised; /* students who left, anonymised */
	int64_t imports;    /* imports whose pupils were removed */
};

typedef int (*store_import_cb)(const struct import_rec *, void *arg);
/* One journal row: kind, the student before (NULL for new) and after
 * (NULL for left). */
typedef int (*store_change_cb)(enum change_kind kind,
                               const struct student *before,
                               const struct student *after, void *arg);

/* Every student of a school, active and former, as one malloc'ed array
 * (free() it), ordered by id; and the roster version. */
enum err store_roster_load(struct store *st, int64_t school_id,
                           struct student **out, size_t *n, int64_t *version);
/* Save a preview of plan for rec->school_id with what x (may be NULL)
 * holds, and cancel the school's other open previews (a school has at most
 * one); sets rec->id, created, state, account_id, actor (from who) and
 * replaced. */
enum err store_import_stage(struct store *st, const struct store_actor *who,
                            struct import_rec *rec, const struct plan *plan,
                            const struct import_extra *x);
enum err store_import_apply(struct store *st, const struct store_actor *who,
                            int64_t school_id, int64_t id, int64_t now,
                            enum import_state *state);
enum err store_import_cancel(struct store *st, const struct store_actor *who,
                             int64_t school_id, int64_t id, int64_t now,
                             enum import_state *state);
/* Undo import id, which must be the school's last applied import with
 * nothing applied after it and not purged (else ERR_STATE). */
enum err store_import_undo(struct store *st, const struct store_actor *who,
                           int64_t school_id, int64_t id, int64_t now,
                           enum import_state *state);
/* school_id 0: any school (library staff). */
enum err store_import_get(struct store *st, int64_t school_id, int64_t id,
                          struct import_rec *out);
/* Newest first; school_id 0: every school of library_id (0: of every
 * library). */
enum err store_import_list(struct store *st, int64_t library_id,
                           int64_t school_id, int limit, store_import_cb cb,
                           void *arg);
/* The journal of an import in file order.  Rows stream under the store's
 * lock: cb must not call the store. */
enum err store_import_changes(struct store *st, int64_t id, store_change_cb cb,
                              void *arg);
/* The columns and the groups of an import, in their order, as malloc'ed
 * arrays (free() them; NULL and 0 when there are none). */
enum err store_import_columns(struct store *st, int64_t id,
                              struct column_line **out, size_t *n);
enum err store_import_groups(struct store *st, int64_t id,
                             struct group_line **out, size_t *n);
typedef int (*store_issue_cb)(const struct roster_issue *, void *arg);
/* The validation report of an import, in row order. */
enum err store_import_issues(struct store *st, int64_t id, store_issue_cb cb,
                             void *arg);

/*
 * The purge, in one transaction: expire previews created before
 * previews_before, and remove the pupils of every import past its time:
 * a cancelled or expired one at once (its journal deleted), one undone
 * before previews_before and one applied before left_before (their
 * journals blanked as an erasure blanks them, so that the kinds and the
 * counts stay).  Such an import loses its report lines, its file name and
 * its file's digest, and gets purged set; an applied one can no longer be
 * undone.  Students who left before left_before are anonymised, in the
 * journal too.  One audit row with the counts when anything was done,
 * then the write-ahead log is checkpointed and truncated, so that with
 * secure_delete no removed byte stays in the database's files.
 */
enum err store_purge(struct store *st, const struct store_actor *who,
                     int64_t previews_before, int64_t left_before,
                     struct purge_counts *out);

/*
 * One pupil, for the AVG (GDPR): what is stored about it, and erasure.
 *
 * A journal row names a pupil when it is of an import of the pupil's
 * school and carries its id, or one of the student numbers (keys) the
 * pupil has had: its number now, and those of the rows carrying its id
 * (a preview's new pupil has no id yet; an undone enrolment's id is
 * gone).
 */
struct pupil_change {
	struct import_rec import; /* the import the row belongs to */
	enum change_kind kind;
	struct student before, after; /* as store_change_cb gives them,
	                                 both filled (zero when absent) */
	bool has_before, has_after;
};

/* A line of an upload's report that names a pupil's number. */
struct pupil_issue {
	int64_t import_id;
	struct roster_issue issue;
};

struct pupil_erasure {
	int64_t journal_rows; /* journal rows anonymised */
	int64_t issues;       /* report lines naming the pupil, deleted */
	int64_t previews;     /* open previews naming the pupil, cancelled */
	int64_t version;      /* the school's roster version after */
};

/* The student with this id (active or not) and its school; ERR_NOTFOUND
 * when there is none. */
enum err store_pupil_get(struct store *st, int64_t id, struct student *out,
                         int64_t *school_id);
/* Every journal row naming pupil id, oldest import first, as a malloc'ed
 * array (free() it; NULL and 0 when there are none). */
enum err store_pupil_changes(struct store *st, int64_t id,
                             struct pupil_change **out, size_t *n);
/* Every report line of an upload of the pupil's school that names one of
 * its numbers (as written or as matched), oldest first, as a malloc'ed
 * array (free() it). */
enum err store_pupil_issues(struct store *st, int64_t id,
                            struct pupil_issue **out, size_t *n);
/*
 * Erase pupil id of school_id in one transaction: cancel the school's open
 * previews that name it, delete the report lines naming its numbers,
 * anonymise every journal row naming it (student id 0, every value
 * blanked), delete the student, bump the school's roster version and
 * write one audit row with ids and counts only.  Then the write-ahead log
 * is checkpointed and truncated, so that with secure_delete (always on)
 * no byte of the pupil is left in the database's files.  ERR_NOTFOUND when
 * the pupil is not one of school_id's.
 */
enum err store_pupil_erase(struct store *st, const struct store_actor *who,
                           int64_t school_id, int64_t id,
                           struct pupil_erasure *out);

/*
 * API tokens: read-only keys of a library organisation for its own systems
 * (the JSON API, api/).  The secret is shown once when it is made; only its
 * hash (token_hash(), hex SHA-256) is stored, with a short prefix of the
 * secret so that staff can tell their tokens apart.  Revoking keeps the row
 * (who made it, when it was last used) and the hash stops working.
 */
#define STORE_TOKEN_NAME_MAX   100
#define STORE_TOKEN_PREFIX_MAX 16

struct api_token {
	int64_t id;
	int64_t library_id;
	char name[STORE_TOKEN_NAME_MAX + 1];     /* what it is for ("Wise") */
	char prefix[STORE_TOKEN_PREFIX_MAX + 1]; /* the secret's start */
	char hash[65]; /* hex SHA-256 of the whole secret */
	int64_t created;
	char created_by[STORE_USERNAME_MAX + 1]; /* username or "cli" */
	int64_t last_used;                       /* 0: never */
	int64_t revoked;                         /* when; 0: in use */
};

typedef int (*store_token_cb)(const struct api_token *, void *arg);

/* Save t (library_id, name, prefix, hash set; created_by from who) and
 * write an audit row in the same transaction; sets t->id and t->created.
 * ERR_EXISTS when the hash is known; ERR_NOTFOUND for no such library. */
enum err store_token_add(struct store *st, const struct store_actor *who,
                         struct api_token *t);
/* The tokens of library_id (0: of every library), newest first, revoked
 * ones included. */
enum err store_token_list(struct store *st, int64_t library_id,
                          store_token_cb cb, void *arg);
/* The token with this hash, revoked or not; ERR_NOTFOUND when none. */
enum err store_token_by_hash(struct store *st, const char *hash,
                             struct api_token *out);
/* Revoke token id of library_id (0: of any library) with an audit row:
 * ERR_NOTFOUND when there is no such token there, ERR_STATE when it is
 * revoked already. */
enum err store_token_revoke(struct store *st, const struct store_actor *who,
                            int64_t library_id, int64_t id, int64_t now);
/* Note a use: last_used = now. */
enum err store_token_used(struct store *st, int64_t id, int64_t now);

/*
 * The change feed: every change to a school's roster, in the order it was
 * made, for the library's systems (GET /api/v1/changes).  Applying an
 * import adds one entry per journal row, undoing it one per row again with
 * before and after swapped (undo is its own entry, never a deletion of the
 * earlier ones), erasing a pupil (AVG) one entry without personal data.
 * Entries are never removed; the purge and an erasure blank their personal
 * data as they blank the journal's (the feed reads the journal).
 *
 * A position in the feed is the pair (event, seq): the applying, undoing
 * or erasing step, numbered in the order the steps were committed (the
 * backend must hand out event numbers in commit order: SQLite serialises
 * writers), and the journal row within it.  Positions only grow, so a
 * client that asks for the entries after the last position it saw never
 * misses or doubles one.  {0, 0} is before the first entry.
 */
enum feed_event { FEED_APPLY, FEED_UNDO, FEED_ERASE, FEED__MAX };

struct feed_pos {
	int64_t event;
	int64_t seq;
};

struct feed_entry {
	struct feed_pos pos;
	enum feed_event event;
	int64_t at; /* when the step was committed */
	int64_t school_id;
	int64_t import_id;     /* 0 for an erasure */
	enum change_kind kind; /* the journal row's kind; CHANGE__MAX for
	                          an erasure */
	int64_t pupil_id;      /* the student (0: erased since) */
	struct student before; /* as the roster had it (undo: swapped) */
	struct student after;  /* as it became */
	bool has_before;       /* the pupil was on the roster (active) */
	bool has_after;        /* ... and is after this entry */
};

typedef int (*store_feed_cb)(const struct feed_entry *, void *arg);

/* The entries of library_id's schools (school_id non-zero: of that school
 * only) after position from, in order, at most limit of them. */
enum err store_feed_list(struct store *st, int64_t library_id,
                         int64_t school_id, struct feed_pos from, int limit,
                         store_feed_cb cb, void *arg);
/* The position of the feed's last entry (of any library); {0, 0} when
 * there is none. */
enum err store_feed_head(struct store *st, struct feed_pos *out);
/* store_roster_load and store_feed_head read in one transaction: the
 * roster as it was at the feed's position *head, so that a client that
 * reads it and then the feed after *head misses nothing. */
enum err store_roster_snapshot(struct store *st, int64_t school_id,
                               struct student **out, size_t *n,
                               int64_t *version, struct feed_pos *head);

const char *feed_event_word(enum feed_event e);

const char *import_state_word(enum import_state s);
enum err import_state_parse(const char *word, enum import_state *out);

/* Words for roles and audit events, as stored and shown in the cli. */
const char *role_word(enum role r);
enum err role_parse(const char *word, enum role *out);
const char *audit_event_word(enum audit_event e);
enum err audit_event_parse(const char *word, enum audit_event *out);

#endif
