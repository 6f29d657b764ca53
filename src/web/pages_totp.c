/*
 * Two-step login in the browser: the code page after a right password
 * (/aanmelden/code), setting it up (/tweestaps: QR code, the key in groups
 * of four, a code to confirm, then the recovery codes once), turning it off
 * with the current password (/tweestaps/uit, school accounts only: library
 * accounts must keep it) and the section on Mijn gegevens.  A library
 * resets an account's second step in pages_library_accounts.c.
 *
 * The dispatcher (app.c) keeps a pending session on the code page and a
 * library account without two-step login on /tweestaps.  The recovery
 * codes are shown only on the answer to the confirming POST, which like
 * every page is sent with Cache-Control: no-store; the store keeps only
 * their hashes.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "pages.h"
#include "../auth/account.h"
#include "../auth/audit.h"
#include "../auth/login.h"
#include "../auth/password.h"
#include "../auth/session.h"
#include "../auth/token.h"
#include "../auth/totp.h"
#include "../base/log.h"
#include "../base/strparse.h"
#include "../base/text.h"

#define QR_MODULE_PX 5 /* pixels per QR module */
#define QR_ISSUER    "biebsync"

/* An error summary with one link to the field id. */
static void
error_summary(struct page *p, const char *id, enum msg error)
{
	html(&p->resp->body,
	     "<div class=\"error-summary\" role=\"alert\" tabindex=\"-1\"><h2>%s</h2>"
	     "<p><a href=\"#%s\">%s</a></p></div>",
	     page_msg(p, MSG_ERROR_SUMMARY), id, page_msg(p, error));
}

/* A one-time-code input: label, hint, error, input. */
static void
code_input(struct page *p, enum msg label, enum msg hint, enum msg error)
{
	struct buf *b = &p->resp->body;

	html(b,
	     "<label for=\"code\">%s</label><p class=\"hint\" id=\"code-hint\">%s</p>",
	     page_msg(p, label), page_msg(p, hint));
	if (error != MSG__MAX)
		html(b,
		     "<p class=\"field-error\" id=\"code-fout\"><span class=\"sr-only\">%s: </span>%s</p>",
		     page_msg(p, MSG_ERROR), page_msg(p, error));
	html(b,
	     "<input id=\"code\" name=\"code\" type=\"text\" autocomplete=\"one-time-code\" "
	     "autocapitalize=\"none\" spellcheck=\"false\" required maxlength=\"32\" "
	     "aria-describedby=\"%s\"%S>",
	     error != MSG__MAX ? "code-fout code-hint" : "code-hint",
	     error != MSG__MAX ? " aria-invalid=\"true\"" : "");
}

/* ---- the code page after the password -------------------------------- */

static void
code_form(struct page *p, int status, enum msg error)
{
	struct buf *b = &p->resp->body;

	p->resp->status = status;
	buf_reset(b);
	page_begin(p, page_msg(p, MSG_CODE_TITLE));
	html(b, "<section class=\"card login\"><h1>%s</h1>",
	     page_msg(p, MSG_CODE_TITLE));
	if (error != MSG__MAX)
		error_summary(p, "code", error);
	html(b,
	     "<p>%s</p><form method=\"post\" action=\"/aanmelden/code\" class=\"form\">",
	     page_msg(p, MSG_CODE_INTRO));
	page_csrf_input(p);
	code_input(p, MSG_CODE_LABEL, MSG_CODE_HINT, error);
	html(b,
	     "<button type=\"submit\" class=\"primary\">%s</button></form>"
	     "<p>%s</p><p><a href=\"/aanmelden\">%s</a></p></section>",
	     page_msg(p, MSG_LOGIN_BUTTON), page_msg(p, MSG_CODE_LOST),
	     page_msg(p, MSG_CODE_RESTART));
	page_end(p);
}

void
get_code(struct page *p)
{
	code_form(p, 200, MSG__MAX);
}

void
post_code(struct page *p)
{
	const char *code = page_field(p, "code");
	char token[TOKEN_SIZE];
	bool recovery = false;

	if (*code == '\0') {
		code_form(p, 422, MSG_CODE_MISSING);
		return;
	}
	switch (login_second_step(p->web->st, &p->web->cfg.login, &p->acct,
	                          code, p->req->client_addr, &recovery)) {
	case LOGIN_OK:
		break;
	case LOGIN_FAILED:
		log_info(p->req->rid, "second step failed");
		code_form(p, 200, MSG_CODE_WRONG);
		return;
	case LOGIN_REPLAY:
		log_info(p->req->rid, "second step: code used before");
		code_form(p, 200, MSG_CODE_REPLAY);
		return;
	case LOGIN_THROTTLED:
		log_warn(p->req->rid, "second step throttled");
		code_form(p, 429, MSG_CODE_THROTTLED);
		return;
	default:
		page_message(p, 500, MSG_ERROR_TITLE, MSG_ERROR_BODY);
		return;
	}
	/* a new session id for the full session */
	session_end(p->web->st, p->token);
	if (session_start(p->web->st, p->acct.id, token) != ERR_OK) {
		page_message(p, 500, MSG_ERROR_TITLE, MSG_ERROR_BODY);
		return;
	}
	log_info(p->req->rid, "login ok account=%lld (two-step)",
	         (long long)p->acct.id);
	page_set_cookie(p, COOKIE_SESSION, token, -1);
	if (p->acct.must_change)
		page_redirect(p, "/wachtwoord-wijzigen");
	else
		page_redirect(p, recovery
		                         ? "/mijn-gegevens?herstelcode=gebruikt"
		                         : "/");
}

/* ---- setting it up ----------------------------------------------------- */

/* Did the user come here right after replacing a one-time password? */
static bool
after_password(struct page *p)
{
	const char *q = p->req->method == HTTP_POST
	                        ? page_field(p, "wachtwoord")
	                        : http_query(p->req, "wachtwoord");

	return q != NULL && strcmp(q, "gewijzigd") == 0;
}

static void
setup_page(struct page *p, int status, enum msg error)
{
	struct buf *b = &p->resp->body;
	const char *secret = p->acct.totp_pending;
	char uri[512], grouped[64];
	struct buf d;
	int size = 0;
	bool library = p->acct.role == ROLE_BIBLIOTHEEK;

	buf_init(&d, 64 * 1024);
	if (totp_uri(QR_ISSUER, p->acct.username, secret, uri, sizeof(uri)) !=
	            ERR_OK ||
	    totp_qr_path(uri, &d, &size) != ERR_OK) {
		buf_release(&d);
		page_message(p, 500, MSG_ERROR_TITLE, MSG_ERROR_BODY);
		return;
	}
	totp_secret_grouped(secret, grouped, sizeof(grouped));
	p->resp->status = status;
	buf_reset(b);
	page_begin(p, page_msg(p, MSG_TOTP_TITLE));
	html(b, "<section class=\"card\"><h1>%s</h1>",
	     page_msg(p, MSG_TOTP_TITLE));
	if (error != MSG__MAX)
		error_summary(p, "code", error);
	else if (after_password(p))
		html(b, "<p class=\"notice\" role=\"status\">%s</p>",
		     page_msg(p, MSG_TOTP_PW_CHANGED));
	html(b,
	     "<p>%s</p><ol class=\"steps\"><li><p>%s</p></li><li><p>%s</p>"
	     "<svg class=\"qr\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" "
	     "aria-labelledby=\"qr-titel\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" "
	     "shape-rendering=\"crispEdges\"><title id=\"qr-titel\">%s</title>"
	     "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>"
	     "<path fill=\"#000\" d=\"%S\"/></svg>"
	     "<p>%s</p><p><code class=\"secret\" id=\"sleutel\">%s</code></p></li>"
	     "<li><p>%s</p>",
	     page_msg(p, library ? MSG_TOTP_INTRO_LIBRARY : MSG_TOTP_INTRO),
	     page_msg(p, MSG_TOTP_STEP_APP), page_msg(p, MSG_TOTP_STEP_SCAN),
	     size, size, size * QR_MODULE_PX, size * QR_MODULE_PX,
	     page_msg(p, MSG_TOTP_QR_TITLE), size, size, d.data,
	     page_msg(p, MSG_TOTP_MANUAL), grouped,
	     page_msg(p, MSG_TOTP_STEP_CODE));
	buf_release(&d);
	html(b, "<form method=\"post\" action=\"/tweestaps\" class=\"form\">");
	page_csrf_input(p);
	if (after_password(p))
		html(b,
		     "<input type=\"hidden\" name=\"wachtwoord\" value=\"gewijzigd\">");
	code_input(p, MSG_TOTP_CODE_LABEL, MSG_TOTP_CODE_HINT, error);
	html(b,
	     "<button type=\"submit\" class=\"primary\">%s</button></form></li></ol></section>",
	     page_msg(p, MSG_TOTP_CONFIRM));
	page_end(p);
}

void
get_twostep(struct page *p)
{
	char secret[TOTP_SECRET_LEN + 1];

	if (p->acct.totp_secret[0] != '\0') {
		page_redirect(p, "/mijn-gegevens");
		return;
	}
	/* one secret per setup: a reload shows the same one */
	if (p->acct.totp_pending[0] == '\0') {
		totp_secret_new(secret);
		if (store_account_set_totp(p->web->st, p->acct.id, "", secret,
		                           p->acct.totp_step) != ERR_OK) {
			page_message(p, 500, MSG_ERROR_TITLE, MSG_ERROR_BODY);
			return;
		}
		str_copy(p->acct.totp_pending, sizeof(p->acct.totp_pending),
		         secret);
		sodium_memzero(secret, sizeof(secret));
	}
	setup_page(p, 200, MSG__MAX);
}

/* The answer to a confirmed setup: the recovery codes, once. */
static void
codes_page(struct page *p, char codes[RECOVERY_COUNT][RECOVERY_SIZE])
{
	struct buf *b = &p->resp->body;

	page_begin(p, page_msg(p, MSG_TOTP_ON_TITLE));
	html(b,
	     "<section class=\"card\"><h1>%s</h1><p>%s</p>"
	     "<ol class=\"recovery-codes\" aria-label=\"%s\">",
	     page_msg(p, MSG_TOTP_ON_TITLE), page_msg(p, MSG_TOTP_CODES_INTRO),
	     page_msg(p, MSG_TOTP_CODES_LABEL));
	for (int i = 0; i < RECOVERY_COUNT; i++)
		html(b, "<li><code>%s</code></li>", codes[i]);
	html(b,
	     "</ol><p class=\"notice\">%s</p><p><a class=\"button primary\" href=\"%s\">%s</a></p></section>",
	     page_msg(p, MSG_TOTP_CODES_ONCE),
	     after_password(p) ? "/?wachtwoord=gewijzigd" : "/",
	     page_msg(p, MSG_TOTP_CONTINUE));
	page_end(p);
}

void
post_twostep(struct page *p)
{
	char codes[RECOVERY_COUNT][RECOVERY_SIZE];
	char hashes[RECOVERY_COUNT][65], keep[TOKEN_HASH_SIZE];
	int64_t step = 0;
	enum err e;

	if (p->acct.totp_secret[0] != '\0') {
		page_redirect(p, "/mijn-gegevens");
		return;
	}
	if (p->acct.totp_pending[0] == '\0') {
		page_redirect(p, "/tweestaps");
		return;
	}
	if (!totp_check(p->acct.totp_pending, page_field(p, "code"), time_now(),
	                &step)) {
		setup_page(p, 422, MSG_TOTP_SETUP_WRONG);
		return;
	}
	e = store_account_totp_step(p->web->st, p->acct.id, step);
	if (e == ERR_EXISTS) {
		setup_page(p, 422, MSG_CODE_REPLAY);
		return;
	}
	for (int i = 0; i < RECOVERY_COUNT; i++) {
		recovery_code_new(codes[i]);
		recovery_hash(codes[i], hashes[i]);
	}
	if (e != ERR_OK ||
	    store_account_set_totp(p->web->st, p->acct.id, p->acct.totp_pending,
	                           "", step) != ERR_OK ||
	    store_recovery_set(p->web->st, p->acct.id,
	                       (const char(*)[65])hashes,
	                       RECOVERY_COUNT) != ERR_OK) {
		page_message(p, 500, MSG_ERROR_TITLE, MSG_ERROR_BODY);
		return;
	}
	str_copy(p->acct.totp_secret, sizeof(p->acct.totp_secret),
	         p->acct.totp_pending);
	p->acct.totp_pending[0] = '\0';
	/* other sessions of this account logged in without the second step */
	token_hash(p->token, keep);
	store_session_delete_account(p->web->st, p->acct.id, keep);
	audit(p->web->st, AUDIT_TOTP_ENABLED, p->acct.id, p->acct.school_id,
	      p->acct.username, p->req->client_addr, "recovery_codes=%d",
	      RECOVERY_COUNT);
	codes_page(p, codes);
	sodium_memzero(codes, sizeof(codes));
}

/* ---- Mijn gegevens ------------------------------------------------------ */

void
twostep_section(struct page *p, enum msg error)
{
	struct buf *b = &p->resp->body;
	const char *flag;
	int64_t left = 0;

	html(b, "<section class=\"card\" id=\"tweestaps\"><h2>%s</h2>",
	     page_msg(p, MSG_TOTP_SECTION));
	flag = http_query(p->req, "tweestaps");
	if (error == MSG__MAX && flag != NULL && strcmp(flag, "uit") == 0)
		html(b, "<p class=\"notice\" role=\"status\">%s</p>",
		     page_msg(p, MSG_TOTP_TURNED_OFF));
	if (p->acct.totp_secret[0] == '\0') {
		html(b,
		     "<p>%s</p><p><a class=\"button\" href=\"/tweestaps\">%s</a></p></section>",
		     page_msg(p, MSG_TOTP_IS_OFF),
		     page_msg(p, MSG_TOTP_CONFIRM));
		return;
	}
	store_recovery_count(p->web->st, p->acct.id, &left);
	flag = http_query(p->req, "herstelcode");
	if (flag != NULL && strcmp(flag, "gebruikt") == 0)
		html(b, "<p class=\"notice\" role=\"status\">%s</p>",
		     page_msg(p, MSG_TOTP_RECOVERY_USED));
	html(b, "<p>");
	html(b, page_msg(p, MSG_TOTP_IS_ON), (int)left);
	html(b, "</p>");
	if (left == 0)
		html(b, "<p>%s</p>", page_msg(p, MSG_TOTP_NO_CODES_LEFT));
	if (p->acct.role == ROLE_BIBLIOTHEEK) {
		html(b, "<p>%s</p></section>",
		     page_msg(p, MSG_TOTP_LIBRARY_ALWAYS));
		return;
	}
	html(b,
	     "<form method=\"post\" action=\"/tweestaps/uit\" class=\"form\">");
	page_csrf_input(p);
	html(b,
	     "<label for=\"uit-wachtwoord\">%s</label><p class=\"hint\" id=\"uit-hint\">%s</p>",
	     page_msg(p, MSG_CURRENT_PASSWORD), page_msg(p, MSG_TOTP_OFF_HINT));
	if (error != MSG__MAX)
		html(b,
		     "<p class=\"field-error\" id=\"uit-fout\"><span class=\"sr-only\">%s: </span>%s</p>",
		     page_msg(p, MSG_ERROR), page_msg(p, error));
	html(b,
	     "<input id=\"uit-wachtwoord\" name=\"huidig\" type=\"password\" autocomplete=\"current-password\" "
	     "required aria-describedby=\"%s\"%S>"
	     "<button type=\"submit\" class=\"secondary\">%s</button></form></section>",
	     error != MSG__MAX ? "uit-fout uit-hint" : "uit-hint",
	     error != MSG__MAX ? " aria-invalid=\"true\"" : "",
	     page_msg(p, MSG_TOTP_TURN_OFF));
}

void
post_twostep_off(struct page *p)
{
	char keep[TOKEN_HASH_SIZE];

	if (p->acct.role != ROLE_DOCENT) {
		page_message(p, 403, MSG_FORBIDDEN_TITLE, MSG_FORBIDDEN_BODY);
		return;
	}
	if (p->acct.totp_secret[0] == '\0') {
		page_redirect(p, "/mijn-gegevens");
		return;
	}
	token_hash(p->token, keep);
	switch (login_recheck(p->web->st, &p->web->cfg.login, &p->acct,
	                      page_field(p, "huidig"), p->req->client_addr,
	                      keep, "turning off two-step login")) {
	case LOGIN_OK:
		break;
	case LOGIN_FAILED:
		details_refused_twostep(p, 422, MSG_TOTP_OFF_WRONG);
		return;
	case LOGIN_THROTTLED:
		log_warn(p->req->rid, "turning off two-step throttled");
		details_refused_twostep(p, 429, MSG_PW_THROTTLED);
		return;
	case LOGIN_ENDED:
		log_warn(p->req->rid, "turning off two-step: session ended");
		login_after_ended_session(p);
		return;
	default:
		page_message(p, 500, MSG_ERROR_TITLE, MSG_ERROR_BODY);
		return;
	}
	if (store_account_set_totp(p->web->st, p->acct.id, "", "",
	                           p->acct.totp_step) != ERR_OK ||
	    store_recovery_set(p->web->st, p->acct.id, NULL, 0) != ERR_OK) {
		page_message(p, 500, MSG_ERROR_TITLE, MSG_ERROR_BODY);
		return;
	}
	audit(p->web->st, AUDIT_TOTP_DISABLED, p->acct.id, p->acct.school_id,
	      p->acct.username, p->req->client_addr, "%s", "");
	page_redirect(p, "/mijn-gegevens?tweestaps=uit#tweestaps");
}
