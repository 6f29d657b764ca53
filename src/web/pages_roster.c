/*
 * A school's current roster as library staff see it: the active pupils
 * group by group (groups in natural order, pupils by surname), a search on
 * name or leerlingnummer (?zoek=, accents and case ignored), a print view
 * (the style sheet's @media print and a button wired by print.js), and the
 * downloads the library's systems read: the schoolWise import CSV, a CSV
 * for Excel, JSON (roster/export.c) and the OneRoster 1.1 zip
 * (roster/oneroster.c), exactly as `biebsync admin roster export` writes
 * them.
 *
 * The school must be one of the user's own library (page_library_school:
 * 404 otherwise, like a missing id).  Looking and downloading are audited
 * with counts only; the search text is never logged (it may be a name).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pages.h"
#include "../auth/audit.h"
#include "../base/mem.h"
#include "../base/strparse.h"
#include "../base/text.h"
#include "../roster/export.h"
#include "../roster/norm.h"
#include "../roster/oneroster.h"

#define SEARCH_MAX 100 /* bytes of a search that are used */

/* The school in the path and its active pupils, sorted for the page. */
struct roster_view {
	struct school school;
	struct student *all; /* every student, active and former */
	size_t nall;
	struct student **active; /* the active ones, in page order */
	size_t nactive;
};

static int
cmp_pupil(const void *a, const void *b)
{
	const struct student *x = *(const struct student *const *)a;
	const struct student *y = *(const struct student *const *)b;
	int c = strverscmp(x->group, y->group);

	if (c == 0)
		c = strcoll(x->achternaam, y->achternaam);
	if (c == 0)
		c = strcoll(x->roepnaam, y->roepnaam);
	return c != 0 ? c : strcmp(x->number, y->number);
}

/* Load the school of the path and its roster; false after a 404 or 500
 * page. */
static bool
roster_load(struct page *p, struct roster_view *v)
{
	int64_t version;

	memset(v, 0, sizeof(*v));
	if (!page_library_school(p, p->id, &v->school))
		return false;
	if (store_roster_load(p->web->st, v->school.id, &v->all, &v->nall,
	                      &version) != ERR_OK) {
		page_message(p, 500, MSG_ERROR_TITLE, MSG_ERROR_BODY);
		return false;
	}
	v->active = xcalloc(v->nall ? v->nall : 1, sizeof(*v->active));
	for (size_t i = 0; i < v->nall; i++)
		if (v->all[i].active)
			v->active[v->nactive++] = &v->all[i];
	qsort(v->active, v->nactive, sizeof(*v->active), cmp_pupil);
	return true;
}

static void
roster_release(struct roster_view *v)
{
	free(v->active);
	if (v->all != NULL)
		explicit_bzero(v->all, v->nall * sizeof(*v->all));
	free(v->all);
}

/* Does pupil s match the folded search text? */
static bool
matches(const struct student *s, const char *folded)
{
	char name[200], key[400];

	if (strstr(s->number, folded) != NULL)
		return true;
	student_name(s, name, sizeof(name));
	norm_fold(name, strlen(name), NORM_FOLD_KEEP, key, sizeof(key));
	return strstr(key, folded) != NULL;
}

static void
group_heading(struct page *p, const char *group, size_t n)
{
	char label[80];

	if (group[0] >= '0' && group[0] <= '9')
		snprintf(label, sizeof(label), "%s %s",
		         page_msg(p, MSG_GROUP_WORD), group);
	else
		snprintf(label, sizeof(label), "%s", group);
	html(&p->resp->body,
	     "<section class=\"group\"><h2>%s <span class=\"count\">(%u)</span></h2>"
	     "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"%s\">"
	     "<table class=\"stack roster\"><thead><tr><th scope=\"col\">%s</th>"
	     "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
	     "<th scope=\"col\">%s</th></tr></thead><tbody>",
	     label, (unsigned)n, label, page_msg(p, MSG_COL_STUDENT),
	     page_msg(p, MSG_COL_NUMBER), page_msg(p, MSG_COL_BIRTH),
	     page_msg(p, MSG_COL_JAARGROEP));
}

static void
pupil_row(struct page *p, const struct student *s)
{
	char name[200], born[16], jaar[8] = "";

	student_name(s, name, sizeof(name));
	norm_date_fmt(s->birth, born, sizeof(born));
	if (s->jaargroep != JAARGROEP_UNKNOWN)
		snprintf(jaar, sizeof(jaar), "%d", s->jaargroep);
	html(&p->resp->body,
	     "<tr><td data-label=\"%s\"><a href=\"/bibliotheek/leerling/%lld\">%s</a></td>"
	     "<td data-label=\"%s\">%s</td><td data-label=\"%s\">%s</td>"
	     "<td data-label=\"%s\">%s</td></tr>",
	     page_msg(p, MSG_COL_STUDENT), (long long)s->id, name,
	     page_msg(p, MSG_COL_NUMBER), s->number, page_msg(p, MSG_COL_BIRTH),
	     born, page_msg(p, MSG_COL_JAARGROEP), jaar);
}

/* The pupils that match (all without a search), group by group; returns
 * how many were shown. */
static size_t
group_tables(struct page *p, struct roster_view *v, const char *folded)
{
	size_t shown = 0, i = 0;

	while (i < v->nactive) {
		size_t j = i, n = 0;

		while (j < v->nactive &&
		       strcmp(v->active[j]->group, v->active[i]->group) == 0) {
			if (folded[0] == '\0' || matches(v->active[j], folded))
				n++;
			j++;
		}
		if (n > 0) {
			group_heading(p, v->active[i]->group, n);
			for (size_t k = i; k < j; k++)
				if (folded[0] == '\0' ||
				    matches(v->active[k], folded))
					pupil_row(p, v->active[k]);
			html(&p->resp->body,
			     "</tbody></table></div></section>");
		}
		shown += n;
		i = j;
	}
	return shown;
}

static size_t
count_groups(const struct roster_view *v)
{
	size_t n = 0;

	for (size_t i = 0; i < v->nactive; i++)
		if (i == 0 ||
		    strcmp(v->active[i]->group, v->active[i - 1]->group) != 0)
			n++;
	return n;
}

static void
downloads(struct page *p, const struct school *s)
{
	long long id = (long long)s->id;

	html(&p->resp->body,
	     "<section class=\"downloads no-print\" aria-labelledby=\"downloads\"><h2 id=\"downloads\">%s</h2><ul>"
	     "<li><a href=\"/bibliotheek/school/%lld/schoolwise.csv\" download>%s</a></li>"
	     "<li><a href=\"/bibliotheek/school/%lld/leerlingen.csv\" download>%s</a></li>"
	     "<li><a href=\"/bibliotheek/school/%lld/leerlingen.json\" download>%s</a></li>"
	     "<li><a href=\"/bibliotheek/school/%lld/oneroster.zip\" download>%s</a></li>"
	     "</ul><p class=\"hint\">%s</p>"
	     "<p><button type=\"button\" class=\"secondary\" data-print>%s</button></p></section>",
	     page_msg(p, MSG_ROSTER_DOWNLOADS), id,
	     page_msg(p, MSG_ROSTER_DL_SCHOOLWISE), id,
	     page_msg(p, MSG_ROSTER_DL_CSV), id,
	     page_msg(p, MSG_ROSTER_DL_JSON), id,
	     page_msg(p, MSG_ROSTER_DL_ONEROSTER),
	     page_msg(p, MSG_ROSTER_DL_NOTE), page_msg(p, MSG_PRINT));
}

void
get_roster(struct page *p)
{
	struct buf *b = &p->resp->body;
	const char *q = http_query(p->req, "zoek");
	char search[SEARCH_MAX + 1] = "", folded[4 * SEARCH_MAX + 8] = "";
	char title[300], n1[24], n2[24];
	struct roster_view v;
	size_t shown;

	if (!roster_load(p, &v))
		return;
	/* a search is text of a sensible length; anything else is none */
	if (q != NULL && utf8_valid(q, strlen(q)) && strlen(q) <= SEARCH_MAX)
		str_copy(search, sizeof(search), q);
	norm_fold(search, strlen(search), NORM_FOLD_KEEP, folded,
	          sizeof(folded));
	snprintf(title, sizeof(title), page_msg(p, MSG_ROSTER_TITLE),
	         v.school.name);
	page_begin(p, title);
	html(b,
	     "<p class=\"back no-print\"><a href=\"/bibliotheek/school/%lld\">",
	     (long long)v.school.id);
	html(b, page_msg(p, MSG_BACK_TO_SCHOOL), v.school.name);
	html(b, "</a></p><section class=\"card roster\"><h1>%s</h1>", title);
	if (http_query(p->req, "gewist") != NULL)
		html(b, "<p class=\"notice\" role=\"status\">%s</p>",
		     page_msg(p, MSG_PUPIL_ERASED_NOTICE));
	if (v.nactive == 0) {
		html(b, "<p>%s</p>", page_msg(p, MSG_ROSTER_EMPTY));
	} else {
		snprintf(n1, sizeof(n1), "%zu", v.nactive);
		snprintf(n2, sizeof(n2), "%zu", count_groups(&v));
		html(b, "<p class=\"lead\">");
		html(b, page_msg(p, MSG_ROSTER_COUNT), n1, n2);
		html(b, "</p>");
		downloads(p, &v.school);
		html(b,
		     "<form class=\"filters no-print\" method=\"get\" action=\"/bibliotheek/school/%lld/leerlingen\" role=\"search\">"
		     "<div class=\"filter\"><label for=\"zoek\">%s</label>"
		     "<input id=\"zoek\" name=\"zoek\" type=\"search\" value=\"%s\" maxlength=\"100\"></div>"
		     "<button type=\"submit\">%s</button></form>",
		     (long long)v.school.id, page_msg(p, MSG_ROSTER_SEARCH),
		     search, page_msg(p, MSG_ROSTER_SEARCH_BUTTON));
	}
	shown = group_tables(p, &v, folded);
	if (folded[0] != '\0') {
		snprintf(n1, sizeof(n1), "%zu", shown);
		html(b, "<p class=\"found\" role=\"status\">");
		if (shown == 1)
			html(b, page_msg(p, MSG_ROSTER_FOUND_1), search);
		else if (shown > 0)
			html(b, page_msg(p, MSG_ROSTER_FOUND), n1, search);
		else
			html(b, page_msg(p, MSG_ROSTER_NONE_FOUND), search);
		html(b,
		     " <a class=\"no-print\" href=\"/bibliotheek/school/%lld/leerlingen\">%s</a></p>",
		     (long long)v.school.id, page_msg(p, MSG_ROSTER_ALL));
	}
	html(b, "</section><script src=\"/static/print.js\" defer></script>");
	page_end(p);
	audit(p->web->st, AUDIT_ROSTER_VIEWED, p->acct.id, v.school.id,
	      p->acct.username, p->req->client_addr,
	      "roster: %zu pupils shown%s", shown,
	      folded[0] != '\0' ? " (search)" : "");
	roster_release(&v);
}

/* One download of the roster in format f. */
static void
roster_download(struct page *p, enum export_format f, const char *ctype,
                const char *what)
{
	struct roster_view v;
	struct buf x;
	size_t shortened;
	char name[160];

	if (!roster_load(p, &v))
		return;
	buf_init(&x, (size_t)1 << 30);
	if (export_roster(&x, f, v.all, v.nall, &shortened) != ERR_OK) {
		page_message(p, 500, MSG_ERROR_TITLE, MSG_ERROR_BODY);
	} else {
		/* a slug is [a-z0-9-]: safe in the header as it is */
		snprintf(name, sizeof(name), "%s-%s.%s", what, v.school.slug,
		         f == EXPORT_JSON ? "json" : "csv");
		page_download(p, ctype, name, x.data, x.len);
		audit(p->web->st, AUDIT_ROSTER_EXPORTED, p->acct.id,
		      v.school.id, p->acct.username, p->req->client_addr,
		      "roster %s.%s: %zu pupils, %zu group names shortened",
		      what, f == EXPORT_JSON ? "json" : "csv", v.nactive,
		      shortened);
	}
	buf_release_secret(&x);
	roster_release(&v);
}

void
get_roster_csv(struct page *p)
{
	roster_download(p, EXPORT_CSV, "text/csv; charset=utf-8", "leerlingen");
}

void
get_roster_json(struct page *p)
{
	roster_download(p, EXPORT_JSON, "application/json", "leerlingen");
}

void
get_roster_schoolwise(struct page *p)
{
	roster_download(p, EXPORT_SCHOOLWISE, "text/csv; charset=utf-8",
	                "schoolwise");
}

/* The OneRoster 1.1 zip: the school's library is the district org. */
void
get_roster_oneroster(struct page *p)
{
	struct roster_view v;
	struct library lib;
	struct oneroster_school sc;
	struct buf x;
	char name[160];

	if (!roster_load(p, &v))
		return;
	memset(&lib, 0, sizeof(lib));
	if (v.school.library_id > 0 &&
	    store_library_get(p->web->st, v.school.library_id, &lib) !=
	            ERR_OK) {
		page_message(p, 500, MSG_ERROR_TITLE, MSG_ERROR_BODY);
		roster_release(&v);
		return;
	}
	sc = (struct oneroster_school){ v.school.id,   v.school.slug,
		                        v.school.name, v.school.brin,
		                        lib.id,        lib.slug,
		                        lib.name };
	buf_init(&x, (size_t)1 << 30);
	if (export_oneroster(&x, &sc, v.all, v.nall, time_now()) != ERR_OK) {
		page_message(p, 500, MSG_ERROR_TITLE, MSG_ERROR_BODY);
	} else {
		/* a slug is [a-z0-9-]: safe in the header as it is */
		snprintf(name, sizeof(name), "oneroster-%s.zip", v.school.slug);
		page_download(p, "application/zip", name, x.data, x.len);
		audit(p->web->st, AUDIT_ROSTER_EXPORTED, p->acct.id,
		      v.school.id, p->acct.username, p->req->client_addr,
		      "roster oneroster.zip: %zu pupils", v.nactive);
	}
	buf_release_secret(&x);
	roster_release(&v);
}
