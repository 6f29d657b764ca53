/*
 * Tests for src/api/json.c: the bytes the API's JSON writer produces for
 * objects, arrays, nesting, escapes, nulls, dates and times, and its
 * sticky errors (too deep, unbalanced, over the buffer's cap).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../../src/api/json.h"

static void
writes_members_with_commas_between(void **state)
{
	struct buf b;
	struct json j;

	(void)state;
	buf_init(&b, 4096);
	json_init(&j, &b);
	json_object(&j, NULL);
	json_int(&j, "id", 5);
	json_str(&j, "slug", "anker");
	json_bool(&j, "more", false);
	json_null(&j, "x");
	json_array(&j, "list");
	json_int(&j, NULL, 1);
	json_int(&j, NULL, -2);
	json_object(&j, NULL);
	json_end(&j);
	json_end(&j);
	json_end(&j);
	assert_int_equal(b.err, ERR_OK);
	assert_int_equal(j.depth, 0);
	assert_string_equal(b.data,
	                    "{\"id\":5,\"slug\":\"anker\",\"more\":false,"
	                    "\"x\":null,\"list\":[1,-2,{}]}");
	buf_release(&b);
}

static void
escapes_quotes_backslashes_and_control_characters(void **state)
{
	struct buf b;
	struct json j;

	(void)state;
	buf_init(&b, 4096);
	json_init(&j, &b);
	json_object(&j, NULL);
	json_str(&j, "a\"b", "x\\y\n\"z\" \xc3\xa9");
	json_str(&j, "none", NULL);
	json_end(&j);
	assert_string_equal(b.data, "{\"a\\\"b\":\"x\\\\y\\u000a\\\"z\\\" "
	                            "\xc3\xa9\",\"none\":null}");
	buf_release(&b);
}

static void
dates_times_and_ids_are_null_when_unset(void **state)
{
	struct buf b;
	struct json j;

	(void)state;
	buf_init(&b, 4096);
	json_init(&j, &b);
	json_array(&j, NULL);
	json_date(&j, NULL, 20150923);
	json_date(&j, NULL, 0);
	json_time(&j, NULL, 1764764700); /* 2025-12-03 12:25:00 UTC */
	json_time(&j, NULL, 0);
	json_int_or_null(&j, NULL, 0);
	json_int_or_null(&j, NULL, 7);
	json_end(&j);
	assert_string_equal(b.data, "[\"2015-09-23\",null,"
	                            "\"2025-12-03T12:25:00Z\",null,null,7]");
	buf_release(&b);
}

static void
nesting_deeper_than_the_limit_is_an_error(void **state)
{
	struct buf b;
	struct json j;

	(void)state;
	buf_init(&b, 4096);
	json_init(&j, &b);
	for (int i = 0; i < JSON_DEPTH; i++)
		json_array(&j, NULL);
	assert_int_equal(b.err, ERR_OK);
	json_array(&j, NULL);
	assert_int_equal(b.err, ERR_LIMIT);
	buf_release(&b);
}

static void
closing_more_than_was_opened_is_an_error(void **state)
{
	struct buf b;
	struct json j;

	(void)state;
	buf_init(&b, 4096);
	json_init(&j, &b);
	json_object(&j, NULL);
	json_end(&j);
	assert_int_equal(b.err, ERR_OK);
	json_end(&j);
	assert_int_equal(b.err, ERR_INVALID);
	buf_release(&b);
}

static void
an_answer_over_the_cap_leaves_a_sticky_error(void **state)
{
	struct buf b;
	struct json j;

	(void)state;
	buf_init(&b, 16);
	json_init(&j, &b);
	json_object(&j, NULL);
	json_str(&j, "name", "a text longer than the cap");
	json_int(&j, "n", 1);
	json_end(&j);
	assert_int_equal(b.err, ERR_LIMIT);
	assert_true(b.len <= 16);
	buf_release(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(writes_members_with_commas_between),
		cmocka_unit_test(
		        escapes_quotes_backslashes_and_control_characters),
		cmocka_unit_test(dates_times_and_ids_are_null_when_unset),
		cmocka_unit_test(nesting_deeper_than_the_limit_is_an_error),
		cmocka_unit_test(closing_more_than_was_opened_is_an_error),
		cmocka_unit_test(an_answer_over_the_cap_leaves_a_sticky_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
