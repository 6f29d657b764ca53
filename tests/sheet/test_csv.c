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
	EXPECT("\xfe\xff\0a\0\t\0b\0\r\0\n", "1\t1\ta\ts\n1\t2\tb\ts\n");
}

/* Excel's "Unicode-tekst": UTF-16LE with a mark, tabs, CRLF.  XML is
 * recognised in UTF-16 now; a table still is a table. */
static void
test_utf16_export_is_still_csv(void **s)
{
	static const char text[] =
	        "Leerlingnummer\tRoepnaam\tAchternaam\tGeboortedatum\tGroep\r\n"
	        "1001\tZo\xc3\xab\t\xc3\x96zt\xc3\xbcrk\t11-02-2018\t<3a>\r\n"
	        "1002\t\xf0\x9f\x98\x80\tBos\t01-01-2018\t3b\r\n";
	size_t len;
	char *d;

	(void)s;
	for (int be = 0; be <= 1; be++) {
		d = widen(text, sizeof(text) - 1, 2, be, true, &len);
		assert_int_equal(sheet_sniff(d, len, NULL), SHEET_FMT_CSV);
		expect_dump(
		        d, len,
		        "1\t1\tLeerlingnummer\ts\n1\t2\tRoepnaam\ts\n"
		        "1\t3\tAchternaam\ts\n1\t4\tGeboortedatum\ts\n"
		        "1\t5\tGroep\ts\n2\t1\t1001\ts\n"
		        "2\t2\tZo\xc3\xab\ts\n2\t3\t\xc3\x96zt\xc3\xbcrk\ts\n"
		        "2\t4\t11-02-2018\ts\n2\t5\t<3a>\ts\n"
		        "3\t1\t1002\ts\n3\t2\t\xf0\x9f\x98\x80\ts\n"
		        "3\t3\tBos\ts\n3\t4\t01-01-2018\ts\n3\t5\t3b\ts\n");
		free(d);
	}
}

/* UTF-32 with a mark, both byte orders. */
static void
test_utf32_bom(void **s)
{
	size_t len;
	char *d;

	(void)s;
	for (int be = 0; be <= 1; be++) {
		d = widen("a;\xc3\xab\n", 5, 4, be, true, &len);
		expect_dump(d, len, "1\t1\ta\ts\n1\t2\t\xc3\xab\ts\n");
		free(d);
	}
}

/* An unpaired surrogate and a cut-off last unit become U+FFFD. */
static void
test_utf16_bad_units_become_replacement_characters(void **s)
{
	(void)s;
	EXPECT("\xff\xfe"
	       "a\0;\0\x00\xd8x\0\n\0b\0;\0c",
	       "1\t1\ta\ts\n1\t2\t\xef\xbf\xbdx\ts\n2\t1\tb\ts\n"
	       "2\t2\t\xef\xbf\xbd\ts\n");
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
	assert_int_equal(problem_of(bin, sizeof(bin) - 1), SHEET_P_BINARY);
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
	/* a byte order mark and white space: still nothing */
	assert_int_equal(problem_of("\xef\xbb\xbf\r\n", 5), SHEET_P_EMPTY);
	assert_int_equal(problem_of("\xff\xfe \0\n\0", 6), SHEET_P_EMPTY);
	assert_int_equal(problem_of("\xfe\xff", 2), SHEET_P_EMPTY);
}

/* NUL bytes are not white space: a file of nothing else is binary (a
 * failed download, a disk image), not empty. */
static void
test_only_nul_bytes_is_binary(void **s)
{
	static const char zeros[4096];
	struct sheet_error e;

	(void)s;
	assert_int_equal(problem_of(zeros, 1), SHEET_P_BINARY);
	assert_int_equal(problem_of(zeros, 2), SHEET_P_BINARY);
	assert_int_equal(problem_of(zeros, sizeof(zeros)), SHEET_P_BINARY);
	assert_int_equal(problem_of("\0\n\0 ", 4), SHEET_P_BINARY);
	assert_int_equal(sheet_sniff(zeros, 7, &e), SHEET_FMT_UNKNOWN);
	assert_int_equal(e.problem, SHEET_P_BINARY);
	assert_non_null(
	        strstr(sheet_problem_text(SHEET_P_BINARY, LANG_NL), "binair"));
	assert_null(
	        strstr(sheet_problem_text(SHEET_P_BINARY, LANG_NL), "leeg"));
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

/* The sheet's cell limit holds to the cell, counting only non-empty ones;
 * Windows-1252 and ASCII cells take the row builder's short way, which
 * must not skip it. */
static void
test_cell_limit_holds_exactly(void **s)
{
	static const char csv[] = "a;;\xe9\nb;c\n;d;e\n";
	struct sheet_limits lim;
	struct sheet_book *b;
	struct sheet_error e;
	struct buf out;

	(void)s;
	sheet_limits_default(&lim);
	for (uint64_t max = 1; max <= 6; max++) {
		lim.cells = max;
		assert_int_equal(sheet_open(csv, sizeof(csv) - 1, &lim, &b, &e),
		                 ERR_OK);
		buf_init(&out, 1 << 20);
		assert_int_equal(sheet_read(b, 0, dump_row, &out, &e),
		                 max >= 6 ? ERR_OK : ERR_LIMIT);
		if (max < 6)
			assert_int_equal(e.problem, SHEET_P_TOO_BIG);
		buf_release(&out);
		sheet_book_free(b);
	}
}

/*
 * Cross-check of the field scanner (16 bytes at a time, byte by byte at
 * the end of the file) against tables written out here: random fields of 0-90
 * characters, some quoted (with "" and line breaks inside), CRLF or LF,
 * in Windows-1252 or UTF-8, must read back as the table they came from.
 */
struct gen {
	uint32_t seed;
	struct buf csv, want;
};

static uint32_t
gen_next(struct gen *g, uint32_t n)
{
	g->seed = g->seed * 1103515245u + 12345u;
	return (g->seed >> 8) % n;
}

/* One character of a field: the file's bytes and the dump's text. */
static void
gen_char(struct gen *g, bool quoted, bool utf8, struct buf *field,
         struct buf *want)
{
	static const struct {
		const char *cp1252, *utf8, *dump;
		bool quoted_only;
	} chars[] = {
		{ "a", "a", "a", false },
		{ "Z", "Z", "Z", false },
		{ " ", " ", " ", false },
		{ "\\", "\\", "\\\\", false },
		{ "\xe9", "\xc3\xa9", "\xc3\xa9", false },
		{ "\x80", "\xe2\x82\xac", "\xe2\x82\xac", false },
		{ "\x9c", "\xc5\x93", "\xc5\x93", false },
		{ ";", ";", ";", true },
		{ "\t", "\t", "\\t", true },
		{ "\r\n", "\r\n", "\\r\\n", true },
		{ "\n", "\n", "\\n", true },
		{ "\"", "\"\"", "\"", true },
	};
	size_t k;

	do
		k = gen_next(g, sizeof(chars) / sizeof(chars[0]));
	while (chars[k].quoted_only && !quoted);
	if (chars[k].cp1252[0] == '"')
		buf_adds(field, "\"\"");
	else
		buf_adds(field, utf8 ? chars[k].utf8 : chars[k].cp1252);
	buf_adds(want, chars[k].dump);
}

static void
gen_table(struct gen *g, bool utf8)
{
	uint32_t rows = 20 + gen_next(g, 40);
	const char *eol = gen_next(g, 2) ? "\r\n" : "\n";

	buf_reset(&g->csv);
	buf_reset(&g->want);
	/* not valid UTF-8 from the start when it should be Windows-1252 */
	buf_adds(&g->csv, utf8 ? "x;y" : "\xe9x;y");
	buf_addf(&g->want, "1\t1\t%sx\ts\n1\t2\ty\ts\n",
	         utf8 ? "" : "\xc3\xa9");
	for (uint32_t r = 2; r <= rows; r++) {
		uint32_t cols = 2 + gen_next(g, 6);

		buf_adds(&g->csv, eol);
		for (uint32_t c = 1; c <= cols; c++) {
			uint32_t len =
			        gen_next(g, 4) == 0 ? 0 : gen_next(g, 91);
			bool quoted = gen_next(g, 4) == 0;
			struct buf field, text;

			buf_init(&field, 1024);
			buf_init(&text, 1024);
			for (uint32_t i = 0; i < len; i++)
				gen_char(g, quoted, utf8, &field, &text);
			if (c > 1)
				buf_addc(&g->csv, ';');
			if (quoted)
				buf_addf(&g->csv, "\"%s\"", field.data);
			else
				buf_adds(&g->csv, field.data);
			if (text.len > 0)
				buf_addf(&g->want, "%u\t%u\t%s\ts\n", r, c,
				         text.data);
			buf_release(&field);
			buf_release(&text);
		}
	}
	if (gen_next(g, 2))
		buf_adds(&g->csv, eol);
}

static void
test_random_tables_read_back(void **s)
{
	struct gen g = { 42, { 0 }, { 0 } };

	(void)s;
	buf_init(&g.csv, 1u << 20);
	buf_init(&g.want, 1u << 20);
	for (int i = 0; i < 200; i++) {
		gen_table(&g, i % 2 == 1);
		assert_int_equal(g.csv.err, ERR_OK);
		expect_dump(g.csv.data, g.csv.len, g.want.data);
	}
	buf_release(&g.csv);
	buf_release(&g.want);
}

/* The problem sheet_open refuses the bytes with (SHEET_OK: opened). */
static enum sheet_problem
open_problem(const char *data, size_t len)
{
	struct sheet_book *b;
	struct sheet_error e;

	if (sheet_open(data, len, NULL, &b, &e) != ERR_OK)
		return e.problem;
	sheet_book_free(b);
	return SHEET_OK;
}

/* A file of 4 MiB or more is scanned in two halves when it is opened: a
 * NUL byte or too many control bytes in either half still refuse it. */
static void
test_large_file_scanned_in_halves(void **s)
{
	size_t len = 5u << 20;
	char *data = malloc(len);

	(void)s;
	for (size_t i = 0; i < len; i += 4)
		memcpy(data + i, "a;b\n", 4);
	assert_int_equal(open_problem(data, len), SHEET_OK);
	data[len - 2] = '\0'; /* NUL in the second half */
	assert_int_equal(open_problem(data, len), SHEET_P_BINARY);
	data[len - 2] = 'b';
	data[2] = '\0'; /* ... in the first */
	assert_int_equal(open_problem(data, len), SHEET_P_BINARY);
	data[2] = 'b';
	/* control bytes: 1 % of the file, counted in both halves */
	for (size_t i = 0; i < len / 100 + 8; i++)
		data[i < len / 200 + 4 ? i * 4 + 2
		                       : len - (i - len / 200 - 4) * 4 - 2] =
		        '\x01';
	assert_int_equal(open_problem(data, len), SHEET_P_BINARY);
	free(data);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_semicolon),
		cmocka_unit_test(test_utf8_bom_is_skipped),
		cmocka_unit_test(test_utf16le_bom),
		cmocka_unit_test(test_utf16be_bom),
		cmocka_unit_test(test_utf16_export_is_still_csv),
		cmocka_unit_test(test_utf32_bom),
		cmocka_unit_test(
		        test_utf16_bad_units_become_replacement_characters),
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
		cmocka_unit_test(test_only_nul_bytes_is_binary),
		cmocka_unit_test(test_long_cell_hits_the_limit),
		cmocka_unit_test(test_too_many_columns),
		cmocka_unit_test(test_cell_limit_holds_exactly),
		cmocka_unit_test(test_random_tables_read_back),
		cmocka_unit_test(test_large_file_scanned_in_halves),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
