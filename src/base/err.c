/*
 * English descriptions of enum err for log lines.  The table is indexed by
 * the enum, so adding a code without a description fails to compile (the
 * static assertion below).
 */
#include "err.h"

static const char *const err_words[] = {
	[ERR_OK] = "ok",
	[ERR_INVALID] = "invalid input",
	[ERR_LIMIT] = "limit exceeded",
	[ERR_NOTFOUND] = "not found",
	[ERR_EXISTS] = "already exists",
	[ERR_DENIED] = "denied",
	[ERR_THROTTLED] = "throttled",
	[ERR_BUSY] = "database busy",
	[ERR_DB] = "database error",
	[ERR_IO] = "i/o error",
	[ERR_CONFLICT] = "changed in the meantime",
	[ERR_STATE] = "not allowed in this state",
	[ERR_FULL] = "disk or database full",
};

_Static_assert(sizeof(err_words) / sizeof(err_words[0]) == ERR__MAX,
               "every enum err needs a description");

const char *
err_str(enum err e)
{
	if ((unsigned)e >= ERR__MAX)
		return "unknown error";
	return err_words[e];
}
