/*
 * The API's endpoints about the library itself, which carry no pupil's
 * data and so are not audited: the OpenAPI document, the library's
 * schools, one school, and a school's imports (counts per kind of change,
 * never a file name).
 */
#include <string.h>

#include "api_int.h"
#include "../base/asset.h"
#include "../roster/model.h"

/* GET /api/v1/openapi.json: the document compiled in (data/). */
void
api_get_openapi(struct api_call *c)
{
	const struct asset *a = asset_find(data_files, "openapi.json");

	if (a == NULL) {
		api_error(c, API_ERR_INTERNAL, 0);
		return;
	}
	c->resp->status = 200;
	c->resp->content_type = "application/json; charset=utf-8";
	c->resp->static_body = a->data;
	c->resp->static_len = a->len;
	c->resp->cacheable = true;
}

static int
school_item(const struct school_overview *o, void *arg)
{
	api_school_json(arg, NULL, o);
	return 0;
}

/* GET /api/v1/schools: {"schools": [school, ...]} ordered by name. */
void
api_get_schools(struct api_call *c)
{
	struct json j;
	enum err e;

	api_json_begin(c, &j);
	json_object(&j, NULL);
	json_array(&j, "schools");
	e = store_school_overview(c->api->st, c->token.library_id, school_item,
	                          &j);
	if (e != ERR_OK) {
		api_store_error(c, e);
		return;
	}
	json_end(&j);
	json_end(&j);
	api_json_end(c, &j);
}

/* GET /api/v1/schools/{slug}: the school object. */
void
api_get_school(struct api_call *c)
{
	struct school_overview o;
	struct json j;

	if (!api_school(c, c->arg[0], true, &o))
		return;
	api_json_begin(c, &j);
	api_school_json(&j, NULL, &o);
	api_json_end(c, &j);
}

static int
import_item(const struct import_rec *r, void *arg)
{
	struct json *j = arg;

	json_object(j, NULL);
	json_int(j, "id", r->id);
	json_str(j, "state", import_state_word(r->state));
	json_time(j, "created", r->created);
	json_time(j, "decided", r->decided);
	json_str(j, "format", r->format);
	json_str(j, "layout", r->layout);
	json_str(j, "actor", r->actor);
	json_object(j, "counts");
	for (int k = 0; k < CHANGE__MAX; k++)
		json_int(j, change_word((enum change_kind)k), r->counts[k]);
	json_end(j);
	json_end(j);
	return 0;
}

/* The most imports one answer lists (newest first). */
#define IMPORTS_MAX 1000

/* GET /api/v1/schools/{slug}/imports: {"school": ..., "imports": [...]}
 * newest first. */
void
api_get_imports(struct api_call *c)
{
	struct school_overview o;
	struct json j;
	enum err e;

	if (!api_school(c, c->arg[0], true, &o))
		return;
	api_json_begin(c, &j);
	json_object(&j, NULL);
	api_school_json(&j, "school", &o);
	json_array(&j, "imports");
	e = store_import_list(c->api->st, 0, o.school.id, IMPORTS_MAX,
	                      import_item, &j);
	if (e != ERR_OK) {
		api_store_error(c, e);
		return;
	}
	json_end(&j);
	json_end(&j);
	api_json_end(c, &j);
}
