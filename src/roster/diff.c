/*
 * The diff (see diff.h).  Two open-addressing hash tables of indexes: the
 * roster by number_key, and, only when some file rows are unmatched, the
 * unmatched active roster students by identity (names folded for case and
 * accents, plus the birth date) to find renumbered children.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "itable.h"
#include "norm.h"
#include "../base/mem.h"

#define EMPTY ITABLE_EMPTY

static uint64_t
number_hash(const struct student *s)
{
	return itable_hash(ITABLE_SEED, s->number_key);
}

/* Identity key: folded names (case and accents ignored, "Zoë" = "Zoe")
 * and the birth date; "" when the birth date is unknown (no match). */
#define IDENT_SIZE (3 * 4 * STUDENT_LAST_MAX + 16)

static void
identity_key(const struct student *s, char *out)
{
	size_t n;

	out[0] = '\0';
	if (s->birth == 0)
		return;
	n = norm_fold(s->roepnaam, strlen(s->roepnaam), NORM_FOLD_SPACES, out,
	              IDENT_SIZE / 4);
	out[n++] = '|';
	n += norm_fold(s->tussenvoegsel, strlen(s->tussenvoegsel),
	               NORM_FOLD_SPACES, out + n, IDENT_SIZE / 4);
	out[n++] = '|';
	n += norm_fold(s->achternaam, strlen(s->achternaam), NORM_FOLD_SPACES,
	               out + n, IDENT_SIZE / 4);
	snprintf(out + n, IDENT_SIZE - n, "|%d", (int)s->birth);
}

static uint64_t
key_hash(const char *key)
{
	return itable_hash(ITABLE_SEED, key);
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

/* Complete file row f from roster student r where the file says less or
 * only writes it differently: the same number with or without leading
 * zeros (Excel drops them, ESIS writes them), a jaargroep the export does
 * not have. */
static void
complete(const struct student *r, struct student *f)
{
	if (strcmp(f->number_key, r->number_key) == 0)
		memcpy(f->number, r->number, sizeof(f->number));
	if (f->jaargroep == JAARGROEP_UNKNOWN &&
	    strcmp(f->group_key, r->group_key) == 0)
		f->jaargroep = r->jaargroep;
}

static enum change_kind
classify(const struct student *r, const struct student *f)
{
	if (!r->active)
		return CHANGE_REENROLLED;
	if (strcmp(r->group_key, f->group_key) != 0)
		return CHANGE_MOVED;
	if (!student_same_person_data(r, f))
		return CHANGE_CORRECTED;
	if (r->jaargroep != f->jaargroep)
		return CHANGE_JAARGROEP;
	if (strcmp(r->group, f->group) != 0)
		return CHANGE_GROUP_NAME;
	return CHANGE_UNCHANGED;
}

static void
put_field(struct field_change *o, enum change_field f, const char *b,
          const char *a)
{
	o->field = f;
	snprintf(o->before, sizeof(o->before), "%s", b);
	snprintf(o->after, sizeof(o->after), "%s", a);
}

static void
jaargroep_text(int j, char *out, size_t outsz)
{
	if (j == JAARGROEP_UNKNOWN)
		snprintf(out, outsz, "-");
	else
		snprintf(out, outsz, "%d", j);
}

size_t
change_fields(const struct student *b, const struct student *a,
              struct field_change *out)
{
	size_t n = 0;
	char x[16], y[16];

	if (strcmp(b->number, a->number) != 0)
		put_field(&out[n++], FIELD_NUMBER, b->number, a->number);
	if (strcmp(b->roepnaam, a->roepnaam) != 0)
		put_field(&out[n++], FIELD_ROEPNAAM, b->roepnaam, a->roepnaam);
	if (strcmp(b->tussenvoegsel, a->tussenvoegsel) != 0)
		put_field(&out[n++], FIELD_TUSSENVOEGSEL, b->tussenvoegsel,
		          a->tussenvoegsel);
	if (strcmp(b->achternaam, a->achternaam) != 0)
		put_field(&out[n++], FIELD_ACHTERNAAM, b->achternaam,
		          a->achternaam);
	if (b->birth != a->birth) {
		norm_date_fmt(b->birth, x, sizeof(x));
		norm_date_fmt(a->birth, y, sizeof(y));
		put_field(&out[n++], FIELD_BIRTH, x, y);
	}
	if (strcmp(b->group_key, a->group_key) != 0)
		put_field(&out[n++], FIELD_GROUP, b->group, a->group);
	if (b->jaargroep != a->jaargroep) {
		jaargroep_text(b->jaargroep, x, sizeof(x));
		jaargroep_text(a->jaargroep, y, sizeof(y));
		put_field(&out[n++], FIELD_JAARGROEP, x, y);
	}
	return n;
}

const char *
change_field_label(enum change_field f, enum lang lang)
{
	static const char *const labels[FIELD__MAX][LANG__MAX] = {
		[FIELD_NUMBER] = { "leerlingnummer", "student number" },
		[FIELD_ROEPNAAM] = { "roepnaam", "first name" },
		[FIELD_TUSSENVOEGSEL] = { "tussenvoegsel", "name prefix" },
		[FIELD_ACHTERNAAM] = { "achternaam", "surname" },
		[FIELD_BIRTH] = { "geboortedatum", "date of birth" },
		[FIELD_GROUP] = { "groep", "group" },
		[FIELD_JAARGROEP] = { "jaargroep", "year group" },
	};

	return (unsigned)f < FIELD__MAX ? lang_pick(labels[f], lang) : "?";
}

/*
 * Identity matching for file rows without a roster match.  pending lists
 * file indexes; matched marks roster students already accounted for.  Keys
 * are computed only for the students involved.
 */
/*
 * Could file row f be roster student r, whose number it has?  A correction
 * changes the name or the birth date, rarely all of them; another school's
 * file that numbers its pupils the same way matches numbers, not children.
 * Only such plausible matches count for the match guard.
 */
static bool
same_child(const struct student *r, const struct student *f)
{
	char a[4 * STUDENT_LAST_MAX + 1], b[4 * STUDENT_LAST_MAX + 1];

	if (r->birth != 0 && r->birth == f->birth)
		return true;
	norm_fold(r->achternaam, strlen(r->achternaam), NORM_FOLD_ALNUM, a,
	          sizeof(a));
	norm_fold(f->achternaam, strlen(f->achternaam), NORM_FOLD_ALNUM, b,
	          sizeof(b));
	if (a[0] != '\0' && strcmp(a, b) == 0)
		return true;
	norm_fold(r->roepnaam, strlen(r->roepnaam), NORM_FOLD_ALNUM, a,
	          sizeof(a));
	norm_fold(f->roepnaam, strlen(f->roepnaam), NORM_FOLD_ALNUM, b,
	          sizeof(b));
	return a[0] != '\0' && strcmp(a, b) == 0;
}

static void
renumber(struct plan *p, struct student *file, const size_t *pending,
         size_t npending, const struct student *roster, size_t nroster,
         bool *matched, size_t *cap)
{
	struct itable t;
	size_t navail = 0, i, h, k;
	size_t *avail = xmalloc((nroster ? nroster : 1) * sizeof(size_t));
	char(*rkey)[IDENT_SIZE], fkey[IDENT_SIZE];
	bool *ambiguous;
	unsigned *claims;
	size_t *found = xmalloc(npending * sizeof(size_t));

	for (i = 0; i < nroster; i++)
		if (roster[i].active && !matched[i] && roster[i].birth != 0)
			avail[navail++] = i;
	rkey = xmalloc((navail ? navail : 1) * sizeof(*rkey));
	ambiguous = xcalloc(navail ? navail : 1, sizeof(bool));
	claims = xcalloc(navail ? navail : 1, sizeof(unsigned));
	itable_init(&t, navail);
	for (k = 0; k < navail; k++) {
		identity_key(&roster[avail[k]], rkey[k]);
		for (h = key_hash(rkey[k]) & t.mask; t.slot[h] != EMPTY;
		     h = (h + 1) & t.mask)
			if (strcmp(rkey[t.slot[h]], rkey[k]) == 0) {
				ambiguous[t.slot[h]] = true;
				ambiguous[k] = true;
			}
		t.slot[h] = k;
	}
	/* First count how many file rows point at each candidate, so that
	 * two rows claiming one child renumber neither. */
	for (size_t j = 0; j < npending; j++) {
		found[j] = EMPTY;
		identity_key(&file[pending[j]], fkey);
		if (fkey[0] == '\0')
			continue;
		for (h = key_hash(fkey) & t.mask; t.slot[h] != EMPTY;
		     h = (h + 1) & t.mask)
			if (strcmp(rkey[t.slot[h]], fkey) == 0) {
				found[j] = t.slot[h];
				claims[found[j]]++;
				break;
			}
	}
	for (size_t j = 0; j < npending; j++) {
		size_t c = found[j];

		if (c != EMPTY && !ambiguous[c] && claims[c] == 1) {
			matched[avail[c]] = true;
			p->matched++;
			complete(&roster[avail[c]], &file[pending[j]]);
			add_change(p, CHANGE_RENUMBERED, &roster[avail[c]],
			           &file[pending[j]], cap);
		} else {
			add_change(p, CHANGE_NEW, NULL, &file[pending[j]], cap);
		}
	}
	itable_release(&t);
	free(avail);
	free(rkey);
	free(ambiguous);
	free(claims);
	free(found);
}

void
diff_build(struct plan *p, struct student *file, size_t nfile,
           const struct student *roster, size_t nroster, int64_t roster_version,
           const struct diff_limits *lim)
{
	struct itable t;
	bool *matched = xcalloc(nroster ? nroster : 1, sizeof(bool));
	size_t *pending = xmalloc((nfile ? nfile : 1) * sizeof(size_t));
	size_t npending = 0, cap = 0, i, h;

	memset(p, 0, sizeof(*p));
	p->roster_version = roster_version;
	itable_init(&t, nroster);
	for (i = 0; i < nroster; i++) {
		if (roster[i].active)
			p->active_before++;
		for (h = number_hash(&roster[i]) & t.mask; t.slot[h] != EMPTY;
		     h = (h + 1) & t.mask)
			;
		t.slot[h] = i;
	}
	for (i = 0; i < nfile; i++) {
		struct student *f = &file[i];
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
		if (roster[r].active &&
		    (f->has_error || same_child(&roster[r], f)))
			p->matched++;
		if (f->has_error) {
			if (roster[r].active)
				p->kept++;
			continue;
		}
		complete(&roster[r], f);
		add_change(p, classify(&roster[r], f), &roster[r], f, &cap);
	}
	itable_release(&t);
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
