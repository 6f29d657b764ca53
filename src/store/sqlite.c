/*
 * The SQLite backend: the embedded default database.
 *
 * One connection per struct store, used under a mutex: SQLite serialises
 * writers anyway and every operation here is short.  The connection runs in
 * WAL mode with synchronous=FULL (a confirmed change survives a power cut),
 * foreign keys on, a busy timeout (another process such as the admin cli may
 * hold the write lock briefly) and SQLITE_DBCONFIG_DEFENSIVE (no way to
 * corrupt the file through SQL).  Every statement is declared once in the
 * stmts table and run with bound parameters only.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sqlite_int.h"
#include "../base/log.h"
#include "../base/mem.h"
#include "../base/strparse.h"
#include "../base/text.h"

/* Numbered migrations: entry i brings the schema to version i + 1.  Never
 * edit an entry that has shipped; append a new one. */
static const char *const migrations[] = {
	/* 1: schools, accounts, sessions, throttling, audit log */
	"CREATE TABLE schools ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL,"
	"  brin TEXT NOT NULL,"
	"  slug TEXT NOT NULL UNIQUE,"
	"  created INTEGER NOT NULL);"
	"CREATE TABLE accounts ("
	"  id INTEGER PRIMARY KEY,"
	"  username TEXT NOT NULL UNIQUE COLLATE NOCASE,"
	"  role TEXT NOT NULL CHECK (role IN ('docent', 'bibliotheek')),"
	"  school_id INTEGER REFERENCES schools(id),"
	"  pwhash TEXT NOT NULL,"
	"  must_change INTEGER NOT NULL,"
	"  disabled INTEGER NOT NULL DEFAULT 0,"
	"  created INTEGER NOT NULL,"
	"  last_login INTEGER NOT NULL DEFAULT 0,"
	"  previous_login INTEGER NOT NULL DEFAULT 0,"
	"  password_changed INTEGER NOT NULL,"
	"  CHECK ((role = 'docent') = (school_id IS NOT NULL)));"
	"CREATE INDEX accounts_school ON accounts(school_id);"
	"CREATE TABLE sessions ("
	"  id_hash TEXT PRIMARY KEY,"
	"  account_id INTEGER NOT NULL REFERENCES accounts(id)"
	"    ON DELETE CASCADE,"
	"  created INTEGER NOT NULL,"
	"  last_seen INTEGER NOT NULL);"
	"CREATE INDEX sessions_account ON sessions(account_id);"
	"CREATE TABLE throttle ("
	"  key TEXT PRIMARY KEY,"
	"  failures INTEGER NOT NULL,"
	"  last_failure INTEGER NOT NULL);"
	"CREATE TABLE audit_log ("
	"  id INTEGER PRIMARY KEY,"
	"  at INTEGER NOT NULL,"
	"  event TEXT NOT NULL,"
	"  account_id INTEGER,"
	"  school_id INTEGER,"
	"  actor TEXT NOT NULL,"
	"  addr TEXT NOT NULL,"
	"  detail TEXT NOT NULL);"
	"CREATE INDEX audit_school ON audit_log(school_id, id);",

	/* 2: students, imports and their change journal */
	"ALTER TABLE schools ADD COLUMN"
	"  roster_version INTEGER NOT NULL DEFAULT 0;"
	"CREATE TABLE students ("
	"  id INTEGER PRIMARY KEY,"
	"  school_id INTEGER NOT NULL REFERENCES schools(id),"
	"  number TEXT NOT NULL,"
	"  number_key TEXT NOT NULL,"
	"  roepnaam TEXT NOT NULL,"
	"  tussenvoegsel TEXT NOT NULL,"
	"  achternaam TEXT NOT NULL,"
	"  birth INTEGER NOT NULL,"
	"  group_name TEXT NOT NULL,"
	"  group_key TEXT NOT NULL,"
	"  jaargroep INTEGER NOT NULL,"
	"  active INTEGER NOT NULL,"
	"  enrolled INTEGER NOT NULL,"
	"  left_at INTEGER NOT NULL DEFAULT 0,"
	"  anonymised INTEGER NOT NULL DEFAULT 0,"
	"  UNIQUE (school_id, number_key));"
	"CREATE TABLE imports ("
	"  id INTEGER PRIMARY KEY,"
	"  school_id INTEGER NOT NULL REFERENCES schools(id),"
	"  account_id INTEGER,"
	"  actor TEXT NOT NULL,"
	"  created INTEGER NOT NULL,"
	"  decided INTEGER NOT NULL DEFAULT 0,"
	"  state TEXT NOT NULL,"
	"  filename TEXT NOT NULL,"
	"  size INTEGER NOT NULL,"
	"  sha256 TEXT NOT NULL,"
	"  format TEXT NOT NULL,"
	"  layout TEXT NOT NULL,"
	"  roster_version INTEGER NOT NULL,"
	"  version_after INTEGER NOT NULL DEFAULT 0,"
	"  guard INTEGER NOT NULL,"
	"  n_new INTEGER NOT NULL, n_left INTEGER NOT NULL,"
	"  n_moved INTEGER NOT NULL, n_corrected INTEGER NOT NULL,"
	"  n_reenrolled INTEGER NOT NULL, n_renumbered INTEGER NOT NULL,"
	"  n_unchanged INTEGER NOT NULL,"
	"  guard_unenrol INTEGER NOT NULL, guard_match INTEGER NOT NULL,"
	"  active_before INTEGER NOT NULL, matched INTEGER NOT NULL,"
	"  sheet TEXT NOT NULL, header_row INTEGER NOT NULL,"
	"  n_errors INTEGER NOT NULL, n_warnings INTEGER NOT NULL,"
	"  blocked INTEGER NOT NULL, summary TEXT NOT NULL);"
	"CREATE TABLE import_issues ("
	"  import_id INTEGER NOT NULL REFERENCES imports(id)"
	"    ON DELETE CASCADE,"
	"  seq INTEGER NOT NULL,"
	"  code TEXT NOT NULL,"
	"  row INTEGER NOT NULL,"
	"  col INTEGER NOT NULL,"
	"  arg INTEGER NOT NULL,"
	"  text TEXT NOT NULL,"
	"  PRIMARY KEY (import_id, seq)) WITHOUT ROWID;"
	"CREATE INDEX imports_school ON imports(school_id, id);"
	"CREATE TABLE import_changes ("
	"  import_id INTEGER NOT NULL REFERENCES imports(id)"
	"    ON DELETE CASCADE,"
	"  seq INTEGER NOT NULL,"
	"  kind TEXT NOT NULL,"
	"  student_id INTEGER NOT NULL,"
	"  row INTEGER NOT NULL,"
	"  old_number TEXT NOT NULL, old_number_key TEXT NOT NULL,"
	"  old_roepnaam TEXT NOT NULL,"
	"  old_tussenvoegsel TEXT NOT NULL, old_achternaam TEXT NOT NULL,"
	"  old_birth INTEGER NOT NULL, old_group TEXT NOT NULL,"
	"  old_group_key TEXT NOT NULL, old_jaargroep INTEGER NOT NULL,"
	"  old_active INTEGER NOT NULL, old_enrolled INTEGER NOT NULL,"
	"  old_left_at INTEGER NOT NULL,"
	"  new_number TEXT NOT NULL, new_number_key TEXT NOT NULL,"
	"  new_roepnaam TEXT NOT NULL, new_tussenvoegsel TEXT NOT NULL,"
	"  new_achternaam TEXT NOT NULL, new_birth INTEGER NOT NULL,"
	"  new_group TEXT NOT NULL, new_group_key TEXT NOT NULL,"
	"  new_jaargroep INTEGER NOT NULL,"
	"  PRIMARY KEY (import_id, seq)) WITHOUT ROWID;",

	/* 3: a school's roster in id order (store_roster_load) straight from
	 * an index, instead of a lookup per student through the
	 * (school_id, number_key) index and a sort */
	"CREATE INDEX students_school ON students(school_id);",

	/* 4: the preview as tables instead of a text summary (the columns
	 * and groups of earlier imports are carried over line by line), and
	 * counts for the two new kinds of change */
	"CREATE TABLE import_columns ("
	"  import_id INTEGER NOT NULL REFERENCES imports(id)"
	"    ON DELETE CASCADE,"
	"  seq INTEGER NOT NULL,"
	"  col INTEGER NOT NULL,"
	"  field INTEGER NOT NULL,"
	"  stored INTEGER NOT NULL,"
	"  bsn INTEGER NOT NULL,"
	"  header TEXT NOT NULL,"
	"  PRIMARY KEY (import_id, seq)) WITHOUT ROWID;"
	"CREATE TABLE import_groups ("
	"  import_id INTEGER NOT NULL REFERENCES imports(id)"
	"    ON DELETE CASCADE,"
	"  seq INTEGER NOT NULL,"
	"  group_key TEXT NOT NULL,"
	"  name_before TEXT NOT NULL,"
	"  name_after TEXT NOT NULL,"
	"  n_before INTEGER NOT NULL,"
	"  n_after INTEGER NOT NULL,"
	"  code TEXT NOT NULL,"
	"  PRIMARY KEY (import_id, seq)) WITHOUT ROWID;"
	/* summary lines: "C\tcol\tfield\tstored\tbsn\theader" and
	 * "G\tname\tbefore\tafter" */
	"CREATE TEMP TABLE summary_lines AS"
	" WITH RECURSIVE l(import_id, seq, line, rest) AS ("
	"  SELECT id, 0, '', summary || char(10) FROM imports"
	"  UNION ALL"
	"  SELECT import_id, seq + 1, substr(rest, 1, instr(rest, char(10)) - 1),"
	"   substr(rest, instr(rest, char(10)) + 1) FROM l WHERE rest <> ''),"
	" f1(import_id, seq, kind, a, r) AS ("
	"  SELECT import_id, seq, substr(line, 1, 1),"
	"   substr(line, 3, instr(substr(line, 3), char(9)) - 1),"
	"   substr(substr(line, 3), instr(substr(line, 3), char(9)) + 1)"
	"  FROM l WHERE line LIKE 'C' || char(9) || '%'"
	"   OR line LIKE 'G' || char(9) || '%'),"
	" f2(import_id, seq, kind, a, b, r) AS ("
	"  SELECT import_id, seq, kind, a, substr(r, 1, instr(r, char(9)) - 1),"
	"   substr(r, instr(r, char(9)) + 1) FROM f1)"
	" SELECT import_id, seq, kind, a, b,"
	"  substr(r, 1, instr(r, char(9)) - 1) AS c,"
	"  substr(r, instr(r, char(9)) + 1) AS rest FROM f2;"
	"INSERT INTO import_groups SELECT import_id, seq, lower(a), a, a,"
	" CAST(b AS INTEGER), CAST(rest AS INTEGER), ''"
	" FROM temp.summary_lines WHERE kind = 'G';"
	"INSERT INTO import_columns SELECT import_id, seq, CAST(a AS INTEGER),"
	" max(CAST(b AS INTEGER), 0), CAST(c AS INTEGER),"
	" CAST(substr(rest, 1, instr(rest, char(9)) - 1) AS INTEGER),"
	" substr(rest, instr(rest, char(9)) + 1)"
	" FROM temp.summary_lines WHERE kind = 'C' AND instr(rest, char(9)) > 0;"
	"DROP TABLE temp.summary_lines;"
	"ALTER TABLE imports DROP COLUMN summary;"
	"ALTER TABLE imports ADD COLUMN n_jaargroep INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE imports ADD COLUMN n_group_name INTEGER NOT NULL DEFAULT 0;",

	/* 5: an issue names its pupil (personal data like the cell's text
	 * beside it, deleted with it by the purge); earlier issues have
	 * none */
	"ALTER TABLE import_issues ADD COLUMN name TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE import_issues ADD COLUMN number TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE import_issues ADD COLUMN other TEXT NOT NULL DEFAULT '';",
};

#define MIGRATIONS (int)(sizeof(migrations) / sizeof(migrations[0]))

#define SCHOOL_COLS "id, name, brin, slug, created"
#define ACCOUNT_COLS                                                           \
	"id, username, role, coalesce(school_id, 0), pwhash, must_change,"     \
	" disabled, created, last_login, previous_login, password_changed"

/* Every statement this backend runs. */
enum stmt {
	STMT_SCHOOL_ADD,
	STMT_SCHOOL_GET,
	STMT_SCHOOL_BY_SLUG,
	STMT_SCHOOL_LIST,
	STMT_ACCOUNT_ADD,
	STMT_ACCOUNT_GET,
	STMT_ACCOUNT_BY_NAME,
	STMT_ACCOUNT_LIST,
	STMT_ACCOUNT_LIST_SCHOOL,
	STMT_ACCOUNT_SET_PASSWORD,
	STMT_ACCOUNT_DISABLE,
	STMT_ACCOUNT_LOGGED_IN,
	STMT_SESSION_ADD,
	STMT_SESSION_GET,
	STMT_SESSION_TOUCH,
	STMT_SESSION_DELETE,
	STMT_SESSION_DELETE_ACCOUNT,
	STMT_SESSION_DELETE_ACCOUNT_EXCEPT,
	STMT_SESSION_PURGE,
	STMT_THROTTLE_GET,
	STMT_THROTTLE_FAIL,
	STMT_THROTTLE_CLEAR,
	STMT_AUDIT_ADD,
	STMT_AUDIT_LIST,
	STMT_AUDIT_LIST_SCHOOL,
	STMT__MAX
};
_Static_assert(STMT__MAX <= SQ_CACHE, "raise SQ_CACHE");

static const char *const stmt_sql[STMT__MAX] = {
	[STMT_SCHOOL_ADD] = "INSERT INTO schools (name, brin, slug, created)"
	                    " VALUES (?, ?, ?, ?)",
	[STMT_SCHOOL_GET] = "SELECT " SCHOOL_COLS " FROM schools WHERE id = ?",
	[STMT_SCHOOL_BY_SLUG] =
	        "SELECT " SCHOOL_COLS " FROM schools WHERE slug = ?",
	[STMT_SCHOOL_LIST] =
	        "SELECT " SCHOOL_COLS " FROM schools ORDER BY name, id",
	[STMT_ACCOUNT_ADD] = "INSERT INTO accounts (username, role, school_id,"
	                     " pwhash, must_change, disabled, created,"
	                     " password_changed)"
	                     " VALUES (?, ?, nullif(?, 0), ?, ?, 0, ?, ?)",
	[STMT_ACCOUNT_GET] =
	        "SELECT " ACCOUNT_COLS " FROM accounts WHERE id = ?",
	[STMT_ACCOUNT_BY_NAME] =
	        "SELECT " ACCOUNT_COLS " FROM accounts WHERE username = ?",
	[STMT_ACCOUNT_LIST] =
	        "SELECT " ACCOUNT_COLS " FROM accounts ORDER BY username",
	[STMT_ACCOUNT_LIST_SCHOOL] =
	        "SELECT " ACCOUNT_COLS " FROM accounts WHERE school_id = ?"
	        " ORDER BY username",
	[STMT_ACCOUNT_SET_PASSWORD] = "UPDATE accounts SET pwhash = ?,"
	                              " must_change = ?, password_changed = ?"
	                              " WHERE id = ?",
	[STMT_ACCOUNT_DISABLE] = "UPDATE accounts SET disabled = 1"
	                         " WHERE id = ?",
	[STMT_ACCOUNT_LOGGED_IN] = "UPDATE accounts SET"
	                           " previous_login = last_login,"
	                           " last_login = ?"
	                           " WHERE id = ?",
	[STMT_SESSION_ADD] = "INSERT INTO sessions (id_hash, account_id,"
	                     " created, last_seen) VALUES (?, ?, ?, ?)",
	[STMT_SESSION_GET] = "SELECT id_hash, account_id, created, last_seen"
	                     " FROM sessions WHERE id_hash = ?",
	[STMT_SESSION_TOUCH] = "UPDATE sessions SET last_seen = ?"
	                       " WHERE id_hash = ?",
	[STMT_SESSION_DELETE] = "DELETE FROM sessions WHERE id_hash = ?",
	[STMT_SESSION_DELETE_ACCOUNT] = "DELETE FROM sessions"
	                                " WHERE account_id = ?",
	[STMT_SESSION_DELETE_ACCOUNT_EXCEPT] = "DELETE FROM sessions"
	                                       " WHERE account_id = ?"
	                                       " AND id_hash <> ?",
	[STMT_SESSION_PURGE] = "DELETE FROM sessions WHERE last_seen < ?"
	                       " OR created < ?",
	[STMT_THROTTLE_GET] = "SELECT failures, last_failure FROM throttle"
	                      " WHERE key = ?",
	[STMT_THROTTLE_FAIL] =
	        "INSERT INTO throttle (key, failures, last_failure)"
	        " VALUES (?1, 1, ?2) ON CONFLICT (key) DO UPDATE SET"
	        " failures = CASE WHEN last_failure < ?2 - ?3 THEN 1"
	        "   ELSE failures + 1 END,"
	        " last_failure = ?2 RETURNING failures",
	[STMT_THROTTLE_CLEAR] = "DELETE FROM throttle WHERE key = ?",
	[STMT_AUDIT_ADD] =
	        "INSERT INTO audit_log (at, event, account_id,"
	        " school_id, actor, addr, detail)"
	        " VALUES (?, ?, nullif(?, 0), nullif(?, 0), ?, ?, ?)",
	[STMT_AUDIT_LIST] = "SELECT id, at, event, coalesce(account_id, 0),"
	                    " coalesce(school_id, 0), actor, addr, detail"
	                    " FROM audit_log ORDER BY id DESC LIMIT ?",
	[STMT_AUDIT_LIST_SCHOOL] = "SELECT id, at, event,"
	                           " coalesce(account_id, 0),"
	                           " coalesce(school_id, 0), actor, addr,"
	                           " detail FROM audit_log WHERE school_id = ?"
	                           " ORDER BY id DESC LIMIT ?",
};

static struct sqlite_store *
S(struct store *st)
{
	return (struct sqlite_store *)st;
}

enum err
sq_err(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK:
	case SQLITE_DONE:
	case SQLITE_ROW:
		return ERR_OK;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return ERR_BUSY;
	case SQLITE_CONSTRAINT:
		/* extended codes are on: tell a taken name from a bad one */
		return rc == SQLITE_CONSTRAINT_UNIQUE ||
		                       rc == SQLITE_CONSTRAINT_PRIMARYKEY
		               ? ERR_EXISTS
		               : ERR_INVALID;
	case SQLITE_TOOBIG:
		return ERR_LIMIT;
	case SQLITE_FULL:
		return ERR_FULL;
	default:
		return ERR_DB;
	}
}

/* sq_bind; with borrow, text is bound without a copy (SQLITE_STATIC) and
 * must stay valid until the caller clears the bindings. */
static sqlite3_stmt *
bind_args(struct sqlite_store *s, sqlite3_stmt **slot, const char *sql,
          const struct sq_arg *args, size_t n, bool borrow)
{
	sqlite3_stmt *q = *slot;
	int rc = SQLITE_OK;

	if (q == NULL) {
		rc = sqlite3_prepare_v3(s->db, sql, -1,
		                        SQLITE_PREPARE_PERSISTENT, &q, NULL);
		if (rc != SQLITE_OK) {
			log_error(NULL, "sqlite: prepare '%.60s': %s", sql,
			          sqlite3_errmsg(s->db));
			return NULL;
		}
		*slot = q;
	}
	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
	for (size_t i = 0; i < n && rc == SQLITE_OK; i++)
		rc = args[i].type == 't'
		             ? sqlite3_bind_text(q, (int)i + 1, args[i].t, -1,
		                                 borrow ? SQLITE_STATIC
		                                        : SQLITE_TRANSIENT)
		             : sqlite3_bind_int64(q, (int)i + 1, args[i].i);
	if (rc != SQLITE_OK && borrow)
		sqlite3_clear_bindings(q);
	return rc == SQLITE_OK ? q : NULL;
}

sqlite3_stmt *
sq_bind(struct sqlite_store *s, sqlite3_stmt **slot, const char *sql,
        const struct sq_arg *args, size_t n)
{
	return bind_args(s, slot, sql, args, n, false);
}

enum err
sq_exec(struct sqlite_store *s, sqlite3_stmt **slot, const char *sql,
        const struct sq_arg *args, size_t n)
{
	/* The statement runs to completion inside this call, while the
	 * caller's text is alive: bind it without copying (a malloc and a
	 * copy per text parameter, a fifth of staging a large import) and
	 * clear the bindings before returning. */
	sqlite3_stmt *q = bind_args(s, slot, sql, args, n, true);
	int rc;

	if (q == NULL)
		return ERR_DB;
	rc = sqlite3_step(q);
	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		log_debug(NULL, "sqlite: %s", sqlite3_errmsg(s->db));
	return sq_err(rc);
}

enum err
sq_run(struct sqlite_store *s, const char *sql)
{
	return sq_err(sqlite3_exec(s->db, sql, NULL, NULL, NULL));
}

/* Run statement id (see sq_exec). */
static enum err
exec(struct sqlite_store *s, enum stmt id, const struct sq_arg *args, size_t n)
{
	return sq_exec(s, &s->stmts[id], stmt_sql[id], args, n);
}

/* Start a query: the caller steps it and must sqlite3_reset it. */
static sqlite3_stmt *
query(struct sqlite_store *s, enum stmt id, const struct sq_arg *args, size_t n)
{
	return sq_bind(s, &s->stmts[id], stmt_sql[id], args, n);
}

void
sq_col_text(sqlite3_stmt *q, int col, char *out, size_t outsz)
{
	const unsigned char *t = sqlite3_column_text(q, col);

	if (t == NULL || str_copy(out, outsz, (const char *)t) != ERR_OK)
		out[0] = '\0';
}

static void
row_school(sqlite3_stmt *q, struct school *o)
{
	memset(o, 0, sizeof(*o));
	o->id = sqlite3_column_int64(q, 0);
	sq_col_text(q, 1, o->name, sizeof(o->name));
	sq_col_text(q, 2, o->brin, sizeof(o->brin));
	sq_col_text(q, 3, o->slug, sizeof(o->slug));
	o->created = sqlite3_column_int64(q, 4);
}

static void
row_account(sqlite3_stmt *q, struct account *o)
{
	char role[16];

	memset(o, 0, sizeof(*o));
	o->id = sqlite3_column_int64(q, 0);
	sq_col_text(q, 1, o->username, sizeof(o->username));
	sq_col_text(q, 2, role, sizeof(role));
	if (role_parse(role, &o->role) != ERR_OK)
		o->role = ROLE_DOCENT;
	o->school_id = sqlite3_column_int64(q, 3);
	sq_col_text(q, 4, o->pwhash, sizeof(o->pwhash));
	o->must_change = sqlite3_column_int(q, 5) != 0;
	o->disabled = sqlite3_column_int(q, 6) != 0;
	o->created = sqlite3_column_int64(q, 7);
	o->last_login = sqlite3_column_int64(q, 8);
	o->previous_login = sqlite3_column_int64(q, 9);
	o->password_changed = sqlite3_column_int64(q, 10);
}

static void
row_audit(sqlite3_stmt *q, struct audit_entry *o)
{
	char ev[32];

	memset(o, 0, sizeof(*o));
	o->id = sqlite3_column_int64(q, 0);
	o->at = sqlite3_column_int64(q, 1);
	sq_col_text(q, 2, ev, sizeof(ev));
	if (audit_event_parse(ev, &o->event) != ERR_OK)
		o->event = AUDIT__MAX;
	o->account_id = sqlite3_column_int64(q, 3);
	o->school_id = sqlite3_column_int64(q, 4);
	sq_col_text(q, 5, o->actor, sizeof(o->actor));
	sq_col_text(q, 6, o->addr, sizeof(o->addr));
	sq_col_text(q, 7, o->detail, sizeof(o->detail));
}

/* Step a query expected to yield at most one row, read by fill. */
static enum err
one_row(sqlite3_stmt *q, void (*fill)(sqlite3_stmt *, void *), void *out)
{
	int rc;
	enum err e;

	if (q == NULL)
		return ERR_DB;
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		fill(q, out);
		e = ERR_OK;
	} else {
		e = rc == SQLITE_DONE ? ERR_NOTFOUND : sq_err(rc);
	}
	sqlite3_reset(q);
	return e;
}

enum err
sq_collect(sqlite3_stmt *q, size_t elsize, void (*fill)(sqlite3_stmt *, void *),
           void **out, size_t *n)
{
	char *arr = NULL;
	size_t len = 0, cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (q == NULL)
		return ERR_DB;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (len == cap) {
			cap = cap ? cap * 2 : 16;
			arr = xrealloc(arr, cap * elsize);
		}
		fill(q, arr + len++ * elsize);
	}
	sqlite3_reset(q);
	if (rc != SQLITE_DONE) {
		free(arr);
		return sq_err(rc);
	}
	*out = arr;
	*n = len;
	return ERR_OK;
}

static int
sq_schema_version(struct store *st)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q;
	int v = -1;

	LOCK(s);
	if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &q, NULL) ==
	    SQLITE_OK) {
		if (sqlite3_step(q) == SQLITE_ROW)
			v = sqlite3_column_int(q, 0);
		sqlite3_finalize(q);
	}
	UNLOCK(s);
	return v;
}

static void
sq_close(struct store *st)
{
	struct sqlite_store *s = S(st);

	for (int i = 0; i < SQ_CACHE; i++) {
		sqlite3_finalize(s->stmts[i]);
		sqlite3_finalize(s->rstmts[i]);
	}
	sqlite3_close(s->db);
	pthread_mutex_destroy(&s->lock);
	free(s);
}

/* --- schools --- */

static void
fill_school(sqlite3_stmt *q, void *out)
{
	row_school(q, out);
}

static enum err
sq_school_add(struct store *st, struct school *sc)
{
	struct sqlite_store *s = S(st);
	enum err e;

	sc->created = time_now();
	LOCK(s);
	e = exec(s, STMT_SCHOOL_ADD,
	         ARGS(T(sc->name), T(sc->brin), T(sc->slug), I(sc->created)));
	if (e == ERR_OK)
		sc->id = sqlite3_last_insert_rowid(s->db);
	UNLOCK(s);
	return e;
}

static enum err
sq_school_get(struct store *st, int64_t id, struct school *out)
{
	struct sqlite_store *s = S(st);
	enum err e;

	LOCK(s);
	e = one_row(query(s, STMT_SCHOOL_GET, ARGS(I(id))), fill_school, out);
	UNLOCK(s);
	return e;
}

static enum err
sq_school_by_slug(struct store *st, const char *slug, struct school *out)
{
	struct sqlite_store *s = S(st);
	enum err e;

	LOCK(s);
	e = one_row(query(s, STMT_SCHOOL_BY_SLUG, ARGS(T(slug))), fill_school,
	            out);
	UNLOCK(s);
	return e;
}

static enum err
sq_school_list(struct store *st, store_school_cb cb, void *arg)
{
	struct sqlite_store *s = S(st);
	struct school *v;
	size_t n;
	enum err e;

	LOCK(s);
	e = sq_collect(query(s, STMT_SCHOOL_LIST, NOARGS), sizeof(*v),
	               fill_school, (void **)&v, &n);
	UNLOCK(s);
	for (size_t i = 0; e == ERR_OK && i < n && cb(&v[i], arg) == 0; i++)
		;
	free(v);
	return e;
}

/* --- accounts --- */

static void
fill_account(sqlite3_stmt *q, void *out)
{
	row_account(q, out);
}

static enum err
sq_account_add(struct store *st, struct account *a)
{
	struct sqlite_store *s = S(st);
	enum err e;

	a->created = a->password_changed = time_now();
	LOCK(s);
	e = exec(s, STMT_ACCOUNT_ADD,
	         ARGS(T(a->username), T(role_word(a->role)), I(a->school_id),
	              T(a->pwhash), I((int64_t)a->must_change), I(a->created),
	              I(a->password_changed)));
	if (e == ERR_OK)
		a->id = sqlite3_last_insert_rowid(s->db);
	UNLOCK(s);
	return e;
}

static enum err
sq_account_get(struct store *st, int64_t id, struct account *out)
{
	struct sqlite_store *s = S(st);
	enum err e;

	LOCK(s);
	e = one_row(query(s, STMT_ACCOUNT_GET, ARGS(I(id))), fill_account, out);
	UNLOCK(s);
	return e;
}

static enum err
sq_account_by_name(struct store *st, const char *name, struct account *out)
{
	struct sqlite_store *s = S(st);
	enum err e;

	LOCK(s);
	e = one_row(query(s, STMT_ACCOUNT_BY_NAME, ARGS(T(name))), fill_account,
	            out);
	UNLOCK(s);
	return e;
}

static enum err
sq_account_list(struct store *st, int64_t school_id, store_account_cb cb,
                void *arg)
{
	struct sqlite_store *s = S(st);
	struct account *v;
	size_t n;
	sqlite3_stmt *q;
	enum err e;

	LOCK(s);
	q = school_id ? query(s, STMT_ACCOUNT_LIST_SCHOOL, ARGS(I(school_id)))
	              : query(s, STMT_ACCOUNT_LIST, NOARGS);
	e = sq_collect(q, sizeof(*v), fill_account, (void **)&v, &n);
	UNLOCK(s);
	for (size_t i = 0; e == ERR_OK && i < n && cb(&v[i], arg) == 0; i++)
		;
	free(v);
	return e;
}

/* Run an UPDATE/DELETE and map "no row affected" to ERR_NOTFOUND. */
static enum err
change_one(struct sqlite_store *s, enum err e)
{
	if (e == ERR_OK && sqlite3_changes(s->db) == 0)
		return ERR_NOTFOUND;
	return e;
}

static enum err
sq_account_set_password(struct store *st, int64_t id, const char *pwhash,
                        bool must_change, int64_t now)
{
	struct sqlite_store *s = S(st);
	enum err e;

	LOCK(s);
	e = exec(s, STMT_ACCOUNT_SET_PASSWORD,
	         ARGS(T(pwhash), I((int64_t)must_change), I(now), I(id)));
	e = change_one(s, e);
	UNLOCK(s);
	return e;
}

static enum err
sq_account_disable(struct store *st, int64_t id)
{
	struct sqlite_store *s = S(st);
	enum err e;

	LOCK(s);
	e = change_one(s, exec(s, STMT_ACCOUNT_DISABLE, ARGS(I(id))));
	UNLOCK(s);
	return e;
}

static enum err
sq_account_logged_in(struct store *st, int64_t id, int64_t now)
{
	struct sqlite_store *s = S(st);
	enum err e;

	LOCK(s);
	e = change_one(s, exec(s, STMT_ACCOUNT_LOGGED_IN, ARGS(I(now), I(id))));
	UNLOCK(s);
	return e;
}

/* --- sessions --- */

static void
fill_session(sqlite3_stmt *q, void *out)
{
	struct session *o = out;

	memset(o, 0, sizeof(*o));
	sq_col_text(q, 0, o->id_hash, sizeof(o->id_hash));
	o->account_id = sqlite3_column_int64(q, 1);
	o->created = sqlite3_column_int64(q, 2);
	o->last_seen = sqlite3_column_int64(q, 3);
}

static enum err
sq_session_add(struct store *st, const struct session *se)
{
	struct sqlite_store *s = S(st);
	enum err e;

	LOCK(s);
	e = exec(s, STMT_SESSION_ADD,
	         ARGS(T(se->id_hash), I(se->account_id), I(se->created),
	              I(se->last_seen)));
	UNLOCK(s);
	return e;
}

static enum err
sq_session_get(struct store *st, const char *id_hash, struct session *out)
{
	struct sqlite_store *s = S(st);
	enum err e;

	LOCK(s);
	e = one_row(query(s, STMT_SESSION_GET, ARGS(T(id_hash))), fill_session,
	            out);
	UNLOCK(s);
	return e;
}

static enum err
sq_session_touch(struct store *st, const char *id_hash, int64_t now)
{
	struct sqlite_store *s = S(st);
	enum err e;

	LOCK(s);
	e = change_one(s,
	               exec(s, STMT_SESSION_TOUCH, ARGS(I(now), T(id_hash))));
	UNLOCK(s);
	return e;
}

static enum err
sq_session_delete(struct store *st, const char *id_hash)
{
	struct sqlite_store *s = S(st);
	enum err e;

	LOCK(s);
	e = exec(s, STMT_SESSION_DELETE, ARGS(T(id_hash)));
	UNLOCK(s);
	return e;
}

static enum err
sq_session_delete_account(struct store *st, int64_t account_id,
                          const char *except_hash)
{
	struct sqlite_store *s = S(st);
	enum err e;

	LOCK(s);
	if (except_hash != NULL)
		e = exec(s, STMT_SESSION_DELETE_ACCOUNT_EXCEPT,
		         ARGS(I(account_id), T(except_hash)));
	else
		e = exec(s, STMT_SESSION_DELETE_ACCOUNT, ARGS(I(account_id)));
	UNLOCK(s);
	return e;
}

static enum err
sq_session_purge(struct store *st, int64_t idle_before, int64_t created_before)
{
	struct sqlite_store *s = S(st);
	enum err e;

	LOCK(s);
	e = exec(s, STMT_SESSION_PURGE,
	         ARGS(I(idle_before), I(created_before)));
	UNLOCK(s);
	return e;
}

/* --- throttling --- */

static void
fill_throttle(sqlite3_stmt *q, void *out)
{
	int64_t *v = out;

	v[0] = sqlite3_column_int64(q, 0);
	v[1] = sqlite3_column_int64(q, 1);
}

static enum err
sq_throttle_get(struct store *st, const char *key, int64_t *failures,
                int64_t *last_failure)
{
	struct sqlite_store *s = S(st);
	int64_t v[2] = { 0, 0 };
	enum err e;

	LOCK(s);
	e = one_row(query(s, STMT_THROTTLE_GET, ARGS(T(key))), fill_throttle,
	            v);
	UNLOCK(s);
	if (e == ERR_NOTFOUND)
		e = ERR_OK;
	*failures = v[0];
	*last_failure = v[1];
	return e;
}

static void
fill_count(sqlite3_stmt *q, void *out)
{
	*(int64_t *)out = sqlite3_column_int64(q, 0);
}

static enum err
sq_throttle_fail(struct store *st, const char *key, int64_t now, int64_t window,
                 int64_t *failures)
{
	struct sqlite_store *s = S(st);
	enum err e;

	LOCK(s);
	e = one_row(
	        query(s, STMT_THROTTLE_FAIL, ARGS(T(key), I(now), I(window))),
	        fill_count, failures);
	UNLOCK(s);
	return e;
}

static enum err
sq_throttle_clear(struct store *st, const char *key)
{
	struct sqlite_store *s = S(st);
	enum err e;

	LOCK(s);
	e = exec(s, STMT_THROTTLE_CLEAR, ARGS(T(key)));
	UNLOCK(s);
	return e;
}

/* --- audit log --- */

static enum err
sq_audit_add(struct store *st, struct audit_entry *a)
{
	struct sqlite_store *s = S(st);
	enum err e;

	if (a->at == 0)
		a->at = time_now();
	LOCK(s);
	e = exec(s, STMT_AUDIT_ADD,
	         ARGS(I(a->at), T(audit_event_word(a->event)), I(a->account_id),
	              I(a->school_id), T(a->actor), T(a->addr), T(a->detail)));
	if (e == ERR_OK)
		a->id = sqlite3_last_insert_rowid(s->db);
	UNLOCK(s);
	return e;
}

static void
fill_audit(sqlite3_stmt *q, void *out)
{
	row_audit(q, out);
}

static enum err
sq_audit_list(struct store *st, int64_t school_id, int limit, store_audit_cb cb,
              void *arg)
{
	struct sqlite_store *s = S(st);
	struct audit_entry *v;
	size_t n;
	sqlite3_stmt *q;
	enum err e;

	LOCK(s);
	q = school_id ? query(s, STMT_AUDIT_LIST_SCHOOL,
	                      ARGS(I(school_id), I((int64_t)limit)))
	              : query(s, STMT_AUDIT_LIST, ARGS(I((int64_t)limit)));
	e = sq_collect(q, sizeof(*v), fill_audit, (void **)&v, &n);
	UNLOCK(s);
	for (size_t i = 0; e == ERR_OK && i < n && cb(&v[i], arg) == 0; i++)
		;
	free(v);
	return e;
}

static const struct store_ops sqlite_ops = {
	.close = sq_close,
	.schema_version = sq_schema_version,
	.school_add = sq_school_add,
	.school_get = sq_school_get,
	.school_by_slug = sq_school_by_slug,
	.school_list = sq_school_list,
	.account_add = sq_account_add,
	.account_get = sq_account_get,
	.account_by_name = sq_account_by_name,
	.account_list = sq_account_list,
	.account_set_password = sq_account_set_password,
	.account_disable = sq_account_disable,
	.account_logged_in = sq_account_logged_in,
	.session_add = sq_session_add,
	.session_get = sq_session_get,
	.session_touch = sq_session_touch,
	.session_delete = sq_session_delete,
	.session_delete_account = sq_session_delete_account,
	.session_purge = sq_session_purge,
	.throttle_get = sq_throttle_get,
	.throttle_fail = sq_throttle_fail,
	.throttle_clear = sq_throttle_clear,
	.audit_add = sq_audit_add,
	.audit_list = sq_audit_list,
	.roster_load = sq_roster_load,
	.import_stage = sq_import_stage,
	.import_columns = sq_import_columns,
	.import_groups = sq_import_groups,
	.import_issues = sq_import_issues,
	.import_apply = sq_import_apply,
	.import_cancel = sq_import_cancel,
	.import_undo = sq_import_undo,
	.import_get = sq_import_get,
	.import_list = sq_import_list,
	.import_changes = sq_import_changes,
	.purge = sq_purge,
};

/* Apply migrations newer than the database's user_version, each in its own
 * transaction together with the version bump. */
static enum err
migrate(sqlite3 *db, char *msg, size_t msgsz)
{
	sqlite3_stmt *q;
	char *emsg = NULL, sql[64];
	int version = 0;

	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &q, NULL) !=
	    SQLITE_OK)
		goto fail;
	if (sqlite3_step(q) == SQLITE_ROW)
		version = sqlite3_column_int(q, 0);
	sqlite3_finalize(q);
	if (version > MIGRATIONS) {
		snprintf(
		        msg, msgsz,
		        "database schema version %d is newer than this biebsync (%d); upgrade biebsync",
		        version, MIGRATIONS);
		return ERR_DB;
	}
	for (; version < MIGRATIONS; version++) {
		snprintf(sql, sizeof(sql), "PRAGMA user_version = %d",
		         version + 1);
		if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, &emsg) !=
		            SQLITE_OK ||
		    sqlite3_exec(db, migrations[version], NULL, NULL, &emsg) !=
		            SQLITE_OK ||
		    sqlite3_exec(db, sql, NULL, NULL, &emsg) != SQLITE_OK ||
		    sqlite3_exec(db, "COMMIT", NULL, NULL, &emsg) !=
		            SQLITE_OK) {
			snprintf(msg, msgsz, "migration %d failed: %s",
			         version + 1, emsg ? emsg : "?");
			sqlite3_free(emsg);
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
			return ERR_DB;
		}
	}
	return ERR_OK;
fail:
	snprintf(msg, msgsz, "reading schema version: %s", sqlite3_errmsg(db));
	return ERR_DB;
}

/* Create the directory holding path if it is missing (one level). */
static void
make_parent_dir(const char *path)
{
	char dir[4096];
	char *slash;

	if (str_copy(dir, sizeof(dir), path) != ERR_OK)
		return;
	slash = strrchr(dir, '/');
	if (slash == NULL || slash == dir)
		return;
	*slash = '\0';
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return;
}

enum err
store_sqlite_open(const char *path, struct store **out, char *msg, size_t msgsz)
{
	/* cache_size: 16 MiB instead of SQLite's 2 MiB default, so that a
	 * large import's transaction does not spill pages to the WAL over
	 * and over (bench/RESULTS.md: -20 % apply time at 1,000,000 rows).
	 * secure_delete: what the purge deletes (names, cell texts) is
	 * overwritten in the file, not left in free pages; Debian's SQLite
	 * does so by default, this says it for every build. */
	static const char setup[] = "PRAGMA journal_mode = WAL;"
	                            "PRAGMA synchronous = FULL;"
	                            "PRAGMA cache_size = -16384;"
	                            "PRAGMA foreign_keys = ON;"
	                            "PRAGMA trusted_schema = OFF;"
	                            "PRAGMA secure_delete = ON;";
	struct sqlite_store *s;
	char *emsg = NULL;
	enum err e;

	if (*path == '\0') {
		snprintf(msg, msgsz, "empty sqlite path");
		return ERR_INVALID;
	}
	make_parent_dir(path);
	s = xcalloc(1, sizeof(*s));
	s->base.ops = &sqlite_ops;
	pthread_mutex_init(&s->lock, NULL);
	/* No SQLite mutex on the connection: every use of it and of its
	 * statement cache holds s->lock already (LOCK in every store
	 * operation), so SQLite's own lock around each call only cost time,
	 * about a tenth of a 1,000,000-row import. */
	if (sqlite3_open_v2(path, &s->db,
	                    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
	                            SQLITE_OPEN_NOMUTEX,
	                    NULL) != SQLITE_OK) {
		snprintf(msg, msgsz, "cannot open database '%s': %s", path,
		         s->db ? sqlite3_errmsg(s->db) : "out of memory");
		e = ERR_DB;
		goto fail;
	}
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_timeout(s->db, 5000);
	sqlite3_db_config(s->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	if (sqlite3_exec(s->db, setup, NULL, NULL, &emsg) != SQLITE_OK) {
		snprintf(msg, msgsz, "cannot set up database '%s': %s", path,
		         emsg ? emsg : "?");
		sqlite3_free(emsg);
		e = ERR_DB;
		goto fail;
	}
	if ((e = migrate(s->db, msg, msgsz)) != ERR_OK)
		goto fail;
	{
		const char *d = getenv("BIEBSYNC_TEST_APPLY_DELAY_US");
		uint64_t us;

		if (d != NULL && parse_u64(d, 0, 1000000, &us) == ERR_OK)
			s->test_delay_us = (unsigned)us;
	}
	*out = &s->base;
	return ERR_OK;
fail:
	sq_close(&s->base);
	return e;
}
