/*
 * Allocation that never returns NULL.  Out of memory is not something the
 * program can recover from in a useful way, so it aborts in one place
 * (after logging) instead of sprinkling checks everywhere.  Every allocation
 * whose size is driven by input must be capped by the caller first.
 */
#ifndef BIEBSYNC_BASE_MEM_H
#define BIEBSYNC_BASE_MEM_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* From now on an allocation failure ends the process at once with
 * _exit(status), without a message: for a sandboxed child (sandbox.h),
 * which may not use stdio and whose parent reports the memory limit. */
void mem_oom_exit(int status);

/* Overwrite n bytes at p with zeros in a way the compiler cannot elide. */
void mem_wipe(void *p, size_t n);

/* Wipe a NUL-terminated secret and free it.  Accepts NULL. */
void str_free_secret(char *s);

#endif
