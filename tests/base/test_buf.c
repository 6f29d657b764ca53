/*
 * Tests for src/base/buf.c: capped, always NUL-terminated buffers with a
 * sticky error.  The cap must hold exactly (an append that reaches it
 * succeeds, one byte more fails and changes nothing), growth past the
 * initial 64 bytes must keep the contents, and detach/reset/release must
 * leave a buffer that is safe to use or free again.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../src/base/buf.h"

static void
buf_init_gives_empty_terminated_data(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 100);
	assert_non_null(b.data);
	assert_string_equal(b.data, "");
	assert_int_equal(b.len, 0);
	assert_int_equal(b.max, 100);
	assert_int_equal(b.err, ERR_OK);
	buf_release(&b);
}

static void
buf_adds_appends_and_terminates(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 100);
	assert_int_equal(buf_adds(&b, "abc"), ERR_OK);
	assert_int_equal(buf_addc(&b, '-'), ERR_OK);
	assert_int_equal(buf_add(&b, "defgh", 3), ERR_OK);
	assert_string_equal(b.data, "abc-def");
	assert_int_equal(b.len, 7);
	assert_int_equal(b.data[b.len], '\0');
	buf_release(&b);
}

static void
buf_add_zero_bytes_is_a_no_op(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 4);
	assert_int_equal(buf_add(&b, NULL, 0), ERR_OK);
	assert_int_equal(buf_adds(&b, ""), ERR_OK);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.data, "");
	buf_release(&b);
}

static void
buf_add_keeps_embedded_nul_bytes(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 16);
	assert_int_equal(buf_add(&b, "a\0b", 3), ERR_OK);
	assert_int_equal(b.len, 3);
	assert_memory_equal(b.data, "a\0b\0", 4);
	buf_release(&b);
}

static void
buf_append_reaching_cap_exactly_succeeds(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 5);
	assert_int_equal(buf_adds(&b, "abc"), ERR_OK);
	assert_int_equal(buf_adds(&b, "de"), ERR_OK);
	assert_string_equal(b.data, "abcde");
	assert_int_equal(b.len, 5);
	assert_int_equal(b.err, ERR_OK);
	buf_release(&b);
}

static void
buf_append_past_cap_fails_and_changes_nothing(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 5);
	assert_int_equal(buf_adds(&b, "abc"), ERR_OK);
	assert_int_equal(buf_adds(&b, "def"), ERR_LIMIT);
	assert_string_equal(b.data, "abc");
	assert_int_equal(b.len, 3);
	assert_int_equal(b.err, ERR_LIMIT);
	buf_release(&b);
}

static void
buf_addc_one_past_cap_fails(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 3);
	assert_int_equal(buf_adds(&b, "xyz"), ERR_OK);
	assert_int_equal(buf_addc(&b, '!'), ERR_LIMIT);
	assert_string_equal(b.data, "xyz");
	buf_release(&b);
}

static void
buf_addz_appends_the_text_and_a_counted_nul(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 16);
	assert_int_equal(buf_addz(&b, "ab", 2), ERR_OK);
	assert_int_equal(buf_addz(&b, "xyz", 3), ERR_OK);
	assert_int_equal(buf_addz(&b, NULL, 0), ERR_OK);
	assert_int_equal(b.len, 8);
	assert_memory_equal(b.data, "ab\0xyz\0\0", 9);
	buf_release(&b);
}

static void
buf_addz_needs_room_for_the_nul(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 4);
	assert_int_equal(buf_addz(&b, "abcd", 4), ERR_LIMIT);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.err, ERR_LIMIT);
	assert_int_equal(buf_addz(&b, "abc", 3), ERR_OK);
	assert_int_equal(b.len, 4);
	assert_string_equal(b.data, "abc");
	buf_release(&b);
}

static void
buf_with_zero_cap_stays_empty(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 0);
	assert_int_equal(buf_addc(&b, 'a'), ERR_LIMIT);
	assert_int_equal(buf_add(&b, "", 0), ERR_OK);
	assert_string_equal(b.data, "");
	assert_int_equal(b.err, ERR_LIMIT);
	buf_release(&b);
}

static void
buf_error_is_sticky_after_later_successes(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 4);
	assert_int_equal(buf_adds(&b, "too long"), ERR_LIMIT);
	assert_int_equal(buf_adds(&b, "ok"), ERR_OK);
	assert_string_equal(b.data, "ok");
	assert_int_equal(b.err, ERR_LIMIT);
	buf_release(&b);
}

static void
buf_huge_length_is_refused_without_overflow(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 10);
	assert_int_equal(buf_adds(&b, "abc"), ERR_OK);
	/* len + n would wrap around; must still be refused. */
	assert_int_equal(buf_add(&b, "x", SIZE_MAX), ERR_LIMIT);
	assert_int_equal(buf_add(&b, "x", SIZE_MAX - 2), ERR_LIMIT);
	assert_string_equal(b.data, "abc");
	buf_release(&b);
}

static void
buf_reset_forgets_contents_and_error_but_keeps_cap(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 4);
	buf_adds(&b, "abcd");
	buf_adds(&b, "e");
	assert_int_equal(b.err, ERR_LIMIT);
	buf_reset(&b);
	assert_string_equal(b.data, "");
	assert_int_equal(b.len, 0);
	assert_int_equal(b.err, ERR_OK);
	assert_int_equal(buf_adds(&b, "wxyz"), ERR_OK);
	assert_int_equal(buf_addc(&b, 'q'), ERR_LIMIT);
	assert_string_equal(b.data, "wxyz");
	buf_release(&b);
}

static void
buf_detach_hands_over_contents_and_length(void **state)
{
	struct buf b;
	size_t len = 0;
	char *p;

	(void)state;
	buf_init(&b, 1000);
	buf_adds(&b, "hello");
	p = buf_detach(&b, &len);
	assert_string_equal(p, "hello");
	assert_int_equal(len, 5);
	free(p);
	buf_release(&b);
}

static void
buf_detach_leaves_an_empty_usable_buffer_with_same_cap(void **state)
{
	struct buf b;
	char *p;

	(void)state;
	buf_init(&b, 6);
	buf_adds(&b, "first");
	p = buf_detach(&b, NULL);
	assert_non_null(b.data);
	assert_ptr_not_equal(b.data, p);
	assert_string_equal(b.data, "");
	assert_int_equal(b.len, 0);
	assert_int_equal(b.max, 6);
	assert_int_equal(buf_adds(&b, "second"), ERR_OK);
	assert_int_equal(buf_addc(&b, '!'), ERR_LIMIT);
	assert_string_equal(p, "first");
	free(p);
	buf_release(&b);
}

static void
buf_addf_formats(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 100);
	assert_int_equal(buf_addf(&b, "%s=%d;", "n", 42), ERR_OK);
	assert_int_equal(buf_addf(&b, "%05.1f|%x", 3.14159, 255u), ERR_OK);
	assert_string_equal(b.data, "n=42;003.1|ff");
	buf_release(&b);
}

static void
buf_addf_grows_past_64_bytes(void **state)
{
	struct buf b;
	char want[301];

	(void)state;
	memset(want, 'x', 300);
	want[300] = '\0';
	buf_init(&b, 10000);
	assert_int_equal(buf_adds(&b, "start:"), ERR_OK);
	assert_int_equal(buf_addf(&b, "%s|%d", want, 12345), ERR_OK);
	assert_int_equal(b.len, 6 + 300 + 6);
	assert_memory_equal(b.data, "start:", 6);
	assert_memory_equal(b.data + 6, want, 300);
	assert_string_equal(b.data + 306, "|12345");
	assert_true(b.alloc > b.len);
	buf_release(&b);
}

static void
buf_addf_reaching_cap_exactly_succeeds(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 8);
	assert_int_equal(buf_addf(&b, "%s-%d", "abcd", 123), ERR_OK);
	assert_string_equal(b.data, "abcd-123");
	assert_int_equal(b.len, 8);
	buf_release(&b);
}

static void
buf_addf_past_cap_fails_and_changes_nothing(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 8);
	buf_adds(&b, "ab");
	assert_int_equal(buf_addf(&b, "%s", "1234567"), ERR_LIMIT);
	assert_string_equal(b.data, "ab");
	assert_int_equal(b.len, 2);
	assert_int_equal(b.err, ERR_LIMIT);
	buf_release(&b);
}

static void
buf_addf_past_64_byte_cap_boundary(void **state)
{
	struct buf b;
	char s[101];

	(void)state;
	memset(s, 'y', 100);
	s[100] = '\0';
	buf_init(&b, 100);
	assert_int_equal(buf_addf(&b, "%s", s), ERR_OK);
	assert_int_equal(b.len, 100);
	assert_string_equal(b.data, s);
	assert_int_equal(buf_addf(&b, "%c", 'z'), ERR_LIMIT);
	assert_int_equal(b.alloc, 101); /* never more than cap + NUL */
	buf_release(&b);
}

static void
buf_many_small_appends_fill_a_large_cap(void **state)
{
	struct buf b;
	size_t i;

	(void)state;
	buf_init(&b, 5000);
	for (i = 0; i < 5000; i++)
		assert_int_equal(buf_addc(&b, (char)('a' + i % 26)), ERR_OK);
	assert_int_equal(buf_addc(&b, 'x'), ERR_LIMIT);
	assert_int_equal(b.len, 5000);
	assert_int_equal(strlen(b.data), 5000);
	for (i = 0; i < 5000; i++)
		assert_int_equal(b.data[i], 'a' + i % 26);
	assert_true(b.alloc <= 5001);
	buf_release(&b);
}

static void
buf_release_accepts_null_and_repeats(void **state)
{
	struct buf b;

	(void)state;
	buf_release(NULL);
	buf_release_secret(NULL);
	buf_init(&b, 10);
	buf_adds(&b, "x");
	buf_release(&b);
	assert_null(b.data);
	buf_release(&b);
	buf_release_secret(&b);
}

static void
buf_release_secret_frees_and_can_reinit(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 200);
	buf_adds(&b, "correct horse battery staple, a secret of some length");
	buf_release_secret(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	buf_init(&b, 5);
	assert_int_equal(buf_adds(&b, "again"), ERR_OK);
	buf_release(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(buf_init_gives_empty_terminated_data),
		cmocka_unit_test(buf_adds_appends_and_terminates),
		cmocka_unit_test(buf_add_zero_bytes_is_a_no_op),
		cmocka_unit_test(buf_add_keeps_embedded_nul_bytes),
		cmocka_unit_test(buf_append_reaching_cap_exactly_succeeds),
		cmocka_unit_test(buf_append_past_cap_fails_and_changes_nothing),
		cmocka_unit_test(buf_addc_one_past_cap_fails),
		cmocka_unit_test(buf_addz_appends_the_text_and_a_counted_nul),
		cmocka_unit_test(buf_addz_needs_room_for_the_nul),
		cmocka_unit_test(buf_with_zero_cap_stays_empty),
		cmocka_unit_test(buf_error_is_sticky_after_later_successes),
		cmocka_unit_test(buf_huge_length_is_refused_without_overflow),
		cmocka_unit_test(
		        buf_reset_forgets_contents_and_error_but_keeps_cap),
		cmocka_unit_test(buf_detach_hands_over_contents_and_length),
		cmocka_unit_test(
		        buf_detach_leaves_an_empty_usable_buffer_with_same_cap),
		cmocka_unit_test(buf_addf_formats),
		cmocka_unit_test(buf_addf_grows_past_64_bytes),
		cmocka_unit_test(buf_addf_reaching_cap_exactly_succeeds),
		cmocka_unit_test(buf_addf_past_cap_fails_and_changes_nothing),
		cmocka_unit_test(buf_addf_past_64_byte_cap_boundary),
		cmocka_unit_test(buf_many_small_appends_fill_a_large_cap),
		cmocka_unit_test(buf_release_accepts_null_and_repeats),
		cmocka_unit_test(buf_release_secret_frees_and_can_reinit),
	};

	return cmocka_run_group_tests_name("base/buf", tests, NULL, NULL);
}
