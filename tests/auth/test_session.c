/*
 * Tests for src/auth/session.c: the exact Set-Cookie strings (with and
 * without TLS, deleting, browser-session cookies, a buffer too small), and
 * sessions in an in-memory SQLite store: start and resolve, idle and
 * absolute timeouts (made by adding sessions with old timestamps rather
 * than by sleeping), disabled accounts, ill-formed and unknown tokens, and
 * logout.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "../testutil.h"
#include "../../src/auth/session.h"
#include "../../src/base/strparse.h"
#include "../../src/base/text.h"

static const struct session_limits lim = { 30 * 60, 12 * 3600 };

struct fixture {
	struct store *st;
	struct account acct;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct school sc;

	if (sodium_init() < 0)
		return -1;
	memset(&sc, 0, sizeof(sc));
	sc.library_id = 1;
	f->st = tu_store_fresh();
	str_copy(sc.name, sizeof(sc.name), "OBS De Regenboog");
	str_copy(sc.brin, sizeof(sc.brin), "12AB");
	str_copy(sc.slug, sizeof(sc.slug), "obs-de-regenboog");
	if (store_school_add(f->st, &sc) != ERR_OK)
		return -1;
	str_copy(f->acct.username, sizeof(f->acct.username), "jansen");
	str_copy(f->acct.pwhash, sizeof(f->acct.pwhash), "not-a-real-hash");
	f->acct.role = ROLE_DOCENT;
	f->acct.school_id = sc.id;
	if (store_account_add(f->st, &f->acct) != ERR_OK)
		return -1;
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

/* Put a session with the given times in the store; its token to token. */
static void
add_session(struct fixture *f, int64_t created, int64_t last_seen,
            char token[TOKEN_SIZE])
{
	struct session se;

	memset(&se, 0, sizeof(se));
	token_new(token);
	token_hash(token, se.id_hash);
	se.account_id = f->acct.id;
	se.created = created;
	se.last_seen = last_seen;
	assert_int_equal(store_session_add(f->st, &se), ERR_OK);
}

static bool
stored(struct fixture *f, const char *token)
{
	struct session se;
	char hash[TOKEN_HASH_SIZE];

	token_hash(token, hash);
	return store_session_get(f->st, hash, &se) == ERR_OK;
}

static void
cookie_format_without_tls(void **state)
{
	char out[256];

	(void)state;
	assert_int_equal(
	        cookie_format(out, sizeof(out), "sid", "abc", false, 3600),
	        ERR_OK);
	assert_string_equal(
	        out,
	        "sid=abc; Path=/; Max-Age=3600; HttpOnly; SameSite=Strict");
}

static void
cookie_format_with_tls_gets_host_prefix_and_secure(void **state)
{
	char out[256];

	(void)state;
	assert_int_equal(
	        cookie_format(out, sizeof(out), "sid", "abc", true, 3600),
	        ERR_OK);
	assert_string_equal(
	        out,
	        "__Host-sid=abc; Path=/; Max-Age=3600; HttpOnly; SameSite=Strict; Secure");
}

static void
cookie_format_delete_has_max_age_zero(void **state)
{
	char out[256];

	(void)state;
	assert_int_equal(cookie_format(out, sizeof(out), "sid", "", false, 0),
	                 ERR_OK);
	assert_string_equal(
	        out, "sid=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
	assert_int_equal(cookie_format(out, sizeof(out), "sid", "", true, 0),
	                 ERR_OK);
	assert_string_equal(
	        out,
	        "__Host-sid=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict; Secure");
}

static void
cookie_format_negative_max_age_is_a_browser_session_cookie(void **state)
{
	char out[256];

	(void)state;
	assert_int_equal(
	        cookie_format(out, sizeof(out), "lang", "en", false, -1),
	        ERR_OK);
	assert_string_equal(out, "lang=en; Path=/; HttpOnly; SameSite=Strict");
	assert_int_equal(
	        cookie_format(out, sizeof(out), "lang", "en", true, -1),
	        ERR_OK);
	assert_string_equal(
	        out,
	        "__Host-lang=en; Path=/; HttpOnly; SameSite=Strict; Secure");
}

static void
cookie_format_refuses_a_tiny_buffer(void **state)
{
	static const char want[] = "sid=abc; Path=/; HttpOnly; SameSite=Strict";
	char out[sizeof(want)];

	(void)state;
	assert_int_equal(cookie_format(out, 8, "sid", "abc", false, -1),
	                 ERR_LIMIT);
	assert_int_equal(
	        cookie_format(out, sizeof(want) - 1, "sid", "abc", false, -1),
	        ERR_LIMIT);
	assert_int_equal(
	        cookie_format(out, sizeof(want), "sid", "abc", false, -1),
	        ERR_OK);
	assert_string_equal(out, want);
}

static void
cookie_name_adds_the_prefix_only_with_tls(void **state)
{
	char out[64];

	(void)state;
	cookie_name(out, sizeof(out), "sid", false);
	assert_string_equal(out, "sid");
	cookie_name(out, sizeof(out), "sid", true);
	assert_string_equal(out, "__Host-sid");
}

static void
session_start_then_resolve_finds_the_account(void **state)
{
	struct fixture *f = *state;
	char token[TOKEN_SIZE];
	struct session se;
	struct account a;

	assert_int_equal(session_start(f->st, f->acct.id, token), ERR_OK);
	assert_true(token_wellformed(token));
	assert_int_equal(session_resolve(f->st, &lim, token, &se, &a), ERR_OK);
	assert_int_equal(se.account_id, f->acct.id);
	assert_int_equal(a.id, f->acct.id);
	assert_string_equal(a.username, "jansen");
	assert_true(se.created >= time_now() - 2);
}

static void
session_store_keeps_only_the_hash_of_the_token(void **state)
{
	struct fixture *f = *state;
	char token[TOKEN_SIZE], hash[TOKEN_HASH_SIZE];
	struct session se;

	assert_int_equal(session_start(f->st, f->acct.id, token), ERR_OK);
	assert_int_equal(store_session_get(f->st, token, &se), ERR_NOTFOUND);
	token_hash(token, hash);
	assert_int_equal(store_session_get(f->st, hash, &se), ERR_OK);
	assert_string_equal(se.id_hash, hash);
}

static void
session_start_gives_a_new_token_each_time(void **state)
{
	struct fixture *f = *state;
	char a[TOKEN_SIZE], b[TOKEN_SIZE];

	assert_int_equal(session_start(f->st, f->acct.id, a), ERR_OK);
	assert_int_equal(session_start(f->st, f->acct.id, b), ERR_OK);
	assert_string_not_equal(a, b);
}

static void
session_resolve_refreshes_last_seen(void **state)
{
	struct fixture *f = *state;
	int64_t now = time_now();
	char token[TOKEN_SIZE], hash[TOKEN_HASH_SIZE];
	struct session se;
	struct account a;

	add_session(f, now - 600, now - 600, token);
	assert_int_equal(session_resolve(f->st, &lim, token, &se, &a), ERR_OK);
	assert_true(se.last_seen >= now);
	token_hash(token, hash);
	assert_int_equal(store_session_get(f->st, hash, &se), ERR_OK);
	assert_true(se.last_seen >= now);
	assert_int_equal(se.created, now - 600);
}

static void
session_resolve_expires_after_idle_timeout(void **state)
{
	struct fixture *f = *state;
	int64_t now = time_now();
	char token[TOKEN_SIZE];
	struct session se;
	struct account a;

	add_session(f, now - 3600, now - lim.idle_timeout - 5, token);
	assert_int_equal(session_resolve(f->st, &lim, token, &se, &a),
	                 ERR_NOTFOUND);
	assert_false(stored(f, token)); /* an expired session is deleted */
}

static void
session_resolve_keeps_a_session_just_inside_idle_timeout(void **state)
{
	struct fixture *f = *state;
	int64_t now = time_now();
	char token[TOKEN_SIZE];
	struct session se;
	struct account a;

	add_session(f, now - 3600, now - lim.idle_timeout + 5, token);
	assert_int_equal(session_resolve(f->st, &lim, token, &se, &a), ERR_OK);
}

static void
session_resolve_expires_after_absolute_timeout_despite_activity(void **state)
{
	struct fixture *f = *state;
	int64_t now = time_now();
	char token[TOKEN_SIZE];
	struct session se;
	struct account a;

	add_session(f, now - lim.absolute_timeout - 5, now, token);
	assert_int_equal(session_resolve(f->st, &lim, token, &se, &a),
	                 ERR_NOTFOUND);
	assert_false(stored(f, token));
	add_session(f, now - lim.absolute_timeout + 5, now, token);
	assert_int_equal(session_resolve(f->st, &lim, token, &se, &a), ERR_OK);
}

static void
session_resolve_refuses_a_disabled_account(void **state)
{
	struct fixture *f = *state;
	char token[TOKEN_SIZE];
	struct session se;
	struct account a;

	assert_int_equal(session_start(f->st, f->acct.id, token), ERR_OK);
	assert_int_equal(store_account_set_disabled(f->st, f->acct.id, true),
	                 ERR_OK);
	assert_int_equal(session_resolve(f->st, &lim, token, &se, &a),
	                 ERR_NOTFOUND);
	assert_false(stored(f, token));
}

static void
session_resolve_refuses_ill_formed_tokens(void **state)
{
	struct fixture *f = *state;
	char token[TOKEN_SIZE], longer[TOKEN_SIZE + 1];
	struct session se;
	struct account a;

	assert_int_equal(session_start(f->st, f->acct.id, token), ERR_OK);
	assert_int_equal(session_resolve(f->st, &lim, NULL, &se, &a),
	                 ERR_NOTFOUND);
	assert_int_equal(session_resolve(f->st, &lim, "", &se, &a),
	                 ERR_NOTFOUND);
	assert_int_equal(session_resolve(f->st, &lim, "abc", &se, &a),
	                 ERR_NOTFOUND);
	memcpy(longer, token, TOKEN_LEN);
	longer[TOKEN_LEN] = 'x';
	longer[TOKEN_LEN + 1] = '\0';
	assert_int_equal(session_resolve(f->st, &lim, longer, &se, &a),
	                 ERR_NOTFOUND);
	token[5] = '/';
	assert_int_equal(session_resolve(f->st, &lim, token, &se, &a),
	                 ERR_NOTFOUND);
}

static void
session_resolve_refuses_an_unknown_token(void **state)
{
	struct fixture *f = *state;
	char token[TOKEN_SIZE];
	struct session se;
	struct account a;

	token_new(token);
	assert_int_equal(session_resolve(f->st, &lim, token, &se, &a),
	                 ERR_NOTFOUND);
}

static void
session_end_logs_out(void **state)
{
	struct fixture *f = *state;
	char token[TOKEN_SIZE], other[TOKEN_SIZE];
	struct session se;
	struct account a;

	assert_int_equal(session_start(f->st, f->acct.id, token), ERR_OK);
	assert_int_equal(session_start(f->st, f->acct.id, other), ERR_OK);
	session_end(f->st, token);
	assert_int_equal(session_resolve(f->st, &lim, token, &se, &a),
	                 ERR_NOTFOUND);
	assert_int_equal(session_resolve(f->st, &lim, other, &se, &a), ERR_OK);
}

static void
session_end_ignores_unknown_and_ill_formed_tokens(void **state)
{
	struct fixture *f = *state;
	char token[TOKEN_SIZE];

	session_end(f->st, NULL);
	session_end(f->st, "");
	session_end(f->st, "not a token");
	token_new(token);
	session_end(f->st, token);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cookie_format_without_tls),
		cmocka_unit_test(
		        cookie_format_with_tls_gets_host_prefix_and_secure),
		cmocka_unit_test(cookie_format_delete_has_max_age_zero),
		cmocka_unit_test(
		        cookie_format_negative_max_age_is_a_browser_session_cookie),
		cmocka_unit_test(cookie_format_refuses_a_tiny_buffer),
		cmocka_unit_test(cookie_name_adds_the_prefix_only_with_tls),
		cmocka_unit_test_setup_teardown(
		        session_start_then_resolve_finds_the_account, setup,
		        teardown),
		cmocka_unit_test_setup_teardown(
		        session_store_keeps_only_the_hash_of_the_token, setup,
		        teardown),
		cmocka_unit_test_setup_teardown(
		        session_start_gives_a_new_token_each_time, setup,
		        teardown),
		cmocka_unit_test_setup_teardown(
		        session_resolve_refreshes_last_seen, setup, teardown),
		cmocka_unit_test_setup_teardown(
		        session_resolve_expires_after_idle_timeout, setup,
		        teardown),
		cmocka_unit_test_setup_teardown(
		        session_resolve_keeps_a_session_just_inside_idle_timeout,
		        setup, teardown),
		cmocka_unit_test_setup_teardown(
		        session_resolve_expires_after_absolute_timeout_despite_activity,
		        setup, teardown),
		cmocka_unit_test_setup_teardown(
		        session_resolve_refuses_a_disabled_account, setup,
		        teardown),
		cmocka_unit_test_setup_teardown(
		        session_resolve_refuses_ill_formed_tokens, setup,
		        teardown),
		cmocka_unit_test_setup_teardown(
		        session_resolve_refuses_an_unknown_token, setup,
		        teardown),
		cmocka_unit_test_setup_teardown(session_end_logs_out, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(
		        session_end_ignores_unknown_and_ill_formed_tokens,
		        setup, teardown),
	};

	return cmocka_run_group_tests_name("auth/session", tests, NULL, NULL);
}
