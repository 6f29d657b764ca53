/*
 * Fuzz target for src/roster/: bytes become rows of typed cells that go
 * through the probe and the reader, and every issue is formatted in both
 * languages.  Invariants checked: no crash, no leak, no undefined
 * behaviour (build with sanitizers), unique number_keys in the result,
 * every student with a number.
 *
 * Input: lines ('\n') of cells ('|'); a cell's first byte picks its type
 * ('#' number, '@' date from the next bytes, '!' error, '?' boolean,
 * anything else text).  Cell text may be any bytes, also invalid UTF-8.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -std=c11 \
 *     -D_GNU_SOURCE fuzz/fuzz_roster.c src/roster/norm.c \
 *     src/roster/header.c src/roster/report.c src/roster/reader.c \
 *     src/base/buf.c src/base/mem.c src/base/text.c src/base/log.c \
 *     src/base/err.c src/base/lang.c -lutf8proc -lm -o build/fuzz_roster
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../src/roster/reader.h"

#define MAX_ROWS  64
#define MAX_CELLS 32

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
make_cell(struct sheet_cell *c, uint32_t col, char *p, size_t len)
{
	memset(c, 0, sizeof(*c));
	c->col = col;
	c->type = SHEET_TEXT;
	c->text = p;
	c->len = len;
	if (len == 0)
		return;
	switch (p[0]) {
	case '#':
		c->type = SHEET_NUMBER;
		c->number = strtod(p + 1, NULL);
		break;
	case '@':
		c->type = SHEET_DATE;
		c->date.kind = len > 1 ? (enum sheet_date_kind)(p[1] & 3)
		                       : SHEET_DATE_DAY;
		c->date.year = len > 2 ? 1890 + (unsigned char)p[2] : 2015;
		c->date.month = len > 3 ? (signed char)p[3] : 3;
		c->date.day = len > 4 ? (signed char)p[4] : 14;
		c->number = 42077;
		break;
	case '!':
		c->type = SHEET_ERROR;
		c->text = p + 1;
		c->len = len - 1;
		break;
	case '?':
		c->type = SHEET_BOOL;
		c->boolean = len > 1 && p[1] == '1';
		break;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sheet_cell cells[MAX_ROWS][MAX_CELLS];
	struct sheet_row rows[MAX_ROWS];
	struct roster_opts o;
	struct roster_file f;
	char *buf = malloc(size + 1);
	size_t nrows = 0, i = 0;
	struct buf out;

	memcpy(buf, data, size);
	buf[size] = '\0';
	while (i <= size && nrows < MAX_ROWS) {
		size_t nc = 0;
		uint32_t col = 1;

		while (i <= size) {
			size_t start = i;

			while (i < size && buf[i] != '|' && buf[i] != '\n')
				i++;
			if (i > start && nc < MAX_CELLS) {
				make_cell(&cells[nrows][nc], col, buf + start,
				          i - start);
				nc++;
			}
			col++;
			if (i >= size || buf[i] == '\n') {
				buf[i] = '\0';
				i++;
				break;
			}
			buf[i++] = '\0';
		}
		rows[nrows].row = (uint32_t)nrows + 1;
		rows[nrows].ncells = nc;
		rows[nrows].cells = cells[nrows];
		nrows++;
	}
	roster_opts_default(&o, 20250901);
	o.max_issues = 200;
	roster_read_rows(rows, nrows, &o, &f);
	for (size_t k = 0; k < f.nstudents; k++) {
		assert(f.students[k].number[0] != '\0');
		for (size_t j = k + 1; j < f.nstudents && j < k + 64; j++)
			assert(strcmp(f.students[k].number_key,
			              f.students[j].number_key) != 0);
	}
	buf_init(&out, 1 << 20);
	for (size_t k = 0; k < f.nissues; k++) {
		const struct roster_issue *is = &f.issues[k];

		/* the pupil: cut to fit, nothing a terminal would act on */
		assert(strlen(is->name) <= ROSTER_ISSUE_NAME);
		assert(strlen(is->other) <= ROSTER_ISSUE_NAME);
		for (const char *p = is->name; *p != '\0'; p++)
			assert((unsigned char)*p >= ' ' && *p != 0x7f);
		roster_issue_format(&out, is, LANG_NL);
		roster_issue_format(&out, is, LANG_EN);
		roster_issue_say(&out, is, LANG_NL, 0);
		roster_issue_say(&out, is, LANG_EN, ROSTER_SAY_NO_PLACE);
	}
	buf_release(&out);
	roster_file_release(&f);
	free(buf);
	return 0;
}
