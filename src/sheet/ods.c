/*
 * OpenDocument spreadsheets (.ods), through the same zip reader and expat.
 *
 * content.xml holds every table; each table:table is a sheet.  A cell's
 * type comes from office:value-type: float, percentage and currency are
 * numbers (office:value), date is office:date-value, time is
 * office:time-value (an ISO 8601 duration), boolean is
 * office:boolean-value, string is the text of its text:p paragraphs (joined
 * by line breaks, with text:s, text:tab and text:line-break expanded;
 * annotations skipped).  table:number-columns-repeated and
 * table:number-rows-repeated are honoured without allocating anything for
 * them: empty repeats only move the position (LibreOffice pads every sheet
 * to 1024 columns and 1048576 rows that way), and a repeated row with
 * content is replayed row by row, so the row and cell limits bound the
 * work.  Covered cells (under a merge) take their column.  Encrypted
 * packages (encryption-data in the manifest) are refused.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reader.h"
#include "readers.h"
#include "xml.h"
#include "zip.h"
#include "../base/mem.h"

struct ods {
	struct zip z;
	const struct zip_entry *content;
};

/* ---- listing the tables ---- */

struct names {
	struct sheet_book *b;
	struct sheet_error *e;
	unsigned depth; /* tables open */
};

static void
names_start(struct xml *x, const char *name, const char **atts)
{
	struct names *n = x->ud;
	enum err rc;

	if (strcmp(name, "table") != 0)
		return;
	if (n->depth++ == 0) {
		const char *t = xml_attr(atts, "name");

		if ((rc = book_add_sheet(n->b, t != NULL ? t : "", true,
		                         n->e)) != ERR_OK)
			xml_stop(x, rc);
	}
}

static void
names_end(struct xml *x, const char *name)
{
	struct names *n = x->ud;

	if (strcmp(name, "table") == 0 && n->depth > 0)
		n->depth--;
}

/* ---- reading one table ---- */

struct ocell {
	uint32_t col;
	enum sheet_type type;
	double num;
	bool boolean;
	struct sheet_date date;
	size_t off, len; /* text in the row's text buffer */
};

struct rd {
	struct sheet_book *b;
	struct rowout *o;
	size_t want, seen; /* table index wanted, tables seen */
	unsigned depth;    /* table nesting while inside the wanted one */
	bool active;
	uint64_t row;  /* 1-based number of the current row */
	uint64_t rrep; /* its number-rows-repeated */
	uint64_t col;  /* next column (1-based) */
	bool in_row;
	/* the current cell */
	bool in_cell;
	uint64_t crep;
	enum sheet_type ctype;
	bool cempty; /* no value-type */
	double cnum;
	bool cbool;
	struct sheet_date cdate;
	unsigned p;     /* paragraphs seen */
	unsigned inp;   /* inside text:p / text:h */
	unsigned annot; /* inside office:annotation */
	struct buf text;
	/* the current row */
	struct ocell *cells;
	size_t n, alloc;
	struct buf rowtext;
};

static uint64_t
repeat(const char **atts, const char *name)
{
	const char *v = xml_attr(atts, name);
	uint64_t n = 0;

	if (v == NULL)
		return 1;
	for (; *v >= '0' && *v <= '9'; v++)
		if ((n = n * 10 + (uint64_t)(*v - '0')) > 0xffffffffu)
			return 0xffffffffu;
	return n == 0 ? 1 : n;
}

/* "PT12H30M05S" (optionally "PnDT...", fractional seconds). */
static bool
parse_duration(const char *s, struct sheet_date *d)
{
	double secs = 0, v;
	bool neg = false, t = false;
	char *end;

	memset(d, 0, sizeof(*d));
	if (*s == '-') {
		neg = true;
		s++;
	}
	if (*s++ != 'P')
		return false;
	while (*s != '\0') {
		if (*s == 'T') {
			t = true;
			s++;
			continue;
		}
		v = strtod(s, &end);
		if (end == s || v < 0)
			return false;
		s = end;
		switch (*s++) {
		case 'D':
			secs += v * 86400;
			break;
		case 'H':
			secs += v * 3600;
			break;
		case 'M':
			if (!t)
				return false;
			secs += v * 60;
			break;
		case 'S':
			secs += v;
			break;
		default:
			return false;
		}
	}
	if (neg || secs > 1e9)
		return false;
	{
		long long x = (long long)(secs + 0.0005);

		d->kind = x < 86400 ? SHEET_DATE_TIME : SHEET_DATE_DURATION;
		d->hour = (int)(x / 3600);
		d->min = (int)(x / 60 % 60);
		d->sec = (int)(x % 60);
	}
	return true;
}

static void
rd_cell_start(struct rd *r, const char **atts)
{
	const char *vt = xml_attr(atts, "value-type"), *v;

	r->in_cell = true;
	r->crep = repeat(atts, "number-columns-repeated");
	r->cempty = true;
	r->p = 0;
	buf_reset(&r->text);
	if (vt == NULL)
		return;
	r->cempty = false;
	r->ctype = SHEET_TEXT;
	if (strcmp(vt, "float") == 0 || strcmp(vt, "percentage") == 0 ||
	    strcmp(vt, "currency") == 0) {
		v = xml_attr(atts, "value");
		if (v != NULL && number_parse(v, strlen(v), &r->cnum))
			r->ctype = SHEET_NUMBER;
	} else if (strcmp(vt, "date") == 0) {
		v = xml_attr(atts, "date-value");
		if (v != NULL && date_from_iso(v, strlen(v), &r->cdate))
			r->ctype = SHEET_DATE;
	} else if (strcmp(vt, "time") == 0) {
		v = xml_attr(atts, "time-value");
		if (v != NULL && parse_duration(v, &r->cdate))
			r->ctype = SHEET_DATE;
	} else if (strcmp(vt, "boolean") == 0) {
		v = xml_attr(atts, "boolean-value");
		if (v != NULL) {
			r->ctype = SHEET_BOOL;
			r->cbool =
			        strcmp(v, "true") == 0 || strcmp(v, "1") == 0;
		}
	} else if ((v = xml_attr(atts, "string-value")) != NULL) {
		buf_adds(&r->text, v);
		r->p = 1000; /* the attribute wins over paragraphs */
	}
}

/* Keep the finished cell (once per column it repeats over). */
static enum err
rd_cell_end(struct xml *x, struct rd *r)
{
	uint64_t k;

	r->in_cell = false;
	if (r->cempty || (r->ctype == SHEET_TEXT && r->text.len == 0)) {
		r->col += r->crep;
		return ERR_OK;
	}
	if (r->text.err != ERR_OK)
		return sheet_fail(x->e, SHEET_P_TOO_BIG, ERR_LIMIT,
		                  "ods: a cell holds more than %zu bytes",
		                  r->text.max);
	for (k = 0; k < r->crep; k++, r->col++) {
		struct ocell *c;

		if (r->col > r->b->lim.cols)
			return sheet_fail(
			        x->e, SHEET_P_TOO_BIG, ERR_LIMIT,
			        "ods: column %llu is beyond the limit",
			        (unsigned long long)r->col);
		if (r->n == r->alloc) {
			r->alloc = r->alloc ? r->alloc * 2 : 16;
			r->cells = xrealloc(r->cells,
			                    r->alloc * sizeof(*r->cells));
		}
		c = &r->cells[r->n++];
		memset(c, 0, sizeof(*c));
		c->col = (uint32_t)r->col;
		c->type = r->ctype;
		c->num = r->cnum;
		c->boolean = r->cbool;
		c->date = r->cdate;
		if (r->ctype == SHEET_TEXT) {
			c->off = r->rowtext.len;
			c->len = r->text.len;
			if (buf_add(&r->rowtext, r->text.data, r->text.len) !=
			    ERR_OK)
				return sheet_fail(
				        x->e, SHEET_P_TOO_BIG, ERR_LIMIT,
				        "ods: a row holds too much text");
		}
	}
	return ERR_OK;
}

/* Emit the finished row, once per row it repeats over. */
static enum err
rd_row_end(struct rd *r)
{
	enum err rc = ERR_OK;
	uint64_t k;

	if (r->n == 0) {
		r->row += r->rrep;
		return ERR_OK;
	}
	for (k = 0; k < r->rrep && rc == ERR_OK; k++, r->row++) {
		if (r->row > r->b->lim.rows)
			return sheet_fail(r->o->e, SHEET_P_TOO_BIG, ERR_LIMIT,
			                  "ods: row %llu is beyond the limit",
			                  (unsigned long long)r->row);
		if ((rc = rowout_begin(r->o, (uint32_t)r->row)) != ERR_OK)
			break;
		for (size_t i = 0; i < r->n && rc == ERR_OK; i++) {
			const struct ocell *c = &r->cells[i];

			switch (c->type) {
			case SHEET_TEXT:
			case SHEET_ERROR:
				rc = rowout_text(r->o, c->col, c->type,
				                 r->rowtext.data + c->off,
				                 c->len);
				break;
			case SHEET_NUMBER:
				rc = rowout_number(r->o, c->col, c->num);
				break;
			case SHEET_BOOL:
				rc = rowout_bool(r->o, c->col, c->boolean);
				break;
			case SHEET_DATE:
				rc = rowout_date(r->o, c->col, &c->date, 0);
				break;
			}
		}
		if (rc == ERR_OK)
			rc = rowout_end(r->o);
	}
	return rc;
}

static void
rd_start(struct xml *x, const char *name, const char **atts)
{
	struct rd *r = x->ud;

	if (strcmp(name, "table") == 0) {
		if (r->active) {
			r->depth++;
			return;
		}
		if (r->seen++ == r->want) {
			r->active = true;
			r->depth = 1;
			r->row = 1;
		}
		return;
	}
	if (!r->active || r->depth != 1)
		return;
	if (strcmp(name, "table-row") == 0) {
		r->in_row = true;
		r->rrep = repeat(atts, "number-rows-repeated");
		r->col = 1;
		r->n = 0;
		buf_reset(&r->rowtext);
	} else if (r->in_row && (strcmp(name, "table-cell") == 0 ||
	                         strcmp(name, "covered-table-cell") == 0)) {
		rd_cell_start(r, atts);
	} else if (r->in_cell) {
		if (strcmp(name, "annotation") == 0) {
			r->annot++;
		} else if (r->annot > 0) {
			return;
		} else if (strcmp(name, "p") == 0 || strcmp(name, "h") == 0) {
			if (r->p > 0 && r->p < 1000)
				buf_addc(&r->text, '\n');
			if (r->p < 1000)
				r->p++;
			r->inp++;
		} else if (r->inp > 0 && r->p < 1000) {
			if (strcmp(name, "s") == 0) {
				uint64_t c = repeat(atts, "c");

				for (uint64_t k = 0; k < c && r->text.err == 0;
				     k++)
					buf_addc(&r->text, ' ');
			} else if (strcmp(name, "tab") == 0) {
				buf_addc(&r->text, '\t');
			} else if (strcmp(name, "line-break") == 0) {
				buf_addc(&r->text, '\n');
			}
		}
	}
}

static void
rd_end(struct xml *x, const char *name)
{
	struct rd *r = x->ud;
	enum err rc;

	if (!r->active)
		return;
	if (strcmp(name, "table") == 0) {
		if (--r->depth == 0) {
			r->active = false;
			xml_done(x); /* the wanted table is read */
		}
		return;
	}
	if (r->depth != 1)
		return;
	if (strcmp(name, "table-row") == 0 && r->in_row) {
		r->in_row = false;
		if ((rc = rd_row_end(r)) != ERR_OK)
			xml_stop(x, rc);
	} else if ((strcmp(name, "table-cell") == 0 ||
	            strcmp(name, "covered-table-cell") == 0) &&
	           r->in_cell) {
		if ((rc = rd_cell_end(x, r)) != ERR_OK)
			xml_stop(x, rc);
	} else if (strcmp(name, "annotation") == 0 && r->annot > 0) {
		r->annot--;
	} else if ((strcmp(name, "p") == 0 || strcmp(name, "h") == 0) &&
	           r->inp > 0 && r->annot == 0) {
		r->inp--;
	}
}

static void
rd_text(struct xml *x, const char *s, size_t n)
{
	struct rd *r = x->ud;

	if (r->active && r->in_cell && r->inp > 0 && r->annot == 0 &&
	    r->p < 1000)
		buf_add(&r->text, s, n);
}

static enum err
parse_content(struct ods *d, struct sheet_book *b, const struct xml_handlers *h,
              void *ud, struct sheet_error *e)
{
	struct xml xp;
	enum err rc;

	xml_init(&xp, b, e, h, ud);
	d->z.total = 0;
	rc = zip_stream(&d->z, d->content, xml_feed, &xp, e);
	if (rc == ERR_OK)
		rc = xml_finish(&xp);
	if (xp.err != ERR_OK)
		rc = xp.err;
	xml_release(&xp);
	return rc;
}

static enum err
ods_read(struct sheet_book *b, size_t i, struct rowout *o)
{
	static const struct xml_handlers h = { rd_start, rd_end, rd_text };
	struct ods *d = b->impl;
	struct rd r;
	enum err rc;

	memset(&r, 0, sizeof(r));
	r.b = b;
	r.o = o;
	r.want = i;
	buf_init(&r.text, b->lim.cell_bytes);
	buf_init(&r.rowtext, 64u << 20);
	rc = parse_content(d, b, &h, &r, o->e);
	free(r.cells);
	buf_release(&r.text);
	buf_release(&r.rowtext);
	return rc;
}

static void
ods_free(void *impl)
{
	struct ods *d = impl;

	zip_close(&d->z);
	free(d);
}

static const struct reader_ops ods_ops = { .read = ods_read, .free = ods_free };

enum err
ods_open(struct sheet_book *b, struct sheet_error *e)
{
	static const struct xml_handlers h = { names_start, names_end, NULL };
	struct ods *d = xcalloc(1, sizeof(*d));
	const struct zip_entry *man;
	struct names n;
	enum err rc;

	b->ops = &ods_ops;
	b->impl = d;
	if ((rc = zip_open(&d->z, b->data, b->len, &b->lim, e)) != ERR_OK)
		return rc;
	man = zip_find(&d->z, "META-INF/manifest.xml");
	if (man != NULL) {
		struct buf mb;
		bool enc;

		buf_init(&mb, 1u << 20);
		rc = zip_read(&d->z, man, &mb, e);
		enc = rc == ERR_OK && strstr(mb.data, "encryption-data");
		buf_release(&mb);
		if (enc)
			return sheet_fail(e, SHEET_P_ENCRYPTED, ERR_INVALID,
			                  "ods: encrypted package");
		if (rc != ERR_OK)
			return rc;
	}
	d->content = zip_find(&d->z, "content.xml");
	if (d->content == NULL)
		return sheet_fail(e, SHEET_P_BROKEN, ERR_INVALID,
		                  "ods: no content.xml");
	memset(&n, 0, sizeof(n));
	n.b = b;
	n.e = e;
	return parse_content(d, b, &h, &n, e);
}
