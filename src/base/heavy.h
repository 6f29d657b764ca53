/*
 * Where heavy work may run.  Hashing a password (Argon2, tens of
 * milliseconds and 64 MiB) and reading an uploaded file (up to seconds)
 * belong on the server's worker pool, never on the threads that serve
 * HTTP: there they stalled every other request (issue 12, point 3).  The
 * pool marks its threads; the code that does heavy work calls heavy_check(),
 * which, once the server has switched the check on, logs an error naming
 * the work when it runs on any other thread.  That error means a route
 * that hashes or reads a file is not marked heavy in src/web/app.c's route
 * table; the end-to-end tests fail on it (e2e/lib/server.mjs).
 *
 * The command line (admin, check, import, demo) never switches the check
 * on: there the work runs on the main thread, as it should.
 */
#ifndef BIEBSYNC_BASE_HEAVY_H
#define BIEBSYNC_BASE_HEAVY_H

#include <stdbool.h>

/* The text of the error line, for tests and log searches. */
#define HEAVY_MISPLACED "heavy work on a request thread"

/* Mark the calling thread as one of the worker pool's. */
void heavy_thread_mark(void);

/* Whether the calling thread is marked. */
bool heavy_thread_marked(void);

/* Switch the check on (the server) or off (the default). */
void heavy_enforce(bool on);

/*
 * what (e.g. "argon2", "file read") is about to run: when the check is on
 * and the calling thread is not marked, log an error and return false.
 * The work goes on either way; the error is for the tests and the operator.
 */
bool heavy_check(const char *what);

#endif
