/*
 * Tests for src/api/cursor.c: the feed's cursors as a table of texts and
 * what they parse to; every spelling cursor_format() never writes is
 * refused, and formatting then parsing gives the position back; and a
 * cross-check against a plain reference on random texts.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

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

/* The reference: one part of a cursor, by its digits as text. */
static bool
ref_part(const char *p, size_t n)
{
	static const char max[] = "9223372036854775807";

	if (n == 0 || n > sizeof(max) - 1 || (p[0] == '0' && n > 1))
		return false;
	for (size_t i = 0; i < n; i++)
		if (p[i] < '0' || p[i] > '9')
			return false;
	return n < sizeof(max) - 1 || memcmp(p, max, n) <= 0;
}

static bool
ref_valid(const char *s)
{
	const char *dot = strchr(s, '.');

	return dot != NULL && strchr(dot + 1, '.') == NULL &&
	       ref_part(s, (size_t)(dot - s)) &&
	       ref_part(dot + 1, strlen(dot + 1));
}

static void
agrees_with_a_reference_on_random_texts(void **state)
{
	static const char alphabet[] = "0123456789.-+ a0.9";
	uint32_t x = 12345;
	char s[48];
	struct feed_pos p;
	char back[CURSOR_SIZE];
	int valid = 0;

	(void)state;
	for (int round = 0; round < 200000; round++) {
		size_t n;

		x = x * 1103515245u + 12345u;
		n = (x >> 16) % 44;
		for (size_t i = 0; i < n; i++) {
			x = x * 1103515245u + 12345u;
			s[i] = alphabet[(x >> 16) % (sizeof(alphabet) - 1)];
		}
		s[n] = '\0';
		if (cursor_parse(s, &p) != ref_valid(s))
			fail_msg("'%s': parse and reference disagree", s);
		if (ref_valid(s)) {
			valid++;
			cursor_format(p, back);
			assert_string_equal(back, s);
		}
	}
	assert_true(valid > 1000); /* both sides were tried */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parses_what_format_writes),
		cmocka_unit_test(refuses_every_other_spelling),
		cmocka_unit_test(agrees_with_a_reference_on_random_texts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
