/*
 * Writing audit log rows: who did what, when, from where.  A thin helper
 * over store_audit_add() so callers state an event in one line.  detail
 * holds counts and ids only; never a password, token or uploaded content.
 */
#ifndef BIEBSYNC_AUTH_AUDIT_H
#define BIEBSYNC_AUTH_AUDIT_H

#include "../store/store.h"

/* actor: the username acting ("cli" etc.); addr: client address or "cli".
 * Failures to write are logged, not returned: the action itself stands. */
void audit(struct store *st, enum audit_event ev, int64_t account_id,
           int64_t school_id, const char *actor, const char *addr,
           const char *detail_fmt, ...) __attribute__((format(printf, 7, 8)));

/* The same for a row that belongs to library_id even when neither the
 * school nor the acting account names it (a library account added from the
 * command line, say).  library_id 0 derives it as audit() does. */
void audit_in(struct store *st, int64_t library_id, enum audit_event ev,
              int64_t account_id, int64_t school_id, const char *actor,
              const char *addr, const char *detail_fmt, ...)
        __attribute__((format(printf, 8, 9)));

#endif
