/*
 * Every sentence a school or library user reads on the web, in Dutch (the
 * default) and English, in one table (i18n.c).  Pages refer to messages by
 * enum; a message marked "markup" in the table may contain trusted HTML and
 * is written with html()'s %S, every other one with %s.
 */
#ifndef BIEBSYNC_WEB_I18N_H
#define BIEBSYNC_WEB_I18N_H

enum lang { LANG_NL, LANG_EN, LANG__MAX };

enum msg {
	MSG_SITE,
	MSG_SKIP,
	MSG_LANG_OTHER,
	MSG_LANG_OTHER_CODE,
	MSG_LOGIN_TITLE,
	MSG_LOGIN_INTRO,
	MSG_USERNAME,
	MSG_PASSWORD,
	MSG_LOGIN_BUTTON,
	MSG_LOGIN_HELP_LINK,
	MSG_LOGIN_FAILED,
	MSG_LOGIN_THROTTLED,
	MSG_LOGIN_MISSING,
	MSG_ERROR_SUMMARY,
	MSG_HELP_LOGIN_TITLE,
	MSG_HELP_LOGIN_BODY,
	MSG_BACK_TO_LOGIN,
	MSG_MENU_DOCENT,
	MSG_MENU_LIBRARY,
	MSG_MENU_HOME,
	MSG_MY_DETAILS,
	MSG_HELP,
	MSG_LOGOUT,
	MSG_LOGGED_OUT,
	MSG_DOCENT_WELCOME,
	MSG_DOCENT_INTRO,
	MSG_LIBRARY_WELCOME,
	MSG_LIBRARY_INTRO,
	MSG_SCHOOLS,
	MSG_NO_SCHOOLS,
	MSG_COL_NAME,
	MSG_COL_BRIN,
	MSG_COL_SLUG,
	MSG_COL_ACCOUNTS,
	MSG_ROLE,
	MSG_ROLE_DOCENT,
	MSG_ROLE_LIBRARY,
	MSG_SCHOOL,
	MSG_NO_SCHOOL,
	MSG_LAST_LOGIN,
	MSG_NEVER,
	MSG_CHANGE_PASSWORD,
	MSG_CHANGE_PASSWORD_INTRO,
	MSG_FORCED_TITLE,
	MSG_FORCED_INTRO,
	MSG_CURRENT_PASSWORD,
	MSG_CURRENT_PASSWORD_OTP,
	MSG_NEW_PASSWORD,
	MSG_NEW_PASSWORD_HINT,
	MSG_REPEAT_PASSWORD,
	MSG_SAVE_PASSWORD,
	MSG_PASSWORD_CHANGED,
	MSG_PW_WRONG_CURRENT,
	MSG_PW_MISMATCH,
	MSG_PW_SAME,
	MSG_PW_TOO_SHORT,
	MSG_PW_TOO_LONG,
	MSG_PW_NOT_TEXT,
	MSG_PW_COMMON,
	MSG_PW_REPETITIVE,
	MSG_PW_HAS_USERNAME,
	MSG_PW_HAS_SCHOOL,
	MSG_PW_ERROR,
	MSG_FORBIDDEN_TITLE,
	MSG_FORBIDDEN_BODY,
	MSG_CSRF_TITLE,
	MSG_CSRF_BODY,
	MSG_NOTFOUND_TITLE,
	MSG_NOTFOUND_BODY,
	MSG_BADREQ_TITLE,
	MSG_BADREQ_BODY,
	MSG_ERROR_TITLE,
	MSG_ERROR_BODY,
	MSG_TO_HOME,
	MSG__MAX
};

/* The message in lang. Never NULL. */
const char *msg(enum lang lang, enum msg m);

/* The language code for <html lang>: "nl" or "en". */
const char *lang_code(enum lang lang);

/*
 * Choose a language: a "lang" cookie value ("nl"/"en") wins, then the first
 * of nl/en in Accept-Language, else Dutch.  Either may be NULL.
 */
enum lang lang_choose(const char *cookie, const char *accept_language);

#endif
