/*
 * "Mijn gegevens": the account's details and changing the password, and the
 * page that makes a user replace a one-time password before anything else.
 * Both forms post to /wachtwoord-wijzigen; the account's state says which
 * form to show again when the change is refused.
 */
#include "pages.h"
#include "../auth/account.h"
#include "../base/text.h"

static const enum msg verdict_msg[PW__MAX] = {
	[PW_OK] = MSG_PW_ERROR,
	[PW_TOO_SHORT] = MSG_PW_TOO_SHORT,
	[PW_TOO_LONG] = MSG_PW_TOO_LONG,
	[PW_NOT_TEXT] = MSG_PW_NOT_TEXT,
	[PW_COMMON] = MSG_PW_COMMON,
	[PW_REPETITIVE] = MSG_PW_REPETITIVE,
	[PW_HAS_USERNAME] = MSG_PW_HAS_USERNAME,
	[PW_HAS_SCHOOL] = MSG_PW_HAS_SCHOOL,
};

/*
 * The change-password form.  error (MSG__MAX: none) is shown in an error
 * summary that links to the field it concerns (field id).
 */
static void
password_form(struct page *p, enum msg error, const char *field)
{
	struct buf *b = &p->resp->body;
	bool otp = p->acct.must_change;

	if (error != MSG__MAX)
		html(b,
		     "<div class=\"error-summary\" role=\"alert\">"
		     "<h2>%s</h2><p><a href=\"#%s\">%s</a></p></div>",
		     page_msg(p, MSG_ERROR_SUMMARY), field, page_msg(p, error));
	html(b,
	     "<form method=\"post\" action=\"/wachtwoord-wijzigen\" class=\"form\">");
	page_csrf_input(p);
	html(b,
	     "<label for=\"huidig\">%s</label>"
	     "<input id=\"huidig\" name=\"huidig\" type=\"password\" autocomplete=\"current-password\" required>"
	     "<label for=\"nieuw\">%s</label>"
	     "<p class=\"hint\" id=\"nieuw-hint\">%s</p>"
	     "<input id=\"nieuw\" name=\"nieuw\" type=\"password\" autocomplete=\"new-password\" minlength=\"12\" required aria-describedby=\"nieuw-hint\">"
	     "<label for=\"herhaal\">%s</label>"
	     "<input id=\"herhaal\" name=\"herhaal\" type=\"password\" autocomplete=\"new-password\" minlength=\"12\" required>"
	     "<button type=\"submit\" class=\"primary\">%s</button></form>",
	     page_msg(p, otp ? MSG_CURRENT_PASSWORD_OTP : MSG_CURRENT_PASSWORD),
	     page_msg(p, MSG_NEW_PASSWORD), page_msg(p, MSG_NEW_PASSWORD_HINT),
	     page_msg(p, MSG_REPEAT_PASSWORD), page_msg(p, MSG_SAVE_PASSWORD));
}

static void
details_page(struct page *p, int status, enum msg error, const char *field)
{
	struct buf *b = &p->resp->body;
	char when[32];
	bool docent = p->acct.role == ROLE_DOCENT;

	p->resp->status = status;
	if (p->acct.previous_login != 0)
		time_fmt_local(p->acct.previous_login, when, sizeof(when));
	page_begin(p, page_msg(p, MSG_MY_DETAILS));
	html(b, "<section class=\"card\"><h1>%s</h1>",
	     page_msg(p, MSG_MY_DETAILS));
	if (error == MSG__MAX && http_query(p->req, "gewijzigd") != NULL)
		html(b, "<p class=\"notice\" role=\"status\">%s</p>",
		     page_msg(p, MSG_PASSWORD_CHANGED));
	html(b,
	     "<dl class=\"details\"><dt>%s</dt><dd>%s</dd>"
	     "<dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd>"
	     "<dt>%s</dt><dd>%s</dd></dl></section>",
	     page_msg(p, MSG_USERNAME), p->acct.username,
	     page_msg(p, MSG_SCHOOL),
	     docent ? p->school.name : page_msg(p, MSG_NO_SCHOOL),
	     page_msg(p, MSG_ROLE),
	     page_msg(p, docent ? MSG_ROLE_DOCENT : MSG_ROLE_LIBRARY),
	     page_msg(p, MSG_LAST_LOGIN),
	     p->acct.previous_login ? when : page_msg(p, MSG_NEVER));
	html(b, "<section class=\"card\"><h2>%s</h2><p>%s</p>",
	     page_msg(p, MSG_CHANGE_PASSWORD),
	     page_msg(p, MSG_CHANGE_PASSWORD_INTRO));
	password_form(p, error, field);
	html(b, "</section>");
	page_end(p);
}

static void
forced_page(struct page *p, int status, enum msg error, const char *field)
{
	struct buf *b = &p->resp->body;

	p->resp->status = status;
	page_begin(p, page_msg(p, MSG_FORCED_TITLE));
	html(b, "<section class=\"card\"><h1>%s</h1><p>%s</p>",
	     page_msg(p, MSG_FORCED_TITLE), page_msg(p, MSG_FORCED_INTRO));
	password_form(p, error, field);
	html(b, "</section>");
	page_end(p);
}

void
get_details(struct page *p)
{
	details_page(p, 200, MSG__MAX, "");
}

void
get_forced_password(struct page *p)
{
	if (!p->acct.must_change) {
		page_redirect(p, "/mijn-gegevens");
		return;
	}
	forced_page(p, 200, MSG__MAX, "");
}

void
post_password(struct page *p)
{
	struct store_actor who = page_actor(p);
	char keep[TOKEN_HASH_SIZE];
	enum pw_verdict verdict;
	enum msg error;
	const char *field = "nieuw";
	bool forced = p->acct.must_change;

	token_hash(p->token, keep);
	switch (account_change_password(
	        p->web->st, &who, &p->acct, page_field(p, "huidig"),
	        page_field(p, "nieuw"), page_field(p, "herhaal"), keep,
	        &verdict)) {
	case PWCHANGE_OK:
		page_redirect(p, "/mijn-gegevens?gewijzigd=1");
		return;
	case PWCHANGE_WRONG_CURRENT:
		error = MSG_PW_WRONG_CURRENT;
		field = "huidig";
		break;
	case PWCHANGE_MISMATCH:
		error = MSG_PW_MISMATCH;
		field = "herhaal";
		break;
	case PWCHANGE_SAME:
		error = MSG_PW_SAME;
		break;
	case PWCHANGE_POLICY:
		error = verdict_msg[verdict];
		break;
	default:
		error = MSG_PW_ERROR;
		break;
	}
	if (forced)
		forced_page(p, 422, error, field);
	else
		details_page(p, 422, error, field);
}
