/*
 * Printing what biebsync understood of a student list, for `check` and
 * `import`: the layout and sheet, which column holds what, which columns
 * are not stored, and the validation report with row and column; or why
 * the file was refused.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "../base/buf.h"
#include "../roster/book.h"

static void
print_mapping(const struct roster_file *f)
{
	const struct roster_header *h = &f->header;
	char col[8];
	bool any = false;

	fputs(cli_msg(CM_REPORT_COLUMNS), stdout);
	for (size_t i = 0; i < h->ncolumns; i++) {
		const struct roster_column *c = &h->columns[i];

		if (c->use != ROSTER_USE_FIELD)
			continue;
		roster_col_name(c->col, col, sizeof(col));
		printf("  %-3s %-28s -> %s%s\n", col, c->header,
		       roster_field_name(c->field, cli_lang()),
		       roster_column_stored(c)
		               ? ""
		               : cli_msg(CM_REPORT_USED_NOT_STORED));
	}
	for (size_t i = 0; i < h->ncolumns; i++) {
		const struct roster_column *c = &h->columns[i];

		if (c->use == ROSTER_USE_FIELD)
			continue;
		if (!any)
			fputs(cli_msg(CM_REPORT_NOT_STORED), stdout);
		any = true;
		roster_col_name(c->col, col, sizeof(col));
		printf("  %-3s %s%s\n", col, c->header,
		       c->use == ROSTER_USE_BSN ? cli_msg(CM_REPORT_BSN) : "");
	}
}

static void
print_report(const struct roster_file *f)
{
	struct buf b;

	printf(cli_msg(CM_REPORT_COUNTS), f->nerrors,
	       f->nerrors == 1 ? cli_msg(CM_REPORT_ERROR)
	                       : cli_msg(CM_REPORT_ERRORS),
	       f->nwarnings,
	       f->nwarnings == 1 ? cli_msg(CM_REPORT_WARNING)
	                         : cli_msg(CM_REPORT_WARNINGS));
	buf_init(&b, 4096);
	for (size_t i = 0; i < f->nissues; i++) {
		const struct roster_issue *is = &f->issues[i];

		enum roster_severity sev = roster_code_severity(is->code);

		/* the columns that are not stored are listed above */
		if (is->code == ROSTER_I_COLUMN_DROPPED ||
		    is->code == ROSTER_I_BSN_COLUMN_DROPPED)
			continue;
		buf_reset(&b);
		roster_issue_format(&b, is, cli_lang());
		printf("  %s %s\n",
		       sev == ROSTER_SEV_ERROR ? cli_msg(CM_REPORT_MARK_ERROR)
		       : sev == ROSTER_SEV_WARNING
		               ? cli_msg(CM_REPORT_MARK_WARNING)
		               : cli_msg(CM_REPORT_MARK_INFO),
		       b.data);
	}
	if (f->issues_omitted > 0)
		printf(cli_msg(CM_REPORT_MORE_ISSUES), f->issues_omitted);
	buf_release(&b);
}

void
cli_print_problem(enum sheet_problem problem, const char *path)
{
	struct buf b;

	buf_init(&b, 4096);
	/* standard input ("-") has no name to show */
	sheet_problem_format(&b, problem, strcmp(path, "-") == 0 ? NULL : path,
	                     cli_lang());
	printf("%s\n", b.data);
	buf_release(&b);
}

void
cli_print_understanding(const struct roster_file *f,
                        const struct roster_source *src)
{
	const struct roster_header *h = &f->header;

	if (h->usable) {
		if (src->format == SHEET_FMT_CSV)
			printf(cli_msg(CM_REPORT_LAYOUT_CSV),
			       roster_layout_name(h->layout, cli_lang()),
			       h->row);
		else
			printf(cli_msg(CM_REPORT_LAYOUT_SHEET),
			       roster_layout_name(h->layout, cli_lang()),
			       src->sheet_name, h->row);
		print_mapping(f);
	}
	print_report(f);
}
