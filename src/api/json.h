/*
 * A small JSON writer on a struct buf (base/buf.h): objects and arrays
 * nested up to JSON_DEPTH, with the commas and the quoting done here, so
 * that a handler states only members and values.  Strings go through
 * buf_add_json(); numbers are integers only (the API has no fractions).
 *
 * Every function takes the member's key: a string inside an object, NULL
 * inside an array or for the top-level value.  Errors are the buffer's
 * sticky error (j->b->err); nesting deeper than JSON_DEPTH sets ERR_LIMIT
 * there too, so a sequence of calls is checked once at the end.
 */
#ifndef BIEBSYNC_API_JSON_H
#define BIEBSYNC_API_JSON_H

#include <stdbool.h>
#include <stdint.h>

#include "../base/buf.h"

#define JSON_DEPTH 16

struct json {
	struct buf *b;
	int depth;              /* open objects and arrays */
	bool some[JSON_DEPTH];  /* the open one at each depth has a value */
	char close[JSON_DEPTH]; /* and the bracket that closes it */
};

/* Start writing into b (appending to what it holds). */
void json_init(struct json *j, struct buf *b);

void json_object(struct json *j, const char *key); /* { */
void json_array(struct json *j, const char *key);  /* [ */
void json_end(struct json *j);                     /* } or ] */

/* s (NULL: null) as a string. */
void json_str(struct json *j, const char *key, const char *s);
void json_int(struct json *j, const char *key, int64_t v);
void json_bool(struct json *j, const char *key, bool v);
void json_null(struct json *j, const char *key);
/* v, or null when v is 0 (an id or a time that is not set). */
void json_int_or_null(struct json *j, const char *key, int64_t v);
/* t as "2026-11-29T13:05:00Z", or null when t is 0. */
void json_time(struct json *j, const char *key, int64_t t);
/* A date yyyymmdd as "jjjj-mm-dd", or null when 0. */
void json_date(struct json *j, const char *key, int32_t yyyymmdd);

#endif
