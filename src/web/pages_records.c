/*
 * The library's records: the uploads of all its schools and its audit log
 * with filters (school, account, kind, period), read-only.  Both show only
 * the rows of the user's own library: the store filters by library_id, and
 * a school or account id in the query that is not the library's own is
 * refused like an unknown one (404).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pages.h"
#include "../base/mem.h"
#include "../base/strparse.h"
#include "../base/text.h"

#define AUDIT_PAGE 100 /* rows per page of the audit log */

/* The words a library user reads for each audit event. */
static const char *const event_labels[AUDIT__MAX][LANG__MAX] = {
	[AUDIT_LOGIN_OK] = { "Aangemeld", "Logged in" },
	[AUDIT_LOGIN_FAILED] = { "Aanmelden mislukt", "Login failed" },
	[AUDIT_LOGIN_THROTTLED] = { "Aanmelden geblokkeerd (te vaak fout)",
	                            "Login blocked (too many failures)" },
	[AUDIT_LOGOUT] = { "Afgemeld", "Logged out" },
	[AUDIT_PASSWORD_CHANGED] = { "Wachtwoord gewijzigd",
	                             "Password changed" },
	[AUDIT_PASSWORD_RESET] = { "Nieuw eenmalig wachtwoord",
	                           "New one-time password" },
	[AUDIT_ACCOUNT_CREATED] = { "Account aangemaakt", "Account created" },
	[AUDIT_ACCOUNT_DISABLED] = { "Account uitgeschakeld",
	                             "Account disabled" },
	[AUDIT_SCHOOL_CREATED] = { "School toegevoegd", "School added" },
	[AUDIT_IMPORT_PREVIEW] = { "Bestand geüpload", "File uploaded" },
	[AUDIT_IMPORT_APPLIED] = { "Upload bevestigd", "Upload confirmed" },
	[AUDIT_IMPORT_CANCELLED] = { "Upload geannuleerd", "Upload cancelled" },
	[AUDIT_IMPORT_UNDONE] = { "Upload teruggedraaid", "Upload undone" },
	[AUDIT_PURGE] = { "Oude gegevens opgeruimd", "Old data purged" },
	[AUDIT_LIBRARY_CREATED] = { "Bibliotheek aangemaakt",
	                            "Library created" },
	[AUDIT_LIBRARY_UPDATED] = { "Bibliotheekgegevens gewijzigd",
	                            "Library details changed" },
	[AUDIT_SCHOOL_UPDATED] = { "Schoolgegevens gewijzigd",
	                           "School details changed" },
	[AUDIT_ACCOUNT_ENABLED] = { "Account ingeschakeld", "Account enabled" },
	[AUDIT_TOTP_ENABLED] = { "Inloggen in twee stappen aangezet",
	                         "Two-step login turned on" },
	[AUDIT_TOTP_DISABLED] = { "Inloggen in twee stappen uitgezet",
	                          "Two-step login turned off" },
	[AUDIT_TOTP_RESET] = { "Tweede stap hersteld", "Second step reset" },
	[AUDIT_TOTP_FAILED] = { "Verkeerde code bij aanmelden",
	                        "Wrong code at login" },
	[AUDIT_RECOVERY_USED] = { "Herstelcode gebruikt",
	                          "Recovery code used" },
	[AUDIT_ROSTER_VIEWED] = { "Leerlingenlijst bekeken",
	                          "Student list viewed" },
	[AUDIT_ROSTER_EXPORTED] = { "Leerlingenlijst gedownload",
	                            "Student list downloaded" },
	[AUDIT_PUPIL_ACCESS] = { "Gegevens van een leerling ingezien of gedownload",
	                         "A student's data looked at or downloaded" },
	[AUDIT_PUPIL_ERASED] = { "Leerling gewist", "Student erased" },
	[AUDIT_PASSWORD_CHECK_FAILED] = { "Verkeerd huidig wachtwoord",
	                                  "Wrong current password" },
	[AUDIT_PASSWORD_CHECK_THROTTLED] = { "Huidig wachtwoord geblokkeerd (te vaak fout)",
	                                     "Current password blocked (too many failures)" },
	[AUDIT_SESSION_ENDED] = { "Afgemeld na te veel verkeerde wachtwoorden",
	                          "Logged out after too many wrong passwords" },
	[AUDIT_TOKEN_CREATED] = { "API-sleutel aangemaakt", "API key created" },
	[AUDIT_TOKEN_REVOKED] = { "API-sleutel ingetrokken",
	                          "API key revoked" },
	[AUDIT_API_READ] = { "Leerlinggegevens gelezen via de API",
	                     "Student data read through the API" },
};

static const char *
event_label(struct page *p, enum audit_event e)
{
	return (unsigned)e < AUDIT__MAX ? lang_pick(event_labels[e], p->lang)
	                                : "?";
}

/* A query parameter that is an id (0 when absent or empty); false for
 * anything else. */
static bool
query_id(struct page *p, const char *name, int64_t *out)
{
	const char *v = http_query(p->req, name);
	uint64_t n;

	*out = 0;
	if (v == NULL || *v == '\0')
		return true;
	if (parse_u64(v, 1, INT64_MAX, &n) != ERR_OK)
		return false;
	*out = (int64_t)n;
	return true;
}

/* ---- the school filter, shared by both pages ---- */

struct options {
	struct page *p;
	int64_t selected;
	bool found; /* the selected id is one of the library's */
};

static int
school_option(const struct school *s, void *arg)
{
	struct options *o = arg;

	o->found |= s->id == o->selected;
	html(&o->p->resp->body, "<option value=\"%lld\"%S>%s</option>",
	     (long long)s->id, s->id == o->selected ? " selected" : "",
	     s->name);
	return 0;
}

/* A select of the library's schools; false when selected (non-zero) is
 * not one of them. */
static bool
school_select(struct page *p, int64_t selected)
{
	struct options o = { p, selected, false };

	html(&p->resp->body,
	     "<div class=\"filter\"><label for=\"school\">%s</label>"
	     "<select id=\"school\" name=\"school\"><option value=\"\">%s</option>",
	     page_msg(p, MSG_COL_SCHOOL), page_msg(p, MSG_FILTER_ALL_SCHOOLS));
	store_school_list(p->web->st, p->acct.library_id, school_option, &o);
	html(&p->resp->body, "</select></div>");
	return selected == 0 || o.found;
}

/* ---- uploads ---- */

void
get_library_imports(struct page *p)
{
	struct buf *b = &p->resp->body;
	int64_t school;

	if (!query_id(p, "school", &school)) {
		page_message(p, 404, MSG_NOTFOUND_TITLE, MSG_NOTFOUND_BODY);
		return;
	}
	page_begin(p, page_msg(p, MSG_LIBRARY_IMPORTS_TITLE));
	html(b, "<section class=\"card\"><h1>%s</h1><p>",
	     page_msg(p, MSG_LIBRARY_IMPORTS_TITLE));
	html(b, page_msg(p, MSG_LIBRARY_IMPORTS_INTRO), p->library.name);
	html(b,
	     "</p><form class=\"filters\" method=\"get\" action=\"/bibliotheek/imports\">");
	if (!school_select(p, school)) {
		page_message(p, 404, MSG_NOTFOUND_TITLE, MSG_NOTFOUND_BODY);
		return;
	}
	html(b, "<button type=\"submit\">%s</button></form>",
	     page_msg(p, MSG_FILTER_SHOW));
	if (school != 0) {
		/* the school column would say the same on every row */
		struct school s;

		if (store_school_get(p->web->st, school, &s) == ERR_OK)
			html(b, "<h2>%s</h2>", s.name);
	}
	import_table(p, school, 500);
	html(b, "</section>");
	page_end(p);
}

/* ---- audit log ---- */

struct audit_view {
	struct page *p;
	struct school school;   /* of the row before */
	struct account account; /* the account filter's options */
	int64_t last_id;
	int n;
};

static int
audit_row(const struct audit_entry *e, void *arg)
{
	struct audit_view *v = arg;
	struct page *p = v->p;
	struct buf *b = &p->resp->body;
	char when[32];

	v->n++;
	v->last_id = e->id;
	time_fmt_local(e->at, when, sizeof(when));
	if (e->school_id != 0 && v->school.id != e->school_id &&
	    store_school_get(p->web->st, e->school_id, &v->school) != ERR_OK)
		memset(&v->school, 0, sizeof(v->school));
	html(b,
	     "<tr><td data-label=\"%s\">%s</td><td data-label=\"%s\">%s</td>"
	     "<td data-label=\"%s\">%s</td><td data-label=\"%s\">%s</td>"
	     "<td data-label=\"%s\"><code>%s</code></td>"
	     "<td data-label=\"%s\">%s</td></tr>",
	     page_msg(p, MSG_WHEN), when, page_msg(p, MSG_AUDIT_KIND),
	     event_label(p, e->event), page_msg(p, MSG_COL_BY), e->actor,
	     page_msg(p, MSG_COL_SCHOOL),
	     e->school_id != 0 ? v->school.name : "",
	     page_msg(p, MSG_AUDIT_DETAIL), e->detail,
	     page_msg(p, MSG_AUDIT_ADDR), e->addr);
	return 0;
}

struct account_options {
	struct page *p;
	int64_t selected;
	bool found;
};

static int
account_option(const struct account *a, void *arg)
{
	struct account_options *o = arg;

	if (a->library_id != o->p->acct.library_id)
		return 0;
	o->found |= a->id == o->selected;
	html(&o->p->resp->body, "<option value=\"%lld\"%S>%s</option>",
	     (long long)a->id, a->id == o->selected ? " selected" : "",
	     a->username);
	return 0;
}

/* The filter form; false (nothing shown yet) for a school or account
 * that is not the library's. */
static bool
audit_filters(struct page *p, const struct audit_filter *f, const char *from,
              const char *to)
{
	struct buf *b = &p->resp->body;
	struct account_options ao = { p, f->account_id, false };

	html(b,
	     "<form class=\"filters\" method=\"get\" action=\"/bibliotheek/logboek\">");
	if (!school_select(p, f->school_id))
		return false;
	html(b,
	     "<div class=\"filter\"><label for=\"account\">%s</label>"
	     "<select id=\"account\" name=\"account\"><option value=\"\">%s</option>",
	     page_msg(p, MSG_AUDIT_ACCOUNT),
	     page_msg(p, MSG_AUDIT_ALL_ACCOUNTS));
	store_account_list(p->web->st, 0, account_option, &ao);
	if (f->account_id != 0 && !ao.found)
		return false;
	html(b,
	     "</select></div><div class=\"filter\"><label for=\"soort\">%s</label>"
	     "<select id=\"soort\" name=\"soort\"><option value=\"\">%s</option>",
	     page_msg(p, MSG_AUDIT_KIND), page_msg(p, MSG_AUDIT_ALL_KINDS));
	for (int e = 0; e < AUDIT__MAX; e++)
		html(b, "<option value=\"%s\"%S>%s</option>",
		     audit_event_word((enum audit_event)e),
		     e == f->event ? " selected" : "",
		     event_label(p, (enum audit_event)e));
	html(b,
	     "</select></div><div class=\"filter\"><label for=\"van\">%s</label>"
	     "<input id=\"van\" name=\"van\" type=\"date\" value=\"%s\"></div>"
	     "<div class=\"filter\"><label for=\"tot\">%s</label>"
	     "<input id=\"tot\" name=\"tot\" type=\"date\" value=\"%s\"></div>"
	     "<button type=\"submit\">%s</button></form>",
	     page_msg(p, MSG_AUDIT_FROM), from, page_msg(p, MSG_AUDIT_TO), to,
	     page_msg(p, MSG_FILTER_SHOW));
	return true;
}

void
get_audit(struct page *p)
{
	struct buf *b = &p->resp->body;
	struct audit_filter f = { .library_id = p->acct.library_id,
		                  .event = -1,
		                  .limit = AUDIT_PAGE };
	struct audit_view v = { .p = p };
	const char *kind = http_query(p->req, "soort");
	const char *from = http_query(p->req, "van");
	const char *to = http_query(p->req, "tot");
	enum audit_event ev;
	bool bad_date = false;

	if (!query_id(p, "school", &f.school_id) ||
	    !query_id(p, "account", &f.account_id) ||
	    !query_id(p, "voor", &f.before)) {
		page_message(p, 404, MSG_NOTFOUND_TITLE, MSG_NOTFOUND_BODY);
		return;
	}
	if (kind != NULL && *kind != '\0' &&
	    audit_event_parse(kind, &ev) == ERR_OK)
		f.event = (int)ev;
	if (from == NULL) {
		from = "";
	} else if (*from != '\0' && !time_parse_day(from, &f.from)) {
		bad_date = true;
		from = "";
	}
	if (to == NULL) {
		to = "";
	} else if (*to != '\0' && !time_parse_day(to, &f.to)) {
		bad_date = true;
		to = "";
	} else if (f.to != 0) {
		f.to += 86400; /* up to and with that day */
	}
	page_begin(p, page_msg(p, MSG_AUDIT_TITLE));
	html(b, "<section class=\"card\"><h1>%s</h1><p>%s</p>",
	     page_msg(p, MSG_AUDIT_TITLE), page_msg(p, MSG_AUDIT_INTRO));
	if (bad_date)
		html(b,
		     "<div class=\"error-summary\" role=\"alert\"><p>%s</p></div>",
		     page_msg(p, MSG_AUDIT_BAD_DATE));
	if (!audit_filters(p, &f, from, to)) {
		page_message(p, 404, MSG_NOTFOUND_TITLE, MSG_NOTFOUND_BODY);
		return;
	}
	html(b,
	     "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"%s\">"
	     "<table class=\"stack audit\"><thead><tr><th scope=\"col\">%s</th>"
	     "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
	     "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
	     "<th scope=\"col\">%s</th></tr></thead><tbody>",
	     page_msg(p, MSG_AUDIT_TITLE), page_msg(p, MSG_WHEN),
	     page_msg(p, MSG_AUDIT_KIND), page_msg(p, MSG_COL_BY),
	     page_msg(p, MSG_COL_SCHOOL), page_msg(p, MSG_AUDIT_DETAIL),
	     page_msg(p, MSG_AUDIT_ADDR));
	store_audit_list(p->web->st, &f, audit_row, &v);
	html(b, "</tbody></table></div>");
	if (v.n == 0)
		html(b, "<p>%s</p>", page_msg(p, MSG_AUDIT_NONE));
	if (v.n == AUDIT_PAGE) {
		/* every value was checked: ids, an event word, dates */
		html(b, "<p><a href=\"/bibliotheek/logboek?voor=%lld",
		     (long long)v.last_id);
		if (f.school_id != 0)
			html(b, "&amp;school=%lld", (long long)f.school_id);
		if (f.account_id != 0)
			html(b, "&amp;account=%lld", (long long)f.account_id);
		if (f.event >= 0)
			html(b, "&amp;soort=%s",
			     audit_event_word((enum audit_event)f.event));
		if (*from != '\0')
			html(b, "&amp;van=%s", from);
		if (*to != '\0')
			html(b, "&amp;tot=%s", to);
		html(b, "\">%s</a></p>", page_msg(p, MSG_AUDIT_OLDER));
	}
	html(b, "</section>");
	page_end(p);
}
