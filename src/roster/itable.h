/*
 * A hash table of array indexes with open addressing, for the roster's
 * lookups by student number, identity and group (the reader's checks and
 * the diff).  The caller hashes and compares; the table only holds slots.
 * Capacity is a power of two at least twice the element count, so probing
 * always ends at an empty slot.
 */
#ifndef BIEBSYNC_ROSTER_ITABLE_H
#define BIEBSYNC_ROSTER_ITABLE_H

#include <stddef.h>
#include <stdint.h>

#define ITABLE_EMPTY SIZE_MAX

struct itable {
	size_t *slot; /* indexes, ITABLE_EMPTY when free */
	size_t mask;  /* capacity - 1 */
};

/* A table for up to n indexes, all slots empty. */
void itable_init(struct itable *t, size_t n);
void itable_release(struct itable *t);

/* FNV-1a of s continuing from h (start with ITABLE_SEED). */
#define ITABLE_SEED 0xcbf29ce484222325ULL
uint64_t itable_hash(uint64_t h, const char *s);

#endif
