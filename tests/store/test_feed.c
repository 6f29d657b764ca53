/*
 * API tokens and the change feed in the store (src/store/feed.c, pg_feed.c
 * on PostgreSQL with BIEBSYNC_TEST_PG_URL, and
 * the token functions of sqlite.c).  The feed's promise is tested the way a
 * library system uses it: a client copies a roster snapshot, then follows
 * the feed page by page after every apply, undo and erasure, and after
 * each step holds exactly the roster the store holds.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../testutil.h"
#include "../../src/auth/apitoken.h"
#include "../../src/roster/diff.h"

static const struct store_actor who = { 0, "test", "cli" };

struct fx {
	char dir[64];
	struct store *st;
	int64_t lib2, school, other, foreign;
};

static int64_t
add_school(struct store *st, int64_t library, const char *slug)
{
	struct school s;

	memset(&s, 0, sizeof(s));
	s.library_id = library;
	snprintf(s.name, sizeof(s.name), "School %s", slug);
	snprintf(s.slug, sizeof(s.slug), "%s", slug);
	assert_int_equal(store_school_add(st, &s), ERR_OK);
	return s.id;
}

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct library l;
	char url[256], msg[256];

	tu_tmpdir(f->dir);
	tu_store_url(f->dir, url);
	assert_int_equal(store_open(url, &f->st, msg, sizeof(msg)), ERR_OK);
	memset(&l, 0, sizeof(l));
	snprintf(l.name, sizeof(l.name), "Bibliotheek Twee");
	snprintf(l.slug, sizeof(l.slug), "twee");
	assert_int_equal(store_library_add(f->st, &l), ERR_OK);
	f->lib2 = l.id;
	f->school = add_school(f->st, 1, "regenboog");
	f->other = add_school(f->st, 1, "vuurtoren");
	f->foreign = add_school(f->st, f->lib2, "elders");
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	store_close(f->st);
	tu_rmdir(f->dir);
	free(f);
	return 0;
}

static struct student
mk(const char *number, const char *first, const char *group, int32_t birth)
{
	struct student s;

	memset(&s, 0, sizeof(s));
	snprintf(s.number, sizeof(s.number), "%s", number);
	snprintf(s.number_key, sizeof(s.number_key), "%s", number);
	snprintf(s.roepnaam, sizeof(s.roepnaam), "%s", first);
	snprintf(s.achternaam, sizeof(s.achternaam), "Jansen");
	snprintf(s.group, sizeof(s.group), "%s", group);
	snprintf(s.group_key, sizeof(s.group_key), "%s", group);
	s.birth = birth;
	s.jaargroep = JAARGROEP_UNKNOWN;
	s.active = true;
	return s;
}

/* Stage the file for school and return the import's id. */
static int64_t
stage(struct fx *f, int64_t school, const struct student *file, size_t n)
{
	static const struct diff_limits lim = DIFF_LIMITS_DEFAULT;
	struct student *roster, rows[8];
	size_t nroster;
	int64_t version;
	struct plan p;
	struct import_rec rec;

	assert_true(n <= 8);
	assert_int_equal(
	        store_roster_load(f->st, school, &roster, &nroster, &version),
	        ERR_OK);
	memcpy(rows, file, n * sizeof(*rows));
	diff_build(&p, rows, n, roster, nroster, version, &lim);
	memset(&rec, 0, sizeof(rec));
	rec.school_id = school;
	snprintf(rec.filename, sizeof(rec.filename), "leerlingen.csv");
	snprintf(rec.format, sizeof(rec.format), "csv");
	snprintf(rec.layout, sizeof(rec.layout), "generic");
	assert_int_equal(store_import_stage(f->st, &who, &rec, &p, NULL),
	                 ERR_OK);
	plan_release(&p);
	free(roster);
	return rec.id;
}

static int64_t
apply(struct fx *f, int64_t school, const struct student *file, size_t n)
{
	int64_t id = stage(f, school, file, n);
	enum import_state st;

	assert_int_equal(store_import_apply(f->st, &who, school, id, 100, &st),
	                 ERR_OK);
	return id;
}

/* A library system's copy of one school's roster, kept by the feed. */
#define CLIENT_MAX 32
struct client {
	struct fx *f;
	int64_t school;
	struct feed_pos pos;
	size_t n;
	struct student pupils[CLIENT_MAX];
	int page;    /* entries per page */
	int entries; /* seen in total */
};

static int
on_entry(const struct feed_entry *e, void *arg)
{
	struct client *c = arg;
	size_t i;

	assert_true(e->pos.event > c->pos.event ||
	            (e->pos.event == c->pos.event && e->pos.seq > c->pos.seq));
	c->pos = e->pos;
	c->entries++;
	assert_int_equal(e->school_id, c->school);
	if (e->pupil_id == 0)
		return 0; /* blanked since: nothing to apply */
	for (i = 0; i < c->n && c->pupils[i].id != e->pupil_id; i++)
		;
	/* an erasure may name a pupil whose entries were blanked (by the
	 * erasure itself) before this client read them */
	if (e->event != FEED_ERASE)
		assert_true(e->has_before == (i < c->n));
	if (e->has_after) {
		assert_true(i < CLIENT_MAX);
		if (i == c->n)
			c->n++;
		c->pupils[i] = e->after;
		c->pupils[i].id = e->pupil_id;
	} else if (i < c->n) {
		c->pupils[i] = c->pupils[--c->n];
	}
	return 0;
}

static void
client_start(struct client *c, struct fx *f, int64_t school, int page)
{
	struct student *s;
	size_t n;
	int64_t version;

	memset(c, 0, sizeof(*c));
	c->f = f;
	c->school = school;
	c->page = page;
	assert_int_equal(
	        store_roster_snapshot(f->st, school, &s, &n, &version, &c->pos),
	        ERR_OK);
	for (size_t i = 0; i < n; i++)
		if (s[i].active)
			c->pupils[c->n++] = s[i];
	free(s);
}

/* Follow the feed to its end, then compare with the store's roster. */
static void
client_sync(struct client *c)
{
	struct student *s;
	size_t n, active = 0;
	int64_t version;
	int before;

	do {
		before = c->entries;
		assert_int_equal(store_feed_list(c->f->st, 1, c->school, c->pos,
		                                 c->page, on_entry, c),
		                 ERR_OK);
	} while (c->entries - before == c->page);
	assert_int_equal(
	        store_roster_load(c->f->st, c->school, &s, &n, &version),
	        ERR_OK);
	for (size_t i = 0; i < n; i++) {
		size_t j;

		if (!s[i].active)
			continue;
		active++;
		for (j = 0; j < c->n && c->pupils[j].id != s[i].id; j++)
			;
		assert_true(j < c->n);
		assert_string_equal(c->pupils[j].number, s[i].number);
		assert_string_equal(c->pupils[j].roepnaam, s[i].roepnaam);
		assert_string_equal(c->pupils[j].group, s[i].group);
		assert_int_equal(c->pupils[j].birth, s[i].birth);
	}
	assert_int_equal(active, c->n);
	free(s);
}

static int
count_entry(const struct feed_entry *e, void *arg)
{
	(void)e;
	(*(int *)arg)++;
	return 0;
}

static int
feed_count(struct fx *f, int64_t library, int64_t school)
{
	int n = 0;

	assert_int_equal(store_feed_list(f->st, library, school,
	                                 (struct feed_pos){ 0, 0 }, 1000,
	                                 count_entry, &n),
	                 ERR_OK);
	return n;
}

static void
test_client_follows_every_change(void **state)
{
	struct fx *f = *state;
	struct client a, b, late;
	struct student y1[] = {
		mk("1", "Anna", "3a", 20160101),
		mk("2", "Bram", "3a", 20160202),
		mk("3", "Cas", "4b", 20150303),
		mk("4", "Dewi", "4b", 20150404),
	};
	struct student y2[] = {
		mk("1", "Anna", "4a", 20160101), /* moved */
		mk("2", "Bram", "4a", 20160203), /* corrected and moved */
		mk("30", "Cas", "5b", 20150303), /* renumbered... */
		mk("5", "Eva", "3a", 20170505),  /* new */
	};                                       /* 4 left */
	struct student y3[] = {
		mk("1", "Anna", "4a", 20160101),
		mk("30", "Cas", "5b", 20150303), mk("5", "Eva", "3a", 20170505),
		mk("4", "Dewi", "5b", 20150404), /* returns */
	};
	struct student *s;
	size_t n;
	int64_t version, id2, id3;
	struct pupil_erasure er;
	enum import_state st;

	client_start(&a, f, f->school, 1); /* before anything */
	apply(f, f->school, y1, 4);
	apply(f, f->other, y1, 2);   /* another school of the library */
	apply(f, f->foreign, y1, 3); /* another library's */
	client_sync(&a);
	assert_int_equal(a.entries, 4);
	client_start(&b, f, f->school, 2); /* from a snapshot */
	assert_int_equal(b.n, 4);

	id2 = apply(f, f->school, y2, 4);
	client_sync(&a);
	client_sync(&b);
	assert_int_equal(
	        store_import_undo(f->st, &who, f->school, id2, 200, &st),
	        ERR_OK);
	client_sync(&a);
	client_sync(&b);
	assert_int_equal(a.n, 4);
	apply(f, f->school, y2, 4);
	id3 = apply(f, f->school, y3, 4);
	client_sync(&a);
	client_start(&late, f, f->school, 3);
	/* an erasure: the pupil leaves the copy; a blanked entry is skipped */
	assert_int_equal(store_roster_load(f->st, f->school, &s, &n, &version),
	                 ERR_OK);
	for (size_t i = 0; i < n; i++)
		if (strcmp(s[i].number, "5") == 0)
			assert_int_equal(store_pupil_erase(f->st, &who,
			                                   f->school, s[i].id,
			                                   &er),
			                 ERR_OK);
	free(s);
	client_sync(&a);
	client_sync(&b);
	client_sync(&late);
	assert_int_equal(a.n, 3);
	/* undoing the last import after the erasure keeps them in step */
	assert_int_equal(
	        store_import_undo(f->st, &who, f->school, id3, 300, &st),
	        ERR_OK);
	client_sync(&a);
	client_sync(&b);
	client_sync(&late);

	/* scopes: a school's entries, the library's, never another's */
	assert_int_equal(feed_count(f, 1, f->other), 2);
	assert_int_equal(feed_count(f, 1, 0), a.entries + 2);
	assert_int_equal(feed_count(f, f->lib2, 0), 3);
	assert_int_equal(feed_count(f, f->lib2, f->school), 0);
}

static int
first_entry(const struct feed_entry *e, void *arg)
{
	*(struct feed_entry *)arg = *e;
	return 1;
}

static void
test_entries_say_what_changed(void **state)
{
	struct fx *f = *state;
	struct student y1[] = { mk("1", "Anna", "3a", 20160101) };
	struct student y2[] = { mk("1", "Anna", "4a", 20160101) };
	struct feed_entry e;
	struct feed_pos head, start;
	enum import_state st;
	int64_t id;

	assert_int_equal(store_feed_head(f->st, &head), ERR_OK);
	assert_int_equal(head.event, 0);
	apply(f, f->school, y1, 1);
	assert_int_equal(store_feed_head(f->st, &start), ERR_OK);
	assert_true(start.event > 0);
	id = apply(f, f->school, y2, 1);
	assert_int_equal(
	        store_feed_list(f->st, 1, 0, start, 10, first_entry, &e),
	        ERR_OK);
	assert_int_equal(e.event, FEED_APPLY);
	assert_int_equal(e.kind, CHANGE_MOVED);
	assert_int_equal(e.import_id, id);
	assert_int_equal(e.at, 100);
	assert_true(e.has_before && e.has_after);
	assert_string_equal(e.before.group, "3a");
	assert_string_equal(e.after.group, "4a");
	assert_int_equal(store_feed_head(f->st, &head), ERR_OK);
	assert_int_equal(
	        store_import_undo(f->st, &who, f->school, id, 200, &st),
	        ERR_OK);
	assert_int_equal(
	        store_feed_list(f->st, 1, 0, head, 10, first_entry, &e),
	        ERR_OK);
	assert_int_equal(e.event, FEED_UNDO);
	assert_int_equal(e.kind, CHANGE_MOVED);
	assert_string_equal(e.before.group, "4a");
	assert_string_equal(e.after.group, "3a");
	/* a cancelled preview is not in the feed */
	stage(f, f->school, y2, 1);
	assert_int_equal(store_feed_head(f->st, &start), ERR_OK);
	assert_true(start.event > head.event);
	assert_int_equal(feed_count(f, 1, f->school), 3);
}

static int
keep_token(const struct api_token *t, void *arg)
{
	struct api_token *v = arg;

	while (v->id != 0)
		v++;
	*v = *t;
	return 0;
}

static int
count_audit(const struct audit_entry *a, void *arg)
{
	(void)a;
	(*(int *)arg)++;
	return 0;
}

static void
test_tokens(void **state)
{
	struct fx *f = *state;
	struct api_token t, other, got, list[4];
	char secret[API_TOKEN_SIZE], hash[TOKEN_HASH_SIZE];
	struct audit_filter af = { .library_id = 1,
		                   .event = AUDIT_TOKEN_CREATED,
		                   .limit = 10 };
	int audits = 0;

	memset(&t, 0, sizeof(t));
	t.library_id = 1;
	snprintf(t.name, sizeof(t.name), "Wise");
	api_token_make(secret, &t);
	assert_int_equal(strlen(secret), API_TOKEN_LEN);
	assert_memory_equal(secret, "bbs_", 4);
	assert_int_equal(store_token_add(f->st, &who, &t), ERR_OK);
	assert_true(t.id > 0);
	/* the secret itself is nowhere in the row */
	assert_null(strstr(t.hash, secret + 4));
	assert_int_equal(strlen(t.prefix), API_TOKEN_SHOWN);
	assert_true(api_token_hash(secret, hash));
	assert_int_equal(store_token_by_hash(f->st, hash, &got), ERR_OK);
	assert_int_equal(got.id, t.id);
	assert_string_equal(got.created_by, "test");
	assert_false(api_token_hash("bbs_short", hash));
	assert_false(api_token_hash(secret + 4, hash));

	memset(&other, 0, sizeof(other));
	other.library_id = f->lib2;
	snprintf(other.name, sizeof(other.name), "Aura");
	api_token_make(secret, &other);
	assert_int_equal(store_token_add(f->st, &who, &other), ERR_OK);
	/* same hash twice, no name, no such library */
	assert_int_equal(store_token_add(f->st, &who, &other), ERR_EXISTS);
	other.name[0] = '\0';
	assert_int_equal(store_token_add(f->st, &who, &other), ERR_INVALID);
	snprintf(other.name, sizeof(other.name), "x");
	other.library_id = 99;
	api_token_make(secret, &other);
	assert_int_equal(store_token_add(f->st, &who, &other), ERR_NOTFOUND);

	memset(list, 0, sizeof(list));
	assert_int_equal(store_token_list(f->st, 1, keep_token, list), ERR_OK);
	assert_int_equal(list[0].id, t.id);
	assert_int_equal(list[1].id, 0);
	assert_int_equal(store_token_used(f->st, t.id, 555), ERR_OK);
	/* another library cannot revoke it; its own can, once */
	assert_int_equal(store_token_revoke(f->st, &who, f->lib2, t.id, 600),
	                 ERR_NOTFOUND);
	assert_int_equal(store_token_revoke(f->st, &who, 1, t.id, 600), ERR_OK);
	assert_int_equal(store_token_revoke(f->st, &who, 1, t.id, 600),
	                 ERR_STATE);
	assert_int_equal(store_token_revoke(f->st, &who, 1, t.id, 700),
	                 ERR_STATE);
	assert_int_equal(store_token_by_hash(f->st, t.hash, &got), ERR_OK);
	assert_int_equal(got.revoked, 600);
	assert_int_equal(got.last_used, 555);
	assert_int_equal(store_audit_list(f->st, &af, count_audit, &audits),
	                 ERR_OK);
	assert_int_equal(audits, 1);
	af.event = AUDIT_TOKEN_REVOKED;
	audits = 0;
	assert_int_equal(store_audit_list(f->st, &af, count_audit, &audits),
	                 ERR_OK);
	assert_int_equal(audits, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		        test_client_follows_every_change, setup, teardown),
		cmocka_unit_test_setup_teardown(test_entries_say_what_changed,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(test_tokens, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
