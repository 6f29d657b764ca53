/*
 * The login procedure (see login.h).
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "login.h"
#include "password.h"
#include "totp.h"
#include "../base/log.h"
#include "../base/text.h"

/* Throttle keys: "u:" + lowercase name (bounded), "a:" + address. */
static void
keys(const char *username, const char *addr, char *ukey, char *akey, size_t sz)
{
	size_t i, o = 2;

	ukey[0] = 'u';
	ukey[1] = ':';
	for (i = 0; username[i] != '\0' && o + 1 < sz && i < STORE_KEY_MAX - 4;
	     i++)
		ukey[o++] = (char)tolower((unsigned char)username[i]);
	ukey[o] = '\0';
	snprintf(akey, sz, "a:%s", addr);
}

static struct throttle_rule
rule_of(const struct login_limits *lim)
{
	return (struct throttle_rule){ lim->window, lim->lockout,
		                       lim->lockout_max };
}

/*
 * Take one attempt for the account and the address (tk[0], tk[1]), checked
 * and counted in one step: LOGIN_OK (the secret may be checked),
 * LOGIN_THROTTLED or LOGIN_ERROR.
 */
static enum login_result
take(struct store *st, const struct login_limits *lim, const char *ukey,
     const char *akey, int64_t now, struct throttle_key tk[2])
{
	struct throttle_rule r = rule_of(lim);
	enum err e;

	tk[0] = (struct throttle_key){ ukey, lim->max_account, 0 };
	tk[1] = (struct throttle_key){ akey, lim->max_address, 0 };
	e = store_throttle_take(st, tk, 2, &r, now);
	if (e == ERR_THROTTLED)
		return LOGIN_THROTTLED;
	return e == ERR_OK ? LOGIN_OK : LOGIN_ERROR;
}

/* The secret was right: the address gets its attempt back, the account's
 * failures are forgotten (forget) or its attempt given back. */
static void
right(struct store *st, struct throttle_key tk[2], int64_t now, bool forget)
{
	store_throttle_release(st, &tk[1], now);
	if (forget)
		store_throttle_clear(st, tk[0].key);
	else
		store_throttle_release(st, &tk[0], now);
}

enum login_result
login_attempt(struct store *st, const struct login_limits *lim,
              const char *username, const char *password, const char *addr,
              struct account *acct)
{
	char ukey[STORE_KEY_MAX + 1], akey[STORE_KEY_MAX + 1];
	struct throttle_key tk[2];
	int64_t now = time_now();
	enum login_result r;
	enum err e;
	bool ok;

	keys(username, addr, ukey, akey, sizeof(ukey));
	e = store_account_by_name(st, username, acct);
	if (e != ERR_OK && e != ERR_NOTFOUND)
		return LOGIN_ERROR;
	if (e == ERR_NOTFOUND)
		memset(acct, 0, sizeof(*acct));
	if ((r = take(st, lim, ukey, akey, now, tk)) == LOGIN_THROTTLED)
		audit(st, AUDIT_LOGIN_THROTTLED, acct->id, acct->school_id,
		      acct->id ? acct->username : "(unknown)", addr, "%s", "");
	if (r != LOGIN_OK)
		return r;
	if (e == ERR_NOTFOUND) {
		password_verify_dummy(password);
		ok = false;
	} else {
		ok = password_verify(acct->pwhash, password) && !acct->disabled;
	}
	if (!ok) { /* counted by take() already */
		audit(st, AUDIT_LOGIN_FAILED, acct->id, acct->school_id,
		      acct->id ? acct->username : "(unknown)", addr, "%s",
		      acct->disabled ? "disabled" : "");
		return LOGIN_FAILED;
	}
	/* with two-step login on, the account's failures are forgotten only
	 * after the second step */
	right(st, tk, now, acct->totp_secret[0] == '\0');
	if (password_needs_rehash(acct->pwhash)) {
		char hash[PASSWORD_HASH_SIZE];

		if (password_hash(password, hash) == ERR_OK &&
		    store_account_set_password(
		            st, acct->id, hash, acct->must_change,
		            acct->password_changed) == ERR_OK)
			memcpy(acct->pwhash, hash, sizeof(hash));
		else
			log_warn(NULL, "login: rehash of account %lld failed",
			         (long long)acct->id);
	}
	if (acct->totp_secret[0] != '\0')
		return LOGIN_OK; /* login_second_step() records it */
	store_account_logged_in(st, acct->id, now);
	audit(st, AUDIT_LOGIN_OK, acct->id, acct->school_id, acct->username,
	      addr, "%s", "");
	return LOGIN_OK;
}

enum login_result
login_second_step(struct store *st, const struct login_limits *lim,
                  const struct account *acct, const char *code,
                  const char *addr, bool *recovery)
{
	char ukey[STORE_KEY_MAX + 1], akey[STORE_KEY_MAX + 1], hash[65];
	struct throttle_key tk[2];
	int64_t now = time_now(), step = 0;
	enum login_result r;
	enum err e = ERR_NOTFOUND;

	*recovery = false;
	keys(acct->username, addr, ukey, akey, sizeof(ukey));
	if ((r = take(st, lim, ukey, akey, now, tk)) == LOGIN_THROTTLED)
		audit(st, AUDIT_LOGIN_THROTTLED, acct->id, acct->school_id,
		      acct->username, addr, "%s", "second step");
	if (r != LOGIN_OK)
		return r;
	if (totp_check(acct->totp_secret, code, now, &step)) {
		e = store_account_totp_step(st, acct->id, step);
		if (e == ERR_EXISTS) {
			/* a replay is refused, not counted (as before the
			 * throttle took attempts up front) */
			right(st, tk, now, false);
			audit(st, AUDIT_TOTP_FAILED, acct->id, acct->school_id,
			      acct->username, addr, "%s", "code used before");
			return LOGIN_REPLAY;
		}
	} else if (recovery_hash(code, hash)) {
		e = store_recovery_use(st, acct->id, hash);
		*recovery = e == ERR_OK;
	}
	if (e != ERR_OK && e != ERR_NOTFOUND)
		return LOGIN_ERROR;
	if (e == ERR_NOTFOUND) { /* counted by take() already */
		audit(st, AUDIT_TOTP_FAILED, acct->id, acct->school_id,
		      acct->username, addr, "%s", "");
		return LOGIN_FAILED;
	}
	right(st, tk, now, true);
	if (*recovery) {
		int64_t left = 0;

		store_recovery_count(st, acct->id, &left);
		audit(st, AUDIT_RECOVERY_USED, acct->id, acct->school_id,
		      acct->username, addr, "left=%lld", (long long)left);
	}
	store_account_logged_in(st, acct->id, now);
	audit(st, AUDIT_LOGIN_OK, acct->id, acct->school_id, acct->username,
	      addr, "%s", *recovery ? "recovery code" : "two-step");
	return LOGIN_OK;
}

/* A failed or throttled recheck counts for the session: LOGIN_ENDED when
 * that was its max_account-th, with the session deleted; else r. */
static enum login_result
session_failure(struct store *st, const struct login_limits *lim,
                const struct account *acct, const char *skey,
                const char *session_hash, const char *addr, const char *what,
                int64_t now, enum login_result r)
{
	int64_t n = 0;

	if (session_hash == NULL ||
	    store_throttle_fail(st, skey, now, lim->window, &n) != ERR_OK ||
	    n < lim->max_account)
		return r;
	store_session_delete(st, session_hash);
	store_throttle_clear(st, skey);
	audit(st, AUDIT_SESSION_ENDED, acct->id, acct->school_id,
	      acct->username, addr, "%s: %lld failures", what, (long long)n);
	return LOGIN_ENDED;
}

enum login_result
login_recheck(struct store *st, const struct login_limits *lim,
              const struct account *acct, const char *password,
              const char *addr, const char *session_hash, const char *what)
{
	char ukey[STORE_KEY_MAX + 1], akey[STORE_KEY_MAX + 1];
	char skey[STORE_KEY_MAX + 1];
	struct throttle_key tk[2];
	int64_t now = time_now();
	enum login_result r;

	keys(acct->username, addr, ukey, akey, sizeof(ukey));
	snprintf(skey, sizeof(skey), "s:%s",
	         session_hash != NULL ? session_hash : "");
	r = take(st, lim, ukey, akey, now, tk);
	if (r == LOGIN_THROTTLED) {
		audit(st, AUDIT_PASSWORD_CHECK_THROTTLED, acct->id,
		      acct->school_id, acct->username, addr, "%s", what);
		return session_failure(st, lim, acct, skey, session_hash, addr,
		                       what, now, r);
	}
	if (r != LOGIN_OK)
		return r;
	if (!password_verify(acct->pwhash, password)) {
		audit(st, AUDIT_PASSWORD_CHECK_FAILED, acct->id,
		      acct->school_id, acct->username, addr, "%s", what);
		return session_failure(st, lim, acct, skey, session_hash, addr,
		                       what, now, LOGIN_FAILED);
	}
	right(st, tk, now, true);
	if (session_hash != NULL)
		store_throttle_clear(st, skey);
	return LOGIN_OK;
}
