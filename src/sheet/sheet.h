/*
 * Reading spreadsheets: the contract of src/sheet/.
 *
 * Bytes and limits go in, rows of typed cells come out.  The readers are pure:
 * no file or network access, no global state, so they can be fuzzed, tested
 * on bytes the tests write themselves, and run in a sandboxed child
 * (src/import/sandboxed.h does, for every upload and the check command).
 * The format (xlsx/xlsm, xls, ods, csv, EDEXML) is decided from the content,
 * never from a file name; files that are something else (a Word document, a
 * PDF, an encrypted workbook, ...) are refused with a problem code that has a
 * Dutch message saying what the file is and what to upload instead.
 *
 * The model: a book has sheets (names in workbook order); a sheet is read as
 * a stream of rows, each with its Excel row number (1-based, gaps kept, rows
 * without cells are not reported) and its non-empty cells in column order
 * with 1-based column numbers.  The reader never holds a whole sheet: one row
 * at a time is handed to a callback and is valid only during that call.
 * Text is valid UTF-8 in NFC.
 *
 * Every limit is enforced on bytes actually produced, never on sizes a file
 * claims; exceeding one is a clean error (ERR_LIMIT), never a crash or hang.
 */
#ifndef BIEBSYNC_SHEET_SHEET_H
#define BIEBSYNC_SHEET_SHEET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/buf.h"
#include "../base/err.h"
#include "../base/lang.h"

enum sheet_format {
	SHEET_FMT_UNKNOWN = 0,
	SHEET_FMT_XLSX,   /* Office Open XML workbook (.xlsx, .xlsm) */
	SHEET_FMT_XLS,    /* Excel 97-2003 BIFF8 in an OLE2 file */
	SHEET_FMT_ODS,    /* OpenDocument spreadsheet */
	SHEET_FMT_CSV,    /* delimited text */
	SHEET_FMT_EDEXML, /* EDEXML 2.x (ParnasSys, ESIS export) */
	SHEET_FMT__MAX
};

/* Short lowercase name of a format ("xlsx", "csv", ...).  Never NULL. */
const char *sheet_format_name(enum sheet_format f);

enum sheet_type {
	SHEET_TEXT,   /* text, len bytes of UTF-8 NFC (never empty) */
	SHEET_NUMBER, /* number */
	SHEET_BOOL,   /* boolean */
	SHEET_ERROR,  /* error value such as "#N/A", in text */
	SHEET_DATE,   /* date and/or time, in date */
};

enum sheet_date_kind {
	SHEET_DATE_DAY,      /* calendar date, no time of day */
	SHEET_DATE_DATETIME, /* calendar date with a time of day */
	SHEET_DATE_TIME,     /* time of day only */
	SHEET_DATE_DURATION, /* elapsed time ([h]:mm formats); hour may be >23
	                      */
};

struct sheet_date {
	enum sheet_date_kind kind;
	int year, month, day; /* DAY, DATETIME */
	int hour, min, sec;   /* DATETIME, TIME, DURATION; seconds truncated */
};

struct sheet_cell {
	uint32_t col; /* 1-based column (A = 1) */
	enum sheet_type type;
	const char *text; /* TEXT, ERROR: NUL-terminated, len bytes */
	size_t len;
	double number;          /* NUMBER; DATE: the serial number if any */
	bool boolean;           /* BOOL */
	struct sheet_date date; /* DATE */
};

struct sheet_row {
	uint32_t row; /* 1-based row number */
	size_t ncells;
	const struct sheet_cell *cells; /* ascending, distinct columns */
};

/* Called once per non-empty row; anything but ERR_OK stops the reading and
 * is returned by sheet_read(). */
typedef enum err (*sheet_row_fn)(void *ctx, const struct sheet_row *row);

/*
 * Why a file is refused.  Each problem has a message in Dutch and English
 * for the person who uploaded the file (sheet_problem_text) and a short
 * English name for logs; struct sheet_error adds the English technical
 * detail.
 */
enum sheet_problem {
	SHEET_OK = 0,
	SHEET_P_EMPTY,      /* zero bytes or only white space (named:
	                       sheet_problem_format) */
	SHEET_P_PDF,        /* a PDF document */
	SHEET_P_IMAGE,      /* PNG, JPEG, GIF, BMP, TIFF, WebP, HEIC */
	SHEET_P_WORD,       /* .docx / .doc / .odt / RTF */
	SHEET_P_POWERPOINT, /* .pptx / .ppt / .odp */
	SHEET_P_XLSB,       /* Excel binary workbook */
	SHEET_P_ENCRYPTED,  /* password-protected workbook */
	SHEET_P_OLD_XLS,    /* BIFF2-5 (Excel 95 and older) */
	SHEET_P_ARCHIVE,    /* a zip, gzip, rar, 7z that is no spreadsheet */
	SHEET_P_NOT_TABLE,  /* text or XML that is not a table */
	SHEET_P_BINARY,     /* binary data of no known kind (NUL bytes,
	                       control characters) */
	SHEET_P_ENCODING,   /* XML in an encoding that cannot be read */
	SHEET_P_HTML,       /* a web page (often "Excel" exports in disguise) */
	SHEET_P_BROKEN,     /* a spreadsheet, but damaged or unreadable */
	SHEET_P_UNSAFE,     /* constructs refused for safety (DOCTYPE, zip
	                       tricks) */
	SHEET_P_TOO_BIG,    /* a limit was exceeded */
	SHEET_P_NO_SHEET,   /* no worksheet in the workbook */
	SHEET_P_BAD_SHEET,  /* the requested sheet does not exist */
	SHEET_P_TIMEOUT,    /* reading took longer than allowed */
	SHEET_P_ABORTED,    /* the row callback stopped the reading */
	SHEET_P_SANDBOX,    /* the sandboxed reader crashed or passed its
	                       memory, CPU or output limit */
	SHEET_PROBLEM__MAX
};

struct sheet_error {
	enum sheet_problem problem;
	char detail[256]; /* English, for logs and stderr; never cell text */
};

/* The message for a problem in lang: what the file is, what to upload
 * instead.  An unknown problem gets SHEET_P_BROKEN's.  Never NULL. */
const char *sheet_problem_text(enum sheet_problem p, enum lang lang);
/* A short English name for a problem, for logs. */
const char *sheet_problem_str(enum sheet_problem p);
/*
 * The message for p in Dutch or English, appended to b, naming the file
 * where the message is about the file as a whole: SHEET_P_EMPTY becomes
 * "Het bestand leerlingen.csv is leeg. ..." ("The file leerlingen.csv is
 * empty. ...").  name is the file's name as the user chose it (a folder
 * in front of it is left out, control characters become '?'); NULL or ""
 * gives sheet_problem_text().  Returns b's error.
 */
enum err sheet_problem_format(struct buf *b, enum sheet_problem p,
                              const char *name, enum lang lang);

/*
 * Limits.  sheet_limits_default() fills values that fit a school's file with
 * a wide margin; a service may raise them.  0 is not "unlimited".
 */
struct sheet_limits {
	size_t input_bytes;    /* the uploaded file */
	size_t entry_bytes;    /* inflated bytes of one zip entry */
	size_t total_bytes;    /* inflated bytes of all entries read */
	uint32_t ratio;        /* inflated / compressed of an entry, checked
	                          once it passed 1 MiB */
	uint32_t entries;      /* entries in a zip */
	uint32_t depth;        /* XML element nesting */
	uint32_t strings;      /* shared strings */
	size_t strings_bytes;  /* total bytes of shared strings */
	uint32_t rows;         /* highest row number */
	uint32_t cols;         /* highest column number */
	uint64_t cells;        /* non-empty cells in one sheet */
	size_t cell_bytes;     /* bytes of one cell's text */
	uint32_t sheets;       /* sheets in a workbook */
	uint32_t milliseconds; /* wall time of one open or read */
};

void sheet_limits_default(struct sheet_limits *l);

/*
 * Load what the readers need from disk before a sandbox forbids opening
 * files (src/base/sandbox.h): the iconv modules of every code page freexl
 * may convert from.  Never undone: a child forked afterwards has them
 * loaded.  Called once by the server (src/import/sandboxed.c) and in the
 * check command's child.
 */
void sheet_prepare_sandbox(void);

/* Sheet metadata, as the workbook lists it. */
struct sheet_info {
	const char *name; /* UTF-8; never NULL */
	bool worksheet;   /* false: chart sheet, dialog or macro sheet */
};

struct sheet_book;

/*
 * Recognise the format of the len bytes at data and open them.  The book
 * points into data, which must stay unchanged until sheet_book_free().
 * lim may be NULL for the defaults (copied).  On failure *out is NULL, e
 * (may be NULL) says why, and ERR_INVALID or ERR_LIMIT is returned.
 */
enum err sheet_open(const void *data, size_t len,
                    const struct sheet_limits *lim, struct sheet_book **out,
                    struct sheet_error *e);

/* Only the format decision (no reading beyond what deciding needs).  On a
 * refusal SHEET_FMT_UNKNOWN with e->problem set. */
enum sheet_format sheet_sniff(const void *data, size_t len,
                              struct sheet_error *e);

void sheet_book_free(struct sheet_book *b);

enum sheet_format sheet_book_format(const struct sheet_book *b);
size_t sheet_count(const struct sheet_book *b);
/* Metadata of sheet i (0-based, < sheet_count), NULL when out of range. */
const struct sheet_info *sheet_get_info(const struct sheet_book *b, size_t i);
/* Index of the first worksheet in workbook order, or -1. */
int sheet_first_worksheet(const struct sheet_book *b);
/* Index of the sheet with this exact name, or -1. */
int sheet_find(const struct sheet_book *b, const char *name);

/*
 * Stream sheet i row by row into fn.  May be called again for the same or
 * another sheet.  Returns ERR_OK, ERR_INVALID (broken file), ERR_LIMIT, or
 * whatever fn returned (then e->problem is SHEET_P_ABORTED).
 */
enum err sheet_read(struct sheet_book *b, size_t i, sheet_row_fn fn, void *ctx,
                    struct sheet_error *e);

/*
 * Reading sheet i in parts, on more than one thread where that gives the
 * same rows as sheet_read(): a reader may split a sheet at row boundaries
 * (today: a large CSV without any '"', see csv.c), and then the parts are
 * read at the same time, each into a slot of the consumer.  A sheet that
 * cannot be split, or with one thread, is read as one part on the calling
 * thread.
 *
 * The consumer has nslots slots (contexts); a slot holds one part at a
 * time, so at most nslots parts are in flight and memory stays bounded by
 * the part size, whatever the number of rows.  For each part, in a slot:
 *   begin(slot, direct)  on the thread that reads the part, first;
 *                        direct: the part is read on the calling thread
 *                        and every earlier part is done, so its rows may
 *                        go straight out (always so for one part)
 *   row(slot, row)       on that thread, for each row of the part, as
 *                        sheet_read() hands them (stops the part likewise)
 *   done(slot, keep)     on the calling thread, in part order; keep is
 *                        false for a part after the first failure, whose
 *                        rows are dropped; anything but ERR_OK stops the
 *                        reading (the slot may be begun again afterwards)
 * The result and e are those of sheet_read(): a part that fails is done
 * with keep, so the rows before the failure are the same, and limits fail
 * with the same problem and detail.  A consumer that stops in done gets
 * SHEET_P_ABORTED naming the part.  Threads that cannot be created leave
 * the work to fewer; none is left running on return.
 */
struct sheet_parts {
	void (*begin)(void *slot, bool direct);
	sheet_row_fn row;
	enum err (*done)(void *slot, bool keep);
	void *const *slot; /* nslots contexts */
	size_t nslots;     /* >= 1 */
	unsigned threads;  /* at most; 0: one per online CPU, up to 8 */
	size_t part_bytes; /* about this much input a part; 0: 512 KiB */
};
enum err sheet_read_parts(struct sheet_book *b, size_t i,
                          const struct sheet_parts *p, struct sheet_error *e);

/* The extent of a sheet, found by reading it. */
struct sheet_dims {
	uint32_t first_row, last_row; /* 0 when the sheet has no cells */
	uint32_t first_col, last_col;
	uint32_t rows;  /* non-empty rows */
	uint64_t cells; /* non-empty cells */
};
enum err sheet_dimensions(struct sheet_book *b, size_t i, struct sheet_dims *d,
                          struct sheet_error *e);

/*
 * Helpers for output and tests.
 */

/* Write d as the corpus dump does: "2024-03-01", "2024-03-01T08:30:00",
 * "08:30:00", or "37:30:00" (duration).  out needs 32 bytes. */
void sheet_date_fmt(const struct sheet_date *d, char *out, size_t outsz);

/* Write v as JavaScript's Number#toString does: the shortest text that reads
 * back as the same double ("0.1", "1e+21", "1.5e-7").  out needs 32 bytes. */
void sheet_number_fmt(double v, char *out, size_t outsz);

/* Column number to letters (1 -> "A", 28 -> "AB").  out needs 8 bytes. */
void sheet_col_name(uint32_t col, char *out, size_t outsz);

#endif
