/*
 * The row builder shared by every reader (see reader.h): collects the cells
 * of one row, enforces the row, column, cell-count and cell-length limits on
 * what was actually read, normalises text to NFC and hands finished rows to
 * the consumer.  Memory is one cell array and one text arena, both reused
 * from row to row and capped by the column and cell-length limits, so a
 * sheet of any length is read in constant memory.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <utf8proc.h>

#include "reader.h"
#include "../base/mem.h"
#include "../base/text.h"

int64_t
clock_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

enum err
sheet_fail(struct sheet_error *e, enum sheet_problem p, enum err code,
           const char *fmt, ...)
{
	va_list ap;

	if (e == NULL)
		return code;
	/* Keep the first, most specific reason. */
	if (e->problem != SHEET_OK)
		return code;
	e->problem = p;
	va_start(ap, fmt);
	vsnprintf(e->detail, sizeof(e->detail), fmt, ap);
	va_end(ap);
	return code;
}

enum err
book_check_time(const struct sheet_book *b, struct sheet_error *e)
{
	if (clock_ms() > b->deadline)
		return sheet_fail(e, SHEET_P_TIMEOUT, ERR_LIMIT,
		                  "reading took longer than %u ms",
		                  b->lim.milliseconds);
	return ERR_OK;
}

enum err
book_add_sheet(struct sheet_book *b, const char *name, bool worksheet,
               struct sheet_error *e)
{
	if (b->nsheets >= b->lim.sheets)
		return sheet_fail(e, SHEET_P_TOO_BIG, ERR_LIMIT,
		                  "more than %u sheets", b->lim.sheets);
	b->sheets = xrealloc(b->sheets, (b->nsheets + 1) * sizeof(*b->sheets));
	b->sheets[b->nsheets].name = xstrdup(name);
	b->sheets[b->nsheets].worksheet = worksheet;
	b->nsheets++;
	return ERR_OK;
}

/*
 * Valid UTF-8 whose code points are all below U+0300 (ASCII, Latin-1,
 * Latin Extended, spacing modifiers) is already in NFC: nothing there
 * decomposes under NFC or combines with what precedes it.  In UTF-8 those
 * are the single bytes and the two-byte sequences led by 0xC2-0xCB, so the
 * common Dutch name with an ë or é needs no trip through utf8proc.
 */
static bool
nfc_trivial(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x80)
			continue;
		if (c < 0xC2 || c > 0xCB || i + 1 == n ||
		    ((unsigned char)s[i + 1] & 0xC0) != 0x80)
			return false;
		i++;
	}
	return true;
}

enum err
text_nfc(const char *s, size_t n, struct buf *out)
{
	utf8proc_uint8_t *dst = NULL;
	utf8proc_ssize_t m;
	size_t i;
	enum err rc;

	buf_reset(out);
	for (i = 0; i < n && (unsigned char)s[i] < 0x80; i++)
		;
	if (i == n)
		return buf_add(out, s, n);
	if (!utf8_valid(s, n))
		return ERR_INVALID;
	if (nfc_trivial(s, n))
		return buf_add(out, s, n);
	m = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &dst,
	                 UTF8PROC_STABLE | UTF8PROC_COMPOSE);
	if (m < 0)
		return ERR_INVALID;
	rc = buf_add(out, dst, (size_t)m);
	free(dst);
	return rc;
}

void
rowout_init(struct rowout *o, struct sheet_book *b, sheet_row_fn fn, void *ctx,
            struct sheet_error *e)
{
	memset(o, 0, sizeof(*o));
	o->book = b;
	o->fn = fn;
	o->ctx = ctx;
	o->e = e;
	o->sorted = true;
	/* A row's text: every column at the cell cap, bounded by 64 MiB. */
	buf_init(&o->text, 64u << 20);
}

void
rowout_release(struct rowout *o)
{
	free(o->cells);
	free(o->offs);
	buf_release(&o->text);
	o->cells = NULL;
	o->offs = NULL;
}

enum err
rowout_begin(struct rowout *o, uint32_t r)
{
	enum err rc;

	if (o->row != 0 && (rc = rowout_end(o)) != ERR_OK)
		return rc;
	if (r == 0 || r > o->book->lim.rows)
		return sheet_fail(o->e, SHEET_P_TOO_BIG, ERR_LIMIT,
		                  "row %u is beyond the limit of %u rows",
		                  (unsigned)r, o->book->lim.rows);
	o->row = r;
	return ERR_OK;
}

/* The next cell of the row, in column col, all else zero; there is room. */
static struct sheet_cell *
push_cell(struct rowout *o, uint32_t col)
{
	struct sheet_cell *c = &o->cells[o->n];

	if (o->n > 0 && c[-1].col >= col)
		o->sorted = false;
	*c = (struct sheet_cell){ .col = col };
	o->offs[o->n] = (size_t)-1;
	o->n++;
	return c;
}

/* Room for one more cell in column col; fills in col and bookkeeping. */
static enum err
add_cell(struct rowout *o, uint32_t col, struct sheet_cell **out)
{
	const struct sheet_limits *l = &o->book->lim;

	if (col == 0 || col > l->cols)
		return sheet_fail(o->e, SHEET_P_TOO_BIG, ERR_LIMIT,
		                  "column %u is beyond the limit of %u columns",
		                  (unsigned)col, l->cols);
	if (o->row == 0)
		return sheet_fail(o->e, SHEET_P_BROKEN, ERR_INVALID,
		                  "cell outside a row");
	if (++o->total > l->cells)
		return sheet_fail(o->e, SHEET_P_TOO_BIG, ERR_LIMIT,
		                  "more than %llu cells in a sheet",
		                  (unsigned long long)l->cells);
	if ((++o->tick & 4095) == 0 && book_check_time(o->book, o->e))
		return ERR_LIMIT;
	if (o->n == o->alloc) {
		/* n never exceeds cols plus duplicates; duplicates are
		 * bounded by the cell limit, which the caller chose. */
		size_t na = o->alloc ? o->alloc * 2 : 16;

		o->cells = xrealloc(o->cells, na * sizeof(*o->cells));
		o->offs = xrealloc(o->offs, na * sizeof(*o->offs));
		o->alloc = na;
	}
	*out = push_cell(o, col);
	return ERR_OK;
}

/* Keep n bytes of text and a NUL in the row's arena as the text of the
 * last cell added. */
static inline enum err
keep_text(struct rowout *o, const char *s, size_t n)
{
	size_t off = o->text.len;

	if (buf_addz(&o->text, s, n) != ERR_OK)
		return sheet_fail(o->e, SHEET_P_TOO_BIG, ERR_LIMIT,
		                  "row %u holds too much text",
		                  (unsigned)o->row);
	o->offs[o->n - 1] = off;
	o->cells[o->n - 1].len = n;
	return ERR_OK;
}

/* The checks before a text cell is added. */
static enum err
add_text_cell(struct rowout *o, uint32_t col, enum sheet_type type, size_t n)
{
	const struct sheet_limits *l = &o->book->lim;
	struct sheet_cell *c;
	enum err rc;

	if (n > l->cell_bytes)
		return sheet_fail(o->e, SHEET_P_TOO_BIG, ERR_LIMIT,
		                  "a cell in row %u holds more than %zu bytes",
		                  (unsigned)o->row, l->cell_bytes);
	if ((rc = add_cell(o, col, &c)) != ERR_OK)
		return rc;
	c->type = type;
	return ERR_OK;
}

enum err
rowout_text(struct rowout *o, uint32_t col, enum sheet_type type, const char *s,
            size_t n)
{
	utf8proc_uint8_t *dst = NULL;
	utf8proc_ssize_t m;
	size_t i;
	enum err rc;

	if (n == 0)
		return ERR_OK;
	if ((rc = add_text_cell(o, col, type, n)) != ERR_OK)
		return rc;
	for (i = 0; i < n && (unsigned char)s[i] < 0x80; i++)
		;
	if (i < n && !utf8_valid(s, n))
		return sheet_fail(o->e, SHEET_P_BROKEN, ERR_INVALID,
		                  "invalid UTF-8 in row %u", (unsigned)o->row);
	if (i == n || nfc_trivial(s, n))
		return keep_text(o, s, n);
	m = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &dst,
	                 UTF8PROC_STABLE | UTF8PROC_COMPOSE);
	if (m < 0)
		return sheet_fail(o->e, SHEET_P_BROKEN, ERR_INVALID,
		                  "text in row %u does not normalise",
		                  (unsigned)o->row);
	rc = keep_text(o, (const char *)dst, (size_t)m);
	free(dst);
	return rc;
}

/* Whether a text cell in column col passes every check of add_cell
 * without one being hit and without the cell array growing. */
static bool
plain_cell(const struct rowout *o, uint32_t col)
{
	const struct sheet_limits *l = &o->book->lim;

	return col - 1 < l->cols && o->row != 0 && o->total < l->cells &&
	       ((o->tick + 1) & 4095) != 0 && o->n < o->alloc;
}

enum err
rowout_text_nfc(struct rowout *o, uint32_t col, const char *s, size_t n)
{
	struct sheet_cell *c;
	enum err rc;

	if (n == 0)
		return ERR_OK;
	if (n > o->book->lim.cell_bytes || !plain_cell(o, col)) {
		if ((rc = add_text_cell(o, col, SHEET_TEXT, n)) != ERR_OK)
			return rc;
		return keep_text(o, s, n);
	}
	/* the common case: add_cell without its checks */
	o->total++;
	o->tick++;
	c = push_cell(o, col);
	c->type = SHEET_TEXT;
	return keep_text(o, s, n);
}

enum err
rowout_number(struct rowout *o, uint32_t col, double v)
{
	struct sheet_cell *c;
	enum err rc;

	if ((rc = add_cell(o, col, &c)) != ERR_OK)
		return rc;
	c->type = SHEET_NUMBER;
	c->number = v;
	return ERR_OK;
}

enum err
rowout_bool(struct rowout *o, uint32_t col, bool v)
{
	struct sheet_cell *c;
	enum err rc;

	if ((rc = add_cell(o, col, &c)) != ERR_OK)
		return rc;
	c->type = SHEET_BOOL;
	c->boolean = v;
	return ERR_OK;
}

enum err
rowout_date(struct rowout *o, uint32_t col, const struct sheet_date *d,
            double serial)
{
	struct sheet_cell *c;
	enum err rc;

	if ((rc = add_cell(o, col, &c)) != ERR_OK)
		return rc;
	c->type = SHEET_DATE;
	c->date = *d;
	c->number = serial;
	return ERR_OK;
}

struct keyed {
	struct sheet_cell c;
	size_t off, seq;
};

static int
cmp_keyed(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;

	if (x->c.col != y->c.col)
		return x->c.col < y->c.col ? -1 : 1;
	return x->seq < y->seq ? -1 : (x->seq > y->seq);
}

/* Sort by column, the last of equal columns wins. */
static void
sort_cells(struct rowout *o)
{
	struct keyed *k = xmalloc(o->n * sizeof(*k));
	size_t i, m = 0;

	for (i = 0; i < o->n; i++) {
		k[i].c = o->cells[i];
		k[i].off = o->offs[i];
		k[i].seq = i;
	}
	qsort(k, o->n, sizeof(*k), cmp_keyed);
	for (i = 0; i < o->n; i++) {
		if (i + 1 < o->n && k[i + 1].c.col == k[i].c.col)
			continue;
		o->cells[m] = k[i].c;
		o->offs[m] = k[i].off;
		m++;
	}
	o->n = m;
	free(k);
}

enum err
rowout_end(struct rowout *o)
{
	struct sheet_row r;
	enum err rc = ERR_OK;
	size_t i;

	if (o->row == 0)
		return ERR_OK;
	if (o->n > 0) {
		if (!o->sorted)
			sort_cells(o);
		for (i = 0; i < o->n; i++)
			if (o->offs[i] != (size_t)-1)
				o->cells[i].text = o->text.data + o->offs[i];
		r.row = o->row;
		r.ncells = o->n;
		r.cells = o->cells;
		rc = o->fn(o->ctx, &r);
		if (rc != ERR_OK)
			sheet_fail(o->e, SHEET_P_ABORTED, rc,
			           "the consumer stopped at row %u",
			           (unsigned)o->row);
	}
	o->row = 0;
	o->n = 0;
	o->sorted = true;
	buf_reset(&o->text);
	return rc;
}

void
rowout_restart(struct rowout *o)
{
	o->row = 0;
	o->n = 0;
	o->total = 0;
	o->sorted = true;
	buf_reset(&o->text);
}
