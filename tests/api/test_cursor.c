/*
 * Tests for src/api/cursor.c: the feed's cursors as a table of texts and
 * what they parse to; every spelling cursor_format() never writes is
 * refused, and formatting then parsing gives the position back.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../../src/api/cursor.h"

static void
parses_what_format_writes(void **state)
{
	static const struct {
		const char *text;
		int64_t event, seq;
	} good[] = {
		{ "0.0", 0, 0 },
		{ "1.0", 1, 0 },
		{ "12.345", 12, 345 },
		{ "9223372036854775807.9223372036854775807", INT64_MAX,
		  INT64_MAX },
	};
	struct feed_pos p;
	char text[CURSOR_SIZE];

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_true(cursor_parse(good[i].text, &p));
		assert_int_equal(p.event, good[i].event);
		assert_int_equal(p.seq, good[i].seq);
		cursor_format(p, text);
		assert_string_equal(text, good[i].text);
	}
}

static void
refuses_every_other_spelling(void **state)
{
	static const char *const bad[] = {
		"",
		".",
		"1",
		"1.",
		".1",
		"1..2",
		"1.2.3",
		"01.2",
		"1.02",
		"00.0",
		"+1.2",
		"-1.2",
		"1.-2",
		" 1.2",
		"1.2 ",
		"1,2",
		"a.b",
		"0x1.2",
		"9223372036854775808.0",
		"0.9223372036854775808",
		"99999999999999999999.1",
	};
	struct feed_pos p = { 77, 88 };

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (cursor_parse(bad[i], &p))
			fail_msg("'%s' parsed as a cursor", bad[i]);
		assert_int_equal(p.event, 77);
		assert_int_equal(p.seq, 88);
	}
	assert_false(cursor_parse(NULL, &p));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parses_what_format_writes),
		cmocka_unit_test(refuses_every_other_spelling),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
