/*
 * What the API's files share (not for other folders): the state of the
 * API, one call being answered, the errors a call can end in, and the
 * endpoints, one handler signature for all (api.c routes to them).
 */
#ifndef BIEBSYNC_API_API_INT_H
#define BIEBSYNC_API_API_INT_H

#include <stdbool.h>

#include "api.h"
#include "json.h"
#include "ratelimit.h"
#include "../base/lang.h"

/* Bytes of one JSON answer or download at most. */
#define API_BODY_MAX ((size_t)256 << 20)

struct api {
	struct store *st;
	struct api_config cfg;
	struct ratelimit *rl;
};

/* The path's {...} segments a route can have. */
#define API_ARGS 2

struct api_call {
	struct api *api;
	struct http_request *req;
	struct http_response *resp;
	enum lang lang;
	struct api_token token;                 /* when the route needs one */
	char arg[API_ARGS][STORE_SLUG_MAX + 1]; /* {slug}, {format} */
};

/* The ways a call can fail; errors.c has each one's status, code word and
 * message. */
enum api_error {
	API_ERR_UNAUTHORIZED,     /* 401: no, a bad, unknown or revoked token */
	API_ERR_NOT_FOUND,        /* 404: no such path */
	API_ERR_SCHOOL_NOT_FOUND, /* 404: no such school of the library */
	API_ERR_METHOD,           /* 405: not GET or HEAD */
	API_ERR_RATE_LIMITED,     /* 429: past the token's rate */
	API_ERR_BAD_SINCE,        /* 400: ?since is not a cursor */
	API_ERR_BAD_LIMIT,        /* 400: ?limit out of range */
	API_ERR_BAD_SCHOOL,       /* 400: ?school is not a slug */
	API_ERR_BUSY,             /* 503: the database is busy */
	API_ERR_INTERNAL,         /* 500: anything else */
	API_ERR__MAX
};

/* Answer c with error e (its status, JSON body, and the headers it
 * needs: WWW-Authenticate, Allow, Retry-After when retry_after > 0). */
void api_error(struct api_call *c, enum api_error e, int64_t retry_after);
/* The error for a store failure: busy or internal. */
void api_store_error(struct api_call *c, enum err e);
/* The error's code word ("unauthorized"), its status and message (for
 * tests and docs). */
const char *api_error_word(enum api_error e);
int api_error_status(enum api_error e);
const char *api_error_message(enum api_error e, enum lang lang);

/* Start a 200 JSON answer in c->resp, its body emptied and capped at
 * API_BODY_MAX, and j writing into it. */
void api_json_begin(struct api_call *c, struct json *j);
/* Finish it: a 500 instead when the body did not fit. */
void api_json_end(struct api_call *c, struct json *j);

/* The school with slug of the token's library, with its counts when
 * asked (they count the school's pupils: only for answers that show
 * them); false after a 404 (no such school, another library's) or a store
 * error. */
bool api_school(struct api_call *c, const char *slug, bool counts,
                struct school_overview *out);
/* Write a school's members (id, slug, name, brin, pupils,
 * last_applied). */
void api_school_json(struct json *j, const char *key,
                     const struct school_overview *o);
/* A pupil's members as the roster and the feed write them (without
 * "id"): leerlingnummer, roepnaam, tussenvoegsel, achternaam,
 * geboortedatum (null when unknown), groep, jaargroep (null when
 * unknown). */
void api_pupil_fields(struct json *j, const struct student *s);
/* One AUDIT_API_READ row for c: what was read (no names). */
void api_audit(struct api_call *c, int64_t school_id, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

/* The endpoints (one handler signature; see api.c's routes). */
typedef void (*api_fn)(struct api_call *c);
void api_get_openapi(struct api_call *c);
void api_get_schools(struct api_call *c);
void api_get_school(struct api_call *c);
void api_get_roster(struct api_call *c);
void api_get_imports(struct api_call *c);
void api_get_export(struct api_call *c);
void api_get_changes(struct api_call *c);

#endif
