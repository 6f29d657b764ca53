/*
 * Tests for src/web/i18n.c: choosing the language (a "lang" cookie wins,
 * then the first of nl/en in Accept-Language, else Dutch; no read past the
 * end of a short header), and the message table (every message exists in
 * both languages with the same printf conversions in the same order, and
 * English is really translated rather than a fallback to Dutch, except for
 * the few words that are the same in both).
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
#include "../../src/web/i18n.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void
lang_choose_follows_cookie_then_accept_language(void **state)
{
	static const struct {
		const char *cookie, *accept;
		enum lang want;
	} c[] = {
		{ NULL, NULL, LANG_NL },
		{ "en", NULL, LANG_EN },
		{ "nl", NULL, LANG_NL },
		{ "en", "nl-NL,nl;q=0.9", LANG_EN }, /* the cookie wins */
		{ "nl", "en-GB,en;q=0.9", LANG_NL },
		{ "fr", "en", LANG_EN }, /* unknown cookie: ignored */
		{ "", "en", LANG_EN },
		{ "EN", "nl", LANG_NL }, /* cookie values are exact */
		{ NULL, "en-GB,en;q=0.9", LANG_EN },
		{ NULL, "de, en", LANG_EN },
		{ NULL, "de,en", LANG_EN },
		{ NULL, "nl-NL", LANG_NL },
		{ NULL, "nl", LANG_NL },
		{ NULL, "en", LANG_EN },
		{ NULL, "EN-us", LANG_EN },
		{ NULL, "en;q=0.5", LANG_EN },
		{ NULL, "fr-FR,fr;q=0.9,nl;q=0.8,en;q=0.7", LANG_NL },
		{ NULL, "fr-FR,fr;q=0.9,en;q=0.8,nl;q=0.7", LANG_EN },
		{ NULL, "*", LANG_NL },
		{ NULL, "", LANG_NL },
		{ NULL, "garbage", LANG_NL },
		{ NULL, "english", LANG_NL }, /* not the tag "en" */
		{ NULL, "fr-en", LANG_NL },   /* a region, not a language */
		{ NULL, "de;q=0.9,xen", LANG_NL },
	};

	(void)state;
	for (size_t i = 0; i < N(c); i++)
		if (lang_choose(c[i].cookie, c[i].accept) != c[i].want)
			fail_msg("cookie '%s', Accept-Language '%s': want %s",
			         c[i].cookie ? c[i].cookie : "(none)",
			         c[i].accept ? c[i].accept : "(none)",
			         c[i].want == LANG_EN ? "en" : "nl");
}

/* lang_choose on a heap copy of exactly the header's size, so ASan sees
 * any read past its NUL. */
static enum lang
choose_exact(const char *accept)
{
	size_t n = strlen(accept) + 1;
	char *copy = malloc(n);
	enum lang l;

	memcpy(copy, accept, n);
	l = lang_choose(NULL, copy);
	free(copy);
	return l;
}

static void
lang_choose_never_reads_past_a_short_header(void **state)
{
	static const struct {
		const char *accept;
		enum lang want;
	} c[] = {
		{ "e", LANG_NL },    { "n", LANG_NL },    { "x,e", LANG_NL },
		{ "de,n", LANG_NL }, { " e", LANG_NL },   { "en", LANG_EN },
		{ "nl", LANG_NL },   { "x,en", LANG_EN }, { "x, en", LANG_EN },
	};

	(void)state;
	for (size_t i = 0; i < N(c); i++)
		assert_int_equal(choose_exact(c[i].accept), c[i].want);
}

static void
every_message_has_both_texts_with_the_same_conversions(void **state)
{
	(void)state;
	for (int i = 0; i < MSG__MAX; i++)
		mc_check_row("message", i, msg(LANG_NL, (enum msg)i),
		             msg(LANG_EN, (enum msg)i));
}

static void
every_message_is_translated_into_english(void **state)
{
	/* Words that are the same in both languages.  A message missing
	 * from the English column falls back to Dutch and shows up here;
	 * if the words really are the same, add the message to this list. */
	static const enum msg same_in_both[] = {
		MSG_SITE,
		MSG_HELP,
		MSG_COL_BRIN,
		MSG_COL_SLUG,
		MSG_SCHOOL,
		MSG_COL_ACCOUNTS,
		MSG_MENU_LIBRARY_IMPORTS,
		MSG_COL_SCHOOL,
		MSG_AUDIT_ACCOUNT,
		MSG_AUDIT_DETAIL,
		MSG_ROSTER_DL_ONEROSTER, /* "OneRoster (zip)" */
	};

	(void)state;
	for (int i = 0; i < MSG__MAX; i++) {
		bool allowed = false;

		for (size_t k = 0; k < N(same_in_both); k++)
			allowed |= (int)same_in_both[k] == i;
		if (!allowed && strcmp(msg(LANG_NL, (enum msg)i),
		                       msg(LANG_EN, (enum msg)i)) == 0)
			fail_msg("message %d is not translated: '%s'", i,
			         msg(LANG_NL, (enum msg)i));
	}
}

static void
msg_out_of_range_is_safe(void **state)
{
	(void)state;
	assert_string_equal(msg(LANG_NL, MSG__MAX), "");
	assert_string_equal(msg(LANG_EN, (enum msg) - 1), "");
	/* An unknown language falls back to Dutch. */
	assert_string_equal(msg(LANG__MAX, MSG_LOGIN_TITLE),
	                    msg(LANG_NL, MSG_LOGIN_TITLE));
}

static void
language_switch_names_the_other_language(void **state)
{
	(void)state;
	assert_string_equal(msg(LANG_NL, MSG_LANG_OTHER_CODE), "en");
	assert_string_equal(msg(LANG_EN, MSG_LANG_OTHER_CODE), "nl");
	assert_string_equal(msg(LANG_NL, MSG_LOGIN_TITLE), "Aanmelden");
	assert_string_equal(msg(LANG_EN, MSG_LOGIN_TITLE), "Log in");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		        lang_choose_follows_cookie_then_accept_language),
		cmocka_unit_test(lang_choose_never_reads_past_a_short_header),
		cmocka_unit_test(
		        every_message_has_both_texts_with_the_same_conversions),
		cmocka_unit_test(every_message_is_translated_into_english),
		cmocka_unit_test(msg_out_of_range_is_safe),
		cmocka_unit_test(language_switch_names_the_other_language),
	};

	return cmocka_run_group_tests_name("web/i18n", tests, NULL, NULL);
}
