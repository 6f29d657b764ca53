/*
 * Writing HTML so that escaping cannot be forgotten.
 *
 * html() appends to a buffer from a format that is trusted markup written in
 * the source code; every %s argument is text and is escaped (& < > " ' become
 * entities), so data can never become markup.  The only ways to add raw
 * markup are %S, for strings that are themselves trusted markup from this
 * program (a message with a link), and html_raw().  Conversions: %s text,
 * %S trusted markup, %d int, %lld long long, %u unsigned, %%.
 */
#ifndef BIEBSYNC_WEB_HTML_H
#define BIEBSYNC_WEB_HTML_H

#include "../base/buf.h"

void html(struct buf *b, const char *fmt, ...);

/* Append s escaped. */
void html_text(struct buf *b, const char *s);

/* Append trusted markup unchanged. */
void html_raw(struct buf *b, const char *markup);

#endif
