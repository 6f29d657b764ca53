/*
 * The import (see import.h): reading and staging a preview, and the rules
 * for deciding about it.
 */
#include <stdlib.h>
#include <string.h>

#include "import.h"
#include "../auth/token.h"
#include "../base/heavy.h"
#include "../base/strparse.h"
#include "../base/text.h"
#include "../roster/norm.h"

void
import_config_defaults(struct import_config *c)
{
	const struct diff_limits guards = DIFF_LIMITS_DEFAULT;

	c->max_upload = 10u << 20;
	c->preview_ttl = 24 * 3600;
	c->retention = 365 * 24 * 3600;
	c->guards = guards;
	c->processing_days = 0;
	reader_limits_default(&c->reader);
}

/* Group keys by today's rules (a roster may have been stored under older
 * ones): consecutive students mostly share a group, so remember the last. */
static void
rekey_groups(struct student *v, size_t n)
{
	const struct student *last = NULL;

	for (size_t i = 0; i < n; i++) {
		if (last != NULL && strcmp(last->group, v[i].group) == 0)
			memcpy(v[i].group_key, last->group_key,
			       sizeof(v[i].group_key));
		else
			norm_group_key(v[i].group, v[i].group_key,
			               sizeof(v[i].group_key));
		last = &v[i];
	}
}

/* What import_stage() stores, from what was read and compared. */
static void
fill_rec(struct import_preview *p, int64_t school_id, const char *filename)
{
	const struct roster_header *h = &p->file.header;
	struct import_rec *rec = &p->rec;
	const char *base = strrchr(filename, '/');

	memset(rec, 0, sizeof(*rec));
	rec->school_id = school_id;
	rec->state = IMPORT_PREVIEW;
	if (str_copy(rec->filename, sizeof(rec->filename),
	             base ? base + 1 : filename) != ERR_OK)
		str_copy(rec->filename, sizeof(rec->filename), "bestand");
	str_copy(rec->format, sizeof(rec->format),
	         sheet_format_name(p->src.format));
	str_copy(rec->layout, sizeof(rec->layout),
	         h->usable ? roster_layout_name(h->layout, LANG_EN) : "");
	str_copy(rec->sheet, sizeof(rec->sheet), p->src.sheet_name);
	rec->header_row = h->usable ? h->row : 0;
	rec->errors = (int64_t)p->file.nerrors;
	rec->warnings = (int64_t)p->file.nwarnings;
	rec->blocked = p->file.blocked;
	rec->roster_version = p->plan.roster_version;
	rec->guard_unenrol = p->plan.guard_unenrol;
	rec->guard_match = p->plan.guard_match;
	rec->guard = rec->guard_unenrol || rec->guard_match;
	rec->active_before = (int64_t)p->plan.active_before;
	rec->matched = (int64_t)p->plan.matched;
	for (int k = 0; k < CHANGE__MAX; k++)
		rec->counts[k] = (int64_t)p->plan.counts[k];
}

enum err
import_read(struct store *st, const struct import_config *cfg,
            int64_t school_id, const char *filename, const void *data,
            size_t len, struct import_preview *p)
{
	struct sheet_limits lim;
	struct roster_opts ro;
	int64_t version;
	enum err e;

	memset(p, 0, sizeof(*p));
	heavy_check("file read");
	sheet_limits_default(&lim);
	lim.input_bytes = cfg->max_upload;
	roster_opts_default(&ro, date_today());
	/* in a sandboxed child: a hostile file harms nothing here */
	e = read_sandboxed(data, len, &lim, &ro, &cfg->reader, &p->file,
	                   &p->src, &p->err, NULL);
	if (e != ERR_OK)
		return e;
	if (store_roster_load(st, school_id, &p->roster, &p->nroster,
	                      &version) != ERR_OK)
		return ERR_DB;
	rekey_groups(p->roster, p->nroster);
	/* A blocked file changes nothing: its plan stays empty. */
	if (p->file.blocked)
		p->plan.roster_version = version;
	else
		diff_build(&p->plan, p->file.students, p->file.nstudents,
		           p->roster, p->nroster, version, &cfg->guards);
	p->columns = summary_columns(&p->file.header, &p->ncolumns);
	if (!p->file.blocked)
		p->groups = summary_groups(&p->plan, p->roster, p->nroster,
		                           &p->ngroups);
	fill_rec(p, school_id, filename);
	p->rec.size = (int64_t)len;
	digest_sha256_hex(data, len, p->rec.sha256);
	return ERR_OK;
}

enum err
import_stage(struct store *st, const struct store_actor *who,
             struct import_preview *p)
{
	const struct import_extra x = {
		p->columns, p->ncolumns,    p->groups,
		p->ngroups, p->file.issues, p->file.nissues,
	};

	return store_import_stage(st, who, &p->rec, &p->plan, &x);
}

void
import_preview_release(struct import_preview *p)
{
	if (p == NULL)
		return;
	plan_release(&p->plan);
	free(p->roster);
	free(p->columns);
	free(p->groups);
	roster_file_release(&p->file);
	memset(p, 0, sizeof(*p));
}

bool
import_nothing_changes(const struct import_rec *rec)
{
	if (rec->blocked)
		return false;
	for (int k = 0; k < CHANGE__MAX; k++)
		if (k != CHANGE_UNCHANGED && rec->counts[k] != 0)
			return false;
	return true;
}

enum import_outcome
import_outcome_of(enum err e)
{
	switch (e) {
	case ERR_OK:
		return IMPORT_OK;
	case ERR_NOTFOUND:
		return IMPORT_NOT_FOUND;
	case ERR_CONFLICT:
		return IMPORT_STALE;
	case ERR_STATE:
		return IMPORT_NOT_PREVIEW;
	case ERR_FULL:
		return IMPORT_DB_FULL;
	case ERR_BUSY:
		return IMPORT_DB_BUSY;
	default:
		return IMPORT_FAILED;
	}
}

enum import_outcome
import_may_confirm(const struct import_config *cfg,
                   const struct import_rec *rec, bool guard_confirmed,
                   int64_t now)
{
	if (rec->state != IMPORT_PREVIEW)
		return IMPORT_NOT_PREVIEW;
	if (rec->blocked)
		return IMPORT_BLOCKED;
	if (rec->created != 0 && rec->created < now - (int64_t)cfg->preview_ttl)
		return IMPORT_EXPIRED_NOW;
	if (rec->guard && !guard_confirmed)
		return IMPORT_GUARD_NEEDED;
	return IMPORT_OK;
}

enum import_outcome
import_confirm(struct store *st, const struct import_config *cfg,
               const struct store_actor *who, int64_t school_id, int64_t id,
               bool guard_confirmed, struct import_rec *rec)
{
	int64_t now = time_now();
	enum import_state state;
	enum import_outcome o;
	enum err e;

	if ((e = store_import_get(st, school_id, id, rec)) != ERR_OK)
		return import_outcome_of(e);
	o = import_may_confirm(cfg, rec, guard_confirmed, now);
	if (o != IMPORT_OK)
		return o;
	e = store_import_apply(st, who, school_id, id, now, &state);
	return import_outcome_of(e);
}

enum import_outcome
import_cancel(struct store *st, const struct store_actor *who,
              int64_t school_id, int64_t id, struct import_rec *rec)
{
	enum import_state state;
	enum err e;

	if ((e = store_import_get(st, school_id, id, rec)) != ERR_OK)
		return import_outcome_of(e);
	return import_outcome_of(store_import_cancel(st, who, school_id, id,
	                                             time_now(), &state));
}

static int
first_applied(const struct import_rec *r, void *arg)
{
	int64_t *id = arg;

	if (r->state == IMPORT_APPLIED) {
		*id = r->id;
		return 1;
	}
	return 0;
}

int64_t
import_last_applied(struct store *st, int64_t school_id)
{
	int64_t id = 0;

	store_import_list(st, 0, school_id, 1000000, first_applied, &id);
	return id;
}

enum import_outcome
import_undo(struct store *st, const struct store_actor *who, int64_t school_id,
            int64_t id, struct import_rec *rec)
{
	enum import_state state;
	enum err e;

	if (id == 0 && (id = import_last_applied(st, school_id)) == 0)
		return IMPORT_NONE;
	if ((e = store_import_get(st, school_id, id, rec)) != ERR_OK)
		return import_outcome_of(e);
	if (rec->state == IMPORT_APPLIED && rec->purged != 0)
		return IMPORT_PURGED;
	e = store_import_undo(st, who, school_id, id, time_now(), &state);
	if (e != ERR_STATE)
		return import_outcome_of(e);
	/* the store refuses a purged import too: purged in the meantime? */
	if (store_import_get(st, school_id, id, rec) == ERR_OK &&
	    rec->state == IMPORT_APPLIED && rec->purged != 0)
		return IMPORT_PURGED;
	return IMPORT_NOT_LAST;
}

enum err
import_purge(struct store *st, const struct import_config *cfg,
             const struct store_actor *who, int64_t now,
             struct purge_counts *out)
{
	return store_purge(st, who, now - (int64_t)cfg->preview_ttl,
	                   now - (int64_t)cfg->retention, out);
}

const char *
import_outcome_text(enum import_outcome o, enum lang lang)
{
	static const char *const text[IMPORT_OUTCOME__MAX][LANG__MAX] = {
		[IMPORT_OK] = { "Gelukt.", "Done." },
		[IMPORT_BLOCKED] = {
			"Dit bestand heeft fouten die eerst opgelost moeten worden; er is niets gewijzigd. Verbeter de gegevens in je administratiepakket, exporteer opnieuw en upload het nieuwe bestand.",
			"This file has errors that must be fixed first; nothing was changed. Correct the data in your administration system, export again and upload the new file.",
		},
		[IMPORT_GUARD_NEEDED] = {
			"Deze import schrijft ongewoon veel leerlingen uit of past nauwelijks bij de leerlingen van deze school; er is niets gewijzigd. Kijk of dit het bestand van de hele school is, en van deze school. Klopt het toch, bevestig dan dat je het zeker weet.",
			"This import unenrols unusually many students or hardly matches this school's students; nothing was changed. Check that this is the whole school's file, and this school's. If it is right after all, confirm that you are sure.",
		},
		[IMPORT_STALE] = {
			"De leerlingen van deze school zijn gewijzigd sinds dit voorbeeld; er is niets gewijzigd. Upload het bestand opnieuw voor een nieuw voorbeeld.",
			"The school's students changed since this preview; nothing was changed. Upload the file again for a new preview.",
		},
		[IMPORT_EXPIRED_NOW] = {
			"Dit voorbeeld is verlopen; er is niets gewijzigd. Upload het bestand opnieuw voor een nieuw voorbeeld.",
			"This preview has expired; nothing was changed. Upload the file again for a new preview.",
		},
		[IMPORT_NOT_PREVIEW] = {
			"Over deze import is al beslist (toegepast, geannuleerd, vervangen door een nieuwere upload of verlopen); er is niets gewijzigd.",
			"This import has already been decided (applied, cancelled, replaced by a newer upload or expired); nothing was changed.",
		},
		[IMPORT_NOT_LAST] = {
			"Alleen de laatst toegepaste import kan ongedaan worden gemaakt; er is niets gewijzigd.",
			"Only the last applied import can be undone; nothing was changed.",
		},
		[IMPORT_NONE] = {
			"Er is geen toegepaste import om ongedaan te maken.",
			"There is no applied import to undo.",
		},
		[IMPORT_NOT_FOUND] = {
			"Deze import bestaat niet bij deze school.",
			"This school has no such import.",
		},
		[IMPORT_DB_FULL] = {
			"De schijf of de database is vol; er is niets gewijzigd. Vraag de beheerder om ruimte te maken en probeer het dan opnieuw.",
			"The disk or the database is full; nothing was changed. Ask the administrator to make room, then try again.",
		},
		[IMPORT_DB_BUSY] = {
			"De database is bezet; er is niets gewijzigd. Probeer het over een minuut opnieuw.",
			"The database is busy; nothing was changed. Try again in a minute.",
		},
		[IMPORT_FAILED] = {
			"Er ging iets mis bij het opslaan; er is niets gewijzigd. Probeer het later opnieuw.",
			"Something went wrong while saving; nothing was changed. Try again later.",
		},
		[IMPORT_PURGED] = {
			"Deze import kan niet meer ongedaan worden gemaakt: de bewaartermijn is voorbij en de leerlinggegevens ervan zijn gewist, dus er is niets meer om terug te zetten. Er is niets gewijzigd. Klopt de leerlinglijst niet? Upload dan een nieuw bestand uit je administratiepakket.",
			"This import can no longer be undone: the retention period has passed and its student data has been erased, so there is nothing left to restore. Nothing was changed. Is the student list wrong? Then upload a new file from your administration system.",
		},
	};

	return lang_pick(
	        text[(unsigned)o < IMPORT_OUTCOME__MAX ? o : IMPORT_FAILED],
	        lang);
}
