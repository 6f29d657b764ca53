/*
 * The worker pool behind pool.h: a ring buffer of waiting jobs under one
 * mutex, a condition variable the workers sleep on, and a flag that turns
 * every job still waiting into a cancelled one when the pool stops.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "pool.h"
#include "../base/heavy.h"
#include "../base/log.h"
#include "../base/mem.h"

struct job {
	pool_fn fn;
	void *arg;
};

struct pool {
	pthread_mutex_t lock; /* guards everything below */
	pthread_cond_t work;  /* a job waits, or stopping */
	struct job *ring;     /* cap slots; n waiting from head */
	unsigned cap, head, n;
	bool stopping;
	pthread_t *threads;
	unsigned nthreads;
};

/* Run the calling thread POOL_NICE levels below the process (Linux: nice
 * is per thread).  Raising one's own nice needs no privilege. */
static void
lower_priority(void)
{
#ifdef SYS_gettid
	id_t tid = (id_t)syscall(SYS_gettid);
	int now, want;

	errno = 0;
	now = getpriority(PRIO_PROCESS, tid);
	if (now == -1 && errno != 0)
		return;
	want = now + POOL_NICE > 19 ? 19 : now + POOL_NICE;
	if (setpriority(PRIO_PROCESS, tid, want) != 0)
		log_warn(NULL, "pool: cannot lower a worker's priority: %s",
		         strerror(errno));
#endif
}

static void *
worker_main(void *arg)
{
	struct pool *p = arg;

	heavy_thread_mark();
	lower_priority();
	pthread_mutex_lock(&p->lock);
	for (;;) {
		struct job j;
		bool cancelled;

		while (p->n == 0 && !p->stopping)
			pthread_cond_wait(&p->work, &p->lock);
		if (p->n == 0)
			break; /* stopping and nothing left */
		j = p->ring[p->head];
		p->head = (p->head + 1) % p->cap;
		p->n--;
		cancelled = p->stopping;
		pthread_mutex_unlock(&p->lock);
		j.fn(j.arg, cancelled);
		pthread_mutex_lock(&p->lock);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

struct pool *
pool_new(unsigned workers, unsigned queue, char *msg, size_t msgsz)
{
	struct pool *p = xcalloc(1, sizeof(*p));

	if (workers < 1)
		workers = 1;
	if (queue < 1)
		queue = 1;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->work, NULL);
	p->cap = queue;
	p->ring = xcalloc(queue, sizeof(*p->ring));
	p->threads = xcalloc(workers, sizeof(*p->threads));
	for (unsigned i = 0; i < workers; i++) {
		if (pthread_create(&p->threads[i], NULL, worker_main, p) != 0)
			break;
		p->nthreads++;
	}
	if (p->nthreads == 0) {
		snprintf(msg, msgsz, "cannot start the worker threads");
		pool_free(p);
		return NULL;
	}
	if (p->nthreads < workers)
		log_warn(NULL, "pool: only %u of %u worker threads started",
		         p->nthreads, workers);
	return p;
}

bool
pool_submit(struct pool *p, pool_fn fn, void *arg)
{
	bool ok = false;

	pthread_mutex_lock(&p->lock);
	if (!p->stopping && p->n < p->cap) {
		p->ring[(p->head + p->n) % p->cap] = (struct job){ fn, arg };
		p->n++;
		pthread_cond_signal(&p->work);
		ok = true;
	}
	pthread_mutex_unlock(&p->lock);
	return ok;
}

bool
pool_full(struct pool *p)
{
	bool full;

	pthread_mutex_lock(&p->lock);
	full = p->stopping || p->n >= p->cap;
	pthread_mutex_unlock(&p->lock);
	return full;
}

void
pool_free(struct pool *p)
{
	if (p == NULL)
		return;
	pthread_mutex_lock(&p->lock);
	p->stopping = true;
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->lock);
	for (unsigned i = 0; i < p->nthreads; i++)
		pthread_join(p->threads[i], NULL);
	pthread_cond_destroy(&p->work);
	pthread_mutex_destroy(&p->lock);
	free(p->ring);
	free(p->threads);
	free(p);
}
