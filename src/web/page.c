/*
 * Page layout and small page helpers (see page.h).  The layout is one
 * column: a header with the "de Bieb op school" title, the library's name
 * and the menu for the account's role; the content; a footer with the
 * language switch, which leads back to the same page.  No inline script
 * or style: everything visual comes from /static/style.css, so the
 * Content-Security-Policy can stay strict.
 */
#include <stdio.h>
#include <string.h>

#include "page.h"
#include "../auth/session.h"

const char *
page_msg(struct page *p, enum msg m)
{
	return msg(p->lang, m);
}

const char *
page_field(struct page *p, const char *name)
{
	for (int i = 0; i < p->nfields; i++)
		if (strcmp(p->field_names[i], name) == 0)
			return p->field_values[i] ? p->field_values[i] : "";
	return "";
}

bool
page_twostep_due(const struct page *p)
{
	return p->logged_in && p->acct.role == ROLE_BIBLIOTHEEK &&
	       p->acct.totp_secret[0] == '\0';
}

static void
menu(struct page *p)
{
	struct buf *b = &p->resp->body;
	bool docent = p->acct.role == ROLE_DOCENT;
	/* With a one-time password, or two-step login still to set up,
	 * only logging out leads anywhere. */
	bool limited = p->acct.must_change || page_twostep_due(p);

	html(b,
	     "<nav class=\"menu\" aria-label=\"%s\">"
	     "<span class=\"menu-title\">%s</span><ul>",
	     page_msg(p, docent ? MSG_MENU_DOCENT : MSG_MENU_LIBRARY),
	     page_msg(p, docent ? MSG_MENU_DOCENT : MSG_MENU_LIBRARY));
	if (!limited && docent)
		html(b,
		     "<li><a href=\"/docent/upload\">%s</a></li>"
		     "<li><a href=\"/docent/imports\">%s</a></li>",
		     page_msg(p, MSG_UPLOAD), page_msg(p, MSG_IMPORTS));
	if (!limited && !docent)
		html(b,
		     "<li><a href=\"/\">%s</a></li>"
		     "<li><a href=\"/bibliotheek/imports\">%s</a></li>"
		     "<li><a href=\"/bibliotheek/logboek\">%s</a></li>"
		     "<li><a href=\"/bibliotheek/organisatie\">%s</a></li>"
		     "<li><a href=\"/bibliotheek/api-sleutels\">%s</a></li>",
		     page_msg(p, MSG_MENU_SCHOOLS),
		     page_msg(p, MSG_MENU_LIBRARY_IMPORTS),
		     page_msg(p, MSG_MENU_AUDIT),
		     page_msg(p, MSG_MENU_ORGANISATION),
		     page_msg(p, MSG_TOK_MENU));
	if (!limited && docent)
		html(b, "<li><a href=\"/\">%s</a></li>",
		     page_msg(p, MSG_MENU_HOME));
	if (!limited)
		html(b,
		     "<li><a href=\"/mijn-gegevens\">%s</a></li>"
		     "<li><a href=\"/help/aanmelden\">%s</a></li>",
		     page_msg(p, MSG_MY_DETAILS), page_msg(p, MSG_HELP));
	html(b, "<li><form method=\"post\" action=\"/afmelden\">");
	page_csrf_input(p);
	html(b,
	     "<button type=\"submit\" class=\"link\">%s</button>"
	     "</form></li></ul></nav>",
	     page_msg(p, MSG_LOGOUT));
}

void
page_begin(struct page *p, const char *title)
{
	struct buf *b = &p->resp->body;

	html(b,
	     "<!DOCTYPE html>\n<html lang=\"%s\"><head>"
	     "<meta charset=\"utf-8\">"
	     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
	     "<title>%s \xe2\x80\x93 %s</title>"
	     "<link rel=\"stylesheet\" href=\"/static/style.css\">"
	     "<link rel=\"icon\" href=\"/static/logo.svg\">"
	     "</head><body>"
	     "<a class=\"skip\" href=\"#inhoud\">%s</a>"
	     "<header class=\"site\"><div class=\"wrap\">"
	     "<a class=\"brand\" href=\"/\">"
	     "<img src=\"/static/logo.svg\" alt=\"\" width=\"56\" height=\"56\">"
	     "<span class=\"brand-text\"><span class=\"title\">%s</span>"
	     "<span class=\"library\">%s</span></span></a>",
	     lang_code(p->lang), title, page_msg(p, MSG_SITE),
	     page_msg(p, MSG_SKIP), page_msg(p, MSG_SITE),
	     p->web->cfg.library_name);
	if (p->logged_in && p->acct.role == ROLE_DOCENT)
		html(b, "<span class=\"school\">%s</span>", p->school.name);
	html(b, "</div></header>");
	if (p->logged_in) {
		html(b, "<div class=\"menubar\"><div class=\"wrap\">");
		menu(p);
		html(b, "</div></div>");
	}
	html(b, "<main id=\"inhoud\" class=\"wrap\" tabindex=\"-1\">");
}

/* The language switch leads back to this page (p->here), when there is
 * one; its characters need no percent-encoding (page_local_path). */
void
page_end(struct page *p)
{
	struct buf *b = &p->resp->body;

	html(b,
	     "</main><footer class=\"site\"><div class=\"wrap\">"
	     "<a href=\"/taal/%s",
	     page_msg(p, MSG_LANG_OTHER_CODE));
	if (p->here[0] != '\0' && strcmp(p->here, "/") != 0 &&
	    page_local_path(p->here))
		html(b, "?terug=%s", p->here);
	html(b,
	     "\" lang=\"%s\">%s</a>"
	     "</div></footer></body></html>\n",
	     page_msg(p, MSG_LANG_OTHER_CODE), page_msg(p, MSG_LANG_OTHER));
}

void
page_csrf_input(struct page *p)
{
	html(&p->resp->body,
	     "<input type=\"hidden\" name=\"csrf\" value=\"%s\">", p->csrf);
}

void
page_message(struct page *p, int status, enum msg title, enum msg body)
{
	p->resp->status = status;
	buf_reset(&p->resp->body);
	page_begin(p, page_msg(p, title));
	html(&p->resp->body,
	     "<section class=\"card\"><h1>%s</h1><p>%s</p>"
	     "<p><a href=\"/\">%s</a></p></section>",
	     page_msg(p, title), page_msg(p, body), page_msg(p, MSG_TO_HOME));
	page_end(p);
}

void
page_input(struct page *p, const struct page_input *in)
{
	struct buf *b = &p->resp->body;
	bool hint = in->hint != MSG__MAX, error = in->error != MSG__MAX;

	html(b, "<label for=\"%s\">%s</label>", in->id, page_msg(p, in->label));
	if (hint)
		html(b, "<p class=\"hint\" id=\"%s-hint\">%s</p>", in->id,
		     page_msg(p, in->hint));
	if (error)
		html(b,
		     "<p class=\"field-error\" id=\"%s-fout\"><span class=\"sr-only\">%s: </span>%s</p>",
		     in->id, page_msg(p, MSG_ERROR), page_msg(p, in->error));
	html(b, "<input id=\"%s\" name=\"%s\" type=\"%s\"", in->id, in->id,
	     in->type);
	if (in->autocomplete != NULL)
		html(b, " autocomplete=\"%s\"", in->autocomplete);
	if (in->attrs != NULL)
		html(b, "%S", in->attrs);
	if (error && hint)
		html(b, " aria-describedby=\"%s-fout %s-hint\"", in->id,
		     in->id);
	else if (error)
		html(b, " aria-describedby=\"%s-fout\"", in->id);
	else if (hint)
		html(b, " aria-describedby=\"%s-hint\"", in->id);
	if (error)
		html(b, " aria-invalid=\"true\"");
	if (in->value != NULL && in->value[0] != '\0')
		html(b, " value=\"%s\"", in->value);
	html(b, ">");
}

bool
page_error_summary(struct page *p, const struct page_error *e, size_t n)
{
	struct buf *b = &p->resp->body;
	size_t i;

	for (i = 0; i < n && e[i].error == MSG__MAX; i++)
		;
	if (i == n)
		return false;
	html(b,
	     "<div class=\"error-summary\" role=\"alert\" tabindex=\"-1\" id=\"fouten\">"
	     "<h2>%s</h2><ul>",
	     page_msg(p, MSG_ERROR_SUMMARY));
	for (i = 0; i < n; i++)
		if (e[i].error != MSG__MAX)
			html(b, "<li><a href=\"#%s\">%s</a></li>", e[i].id,
			     page_msg(p, e[i].error));
	html(b, "</ul></div>");
	return true;
}

struct store_actor
page_actor(struct page *p)
{
	struct store_actor who = { p->acct.id, p->acct.username,
		                   p->req->client_addr };

	return who;
}

bool
page_local_path(const char *s)
{
	size_t n = 0;

	if (s == NULL || s[0] != '/' || s[1] == '/')
		return false;
	for (; s[n] != '\0'; n++) {
		char c = s[n];

		if (n + 1 >= PAGE_PATH_MAX)
			return false;
		if (c == '/' && s[n + 1] == '/')
			return false;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '/' || c == '-' ||
		      c == '.' || c == '_' || c == '~'))
			return false;
	}
	return true;
}

bool
page_library_school(struct page *p, int64_t id, struct school *out)
{
	if (p->acct.role == ROLE_BIBLIOTHEEK &&
	    store_school_get(p->web->st, id, out) == ERR_OK &&
	    out->library_id == p->acct.library_id)
		return true;
	page_message(p, 404, MSG_NOTFOUND_TITLE, MSG_NOTFOUND_BODY);
	return false;
}

bool
page_library_account(struct page *p, int64_t id, struct account *out)
{
	if (p->acct.role == ROLE_BIBLIOTHEEK &&
	    store_account_get(p->web->st, id, out) == ERR_OK &&
	    out->library_id == p->acct.library_id)
		return true;
	page_message(p, 404, MSG_NOTFOUND_TITLE, MSG_NOTFOUND_BODY);
	return false;
}

void
page_download(struct page *p, const char *ctype, const char *name,
              const void *data, size_t len)
{
	char disp[160];

	p->resp->content_type = ctype;
	snprintf(disp, sizeof(disp), "attachment; filename=\"%s\"", name);
	http_add_header(p->resp, "Content-Disposition", disp);
	buf_reset(&p->resp->body);
	buf_add(&p->resp->body, data, len);
}

void
page_redirect(struct page *p, const char *path)
{
	p->resp->status = 303;
	buf_reset(&p->resp->body);
	http_add_header(p->resp, "Location", path);
}

const char *
page_cookie(struct page *p, const char *name)
{
	char full[64];

	cookie_name(full, sizeof(full), name, p->web->cfg.secure_cookies);
	return http_cookie(p->req, full);
}

void
page_set_cookie(struct page *p, const char *name, const char *value,
                int64_t max_age)
{
	char line[256];

	if (cookie_format(line, sizeof(line), name, value,
	                  p->web->cfg.secure_cookies, max_age) == ERR_OK)
		http_add_header(p->resp, "Set-Cookie", line);
}
