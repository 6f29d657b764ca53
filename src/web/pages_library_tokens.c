/*
 * API keys ("API-sleutels") in the library's web area (issue 13): the
 * list of the library's keys with the form to make one, the page that
 * shows a new key's secret once, and revoking a key after a confirmation
 * page.  A key lets the library's own systems read the rosters of all its
 * schools through the JSON API (api/); store.h "API tokens" says what is
 * kept: the hash and the first characters, never the secret.
 *
 * The secret exists only in the answer to the POST that made it: never in
 * a URL, a redirect, a cookie or a log line.  That answer carries
 * Cache-Control: no-store (as every page does) and the secret is wiped
 * once the page is written.  Making and revoking are audited by the store
 * in the same transaction (AUDIT_TOKEN_CREATED, AUDIT_TOKEN_REVOKED).
 *
 * Only keys of the user's own library are shown or revoked: a key id of
 * another library gets the same 404 as one that does not exist.
 */
#include <stdio.h>
#include <string.h>

#include "pages.h"
#include "../auth/apitoken.h"
#include "../base/mem.h"
#include "../base/strparse.h"
#include "../base/text.h"

#define TOKENS_PATH "/bibliotheek/api-sleutels"

/* ---- the list ---- */

struct token_rows {
	struct page *p;
	int n;
};

/* "bbs_AbCd1234…": the shown start of a key, never the whole secret. */
static void
token_prefix(struct page *p, const struct api_token *t)
{
	html(&p->resp->body,
	     "<code class=\"token-prefix\">%s\xe2\x80\xa6</code>", t->prefix);
}

/* A moment, kept on one line: "03-12-2026 13:05". */
static void
token_when(struct page *p, int64_t t)
{
	char when[32];

	time_fmt_local(t, when, sizeof(when));
	html(&p->resp->body, "<span class=\"when\">%s</span>", when);
}

/* "03-12-2026 13:05 door bieb-west" */
static void
token_created(struct page *p, const struct api_token *t)
{
	token_when(p, t->created);
	html(&p->resp->body, " ");
	html(&p->resp->body, page_msg(p, MSG_TOK_CREATED_BY), t->created_by);
}

/* The last use, or "nog nooit". */
static void
token_last_used(struct page *p, const struct api_token *t)
{
	if (t->last_used != 0)
		token_when(p, t->last_used);
	else
		html(&p->resp->body, "%s", page_msg(p, MSG_NEVER));
}

static int
token_row(const struct api_token *t, void *arg)
{
	struct token_rows *r = arg;
	struct page *p = r->p;
	struct buf *b = &p->resp->body;

	if (t->library_id != p->acct.library_id)
		return 0;
	if (r->n++ == 0)
		html(b,
		     "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"%s\">"
		     "<table class=\"stack tokens\"><thead><tr><th scope=\"col\">%s</th>"
		     "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		     "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		     "<th scope=\"col\">%s</th></tr></thead><tbody>",
		     page_msg(p, MSG_TOK_LIST_LABEL), page_msg(p, MSG_COL_NAME),
		     page_msg(p, MSG_TOK_COL_KEY),
		     page_msg(p, MSG_TOK_COL_CREATED),
		     page_msg(p, MSG_TOK_COL_LAST_USED),
		     page_msg(p, MSG_LIB_COL_STATE),
		     page_msg(p, MSG_LIB_COL_ACTIONS));
	html(b,
	     "<tr id=\"sleutel-%lld\"%S><th scope=\"row\" data-label=\"%s\">%s</th>"
	     "<td data-label=\"%s\">",
	     (long long)t->id, t->revoked != 0 ? " class=\"revoked\"" : "",
	     page_msg(p, MSG_COL_NAME), t->name, page_msg(p, MSG_TOK_COL_KEY));
	token_prefix(p, t);
	/* a cell's parts in one span: one grid item when stacked */
	html(b, "</td><td data-label=\"%s\"><span>",
	     page_msg(p, MSG_TOK_COL_CREATED));
	token_created(p, t);
	html(b, "</span></td><td data-label=\"%s\">",
	     page_msg(p, MSG_TOK_COL_LAST_USED));
	token_last_used(p, t);
	html(b, "</td><td data-label=\"%s\"><span>",
	     page_msg(p, MSG_LIB_COL_STATE));
	if (t->revoked != 0) {
		html(b, "%s ", page_msg(p, MSG_TOK_REVOKED_ON));
		token_when(p, t->revoked);
	} else {
		html(b, "%s", page_msg(p, MSG_TOK_ACTIVE));
	}
	html(b, "</span></td><td data-label=\"%s\"><div class=\"actions\">",
	     page_msg(p, MSG_LIB_COL_ACTIONS));
	if (t->revoked == 0)
		html(b,
		     "<a class=\"button secondary quiet\" href=\"/bibliotheek/api-sleutel/%lld/intrekken\">"
		     "%s<span class=\"sr-only\"> (%s)</span></a>",
		     (long long)t->id, page_msg(p, MSG_TOK_REVOKE), t->name);
	html(b, "</div></td></tr>");
	return 0;
}

/*
 * The list page with the form for a new key: status 200, or 422 with the
 * name's error next to the field and the name as typed.
 */
static void
tokens_page(struct page *p, int status, const char *name, enum msg error)
{
	struct buf *b = &p->resp->body;
	struct token_rows r = { p, 0 };
	const struct page_error summary[] = { { "naam", error } };
	const struct page_input in = { "naam",
		                       MSG_TOK_FIELD_NAME,
		                       MSG_TOK_FIELD_HINT,
		                       error,
		                       "text",
		                       "off",
		                       " required maxlength=\"100\"",
		                       name };

	p->resp->status = status;
	buf_reset(b);
	page_begin(p, page_msg(p, MSG_TOK_MENU));
	html(b, "<section class=\"card\"><h1>%s</h1>",
	     page_msg(p, MSG_TOK_MENU));
	if (status == 200 && http_query(p->req, "ingetrokken") != NULL)
		html(b, "<p class=\"notice\" role=\"status\">%s</p>",
		     page_msg(p, MSG_TOK_REVOKED_NOTICE));
	page_error_summary(p, summary, 1);
	html(b, "<p>%s</p>", page_msg(p, MSG_TOK_INTRO));
	store_token_list(p->web->st, p->acct.library_id, token_row, &r);
	if (r.n > 0)
		html(b, "</tbody></table></div>");
	else
		html(b, "<p>%s</p>", page_msg(p, MSG_TOK_NONE));
	html(b,
	     "</section><section class=\"card\"><h2>%s</h2>"
	     "<form method=\"post\" action=\"" TOKENS_PATH "\" class=\"form\">",
	     page_msg(p, MSG_TOK_NEW));
	page_csrf_input(p);
	page_input(p, &in);
	html(b,
	     "<button type=\"submit\" class=\"primary\">%s</button></form></section>",
	     page_msg(p, MSG_TOK_MAKE));
	page_end(p);
}

void
get_tokens(struct page *p)
{
	tokens_page(p, 200, "", MSG__MAX);
}

/* ---- making a key ---- */

/*
 * The answer to the POST that made key t: the secret once, what it gives
 * access to, and how a system uses it.  The secret is wiped afterwards.
 */
static void
secret_page(struct page *p, const struct api_token *t,
            char secret[API_TOKEN_SIZE])
{
	struct buf *b = &p->resp->body;
	const char *host = http_header(p->req, "Host");

	p->resp->status = 200;
	buf_reset(b);
	page_begin(p, page_msg(p, MSG_TOK_MADE_TITLE));
	html(b,
	     "<section class=\"card token-made\"><h1>%s</h1><p class=\"notice\" role=\"status\">",
	     page_msg(p, MSG_TOK_MADE_TITLE));
	html(b, page_msg(p, MSG_TOK_MADE_NOTICE), t->name);
	html(b,
	     "</p><p class=\"guard\">%s</p>"
	     "<h2 id=\"sleutel-kop\">%s</h2>"
	     "<p class=\"token-secret\"><code id=\"sleutel\" class=\"secret\" aria-labelledby=\"sleutel-kop\">%s</code></p><p>",
	     page_msg(p, MSG_TOK_ONCE), page_msg(p, MSG_TOK_SECRET_LABEL),
	     secret);
	html(b, page_msg(p, MSG_TOK_WHAT), p->library.name);
	html(b,
	     "</p><h2>%s</h2><p>%s</p>"
	     "<pre class=\"example\"><code>curl -H \"Authorization: Bearer %s\" %s://%s/api/v1/schools</code></pre>"
	     "<p><a class=\"button primary\" href=\"" TOKENS_PATH
	     "\">%s</a></p>"
	     "</section>",
	     page_msg(p, MSG_TOK_TRY), page_msg(p, MSG_TOK_TRY_INTRO), secret,
	     p->web->cfg.secure_cookies ? "https" : "http",
	     host != NULL ? host : "127.0.0.1", page_msg(p, MSG_TOK_BACK));
	page_end(p);
	mem_wipe(secret, API_TOKEN_SIZE);
}

void
post_tokens(struct page *p)
{
	struct store_actor who = page_actor(p);
	const char *typed = page_field(p, "naam");
	char secret[API_TOKEN_SIZE];
	struct api_token t;
	enum msg error;

	memset(&t, 0, sizeof(t));
	t.library_id = p->acct.library_id;
	if (str_copy(t.name, sizeof(t.name), typed) != ERR_OK) {
		tokens_page(p, 422, typed, MSG_TOK_ERR_NAME_LONG);
		return;
	}
	str_trim(t.name);
	if (t.name[0] == '\0') {
		tokens_page(p, 422, "", MSG_TOK_ERR_NAME_EMPTY);
		return;
	}
	api_token_make(secret, &t);
	switch (store_token_add(p->web->st, &who, &t)) {
	case ERR_OK:
		secret_page(p, &t, secret);
		return;
	case ERR_LIMIT:
		error = MSG_TOK_ERR_NAME_LONG;
		break;
	default:
		error = MSG_LIB_ERR_SAVE;
		break;
	}
	mem_wipe(secret, sizeof(secret));
	tokens_page(p, 422, typed, error);
}

/* ---- revoking a key ---- */

struct token_find {
	int64_t id;
	struct api_token *out;
	bool found;
};

static int
token_match(const struct api_token *t, void *arg)
{
	struct token_find *f = arg;

	if (t->id != f->id)
		return 0;
	*f->out = *t;
	f->found = true;
	return 1;
}

/*
 * The key of the path when it is one of the user's library; else false
 * after a 404 page, the same answer as for an id that does not exist.
 */
static bool
library_token(struct page *p, struct api_token *out)
{
	struct token_find f = { p->id, out, false };

	if (p->acct.role == ROLE_BIBLIOTHEEK &&
	    store_token_list(p->web->st, p->acct.library_id, token_match, &f) ==
	            ERR_OK &&
	    f.found && out->library_id == p->acct.library_id)
		return true;
	page_message(p, 404, MSG_NOTFOUND_TITLE, MSG_NOTFOUND_BODY);
	return false;
}

static void
already_revoked(struct page *p)
{
	struct buf *b = &p->resp->body;

	p->resp->status = 409;
	buf_reset(b);
	page_begin(p, page_msg(p, MSG_TOK_ALREADY_TITLE));
	html(b,
	     "<section class=\"card\"><h1>%s</h1><p>%s</p>"
	     "<p><a href=\"" TOKENS_PATH "\">%s</a></p></section>",
	     page_msg(p, MSG_TOK_ALREADY_TITLE),
	     page_msg(p, MSG_TOK_ALREADY_BODY), page_msg(p, MSG_TOK_BACK));
	page_end(p);
}

void
get_token_revoke(struct page *p)
{
	struct buf *b = &p->resp->body;
	struct api_token t;

	if (!library_token(p, &t))
		return;
	if (t.revoked != 0) {
		already_revoked(p);
		return;
	}
	page_begin(p, page_msg(p, MSG_TOK_REVOKE_TITLE));
	html(b, "<section class=\"card token-revoke\"><h1>%s</h1><p>",
	     page_msg(p, MSG_TOK_REVOKE_TITLE));
	html(b, page_msg(p, MSG_TOK_REVOKE_QUESTION), t.name);
	html(b,
	     "</p><dl class=\"details\"><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>",
	     page_msg(p, MSG_COL_NAME), t.name, page_msg(p, MSG_TOK_COL_KEY));
	token_prefix(p, &t);
	html(b, "</dd><dt>%s</dt><dd>", page_msg(p, MSG_TOK_COL_CREATED));
	token_created(p, &t);
	html(b, "</dd><dt>%s</dt><dd>", page_msg(p, MSG_TOK_COL_LAST_USED));
	token_last_used(p, &t);
	html(b,
	     "</dd></dl><p class=\"guard\">%s</p>"
	     "<form method=\"post\" action=\"/bibliotheek/api-sleutel/%lld/intrekken\" class=\"form\">",
	     page_msg(p, MSG_TOK_REVOKE_EFFECT), (long long)t.id);
	page_csrf_input(p);
	html(b,
	     "<button type=\"submit\" class=\"primary danger\">%s</button></form>"
	     "<p><a href=\"" TOKENS_PATH "\">%s</a></p></section>",
	     page_msg(p, MSG_TOK_REVOKE_BUTTON), page_msg(p, MSG_TOK_KEEP));
	page_end(p);
}

void
post_token_revoke(struct page *p)
{
	struct store_actor who = page_actor(p);
	struct api_token t;

	if (!library_token(p, &t))
		return;
	switch (store_token_revoke(p->web->st, &who, p->acct.library_id, t.id,
	                           time_now())) {
	case ERR_OK:
		page_redirect(p, TOKENS_PATH "?ingetrokken=1");
		return;
	case ERR_STATE:
		already_revoked(p);
		return;
	case ERR_NOTFOUND:
		page_message(p, 404, MSG_NOTFOUND_TITLE, MSG_NOTFOUND_BODY);
		return;
	default:
		page_message(p, 500, MSG_ERROR_TITLE, MSG_ERROR_BODY);
		return;
	}
}
