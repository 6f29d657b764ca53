/*
 * Unit tests for roster/report.c: every code has its texts, column letters,
 * and messages that name the row and column the school sees in Excel.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "rows.h"

static void
every_code_has_dutch_english_and_a_name(void **state)
{
	(void)state;
	for (int c = 0; c < ROSTER_CODE__MAX; c++) {
		const char *nl = roster_code_text(c, LANG_NL);
		const char *en = roster_code_text(c, LANG_EN);

		assert_non_null(nl);
		assert_non_null(en);
		assert_true(strlen(nl) > 20);
		assert_true(strlen(en) > 20);
		assert_string_not_equal(nl, en);
		assert_true(strlen(roster_code_name(c)) > 2);
		for (int d = 0; d < c; d++)
			assert_string_not_equal(roster_code_name(c),
			                        roster_code_name(d));
	}
}

static void
only_number_and_file_problems_block(void **state)
{
	static const enum roster_code blocking[] = {
		ROSTER_E_NO_HEADER,       ROSTER_E_NUMBER_IS_BSN,
		ROSTER_E_TOO_MANY_ROWS,   ROSTER_E_NO_STUDENTS,
		ROSTER_E_NUMBER_MISSING,  ROSTER_E_NUMBER_DUPLICATE,
		ROSTER_E_NUMBER_TOO_LONG, ROSTER_E_NUMBER_NOT_EXACT,
		ROSTER_E_NUMBER_INVALID,
	};
	size_t n = 0;

	(void)state;
	for (int c = 0; c < ROSTER_CODE__MAX; c++)
		if (roster_code_blocks(c)) {
			assert_int_equal(roster_code_severity(c),
			                 ROSTER_SEV_ERROR);
			n++;
		}
	assert_int_equal(n, sizeof(blocking) / sizeof(blocking[0]));
	for (size_t i = 0; i < n; i++)
		assert_true(roster_code_blocks(blocking[i]));
}

static void
column_letters_like_excel(void **state)
{
	static const struct {
		uint32_t col;
		const char *name;
	} cases[] = {
		{ 1, "A" },       { 3, "C" },   { 26, "Z" },   { 27, "AA" },
		{ 28, "AB" },     { 52, "AZ" }, { 702, "ZZ" }, { 703, "AAA" },
		{ 16384, "XFD" }, { 0, "" },
	};
	char out[8];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		roster_col_name(cases[i].col, out, sizeof(out));
		assert_string_equal(out, cases[i].name);
	}
}

static void
messages_name_row_and_column(void **state)
{
	struct roster_issue is = { .code = ROSTER_E_DATE_IMPOSSIBLE,
		                   .row = 14,
		                   .col = 3,
		                   .text = "31-02-2015" };
	struct buf b;

	(void)state;
	buf_init(&b, 4096);
	assert_int_equal(roster_issue_format(&b, &is, LANG_NL), ERR_OK);
	assert_true(strncmp(b.data, "rij 14, kolom C: ", 17) == 0);
	assert_non_null(strstr(b.data, "bestaat niet"));
	assert_non_null(strstr(b.data, "(waarde: \"31-02-2015\")"));
	buf_reset(&b);
	roster_issue_format(&b, &is, LANG_EN);
	assert_true(strncmp(b.data, "row 14, column C: ", 18) == 0);
	assert_null(strstr(b.data, "31-02-2015"));
	buf_release(&b);
}

static void
messages_carry_their_detail(void **state)
{
	struct roster_issue dup = {
		.code = ROSTER_E_NUMBER_DUPLICATE, .row = 9, .col = 1, .arg = 4
	};
	struct roster_issue hdr = { .code = ROSTER_E_NO_HEADER,
		                    .arg = ROSTER_NEED_NUMBER |
		                           ROSTER_NEED_BIRTH };
	struct roster_issue zeros = {
		.code = ROSTER_W_NUMBER_SHORT, .row = 5, .col = 2, .arg = 6
	};
	struct buf b;

	(void)state;
	buf_init(&b, 4096);
	roster_issue_format(&b, &dup, LANG_NL);
	assert_non_null(strstr(b.data, "rij 9, kolom A: "));
	assert_non_null(strstr(b.data, "(zie rij 4)"));
	buf_reset(&b);
	roster_issue_format(&b, &hdr, LANG_NL);
	assert_non_null(
	        strstr(b.data, "(ontbreekt: leerlingnummer, geboortedatum)"));
	assert_null(strstr(b.data, "rij"));
	buf_reset(&b);
	roster_issue_format(&b, &hdr, LANG_EN);
	assert_non_null(
	        strstr(b.data, "(missing: student number, date of birth)"));
	buf_reset(&b);
	roster_issue_format(&b, &zeros, LANG_NL);
	assert_non_null(strstr(b.data, "6 cijfers"));
	buf_release(&b);
}

static void
every_issue_of_a_file_formats_in_both_languages(void **state)
{
	struct roster_file f;
	struct buf b;

	(void)state;
	READ(&f, "Leerlingnummer|Naam|Geboortedatum|Groep|BSN",
	     "1|Jan Berg|31-02-2015|5/6|111222333", "|Piet|14-03-2025|",
	     "1|Kees Bos|1-1-2000|Groep 3|");
	assert_true(f.nissues >= 5);
	buf_init(&b, 1 << 16);
	for (size_t i = 0; i < f.nissues; i++) {
		buf_reset(&b);
		assert_int_equal(roster_issue_format(&b, &f.issues[i], LANG_NL),
		                 ERR_OK);
		assert_true(b.len > 20);
		buf_reset(&b);
		assert_int_equal(roster_issue_format(&b, &f.issues[i], LANG_EN),
		                 ERR_OK);
	}
	buf_release(&b);
	roster_file_release(&f);
}

static void
layouts_and_needs_have_names(void **state)
{
	(void)state;
	for (int l = 0; l < ROSTER_LAYOUT__MAX; l++) {
		assert_true(strlen(roster_layout_name(l, LANG_NL)) > 2);
		assert_true(strlen(roster_layout_name(l, LANG_EN)) > 2);
	}
	assert_string_equal(roster_layout_name(ROSTER_LAYOUT_DOTCOM, LANG_NL),
	                    "Dotcom (SchoolOAS)");
	for (unsigned bit = 1; bit <= ROSTER_NEED_GROUP; bit <<= 1)
		assert_string_not_equal(roster_need_name(bit, LANG_NL), "?");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_code_has_dutch_english_and_a_name),
		cmocka_unit_test(only_number_and_file_problems_block),
		cmocka_unit_test(column_letters_like_excel),
		cmocka_unit_test(messages_name_row_and_column),
		cmocka_unit_test(messages_carry_their_detail),
		cmocka_unit_test(
		        every_issue_of_a_file_formats_in_both_languages),
		cmocka_unit_test(layouts_and_needs_have_names),
	};

	return cmocka_run_group_tests_name("roster_report", tests, NULL, NULL);
}
