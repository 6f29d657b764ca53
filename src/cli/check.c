/*
 * biebsync check FILE [--sheet N|NAME] [--json | --cells]
 *
 * Reads a file the way an upload is read and shows what was understood,
 * touching nothing else: the detected format, the sheets with their
 * dimensions, the recognised layout with the column mapping and the
 * validation report, and the rows of the chosen sheet (default: the first
 * worksheet) as TSV.  --json prints one JSON object per row (after one
 * object describing the file); --cells prints the chosen sheet in the dump
 * format of the shared corpus (row, column, value, type), so it can be
 * compared line by line with a reference reader.
 *
 * A refused or broken file prints one Dutch line on stdout, the English
 * detail on stderr, and exits 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "../base/mem.h"
#include "../base/strparse.h"
#include "../base/text.h"
#include "../roster/book.h"
#include "../sheet/sheet.h"

enum mode { MODE_TSV, MODE_JSON, MODE_CELLS };

struct out {
	enum mode mode;
	FILE *f;
};

/* Text with backslash, tab, LF and CR escaped as the corpus dump does;
 * plain runs are written whole (a million-row sheet is millions of
 * cells, so this is the command's hot path; stdout is locked once by the
 * caller). */
static void
put_escaped(FILE *f, const char *s, size_t n)
{
	size_t run = 0;

	for (size_t i = 0; i < n; i++) {
		const char *esc;

		switch (s[i]) {
		case '\\':
			esc = "\\\\";
			break;
		case '\t':
			esc = "\\t";
			break;
		case '\n':
			esc = "\\n";
			break;
		case '\r':
			esc = "\\r";
			break;
		default:
			continue;
		}
		fwrite_unlocked(s + run, 1, i - run, f);
		fputs_unlocked(esc, f);
		run = i + 1;
	}
	fwrite_unlocked(s + run, 1, n - run, f);
}

/* Write v in decimal followed by c. */
static void
put_u32(FILE *f, uint32_t v, char c)
{
	char tmp[12];
	size_t i = sizeof(tmp);

	tmp[--i] = c;
	do
		tmp[--i] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	fwrite_unlocked(tmp + i, 1, sizeof(tmp) - i, f);
}

static void
put_json_string(FILE *f, const char *s, size_t n)
{
	fputc('"', f);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c == '\r')
			fputs("\\r", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

/* The value of a cell as text and its one-letter dump type. */
static char
cell_value(const struct sheet_cell *c, char *tmp, size_t tmpsz, const char **v,
           size_t *n)
{
	switch (c->type) {
	case SHEET_TEXT:
	case SHEET_ERROR:
		*v = c->text;
		*n = c->len;
		return c->type == SHEET_TEXT ? 's' : 'e';
	case SHEET_NUMBER:
		sheet_number_fmt(c->number, tmp, tmpsz);
		break;
	case SHEET_BOOL:
		snprintf(tmp, tmpsz, "%s", c->boolean ? "TRUE" : "FALSE");
		break;
	case SHEET_DATE:
		sheet_date_fmt(&c->date, tmp, tmpsz);
		break;
	}
	*v = tmp;
	*n = strlen(tmp);
	return c->type == SHEET_NUMBER ? 'n'
	       : c->type == SHEET_BOOL ? 'b'
	                               : 'd';
}

static enum err
print_row(void *ctx, const struct sheet_row *r)
{
	static const char *const jtypes[] = {
		[SHEET_TEXT] = "text", [SHEET_NUMBER] = "number",
		[SHEET_BOOL] = "bool", [SHEET_ERROR] = "error",
		[SHEET_DATE] = "date",
	};
	struct out *o = ctx;
	char tmp[64];
	const char *v;
	size_t n;
	uint32_t col = 0;

	if (o->mode == MODE_JSON)
		fprintf(o->f, "{\"row\":%u,\"cells\":[", (unsigned)r->row);
	else if (o->mode == MODE_TSV)
		fprintf(o->f, "%u", (unsigned)r->row);
	for (size_t i = 0; i < r->ncells; i++) {
		const struct sheet_cell *c = &r->cells[i];
		char t = cell_value(c, tmp, sizeof(tmp), &v, &n);

		switch (o->mode) {
		case MODE_CELLS:
			put_u32(o->f, r->row, '\t');
			put_u32(o->f, c->col, '\t');
			put_escaped(o->f, v, n);
			fputc_unlocked('\t', o->f);
			fputc_unlocked(t, o->f);
			fputc_unlocked('\n', o->f);
			break;
		case MODE_TSV:
			for (; col < c->col; col++)
				fputc('\t', o->f);
			put_escaped(o->f, v, n);
			break;
		case MODE_JSON:
			fprintf(o->f,
			        "%s{\"col\":%u,\"type\":\"%s\",\"value\":",
			        i ? "," : "", (unsigned)c->col,
			        jtypes[c->type]);
			if (c->type == SHEET_NUMBER)
				fputs(tmp, o->f);
			else if (c->type == SHEET_BOOL)
				fputs(c->boolean ? "true" : "false", o->f);
			else
				put_json_string(o->f, v, n);
			fputc('}', o->f);
			break;
		}
	}
	if (o->mode == MODE_JSON)
		fputs("]}\n", o->f);
	else if (o->mode == MODE_TSV)
		fputc('\n', o->f);
	return ferror(o->f) ? ERR_IO : ERR_OK;
}

static int
refuse(const struct sheet_error *e)
{
	printf("%s\n", sheet_problem_text(e->problem, cli_english()));
	fprintf(stderr, "biebsync: %s: %s\n", sheet_problem_str(e->problem),
	        e->detail);
	return EXIT_REFUSED;
}

static void
print_header(struct sheet_book *b, bool json)
{
	size_t n = sheet_count(b);

	if (json)
		printf("{\"format\":\"%s\",\"sheets\":[",
		       sheet_format_name(sheet_book_format(b)));
	else
		printf(L("formaat: %s\n", "format: %s\n"),
		       sheet_format_name(sheet_book_format(b)));
	for (size_t i = 0; i < n; i++) {
		const struct sheet_info *si = sheet_get_info(b, i);
		struct sheet_dims d;
		struct sheet_error e;
		char c0[8], c1[8];
		bool ok = si->worksheet &&
		          sheet_dimensions(b, i, &d, &e) == ERR_OK;

		if (json) {
			printf("%s{\"index\":%zu,\"name\":", i ? "," : "",
			       i + 1);
			put_json_string(stdout, si->name, strlen(si->name));
			printf(",\"worksheet\":%s",
			       si->worksheet ? "true" : "false");
			if (ok)
				printf(",\"rows\":%u,\"columns\":%u,"
				       "\"cells\":%llu",
				       (unsigned)d.last_row,
				       (unsigned)d.last_col,
				       (unsigned long long)d.cells);
			printf("}");
			continue;
		}
		printf(L("werkblad %zu: ", "sheet %zu: "), i + 1);
		put_escaped(stdout, si->name, strlen(si->name));
		if (!si->worksheet)
			printf(L(" (geen werkblad)\n", " (not a worksheet)\n"));
		else if (!ok)
			printf(L(" (onleesbaar)\n", " (unreadable)\n"));
		else if (d.cells == 0)
			printf(L(" (leeg)\n", " (empty)\n"));
		else {
			sheet_col_name(d.first_col, c0, sizeof(c0));
			sheet_col_name(d.last_col, c1, sizeof(c1));
			printf(L(" (%s%u:%s%u, %u rijen, %llu cellen)\n",
			         " (%s%u:%s%u, %u rows, %llu cells)\n"),
			       c0, (unsigned)d.first_row, c1,
			       (unsigned)d.last_row, (unsigned)d.rows,
			       (unsigned long long)d.cells);
		}
	}
	if (json)
		printf("]}\n");
	else
		printf("\n");
}

/* What the import would understand of the file (see report.c). */
static void
print_understanding(const char *data, size_t len,
                    const struct sheet_limits *lim)
{
	struct roster_file rf;
	struct roster_source rs;
	struct roster_opts ro;
	struct sheet_error e;

	roster_opts_default(&ro, date_today());
	if (roster_read_bytes(data, len, lim, &ro, &rf, &rs, &e) == ERR_OK) {
		cli_print_understanding(&rf, &rs);
		printf("\n");
	}
	roster_file_release(&rf);
}

int
cmd_check(int argc, char **argv)
{
	static const struct opt_spec spec[] = {
		{ "sheet", true },
		{ "json", false },
		{ "cells", false },
		{ NULL, false },
	};
	struct sheet_limits lim;
	struct sheet_book *b = NULL;
	struct sheet_error e;
	struct args a;
	struct out o = { MODE_TSV, stdout };
	const char *want;
	char *data = NULL;
	size_t len = 0;
	int idx, rc = EXIT_REFUSED;
	enum err e_read;

	if (!args_parse(argc, argv, spec, &a))
		return EXIT_USAGE;
	if (a.nwords != 1 ||
	    (args_get(&a, "json") != NULL && args_get(&a, "cells") != NULL)) {
		fprintf(stderr, L("gebruik: biebsync check BESTAND [--sheet N|"
		                  "NAAM] [--json | --cells]\n",
		                  "usage: biebsync check FILE [--sheet N|NAME]"
		                  " [--json | --cells]\n"));
		return EXIT_USAGE;
	}
	if (args_get(&a, "json") != NULL)
		o.mode = MODE_JSON;
	if (args_get(&a, "cells") != NULL)
		o.mode = MODE_CELLS;
	sheet_limits_default(&lim);
	switch (cli_read_file(a.words[0], lim.input_bytes, &data, &len)) {
	case ERR_OK:
		break;
	case ERR_LIMIT:
		e.problem = SHEET_P_TOO_BIG;
		snprintf(e.detail, sizeof(e.detail),
		         "the file is larger than %zu bytes", lim.input_bytes);
		return refuse(&e);
	default:
		printf(L("Het bestand kan niet gelezen worden.\n",
		         "The file cannot be read.\n"));
		return EXIT_REFUSED;
	}
	if (sheet_open(data, len, &lim, &b, &e) != ERR_OK) {
		rc = refuse(&e);
		goto out;
	}
	want = args_get(&a, "sheet");
	if (want == NULL) {
		idx = sheet_first_worksheet(b);
		if (idx < 0) {
			e.problem = SHEET_P_NO_SHEET;
			snprintf(e.detail, sizeof(e.detail),
			         "the workbook has no worksheet");
			rc = refuse(&e);
			goto out;
		}
	} else {
		uint64_t n;

		idx = sheet_find(b, want);
		if (idx < 0 && parse_u64(want, 1, sheet_count(b), &n) == ERR_OK)
			idx = (int)n - 1;
		if (idx < 0) {
			e.problem = SHEET_P_BAD_SHEET;
			snprintf(e.detail, sizeof(e.detail),
			         "no sheet with that name or number");
			rc = refuse(&e);
			goto out;
		}
	}
	if (o.mode != MODE_CELLS)
		print_header(b, o.mode == MODE_JSON);
	if (o.mode == MODE_TSV)
		print_understanding(data, len, &lim);
	flockfile(stdout); /* put_escaped and friends write unlocked */
	e_read = sheet_read(b, (size_t)idx, print_row, &o, &e);
	funlockfile(stdout);
	if (e_read != ERR_OK) {
		fflush(stdout);
		rc = refuse(&e);
		goto out;
	}
	rc = fflush(stdout) == 0 ? 0 : EXIT_REFUSED;
out:
	sheet_book_free(b);
	free(data);
	return rc;
}
