/*
 * Test helper shared by tests/sheet/: open bytes with src/sheet/ and dump a
 * sheet in the corpus format ("row\tcol\tvalue\ttype\n" per cell), so a test
 * states what it expects as one readable string.
 */
#ifndef BIEBSYNC_TESTS_SHEET_DUMP_H
#define BIEBSYNC_TESTS_SHEET_DUMP_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/base/buf.h"
#include "../../src/sheet/sheet.h"

static __attribute__((unused)) enum err
dump_row(void *ctx, const struct sheet_row *r)
{
	struct buf *b = ctx;
	char tmp[64];

	for (size_t i = 0; i < r->ncells; i++) {
		const struct sheet_cell *c = &r->cells[i];
		const char *t = "s";

		buf_addf(b, "%u\t%u\t", (unsigned)r->row, (unsigned)c->col);
		switch (c->type) {
		case SHEET_TEXT:
		case SHEET_ERROR:
			for (size_t k = 0; k < c->len; k++) {
				char ch = c->text[k];

				if (ch == '\\')
					buf_adds(b, "\\\\");
				else if (ch == '\t')
					buf_adds(b, "\\t");
				else if (ch == '\n')
					buf_adds(b, "\\n");
				else if (ch == '\r')
					buf_adds(b, "\\r");
				else
					buf_addc(b, ch);
			}
			t = c->type == SHEET_TEXT ? "s" : "e";
			break;
		case SHEET_NUMBER:
			sheet_number_fmt(c->number, tmp, sizeof(tmp));
			buf_adds(b, tmp);
			t = "n";
			break;
		case SHEET_BOOL:
			buf_adds(b, c->boolean ? "TRUE" : "FALSE");
			t = "b";
			break;
		case SHEET_DATE:
			sheet_date_fmt(&c->date, tmp, sizeof(tmp));
			buf_adds(b, tmp);
			t = "d";
			break;
		}
		buf_addf(b, "\t%s\n", t);
	}
	return ERR_OK;
}

/*
 * Open len bytes at data and dump sheet idx (-1: the first worksheet).
 * Returns a malloc'ed dump, or NULL on failure with *e filled.
 */
static __attribute__((unused)) char *
dump_sheet(const void *data, size_t len, int idx, enum sheet_format *fmt,
           struct sheet_error *e)
{
	struct sheet_book *book;
	struct buf b;

	if (sheet_open(data, len, NULL, &book, e) != ERR_OK)
		return NULL;
	if (fmt != NULL)
		*fmt = sheet_book_format(book);
	if (idx < 0)
		idx = sheet_first_worksheet(book);
	buf_init(&b, 1u << 24);
	if (idx < 0 ||
	    sheet_read(book, (size_t)idx, dump_row, &b, e) != ERR_OK) {
		sheet_book_free(book);
		buf_release(&b);
		return NULL;
	}
	sheet_book_free(book);
	{
		char *s = buf_detach(&b, NULL);

		buf_release(&b);
		return s;
	}
}

/* The problem a file is refused with (SHEET_OK when it reads). */
static __attribute__((unused)) enum sheet_problem
problem_of(const void *data, size_t len)
{
	struct sheet_error e;
	char *d = dump_sheet(data, len, -1, NULL, &e);

	free(d);
	return d != NULL ? SHEET_OK : e.problem;
}

/*
 * The n bytes of UTF-8 at s in UTF-16 (width 2) or UTF-32 (width 4), big-
 * endian when be, after a byte order mark when bom, as a program that saves
 * "Unicode" text writes them.  Returns a malloc'ed copy of *len bytes.
 */
/* Code unit u (width bytes) at o, big-endian when be; returns o after it. */
static __attribute__((unused)) unsigned char *
put_unit(unsigned char *o, uint32_t u, int width, bool be)
{
	for (int k = 0; k < width; k++)
		*o++ = (unsigned char)(u >> 8 * (be ? width - 1 - k : k));
	return o;
}

static __attribute__((unused)) char *
widen(const char *s, size_t n, int width, bool be, bool bom, size_t *len)
{
	unsigned char *out = malloc(4 * n + 8), *o = out;

	if (bom)
		o = put_unit(o, 0xfeff, width, be);
	for (size_t i = 0; i < n;) {
		unsigned char b = (unsigned char)s[i];
		int k = b < 0x80 ? 0 : b < 0xe0 ? 1 : b < 0xf0 ? 2 : 3;
		uint32_t c = k == 0 ? b : b & (0x3fu >> k);

		for (int j = 1; j <= k; j++)
			c = c << 6 | ((unsigned char)s[i + j] & 0x3f);
		i += (size_t)k + 1;
		if (width == 2 && c >= 0x10000) {
			o = put_unit(o, 0xd800 + ((c - 0x10000) >> 10), 2, be);
			c = 0xdc00 + ((c - 0x10000) & 0x3ff);
		}
		o = put_unit(o, c, width, be);
	}
	*len = (size_t)(o - out);
	return (char *)out;
}

#endif
