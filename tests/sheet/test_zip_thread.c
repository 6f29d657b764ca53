/*
 * Large xlsx worksheets are inflated on a second thread while the sheet is
 * parsed (src/sheet/zip.c, stream_async).  These tests use worksheets big
 * enough to take that path and check that it reads exactly what the
 * single-threaded path reads (the same sheet stored uncompressed), and
 * that every way of failing — a bad CRC, damaged deflate data, the entry
 * limit, bad XML halfway, a consumer that stops — ends with the same error
 * as on one thread, without a hang or a leak (the asan run checks leaks).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "dump.h"
#include "zipw.h"

#define ROWS 60000

/* A worksheet of ROWS rows with text that does not compress away (the
 * deflated entry is well above the 256 KiB that makes zip.c use a thread);
 * when bad_row is not 0, that row has a mismatched end tag. */
static char *
big_sheet(unsigned bad_row, size_t *len)
{
	struct buf b;
	uint32_t x = 2463534242u;
	char *s;

	buf_init(&b, 1u << 28);
	buf_adds(
	        &b,
	        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	        "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>");
	for (unsigned r = 1; r <= ROWS; r++) {
		char word[17];

		for (int i = 0; i < 16; i++) {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			word[i] = (char)('a' + x % 26);
		}
		word[16] = '\0';
		buf_addf(&b,
		         "<row r=\"%u\"><c r=\"A%u\"><v>%u</v></c>"
		         "<c r=\"B%u\" t=\"inlineStr\"><is><t>%s</t></is></c>"
		         "</row>%s",
		         r, r, x % 1000000, r, word,
		         r == bad_row ? "</c>" : "");
	}
	buf_adds(&b, "</sheetData></worksheet>");
	s = buf_detach(&b, len);
	buf_release(&b);
	return s;
}

/* An xlsx around sheet, deflated or stored. */
static char *
xlsx(const char *sheet, size_t n, int deflate_it, size_t *len)
{
	struct zipw z;

	zipw_init(&z);
	zipw_xlsx(&z, NULL, NULL, NULL, NULL);
	zipw_add_ex(&z, "xl/worksheets/sheet1.xml", sheet, n, deflate_it,
	            (uint32_t)-1);
	return zipw_finish(&z, len);
}

/* Where the worksheet's deflated data starts and how long it is. */
static void
sheet_data(const char *zip, size_t *off, size_t *clen)
{
	const char *p = zip;

	for (;;) {
		size_t nl = (unsigned char)p[26] | (unsigned char)p[27] << 8;
		size_t cl = (unsigned char)p[18] | (unsigned char)p[19] << 8 |
		            (size_t)(unsigned char)p[20] << 16 |
		            (size_t)(unsigned char)p[21] << 24;

		if (nl == 24 &&
		    memcmp(p + 30, "xl/worksheets/sheet1.xml", 24) == 0) {
			*off = (size_t)(p - zip) + 30 + nl;
			*clen = cl;
			return;
		}
		p += 30 + nl + cl;
	}
}

/* The big sheet (with a mismatched end tag in bad_row unless 0), the
 * deflated workbook around it and where its worksheet data lies. */
struct big {
	char *sheet, *data;
	size_t n, len, off, clen;
};

static void
big_init(struct big *g, unsigned bad_row)
{
	g->sheet = big_sheet(bad_row, &g->n);
	g->data = xlsx(g->sheet, g->n, 1, &g->len);
	sheet_data(g->data, &g->off, &g->clen);
}

static void
big_free(struct big *g)
{
	free(g->data);
	free(g->sheet);
}

struct counted {
	unsigned rows, stop_after;
};

static enum err
count_rows(void *ctx, const struct sheet_row *r)
{
	struct counted *c = ctx;

	(void)r;
	if (++c->rows == c->stop_after)
		return ERR_INVALID;
	return ERR_OK;
}

static enum sheet_problem
read_with(const char *data, size_t len, const struct sheet_limits *lim,
          struct counted *c, struct sheet_error *e)
{
	struct sheet_book *b;
	enum sheet_problem p = SHEET_OK;

	memset(e, 0, sizeof(*e));
	if (sheet_open(data, len, lim, &b, e) != ERR_OK)
		return e->problem;
	if (sheet_read(b, 0, count_rows, c, e) != ERR_OK)
		p = e->problem;
	sheet_book_free(b);
	return p;
}

static void
test_threaded_read_equals_stored(void **s)
{
	struct big g;
	size_t slen;
	char *stored, *a, *b;
	struct sheet_error e;

	(void)s;
	big_init(&g, 0);
	stored = xlsx(g.sheet, g.n, 0, &slen);
	assert_true(g.clen > 256 * 1024); /* big enough for the thread */
	a = dump_sheet(g.data, g.len, -1, NULL, &e);
	b = dump_sheet(stored, slen, -1, NULL, &e);
	assert_non_null(a);
	assert_non_null(b);
	assert_string_equal(a, b);
	assert_non_null(strstr(a, "\n60000\t2\t"));
	free(a);
	free(b);
	free(stored);
	big_free(&g);
}

static void
test_bad_crc_after_all_rows(void **s)
{
	struct big g;
	struct counted c = { 0, 0 };
	struct sheet_error e;

	(void)s;
	big_init(&g, 0);
	/* the CRC-32 in the local header and the central directory */
	g.data[g.off - 30 - 24 + 14] ^= 1;
	for (size_t i = g.len - 22; i > 0; i--)
		if (memcmp(g.data + i, "PK\1\2", 4) == 0 &&
		    memcmp(g.data + i + 46, "xl/worksheets/sheet1.xml", 24) ==
		            0) {
			g.data[i + 16] ^= 1;
			break;
		}
	assert_int_equal(read_with(g.data, g.len, NULL, &c, &e),
	                 SHEET_P_BROKEN);
	assert_non_null(strstr(e.detail, "CRC"));
	assert_int_equal(c.rows, ROWS); /* as on one thread: rows, then the
	                                   check */
	big_free(&g);
}

static void
test_damaged_deflate_data(void **s)
{
	struct big g;
	struct counted c = { 0, 0 };
	struct sheet_error e;

	(void)s;
	big_init(&g, 0);
	memset(g.data + g.off + g.clen / 2, 0xff, 64);
	assert_int_equal(read_with(g.data, g.len, NULL, &c, &e),
	                 SHEET_P_BROKEN);
	assert_true(c.rows < ROWS);
	big_free(&g);
}

static void
test_entry_limit(void **s)
{
	struct big g;
	struct counted c = { 0, 0 };
	struct sheet_limits lim;
	struct sheet_error e;

	(void)s;
	big_init(&g, 0);
	sheet_limits_default(&lim);
	lim.entry_bytes = g.n / 2;
	assert_int_equal(read_with(g.data, g.len, &lim, &c, &e),
	                 SHEET_P_TOO_BIG);
	assert_non_null(strstr(e.detail, "inflates past"));
	assert_true(c.rows > 0 && c.rows < ROWS);
	big_free(&g);
}

static void
test_bad_xml_halfway_wins_over_a_later_limit(void **s)
{
	struct big g;
	struct counted c = { 0, 0 };
	struct sheet_limits lim;
	struct sheet_error e;

	(void)s;
	big_init(&g, ROWS / 4);
	sheet_limits_default(&lim);
	lim.entry_bytes = g.n * 3 / 4;
	assert_int_equal(read_with(g.data, g.len, &lim, &c, &e),
	                 SHEET_P_BROKEN);
	assert_non_null(strstr(e.detail, "xml"));
	assert_int_equal(c.rows, ROWS / 4);
	big_free(&g);
}

static void
test_consumer_stops(void **s)
{
	struct big g;
	struct counted c = { 0, 10 };
	struct sheet_error e;
	struct sheet_book *b;

	(void)s;
	big_init(&g, 0);
	assert_int_equal(sheet_open(g.data, g.len, NULL, &b, &e), ERR_OK);
	assert_int_equal(sheet_read(b, 0, count_rows, &c, &e), ERR_INVALID);
	assert_int_equal(c.rows, 10);
	/* the book reads again after a stopped read */
	c.rows = 0;
	c.stop_after = 0;
	assert_int_equal(sheet_read(b, 0, count_rows, &c, &e), ERR_OK);
	assert_int_equal(c.rows, ROWS);
	sheet_book_free(b);
	big_free(&g);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_threaded_read_equals_stored),
		cmocka_unit_test(test_bad_crc_after_all_rows),
		cmocka_unit_test(test_damaged_deflate_data),
		cmocka_unit_test(test_entry_limit),
		cmocka_unit_test(test_bad_xml_halfway_wins_over_a_later_limit),
		cmocka_unit_test(test_consumer_stops),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
