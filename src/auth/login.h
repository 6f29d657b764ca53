/*
 * Logging in, and checking a logged-in user's password again: throttling
 * per account name and per client address, password verification with
 * equal cost whether or not the account exists, rehashing when the hashing
 * limits changed, and the audit rows for all of it.
 *
 * Throttling counts failures per key within window seconds.  Once a key has
 * max failures, further attempts are refused (without checking the password)
 * until lockout seconds after the last failure, doubling with every further
 * failure up to lockout_max.  Names are throttled whether or not an account
 * has them, so throttling reveals nothing about which accounts exist.
 * An attempt is counted before its secret is checked, in the same atomic
 * step as the check of the lock (store_throttle_take), and given back when
 * the secret was right: parallel guesses never get more than max checked.
 * The login, its second step and the current password asked again after
 * login (login_recheck) all count on the same per-account and per-address
 * counters.
 */
#ifndef BIEBSYNC_AUTH_LOGIN_H
#define BIEBSYNC_AUTH_LOGIN_H

#include <stdint.h>

#include "../store/store.h"

struct login_limits {
	int64_t max_account; /* failures per account name */
	int64_t max_address; /* failures per client address */
	int64_t window;      /* seconds a failure is remembered */
	int64_t lockout;     /* first lockout, seconds */
	int64_t lockout_max; /* longest lockout, seconds */
};

enum login_result {
	LOGIN_OK,
	LOGIN_FAILED,    /* unknown name, wrong password or disabled */
	LOGIN_THROTTLED, /* too many failures; try later */
	LOGIN_ERROR,     /* the database failed */
	LOGIN_REPLAY,    /* second step: a code already used */
	LOGIN_ENDED      /* recheck: too many failures, the session ended */
};

/*
 * Try to log in; on LOGIN_OK *acct is the account.  When the account has
 * two-step login on (acct->totp_secret set), LOGIN_OK means only that the
 * password was right: the login is recorded, and the account's failures
 * forgotten, by login_second_step().
 */
enum login_result login_attempt(struct store *st,
                                const struct login_limits *lim,
                                const char *username, const char *password,
                                const char *addr, struct account *acct);

/*
 * The second step for acct, whose password was right: code is a 6-digit
 * code from the app (good once: a code of the same or an older step than
 * the last one accepted is LOGIN_REPLAY) or one of the recovery codes
 * (used up; *recovery set).  A wrong code counts and is audited like a
 * wrong password, under the same per-account and per-address throttle.
 */
enum login_result login_second_step(struct store *st,
                                    const struct login_limits *lim,
                                    const struct account *acct,
                                    const char *code, const char *addr,
                                    bool *recovery);

/*
 * Check the password of a logged-in account again (changing the password,
 * turning two-step login off), throttled and audited like a login: the
 * same per-account and per-address counters, checked and counted in one
 * step, an audit row for every wrong or throttled try (what: why the
 * check, in the row's detail).  The session (session_hash, the hash of its
 * token; NULL: none) also counts its wrong and throttled tries: at max_account
 * of them the session is deleted, audited, and the answer is LOGIN_ENDED (the
 * caller clears the cookie and says why).  A right password forgets the
 * account's and the session's failures.
 */
enum login_result login_recheck(struct store *st,
                                const struct login_limits *lim,
                                const struct account *acct,
                                const char *password, const char *addr,
                                const char *session_hash, const char *what);

#endif
