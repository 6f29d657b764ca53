/*
 * The EDEXML reader beyond the basics of test_ods_edexml.c: documents
 * saved in UTF-16 and UTF-32 (with and without a byte order mark), encodings
 * expat cannot read, birth dates with a time zone, and the groepen of a
 * leerkracht, which only refer to the school's groepen.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "dump.h"

/* A small export; ENC is the encoding its declaration names. */
#define EDEX(enc)                                                              \
	"<?xml version=\"1.0\" encoding=\"" enc "\"?>\n"                       \
	"<EDEX><school><schooljaar>2025-2026</schooljaar></school>"            \
	"<groepen><groep key=\"g3\"><naam>Groep 3</naam></groep></groepen>"    \
	"<leerlingen><leerling key=\"1001\"><achternaam>\xc3\x96zt\xc3\xbcrk"  \
	"</achternaam><roepnaam>Zo\xc3\xab</roepnaam>"                         \
	"<geboortedatum>2018-02-11</geboortedatum><groep key=\"g3\"/>"         \
	"</leerling></leerlingen></EDEX>\n"

#define HEADER                                                                 \
	"1\t1\tkey\ts\n1\t2\tachternaam\ts\n1\t3\tvoorvoegsel\ts\n"            \
	"1\t4\troepnaam\ts\n1\t5\tvoornamen\ts\n1\t6\tvoorletters\ts\n"        \
	"1\t7\tgeboortedatum\ts\n1\t8\tjaargroep\ts\n1\t9\tgroep\ts\n"         \
	"1\t10\tuitstroomdatum\ts\n"

#define ROWS                                                                   \
	HEADER "2\t1\t1001\ts\n2\t2\t\xc3\x96zt\xc3\xbcrk\ts\n"                \
	       "2\t4\tZo\xc3\xab\ts\n2\t7\t2018-02-11\td\n2\t9\tGroep 3\ts\n"

static void
expect_rows(const char *data, size_t len, const char *want)
{
	struct sheet_error e;
	enum sheet_format f = SHEET_FMT_UNKNOWN;
	char *got = dump_sheet(data, len, -1, &f, &e);

	if (got == NULL)
		fail_msg("refused: %s (%s)", sheet_problem_str(e.problem),
		         e.detail);
	assert_int_equal(f, SHEET_FMT_EDEXML);
	assert_string_equal(got, want);
	free(got);
}

static void
test_utf8_reference(void **s)
{
	static const char x[] = EDEX("UTF-8");

	(void)s;
	expect_rows(x, sizeof(x) - 1, ROWS);
}

/* Notepad's "Unicode", Excel's "XML-gegevens" and some exports: UTF-16
 * and UTF-32 in both byte orders, with a mark and (XML recognised by its
 * first '<') without.  Each is EDEXML, with the same rows as in UTF-8. */
static void
test_utf16_and_utf32_are_read_as_edexml(void **s)
{
	static const char x16[] = EDEX("UTF-16"), x32[] = EDEX("UTF-32");
	static const struct {
		int width;
		bool be, bom;
	} cases[] = {
		{ 2, false, true },  { 2, true, true },  { 2, false, false },
		{ 2, true, false },  { 4, false, true }, { 4, true, true },
		{ 4, false, false }, { 4, true, false },
	};

	(void)s;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *x = cases[i].width == 2 ? x16 : x32;
		size_t len;
		char *d = widen(x, strlen(x), cases[i].width, cases[i].be,
		                cases[i].bom, &len);

		print_message("UTF-%d%s %s mark\n", 8 * cases[i].width,
		              cases[i].be ? "BE" : "LE",
		              cases[i].bom ? "with" : "without");
		assert_int_equal(sheet_sniff(d, len, NULL), SHEET_FMT_EDEXML);
		expect_rows(d, len, ROWS);
		free(d);
	}
}

/* The converted document counts against total_bytes, like inflated zip
 * entries: a limit below its UTF-8 size refuses it cleanly. */
static void
test_converted_document_is_limited(void **s)
{
	static const char x[] = EDEX("UTF-16");
	struct sheet_limits lim;
	struct sheet_book *b = NULL;
	struct sheet_error e;
	size_t len;
	char *d = widen(x, sizeof(x) - 1, 2, false, true, &len);

	(void)s;
	sheet_limits_default(&lim);
	lim.total_bytes = 100;
	assert_int_equal(sheet_open(d, len, &lim, &b, &e), ERR_LIMIT);
	assert_null(b);
	assert_int_equal(e.problem, SHEET_P_TOO_BIG);
	free(d);
}

/* Other XML and web pages are what they are in any encoding, never CSV. */
static void
test_other_utf16_xml_is_not_csv(void **s)
{
	static const char wb[] =
	        "<?xml version=\"1.0\" encoding=\"UTF-16\"?><Workbook xmlns=\"urn:schemas-microsoft-com:office:spreadsheet\"><Worksheet/></Workbook>";
	static const char page[] = "<html><body><table><tr><td>1;2</td></tr>"
	                           "</table></body></html>";
	size_t len;
	char *d;

	(void)s;
	d = widen(wb, sizeof(wb) - 1, 2, false, true, &len);
	assert_int_equal(problem_of(d, len), SHEET_P_NOT_TABLE);
	free(d);
	d = widen(wb, sizeof(wb) - 1, 2, true, false, &len);
	assert_int_equal(problem_of(d, len), SHEET_P_NOT_TABLE);
	free(d);
	d = widen(page, sizeof(page) - 1, 2, false, true, &len);
	assert_int_equal(problem_of(d, len), SHEET_P_HTML);
	free(d);
}

/* An encoding expat does not know, or a declaration that contradicts the
 * bytes: refused as an unsupported encoding, not as a damaged file. */
static void
test_unsupported_encoding_is_refused(void **s)
{
	static const char cp1252[] = EDEX("windows-1252");
	static const char ebcdic[] = EDEX("IBM037");
	static const char lie[] = "\xef\xbb\xbf" EDEX("UTF-16");

	(void)s;
	assert_int_equal(problem_of(cp1252, sizeof(cp1252) - 1),
	                 SHEET_P_ENCODING);
	assert_int_equal(problem_of(ebcdic, sizeof(ebcdic) - 1),
	                 SHEET_P_ENCODING);
	assert_int_equal(problem_of(lie, sizeof(lie) - 1), SHEET_P_ENCODING);
	assert_non_null(
	        strstr(sheet_problem_text(SHEET_P_ENCODING, LANG_NL),
	               "XML in een codering die niet wordt ondersteund"));
	assert_non_null(
	        strstr(sheet_problem_text(SHEET_P_ENCODING, LANG_NL), "UTF-8"));
}

/* xs:date allows a time zone; the date is the one written. */
static void
test_birth_dates_with_a_time_zone(void **s)
{
	static const char x[] =
	        "<EDEX><leerlingen>"
	        "<leerling key=\"1\"><geboortedatum>2016-05-06+01:00</geboortedatum></leerling>"
	        "<leerling key=\"2\"><geboortedatum>2016-05-06-02:00</geboortedatum></leerling>"
	        "<leerling key=\"3\"><geboortedatum>2016-05-06Z</geboortedatum></leerling>"
	        "<leerling key=\"4\"><geboortedatum> 2016-05-06+14:00\n</geboortedatum></leerling>"
	        "<leerling key=\"5\"><geboortedatum>2016-05-06T00:00:00+01:00</geboortedatum></leerling>"
	        "<leerling key=\"6\"><geboortedatum>2016-05-06+15:00</geboortedatum></leerling>"
	        "<leerling key=\"7\"><uitstroomdatum>2025-07-18+02:00</uitstroomdatum></leerling>"
	        "</leerlingen></EDEX>";

	(void)s;
	expect_rows(x, sizeof(x) - 1,
	            HEADER "2\t1\t1\ts\n2\t7\t2016-05-06\td\n"
	                   "3\t1\t2\ts\n3\t7\t2016-05-06\td\n"
	                   "4\t1\t3\ts\n4\t7\t2016-05-06\td\n"
	                   "5\t1\t4\ts\n5\t7\t2016-05-06\td\n"
	                   "6\t1\t5\ts\n6\t7\t2016-05-06\td\n"
	                   /* no such zone: left as text */
	                   "7\t1\t6\ts\n7\t7\t2016-05-06+15:00\ts\n"
	                   "8\t1\t7\ts\n8\t10\t2025-07-18\td\n");
}

/* Leerkrachten list the groepen they teach as references; those come
 * before the school's groepen here and must not rename them. */
static void
test_leerkracht_groepen_only_refer(void **s)
{
	static const char x[] =
	        "<EDEX><leerkrachten><leerkracht key=\"lk1\"><achternaam>Smit</achternaam>"
	        "<groepen><groep key=\"g3\"/></groepen></leerkracht></leerkrachten>"
	        "<leerlingen><leerling key=\"1001\"><groep key=\"g3\"/></leerling>"
	        "</leerlingen>"
	        "<groepen><groep key=\"g3\"><naam>Groep 3</naam></groep>"
	        "<samengestelde_groep key=\"sg1\"><naam>Taalklas</naam>"
	        "</samengestelde_groep></groepen></EDEX>";

	(void)s;
	expect_rows(x, sizeof(x) - 1,
	            HEADER "2\t1\t1001\ts\n2\t9\tGroep 3\ts\n");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_reference),
		cmocka_unit_test(test_utf16_and_utf32_are_read_as_edexml),
		cmocka_unit_test(test_converted_document_is_limited),
		cmocka_unit_test(test_other_utf16_xml_is_not_csv),
		cmocka_unit_test(test_unsupported_encoding_is_refused),
		cmocka_unit_test(test_birth_dates_with_a_time_zone),
		cmocka_unit_test(test_leerkracht_groepen_only_refer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
