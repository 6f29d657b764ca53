/*
 * The access document of one pupil (see pupil.h).  Dates are written
 * jjjj-mm-dd, moments as ISO 8601 in UTC, unknown values as null; a
 * journal row's "voor" is null for a new pupil and "na" null for a
 * leaver.  A report line says what it says on the upload's page, in
 * Dutch, beside the cell's value.
 */
#include <stdio.h>

#include "pupil.h"
#include "../base/text.h"
#include "../roster/export.h"
#include "../roster/report.h"

static void
moment_json(struct buf *out, int64_t t)
{
	char iso[32];

	if (t == 0) {
		buf_adds(out, "null");
		return;
	}
	time_fmt_iso(t, iso, sizeof(iso));
	buf_add_json(out, iso);
}

/* The values a journal row holds about the pupil, or null. */
static void
student_or_null(struct buf *out, bool has, const struct student *s)
{
	if (!has) {
		buf_adds(out, "null");
		return;
	}
	buf_addc(out, '{');
	export_student_fields(out, s);
	buf_addc(out, '}');
}

static void
change_json(struct buf *out, const struct pupil_change *c)
{
	buf_addf(out, "{\"upload\":%lld,\"bestand\":", (long long)c->import.id);
	buf_add_json(out, c->import.filename);
	buf_adds(out, ",\"geupload_door\":");
	buf_add_json(out, c->import.actor);
	buf_adds(out, ",\"geupload_op\":");
	moment_json(out, c->import.created);
	buf_adds(out, ",\"status\":");
	buf_add_json(out, import_state_word(c->import.state));
	buf_adds(out, ",\"besloten_op\":");
	moment_json(out, c->import.decided);
	buf_adds(out, ",\"soort\":");
	buf_add_json(out, change_word(c->kind));
	buf_adds(out, ",\"omschrijving\":");
	buf_add_json(out, change_label(c->kind, LANG_NL));
	if (c->after.row > 0)
		buf_addf(out, ",\"rij\":%d", (int)c->after.row);
	else
		buf_adds(out, ",\"rij\":null");
	buf_adds(out, ",\"voor\":");
	student_or_null(out, c->has_before, &c->before);
	buf_adds(out, ",\"na\":");
	student_or_null(out, c->has_after, &c->after);
	buf_adds(out, "}");
}

static void
issue_json(struct buf *out, const struct pupil_issue *x)
{
	char col[8] = "";
	struct buf say;

	if (x->issue.col > 0)
		roster_col_name(x->issue.col, col, sizeof(col));
	buf_addf(out, "{\"upload\":%lld,\"rij\":", (long long)x->import_id);
	if (x->issue.row > 0)
		buf_addf(out, "%u", (unsigned)x->issue.row);
	else
		buf_adds(out, "null");
	buf_adds(out, ",\"kolom\":");
	if (col[0] != '\0')
		buf_add_json(out, col);
	else
		buf_adds(out, "null");
	buf_adds(out, ",\"melding\":");
	buf_init(&say, 4096);
	roster_issue_say(&say, &x->issue, LANG_NL, ROSTER_SAY_NO_PLACE);
	buf_add_json(out, say.data);
	buf_release_secret(&say);
	buf_adds(out, ",\"waarde\":");
	buf_add_json(out, x->issue.text);
	buf_adds(out, "}");
}

enum err
pupil_json(struct buf *out, const struct pupil_record *r, int64_t now)
{
	const struct student *p = r->pupil;

	buf_adds(out, "{\n\"gemaakt_op\":");
	moment_json(out, now);
	buf_adds(out, ",\n\"school\":{\"naam\":");
	buf_add_json(out, r->school->name);
	buf_adds(out, ",\"brin\":");
	buf_add_json(out, r->school->brin);
	buf_adds(out, "},\n\"leerling\":{");
	export_student_fields(out, p);
	buf_adds(out, ",\"ingeschreven\":");
	buf_adds(out, p->active ? "true" : "false");
	buf_adds(out, ",\"ingeschreven_op\":");
	moment_json(out, p->enrolled);
	buf_adds(out, ",\"uitgeschreven_op\":");
	moment_json(out, p->active ? 0 : p->left_at);
	buf_adds(out, "},\n\"wijzigingen\":[");
	for (size_t i = 0; i < r->nchanges; i++) {
		buf_adds(out, i ? ",\n" : "\n");
		change_json(out, &r->changes[i]);
	}
	buf_adds(out,
	         r->nchanges ? "\n],\n\"meldingen\":[" : "],\n\"meldingen\":[");
	for (size_t i = 0; i < r->nissues; i++) {
		buf_adds(out, i ? ",\n" : "\n");
		issue_json(out, &r->issues[i]);
	}
	buf_adds(out, r->nissues ? "\n]\n}\n" : "]\n}\n");
	return out->err;
}
