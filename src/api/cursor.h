/*
 * The change feed's cursor as clients see it: an opaque text that encodes
 * a struct feed_pos (store.h) as "<event>.<seq>", two decimal numbers
 * without sign or leading zeros, each at most INT64_MAX.  "0.0" is before
 * the first entry.  Anything else is not a cursor: a client gets 400, never
 * a guess at what it meant.
 */
#ifndef BIEBSYNC_API_CURSOR_H
#define BIEBSYNC_API_CURSOR_H

#include <stdbool.h>

#include "../store/store.h"

#define CURSOR_SIZE 48 /* two int64 in decimal, the dot, the NUL */

/* Write p's cursor into out. */
void cursor_format(struct feed_pos p, char out[CURSOR_SIZE]);

/* Parse a cursor; false (and *out untouched) for anything that
 * cursor_format() would not have written. */
bool cursor_parse(const char *s, struct feed_pos *out);

#endif
