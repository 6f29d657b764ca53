/*
 * Tests for src/base/log.c and src/base/err.c: log_escape turns control
 * characters, backslashes and non-ASCII bytes into \xNN so input can never
 * split or forge a log line, and truncates with "..." without cutting an
 * escape in half; log_msg writes one escaped line at or above the level;
 * err_str has a distinct description for every code.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../src/base/err.h"
#include "../../src/base/log.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void
log_escape_escapes_control_backslash_and_non_ascii(void **state)
{
	static const struct {
		const char *in, *want;
	} c[] = {
		{ "", "" },
		{ "plain text, 100% ok", "plain text, 100% ok" },
		{ "a\nb", "a\\x0ab" },
		{ "line\r\nforged 2026 error",
		  "line\\x0d\\x0aforged 2026 error" },
		{ "tab\there", "tab\\x09here" },
		{ "\x1b[31mred", "\\x1b[31mred" },
		{ "del\x7f", "del\\x7f" },
		{ "back\\slash", "back\\x5cslash" },
		{ "\\x0a", "\\x5cx0a" }, /* a literal "\x0a" stays tellable */
		{ "caf\xc3\xa9", "caf\\xc3\\xa9" },
		{ "\x01\xff", "\\x01\\xff" },
	};

	(void)state;
	for (size_t i = 0; i < N(c); i++) {
		char out[128];

		log_escape(c[i].in, out, sizeof(out));
		assert_string_equal(out, c[i].want);
	}
}

static void
log_escape_truncates_long_text_with_dots(void **state)
{
	char in[101], out[16];

	(void)state;
	memset(in, 'a', 100);
	in[100] = '\0';
	log_escape(in, out, sizeof(out));
	assert_true(strlen(out) < sizeof(out));
	assert_string_equal(out, "aaaaaaaaaaaa...");
}

static void
log_escape_never_cuts_an_escape_in_half(void **state)
{
	static const char full[] = "aaaaaaaa\\x0a\\x0a\\x0a\\x0abbbbbbbb";
	char out[32];

	(void)state;
	for (size_t sz = 5; sz < sizeof(out); sz++) {
		const char *slash;
		size_t n, kept;

		log_escape("aaaaaaaa\n\n\n\nbbbbbbbb", out, sz);
		n = strlen(out);
		assert_true(n < sz);
		assert_true(n >= 3);
		assert_string_equal(out + n - 3, "...");
		kept = n - 3;
		out[kept] = '\0';
		/* What stands before the dots is a prefix of the whole escaped
		 * text that ends on an escape boundary. */
		assert_memory_equal(out, full, kept);
		slash = strrchr(out, '\\');
		if (slash != NULL)
			assert_true((size_t)(slash - out) + 4 <= kept);
	}
}

static void
log_escape_keeps_text_that_fits_exactly(void **state)
{
	char out[5];

	(void)state;
	log_escape("abcd", out, sizeof(out));
	assert_string_equal(out, "abcd");
	log_escape("\n", out, sizeof(out));
	assert_string_equal(out, "\\x0a");
}

static void
log_escape_handles_tiny_outputs(void **state)
{
	char out[4] = "zzz";

	(void)state;
	log_escape("abc", out, 0);
	assert_string_equal(out, "zzz"); /* nothing written */
	log_escape("", out, 1);
	assert_string_equal(out, "");
	memcpy(out, "zzz", 4);
	log_escape("abc", out, 1);
	assert_string_equal(out, "");
	memcpy(out, "zzz", 4);
	log_escape("abcdef", out, 4);
	assert_true(strlen(out) < 4);
}

/* Run log lines with stderr redirected into a temporary file and return
 * what was written (caller frees). */
static char *
capture(void (*fn)(void))
{
	char path[] = "/tmp/biebsync-log-XXXXXX", *text;
	int fd = mkstemp(path), saved;
	long n;
	FILE *f;

	assert_true(fd >= 0);
	fflush(stderr);
	saved = dup(2);
	dup2(fd, 2);
	fn();
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	close(fd);
	f = fopen(path, "r");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	text = calloc(1, (size_t)n + 1);
	assert_int_equal(fread(text, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	unlink(path);
	return text;
}

static void
log_forged_line(void)
{
	log_set_level(LOG_INFO);
	log_info("r123", "user %s", "x\n2026-01-01T00:00:00Z error forged");
}

static void
log_msg_writes_one_escaped_line(void **state)
{
	char *out = capture(log_forged_line);

	(void)state;
	assert_non_null(strstr(out, " info rid=r123 user x\\x0a2026"));
	assert_non_null(strchr(out, '\n'));
	assert_string_equal(strchr(out, '\n'), "\n"); /* one line */
	assert_string_equal(out + strlen(out) - 7, "forged\n");
	free(out);
}

static void
log_below_level(void)
{
	log_set_level(LOG_WARN);
	log_info(NULL, "hidden");
	log_debug(NULL, "hidden");
	log_warn(NULL, "shown %d", 1);
	log_error(NULL, "shown %d", 2);
	log_set_level(LOG_INFO);
}

static void
log_msg_skips_lines_below_the_level(void **state)
{
	char *out = capture(log_below_level);

	(void)state;
	assert_null(strstr(out, "hidden"));
	assert_non_null(strstr(out, " warn shown 1\n"));
	assert_non_null(strstr(out, " error shown 2\n"));
	assert_null(strstr(out, "rid="));
	free(out);
}

static void
err_str_describes_every_code_distinctly(void **state)
{
	(void)state;
	assert_string_equal(err_str(ERR_OK), "ok");
	assert_string_equal(err_str(ERR_LIMIT), "limit exceeded");
	for (int i = 0; i < ERR__MAX; i++) {
		assert_non_null(err_str((enum err)i));
		assert_true(strlen(err_str((enum err)i)) > 0);
		for (int k = 0; k < i; k++)
			assert_string_not_equal(err_str((enum err)i),
			                        err_str((enum err)k));
	}
}

static void
err_str_out_of_range_is_unknown(void **state)
{
	(void)state;
	assert_string_equal(err_str(ERR__MAX), "unknown error");
	assert_string_equal(err_str((enum err)1000), "unknown error");
	assert_string_equal(err_str((enum err) - 1), "unknown error");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		        log_escape_escapes_control_backslash_and_non_ascii),
		cmocka_unit_test(log_escape_truncates_long_text_with_dots),
		cmocka_unit_test(log_escape_never_cuts_an_escape_in_half),
		cmocka_unit_test(log_escape_keeps_text_that_fits_exactly),
		cmocka_unit_test(log_escape_handles_tiny_outputs),
		cmocka_unit_test(log_msg_writes_one_escaped_line),
		cmocka_unit_test(log_msg_skips_lines_below_the_level),
		cmocka_unit_test(err_str_describes_every_code_distinctly),
		cmocka_unit_test(err_str_out_of_range_is_unknown),
	};

	return cmocka_run_group_tests_name("base/log", tests, NULL, NULL);
}
