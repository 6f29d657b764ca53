/*
 * The page handlers, one per route in app.c's table.  Each receives a page
 * whose access rules, CSRF token and declared form fields have already been
 * checked by the dispatcher.
 */
#ifndef BIEBSYNC_WEB_PAGES_H
#define BIEBSYNC_WEB_PAGES_H

#include "page.h"

#define COOKIE_SESSION "biebsync"
#define COOKIE_PRE     "biebsync_pre"
#define COOKIE_LANG    "lang"

/* pages_login.c */
void get_login(struct page *p);
/*
 * The session has just been ended for too many wrong passwords (see
 * login_recheck): the session cookie is cleared and the answer is the
 * login page with status 429 saying why.
 */
void login_after_ended_session(struct page *p);
void post_login(struct page *p);
void post_logout(struct page *p);
void get_help_login(struct page *p);

/* pages_home.c */
void get_home(struct page *p);
/* A notice of the school's unconfirmed preview, if there is one that can
 * still be confirmed, with a link to it; uploading: on the upload page,
 * which says that a new file replaces it. */
void open_preview_banner(struct page *p, bool uploading);

/* pages_import.c */
void get_help_guide(struct page *p);
void get_upload(struct page *p);
void post_upload(struct page *p);
void get_example(struct page *p);
void get_imports(struct page *p);
void get_import(struct page *p);
void get_report(struct page *p);
void post_confirm(struct page *p);
void post_cancel(struct page *p);
void get_undo(struct page *p);
void post_undo(struct page *p);
void upload_too_large(struct page *p);
/* "doorgevoerd", "geannuleerd", ... in the page's language; "niet
 * ingelezen – 2 fouten" for a file that could not be read in. */
void import_status(struct page *p, const struct import_rec *r, char *out,
                   size_t outsz);
/* The table of uploads, newest first, at most limit: of school_id, or
 * (library staff, school_id 0) of every school of the library with a
 * column naming the school.  Says so when there are none; false then. */
bool import_table(struct page *p, int64_t school_id, int limit);

/* pages_account.c */
void get_details(struct page *p);
void get_forced_password(struct page *p);
void post_password(struct page *p);
/* The start page's notice after a one-time password was replaced. */
void password_changed_notice(struct page *p);

/* pages_records.c */
void get_library_imports(struct page *p);
void get_audit(struct page *p);

/* pages_roster.c */
void get_roster(struct page *p);
void get_roster_csv(struct page *p);
void get_roster_json(struct page *p);
void get_roster_schoolwise(struct page *p);
void get_roster_oneroster(struct page *p);

/* pages_pupil.c */
void get_pupil(struct page *p);
void get_pupil_json(struct page *p);
void get_pupil_erase(struct page *p);
void post_pupil_erase(struct page *p);
/* pages_library.c */
/* The notice that a redirect after an action asks for (?name=1);
 * "opgeslagen" says saved. */
void library_notice(struct page *p, enum msg saved);
/* The start page of library staff: the library's schools. */
void library_home(struct page *p);
void get_school_new(struct page *p);
void post_school_new(struct page *p);
void get_school(struct page *p);
void get_school_edit(struct page *p);
void post_school_edit(struct page *p);

/* A contact form's problems, one per field (MSG__MAX: none). */
struct contact_errors {
	enum msg name, phone, email;
};
/* Read the fields "contactnaam", "telefoon" and "email"; false when one
 * is too long to hold. */
bool library_contact_read(struct page *p, struct contact *c);
/* Check each part of c on its own (account_contact_valid). */
void library_contact_check(const struct contact *c, struct contact_errors *e);
/* The three inputs in a fieldset with this legend and hint. */
void library_contact_inputs(struct page *p, enum msg legend, enum msg hint,
                            const struct contact *c,
                            const struct contact_errors *e);
/* The contact as a list; a sentence when it is empty. */
void library_contact_details(struct page *p, const struct contact *c);

/* pages_library_accounts.c */
/* The table of the accounts of school_id (0: the library's own accounts)
 * with their actions; false (nothing written) when there are none. */
bool library_account_table(struct page *p, int64_t school_id);
void get_account_new(struct page *p);
void post_account_new(struct page *p);
void get_library_account_new(struct page *p);
void post_library_account_new(struct page *p);
void post_account_reset(struct page *p);
void post_account_disable(struct page *p);
void post_account_enable(struct page *p);
void post_account_twostep_reset(struct page *p);
void get_organisation(struct page *p);
void post_organisation(struct page *p);

/* pages_library_tokens.c: API keys (issue 13) */
void get_tokens(struct page *p);
void post_tokens(struct page *p);
void get_token_revoke(struct page *p);
void post_token_revoke(struct page *p);

/* pages_help.c */
void get_help_upload(struct page *p);
/* The library's contact details as an <address>; false (nothing written)
 * when none are configured, so the caller's sentence stands alone. */
bool help_contact(struct page *p);
/* "Meer hulp": links to the other help pages. */
void help_more(struct page *p);

/* pages_totp.c: two-step login */
void get_code(struct page *p);
void post_code(struct page *p);
void get_twostep(struct page *p);
void post_twostep(struct page *p);
void post_twostep_off(struct page *p);
/* The two-step section of Mijn gegevens; error: beside the password to
 * turn it off (MSG__MAX: none). */
void twostep_section(struct page *p, enum msg error);

/* pages_account.c: Mijn gegevens again, turning two-step off refused
 * with status (422: a wrong password, 429: throttled) and error. */
void details_refused_twostep(struct page *p, int status, enum msg error);

#endif
