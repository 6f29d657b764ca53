/*
 * bench/phases: the import's phases timed one by one, in one process,
 * through the library functions the command line uses (src/cli/import.c).
 *
 *   phases read FILE
 *       sheet_open + sheet_read of the first worksheet, counting cells:
 *       the readers alone, without output
 *   phases import --db URL --school SLUG FILE [--apply]
 *       file      read FILE into memory
 *       validate  roster_read_bytes (open, find the header, read,
 *                 normalise, validate)
 *       open      store_open + store_school_by_slug
 *       load      store_roster_load
 *       diff      diff_build
 *       summary   summary_columns + summary_groups
 *       stage     store_import_stage (the preview, its journal, columns,
 *                 groups and validation report)
 *       apply     store_import_apply (with --apply)
 *   phases feed --db URL
 *       feed      the whole change feed of library 1, read as the API
 *                 reads it: store_feed_list pages of 1,000 entries, each
 *                 page after the last entry of the one before
 *
 * validate + load + diff + summary is what import_read() (src/import/)
 * does, in the same order, and stage what import_stage() does.
 *
 * Prints one line per phase: "phase NAME WALL_MS CPU_MS RSS_KIB" (CPU: user
 * + system time of the process; RSS: its peak resident set size so far), then
 * "counts ..." with the plan's counts and the report's errors and warnings.
 * Limits are raised to 1 GiB of input and 2,000,000 students so the biggest
 * inputs fit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "../src/base/text.h"
#include "../src/cli/cli.h"
#include "../src/import/import.h"

static double t_last, cpu_last;

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static double
cpu_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void
phase(const char *name)
{
	struct rusage ru;
	double t = now_ms(), c = cpu_ms();

	getrusage(RUSAGE_SELF, &ru);
	printf("phase %-8s %9.1f %9.1f %8ld\n", name, t - t_last, c - cpu_last,
	       ru.ru_maxrss);
	fflush(stdout);
	t_last = now_ms();
	cpu_last = cpu_ms();
}

/* The whole file, or exit with the message cli_read_file printed. */
static char *
slurp(const char *path, size_t *len)
{
	char *data;

	if (cli_read_file(path, SIZE_MAX, &data, len) != ERR_OK)
		exit(1);
	return data;
}

static void
limits(struct sheet_limits *lim)
{
	sheet_limits_default(lim);
	lim->input_bytes = (size_t)1 << 30;
}

static enum err
count_row(void *ctx, const struct sheet_row *row)
{
	((size_t *)ctx)[0]++;
	((size_t *)ctx)[1] += row->ncells;
	return ERR_OK;
}

static int
phase_read(const char *path)
{
	struct sheet_limits lim;
	struct sheet_book *b;
	struct sheet_error se;
	size_t len, count[2] = { 0, 0 };
	char *data;

	t_last = now_ms();
	cpu_last = cpu_ms();
	data = slurp(path, &len);
	phase("file");
	limits(&lim);
	if (sheet_open(data, len, &lim, &b, &se) != ERR_OK ||
	    sheet_read(b, (size_t)sheet_first_worksheet(b), count_row, count,
	               &se) != ERR_OK) {
		fprintf(stderr, "phases: %s: %s\n", path, se.detail);
		return 1;
	}
	phase("read");
	printf("counts rows=%zu cells=%zu\n", count[0], count[1]);
	sheet_book_free(b);
	free(data);
	return 0;
}

static int32_t
today(void)
{
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	return (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}

static int
phase_import(const char *db, const char *slug, const char *path, bool apply)
{
	static const struct store_actor who = { 0, "bench", "bench" };
	struct diff_limits dl = DIFF_LIMITS_DEFAULT;
	struct sheet_limits lim;
	struct roster_opts ro;
	struct import_preview pv;
	struct import_extra x;
	struct store *st;
	struct school school;
	enum import_state state;
	size_t len;
	int64_t version;
	char msg[600], *data;
	enum err e;

	t_last = now_ms();
	cpu_last = cpu_ms();
	data = slurp(path, &len);
	phase("file");
	limits(&lim);
	roster_opts_default(&ro, today());
	memset(&pv, 0, sizeof(pv));
	e = roster_read_bytes(data, len, &lim, &ro, &pv.file, &pv.src, &pv.err);
	if (e != ERR_OK || pv.file.blocked) {
		fprintf(stderr, "phases: %s: %s (%zu errors)\n", path,
		        pv.err.detail, pv.file.nerrors);
		return 1;
	}
	phase("validate");
	if (store_open(db, &st, msg, sizeof(msg)) != ERR_OK ||
	    store_school_by_slug(st, slug, &school) != ERR_OK) {
		fprintf(stderr, "phases: %s: %s\n", db, msg);
		return 1;
	}
	phase("open");
	if (store_roster_load(st, school.id, &pv.roster, &pv.nroster,
	                      &version) != ERR_OK)
		return 1;
	phase("load");
	diff_build(&pv.plan, pv.file.students, pv.file.nstudents, pv.roster,
	           pv.nroster, version, &dl);
	phase("diff");
	pv.columns = summary_columns(&pv.file.header, &pv.ncolumns);
	pv.groups =
	        summary_groups(&pv.plan, pv.roster, pv.nroster, &pv.ngroups);
	phase("summary");
	x =
	        (struct import_extra){ pv.columns,     pv.ncolumns,
		                       pv.groups,      pv.ngroups,
		                       pv.file.issues, pv.file.nissues };
	pv.rec.school_id = school.id;
	if (store_import_stage(st, &who, &pv.rec, &pv.plan, &x) != ERR_OK)
		return 1;
	phase("stage");
	if (apply) {
		e = store_import_apply(st, &who, school.id, pv.rec.id,
		                       time_now(), &state);
		if (e != ERR_OK) {
			fprintf(stderr, "phases: apply: %s\n", err_str(e));
			return 1;
		}
		phase("apply");
	}
	printf("counts students=%zu roster=%zu errors=%zu warnings=%zu",
	       pv.file.nstudents, pv.nroster, pv.file.nerrors,
	       pv.file.nwarnings);
	for (int k = 0; k < CHANGE__MAX; k++)
		printf(" %s=%zu", change_word((enum change_kind)k),
		       pv.plan.counts[k]);
	printf("\n");
	import_preview_release(&pv);
	store_close(st);
	free(data);
	return 0;
}

static int
count_entry(const struct feed_entry *e, void *arg)
{
	struct feed_pos *pos = arg;

	*pos = e->pos;
	pos[1].seq++; /* entries read */
	return 0;
}

static int
phase_feed(const char *db)
{
	struct store *st;
	struct feed_pos pos[2] = { { 0, 0 }, { 0, 0 } };
	char msg[256];
	int64_t before;

	t_last = now_ms();
	cpu_last = cpu_ms();
	if (store_open(db, &st, msg, sizeof(msg)) != ERR_OK) {
		fprintf(stderr, "phases: %s\n", msg);
		return 1;
	}
	phase("open");
	do {
		before = pos[1].seq;
		if (store_feed_list(st, 1, 0, pos[0], 1000, count_entry, pos) !=
		    ERR_OK) {
			fprintf(stderr, "phases: reading the feed failed\n");
			store_close(st);
			return 1;
		}
	} while (pos[1].seq - before == 1000);
	phase("feed");
	printf("counts entries=%lld\n", (long long)pos[1].seq);
	store_close(st);
	return 0;
}

int
main(int argc, char **argv)
{
	const char *db = NULL, *slug = NULL, *path = NULL;
	bool apply = false;

	if (argc == 3 && strcmp(argv[1], "read") == 0)
		return phase_read(argv[2]);
	if (argc == 4 && strcmp(argv[1], "feed") == 0 &&
	    strcmp(argv[2], "--db") == 0)
		return phase_feed(argv[3]);
	if (argc < 2 || strcmp(argv[1], "import") != 0)
		goto usage;
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--db") == 0 && i + 1 < argc)
			db = argv[++i];
		else if (strcmp(argv[i], "--school") == 0 && i + 1 < argc)
			slug = argv[++i];
		else if (strcmp(argv[i], "--apply") == 0)
			apply = true;
		else if (argv[i][0] != '-' && path == NULL)
			path = argv[i];
		else
			goto usage;
	}
	if (db != NULL && slug != NULL && path != NULL)
		return phase_import(db, slug, path, apply);
usage:
	fprintf(stderr,
	        "usage: phases read FILE\n"
	        "       phases feed --db URL\n"
	        "       phases import --db URL --school SLUG FILE [--apply]\n");
	return 2;
}
