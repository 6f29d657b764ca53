/*
 * Test helper: sheet rows written as one string per row, so that a test's
 * file reads like the spreadsheet it stands for.
 *
 * Cells are separated by '|'; an empty cell is left out (as the sheet
 * reader does).  A cell is text unless it starts with
 *   #  a number cell:       "#123", "#1e16", "#42005"
 *   @  a date cell:         "@2015-03-14"
 *   !  an error cell:       "!#N/A"
 *   ?  a boolean cell:      "?1"
 * Line i is Excel row i + 1; an empty line is a row without cells (not
 * reported, as in the sheet reader).  Limits: 64 cells per row.
 */
#ifndef BIEBSYNC_TESTS_ROSTER_ROWS_H
#define BIEBSYNC_TESTS_ROSTER_ROWS_H

#include <stdlib.h>
#include <string.h>

#include "../../src/roster/reader.h"

#define TODAY 20250901 /* the reference date of every test */

struct trows {
	struct sheet_row rows[200];
	struct sheet_cell cells[200][64];
	char *copies[200];
	size_t n;
};

static inline void
trows_build(struct trows *t, const char *const *lines, size_t nlines)
{
	memset(t, 0, sizeof(*t));
	for (size_t i = 0; i < nlines && i < 200; i++) {
		char *s, *p;
		size_t nc = 0;
		uint32_t col = 1;

		if (lines[i][0] == '\0')
			continue;
		s = strdup(lines[i]);
		t->copies[t->n] = s;
		for (p = s;; col++) {
			char *bar = strchr(p, '|');
			struct sheet_cell *c = &t->cells[t->n][nc];

			if (bar != NULL)
				*bar = '\0';
			if (*p != '\0' && nc < 64) {
				memset(c, 0, sizeof(*c));
				c->col = col;
				if (p[0] == '#' && p[1] != '\0' &&
				    p[1] != 'N') {
					c->type = SHEET_NUMBER;
					c->number = strtod(p + 1, NULL);
				} else if (p[0] == '@') {
					c->type = SHEET_DATE;
					c->date.kind = SHEET_DATE_DAY;
					c->date.year =
					        (int)strtol(p + 1, NULL, 10);
					c->date.month =
					        (int)strtol(p + 6, NULL, 10);
					c->date.day =
					        (int)strtol(p + 9, NULL, 10);
				} else if (p[0] == '!') {
					c->type = SHEET_ERROR;
					c->text = p + 1;
					c->len = strlen(p + 1);
				} else if (p[0] == '?') {
					c->type = SHEET_BOOL;
					c->boolean = p[1] == '1';
				} else {
					c->type = SHEET_TEXT;
					c->text = p;
					c->len = strlen(p);
				}
				nc++;
			}
			if (bar == NULL)
				break;
			p = bar + 1;
		}
		t->rows[t->n].row = (uint32_t)i + 1;
		t->rows[t->n].ncells = nc;
		t->rows[t->n].cells = t->cells[t->n];
		t->n++;
	}
}

static inline void
trows_free(struct trows *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->copies[i]);
}

/* Read lines as a file of format fmt (SHEET_FMT_UNKNOWN: a spreadsheet)
 * with today = TODAY into *f. */
static inline void
read_lines_as(const char *const *lines, size_t n, enum sheet_format fmt,
              struct roster_file *f)
{
	struct trows *t = malloc(sizeof(*t));
	struct roster_opts o;

	roster_opts_default(&o, TODAY);
	o.format = fmt;
	trows_build(t, lines, n);
	roster_read_rows(t->rows, t->n, &o, f);
	trows_free(t);
	free(t);
}

#define READ_AS(fmt, f, ...)                                                   \
	do {                                                                   \
		static const char *const lines_[] = { __VA_ARGS__ };           \
		read_lines_as(lines_, sizeof(lines_) / sizeof(lines_[0]),      \
		              (fmt), (f));                                     \
	} while (0)
#define READ(f, ...) READ_AS(SHEET_FMT_UNKNOWN, f, __VA_ARGS__)

/* The first issue with code, or NULL. */
static inline const struct roster_issue *
find_issue(const struct roster_file *f, enum roster_code code)
{
	for (size_t i = 0; i < f->nissues; i++)
		if (f->issues[i].code == code)
			return &f->issues[i];
	return NULL;
}

/* The student with this number, or NULL. */
static inline const struct student *
find_student(const struct roster_file *f, const char *number)
{
	for (size_t i = 0; i < f->nstudents; i++)
		if (strcmp(f->students[i].number, number) == 0)
			return &f->students[i];
	return NULL;
}

#endif
