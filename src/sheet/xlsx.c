/*
 * Office Open XML workbooks (.xlsx, .xlsm; transitional and strict).
 *
 * Opening follows the package relationships: _rels/.rels names the workbook
 * part, the workbook lists the sheets in order with their relationship ids,
 * and the workbook's relationships give each sheet's part name and kind
 * (worksheet, chartsheet, dialogsheet, macrosheet), plus the shared strings
 * and styles parts.  Non-standard part names work; when the workbook's
 * relationships are missing, sheet N is looked for at the usual
 * xl/worksheets/sheetN.xml.  Shared strings (plain and rich text; phonetic
 * runs ignored) and the style table (which cell styles are dates) are read
 * once at open; a worksheet is then streamed through expat row by row, so
 * memory does not grow with the number of rows.
 *
 * Cells: shared strings (t="s"), inline strings, formula strings (t="str"),
 * booleans, errors, numbers, ISO dates (t="d"); a number whose style has a
 * date format becomes a date (1900 or 1904 system).  Formulas give their
 * cached value.  Text has its _xHHHH_ escapes decoded (ECMA-376 Part 1,
 * 22.9.2.19 ST_Xstring), so _x000D_ is a carriage return.  Cells and rows
 * without r= follow the previous one; references may be lower-case.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reader.h"
#include "readers.h"
#include "xml.h"
#include "zip.h"
#include "../base/mem.h"
#include "../base/text.h"

#define MAX_RELS   10000
#define MAX_XFS    65536
#define MAX_NUMFMT 4096

struct rel {
	char *id, *type, *target;
};

struct xlsx {
	struct zip z;
	bool date1904;
	char **parts; /* per sheet: part name, or NULL when missing */
	size_t nparts;
	/* shared strings: NUL-terminated, back to back */
	struct buf sst;
	size_t *soff;
	size_t nsst, asst;
	/* styles: the date kind of each cell format (enum datefmt) */
	unsigned char *xf;
	size_t nxf;
};

/* ------------------------------------------------------------------ */
/* helpers */

/* Parse a part with expat or, when fallback is not NULL, on the fast path
 * (xml.h); *fallback then tells whether that gave up, in which case the
 * caller starts over with expat. */
static enum err
parse_part(struct xlsx *x, struct sheet_book *b, const struct zip_entry *ent,
           const struct xml_handlers *h, void *ud, struct sheet_error *e,
           bool *fallback)
{
	struct xml xp;
	enum err rc;

	if (fallback != NULL)
		xml_init_fast(&xp, b, e, h, ud);
	else
		xml_init(&xp, b, e, h, ud);
	rc = zip_stream(&x->z, ent, xml_feed, &xp, e);
	if (rc == ERR_OK)
		rc = xml_finish(&xp);
	if (rc == ERR_OK && xp.err != ERR_OK)
		rc = xp.err;
	if (fallback != NULL)
		*fallback = xp.fallback;
	xml_release(&xp);
	return rc;
}

/* Does the relationship type end with "/suffix"? */
static bool
type_is(const char *type, const char *suffix)
{
	size_t n = strlen(type), m = strlen(suffix);

	return n > m && type[n - m - 1] == '/' &&
	       strcmp(type + n - m, suffix) == 0;
}

/* Resolve target relative to the folder of part into out; handles an
 * absolute target and ".." segments. */
static char *
resolve(const char *part, const char *target)
{
	struct buf b;
	const char *slash = strrchr(part, '/');
	char *s, *r, *w;

	buf_init(&b, 4096);
	if (target[0] == '/') {
		buf_adds(&b, target + 1);
	} else {
		if (slash != NULL)
			buf_add(&b, part, (size_t)(slash - part) + 1);
		buf_adds(&b, target);
	}
	s = buf_detach(&b, NULL);
	buf_release(&b);
	/* collapse "x/../" and "./" in place */
	for (r = w = s; *r != '\0';) {
		if (strncmp(r, "./", 2) == 0) {
			r += 2;
		} else if (strncmp(r, "../", 3) == 0) {
			r += 3;
			if (w > s) {
				w--;
				while (w > s && w[-1] != '/')
					w--;
			}
		} else {
			while (*r != '\0' && *r != '/')
				*w++ = *r++;
			if (*r == '/')
				*w++ = *r++;
		}
	}
	*w = '\0';
	return s;
}

/* The relationships part of part: "dir/_rels/name.rels". */
static char *
rels_name(const char *part)
{
	const char *slash = strrchr(part, '/');
	struct buf b;
	char *s;

	buf_init(&b, 4096);
	if (slash != NULL)
		buf_add(&b, part, (size_t)(slash - part) + 1);
	buf_adds(&b, "_rels/");
	buf_adds(&b, slash != NULL ? slash + 1 : part);
	buf_adds(&b, ".rels");
	s = buf_detach(&b, NULL);
	buf_release(&b);
	return s;
}

/* Decode _xHHHH_ escapes in place (UTF-8 of one code unit never takes more
 * than the seven bytes of its escape). */
static size_t
unescape_x(char *s, size_t n)
{
	size_t r = 0, w = 0;

	while (r < n) {
		unsigned v = 0;
		size_t k;

		if (s[r] != '_' || n - r < 7 || s[r + 1] != 'x' ||
		    s[r + 6] != '_') {
			s[w++] = s[r++];
			continue;
		}
		for (k = 2; k < 6; k++) {
			char c = s[r + k];

			if (c >= '0' && c <= '9')
				v = v * 16 + (unsigned)(c - '0');
			else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
				v = v * 16 + (unsigned)((c | 0x20) - 'a' + 10);
			else
				break;
		}
		if (k < 6) {
			s[w++] = s[r++];
			continue;
		}
		r += 7;
		if (v >= 0xd800 && v <= 0xdbff && n - r >= 7 && s[r] == '_' &&
		    s[r + 1] == 'x' && s[r + 6] == '_') {
			unsigned lo = (unsigned)strtoul(
			        (char[]){ s[r + 2], s[r + 3], s[r + 4],
			                  s[r + 5], 0 },
			        NULL, 16);

			if (lo >= 0xdc00 && lo <= 0xdfff) {
				v = 0x10000 + ((v - 0xd800) << 10) +
				    (lo - 0xdc00);
				r += 7;
			}
		}
		if (v >= 0xd800 && v <= 0xdfff)
			v = 0xfffd;
		/* no NUL inside text: consumers get C strings */
		if (v != 0)
			w += utf8_put(v, s + w);
	}
	return w;
}

/* ------------------------------------------------------------------ */
/* relationships */

struct rels {
	struct rel *r;
	size_t n;
	struct sheet_error *e;
};

static void
rels_start(struct xml *x, const char *name, const char **atts)
{
	struct rels *rs = x->ud;
	const char *id, *type, *target, *mode;

	if (strcmp(name, "Relationship") != 0)
		return;
	id = xml_attr(atts, "Id");
	type = xml_attr(atts, "Type");
	target = xml_attr(atts, "Target");
	mode = xml_attr(atts, "TargetMode");
	if (id == NULL || type == NULL || target == NULL ||
	    (mode != NULL && strcmp(mode, "External") == 0))
		return;
	if (rs->n >= MAX_RELS) {
		xml_stop(x, sheet_fail(rs->e, SHEET_P_TOO_BIG, ERR_LIMIT,
		                       "xlsx: too many relationships"));
		return;
	}
	rs->r = xrealloc(rs->r, (rs->n + 1) * sizeof(*rs->r));
	rs->r[rs->n].id = xstrdup(id);
	rs->r[rs->n].type = xstrdup(type);
	rs->r[rs->n].target = xstrdup(target);
	rs->n++;
}

static void
rels_end(struct xml *x, const char *name)
{
	(void)x;
	(void)name;
}

static void
rels_free(struct rels *rs)
{
	for (size_t i = 0; i < rs->n; i++) {
		free(rs->r[i].id);
		free(rs->r[i].type);
		free(rs->r[i].target);
	}
	free(rs->r);
	rs->r = NULL;
	rs->n = 0;
}

/* Read the relationships of part; a missing rels part is no error. */
static enum err
read_rels(struct xlsx *x, struct sheet_book *b, const char *part,
          struct rels *rs, struct sheet_error *e)
{
	static const struct xml_handlers h = { rels_start, rels_end, NULL };
	char *name = rels_name(part);
	const struct zip_entry *ent = zip_find(&x->z, name);
	enum err rc = ERR_OK;

	memset(rs, 0, sizeof(*rs));
	rs->e = e;
	if (ent != NULL)
		rc = parse_part(x, b, ent, &h, rs, e, NULL);
	free(name);
	return rc;
}

/* ------------------------------------------------------------------ */
/* workbook */

struct wbsheet {
	char *name, *rid;
	unsigned long sheet_id;
};

struct wb {
	struct wbsheet *s;
	size_t n;
	bool date1904;
	bool in_sheets;
	struct sheet_error *e;
	uint32_t max;
};

static void
wb_start(struct xml *x, const char *name, const char **atts)
{
	struct wb *w = x->ud;

	if (strcmp(name, "workbookPr") == 0) {
		const char *v = xml_attr(atts, "date1904");

		/* extensions repeat workbookPr without date1904 */
		if (v != NULL)
			w->date1904 =
			        strcmp(v, "1") == 0 || strcmp(v, "true") == 0;
	} else if (strcmp(name, "sheets") == 0) {
		w->in_sheets = true;
	} else if (strcmp(name, "sheet") == 0 && w->in_sheets) {
		const char *n = xml_attr(atts, "name");
		const char *id = NULL, *sid = xml_attr(atts, "sheetId");

		/* the r:id attribute: "id" in the relationships namespace */
		for (const char **a = atts; a[0] != NULL; a += 2)
			if (strcmp(xml_local(a[0]), "id") == 0 &&
			    xml_ns_len(a[0]) > 0)
				id = a[1];
		if (w->n >= w->max) {
			xml_stop(x, sheet_fail(w->e, SHEET_P_TOO_BIG, ERR_LIMIT,
			                       "xlsx: more than %u sheets",
			                       w->max));
			return;
		}
		w->s = xrealloc(w->s, (w->n + 1) * sizeof(*w->s));
		w->s[w->n].name = xstrdup(n != NULL ? n : "");
		w->s[w->n].rid = id != NULL ? xstrdup(id) : NULL;
		w->s[w->n].sheet_id = sid != NULL ? strtoul(sid, NULL, 10) : 0;
		w->n++;
	}
}

static void
wb_end(struct xml *x, const char *name)
{
	struct wb *w = x->ud;

	if (strcmp(name, "sheets") == 0)
		w->in_sheets = false;
}

/* ------------------------------------------------------------------ */
/* shared strings */

struct sst {
	struct xlsx *x;
	struct sheet_book *b;
	struct sheet_error *e;
	bool in_si, in_t;
	unsigned rph; /* depth inside <rPh> (phonetic runs are skipped) */
	size_t start; /* offset of the current string */
};

static void
sst_start(struct xml *xp, const char *name, const char **atts)
{
	struct sst *s = xp->ud;
	struct xlsx *x = s->x;

	(void)atts;
	if (strcmp(name, "si") == 0) {
		if (x->nsst >= s->b->lim.strings) {
			xml_stop(xp,
			         sheet_fail(s->e, SHEET_P_TOO_BIG, ERR_LIMIT,
			                    "xlsx: more than %u shared strings",
			                    s->b->lim.strings));
			return;
		}
		s->in_si = true;
		s->start = x->sst.len;
	} else if (strcmp(name, "rPh") == 0) {
		s->rph++;
	} else if (strcmp(name, "t") == 0 && s->in_si && s->rph == 0) {
		s->in_t = true;
	}
}

static void
sst_end(struct xml *xp, const char *name)
{
	struct sst *s = xp->ud;
	struct xlsx *x = s->x;

	if (strcmp(name, "t") == 0) {
		s->in_t = false;
	} else if (strcmp(name, "rPh") == 0) {
		if (s->rph > 0)
			s->rph--;
	} else if (strcmp(name, "si") == 0 && s->in_si) {
		size_t n = x->sst.len - s->start;

		n = unescape_x(x->sst.data + s->start, n);
		x->sst.len = s->start + n;
		buf_addc(&x->sst, '\0');
		if (x->sst.err != ERR_OK) {
			xml_stop(xp,
			         sheet_fail(
			                 s->e, SHEET_P_TOO_BIG, ERR_LIMIT,
			                 "xlsx: shared strings above %zu bytes",
			                 x->sst.max));
			return;
		}
		if (x->nsst == x->asst) {
			x->asst = x->asst ? x->asst * 2 : 256;
			x->soff = xrealloc(x->soff, x->asst * sizeof(*x->soff));
		}
		x->soff[x->nsst++] = s->start;
		s->in_si = false;
	}
}

static void
sst_text(struct xml *xp, const char *t, size_t n)
{
	struct sst *s = xp->ud;

	if (!s->in_t)
		return;
	if (buf_add(&s->x->sst, t, n) != ERR_OK)
		xml_stop(xp, sheet_fail(s->e, SHEET_P_TOO_BIG, ERR_LIMIT,
		                        "xlsx: shared strings above %zu bytes",
		                        s->x->sst.max));
}

/* ------------------------------------------------------------------ */
/* styles */

struct numfmt {
	unsigned id;
	unsigned char kind;
};

struct styles {
	struct xlsx *x;
	struct numfmt fmts[MAX_NUMFMT];
	size_t nfmts;
	bool in_xfs;
	unsigned *ids; /* numFmtId of each cellXfs entry */
	size_t nids;
};

static void
st_start(struct xml *xp, const char *name, const char **atts)
{
	struct styles *st = xp->ud;
	const char *id;

	if (strcmp(name, "numFmt") == 0) {
		const char *code = xml_attr(atts, "formatCode");

		id = xml_attr(atts, "numFmtId");
		if (id == NULL || code == NULL || st->nfmts >= MAX_NUMFMT)
			return;
		st->fmts[st->nfmts].id = (unsigned)strtoul(id, NULL, 10);
		st->fmts[st->nfmts].kind =
		        (unsigned char)datefmt_classify(code, strlen(code));
		st->nfmts++;
	} else if (strcmp(name, "cellXfs") == 0) {
		st->in_xfs = true;
	} else if (strcmp(name, "xf") == 0 && st->in_xfs) {
		if (st->nids >= MAX_XFS)
			return;
		id = xml_attr(atts, "numFmtId");
		st->ids = xrealloc(st->ids, (st->nids + 1) * sizeof(*st->ids));
		st->ids[st->nids++] =
		        id != NULL ? (unsigned)strtoul(id, NULL, 10) : 0;
	}
}

static void
st_end(struct xml *xp, const char *name)
{
	struct styles *st = xp->ud;

	if (strcmp(name, "cellXfs") == 0)
		st->in_xfs = false;
}

static unsigned char
fmt_kind(const struct styles *st, unsigned id)
{
	/* a custom format with the id wins over the built-in one */
	for (size_t i = st->nfmts; i-- > 0;)
		if (st->fmts[i].id == id)
			return st->fmts[i].kind;
	return (unsigned char)datefmt_builtin(id);
}

/* ------------------------------------------------------------------ */
/* worksheet */

enum ctype { CT_N, CT_S, CT_STR, CT_INLINE, CT_B, CT_E, CT_D };

struct ws {
	struct xlsx *x;
	struct sheet_book *b;
	struct rowout *o;
	uint32_t row, col; /* current row, last column */
	bool in_data, in_cell, in_v, in_is_t;
	unsigned rph;
	enum ctype t;
	unsigned style;
	struct buf v; /* text of <v> or of the inline string */
};

/* Parse "AB12" (any case); col and/or row 0 when absent. */
static bool
parse_ref(const char *s, uint32_t *col, uint32_t *row)
{
	uint64_t c = 0, r = 0;

	while (*s == '$')
		s++;
	for (; (*s | 0x20) >= 'a' && (*s | 0x20) <= 'z'; s++) {
		c = c * 26 + (uint64_t)((*s | 0x20) - 'a' + 1);
		if (c > 0xffffff)
			return false;
	}
	while (*s == '$')
		s++;
	for (; *s >= '0' && *s <= '9'; s++) {
		r = r * 10 + (uint64_t)(*s - '0');
		if (r > 0xffffffff)
			return false;
	}
	if (*s != '\0')
		return false;
	*col = (uint32_t)c;
	*row = (uint32_t)r;
	return true;
}

/* The worksheet elements the reader acts on, told apart by their first
 * bytes rather than a chain of strcmp calls (this runs for every element of
 * a sheet that may have millions). */
enum wtag { W_OTHER, W_C, W_V, W_T, W_ROW, W_RPH, W_SHEETDATA };

static enum wtag
ws_tag(const char *n)
{
	switch (n[0]) {
	case 'c':
		return n[1] == '\0' ? W_C : W_OTHER;
	case 'v':
		return n[1] == '\0' ? W_V : W_OTHER;
	case 't':
		return n[1] == '\0' ? W_T : W_OTHER;
	case 'r':
		if (n[1] == 'o' && n[2] == 'w' && n[3] == '\0')
			return W_ROW;
		if (n[1] == 'P' && n[2] == 'h' && n[3] == '\0')
			return W_RPH;
		return W_OTHER;
	case 's':
		return strcmp(n, "sheetData") == 0 ? W_SHEETDATA : W_OTHER;
	default:
		return W_OTHER;
	}
}

/* The r, s and t attributes of a cell in one pass; like xml_attr, the first
 * attribute with that local name counts. */
static void
cell_attrs(const char **atts, const char **r, const char **s, const char **t)
{
	*r = *s = *t = NULL;
	for (; atts[0] != NULL; atts += 2) {
		/* a one-letter name has no namespace part to strip */
		const char *n = atts[0][0] != '\0' && atts[0][1] == '\0'
		                        ? atts[0]
		                        : xml_local(atts[0]);

		if (n[0] == '\0' || n[1] != '\0')
			continue;
		if (n[0] == 'r' && *r == NULL)
			*r = atts[1];
		else if (n[0] == 's' && *s == NULL)
			*s = atts[1];
		else if (n[0] == 't' && *t == NULL)
			*t = atts[1];
	}
}

static void
ws_fail(struct xml *xp, enum err rc)
{
	xml_stop(xp, rc);
}

static void
ws_start(struct xml *xp, const char *name, const char **atts)
{
	struct ws *w = xp->ud;
	const char *a, *as, *at;
	enum wtag tag = ws_tag(name);
	enum err rc;

	if (!w->in_data) {
		if (tag == W_SHEETDATA)
			w->in_data = true;
		return;
	}
	if (tag == W_ROW) {
		uint32_t r = w->row + 1, c;

		a = xml_attr(atts, "r");
		if (a != NULL) {
			uint32_t rr;

			if (!parse_ref(a, &c, &rr) || c != 0 || rr == 0) {
				ws_fail(xp, sheet_fail(xp->e, SHEET_P_BROKEN,
				                       ERR_INVALID,
				                       "xlsx: bad row number"));
				return;
			}
			r = rr;
		}
		if ((rc = rowout_begin(w->o, r)) != ERR_OK) {
			ws_fail(xp, rc);
			return;
		}
		w->row = r;
		w->col = 0;
	} else if (tag == W_C) {
		uint32_t c = w->col + 1, r = 0;

		cell_attrs(atts, &a, &as, &at);
		if (a != NULL && (!parse_ref(a, &c, &r) || c == 0)) {
			ws_fail(xp,
			        sheet_fail(xp->e, SHEET_P_BROKEN, ERR_INVALID,
			                   "xlsx: bad cell reference"));
			return;
		}
		if (w->o->row == 0 || (r != 0 && r != w->row)) {
			/* a cell outside a row, or naming another row */
			uint32_t nr = r != 0 ? r : w->row + 1;

			if ((rc = rowout_begin(w->o, nr)) != ERR_OK) {
				ws_fail(xp, rc);
				return;
			}
			w->row = nr;
		}
		w->col = c;
		w->in_cell = true;
		w->t = CT_N;
		a = at;
		if (a != NULL) {
			if (strcmp(a, "s") == 0)
				w->t = CT_S;
			else if (strcmp(a, "str") == 0)
				w->t = CT_STR;
			else if (strcmp(a, "inlineStr") == 0)
				w->t = CT_INLINE;
			else if (strcmp(a, "b") == 0)
				w->t = CT_B;
			else if (strcmp(a, "e") == 0)
				w->t = CT_E;
			else if (strcmp(a, "d") == 0)
				w->t = CT_D;
		}
		a = as;
		w->style = a != NULL ? (unsigned)strtoul(a, NULL, 10) : 0;
		buf_reset(&w->v);
	} else if (w->in_cell) {
		if (tag == W_V) {
			w->in_v = true;
			buf_reset(&w->v);
		} else if (tag == W_RPH) {
			w->rph++;
		} else if (tag == W_T && w->rph == 0) {
			w->in_is_t = true;
		}
	}
}

static enum err
ws_cell(struct xml *xp, struct ws *w)
{
	struct xlsx *x = w->x;
	struct rowout *o = w->o;
	struct sheet_date d;
	double v;
	size_t n;
	uint64_t idx;
	const char *num, *end;

	if (w->v.err != ERR_OK)
		return sheet_fail(
		        xp->e, SHEET_P_TOO_BIG, ERR_LIMIT,
		        "xlsx: a cell in row %u holds more than %zu bytes",
		        (unsigned)w->row, w->v.max);
	switch (w->t) {
	case CT_S:
		if (w->v.len == 0)
			return ERR_OK;
		/* as strtoull would read it, without its cost */
		for (num = w->v.data;
		     strchr(" \t\n\v\f\r", *num) != NULL && *num != '\0'; num++)
			;
		num += *num == '+';
		for (idx = 0, end = num;
		     *end >= '0' && *end <= '9' && idx < x->nsst; end++)
			idx = idx * 10 + (uint64_t)(*end - '0');
		if (end == num || *end != '\0' || idx >= x->nsst)
			return sheet_fail(
			        xp->e, SHEET_P_BROKEN, ERR_INVALID,
			        "xlsx: shared string index out of range");
		n = (idx + 1 < x->nsst ? x->soff[idx + 1] : x->sst.len) -
		    x->soff[idx] - 1;
		return rowout_text(o, w->col, SHEET_TEXT,
		                   x->sst.data + x->soff[idx], n);
	case CT_STR:
	case CT_INLINE:
		n = unescape_x(w->v.data, w->v.len);
		return rowout_text(o, w->col, SHEET_TEXT, w->v.data, n);
	case CT_E:
		return rowout_text(o, w->col, SHEET_ERROR, w->v.data, w->v.len);
	case CT_B:
		if (w->v.len == 0)
			return ERR_OK;
		return rowout_bool(o, w->col,
		                   strcmp(w->v.data, "1") == 0 ||
		                           strcmp(w->v.data, "true") == 0);
	case CT_D:
		if (w->v.len == 0)
			return ERR_OK;
		if (date_from_iso(w->v.data, w->v.len, &d))
			return rowout_date(o, w->col, &d, 0);
		return rowout_text(o, w->col, SHEET_TEXT, w->v.data, w->v.len);
	case CT_N:
		if (w->v.len == 0)
			return ERR_OK;
		if (!number_parse(w->v.data, w->v.len, &v))
			return rowout_text(o, w->col, SHEET_TEXT, w->v.data,
			                   w->v.len);
		if (w->style < x->nxf && x->xf[w->style] != DATEFMT_NONE &&
		    date_from_serial(v, x->date1904,
		                     x->xf[w->style] == DATEFMT_DURATION, &d))
			return rowout_date(o, w->col, &d, v);
		return rowout_number(o, w->col, v);
	}
	return ERR_OK;
}

static void
ws_end(struct xml *xp, const char *name)
{
	struct ws *w = xp->ud;
	enum err rc;

	if (!w->in_data)
		return;
	switch (ws_tag(name)) {
	case W_SHEETDATA:
		w->in_data = false;
		break;
	case W_ROW:
		if ((rc = rowout_end(w->o)) != ERR_OK)
			ws_fail(xp, rc);
		break;
	case W_C:
		if (w->in_cell && (rc = ws_cell(xp, w)) != ERR_OK)
			ws_fail(xp, rc);
		w->in_cell = w->in_v = w->in_is_t = false;
		w->rph = 0;
		break;
	case W_V:
		w->in_v = false;
		break;
	case W_T:
		w->in_is_t = false;
		break;
	case W_RPH:
		if (w->rph > 0)
			w->rph--;
		break;
	case W_OTHER:
		break;
	}
}

static void
ws_text(struct xml *xp, const char *s, size_t n)
{
	struct ws *w = xp->ud;

	if (!w->in_cell)
		return;
	if ((w->t == CT_INLINE && w->in_is_t) || (w->t != CT_INLINE && w->in_v))
		buf_add(&w->v, s, n);
}

/* The consumer behind a worksheet read: rows the fast path handed on
 * before it gave up are not handed on again by expat. */
struct passed {
	sheet_row_fn fn;
	void *ctx;
	uint64_t n, skip;
};

static enum err
pass_row(void *ctx, const struct sheet_row *r)
{
	struct passed *p = ctx;

	if (p->skip > 0) {
		p->skip--;
		return ERR_OK;
	}
	p->n++;
	return p->fn(p->ctx, r);
}

static enum err
read_sheet(struct xlsx *x, struct sheet_book *b, const struct zip_entry *ent,
           struct rowout *o, bool *fallback)
{
	static const struct xml_handlers h = { ws_start, ws_end, ws_text };
	struct ws w;
	enum err rc;

	x->z.total = 0;
	memset(&w, 0, sizeof(w));
	w.x = x;
	w.b = b;
	w.o = o;
	buf_init(&w.v, b->lim.cell_bytes);
	rc = parse_part(x, b, ent, &h, &w, o->e, fallback);
	buf_release(&w.v);
	return rc;
}

static enum err
xlsx_read(struct sheet_book *b, size_t i, struct rowout *o)
{
	struct xlsx *x = b->impl;
	const struct zip_entry *ent;
	struct passed p = { o->fn, o->ctx, 0, 0 };
	bool fallback;
	enum err rc;

	if (!b->sheets[i].worksheet)
		return sheet_fail(o->e, SHEET_P_BAD_SHEET, ERR_INVALID,
		                  "xlsx: sheet %zu is not a worksheet", i + 1);
	if (x->parts[i] == NULL || (ent = zip_find(&x->z, x->parts[i])) == NULL)
		return sheet_fail(o->e, SHEET_P_BROKEN, ERR_INVALID,
		                  "xlsx: the part of sheet %zu is missing",
		                  i + 1);
	o->fn = pass_row;
	o->ctx = &p;
	rc = read_sheet(x, b, ent, o, &fallback);
	if (fallback) {
		rowout_restart(o);
		p.skip = p.n;
		rc = read_sheet(x, b, ent, o, NULL);
	}
	o->fn = p.fn;
	o->ctx = p.ctx;
	return rc;
}

/* ------------------------------------------------------------------ */
/* open */

static void
xlsx_free(void *impl)
{
	struct xlsx *x = impl;

	for (size_t i = 0; i < x->nparts; i++)
		free(x->parts[i]);
	free(x->parts);
	zip_close(&x->z);
	buf_release(&x->sst);
	free(x->soff);
	free(x->xf);
	free(x);
}

static const struct reader_ops xlsx_ops = { .read = xlsx_read,
	                                    .free = xlsx_free };

static enum err
load_strings(struct xlsx *x, struct sheet_book *b, const char *part,
             struct sheet_error *e)
{
	static const struct xml_handlers h = { sst_start, sst_end, sst_text };
	const struct zip_entry *ent = zip_find(&x->z, part);
	uint64_t total = x->z.total;
	struct sst s;
	bool fallback = false;
	enum err rc;

	if (ent == NULL)
		return ERR_OK;
	for (int pass = 0; pass < 2; pass++) {
		memset(&s, 0, sizeof(s));
		s.x = x;
		s.b = b;
		s.e = e;
		x->nsst = 0;
		buf_reset(&x->sst);
		x->z.total = total;
		rc = parse_part(x, b, ent, &h, &s, e,
		                pass == 0 ? &fallback : NULL);
		if (!fallback)
			break;
	}
	return rc;
}

static enum err
load_styles(struct xlsx *x, struct sheet_book *b, const char *part,
            struct sheet_error *e)
{
	static const struct xml_handlers h = { st_start, st_end, NULL };
	const struct zip_entry *ent = zip_find(&x->z, part);
	struct styles *st;
	enum err rc;

	if (ent == NULL)
		return ERR_OK;
	st = xcalloc(1, sizeof(*st));
	st->x = x;
	rc = parse_part(x, b, ent, &h, st, e, NULL);
	if (rc == ERR_OK) {
		x->xf = xmalloc(st->nids + 1);
		for (size_t i = 0; i < st->nids; i++)
			x->xf[i] = fmt_kind(st, st->ids[i]);
		x->nxf = st->nids;
	}
	free(st->ids);
	free(st);
	return rc;
}

enum err
xlsx_open(struct sheet_book *b, struct sheet_error *e)
{
	struct xlsx *x = xcalloc(1, sizeof(*x));
	struct rels root, wrels;
	struct wb w;
	char *wbpart = NULL, *sst = NULL, *sty = NULL;
	const struct zip_entry *ent;
	static const struct xml_handlers wbh = { wb_start, wb_end, NULL };
	enum err rc;
	size_t i, k;

	memset(&root, 0, sizeof(root));
	memset(&wrels, 0, sizeof(wrels));
	memset(&w, 0, sizeof(w));
	b->ops = &xlsx_ops;
	b->impl = x;
	buf_init(&x->sst, b->lim.strings_bytes);
	if ((rc = zip_open(&x->z, b->data, b->len, &b->lim, e)) != ERR_OK)
		return rc;
	/* the workbook part */
	if ((rc = read_rels(x, b, "", &root, e)) != ERR_OK)
		goto out;
	for (i = 0; i < root.n; i++)
		if (type_is(root.r[i].type, "officeDocument")) {
			wbpart = resolve("", root.r[i].target);
			break;
		}
	if (wbpart == NULL || zip_find(&x->z, wbpart) == NULL) {
		free(wbpart);
		wbpart = xstrdup("xl/workbook.xml");
	}
	if ((ent = zip_find(&x->z, wbpart)) == NULL) {
		rc = sheet_fail(e, SHEET_P_BROKEN, ERR_INVALID,
		                "xlsx: no workbook part");
		goto out;
	}
	w.e = e;
	w.max = b->lim.sheets;
	if ((rc = parse_part(x, b, ent, &wbh, &w, e, NULL)) != ERR_OK)
		goto out;
	x->date1904 = w.date1904;
	if ((rc = read_rels(x, b, wbpart, &wrels, e)) != ERR_OK)
		goto out;
	/* sheets in workbook order */
	x->parts = xcalloc(w.n + 1, sizeof(*x->parts));
	x->nparts = w.n;
	for (i = 0; i < w.n; i++) {
		bool worksheet = true;
		char *part = NULL;

		for (k = 0; w.s[i].rid != NULL && k < wrels.n; k++)
			if (strcmp(wrels.r[k].id, w.s[i].rid) == 0)
				break;
		if (w.s[i].rid != NULL && k < wrels.n) {
			const char *t = wrels.r[k].type;

			worksheet = type_is(t, "worksheet");
			part = resolve(wbpart, wrels.r[k].target);
		} else if (wrels.n == 0) {
			/* no relationships: the conventional name */
			char tmp[64];

			snprintf(tmp, sizeof(tmp), "xl/worksheets/sheet%lu.xml",
			         w.s[i].sheet_id ? w.s[i].sheet_id : i + 1);
			part = xstrdup(tmp);
		}
		x->parts[i] = part;
		if ((rc = book_add_sheet(b, w.s[i].name, worksheet, e)) !=
		    ERR_OK)
			goto out;
	}
	for (k = 0; k < wrels.n; k++) {
		if (sst == NULL && type_is(wrels.r[k].type, "sharedStrings"))
			sst = resolve(wbpart, wrels.r[k].target);
		if (sty == NULL && type_is(wrels.r[k].type, "styles"))
			sty = resolve(wbpart, wrels.r[k].target);
	}
	if ((rc = load_strings(x, b, sst ? sst : "xl/sharedStrings.xml", e)) !=
	    ERR_OK)
		goto out;
	rc = load_styles(x, b, sty ? sty : "xl/styles.xml", e);
out:
	for (i = 0; i < w.n; i++) {
		free(w.s[i].name);
		free(w.s[i].rid);
	}
	free(w.s);
	rels_free(&root);
	rels_free(&wrels);
	free(wbpart);
	free(sst);
	free(sty);
	return rc;
}
