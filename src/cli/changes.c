/*
 * How the command line shows an import (`biebsync import` and `biebsync
 * admin import show`): the counts per kind, each listed student with the
 * fields that change, and the groups that are only written differently
 * (the library system's group codes are in the JSON and on the web).
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "../roster/norm.h"

void
cli_print_counts(const int64_t *counts)
{
	for (int i = 0; i < CHANGE__MAX; i++) {
		enum change_kind k = change_order[i];

		if (counts[k] != 0 || k == CHANGE_UNCHANGED)
			printf("  %-32s %6lld\n", change_label(k, cli_lang()),
			       (long long)counts[k]);
	}
}

void
cli_print_change(const struct student *before, const struct student *after)
{
	const struct student *s = after ? after : before;
	struct field_change f[FIELD__MAX];
	char name[200], born[16];
	size_t n = before && after ? change_fields(before, after, f) : 0;

	/* a pupil erased on request (AVG): its lines keep only their kind */
	if (s->number[0] == '\0' && s->roepnaam[0] == '\0' &&
	    s->achternaam[0] == '\0') {
		printf("  %s\n", cli_msg(CM_ERASED_PUPIL));
		return;
	}
	student_name(s, name, sizeof(name));
	norm_date_fmt(s->birth, born, sizeof(born));
	printf("  %-12s %-36s %s  %-10s", s->number, name, born, s->group);
	for (size_t i = 0; i < n; i++)
		printf("%s%s: %s \xe2\x86\x92 %s", i ? "; " : "  ",
		       change_field_label(f[i].field, cli_lang()), f[i].before,
		       f[i].after);
	printf("\n");
}

void
cli_print_groups(const struct group_line *g, size_t n)
{
	bool head = false;

	for (size_t i = 0; i < n; i++) {
		if (!group_renamed(&g[i]))
			continue;
		if (!head)
			printf("\n%s:\n",
			       change_label(CHANGE_GROUP_NAME, cli_lang()));
		head = true;
		printf(g[i].n_after == 1 ? cli_msg(CM_GROUP_RENAMED_ONE)
		                         : cli_msg(CM_GROUP_RENAMED),
		       g[i].before, g[i].after, (long long)g[i].n_after);
	}
}
