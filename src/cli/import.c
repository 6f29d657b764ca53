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
 * Exit status: 0 previewed or applied; 1 refused (unreadable file, blocking
 * errors, a guard without --confirm-guard, a roster that changed); 2 usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "../auth/token.h"
#include "../base/mem.h"
#include "../base/strparse.h"
#include "../base/text.h"
#include "../roster/norm.h"
#include "../web/importer.h"

struct run {
	struct config c;
	struct store *st;
	struct school school;
	const char *path;
	char *data;
	size_t len;
	struct preview pv;
	bool json, apply, stage, confirm, english;
};

static void
print_change(const struct run *r, const struct change *c)
{
	const struct student *s = c->after ? c->after : c->before;
	char name[200], born[16];

	(void)r;
	student_name(s, name, sizeof(name));
	norm_date_fmt(s->birth, born, sizeof(born));
	printf("  %-12s %-36s %s  ", s->number, name, born);
	switch (c->kind) {
	case CHANGE_MOVED:
		printf("%s -> %s", c->before->group, c->after->group);
		break;
	case CHANGE_RENUMBERED:
		printf("%s -> %s  %s", c->before->number, c->after->number,
		       s->group);
		break;
	case CHANGE_CORRECTED: {
		char old[200];

		student_name(c->before, old, sizeof(old));
		norm_date_fmt(c->before->birth, born, sizeof(born));
		printf(L("was: %s %s  %s", "was: %s %s  %s"), old, born,
		       s->group);
		break;
	}
	default:
		printf("%s", s->group);
		break;
	}
	printf("\n");
}

static void
print_plan(const struct run *r)
{
	const struct plan *p = &r->pv.plan;

	printf(L("Wijzigingen:\n", "Changes:\n"));
	for (int k = 0; k < CHANGE__MAX; k++)
		printf("  %-22s %6zu\n",
		       change_label((enum change_kind)k,
		                    r->english ? LANG_EN : LANG_NL),
		       p->counts[k]);
	if (p->kept > 0)
		printf(L("  %zu leerlingen blijven zoals ze zijn vanwege een fout in hun rij.\n",
		         "  %zu students stay as they are because of an error in their row.\n"),
		       p->kept);
	for (int k = 0; k < CHANGE__MAX; k++) {
		if (k == CHANGE_UNCHANGED || p->counts[k] == 0)
			continue;
		printf("\n%s:\n", change_label((enum change_kind)k,
		                               r->english ? LANG_EN : LANG_NL));
		for (size_t i = 0; i < p->nchanges; i++)
			if (p->changes[i].kind == (enum change_kind)k)
				print_change(r, &p->changes[i]);
	}
}

static void
print_guard(const struct run *r)
{
	const struct plan *p = &r->pv.plan;

	if (p->guard_unenrol)
		printf(L("\nLet op: deze import schrijft %zu van de %zu leerlingen uit (%zu %%).\n",
		         "\nCareful: this import unenrols %zu of the %zu students (%zu %%).\n"),
		       p->counts[CHANGE_LEFT], p->active_before,
		       p->counts[CHANGE_LEFT] * 100 / p->active_before);
	if (p->guard_match)
		printf(L("Let op: maar %zu van de %zu leerlingen staan in dit bestand. Is dit het bestand van de hele school, en van deze school?\n",
		         "Careful: only %zu of the %zu students are in this file. Is it the whole school's file, and this school's?\n"),
		       p->matched, p->active_before);
}

/* A readable file whose plan changes no student. */
static bool
nothing_changes(const struct run *r)
{
	return !r->pv.file.blocked && r->pv.plan.nchanges == 0;
}

static void
print_text(const struct run *r)
{
	printf(L("Bestand:  %s (%s, %zu bytes)\n",
	         "File:     %s (%s, %zu bytes)\n"),
	       r->path, sheet_format_name(r->pv.src.format), r->len);
	printf(L("School:   %s\n", "School:   %s\n"), r->school.name);
	cli_print_understanding(&r->pv.file, &r->pv.src);
	if (!r->pv.file.blocked) {
		printf("\n");
		print_plan(r);
		print_guard(r);
		if (nothing_changes(r))
			printf(L(
			        "\nEr verandert niets: alle leerlingen staan al zo bij de bibliotheek.\n",
			        "\nNothing changes: every student is already recorded like this.\n"));
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

static void
print_json(const struct run *r, int64_t applied_id, int64_t preview_id)
{
	const struct roster_header *h = &r->pv.file.header;
	const struct plan *p = &r->pv.plan;
	struct buf b;

	printf("{\"file\":");
	cli_json_str(stdout, r->path);
	printf(",\"format\":\"%s\",\"bytes\":%zu,\"sha256\":\"%s\",\"layout\":",
	       sheet_format_name(r->pv.src.format), r->len, r->pv.sha);
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
		roster_issue_format(&b, is, r->english ? LANG_EN : LANG_NL);
		printf("%s{\"code\":\"%s\",\"row\":%u,\"col\":%u,\"severity\":\"%s\",\"message\":",
		       i ? "," : "", roster_code_name(is->code), is->row,
		       is->col,
		       roster_code_severity(is->code) == ROSTER_SEV_ERROR
		               ? "error"
		       : roster_code_severity(is->code) == ROSTER_SEV_WARNING
		               ? "warning"
		               : "info");
		cli_json_str(stdout, b.data);
		printf("}");
	}
	buf_release(&b);
	printf("],\"counts\":{");
	for (int k = 0; k < CHANGE__MAX; k++)
		printf("%s\"%s\":%zu", k ? "," : "",
		       change_word((enum change_kind)k), p->counts[k]);
	printf("},\"guard\":{\"unenrol\":%s,\"match\":%s,\"active\":%zu,\"matched\":%zu},\"changes\":[",
	       p->guard_unenrol ? "true" : "false",
	       p->guard_match ? "true" : "false", p->active_before, p->matched);
	for (size_t i = 0; i < p->nchanges; i++) {
		const struct change *c = &p->changes[i];

		printf("%s{\"kind\":\"%s\"", i ? "," : "",
		       change_word(c->kind));
		if (c->before) {
			printf(",\"before\":");
			json_student(c->before);
		}
		if (c->after) {
			printf(",\"after\":");
			json_student(c->after);
		}
		printf("}");
	}
	printf("],\"nothing_changes\":%s,\"preview\":",
	       nothing_changes(r) ? "true" : "false");
	if (preview_id)
		printf("%lld", (long long)preview_id);
	else
		printf("null");
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
		printf(L("Het bestand is groter dan %llu MB. Lever alleen de leerlinglijst aan.\n",
		         "The file is larger than %llu MB. Upload only the student list.\n"),
		       (unsigned long long)(r->c.max_upload >> 20));
	else
		printf("%s\n", sheet_problem_text(se->problem, cli_lang()));
	if (se->problem != SHEET_OK)
		fprintf(stderr, "biebsync: %s: %s\n",
		        sheet_problem_str(se->problem), se->detail);
	return EXIT_REFUSED;
}

static const struct store_actor cli_who = { 0, "cli", "cli" };

static enum err
stage(struct run *r, struct import_rec *rec)
{
	const char *base = strrchr(r->path, '/');

	return preview_stage(r->st, &cli_who, r->school.id,
	                     base ? base + 1 : r->path, &r->pv, rec);
}

static int
apply(struct run *r, int64_t *applied_id)
{
	struct import_rec rec;
	enum import_state state;
	enum err e;
	/* with --json, stdout holds the JSON object only */
	FILE *out = r->json ? stderr : stdout;

	if (r->pv.file.blocked) {
		fprintf(out,
		        L("\nNiet toegepast: los eerst de fouten hierboven op.\n",
		          "\nNot applied: fix the errors above first.\n"));
		return EXIT_REFUSED;
	}
	if ((r->pv.plan.guard_unenrol || r->pv.plan.guard_match) &&
	    !r->confirm) {
		fprintf(out,
		        L("\nNiet toegepast. Klopt het toch? Voer de opdracht dan opnieuw uit met --confirm-guard.\n",
		          "\nNot applied. If it is right after all, run the command again with --confirm-guard.\n"));
		return EXIT_REFUSED;
	}
	e = stage(r, &rec);
	if (e == ERR_OK)
		e = store_import_apply(r->st, &cli_who, r->school.id, rec.id,
		                       time_now(), &state);
	if (e == ERR_CONFLICT) {
		fprintf(out,
		        L("\nNiet toegepast: de leerlingen van deze school zijn intussen gewijzigd. Voer de opdracht opnieuw uit.\n",
		          "\nNot applied: the school's students changed in the meantime. Run the command again.\n"));
		return EXIT_REFUSED;
	}
	if (e == ERR_FULL || e == ERR_BUSY || e != ERR_OK) {
		fprintf(out,
		        L("\nNiet toegepast: %s. Er is niets gewijzigd.\n",
		          "\nNot applied: %s. Nothing was changed.\n"),
		        e == ERR_FULL   ? L("de schijf of database is vol",
		                            "the disk or database is full")
		        : e == ERR_BUSY ? L("de database is bezet",
		                            "the database is busy")
		                        : err_str(e));
		fprintf(stderr, "biebsync: apply: %s\n", err_str(e));
		return EXIT_REFUSED;
	}
	*applied_id = rec.id;
	if (!r->json)
		printf(L("\nToegepast als import %lld.\n",
		         "\nApplied as import %lld.\n"),
		       (long long)rec.id);
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
	struct preview_opts po;
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
	r->english = cli_lang() == LANG_EN;
	if (!cli_open_store(&a, &r->c, &r->st))
		goto out;
	e = store_school_by_slug(r->st, args_get(&a, "school"), &r->school);
	if (e != ERR_OK) {
		fprintf(stderr,
		        L("biebsync: geen school met slug '%s'\n",
		          "biebsync: no school with slug '%s'\n"),
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
	sheet_limits_default(&po.lim);
	po.lim.input_bytes = r->c.max_upload;
	roster_opts_default(&po.ro, date_today());
	po.dl.unenrol_pct = (unsigned)r->c.guard_unenrol;
	po.dl.match_pct = (unsigned)r->c.guard_match;
	po.dl.guard_min = r->c.guard_min;
	e = preview_build(r->st, r->school.id, r->data, r->len, &po, &r->pv);
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
	if (r->apply && nothing_changes(r)) {
		fprintf(r->json ? stderr : stdout,
		        L("Niets toegepast: er verandert niets.\n",
		          "Nothing applied: nothing changes.\n"));
	} else if (r->apply) {
		rc = apply(r, &applied_id);
	} else if (r->stage && rc == 0) {
		struct import_rec rec;

		if (stage(r, &rec) != ERR_OK) {
			fprintf(stderr, "biebsync: cannot save the preview\n");
			rc = EXIT_REFUSED;
		} else if (!r->json) {
			printf(L("\nOpgeslagen als voorbeeld %lld. Toepassen: biebsync admin import apply %lld --school %s\n",
			         "\nSaved as preview %lld. To apply: biebsync admin import apply %lld --school %s\n"),
			       (long long)rec.id, (long long)rec.id,
			       r->school.slug);
		}
		preview_id = rec.id;
	}
	if (r->json)
		print_json(r, applied_id, preview_id);
out:
	preview_release(&r->pv);
	free(r->data);
	store_close(r->st);
	free(r);
	return rc;
}
