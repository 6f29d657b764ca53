/*
 * The parse-time limit (struct sheet_limits.milliseconds) for the readers
 * that check it: every reader's cells go through the row builder, which
 * looks at the clock every 4096 cells (src/sheet/row.c), and the XML
 * readers (xlsx, ods, EDEXML) also every 8192 elements and after each
 * chunk (src/sheet/xml.c).  Each test builds a file that takes far longer
 * than a millisecond to read and expects ERR_LIMIT with SHEET_P_TIMEOUT,
 * from sheet_open() or from sheet_read(), soon after the deadline.  The
 * xls reader's own deadline (its child process) is tested in test_xls.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <xlsxwriter.h>

#include "dump.h"
#include "zipw.h"

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static enum err
count_row(void *ctx, const struct sheet_row *r)
{
	uint64_t *n = ctx;

	*n += r->ncells;
	return ERR_OK;
}

/*
 * Read sheet 0 of data with a limit of one millisecond: it must stop with
 * a timeout, in open or in read, well before the whole file was read.
 * Returns the cells that were delivered before it stopped.
 */
static uint64_t
expect_timeout(const void *data, size_t len, enum sheet_format fmt,
               uint64_t total)
{
	struct sheet_limits lim;
	struct sheet_book *b = NULL;
	struct sheet_error e;
	uint64_t cells = 0;
	int64_t t0 = now_ms();
	enum err rc;

	sheet_limits_default(&lim);
	lim.milliseconds = 1;
	rc = sheet_open(data, len, &lim, &b, &e);
	if (rc == ERR_OK) {
		assert_int_equal(sheet_book_format(b), fmt);
		rc = sheet_read(b, 0, count_row, &cells, &e);
		sheet_book_free(b);
	}
	if (rc != ERR_LIMIT || e.problem != SHEET_P_TIMEOUT)
		fail_msg("%s: expected a timeout, got %d, %s (%s)",
		         sheet_format_name(fmt), (int)rc,
		         sheet_problem_str(e.problem), e.detail);
	assert_true(cells < total);
	/* the clock is looked at often: it stops soon after the deadline */
	assert_true(now_ms() - t0 < 2000);
	return cells;
}

/* The same file reads in full with the default limit of two minutes. */
static void
expect_read(const void *data, size_t len, uint64_t total)
{
	struct sheet_book *b = NULL;
	struct sheet_error e;
	uint64_t cells = 0;

	assert_int_equal(sheet_open(data, len, NULL, &b, &e), ERR_OK);
	assert_int_equal(sheet_read(b, 0, count_row, &cells, &e), ERR_OK);
	assert_int_equal(cells, total);
	sheet_book_free(b);
}

enum { ROWS = 100000, COLS = 4 };

static void
test_csv(void **s)
{
	struct buf b;
	char *d;
	size_t len;

	(void)s;
	buf_init(&b, 1u << 26);
	buf_adds(&b, "nummer;achternaam;voorvoegsel;roepnaam\r\n");
	for (int r = 1; r < ROWS; r++)
		buf_addf(&b, "%d;Jansen;van der;Zo\xc3\xab\r\n", 100000 + r);
	d = buf_detach(&b, &len);
	buf_release(&b);
	expect_timeout(d, len, SHEET_FMT_CSV, (uint64_t)ROWS * COLS);
	expect_read(d, len, (uint64_t)ROWS * COLS);
	free(d);
}

static void
test_xlsx(void **s)
{
	lxw_workbook_options opt = { .constant_memory = LXW_TRUE };
	char path[128];
	lxw_workbook *wb;
	lxw_worksheet *ws;
	FILE *f;
	struct buf b;
	char tmp[65536], *d;
	size_t n, len;

	(void)s;
	snprintf(path, sizeof(path), "/tmp/biebsync-test-%d-time.xlsx",
	         (int)getpid());
	wb = workbook_new_opt(path, &opt);
	ws = workbook_add_worksheet(wb, "Leerlingen");
	for (lxw_row_t r = 0; r < ROWS; r++) {
		worksheet_write_number(ws, r, 0, 100000 + r, NULL);
		worksheet_write_string(ws, r, 1, "Jansen", NULL);
		worksheet_write_string(ws, r, 2, "van der", NULL);
		worksheet_write_string(ws, r, 3, "Zo\xc3\xab", NULL);
	}
	assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
	f = fopen(path, "rb");
	assert_non_null(f);
	buf_init(&b, 1u << 26);
	while ((n = fread(tmp, 1, sizeof(tmp), f)) > 0)
		buf_add(&b, tmp, n);
	fclose(f);
	unlink(path);
	d = buf_detach(&b, &len);
	buf_release(&b);
	expect_timeout(d, len, SHEET_FMT_XLSX, (uint64_t)ROWS * COLS);
	expect_read(d, len, (uint64_t)ROWS * COLS);
	free(d);
}

/* A small file that repeats a row of four cells a million times. */
static void
test_ods_repeated_rows(void **s)
{
	struct zipw z;
	char *d;
	size_t len;

	(void)s;
	zipw_init(&z);
	zipw_add_ex(&z, "mimetype",
	            "application/vnd.oasis.opendocument.spreadsheet", 46, 0,
	            (uint32_t)-1);
	zipw_add(&z, "META-INF/manifest.xml", "<manifest/>");
	zipw_add(
	        &z, "content.xml",
	        "<?xml version=\"1.0\"?><office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\"><office:body><office:spreadsheet>"
	        "<table:table table:name=\"A\"><table:table-row table:number-rows-repeated=\"1000000\"><table:table-cell table:number-columns-repeated=\"4\" office:value-type=\"float\" office:value=\"7\"/></table:table-row>"
	        "</table:table></office:spreadsheet></office:body>"
	        "</office:document-content>");
	d = zipw_finish(&z, &len);
	expect_timeout(d, len, SHEET_FMT_ODS, 4000000);
	free(d);
}

static void
test_edexml(void **s)
{
	struct buf b;
	char *d;
	size_t len;
	enum { N = 40000 };

	(void)s;
	buf_init(&b, 1u << 26);
	buf_adds(
	        &b,
	        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	        "<EDEX xmlns=\"http://www.edustandaard.nl/edex/schemas/v2.0\"><leerlingen>");
	for (int i = 0; i < N; i++)
		buf_addf(&b,
		         "<leerling key=\"%d\"><achternaam>Jansen</achternaam>"
		         "<roepnaam>Zo\xc3\xab</roepnaam><geboortedatum>"
		         "2016-04-03</geboortedatum><jaargroep>4</jaargroep>"
		         "<groep key=\"g4\"/></leerling>",
		         i);
	buf_adds(&b, "</leerlingen><groepen><groep key=\"g4\"><naam>Groep 4"
	             "</naam></groep></groepen></EDEX>");
	d = buf_detach(&b, &len);
	buf_release(&b);
	/* the header row of 10 cells, then 6 cells per leerling */
	expect_timeout(d, len, SHEET_FMT_EDEXML, 10 + 6 * (uint64_t)N);
	expect_read(d, len, 10 + 6 * (uint64_t)N);
	free(d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_xlsx),
		cmocka_unit_test(test_ods_repeated_rows),
		cmocka_unit_test(test_edexml),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
