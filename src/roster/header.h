/*
 * Finding the header row of a student list and mapping its columns.
 *
 * Export titles often stand above the header, so the header is searched
 * among the first ROSTER_PROBE_ROWS non-empty rows: every text cell is
 * folded (case, accents, spaces and punctuation removed: "Geb. datum",
 * "GEB.DATUM" and "geb datum" all become "gebdatum") and looked up in one
 * synonym table (header.c).  A row's score says how well it works as a
 * header, so that the caller can also compare the sheets of a workbook and
 * read the best one.
 *
 * Required: a student number; a name (one full-name column, or a roepnaam
 * column with an achternaam column, where "Naam" next to a "Roepnaam" is the
 * achternaam); a birth date; a group (a Jaargroep/Leerjaar column serves as
 * the group when there is no other).  Optional: jaargroep, tussenvoegsel;
 * beside a roepnaam column, a Voornamen and a Voorletters column, where a
 * row without a roepnaam finds one (EDEXML exports have all three).
 * A BSN/onderwijsnummer column is recognised so that it can be named when
 * it is dropped.  Every other column is unknown and dropped.
 *
 * Use: roster_probe_init(), then roster_probe_row() for each row until it
 * returns false (at most ROSTER_PROBE_ROWS rows); the probe then holds the
 * best header (or none, with the missing columns and a preview of the first
 * rows), ready for roster_reader_header() (reader.h).
 *
 * Limits: ROSTER_COLUMNS_MAX header cells are kept (more are counted in
 * columns_omitted and dropped); header texts are cut at ROSTER_HEADER_TEXT
 * bytes.  A struct roster_probe is about 50 KB.  Pure: no I/O, no globals
 * that change.
 */
#ifndef BIEBSYNC_ROSTER_HEADER_H
#define BIEBSYNC_ROSTER_HEADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/lang.h"
#include "../sheet/sheet.h"

#define ROSTER_PROBE_ROWS   30  /* non-empty rows searched for the header */
#define ROSTER_COLUMNS_MAX  256 /* header cells kept */
#define ROSTER_HEADER_TEXT  48  /* bytes of a header text kept */
#define ROSTER_PREVIEW_ROWS 10  /* rows kept to show when no header */
#define ROSTER_PREVIEW_COLS 8
#define ROSTER_PREVIEW_TEXT 40

/* What a column holds. */
enum roster_field {
	ROSTER_F_NONE = 0,      /* unknown */
	ROSTER_F_NUMBER,        /* leerlingnummer */
	ROSTER_F_NAME,          /* the whole name in one column */
	ROSTER_F_ROEPNAAM,      /* roepnaam (or voornaam, voornamen) */
	ROSTER_F_TUSSENVOEGSEL, /* tussenvoegsel, voorvoegsel */
	ROSTER_F_ACHTERNAAM,    /* achternaam (or "Naam" beside a roepnaam) */
	ROSTER_F_BIRTH,         /* geboortedatum */
	ROSTER_F_GROUP,         /* groep, klas (or jaargroep when alone) */
	ROSTER_F_JAARGROEP,     /* jaargroep, leerjaar */
	ROSTER_F_BSN,           /* BSN, onderwijsnummer: never stored */
	ROSTER_F_LEFT, /* uitstroomdatum: not in school from that date */
	/* where a roepnaam column is chosen, the roepnaam of a row without
	 * one comes from (the reader marks them used when it happens): */
	ROSTER_F_VOORNAMEN,   /* all given names: the first one */
	ROSTER_F_VOORLETTERS, /* initials ("J.P."), when no voornamen */
	ROSTER_F__MAX
};

/* The export a header looks like; named in the report. */
enum roster_layout {
	ROSTER_LAYOUT_GENERIC,
	ROSTER_LAYOUT_PARNASSYS,
	ROSTER_LAYOUT_ESIS,
	ROSTER_LAYOUT_DOTCOM,
	ROSTER_LAYOUT_EDEXML,
	ROSTER_LAYOUT_SCHOOLWISE,
	ROSTER_LAYOUT__MAX
};

/* "ParnasSys", "ESIS", ..., "algemeen" / "generic".  Never NULL. */
const char *roster_layout_name(enum roster_layout l, enum lang lang);
/* The layout with that name in either language (as imports store it);
 * ROSTER_LAYOUT_GENERIC for any other text. */
enum roster_layout roster_layout_parse(const char *name);
/* What a field is called for people ("geboortedatum").  Never NULL. */
const char *roster_field_name(enum roster_field f, enum lang lang);

/* The required columns, as bits of roster_header.missing. */
enum roster_need {
	ROSTER_NEED_NUMBER = 1 << 0,
	ROSTER_NEED_NAME = 1 << 1,
	ROSTER_NEED_BIRTH = 1 << 2,
	ROSTER_NEED_GROUP = 1 << 3,
	ROSTER_NEED_ALL = 0xf
};

/* A word for one need bit ("leerlingnummer" / "student number"); "?" for
 * anything else.  Never NULL. */
const char *roster_need_name(enum roster_need n, enum lang lang);

/* What becomes of a header column. */
enum roster_use {
	ROSTER_USE_FIELD,   /* read into the student list */
	ROSTER_USE_UNKNOWN, /* not a column biebsync knows: dropped */
	ROSTER_USE_SPARE,   /* known, but another column was chosen: dropped */
	ROSTER_USE_BSN,     /* a BSN/onderwijsnummer column: dropped */
};

struct roster_column {
	uint32_t col;            /* 1-based */
	enum roster_field field; /* what the header says (NONE: unknown) */
	enum roster_use use;
	char header[ROSTER_HEADER_TEXT + 1]; /* as written, cut */
};

/* Is this column's content stored?  Only the four kinds of data the
 * library needs are; the leaving date is used to skip rows, not kept. */
bool roster_column_stored(const struct roster_column *c);

struct roster_header {
	uint32_t row;                /* Excel row of the header; 0: none */
	int score;                   /* 0-100; higher is a better header */
	bool usable;                 /* every required column is there */
	unsigned missing;            /* enum roster_need bits */
	uint32_t col[ROSTER_F__MAX]; /* chosen column per field; 0: none */
	bool first_word; /* the roepnaam column holds all given names */
	enum roster_layout layout;
	size_t ncolumns; /* header cells, ascending col */
	struct roster_column columns[ROSTER_COLUMNS_MAX];
	size_t columns_omitted; /* header cells beyond ROSTER_COLUMNS_MAX */
};

/*
 * Score one row as a header and fill *out with its column mapping.
 * Returns out->score (0 when no cell is a known header).
 */
int roster_scan_row(const struct sheet_row *row, struct roster_header *out);

/* The first rows, as text, to show when no header was found.  Values that
 * look like a BSN are masked. */
struct roster_preview {
	size_t nrows;
	uint32_t row[ROSTER_PREVIEW_ROWS];
	char cell[ROSTER_PREVIEW_ROWS][ROSTER_PREVIEW_COLS]
	         [ROSTER_PREVIEW_TEXT + 1];
};

struct roster_probe {
	size_t rows;               /* rows seen */
	struct roster_header best; /* the best header so far (row 0: none) */
	struct roster_header scratch;
	struct roster_preview preview;
};

void roster_probe_init(struct roster_probe *p);

/* Look at the next row of a sheet.  Returns true while the probe wants
 * more rows; after ROSTER_PROBE_ROWS rows false (further rows are
 * ignored).  Of equal scores the first row wins. */
bool roster_probe_row(struct roster_probe *p, const struct sheet_row *row);

/*
 * A cell as text for messages and previews: text and errors as they are,
 * numbers in shortest form, booleans WAAR/ONWAAR, dates dd-mm-jjjj.  Cut
 * (at a UTF-8 boundary, marked with "...") to fit outsz.
 */
void roster_cell_text(const struct sheet_cell *c, char *out, size_t outsz);

#endif
