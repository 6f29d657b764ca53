/*
 * Columns and groups of a preview (see summary.h).  Groups are found
 * through a hash index (open addressing) so that counting stays linear
 * however many groups a file has.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "summary.h"
#include "../base/mem.h"

struct column_line *
summary_columns(const struct roster_header *h, size_t *n)
{
	struct column_line *v =
	        xcalloc(h->ncolumns ? h->ncolumns : 1, sizeof(*v));

	for (size_t i = 0; i < h->ncolumns; i++) {
		const struct roster_column *c = &h->columns[i];

		v[i].col = c->col;
		v[i].field =
		        c->use == ROSTER_USE_FIELD ? c->field : ROSTER_F_NONE;
		v[i].stored = roster_column_stored(c);
		v[i].bsn = c->use == ROSTER_USE_BSN;
		snprintf(v[i].header, sizeof(v[i].header), "%s", c->header);
	}
	*n = h->ncolumns;
	return v;
}

struct gtable {
	struct group_line *v;
	size_t n, cap;
	size_t *slot; /* index into v + 1; 0: empty */
	size_t nslot; /* a power of two, more than twice n */
};

static size_t
ghash(const char *k)
{
	uint64_t h = 14695981039346656037u; /* FNV-1a */

	for (; *k != '\0'; k++)
		h = (h ^ (unsigned char)*k) * 1099511628211u;
	return (size_t)h;
}

static void
grehash(struct gtable *t)
{
	size_t m = t->nslot ? t->nslot * 2 : 64, j;

	free(t->slot);
	t->slot = xcalloc(m, sizeof(*t->slot));
	t->nslot = m;
	for (size_t i = 0; i < t->n; i++) {
		for (j = ghash(t->v[i].key) & (m - 1); t->slot[j] != 0;
		     j = (j + 1) & (m - 1))
			;
		t->slot[j] = i + 1;
	}
}

static struct group_line *
gfind(struct gtable *t, const struct student *s)
{
	size_t j;

	if (2 * (t->n + 1) > t->nslot)
		grehash(t);
	for (j = ghash(s->group_key) & (t->nslot - 1); t->slot[j] != 0;
	     j = (j + 1) & (t->nslot - 1))
		if (strcmp(t->v[t->slot[j] - 1].key, s->group_key) == 0)
			return &t->v[t->slot[j] - 1];
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 32;
		t->v = xrealloc(t->v, t->cap * sizeof(*t->v));
	}
	memset(&t->v[t->n], 0, sizeof(t->v[t->n]));
	memcpy(t->v[t->n].key, s->group_key, sizeof(s->group_key));
	t->slot[j] = ++t->n;
	return &t->v[t->n - 1];
}

static void
count_before(struct gtable *t, const struct student *s)
{
	struct group_line *g = gfind(t, s);

	if (g->n_before++ == 0)
		memcpy(g->before, s->group, sizeof(s->group));
}

static void
count_after(struct gtable *t, const struct student *s)
{
	struct group_line *g = gfind(t, s);

	if (g->n_after++ == 0)
		memcpy(g->after, s->group, sizeof(s->group));
}

static const char *
shown(const struct group_line *g)
{
	return g->n_after > 0 ? g->after : g->before;
}

static int
cmp_group(const void *a, const void *b)
{
	return strverscmp(shown(a), shown(b));
}

/* The library system's codes of the groups that remain. */
static void
add_codes(struct group_line *v, size_t n)
{
	struct student *s = xcalloc(n ? n : 1, sizeof(*s));
	char(*codes)[GROUP_CODE_MAX + 1] = xcalloc(n ? n : 1, sizeof(*codes));
	size_t m = 0, i;

	for (i = 0; i < n; i++)
		if (v[i].n_after > 0)
			memcpy(s[m++].group_key, v[i].key, sizeof(v[i].key));
	export_group_codes(s, m, codes);
	for (i = 0, m = 0; i < n; i++)
		if (v[i].n_after > 0)
			memcpy(v[i].code, codes[m++], sizeof(v[i].code));
	free(s);
	free(codes);
}

struct group_line *
summary_groups(const struct plan *p, const struct student *roster, size_t n,
               size_t *ngroups)
{
	struct gtable t = { NULL, 0, 0, NULL, 0 };
	const struct student **now = xcalloc(n ? n : 1, sizeof(*now));
	size_t i;

	/* where each roster student is after the plan: themselves, their
	 * new record, or nowhere (left) */
	for (i = 0; i < n; i++)
		now[i] = roster[i].active ? &roster[i] : NULL;
	for (i = 0; i < p->nchanges; i++) {
		const struct change *c = &p->changes[i];

		if (c->before != NULL)
			now[c->before - roster] = c->after;
		else
			count_after(&t, c->after);
	}
	for (i = 0; i < n; i++) {
		if (roster[i].active)
			count_before(&t, &roster[i]);
		if (now[i] != NULL)
			count_after(&t, now[i]);
	}
	if (t.n > 1)
		qsort(t.v, t.n, sizeof(*t.v), cmp_group);
	add_codes(t.v, t.n);
	free(t.slot);
	free(now);
	*ngroups = t.n;
	return t.v;
}

bool
group_renamed(const struct group_line *g)
{
	return g->n_before > 0 && g->n_after > 0 &&
	       strcmp(g->before, g->after) != 0;
}
