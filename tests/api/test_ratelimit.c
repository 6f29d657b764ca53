/*
 * Tests for src/api/ratelimit.c: a token's bucket lets a burst through,
 * then refuses with the whole seconds until the next request, refills at
 * the rate, and one token's use never empties another's.  The time is
 * passed in, so nothing here waits.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../../src/api/ratelimit.h"

static void
a_burst_passes_then_the_next_is_refused(void **state)
{
	struct ratelimit *rl = ratelimit_new(1, 5);
	int64_t retry = 0;

	(void)state;
	for (int i = 0; i < 5; i++)
		assert_true(ratelimit_take(rl, 1, 100.0, &retry));
	assert_false(ratelimit_take(rl, 1, 100.0, &retry));
	assert_int_equal(retry, 1);
	ratelimit_free(rl);
}

static void
retry_after_is_whole_seconds_rounded_up(void **state)
{
	struct ratelimit *rl = ratelimit_new(0.25, 1); /* one per 4 s */
	int64_t retry = 0;

	(void)state;
	assert_true(ratelimit_take(rl, 1, 10.0, &retry));
	assert_false(ratelimit_take(rl, 1, 10.0, &retry));
	assert_int_equal(retry, 4);
	assert_false(ratelimit_take(rl, 1, 11.5, &retry));
	assert_int_equal(retry, 3); /* 2.5 s left */
	assert_true(ratelimit_take(rl, 1, 14.0, &retry));
	ratelimit_free(rl);
}

static void
the_bucket_refills_at_the_rate_up_to_the_burst(void **state)
{
	struct ratelimit *rl = ratelimit_new(2, 3);
	int64_t retry = 0;

	(void)state;
	for (int i = 0; i < 3; i++)
		assert_true(ratelimit_take(rl, 9, 0.0, &retry));
	assert_false(ratelimit_take(rl, 9, 0.0, &retry));
	/* one second: two more */
	assert_true(ratelimit_take(rl, 9, 1.0, &retry));
	assert_true(ratelimit_take(rl, 9, 1.0, &retry));
	assert_false(ratelimit_take(rl, 9, 1.0, &retry));
	/* an hour idle: still only the burst */
	for (int i = 0; i < 3; i++)
		assert_true(ratelimit_take(rl, 9, 3601.0, &retry));
	assert_false(ratelimit_take(rl, 9, 3601.0, &retry));
	ratelimit_free(rl);
}

static void
tokens_have_their_own_buckets(void **state)
{
	struct ratelimit *rl = ratelimit_new(1, 2);
	int64_t retry = 0;

	(void)state;
	assert_true(ratelimit_take(rl, 1, 0.0, &retry));
	assert_true(ratelimit_take(rl, 1, 0.0, &retry));
	assert_false(ratelimit_take(rl, 1, 0.0, &retry));
	assert_true(ratelimit_take(rl, 2, 0.0, &retry));
	assert_true(ratelimit_take(rl, 2, 0.0, &retry));
	assert_false(ratelimit_take(rl, 2, 0.0, &retry));
	ratelimit_free(rl);
}

static void
many_tokens_never_lose_an_empty_bucket_that_fits(void **state)
{
	struct ratelimit *rl = ratelimit_new(1, 1);
	int64_t retry = 0;

	(void)state;
	assert_true(ratelimit_take(rl, 1, 0.0, &retry));
	/* idle buckets of other tokens fill the table and make room */
	for (int64_t id = 2; id < 3 * RATELIMIT_BUCKETS; id++)
		assert_true(ratelimit_take(rl, id, 1000.0, &retry));
	/* token 1 refilled long ago either way */
	assert_true(ratelimit_take(rl, 1, 1000.0, &retry));
	assert_false(ratelimit_take(rl, 1, 1000.0, &retry));
	ratelimit_free(rl);
}

static void
a_rate_or_burst_out_of_range_is_refused(void **state)
{
	(void)state;
	assert_null(ratelimit_new(0, 5));
	assert_null(ratelimit_new(1, 0));
	ratelimit_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_burst_passes_then_the_next_is_refused),
		cmocka_unit_test(retry_after_is_whole_seconds_rounded_up),
		cmocka_unit_test(
		        the_bucket_refills_at_the_rate_up_to_the_burst),
		cmocka_unit_test(tokens_have_their_own_buckets),
		cmocka_unit_test(
		        many_tokens_never_lose_an_empty_bucket_that_fits),
		cmocka_unit_test(a_rate_or_burst_out_of_range_is_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
