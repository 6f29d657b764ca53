/*
 * Accounts in the library's web area: the table of a school's (or the
 * library's own) accounts with what can be done to each, adding an
 * account, a new one-time password, disabling and enabling, and the page
 * "Onze bibliotheek" with the library's name, contact and own accounts.
 *
 * A one-time password is shown once, in the answer to the POST that made
 * it: never in a URL, never in a log, never stored in clear.  That answer
 * carries Cache-Control: no-store (as every page does) and a letter for
 * the school that prints on its own (@media print in style.css, the
 * button wired by print.js).  The password is wiped once the page is
 * written.
 *
 * Only accounts of the user's own library are touched: an id of another
 * library gets the same 404 as one that does not exist
 * (page_library_account).  A library user cannot reset or disable their
 * own account here (Mijn gegevens is for that), so nobody locks
 * themselves out.  Every action goes through src/auth/account.c, which
 * writes the audit row with the library.
 */
#include <stdio.h>
#include <string.h>

#include "pages.h"
#include "../auth/account.h"
#include "../base/mem.h"
#include "../base/strparse.h"
#include "../base/text.h"

/* ---- the table of accounts ---- */

struct account_rows {
	struct page *p;
	int64_t school_id; /* 0: the library's own accounts */
	int n;
};

/* One small form posting to /bibliotheek/account/ID/action. */
static void
account_action(struct page *p, const struct account *a, const char *action,
               enum msg label, bool primary)
{
	struct buf *b = &p->resp->body;

	html(b,
	     "<form method=\"post\" action=\"/bibliotheek/account/%lld/%s\" class=\"inline\">",
	     (long long)a->id, action);
	page_csrf_input(p);
	html(b,
	     "<button type=\"submit\" class=\"%s\">%s<span class=\"sr-only\"> (%s)</span></button></form>",
	     primary ? "secondary" : "secondary quiet", page_msg(p, label),
	     a->username);
}

static int
account_row(const struct account *a, void *arg)
{
	struct account_rows *r = arg;
	struct page *p = r->p;
	struct buf *b = &p->resp->body;
	bool self = a->id == p->acct.id;
	char when[32];

	if (a->library_id != p->acct.library_id ||
	    (r->school_id == 0 && a->role != ROLE_BIBLIOTHEEK) ||
	    (r->school_id != 0 && a->school_id != r->school_id))
		return 0;
	if (r->n++ == 0)
		html(b,
		     "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"%s\">"
		     "<table class=\"stack accounts\"><thead><tr><th scope=\"col\">%s</th>"
		     "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		     "<th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>",
		     page_msg(p, MSG_COL_ACCOUNTS),
		     page_msg(p, MSG_LIB_COL_USERNAME),
		     page_msg(p, MSG_LIB_COL_LAST_LOGIN),
		     page_msg(p, MSG_LIB_COL_STATE),
		     page_msg(p, MSG_LIB_COL_TWO_STEP),
		     page_msg(p, MSG_LIB_COL_ACTIONS));
	if (a->last_login != 0)
		time_fmt_local(a->last_login, when, sizeof(when));
	html(b,
	     "<tr id=\"account-%lld\"><th scope=\"row\" data-label=\"%s\">%s%S%s</th>"
	     "<td data-label=\"%s\">%s</td><td data-label=\"%s\">%s",
	     (long long)a->id, page_msg(p, MSG_LIB_COL_USERNAME), a->username,
	     self ? " " : "", self ? page_msg(p, MSG_LIB_YOU) : "",
	     page_msg(p, MSG_LIB_COL_LAST_LOGIN),
	     a->last_login != 0 ? when : page_msg(p, MSG_NEVER),
	     page_msg(p, MSG_LIB_COL_STATE),
	     page_msg(p, a->disabled ? MSG_LIB_DISABLED : MSG_LIB_ACTIVE));
	if (a->must_change)
		html(b, "<br><span class=\"hint\">%s</span>",
		     page_msg(p, MSG_LIB_MUST_CHANGE));
	html(b,
	     "</td><td data-label=\"%s\">%s</td><td data-label=\"%s\"><div class=\"actions\">",
	     page_msg(p, MSG_LIB_COL_TWO_STEP),
	     page_msg(p, a->totp_secret[0] != '\0' ? MSG_LIB_ON : MSG_LIB_OFF),
	     page_msg(p, MSG_LIB_COL_ACTIONS));
	if (!self) {
		account_action(p, a, "wachtwoord", MSG_LIB_RESET, true);
		if (a->disabled)
			account_action(p, a, "aanzetten", MSG_LIB_ENABLE, true);
		else
			account_action(p, a, "uitzetten", MSG_LIB_DISABLE,
			               false);
		if (a->totp_secret[0] != '\0')
			account_action(p, a, "tweestaps-herstellen",
			               MSG_LIB_TOTP_RESET, false);
	}
	html(b, "</div></td></tr>");
	return 0;
}

bool
library_account_table(struct page *p, int64_t school_id)
{
	struct account_rows r = { p, school_id, 0 };

	store_account_list(p->web->st, school_id, account_row, &r);
	if (r.n > 0)
		html(&p->resp->body, "</tbody></table></div>");
	return r.n > 0;
}

/* ---- the one-time password and its letter ---- */

/* Where the letter sends the school: this site's login page; for a
 * school's account with ?school= so the page names its library's
 * contact. */
static void
login_url(struct page *p, const struct school *s, char *out, size_t outsz)
{
	const char *host = http_header(p->req, "Host");

	snprintf(out, outsz, "%s://%s/aanmelden%s%s",
	         p->web->cfg.secure_cookies ? "https" : "http",
	         host != NULL ? host : "127.0.0.1", s != NULL ? "?school=" : "",
	         s != NULL ? s->slug : "");
}

/*
 * The answer after an account was added (created) or given a new
 * one-time password: the password once, and the letter.  s: the
 * account's school, NULL for a library account.
 */
static void
otp_page(struct page *p, const struct account *a, const struct school *s,
         char otp[OTP_SIZE], bool created)
{
	struct buf *b = &p->resp->body;
	char url[512], back[64];

	if (s != NULL)
		snprintf(back, sizeof(back), "/bibliotheek/school/%lld",
		         (long long)s->id);
	else
		str_copy(back, sizeof(back), "/bibliotheek/organisatie");
	login_url(p, s, url, sizeof(url));
	p->resp->status = 200;
	buf_reset(b);
	page_begin(p, page_msg(p, MSG_LIB_OTP_TITLE));
	html(b,
	     "<section class=\"card no-print\"><h1>%s</h1><p class=\"notice\" role=\"status\">",
	     page_msg(p, MSG_LIB_OTP_TITLE));
	html(b, page_msg(p, created ? MSG_LIB_OTP_CREATED : MSG_LIB_OTP_RESET),
	     a->username);
	html(b,
	     "</p><p class=\"guard\">%s</p>"
	     "<p><button type=\"button\" class=\"primary\" data-print>%s</button></p>"
	     "<p><a href=\"%s\">%s</a></p></section>",
	     page_msg(p, MSG_LIB_OTP_ONCE), page_msg(p, MSG_LIB_PRINT), back,
	     page_msg(p, s != NULL ? MSG_LIB_BACK_SCHOOL : MSG_LIB_BACK_ORG));
	html(b,
	     "<article class=\"card letter\" aria-labelledby=\"brief-titel\">"
	     "<h2 id=\"brief-titel\">%s</h2>"
	     "<dl class=\"details\"><dt>%s</dt><dd>%s</dd></dl><p>",
	     page_msg(p, MSG_LIB_LETTER_TITLE), page_msg(p, MSG_LIB_LETTER_FOR),
	     s != NULL ? s->name : p->library.name);
	html(b, page_msg(p, MSG_LIB_LETTER_INTRO), p->library.name);
	html(b,
	     "</p><dl class=\"details login-details\">"
	     "<dt>%s</dt><dd>%s</dd><dt>%s</dt><dd><code class=\"username\">%s</code></dd>"
	     "<dt>%s</dt><dd><code class=\"otp\">%s</code></dd></dl>"
	     "<h3>%s</h3><ol><li>%s</li><li>%s</li><li>%s</li></ol>"
	     "<p>%s</p>",
	     page_msg(p, MSG_LIB_LETTER_SITE), url, page_msg(p, MSG_USERNAME),
	     a->username, page_msg(p, MSG_LIB_LETTER_PASSWORD), otp,
	     page_msg(p, MSG_LIB_LETTER_FIRST),
	     page_msg(p, MSG_LIB_LETTER_STEP1),
	     page_msg(p, MSG_LIB_LETTER_STEP2),
	     page_msg(p, MSG_LIB_LETTER_STEP3),
	     page_msg(p, MSG_LIB_LETTER_QUESTIONS));
	help_contact(p);
	html(b, "</article><script src=\"/static/print.js\" defer></script>");
	page_end(p);
	mem_wipe(otp, OTP_SIZE);
}

/* ---- adding an account ---- */

/* The form; school NULL for a library account. */
static void
account_form(struct page *p, int status, const struct school *s,
             const char *username, enum msg error)
{
	struct buf *b = &p->resp->body;
	const struct page_error summary[] = { { "gebruikersnaam", error } };
	const struct page_input in = { "gebruikersnaam",
		                       MSG_LIB_COL_USERNAME,
		                       MSG_LIB_USERNAME_HINT,
		                       error,
		                       "text",
		                       "off",
		                       " required maxlength=\"64\" "
		                       "autocapitalize=\"none\" "
		                       "spellcheck=\"false\"",
		                       username };

	p->resp->status = status;
	buf_reset(b);
	page_begin(p, page_msg(p, MSG_LIB_ADD_ACCOUNT));
	html(b, "<section class=\"card\"><h1>%s</h1>",
	     page_msg(p, MSG_LIB_ADD_ACCOUNT));
	page_error_summary(p, summary, 1);
	html(b, "<p>");
	html(b, page_msg(p, MSG_LIB_ADD_ACCOUNT_INTRO),
	     s != NULL ? s->name : p->library.name);
	html(b, "</p>");
	if (s != NULL)
		html(b,
		     "<form method=\"post\" action=\"/bibliotheek/school/%lld/account-nieuw\" class=\"form\">",
		     (long long)s->id);
	else
		html(b,
		     "<form method=\"post\" action=\"/bibliotheek/organisatie/account-nieuw\" class=\"form\">");
	page_csrf_input(p);
	page_input(p, &in);
	html(b, "<button type=\"submit\" class=\"primary\">%s</button></form>",
	     page_msg(p, MSG_LIB_CREATE_ACCOUNT));
	if (s != NULL)
		html(b, "<p><a href=\"/bibliotheek/school/%lld\">%s</a></p>",
		     (long long)s->id, page_msg(p, MSG_CANCEL));
	else
		html(b, "<p><a href=\"/bibliotheek/organisatie\">%s</a></p>",
		     page_msg(p, MSG_CANCEL));
	html(b, "</section>");
	page_end(p);
}

static void
new_account_form(struct page *p, const struct school *s)
{
	char name[STORE_USERNAME_MAX + 1];

	if (account_suggest_username(p->web->st,
	                             s != NULL ? s->slug : p->library.slug,
	                             name, sizeof(name)) != ERR_OK)
		name[0] = '\0';
	account_form(p, 200, s, name, MSG__MAX);
}

static void
add_account(struct page *p, const struct school *s)
{
	struct store_actor who = page_actor(p);
	const char *username = page_field(p, "gebruikersnaam");
	struct account a;
	char otp[OTP_SIZE];
	enum msg error;

	switch (account_add(p->web->st, &who, username,
	                    s != NULL ? ROLE_DOCENT : ROLE_BIBLIOTHEEK,
	                    p->acct.library_id, s != NULL ? s->id : 0, otp,
	                    &a)) {
	case ERR_OK:
		otp_page(p, &a, s, otp, true);
		return;
	case ERR_EXISTS:
		error = MSG_LIB_ERR_USERNAME_TAKEN;
		break;
	case ERR_INVALID:
		error = MSG_LIB_ERR_USERNAME;
		break;
	default:
		error = MSG_LIB_ERR_SAVE;
		break;
	}
	mem_wipe(otp, sizeof(otp));
	account_form(p, 422, s, username, error);
}

void
get_account_new(struct page *p)
{
	struct school s;

	if (page_library_school(p, p->id, &s))
		new_account_form(p, &s);
}

void
post_account_new(struct page *p)
{
	struct school s;

	if (page_library_school(p, p->id, &s))
		add_account(p, &s);
}

void
get_library_account_new(struct page *p)
{
	new_account_form(p, NULL);
}

void
post_library_account_new(struct page *p)
{
	add_account(p, NULL);
}

/* ---- actions on an account ---- */

/*
 * The account of the path when it is the library's and not the user's
 * own, with its school (s->id 0 for a library account); false when an
 * answer was given.
 */
static bool
other_account(struct page *p, struct account *a, struct school *s)
{
	if (!page_library_account(p, p->id, a))
		return false;
	if (a->id == p->acct.id) {
		page_message(p, 403, MSG_LIB_SELF_TITLE, MSG_LIB_SELF_BODY);
		return false;
	}
	memset(s, 0, sizeof(*s));
	if (a->school_id != 0 &&
	    store_school_get(p->web->st, a->school_id, s) != ERR_OK) {
		page_message(p, 404, MSG_NOTFOUND_TITLE, MSG_NOTFOUND_BODY);
		return false;
	}
	return true;
}

void
post_account_reset(struct page *p)
{
	struct store_actor who = page_actor(p);
	struct account a;
	struct school s;
	char otp[OTP_SIZE];

	if (!other_account(p, &a, &s))
		return;
	if (account_reset_password(p->web->st, &who, &a, otp) != ERR_OK) {
		mem_wipe(otp, sizeof(otp));
		page_message(p, 500, MSG_LIB_OTP_TITLE, MSG_LIB_ERR_SAVE);
		return;
	}
	otp_page(p, &a, s.id != 0 ? &s : NULL, otp, false);
}

/* Back to the page that lists account a (its school's, or Onze
 * bibliotheek), with the notice flag. */
static void
back_to_account(struct page *p, const struct school *s, const char *flag)
{
	char path[96];

	if (s->id != 0)
		snprintf(path, sizeof(path), "/bibliotheek/school/%lld?%s=1",
		         (long long)s->id, flag);
	else
		snprintf(path, sizeof(path), "/bibliotheek/organisatie?%s=1",
		         flag);
	page_redirect(p, path);
}

static void
set_disabled(struct page *p, bool disabled)
{
	struct store_actor who = page_actor(p);
	struct account a;
	struct school s;

	if (!other_account(p, &a, &s))
		return;
	if (account_set_disabled(p->web->st, &who, &a, disabled) != ERR_OK) {
		page_message(p, 500, MSG_LIB_OTP_TITLE, MSG_LIB_ERR_SAVE);
		return;
	}
	back_to_account(p, &s, disabled ? "uitgezet" : "aangezet");
}

void
post_account_disable(struct page *p)
{
	set_disabled(p, true);
}

void
post_account_enable(struct page *p)
{
	set_disabled(p, false);
}

/* New phone or lost phone: the account logs in with its password alone
 * and may set up two-step login again (account_reset_twostep). */
void
post_account_twostep_reset(struct page *p)
{
	struct store_actor who = page_actor(p);
	struct account a;
	struct school s;

	if (!other_account(p, &a, &s))
		return;
	if (account_reset_twostep(p->web->st, &who, &a) != ERR_OK) {
		page_message(p, 500, MSG_LIB_OTP_TITLE, MSG_LIB_ERR_SAVE);
		return;
	}
	back_to_account(p, &s, "tweestaps");
}

/* ---- Onze bibliotheek ---- */

static void
organisation_page(struct page *p, int status, const struct library *l,
                  enum msg name_error, const struct contact_errors *e)
{
	struct buf *b = &p->resp->body;
	const struct page_error summary[] = {
		{ "naam", name_error },
		{ "contactnaam", e->name },
		{ "telefoon", e->phone },
		{ "email", e->email },
	};
	const struct page_input name = { "naam",
		                         MSG_LIB_FIELD_LIBRARY_NAME,
		                         MSG__MAX,
		                         name_error,
		                         "text",
		                         "organization",
		                         " required maxlength=\"200\"",
		                         l->name };

	p->resp->status = status;
	buf_reset(b);
	page_begin(p, page_msg(p, MSG_MENU_ORGANISATION));
	html(b, "<section class=\"card\"><h1>%s</h1>",
	     page_msg(p, MSG_MENU_ORGANISATION));
	if (status == 200)
		library_notice(p, MSG_LIB_ORG_SAVED);
	page_error_summary(p, summary, sizeof(summary) / sizeof(summary[0]));
	html(b,
	     "<p>%s</p><form method=\"post\" action=\"/bibliotheek/organisatie\" class=\"form\">",
	     page_msg(p, MSG_LIB_ORG_INTRO));
	page_csrf_input(p);
	page_input(p, &name);
	library_contact_inputs(p, MSG_LIB_ORG_CONTACT, MSG_LIB_ORG_CONTACT_HINT,
	                       &l->contact, e);
	html(b,
	     "<button type=\"submit\" class=\"primary\">%s</button></form></section>"
	     "<section class=\"card\"><h2>%s</h2>",
	     page_msg(p, MSG_LIB_SAVE), page_msg(p, MSG_LIB_ORG_ACCOUNTS));
	library_account_table(p, 0);
	html(b,
	     "<p><a class=\"button primary\" href=\"/bibliotheek/organisatie/account-nieuw\">%s</a></p>"
	     "</section>",
	     page_msg(p, MSG_LIB_ADD_ACCOUNT));
	page_end(p);
}

void
get_organisation(struct page *p)
{
	const struct contact_errors none = { MSG__MAX, MSG__MAX, MSG__MAX };

	organisation_page(p, 200, &p->library, MSG__MAX, &none);
}

void
post_organisation(struct page *p)
{
	struct store_actor who = page_actor(p);
	struct library l = p->library;
	struct contact_errors e;
	enum msg name_error = MSG__MAX;

	if (str_copy(l.name, sizeof(l.name), page_field(p, "naam")) != ERR_OK ||
	    page_field(p, "naam")[0] == '\0' ||
	    strspn(l.name, " ") == strlen(l.name))
		name_error = MSG_LIB_ERR_LIBRARY_NAME;
	if (!library_contact_read(p, &l.contact)) {
		e.name = MSG_LIB_ERR_CONTACT_NAME;
		e.phone = MSG__MAX;
		e.email = MSG_LIB_ERR_EMAIL;
	} else {
		library_contact_check(&l.contact, &e);
	}
	if (name_error == MSG__MAX && e.name == MSG__MAX &&
	    e.phone == MSG__MAX && e.email == MSG__MAX) {
		if (account_library_update(p->web->st, &who, &l) == ERR_OK) {
			page_redirect(p,
			              "/bibliotheek/organisatie?opgeslagen=1");
			return;
		}
		name_error = MSG_LIB_ERR_SAVE;
	}
	organisation_page(p, 422, &l, name_error, &e);
}
