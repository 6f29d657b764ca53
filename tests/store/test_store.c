/*
 * Tests for the store (src/store/store.c and the SQLite backend) apart from
 * imports: opening and migrating (a fresh file reaches the newest schema,
 * reopening is harmless, a newer schema is refused with a message), the
 * connection's PRAGMAs, schools, accounts (usernames unique ignoring case,
 * the role/school rule), sessions and their purge, login throttling counts
 * and windows, an attempt checked and counted in one step (never more than
 * the limit through, from several connections at once), the audit log's order
 * and school filter, and the words for roles and events.  Files live in a
 * private directory under /tmp.  With BIEBSYNC_TEST_PG_URL set, every test
 * runs on a fresh PostgreSQL database instead (tu_store_url); those about
 * SQLite's file alone are skipped there.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "../testutil.h"
#include "../../src/base/strparse.h"
#include "../../src/base/text.h"

struct fixture {
	char dir[64];
	char path[128]; /* the database file (SQLite) */
	char url[256];  /* "sqlite:" + path, or a PostgreSQL database's */
	struct store *st;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char msg[256];

	tu_tmpdir(f->dir);
	snprintf(f->path, sizeof(f->path), "%s/db", f->dir);
	tu_store_url(f->dir, f->url);
	if (store_open(f->url, &f->st, msg, sizeof(msg)) != ERR_OK) {
		fprintf(stderr, "store_open: %s\n", msg);
		return -1;
	}
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	store_close(f->st);
	tu_rmdir(f->dir);
	free(f);
	return 0;
}

static bool
on_pg(const struct fixture *f)
{
	return strncmp(f->url, "postgres", 8) == 0;
}

/* Run one SQL statement on the database through a separate connection;
 * the first column of the first row, as text, goes to out (may be NULL).
 * Returns 0 when it ran, 1 when a constraint refused it, -1 otherwise. */
static int
sql_on_db(const struct fixture *f, const char *sql, char *out, size_t outsz)
{
	int rc;

	if (out != NULL)
		out[0] = '\0';
	if (on_pg(f)) {
		PGconn *c = PQconnectdb(f->url);
		PGresult *r = PQexec(c, sql);
		const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);

		if (PQresultStatus(r) == PGRES_TUPLES_OK ||
		    PQresultStatus(r) == PGRES_COMMAND_OK)
			rc = 0;
		else
			rc = state && strncmp(state, "23", 2) == 0 ? 1 : -1;
		if (rc == 0 && out != NULL && PQntuples(r) > 0 &&
		    !PQgetisnull(r, 0, 0))
			snprintf(out, outsz, "%s", PQgetvalue(r, 0, 0));
		PQclear(r);
		PQfinish(c);
		return rc;
	}
	{
		sqlite3 *db;
		sqlite3_stmt *q;

		assert_int_equal(sqlite3_open_v2(f->path, &db,
		                                 SQLITE_OPEN_READWRITE, NULL),
		                 SQLITE_OK);
		assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL),
		                 SQLITE_OK);
		rc = sqlite3_step(q);
		if (rc == SQLITE_ROW && out != NULL &&
		    sqlite3_column_text(q, 0) != NULL)
			snprintf(out, outsz, "%s",
			         (const char *)sqlite3_column_text(q, 0));
		sqlite3_finalize(q);
		sqlite3_close(db);
	}
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0
	       : (rc & 0xff) == SQLITE_CONSTRAINT    ? 1
	                                             : -1;
}

/* The schema version the database records, and writing it. */
static int
db_version(const struct fixture *f)
{
	char v[32];
	uint64_t n = 0;

	sql_on_db(f,
	          on_pg(f) ? "SELECT version FROM biebsync_schema"
	                   : "PRAGMA user_version",
	          v, sizeof(v));
	assert_int_equal(parse_u64(v, 0, 100000, &n), ERR_OK);
	return (int)n;
}

static void
set_db_version(const struct fixture *f, int version)
{
	char sql[64];

	snprintf(sql, sizeof(sql),
	         on_pg(f) ? "UPDATE biebsync_schema SET version = %d"
	                  : "PRAGMA user_version = %d",
	         version);
	assert_int_equal(sql_on_db(f, sql, NULL, 0), 0);
}

/* Skip a test about SQLite's file on the PostgreSQL run. */
#define SQLITE_ONLY(f)                                                         \
	do {                                                                   \
		if (on_pg(f))                                                  \
			skip();                                                \
	} while (0)

static void
add_school(struct store *st, const char *name, const char *slug,
           struct school *out)
{
	memset(out, 0, sizeof(*out));
	out->library_id = 1;
	str_copy(out->name, sizeof(out->name), name);
	str_copy(out->brin, sizeof(out->brin), "12AB");
	str_copy(out->slug, sizeof(out->slug), slug);
	assert_int_equal(store_school_add(st, out), ERR_OK);
}

static enum err
add_account(struct store *st, const char *name, enum role role,
            int64_t school_id, struct account *out)
{
	memset(out, 0, sizeof(*out));
	str_copy(out->username, sizeof(out->username), name);
	str_copy(out->pwhash, sizeof(out->pwhash), "hash");
	out->role = role;
	out->school_id = school_id;
	out->library_id = role == ROLE_BIBLIOTHEEK;
	return store_account_add(st, out);
}

/* --- opening and migrations --- */

static void
store_open_fresh_file_reaches_the_newest_schema(void **state)
{
	struct fixture *f = *state;
	int version = store_schema_version(f->st);
	struct store *st2 = NULL;
	char msg[256] = "", v[32];

	assert_true(version >= 1);
	/* The database says the same. */
	assert_int_equal(db_version(f), version);
	/* One more than reached is refused as newer than this biebsync, so
	 * the version reached is exactly the number of migrations. */
	store_close(f->st);
	f->st = NULL;
	set_db_version(f, version + 1);
	assert_int_equal(store_open(f->url, &st2, msg, sizeof(msg)), ERR_DB);
	assert_null(st2);
	snprintf(v, sizeof(v), "%d", version + 1);
	assert_non_null(strstr(msg, v));
}

static struct roster_issue kept_issues[2];

static int
keep_issue(const struct roster_issue *is, void *arg)
{
	size_t *n = arg;

	if (*n < 2)
		kept_issues[*n] = *is;
	(*n)++;
	return 0;
}

/* A database made by biebsync before migration 4 (tests/store/v3.sql): its
 * preview's columns and groups, kept as text then, become rows; its issues
 * (migration 5) name no pupil and read as before. */
static void
store_open_migrates_a_text_summary_into_tables(void **state)
{
	struct fixture *f = *state;
	struct column_line *c;
	struct group_line *g;
	struct import_rec rec;
	size_t nc, ng, len = 0;
	char *sql;
	FILE *in;
	sqlite3 *db;

	SQLITE_ONLY(f); /* a PostgreSQL database starts empty */
	sql = calloc(1, 1 << 16);
	in = fopen("tests/store/v3.sql", "r");
	assert_non_null(in);
	len = fread(sql, 1, (1 << 16) - 1, in);
	fclose(in);
	assert_true(len > 0);
	store_close(f->st);
	f->st = NULL;
	unlink(f->path);
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	free(sql);
	{
		char msg[256];

		assert_int_equal(store_open(f->url, &f->st, msg, sizeof(msg)),
		                 ERR_OK);
	}
	assert_int_equal(store_import_get(f->st, 0, 1, &rec), ERR_OK);
	assert_string_equal(rec.filename, "v3.csv");
	assert_int_equal(rec.counts[CHANGE_NEW], 2);
	assert_int_equal(store_import_columns(f->st, 1, &c, &nc), ERR_OK);
	assert_int_equal(nc, 7);
	assert_string_equal(c[0].header, "Leerlingnummer");
	assert_int_equal(c[0].field, ROSTER_F_NUMBER);
	assert_true(c[0].stored);
	assert_string_equal(c[6].header, "BSN");
	assert_int_equal(c[6].field, ROSTER_F_NONE);
	assert_false(c[6].stored);
	assert_true(c[6].bsn);
	assert_int_equal(store_import_groups(f->st, 1, &g, &ng), ERR_OK);
	assert_int_equal(ng, 2);
	assert_string_equal(g[0].after, "5/6");
	assert_int_equal(g[0].n_before, 0);
	assert_int_equal(g[0].n_after, 1);
	assert_string_equal(g[1].after, "Groep 3a");
	free(c);
	free(g);
	/* migration 5: its issues name no pupil and still read */
	{
		struct roster_issue is[2];
		size_t n = 0;
		char cols[16];
		struct buf b;

		assert_int_equal(store_import_issues(f->st, 1, keep_issue, &n),
		                 ERR_OK);
		assert_int_equal(n, 2);
		memcpy(is, kept_issues, sizeof(is));
		assert_int_equal(is[1].code, ROSTER_W_GROUP_CHANGES);
		assert_string_equal(is[1].text, "5/6");
		assert_string_equal(is[1].name, "");
		assert_string_equal(is[1].number, "");
		assert_int_equal(is[1].layout, ROSTER_LAYOUT_GENERIC);
		buf_init(&b, 4096);
		roster_issue_say(&b, &is[1], LANG_NL, 0);
		/* as before: with the column, the value after the sentence */
		assert_true(strncmp(b.data, "rij 3, kolom F: Deze groepsnaam",
		                    31) == 0);
		assert_non_null(strstr(b.data, "(waarde: \"5/6\")"));
		buf_release(&b);
		sql_on_db(f,
		          "SELECT count(*) FROM pragma_table_info("
		          "'import_issues') WHERE name IN ('name', 'number',"
		          " 'other')",
		          cols, sizeof(cols));
		assert_string_equal(cols, "3");
	}
	/* migration 6: everything belongs to the one library there is */
	{
		struct school sc;
		struct library l;
		char n[16];

		assert_int_equal(store_school_get(f->st, 1, &sc), ERR_OK);
		assert_int_equal(sc.library_id, 1);
		assert_string_equal(sc.contact.email, "");
		assert_int_equal(store_library_get(f->st, 1, &l), ERR_OK);
		assert_string_equal(l.slug, "bibliotheek");
		sql_on_db(f,
		          "SELECT count(*) FROM audit_log WHERE library_id = 1",
		          n, sizeof(n));
		assert_string_equal(n, "2");
	}
}

static void
store_open_fresh_file_has_every_table(void **state)
{
	struct fixture *f = *state;
	static const char *const tables[] = { "schools",       "accounts",
		                              "sessions",      "throttle",
		                              "audit_log",     "libraries",
		                              "recovery_codes" };
	char sql[128], n[16];

	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		snprintf(sql, sizeof(sql),
		         on_pg(f) ? "SELECT count(*) FROM information_schema."
		                    "tables WHERE table_name = '%s'"
		                  : "SELECT count(*) FROM sqlite_master WHERE"
		                    " type = 'table' AND name = '%s'",
		         tables[i]);
		sql_on_db(f, sql, n, sizeof(n));
		if (strcmp(n, "1") != 0)
			fail_msg("table %s missing", tables[i]);
	}
}

static void
store_open_twice_is_idempotent_and_keeps_data(void **state)
{
	struct fixture *f = *state;
	int version = store_schema_version(f->st);
	struct school sc, got;
	char msg[256];

	add_school(f->st, "De Fontein", "de-fontein", &sc);
	store_close(f->st);
	f->st = NULL;
	assert_int_equal(store_open(f->url, &f->st, msg, sizeof(msg)), ERR_OK);
	assert_int_equal(store_schema_version(f->st), version);
	assert_int_equal(store_school_by_slug(f->st, "de-fontein", &got),
	                 ERR_OK);
	assert_int_equal(got.id, sc.id);
	store_close(f->st);
	f->st = NULL;
	assert_int_equal(store_open(f->url, &f->st, msg, sizeof(msg)), ERR_OK);
	assert_int_equal(store_schema_version(f->st), version);
}

static void
store_open_refuses_a_newer_schema_with_a_message(void **state)
{
	struct fixture *f = *state;
	/* Any non-NULL pointer: store_open must set it to NULL on failure. */
	struct store *st2 = (struct store *)(void *)f;
	char msg[256] = "";

	store_close(f->st);
	f->st = NULL;
	set_db_version(f, 999);
	assert_int_equal(store_open(f->url, &st2, msg, sizeof(msg)), ERR_DB);
	assert_null(st2);
	assert_non_null(strstr(msg, "999"));
	assert_non_null(strstr(msg, "newer"));
}

static void
store_open_refuses_unknown_urls(void **state)
{
	struct store *st = NULL;
	char msg[256] = "";

	(void)state;
	assert_int_equal(
	        store_open("mysql://localhost/x", &st, msg, sizeof(msg)),
	        ERR_INVALID);
	assert_null(st);
	assert_non_null(strstr(msg, "mysql://localhost/x"));
	assert_int_equal(store_open("var/biebsync.db", &st, msg, sizeof(msg)),
	                 ERR_INVALID);
	assert_int_equal(store_open("", &st, msg, sizeof(msg)), ERR_INVALID);
	assert_int_equal(store_open("sqlite:", &st, msg, sizeof(msg)),
	                 ERR_INVALID);
	assert_null(st);
}

static void
store_open_reports_a_file_it_cannot_open(void **state)
{
	struct store *st = NULL;
	char msg[256] = "";

	(void)state;
	assert_int_equal(store_open("sqlite:/nonexistent/deeper/still/x.db",
	                            &st, msg, sizeof(msg)),
	                 ERR_DB);
	assert_null(st);
	assert_non_null(strstr(msg, "/nonexistent/deeper/still/x.db"));
}

static void
store_open_refuses_a_file_that_is_not_a_database(void **state)
{
	struct fixture *f = *state;
	char path[160], url[200], msg[256] = "";
	struct store *st = NULL;

	snprintf(path, sizeof(path), "%s/not-a-db", f->dir);
	snprintf(url, sizeof(url), "sqlite:%s", path);
	tu_write_file(path, "Leerlingnummer;Naam;Groep\n1;Jan;5\n"
	                    "this is a spreadsheet, not a database\n");
	assert_int_equal(store_open(url, &st, msg, sizeof(msg)), ERR_DB);
	assert_null(st);
	assert_true(strlen(msg) > 0);
}

static void
store_open_creates_a_missing_parent_directory(void **state)
{
	struct fixture *f = *state;
	char url[200], msg[256];
	struct store *st = NULL;

	snprintf(url, sizeof(url), "sqlite:%s/var/x.db", f->dir);
	assert_int_equal(store_open(url, &st, msg, sizeof(msg)), ERR_OK);
	store_close(st);
	snprintf(url, sizeof(url), "%s/var", f->dir);
	tu_rmdir(url);
}

static void
store_close_accepts_null(void **state)
{
	(void)state;
	store_close(NULL);
}

static void
store_connection_uses_wal(void **state)
{
	struct fixture *f = *state;
	char mode[32];

	SQLITE_ONLY(f);
	sql_on_db(f, "PRAGMA journal_mode", mode, sizeof(mode));
	assert_string_equal(mode, "wal");
}

static void
store_connection_enforces_foreign_keys(void **state)
{
	struct fixture *f = *state;
	struct session se;
	struct account a;

	/* A docent of a school that does not exist. */
	assert_int_not_equal(add_account(f->st, "spook", ROLE_DOCENT, 4242, &a),
	                     ERR_OK);
	/* A session of an account that does not exist. */
	memset(&se, 0, sizeof(se));
	memset(se.id_hash, 'a', 64);
	se.account_id = 4242;
	assert_int_not_equal(store_session_add(f->st, &se), ERR_OK);
}

static void
store_two_handles_on_one_file_see_each_other(void **state)
{
	struct fixture *f = *state;
	struct store *other = NULL;
	struct school sc, got;
	char msg[256];
	int64_t n = 0;

	assert_int_equal(store_open(f->url, &other, msg, sizeof(msg)), ERR_OK);
	add_school(f->st, "De Fontein", "de-fontein", &sc);
	assert_int_equal(store_school_by_slug(other, "de-fontein", &got),
	                 ERR_OK);
	assert_int_equal(store_throttle_fail(other, "a:x", 100, 900, &n),
	                 ERR_OK);
	assert_int_equal(store_throttle_fail(f->st, "a:x", 101, 900, &n),
	                 ERR_OK);
	assert_int_equal(n, 2);
	store_close(other);
}

/* --- schools --- */

static void
store_school_add_sets_id_and_created(void **state)
{
	struct fixture *f = *state;
	struct school sc, got;

	add_school(f->st, "OBS De Regenboog", "obs-de-regenboog", &sc);
	assert_true(sc.id > 0);
	assert_true(sc.created >= time_now() - 2);
	assert_int_equal(store_school_get(f->st, sc.id, &got), ERR_OK);
	assert_string_equal(got.name, "OBS De Regenboog");
	assert_string_equal(got.brin, "12AB");
	assert_string_equal(got.slug, "obs-de-regenboog");
	assert_int_equal(got.created, sc.created);
}

static void
store_school_slug_is_unique(void **state)
{
	struct fixture *f = *state;
	struct school sc;

	add_school(f->st, "OBS De Regenboog", "regenboog", &sc);
	memset(&sc, 0, sizeof(sc));
	sc.library_id = 1;
	str_copy(sc.name, sizeof(sc.name), "Andere school");
	str_copy(sc.slug, sizeof(sc.slug), "regenboog");
	assert_int_equal(store_school_add(f->st, &sc), ERR_EXISTS);
}

static void
store_school_lookups_of_missing_schools_find_nothing(void **state)
{
	struct fixture *f = *state;
	char long_slug[200];
	struct school got;

	assert_int_equal(store_school_get(f->st, 12345, &got), ERR_NOTFOUND);
	assert_int_equal(store_school_by_slug(f->st, "nergens", &got),
	                 ERR_NOTFOUND);
	memset(long_slug, 's', sizeof(long_slug) - 1);
	long_slug[sizeof(long_slug) - 1] = '\0';
	assert_int_equal(store_school_by_slug(f->st, long_slug, &got),
	                 ERR_NOTFOUND);
}

struct names {
	int n, stop_after;
	char name[8][STORE_NAME_MAX + 1];
};

static int
collect_school(const struct school *sc, void *arg)
{
	struct names *r = arg;

	str_copy(r->name[r->n++], sizeof(r->name[0]), sc->name);
	return r->n == r->stop_after;
}

static int
collect_account(const struct account *a, void *arg)
{
	struct names *r = arg;

	str_copy(r->name[r->n++], sizeof(r->name[0]), a->username);
	return r->n == r->stop_after;
}

static void
store_school_list_is_ordered_by_name_and_can_stop(void **state)
{
	struct fixture *f = *state;
	struct names r = { 0, 0, { "" } };
	struct school sc;

	add_school(f->st, "Zonnebloem", "zonnebloem", &sc);
	add_school(f->st, "Akker", "akker", &sc);
	add_school(f->st, "Meander", "meander", &sc);
	assert_int_equal(store_school_list(f->st, 0, collect_school, &r),
	                 ERR_OK);
	assert_int_equal(r.n, 3);
	assert_string_equal(r.name[0], "Akker");
	assert_string_equal(r.name[1], "Meander");
	assert_string_equal(r.name[2], "Zonnebloem");
	memset(&r, 0, sizeof(r));
	r.stop_after = 1;
	assert_int_equal(store_school_list(f->st, 0, collect_school, &r),
	                 ERR_OK);
	assert_int_equal(r.n, 1);
}

static void
store_school_name_survives_quotes_and_unicode(void **state)
{
	struct fixture *f = *state;
	struct school sc, got;

	add_school(f->st, "Basisschool 't Vlot'); DROP TABLE schools;--",
	           "vlot", &sc);
	add_school(f->st, "\xc3\x89\xc3\xa9n school", "een", &sc);
	assert_int_equal(store_school_by_slug(f->st, "vlot", &got), ERR_OK);
	assert_string_equal(got.name,
	                    "Basisschool 't Vlot'); DROP TABLE schools;--");
	assert_int_equal(store_school_by_slug(f->st, "een", &got), ERR_OK);
	assert_string_equal(got.name, "\xc3\x89\xc3\xa9n school");
}

/* --- accounts --- */

static void
store_account_add_and_get(void **state)
{
	struct fixture *f = *state;
	struct school sc;
	struct account a, got;

	add_school(f->st, "De Fontein", "de-fontein", &sc);
	assert_int_equal(add_account(f->st, "jansen", ROLE_DOCENT, sc.id, &a),
	                 ERR_OK);
	assert_true(a.id > 0);
	assert_int_equal(store_account_get(f->st, a.id, &got), ERR_OK);
	assert_string_equal(got.username, "jansen");
	assert_int_equal(got.role, ROLE_DOCENT);
	assert_int_equal(got.school_id, sc.id);
	assert_string_equal(got.pwhash, "hash");
	assert_false(got.disabled);
	assert_int_equal(got.last_login, 0);
	assert_true(got.created >= time_now() - 2);
	assert_int_equal(store_account_get(f->st, a.id + 1, &got),
	                 ERR_NOTFOUND);
}

static void
store_username_is_unique_ignoring_case(void **state)
{
	struct fixture *f = *state;
	struct account a, got;

	assert_int_equal(add_account(f->st, "Jansen", ROLE_BIBLIOTHEEK, 0, &a),
	                 ERR_OK);
	assert_int_equal(add_account(f->st, "JANSEN", ROLE_BIBLIOTHEEK, 0, &a),
	                 ERR_EXISTS);
	assert_int_equal(add_account(f->st, "jansen", ROLE_BIBLIOTHEEK, 0, &a),
	                 ERR_EXISTS);
	assert_int_equal(store_account_by_name(f->st, "jAnSeN", &got), ERR_OK);
	assert_string_equal(got.username, "Jansen");
}

static void
store_account_by_name_of_missing_or_overlong_names_finds_nothing(void **state)
{
	struct fixture *f = *state;
	char long_name[300];
	struct account got;

	assert_int_equal(store_account_by_name(f->st, "niemand", &got),
	                 ERR_NOTFOUND);
	memset(long_name, 'x', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	assert_int_equal(store_account_by_name(f->st, long_name, &got),
	                 ERR_NOTFOUND);
}

static void
store_account_role_and_school_must_match(void **state)
{
	struct fixture *f = *state;
	struct school sc;
	struct account a;

	add_school(f->st, "De Fontein", "de-fontein", &sc);
	assert_int_equal(add_account(f->st, "docent", ROLE_DOCENT, 0, &a),
	                 ERR_INVALID);
	assert_int_equal(
	        add_account(f->st, "bieb", ROLE_BIBLIOTHEEK, sc.id, &a),
	        ERR_INVALID);
	assert_int_equal(store_account_by_name(f->st, "docent", &a),
	                 ERR_NOTFOUND);
}

static void
store_schema_itself_refuses_bad_roles_and_schools(void **state)
{
	struct fixture *f = *state;
	struct school sc;

	/* Defence in depth: even SQL that bypasses store.c's checks. */
	add_school(f->st, "De Fontein", "de-fontein", &sc);
	assert_int_equal(sql_on_db(f,
	                           "INSERT INTO accounts (username, role,"
	                           " school_id, pwhash, must_change,"
	                           " created, password_changed) VALUES"
	                           " ('d', 'docent', NULL, 'h', 0, 1, 1)",
	                           NULL, 0),
	                 1);
	assert_int_equal(sql_on_db(f,
	                           "INSERT INTO accounts (username, role,"
	                           " school_id, pwhash, must_change,"
	                           " created, password_changed) VALUES"
	                           " ('b', 'bibliotheek', 1, 'h', 0, 1, 1)",
	                           NULL, 0),
	                 1);
	assert_int_equal(sql_on_db(f,
	                           "INSERT INTO accounts (username, role,"
	                           " school_id, pwhash, must_change,"
	                           " created, password_changed) VALUES"
	                           " ('a', 'admin', NULL, 'h', 0, 1, 1)",
	                           NULL, 0),
	                 1);
	assert_int_equal(sql_on_db(f,
	                           "INSERT INTO accounts (username, role,"
	                           " school_id, pwhash, must_change,"
	                           " created, password_changed) VALUES"
	                           " ('ok', 'bibliotheek', NULL, 'h', 0, 1,"
	                           " 1)",
	                           NULL, 0),
	                 0);
	assert_int_equal(sql_on_db(f,
	                           "INSERT INTO accounts (username, role,"
	                           " school_id, pwhash, must_change,"
	                           " created, password_changed) VALUES"
	                           " ('OK', 'bibliotheek', NULL, 'h', 0, 1,"
	                           " 1)",
	                           NULL, 0),
	                 1);
}

static void
store_account_list_filters_by_school_and_orders_by_name(void **state)
{
	struct fixture *f = *state;
	struct names r = { 0, 0, { "" } };
	struct school s1, s2;
	struct account a;

	add_school(f->st, "Een", "een", &s1);
	add_school(f->st, "Twee", "twee", &s2);
	assert_int_equal(add_account(f->st, "zeeman", ROLE_DOCENT, s1.id, &a),
	                 ERR_OK);
	assert_int_equal(add_account(f->st, "bakker", ROLE_DOCENT, s1.id, &a),
	                 ERR_OK);
	assert_int_equal(add_account(f->st, "molenaar", ROLE_DOCENT, s2.id, &a),
	                 ERR_OK);
	assert_int_equal(add_account(f->st, "admin", ROLE_BIBLIOTHEEK, 0, &a),
	                 ERR_OK);
	assert_int_equal(store_account_list(f->st, s1.id, collect_account, &r),
	                 ERR_OK);
	assert_int_equal(r.n, 2);
	assert_string_equal(r.name[0], "bakker");
	assert_string_equal(r.name[1], "zeeman");
	memset(&r, 0, sizeof(r));
	assert_int_equal(store_account_list(f->st, 0, collect_account, &r),
	                 ERR_OK);
	assert_int_equal(r.n, 4);
	assert_string_equal(r.name[0], "admin");
	assert_string_equal(r.name[3], "zeeman");
}

static void
store_account_set_password_and_disable(void **state)
{
	struct fixture *f = *state;
	struct account a, got;

	assert_int_equal(add_account(f->st, "jansen", ROLE_BIBLIOTHEEK, 0, &a),
	                 ERR_OK);
	assert_int_equal(
	        store_account_set_password(f->st, a.id, "nieuw", true, 777),
	        ERR_OK);
	assert_int_equal(store_account_set_disabled(f->st, a.id, true), ERR_OK);
	assert_int_equal(store_account_get(f->st, a.id, &got), ERR_OK);
	assert_string_equal(got.pwhash, "nieuw");
	assert_true(got.must_change);
	assert_int_equal(got.password_changed, 777);
	assert_true(got.disabled);
}

static void
store_account_changes_to_missing_accounts_find_nothing(void **state)
{
	struct fixture *f = *state;
	char long_hash[STORE_HASH_MAX + 2];

	assert_int_equal(store_account_set_password(f->st, 999, "x", false, 1),
	                 ERR_NOTFOUND);
	assert_int_equal(store_account_set_disabled(f->st, 999, true),
	                 ERR_NOTFOUND);
	assert_int_equal(store_account_logged_in(f->st, 999, 1), ERR_NOTFOUND);
	memset(long_hash, 'h', sizeof(long_hash) - 1);
	long_hash[sizeof(long_hash) - 1] = '\0';
	assert_int_equal(
	        store_account_set_password(f->st, 999, long_hash, false, 1),
	        ERR_LIMIT);
}

static void
store_account_logged_in_keeps_the_previous_login(void **state)
{
	struct fixture *f = *state;
	struct account a, got;

	assert_int_equal(add_account(f->st, "jansen", ROLE_BIBLIOTHEEK, 0, &a),
	                 ERR_OK);
	assert_int_equal(store_account_logged_in(f->st, a.id, 1000), ERR_OK);
	assert_int_equal(store_account_logged_in(f->st, a.id, 2000), ERR_OK);
	assert_int_equal(store_account_get(f->st, a.id, &got), ERR_OK);
	assert_int_equal(got.last_login, 2000);
	assert_int_equal(got.previous_login, 1000);
}

/* --- sessions --- */

static void
add_session(struct fixture *f, char c, int64_t account_id, int64_t created,
            int64_t last_seen)
{
	struct session se;

	memset(&se, 0, sizeof(se));
	memset(se.id_hash, c, 64);
	se.account_id = account_id;
	se.created = created;
	se.last_seen = last_seen;
	assert_int_equal(store_session_add(f->st, &se), ERR_OK);
}

static bool
has_session(struct fixture *f, char c)
{
	struct session se;
	char hash[65];

	memset(hash, c, 64);
	hash[64] = '\0';
	return store_session_get(f->st, hash, &se) == ERR_OK;
}

static void
store_session_add_get_touch_delete(void **state)
{
	struct fixture *f = *state;
	struct account a;
	struct session se;
	char hash[65];

	assert_int_equal(add_account(f->st, "jansen", ROLE_BIBLIOTHEEK, 0, &a),
	                 ERR_OK);
	add_session(f, 'a', a.id, 100, 200);
	memset(hash, 'a', 64);
	hash[64] = '\0';
	assert_int_equal(store_session_get(f->st, hash, &se), ERR_OK);
	assert_string_equal(se.id_hash, hash);
	assert_int_equal(se.account_id, a.id);
	assert_int_equal(se.created, 100);
	assert_int_equal(se.last_seen, 200);
	assert_int_equal(store_session_touch(f->st, hash, 300), ERR_OK);
	assert_int_equal(store_session_get(f->st, hash, &se), ERR_OK);
	assert_int_equal(se.last_seen, 300);
	assert_int_equal(store_session_delete(f->st, hash), ERR_OK);
	assert_int_equal(store_session_get(f->st, hash, &se), ERR_NOTFOUND);
	assert_int_equal(store_session_touch(f->st, hash, 400), ERR_NOTFOUND);
	assert_int_equal(store_session_delete(f->st, hash), ERR_OK);
}

static void
store_session_id_is_unique(void **state)
{
	struct fixture *f = *state;
	struct account a;
	struct session se;

	assert_int_equal(add_account(f->st, "jansen", ROLE_BIBLIOTHEEK, 0, &a),
	                 ERR_OK);
	add_session(f, 'a', a.id, 100, 200);
	memset(&se, 0, sizeof(se));
	memset(se.id_hash, 'a', 64);
	se.account_id = a.id;
	assert_int_equal(store_session_add(f->st, &se), ERR_EXISTS);
}

static void
store_session_delete_account_can_keep_one(void **state)
{
	struct fixture *f = *state;
	struct account a, b;
	char keep[65];

	assert_int_equal(add_account(f->st, "jansen", ROLE_BIBLIOTHEEK, 0, &a),
	                 ERR_OK);
	assert_int_equal(add_account(f->st, "devries", ROLE_BIBLIOTHEEK, 0, &b),
	                 ERR_OK);
	add_session(f, 'a', a.id, 1, 1);
	add_session(f, 'b', a.id, 1, 1);
	add_session(f, 'c', a.id, 1, 1);
	add_session(f, 'd', b.id, 1, 1);
	memset(keep, 'b', 64);
	keep[64] = '\0';
	assert_int_equal(store_session_delete_account(f->st, a.id, keep),
	                 ERR_OK);
	assert_false(has_session(f, 'a'));
	assert_true(has_session(f, 'b'));
	assert_false(has_session(f, 'c'));
	assert_true(has_session(f, 'd'));
	assert_int_equal(store_session_delete_account(f->st, a.id, NULL),
	                 ERR_OK);
	assert_false(has_session(f, 'b'));
	assert_true(has_session(f, 'd'));
}

static void
store_session_purge_removes_idle_and_old_sessions(void **state)
{
	struct fixture *f = *state;
	struct account a;

	assert_int_equal(add_account(f->st, "jansen", ROLE_BIBLIOTHEEK, 0, &a),
	                 ERR_OK);
	add_session(f, 'a', a.id, 5000, 5000); /* fresh */
	add_session(f, 'b', a.id, 5000, 1000); /* idle */
	add_session(f, 'c', a.id, 100, 5000);  /* too old */
	add_session(f, 'd', a.id, 3000, 4000); /* at both limits */
	assert_int_equal(store_session_purge(f->st, 4000, 3000), ERR_OK);
	assert_true(has_session(f, 'a'));
	assert_false(has_session(f, 'b'));
	assert_false(has_session(f, 'c'));
	assert_true(has_session(f, 'd'));
}

/* --- throttling --- */

static void
store_throttle_counts_failures(void **state)
{
	struct fixture *f = *state;
	int64_t n = 0, last = 0;

	assert_int_equal(store_throttle_get(f->st, "u:jansen", &n, &last),
	                 ERR_OK);
	assert_int_equal(n, 0);
	assert_int_equal(last, 0);
	for (int i = 1; i <= 5; i++) {
		assert_int_equal(store_throttle_fail(f->st, "u:jansen",
		                                     1000 + i, 900, &n),
		                 ERR_OK);
		assert_int_equal(n, i);
	}
	assert_int_equal(store_throttle_get(f->st, "u:jansen", &n, &last),
	                 ERR_OK);
	assert_int_equal(n, 5);
	assert_int_equal(last, 1005);
	/* Keys are separate. */
	assert_int_equal(store_throttle_get(f->st, "a:192.0.2.1", &n, &last),
	                 ERR_OK);
	assert_int_equal(n, 0);
}

static void
store_throttle_restarts_after_the_window(void **state)
{
	struct fixture *f = *state;
	int64_t n = 0, last = 0;

	store_throttle_fail(f->st, "k", 1000, 900, &n);
	store_throttle_fail(f->st, "k", 1100, 900, &n);
	assert_int_equal(n, 2);
	/* Exactly one window after the last failure: still counting. */
	store_throttle_fail(f->st, "k", 2000, 900, &n);
	assert_int_equal(n, 3);
	/* More than a window later: starts again at 1. */
	assert_int_equal(store_throttle_fail(f->st, "k", 2901, 900, &n),
	                 ERR_OK);
	assert_int_equal(n, 1);
	assert_int_equal(store_throttle_get(f->st, "k", &n, &last), ERR_OK);
	assert_int_equal(n, 1);
	assert_int_equal(last, 2901);
}

static void
store_throttle_clear_forgets_the_key(void **state)
{
	struct fixture *f = *state;
	int64_t n = 0, last = 0;

	store_throttle_fail(f->st, "k", 1000, 900, &n);
	store_throttle_fail(f->st, "other", 1000, 900, &n);
	assert_int_equal(store_throttle_clear(f->st, "k"), ERR_OK);
	assert_int_equal(store_throttle_get(f->st, "k", &n, &last), ERR_OK);
	assert_int_equal(n, 0);
	assert_int_equal(store_throttle_get(f->st, "other", &n, &last), ERR_OK);
	assert_int_equal(n, 1);
	assert_int_equal(store_throttle_clear(f->st, "never-seen"), ERR_OK);
}

static void
store_throttle_purge_forgets_old_failures_only(void **state)
{
	struct fixture *f = *state;
	int64_t n = 0, last = 0;

	store_throttle_fail(f->st, "a:192.0.2.7", 1000, 900, &n);
	store_throttle_fail(f->st, "u:jansen", 5000, 900, &n);
	assert_int_equal(store_throttle_purge(f->st, 4000), ERR_OK);
	assert_int_equal(store_throttle_get(f->st, "a:192.0.2.7", &n, &last),
	                 ERR_OK);
	assert_int_equal(n, 0); /* gone: its last failure was before 4000 */
	assert_int_equal(store_throttle_get(f->st, "u:jansen", &n, &last),
	                 ERR_OK);
	assert_int_equal(n, 1);
	assert_int_equal(last, 5000);
}

static void
store_throttle_refuses_overlong_keys(void **state)
{
	struct fixture *f = *state;
	char key[STORE_KEY_MAX + 2];
	int64_t n = 0, last = 0;

	memset(key, 'k', sizeof(key) - 1);
	key[sizeof(key) - 1] = '\0';
	assert_int_equal(store_throttle_fail(f->st, key, 1, 900, &n),
	                 ERR_LIMIT);
	assert_int_equal(store_throttle_get(f->st, key, &n, &last), ERR_LIMIT);
	assert_int_equal(store_throttle_clear(f->st, key), ERR_LIMIT);
	key[STORE_KEY_MAX] = '\0';
	assert_int_equal(store_throttle_fail(f->st, key, 1, 900, &n), ERR_OK);
}

#define THREADS    4
#define PER_THREAD 50

static void *
fail_many(void *arg)
{
	struct store *st = arg;
	int64_t n;

	for (int i = 0; i < PER_THREAD; i++)
		if (store_throttle_fail(st, "shared", 1000, 900, &n) != ERR_OK)
			return arg;
	return NULL;
}

static void
store_throttle_counts_atomically_across_threads(void **state)
{
	struct fixture *f = *state;
	pthread_t t[THREADS];
	int64_t n = 0, last = 0;
	void *rv;

	for (int i = 0; i < THREADS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, fail_many, f->st),
		                 0);
	for (int i = 0; i < THREADS; i++) {
		assert_int_equal(pthread_join(t[i], &rv), 0);
		assert_null(rv);
	}
	assert_int_equal(store_throttle_get(f->st, "shared", &n, &last),
	                 ERR_OK);
	assert_int_equal(n, THREADS * PER_THREAD);
}

/* --- one attempt, checked and counted in one step --- */

static const struct throttle_rule rule = { 900, 60, 900 };

static int64_t
failures_of(struct store *st, const char *key, int64_t *last)
{
	int64_t n = 0, l = 0;

	assert_int_equal(store_throttle_get(st, key, &n, &l), ERR_OK);
	if (last != NULL)
		*last = l;
	return n;
}

static enum err
take_one(struct store *st, const char *key, int64_t max, int64_t now)
{
	struct throttle_key k = { key, max, 0 };

	return store_throttle_take(st, &k, 1, &rule, now);
}

static void
store_throttle_take_counts_every_key_until_one_is_locked(void **state)
{
	struct fixture *f = *state;
	struct throttle_key k[2] = { { "u:jansen", 3, 0 }, { "a:x", 10, 0 } };

	for (int i = 1; i <= 3; i++) {
		assert_int_equal(store_throttle_take(f->st, k, 2, &rule, 1000),
		                 ERR_OK);
		assert_int_equal(failures_of(f->st, "u:jansen", NULL), i);
		assert_int_equal(failures_of(f->st, "a:x", NULL), i);
	}
	/* the account is locked: nothing is counted on either key */
	assert_int_equal(store_throttle_take(f->st, k, 2, &rule, 1001),
	                 ERR_THROTTLED);
	assert_int_equal(failures_of(f->st, "u:jansen", NULL), 3);
	assert_int_equal(failures_of(f->st, "a:x", NULL), 3);
	/* a locked key listed second rolls the first one back too */
	k[0].key = "u:pietersen";
	k[1] = (struct throttle_key){ "u:jansen", 3, 0 };
	assert_int_equal(store_throttle_take(f->st, k, 2, &rule, 1002),
	                 ERR_THROTTLED);
	assert_int_equal(failures_of(f->st, "u:pietersen", NULL), 0);
}

static void
store_throttle_take_lets_one_through_after_the_lockout_and_doubles_it(
        void **state)
{
	struct fixture *f = *state;
	int64_t last = 0;

	for (int i = 0; i < 3; i++)
		assert_int_equal(take_one(f->st, "k", 3, 1000), ERR_OK);
	assert_int_equal(take_one(f->st, "k", 3, 1059), ERR_THROTTLED);
	/* 60 s after the last failure the lock is off: one more try */
	assert_int_equal(take_one(f->st, "k", 3, 1060), ERR_OK);
	assert_int_equal(failures_of(f->st, "k", &last), 4);
	assert_int_equal(last, 1060);
	/* one over the limit: 120 s now */
	assert_int_equal(take_one(f->st, "k", 3, 1179), ERR_THROTTLED);
	assert_int_equal(take_one(f->st, "k", 3, 1180), ERR_OK);
	/* capped at lockout_max however many failures there are */
	for (int i = 0; i < 40; i++)
		store_throttle_fail(f->st, "k", 2000, 900, &last);
	assert_int_equal(take_one(f->st, "k", 3, 2899), ERR_THROTTLED);
	assert_int_equal(take_one(f->st, "k", 3, 2900), ERR_OK);
}

static void
store_throttle_release_gives_the_attempt_back(void **state)
{
	struct fixture *f = *state;
	struct throttle_key k = { "a:x", 3, 0 };
	int64_t last = 0, n;

	/* three old failures, the lock over: a right password must not
	 * lock the key again */
	for (int i = 0; i < 3; i++)
		store_throttle_fail(f->st, "a:x", 1000, 900, &n);
	assert_int_equal(store_throttle_take(f->st, &k, 1, &rule, 1100),
	                 ERR_OK);
	assert_int_equal(k.prev, 1000);
	assert_int_equal(store_throttle_release(f->st, &k, 1100), ERR_OK);
	assert_int_equal(failures_of(f->st, "a:x", &last), 3);
	assert_int_equal(last, 1000);
	assert_int_equal(take_one(f->st, "a:x", 3, 1101), ERR_OK);
	/* a failure that came in between keeps its time */
	k.key = "a:y";
	assert_int_equal(store_throttle_take(f->st, &k, 1, &rule, 1200),
	                 ERR_OK);
	assert_int_equal(k.prev, 0);
	store_throttle_fail(f->st, "a:y", 1201, 900, &n);
	assert_int_equal(store_throttle_release(f->st, &k, 1200), ERR_OK);
	assert_int_equal(failures_of(f->st, "a:y", &last), 1);
	assert_int_equal(last, 1201);
}

static void
store_throttle_take_refuses_bad_arguments(void **state)
{
	struct fixture *f = *state;
	char key[STORE_KEY_MAX + 2];
	struct throttle_key k = { key, 3, 0 };
	struct throttle_rule bad = { 900, 0, 900 };

	memset(key, 'k', sizeof(key) - 1);
	key[sizeof(key) - 1] = '\0';
	assert_int_equal(store_throttle_take(f->st, &k, 1, &rule, 1),
	                 ERR_LIMIT);
	assert_int_equal(store_throttle_release(f->st, &k, 1), ERR_LIMIT);
	k.key = "k";
	assert_int_equal(store_throttle_take(f->st, &k, 1, &bad, 1),
	                 ERR_INVALID);
	k.max = 0;
	assert_int_equal(store_throttle_take(f->st, &k, 1, &rule, 1),
	                 ERR_LIMIT);
	assert_int_equal(failures_of(f->st, "k", NULL), 0);
}

#define TAKERS 30
#define LIMIT  5

struct taker {
	const char *url; /* its own connection, as another process has */
	pthread_barrier_t *go;
	int allowed;
};

static void *
take_many(void *arg)
{
	struct taker *t = arg;
	struct store *st = NULL;
	char msg[256];
	enum err e;

	if (store_open(t->url, &st, msg, sizeof(msg)) != ERR_OK)
		return arg;
	pthread_barrier_wait(t->go);
	for (int i = 0; i < TAKERS / 3; i++) {
		e = take_one(st, "u:shared", LIMIT, 5000);
		if (e == ERR_OK)
			t->allowed++;
		else if (e != ERR_THROTTLED)
			break;
	}
	store_close(st);
	return NULL;
}

static void
store_throttle_take_never_lets_more_than_the_limit_through(void **state)
{
	struct fixture *f = *state;
	pthread_barrier_t go;
	pthread_t t[3];
	struct taker tk[3];
	int allowed = 0;
	void *rv;

	/* three connections to one file, ten tries each at once */
	assert_int_equal(pthread_barrier_init(&go, NULL, 3), 0);
	for (int i = 0; i < 3; i++) {
		tk[i] = (struct taker){ f->url, &go, 0 };
		assert_int_equal(pthread_create(&t[i], NULL, take_many, &tk[i]),
		                 0);
	}
	for (int i = 0; i < 3; i++) {
		assert_int_equal(pthread_join(t[i], &rv), 0);
		assert_null(rv);
		allowed += tk[i].allowed;
	}
	pthread_barrier_destroy(&go);
	assert_int_equal(allowed, LIMIT);
	assert_int_equal(failures_of(f->st, "u:shared", NULL), LIMIT);
}

/* --- audit log --- */

struct audit_rows {
	int n;
	struct audit_entry e[16];
};

static int
collect_audit(const struct audit_entry *e, void *arg)
{
	struct audit_rows *r = arg;

	if (r->n < 16)
		r->e[r->n++] = *e;
	return 0;
}

static void
add_audit(struct fixture *f, enum audit_event ev, int64_t school_id,
          const char *detail, int64_t at)
{
	struct audit_entry e;

	memset(&e, 0, sizeof(e));
	e.event = ev;
	e.school_id = school_id;
	e.at = at;
	str_copy(e.actor, sizeof(e.actor), "cli");
	str_copy(e.addr, sizeof(e.addr), "cli");
	str_copy(e.detail, sizeof(e.detail), detail);
	assert_int_equal(store_audit_add(f->st, &e), ERR_OK);
	assert_true(e.id > 0);
}

static void
store_audit_add_sets_id_and_time(void **state)
{
	struct fixture *f = *state;
	struct audit_rows r = { 0 };

	add_audit(f, AUDIT_LOGOUT, 0, "", 0);
	add_audit(f, AUDIT_LOGOUT, 0, "", 12345);
	assert_int_equal(store_audit_list(f->st,
	                                  &(struct audit_filter){ .event = -1,
	                                                          .limit = 10 },
	                                  collect_audit, &r),
	                 ERR_OK);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.e[0].at, 12345);
	assert_true(r.e[1].at >= time_now() - 2);
	assert_true(r.e[0].id > r.e[1].id);
}

static void
store_audit_list_is_newest_first_and_limited(void **state)
{
	struct fixture *f = *state;
	struct audit_rows r = { 0 };

	add_audit(f, AUDIT_SCHOOL_CREATED, 0, "first", 0);
	add_audit(f, AUDIT_ACCOUNT_CREATED, 0, "second", 0);
	add_audit(f, AUDIT_LOGIN_OK, 0, "third", 0);
	assert_int_equal(store_audit_list(f->st,
	                                  &(struct audit_filter){ .event = -1,
	                                                          .limit = 10 },
	                                  collect_audit, &r),
	                 ERR_OK);
	assert_int_equal(r.n, 3);
	assert_string_equal(r.e[0].detail, "third");
	assert_int_equal(r.e[0].event, AUDIT_LOGIN_OK);
	assert_string_equal(r.e[2].detail, "first");
	assert_int_equal(r.e[2].event, AUDIT_SCHOOL_CREATED);
	assert_string_equal(r.e[2].actor, "cli");
	memset(&r, 0, sizeof(r));
	assert_int_equal(store_audit_list(f->st,
	                                  &(struct audit_filter){ .event = -1,
	                                                          .limit = 2 },
	                                  collect_audit, &r),
	                 ERR_OK);
	assert_int_equal(r.n, 2);
	assert_string_equal(r.e[1].detail, "second");
}

static void
store_audit_list_filters_by_school(void **state)
{
	struct fixture *f = *state;
	struct audit_rows r = { 0 };
	struct school s1, s2;

	add_school(f->st, "Een", "een", &s1);
	add_school(f->st, "Twee", "twee", &s2);
	add_audit(f, AUDIT_LOGIN_OK, s1.id, "een-1", 0);
	add_audit(f, AUDIT_LOGIN_OK, s2.id, "twee-1", 0);
	add_audit(f, AUDIT_LOGIN_OK, 0, "geen", 0);
	add_audit(f, AUDIT_LOGOUT, s1.id, "een-2", 0);
	assert_int_equal(
	        store_audit_list(f->st,
	                         &(struct audit_filter){ .school_id = s1.id,
	                                                 .event = -1,
	                                                 .limit = 10 },
	                         collect_audit, &r),
	        ERR_OK);
	assert_int_equal(r.n, 2);
	assert_string_equal(r.e[0].detail, "een-2");
	assert_string_equal(r.e[1].detail, "een-1");
	assert_int_equal(r.e[0].school_id, s1.id);
	memset(&r, 0, sizeof(r));
	assert_int_equal(store_audit_list(f->st,
	                                  &(struct audit_filter){ .event = -1,
	                                                          .limit = 10 },
	                                  collect_audit, &r),
	                 ERR_OK);
	assert_int_equal(r.n, 4);
	assert_int_equal(r.e[1].school_id, 0);
}

/* --- words --- */

/* --- libraries --- */

static int
count_library(const struct library *l, void *arg)
{
	(void)l;
	(*(int *)arg)++;
	return 0;
}

static void
add_library(struct store *st, const char *name, const char *slug,
            struct library *out)
{
	memset(out, 0, sizeof(*out));
	str_copy(out->name, sizeof(out->name), name);
	str_copy(out->slug, sizeof(out->slug), slug);
	assert_int_equal(store_library_add(st, out), ERR_OK);
}

static int
count_school(const struct school *s, void *arg)
{
	(void)s;
	(*(int *)arg)++;
	return 0;
}

static void
store_library_add_get_update_and_list(void **state)
{
	struct fixture *f = *state;
	struct library l, got;
	int n = 0;

	add_library(f->st, "Bibliotheek Twee", "twee", &l);
	assert_true(l.id > 1);
	assert_true(l.created > 0);
	assert_int_equal(store_library_by_slug(f->st, "twee", &got), ERR_OK);
	assert_int_equal(got.id, l.id);
	str_copy(l.contact.name, sizeof(l.contact.name), "Mies Bakker");
	str_copy(l.contact.phone, sizeof(l.contact.phone), "010 123 45 67");
	str_copy(l.contact.email, sizeof(l.contact.email), "scholen@twee.nl");
	assert_int_equal(store_library_update(f->st, &l), ERR_OK);
	assert_int_equal(store_library_get(f->st, l.id, &got), ERR_OK);
	assert_string_equal(got.contact.name, "Mies Bakker");
	assert_string_equal(got.contact.phone, "010 123 45 67");
	assert_string_equal(got.contact.email, "scholen@twee.nl");
	memset(&got, 0, sizeof(got));
	str_copy(got.name, sizeof(got.name), "Dubbel");
	str_copy(got.slug, sizeof(got.slug), "twee");
	assert_int_equal(store_library_add(f->st, &got), ERR_EXISTS);
	assert_int_equal(store_library_get(f->st, 999, &got), ERR_NOTFOUND);
	got.id = 999;
	assert_int_equal(store_library_update(f->st, &got), ERR_NOTFOUND);
	assert_int_equal(store_library_list(f->st, count_library, &n), ERR_OK);
	assert_int_equal(n, 2); /* the default one and "twee" */
}

static void
store_schools_and_accounts_belong_to_one_library(void **state)
{
	struct fixture *f = *state;
	struct library two;
	struct school a, b;
	struct account acct;
	int n = 0;

	add_library(f->st, "Bibliotheek Twee", "twee", &two);
	add_school(f->st, "Een", "een", &a);
	memset(&b, 0, sizeof(b));
	b.library_id = two.id;
	str_copy(b.name, sizeof(b.name), "Twee");
	str_copy(b.brin, sizeof(b.brin), "34CD");
	str_copy(b.slug, sizeof(b.slug), "twee-school");
	assert_int_equal(store_school_add(f->st, &b), ERR_OK);
	assert_int_equal(store_school_list(f->st, two.id, count_school, &n),
	                 ERR_OK);
	assert_int_equal(n, 1);
	n = 0;
	assert_int_equal(store_school_list(f->st, 0, count_school, &n), ERR_OK);
	assert_int_equal(n, 2);
	/* a school of an unknown library is not added */
	b.library_id = 999;
	str_copy(b.slug, sizeof(b.slug), "nergens");
	assert_int_equal(store_school_add(f->st, &b), ERR_NOTFOUND);
	/* a school's account gets its school's library */
	assert_int_equal(add_account(f->st, "juf", ROLE_DOCENT, a.id, &acct),
	                 ERR_OK);
	assert_int_equal(acct.library_id, 1);
	/* a school's account of another library's school is refused */
	memset(&acct, 0, sizeof(acct));
	str_copy(acct.username, sizeof(acct.username), "mis");
	str_copy(acct.pwhash, sizeof(acct.pwhash), "hash");
	acct.role = ROLE_DOCENT;
	acct.school_id = b.id;
	acct.library_id = 1;
	assert_int_equal(store_account_add(f->st, &acct), ERR_NOTFOUND);
	/* a library account needs its library */
	acct.role = ROLE_BIBLIOTHEEK;
	acct.school_id = 0;
	acct.library_id = 0;
	assert_int_equal(store_account_add(f->st, &acct), ERR_INVALID);
	acct.library_id = two.id;
	assert_int_equal(store_account_add(f->st, &acct), ERR_OK);
	assert_int_equal(store_account_get(f->st, acct.id, &acct), ERR_OK);
	assert_int_equal(acct.library_id, two.id);
}

static int
keep_overview(const struct school_overview *o, void *arg)
{
	*(struct school_overview *)arg = *o;
	return 0;
}

static void
store_school_overview_counts_accounts(void **state)
{
	struct fixture *f = *state;
	struct school_overview o;
	struct school a;
	struct account acct;

	add_school(f->st, "Een", "een", &a);
	assert_int_equal(add_account(f->st, "juf", ROLE_DOCENT, a.id, &acct),
	                 ERR_OK);
	assert_int_equal(
	        add_account(f->st, "meester", ROLE_DOCENT, a.id, &acct),
	        ERR_OK);
	memset(&o, 0, sizeof(o));
	assert_int_equal(store_school_overview(f->st, 1, keep_overview, &o),
	                 ERR_OK);
	assert_int_equal(o.school.id, a.id);
	assert_int_equal(o.accounts, 2);
	assert_int_equal(o.pupils, 0);
	assert_int_equal(o.last_applied, 0);
	assert_int_equal(o.open_previews, 0);
	memset(&o, 0, sizeof(o));
	assert_int_equal(store_school_overview(f->st, 999, keep_overview, &o),
	                 ERR_OK);
	assert_int_equal(o.school.id, 0);
}

static void
store_school_update_writes_name_brin_and_contact(void **state)
{
	struct fixture *f = *state;
	struct school a, got;

	add_school(f->st, "Een", "een", &a);
	str_copy(a.name, sizeof(a.name), "Een Nieuw");
	str_copy(a.brin, sizeof(a.brin), "99ZZ");
	str_copy(a.contact.email, sizeof(a.contact.email), "ib@een.nl");
	str_copy(a.slug, sizeof(a.slug), "ander"); /* not written */
	assert_int_equal(store_school_update(f->st, &a), ERR_OK);
	assert_int_equal(store_school_get(f->st, a.id, &got), ERR_OK);
	assert_string_equal(got.name, "Een Nieuw");
	assert_string_equal(got.brin, "99ZZ");
	assert_string_equal(got.contact.email, "ib@een.nl");
	assert_string_equal(got.slug, "een");
}

static void
store_totp_step_refuses_replays_and_recovery_codes_work_once(void **state)
{
	struct fixture *f = *state;
	static const char hashes[2][65] = { "aa", "bb" };
	struct account a;
	int64_t n = -1;

	assert_int_equal(add_account(f->st, "bieb", ROLE_BIBLIOTHEEK, 0, &a),
	                 ERR_OK);
	assert_int_equal(store_account_set_totp(f->st, a.id, "SECRET", "", 0),
	                 ERR_OK);
	assert_int_equal(store_account_totp_step(f->st, a.id, 100), ERR_OK);
	assert_int_equal(store_account_totp_step(f->st, a.id, 100), ERR_EXISTS);
	assert_int_equal(store_account_totp_step(f->st, a.id, 99), ERR_EXISTS);
	assert_int_equal(store_account_totp_step(f->st, a.id, 101), ERR_OK);
	assert_int_equal(store_account_get(f->st, a.id, &a), ERR_OK);
	assert_string_equal(a.totp_secret, "SECRET");
	assert_int_equal(a.totp_step, 101);
	assert_int_equal(store_recovery_set(f->st, a.id, hashes, 2), ERR_OK);
	assert_int_equal(store_recovery_count(f->st, a.id, &n), ERR_OK);
	assert_int_equal(n, 2);
	assert_int_equal(store_recovery_use(f->st, a.id, "aa"), ERR_OK);
	assert_int_equal(store_recovery_use(f->st, a.id, "aa"), ERR_NOTFOUND);
	assert_int_equal(store_recovery_use(f->st, a.id, "cc"), ERR_NOTFOUND);
	assert_int_equal(store_recovery_set(f->st, a.id, hashes, 0), ERR_OK);
	assert_int_equal(store_recovery_use(f->st, a.id, "bb"), ERR_NOTFOUND);
}

static void
store_audit_list_filters_by_library_account_event_and_time(void **state)
{
	struct fixture *f = *state;
	struct library two;
	struct school b;
	struct audit_rows r = { 0 };
	struct audit_entry e;

	add_library(f->st, "Bibliotheek Twee", "twee", &two);
	memset(&b, 0, sizeof(b));
	b.library_id = two.id;
	str_copy(b.name, sizeof(b.name), "Twee");
	str_copy(b.brin, sizeof(b.brin), "34CD");
	str_copy(b.slug, sizeof(b.slug), "twee-school");
	assert_int_equal(store_school_add(f->st, &b), ERR_OK);
	add_audit(f, AUDIT_LOGIN_OK, b.id, "twee-1", 0);
	add_audit(f, AUDIT_LOGOUT, b.id, "twee-2", 0);
	add_audit(f, AUDIT_LOGIN_OK, 0, "geen", 0);
	memset(&e, 0, sizeof(e));
	e.event = AUDIT_LOGIN_FAILED;
	e.account_id = 77;
	e.at = 1000;
	e.library_id = two.id; /* given: kept */
	str_copy(e.actor, sizeof(e.actor), "x");
	str_copy(e.detail, sizeof(e.detail), "old");
	assert_int_equal(store_audit_add(f->st, &e), ERR_OK);
	assert_int_equal(e.library_id, two.id);
	assert_int_equal(
	        store_audit_list(f->st,
	                         &(struct audit_filter){ .library_id = two.id,
	                                                 .event = -1,
	                                                 .limit = 10 },
	                         collect_audit, &r),
	        ERR_OK);
	assert_int_equal(r.n, 3);
	assert_string_equal(r.e[0].detail, "old");
	assert_int_equal(r.e[1].library_id, two.id);
	memset(&r, 0, sizeof(r));
	assert_int_equal(store_audit_list(f->st,
	                                  &(struct audit_filter){
	                                          .library_id = two.id,
	                                          .event = AUDIT_LOGIN_OK,
	                                          .limit = 10 },
	                                  collect_audit, &r),
	                 ERR_OK);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.e[0].detail, "twee-1");
	memset(&r, 0, sizeof(r));
	assert_int_equal(
	        store_audit_list(f->st,
	                         &(struct audit_filter){ .account_id = 77,
	                                                 .event = -1,
	                                                 .to = 2000,
	                                                 .limit = 10 },
	                         collect_audit, &r),
	        ERR_OK);
	assert_int_equal(r.n, 1);
	memset(&r, 0, sizeof(r));
	assert_int_equal(
	        store_audit_list(f->st,
	                         &(struct audit_filter){ .event = -1,
	                                                 .from = 2000,
	                                                 .before = e.id,
	                                                 .limit = 1 },
	                         collect_audit, &r),
	        ERR_OK);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.e[0].detail, "geen");
}

static void
role_words_round_trip(void **state)
{
	enum role r;

	(void)state;
	assert_string_equal(role_word(ROLE_DOCENT), "docent");
	assert_string_equal(role_word(ROLE_BIBLIOTHEEK), "bibliotheek");
	for (int i = 0; i < ROLE__MAX; i++) {
		assert_int_equal(role_parse(role_word((enum role)i), &r),
		                 ERR_OK);
		assert_int_equal(r, i);
	}
	assert_string_equal(role_word(ROLE__MAX), "?");
	assert_int_equal(role_parse("Docent", &r), ERR_INVALID);
	assert_int_equal(role_parse("admin", &r), ERR_INVALID);
	assert_int_equal(role_parse("", &r), ERR_INVALID);
}

static void
audit_event_words_round_trip_and_are_distinct(void **state)
{
	enum audit_event e;

	(void)state;
	assert_string_equal(audit_event_word(AUDIT_LOGIN_OK), "login_ok");
	for (int i = 0; i < AUDIT__MAX; i++) {
		const char *w = audit_event_word((enum audit_event)i);

		assert_string_not_equal(w, "?");
		assert_int_equal(audit_event_parse(w, &e), ERR_OK);
		assert_int_equal(e, i);
		for (int k = 0; k < i; k++)
			assert_string_not_equal(
			        w, audit_event_word((enum audit_event)k));
	}
	assert_string_equal(audit_event_word(AUDIT__MAX), "?");
	assert_int_equal(audit_event_parse("login", &e), ERR_INVALID);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(store_open_fresh_file_reaches_the_newest_schema),
		T(store_open_migrates_a_text_summary_into_tables),
		T(store_open_fresh_file_has_every_table),
		T(store_open_twice_is_idempotent_and_keeps_data),
		T(store_open_refuses_a_newer_schema_with_a_message),
		cmocka_unit_test(store_open_refuses_unknown_urls),
		cmocka_unit_test(store_open_reports_a_file_it_cannot_open),
		T(store_open_refuses_a_file_that_is_not_a_database),
		T(store_open_creates_a_missing_parent_directory),
		cmocka_unit_test(store_close_accepts_null),
		T(store_connection_uses_wal),
		T(store_connection_enforces_foreign_keys),
		T(store_two_handles_on_one_file_see_each_other),
		T(store_school_add_sets_id_and_created),
		T(store_school_slug_is_unique),
		T(store_school_lookups_of_missing_schools_find_nothing),
		T(store_school_list_is_ordered_by_name_and_can_stop),
		T(store_school_name_survives_quotes_and_unicode),
		T(store_account_add_and_get),
		T(store_username_is_unique_ignoring_case),
		T(store_account_by_name_of_missing_or_overlong_names_finds_nothing),
		T(store_account_role_and_school_must_match),
		T(store_schema_itself_refuses_bad_roles_and_schools),
		T(store_account_list_filters_by_school_and_orders_by_name),
		T(store_account_set_password_and_disable),
		T(store_account_changes_to_missing_accounts_find_nothing),
		T(store_account_logged_in_keeps_the_previous_login),
		T(store_session_add_get_touch_delete),
		T(store_session_id_is_unique),
		T(store_session_delete_account_can_keep_one),
		T(store_session_purge_removes_idle_and_old_sessions),
		T(store_throttle_counts_failures),
		T(store_throttle_restarts_after_the_window),
		T(store_throttle_clear_forgets_the_key),
		T(store_throttle_purge_forgets_old_failures_only),
		T(store_throttle_refuses_overlong_keys),
		T(store_throttle_counts_atomically_across_threads),
		T(store_throttle_take_counts_every_key_until_one_is_locked),
		T(store_throttle_take_lets_one_through_after_the_lockout_and_doubles_it),
		T(store_throttle_take_refuses_bad_arguments),
		T(store_throttle_release_gives_the_attempt_back),
		T(store_throttle_take_never_lets_more_than_the_limit_through),
		T(store_audit_add_sets_id_and_time),
		T(store_audit_list_is_newest_first_and_limited),
		T(store_audit_list_filters_by_school),
		T(store_library_add_get_update_and_list),
		T(store_schools_and_accounts_belong_to_one_library),
		T(store_school_overview_counts_accounts),
		T(store_school_update_writes_name_brin_and_contact),
		T(store_totp_step_refuses_replays_and_recovery_codes_work_once),
		T(store_audit_list_filters_by_library_account_event_and_time),
		cmocka_unit_test(role_words_round_trip),
		cmocka_unit_test(audit_event_words_round_trip_and_are_distinct),
	};

	return cmocka_run_group_tests_name("store/store", tests, NULL, NULL);
}
