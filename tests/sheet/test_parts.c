/*
 * Reading a sheet in parts (sheet_read_parts): for generated CSV files with
 * random line ends (LF, CR, CRLF, empty lines, none at the end), parts
 * small enough to get many of them, one to four threads and one to five
 * slots, the rows, the result and the error must be those of sheet_read(),
 * also when a limit is hit or the consumer stops in a later part.  Files
 * that must not be split (a '"' in them, UTF-16, a cell limit that could be
 * reached) are read as one part.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "dump.h"

/* What the calling thread collects from the parts, in order. */
struct result {
	struct buf out;     /* the rows of the parts kept */
	size_t calls, kept; /* done calls, with keep */
	bool dropped;       /* a part was done without keep */
	bool kept_after;    /* ... and a later one with keep (wrong) */
	uint32_t stop_row;  /* the consumer stops at this row (0: never) */
	size_t fail_done;   /* done fails for this part (1-based, 0: never) */
};

struct slot {
	struct buf rows;
	struct result *res;
	bool busy;  /* between begin and done */
	bool twice; /* begun while busy (checked on the test's thread) */
};

static enum err
stop_or_dump(struct buf *b, uint32_t stop_row, const struct sheet_row *r)
{
	if (stop_row != 0 && r->row >= stop_row)
		return ERR_IO;
	return dump_row(b, r);
}

static enum err
seq_row(void *ctx, const struct sheet_row *r)
{
	struct result *res = ctx;

	return stop_or_dump(&res->out, res->stop_row, r);
}

static void
p_begin(void *ctx, bool direct)
{
	struct slot *s = ctx;

	(void)direct;
	if (s->busy) /* one part at a time in a slot */
		s->twice = true;
	s->busy = true;
	buf_reset(&s->rows);
}

static enum err
p_row(void *ctx, const struct sheet_row *r)
{
	struct slot *s = ctx;

	return stop_or_dump(&s->rows, s->res->stop_row, r);
}

static enum err
p_done(void *ctx, bool keep)
{
	struct slot *s = ctx;
	struct result *res = s->res;

	assert_true(s->busy);
	s->busy = false;
	res->calls++;
	if (!keep) {
		res->dropped = true;
		return ERR_OK;
	}
	if (res->dropped)
		res->kept_after = true;
	res->kept++;
	buf_add(&res->out, s->rows.data, s->rows.len);
	return res->fail_done == res->calls ? ERR_IO : ERR_OK;
}

struct outcome {
	enum err rc;
	struct sheet_error e;
	struct result res;
};

static void
outcome_release(struct outcome *o)
{
	buf_release(&o->res.out);
}

/* Read the csv sequentially (parts == 0) or in parts of part_bytes. */
static void
read_csv(const char *csv, size_t len, const struct sheet_limits *lim,
         size_t part_bytes, unsigned threads, size_t nslots, uint32_t stop_row,
         size_t fail_done, struct outcome *out)
{
	struct sheet_book *b;
	struct slot slots[8];
	void *ctx[8];
	struct sheet_parts p = { p_begin, p_row,   p_done,    ctx,
		                 nslots,  threads, part_bytes };

	memset(out, 0, sizeof(*out));
	buf_init(&out->res.out, 1u << 24);
	out->res.stop_row = stop_row;
	out->res.fail_done = fail_done;
	assert_int_equal(sheet_open(csv, len, lim, &b, &out->e), ERR_OK);
	if (part_bytes == 0) {
		out->rc = sheet_read(b, 0, seq_row, &out->res, &out->e);
		sheet_book_free(b);
		return;
	}
	assert_true(nslots <= 8);
	for (size_t k = 0; k < nslots; k++) {
		buf_init(&slots[k].rows, 1u << 24);
		slots[k].res = &out->res;
		slots[k].busy = false;
		slots[k].twice = false;
		ctx[k] = &slots[k];
	}
	out->rc = sheet_read_parts(b, 0, &p, &out->e);
	for (size_t k = 0; k < nslots; k++) {
		assert_false(slots[k].busy); /* every part begun was done */
		assert_false(slots[k].twice);
		buf_release(&slots[k].rows);
	}
	sheet_book_free(b);
	assert_false(out->res.kept_after);
}

/* Parts agree with the sequential read; returns the parts kept. */
static size_t
expect_same(const char *csv, size_t len, const struct sheet_limits *lim,
            size_t part_bytes, unsigned threads, size_t nslots,
            uint32_t stop_row)
{
	struct outcome seq, par;
	size_t kept;

	read_csv(csv, len, lim, 0, 0, 0, stop_row, 0, &seq);
	read_csv(csv, len, lim, part_bytes, threads, nslots, stop_row, 0, &par);
	assert_int_equal(par.rc, seq.rc);
	assert_int_equal(par.e.problem, seq.e.problem);
	assert_string_equal(par.e.detail, seq.e.detail);
	assert_int_equal(par.res.out.len, seq.res.out.len);
	assert_string_equal(par.res.out.data, seq.res.out.data);
	kept = par.res.kept;
	outcome_release(&seq);
	outcome_release(&par);
	return kept;
}

struct gen {
	uint32_t seed;
	struct buf csv;
};

static uint32_t
gen_next(struct gen *g, uint32_t n)
{
	g->seed = g->seed * 1103515245u + 12345u;
	return (g->seed >> 8) % n;
}

static void
gen_eol(struct gen *g)
{
	static const char *const eols[] = { "\n", "\r", "\r\n" };

	buf_adds(&g->csv, eols[gen_next(g, 3)]);
}

/* A table of rows records with up to 7 fields of up to 12 characters;
 * utf8: é as UTF-8, else as Windows-1252; quote: one '"' somewhere. */
static void
gen_csv(struct gen *g, uint32_t rows, bool utf8, bool quote)
{
	static const char *const chars[] = { "a", "Z", " ", "\\", "7", "-" };
	uint32_t quote_row = quote ? gen_next(g, rows) : UINT32_MAX;

	buf_reset(&g->csv);
	if (utf8 && gen_next(g, 2))
		buf_adds(&g->csv, "\xef\xbb\xbf");
	buf_adds(&g->csv, "naam;groep;nummer\n");
	for (uint32_t r = 0; r < rows; r++) {
		uint32_t cols = gen_next(g, 8);

		for (uint32_t c = 0; c < cols; c++) {
			uint32_t n = gen_next(g, 3) == 0 ? 0 : gen_next(g, 13);

			if (c > 0)
				buf_addc(&g->csv, ';');
			for (uint32_t i = 0; i < n; i++) {
				if (gen_next(g, 10) == 0)
					buf_adds(&g->csv,
					         utf8 ? "\xc3\xa9" : "\xe9");
				else
					buf_adds(&g->csv,
					         chars[gen_next(g, 6)]);
			}
		}
		if (r == quote_row)
			buf_adds(&g->csv, ";\"q\"");
		/* a record without a line end only at the end */
		if (r + 1 < rows || gen_next(g, 2))
			gen_eol(g);
		while (gen_next(g, 8) == 0) /* empty lines */
			gen_eol(g);
	}
}

static void
test_parts_agree_with_the_sequential_read(void **s)
{
	struct gen g = { 7, { 0 } };
	struct sheet_limits lim;
	size_t split = 0, tried = 0, kept;

	(void)s;
	sheet_limits_default(&lim);
	buf_init(&g.csv, 1u << 22);
	for (int i = 0; i < 300; i++) {
		size_t part = 1 + gen_next(&g, 300);
		unsigned threads = 1 + gen_next(&g, 4);
		size_t nslots = 1 + gen_next(&g, 5);

		gen_csv(&g, 1 + gen_next(&g, 400), i % 2 == 0, false);
		kept = expect_same(g.csv.data, g.csv.len, &lim, part, threads,
		                   nslots, 0);
		/* one thread (or slot) reads the sheet as one part */
		if (threads == 1 || nslots == 1)
			assert_int_equal(kept, 1);
		else if (kept > 1)
			split++, tried++;
		else
			tried++;
	}
	/* most of the others were split (not: files under 8 parts) */
	assert_true(tried > 100 && split > tried * 4 / 5);
	buf_release(&g.csv);
}

/* Limits hit anywhere, in any part: the rows before the failure and the
 * failure itself as in the sequential read. */
static void
test_limits_in_a_later_part(void **s)
{
	struct gen g = { 11, { 0 } };
	struct sheet_limits lim;

	(void)s;
	buf_init(&g.csv, 1u << 22);
	for (int i = 0; i < 300; i++) {
		uint32_t rows = 50 + gen_next(&g, 400);

		sheet_limits_default(&lim);
		switch (i % 4) {
		case 0:
			lim.rows = 1 + gen_next(&g, rows + 10);
			break;
		case 1:
			lim.cell_bytes = 4 + gen_next(&g, 12);
			break;
		case 2:
			lim.cols = 3 + gen_next(&g, 5);
			break;
		case 3: /* all three */
			lim.rows = 1 + gen_next(&g, rows + 10);
			lim.cell_bytes = 4 + gen_next(&g, 12);
			lim.cols = 3 + gen_next(&g, 5);
			break;
		}
		gen_csv(&g, rows, i % 3 == 0, false);
		expect_same(g.csv.data, g.csv.len, &lim, 1 + gen_next(&g, 200),
		            2 + gen_next(&g, 3), 2 + gen_next(&g, 4), 0);
	}
	buf_release(&g.csv);
}

/* The row limit right at a part's first record. */
static void
test_row_limit_at_a_part_boundary(void **s)
{
	static const char csv[] = "a;b\nc;d\r\ne;f\rg;h\n\ni;j\nk;l\n";
	struct sheet_limits lim;

	(void)s;
	sheet_limits_default(&lim);
	for (uint32_t rows = 1; rows <= 8; rows++) {
		lim.rows = rows;
		for (size_t part = 1; part <= 8; part++)
			expect_same(csv, sizeof(csv) - 1, &lim, part, 2, 2, 0);
	}
}

/* A consumer whose row callback stops: stopped at the same row. */
static void
test_a_consumer_that_stops(void **s)
{
	struct gen g = { 5, { 0 } };
	struct sheet_limits lim;

	(void)s;
	sheet_limits_default(&lim);
	buf_init(&g.csv, 1u << 22);
	for (int i = 0; i < 100; i++) {
		uint32_t rows = 50 + gen_next(&g, 300);

		gen_csv(&g, rows, i % 2 == 0, false);
		expect_same(g.csv.data, g.csv.len, &lim, 1 + gen_next(&g, 100),
		            2 + gen_next(&g, 3), 2 + gen_next(&g, 4),
		            1 + gen_next(&g, rows + 1));
	}
	buf_release(&g.csv);
}

/* A consumer that stops in done: nothing after that part is kept, every
 * part begun is done, and the reading says why it stopped. */
static void
test_a_consumer_that_stops_in_done(void **s)
{
	struct gen g = { 3, { 0 } };
	struct sheet_limits lim;

	(void)s;
	sheet_limits_default(&lim);
	buf_init(&g.csv, 1u << 22);
	gen_csv(&g, 400, false, false);
	for (size_t stop = 1; stop <= 6; stop++) {
		struct outcome seq, par;

		read_csv(g.csv.data, g.csv.len, &lim, 0, 0, 0, 0, 0, &seq);
		read_csv(g.csv.data, g.csv.len, &lim, 64, 2, 3, 0, stop, &par);
		assert_int_equal(par.rc, ERR_IO);
		assert_int_equal(par.e.problem, SHEET_P_ABORTED);
		assert_int_equal(par.res.kept, stop);
		assert_true(par.res.out.len < seq.res.out.len);
		assert_memory_equal(par.res.out.data, seq.res.out.data,
		                    par.res.out.len);
		outcome_release(&seq);
		outcome_release(&par);
	}
	buf_release(&g.csv);
}

/* The cell limit: a file is split only when it cannot be reached; when it
 * can, the one part hits it as the sequential read does. */
static void
test_cell_limit(void **s)
{
	struct gen g = { 9, { 0 } };
	struct sheet_limits lim;

	(void)s;
	sheet_limits_default(&lim);
	buf_init(&g.csv, 1u << 22);
	gen_csv(&g, 300, false, false);
	lim.cells = (g.csv.len + 1) / 2;
	assert_true(expect_same(g.csv.data, g.csv.len, &lim, 100, 2, 2, 0) > 1);
	lim.cells--;
	assert_int_equal(expect_same(g.csv.data, g.csv.len, &lim, 100, 2, 2, 0),
	                 1);
	for (lim.cells = 1; lim.cells < 600; lim.cells += 37)
		assert_int_equal(
		        expect_same(g.csv.data, g.csv.len, &lim, 100, 2, 2, 0),
		        1);
	buf_release(&g.csv);
}

/* A '"' anywhere, UTF-16, a small file: one part, as sheet_read. */
static void
test_not_split(void **s)
{
	static const char utf16[] = "\xff\xfe"
	                            "a\0;\0b\0\n\0c\0;\0d\0\r\0\n\0";
	struct gen g = { 13, { 0 } };
	struct sheet_limits lim;

	(void)s;
	sheet_limits_default(&lim);
	buf_init(&g.csv, 1u << 22);
	for (int i = 0; i < 20; i++) {
		gen_csv(&g, 100 + gen_next(&g, 100), i % 2 == 0, true);
		assert_int_equal(
		        expect_same(g.csv.data, g.csv.len, &lim, 16, 2, 3, 0),
		        1);
	}
	assert_int_equal(
	        expect_same(utf16, sizeof(utf16) - 1, &lim, 1, 2, 3, 0), 1);
	/* smaller than eight parts */
	gen_csv(&g, 100, false, false);
	assert_int_equal(expect_same(g.csv.data, g.csv.len, &lim,
	                             g.csv.len / 8 + 1, 2, 3, 0),
	                 1);
	assert_true(expect_same(g.csv.data, g.csv.len, &lim, g.csv.len / 8, 2,
	                        3, 0) > 1);
	buf_release(&g.csv);
}

/* Other formats are read as one part too. */
static void
test_no_sheet(void **s)
{
	struct sheet_book *b;
	struct sheet_error e;
	struct slot slot = { { 0 }, NULL, false, false };
	void *ctx[1] = { &slot };
	struct sheet_parts p = { p_begin, p_row, p_done, ctx, 1, 2, 0 };

	(void)s;
	assert_int_equal(sheet_open("a;b\n", 4, NULL, &b, &e), ERR_OK);
	assert_int_equal(sheet_read_parts(b, 1, &p, &e), ERR_NOTFOUND);
	assert_int_equal(e.problem, SHEET_P_BAD_SHEET);
	sheet_book_free(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parts_agree_with_the_sequential_read),
		cmocka_unit_test(test_limits_in_a_later_part),
		cmocka_unit_test(test_row_limit_at_a_part_boundary),
		cmocka_unit_test(test_a_consumer_that_stops),
		cmocka_unit_test(test_a_consumer_that_stops_in_done),
		cmocka_unit_test(test_cell_limit),
		cmocka_unit_test(test_not_split),
		cmocka_unit_test(test_no_sheet),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
