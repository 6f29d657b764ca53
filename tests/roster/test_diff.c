/*
 * The diff (src/roster/diff.c): every kind of change in DESIGN.md's table,
 * the safety rule for rows with errors, unambiguous renumbering only, and
 * the guards against the wrong file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "../../src/roster/diff.h"
#include "../../src/roster/summary.h"

static struct student
mk(const char *number, const char *first, const char *prefix, const char *last,
   int32_t birth, const char *group, int jaargroep, bool active)
{
	struct student s;

	memset(&s, 0, sizeof(s));
	snprintf(s.number, sizeof(s.number), "%s", number);
	snprintf(s.number_key, sizeof(s.number_key), "%s", number);
	snprintf(s.roepnaam, sizeof(s.roepnaam), "%s", first);
	snprintf(s.tussenvoegsel, sizeof(s.tussenvoegsel), "%s", prefix);
	snprintf(s.achternaam, sizeof(s.achternaam), "%s", last);
	snprintf(s.group, sizeof(s.group), "%s", group);
	snprintf(s.group_key, sizeof(s.group_key), "%s", group);
	s.birth = birth;
	s.jaargroep = (int8_t)jaargroep;
	s.active = active;
	return s;
}

static const struct diff_limits lim = DIFF_LIMITS_DEFAULT;

/* The change of kind k for file/roster number n, or NULL. */
static const struct change *
find(const struct plan *p, enum change_kind k, const char *n)
{
	for (size_t i = 0; i < p->nchanges; i++) {
		const struct change *c = &p->changes[i];
		const struct student *s = c->after ? c->after : c->before;

		if (c->kind == k && strcmp(s->number, n) == 0)
			return c;
	}
	return NULL;
}

static void
first_import_enrols_everyone_without_guards(void **state)
{
	struct student file[3] = {
		mk("1", "Sanne", "de", "Vries", 20150301, "3a", 3, true),
		mk("2", "Daan", "", "Jansen", 20160411, "2b", 2, true),
		mk("3", "Noor", "van der", "Berg", 20140112, "4a", 4, true),
	};
	struct plan p;

	(void)state;
	diff_build(&p, file, 3, NULL, 0, 0, &lim);
	assert_int_equal(p.counts[CHANGE_NEW], 3);
	assert_int_equal(p.nchanges, 3);
	assert_false(p.guard_unenrol);
	assert_false(p.guard_match);
	plan_release(&p);
}

static void
every_kind_is_recognised(void **state)
{
	struct student roster[] = {
		mk("1", "Sanne", "de", "Vries", 20150301, "3a", 3, true),
		mk("2", "Daan", "", "Jansen", 20160411, "2b", 2, true),
		mk("3", "Noor", "van der", "Berg", 20140112, "4a", 4, true),
		mk("4", "Emma", "", "Bakker", 20130909, "5a", 5, true),
		mk("5", "Lucas", "", "Visser", 20120202, "8a", 8, false),
		mk("6", "Finn", "", "Smit", 20150505, "3a", 3, true),
		mk("7", "Ayla", "", "Kaya", 20190707, "1/2a", 1, true),
		mk("8", "Bram", "", "Bos", 20150808, "3a", 3, true),
	};
	struct student file[] = {
		mk("1", "Sanne", "de", "Vries", 20150301, "3a", 3, true),
		mk("2", "Daan", "", "Jansen", 20160411, "3b", 3, true),
		mk("3", "Noor", "van den", "Berg", 20140112, "4a", 4, true),
		mk("5", "Lucas", "", "Visser", 20120202, "8a", 8, true),
		mk("77", "Finn", "", "Smit", 20150505, "3a", 3, true),
		mk("9", "Mila", "", "Mulder", 20190101, "1a", 1, true),
		mk("7", "Ayla", "", "Kaya", 20190707, "1/2a", 2, true),
		mk("8", "Bram", "", "Bos", 20150808, "Groep 3a", 3, true),
	};
	struct field_change f[FIELD__MAX];
	struct plan p;

	(void)state;
	snprintf(file[7].group_key, sizeof(file[7].group_key), "3a");
	diff_build(&p, file, 8, roster, 8, 42, &lim);
	assert_int_equal(p.roster_version, 42);
	assert_int_equal(p.counts[CHANGE_UNCHANGED], 1);
	assert_non_null(find(&p, CHANGE_MOVED, "2"));
	assert_non_null(find(&p, CHANGE_CORRECTED, "3"));
	assert_non_null(find(&p, CHANGE_LEFT, "4"));
	assert_non_null(find(&p, CHANGE_REENROLLED, "5"));
	assert_non_null(find(&p, CHANGE_RENUMBERED, "77"));
	assert_string_equal(find(&p, CHANGE_RENUMBERED, "77")->before->number,
	                    "6");
	assert_non_null(find(&p, CHANGE_NEW, "9"));
	assert_non_null(find(&p, CHANGE_JAARGROEP, "7"));
	assert_non_null(find(&p, CHANGE_GROUP_NAME, "8"));
	for (int k = 0; k < CHANGE__MAX; k++)
		if (k != CHANGE_UNCHANGED)
			assert_int_equal(p.counts[k], 1);
	assert_int_equal(p.nchanges, 8);
	assert_int_equal(p.active_before, 7);
	/* every student listed with a before and an after shows a field that
	 * changes; one whose group is only written differently is not listed
	 * and shows none */
	for (size_t i = 0; i < p.nchanges; i++) {
		const struct change *c = &p.changes[i];

		if (c->before == NULL || c->after == NULL ||
		    c->kind == CHANGE_REENROLLED)
			continue;
		assert_int_equal(change_listed(c->kind),
		                 change_fields(c->before, c->after, f) > 0);
	}
	assert_int_equal(change_fields(&roster[1], &file[1], f), 2);
	assert_int_equal(f[0].field, FIELD_GROUP);
	assert_string_equal(f[0].before, "2b");
	assert_string_equal(f[0].after, "3b");
	assert_int_equal(f[1].field, FIELD_JAARGROEP);
	assert_int_equal(change_fields(&roster[2], &file[2], f), 1);
	assert_int_equal(f[0].field, FIELD_TUSSENVOEGSEL);
	assert_string_equal(f[0].before, "van der");
	assert_string_equal(f[0].after, "van den");
	plan_release(&p);
}

static void
a_row_with_an_error_keeps_its_student(void **state)
{
	struct student roster[] = {
		mk("1", "Sanne", "de", "Vries", 20150301, "3a", 3, true),
		mk("2", "Daan", "", "Jansen", 20160411, "2b", 2, true),
	};
	struct student file[] = {
		mk("1", "Sanne", "de", "Vries", 20150301, "4a", 4, true),
		mk("2", "", "", "", 0, "", -1, true),
		mk("3", "", "", "", 0, "", -1, true),
	};
	struct plan p;

	(void)state;
	file[1].has_error = true;
	file[2].has_error = true;
	diff_build(&p, file, 3, roster, 2, 1, &lim);
	assert_int_equal(p.counts[CHANGE_LEFT], 0);
	assert_int_equal(p.counts[CHANGE_NEW], 0);
	assert_int_equal(p.counts[CHANGE_MOVED], 1);
	assert_int_equal(p.kept, 1);
	assert_null(find(&p, CHANGE_LEFT, "2"));
	plan_release(&p);
}

static void
renumbering_needs_an_unambiguous_match(void **state)
{
	/* Two children share name and birth date (twins named alike are
	 * rare, data-entry copies are not): nothing is guessed. */
	struct student roster[] = {
		mk("1", "Sam", "", "Kok", 20150101, "3a", 3, true),
		mk("2", "Sam", "", "Kok", 20150101, "3b", 3, true),
	};
	struct student file[] = {
		mk("10", "Sam", "", "Kok", 20150101, "4a", 4, true),
	};
	struct plan p;

	(void)state;
	diff_build(&p, file, 1, roster, 2, 1, &lim);
	assert_int_equal(p.counts[CHANGE_RENUMBERED], 0);
	assert_int_equal(p.counts[CHANGE_NEW], 1);
	assert_int_equal(p.counts[CHANGE_LEFT], 2);
	plan_release(&p);
}

static void
two_file_rows_claiming_one_child_renumber_neither(void **state)
{
	struct student roster[] = {
		mk("1", "Sam", "", "Kok", 20150101, "3a", 3, true),
	};
	struct student file[] = {
		mk("10", "Sam", "", "Kok", 20150101, "4a", 4, true),
		mk("11", "Sam", "", "Kok", 20150101, "4b", 4, true),
	};
	struct plan p;

	(void)state;
	diff_build(&p, file, 2, roster, 1, 1, &lim);
	assert_int_equal(p.counts[CHANGE_RENUMBERED], 0);
	assert_int_equal(p.counts[CHANGE_NEW], 2);
	assert_int_equal(p.counts[CHANGE_LEFT], 1);
	plan_release(&p);
}

static void
renumbering_ignores_case_but_needs_a_birth_date(void **state)
{
	struct student roster[] = {
		mk("1", "sam", "VAN", "kok", 20150101, "3a", 3, true),
		mk("2", "Eva", "", "Kok", 0, "3a", 3, true),
	};
	struct student file[] = {
		mk("10", "Sam", "van", "Kok", 20150101, "3a", 3, true),
		mk("11", "Eva", "", "Kok", 0, "3a", 3, true),
	};
	struct plan p;

	(void)state;
	diff_build(&p, file, 2, roster, 2, 1, &lim);
	assert_non_null(find(&p, CHANGE_RENUMBERED, "10"));
	assert_non_null(find(&p, CHANGE_NEW, "11"));
	assert_non_null(find(&p, CHANGE_LEFT, "2"));
	plan_release(&p);
}

static void
a_jaargroep_change_in_the_same_group_is_its_own_kind(void **state)
{
	struct student roster[] = {
		mk("1", "Sanne", "", "Vries", 20150301, "5/6", 5, true),
	};
	struct student file[] = {
		mk("1", "Sanne", "", "Vries", 20150301, "5/6", 6, true),
	};
	struct field_change f[FIELD__MAX];
	struct plan p;

	(void)state;
	diff_build(&p, file, 1, roster, 1, 1, &lim);
	assert_int_equal(p.counts[CHANGE_JAARGROEP], 1);
	assert_int_equal(p.counts[CHANGE_MOVED], 0);
	assert_int_equal(change_fields(&roster[0], &file[0], f), 1);
	assert_int_equal(f[0].field, FIELD_JAARGROEP);
	assert_string_equal(f[0].before, "5");
	assert_string_equal(f[0].after, "6");
	plan_release(&p);
}

static void
a_group_written_differently_changes_no_student(void **state)
{
	struct student roster[] = {
		mk("1", "Sanne", "", "Vries", 20150301, "3", 3, true),
		mk("2", "Daan", "", "Jansen", 20150411, "3", 3, true),
	};
	struct student file[] = {
		mk("1", "Sanne", "", "Vries", 20150301, "groep 3", 3, true),
		mk("2", "Daan", "", "Jansen", 20150411, "groep 3", 3, true),
	};
	struct field_change f[FIELD__MAX];
	struct group_line *g;
	size_t ng;
	struct plan p;

	(void)state;
	for (int i = 0; i < 2; i++)
		snprintf(file[i].group_key, sizeof(file[i].group_key), "3");
	diff_build(&p, file, 2, roster, 2, 1, &lim);
	assert_int_equal(p.counts[CHANGE_GROUP_NAME], 2);
	assert_false(change_listed(CHANGE_GROUP_NAME));
	assert_int_equal(change_fields(&roster[0], &file[0], f), 0);
	/* one line for the group instead */
	g = summary_groups(&p, roster, 2, &ng);
	assert_int_equal(ng, 1);
	assert_true(group_renamed(&g[0]));
	assert_string_equal(g[0].before, "3");
	assert_string_equal(g[0].after, "groep 3");
	assert_int_equal(g[0].n_before, 2);
	assert_int_equal(g[0].n_after, 2);
	assert_string_equal(g[0].code, "3");
	free(g);
	plan_release(&p);
}

static void
a_number_with_more_zeros_keeps_the_roster_spelling(void **state)
{
	struct student roster[] = {
		mk("123", "Sanne", "", "Vries", 20150301, "3a", 3, true),
	};
	struct student file[] = {
		mk("000123", "Sanne", "", "Vries", 20150301, "3a", 3, true),
	};
	struct field_change f[FIELD__MAX];
	struct plan p;

	(void)state;
	snprintf(file[0].number_key, sizeof(file[0].number_key), "123");
	diff_build(&p, file, 1, roster, 1, 1, &lim);
	assert_int_equal(p.counts[CHANGE_UNCHANGED], 1);
	assert_int_equal(change_fields(&roster[0], &file[0], f), 0);
	assert_string_equal(file[0].number, "123");
	plan_release(&p);
}

static void
renumbering_ignores_accents(void **state)
{
	struct student roster[] = {
		mk("1", "Zoë", "", "Çelik", 20150101, "3a", 3, true),
	};
	struct student file[] = {
		mk("10", "Zoe", "", "Celik", 20150101, "3a", 3, true),
	};
	struct plan p;

	(void)state;
	diff_build(&p, file, 1, roster, 1, 1, &lim);
	assert_non_null(find(&p, CHANGE_RENUMBERED, "10"));
	plan_release(&p);
}

static void
an_unknown_jaargroep_in_the_file_is_no_move(void **state)
{
	struct student roster[] = {
		mk("1", "Sanne", "", "Vries", 20150301, "5/6", 5, true),
	};
	struct student file[] = {
		mk("1", "Sanne", "", "Vries", 20150301, "5/6", -1, true),
	};
	struct plan p;

	(void)state;
	diff_build(&p, file, 1, roster, 1, 1, &lim);
	assert_int_equal(p.counts[CHANGE_UNCHANGED], 1);
	plan_release(&p);
}

static void
a_first_known_jaargroep_is_a_jaargroep_change_not_a_move(void **state)
{
	struct student roster[] = {
		mk("1", "Sanne", "", "Vries", 20150301, "5/6", -1, true),
	};
	struct student file[] = {
		mk("1", "Sanne", "", "Vries", 20150301, "5/6", 6, true),
	};
	struct plan p;

	(void)state;
	diff_build(&p, file, 1, roster, 1, 1, &lim);
	assert_int_equal(p.counts[CHANGE_JAARGROEP], 1);
	assert_int_equal(p.counts[CHANGE_MOVED], 0);
	plan_release(&p);
}

static void
dropped_leading_zeros_change_nothing(void **state)
{
	struct student roster[] = {
		mk("000123", "Sanne", "", "Vries", 20150301, "3a", 3, true),
	};
	struct student file[] = {
		mk("123", "Sanne", "", "Vries", 20150301, "3a", 3, true),
	};
	struct plan p;

	(void)state;
	snprintf(roster[0].number_key, sizeof(roster[0].number_key), "123");
	diff_build(&p, file, 1, roster, 1, 1, &lim);
	assert_int_equal(p.counts[CHANGE_UNCHANGED], 1);
	/* the file row now has the roster's spelling */
	assert_string_equal(file[0].number, "000123");
	plan_release(&p);
}

/* Roster of n active students numbered 1..n in group 3a. */
static void
make_roster(struct student *r, size_t n)
{
	char num[24];

	for (size_t i = 0; i < n; i++) {
		snprintf(num, sizeof(num), "%zu", i + 1);
		r[i] = mk(num, "Kind", "", "Achternaam", 20150101 + (int)i,
		          "3a", 3, true);
	}
}

static void
guards_fire_on_large_unenrolment_and_poor_match(void **state)
{
	struct student roster[40], file[40];
	struct plan p;

	(void)state;
	make_roster(roster, 40);
	make_roster(file, 40);
	/* 28 of 40 stay (12 leave = 30 %): exactly at the limit, no guard */
	diff_build(&p, file, 28, roster, 40, 1, &lim);
	assert_int_equal(p.counts[CHANGE_LEFT], 12);
	assert_false(p.guard_unenrol);
	assert_false(p.guard_match);
	plan_release(&p);
	/* 27 stay (13 leave > 30 %) */
	diff_build(&p, file, 27, roster, 40, 1, &lim);
	assert_true(p.guard_unenrol);
	assert_false(p.guard_match);
	plan_release(&p);
	/* one group of 10: matches 25 % */
	diff_build(&p, file, 10, roster, 40, 1, &lim);
	assert_true(p.guard_unenrol);
	assert_true(p.guard_match);
	assert_int_equal(p.matched, 10);
	plan_release(&p);
}

static void
guards_stay_quiet_for_small_rosters(void **state)
{
	struct student roster[19], file[1];
	struct plan p;

	(void)state;
	make_roster(roster, 19);
	make_roster(file, 1);
	diff_build(&p, file, 1, roster, 19, 1, &lim);
	assert_int_equal(p.counts[CHANGE_LEFT], 18);
	assert_false(p.guard_unenrol);
	assert_false(p.guard_match);
	plan_release(&p);
}

static void
another_schools_file_trips_the_match_guard(void **state)
{
	struct student roster[30], file[30];
	struct plan p;
	char num[16];

	(void)state;
	make_roster(roster, 30);
	for (int i = 0; i < 30; i++) {
		snprintf(num, sizeof(num), "%d", 1000 + i);
		file[i] = mk(num, "Ander", "", "Kind", 20140101 + i, "4b", 4,
		             true);
	}
	diff_build(&p, file, 30, roster, 30, 1, &lim);
	assert_int_equal(p.matched, 0);
	assert_true(p.guard_match);
	assert_true(p.guard_unenrol);
	plan_release(&p);
}

static void
an_identical_file_changes_nothing(void **state)
{
	struct student roster[25], file[25];
	struct plan p;

	(void)state;
	make_roster(roster, 25);
	make_roster(file, 25);
	diff_build(&p, file, 25, roster, 25, 1, &lim);
	assert_int_equal(p.nchanges, 0);
	assert_int_equal(p.counts[CHANGE_UNCHANGED], 25);
	assert_int_equal(p.matched, 25);
	plan_release(&p);
}

static void
change_words_round_trip(void **state)
{
	enum change_kind k;

	(void)state;
	for (int i = 0; i < CHANGE__MAX; i++) {
		assert_true(change_parse(change_word((enum change_kind)i), &k));
		assert_int_equal(k, i);
	}
	assert_false(change_parse("moved ", &k));
	assert_string_equal(change_word(CHANGE__MAX), "?");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(first_import_enrols_everyone_without_guards),
		cmocka_unit_test(every_kind_is_recognised),
		cmocka_unit_test(a_row_with_an_error_keeps_its_student),
		cmocka_unit_test(renumbering_needs_an_unambiguous_match),
		cmocka_unit_test(
		        two_file_rows_claiming_one_child_renumber_neither),
		cmocka_unit_test(
		        renumbering_ignores_case_but_needs_a_birth_date),
		cmocka_unit_test(
		        a_jaargroep_change_in_the_same_group_is_its_own_kind),
		cmocka_unit_test(
		        a_group_written_differently_changes_no_student),
		cmocka_unit_test(
		        a_number_with_more_zeros_keeps_the_roster_spelling),
		cmocka_unit_test(renumbering_ignores_accents),
		cmocka_unit_test(an_unknown_jaargroep_in_the_file_is_no_move),
		cmocka_unit_test(
		        a_first_known_jaargroep_is_a_jaargroep_change_not_a_move),
		cmocka_unit_test(dropped_leading_zeros_change_nothing),
		cmocka_unit_test(
		        guards_fire_on_large_unenrolment_and_poor_match),
		cmocka_unit_test(guards_stay_quiet_for_small_rosters),
		cmocka_unit_test(another_schools_file_trips_the_match_guard),
		cmocka_unit_test(an_identical_file_changes_nothing),
		cmocka_unit_test(change_words_round_trip),
	};

	return cmocka_run_group_tests_name("roster/diff", tests, NULL, NULL);
}
