/*
 * Tests for src/http/pool.c, the worker pool for heavy requests: every job
 * runs exactly once on a marked worker thread; a job that does not fit the
 * queue is refused at once; stopping the pool runs the jobs still waiting
 * as cancelled and lets the running one finish.  Jobs that must hold a
 * worker wait on a gate the test opens, so nothing depends on timing.
 */
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../../src/base/heavy.h"
#include "../../src/http/pool.h"

#define NJOBS 50

/* What the jobs of one test share. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;
static int ran[NJOBS];       /* times each job ran */
static int cancelled[NJOBS]; /* times each ran as cancelled */
static int unmarked;         /* runs on a thread not marked heavy */
static int finished;         /* jobs run so far */
static bool started;         /* the blocking job has begun */
static bool gate_open;       /* the blocking job may end */

static void
reset(void)
{
	memset(ran, 0, sizeof(ran));
	memset(cancelled, 0, sizeof(cancelled));
	unmarked = finished = 0;
	started = gate_open = false;
}

/* A job: records that it ran, how, and where. */
static void
count(void *arg, bool was_cancelled)
{
	int i = (int)(intptr_t)arg;

	pthread_mutex_lock(&lock);
	ran[i]++;
	cancelled[i] += was_cancelled;
	unmarked += !heavy_thread_marked();
	finished++;
	pthread_cond_broadcast(&changed);
	pthread_mutex_unlock(&lock);
}

/* A job that holds its worker until the gate opens, then counts. */
static void
blocking(void *arg, bool was_cancelled)
{
	pthread_mutex_lock(&lock);
	started = true;
	pthread_cond_broadcast(&changed);
	while (!gate_open)
		pthread_cond_wait(&changed, &lock);
	pthread_mutex_unlock(&lock);
	count(arg, was_cancelled);
}

static void
wait_finished(int n)
{
	pthread_mutex_lock(&lock);
	while (finished < n)
		pthread_cond_wait(&changed, &lock);
	pthread_mutex_unlock(&lock);
}

static void
wait_started(void)
{
	pthread_mutex_lock(&lock);
	while (!started)
		pthread_cond_wait(&changed, &lock);
	pthread_mutex_unlock(&lock);
}

static void
open_gate(void)
{
	pthread_mutex_lock(&lock);
	gate_open = true;
	pthread_cond_broadcast(&changed);
	pthread_mutex_unlock(&lock);
}

static void
every_job_runs_once_on_a_marked_worker(void **state)
{
	char msg[128];
	struct pool *p = pool_new(3, NJOBS, msg, sizeof(msg));

	(void)state;
	reset();
	assert_non_null(p);
	for (int i = 0; i < NJOBS; i++)
		assert_true(pool_submit(p, count, (void *)(intptr_t)i));
	wait_finished(NJOBS);
	pool_free(p);
	for (int i = 0; i < NJOBS; i++) {
		assert_int_equal(ran[i], 1);
		assert_int_equal(cancelled[i], 0);
	}
	assert_int_equal(unmarked, 0);
	assert_false(heavy_thread_marked()); /* the test's own thread */
}

static void
a_job_past_the_queue_is_refused_at_once(void **state)
{
	char msg[128];
	struct pool *p = pool_new(1, 2, msg, sizeof(msg));

	(void)state;
	reset();
	assert_true(pool_submit(p, blocking, (void *)(intptr_t)0));
	wait_started(); /* the one worker is busy */
	assert_false(pool_full(p));
	assert_true(pool_submit(p, count, (void *)(intptr_t)1));
	assert_true(pool_submit(p, count, (void *)(intptr_t)2));
	assert_true(pool_full(p));
	assert_false(pool_submit(p, count, (void *)(intptr_t)3));
	open_gate();
	wait_finished(3);
	assert_false(pool_full(p));
	pool_free(p);
	assert_int_equal(ran[0] + ran[1] + ran[2], 3);
	assert_int_equal(ran[3], 0); /* refused: never called */
}

struct stopper {
	struct pool *p;
};

static void *
stop_pool(void *arg)
{
	pool_free(((struct stopper *)arg)->p);
	return NULL;
}

static void
stopping_cancels_waiting_jobs_and_finishes_the_running_one(void **state)
{
	char msg[128];
	struct stopper s = { pool_new(1, 8, msg, sizeof(msg)) };
	pthread_t t;

	(void)state;
	reset();
	assert_true(pool_submit(s.p, blocking, (void *)(intptr_t)0));
	wait_started();
	for (int i = 1; i <= 3; i++)
		assert_true(pool_submit(s.p, count, (void *)(intptr_t)i));
	assert_int_equal(pthread_create(&t, NULL, stop_pool, &s), 0);
	/* a stopping pool takes nothing more: pool_full says so */
	while (!pool_full(s.p))
		sched_yield();
	open_gate();
	pthread_join(t, NULL);
	assert_int_equal(ran[0], 1);
	assert_int_equal(cancelled[0], 0); /* it was running: it finished */
	for (int i = 1; i <= 3; i++) {
		assert_int_equal(ran[i], 1);
		assert_int_equal(cancelled[i], 1);
	}
}

static void
freeing_null_is_harmless(void **state)
{
	(void)state;
	pool_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_job_runs_once_on_a_marked_worker),
		cmocka_unit_test(a_job_past_the_queue_is_refused_at_once),
		cmocka_unit_test(
		        stopping_cancels_waiting_jobs_and_finishes_the_running_one),
		cmocka_unit_test(freeing_null_is_harmless),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
