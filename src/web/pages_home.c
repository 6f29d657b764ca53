/*
 * The home page after login: the Docent menu for school staff, the list of
 * schools for library staff (library_home, in pages_library.c).  Anonymous
 * visitors are sent to Aanmelden.
 */
#include <stdlib.h>

#include "pages.h"
#include "../import/import.h"
#include "../base/mem.h"
#include "../base/text.h"

static int
first_import(const struct import_rec *r, void *arg)
{
	*(struct import_rec *)arg = *r;
	return 1;
}

/* The school's unconfirmed preview that can still be confirmed, if any. */
static bool
open_preview(struct page *p, struct import_rec *rec)
{
	rec->id = 0;
	/* staging cancels the school's older previews: only the newest
	 * import can be open */
	store_import_list(p->web->st, 0, p->acct.school_id, 1, first_import,
	                  rec);
	/* the import layer's rule, the guard aside (the page asks for it) */
	return rec->id != 0 &&
	       import_may_confirm(&p->web->cfg.imports, rec, true,
	                          time_now()) == IMPORT_OK;
}

void
open_preview_banner(struct page *p, bool uploading)
{
	struct buf *b = &p->resp->body;
	struct import_rec open;
	char when[32];

	if (!open_preview(p, &open))
		return;
	time_fmt_local(open.created, when, sizeof(when));
	html(b, "<div class=\"banner open\" role=\"status\"><p>");
	html(b, page_msg(p, MSG_OPEN_PREVIEW), when, open.filename);
	if (uploading)
		html(b, " %s", page_msg(p, MSG_OPEN_PREVIEW_UPLOAD));
	html(b, "</p><p><a%S href=\"/docent/import/%lld\">%s</a></p></div>",
	     uploading ? "" : " class=\"button primary\"", (long long)open.id,
	     page_msg(p, MSG_OPEN_PREVIEW_LINK));
}

static void
docent_home(struct page *p)
{
	struct buf *b = &p->resp->body;

	page_begin(p, page_msg(p, MSG_DOCENT_WELCOME));
	html(b, "<section class=\"card\"><h1>%s</h1>",
	     page_msg(p, MSG_DOCENT_WELCOME));
	password_changed_notice(p);
	open_preview_banner(p, false);
	html(b,
	     "<p class=\"school-name\">%s</p><p>%s</p>"
	     "<h2>%s</h2><ul class=\"tiles\">"
	     "<li><a href=\"/docent/upload\">%s</a></li>"
	     "<li><a href=\"/docent/imports\">%s</a></li>"
	     "<li><a href=\"/mijn-gegevens\">%s</a></li>"
	     "<li><a href=\"/help/aanmelden\">%s</a></li></ul></section>",
	     p->school.name, page_msg(p, MSG_DOCENT_INTRO),
	     page_msg(p, MSG_MENU_DOCENT), page_msg(p, MSG_UPLOAD),
	     page_msg(p, MSG_IMPORTS), page_msg(p, MSG_MY_DETAILS),
	     page_msg(p, MSG_HELP));
	page_end(p);
}

void
get_home(struct page *p)
{
	if (!p->logged_in)
		page_redirect(p, "/aanmelden");
	else if (p->acct.role == ROLE_BIBLIOTHEEK)
		library_home(p);
	else
		docent_home(p);
}
