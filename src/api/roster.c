/*
 * The API's endpoints that hand out a school's roster, each audited as one
 * AUDIT_API_READ row: the roster as JSON (with the feed position it was
 * read at, and an ETag from the school id and the roster version, so that
 * a client that has it gets 304), and the downloads the web area offers
 * (roster/export.h: CSV, JSON, the schoolWise import columns), with the
 * same file names and content types.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_int.h"
#include "cursor.h"
#include "../base/mem.h"
#include "../base/text.h"
#include "../roster/export.h"
#include "../roster/oneroster.h"

void
api_pupil_fields(struct json *j, const struct student *s)
{
	json_str(j, "leerlingnummer", s->number);
	json_str(j, "roepnaam", s->roepnaam);
	json_str(j, "tussenvoegsel", s->tussenvoegsel);
	json_str(j, "achternaam", s->achternaam);
	json_date(j, "geboortedatum", s->birth);
	json_str(j, "groep", s->group);
	if (s->jaargroep == JAARGROEP_UNKNOWN)
		json_null(j, "jaargroep");
	else
		json_int(j, "jaargroep", s->jaargroep);
}

/* Whether the If-None-Match header h names etag (weak comparison, as
 * RFC 9110 wants for it; "*" matches any). */
static bool
etag_matches(const char *h, const char *etag)
{
	size_t n = strlen(etag);

	while (h != NULL && *h != '\0') {
		while (*h == ' ' || *h == '\t' || *h == ',')
			h++;
		if (*h == '*')
			return true;
		if (strncmp(h, "W/", 2) == 0)
			h += 2;
		if (strncmp(h, etag, n) == 0 && (h[n] == '\0' || h[n] == ',' ||
		                                 h[n] == ' ' || h[n] == '\t'))
			return true;
		h = strchr(h, ',');
	}
	return false;
}

/* GET /api/v1/schools/{slug}/roster. */
void
api_get_roster(struct api_call *c)
{
	struct school_overview o;
	struct student *s = NULL;
	char(*codes)[GROUP_CODE_MAX + 1] = NULL;
	char etag[64], cursor[CURSOR_SIZE];
	struct feed_pos head;
	int64_t version;
	size_t n = 0, active = 0;
	struct json j;
	enum err e;

	if (!api_school(c, c->arg[0], true, &o))
		return;
	e = store_roster_snapshot(c->api->st, o.school.id, &s, &n, &version,
	                          &head);
	if (e != ERR_OK) {
		api_store_error(c, e);
		return;
	}
	snprintf(etag, sizeof(etag), "\"%lld-%lld\"", (long long)o.school.id,
	         (long long)version);
	if (etag_matches(http_header(c->req, "If-None-Match"), etag)) {
		buf_reset(&c->resp->body);
		c->resp->status = 304;
		http_add_header(c->resp, "ETag", etag);
		goto out;
	}
	codes = xcalloc(n ? n : 1, sizeof(*codes));
	export_group_codes(s, n, codes);
	cursor_format(head, cursor);
	api_json_begin(c, &j);
	http_add_header(c->resp, "ETag", etag);
	json_object(&j, NULL);
	api_school_json(&j, "school", &o);
	json_int(&j, "version", version);
	json_str(&j, "cursor", cursor);
	json_array(&j, "pupils");
	for (size_t i = 0; i < n; i++) {
		if (!s[i].active)
			continue;
		active++;
		json_object(&j, NULL);
		json_int(&j, "id", s[i].id);
		api_pupil_fields(&j, &s[i]);
		json_str(&j, "groepscode", codes[i]);
		json_end(&j);
	}
	json_end(&j);
	json_end(&j);
	api_json_end(c, &j);
	if (c->resp->status == 200)
		api_audit(c, o.school.id, "roster school %lld: %zu pupils",
		          (long long)o.school.id, active);
out:
	if (s != NULL)
		explicit_bzero(s, n * sizeof(*s));
	free(s);
	free(codes);
}

/* The downloads: the format in the path, what the web area names it. */
struct download {
	const char *word;     /* {format} */
	enum export_format f; /* (not for oneroster) */
	bool oneroster;       /* the OneRoster 1.1 CSV zip instead */
	const char *ctype;
	const char *what; /* file name: <what>-<slug>.<ext> */
	const char *ext;
};

static const struct download downloads[] = {
	{ "csv", EXPORT_CSV, false, "text/csv; charset=utf-8", "leerlingen",
	  "csv" },
	{ "json", EXPORT_JSON, false, "application/json", "leerlingen",
	  "json" },
	{ "schoolwise", EXPORT_SCHOOLWISE, false, "text/csv; charset=utf-8",
	  "schoolwise", "csv" },
	{ "oneroster", EXPORT_CSV, true, "application/zip", "oneroster",
	  "zip" },
};

/* The OneRoster zip of school o's students s (n) into body. */
static enum err
oneroster(struct api_call *c, const struct school_overview *o,
          const struct student *s, size_t n, struct buf *body)
{
	struct library lib;
	struct oneroster_school sc;

	memset(&lib, 0, sizeof(lib));
	if (store_library_get(c->api->st, o->school.library_id, &lib) != ERR_OK)
		return ERR_DB;
	sc = (struct oneroster_school){ o->school.id,   o->school.slug,
		                        o->school.name, o->school.brin,
		                        lib.id,         lib.slug,
		                        lib.name };
	return export_oneroster(body, &sc, s, n, time_now());
}

/* GET /api/v1/schools/{slug}/export/{format}. */
void
api_get_export(struct api_call *c)
{
	const struct download *d = NULL;
	struct school_overview o;
	struct student *s = NULL;
	char disp[160];
	size_t n = 0, shortened = 0, active = 0;
	int64_t version;
	enum err e;

	for (size_t i = 0; i < sizeof(downloads) / sizeof(downloads[0]); i++)
		if (strcmp(c->arg[1], downloads[i].word) == 0)
			d = &downloads[i];
	/* the school first: an unknown format at another library's school
	 * says nothing about that school either */
	if (!api_school(c, c->arg[0], false, &o))
		return;
	if (d == NULL) {
		api_error(c, API_ERR_NOT_FOUND, 0);
		return;
	}
	e = store_roster_load(c->api->st, o.school.id, &s, &n, &version);
	if (e != ERR_OK) {
		api_store_error(c, e);
		return;
	}
	for (size_t i = 0; i < n; i++)
		active += s[i].active;
	buf_release(&c->resp->body);
	buf_init(&c->resp->body, API_BODY_MAX);
	if ((d->oneroster ? oneroster(c, &o, s, n, &c->resp->body)
	                  : export_roster(&c->resp->body, d->f, s, n,
	                                  &shortened)) != ERR_OK) {
		api_error(c, API_ERR_INTERNAL, 0);
		goto out;
	}
	c->resp->status = 200;
	c->resp->content_type = d->ctype;
	/* a slug is [a-z0-9-]: safe in the header as it is */
	snprintf(disp, sizeof(disp), "attachment; filename=\"%s-%s.%s\"",
	         d->what, o.school.slug, d->ext);
	http_add_header(c->resp, "Content-Disposition", disp);
	api_audit(c, o.school.id, "export %s school %lld: %zu pupils", d->word,
	          (long long)o.school.id, active);
out:
	if (s != NULL)
		explicit_bzero(s, n * sizeof(*s));
	free(s);
}
