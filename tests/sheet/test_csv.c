/*
 * The CSV reader: encodings, separators, quoting, line ends, refusals.
 * Every input is written byte by byte here.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "dump.h"

static void
expect_dump(const char *bytes, size_t len, const char *want)
{
	struct sheet_error e;
	enum sheet_format f;
	char *got = dump_sheet(bytes, len, -1, &f, &e);

	if (got == NULL)
		fail_msg("refused: %s", e.detail);
	assert_int_equal(f, SHEET_FMT_CSV);
	assert_string_equal(got, want);
	free(got);
}

#define EXPECT(lit, want) expect_dump(lit, sizeof(lit) - 1, want)

static void
test_utf8_semicolon(void **s)
{
	(void)s;
	EXPECT("naam;groep\nJo\xc3\xabl;5a\n",
	       "1\t1\tnaam\ts\n1\t2\tgroep\ts\n2\t1\tJo\xc3\xabl\ts\n"
	       "2\t2\t5a\ts\n");
}

static void
test_utf8_bom_is_skipped(void **s)
{
	(void)s;
	EXPECT("\xef\xbb\xbf"
	       "a;b\n",
	       "1\t1\ta\ts\n1\t2\tb\ts\n");
}

static void
test_utf16le_bom(void **s)
{
	(void)s;
	EXPECT("\xff\xfe"
	       "a\0;\0\xeb\0\n\0",
	       "1\t1\ta\ts\n1\t2\t\xc3\xab\ts\n");
}

static void
test_utf16be_bom(void **s)
{
	(void)s;
	EXPECT("\xfe\xff"
	       "\0a\0\t\0b\0\r\0\n",
	       "1\t1\ta\ts\n1\t2\tb\ts\n");
}

static void
test_windows1252_when_not_utf8(void **s)
{
	(void)s;
	/* e-umlaut 0xeb, euro 0x80 */
	EXPECT("Jo\xebl;\x80 5\n",
	       "1\t1\tJo\xc3\xabl\ts\n1\t2\t\xe2\x82\xac 5\ts\n");
}

static void
test_comma_separator(void **s)
{
	(void)s;
	EXPECT("a,b,c\n1,2,3\n",
	       "1\t1\ta\ts\n1\t2\tb\ts\n1\t3\tc\ts\n2\t1\t1\ts\n"
	       "2\t2\t2\ts\n2\t3\t3\ts\n");
}

static void
test_pipe_separator(void **s)
{
	(void)s;
	EXPECT("a|b\n", "1\t1\ta\ts\n1\t2\tb\ts\n");
}

static void
test_semicolon_wins_over_decimal_commas(void **s)
{
	(void)s;
	EXPECT("naam;cijfer\nA;7,5\nB;8\n",
	       "1\t1\tnaam\ts\n1\t2\tcijfer\ts\n2\t1\tA\ts\n2\t2\t7,5\ts\n"
	       "3\t1\tB\ts\n3\t2\t8\ts\n");
}

static void
test_quotes_doubled_and_newlines_inside(void **s)
{
	(void)s;
	EXPECT("a;\"x \"\"y\"\"\nz\";c\nd;e;f\n",
	       "1\t1\ta\ts\n1\t2\tx \"y\"\\nz\ts\n1\t3\tc\ts\n2\t1\td\ts\n"
	       "2\t2\te\ts\n2\t3\tf\ts\n");
}

static void
test_separator_inside_quotes(void **s)
{
	(void)s;
	EXPECT("\"a;b\";c\n", "1\t1\ta;b\ts\n1\t2\tc\ts\n");
}

static void
test_cr_line_ends(void **s)
{
	(void)s;
	EXPECT("a;b\rc;d\r",
	       "1\t1\ta\ts\n1\t2\tb\ts\n2\t1\tc\ts\n2\t2\td\ts\n");
}

static void
test_crlf_line_ends(void **s)
{
	(void)s;
	EXPECT("a;b\r\nc;d\r\n",
	       "1\t1\ta\ts\n1\t2\tb\ts\n2\t1\tc\ts\n2\t2\td\ts\n");
}

static void
test_empty_fields_and_lines_keep_positions(void **s)
{
	(void)s;
	EXPECT("a;;c\n\n;;x\n", "1\t1\ta\ts\n1\t3\tc\ts\n3\t3\tx\ts\n");
}

static void
test_no_final_newline(void **s)
{
	(void)s;
	EXPECT("a;b", "1\t1\ta\ts\n1\t2\tb\ts\n");
}

static void
test_text_is_nfc(void **s)
{
	(void)s;
	/* e + combining acute becomes U+00E9 */
	EXPECT("Rene\xcc\x81;x\n", "1\t1\tRen\xc3\xa9\ts\n1\t2\tx\ts\n");
}

static void
test_binary_is_refused(void **s)
{
	static const char bin[] = "a;b\n\0\0\x01\x02;\x03\n";

	(void)s;
	assert_int_equal(problem_of(bin, sizeof(bin) - 1), SHEET_P_NOT_TABLE);
}

static void
test_text_without_separator_is_refused(void **s)
{
	static const char prose[] = "Dit is een brief\nmet twee regels\n";

	(void)s;
	assert_int_equal(problem_of(prose, sizeof(prose) - 1),
	                 SHEET_P_NOT_TABLE);
}

static void
test_empty_is_refused(void **s)
{
	(void)s;
	assert_int_equal(problem_of("", 0), SHEET_P_EMPTY);
	assert_int_equal(problem_of(" \r\n\n", 4), SHEET_P_EMPTY);
}

static void
test_long_cell_hits_the_limit(void **s)
{
	struct sheet_limits lim;
	struct sheet_book *b;
	struct sheet_error e;
	struct buf out;
	char data[300];

	(void)s;
	memset(data, 'x', sizeof(data));
	data[1] = ';';
	sheet_limits_default(&lim);
	lim.cell_bytes = 100;
	assert_int_equal(sheet_open(data, sizeof(data), &lim, &b, &e), ERR_OK);
	buf_init(&out, 1 << 20);
	assert_int_equal(sheet_read(b, 0, dump_row, &out, &e), ERR_LIMIT);
	assert_int_equal(e.problem, SHEET_P_TOO_BIG);
	buf_release(&out);
	sheet_book_free(b);
}

static void
test_too_many_columns(void **s)
{
	struct sheet_limits lim;
	struct sheet_book *b;
	struct sheet_error e;
	struct buf out;

	(void)s;
	sheet_limits_default(&lim);
	lim.cols = 3;
	assert_int_equal(sheet_open("a;b;c;d\n", 8, &lim, &b, &e), ERR_OK);
	buf_init(&out, 1 << 20);
	assert_int_equal(sheet_read(b, 0, dump_row, &out, &e), ERR_LIMIT);
	buf_release(&out);
	sheet_book_free(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_semicolon),
		cmocka_unit_test(test_utf8_bom_is_skipped),
		cmocka_unit_test(test_utf16le_bom),
		cmocka_unit_test(test_utf16be_bom),
		cmocka_unit_test(test_windows1252_when_not_utf8),
		cmocka_unit_test(test_comma_separator),
		cmocka_unit_test(test_pipe_separator),
		cmocka_unit_test(test_semicolon_wins_over_decimal_commas),
		cmocka_unit_test(test_quotes_doubled_and_newlines_inside),
		cmocka_unit_test(test_separator_inside_quotes),
		cmocka_unit_test(test_cr_line_ends),
		cmocka_unit_test(test_crlf_line_ends),
		cmocka_unit_test(test_empty_fields_and_lines_keep_positions),
		cmocka_unit_test(test_no_final_newline),
		cmocka_unit_test(test_text_is_nfc),
		cmocka_unit_test(test_binary_is_refused),
		cmocka_unit_test(test_text_without_separator_is_refused),
		cmocka_unit_test(test_empty_is_refused),
		cmocka_unit_test(test_long_cell_hits_the_limit),
		cmocka_unit_test(test_too_many_columns),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
