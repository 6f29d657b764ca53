/*
 * One pupil, for the AVG (GDPR) requests a parent may make to the
 * library: access (everything stored about the pupil on one page and as a
 * JSON download) and erasure (a confirmation page that says exactly what
 * goes and what stays, then store_pupil_erase).
 *
 * The pupil must be of a school of the user's own library: otherwise the
 * answer is the 404 page of an id that does not exist.  Every look, download
 * and erasure is audited with ids only, never the pupil's name.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pages.h"
#include "../auth/audit.h"
#include "../base/text.h"
#include "../import/pupil.h"
#include "../roster/diff.h"
#include "../roster/norm.h"
#include "../roster/report.h"

struct pupil_view {
	struct student pupil;
	struct school school;
	struct pupil_change *changes;
	size_t n;
	struct pupil_issue *issues;
	size_t nissues;
};

/* The pupil of the path within the user's library and (with_changes) its
 * journal rows; false after a 404 or 500 page. */
static bool
pupil_load(struct page *p, struct pupil_view *v, bool with_changes)
{
	int64_t school = 0;

	memset(v, 0, sizeof(*v));
	if (store_pupil_get(p->web->st, p->id, &v->pupil, &school) != ERR_OK) {
		page_message(p, 404, MSG_NOTFOUND_TITLE, MSG_NOTFOUND_BODY);
		return false;
	}
	if (!page_library_school(p, school, &v->school))
		return false;
	if (with_changes &&
	    (store_pupil_changes(p->web->st, v->pupil.id, &v->changes, &v->n) !=
	             ERR_OK ||
	     store_pupil_issues(p->web->st, v->pupil.id, &v->issues,
	                        &v->nissues) != ERR_OK)) {
		page_message(p, 500, MSG_ERROR_TITLE, MSG_ERROR_BODY);
		return false;
	}
	return true;
}

static void
pupil_release(struct pupil_view *v)
{
	if (v->changes != NULL)
		explicit_bzero(v->changes, v->n * sizeof(*v->changes));
	free(v->changes);
	if (v->issues != NULL)
		explicit_bzero(v->issues, v->nissues * sizeof(*v->issues));
	free(v->issues);
	explicit_bzero(&v->pupil, sizeof(v->pupil));
}

static void
audit_access(struct page *p, const struct pupil_view *v, const char *what)
{
	audit(p->web->st, AUDIT_PUPIL_ACCESS, p->acct.id, v->school.id,
	      p->acct.username, p->req->client_addr, "pupil %lld: %s",
	      (long long)v->pupil.id, what);
}

static void
back_to_roster(struct page *p, const struct school *s)
{
	html(&p->resp->body,
	     "<p class=\"back\"><a href=\"/bibliotheek/school/%lld/leerlingen\">",
	     (long long)s->id);
	html(&p->resp->body, page_msg(p, MSG_BACK_TO_ROSTER), s->name);
	html(&p->resp->body, "</a></p>");
}

/* "1234, Zoë de Vries, 3-3-2016, Groep 4" */
static void
values(struct page *p, const struct student *s)
{
	char name[200], born[16];

	student_name(s, name, sizeof(name));
	norm_date_fmt(s->birth, born, sizeof(born));
	html(&p->resp->body, "%s, %s, %s, %s", s->number, name, born, s->group);
}

static void
fields(struct page *p, const struct pupil_view *v)
{
	const struct student *s = &v->pupil;
	char born[16], jaar[8] = "-", since[32], left[32], enrol[128];

	norm_date_fmt(s->birth, born, sizeof(born));
	if (s->jaargroep != JAARGROEP_UNKNOWN)
		snprintf(jaar, sizeof(jaar), "%d", s->jaargroep);
	time_fmt_local(s->enrolled, since, sizeof(since));
	time_fmt_local(s->left_at, left, sizeof(left));
	if (s->active)
		snprintf(enrol, sizeof(enrol), page_msg(p, MSG_PUPIL_ACTIVE),
		         since);
	else
		snprintf(enrol, sizeof(enrol), page_msg(p, MSG_PUPIL_LEFT),
		         left, since);
	html(&p->resp->body,
	     "<dl class=\"details pupil\"><dt>%s</dt><dd>%s</dd>"
	     "<dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd>"
	     "<dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd>"
	     "<dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd>"
	     "<dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd></dl>",
	     page_msg(p, MSG_COL_NUMBER), s->number,
	     page_msg(p, MSG_FIRST_NAME), s->roepnaam,
	     page_msg(p, MSG_NAME_PREFIX), s->tussenvoegsel,
	     page_msg(p, MSG_LAST_NAME), s->achternaam,
	     page_msg(p, MSG_COL_BIRTH), born, page_msg(p, MSG_COL_GROUP),
	     s->group, page_msg(p, MSG_COL_JAARGROEP), jaar,
	     page_msg(p, MSG_SCHOOL), v->school.name,
	     page_msg(p, MSG_ENROLMENT), enrol);
}

static void
history(struct page *p, const struct pupil_view *v)
{
	struct buf *b = &p->resp->body;
	char when[32], state[96];

	html(b, "<h2>%s</h2>", page_msg(p, MSG_PUPIL_HISTORY));
	if (v->n == 0) {
		html(b, "<p>%s</p>", page_msg(p, MSG_PUPIL_NO_HISTORY));
		return;
	}
	html(b,
	     "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"%s\">"
	     "<table class=\"stack history\"><thead><tr><th scope=\"col\">%s</th>"
	     "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
	     "<th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>",
	     page_msg(p, MSG_PUPIL_HISTORY), page_msg(p, MSG_WHEN),
	     page_msg(p, MSG_COL_FILE), page_msg(p, MSG_STATE),
	     page_msg(p, MSG_COL_CHANGE), page_msg(p, MSG_COL_IN_UPLOAD));
	for (size_t i = 0; i < v->n; i++) {
		const struct pupil_change *c = &v->changes[i];

		time_fmt_local(c->import.created, when, sizeof(when));
		import_status(p, &c->import, state, sizeof(state));
		html(b,
		     "<tr><td data-label=\"%s\">%s</td>"
		     "<td data-label=\"%s\"><a href=\"/docent/import/%lld\">%s</a></td>"
		     "<td data-label=\"%s\">%s</td><td data-label=\"%s\">%s</td>"
		     "<td data-label=\"%s\"><div>",
		     page_msg(p, MSG_WHEN), when, page_msg(p, MSG_COL_FILE),
		     (long long)c->import.id, c->import.filename,
		     page_msg(p, MSG_STATE), state, page_msg(p, MSG_COL_CHANGE),
		     change_label(c->kind, p->lang),
		     page_msg(p, MSG_COL_IN_UPLOAD));
		values(p, c->has_after ? &c->after : &c->before);
		if (c->has_before && c->has_after) {
			/* what the upload changes, as the upload's page says */
			struct field_change f[FIELD__MAX];
			size_t nf = change_fields(&c->before, &c->after, f);

			for (size_t k = 0; k < nf; k++)
				html(b,
				     "<br><span class=\"field\">%s: <del>%s</del> \xe2\x86\x92 <ins>%s</ins></span>",
				     change_field_label(f[k].field, p->lang),
				     f[k].before, f[k].after);
		}
		html(b, "</div></td></tr>");
	}
	html(b, "</tbody></table></div>");
}

/* The report lines of uploads that name the pupil. */
static void
issues(struct page *p, const struct pupil_view *v)
{
	struct buf *b = &p->resp->body, say;

	if (v->nissues == 0)
		return;
	html(b, "<h2>%s</h2><ul class=\"issues\">",
	     page_msg(p, MSG_PUPIL_ISSUES));
	buf_init(&say, 4096);
	for (size_t i = 0; i < v->nissues; i++) {
		buf_reset(&say);
		roster_issue_say(&say, &v->issues[i].issue, p->lang, 0);
		html(b, "<li><a href=\"/docent/import/%lld\">%s</a></li>",
		     (long long)v->issues[i].import_id, say.data);
	}
	buf_release_secret(&say);
	html(b, "</ul>");
}

void
get_pupil(struct page *p)
{
	struct buf *b = &p->resp->body;
	struct pupil_view v;
	char name[200], title[300];

	if (!pupil_load(p, &v, true))
		return;
	student_name(&v.pupil, name, sizeof(name));
	snprintf(title, sizeof(title), page_msg(p, MSG_PUPIL_TITLE), name);
	page_begin(p, title);
	back_to_roster(p, &v.school);
	html(b, "<section class=\"card\"><h1>%s</h1><p>%s</p>", title,
	     page_msg(p, MSG_PUPIL_INTRO));
	fields(p, &v);
	history(p, &v);
	issues(p, &v);
	html(b,
	     "<h2>%s</h2><p><a href=\"/bibliotheek/leerling/%lld/gegevens.json\" download>%s</a></p>"
	     "<p><a class=\"button\" href=\"/bibliotheek/leerling/%lld/wissen\">%s</a></p></section>",
	     page_msg(p, MSG_PUPIL_AVG), (long long)v.pupil.id,
	     page_msg(p, MSG_PUPIL_DOWNLOAD), (long long)v.pupil.id,
	     page_msg(p, MSG_PUPIL_ERASE_LINK));
	page_end(p);
	audit_access(p, &v, "looked at");
	pupil_release(&v);
}

void
get_pupil_json(struct page *p)
{
	struct pupil_view v;
	struct buf x;
	char name[64];

	if (!pupil_load(p, &v, true))
		return;
	buf_init(&x, (size_t)64 << 20);
	struct pupil_record r = { &v.school, &v.pupil, v.changes,
		                  v.n,       v.issues, v.nissues };

	if (pupil_json(&x, &r, time_now()) != ERR_OK) {
		page_message(p, 500, MSG_ERROR_TITLE, MSG_ERROR_BODY);
	} else {
		snprintf(name, sizeof(name), "leerling-%lld.json",
		         (long long)v.pupil.id);
		page_download(p, "application/json", name, x.data, x.len);
		audit_access(p, &v, "gegevens.json downloaded");
	}
	buf_release_secret(&x);
	pupil_release(&v);
}

/* The confirmation page; status 422 with a message when the box was not
 * ticked. */
static void
erase_page(struct page *p, struct pupil_view *v, int status)
{
	struct buf *b = &p->resp->body;
	char name[200], title[300], rows[24], uploads[24], previews[24];
	size_t nuploads = 0, npreviews = 0;

	for (size_t i = 0; i < v->n; i++) {
		if (i > 0 &&
		    v->changes[i - 1].import.id == v->changes[i].import.id)
			continue;
		nuploads++;
		npreviews += v->changes[i].import.state == IMPORT_PREVIEW;
	}
	student_name(&v->pupil, name, sizeof(name));
	snprintf(title, sizeof(title), page_msg(p, MSG_ERASE_TITLE), name);
	snprintf(rows, sizeof(rows), "%zu", v->n);
	snprintf(uploads, sizeof(uploads), "%zu", nuploads);
	snprintf(previews, sizeof(previews), "%zu", npreviews);
	p->resp->status = status;
	page_begin(p, title);
	back_to_roster(p, &v->school);
	html(b, "<section class=\"card erase\"><h1>%s</h1>", title);
	if (status != 200)
		html(b,
		     "<div class=\"error-summary\" role=\"alert\"><p><a href=\"#bevestig\">%s</a></p></div>",
		     page_msg(p, MSG_ERASE_NOT_CHECKED));
	html(b, "<p>%s</p><ul class=\"erase-list\"><li>%s</li><li>",
	     page_msg(p, MSG_ERASE_INTRO), page_msg(p, MSG_ERASE_PUPIL));
	html(b, page_msg(p, MSG_ERASE_JOURNAL), rows, uploads);
	html(b, "</li><li>%s</li></ul>", page_msg(p, MSG_ERASE_ISSUES));
	if (npreviews > 0) {
		html(b, "<p class=\"guard\">");
		html(b, page_msg(p, MSG_ERASE_PREVIEWS), previews);
		html(b, "</p>");
	}
	html(b, "<p>%s</p><p>%s</p><p class=\"blocked\">%s</p>",
	     page_msg(p, MSG_ERASE_KEPT), page_msg(p, MSG_ERASE_RETURNS),
	     page_msg(p, MSG_ERASE_FINAL));
	html(b,
	     "<form class=\"form\" method=\"post\" action=\"/bibliotheek/leerling/%lld/wissen\">",
	     (long long)v->pupil.id);
	page_csrf_input(p);
	html(b,
	     "<div class=\"check\"><input type=\"checkbox\" id=\"bevestig\" name=\"bevestig\" value=\"ja\"%S>"
	     "<label for=\"bevestig\">",
	     status != 200 ? " aria-invalid=\"true\"" : "");
	html(b, page_msg(p, MSG_ERASE_CHECK), name);
	html(b,
	     "</label></div><button type=\"submit\" class=\"primary danger\">%s</button></form>"
	     "<p><a href=\"/bibliotheek/leerling/%lld\">%s</a></p></section>",
	     page_msg(p, MSG_ERASE_BUTTON), (long long)v->pupil.id,
	     page_msg(p, MSG_ERASE_KEEP));
	page_end(p);
}

void
get_pupil_erase(struct page *p)
{
	struct pupil_view v;

	if (!pupil_load(p, &v, true))
		return;
	erase_page(p, &v, 200);
	pupil_release(&v);
}

void
post_pupil_erase(struct page *p)
{
	const struct store_actor who = page_actor(p);
	struct pupil_erasure out;
	struct pupil_view v;
	char where[96];
	enum err e;

	if (!pupil_load(p, &v, false))
		return;
	if (strcmp(page_field(p, "bevestig"), "ja") != 0) {
		pupil_release(&v);
		if (!pupil_load(p, &v, true))
			return;
		erase_page(p, &v, 422);
		pupil_release(&v);
		return;
	}
	e = store_pupil_erase(p->web->st, &who, v.school.id, v.pupil.id, &out);
	if (e != ERR_OK) {
		/* erased in the meantime (another tab): gone like any id */
		if (e == ERR_NOTFOUND)
			page_message(p, 404, MSG_NOTFOUND_TITLE,
			             MSG_NOTFOUND_BODY);
		else
			page_message(p, 500, MSG_ERROR_TITLE, MSG_ERROR_BODY);
		pupil_release(&v);
		return;
	}
	snprintf(where, sizeof(where),
	         "/bibliotheek/school/%lld/leerlingen?gewist=1",
	         (long long)v.school.id);
	pupil_release(&v);
	page_redirect(p, where);
}
