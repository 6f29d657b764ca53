/*
 * The worker pool for heavy requests (issue 12, point 3): a fixed number of
 * plain pthreads that take jobs from one bounded queue, so that Argon2
 * hashing and file reading never run on the threads that serve HTTP.
 *
 * Invariants: at most `workers` jobs run at once and at most `queue` wait;
 * a job that does not fit is refused at once (pool_submit false), never
 * blocked on.  Every job submitted is run exactly once: normally, or with
 * cancelled = true when the pool stops before a worker took it up (its
 * function must then only release what it holds).  Workers are marked for
 * heavy_check() (base/heavy.h) and run POOL_NICE nice levels below the
 * process on Linux (per-thread setpriority), so the HTTP threads win the
 * CPU; threads they start (a reader's helpers) inherit that.
 */
#ifndef BIEBSYNC_HTTP_POOL_H
#define BIEBSYNC_HTTP_POOL_H

#include <stdbool.h>
#include <stddef.h>

/* Nice levels the workers run below the process (capped at 19). */
#define POOL_NICE 10

struct pool;

/* A job: arg is the submitter's; cancelled: the pool stopped first. */
typedef void (*pool_fn)(void *arg, bool cancelled);

/* Start workers (>= 1) threads with room for queue (>= 1) waiting jobs;
 * NULL with msg saying why when no thread could be started. */
struct pool *pool_new(unsigned workers, unsigned queue, char *msg,
                      size_t msgsz);

/* Queue fn(arg); false when the queue is full or the pool is stopping
 * (then fn is not called). */
bool pool_submit(struct pool *p, pool_fn fn, void *arg);

/* Whether a pool_submit() now would be refused (a hint: racy). */
bool pool_full(struct pool *p);

/* Stop: jobs not yet taken up run with cancelled = true, running ones
 * finish; then the workers are joined and p is freed.  Accepts NULL. */
void pool_free(struct pool *p);

#endif
