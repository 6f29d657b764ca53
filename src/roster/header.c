/*
 * Header detection (see header.h): the synonym table, the layout rules, the
 * scoring of a row and the probe over the first rows.
 *
 * Header texts are compared after norm_fold(NORM_FOLD_ALNUM), so each
 * synonym is written once, folded: lowercase letters and digits only.
 * A synonym's rank orders columns of the same kind: the lowest rank wins,
 * then the leftmost column; the others are "spare" and dropped.
 */
#include <stdio.h>
#include <string.h>

#include "header.h"
#include "norm.h"

/* Kinds of header before "Naam" is resolved. */
enum kind {
	K_NUMBER,
	K_FULLNAME,
	K_NAAM, /* "Naam": the achternaam beside a roepnaam, else the name */
	K_FIRST,
	K_PREFIX,
	K_LAST,
	K_BIRTH,
	K_GROUP,
	K_JAARGROEP,
	K_BSN,
	K_LEFT,
	K_INITIALS,
	K__MAX
};

static const struct synonym {
	const char *key; /* folded header text */
	enum kind kind;
	int rank; /* lower wins among columns of one kind */
} synonyms[] = {
	/* student number */
	{ "leerlingnummer", K_NUMBER, 0 }, /* ParnasSys, ESIS, schoolWise */
	{ "leerlingnr", K_NUMBER, 0 },     /* "Leerling nr.", "Leerlingnr" */
	{ "llnr", K_NUMBER, 0 },           /* "Llnr", "LL-nr" */
	{ "llnummer", K_NUMBER, 0 },       /* "LL nummer" */
	{ "leerlingid", K_NUMBER, 0 },     /* "Leerling-ID" */
	{ "leerlingcode", K_NUMBER, 0 },   /* */
	{ "stamnummer", K_NUMBER, 0 },     /* ESIS and older systems */
	{ "stamnr", K_NUMBER, 0 },         /* */
	{ "studentnummer", K_NUMBER, 0 },  /* */
	{ "studentnr", K_NUMBER, 0 },      /* */
	{ "externnr", K_NUMBER, 1 },       /* schoolWise EXTERN_NR */
	{ "key", K_NUMBER, 1 },            /* EDEXML leerling key */
	{ "sleutel", K_NUMBER, 1 },        /* EDEXML, Dutch */
	{ "nummer", K_NUMBER, 2 },         /* hand-made lists */
	{ "nr", K_NUMBER, 3 },             /* "Nr.", hand-made lists */
	/* the whole name */
	{ "volledigenaam", K_FULLNAME, 0 }, /* */
	{ "naamleerling", K_FULLNAME, 0 },  /* "Naam leerling" */
	{ "leerlingnaam", K_FULLNAME, 0 },  /* */
	{ "leerling", K_FULLNAME, 1 },      /* Dotcom lists */
	{ "naam", K_NAAM, 0 },              /* see K_NAAM */
	/* parts of the name */
	{ "roepnaam", K_FIRST, 0 },        /* */
	{ "voornaam", K_FIRST, 1 },        /* */
	{ "voornamen", K_FIRST, 2 },       /* EDEXML: all given names */
	{ "voorletters", K_INITIALS, 0 },  /* EDEXML "voorletters-1" */
	{ "voorletter", K_INITIALS, 0 },   /* */
	{ "tussenvoegsel", K_PREFIX, 0 },  /* ESIS */
	{ "tussenvoegsels", K_PREFIX, 0 }, /* */
	{ "voorvoegsel", K_PREFIX, 0 },    /* ParnasSys, EDEXML, schoolWise */
	{ "voorvoegsels", K_PREFIX, 0 },   /* */
	{ "tussenv", K_PREFIX, 0 },        /* "Tussenv." */
	{ "tv", K_PREFIX, 1 },             /* */
	{ "naamtus", K_PREFIX, 0 },        /* schoolWise NAAMTUS */
	{ "achternaam", K_LAST, 0 },       /* */
	{ "geslachtsnaam", K_LAST, 0 },    /* */
	{ "familienaam", K_LAST, 0 },      /* */
	/* birth date */
	{ "geboortedatum", K_BIRTH, 0 }, /* */
	{ "gebdatum", K_BIRTH, 0 },      /* "Geb.datum", "Geb. datum" */
	{ "gebdat", K_BIRTH, 0 },        /* */
	{ "geboren", K_BIRTH, 0 },       /* */
	{ "geboortedag", K_BIRTH, 0 },   /* */
	{ "dateofbirth", K_BIRTH, 0 },   /* English lists */
	{ "birthdate", K_BIRTH, 0 },     /* */
	/* group: a name beats a code, both beat a jaargroep */
	{ "groepsnaam", K_GROUP, 0 }, /* schoolWise GROEPSNAAM */
	{ "groepnaam", K_GROUP, 0 },  /* EDEXML "groep naam" */
	{ "klasnaam", K_GROUP, 0 },   /* schoolWise KLAS_NAAM */
	{ "groep", K_GROUP, 1 },      /* */
	{ "klas", K_GROUP, 1 },       /* */
	{ "stamgroep", K_GROUP, 1 },  /* ParnasSys */
	{ "basisgroep", K_GROUP, 1 }, /* ESIS */
	{ "groepcode", K_GROUP, 2 },  /* */
	{ "groepscode", K_GROUP, 2 }, /* */
	{ "klascode", K_GROUP, 2 },   /* schoolWise KLAS_CODE */
	/* jaargroep */
	{ "jaargroep", K_JAARGROEP, 0 }, /* */
	{ "leerjaar", K_JAARGROEP, 0 },  /* ParnasSys, schoolWise LEERJAAR */
	/* never stored */
	{ "uitstroomdatum", K_LEFT, 0 },     /* EDEXML, ParnasSys */
	{ "datumuitschrijving", K_LEFT, 0 }, /* */
	{ "uitschrijfdatum", K_LEFT, 0 },    /* */
	{ "bsn", K_BSN, 0 },                 /* */
	{ "burgerservicenummer", K_BSN, 0 }, /* */
	{ "sofinummer", K_BSN, 0 },          /* */
	{ "sofinr", K_BSN, 0 },              /* */
	{ "onderwijsnummer", K_BSN, 0 },     /* */
	{ "bsnonderwijsnummer", K_BSN, 0 },  /* "BSN/onderwijsnummer" */
	{ "pgn", K_BSN, 0 },                 /* persoonsgebonden nummer */
	{ "pgnnummer", K_BSN, 0 },           /* */
};

/*
 * Layouts, tried in order; the first rule whose headers are all present
 * (and, if any are listed, at least one of any) names the layout.  They
 * follow what these systems' exports are known to contain; Dotcom (one
 * "Achternaam, Roepnaam tussenvoegsel" column) is recognised from the data
 * by the reader.
 */
static const struct layout_rule {
	enum roster_layout layout;
	const char *all[6];
	const char *any[6];
} layout_rules[] = {
	/* src/sheet/edexml.c heads its group column "groep" */
	{ ROSTER_LAYOUT_EDEXML,
	  { "key", "voorletters" },
	  { "groepnaam", "groep" } },
	{ ROSTER_LAYOUT_SCHOOLWISE,
	  { 0 },
	  { "externnr", "klascode", "klasnaam", "naamtus" } },
	{ ROSTER_LAYOUT_SCHOOLWISE,
	  { "leerlingnummer", "roepnaam", "voorvoegsel", "naam", "groepsnaam" },
	  { 0 } },
	{ ROSTER_LAYOUT_PARNASSYS,
	  { "roepnaam", "voorvoegsel", "achternaam" },
	  { 0 } },
	{ ROSTER_LAYOUT_ESIS,
	  { "roepnaam", "tussenvoegsel", "achternaam" },
	  { "stamnummer", "basisgroep", "stamgroep", "klas" } },
};

static const char *const layout_names[][LANG__MAX] = {
	[ROSTER_LAYOUT_GENERIC] = { "algemeen", "generic" },
	[ROSTER_LAYOUT_PARNASSYS] = { "ParnasSys", "ParnasSys" },
	[ROSTER_LAYOUT_ESIS] = { "ESIS", "ESIS" },
	[ROSTER_LAYOUT_DOTCOM] = { "Dotcom (SchoolOAS)", "Dotcom (SchoolOAS)" },
	[ROSTER_LAYOUT_EDEXML] = { "EDEXML", "EDEXML" },
	[ROSTER_LAYOUT_SCHOOLWISE] = { "schoolWise-importkolommen",
	                               "schoolWise import columns" },
};
_Static_assert(sizeof(layout_names) / sizeof(layout_names[0]) ==
                       ROSTER_LAYOUT__MAX,
               "every layout needs a name");

const char *
roster_layout_name(enum roster_layout l, enum lang lang)
{
	return (unsigned)l < ROSTER_LAYOUT__MAX
	               ? lang_pick(layout_names[l], lang)
	               : "?";
}

enum roster_layout
roster_layout_parse(const char *name)
{
	for (int l = 0; l < ROSTER_LAYOUT__MAX; l++)
		for (int g = 0; g < LANG__MAX; g++)
			if (strcmp(name, layout_names[l][g]) == 0)
				return (enum roster_layout)l;
	return ROSTER_LAYOUT_GENERIC;
}

const char *
roster_need_name(enum roster_need n, enum lang lang)
{
	static const struct {
		enum roster_need need;
		const char *name[LANG__MAX];
	} needs[] = {
		{ ROSTER_NEED_NUMBER, { "leerlingnummer", "student number" } },
		{ ROSTER_NEED_NAME, { "naam", "name" } },
		{ ROSTER_NEED_BIRTH, { "geboortedatum", "date of birth" } },
		{ ROSTER_NEED_GROUP, { "groep", "group" } },
	};

	for (size_t i = 0; i < sizeof(needs) / sizeof(needs[0]); i++)
		if (needs[i].need == n)
			return lang_pick(needs[i].name, lang);
	return "?";
}

/* Cut s to fit outsz at a UTF-8 boundary, marking the cut with "...". */
static void
cut_copy(const char *s, size_t len, char *out, size_t outsz)
{
	if (len < outsz) {
		memcpy(out, s, len);
		out[len] = '\0';
		return;
	}
	len = outsz > 4 ? outsz - 4 : 0;
	while (len > 0 && ((unsigned char)s[len] & 0xc0) == 0x80)
		len--;
	memcpy(out, s, len);
	memcpy(out + len, "...", outsz > 4 ? 4 : 0);
	if (outsz <= 4)
		out[0] = '\0';
}

void
roster_cell_text(const struct sheet_cell *c, char *out, size_t outsz)
{
	char tmp[64];

	switch (c->type) {
	case SHEET_TEXT:
	case SHEET_ERROR:
		cut_copy(c->text ? c->text : "", c->text ? c->len : 0, out,
		         outsz);
		return;
	case SHEET_NUMBER:
		if (!norm_number_from_double(c->number, tmp, sizeof(tmp)))
			snprintf(tmp, sizeof(tmp), "%.15g", c->number);
		break;
	case SHEET_BOOL:
		snprintf(tmp, sizeof(tmp), "%s",
		         c->boolean ? "WAAR" : "ONWAAR");
		break;
	case SHEET_DATE:
		snprintf(tmp, sizeof(tmp), "%02d-%02d-%04d", c->date.day % 100,
		         c->date.month % 100, c->date.year % 10000);
		break;
	default:
		tmp[0] = '\0';
	}
	cut_copy(tmp, strlen(tmp), out, outsz);
}

static const struct synonym *
lookup(const char *key)
{
	for (size_t i = 0; i < sizeof(synonyms) / sizeof(synonyms[0]); i++)
		if (strcmp(synonyms[i].key, key) == 0)
			return &synonyms[i];
	return NULL;
}

static bool
has_key(const char (*keys)[ROSTER_HEADER_TEXT + 1], size_t n, const char *k)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(keys[i], k) == 0)
			return true;
	return false;
}

static enum roster_layout
layout_of(const char (*keys)[ROSTER_HEADER_TEXT + 1], size_t n)
{
	for (size_t r = 0; r < sizeof(layout_rules) / sizeof(*layout_rules);
	     r++) {
		const struct layout_rule *lr = &layout_rules[r];
		bool ok = true, any = lr->any[0] == NULL;

		for (size_t i = 0; i < 6 && lr->all[i] != NULL; i++)
			ok = ok && has_key(keys, n, lr->all[i]);
		for (size_t i = 0; i < 6 && lr->any[i] != NULL; i++)
			any = any || has_key(keys, n, lr->any[i]);
		if (ok && any)
			return lr->layout;
	}
	return ROSTER_LAYOUT_GENERIC;
}

/* Map a K_ kind to the field it fills (K_NAAM is resolved separately). */
static const enum roster_field kind_field[K__MAX] = {
	[K_NUMBER] = ROSTER_F_NUMBER,
	[K_FULLNAME] = ROSTER_F_NAME,
	[K_NAAM] = ROSTER_F_NAME,
	[K_FIRST] = ROSTER_F_ROEPNAAM,
	[K_PREFIX] = ROSTER_F_TUSSENVOEGSEL,
	[K_LAST] = ROSTER_F_ACHTERNAAM,
	[K_BIRTH] = ROSTER_F_BIRTH,
	[K_GROUP] = ROSTER_F_GROUP,
	[K_JAARGROEP] = ROSTER_F_JAARGROEP,
	[K_BSN] = ROSTER_F_BSN,
	[K_LEFT] = ROSTER_F_LEFT,
	[K_INITIALS] = ROSTER_F_VOORLETTERS,
};

/* Points for each field found; the four required add up to 95. */
static const int field_points[ROSTER_F__MAX] = {
	[ROSTER_F_NUMBER] = 35,   [ROSTER_F_NAME] = 20,
	[ROSTER_F_BIRTH] = 20,    [ROSTER_F_GROUP] = 20,
	[ROSTER_F_JAARGROEP] = 3, [ROSTER_F_TUSSENVOEGSEL] = 2,
};

static void
choose(struct roster_header *h, enum roster_field f, size_t idx)
{
	h->col[f] = h->columns[idx].col;
	h->columns[idx].use = ROSTER_USE_FIELD;
	h->columns[idx].field = f;
}

int
roster_scan_row(const struct sheet_row *row, struct roster_header *h)
{
	char keys[ROSTER_COLUMNS_MAX][ROSTER_HEADER_TEXT + 1];
	size_t best[K__MAX]; /* column index per kind; SIZE_MAX: none */
	int rank[K__MAX];
	size_t i, n = 0, given = SIZE_MAX; /* the first voornamen column */

	memset(h, 0, sizeof(*h));
	h->row = row->row;
	for (i = 0; i < K__MAX; i++) {
		best[i] = SIZE_MAX;
		rank[i] = 1000;
	}
	for (i = 0; i < row->ncells; i++) {
		const struct sheet_cell *c = &row->cells[i];
		struct roster_column *col;
		const struct synonym *syn = NULL;

		if (n == ROSTER_COLUMNS_MAX) {
			h->columns_omitted = row->ncells - i;
			break;
		}
		col = &h->columns[n];
		col->col = c->col;
		col->use = ROSTER_USE_UNKNOWN;
		roster_cell_text(c, col->header, sizeof(col->header));
		keys[n][0] = '\0';
		if (c->type == SHEET_TEXT && c->text != NULL) {
			norm_fold(c->text, c->len, NORM_FOLD_ALNUM, keys[n],
			          sizeof(keys[n]));
			syn = lookup(keys[n]);
		}
		if (syn != NULL) {
			col->field = kind_field[syn->kind];
			col->use = syn->kind == K_BSN ? ROSTER_USE_BSN
			                              : ROSTER_USE_SPARE;
			if (syn->rank < rank[syn->kind]) {
				rank[syn->kind] = syn->rank;
				best[syn->kind] = n;
			}
			if (syn->kind == K_FIRST && syn->rank == 2 &&
			    given == SIZE_MAX)
				given = n;
		}
		n++;
	}
	h->ncolumns = n;

	if (best[K_NUMBER] != SIZE_MAX)
		choose(h, ROSTER_F_NUMBER, best[K_NUMBER]);
	if (best[K_FIRST] != SIZE_MAX &&
	    (best[K_LAST] != SIZE_MAX || best[K_NAAM] != SIZE_MAX)) {
		choose(h, ROSTER_F_ROEPNAAM, best[K_FIRST]);
		h->first_word = rank[K_FIRST] == 2;
		choose(h, ROSTER_F_ACHTERNAAM,
		       best[K_LAST] != SIZE_MAX ? best[K_LAST] : best[K_NAAM]);
		if (best[K_PREFIX] != SIZE_MAX)
			choose(h, ROSTER_F_TUSSENVOEGSEL, best[K_PREFIX]);
		/* where an empty roepnaam is looked for; the columns stay
		 * spare until the reader uses them */
		if (given != SIZE_MAX && given != best[K_FIRST]) {
			h->col[ROSTER_F_VOORNAMEN] = h->columns[given].col;
			h->columns[given].field = ROSTER_F_VOORNAMEN;
		}
		if (best[K_INITIALS] != SIZE_MAX)
			h->col[ROSTER_F_VOORLETTERS] =
			        h->columns[best[K_INITIALS]].col;
	} else if (best[K_FULLNAME] != SIZE_MAX) {
		choose(h, ROSTER_F_NAME, best[K_FULLNAME]);
	} else if (best[K_NAAM] != SIZE_MAX) {
		choose(h, ROSTER_F_NAME, best[K_NAAM]);
	}
	if (best[K_BIRTH] != SIZE_MAX)
		choose(h, ROSTER_F_BIRTH, best[K_BIRTH]);
	if (best[K_GROUP] != SIZE_MAX) {
		choose(h, ROSTER_F_GROUP, best[K_GROUP]);
		if (best[K_JAARGROEP] != SIZE_MAX)
			choose(h, ROSTER_F_JAARGROEP, best[K_JAARGROEP]);
	} else if (best[K_JAARGROEP] != SIZE_MAX) {
		/* the jaargroep is the only group column: it is both */
		choose(h, ROSTER_F_JAARGROEP, best[K_JAARGROEP]);
		h->col[ROSTER_F_GROUP] = h->col[ROSTER_F_JAARGROEP];
	}
	if (best[K_BSN] != SIZE_MAX)
		h->col[ROSTER_F_BSN] = h->columns[best[K_BSN]].col;
	if (best[K_LEFT] != SIZE_MAX)
		choose(h, ROSTER_F_LEFT, best[K_LEFT]);

	if (h->col[ROSTER_F_NUMBER] == 0)
		h->missing |= ROSTER_NEED_NUMBER;
	if (h->col[ROSTER_F_NAME] == 0 && h->col[ROSTER_F_ACHTERNAAM] == 0)
		h->missing |= ROSTER_NEED_NAME;
	if (h->col[ROSTER_F_BIRTH] == 0)
		h->missing |= ROSTER_NEED_BIRTH;
	if (h->col[ROSTER_F_GROUP] == 0)
		h->missing |= ROSTER_NEED_GROUP;
	h->usable = h->missing == 0;
	for (i = 0; i < ROSTER_F__MAX; i++)
		if (h->col[i] != 0)
			h->score += field_points[i];
	if (h->col[ROSTER_F_ACHTERNAAM] != 0)
		h->score += field_points[ROSTER_F_NAME];
	h->layout = layout_of((const char(*)[ROSTER_HEADER_TEXT + 1]) keys, n);
	return h->score;
}

void
roster_probe_init(struct roster_probe *p)
{
	memset(p, 0, sizeof(*p));
}

/* Mask a value that looks like a BSN: a preview must not show one. */
static void
mask_bsn(char *s)
{
	if (norm_looks_bsn(s, true))
		memcpy(s, "*********", strlen(s));
}

bool
roster_probe_row(struct roster_probe *p, const struct sheet_row *row)
{
	struct roster_preview *pv = &p->preview;

	if (p->rows >= ROSTER_PROBE_ROWS)
		return false;
	p->rows++;
	if (pv->nrows < ROSTER_PREVIEW_ROWS) {
		size_t r = pv->nrows++;

		pv->row[r] = row->row;
		for (size_t i = 0; i < row->ncells; i++) {
			uint32_t c = row->cells[i].col;

			if (c < 1 || c > ROSTER_PREVIEW_COLS)
				continue;
			roster_cell_text(&row->cells[i], pv->cell[r][c - 1],
			                 sizeof(pv->cell[r][c - 1]));
			mask_bsn(pv->cell[r][c - 1]);
		}
	}
	if (roster_scan_row(row, &p->scratch) > p->best.score)
		p->best = p->scratch;
	return p->rows < ROSTER_PROBE_ROWS;
}

bool
roster_column_stored(const struct roster_column *c)
{
	return c->use == ROSTER_USE_FIELD && c->field != ROSTER_F_LEFT;
}

const char *
roster_field_name(enum roster_field f, enum lang lang)
{
	static const char *const names[ROSTER_F__MAX][LANG__MAX] = {
		[ROSTER_F_NONE] = { "onbekend", "unknown" },
		[ROSTER_F_NUMBER] = { "leerlingnummer", "student number" },
		[ROSTER_F_NAME] = { "naam", "name" },
		[ROSTER_F_ROEPNAAM] = { "roepnaam", "first name" },
		[ROSTER_F_TUSSENVOEGSEL] = { "tussenvoegsel", "name prefix" },
		[ROSTER_F_ACHTERNAAM] = { "achternaam", "last name" },
		[ROSTER_F_BIRTH] = { "geboortedatum", "date of birth" },
		[ROSTER_F_GROUP] = { "groep", "group" },
		[ROSTER_F_JAARGROEP] = { "jaargroep", "year group" },
		[ROSTER_F_BSN] = { "BSN", "BSN" },
		[ROSTER_F_LEFT] = { "uitstroomdatum", "date of leaving" },
		[ROSTER_F_VOORNAMEN] = { "roepnaam als die ontbreekt (de eerste voornaam)",
		                         "first name where it is missing (the first given name)" },
		[ROSTER_F_VOORLETTERS] = { "roepnaam als die en de voornamen ontbreken (de voorletters)",
		                           "first name where it and the given names are missing (the initials)" },
	};

	if ((unsigned)f >= ROSTER_F__MAX)
		return "?";
	return lang_pick(names[f], lang);
}
