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
 * detail on stderr, and exits 1.  The file is read and printed in a
 * sandboxed child (src/import/sandboxed.h), as an upload is read: a file
 * that crashes a reader, or passes its memory or CPU limit, is refused
 * with the Dutch "beschadigd of te groot" message.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "rawout.h"
#include "../base/mem.h"
#include "../base/strparse.h"
#include "../base/text.h"
#include "../import/sandboxed.h"
#include "../roster/book.h"
#include "../sheet/sheet.h"

enum mode { MODE_TSV, MODE_JSON, MODE_CELLS };

/* Where the rows go: TSV and --cells through w (a million-row sheet is
 * millions of cells, so that is the command's hot path), JSON through
 * stdio.  TSV and --cells read the sheet in parts (sheet_read_parts), one
 * out per slot: its rows are kept in w until the part is done, or go
 * straight to standard output when the part is read in order (direct). */
struct out {
	_Alignas(64) enum mode mode; /* slots in their own cache lines */
	struct rawout w;
	int *werr;       /* standard output's first write error, all slots' */
	char pre[16];    /* --cells: the row number and a tab (rest zero) */
	size_t npre;     /* its length */
	uint32_t prerow; /* the row it is for; 0 before the first */
};

/* Slots: parts in flight (see sheet.h); each holds one part's output. */
enum { NSLOTS = 4 };

/* What the corpus dump writes after a backslash for the bytes it escapes
 * (backslash, tab, LF, CR); 0 for the bytes written as they are. */
static const char esc_char[256] = {
	['\\'] = '\\', ['\t'] = 't', ['\n'] = 'n', ['\r'] = 'r'
};

#define ONES  0x0101010101010101u
#define HIGHS 0x8080808080808080u

/* Whether none of the 8 bytes in w is below 0x20 or a backslash (bytes
 * below 0x20 other than tab, LF and CR need no escape, but they are rare
 * enough to take the slow way). */
static inline bool
plain_word(uint64_t w)
{
	uint64_t x = w ^ ('\\' * ONES);

	return ((((w - 0x20 * ONES) & ~w) | ((x - ONES) & ~x)) & HIGHS) == 0;
}

/* s escaped into d, which has room for 2 * n bytes; returns the length.
 * Text without anything to escape (nearly every cell) is tested and
 * copied in words, the last one overlapping the one before, and short
 * text in two overlapping halves; the rest goes byte by byte. */
static size_t
escape(char *d, const char *s, size_t n)
{
	char *d0 = d;

	if (n >= 8) {
		uint64_t w;
		size_t i;

		for (i = 0; i + 8 < n; i += 8) {
			memcpy(&w, s + i, 8);
			if (!plain_word(w))
				goto slow;
			memcpy(d + i, &w, 8);
		}
		memcpy(&w, s + n - 8, 8);
		if (!plain_word(w))
			goto slow;
		memcpy(d + n - 8, &w, 8);
		return n;
	}
	if (n >= 4) {
		uint32_t a, b;

		memcpy(&a, s, 4);
		memcpy(&b, s + n - 4, 4);
		if (!plain_word(a | (uint64_t)b << 32))
			goto slow;
		memcpy(d, &a, 4);
		memcpy(d + n - 4, &b, 4);
		return n;
	}
	if (n > 0) {
		char a = s[0], b = s[n / 2], c = s[n - 1];

		if ((esc_char[(unsigned char)a] | esc_char[(unsigned char)b] |
		     esc_char[(unsigned char)c]) != 0)
			goto slow;
		d[0] = a;
		d[n / 2] = b;
		d[n - 1] = c;
	}
	return n;
slow:
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (esc_char[c] != 0) {
			*d++ = '\\';
			*d++ = esc_char[c];
		} else {
			*d++ = (char)c;
		}
	}
	return (size_t)(d - d0);
}

/* Text escaped as in the dump, to stdio (sheet names). */
static void
put_escaped(FILE *f, const char *s)
{
	size_t n = strlen(s);
	char *tmp = xmalloc(2 * n + 1);

	fwrite(tmp, 1, escape(tmp, s, n), f);
	free(tmp);
}

/* v in decimal at d (room for 10 bytes); returns the length. */
static size_t
put_u32(char *d, uint32_t v)
{
	size_t n = 1;

	if (v < 10) { /* a column of most sheets */
		*d = (char)('0' + v);
		return 1;
	}
	for (uint32_t t = v; t >= 10; t /= 10)
		n++;
	for (size_t i = n; i-- > 0; v /= 10)
		d[i] = (char)('0' + v % 10);
	return n;
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

/* o->pre for row r: counted up from the previous row's when r follows it
 * (nearly always, and cheaper than dividing), written anew otherwise. */
static void
row_prefix(struct out *o, uint32_t r)
{
	if (o->prerow != 0 && r == o->prerow + 1) {
		size_t i = o->npre - 1; /* digits before the tab */

		while (i > 0 && o->pre[i - 1] == '9')
			o->pre[--i] = '0';
		if (i > 0) {
			o->pre[i - 1]++;
			o->prerow = r;
			return;
		}
	}
	memset(o->pre, 0, sizeof(o->pre));
	o->npre = put_u32(o->pre, r);
	o->pre[o->npre++] = '\t';
	o->prerow = r;
}

/* --cells: "row<TAB>col<TAB>value<TAB>type" per cell; the row number with
 * its tab is copied as 16 bytes. */
static void
print_cells(struct out *o, const struct sheet_row *r)
{
	char tmp[64];

	row_prefix(o, r->row);
	for (size_t i = 0; i < r->ncells; i++) {
		const struct sheet_cell *c = &r->cells[i];
		const char *v = c->text;
		size_t n = c->len;
		char t = 's';
		char *d0, *d;

		if (c->type != SHEET_TEXT)
			t = cell_value(c, tmp, sizeof(tmp), &v, &n);
		d0 = d = rawout_reserve(&o->w, sizeof(o->pre) + 11 + 2 * n + 3);
		memcpy(d, o->pre, sizeof(o->pre));
		d += o->npre;
		d += put_u32(d, c->col);
		*d++ = '\t';
		d += escape(d, v, n);
		*d++ = '\t';
		*d++ = t;
		*d++ = '\n';
		rawout_commit(&o->w, (size_t)(d - d0));
	}
}

/* TSV: the row number, then each cell in its column. */
static void
print_tsv(struct rawout *w, const struct sheet_row *r)
{
	char tmp[64];
	uint32_t col = 0;

	rawout_commit(w, put_u32(rawout_reserve(w, 10), r->row));
	for (size_t i = 0; i < r->ncells; i++) {
		const struct sheet_cell *c = &r->cells[i];
		const char *v;
		size_t n;
		char *d0, *d;

		cell_value(c, tmp, sizeof(tmp), &v, &n);
		d0 = d = rawout_reserve(w, (c->col - col) + 2 * n);
		for (; col < c->col; col++)
			*d++ = '\t';
		d += escape(d, v, n);
		rawout_commit(w, (size_t)(d - d0));
	}
	*rawout_reserve(w, 1) = '\n';
	rawout_commit(w, 1);
}

/* JSON: one object per row. */
static void
print_json(FILE *f, const struct sheet_row *r)
{
	static const char *const jtypes[] = {
		[SHEET_TEXT] = "text", [SHEET_NUMBER] = "number",
		[SHEET_BOOL] = "bool", [SHEET_ERROR] = "error",
		[SHEET_DATE] = "date",
	};
	char tmp[64];

	fprintf(f, "{\"row\":%u,\"cells\":[", (unsigned)r->row);
	for (size_t i = 0; i < r->ncells; i++) {
		const struct sheet_cell *c = &r->cells[i];
		const char *v;
		size_t n;

		cell_value(c, tmp, sizeof(tmp), &v, &n);
		fprintf(f, "%s{\"col\":%u,\"type\":\"%s\",\"value\":",
		        i ? "," : "", (unsigned)c->col, jtypes[c->type]);
		if (c->type == SHEET_NUMBER)
			fputs(tmp, f);
		else if (c->type == SHEET_BOOL)
			fputs(c->boolean ? "true" : "false", f);
		else
			put_json_string(f, v, n);
		fputc('}', f);
	}
	fputs("]}\n", f);
}

static enum err
print_row(void *ctx, const struct sheet_row *r)
{
	struct out *o = ctx;

	switch (o->mode) {
	case MODE_CELLS:
		print_cells(o, r);
		break;
	case MODE_TSV:
		print_tsv(&o->w, r);
		break;
	case MODE_JSON:
		print_json(stdout, r);
		return ferror(stdout) ? ERR_IO : ERR_OK;
	}
	return rawout_failed(&o->w) ? ERR_IO : ERR_OK;
}

static void
part_begin(void *slot, bool direct)
{
	struct out *o = slot;

	/* only a direct part is begun on this thread, where *werr lives */
	o->w.fd = direct ? STDOUT_FILENO : -1;
	o->w.err = direct ? *o->werr : 0;
}

static enum err
part_done(void *slot, bool keep)
{
	struct out *o = slot;

	if (keep) {
		o->w.fd = STDOUT_FILENO;
		if (o->w.err == 0)
			o->w.err = *o->werr;
		rawout_flush(&o->w);
		*o->werr = o->w.err;
	}
	o->w.len = 0;
	o->w.fd = -1;
	return *o->werr != 0 ? ERR_IO : ERR_OK;
}

/* The rows of sheet idx to standard output; *werr is the errno of a failed
 * write, 0 when none. */
static enum err
print_rows(struct sheet_book *b, size_t idx, enum mode mode,
           struct sheet_error *e, int *werr)
{
	struct out slot[NSLOTS];
	void *ctx[NSLOTS];
	const struct sheet_parts p = {
		.begin = part_begin,
		.row = print_row,
		.done = part_done,
		.slot = ctx,
		.nslots = NSLOTS,
	};
	enum err rc;

	*werr = 0;
	memset(slot, 0, sizeof(slot));
	for (size_t k = 0; k < NSLOTS; k++) {
		slot[k].mode = mode;
		slot[k].werr = werr;
		ctx[k] = &slot[k];
	}
	if (mode == MODE_JSON)
		return sheet_read(b, idx, print_row, &slot[0], e);
	for (size_t k = 0; k < NSLOTS; k++)
		rawout_init(&slot[k].w, -1);
	rc = sheet_read_parts(b, idx, &p, e);
	for (size_t k = 0; k < NSLOTS; k++)
		rawout_release(&slot[k].w);
	return rc;
}

static int
refuse(const struct sheet_error *e, const char *path)
{
	cli_print_problem(e->problem, path);
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
		printf(cli_msg(CM_CHECK_FORMAT),
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
				printf(",\"rows\":%u,\"columns\":%u,\"cells\":%llu",
				       (unsigned)d.last_row,
				       (unsigned)d.last_col,
				       (unsigned long long)d.cells);
			printf("}");
			continue;
		}
		printf(cli_msg(CM_CHECK_SHEET), i + 1);
		put_escaped(stdout, si->name);
		if (!si->worksheet)
			fputs(cli_msg(CM_CHECK_NOT_A_WORKSHEET), stdout);
		else if (!ok)
			fputs(cli_msg(CM_CHECK_SHEET_UNREADABLE), stdout);
		else if (d.cells == 0)
			fputs(cli_msg(CM_CHECK_SHEET_EMPTY), stdout);
		else {
			sheet_col_name(d.first_col, c0, sizeof(c0));
			sheet_col_name(d.last_col, c1, sizeof(c1));
			printf(cli_msg(CM_CHECK_SHEET_SIZE), c0,
			       (unsigned)d.first_row, c1, (unsigned)d.last_row,
			       (unsigned)d.rows, (unsigned long long)d.cells);
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

/* What the sandboxed child needs to do the reading and the printing. */
struct check_job {
	const char *path;
	const char *want; /* --sheet, or NULL */
	enum mode mode;
	struct cli_file *in;
	struct sheet_limits *lim;
};

/* Standard output's buffer, set before the sandbox's filter: stdio would
 * otherwise ask fstat() about the descriptor at its first write; and the
 * time zone, which localtime() would otherwise read then. */
static char stdout_buf[65536];

static void
check_prepare(void)
{
	sheet_prepare_sandbox();
	setvbuf(stdout, stdout_buf, _IOFBF, sizeof(stdout_buf));
	tzset(); /* today's date (the report's ages) needs the time zone */
}

/* In the sandboxed child: open, print what was understood and the rows. */
static int
check_in_child(void *ctx, int out)
{
	const struct check_job *j = ctx;
	struct sheet_book *b = NULL;
	struct sheet_error e;
	enum mode mode = j->mode;
	int idx, rc = EXIT_REFUSED, werr;
	enum err e_read;

	(void)out;
	if (sheet_open(j->in->data, j->in->len, j->lim, &b, &e) != ERR_OK) {
		rc = refuse(&e, j->path);
		goto out;
	}
	if (j->want == NULL) {
		idx = sheet_first_worksheet(b);
		if (idx < 0) {
			e.problem = SHEET_P_NO_SHEET;
			snprintf(e.detail, sizeof(e.detail),
			         "the workbook has no worksheet");
			rc = refuse(&e, j->path);
			goto out;
		}
	} else {
		uint64_t n;

		idx = sheet_find(b, j->want);
		if (idx < 0 &&
		    parse_u64(j->want, 1, sheet_count(b), &n) == ERR_OK)
			idx = (int)n - 1;
		if (idx < 0) {
			e.problem = SHEET_P_BAD_SHEET;
			snprintf(e.detail, sizeof(e.detail),
			         "no sheet with that name or number");
			rc = refuse(&e, j->path);
			goto out;
		}
	}
	if (mode != MODE_CELLS)
		print_header(b, mode == MODE_JSON);
	if (mode == MODE_TSV)
		print_understanding(j->in->data, j->in->len, j->lim);
	fflush(stdout); /* what was printed comes before the rows */
	e_read = print_rows(b, (size_t)idx, mode, &e, &werr);
	if (werr != 0) {
		/* a reader that went away (EPIPE) needs no message */
		if (werr != EPIPE)
			fprintf(stderr, "biebsync: standard output: %s\n",
			        strerror(werr));
		goto out;
	}
	if (e_read != ERR_OK) {
		rc = refuse(&e, j->path);
		goto out;
	}
	rc = fflush(stdout) == 0 ? 0 : EXIT_REFUSED;
out:
	fflush(stdout); /* the child ends with _exit() */
	return rc;
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
	struct sheet_error e;
	struct args a;
	struct cli_file in = { 0 };
	struct check_job j = { NULL, NULL, MODE_TSV, &in, &lim };
	struct reader_limits rl;
	struct sandbox_report why;
	int rc;

	if (!args_parse(argc, argv, spec, &a))
		return EXIT_USAGE;
	if (a.nwords != 1 ||
	    (args_get(&a, "json") != NULL && args_get(&a, "cells") != NULL)) {
		fputs(cli_msg(CM_CHECK_USAGE), stderr);
		return EXIT_USAGE;
	}
	if (args_get(&a, "json") != NULL)
		j.mode = MODE_JSON;
	if (args_get(&a, "cells") != NULL)
		j.mode = MODE_CELLS;
	j.path = a.words[0];
	j.want = args_get(&a, "sheet");
	sheet_limits_default(&lim);
	switch (cli_map_file(a.words[0], lim.input_bytes, &in)) {
	case ERR_OK:
		break;
	case ERR_LIMIT:
		e.problem = SHEET_P_TOO_BIG;
		snprintf(e.detail, sizeof(e.detail),
		         "the file is larger than %zu bytes", lim.input_bytes);
		return refuse(&e, a.words[0]);
	default:
		fputs(cli_msg(CM_FILE_UNREADABLE), stdout);
		return EXIT_REFUSED;
	}
	/* The reading and printing run in a sandboxed child, as an upload's
	 * reading does: a hostile file ends that child, nothing more. */
	reader_limits_default(&rl);
	fflush(stdout);
	fflush(stderr);
	switch (run_sandboxed(&rl, check_prepare, check_in_child, &j,
	                      STDOUT_FILENO, &why)) {
	case SANDBOX_OK:
		rc = 0;
		break;
	case SANDBOX_FAILED:
		if (why.status == EXIT_REFUSED) {
			rc = EXIT_REFUSED; /* the child said why */
			break;
		}
		__attribute__((fallthrough));
	default:
		sandbox_problem(&why, &e);
		rc = refuse(&e, a.words[0]);
		break;
	}
	cli_file_release(&in);
	return rc;
}
