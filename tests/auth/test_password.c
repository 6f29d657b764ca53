/*
 * Tests for src/auth/password.c: the policy for new passwords (length in
 * Unicode code points, text only, the common list with trailing digits and
 * punctuation stripped, repetition, username and school name), Argon2id
 * hashing and verification, rehash detection when the limits change, and
 * one-time passwords.  password_init(2) runs once in the group setup.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "../../src/auth/password.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Twelve different two-byte letters: 12 characters, 24 bytes. */
#define TWELVE_ACCENTS                                                         \
	"\xc3\xa9\xc3\xa8\xc3\xaa\xc3\xab\xc3\xa0\xc3\xa1"                     \
	"\xc3\xa2\xc3\xa4\xc3\xaf\xc3\xae\xc3\xb6\xc3\xbc"
#define E_ACUTE "\xc3\xa9"

struct check_case {
	const char *pw, *user, *school;
	enum pw_verdict want;
};

static const char *const verdict_words[] = {
	"PW_OK",     "PW_TOO_SHORT",  "PW_TOO_LONG",     "PW_NOT_TEXT",
	"PW_COMMON", "PW_REPETITIVE", "PW_HAS_USERNAME", "PW_HAS_SCHOOL",
};

static void
run_check_cases(const struct check_case *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		enum pw_verdict v =
		        password_check(c[i].pw, c[i].user, c[i].school);

		if (v != c[i].want)
			fail_msg("case %zu '%s': got %s, want %s", i, c[i].pw,
			         verdict_words[v], verdict_words[c[i].want]);
	}
}

static int
setup(void **state)
{
	(void)state;
	return password_init(2) == ERR_OK ? 0 : -1;
}

static void
password_init_refuses_bad_concurrency(void **state)
{
	(void)state;
	assert_int_equal(password_init(0), ERR_INVALID);
	assert_int_equal(password_init(65), ERR_INVALID);
	assert_int_equal(password_init(-1), ERR_INVALID);
}

static void
password_check_enforces_length_in_characters(void **state)
{
	static const struct check_case c[] = {
		{ "zq8-Lm3v-Tr", NULL, NULL, PW_TOO_SHORT }, /* 11 */
		{ "zq8-Lm3v-Tr9", NULL, NULL, PW_OK },       /* 12 */
		{ "", NULL, NULL, PW_TOO_SHORT },
		{ "k", NULL, NULL, PW_TOO_SHORT },
		{ TWELVE_ACCENTS, NULL, NULL, PW_OK },
	};

	(void)state;
	run_check_cases(c, N(c));
}

static void
password_check_counts_code_points_not_bytes(void **state)
{
	/* Eleven e-acutes are 22 bytes but only 11 characters. */
	static const char eleven[] = E_ACUTE E_ACUTE E_ACUTE E_ACUTE E_ACUTE
	        E_ACUTE E_ACUTE E_ACUTE E_ACUTE E_ACUTE E_ACUTE;
	char accents[64];

	(void)state;
	assert_int_equal(strlen(eleven), 22);
	assert_int_equal(password_check(eleven, NULL, NULL), PW_TOO_SHORT);
	/* The first eleven of twelve different accents: too short. */
	memcpy(accents, TWELVE_ACCENTS, 22);
	accents[22] = '\0';
	assert_int_equal(password_check(accents, NULL, NULL), PW_TOO_SHORT);
	assert_int_equal(password_check(TWELVE_ACCENTS, NULL, NULL), PW_OK);
}

static void
password_check_twelve_identical_accents_are_long_enough_but_repetitive(
        void **state)
{
	static const char twelve[] = E_ACUTE E_ACUTE E_ACUTE E_ACUTE E_ACUTE
	        E_ACUTE E_ACUTE E_ACUTE E_ACUTE E_ACUTE E_ACUTE E_ACUTE;

	(void)state;
	assert_int_equal(password_check(twelve, NULL, NULL), PW_REPETITIVE);
}

/* n copies of the 4-character, 4-byte-each cycle, plus extra. */
static void
emoji_password(char *out, size_t chars)
{
	static const char *const cycle[] = { "\xf0\x9f\x98\x80",
		                             "\xf0\x9f\x9a\xb2",
		                             "\xf0\x9f\x93\x9a",
		                             "\xf0\x9f\x8c\xb3" };
	size_t o = 0;

	for (size_t i = 0; i < chars; i++) {
		memcpy(out + o, cycle[i % 4], 4);
		o += 4;
	}
	out[o] = '\0';
}

static void
password_check_refuses_more_than_128_characters(void **state)
{
	char pw[4 * 130 + 1];

	(void)state;
	for (size_t i = 0; i < 128; i++)
		pw[i] = (char)("abcdefghijklmnopqrstuvwxyz234567"[i % 32]);
	pw[128] = '\0';
	assert_int_equal(password_check(pw, NULL, NULL), PW_OK);
	pw[128] = 'x';
	pw[129] = '\0';
	assert_int_equal(password_check(pw, NULL, NULL), PW_TOO_LONG);

	/* The same in four-byte characters: 512 and 516 bytes. */
	emoji_password(pw, 128);
	assert_int_equal(password_check(pw, NULL, NULL), PW_OK);
	emoji_password(pw, 129);
	assert_int_equal(password_check(pw, NULL, NULL), PW_TOO_LONG);
}

static void
password_check_refuses_invalid_utf8_and_control_characters(void **state)
{
	static const struct check_case c[] = {
		{ "zq8-Lm3v-Tr9\xff", NULL, NULL, PW_NOT_TEXT },
		{ "zq8-Lm3v-Tr9\xc3", NULL, NULL, PW_NOT_TEXT },
		{ "zq8-Lm3v\xc0\xafTr9", NULL, NULL, PW_NOT_TEXT },
		{ "zq8-Lm3v\xed\xa0\x80Tr9", NULL, NULL, PW_NOT_TEXT },
		{ "caf\xe9-Lm3v-Tr9x", NULL, NULL, PW_NOT_TEXT }, /* latin-1 */
		{ "zq8-Lm3v-Tr9\n", NULL, NULL, PW_NOT_TEXT },
		{ "zq8-Lm3v\tTr9xx", NULL, NULL, PW_NOT_TEXT },
		{ "zq8-Lm3v\rTr9xx", NULL, NULL, PW_NOT_TEXT },
		{ "\x1bzq8-Lm3v-Tr9", NULL, NULL, PW_NOT_TEXT },
		{ "zq8-Lm3v-Tr9\x7f", NULL, NULL, PW_NOT_TEXT },
		{ "\xff", NULL, NULL, PW_NOT_TEXT }, /* before length */
	};

	(void)state;
	run_check_cases(c, N(c));
}

static void
password_check_refuses_common_passwords(void **state)
{
	static const struct check_case c[] = {
		{ "wachtwoord", NULL, NULL, PW_TOO_SHORT }, /* length first */
		{ "welkomwelkom", NULL, NULL, PW_COMMON },
		{ "WelkomWelkom", NULL, NULL, PW_COMMON },
		{ "passwordpassword", NULL, NULL, PW_COMMON },
		{ "PASSWORDPASSWORD", NULL, NULL, PW_COMMON },
		{ "geheimwachtwoord", NULL, NULL, PW_COMMON },
		{ "biebopschool", NULL, NULL, PW_COMMON },
	};

	(void)state;
	run_check_cases(c, N(c));
}

static void
password_check_refuses_common_with_digits_and_punctuation_appended(void **state)
{
	static const struct check_case c[] = {
		{ "Wachtwoord2026!", NULL, NULL, PW_COMMON },
		{ "wachtwoord12", NULL, NULL, PW_COMMON },
		{ "WACHTWOORD!!", NULL, NULL, PW_COMMON },
		{ "wachtwoord  ", NULL, NULL, PW_COMMON },
		{ "Welkom123456", NULL, NULL, PW_COMMON },
		{ "password.2026", NULL, NULL, PW_COMMON },
		{ "welkomwelkom1", NULL, NULL, PW_COMMON },
		{ "123456789012", NULL, NULL, PW_COMMON },
	};

	(void)state;
	run_check_cases(c, N(c));
}

static void
password_check_refuses_repetitive_passwords(void **state)
{
	static const struct check_case c[] = {
		{ "aaaaaaaaaaaa", NULL, NULL, PW_REPETITIVE },
		{ "abababababab", NULL, NULL, PW_REPETITIVE },
		{ "xyzxyzxyzxyz", NULL, NULL, PW_REPETITIVE },
		{ "............", NULL, NULL, PW_REPETITIVE },
		{ "wxyzwxyzwxyz", NULL, NULL, PW_OK }, /* four distinct */
	};

	(void)state;
	run_check_cases(c, N(c));
}

static void
password_check_counts_repetition_in_code_points_not_bytes(void **state)
{
	/* Three distinct characters use four distinct bytes (c3 a9 a0 bc):
	 * still repetitive. */
	static const char three[] =
	        "\xc3\xa9\xc3\xa0\xc3\xbc\xc3\xa9\xc3\xa0\xc3\xbc\xc3\xa9\xc3\xa0\xc3\xbc\xc3\xa9\xc3\xa0\xc3\xbc";
	/* Four distinct characters from only three distinct bytes
	 * (U+2000, U+2002, U+2080, U+2082 use e2 80 82): not repetitive. */
	static const char four[] =
	        "\xe2\x80\x80\xe2\x80\x82\xe2\x82\x80\xe2\x82\x82\xe2\x80\x80\xe2\x80\x82\xe2\x82\x80\xe2\x82\x82\xe2\x80\x80\xe2\x80\x82\xe2\x82\x80\xe2\x82\x82";

	(void)state;
	assert_int_equal(password_check(three, NULL, NULL), PW_REPETITIVE);
	assert_int_equal(password_check(four, NULL, NULL), PW_OK);
}

static void
password_check_refuses_the_username_in_any_case(void **state)
{
	static const struct check_case c[] = {
		{ "ikbenjansen-op-school", "jansen", NULL, PW_HAS_USERNAME },
		{ "ikbenJANSEN-op-school", "Jansen", NULL, PW_HAS_USERNAME },
		{ "m.devries@school.nl!", "M.deVries@school.nl", NULL,
		  PW_HAS_USERNAME },
		/* Names shorter than three are not checked. */
		{ "ikbenjo-op-de-school", "jo", NULL, PW_OK },
		{ "ikbenjansen-op-school", "", NULL, PW_OK },
		{ "ikbenjansen-op-school", NULL, NULL, PW_OK },
		{ "ikbenjansen-op-school", "pietersen", NULL, PW_OK },
	};

	(void)state;
	run_check_cases(c, N(c));
}

static void
password_check_refuses_the_school_name(void **state)
{
	static const struct check_case c[] = {
		{ "obs de regenboog 2026", "jansen", "OBS De Regenboog",
		  PW_HAS_SCHOOL },
		{ "ikwerkopOBS De Regenboog", NULL, "OBS De Regenboog",
		  PW_HAS_SCHOOL },
		{ "regenboog-kastanje-42", NULL, "OBS De Regenboog", PW_OK },
		{ "paarse giraf eet soep", NULL, "", PW_OK },
		{ "paarse giraf eet soep", NULL, "OB", PW_OK },
	};

	(void)state;
	run_check_cases(c, N(c));
}

static void
password_check_accepts_a_good_passphrase(void **state)
{
	static const struct check_case c[] = {
		{ "paarse giraf eet soep", NULL, NULL, PW_OK },
		{ "paarse giraf eet soep", "jansen", "OBS De Regenboog",
		  PW_OK },
		{ "Fiets-Boom-Lamp-7", "m.devries", "CBS 't Vlot", PW_OK },
	};

	(void)state;
	run_check_cases(c, N(c));
}

static void
password_hash_and_verify_round_trip(void **state)
{
	char hash[PASSWORD_HASH_SIZE];

	(void)state;
	assert_int_equal(password_hash("paarse giraf eet soep", hash), ERR_OK);
	assert_true(strncmp(hash, "$argon2id$", 10) == 0);
	assert_true(strlen(hash) < PASSWORD_HASH_SIZE);
	assert_true(password_verify(hash, "paarse giraf eet soep"));
	assert_false(password_needs_rehash(hash));
}

static void
password_verify_refuses_a_wrong_password(void **state)
{
	char hash[PASSWORD_HASH_SIZE];

	(void)state;
	assert_int_equal(password_hash("paarse giraf eet soep", hash), ERR_OK);
	assert_false(password_verify(hash, "paarse giraf eet soe"));
	assert_false(password_verify(hash, "Paarse giraf eet soep"));
	assert_false(password_verify(hash, "paarse giraf eet soep "));
	assert_false(password_verify(hash, ""));
}

static void
password_hash_salts_each_hash(void **state)
{
	char a[PASSWORD_HASH_SIZE], b[PASSWORD_HASH_SIZE];

	(void)state;
	assert_int_equal(password_hash("paarse giraf eet soep", a), ERR_OK);
	assert_int_equal(password_hash("paarse giraf eet soep", b), ERR_OK);
	assert_string_not_equal(a, b);
	assert_true(password_verify(b, "paarse giraf eet soep"));
}

static void
password_verify_refuses_malformed_hashes(void **state)
{
	char hash[PASSWORD_HASH_SIZE];
	static const char *const bad[] = {
		"",
		"paarse giraf eet soep",
		"$argon2id$",
		"$argon2id$v=19$m=65536,t=2,p=1$garbage",
		"$argon2i$v=19$m=65536,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g",
		"$2y$10$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234",
	};

	(void)state;
	for (size_t i = 0; i < N(bad); i++)
		if (password_verify(bad[i], "paarse giraf eet soep"))
			fail_msg("hash '%s' verified", bad[i]);
	/* A real hash cut short. */
	assert_int_equal(password_hash("paarse giraf eet soep", hash), ERR_OK);
	hash[strlen(hash) / 2] = '\0';
	assert_false(password_verify(hash, "paarse giraf eet soep"));
	assert_true(password_needs_rehash(hash));
}

static void
password_verify_dummy_costs_but_never_fails(void **state)
{
	(void)state;
	password_verify_dummy("anything");
	password_verify_dummy("");
}

static void
password_needs_rehash_after_limits_change(void **state)
{
	char weak[PASSWORD_HASH_SIZE], strong[PASSWORD_HASH_SIZE];

	(void)state;
	password_set_limits(crypto_pwhash_OPSLIMIT_MIN,
	                    crypto_pwhash_MEMLIMIT_MIN);
	assert_int_equal(password_hash("paarse giraf eet soep", weak), ERR_OK);
	assert_false(password_needs_rehash(weak));
	password_set_limits(crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                    crypto_pwhash_MEMLIMIT_INTERACTIVE);
	assert_true(password_needs_rehash(weak));
	/* An old hash still verifies: rehashing happens at the next login. */
	assert_true(password_verify(weak, "paarse giraf eet soep"));
	assert_int_equal(password_hash("paarse giraf eet soep", strong),
	                 ERR_OK);
	assert_false(password_needs_rehash(strong));
}

static bool
in_alphabet(char c)
{
	return strchr("abcdefghjkmnpqrstuvwxyz23456789", c) != NULL &&
	       c != '\0';
}

static void
password_one_time_has_groups_of_four_without_look_alikes(void **state)
{
	char otp[OTP_SIZE];

	(void)state;
	for (int n = 0; n < 200; n++) {
		memset(otp, 'X', sizeof(otp));
		password_one_time(otp);
		assert_int_equal(strlen(otp), 19);
		for (int i = 0; i < 19; i++) {
			if (i == 4 || i == 9 || i == 14)
				assert_int_equal(otp[i], '-');
			else if (!in_alphabet(otp[i]))
				fail_msg("'%c' in %s", otp[i], otp);
		}
		assert_null(strpbrk(otp, "01ilo"));
	}
}

static void
password_one_time_differs_each_time(void **state)
{
	char a[OTP_SIZE], b[OTP_SIZE];

	(void)state;
	password_one_time(a);
	password_one_time(b);
	assert_string_not_equal(a, b);
}

static void
password_one_time_verifies_after_hashing(void **state)
{
	char otp[OTP_SIZE], hash[PASSWORD_HASH_SIZE];

	(void)state;
	password_one_time(otp);
	assert_int_equal(password_hash(otp, hash), ERR_OK);
	assert_true(password_verify(hash, otp));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(password_init_refuses_bad_concurrency),
		cmocka_unit_test(password_check_enforces_length_in_characters),
		cmocka_unit_test(password_check_counts_code_points_not_bytes),
		cmocka_unit_test(
		        password_check_twelve_identical_accents_are_long_enough_but_repetitive),
		cmocka_unit_test(
		        password_check_refuses_more_than_128_characters),
		cmocka_unit_test(
		        password_check_refuses_invalid_utf8_and_control_characters),
		cmocka_unit_test(password_check_refuses_common_passwords),
		cmocka_unit_test(
		        password_check_refuses_common_with_digits_and_punctuation_appended),
		cmocka_unit_test(password_check_refuses_repetitive_passwords),
		cmocka_unit_test(
		        password_check_counts_repetition_in_code_points_not_bytes),
		cmocka_unit_test(
		        password_check_refuses_the_username_in_any_case),
		cmocka_unit_test(password_check_refuses_the_school_name),
		cmocka_unit_test(password_check_accepts_a_good_passphrase),
		cmocka_unit_test(password_hash_and_verify_round_trip),
		cmocka_unit_test(password_verify_refuses_a_wrong_password),
		cmocka_unit_test(password_hash_salts_each_hash),
		cmocka_unit_test(password_verify_refuses_malformed_hashes),
		cmocka_unit_test(password_verify_dummy_costs_but_never_fails),
		cmocka_unit_test(password_needs_rehash_after_limits_change),
		cmocka_unit_test(
		        password_one_time_has_groups_of_four_without_look_alikes),
		cmocka_unit_test(password_one_time_differs_each_time),
		cmocka_unit_test(password_one_time_verifies_after_hashing),
	};

	return cmocka_run_group_tests_name("auth/password", tests, setup, NULL);
}
