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
#include "../base/strparse.h"
#include "../base/text.h"
#include "../import/import.h"
#include "../roster/norm.h"

/* ---- small helpers ---- */

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
	struct school sc;

	/* library staff: any school of their own library */
	if (store_import_get(p->web->st, school, p->id, rec) == ERR_OK &&
	    (school != 0 ||
	     (store_school_get(p->web->st, rec->school_id, &sc) == ERR_OK &&
	      sc.library_id == p->acct.library_id)))
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
	open_preview_banner(p, true);
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
		snprintf(where, sizeof(where), "/docent/import/%lld%s",
		         (long long)pv->rec.id,
		         pv->rec.replaced ? "?vervangen=1" : "");
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

#define XLSX_TYPE                                                              \
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

void
get_example(struct page *p)
{
	struct buf x;

	buf_init(&x, 1u << 20);
	if (xlsx_build(fill_example, NULL, &x) != ERR_OK)
		page_message(p, 500, MSG_ERROR_TITLE, MSG_ERROR_BODY);
	else
		page_download(p, XLSX_TYPE, "voorbeeldbestand.xlsx", x.data,
		              x.len);
	buf_release(&x);
}

/* ---- the preview and result page ---- */

/* A group's name as a person reads it: "3" and "3a" are "Groep 3" and
 * "Groep 3a"; a name that says what it is stays as the school wrote it. */
static void
group_label(struct page *p, const char *name, char *out, size_t outsz)
{
	if (name[0] >= '0' && name[0] <= '9')
		snprintf(out, outsz, "%s %s", page_msg(p, MSG_GROUP_WORD),
		         name);
	else
		snprintf(out, outsz, "%s", name);
}

/* Moves between groups shown one by one at most; the rest is one line. */
#define MOVES_SHOWN 64

struct move {
	char from[STUDENT_GROUP_MAX + 1], to[STUDENT_GROUP_MAX + 1];
	int64_t n;
};

/* What the journal says, read once: one table of rows per listed change
 * kind, the moves between groups and the group the leavers left (when
 * they all left the same one). */
struct journal_view {
	struct page *p;
	struct buf rows[CHANGE__MAX];
	size_t n[CHANGE__MAX];
	struct move moves[MOVES_SHOWN];
	size_t nmoves;
	int64_t moves_other;
	char left_group[STUDENT_GROUP_MAX + 1];
	bool left_groups; /* leavers came from more than one group */
};

/* Does a kind's table have a column saying what changes? */
static bool
has_fields(enum change_kind k)
{
	return k != CHANGE_NEW && k != CHANGE_LEFT;
}

static void
count_move(struct journal_view *v, const struct student *before,
           const struct student *after)
{
	for (size_t i = 0; i < v->nmoves; i++)
		if (strcmp(v->moves[i].from, before->group) == 0 &&
		    strcmp(v->moves[i].to, after->group) == 0) {
			v->moves[i].n++;
			return;
		}
	if (v->nmoves == MOVES_SHOWN) {
		v->moves_other++;
		return;
	}
	str_copy(v->moves[v->nmoves].from, sizeof(v->moves[0].from),
	         before->group);
	str_copy(v->moves[v->nmoves].to, sizeof(v->moves[0].to), after->group);
	v->moves[v->nmoves++].n = 1;
}

static int
journal_row(enum change_kind kind, const struct student *before,
            const struct student *after, void *arg)
{
	struct journal_view *v = arg;
	const struct student *s = after ? after : before;
	struct field_change f[FIELD__MAX];
	struct page *p = v->p;
	struct buf *b;
	char name[200], born[16], group[64];
	/* a row of a pupil erased on request (AVG) keeps only its kind */
	bool erased = s->number[0] == '\0' && s->roepnaam[0] == '\0' &&
	              s->achternaam[0] == '\0';
	size_t n;

	if (erased) {
		if (!change_listed(kind))
			return 0;
		v->n[kind]++;
		html(&v->rows[kind],
		     "<tr class=\"erased\"><td data-label=\"%s\"></td><td data-label=\"%s\"><em>%s</em></td><td data-label=\"%s\"></td><td data-label=\"%s\"></td>%S</tr>",
		     page_msg(p, MSG_COL_NUMBER), page_msg(p, MSG_COL_STUDENT),
		     page_msg(p, MSG_ERASED_PUPIL), page_msg(p, MSG_COL_BIRTH),
		     page_msg(p, MSG_COL_GROUP),
		     has_fields(kind) ? "<td></td>" : "");
		return 0;
	}
	if (kind == CHANGE_LEFT && before != NULL) {
		if (v->left_group[0] == '\0')
			str_copy(v->left_group, sizeof(v->left_group),
			         before->group);
		else if (strcmp(v->left_group, before->group) != 0)
			v->left_groups = true;
	}
	if (kind != CHANGE_REENROLLED && before != NULL && after != NULL &&
	    strcmp(before->group_key, after->group_key) != 0)
		count_move(v, before, after);
	if (!change_listed(kind))
		return 0;
	b = &v->rows[kind];
	v->n[kind]++;
	student_name(s, name, sizeof(name));
	norm_date_fmt(s->birth, born, sizeof(born));
	group_label(p, s->group, group, sizeof(group));
	html(b,
	     "<tr><td data-label=\"%s\">%s</td><td data-label=\"%s\">%s</td><td data-label=\"%s\">%s</td><td data-label=\"%s\">%s</td>",
	     page_msg(p, MSG_COL_NUMBER), s->number,
	     page_msg(p, MSG_COL_STUDENT), name, page_msg(p, MSG_COL_BIRTH),
	     born, page_msg(p, MSG_COL_GROUP), group);
	if (has_fields(kind)) {
		n = before && after ? change_fields(before, after, f) : 0;
		html(b, "<td data-label=\"%s\">", page_msg(p, MSG_COL_CHANGE));
		for (size_t i = 0; i < n; i++)
			html(b,
			     "%s<span class=\"field\">%s: <del>%s</del> \xe2\x86\x92 <ins>%s</ins></span>",
			     i ? "; " : "",
			     change_field_label(f[i].field, p->lang),
			     f[i].before, f[i].after);
		html(b, "</td>");
	}
	html(b, "</tr>");
	return 0;
}

static int
cmp_move(const void *a, const void *b)
{
	const struct move *x = a, *y = b;
	int c = strverscmp(x->from, y->from);

	return c ? c : strverscmp(x->to, y->to);
}

static struct journal_view *
journal_read(struct page *p, const struct import_rec *rec)
{
	struct journal_view *v = xcalloc(1, sizeof(*v));

	v->p = p;
	for (int k = 0; k < CHANGE__MAX; k++)
		buf_init(&v->rows[k], 16u << 20);
	store_import_changes(p->web->st, rec->id, journal_row, v);
	qsort(v->moves, v->nmoves, sizeof(v->moves[0]), cmp_move);
	return v;
}

static void
journal_release(struct journal_view *v)
{
	for (int k = 0; k < CHANGE__MAX; k++)
		buf_release_secret(&v->rows[k]);
	free(v);
}

/* The sentences of the summary: per kind, for one and for more students,
 * before and after the fact. */
static const struct {
	enum change_kind kind;
	enum msg one, many, one_past, many_past;
} sentences[] = {
	{ CHANGE_NEW, MSG_SUM_NEW_1, MSG_SUM_NEW_N, MSG_SUM_NEW_1_PAST,
	  MSG_SUM_NEW_N_PAST },
	{ CHANGE_REENROLLED, MSG_SUM_REENROLLED_1, MSG_SUM_REENROLLED_N,
	  MSG_SUM_REENROLLED_1_PAST, MSG_SUM_REENROLLED_N_PAST },
	{ CHANGE_LEFT, MSG_SUM_LEFT_1, MSG_SUM_LEFT_N, MSG_SUM_LEFT_1_PAST,
	  MSG_SUM_LEFT_N_PAST },
	{ CHANGE_MOVED, MSG_SUM_MOVED_1, MSG_SUM_MOVED_N, MSG_SUM_MOVED_1_PAST,
	  MSG_SUM_MOVED_N_PAST },
	{ CHANGE_RENUMBERED, MSG_SUM_RENUMBERED_1, MSG_SUM_RENUMBERED_N,
	  MSG_SUM_RENUMBERED_1_PAST, MSG_SUM_RENUMBERED_N_PAST },
	{ CHANGE_CORRECTED, MSG_SUM_CORRECTED_1, MSG_SUM_CORRECTED_N,
	  MSG_SUM_CORRECTED_1_PAST, MSG_SUM_CORRECTED_N_PAST },
	{ CHANGE_JAARGROEP, MSG_SUM_JAARGROEP_1, MSG_SUM_JAARGROEP_N,
	  MSG_SUM_JAARGROEP_1_PAST, MSG_SUM_JAARGROEP_N_PAST },
	{ CHANGE_GROUP_NAME, MSG_SUM_GROUP_NAME_1, MSG_SUM_GROUP_NAME_N,
	  MSG_SUM_GROUP_NAME_1_PAST, MSG_SUM_GROUP_NAME_N_PAST },
	{ CHANGE_UNCHANGED, MSG_SUM_UNCHANGED_1, MSG_SUM_UNCHANGED_N,
	  MSG_SUM_UNCHANGED_1_PAST, MSG_SUM_UNCHANGED_N_PAST },
};

/* What the import does (or did, or would have done), one sentence per
 * kind that occurs; leavers who all come from one group say which. */
static void
summary(struct page *p, const struct import_rec *rec,
        const struct journal_view *v)
{
	struct buf *b = &p->resp->body;
	bool past = rec->state == IMPORT_APPLIED || rec->state == IMPORT_UNDONE;
	bool undone = rec->state == IMPORT_UNDONE;
	char n[24], group[64];

	html(b, "<p class=\"lead\">%s</p><ul class=\"summary\">",
	     page_msg(p, rec->state == IMPORT_PREVIEW   ? MSG_SUM_PREVIEW
	                 : rec->state == IMPORT_APPLIED ? MSG_SUM_APPLIED
	                 : undone                       ? MSG_SUM_UNDONE
	                                                : MSG_SUM_CLOSED));
	for (size_t i = 0; i < sizeof(sentences) / sizeof(sentences[0]); i++) {
		enum change_kind k = sentences[i].kind;
		int64_t c = rec->counts[k];
		bool from_group = k == CHANGE_LEFT && !v->left_groups &&
		                  v->left_group[0] != '\0';
		enum msg m = c == 1 ? (past ? sentences[i].one_past
		                            : sentences[i].one)
		                    : (past ? sentences[i].many_past
		                            : sentences[i].many);

		if (c == 0)
			continue;
		if (from_group)
			m = c == 1 ? (past ? MSG_SUM_LEFT_GROUP_1_PAST
			                   : MSG_SUM_LEFT_GROUP_1)
			           : (past ? MSG_SUM_LEFT_GROUP_N_PAST
			                   : MSG_SUM_LEFT_GROUP_N);
		snprintf(n, sizeof(n), "%lld", (long long)c);
		group_label(p, v->left_group, group, sizeof(group));
		html(b, "<li data-kind=\"%s\" data-count=\"%s\">%S",
		     change_word(k), n, undone ? "<del>" : "");
		html(b, page_msg(p, m), n, group);
		html(b, "%S</li>", undone ? "</del>" : "");
	}
	html(b, "</ul>");
}

/* The file's name, or "(gewist)" once the purge removed it. */
static const char *
import_filename(struct page *p, const struct import_rec *rec)
{
	return rec->filename[0] != '\0' ? rec->filename
	                                : page_msg(p, MSG_FILE_ERASED);
}

/* The technical facts about the file, folded away: its type, the layout
 * recognised, the sheet and row read, who uploaded it, and its columns. */
static void
file_details(struct page *p, const struct import_rec *rec)
{
	struct buf *b = &p->resp->body;
	struct column_line *c = NULL;
	size_t n = 0;
	char when[32], letters[8];

	time_fmt_local(rec->created, when, sizeof(when));
	html(b,
	     "<details class=\"file\"><summary>%s</summary><dl class=\"details\"><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd>",
	     page_msg(p, MSG_FILE_DETAILS), page_msg(p, MSG_FILE),
	     import_filename(p, rec), page_msg(p, MSG_FORMAT), rec->format);
	if (rec->header_row > 0)
		html(b, "<dt>%s</dt><dd>%s</dd>", page_msg(p, MSG_LAYOUT),
		     layout_label(p, rec->layout));
	if (rec->header_row > 0 && strcmp(rec->format, "csv") != 0)
		html(b, "<dt>%s</dt><dd>%s</dd>", page_msg(p, MSG_SHEET),
		     rec->sheet);
	if (rec->header_row > 0)
		html(b, "<dt>%s</dt><dd>%lld</dd>", page_msg(p, MSG_HEADER_ROW),
		     (long long)rec->header_row);
	html(b, "<dt>%s</dt><dd>%s, %s</dd></dl>", page_msg(p, MSG_UPLOADED_BY),
	     rec->actor, when);
	store_import_columns(p->web->st, rec->id, &c, &n);
	if (n > 0) {
		html(b,
		     "<h3>%s</h3><div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"%s\"><table class=\"stack\"><thead><tr>"
		     "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>",
		     page_msg(p, MSG_MAPPING), page_msg(p, MSG_MAPPING),
		     page_msg(p, MSG_COLUMN), page_msg(p, MSG_COL_NAME),
		     page_msg(p, MSG_USED_AS));
		for (size_t i = 0; i < n; i++) {
			roster_col_name(c[i].col, letters, sizeof(letters));
			html(b,
			     "<tr><td data-label=\"%s\">%s</td><td data-label=\"%s\">%s</td><td data-label=\"%s\">%s</td></tr>",
			     page_msg(p, MSG_COLUMN), letters,
			     page_msg(p, MSG_COL_NAME), c[i].header,
			     page_msg(p, MSG_USED_AS),
			     c[i].stored
			             ? roster_field_name(c[i].field, p->lang)
			     : c[i].bsn ? page_msg(p, MSG_NOT_STORED_BSN)
			                : page_msg(p, MSG_NOT_STORED));
		}
		html(b, "</tbody></table></div>");
	}
	free(c);
	html(b, "</details>");
}

/* The tables of students, one per listed kind, folded. */
static void
change_tables(struct page *p, const struct journal_view *v)
{
	struct buf *b = &p->resp->body;

	for (int i = 0; i < CHANGE__MAX; i++) {
		enum change_kind k = change_order[i];

		if (v->n[k] == 0)
			continue;
		html(b,
		     "<details class=\"changes\"><summary>%s (%lld)</summary><div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"%s\"><table class=\"stack\"><thead><tr>"
		     "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>",
		     change_label(k, p->lang), (long long)v->n[k],
		     change_label(k, p->lang), page_msg(p, MSG_COL_NUMBER),
		     page_msg(p, MSG_COL_STUDENT), page_msg(p, MSG_COL_BIRTH),
		     page_msg(p, MSG_COL_GROUP));
		if (has_fields(k))
			html(b, "<th scope=\"col\">%s</th>",
			     page_msg(p, MSG_COL_CHANGE));
		html(b, "</tr></thead><tbody>");
		buf_add(b, v->rows[k].data, v->rows[k].len);
		html(b, "</tbody></table></div></details>");
	}
}

/* "Groep 3 → Groep 4: 7": where the students who change group go. */
static void
move_table(struct page *p, const struct journal_view *v)
{
	struct buf *b = &p->resp->body;
	char from[64], to[64];

	if (v->nmoves == 0)
		return;
	html(b,
	     "<h2>%s</h2><div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"%s\"><table class=\"moves\"><thead><tr>"
	     "<th scope=\"col\">%s</th><th scope=\"col\"><span class=\"sr-only\">%s</span></th><th scope=\"col\">%s</th><th scope=\"col\" class=\"num\">%s</th></tr></thead><tbody>",
	     page_msg(p, MSG_MOVES), page_msg(p, MSG_MOVES),
	     page_msg(p, MSG_COL_FROM), page_msg(p, MSG_COL_TO),
	     page_msg(p, MSG_COL_TO), page_msg(p, MSG_COL_COUNT));
	for (size_t i = 0; i < v->nmoves; i++) {
		group_label(p, v->moves[i].from, from, sizeof(from));
		group_label(p, v->moves[i].to, to, sizeof(to));
		html(b,
		     "<tr><td>%s</td><td class=\"arrow\" aria-hidden=\"true\">\xe2\x86\x92</td><td>%s</td><td class=\"num\">%lld</td></tr>",
		     from, to, (long long)v->moves[i].n);
	}
	if (v->moves_other > 0)
		html(b,
		     "<tr><td>%s</td><td class=\"arrow\" aria-hidden=\"true\"></td><td>%s</td><td class=\"num\">%lld</td></tr>",
		     page_msg(p, MSG_MOVES_OTHER), page_msg(p, MSG_MOVES_OTHER),
		     (long long)v->moves_other);
	html(b, "</tbody></table></div>");
}

/* Groups drawn in the chart at most (the table lists every one). */
#define GROUPS_CHARTED 200

/* A group's name for the chart: cut (at a character boundary, with an
 * ellipsis) so that it fits above its bars. */
static void
chart_label(struct page *p, const char *name, char *out, size_t outsz)
{
	char full[64];
	size_t max = 36;

	group_label(p, name, full, sizeof(full));
	if (strlen(full) <= max) {
		snprintf(out, outsz, "%s", full);
		return;
	}
	while (max > 0 && ((unsigned char)full[max] & 0xc0) == 0x80)
		max--;
	snprintf(out, outsz, "%.*s\xe2\x80\xa6", (int)max, full);
}

/* Students per group before and after, as horizontal bars drawn by the
 * server (no script, no inline style: SVG presentation attributes).  Each
 * group's name stands above its two bars, so a long name is never cut off;
 * the chart is drawn about as wide as a phone, so that its text stays
 * readable when the style sheet shrinks it to fit. */
static void
group_chart(struct page *p, const struct group_line *g, size_t n)
{
	struct buf *b = &p->resp->body;
	const int width = 400, longest = width - 48, bar = 13;
	const int step = 22 + 2 * bar + 12, top = 30;
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
	     "<rect x=\"0\" y=\"4\" width=\"14\" height=\"14\" fill=\"#6b7a8c\"/><text x=\"20\" y=\"16\" font-size=\"15\">"
	     "%s</text><rect x=\"150\" y=\"4\" width=\"14\" height=\"14\" fill=\"#c2410c\"/><text x=\"170\" y=\"16\" font-size=\"15\">%s</text>",
	     page_msg(p, MSG_NOW), page_msg(p, MSG_AFTER));
	for (size_t i = 0; i < n; i++) {
		int y = top + (int)i * step;
		int wb = max ? (int)(g[i].n_before * longest / max) : 0;
		int wa = max ? (int)(g[i].n_after * longest / max) : 0;

		chart_label(p, g[i].n_after > 0 ? g[i].after : g[i].before,
		            name, sizeof(name));
		html(b,
		     "<text x=\"0\" y=\"%d\" font-size=\"17\" font-weight=\"600\">%s</text>"
		     "<rect x=\"0\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#6b7a8c\"/><text x=\"%d\" y=\"%d\" font-size=\"14\">%d</text>"
		     "<rect x=\"0\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#c2410c\"/><text x=\"%d\" y=\"%d\" font-size=\"14\">%d</text>",
		     y + 17, name, y + 22, wb, bar, wb + 6, y + 22 + bar - 1,
		     (int)g[i].n_before, y + 22 + bar, wa, bar, wa + 6,
		     y + 22 + 2 * bar - 1, (int)g[i].n_after);
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
	char nb[24], na[24], name[64];
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
	     "<details class=\"groups\"><summary>%s (%lld)</summary><div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"%s\"><table class=\"stack\"><thead><tr>"
	     "<th scope=\"col\">%s</th><th scope=\"col\" class=\"num\">%s</th><th scope=\"col\" class=\"num\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>",
	     page_msg(p, MSG_GROUPS_TABLE), (long long)n,
	     page_msg(p, MSG_GROUPS_TABLE), page_msg(p, MSG_COL_GROUP),
	     page_msg(p, MSG_NOW), page_msg(p, MSG_AFTER),
	     page_msg(p, MSG_COL_LIBRARY_CODE));
	for (size_t i = 0; i < n; i++) {
		snprintf(nb, sizeof(nb), "%lld", (long long)g[i].n_before);
		snprintf(na, sizeof(na), "%lld", (long long)g[i].n_after);
		group_label(p, g[i].n_after > 0 ? g[i].after : g[i].before,
		            name, sizeof(name));
		html(b,
		     "<tr><td data-label=\"%s\">%s</td><td class=\"num\" data-label=\"%s\">%s</td><td class=\"num\" data-label=\"%s\">%s</td><td data-label=\"%s\">%s</td></tr>",
		     page_msg(p, MSG_COL_GROUP), name, page_msg(p, MSG_NOW), nb,
		     page_msg(p, MSG_AFTER), na,
		     page_msg(p, MSG_COL_LIBRARY_CODE), g[i].code);
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
	/* the row and the pupil lead; the column is in the report */
	roster_issue_say(&line, is, v->p->lang, 0);
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

/* Why a guard tripped: "Dit lijkt niet het bestand van SCHOOL: maar 6 van
 * de 30 leerlingen van de school staan erin. ..." */
static void
guard_text(struct page *p, const struct import_rec *rec, const char *school)
{
	struct buf *b = &p->resp->body;
	char found[24], active[24], left[24];

	snprintf(active, sizeof(active), "%lld", (long long)rec->active_before);
	snprintf(found, sizeof(found), "%lld", (long long)rec->matched);
	snprintf(left, sizeof(left), "%lld",
	         (long long)rec->counts[CHANGE_LEFT]);
	html(b, page_msg(p, MSG_GUARD_ALERT), school);
	html(b, " ");
	if (rec->guard_match)
		html(b, page_msg(p, MSG_GUARD_WHY_MATCH), found, active);
	else
		html(b, page_msg(p, MSG_GUARD_WHY_UNENROL), left, active);
	html(b, " ");
	if (rec->guard_match && rec->guard_unenrol) {
		html(b, page_msg(p, MSG_GUARD_ALSO_UNENROL), left, active);
		html(b, " ");
	}
	html(b, "%s", page_msg(p, MSG_GUARD_CHECK_FILE));
}

/* "doorgevoerd", "nog niet bevestigd", ... or, for a file that could not
 * be read in, "niet ingelezen – 2 fouten". */
void
import_status(struct page *p, const struct import_rec *r, char *out,
              size_t outsz)
{
	static const enum msg state_msg[IMPORT__MAX] = {
		[IMPORT_PREVIEW] = MSG_STATE_PREVIEW,
		[IMPORT_APPLIED] = MSG_STATE_APPLIED,
		[IMPORT_CANCELLED] = MSG_STATE_CANCELLED,
		[IMPORT_EXPIRED] = MSG_STATE_EXPIRED,
		[IMPORT_UNDONE] = MSG_STATE_UNDONE,
	};
	char n[24];

	if (r->blocked) {
		snprintf(n, sizeof(n), "%lld", (long long)r->errors);
		snprintf(out, outsz,
		         page_msg(p, r->errors == 1 ? MSG_STATE_UNREADABLE_1
		                                    : MSG_STATE_UNREADABLE_N),
		         n);
		return;
	}
	snprintf(out, outsz, "%s",
	         page_msg(p, (unsigned)r->state < IMPORT__MAX
	                             ? state_msg[r->state]
	                             : MSG_STATE_PREVIEW));
}

/* The decision, near the top so that it is in reach on a phone: Bevestigen
 * and Annuleren; when a guard tripped Annuleren comes first and confirming
 * needs the checkbox ("Toch bevestigen"). */
static void
decision(struct page *p, const struct import_rec *rec, const char *base)
{
	struct buf *b = &p->resp->body;

	html(b,
	     "<section class=\"card decide%S\" aria-labelledby=\"beslis\"><h2 id=\"beslis\">%s</h2><div class=\"buttons\">",
	     rec->guard ? " guarded" : "", page_msg(p, MSG_DECIDE));
	if (rec->guard) {
		html(b, "<form method=\"post\" action=\"%s/annuleren\">", base);
		page_csrf_input(p);
		html(b,
		     "<button type=\"submit\" class=\"primary\">%s</button></form>"
		     "<form method=\"post\" action=\"%s/bevestigen\" class=\"form\">",
		     page_msg(p, MSG_CANCEL), base);
		page_csrf_input(p);
		html(b,
		     "<p class=\"check\"><input type=\"checkbox\" id=\"zeker\" name=\"zeker\" value=\"ja\"> <label for=\"zeker\">%s</label></p>"
		     "<button type=\"submit\" class=\"secondary\">%s</button></form>",
		     page_msg(p, MSG_GUARD_CHECK),
		     page_msg(p, MSG_GUARD_CONFIRM));
	} else {
		html(b, "<form method=\"post\" action=\"%s/bevestigen\">",
		     base);
		page_csrf_input(p);
		html(b,
		     "<button type=\"submit\" class=\"primary\">%s</button></form>"
		     "<form method=\"post\" action=\"%s/annuleren\">",
		     page_msg(p, MSG_CONFIRM), base);
		page_csrf_input(p);
		html(b,
		     "<button type=\"submit\" class=\"secondary\">%s</button></form>",
		     page_msg(p, MSG_CANCEL));
	}
	html(b, "</div></section>");
}

/* The school's name, for the guard's sentence and the result. */
static void
school_name(struct page *p, int64_t id, char *out, size_t outsz)
{
	struct school s;

	if (p->acct.role == ROLE_DOCENT)
		str_copy(out, outsz, p->school.name);
	else if (store_school_get(p->web->st, id, &s) == ERR_OK)
		str_copy(out, outsz, s.name);
	else
		str_copy(out, outsz, "");
}

/* Render the page for rec.  A refusal (o other than IMPORT_OK) is said at
 * the top with a link to what fixes it: the checkbox, or (the preview can
 * never be applied) a new upload; notice is a status line (MSG__MAX: none).
 *
 * From the top: what the import does in plain sentences (or the result,
 * or why the file cannot be read in), a guard's warning, the decision, the
 * errors and warnings, where the groups go, the students per kind, and the
 * file's technical details folded away. */
static void
import_page(struct page *p, const struct import_rec *rec, int status,
            enum import_outcome o, enum msg notice)
{
	struct buf *b = &p->resp->body;
	struct issue_view iv = { p, 0 };
	struct group_line *groups = NULL;
	struct journal_view *v = NULL;
	char when[32], decided[32], base[64], school[128], state[96], n[24];
	bool docent = p->acct.role == ROLE_DOCENT;
	bool final = o == IMPORT_STALE || o == IMPORT_EXPIRED_NOW;
	bool open = rec->state == IMPORT_PREVIEW && docent && !rec->blocked &&
	            !final;
	bool guard_shown = rec->state == IMPORT_PREVIEW && rec->guard;
	enum msg title = rec->blocked                     ? MSG_UNREADABLE_TITLE
	                 : rec->state == IMPORT_APPLIED   ? MSG_APPLIED_TITLE
	                 : rec->state == IMPORT_CANCELLED ? MSG_CANCELLED_TITLE
	                 : rec->state == IMPORT_EXPIRED   ? MSG_EXPIRED_TITLE
	                 : rec->state == IMPORT_UNDONE    ? MSG_UNDONE_TITLE
	                                                  : MSG_PREVIEW_TITLE;
	size_t ngroups = 0;

	p->resp->status = status;
	buf_reset(b);
	snprintf(base, sizeof(base), "/docent/import/%lld", (long long)rec->id);
	time_fmt_local(rec->created, when, sizeof(when));
	time_fmt_local(rec->decided, decided, sizeof(decided));
	school_name(p, rec->school_id, school, sizeof(school));
	import_status(p, rec, state, sizeof(state));
	if (!rec->blocked)
		v = journal_read(p, rec);

	page_begin(p, page_msg(p, title));
	html(b, "<section class=\"card top\"><h1>%s</h1>", page_msg(p, title));
	if (!docent) /* library staff see every school's uploads */
		html(b,
		     "<p class=\"school-name\"><a href=\"/bibliotheek/school/%lld\">%s</a></p>",
		     (long long)rec->school_id, school);
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
	if (guard_shown && o == IMPORT_OK) {
		html(b, "<div class=\"alert\" role=\"alert\"><p>");
		guard_text(p, rec, school);
		html(b, "</p></div>");
	}
	if (rec->state == IMPORT_APPLIED && !docent) {
		html(b, "<div class=\"banner ok\" role=\"status\"><p><strong>");
		html(b, page_msg(p, MSG_LIBRARY_RESULT_DONE), school, decided);
		html(b,
		     "</strong></p><p>%s</p><p><a href=\"/bibliotheek/school/%lld/leerlingen\">",
		     page_msg(p, MSG_LIBRARY_NEXT_STEP),
		     (long long)rec->school_id);
		html(b, page_msg(p, MSG_LIBRARY_TO_ROSTER), school);
		html(b, "</a></p></div>");
	} else if (rec->state == IMPORT_APPLIED) {
		html(b, "<div class=\"banner ok\" role=\"status\"><p><strong>");
		html(b, page_msg(p, MSG_RESULT_DONE), school, decided);
		html(b, "</strong></p><p>");
		if (p->web->cfg.imports.processing_days > 0) {
			snprintf(n, sizeof(n), "%llu",
			         (unsigned long long)
			                 p->web->cfg.imports.processing_days);
			html(b, page_msg(p, MSG_NEXT_STEP_DAYS), n);
		} else {
			html(b, "%s", page_msg(p, MSG_NEXT_STEP));
		}
		html(b, "</p></div>");
	} else if (rec->state == IMPORT_UNDONE) {
		html(b, "<div class=\"banner ok\" role=\"status\"><p><strong>");
		html(b, page_msg(p, MSG_RESULT_UNDONE), when);
		html(b, "</strong></p></div>");
	}
	if (rec->purged != 0)
		html(b, "<p class=\"notice purged\">%s</p>",
		     page_msg(p, MSG_IMPORT_PURGED_NOTICE));
	if (rec->blocked)
		html(b, "<p class=\"blocked\">%s</p>",
		     page_msg(p, MSG_BLOCKED));
	else if (open && !rec->guard) /* with a guard the alert says it */
		html(b, "<p>%s</p>", page_msg(p, MSG_PREVIEW_INTRO));
	else if (rec->state == IMPORT_PREVIEW && !docent && !final)
		html(b, "<p>%s</p>", page_msg(p, MSG_LIBRARY_WAITING));
	if (!rec->blocked) {
		summary(p, rec, v);
		if (import_nothing_changes(rec) && rec->state == IMPORT_PREVIEW)
			html(b, "<p class=\"notice\">%s</p>",
			     page_msg(p, MSG_NOTHING_CHANGES));
	}
	html(b, "<p class=\"status\">%s: <strong>%s</strong></p>",
	     page_msg(p, MSG_STATE), state);
	if (rec->state == IMPORT_PREVIEW && (rec->blocked || final) && docent)
		html(b,
		     "<p><a class=\"button primary\" href=\"/docent/upload\">%s</a></p>",
		     page_msg(p, MSG_BACK_TO_UPLOAD));
	file_details(p, rec);
	html(b, "</section>");

	/* what can be done now */
	if (open)
		decision(p, rec, base);
	if (rec->state == IMPORT_APPLIED && docent && rec->purged == 0 &&
	    import_last_applied(p->web->st, rec->school_id) == rec->id)
		html(b,
		     "<section class=\"card\"><p>%s</p><p><a class=\"button\" href=\"%s/ongedaan-maken\">%s</a></p></section>",
		     page_msg(p, MSG_UNDO_WRONG), base, page_msg(p, MSG_UNDO));

	/* errors and warnings, the guard first */
	html(b,
	     "<section class=\"card\" aria-labelledby=\"meldingen\"><h2 id=\"meldingen\">%s</h2><ul class=\"issues\">",
	     page_msg(p, MSG_ISSUES));
	if (guard_shown) {
		html(b, "<li class=\"issue-error\"><strong>%s</strong> ",
		     page_msg(p, MSG_CAREFUL));
		guard_text(p, rec, school);
		html(b, "</li>");
		iv.n++;
	}
	store_import_issues(p->web->st, rec->id, issue_row, &iv);
	html(b, "</ul>");
	if (iv.n == 0)
		html(b, "<p>%s</p>", page_msg(p, MSG_NO_ISSUES));
	else if (rec->errors + rec->warnings > 0)
		html(b, "<p><a href=\"%s/rapport.xlsx\" download>%s</a></p>",
		     base, page_msg(p, MSG_REPORT_DOWNLOAD));
	html(b, "</section>");

	/* the groups and the students */
	if (v != NULL) {
		store_import_groups(p->web->st, rec->id, &groups, &ngroups);
		html(b, "<section class=\"card\">");
		move_table(p, v);
		group_chart(p, groups, ngroups);
		group_table(p, groups, ngroups);
		html(b, "</section>");
		free(groups);
		if (rec->counts[CHANGE_UNCHANGED] != rec->active_before ||
		    !import_nothing_changes(rec)) {
			html(b, "<section class=\"card\"><h2>%s</h2>",
			     page_msg(p, MSG_CHANGES_TITLE));
			change_tables(p, v);
			html(b, "</section>");
		}
		journal_release(v);
	}
	if (docent)
		html(b, "<p><a href=\"/docent/imports\">%s</a></p>",
		     page_msg(p, MSG_RESULT_NEXT));
	else
		html(b,
		     "<p><a href=\"/bibliotheek/imports?school=%lld\">%s</a></p>",
		     (long long)rec->school_id, page_msg(p, MSG_RESULT_NEXT));
	page_end(p);
}

void
get_import(struct page *p)
{
	struct import_rec rec;

	if (!load_import(p, &rec))
		return;
	import_page(p, &rec, 200, IMPORT_OK,
	            http_query(p->req, "vervangen") ? MSG_REPLACED : MSG__MAX);
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
	if (rec.state != IMPORT_APPLIED || rec.purged != 0) {
		import_page(p, &rec, 409,
		            rec.purged != 0 ? IMPORT_PURGED : IMPORT_NOT_LAST,
		            MSG__MAX);
		return;
	}
	page_begin(p, page_msg(p, MSG_UNDO_TITLE));
	html(b,
	     "<section class=\"card\"><h1>%s</h1><p>%s</p><p>%s: %s</p><form method=\"post\" action=\"/docent/import/%lld/ongedaan-maken\">",
	     page_msg(p, MSG_UNDO_TITLE), page_msg(p, MSG_UNDO_BODY),
	     page_msg(p, MSG_FILE), import_filename(p, &rec),
	     (long long)rec.id);
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
	snprintf(where, sizeof(where), "/docent/import/%lld", (long long)p->id);
	page_redirect(p, where);
}

/* ---- history ---- */

struct history {
	struct page *p;
	bool schools;       /* a column with the school (library staff) */
	struct school last; /* the school of the row before */
	int n;
};

static int
history_row(const struct import_rec *r, void *arg)
{
	struct history *h = arg;
	struct page *p = h->p;
	struct buf *b = &p->resp->body;
	char when[32], state[96];

	h->n++;
	time_fmt_local(r->created, when, sizeof(when));
	import_status(p, r, state, sizeof(state));
	html(b, "<tr>");
	if (h->schools) {
		if (h->last.id != r->school_id &&
		    store_school_get(p->web->st, r->school_id, &h->last) !=
		            ERR_OK)
			memset(&h->last, 0, sizeof(h->last));
		html(b,
		     "<td data-label=\"%s\"><a href=\"/bibliotheek/school/%lld\">%s</a></td>",
		     page_msg(p, MSG_COL_SCHOOL), (long long)r->school_id,
		     h->last.name);
	}
	html(b,
	     "<td data-label=\"%s\">%s</td><td data-label=\"%s\">%s</td><td data-label=\"%s\">%s</td><td data-label=\"%s\">%s</td><td data-label=\"%s\">",
	     page_msg(p, MSG_WHEN), when, page_msg(p, MSG_COL_BY), r->actor,
	     page_msg(p, MSG_COL_FILE), import_filename(p, r),
	     page_msg(p, MSG_STATE), state, page_msg(p, MSG_COL_CHANGES));
	if (!r->blocked)
		html(b, "%lld %s, %lld %s, %lld %s",
		     (long long)r->counts[CHANGE_NEW],
		     change_label(CHANGE_NEW, p->lang),
		     (long long)r->counts[CHANGE_LEFT],
		     change_label(CHANGE_LEFT, p->lang),
		     (long long)(r->counts[CHANGE_MOVED] +
		                 r->counts[CHANGE_CORRECTED] +
		                 r->counts[CHANGE_REENROLLED] +
		                 r->counts[CHANGE_RENUMBERED] +
		                 r->counts[CHANGE_JAARGROEP]),
		     page_msg(p, MSG_OTHER_CHANGES));
	html(b,
	     "</td><td><a href=\"/docent/import/%lld\">%s<span class=\"sr-only\"> %s</span></a></td></tr>",
	     (long long)r->id, page_msg(p, MSG_VIEW), when);
	return 0;
}

bool
import_table(struct page *p, int64_t school_id, int limit)
{
	struct buf *b = &p->resp->body;
	struct history h = { .p = p,
		             .schools = p->acct.role == ROLE_BIBLIOTHEEK &&
		                        school_id == 0 };

	html(b,
	     "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"%s\">"
	     "<table class=\"stack\"><thead><tr>",
	     page_msg(p, MSG_IMPORTS));
	if (h.schools)
		html(b, "<th scope=\"col\">%s</th>",
		     page_msg(p, MSG_COL_SCHOOL));
	html(b,
	     "<th scope=\"col\">%s</th>"
	     "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
	     "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
	     "<th scope=\"col\"><span class=\"sr-only\">%s</span></th>"
	     "</tr></thead><tbody>",
	     page_msg(p, MSG_WHEN), page_msg(p, MSG_COL_BY),
	     page_msg(p, MSG_COL_FILE), page_msg(p, MSG_STATE),
	     page_msg(p, MSG_COL_CHANGES), page_msg(p, MSG_VIEW));
	store_import_list(p->web->st, p->acct.library_id, school_id, limit,
	                  history_row, &h);
	html(b, "</tbody></table></div>");
	if (h.n == 0)
		html(b, "<p>%s</p>", page_msg(p, MSG_NO_IMPORTS));
	return h.n > 0;
}

void
get_imports(struct page *p)
{
	struct buf *b = &p->resp->body;

	page_begin(p, page_msg(p, MSG_IMPORTS));
	html(b, "<section class=\"card\"><h1>%s</h1>",
	     page_msg(p, MSG_IMPORTS));
	import_table(p, p->acct.school_id, 200);
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
	struct buf msg;

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
	/* row and column have columns of their own; the pupil leads */
	buf_init(&msg, 4096);
	roster_issue_say(&msg, is, r->p->lang, ROSTER_SAY_NO_PLACE);
	xlsx_text(r->ws, r->row, 3, msg.data, NULL);
	buf_release(&msg);
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
		page_download(p, XLSX_TYPE, name, x.data, x.len);
	buf_release_secret(&x);
}
