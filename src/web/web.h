/*
 * The website: routes, sessions, CSRF protection and pages, on top of the
 * http layer.  web_handle() is the http_handler; web_body_limit() the
 * http_body_limit.  The struct web holds everything a request needs and is
 * shared read-only by all server threads.
 */
#ifndef BIEBSYNC_WEB_WEB_H
#define BIEBSYNC_WEB_WEB_H

#include <stdbool.h>
#include <stddef.h>

#include "../auth/login.h"
#include "../auth/session.h"
#include "../http/http.h"
#include "../import/import.h"
#include "../store/store.h"

/* Whom a school asks for a new password; "" = not configured. */
struct web_contact {
	char name[128];
	char phone[64];
	char email[256];
};

struct web_config {
	char library_name[128];     /* shown under the site title */
	struct web_contact contact; /* on the login and help pages */
	bool secure_cookies;        /* TLS here or at a trusted proxy */
	struct session_limits session;
	struct login_limits login;
	size_t form_limit; /* bytes of an ordinary form body */
	struct import_config imports;
};

struct web {
	struct store *st;
	struct web_config cfg;
	/* The JSON API (api/api.h, set by `biebsync serve`): every request
	 * for a path under /api/ goes to api(req, resp, api_arg) before any
	 * page; NULL: those paths are pages (and not found). */
	http_handler api;
	void *api_arg;
};

void web_handle(struct http_request *req, struct http_response *resp,
                void *web);
size_t web_body_limit(enum http_method method, const char *path, void *web);
/* The page for a request whose body is too large (413). */
void web_too_large(struct http_request *req, struct http_response *resp,
                   void *web);
/* The http_admit: every POST (a form or the upload) needs a session the
 * route admits (may_enter), checked on the head; otherwise
 * resp is what web_handle would answer after the body: the login
 * redirect without a session, 403 for another role. */
bool web_admit(struct http_request *req, struct http_response *resp, void *web);
/* The page for a request refused past the body budget (503). */
void web_busy(struct http_request *req, struct http_response *resp, void *web);
/* Whether the route of a request hashes a password or reads a file: its
 * handler then runs on the http layer's worker pool (http_heavy). */
bool web_heavy(enum http_method method, const char *path, void *web);
/* The page for a heavy request refused because the worker queue is full
 * (503). */
void web_queue_full(struct http_request *req, struct http_response *resp,
                    void *web);

#endif
