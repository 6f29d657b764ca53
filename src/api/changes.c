/*
 * GET /api/v1/changes: the change feed (store_feed_list) of the token's
 * library, or of one of its schools (?school=SLUG), after the cursor
 * ?since (omitted: from the start), at most ?limit entries (1..1000,
 * default 500).  The answer's next is the cursor of its last entry (since
 * itself when there is none), so that a client that always asks for the
 * changes since the last next it got sees every entry once; more says the
 * page was full.  A page with entries is audited with its count.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_int.h"
#include "cursor.h"
#include "../base/mem.h"
#include "../base/strparse.h"

#define FEED_LIMIT_DEFAULT 500
#define FEED_LIMIT_MAX     1000
/* schools of a library the slugs are looked up in, at most */
#define SCHOOLS_MAX 100000

struct slug {
	int64_t id;
	char slug[STORE_SLUG_MAX + 1];
};

struct page {
	struct json *j;
	struct slug *slugs; /* the library's schools, by id */
	size_t nslugs, alloc;
	size_t hit; /* the last one found: entries come in runs */
	struct feed_pos last;
	int n;
};

static int
add_slug(const struct school *s, void *arg)
{
	struct page *p = arg;

	if (p->nslugs == SCHOOLS_MAX)
		return 1;
	if (p->nslugs == p->alloc) {
		p->alloc = p->alloc ? 2 * p->alloc : 64;
		p->slugs = xrealloc(p->slugs, p->alloc * sizeof(*p->slugs));
	}
	p->slugs[p->nslugs].id = s->id;
	memcpy(p->slugs[p->nslugs].slug, s->slug, sizeof(s->slug));
	p->nslugs++;
	return 0;
}

static const char *
slug_of(struct page *p, int64_t id)
{
	if (p->hit < p->nslugs && p->slugs[p->hit].id == id)
		return p->slugs[p->hit].slug;
	for (size_t i = 0; i < p->nslugs; i++)
		if (p->slugs[i].id == id)
			return p->slugs[(p->hit = i)].slug;
	return NULL;
}

static int
entry(const struct feed_entry *e, void *arg)
{
	struct page *p = arg;
	struct json *j = p->j;
	char cursor[CURSOR_SIZE];

	cursor_format(e->pos, cursor);
	json_object(j, NULL);
	json_str(j, "cursor", cursor);
	json_str(j, "event", feed_event_word(e->event));
	json_time(j, "at", e->at);
	json_str(j, "school", slug_of(p, e->school_id));
	json_int_or_null(j, "import", e->import_id);
	json_str(j, "kind",
	         e->kind < CHANGE__MAX ? change_word(e->kind) : NULL);
	json_int_or_null(j, "pupil", e->pupil_id);
	if (e->has_before) {
		json_object(j, "before");
		api_pupil_fields(j, &e->before);
		json_end(j);
	} else {
		json_null(j, "before");
	}
	if (e->has_after) {
		json_object(j, "after");
		api_pupil_fields(j, &e->after);
		json_end(j);
	} else {
		json_null(j, "after");
	}
	json_end(j);
	p->last = e->pos;
	p->n++;
	return 0;
}

void
api_get_changes(struct api_call *c)
{
	const char *since = http_query(c->req, "since");
	const char *limit_s = http_query(c->req, "limit");
	const char *school = http_query(c->req, "school");
	struct school_overview o;
	struct page p = { 0 };
	struct feed_pos from = { 0, 0 };
	char next[CURSOR_SIZE];
	uint64_t limit = FEED_LIMIT_DEFAULT;
	int64_t school_id = 0;
	struct json j;
	enum err e;

	if (since != NULL && !cursor_parse(since, &from)) {
		api_error(c, API_ERR_BAD_SINCE, 0);
		return;
	}
	if (limit_s != NULL &&
	    parse_u64(limit_s, 1, FEED_LIMIT_MAX, &limit) != ERR_OK) {
		api_error(c, API_ERR_BAD_LIMIT, 0);
		return;
	}
	if (school != NULL) {
		size_t n = strspn(school, "abcdefghijklmnopqrstuvwxyz"
		                          "0123456789-");

		if (n == 0 || n > STORE_SLUG_MAX || school[n] != '\0') {
			api_error(c, API_ERR_BAD_SCHOOL, 0);
			return;
		}
		if (!api_school(c, school, false, &o))
			return;
		school_id = o.school.id;
	}
	e = store_school_list(c->api->st, c->token.library_id, add_slug, &p);
	if (e != ERR_OK) {
		api_store_error(c, e);
		goto out;
	}
	api_json_begin(c, &j);
	p.j = &j;
	p.last = from;
	json_object(&j, NULL);
	json_array(&j, "changes");
	e = store_feed_list(c->api->st, c->token.library_id, school_id, from,
	                    (int)limit, entry, &p);
	if (e != ERR_OK) {
		api_store_error(c, e);
		goto out;
	}
	json_end(&j);
	cursor_format(p.last, next);
	json_str(&j, "next", next);
	json_bool(&j, "more", (uint64_t)p.n == limit);
	json_end(&j);
	api_json_end(c, &j);
	if (c->resp->status == 200 && p.n > 0)
		api_audit(c, school_id, "changes %d entries", p.n);
out:
	free(p.slugs);
}
