/*
 * What the readers of src/sheet/ share, and nothing outside src/sheet/ may
 * include: the book structure each reader fills, the row builder that turns
 * cells into struct sheet_row (checking the row, column, cell and text
 * limits and normalising text to NFC), error helpers and the clock.
 *
 * A reader's open function fills book->sheets, book->ops and book->impl;
 * its read function feeds cells into a struct rowout.
 */
#ifndef BIEBSYNC_SHEET_READER_H
#define BIEBSYNC_SHEET_READER_H

#include "sheet.h"
#include "../base/buf.h"

struct rowout;

/* A run of a sheet's rows that can be read on its own (sheet_read_parts,
 * parts.c): bytes start to end of the reader's input, with row0 rows
 * before it. */
struct sheet_part {
	size_t start, end;
	uint32_t row0;
};

struct reader_ops {
	enum err (*read)(struct sheet_book *b, size_t i, struct rowout *o);
	void (*free)(void *impl);
	/* Optional, both or neither.  next_part: the part after *p (a zeroed
	 * *p: the first) of about bytes, into *p; false when sheet i is not
	 * to be split (asked first) or no part is left.  Called by one
	 * thread at a time.  read_part: read the part's rows into o, as read
	 * does the sheet's; called on several threads at once, so it only
	 * reads the book. */
	bool (*next_part)(const struct sheet_book *b, size_t i, size_t bytes,
	                  struct sheet_part *p);
	enum err (*read_part)(const struct sheet_book *b, size_t i,
	                      const struct sheet_part *p, struct rowout *o);
};

struct sheet_book {
	enum sheet_format format;
	const unsigned char *data;
	size_t len;
	struct sheet_limits lim;
	struct sheet_info *sheets; /* names owned (char *) by the book */
	size_t nsheets;
	const struct reader_ops *ops;
	void *impl;
	int64_t deadline; /* monotonic ms; set per open and per read */
};

/* Add a sheet (name copied); checks the sheet-count limit. */
enum err book_add_sheet(struct sheet_book *b, const char *name, bool worksheet,
                        struct sheet_error *e);

/* The start of a read of sheet i (sheet_read, sheet_read_parts): e (not
 * NULL) cleared, the sheet checked to exist, the deadline set. */
enum err book_start_read(struct sheet_book *b, size_t i, struct sheet_error *e);

/* Monotonic clock in milliseconds. */
int64_t clock_ms(void);
/* ERR_LIMIT with SHEET_P_TIMEOUT in e when the deadline has passed. */
enum err book_check_time(const struct sheet_book *b, struct sheet_error *e);

/* Set e (may be NULL) and return code.  detail is English. */
enum err sheet_fail(struct sheet_error *e, enum sheet_problem p, enum err code,
                    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/*
 * The row builder.  Cells of one row are added in any order; rowout_end()
 * sorts them, drops duplicates (the last one wins) and hands the row to the
 * consumer.  Text is copied, checked against the cell limit, validated and
 * normalised to NFC; empty text is dropped.
 */
struct rowout {
	struct sheet_book *book;
	sheet_row_fn fn;
	void *ctx;
	struct sheet_error *e;
	uint32_t row;
	struct sheet_cell *cells;
	size_t *offs; /* text offsets into text, parallel to cells */
	size_t n, alloc;
	struct buf text;
	uint64_t total; /* cells so far in this sheet */
	unsigned tick;
	bool sorted;
};

void rowout_init(struct rowout *o, struct sheet_book *b, sheet_row_fn fn,
                 void *ctx, struct sheet_error *e);
void rowout_release(struct rowout *o);
/* Start row r (1-based); an unfinished row is ended first. */
enum err rowout_begin(struct rowout *o, uint32_t r);
/* type is SHEET_TEXT or SHEET_ERROR; s need not be NUL-terminated. */
enum err rowout_text(struct rowout *o, uint32_t col, enum sheet_type type,
                     const char *s, size_t n);
/* Text cell that the caller knows to be valid UTF-8 in NFC (ASCII, or text
 * decoded from a code page without combining characters): as rowout_text
 * with SHEET_TEXT, without the checks and normalisation. */
enum err rowout_text_nfc(struct rowout *o, uint32_t col, const char *s,
                         size_t n);
enum err rowout_number(struct rowout *o, uint32_t col, double v);
enum err rowout_bool(struct rowout *o, uint32_t col, bool v);
enum err rowout_date(struct rowout *o, uint32_t col, const struct sheet_date *d,
                     double serial);
/* Emit the current row (if it has cells). */
enum err rowout_end(struct rowout *o);
/* Forget the row in progress and the cells counted, to read the sheet
 * again from its start. */
void rowout_restart(struct rowout *o);

/*
 * Dates and numbers (numfmt.c).
 */
enum datefmt {
	DATEFMT_NONE,     /* not a date format */
	DATEFMT_DATE,     /* date, time or both */
	DATEFMT_DURATION, /* elapsed time: [h]:mm, [mm]:ss, ... */
};
/* Classify a number format code (only the first section counts). */
enum datefmt datefmt_classify(const char *code, size_t n);
/* Classify a built-in number format id (14-22, 45-47). */
enum datefmt datefmt_builtin(unsigned id);
/* Serial number to a date; false when out of range (before the epoch or
 * after 9999-12-31). */
bool date_from_serial(double v, bool date1904, bool duration,
                      struct sheet_date *d);
/* "2024-03-01", "2024-03-01T08:30:00[.fff]", "08:30:00" (xlsx t="d",
 * ods date-value, EDEXML), each optionally with a zone "Z", "+01:00",
 * "-0200" or "+01", which is dropped: the date and time are the ones
 * written.  false when it does not parse. */
bool date_from_iso(const char *s, size_t n, struct sheet_date *d);
/* Parse a decimal number as XML writes it (no hex, no inf/nan). */
bool number_parse(const char *s, size_t n, double *out);

/* Text helpers (row.c): NFC of valid UTF-8 into out (reset first). */
enum err text_nfc(const char *s, size_t n, struct buf *out);

/*
 * Unicode text in other encodings than UTF-8 (encoding.c).
 */
enum text_enc {
	TEXT_UTF8,
	TEXT_UTF16LE,
	TEXT_UTF16BE,
	TEXT_UTF32LE,
	TEXT_UTF32BE,
};
/* The encoding a byte order mark at the start of d names, and the mark's
 * length in *bom; TEXT_UTF8 with *bom 0 when there is no mark. */
enum text_enc text_bom(const unsigned char *d, size_t len, size_t *bom);
/* Without a mark: UTF-16 or UTF-32 when d starts with '<' and '?', '!' or a
 * letter in that encoding (an XML document, XML 1.0 Appendix F), else
 * TEXT_UTF8. */
enum text_enc text_xml_guess(const unsigned char *d, size_t len);
/* The most bytes text_to_utf8() makes of len bytes in enc. */
size_t text_utf8_max(size_t len, enum text_enc enc);
/* Append the len bytes at d (after any mark) in enc to out as UTF-8; an
 * unpaired surrogate, a code point above U+10FFFF and a partial code unit
 * at the end become U+FFFD.  Returns out->err (ERR_LIMIT past its cap). */
enum err text_to_utf8(const unsigned char *d, size_t len, enum text_enc enc,
                      struct buf *out);

#endif
