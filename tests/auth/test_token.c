/*
 * Tests for src/auth/token.c: random session tokens are 43 characters of
 * unpadded base64url and never repeat; token_wellformed accepts exactly
 * that shape; token_hash is hex SHA-256; token_derive depends on both the
 * secret and the purpose; token_equal compares whole strings.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "../../src/auth/token.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static int
setup(void **state)
{
	(void)state;
	return sodium_init() < 0 ? -1 : 0;
}

static bool
is_base64url(const char *s)
{
	for (; *s != '\0'; s++)
		if (strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
		           *s) == NULL)
			return false;
	return true;
}

static void
token_new_is_43_base64url_characters(void **state)
{
	char t[TOKEN_SIZE];

	(void)state;
	for (int i = 0; i < 100; i++) {
		token_new(t);
		assert_int_equal(strlen(t), TOKEN_LEN);
		assert_true(is_base64url(t));
		assert_true(token_wellformed(t));
	}
}

static int
cmp_token(const void *a, const void *b)
{
	return strcmp(a, b);
}

static void
token_new_is_unique_across_1000_calls(void **state)
{
	char(*t)[TOKEN_SIZE] = calloc(1000, TOKEN_SIZE);

	(void)state;
	for (int i = 0; i < 1000; i++)
		token_new(t[i]);
	qsort(t, 1000, TOKEN_SIZE, cmp_token);
	for (int i = 1; i < 1000; i++)
		assert_string_not_equal(t[i - 1], t[i]);
	free(t);
}

static void
token_wellformed_refuses_wrong_lengths(void **state)
{
	char t[TOKEN_SIZE + 2];

	(void)state;
	token_new(t);
	t[TOKEN_LEN - 1] = '\0';
	assert_false(token_wellformed(t)); /* 42 */
	token_new(t);
	t[TOKEN_LEN] = 'A';
	t[TOKEN_LEN + 1] = '\0';
	assert_false(token_wellformed(t)); /* 44 */
	assert_false(token_wellformed(""));
	assert_false(token_wellformed("abc"));
}

static void
token_wellformed_refuses_characters_outside_base64url(void **state)
{
	static const char bad[] = "+/=. \t\n%\"'<>;,\x7f\x80\xc3";
	char t[TOKEN_SIZE];

	(void)state;
	for (size_t i = 0; i < strlen(bad); i++) {
		token_new(t);
		t[i % TOKEN_LEN] = bad[i];
		if (token_wellformed(t))
			fail_msg("byte 0x%02x accepted",
			         (unsigned)(unsigned char)bad[i]);
	}
}

static void
token_wellformed_accepts_every_base64url_character(void **state)
{
	(void)state;
	assert_true(token_wellformed(
	        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopq"));
	assert_true(token_wellformed(
	        "rstuvwxyz0123456789-_AAAAAAAAAAAAAAAAAAAAAA"));
}

static void
token_hash_is_64_lowercase_hex_and_deterministic(void **state)
{
	char t[TOKEN_SIZE], h1[TOKEN_HASH_SIZE], h2[TOKEN_HASH_SIZE];

	(void)state;
	token_new(t);
	token_hash(t, h1);
	token_hash(t, h2);
	assert_int_equal(strlen(h1), 64);
	assert_int_equal(strspn(h1, "0123456789abcdef"), 64);
	assert_string_equal(h1, h2);
	assert_string_not_equal(h1, t);
}

static void
token_hash_is_sha256(void **state)
{
	char h[TOKEN_HASH_SIZE];

	(void)state;
	token_hash("abc", h);
	assert_string_equal(
	        h,
	        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void
token_hash_differs_for_different_tokens(void **state)
{
	char a[TOKEN_SIZE], b[TOKEN_SIZE], ha[TOKEN_HASH_SIZE],
	        hb[TOKEN_HASH_SIZE];

	(void)state;
	token_new(a);
	memcpy(b, a, TOKEN_SIZE);
	b[0] = b[0] == 'A' ? 'B' : 'A';
	token_hash(a, ha);
	token_hash(b, hb);
	assert_string_not_equal(ha, hb);
}

static void
token_derive_is_deterministic_and_wellformed(void **state)
{
	char s[TOKEN_SIZE], a[TOKEN_SIZE], b[TOKEN_SIZE];

	(void)state;
	token_new(s);
	token_derive(s, "csrf", a);
	token_derive(s, "csrf", b);
	assert_string_equal(a, b);
	assert_true(token_wellformed(a));
	assert_string_not_equal(a, s);
}

static void
token_derive_differs_by_purpose(void **state)
{
	char s[TOKEN_SIZE], a[TOKEN_SIZE], b[TOKEN_SIZE];

	(void)state;
	token_new(s);
	token_derive(s, "csrf", a);
	token_derive(s, "csrf2", b);
	assert_string_not_equal(a, b);
	token_derive(s, "", b);
	assert_string_not_equal(a, b);
}

static void
token_derive_differs_by_secret(void **state)
{
	char s1[TOKEN_SIZE], s2[TOKEN_SIZE], a[TOKEN_SIZE], b[TOKEN_SIZE];

	(void)state;
	token_new(s1);
	memcpy(s2, s1, TOKEN_SIZE);
	s2[TOKEN_LEN - 1] = s2[TOKEN_LEN - 1] == 'A' ? 'B' : 'A';
	token_derive(s1, "csrf", a);
	token_derive(s2, "csrf", b);
	assert_string_not_equal(a, b);
}

static void
token_equal_compares_whole_strings(void **state)
{
	char t[TOKEN_SIZE], u[TOKEN_SIZE];

	(void)state;
	token_new(t);
	memcpy(u, t, TOKEN_SIZE);
	assert_true(token_equal(t, u));
	u[TOKEN_LEN - 1] = u[TOKEN_LEN - 1] == 'A' ? 'B' : 'A';
	assert_false(token_equal(t, u));
	assert_true(token_equal("", ""));
	assert_false(token_equal("abc", "abcd"));
	assert_false(token_equal("abcd", "abc"));
	assert_false(token_equal("", "a"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(token_new_is_43_base64url_characters),
		cmocka_unit_test(token_new_is_unique_across_1000_calls),
		cmocka_unit_test(token_wellformed_refuses_wrong_lengths),
		cmocka_unit_test(
		        token_wellformed_refuses_characters_outside_base64url),
		cmocka_unit_test(
		        token_wellformed_accepts_every_base64url_character),
		cmocka_unit_test(
		        token_hash_is_64_lowercase_hex_and_deterministic),
		cmocka_unit_test(token_hash_is_sha256),
		cmocka_unit_test(token_hash_differs_for_different_tokens),
		cmocka_unit_test(token_derive_is_deterministic_and_wellformed),
		cmocka_unit_test(token_derive_differs_by_purpose),
		cmocka_unit_test(token_derive_differs_by_secret),
		cmocka_unit_test(token_equal_compares_whole_strings),
	};

	return cmocka_run_group_tests_name("auth/token", tests, setup, NULL);
}
