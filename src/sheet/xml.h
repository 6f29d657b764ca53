/*
 * expat, wrapped for reading untrusted XML parts (internal to src/sheet/).
 *
 * Elements and attributes are reported by their local names (namespace
 * prefixes and URIs dropped), so transitional and strict OOXML, and ODF,
 * look alike to the readers.  Any DOCTYPE is refused, which rules out
 * entity expansion of every kind (XXE, billion laughs); nesting deeper than
 * the limit and parsing past the deadline stop the parse with a clear error.
 * Text arrives in pieces through the text handler.
 *
 * Large parts can take a fast path first (xml_init_fast, xmlscan.c): a
 * scanner for the plain XML such parts are written in, with the same
 * handler calls.  When it meets anything else it stops with x->fallback
 * set (xml_feed returns ERR_STATE); the caller then parses the part again
 * from the start with expat (xml_init), which decides.
 */
#ifndef BIEBSYNC_SHEET_XML_H
#define BIEBSYNC_SHEET_XML_H

#include <expat.h>

#include "reader.h"

struct xml;

struct xml_handlers {
	void (*start)(struct xml *x, const char *name, const char **atts);
	void (*end)(struct xml *x, const char *name);
	void (*text)(struct xml *x, const char *s, size_t n); /* may be NULL */
};

struct xmlscan;

struct xml {
	XML_Parser p;         /* NULL on the fast path */
	struct xmlscan *fast; /* the fast path's scanner, or NULL */
	bool fallback;        /* the fast path gave up: parse with expat */
	struct sheet_book *book;
	struct sheet_error *e;
	const struct xml_handlers *h;
	void *ud;
	unsigned depth;
	enum err err;        /* first failure; stops the parse */
	enum XML_Error xerr; /* expat's error when it refused the XML */
	bool done;           /* the handlers have seen all they need */
	unsigned tick;
};

void xml_init(struct xml *x, struct sheet_book *b, struct sheet_error *e,
              const struct xml_handlers *h, void *ud);
/* The fast path (see above); same handlers. */
void xml_init_fast(struct xml *x, struct sheet_book *b, struct sheet_error *e,
                   const struct xml_handlers *h, void *ud);
void xml_release(struct xml *x);
/* Feed n bytes (a zip_sink).  ctx is the struct xml. */
enum err xml_feed(void *ctx, const char *s, size_t n);
/* Tell the parser the document is complete. */
enum err xml_finish(struct xml *x);
/* Stop the parse from a handler with rc (e already filled). */
void xml_stop(struct xml *x, enum err rc);
/* Stop the parse from a handler successfully: the rest is skipped. */
void xml_done(struct xml *x);

/* For the fast path: report an element, its end and text to the handlers
 * as expat's callbacks would, with the same depth and time checks. */
void xml_emit_start(struct xml *x, const char *local, const char **atts);
void xml_emit_end(struct xml *x, const char *local);
void xml_emit_text(struct xml *x, const char *s, size_t n);

/* xmlscan.c */
struct xmlscan *xmlscan_new(void);
void xmlscan_free(struct xmlscan *s);
/* Scan n more bytes; final when they are the last. */
enum err xmlscan_feed(struct xml *x, const char *s, size_t n, bool final);

/* Local name of an element or attribute name as the handlers get them. */
const char *xml_local(const char *name);
/* Value of the attribute with this local name, or NULL. */
const char *xml_attr(const char **atts, const char *local);
/* Namespace URI length of a name ("uri\x01local"), 0 when none. */
size_t xml_ns_len(const char *name);

#endif
