/*
 * The API's dispatcher (api.h): the route table, then for each request in
 * this order: the path (404), the method (405), the token (401), the
 * token's rate (429), the handler.  Also what every endpoint shares: the
 * JSON answer, the school of the path, the audit row.
 *
 * A path's {slug} and {format} match one segment of [a-z0-9-], at most
 * STORE_SLUG_MAX bytes; anything else is a path the API does not have.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api_int.h"
#include "../auth/apitoken.h"
#include "../auth/audit.h"
#include "../base/log.h"
#include "../base/mem.h"
#include "../base/strparse.h"
#include "../base/text.h"
#include "../web/i18n.h"

/* Seconds between two writes of a token's last use. */
#define USED_EVERY 60

struct route {
	const char *path; /* as in the OpenAPI document */
	bool token;       /* needs a token */
	api_fn fn;
};

/* Every path the API serves; the OpenAPI document describes each
 * (tests/api/test_routes.c checks both ways). */
static const struct route routes[] = {
	{ "/api/v1/openapi.json", false, api_get_openapi },
	{ "/api/v1/schools", true, api_get_schools },
	{ "/api/v1/schools/{slug}", true, api_get_school },
	{ "/api/v1/schools/{slug}/roster", true, api_get_roster },
	{ "/api/v1/schools/{slug}/imports", true, api_get_imports },
	{ "/api/v1/schools/{slug}/export/{format}", true, api_get_export },
	{ "/api/v1/changes", true, api_get_changes },
};

#define NROUTES (sizeof(routes) / sizeof(routes[0]))

const char *
api_route_path(size_t i)
{
	return i < NROUTES ? routes[i].path : NULL;
}

struct api *
api_new(struct store *st, const struct api_config *cfg)
{
	struct api *api;

	if (cfg->rate == 0 || cfg->burst == 0)
		return NULL;
	api = xcalloc(1, sizeof(*api));
	api->st = st;
	api->cfg = *cfg;
	api->rl = ratelimit_new((double)cfg->rate, (double)cfg->burst);
	if (api->rl == NULL) {
		free(api);
		return NULL;
	}
	return api;
}

void
api_free(struct api *api)
{
	if (api == NULL)
		return;
	ratelimit_free(api->rl);
	free(api);
}

/* One segment of a path argument: [a-z0-9-]{1,STORE_SLUG_MAX}. */
static size_t
arg_len(const char *s)
{
	size_t n = 0;

	while ((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= '0' && s[n] <= '9') ||
	       s[n] == '-')
		n++;
	return n <= STORE_SLUG_MAX && (s[n] == '/' || s[n] == '\0') ? n : 0;
}

/* Whether path matches pattern, its arguments copied into c->arg. */
static bool
match(const char *pattern, const char *path, struct api_call *c)
{
	int nargs = 0;

	while (*pattern != '\0') {
		if (*pattern == '{') {
			size_t n = arg_len(path);

			if (n == 0 || nargs == API_ARGS)
				return false;
			memcpy(c->arg[nargs], path, n);
			c->arg[nargs++][n] = '\0';
			path += n;
			pattern = strchr(pattern, '}') + 1;
		} else if (*pattern++ != *path++) {
			return false;
		}
	}
	return *path == '\0';
}

/* The token of the request into c->token; false after the 401. */
static bool
authenticate(struct api_call *c)
{
	const char *h = http_header(c->req, "Authorization");
	char hash[TOKEN_HASH_SIZE];
	int64_t now;
	enum err e;

	if (h == NULL || strncasecmp(h, "Bearer ", 7) != 0) {
		api_error(c, API_ERR_UNAUTHORIZED, 0);
		return false;
	}
	h += 7;
	while (*h == ' ')
		h++;
	if (!api_token_hash(h, hash)) {
		api_error(c, API_ERR_UNAUTHORIZED, 0);
		return false;
	}
	e = store_token_by_hash(c->api->st, hash, &c->token);
	explicit_bzero(hash, sizeof(hash));
	if (e == ERR_NOTFOUND || (e == ERR_OK && c->token.revoked != 0)) {
		log_info(c->req->rid, "api: token refused");
		api_error(c, API_ERR_UNAUTHORIZED, 0);
		return false;
	}
	if (e != ERR_OK) {
		api_store_error(c, e);
		return false;
	}
	now = time_now();
	if (now - c->token.last_used >= USED_EVERY &&
	    store_token_used(c->api->st, c->token.id, now) != ERR_OK)
		log_warn(c->req->rid, "api: last use of token %lld not noted",
		         (long long)c->token.id);
	return true;
}

/* Whether the token may make one more request now; false after the
 * 429. */
static bool
within_rate(struct api_call *c)
{
	struct timespec ts;
	int64_t retry = 1;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	if (ratelimit_take(c->api->rl, c->token.id,
	                   (double)ts.tv_sec + (double)ts.tv_nsec / 1e9,
	                   &retry))
		return true;
	log_info(c->req->rid, "api: token %lld over its rate",
	         (long long)c->token.id);
	api_error(c, API_ERR_RATE_LIMITED, retry);
	return false;
}

void
api_handle(struct http_request *req, struct http_response *resp, void *app)
{
	struct api_call c;
	const struct route *r = NULL;

	memset(&c, 0, sizeof(c));
	c.api = app;
	c.req = req;
	c.resp = resp;
	c.lang = lang_choose(NULL, http_header(req, "Accept-Language"));
	for (size_t i = 0; i < NROUTES && r == NULL; i++)
		if (match(routes[i].path, req->path, &c))
			r = &routes[i];
	if (r == NULL) {
		api_error(&c, API_ERR_NOT_FOUND, 0);
		return;
	}
	if (req->method != HTTP_GET && req->method != HTTP_HEAD) {
		api_error(&c, API_ERR_METHOD, 0);
		return;
	}
	if (r->token && (!authenticate(&c) || !within_rate(&c)))
		return;
	r->fn(&c);
	explicit_bzero(&c.token, sizeof(c.token));
}

void
api_json_begin(struct api_call *c, struct json *j)
{
	buf_release(&c->resp->body);
	buf_init(&c->resp->body, API_BODY_MAX);
	c->resp->status = 200;
	c->resp->content_type = "application/json; charset=utf-8";
	json_init(j, &c->resp->body);
}

void
api_json_end(struct api_call *c, struct json *j)
{
	buf_addc(j->b, '\n');
	if (j->b->err != ERR_OK || j->depth != 0) {
		log_error(c->req->rid, "api: answer for %s did not fit",
		          c->req->path);
		api_error(c, API_ERR_INTERNAL, 0);
	}
}

bool
api_school(struct api_call *c, const char *slug, bool counts,
           struct school_overview *out)
{
	enum err e;

	memset(out, 0, sizeof(*out));
	e = store_school_by_slug(c->api->st, slug, &out->school);
	/* the library's own schools only: another library's school is
	 * not found, exactly like one that does not exist */
	if (e == ERR_NOTFOUND ||
	    (e == ERR_OK && out->school.library_id != c->token.library_id)) {
		api_error(c, API_ERR_SCHOOL_NOT_FOUND, 0);
		return false;
	}
	if (e == ERR_OK && counts)
		e = store_school_overview_get(c->api->st, out->school.id, out);
	if (e != ERR_OK) {
		api_store_error(c, e);
		return false;
	}
	return true;
}

void
api_school_json(struct json *j, const char *key,
                const struct school_overview *o)
{
	json_object(j, key);
	json_int(j, "id", o->school.id);
	json_str(j, "slug", o->school.slug);
	json_str(j, "name", o->school.name);
	json_str(j, "brin", o->school.brin);
	json_int(j, "pupils", o->pupils);
	json_time(j, "last_applied", o->last_applied);
	json_end(j);
}

void
api_audit(struct api_call *c, int64_t school_id, const char *fmt, ...)
{
	char actor[STORE_USERNAME_MAX + 1], detail[256];
	va_list ap;

	snprintf(actor, sizeof(actor), "token:%lld", (long long)c->token.id);
	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	audit_in(c->api->st, c->token.library_id, AUDIT_API_READ, 0, school_id,
	         actor, c->req->client_addr, "%s", detail);
}
