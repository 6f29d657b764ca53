/*
 * The import service (see importer.h).
 */
#include <stdlib.h>
#include <string.h>

#include "importer.h"
#include "../base/strparse.h"
#include "../roster/summary.h"

enum err
preview_build(struct store *st, int64_t school_id, const void *data, size_t len,
              const struct preview_opts *o, struct preview *p)
{
	int64_t version;
	enum err e;

	memset(p, 0, sizeof(*p));
	p->size = len;
	digest_sha256_hex(data, len, p->sha);
	e = roster_read_bytes(data, len, &o->lim, &o->ro, &p->file, &p->src,
	                      &p->err);
	if (e != ERR_OK)
		return e;
	if (store_roster_load(st, school_id, &p->roster, &p->nroster,
	                      &version) != ERR_OK)
		return ERR_DB;
	/* A blocked file changes nothing: its plan stays empty. */
	if (p->file.blocked)
		p->plan.roster_version = version;
	else
		diff_build(&p->plan, p->file.students, p->file.nstudents,
		           p->roster, p->nroster, version, &o->dl);
	return ERR_OK;
}

enum err
preview_stage(struct store *st, const struct store_actor *who,
              int64_t school_id, const char *filename, struct preview *p,
              struct import_rec *rec)
{
	const struct roster_header *h = &p->file.header;
	struct import_extra x;
	struct buf summary;
	enum err e;

	memset(rec, 0, sizeof(*rec));
	rec->school_id = school_id;
	if (str_copy(rec->filename, sizeof(rec->filename), filename) != ERR_OK)
		str_copy(rec->filename, sizeof(rec->filename), "bestand");
	rec->size = (int64_t)p->size;
	str_copy(rec->sha256, sizeof(rec->sha256), p->sha);
	str_copy(rec->format, sizeof(rec->format),
	         sheet_format_name(p->src.format));
	str_copy(rec->layout, sizeof(rec->layout),
	         h->usable ? roster_layout_name(h->layout, LANG_EN) : "");
	str_copy(rec->sheet, sizeof(rec->sheet), p->src.sheet_name);
	rec->header_row = h->usable ? h->row : 0;
	rec->errors = (int64_t)p->file.nerrors;
	rec->warnings = (int64_t)p->file.nwarnings;
	rec->blocked = p->file.blocked;
	rec->guard_unenrol = p->plan.guard_unenrol;
	rec->guard_match = p->plan.guard_match;
	rec->active_before = (int64_t)p->plan.active_before;
	rec->matched = (int64_t)p->plan.matched;
	buf_init(&summary, 4u << 20);
	summary_write(&summary, h, &p->plan, p->roster, p->nroster);
	x.summary = summary.data;
	x.issues = p->file.issues;
	x.nissues = p->file.nissues;
	e = store_import_stage(st, who, rec, &p->plan, &x);
	buf_release(&summary);
	return e;
}

void
preview_release(struct preview *p)
{
	if (p == NULL)
		return;
	plan_release(&p->plan);
	free(p->roster);
	roster_file_release(&p->file);
	memset(p, 0, sizeof(*p));
}
