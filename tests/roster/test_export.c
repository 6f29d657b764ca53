/*
 * Roster exports (src/roster/export.c): schoolWise group codes are short,
 * safe, deterministic and one to one; cells cannot become formulas; the
 * CSV and JSON say exactly what the roster holds.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "../../src/roster/export.h"

static struct student
mk(const char *number, const char *first, const char *last, const char *group,
   const char *key, int jaargroep)
{
	struct student s;

	memset(&s, 0, sizeof(s));
	snprintf(s.number, sizeof(s.number), "%s", number);
	snprintf(s.roepnaam, sizeof(s.roepnaam), "%s", first);
	snprintf(s.achternaam, sizeof(s.achternaam), "%s", last);
	snprintf(s.group, sizeof(s.group), "%s", group);
	snprintf(s.group_key, sizeof(s.group_key), "%s", key);
	s.birth = 20150301;
	s.jaargroep = (int8_t)jaargroep;
	s.active = true;
	return s;
}

static void
group_codes_are_short_safe_and_one_to_one(void **state)
{
	struct student s[] = {
		mk("1", "A", "B", "Groep 5/6 juf Marieke", "5/6 juf marieke",
		   -1),
		mk("2", "A", "B", "Groep 5/6 juf Maria", "5/6 juf maria", -1),
		mk("3", "A", "B", "Groep 3a", "3a", 3),
		mk("4", "A", "B", "\"De <Uilen> & co\"", "\"de <uilen> & co\"",
		   -1),
		mk("5", "A", "B", "Groep 3a", "3a", 3),
	};
	char codes[5][GROUP_CODE_MAX + 1];

	(void)state;
	export_group_codes(s, 5, codes);
	for (int i = 0; i < 5; i++) {
		assert_true(strlen(codes[i]) >= 1);
		assert_true(strlen(codes[i]) <= GROUP_CODE_MAX);
		assert_null(strpbrk(codes[i], "\"'+&<>/|\\ "));
	}
	assert_string_equal(codes[2], "3A");
	assert_string_equal(codes[2], codes[4]);
	assert_string_not_equal(codes[0], codes[1]);
	assert_string_equal(codes[3], "DEUILENCO");
}

static void
group_codes_do_not_depend_on_row_order(void **state)
{
	struct student a[] = {
		mk("1", "A", "B", "x", "kangoeroes blauw", -1),
		mk("2", "A", "B", "x", "kangoeroes rood", -1),
	};
	struct student b[] = { a[1], a[0] };
	char ca[2][GROUP_CODE_MAX + 1], cb[2][GROUP_CODE_MAX + 1];

	(void)state;
	export_group_codes(a, 2, ca);
	export_group_codes(b, 2, cb);
	assert_string_equal(ca[0], cb[1]);
	assert_string_equal(ca[1], cb[0]);
	assert_string_equal(ca[0], "KANGOEROES");
	assert_string_equal(ca[1], "KANGOERO-2");
}

static void
cells_that_look_like_formulas_are_neutralised(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\"" },
		{ "+31 6", "'+31 6" },
		{ "-2", "'-2" },
		{ "@SUM(A1)", "'@SUM(A1)" },
		{ "\tx", "'\tx" },
		{ "Jan; Piet", "\"Jan; Piet\"" },
		{ "gewoon", "gewoon" },
	};
	struct buf b;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		buf_init(&b, 256);
		export_csv_cell(&b, cases[i].in, ';');
		assert_string_equal(b.data, cases[i].out);
		buf_release(&b);
	}
}

static void
schoolwise_has_the_import_columns_and_counts_shortened_groups(void **state)
{
	struct student s[] = {
		mk("0123", "Daan", "Jansen", "Groep 3a", "3a", 3),
		mk("2", "Eva", "=cmd", "Groep 7/8 meester Ahmed en juf Els",
		   "7/8 meester ahmed en juf els", -1),
		mk("3", "Old", "Leaver", "Groep 8", "8", 8),
	};
	size_t shortened;
	struct buf b;

	(void)state;
	s[2].active = false;
	buf_init(&b, 4096);
	assert_int_equal(export_roster(&b, EXPORT_SCHOOLWISE, s, 3, &shortened),
	                 ERR_OK);
	assert_string_equal(
	        b.data,
	        "LEERLINGNUMMER;ROEPNAAM;VOORVOEGSEL;NAAM;GEBOORTEDATUM;GROEP;GROEPSNAAM;JAARGROEP\r\n"
	        "0123;Daan;;Jansen;2015-03-01;3A;Groep 3a;3\r\n"
	        "2;Eva;;'=cmd;2015-03-01;7-8MEESTER;Groep 7/8 meester Ahmed en juf;\r\n");
	assert_int_equal(shortened, 1);
	buf_release(&b);
}

static void
json_escapes_and_uses_null_for_unknown_jaargroep(void **state)
{
	struct student s[] = {
		mk("1", "Zoë", "\"Quote\\\"", "5/6", "5/6", -1),
	};
	size_t shortened;
	struct buf b;

	(void)state;
	buf_init(&b, 4096);
	assert_int_equal(export_roster(&b, EXPORT_JSON, s, 1, &shortened),
	                 ERR_OK);
	assert_string_equal(
	        b.data,
	        "[\n{\"leerlingnummer\":\"1\",\"roepnaam\":\"Zoë\",\"tussenvoegsel\":\"\",\"achternaam\":\"\\\"Quote\\\\\\\"\",\"geboortedatum\":\"2015-03-01\",\"groep\":\"5/6\",\"jaargroep\":null}\n]\n");
	buf_release(&b);
}

static void
json_uses_null_for_an_unknown_birth_date(void **state)
{
	struct student s[] = { mk("7", "Finn", "Meijer", "Groep 6", "6", 6) };
	size_t shortened;
	struct buf b;

	(void)state;
	s[0].birth = 0;
	buf_init(&b, 4096);
	assert_int_equal(export_roster(&b, EXPORT_JSON, s, 1, &shortened),
	                 ERR_OK);
	assert_non_null(strstr(b.data, "\"geboortedatum\":null,"));
	assert_non_null(strstr(b.data, "\"jaargroep\":6}"));
	buf_release(&b);
}

static void
an_export_larger_than_the_cap_fails_cleanly(void **state)
{
	struct student s[] = { mk("1", "A", "B", "3a", "3a", 3) };
	size_t shortened;
	struct buf b;

	(void)state;
	buf_init(&b, 16);
	assert_int_equal(export_roster(&b, EXPORT_CSV, s, 1, &shortened),
	                 ERR_LIMIT);
	buf_release(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(group_codes_are_short_safe_and_one_to_one),
		cmocka_unit_test(group_codes_do_not_depend_on_row_order),
		cmocka_unit_test(cells_that_look_like_formulas_are_neutralised),
		cmocka_unit_test(
		        schoolwise_has_the_import_columns_and_counts_shortened_groups),
		cmocka_unit_test(
		        json_escapes_and_uses_null_for_unknown_jaargroep),
		cmocka_unit_test(json_uses_null_for_an_unknown_birth_date),
		cmocka_unit_test(an_export_larger_than_the_cap_fails_cleanly),
	};

	return cmocka_run_group_tests_name("roster/export", tests, NULL, NULL);
}
