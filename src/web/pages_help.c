/*
 * Help for school staff: the page on uploading and reading the overview
 * (/help/uploaden), the "Meer hulp" links shared by the help pages, and
 * the library's contact details that the login page and the help pages
 * show wherever a user is told to ask the library for something: those
 * of the user's own library organisation (or, for a visitor, of the
 * school in ?school=SLUG), else those of the configuration ([library]
 * contact_name, phone, email).
 *
 * The contact details are written as text (escaped); the telephone link keeps
 * only digits and a leading '+', so a number written "0344 12 34 56" dials.
 */
#include <string.h>

#include "pages.h"
#include "../base/strparse.h"

/* "0344 12 34 56" -> "0344123456", "+31 (0)344 ..." -> "+310344..." */
static void
tel_digits(const char *phone, char *out, size_t outsz)
{
	size_t n = 0;

	for (const char *s = phone; *s != '\0' && n + 1 < outsz; s++)
		if ((*s >= '0' && *s <= '9') || (*s == '+' && n == 0))
			out[n++] = *s;
	out[n] = '\0';
}

/* The contact a page shows, with the name above it. */
struct shown_contact {
	char title[STORE_NAME_MAX + 1]; /* the person, else the library */
	struct contact c;
};

/*
 * Whose contact a page shows: the library of the logged-in user, else of
 * the school named by ?school=SLUG (the link in an account's letter),
 * when that library has filled in any part; else the configuration's.
 */
static void
pick_contact(struct page *p, struct shown_contact *out)
{
	const struct web_contact *c = &p->web->cfg.contact;
	const char *slug = http_query(p->req, "school");
	struct school s;
	struct library l;

	memset(out, 0, sizeof(*out));
	l.id = 0;
	if (p->logged_in)
		l = p->library;
	else if (slug != NULL && slug[0] != '\0' &&
	         store_school_by_slug(p->web->st, slug, &s) == ERR_OK &&
	         store_library_get(p->web->st, s.library_id, &l) != ERR_OK)
		l.id = 0;
	if (l.id != 0 &&
	    (l.contact.name[0] != '\0' || l.contact.phone[0] != '\0' ||
	     l.contact.email[0] != '\0')) {
		out->c = l.contact;
		str_copy(out->title, sizeof(out->title),
		         l.contact.name[0] != '\0' ? l.contact.name : l.name);
		return;
	}
	str_copy(out->c.name, sizeof(out->c.name), c->name);
	str_copy(out->c.phone, sizeof(out->c.phone), c->phone);
	str_copy(out->c.email, sizeof(out->c.email), c->email);
	str_copy(out->title, sizeof(out->title),
	         c->name[0] != '\0' ? c->name : p->web->cfg.library_name);
}

bool
help_contact(struct page *p)
{
	struct buf *b = &p->resp->body;
	struct shown_contact sc;
	const struct contact *c = &sc.c;
	char tel[64];

	pick_contact(p, &sc);
	if (c->name[0] == '\0' && c->phone[0] == '\0' && c->email[0] == '\0')
		return false;
	html(b, "<address class=\"contact\"><strong>%s</strong>", sc.title);
	if (c->phone[0] != '\0') {
		tel_digits(c->phone, tel, sizeof(tel));
		if (tel[0] != '\0')
			html(b, "<span>%s: <a href=\"tel:%s\">%s</a></span>",
			     page_msg(p, MSG_CONTACT_PHONE), tel, c->phone);
		else
			html(b, "<span>%s: %s</span>",
			     page_msg(p, MSG_CONTACT_PHONE), c->phone);
	}
	if (c->email[0] != '\0')
		html(b, "<span>%s: <a href=\"mailto:%s\">%s</a></span>",
		     page_msg(p, MSG_CONTACT_EMAIL), c->email, c->email);
	html(b, "</address>");
	return true;
}

void
help_more(struct page *p)
{
	static const struct {
		const char *path;
		enum msg title;
	} pages[] = {
		{ "/help/aanmelden", MSG_HELP_LOGIN_TITLE },
		{ "/help/uploaden", MSG_HELP_UPLOAD_TITLE },
		{ "/help/parnassys", MSG_GUIDE_PARNASSYS },
		{ "/help/esis", MSG_GUIDE_ESIS },
		{ "/help/dotcom", MSG_GUIDE_DOTCOM },
	};
	struct buf *b = &p->resp->body;

	html(b,
	     "<nav class=\"more-help\" aria-labelledby=\"meer-hulp\">"
	     "<h2 id=\"meer-hulp\">%s</h2><ul>",
	     page_msg(p, MSG_MORE_HELP));
	for (size_t i = 0; i < sizeof(pages) / sizeof(pages[0]); i++)
		if (strcmp(pages[i].path, p->req->path) != 0)
			html(b, "<li><a href=\"%s\">%s</a></li>", pages[i].path,
			     page_msg(p, pages[i].title));
	html(b, "</ul></nav>");
}

void
get_help_upload(struct page *p)
{
	struct buf *b = &p->resp->body;
	static const enum msg sections[] = {
		MSG_HELP_UPLOAD_INTRO, MSG_HELP_UPLOAD_FILE,
		MSG_HELP_UPLOAD_HOW,   MSG_HELP_UPLOAD_READ,
		MSG_HELP_UPLOAD_GUARD, MSG_HELP_UPLOAD_DECIDE,
		MSG_HELP_UPLOAD_UNDO,
	};

	page_begin(p, page_msg(p, MSG_HELP_UPLOAD_TITLE));
	html(b, "<section class=\"card prose\"><h1>%s</h1>",
	     page_msg(p, MSG_HELP_UPLOAD_TITLE));
	for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++)
		html(b, "%S", page_msg(p, sections[i]));
	html(b, "<h2 id=\"vragen\">%s</h2><p>%s</p>",
	     page_msg(p, MSG_QUESTIONS), page_msg(p, MSG_QUESTIONS_BODY));
	help_contact(p);
	help_more(p);
	if (!p->logged_in)
		html(b, "<p><a href=\"/aanmelden\">%s</a></p>",
		     page_msg(p, MSG_BACK_TO_LOGIN));
	else if (p->acct.role == ROLE_DOCENT && !p->acct.must_change)
		html(b, "<p><a href=\"/docent/upload\">%s</a></p>",
		     page_msg(p, MSG_TO_UPLOAD));
	html(b, "</section>");
	page_end(p);
}
