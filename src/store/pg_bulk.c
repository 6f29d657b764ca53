/*
 * The PostgreSQL backend's two bulk paths (pg_roster_int.h): reading a large
 * result a batch at a time, and writing many rows with COPY FROM STDIN.
 *
 * A school's roster or an import's journal may have a million rows.  Read
 * as one PGresult that is several hundred megabytes; read through a cursor
 * it is FETCH_ROWS rows at a time.  Written one INSERT per row it is a
 * million round trips; written as COPY it is one statement streaming rows
 * in chunks of COPY_CHUNK bytes.  Both run outside pg_int.h's statement
 * cache; the SQL text still comes from the callers' declared tables and
 * every value travels as a bound parameter or as escaped COPY data.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "pg_roster_int.h"
#include "../base/log.h"
#include "../base/strparse.h"

#define STR_(x) #x
#define STR(x)  STR_(x)

#define COPY_CHUNK (1 << 20)  /* bytes sent to the server at a time */
#define COPY_MAX   (64 << 20) /* a row never gets near this */

/* The connection is gone: the pool resets it when it is taken next. */
static void
check_lost(struct pg_conn *c)
{
	if (PQstatus(c->conn) == CONNECTION_BAD)
		c->lost = true;
}

static enum err
result_err(const PGresult *r)
{
	return pg_err(r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL);
}

/* Log a failed result: its SQLSTATE and primary message, never the
 * detail (which may quote a pupil's values). */
static void
log_result(const char *what, const PGresult *r)
{
	const char *st = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	const char *m =
	        r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;

	log_error(NULL, "postgresql: %s failed: %s %s", what, st ? st : "-",
	          m ? m : "no answer from the server");
}

/* The n args as text for libpq (integers written into num). */
static void
args_text(const struct pg_arg *args, size_t n, char (*num)[24],
          const char **vals)
{
	for (size_t i = 0; i < n; i++) {
		if (args[i].type == 'i') {
			snprintf(num[i], sizeof(num[i]), "%lld",
			         (long long)args[i].i);
			vals[i] = num[i];
		} else {
			vals[i] = args[i].t;
		}
	}
}

/* A cursor, fetched FETCH_ROWS rows at a time (libpq's single-row mode,
 * a PGresult per row, took four times as long for a million rows). */
#define FETCH_ROWS 10000
static enum err
stream_cursor(struct pg_conn *c, const char *sql, const char **vals, size_t n,
              int (*each)(const PGresult *r, int row, void *arg), void *arg)
{
	struct buf q;
	PGresult *r;
	enum err e = ERR_OK;
	bool done = false;

	buf_init(&q, 65536);
	buf_adds(&q, "DECLARE pgr_rows NO SCROLL CURSOR FOR ");
	buf_adds(&q, sql);
	if (q.err != ERR_OK) {
		buf_release(&q);
		return ERR_LIMIT;
	}
	r = PQexecParams(c->conn, q.data, (int)n, NULL, vals, NULL, NULL, 0);
	buf_release(&q);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		log_result("declaring a cursor", r);
		e = r ? result_err(r) : ERR_DB;
		PQclear(r);
		check_lost(c);
		return e == ERR_OK ? ERR_DB : e;
	}
	PQclear(r);
	while (!done && e == ERR_OK) {
		r = PQexec(c->conn, "FETCH " STR(FETCH_ROWS) " FROM pgr_rows");
		if (PQresultStatus(r) != PGRES_TUPLES_OK) {
			log_result("fetching", r);
			e = r ? result_err(r) : ERR_DB;
			if (e == ERR_OK)
				e = ERR_DB;
		} else {
			int rows = PQntuples(r);

			done = rows < FETCH_ROWS;
			for (int i = 0; i < rows; i++)
				if (each(r, i, arg) != 0) {
					done = true; /* the caller stops */
					break;
				}
		}
		PQclear(r);
	}
	if (e == ERR_OK) {
		r = PQexec(c->conn, "CLOSE pgr_rows");
		if (PQresultStatus(r) != PGRES_COMMAND_OK)
			e = r ? result_err(r) : ERR_DB;
		PQclear(r);
	}
	check_lost(c);
	return e;
}

enum err
pgr_stream(struct pg_conn *c, const char *sql, const struct pg_arg *args,
           size_t n, int (*each)(const PGresult *r, int row, void *arg),
           void *arg)
{
	char num[PG_MAXARGS][24];
	const char *vals[PG_MAXARGS];

	if (n > PG_MAXARGS)
		return ERR_LIMIT;
	args_text(args, n, num, vals);
	if (!c->in_tx)
		return ERR_INVALID; /* a cursor lives in a transaction */
	return stream_cursor(c, sql, vals, n, each, arg);
}

static void
flush(struct pgr_copy *w, bool all)
{
	if (w->e != ERR_OK || (!all && w->b.len < COPY_CHUNK) || w->b.len == 0)
		return;
	if (PQputCopyData(w->c->conn, w->b.data, (int)w->b.len) != 1) {
		log_error(NULL, "postgresql: cannot send copy data");
		check_lost(w->c);
		w->e = ERR_DB;
	}
	buf_reset(&w->b);
}

enum err
pgr_copy_begin(struct pgr_copy *w, struct pg_conn *c, const char *sql)
{
	PGresult *r;

	memset(w, 0, sizeof(*w));
	w->c = c;
	w->first = true;
	buf_init(&w->b, COPY_MAX);
	r = PQexec(c->conn, sql);
	if (PQresultStatus(r) != PGRES_COPY_IN) {
		log_result("starting a copy", r);
		w->e = r ? result_err(r) : ERR_DB;
		if (w->e == ERR_OK)
			w->e = ERR_DB;
		check_lost(c);
	}
	PQclear(r);
	return w->e;
}

static void
sep(struct pgr_copy *w)
{
	if (!w->first)
		buf_addc(&w->b, '\t');
	w->first = false;
}

void
pgr_copy_text(struct pgr_copy *w, const char *s)
{
	const char *run = s;

	sep(w);
	/* copy unescaped runs whole; escape the four bytes COPY's text
	 * format gives a meaning */
	for (; *s != '\0'; s++) {
		const char *esc = *s == '\\'   ? "\\\\"
		                  : *s == '\t' ? "\\t"
		                  : *s == '\n' ? "\\n"
		                  : *s == '\r' ? "\\r"
		                               : NULL;

		if (esc == NULL)
			continue;
		buf_add(&w->b, run, (size_t)(s - run));
		buf_adds(&w->b, esc);
		run = s + 1;
	}
	buf_add(&w->b, run, (size_t)(s - run));
}

void
pgr_copy_int(struct pgr_copy *w, int64_t v)
{
	sep(w);
	buf_addf(&w->b, "%lld", (long long)v);
}

void
pgr_copy_end(struct pgr_copy *w)
{
	buf_addc(&w->b, '\n');
	w->first = true;
	if (w->b.err != ERR_OK && w->e == ERR_OK)
		w->e = w->b.err;
	flush(w, false);
}

enum err
pgr_copy_finish(struct pgr_copy *w, int64_t *rows)
{
	PGresult *r;
	enum err e;

	flush(w, true);
	if (PQputCopyEnd(w->c->conn, w->e == ERR_OK ? NULL : "aborted") != 1) {
		check_lost(w->c);
		if (w->e == ERR_OK)
			w->e = ERR_DB;
	}
	e = w->e;
	while ((r = PQgetResult(w->c->conn)) != NULL) {
		if (PQresultStatus(r) == PGRES_COMMAND_OK) {
			uint64_t v = 0;

			if (rows != NULL && parse_u64(PQcmdTuples(r), 0,
			                              INT64_MAX, &v) == ERR_OK)
				*rows = (int64_t)v;
		} else if (e == ERR_OK) {
			log_result("a copy", r);
			e = result_err(r);
		}
		PQclear(r);
	}
	check_lost(w->c);
	buf_release(&w->b);
	return e;
}
