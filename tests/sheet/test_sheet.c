/*
 * The words of src/sheet/sheet.c: problem messages, and the empty-file
 * message with the name of the file the school chose.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "dump.h"

/* sheet_problem_format() into a static string, for comparing. */
static const char *
fmt(enum sheet_problem p, const char *name, bool english)
{
	static char out[1024];
	struct buf b;

	buf_init(&b, sizeof(out) - 1);
	assert_int_equal(sheet_problem_format(&b, p, name, english), ERR_OK);
	snprintf(out, sizeof(out), "%s", b.data);
	buf_release(&b);
	return out;
}

static void
test_empty_file_is_named(void **s)
{
	(void)s;
	assert_string_equal(
	        fmt(SHEET_P_EMPTY, "leerlingen.csv", false),
	        "Het bestand leerlingen.csv is leeg. Upload het leerlingbestand zoals je administratiepakket het exporteert (.xlsx, .xls, .ods, .csv of EDEXML).");
	assert_string_equal(
	        fmt(SHEET_P_EMPTY, "leerlingen.csv", true),
	        "The file leerlingen.csv is empty. Upload the student list as your administration system exports it (.xlsx, .xls, .ods, .csv or EDEXML).");
}

/* Only the name: not the folder an old browser or a command line adds,
 * and no control characters (a name is the uploader's text). */
static void
test_name_without_folder_or_control_characters(void **s)
{
	(void)s;
	assert_non_null(
	        strstr(fmt(SHEET_P_EMPTY,
	                   "C:\\Users\\juf\\Bureaublad\\groep 8.xlsx", false),
	               "Het bestand groep 8.xlsx is leeg."));
	assert_non_null(strstr(fmt(SHEET_P_EMPTY, "/tmp/export/leeg.csv", true),
	                       "The file leeg.csv is empty."));
	assert_non_null(strstr(fmt(SHEET_P_EMPTY, "a\nb\x1b.csv", false),
	                       "Het bestand a?b?.csv is leeg."));
}

/* Without a name, or a problem that names no file: the plain message. */
static void
test_without_a_name_the_plain_message(void **s)
{
	(void)s;
	assert_string_equal(fmt(SHEET_P_EMPTY, NULL, false),
	                    sheet_problem_text(SHEET_P_EMPTY, false));
	assert_string_equal(fmt(SHEET_P_EMPTY, "", true),
	                    sheet_problem_text(SHEET_P_EMPTY, true));
	assert_string_equal(fmt(SHEET_P_EMPTY, "map/", false),
	                    sheet_problem_text(SHEET_P_EMPTY, false));
	assert_string_equal(fmt(SHEET_P_PDF, "lijst.pdf", false),
	                    sheet_problem_text(SHEET_P_PDF, false));
	assert_string_equal(fmt(SHEET_P_BINARY, "nul.bin", true),
	                    sheet_problem_text(SHEET_P_BINARY, true));
}

/* Every problem has both languages, and the new ones say what to do. */
static void
test_every_problem_in_both_languages(void **s)
{
	(void)s;
	for (int p = 0; p < SHEET_PROBLEM__MAX; p++) {
		const char *nl =
		        sheet_problem_text((enum sheet_problem)p, false);
		const char *en =
		        sheet_problem_text((enum sheet_problem)p, true);

		assert_true(strlen(nl) > 10);
		assert_true(strlen(en) > 10);
		assert_string_not_equal(nl, en);
	}
	assert_non_null(
	        strstr(sheet_problem_text(SHEET_P_ENCODING, true), "UTF-8"));
	assert_non_null(
	        strstr(sheet_problem_text(SHEET_P_BINARY, true), "binary"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_file_is_named),
		cmocka_unit_test(
		        test_name_without_folder_or_control_characters),
		cmocka_unit_test(test_without_a_name_the_plain_message),
		cmocka_unit_test(test_every_problem_in_both_languages),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
