/*
 * Tests for the second step of login (src/auth/login.c) and pending
 * sessions (src/auth/session.c) against an in-memory SQLite store: a right
 * password of an account with two-step login records no login yet; a code
 * of the current step logs in once and is a replay after that; wrong codes
 * count on the same throttle as wrong passwords and are audited; a
 * recovery code works once; a pending session lives five minutes; a reset
 * clears the secret, the recovery codes and the sessions.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "../testutil.h"
#include "../../src/auth/account.h"
#include "../../src/auth/login.h"
#include "../../src/auth/password.h"
#include "../../src/auth/session.h"
#include "../../src/auth/totp.h"
#include "../../src/base/strparse.h"
#include "../../src/base/text.h"

#define PASSWORD "paarse giraf eet soep"
#define SECRET   "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"

static const struct login_limits lim = {
	.max_account = 3,
	.max_address = 10,
	.window = 900,
	.lockout = 60,
	.lockout_max = 900,
};

static const struct session_limits slim = { 30 * 60, 12 * 3600 };

struct fixture {
	struct store *st;
	struct account acct; /* "jansen", two-step on with SECRET */
	char recovery[RECOVERY_COUNT][RECOVERY_SIZE];
};

static int
group_setup(void **state)
{
	(void)state;
	return password_init(2) == ERR_OK ? 0 : -1;
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char hashes[RECOVERY_COUNT][65];

	f->st = tu_store_fresh();
	str_copy(f->acct.username, sizeof(f->acct.username), "jansen");
	f->acct.role = ROLE_BIBLIOTHEEK;
	f->acct.library_id = 1;
	if (password_hash(PASSWORD, f->acct.pwhash) != ERR_OK ||
	    store_account_add(f->st, &f->acct) != ERR_OK ||
	    store_account_set_totp(f->st, f->acct.id, SECRET, "", 0) != ERR_OK)
		return -1;
	for (int i = 0; i < RECOVERY_COUNT; i++) {
		recovery_code_new(f->recovery[i]);
		recovery_hash(f->recovery[i], hashes[i]);
	}
	if (store_recovery_set(f->st, f->acct.id, (const char(*)[65])hashes,
	                       RECOVERY_COUNT) != ERR_OK ||
	    store_account_get(f->st, f->acct.id, &f->acct) != ERR_OK)
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

static int
count_row(const struct audit_entry *e, void *arg)
{
	(void)e;
	(*(int64_t *)arg)++;
	return 0;
}

/* The number of audit rows of event ev. */
static int64_t
count_event(struct store *st, enum audit_event ev)
{
	struct audit_filter flt = { .event = (int)ev, .limit = 1000 };
	int64_t n = 0;

	assert_int_equal(store_audit_list(st, &flt, count_row, &n), ERR_OK);
	return n;
}

static void
code_now(char out[9])
{
	totp_code(SECRET, totp_step_of(time_now()), out);
}

static void
right_password_of_a_two_step_account_records_no_login_yet(void **state)
{
	struct fixture *f = *state;
	struct account a;

	assert_int_equal(
	        login_attempt(f->st, &lim, "jansen", PASSWORD, "10.0.0.1", &a),
	        LOGIN_OK);
	assert_string_equal(a.totp_secret, SECRET);
	assert_int_equal(count_event(f->st, AUDIT_LOGIN_OK), 0);
	store_account_get(f->st, f->acct.id, &a);
	assert_int_equal(a.last_login, 0);
}

static void
a_code_logs_in_once_then_it_is_a_replay(void **state)
{
	struct fixture *f = *state;
	char code[9];
	bool recovery;

	code_now(code);
	assert_int_equal(login_second_step(f->st, &lim, &f->acct, code,
	                                   "10.0.0.1", &recovery),
	                 LOGIN_OK);
	assert_false(recovery);
	assert_int_equal(count_event(f->st, AUDIT_LOGIN_OK), 1);
	assert_int_equal(login_second_step(f->st, &lim, &f->acct, code,
	                                   "10.0.0.2", &recovery),
	                 LOGIN_REPLAY);
	/* and an older step's code too */
	totp_code(SECRET, totp_step_of(time_now()) - 1, code);
	assert_int_equal(login_second_step(f->st, &lim, &f->acct, code,
	                                   "10.0.0.2", &recovery),
	                 LOGIN_REPLAY);
	assert_int_equal(count_event(f->st, AUDIT_TOTP_FAILED), 2);
}

static void
wrong_codes_share_the_password_throttle_and_are_audited(void **state)
{
	struct fixture *f = *state;
	struct account a;
	char code[9];
	bool recovery;

	/* one wrong password, two wrong codes: 3 = max_account */
	assert_int_equal(
	        login_attempt(f->st, &lim, "jansen", "fout", "10.0.0.1", &a),
	        LOGIN_FAILED);
	for (int i = 0; i < 2; i++)
		assert_int_equal(login_second_step(f->st, &lim, &f->acct,
		                                   "abcde-fghjk", "10.0.0.1",
		                                   &recovery),
		                 LOGIN_FAILED);
	assert_int_equal(count_event(f->st, AUDIT_TOTP_FAILED), 2);
	code_now(code);
	assert_int_equal(login_second_step(f->st, &lim, &f->acct, code,
	                                   "10.0.0.9", &recovery),
	                 LOGIN_THROTTLED);
	assert_int_equal(
	        login_attempt(f->st, &lim, "jansen", PASSWORD, "10.0.0.9", &a),
	        LOGIN_THROTTLED);
	assert_int_equal(count_event(f->st, AUDIT_LOGIN_OK), 0);
}

static void
a_right_password_does_not_clear_the_code_failures(void **state)
{
	struct fixture *f = *state;
	struct account a;
	bool recovery;

	for (int i = 0; i < 2; i++) {
		assert_int_equal(login_second_step(f->st, &lim, &f->acct,
		                                   "000000x", "10.0.0.1",
		                                   &recovery),
		                 LOGIN_FAILED);
		assert_int_equal(login_attempt(f->st, &lim, "jansen", PASSWORD,
		                               "10.0.0.1", &a),
		                 LOGIN_OK);
	}
	assert_int_equal(login_second_step(f->st, &lim, &f->acct, "000000x",
	                                   "10.0.0.1", &recovery),
	                 LOGIN_FAILED);
	assert_int_equal(
	        login_attempt(f->st, &lim, "jansen", PASSWORD, "10.0.0.1", &a),
	        LOGIN_THROTTLED);
}

static void
a_recovery_code_works_once(void **state)
{
	struct fixture *f = *state;
	int64_t left = 0;
	bool recovery = false;

	assert_int_equal(login_second_step(f->st, &lim, &f->acct,
	                                   f->recovery[3], "10.0.0.1",
	                                   &recovery),
	                 LOGIN_OK);
	assert_true(recovery);
	assert_int_equal(count_event(f->st, AUDIT_RECOVERY_USED), 1);
	store_recovery_count(f->st, f->acct.id, &left);
	assert_int_equal(left, RECOVERY_COUNT - 1);
	assert_int_equal(login_second_step(f->st, &lim, &f->acct,
	                                   f->recovery[3], "10.0.0.1",
	                                   &recovery),
	                 LOGIN_FAILED);
	assert_false(recovery);
}

static void
a_pending_session_lives_five_minutes(void **state)
{
	struct fixture *f = *state;
	struct session se;
	struct account a;
	char token[TOKEN_SIZE];

	assert_int_equal(session_start_pending(f->st, f->acct.id, token),
	                 ERR_OK);
	assert_int_equal(session_resolve(f->st, &slim, token, &se, &a), ERR_OK);
	assert_true(se.pending);
	/* the same session, made six minutes ago and used a minute ago */
	memset(&se, 0, sizeof(se));
	token_new(token);
	token_hash(token, se.id_hash);
	se.account_id = f->acct.id;
	se.created = time_now() - SESSION_PENDING_TTL - 60;
	se.last_seen = time_now() - 60;
	se.pending = true;
	assert_int_equal(store_session_add(f->st, &se), ERR_OK);
	assert_int_equal(session_resolve(f->st, &slim, token, &se, &a),
	                 ERR_NOTFOUND);
	/* a full session of that age is fine */
	se.pending = false;
	token_new(token);
	token_hash(token, se.id_hash);
	assert_int_equal(store_session_add(f->st, &se), ERR_OK);
	assert_int_equal(session_resolve(f->st, &slim, token, &se, &a), ERR_OK);
	assert_false(se.pending);
}

static void
a_reset_clears_secret_codes_and_sessions(void **state)
{
	struct fixture *f = *state;
	struct store_actor cli = { 0, "cli", "cli" };
	struct session se;
	struct account a;
	char token[TOKEN_SIZE];
	int64_t left = 1;

	assert_int_equal(session_start(f->st, f->acct.id, token), ERR_OK);
	assert_int_equal(account_reset_twostep(f->st, &cli, &f->acct), ERR_OK);
	store_account_get(f->st, f->acct.id, &a);
	assert_string_equal(a.totp_secret, "");
	store_recovery_count(f->st, f->acct.id, &left);
	assert_int_equal(left, 0);
	assert_int_equal(session_resolve(f->st, &slim, token, &se, &a),
	                 ERR_NOTFOUND);
	assert_int_equal(count_event(f->st, AUDIT_TOTP_RESET), 1);
	/* the password alone logs in now, and is recorded as a login */
	assert_int_equal(
	        login_attempt(f->st, &lim, "jansen", PASSWORD, "10.0.0.1", &a),
	        LOGIN_OK);
	assert_int_equal(count_event(f->st, AUDIT_LOGIN_OK), 1);
}

int
main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(right_password_of_a_two_step_account_records_no_login_yet),
		T(a_code_logs_in_once_then_it_is_a_replay),
		T(wrong_codes_share_the_password_throttle_and_are_audited),
		T(a_right_password_does_not_clear_the_code_failures),
		T(a_recovery_code_works_once),
		T(a_pending_session_lives_five_minutes),
		T(a_reset_clears_secret_codes_and_sessions),
	};
#undef T

	return cmocka_run_group_tests_name("auth/twostep", tests, group_setup,
	                                   NULL);
}
