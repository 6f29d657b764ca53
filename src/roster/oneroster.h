/*
 * A school's roster as a OneRoster 1.1 CSV bulk file set in one zip, for
 * library systems and learning tools that read OneRoster (IMS Global /
 * 1EdTech "OneRoster v1.1 CSV Tables").  Pure: students in, bytes out.
 *
 * The zip holds, at its root: manifest.csv, orgs.csv,
 * academicSessions.csv, courses.csv, classes.csv, users.csv,
 * enrollments.csv and demographics.csv, all "bulk"; the manifest marks
 * the other files of the specification (categories, classResources,
 * courseResources, lineItems, resources, results) "absent".  The mapping:
 *
 *   library   an org of type district (identifier: its slug)
 *   school    an org of type school (identifier: the BRIN), parent the
 *             district
 *   year      one academicSession of type schoolYear, 1 August to 31 July
 *             (the Dutch school year), schoolYear the year it ends in
 *   group     a course and a homeroom class (title: the school's group
 *             name; courseCode and classCode: the schoolWise group code of
 *             export_group_codes(); grades: its pupils' jaargroepen)
 *   pupil     a user with role student (username and identifier: the
 *             leerlingnummer; givenName: roepnaam; familyName:
 *             tussenvoegsel + achternaam; grades: the jaargroep), one
 *             enrollment in the class of the group, and a demographics
 *             row with only the birth date when it is known
 *
 * Jaargroepen as the CEDS grade levels the specification uses: groep 0
 * (peuters, under 4) "PR", groep 1 (age 4) "PK", groep 2 (age 5) "KG",
 * groep 3 to 8 "01" to "06" (the first to sixth year of learning to read,
 * as in US grade 1 to 6); an unknown jaargroep is left empty.
 *
 * sourcedIds are stable across exports and hold no personal data: they
 * are made of the library's ids (biebsync-pupil-<student id>) and of a
 * SHA-256 digest of the group's comparison key (a group name may name a
 * teacher).  In bulk files the status and dateLastModified columns are
 * empty, as the specification requires.  Text cells are RFC 4180
 * (comma, double quotes, CRLF, UTF-8) and neutralised against formula
 * injection like every other export (export_csv_cell).
 */
#ifndef BIEBSYNC_ROSTER_ONEROSTER_H
#define BIEBSYNC_ROSTER_ONEROSTER_H

#include <stdint.h>

#include "model.h"
#include "../base/buf.h"

struct oneroster_school {
	int64_t id;
	const char *slug, *name, *brin;
	int64_t library_id; /* <= 0: no library, no district org */
	const char *library_slug, *library_name;
};

/*
 * The OneRoster 1.1 CSV zip of the active students of sc (n of them):
 * manifest.csv, orgs.csv, academicSessions.csv, courses.csv, classes.csv,
 * users.csv, enrollments.csv and demographics.csv, as a zip in out.  now:
 * the time (Unix seconds) to derive the school year and the zip entries'
 * dates from.  ERR_LIMIT when out's cap is too small.
 */
enum err export_oneroster(struct buf *out, const struct oneroster_school *sc,
                          const struct student *s, size_t n, int64_t now);

/* The OneRoster (CEDS) grade of a jaargroep: "PR", "PK", "KG", "01" to
 * "06"; "" for JAARGROEP_UNKNOWN or anything outside 0-8. */
const char *oneroster_grade(int jaargroep);

#endif
