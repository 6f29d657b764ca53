/*
 * Tests for src/base/lang.c: picking a text from a table row by language
 * (Dutch when the language is unknown or the row has no text in it, never
 * NULL) and the language codes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../../src/base/lang.h"

static void
lang_pick_takes_the_column_of_the_language(void **state)
{
	static const char *const row[LANG__MAX] = { "groep", "group" };

	(void)state;
	assert_string_equal(lang_pick(row, LANG_NL), "groep");
	assert_string_equal(lang_pick(row, LANG_EN), "group");
}

static void
lang_pick_falls_back_to_dutch(void **state)
{
	static const char *const row[LANG__MAX] = { "groep", NULL };
	static const char *const both[LANG__MAX] = { "groep", "group" };

	(void)state;
	assert_string_equal(lang_pick(row, LANG_EN), "groep");
	assert_string_equal(lang_pick(both, LANG__MAX), "groep");
	assert_string_equal(lang_pick(both, (enum lang) - 1), "groep");
}

static void
lang_pick_never_returns_null(void **state)
{
	static const char *const none[LANG__MAX] = { NULL, NULL };
	static const char *const en_only[LANG__MAX] = { NULL, "group" };

	(void)state;
	assert_string_equal(lang_pick(none, LANG_NL), "");
	assert_string_equal(lang_pick(none, LANG_EN), "");
	assert_string_equal(lang_pick(en_only, LANG_EN), "group");
	assert_string_equal(lang_pick(en_only, LANG_NL), "");
}

static void
lang_code_gives_the_html_lang_attribute(void **state)
{
	(void)state;
	assert_string_equal(lang_code(LANG_NL), "nl");
	assert_string_equal(lang_code(LANG_EN), "en");
	assert_string_equal(lang_code(LANG__MAX), "nl");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lang_pick_takes_the_column_of_the_language),
		cmocka_unit_test(lang_pick_falls_back_to_dutch),
		cmocka_unit_test(lang_pick_never_returns_null),
		cmocka_unit_test(lang_code_gives_the_html_lang_attribute),
	};

	return cmocka_run_group_tests_name("base/lang", tests, NULL, NULL);
}
