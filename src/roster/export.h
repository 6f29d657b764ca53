/*
 * Writing a school's roster for the library's systems: CSV, JSON, and the
 * schoolWise student import columns.  Pure: students in, bytes out.
 *
 * schoolWise limits group codes to 10 characters without " ' + & < > / | \
 * and group names to 30 characters; export_group_codes() derives codes
 * deterministically and one to one from a school's group names, so the
 * same groups always get the same codes and two groups never share one.
 * Every text cell that a spreadsheet could take for a formula (starting
 * with = + - @ tab or CR) is neutralised with a leading apostrophe.
 */
#ifndef BIEBSYNC_ROSTER_EXPORT_H
#define BIEBSYNC_ROSTER_EXPORT_H

#include "model.h"
#include "../base/buf.h"

#define GROUP_CODE_MAX 10
#define GROUP_NAME_MAX 30

enum export_format { EXPORT_CSV, EXPORT_JSON, EXPORT_SCHOOLWISE };

/* Parse "csv", "json" or "schoolwise". */
bool export_format_parse(const char *word, enum export_format *out);

/*
 * Write the active students of s (n of them) in format f to out.  Returns
 * ERR_LIMIT when out's cap is too small.  *shortened counts group names
 * that had to be shortened or changed for schoolWise.
 */
enum err export_roster(struct buf *out, enum export_format f,
                       const struct student *s, size_t n, size_t *shortened);

/* The schoolWise group code for each of the n students' groups: codes[i]
 * (GROUP_CODE_MAX + 1 bytes each) for s[i]. */
void export_group_codes(const struct student *s, size_t n,
                        char (*codes)[GROUP_CODE_MAX + 1]);

/* Append one student's members of a JSON object, without the braces:
 * leerlingnummer, roepnaam, tussenvoegsel, achternaam, geboortedatum
 * ("jjjj-mm-dd", null when unknown), groep, jaargroep (null when
 * unknown). */
void export_student_fields(struct buf *out, const struct student *s);

/* Append cell text to out for CSV with separator sep: quoted when needed,
 * neutralised against formula injection. */
void export_csv_cell(struct buf *out, const char *text, char sep);

#endif
