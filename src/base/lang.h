/*
 * The languages biebsync writes for people in: Dutch, the default, and
 * English.
 *
 * Every text a person reads lives in a table with one column per language,
 * indexed by enum lang ([...][LANG__MAX], Dutch first), so that a text and
 * its translation stand on one row.  The layer that talks to people chooses
 * the language (the web per request, web/i18n.h; the command line from its
 * environment, cli/msg.h) and passes it down to the layers below, which
 * never choose one themselves.  Logs stay English whatever the language.
 */
#ifndef BIEBSYNC_BASE_LANG_H
#define BIEBSYNC_BASE_LANG_H

enum lang { LANG_NL, LANG_EN, LANG__MAX };

/*
 * The text in lang from one row of a table: texts[lang]; the Dutch text
 * when lang is out of range or the row has none in lang; "" when the row
 * has no Dutch text either.  Never NULL.
 */
const char *lang_pick(const char *const texts[LANG__MAX], enum lang lang);

/* The language's code, for <html lang>: "nl" or "en". */
const char *lang_code(enum lang lang);

#endif
