/*
 * Account life cycle shared by the web and the command line: creating
 * schools and accounts, one-time passwords, changing a password under the
 * policy, disabling.  Each function writes its audit row.
 */
#ifndef BIEBSYNC_AUTH_ACCOUNT_H
#define BIEBSYNC_AUTH_ACCOUNT_H

#include "login.h"
#include "password.h"
#include "../store/store.h"

/*
 * Is each part of c empty or well-formed?  name: text up to 120 bytes;
 * phone: 6-40 of digits, spaces and "+-()" with a digit; email: one '@'
 * between a local part and a dotted domain, no spaces or quotes.
 */
bool account_contact_valid(const struct contact *c);

/*
 * Validate and add a library organisation.  name: 1-200 bytes of text;
 * slug: 1-64 of [a-z0-9-], derived from the name when empty or NULL.
 * ERR_INVALID for bad fields, ERR_EXISTS for a taken slug.
 */
enum err account_library_add(struct store *st, const struct store_actor *who,
                             const char *name, const char *slug,
                             struct library *out);
/* Write l's name and contact after checking them (ERR_INVALID). */
enum err account_library_update(struct store *st, const struct store_actor *who,
                                const struct library *l);

/*
 * Validate and add a school to library_id.  name: 1-200 bytes of text;
 * brin: 2-8 letters and digits (stored upper-case); slug as for libraries;
 * c: NULL or a contact (account_contact_valid).  ERR_INVALID for bad
 * fields, ERR_EXISTS for a taken slug, ERR_NOTFOUND for an unknown library.
 */
enum err account_school_add(struct store *st, const struct store_actor *who,
                            int64_t library_id, const char *name,
                            const char *brin, const char *slug,
                            const struct contact *c, struct school *out);
/* Write s's name, BRIN (made upper-case) and contact after the same
 * checks. */
enum err account_school_update(struct store *st, const struct store_actor *who,
                               struct school *s);

/* Derive a slug from a school name ("OBS De Regenboog" -> "obs-de-regenboog").
 */
void account_slugify(const char *name, char *out, size_t outsz);

/*
 * A free username made from base (a school's or library's slug): base
 * itself when no account has it (ignoring case), else base-2, base-3, ...
 * up to base-99; cut to leave room for the suffix.  ERR_EXISTS when all
 * are taken, ERR_INVALID when base is empty.
 */
enum err account_suggest_username(struct store *st, const char *base, char *out,
                                  size_t outsz);

/* Is brin a Dutch school code as the library's form asks for it: two
 * digits and two letters (either case), like "12AB"? */
bool account_brin_wellformed(const char *brin);

/*
 * Add an account of library_id with a fresh one-time password written to
 * otp.  username: 1-64 of [A-Za-z0-9._@-]; school_id 0 for
 * ROLE_BIBLIOTHEEK, else a school of library_id (ERR_NOTFOUND if not).
 */
enum err account_add(struct store *st, const struct store_actor *who,
                     const char *username, enum role role, int64_t library_id,
                     int64_t school_id, char otp[OTP_SIZE],
                     struct account *out);

/* Give the account a new one-time password and end all its sessions. */
enum err account_reset_password(struct store *st, const struct store_actor *who,
                                struct account *acct, char otp[OTP_SIZE]);

/* Disable the account and end its sessions, or enable it again. */
enum err account_set_disabled(struct store *st, const struct store_actor *who,
                              struct account *acct, bool disabled);

/*
 * Reset acct's two-step login (a lost phone): its secret, a secret being
 * set up and its recovery codes are removed and its sessions end; audited.
 * The account then logs in with its password alone (a library account is
 * asked to set two-step login up again).
 */
enum err account_reset_twostep(struct store *st, const struct store_actor *who,
                               struct account *acct);

enum pwchange {
	PWCHANGE_OK,
	PWCHANGE_REFUSED,   /* see the struct pwchange_problems */
	PWCHANGE_ERROR,     /* the database failed */
	PWCHANGE_THROTTLED, /* too many wrong current passwords: not checked */
	PWCHANGE_ENDED      /* ... and now too many in this session: it ended */
};

/*
 * Everything that is wrong with a refused change, not only the first
 * problem, so a form can show each next to its field.
 */
struct pwchange_problems {
	bool wrong_current;      /* the current password does not match */
	bool mismatch;           /* new and repeat differ */
	bool same;               /* new equals the (correct) current one */
	enum pw_verdict verdict; /* the policy on the new one (PW_OK: fine) */
};

/*
 * Change acct's password after checking current, the repeat and the policy;
 * ends all other sessions of the account (keep_hash: the session to keep,
 * and the session whose wrong current passwords count, see
 * login_recheck()).  The current password is checked under the login
 * throttle lim, like a login from who->addr: PWCHANGE_THROTTLED (nothing
 * else checked) or PWCHANGE_ENDED (the session keep_hash was deleted).
 * Otherwise every check runs, whatever the others say, and *why records
 * each problem; the current password is verified exactly once (one Argon2
 * hash), and a new hash is made only when nothing is wrong.
 */
enum pwchange account_change_password(struct store *st,
                                      const struct store_actor *who,
                                      struct account *acct, const char *current,
                                      const char *fresh, const char *repeat,
                                      const char *keep_hash,
                                      const struct login_limits *lim,
                                      struct pwchange_problems *why);

/* A fixed, documented password for the demo account (make run). */
#define DEMO_USERNAME "demo"
#define DEMO_PASSWORD "bieb-op-school-demo"
#define DEMO_SCHOOL   "demo"

#endif
