/*
 * Per-token rate limiting of the API, in memory: a token bucket per API
 * token id that holds at most burst requests and refills at rate requests
 * per second.  A request takes one; an empty bucket refuses it and says
 * after how many whole seconds one will be there (Retry-After).
 *
 * Thread-safe (one mutex).  The time is passed in (seconds, any monotonic
 * origin), so that the arithmetic is tested without clocks.  Limits: the
 * buckets live in one process; with several servers behind a load
 * balancer each counts on its own.  At most RATELIMIT_BUCKETS tokens are
 * tracked; past that the buckets that are full again (idle long enough to
 * have forgotten nothing) are dropped, and when none is, the table starts
 * over: a rare flood of tokens can then get one extra burst each.
 */
#ifndef BIEBSYNC_API_RATELIMIT_H
#define BIEBSYNC_API_RATELIMIT_H

#include <stdbool.h>
#include <stdint.h>

#define RATELIMIT_BUCKETS 4096

struct ratelimit;

/* A limiter of rate requests per second (> 0) and bursts of burst (>= 1);
 * NULL when out of memory. */
struct ratelimit *ratelimit_new(double rate, double burst);
/* Accepts NULL. */
void ratelimit_free(struct ratelimit *rl);

/* Take one request of token id at time now: true when allowed; false
 * when the bucket is empty, with *retry_after the whole seconds (>= 1)
 * until it holds one again. */
bool ratelimit_take(struct ratelimit *rl, int64_t id, double now,
                    int64_t *retry_after);

#endif
