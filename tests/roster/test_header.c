/*
 * Unit tests for roster/header.c: header synonyms, the header row below
 * title rows, the column mapping, the layouts, and the probe's score.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "rows.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static int
scan_line(const char *line, struct roster_header *h)
{
	struct trows *t = malloc(sizeof(*t));
	int score;

	trows_build(t, &line, 1);
	score = roster_scan_row(&t->rows[0], h);
	trows_free(t);
	free(t);
	return score;
}

static void
probe_lines(const char *const *lines, size_t n, struct roster_probe *p)
{
	struct trows *t = malloc(sizeof(*t));

	trows_build(t, lines, n);
	roster_probe_init(p);
	for (size_t i = 0; i < t->n && roster_probe_row(p, &t->rows[i]); i++)
		;
	trows_free(t);
	free(t);
}

static void
synonyms_match_whatever_the_spelling(void **state)
{
	static const struct {
		const char *header;
		enum roster_field field;
	} cases[] = {
		{ "Geboortedatum", ROSTER_F_BIRTH },
		{ "GEB.DATUM", ROSTER_F_BIRTH },
		{ "geb datum", ROSTER_F_BIRTH },
		{ "Geb. datum", ROSTER_F_BIRTH },
		{ "Geboren", ROSTER_F_BIRTH },
		{ "Date of birth", ROSTER_F_BIRTH },
		{ "Leerlingnummer", ROSTER_F_NUMBER },
		{ "Leerling nr.", ROSTER_F_NUMBER },
		{ "LEERLINGNR", ROSTER_F_NUMBER },
		{ "Stamnummer", ROSTER_F_NUMBER },
		{ "Llnr", ROSTER_F_NUMBER },
		{ "Leerling-ID", ROSTER_F_NUMBER },
		{ "Studentnummer", ROSTER_F_NUMBER },
		{ "EXTERN_NR", ROSTER_F_NUMBER },
		{ "Nummer", ROSTER_F_NUMBER },
		{ "Sleutel", ROSTER_F_NUMBER },
		{ "Groep", ROSTER_F_GROUP },
		{ "Klas", ROSTER_F_GROUP },
		{ "Groepsnaam", ROSTER_F_GROUP },
		{ "Stamgroep", ROSTER_F_GROUP },
		{ "KLAS_NAAM", ROSTER_F_GROUP },
		{ "Volledige naam", ROSTER_F_NAME },
		{ "Naam", ROSTER_F_NAME },
	};
	struct roster_header *h = malloc(sizeof(*h));
	char line[128];

	(void)state;
	for (size_t i = 0; i < N(cases); i++) {
		snprintf(line, sizeof(line), "%s", cases[i].header);
		scan_line(line, h);
		assert_int_equal(h->ncolumns, 1);
		assert_int_equal(h->columns[0].field, cases[i].field);
		assert_int_equal(h->columns[0].use, ROSTER_USE_FIELD);
	}
	free(h);
}

static void
accented_headers_match(void **state)
{
	struct roster_header *h = malloc(sizeof(*h));

	(void)state;
	scan_line("Léérlingnummer|Náám|Geboortedatüm|Gróép", h);
	assert_true(h->usable);
	free(h);
}

static void
split_names_need_roepnaam_and_achternaam(void **state)
{
	struct roster_header *h = malloc(sizeof(*h));

	(void)state;
	scan_line(
	        "Leerlingnummer|Roepnaam|Tussenvoegsel|Achternaam|Geboortedatum|Groep",
	        h);
	assert_true(h->usable);
	assert_int_equal(h->col[ROSTER_F_ROEPNAAM], 2);
	assert_int_equal(h->col[ROSTER_F_TUSSENVOEGSEL], 3);
	assert_int_equal(h->col[ROSTER_F_ACHTERNAAM], 4);
	assert_int_equal(h->col[ROSTER_F_NAME], 0);

	scan_line("Leerlingnummer|Roepnaam|Geboortedatum|Groep", h);
	assert_false(h->usable);
	assert_int_equal(h->missing, ROSTER_NEED_NAME);
	free(h);
}

static void
naam_beside_roepnaam_is_the_achternaam(void **state)
{
	struct roster_header *h = malloc(sizeof(*h));

	(void)state;
	scan_line(
	        "LEERLINGNUMMER|ROEPNAAM|VOORVOEGSEL|NAAM|GEBOORTEDATUM|GROEP|GROEPSNAAM|JAARGROEP",
	        h);
	assert_true(h->usable);
	assert_int_equal(h->col[ROSTER_F_ACHTERNAAM], 4);
	assert_int_equal(h->col[ROSTER_F_NAME], 0);
	/* the group name beats the group code */
	assert_int_equal(h->col[ROSTER_F_GROUP], 7);
	assert_int_equal(h->col[ROSTER_F_JAARGROEP], 8);
	assert_int_equal(h->columns[5].use, ROSTER_USE_SPARE);
	assert_int_equal(h->layout, ROSTER_LAYOUT_SCHOOLWISE);
	free(h);
}

static void
voornamen_serve_as_roepnaam_only_without_one(void **state)
{
	struct roster_header *h = malloc(sizeof(*h));

	(void)state;
	scan_line("Nr|Voornamen|Achternaam|Geboortedatum|Klas|Leerlingnummer",
	          h);
	assert_true(h->usable);
	assert_true(h->first_word);
	assert_int_equal(h->col[ROSTER_F_NUMBER], 6);
	scan_line(
	        "Leerlingnummer|Voornamen|Roepnaam|Achternaam|Geboortedatum|Klas",
	        h);
	assert_false(h->first_word);
	assert_int_equal(h->col[ROSTER_F_ROEPNAAM], 3);
	free(h);
}

static void
jaargroep_alone_is_the_group(void **state)
{
	struct roster_header *h = malloc(sizeof(*h));

	(void)state;
	scan_line("Leerlingnummer|Naam|Geboortedatum|Jaargroep", h);
	assert_true(h->usable);
	assert_int_equal(h->col[ROSTER_F_GROUP], 4);
	assert_int_equal(h->col[ROSTER_F_JAARGROEP], 4);
	free(h);
}

static void
missing_columns_are_named(void **state)
{
	struct roster_header *h = malloc(sizeof(*h));

	(void)state;
	assert_int_equal(scan_line("Naam|Adres|Woonplaats", h), 20);
	assert_false(h->usable);
	assert_int_equal(h->missing, ROSTER_NEED_NUMBER | ROSTER_NEED_BIRTH |
	                                     ROSTER_NEED_GROUP);
	free(h);
}

static void
bsn_and_unknown_columns_are_dropped(void **state)
{
	struct roster_header *h = malloc(sizeof(*h));

	(void)state;
	scan_line("Leerlingnummer|BSN|Naam|Geboortedatum|Groep|Adres", h);
	assert_true(h->usable);
	assert_int_equal(h->columns[1].use, ROSTER_USE_BSN);
	assert_int_equal(h->columns[5].use, ROSTER_USE_UNKNOWN);
	assert_string_equal(h->columns[5].header, "Adres");
	free(h);
}

static void
header_is_found_below_title_rows(void **state)
{
	struct roster_probe *p = malloc(sizeof(*p));

	(void)state;
	probe_lines(
	        (const char *const[]){
	                "Leerlingenoverzicht",
	                "Basisschool De Regenboog|||Peildatum: 1-9-2025",
	                "",
	                "Leerlingnummer|Achternaam|Voorvoegsel|Roepnaam|Geboortedatum|Groep",
	                "#1001|Berg|van den|Jan|@2015-03-14|Groep 5",
	        },
	        5, p);
	assert_int_equal(p->best.row, 4);
	assert_true(p->best.usable);
	assert_true(p->best.score >= 95);
	assert_int_equal(p->best.layout, ROSTER_LAYOUT_PARNASSYS);
	free(p);
}

static void
probe_stops_after_thirty_rows(void **state)
{
	const char *lines[40];
	struct roster_probe *p = malloc(sizeof(*p));

	(void)state;
	for (size_t i = 0; i < 40; i++)
		lines[i] = "titel";
	lines[35] = "Leerlingnummer|Naam|Geboortedatum|Groep";
	probe_lines(lines, 40, p);
	assert_int_equal(p->rows, ROSTER_PROBE_ROWS);
	assert_false(p->best.usable);
	assert_int_equal(p->best.row, 0);
	assert_int_equal(p->preview.nrows, ROSTER_PREVIEW_ROWS);
	free(p);
}

static void
preview_masks_bsns(void **state)
{
	struct roster_probe *p = malloc(sizeof(*p));

	(void)state;
	probe_lines(
	        (const char *const[]){ "Lijst", "Jan|111222333|#111222333" }, 2,
	        p);
	assert_string_equal(p->preview.cell[1][0], "Jan");
	assert_string_equal(p->preview.cell[1][1], "*********");
	assert_string_equal(p->preview.cell[1][2], "*********");
	free(p);
}

static void
each_layout_is_recognised(void **state)
{
	static const struct {
		const char *header;
		enum roster_layout layout;
	} cases[] = {
		{ "Leerlingnummer|Achternaam|Voorvoegsel|Roepnaam|Geboortedatum|Groep|Leerjaar",
		  ROSTER_LAYOUT_PARNASSYS },
		{ "Stamnummer|Roepnaam|Tussenvoegsel|Achternaam|Geboortedatum|Basisgroep",
		  ROSTER_LAYOUT_ESIS },
		{ "key|achternaam|voorvoegsel|roepnaam|voornamen|voorletters|geboortedatum|jaargroep|groep naam|uitstroomdatum",
		  ROSTER_LAYOUT_EDEXML },
		{ "EXTERN_NR|ROEPNAAM|NAAMTUS|NAAM|GEBOORTEDATUM|KLAS_CODE|KLAS_NAAM|LEERJAAR",
		  ROSTER_LAYOUT_SCHOOLWISE },
		{ "LEERLINGNUMMER|ROEPNAAM|VOORVOEGSEL|NAAM|GEBOORTEDATUM|GROEP|GROEPSNAAM|JAARGROEP",
		  ROSTER_LAYOUT_SCHOOLWISE },
		{ "Nummer|Naam|Geboren|Klas", ROSTER_LAYOUT_GENERIC },
	};
	struct roster_header *h = malloc(sizeof(*h));

	(void)state;
	for (size_t i = 0; i < N(cases); i++) {
		scan_line(cases[i].header, h);
		assert_true(h->usable);
		assert_int_equal(h->layout, cases[i].layout);
	}
	free(h);
}

static void
edexml_header_maps_every_field(void **state)
{
	struct roster_header *h = malloc(sizeof(*h));

	(void)state;
	scan_line(
	        "key|achternaam|voorvoegsel|roepnaam|voornamen|voorletters|geboortedatum|jaargroep|groep naam|uitstroomdatum",
	        h);
	assert_int_equal(h->col[ROSTER_F_NUMBER], 1);
	assert_int_equal(h->col[ROSTER_F_ACHTERNAAM], 2);
	assert_int_equal(h->col[ROSTER_F_TUSSENVOEGSEL], 3);
	assert_int_equal(h->col[ROSTER_F_ROEPNAAM], 4);
	assert_int_equal(h->col[ROSTER_F_BIRTH], 7);
	assert_int_equal(h->col[ROSTER_F_JAARGROEP], 8);
	assert_int_equal(h->col[ROSTER_F_GROUP], 9);
	/* voornamen and voorletters: where an empty roepnaam is looked for;
	 * dropped unless the reader uses them */
	assert_int_equal(h->col[ROSTER_F_VOORNAMEN], 5);
	assert_int_equal(h->col[ROSTER_F_VOORLETTERS], 6);
	assert_int_equal(h->columns[4].use, ROSTER_USE_SPARE);
	assert_int_equal(h->columns[4].field, ROSTER_F_VOORNAMEN);
	assert_int_equal(h->columns[5].use, ROSTER_USE_SPARE);
	assert_int_equal(h->columns[5].field, ROSTER_F_VOORLETTERS);
	free(h);
}

/* Voornamen and voorletters stand in for a missing roepnaam only beside
 * a roepnaam column: not when they are the roepnaam column themselves, nor
 * beside a single name column. */
static void
roepnaam_fallback_columns(void **state)
{
	struct roster_header *h = malloc(sizeof(*h));

	(void)state;
	scan_line("Nr|Voornaam|Voornamen|Achternaam|Geb.datum|Klas", h);
	assert_int_equal(h->col[ROSTER_F_ROEPNAAM], 2);
	assert_int_equal(h->col[ROSTER_F_VOORNAMEN], 3);
	assert_int_equal(h->col[ROSTER_F_VOORLETTERS], 0);
	assert_false(h->first_word);
	scan_line("Nr|Voornamen|Voorletters|Achternaam|Geb.datum|Klas", h);
	assert_int_equal(h->col[ROSTER_F_ROEPNAAM], 2);
	assert_true(h->first_word);
	assert_int_equal(h->col[ROSTER_F_VOORNAMEN], 0);
	assert_int_equal(h->col[ROSTER_F_VOORLETTERS], 3);
	scan_line("Nr|Naam|Voorletters|Geb.datum|Klas", h);
	assert_int_equal(h->col[ROSTER_F_NAME], 2);
	assert_int_equal(h->col[ROSTER_F_VOORLETTERS], 0);
	assert_int_equal(h->columns[2].use, ROSTER_USE_SPARE);
	free(h);
}

static void
a_fuller_header_scores_higher(void **state)
{
	struct roster_header *h = malloc(sizeof(*h));
	int partial, full;

	(void)state;
	partial = scan_line("Leerlingnummer|Naam|Groep", h);
	full = scan_line("Leerlingnummer|Naam|Geboortedatum|Groep", h);
	assert_true(full > partial);
	assert_int_equal(scan_line("Jan|Piet|Klaas", h), 0);
	free(h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(synonyms_match_whatever_the_spelling),
		cmocka_unit_test(accented_headers_match),
		cmocka_unit_test(split_names_need_roepnaam_and_achternaam),
		cmocka_unit_test(naam_beside_roepnaam_is_the_achternaam),
		cmocka_unit_test(voornamen_serve_as_roepnaam_only_without_one),
		cmocka_unit_test(jaargroep_alone_is_the_group),
		cmocka_unit_test(missing_columns_are_named),
		cmocka_unit_test(bsn_and_unknown_columns_are_dropped),
		cmocka_unit_test(header_is_found_below_title_rows),
		cmocka_unit_test(probe_stops_after_thirty_rows),
		cmocka_unit_test(preview_masks_bsns),
		cmocka_unit_test(each_layout_is_recognised),
		cmocka_unit_test(edexml_header_maps_every_field),
		cmocka_unit_test(roepnaam_fallback_columns),
		cmocka_unit_test(a_fuller_header_scores_higher),
	};

	return cmocka_run_group_tests_name("roster_header", tests, NULL, NULL);
}
