/*
 * Words for change kinds and freeing plans (see model.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

static const char *const change_words[] = {
	[CHANGE_NEW] = "new",
	[CHANGE_LEFT] = "left",
	[CHANGE_MOVED] = "moved",
	[CHANGE_CORRECTED] = "corrected",
	[CHANGE_REENROLLED] = "reenrolled",
	[CHANGE_RENUMBERED] = "renumbered",
	[CHANGE_UNCHANGED] = "unchanged",
	[CHANGE_JAARGROEP] = "jaargroep",
	[CHANGE_GROUP_NAME] = "group_name",
};
_Static_assert(sizeof(change_words) / sizeof(change_words[0]) == CHANGE__MAX,
               "every change kind needs a word");

const char *
change_word(enum change_kind k)
{
	return (unsigned)k < CHANGE__MAX ? change_words[k] : "?";
}

const char *
change_label(enum change_kind k, enum lang lang)
{
	static const char *const labels[CHANGE__MAX][LANG__MAX] = {
		[CHANGE_NEW] = { "nieuw", "new" },
		[CHANGE_LEFT] = { "uitgeschreven", "unenrolled" },
		[CHANGE_MOVED] = { "nieuwe groep", "new group" },
		[CHANGE_CORRECTED] = { "gegevens gewijzigd",
		                       "details corrected" },
		[CHANGE_REENROLLED] = { "herinschrijving", "re-enrolled" },
		[CHANGE_RENUMBERED] = { "nieuw leerlingnummer",
		                        "new student number" },
		[CHANGE_UNCHANGED] = { "ongewijzigd", "unchanged" },
		[CHANGE_JAARGROEP] = { "zelfde groep, andere jaargroep",
		                       "same group, other year group" },
		[CHANGE_GROUP_NAME] = { "groepsnaam anders geschreven",
		                        "group name written differently" },
	};

	return (unsigned)k < CHANGE__MAX ? lang_pick(labels[k], lang) : "?";
}

const enum change_kind change_order[CHANGE__MAX] = {
	CHANGE_NEW,        CHANGE_LEFT,       CHANGE_MOVED,
	CHANGE_JAARGROEP,  CHANGE_CORRECTED,  CHANGE_RENUMBERED,
	CHANGE_REENROLLED, CHANGE_GROUP_NAME, CHANGE_UNCHANGED,
};

bool
change_listed(enum change_kind k)
{
	return k != CHANGE_UNCHANGED && k != CHANGE_GROUP_NAME &&
	       (unsigned)k < CHANGE__MAX;
}

bool
change_parse(const char *word, enum change_kind *out)
{
	for (int i = 0; i < CHANGE__MAX; i++)
		if (strcmp(word, change_words[i]) == 0) {
			*out = (enum change_kind)i;
			return true;
		}
	return false;
}

void
student_name(const struct student *s, char *out, size_t outsz)
{
	snprintf(out, outsz, "%s%s%s %s", s->roepnaam,
	         s->tussenvoegsel[0] ? " " : "", s->tussenvoegsel,
	         s->achternaam);
}

void
plan_release(struct plan *p)
{
	if (p == NULL)
		return;
	free(p->changes);
	memset(p, 0, sizeof(*p));
}
