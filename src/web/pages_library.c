/*
 * The library's schools in the browser: the start page of library staff
 * (every school of the library with its pupils, last applied upload, open
 * previews and accounts), adding and editing a school (name, BRIN, the
 * school's contact), and a school's own page with its details, its links
 * to uploads and roster and its accounts with what can be done to each.
 *
 * Only schools of the user's own library are shown or changed: a school
 * id of another library gets the same 404 as one that does not exist
 * (page_library_school).  Every change goes through src/auth/account.c,
 * which checks it again and writes the audit row.  A refused form shows
 * every problem at once, in a summary and next to its field.
 */
#include <stdio.h>
#include <string.h>

#include "pages.h"
#include "../auth/account.h"
#include "../base/strparse.h"
#include "../base/text.h"

/* ---- the start page ---- */

static int
overview_row(const struct school_overview *o, void *arg)
{
	struct page *p = arg;
	struct buf *b = &p->resp->body;
	char when[32];

	html(b,
	     "<tr><th scope=\"row\" data-label=\"%s\"><a href=\"/bibliotheek/school/%lld\">%s</a></th>"
	     "<td data-label=\"%s\">%s</td><td class=\"num\" data-label=\"%s\">%lld</td>"
	     "<td data-label=\"%s\">",
	     page_msg(p, MSG_COL_NAME), (long long)o->school.id, o->school.name,
	     page_msg(p, MSG_COL_BRIN), o->school.brin,
	     page_msg(p, MSG_LIB_COL_PUPILS), (long long)o->pupils,
	     page_msg(p, MSG_LIB_COL_LAST_APPLIED));
	if (o->last_applied != 0) {
		time_fmt_local(o->last_applied, when, sizeof(when));
		html(b, "<a href=\"/docent/import/%lld\">%s</a>",
		     (long long)o->last_applied_id, when);
	} else {
		html(b, "%s", page_msg(p, MSG_LIB_NONE_YET));
	}
	html(b,
	     "</td><td class=\"num\" data-label=\"%s\">%lld</td>"
	     "<td class=\"num\" data-label=\"%s\">%lld</td></tr>",
	     page_msg(p, MSG_LIB_COL_OPEN), (long long)o->open_previews,
	     page_msg(p, MSG_COL_ACCOUNTS), (long long)o->accounts);
	return 0;
}

void
library_home(struct page *p)
{
	struct buf *b = &p->resp->body;
	size_t before;

	page_begin(p, page_msg(p, MSG_SCHOOLS));
	password_changed_notice(p);
	html(b, "<section class=\"card\"><h1>%s</h1><p>",
	     page_msg(p, MSG_SCHOOLS));
	html(b, page_msg(p, MSG_LIB_SCHOOLS_INTRO), p->library.name);
	html(b,
	     "</p><p><a class=\"button primary\" href=\"/bibliotheek/school/nieuw\">%s</a></p>"
	     "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"%s\">"
	     "<table class=\"stack schools\"><thead><tr><th scope=\"col\">%s</th>"
	     "<th scope=\"col\">%s</th><th scope=\"col\" class=\"num\">%s</th>"
	     "<th scope=\"col\">%s</th><th scope=\"col\" class=\"num\">%s</th>"
	     "<th scope=\"col\" class=\"num\">%s</th></tr></thead><tbody>",
	     page_msg(p, MSG_LIB_ADD_SCHOOL), page_msg(p, MSG_SCHOOLS),
	     page_msg(p, MSG_COL_NAME), page_msg(p, MSG_COL_BRIN),
	     page_msg(p, MSG_LIB_COL_PUPILS),
	     page_msg(p, MSG_LIB_COL_LAST_APPLIED),
	     page_msg(p, MSG_LIB_COL_OPEN), page_msg(p, MSG_COL_ACCOUNTS));
	before = b->len;
	store_school_overview(p->web->st, p->acct.library_id, overview_row, p);
	html(b, "</tbody></table></div>");
	if (b->len == before + strlen("</tbody></table></div>"))
		html(b, "<p>%s</p>", page_msg(p, MSG_NO_SCHOOLS));
	html(b, "</section>");
	page_end(p);
}

/* ---- contact fields, shared with the organisation page ---- */

void
library_contact_check(const struct contact *c, struct contact_errors *e)
{
	struct contact one;

	e->name = e->phone = e->email = MSG__MAX;
	/* each part on its own, so each gets its own message */
	memset(&one, 0, sizeof(one));
	str_copy(one.name, sizeof(one.name), c->name);
	if (!account_contact_valid(&one))
		e->name = MSG_LIB_ERR_CONTACT_NAME;
	memset(&one, 0, sizeof(one));
	str_copy(one.phone, sizeof(one.phone), c->phone);
	if (!account_contact_valid(&one))
		e->phone = MSG_LIB_ERR_PHONE;
	memset(&one, 0, sizeof(one));
	str_copy(one.email, sizeof(one.email), c->email);
	if (!account_contact_valid(&one))
		e->email = MSG_LIB_ERR_EMAIL;
}

bool
library_contact_read(struct page *p, struct contact *c)
{
	memset(c, 0, sizeof(*c));
	return str_copy(c->name, sizeof(c->name),
	                page_field(p, "contactnaam")) == ERR_OK &&
	       str_copy(c->phone, sizeof(c->phone),
	                page_field(p, "telefoon")) == ERR_OK &&
	       str_copy(c->email, sizeof(c->email), page_field(p, "email")) ==
	               ERR_OK;
}

void
library_contact_inputs(struct page *p, enum msg legend, enum msg hint,
                       const struct contact *c, const struct contact_errors *e)
{
	const struct page_input in[] = {
		{ "contactnaam", MSG_LIB_FIELD_CONTACT_NAME, MSG__MAX, e->name,
		  "text", "name", " maxlength=\"120\"", c->name },
		{ "telefoon", MSG_LIB_FIELD_PHONE, MSG__MAX, e->phone, "tel",
		  "tel", " maxlength=\"40\"", c->phone },
		{ "email", MSG_LIB_FIELD_EMAIL, MSG__MAX, e->email, "email",
		  "email", " maxlength=\"254\"", c->email },
	};

	html(&p->resp->body,
	     "<fieldset class=\"contact-fields\"><legend>%s</legend>"
	     "<p class=\"hint\">%s</p>",
	     page_msg(p, legend), page_msg(p, hint));
	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++)
		page_input(p, &in[i]);
	html(&p->resp->body, "</fieldset>");
}

/* The contact as a list of details; says so when there is none. */
void
library_contact_details(struct page *p, const struct contact *c)
{
	struct buf *b = &p->resp->body;

	if (c->name[0] == '\0' && c->phone[0] == '\0' && c->email[0] == '\0') {
		html(b, "<p>%s</p>", page_msg(p, MSG_LIB_NO_CONTACT));
		return;
	}
	html(b, "<dl class=\"details\">");
	if (c->name[0] != '\0')
		html(b, "<dt>%s</dt><dd>%s</dd>",
		     page_msg(p, MSG_LIB_FIELD_CONTACT_NAME), c->name);
	if (c->phone[0] != '\0')
		html(b, "<dt>%s</dt><dd>%s</dd>",
		     page_msg(p, MSG_LIB_FIELD_PHONE), c->phone);
	if (c->email[0] != '\0')
		html(b, "<dt>%s</dt><dd><a href=\"mailto:%s\">%s</a></dd>",
		     page_msg(p, MSG_LIB_FIELD_EMAIL), c->email, c->email);
	html(b, "</dl>");
}

/* ---- adding and editing a school ---- */

struct school_errors {
	enum msg name, brin;
	struct contact_errors contact;
};

/* The form; s holds what was typed (or the school as it is). */
static void
school_form(struct page *p, int status, const struct school *s,
            const struct school_errors *e)
{
	struct buf *b = &p->resp->body;
	bool add = s->id == 0;
	enum msg title = add ? MSG_LIB_ADD_SCHOOL : MSG_LIB_EDIT_SCHOOL_TITLE;
	const struct page_error summary[] = {
		{ "naam", e->name },
		{ "brin", e->brin },
		{ "contactnaam", e->contact.name },
		{ "telefoon", e->contact.phone },
		{ "email", e->contact.email },
	};
	const struct page_input name = { "naam",
		                         MSG_LIB_FIELD_SCHOOL_NAME,
		                         MSG_LIB_FIELD_SCHOOL_NAME_HINT,
		                         e->name,
		                         "text",
		                         "organization",
		                         " required maxlength=\"200\"",
		                         s->name };
	const struct page_input brin = { "brin",
		                         MSG_LIB_FIELD_BRIN,
		                         MSG_LIB_FIELD_BRIN_HINT,
		                         e->brin,
		                         "text",
		                         "off",
		                         " required maxlength=\"4\" "
		                         "autocapitalize=\"characters\" "
		                         "spellcheck=\"false\" class=\"short\"",
		                         s->brin };

	p->resp->status = status;
	buf_reset(b);
	page_begin(p, page_msg(p, title));
	html(b, "<section class=\"card\"><h1>%s</h1>", page_msg(p, title));
	if (!add)
		html(b, "<p class=\"school-name\">%s</p>", s->name);
	page_error_summary(p, summary, sizeof(summary) / sizeof(summary[0]));
	if (add)
		html(b, "<p>%s</p>", page_msg(p, MSG_LIB_SCHOOL_FORM_INTRO));
	if (add)
		html(b,
		     "<form method=\"post\" action=\"/bibliotheek/school/nieuw\" class=\"form\">");
	else
		html(b,
		     "<form method=\"post\" action=\"/bibliotheek/school/%lld/bewerken\" class=\"form\">",
		     (long long)s->id);
	page_csrf_input(p);
	page_input(p, &name);
	page_input(p, &brin);
	library_contact_inputs(p, MSG_LIB_SCHOOL_CONTACT,
	                       MSG_LIB_CONTACT_OPTIONAL, &s->contact,
	                       &e->contact);
	html(b, "<button type=\"submit\" class=\"primary\">%s</button></form>",
	     page_msg(p, add ? MSG_LIB_ADD_SCHOOL : MSG_LIB_SAVE));
	if (add)
		html(b, "<p><a href=\"/\">%s</a></p>", page_msg(p, MSG_CANCEL));
	else
		html(b, "<p><a href=\"/bibliotheek/school/%lld\">%s</a></p>",
		     (long long)s->id, page_msg(p, MSG_CANCEL));
	html(b, "</section>");
	page_end(p);
}

static const struct school_errors no_school_errors = {
	MSG__MAX, MSG__MAX, { MSG__MAX, MSG__MAX, MSG__MAX }
};

/*
 * Read the form into s and check every field; true when all are right.
 * The BRIN is made upper-case, as it is stored.
 */
static bool
school_read(struct page *p, struct school *s, struct school_errors *e)
{
	const char *name = page_field(p, "naam");
	char slug[STORE_SLUG_MAX + 1];

	*e = no_school_errors;
	if (str_copy(s->name, sizeof(s->name), name) != ERR_OK)
		e->name = MSG_LIB_ERR_SCHOOL_NAME;
	str_copy(s->brin, sizeof(s->brin), page_field(p, "brin"));
	str_trim(s->name);
	str_trim(s->brin);
	for (char *c = s->brin; *c != '\0'; c++)
		if (*c >= 'a' && *c <= 'z')
			*c = (char)(*c - 'a' + 'A');
	account_slugify(s->name, slug, sizeof(slug));
	if (s->name[0] == '\0' || slug[0] == '\0')
		e->name = MSG_LIB_ERR_SCHOOL_NAME;
	if (!account_brin_wellformed(s->brin))
		e->brin = MSG_LIB_ERR_BRIN;
	if (!library_contact_read(p, &s->contact)) {
		e->contact.name = MSG_LIB_ERR_CONTACT_NAME;
		e->contact.email = MSG_LIB_ERR_EMAIL;
	} else {
		library_contact_check(&s->contact, &e->contact);
	}
	return e->name == MSG__MAX && e->brin == MSG__MAX &&
	       e->contact.name == MSG__MAX && e->contact.phone == MSG__MAX &&
	       e->contact.email == MSG__MAX;
}

void
get_school_new(struct page *p)
{
	struct school s;

	memset(&s, 0, sizeof(s));
	school_form(p, 200, &s, &no_school_errors);
}

void
post_school_new(struct page *p)
{
	struct store_actor who = page_actor(p);
	struct school s, added;
	struct school_errors e;
	char path[64];

	memset(&s, 0, sizeof(s));
	if (!school_read(p, &s, &e)) {
		school_form(p, 422, &s, &e);
		return;
	}
	switch (account_school_add(p->web->st, &who, p->acct.library_id, s.name,
	                           s.brin, "", &s.contact, &added)) {
	case ERR_OK:
		snprintf(path, sizeof(path),
		         "/bibliotheek/school/%lld?toegevoegd=1",
		         (long long)added.id);
		page_redirect(p, path);
		return;
	case ERR_EXISTS:
		e.name = MSG_LIB_ERR_SCHOOL_TAKEN;
		break;
	case ERR_INVALID:
		e.name = MSG_LIB_ERR_SCHOOL_NAME;
		break;
	default:
		e.name = MSG_LIB_ERR_SAVE;
		break;
	}
	school_form(p, 422, &s, &e);
}

void
get_school_edit(struct page *p)
{
	struct school s;

	if (page_library_school(p, p->id, &s))
		school_form(p, 200, &s, &no_school_errors);
}

void
post_school_edit(struct page *p)
{
	struct store_actor who = page_actor(p);
	struct school s;
	struct school_errors e;
	char path[64];

	if (!page_library_school(p, p->id, &s))
		return;
	if (!school_read(p, &s, &e)) {
		school_form(p, 422, &s, &e);
		return;
	}
	if (account_school_update(p->web->st, &who, &s) != ERR_OK) {
		e.name = MSG_LIB_ERR_SAVE;
		school_form(p, 422, &s, &e);
		return;
	}
	snprintf(path, sizeof(path), "/bibliotheek/school/%lld?opgeslagen=1",
	         (long long)s.id);
	page_redirect(p, path);
}

/* ---- a school's page ---- */

struct pupils {
	int64_t school_id;
	int64_t n;
};

static int
find_pupils(const struct school_overview *o, void *arg)
{
	struct pupils *c = arg;

	if (o->school.id != c->school_id)
		return 0;
	c->n = o->pupils;
	return 1;
}

void
library_notice(struct page *p, enum msg saved)
{
	static const struct {
		const char *query;
		enum msg text;
	} notices[] = {
		{ "toegevoegd", MSG_LIB_SCHOOL_ADDED },
		{ "opgeslagen", MSG__MAX },
		{ "uitgezet", MSG_LIB_ACCOUNT_DISABLED },
		{ "aangezet", MSG_LIB_ACCOUNT_ENABLED },
		{ "tweestaps", MSG_LIB_TWOSTEP_RESET_DONE },
	};

	for (size_t i = 0; i < sizeof(notices) / sizeof(notices[0]); i++)
		if (http_query(p->req, notices[i].query) != NULL) {
			html(&p->resp->body,
			     "<p class=\"notice\" role=\"status\">%s</p>",
			     page_msg(p, notices[i].text != MSG__MAX
			                         ? notices[i].text
			                         : saved));
			return;
		}
}

void
get_school(struct page *p)
{
	struct buf *b = &p->resp->body;
	struct school s;
	struct pupils c;

	if (!page_library_school(p, p->id, &s))
		return;
	c.school_id = s.id;
	c.n = 0;
	store_school_overview(p->web->st, p->acct.library_id, find_pupils, &c);
	page_begin(p, s.name);
	html(b, "<section class=\"card\"><h1>%s</h1>", s.name);
	library_notice(p, MSG_LIB_SCHOOL_SAVED);
	html(b,
	     "<dl class=\"details\"><dt>%s</dt><dd>%s</dd>"
	     "<dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%lld</dd></dl>"
	     "<h2>%s</h2>",
	     page_msg(p, MSG_LIB_FIELD_BRIN), s.brin, page_msg(p, MSG_COL_SLUG),
	     s.slug, page_msg(p, MSG_LIB_COL_PUPILS), (long long)c.n,
	     page_msg(p, MSG_LIB_SCHOOL_CONTACT));
	library_contact_details(p, &s.contact);
	html(b,
	     "<ul class=\"links\">"
	     "<li><a href=\"/bibliotheek/school/%lld/bewerken\">%s</a></li>"
	     "<li><a href=\"/bibliotheek/imports?school=%lld\">%s</a></li>"
	     "<li><a href=\"/bibliotheek/school/%lld/leerlingen\">%s</a></li>"
	     "</ul></section>",
	     (long long)s.id, page_msg(p, MSG_LIB_EDIT_SCHOOL), (long long)s.id,
	     page_msg(p, MSG_LIB_SCHOOL_UPLOADS), (long long)s.id,
	     page_msg(p, MSG_LIB_SCHOOL_ROSTER));
	html(b, "<section class=\"card\"><h2>%s</h2>",
	     page_msg(p, MSG_COL_ACCOUNTS));
	if (!library_account_table(p, s.id))
		html(b, "<p>%s</p>", page_msg(p, MSG_LIB_NO_ACCOUNTS));
	html(b,
	     "<p><a class=\"button primary\" href=\"/bibliotheek/school/%lld/account-nieuw\">%s</a></p>"
	     "<p><a href=\"/\">%s</a></p></section>",
	     (long long)s.id, page_msg(p, MSG_LIB_ADD_ACCOUNT),
	     page_msg(p, MSG_TO_HOME));
	page_end(p);
}
