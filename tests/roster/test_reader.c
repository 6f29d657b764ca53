/*
 * Unit tests for roster/reader.c: whole files, written as rows of cells,
 * read into students and a report.  The reference date is TODAY
 * (2025-09-01), so children born 2011-2022 are of primary-school age.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "rows.h"

#define HDR                                                                    \
	"Leerlingnummer|Roepnaam|Tussenvoegsel|Achternaam|Geboortedatum|Groep"

static void
students_who_left_before_today_are_not_in_the_list(void **state)
{
	struct roster_file f;

	(void)state;
	READ(&f,
	     "Leerlingnummer|Roepnaam|Achternaam|Geboortedatum|Groep|Uitstroomdatum",
	     "1001|Jan|Berg|14-03-2015|Groep 5",
	     "1002|Sanne|Jansen|01-10-2016|Groep 4b|@2025-08-01",
	     "1003|Noor|Bakker|01-10-2016|Groep 4b|01-09-2025",
	     "1004|Daan|Smit|01-10-2016|Groep 4b|@2026-08-01");
	assert_int_equal(f.nerrors, 0);
	assert_int_equal(f.nstudents, 2);
	assert_non_null(find_student(&f, "1001"));
	assert_null(find_student(&f, "1002"));
	assert_null(find_student(&f, "1003"));
	assert_non_null(find_student(&f, "1004"));
	roster_file_release(&f);
}

static void
a_clean_file_gives_students_and_no_errors(void **state)
{
	struct roster_file f;
	const struct student *s;

	(void)state;
	READ(&f, HDR, "1001|Jan|van den|Berg|14-03-2015|Groep 5",
	     "1002|Sanne||Jansen|01-10-2016|Groep 4b");
	assert_false(f.blocked);
	assert_int_equal(f.nerrors, 0);
	assert_int_equal(f.nstudents, 2);
	s = find_student(&f, "1001");
	assert_non_null(s);
	assert_string_equal(s->number_key, "1001");
	assert_string_equal(s->roepnaam, "Jan");
	assert_string_equal(s->tussenvoegsel, "van den");
	assert_string_equal(s->achternaam, "Berg");
	assert_int_equal(s->birth, 20150314);
	assert_string_equal(s->group, "Groep 5");
	assert_string_equal(s->group_key, "5");
	assert_int_equal(s->jaargroep, 5);
	assert_int_equal(s->row, 2);
	assert_false(s->has_error);
	assert_int_equal(f.header.layout, ROSTER_LAYOUT_GENERIC);
	roster_file_release(&f);
}

static void
values_are_trimmed_and_collapsed(void **state)
{
	struct roster_file f;
	const struct student *s;

	(void)state;
	READ(&f, HDR,
	     " 1001 |  Anne   Fleur |  van  der |Berg |14-03-2015| Groep  5 ");
	s = find_student(&f, "1001");
	assert_non_null(s);
	assert_string_equal(s->roepnaam, "Anne Fleur");
	assert_string_equal(s->tussenvoegsel, "van der");
	assert_string_equal(s->group, "Groep 5");
	roster_file_release(&f);
}

static void
numeric_numbers_have_no_decimals(void **state)
{
	struct roster_file f;

	(void)state;
	READ(&f, HDR, "#1001|Jan||Berg|14-03-2015|5");
	assert_int_equal(f.nstudents, 1);
	assert_string_equal(f.students[0].number, "1001");
	roster_file_release(&f);
}

static void
numbers_past_2_53_are_errors_that_block(void **state)
{
	struct roster_file f;
	const struct roster_issue *is;

	(void)state;
	READ(&f, HDR, "#1e16|Jan||Berg|14-03-2015|5",
	     "1.23457E+15|Piet||Berg|14-03-2015|5",
	     "#9007199254740992|Kees||Berg|14-03-2015|5");
	assert_true(f.blocked);
	assert_int_equal(f.count[ROSTER_E_NUMBER_NOT_EXACT], 2);
	is = find_issue(&f, ROSTER_E_NUMBER_NOT_EXACT);
	assert_int_equal(is->row, 2);
	assert_int_equal(is->col, 1);
	assert_int_equal(f.nstudents, 1);
	assert_string_equal(f.students[0].number, "9007199254740992");
	roster_file_release(&f);
}

static void
leading_zeros_match_and_short_numbers_are_warned(void **state)
{
	struct roster_file f;
	const struct roster_issue *is;

	(void)state;
	READ(&f, HDR, "000123|A||Berg|14-03-2015|5",
	     "004567|B||Berg|14-03-2015|5", "012345|C||Berg|14-03-2015|5",
	     "#789|D||Berg|14-03-2015|5");
	assert_false(f.blocked);
	assert_string_equal(find_student(&f, "000123")->number_key, "123");
	assert_string_equal(find_student(&f, "789")->number_key, "789");
	assert_int_equal(f.count[ROSTER_W_NUMBER_SHORT], 1);
	is = find_issue(&f, ROSTER_W_NUMBER_SHORT);
	assert_int_equal(is->row, 5);
	assert_int_equal(is->arg, 6);
	assert_string_equal(is->text, "789");
	roster_file_release(&f);
}

/* The header src/sheet/edexml.c gives an EDEXML file. */
#define EDEX_HDR                                                               \
	"key|achternaam|voorvoegsel|roepnaam|voornamen|voorletters|"           \
	"geboortedatum|jaargroep|groep|uitstroomdatum"

/* Every issue of f as the school and the library read it, one a line. */
static char *
all_issue_text(const struct roster_file *f)
{
	struct buf b;
	char *s;

	buf_init(&b, 1 << 20);
	for (size_t i = 0; i < f->nissues; i++)
		for (int en = 0; en <= 1; en++) {
			roster_issue_format(&b, &f->issues[i], en);
			buf_addc(&b, '\n');
		}
	s = buf_detach(&b, NULL);
	buf_release(&b); /* detach leaves a fresh empty buffer */
	return s;
}

/* Numbers from an EDEXML file come straight from the administration
 * system: keys of different lengths are no sign of zeros Excel dropped,
 * and no message there blames Excel. */
static void
edexml_short_numbers_are_not_blamed_on_excel(void **state)
{
	static const char *const lines[] = {
		EDEX_HDR,
		"1001|Berg||Jan||J.|2015-03-14|5|Groep 5",
		"1002|Bos||Piet||P.|2015-03-14|5|Groep 5",
		"1003|Smit||Kees||K.|2015-03-14|5|Groep 5",
		"987|Vos||Anna||A.|2015-03-14|5|Groep 5",
		"1,23E+15|Wit||Ben||B.|2015-03-14|5|Groep 5",
	};
	struct roster_file f;
	char *text;

	(void)state;
	read_lines_as(lines, 6, SHEET_FMT_EDEXML, &f);
	assert_int_equal(f.header.layout, ROSTER_LAYOUT_EDEXML);
	assert_int_equal(f.nstudents, 4);
	assert_int_equal(f.count[ROSTER_W_NUMBER_SHORT], 0);
	assert_int_equal(f.count[ROSTER_E_NUMBER_NOT_EXACT], 1);
	assert_int_equal(find_issue(&f, ROSTER_E_NUMBER_NOT_EXACT)->arg,
	                 ROSTER_ARG_XML);
	text = all_issue_text(&f);
	assert_null(strstr(text, "Excel"));
	assert_non_null(strstr(text, "geen geheel getal"));
	free(text);
	roster_file_release(&f);

	/* the same rows from a spreadsheet: Excel may have done it */
	read_lines_as(lines, 6, SHEET_FMT_CSV, &f);
	assert_int_equal(f.count[ROSTER_W_NUMBER_SHORT], 1);
	text = all_issue_text(&f);
	assert_non_null(strstr(text, "voorloopnullen"));
	assert_non_null(strstr(text, "door Excel afgerond"));
	free(text);
	roster_file_release(&f);
}

/* A pupil without a roepnaam gets the first of the voornamen, else the
 * voorletters as written; each such pupil is named in an information
 * line.  Only without any of them is the name incomplete. */
static void
roepnaam_falls_back_to_voornamen_then_voorletters(void **state)
{
	struct roster_file f;
	const struct roster_issue *is;
	struct buf b;
	size_t infos = 0;

	(void)state;
	READ_AS(SHEET_FMT_EDEXML, &f, EDEX_HDR,
	        "1001|Berg|van den|Jan|Jan Pieter|J.P.|2015-03-14|5|Groep 5",
	        "1002|Bakker||| Jan-Willem  Maria |J.W.M.|2015-03-14|5|Groep 5",
	        "1003|Yilmaz|||| E. |2015-03-14|5|Groep 5",
	        "1004|Smit||||  |2015-03-14|5|Groep 5");
	assert_int_equal(f.nstudents, 4);
	assert_string_equal(find_student(&f, "1001")->roepnaam, "Jan");
	assert_string_equal(find_student(&f, "1002")->roepnaam, "Jan-Willem");
	assert_false(find_student(&f, "1002")->has_error);
	assert_string_equal(find_student(&f, "1003")->roepnaam, "E.");
	assert_false(find_student(&f, "1003")->has_error);
	assert_string_equal(find_student(&f, "1004")->roepnaam, "");
	assert_true(find_student(&f, "1004")->has_error);
	assert_int_equal(f.count[ROSTER_E_NAME_INCOMPLETE], 1);
	assert_int_equal(find_issue(&f, ROSTER_E_NAME_INCOMPLETE)->row, 5);
	assert_int_equal(f.nerrors, 1);
	assert_int_equal(f.nwarnings, 0);

	assert_int_equal(f.count[ROSTER_I_ROEPNAAM_DERIVED], 2);
	assert_int_equal(roster_code_severity(ROSTER_I_ROEPNAAM_DERIVED),
	                 ROSTER_SEV_INFO);
	buf_init(&b, 4096);
	for (size_t i = 0; i < f.nissues; i++) {
		is = &f.issues[i];
		if (is->code != ROSTER_I_ROEPNAAM_DERIVED)
			continue;
		infos++;
		assert_int_equal(is->col,
		                 4); /* where the roepnaam is missing */
		buf_reset(&b);
		roster_issue_format(&b, is, LANG_NL);
		if (is->row == 3) {
			assert_int_equal(is->arg, 0);
			assert_string_equal(is->text, "Jan-Willem Bakker");
			assert_string_equal(
			        b.data,
			        "rij 3, kolom D – Jan-Willem Bakker (1002): deze leerling heeft geen roepnaam; als roepnaam is de eerste voornaam genomen. Klopt dat niet, vul dan de roepnaam in je administratiepakket in en upload het bestand opnieuw.");
			buf_reset(&b);
			roster_issue_format(&b, is, LANG_EN);
			assert_string_equal(
			        b.data,
			        "row 3, column D – Jan-Willem Bakker (1002): this pupil has no first name (roepnaam); the first given name is used instead. If that is wrong, fill in the first name in your school administration system and upload the file again.");
		} else {
			assert_int_equal(is->row, 4);
			assert_int_equal(is->arg, ROSTER_ARG_INITIALS);
			assert_string_equal(is->text, "E. Yilmaz");
			assert_non_null(
			        strstr(b.data, "de voorletters genomen"));
			buf_reset(&b);
			roster_issue_format(&b, is, LANG_EN);
			assert_non_null(
			        strstr(b.data, "the initials are used"));
		}
	}
	assert_int_equal(infos, 2);
	buf_release(&b);

	/* both columns were used, so they are no longer "not stored" */
	assert_int_equal(f.count[ROSTER_I_COLUMN_DROPPED], 0);
	for (size_t k = 0; k < f.header.ncolumns; k++) {
		const struct roster_column *c = &f.header.columns[k];

		if (c->col == 5 || c->col == 6) {
			assert_int_equal(c->use, ROSTER_USE_FIELD);
			assert_true(roster_column_stored(c));
		}
	}
	roster_file_release(&f);
}

/* When every pupil has a roepnaam the other two columns are dropped as
 * before, and a spreadsheet with these columns gets the same fallback. */
static void
unused_fallback_columns_are_dropped(void **state)
{
	struct roster_file f;

	(void)state;
	READ(&f,
	     "Leerlingnummer|Roepnaam|Voornamen|Achternaam|Geboortedatum|Groep",
	     "1001|Jan|Jan Pieter|Berg|14-03-2015|5",
	     "1002|Piet|Pieter Johannes|Bos|14-03-2015|5");
	assert_int_equal(f.count[ROSTER_I_ROEPNAAM_DERIVED], 0);
	assert_int_equal(f.count[ROSTER_I_COLUMN_DROPPED], 1);
	assert_int_equal(find_issue(&f, ROSTER_I_COLUMN_DROPPED)->col, 3);
	roster_file_release(&f);

	READ(&f,
	     "Leerlingnummer|Roepnaam|Voornamen|Achternaam|Geboortedatum|Groep",
	     "1001||Jan Pieter|Berg|14-03-2015|5");
	assert_string_equal(find_student(&f, "1001")->roepnaam, "Jan");
	assert_int_equal(f.count[ROSTER_I_ROEPNAAM_DERIVED], 1);
	assert_int_equal(f.count[ROSTER_I_COLUMN_DROPPED], 0);
	assert_int_equal(f.nerrors, 0);
	roster_file_release(&f);
}

static void
numbers_differing_only_in_leading_zeros_are_duplicates(void **state)
{
	struct roster_file f;

	(void)state;
	READ(&f, HDR, "000123|A||Berg|14-03-2015|5",
	     "#123|B||Berg|14-03-2016|5");
	assert_true(f.blocked);
	assert_int_equal(f.count[ROSTER_E_NUMBER_DUPLICATE], 1);
	roster_file_release(&f);
}

static void
duplicates_block_and_keep_the_first(void **state)
{
	struct roster_file f;
	const struct roster_issue *is;

	(void)state;
	READ(&f, HDR, "1001|Jan||Berg|14-03-2015|5",
	     "1002|Piet||Dijk|14-03-2015|5", "1001|Kees||Bos|14-03-2016|4");
	assert_true(f.blocked);
	assert_int_equal(f.nstudents, 2);
	assert_true(find_student(&f, "1001")->has_error);
	assert_string_equal(find_student(&f, "1001")->roepnaam, "Jan");
	is = find_issue(&f, ROSTER_E_NUMBER_DUPLICATE);
	assert_int_equal(is->row, 4);
	assert_int_equal(is->arg, 2);
	roster_file_release(&f);
}

static void
missing_number_blocks_and_the_row_is_left_out(void **state)
{
	struct roster_file f;
	const struct roster_issue *is;

	(void)state;
	READ(&f, HDR, "1001|Jan||Berg|14-03-2015|5",
	     "|Piet||Dijk|14-03-2015|5");
	assert_true(f.blocked);
	assert_int_equal(f.nstudents, 1);
	is = find_issue(&f, ROSTER_E_NUMBER_MISSING);
	assert_non_null(is);
	assert_int_equal(is->row, 3);
	assert_int_equal(is->col, 1);
	roster_file_release(&f);
}

static void
a_number_of_control_characters_is_missing(void **state)
{
	struct roster_file f;

	(void)state;
	READ(&f, HDR, "1001|Jan||Berg|14-03-2015|5",
	     "\x01\x02|Piet||Dijk|14-03-2015|5",
	     "\xc2\xa0|Kees||Bos|14-03-2015|5");
	assert_true(f.blocked);
	assert_int_equal(f.nstudents, 1);
	assert_int_equal(f.count[ROSTER_E_NUMBER_MISSING], 2);
	roster_file_release(&f);
}

static void
error_rows_with_a_number_are_kept_with_has_error(void **state)
{
	struct roster_file f;
	const struct student *s;

	(void)state;
	READ(&f, HDR, "1001|Jan||Berg|31-02-2015|5", "1002|||Dijk|14-03-2015|5",
	     "1003|Kees||Bos|14-03-2015|", "1004|Lot||Bos|14-03-2015|3");
	assert_false(f.blocked);
	assert_int_equal(f.nstudents, 4);
	assert_true(find_student(&f, "1001")->has_error);
	assert_int_equal(find_student(&f, "1001")->birth, 0);
	assert_true(find_student(&f, "1002")->has_error);
	assert_true(find_student(&f, "1003")->has_error);
	s = find_student(&f, "1004");
	assert_false(s->has_error);
	assert_int_equal(f.count[ROSTER_E_DATE_IMPOSSIBLE], 1);
	assert_int_equal(f.count[ROSTER_E_NAME_INCOMPLETE], 1);
	assert_int_equal(f.count[ROSTER_E_GROUP_EMPTY], 1);
	roster_file_release(&f);
}

static void
us_order_dates_are_impossible(void **state)
{
	struct roster_file f;
	const struct roster_issue *is;

	(void)state;
	READ(&f, HDR, "1001|Jan||Berg|12/31/2015|5");
	is = find_issue(&f, ROSTER_E_DATE_IMPOSSIBLE);
	assert_non_null(is);
	assert_int_equal(is->row, 2);
	assert_int_equal(is->col, 5);
	assert_string_equal(is->text, "12/31/2015");
	roster_file_release(&f);
}

static void
dates_from_cells_serials_and_text(void **state)
{
	struct roster_file f;

	(void)state;
	READ(&f, HDR, "1|A||Berg|@2015-03-14|5", "2|B||Berg|#42077|5",
	     "3|C||Berg|14.3.2015|5", "4|D||Berg|2015-03-14|5",
	     "5|E||Berg|14-03-15|5", "6|F||Berg|14/03/2015|5");
	assert_int_equal(f.nerrors, 0);
	for (size_t i = 0; i < f.nstudents; i++)
		assert_int_equal(f.students[i].birth, 20150314);
	assert_int_equal(f.nstudents, 6);
	roster_file_release(&f);
}

static void
unreadable_dates_and_excel_errors_are_errors(void **state)
{
	struct roster_file f;

	(void)state;
	READ(&f, HDR, "1|A||Berg|onbekend|5", "2|B||Berg|#12|5",
	     "3|C||Berg|!#N/A|5", "4|D||Berg||5");
	assert_int_equal(f.count[ROSTER_E_DATE_INVALID], 2);
	assert_int_equal(f.count[ROSTER_E_CELL_ERROR], 1);
	assert_int_equal(f.count[ROSTER_E_BIRTH_EMPTY], 1);
	assert_int_equal(f.nstudents, 4);
	assert_false(f.blocked);
	roster_file_release(&f);
}

static void
implausible_ages_are_warnings_and_future_births_errors(void **state)
{
	struct roster_file f;
	const struct roster_issue *is;

	(void)state;
	READ(&f, HDR, "1|A||Berg|14-03-2005|5", "2|B||Berg|14-03-2024|1",
	     "3|C||Berg|14-03-2026|1", "4|D||Berg|14-03-2015|5");
	assert_int_equal(f.count[ROSTER_W_AGE], 2);
	is = find_issue(&f, ROSTER_W_AGE);
	assert_int_equal(is->arg, 20);
	assert_int_equal(f.count[ROSTER_E_BIRTH_FUTURE], 1);
	assert_false(find_student(&f, "1")->has_error);
	assert_true(find_student(&f, "3")->has_error);
	roster_file_release(&f);
}

static void
group_keys_and_jaargroep(void **state)
{
	struct roster_file f;

	(void)state;
	READ(&f, HDR, "1|A||Berg|14-03-2015|Groep 5/6a",
	     "2|B||Berg|14-03-2015|5/6A", "3|C||Berg|14-03-2015|Groep 3b",
	     "4|D||Berg|14-03-2019|1/2", "5|E||Berg|14-03-2021|Instroom",
	     "6|F||Berg|14-03-2020|Groep 0");
	assert_string_equal(find_student(&f, "1")->group, "Groep 5/6a");
	assert_string_equal(find_student(&f, "1")->group_key, "5/6a");
	assert_string_equal(find_student(&f, "2")->group_key, "5/6a");
	assert_int_equal(find_student(&f, "1")->jaargroep, JAARGROEP_UNKNOWN);
	assert_int_equal(find_student(&f, "3")->jaargroep, 3);
	assert_int_equal(find_student(&f, "4")->jaargroep, JAARGROEP_UNKNOWN);
	assert_int_equal(find_student(&f, "5")->jaargroep, JAARGROEP_UNKNOWN);
	assert_int_equal(find_student(&f, "6")->jaargroep, 0);
	roster_file_release(&f);
}

static void
jaargroep_column_wins_over_the_group_name(void **state)
{
	struct roster_file f;

	(void)state;
	READ(&f, HDR "|Jaargroep", "1|A||Berg|14-03-2015|Groep 5/6a|#6",
	     "2|B||Berg|14-03-2015|Groep 5/6a|5",
	     "3|C||Berg|14-03-2015|Groep 7|",
	     "4|D||Berg|14-03-2015|Groep 7|12");
	assert_int_equal(find_student(&f, "1")->jaargroep, 6);
	assert_int_equal(find_student(&f, "2")->jaargroep, 5);
	assert_int_equal(find_student(&f, "3")->jaargroep, 7);
	assert_int_equal(find_student(&f, "4")->jaargroep, JAARGROEP_UNKNOWN);
	assert_int_equal(f.count[ROSTER_W_JAARGROEP_INVALID], 1);
	roster_file_release(&f);
}

static void
combination_groups_are_no_warning(void **state)
{
	struct roster_file f;

	(void)state;
	/* "5/6a" becomes "5-6A" in the library system: the preview's group
	 * table says so; the teacher has nothing to fix */
	READ(&f, HDR, "1|A||Berg|14-03-2015|Groep 5/6a",
	     "2|B||Berg|14-03-2015|Groep 5/6a", "3|C||Berg|14-03-2015|Groep 5");
	assert_int_equal(f.count[ROSTER_W_GROUP_CHANGES], 0);
	assert_int_equal(f.nwarnings, 0);
	assert_int_equal(f.nerrors, 0);
	roster_file_release(&f);
}

static void
values_too_long_for_their_field_are_errors(void **state)
{
	struct roster_file f;

	(void)state;
	READ(&f, HDR, "123456789012345678901|A||Berg|14-03-2015|5",
	     "2|A||Berg|14-03-2015|Een groepsnaam die veel te lang is voor het veld",
	     "3|Aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa||Berg|14-03-2015|5");
	assert_int_equal(f.count[ROSTER_E_NUMBER_TOO_LONG], 1);
	assert_int_equal(f.count[ROSTER_E_TOO_LONG], 2);
	assert_true(f.blocked);
	assert_true(find_student(&f, "2")->has_error);
	assert_true(find_student(&f, "3")->has_error);
	roster_file_release(&f);
}

static void
same_name_and_birth_under_two_numbers_is_warned(void **state)
{
	struct roster_file f;
	const struct roster_issue *is;

	(void)state;
	READ(&f, HDR, "1|Jan||Berg|14-03-2015|5", "2|Piet||Berg|14-03-2015|5",
	     "3|JAN||berg|14-03-2015|6");
	is = find_issue(&f, ROSTER_W_SAME_PERSON);
	assert_non_null(is);
	assert_int_equal(is->row, 4);
	assert_int_equal(is->arg, 2);
	assert_int_equal(f.count[ROSTER_W_SAME_PERSON], 1);
	roster_file_release(&f);
}

static void
empty_rows_are_skipped_and_totals_ignored(void **state)
{
	struct roster_file f;

	(void)state;
	READ(&f, HDR, "1|Jan||Berg|14-03-2015|5", "", "|||||", "||||||notitie",
	     "Totaal: 123 leerlingen", "|Aantal leerlingen: 1", "Totaal|||||");
	assert_false(f.blocked);
	assert_int_equal(f.nstudents, 1);
	assert_int_equal(f.count[ROSTER_W_ROW_IGNORED], 3);
	roster_file_release(&f);
}

static void
group_titles_and_repeated_headers_are_not_students(void **state)
{
	struct roster_file f;

	(void)state;
	READ(&f, HDR, "Groep 5", "1|Jan||Berg|14-03-2015|5", HDR, "Groep 6",
	     "2|Piet||Bos|14-03-2014|6", "3");
	assert_int_equal(f.nstudents, 3);
	assert_int_equal(f.count[ROSTER_W_ROW_IGNORED], 2);
	assert_int_equal(f.ignored, 3);
	/* a bare number stays a student with errors, so it is kept as is */
	assert_true(find_student(&f, "3")->has_error);
	assert_false(f.blocked);
	roster_file_release(&f);
}

/* Issue 10: an issue about a pupil's row names the pupil, as the row has
 * them even when the row is invalid, with the number when it is a valid
 * one; the file's layout goes with every issue; issues of the file or a
 * column name nobody. */
static void
issues_name_the_pupil_of_their_row(void **state)
{
	struct roster_file f;
	const struct roster_issue *is;

	(void)state;
	READ(&f,
	     "Leerlingnummer|Roepnaam|Voorvoegsel|Achternaam|Geboortedatum|Groep|Adres",
	     "6001|Eva||Jansen|14-03-2015|4|Dorpsstraat 1",
	     "6002|Daan|van den|Berg|01-05-2016|3",
	     "6003|Finn||Meijer|31-02-2015|4",
	     "6002|Sara|de|Vries|02-02-2016|3", "|Lot||Bakker||5",
	     "6005||||03-03-2015|5", "6006|Noor||Dekker|!#N/A|5");
	assert_int_equal(f.header.layout, ROSTER_LAYOUT_PARNASSYS);
	for (size_t i = 0; i < f.nissues; i++)
		assert_int_equal(f.issues[i].layout, ROSTER_LAYOUT_PARNASSYS);

	is = find_issue(&f, ROSTER_I_COLUMN_DROPPED);
	assert_string_equal(is->name, "");
	assert_string_equal(is->number, "");

	is = find_issue(&f, ROSTER_E_DATE_IMPOSSIBLE);
	assert_int_equal(is->row, 4);
	assert_string_equal(is->name, "Finn Meijer");
	assert_string_equal(is->number, "6003");
	assert_string_equal(is->text, "31-02-2015");

	/* both pupils of a duplicate */
	is = find_issue(&f, ROSTER_E_NUMBER_DUPLICATE);
	assert_int_equal(is->row, 5);
	assert_int_equal(is->arg, 3);
	assert_string_equal(is->name, "Sara de Vries");
	assert_string_equal(is->number, "6002");
	assert_string_equal(is->other, "Daan van den Berg");

	/* no number: the name only; the row is not a student */
	is = find_issue(&f, ROSTER_E_NUMBER_MISSING);
	assert_int_equal(is->row, 6);
	assert_string_equal(is->name, "Lot Bakker");
	assert_string_equal(is->number, "");
	is = find_issue(&f, ROSTER_E_BIRTH_EMPTY);
	assert_int_equal(is->row, 6);
	assert_string_equal(is->name, "Lot Bakker");

	/* no name: the number only */
	is = find_issue(&f, ROSTER_E_NAME_EMPTY);
	assert_int_equal(is->row, 7);
	assert_string_equal(is->name, "");
	assert_string_equal(is->number, "6005");

	/* a row with an error cell still names its pupil */
	is = find_issue(&f, ROSTER_E_CELL_ERROR);
	assert_int_equal(is->row, 8);
	assert_string_equal(is->name, "Noor Dekker");
	assert_string_equal(is->number, "6006");
	roster_file_release(&f);
}

/* A name that cannot be kept (too long) is still named, cut; a Dotcom
 * name is said as the library keeps it; control characters never reach a
 * terminal. */
static void
issues_name_invalid_and_combined_names(void **state)
{
	struct roster_file f;
	const struct roster_issue *is;

	(void)state;
	READ(&f, "Leerlingnummer|Naam|Geboortedatum|Groep",
	     "1|Berg, Jan van den|31-02-2015|5", "2|Jansen, Piet|14-03-2015|5",
	     "3|Vries, Anne-Fleur Maria Josephina Wilhelmina Theodora Alexandra Elisabeth de|14-03-2015|5",
	     "4|Smit,\tKees|14-03-2015|");
	assert_int_equal(f.header.layout, ROSTER_LAYOUT_DOTCOM);
	is = find_issue(&f, ROSTER_E_DATE_IMPOSSIBLE);
	assert_string_equal(is->name, "Jan van den Berg");
	assert_string_equal(is->number, "1");
	assert_int_equal(is->layout, ROSTER_LAYOUT_DOTCOM);
	is = find_issue(&f, ROSTER_E_TOO_LONG);
	assert_int_equal(is->row, 4);
	assert_true(strncmp(is->name, "Vries, Anne-Fleur Maria", 23) == 0);
	assert_true(strlen(is->name) <= ROSTER_ISSUE_NAME);
	assert_non_null(strstr(is->name, "..."));
	assert_string_equal(is->number, "3");
	is = find_issue(&f, ROSTER_E_GROUP_EMPTY);
	assert_int_equal(is->row, 5);
	assert_null(strchr(is->name, '\t'));
	assert_string_equal(is->name, "Kees Smit");
	roster_file_release(&f);
}

static void
dotcom_combined_names(void **state)
{
	struct roster_file f;
	const struct student *s;

	(void)state;
	READ(&f, "Leerlingnummer|Naam|Geboortedatum|Groep",
	     "1|Berg, Jan van den|14-03-2015|5", "2|Jansen, Piet|14-03-2015|5",
	     "3|Vries, Anne Fleur de|14-03-2015|5");
	assert_int_equal(f.header.layout, ROSTER_LAYOUT_DOTCOM);
	s = find_student(&f, "1");
	assert_string_equal(s->roepnaam, "Jan");
	assert_string_equal(s->tussenvoegsel, "van den");
	assert_string_equal(s->achternaam, "Berg");
	s = find_student(&f, "2");
	assert_string_equal(s->roepnaam, "Piet");
	assert_string_equal(s->tussenvoegsel, "");
	assert_string_equal(s->achternaam, "Jansen");
	assert_string_equal(find_student(&f, "3")->roepnaam, "Anne Fleur");
	roster_file_release(&f);
}

static void
full_names_without_comma_are_generic(void **state)
{
	struct roster_file f;
	const struct student *s;

	(void)state;
	READ(&f, "Leerlingnummer|Volledige naam|Geboortedatum|Groep",
	     "1|Jan van den Berg|14-03-2015|5", "2|Piet|14-03-2015|5");
	assert_int_equal(f.header.layout, ROSTER_LAYOUT_GENERIC);
	s = find_student(&f, "1");
	assert_string_equal(s->tussenvoegsel, "van den");
	assert_int_equal(f.count[ROSTER_E_NAME_INCOMPLETE], 1);
	roster_file_release(&f);
}

static void
achternaam_with_prefix_and_no_prefix_column_is_split(void **state)
{
	struct roster_file f;
	const struct student *s;

	(void)state;
	READ(&f, "Leerlingnummer|Roepnaam|Achternaam|Geboortedatum|Groep",
	     "1|Jan|van den Berg|14-03-2015|5");
	s = find_student(&f, "1");
	assert_string_equal(s->tussenvoegsel, "van den");
	assert_string_equal(s->achternaam, "Berg");
	roster_file_release(&f);
}

static void
bsn_column_is_dropped_and_named(void **state)
{
	struct roster_file f;
	const struct roster_issue *is;

	(void)state;
	READ(&f, "Leerlingnummer|Naam|BSN|Geboortedatum|Groep|Adres",
	     "1|Jan Berg|111222333|14-03-2015|5|Dorpsstraat 1");
	assert_false(f.blocked);
	is = find_issue(&f, ROSTER_I_BSN_COLUMN_DROPPED);
	assert_non_null(is);
	assert_int_equal(is->col, 3);
	assert_string_equal(is->text, "BSN");
	is = find_issue(&f, ROSTER_I_COLUMN_DROPPED);
	assert_string_equal(is->text, "Adres");
	roster_file_release(&f);
}

static void
bsn_values_in_an_unknown_column_are_named_bsn(void **state)
{
	struct roster_file f;

	(void)state;
	READ(&f, "Leerlingnummer|Naam|Geboortedatum|Groep|Persoonsnummer",
	     "1|Jan Berg|14-03-2015|5|111222333",
	     "2|Piet Berg|14-03-2015|5|#123456782");
	assert_int_equal(f.count[ROSTER_I_BSN_COLUMN_DROPPED], 1);
	assert_int_equal(f.header.columns[4].use, ROSTER_USE_BSN);
	roster_file_release(&f);
}

static void
bsns_as_student_numbers_are_refused(void **state)
{
	struct roster_file f;

	(void)state;
	READ(&f, HDR, "111222333|Jan||Berg|14-03-2015|5",
	     "#123456782|Piet||Berg|14-03-2015|5",
	     "1003|Kees||Berg|14-03-2015|5");
	assert_true(f.blocked);
	assert_int_equal(f.nstudents, 0);
	assert_int_equal(f.nissues, 1);
	assert_int_equal(f.issues[0].code, ROSTER_E_NUMBER_IS_BSN);
	assert_int_equal(f.issues[0].col, 1);
	assert_string_equal(f.issues[0].text, "");
	roster_file_release(&f);
}

static void
unknown_columns_are_listed(void **state)
{
	struct roster_file f;

	(void)state;
	READ(&f, "Leerlingnummer|Naam|Geslacht|Geboortedatum|Groep|Telefoon",
	     "1|Jan Berg|M|14-03-2015|5|0612345678");
	assert_int_equal(f.count[ROSTER_I_COLUMN_DROPPED], 2);
	assert_int_equal(f.nwarnings, 0);
	assert_int_equal(f.nerrors, 0);
	roster_file_release(&f);
}

static void
no_header_names_missing_columns_and_keeps_first_rows(void **state)
{
	struct roster_file f;
	const struct roster_issue *is;

	(void)state;
	READ(&f, "Naam|Adres", "Jan Berg|Dorpsstraat 1");
	assert_true(f.blocked);
	assert_int_equal(f.nstudents, 0);
	is = find_issue(&f, ROSTER_E_NO_HEADER);
	assert_non_null(is);
	assert_int_equal(is->arg, ROSTER_NEED_NUMBER | ROSTER_NEED_BIRTH |
	                                  ROSTER_NEED_GROUP);
	assert_int_equal(f.preview.nrows, 2);
	assert_string_equal(f.preview.cell[1][0], "Jan Berg");
	roster_file_release(&f);
}

static void
a_header_without_students_is_refused(void **state)
{
	struct roster_file f;

	(void)state;
	READ(&f, HDR);
	assert_true(f.blocked);
	assert_int_equal(f.count[ROSTER_E_NO_STUDENTS], 1);
	roster_file_release(&f);
}

static void
issues_are_sorted_by_row_and_column(void **state)
{
	struct roster_file f;

	(void)state;
	READ(&f, HDR "|Adres", "1|Jan||Berg|31-02-2015||x",
	     "2|||Berg|14-03-2015|5");
	for (size_t i = 1; i < f.nissues; i++)
		assert_true(f.issues[i - 1].row < f.issues[i].row ||
		            (f.issues[i - 1].row == f.issues[i].row &&
		             f.issues[i - 1].col <= f.issues[i].col));
	roster_file_release(&f);
}

static void
too_many_rows_stop_the_reading(void **state)
{
	struct trows *t = malloc(sizeof(*t));
	struct roster_opts o;
	struct roster_file f;

	(void)state;
	trows_build(t,
	            (const char *const[]){ HDR, "1|A||B|14-03-2015|5",
	                                   "2|A||B|14-03-2015|5",
	                                   "3|A||B|14-03-2015|5" },
	            4);
	roster_opts_default(&o, TODAY);
	o.max_students = 2;
	roster_read_rows(t->rows, t->n, &o, &f);
	assert_true(f.blocked);
	assert_int_equal(f.nstudents, 2);
	assert_int_equal(f.count[ROSTER_E_TOO_MANY_ROWS], 1);
	roster_file_release(&f);
	trows_free(t);
	free(t);
}

static void
issues_beyond_the_cap_are_counted(void **state)
{
	struct trows *t = malloc(sizeof(*t));
	struct roster_opts o;
	struct roster_file f;

	(void)state;
	trows_build(t,
	            (const char *const[]){ HDR, "1|A||B||5", "2|A||B||5",
	                                   "3|A||B||5" },
	            4);
	roster_opts_default(&o, TODAY);
	o.max_issues = 2;
	roster_read_rows(t->rows, t->n, &o, &f);
	assert_int_equal(f.nissues, 2);
	assert_int_equal(f.issues_omitted, 1);
	assert_int_equal(f.count[ROSTER_E_BIRTH_EMPTY], 3);
	assert_int_equal(f.nerrors, 3);
	roster_file_release(&f);
	trows_free(t);
	free(t);
}

static void
streaming_reads_the_same_sheet_from_the_top(void **state)
{
	struct trows *t = malloc(sizeof(*t));
	struct roster_probe *p = malloc(sizeof(*p));
	struct roster_reader *r;
	struct roster_opts o;
	struct roster_file f;

	(void)state;
	trows_build(t,
	            (const char *const[]){ "Export", HDR,
	                                   "1|Jan||Berg|14-03-2015|5" },
	            3);
	roster_probe_init(p);
	for (size_t i = 0; i < t->n; i++)
		roster_probe_row(p, &t->rows[i]);
	roster_opts_default(&o, TODAY);
	r = roster_reader_new(&o);
	roster_reader_header(r, p);
	for (size_t i = 0; i < t->n; i++)
		assert_int_equal(roster_reader_row(r, &t->rows[i]), ERR_OK);
	roster_reader_finish(r, &f);
	roster_reader_free(r);
	assert_int_equal(f.header.row, 2);
	assert_int_equal(f.nstudents, 1);
	assert_int_equal(f.rows, 1);
	roster_file_release(&f);
	trows_free(t);
	free(t);
	free(p);
}

static void
each_layout_reads_its_rows(void **state)
{
	struct roster_file f;
	const struct student *s;

	(void)state;
	READ(&f,
	     "key|achternaam|voorvoegsel|roepnaam|voornamen|voorletters|geboortedatum|jaargroep|groep naam|uitstroomdatum",
	     "0042|Berg|van den|Jan|Johannes Petrus|J.P.|@2015-03-14|#5|Groep 5a|");
	assert_int_equal(f.header.layout, ROSTER_LAYOUT_EDEXML);
	s = find_student(&f, "0042");
	assert_non_null(s);
	assert_string_equal(s->number_key, "42");
	assert_string_equal(s->roepnaam, "Jan");
	assert_int_equal(s->jaargroep, 5);
	assert_string_equal(s->group, "Groep 5a");
	roster_file_release(&f);

	READ(&f,
	     "LEERLINGNUMMER|ROEPNAAM|VOORVOEGSEL|NAAM|GEBOORTEDATUM|GROEP|GROEPSNAAM|JAARGROEP",
	     "1001|Sanne|de|Vries|2015-03-14|G5A|Groep 5a|5");
	assert_int_equal(f.header.layout, ROSTER_LAYOUT_SCHOOLWISE);
	s = find_student(&f, "1001");
	assert_string_equal(s->achternaam, "Vries");
	assert_string_equal(s->group, "Groep 5a");
	roster_file_release(&f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_clean_file_gives_students_and_no_errors),
		cmocka_unit_test(
		        students_who_left_before_today_are_not_in_the_list),
		cmocka_unit_test(values_are_trimmed_and_collapsed),
		cmocka_unit_test(numeric_numbers_have_no_decimals),
		cmocka_unit_test(numbers_past_2_53_are_errors_that_block),
		cmocka_unit_test(
		        leading_zeros_match_and_short_numbers_are_warned),
		cmocka_unit_test(
		        numbers_differing_only_in_leading_zeros_are_duplicates),
		cmocka_unit_test(edexml_short_numbers_are_not_blamed_on_excel),
		cmocka_unit_test(
		        roepnaam_falls_back_to_voornamen_then_voorletters),
		cmocka_unit_test(unused_fallback_columns_are_dropped),
		cmocka_unit_test(duplicates_block_and_keep_the_first),
		cmocka_unit_test(missing_number_blocks_and_the_row_is_left_out),
		cmocka_unit_test(a_number_of_control_characters_is_missing),
		cmocka_unit_test(
		        error_rows_with_a_number_are_kept_with_has_error),
		cmocka_unit_test(us_order_dates_are_impossible),
		cmocka_unit_test(dates_from_cells_serials_and_text),
		cmocka_unit_test(unreadable_dates_and_excel_errors_are_errors),
		cmocka_unit_test(
		        implausible_ages_are_warnings_and_future_births_errors),
		cmocka_unit_test(group_keys_and_jaargroep),
		cmocka_unit_test(jaargroep_column_wins_over_the_group_name),
		cmocka_unit_test(combination_groups_are_no_warning),
		cmocka_unit_test(values_too_long_for_their_field_are_errors),
		cmocka_unit_test(
		        same_name_and_birth_under_two_numbers_is_warned),
		cmocka_unit_test(empty_rows_are_skipped_and_totals_ignored),
		cmocka_unit_test(
		        group_titles_and_repeated_headers_are_not_students),
		cmocka_unit_test(dotcom_combined_names),
		cmocka_unit_test(issues_name_the_pupil_of_their_row),
		cmocka_unit_test(issues_name_invalid_and_combined_names),
		cmocka_unit_test(full_names_without_comma_are_generic),
		cmocka_unit_test(
		        achternaam_with_prefix_and_no_prefix_column_is_split),
		cmocka_unit_test(bsn_column_is_dropped_and_named),
		cmocka_unit_test(bsn_values_in_an_unknown_column_are_named_bsn),
		cmocka_unit_test(bsns_as_student_numbers_are_refused),
		cmocka_unit_test(unknown_columns_are_listed),
		cmocka_unit_test(
		        no_header_names_missing_columns_and_keeps_first_rows),
		cmocka_unit_test(a_header_without_students_is_refused),
		cmocka_unit_test(issues_are_sorted_by_row_and_column),
		cmocka_unit_test(too_many_rows_stop_the_reading),
		cmocka_unit_test(issues_beyond_the_cap_are_counted),
		cmocka_unit_test(streaming_reads_the_same_sheet_from_the_top),
		cmocka_unit_test(each_layout_reads_its_rows),
	};

	return cmocka_run_group_tests_name("roster_reader", tests, NULL, NULL);
}
