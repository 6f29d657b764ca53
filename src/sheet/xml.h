/*
 * expat, wrapped for reading untrusted XML parts (internal to src/sheet/).
 *
 * Elements and attributes are reported by their local names (namespace
 * prefixes and URIs dropped), so transitional and strict OOXML, and ODF,
 * look alike to the readers.  Any DOCTYPE is refused, which rules out
 * entity expansion of every kind (XXE, billion laughs); nesting deeper than
 * the limit and parsing past the deadline stop the parse with a clear error.
 * Text arrives in pieces through the text handler.
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

struct xml {
	XML_Parser p;
	struct sheet_book *book;
	struct sheet_error *e;
	const struct xml_handlers *h;
	void *ud;
	unsigned depth;
	enum err err; /* first failure; stops the parse */
	bool done;    /* the handlers have seen all they need */
	unsigned tick;
};

void xml_init(struct xml *x, struct sheet_book *b, struct sheet_error *e,
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

/* Local name of an element or attribute name as the handlers get them. */
const char *xml_local(const char *name);
/* Value of the attribute with this local name, or NULL. */
const char *xml_attr(const char **atts, const char *local);
/* Namespace URI length of a name ("uri\x01local"), 0 when none. */
size_t xml_ns_len(const char *name);

#endif
