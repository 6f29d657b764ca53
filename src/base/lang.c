/*
 * Looking up a text in a table row by language (see lang.h).
 */
#include <stddef.h>

#include "lang.h"

const char *
lang_pick(const char *const texts[LANG__MAX], enum lang lang)
{
	if ((unsigned)lang < LANG__MAX && texts[lang] != NULL)
		return texts[lang];
	return texts[LANG_NL] != NULL ? texts[LANG_NL] : "";
}

const char *
lang_code(enum lang lang)
{
	return lang == LANG_EN ? "en" : "nl";
}
