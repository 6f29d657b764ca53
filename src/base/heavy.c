/*
 * Where heavy work may run (see heavy.h): a thread-local mark set by the
 * worker pool's threads and one process-wide switch.
 */
#include <stdatomic.h>

#include "heavy.h"
#include "log.h"

static _Thread_local bool marked;
static atomic_bool enforced;

void
heavy_thread_mark(void)
{
	marked = true;
}

bool
heavy_thread_marked(void)
{
	return marked;
}

void
heavy_enforce(bool on)
{
	atomic_store(&enforced, on);
}

bool
heavy_check(const char *what)
{
	if (marked || !atomic_load(&enforced))
		return true;
	log_error(NULL,
	          "%s: %s (its route is not marked heavy in src/web/app.c)",
	          HEAVY_MISPLACED, what);
	return false;
}
