/*
 * The API's token buckets (ratelimit.h): a small array of buckets searched
 * linearly under one mutex.  A library has a handful of tokens, so the
 * array stays short; RATELIMIT_BUCKETS caps it.
 */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>

#include "ratelimit.h"
#include "../base/mem.h"

struct bucket {
	int64_t id;
	double tokens; /* requests it may still make */
	double at;     /* when tokens was computed */
};

struct ratelimit {
	pthread_mutex_t lock;
	double rate, burst;
	struct bucket *b;
	size_t n;
};

struct ratelimit *
ratelimit_new(double rate, double burst)
{
	struct ratelimit *rl;

	if (!(rate > 0) || !(burst >= 1))
		return NULL;
	rl = xcalloc(1, sizeof(*rl));
	rl->b = xcalloc(RATELIMIT_BUCKETS, sizeof(*rl->b));
	pthread_mutex_init(&rl->lock, NULL);
	rl->rate = rate;
	rl->burst = burst;
	return rl;
}

void
ratelimit_free(struct ratelimit *rl)
{
	if (rl == NULL)
		return;
	pthread_mutex_destroy(&rl->lock);
	free(rl->b);
	free(rl);
}

/* Refill b up to now. */
static void
refill(const struct ratelimit *rl, struct bucket *b, double now)
{
	if (now > b->at) {
		b->tokens += (now - b->at) * rl->rate;
		if (b->tokens > rl->burst)
			b->tokens = rl->burst;
		b->at = now;
	}
}

/* Make room for one more bucket (the lock held). */
static void
make_room(struct ratelimit *rl, double now)
{
	size_t kept = 0;

	for (size_t i = 0; i < rl->n; i++) {
		refill(rl, &rl->b[i], now);
		if (rl->b[i].tokens < rl->burst)
			rl->b[kept++] = rl->b[i];
	}
	rl->n = kept < RATELIMIT_BUCKETS ? kept : 0;
}

bool
ratelimit_take(struct ratelimit *rl, int64_t id, double now,
               int64_t *retry_after)
{
	struct bucket *b = NULL;
	bool ok;

	pthread_mutex_lock(&rl->lock);
	for (size_t i = 0; i < rl->n; i++) {
		if (rl->b[i].id == id) {
			b = &rl->b[i];
			break;
		}
	}
	if (b == NULL) {
		if (rl->n == RATELIMIT_BUCKETS)
			make_room(rl, now);
		b = &rl->b[rl->n++];
		b->id = id;
		b->tokens = rl->burst;
		b->at = now;
	}
	refill(rl, b, now);
	ok = b->tokens >= 1;
	if (ok) {
		b->tokens -= 1;
	} else {
		double wait = ceil((1 - b->tokens) / rl->rate);

		*retry_after = wait < 1 ? 1 : (int64_t)wait;
	}
	pthread_mutex_unlock(&rl->lock);
	return ok;
}
