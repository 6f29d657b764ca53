/*
 * Hostile and foreign files: each is refused with the right problem, in
 * bounded time and memory (the asan run checks the memory side).  Zip
 * bombs, lying and overlapping zip entries, unsafe names, DOCTYPE tricks,
 * too many strings, cells at the edge of the grid, deep nesting, truncation
 * at every 1 KiB, and files that are not spreadsheets at all; and every
 * problem's message in Dutch and English.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "../msgcheck.h"
#include "dump.h"
#include "zipw.h"

#define SHEET(rows)                                                            \
	"<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/"  \
	"2006/main\"><sheetData>" rows "</sheetData></worksheet>"

static enum sheet_problem
problem_lim(const char *data, size_t len, const struct sheet_limits *lim)
{
	struct sheet_book *b;
	struct sheet_error e;
	struct buf out;
	enum sheet_problem p = SHEET_OK;
	int i;

	if (sheet_open(data, len, lim, &b, &e) != ERR_OK)
		return e.problem;
	buf_init(&out, 1u << 24);
	i = sheet_first_worksheet(b);
	if (i < 0)
		p = SHEET_P_NO_SHEET;
	else if (sheet_read(b, (size_t)i, dump_row, &out, &e) != ERR_OK)
		p = e.problem;
	buf_release(&out);
	sheet_book_free(b);
	return p;
}

static char *
xlsx_with_sheet(const char *sheet, const char *sst, size_t *len)
{
	struct zipw z;

	zipw_init(&z);
	zipw_xlsx(&z, NULL, sheet, sst, NULL);
	return zipw_finish(&z, len);
}

static void
test_zip_bomb_stops_at_the_entry_limit(void **s)
{
	size_t n = 64u << 20, len;
	char *zeros = malloc(n), *data;
	struct sheet_limits lim;
	struct zipw z;

	(void)s;
	/* 64 MiB of XML whitespace inside a valid sheet */
	memset(zeros, ' ', n);
	memcpy(zeros, "<worksheet>", 11);
	memcpy(zeros + n - 12, "</worksheet>", 12);
	zipw_init(&z);
	zipw_xlsx(&z, NULL, NULL, NULL, NULL);
	zipw_add_ex(&z, "xl/worksheets/sheet1.xml", zeros, n, 1, (uint32_t)-1);
	data = zipw_finish(&z, &len);
	assert_true(len < 200000);
	sheet_limits_default(&lim);
	lim.entry_bytes = 8u << 20;
	assert_int_equal(problem_lim(data, len, &lim), SHEET_P_TOO_BIG);
	/* with a generous entry limit the ratio check stops it */
	lim.entry_bytes = 1u << 30;
	assert_int_equal(problem_lim(data, len, &lim), SHEET_P_UNSAFE);
	free(data);
	free(zeros);
}

static void
test_central_directory_lying_about_size(void **s)
{
	static const char sheet[] =
	        SHEET("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>");
	struct zipw z;
	size_t len;
	char *data;

	(void)s;
	zipw_init(&z);
	zipw_xlsx(&z, NULL, NULL, NULL, NULL);
	zipw_add_ex(&z, "xl/worksheets/sheet1.xml", sheet, sizeof(sheet) - 1, 1,
	            10);
	data = zipw_finish(&z, &len);
	assert_int_equal(problem_of(data, len), SHEET_P_BROKEN);
	free(data);
}

static void
test_overlapping_entries(void **s)
{
	struct zipw z;
	size_t len;
	char *data;

	(void)s;
	zipw_init(&z);
	zipw_xlsx(&z, NULL, SHEET(""), NULL, NULL);
	zipw_alias(&z, 4, "xl/worksheets/sheet2.xml");
	data = zipw_finish(&z, &len);
	assert_int_not_equal(problem_of(data, len), SHEET_OK);
	free(data);
}

static void
test_duplicate_workbook(void **s)
{
	struct zipw z;
	size_t len;
	char *data;

	(void)s;
	zipw_init(&z);
	zipw_xlsx(&z, NULL, SHEET(""), NULL, NULL);
	zipw_add(&z, "xl/workbook.xml", "<workbook/>");
	data = zipw_finish(&z, &len);
	assert_int_equal(problem_of(data, len), SHEET_P_UNSAFE);
	free(data);
}

static void
test_unsafe_entry_names(void **s)
{
	static const char *const names[] = {
		"../evil.xml",  "xl/../../evil.xml",
		"/abs.xml",     "xl\\worksheets\\sheet1.xml",
		"xl/a\x01.xml",
	};

	(void)s;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct zipw z;
		size_t len;
		char *data;

		zipw_init(&z);
		zipw_xlsx(&z, NULL, SHEET(""), NULL, NULL);
		zipw_add(&z, names[i], "x");
		data = zipw_finish(&z, &len);
		assert_int_equal(problem_of(data, len), SHEET_P_UNSAFE);
		free(data);
	}
}

static void
test_billion_laughs_and_xxe(void **s)
{
	static const char *const sheets[] = {
		"<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
		"<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
		"<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">"
		"]><worksheet><sheetData><row><c t=\"inlineStr\"><is><t>"
		"&lol3;</t></is></c></row></sheetData></worksheet>",
		"<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><worksheet><sheetData><row><c t=\"inlineStr\"><is><t>&xxe;</t></is></c></row></sheetData>"
		"</worksheet>",
	};

	(void)s;
	for (size_t i = 0; i < 2; i++) {
		size_t len;
		char *data = xlsx_with_sheet(sheets[i], NULL, &len);

		assert_int_equal(problem_of(data, len), SHEET_P_UNSAFE);
		free(data);
	}
}

static void
test_a_million_shared_strings(void **s)
{
	struct buf sst;
	struct sheet_limits lim;
	size_t len;
	char *data;

	(void)s;
	buf_init(&sst, 1u << 26);
	buf_adds(&sst, "<sst>");
	for (int i = 0; i < 1000000; i++)
		buf_adds(&sst, "<si><t>a</t></si>");
	buf_adds(&sst, "</sst>");
	data = xlsx_with_sheet(SHEET(""), sst.data, &len);
	sheet_limits_default(&lim);
	lim.strings = 100000;
	assert_int_equal(problem_lim(data, len, &lim), SHEET_P_TOO_BIG);
	free(data);
	buf_release(&sst);
}

static void
test_cell_at_the_edge_of_the_grid(void **s)
{
	struct sheet_limits lim;
	size_t len;
	char *data, *got;
	struct sheet_error e;

	(void)s;
	data = xlsx_with_sheet(SHEET("<row r=\"1048576\"><c r=\"XFD1048576\">"
	                             "<v>1</v></c></row>"),
	                       NULL, &len);
	got = dump_sheet(data, len, -1, NULL, &e);
	assert_non_null(got);
	assert_string_equal(got, "1048576\t16384\t1\tn\n");
	free(got);
	sheet_limits_default(&lim);
	lim.rows = 10000;
	assert_int_equal(problem_lim(data, len, &lim), SHEET_P_TOO_BIG);
	free(data);
	data = xlsx_with_sheet(SHEET("<row r=\"1\"><c r=\"XFE1\"><v>1</v></c>"
	                             "</row>"),
	                       NULL, &len);
	assert_int_equal(problem_of(data, len), SHEET_P_TOO_BIG);
	free(data);
}

static void
test_deeply_nested_xml(void **s)
{
	struct buf x;
	size_t len;
	char *data;

	(void)s;
	buf_init(&x, 1u << 22);
	buf_adds(&x, "<worksheet><sheetData>");
	for (int i = 0; i < 100000; i++)
		buf_adds(&x, "<a>");
	for (int i = 0; i < 100000; i++)
		buf_adds(&x, "</a>");
	buf_adds(&x, "</sheetData></worksheet>");
	data = xlsx_with_sheet(x.data, NULL, &len);
	assert_int_equal(problem_of(data, len), SHEET_P_TOO_BIG);
	free(data);
	buf_release(&x);
}

static void
test_truncated_at_every_kib(void **s)
{
	struct buf x;
	size_t len;
	char *data;

	(void)s;
	buf_init(&x, 1u << 22);
	buf_adds(&x, "<worksheet><sheetData>");
	for (int i = 1; i <= 2000; i++)
		buf_addf(&x,
		         "<row r=\"%d\"><c r=\"A%d\"><v>%d</v></c>"
		         "<c r=\"B%d\" t=\"inlineStr\"><is><t>leerling %d</t>"
		         "</is></c></row>",
		         i, i, i * 7, i, i);
	buf_adds(&x, "</sheetData></worksheet>");
	data = xlsx_with_sheet(x.data, NULL, &len);
	assert_int_equal(problem_of(data, len), SHEET_OK);
	for (size_t cut = 0; cut < len; cut += 1024)
		assert_int_not_equal(problem_of(data, cut), SHEET_OK);
	free(data);
	buf_release(&x);
}

static void
test_not_spreadsheets(void **s)
{
	static const struct {
		const char *bytes;
		size_t len;
		enum sheet_problem want;
	} cases[] = {
		{ "%PDF-1.7\n...", 12, SHEET_P_PDF },
		{ "\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16, SHEET_P_IMAGE },
		{ "\xff\xd8\xff\xe0\0\x10JFIF", 10, SHEET_P_IMAGE },
		{ "<!DOCTYPE html><html><table>", 28, SHEET_P_HTML },
		{ "{\\rtf1\\ansi hallo}", 18, SHEET_P_WORD },
		{ "\x1f\x8b\x08\0\0\0\0\0", 8, SHEET_P_ARCHIVE },
		{ "", 0, SHEET_P_EMPTY },
	};

	(void)s;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(problem_of(cases[i].bytes, cases[i].len),
		                 cases[i].want);
}

static void
test_office_packages_that_are_not_workbooks(void **s)
{
	static const struct {
		const char *part;
		enum sheet_problem want;
	} cases[] = {
		{ "word/document.xml", SHEET_P_WORD },
		{ "ppt/presentation.xml", SHEET_P_POWERPOINT },
		{ "xl/workbook.bin", SHEET_P_XLSB },
		{ "random.txt", SHEET_P_ARCHIVE },
	};

	(void)s;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct zipw z;
		size_t len;
		char *data;

		zipw_init(&z);
		if (cases[i].want != SHEET_P_ARCHIVE)
			zipw_add(&z, "_rels/.rels", "<Relationships/>");
		zipw_add(&z, cases[i].part, "<x/>");
		data = zipw_finish(&z, &len);
		assert_int_equal(problem_of(data, len), cases[i].want);
		free(data);
	}
}

/* An OLE2 header followed by one directory sector naming a stream. */
static char *
ole_with(const char *stream, size_t *len)
{
	char *d = calloc(1, 1024);
	size_t n = strlen(stream);

	memcpy(d, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8);
	for (size_t i = 0; i < n; i++)
		d[512 + 2 * i] = stream[i];
	d[512 + 64] = (char)(2 * (n + 1));
	*len = 1024;
	return d;
}

static void
test_encrypted_and_other_ole_files(void **s)
{
	size_t len;
	char *d;

	(void)s;
	d = ole_with("EncryptedPackage", &len);
	assert_int_equal(problem_of(d, len), SHEET_P_ENCRYPTED);
	free(d);
	d = ole_with("WordDocument", &len);
	assert_int_equal(problem_of(d, len), SHEET_P_WORD);
	free(d);
	d = ole_with("PowerPoint Document", &len);
	assert_int_equal(problem_of(d, len), SHEET_P_POWERPOINT);
	free(d);
}

static void
test_every_problem_has_a_dutch_and_english_message(void **s)
{
	(void)s;
	for (int p = 0; p < SHEET_PROBLEM__MAX; p++) {
		const char *nl =
		        sheet_problem_text((enum sheet_problem)p, LANG_NL);
		const char *en =
		        sheet_problem_text((enum sheet_problem)p, LANG_EN);

		mc_check_row("sheet problem", p, nl, en);
		assert_true(strlen(nl) > 10);
		assert_true(strlen(en) > 10);
		assert_string_not_equal(nl, en);
		assert_string_not_equal(
		        sheet_problem_str((enum sheet_problem)p),
		        "unknown problem");
	}
	/* An unknown problem reads as a damaged file. */
	assert_string_equal(sheet_problem_text(SHEET_PROBLEM__MAX, LANG_EN),
	                    sheet_problem_text(SHEET_P_BROKEN, LANG_EN));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_zip_bomb_stops_at_the_entry_limit),
		cmocka_unit_test(test_central_directory_lying_about_size),
		cmocka_unit_test(test_overlapping_entries),
		cmocka_unit_test(test_duplicate_workbook),
		cmocka_unit_test(test_unsafe_entry_names),
		cmocka_unit_test(test_billion_laughs_and_xxe),
		cmocka_unit_test(test_a_million_shared_strings),
		cmocka_unit_test(test_cell_at_the_edge_of_the_grid),
		cmocka_unit_test(test_deeply_nested_xml),
		cmocka_unit_test(test_truncated_at_every_kib),
		cmocka_unit_test(test_not_spreadsheets),
		cmocka_unit_test(test_office_packages_that_are_not_workbooks),
		cmocka_unit_test(test_encrypted_and_other_ole_files),
		cmocka_unit_test(
		        test_every_problem_has_a_dutch_and_english_message),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
