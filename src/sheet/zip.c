/*
 * Strict in-memory zip reading (see zip.h).  Only what OOXML and ODF need:
 * stored and deflate entries, data descriptors, Zip64 extra fields for sizes
 * and offsets.  Everything a file claims is checked against the bytes that
 * are there; nothing is allocated from a claimed size.
 */
#include <stdlib.h>
#include <pthread.h>
#include <string.h>

#include <zlib.h>

#include "zip.h"
#include "../base/mem.h"

#define CHUNK (64u * 1024u)

static uint16_t
rd16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t
rd32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t
rd64(const unsigned char *p)
{
	return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

bool
zip_magic(const void *data, size_t len)
{
	const unsigned char *p = data;

	return len >= 4 && p[0] == 'P' && p[1] == 'K' &&
	       ((p[2] == 3 && p[3] == 4) || (p[2] == 5 && p[3] == 6));
}

static void
free_entries(struct zip *z)
{
	for (size_t i = 0; i < z->n; i++)
		free(z->e[i].name);
	free(z->e);
	z->e = NULL;
	z->n = 0;
}

void
zip_close(struct zip *z)
{
	if (z != NULL)
		free_entries(z);
}

/* A safe entry name: not empty, relative, no "..", no backslash, no
 * control characters. */
static bool
name_ok(const unsigned char *s, size_t n)
{
	size_t seg = 0;

	if (n == 0 || s[0] == '/')
		return false;
	for (size_t i = 0; i <= n; i++) {
		if (i == n || s[i] == '/') {
			if (i - seg == 2 && s[seg] == '.' && s[seg + 1] == '.')
				return false;
			seg = i + 1;
			continue;
		}
		if (s[i] < 0x20 || s[i] == 0x7f || s[i] == '\\' || s[i] == ':')
			return false;
	}
	return true;
}

static int
cmp_lho(const void *a, const void *b)
{
	const struct zip_entry *x = *(const struct zip_entry *const *)a;
	const struct zip_entry *y = *(const struct zip_entry *const *)b;

	return x->lho < y->lho ? -1 : x->lho > y->lho;
}

static int
cmp_name(const void *a, const void *b)
{
	const struct zip_entry *x = *(const struct zip_entry *const *)a;
	const struct zip_entry *y = *(const struct zip_entry *const *)b;

	return strcasecmp(x->name, y->name);
}

/* Apply a Zip64 extended-information extra field to the fields that are
 * 0xffffffff in the central directory. */
static bool
zip64_extra(const unsigned char *x, size_t xlen, struct zip_entry *ent,
            bool usz, bool csz, bool off)
{
	while (xlen >= 4) {
		uint16_t id = rd16(x), sz = rd16(x + 2);
		const unsigned char *p = x + 4;
		size_t left = sz;

		if ((size_t)sz + 4 > xlen)
			return false;
		if (id == 1) {
			if (usz) {
				if (left < 8)
					return false;
				ent->usize = rd64(p);
				p += 8;
				left -= 8;
			}
			if (csz) {
				if (left < 8)
					return false;
				ent->csize = rd64(p);
				p += 8;
				left -= 8;
			}
			if (off) {
				if (left < 8)
					return false;
				ent->lho = rd64(p);
			}
			return true;
		}
		x += 4 + sz;
		xlen -= 4 + (size_t)sz;
	}
	return !usz && !csz && !off;
}

enum err
zip_open(struct zip *z, const void *data, size_t len,
         const struct sheet_limits *lim, struct sheet_error *e)
{
	const unsigned char *d = data, *eocd = NULL, *p, *end;
	uint64_t cd_off, cd_size, total_claim;
	struct zip_entry **sorted = NULL;
	size_t i, alloc = 0;
	enum err rc = ERR_INVALID;

	memset(z, 0, sizeof(*z));
	z->data = d;
	z->len = len;
	z->lim = lim;
	if (len < 22)
		return sheet_fail(e, SHEET_P_BROKEN, ERR_INVALID,
		                  "zip: too short");
	/* The end-of-central-directory record, searched from the end. */
	for (size_t k = len - 22 + 1; k-- > 0 && len - k <= 22 + 65535;) {
		if (d[k] == 'P' && d[k + 1] == 'K' && d[k + 2] == 5 &&
		    d[k + 3] == 6 && k + 22 + rd16(d + k + 20) <= len) {
			eocd = d + k;
			break;
		}
	}
	if (eocd == NULL)
		return sheet_fail(e, SHEET_P_BROKEN, ERR_INVALID,
		                  "zip: no end of central directory");
	if (rd16(eocd + 4) != 0 || rd16(eocd + 6) != 0)
		return sheet_fail(e, SHEET_P_BROKEN, ERR_INVALID,
		                  "zip: multi-disk archive");
	total_claim = rd16(eocd + 10);
	cd_size = rd32(eocd + 12);
	cd_off = rd32(eocd + 16);
	if (cd_off == 0xffffffffu || cd_size == 0xffffffffu ||
	    total_claim == 0xffff) {
		/* Zip64: the locator sits right before the EOCD record. */
		size_t at = (size_t)(eocd - d);
		uint64_t z64;

		if (at < 20 || rd32(d + at - 20) != 0x07064b50u)
			return sheet_fail(e, SHEET_P_BROKEN, ERR_INVALID,
			                  "zip: missing zip64 locator");
		z64 = rd64(d + at - 20 + 8);
		if (z64 > len - 56 || len < 56 || rd32(d + z64) != 0x06064b50u)
			return sheet_fail(e, SHEET_P_BROKEN, ERR_INVALID,
			                  "zip: bad zip64 end record");
		total_claim = rd64(d + z64 + 32);
		cd_size = rd64(d + z64 + 40);
		cd_off = rd64(d + z64 + 48);
	}
	if (cd_off > len || cd_size > len - cd_off)
		return sheet_fail(e, SHEET_P_BROKEN, ERR_INVALID,
		                  "zip: central directory outside the file");
	p = d + cd_off;
	end = p + cd_size;
	while (p < end) {
		struct zip_entry ent;
		uint16_t nlen, xlen, clen;
		const unsigned char *lh;
		uint64_t lend;

		if ((size_t)(end - p) < 46 || rd32(p) != 0x02014b50u) {
			rc = sheet_fail(e, SHEET_P_BROKEN, ERR_INVALID,
			                "zip: bad central directory entry");
			goto out;
		}
		if (z->n >= lim->entries) {
			rc = sheet_fail(e, SHEET_P_TOO_BIG, ERR_LIMIT,
			                "zip: more than %u entries",
			                lim->entries);
			goto out;
		}
		memset(&ent, 0, sizeof(ent));
		ent.flags = rd16(p + 8);
		ent.method = rd16(p + 10);
		ent.crc = rd32(p + 16);
		ent.csize = rd32(p + 20);
		ent.usize = rd32(p + 24);
		nlen = rd16(p + 28);
		xlen = rd16(p + 30);
		clen = rd16(p + 32);
		ent.lho = rd32(p + 42);
		if ((size_t)(end - p) < 46u + nlen + xlen + clen) {
			rc = sheet_fail(e, SHEET_P_BROKEN, ERR_INVALID,
			                "zip: truncated central directory");
			goto out;
		}
		if (!name_ok(p + 46, nlen)) {
			rc = sheet_fail(e, SHEET_P_UNSAFE, ERR_INVALID,
			                "zip: unsafe entry name");
			goto out;
		}
		if (!zip64_extra(
		            p + 46 + nlen, xlen, &ent, ent.usize == 0xffffffffu,
		            ent.csize == 0xffffffffu, ent.lho == 0xffffffffu)) {
			rc = sheet_fail(e, SHEET_P_BROKEN, ERR_INVALID,
			                "zip: bad zip64 extra field");
			goto out;
		}
		if (ent.flags & 0x41) {
			rc = sheet_fail(e, SHEET_P_ENCRYPTED, ERR_INVALID,
			                "zip: encrypted entry");
			goto out;
		}
		if (ent.method != 0 && ent.method != 8) {
			rc = sheet_fail(e, SHEET_P_BROKEN, ERR_INVALID,
			                "zip: compression method %u",
			                (unsigned)ent.method);
			goto out;
		}
		if (ent.method == 0 && ent.csize != ent.usize) {
			rc = sheet_fail(e, SHEET_P_BROKEN, ERR_INVALID,
			                "zip: stored entry with two sizes");
			goto out;
		}
		/* The local header must agree with the central directory. */
		if (ent.lho > cd_off || cd_off - ent.lho < 30 ||
		    rd32(d + ent.lho) != 0x04034b50u) {
			rc = sheet_fail(e, SHEET_P_BROKEN, ERR_INVALID,
			                "zip: bad local header");
			goto out;
		}
		lh = d + ent.lho;
		lend = ent.lho + 30 + (uint64_t)rd16(lh + 26) + rd16(lh + 28);
		if (rd16(lh + 26) != nlen || lend > cd_off ||
		    memcmp(lh + 30, p + 46, nlen) != 0 ||
		    rd16(lh + 8) != ent.method ||
		    ((rd16(lh + 6) & 0x41) != 0)) {
			rc = sheet_fail(
			        e, SHEET_P_BROKEN, ERR_INVALID,
			        "zip: local header disagrees with the central directory");
			goto out;
		}
		if (!(rd16(lh + 6) & 8) &&
		    (rd32(lh + 14) != ent.crc ||
		     (rd32(lh + 18) != 0xffffffffu &&
		      rd32(lh + 18) != (uint32_t)ent.csize) ||
		     (rd32(lh + 22) != 0xffffffffu &&
		      rd32(lh + 22) != (uint32_t)ent.usize))) {
			rc = sheet_fail(
			        e, SHEET_P_BROKEN, ERR_INVALID,
			        "zip: local sizes disagree with the central directory");
			goto out;
		}
		ent.data_off = lend;
		if (ent.csize > cd_off - lend) {
			rc = sheet_fail(e, SHEET_P_BROKEN, ERR_INVALID,
			                "zip: entry data outside the file");
			goto out;
		}
		if (z->n == alloc) {
			alloc = alloc ? alloc * 2 : 16;
			z->e = xrealloc(z->e, alloc * sizeof(*z->e));
		}
		ent.name = xstrndup((const char *)p + 46, nlen);
		z->e[z->n++] = ent;
		p += 46 + nlen + xlen + clen;
	}
	if (z->n == 0) {
		rc = sheet_fail(e, SHEET_P_BROKEN, ERR_INVALID,
		                "zip: no entries");
		goto out;
	}
	/* No two entries may share bytes or a name. */
	sorted = xmalloc(z->n * sizeof(*sorted));
	for (i = 0; i < z->n; i++)
		sorted[i] = &z->e[i];
	qsort(sorted, z->n, sizeof(*sorted), cmp_lho);
	for (i = 0; i + 1 < z->n; i++)
		if (sorted[i]->data_off + sorted[i]->csize >
		    sorted[i + 1]->lho) {
			rc = sheet_fail(e, SHEET_P_UNSAFE, ERR_INVALID,
			                "zip: overlapping entries");
			goto out;
		}
	qsort(sorted, z->n, sizeof(*sorted), cmp_name);
	for (i = 0; i + 1 < z->n; i++)
		if (strcasecmp(sorted[i]->name, sorted[i + 1]->name) == 0) {
			rc = sheet_fail(e, SHEET_P_UNSAFE, ERR_INVALID,
			                "zip: duplicate entry name");
			goto out;
		}
	rc = ERR_OK;
out:
	free(sorted);
	if (rc != ERR_OK)
		free_entries(z);
	return rc;
}

const struct zip_entry *
zip_find(const struct zip *z, const char *name)
{
	if (name[0] == '/')
		name++;
	for (size_t i = 0; i < z->n; i++)
		if (strcasecmp(z->e[i].name, name) == 0)
			return &z->e[i];
	return NULL;
}

/* Count n more inflated bytes against the limits. */
static enum err
account(struct zip *z, const struct zip_entry *ent, uint64_t out, size_t n,
        struct sheet_error *e)
{
	const struct sheet_limits *l = z->lim;

	z->total += n;
	if (out > l->entry_bytes)
		return sheet_fail(e, SHEET_P_TOO_BIG, ERR_LIMIT,
		                  "zip: %s inflates past %zu bytes", ent->name,
		                  l->entry_bytes);
	if (z->total > l->total_bytes)
		return sheet_fail(e, SHEET_P_TOO_BIG, ERR_LIMIT,
		                  "zip: more than %zu bytes inflated in total",
		                  l->total_bytes);
	if (out > (1u << 20) && out / (ent->csize + 1) > l->ratio)
		return sheet_fail(e, SHEET_P_UNSAFE, ERR_LIMIT,
		                  "zip: %s has a compression ratio above %u",
		                  ent->name, l->ratio);
	return ERR_OK;
}

static enum err
inflate_to(struct zip *z, const struct zip_entry *ent, zip_sink sink, void *ctx,
           struct sheet_error *e)
{
	const unsigned char *src = z->data + ent->data_off;
	unsigned char *out = NULL;
	uint64_t done = 0;
	uint32_t crc = (uint32_t)crc32(0L, Z_NULL, 0);
	z_stream zs;
	enum err rc = ERR_OK;
	int zr = Z_OK;

	if (ent->method == 0) {
		for (uint64_t off = 0; off < ent->csize; off += CHUNK) {
			size_t n = ent->csize - off < CHUNK
			                   ? (size_t)(ent->csize - off)
			                   : CHUNK;

			done += n;
			if ((rc = account(z, ent, done, n, e)) != ERR_OK)
				return rc;
			crc = (uint32_t)crc32(crc, src + off, (uInt)n);
			if ((rc = sink(ctx, (const char *)src + off, n)) !=
			    ERR_OK)
				return rc;
		}
		goto check;
	}
	memset(&zs, 0, sizeof(zs));
	if (inflateInit2(&zs, -MAX_WBITS) != Z_OK)
		return sheet_fail(e, SHEET_P_BROKEN, ERR_INVALID,
		                  "zip: inflateInit failed");
	out = xmalloc(CHUNK);
	zs.next_in = (Bytef *)(uintptr_t)src;
	{
		uint64_t left = ent->csize;

		while (zr != Z_STREAM_END) {
			size_t n;

			if (zs.avail_in == 0 && left > 0) {
				uInt take = left > (1u << 30) ? (1u << 30)
				                              : (uInt)left;

				zs.avail_in = take;
				left -= take;
			}
			zs.next_out = out;
			zs.avail_out = CHUNK;
			zr = inflate(&zs, Z_NO_FLUSH);
			if (zr != Z_OK && zr != Z_STREAM_END) {
				rc = sheet_fail(e, SHEET_P_BROKEN, ERR_INVALID,
				                "zip: %s does not inflate",
				                ent->name);
				goto out;
			}
			n = CHUNK - zs.avail_out;
			if (n == 0 && zr == Z_OK && zs.avail_in == 0 &&
			    left == 0) {
				rc = sheet_fail(e, SHEET_P_BROKEN, ERR_INVALID,
				                "zip: %s is truncated",
				                ent->name);
				goto out;
			}
			done += n;
			if ((rc = account(z, ent, done, n, e)) != ERR_OK)
				goto out;
			crc = (uint32_t)crc32(crc, out, (uInt)n);
			if (n > 0 &&
			    (rc = sink(ctx, (const char *)out, n)) != ERR_OK)
				goto out;
		}
	}
check:
	if (done != ent->usize)
		rc = sheet_fail(e, SHEET_P_BROKEN, ERR_INVALID,
		                "zip: %s inflates to %llu bytes, not %llu",
		                ent->name, (unsigned long long)done,
		                (unsigned long long)ent->usize);
	else if (crc != ent->crc)
		rc = sheet_fail(e, SHEET_P_BROKEN, ERR_INVALID,
		                "zip: bad CRC-32 for %s", ent->name);
out:
	if (out != NULL) {
		inflateEnd(&zs);
		free(out);
	}
	return rc;
}

/*
 * Inflating on a second thread.  Large deflated entries (a worksheet of a
 * million rows inflates to hundreds of megabytes) are inflated by a
 * producer thread into a ring of slots while the caller's sink parses the
 * slots already filled, so inflating costs the caller nothing but the
 * hand-over.  The producer counts the limits and checks size and CRC as
 * inflate_to() always does; the sink sees the same bytes in the same order
 * and the first failure wins, as when both run on one thread: the producer
 * hands on what it inflated before it failed, and the sink's failure on
 * those bytes comes first.
 */
#define ASYNC_MIN  (256u * 1024u) /* compressed bytes worth a thread */
#define RING_SLOTS 4
#define RING_SLOT  (256u * 1024u)

struct ring {
	pthread_mutex_t mu;
	pthread_cond_t filled, drained;
	char *slot[RING_SLOTS];
	size_t len[RING_SLOTS];
	uint64_t head, tail; /* slots filled, slots drained */
	bool stop;           /* the sink failed: inflate no more */
	bool done;           /* the producer has finished */
	size_t fill;         /* bytes in the slot being filled */
	struct zip *z;
	const struct zip_entry *ent;
	enum err rc; /* the producer's result, its detail in e */
	struct sheet_error e;
};

/* Publish the slot being filled. */
static enum err
ring_publish(struct ring *r)
{
	enum err rc = ERR_OK;

	pthread_mutex_lock(&r->mu);
	r->len[r->head % RING_SLOTS] = r->fill;
	r->head++;
	r->fill = 0;
	pthread_cond_signal(&r->filled);
	while (r->head - r->tail == RING_SLOTS && !r->stop)
		pthread_cond_wait(&r->drained, &r->mu);
	if (r->stop)
		rc = ERR_STATE; /* any failure ends inflate_to() */
	pthread_mutex_unlock(&r->mu);
	return rc;
}

/* The producer's sink: copy into the slot being filled (the consumer does
 * not touch a slot between tail and head). */
static enum err
ring_put(void *ctx, const char *p, size_t n)
{
	struct ring *r = ctx;

	while (n > 0) {
		size_t take = RING_SLOT - r->fill < n ? RING_SLOT - r->fill : n;
		enum err rc;

		memcpy(r->slot[r->head % RING_SLOTS] + r->fill, p, take);
		r->fill += take;
		p += take;
		n -= take;
		if (r->fill == RING_SLOT && (rc = ring_publish(r)) != ERR_OK)
			return rc;
	}
	return ERR_OK;
}

static void *
ring_produce(void *arg)
{
	struct ring *r = arg;

	r->rc = inflate_to(r->z, r->ent, ring_put, r, &r->e);
	if (r->fill > 0)
		ring_publish(r);
	pthread_mutex_lock(&r->mu);
	r->done = true;
	pthread_cond_signal(&r->filled);
	pthread_mutex_unlock(&r->mu);
	return NULL;
}

static enum err
stream_async(struct zip *z, const struct zip_entry *ent, zip_sink sink,
             void *ctx, struct sheet_error *e)
{
	struct ring r;
	pthread_t t;
	enum err rc = ERR_OK;

	memset(&r, 0, sizeof(r));
	r.z = z;
	r.ent = ent;
	pthread_mutex_init(&r.mu, NULL);
	pthread_cond_init(&r.filled, NULL);
	pthread_cond_init(&r.drained, NULL);
	for (int i = 0; i < RING_SLOTS; i++)
		r.slot[i] = xmalloc(RING_SLOT);
	if (pthread_create(&t, NULL, ring_produce, &r) != 0) {
		rc = inflate_to(z, ent, sink, ctx, e);
		goto out;
	}
	for (;;) {
		size_t i;

		pthread_mutex_lock(&r.mu);
		while (r.tail == r.head && !r.done)
			pthread_cond_wait(&r.filled, &r.mu);
		if (r.tail == r.head) {
			pthread_mutex_unlock(&r.mu);
			break;
		}
		i = r.tail % RING_SLOTS;
		pthread_mutex_unlock(&r.mu);
		rc = sink(ctx, r.slot[i], r.len[i]);
		pthread_mutex_lock(&r.mu);
		r.tail++;
		r.stop = rc != ERR_OK;
		pthread_cond_signal(&r.drained);
		pthread_mutex_unlock(&r.mu);
		if (rc != ERR_OK)
			break;
	}
	pthread_join(t, NULL);
	if (rc == ERR_OK && r.rc != ERR_OK) {
		rc = r.rc;
		if (e != NULL && e->problem == SHEET_OK)
			*e = r.e;
	}
out:
	for (int i = 0; i < RING_SLOTS; i++)
		free(r.slot[i]);
	pthread_cond_destroy(&r.drained);
	pthread_cond_destroy(&r.filled);
	pthread_mutex_destroy(&r.mu);
	return rc;
}

enum err
zip_stream(struct zip *z, const struct zip_entry *ent, zip_sink sink, void *ctx,
           struct sheet_error *e)
{
	if (ent->method != 0 && ent->csize >= ASYNC_MIN)
		return stream_async(z, ent, sink, ctx, e);
	return inflate_to(z, ent, sink, ctx, e);
}

static enum err
to_buf(void *ctx, const char *p, size_t n)
{
	return buf_add(ctx, p, n);
}

enum err
zip_read(struct zip *z, const struct zip_entry *ent, struct buf *out,
         struct sheet_error *e)
{
	enum err rc = zip_stream(z, ent, to_buf, out, e);

	if (rc == ERR_LIMIT && out->err == ERR_LIMIT)
		return sheet_fail(e, SHEET_P_TOO_BIG, ERR_LIMIT,
		                  "zip: %s is larger than %zu bytes", ent->name,
		                  out->max);
	return rc;
}
