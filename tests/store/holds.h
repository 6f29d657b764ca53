/*
 * Whether a PostgreSQL database still holds a text in the rows of the
 * tables that carry pupils' data: the store tests' check that a purge or
 * an erasure left nothing behind, on the PostgreSQL backend.  (On SQLite
 * the tests read the database's files themselves; PostgreSQL keeps a
 * removed row's old version in its pages until VACUUM, which is documented
 * in docs/avg.md, so here the live rows are what is checked.)
 */
#ifndef BIEBSYNC_TESTS_STORE_HOLDS_H
#define BIEBSYNC_TESTS_STORE_HOLDS_H

#include <stdbool.h>
#include <string.h>

#include <libpq-fe.h>

/* Is url a PostgreSQL database (tu_store_url's answer)? */
static inline bool
tu_is_pg(const char *url)
{
	return strncmp(url, "postgresql:", 11) == 0;
}

static inline bool
tu_pg_holds(const char *url, const char *text)
{
	static const char sql[] =
	        "SELECT (SELECT count(*) FROM students t"
	        "  WHERE strpos(t::text, $1) > 0)"
	        " + (SELECT count(*) FROM imports t WHERE strpos(t::text, $1) > 0)"
	        " + (SELECT count(*) FROM import_changes t"
	        "  WHERE strpos(t::text, $1) > 0)"
	        " + (SELECT count(*) FROM import_issues t"
	        "  WHERE strpos(t::text, $1) > 0)"
	        " + (SELECT count(*) FROM feed_events t"
	        "  WHERE strpos(t::text, $1) > 0)"
	        " + (SELECT count(*) FROM audit_log t"
	        "  WHERE strpos(t::text, $1) > 0)";
	const char *vals[1] = { text };
	PGconn *c = PQconnectdb(url);
	PGresult *r = PQexecParams(c, sql, 1, NULL, vals, NULL, NULL, 0);
	bool found;

	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		fprintf(stderr, "tu_pg_holds: %s", PQerrorMessage(c));
		abort();
	}
	found = strcmp(PQgetvalue(r, 0, 0), "0") != 0;
	PQclear(r);
	PQfinish(c);
	return found;
}

#endif
