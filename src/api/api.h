/*
 * The JSON API for the library's own systems, under /api/v1/ (docs/api.md;
 * the OpenAPI 3.1 document data/openapi.json is compiled in and served at
 * /api/v1/openapi.json).  Read-only, GET and HEAD; every answer is JSON,
 * errors included ({"error": code, "message": what to do}, Dutch unless
 * Accept-Language prefers English).
 *
 * A request carries "Authorization: Bearer bbs_..." (auth/apitoken.h); a
 * token sees the schools of its own library only, and another library's
 * school answers exactly like one that does not exist.  Requests are
 * limited per token (ratelimit.h); reads of pupils' data are audited
 * (AUDIT_API_READ, actor "token:<id>").
 *
 * The web dispatcher hands every path under /api/ to api_handle() (struct
 * web's api hook, set by `biebsync serve`).
 */
#ifndef BIEBSYNC_API_API_H
#define BIEBSYNC_API_API_H

#include <stddef.h>
#include <stdint.h>

#include "../http/http.h"
#include "../store/store.h"

/* The [api] section of the configuration. */
struct api_config {
	uint64_t rate;  /* requests per second per token, refilled */
	uint64_t burst; /* requests a token may make at once */
};

#define API_RATE_DEFAULT  10
#define API_BURST_DEFAULT 60

struct api;

/* An API over st (which must outlive it); NULL when cfg is out of
 * range. */
struct api *api_new(struct store *st, const struct api_config *cfg);
/* Accepts NULL. */
void api_free(struct api *api);

/* The http_handler for paths under /api/ (app: the struct api). */
void api_handle(struct http_request *req, struct http_response *resp,
                void *app);

/* The paths the API serves, as the OpenAPI document writes them
 * ("/api/v1/schools/{slug}"): the i-th, or NULL past the last. */
const char *api_route_path(size_t i);

#endif
