/*
 * The access document of one pupil (src/import/pupil.c): every value of
 * the pupil and of each journal row naming it, JSON-escaped, with nulls
 * for what is unknown or absent, compared with the exact expected text.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "../../src/import/pupil.h"

static struct student
pupil(void)
{
	struct student s;

	memset(&s, 0, sizeof(s));
	snprintf(s.number, sizeof(s.number), "0071");
	snprintf(s.roepnaam, sizeof(s.roepnaam), "Zo\xc3\xab");
	snprintf(s.tussenvoegsel, sizeof(s.tussenvoegsel), "'t");
	snprintf(s.achternaam, sizeof(s.achternaam), "Hart \"Jr\"");
	snprintf(s.group, sizeof(s.group), "Groep 4");
	s.birth = 20160229;
	s.jaargroep = 4;
	s.active = true;
	s.enrolled = 86400;
	return s;
}

static void
a_pupil_with_its_enrolment_and_journal(void **state)
{
	struct school sc = { .name = "OBS De Regenboog", .brin = "12AB" };
	struct student p = pupil();
	struct pupil_change c[2];
	struct buf b;

	(void)state;
	memset(c, 0, sizeof(c));
	c[0].import.id = 3;
	c[0].import.state = IMPORT_APPLIED;
	c[0].import.created = 86400;
	c[0].import.decided = 86460;
	snprintf(c[0].import.filename, sizeof(c[0].import.filename),
	         "leerlingen.xlsx");
	snprintf(c[0].import.actor, sizeof(c[0].import.actor), "juf");
	c[0].kind = CHANGE_NEW;
	c[0].has_after = true;
	c[0].after = p;
	c[0].after.row = 5;
	snprintf(c[0].after.group, sizeof(c[0].after.group), "Groep 3");
	c[0].after.jaargroep = JAARGROEP_UNKNOWN;
	c[1] = c[0];
	c[1].import.id = 4;
	c[1].import.state = IMPORT_PREVIEW;
	c[1].import.decided = 0;
	c[1].kind = CHANGE_LEFT;
	c[1].has_before = true;
	c[1].before = p;
	c[1].has_after = false;
	memset(&c[1].after, 0, sizeof(c[1].after));
	buf_init(&b, 1 << 16);
	struct pupil_issue is = { .import_id = 4 };
	struct pupil_record r = { &sc, &p, c, 2, &is, 1 };

	is.issue.code = ROSTER_E_DATE_IMPOSSIBLE;
	is.issue.row = 6;
	is.issue.col = 5;
	snprintf(is.issue.text, sizeof(is.issue.text), "31-02-2016");
	snprintf(is.issue.name, sizeof(is.issue.name), "Zo\xc3\xab 't Hart");
	snprintf(is.issue.number, sizeof(is.issue.number), "0071");
	assert_int_equal(pupil_json(&b, &r, 172800), ERR_OK);
	assert_string_equal(
	        b.data,
	        "{\n\"gemaakt_op\":\"1970-01-03T00:00:00Z\",\n"
	        "\"school\":{\"naam\":\"OBS De Regenboog\",\"brin\":\"12AB\"},\n"
	        "\"leerling\":{\"leerlingnummer\":\"0071\",\"roepnaam\":\"Zo\xc3\xab\","
	        "\"tussenvoegsel\":\"'t\",\"achternaam\":\"Hart \\\"Jr\\\"\","
	        "\"geboortedatum\":\"2016-02-29\",\"groep\":\"Groep 4\","
	        "\"jaargroep\":4,\"ingeschreven\":true,"
	        "\"ingeschreven_op\":\"1970-01-02T00:00:00Z\","
	        "\"uitgeschreven_op\":null},\n"
	        "\"wijzigingen\":[\n"
	        "{\"upload\":3,\"bestand\":\"leerlingen.xlsx\","
	        "\"geupload_door\":\"juf\","
	        "\"geupload_op\":\"1970-01-02T00:00:00Z\","
	        "\"status\":\"applied\","
	        "\"besloten_op\":\"1970-01-02T00:01:00Z\",\"soort\":\"new\","
	        "\"omschrijving\":\"nieuw\",\"rij\":5,\"voor\":null,"
	        "\"na\":{\"leerlingnummer\":\"0071\",\"roepnaam\":\"Zo\xc3\xab\","
	        "\"tussenvoegsel\":\"'t\",\"achternaam\":\"Hart \\\"Jr\\\"\","
	        "\"geboortedatum\":\"2016-02-29\",\"groep\":\"Groep 3\","
	        "\"jaargroep\":null}},\n"
	        "{\"upload\":4,\"bestand\":\"leerlingen.xlsx\","
	        "\"geupload_door\":\"juf\","
	        "\"geupload_op\":\"1970-01-02T00:00:00Z\","
	        "\"status\":\"preview\",\"besloten_op\":null,"
	        "\"soort\":\"left\",\"omschrijving\":\"uitgeschreven\","
	        "\"rij\":null,"
	        "\"voor\":{\"leerlingnummer\":\"0071\",\"roepnaam\":\"Zo\xc3\xab\","
	        "\"tussenvoegsel\":\"'t\",\"achternaam\":\"Hart \\\"Jr\\\"\","
	        "\"geboortedatum\":\"2016-02-29\",\"groep\":\"Groep 4\","
	        "\"jaargroep\":4},\"na\":null}\n],\n"
	        "\"meldingen\":[\n{\"upload\":4,\"rij\":6,\"kolom\":\"E\","
	        "\"melding\":\"Zo\xc3\xab 't Hart (0071): geboortedatum 31-02-2016 bestaat niet. Schrijf de datum als dag-maand-jaar, bijvoorbeeld 14-03-2015.\","
	        "\"waarde\":\"31-02-2016\"}\n]\n}\n");
	buf_release(&b);
}

static void
a_former_pupil_without_journal_or_birth_date(void **state)
{
	struct school sc = { .name = "School", .brin = "12AB" };
	struct student p = pupil();
	struct buf b;

	(void)state;
	p.active = false;
	p.left_at = 172800;
	p.birth = 0;
	buf_init(&b, 1 << 16);
	struct pupil_record r = { &sc, &p, NULL, 0, NULL, 0 };

	assert_int_equal(pupil_json(&b, &r, 0), ERR_OK);
	assert_non_null(strstr(b.data, "\"geboortedatum\":null"));
	assert_non_null(strstr(b.data, "\"ingeschreven\":false"));
	assert_non_null(strstr(
	        b.data, "\"uitgeschreven_op\":\"1970-01-03T00:00:00Z\""));
	assert_non_null(
	        strstr(b.data, "\"wijzigingen\":[],\n\"meldingen\":[]\n}\n"));
	buf_release(&b);
}

static void
a_full_buffer_is_an_error(void **state)
{
	struct school sc = { .name = "School", .brin = "12AB" };
	struct student p = pupil();
	struct buf b;

	(void)state;
	struct pupil_record r = { &sc, &p, NULL, 0, NULL, 0 };

	buf_init(&b, 64);
	assert_int_equal(pupil_json(&b, &r, 0), ERR_LIMIT);
	buf_release(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_pupil_with_its_enrolment_and_journal),
		cmocka_unit_test(a_former_pupil_without_journal_or_birth_date),
		cmocka_unit_test(a_full_buffer_is_an_error),
	};

	return cmocka_run_group_tests_name("import/pupil_json", tests, NULL,
	                                   NULL);
}
