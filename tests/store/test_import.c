/*
 * Imports in the store (src/store/roster.c; pg_roster.c when
 * BIEBSYNC_TEST_PG_URL names a PostgreSQL server): a preview is staged
 * without touching the roster; applying replays it in one transaction and
 * only once; a preview computed from an older roster is refused; undo
 * returns the roster exactly to its earlier state; purge expires previews
 * and anonymises students who left, in the journal too, and removes the
 * pupils and the file name of each kind of import past its time (undone,
 * cancelled, expired, applied past the retention; an applied one within
 * it is kept), greping the database file to be sure.
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
#include "../../src/base/buf.h"
#include "../../src/roster/diff.h"

static const struct store_actor who = { 0, "test", "cli" };

struct fx {
	char dir[64];
	char url[256];
	struct store *st;
	int64_t school;
};

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	char msg[256];
	struct school s;

	tu_tmpdir(f->dir);
	tu_store_url(f->dir, f->url);
	assert_int_equal(store_open(f->url, &f->st, msg, sizeof(msg)), ERR_OK);
	memset(&s, 0, sizeof(s));
	s.library_id = 1;
	snprintf(s.name, sizeof(s.name), "OBS De Regenboog");
	snprintf(s.brin, sizeof(s.brin), "12AB");
	snprintf(s.slug, sizeof(s.slug), "regenboog");
	assert_int_equal(store_school_add(f->st, &s), ERR_OK);
	f->school = s.id;
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
   int jaargroep)
{
	struct student s;

	memset(&s, 0, sizeof(s));
	snprintf(s.number, sizeof(s.number), "%s", number);
	snprintf(s.number_key, sizeof(s.number_key), "%s", number);
	snprintf(s.roepnaam, sizeof(s.roepnaam), "%s", first);
	snprintf(s.achternaam, sizeof(s.achternaam), "%s", last);
	snprintf(s.group, sizeof(s.group), "%s", group);
	snprintf(s.group_key, sizeof(s.group_key), "%s", group);
	s.birth = 20150101;
	s.jaargroep = (int8_t)jaargroep;
	s.active = true;
	return s;
}

/* The open preview that the last stage() replaced (0: none). */
static int64_t replaced;

/* Diff file against the stored roster and stage it as a file of layout
 * with what x holds (may be NULL); returns the id. */
static int64_t
stage_as(struct fx *f, const struct student *file, size_t n, const char *layout,
         const struct import_extra *x)
{
	static const struct diff_limits lim = DIFF_LIMITS_DEFAULT;
	struct student *roster, *rows = calloc(n ? n : 1, sizeof(*rows));
	size_t nroster;
	int64_t version;
	struct plan p;
	struct import_rec rec;

	assert_int_equal(store_roster_load(f->st, f->school, &roster, &nroster,
	                                   &version),
	                 ERR_OK);
	memcpy(rows, file, n * sizeof(*rows));
	diff_build(&p, rows, n, roster, nroster, version, &lim);
	memset(&rec, 0, sizeof(rec));
	rec.school_id = f->school;
	snprintf(rec.filename, sizeof(rec.filename), "leerlingen.xlsx");
	snprintf(rec.format, sizeof(rec.format), "xlsx");
	snprintf(rec.layout, sizeof(rec.layout), "%s", layout);
	assert_int_equal(store_import_stage(f->st, &who, &rec, &p, x), ERR_OK);
	plan_release(&p);
	free(roster);
	free(rows);
	replaced = rec.replaced;
	return rec.id;
}

/* Stage file as a generic file without issues; returns the id. */
static int64_t
stage(struct fx *f, const struct student *file, size_t n)
{
	return stage_as(f, file, n, "generic", NULL);
}

/* The roster as text, one line per student, for exact comparisons. */
static char *
roster_text(struct fx *f)
{
	struct student *r;
	size_t n;
	int64_t version;
	struct buf b;
	char *text;

	assert_int_equal(store_roster_load(f->st, f->school, &r, &n, &version),
	                 ERR_OK);
	buf_init(&b, 1 << 20);
	for (size_t i = 0; i < n; i++)
		buf_addf(&b, "%lld %s %s %s %s %d %d %lld %lld\n",
		         (long long)r[i].id, r[i].number, r[i].roepnaam,
		         r[i].achternaam, r[i].group, r[i].jaargroep,
		         r[i].active, (long long)r[i].enrolled,
		         (long long)r[i].left_at);
	free(r);
	text = buf_detach(&b, NULL);
	buf_release(&b);
	return text;
}

static size_t
active_count(struct fx *f)
{
	struct student *r;
	size_t n, active = 0;
	int64_t version;

	assert_int_equal(store_roster_load(f->st, f->school, &r, &n, &version),
	                 ERR_OK);
	for (size_t i = 0; i < n; i++)
		active += r[i].active;
	free(r);
	return active;
}

static void
year1_file(struct student out[3])
{
	out[0] = mk("1", "Sanne", "Vries", "3a", 3);
	out[1] = mk("2", "Daan", "Jansen", "4a", 4);
	out[2] = mk("3", "Noor", "Berg", "8a", 8);
}

static void
a_preview_changes_nothing_until_applied(void **state)
{
	struct fx *f = *state;
	struct student file[3];
	struct import_rec rec;
	enum import_state st;
	int64_t id;

	year1_file(file);
	id = stage(f, file, 3);
	assert_int_equal(active_count(f), 0);
	assert_int_equal(store_import_get(f->st, f->school, id, &rec), ERR_OK);
	assert_int_equal(rec.state, IMPORT_PREVIEW);
	assert_int_equal(rec.counts[CHANGE_NEW], 3);
	assert_int_equal(
	        store_import_apply(f->st, &who, f->school, id, 100, &st),
	        ERR_OK);
	assert_int_equal(st, IMPORT_APPLIED);
	assert_int_equal(active_count(f), 3);
}

static void
applying_twice_applies_once(void **state)
{
	struct fx *f = *state;
	struct student file[3];
	enum import_state st;
	int64_t id;

	year1_file(file);
	id = stage(f, file, 3);
	assert_int_equal(
	        store_import_apply(f->st, &who, f->school, id, 100, &st),
	        ERR_OK);
	assert_int_equal(
	        store_import_apply(f->st, &who, f->school, id, 101, &st),
	        ERR_STATE);
	assert_int_equal(st, IMPORT_APPLIED);
	assert_int_equal(active_count(f), 3);
}

static void
a_preview_of_an_older_roster_is_refused(void **state)
{
	struct fx *f = *state;
	struct student file[3], file2[1];
	enum import_state st;
	int64_t a, b;
	char *before;

	/* b is computed from a's roster; undoing a changes the roster */
	year1_file(file);
	file2[0] = mk("9", "Mila", "Mulder", "1a", 1);
	a = stage(f, file, 3);
	assert_int_equal(
	        store_import_apply(f->st, &who, f->school, a, 100, &st),
	        ERR_OK);
	b = stage(f, file2, 1);
	assert_int_equal(store_import_undo(f->st, &who, f->school, a, 101, &st),
	                 ERR_OK);
	before = roster_text(f);
	assert_int_equal(
	        store_import_apply(f->st, &who, f->school, b, 102, &st),
	        ERR_CONFLICT);
	assert_int_equal(st, IMPORT_PREVIEW);
	char *after = roster_text(f);
	assert_string_equal(before, after);
	free(before);
	free(after);
}

static int
count_replaced(const struct audit_entry *r, void *arg)
{
	if (strstr(r->detail, "replaced by") != NULL)
		(*(int *)arg)++;
	return 0;
}

static void
a_new_preview_replaces_the_open_one(void **state)
{
	struct fx *f = *state;
	struct student file[3], file2[1];
	enum import_state st;
	struct import_rec rec;
	int64_t a, b, c;
	int audited = 0;

	year1_file(file);
	file2[0] = mk("9", "Mila", "Mulder", "1a", 1);
	a = stage(f, file, 3);
	assert_int_equal(replaced, 0);
	b = stage(f, file2, 1);
	assert_int_equal(replaced, a);
	assert_int_equal(store_import_get(f->st, f->school, a, &rec), ERR_OK);
	assert_int_equal(rec.state, IMPORT_CANCELLED);
	assert_int_equal(
	        store_import_apply(f->st, &who, f->school, a, 100, &st),
	        ERR_STATE);
	assert_int_equal(active_count(f), 0);
	/* an applied import is not a preview: nothing to replace */
	assert_int_equal(
	        store_import_apply(f->st, &who, f->school, b, 101, &st),
	        ERR_OK);
	c = stage(f, file, 3);
	assert_int_equal(replaced, 0);
	assert_int_equal(store_import_get(f->st, f->school, b, &rec), ERR_OK);
	assert_int_equal(rec.state, IMPORT_APPLIED);
	assert_int_equal(store_import_get(f->st, f->school, c, &rec), ERR_OK);
	assert_int_equal(rec.state, IMPORT_PREVIEW);
	/* in the school's library's log, written inside the import's
	 * transaction */
	store_audit_list(f->st,
	                 &(struct audit_filter){
	                         .library_id = 1, .event = -1, .limit = 100 },
	                 count_replaced, &audited);
	assert_int_equal(audited, 1);
}

static void
undo_restores_the_roster_exactly(void **state)
{
	struct fx *f = *state;
	struct student file[3], next[3];
	enum import_state st;
	struct import_rec rec;
	int64_t a, b;
	char *before, *after;

	year1_file(file);
	a = stage(f, file, 3);
	assert_int_equal(
	        store_import_apply(f->st, &who, f->school, a, 100, &st),
	        ERR_OK);
	before = roster_text(f);
	next[0] = mk("1", "Sanne", "de Vries", "4a", 4); /* moved */
	next[1] = mk("5", "Daan", "Jansen", "5a", 5);    /* renumbered */
	next[2] = mk("9", "Mila", "Mulder", "1a", 1);    /* new; 3 left */
	b = stage(f, next, 3);
	assert_int_equal(store_import_get(f->st, f->school, b, &rec), ERR_OK);
	assert_int_equal(rec.counts[CHANGE_MOVED], 1);
	assert_int_equal(rec.counts[CHANGE_RENUMBERED], 1);
	assert_int_equal(rec.counts[CHANGE_NEW], 1);
	assert_int_equal(rec.counts[CHANGE_LEFT], 1);
	assert_int_equal(
	        store_import_apply(f->st, &who, f->school, b, 200, &st),
	        ERR_OK);
	after = roster_text(f);
	assert_string_not_equal(before, after);
	free(after);
	/* The first import is not the last any more. */
	assert_int_equal(store_import_undo(f->st, &who, f->school, a, 300, &st),
	                 ERR_STATE);
	assert_int_equal(store_import_undo(f->st, &who, f->school, b, 300, &st),
	                 ERR_OK);
	assert_int_equal(st, IMPORT_UNDONE);
	after = roster_text(f);
	assert_string_equal(before, after);
	free(after);
	free(before);
	/* Undone once is undone. */
	assert_int_equal(store_import_undo(f->st, &who, f->school, b, 301, &st),
	                 ERR_STATE);
}

static void
a_leaver_returns_through_reenrolment_and_undo_restores_left(void **state)
{
	struct fx *f = *state;
	struct student file[3], two[2];
	enum import_state st;
	int64_t id;
	char *before, *after;

	year1_file(file);
	id = stage(f, file, 3);
	store_import_apply(f->st, &who, f->school, id, 100, &st);
	two[0] = file[0];
	two[1] = file[1];
	id = stage(f, two, 2); /* Noor leaves */
	store_import_apply(f->st, &who, f->school, id, 200, &st);
	before = roster_text(f);
	id = stage(f, file, 3); /* Noor returns */
	store_import_apply(f->st, &who, f->school, id, 300, &st);
	assert_int_equal(active_count(f), 3);
	assert_int_equal(
	        store_import_undo(f->st, &who, f->school, id, 400, &st),
	        ERR_OK);
	after = roster_text(f);
	assert_string_equal(before, after);
	free(before);
	free(after);
}

static void
cancel_and_other_schools_ids(void **state)
{
	struct fx *f = *state;
	struct student file[3];
	enum import_state st;
	struct import_rec rec;
	int64_t id;

	year1_file(file);
	id = stage(f, file, 3);
	assert_int_equal(
	        store_import_apply(f->st, &who, f->school + 1, id, 1, &st),
	        ERR_NOTFOUND);
	assert_int_equal(store_import_get(f->st, f->school + 1, id, &rec),
	                 ERR_NOTFOUND);
	assert_int_equal(
	        store_import_cancel(f->st, &who, f->school, id, 2, &st),
	        ERR_OK);
	assert_int_equal(store_import_apply(f->st, &who, f->school, id, 3, &st),
	                 ERR_STATE);
	assert_int_equal(st, IMPORT_CANCELLED);
	assert_int_equal(active_count(f), 0);
}

static int
count_changes(enum change_kind kind, const struct student *before,
              const struct student *after, void *arg)
{
	struct buf *names = arg;

	(void)kind;
	if (before != NULL)
		buf_addf(names, "%s|", before->roepnaam);
	if (after != NULL)
		buf_addf(names, "%s|", after->roepnaam);
	return 0;
}

static void
purge_expires_previews_and_anonymises_leavers(void **state)
{
	struct fx *f = *state;
	struct student file[3], one[1];
	enum import_state st;
	struct purge_counts pc;
	struct import_rec rec;
	int64_t a, b, c;
	struct buf names;
	char *before;

	buf_init(&names, 4096);
	year1_file(file);
	a = stage(f, file, 3);
	store_import_apply(f->st, &who, f->school, a, 100, &st);
	one[0] = file[0];
	b = stage(f, one, 1);
	store_import_apply(f->st, &who, f->school, b, 200, &st); /* two leave */
	c = stage(f, file, 3);                                   /* left open */
	assert_int_equal(store_purge(f->st, &who, INT64_MAX, 250, &pc), ERR_OK);
	assert_int_equal(pc.previews, 1);
	assert_int_equal(pc.anonymised, 2);
	assert_int_equal(pc.imports, 3); /* a and b applied before 250, c */
	assert_int_equal(store_import_get(f->st, f->school, c, &rec), ERR_OK);
	assert_int_equal(rec.state, IMPORT_EXPIRED);
	assert_int_equal(active_count(f), 1);
	/* The journals no longer hold the leavers' names (nor, past the
	 * retention, anyone's); the roster holds the one who stayed. */
	store_import_changes(f->st, a, count_changes, &names);
	store_import_changes(f->st, b, count_changes, &names);
	store_import_changes(f->st, c, count_changes, &names);
	assert_null(strstr(names.data, "Daan"));
	assert_null(strstr(names.data, "Noor"));
	assert_null(strstr(names.data, "Sanne"));
	buf_release(&names);
	before = roster_text(f);
	assert_non_null(strstr(before, "Sanne"));
	assert_null(strstr(before, "Daan"));
	free(before);
}

/* Issues about pupils, as the reader gives them. */
static const struct roster_issue pupil_issues[] = {
	{ .code = ROSTER_I_COLUMN_DROPPED,
	  .row = 1,
	  .col = 7,
	  .text = "Adres" },
	{ .code = ROSTER_E_DATE_IMPOSSIBLE,
	  .row = 4,
	  .col = 5,
	  .text = "31-02-2015",
	  .name = "Finn Meijer",
	  .number = "6003" },
	{ .code = ROSTER_E_NUMBER_DUPLICATE,
	  .row = 5,
	  .col = 1,
	  .arg = 3,
	  .text = "6002",
	  .name = "Sara de Vries",
	  .number = "6002",
	  .other = "Daan van den Berg" },
};

/* Stage file with pupil_issues for a ParnasSys file; returns the id. */
static int64_t
stage_with_issues(struct fx *f, const struct student *file, size_t n)
{
	const struct import_extra x = {
		.issues = pupil_issues,
		.nissues = sizeof(pupil_issues) / sizeof(pupil_issues[0]),
	};

	return stage_as(f, file, n, "ParnasSys", &x);
}

struct issue_list {
	struct roster_issue is[8];
	size_t n;
};

static int
collect_issue(const struct roster_issue *is, void *arg)
{
	struct issue_list *l = arg;

	if (l->n < 8)
		l->is[l->n] = *is;
	l->n++;
	return 0;
}

static size_t
issues_of(struct fx *f, int64_t id, struct issue_list *l)
{
	memset(l, 0, sizeof(*l));
	assert_int_equal(store_import_issues(f->st, id, collect_issue, l),
	                 ERR_OK);
	return l->n;
}

/* An issue keeps its pupil (name, number, the other of a duplicate) and
 * comes back with its file's layout, so that it says where to fix it. */
static void
issues_keep_their_pupil_and_layout(void **state)
{
	struct fx *f = *state;
	struct student file[3];
	struct issue_list l;
	struct buf b;
	int64_t id;

	year1_file(file);
	id = stage_with_issues(f, file, 3);
	assert_int_equal(issues_of(f, id, &l), 3);
	assert_string_equal(l.is[0].name, "");
	assert_string_equal(l.is[0].text, "Adres");
	assert_string_equal(l.is[1].name, "Finn Meijer");
	assert_string_equal(l.is[1].number, "6003");
	assert_string_equal(l.is[1].text, "31-02-2015");
	assert_int_equal(l.is[1].layout, ROSTER_LAYOUT_PARNASSYS);
	assert_string_equal(l.is[2].other, "Daan van den Berg");
	assert_int_equal(l.is[2].arg, 3);
	buf_init(&b, 4096);
	roster_issue_say(&b, &l.is[1], LANG_NL, 0);
	assert_string_equal(
	        b.data,
	        "rij 4 – Finn Meijer (6003): geboortedatum 31-02-2015 bestaat niet. Pas de geboortedatum van deze leerling aan in ParnasSys en maak de export opnieuw.");
	buf_release(&b);
}

/* The birth date 20150101 (year1_file) as SQLite stores the integer. */
static const char birth_bytes[] = { 0x01, 0x33, 0x77, 0x55, 0 };

/* Does the database file (after a checkpoint of its WAL) hold text?  On
 * PostgreSQL: does any row (holds.h)? */
static bool
file_holds(struct fx *f, const char *text)
{
	char path[128];
	sqlite3 *db;
	FILE *in;
	char *data;
	size_t n, len = strlen(text);
	bool found = false;

	if (tu_is_pg(f->url))
		return tu_pg_holds(f->url,
		                   text == birth_bytes ? "20150101" : text);
	snprintf(path, sizeof(path), "%s/db", f->dir);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)",
	                              NULL, NULL, NULL),
	                 SQLITE_OK);
	sqlite3_close(db);
	in = fopen(path, "rb");
	assert_non_null(in);
	data = malloc(1 << 22);
	n = fread(data, 1, 1 << 22, in);
	fclose(in);
	for (size_t i = 0; !found && i + len <= n; i++)
		found = memcmp(data + i, text, len) == 0;
	free(data);
	return found;
}

/* The purge removes the pupils' names with the rest of an import's
 * report: a cancelled or expired preview's at once, an applied import's
 * after the retention period (import_purge passes now - retention). */
static void
purge_removes_the_pupils_named_in_issues(void **state)
{
	struct fx *f = *state;
	struct student file[3];
	struct issue_list l;
	enum import_state st;
	struct purge_counts pc;
	int64_t cancelled, expired, applied;

	year1_file(file);
	cancelled = stage_with_issues(f, file, 3);
	assert_int_equal(
	        store_import_cancel(f->st, &who, f->school, cancelled, 2, &st),
	        ERR_OK);
	expired = stage_with_issues(f, file, 3);
	/* nothing expires yet, nothing is past the retention */
	assert_int_equal(store_purge(f->st, &who, 0, 0, &pc), ERR_OK);
	assert_int_equal(issues_of(f, cancelled, &l), 0);
	assert_int_equal(issues_of(f, expired, &l), 3);
	/* the preview expires */
	assert_int_equal(store_purge(f->st, &who, INT64_MAX, 0, &pc), ERR_OK);
	assert_int_equal(pc.previews, 1);
	assert_int_equal(issues_of(f, expired, &l), 0);
	/* an applied import keeps its report until the retention ends */
	applied = stage_with_issues(f, file, 3);
	assert_int_equal(
	        store_import_apply(f->st, &who, f->school, applied, 100, &st),
	        ERR_OK);
	assert_int_equal(store_purge(f->st, &who, 0, 0, &pc), ERR_OK);
	assert_int_equal(issues_of(f, applied, &l), 3);
	assert_string_equal(l.is[1].name, "Finn Meijer");
	assert_true(file_holds(f, "Finn Meijer")); /* the search finds it */
	assert_int_equal(store_purge(f->st, &who, 0, INT64_MAX, &pc), ERR_OK);
	assert_int_equal(issues_of(f, applied, &l), 0);
	/* and the database file holds none of them any more */
	assert_false(file_holds(f, "Finn Meijer"));
	assert_false(file_holds(f, "Sara de Vries"));
	assert_false(file_holds(f, "Daan van den Berg"));
	assert_false(file_holds(f, "31-02-2015"));
}

/*
 * What the purge keeps of an import's pupils, kind by kind (issue 12,
 * point 4): an undone, cancelled or expired import keeps nothing of them
 * past the preview time-out (store_purge's previews_before), an applied
 * one nothing past the retention (left_before); the file's name goes with
 * them.  Each test looks at the journal through the store and at the
 * database file as raw bytes.
 */

/* The names in import id's journal, "|"-separated; "" when none. */
static char *
journal_names(struct fx *f, int64_t id)
{
	struct buf names;
	char *text;

	buf_init(&names, 4096);
	assert_int_equal(store_import_changes(f->st, id, count_changes, &names),
	                 ERR_OK);
	text = buf_detach(&names, NULL);
	buf_release(&names);
	return text != NULL ? text : calloc(1, 1);
}

/* None of year1_file's pupils, nor the file's name, is in import id or in
 * the database file. */
static void
assert_forgotten(struct fx *f, int64_t id)
{
	struct import_rec rec;
	char *names = journal_names(f, id);

	assert_null(strstr(names, "Sanne"));
	assert_null(strstr(names, "Daan"));
	free(names);
	assert_int_equal(store_import_get(f->st, f->school, id, &rec), ERR_OK);
	assert_string_equal(rec.filename, "");
	assert_false(file_holds(f, "Sanne"));
	assert_false(file_holds(f, "Jansen"));
	assert_false(file_holds(f, "leerlingen.xlsx"));
	assert_false(file_holds(f, birth_bytes));
}

static void
purge_forgets_an_undone_import_after_the_preview_time(void **state)
{
	struct fx *f = *state;
	struct student file[3];
	enum import_state st;
	struct purge_counts pc;
	int64_t id;
	char *names;

	year1_file(file);
	id = stage(f, file, 3);
	assert_int_equal(
	        store_import_apply(f->st, &who, f->school, id, 100, &st),
	        ERR_OK);
	assert_int_equal(
	        store_import_undo(f->st, &who, f->school, id, 200, &st),
	        ERR_OK);
	/* undone at 200: kept while the preview time-out lasts */
	assert_int_equal(store_purge(f->st, &who, 200, 0, &pc), ERR_OK);
	names = journal_names(f, id);
	assert_non_null(strstr(names, "Sanne"));
	free(names);
	assert_true(file_holds(f, "Sanne")); /* the search finds it */
	assert_true(file_holds(f, birth_bytes));
	/* and gone after it */
	assert_int_equal(store_purge(f->st, &who, 201, 0, &pc), ERR_OK);
	assert_forgotten(f, id);
}

static void
purge_forgets_a_cancelled_import(void **state)
{
	struct fx *f = *state;
	struct student file[3];
	enum import_state st;
	struct purge_counts pc;
	int64_t id;

	year1_file(file);
	id = stage(f, file, 3);
	assert_int_equal(
	        store_import_cancel(f->st, &who, f->school, id, 2, &st),
	        ERR_OK);
	assert_true(file_holds(f, "leerlingen.xlsx"));
	assert_int_equal(store_purge(f->st, &who, 0, 0, &pc), ERR_OK);
	assert_forgotten(f, id);
}

static void
purge_forgets_an_expired_preview(void **state)
{
	struct fx *f = *state;
	struct student file[3];
	struct purge_counts pc;
	struct import_rec rec;
	int64_t id;

	year1_file(file);
	id = stage(f, file, 3);
	assert_int_equal(store_purge(f->st, &who, INT64_MAX, 0, &pc), ERR_OK);
	assert_int_equal(pc.previews, 1);
	assert_int_equal(store_import_get(f->st, f->school, id, &rec), ERR_OK);
	assert_int_equal(rec.state, IMPORT_EXPIRED);
	assert_forgotten(f, id);
}

/* An applied import past the retention keeps its counts and the kinds of
 * its lines, not its pupils (the roster still holds the active ones), and
 * can no longer be undone: there is nothing left to restore. */
static void
purge_anonymises_an_applied_import_after_the_retention(void **state)
{
	struct fx *f = *state;
	struct student file[3];
	enum import_state st;
	struct purge_counts pc;
	struct import_rec rec;
	int64_t id;
	char *names, *before, *after;

	year1_file(file);
	id = stage(f, file, 3);
	assert_int_equal(
	        store_import_apply(f->st, &who, f->school, id, 100, &st),
	        ERR_OK);
	before = roster_text(f);
	assert_int_equal(store_purge(f->st, &who, INT64_MAX, 101, &pc), ERR_OK);
	names = journal_names(f, id);
	assert_string_equal(names, "|||");
	free(names);
	assert_int_equal(store_import_get(f->st, f->school, id, &rec), ERR_OK);
	assert_int_equal(rec.state, IMPORT_APPLIED);
	assert_int_equal(rec.counts[CHANGE_NEW], 3);
	assert_string_equal(rec.filename, "");
	assert_false(file_holds(f, "leerlingen.xlsx"));
	assert_int_equal(
	        store_import_undo(f->st, &who, f->school, id, 300, &st),
	        ERR_STATE);
	after = roster_text(f);
	assert_string_equal(before, after);
	free(before);
	free(after);
}

static void
purge_keeps_an_applied_import_within_the_retention(void **state)
{
	struct fx *f = *state;
	struct student file[3];
	enum import_state st;
	struct purge_counts pc;
	struct import_rec rec;
	int64_t id;
	char *names;

	year1_file(file);
	id = stage(f, file, 3);
	assert_int_equal(
	        store_import_apply(f->st, &who, f->school, id, 100, &st),
	        ERR_OK);
	assert_int_equal(store_purge(f->st, &who, INT64_MAX, 100, &pc), ERR_OK);
	names = journal_names(f, id);
	assert_non_null(strstr(names, "Sanne"));
	assert_non_null(strstr(names, "Noor"));
	free(names);
	assert_int_equal(store_import_get(f->st, f->school, id, &rec), ERR_OK);
	assert_string_equal(rec.filename, "leerlingen.xlsx");
	assert_true(file_holds(f, "leerlingen.xlsx"));
	assert_int_equal(
	        store_import_undo(f->st, &who, f->school, id, 300, &st),
	        ERR_OK);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		        a_preview_changes_nothing_until_applied, setup,
		        teardown),
		cmocka_unit_test_setup_teardown(applying_twice_applies_once,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(
		        a_preview_of_an_older_roster_is_refused, setup,
		        teardown),
		cmocka_unit_test_setup_teardown(
		        a_new_preview_replaces_the_open_one, setup, teardown),
		cmocka_unit_test_setup_teardown(
		        undo_restores_the_roster_exactly, setup, teardown),
		cmocka_unit_test_setup_teardown(
		        a_leaver_returns_through_reenrolment_and_undo_restores_left,
		        setup, teardown),
		cmocka_unit_test_setup_teardown(cancel_and_other_schools_ids,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(
		        purge_expires_previews_and_anonymises_leavers, setup,
		        teardown),
		cmocka_unit_test_setup_teardown(
		        issues_keep_their_pupil_and_layout, setup, teardown),
		cmocka_unit_test_setup_teardown(
		        purge_removes_the_pupils_named_in_issues, setup,
		        teardown),
		cmocka_unit_test_setup_teardown(
		        purge_forgets_an_undone_import_after_the_preview_time,
		        setup, teardown),
		cmocka_unit_test_setup_teardown(
		        purge_forgets_a_cancelled_import, setup, teardown),
		cmocka_unit_test_setup_teardown(
		        purge_forgets_an_expired_preview, setup, teardown),
		cmocka_unit_test_setup_teardown(
		        purge_anonymises_an_applied_import_after_the_retention,
		        setup, teardown),
		cmocka_unit_test_setup_teardown(
		        purge_keeps_an_applied_import_within_the_retention,
		        setup, teardown),
	};

	return cmocka_run_group_tests_name("store/import", tests, NULL, NULL);
}
