/*
 * The number of online CPUs, asked once: sysconf(_SC_NPROCESSORS_ONLN)
 * reads /sys, which a sandboxed child (sandbox.h) may not open, so the
 * count is kept from the first call (sandbox_run() makes it before it
 * forks).
 */
#ifndef BIEBSYNC_BASE_CPUS_H
#define BIEBSYNC_BASE_CPUS_H

/* At least 1. */
long cpus_online(void);

#endif
