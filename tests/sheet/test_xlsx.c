/*
 * The xlsx reader: files written by libxlsxwriter (as Excel-compatible
 * writers produce them) and packages built byte by byte for the features
 * libxlsxwriter does not write (1904 system, strict namespaces, cells
 * without references, escapes, ISO dates, phonetic runs).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

#include <cmocka.h>
#include <xlsxwriter.h>

#include "dump.h"
#include "zipw.h"

/* Read a file written by libxlsxwriter into memory and delete it. */
static char *
slurp_and_unlink(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct buf b;
	char tmp[65536];
	size_t n;

	assert_non_null(f);
	buf_init(&b, 1u << 26);
	while ((n = fread(tmp, 1, sizeof(tmp), f)) > 0)
		buf_add(&b, tmp, n);
	fclose(f);
	unlink(path);
	{
		char *s = buf_detach(&b, len);

		buf_release(&b);
		return s;
	}
}

static void
tmpname(char *out, size_t n)
{
	static int seq;

	snprintf(out, n, "/tmp/biebsync-test-%d-%d.xlsx", (int)getpid(), seq++);
}

static void
expect(const char *data, size_t len, const char *want)
{
	struct sheet_error e;
	char *got = dump_sheet(data, len, -1, NULL, &e);

	if (got == NULL)
		fail_msg("refused: %s", e.detail);
	assert_string_equal(got, want);
	free(got);
}

static void
test_types_from_libxlsxwriter(void **s)
{
	char path[128], *data;
	size_t len;
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *date, *datetime, *time, *elapsed, *dutch;
	lxw_datetime d = { 2016, 4, 3, 0, 0, 0 };
	lxw_datetime dt = { 2024, 8, 31, 13, 45, 30.4 };
	lxw_datetime t = { 0, 0, 0, 8, 30, 0 };

	(void)s;
	tmpname(path, sizeof(path));
	wb = workbook_new(path);
	ws = workbook_add_worksheet(wb, "Leerlingen");
	date = workbook_add_format(wb);
	format_set_num_format_index(date, 14);
	datetime = workbook_add_format(wb);
	format_set_num_format(datetime, "yyyy-mm-dd hh:mm:ss");
	time = workbook_add_format(wb);
	format_set_num_format(time, "hh:mm");
	elapsed = workbook_add_format(wb);
	format_set_num_format(elapsed, "[h]:mm");
	dutch = workbook_add_format(wb);
	format_set_num_format(dutch, "d-m-jjjj;\"d\"");
	worksheet_write_string(ws, 0, 0, "Naam", NULL);
	worksheet_write_string(ws, 0, 1, "Zoë", NULL);
	worksheet_write_number(ws, 1, 0, 12345, NULL);
	worksheet_write_number(ws, 1, 1, 0.1, NULL);
	worksheet_write_number(ws, 1, 2, 1e21, NULL);
	worksheet_write_boolean(ws, 2, 0, 1, NULL);
	worksheet_write_boolean(ws, 2, 1, 0, NULL);
	worksheet_write_formula_num(ws, 3, 0, "=1+1", NULL, 2);
	worksheet_write_formula_str(ws, 3, 1, "=\"a\"&\"b\"", NULL, "ab");
	worksheet_write_datetime(ws, 4, 0, &d, date);
	worksheet_write_datetime(ws, 4, 1, &dt, datetime);
	worksheet_write_datetime(ws, 4, 2, &t, time);
	worksheet_write_number(ws, 4, 3, 1.5, elapsed);
	worksheet_write_number(ws, 4, 4, 42000, dutch);
	assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
	data = slurp_and_unlink(path, &len);
	expect(data, len,
	       "1\t1\tNaam\ts\n1\t2\tZo\xc3\xab\ts\n"
	       "2\t1\t12345\tn\n2\t2\t0.1\tn\n2\t3\t1e+21\tn\n"
	       "3\t1\tTRUE\tb\n3\t2\tFALSE\tb\n"
	       "4\t1\t2\tn\n4\t2\tab\ts\n"
	       "5\t1\t2016-04-03\td\n5\t2\t2024-08-31T13:45:30\td\n"
	       "5\t3\t08:30:00\td\n5\t4\t36:00:00\td\n"
	       "5\t5\t2014-12-27\td\n");
	free(data);
}

static void
test_inline_strings_in_constant_memory_mode(void **s)
{
	lxw_workbook_options opt = { .constant_memory = LXW_TRUE };
	char path[128], *data;
	size_t len;
	lxw_workbook *wb;
	lxw_worksheet *ws;

	(void)s;
	tmpname(path, sizeof(path));
	wb = workbook_new_opt(path, &opt);
	ws = workbook_add_worksheet(wb, NULL);
	worksheet_write_string(ws, 0, 0, "inline", NULL);
	worksheet_write_string(ws, 0, 2, "a\tb", NULL);
	workbook_close(wb);
	data = slurp_and_unlink(path, &len);
	expect(data, len, "1\t1\tinline\ts\n1\t3\ta\\tb\ts\n");
	free(data);
}

static void
test_rich_text_runs_are_joined(void **s)
{
	char path[128], *data;
	size_t len;
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *bold;

	(void)s;
	tmpname(path, sizeof(path));
	wb = workbook_new(path);
	ws = workbook_add_worksheet(wb, NULL);
	bold = workbook_add_format(wb);
	format_set_bold(bold);
	{
		char van[] = "van ", dijk[] = "Dijk";
		lxw_rich_string_tuple a = { .format = NULL, .string = van };
		lxw_rich_string_tuple b = { .format = bold, .string = dijk };
		lxw_rich_string_tuple *runs[] = { &a, &b, NULL };

		worksheet_write_rich_string(ws, 0, 0, runs, NULL);
	}
	workbook_close(wb);
	data = slurp_and_unlink(path, &len);
	expect(data, len, "1\t1\tvan Dijk\ts\n");
	free(data);
}

static void
test_sheets_in_workbook_order_and_sparse_rows(void **s)
{
	char path[128], *data;
	size_t len;
	lxw_workbook *wb;
	lxw_worksheet *a, *b;
	struct sheet_book *book;
	struct sheet_error e;

	(void)s;
	tmpname(path, sizeof(path));
	wb = workbook_new(path);
	a = workbook_add_worksheet(wb, "Uitleg");
	b = workbook_add_worksheet(wb, "Groep 5");
	worksheet_write_string(a, 0, 0, "lees mij", NULL);
	worksheet_write_string(b, 0, 0, "x", NULL);
	worksheet_write_string(b, 99, 27, "y", NULL);
	workbook_close(wb);
	data = slurp_and_unlink(path, &len);
	assert_int_equal(sheet_open(data, len, NULL, &book, &e), ERR_OK);
	assert_int_equal(sheet_count(book), 2);
	assert_string_equal(sheet_get_info(book, 0)->name, "Uitleg");
	assert_string_equal(sheet_get_info(book, 1)->name, "Groep 5");
	assert_int_equal(sheet_find(book, "Groep 5"), 1);
	{
		struct buf out;

		buf_init(&out, 1 << 20);
		assert_int_equal(sheet_read(book, 1, dump_row, &out, &e),
		                 ERR_OK);
		assert_string_equal(out.data, "1\t1\tx\ts\n100\t28\ty\ts\n");
		buf_release(&out);
	}
	sheet_book_free(book);
	free(data);
}

/* A package around one sheet, dumped. */
static void
expect_parts(const char *wbpr, const char *sheet, const char *sst,
             const char *styles, const char *want)
{
	struct zipw z;
	size_t len;
	char *data;

	zipw_init(&z);
	zipw_xlsx(&z, wbpr, sheet, sst, styles);
	data = zipw_finish(&z, &len);
	expect(data, len, want);
	free(data);
}

#define SHEET(rows)                                                            \
	"<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/"  \
	"2006/main\"><sheetData>" rows "</sheetData></worksheet>"

#define STYLES_DATE                                                            \
	"<styleSheet><cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/>"       \
	"</cellXfs></styleSheet>"

static void
test_1904_date_system(void **s)
{
	(void)s;
	expect_parts("<workbookPr date1904=\"1\"/>",
	             SHEET("<row r=\"1\"><c r=\"A1\" s=\"1\"><v>40908</v></c>"
	                   "</row>"),
	             NULL, STYLES_DATE, "1\t1\t2016-01-01\td\n");
}

static void
test_1900_leap_year_bug(void **s)
{
	(void)s;
	expect_parts(NULL,
	             SHEET("<row r=\"1\"><c r=\"A1\" s=\"1\"><v>59</v></c>"
	                   "<c r=\"B1\" s=\"1\"><v>61</v></c>"
	                   "<c r=\"C1\" s=\"1\"><v>1</v></c></row>"),
	             NULL, STYLES_DATE,
	             "1\t1\t1900-02-28\td\n1\t2\t1900-03-01\td\n"
	             "1\t3\t1900-01-01\td\n");
}

static void
test_cells_without_references_and_lowercase(void **s)
{
	(void)s;
	expect_parts(NULL,
	             SHEET("<row><c><v>1</v></c><c><v>2</v></c></row>"
	                   "<row><c r=\"c2\"><v>3</v></c><c><v>4</v></c></row>"
	                   "<row r=\"5\"><c r=\"b5\"><v>5</v></c></row>"),
	             NULL, NULL,
	             "1\t1\t1\tn\n1\t2\t2\tn\n2\t3\t3\tn\n2\t4\t4\tn\n"
	             "5\t2\t5\tn\n");
}

static void
test_escapes_phonetic_runs_and_errors(void **s)
{
	(void)s;
	expect_parts(
	        NULL,
	        SHEET("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c>"
	              "<c r=\"B1\" t=\"s\"><v>1</v></c>"
	              "<c r=\"C1\" t=\"e\"><v>#N/A</v></c>"
	              "<c r=\"D1\" t=\"inlineStr\"><is><t>x_x0009_y</t></is>"
	              "</c></row>"),
	        "<sst><si><t>a_x000D_b_x005F_x0041_</t></si>"
	        "<si><t>plain </t><r><t>rich</t></r>"
	        "<rPh><t>PHONETIC</t></rPh></si></sst>",
	        NULL,
	        "1\t1\ta\\rb_x0041_\ts\n1\t2\tplain rich\ts\n"
	        "1\t3\t#N/A\te\n1\t4\tx\\ty\ts\n");
}

static void
test_iso_date_cells(void **s)
{
	(void)s;
	expect_parts(
	        NULL,
	        SHEET("<row r=\"1\"><c r=\"A1\" t=\"d\"><v>2015-03-01"
	              "</v></c><c r=\"B1\" t=\"d\"><v>2015-03-01T10:20:30</v></c></row>"),
	        NULL, NULL,
	        "1\t1\t2015-03-01\td\n1\t2\t2015-03-01T10:20:30\td\n");
}

static void
test_custom_date_formats(void **s)
{
	(void)s;
	expect_parts(
	        NULL,
	        SHEET("<row r=\"1\"><c r=\"A1\" s=\"1\"><v>42000.5</v></c>"
	              "<c r=\"B1\" s=\"2\"><v>42000</v></c>"
	              "<c r=\"C1\" s=\"3\"><v>0.25</v></c></row>"),
	        NULL,
	        "<styleSheet><numFmts><numFmt numFmtId=\"164\" formatCode=\"dd/mm/yyyy\\ hh:mm\"/><numFmt numFmtId=\"165\" formatCode=\"[Red]&quot;dag&quot;0\"/><numFmt numFmtId=\"166\" formatCode=\"h:mm;@\"/></numFmts><cellXfs><xf numFmtId=\"0\"/>"
	        "<xf numFmtId=\"164\"/><xf numFmtId=\"165\"/>"
	        "<xf numFmtId=\"166\"/></cellXfs></styleSheet>",
	        "1\t1\t2014-12-27T12:00:00\td\n1\t2\t42000\tn\n"
	        "1\t3\t06:00:00\td\n");
}

static void
test_strict_ooxml_and_nonstandard_part_names(void **s)
{
	struct zipw z;
	size_t len;
	char *data;

	(void)s;
	zipw_init(&z);
	zipw_add(
	        &z, "_rels/.rels",
	        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"r\" Type=\"http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument\" Target=\"/boek/Werkmap.xml\"/>"
	        "</Relationships>");
	zipw_add(
	        &z, "boek/Werkmap.xml",
	        "<workbook xmlns=\"http://purl.oclc.org/ooxml/spreadsheetml/main\" xmlns:r=\"http://purl.oclc.org/ooxml/officeDocument/relationships\"><sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"x\"/></sheets></workbook>");
	zipw_add(
	        &z, "boek/_rels/Werkmap.xml.rels",
	        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"x\" Type=\"http://purl.oclc.org/ooxml/officeDocument/relationships/worksheet\" Target=\"../bladen/een.xml\"/></Relationships>");
	zipw_add(
	        &z, "bladen/een.xml",
	        "<worksheet xmlns=\"http://purl.oclc.org/ooxml/spreadsheetml/main\"><sheetData><row r=\"2\"><c r=\"B2\"><v>7</v></c></row>"
	        "</sheetData></worksheet>");
	data = zipw_finish(&z, &len);
	expect(data, len, "2\t2\t7\tn\n");
	free(data);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_types_from_libxlsxwriter),
		cmocka_unit_test(test_inline_strings_in_constant_memory_mode),
		cmocka_unit_test(test_rich_text_runs_are_joined),
		cmocka_unit_test(test_sheets_in_workbook_order_and_sparse_rows),
		cmocka_unit_test(test_1904_date_system),
		cmocka_unit_test(test_1900_leap_year_bug),
		cmocka_unit_test(test_cells_without_references_and_lowercase),
		cmocka_unit_test(test_escapes_phonetic_runs_and_errors),
		cmocka_unit_test(test_iso_date_cells),
		cmocka_unit_test(test_custom_date_formats),
		cmocka_unit_test(test_strict_ooxml_and_nonstandard_part_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
