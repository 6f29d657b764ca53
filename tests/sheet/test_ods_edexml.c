/*
 * The ods reader (content.xml built here, zipped with the test zip writer)
 * and the EDEXML reader (XML written here).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "dump.h"
#include "zipw.h"

#define CONTENT(tables)                                                        \
	"<?xml version=\"1.0\"?><office:document-content xmlns:office=\"urn:"  \
	"oasis:names:tc:opendocument:xmlns:office:1.0\" xmlns:table=\"urn:"    \
	"oasis:names:tc:opendocument:xmlns:table:1.0\" xmlns:text=\"urn:"      \
	"oasis:names:tc:opendocument:xmlns:text:1.0\"><office:body>"           \
	"<office:spreadsheet>" tables "</office:spreadsheet></office:body>"    \
	"</office:document-content>"

static char *
ods(const char *content, size_t *len)
{
	struct zipw z;

	zipw_init(&z);
	zipw_add_ex(&z, "mimetype",
	            "application/vnd.oasis.opendocument.spreadsheet", 46, 0,
	            (uint32_t)-1);
	zipw_add(&z, "META-INF/manifest.xml", "<manifest/>");
	zipw_add(&z, "content.xml", content);
	return zipw_finish(&z, len);
}

static void
expect_sheet(const char *data, size_t len, int idx, enum sheet_format fmt,
             const char *want)
{
	struct sheet_error e;
	enum sheet_format f;
	char *got = dump_sheet(data, len, idx, &f, &e);

	if (got == NULL)
		fail_msg("refused: %s", e.detail);
	assert_int_equal(f, fmt);
	assert_string_equal(got, want);
	free(got);
}

static void
test_ods_types(void **s)
{
	size_t len;
	char *d = ods(
	        CONTENT("<table:table table:name=\"Blad1\"><table:table-row>"
	                "<table:table-cell office:value-type=\"string\">"
	                "<text:p>Jan<text:s text:c=\"2\"/>de</text:p>"
	                "<text:p>Vries</text:p></table:table-cell>"
	                "<table:table-cell office:value-type=\"float\" office:value=\"7.5\"><text:p>7,5</text:p>"
	                "</table:table-cell>"
	                "<table:table-cell office:value-type=\"date\" office:date-value=\"2016-04-03\"/>"
	                "<table:table-cell office:value-type=\"boolean\" office:boolean-value=\"true\"/>"
	                "<table:table-cell office:value-type=\"time\" office:time-value=\"PT08H30M00S\"/>"
	                "</table:table-row></table:table>"),
	        &len);

	(void)s;
	expect_sheet(d, len, -1, SHEET_FMT_ODS,
	             "1\t1\tJan  de\\nVries\ts\n1\t2\t7.5\tn\n"
	             "1\t3\t2016-04-03\td\n1\t4\tTRUE\tb\n1\t5\t08:30:00\td\n");
	free(d);
}

static void
test_ods_repeats_and_covered_cells(void **s)
{
	size_t len;
	char *d = ods(
	        CONTENT("<table:table table:name=\"A\"><table:table-row table:number-rows-repeated=\"2\"><table:table-cell table:number-columns-repeated=\"2\" office:value-type=\"float\" office:value=\"1\"/>"
	                "<table:covered-table-cell/><table:table-cell office:value-type=\"string\"><text:p>x</text:p>"
	                "<office:annotation><text:p>note</text:p>"
	                "</office:annotation></table:table-cell>"
	                "<table:table-cell table:number-columns-repeated=\"16000\"/></table:table-row><table:table-row table:number-rows-repeated=\"1048000\"><table:table-cell table:number-columns-repeated=\"1024\"/>"
	                "</table:table-row></table:table>"
	                "<table:table table:name=\"B\"><table:table-row>"
	                "<table:table-cell office:value-type=\"string\">"
	                "<text:p>b</text:p></table:table-cell>"
	                "</table:table-row></table:table>"),
	        &len);

	(void)s;
	expect_sheet(d, len, 0, SHEET_FMT_ODS,
	             "1\t1\t1\tn\n1\t2\t1\tn\n1\t4\tx\ts\n"
	             "2\t1\t1\tn\n2\t2\t1\tn\n2\t4\tx\ts\n");
	expect_sheet(d, len, 1, SHEET_FMT_ODS, "1\t1\tb\ts\n");
	free(d);
}

static void
test_ods_repeat_bomb_hits_the_limits(void **s)
{
	size_t len;
	char *d = ods(
	        CONTENT("<table:table table:name=\"A\"><table:table-row table:number-rows-repeated=\"999999999\">"
	                "<table:table-cell table:number-columns-repeated=\"999999999\" office:value-type=\"string\">"
	                "<text:p>X</text:p></table:table-cell>"
	                "</table:table-row></table:table>"),
	        &len);

	(void)s;
	assert_int_equal(problem_of(d, len), SHEET_P_TOO_BIG);
	free(d);
}

static void
test_ods_encrypted_is_refused(void **s)
{
	struct zipw z;
	size_t len;
	char *d;

	(void)s;
	zipw_init(&z);
	zipw_add_ex(&z, "mimetype",
	            "application/vnd.oasis.opendocument.spreadsheet", 46, 0,
	            (uint32_t)-1);
	zipw_add(&z, "META-INF/manifest.xml",
	         "<manifest><file-entry><encryption-data/></file-entry>"
	         "</manifest>");
	zipw_add(&z, "content.xml", "garbage");
	d = zipw_finish(&z, &len);
	assert_int_equal(problem_of(d, len), SHEET_P_ENCRYPTED);
	free(d);
}

static const char edex[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<EDEX xmlns=\"http://www.edustandaard.nl/edex/schemas/v2.0\">"
        "<school><schooljaar>2024-2025</schooljaar></school>"
        "<leerlingen><leerling key=\"1001\"><achternaam>Jansen</achternaam>"
        "<voorvoegsel>de</voorvoegsel><roepnaam>Sanne</roepnaam>"
        "<voornamen>Sanne Maria</voornamen><voorletters-1>S.M."
        "</voorletters-1><geboortedatum>2016-04-03</geboortedatum>"
        "<jaargroep>4</jaargroep><groep key=\"g4a\"/></leerling>"
        "<leerling key=\"1002\"><achternaam>Bakker</achternaam>"
        "<roepnaam>\xc3\x96mer</roepnaam><geboortedatum>2015-01-30"
        "</geboortedatum><jaargroep>5</jaargroep><groep key=\"g5\"/>"
        "<uitstroomdatum>2025-01-31</uitstroomdatum></leerling>"
        "</leerlingen><groepen><groep key=\"g4a\"><naam>Groep 4a</naam>"
        "</groep><groep key=\"g5\"><naam>Groep 5</naam></groep></groepen>"
        "</EDEX>";

static void
test_edexml_leerlingen_with_groep_names(void **s)
{
	(void)s;
	expect_sheet(edex, sizeof(edex) - 1, -1, SHEET_FMT_EDEXML,
	             "1\t1\tkey\ts\n1\t2\tachternaam\ts\n1\t3\tvoorvoegsel\ts\n"
	             "1\t4\troepnaam\ts\n1\t5\tvoornamen\ts\n"
	             "1\t6\tvoorletters\ts\n1\t7\tgeboortedatum\ts\n"
	             "1\t8\tjaargroep\ts\n1\t9\tgroep\ts\n"
	             "1\t10\tuitstroomdatum\ts\n"
	             "2\t1\t1001\ts\n2\t2\tJansen\ts\n2\t3\tde\ts\n"
	             "2\t4\tSanne\ts\n2\t5\tSanne Maria\ts\n2\t6\tS.M.\ts\n"
	             "2\t7\t2016-04-03\td\n2\t8\t4\ts\n2\t9\tGroep 4a\ts\n"
	             "3\t1\t1002\ts\n3\t2\tBakker\ts\n3\t4\t\xc3\x96mer\ts\n"
	             "3\t7\t2015-01-30\td\n3\t8\t5\ts\n3\t9\tGroep 5\ts\n"
	             "3\t10\t2025-01-31\td\n");
}

static void
test_edexml_with_doctype_is_refused(void **s)
{
	static const char x[] = "<?xml version=\"1.0\"?><!DOCTYPE EDEX ["
	                        "<!ENTITY e \"x\">]><EDEX>&e;</EDEX>";

	(void)s;
	assert_int_equal(problem_of(x, sizeof(x) - 1), SHEET_P_UNSAFE);
}

static void
test_other_xml_is_refused(void **s)
{
	static const char x[] =
	        "<?xml version=\"1.0\"?><Workbook xmlns=\"urn:schemas-microsoft-com:office:spreadsheet\"/>";

	(void)s;
	assert_int_equal(problem_of(x, sizeof(x) - 1), SHEET_P_NOT_TABLE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ods_types),
		cmocka_unit_test(test_ods_repeats_and_covered_cells),
		cmocka_unit_test(test_ods_repeat_bomb_hits_the_limits),
		cmocka_unit_test(test_ods_encrypted_is_refused),
		cmocka_unit_test(test_edexml_leerlingen_with_groep_names),
		cmocka_unit_test(test_edexml_with_doctype_is_refused),
		cmocka_unit_test(test_other_xml_is_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
