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

	/* 6: library organisations above schools (everything so far goes
	 * to library 1), contact details, two-step login with recovery
	 * codes, sessions waiting for the second step, and the library of
	 * each audit row.  (SQLite cannot add a column with both REFERENCES
	 * and a default while foreign keys are on: the store checks
	 * library_id itself.) */
	"CREATE TABLE libraries ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL,"
	"  slug TEXT NOT NULL UNIQUE,"
	"  contact_name TEXT NOT NULL DEFAULT '',"
	"  contact_phone TEXT NOT NULL DEFAULT '',"
	"  contact_email TEXT NOT NULL DEFAULT '',"
	"  created INTEGER NOT NULL);"
	"INSERT INTO libraries (id, name, slug, created)"
	"  VALUES (1, 'Bibliotheek', 'bibliotheek', unixepoch());"
	"ALTER TABLE schools ADD COLUMN library_id INTEGER NOT NULL DEFAULT 1;"
	"ALTER TABLE schools ADD COLUMN contact_name TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE schools ADD COLUMN contact_phone TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE schools ADD COLUMN contact_email TEXT NOT NULL DEFAULT '';"
	"CREATE INDEX schools_library ON schools(library_id);"
	"ALTER TABLE accounts ADD COLUMN library_id INTEGER NOT NULL DEFAULT 1;"
	"ALTER TABLE accounts ADD COLUMN totp_secret TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE accounts ADD COLUMN totp_pending TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE accounts ADD COLUMN totp_step INTEGER NOT NULL DEFAULT 0;"
	"CREATE TABLE recovery_codes ("
	"  account_id INTEGER NOT NULL REFERENCES accounts(id)"
	"    ON DELETE CASCADE,"
	"  hash TEXT NOT NULL,"
	"  PRIMARY KEY (account_id, hash)) WITHOUT ROWID;"
	"ALTER TABLE sessions ADD COLUMN pending INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE audit_log ADD COLUMN library_id INTEGER;"
	"UPDATE audit_log SET library_id = 1;"
	"CREATE INDEX audit_library ON audit_log(library_id, id);",

	/* 7: when the purge removed an import's pupils (its journal
	 * blanked, its report and file name gone; 0: not yet).  An
	 * anonymised applied import cannot be undone. */
	"ALTER TABLE imports ADD COLUMN purged INTEGER NOT NULL DEFAULT 0;",

	/* 8: API tokens of a library (only their hash), and the change
	 * feed's steps in commit order (AUTOINCREMENT: a number is never
	 * given twice, so positions only grow).  The feed starts here:
	 * imports decided before have no steps; a client starts from a
	 * roster snapshot. */
	"CREATE TABLE api_tokens ("
	"  id INTEGER PRIMARY KEY,"
	"  library_id INTEGER NOT NULL REFERENCES libraries(id),"
	"  name TEXT NOT NULL,"
	"  prefix TEXT NOT NULL,"
	"  hash TEXT NOT NULL UNIQUE,"
	"  created INTEGER NOT NULL,"
	"  created_by TEXT NOT NULL,"
	"  last_used INTEGER NOT NULL DEFAULT 0,"
	"  revoked INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX api_tokens_library ON api_tokens(library_id, id);"
	"CREATE TABLE feed_events ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  at INTEGER NOT NULL,"
	"  event TEXT NOT NULL CHECK (event IN ('apply', 'undo', 'erase')),"
	"  library_id INTEGER NOT NULL,"
	"  school_id INTEGER NOT NULL,"
	"  import_id INTEGER,"
	"  erased_id INTEGER NOT NULL DEFAULT 0,"
	"  was_active INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX feed_library ON feed_events(library_id, id);",
};

#define MIGRATIONS (int)(sizeof(migrations) / sizeof(migrations[0]))

#define LIBRARY_COLS                                                           \
	"id, name, slug, contact_name, contact_phone, contact_email, created"
#define SCHOOL_COLS                                                            \
	"id, name, brin, slug, created, library_id, contact_name,"             \
	" contact_phone, contact_email"
#define ACCOUNT_COLS                                                           \
	"id, username, role, coalesce(school_id, 0), pwhash, must_change,"     \
	" disabled, created, last_login, previous_login, password_changed,"    \
	" library_id, totp_secret, totp_pending, totp_step"
#define TOKEN_COLS                                                             \
	"id, library_id, name, prefix, hash, created, created_by, last_used,"  \
	" revoked"
#define AUDIT_COLS                                                             \
	"id, at, event, coalesce(account_id, 0), coalesce(school_id, 0),"      \
	" actor, addr, detail, coalesce(library_id, 0)"

/* An audit row: its library is the one given (?8), else the school's, else
 * the acting account's. */
#define AUDIT_ADD_SQL                                                          \
	"INSERT INTO audit_log (at, event, account_id,"                        \
	" school_id, actor, addr, detail, library_id)"                         \
	" VALUES (?1, ?2, nullif(?3, 0), nullif(?4, 0), ?5, ?6, ?7,"           \
	" coalesce(nullif(?8, 0),"                                             \
	"  (SELECT library_id FROM schools WHERE id = ?4),"                    \
	"  (SELECT library_id FROM accounts WHERE id = ?3)))"

const char sq_audit_sql[] = AUDIT_ADD_SQL;

/* Every statement this backend runs. */
enum stmt {
	STMT_LIBRARY_ADD,
	STMT_LIBRARY_GET,
	STMT_LIBRARY_BY_SLUG,
	STMT_LIBRARY_LIST,
	STMT_LIBRARY_UPDATE,
	STMT_SCHOOL_ADD,
	STMT_SCHOOL_UPDATE,
	STMT_SCHOOL_OVERVIEW,
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
	STMT_ACCOUNT_SET_TOTP,
	STMT_ACCOUNT_TOTP_STEP,
	STMT_RECOVERY_CLEAR,
	STMT_RECOVERY_ADD,
	STMT_RECOVERY_USE,
	STMT_RECOVERY_COUNT,
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
	STMT_THROTTLE_PURGE,
	STMT_THROTTLE_TAKE,
	STMT_THROTTLE_RELEASE,
	STMT_AUDIT_ADD,
	STMT_AUDIT_LIST,
	STMT_TOKEN_ADD,
	STMT_TOKEN_LIST,
	STMT_TOKEN_BY_HASH,
	STMT_TOKEN_STATE,
	STMT_TOKEN_REVOKE,
	STMT_TOKEN_USED,
	STMT__MAX
};
_Static_assert(STMT__MAX <= SQ_CACHE, "raise SQ_CACHE");

static const char *const stmt_sql[STMT__MAX] = {
	[STMT_LIBRARY_ADD] = "INSERT INTO libraries (name, slug, contact_name,"
	                     " contact_phone, contact_email, created)"
	                     " VALUES (?, ?, ?, ?, ?, ?)",
	[STMT_LIBRARY_GET] =
	        "SELECT " LIBRARY_COLS " FROM libraries WHERE id = ?",
	[STMT_LIBRARY_BY_SLUG] =
	        "SELECT " LIBRARY_COLS " FROM libraries WHERE slug = ?",
	[STMT_LIBRARY_LIST] =
	        "SELECT " LIBRARY_COLS " FROM libraries ORDER BY name, id",
	[STMT_LIBRARY_UPDATE] = "UPDATE libraries SET name = ?,"
	                        " contact_name = ?, contact_phone = ?,"
	                        " contact_email = ? WHERE id = ?",
	[STMT_SCHOOL_ADD] = "INSERT INTO schools (name, brin, slug, created,"
	                    " library_id, contact_name, contact_phone,"
	                    " contact_email)"
	                    " SELECT ?1, ?2, ?3, ?4, id, ?6, ?7, ?8"
	                    " FROM libraries WHERE id = ?5",
	[STMT_SCHOOL_UPDATE] = "UPDATE schools SET name = ?, brin = ?,"
	                       " contact_name = ?, contact_phone = ?,"
	                       " contact_email = ? WHERE id = ?",
	[STMT_SCHOOL_GET] = "SELECT " SCHOOL_COLS " FROM schools WHERE id = ?",
	[STMT_SCHOOL_BY_SLUG] =
	        "SELECT " SCHOOL_COLS " FROM schools WHERE slug = ?",
	[STMT_SCHOOL_LIST] = "SELECT " SCHOOL_COLS " FROM schools"
	                     " WHERE ?1 = 0 OR library_id = ?1"
	                     " ORDER BY name, id",
	[STMT_SCHOOL_OVERVIEW] =
	        "SELECT " SCHOOL_COLS ","
	        " (SELECT count(*) FROM students t"
	        "   WHERE t.school_id = schools.id AND t.active),"
	        " (SELECT max(decided) FROM imports i"
	        "   WHERE i.school_id = schools.id AND i.state = 'applied'),"
	        " (SELECT max(id) FROM imports i"
	        "   WHERE i.school_id = schools.id AND i.state = 'applied'),"
	        " (SELECT count(*) FROM imports i"
	        "   WHERE i.school_id = schools.id AND i.state = 'preview'),"
	        " (SELECT count(*) FROM accounts a"
	        "   WHERE a.school_id = schools.id)"
	        " FROM schools WHERE (?1 = 0 OR library_id = ?1)"
	        " AND (?2 = 0 OR id = ?2) ORDER BY name, id",
	[STMT_ACCOUNT_ADD] = "INSERT INTO accounts (username, role, school_id,"
	                     " pwhash, must_change, disabled, created,"
	                     " password_changed, library_id)"
	                     " SELECT ?1, ?2, nullif(?3, 0), ?4, ?5, 0, ?6, ?7,"
	                     " id FROM libraries WHERE id = CASE WHEN ?3 = 0"
	                     " THEN ?8 ELSE (SELECT library_id FROM schools"
	                     "  WHERE id = ?3 AND ?8 IN (0, library_id)) END",
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
	[STMT_ACCOUNT_DISABLE] = "UPDATE accounts SET disabled = ?"
	                         " WHERE id = ?",
	[STMT_ACCOUNT_SET_TOTP] = "UPDATE accounts SET totp_secret = ?,"
	                          " totp_pending = ?, totp_step = ?"
	                          " WHERE id = ?",
	[STMT_ACCOUNT_TOTP_STEP] = "UPDATE accounts SET totp_step = ?1"
	                           " WHERE id = ?2 AND totp_step < ?1",
	[STMT_RECOVERY_CLEAR] = "DELETE FROM recovery_codes"
	                        " WHERE account_id = ?",
	[STMT_RECOVERY_ADD] = "INSERT INTO recovery_codes (account_id, hash)"
	                      " VALUES (?, ?)",
	[STMT_RECOVERY_USE] = "DELETE FROM recovery_codes"
	                      " WHERE account_id = ? AND hash = ?",
	[STMT_RECOVERY_COUNT] = "SELECT count(*) FROM recovery_codes"
	                        " WHERE account_id = ?",
	[STMT_ACCOUNT_LOGGED_IN] = "UPDATE accounts SET"
	                           " previous_login = last_login,"
	                           " last_login = ?"
	                           " WHERE id = ?",
	[STMT_SESSION_ADD] = "INSERT INTO sessions (id_hash, account_id,"
	                     " created, last_seen, pending)"
	                     " VALUES (?, ?, ?, ?, ?)",
	[STMT_SESSION_GET] = "SELECT id_hash, account_id, created, last_seen,"
	                     " pending FROM sessions WHERE id_hash = ?",
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
	[STMT_THROTTLE_PURGE] = "DELETE FROM throttle WHERE last_failure < ?",
	/* one more failure, unless the key is locked (then no row): ?4 max,
	 * ?5 lockout, ?6 lockout_max; the shift is capped so it cannot
	 * overflow (lockout is at most a day) */
	[STMT_THROTTLE_TAKE] =
	        "INSERT INTO throttle (key, failures, last_failure)"
	        " VALUES (?1, 1, ?2) ON CONFLICT (key) DO UPDATE SET"
	        " failures = CASE WHEN last_failure < ?2 - ?3 THEN 1"
	        "   ELSE failures + 1 END,"
	        " last_failure = ?2"
	        " WHERE NOT (failures >= ?4 AND ?2 < last_failure +"
	        "   min(?5 << min(max(failures - ?4, 0), 40), ?6))"
	        " RETURNING failures",
	[STMT_THROTTLE_RELEASE] =
	        "UPDATE throttle SET failures = max(failures - 1, 0),"
	        " last_failure = CASE WHEN last_failure = ?2 THEN ?3"
	        "   ELSE last_failure END WHERE key = ?1",
	[STMT_AUDIT_ADD] =
	        AUDIT_ADD_SQL " RETURNING id, coalesce(library_id, 0)",
	/* every part of the filter is optional (0 or -1) */
	[STMT_AUDIT_LIST] = "SELECT " AUDIT_COLS " FROM audit_log"
	                    " WHERE (?1 = 0 OR library_id = ?1)"
	                    " AND (?2 = 0 OR school_id = ?2)"
	                    " AND (?3 = 0 OR account_id = ?3)"
	                    " AND (?4 = '' OR event = ?4)"
	                    " AND (?5 = 0 OR at >= ?5)"
	                    " AND (?6 = 0 OR at < ?6)"
	                    " AND (?7 = 0 OR id < ?7)"
	                    " ORDER BY id DESC LIMIT ?8",
	[STMT_TOKEN_ADD] = "INSERT INTO api_tokens (library_id, name, prefix,"
	                   " hash, created, created_by)"
	                   " SELECT id, ?2, ?3, ?4, ?5, ?6 FROM libraries"
	                   " WHERE id = ?1 RETURNING id",
	[STMT_TOKEN_LIST] = "SELECT " TOKEN_COLS " FROM api_tokens"
	                    " WHERE ?1 = 0 OR library_id = ?1"
	                    " ORDER BY id DESC",
	[STMT_TOKEN_BY_HASH] =
	        "SELECT " TOKEN_COLS " FROM api_tokens WHERE hash = ?",
	/* the token (of library ?2, 0: any) and whether it is still in use,
	 * then revoked; both in one transaction */
	[STMT_TOKEN_STATE] = "SELECT revoked = 0, library_id FROM api_tokens"
	                     " WHERE id = ?1 AND ?2 IN (0, library_id)",
	[STMT_TOKEN_REVOKE] = "UPDATE api_tokens SET revoked = ?2"
	                      " WHERE id = ?1 AND revoked = 0",
	[STMT_TOKEN_USED] = "UPDATE api_tokens SET last_used = ? WHERE id = ?",
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

void
sq_checkpoint(struct sqlite_store *s, const char *what)
{
	int log_frames = 0, done = 0;

	if (sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_TRUNCATE,
	                              &log_frames, &done) != SQLITE_OK)
		log_warn(NULL,
		         "sqlite: checkpoint after %s: %s; the next checkpoint"
		         " removes the old pages",
		         what, sqlite3_errmsg(s->db));
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

/* A contact from three columns: name, phone, e-mail. */
static void
row_contact(sqlite3_stmt *q, int col, struct contact *c)
{
	sq_col_text(q, col, c->name, sizeof(c->name));
	sq_col_text(q, col + 1, c->phone, sizeof(c->phone));
	sq_col_text(q, col + 2, c->email, sizeof(c->email));
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
	o->library_id = sqlite3_column_int64(q, 5);
	row_contact(q, 6, &o->contact);
}

static void
row_library(sqlite3_stmt *q, struct library *o)
{
	memset(o, 0, sizeof(*o));
	o->id = sqlite3_column_int64(q, 0);
	sq_col_text(q, 1, o->name, sizeof(o->name));
	sq_col_text(q, 2, o->slug, sizeof(o->slug));
	row_contact(q, 3, &o->contact);
	o->created = sqlite3_column_int64(q, 6);
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
	o->library_id = sqlite3_column_int64(q, 11);
	sq_col_text(q, 12, o->totp_secret, sizeof(o->totp_secret));
	sq_col_text(q, 13, o->totp_pending, sizeof(o->totp_pending));
	o->totp_step = sqlite3_column_int64(q, 14);
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
	o->library_id = sqlite3_column_int64(q, 8);
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

void
sq_fill_id(sqlite3_stmt *q, void *out)
{
	*(int64_t *)out = sqlite3_column_int64(q, 0);
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
		sqlite3_finalize(s->pstmts[i]);
		sqlite3_finalize(s->fstmts[i]);
	}
	sqlite3_close(s->db);
	pthread_mutex_destroy(&s->lock);
	free(s);
}

/* Run an UPDATE/DELETE and map "no row affected" to ERR_NOTFOUND. */
static enum err
change_one(struct sqlite_store *s, enum err e)
{
	if (e == ERR_OK && sqlite3_changes(s->db) == 0)
		return ERR_NOTFOUND;
	return e;
}

/* Run a list query and hand each row, read by fill into elsize bytes, to
 * cb after the lock is released (a non-zero return stops). */
static enum err
list_rows(struct sqlite_store *s, sqlite3_stmt *q, size_t elsize,
          void (*fill)(sqlite3_stmt *, void *), int (*cb)(const void *, void *),
          void *arg)
{
	char *v;
	size_t n;
	enum err e;

	e = sq_collect(q, elsize, fill, (void **)&v, &n);
	UNLOCK(s);
	for (size_t i = 0; e == ERR_OK && i < n && cb(v + i * elsize, arg) == 0;
	     i++)
		;
	free(v);
	return e;
}

/* --- libraries --- */

static void
fill_library(sqlite3_stmt *q, void *out)
{
	row_library(q, out);
}

static enum err
sq_library_add(struct store *st, struct library *l)
{
	struct sqlite_store *s = S(st);
	enum err e;

	l->created = time_now();
	LOCK(s);
	e = exec(s, STMT_LIBRARY_ADD,
	         ARGS(T(l->name), T(l->slug), T(l->contact.name),
	              T(l->contact.phone), T(l->contact.email), I(l->created)));
	if (e == ERR_OK)
		l->id = sqlite3_last_insert_rowid(s->db);
	UNLOCK(s);
	return e;
}

static enum err
sq_library_get(struct store *st, int64_t id, struct library *out)
{
	struct sqlite_store *s = S(st);
	enum err e;

	LOCK(s);
	e = one_row(query(s, STMT_LIBRARY_GET, ARGS(I(id))), fill_library, out);
	UNLOCK(s);
	return e;
}

static enum err
sq_library_by_slug(struct store *st, const char *slug, struct library *out)
{
	struct sqlite_store *s = S(st);
	enum err e;

	LOCK(s);
	e = one_row(query(s, STMT_LIBRARY_BY_SLUG, ARGS(T(slug))), fill_library,
	            out);
	UNLOCK(s);
	return e;
}

static enum err
sq_library_list(struct store *st, store_library_cb cb, void *arg)
{
	struct sqlite_store *s = S(st);

	LOCK(s);
	return list_rows(s, query(s, STMT_LIBRARY_LIST, NOARGS),
	                 sizeof(struct library), fill_library,
	                 (int (*)(const void *, void *))cb, arg);
}

static enum err
sq_library_update(struct store *st, const struct library *l)
{
	struct sqlite_store *s = S(st);
	enum err e;

	LOCK(s);
	e = change_one(s, exec(s, STMT_LIBRARY_UPDATE,
	                       ARGS(T(l->name), T(l->contact.name),
	                            T(l->contact.phone), T(l->contact.email),
	                            I(l->id))));
	UNLOCK(s);
	return e;
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
	e = change_one(s, exec(s, STMT_SCHOOL_ADD,
	                       ARGS(T(sc->name), T(sc->brin), T(sc->slug),
	                            I(sc->created), I(sc->library_id),
	                            T(sc->contact.name), T(sc->contact.phone),
	                            T(sc->contact.email))));
	if (e == ERR_OK)
		sc->id = sqlite3_last_insert_rowid(s->db);
	UNLOCK(s);
	return e;
}

static enum err
sq_school_update(struct store *st, const struct school *sc)
{
	struct sqlite_store *s = S(st);
	enum err e;

	LOCK(s);
	e = change_one(s, exec(s, STMT_SCHOOL_UPDATE,
	                       ARGS(T(sc->name), T(sc->brin),
	                            T(sc->contact.name), T(sc->contact.phone),
	                            T(sc->contact.email), I(sc->id))));
	UNLOCK(s);
	return e;
}

static void
fill_overview(sqlite3_stmt *q, void *out)
{
	struct school_overview *o = out;

	memset(o, 0, sizeof(*o));
	row_school(q, &o->school);
	o->pupils = sqlite3_column_int64(q, 9);
	o->last_applied = sqlite3_column_int64(q, 10);
	o->last_applied_id = sqlite3_column_int64(q, 11);
	o->open_previews = sqlite3_column_int64(q, 12);
	o->accounts = sqlite3_column_int64(q, 13);
}

static enum err
sq_school_overview(struct store *st, int64_t library_id, store_overview_cb cb,
                   void *arg)
{
	struct sqlite_store *s = S(st);

	LOCK(s);
	return list_rows(
	        s, query(s, STMT_SCHOOL_OVERVIEW, ARGS(I(library_id), I(0))),
	        sizeof(struct school_overview), fill_overview,
	        (int (*)(const void *, void *))cb, arg);
}

static enum err
sq_school_overview_get(struct store *st, int64_t id,
                       struct school_overview *out)
{
	struct sqlite_store *s = S(st);
	enum err e;

	LOCK(s);
	e = one_row(query(s, STMT_SCHOOL_OVERVIEW, ARGS(I(0), I(id))),
	            fill_overview, out);
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
sq_school_list(struct store *st, int64_t library_id, store_school_cb cb,
               void *arg)
{
	struct sqlite_store *s = S(st);

	LOCK(s);
	return list_rows(s, query(s, STMT_SCHOOL_LIST, ARGS(I(library_id))),
	                 sizeof(struct school), fill_school,
	                 (int (*)(const void *, void *))cb, arg);
}

/* --- accounts --- */

static void
fill_account(sqlite3_stmt *q, void *out)
{
	row_account(q, out);
}

static void
fill_library_id(sqlite3_stmt *q, void *out)
{
	*(int64_t *)out = sqlite3_column_int64(q, 11);
}

static enum err
sq_account_add(struct store *st, struct account *a)
{
	struct sqlite_store *s = S(st);
	enum err e;

	a->created = a->password_changed = time_now();
	LOCK(s);
	/* nothing is inserted (ERR_NOTFOUND) for an unknown library or
	 * school, or a school of another library */
	e = change_one(s, exec(s, STMT_ACCOUNT_ADD,
	                       ARGS(T(a->username), T(role_word(a->role)),
	                            I(a->school_id), T(a->pwhash),
	                            I((int64_t)a->must_change), I(a->created),
	                            I(a->password_changed), I(a->library_id))));
	if (e == ERR_OK) {
		a->id = sqlite3_last_insert_rowid(s->db);
		if (a->library_id == 0) /* a school's account: its school's */
			one_row(query(s, STMT_ACCOUNT_GET, ARGS(I(a->id))),
			        fill_library_id, &a->library_id);
	}
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
sq_account_set_disabled(struct store *st, int64_t id, bool disabled)
{
	struct sqlite_store *s = S(st);
	enum err e;

	LOCK(s);
	e = change_one(s, exec(s, STMT_ACCOUNT_DISABLE,
	                       ARGS(I((int64_t)disabled), I(id))));
	UNLOCK(s);
	return e;
}

static enum err
sq_account_set_totp(struct store *st, int64_t id, const char *secret,
                    const char *pending, int64_t step)
{
	struct sqlite_store *s = S(st);
	enum err e;

	LOCK(s);
	e = change_one(s, exec(s, STMT_ACCOUNT_SET_TOTP,
	                       ARGS(T(secret), T(pending), I(step), I(id))));
	UNLOCK(s);
	return e;
}

static enum err
sq_account_totp_step(struct store *st, int64_t id, int64_t step)
{
	struct sqlite_store *s = S(st);
	enum err e;

	LOCK(s);
	e = change_one(s,
	               exec(s, STMT_ACCOUNT_TOTP_STEP, ARGS(I(step), I(id))));
	UNLOCK(s);
	return e == ERR_NOTFOUND ? ERR_EXISTS : e;
}

static enum err
sq_recovery_set(struct store *st, int64_t id, const char (*hashes)[65],
                size_t n)
{
	struct sqlite_store *s = S(st);
	enum err e;

	LOCK(s);
	e = sq_run(s, "BEGIN IMMEDIATE");
	if (e == ERR_OK)
		e = exec(s, STMT_RECOVERY_CLEAR, ARGS(I(id)));
	for (size_t i = 0; e == ERR_OK && i < n; i++)
		e = exec(s, STMT_RECOVERY_ADD, ARGS(I(id), T(hashes[i])));
	sq_run(s, e == ERR_OK ? "COMMIT" : "ROLLBACK");
	UNLOCK(s);
	return e;
}

static enum err
sq_recovery_use(struct store *st, int64_t id, const char *hash)
{
	struct sqlite_store *s = S(st);
	enum err e;

	LOCK(s);
	e = change_one(s, exec(s, STMT_RECOVERY_USE, ARGS(I(id), T(hash))));
	UNLOCK(s);
	return e;
}

static void
fill_count(sqlite3_stmt *q, void *out)
{
	*(int64_t *)out = sqlite3_column_int64(q, 0);
}

static enum err
sq_recovery_count(struct store *st, int64_t id, int64_t *n)
{
	struct sqlite_store *s = S(st);
	enum err e;

	LOCK(s);
	e = one_row(query(s, STMT_RECOVERY_COUNT, ARGS(I(id))), fill_count, n);
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
	o->pending = sqlite3_column_int(q, 4) != 0;
}

static enum err
sq_session_add(struct store *st, const struct session *se)
{
	struct sqlite_store *s = S(st);
	enum err e;

	LOCK(s);
	e = exec(s, STMT_SESSION_ADD,
	         ARGS(T(se->id_hash), I(se->account_id), I(se->created),
	              I(se->last_seen), I((int64_t)se->pending)));
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

static enum err
sq_throttle_purge(struct store *st, int64_t before)
{
	struct sqlite_store *s = S(st);
	enum err e;

	LOCK(s);
	e = exec(s, STMT_THROTTLE_PURGE, ARGS(I(before)));
	UNLOCK(s);
	return e;
}

/* BEGIN IMMEDIATE takes the write lock first, so another connection to
 * the file (a second process) cannot read the same counts in between. */
static enum err
sq_throttle_take(struct store *st, struct throttle_key *keys, size_t n,
                 const struct throttle_rule *r, int64_t now)
{
	struct sqlite_store *s = S(st);
	int64_t v[2], count;
	enum err e;

	LOCK(s);
	e = sq_run(s, "BEGIN IMMEDIATE");
	for (size_t i = 0; e == ERR_OK && i < n; i++) {
		v[0] = v[1] = 0;
		e = one_row(query(s, STMT_THROTTLE_GET, ARGS(T(keys[i].key))),
		            fill_throttle, v);
		if (e == ERR_NOTFOUND)
			e = ERR_OK;
		keys[i].prev = v[1];
		if (e == ERR_OK)
			e = one_row(
			        query(s, STMT_THROTTLE_TAKE,
			              ARGS(T(keys[i].key), I(now), I(r->window),
			                   I(keys[i].max), I(r->lockout),
			                   I(r->lockout_max))),
			        fill_count, &count);
		if (e == ERR_NOTFOUND)
			e = ERR_THROTTLED; /* locked: the update did not run */
	}
	sq_run(s, e == ERR_OK ? "COMMIT" : "ROLLBACK");
	UNLOCK(s);
	return e;
}

static enum err
sq_throttle_release(struct store *st, const struct throttle_key *k, int64_t now)
{
	struct sqlite_store *s = S(st);
	enum err e;

	LOCK(s);
	e = exec(s, STMT_THROTTLE_RELEASE, ARGS(T(k->key), I(now), I(k->prev)));
	UNLOCK(s);
	return e;
}

/* --- audit log --- */

static void
fill_audit_added(sqlite3_stmt *q, void *out)
{
	struct audit_entry *a = out;

	a->id = sqlite3_column_int64(q, 0);
	a->library_id = sqlite3_column_int64(q, 1);
}

static enum err
sq_audit_add(struct store *st, struct audit_entry *a)
{
	struct sqlite_store *s = S(st);
	enum err e;

	if (a->at == 0)
		a->at = time_now();
	LOCK(s);
	e = one_row(query(s, STMT_AUDIT_ADD,
	                  ARGS(I(a->at), T(audit_event_word(a->event)),
	                       I(a->account_id), I(a->school_id), T(a->actor),
	                       T(a->addr), T(a->detail), I(a->library_id))),
	            fill_audit_added, a);
	UNLOCK(s);
	return e;
}

static void
fill_audit(sqlite3_stmt *q, void *out)
{
	row_audit(q, out);
}

static enum err
sq_audit_list(struct store *st, const struct audit_filter *f, store_audit_cb cb,
              void *arg)
{
	struct sqlite_store *s = S(st);
	const char *ev = f->event >= 0 && f->event < AUDIT__MAX
	                         ? audit_event_word((enum audit_event)f->event)
	                         : "";

	LOCK(s);
	return list_rows(
	        s,
	        query(s, STMT_AUDIT_LIST,
	              ARGS(I(f->library_id), I(f->school_id), I(f->account_id),
	                   T(ev), I(f->from), I(f->to), I(f->before),
	                   I((int64_t)f->limit))),
	        sizeof(struct audit_entry), fill_audit,
	        (int (*)(const void *, void *))cb, arg);
}

/* --- API tokens --- */

static void
fill_token(sqlite3_stmt *q, void *out)
{
	struct api_token *t = out;

	memset(t, 0, sizeof(*t));
	t->id = sqlite3_column_int64(q, 0);
	t->library_id = sqlite3_column_int64(q, 1);
	sq_col_text(q, 2, t->name, sizeof(t->name));
	sq_col_text(q, 3, t->prefix, sizeof(t->prefix));
	sq_col_text(q, 4, t->hash, sizeof(t->hash));
	t->created = sqlite3_column_int64(q, 5);
	sq_col_text(q, 6, t->created_by, sizeof(t->created_by));
	t->last_used = sqlite3_column_int64(q, 7);
	t->revoked = sqlite3_column_int64(q, 8);
}

/* An audit row about token id of library, in the current transaction. */
static enum err
token_audit(struct sqlite_store *s, const struct store_actor *who,
            enum audit_event ev, int64_t library, int64_t id)
{
	char detail[64];

	snprintf(detail, sizeof(detail), "token %lld", (long long)id);
	return sq_exec(s, &s->stmts[STMT_AUDIT_ADD], stmt_sql[STMT_AUDIT_ADD],
	               ARGS(I(time_now()), T(audit_event_word(ev)),
	                    I(who->account_id), I(0), T(who->name),
	                    T(who->addr), T(detail), I(library)));
}

static enum err
sq_token_add(struct store *st, const struct store_actor *who,
             struct api_token *t)
{
	struct sqlite_store *s = S(st);
	enum err e;

	if (strlen(t->hash) != 64)
		return ERR_INVALID;
	t->created = time_now();
	str_copy(t->created_by, sizeof(t->created_by), who->name);
	LOCK(s);
	if ((e = sq_run(s, "BEGIN IMMEDIATE")) != ERR_OK)
		goto out;
	e = one_row(query(s, STMT_TOKEN_ADD,
	                  ARGS(I(t->library_id), T(t->name), T(t->prefix),
	                       T(t->hash), I(t->created), T(t->created_by))),
	            sq_fill_id, &t->id);
	if (e == ERR_OK)
		e = token_audit(s, who, AUDIT_TOKEN_CREATED, t->library_id,
		                t->id);
	if (e == ERR_OK)
		e = sq_run(s, "COMMIT");
	if (e != ERR_OK)
		sq_run(s, "ROLLBACK");
out:
	UNLOCK(s);
	return e;
}

static enum err
sq_token_list(struct store *st, int64_t library_id, store_token_cb cb,
              void *arg)
{
	struct sqlite_store *s = S(st);

	LOCK(s);
	return list_rows(s, query(s, STMT_TOKEN_LIST, ARGS(I(library_id))),
	                 sizeof(struct api_token), fill_token,
	                 (int (*)(const void *, void *))cb, arg);
}

static enum err
sq_token_by_hash(struct store *st, const char *hash, struct api_token *out)
{
	struct sqlite_store *s = S(st);
	enum err e;

	LOCK(s);
	e = one_row(query(s, STMT_TOKEN_BY_HASH, ARGS(T(hash))), fill_token,
	            out);
	UNLOCK(s);
	return e;
}

/* STMT_TOKEN_STATE's row: whether the token is in use, its library. */
struct token_state {
	int64_t in_use, library;
};

static void
fill_token_state(sqlite3_stmt *q, void *out)
{
	struct token_state *t = out;

	t->in_use = sqlite3_column_int64(q, 0);
	t->library = sqlite3_column_int64(q, 1);
}

static enum err
sq_token_revoke(struct store *st, const struct store_actor *who,
                int64_t library_id, int64_t id, int64_t now)
{
	struct sqlite_store *s = S(st);
	struct token_state t = { 0, 0 };
	enum err e;

	LOCK(s);
	if ((e = sq_run(s, "BEGIN IMMEDIATE")) != ERR_OK)
		goto out;
	e = one_row(query(s, STMT_TOKEN_STATE, ARGS(I(id), I(library_id))),
	            fill_token_state, &t);
	if (e == ERR_OK && !t.in_use)
		e = ERR_STATE;
	if (e == ERR_OK)
		e = exec(s, STMT_TOKEN_REVOKE, ARGS(I(id), I(now)));
	if (e == ERR_OK)
		e = token_audit(s, who, AUDIT_TOKEN_REVOKED, t.library, id);
	if (e == ERR_OK)
		e = sq_run(s, "COMMIT");
	if (e != ERR_OK)
		sq_run(s, "ROLLBACK");
out:
	UNLOCK(s);
	return e;
}

static enum err
sq_token_used(struct store *st, int64_t id, int64_t now)
{
	struct sqlite_store *s = S(st);
	enum err e;

	LOCK(s);
	e = change_one(s, exec(s, STMT_TOKEN_USED, ARGS(I(now), I(id))));
	UNLOCK(s);
	return e;
}

static const struct store_ops sqlite_ops = {
	.close = sq_close,
	.schema_version = sq_schema_version,
	.library_add = sq_library_add,
	.library_get = sq_library_get,
	.library_by_slug = sq_library_by_slug,
	.library_list = sq_library_list,
	.library_update = sq_library_update,
	.school_add = sq_school_add,
	.school_update = sq_school_update,
	.school_overview = sq_school_overview,
	.school_overview_get = sq_school_overview_get,
	.school_get = sq_school_get,
	.school_by_slug = sq_school_by_slug,
	.school_list = sq_school_list,
	.account_add = sq_account_add,
	.account_get = sq_account_get,
	.account_by_name = sq_account_by_name,
	.account_list = sq_account_list,
	.account_set_password = sq_account_set_password,
	.account_set_disabled = sq_account_set_disabled,
	.account_set_totp = sq_account_set_totp,
	.account_totp_step = sq_account_totp_step,
	.recovery_set = sq_recovery_set,
	.recovery_use = sq_recovery_use,
	.recovery_count = sq_recovery_count,
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
	.throttle_purge = sq_throttle_purge,
	.throttle_take = sq_throttle_take,
	.throttle_release = sq_throttle_release,
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
	.pupil_get = sq_pupil_get,
	.pupil_changes = sq_pupil_changes,
	.pupil_issues = sq_pupil_issues,
	.pupil_erase = sq_pupil_erase,
	.token_add = sq_token_add,
	.token_list = sq_token_list,
	.token_by_hash = sq_token_by_hash,
	.token_revoke = sq_token_revoke,
	.token_used = sq_token_used,
	.feed_list = sq_feed_list,
	.feed_head = sq_feed_head,
	.roster_snapshot = sq_roster_snapshot,
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
