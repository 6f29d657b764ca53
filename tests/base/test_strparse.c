/*
 * Tests for src/base/strparse.c: the bounded parsers that replace atoi and
 * friends.  Each must take the whole string or nothing (no leading spaces,
 * signs, trailing junk), detect overflow before it happens, honour its
 * range, and write its result only on success.  Most cases are tables of
 * input and expected outcome.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../../src/base/strparse.h"

#define N(a)      (sizeof(a) / sizeof((a)[0]))
#define UNTOUCHED 0xdeadbeefULL

struct num_case {
	const char *in;
	uint64_t min, max;
	enum err err;
	uint64_t want; /* when err == ERR_OK */
};

typedef enum err (*num_parser)(const char *, uint64_t, uint64_t, uint64_t *);

static void
run_num_cases(num_parser parse, const struct num_case *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint64_t out = UNTOUCHED;
		enum err e = parse(c[i].in, c[i].min, c[i].max, &out);

		if (e != c[i].err)
			fail_msg("'%s': got error %d, want %d", c[i].in, (int)e,
			         (int)c[i].err);
		if (e == ERR_OK && out != c[i].want)
			fail_msg("'%s': got %llu, want %llu", c[i].in,
			         (unsigned long long)out,
			         (unsigned long long)c[i].want);
		if (e != ERR_OK && out != UNTOUCHED)
			fail_msg("'%s': output written on failure", c[i].in);
	}
}

static void
parse_u64_accepts_plain_digits_in_range(void **state)
{
	static const struct num_case c[] = {
		{ "0", 0, 10, ERR_OK, 0 },
		{ "7", 0, 10, ERR_OK, 7 },
		{ "007", 0, 10, ERR_OK, 7 },
		{ "10", 0, 10, ERR_OK, 10 },
		{ "65535", 1, 65535, ERR_OK, 65535 },
		{ "18446744073709551615", 0, UINT64_MAX, ERR_OK, UINT64_MAX },
	};

	(void)state;
	run_num_cases(parse_u64, c, N(c));
}

static void
parse_u64_refuses_out_of_range(void **state)
{
	static const struct num_case c[] = {
		{ "0", 1, 10, ERR_INVALID, 0 },
		{ "11", 0, 10, ERR_INVALID, 0 },
		{ "65536", 1, 65535, ERR_INVALID, 0 },
	};

	(void)state;
	run_num_cases(parse_u64, c, N(c));
}

static void
parse_u64_refuses_overflow(void **state)
{
	static const struct num_case c[] = {
		{ "18446744073709551616", 0, UINT64_MAX, ERR_INVALID, 0 },
		{ "18446744073709551620", 0, UINT64_MAX, ERR_INVALID, 0 },
		{ "99999999999999999999", 0, UINT64_MAX, ERR_INVALID, 0 },
		{ "184467440737095516150", 0, UINT64_MAX, ERR_INVALID, 0 },
	};

	(void)state;
	run_num_cases(parse_u64, c, N(c));
}

static void
parse_u64_refuses_garbage_spaces_and_signs(void **state)
{
	static const struct num_case c[] = {
		{ "", 0, 100, ERR_INVALID, 0 },
		{ " 1", 0, 100, ERR_INVALID, 0 },
		{ "1 ", 0, 100, ERR_INVALID, 0 },
		{ "\t1", 0, 100, ERR_INVALID, 0 },
		{ "+1", 0, 100, ERR_INVALID, 0 },
		{ "-1", 0, 100, ERR_INVALID, 0 },
		{ "-0", 0, 100, ERR_INVALID, 0 },
		{ "0x10", 0, 100, ERR_INVALID, 0 },
		{ "1e3", 0, 10000, ERR_INVALID, 0 },
		{ "12a", 0, 100, ERR_INVALID, 0 },
		{ "1.5", 0, 100, ERR_INVALID, 0 },
		{ "1,5", 0, 100, ERR_INVALID, 0 },
		{ "abc", 0, 100, ERR_INVALID, 0 },
		{ "1k", 0, 100000, ERR_INVALID, 0 },
	};

	(void)state;
	run_num_cases(parse_u64, c, N(c));
}

static void
parse_u64_refuses_null(void **state)
{
	uint64_t out = UNTOUCHED;

	(void)state;
	assert_int_equal(parse_u64(NULL, 0, 10, &out), ERR_INVALID);
	assert_true(out == UNTOUCHED);
}

static void
parse_size_understands_suffixes(void **state)
{
	static const struct num_case c[] = {
		{ "0", 0, UINT64_MAX, ERR_OK, 0 },
		{ "100", 0, UINT64_MAX, ERR_OK, 100 },
		{ "100b", 0, UINT64_MAX, ERR_OK, 100 },
		{ "100B", 0, UINT64_MAX, ERR_OK, 100 },
		{ "64k", 0, UINT64_MAX, ERR_OK, 65536 },
		{ "64K", 0, UINT64_MAX, ERR_OK, 65536 },
		{ "64kb", 0, UINT64_MAX, ERR_OK, 65536 },
		{ "64KB", 0, UINT64_MAX, ERR_OK, 65536 },
		{ "20m", 0, UINT64_MAX, ERR_OK, 20971520 },
		{ "20MB", 0, UINT64_MAX, ERR_OK, 20971520 },
		{ "20Mb", 0, UINT64_MAX, ERR_OK, 20971520 },
		{ "1g", 0, UINT64_MAX, ERR_OK, 1073741824 },
		{ "2GB", 0, UINT64_MAX, ERR_OK, 2147483648ULL },
		{ "17179869183g", 0, UINT64_MAX, ERR_OK,
		  17179869183ULL * 1073741824ULL },
	};

	(void)state;
	run_num_cases(parse_size, c, N(c));
}

static void
parse_size_refuses_bad_suffixes_and_garbage(void **state)
{
	static const struct num_case c[] = {
		{ "", 0, UINT64_MAX, ERR_INVALID, 0 },
		{ "k", 0, UINT64_MAX, ERR_INVALID, 0 },
		{ "kb", 0, UINT64_MAX, ERR_INVALID, 0 },
		{ "10x", 0, UINT64_MAX, ERR_INVALID, 0 },
		{ "10t", 0, UINT64_MAX, ERR_INVALID, 0 },
		{ "10kk", 0, UINT64_MAX, ERR_INVALID, 0 },
		{ "10kbb", 0, UINT64_MAX, ERR_INVALID, 0 },
		{ "10bk", 0, UINT64_MAX, ERR_INVALID, 0 },
		{ "10 k", 0, UINT64_MAX, ERR_INVALID, 0 },
		{ " 10k", 0, UINT64_MAX, ERR_INVALID, 0 },
		{ "-1k", 0, UINT64_MAX, ERR_INVALID, 0 },
		{ "+1k", 0, UINT64_MAX, ERR_INVALID, 0 },
		{ "1.5m", 0, UINT64_MAX, ERR_INVALID, 0 },
	};

	(void)state;
	run_num_cases(parse_size, c, N(c));
}

static void
parse_size_refuses_overflow_after_scaling(void **state)
{
	static const struct num_case c[] = {
		{ "17179869184g", 0, UINT64_MAX, ERR_INVALID, 0 },
		{ "18014398509481984k", 0, UINT64_MAX, ERR_INVALID, 0 },
		{ "99999999999999999999k", 0, UINT64_MAX, ERR_INVALID, 0 },
	};

	(void)state;
	run_num_cases(parse_size, c, N(c));
}

static void
parse_size_checks_range_after_scaling(void **state)
{
	static const struct num_case c[] = {
		{ "1k", 8192, 1 << 20, ERR_INVALID, 0 },
		{ "8k", 8192, 1 << 20, ERR_OK, 8192 },
		{ "1m", 8192, 1 << 20, ERR_OK, 1 << 20 },
		{ "1025k", 8192, 1 << 20, ERR_INVALID, 0 },
		{ "2m", 8192, 1 << 20, ERR_INVALID, 0 },
	};

	(void)state;
	run_num_cases(parse_size, c, N(c));
}

static void
parse_duration_understands_units(void **state)
{
	static const struct num_case c[] = {
		{ "0", 0, UINT64_MAX, ERR_OK, 0 },
		{ "30", 0, UINT64_MAX, ERR_OK, 30 },
		{ "30s", 0, UINT64_MAX, ERR_OK, 30 },
		{ "30m", 0, UINT64_MAX, ERR_OK, 1800 },
		{ "12h", 0, UINT64_MAX, ERR_OK, 43200 },
		{ "2d", 0, UINT64_MAX, ERR_OK, 172800 },
		{ "1440m", 0, UINT64_MAX, ERR_OK, 86400 },
	};

	(void)state;
	run_num_cases(parse_duration, c, N(c));
}

static void
parse_duration_refuses_bad_units_and_garbage(void **state)
{
	static const struct num_case c[] = {
		{ "", 0, UINT64_MAX, ERR_INVALID, 0 },
		{ "abc", 0, UINT64_MAX, ERR_INVALID, 0 },
		{ "m", 0, UINT64_MAX, ERR_INVALID, 0 },
		{ "30ms", 0, UINT64_MAX, ERR_INVALID, 0 },
		{ "30mm", 0, UINT64_MAX, ERR_INVALID, 0 },
		{ "1w", 0, UINT64_MAX, ERR_INVALID, 0 },
		{ "30M", 0, UINT64_MAX, ERR_INVALID, 0 },
		{ "30H", 0, UINT64_MAX, ERR_INVALID, 0 },
		{ "30 m", 0, UINT64_MAX, ERR_INVALID, 0 },
		{ " 30", 0, UINT64_MAX, ERR_INVALID, 0 },
		{ "30 ", 0, UINT64_MAX, ERR_INVALID, 0 },
		{ "-30", 0, UINT64_MAX, ERR_INVALID, 0 },
		{ "1.5h", 0, UINT64_MAX, ERR_INVALID, 0 },
		{ "1h30m", 0, UINT64_MAX, ERR_INVALID, 0 },
	};

	(void)state;
	run_num_cases(parse_duration, c, N(c));
}

static void
parse_duration_refuses_overflow_and_out_of_range(void **state)
{
	static const struct num_case c[] = {
		{ "213503982334602d", 0, UINT64_MAX, ERR_INVALID, 0 },
		{ "18446744073709551615h", 0, UINT64_MAX, ERR_INVALID, 0 },
		{ "0", 1, 3600, ERR_INVALID, 0 },
		{ "61m", 1, 3600, ERR_INVALID, 0 },
		{ "60m", 1, 3600, ERR_OK, 3600 },
		{ "2h", 1, 3600, ERR_INVALID, 0 },
	};

	(void)state;
	run_num_cases(parse_duration, c, N(c));
}

static void
parse_duration_refuses_null(void **state)
{
	uint64_t out = UNTOUCHED;

	(void)state;
	assert_int_equal(parse_duration(NULL, 0, 10, &out), ERR_INVALID);
	assert_int_equal(parse_size(NULL, 0, 10, &out), ERR_INVALID);
	assert_true(out == UNTOUCHED);
}

static void
parse_bool_accepts_the_documented_words_in_any_case(void **state)
{
	static const struct {
		const char *in;
		bool want;
	} c[] = {
		{ "yes", true },    { "YES", true },    { "true", true },
		{ "True", true },   { "on", true },     { "ON", true },
		{ "1", true },      { "no", false },    { "No", false },
		{ "false", false }, { "FALSE", false }, { "off", false },
		{ "Off", false },   { "0", false },
	};

	(void)state;
	for (size_t i = 0; i < N(c); i++) {
		bool out = !c[i].want;

		if (parse_bool(c[i].in, &out) != ERR_OK || out != c[i].want)
			fail_msg("'%s' should parse as %d", c[i].in,
			         (int)c[i].want);
	}
}

static void
parse_bool_refuses_other_words(void **state)
{
	static const char *const bad[] = {
		"",     "y",    "n",    "2",       "-1",
		"yess", " yes", "yes ", "enabled", "00",
	};

	(void)state;
	for (size_t i = 0; i < N(bad); i++) {
		bool out = true;

		if (parse_bool(bad[i], &out) != ERR_INVALID || out != true)
			fail_msg("'%s' should be refused", bad[i]);
	}
	assert_int_equal(parse_bool(NULL, &(bool){ false }), ERR_INVALID);
}

static void
parse_listen_accepts_ipv4_and_bracketed_ipv6(void **state)
{
	static const struct {
		const char *in, *addr;
		uint16_t port;
	} c[] = {
		{ "127.0.0.1:8080", "127.0.0.1", 8080 },
		{ "0.0.0.0:1", "0.0.0.0", 1 },
		{ "192.168.10.20:65535", "192.168.10.20", 65535 },
		{ "127.0.0.1:0", "127.0.0.1", 0 }, /* any free port */
		{ "[::1]:8443", "::1", 8443 },
		{ "[::]:80", "::", 80 },
		{ "[2001:db8::42]:443", "2001:db8::42", 443 },
	};

	(void)state;
	for (size_t i = 0; i < N(c); i++) {
		char addr[64] = "";
		uint16_t port = 1234;

		if (parse_listen(c[i].in, addr, sizeof(addr), &port) != ERR_OK)
			fail_msg("'%s' should parse", c[i].in);
		assert_string_equal(addr, c[i].addr);
		assert_int_equal(port, c[i].port);
	}
}

static void
parse_listen_refuses_bad_ports_hosts_and_garbage(void **state)
{
	static const char *const bad[] = {
		"",
		"garbage",
		"127.0.0.1",
		"127.0.0.1:",
		":8080",
		"127.0.0.1:65536",
		"127.0.0.1:70000",
		"127.0.0.1:-1",
		"127.0.0.1:+80",
		"127.0.0.1: 80",
		"127.0.0.1:80 ",
		"127.0.0.1:http",
		"127.0.0.1:99999999999999999999999",
		" 127.0.0.1:80",
		"localhost:80",
		"1.2.3.256:80",
		"1.2.3:80",
		"::1:80",  /* IPv6 needs brackets */
		"[::1]",   /* no port */
		"[::1]80", /* no colon */
		"[::1]:",  /* empty port */
		"[::1:80", /* unclosed */
		"[]:80",   /* empty address */
		"[127.0.0.1]:80",
		"[fe80::1%eth0]:80",
		"[::1]:65536",
	};

	(void)state;
	for (size_t i = 0; i < N(bad); i++) {
		char addr[64] = "unchanged";
		uint16_t port = 1234;

		if (parse_listen(bad[i], addr, sizeof(addr), &port) !=
		    ERR_INVALID)
			fail_msg("'%s' should be refused", bad[i]);
		assert_string_equal(addr, "unchanged");
		assert_int_equal(port, 1234);
	}
	assert_int_equal(
	        parse_listen(NULL, (char[8]){ 0 }, 8, &(uint16_t){ 0 }),
	        ERR_INVALID);
}

static void
parse_listen_refuses_an_address_that_does_not_fit(void **state)
{
	char small[9] = "";
	uint16_t port = 0;

	(void)state;
	/* "127.0.0.1" needs 10 bytes with its NUL. */
	assert_int_equal(
	        parse_listen("127.0.0.1:80", small, sizeof(small), &port),
	        ERR_INVALID);
	assert_int_equal(
	        parse_listen("10.0.0.1:80", small, sizeof(small), &port),
	        ERR_OK);
	assert_string_equal(small, "10.0.0.1");
	assert_int_equal(port, 80);
}

static void
str_copy_copies_what_fits_and_refuses_the_rest(void **state)
{
	char dst[4] = "xyz";

	(void)state;
	assert_int_equal(str_copy(dst, sizeof(dst), "abc"), ERR_OK);
	assert_string_equal(dst, "abc");
	assert_int_equal(str_copy(dst, sizeof(dst), ""), ERR_OK);
	assert_string_equal(dst, "");
	assert_int_equal(str_copy(dst, sizeof(dst), "abcd"), ERR_LIMIT);
	assert_string_equal(dst, "");
}

static void
str_starts_and_eq_nocase(void **state)
{
	(void)state;
	assert_true(str_starts("sqlite:x.db", "sqlite:"));
	assert_true(str_starts("abc", ""));
	assert_false(str_starts("sqlit", "sqlite:"));
	assert_false(str_starts("SQLITE:x", "sqlite:"));
	assert_true(str_eq_nocase("Jansen", "jANSEN"));
	assert_false(str_eq_nocase("Jansen", "Jansen2"));
	assert_true(str_eq_nocase("", ""));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_u64_accepts_plain_digits_in_range),
		cmocka_unit_test(parse_u64_refuses_out_of_range),
		cmocka_unit_test(parse_u64_refuses_overflow),
		cmocka_unit_test(parse_u64_refuses_garbage_spaces_and_signs),
		cmocka_unit_test(parse_u64_refuses_null),
		cmocka_unit_test(parse_size_understands_suffixes),
		cmocka_unit_test(parse_size_refuses_bad_suffixes_and_garbage),
		cmocka_unit_test(parse_size_refuses_overflow_after_scaling),
		cmocka_unit_test(parse_size_checks_range_after_scaling),
		cmocka_unit_test(parse_duration_understands_units),
		cmocka_unit_test(parse_duration_refuses_bad_units_and_garbage),
		cmocka_unit_test(
		        parse_duration_refuses_overflow_and_out_of_range),
		cmocka_unit_test(parse_duration_refuses_null),
		cmocka_unit_test(
		        parse_bool_accepts_the_documented_words_in_any_case),
		cmocka_unit_test(parse_bool_refuses_other_words),
		cmocka_unit_test(parse_listen_accepts_ipv4_and_bracketed_ipv6),
		cmocka_unit_test(
		        parse_listen_refuses_bad_ports_hosts_and_garbage),
		cmocka_unit_test(
		        parse_listen_refuses_an_address_that_does_not_fit),
		cmocka_unit_test(
		        str_copy_copies_what_fits_and_refuses_the_rest),
		cmocka_unit_test(str_starts_and_eq_nocase),
	};

	return cmocka_run_group_tests_name("base/strparse", tests, NULL, NULL);
}
