/*
 * The per-request state of a page and the shared page layout.
 *
 * struct page carries the request, the response, the user's language, the
 * logged-in account (if any) and the declared form fields.  page_begin()
 * writes the document head, the header with the site title and the menu
 * that fits the account; page_end() closes it.  Pages write their content
 * between the two with html().
 */
#ifndef BIEBSYNC_WEB_PAGE_H
#define BIEBSYNC_WEB_PAGE_H

#include <stdbool.h>

#include "html.h"
#include "i18n.h"
#include "web.h"

#define PAGE_MAX_FIELDS 8
#define PAGE_PATH_MAX   256 /* bytes of a path the language switch returns to */

struct page {
	struct web *web;
	struct http_request *req;
	struct http_response *resp;
	enum lang lang;
	bool logged_in;
	bool pending; /* only the password was right: the code page, no
	                 more (logged_in is false then; acct is set) */
	struct account acct;
	struct school school;   /* the account's school (docent) */
	struct library library; /* the account's library */
	char token[TOKEN_SIZE]; /* session token from the cookie */
	char csrf[TOKEN_SIZE];  /* CSRF token to put in forms */
	int nfields;
	const char *field_names[PAGE_MAX_FIELDS];
	char *field_values[PAGE_MAX_FIELDS];
	const struct http_part *file; /* the uploaded file, if any */
	int64_t id;                   /* the id in the path ("#" routes) */
	char here[PAGE_PATH_MAX]; /* the GET page the language switch returns
	                             to ("" = the start page) */
};

/* The message m in the page's language. */
const char *page_msg(struct page *p, enum msg m);

/* A declared form field's value ("" when not sent). */
const char *page_field(struct page *p, const char *name);

/* Start the document: title is plain text. */
void page_begin(struct page *p, const char *title);
void page_end(struct page *p);

/* A hidden input with the CSRF token. */
void page_csrf_input(struct page *p);

/*
 * One labelled input of a form (class "form"): the label, the hint, the
 * field's error (between hint and input, so a screen reader reads it
 * with the field) and the input, with aria-describedby and aria-invalid
 * wired.  hint and error: MSG__MAX for none.
 */
struct page_input {
	const char *id; /* the input's id and name */
	enum msg label, hint, error;
	const char *type;         /* "text", "password", "email", "tel" */
	const char *autocomplete; /* NULL: none */
	const char *attrs;        /* trusted extra attributes, NULL: none */
	const char *value;        /* NULL or "": empty */
};
void page_input(struct page *p, const struct page_input *in);

/* A field and its error (MSG__MAX: none), for page_error_summary(). */
struct page_error {
	const char *id;
	enum msg error;
};

/*
 * The summary at the top of a refused form: a heading and a link to each
 * field with an error, in the order given.  Writes nothing and returns
 * false when no field has one.
 */
bool page_error_summary(struct page *p, const struct page_error *e, size_t n);

/* A complete simple page: title, paragraph, link home (status set). */
void page_message(struct page *p, int status, enum msg title, enum msg body);

/*
 * For library staff: the school (account) with this id when it belongs to
 * the user's own library; else false after a 404 page, the same answer as
 * for an id that does not exist, so ids of other libraries reveal nothing.
 */
bool page_library_school(struct page *p, int64_t id, struct school *out);
bool page_library_account(struct page *p, int64_t id, struct account *out);

/* Must this logged-in account set up two-step login before anything
 * else?  (Library accounts without it.) */
bool page_twostep_due(const struct page *p);

/* The logged-in user as the actor of audit rows. */
struct store_actor page_actor(struct page *p);

/*
 * Is s a path of this site that a redirect may lead to?  It starts with a
 * single '/', holds only letters, digits, '/', '-', '.', '_' and '~', has no
 * "//" and fits PAGE_PATH_MAX.  So no scheme, no other host ("//host",
 * "/\\host"), no query, no header injection: anything else goes to "/".
 */
bool page_local_path(const char *s);

/*
 * Answer with a download: len bytes of data as a file of type ctype named
 * name, which must be plain ASCII without quotes (it goes into
 * Content-Disposition: attachment as it is).  Replaces any body written.
 */
void page_download(struct page *p, const char *ctype, const char *name,
                   const void *data, size_t len);

/* Answer with a 303 redirect to a local path. */
void page_redirect(struct page *p, const char *path);

/* The value of our cookie name (with __Host- under TLS), or NULL. */
const char *page_cookie(struct page *p, const char *name);

/* Add a Set-Cookie header for name (see cookie_format). */
void page_set_cookie(struct page *p, const char *name, const char *value,
                     int64_t max_age);

#endif
