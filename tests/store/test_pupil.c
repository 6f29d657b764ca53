/*
 * One pupil in the store (src/store/pupil.c; pg_pupil.c when
 * BIEBSYNC_TEST_PG_URL names a PostgreSQL server), for the AVG: access
 * finds every journal row naming the pupil, across imports and number
 * changes; erasure removes the pupil, anonymises those rows, deletes the
 * report lines naming it, cancels the open previews naming it and bumps
 * the roster version, in one step, leaving another school's pupil with the
 * same number untouched and no byte of the pupil in the database files.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "../testutil.h"
#include "holds.h"
#include "../../src/roster/diff.h"

static const struct store_actor who = { 0, "test", "cli" };

struct fx {
	char dir[64];
	char url[256];
	struct store *st;
	int64_t school, other;
};

static int64_t
add_school(struct store *st, const char *name, const char *slug)
{
	struct school s;

	memset(&s, 0, sizeof(s));
	s.library_id = 1;
	snprintf(s.name, sizeof(s.name), "%s", name);
	snprintf(s.brin, sizeof(s.brin), "12AB");
	snprintf(s.slug, sizeof(s.slug), "%s", slug);
	assert_int_equal(store_school_add(st, &s), ERR_OK);
	return s.id;
}

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	char msg[256];

	tu_tmpdir(f->dir);
	tu_store_url(f->dir, f->url);
	assert_int_equal(store_open(f->url, &f->st, msg, sizeof(msg)), ERR_OK);
	f->school = add_school(f->st, "OBS De Regenboog", "regenboog");
	f->other = add_school(f->st, "De Vuurtoren", "vuurtoren");
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	store_close(f->st);
	tu_rmdir(f->dir);
	free(f);
	return 0;
}

static struct student
mk(const char *number, const char *first, const char *last, const char *group,
   int32_t birth)
{
	struct student s;

	memset(&s, 0, sizeof(s));
	snprintf(s.number, sizeof(s.number), "%s", number);
	snprintf(s.number_key, sizeof(s.number_key), "%s", number);
	snprintf(s.roepnaam, sizeof(s.roepnaam), "%s", first);
	snprintf(s.achternaam, sizeof(s.achternaam), "%s", last);
	snprintf(s.group, sizeof(s.group), "%s", group);
	snprintf(s.group_key, sizeof(s.group_key), "%s", group);
	s.birth = birth;
	s.jaargroep = JAARGROEP_UNKNOWN;
	s.active = true;
	return s;
}

/* Stage file for school (with one report line naming issue_number and
 * issue_name, when not NULL); returns the import's id. */
static int64_t
stage(struct fx *f, int64_t school, const struct student *file, size_t n,
      const char *issue_number, const char *issue_name)
{
	static const struct diff_limits lim = DIFF_LIMITS_DEFAULT;
	struct student *roster, rows[8];
	struct roster_issue is;
	struct import_extra x = { 0 };
	size_t nroster;
	int64_t version;
	struct plan p;
	struct import_rec rec;

	assert_true(n <= 8);
	assert_int_equal(
	        store_roster_load(f->st, school, &roster, &nroster, &version),
	        ERR_OK);
	memcpy(rows, file, n * sizeof(*rows));
	diff_build(&p, rows, n, roster, nroster, version, &lim);
	memset(&rec, 0, sizeof(rec));
	rec.school_id = school;
	snprintf(rec.filename, sizeof(rec.filename), "leerlingen.csv");
	snprintf(rec.format, sizeof(rec.format), "csv");
	snprintf(rec.layout, sizeof(rec.layout), "generic");
	if (issue_number != NULL) {
		memset(&is, 0, sizeof(is));
		is.code = ROSTER_E_DATE_IMPOSSIBLE;
		is.row = 2;
		is.col = 5;
		snprintf(is.text, sizeof(is.text), "%s",
		         strcmp(issue_number, "71") == 0 ? "31-02-2016"
		                                         : "30-02-2014");
		snprintf(is.name, sizeof(is.name), "%s", issue_name);
		snprintf(is.number, sizeof(is.number), "%s", issue_number);
		x.issues = &is;
		x.nissues = 1;
	}
	assert_int_equal(store_import_stage(f->st, &who, &rec, &p, &x), ERR_OK);
	plan_release(&p);
	free(roster);
	return rec.id;
}

static void
apply(struct fx *f, int64_t school, int64_t id)
{
	enum import_state st;

	assert_int_equal(store_import_apply(f->st, &who, school, id, 100, &st),
	                 ERR_OK);
}

/* The id of school's student with number (0: none). */
static int64_t
id_of(struct fx *f, int64_t school, const char *number)
{
	struct student *r;
	size_t n;
	int64_t version, id = 0;

	assert_int_equal(store_roster_load(f->st, school, &r, &n, &version),
	                 ERR_OK);
	for (size_t i = 0; i < n; i++)
		if (strcmp(r[i].number, number) == 0)
			id = r[i].id;
	free(r);
	return id;
}

static int64_t
version_of(struct fx *f, int64_t school)
{
	struct student *r;
	size_t n;
	int64_t version;

	assert_int_equal(store_roster_load(f->st, school, &r, &n, &version),
	                 ERR_OK);
	free(r);
	return version;
}

/* Three years of school: Quirijn (number 1, renumbered to 71 in the
 * second) and Daan, then an open preview moving both on; the other school
 * has a pupil with number 1 as well.  Returns the open preview's id. */
static int64_t
three_years(struct fx *f)
{
	struct student y1[2] = {
		mk("1", "Quirijn", "Zandvoort-Ubbink", "3a", 20160229),
		mk("2", "Daan", "Jansen", "3a", 20160101),
	};
	struct student y2[2] = {
		mk("71", "Quirijn", "Zandvoort-Ubbink", "4a", 20160229),
		mk("2", "Daan", "Jansen", "4a", 20160101),
	};
	struct student y3[2] = {
		mk("71", "Quirijn", "Zandvoort-Ubbink", "5a", 20160229),
		mk("2", "Daan", "Jansen", "5a", 20160101),
	};
	struct student other[1] = {
		mk("1", "Sanne", "Vries", "6", 20140303),
	};

	apply(f, f->school, stage(f, f->school, y1, 2, NULL, NULL));
	apply(f, f->school, stage(f, f->school, y2, 2, NULL, NULL));
	apply(f, f->other, stage(f, f->other, other, 1, "1", "Sanne Vries"));
	return stage(f, f->school, y3, 2, "71", "Quirijn Zandvoort-Ubbink");
}

/* The birth date 20160229 as SQLite stores the integer (4 bytes). */
static const unsigned char birth[] = { 0x01, 0x33, 0x9e, 0xe5 };

/* Does the database file or its -wal hold text (read as raw bytes)?  On
 * PostgreSQL: does any row (holds.h)? */
static bool
files_hold(struct fx *f, const void *text, size_t len)
{
	static const char *const suffix[] = { "", "-wal" };
	bool found = false;

	if (tu_is_pg(f->url)) {
		char t[64];

		if (text == birth)
			return tu_pg_holds(f->url, "20160229");
		snprintf(t, sizeof(t), "%.*s", (int)len, (const char *)text);
		return tu_pg_holds(f->url, t);
	}

	for (size_t k = 0; k < 2 && !found; k++) {
		char path[128];
		FILE *in;
		char *data;
		size_t n;

		snprintf(path, sizeof(path), "%s/db%s", f->dir, suffix[k]);
		if ((in = fopen(path, "rb")) == NULL)
			continue;
		data = malloc(1 << 22);
		n = fread(data, 1, 1 << 22, in);
		fclose(in);
		for (size_t i = 0; !found && i + len <= n; i++)
			found = memcmp(data + i, text, len) == 0;
		free(data);
	}
	return found;
}

static void
access_finds_every_row_across_a_new_number(void **state)
{
	struct fx *f = *state;
	struct pupil_change *c;
	struct pupil_issue *is;
	struct student p;
	int64_t school, preview, id;
	size_t n;

	preview = three_years(f);
	id = id_of(f, f->school, "71");
	assert_true(id > 0);
	assert_int_equal(store_pupil_get(f->st, id, &p, &school), ERR_OK);
	assert_int_equal(school, f->school);
	assert_string_equal(p.achternaam, "Zandvoort-Ubbink");
	assert_int_equal(p.birth, 20160229);
	assert_int_equal(store_pupil_changes(f->st, id, &c, &n), ERR_OK);
	assert_int_equal(n, 3);
	assert_int_equal(c[0].kind, CHANGE_NEW);
	assert_false(c[0].has_before);
	assert_string_equal(c[0].after.number, "1");
	assert_int_equal(c[0].import.state, IMPORT_APPLIED);
	assert_int_equal(c[1].kind, CHANGE_RENUMBERED);
	assert_string_equal(c[1].before.number, "1");
	assert_string_equal(c[1].after.number, "71");
	assert_int_equal(c[2].kind, CHANGE_MOVED);
	assert_int_equal(c[2].import.id, preview);
	assert_int_equal(c[2].import.state, IMPORT_PREVIEW);
	assert_string_equal(c[2].after.group, "5a");
	free(c);
	/* the other school's number 1 is another child */
	assert_int_equal(
	        store_pupil_changes(f->st, id_of(f, f->other, "1"), &c, &n),
	        ERR_OK);
	assert_int_equal(n, 1);
	assert_string_equal(c[0].after.roepnaam, "Sanne");
	free(c);
	/* the report line of the preview names its new number */
	assert_int_equal(store_pupil_issues(f->st, id, &is, &n), ERR_OK);
	assert_int_equal(n, 1);
	assert_int_equal(is[0].import_id, preview);
	assert_string_equal(is[0].issue.text, "31-02-2016");
	free(is);
	assert_int_equal(store_pupil_get(f->st, 999999, &p, &school),
	                 ERR_NOTFOUND);
}

static void
erasure_removes_everything_and_cancels_the_preview(void **state)
{
	struct fx *f = *state;
	struct pupil_erasure out;
	struct pupil_change *c;
	struct import_rec rec;
	struct student p;
	int64_t school, preview, id, version;
	size_t n;

	preview = three_years(f);
	id = id_of(f, f->school, "71");
	version = version_of(f, f->school);
	assert_true(files_hold(f, "Zandvoort-Ubbink", 16));
	assert_true(files_hold(f, birth, sizeof(birth)));
	assert_int_equal(store_pupil_erase(f->st, &who, f->school, id, &out),
	                 ERR_OK);
	assert_int_equal(out.journal_rows, 3);
	assert_int_equal(out.previews, 1);
	assert_int_equal(out.issues, 1);
	assert_int_equal(out.version, version + 1);
	assert_int_equal(version_of(f, f->school), version + 1);
	assert_int_equal(store_pupil_get(f->st, id, &p, &school), ERR_NOTFOUND);
	assert_int_equal(id_of(f, f->school, "71"), 0);
	assert_int_equal(store_import_get(f->st, f->school, preview, &rec),
	                 ERR_OK);
	assert_int_equal(rec.state, IMPORT_CANCELLED);
	/* Daan keeps his history */
	assert_int_equal(
	        store_pupil_changes(f->st, id_of(f, f->school, "2"), &c, &n),
	        ERR_OK);
	assert_int_equal(n, 3);
	assert_string_equal(c[2].after.achternaam, "Jansen");
	free(c);
	/* and no byte of Quirijn is left, in the file or its log */
	assert_false(files_hold(f, "Zandvoort-Ubbink", 16));
	assert_false(files_hold(f, "Quirijn", 7));
	assert_false(files_hold(f, "31-02-2016", 10));
	assert_false(files_hold(f, birth, sizeof(birth)));
	assert_true(files_hold(f, "Jansen", 6)); /* the search does find */
}

static void
another_schools_pupil_is_untouched(void **state)
{
	struct fx *f = *state;
	struct pupil_erasure out;
	struct pupil_change *c;
	struct student p;
	int64_t school, theirs, version;
	size_t n;

	three_years(f);
	theirs = id_of(f, f->other, "1");
	version = version_of(f, f->other);
	/* erasing it as a pupil of the first school changes nothing */
	assert_int_equal(
	        store_pupil_erase(f->st, &who, f->school, theirs, &out),
	        ERR_NOTFOUND);
	assert_int_equal(store_pupil_get(f->st, theirs, &p, &school), ERR_OK);
	assert_int_equal(version_of(f, f->other), version);
	/* erasing the first school's pupils leaves the other's number 1 */
	assert_int_equal(store_pupil_erase(f->st, &who, f->school,
	                                   id_of(f, f->school, "71"), &out),
	                 ERR_OK);
	assert_int_equal(store_pupil_get(f->st, theirs, &p, &school), ERR_OK);
	assert_string_equal(p.roepnaam, "Sanne");
	assert_int_equal(version_of(f, f->other), version);
	assert_int_equal(store_pupil_changes(f->st, theirs, &c, &n), ERR_OK);
	assert_int_equal(n, 1);
	assert_string_equal(c[0].after.achternaam, "Vries");
	free(c);
	assert_true(files_hold(f, "Vries", 5));
}

/* Undoing the import that enrolled an erased pupil brings it not back. */
static void
undo_after_erasure_does_not_bring_the_pupil_back(void **state)
{
	struct fx *f = *state;
	struct student y1[2] = {
		mk("1", "Quirijn", "Zandvoort-Ubbink", "3a", 20160229),
		mk("2", "Daan", "Jansen", "3a", 20160101),
	};
	struct student y2[1] = {
		mk("2", "Daan", "Jansen", "4a", 20160101),
	};
	struct pupil_erasure out;
	enum import_state st;
	int64_t second;

	apply(f, f->school, stage(f, f->school, y1, 2, NULL, NULL));
	second = stage(f, f->school, y2, 1, NULL, NULL); /* Quirijn leaves */
	apply(f, f->school, second);
	assert_int_equal(store_pupil_erase(f->st, &who, f->school,
	                                   id_of(f, f->school, "1"), &out),
	                 ERR_OK);
	assert_int_equal(out.journal_rows, 2);
	assert_int_equal(
	        store_import_undo(f->st, &who, f->school, second, 200, &st),
	        ERR_OK);
	assert_int_equal(id_of(f, f->school, "1"), 0);
	assert_true(id_of(f, f->school, "2") > 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		        access_finds_every_row_across_a_new_number, setup,
		        teardown),
		cmocka_unit_test_setup_teardown(
		        erasure_removes_everything_and_cancels_the_preview,
		        setup, teardown),
		cmocka_unit_test_setup_teardown(
		        another_schools_pupil_is_untouched, setup, teardown),
		cmocka_unit_test_setup_teardown(
		        undo_after_erasure_does_not_bring_the_pupil_back, setup,
		        teardown),
	};

	return cmocka_run_group_tests_name("store/pupil", tests, NULL, NULL);
}
