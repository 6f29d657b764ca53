/*
 * Two stores on one database at once, as two biebsync servers share one
 * PostgreSQL (or, with less to prove, two processes one SQLite file): the
 * same preview confirmed through both at the same moment is applied once,
 * the other answered ERR_STATE; and a library system following the change
 * feed while both stores apply and undo imports of two schools at once
 * ends up holding exactly both rosters, having seen every position once
 * and in order.  Threads only call the store and note what it answered;
 * the checks run on the test's own thread.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pthread.h>

#include <cmocka.h>

#include "../testutil.h"
#include "../../src/roster/diff.h"

static const struct store_actor who = { 0, "test", "cli" };

#define PUPILS 300 /* per file */

struct fx {
	char dir[64];
	struct store *a, *b; /* two "servers" */
	int64_t school[2];
};

static struct store *
open_url(const char *url)
{
	struct store *st = NULL;
	char msg[256];

	if (store_open(url, &st, msg, sizeof(msg)) != ERR_OK)
		fail_msg("store_open: %s", msg);
	return st;
}

static int64_t
add_school(struct store *st, const char *slug)
{
	struct school s;

	memset(&s, 0, sizeof(s));
	s.library_id = 1;
	snprintf(s.name, sizeof(s.name), "School %s", slug);
	snprintf(s.slug, sizeof(s.slug), "%s", slug);
	assert_int_equal(store_school_add(st, &s), ERR_OK);
	return s.id;
}

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	char url[256];

	tu_tmpdir(f->dir);
	tu_store_url(f->dir, url);
	/* slow applies (per replayed row), so that they overlap */
	setenv("BIEBSYNC_TEST_APPLY_DELAY_US", "100", 1);
	f->a = open_url(url);
	f->b = open_url(url);
	f->school[0] = add_school(f->a, "regenboog");
	f->school[1] = add_school(f->b, "vuurtoren");
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	store_close(f->a);
	store_close(f->b);
	tu_rmdir(f->dir);
	free(f);
	return 0;
}

/* File `round` of a school: numbers round*10 .. round*10+PUPILS-1 (ten
 * leave and ten arrive each round), everyone in another group than the
 * round before, unless round is negative: then -round, everyone staying
 * in their group (a small change, a short apply). */
static void
year_file(struct student *out, int round)
{
	int shift = round;

	if (round < 0)
		round = -round, shift = 0;
	for (int i = 0; i < PUPILS; i++) {
		struct student *s = &out[i];
		int number = round * 10 + i;

		memset(s, 0, sizeof(*s));
		snprintf(s->number, sizeof(s->number), "%d", number);
		snprintf(s->number_key, sizeof(s->number_key), "%d", number);
		snprintf(s->roepnaam, sizeof(s->roepnaam), "Kind%d", number);
		snprintf(s->achternaam, sizeof(s->achternaam), "Jansen");
		snprintf(s->group, sizeof(s->group), "groep %d",
		         (number + shift) % 8 + 1);
		snprintf(s->group_key, sizeof(s->group_key), "%d",
		         (number + shift) % 8 + 1);
		s->birth = 20150101;
		s->jaargroep = JAARGROEP_UNKNOWN;
		s->active = true;
		s->row = i + 2;
	}
}

/* The open preview that the last stage() replaced (0: none). */
static int64_t last_replaced;

/* Stage file `round` for school through st; the import's id, or 0. */
static int64_t
stage(struct store *st, int64_t school, int round)
{
	static const struct diff_limits lim = DIFF_LIMITS_DEFAULT;
	struct student *roster, *rows = calloc(PUPILS, sizeof(*rows));
	size_t nroster;
	int64_t version;
	struct plan p;
	struct import_rec rec;

	if (store_roster_load(st, school, &roster, &nroster, &version) !=
	    ERR_OK) {
		free(rows);
		return 0;
	}
	year_file(rows, round);
	diff_build(&p, rows, PUPILS, roster, nroster, version, &lim);
	memset(&rec, 0, sizeof(rec));
	rec.school_id = school;
	snprintf(rec.filename, sizeof(rec.filename), "leerlingen.csv");
	snprintf(rec.format, sizeof(rec.format), "csv");
	snprintf(rec.layout, sizeof(rec.layout), "generic");
	if (store_import_stage(st, &who, &rec, &p, NULL) != ERR_OK)
		rec.id = 0;
	last_replaced = rec.replaced;
	plan_release(&p);
	free(roster);
	free(rows);
	return rec.id;
}

/* One confirmation on its own thread, started with the others. */
struct confirm {
	struct store *st;
	int64_t school, id;
	pthread_barrier_t *go;
	enum err e;
	enum import_state state;
};

static void *
confirm_run(void *arg)
{
	struct confirm *c = arg;

	pthread_barrier_wait(c->go);
	c->e = store_import_apply(c->st, &who, c->school, c->id, 100,
	                          &c->state);
	return NULL;
}

static int64_t
active_count(struct store *st, int64_t school, int64_t *version)
{
	struct student *r;
	size_t n;
	int64_t active = 0;

	assert_int_equal(store_roster_load(st, school, &r, &n, version),
	                 ERR_OK);
	for (size_t i = 0; i < n; i++)
		active += r[i].active;
	free(r);
	return active;
}

/* Feed entries of a school counted by an import's id. */
struct step_count {
	int64_t import_id;
	int steps; /* distinct apply steps of that import */
	int64_t last_event;
};

static int
count_steps(const struct feed_entry *e, void *arg)
{
	struct step_count *c = arg;

	if (e->import_id == c->import_id && e->event == FEED_APPLY &&
	    e->pos.event != c->last_event) {
		c->steps++;
		c->last_event = e->pos.event;
	}
	return 0;
}

static void
the_same_preview_confirmed_on_two_servers_at_once_is_applied_once(void **state)
{
	struct fx *f = *state;
	int64_t school = f->school[0];

	for (int round = 0; round < 5; round++) {
		pthread_barrier_t go;
		struct confirm c[2];
		pthread_t t[2];
		int64_t id = stage(f->a, school, round), version = 0;
		struct step_count steps = { .import_id = id };
		int ok = 0;

		assert_true(id > 0);
		pthread_barrier_init(&go, NULL, 2);
		for (int i = 0; i < 2; i++) {
			c[i] = (struct confirm){
				i ? f->b : f->a, school,     id, &go,
				ERR_DB,          IMPORT__MAX
			};
			assert_int_equal(
			        pthread_create(&t[i], NULL, confirm_run, &c[i]),
			        0);
		}
		for (int i = 0; i < 2; i++)
			pthread_join(t[i], NULL);
		pthread_barrier_destroy(&go);
		/* one applied it, the other found it applied */
		for (int i = 0; i < 2; i++) {
			if (c[i].e == ERR_OK) {
				ok++;
				assert_int_equal(c[i].state, IMPORT_APPLIED);
			} else {
				assert_int_equal(c[i].e, ERR_STATE);
				assert_int_equal(c[i].state, IMPORT_APPLIED);
			}
		}
		assert_int_equal(ok, 1);
		/* applied once: the roster, its version, one feed step */
		assert_int_equal(active_count(f->b, school, &version), PUPILS);
		assert_int_equal(version, round + 1);
		assert_int_equal(store_feed_list(f->a, 1, school,
		                                 (struct feed_pos){ 0, 0 },
		                                 100000, count_steps, &steps),
		                 ERR_OK);
		assert_int_equal(steps.steps, 1);
	}
}

/* What one server does, the other sees: a preview staged on b replaces
 * the one staged on a, which a then cannot apply; a preview staged on a
 * before b undid an import is refused on a (ERR_CONFLICT), changing
 * nothing. */
static void
the_other_servers_preview_and_roster_count(void **state)
{
	struct fx *f = *state;
	int64_t school = f->school[0], first, older, replacing, version;
	enum import_state st;

	first = stage(f->a, school, 0);
	assert_int_equal(
	        store_import_apply(f->a, &who, school, first, 100, &st),
	        ERR_OK);
	older = stage(f->a, school, 1);
	assert_true(older > 0);
	replacing = stage(f->b, school, 1);
	assert_int_equal(last_replaced, older);
	assert_int_equal(
	        store_import_apply(f->a, &who, school, older, 100, &st),
	        ERR_STATE);
	assert_int_equal(st, IMPORT_CANCELLED);
	/* b undoes the first import under a's preview */
	assert_int_equal(store_import_undo(f->b, &who, school, first, 100, &st),
	                 ERR_OK);
	assert_int_equal(
	        store_import_apply(f->a, &who, school, replacing, 100, &st),
	        ERR_CONFLICT);
	assert_int_equal(active_count(f->a, school, &version), 0);
	assert_int_equal(version, 2);
}

/* A library system's copy of every pupil of both schools, kept by the
 * feed alone. */
struct follower {
	struct store *st;
	struct feed_pos pos;
	struct student *pupils; /* by id; id 0: not on the roster */
	size_t cap;
	int64_t entries;
	bool bad_order;  /* a position that did not grow */
	bool bad_before; /* has_before disagreed with the copy */
	pthread_mutex_t *stop_lock;
	bool *stop;
};

static int
follow_entry(const struct feed_entry *e, void *arg)
{
	struct follower *c = arg;
	struct student *p;

	if (!(e->pos.event > c->pos.event ||
	      (e->pos.event == c->pos.event && e->pos.seq > c->pos.seq)))
		c->bad_order = true;
	c->pos = e->pos;
	c->entries++;
	if (e->pupil_id <= 0 || (size_t)e->pupil_id >= c->cap)
		return 0;
	p = &c->pupils[e->pupil_id];
	if (e->has_before != (p->id != 0))
		c->bad_before = true;
	if (e->has_after) {
		*p = e->after;
		p->id = e->pupil_id;
	} else {
		memset(p, 0, sizeof(*p));
	}
	return 0;
}

/* Read the feed after c->pos to its current end. */
static enum err
follow_to_end(struct follower *c)
{
	int64_t before;
	enum err e;

	do {
		before = c->entries;
		e = store_feed_list(c->st, 1, 0, c->pos, 97, follow_entry, c);
	} while (e == ERR_OK && c->entries > before);
	return e;
}

static void *
follow_run(void *arg)
{
	struct follower *c = arg;
	bool stop = false;

	while (!stop) {
		if (follow_to_end(c) != ERR_OK)
			c->bad_order = true;
		pthread_mutex_lock(c->stop_lock);
		stop = *c->stop;
		pthread_mutex_unlock(c->stop_lock);
	}
	return NULL;
}

/* Apply (and now and then undo) rounds of files to one school; small
 * ones (year_file) keep each apply short. */
struct writer {
	struct store *st;
	int64_t school;
	int rounds;
	bool small;
	int failures;
};

static void *
write_run(void *arg)
{
	struct writer *w = arg;
	enum import_state st;

	for (int round = 0; round < w->rounds; round++) {
		int64_t id = stage(w->st, w->school, w->small ? -round : round);

		if (id == 0 || store_import_apply(w->st, &who, w->school, id,
		                                  100 + round, &st) != ERR_OK) {
			w->failures++;
			continue;
		}
		if (round % 3 == 2 &&
		    store_import_undo(w->st, &who, w->school, id, 200 + round,
		                      &st) != ERR_OK)
			w->failures++;
	}
	return NULL;
}

static void
a_feed_follower_stays_exact_while_two_servers_apply(void **state)
{
	struct fx *f = *state;
	pthread_mutex_t stop_lock = PTHREAD_MUTEX_INITIALIZER;
	bool stop = false;
	struct follower c = { .st = f->a,
		              .stop_lock = &stop_lock,
		              .stop = &stop };
	/* a long apply on one server, short ones on the other: without
	 * steps numbered in commit order, a short one numbered after a
	 * long one commits before it, and a follower that reads it then
	 * never sees the long one */
	struct writer w[2] = { { f->a, f->school[0], 8, false, 0 },
		               { f->b, f->school[1], 24, true, 0 } };
	pthread_t tw[2], tf;
	int64_t active = 0;

	c.cap = 1 << 16;
	c.pupils = calloc(c.cap, sizeof(*c.pupils));
	assert_int_equal(pthread_create(&tf, NULL, follow_run, &c), 0);
	for (int i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&tw[i], NULL, write_run, &w[i]),
		                 0);
	for (int i = 0; i < 2; i++)
		pthread_join(tw[i], NULL);
	pthread_mutex_lock(&stop_lock);
	stop = true;
	pthread_mutex_unlock(&stop_lock);
	pthread_join(tf, NULL);
	assert_int_equal(w[0].failures, 0);
	assert_int_equal(w[1].failures, 0);
	assert_int_equal(follow_to_end(&c), ERR_OK);
	assert_false(c.bad_order);
	assert_false(c.bad_before);
	/* the copy is both rosters exactly */
	for (int k = 0; k < 2; k++) {
		struct student *r;
		size_t n;
		int64_t version;

		assert_int_equal(
		        store_roster_load(f->b, f->school[k], &r, &n, &version),
		        ERR_OK);
		for (size_t i = 0; i < n; i++) {
			const struct student *p;

			if (!r[i].active)
				continue;
			active++;
			assert_true((size_t)r[i].id < c.cap);
			p = &c.pupils[r[i].id];
			assert_int_equal(p->id, r[i].id);
			assert_string_equal(p->number, r[i].number);
			assert_string_equal(p->group_key, r[i].group_key);
			assert_string_equal(p->roepnaam, r[i].roepnaam);
		}
		free(r);
	}
	for (size_t i = 0; i < c.cap; i++)
		active -= c.pupils[i].id != 0;
	assert_int_equal(active, 0);
	free(c.pupils);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		        the_same_preview_confirmed_on_two_servers_at_once_is_applied_once,
		        setup, teardown),
		cmocka_unit_test_setup_teardown(
		        the_other_servers_preview_and_roster_count, setup,
		        teardown),
		cmocka_unit_test_setup_teardown(
		        a_feed_follower_stays_exact_while_two_servers_apply,
		        setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
