/*
 * Index hash tables (see itable.h).
 */
#include <stdlib.h>

#include "itable.h"
#include "../base/mem.h"

void
itable_init(struct itable *t, size_t n)
{
	size_t cap = 16;

	while (cap < 2 * n)
		cap *= 2;
	t->slot = xmalloc(cap * sizeof(*t->slot));
	for (size_t i = 0; i < cap; i++)
		t->slot[i] = ITABLE_EMPTY;
	t->mask = cap - 1;
}

void
itable_release(struct itable *t)
{
	free(t->slot);
	t->slot = NULL;
}

uint64_t
itable_hash(uint64_t h, const char *s)
{
	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return h;
}
