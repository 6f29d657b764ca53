/*
 * Login sessions: creation, lookup with idle and absolute timeouts, ending,
 * and the cookies that carry them.
 *
 * The cookie holds a random token (token.h); the database holds only its
 * hash.  A session is valid while it was used within idle_timeout seconds,
 * is younger than absolute_timeout seconds, and its account exists and is
 * not disabled.  Each successful lookup refreshes last_seen.
 *
 * A pending session (se->pending) proves only the password: the second
 * step of two-step login is still due.  It lives SESSION_PENDING_TTL
 * seconds; the web layer lets it reach the code page and nothing else,
 * and replaces it with a full session (a new token) once the code is right.
 */
#ifndef BIEBSYNC_AUTH_SESSION_H
#define BIEBSYNC_AUTH_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "token.h"
#include "../store/store.h"

struct session_limits {
	int64_t idle_timeout;     /* seconds without a request */
	int64_t absolute_timeout; /* seconds since login */
};

/* Start a session for account_id; the cookie value goes to token. */
enum err session_start(struct store *st, int64_t account_id,
                       char token[TOKEN_SIZE]);

#define SESSION_PENDING_TTL 300 /* seconds to enter the second step */

/* Start a pending session (the password was right, a code is due). */
enum err session_start_pending(struct store *st, int64_t account_id,
                               char token[TOKEN_SIZE]);

/*
 * Find the live session for token and its account.  ERR_NOTFOUND for an
 * unknown, expired or ill-formed token or a disabled account; an expired
 * session is deleted.
 */
enum err session_resolve(struct store *st, const struct session_limits *lim,
                         const char *token, struct session *se,
                         struct account *acct);

/* End the session for token (logout).  Unknown tokens are ignored. */
void session_end(struct store *st, const char *token);

/*
 * Format a Set-Cookie value into out.  The cookie is HttpOnly,
 * SameSite=Strict and Path=/; with secure, it is Secure and its name gets
 * the __Host- prefix.  max_age < 0: a browser-session cookie; 0: delete.
 * Returns ERR_LIMIT when out is too small.
 */
enum err cookie_format(char *out, size_t outsz, const char *name,
                       const char *value, bool secure, int64_t max_age);

/* The cookie's name as sent by the browser: "__Host-NAME" or "NAME". */
void cookie_name(char *out, size_t outsz, const char *name, bool secure);

#endif
