/*
 * The diff (see diff.h).  Two open-addressing hash tables of indexes: the
 * roster by number_key, and, only when some file rows are unmatched, the
 * unmatched active roster students by identity (names + birth date, ASCII
 * case-insensitive) to find renumbered children.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "diff.h"
#include "../base/mem.h"

#define EMPTY SIZE_MAX

struct table {
	size_t *slot; /* indexes into the array, EMPTY when free */
	size_t mask;
};

static uint64_t
hash_bytes(uint64_t h, const char *s, bool fold)
{
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		h ^= fold ? (unsigned char)tolower(c) : c;
		h *= 0x100000001b3ULL;
	}
	return h;
}

static void
table_init(struct table *t, size_t n)
{
	size_t cap = 16;

	while (cap < 2 * n)
		cap *= 2;
	t->slot = xmalloc(cap * sizeof(*t->slot));
	for (size_t i = 0; i < cap; i++)
		t->slot[i] = EMPTY;
	t->mask = cap - 1;
}

static void
table_release(struct table *t)
{
	free(t->slot);
	t->slot = NULL;
}

static uint64_t
number_hash(const struct student *s)
{
	return hash_bytes(0xcbf29ce484222325ULL, s->number_key, false);
}

static uint64_t
identity_hash(const struct student *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	h = hash_bytes(h, s->roepnaam, true);
	h = hash_bytes(h ^ 1, s->tussenvoegsel, true);
	h = hash_bytes(h ^ 2, s->achternaam, true);
	return (h ^ (uint64_t)s->birth) * 0x100000001b3ULL;
}

static bool
same_identity(const struct student *a, const struct student *b)
{
	return a->birth != 0 && a->birth == b->birth &&
	       strcasecmp(a->roepnaam, b->roepnaam) == 0 &&
	       strcasecmp(a->tussenvoegsel, b->tussenvoegsel) == 0 &&
	       strcasecmp(a->achternaam, b->achternaam) == 0;
}

bool
student_same_person_data(const struct student *a, const struct student *b)
{
	return a->birth == b->birth && strcmp(a->number, b->number) == 0 &&
	       strcmp(a->roepnaam, b->roepnaam) == 0 &&
	       strcmp(a->tussenvoegsel, b->tussenvoegsel) == 0 &&
	       strcmp(a->achternaam, b->achternaam) == 0;
}

static void
add_change(struct plan *p, enum change_kind kind, const struct student *before,
           const struct student *after, size_t *cap)
{
	p->counts[kind]++;
	if (kind == CHANGE_UNCHANGED)
		return;
	if (p->nchanges == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		p->changes = xrealloc(p->changes, *cap * sizeof(*p->changes));
	}
	p->changes[p->nchanges++] = (struct change){ kind, before, after };
}

static enum change_kind
classify(const struct student *r, const struct student *f)
{
	if (!r->active)
		return CHANGE_REENROLLED;
	if (strcmp(r->group_key, f->group_key) != 0 ||
	    r->jaargroep != f->jaargroep)
		return CHANGE_MOVED;
	if (!student_same_person_data(r, f) || strcmp(r->group, f->group) != 0)
		return CHANGE_CORRECTED;
	return CHANGE_UNCHANGED;
}

/*
 * Identity matching for file rows without a roster match.  pending lists
 * file indexes; matched marks roster students already accounted for.
 */
static void
renumber(struct plan *p, const struct student *file, const size_t *pending,
         size_t npending, const struct student *roster, size_t nroster,
         bool *matched, size_t *cap)
{
	struct table t;
	size_t navail = 0, i, h;
	bool *ambiguous = xcalloc(nroster ? nroster : 1, sizeof(bool));
	unsigned *claims = xcalloc(nroster ? nroster : 1, sizeof(unsigned));
	size_t *found = xmalloc(npending * sizeof(size_t));

	for (i = 0; i < nroster; i++)
		if (roster[i].active && !matched[i])
			navail++;
	table_init(&t, navail);
	for (i = 0; i < nroster; i++) {
		if (!roster[i].active || matched[i] || roster[i].birth == 0)
			continue;
		for (h = identity_hash(&roster[i]) & t.mask; t.slot[h] != EMPTY;
		     h = (h + 1) & t.mask)
			if (same_identity(&roster[t.slot[h]], &roster[i])) {
				ambiguous[t.slot[h]] = true;
				ambiguous[i] = true;
			}
		t.slot[h] = i;
	}
	/* First count how many file rows point at each candidate, so that
	 * two rows claiming one child renumber neither. */
	for (size_t k = 0; k < npending; k++) {
		const struct student *f = &file[pending[k]];

		found[k] = EMPTY;
		for (h = identity_hash(f) & t.mask; t.slot[h] != EMPTY;
		     h = (h + 1) & t.mask)
			if (same_identity(&roster[t.slot[h]], f)) {
				found[k] = t.slot[h];
				claims[found[k]]++;
				break;
			}
	}
	for (size_t k = 0; k < npending; k++) {
		size_t r = found[k];

		if (r != EMPTY && !ambiguous[r] && claims[r] == 1) {
			matched[r] = true;
			p->matched++;
			add_change(p, CHANGE_RENUMBERED, &roster[r],
			           &file[pending[k]], cap);
		} else {
			add_change(p, CHANGE_NEW, NULL, &file[pending[k]], cap);
		}
	}
	table_release(&t);
	free(ambiguous);
	free(claims);
	free(found);
}

void
diff_build(struct plan *p, const struct student *file, size_t nfile,
           const struct student *roster, size_t nroster, int64_t roster_version,
           const struct diff_limits *lim)
{
	struct table t;
	bool *matched = xcalloc(nroster ? nroster : 1, sizeof(bool));
	size_t *pending = xmalloc((nfile ? nfile : 1) * sizeof(size_t));
	size_t npending = 0, cap = 0, i, h;

	memset(p, 0, sizeof(*p));
	p->roster_version = roster_version;
	table_init(&t, nroster);
	for (i = 0; i < nroster; i++) {
		if (roster[i].active)
			p->active_before++;
		for (h = number_hash(&roster[i]) & t.mask; t.slot[h] != EMPTY;
		     h = (h + 1) & t.mask)
			;
		t.slot[h] = i;
	}
	for (i = 0; i < nfile; i++) {
		const struct student *f = &file[i];
		size_t r = EMPTY;

		for (h = number_hash(f) & t.mask; t.slot[h] != EMPTY;
		     h = (h + 1) & t.mask)
			if (strcmp(roster[t.slot[h]].number_key,
			           f->number_key) == 0) {
				r = t.slot[h];
				break;
			}
		if (r == EMPTY) {
			if (!f->has_error)
				pending[npending++] = i;
			continue;
		}
		matched[r] = true;
		if (roster[r].active)
			p->matched++;
		if (f->has_error) {
			if (roster[r].active)
				p->kept++;
			continue;
		}
		add_change(p, classify(&roster[r], f), &roster[r], f, &cap);
	}
	table_release(&t);
	if (npending > 0)
		renumber(p, file, pending, npending, roster, nroster, matched,
		         &cap);
	for (i = 0; i < nroster; i++)
		if (roster[i].active && !matched[i])
			add_change(p, CHANGE_LEFT, &roster[i], NULL, &cap);
	if (p->active_before >= lim->guard_min && p->active_before > 0) {
		p->guard_unenrol = p->counts[CHANGE_LEFT] * 100 >
		                   (size_t)lim->unenrol_pct * p->active_before;
		p->guard_match = p->matched * 100 <
		                 (size_t)lim->match_pct * p->active_before;
	}
	free(matched);
	free(pending);
}
