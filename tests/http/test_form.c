/*
 * Tests for src/http/form.c: parsing application/x-www-form-urlencoded
 * bodies.  '+' and %XX decode in names and values, empty fields are
 * skipped, a field without '=' has an empty value, bad escapes, an
 * encoded NUL and a NUL byte are refused, and max_fields is a hard limit.
 * Each case is a body and the fields it must yield, written as
 * "name=value|name=value".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../src/http/http.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* The fields seen, joined as "name=value|name=value". */
struct seen {
	char text[512];
	unsigned n;
};

static void
each(const char *name, const char *value, void *arg)
{
	struct seen *s = arg;
	size_t len = strlen(s->text);

	snprintf(s->text + len, sizeof(s->text) - len, "%s%s=%s",
	         s->n > 0 ? "|" : "", name, value);
	s->n++;
}

static enum err
parse(const char *body, unsigned max, struct seen *s)
{
	char *copy = strdup(body);
	enum err e;

	memset(s, 0, sizeof(*s));
	e = http_form_parse(copy, strlen(copy), max, each, s);
	free(copy);
	return e;
}

static void
form_parse_decodes_fields(void **state)
{
	static const struct {
		const char *body, *want;
		unsigned n;
	} c[] = {
		{ "a=1&b=2", "a=1|b=2", 2 },
		{ "name=Jan+de+Vries", "name=Jan de Vries", 1 },
		{ "q=%41%62%2b%2B", "q=Ab++", 1 },
		{ "x=%C3%A9%c3%a9", "x=\xc3\xa9\xc3\xa9", 1 },
		{ "a%5Bb%5D=1", "a[b]=1", 1 },
		{ "first+name=Jan", "first name=Jan", 1 },
		{ "v=x%26y%3Dz", "v=x&y=z", 1 }, /* encoded & and = */
		{ "v=a%0Ab", "v=a\nb", 1 },      /* encoded newline is data */
		{ "v=100%25", "v=100%", 1 },
		{ "a=b=c", "a=b=c", 1 },
		{ "csrf=abc-_XYZ&pw=%20%20", "csrf=abc-_XYZ|pw=  ", 2 },
	};

	(void)state;
	for (size_t i = 0; i < N(c); i++) {
		struct seen s;

		assert_int_equal(parse(c[i].body, 16, &s), ERR_OK);
		assert_string_equal(s.text, c[i].want);
		assert_int_equal(s.n, c[i].n);
	}
}

static void
form_parse_handles_empty_fields_and_missing_equals(void **state)
{
	static const struct {
		const char *body, *want;
		unsigned n;
	} c[] = {
		{ "", "", 0 },        { "&", "", 0 },
		{ "&&&", "", 0 },     { "a=", "a=", 1 },
		{ "a", "a=", 1 },     { "=v", "=v", 1 },
		{ "=", "=", 1 },      { "a=1&&b=2&", "a=1|b=2", 2 },
		{ "&a=1", "a=1", 1 }, { "flag&x=1", "flag=|x=1", 2 },
	};

	(void)state;
	for (size_t i = 0; i < N(c); i++) {
		struct seen s;

		assert_int_equal(parse(c[i].body, 16, &s), ERR_OK);
		assert_string_equal(s.text, c[i].want);
		assert_int_equal(s.n, c[i].n);
	}
}

static void
form_parse_refuses_bad_escapes(void **state)
{
	static const char *const bad[] = {
		"a=%zz", "a=%4",    "a=%",   "a=%g0", "a=%0g", "%zz=1",
		"a%=1",  "a=1&b=%", "a=% 1", "a=%-1", "a=%+1",
	};

	(void)state;
	for (size_t i = 0; i < N(bad); i++) {
		struct seen s;

		if (parse(bad[i], 16, &s) != ERR_INVALID)
			fail_msg("'%s' accepted", bad[i]);
	}
}

static void
form_parse_refuses_an_encoded_nul(void **state)
{
	struct seen s;

	(void)state;
	assert_int_equal(parse("a=%00", 16, &s), ERR_INVALID);
	assert_int_equal(parse("a=x%00y", 16, &s), ERR_INVALID);
	assert_int_equal(parse("a%00=x", 16, &s), ERR_INVALID);
	/* %01 is not NUL. */
	assert_int_equal(parse("a=%01", 16, &s), ERR_OK);
}

/* A NUL byte in the body (not %00) refuses it whole: found by
 * fuzz/fuzz_form.c, which saw "a=1&b=2<NUL>&c=3" yield a and b and drop
 * the rest without a word (fuzz/regress/form-nul-byte-in-body). */
static void
form_parse_refuses_a_nul_byte_in_the_body(void **state)
{
	static const char body[] = "a=1&b=2\0&c=3";
	char copy[sizeof(body)];
	struct seen s;

	(void)state;
	memcpy(copy, body, sizeof(body));
	memset(&s, 0, sizeof(s));
	assert_int_equal(http_form_parse(copy, sizeof(body) - 1, 16, each, &s),
	                 ERR_INVALID);
	assert_int_equal(s.n, 0); /* refused before any field */
	memcpy(copy, "\0a=1", 5);
	assert_int_equal(http_form_parse(copy, 4, 16, each, &s), ERR_INVALID);
	assert_int_equal(s.n, 0);
}

static void
form_parse_stops_at_max_fields(void **state)
{
	struct seen s;

	(void)state;
	assert_int_equal(parse("a=1&b=2&c=3", 3, &s), ERR_OK);
	assert_int_equal(s.n, 3);
	assert_int_equal(parse("a=1&b=2&c=3", 2, &s), ERR_LIMIT);
	assert_int_equal(s.n, 2); /* the fields before the limit were seen */
	assert_int_equal(parse("a=1", 0, &s), ERR_LIMIT);
	assert_int_equal(s.n, 0);
	/* Empty fields do not count. */
	assert_int_equal(parse("a=1&&&&b=2", 2, &s), ERR_OK);
	assert_int_equal(parse("", 0, &s), ERR_OK);
}

/* Parse body from a heap copy of exactly its size, so that ASan catches
 * any read past its NUL. */
static enum err
parse_exact(const char *body, struct seen *s)
{
	size_t n = strlen(body) + 1;
	char *copy = malloc(n);
	enum err e;

	memcpy(copy, body, n);
	memset(s, 0, sizeof(*s));
	e = http_form_parse(copy, n - 1, 16, each, s);
	free(copy);
	return e;
}

static void
form_parse_never_reads_past_an_escape_cut_off_at_the_end(void **state)
{
	struct seen s;

	(void)state;
	assert_int_equal(parse_exact("a=%", &s), ERR_INVALID);
	assert_int_equal(parse_exact("a=%4", &s), ERR_INVALID);
	assert_int_equal(parse_exact("%", &s), ERR_INVALID);
	assert_int_equal(parse_exact("a=%41", &s), ERR_OK);
	assert_string_equal(s.text, "a=A");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(form_parse_decodes_fields),
		cmocka_unit_test(
		        form_parse_handles_empty_fields_and_missing_equals),
		cmocka_unit_test(form_parse_refuses_bad_escapes),
		cmocka_unit_test(form_parse_refuses_an_encoded_nul),
		cmocka_unit_test(form_parse_refuses_a_nul_byte_in_the_body),
		cmocka_unit_test(form_parse_stops_at_max_fields),
		cmocka_unit_test(
		        form_parse_never_reads_past_an_escape_cut_off_at_the_end),
	};

	return cmocka_run_group_tests_name("http/form", tests, NULL, NULL);
}
