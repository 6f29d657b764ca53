/*
 * Printing what biebsync understood of a student list, for `check` and
 * `import`: the layout and sheet, which column holds what, which columns
 * are not stored, and the validation report with row and column.
 */
#include <stdio.h>

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
		       roster_field_name(c->field, cli_lang()),
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

		if (roster_code_severity(is->code) == ROSTER_SEV_INFO)
			continue;
		buf_reset(&b);
		roster_issue_format(&b, is, cli_lang());
		printf("  %s %s\n",
		       roster_code_severity(is->code) == ROSTER_SEV_ERROR
		               ? L("FOUT", "ERROR")
		               : L("let op", "warning"),
		       b.data);
	}
	if (f->issues_omitted > 0)
		printf(L("  ... en nog %zu meldingen\n",
		         "  ... and %zu more issues\n"),
		       f->issues_omitted);
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
			       roster_layout_name(h->layout, cli_lang()),
			       h->row);
		else
			printf(L("Indeling: %s, blad \"%s\", kopregel op rij %u\n",
			         "Layout:   %s, sheet \"%s\", header in row %u\n"),
			       roster_layout_name(h->layout, cli_lang()),
			       src->sheet_name, h->row);
		print_mapping(f);
	}
	print_report(f);
}
