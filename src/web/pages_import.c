/*
 * "Upload Leerlingbestand": the upload form, the preview of what changes,
 * confirming, cancelling, the history of uploads and undoing the last one,
 * plus the example file, the report download and the export guides.
 *
 * Every import is looked up within the session's school (library staff may
 * look at every school's imports but not change them), so another school's
 * id answers 404.  The uploaded file lives only in memory: it is read,
 * compared and staged as a preview by the import layer (src/import/), which
 * also decides whether a preview may be confirmed; the pages render the
 * stored preview and the layer's outcomes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pages.h"
#include "xlsx.h"
#include "../base/log.h"
#include "../base/mem.h"
#include "../base/text.h"
#include "../import/import.h"
#include "../roster/norm.h"

/* ---- small helpers ---- */

static const enum msg state_msg[IMPORT__MAX] = {
	[IMPORT_PREVIEW] = MSG_STATE_PREVIEW,
	[IMPORT_APPLIED] = MSG_STATE_APPLIED,
	[IMPORT_CANCELLED] = MSG_STATE_CANCELLED,
	[IMPORT_EXPIRED] = MSG_STATE_EXPIRED,
	[IMPORT_UNDONE] = MSG_STATE_UNDONE,
};

const char *
import_state_label(struct page *p, enum import_state s)
{
	return page_msg(p, (unsigned)s < IMPORT__MAX ? state_msg[s]
	                                             : MSG_STATE_PREVIEW);
}

/* The layout's name in the page's language (stored in English). */
static const char *
layout_label(struct page *p, const char *stored)
{
	for (int l = 0; l < ROSTER_LAYOUT__MAX; l++)
		if (strcmp(roster_layout_name((enum roster_layout)l, LANG_EN),
		           stored) == 0)
			return roster_layout_name((enum roster_layout)l,
			                          p->lang);
	return stored;
}

/* The import in the path, within the session's school; false (after a
 * 404 page) when there is none. */
static bool
load_import(struct page *p, struct import_rec *rec)
{
	int64_t school = p->acct.role == ROLE_DOCENT ? p->acct.school_id : 0;

	if (store_import_get(p->web->st, school, p->id, rec) == ERR_OK)
		return true;
	page_message(p, 404, MSG_NOTFOUND_TITLE, MSG_NOTFOUND_BODY);
	return false;
}

/* ---- help pages ---- */

void
get_help_guide(struct page *p)
{
	static const struct {
		const char *path;
		enum msg title, body;
	} guides[] = {
		{ "/help/parnassys", MSG_GUIDE_PARNASSYS,
		  MSG_HELP_PARNASSYS_BODY },
		{ "/help/esis", MSG_GUIDE_ESIS, MSG_HELP_ESIS_BODY },
		{ "/help/dotcom", MSG_GUIDE_DOTCOM, MSG_HELP_DOTCOM_BODY },
	};
	struct buf *b = &p->resp->body;

	for (size_t i = 0; i < sizeof(guides) / sizeof(guides[0]); i++) {
		if (strcmp(p->req->path, guides[i].path) != 0)
			continue;
		page_begin(p, page_msg(p, guides[i].title));
		html(b,
		     "<section class=\"card prose\"><h1>%s</h1>%S"
		     "<p><a href=\"/docent/upload\">%s</a></p></section>",
		     page_msg(p, guides[i].title), page_msg(p, guides[i].body),
		     page_msg(p, MSG_BACK_TO_UPLOAD));
		page_end(p);
		return;
	}
	page_message(p, 404, MSG_NOTFOUND_TITLE, MSG_NOTFOUND_BODY);
}

/* ---- the upload form ---- */

static void
upload_page(struct page *p, int status, const char *error)
{
	struct buf *b = &p->resp->body;

	p->resp->status = status;
	buf_reset(b);
	page_begin(p, page_msg(p, MSG_UPLOAD));
	html(b, "<section class=\"card\"><h1>%s</h1>", page_msg(p, MSG_UPLOAD));
	if (error != NULL)
		html(b,
		     "<div class=\"error-summary\" role=\"alert\" tabindex=\"-1\" id=\"fouten\"><h2>%s</h2>"
		     "<p><a href=\"#bestand\">%s</a></p></div>",
		     page_msg(p, MSG_ERROR_SUMMARY), error);
	if (http_query(p->req, "geannuleerd") != NULL)
		html(b, "<p class=\"notice\" role=\"status\">%s</p>",
		     page_msg(p, MSG_CANCELLED_TITLE));
	html(b,
	     "<p>%s</p><p>%s</p>%S<p class=\"avg\">%s</p>"
	     "<form method=\"post\" action=\"/docent/upload\" enctype=\"multipart/form-data\" class=\"form upload\" id=\"upload-form\">",
	     page_msg(p, MSG_UPLOAD_INTRO), page_msg(p, MSG_UPLOAD_NEEDS),
	     page_msg(p, MSG_UPLOAD_COLUMNS), page_msg(p, MSG_UPLOAD_AVG));
	page_csrf_input(p);
	html(b,
	     "<label for=\"bestand\">%s</label>"
	     "<div class=\"dropzone\" id=\"dropzone\">"
	     "<p class=\"hint\" id=\"bestand-hint\">%s</p>"
	     "<input id=\"bestand\" name=\"bestand\" type=\"file\" required accept=\".xlsx,.xlsm,.xls,.ods,.csv,.txt,.xml\" aria-describedby=\"bestand-hint\"></div>"
	     "<div class=\"progress\" id=\"progress\" hidden>"
	     "<progress id=\"progress-bar\" max=\"100\" value=\"0\" aria-label=\"%s\"></progress>"
	     "<span id=\"progress-text\" role=\"status\"></span></div>"
	     "<button type=\"submit\" class=\"primary\">%s <span class=\"arrow\" aria-hidden=\"true\">\xe2\x9e\x9c</span>"
	     "</button></form>"
	     "<p><a href=\"/docent/voorbeeldbestand.xlsx\" download>%s</a>"
	     " (.xlsx)</p></section>"
	     "<section class=\"card\"><h2>%s</h2><ul>"
	     "<li><a href=\"/help/parnassys\">%s</a></li>"
	     "<li><a href=\"/help/esis\">%s</a></li>"
	     "<li><a href=\"/help/dotcom\">%s</a></li>"
	     "<li><a href=\"/help/uploaden\">%s</a></li></ul>"
	     "<p><a href=\"/docent/imports\">%s</a></p></section>"
	     "<script src=\"/static/upload.js\" defer></script>",
	     page_msg(p, MSG_FILE_LABEL), page_msg(p, MSG_DROP_HINT),
	     page_msg(p, MSG_UPLOADING), page_msg(p, MSG_UPLOAD_BUTTON),
	     page_msg(p, MSG_EXAMPLE), page_msg(p, MSG_GUIDES),
	     page_msg(p, MSG_GUIDE_PARNASSYS), page_msg(p, MSG_GUIDE_ESIS),
	     page_msg(p, MSG_GUIDE_DOTCOM), page_msg(p, MSG_HELP_UPLOAD_TITLE),
	     page_msg(p, MSG_IMPORTS));
	page_end(p);
}

void
get_upload(struct page *p)
{
	upload_page(p, 200, NULL);
}

void
upload_too_large(struct page *p)
{
	struct buf *b = &p->resp->body;
	size_t max = p->web->cfg.imports.max_upload;
	char limit[64];

	/* "10 MB", "2,5 MB", "256 kB": never "0 MB" for a small limit */
	if (max % (1u << 20) == 0)
		snprintf(limit, sizeof(limit), "%zu MB", max >> 20);
	else if (max >= 1u << 20)
		snprintf(limit, sizeof(limit), "%zu%s%zu MB", max >> 20,
		         page_msg(p, MSG_DECIMAL_SEP),
		         (max % (1u << 20)) * 10 >> 20);
	else
		snprintf(limit, sizeof(limit), "%zu kB", max >> 10);
	p->resp->status = 413;
	page_begin(p, page_msg(p, MSG_TOO_LARGE_TITLE));
	html(b,
	     "<section class=\"card\"><h1>%s</h1><p>%s</p><p>%s: %s</p>"
	     "<p><a href=\"/docent/upload\">%s</a></p></section>",
	     page_msg(p, MSG_TOO_LARGE_TITLE), page_msg(p, MSG_TOO_LARGE_BODY),
	     page_msg(p, MSG_LARGEST_FILE), limit,
	     page_msg(p, MSG_BACK_TO_UPLOAD));
	page_end(p);
}

void
post_upload(struct page *p)
{
	const struct store_actor who = page_actor(p);
	struct import_preview *pv;
	char where[64];
	enum err e;

	/* no file chosen: no file part, or (what a browser sends) an empty
	 * one without a name; a chosen file of 0 bytes is refused below as
	 * empty, by its name */
	if (p->file == NULL ||
	    (p->file->filename[0] == '\0' && p->file->data.len == 0)) {
		upload_page(p, 422, page_msg(p, MSG_NO_FILE));
		return;
	}
	pv = xcalloc(1, sizeof(*pv));
	e = import_read(p->web->st, &p->web->cfg.imports, p->acct.school_id,
	                p->file->filename, p->file->data.data,
	                p->file->data.len, pv);
	if (e == ERR_INVALID || e == ERR_LIMIT) {
		struct buf why;

		log_info(p->req->rid, "upload refused: %s (%s)",
		         sheet_problem_str(pv->err.problem), pv->err.detail);
		buf_init(&why, 4096);
		sheet_problem_format(&why, pv->err.problem, p->file->filename,
		                     p->lang);
		upload_page(p, 422, why.data);
		buf_release(&why);
	} else if (e != ERR_OK ||
	           import_stage(p->web->st, &who, pv) != ERR_OK) {
		page_message(p, 500, MSG_ERROR_TITLE, MSG_ERROR_BODY);
	} else {
		log_info(p->req->rid, "preview %lld staged: %zu rows",
		         (long long)pv->rec.id, pv->file.nstudents);
		snprintf(where, sizeof(where), "/docent/import/%lld",
		         (long long)pv->rec.id);
		page_redirect(p, where);
	}
	import_preview_release(pv);
	free(pv);
}

/* ---- the example file ---- */

static void
fill_example(lxw_workbook *wb, void *arg)
{
	static const char *const head[] = { "Leerlingnummer", "Roepnaam",
		                            "Tussenvoegsel",  "Achternaam",
		                            "Geboortedatum",  "Groep" };
	/* The example must read without a single warning, so its children
	 * are as old as their groep in this school year (groep g: born
	 * g + 3 years before the year it started), and its group names fit
	 * the library system's limits (no "/"). */
	static const struct {
		const char *nr, *first, *prefix, *last;
		int g, m, d;
		const char *group;
	} rows[] = {
		{ "1001", "Zoë", "", "Jansen", 3, 3, 14, "Groep 3a" },
		{ "1002", "Daan", "van den", "Berg", 4, 11, 2, "Groep 4" },
		{ "1003", "Fenna", "de", "Vries", 6, 6, 30, "Groep 6" },
		{ "1004", "Jaïr", "", "El Idrissi", 7, 1, 9, "Groep 7" },
		{ "1005", "Chloë", "'t", "Hart", 8, 9, 21, "Groep 8" },
	};
	lxw_worksheet *ws = workbook_add_worksheet(wb, "Leerlingen");
	lxw_format *bold = workbook_add_format(wb);
	lxw_format *date = workbook_add_format(wb);
	int32_t today = date_today();
	int start; /* the year this school year began */

	(void)arg;
	start = today / 10000 - (today / 100 % 100 < 8 ? 1 : 0);
	format_set_bold(bold);
	format_set_num_format(date, "dd-mm-yyyy");
	for (int c = 0; c < 6; c++)
		worksheet_write_string(ws, 0, (lxw_col_t)c, head[c], bold);
	worksheet_set_column(ws, 0, 5, 16, NULL);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		lxw_datetime dt = {
			start - rows[i].g - 3, rows[i].m, rows[i].d, 0, 0, 0
		};
		lxw_row_t r = (lxw_row_t)i + 1;

		worksheet_write_string(ws, r, 0, rows[i].nr, NULL);
		worksheet_write_string(ws, r, 1, rows[i].first, NULL);
		worksheet_write_string(ws, r, 2, rows[i].prefix, NULL);
		worksheet_write_string(ws, r, 3, rows[i].last, NULL);
		worksheet_write_datetime(ws, r, 4, &dt, date);
		worksheet_write_string(ws, r, 5, rows[i].group, NULL);
	}
}

static void
send_xlsx(struct page *p, struct buf *x, const char *name)
{
	char disp[160];

	p->resp->content_type =
	        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	snprintf(disp, sizeof(disp), "attachment; filename=\"%s\"", name);
	http_add_header(p->resp, "Content-Disposition", disp);
	buf_reset(&p->resp->body);
	buf_add(&p->resp->body, x->data, x->len);
}

void
get_example(struct page *p)
{
	struct buf x;

	buf_init(&x, 1u << 20);
	if (xlsx_build(fill_example, NULL, &x) != ERR_OK)
		page_message(p, 500, MSG_ERROR_TITLE, MSG_ERROR_BODY);
	else
		send_xlsx(p, &x, "voorbeeldbestand.xlsx");
	buf_release(&x);
}

/* ---- the preview and result page ---- */

/* Journal rows rendered into one table per listed change kind. */
struct tables {
	struct page *p;
	struct buf rows[CHANGE__MAX];
	size_t n[CHANGE__MAX];
};

/* Does a kind's table have a column saying what changes? */
static bool
has_fields(enum change_kind k)
{
	return k != CHANGE_NEW && k != CHANGE_LEFT;
}

static int
table_row(enum change_kind kind, const struct student *before,
          const struct student *after, void *arg)
{
	struct tables *t = arg;
	const struct student *s = after ? after : before;
	struct field_change f[FIELD__MAX];
	struct buf *b;
	char name[200], born[16];
	size_t n;

	if (!change_listed(kind))
		return 0;
	b = &t->rows[kind];
	t->n[kind]++;
	student_name(s, name, sizeof(name));
	norm_date_fmt(s->birth, born, sizeof(born));
	html(b, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td>", s->number,
	     name, born, s->group);
	if (has_fields(kind)) {
		n = before && after ? change_fields(before, after, f) : 0;
		html(b, "<td>");
		for (size_t i = 0; i < n; i++)
			html(b,
			     "%s<span class=\"field\">%s: <del>%s</del> \xe2\x86\x92 <ins>%s</ins></span>",
			     i ? "; " : "",
			     change_field_label(f[i].field, t->p->lang),
			     f[i].before, f[i].after);
		html(b, "</td>");
	}
	html(b, "</tr>");
	return 0;
}

static void
change_tables(struct page *p, const struct import_rec *rec)
{
	struct buf *b = &p->resp->body;
	struct tables *t = xcalloc(1, sizeof(*t));

	t->p = p;
	for (int k = 0; k < CHANGE__MAX; k++)
		buf_init(&t->rows[k], 16u << 20);
	store_import_changes(p->web->st, rec->id, table_row, t);
	for (int i = 0; i < CHANGE__MAX; i++) {
		enum change_kind k = change_order[i];

		if (t->n[k] == 0)
			continue;
		html(b,
		     "<details class=\"changes\"><summary>%s (%lld)</summary><div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"%s\"><table><thead><tr>"
		     "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>",
		     change_label(k, p->lang), (long long)t->n[k],
		     change_label(k, p->lang), page_msg(p, MSG_COL_NUMBER),
		     page_msg(p, MSG_COL_STUDENT), page_msg(p, MSG_COL_BIRTH),
		     page_msg(p, MSG_COL_GROUP));
		if (has_fields(k))
			html(b, "<th scope=\"col\">%s</th>",
			     page_msg(p, MSG_COL_CHANGE));
		html(b, "</tr></thead><tbody>");
		buf_add(b, t->rows[k].data, t->rows[k].len);
		html(b, "</tbody></table></div></details>");
	}
	for (int k = 0; k < CHANGE__MAX; k++)
		buf_release_secret(&t->rows[k]);
	free(t);
}

/* The file's columns and what each was used for. */
static void
column_table(struct page *p, const struct import_rec *rec)
{
	struct buf *b = &p->resp->body;
	struct column_line *c = NULL;
	size_t n = 0;
	char letters[8];

	store_import_columns(p->web->st, rec->id, &c, &n);
	if (n > 0) {
		html(b,
		     "<section class=\"card\"><details><summary>%s</summary><div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"%s\"><table><thead><tr>"
		     "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>",
		     page_msg(p, MSG_MAPPING), page_msg(p, MSG_MAPPING),
		     page_msg(p, MSG_COLUMN), page_msg(p, MSG_COL_NAME),
		     page_msg(p, MSG_USED_AS));
		for (size_t i = 0; i < n; i++) {
			roster_col_name(c[i].col, letters, sizeof(letters));
			html(b, "<tr><td>%s</td><td>%s</td><td>%s</td></tr>",
			     letters, c[i].header,
			     c[i].stored
			             ? roster_field_name(c[i].field, p->lang)
			     : c[i].bsn ? page_msg(p, MSG_NOT_STORED_BSN)
			                : page_msg(p, MSG_NOT_STORED));
		}
		html(b, "</tbody></table></div></details></section>");
	}
	free(c);
}

/* Groups drawn in the chart at most (the table lists every one). */
#define GROUPS_CHARTED 200

/* A group's name for the chart: cut (at a character boundary, with an
 * ellipsis) so that it fits above its bars. */
static void
chart_label(const char *name, char *out, size_t outsz)
{
	size_t max = 40;

	if (strlen(name) <= max) {
		snprintf(out, outsz, "%s", name);
		return;
	}
	while (max > 0 && ((unsigned char)name[max] & 0xc0) == 0x80)
		max--;
	snprintf(out, outsz, "%.*s\xe2\x80\xa6", (int)max, name);
}

/* Students per group before and after, as horizontal bars drawn by the
 * server (no script, no inline style: SVG presentation attributes).  Each
 * group's name stands above its two bars, so a long name is never cut off
 * and the chart stays legible when a phone scales it down; it is drawn at
 * its natural size (the style sheet only shrinks it to fit). */
static void
group_chart(struct page *p, const struct group_line *g, size_t n)
{
	struct buf *b = &p->resp->body;
	const int width = 440, longest = width - 44, bar = 11;
	const int step = 18 + 2 * bar + 10, top = 28;
	int h;
	int64_t max = 0;
	char name[200];

	if (n > GROUPS_CHARTED)
		n = GROUPS_CHARTED;
	if (n == 0)
		return;
	for (size_t i = 0; i < n; i++) {
		if (g[i].n_before > max)
			max = g[i].n_before;
		if (g[i].n_after > max)
			max = g[i].n_after;
	}
	h = top + (int)n * step;
	html(b,
	     "<h2>%s</h2><figure class=\"chart\"><svg role=\"img\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" aria-labelledby=\"chart-title\"><title id=\"chart-title\">%s"
	     "</title>",
	     page_msg(p, MSG_GROUPS_CHART), width, h, width, h,
	     page_msg(p, MSG_GROUPS_CHART));
	html(b,
	     "<rect x=\"0\" y=\"4\" width=\"12\" height=\"12\" fill=\"#6b7a8c\"/><text x=\"18\" y=\"15\" font-size=\"13\">"
	     "%s</text><rect x=\"130\" y=\"4\" width=\"12\" height=\"12\" fill=\"#c2410c\"/><text x=\"148\" y=\"15\" font-size=\"13\">%s</text>",
	     page_msg(p, MSG_NOW), page_msg(p, MSG_AFTER));
	for (size_t i = 0; i < n; i++) {
		int y = top + (int)i * step;
		int wb = max ? (int)(g[i].n_before * longest / max) : 0;
		int wa = max ? (int)(g[i].n_after * longest / max) : 0;

		chart_label(g[i].n_after > 0 ? g[i].after : g[i].before, name,
		            sizeof(name));
		html(b,
		     "<text x=\"0\" y=\"%d\" font-size=\"14\" font-weight=\"600\">%s</text>"
		     "<rect x=\"0\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#6b7a8c\"/><text x=\"%d\" y=\"%d\" font-size=\"12\">%d</text>"
		     "<rect x=\"0\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#c2410c\"/><text x=\"%d\" y=\"%d\" font-size=\"12\">%d</text>",
		     y + 14, name, y + 18, wb, bar, wb + 5, y + 18 + bar - 1,
		     (int)g[i].n_before, y + 18 + bar, wa, bar, wa + 5,
		     y + 18 + 2 * bar - 1, (int)g[i].n_after);
	}
	html(b, "</svg></figure>");
}

/* The groups after the import: their students now and after, and the code
 * the library system gives each (information, nothing to do); groups that
 * are only written differently are one line each. */
static void
group_table(struct page *p, const struct group_line *g, size_t n)
{
	struct buf *b = &p->resp->body;
	char nb[24], na[24];
	bool renamed = false;

	for (size_t i = 0; i < n; i++)
		renamed = renamed || group_renamed(&g[i]);
	if (renamed) {
		html(b, "<h3>%s</h3><ul class=\"renamed\">",
		     change_label(CHANGE_GROUP_NAME, p->lang));
		for (size_t i = 0; i < n; i++) {
			if (!group_renamed(&g[i]))
				continue;
			snprintf(na, sizeof(na), "%lld",
			         (long long)g[i].n_after);
			html(b, "<li>");
			html(b,
			     page_msg(p, g[i].n_after == 1
			                         ? MSG_GROUP_RENAMED_ONE
			                         : MSG_GROUP_RENAMED),
			     g[i].before, g[i].after, na);
			html(b, "</li>");
		}
		html(b, "</ul>");
	}
	if (n == 0)
		return;
	html(b,
	     "<details class=\"groups\"><summary>%s (%lld)</summary><div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"%s\"><table><thead><tr>"
	     "<th scope=\"col\">%s</th><th scope=\"col\" class=\"num\">%s</th><th scope=\"col\" class=\"num\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>",
	     page_msg(p, MSG_GROUPS_TABLE), (long long)n,
	     page_msg(p, MSG_GROUPS_TABLE), page_msg(p, MSG_COL_GROUP),
	     page_msg(p, MSG_NOW), page_msg(p, MSG_AFTER),
	     page_msg(p, MSG_COL_LIBRARY_CODE));
	for (size_t i = 0; i < n; i++) {
		snprintf(nb, sizeof(nb), "%lld", (long long)g[i].n_before);
		snprintf(na, sizeof(na), "%lld", (long long)g[i].n_after);
		html(b,
		     "<tr><td>%s</td><td class=\"num\">%s</td><td class=\"num\">%s</td><td>%s</td></tr>",
		     g[i].n_after > 0 ? g[i].after : g[i].before, nb, na,
		     g[i].code);
	}
	html(b, "</tbody></table></div></details>");
}

struct issue_view {
	struct page *p;
	int n;
};

static int
issue_row(const struct roster_issue *is, void *arg)
{
	struct issue_view *v = arg;
	struct buf line;
	enum roster_severity sev = roster_code_severity(is->code);

	buf_init(&line, 4096);
	roster_issue_format(&line, is, v->p->lang);
	html(&v->p->resp->body, "<li class=\"%s\"><strong>%s</strong> %s</li>",
	     sev == ROSTER_SEV_ERROR     ? "issue-error"
	     : sev == ROSTER_SEV_WARNING ? "issue-warning"
	                                 : "issue-info",
	     page_msg(v->p, sev == ROSTER_SEV_ERROR     ? MSG_ERROR
	                    : sev == ROSTER_SEV_WARNING ? MSG_WARNING
	                                                : MSG_INFO),
	     line.data);
	buf_release(&line);
	v->n++;
	return 0;
}

/* Render the page for rec.  A refusal (o other than IMPORT_OK) is said at
 * the top with a link to what fixes it: the checkbox, or (the preview can
 * never be applied) a new upload; notice is a status line (MSG__MAX: none). */
static void
import_page(struct page *p, const struct import_rec *rec, int status,
            enum import_outcome o, enum msg notice)
{
	struct buf *b = &p->resp->body;
	struct issue_view iv = { p, 0 };
	struct group_line *groups = NULL;
	char when[32], n1[24], n2[24], base[64];
	bool docent = p->acct.role == ROLE_DOCENT;
	bool final = o == IMPORT_STALE || o == IMPORT_EXPIRED_NOW;
	bool open = rec->state == IMPORT_PREVIEW && docent && !rec->blocked &&
	            !final;
	enum msg title = rec->state == IMPORT_APPLIED     ? MSG_APPLIED_TITLE
	                 : rec->state == IMPORT_CANCELLED ? MSG_CANCELLED_TITLE
	                 : rec->state == IMPORT_EXPIRED   ? MSG_EXPIRED_TITLE
	                 : rec->state == IMPORT_UNDONE    ? MSG_UNDONE_TITLE
	                                                  : MSG_PREVIEW_TITLE;
	size_t ngroups = 0;

	p->resp->status = status;
	buf_reset(b);
	snprintf(base, sizeof(base), "/docent/import/%lld", (long long)rec->id);
	time_fmt_local(rec->created, when, sizeof(when));
	page_begin(p, page_msg(p, title));
	html(b, "<section class=\"card\"><h1>%s</h1>", page_msg(p, title));
	if (o != IMPORT_OK)
		html(b,
		     "<div class=\"error-summary\" role=\"alert\" tabindex=\"-1\"><h2>%s</h2><p><a href=\"%s\">%s</a></p></div>",
		     page_msg(p, MSG_ERROR_SUMMARY),
		     o == IMPORT_GUARD_NEEDED ? "#zeker" : "/docent/upload",
		     o == IMPORT_GUARD_NEEDED ? page_msg(p, MSG_GUARD_NEEDED)
		     : o == IMPORT_STALE      ? page_msg(p, MSG_CONFLICT)
		     : o == IMPORT_NOT_LAST   ? page_msg(p, MSG_UNDO_NOT_LAST)
		                            : import_outcome_text(o, p->lang));
	else if (notice != MSG__MAX)
		html(b, "<p class=\"notice\" role=\"status\">%s</p>",
		     page_msg(p, notice));
	if (open)
		html(b, "<p>%s</p>", page_msg(p, MSG_PREVIEW_INTRO));
	if (rec->blocked)
		html(b, "<p class=\"blocked\" role=\"alert\">%s</p>",
		     page_msg(p, MSG_BLOCKED));
	html(b,
	     "<dl class=\"details\"><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd>",
	     page_msg(p, MSG_FILE), rec->filename, page_msg(p, MSG_FORMAT),
	     rec->format);
	if (rec->header_row > 0)
		html(b, "<dt>%s</dt><dd>%s</dd>", page_msg(p, MSG_LAYOUT),
		     layout_label(p, rec->layout));
	if (rec->header_row > 0 && strcmp(rec->format, "csv") != 0)
		html(b, "<dt>%s</dt><dd>%s</dd>", page_msg(p, MSG_SHEET),
		     rec->sheet);
	if (rec->header_row > 0)
		html(b, "<dt>%s</dt><dd>%lld</dd>", page_msg(p, MSG_HEADER_ROW),
		     (long long)rec->header_row);
	html(b,
	     "<dt>%s</dt><dd>%s, %s</dd><dt>%s</dt><dd>%s</dd></dl></section>",
	     page_msg(p, MSG_UPLOADED_BY), rec->actor, when,
	     page_msg(p, MSG_STATE), import_state_label(p, rec->state));

	/* counts: every kind that occurs, and the unchanged students */
	if (!rec->blocked) {
		html(b,
		     "<section class=\"card\"><h2>%s</h2><table class=\"counts\"><tbody>",
		     page_msg(p, MSG_SUMMARY));
		for (int i = 0; i < CHANGE__MAX; i++) {
			enum change_kind k = change_order[i];

			if (rec->counts[k] == 0 && k != CHANGE_UNCHANGED)
				continue;
			html(b,
			     "<tr><th scope=\"row\">%s</th><td class=\"num\">%lld</td></tr>",
			     change_label(k, p->lang),
			     (long long)rec->counts[k]);
		}
		html(b, "</tbody></table>");
		if (import_nothing_changes(rec) && rec->state == IMPORT_PREVIEW)
			html(b, "<p class=\"notice\">%s</p>",
			     page_msg(p, MSG_NOTHING_CHANGES));
		store_import_groups(p->web->st, rec->id, &groups, &ngroups);
		group_chart(p, groups, ngroups);
		group_table(p, groups, ngroups);
		change_tables(p, rec);
		html(b, "</section>");
		free(groups);
	}

	/* issues */
	html(b, "<section class=\"card\"><h2>%s</h2><ul class=\"issues\">",
	     page_msg(p, MSG_ISSUES));
	store_import_issues(p->web->st, rec->id, issue_row, &iv);
	html(b, "</ul>");
	if (iv.n == 0)
		html(b, "<p>%s</p>", page_msg(p, MSG_NO_ISSUES));
	else
		html(b, "<p><a href=\"%s/rapport.xlsx\" download>%s</a></p>",
		     base, page_msg(p, MSG_REPORT_DOWNLOAD));
	html(b, "</section>");
	column_table(p, rec);

	/* decisions */
	if (open) {
		html(b,
		     "<section class=\"card decide\"><form method=\"post\" action=\"%s/bevestigen\" class=\"form\">",
		     base);
		page_csrf_input(p);
		snprintf(n2, sizeof(n2), "%lld", (long long)rec->active_before);
		if (rec->guard_unenrol) {
			snprintf(n1, sizeof(n1), "%lld",
			         (long long)rec->counts[CHANGE_LEFT]);
			html(b, "<p class=\"guard\" role=\"alert\">");
			html(b, page_msg(p, MSG_GUARD_UNENROL), n1, n2);
			html(b, "</p>");
		}
		if (rec->guard_match) {
			snprintf(n1, sizeof(n1), "%lld",
			         (long long)rec->matched);
			html(b, "<p class=\"guard\" role=\"alert\">");
			html(b, page_msg(p, MSG_GUARD_MATCH), n1, n2);
			html(b, "</p>");
		}
		if (rec->guard)
			html(b,
			     "<p class=\"check\"><input type=\"checkbox\" id=\"zeker\" name=\"zeker\" value=\"ja\"> <label for=\"zeker\">%s</label></p>",
			     page_msg(p, MSG_GUARD_CHECK));
		html(b,
		     "<div class=\"buttons\"><button type=\"submit\" class=\"primary\">%s</button></div></form>"
		     "<form method=\"post\" action=\"%s/annuleren\">",
		     page_msg(p, MSG_CONFIRM), base);
		page_csrf_input(p);
		html(b,
		     "<button type=\"submit\" class=\"secondary\">%s</button></form></section>",
		     page_msg(p, MSG_CANCEL));
	}
	if (rec->state == IMPORT_PREVIEW && (rec->blocked || final) && docent)
		html(b,
		     "<section class=\"card\"><p><a class=\"button\" href=\"/docent/upload\">%s</a></p></section>",
		     page_msg(p, MSG_BACK_TO_UPLOAD));
	if (rec->state == IMPORT_APPLIED && docent &&
	    import_last_applied(p->web->st, rec->school_id) == rec->id)
		html(b,
		     "<section class=\"card\"><p><a class=\"button\" href=\"%s/ongedaan-maken\">%s</a></p></section>",
		     base, page_msg(p, MSG_UNDO));
	html(b, "<p><a href=\"%s\">%s</a></p>",
	     docent ? "/docent/imports" : "/", page_msg(p, MSG_RESULT_NEXT));
	page_end(p);
}

void
get_import(struct page *p)
{
	struct import_rec rec;

	if (!load_import(p, &rec))
		return;
	import_page(p, &rec, 200, IMPORT_OK,
	            http_query(p->req, "ongedaan") ? MSG_DONE_UNDO : MSG__MAX);
}

/* ---- decisions ---- */

/* The page after a refused decision: 404 for an import the school does
 * not have, 422 for what the school can fix here (the checkbox), 409 for a
 * preview that can no longer be applied, 500 for the database. */
static void
refused(struct page *p, const struct import_rec *rec, enum import_outcome o)
{
	if (o == IMPORT_NOT_FOUND) {
		page_message(p, 404, MSG_NOTFOUND_TITLE, MSG_NOTFOUND_BODY);
		return;
	}
	if (o == IMPORT_DB_FULL || o == IMPORT_DB_BUSY || o == IMPORT_FAILED) {
		log_error(p->req->rid, "import %lld: %s", (long long)p->id,
		          import_outcome_text(o, LANG_EN));
		page_message(p, 500, MSG_ERROR_TITLE, MSG_ERROR_BODY);
		return;
	}
	import_page(p, rec,
	            o == IMPORT_GUARD_NEEDED || o == IMPORT_BLOCKED ? 422 : 409,
	            o, MSG__MAX);
}

void
post_confirm(struct page *p)
{
	const struct store_actor who = page_actor(p);
	struct import_rec rec;
	enum import_outcome o;
	char where[64];

	/* the routes of decisions are a docent's: within their school */
	o = import_confirm(p->web->st, &p->web->cfg.imports, &who,
	                   p->acct.school_id, p->id,
	                   strcmp(page_field(p, "zeker"), "ja") == 0, &rec);
	snprintf(where, sizeof(where), "/docent/import/%lld", (long long)p->id);
	if (o == IMPORT_OK || o == IMPORT_NOT_PREVIEW) /* twice: once */
		page_redirect(p, where);
	else
		refused(p, &rec, o);
}

void
post_cancel(struct page *p)
{
	const struct store_actor who = page_actor(p);
	struct import_rec rec;
	enum import_outcome o;

	o = import_cancel(p->web->st, &who, p->acct.school_id, p->id, &rec);
	if (o == IMPORT_OK)
		page_redirect(p, "/docent/upload?geannuleerd=1");
	else
		refused(p, &rec, o);
}

void
get_undo(struct page *p)
{
	struct buf *b = &p->resp->body;
	struct import_rec rec;

	if (!load_import(p, &rec))
		return;
	if (rec.state != IMPORT_APPLIED) {
		import_page(p, &rec, 409, IMPORT_NOT_LAST, MSG__MAX);
		return;
	}
	page_begin(p, page_msg(p, MSG_UNDO_TITLE));
	html(b,
	     "<section class=\"card\"><h1>%s</h1><p>%s</p><p>%s: %s</p><form method=\"post\" action=\"/docent/import/%lld/ongedaan-maken\">",
	     page_msg(p, MSG_UNDO_TITLE), page_msg(p, MSG_UNDO_BODY),
	     page_msg(p, MSG_FILE), rec.filename, (long long)rec.id);
	page_csrf_input(p);
	html(b,
	     "<button type=\"submit\" class=\"primary\">%s</button></form><p><a href=\"/docent/import/%lld\">%s</a></p></section>",
	     page_msg(p, MSG_UNDO), (long long)rec.id, page_msg(p, MSG_CANCEL));
	page_end(p);
}

void
post_undo(struct page *p)
{
	const struct store_actor who = page_actor(p);
	struct import_rec rec;
	enum import_outcome o;
	char where[80];

	o = import_undo(p->web->st, &who, p->acct.school_id, p->id, &rec);
	if (o != IMPORT_OK) {
		refused(p, &rec, o);
		return;
	}
	snprintf(where, sizeof(where), "/docent/import/%lld?ongedaan=1",
	         (long long)p->id);
	page_redirect(p, where);
}

/* ---- history ---- */

static int
history_row(const struct import_rec *r, void *arg)
{
	struct page *p = arg;
	char when[32];

	time_fmt_local(r->created, when, sizeof(when));
	html(&p->resp->body,
	     "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td>"
	     "<td>%lld %s, %lld %s, %lld %s</td>"
	     "<td><a href=\"/docent/import/%lld\">%s</a></td></tr>",
	     when, r->actor, r->filename, import_state_label(p, r->state),
	     (long long)r->counts[CHANGE_NEW],
	     change_label(CHANGE_NEW, p->lang),
	     (long long)r->counts[CHANGE_LEFT],
	     change_label(CHANGE_LEFT, p->lang),
	     (long long)(r->counts[CHANGE_MOVED] + r->counts[CHANGE_CORRECTED] +
	                 r->counts[CHANGE_REENROLLED] +
	                 r->counts[CHANGE_RENUMBERED]),
	     page_msg(p, MSG_OTHER_CHANGES), (long long)r->id,
	     page_msg(p, MSG_VIEW));
	return 0;
}

static int
count_import(const struct import_rec *r, void *arg)
{
	(void)r;
	(*(int *)arg)++;
	return 0;
}

void
get_imports(struct page *p)
{
	struct buf *b = &p->resp->body;
	int n = 0;

	page_begin(p, page_msg(p, MSG_IMPORTS));
	html(b,
	     "<section class=\"card\"><h1>%s</h1><div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"%s\">"
	     "<table><thead><tr><th scope=\"col\">%s</th>"
	     "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
	     "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
	     "<th scope=\"col\"><span class=\"sr-only\">%s</span></th>"
	     "</tr></thead><tbody>",
	     page_msg(p, MSG_IMPORTS), page_msg(p, MSG_IMPORTS),
	     page_msg(p, MSG_WHEN), page_msg(p, MSG_COL_BY),
	     page_msg(p, MSG_COL_FILE), page_msg(p, MSG_STATE),
	     page_msg(p, MSG_COL_CHANGES), page_msg(p, MSG_VIEW));
	store_import_list(p->web->st, p->acct.school_id, 200, history_row, p);
	html(b, "</tbody></table></div>");
	store_import_list(p->web->st, p->acct.school_id, 1, count_import, &n);
	if (n == 0)
		html(b, "<p>%s</p>", page_msg(p, MSG_NO_IMPORTS));
	html(b, "<p><a href=\"/docent/upload\">%s</a></p></section>",
	     page_msg(p, MSG_UPLOAD));
	page_end(p);
}

/* ---- the report download ---- */

struct report_fill {
	struct page *p;
	const struct import_rec *rec;
};

struct report_rows {
	lxw_worksheet *ws;
	struct page *p;
	lxw_row_t row;
};

static int
report_row(const struct roster_issue *is, void *arg)
{
	struct report_rows *r = arg;
	enum roster_severity sev = roster_code_severity(is->code);
	char col[8] = "", rownr[16] = "";

	if (is->col)
		roster_col_name(is->col, col, sizeof(col));
	if (is->row)
		snprintf(rownr, sizeof(rownr), "%u", is->row);
	xlsx_text(r->ws, r->row, 0, rownr, NULL);
	xlsx_text(r->ws, r->row, 1, col, NULL);
	xlsx_text(r->ws, r->row, 2,
	          page_msg(r->p, sev == ROSTER_SEV_ERROR ? MSG_REPORT_ERROR
	                         : sev == ROSTER_SEV_WARNING
	                                 ? MSG_REPORT_WARNING
	                                 : MSG_REPORT_INFO),
	          NULL);
	xlsx_text(r->ws, r->row, 3, roster_issue_text(is, r->p->lang), NULL);
	xlsx_text(r->ws, r->row, 4, is->text, NULL);
	r->row++;
	return 0;
}

static void
fill_report(lxw_workbook *wb, void *arg)
{
	struct report_fill *f = arg;
	static const enum msg head[] = { MSG_REPORT_ROW, MSG_REPORT_COLUMN,
		                         MSG_REPORT_KIND, MSG_REPORT_MESSAGE,
		                         MSG_REPORT_VALUE };
	struct report_rows r = { workbook_add_worksheet(wb, "Meldingen"), f->p,
		                 1 };
	lxw_format *bold = workbook_add_format(wb);

	format_set_bold(bold);
	for (int c = 0; c < 5; c++)
		worksheet_write_string(r.ws, 0, (lxw_col_t)c,
		                       page_msg(f->p, head[c]), bold);
	worksheet_set_column(r.ws, 0, 2, 10, NULL);
	worksheet_set_column(r.ws, 3, 3, 90, NULL);
	worksheet_set_column(r.ws, 4, 4, 30, NULL);
	store_import_issues(f->p->web->st, f->rec->id, report_row, &r);
}

void
get_report(struct page *p)
{
	struct import_rec rec;
	struct report_fill f = { p, &rec };
	struct buf x;
	char name[64];

	if (!load_import(p, &rec))
		return;
	buf_init(&x, 64u << 20);
	snprintf(name, sizeof(name), "meldingen-upload-%lld.xlsx",
	         (long long)rec.id);
	if (xlsx_build(fill_report, &f, &x) != ERR_OK)
		page_message(p, 500, MSG_ERROR_TITLE, MSG_ERROR_BODY);
	else
		send_xlsx(p, &x, name);
	buf_release_secret(&x);
}
