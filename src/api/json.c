/*
 * The JSON writer (json.h): a stack of "has this container a value yet"
 * flags decides where commas go, a stack of closing brackets what
 * json_end() writes; keys and strings are escaped by buf_add_json().
 */
#include <inttypes.h>
#include <stdio.h>

#include "json.h"
#include "../base/text.h"

void
json_init(struct json *j, struct buf *b)
{
	j->b = b;
	j->depth = 0;
}

static void
fail(struct json *j, enum err e)
{
	if (j->b->err == ERR_OK)
		j->b->err = e;
}

/* The comma and the key before a value. */
static void
lead(struct json *j, const char *key)
{
	if (j->depth > 0) {
		if (j->some[j->depth - 1])
			buf_addc(j->b, ',');
		j->some[j->depth - 1] = true;
	}
	if (key != NULL) {
		buf_add_json(j->b, key);
		buf_addc(j->b, ':');
	}
}

static void
open_with(struct json *j, const char *key, char open, char close)
{
	if (j->depth >= JSON_DEPTH) {
		fail(j, ERR_LIMIT);
		return;
	}
	lead(j, key);
	buf_addc(j->b, open);
	j->some[j->depth] = false;
	j->close[j->depth] = close;
	j->depth++;
}

void
json_object(struct json *j, const char *key)
{
	open_with(j, key, '{', '}');
}

void
json_array(struct json *j, const char *key)
{
	open_with(j, key, '[', ']');
}

void
json_end(struct json *j)
{
	if (j->depth == 0) {
		fail(j, ERR_INVALID);
		return;
	}
	j->depth--;
	buf_addc(j->b, j->close[j->depth]);
}

void
json_str(struct json *j, const char *key, const char *s)
{
	lead(j, key);
	if (s == NULL)
		buf_adds(j->b, "null");
	else
		buf_add_json(j->b, s);
}

void
json_int(struct json *j, const char *key, int64_t v)
{
	lead(j, key);
	buf_addf(j->b, "%" PRId64, v);
}

void
json_bool(struct json *j, const char *key, bool v)
{
	lead(j, key);
	buf_adds(j->b, v ? "true" : "false");
}

void
json_null(struct json *j, const char *key)
{
	lead(j, key);
	buf_adds(j->b, "null");
}

void
json_int_or_null(struct json *j, const char *key, int64_t v)
{
	if (v == 0)
		json_null(j, key);
	else
		json_int(j, key, v);
}

void
json_time(struct json *j, const char *key, int64_t t)
{
	char iso[32];

	if (t == 0) {
		json_null(j, key);
		return;
	}
	time_fmt_iso(t, iso, sizeof(iso));
	json_str(j, key, iso);
}

void
json_date(struct json *j, const char *key, int32_t d)
{
	char day[16];

	if (d <= 0) {
		json_null(j, key);
		return;
	}
	snprintf(day, sizeof(day), "%04d-%02d-%02d", (int)(d / 10000),
	         (int)(d / 100 % 100), (int)(d % 100));
	json_str(j, key, day);
}
