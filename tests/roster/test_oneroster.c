/*
 * The OneRoster 1.1 CSV export (src/roster/oneroster.c), checked the way a
 * OneRoster consumer reads it: the zip opened with the project's own zip
 * reader, every CSV parsed by an RFC 4180 parser written here, and every
 * file held against the column lists of the specification ("OneRoster
 * v1.1 CSV Tables", IMS Global / 1EdTech), written down below from the
 * specification and not from the exporter: the exact header and its
 * order, required columns filled, enumerations, dates, grades, unique
 * sourcedIds, every reference resolving in its file, the manifest naming
 * exactly the files present as bulk and the rest absent.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../src/roster/export.h"
#include "../../src/roster/oneroster.h"
#include "../../src/sheet/sheet.h"
#include "../../src/sheet/zip.h"

/* 2026-12-03 12:00 UTC and the edges of the Dutch school year. */
#define NOW_DEC_2026 1796299200
#define JUL31_2027   1817078399 /* 2027-07-31 23:59:59 UTC */
#define AUG01_2027   1817078400 /* 2027-08-01 00:00:00 UTC */

/* ------------------------------------------------------------------ */
/* The specification's tables.                                         */

enum kind {
	K_TEXT,   /* any text */
	K_ID,     /* this file's sourcedId */
	K_ENUM,   /* one of enums ("a|b|c") */
	K_DATE,   /* YYYY-MM-DD */
	K_YEAR,   /* YYYY */
	K_GRADES, /* a list of CEDS grade levels */
	K_REF,    /* a sourcedId in file ref */
	K_REFS,   /* a list of sourcedIds in file ref */
	K_BULK,   /* status, dateLastModified: empty in a bulk file */
};

struct col {
	const char *name;
	bool required;
	enum kind kind;
	const char *arg; /* K_ENUM: the values; K_REF(S): the file */
};

struct spec {
	const char *file;
	const struct col *cols;
	size_t ncols;
};

#define BULK                                                                   \
	{ "sourcedId", true, K_ID, NULL }, { "status", false, K_BULK, NULL },  \
	{                                                                      \
		"dateLastModified", false, K_BULK, NULL                        \
	}

static const struct col academic_sessions[] = {
	BULK,
	{ "title", true, K_TEXT, NULL },
	{ "type", true, K_ENUM, "gradingPeriod|semester|schoolYear|term" },
	{ "startDate", true, K_DATE, NULL },
	{ "endDate", true, K_DATE, NULL },
	{ "parentSourcedId", false, K_REF, "academicSessions.csv" },
	{ "schoolYear", true, K_YEAR, NULL },
};
static const struct col classes[] = {
	BULK,
	{ "title", true, K_TEXT, NULL },
	{ "grades", false, K_GRADES, NULL },
	{ "courseSourcedId", true, K_REF, "courses.csv" },
	{ "classCode", false, K_TEXT, NULL },
	{ "classType", true, K_ENUM, "homeroom|scheduled" },
	{ "location", false, K_TEXT, NULL },
	{ "schoolSourcedId", true, K_REF, "orgs.csv" },
	{ "termSourcedIds", true, K_REFS, "academicSessions.csv" },
	{ "subjects", false, K_TEXT, NULL },
	{ "subjectCodes", false, K_TEXT, NULL },
	{ "periods", false, K_TEXT, NULL },
};
static const struct col courses[] = {
	BULK,
	{ "schoolYearSourcedId", false, K_REF, "academicSessions.csv" },
	{ "title", true, K_TEXT, NULL },
	{ "courseCode", false, K_TEXT, NULL },
	{ "grades", false, K_GRADES, NULL },
	{ "orgSourcedId", true, K_REF, "orgs.csv" },
	{ "subjects", false, K_TEXT, NULL },
	{ "subjectCodes", false, K_TEXT, NULL },
};
static const struct col demographics[] = {
	BULK,
	{ "birthDate", false, K_DATE, NULL },
	{ "sex", false, K_ENUM, "male|female" },
	{ "americanIndianOrAlaskaNative", false, K_ENUM, "true|false" },
	{ "asian", false, K_ENUM, "true|false" },
	{ "blackOrAfricanAmerican", false, K_ENUM, "true|false" },
	{ "nativeHawaiianOrOtherPacificIslander", false, K_ENUM, "true|false" },
	{ "white", false, K_ENUM, "true|false" },
	{ "demographicRaceTwoOrMoreRaces", false, K_ENUM, "true|false" },
	{ "hispanicOrLatinoEthnicity", false, K_ENUM, "true|false" },
	{ "countryOfBirthCode", false, K_TEXT, NULL },
	{ "stateOfBirthAbbreviation", false, K_TEXT, NULL },
	{ "cityOfBirth", false, K_TEXT, NULL },
	{ "publicSchoolResidenceStatus", false, K_TEXT, NULL },
};
static const struct col enrollments[] = {
	BULK,
	{ "classSourcedId", true, K_REF, "classes.csv" },
	{ "schoolSourcedId", true, K_REF, "orgs.csv" },
	{ "userSourcedId", true, K_REF, "users.csv" },
	{ "role", true, K_ENUM, "administrator|proctor|student|teacher" },
	{ "primary", false, K_ENUM, "true|false" },
	{ "beginDate", false, K_DATE, NULL },
	{ "endDate", false, K_DATE, NULL },
};
static const struct col orgs[] = {
	BULK,
	{ "name", true, K_TEXT, NULL },
	{ "type", true, K_ENUM,
	  "department|school|district|local|state|national" },
	{ "identifier", false, K_TEXT, NULL },
	{ "parentSourcedId", false, K_REF, "orgs.csv" },
};
static const struct col users[] = {
	BULK,
	{ "enabledUser", true, K_ENUM, "true|false" },
	{ "orgSourcedIds", true, K_REFS, "orgs.csv" },
	{ "role", true, K_ENUM,
	  "administrator|aide|guardian|parent|proctor|relative|student|teacher" },
	{ "username", true, K_TEXT, NULL },
	{ "userIds", false, K_TEXT, NULL },
	{ "givenName", true, K_TEXT, NULL },
	{ "familyName", true, K_TEXT, NULL },
	{ "middleName", false, K_TEXT, NULL },
	{ "identifier", false, K_TEXT, NULL },
	{ "email", false, K_TEXT, NULL },
	{ "sms", false, K_TEXT, NULL },
	{ "phone", false, K_TEXT, NULL },
	{ "agentSourcedIds", false, K_REFS, "users.csv" },
	{ "grades", false, K_GRADES, NULL },
	{ "password", false, K_TEXT, NULL },
};

#define SPEC(f, t)                                                             \
	{                                                                      \
		f, t, sizeof(t) / sizeof(t[0])                                 \
	}
static const struct spec specs[] = {
	SPEC("academicSessions.csv", academic_sessions),
	SPEC("classes.csv", classes),
	SPEC("courses.csv", courses),
	SPEC("demographics.csv", demographics),
	SPEC("enrollments.csv", enrollments),
	SPEC("orgs.csv", orgs),
	SPEC("users.csv", users),
};
#define NSPECS (sizeof(specs) / sizeof(specs[0]))

/* Every file of OneRoster 1.1 as the manifest names it (file.<name>). */
static const char *const manifest_files[] = {
	"academicSessions",
	"categories",
	"classes",
	"classResources",
	"courses",
	"courseResources",
	"demographics",
	"enrollments",
	"lineItems",
	"orgs",
	"resources",
	"results",
	"users",
};
#define NMANIFEST (sizeof(manifest_files) / sizeof(manifest_files[0]))

/* The grade levels of the CEDS vocabulary that OneRoster 1.1 uses. */
static const char *const ceds[] = {
	"IT", "PR", "PK", "TK", "KG", "01", "02", "03", "04", "05",    "06",
	"07", "08", "09", "10", "11", "12", "13", "PS", "UG", "Other",
};

/* ------------------------------------------------------------------ */
/* An RFC 4180 reader.                                                 */

#define MAXCOLS 32
#define MAXROWS 256

struct table {
	char *cell[MAXROWS][MAXCOLS];
	size_t ncell[MAXROWS];
	size_t nrows; /* the header included */
};

static void
table_free(struct table *t)
{
	for (size_t r = 0; r < t->nrows; r++)
		for (size_t c = 0; c < t->ncell[r]; c++)
			free(t->cell[r][c]);
	free(t);
}

/* Parse text; fails the test on anything RFC 4180 does not allow. */
static struct table *
csv_parse(const char *p, size_t len)
{
	struct table *t = calloc(1, sizeof(*t));
	const char *end = p + len;
	char cell[4096];
	size_t o;

	assert_non_null(t);
	while (p < end) {
		size_t r = t->nrows++;

		assert_true(r < MAXROWS);
		for (;;) {
			o = 0;
			if (*p == '"') {
				for (p++;; p++) {
					assert_true(p < end); /* unclosed */
					if (*p == '"') {
						if (p + 1 < end && p[1] == '"')
							p++;
						else
							break;
					}
					cell[o++] = *p;
				}
				p++;
			} else {
				while (p < end && *p != ',' && *p != '\r' &&
				       *p != '\n') {
					assert_true(*p != '"');
					cell[o++] = *p++;
				}
			}
			cell[o] = '\0';
			assert_true(t->ncell[r] < MAXCOLS);
			t->cell[r][t->ncell[r]++] = strdup(cell);
			if (p < end && *p == ',') {
				p++;
				continue;
			}
			/* records end in CRLF, the last one too */
			assert_true(p + 1 < end + 1 && p[0] == '\r' &&
			            p[1] == '\n');
			p += 2;
			break;
		}
	}
	return t;
}

/* ------------------------------------------------------------------ */
/* The zip, as a consumer unpacks it.                                  */

struct unpacked {
	size_t n;
	char *name[32];
	struct buf data[32];
};

static void
unpack(const struct buf *zipped, struct unpacked *u)
{
	struct sheet_limits lim;
	struct sheet_error e;
	struct zip z;

	memset(u, 0, sizeof(*u));
	sheet_limits_default(&lim);
	assert_int_equal(zip_open(&z, zipped->data, zipped->len, &lim, &e),
	                 ERR_OK);
	assert_true(z.n <= 32);
	for (size_t i = 0; i < z.n; i++) {
		/* at the root of the zip */
		assert_null(strchr(z.e[i].name, '/'));
		u->name[i] = strdup(z.e[i].name);
		buf_init(&u->data[i], (size_t)1 << 24);
		assert_int_equal(zip_read(&z, &z.e[i], &u->data[i], &e),
		                 ERR_OK);
		/* UTF-8 without a byte order mark */
		assert_false(u->data[i].len >= 3 &&
		             memcmp(u->data[i].data, "\xef\xbb\xbf", 3) == 0);
	}
	u->n = z.n;
	zip_close(&z);
}

static void
unpacked_free(struct unpacked *u)
{
	for (size_t i = 0; i < u->n; i++) {
		free(u->name[i]);
		buf_release(&u->data[i]);
	}
}

static struct table *
file_table(const struct unpacked *u, const char *name)
{
	for (size_t i = 0; i < u->n; i++)
		if (strcmp(u->name[i], name) == 0)
			return csv_parse(u->data[i].data, u->data[i].len);
	return NULL;
}

/* ------------------------------------------------------------------ */
/* The structural check of a whole file set.                           */

static bool
in_list(const char *v, const char *list)
{
	size_t n = strlen(v);

	for (const char *p = list; p != NULL;) {
		const char *bar = strchr(p, '|');
		size_t m = bar ? (size_t)(bar - p) : strlen(p);

		if (m == n && strncmp(p, v, n) == 0)
			return true;
		p = bar ? bar + 1 : NULL;
	}
	return false;
}

static bool
is_date(const char *v)
{
	int y, m, d;
	char tail;
	static const int mdays[] = { 31, 29, 31, 30, 31, 30,
		                     31, 31, 30, 31, 30, 31 };

	if (strlen(v) != 10 || v[4] != '-' || v[7] != '-' ||
	    sscanf(v, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
		return false;
	return y >= 1900 && m >= 1 && m <= 12 && d >= 1 && d <= mdays[m - 1];
}

static bool
is_grade(const char *v)
{
	for (size_t i = 0; i < sizeof(ceds) / sizeof(ceds[0]); i++)
		if (strcmp(v, ceds[i]) == 0)
			return true;
	return false;
}

static bool
safe_id(const char *v)
{
	if (*v == '\0')
		return false;
	for (; *v != '\0'; v++)
		if (!((*v >= 'a' && *v <= 'z') || (*v >= 'A' && *v <= 'Z') ||
		      (*v >= '0' && *v <= '9') || *v == '-' || *v == '_' ||
		      *v == '.'))
			return false;
	return true;
}

static bool
id_in(const struct table *t, const char *id)
{
	for (size_t r = 1; t != NULL && r < t->nrows; r++)
		if (strcmp(t->cell[r][0], id) == 0)
			return true;
	return false;
}

/* Every element of a comma separated list satisfies ok (or is in t). */
static void
each_in_list(const char *v, const struct table *t, bool (*ok)(const char *))
{
	char tmp[1024], *save = NULL;

	snprintf(tmp, sizeof(tmp), "%s", v);
	for (char *x = strtok_r(tmp, ",", &save); x != NULL;
	     x = strtok_r(NULL, ",", &save)) {
		if (ok != NULL)
			assert_true(ok(x));
		else
			assert_true(id_in(t, x));
	}
}

struct set {
	struct table *t[NSPECS];
};

static struct table *
set_get(const struct set *s, const char *file)
{
	for (size_t i = 0; i < NSPECS; i++)
		if (strcmp(specs[i].file, file) == 0)
			return s->t[i];
	return NULL;
}

static void
check_table(const struct set *s, const struct spec *sp, struct table *t)
{
	assert_true(t->nrows >= 1);
	/* the exact header row, in the specification's order */
	assert_int_equal(t->ncell[0], sp->ncols);
	for (size_t c = 0; c < sp->ncols; c++)
		assert_string_equal(t->cell[0][c], sp->cols[c].name);
	for (size_t r = 1; r < t->nrows; r++) {
		assert_int_equal(t->ncell[r], sp->ncols);
		for (size_t c = 0; c < sp->ncols; c++) {
			const struct col *k = &sp->cols[c];
			const char *v = t->cell[r][c];

			if (k->required)
				assert_true(v[0] != '\0');
			/* no cell a spreadsheet could run as a formula */
			if (v[0] != '\0' && strchr("=+-@\t\r", v[0]))
				fail_msg("%s starts a formula: %s", k->name, v);
			if (v[0] == '\0')
				continue;
			switch (k->kind) {
			case K_TEXT:
				break;
			case K_ID:
				assert_true(safe_id(v));
				for (size_t q = 1; q < r; q++) /* unique */
					assert_string_not_equal(t->cell[q][0],
					                        v);
				break;
			case K_ENUM:
				assert_true(in_list(v, k->arg));
				break;
			case K_DATE:
				assert_true(is_date(v));
				break;
			case K_YEAR:
				assert_int_equal(strlen(v), 4);
				assert_true(strspn(v, "0123456789") == 4);
				break;
			case K_GRADES:
				each_in_list(v, NULL, is_grade);
				break;
			case K_REF:
				assert_true(id_in(set_get(s, k->arg), v));
				break;
			case K_REFS:
				each_in_list(v, set_get(s, k->arg), NULL);
				break;
			case K_BULK:
				fail_msg("%s of a bulk file must be empty",
				         k->name);
				break;
			}
		}
	}
}

/* Check the whole zip; returns the parsed tables (set_free them). */
static void
check_zip(const struct buf *zipped, struct set *s)
{
	struct unpacked u;
	struct table *m;
	size_t seen_files = 0;

	unpack(zipped, &u);
	m = file_table(&u, "manifest.csv");
	assert_non_null(m);
	assert_int_equal(m->ncell[0], 2);
	assert_string_equal(m->cell[0][0], "propertyName");
	assert_string_equal(m->cell[0][1], "value");
	/* every entry of the zip is the manifest or a file it lists */
	for (size_t i = 0; i < u.n; i++) {
		bool listed = strcmp(u.name[i], "manifest.csv") == 0;

		for (size_t r = 1; r < m->nrows; r++) {
			char want[64];

			snprintf(want, sizeof(want), "file.%s", u.name[i]);
			want[strlen(want) - 4] = '\0'; /* ".csv" */
			if (strcmp(m->cell[r][0], want) == 0) {
				assert_string_equal(m->cell[r][1], "bulk");
				listed = true;
			}
		}
		assert_true(listed);
	}
	bool version = false, oneroster = false;
	for (size_t r = 1; r < m->nrows; r++) {
		const char *k = m->cell[r][0], *v = m->cell[r][1];

		assert_int_equal(m->ncell[r], 2);
		if (strcmp(k, "manifest.version") == 0) {
			assert_string_equal(v, "1.0");
			version = true;
		} else if (strcmp(k, "oneroster.version") == 0) {
			assert_string_equal(v, "1.1");
			oneroster = true;
		} else if (strncmp(k, "file.", 5) == 0) {
			char name[64];
			bool present, known = false;

			snprintf(name, sizeof(name), "%s.csv", k + 5);
			present = false;
			for (size_t i = 0; i < u.n; i++)
				present |= strcmp(u.name[i], name) == 0;
			for (size_t i = 0; i < NMANIFEST; i++)
				known |= strcmp(k + 5, manifest_files[i]) == 0;
			assert_true(known);
			assert_string_equal(v, present ? "bulk" : "absent");
			seen_files++;
		} else {
			assert_true(strncmp(k, "source.", 7) == 0);
		}
	}
	assert_true(version && oneroster);
	assert_int_equal(seen_files, NMANIFEST); /* each named exactly once */
	table_free(m);

	memset(s, 0, sizeof(*s));
	for (size_t i = 0; i < NSPECS; i++) {
		s->t[i] = file_table(&u, specs[i].file);
		assert_non_null(s->t[i]); /* this export writes every one */
	}
	for (size_t i = 0; i < NSPECS; i++)
		check_table(s, &specs[i], s->t[i]);
	/* demographics rows are users */
	struct table *d = set_get(s, "demographics.csv");
	for (size_t r = 1; r < d->nrows; r++)
		assert_true(id_in(set_get(s, "users.csv"), d->cell[r][0]));
	unpacked_free(&u);
}

static void
set_free(struct set *s)
{
	for (size_t i = 0; i < NSPECS; i++)
		if (s->t[i] != NULL)
			table_free(s->t[i]);
}

/* The row of t whose column c is v, or 0. */
static size_t
find_row(const struct table *t, size_t c, const char *v)
{
	for (size_t r = 1; r < t->nrows; r++)
		if (strcmp(t->cell[r][c], v) == 0)
			return r;
	return 0;
}

/* ------------------------------------------------------------------ */
/* A realistic school.                                                 */

static struct student
mk(int64_t id, const char *number, const char *first, const char *prefix,
   const char *last, const char *group, const char *key, int jaargroep,
   int32_t birth)
{
	struct student s;

	memset(&s, 0, sizeof(s));
	s.id = id;
	snprintf(s.number, sizeof(s.number), "%s", number);
	snprintf(s.number_key, sizeof(s.number_key), "%s", number);
	snprintf(s.roepnaam, sizeof(s.roepnaam), "%s", first);
	snprintf(s.tussenvoegsel, sizeof(s.tussenvoegsel), "%s", prefix);
	snprintf(s.achternaam, sizeof(s.achternaam), "%s", last);
	snprintf(s.group, sizeof(s.group), "%s", group);
	snprintf(s.group_key, sizeof(s.group_key), "%s", key);
	s.jaargroep = (int8_t)jaargroep;
	s.birth = birth;
	s.active = true;
	return s;
}

#define NPUPILS 9
static struct student school[NPUPILS];

static const struct oneroster_school regenboog = {
	.id = 7,
	.slug = "obs-de-regenboog",
	.name = "OBS \"De Regenboog\", Utrecht",
	.brin = "12AB",
	.library_id = 3,
	.library_slug = "bibliotheek-utrecht",
	.library_name = "Bibliotheek Utrecht",
};

static int
setup(void **state)
{
	(void)state;
	school[0] = mk(101, "1001", "Jan", "van der", "Berg", "Groep 5/6a",
	               "5/6a", 5, 20160412);
	school[1] = mk(102, "1002", "Fleur", "", "Jansen", "Groep 5/6a", "5/6a",
	               6, 20150101);
	school[2] = mk(103, "1003", "Sem, \"de kleine\"", "de", "Vries",
	               "Groep 1/2", "1/2", 1, 20210905);
	school[3] = mk(104, "1004", "Noor", "", "Bakker\nSmit", "groep 1/2",
	               "1/2", 2, 0);
	school[4] = mk(105, "1005", "=HYPERLINK(\"x\")", "", "+31 Visser",
	               "Zonnebloem", "zonnebloem", JAARGROEP_UNKNOWN,
	               20180229 - 100); /* 2018-01-29 */
	school[5] = mk(106, "1006", "Lieke", "'t", "Hoen", "Groep 8", "8", 8,
	               20140615);
	school[6] = mk(107, "1007", "Daan", "", "Mulder", "Groep 0", "0", 0,
	               20220301);
	/* a former pupil: in the roster, not in the export */
	school[7] = mk(108, "1008", "Oud", "", "Leerling", "Groep 7", "7", 7,
	               20140101);
	school[7].active = false;
	school[8] = mk(109, "1009", "Zoë", "", "Ünal", "Groep 3 juf Marieke",
	               "3 juf marieke", 3, 20190807);
	return 0;
}

static void
export_ok(const struct student *s, size_t n, int64_t now, struct buf *b)
{
	buf_init(b, (size_t)1 << 24);
	assert_int_equal(export_oneroster(b, &regenboog, s, n, now), ERR_OK);
}

static void
every_file_matches_the_specification(void **state)
{
	struct buf b;
	struct set s;

	(void)state;
	export_ok(school, NPUPILS, NOW_DEC_2026, &b);
	check_zip(&b, &s);
	/* one user, one enrollment per active pupil; a class per group */
	assert_int_equal(set_get(&s, "users.csv")->nrows - 1, NPUPILS - 1);
	assert_int_equal(set_get(&s, "enrollments.csv")->nrows - 1,
	                 NPUPILS - 1);
	assert_int_equal(set_get(&s, "classes.csv")->nrows - 1, 6);
	assert_int_equal(set_get(&s, "courses.csv")->nrows - 1, 6);
	/* Noor's birth date is unknown: no demographics row */
	assert_int_equal(set_get(&s, "demographics.csv")->nrows - 1,
	                 NPUPILS - 2);
	set_free(&s);
	buf_release(&b);
}

static void
pupils_are_users_with_their_names_and_grades(void **state)
{
	struct buf b;
	struct set s;
	struct table *u;
	size_t r;

	(void)state;
	export_ok(school, NPUPILS, NOW_DEC_2026, &b);
	check_zip(&b, &s);
	u = set_get(&s, "users.csv");
	/* columns: 0 sourcedId 3 enabledUser 4 orgSourcedIds 5 role
	 * 6 username 8 givenName 9 familyName 11 identifier 16 grades */
	r = find_row(u, 11, "1001");
	assert_true(r > 0);
	assert_string_equal(u->cell[r][0], "biebsync-pupil-101");
	assert_string_equal(u->cell[r][3], "true");
	assert_string_equal(u->cell[r][4], "biebsync-school-7");
	assert_string_equal(u->cell[r][5], "student");
	assert_string_equal(u->cell[r][6], "1001");
	assert_string_equal(u->cell[r][8], "Jan");
	assert_string_equal(u->cell[r][9], "van der Berg");
	assert_string_equal(u->cell[r][16], "03"); /* groep 5 */
	/* quotes, commas and newlines survive the CSV */
	r = find_row(u, 11, "1003");
	assert_string_equal(u->cell[r][8], "Sem, \"de kleine\"");
	assert_string_equal(u->cell[r][9], "de Vries");
	assert_string_equal(u->cell[r][16], "PK"); /* groep 1 */
	r = find_row(u, 11, "1004");
	assert_string_equal(u->cell[r][9], "Bakker\nSmit");
	assert_string_equal(u->cell[r][16], "KG"); /* groep 2 */
	/* a formula is text, not a formula */
	r = find_row(u, 11, "1005");
	assert_string_equal(u->cell[r][8], "'=HYPERLINK(\"x\")");
	assert_string_equal(u->cell[r][9], "'+31 Visser");
	assert_string_equal(u->cell[r][16], ""); /* unknown jaargroep */
	r = find_row(u, 11, "1006");
	assert_string_equal(u->cell[r][9], "'t Hoen");
	assert_string_equal(u->cell[r][16], "06"); /* groep 8 */
	r = find_row(u, 11, "1007");
	assert_string_equal(u->cell[r][16], "PR"); /* groep 0 */
	r = find_row(u, 11, "1009");
	assert_string_equal(u->cell[r][8], "Zoë");
	assert_string_equal(u->cell[r][9], "Ünal");
	/* the former pupil is not exported */
	assert_int_equal(find_row(u, 11, "1008"), 0);
	set_free(&s);
	buf_release(&b);
}

static void
groups_are_homeroom_classes_with_codes_and_grades(void **state)
{
	char codes[NPUPILS][GROUP_CODE_MAX + 1];
	struct buf b;
	struct set s;
	struct table *c, *co, *e, *u;
	size_t r;

	(void)state;
	export_group_codes(school, NPUPILS, codes);
	export_ok(school, NPUPILS, NOW_DEC_2026, &b);
	check_zip(&b, &s);
	c = set_get(&s, "classes.csv");
	co = set_get(&s, "courses.csv");
	/* classes: 3 title 4 grades 5 courseSourcedId 6 classCode
	 * 7 classType 9 schoolSourcedId 10 termSourcedIds */
	r = find_row(c, 3, "Groep 5/6a");
	assert_true(r > 0);
	assert_string_equal(c->cell[r][4], "03,04");
	assert_string_equal(c->cell[r][6], codes[0]);
	assert_string_equal(c->cell[r][7], "homeroom");
	assert_string_equal(c->cell[r][9], "biebsync-school-7");
	assert_string_equal(c->cell[r][10], "biebsync-schoolyear-2027");
	/* its course: the same group, code and grades */
	size_t cr = find_row(co, 0, c->cell[r][5]);
	assert_true(cr > 0);
	assert_string_equal(co->cell[cr][4], "Groep 5/6a");
	assert_string_equal(co->cell[cr][5], codes[0]);
	assert_string_equal(co->cell[cr][6], "03,04");
	assert_string_equal(co->cell[cr][3], "biebsync-schoolyear-2027");
	/* "Groep 1/2" and "groep 1/2" are one group, the first spelling */
	r = find_row(c, 3, "Groep 1/2");
	assert_true(r > 0);
	assert_string_equal(c->cell[r][4], "PK,KG");
	assert_int_equal(find_row(c, 3, "groep 1/2"), 0);
	r = find_row(c, 3, "Zonnebloem");
	assert_string_equal(c->cell[r][4], "");
	assert_string_equal(c->cell[r][6], codes[4]);
	/* the group named after its teacher is not in any sourcedId */
	r = find_row(c, 3, "Groep 3 juf Marieke");
	assert_true(r > 0);
	assert_null(strstr(c->cell[r][0], "arieke"));
	/* each pupil is enrolled, as a student, in the class of its group */
	e = set_get(&s, "enrollments.csv");
	u = set_get(&s, "users.csv");
	for (size_t i = 0; i < NPUPILS; i++) {
		char id[64];
		size_t er = 0, k = 0;

		if (!school[i].active)
			continue;
		snprintf(id, sizeof(id), "biebsync-pupil-%lld",
		         (long long)school[i].id);
		for (size_t q = 1; q < e->nrows; q++)
			if (strcmp(e->cell[q][5], id) == 0) {
				er = q;
				k++;
			}
		assert_int_equal(k, 1);
		assert_string_equal(e->cell[er][6], "student");
		assert_string_equal(e->cell[er][4], "biebsync-school-7");
		r = find_row(c, 0, e->cell[er][3]);
		assert_true(r > 0);
		assert_string_equal(c->cell[r][6], codes[i]);
		assert_true(find_row(u, 0, id) > 0);
	}
	set_free(&s);
	buf_release(&b);
}

static void
orgs_session_and_demographics(void **state)
{
	struct buf b;
	struct set s;
	struct table *o, *a, *d;
	size_t r;

	(void)state;
	export_ok(school, NPUPILS, NOW_DEC_2026, &b);
	check_zip(&b, &s);
	o = set_get(&s, "orgs.csv");
	assert_int_equal(o->nrows - 1, 2);
	r = find_row(o, 4, "district");
	assert_string_equal(o->cell[r][0], "biebsync-library-3");
	assert_string_equal(o->cell[r][3], "Bibliotheek Utrecht");
	r = find_row(o, 4, "school");
	assert_string_equal(o->cell[r][0], "biebsync-school-7");
	assert_string_equal(o->cell[r][3], "OBS \"De Regenboog\", Utrecht");
	assert_string_equal(o->cell[r][5], "12AB");
	assert_string_equal(o->cell[r][6], "biebsync-library-3");
	a = set_get(&s, "academicSessions.csv");
	assert_int_equal(a->nrows - 1, 1);
	assert_string_equal(a->cell[1][4], "schoolYear");
	assert_string_equal(a->cell[1][5], "2026-08-01");
	assert_string_equal(a->cell[1][6], "2027-07-31");
	assert_string_equal(a->cell[1][8], "2027");
	d = set_get(&s, "demographics.csv");
	r = find_row(d, 0, "biebsync-pupil-101");
	assert_string_equal(d->cell[r][3], "2016-04-12");
	/* nothing but the birth date */
	for (size_t q = 1; q < d->nrows; q++)
		for (size_t k = 4; k < d->ncell[q]; k++)
			assert_string_equal(d->cell[q][k], "");
	set_free(&s);
	buf_release(&b);
}

/* The school year turns on 1 August. */
static void
school_year_runs_august_to_july(void **state)
{
	static const struct {
		int64_t now;
		const char *year, *start;
	} cases[] = {
		{ JUL31_2027, "2027", "2026-08-01" },
		{ AUG01_2027, "2028", "2027-08-01" },
	};

	(void)state;
	for (size_t i = 0; i < 2; i++) {
		struct buf b;
		struct set s;
		struct table *a;

		export_ok(school, NPUPILS, cases[i].now, &b);
		check_zip(&b, &s);
		a = set_get(&s, "academicSessions.csv");
		assert_string_equal(a->cell[1][8], cases[i].year);
		assert_string_equal(a->cell[1][5], cases[i].start);
		set_free(&s);
		buf_release(&b);
	}
}

/* sourcedIds do not depend on the order of the roster, nor on the day of
 * the export; they hold no name or leerlingnummer. */
static void
sourced_ids_are_stable_and_impersonal(void **state)
{
	struct student rev[NPUPILS];
	struct buf b1, b2;
	struct set s1, s2;

	(void)state;
	for (size_t i = 0; i < NPUPILS; i++)
		rev[i] = school[NPUPILS - 1 - i];
	export_ok(school, NPUPILS, NOW_DEC_2026, &b1);
	export_ok(rev, NPUPILS, NOW_DEC_2026 + 86400 * 30, &b2);
	check_zip(&b1, &s1);
	check_zip(&b2, &s2);
	for (size_t f = 0; f < NSPECS; f++) {
		struct table *x = s1.t[f], *y = s2.t[f];

		assert_int_equal(x->nrows, y->nrows);
		for (size_t r = 1; r < x->nrows; r++) {
			assert_true(find_row(y, 0, x->cell[r][0]) > 0);
			for (size_t i = 0; i < NPUPILS; i++) {
				assert_null(strstr(x->cell[r][0],
				                   school[i].number));
				assert_null(strstr(x->cell[r][0],
				                   school[i].achternaam));
			}
		}
	}
	set_free(&s1);
	set_free(&s2);
	buf_release(&b1);
	buf_release(&b2);
}

static void
a_school_without_pupils_is_a_complete_file_set(void **state)
{
	struct buf b;
	struct set s;

	(void)state;
	export_ok(NULL, 0, NOW_DEC_2026, &b);
	check_zip(&b, &s);
	assert_int_equal(set_get(&s, "orgs.csv")->nrows, 3);
	assert_int_equal(set_get(&s, "academicSessions.csv")->nrows, 2);
	assert_int_equal(set_get(&s, "users.csv")->nrows, 1);
	assert_int_equal(set_get(&s, "classes.csv")->nrows, 1);
	assert_int_equal(set_get(&s, "enrollments.csv")->nrows, 1);
	set_free(&s);
	buf_release(&b);
}

static void
a_school_without_library_has_no_district(void **state)
{
	struct oneroster_school sc = regenboog;
	struct buf b;
	struct set s;
	struct table *o;

	(void)state;
	sc.library_id = 0;
	sc.library_slug = sc.library_name = NULL;
	buf_init(&b, (size_t)1 << 24);
	assert_int_equal(
	        export_oneroster(&b, &sc, school, NPUPILS, NOW_DEC_2026),
	        ERR_OK);
	check_zip(&b, &s);
	o = set_get(&s, "orgs.csv");
	assert_int_equal(o->nrows - 1, 1);
	assert_string_equal(o->cell[1][4], "school");
	assert_string_equal(o->cell[1][6], "");
	set_free(&s);
	buf_release(&b);
}

static void
too_small_a_buffer_is_err_limit(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 300);
	assert_int_equal(
	        export_oneroster(&b, &regenboog, school, NPUPILS, NOW_DEC_2026),
	        ERR_LIMIT);
	buf_release(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_file_matches_the_specification),
		cmocka_unit_test(pupils_are_users_with_their_names_and_grades),
		cmocka_unit_test(
		        groups_are_homeroom_classes_with_codes_and_grades),
		cmocka_unit_test(orgs_session_and_demographics),
		cmocka_unit_test(school_year_runs_august_to_july),
		cmocka_unit_test(sourced_ids_are_stable_and_impersonal),
		cmocka_unit_test(
		        a_school_without_pupils_is_a_complete_file_set),
		cmocka_unit_test(a_school_without_library_has_no_district),
		cmocka_unit_test(too_small_a_buffer_is_err_limit),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
