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

static bool
locked(struct store *st, const char *key, int64_t max,
       const struct login_limits *lim, int64_t now)
{
	int64_t failures = 0, last = 0, wait;

	if (store_throttle_get(st, key, &failures, &last) != ERR_OK)
		return false;
	if (failures < max)
		return false;
	wait = lim->lockout;
	for (int64_t i = max; i < failures && wait < lim->lockout_max; i++)
		wait *= 2;
	if (wait > lim->lockout_max)
		wait = lim->lockout_max;
	return now < last + wait;
}

enum login_result
login_attempt(struct store *st, const struct login_limits *lim,
              const char *username, const char *password, const char *addr,
              struct account *acct)
{
	char ukey[STORE_KEY_MAX + 1], akey[STORE_KEY_MAX + 1];
	int64_t now = time_now(), n;
	enum err e;
	bool ok;

	keys(username, addr, ukey, akey, sizeof(ukey));
	e = store_account_by_name(st, username, acct);
	if (e != ERR_OK && e != ERR_NOTFOUND)
		return LOGIN_ERROR;
	if (e == ERR_NOTFOUND)
		memset(acct, 0, sizeof(*acct));
	if (locked(st, ukey, lim->max_account, lim, now) ||
	    locked(st, akey, lim->max_address, lim, now)) {
		audit(st, AUDIT_LOGIN_THROTTLED, acct->id, acct->school_id,
		      acct->id ? acct->username : "(unknown)", addr, "%s", "");
		return LOGIN_THROTTLED;
	}
	if (e == ERR_NOTFOUND) {
		password_verify_dummy(password);
		ok = false;
	} else {
		ok = password_verify(acct->pwhash, password) && !acct->disabled;
	}
	if (!ok) {
		store_throttle_fail(st, ukey, now, lim->window, &n);
		store_throttle_fail(st, akey, now, lim->window, &n);
		audit(st, AUDIT_LOGIN_FAILED, acct->id, acct->school_id,
		      acct->id ? acct->username : "(unknown)", addr, "%s",
		      acct->disabled ? "disabled" : "");
		return LOGIN_FAILED;
	}
	if (acct->totp_secret[0] == '\0')
		store_throttle_clear(st, ukey);
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
	int64_t now = time_now(), step = 0, n;
	enum err e = ERR_NOTFOUND;

	*recovery = false;
	keys(acct->username, addr, ukey, akey, sizeof(ukey));
	if (locked(st, ukey, lim->max_account, lim, now) ||
	    locked(st, akey, lim->max_address, lim, now)) {
		audit(st, AUDIT_LOGIN_THROTTLED, acct->id, acct->school_id,
		      acct->username, addr, "%s", "second step");
		return LOGIN_THROTTLED;
	}
	if (totp_check(acct->totp_secret, code, now, &step)) {
		e = store_account_totp_step(st, acct->id, step);
		if (e == ERR_EXISTS) {
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
	if (e == ERR_NOTFOUND) {
		store_throttle_fail(st, ukey, now, lim->window, &n);
		store_throttle_fail(st, akey, now, lim->window, &n);
		audit(st, AUDIT_TOTP_FAILED, acct->id, acct->school_id,
		      acct->username, addr, "%s", "");
		return LOGIN_FAILED;
	}
	store_throttle_clear(st, ukey);
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
