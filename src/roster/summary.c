/*
 * Writing and reading import summaries (see summary.h).  Group counts come
 * from the roster and the plan: every active student counts before in their
 * group; after, in their new group unless they leave, plus new and
 * re-enrolled students.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "summary.h"
#include "../base/mem.h"
#include "../base/strparse.h"

struct gcount {
	const char *key;
	const char *name;
	long before, after;
};

/* The groups in order of first appearance, found through a hash index
 * (open addressing) so that counting stays linear however many groups a
 * file has. */
struct gtable {
	struct gcount *v;
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

static struct gcount *
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
	t->v[t->n] = (struct gcount){ s->group_key, s->group, 0, 0 };
	t->slot[j] = ++t->n;
	return &t->v[t->n - 1];
}

static int
cmp_group(const void *a, const void *b)
{
	return strverscmp(((const struct gcount *)a)->name,
	                  ((const struct gcount *)b)->name);
}

void
summary_write(struct buf *out, const struct roster_header *h,
              const struct plan *p, const struct student *roster, size_t n)
{
	struct gtable t = { NULL, 0, 0, NULL, 0 };
	const struct student **now = xcalloc(n ? n : 1, sizeof(*now));
	size_t i;

	for (i = 0; i < h->ncolumns; i++) {
		const struct roster_column *c = &h->columns[i];

		buf_addf(out, "C\t%u\t%d\t%d\t%d\t%s\n", c->col,
		         c->use == ROSTER_USE_FIELD ? (int)c->field : -1,
		         roster_column_stored(c), c->use == ROSTER_USE_BSN,
		         c->header);
	}
	/* where each roster student is after the plan: themselves, their
	 * new record, or nowhere (left) */
	for (i = 0; i < n; i++)
		now[i] = roster[i].active ? &roster[i] : NULL;
	for (i = 0; i < p->nchanges; i++) {
		const struct change *c = &p->changes[i];

		if (c->before != NULL)
			now[c->before - roster] = c->after;
		else
			gfind(&t, c->after)->after++;
	}
	for (i = 0; i < n; i++) {
		if (roster[i].active)
			gfind(&t, &roster[i])->before++;
		if (now[i] != NULL)
			gfind(&t, now[i])->after++;
	}
	if (t.n > 1)
		qsort(t.v, t.n, sizeof(*t.v), cmp_group);
	for (i = 0; i < t.n; i++)
		buf_addf(out, "G\t%s\t%ld\t%ld\n", t.v[i].name, t.v[i].before,
		         t.v[i].after);
	free(t.v);
	free(t.slot);
	free(now);
}

/* Split line at tabs into at most max fields; returns the count. */
static int
fields(char *line, char **f, int max)
{
	int n = 0;

	while (n < max) {
		f[n++] = line;
		line = strchr(line, '\t');
		if (line == NULL)
			break;
		*line++ = '\0';
	}
	return n;
}

void
summary_each(char *text, void (*col)(const struct summary_column *, void *),
             void (*group)(const struct summary_group *, void *), void *arg)
{
	char *line, *next, *f[6];
	uint64_t a, b;

	for (line = text; line != NULL && *line != '\0'; line = next) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		if (line[0] == 'C' && fields(line, f, 6) == 6 && col != NULL) {
			struct summary_column c;

			if (parse_u64(f[1], 1, UINT32_MAX, &a) != ERR_OK)
				continue;
			c.col = (uint32_t)a;
			c.field = f[2][0] == '-' ? ROSTER_F_NONE
			          : parse_u64(f[2], 0, ROSTER_F__MAX - 1, &b) ==
			                          ERR_OK
			                  ? (enum roster_field)b
			                  : ROSTER_F_NONE;
			c.stored = f[3][0] == '1';
			c.bsn = f[4][0] == '1';
			c.header = f[5];
			col(&c, arg);
		} else if (line[0] == 'G' && fields(line, f, 4) == 4 &&
		           group != NULL &&
		           parse_u64(f[2], 0, INT64_MAX, &a) == ERR_OK &&
		           parse_u64(f[3], 0, INT64_MAX, &b) == ERR_OK) {
			struct summary_group g = { f[1], (long)a, (long)b };

			group(&g, arg);
		}
	}
}
