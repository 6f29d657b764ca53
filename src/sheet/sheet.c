/*
 * The front of src/sheet/ (see sheet.h): default limits, the Dutch and
 * English words for every problem, and dispatching to the reader of the
 * sniffed format.  The Dutch messages say what the file is and what to
 * upload instead; the technical detail stays English and goes to logs.
 */
#include <stdlib.h>
#include <string.h>

#include "reader.h"
#include "readers.h"
#include "../base/mem.h"

void
sheet_limits_default(struct sheet_limits *l)
{
	l->input_bytes = 64u << 20;    /* 64 MiB upload */
	l->entry_bytes = 1024u << 20;  /* 1 GiB of sheet XML */
	l->total_bytes = 2048u << 20;  /* 2 GiB inflated per operation */
	l->ratio = 1000;               /* deflate tops out near 1032 */
	l->entries = 10000;            /* zip entries */
	l->depth = 64;                 /* XML nesting */
	l->strings = 4u << 20;         /* shared strings */
	l->strings_bytes = 256u << 20; /* their text */
	l->rows = 1048576;             /* Excel's maximum */
	l->cols = 16384;               /* Excel's maximum (XFD) */
	l->cells = 50000000;           /* per sheet */
	l->cell_bytes = 131072;        /* 32767 UTF-16 units, as UTF-8 */
	l->sheets = 1000;
	l->milliseconds = 120000; /* two minutes */
}

static const char *const format_names[SHEET_FMT__MAX] = {
	[SHEET_FMT_UNKNOWN] = "unknown", [SHEET_FMT_XLSX] = "xlsx",
	[SHEET_FMT_XLS] = "xls",         [SHEET_FMT_ODS] = "ods",
	[SHEET_FMT_CSV] = "csv",         [SHEET_FMT_EDEXML] = "edexml",
};

const char *
sheet_format_name(enum sheet_format f)
{
	return (unsigned)f < SHEET_FMT__MAX ? format_names[f] : "unknown";
}

/* A problem's words: what it is called in logs, and what the person who
 * uploaded the file reads. */
struct problem {
	const char *name;            /* short English name for logs */
	const char *text[LANG__MAX]; /* the message for the uploader */
};

static const struct problem problems[SHEET_PROBLEM__MAX] = {
	[SHEET_OK] = {
		"ok",
		{ "Het bestand is gelezen.",
		  "The file was read." },
	},
	[SHEET_P_EMPTY] = {
		"empty file",
		{ "Het bestand is leeg. Upload het leerlingbestand zoals je administratiepakket het exporteert (.xlsx, .xls, .ods, .csv of EDEXML).",
		  "The file is empty. Upload the student list as your administration system exports it (.xlsx, .xls, .ods, .csv or EDEXML)." },
	},
	[SHEET_P_PDF] = {
		"pdf document",
		{ "Dit is een PDF-document, geen spreadsheet. Een PDF kunnen we niet inlezen: exporteer de leerlingen uit je administratiepakket als Excel-bestand (.xlsx) of CSV en upload dat bestand.",
		  "This is a PDF document, not a spreadsheet. Export the students from your administration system as an Excel file (.xlsx) or CSV and upload that file." },
	},
	[SHEET_P_IMAGE] = {
		"image",
		{ "Dit is een afbeelding (foto of scan), geen spreadsheet. Exporteer de leerlingen uit je administratiepakket als Excel-bestand (.xlsx) of CSV en upload dat bestand.",
		  "This is a picture (photo or scan), not a spreadsheet. Export the students from your administration system as an Excel file (.xlsx) or CSV and upload that file." },
	},
	[SHEET_P_WORD] = {
		"word processor document",
		{ "Dit is een tekstdocument (Word), geen spreadsheet. Zet de leerlingen in Excel en sla op als .xlsx, of exporteer ze uit je administratiepakket, en upload dat bestand.",
		  "This is a text document (Word), not a spreadsheet. Put the students in Excel and save as .xlsx, or export them from your administration system, and upload that file." },
	},
	[SHEET_P_POWERPOINT] = {
		"presentation",
		{ "Dit is een presentatie (PowerPoint), geen spreadsheet. Upload het leerlingbestand als Excel-bestand (.xlsx) of CSV.",
		  "This is a presentation (PowerPoint), not a spreadsheet. Upload the student list as an Excel file (.xlsx) or CSV." },
	},
	[SHEET_P_XLSB] = {
		"excel binary workbook",
		{ "Dit is een binaire Excel-werkmap (.xlsb); die kunnen we niet lezen. Sla het bestand in Excel op als Excel-werkmap (.xlsx) of als CSV en upload dat bestand.",
		  "This is an Excel binary workbook (.xlsb), which cannot be read. Save the file in Excel as an Excel workbook (.xlsx) or as CSV and upload that file." },
	},
	[SHEET_P_ENCRYPTED] = {
		"encrypted workbook",
		{ "Dit bestand is met een wachtwoord beveiligd. Open het in Excel, verwijder het wachtwoord (Bestand > Info > Werkmap beveiligen > Versleutelen met wachtwoord) en upload het opnieuw.",
		  "This file is protected with a password. Open it in Excel, remove the password (File > Info > Protect Workbook > Encrypt with Password) and upload it again." },
	},
	[SHEET_P_OLD_XLS] = {
		"old excel format",
		{ "Dit is een heel oud Excel-bestand (Excel 95 of ouder) dat we niet kunnen lezen. Sla het bestand in Excel op als Excel-werkmap (.xlsx) of als CSV en upload dat bestand.",
		  "This is a very old Excel file (Excel 95 or older) that cannot be read. Save the file in Excel as an Excel workbook (.xlsx) or as CSV and upload that file." },
	},
	[SHEET_P_ARCHIVE] = {
		"archive",
		{ "Dit is een gecomprimeerd archief (zip), geen spreadsheet. Pak het uit en upload het leerlingbestand zelf (.xlsx, .xls, .ods of .csv).",
		  "This is a compressed archive (zip), not a spreadsheet. Unpack it and upload the student list itself (.xlsx, .xls, .ods or .csv)." },
	},
	[SHEET_P_NOT_TABLE] = {
		"not a table",
		{ "Dit bestand is geen tabel met leerlingen die we kunnen lezen. Sla het bestand in Excel op als Excel-werkmap (.xlsx) of als CSV en upload dat bestand.",
		  "This file is not a table of students that can be read. Save the file in Excel as an Excel workbook (.xlsx) or as CSV and upload that file." },
	},
	[SHEET_P_BINARY] = {
		"binary data",
		{ "Dit is een binair bestand, geen spreadsheet of tekstbestand met leerlingen. Misschien is het verkeerde bestand gekozen of is het bestand beschadigd. Exporteer de leerlingen uit je administratiepakket als Excel-bestand (.xlsx), CSV of EDEXML en upload dat bestand.",
		  "This is a binary file, not a spreadsheet or a text file with students. Perhaps the wrong file was chosen or the file is damaged. Export the students from your administration system as an Excel file (.xlsx), CSV or EDEXML and upload that file." },
	},
	[SHEET_P_ENCODING] = {
		"unsupported xml encoding",
		{ "XML in een codering die niet wordt ondersteund. Exporteer het bestand opnieuw uit je administratiepakket, of open het in een teksteditor (zoals Kladblok) en sla het op met de codering UTF-8; upload het daarna opnieuw.",
		  "XML in an encoding that is not supported. Export the file again from your administration system, or open it in a text editor (such as Notepad) and save it with the encoding UTF-8; then upload it again." },
	},
	[SHEET_P_HTML] = {
		"html page",
		{ "Dit is een webpagina (HTML), ook al heeft het misschien de naam .xls. Sla het bestand in Excel op als Excel-werkmap (.xlsx) of als CSV en upload dat bestand.",
		  "This is a web page (HTML), even if its name may end in .xls. Save the file in Excel as an Excel workbook (.xlsx) or as CSV and upload that file." },
	},
	[SHEET_P_BROKEN] = {
		"damaged file",
		{ "Het bestand is beschadigd of onvolledig en kan niet gelezen worden. Exporteer het opnieuw uit je administratiepakket, of open het in Excel en sla het opnieuw op als .xlsx.",
		  "The file is damaged or incomplete and cannot be read. Export it again from your administration system, or open it in Excel and save it again as .xlsx." },
	},
	[SHEET_P_UNSAFE] = {
		"unsafe construct",
		{ "Het bestand bevat onderdelen die we om veiligheidsredenen niet openen. Sla het bestand in Excel op als Excel-werkmap (.xlsx) of als CSV en upload dat bestand.",
		  "The file contains parts that are not opened for safety reasons. Save the file in Excel as an Excel workbook (.xlsx) or as CSV and upload that file." },
	},
	[SHEET_P_TOO_BIG] = {
		"limit exceeded",
		{ "Het bestand is te groot (te veel rijen, kolommen of tekst). Upload alleen de leerlingenlijst, zonder andere gegevens of werkbladen.",
		  "The file is too large (too many rows, columns or text). Upload only the student list, without other data or sheets." },
	},
	[SHEET_P_NO_SHEET] = {
		"no worksheet",
		{ "De werkmap bevat geen werkblad met gegevens. Controleer of je het juiste bestand kiest.",
		  "The workbook has no sheet with data. Check that you chose the right file." },
	},
	[SHEET_P_BAD_SHEET] = {
		"no such sheet",
		{ "Dit werkblad bestaat niet in de werkmap.",
		  "This sheet does not exist in the workbook." },
	},
	[SHEET_P_TIMEOUT] = {
		"timeout",
		{ "Het lezen van het bestand duurde te lang. Upload alleen de leerlingenlijst, als .xlsx of CSV.",
		  "Reading the file took too long. Upload only the student list, as .xlsx or CSV." },
	},
	[SHEET_P_ABORTED] = {
		"stopped by the consumer",
		{ "Het lezen van het bestand is afgebroken.",
		  "Reading the file was stopped." },
	},
	[SHEET_P_SANDBOX] = {
		"reader process failed",
		{ "Het bestand kon niet veilig worden gelezen: het is beschadigd of te groot. Open het in Excel, sla het op als .xlsx (Excel-werkmap) en upload het opnieuw.",
		  "The file could not be read safely: it is damaged or too large. Open it in Excel, save it as .xlsx (Excel Workbook) and upload it again." },
	},
};

const char *
sheet_problem_text(enum sheet_problem p, enum lang lang)
{
	if ((unsigned)p >= SHEET_PROBLEM__MAX || problems[p].name == NULL)
		p = SHEET_P_BROKEN;
	return lang_pick(problems[p].text, lang);
}

const char *
sheet_problem_str(enum sheet_problem p)
{
	if ((unsigned)p >= SHEET_PROBLEM__MAX || problems[p].name == NULL)
		return "unknown problem";
	return problems[p].name;
}

/*
 * Messages that name the file: the words before and after its name, and
 * then the rest of the message as sheet_problem_text() has it (after its
 * first sentence, which these replace).
 */
static const char *const named[SHEET_PROBLEM__MAX][LANG__MAX][2] = {
	[SHEET_P_EMPTY] = { { "Het bestand ", " is leeg." },
	                    { "The file ", " is empty." } },
};

enum err
sheet_problem_format(struct buf *b, enum sheet_problem p, const char *name,
                     enum lang lang)
{
	const char *text = sheet_problem_text(p, lang), *rest, *base;
	const char *const *words;

	if ((unsigned)p >= SHEET_PROBLEM__MAX || named[p][LANG_NL][0] == NULL ||
	    name == NULL || name[0] == '\0')
		return buf_adds(b, text);
	words = named[p][(unsigned)lang < LANG__MAX ? lang : LANG_NL];
	/* "C:\Users\...\lijst.csv" from old browsers, "map/lijst.csv" */
	for (base = name; *name != '\0'; name++)
		if (*name == '/' || *name == '\\')
			base = name + 1;
	if (*base == '\0')
		return buf_adds(b, text);
	buf_adds(b, words[0]);
	for (; *base != '\0'; base++)
		buf_addc(b, (unsigned char)*base < 0x20 || *base == 0x7f
		                    ? '?'
		                    : *base);
	buf_adds(b, words[1]);
	rest = strchr(text, '.');
	return buf_adds(b, rest != NULL ? rest + 1 : "");
}

static const struct reader {
	enum err (*open)(struct sheet_book *b, struct sheet_error *e);
} readers[SHEET_FMT__MAX] = {
	[SHEET_FMT_XLSX] = { xlsx_open },     [SHEET_FMT_XLS] = { xls_open },
	[SHEET_FMT_ODS] = { ods_open },       [SHEET_FMT_CSV] = { csv_open },
	[SHEET_FMT_EDEXML] = { edexml_open },
};

enum err
sheet_open(const void *data, size_t len, const struct sheet_limits *lim,
           struct sheet_book **out, struct sheet_error *e)
{
	struct sheet_book *b;
	struct sheet_error scratch;
	enum sheet_format f;
	enum err rc;

	*out = NULL;
	if (e == NULL)
		e = &scratch;
	memset(e, 0, sizeof(*e));
	b = xcalloc(1, sizeof(*b));
	if (lim != NULL)
		b->lim = *lim;
	else
		sheet_limits_default(&b->lim);
	if (len > b->lim.input_bytes) {
		rc = sheet_fail(e, SHEET_P_TOO_BIG, ERR_LIMIT,
		                "file of %zu bytes is above the limit of %zu",
		                len, b->lim.input_bytes);
		goto fail;
	}
	b->deadline = clock_ms() + b->lim.milliseconds;
	f = sheet_sniff(data, len, e);
	if (f == SHEET_FMT_UNKNOWN) {
		rc = e->problem == SHEET_P_TOO_BIG ? ERR_LIMIT : ERR_INVALID;
		goto fail;
	}
	b->format = f;
	b->data = data;
	b->len = len;
	if ((rc = readers[f].open(b, e)) != ERR_OK)
		goto fail;
	*out = b;
	return ERR_OK;
fail:
	if (e->problem == SHEET_OK)
		sheet_fail(e, SHEET_P_BROKEN, rc, "unreadable file");
	sheet_book_free(b);
	return rc == ERR_OK ? ERR_INVALID : rc;
}

void
sheet_book_free(struct sheet_book *b)
{
	if (b == NULL)
		return;
	if (b->ops != NULL && b->impl != NULL)
		b->ops->free(b->impl);
	for (size_t i = 0; i < b->nsheets; i++)
		free((char *)(uintptr_t)b->sheets[i].name);
	free(b->sheets);
	free(b);
}

enum sheet_format
sheet_book_format(const struct sheet_book *b)
{
	return b->format;
}

size_t
sheet_count(const struct sheet_book *b)
{
	return b->nsheets;
}

const struct sheet_info *
sheet_get_info(const struct sheet_book *b, size_t i)
{
	return i < b->nsheets ? &b->sheets[i] : NULL;
}

int
sheet_first_worksheet(const struct sheet_book *b)
{
	for (size_t i = 0; i < b->nsheets; i++)
		if (b->sheets[i].worksheet)
			return (int)i;
	return -1;
}

int
sheet_find(const struct sheet_book *b, const char *name)
{
	for (size_t i = 0; i < b->nsheets; i++)
		if (strcmp(b->sheets[i].name, name) == 0)
			return (int)i;
	return -1;
}

enum err
book_start_read(struct sheet_book *b, size_t i, struct sheet_error *e)
{
	memset(e, 0, sizeof(*e));
	if (i >= b->nsheets)
		return sheet_fail(e, SHEET_P_BAD_SHEET, ERR_NOTFOUND,
		                  "no sheet %zu", i);
	b->deadline = clock_ms() + b->lim.milliseconds;
	return ERR_OK;
}

enum err
sheet_read(struct sheet_book *b, size_t i, sheet_row_fn fn, void *ctx,
           struct sheet_error *e)
{
	struct sheet_error scratch;
	struct rowout o;
	enum err rc;

	if (e == NULL)
		e = &scratch;
	if ((rc = book_start_read(b, i, e)) != ERR_OK)
		return rc;
	rowout_init(&o, b, fn, ctx, e);
	rc = b->ops->read(b, i, &o);
	if (rc == ERR_OK)
		rc = rowout_end(&o);
	rowout_release(&o);
	if (rc != ERR_OK && e->problem == SHEET_OK)
		sheet_fail(e, SHEET_P_BROKEN, rc, "unreadable sheet");
	return rc;
}

static enum err
dims_row(void *ctx, const struct sheet_row *r)
{
	struct sheet_dims *d = ctx;
	uint32_t c0 = r->cells[0].col, c1 = r->cells[r->ncells - 1].col;

	if (d->rows == 0) {
		d->first_row = r->row;
		d->first_col = c0;
	}
	if (r->row < d->first_row)
		d->first_row = r->row;
	if (r->row > d->last_row)
		d->last_row = r->row;
	if (c0 < d->first_col)
		d->first_col = c0;
	if (c1 > d->last_col)
		d->last_col = c1;
	d->rows++;
	d->cells += r->ncells;
	return ERR_OK;
}

enum err
sheet_dimensions(struct sheet_book *b, size_t i, struct sheet_dims *d,
                 struct sheet_error *e)
{
	memset(d, 0, sizeof(*d));
	return sheet_read(b, i, dims_row, d, e);
}
