/*
 * Unit tests for roster/report.c: every code has its texts, column letters,
 * and messages that name the row and column the school sees in Excel, with
 * what the issue's arg adds, in both languages.  Also the other Dutch and
 * English words of roster/ (layouts, fields, required columns, change
 * kinds): each has both texts with the same printf conversions.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../msgcheck.h"
#include "rows.h"

static void
every_code_has_dutch_english_and_a_name(void **state)
{
	(void)state;
	for (int c = 0; c < ROSTER_CODE__MAX; c++) {
		const char *nl = roster_code_text(c, LANG_NL);
		const char *en = roster_code_text(c, LANG_EN);

		mc_check_row("roster code", c, nl, en);
		assert_true(strlen(nl) > 20);
		assert_true(strlen(en) > 20);
		assert_string_not_equal(nl, en);
		assert_true(strlen(roster_code_name(c)) > 2);
		for (int d = 0; d < c; d++)
			assert_string_not_equal(roster_code_name(c),
			                        roster_code_name(d));
	}
}

/* One pair of texts: both or neither, with the same conversions. */
static void
check_pair(const char *what, int key, const char *nl, const char *en, void *arg)
{
	size_t *n = arg;

	if ((nl == NULL) != (en == NULL))
		fail_msg("%s %d: only one language", what, key);
	if (nl == NULL || (nl[0] == '\0' && en[0] == '\0'))
		return;
	mc_check_row(what, key, nl, en);
	(*n)++;
}

/* Every text of the report, the sentences about pupils and the words of
 * the fix in a system too. */
static void
every_report_text_has_both_languages_with_the_same_conversions(void **state)
{
	size_t n = 0;

	(void)state;
	roster_report_texts(check_pair, &n);
	assert_true(n > 100);
	/* and each code about a pupil has both halves of its line */
	for (int c = 0; c < ROSTER_CODE__MAX; c++) {
		struct roster_issue is = { .code = c, .row = 2, .text = "x" };
		struct buf b;

		buf_init(&b, 4096);
		roster_issue_say(&b, &is, LANG_NL, 0);
		assert_true(b.len > 20);
		buf_release(&b);
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
	assert_string_equal(
	        b.data,
	        "rij 14, kolom C: geboortedatum 31-02-2015 bestaat niet. Schrijf de datum als dag-maand-jaar, bijvoorbeeld 14-03-2015.");
	buf_reset(&b);
	roster_issue_format(&b, &is, LANG_EN);
	assert_string_equal(
	        b.data,
	        "row 14, column C: date of birth 31-02-2015 does not exist. Write the date as day-month-year, for example 14-03-2015.");
	/* the web's form leaves the column out when a pupil is named */
	buf_reset(&b);
	roster_issue_say(&b, &is, LANG_NL, 0);
	assert_true(strncmp(b.data, "rij 14, kolom C: geboortedatum", 30) == 0);
	snprintf(is.number, sizeof(is.number), "6003");
	buf_reset(&b);
	roster_issue_say(&b, &is, LANG_NL, 0);
	assert_true(
	        strncmp(b.data, "rij 14 – leerlingnummer 6003: geboortedatum",
	                strlen("rij 14 – leerlingnummer 6003: geboortedatum")) ==
	        0);
	buf_release(&b);
}

/* The line of issue 10: the row and the pupil lead, the value is in the
 * sentence, the fix is done in the system of the file's layout. */
static void
messages_name_the_pupil_and_the_system(void **state)
{
	static const struct {
		enum roster_layout layout;
		const char *nl, *en;
	} c[] = {
		{ ROSTER_LAYOUT_PARNASSYS,
		  "rij 4 – Finn Meijer (6003): geboortedatum 31-02-2015 bestaat niet. Pas de geboortedatum van deze leerling aan in ParnasSys en maak de export opnieuw.",
		  "row 4 – Finn Meijer (6003): date of birth 31-02-2015 does not exist. Correct the date of birth of this pupil in ParnasSys and export again." },
		{ ROSTER_LAYOUT_ESIS,
		  "rij 4 – Finn Meijer (6003): geboortedatum 31-02-2015 bestaat niet. Pas de geboortedatum van deze leerling aan in ESIS en maak de export opnieuw.",
		  "row 4 – Finn Meijer (6003): date of birth 31-02-2015 does not exist. Correct the date of birth of this pupil in ESIS and export again." },
		{ ROSTER_LAYOUT_DOTCOM,
		  "rij 4 – Finn Meijer (6003): geboortedatum 31-02-2015 bestaat niet. Pas de geboortedatum van deze leerling aan in Dotcom en maak de export opnieuw.",
		  "row 4 – Finn Meijer (6003): date of birth 31-02-2015 does not exist. Correct the date of birth of this pupil in Dotcom and export again." },
		/* EDEXML does not say whether ParnasSys or ESIS made it */
		{ ROSTER_LAYOUT_EDEXML,
		  "rij 4 – Finn Meijer (6003): geboortedatum 31-02-2015 bestaat niet. Pas de geboortedatum van deze leerling aan in je administratiepakket en maak de export opnieuw.",
		  "row 4 – Finn Meijer (6003): date of birth 31-02-2015 does not exist. Correct the date of birth of this pupil in your school administration system and export again." },
		/* no system: fixed in the spreadsheet */
		{ ROSTER_LAYOUT_GENERIC,
		  "rij 4 – Finn Meijer (6003): geboortedatum 31-02-2015 bestaat niet. Schrijf de datum als dag-maand-jaar, bijvoorbeeld 14-03-2015.",
		  "row 4 – Finn Meijer (6003): date of birth 31-02-2015 does not exist. Write the date as day-month-year, for example 14-03-2015." },
		{ ROSTER_LAYOUT_SCHOOLWISE,
		  "rij 4 – Finn Meijer (6003): geboortedatum 31-02-2015 bestaat niet. Schrijf de datum als dag-maand-jaar, bijvoorbeeld 14-03-2015.",
		  "row 4 – Finn Meijer (6003): date of birth 31-02-2015 does not exist. Write the date as day-month-year, for example 14-03-2015." },
	};
	struct roster_issue is = { .code = ROSTER_E_DATE_IMPOSSIBLE,
		                   .row = 4,
		                   .col = 5,
		                   .text = "31-02-2015",
		                   .name = "Finn Meijer",
		                   .number = "6003" };
	struct buf b;

	(void)state;
	buf_init(&b, 4096);
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		is.layout = c[i].layout;
		buf_reset(&b);
		assert_int_equal(roster_issue_say(&b, &is, LANG_NL, 0), ERR_OK);
		assert_string_equal(b.data, c[i].nl);
		buf_reset(&b);
		assert_int_equal(roster_issue_say(&b, &is, LANG_EN, 0), ERR_OK);
		assert_string_equal(b.data, c[i].en);
	}
	/* the command line names the column too */
	is.layout = ROSTER_LAYOUT_PARNASSYS;
	buf_reset(&b);
	roster_issue_format(&b, &is, LANG_NL);
	assert_true(strncmp(b.data, "rij 4, kolom E – Finn Meijer (6003): ",
	                    strlen("rij 4, kolom E – Finn Meijer (6003): ")) ==
	            0);
	/* the report has columns for row and column: the pupil leads */
	buf_reset(&b);
	roster_issue_say(&b, &is, LANG_NL, ROSTER_SAY_NO_PLACE);
	assert_true(strncmp(b.data, "Finn Meijer (6003): geboortedatum",
	                    strlen("Finn Meijer (6003): geboortedatum")) == 0);
	buf_release(&b);
}

/* Only the name, only the number, neither: the lead says what is known,
 * and a sentence without a lead starts with a capital. */
static void
messages_say_what_is_known_of_the_pupil(void **state)
{
	struct roster_issue missing = { .code = ROSTER_E_NUMBER_MISSING,
		                        .row = 6,
		                        .col = 1,
		                        .layout = ROSTER_LAYOUT_ESIS,
		                        .name = "Lot Bakker" };
	struct roster_issue noname = { .code = ROSTER_E_NAME_EMPTY,
		                       .row = 7,
		                       .col = 4,
		                       .number = "6005" };
	struct roster_issue group = { .code = ROSTER_E_GROUP_EMPTY, .row = 8 };
	struct buf b;

	(void)state;
	buf_init(&b, 4096);
	roster_issue_say(&b, &missing, LANG_NL, 0);
	assert_string_equal(
	        b.data,
	        "rij 6 – Lot Bakker: het leerlingnummer ontbreekt. Controleer het leerlingnummer van deze leerling in ESIS en maak de export opnieuw.");
	buf_reset(&b);
	roster_issue_say(&b, &noname, LANG_NL, 0);
	assert_string_equal(
	        b.data,
	        "rij 7 – leerlingnummer 6005: de naam ontbreekt. Vul de naam van de leerling in.");
	buf_reset(&b);
	roster_issue_say(&b, &noname, LANG_EN, 0);
	assert_string_equal(
	        b.data,
	        "row 7 – student number 6005: the name is missing. Fill in the pupil's name.");
	buf_reset(&b);
	roster_issue_say(&b, &group, LANG_NL, 0);
	assert_string_equal(
	        b.data,
	        "rij 8: de groep ontbreekt. Vul de groep van de leerling in.");
	buf_reset(&b);
	roster_issue_say(&b, &group, LANG_NL, ROSTER_SAY_NO_PLACE);
	assert_string_equal(
	        b.data, "De groep ontbreekt. Vul de groep van de leerling in.");
	buf_release(&b);
}

/* A duplicate names the other pupil; the alternative sentences for XML
 * still apply (no Excel, the administration package). */
static void
messages_name_the_other_pupil_and_keep_the_xml_wording(void **state)
{
	struct roster_issue dup = { .code = ROSTER_E_NUMBER_DUPLICATE,
		                    .row = 5,
		                    .col = 1,
		                    .arg = 3,
		                    .layout = ROSTER_LAYOUT_PARNASSYS,
		                    .text = "6002",
		                    .name = "Sara de Vries",
		                    .number = "6002",
		                    .other = "Daan van den Berg" };
	struct roster_issue xml = { .code = ROSTER_E_NUMBER_NOT_EXACT,
		                    .row = 9,
		                    .col = 1,
		                    .arg = ROSTER_ARG_XML,
		                    .layout = ROSTER_LAYOUT_EDEXML,
		                    .text = "1.5",
		                    .name = "Eva Jansen" };
	struct roster_issue xls = xml;
	struct buf b;

	(void)state;
	xls.arg = 0;
	xls.layout = ROSTER_LAYOUT_PARNASSYS;
	buf_init(&b, 4096);
	roster_issue_say(&b, &dup, LANG_NL, 0);
	assert_string_equal(
	        b.data,
	        "rij 5 – Sara de Vries (6002): dit leerlingnummer staat meer dan eens in het bestand (zie rij 3: Daan van den Berg). Controleer het leerlingnummer van deze leerling in ParnasSys en maak de export opnieuw.");
	buf_reset(&b);
	roster_issue_say(&b, &dup, LANG_EN, 0);
	assert_non_null(strstr(b.data, "(see row 3: Daan van den Berg)"));
	buf_reset(&b);
	roster_issue_say(&b, &xml, LANG_NL, 0);
	assert_string_equal(
	        b.data,
	        "rij 9 – Eva Jansen: leerlingnummer 1.5 is geen geheel getal. Controleer het leerlingnummer in je administratiepakket en exporteer het bestand opnieuw.");
	assert_null(strstr(b.data, "Excel"));
	buf_reset(&b);
	roster_issue_say(&b, &xls, LANG_NL, 0);
	assert_non_null(strstr(b.data, "door Excel afgerond"));
	assert_non_null(strstr(b.data, "Maak de kolom in Excel op als Tekst"));
	buf_release(&b);
}

/* Every code, as a pupil's issue in every layout, in both languages: no
 * printf conversion is left over, and both languages say the same kind of
 * thing (the value and the pupil where the Dutch does). */
static void
every_code_says_a_pupils_issue_in_both_languages(void **state)
{
	struct buf nl, en;

	(void)state;
	buf_init(&nl, 4096);
	buf_init(&en, 4096);
	for (int c = 0; c < ROSTER_CODE__MAX; c++)
		for (int l = 0; l < ROSTER_LAYOUT__MAX; l++)
			for (int64_t arg = 0; arg < 2; arg++) {
				struct roster_issue is = {
					.code = c,
					.row = 4,
					.col = 2,
					.arg = arg,
					.layout = l,
					.text = "V@LUE",
					.name = "Finn Meijer",
					.number = "6003",
				};

				buf_reset(&nl);
				buf_reset(&en);
				assert_int_equal(
				        roster_issue_say(&nl, &is, LANG_NL, 0),
				        ERR_OK);
				assert_int_equal(
				        roster_issue_say(&en, &is, LANG_EN, 0),
				        ERR_OK);
				if (strchr(nl.data, '%') ||
				    strchr(en.data, '%'))
					fail_msg("code %d: '%s' / '%s'", c,
					         nl.data, en.data);
				assert_string_not_equal(nl.data, en.data);
				assert_true(
				        strncmp(nl.data,
				                "rij 4 – Finn Meijer (6003): ",
				                30) == 0);
				assert_true(
				        strncmp(en.data,
				                "row 4 – Finn Meijer (6003): ",
				                30) == 0);
				assert_int_equal(
				        strstr(nl.data, "V@LUE") != NULL,
				        strstr(en.data, "V@LUE") != NULL);
				assert_int_equal(
				        strstr(nl.data, "ParnasSys") != NULL,
				        strstr(en.data, "ParnasSys") != NULL);
				/* a sentence ends it */
				assert_true(nl.data[nl.len - 1] == '.' ||
				            nl.data[nl.len - 1] == ')' ||
				            nl.data[nl.len - 1] == '"');
			}
	buf_release(&nl);
	buf_release(&en);
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
		mc_check_row("layout", l, roster_layout_name(l, LANG_NL),
		             roster_layout_name(l, LANG_EN));
		assert_true(strlen(roster_layout_name(l, LANG_NL)) > 2);
		assert_true(strlen(roster_layout_name(l, LANG_EN)) > 2);
	}
	assert_string_equal(roster_layout_name(ROSTER_LAYOUT_DOTCOM, LANG_NL),
	                    "Dotcom (SchoolOAS)");
	assert_string_equal(roster_layout_name(ROSTER_LAYOUT__MAX, LANG_NL),
	                    "?");
	for (unsigned bit = 1; bit <= ROSTER_NEED_GROUP; bit <<= 1) {
		mc_check_row("need", (int)bit, roster_need_name(bit, LANG_NL),
		             roster_need_name(bit, LANG_EN));
		assert_string_not_equal(roster_need_name(bit, LANG_NL), "?");
		assert_string_not_equal(roster_need_name(bit, LANG_EN), "?");
	}
	assert_string_equal(roster_need_name(ROSTER_NEED_ALL, LANG_EN), "?");
}

static void
fields_and_change_kinds_have_both_names(void **state)
{
	(void)state;
	for (int f = 0; f < ROSTER_F__MAX; f++) {
		mc_check_row("field", f, roster_field_name(f, LANG_NL),
		             roster_field_name(f, LANG_EN));
		assert_string_not_equal(roster_field_name(f, LANG_NL), "?");
	}
	assert_string_equal(roster_field_name(ROSTER_F_BIRTH, LANG_NL),
	                    "geboortedatum");
	assert_string_equal(roster_field_name(ROSTER_F_BIRTH, LANG_EN),
	                    "date of birth");
	assert_string_equal(roster_field_name(ROSTER_F__MAX, LANG_NL), "?");
	for (int k = 0; k < CHANGE__MAX; k++) {
		const char *nl = change_label(k, LANG_NL);
		const char *en = change_label(k, LANG_EN);

		mc_check_row("change kind", k, nl, en);
		assert_string_not_equal(nl, en);
	}
	assert_string_equal(change_label(CHANGE_LEFT, LANG_NL),
	                    "uitgeschreven");
	assert_string_equal(change_label(CHANGE_LEFT, LANG_EN), "unenrolled");
	assert_string_equal(change_label(CHANGE__MAX, LANG_EN), "?");
}

static bool
ends_with(const char *s, const char *end)
{
	size_t n = strlen(s), m = strlen(end);

	return n >= m && strcmp(s + n - m, end) == 0;
}

static void
every_place_and_detail_formats_in_both_languages(void **state)
{
	static const struct {
		struct roster_issue is;
		const char *nl_start, *nl_end, *en_start, *en_end;
	} c[] = {
		{ { .code = ROSTER_E_TOO_LONG, .row = 3, .col = 2, .arg = 40 },
		  "rij 3, kolom B: Deze waarde",
		  " (maximaal 40)",
		  "row 3, column B: The value",
		  " (at most 40)" },
		{ { .code = ROSTER_W_AGE, .row = 7, .arg = 2 },
		  "rij 7: Volgens",
		  " (leeftijd 2 jaar)",
		  "row 7: The date",
		  " (age 2)" },
		{ { .code = ROSTER_W_NUMBER_SHORT, .col = 1, .arg = 6 },
		  "kolom A: Dit leerlingnummer",
		  " (de meeste nummers hebben 6 cijfers)",
		  "column A: This student number",
		  " (most numbers have 6 digits)" },
		{ { .code = ROSTER_W_SAME_PERSON,
		    .row = 4,
		    .col = 1,
		    .arg = 2 },
		  "rij 4, kolom A: een leerling",
		  " (zie rij 2). Controleer of dit twee verschillende leerlingen zijn.",
		  "row 4, column A: a pupil",
		  " (see row 2). Check whether these are two different pupils." },
		{ { .code = ROSTER_E_NO_HEADER, .arg = ROSTER_NEED_NAME },
		  "Er is geen kopregel",
		  " (ontbreekt: naam)",
		  "No header row",
		  " (missing: name)" },
		/* no arg: no detail, except for the age */
		{ { .code = ROSTER_E_NUMBER_DUPLICATE, .row = 5 },
		  "rij 5: dit leerlingnummer",
		  "verwijder de dubbele rij.",
		  "row 5: this student number",
		  "correct or delete the duplicate row." },
		{ { .code = ROSTER_W_AGE, .row = 7 },
		  "rij 7: ",
		  " (leeftijd 0 jaar)",
		  "row 7: ",
		  " (age 0)" },
		/* the cell's text in the sentence */
		{ { .code = ROSTER_E_BIRTH_FUTURE,
		    .row = 2,
		    .col = 5,
		    .text = "1-1-2099" },
		  "rij 2, kolom E: geboortedatum 1-1-2099",
		  "ligt in de toekomst. Verbeter de datum.",
		  "row 2, column E: date of birth 1-1-2099",
		  "lies in the future. Correct the date." },
		/* an issue that is not a pupil's: the value after the sentence
		 */
		{ { .code = ROSTER_I_COLUMN_DROPPED,
		    .row = 1,
		    .col = 7,
		    .text = "Adres" },
		  "rij 1, kolom G: Deze kolom",
		  " (waarde: \"Adres\")",
		  "row 1, column G: This column",
		  " (value: \"Adres\")" },
	};
	struct buf b;

	(void)state;
	buf_init(&b, 4096);
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		buf_reset(&b);
		assert_int_equal(roster_issue_format(&b, &c[i].is, LANG_NL),
		                 ERR_OK);
		if (strncmp(b.data, c[i].nl_start, strlen(c[i].nl_start)) ||
		    !ends_with(b.data, c[i].nl_end))
			fail_msg("case %zu: '%s'", i, b.data);
		buf_reset(&b);
		assert_int_equal(roster_issue_format(&b, &c[i].is, LANG_EN),
		                 ERR_OK);
		if (strncmp(b.data, c[i].en_start, strlen(c[i].en_start)) ||
		    !ends_with(b.data, c[i].en_end))
			fail_msg("case %zu: '%s'", i, b.data);
	}
	buf_release(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_code_has_dutch_english_and_a_name),
		cmocka_unit_test(
		        every_report_text_has_both_languages_with_the_same_conversions),
		cmocka_unit_test(only_number_and_file_problems_block),
		cmocka_unit_test(column_letters_like_excel),
		cmocka_unit_test(messages_name_row_and_column),
		cmocka_unit_test(messages_name_the_pupil_and_the_system),
		cmocka_unit_test(messages_say_what_is_known_of_the_pupil),
		cmocka_unit_test(
		        messages_name_the_other_pupil_and_keep_the_xml_wording),
		cmocka_unit_test(
		        every_code_says_a_pupils_issue_in_both_languages),
		cmocka_unit_test(messages_carry_their_detail),
		cmocka_unit_test(
		        every_issue_of_a_file_formats_in_both_languages),
		cmocka_unit_test(layouts_and_needs_have_names),
		cmocka_unit_test(fields_and_change_kinds_have_both_names),
		cmocka_unit_test(
		        every_place_and_detail_formats_in_both_languages),
	};

	return cmocka_run_group_tests_name("roster_report", tests, NULL, NULL);
}
