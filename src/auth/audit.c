/*
 * Audit rows (see audit.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "../base/log.h"
#include "../base/strparse.h"

static void
audit_va(struct store *st, int64_t library_id, enum audit_event ev,
         int64_t account_id, int64_t school_id, const char *actor,
         const char *addr, const char *detail_fmt, va_list ap)
{
	struct audit_entry a;
	enum err e;

	memset(&a, 0, sizeof(a));
	a.event = ev;
	a.account_id = account_id;
	a.school_id = school_id;
	a.library_id = library_id;
	if (str_copy(a.actor, sizeof(a.actor), actor ? actor : "") != ERR_OK)
		str_copy(a.actor, sizeof(a.actor), "?");
	if (str_copy(a.addr, sizeof(a.addr), addr ? addr : "") != ERR_OK)
		str_copy(a.addr, sizeof(a.addr), "?");
	vsnprintf(a.detail, sizeof(a.detail), detail_fmt, ap);
	if ((e = store_audit_add(st, &a)) != ERR_OK)
		log_error(NULL, "audit: cannot record '%s': %s",
		          audit_event_word(ev), err_str(e));
}

void
audit(struct store *st, enum audit_event ev, int64_t account_id,
      int64_t school_id, const char *actor, const char *addr,
      const char *detail_fmt, ...)
{
	va_list ap;

	va_start(ap, detail_fmt);
	audit_va(st, 0, ev, account_id, school_id, actor, addr, detail_fmt, ap);
	va_end(ap);
}

void
audit_in(struct store *st, int64_t library_id, enum audit_event ev,
         int64_t account_id, int64_t school_id, const char *actor,
         const char *addr, const char *detail_fmt, ...)
{
	va_list ap;

	va_start(ap, detail_fmt);
	audit_va(st, library_id, ev, account_id, school_id, actor, addr,
	         detail_fmt, ap);
	va_end(ap);
}
