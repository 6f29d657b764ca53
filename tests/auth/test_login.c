/*
 * Tests for src/auth/login.c against an in-memory SQLite store: a right
 * password logs in, a wrong password, an unknown name and a disabled
 * account all give the same LOGIN_FAILED; throttling per account name and
 * per client address refuses even the right password; the lockout grows
 * and ends (set up with old failures in the store rather than by
 * sleeping); a hash made with old limits is replaced at login; every
 * attempt leaves an audit row without the password; thirty guesses at once
 * get only the limit checked, and a right password never locks its
 * address again.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "../testutil.h"
#include "../../src/auth/login.h"
#include "../../src/auth/password.h"
#include "../../src/base/strparse.h"
#include "../../src/base/text.h"

#define PASSWORD "paarse giraf eet soep"

static const struct login_limits lim = {
	.max_account = 3,
	.max_address = 10,
	.window = 900,
	.lockout = 60,
	.lockout_max = 900,
};

struct fixture {
	struct store *st;
	struct account acct; /* "jansen", bibliotheek, PASSWORD */
};

static int
group_setup(void **state)
{
	(void)state;
	return password_init(2) == ERR_OK ? 0 : -1;
}

static void
add_account(struct store *st, const char *name, const char *pw,
            struct account *a)
{
	memset(a, 0, sizeof(*a));
	str_copy(a->username, sizeof(a->username), name);
	a->role = ROLE_BIBLIOTHEEK;
	a->library_id = 1;
	assert_int_equal(password_hash(pw, a->pwhash), ERR_OK);
	assert_int_equal(store_account_add(st, a), ERR_OK);
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	f->st = tu_store_fresh();
	add_account(f->st, "jansen", PASSWORD, &f->acct);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	store_close(f->st);
	free(f);
	return 0;
}

static enum login_result
try(struct fixture *f, const char *user, const char *pw, const char *addr)
{
	struct account a;

	return login_attempt(f->st, &lim, user, pw, addr, &a);
}

/* Record failures failures for key, the last one at time last. */
static void
old_failures(struct fixture *f, const char *key, int failures, int64_t last)
{
	int64_t n;

	for (int i = 0; i < failures; i++)
		assert_int_equal(
		        store_throttle_fail(f->st, key, last, lim.window, &n),
		        ERR_OK);
	assert_int_equal(n, failures);
}

struct audit_rows {
	int n;
	struct audit_entry e[32];
};

static int
collect_audit(const struct audit_entry *e, void *arg)
{
	struct audit_rows *r = arg;

	if (r->n < 32)
		r->e[r->n++] = *e;
	return 0;
}

static void
login_with_the_right_password_succeeds(void **state)
{
	struct fixture *f = *state;
	struct account a;

	assert_int_equal(
	        login_attempt(f->st, &lim, "jansen", PASSWORD, "192.0.2.1", &a),
	        LOGIN_OK);
	assert_int_equal(a.id, f->acct.id);
	assert_string_equal(a.username, "jansen");
}

static void
login_records_the_login_time(void **state)
{
	struct fixture *f = *state;
	struct account a;

	assert_int_equal(try(f, "jansen", PASSWORD, "192.0.2.1"), LOGIN_OK);
	assert_int_equal(store_account_get(f->st, f->acct.id, &a), ERR_OK);
	assert_true(a.last_login >= time_now() - 2);
	assert_int_equal(a.previous_login, 0);
}

static void
login_accepts_the_username_in_another_case(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(try(f, "JANSEN", PASSWORD, "192.0.2.1"), LOGIN_OK);
}

static void
login_with_a_wrong_password_fails(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(try(f, "jansen", "paarse giraf eet soe", "192.0.2.1"),
	                 LOGIN_FAILED);
	assert_int_equal(try(f, "jansen", "", "192.0.2.1"), LOGIN_FAILED);
}

static void
login_of_an_unknown_user_fails_the_same_way(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(try(f, "pietersen", PASSWORD, "192.0.2.1"),
	                 LOGIN_FAILED);
	assert_int_equal(try(f, "", PASSWORD, "192.0.2.1"), LOGIN_FAILED);
}

static void
login_of_an_overlong_username_fails(void **state)
{
	struct fixture *f = *state;
	char name[300];

	memset(name, 'j', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	assert_int_equal(try(f, name, PASSWORD, "192.0.2.1"), LOGIN_FAILED);
}

static void
login_of_a_disabled_account_fails(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(store_account_set_disabled(f->st, f->acct.id, true),
	                 ERR_OK);
	assert_int_equal(try(f, "jansen", PASSWORD, "192.0.2.1"), LOGIN_FAILED);
}

static void
login_is_throttled_per_account_even_with_the_right_password(void **state)
{
	struct fixture *f = *state;

	for (int i = 0; i < lim.max_account; i++)
		assert_int_equal(try(f, "jansen", "wrong", "192.0.2.1"),
		                 LOGIN_FAILED);
	assert_int_equal(try(f, "jansen", PASSWORD, "192.0.2.1"),
	                 LOGIN_THROTTLED);
	/* The account is throttled from any address, in any case. */
	assert_int_equal(try(f, "JANSEN", PASSWORD, "198.51.100.7"),
	                 LOGIN_THROTTLED);
}

static void
login_below_the_account_limit_is_not_throttled(void **state)
{
	struct fixture *f = *state;

	for (int i = 0; i < lim.max_account - 1; i++)
		assert_int_equal(try(f, "jansen", "wrong", "192.0.2.1"),
		                 LOGIN_FAILED);
	assert_int_equal(try(f, "jansen", PASSWORD, "192.0.2.1"), LOGIN_OK);
}

static void
login_success_resets_the_account_count(void **state)
{
	struct fixture *f = *state;

	for (int round = 0; round < 3; round++) {
		for (int i = 0; i < lim.max_account - 1; i++)
			assert_int_equal(try(f, "jansen", "wrong", "192.0.2.1"),
			                 LOGIN_FAILED);
		assert_int_equal(try(f, "jansen", PASSWORD, "192.0.2.1"),
		                 LOGIN_OK);
	}
}

static void
login_throttles_unknown_names_like_real_ones(void **state)
{
	struct fixture *f = *state;

	for (int i = 0; i < lim.max_account; i++)
		assert_int_equal(try(f, "pietersen", "wrong", "192.0.2.1"),
		                 LOGIN_FAILED);
	assert_int_equal(try(f, "pietersen", "wrong", "192.0.2.1"),
	                 LOGIN_THROTTLED);
}

static void
login_is_throttled_per_address(void **state)
{
	struct fixture *f = *state;
	char name[32];

	/* Many names from one address, each below the account limit. */
	for (int i = 0; i < lim.max_address; i++) {
		snprintf(name, sizeof(name), "guess%d", i);
		assert_int_equal(try(f, name, "wrong", "203.0.113.9"),
		                 LOGIN_FAILED);
	}
	assert_int_equal(try(f, "jansen", PASSWORD, "203.0.113.9"),
	                 LOGIN_THROTTLED);
	/* Another address is not affected. */
	assert_int_equal(try(f, "jansen", PASSWORD, "192.0.2.1"), LOGIN_OK);
}

static void
login_lockout_ends_after_the_lockout_time(void **state)
{
	struct fixture *f = *state;
	int64_t now = time_now();

	old_failures(f, "u:jansen", 3, now - lim.lockout - 10);
	assert_int_equal(try(f, "jansen", PASSWORD, "192.0.2.1"), LOGIN_OK);
}

static void
login_lockout_holds_within_the_lockout_time(void **state)
{
	struct fixture *f = *state;
	int64_t now = time_now();

	old_failures(f, "u:jansen", 3, now - lim.lockout + 10);
	assert_int_equal(try(f, "jansen", PASSWORD, "192.0.2.1"),
	                 LOGIN_THROTTLED);
}

static void
login_lockout_doubles_with_each_further_failure(void **state)
{
	struct fixture *f = *state;
	int64_t now = time_now();

	/* One failure over the limit: 2 * 60 s. */
	old_failures(f, "u:jansen", 4, now - 90);
	assert_int_equal(try(f, "jansen", PASSWORD, "192.0.2.1"),
	                 LOGIN_THROTTLED);
	store_throttle_clear(f->st, "u:jansen");
	old_failures(f, "u:jansen", 4, now - 130);
	assert_int_equal(try(f, "jansen", PASSWORD, "192.0.2.1"), LOGIN_OK);
}

static void
login_lockout_is_capped_at_lockout_max(void **state)
{
	struct fixture *f = *state;
	struct login_limits l = lim;
	struct account a;
	int64_t now = time_now();

	l.window = 3600;
	l.lockout_max = 300;
	old_failures(f, "u:jansen", 20, now - 290);
	assert_int_equal(
	        login_attempt(f->st, &l, "jansen", PASSWORD, "192.0.2.1", &a),
	        LOGIN_THROTTLED);
	store_throttle_clear(f->st, "u:jansen");
	old_failures(f, "u:jansen", 20, now - 310);
	assert_int_equal(
	        login_attempt(f->st, &l, "jansen", PASSWORD, "192.0.2.1", &a),
	        LOGIN_OK);
}

static void
login_rehashes_a_hash_made_with_old_limits(void **state)
{
	struct fixture *f = *state;
	struct account a, old;

	password_set_limits(crypto_pwhash_OPSLIMIT_MIN,
	                    crypto_pwhash_MEMLIMIT_MIN);
	add_account(f->st, "devries", PASSWORD, &old);
	password_set_limits(crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                    crypto_pwhash_MEMLIMIT_INTERACTIVE);
	assert_true(password_needs_rehash(old.pwhash));

	assert_int_equal(try(f, "devries", PASSWORD, "192.0.2.1"), LOGIN_OK);
	assert_int_equal(store_account_get(f->st, old.id, &a), ERR_OK);
	assert_string_not_equal(a.pwhash, old.pwhash);
	assert_false(password_needs_rehash(a.pwhash));
	assert_true(password_verify(a.pwhash, PASSWORD));
	assert_int_equal(a.must_change, old.must_change);
	assert_int_equal(a.password_changed, old.password_changed);
}

static void
login_keeps_a_current_hash(void **state)
{
	struct fixture *f = *state;
	struct account a;

	assert_int_equal(try(f, "jansen", PASSWORD, "192.0.2.1"), LOGIN_OK);
	assert_int_equal(store_account_get(f->st, f->acct.id, &a), ERR_OK);
	assert_string_equal(a.pwhash, f->acct.pwhash);
}

static void
login_writes_audit_rows_without_the_password(void **state)
{
	struct fixture *f = *state;
	struct audit_rows r = { 0 };

	assert_int_equal(try(f, "jansen", PASSWORD, "192.0.2.1"), LOGIN_OK);
	assert_int_equal(try(f, "jansen", "wrong-secret-1", "192.0.2.1"),
	                 LOGIN_FAILED);
	assert_int_equal(try(f, "nobody", "wrong-secret-2", "192.0.2.2"),
	                 LOGIN_FAILED);
	assert_int_equal(store_audit_list(f->st,
	                                  &(struct audit_filter){ .event = -1,
	                                                          .limit = 32 },
	                                  collect_audit, &r),
	                 ERR_OK);
	assert_int_equal(r.n, 3);
	/* Newest first. */
	assert_int_equal(r.e[0].event, AUDIT_LOGIN_FAILED);
	assert_string_equal(r.e[0].actor, "(unknown)");
	assert_string_equal(r.e[0].addr, "192.0.2.2");
	assert_int_equal(r.e[0].account_id, 0);
	assert_int_equal(r.e[1].event, AUDIT_LOGIN_FAILED);
	assert_string_equal(r.e[1].actor, "jansen");
	assert_int_equal(r.e[1].account_id, f->acct.id);
	assert_int_equal(r.e[2].event, AUDIT_LOGIN_OK);
	assert_string_equal(r.e[2].actor, "jansen");
	for (int i = 0; i < r.n; i++) {
		assert_null(strstr(r.e[i].detail, "secret"));
		assert_null(strstr(r.e[i].detail, "giraf"));
		assert_null(strstr(r.e[i].actor, "secret"));
	}
}

static void
login_writes_an_audit_row_when_throttled(void **state)
{
	struct fixture *f = *state;
	struct audit_rows r = { 0 };

	old_failures(f, "u:jansen", 3, time_now());
	assert_int_equal(try(f, "jansen", PASSWORD, "192.0.2.1"),
	                 LOGIN_THROTTLED);
	assert_int_equal(store_audit_list(f->st,
	                                  &(struct audit_filter){ .event = -1,
	                                                          .limit = 1 },
	                                  collect_audit, &r),
	                 ERR_OK);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.e[0].event, AUDIT_LOGIN_THROTTLED);
	assert_int_equal(r.e[0].account_id, f->acct.id);
}

#define GUESSERS 30

struct guesser {
	struct store *st;
	pthread_barrier_t *go;
	enum login_result r;
};

static void *
guess(void *arg)
{
	struct guesser *g = arg;
	struct account a;

	pthread_barrier_wait(g->go);
	g->r = login_attempt(g->st, &lim, "jansen", "wrong guess", "192.0.2.1",
	                     &a);
	return NULL;
}

static void
login_parallel_guesses_get_at_most_the_limit_checked(void **state)
{
	struct fixture *f = *state;
	struct guesser g[GUESSERS];
	pthread_t t[GUESSERS];
	pthread_barrier_t go;
	int failed = 0, throttled = 0;

	assert_int_equal(pthread_barrier_init(&go, NULL, GUESSERS), 0);
	for (int i = 0; i < GUESSERS; i++) {
		g[i] = (struct guesser){ f->st, &go, LOGIN_ERROR };
		assert_int_equal(pthread_create(&t[i], NULL, guess, &g[i]), 0);
	}
	for (int i = 0; i < GUESSERS; i++) {
		assert_int_equal(pthread_join(t[i], NULL), 0);
		failed += g[i].r == LOGIN_FAILED;
		throttled += g[i].r == LOGIN_THROTTLED;
	}
	pthread_barrier_destroy(&go);
	/* each checked guess is one failure: exactly the limit of them */
	assert_int_equal(failed, lim.max_account);
	assert_int_equal(throttled, GUESSERS - lim.max_account);
	assert_int_equal(try(f, "jansen", PASSWORD, "198.51.100.7"),
	                 LOGIN_THROTTLED);
}

static void
login_right_password_does_not_lock_an_address_again(void **state)
{
	struct fixture *f = *state;

	/* the address had its limit of failures; its lockout is over */
	old_failures(f, "a:192.0.2.1", (int)lim.max_address,
	             time_now() - lim.lockout - 10);
	assert_int_equal(try(f, "jansen", PASSWORD, "192.0.2.1"), LOGIN_OK);
	assert_int_equal(try(f, "jansen", PASSWORD, "192.0.2.1"), LOGIN_OK);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(login_with_the_right_password_succeeds),
		T(login_records_the_login_time),
		T(login_accepts_the_username_in_another_case),
		T(login_with_a_wrong_password_fails),
		T(login_of_an_unknown_user_fails_the_same_way),
		T(login_of_an_overlong_username_fails),
		T(login_of_a_disabled_account_fails),
		T(login_is_throttled_per_account_even_with_the_right_password),
		T(login_below_the_account_limit_is_not_throttled),
		T(login_success_resets_the_account_count),
		T(login_throttles_unknown_names_like_real_ones),
		T(login_is_throttled_per_address),
		T(login_lockout_ends_after_the_lockout_time),
		T(login_lockout_holds_within_the_lockout_time),
		T(login_lockout_doubles_with_each_further_failure),
		T(login_lockout_is_capped_at_lockout_max),
		T(login_rehashes_a_hash_made_with_old_limits),
		T(login_keeps_a_current_hash),
		T(login_writes_audit_rows_without_the_password),
		T(login_writes_an_audit_row_when_throttled),
		T(login_parallel_guesses_get_at_most_the_limit_checked),
		T(login_right_password_does_not_lock_an_address_again),
	};

	return cmocka_run_group_tests_name("auth/login", tests, group_setup,
	                                   NULL);
}
