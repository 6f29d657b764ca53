/*
 * Tests for src/base/text.c: UTF-8 validation against the table of
 * well-formed byte sequences (overlongs, surrogates, code points above
 * U+10FFFF and truncated sequences are refused), counting code points,
 * ASCII case-insensitive search and the time formats.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "../../src/base/text.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

struct utf8_case {
	const char *what;
	const char *bytes;
	bool valid;
};

static void
run_utf8_cases(const struct utf8_case *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (utf8_valid(c[i].bytes, strlen(c[i].bytes)) != c[i].valid)
			fail_msg("%s: expected %s", c[i].what,
			         c[i].valid ? "valid" : "invalid");
}

static void
utf8_valid_accepts_well_formed_text(void **state)
{
	static const struct utf8_case c[] = {
		{ "empty", "", true },
		{ "ascii", "Groep 5/6a", true },
		{ "2-byte e-acute", "\xc3\xa9", true },
		{ "smallest 2-byte U+0080", "\xc2\x80", true },
		{ "largest 2-byte U+07FF", "\xdf\xbf", true },
		{ "smallest 3-byte U+0800", "\xe0\xa0\x80", true },
		{ "euro sign", "\xe2\x82\xac", true },
		{ "U+D7FF before surrogates", "\xed\x9f\xbf", true },
		{ "U+E000 after surrogates", "\xee\x80\x80", true },
		{ "U+FFFF", "\xef\xbf\xbf", true },
		{ "smallest 4-byte U+10000", "\xf0\x90\x80\x80", true },
		{ "G clef U+1D11E", "\xf0\x9d\x84\x9e", true },
		{ "largest U+10FFFF", "\xf4\x8f\xbf\xbf", true },
		{ "mixed", "Caf\xc3\xa9 \xe2\x82\xac 5", true },
	};

	(void)state;
	run_utf8_cases(c, N(c));
}

static void
utf8_valid_refuses_overlong_encodings(void **state)
{
	static const struct utf8_case c[] = {
		{ "overlong NUL 2-byte", "\xc0\x80", false },
		{ "overlong slash 2-byte", "\xc0\xaf", false },
		{ "overlong U+007F", "\xc1\xbf", false },
		{ "overlong NUL 3-byte", "\xe0\x80\x80", false },
		{ "overlong U+07FF 3-byte", "\xe0\x9f\xbf", false },
		{ "overlong NUL 4-byte", "\xf0\x80\x80\x80", false },
		{ "overlong U+FFFF 4-byte", "\xf0\x8f\xbf\xbf", false },
	};

	(void)state;
	run_utf8_cases(c, N(c));
}

static void
utf8_valid_refuses_surrogates(void **state)
{
	static const struct utf8_case c[] = {
		{ "U+D800", "\xed\xa0\x80", false },
		{ "U+DBFF", "\xed\xaf\xbf", false },
		{ "U+DC00", "\xed\xb0\x80", false },
		{ "U+DFFF", "\xed\xbf\xbf", false },
		{ "CESU pair", "\xed\xa0\xbd\xed\xb8\x80", false },
	};

	(void)state;
	run_utf8_cases(c, N(c));
}

/* ASCII is skipped a word at a time: a sequence anywhere after a run of
 * any length is still seen. */
static void
utf8_valid_checks_what_follows_ascii_runs(void **state)
{
	static const struct {
		const char *seq;
		bool valid;
	} tails[] = {
		{ "\xc3\xa9", true },                         /* é */
		{ "\xe2\x82\xac", true },                     /* € */
		{ "\xff", false },         { "\xc3", false }, /* cut off */
		{ "\xe0\x80\x80", false },                    /* overlong */
	};
	char s[64];

	(void)state;
	for (size_t t = 0; t < N(tails); t++) {
		for (size_t k = 0; k < 24; k++) {
			size_t n = strlen(tails[t].seq);

			memset(s, 'a', k);
			memcpy(s + k, tails[t].seq, n);
			/* at the end, and followed by more ASCII */
			assert_int_equal(utf8_valid(s, k + n), tails[t].valid);
			memset(s + k + n, 'b', 20);
			assert_int_equal(utf8_valid(s, k + n + 20),
			                 tails[t].valid);
		}
	}
}

static void
utf8_valid_refuses_beyond_u10ffff(void **state)
{
	static const struct utf8_case c[] = {
		{ "U+110000", "\xf4\x90\x80\x80", false },
		{ "U+13FFFF", "\xf4\xbf\xbf\xbf", false },
		{ "lead F5", "\xf5\x80\x80\x80", false },
		{ "lead F7", "\xf7\xbf\xbf\xbf", false },
		{ "5-byte form", "\xf8\x88\x80\x80\x80", false },
		{ "6-byte form", "\xfc\x84\x80\x80\x80\x80", false },
		{ "byte FE", "\xfe", false },
		{ "byte FF", "\xff", false },
	};

	(void)state;
	run_utf8_cases(c, N(c));
}

static void
utf8_valid_refuses_truncated_and_broken_sequences(void **state)
{
	static const struct utf8_case c[] = {
		{ "lone lead 2-byte", "\xc3", false },
		{ "lead at end", "abc\xc3", false },
		{ "3-byte missing 1", "\xe2\x82", false },
		{ "4-byte missing 1", "\xf0\x9d\x84", false },
		{ "4-byte missing 2", "\xf0\x9d", false },
		{ "lone continuation", "\x80", false },
		{ "continuation after ascii", "a\xbf", false },
		{ "2-byte then ascii", "\xc3\x41", false },
		{ "3-byte bad second", "\xe2\x28\xa1", false },
		{ "3-byte bad third", "\xe2\x82\x28", false },
		{ "4-byte bad fourth", "\xf0\x9d\x84\x41", false },
		{ "latin-1 e-acute", "caf\xe9", false },
	};

	(void)state;
	run_utf8_cases(c, N(c));
}

static void
utf8_valid_looks_only_at_n_bytes(void **state)
{
	(void)state;
	assert_true(utf8_valid("abc\xff", 3));
	assert_false(utf8_valid("\xc3\xa9", 1));
	assert_true(utf8_valid("\xc3\xa9", 2));
	assert_true(utf8_valid("a\0b", 3)); /* NUL is valid UTF-8 */
	assert_true(utf8_valid(NULL, 0));
}

static void
utf8_valid_refuses_truncation_in_an_exact_size_buffer(void **state)
{
	/* A lead byte in the last position must not make it read further. */
	char *p = malloc(2);

	(void)state;
	memcpy(p, "a\xf0", 2);
	assert_false(utf8_valid(p, 2));
	memcpy(p, "\xe2\x82", 2);
	assert_false(utf8_valid(p, 2));
	free(p);
}

static void
utf8_count_counts_code_points(void **state)
{
	static const struct {
		const char *s;
		size_t n;
	} c[] = {
		{ "", 0 },
		{ "abc", 3 },
		{ "\xc3\xa9", 1 },
		{ "h\xc3\xa9llo", 5 },
		{ "\xe2\x82\xac\xf0\x9d\x84\x9e", 2 },
		{ "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9",
		  12 },
	};

	(void)state;
	for (size_t i = 0; i < N(c); i++)
		assert_int_equal(utf8_count(c[i].s), c[i].n);
}

static void
str_contains_nocase_ignores_ascii_case(void **state)
{
	static const struct {
		const char *hay, *needle;
		bool want;
	} c[] = {
		{ "Hello World", "world", true },
		{ "Hello World", "HELLO", true },
		{ "Hello World", "o w", true },
		{ "MijnWachtwoordJansen", "jansen", true },
		{ "abc", "abc", true },
		{ "aab", "ab", true },
		{ "abc", "abd", false },
		{ "ab", "abc", false },
		{ "abc", "", false }, /* an empty needle never matches */
		{ "", "", false },
		{ "", "a", false },
		{ "\xc3\x89"
		  "cole",
		  "\xc3\xa9"
		  "cole",
		  false }, /* ASCII only */
		{ "caf\xc3\xa9", "CAF\xc3\xa9", true },
	};

	(void)state;
	for (size_t i = 0; i < N(c); i++)
		if (str_contains_nocase(c[i].hay, c[i].needle) != c[i].want)
			fail_msg("'%s' in '%s': expected %d", c[i].needle,
			         c[i].hay, (int)c[i].want);
}

static void
time_now_is_the_current_time(void **state)
{
	int64_t t = time_now(), now = (int64_t)time(NULL);

	(void)state;
	assert_true(t <= now && t >= now - 2);
}

static void
time_fmt_iso_writes_utc(void **state)
{
	char out[32];

	(void)state;
	time_fmt_iso(0, out, sizeof(out));
	assert_string_equal(out, "1970-01-01T00:00:00Z");
	time_fmt_iso(1795957500, out, sizeof(out));
	assert_string_equal(out, "2026-11-29T13:05:00Z");
}

static void
time_parse_day_reads_a_date_input_and_refuses_the_rest(void **state)
{
	int64_t t = 0, next = 0;
	char out[32];

	(void)state;
	assert_true(time_parse_day("2026-11-29", &t));
	time_fmt_local(t, out, sizeof(out));
	assert_string_equal(out, "29-11-2026 00:00");
	assert_true(time_parse_day("2026-11-30", &next));
	assert_int_equal(next - t, 86400);
	assert_true(time_parse_day("2024-02-29", &t));
	assert_false(time_parse_day("2026-02-29", &t));
	assert_false(time_parse_day("2026-13-01", &t));
	assert_false(time_parse_day("29-11-2026", &t));
	assert_false(time_parse_day("2026-11-2", &t));
	assert_false(time_parse_day("2026-11-290", &t));
	assert_false(time_parse_day("", &t));
	assert_false(time_parse_day("1969-12-31", &t));
}

static void
time_fmt_local_writes_dutch_order(void **state)
{
	char out[32];

	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	time_fmt_local(1795957500, out, sizeof(out));
	assert_string_equal(out, "29-11-2026 13:05");
}

static void
utf8_put_writes_each_length(void **state)
{
	static const struct {
		uint32_t c;
		const char *utf8;
	} cases[] = {
		{ 0x41, "A" },
		{ 0x7f, "\x7f" },
		{ 0x80, "\xc2\x80" },
		{ 0xeb, "\xc3\xab" }, /* ë */
		{ 0x7ff, "\xdf\xbf" },
		{ 0x800, "\xe0\xa0\x80" },
		{ 0x20ac, "\xe2\x82\xac" }, /* € */
		{ 0xfffd, "\xef\xbf\xbd" },
		{ 0x10000, "\xf0\x90\x80\x80" },
		{ 0x10ffff, "\xf4\x8f\xbf\xbf" },
	};
	char out[4];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t n = utf8_put(cases[i].c, out);

		assert_int_equal(n, strlen(cases[i].utf8));
		assert_memory_equal(out, cases[i].utf8, n);
		assert_true(utf8_valid(out, n));
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(utf8_put_writes_each_length),
		cmocka_unit_test(utf8_valid_accepts_well_formed_text),
		cmocka_unit_test(utf8_valid_refuses_overlong_encodings),
		cmocka_unit_test(utf8_valid_refuses_surrogates),
		cmocka_unit_test(utf8_valid_refuses_beyond_u10ffff),
		cmocka_unit_test(utf8_valid_checks_what_follows_ascii_runs),
		cmocka_unit_test(
		        utf8_valid_refuses_truncated_and_broken_sequences),
		cmocka_unit_test(utf8_valid_looks_only_at_n_bytes),
		cmocka_unit_test(
		        utf8_valid_refuses_truncation_in_an_exact_size_buffer),
		cmocka_unit_test(utf8_count_counts_code_points),
		cmocka_unit_test(str_contains_nocase_ignores_ascii_case),
		cmocka_unit_test(time_now_is_the_current_time),
		cmocka_unit_test(time_fmt_iso_writes_utc),
		cmocka_unit_test(time_fmt_local_writes_dutch_order),
		cmocka_unit_test(
		        time_parse_day_reads_a_date_input_and_refuses_the_rest),
	};

	return cmocka_run_group_tests_name("base/text", tests, NULL, NULL);
}
