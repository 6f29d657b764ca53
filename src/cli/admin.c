/*
 * `biebsync admin`: the library's command line for schools, accounts and
 * the audit log.  Each action is one row in the actions table with its
 * options; all of them write their audit rows through auth/account.c, with
 * "cli" as the actor.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "../auth/account.h"
#include "../auth/apitoken.h"
#include "../auth/audit.h"
#include "../base/mem.h"
#include "../import/pupil.h"
#include "../roster/norm.h"
#include "../roster/export.h"
#include "../roster/oneroster.h"
#include "../base/strparse.h"
#include "../base/text.h"

static const struct store_actor cli_actor = { 0, "cli", "cli" };

/* An import decision that did not happen, with the reason and what to do
 * (the import layer's words). */
static int
refuse_outcome(enum import_outcome o)
{
	fprintf(stderr, "biebsync: %s%s\n", import_outcome_text(o, cli_lang()),
	        o == IMPORT_GUARD_NEEDED ? cli_msg(CM_IMPORT_CONFIRM_GUARD)
	                                 : "");
	return EXIT_REFUSED;
}

static int
refuse_err(enum err e, const char *what)
{
	switch (e) {
	case ERR_EXISTS:
		fprintf(stderr, cli_msg(CM_EXISTS), what);
		break;
	case ERR_NOTFOUND:
		fprintf(stderr, cli_msg(CM_NOT_FOUND), what);
		break;
	case ERR_BUSY:
		fputs(cli_msg(CM_DB_BUSY), stderr);
		break;
	default:
		fprintf(stderr, "biebsync: %s: %s\n", what, err_str(e));
		break;
	}
	return EXIT_REFUSED;
}

static int
need(const struct args *a, const char *opt, const char *usage)
{
	if (args_get(a, opt) != NULL && *args_get(a, opt) != '\0')
		return 0;
	fprintf(stderr, cli_msg(CM_OPTION_MISSING), opt, usage);
	return EXIT_USAGE;
}

static int
library_add(struct store *st, const struct args *a, const struct config *c)
{
	(void)c;
	struct library l;
	enum err e;
	int rc;

	if ((rc = need(a, "name",
	               "biebsync admin library add --name NAAM [--slug SLUG]")))
		return rc;
	e = account_library_add(st, &cli_actor, args_get(a, "name"),
	                        args_get(a, "slug"), &l);
	if (e == ERR_INVALID) {
		fputs(cli_msg(CM_LIBRARY_INVALID), stderr);
		return EXIT_REFUSED;
	}
	if (e == ERR_EXISTS) {
		fprintf(stderr, cli_msg(CM_LIBRARY_SLUG_TAKEN), l.slug);
		return EXIT_REFUSED;
	}
	if (e != ERR_OK)
		return refuse_err(e, "library");
	printf(cli_msg(CM_LIBRARY_CREATED), l.name, l.slug);
	return 0;
}

static int
print_library(const struct library *l, void *arg)
{
	(void)arg;
	printf("%-24s %s\n", l->slug, l->name);
	return 0;
}

static int
library_list(struct store *st, const struct args *a, const struct config *c)
{
	(void)c;
	(void)a;
	printf("%-24s %s\n", "SLUG", cli_msg(CM_SCHOOL_COL_NAME));
	return store_library_list(st, print_library, NULL) == ERR_OK
	               ? 0
	               : EXIT_REFUSED;
}

static int
count_library(const struct library *l, void *arg)
{
	struct library *only = arg;

	only->id = only->id == 0 ? l->id : -1;
	return 0;
}

/*
 * The library named by --library, or the only one there is; usage is the
 * command's usage line for the message when there are several.
 */
static int
find_library(struct store *st, const struct args *a, const char *usage,
             struct library *l)
{
	const char *slug = args_get(a, "library");
	enum err e;

	if (slug == NULL) {
		l->id = 0;
		if ((e = store_library_list(st, count_library, l)) != ERR_OK)
			return refuse_err(e, "library");
		if (l->id <= 0) {
			fprintf(stderr, cli_msg(CM_LIBRARY_CHOOSE), usage);
			return EXIT_USAGE;
		}
		e = store_library_get(st, l->id, l);
	} else {
		e = store_library_by_slug(st, slug, l);
		if (e == ERR_NOTFOUND) {
			fprintf(stderr, cli_msg(CM_LIBRARY_UNKNOWN), slug);
			return EXIT_REFUSED;
		}
	}
	return e == ERR_OK ? 0 : refuse_err(e, "library");
}

static int
school_add(struct store *st, const struct args *a, const struct config *c)
{
	(void)c;
	static const char usage[] =
	        "biebsync admin school add --name NAAM --brin CODE [--slug SLUG] [--library SLUG]";
	struct library l;
	struct school s;
	enum err e;
	int rc;

	if ((rc = need(a, "name", usage)) || (rc = need(a, "brin", usage)) ||
	    (rc = find_library(st, a, usage, &l)))
		return rc;
	e = account_school_add(st, &cli_actor, l.id, args_get(a, "name"),
	                       args_get(a, "brin"), args_get(a, "slug"), NULL,
	                       &s);
	if (e == ERR_INVALID) {
		fputs(cli_msg(CM_SCHOOL_INVALID), stderr);
		return EXIT_REFUSED;
	}
	if (e == ERR_EXISTS) {
		fprintf(stderr, cli_msg(CM_SCHOOL_SLUG_TAKEN), s.slug);
		return EXIT_REFUSED;
	}
	if (e != ERR_OK)
		return refuse_err(e, "school");
	printf(cli_msg(CM_SCHOOL_CREATED), s.name, s.brin, s.slug);
	return 0;
}

static int
print_school(const struct school *s, void *arg)
{
	struct store *st = arg;
	struct library l;

	if (store_library_get(st, s->library_id, &l) != ERR_OK)
		str_copy(l.slug, sizeof(l.slug), "?");
	printf("%-24s %-8s %-20s %s\n", s->slug, s->brin, l.slug, s->name);
	return 0;
}

static int
school_list(struct store *st, const struct args *a, const struct config *c)
{
	(void)c;
	struct library l = { .id = 0 };
	int rc;

	if (args_get(a, "library") != NULL &&
	    (rc = find_library(st, a, "", &l)))
		return rc;
	printf("%-24s %-8s %-20s %s\n", "SLUG", "BRIN", "LIBRARY",
	       cli_msg(CM_SCHOOL_COL_NAME));
	return store_school_list(st, l.id, print_school, st) == ERR_OK
	               ? 0
	               : EXIT_REFUSED;
}

static int
find_school(struct store *st, const char *slug, struct school *s)
{
	enum err e = store_school_by_slug(st, slug, s);

	if (e == ERR_NOTFOUND) {
		fprintf(stderr, cli_msg(CM_SCHOOL_UNKNOWN), slug);
		return EXIT_REFUSED;
	}
	return e == ERR_OK ? 0 : refuse_err(e, "school");
}

static int
find_user(struct store *st, const struct args *a, const char *usage,
          struct account *acct)
{
	enum err e;

	if (a->nwords != 3) {
		fprintf(stderr, cli_msg(CM_USAGE), usage);
		return EXIT_USAGE;
	}
	e = store_account_by_name(st, a->words[2], acct);
	if (e == ERR_NOTFOUND) {
		fprintf(stderr, cli_msg(CM_USER_UNKNOWN), a->words[2]);
		return EXIT_REFUSED;
	}
	return e == ERR_OK ? 0 : refuse_err(e, "account");
}

static void
print_otp(const struct account *acct, const char *otp)
{
	printf(cli_msg(CM_USER_OTP), acct->username, otp);
}

static int
user_add(struct store *st, const struct args *a, const struct config *c)
{
	(void)c;
	static const char usage[] =
	        "biebsync admin user add --username NAAM --role docent|bibliotheek [--school SLUG | --library SLUG]";
	const char *school = args_get(a, "school");
	struct library l;
	struct school s;
	struct account acct;
	enum role role;
	char otp[OTP_SIZE];
	enum err e;
	int rc;

	if ((rc = need(a, "username", usage)) || (rc = need(a, "role", usage)))
		return rc;
	if (role_parse(args_get(a, "role"), &role) != ERR_OK) {
		fputs(cli_msg(CM_USER_ROLE_INVALID), stderr);
		return EXIT_USAGE;
	}
	if (role == ROLE_DOCENT && (rc = need(a, "school", usage)))
		return rc;
	if (role == ROLE_BIBLIOTHEEK && school != NULL) {
		fputs(cli_msg(CM_USER_LIBRARY_NO_SCHOOL), stderr);
		return EXIT_USAGE;
	}
	s.id = 0;
	if (role == ROLE_DOCENT && (rc = find_school(st, school, &s)))
		return rc;
	if (role == ROLE_BIBLIOTHEEK && (rc = find_library(st, a, usage, &l)))
		return rc;
	e = account_add(st, &cli_actor, args_get(a, "username"), role,
	                role == ROLE_DOCENT ? s.library_id : l.id, s.id, otp,
	                &acct);
	if (e == ERR_INVALID) {
		fputs(cli_msg(CM_USER_NAME_INVALID), stderr);
		return EXIT_REFUSED;
	}
	if (e == ERR_EXISTS) {
		fprintf(stderr, cli_msg(CM_USER_EXISTS),
		        args_get(a, "username"));
		return EXIT_REFUSED;
	}
	if (e != ERR_OK)
		return refuse_err(e, "account");
	print_otp(&acct, otp);
	return 0;
}

struct user_row {
	struct store *st;
};

static int
print_user(const struct account *acct, void *arg)
{
	struct user_row *u = arg;
	struct school s;
	char when[32] = "-";

	s.slug[0] = '\0';
	if (acct->school_id)
		store_school_get(u->st, acct->school_id, &s);
	if (acct->last_login)
		time_fmt_local(acct->last_login, when, sizeof(when));
	printf("%-24s %-12s %-20s %-18s %s\n", acct->username,
	       role_word(acct->role), acct->school_id ? s.slug : "-", when,
	       acct->disabled      ? cli_msg(CM_USER_STATE_DISABLED)
	       : acct->must_change ? cli_msg(CM_USER_STATE_OTP)
	                           : cli_msg(CM_USER_STATE_ACTIVE));
	return 0;
}

static int
user_list(struct store *st, const struct args *a, const struct config *c)
{
	(void)c;
	const char *slug = args_get(a, "school");
	struct user_row u = { st };
	struct school s;
	int rc;

	s.id = 0;
	if (slug != NULL && (rc = find_school(st, slug, &s)))
		return rc;
	printf("%-24s %-12s %-20s %-18s %s\n", cli_msg(CM_USER_COL_USERNAME),
	       cli_msg(CM_USER_COL_ROLE), "SCHOOL",
	       cli_msg(CM_USER_COL_LAST_LOGIN), cli_msg(CM_USER_COL_STATE));
	return store_account_list(st, s.id, print_user, &u) == ERR_OK
	               ? 0
	               : EXIT_REFUSED;
}

static int
user_reset(struct store *st, const struct args *a, const struct config *c)
{
	(void)c;
	struct account acct;
	char otp[OTP_SIZE];
	enum err e;
	int rc;

	if ((rc = find_user(st, a, "biebsync admin user reset-password NAAM",
	                    &acct)))
		return rc;
	if ((e = account_reset_password(st, &cli_actor, &acct, otp)) != ERR_OK)
		return refuse_err(e, "account");
	print_otp(&acct, otp);
	if (acct.disabled)
		fputs(cli_msg(CM_USER_NOTE_DISABLED), stdout);
	return 0;
}

static int
user_disable(struct store *st, const struct args *a, const struct config *c)
{
	(void)c;
	struct account acct;
	enum err e;
	int rc;

	if ((rc = find_user(st, a, "biebsync admin user disable NAAM", &acct)))
		return rc;
	if ((e = account_set_disabled(st, &cli_actor, &acct, true)) != ERR_OK)
		return refuse_err(e, "account");
	printf(cli_msg(CM_USER_DISABLED), acct.username);
	return 0;
}

/* reset-two-step: by --username NAME or NAME */
static int
user_reset_twostep(struct store *st, const struct args *a,
                   const struct config *c)
{
	(void)c;
	static const char usage[] =
	        "biebsync admin user reset-two-step --username NAAM";
	const char *name = args_get(a, "username");
	struct account acct;
	enum err e;

	if ((name == NULL) == (a->nwords != 3)) {
		fprintf(stderr, cli_msg(CM_USAGE), usage);
		return EXIT_USAGE;
	}
	if (name == NULL)
		name = a->words[2];
	e = store_account_by_name(st, name, &acct);
	if (e == ERR_NOTFOUND) {
		fprintf(stderr, cli_msg(CM_USER_UNKNOWN), name);
		return EXIT_REFUSED;
	}
	if (e != ERR_OK ||
	    (e = account_reset_twostep(st, &cli_actor, &acct)) != ERR_OK)
		return refuse_err(e, "account");
	printf(cli_msg(CM_USER_TWOSTEP_RESET), acct.username);
	return 0;
}

static int
print_audit(const struct audit_entry *e, void *arg)
{
	char when[32];

	(void)arg;
	time_fmt_iso(e->at, when, sizeof(when));
	printf("%s %-18s %-20s %-16s school=%lld %s\n", when,
	       audit_event_word(e->event), e->actor, e->addr,
	       (long long)e->school_id, e->detail);
	return 0;
}

static int
audit_list(struct store *st, const struct args *a, const struct config *c)
{
	(void)c;
	const char *slug = args_get(a, "school"), *lim = args_get(a, "limit");
	struct audit_filter f = { .event = -1 };
	struct library l;
	struct school s;
	uint64_t limit = 50;
	int rc;

	if (lim != NULL && parse_u64(lim, 1, 100000, &limit) != ERR_OK) {
		fputs(cli_msg(CM_AUDIT_LIMIT_INVALID), stderr);
		return EXIT_USAGE;
	}
	if (slug != NULL && (rc = find_school(st, slug, &s)))
		return rc;
	if (args_get(a, "library") != NULL &&
	    (rc = find_library(st, a, "", &l)))
		return rc;
	f.school_id = slug != NULL ? s.id : 0;
	f.library_id = args_get(a, "library") != NULL ? l.id : 0;
	f.limit = (int)limit;
	return store_audit_list(st, &f, print_audit, NULL) == ERR_OK
	               ? 0
	               : EXIT_REFUSED;
}

static int
print_import(const struct import_rec *r, void *arg)
{
	char when[32];

	(void)arg;
	time_fmt_local(r->created, when, sizeof(when));
	printf("%-6lld %-16s %-10s %-10s %4lld %4lld %4lld %4lld %4lld %4lld"
	       " %4lld  %s\n",
	       (long long)r->id, when, r->actor, import_state_word(r->state),
	       (long long)r->counts[CHANGE_NEW],
	       (long long)r->counts[CHANGE_LEFT],
	       (long long)r->counts[CHANGE_MOVED],
	       (long long)r->counts[CHANGE_JAARGROEP],
	       (long long)r->counts[CHANGE_CORRECTED],
	       (long long)r->counts[CHANGE_REENROLLED],
	       (long long)r->counts[CHANGE_RENUMBERED],
	       r->filename[0] ? r->filename : cli_msg(CM_FILE_ERASED));
	return 0;
}

static int
import_list(struct store *st, const struct args *a, const struct config *c)
{
	struct school s;
	int rc;

	(void)c;
	if ((rc = need(a, "school",
	               "biebsync admin import list --school SLUG")))
		return rc;
	if ((rc = find_school(st, args_get(a, "school"), &s)))
		return rc;
	printf("%-6s %-16s %-10s %-10s %4s %4s %4s %4s %4s %4s %4s  %s\n", "ID",
	       cli_msg(CM_IMPORT_COL_TIME), cli_msg(CM_IMPORT_COL_BY),
	       cli_msg(CM_IMPORT_COL_STATE), cli_msg(CM_IMPORT_COL_NEW),
	       cli_msg(CM_IMPORT_COL_LEFT), cli_msg(CM_IMPORT_COL_MOVED),
	       cli_msg(CM_IMPORT_COL_JAARGROEP),
	       cli_msg(CM_IMPORT_COL_CORRECTED),
	       cli_msg(CM_IMPORT_COL_REENROLLED),
	       cli_msg(CM_IMPORT_COL_RENUMBERED), cli_msg(CM_IMPORT_COL_FILE));
	return store_import_list(st, 0, s.id, 1000, print_import, NULL) ==
	                       ERR_OK
	               ? 0
	               : EXIT_REFUSED;
}

/* The id named by the third word; 0 (after a message) when it is not one. */
static int64_t
import_id_word(const struct args *a)
{
	uint64_t id = 0;

	if (a->nwords >= 3 &&
	    parse_u64(a->words[2], 1, INT64_MAX, &id) != ERR_OK) {
		fprintf(stderr, cli_msg(CM_IMPORT_ID_INVALID), a->words[2]);
		return 0;
	}
	if (id == 0)
		fputs(cli_msg(CM_IMPORT_ID_MISSING), stderr);
	return (int64_t)id;
}

static int
print_journal(enum change_kind kind, const struct student *before,
              const struct student *after, void *arg)
{
	enum change_kind *shown = arg;

	if (!change_listed(kind))
		return 0;
	if (*shown != kind)
		printf("\n%s:\n", change_label(kind, cli_lang()));
	*shown = kind;
	cli_print_change(before, after);
	return 0;
}

static int
import_show(struct store *st, const struct args *a, const struct config *c)
{
	struct school s;
	struct import_rec r;
	struct group_line *g = NULL;
	enum change_kind shown = CHANGE__MAX;
	char when[32];
	size_t ng = 0;
	int64_t id;
	int rc;

	(void)c;
	if ((rc = need(a, "school",
	               "biebsync admin import show ID --school SLUG")))
		return rc;
	if ((rc = find_school(st, args_get(a, "school"), &s)))
		return rc;
	if ((id = import_id_word(a)) == 0)
		return EXIT_USAGE;
	if (store_import_get(st, s.id, id, &r) != ERR_OK)
		return refuse_outcome(IMPORT_NOT_FOUND);
	time_fmt_local(r.created, when, sizeof(when));
	printf(cli_msg(CM_IMPORT_SHOW), (long long)r.id, s.name,
	       r.filename[0] ? r.filename : cli_msg(CM_FILE_ERASED), r.format,
	       r.layout, (long long)r.size, r.actor, when,
	       import_state_word(r.state));
	cli_print_counts(r.counts);
	if (store_import_changes(st, r.id, print_journal, &shown) != ERR_OK ||
	    store_import_groups(st, r.id, &g, &ng) != ERR_OK) {
		free(g);
		return refuse_outcome(IMPORT_FAILED);
	}
	cli_print_groups(g, ng);
	free(g);
	return 0;
}

static int
import_undo_cmd(struct store *st, const struct args *a, const struct config *c)
{
	struct school s;
	struct import_rec r;
	enum import_outcome o;
	int64_t id = 0;
	int rc;

	(void)c;
	if ((rc = need(a, "school",
	               "biebsync admin import undo [ID] --school SLUG")))
		return rc;
	if ((rc = find_school(st, args_get(a, "school"), &s)))
		return rc;
	if (a->nwords >= 3 && (id = import_id_word(a)) == 0)
		return EXIT_USAGE;
	o = import_undo(st, &cli_actor, s.id, id, &r);
	if (o != IMPORT_OK)
		return refuse_outcome(o);
	printf(cli_msg(CM_IMPORT_UNDONE), (long long)r.id);
	return 0;
}

/* apply or cancel a staged preview */
static int
import_decide(struct store *st, const struct args *a, const struct config *c,
              bool do_apply)
{
	struct import_config ic;
	struct school s;
	struct import_rec r;
	enum import_outcome o;
	int64_t id;
	int rc;

	if ((rc = need(
	             a, "school",
	             do_apply
	                     ? "biebsync admin import apply ID --school SLUG [--confirm-guard]"
	                     : "biebsync admin import cancel ID --school SLUG")))
		return rc;
	if ((rc = find_school(st, args_get(a, "school"), &s)))
		return rc;
	if ((id = import_id_word(a)) == 0)
		return EXIT_USAGE;
	config_imports(c, &ic);
	o = do_apply ? import_confirm(st, &ic, &cli_actor, s.id, id,
	                              args_get(a, "confirm-guard") != NULL, &r)
	             : import_cancel(st, &cli_actor, s.id, id, &r);
	if (o != IMPORT_OK)
		return refuse_outcome(o);
	printf(do_apply ? cli_msg(CM_IMPORT_APPLIED)
	                : cli_msg(CM_IMPORT_CANCELLED),
	       (long long)r.id);
	return 0;
}

static int
import_apply_cmd(struct store *st, const struct args *a, const struct config *c)
{
	return import_decide(st, a, c, true);
}

static int
import_cancel_cmd(struct store *st, const struct args *a,
                  const struct config *c)
{
	return import_decide(st, a, c, false);
}

/* The OneRoster 1.1 zip of school s to stdout, never to a terminal. */
static int
roster_export_oneroster(struct store *st, const struct school *s)
{
	struct library lib;
	struct oneroster_school sc;
	struct student *v;
	size_t n;
	int64_t version;
	struct buf b;
	int rc;

	if (isatty(STDOUT_FILENO)) {
		fputs(cli_msg(CM_EXPORT_ZIP_TERMINAL), stderr);
		return EXIT_USAGE;
	}
	memset(&lib, 0, sizeof(lib));
	if (s->library_id > 0 &&
	    store_library_get(st, s->library_id, &lib) != ERR_OK)
		return refuse_err(ERR_DB, "library");
	if (store_roster_load(st, s->id, &v, &n, &version) != ERR_OK)
		return refuse_err(ERR_DB, "roster");
	sc = (struct oneroster_school){ s->id,  s->slug,  s->name, s->brin,
		                        lib.id, lib.slug, lib.name };
	buf_init(&b, (size_t)1 << 31);
	rc = export_oneroster(&b, &sc, v, n, time_now()) == ERR_OK
	             ? 0
	             : EXIT_REFUSED;
	if (rc == 0)
		fwrite(b.data, 1, b.len, stdout);
	buf_release_secret(&b);
	free(v);
	return rc;
}

static int
roster_export(struct store *st, const struct args *a, const struct config *c)
{
	static const char usage[] =
	        "biebsync admin roster export --school SLUG --format csv|json|schoolwise|oneroster";
	enum export_format f;
	struct school s;
	struct student *v;
	size_t n, shortened;
	int64_t version;
	struct buf b;
	int rc;

	(void)c;
	if ((rc = need(a, "school", usage)) || (rc = need(a, "format", usage)))
		return rc;
	if (strcmp(args_get(a, "format"), "oneroster") == 0) {
		if ((rc = find_school(st, args_get(a, "school"), &s)))
			return rc;
		return roster_export_oneroster(st, &s);
	}
	if (!export_format_parse(args_get(a, "format"), &f)) {
		fprintf(stderr, cli_msg(CM_USAGE), usage);
		return EXIT_USAGE;
	}
	if ((rc = find_school(st, args_get(a, "school"), &s)))
		return rc;
	if (store_roster_load(st, s.id, &v, &n, &version) != ERR_OK)
		return refuse_err(ERR_DB, "roster");
	buf_init(&b, (size_t)1 << 31);
	rc = export_roster(&b, f, v, n, &shortened) == ERR_OK ? 0
	                                                      : EXIT_REFUSED;
	fwrite(b.data, 1, b.len, stdout);
	if (shortened > 0)
		fprintf(stderr, cli_msg(CM_EXPORT_GROUPS_CHANGED), shortened);
	buf_release(&b);
	free(v);
	return rc;
}

static int
purge(struct store *st, const struct args *a, const struct config *c)
{
	struct import_config ic;
	struct purge_counts pc;
	enum err e;

	(void)a;
	config_imports(c, &ic);
	e = import_purge(st, &ic, &cli_actor, time_now(), &pc);
	if (e != ERR_OK)
		return refuse_err(e, "purge");
	printf(cli_msg(CM_PURGE_DONE), (long long)pc.previews,
	       (long long)pc.imports, (long long)pc.anonymised);
	return 0;
}

/* The pupil --number of school --school (its number as written or as
 * matched); 0 after a message when there is none. */
static int
find_pupil(struct store *st, const struct args *a, const char *usage,
           struct school *s, struct student *out)
{
	const char *number = args_get(a, "number");
	char key[STUDENT_NUMBER_MAX + 1];
	struct student *v;
	size_t n;
	int64_t version;
	bool found = false;
	int rc;

	if ((rc = need(a, "school", usage)) || (rc = need(a, "number", usage)))
		return rc;
	if ((rc = find_school(st, args_get(a, "school"), s)))
		return rc;
	if (store_roster_load(st, s->id, &v, &n, &version) != ERR_OK)
		return refuse_err(ERR_DB, "roster");
	norm_number_key(number, key, sizeof(key));
	for (size_t i = 0; i < n && !found; i++)
		if (strcmp(v[i].number, number) == 0 ||
		    strcmp(v[i].number_key, key) == 0) {
			*out = v[i];
			found = true;
		}
	explicit_bzero(v, n * sizeof(*v));
	free(v);
	if (!found) {
		fprintf(stderr, cli_msg(CM_PUPIL_UNKNOWN), number, s->slug);
		return EXIT_REFUSED;
	}
	return 0;
}

/* Everything stored about one pupil, as the web's gegevens.json. */
static int
pupil_show(struct store *st, const struct args *a, const struct config *c)
{
	struct pupil_change *ch = NULL;
	struct pupil_issue *is = NULL;
	struct student p;
	struct school s;
	struct buf b;
	size_t n = 0, ni = 0;
	int rc;

	(void)c;
	if ((rc = find_pupil(
	             st, a,
	             "biebsync admin pupil show --school SLUG --number NUMMER",
	             &s, &p)))
		return rc;
	if (store_pupil_changes(st, p.id, &ch, &n) != ERR_OK ||
	    store_pupil_issues(st, p.id, &is, &ni) != ERR_OK) {
		free(ch);
		return refuse_err(ERR_DB, "pupil");
	}
	buf_init(&b, (size_t)64 << 20);
	{
		struct pupil_record r = { &s, &p, ch, n, is, ni };

		rc = pupil_json(&b, &r, time_now()) == ERR_OK ? 0
		                                              : EXIT_REFUSED;
	}
	fwrite(b.data, 1, b.len, stdout);
	audit(st, AUDIT_PUPIL_ACCESS, 0, s.id, cli_actor.name, cli_actor.addr,
	      "pupil %lld: shown", (long long)p.id);
	buf_release_secret(&b);
	free(ch);
	free(is);
	return rc;
}

static int
pupil_erase(struct store *st, const struct args *a, const struct config *c)
{
	struct pupil_erasure out;
	struct student p;
	struct school s;
	int64_t id;
	enum err e;
	int rc;

	(void)c;
	if ((rc = find_pupil(
	             st, a,
	             "biebsync admin pupil erase --school SLUG --number NUMMER",
	             &s, &p)))
		return rc;
	id = p.id;
	e = store_pupil_erase(st, &cli_actor, s.id, id, &out);
	explicit_bzero(&p, sizeof(p));
	if (e != ERR_OK)
		return refuse_err(e, "pupil");
	printf(cli_msg(CM_PUPIL_ERASED), (long long)id, s.slug,
	       (long long)out.journal_rows, (long long)out.previews);
	return 0;
}

/* Whether s holds a control character (a name is one line of text). */
static bool
has_control(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

static int
token_add(struct store *st, const struct args *a, const struct config *c)
{
	static const char usage[] =
	        "biebsync admin token add --library SLUG --name NAAM";
	const char *name = args_get(a, "name");
	char secret[API_TOKEN_SIZE];
	struct api_token t;
	struct library l;
	enum err e;
	int rc;

	(void)c;
	if ((rc = need(a, "library", usage)) || (rc = need(a, "name", usage)))
		return rc;
	if ((rc = find_library(st, a, usage, &l)))
		return rc;
	memset(&t, 0, sizeof(t));
	if (str_copy(t.name, sizeof(t.name), name) != ERR_OK ||
	    !utf8_valid(name, strlen(name)) || has_control(name)) {
		fputs(cli_msg(CM_TOKEN_NAME_INVALID), stderr);
		return EXIT_REFUSED;
	}
	t.library_id = l.id;
	api_token_make(secret, &t);
	e = store_token_add(st, &cli_actor, &t);
	if (e != ERR_OK) {
		explicit_bzero(secret, sizeof(secret));
		return refuse_err(e, "token");
	}
	printf(cli_msg(CM_TOKEN_CREATED), (long long)t.id, t.name, l.slug);
	printf("%s\n", secret);
	explicit_bzero(secret, sizeof(secret));
	return 0;
}

static int
print_token(const struct api_token *t, void *arg)
{
	struct store *st = arg;
	struct library l;
	char created[32], used[32], revoked[32];

	if (store_library_get(st, t->library_id, &l) != ERR_OK)
		snprintf(l.slug, sizeof(l.slug), "%lld",
		         (long long)t->library_id);
	time_fmt_local(t->created, created, sizeof(created));
	if (t->last_used != 0)
		time_fmt_local(t->last_used, used, sizeof(used));
	else
		str_copy(used, sizeof(used), cli_msg(CM_TOKEN_NEVER));
	if (t->revoked != 0)
		time_fmt_local(t->revoked, revoked, sizeof(revoked));
	else
		str_copy(revoked, sizeof(revoked), "-");
	printf("%-6lld %-16s %-20s %-14s %-16s %-10s %-16s %s\n",
	       (long long)t->id, l.slug, t->name, t->prefix, created,
	       t->created_by, used, revoked);
	return 0;
}

static int
token_list(struct store *st, const struct args *a, const struct config *c)
{
	struct library l = { 0 };
	int rc;

	(void)c;
	if (args_get(a, "library") != NULL &&
	    (rc = find_library(
	             st, a, "biebsync admin token list [--library SLUG]", &l)))
		return rc;
	printf("%-6s %-16s %-20s %-14s %-16s %-10s %-16s %s\n", "ID",
	       cli_msg(CM_TOKEN_COL_LIBRARY), cli_msg(CM_TOKEN_COL_NAME),
	       cli_msg(CM_TOKEN_COL_START), cli_msg(CM_TOKEN_COL_CREATED),
	       cli_msg(CM_TOKEN_COL_BY), cli_msg(CM_TOKEN_COL_USED),
	       cli_msg(CM_TOKEN_COL_REVOKED));
	return store_token_list(st, l.id, print_token, st) == ERR_OK
	               ? 0
	               : EXIT_REFUSED;
}

static int
token_revoke(struct store *st, const struct args *a, const struct config *c)
{
	uint64_t id;
	enum err e;

	(void)c;
	if (parse_u64(a->words[2], 1, INT64_MAX, &id) != ERR_OK) {
		fprintf(stderr, cli_msg(CM_TOKEN_UNKNOWN), a->words[2]);
		return EXIT_REFUSED;
	}
	e = store_token_revoke(st, &cli_actor, 0, (int64_t)id, time_now());
	if (e == ERR_NOTFOUND) {
		fprintf(stderr, cli_msg(CM_TOKEN_UNKNOWN), a->words[2]);
		return EXIT_REFUSED;
	}
	if (e == ERR_STATE) {
		fprintf(stderr, cli_msg(CM_TOKEN_ALREADY_REVOKED),
		        (long long)id);
		return EXIT_REFUSED;
	}
	if (e != ERR_OK)
		return refuse_err(e, "token");
	printf(cli_msg(CM_TOKEN_REVOKED), (long long)id);
	return 0;
}

struct action {
	const char *noun, *verb;
	int (*run)(struct store *, const struct args *, const struct config *);
	int words; /* expected word count, -1: checked by run */
};

static const struct action actions[] = {
	{ "library", "add", library_add, 2 },
	{ "library", "list", library_list, 2 },
	{ "school", "add", school_add, 2 },
	{ "school", "list", school_list, 2 },
	{ "user", "add", user_add, 2 },
	{ "user", "list", user_list, 2 },
	{ "user", "reset-password", user_reset, -1 },
	{ "user", "disable", user_disable, -1 },
	{ "user", "reset-two-step", user_reset_twostep, -1 },
	{ "audit", NULL, audit_list, 1 },
	{ "import", "list", import_list, 2 },
	{ "import", "show", import_show, 3 },
	{ "import", "undo", import_undo_cmd, -1 },
	{ "import", "apply", import_apply_cmd, 3 },
	{ "import", "cancel", import_cancel_cmd, 3 },
	{ "roster", "export", roster_export, 2 },
	{ "purge", NULL, purge, 1 },
	{ "pupil", "show", pupil_show, 2 },
	{ "pupil", "erase", pupil_erase, 2 },
	{ "token", "add", token_add, 2 },
	{ "token", "list", token_list, 2 },
	{ "token", "revoke", token_revoke, 3 },
};

static int
admin_usage(void)
{
	fputs(cli_msg(CM_ADMIN_USAGE), stderr);
	fprintf(stderr,
	        "  biebsync admin library add --name NAME [--slug SLUG]\n"
	        "  biebsync admin library list\n"
	        "  biebsync admin school add --name NAME --brin CODE [--slug SLUG] [--library SLUG]\n"
	        "  biebsync admin school list [--library SLUG]\n"
	        "  biebsync admin user add --username NAME --role docent|bibliotheek [--school SLUG | --library SLUG]\n"
	        "  biebsync admin user list [--school SLUG]\n"
	        "  biebsync admin user reset-password NAME\n"
	        "  biebsync admin user disable NAME\n"
	        "  biebsync admin user reset-two-step --username NAME\n"
	        "  biebsync admin audit [--school SLUG] [--library SLUG] [--limit N]\n"
	        "  biebsync admin pupil show|erase --school SLUG --number NUMBER\n"
	        "  biebsync admin token add --library SLUG --name NAME\n"
	        "  biebsync admin token list [--library SLUG]\n"
	        "  biebsync admin token revoke ID\n"
	        "%s",
	        cli_msg(CM_ADMIN_COMMON_OPTIONS));
	return EXIT_USAGE;
}

int
cmd_admin(int argc, char **argv)
{
	static const struct opt_spec spec[] = {
		COMMON_OPTS,         { "name", true },
		{ "brin", true },    { "slug", true },
		{ "school", true },  { "username", true },
		{ "role", true },    { "limit", true },
		{ "format", true },  { "confirm-guard", false },
		{ "library", true }, { "number", true },
		{ NULL, false },
	};
	const struct action *act = NULL;
	struct args a;
	struct config c;
	struct store *st;
	int rc;

	if (!args_parse(argc, argv, spec, &a))
		return EXIT_USAGE;
	for (size_t i = 0; i < sizeof(actions) / sizeof(actions[0]); i++) {
		const struct action *x = &actions[i];

		if (a.nwords >= 1 && strcmp(a.words[0], x->noun) == 0 &&
		    (x->verb == NULL ||
		     (a.nwords >= 2 && strcmp(a.words[1], x->verb) == 0)))
			act = x;
	}
	if (act == NULL || (act->words >= 0 && a.nwords != act->words))
		return admin_usage();
	if (!cli_open(&a, &c, &st))
		return EXIT_REFUSED;
	rc = act->run(st, &a, &c);
	store_close(st);
	return rc;
}
