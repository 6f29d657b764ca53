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

	printf(L("Kolommen:\n", "Columns:\n"));
	for (size_t i = 0; i < h->ncolumns; i++) {
		const struct roster_column *c = &h->columns[i];

		if (c->use != ROSTER_USE_FIELD)
			continue;
		roster_col_name(c->col, col, sizeof(col));
		printf("  %-3s %-28s -> %s%s\n", col, c->header,
		       roster_field_name(c->field, cli_english()),
		       roster_column_stored(c)
		               ? ""
		               : L(" (gebruikt, niet opgeslagen)",
		                   " (used, not stored)"));
	}
	for (size_t i = 0; i < h->ncolumns; i++) {
		const struct roster_column *c = &h->columns[i];

		if (c->use == ROSTER_USE_FIELD)
			continue;
		if (!any)
			printf(L("Deze kolommen worden niet opgeslagen:\n",
			         "These columns are not stored:\n"));
		any = true;
		roster_col_name(c->col, col, sizeof(col));
		printf("  %-3s %s%s\n", col, c->header,
		       c->use == ROSTER_USE_BSN ? L(" (BSN)", " (BSN)") : "");
	}
}

static void
print_report(const struct roster_file *f)
{
	struct buf b;

	printf(L("Controle: %zu %s, %zu %s\n", "Check: %zu %s, %zu %s\n"),
	       f->nerrors,
	       f->nerrors == 1 ? L("fout", "error") : L("fouten", "errors"),
	       f->nwarnings,
	       f->nwarnings == 1 ? L("waarschuwing", "warning")
	                         : L("waarschuwingen", "warnings"));
	buf_init(&b, 4096);
	for (size_t i = 0; i < f->nissues; i++) {
		const struct roster_issue *is = &f->issues[i];

		enum roster_severity sev = roster_code_severity(is->code);

		/* the columns that are not stored are listed above */
		if (is->code == ROSTER_I_COLUMN_DROPPED ||
		    is->code == ROSTER_I_BSN_COLUMN_DROPPED)
			continue;
		buf_reset(&b);
		roster_issue_format(&b, is, cli_english());
		printf("  %s %s\n",
		       sev == ROSTER_SEV_ERROR     ? L("FOUT", "ERROR")
		       : sev == ROSTER_SEV_WARNING ? L("let op", "warning")
		                                   : L("info", "info"),
		       b.data);
	}
	if (f->issues_omitted > 0)
		printf(L("  ... en nog %zu meldingen\n",
		         "  ... and %zu more issues\n"),
		       f->issues_omitted);
	buf_release(&b);
}

void
cli_print_problem(enum sheet_problem problem, const char *path)
{
	struct buf b;

	buf_init(&b, 4096);
	/* standard input ("-") has no name to show */
	sheet_problem_format(&b, problem, strcmp(path, "-") == 0 ? NULL : path,
	                     cli_english());
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
			printf(L("Indeling: %s, kopregel op rij %u\n",
			         "Layout:   %s, header in row %u\n"),
			       roster_layout_name(h->layout, cli_english()),
			       h->row);
		else
			printf(L("Indeling: %s, blad \"%s\", kopregel op rij %u\n",
			         "Layout:   %s, sheet \"%s\", header in row %u\n"),
			       roster_layout_name(h->layout, cli_english()),
			       src->sheet_name, h->row);
		print_mapping(f);
	}
	print_report(f);
}
