/*
 * The fast path for large spreadsheet parts (see xml.h): a scanner for the
 * plain subset of XML that worksheets and shared strings are written in —
 * an optional UTF-8 XML declaration, elements with ASCII names, attributes,
 * namespace declarations, text with the five predefined entities and
 * character references — that reports the same handler calls as expat in
 * namespace mode would.
 *
 * It works in place on its own buffer: a tag is first lexed without
 * touching the bytes and, once it is complete, its names and values are
 * NUL-terminated and decoded where they lie.  Anything outside the subset,
 * or anything not well-formed (comments, processing instructions, CDATA,
 * a DOCTYPE, another encoding, non-ASCII names, a mismatched tag, an
 * unbound prefix, a stray "]]>", a character XML does not allow, a token
 * carried over between feeds beyond SCAN_TOKEN_MAX) is not judged here: the
 * scan stops with x->fallback set and the caller parses the part again with
 * expat, which decides.  So a document this scanner finishes is one expat
 * accepts, with the same elements, attributes and text.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "xml.h"
#include "../base/mem.h"
#include "../base/text.h"

#define SCAN_TOKEN_MAX (1u << 20) /* one tag or text run, in bytes */
#define SCAN_ATTS      64         /* attributes of one element */
#define SCAN_BINDINGS  64         /* namespace prefixes in scope */

enum { S_START, S_PROLOG, S_CONTENT, S_EPILOG };

/* What the scan of the buffer came to. */
enum step { STEP_MORE, STEP_STOP, STEP_FALLBACK };

struct binding {
	char prefix[32];
	unsigned depth;
};

struct xmlscan {
	char *buf; /* cap + 1 bytes; buf[len] is a NUL sentinel */
	size_t pos, len, cap;
	int state;
	/* open elements: qnames back to back, offsets per depth */
	char *names;
	size_t nlen, ncap;
	size_t open[64 + 1];
	unsigned depth;
	struct binding bind[SCAN_BINDINGS];
	unsigned nbind;
	const char *atts[2 * SCAN_ATTS + 1];
};

/* Character classes. */
enum {
	C_NAME1 = 1,  /* may start a name: A-Z a-z _ */
	C_NAME = 2,   /* may continue a name: also 0-9 . - */
	C_SPACE = 4,  /* XML white space */
	C_PLAIN = 8,  /* text byte needing no attention (0x20-0x7e but & ] <,
	                 tab, LF) */
	C_APLAIN = 16 /* attribute value byte needing none (0x20-0x7e but & <
	                 and the quotes) */
};

static unsigned char cls[256];

static void
cls_init(void)
{
	for (int c = 0x20; c < 0x7f; c++) {
		cls[c] |= C_PLAIN | C_APLAIN;
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    c == '_')
			cls[c] |= C_NAME1 | C_NAME;
		if ((c >= '0' && c <= '9') || c == '.' || c == '-')
			cls[c] |= C_NAME;
	}
	cls['&'] &= (unsigned char)~(C_PLAIN | C_APLAIN);
	cls['<'] &= (unsigned char)~(C_PLAIN | C_APLAIN);
	cls[']'] &= (unsigned char)~C_PLAIN;
	cls['"'] &= (unsigned char)~C_APLAIN;
	cls['\''] &= (unsigned char)~C_APLAIN;
	cls['\t'] |= C_PLAIN | C_SPACE;
	cls['\n'] |= C_PLAIN | C_SPACE;
	cls['\r'] |= C_SPACE;
	cls[' '] |= C_SPACE;
}

struct xmlscan *
xmlscan_new(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	struct xmlscan *s = xcalloc(1, sizeof(*s));

	pthread_once(&once, cls_init); /* the class table, once per process */
	s->cap = 256u << 10;
	s->buf = xmalloc(s->cap + 1);
	s->buf[0] = '\0';
	s->ncap = 1024;
	s->names = xmalloc(s->ncap);
	return s;
}

void
xmlscan_free(struct xmlscan *s)
{
	if (s == NULL)
		return;
	free(s->buf);
	free(s->names);
	free(s);
}

/* ------------------------------------------------------------------ */
/* characters */

/* Length of the valid UTF-8 sequence of an XML Char at p (lead byte >=
 * 0x80), or 0.  end bounds the read; the NUL sentinel stops it anyway. */
static size_t
utf8_char(const unsigned char *p, const unsigned char *end)
{
	unsigned c = p[0];

	if (c >= 0xc2 && c <= 0xdf)
		return end - p >= 2 && (p[1] & 0xc0) == 0x80 ? 2 : 0;
	if (c >= 0xe0 && c <= 0xef) {
		if (end - p < 3 || (p[1] & 0xc0) != 0x80 ||
		    (p[2] & 0xc0) != 0x80)
			return 0;
		if (c == 0xe0 && p[1] < 0xa0)
			return 0; /* overlong */
		if (c == 0xed && p[1] >= 0xa0)
			return 0; /* surrogate */
		if (c == 0xef && p[1] == 0xbf && p[2] >= 0xbe)
			return 0; /* U+FFFE, U+FFFF */
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		if (end - p < 4 || (p[1] & 0xc0) != 0x80 ||
		    (p[2] & 0xc0) != 0x80 || (p[3] & 0xc0) != 0x80)
			return 0;
		if ((c == 0xf0 && p[1] < 0x90) || (c == 0xf4 && p[1] >= 0x90))
			return 0;
		return 4;
	}
	return 0;
}

static bool
xml_char(uint64_t v)
{
	return v == 0x9 || v == 0xa || v == 0xd || (v >= 0x20 && v <= 0xd7ff) ||
	       (v >= 0xe000 && v <= 0xfffd) || (v >= 0x10000 && v <= 0x10ffff);
}

/* Decode the reference at p ('&') into w; returns the bytes read, 0 when
 * it is not one of ours. */
static size_t
reference(const char *p, const char *end, char **w)
{
	uint64_t v = 0;
	const char *q;
	char *o = *w;

	if (end - p >= 4 && memcmp(p, "&lt;", 4) == 0)
		return *o = '<', *w = o + 1, 4;
	if (end - p >= 4 && memcmp(p, "&gt;", 4) == 0)
		return *o = '>', *w = o + 1, 4;
	if (end - p >= 5 && memcmp(p, "&amp;", 5) == 0)
		return *o = '&', *w = o + 1, 5;
	if (end - p >= 6 && memcmp(p, "&quot;", 6) == 0)
		return *o = '"', *w = o + 1, 6;
	if (end - p >= 6 && memcmp(p, "&apos;", 6) == 0)
		return *o = '\'', *w = o + 1, 6;
	if (end - p < 4 || p[1] != '#')
		return 0;
	q = p + 2;
	if (*q == 'x') {
		for (q++; q < end && q - p < 12; q++) {
			char c = *q;

			if (c >= '0' && c <= '9')
				v = v * 16 + (uint64_t)(c - '0');
			else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
				v = v * 16 + (uint64_t)((c | 0x20) - 'a' + 10);
			else
				break;
		}
		if (q == p + 3)
			return 0;
	} else {
		for (; q < end && q - p < 12 && *q >= '0' && *q <= '9'; q++)
			v = v * 10 + (uint64_t)(*q - '0');
		if (q == p + 2)
			return 0;
	}
	if (q >= end || *q != ';' || !xml_char(v))
		return 0;
	*w = o + utf8_put((uint32_t)v, o);
	return (size_t)(q + 1 - p);
}

/*
 * Check and decode the text or attribute value [p, end) in place, as expat
 * reports it: references replaced, line ends normalised to LF and, in an
 * attribute value, tab, LF and CR to a space.  Returns the decoded length,
 * or (size_t)-1 when the run is outside the subset.
 */
static size_t
decode(char *p, char *end, bool attr)
{
	unsigned char plain = attr ? C_APLAIN : C_PLAIN;
	char *r = p, *w;

	while (r < end && (cls[(unsigned char)*r] & plain))
		r++;
	w = r; /* from here on the run is rewritten */
	for (;;) {
		unsigned char c;
		size_t k;

		while (r < end && (cls[(unsigned char)*r] & plain))
			*w++ = *r++;
		if (r == end)
			return (size_t)(w - p);
		c = (unsigned char)*r;
		if (c >= 0x80) {
			if ((k = utf8_char((unsigned char *)r,
			                   (unsigned char *)end)) == 0)
				return (size_t)-1;
			memmove(w, r, k);
			w += k;
			r += k;
		} else if (c == '&') {
			if ((k = reference(r, end, &w)) == 0)
				return (size_t)-1;
			r += k;
		} else if (c == '\r') {
			*w++ = attr ? ' ' : '\n';
			r += r + 1 < end && r[1] == '\n' ? 2 : 1;
		} else if (attr && (c == '\t' || c == '\n')) {
			*w++ = ' ';
			r++;
		} else if (!attr && c == ']') {
			if (end - r >= 3 && r[1] == ']' && r[2] == '>')
				return (size_t)-1;
			*w++ = *r++;
		} else if (attr && (c == '"' || c == '\'')) {
			*w++ = *r++; /* the other quote */
		} else {
			return (size_t)-1; /* control character, '<' */
		}
	}
}

/* ------------------------------------------------------------------ */
/* names and namespaces */

/* Scan a name at p: ASCII, at most one colon, not first or last.  Returns
 * its end (end itself when the buffer ends first), or NULL when it is not
 * such a name; *colon is set to the colon or NULL. */
static char *
name(char *p, char *end, char **colon)
{
	*colon = NULL;
	if (p >= end)
		return end;
	if (!(cls[(unsigned char)*p] & C_NAME1))
		return NULL;
	for (p++;; p++) {
		if (cls[(unsigned char)*p] & C_NAME)
			continue; /* the NUL after the buffer stops this */
		if (*p != ':')
			break;
		if (*colon != NULL)
			return NULL;
		if (p + 1 >= end)
			return end;
		if (!(cls[(unsigned char)p[1]] & C_NAME1))
			return NULL;
		*colon = p;
	}
	return p;
}

/* Is [v, v + n) the namespace URI of the xml or the xmlns prefix?  Expat
 * refuses to bind any other prefix, or the default namespace, to them. */
static bool
reserved_uri(const char *v, size_t n)
{
	static const char xml[] = "http://www.w3.org/XML/1998/namespace";
	static const char xmlns[] = "http://www.w3.org/2000/xmlns/";

	return (n == sizeof(xml) - 1 && memcmp(v, xml, n) == 0) ||
	       (n == sizeof(xmlns) - 1 && memcmp(v, xmlns, n) == 0);
}

static bool
bound(const struct xmlscan *s, const char *prefix, size_t n)
{
	for (unsigned i = s->nbind; i-- > 0;)
		if (strlen(s->bind[i].prefix) == n &&
		    memcmp(s->bind[i].prefix, prefix, n) == 0)
			return true;
	return false;
}

/* ------------------------------------------------------------------ */
/* tags */

struct lexed {
	char *qname, *qend, *colon;
	unsigned natts;
	struct {
		char *n, *nend, *v, *vend, *colon;
	} a[SCAN_ATTS];
	bool empty;
	char *end; /* after '>' */
};

/* Lex the start tag whose name begins at p without changing any byte. */
static enum step
lex_start(char *p, char *end, struct lexed *t)
{
	char *q;

	if ((q = name(p, end, &t->colon)) == NULL)
		return STEP_FALLBACK;
	t->qname = p;
	t->qend = q;
	t->natts = 0;
	for (;;) {
		bool space = false;
		char quote;

		while (cls[(unsigned char)*q] & C_SPACE)
			q++, space = true;
		if (q >= end)
			return STEP_MORE;
		if (*q == '>') {
			t->empty = false;
			t->end = q + 1;
			return STEP_STOP;
		}
		if (*q == '/') {
			if (q + 1 >= end)
				return STEP_MORE;
			if (q[1] != '>')
				return STEP_FALLBACK;
			t->empty = true;
			t->end = q + 2;
			return STEP_STOP;
		}
		if (!space || t->natts == SCAN_ATTS)
			return STEP_FALLBACK;
		t->a[t->natts].n = q;
		if ((q = name(q, end, &t->a[t->natts].colon)) == NULL)
			return STEP_FALLBACK;
		t->a[t->natts].nend = q;
		while (cls[(unsigned char)*q] & C_SPACE)
			q++;
		if (q >= end)
			return STEP_MORE;
		if (*q++ != '=')
			return STEP_FALLBACK;
		while (cls[(unsigned char)*q] & C_SPACE)
			q++;
		if (q >= end)
			return STEP_MORE;
		quote = *q++;
		if (quote != '"' && quote != '\'')
			return STEP_FALLBACK;
		t->a[t->natts].v = q;
		if ((q = memchr(q, quote, (size_t)(end - q))) == NULL)
			return STEP_MORE;
		t->a[t->natts].vend = q++;
		t->natts++;
	}
}

/* Push an element's qname for the end-tag check. */
static void
push_name(struct xmlscan *s, const char *q, size_t n)
{
	if (s->nlen + n + 1 > s->ncap) {
		s->ncap = (s->nlen + n + 1) * 2;
		s->names = xrealloc(s->names, s->ncap);
	}
	s->open[s->depth] = s->nlen;
	memcpy(s->names + s->nlen, q, n);
	s->names[s->nlen + n] = '\0';
	s->nlen += n + 1;
}

/* Act on a complete start tag: namespace declarations, prefixes, values,
 * then the handler. */
static enum step
commit_start(struct xml *x, struct xmlscan *s, struct lexed *t)
{
	unsigned nb = s->nbind, na = 0;
	size_t qn = (size_t)(t->qend - t->qname);

	if (s->depth == 64)
		return STEP_FALLBACK; /* deeper than any limit allows */
	for (unsigned i = 0; i < t->natts; i++) {
		char *n = t->a[i].n;
		size_t nl = (size_t)(t->a[i].nend - n), vl;

		for (unsigned j = 0; j < i; j++)
			if ((size_t)(t->a[j].nend - t->a[j].n) == nl &&
			    memcmp(t->a[j].n, n, nl) == 0)
				return STEP_FALLBACK; /* duplicate */
		vl = decode(t->a[i].v, t->a[i].vend, true);
		if (vl == (size_t)-1)
			return STEP_FALLBACK;
		t->a[i].vend = t->a[i].v + vl;
		if ((nl == 5 || t->a[i].colon == n + 5) &&
		    memcmp(n, "xmlns", 5) == 0 && reserved_uri(t->a[i].v, vl))
			return STEP_FALLBACK;
		if (nl == 5 && memcmp(n, "xmlns", 5) == 0)
			continue; /* default namespace: names stay local */
		if (t->a[i].colon == n + 5 && memcmp(n, "xmlns", 5) == 0) {
			size_t pl = nl - 6;

			if (vl == 0 || pl >= sizeof(s->bind[0].prefix) ||
			    s->nbind == SCAN_BINDINGS ||
			    (pl == 3 && memcmp(n + 6, "xml", 3) == 0) ||
			    (pl == 5 && memcmp(n + 6, "xmlns", 5) == 0))
				return STEP_FALLBACK;
			memcpy(s->bind[s->nbind].prefix, n + 6, pl);
			s->bind[s->nbind].prefix[pl] = '\0';
			s->bind[s->nbind].depth = s->depth + 1;
			s->nbind++;
		}
	}
	if (t->colon != NULL &&
	    !bound(s, t->qname, (size_t)(t->colon - t->qname)))
		goto fallback;
	for (unsigned i = 0; i < t->natts; i++) {
		char *n = t->a[i].n;
		const char *c = t->a[i].colon, *local = n;

		if ((size_t)(t->a[i].nend - n) == 5 &&
		    memcmp(n, "xmlns", 5) == 0)
			continue;
		if (c != NULL) {
			size_t pl = (size_t)(c - n);

			if (pl == 5 && memcmp(n, "xmlns", 5) == 0)
				continue;
			if (!(pl == 3 && memcmp(n, "xml", 3) == 0) &&
			    !bound(s, n, pl))
				goto fallback;
			local = c + 1;
			/* p:a and q:a may name the same attribute */
			for (unsigned j = 0; j < t->natts; j++)
				if (j != i && t->a[j].colon != NULL &&
				    t->a[j].nend - t->a[j].colon ==
				            t->a[i].nend - c &&
				    memcmp(t->a[j].colon, c,
				           (size_t)(t->a[i].nend - c)) == 0)
					goto fallback;
		}
		s->atts[na++] = local;
		s->atts[na++] = t->a[i].v;
	}
	s->atts[na] = NULL;
	push_name(s, t->qname, qn);
	s->depth++;
	/* NUL-terminate in place: nothing below reads the raw tag again */
	for (unsigned i = 0; i < t->natts; i++) {
		*t->a[i].nend = '\0';
		*t->a[i].vend = '\0';
	}
	*t->qend = '\0';
	xml_emit_start(x, t->colon != NULL ? t->colon + 1 : t->qname, s->atts);
	if (t->empty)
		xml_emit_end(x, t->colon != NULL ? t->colon + 1 : t->qname);
	return STEP_STOP;
fallback:
	s->nbind = nb;
	return STEP_FALLBACK;
}

static void
pop(struct xmlscan *s)
{
	s->depth--;
	s->nlen = s->open[s->depth];
	while (s->nbind > 0 && s->bind[s->nbind - 1].depth > s->depth)
		s->nbind--;
}

/* ------------------------------------------------------------------ */
/* the document */

/* The XML declaration at p ("<?xml"): version 1.0, UTF-8 if an encoding
 * is named, standalone yes or no. */
static enum step
xml_decl(char *p, char *end, char **after)
{
	static const char *const keys[] = { "version", "encoding",
		                            "standalone" };
	char *q = p + 5, *gt = memchr(p, '>', (size_t)(end - p));
	unsigned k = 0;
	bool version = false;

	if (gt == NULL)
		return (size_t)(end - p) > 512 ? STEP_FALLBACK : STEP_MORE;
	for (;;) {
		char *v, *ve, quote;
		size_t kl;

		if (!(cls[(unsigned char)*q] & C_SPACE))
			break;
		while (cls[(unsigned char)*q] & C_SPACE)
			q++;
		if (*q == '?')
			break;
		while (k < 3 &&
		       strncmp(q, keys[k], (kl = strlen(keys[k]))) != 0)
			k++;
		if (k == 3 || q[kl] != '=')
			return STEP_FALLBACK;
		quote = q[kl + 1];
		v = q + kl + 2;
		if ((quote != '"' && quote != '\'') ||
		    (ve = memchr(v, quote, (size_t)(gt - v))) == NULL)
			return STEP_FALLBACK;
		if ((k == 0 && !(ve - v == 3 && memcmp(v, "1.0", 3) == 0)) ||
		    (k == 1 &&
		     !(ve - v == 5 && strncasecmp(v, "UTF-8", 5) == 0)) ||
		    (k == 2 && !(ve - v == 3 && memcmp(v, "yes", 3) == 0) &&
		     !(ve - v == 2 && memcmp(v, "no", 2) == 0)))
			return STEP_FALLBACK;
		if ((k == 0) != (q == p + 6))
			return STEP_FALLBACK; /* version, and first */
		version = version || k == 0;
		k++;
		q = ve + 1;
	}
	if (!version || q[0] != '?' || q + 1 != gt)
		return STEP_FALLBACK;
	*after = gt + 1;
	return STEP_STOP;
}

/* Scan buf[pos, len) as far as it goes. */
static enum step
run(struct xml *x, struct xmlscan *s, bool final)
{
	char *p = s->buf + s->pos, *end = s->buf + s->len;
	struct lexed t;
	enum step st = STEP_MORE;

	while (p < end) {
		if (x->err != ERR_OK || x->done) {
			st = STEP_STOP;
			break;
		}
		if (s->state == S_CONTENT && *p != '<') {
			char *lt = memchr(p, '<', (size_t)(end - p));
			size_t n;

			if (lt == NULL)
				break;
			if ((n = decode(p, lt, false)) == (size_t)-1)
				return STEP_FALLBACK;
			xml_emit_text(x, p, n);
			p = lt;
			continue;
		}
		if (s->state == S_START) {
			char *q = p;

			if (end - p < 9)
				break;
			if (memcmp(q, "\xef\xbb\xbf", 3) == 0)
				q += 3;
			if (memcmp(q, "<?xml", 5) == 0 &&
			    (cls[(unsigned char)q[5]] & C_SPACE)) {
				if ((st = xml_decl(q, end, &q)) != STEP_STOP)
					break;
				st = STEP_MORE;
			}
			s->state = S_PROLOG;
			p = q;
			continue;
		}
		if (s->state != S_CONTENT) {
			/* prolog and epilog: white space, then the root */
			while (p < end && (cls[(unsigned char)*p] & C_SPACE))
				p++;
			if (p == end)
				break;
			if (*p != '<' || s->state == S_EPILOG)
				return STEP_FALLBACK;
		}
		if (end - p < 2)
			break;
		if (p[1] == '/') {
			char *colon, *q = name(p + 2, end, &colon);
			const char *top;
			size_t n;

			if (s->state != S_CONTENT || q == NULL)
				return STEP_FALLBACK;
			while (cls[(unsigned char)*q] & C_SPACE)
				q++;
			if (q >= end)
				break;
			n = (size_t)(name(p + 2, end, &colon) - (p + 2));
			top = s->names + s->open[s->depth - 1];
			if (s->nlen - s->open[s->depth - 1] - 1 != n ||
			    memcmp(top, p + 2, n) != 0)
				return STEP_FALLBACK;
			if (*q != '>')
				return STEP_FALLBACK;
			p[2 + n] = '\0';
			pop(s);
			if (s->depth == 0)
				s->state = S_EPILOG;
			xml_emit_end(x, colon != NULL ? colon + 1 : p + 2);
			p = q + 1;
			continue;
		}
		if ((st = lex_start(p + 1, end, &t)) != STEP_STOP) {
			if (st == STEP_FALLBACK)
				return st;
			break;
		}
		st = STEP_MORE;
		if (commit_start(x, s, &t) == STEP_FALLBACK)
			return STEP_FALLBACK;
		if (t.empty) {
			pop(s);
			s->state = s->depth == 0 ? S_EPILOG : S_CONTENT;
		} else {
			s->state = S_CONTENT;
		}
		p = t.end;
	}
	s->pos = (size_t)(p - s->buf);
	if (final && (p < end || s->state != S_EPILOG) && x->err == ERR_OK &&
	    !x->done)
		return STEP_FALLBACK;
	return st;
}

enum err
xmlscan_feed(struct xml *x, const char *d, size_t n, bool final)
{
	struct xmlscan *s = x->fast;
	size_t keep = s->len - s->pos;

	if (x->err != ERR_OK || x->done)
		return x->err;
	if (s->pos > 0) {
		memmove(s->buf, s->buf + s->pos, keep);
		s->pos = 0;
		s->len = keep;
	}
	if (keep > SCAN_TOKEN_MAX) {
		x->fallback = true;
		return ERR_STATE;
	}
	if (s->len + n > s->cap) {
		s->cap = s->len + n > 2 * s->cap ? s->len + n : 2 * s->cap;
		s->buf = xrealloc(s->buf, s->cap + 1);
	}
	memcpy(s->buf + s->len, d, n);
	s->len += n;
	s->buf[s->len] = '\0';
	if (run(x, s, final) == STEP_FALLBACK) {
		x->fallback = true;
		return ERR_STATE;
	}
	return x->err;
}
