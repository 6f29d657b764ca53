/*
 * `biebsync import --school SLUG FILE [--apply [--confirm-guard] | --stage]
 *  [--json]`
 *
 * Reads a school's student list exactly as an upload is read, compares it
 * with the school's roster and prints the validation report and the change
 * plan.  Without --apply nothing changes.  With --apply the plan is staged
 * and applied in one transaction; a plan that trips a guard (many
 * unenrolments, or hardly any match with the roster) is applied only with
 * --confirm-guard.  A file with blocking errors is never applied.  --stage
 * saves the preview and prints its id, for `biebsync admin import apply`.
 *
 * The rules are the import layer's (src/import/); this file only prints.
 *
 * Exit status: 0 previewed or applied; 1 refused (unreadable file, blocking
 * errors, a guard without --confirm-guard, a roster that changed); 2 usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "../base/mem.h"
#include "../base/strparse.h"
#include "../base/text.h"

struct run {
	struct config c;
	struct import_config ic;
	struct store *st;
	struct school school;
	const char *path;
	char *data;
	size_t len;
	struct import_preview pv;
	enum lang lang;
	bool json, apply, stage, confirm;
};

static void
print_plan(const struct run *r)
{
	const struct plan *p = &r->pv.plan;

	fputs(cli_msg(CM_PLAN_CHANGES), stdout);
	cli_print_counts(r->pv.rec.counts);
	if (p->kept > 0)
		printf(cli_msg(CM_PLAN_KEPT), p->kept);
	for (int i = 0; i < CHANGE__MAX; i++) {
		enum change_kind k = change_order[i];

		if (!change_listed(k) || p->counts[k] == 0)
			continue;
		printf("\n%s:\n", change_label(k, r->lang));
		for (size_t j = 0; j < p->nchanges; j++)
			if (p->changes[j].kind == k)
				cli_print_change(p->changes[j].before,
				                 p->changes[j].after);
	}
	cli_print_groups(r->pv.groups, r->pv.ngroups);
}

static void
print_guard(const struct run *r)
{
	const struct plan *p = &r->pv.plan;

	if (p->guard_unenrol)
		printf(cli_msg(CM_GUARD_UNENROL), p->counts[CHANGE_LEFT],
		       p->active_before,
		       p->counts[CHANGE_LEFT] * 100 / p->active_before);
	if (p->guard_match)
		printf(cli_msg(CM_GUARD_MATCH), p->matched, p->active_before);
}

static void
print_text(const struct run *r)
{
	printf(cli_msg(CM_IMPORT_FILE), r->path,
	       sheet_format_name(r->pv.src.format), r->len);
	printf(cli_msg(CM_IMPORT_SCHOOL), r->school.name);
	cli_print_understanding(&r->pv.file, &r->pv.src);
	if (!r->pv.file.blocked) {
		printf("\n");
		print_plan(r);
		print_guard(r);
		if (import_nothing_changes(&r->pv.rec))
			fputs(cli_msg(CM_NOTHING_CHANGES), stdout);
	}
}

static void
json_student(const struct student *s)
{
	char born[16] = "";

	if (s->birth)
		snprintf(born, sizeof(born), "%04d-%02d-%02d", s->birth / 10000,
		         s->birth / 100 % 100, s->birth % 100);
	printf("{\"number\":");
	cli_json_str(stdout, s->number);
	printf(",\"roepnaam\":");
	cli_json_str(stdout, s->roepnaam);
	printf(",\"tussenvoegsel\":");
	cli_json_str(stdout, s->tussenvoegsel);
	printf(",\"achternaam\":");
	cli_json_str(stdout, s->achternaam);
	printf(",\"birth\":");
	cli_json_str(stdout, born);
	printf(",\"group\":");
	cli_json_str(stdout, s->group);
	if (s->jaargroep == JAARGROEP_UNKNOWN)
		printf(",\"jaargroep\":null}");
	else
		printf(",\"jaargroep\":%d}", s->jaargroep);
}

static const char *const field_words[FIELD__MAX] = {
	[FIELD_NUMBER] = "number",
	[FIELD_ROEPNAAM] = "roepnaam",
	[FIELD_TUSSENVOEGSEL] = "tussenvoegsel",
	[FIELD_ACHTERNAAM] = "achternaam",
	[FIELD_BIRTH] = "birth",
	[FIELD_GROUP] = "group",
	[FIELD_JAARGROEP] = "jaargroep",
};

static void
json_change(const struct change *c)
{
	struct field_change f[FIELD__MAX];
	size_t n = c->before && c->after ? change_fields(c->before, c->after, f)
	                                 : 0;

	printf("{\"kind\":\"%s\"", change_word(c->kind));
	if (c->before) {
		printf(",\"before\":");
		json_student(c->before);
	}
	if (c->after) {
		printf(",\"after\":");
		json_student(c->after);
	}
	printf(",\"fields\":[");
	for (size_t i = 0; i < n; i++)
		printf("%s\"%s\"", i ? "," : "", field_words[f[i].field]);
	printf("]}");
}

static void
json_groups(const struct run *r)
{
	printf(",\"groups\":[");
	for (size_t i = 0; i < r->pv.ngroups; i++) {
		const struct group_line *g = &r->pv.groups[i];

		printf("%s{\"before\":", i ? "," : "");
		cli_json_str(stdout, g->before);
		printf(",\"after\":");
		cli_json_str(stdout, g->after);
		printf(",\"students_before\":%lld,\"students_after\":%lld,"
		       "\"code\":",
		       (long long)g->n_before, (long long)g->n_after);
		cli_json_str(stdout, g->code);
		printf("}");
	}
	printf("]");
}

static void
print_json(const struct run *r, int64_t applied_id, int64_t preview_id)
{
	const struct roster_header *h = &r->pv.file.header;
	const struct plan *p = &r->pv.plan;
	struct buf b;

	printf("{\"file\":");
	cli_json_str(stdout, r->path);
	printf(",\"format\":\"%s\",\"bytes\":%zu,\"sha256\":\"%s\","
	       "\"layout\":",
	       sheet_format_name(r->pv.src.format), r->len, r->pv.rec.sha256);
	cli_json_str(stdout,
	             h->usable ? roster_layout_name(h->layout, LANG_EN) : "");
	printf(",\"sheet\":");
	cli_json_str(stdout, r->pv.src.sheet_name);
	printf(",\"header_row\":%u,\"columns\":[", h->row);
	for (size_t i = 0; i < h->ncolumns; i++) {
		const struct roster_column *c = &h->columns[i];

		printf("%s{\"col\":%u,\"header\":", i ? "," : "", c->col);
		cli_json_str(stdout, c->header);
		printf(",\"field\":");
		cli_json_str(stdout,
		             c->use == ROSTER_USE_FIELD
		                     ? roster_field_name(c->field, LANG_EN)
		                     : "");
		printf(",\"stored\":%s}",
		       roster_column_stored(c) ? "true" : "false");
	}
	printf("],\"errors\":%zu,\"warnings\":%zu,\"blocked\":%s,\"issues\":[",
	       r->pv.file.nerrors, r->pv.file.nwarnings,
	       r->pv.file.blocked ? "true" : "false");
	buf_init(&b, 4096);
	for (size_t i = 0; i < r->pv.file.nissues; i++) {
		const struct roster_issue *is = &r->pv.file.issues[i];

		buf_reset(&b);
		roster_issue_format(&b, is, r->lang);
		printf("%s{\"code\":\"%s\",\"row\":%u,\"col\":%u,"
		       "\"severity\":\"%s\",\"message\":",
		       i ? "," : "", roster_code_name(is->code), is->row,
		       is->col,
		       roster_code_severity(is->code) == ROSTER_SEV_ERROR
		               ? "error"
		       : roster_code_severity(is->code) == ROSTER_SEV_WARNING
		               ? "warning"
		               : "info");
		cli_json_str(stdout, b.data);
		/* the pupil of a row ("" for the file or a column) */
		printf(",\"name\":");
		cli_json_str(stdout, is->name);
		printf(",\"number\":");
		cli_json_str(stdout, is->number);
		printf("}");
	}
	buf_release(&b);
	printf("],\"counts\":{");
	for (int k = 0; k < CHANGE__MAX; k++)
		printf("%s\"%s\":%zu", k ? "," : "",
		       change_word((enum change_kind)k), p->counts[k]);
	printf("},\"guard\":{\"unenrol\":%s,\"match\":%s,"
	       "\"active\":%zu,\"matched\":%zu},\"changes\":[",
	       p->guard_unenrol ? "true" : "false",
	       p->guard_match ? "true" : "false", p->active_before, p->matched);
	for (size_t i = 0, n = 0; i < p->nchanges; i++)
		if (change_listed(p->changes[i].kind)) {
			printf("%s", n++ ? "," : "");
			json_change(&p->changes[i]);
		}
	printf("]");
	json_groups(r);
	printf(",\"nothing_changes\":%s,\"preview\":",
	       import_nothing_changes(&r->pv.rec) ? "true" : "false");
	if (preview_id)
		printf("%lld", (long long)preview_id);
	else
		printf("null");
	if (r->pv.rec.replaced)
		printf(",\"replaced\":%lld", (long long)r->pv.rec.replaced);
	printf(",\"applied\":");
	if (applied_id)
		printf("%lld}\n", (long long)applied_id);
	else
		printf("null}\n");
}

/* The sheet problem as the school should read it; the detail to stderr. */
static int
refuse_file(const struct run *r, enum err e, const struct sheet_error *se)
{
	if (e == ERR_LIMIT && se->problem == SHEET_OK)
		printf(cli_msg(CM_FILE_TOO_LARGE),
		       (unsigned long long)(r->c.max_upload >> 20));
	else
		cli_print_problem(se->problem, r->path);
	if (se->problem != SHEET_OK)
		fprintf(stderr, "biebsync: %s: %s\n",
		        sheet_problem_str(se->problem), se->detail);
	return EXIT_REFUSED;
}

static const struct store_actor cli_who = { 0, "cli", "cli" };

/* Why nothing was applied, where the caller reads it. */
static int
refuse(const struct run *r, enum import_outcome o)
{
	/* with --json, stdout holds the JSON object only */
	FILE *out = r->json ? stderr : stdout;

	fprintf(out, "\n%s %s%s\n", cli_msg(CM_NOT_APPLIED),
	        import_outcome_text(o, r->lang),
	        o == IMPORT_GUARD_NEEDED ? cli_msg(CM_RUN_WITH_CONFIRM_GUARD)
	                                 : "");
	return EXIT_REFUSED;
}

static int
apply(struct run *r, int64_t *applied_id)
{
	struct import_rec rec;
	enum import_outcome o;
	enum err e;

	/* checked before staging, so a refusal leaves no preview behind */
	o = import_may_confirm(&r->ic, &r->pv.rec, r->confirm, time_now());
	if (o != IMPORT_OK)
		return refuse(r, o);
	if ((e = import_stage(r->st, &cli_who, &r->pv)) != ERR_OK) {
		fprintf(stderr, "biebsync: stage: %s\n", err_str(e));
		return refuse(r, import_outcome_of(e));
	}
	o = import_confirm(r->st, &r->ic, &cli_who, r->school.id, r->pv.rec.id,
	                   r->confirm, &rec);
	if (o != IMPORT_OK)
		return refuse(r, o);
	*applied_id = rec.id;
	if (!r->json)
		printf(cli_msg(CM_APPLIED_AS), (long long)rec.id);
	return 0;
}

int
cmd_import(int argc, char **argv)
{
	static const struct opt_spec spec[] = {
		COMMON_OPTS,        { "school", true },
		{ "apply", false }, { "confirm-guard", false },
		{ "stage", false }, { "json", false },
		{ NULL, false },
	};
	struct run *r = xcalloc(1, sizeof(*r));
	struct args a;
	struct sheet_error se;
	int64_t applied_id = 0, preview_id = 0;
	enum err e;
	int rc = EXIT_REFUSED;

	if (!args_parse(argc, argv, spec, &a) || a.nwords != 1 ||
	    args_get(&a, "school") == NULL) {
		fprintf(stderr,
		        "usage: biebsync import --school SLUG FILE [--apply [--confirm-guard] | --stage] [--json]\n");
		free(r);
		return EXIT_USAGE;
	}
	r->path = a.words[0];
	r->json = args_get(&a, "json") != NULL;
	r->apply = args_get(&a, "apply") != NULL;
	r->confirm = args_get(&a, "confirm-guard") != NULL;
	r->stage = args_get(&a, "stage") != NULL;
	r->lang = cli_lang();
	if (!cli_open_store(&a, &r->c, &r->st))
		goto out;
	config_imports(&r->c, &r->ic);
	e = store_school_by_slug(r->st, args_get(&a, "school"), &r->school);
	if (e != ERR_OK) {
		fprintf(stderr, cli_msg(CM_SCHOOL_UNKNOWN),
		        args_get(&a, "school"));
		goto out;
	}
	memset(&se, 0, sizeof(se));
	e = cli_read_file(r->path, r->c.max_upload, &r->data, &r->len);
	if (e == ERR_LIMIT) {
		rc = refuse_file(r, e, &se);
		goto out;
	}
	if (e != ERR_OK)
		goto out;
	e = import_read(r->st, &r->ic, r->school.id, r->path, r->data, r->len,
	                &r->pv);
	if (e == ERR_INVALID || e == ERR_LIMIT) {
		rc = refuse_file(r, e, &r->pv.err);
		goto out;
	}
	if (e != ERR_OK) {
		fprintf(stderr, "biebsync: cannot read the roster\n");
		goto out;
	}
	if (!r->json)
		print_text(r);
	rc = r->pv.file.blocked ? EXIT_REFUSED : 0;
	if (r->apply && import_nothing_changes(&r->pv.rec)) {
		fputs(cli_msg(CM_NOTHING_APPLIED), r->json ? stderr : stdout);
	} else if (r->apply) {
		rc = apply(r, &applied_id);
	} else if (r->stage && rc == 0) {
		if (import_stage(r->st, &cli_who, &r->pv) != ERR_OK) {
			fprintf(stderr, "biebsync: cannot save the preview\n");
			rc = EXIT_REFUSED;
		} else if (!r->json) {
			printf(cli_msg(CM_STAGED_AS), (long long)r->pv.rec.id,
			       (long long)r->pv.rec.id, r->school.slug);
			if (r->pv.rec.replaced)
				printf(cli_msg(CM_REPLACED),
				       (long long)r->pv.rec.replaced);
		}
		preview_id = r->pv.rec.id;
	}
	if (r->json)
		print_json(r, applied_id, preview_id);
out:
	import_preview_release(&r->pv);
	free(r->data);
	store_close(r->st);
	free(r);
	return rc;
}
