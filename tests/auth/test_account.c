/*
 * Tests for src/auth/account.c against an in-memory SQLite store: school
 * validation and slugs, account creation with a one-time password and
 * username rules (unique ignoring case), every outcome of changing a
 * password, resetting and disabling (which end sessions), and the audit
 * rows each action writes, none of which may hold a password.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../testutil.h"
#include "../../src/auth/account.h"
#include "../../src/auth/session.h"
#include "../../src/base/strparse.h"

#define N(a)     (sizeof(a) / sizeof((a)[0]))
#define PASSWORD "paarse giraf eet soep"
#define NEW_PW   "groene kikker zingt luid"

static const struct store_actor cli = { 0, "cli", "cli" };

/* the login throttle the current password is checked under */
static const struct login_limits lim = {
	.max_account = 3,
	.max_address = 10,
	.window = 900,
	.lockout = 60,
	.lockout_max = 900,
};

struct fixture {
	struct store *st;
	struct school school; /* "OBS De Regenboog" */
	struct account acct;  /* "jansen", docent, PASSWORD */
	char otps[8][OTP_SIZE];
	int notps;
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
	char hash[PASSWORD_HASH_SIZE];

	f->st = tu_store_fresh();
	if (account_school_add(f->st, &cli, 1, "OBS De Regenboog", "12ab", "",
	                       NULL, &f->school) != ERR_OK ||
	    account_add(f->st, &cli, "jansen", ROLE_DOCENT, 1, f->school.id,
	                f->otps[f->notps++], &f->acct) != ERR_OK ||
	    password_hash(PASSWORD, hash) != ERR_OK ||
	    store_account_set_password(f->st, f->acct.id, hash, false, 1) !=
	            ERR_OK ||
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

struct audit_rows {
	int n;
	struct audit_entry e[64];
};

static int
collect_audit(const struct audit_entry *e, void *arg)
{
	struct audit_rows *r = arg;

	if (r->n < 64)
		r->e[r->n++] = *e;
	return 0;
}

/* The newest audit row. */
static struct audit_entry
last_audit(struct fixture *f)
{
	struct audit_rows r = { 0 };

	assert_int_equal(store_audit_list(f->st,
	                                  &(struct audit_filter){ .event = -1,
	                                                          .limit = 1 },
	                                  collect_audit, &r),
	                 ERR_OK);
	assert_int_equal(r.n, 1);
	return r.e[0];
}

/* No audit row holds any of the passwords used, nor a one-time password. */
static void
assert_no_secret_in_audit(struct fixture *f)
{
	static const char *const secrets[] = { PASSWORD, NEW_PW, "giraf",
		                               "kikker" };
	struct audit_rows r = { 0 };

	assert_int_equal(store_audit_list(f->st,
	                                  &(struct audit_filter){ .event = -1,
	                                                          .limit = 64 },
	                                  collect_audit, &r),
	                 ERR_OK);
	assert_true(r.n > 0);
	for (int i = 0; i < r.n; i++) {
		for (size_t k = 0; k < N(secrets); k++)
			assert_null(strstr(r.e[i].detail, secrets[k]));
		for (int k = 0; k < f->notps; k++)
			assert_null(strstr(r.e[i].detail, f->otps[k]));
	}
}

/* A session for the fixture's account; its hash to hash. */
static void
start(struct fixture *f, char token[TOKEN_SIZE], char hash[TOKEN_HASH_SIZE])
{
	assert_int_equal(session_start(f->st, f->acct.id, token), ERR_OK);
	token_hash(token, hash);
}

static bool
alive(struct fixture *f, const char *hash)
{
	struct session se;

	return store_session_get(f->st, hash, &se) == ERR_OK;
}

/* --- slugs and schools --- */

static void
account_slugify_makes_lowercase_words_joined_by_dashes(void **state)
{
	static const struct {
		const char *name, *slug;
	} c[] = {
		{ "OBS De Regenboog", "obs-de-regenboog" },
		{ "Basisschool 't Vlot", "basisschool-t-vlot" },
		{ "CBS De Wegwijzer (Ede)", "cbs-de-wegwijzer-ede" },
		{ "  De   Fontein  ", "de-fontein" },
		{ "IKC Het Kompas 2", "ikc-het-kompas-2" },
		{ "St.-Jozefschool", "st-jozefschool" },
		{ "school_voor_iedereen", "school-voor-iedereen" },
		{ "!!!", "" },
		{ "", "" },
	};

	(void)state;
	for (size_t i = 0; i < N(c); i++) {
		char out[STORE_SLUG_MAX + 1];

		account_slugify(c[i].name, out, sizeof(out));
		assert_string_equal(out, c[i].slug);
	}
}

static void
account_slugify_stays_within_64_and_never_ends_in_a_dash(void **state)
{
	char name[200], out[STORE_SLUG_MAX + 1];

	(void)state;
	/* 63 letters, then a word: the dash would be the 64th byte. */
	memset(name, 'a', 63);
	memcpy(name + 63, " bcd", 5);
	account_slugify(name, out, sizeof(out));
	assert_true(strlen(out) <= STORE_SLUG_MAX);
	assert_true(out[strlen(out) - 1] != '-');

	memset(name, 'a', 150);
	name[150] = '\0';
	account_slugify(name, out, sizeof(out));
	assert_int_equal(strlen(out), STORE_SLUG_MAX);

	for (int i = 0; i < 66; i++) {
		memset(name, 'x', 199);
		name[i] = ' ';
		name[199] = '\0';
		account_slugify(name, out, sizeof(out));
		assert_true(strlen(out) <= STORE_SLUG_MAX);
		assert_true(out[0] != '-');
		assert_true(out[strlen(out) - 1] != '-');
	}
}

static void
account_slugify_respects_a_small_buffer(void **state)
{
	char out[6];

	(void)state;
	account_slugify("OBS De Regenboog", out, sizeof(out));
	assert_true(strlen(out) < sizeof(out));
	assert_true(out[strlen(out) - 1] != '-');
	assert_true(strncmp(out, "obs-de", strlen(out)) == 0);
}

static void
account_school_add_stores_the_school_and_derives_the_slug(void **state)
{
	struct fixture *f = *state;
	struct school sc, got;

	assert_int_equal(account_school_add(f->st, &cli, 1,
	                                    "Basisschool 't Vlot", "03xy", NULL,
	                                    NULL, &sc),
	                 ERR_OK);
	assert_true(sc.id > 0);
	assert_string_equal(sc.slug, "basisschool-t-vlot");
	assert_string_equal(sc.brin, "03XY"); /* stored upper-case */
	assert_int_equal(
	        store_school_by_slug(f->st, "basisschool-t-vlot", &got),
	        ERR_OK);
	assert_int_equal(got.id, sc.id);
	assert_string_equal(got.name, "Basisschool 't Vlot");
	assert_string_equal(got.brin, "03XY");
}

static void
account_school_add_accepts_a_given_slug(void **state)
{
	struct fixture *f = *state;
	struct school sc;

	assert_int_equal(account_school_add(f->st, &cli, 1, "De Fontein",
	                                    "04AB", "fontein-ede", NULL, &sc),
	                 ERR_OK);
	assert_string_equal(sc.slug, "fontein-ede");
}

static void
account_school_add_refuses_bad_names(void **state)
{
	struct fixture *f = *state;
	char long_name[STORE_NAME_MAX + 2];
	struct school sc;
	static const char *const bad[] = {
		"",         "De\nFontein", "De\tFontein", "De Fontein\x7f",
		"caf\xe9", /* latin-1, not UTF-8 */
		"\xc0\xaf",
	};

	for (size_t i = 0; i < N(bad); i++)
		if (account_school_add(f->st, &cli, 1, bad[i], "04AB", "x",
		                       NULL, &sc) != ERR_INVALID)
			fail_msg("name '%s' accepted", bad[i]);
	memset(long_name, 'n', sizeof(long_name) - 1);
	long_name[STORE_NAME_MAX + 1] = '\0';
	assert_int_equal(account_school_add(f->st, &cli, 1, long_name, "04AB",
	                                    "long", NULL, &sc),
	                 ERR_INVALID);
	long_name[STORE_NAME_MAX] = '\0';
	assert_int_equal(account_school_add(f->st, &cli, 1, long_name, "04AB",
	                                    "long", NULL, &sc),
	                 ERR_OK);
}

static void
account_school_add_refuses_bad_brin(void **state)
{
	struct fixture *f = *state;
	struct school sc;
	static const char *const bad[] = {
		"", "1", "123456789", "12 AB", "12-AB", "12AB!", "12\xc3\xa9",
	};

	for (size_t i = 0; i < N(bad); i++)
		if (account_school_add(f->st, &cli, 1, "De Fontein", bad[i],
		                       "fontein", NULL, &sc) != ERR_INVALID)
			fail_msg("brin '%s' accepted", bad[i]);
	assert_int_equal(account_school_add(f->st, &cli, 1, "De Fontein", "12",
	                                    "fontein", NULL, &sc),
	                 ERR_OK);
	assert_int_equal(account_school_add(f->st, &cli, 1, "De Fontein 2",
	                                    "12345678", "fontein-2", NULL, &sc),
	                 ERR_OK);
}

static void
account_school_add_refuses_bad_slugs(void **state)
{
	struct fixture *f = *state;
	char long_slug[STORE_SLUG_MAX + 2];
	struct school sc;
	static const char *const bad[] = {
		"Fontein",    "de fontein",      "-fontein",   "de_fontein",
		"de/fontein", "fontein\xc3\xa9", "de.fontein",
	};

	for (size_t i = 0; i < N(bad); i++)
		if (account_school_add(f->st, &cli, 1, "De Fontein", "04AB",
		                       bad[i], NULL, &sc) != ERR_INVALID)
			fail_msg("slug '%s' accepted", bad[i]);
	memset(long_slug, 's', sizeof(long_slug) - 1);
	long_slug[STORE_SLUG_MAX + 1] = '\0';
	assert_int_equal(account_school_add(f->st, &cli, 1, "De Fontein",
	                                    "04AB", long_slug, NULL, &sc),
	                 ERR_INVALID);
	/* A name with nothing to make a slug from, and no slug given. */
	assert_int_equal(account_school_add(f->st, &cli, 1, "!!!", "04AB", "",
	                                    NULL, &sc),
	                 ERR_INVALID);
}

static void
account_school_add_refuses_a_taken_slug(void **state)
{
	struct fixture *f = *state;
	struct school sc;

	assert_int_equal(account_school_add(f->st, &cli, 1, "OBS De Regenboog",
	                                    "99ZZ", "", NULL, &sc),
	                 ERR_EXISTS);
	assert_int_equal(account_school_add(f->st, &cli, 1, "Andere school",
	                                    "99ZZ", "obs-de-regenboog", NULL,
	                                    &sc),
	                 ERR_EXISTS);
	/* Same name, other slug: fine. */
	assert_int_equal(account_school_add(f->st, &cli, 1, "OBS De Regenboog",
	                                    "99ZZ", "regenboog-2", NULL, &sc),
	                 ERR_OK);
}

static void
account_school_add_writes_an_audit_row(void **state)
{
	struct fixture *f = *state;
	struct store_actor who = { 0, "beheerder", "192.0.2.5" };
	struct audit_entry e;
	struct school sc;

	assert_int_equal(account_school_add(f->st, &who, 1, "De Fontein",
	                                    "04AB", "", NULL, &sc),
	                 ERR_OK);
	e = last_audit(f);
	assert_int_equal(e.event, AUDIT_SCHOOL_CREATED);
	assert_int_equal(e.school_id, sc.id);
	assert_string_equal(e.actor, "beheerder");
	assert_string_equal(e.addr, "192.0.2.5");
}

/* --- accounts --- */

static void
account_add_gives_a_one_time_password_that_must_be_changed(void **state)
{
	struct fixture *f = *state;
	struct account a, got;
	char *otp = f->otps[f->notps++];

	assert_int_equal(account_add(f->st, &cli, "m.devries@school.nl",
	                             ROLE_DOCENT, 1, f->school.id, otp, &a),
	                 ERR_OK);
	assert_true(a.id > 0);
	assert_int_equal(strlen(otp), 19);
	assert_int_equal(store_account_get(f->st, a.id, &got), ERR_OK);
	assert_true(got.must_change);
	assert_false(got.disabled);
	assert_int_equal(got.role, ROLE_DOCENT);
	assert_int_equal(got.school_id, f->school.id);
	assert_true(password_verify(got.pwhash, otp));
}

static void
account_add_accepts_a_library_account_without_school(void **state)
{
	struct fixture *f = *state;
	struct account a;

	assert_int_equal(account_add(f->st, &cli, "bieb_beheer-1",
	                             ROLE_BIBLIOTHEEK, 1, 0,
	                             f->otps[f->notps++], &a),
	                 ERR_OK);
	assert_int_equal(a.school_id, 0);
}

static void
account_add_refuses_bad_usernames(void **state)
{
	struct fixture *f = *state;
	char otp[OTP_SIZE], long_name[STORE_USERNAME_MAX + 2];
	struct account a;
	static const char *const bad[] = {
		"",     "met spatie", "de\xc3\xa9", "a/b",    "a;b", "a'b",
		"a\"b", "<script>",   "naam\n",     "naam\t", "a+b", "a:b",
	};

	for (size_t i = 0; i < N(bad); i++)
		if (account_add(f->st, &cli, bad[i], ROLE_DOCENT, 1,
		                f->school.id, otp, &a) != ERR_INVALID)
			fail_msg("username '%s' accepted", bad[i]);
	memset(long_name, 'u', sizeof(long_name) - 1);
	long_name[STORE_USERNAME_MAX + 1] = '\0';
	assert_int_equal(account_add(f->st, &cli, long_name, ROLE_DOCENT, 1,
	                             f->school.id, otp, &a),
	                 ERR_INVALID);
	long_name[STORE_USERNAME_MAX] = '\0';
	assert_int_equal(account_add(f->st, &cli, long_name, ROLE_DOCENT, 1,
	                             f->school.id, otp, &a),
	                 ERR_OK);
}

static void
account_add_refuses_a_role_and_school_that_do_not_match(void **state)
{
	struct fixture *f = *state;
	char otp[OTP_SIZE];
	struct account a;

	assert_int_equal(account_add(f->st, &cli, "zonderschool", ROLE_DOCENT,
	                             1, 0, otp, &a),
	                 ERR_INVALID);
	assert_int_equal(account_add(f->st, &cli, "metschool", ROLE_BIBLIOTHEEK,
	                             1, f->school.id, otp, &a),
	                 ERR_INVALID);
}

static void
account_add_refuses_a_school_that_does_not_exist(void **state)
{
	struct fixture *f = *state;
	char otp[OTP_SIZE];
	struct account a;

	assert_int_not_equal(account_add(f->st, &cli, "spook", ROLE_DOCENT, 1,
	                                 f->school.id + 100, otp, &a),
	                     ERR_OK);
	assert_int_equal(store_account_by_name(f->st, "spook", &a),
	                 ERR_NOTFOUND);
}

static void
account_add_refuses_a_taken_username_in_any_case(void **state)
{
	struct fixture *f = *state;
	char otp[OTP_SIZE];
	struct account a;

	assert_int_equal(account_add(f->st, &cli, "jansen", ROLE_DOCENT, 1,
	                             f->school.id, otp, &a),
	                 ERR_EXISTS);
	assert_int_equal(account_add(f->st, &cli, "JANSEN", ROLE_BIBLIOTHEEK, 1,
	                             0, otp, &a),
	                 ERR_EXISTS);
	assert_int_equal(account_add(f->st, &cli, "Jansen", ROLE_DOCENT, 1,
	                             f->school.id, otp, &a),
	                 ERR_EXISTS);
}

static void
account_add_writes_an_audit_row_without_the_password(void **state)
{
	struct fixture *f = *state;
	struct account a;
	struct audit_entry e;
	char *otp = f->otps[f->notps++];

	assert_int_equal(account_add(f->st, &cli, "pietersen", ROLE_DOCENT, 1,
	                             f->school.id, otp, &a),
	                 ERR_OK);
	e = last_audit(f);
	assert_int_equal(e.event, AUDIT_ACCOUNT_CREATED);
	assert_int_equal(e.school_id, f->school.id);
	assert_string_equal(e.actor, "cli");
	assert_no_secret_in_audit(f);
}

/* --- changing passwords --- */

static enum pwchange
change(struct fixture *f, const char *cur, const char *fresh,
       const char *repeat, const char *keep, struct pwchange_problems *why)
{
	struct store_actor who = { f->acct.id, "jansen", "192.0.2.1" };

	return account_change_password(f->st, &who, &f->acct, cur, fresh,
	                               repeat, keep, &lim, why);
}

static void
account_change_password_refuses_a_wrong_current_password(void **state)
{
	struct fixture *f = *state;
	struct pwchange_problems why;

	assert_int_equal(
	        change(f, "niet mijn wachtwoord", NEW_PW, NEW_PW, NULL, &why),
	        PWCHANGE_REFUSED);
	assert_true(why.wrong_current);
	assert_false(why.mismatch);
	assert_false(why.same);
	assert_int_equal(why.verdict, PW_OK);
}

static void
account_change_password_refuses_a_repeat_that_differs(void **state)
{
	struct fixture *f = *state;
	struct pwchange_problems why;

	assert_int_equal(change(f, PASSWORD, NEW_PW, NEW_PW "!", NULL, &why),
	                 PWCHANGE_REFUSED);
	assert_false(why.wrong_current);
	assert_true(why.mismatch);
	assert_int_equal(why.verdict, PW_OK);
}

static void
account_change_password_refuses_the_same_password(void **state)
{
	struct fixture *f = *state;
	struct pwchange_problems why;

	assert_int_equal(change(f, PASSWORD, PASSWORD, PASSWORD, NULL, &why),
	                 PWCHANGE_REFUSED);
	assert_true(why.same);
	assert_false(why.wrong_current);
}

/* A wrong current password, a new one that is too short and a repeat
 * that differs: all three are reported by one call. */
static void
account_change_password_reports_every_problem_at_once(void **state)
{
	struct fixture *f = *state;
	struct pwchange_problems why;

	assert_int_equal(change(f, "fout", "kort", "korter", NULL, &why),
	                 PWCHANGE_REFUSED);
	assert_true(why.wrong_current);
	assert_true(why.mismatch);
	assert_false(why.same);
	assert_int_equal(why.verdict, PW_TOO_SHORT);
	assert_true(password_verify(f->acct.pwhash, PASSWORD));
}

/* The typed "current" password is wrong: a new one equal to it is not
 * "the same as the current one", but it is still judged by the policy. */
static void
account_change_password_same_needs_the_right_current_password(void **state)
{
	struct fixture *f = *state;
	struct pwchange_problems why;

	assert_int_equal(change(f, "kort", "kort", "kort", NULL, &why),
	                 PWCHANGE_REFUSED);
	assert_true(why.wrong_current);
	assert_false(why.same);
	assert_int_equal(why.verdict, PW_TOO_SHORT);
}

static void
account_change_password_applies_the_policy(void **state)
{
	struct fixture *f = *state;
	static const struct {
		const char *pw;
		enum pw_verdict v;
	} c[] = {
		{ "kort", PW_TOO_SHORT },
		{ "Wachtwoord2026!", PW_COMMON },
		{ "aaaaaaaaaaaaaaaa", PW_REPETITIVE },
		{ "ik-ben-jansen-van-school", PW_HAS_USERNAME },
		{ "werken op obs de regenboog", PW_HAS_SCHOOL },
	};
	struct pwchange_problems why;

	for (size_t i = 0; i < N(c); i++) {
		assert_int_equal(
		        change(f, PASSWORD, c[i].pw, c[i].pw, NULL, &why),
		        PWCHANGE_REFUSED);
		assert_int_equal(why.verdict, c[i].v);
		assert_false(why.wrong_current || why.mismatch || why.same);
	}
	/* Nothing changed. */
	assert_true(password_verify(f->acct.pwhash, PASSWORD));
}

static void
account_change_password_stores_the_new_password(void **state)
{
	struct fixture *f = *state;
	struct account got;
	struct pwchange_problems why;

	assert_int_equal(change(f, PASSWORD, NEW_PW, NEW_PW, NULL, &why),
	                 PWCHANGE_OK);
	assert_int_equal(why.verdict, PW_OK);
	assert_int_equal(store_account_get(f->st, f->acct.id, &got), ERR_OK);
	assert_true(password_verify(got.pwhash, NEW_PW));
	assert_false(password_verify(got.pwhash, PASSWORD));
	assert_false(got.must_change);
	assert_true(got.password_changed > 1);
	assert_string_equal(f->acct.pwhash, got.pwhash);
}

static void
account_change_password_clears_must_change(void **state)
{
	struct fixture *f = *state;
	struct account a, got;
	char *otp = f->otps[f->notps++];
	struct store_actor who = { 0, "nieuw", "192.0.2.1" };
	struct pwchange_problems why;

	assert_int_equal(account_add(f->st, &cli, "nieuw", ROLE_DOCENT, 1,
	                             f->school.id, otp, &a),
	                 ERR_OK);
	who.account_id = a.id;
	assert_int_equal(account_change_password(f->st, &who, &a, otp, NEW_PW,
	                                         NEW_PW, NULL, &lim, &why),
	                 PWCHANGE_OK);
	assert_int_equal(store_account_get(f->st, a.id, &got), ERR_OK);
	assert_false(got.must_change);
	assert_false(a.must_change);
}

static void
account_change_password_ends_other_sessions_but_keeps_this_one(void **state)
{
	struct fixture *f = *state;
	char t1[TOKEN_SIZE], h1[TOKEN_HASH_SIZE];
	char t2[TOKEN_SIZE], h2[TOKEN_HASH_SIZE];
	char t3[TOKEN_SIZE], h3[TOKEN_HASH_SIZE];
	struct pwchange_problems why;

	start(f, t1, h1);
	start(f, t2, h2);
	start(f, t3, h3);
	assert_int_equal(change(f, PASSWORD, NEW_PW, NEW_PW, h2, &why),
	                 PWCHANGE_OK);
	assert_false(alive(f, h1));
	assert_true(alive(f, h2));
	assert_false(alive(f, h3));
}

static void
account_change_password_failures_keep_sessions(void **state)
{
	struct fixture *f = *state;
	char t[TOKEN_SIZE], h[TOKEN_HASH_SIZE];
	struct pwchange_problems why;

	start(f, t, h);
	assert_int_equal(change(f, "fout", NEW_PW, NEW_PW, NULL, &why),
	                 PWCHANGE_REFUSED);
	assert_int_equal(change(f, PASSWORD, "kort", "kort", NULL, &why),
	                 PWCHANGE_REFUSED);
	assert_true(alive(f, h));
}

static void
account_change_password_writes_an_audit_row_without_passwords(void **state)
{
	struct fixture *f = *state;
	struct audit_entry e;
	struct pwchange_problems why;

	assert_int_equal(change(f, PASSWORD, NEW_PW, NEW_PW, NULL, &why),
	                 PWCHANGE_OK);
	e = last_audit(f);
	assert_int_equal(e.event, AUDIT_PASSWORD_CHANGED);
	assert_int_equal(e.account_id, f->acct.id);
	assert_int_equal(e.school_id, f->school.id);
	assert_string_equal(e.actor, "jansen");
	assert_string_equal(e.addr, "192.0.2.1");
	assert_no_secret_in_audit(f);
}

/* --- reset and disable --- */

static void
account_reset_password_sets_a_one_time_password(void **state)
{
	struct fixture *f = *state;
	struct account got;
	char *otp = f->otps[f->notps++];

	assert_int_equal(account_reset_password(f->st, &cli, &f->acct, otp),
	                 ERR_OK);
	assert_int_equal(strlen(otp), 19);
	assert_int_equal(store_account_get(f->st, f->acct.id, &got), ERR_OK);
	assert_true(got.must_change);
	assert_true(password_verify(got.pwhash, otp));
	assert_false(password_verify(got.pwhash, PASSWORD));
}

static void
account_reset_password_ends_every_session(void **state)
{
	struct fixture *f = *state;
	char t1[TOKEN_SIZE], h1[TOKEN_HASH_SIZE];
	char t2[TOKEN_SIZE], h2[TOKEN_HASH_SIZE];

	start(f, t1, h1);
	start(f, t2, h2);
	assert_int_equal(account_reset_password(f->st, &cli, &f->acct,
	                                        f->otps[f->notps++]),
	                 ERR_OK);
	assert_false(alive(f, h1));
	assert_false(alive(f, h2));
}

static void
account_reset_password_writes_an_audit_row_without_the_password(void **state)
{
	struct fixture *f = *state;
	struct audit_entry e;

	assert_int_equal(account_reset_password(f->st, &cli, &f->acct,
	                                        f->otps[f->notps++]),
	                 ERR_OK);
	e = last_audit(f);
	assert_int_equal(e.event, AUDIT_PASSWORD_RESET);
	assert_int_equal(e.school_id, f->school.id);
	assert_no_secret_in_audit(f);
}

static void
account_reset_password_of_a_missing_account_fails(void **state)
{
	struct fixture *f = *state;
	struct account ghost = f->acct;

	ghost.id = f->acct.id + 1000;
	assert_int_equal(account_reset_password(f->st, &cli, &ghost,
	                                        f->otps[f->notps++]),
	                 ERR_NOTFOUND);
}

static void
account_disable_disables_and_ends_sessions(void **state)
{
	struct fixture *f = *state;
	char t[TOKEN_SIZE], h[TOKEN_HASH_SIZE];
	struct account got;
	struct audit_entry e;

	start(f, t, h);
	assert_int_equal(account_set_disabled(f->st, &cli, &f->acct, true),
	                 ERR_OK);
	assert_true(f->acct.disabled);
	assert_int_equal(store_account_get(f->st, f->acct.id, &got), ERR_OK);
	assert_true(got.disabled);
	assert_false(alive(f, h));
	e = last_audit(f);
	assert_int_equal(e.event, AUDIT_ACCOUNT_DISABLED);
	assert_int_equal(e.account_id, 0); /* the actor: cli */
}

static void
account_enable_enables_again(void **state)
{
	struct fixture *f = *state;
	struct account got;

	assert_int_equal(account_set_disabled(f->st, &cli, &f->acct, true),
	                 ERR_OK);
	assert_int_equal(account_set_disabled(f->st, &cli, &f->acct, false),
	                 ERR_OK);
	assert_int_equal(store_account_get(f->st, f->acct.id, &got), ERR_OK);
	assert_false(got.disabled);
	assert_int_equal(last_audit(f).event, AUDIT_ACCOUNT_ENABLED);
}

static struct contact
contact(const char *name, const char *phone, const char *email)
{
	struct contact c;

	str_copy(c.name, sizeof(c.name), name);
	str_copy(c.phone, sizeof(c.phone), phone);
	str_copy(c.email, sizeof(c.email), email);
	return c;
}

static void
account_contact_valid_accepts_real_contacts_and_refuses_junk(void **state)
{
	struct contact c;

	(void)state;
	c = contact("", "", "");
	assert_true(account_contact_valid(&c));
	c = contact("Anne de Vries-Öztürk", "+31 (0)10 123 45 67",
	            "a.devries@bibliotheek-rotterdam.nl");
	assert_true(account_contact_valid(&c));
	c = contact("Anne\nBcc: x", "", "");
	assert_false(account_contact_valid(&c));
	c = contact("", "bel me", "");
	assert_false(account_contact_valid(&c));
	c = contact("", "----------", "");
	assert_false(account_contact_valid(&c));
	static const char *const bad[] = {
		"geen-apenstaartje.nl", "@bieb.nl",      "a@bieb",
		"a@@bieb.nl",           "a@.nl",         "a b@bieb.nl",
		"a@bieb.nl.",           "\"a\"@bieb.nl", "a@b@bieb.nl"
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		c = contact("", "", bad[i]);
		if (account_contact_valid(&c))
			fail_msg("accepted e-mail %s", bad[i]);
	}
}

static void
account_library_add_and_update_check_and_audit(void **state)
{
	struct fixture *f = *state;
	struct library l, got;
	struct school sc;

	assert_int_equal(account_library_add(f->st, &cli, "Bibliotheek Aan Zee",
	                                     NULL, &l),
	                 ERR_OK);
	assert_string_equal(l.slug, "bibliotheek-aan-zee");
	assert_int_equal(last_audit(f).event, AUDIT_LIBRARY_CREATED);
	assert_int_equal(account_library_add(f->st, &cli, "Dubbel",
	                                     "bibliotheek-aan-zee", &got),
	                 ERR_EXISTS);
	assert_int_equal(account_library_add(f->st, &cli, "", NULL, &got),
	                 ERR_INVALID);
	l.contact = contact("Mies", "0101234567", "mies@zee.nl");
	assert_int_equal(account_library_update(f->st, &cli, &l), ERR_OK);
	assert_int_equal(last_audit(f).event, AUDIT_LIBRARY_UPDATED);
	l.contact = contact("Mies", "", "geen-adres");
	assert_int_equal(account_library_update(f->st, &cli, &l), ERR_INVALID);
	assert_int_equal(store_library_get(f->st, l.id, &got), ERR_OK);
	assert_string_equal(got.contact.email, "mies@zee.nl");
	/* a school of the new library; its BRIN made upper-case */
	assert_int_equal(account_school_add(f->st, &cli, l.id, "De Duinen",
	                                    "34cd", NULL, NULL, &sc),
	                 ERR_OK);
	assert_int_equal(sc.library_id, l.id);
	assert_int_equal(account_school_add(f->st, &cli, 999, "Nergens", "56EF",
	                                    NULL, NULL, &sc),
	                 ERR_NOTFOUND);
}

static void
account_school_update_checks_and_audits(void **state)
{
	struct fixture *f = *state;
	struct school sc = f->school, got;

	str_copy(sc.brin, sizeof(sc.brin), "99zz");
	sc.contact = contact("Juf Ans", "", "ans@regenboog.nl");
	assert_int_equal(account_school_update(f->st, &cli, &sc), ERR_OK);
	assert_int_equal(store_school_get(f->st, sc.id, &got), ERR_OK);
	assert_string_equal(got.brin, "99ZZ");
	assert_string_equal(got.contact.name, "Juf Ans");
	assert_int_equal(last_audit(f).event, AUDIT_SCHOOL_UPDATED);
	sc.name[0] = '\0';
	assert_int_equal(account_school_update(f->st, &cli, &sc), ERR_INVALID);
}

static void
account_suggest_username_takes_the_base_when_free(void **state)
{
	struct fixture *f = *state;
	char name[STORE_USERNAME_MAX + 1];

	assert_int_equal(account_suggest_username(f->st, "obs-de-regenboog",
	                                          name, sizeof(name)),
	                 ERR_OK);
	assert_string_equal(name, "obs-de-regenboog");
}

static void
account_suggest_username_counts_past_taken_names_in_any_case(void **state)
{
	struct fixture *f = *state;
	char name[STORE_USERNAME_MAX + 1];
	struct account a;

	/* "jansen" is the fixture's account */
	assert_int_equal(
	        account_suggest_username(f->st, "JANSEN", name, sizeof(name)),
	        ERR_OK);
	assert_string_equal(name, "JANSEN-2");
	assert_int_equal(account_add(f->st, &cli, "jansen-2", ROLE_DOCENT, 1,
	                             f->school.id, f->otps[f->notps++], &a),
	                 ERR_OK);
	assert_int_equal(
	        account_suggest_username(f->st, "jansen", name, sizeof(name)),
	        ERR_OK);
	assert_string_equal(name, "jansen-3");
	assert_int_equal(
	        account_suggest_username(f->st, "", name, sizeof(name)),
	        ERR_INVALID);
}

static void
account_suggest_username_fits_64_with_its_suffix(void **state)
{
	struct fixture *f = *state;
	char name[STORE_USERNAME_MAX + 1], otp[OTP_SIZE];
	char base[STORE_SLUG_MAX + 1];
	struct account a;

	memset(base, 'a', STORE_SLUG_MAX);
	base[STORE_SLUG_MAX] = '\0';
	assert_int_equal(account_add(f->st, &cli, base, ROLE_DOCENT, 1,
	                             f->school.id, otp, &a),
	                 ERR_OK);
	assert_int_equal(
	        account_suggest_username(f->st, base, name, sizeof(name)),
	        ERR_OK);
	assert_int_equal(strlen(name), STORE_USERNAME_MAX - 1);
	assert_string_equal(name + strlen(name) - 2, "-2");
}

static void
account_brin_wellformed_wants_two_digits_and_two_letters(void **state)
{
	static const char *good[] = { "12AB", "00zz", "99Xy" };
	static const char *bad[] = { "",     "12A",  "12ABC", "AB12",
		                     "1234", "ABCD", "12 B",  "1\xc3\xa9" };

	(void)state;
	for (size_t i = 0; i < N(good); i++)
		assert_true(account_brin_wellformed(good[i]));
	for (size_t i = 0; i < N(bad); i++)
		assert_false(account_brin_wellformed(bad[i]));
}

static int
count_row(const struct audit_entry *e, void *arg)
{
	(void)e;
	(*(int *)arg)++;
	return 0;
}

static int
count_audit(struct fixture *f, enum audit_event ev)
{
	struct audit_filter flt = { .event = (int)ev, .limit = 100 };
	int n = 0;

	assert_int_equal(store_audit_list(f->st, &flt, count_row, &n), ERR_OK);
	return n;
}

static void
account_change_password_throttles_wrong_current_passwords_like_logins(
        void **state)
{
	struct fixture *f = *state;
	struct pwchange_problems why;
	struct account a;

	for (int i = 0; i < lim.max_account; i++)
		assert_int_equal(change(f, "fout", NEW_PW, NEW_PW, NULL, &why),
		                 PWCHANGE_REFUSED);
	assert_int_equal(count_audit(f, AUDIT_PASSWORD_CHECK_FAILED),
	                 lim.max_account);
	/* now even the right one is not checked, and nothing changes */
	assert_int_equal(change(f, PASSWORD, NEW_PW, NEW_PW, NULL, &why),
	                 PWCHANGE_THROTTLED);
	assert_int_equal(count_audit(f, AUDIT_PASSWORD_CHECK_THROTTLED), 1);
	assert_int_equal(store_account_get(f->st, f->acct.id, &a), ERR_OK);
	assert_true(password_verify(a.pwhash, PASSWORD));
	/* the same counter as the login's */
	assert_int_equal(login_attempt(f->st, &lim, "jansen", PASSWORD,
	                               "198.51.100.1", &a),
	                 LOGIN_THROTTLED);
}

static void
account_change_password_counts_login_failures_too(void **state)
{
	struct fixture *f = *state;
	struct pwchange_problems why;
	struct account a;

	for (int i = 0; i < lim.max_account; i++)
		assert_int_equal(login_attempt(f->st, &lim, "jansen", "fout",
		                               "198.51.100.1", &a),
		                 LOGIN_FAILED);
	assert_int_equal(change(f, PASSWORD, NEW_PW, NEW_PW, NULL, &why),
	                 PWCHANGE_THROTTLED);
}

static void
account_change_password_is_throttled_per_address(void **state)
{
	struct fixture *f = *state;
	struct store_actor who = { f->acct.id, "jansen", "203.0.113.9" };
	struct pwchange_problems why;
	struct login_limits l = lim;
	struct account a;

	l.max_account = 1000;
	for (int i = 0; i < l.max_address; i++)
		login_attempt(f->st, &l, "gok", "fout", "203.0.113.9", &a);
	assert_int_equal(account_change_password(f->st, &who, &f->acct,
	                                         PASSWORD, NEW_PW, NEW_PW, NULL,
	                                         &l, &why),
	                 PWCHANGE_THROTTLED);
}

static void
account_change_password_ends_the_session_after_a_burst(void **state)
{
	struct fixture *f = *state;
	char t[TOKEN_SIZE], h[TOKEN_HASH_SIZE], t2[TOKEN_SIZE],
	        h2[TOKEN_HASH_SIZE];
	struct pwchange_problems why;

	start(f, t, h);
	start(f, t2, h2);
	for (int i = 0; i < lim.max_account - 1; i++) {
		assert_int_equal(change(f, "fout", NEW_PW, NEW_PW, h, &why),
		                 PWCHANGE_REFUSED);
		assert_true(alive(f, h));
	}
	assert_int_equal(change(f, "fout", NEW_PW, NEW_PW, h, &why),
	                 PWCHANGE_ENDED);
	assert_false(alive(f, h));
	assert_true(alive(f, h2)); /* only the session that guessed */
	assert_int_equal(count_audit(f, AUDIT_SESSION_ENDED), 1);
	/* the other session is throttled, and its tries count for it */
	for (int i = 0; i < lim.max_account - 1; i++)
		assert_int_equal(change(f, PASSWORD, NEW_PW, NEW_PW, h2, &why),
		                 PWCHANGE_THROTTLED);
	assert_int_equal(change(f, PASSWORD, NEW_PW, NEW_PW, h2, &why),
	                 PWCHANGE_ENDED);
	assert_false(alive(f, h2));
}

static void
account_change_password_right_current_forgets_the_failures(void **state)
{
	struct fixture *f = *state;
	char t[TOKEN_SIZE], h[TOKEN_HASH_SIZE];
	struct pwchange_problems why;

	start(f, t, h);
	for (int round = 0; round < 3; round++) {
		for (int i = 0; i < lim.max_account - 1; i++)
			assert_int_equal(
			        change(f, "fout", NEW_PW, NEW_PW, h, &why),
			        PWCHANGE_REFUSED);
		/* right, but the new ones differ: refused, yet no burst */
		assert_int_equal(change(f, PASSWORD, NEW_PW, "anders", h, &why),
		                 PWCHANGE_REFUSED);
		assert_false(why.wrong_current);
	}
	assert_true(alive(f, h));
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		        account_slugify_makes_lowercase_words_joined_by_dashes),
		cmocka_unit_test(
		        account_slugify_stays_within_64_and_never_ends_in_a_dash),
		cmocka_unit_test(account_slugify_respects_a_small_buffer),
		T(account_school_add_stores_the_school_and_derives_the_slug),
		T(account_school_add_accepts_a_given_slug),
		T(account_school_add_refuses_bad_names),
		T(account_school_add_refuses_bad_brin),
		T(account_school_add_refuses_bad_slugs),
		T(account_school_add_refuses_a_taken_slug),
		T(account_school_add_writes_an_audit_row),
		T(account_add_gives_a_one_time_password_that_must_be_changed),
		T(account_enable_enables_again),
		T(account_suggest_username_takes_the_base_when_free),
		T(account_suggest_username_counts_past_taken_names_in_any_case),
		T(account_suggest_username_fits_64_with_its_suffix),
		cmocka_unit_test(
		        account_brin_wellformed_wants_two_digits_and_two_letters),
		cmocka_unit_test(
		        account_contact_valid_accepts_real_contacts_and_refuses_junk),
		T(account_library_add_and_update_check_and_audit),
		T(account_school_update_checks_and_audits),
		T(account_add_accepts_a_library_account_without_school),
		T(account_add_refuses_bad_usernames),
		T(account_add_refuses_a_role_and_school_that_do_not_match),
		T(account_add_refuses_a_school_that_does_not_exist),
		T(account_add_refuses_a_taken_username_in_any_case),
		T(account_add_writes_an_audit_row_without_the_password),
		T(account_change_password_refuses_a_wrong_current_password),
		T(account_change_password_refuses_a_repeat_that_differs),
		T(account_change_password_refuses_the_same_password),
		T(account_change_password_reports_every_problem_at_once),
		T(account_change_password_same_needs_the_right_current_password),
		T(account_change_password_applies_the_policy),
		T(account_change_password_stores_the_new_password),
		T(account_change_password_clears_must_change),
		T(account_change_password_ends_other_sessions_but_keeps_this_one),
		T(account_change_password_failures_keep_sessions),
		T(account_change_password_writes_an_audit_row_without_passwords),
		T(account_change_password_throttles_wrong_current_passwords_like_logins),
		T(account_change_password_counts_login_failures_too),
		T(account_change_password_is_throttled_per_address),
		T(account_change_password_ends_the_session_after_a_burst),
		T(account_change_password_right_current_forgets_the_failures),
		T(account_reset_password_sets_a_one_time_password),
		T(account_reset_password_ends_every_session),
		T(account_reset_password_writes_an_audit_row_without_the_password),
		T(account_reset_password_of_a_missing_account_fails),
		T(account_disable_disables_and_ends_sessions),
	};

	return cmocka_run_group_tests_name("auth/account", tests, group_setup,
	                                   NULL);
}
