/*
 * The website's front door: the route table and the dispatcher that every
 * request passes through before a page handler runs.
 *
 * For each request the dispatcher: finds the route (404 if none); resolves
 * the session from its cookie; keeps a pending session (password right,
 * second step due) on the code page and sends library accounts without
 * two-step login to its setup before anything else; enforces the route's
 * access level (login page for anonymous users, 403 for the wrong role);
 * keeps users with a one-time password on the change-password page; for POST
 * checks the content type, parses only the declared fields (400 for malformed
 * or oversized ones), and checks the CSRF token together with Origin,
 * Sec-Fetch-Site or Referer (403, nothing changed).  Only then does the
 * page's handler run.  The language switch (/taal/nl, /taal/en) sets a
 * cookie and returns to the page it was clicked on (?terug=PATH, checked
 * by page_local_path), else to the start page.
 *
 * A route marked HEAVY hashes a password (Argon2: a login, every form that
 * checks or sets one, every account creation or reset, which hashes the
 * one-time password) or reads an uploaded file.  The http layer runs the
 * whole dispatch of such a request on its worker pool instead of an HTTP
 * thread (issue 12, point 3), so light pages and /healthz keep answering
 * during a flood of them.  A route that does such work without the mark
 * is found by heavy_check() (base/heavy.h): the e2e tests fail on its log
 * line, and e2e/route-matrix.test.mjs posts every form to find them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pages.h"
#include "../auth/token.h"
#include "../base/asset.h"
#include "../base/log.h"
#include "../base/strparse.h"
#include "../base/text.h"

enum access {
	ACCESS_PUBLIC,  /* anyone */
	ACCESS_USER,    /* any logged-in account */
	ACCESS_DOCENT,  /* school staff */
	ACCESS_LIBRARY, /* library staff */
	ACCESS_PENDING, /* a pending session: the second step of the login */
};

/* What a route's handler costs (see the top). */
enum work {
	LIGHT, /* runs on the HTTP thread that read the request */
	HEAVY, /* hashes a password or reads a file: the worker pool */
};

struct field {
	const char *name;
	size_t max; /* bytes */
};

struct route {
	enum http_method method; /* HTTP_GET also answers HEAD */
	const char *path;        /* "#" stands for an id: 1-18 digits */
	enum access access;
	bool otp_ok; /* reachable while a one-time password is in use */
	const struct field *fields; /* declared POST fields, NULL-ended */
	void (*fn)(struct page *);
	enum work work; /* HEAVY: runs on the worker pool (see the top) */
};

static const struct field login_fields[] = {
	{ "gebruikersnaam", 256 },
	{ "wachtwoord", 1024 },
	{ NULL, 0 },
};

static const struct field no_fields[] = {
	{ NULL, 0 },
};

static const struct field password_fields[] = {
	{ "huidig", 1024 },
	{ "nieuw", 1024 },
	{ "herhaal", 1024 },
	{ NULL, 0 },
};

static const struct field code_fields[] = {
	{ "code", 64 },
	{ NULL, 0 },
};

static const struct field twostep_fields[] = {
	{ "code", 64 },
	{ "wachtwoord", 16 }, /* "gewijzigd": right after a new password */
	{ NULL, 0 },
};

static const struct field twostep_off_fields[] = {
	{ "huidig", 1024 },
	{ NULL, 0 },
};

static const struct field upload_fields[] = {
	{ "bestand", 0 }, /* the file: a multipart part, capped by http */
	{ NULL, 0 },
};

static const struct field confirm_fields[] = {
	{ "zeker", 8 },
	{ NULL, 0 },
};

static const struct field erase_fields[] = {
	{ "bevestig", 8 }, /* the ticked box: "ja" */
	{ NULL, 0 },
};

static const struct field school_fields[] = {
	{ "naam", 200 },
	{ "brin", 32 },
	{ "contactnaam", STORE_PERSON_MAX },
	{ "telefoon", STORE_PHONE_MAX },
	{ "email", STORE_EMAIL_MAX },
	{ NULL, 0 },
};

static const struct field library_fields[] = {
	{ "naam", 200 },
	{ "contactnaam", STORE_PERSON_MAX },
	{ "telefoon", STORE_PHONE_MAX },
	{ "email", STORE_EMAIL_MAX },
	{ NULL, 0 },
};

static const struct field account_fields[] = {
	{ "gebruikersnaam", 256 },
	{ NULL, 0 },
};

static const struct field token_fields[] = {
	{ "naam", 1024 }, /* longer than a name may be: the page says so */
	{ NULL, 0 },
};

static const struct route routes[] = {
	{ HTTP_GET, "/", ACCESS_PUBLIC, false, NULL, get_home, LIGHT },
	{ HTTP_GET, "/aanmelden", ACCESS_PUBLIC, true, NULL, get_login, LIGHT },
	{ HTTP_POST, "/aanmelden", ACCESS_PUBLIC, true, login_fields,
	  post_login, HEAVY },
	{ HTTP_GET, "/aanmelden/code", ACCESS_PENDING, true, NULL, get_code,
	  LIGHT },
	{ HTTP_POST, "/aanmelden/code", ACCESS_PENDING, true, code_fields,
	  post_code, LIGHT },
	{ HTTP_POST, "/afmelden", ACCESS_USER, true, no_fields, post_logout,
	  LIGHT },
	{ HTTP_GET, "/tweestaps", ACCESS_USER, false, NULL, get_twostep,
	  LIGHT },
	{ HTTP_POST, "/tweestaps", ACCESS_USER, false, twostep_fields,
	  post_twostep, LIGHT },
	{ HTTP_POST, "/tweestaps/uit", ACCESS_USER, false, twostep_off_fields,
	  post_twostep_off, HEAVY },
	{ HTTP_GET, "/help/aanmelden", ACCESS_PUBLIC, true, NULL,
	  get_help_login, LIGHT },
	{ HTTP_GET, "/mijn-gegevens", ACCESS_USER, false, NULL, get_details,
	  LIGHT },
	{ HTTP_GET, "/wachtwoord-wijzigen", ACCESS_USER, true, NULL,
	  get_forced_password, LIGHT },
	{ HTTP_POST, "/wachtwoord-wijzigen", ACCESS_USER, true, password_fields,
	  post_password, HEAVY },
	{ HTTP_GET, "/help/parnassys", ACCESS_PUBLIC, true, NULL,
	  get_help_guide, LIGHT },
	{ HTTP_GET, "/help/esis", ACCESS_PUBLIC, true, NULL, get_help_guide,
	  LIGHT },
	{ HTTP_GET, "/help/dotcom", ACCESS_PUBLIC, true, NULL, get_help_guide,
	  LIGHT },
	{ HTTP_GET, "/help/uploaden", ACCESS_PUBLIC, true, NULL,
	  get_help_upload, LIGHT },
	{ HTTP_GET, "/docent/upload", ACCESS_DOCENT, false, NULL, get_upload,
	  LIGHT },
	{ HTTP_POST, "/docent/upload", ACCESS_DOCENT, false, upload_fields,
	  post_upload, HEAVY },
	{ HTTP_GET, "/docent/voorbeeldbestand.xlsx", ACCESS_USER, false, NULL,
	  get_example, LIGHT },
	{ HTTP_GET, "/docent/imports", ACCESS_DOCENT, false, NULL, get_imports,
	  LIGHT },
	{ HTTP_GET, "/docent/import/#", ACCESS_USER, false, NULL, get_import,
	  LIGHT },
	{ HTTP_GET, "/docent/import/#/rapport.xlsx", ACCESS_USER, false, NULL,
	  get_report, LIGHT },
	{ HTTP_POST, "/docent/import/#/bevestigen", ACCESS_DOCENT, false,
	  confirm_fields, post_confirm, LIGHT },
	{ HTTP_POST, "/docent/import/#/annuleren", ACCESS_DOCENT, false,
	  no_fields, post_cancel, LIGHT },
	{ HTTP_GET, "/docent/import/#/ongedaan-maken", ACCESS_DOCENT, false,
	  NULL, get_undo, LIGHT },
	{ HTTP_POST, "/docent/import/#/ongedaan-maken", ACCESS_DOCENT, false,
	  no_fields, post_undo, LIGHT },
	{ HTTP_GET, "/bibliotheek/imports", ACCESS_LIBRARY, false, NULL,
	  get_library_imports, LIGHT },
	{ HTTP_GET, "/bibliotheek/logboek", ACCESS_LIBRARY, false, NULL,
	  get_audit, LIGHT },
	{ HTTP_POST, "/bibliotheek/account/#/tweestaps-herstellen",
	  ACCESS_LIBRARY, false, no_fields, post_account_twostep_reset, LIGHT },
	{ HTTP_GET, "/bibliotheek/school/#/leerlingen", ACCESS_LIBRARY, false,
	  NULL, get_roster, LIGHT },
	{ HTTP_GET, "/bibliotheek/school/#/leerlingen.csv", ACCESS_LIBRARY,
	  false, NULL, get_roster_csv, LIGHT },
	{ HTTP_GET, "/bibliotheek/school/#/leerlingen.json", ACCESS_LIBRARY,
	  false, NULL, get_roster_json, LIGHT },
	{ HTTP_GET, "/bibliotheek/school/#/schoolwise.csv", ACCESS_LIBRARY,
	  false, NULL, get_roster_schoolwise, LIGHT },
	{ HTTP_GET, "/bibliotheek/school/#/oneroster.zip", ACCESS_LIBRARY,
	  false, NULL, get_roster_oneroster, LIGHT },
	{ HTTP_GET, "/bibliotheek/leerling/#", ACCESS_LIBRARY, false, NULL,
	  get_pupil, LIGHT },
	{ HTTP_GET, "/bibliotheek/leerling/#/gegevens.json", ACCESS_LIBRARY,
	  false, NULL, get_pupil_json, LIGHT },
	{ HTTP_GET, "/bibliotheek/leerling/#/wissen", ACCESS_LIBRARY, false,
	  NULL, get_pupil_erase, LIGHT },
	{ HTTP_POST, "/bibliotheek/leerling/#/wissen", ACCESS_LIBRARY, false,
	  erase_fields, post_pupil_erase, LIGHT },
	/* the library's schools and accounts (pages_library*.c) */
	{ HTTP_GET, "/bibliotheek/school/nieuw", ACCESS_LIBRARY, false, NULL,
	  get_school_new, LIGHT },
	{ HTTP_POST, "/bibliotheek/school/nieuw", ACCESS_LIBRARY, false,
	  school_fields, post_school_new, LIGHT },
	{ HTTP_GET, "/bibliotheek/school/#", ACCESS_LIBRARY, false, NULL,
	  get_school, LIGHT },
	{ HTTP_GET, "/bibliotheek/school/#/bewerken", ACCESS_LIBRARY, false,
	  NULL, get_school_edit, LIGHT },
	{ HTTP_POST, "/bibliotheek/school/#/bewerken", ACCESS_LIBRARY, false,
	  school_fields, post_school_edit, LIGHT },
	{ HTTP_GET, "/bibliotheek/school/#/account-nieuw", ACCESS_LIBRARY,
	  false, NULL, get_account_new, LIGHT },
	{ HTTP_POST, "/bibliotheek/school/#/account-nieuw", ACCESS_LIBRARY,
	  false, account_fields, post_account_new, HEAVY },
	{ HTTP_POST, "/bibliotheek/account/#/wachtwoord", ACCESS_LIBRARY, false,
	  no_fields, post_account_reset, HEAVY },
	{ HTTP_POST, "/bibliotheek/account/#/uitzetten", ACCESS_LIBRARY, false,
	  no_fields, post_account_disable, LIGHT },
	{ HTTP_POST, "/bibliotheek/account/#/aanzetten", ACCESS_LIBRARY, false,
	  no_fields, post_account_enable, LIGHT },
	{ HTTP_GET, "/bibliotheek/organisatie", ACCESS_LIBRARY, false, NULL,
	  get_organisation, LIGHT },
	{ HTTP_POST, "/bibliotheek/organisatie", ACCESS_LIBRARY, false,
	  library_fields, post_organisation, LIGHT },
	{ HTTP_GET, "/bibliotheek/organisatie/account-nieuw", ACCESS_LIBRARY,
	  false, NULL, get_library_account_new, LIGHT },
	{ HTTP_POST, "/bibliotheek/organisatie/account-nieuw", ACCESS_LIBRARY,
	  false, account_fields, post_library_account_new, HEAVY },
	/* the library's API keys (pages_library_tokens.c) */
	{ HTTP_GET, "/bibliotheek/api-sleutels", ACCESS_LIBRARY, false, NULL,
	  get_tokens, LIGHT },
	{ HTTP_POST, "/bibliotheek/api-sleutels", ACCESS_LIBRARY, false,
	  token_fields, post_tokens, LIGHT },
	{ HTTP_GET, "/bibliotheek/api-sleutel/#/intrekken", ACCESS_LIBRARY,
	  false, NULL, get_token_revoke, LIGHT },
	{ HTTP_POST, "/bibliotheek/api-sleutel/#/intrekken", ACCESS_LIBRARY,
	  false, no_fields, post_token_revoke, LIGHT },
};

#define NROUTES (sizeof(routes) / sizeof(routes[0]))

/* Does path fit pattern?  A '#' takes an id, stored in *id. */
static bool
match(const char *pattern, const char *path, int64_t *id)
{
	while (*pattern != '\0') {
		if (*pattern == '#') {
			const char *start = path;
			char digits[20];
			uint64_t v;

			while (*path >= '0' && *path <= '9')
				path++;
			if (path == start || path - start > 18)
				return false;
			memcpy(digits, start, (size_t)(path - start));
			digits[path - start] = '\0';
			if (parse_u64(digits, 1, INT64_MAX, &v) != ERR_OK)
				return false;
			*id = (int64_t)v;
			pattern++;
		} else if (*pattern++ != *path++) {
			return false;
		}
	}
	return *path == '\0';
}

static const struct route *
find_route(enum http_method m, const char *path, bool *path_known, int64_t *id)
{
	enum http_method want = m == HTTP_HEAD ? HTTP_GET : m;

	*path_known = false;
	for (size_t i = 0; i < NROUTES; i++) {
		if (!match(routes[i].path, path, id))
			continue;
		*path_known = true;
		if (routes[i].method == want)
			return &routes[i];
	}
	return NULL;
}

size_t
web_body_limit(enum http_method method, const char *path, void *arg)
{
	struct web *w = arg;

	if (method != HTTP_POST)
		return 0;
	/* the file plus room for the multipart framing and the token */
	if (strcmp(path, "/docent/upload") == 0)
		return w->cfg.imports.max_upload + 64 * 1024;
	return w->cfg.form_limit;
}

/* Static files, /healthz and the language switch need no page. */
static bool
serve_plain(struct web *w, struct http_request *req, struct http_response *resp)
{
	const struct asset *a;
	char cookie[128];

	if (req->method == HTTP_POST)
		return false;
	if (strcmp(req->path, "/healthz") == 0) {
		resp->content_type = "text/plain; charset=utf-8";
		buf_adds(&resp->body, "ok\n");
		return true;
	}
	if (str_starts(req->path, "/static/")) {
		a = asset_find(web_assets, req->path + strlen("/static/"));
		if (a == NULL)
			return false;
		resp->content_type = a->type;
		resp->static_body = a->data;
		resp->static_len = a->len;
		resp->cacheable = true;
		return true;
	}
	if (strcmp(req->path, "/taal/nl") == 0 ||
	    strcmp(req->path, "/taal/en") == 0) {
		/* back to the page the switch was clicked on (page_end),
		 * but never to another site */
		const char *back = http_query(req, "terug");

		cookie_format(cookie, sizeof(cookie), COOKIE_LANG,
		              req->path + strlen("/taal/"),
		              w->cfg.secure_cookies, 365 * 86400);
		http_add_header(resp, "Set-Cookie", cookie);
		http_add_header(resp, "Location",
		                back != NULL && page_local_path(back) ? back
		                                                      : "/");
		resp->status = 303;
		return true;
	}
	return false;
}

static void
load_session(struct page *p)
{
	const char *tok = page_cookie(p, COOKIE_SESSION);
	struct session se;

	if (tok == NULL || session_resolve(p->web->st, &p->web->cfg.session,
	                                   tok, &se, &p->acct) != ERR_OK)
		return;
	str_copy(p->token, sizeof(p->token), tok);
	token_derive(p->token, "csrf", p->csrf);
	if (se.pending) {
		/* only the code page: no account data, no menu */
		p->pending = true;
		return;
	}
	p->logged_in = true;
	if ((p->acct.role == ROLE_DOCENT &&
	     store_school_get(p->web->st, p->acct.school_id, &p->school) !=
	             ERR_OK) ||
	    store_library_get(p->web->st, p->acct.library_id, &p->library) !=
	            ERR_OK)
		p->logged_in = false;
}

/* Does the request come from one of our own pages? */
static bool
same_origin(struct page *p)
{
	const char *host = http_header(p->req, "Host");
	const char *origin = http_header(p->req, "Origin");
	const char *site = http_header(p->req, "Sec-Fetch-Site");
	const char *referer = http_header(p->req, "Referer");
	char self[300];

	if (host == NULL)
		return false;
	snprintf(self, sizeof(self), "%s://%s",
	         p->web->cfg.secure_cookies ? "https" : "http", host);
	if (site != NULL && strcmp(site, "same-origin") != 0)
		return false;
	if (origin != NULL && strcmp(origin, "null") != 0)
		return strcmp(origin, self) == 0;
	/* Origin "null" is what browsers send for our forms because of
	 * Referrer-Policy: no-referrer; browsers without Sec-Fetch-Site
	 * (Safari before 16.4) send nothing better.  The token, bound to a
	 * SameSite=Strict cookie, decides then. */
	if (origin != NULL)
		return true;
	if (referer != NULL)
		return str_starts(referer, self) &&
		       referer[strlen(self)] == '/';
	return true; /* no browser: the token alone decides */
}

struct form_ctx {
	struct page *p;
	const struct field *fields;
	char *csrf;
	bool bad;
};

static bool
acceptable_text(const char *v, size_t max)
{
	size_t n = strlen(v);

	if (n > max || !utf8_valid(v, n))
		return false;
	for (; *v != '\0'; v++)
		if ((unsigned char)*v < 0x20 || *v == 0x7f)
			return false;
	return true;
}

static void
take_field(const char *name, const char *value, void *arg)
{
	struct form_ctx *c = arg;
	struct page *p = c->p;

	if (strcmp(name, "csrf") == 0) {
		if (c->csrf == NULL && strlen(value) == TOKEN_LEN)
			c->csrf = (char *)(uintptr_t)value;
		return;
	}
	for (const struct field *f = c->fields; f->name != NULL; f++) {
		if (strcmp(f->name, name) != 0)
			continue;
		if (!acceptable_text(value, f->max) ||
		    p->nfields >= PAGE_MAX_FIELDS) {
			c->bad = true;
			return;
		}
		for (int i = 0; i < p->nfields; i++)
			if (strcmp(p->field_names[i], name) == 0) {
				c->bad = true; /* sent twice */
				return;
			}
		p->field_names[p->nfields] = f->name;
		p->field_values[p->nfields++] = (char *)(uintptr_t)value;
		return;
	}
	/* undeclared fields are ignored: they never reach the handler */
}

/*
 * The parts of a multipart form: the declared file part (max 0 in the
 * field table) becomes p->file; other parts go through take_field like
 * urlencoded fields.
 */
static void
take_parts(struct page *p, struct form_ctx *c)
{
	for (int i = 0; i < p->req->nparts; i++) {
		struct http_part *part = &p->req->parts[i];
		const struct field *f;

		for (f = c->fields; f->name != NULL; f++)
			if (strcmp(f->name, part->name) == 0)
				break;
		if (f->name != NULL && f->max == 0) {
			if (p->file != NULL)
				c->bad = true; /* two files */
			p->file = part;
		} else if (part->filename[0] == '\0') {
			if (memchr(part->data.data, '\0', part->data.len))
				c->bad = true;
			else
				take_field(part->name, part->data.data, c);
		}
	}
}

/* Parse and check a POST form; false when a response was produced. */
static bool
check_form(struct page *p, const struct route *r)
{
	const char *ctype = http_header(p->req, "Content-Type");
	struct form_ctx c = { p, r->fields, NULL, false };
	const char *secret;
	char pre_csrf[TOKEN_SIZE];

	if (p->req->multipart) {
		take_parts(p, &c);
	} else if (ctype == NULL ||
	           !str_starts(ctype, "application/x-www-form-urlencoded")) {
		page_message(p, 415, MSG_BADREQ_TITLE, MSG_BADREQ_BODY);
		return false;
	} else if (http_form_parse(p->req->body.data, p->req->body.len, 32,
	                           take_field, &c) != ERR_OK) {
		c.bad = true;
	}
	if (c.bad) {
		page_message(p, 400, MSG_BADREQ_TITLE, MSG_BADREQ_BODY);
		return false;
	}
	if (r->access == ACCESS_PUBLIC) {
		secret = page_cookie(p, COOKIE_PRE);
		if (secret != NULL && token_wellformed(secret)) {
			token_derive(secret, "csrf-login", pre_csrf);
		} else {
			pre_csrf[0] = '\0';
		}
	} else {
		str_copy(pre_csrf, sizeof(pre_csrf), p->csrf);
	}
	if (c.csrf == NULL || pre_csrf[0] == '\0' ||
	    !token_equal(c.csrf, pre_csrf) || !same_origin(p)) {
		log_warn(p->req->rid, "csrf check failed for %s", p->req->path);
		page_message(p, 403, MSG_CSRF_TITLE, MSG_CSRF_BODY);
		return false;
	}
	return true;
}

/*
 * The GET page the language switch on this answer returns to: the path
 * itself when it is a GET page; for a POST's answer (an error shown again,
 * a refused form) the GET page of the same path or of a parent
 * ("/docent/import/7/bevestigen" -> "/docent/import/7"); else none, which
 * is the start page.
 */
static void
set_here(struct page *p)
{
	char path[PAGE_PATH_MAX];
	bool known;
	int64_t id;
	char *slash;

	if (!page_local_path(p->req->path))
		return;
	str_copy(path, sizeof(path), p->req->path);
	for (;;) {
		if (find_route(HTTP_GET, path, &known, &id) != NULL) {
			str_copy(p->here, sizeof(p->here), path);
			return;
		}
		if (p->req->method != HTTP_POST ||
		    (slash = strrchr(path, '/')) == NULL || slash == path)
			return;
		*slash = '\0';
	}
}

/* A page struct for req with its language and session. */
static void
page_init(struct page *p, struct web *w, struct http_request *req,
          struct http_response *resp)
{
	memset(p, 0, sizeof(*p));
	p->web = w;
	p->req = req;
	p->resp = resp;
	p->lang = lang_choose(page_cookie(p, COOKIE_LANG),
	                      http_header(req, "Accept-Language"));
	load_session(p);
	set_here(p);
}

void
web_too_large(struct http_request *req, struct http_response *resp, void *arg)
{
	struct page p;

	page_init(&p, arg, req, resp);
	upload_too_large(&p);
}

/* Whether the role of p's account may use r (logged in or not). */
static bool
role_may(const struct route *r, const struct page *p)
{
	return !(r->access == ACCESS_DOCENT && p->acct.role != ROLE_DOCENT) &&
	       !(r->access == ACCESS_LIBRARY &&
	         p->acct.role != ROLE_BIBLIOTHEEK);
}

/*
 * Whether p's session may use route r: logged in (or pending, for the code
 * page), two-step login set up where required, the right role, no
 * one-time password to replace first.  Otherwise the answer (a redirect or
 * 403) is in p's response and false is returned.  Asked on the head of
 * every POST (web_admit: a refused form or upload never has its body
 * read) and again before every handler (web_handle).
 */
static bool
may_enter(struct page *p, const struct route *r)
{
	struct http_request *req = p->req;

	if (r->access == ACCESS_PENDING) {
		if (!p->pending) {
			page_redirect(p, p->logged_in ? "/" : "/aanmelden");
			return false;
		}
	} else if (r->access != ACCESS_PUBLIC && !p->logged_in) {
		page_redirect(p, "/aanmelden");
		return false;
	}
	/* no page before two-step login is set up, whatever the role */
	if (page_twostep_due(p) && !p->acct.must_change && !r->otp_ok &&
	    !str_starts(r->path, "/tweestaps")) {
		const char *flag = http_query(req, "wachtwoord");

		page_redirect(p, strcmp(req->path, "/") == 0 && flag != NULL &&
		                                 strcmp(flag, "gewijzigd") == 0
		                         ? "/tweestaps?wachtwoord=gewijzigd"
		                         : "/tweestaps");
		return false;
	}
	if (!role_may(r, p)) {
		page_message(p, 403, MSG_FORBIDDEN_TITLE, MSG_FORBIDDEN_BODY);
		return false;
	}
	if (p->logged_in && p->acct.must_change && !r->otp_ok) {
		page_redirect(p, "/wachtwoord-wijzigen");
		return false;
	}
	return true;
}

bool
web_admit(struct http_request *req, struct http_response *resp, void *arg)
{
	struct web *w = arg;
	const struct route *r;
	struct page p;
	bool known;

	page_init(&p, w, req, resp);
	r = find_route(req->method, req->path, &known, &p.id);
	if (r == NULL || may_enter(&p, r))
		return true;
	/* the answer web_handle would give after the body */
	log_warn(req->rid, "%s refused before its body (%d)", req->path,
	         resp->status);
	return false;
}

void
web_busy(struct http_request *req, struct http_response *resp, void *arg)
{
	struct page p;

	page_init(&p, arg, req, resp);
	page_message(&p, 503, MSG_BUSY_TITLE, MSG_BUSY_BODY);
}

bool
web_heavy(enum http_method method, const char *path, void *arg)
{
	const struct route *r;
	bool known;
	int64_t id;

	(void)arg;
	r = find_route(method, path, &known, &id);
	return r != NULL && r->work == HEAVY;
}

void
web_queue_full(struct http_request *req, struct http_response *resp, void *arg)
{
	struct page p;

	page_init(&p, arg, req, resp);
	page_message(&p, 503, MSG_BUSY_TITLE, MSG_QUEUE_FULL_BODY);
}

void
web_handle(struct http_request *req, struct http_response *resp, void *arg)
{
	struct web *w = arg;
	struct page p;
	const struct route *r;
	bool known;

	if (w->api != NULL && str_starts(req->path, "/api/")) {
		w->api(req, resp, w->api_arg);
		return;
	}
	if (serve_plain(w, req, resp))
		return;
	page_init(&p, w, req, resp);
	r = find_route(req->method, req->path, &known, &p.id);
	if (r == NULL) {
		if (known) {
			resp->status = 405;
			http_add_header(resp, "Allow",
			                req->method == HTTP_POST ? "GET, HEAD"
			                                         : "POST");
			buf_adds(&resp->body, "Method Not Allowed\n");
			resp->content_type = "text/plain; charset=utf-8";
		} else {
			page_message(&p, 404, MSG_NOTFOUND_TITLE,
			             MSG_NOTFOUND_BODY);
		}
		return;
	}
	if (!may_enter(&p, r))
		return;
	if (req->method == HTTP_POST && !check_form(&p, r))
		return;
	r->fn(&p);
}
