/*
 * Unit tests for roster/norm.c: cleaning text, keys, student numbers, the
 * 11-test, dates in every accepted form, groups and jaargroepen, names.
 * Most are tables of input and expected output.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../../src/roster/model.h"
#include "../../src/roster/norm.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void
text_is_trimmed_collapsed_and_nfc(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "  Jan  ", "Jan" },
		{ "Anne   Fleur", "Anne Fleur" },
		{ "a\tb\r\nc", "a b c" },
		{ "no\xc2\xa0"
		  "break",
		  "no break" },                  /* U+00A0 */
		{ "Zoe\xcc\x88", "Zo\xc3\xab" }, /* e + combining diaeresis */
		{ "   ", "" },
	};
	char out[64];

	(void)state;
	for (size_t i = 0; i < N(cases); i++) {
		assert_int_equal(norm_text(cases[i].in, strlen(cases[i].in),
		                           out, sizeof(out)),
		                 ERR_OK);
		assert_string_equal(out, cases[i].out);
	}
}

static void
text_too_long_for_the_buffer_is_a_limit(void **state)
{
	char out[4];

	(void)state;
	assert_int_equal(norm_text("abcd", 4, out, sizeof(out)), ERR_LIMIT);
	assert_int_equal(norm_text("abc", 3, out, sizeof(out)), ERR_OK);
}

static void
text_invalid_utf8_is_refused(void **state)
{
	char out[16];

	(void)state;
	assert_int_equal(norm_text("a\xff", 2, out, sizeof(out)), ERR_INVALID);
}

static void
fold_ignores_case_accents_spaces_and_punctuation(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "Geboortedatum", "geboortedatum" },
		{ "GEB.DATUM", "gebdatum" },
		{ "geb datum", "gebdatum" },
		{ "Geb. datum", "gebdatum" },
		{ "Leerling nr.", "leerlingnr" },
		{ "Leerling-ID", "leerlingid" },
		{ "EXTERN_NR", "externnr" },
		{ "Groep\xc3\xa9", "groepe" }, /* é */
		{ "Ge\xc3\xa9n", "geen" },
	};
	char out[64];

	(void)state;
	for (size_t i = 0; i < N(cases); i++) {
		norm_fold(cases[i].in, strlen(cases[i].in), NORM_FOLD_ALNUM,
		          out, sizeof(out));
		assert_string_equal(out, cases[i].out);
	}
}

static void
numbers_from_cells_have_no_decimals(void **state)
{
	char out[32];

	(void)state;
	assert_true(norm_number_from_double(123.0, out, sizeof(out)));
	assert_string_equal(out, "123");
	assert_true(norm_number_from_double(0.0, out, sizeof(out)));
	assert_string_equal(out, "0");
	assert_true(
	        norm_number_from_double(9007199254740992.0, out, sizeof(out)));
	assert_string_equal(out, "9007199254740992");
}

static void
numbers_beyond_2_53_fractions_and_negatives_are_not_exact(void **state)
{
	char out[32];

	(void)state;
	assert_false(
	        norm_number_from_double(9007199254740994.0, out, sizeof(out)));
	assert_false(norm_number_from_double(1e16, out, sizeof(out)));
	assert_false(norm_number_from_double(12.5, out, sizeof(out)));
	assert_false(norm_number_from_double(-3, out, sizeof(out)));
}

static void
number_keys_ignore_leading_zeros_and_case(void **state)
{
	static const struct {
		const char *in, *key;
	} cases[] = {
		{ "000123", "123" }, { "123", "123" },       { "0", "0" },
		{ "0000", "0" },     { "AB 12", "ab12" },    { "ab12", "ab12" },
		{ "0A1", "0a1" },    { "LL-007", "ll-007" },
	};
	char key[STUDENT_NUMBER_MAX + 1];

	(void)state;
	for (size_t i = 0; i < N(cases); i++) {
		norm_number_key(cases[i].in, key, sizeof(key));
		assert_string_equal(key, cases[i].key);
	}
}

static void
elfproef_accepts_bsn_and_onderwijsnummer(void **state)
{
	(void)state;
	assert_true(norm_elfproef("111222333")); /* BSN */
	assert_true(norm_elfproef("123456782")); /* BSN */
	assert_true(norm_elfproef("100000007")); /* onderwijsnummer */
	assert_false(norm_elfproef("111222334"));
	assert_false(norm_elfproef("000000000"));
	assert_false(norm_elfproef("12345678"));
	assert_true(norm_looks_bsn("111222333", false));
	assert_false(norm_looks_bsn("11222333", false));
	assert_true(norm_looks_bsn("12345672", true)); /* 012345672 */
}

static void
dates_in_every_dutch_form(void **state)
{
	static const struct {
		const char *in;
		int32_t out;
	} cases[] = {
		{ "14-03-2015", 20150314 },
		{ "14-3-2015", 20150314 },
		{ "4/3/2015", 20150304 },
		{ "04.03.2015", 20150304 },
		{ "2015-03-14", 20150314 },
		{ "14-03-15", 20150314 },
		{ " 14-03-2015 ", 20150314 },
		{ "14-03-2015 00:00", 20150314 },
		{ "14-03-2015 0:00:00", 20150314 },
		{ "14 maart 2015", 20150314 },
		{ "14-mrt-2015", 20150314 },
		{ "1 Okt 2016", 20161001 },
		{ "29-02-2016", 20160229 },
		{ "2015-03-14T00:00:00", 20150314 },
	};
	int32_t d;

	(void)state;
	for (size_t i = 0; i < N(cases); i++) {
		d = 0;
		assert_int_equal(norm_date_text(cases[i].in, 20250901, &d),
		                 NORM_DATE_OK);
		assert_int_equal(d, cases[i].out);
	}
}

static void
dates_us_order_and_impossible_days_are_impossible(void **state)
{
	static const char *const cases[] = {
		"12/31/2015", "31-02-2015", "29-02-2015", "00-01-2015",
		"15-13-2015", "2015-02-30", "31.04.2016",
	};
	int32_t d;

	(void)state;
	for (size_t i = 0; i < N(cases); i++)
		assert_int_equal(norm_date_text(cases[i], 20250901, &d),
		                 NORM_DATE_IMPOSSIBLE);
}

static void
dates_that_are_no_date_are_refused(void **state)
{
	static const char *const cases[] = {
		"",           "onbekend", "14-03",        "14-03-201",
		"14-03/2015", "20150314", "14-03-2015 x", "14 foo 2015",
		"123-1-2015",
	};
	int32_t d;

	(void)state;
	for (size_t i = 0; i < N(cases); i++)
		assert_int_equal(norm_date_text(cases[i], 20250901, &d),
		                 NORM_DATE_NOT_A_DATE);
}

static void
two_digit_years_are_never_in_the_future(void **state)
{
	int32_t d;

	(void)state;
	assert_int_equal(norm_date_text("1-1-25", 20250901, &d), NORM_DATE_OK);
	assert_int_equal(d, 20250101);
	assert_int_equal(norm_date_text("1-1-26", 20250901, &d), NORM_DATE_OK);
	assert_int_equal(d, 19260101);
	assert_int_equal(norm_date_text("1-1-18", 20250901, &d), NORM_DATE_OK);
	assert_int_equal(d, 20180101);
	assert_int_equal(norm_date_text("1-1-99", 20250901, &d), NORM_DATE_OK);
	assert_int_equal(d, 19990101);
}

static void
excel_serials_and_yyyymmdd_numbers_are_dates(void **state)
{
	int32_t d;

	(void)state;
	assert_true(norm_date_number(42077, &d)); /* 14-03-2015 */
	assert_int_equal(d, 20150314);
	assert_true(norm_date_number(42077.75, &d));
	assert_int_equal(d, 20150314);
	assert_true(norm_date_number(20150314, &d));
	assert_int_equal(d, 20150314);
	assert_false(norm_date_number(123, &d));
	assert_false(norm_date_number(20150231, &d));
	assert_false(norm_date_number(-1, &d));
}

static void
ages_count_whole_years(void **state)
{
	(void)state;
	assert_int_equal(norm_age(20150901, 20250901), 10);
	assert_int_equal(norm_age(20150902, 20250901), 9);
	assert_int_equal(norm_age(20260101, 20250901), -1);
}

static void
group_keys_drop_case_spaces_groep_and_klas(void **state)
{
	static const struct {
		const char *in, *key;
	} cases[] = {
		{ "Groep 5/6a", "5/6a" },
		{ "groep 5/6A", "5/6a" },
		{ "5/6A", "5/6a" },
		{ "GROEP 3 B", "3b" },
		{ "Gr. 4", "4" },
		{ "gr4", "4" },
		{ "Groep", "groep" },
		{ "Klas 3", "3" },
		{ "klas 1/2A", "1/2a" },
		{ "Klas", "klas" },
		{ "Griffioen", "griffioen" },
		{ "Zonnebloem", "zonnebloem" },
	};
	char key[STUDENT_GROUP_MAX + 1];

	(void)state;
	for (size_t i = 0; i < N(cases); i++) {
		norm_group_key(cases[i].in, key, sizeof(key));
		assert_string_equal(key, cases[i].key);
	}
}

static void
jaargroep_from_group_names(void **state)
{
	static const struct {
		const char *in;
		int j;
	} cases[] = {
		{ "Groep 3b", 3 },   { "8", 8 },         { "Groep 0", 0 },
		{ "groep 1", 1 },    { "1/2", -1 },      { "Groep 5/6a", -1 },
		{ "groep 3-4", -1 }, { "Instroom", -1 }, { "Zonnebloem", -1 },
		{ "9", -2 },         { "Groep 10", -2 }, { "7A", 7 },
	};

	(void)state;
	for (size_t i = 0; i < N(cases); i++)
		assert_int_equal(norm_jaargroep(cases[i].in), cases[i].j);
}

static void
names_split_with_and_without_comma(void **state)
{
	static const struct {
		const char *in, *first, *prefix, *last;
		bool comma;
	} cases[] = {
		{ "Berg, Jan van den", "Jan", "van den", "Berg", true },
		{ "Vries, Anne Fleur de", "Anne Fleur", "de", "Vries", true },
		{ "Jansen, Piet", "Piet", "", "Jansen", true },
		{ "van Dijk, Sam", "Sam", "van", "Dijk", true },
		{ "Hoek, Lotte in 't", "Lotte", "in 't", "Hoek", true },
		{ "Jan van den Berg", "Jan", "van den", "Berg", false },
		{ "Anne Fleur Jansen", "Anne Fleur", "", "Jansen", false },
		{ "Sanne 't Hart", "Sanne", "'t", "Hart", false },
		{ "Jansen", "", "", "Jansen", false },
		{ "Nguyen, Le", "Le", "", "Nguyen", true },
	};
	struct norm_name nm;

	(void)state;
	for (size_t i = 0; i < N(cases); i++) {
		norm_split_name(cases[i].in, &nm);
		assert_true(nm.fits);
		assert_string_equal(nm.roepnaam, cases[i].first);
		assert_string_equal(nm.tussenvoegsel, cases[i].prefix);
		assert_string_equal(nm.achternaam, cases[i].last);
		assert_int_equal(nm.comma, cases[i].comma);
	}
}

static void
prefixes_split_off_an_achternaam_keep_their_case(void **state)
{
	char prefix[NORM_NAME_MAX], rest[NORM_NAME_MAX];

	(void)state;
	norm_split_prefix("Van der Berg", prefix, rest);
	assert_string_equal(prefix, "Van der");
	assert_string_equal(rest, "Berg");
	norm_split_prefix("Van", prefix, rest);
	assert_string_equal(prefix, "");
	assert_string_equal(rest, "Van");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(text_is_trimmed_collapsed_and_nfc),
		cmocka_unit_test(text_too_long_for_the_buffer_is_a_limit),
		cmocka_unit_test(text_invalid_utf8_is_refused),
		cmocka_unit_test(
		        fold_ignores_case_accents_spaces_and_punctuation),
		cmocka_unit_test(numbers_from_cells_have_no_decimals),
		cmocka_unit_test(
		        numbers_beyond_2_53_fractions_and_negatives_are_not_exact),
		cmocka_unit_test(number_keys_ignore_leading_zeros_and_case),
		cmocka_unit_test(elfproef_accepts_bsn_and_onderwijsnummer),
		cmocka_unit_test(dates_in_every_dutch_form),
		cmocka_unit_test(
		        dates_us_order_and_impossible_days_are_impossible),
		cmocka_unit_test(dates_that_are_no_date_are_refused),
		cmocka_unit_test(two_digit_years_are_never_in_the_future),
		cmocka_unit_test(excel_serials_and_yyyymmdd_numbers_are_dates),
		cmocka_unit_test(ages_count_whole_years),
		cmocka_unit_test(group_keys_drop_case_spaces_groep_and_klas),
		cmocka_unit_test(jaargroep_from_group_names),
		cmocka_unit_test(names_split_with_and_without_comma),
		cmocka_unit_test(
		        prefixes_split_off_an_achternaam_keep_their_case),
	};

	return cmocka_run_group_tests_name("roster_norm", tests, NULL, NULL);
}
