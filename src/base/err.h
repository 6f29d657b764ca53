/*
 * Error codes shared by every layer.  Functions that can fail return an
 * enum err: 0 is success, every other value says what kind of failure it was.
 * Words for people are chosen at the edges: err_str() gives a short English
 * description for logs; the web and cli layers map codes to Dutch messages.
 */
#ifndef BIEBSYNC_BASE_ERR_H
#define BIEBSYNC_BASE_ERR_H

enum err {
	ERR_OK = 0,
	ERR_INVALID,   /* input does not parse or is out of range */
	ERR_LIMIT,     /* input exceeds a configured limit */
	ERR_NOTFOUND,  /* the named thing does not exist */
	ERR_EXISTS,    /* the thing to create exists already */
	ERR_DENIED,    /* not allowed (wrong password, disabled, forbidden) */
	ERR_THROTTLED, /* too many attempts; try again later */
	ERR_BUSY,      /* the database is locked by someone else */
	ERR_DB,        /* the database failed */
	ERR_IO,        /* reading or writing a file or socket failed */
	ERR_CONFLICT,  /* the data changed since it was read */
	ERR_STATE,     /* not allowed in the current state (already applied) */
	ERR_FULL,      /* the disk or the database is full */
	ERR__MAX
};

/* A short lowercase English description of e, for logs. Never NULL. */
const char *err_str(enum err e);

#endif
