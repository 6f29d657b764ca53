/*
 * Tests for src/cli/msg.c, the command line's texts: every message has a
 * Dutch and an English text with the same printf conversions in the same
 * order, English is really translated, an unknown key or language is safe,
 * and BIEBSYNC_LANG or LANG chooses the language.  Also the checker of
 * tests/msgcheck.h itself, since every table's test trusts it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../msgcheck.h"
#include "../../src/cli/msg.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void
conversions_are_the_arguments_in_order(void **state)
{
	static const struct {
		const char *fmt, *want;
	} c[] = {
		{ "no conversions", "" },
		{ "100%% sure", "" },
		{ "%s %zu", "s zu " },
		{ "%zu %s", "zu s " },
		{ "%-24s|%8s|%.3s", "s s s " },
		{ "--%.*s\n", "* s " },
		{ "%*d", "* d " },
		{ "%lld and %llu, %u", "lld llu u " },
		{ "(%s%u:%s%u)", "s u s u " },
		{ "<p>%S</p>", "S " },
	};
	char out[MC_CONV_MAX];

	(void)state;
	for (size_t i = 0; i < N(c); i++) {
		assert_true(mc_conversions(c[i].fmt, out, sizeof(out)));
		assert_string_equal(out, c[i].want);
	}
}

static void
conversions_tell_a_different_order_apart(void **state)
{
	char a[MC_CONV_MAX], b[MC_CONV_MAX];

	(void)state;
	assert_true(mc_conversions("%s %zu", a, sizeof(a)));
	assert_true(mc_conversions("%zu %s", b, sizeof(b)));
	assert_string_not_equal(a, b);
	assert_true(mc_conversions("%d", a, sizeof(a)));
	assert_true(mc_conversions("%lld", b, sizeof(b)));
	assert_string_not_equal(a, b);
	assert_true(mc_conversions("%s", a, sizeof(a)));
	assert_true(mc_conversions("%s %s", b, sizeof(b)));
	assert_string_not_equal(a, b);
	/* A width only lines up a column: no argument. */
	assert_true(mc_conversions("%-22s", a, sizeof(a)));
	assert_true(mc_conversions("%s", b, sizeof(b)));
	assert_string_equal(a, b);
}

static void
conversions_refuse_a_stray_percent(void **state)
{
	char out[MC_CONV_MAX];

	(void)state;
	assert_false(mc_conversions("50%", out, sizeof(out)));
	assert_false(mc_conversions("50%!", out, sizeof(out)));
	assert_false(mc_conversions("%1$s", out, sizeof(out)));
	assert_false(mc_conversions("%s %s %s", out, 6));
}

static void
every_message_has_both_texts_with_the_same_conversions(void **state)
{
	(void)state;
	for (int m = 0; m < CLI_MSG__MAX; m++)
		mc_check_row("cli message", m,
		             cli_msg_in(LANG_NL, (enum cli_msg)m),
		             cli_msg_in(LANG_EN, (enum cli_msg)m));
}

static void
every_message_is_translated_into_english(void **state)
{
	/* A message missing from the English column falls back to Dutch
	 * and shows up here; if the words really are the same in both
	 * languages, add the message to this list. */
	static const enum cli_msg same_in_both[] = { CM_REPORT_BSN,
		                                     CM_REPORT_MARK_INFO,
		                                     CM_IMPORT_COL_MOVED,
		                                     CM_IMPORT_SCHOOL };

	(void)state;
	for (int m = 0; m < CLI_MSG__MAX; m++) {
		bool allowed = false;

		for (size_t k = 0; k < N(same_in_both); k++)
			allowed |= (int)same_in_both[k] == m;
		if (!allowed &&
		    strcmp(cli_msg_in(LANG_NL, (enum cli_msg)m),
		           cli_msg_in(LANG_EN, (enum cli_msg)m)) == 0)
			fail_msg("cli message %d is not translated: '%s'", m,
			         cli_msg_in(LANG_NL, (enum cli_msg)m));
	}
}

static void
unknown_key_or_language_is_safe(void **state)
{
	(void)state;
	assert_string_equal(cli_msg_in(LANG_NL, CLI_MSG__MAX), "");
	assert_string_equal(cli_msg_in(LANG_EN, (enum cli_msg) - 1), "");
	assert_string_equal(cli_msg_in(LANG__MAX, CM_USAGE),
	                    cli_msg_in(LANG_NL, CM_USAGE));
}

static void
environment_chooses_the_language(void **state)
{
	static const struct {
		const char *biebsync_lang, *lang; /* NULL: unset */
		enum lang want;
	} c[] = {
		{ NULL, NULL, LANG_NL },
		{ NULL, "nl_NL.UTF-8", LANG_NL },
		{ NULL, "en_GB.UTF-8", LANG_EN },
		{ NULL, "C.UTF-8", LANG_NL },
		{ "en", "nl_NL.UTF-8", LANG_EN }, /* BIEBSYNC_LANG wins */
		{ "nl", "en_US.UTF-8", LANG_NL },
		{ "", "en_US.UTF-8", LANG_EN }, /* empty: LANG decides */
		{ "de", "en_US.UTF-8", LANG_NL },
	};

	(void)state;
	for (size_t i = 0; i < N(c); i++) {
		if (c[i].biebsync_lang != NULL)
			setenv("BIEBSYNC_LANG", c[i].biebsync_lang, 1);
		else
			unsetenv("BIEBSYNC_LANG");
		if (c[i].lang != NULL)
			setenv("LANG", c[i].lang, 1);
		else
			unsetenv("LANG");
		assert_int_equal(cli_lang(), c[i].want);
		assert_string_equal(cli_msg(CM_USAGE),
		                    cli_msg_in(c[i].want, CM_USAGE));
	}
	unsetenv("BIEBSYNC_LANG");
	unsetenv("LANG");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(conversions_are_the_arguments_in_order),
		cmocka_unit_test(conversions_tell_a_different_order_apart),
		cmocka_unit_test(conversions_refuse_a_stray_percent),
		cmocka_unit_test(
		        every_message_has_both_texts_with_the_same_conversions),
		cmocka_unit_test(every_message_is_translated_into_english),
		cmocka_unit_test(unknown_key_or_language_is_safe),
		cmocka_unit_test(environment_chooses_the_language),
	};

	return cmocka_run_group_tests_name("cli/msg", tests, NULL, NULL);
}
