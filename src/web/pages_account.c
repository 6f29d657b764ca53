/*
 * "Mijn gegevens": the account's details and changing the password, and the
 * page that makes a user replace a one-time password before anything else.
 * Both forms post to /wachtwoord-wijzigen; the account's state says which
 * form to show again when the change is refused, with every problem at
 * once next to its field.  Replacing a one-time password leads to Start
 * ("/?wachtwoord=gewijzigd"), a later change back to Mijn gegevens.
 * Mijn gegevens also holds the two-step login section (pages_totp.c).
 */
#include <stdio.h>
#include <string.h>

#include "pages.h"
#include "../auth/account.h"
#include "../base/log.h"
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
 * What a refused change shows: one message per field (MSG__MAX: none) and
 * the current password to fill in again (NULL: leave it empty).
 */
struct pw_errors {
	enum msg current, fresh, repeat;
	const char *keep_current;
};

static const struct pw_errors no_errors = { MSG__MAX, MSG__MAX, MSG__MAX,
	                                    NULL };

/* One labelled password input; its error, if any, between hint and input. */
static void
password_input(struct page *p, const char *id, enum msg label, enum msg hint,
               enum msg error, const char *autocomplete, const char *value)
{
	char attrs[64];
	struct page_input in = { id,         label,        hint,  error,
		                 "password", autocomplete, attrs, value };

	/* the current password is checked, not judged */
	if (strcmp(id, "huidig") != 0)
		snprintf(attrs, sizeof(attrs), " required minlength=\"%d\"",
		         PASSWORD_MIN_CHARS);
	else
		snprintf(attrs, sizeof(attrs), " required");
	page_input(p, &in);
}

/*
 * The change-password form.  Every problem of a refused change is listed
 * in an error summary at the top, linking to its field, and shown again
 * next to that field.
 */
static void
password_form(struct page *p, const struct pw_errors *e)
{
	struct buf *b = &p->resp->body;
	bool otp = p->acct.must_change;

	const struct page_error errors[] = {
		{ "huidig", e->current },
		{ "nieuw", e->fresh },
		{ "herhaal", e->repeat },
	};

	page_error_summary(p, errors, sizeof(errors) / sizeof(errors[0]));
	html(b,
	     "<form method=\"post\" action=\"/wachtwoord-wijzigen\" class=\"form\">");
	page_csrf_input(p);
	password_input(p, "huidig",
	               otp ? MSG_CURRENT_PASSWORD_OTP : MSG_CURRENT_PASSWORD,
	               MSG__MAX, e->current, "current-password",
	               e->keep_current);
	password_input(p, "nieuw", MSG_NEW_PASSWORD, MSG_NEW_PASSWORD_HINT,
	               e->fresh, "new-password", NULL);
	password_input(p, "herhaal", MSG_REPEAT_PASSWORD, MSG__MAX, e->repeat,
	               "new-password", NULL);
	html(b, "<button type=\"submit\" class=\"primary\">%s</button></form>",
	     page_msg(p, MSG_SAVE_PASSWORD));
}

static void
details_page(struct page *p, int status, const struct pw_errors *e,
             enum msg twostep_error)
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
	if (status == 200 && http_query(p->req, "gewijzigd") != NULL)
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
	password_form(p, e);
	html(b, "</section>");
	twostep_section(p, twostep_error);
	page_end(p);
}

static void
forced_page(struct page *p, int status, const struct pw_errors *e)
{
	struct buf *b = &p->resp->body;

	p->resp->status = status;
	page_begin(p, page_msg(p, MSG_FORCED_TITLE));
	html(b, "<section class=\"card\"><h1>%s</h1><p>%s</p>",
	     page_msg(p, MSG_FORCED_TITLE), page_msg(p, MSG_FORCED_INTRO));
	password_form(p, e);
	html(b, "</section>");
	page_end(p);
}

void
get_details(struct page *p)
{
	details_page(p, 200, &no_errors, MSG__MAX);
}

void
details_refused_twostep(struct page *p, int status, enum msg error)
{
	details_page(p, status, &no_errors, error);
}

void
get_forced_password(struct page *p)
{
	if (!p->acct.must_change) {
		page_redirect(p, "/mijn-gegevens");
		return;
	}
	forced_page(p, 200, &no_errors);
}

/*
 * The notice on the start page after a one-time password was replaced
 * (post_password sends the user to "/?wachtwoord=gewijzigd").
 */
void
password_changed_notice(struct page *p)
{
	const char *flag = http_query(p->req, "wachtwoord");

	if (flag != NULL && strcmp(flag, "gewijzigd") == 0)
		html(&p->resp->body,
		     "<p class=\"notice\" role=\"status\">%s</p>",
		     page_msg(p, p->acct.role == ROLE_DOCENT
		                         ? MSG_PASSWORD_CHANGED_UPLOAD
		                         : MSG_PASSWORD_CHANGED));
}

void
post_password(struct page *p)
{
	struct store_actor who = page_actor(p);
	char keep[TOKEN_HASH_SIZE];
	struct pwchange_problems why;
	struct pw_errors e = no_errors;
	bool forced = p->acct.must_change;
	int status = 422;

	token_hash(p->token, keep);
	switch (account_change_password(
	        p->web->st, &who, &p->acct, page_field(p, "huidig"),
	        page_field(p, "nieuw"), page_field(p, "herhaal"), keep,
	        &p->web->cfg.login, &why)) {
	case PWCHANGE_OK:
		/* a first password: on to Start, where the work begins */
		page_redirect(p, forced ? "/?wachtwoord=gewijzigd"
		                        : "/mijn-gegevens?gewijzigd=1");
		return;
	case PWCHANGE_REFUSED:
		if (why.wrong_current)
			e.current = forced ? MSG_PW_WRONG_OTP
			                   : MSG_PW_WRONG_CURRENT;
		if (why.same)
			e.fresh = MSG_PW_SAME;
		else if (why.verdict != PW_OK)
			e.fresh = verdict_msg[why.verdict];
		if (why.mismatch)
			e.repeat = MSG_PW_MISMATCH;
		break;
	case PWCHANGE_THROTTLED:
		log_warn(p->req->rid, "password change throttled");
		e.current = MSG_PW_THROTTLED;
		why.wrong_current = true; /* not checked: typed again */
		status = 429;
		break;
	case PWCHANGE_ENDED:
		log_warn(p->req->rid, "password change: session ended");
		login_after_ended_session(p);
		return;
	default:
		e.fresh = MSG_PW_ERROR;
		break;
	}
	/* A right current (one-time) password stays filled in, on this
	 * answer only; a wrong one and the new ones are typed again. */
	if (!why.wrong_current)
		e.keep_current = page_field(p, "huidig");
	if (forced)
		forced_page(p, status, &e);
	else
		details_page(p, status, &e, MSG__MAX);
}
