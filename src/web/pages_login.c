/*
 * Logging in and out, and the "Hoe moet ik aanmelden?" help page, both with
 * "Wachtwoord vergeten?" and the library's contact details.
 *
 * The login form is protected against login CSRF with a pre-session: a
 * random cookie set with the form, from which the form's token is derived.
 * A failed login shows the same page whatever the reason (unknown name,
 * wrong password, disabled account); login_attempt() makes it take the same
 * time too.  With two-step login on, a right password gives only a
 * pending session and leads to the code page (pages_totp.c).
 */
#include <stdio.h>
#include <string.h>

#include "pages.h"
#include "../auth/audit.h"
#include "../auth/login.h"
#include "../auth/session.h"
#include "../auth/token.h"
#include "../base/log.h"
#include "../base/text.h"

/*
 * "Wachtwoord vergeten?": what to do and the library's contact details
 * (or only the sentence, when none are configured).
 */
static void
forgot_section(struct page *p)
{
	html(&p->resp->body,
	     "<section class=\"forgot\" id=\"wachtwoord-vergeten\" aria-labelledby=\"wachtwoord-vergeten-titel\" tabindex=\"-1\">"
	     "<h2 id=\"wachtwoord-vergeten-titel\">%s</h2><p>%s</p>",
	     page_msg(p, MSG_FORGOT_TITLE), page_msg(p, MSG_FORGOT_BODY));
	help_contact(p);
	html(&p->resp->body, "</section>");
}

/*
 * "?school=SLUG" when the page was opened with a school's slug (the link
 * in an account's letter), so the form and the help link keep showing
 * that school's library's contact; else "".  Only [a-z0-9-] passes.
 */
static void
school_query(struct page *p, char *out, size_t outsz)
{
	const char *slug = http_query(p->req, "school");
	size_t n = slug != NULL ? strlen(slug) : 0;

	out[0] = '\0';
	if (n == 0 || n > STORE_SLUG_MAX ||
	    strspn(slug, "abcdefghijklmnopqrstuvwxyz0123456789-") != n)
		return;
	snprintf(out, outsz, "?school=%s", slug);
}

/* Render the login form; error: a message or MSG__MAX for none. */
static void
login_form(struct page *p, int status, enum msg error, const char *username)
{
	struct buf *b = &p->resp->body;
	const char *pre = page_cookie(p, COOKIE_PRE);
	char fresh[TOKEN_SIZE], school[STORE_SLUG_MAX + 16];

	school_query(p, school, sizeof(school));
	if (pre == NULL || !token_wellformed(pre)) {
		token_new(fresh);
		page_set_cookie(p, COOKIE_PRE, fresh, -1);
		pre = fresh;
	}
	token_derive(pre, "csrf-login", p->csrf);
	p->resp->status = status;
	buf_reset(b);
	page_begin(p, page_msg(p, MSG_LOGIN_TITLE));
	html(b, "<section class=\"card login\"><h1>%s</h1>",
	     page_msg(p, MSG_LOGIN_TITLE));
	if (error == MSG_LOGGED_OUT)
		html(b, "<p class=\"notice\" role=\"status\">%s</p>",
		     page_msg(p, error));
	else if (error != MSG__MAX) {
		html(b,
		     "<div class=\"error-summary\" role=\"alert\" tabindex=\"-1\"><h2>%s</h2><p><a href=\"#gebruikersnaam\">"
		     "%s</a></p>",
		     page_msg(p, MSG_ERROR_SUMMARY), page_msg(p, error));
		/* a throttled user is told to ask for a new password: the
		 * summary leads to how to reach the library */
		if (error == MSG_LOGIN_THROTTLED ||
		    error == MSG_SESSION_ENDED_FAILURES)
			html(b,
			     "<p><a href=\"#wachtwoord-vergeten\">%s</a></p>",
			     page_msg(p, MSG_FORGOT_THROTTLED_LINK));
		html(b, "</div>");
	}
	html(b,
	     "<p>%s</p>"
	     "<form method=\"post\" action=\"/aanmelden%s\" class=\"form\">",
	     page_msg(p, MSG_LOGIN_INTRO), school);
	page_csrf_input(p);
	html(b,
	     "<label for=\"gebruikersnaam\">%s</label>"
	     "<input id=\"gebruikersnaam\" name=\"gebruikersnaam\" type=\"text\" autocomplete=\"username\" autocapitalize=\"none\" spellcheck=\"false\" required value=\"%s\">"
	     "<label for=\"wachtwoord\">%s</label>"
	     "<input id=\"wachtwoord\" name=\"wachtwoord\" type=\"password\" autocomplete=\"current-password\" required>"
	     "<button type=\"submit\" class=\"primary\">%s <span class=\"arrow\" aria-hidden=\"true\">\xe2\x9e\x9c</span>"
	     "</button></form>"
	     "<p class=\"help-link\"><a href=\"/help/aanmelden%s\">%s</a></p>",
	     page_msg(p, MSG_USERNAME), username, page_msg(p, MSG_PASSWORD),
	     page_msg(p, MSG_LOGIN_BUTTON), school,
	     page_msg(p, MSG_LOGIN_HELP_LINK));
	forgot_section(p);
	html(b, "</section>");
	page_end(p);
}

void
get_login(struct page *p)
{
	const char *out = http_query(p->req, "afgemeld");

	if (p->logged_in) {
		page_redirect(p, "/");
		return;
	}
	login_form(p, 200, out != NULL ? MSG_LOGGED_OUT : MSG__MAX, "");
}

void
login_after_ended_session(struct page *p)
{
	page_set_cookie(p, COOKIE_SESSION, "", 0);
	p->logged_in = p->pending = false;
	p->token[0] = '\0';
	login_form(p, 429, MSG_SESSION_ENDED_FAILURES, "");
}

void
post_login(struct page *p)
{
	const char *user = page_field(p, "gebruikersnaam");
	const char *pass = page_field(p, "wachtwoord");
	char token[TOKEN_SIZE];
	struct account acct;
	int64_t now;

	if (*user == '\0' || *pass == '\0') {
		login_form(p, 422, MSG_LOGIN_MISSING, user);
		return;
	}
	switch (login_attempt(p->web->st, &p->web->cfg.login, user, pass,
	                      p->req->client_addr, &acct)) {
	case LOGIN_OK:
		break;
	case LOGIN_FAILED:
		log_info(p->req->rid, "login failed");
		login_form(p, 200, MSG_LOGIN_FAILED, user);
		return;
	case LOGIN_THROTTLED:
		log_warn(p->req->rid, "login throttled");
		login_form(p, 429, MSG_LOGIN_THROTTLED, user);
		return;
	default:
		page_message(p, 500, MSG_ERROR_TITLE, MSG_ERROR_BODY);
		return;
	}
	if (p->logged_in || p->pending)
		session_end(p->web->st, p->token);
	if (acct.totp_secret[0] != '\0') {
		/* the password is right; the code from the app is due */
		if (session_start_pending(p->web->st, acct.id, token) !=
		    ERR_OK) {
			page_message(p, 500, MSG_ERROR_TITLE, MSG_ERROR_BODY);
			return;
		}
		log_info(p->req->rid, "password ok account=%lld, code due",
		         (long long)acct.id);
		page_set_cookie(p, COOKIE_SESSION, token, -1);
		page_set_cookie(p, COOKIE_PRE, "", 0);
		page_redirect(p, "/aanmelden/code");
		return;
	}
	if (session_start(p->web->st, acct.id, token) != ERR_OK) {
		page_message(p, 500, MSG_ERROR_TITLE, MSG_ERROR_BODY);
		return;
	}
	now = time_now();
	store_session_purge(p->web->st, now - p->web->cfg.session.idle_timeout,
	                    now - p->web->cfg.session.absolute_timeout);
	log_info(p->req->rid, "login ok account=%lld", (long long)acct.id);
	page_set_cookie(p, COOKIE_SESSION, token, -1);
	page_set_cookie(p, COOKIE_PRE, "", 0);
	page_redirect(p, acct.must_change ? "/wachtwoord-wijzigen" : "/");
}

void
post_logout(struct page *p)
{
	session_end(p->web->st, p->token);
	audit(p->web->st, AUDIT_LOGOUT, p->acct.id, p->acct.school_id,
	      p->acct.username, p->req->client_addr, "%s", "");
	page_set_cookie(p, COOKIE_SESSION, "", 0);
	page_redirect(p, "/aanmelden?afgemeld=1");
}

void
get_help_login(struct page *p)
{
	struct buf *b = &p->resp->body;

	page_begin(p, page_msg(p, MSG_HELP_LOGIN_TITLE));
	html(b, "<section class=\"card prose\"><h1>%s</h1>%S",
	     page_msg(p, MSG_HELP_LOGIN_TITLE),
	     page_msg(p, MSG_HELP_LOGIN_BODY));
	forgot_section(p);
	html(b, "%S", page_msg(p, MSG_HELP_LOGIN_WHY));
	help_more(p);
	if (!p->logged_in)
		html(b, "<p><a href=\"/aanmelden\">%s</a></p>",
		     page_msg(p, MSG_BACK_TO_LOGIN));
	html(b, "</section>");
	page_end(p);
}
