/*
 * The hardened expat wrapper (see xml.h).  Names arrive from expat as
 * "namespace-uri\x01local"; the handlers see only the local part.
 */
#include <string.h>

#include "xml.h"

#define NS_SEP '\x01'

const char *
xml_local(const char *name)
{
	const char *s = strrchr(name, NS_SEP);

	return s != NULL ? s + 1 : name;
}

size_t
xml_ns_len(const char *name)
{
	const char *s = strrchr(name, NS_SEP);

	return s != NULL ? (size_t)(s - name) : 0;
}

const char *
xml_attr(const char **atts, const char *local)
{
	for (; atts[0] != NULL; atts += 2)
		if (strcmp(xml_local(atts[0]), local) == 0)
			return atts[1];
	return NULL;
}

void
xml_stop(struct xml *x, enum err rc)
{
	if (x->err == ERR_OK)
		x->err = rc;
	if (x->p != NULL)
		XML_StopParser(x->p, XML_FALSE);
}

void
xml_done(struct xml *x)
{
	x->done = true;
	if (x->p != NULL)
		XML_StopParser(x->p, XML_FALSE);
}

void
xml_emit_start(struct xml *x, const char *local, const char **atts)
{
	if (x->err != ERR_OK || x->done)
		return;
	if (++x->depth > x->book->lim.depth) {
		xml_stop(x, sheet_fail(x->e, SHEET_P_TOO_BIG, ERR_LIMIT,
		                       "xml: nesting deeper than %u",
		                       x->book->lim.depth));
		return;
	}
	if ((++x->tick & 8191) == 0 &&
	    book_check_time(x->book, x->e) != ERR_OK) {
		xml_stop(x, ERR_LIMIT);
		return;
	}
	x->h->start(x, local, atts);
}

void
xml_emit_end(struct xml *x, const char *local)
{
	if (x->err != ERR_OK || x->done)
		return;
	x->depth--;
	x->h->end(x, local);
}

void
xml_emit_text(struct xml *x, const char *s, size_t n)
{
	if (x->err != ERR_OK || x->done || x->h->text == NULL)
		return;
	x->h->text(x, s, n);
}

static void XMLCALL
on_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	xml_emit_start(ud, xml_local(name), atts);
}

static void XMLCALL
on_end(void *ud, const XML_Char *name)
{
	xml_emit_end(ud, xml_local(name));
}

static void XMLCALL
on_text(void *ud, const XML_Char *s, int n)
{
	xml_emit_text(ud, s, (size_t)n);
}

static void XMLCALL
on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
           const XML_Char *pubid, int has_internal)
{
	struct xml *x = ud;

	(void)name;
	(void)sysid;
	(void)pubid;
	(void)has_internal;
	xml_stop(x, sheet_fail(x->e, SHEET_P_UNSAFE, ERR_INVALID,
	                       "xml: DOCTYPE refused"));
}

static void XMLCALL
on_entity(void *ud, const XML_Char *name, int is_param, const XML_Char *value,
          int value_len, const XML_Char *base, const XML_Char *sysid,
          const XML_Char *pubid, const XML_Char *notation)
{
	struct xml *x = ud;

	(void)name, (void)is_param, (void)value, (void)value_len;
	(void)base, (void)sysid, (void)pubid, (void)notation;
	xml_stop(x, sheet_fail(x->e, SHEET_P_UNSAFE, ERR_INVALID,
	                       "xml: entity declaration refused"));
}

static void
setup(struct xml *x, struct sheet_book *b, struct sheet_error *e,
      const struct xml_handlers *h, void *ud)
{
	memset(x, 0, sizeof(*x));
	x->book = b;
	x->e = e;
	x->h = h;
	x->ud = ud;
}

void
xml_init(struct xml *x, struct sheet_book *b, struct sheet_error *e,
         const struct xml_handlers *h, void *ud)
{
	setup(x, b, e, h, ud);
	x->p = XML_ParserCreateNS(NULL, NS_SEP);
	XML_SetUserData(x->p, x);
	XML_SetElementHandler(x->p, on_start, on_end);
	XML_SetCharacterDataHandler(x->p, on_text);
	XML_SetStartDoctypeDeclHandler(x->p, on_doctype);
	XML_SetEntityDeclHandler(x->p, on_entity);
	XML_SetParamEntityParsing(x->p, XML_PARAM_ENTITY_PARSING_NEVER);
}

void
xml_init_fast(struct xml *x, struct sheet_book *b, struct sheet_error *e,
              const struct xml_handlers *h, void *ud)
{
	setup(x, b, e, h, ud);
	x->fast = xmlscan_new();
}

void
xml_release(struct xml *x)
{
	if (x->p != NULL)
		XML_ParserFree(x->p);
	x->p = NULL;
	xmlscan_free(x->fast);
	x->fast = NULL;
}

static enum err
parse(struct xml *x, const char *s, size_t n, bool final)
{
	if (x->err != ERR_OK || x->done)
		return x->err;
	if (x->fast != NULL) {
		if (xmlscan_feed(x, s, n, final) == ERR_STATE)
			return ERR_STATE;
		n = 0;
		final = false;
	}
	while (n > 0 || final) {
		int take = n > (1u << 30) ? (1 << 30) : (int)n;

		if (XML_Parse(x->p, s, take, final && (size_t)take == n) ==
		    XML_STATUS_ERROR) {
			if (x->err != ERR_OK || x->done)
				return x->err;
			x->xerr = XML_GetErrorCode(x->p);
			x->err = sheet_fail(
			        x->e, SHEET_P_BROKEN, ERR_INVALID,
			        "xml: %s at line %lu", XML_ErrorString(x->xerr),
			        (unsigned long)XML_GetCurrentLineNumber(x->p));
			return x->err;
		}
		if (x->err != ERR_OK || x->done)
			return x->err;
		s += take;
		n -= (size_t)take;
		if (n == 0)
			break;
	}
	if (book_check_time(x->book, x->e) != ERR_OK)
		x->err = ERR_LIMIT;
	return x->err;
}

enum err
xml_feed(void *ctx, const char *s, size_t n)
{
	return parse(ctx, s, n, false);
}

enum err
xml_finish(struct xml *x)
{
	return parse(x, "", 0, true);
}
