/*
 * Tests for src/auth/totp.c: the RFC 6238 appendix B test vectors (SHA-1,
 * secret "12345678901234567890") in 8 digits and truncated to the 6 that
 * biebsync uses, the RFC 4648 base32 vectors and a random round trip, the
 * window of one step either side, ill-formed codes, the otpauth:// URI,
 * the QR path data and recovery codes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "../../src/auth/totp.h"

static const unsigned char rfc_key[] = "12345678901234567890";

/* RFC 6238 appendix B, SHA-1 rows: unix time and the 8-digit code. */
static const struct {
	int64_t t;
	const char *code8;
} rfc6238[] = {
	{ 59, "94287082" },         { 1111111109, "07081804" },
	{ 1111111111, "14050471" }, { 1234567890, "89005924" },
	{ 2000000000, "69279037" }, { 20000000000, "65353130" },
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void
rfc6238_vectors_in_8_digits(void **state)
{
	char out[9];

	(void)state;
	for (size_t i = 0; i < N(rfc6238); i++) {
		assert_int_equal(totp_code_raw(rfc_key, 20,
		                               totp_step_of(rfc6238[i].t), 8,
		                               out),
		                 ERR_OK);
		assert_string_equal(out, rfc6238[i].code8);
	}
}

static void
rfc6238_vectors_truncated_to_6_digits_through_base32(void **state)
{
	char secret[64], out[9];

	(void)state;
	assert_int_equal(base32_encode(rfc_key, 20, secret, sizeof(secret)),
	                 ERR_OK);
	assert_string_equal(secret, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
	for (size_t i = 0; i < N(rfc6238); i++) {
		assert_int_equal(
		        totp_code(secret, totp_step_of(rfc6238[i].t), out),
		        ERR_OK);
		assert_string_equal(out, rfc6238[i].code8 + 2);
	}
}

static void
base32_rfc4648_vectors(void **state)
{
	static const char *const in[] = { "",     "f",     "fo",    "foo",
		                          "foob", "fooba", "foobar" };
	/* RFC 4648 section 10, padding removed */
	static const char *const want[] = { "",          "MY",      "MZXQ",
		                            "MZXW6",     "MZXW6YQ", "MZXW6YTB",
		                            "MZXW6YTBOI" };
	char out[32];
	unsigned char back[16];
	size_t n;

	(void)state;
	for (size_t i = 0; i < N(in); i++) {
		assert_int_equal(base32_encode((const unsigned char *)in[i],
		                               strlen(in[i]), out, sizeof(out)),
		                 ERR_OK);
		assert_string_equal(out, want[i]);
		assert_int_equal(base32_decode(want[i], back, sizeof(back), &n),
		                 ERR_OK);
		assert_int_equal(n, strlen(in[i]));
		assert_memory_equal(back, in[i], n);
	}
}

static void
base32_round_trip_of_random_secrets(void **state)
{
	char secret[TOTP_SECRET_LEN + 1], again[TOTP_SECRET_LEN + 1];
	unsigned char key[TOTP_SECRET_BYTES];
	size_t n;

	(void)state;
	for (int i = 0; i < 100; i++) {
		totp_secret_new(secret);
		assert_int_equal(strlen(secret), TOTP_SECRET_LEN);
		assert_int_equal(base32_decode(secret, key, sizeof(key), &n),
		                 ERR_OK);
		assert_int_equal(n, TOTP_SECRET_BYTES);
		assert_int_equal(base32_encode(key, n, again, sizeof(again)),
		                 ERR_OK);
		assert_string_equal(again, secret);
	}
	totp_secret_new(again);
	assert_string_not_equal(again, secret);
}

static void
base32_decode_refuses_other_characters_and_lowercase_is_fine(void **state)
{
	unsigned char out[16];
	size_t n;

	(void)state;
	assert_int_equal(base32_decode("MZXW1", out, sizeof(out), &n),
	                 ERR_INVALID);
	assert_int_equal(base32_decode("MZXW=", out, sizeof(out), &n),
	                 ERR_INVALID);
	assert_int_equal(base32_decode("mzxw 6ytb oi", out, sizeof(out), &n),
	                 ERR_OK);
	assert_int_equal(n, 6);
	assert_memory_equal(out, "foobar", 6);
	assert_int_equal(base32_decode("MZXW6YTBOI", out, 3, &n), ERR_LIMIT);
}

static void
check_accepts_one_step_either_side_and_says_which(void **state)
{
	const char *secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
	int64_t now = 1111111109, base = totp_step_of(now), step = 0;
	char code[9];

	(void)state;
	for (int64_t d = -1; d <= 1; d++) {
		totp_code(secret, base + d, code);
		assert_true(totp_check(secret, code, now, &step));
		assert_int_equal(step, base + d);
	}
	totp_code(secret, base - 2, code);
	assert_false(totp_check(secret, code, now, &step));
	totp_code(secret, base + 2, code);
	assert_false(totp_check(secret, code, now, &step));
}

static void
check_refuses_ill_formed_codes_and_ignores_spaces(void **state)
{
	const char *secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
	int64_t step;

	(void)state;
	assert_true(totp_check(secret, "081 804", 1111111109, &step));
	assert_false(totp_check(secret, "81804", 1111111109, &step));
	assert_false(totp_check(secret, "0818045", 1111111109, &step));
	assert_false(totp_check(secret, "08180x", 1111111109, &step));
	assert_false(totp_check(secret, "", 1111111109, &step));
	assert_false(totp_check("not base32!", "081804", 1111111109, &step));
}

static void
uri_names_issuer_account_and_secret_percent_encoded(void **state)
{
	char uri[256];

	(void)state;
	assert_int_equal(
	        totp_uri("biebsync", "juf anna&co", "ABCD", uri, sizeof(uri)),
	        ERR_OK);
	assert_string_equal(uri, "otpauth://totp/biebsync:juf%20anna%26co"
	                         "?secret=ABCD&issuer=biebsync"
	                         "&algorithm=SHA1&digits=6&period=30");
	assert_int_equal(totp_uri("biebsync", "x", "ABCD", uri, 20), ERR_LIMIT);
}

static void
qr_path_draws_runs_inside_the_quiet_zone(void **state)
{
	struct buf d;
	int size = 0;

	(void)state;
	buf_init(&d, 1 << 20);
	assert_int_equal(totp_qr_path("otpauth://totp/biebsync:x?secret=ABCD",
	                              &d, &size),
	                 ERR_OK);
	/* version 2 or 3 (25 or 29 modules) plus 2 * 4 quiet modules */
	assert_true(size == 33 || size == 37);
	/* the top-left finder pattern: a run of 7 dark modules at (4, 4) */
	assert_true(strncmp(d.data, "M4 4h7v1h-7z", 12) == 0);
	assert_null(strchr(d.data, '<'));
	buf_release(&d);
}

static void
grouped_secret_has_groups_of_four(void **state)
{
	char out[64];

	(void)state;
	totp_secret_grouped("GEZDGNBVGY3TQOJQ", out, sizeof(out));
	assert_string_equal(out, "GEZD GNBV GY3T QOJQ");
}

static void
recovery_codes_hash_the_same_however_typed(void **state)
{
	char code[RECOVERY_SIZE], upper[RECOVERY_SIZE + 4], a[65], b[65];

	(void)state;
	recovery_code_new(code);
	assert_int_equal(strlen(code), RECOVERY_CHARS + 1);
	assert_int_equal(code[5], '-');
	assert_true(recovery_hash(code, a));
	for (size_t i = 0; i <= strlen(code); i++)
		upper[i] = (char)(code[i] >= 'a' && code[i] <= 'z'
		                          ? code[i] - 'a' + 'A'
		                          : code[i]);
	upper[5] = ' ';
	assert_true(recovery_hash(upper, b));
	assert_string_equal(a, b);
	assert_false(recovery_hash("abcde", a));
	assert_false(recovery_hash("abcde-fgh0k", a)); /* '0' is not used */
	assert_false(recovery_hash("abcde-fghjkm", a));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rfc6238_vectors_in_8_digits),
		cmocka_unit_test(
		        rfc6238_vectors_truncated_to_6_digits_through_base32),
		cmocka_unit_test(base32_rfc4648_vectors),
		cmocka_unit_test(base32_round_trip_of_random_secrets),
		cmocka_unit_test(
		        base32_decode_refuses_other_characters_and_lowercase_is_fine),
		cmocka_unit_test(
		        check_accepts_one_step_either_side_and_says_which),
		cmocka_unit_test(
		        check_refuses_ill_formed_codes_and_ignores_spaces),
		cmocka_unit_test(
		        uri_names_issuer_account_and_secret_percent_encoded),
		cmocka_unit_test(qr_path_draws_runs_inside_the_quiet_zone),
		cmocka_unit_test(grouped_secret_has_groups_of_four),
		cmocka_unit_test(recovery_codes_hash_the_same_however_typed),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests_name("auth/totp", tests, NULL, NULL);
}
