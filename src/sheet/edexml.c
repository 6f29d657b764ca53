/*
 * EDEXML 2.x: the Dutch standard XML export of pupil administrations
 * (ParnasSys, ESIS; schema by Edustandaard).  The document holds groepen
 * (each with a key and a naam) and leerlingen; each leerling becomes one row
 * of a single sheet "leerlingen" under a fixed header row:
 *
 *   key, achternaam, voorvoegsel, roepnaam, voornamen, voorletters,
 *   geboortedatum, jaargroep, groep, uitstroomdatum
 *
 * where groep is the naam of the groep the leerling's <groep key="..."/>
 * refers to, and dates (geboortedatum, uitstroomdatum) are date cells when
 * they are ISO dates (xs:date, with or without a time zone, which is
 * dropped: the date is the one written).  Two passes over the bytes: the
 * first collects the groepen of the document's own <groepen> (so their
 * order in the file does not matter; a leerkracht's <groepen> only refers
 * to them), the second streams the leerlingen.  Element names are compared
 * without namespace and case.
 *
 * Encoding: what expat reads (UTF-8, or what the XML declaration names:
 * UTF-16 with a byte order mark, ISO-8859-1, US-ASCII), and also UTF-16
 * without a mark and UTF-32, as the sniffer recognises them (encoding.c):
 * those are converted to UTF-8 first, into a copy of at most total_bytes,
 * which expat then reads as UTF-8 whatever the declaration says.  An
 * encoding expat does not know is refused as SHEET_P_ENCODING.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "reader.h"
#include "readers.h"
#include "xml.h"
#include "../base/mem.h"

enum field {
	F_KEY,
	F_ACHTERNAAM,
	F_VOORVOEGSEL,
	F_ROEPNAAM,
	F_VOORNAMEN,
	F_VOORLETTERS,
	F_GEBOORTEDATUM,
	F_JAARGROEP,
	F_GROEP,
	F_UITSTROOMDATUM,
	F__MAX
};

static const struct {
	const char *header; /* the column heading */
	const char *elem;   /* the child element of leerling (prefix match
	                       for voorletters-1) */
	bool date;
} fields[F__MAX] = {
	[F_KEY] = { "key", NULL, false },
	[F_ACHTERNAAM] = { "achternaam", "achternaam", false },
	[F_VOORVOEGSEL] = { "voorvoegsel", "voorvoegsel", false },
	[F_ROEPNAAM] = { "roepnaam", "roepnaam", false },
	[F_VOORNAMEN] = { "voornamen", "voornamen", false },
	[F_VOORLETTERS] = { "voorletters", "voorletters", false },
	[F_GEBOORTEDATUM] = { "geboortedatum", "geboortedatum", true },
	[F_JAARGROEP] = { "jaargroep", "jaargroep", false },
	[F_GROEP] = { "groep", NULL, false },
	[F_UITSTROOMDATUM] = { "uitstroomdatum", "uitstroomdatum", true },
};

struct group {
	char *key, *name;
};

struct edex {
	struct group *g;
	size_t ng;
	const char *text; /* the XML: the book's bytes, or owned */
	size_t len;
	char *owned; /* the document converted to UTF-8, or NULL */
};

/* ---- pass 1: groepen ---- */

struct gp {
	struct edex *x;
	struct sheet_error *e;
	uint32_t max;
	bool in_groepen, in_naam;
	unsigned gdepth; /* depth of the current groep element, 0 = none */
	unsigned depth;
	struct buf naam;
	char *key;
};

static void
gp_start(struct xml *xp, const char *name, const char **atts)
{
	struct gp *g = xp->ud;

	g->depth++;
	if (g->depth == 2 && strcasecmp(name, "groepen") == 0) {
		g->in_groepen = true;
	} else if (g->in_groepen && g->gdepth == 0 &&
	           strcasecmp(name, "groep") == 0) {
		const char *k = xml_attr(atts, "key");

		g->gdepth = g->depth;
		free(g->key);
		g->key = xstrdup(k != NULL ? k : "");
		buf_reset(&g->naam);
	} else if (g->gdepth != 0 && g->depth == g->gdepth + 1 &&
	           strcasecmp(name, "naam") == 0) {
		g->in_naam = true;
	}
}

static void
gp_end(struct xml *xp, const char *name)
{
	struct gp *g = xp->ud;
	struct edex *x = g->x;

	if (g->depth == 2 && strcasecmp(name, "groepen") == 0) {
		g->in_groepen = false;
	} else if (g->gdepth == g->depth && strcasecmp(name, "groep") == 0) {
		g->gdepth = 0;
		if (x->ng >= g->max) {
			xml_stop(xp,
			         sheet_fail(g->e, SHEET_P_TOO_BIG, ERR_LIMIT,
			                    "edexml: more than %u groepen",
			                    g->max));
			return;
		}
		x->g = xrealloc(x->g, (x->ng + 1) * sizeof(*x->g));
		x->g[x->ng].key = g->key;
		x->g[x->ng].name = xstrndup(g->naam.data, g->naam.len);
		x->ng++;
		g->key = NULL;
	} else if (strcasecmp(name, "naam") == 0) {
		g->in_naam = false;
	}
	g->depth--;
}

static void
gp_text(struct xml *xp, const char *s, size_t n)
{
	struct gp *g = xp->ud;

	if (g->in_naam)
		buf_add(&g->naam, s, n);
}

/* ---- pass 2: leerlingen ---- */

struct lp {
	struct edex *x;
	struct rowout *o;
	uint32_t row;
	unsigned depth, ldepth; /* ldepth: depth of the leerling, 0 = none */
	int field;              /* child being read, -1 none */
	struct buf v[F__MAX];
};

static const char *
group_name(const struct edex *x, const char *key)
{
	for (size_t i = 0; i < x->ng; i++)
		if (strcmp(x->g[i].key, key) == 0)
			return x->g[i].name;
	return NULL;
}

static enum err
lp_emit(struct lp *l)
{
	struct rowout *o = l->o;
	enum err rc;

	if ((rc = rowout_begin(o, ++l->row)) != ERR_OK)
		return rc;
	for (int f = 0; f < F__MAX && rc == ERR_OK; f++) {
		struct sheet_date d;
		struct buf *b = &l->v[f];

		if (b->err != ERR_OK)
			return sheet_fail(o->e, SHEET_P_TOO_BIG, ERR_LIMIT,
			                  "edexml: a value is too long");
		if (fields[f].date && date_from_iso(b->data, b->len, &d))
			rc = rowout_date(o, (uint32_t)f + 1, &d, 0);
		else
			rc = rowout_text(o, (uint32_t)f + 1, SHEET_TEXT,
			                 b->data, b->len);
	}
	return rc == ERR_OK ? rowout_end(o) : rc;
}

static void
lp_start(struct xml *xp, const char *name, const char **atts)
{
	struct lp *l = xp->ud;

	l->depth++;
	if (l->ldepth == 0) {
		if (strcasecmp(name, "leerling") == 0) {
			const char *k = xml_attr(atts, "key");

			l->ldepth = l->depth;
			for (int f = 0; f < F__MAX; f++)
				buf_reset(&l->v[f]);
			if (k != NULL)
				buf_adds(&l->v[F_KEY], k);
		}
		return;
	}
	if (l->depth != l->ldepth + 1)
		return;
	if (strcasecmp(name, "groep") == 0) {
		const char *k = xml_attr(atts, "key"), *g;

		if (k != NULL && (g = group_name(l->x, k)) != NULL) {
			buf_reset(&l->v[F_GROEP]);
			buf_adds(&l->v[F_GROEP], g);
		}
		return;
	}
	for (int f = 0; f < F__MAX; f++)
		if (fields[f].elem != NULL &&
		    strncasecmp(name, fields[f].elem, strlen(fields[f].elem)) ==
		            0) {
			l->field = f;
			buf_reset(&l->v[f]);
			return;
		}
}

static void
lp_end(struct xml *xp, const char *name)
{
	struct lp *l = xp->ud;
	enum err rc;

	if (l->ldepth != 0 && l->depth == l->ldepth) {
		l->ldepth = 0;
		if ((rc = lp_emit(l)) != ERR_OK)
			xml_stop(xp, rc);
	} else if (l->depth == l->ldepth + 1) {
		l->field = -1;
	}
	(void)name;
	l->depth--;
}

static void
lp_text(struct xml *xp, const char *s, size_t n)
{
	struct lp *l = xp->ud;

	if (l->ldepth != 0 && l->field >= 0 && l->depth == l->ldepth + 1)
		buf_add(&l->v[l->field], s, n);
}

static enum err
parse(struct sheet_book *b, const struct xml_handlers *h, void *ud,
      struct sheet_error *e)
{
	const struct edex *x = b->impl;
	struct xml xp;
	enum err rc;

	xml_init(&xp, b, e, h, ud);
	if (x->owned != NULL) /* converted: the declaration no longer holds */
		XML_SetEncoding(xp.p, "UTF-8");
	rc = xml_feed(&xp, x->text, x->len);
	if (rc == ERR_OK)
		rc = xml_finish(&xp);
	if (xp.xerr == XML_ERROR_UNKNOWN_ENCODING ||
	    xp.xerr == XML_ERROR_INCORRECT_ENCODING)
		e->problem = SHEET_P_ENCODING;
	xml_release(&xp);
	return rc;
}

/* UTF-16 and UTF-32 into x->owned as UTF-8; ERR_LIMIT past total_bytes. */
static enum err
to_utf8(struct sheet_book *b, struct edex *x, struct sheet_error *e)
{
	const unsigned char *d = b->data;
	size_t bom, max;
	enum text_enc enc = text_bom(d, b->len, &bom);
	struct buf u;

	x->text = (const char *)d;
	x->len = b->len;
	if (enc == TEXT_UTF8 && bom == 0)
		enc = text_xml_guess(d, b->len);
	if (enc == TEXT_UTF8)
		return ERR_OK;
	max = text_utf8_max(b->len - bom, enc);
	buf_init(&u, max < b->lim.total_bytes ? max : b->lim.total_bytes);
	if (text_to_utf8(d + bom, b->len - bom, enc, &u) != ERR_OK) {
		buf_release(&u);
		return sheet_fail(e, SHEET_P_TOO_BIG, ERR_LIMIT,
		                  "edexml: more than %zu bytes as UTF-8",
		                  b->lim.total_bytes);
	}
	x->owned = buf_detach(&u, &x->len);
	x->text = x->owned;
	buf_release(&u);
	return ERR_OK;
}

static enum err
edexml_read(struct sheet_book *b, size_t i, struct rowout *o)
{
	static const struct xml_handlers h = { lp_start, lp_end, lp_text };
	struct lp l;
	enum err rc;

	(void)i;
	memset(&l, 0, sizeof(l));
	l.x = b->impl;
	l.o = o;
	l.field = -1;
	for (int f = 0; f < F__MAX; f++)
		buf_init(&l.v[f], b->lim.cell_bytes);
	/* the header row */
	rc = rowout_begin(o, ++l.row);
	for (int f = 0; f < F__MAX && rc == ERR_OK; f++)
		rc = rowout_text(o, (uint32_t)f + 1, SHEET_TEXT,
		                 fields[f].header, strlen(fields[f].header));
	if (rc == ERR_OK)
		rc = rowout_end(o);
	if (rc == ERR_OK)
		rc = parse(b, &h, &l, o->e);
	for (int f = 0; f < F__MAX; f++)
		buf_release(&l.v[f]);
	return rc;
}

static void
edexml_free(void *impl)
{
	struct edex *x = impl;

	for (size_t i = 0; i < x->ng; i++) {
		free(x->g[i].key);
		free(x->g[i].name);
	}
	free(x->g);
	free(x->owned);
	free(x);
}

static const struct reader_ops edexml_ops = { .read = edexml_read,
	                                      .free = edexml_free };

enum err
edexml_open(struct sheet_book *b, struct sheet_error *e)
{
	static const struct xml_handlers h = { gp_start, gp_end, gp_text };
	struct edex *x = xcalloc(1, sizeof(*x));
	struct gp g;
	enum err rc;

	b->ops = &edexml_ops;
	b->impl = x;
	if ((rc = to_utf8(b, x, e)) != ERR_OK)
		return rc;
	memset(&g, 0, sizeof(g));
	g.x = x;
	g.e = e;
	g.max = b->lim.strings;
	buf_init(&g.naam, b->lim.cell_bytes);
	rc = parse(b, &h, &g, e);
	buf_release(&g.naam);
	free(g.key);
	if (rc != ERR_OK)
		return rc;
	return book_add_sheet(b, "leerlingen", true, e);
}
