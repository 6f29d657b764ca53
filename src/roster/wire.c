/*
 * The encoding of a read result (see wire.h).  Layout, in order:
 *
 *   "BW1"  err  problem  detail  format  sheet  sheets  sheet_name
 *   when err is ERR_OK, the file:
 *     nstudents, each: id enrolled left_at row birth jaargroep flags
 *                      number number_key roepnaam tussenvoegsel
 *                      achternaam group group_key
 *     nissues, each:   code row col arg layout text name number other
 *     issues_omitted  count[ROSTER_CODE__MAX]  nerrors nwarnings blocked
 *     header: row score usable missing col[ROSTER_F__MAX] first_word
 *             layout ncolumns, each: col field use header;
 *             columns_omitted
 *     preview: nrows, each: row, ROSTER_PREVIEW_COLS cells
 *     rows ignored
 *   "END"
 *
 * Unsigned integers are LEB128 (7 bits a byte, low first), signed ones
 * zigzag first, booleans one byte 0 or 1, strings one length byte and the
 * bytes without a NUL.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "wire.h"
#include "../base/mem.h"
#include "../base/text.h"

/* ---- encoding ---- */

static void
put_u(struct buf *b, uint64_t v)
{
	char t[10];
	size_t n = 0;

	do {
		t[n++] = (char)((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
		v >>= 7;
	} while (v != 0);
	buf_add(b, t, n);
}

static void
put_s(struct buf *b, int64_t v)
{
	put_u(b, ((uint64_t)v << 1) ^ (uint64_t)(v < 0 ? -1 : 0));
}

/* A string field of size cap (its array, NUL included). */
static void
put_str(struct buf *b, const char *s, size_t cap)
{
	size_t n = strnlen(s, cap - 1);

	put_u(b, n);
	buf_add(b, s, n);
}

#define PUT_STR(b, field) put_str((b), (field), sizeof(field))

static void
put_student(struct buf *b, const struct student *s)
{
	put_s(b, s->id);
	put_s(b, s->enrolled);
	put_s(b, s->left_at);
	put_s(b, s->row);
	put_s(b, s->birth);
	put_s(b, s->jaargroep);
	put_u(b, (s->active ? 1u : 0u) | (s->has_error ? 2u : 0u));
	PUT_STR(b, s->number);
	PUT_STR(b, s->number_key);
	PUT_STR(b, s->roepnaam);
	PUT_STR(b, s->tussenvoegsel);
	PUT_STR(b, s->achternaam);
	PUT_STR(b, s->group);
	PUT_STR(b, s->group_key);
}

static void
put_issue(struct buf *b, const struct roster_issue *is)
{
	put_u(b, (uint64_t)is->code);
	put_u(b, is->row);
	put_u(b, is->col);
	put_s(b, is->arg);
	put_u(b, (uint64_t)is->layout);
	PUT_STR(b, is->text);
	PUT_STR(b, is->name);
	PUT_STR(b, is->number);
	PUT_STR(b, is->other);
}

static void
put_header(struct buf *b, const struct roster_header *h)
{
	put_u(b, h->row);
	put_s(b, h->score);
	put_u(b, h->usable);
	put_u(b, h->missing);
	for (size_t f = 0; f < ROSTER_F__MAX; f++)
		put_u(b, h->col[f]);
	put_u(b, h->first_word);
	put_u(b, (uint64_t)h->layout);
	put_u(b, h->ncolumns);
	for (size_t i = 0; i < h->ncolumns && i < ROSTER_COLUMNS_MAX; i++) {
		const struct roster_column *c = &h->columns[i];

		put_u(b, c->col);
		put_u(b, (uint64_t)c->field);
		put_u(b, (uint64_t)c->use);
		PUT_STR(b, c->header);
	}
	put_u(b, h->columns_omitted);
}

static void
put_preview(struct buf *b, const struct roster_preview *p)
{
	put_u(b, p->nrows);
	for (size_t r = 0; r < p->nrows && r < ROSTER_PREVIEW_ROWS; r++) {
		put_u(b, p->row[r]);
		for (size_t c = 0; c < ROSTER_PREVIEW_COLS; c++)
			PUT_STR(b, p->cell[r][c]);
	}
}

enum err
wire_encode(const struct wire_result *r, struct buf *b)
{
	const struct roster_file *f = &r->file;

	buf_add(b, "BW1", 3);
	put_u(b, (uint64_t)r->err);
	put_u(b, (uint64_t)r->e.problem);
	PUT_STR(b, r->e.detail);
	put_u(b, (uint64_t)r->src.format);
	put_s(b, r->src.sheet);
	put_u(b, r->src.sheets);
	PUT_STR(b, r->src.sheet_name);
	if (r->err == ERR_OK) {
		put_u(b, f->nstudents);
		for (size_t i = 0; i < f->nstudents && b->err == ERR_OK; i++)
			put_student(b, &f->students[i]);
		put_u(b, f->nissues);
		for (size_t i = 0; i < f->nissues && b->err == ERR_OK; i++)
			put_issue(b, &f->issues[i]);
		put_u(b, f->issues_omitted);
		for (size_t c = 0; c < ROSTER_CODE__MAX; c++)
			put_u(b, f->count[c]);
		put_u(b, f->nerrors);
		put_u(b, f->nwarnings);
		put_u(b, f->blocked);
		put_header(b, &f->header);
		put_preview(b, &f->preview);
		put_u(b, f->rows);
		put_u(b, f->ignored);
	}
	buf_add(b, "END", 3);
	return b->err;
}

/* ---- decoding: every value checked ---- */

struct rd {
	const unsigned char *p, *end;
	bool bad;
};

static uint64_t
get_u(struct rd *r)
{
	uint64_t v = 0;

	for (unsigned shift = 0; shift < 64; shift += 7) {
		unsigned char c;

		if (r->p >= r->end)
			break;
		c = *r->p++;
		if (shift == 63 && c > 1)
			break; /* more than 64 bits */
		v |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80))
			return v;
	}
	r->bad = true;
	return 0;
}

/* An unsigned value in [0, max]. */
static uint64_t
get_max(struct rd *r, uint64_t max)
{
	uint64_t v = get_u(r);

	if (v > max)
		r->bad = true;
	return r->bad ? 0 : v;
}

/* A signed value in [lo, hi]. */
static int64_t
get_s(struct rd *r, int64_t lo, int64_t hi)
{
	uint64_t u = get_u(r);
	int64_t v = (int64_t)(u >> 1) ^ -(int64_t)(u & 1);

	if (v < lo || v > hi)
		r->bad = true;
	return r->bad ? 0 : v;
}

static bool
get_bool(struct rd *r)
{
	return get_max(r, 1) == 1;
}

/* A string into the array dst of cap bytes. */
static void
get_str(struct rd *r, char *dst, size_t cap)
{
	size_t n = (size_t)get_max(r, cap - 1);

	if (r->bad || (size_t)(r->end - r->p) < n ||
	    memchr(r->p, '\0', n) != NULL ||
	    !utf8_valid((const char *)r->p, n)) {
		r->bad = true;
		dst[0] = '\0';
		return;
	}
	memcpy(dst, r->p, n);
	dst[n] = '\0';
	r->p += n;
}

#define GET_STR(r, field) get_str((r), (field), sizeof(field))

static void
get_mark(struct rd *r, const char *m)
{
	if ((size_t)(r->end - r->p) < 3 || memcmp(r->p, m, 3) != 0)
		r->bad = true;
	else
		r->p += 3;
}

/* A count of records of at least min_bytes each, at most max. */
static size_t
get_count(struct rd *r, size_t max, size_t min_bytes)
{
	size_t n = (size_t)get_max(r, max);

	if (!r->bad && n > (size_t)(r->end - r->p) / min_bytes)
		r->bad = true;
	return r->bad ? 0 : n;
}

#define COUNT_MAX ((uint64_t)1 << 48) /* any total a reader may give */

static void
get_student(struct rd *r, struct student *s)
{
	unsigned flags;

	s->id = get_s(r, INT64_MIN, INT64_MAX);
	s->enrolled = get_s(r, INT64_MIN, INT64_MAX);
	s->left_at = get_s(r, INT64_MIN, INT64_MAX);
	s->row = (int32_t)get_s(r, 0, INT32_MAX);
	s->birth = (int32_t)get_s(r, 0, 99991231);
	s->jaargroep = (int8_t)get_s(r, JAARGROEP_UNKNOWN, 8);
	flags = (unsigned)get_max(r, 3);
	s->active = flags & 1;
	s->has_error = (flags & 2) != 0;
	GET_STR(r, s->number);
	GET_STR(r, s->number_key);
	GET_STR(r, s->roepnaam);
	GET_STR(r, s->tussenvoegsel);
	GET_STR(r, s->achternaam);
	GET_STR(r, s->group);
	GET_STR(r, s->group_key);
}

static void
get_issue(struct rd *r, struct roster_issue *is)
{
	is->code = (enum roster_code)get_max(r, ROSTER_CODE__MAX - 1);
	is->row = (uint32_t)get_max(r, UINT32_MAX);
	is->col = (uint32_t)get_max(r, UINT32_MAX);
	is->arg = get_s(r, INT64_MIN, INT64_MAX);
	is->layout = (enum roster_layout)get_max(r, ROSTER_LAYOUT__MAX - 1);
	GET_STR(r, is->text);
	GET_STR(r, is->name);
	GET_STR(r, is->number);
	GET_STR(r, is->other);
}

static void
get_header(struct rd *r, struct roster_header *h)
{
	h->row = (uint32_t)get_max(r, UINT32_MAX);
	h->score = (int)get_s(r, INT_MIN, INT_MAX);
	h->usable = get_bool(r);
	h->missing = (unsigned)get_max(r, ROSTER_NEED_ALL);
	for (size_t f = 0; f < ROSTER_F__MAX; f++)
		h->col[f] = (uint32_t)get_max(r, UINT32_MAX);
	h->first_word = get_bool(r);
	h->layout = (enum roster_layout)get_max(r, ROSTER_LAYOUT__MAX - 1);
	h->ncolumns = get_count(r, ROSTER_COLUMNS_MAX, 4);
	for (size_t i = 0; i < h->ncolumns && !r->bad; i++) {
		struct roster_column *c = &h->columns[i];

		c->col = (uint32_t)get_max(r, UINT32_MAX);
		c->field = (enum roster_field)get_max(r, ROSTER_F__MAX - 1);
		c->use = (enum roster_use)get_max(r, ROSTER_USE_BSN);
		GET_STR(r, c->header);
	}
	h->columns_omitted = (size_t)get_max(r, COUNT_MAX);
}

static void
get_preview(struct rd *r, struct roster_preview *p)
{
	p->nrows = get_count(r, ROSTER_PREVIEW_ROWS, 1 + ROSTER_PREVIEW_COLS);
	for (size_t i = 0; i < p->nrows && !r->bad; i++) {
		p->row[i] = (uint32_t)get_max(r, UINT32_MAX);
		for (size_t c = 0; c < ROSTER_PREVIEW_COLS; c++)
			GET_STR(r, p->cell[i][c]);
	}
}

/* The smallest encodings of a student and of an issue. */
enum { STUDENT_MIN = 7 + 7, ISSUE_MIN = 5 + 4 };

static void
get_file(struct rd *r, const struct roster_opts *opts, struct roster_file *f)
{
	f->nstudents = get_count(r, opts->max_students, STUDENT_MIN);
	if (f->nstudents > 0)
		f->students = xcalloc(f->nstudents, sizeof(*f->students));
	for (size_t i = 0; i < f->nstudents && !r->bad; i++)
		get_student(r, &f->students[i]);
	f->nissues = get_count(r, opts->max_issues, ISSUE_MIN);
	if (f->nissues > 0)
		f->issues = xcalloc(f->nissues, sizeof(*f->issues));
	for (size_t i = 0; i < f->nissues && !r->bad; i++)
		get_issue(r, &f->issues[i]);
	f->issues_omitted = (size_t)get_max(r, COUNT_MAX);
	for (size_t c = 0; c < ROSTER_CODE__MAX; c++)
		f->count[c] = (size_t)get_max(r, COUNT_MAX);
	f->nerrors = (size_t)get_max(r, COUNT_MAX);
	f->nwarnings = (size_t)get_max(r, COUNT_MAX);
	f->blocked = get_bool(r);
	get_header(r, &f->header);
	get_preview(r, &f->preview);
	f->rows = (size_t)get_max(r, COUNT_MAX);
	f->ignored = (size_t)get_max(r, COUNT_MAX);
}

enum err
wire_decode(const void *p, size_t len, const struct roster_opts *opts,
            struct wire_result *out)
{
	struct rd r = { p, (const unsigned char *)p + len, false };

	memset(out, 0, sizeof(*out));
	get_mark(&r, "BW1");
	/* what roster_read_bytes() returns */
	out->err = (enum err)get_max(&r, ERR_LIMIT);
	out->e.problem =
	        (enum sheet_problem)get_max(&r, SHEET_PROBLEM__MAX - 1);
	GET_STR(&r, out->e.detail);
	out->src.format = (enum sheet_format)get_max(&r, SHEET_FMT__MAX - 1);
	out->src.sheet = (int)get_s(&r, -1, INT_MAX);
	out->src.sheets = (size_t)get_max(&r, UINT32_MAX);
	GET_STR(&r, out->src.sheet_name);
	if (!r.bad && out->src.sheet >= 0 &&
	    (size_t)out->src.sheet >= out->src.sheets)
		r.bad = true;
	if (!r.bad && out->err == ERR_OK)
		get_file(&r, opts, &out->file);
	get_mark(&r, "END");
	if (r.bad || r.p != r.end) {
		roster_file_release(&out->file);
		memset(out, 0, sizeof(*out));
		return ERR_INVALID;
	}
	return ERR_OK;
}
