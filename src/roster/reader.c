/*
 * The reader (see reader.h).  Per row: find the mapped cells, normalise
 * them (norm.h) into a struct student, and report what is wrong.  At the
 * end, checks that need the whole file: BSNs in the number column or in an
 * unknown column, duplicate numbers, the same child under two numbers,
 * numbers that lost their leading zeros, the Dotcom layout, an empty list.
 *
 * Hash tables at the end are open addressing over indexes into the student
 * array, sized to at least twice the number of students.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "itable.h"
#include "reader.h"
#include "norm.h"
#include "../base/mem.h"

struct colstat {
	size_t values; /* non-empty cells */
	size_t bsn;    /* of those, looking like a BSN */
};

struct roster_reader {
	struct roster_opts o;
	struct roster_header h;
	struct roster_preview preview;
	bool have_header;
	struct student *st;
	size_t n, cap;
	struct roster_issue *is;
	size_t nis, iscap, omitted;
	size_t count[ROSTER_CODE__MAX];
	size_t errors; /* error issues so far */
	struct colstat colstat[ROSTER_COLUMNS_MAX];
	size_t numbers, bsn_numbers; /* valid numbers; looking like BSNs */
	size_t names, comma_names;   /* full names; "Achternaam, Roepnaam" */
	bool limit_hit;
	bool derived[2]; /* a roepnaam came from the voornamen, voorletters */
	size_t rows, ignored;
};

void
roster_opts_default(struct roster_opts *o, int32_t today)
{
	memset(o, 0, sizeof(*o));
	o->today = today;
	o->max_students = 2000000;
	o->max_issues = 100000;
	o->min_age = 3;
	o->max_age = 14;
}

struct roster_reader *
roster_reader_new(const struct roster_opts *o)
{
	struct roster_reader *r = xcalloc(1, sizeof(*r));

	r->o = *o;
	return r;
}

void
roster_reader_free(struct roster_reader *r)
{
	if (r == NULL)
		return;
	if (r->st != NULL)
		mem_wipe(r->st, r->n * sizeof(*r->st));
	free(r->st);
	if (r->is != NULL)
		mem_wipe(r->is, r->nis * sizeof(*r->is));
	free(r->is);
	free(r);
}

void
roster_file_release(struct roster_file *f)
{
	if (f == NULL)
		return;
	if (f->students != NULL)
		mem_wipe(f->students, f->nstudents * sizeof(*f->students));
	free(f->students);
	if (f->issues != NULL) /* cell texts and names */
		mem_wipe(f->issues, f->nissues * sizeof(*f->issues));
	free(f->issues);
	memset(f, 0, sizeof(*f));
}

void
roster_reader_header(struct roster_reader *r, const struct roster_probe *p)
{
	r->h = p->best;
	r->preview = p->preview;
	r->have_header = true;
}

/* Copy text into out (max + 1 bytes); longer text is cut at a UTF-8
 * boundary and marked with "...". */
static void
cut_copy(char *out, size_t max, const char *text)
{
	size_t n = strlen(text);

	if (n > max) {
		n = max - 3;
		while (n > 0 && ((unsigned char)text[n] & 0xc0) == 0x80)
			n--;
		memcpy(out, text, n);
		memcpy(out + n, "...", 4);
	} else {
		memcpy(out, text, n + 1);
	}
}

/* A new issue; NULL when it is only counted (beyond max_issues). */
static struct roster_issue *
add_issue(struct roster_reader *r, enum roster_code code, uint32_t row,
          uint32_t col, int64_t arg, const char *text)
{
	struct roster_issue *is;

	if (r->o.format == SHEET_FMT_EDEXML &&
	    (code == ROSTER_E_NUMBER_NOT_EXACT || code == ROSTER_E_CELL_ERROR))
		arg = ROSTER_ARG_XML; /* Excel had no part in it */
	r->count[code]++;
	if (roster_code_severity(code) == ROSTER_SEV_ERROR)
		r->errors++;
	if (r->nis >= r->o.max_issues) {
		r->omitted++;
		return NULL;
	}
	if (r->nis == r->iscap) {
		r->iscap = r->iscap ? r->iscap * 2 : 64;
		if (r->iscap > r->o.max_issues)
			r->iscap = r->o.max_issues;
		r->is = xrealloc(r->is, r->iscap * sizeof(*r->is));
	}
	is = &r->is[r->nis++];
	memset(is, 0, sizeof(*is));
	is->code = code;
	is->row = row;
	is->col = col;
	is->arg = arg;
	if (text != NULL)
		cut_copy(is->text, ROSTER_ISSUE_TEXT, text);
	return is;
}

/* A name for an issue: control characters become spaces (it is printed
 * on terminals too), cut to fit. */
static void
put_name(char *out, const char *name)
{
	char tmp[ROSTER_ISSUE_NAME + 1];

	cut_copy(tmp, ROSTER_ISSUE_NAME, name);
	for (char *p = tmp; *p != '\0'; p++)
		if ((unsigned char)*p < ' ' || *p == 0x7f)
			*p = ' ';
	memcpy(out, tmp, strlen(tmp) + 1);
}

/* The name of a student as the library keeps it, whatever parts it has. */
static void
kept_name(const struct student *s, char *out, size_t outsz)
{
	snprintf(out, outsz, "%s%s%s%s%s", s->roepnaam,
	         s->roepnaam[0] && (s->tussenvoegsel[0] || s->achternaam[0])
	                 ? " "
	                 : "",
	         s->tussenvoegsel,
	         s->tussenvoegsel[0] && s->achternaam[0] ? " " : "",
	         s->achternaam);
}

/* Name a student in an issue: the name and number it was read with. */
static void
student_pupil(struct roster_issue *is, const struct student *s)
{
	char name[STUDENT_FIRST_MAX + STUDENT_PREFIX_MAX + STUDENT_LAST_MAX +
	          3];

	if (is == NULL)
		return;
	kept_name(s, name, sizeof(name));
	put_name(is->name, name);
	memcpy(is->number, s->number, sizeof(is->number));
}

_Static_assert(ROSTER_ISSUE_NUMBER == STUDENT_NUMBER_MAX,
               "an issue holds any student number");

/* Issue about a cell: its text is shown with the message. */
static void
cell_issue(struct roster_reader *r, enum roster_code code,
           const struct sheet_row *row, const struct sheet_cell *c,
           uint32_t col, int64_t arg)
{
	char text[ROSTER_ISSUE_TEXT + 8];

	text[0] = '\0';
	if (c != NULL)
		roster_cell_text(c, text, sizeof(text));
	add_issue(r, code, row->row, col, arg, text);
}

static const struct sheet_cell *
cell_at(const struct sheet_row *row, uint32_t col)
{
	size_t lo = 0, hi = row->ncells;

	if (col == 0)
		return NULL;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (row->cells[mid].col == col)
			return &row->cells[mid];
		if (row->cells[mid].col < col)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Empty once cleaned: missing, or text of spaces and control characters. */
static bool
blank(const struct sheet_cell *c)
{
	if (c == NULL)
		return true;
	if (c->type != SHEET_TEXT)
		return false;
	for (size_t i = 0; i < c->len; i++) {
		unsigned char b = (unsigned char)c->text[i];

		if (b == 0xc2 && i + 1 < c->len &&
		    (unsigned char)c->text[i + 1] == 0xa0)
			i++; /* no-break space */
		else if (b > ' ' && b != 0x7f)
			return false;
	}
	return true;
}

/* Header column index of a cell column, or SIZE_MAX. */
static size_t
column_index(const struct roster_header *h, uint32_t col)
{
	size_t lo = 0, hi = h->ncolumns;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (h->columns[mid].col == col)
			return mid;
		if (h->columns[mid].col < col)
			lo = mid + 1;
		else
			hi = mid;
	}
	return SIZE_MAX;
}

/*
 * A cell's cleaned text for a text field of max bytes, into out (max + 1
 * bytes).  Returns 1 with text, 0 when empty, -1 after reporting an error.
 */
static int
field_text(struct roster_reader *r, const struct sheet_row *row,
           const struct sheet_cell *c, char *out, size_t max)
{
	char tmp[64];
	enum err e;

	out[0] = '\0';
	if (blank(c))
		return 0;
	switch (c->type) {
	case SHEET_TEXT:
		e = norm_text(c->text, c->len, out, max + 1);
		break;
	case SHEET_ERROR:
		cell_issue(r, ROSTER_E_CELL_ERROR, row, c, c->col, 0);
		return -1;
	default:
		roster_cell_text(c, tmp, sizeof(tmp));
		e = norm_text(tmp, strlen(tmp), out, max + 1);
		break;
	}
	if (e == ERR_LIMIT) {
		cell_issue(r, ROSTER_E_TOO_LONG, row, c, c->col, (int64_t)max);
		return -1;
	}
	if (e != ERR_OK) {
		cell_issue(r, ROSTER_E_CELL_ERROR, row, c, c->col, 0);
		return -1;
	}
	return out[0] != '\0';
}

/* Words that start a totals line rather than a student number. */
static const char *const footer_words[] = {
	"totaal", "subtotaal", "aantal", "total", "count",
};

static bool
is_footer(const char *text)
{
	char key[32];

	norm_fold(text, strlen(text), NORM_FOLD_ALNUM, key, sizeof(key));
	for (size_t i = 0; i < sizeof(footer_words) / sizeof(*footer_words);
	     i++)
		if (strncmp(key, footer_words[i], strlen(footer_words[i])) == 0)
			return true;
	return false;
}

/* "1.23457E+15", "1,2e15": a number Excel wrote in scientific notation. */
static bool
is_scientific(const char *s)
{
	const char *p = s;

	if (*p < '0' || *p > '9')
		return false;
	while (*p >= '0' && *p <= '9')
		p++;
	if (*p == '.' || *p == ',') {
		p++;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p != 'e' && *p != 'E')
		return false;
	p++;
	if (*p == '+')
		p++;
	if (*p < '0' || *p > '9')
		return false;
	while (*p >= '0' && *p <= '9')
		p++;
	return *p == '\0';
}

enum num_state { NUM_NONE, NUM_OK, NUM_BAD };

/* The student number of a row into s; a problem is left in *code. */
static enum num_state
read_number(const struct sheet_cell *c, struct student *s,
            enum roster_code *code)
{
	if (blank(c))
		return NUM_NONE;
	switch (c->type) {
	case SHEET_NUMBER:
		if (!norm_number_from_double(c->number, s->number,
		                             sizeof(s->number))) {
			*code = ROSTER_E_NUMBER_NOT_EXACT;
			return NUM_BAD;
		}
		break;
	case SHEET_TEXT:
		switch (norm_text(c->text, c->len, s->number,
		                  sizeof(s->number))) {
		case ERR_OK:
			break;
		case ERR_LIMIT:
			if (c->len < 200) {
				char tmp[201];

				memcpy(tmp, c->text, c->len);
				tmp[c->len] = '\0';
				if (is_footer(tmp))
					return NUM_NONE;
			}
			*code = ROSTER_E_NUMBER_TOO_LONG;
			return NUM_BAD;
		default:
			*code = ROSTER_E_NUMBER_INVALID;
			return NUM_BAD;
		}
		if (s->number[0] == '\0' || is_footer(s->number)) {
			s->number[0] = '\0';
			return NUM_NONE;
		}
		if (is_scientific(s->number)) {
			*code = ROSTER_E_NUMBER_NOT_EXACT;
			return NUM_BAD;
		}
		break;
	default:
		*code = ROSTER_E_NUMBER_INVALID;
		return NUM_BAD;
	}
	norm_number_key(s->number, s->number_key, sizeof(s->number_key));
	return NUM_OK;
}

/* The birth date of a row; NUM_* reused as none/ok/bad. */
static enum num_state
read_birth(const struct sheet_cell *c, int32_t today, int32_t *birth,
           enum roster_code *code)
{
	char text[128];

	if (blank(c))
		return NUM_NONE;
	*code = ROSTER_E_DATE_INVALID;
	switch (c->type) {
	case SHEET_DATE:
		if (c->date.kind != SHEET_DATE_DAY &&
		    c->date.kind != SHEET_DATE_DATETIME)
			return NUM_BAD;
		if (norm_date_ymd(c->date.year, c->date.month, c->date.day,
		                  birth) != NORM_DATE_OK) {
			*code = ROSTER_E_DATE_IMPOSSIBLE;
			return NUM_BAD;
		}
		return NUM_OK;
	case SHEET_NUMBER:
		return norm_date_number(c->number, birth) ? NUM_OK : NUM_BAD;
	case SHEET_TEXT:
		if (c->len >= sizeof(text))
			return NUM_BAD;
		memcpy(text, c->text, c->len);
		text[c->len] = '\0';
		switch (norm_date_text(text, today, birth)) {
		case NORM_DATE_OK:
			return NUM_OK;
		case NORM_DATE_IMPOSSIBLE:
			*code = ROSTER_E_DATE_IMPOSSIBLE;
			return NUM_BAD;
		default:
			return NUM_BAD;
		}
	case SHEET_ERROR:
		*code = ROSTER_E_CELL_ERROR;
		return NUM_BAD;
	default:
		return NUM_BAD;
	}
}

/* Check a name part against its field; report it if too long. */
static void
put_part(struct roster_reader *r, const struct sheet_row *row,
         const struct sheet_cell *c, const char *part, char *field,
         size_t fieldsz, bool *bad)
{
	size_t n = strlen(part);

	if (n >= fieldsz) {
		if (!*bad)
			cell_issue(r, ROSTER_E_TOO_LONG, row, c, c->col,
			           (int64_t)(fieldsz - 1));
		*bad = true;
		return;
	}
	memcpy(field, part, n + 1);
}

/*
 * A roepnaam for a row without one (header.h): the first word of the
 * voornamen, else the voorletters as written ("J.P."), each cleaned like
 * any text, into out (NORM_NAME_MAX bytes).  Returns the cell it came from,
 * NULL when there is none; *initials tells which.  Cells that cannot be
 * used (not text, too long) are passed over without a message: the row
 * then simply has no roepnaam.
 */
static const struct sheet_cell *
derive_roepnaam(struct roster_reader *r, const struct sheet_row *row, char *out,
                bool *initials)
{
	static const enum roster_field from[2] = { ROSTER_F_VOORNAMEN,
		                                   ROSTER_F_VOORLETTERS };

	for (int k = 0; k < 2; k++) {
		const struct sheet_cell *c = cell_at(row, r->h.col[from[k]]);
		char *sp;

		if (blank(c) || c->type != SHEET_TEXT ||
		    norm_text(c->text, c->len, out, NORM_NAME_MAX) != ERR_OK ||
		    out[0] == '\0')
			continue;
		if (k == 0 && (sp = strchr(out, ' ')) != NULL)
			*sp = '\0';
		*initials = k == 1;
		r->derived[k] = true;
		return c;
	}
	out[0] = '\0';
	return NULL;
}

/* Say which roepnaam was derived, with the name as it is kept. */
static void
report_derived(struct roster_reader *r, const struct sheet_row *row,
               const struct student *s, bool initials)
{
	char name[STUDENT_FIRST_MAX + STUDENT_PREFIX_MAX + STUDENT_LAST_MAX +
	          3];

	snprintf(name, sizeof(name), "%s%s%s%s%s", s->roepnaam,
	         s->tussenvoegsel[0] ? " " : "", s->tussenvoegsel,
	         s->achternaam[0] ? " " : "", s->achternaam);
	add_issue(r, ROSTER_I_ROEPNAAM_DERIVED, row->row,
	          r->h.col[ROSTER_F_ROEPNAAM],
	          initials ? ROSTER_ARG_INITIALS : 0, name);
}

static void
read_names(struct roster_reader *r, const struct sheet_row *row,
           struct student *s)
{
	const struct roster_header *h = &r->h;
	bool bad = false;

	if (h->col[ROSTER_F_NAME] != 0) {
		const struct sheet_cell *c =
		        cell_at(row, h->col[ROSTER_F_NAME]);
		char full[NORM_NAME_MAX];
		struct norm_name nm;
		int got = field_text(r, row, c, full, sizeof(full) - 1);

		if (got < 0)
			return;
		if (got == 0) {
			add_issue(r, ROSTER_E_NAME_EMPTY, row->row,
			          h->col[ROSTER_F_NAME], 0, NULL);
			return;
		}
		norm_split_name(full, &nm);
		r->names++;
		r->comma_names += nm.comma;
		if (!nm.fits) {
			cell_issue(r, ROSTER_E_TOO_LONG, row, c, c->col,
			           STUDENT_LAST_MAX);
			return;
		}
		put_part(r, row, c, nm.roepnaam, s->roepnaam,
		         sizeof(s->roepnaam), &bad);
		put_part(r, row, c, nm.tussenvoegsel, s->tussenvoegsel,
		         sizeof(s->tussenvoegsel), &bad);
		put_part(r, row, c, nm.achternaam, s->achternaam,
		         sizeof(s->achternaam), &bad);
		if (!bad &&
		    (s->roepnaam[0] == '\0' || s->achternaam[0] == '\0'))
			cell_issue(r, ROSTER_E_NAME_INCOMPLETE, row, c, c->col,
			           0);
		return;
	} else {
		const struct sheet_cell *cf, *ct, *cl, *cd = NULL;
		char first[NORM_NAME_MAX], last[NORM_NAME_MAX];
		int gf, gt = 0, gl;
		bool initials = false;

		cf = cell_at(row, h->col[ROSTER_F_ROEPNAAM]);
		ct = cell_at(row, h->col[ROSTER_F_TUSSENVOEGSEL]);
		cl = cell_at(row, h->col[ROSTER_F_ACHTERNAAM]);
		gf = field_text(r, row, cf, first, sizeof(first) - 1);
		gl = field_text(r, row, cl, last, sizeof(last) - 1);
		if (ct != NULL)
			gt = field_text(r, row, ct, s->tussenvoegsel,
			                STUDENT_PREFIX_MAX);
		if (gf < 0 || gl < 0 || gt < 0)
			return;
		if (gf == 0 &&
		    (cd = derive_roepnaam(r, row, first, &initials)) != NULL)
			gf = 1;
		if (gf == 0 && gl == 0) {
			add_issue(r, ROSTER_E_NAME_EMPTY, row->row,
			          h->col[ROSTER_F_ACHTERNAAM], 0, NULL);
			return;
		}
		if (gf > 0 && h->first_word && cd == NULL) {
			char *sp = strchr(first, ' ');

			if (sp != NULL)
				*sp = '\0';
		}
		if (gf > 0)
			put_part(r, row, cd != NULL ? cd : cf, first,
			         s->roepnaam, sizeof(s->roepnaam), &bad);
		if (gl > 0 && h->col[ROSTER_F_TUSSENVOEGSEL] == 0) {
			char prefix[NORM_NAME_MAX], rest[NORM_NAME_MAX];

			norm_split_prefix(last, prefix, rest);
			put_part(r, row, cl, prefix, s->tussenvoegsel,
			         sizeof(s->tussenvoegsel), &bad);
			put_part(r, row, cl, rest, s->achternaam,
			         sizeof(s->achternaam), &bad);
		} else if (gl > 0) {
			put_part(r, row, cl, last, s->achternaam,
			         sizeof(s->achternaam), &bad);
		}
		if (!bad && (gf == 0 || gl == 0))
			add_issue(r, ROSTER_E_NAME_INCOMPLETE, row->row,
			          h->col[gf == 0 ? ROSTER_F_ROEPNAAM
			                         : ROSTER_F_ACHTERNAAM],
			          0, NULL);
		if (cd != NULL && s->roepnaam[0] != '\0')
			report_derived(r, row, s, initials);
	}
}

static void
read_group(struct roster_reader *r, const struct sheet_row *row,
           struct student *s)
{
	const struct roster_header *h = &r->h;
	uint32_t gcol = h->col[ROSTER_F_GROUP],
	         jcol = h->col[ROSTER_F_JAARGROEP];
	const struct sheet_cell *c = cell_at(row, gcol);
	int got = field_text(r, row, c, s->group, STUDENT_GROUP_MAX), j;

	if (got == 0)
		add_issue(r, ROSTER_E_GROUP_EMPTY, row->row, gcol, 0, NULL);
	if (got <= 0)
		return;
	norm_group_key(s->group, s->group_key, sizeof(s->group_key));

	if (jcol != 0 && jcol != gcol) {
		const struct sheet_cell *jc = cell_at(row, jcol);

		if (!blank(jc)) {
			char text[64];

			roster_cell_text(jc, text, sizeof(text));
			j = jc->type == SHEET_TEXT || jc->type == SHEET_NUMBER
			            ? norm_jaargroep(text)
			            : -2;
			if (j == -2)
				cell_issue(r, ROSTER_W_JAARGROEP_INVALID, row,
				           jc, jcol, 0);
			s->jaargroep = (int8_t)(j >= 0 ? j : JAARGROEP_UNKNOWN);
			return;
		}
	}
	j = norm_jaargroep(s->group);
	if (j == -2 && jcol == gcol)
		cell_issue(r, ROSTER_W_JAARGROEP_INVALID, row, c, gcol, 0);
	s->jaargroep = (int8_t)(j >= 0 ? j : JAARGROEP_UNKNOWN);
}

static void
add_student(struct roster_reader *r, const struct student *s)
{
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 256;

		if (cap > r->o.max_students)
			cap = r->o.max_students;
		r->st = xrealloc(r->st, cap * sizeof(*r->st));
		r->cap = cap;
	}
	r->st[r->n++] = *s;
}

/* Count cells of dropped columns that look like a BSN. */
static void
column_stats(struct roster_reader *r, const struct sheet_row *row)
{
	for (size_t i = 0; i < row->ncells; i++) {
		const struct sheet_cell *c = &row->cells[i];
		size_t k = column_index(&r->h, c->col);
		char text[32];

		if (k == SIZE_MAX || r->h.columns[k].use == ROSTER_USE_FIELD ||
		    blank(c))
			continue;
		r->colstat[k].values++;
		if (c->type == SHEET_NUMBER || c->type == SHEET_TEXT) {
			roster_cell_text(c, text, sizeof(text));
			if (norm_looks_bsn(text, c->type == SHEET_NUMBER))
				r->colstat[k].bsn++;
		}
	}
}

/* The header again (exports per group repeat it): the number cell holds
 * the number column's header text. */
static bool
repeated_header(const struct roster_reader *r, const struct sheet_cell *c)
{
	size_t k = column_index(&r->h, r->h.col[ROSTER_F_NUMBER]);
	char a[ROSTER_HEADER_TEXT + 1], b[ROSTER_HEADER_TEXT + 1];
	const char *hdr;

	if (c == NULL || c->type != SHEET_TEXT || k == SIZE_MAX ||
	    c->len > 2 * ROSTER_HEADER_TEXT)
		return false;
	hdr = r->h.columns[k].header;
	norm_fold(hdr, strlen(hdr), NORM_FOLD_ALNUM, a, sizeof(a));
	norm_fold(c->text, c->len, NORM_FOLD_ALNUM, b, sizeof(b));
	return a[0] != '\0' && strcmp(a, b) == 0;
}

/* No name cell has text. */
static bool
names_blank(const struct roster_header *h, const struct sheet_row *row)
{
	return blank(cell_at(row, h->col[ROSTER_F_NAME])) &&
	       blank(cell_at(row, h->col[ROSTER_F_ROEPNAAM])) &&
	       blank(cell_at(row, h->col[ROSTER_F_TUSSENVOEGSEL])) &&
	       blank(cell_at(row, h->col[ROSTER_F_ACHTERNAAM]));
}

/* The row's uitstroomdatum (EDEXML, some exports) is today or earlier. */
static bool
left_school(struct roster_reader *r, const struct sheet_row *row)
{
	const struct sheet_cell *c = cell_at(row, r->h.col[ROSTER_F_LEFT]);
	enum roster_code code;
	int32_t ymd = 0;

	if (r->h.col[ROSTER_F_LEFT] == 0 || c == NULL)
		return false;
	return read_birth(c, r->o.today, &ymd, &code) == NUM_OK && ymd != 0 &&
	       ymd <= r->o.today;
}

/* The cell of a name field as text: cleaned, or as written when it cannot
 * be cleaned (too long); "" when blank. */
static void
name_cell(const struct sheet_row *row, uint32_t col, char *out, size_t outsz)
{
	const struct sheet_cell *c = cell_at(row, col);

	out[0] = '\0';
	if (blank(c))
		return;
	if (c->type != SHEET_TEXT ||
	    norm_text(c->text, c->len, out, outsz) != ERR_OK)
		roster_cell_text(c, out, ROSTER_ISSUE_NAME + 1);
}

/*
 * Name the pupil in the issues of this row (from index first on): the
 * name as the library keeps it when the row has a roepnaam and an
 * achternaam, else the row's name cells as written (an invalid row is a
 * pupil too); the number only when it is a valid one.
 */
static void
row_pupil(struct roster_reader *r, const struct sheet_row *row,
          const struct student *s, bool number_ok, size_t first)
{
	static const enum roster_field fields[] = { ROSTER_F_NAME,
		                                    ROSTER_F_ROEPNAAM,
		                                    ROSTER_F_TUSSENVOEGSEL,
		                                    ROSTER_F_ACHTERNAAM };
	char name[4 * NORM_NAME_MAX + 4], part[NORM_NAME_MAX];

	if (first >= r->nis)
		return;
	name[0] = '\0';
	if (s->roepnaam[0] != '\0' && s->achternaam[0] != '\0') {
		kept_name(s, name, sizeof(name));
	} else {
		size_t n = 0;

		for (size_t f = 0; f < sizeof(fields) / sizeof(*fields); f++) {
			int w;

			name_cell(row, r->h.col[fields[f]], part, sizeof(part));
			if (part[0] == '\0')
				continue;
			w = snprintf(name + n, sizeof(name) - n, "%s%s",
			             n > 0 ? " " : "", part);
			if (w > 0 && (size_t)w < sizeof(name) - n)
				n += (size_t)w;
		}
	}
	for (size_t i = first; i < r->nis; i++) {
		put_name(r->is[i].name, name);
		if (number_ok)
			memcpy(r->is[i].number, s->number,
			       sizeof(r->is[i].number));
	}
}

enum err
roster_reader_row(struct roster_reader *r, const struct sheet_row *row)
{
	const struct roster_header *h = &r->h;
	const struct sheet_cell *cn, *cb, *cg;
	struct student s;
	enum roster_code ncode = ROSTER_E_NUMBER_INVALID;
	enum roster_code bcode = ROSTER_E_DATE_INVALID;
	enum num_state num, birth;
	size_t errors = r->errors, first;
	bool any = false;

	if (!r->have_header || !h->usable || row->row <= h->row)
		return ERR_OK;
	if (r->limit_hit)
		return ERR_LIMIT;
	for (int f = 0; f < ROSTER_F__MAX; f++)
		if (f != ROSTER_F_BSN && !blank(cell_at(row, h->col[f])))
			any = true;
	r->rows++;
	if (!any) {
		r->ignored++;
		return ERR_OK;
	}
	if (r->n >= r->o.max_students) {
		add_issue(r, ROSTER_E_TOO_MANY_ROWS, row->row, 0,
		          (int64_t)r->o.max_students, NULL);
		r->limit_hit = true;
		return ERR_LIMIT;
	}
	column_stats(r, row);
	first = r->nis;

	memset(&s, 0, sizeof(s));
	s.row = (int32_t)row->row;
	s.jaargroep = JAARGROEP_UNKNOWN;
	cn = cell_at(row, h->col[ROSTER_F_NUMBER]);
	cb = cell_at(row, h->col[ROSTER_F_BIRTH]);
	cg = cell_at(row, h->col[ROSTER_F_GROUP]);
	num = read_number(cn, &s, &ncode);
	birth = read_birth(cb, r->o.today, &s.birth, &bcode);
	if (repeated_header(r, cn)) {
		r->ignored++;
		return ERR_OK;
	}
	if (left_school(r, row)) {
		/* already left: as if not in the file, so the diff unenrols */
		r->ignored++;
		return ERR_OK;
	}
	if (birth == NUM_NONE && blank(cg) &&
	    (num == NUM_NONE ||
	     (names_blank(h, row) && !norm_all_digits(s.number)))) {
		/* a totals line, a note or a group title: not a student */
		const struct sheet_cell *cell = NULL;

		for (size_t i = 0; i < row->ncells && cell == NULL; i++)
			if (!blank(&row->cells[i]))
				cell = &row->cells[i];
		cell_issue(r, ROSTER_W_ROW_IGNORED, row, cell, 0, 0);
		row_pupil(r, row, &s, false, first);
		r->ignored++;
		return ERR_OK;
	}

	if (num == NUM_NONE)
		add_issue(r, ROSTER_E_NUMBER_MISSING, row->row,
		          h->col[ROSTER_F_NUMBER], 0, NULL);
	else if (num == NUM_BAD)
		cell_issue(r, ncode, row, cn, cn->col,
		           ncode == ROSTER_E_NUMBER_TOO_LONG
		                   ? STUDENT_NUMBER_MAX
		                   : 0);
	if (num == NUM_OK) {
		r->numbers++;
		if (norm_looks_bsn(s.number, cn->type == SHEET_NUMBER))
			r->bsn_numbers++;
	}

	if (birth == NUM_NONE) {
		add_issue(r, ROSTER_E_BIRTH_EMPTY, row->row,
		          h->col[ROSTER_F_BIRTH], 0, NULL);
	} else if (birth == NUM_BAD) {
		cell_issue(r, bcode, row, cb, cb->col, 0);
		s.birth = 0;
	} else if (s.birth > r->o.today) {
		cell_issue(r, ROSTER_E_BIRTH_FUTURE, row, cb, cb->col, 0);
	} else {
		int age = norm_age(s.birth, r->o.today);

		if (age < r->o.min_age || age > r->o.max_age)
			cell_issue(r, ROSTER_W_AGE, row, cb, cb->col, age);
	}

	read_names(r, row, &s);
	read_group(r, row, &s);
	row_pupil(r, row, &s, num == NUM_OK, first);
	if (num == NUM_OK) {
		s.has_error = r->errors > errors;
		add_student(r, &s);
	}
	return ERR_OK;
}

/*
 * Whole-file checks.
 */

/* Later duplicates are reported and removed; the first keeps has_error. */
static void
check_duplicates(struct roster_reader *r)
{
	struct itable t;
	struct roster_issue *is;
	bool *drop = xcalloc(r->n ? r->n : 1, sizeof(bool));
	size_t i, h, k = 0;

	itable_init(&t, r->n);
	for (i = 0; i < r->n; i++) {
		struct student *s = &r->st[i];

		for (h = itable_hash(ITABLE_SEED, s->number_key) & t.mask;
		     t.slot[h] != ITABLE_EMPTY; h = (h + 1) & t.mask)
			if (strcmp(r->st[t.slot[h]].number_key,
			           s->number_key) == 0)
				break;
		if (t.slot[h] == ITABLE_EMPTY) {
			t.slot[h] = i;
			continue;
		}
		r->st[t.slot[h]].has_error = true;
		drop[i] = true;
		is = add_issue(r, ROSTER_E_NUMBER_DUPLICATE, (uint32_t)s->row,
		               r->h.col[ROSTER_F_NUMBER], r->st[t.slot[h]].row,
		               s->number);
		student_pupil(is, s);
		if (is != NULL) {
			char other[STUDENT_FIRST_MAX + STUDENT_PREFIX_MAX +
			           STUDENT_LAST_MAX + 3];

			kept_name(&r->st[t.slot[h]], other, sizeof(other));
			put_name(is->other, other);
		}
	}
	for (i = 0; i < r->n; i++)
		if (!drop[i])
			r->st[k++] = r->st[i];
	if (k < r->n)
		mem_wipe(&r->st[k], (r->n - k) * sizeof(*r->st));
	r->n = k;
	free(drop);
	itable_release(&t);
}

/* The identity key of a student: folded names and birth date. */
static void
identity(const struct student *s, char *out, size_t outsz)
{
	char tmp[STUDENT_FIRST_MAX + STUDENT_PREFIX_MAX + STUDENT_LAST_MAX + 4];
	size_t n = 0;

	n += (size_t)strlen(s->roepnaam);
	memcpy(tmp, s->roepnaam, n);
	tmp[n++] = '|';
	memcpy(tmp + n, s->tussenvoegsel, strlen(s->tussenvoegsel));
	n += strlen(s->tussenvoegsel);
	tmp[n++] = '|';
	memcpy(tmp + n, s->achternaam, strlen(s->achternaam));
	n += strlen(s->achternaam);
	norm_fold(tmp, n, NORM_FOLD_SPACES, out, outsz);
}

static void
check_same_person(struct roster_reader *r)
{
	enum { IDLEN = 4 * (STUDENT_FIRST_MAX + STUDENT_LAST_MAX) };
	struct itable t;
	char a[IDLEN], b[IDLEN];
	uint64_t *hash = xmalloc((r->n ? r->n : 1) * sizeof(*hash));
	size_t i, h;

	itable_init(&t, r->n);
	for (i = 0; i < r->n; i++) {
		const struct student *s = &r->st[i];

		if (s->birth == 0 || s->achternaam[0] == '\0')
			continue;
		identity(s, a, sizeof(a));
		hash[i] = itable_hash(ITABLE_SEED ^ (uint64_t)s->birth, a);
		for (h = hash[i] & t.mask; t.slot[h] != ITABLE_EMPTY;
		     h = (h + 1) & t.mask) {
			const struct student *o = &r->st[t.slot[h]];

			if (hash[t.slot[h]] != hash[i] || o->birth != s->birth)
				continue;
			identity(o, b, sizeof(b));
			if (strcmp(a, b) == 0)
				break;
		}
		if (t.slot[h] == ITABLE_EMPTY)
			t.slot[h] = i;
		else
			student_pupil(add_issue(r, ROSTER_W_SAME_PERSON,
			                        (uint32_t)s->row,
			                        r->h.col[ROSTER_F_NUMBER],
			                        r->st[t.slot[h]].row,
			                        s->number),
			              s);
	}
	free(hash);
	itable_release(&t);
}

/* Most digit-only numbers have one width and some are shorter. */
static void
check_leading_zeros(struct roster_reader *r)
{
	size_t width[STUDENT_NUMBER_MAX + 1] = { 0 }, digits = 0, best = 0;

	for (size_t i = 0; i < r->n; i++)
		if (norm_all_digits(r->st[i].number)) {
			width[strlen(r->st[i].number)]++;
			digits++;
		}
	for (size_t w = 1; w <= STUDENT_NUMBER_MAX; w++)
		if (width[w] > width[best])
			best = w;
	if (best < 2 || width[best] < 3 || width[best] * 10 < digits * 6 ||
	    width[best] == digits)
		return;
	for (size_t i = 0; i < r->n; i++) {
		const struct student *s = &r->st[i];

		if (norm_all_digits(s->number) && strlen(s->number) < best)
			student_pupil(add_issue(r, ROSTER_W_NUMBER_SHORT,
			                        (uint32_t)s->row,
			                        r->h.col[ROSTER_F_NUMBER],
			                        (int64_t)best, s->number),
			              s);
	}
}

/* The number column holds BSNs: keep nothing but the refusal. */
static void
refuse_bsn(struct roster_reader *r)
{
	if (r->st != NULL)
		mem_wipe(r->st, r->n * sizeof(*r->st));
	r->n = 0;
	if (r->is != NULL)
		mem_wipe(r->is, r->nis * sizeof(*r->is));
	r->nis = 0;
	r->omitted = 0;
	r->errors = 0;
	memset(r->count, 0, sizeof(r->count));
	add_issue(r, ROSTER_E_NUMBER_IS_BSN, r->h.row,
	          r->h.col[ROSTER_F_NUMBER], 0, NULL);
}

static void
report_columns(struct roster_reader *r)
{
	/* the voornamen and voorletters columns are used when a roepnaam
	 * came from them; otherwise they are dropped like any other */
	for (int d = 0; d < 2; d++) {
		enum roster_field f =
		        d == 0 ? ROSTER_F_VOORNAMEN : ROSTER_F_VOORLETTERS;
		size_t k = column_index(&r->h, r->h.col[f]);

		if (!r->derived[d] || k == SIZE_MAX)
			continue;
		r->h.columns[k].use = ROSTER_USE_FIELD;
		r->h.columns[k].field = f;
	}
	for (size_t k = 0; k < r->h.ncolumns; k++) {
		struct roster_column *c = &r->h.columns[k];

		if (c->use == ROSTER_USE_FIELD)
			continue;
		if (r->colstat[k].values > 0 &&
		    r->colstat[k].bsn * 2 > r->colstat[k].values)
			c->use = ROSTER_USE_BSN;
		add_issue(r,
		          c->use == ROSTER_USE_BSN ? ROSTER_I_BSN_COLUMN_DROPPED
		                                   : ROSTER_I_COLUMN_DROPPED,
		          r->h.row, c->col, 0, c->header);
	}
}

static int
issue_cmp(const void *pa, const void *pb)
{
	const struct roster_issue *a = pa, *b = pb;

	if (a->row != b->row)
		return a->row < b->row ? -1 : 1;
	if (a->col != b->col)
		return a->col < b->col ? -1 : 1;
	if (a->code != b->code)
		return a->code < b->code ? -1 : 1;
	if (a->arg != b->arg)
		return a->arg < b->arg ? -1 : 1;
	return strcmp(a->text, b->text);
}

void
roster_reader_finish(struct roster_reader *r, struct roster_file *out)
{
	memset(out, 0, sizeof(*out));
	if (!r->have_header || !r->h.usable) {
		unsigned missing = r->h.row != 0 ? r->h.missing
		                                 : (unsigned)ROSTER_NEED_ALL;

		add_issue(r, ROSTER_E_NO_HEADER, r->h.row, 0, missing, NULL);
		out->preview = r->preview;
	} else if (r->numbers > 0 && r->bsn_numbers * 2 > r->numbers) {
		refuse_bsn(r);
	} else {
		report_columns(r);
		check_duplicates(r);
		check_same_person(r);
		if (r->o.format != SHEET_FMT_EDEXML)
			check_leading_zeros(r); /* Excel drops zeros */
		if (r->h.layout == ROSTER_LAYOUT_GENERIC && r->names > 0 &&
		    r->comma_names * 2 > r->names)
			r->h.layout = ROSTER_LAYOUT_DOTCOM;
		if (r->n == 0 && !r->limit_hit &&
		    r->count[ROSTER_E_NUMBER_MISSING] == 0 &&
		    r->count[ROSTER_E_NUMBER_NOT_EXACT] == 0 &&
		    r->count[ROSTER_E_NUMBER_INVALID] == 0 &&
		    r->count[ROSTER_E_NUMBER_TOO_LONG] == 0)
			add_issue(r, ROSTER_E_NO_STUDENTS, r->h.row, 0, 0,
			          NULL);
	}
	for (size_t i = 0; i < r->nis; i++)
		r->is[i].layout = r->h.layout; /* where to fix it */
	if (r->nis > 1)
		qsort(r->is, r->nis, sizeof(*r->is), issue_cmp);

	out->header = r->h;
	out->students = r->st;
	out->nstudents = r->n;
	out->issues = r->is;
	out->nissues = r->nis;
	out->issues_omitted = r->omitted;
	memcpy(out->count, r->count, sizeof(out->count));
	for (int c = 0; c < ROSTER_CODE__MAX; c++) {
		enum roster_severity sev = roster_code_severity(c);

		if (sev == ROSTER_SEV_ERROR)
			out->nerrors += r->count[c];
		else if (sev == ROSTER_SEV_WARNING)
			out->nwarnings += r->count[c];
		if (r->count[c] > 0 && roster_code_blocks(c))
			out->blocked = true;
	}
	out->rows = r->rows;
	out->ignored = r->ignored;
	r->st = NULL;
	r->n = r->cap = 0;
	r->is = NULL;
	r->nis = r->iscap = 0;
}

void
roster_read_rows(const struct sheet_row *rows, size_t n,
                 const struct roster_opts *o, struct roster_file *out)
{
	struct roster_probe *p = xmalloc(sizeof(*p));
	struct roster_reader *r;

	roster_probe_init(p);
	for (size_t i = 0; i < n && roster_probe_row(p, &rows[i]); i++)
		;
	r = roster_reader_new(o);
	roster_reader_header(r, p);
	for (size_t i = 0; i < n; i++)
		if (roster_reader_row(r, &rows[i]) != ERR_OK)
			break;
	roster_reader_finish(r, out);
	roster_reader_free(r);
	free(p);
}
