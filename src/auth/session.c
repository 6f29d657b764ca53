/*
 * Sessions and their cookies (see session.h).
 */
#include <stdio.h>
#include <string.h>

#include "session.h"
#include "../base/text.h"

static enum err
begin(struct store *st, int64_t account_id, bool pending,
      char token[TOKEN_SIZE])
{
	struct session se;

	memset(&se, 0, sizeof(se));
	token_new(token);
	token_hash(token, se.id_hash);
	se.account_id = account_id;
	se.created = se.last_seen = time_now();
	se.pending = pending;
	return store_session_add(st, &se);
}

enum err
session_start(struct store *st, int64_t account_id, char token[TOKEN_SIZE])
{
	return begin(st, account_id, false, token);
}

enum err
session_start_pending(struct store *st, int64_t account_id,
                      char token[TOKEN_SIZE])
{
	return begin(st, account_id, true, token);
}

enum err
session_resolve(struct store *st, const struct session_limits *lim,
                const char *token, struct session *se, struct account *acct)
{
	char hash[TOKEN_HASH_SIZE];
	int64_t now = time_now();
	enum err e;

	if (token == NULL || !token_wellformed(token))
		return ERR_NOTFOUND;
	token_hash(token, hash);
	if ((e = store_session_get(st, hash, se)) != ERR_OK)
		return e;
	if (now - se->last_seen > lim->idle_timeout ||
	    now - se->created > lim->absolute_timeout ||
	    (se->pending && now - se->created > SESSION_PENDING_TTL)) {
		store_session_delete(st, hash);
		return ERR_NOTFOUND;
	}
	if ((e = store_account_get(st, se->account_id, acct)) != ERR_OK)
		return e;
	if (acct->disabled) {
		store_session_delete(st, hash);
		return ERR_NOTFOUND;
	}
	if (now != se->last_seen) {
		store_session_touch(st, hash, now);
		se->last_seen = now;
	}
	return ERR_OK;
}

void
session_end(struct store *st, const char *token)
{
	char hash[TOKEN_HASH_SIZE];

	if (token == NULL || !token_wellformed(token))
		return;
	token_hash(token, hash);
	store_session_delete(st, hash);
}

void
cookie_name(char *out, size_t outsz, const char *name, bool secure)
{
	snprintf(out, outsz, "%s%s", secure ? "__Host-" : "", name);
}

enum err
cookie_format(char *out, size_t outsz, const char *name, const char *value,
              bool secure, int64_t max_age)
{
	char full[128], age[48] = "";
	int n;

	cookie_name(full, sizeof(full), name, secure);
	if (max_age >= 0)
		snprintf(age, sizeof(age), "; Max-Age=%lld",
		         (long long)max_age);
	n = snprintf(out, outsz, "%s=%s; Path=/%s; HttpOnly; SameSite=Strict%s",
	             full, value, age, secure ? "; Secure" : "");
	return n < 0 || (size_t)n >= outsz ? ERR_LIMIT : ERR_OK;
}
