/*
 * The online CPU count, cached (see cpus.h).  Threads may race on the
 * first call: each stores the same value.
 */
#include <unistd.h>

#include "cpus.h"

static long cached; /* 0: not asked yet */

long
cpus_online(void)
{
	long n = __atomic_load_n(&cached, __ATOMIC_RELAXED);

	if (n == 0) {
		n = sysconf(_SC_NPROCESSORS_ONLN);
		if (n < 1)
			n = 1;
		__atomic_store_n(&cached, n, __ATOMIC_RELAXED);
	}
	return n;
}
