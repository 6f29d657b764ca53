/*
 * Reading a sheet in parts on several threads (sheet_read_parts, see
 * sheet.h): the reader cuts the sheet into parts of about part_bytes at row
 * boundaries (reader_ops next_part), the calling thread and up to
 * threads - 1 helpers each take the next part and read it into the
 * consumer's slot for it (part k in slot k % nslots), and the calling
 * thread hands the finished parts to the consumer in part order.
 *
 * Invariants, all under mu: parts are taken in order, and part k only once
 * part k - nslots is done (handed over), so a slot holds one part at a
 * time and memory is bounded by nslots parts; taking a part asks the
 * reader for it, so the reader's cutting runs on one thread at a time.
 * After the first failure (of a part, or of the consumer in done) no part
 * is taken any more; the parts before it are read to their end and handed
 * over with keep, the failed one with keep, the ones after it that were
 * in flight without.  The first failure in part order is the one that
 * sheet_read() would have met first: every part before it read without
 * one.  A sheet that is not split (another format, a CSV with a '"', a
 * small file, one thread) is one part read on the calling thread.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "reader.h"
#include "../base/cpus.h"
#include "../base/mem.h"

enum { MAX_THREADS = 8, PART_BYTES = 512u << 10 };

struct slot_state {
	struct sheet_part part;
	enum err rc;
	struct sheet_error e; /* the part's own, copied out on failure */
	bool read;            /* the part has been read */
};

struct run {
	struct sheet_book *b;
	size_t sheet;
	const struct sheet_parts *p;
	size_t bytes;
	bool split; /* the reader cuts the sheet */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct slot_state *st;  /* nslots */
	struct sheet_part last; /* the last part taken */
	size_t taken;           /* parts taken */
	size_t handed;          /* parts handed to done (the next in order) */
	bool more;              /* the reader may have more parts */
	bool failed;            /* no part is taken any more */
	bool quit;              /* the helpers return */
};

/* Under mu: whether part r->taken can be taken now. */
static bool
can_take(const struct run *r)
{
	return r->more && !r->failed && r->taken - r->handed < r->p->nslots;
}

/* Under mu, when can_take: the next part into its slot, or none (then
 * r->more is false).  Returns the part's number, or SIZE_MAX. */
static size_t
take(struct run *r)
{
	struct slot_state *s = &r->st[r->taken % r->p->nslots];

	if (!r->split) {
		/* the whole sheet, once */
		r->more = false;
		memset(&s->part, 0, sizeof(s->part));
	} else if (r->b->ops->next_part(r->b, r->sheet, r->bytes, &r->last)) {
		s->part = r->last;
	} else {
		r->more = false;
		return SIZE_MAX;
	}
	s->read = false;
	return r->taken++;
}

/* Read part k, which was taken; without mu. */
static void
read_part(struct run *r, size_t k, bool direct)
{
	struct slot_state *s = &r->st[k % r->p->nslots];
	void *slot = r->p->slot[k % r->p->nslots];
	struct rowout o;
	enum err rc;

	memset(&s->e, 0, sizeof(s->e));
	r->p->begin(slot, direct);
	rowout_init(&o, r->b, r->p->row, slot, &s->e);
	/* the row builder looks at the clock every 4096 cells of a part;
	 * a part also does before it starts */
	if (!r->split)
		rc = r->b->ops->read(r->b, r->sheet, &o);
	else if ((rc = book_check_time(r->b, &s->e)) == ERR_OK)
		rc = r->b->ops->read_part(r->b, r->sheet, &s->part, &o);
	if (rc == ERR_OK)
		rc = rowout_end(&o);
	rowout_release(&o);
	if (rc != ERR_OK && s->e.problem == SHEET_OK)
		sheet_fail(&s->e, SHEET_P_BROKEN, rc, "unreadable sheet");
	s->rc = rc;
}

/* Under mu: take and read one part if one can be taken (mu is let go
 * while reading); false when none could. */
static bool
take_and_read(struct run *r, bool caller)
{
	size_t k;
	bool direct;

	if (!can_take(r))
		return false;
	if ((k = take(r)) == SIZE_MAX) {
		pthread_cond_broadcast(&r->cv);
		return false;
	}
	direct = caller && k == r->handed;
	pthread_mutex_unlock(&r->mu);
	read_part(r, k, direct);
	pthread_mutex_lock(&r->mu);
	r->st[k % r->p->nslots].read = true;
	if (r->st[k % r->p->nslots].rc != ERR_OK)
		r->failed = true;
	pthread_cond_broadcast(&r->cv);
	return true;
}

static void *
helper(void *arg)
{
	struct run *r = arg;

	pthread_mutex_lock(&r->mu);
	while (!r->quit)
		if (!take_and_read(r, false))
			pthread_cond_wait(&r->cv, &r->mu);
	pthread_mutex_unlock(&r->mu);
	return NULL;
}

/* The calling thread: hand over the parts read, in order, and read parts
 * itself in between.  Returns the first failure in part order. */
static enum err
run_caller(struct run *r, struct sheet_error *e)
{
	enum err rc = ERR_OK;

	pthread_mutex_lock(&r->mu);
	for (;;) {
		size_t k = r->handed;
		struct slot_state *s = &r->st[k % r->p->nslots];

		if (k < r->taken && s->read) {
			/* everything before it was handed over: no slot
			 * state of part k changes while mu is let go */
			bool keep = rc == ERR_OK;
			enum err drc;

			pthread_mutex_unlock(&r->mu);
			drc = r->p->done(r->p->slot[k % r->p->nslots], keep);
			if (keep && s->rc != ERR_OK) {
				rc = s->rc;
				*e = s->e;
			} else if (keep && drc != ERR_OK) {
				rc = drc;
				sheet_fail(
				        e, SHEET_P_ABORTED, rc,
				        "the consumer stopped after part %zu",
				        k + 1);
			}
			pthread_mutex_lock(&r->mu);
			if (rc != ERR_OK)
				r->failed = true;
			r->handed++;
			pthread_cond_broadcast(&r->cv);
			continue;
		}
		if (take_and_read(r, true))
			continue;
		if (r->handed == r->taken && (!r->more || r->failed))
			break;
		/* the next part in order is being read by a helper */
		pthread_cond_wait(&r->cv, &r->mu);
	}
	r->quit = true;
	pthread_cond_broadcast(&r->cv);
	pthread_mutex_unlock(&r->mu);
	return rc;
}

static unsigned
thread_count(const struct sheet_parts *p)
{
	long n = cpus_online();
	unsigned t = p->threads;

	if (t == 0)
		t = n < 1 ? 1 : n > MAX_THREADS ? MAX_THREADS : (unsigned)n;
	if (t > p->nslots)
		t = (unsigned)p->nslots;
	return t;
}

enum err
sheet_read_parts(struct sheet_book *b, size_t i, const struct sheet_parts *p,
                 struct sheet_error *e)
{
	struct sheet_error scratch;
	struct sheet_part probe = { 0, 0, 0 };
	struct run r;
	pthread_t tid[MAX_THREADS];
	unsigned nt = 0, want;
	enum err rc;

	if (e == NULL)
		e = &scratch;
	if ((rc = book_start_read(b, i, e)) != ERR_OK)
		return rc;
	memset(&r, 0, sizeof(r));
	r.b = b;
	r.sheet = i;
	r.p = p;
	r.bytes = p->part_bytes != 0 ? p->part_bytes : PART_BYTES;
	r.more = true;
	if (p->nslots == 0)
		return sheet_fail(e, SHEET_P_ABORTED, ERR_INVALID,
		                  "no slot to read into");
	want = thread_count(p);
	/* asking for the first part tells whether the reader splits; one
	 * thread reads the sheet as one part */
	r.split = want > 1 && b->ops->next_part != NULL &&
	          b->ops->next_part(b, i, r.bytes, &probe);
	r.st = xcalloc(p->nslots, sizeof(*r.st));
	pthread_mutex_init(&r.mu, NULL);
	pthread_cond_init(&r.cv, NULL);
	if (r.split)
		for (; nt + 1 < want; nt++)
			if (pthread_create(&tid[nt], NULL, helper, &r) != 0)
				break;
	rc = run_caller(&r, e);
	for (unsigned k = 0; k < nt; k++)
		pthread_join(tid[k], NULL);
	pthread_cond_destroy(&r.cv);
	pthread_mutex_destroy(&r.mu);
	free(r.st);
	return rc;
}
