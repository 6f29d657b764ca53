/*
 * The OneRoster 1.1 CSV export (see oneroster.h).
 *
 * Each file is built in its own capped buffer, in a fixed order: the
 * district and the school, the school year, then the groups sorted by
 * their comparison key (a course and a class each), then the pupils in
 * the order given (a user, an enrollment and, with a known birth date, a
 * demographics row each).  The column lists below are the specification's,
 * in its order; every row writes exactly as many cells as its header.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <nettle/sha2.h>

#include "oneroster.h"
#include "export.h"
#include "../base/mem.h"
#include "../sheet/zipwrite.h"

#define ID_MAX 96 /* bytes of a sourcedId we write, with its NUL */

/* The files of the zip, in the manifest's order. */
enum or_file {
	F_ORGS,
	F_SESSIONS,
	F_COURSES,
	F_CLASSES,
	F_USERS,
	F_ENROLLMENTS,
	F_DEMOGRAPHICS,
	F__MAX
};

static const struct {
	const char *name;   /* in the zip, and "file.<base>" in the manifest */
	const char *header; /* the specification's columns, in order */
	unsigned cols;
} files[F__MAX] = {
	[F_ORGS] = { "orgs.csv",
	             "sourcedId,status,dateLastModified,name,type,identifier,"
	             "parentSourcedId",
	             7 },
	[F_SESSIONS] = { "academicSessions.csv",
	                 "sourcedId,status,dateLastModified,title,type,"
	                 "startDate,endDate,parentSourcedId,schoolYear",
	                 9 },
	[F_COURSES] = { "courses.csv",
	                "sourcedId,status,dateLastModified,schoolYearSourcedId,"
	                "title,courseCode,grades,orgSourcedId,subjects,"
	                "subjectCodes",
	                10 },
	[F_CLASSES] = { "classes.csv",
	                "sourcedId,status,dateLastModified,title,grades,"
	                "courseSourcedId,classCode,classType,location,"
	                "schoolSourcedId,termSourcedIds,subjects,subjectCodes,"
	                "periods",
	                14 },
	[F_USERS] = { "users.csv",
	              "sourcedId,status,dateLastModified,enabledUser,"
	              "orgSourcedIds,role,username,userIds,givenName,familyName,"
	              "middleName,identifier,email,sms,phone,agentSourcedIds,"
	              "grades,password",
	              18 },
	[F_ENROLLMENTS] = { "enrollments.csv",
	                    "sourcedId,status,dateLastModified,classSourcedId,"
	                    "schoolSourcedId,userSourcedId,role,primary,"
	                    "beginDate,endDate",
	                    10 },
	[F_DEMOGRAPHICS] = { "demographics.csv",
	                     "sourcedId,status,dateLastModified,birthDate,sex,"
	                     "americanIndianOrAlaskaNative,asian,"
	                     "blackOrAfricanAmerican,"
	                     "nativeHawaiianOrOtherPacificIslander,white,"
	                     "demographicRaceTwoOrMoreRaces,"
	                     "hispanicOrLatinoEthnicity,countryOfBirthCode,"
	                     "stateOfBirthAbbreviation,cityOfBirth,"
	                     "publicSchoolResidenceStatus",
	                     16 },
};

/* The files of OneRoster 1.1 this export does not write. */
static const char *const absent[] = {
	"categories", "classResources", "courseResources",
	"lineItems",  "resources",      "results",
};

const char *
oneroster_grade(int jaargroep)
{
	static const char *const grade[] = { "PR", "PK", "KG", "01", "02",
		                             "03", "04", "05", "06" };

	return jaargroep >= 0 && jaargroep <= 8 ? grade[jaargroep] : "";
}

/* One row: the n cells, comma separated, quoted where RFC 4180 needs it,
 * neutralised against formulas. */
static void
row(struct buf *b, const char *const *cells, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		if (i > 0)
			buf_addc(b, ',');
		export_csv_cell(b, cells[i], ',');
	}
	buf_adds(b, "\r\n");
}

/* A group of the school: a course and a class. */
struct group {
	const char *key;   /* group_key */
	const char *title; /* the school's spelling, of its first pupil */
	size_t first;      /* the index of that pupil */
	const char *code;  /* schoolWise group code */
	unsigned grades;   /* bit j: a pupil in jaargroep j */
	char hash[33];     /* hex of the first 16 bytes of SHA-256(key) */
};

static int
cmp_group(const void *a, const void *b)
{
	return strcmp(((const struct group *)a)->key,
	              ((const struct group *)b)->key);
}

/* By key, then by the first pupil: a stable sort. */
static int
cmp_group_first(const void *a, const void *b)
{
	const struct group *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	if (c != 0)
		return c;
	return x->first < y->first ? -1 : x->first > y->first;
}

static void
key_hash(const char *key, char *hex)
{
	struct sha256_ctx c;
	uint8_t d[SHA256_DIGEST_SIZE];

	sha256_init(&c);
	sha256_update(&c, strlen(key), (const uint8_t *)key);
	sha256_digest(&c, sizeof(d), d);
	for (int i = 0; i < 16; i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
}

/* The grades of a mask as a list cell: "05,06". */
static void
grade_list(unsigned mask, char *out, size_t outsz)
{
	size_t o = 0;

	out[0] = '\0';
	for (int j = 0; j <= 8; j++)
		if (mask & 1u << j)
			o += (size_t)snprintf(out + o, outsz - o, "%s%s",
			                      o > 0 ? "," : "",
			                      oneroster_grade(j));
}

/* The school year that holds now: 1 August to 31 July. */
static void
school_year(int64_t now, int *start_year)
{
	time_t t = (time_t)now;
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL) {
		*start_year = 1970;
		return;
	}
	*start_year = tm.tm_year + 1900 - (tm.tm_mon < 7 ? 1 : 0);
}

static void
date_text(int32_t ymd, char *out, size_t outsz)
{
	if (ymd <= 0)
		snprintf(out, outsz, "%s", "");
	else
		snprintf(out, outsz, "%04d-%02d-%02d", ymd / 10000,
		         ymd / 100 % 100, ymd % 100);
}

/* The groups of the active pupils, sorted by key, and for each active
 * pupil its group (gi[i] for s[i]). */
static struct group *
collect_groups(const struct student *s, size_t n,
               char (*codes)[GROUP_CODE_MAX + 1], size_t *ng, size_t *gi)
{
	struct group *g = xcalloc(n ? n : 1, sizeof(*g));
	size_t k = 0, i, j;

	for (i = 0; i < n; i++)
		if (s[i].active)
			g[k++] = (struct group){ .key = s[i].group_key,
				                 .title = s[i].group,
				                 .first = i,
				                 .code = codes[i] };
	/* the first pupil of a group (in the order given) names it */
	qsort(g, k, sizeof(*g), cmp_group_first);
	for (i = j = 0; i < k; i++)
		if (j == 0 || strcmp(g[j - 1].key, g[i].key) != 0)
			g[j++] = g[i];
	*ng = j;
	for (i = 0; i < *ng; i++)
		key_hash(g[i].key, g[i].hash);
	for (i = 0; i < n; i++) {
		struct group want = { .key = s[i].group_key };
		struct group *hit;

		if (!s[i].active)
			continue;
		hit = bsearch(&want, g, *ng, sizeof(*g), cmp_group);
		gi[i] = (size_t)(hit - g);
		if (s[i].jaargroep >= 0 && s[i].jaargroep <= 8)
			hit->grades |= 1u << s[i].jaargroep;
	}
	return g;
}

static void
write_orgs(struct buf *b, const struct oneroster_school *sc,
           const char *district, const char *school)
{
	if (sc->library_id > 0) {
		const char *c[] = {
			district,   "",
			"",         sc->library_name ? sc->library_name : "",
			"district", sc->library_slug ? sc->library_slug : "",
			""
		};
		row(b, c, 7);
	}
	const char *c[] = { school,
		            "",
		            "",
		            sc->name ? sc->name : "",
		            "school",
		            sc->brin ? sc->brin : "",
		            sc->library_id > 0 ? district : "" };
	row(b, c, 7);
}

static void
write_session(struct buf *b, const char *session, int start)
{
	char title[64], from[24], to[24], year[16];

	snprintf(title, sizeof(title), "Schooljaar %d-%d", start, start + 1);
	snprintf(from, sizeof(from), "%04d-08-01", start);
	snprintf(to, sizeof(to), "%04d-07-31", start + 1);
	snprintf(year, sizeof(year), "%04d", start + 1);
	const char *c[] = { session, "", "", title, "schoolYear",
		            from,    to, "", year };
	row(b, c, 9);
}

static void
write_groups(struct buf *courses, struct buf *classes,
             const struct oneroster_school *sc, const struct group *g,
             size_t ng, const char *school, const char *session)
{
	char course[ID_MAX], klass[ID_MAX], grades[64];

	for (size_t i = 0; i < ng; i++) {
		snprintf(course, sizeof(course), "biebsync-course-%lld-%s",
		         (long long)sc->id, g[i].hash);
		snprintf(klass, sizeof(klass), "biebsync-class-%lld-%s",
		         (long long)sc->id, g[i].hash);
		grade_list(g[i].grades, grades, sizeof(grades));
		const char *co[] = { course,     "",        "",     session,
			             g[i].title, g[i].code, grades, school,
			             "",         "" };
		row(courses, co, 10);
		const char *cl[] = { klass,  "",     "",        g[i].title,
			             grades, course, g[i].code, "homeroom",
			             "",     school, session,   "",
			             "",     "" };
		row(classes, cl, 14);
	}
}

static void
write_pupil(struct buf *f[F__MAX], const struct oneroster_school *sc,
            const struct student *x, const struct group *g, const char *school)
{
	char user[ID_MAX], enr[ID_MAX], klass[ID_MAX], birth[16];
	char family[STUDENT_PREFIX_MAX + STUDENT_LAST_MAX + 2];
	const char *grade = oneroster_grade(x->jaargroep);

	snprintf(user, sizeof(user), "biebsync-pupil-%lld", (long long)x->id);
	snprintf(klass, sizeof(klass), "biebsync-class-%lld-%s",
	         (long long)sc->id, g->hash);
	snprintf(enr, sizeof(enr), "biebsync-enrollment-%lld-%s",
	         (long long)x->id, g->hash);
	snprintf(family, sizeof(family), "%s%s%s", x->tussenvoegsel,
	         x->tussenvoegsel[0] != '\0' ? " " : "", x->achternaam);
	const char *u[] = { user,      "",        "", "true",      school,
		            "student", x->number, "", x->roepnaam, family,
		            "",        x->number, "", "",          "",
		            "",        grade,     "" };
	row(f[F_USERS], u, 18);
	const char *e[] = { enr,  "",        "", klass, school,
		            user, "student", "", "",    "" };
	row(f[F_ENROLLMENTS], e, 10);
	date_text(x->birth, birth, sizeof(birth));
	if (birth[0] != '\0') {
		const char *d[] = { user, "", "", birth, "", "", "", "",
			            "",   "", "", "",    "", "", "", "" };
		row(f[F_DEMOGRAPHICS], d, 16);
	}
}

static void
write_manifest(struct buf *b)
{
	char prop[64];

	buf_adds(b, "propertyName,value\r\n");
	buf_adds(b, "manifest.version,1.0\r\n");
	buf_adds(b, "oneroster.version,1.1\r\n");
	for (int i = 0; i < F__MAX; i++) {
		size_t len = strlen(files[i].name) - strlen(".csv");

		snprintf(prop, sizeof(prop), "file.%.*s", (int)len,
		         files[i].name);
		buf_addf(b, "%s,bulk\r\n", prop);
	}
	for (size_t i = 0; i < sizeof(absent) / sizeof(absent[0]); i++)
		buf_addf(b, "file.%s,absent\r\n", absent[i]);
	buf_adds(b, "source.systemName,biebsync\r\n");
}

enum err
export_oneroster(struct buf *out, const struct oneroster_school *sc,
                 const struct student *s, size_t n, int64_t now)
{
	char(*codes)[GROUP_CODE_MAX + 1] = xcalloc(n ? n : 1, sizeof(*codes));
	size_t *gi = xcalloc(n ? n : 1, sizeof(*gi)), ng = 0;
	struct buf bufs[F__MAX], manifest, *f[F__MAX];
	char district[ID_MAX], school[ID_MAX], session[ID_MAX];
	struct group *g;
	struct zipwrite z;
	enum err e = ERR_OK;
	int start;

	/* the codes of the schoolWise export: from every student, former
	 * ones included, so both exports give a group the same code */
	export_group_codes(s, n, codes);
	g = collect_groups(s, n, codes, &ng, gi);
	school_year(now, &start);
	snprintf(district, sizeof(district), "biebsync-library-%lld",
	         (long long)sc->library_id);
	snprintf(school, sizeof(school), "biebsync-school-%lld",
	         (long long)sc->id);
	snprintf(session, sizeof(session), "biebsync-schoolyear-%d", start + 1);
	buf_init(&manifest, out->max);
	write_manifest(&manifest);
	for (int i = 0; i < F__MAX; i++) {
		f[i] = &bufs[i];
		buf_init(f[i], out->max);
		buf_adds(f[i], files[i].header);
		buf_adds(f[i], "\r\n");
	}
	write_orgs(f[F_ORGS], sc, district, school);
	write_session(f[F_SESSIONS], session, start);
	write_groups(f[F_COURSES], f[F_CLASSES], sc, g, ng, school, session);
	for (size_t i = 0; i < n; i++)
		if (s[i].active)
			write_pupil(f, sc, &s[i], &g[gi[i]], school);

	zipwrite_init(&z, out, now);
	if (manifest.err != ERR_OK)
		e = manifest.err;
	zipwrite_add(&z, "manifest.csv", manifest.data, manifest.len);
	for (int i = 0; i < F__MAX; i++) {
		if (f[i]->err != ERR_OK && e == ERR_OK)
			e = f[i]->err;
		zipwrite_add(&z, files[i].name, f[i]->data, f[i]->len);
	}
	if (zipwrite_finish(&z) != ERR_OK && e == ERR_OK)
		e = z.err;
	for (int i = 0; i < F__MAX; i++)
		buf_release_secret(f[i]);
	buf_release(&manifest);
	free(g);
	free(gi);
	free(codes);
	return e;
}
