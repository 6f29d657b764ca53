/*
 * The zip writer (see zipwrite.h).  Layout per PKWARE APPNOTE 4.3: a local
 * header and the data of each entry, then the central directory, then the
 * end of central directory record.  Version needed 2.0, no data
 * descriptors (sizes and CRC are known before the header is written), no
 * extra fields, general purpose flags 0 (names are ASCII).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <zlib.h>

#include "zipwrite.h"
#include "../base/mem.h"

#define ZIP_ENTRIES_MAX 65535u
#define CD_MAX          ((size_t)1 << 24) /* bytes of central directory */

static void
put16(struct buf *b, unsigned v)
{
	char p[2] = { (char)(v & 0xff), (char)(v >> 8 & 0xff) };

	buf_add(b, p, 2);
}

static void
put32(struct buf *b, uint32_t v)
{
	put16(b, v & 0xffff);
	put16(b, v >> 16);
}

void
zipwrite_init(struct zipwrite *z, struct buf *out, int64_t mtime)
{
	time_t t = (time_t)mtime;
	struct tm tm;

	memset(z, 0, sizeof(*z));
	z->out = out;
	buf_init(&z->cd, CD_MAX);
	/* MS-DOS dates start in 1980; earlier clocks write 1980-01-01 */
	if (mtime < 315532800 || gmtime_r(&t, &tm) == NULL ||
	    tm.tm_year > 2107 - 1900) {
		z->dos_date = 1 << 5 | 1;
		return;
	}
	z->dos_time =
	        (uint16_t)(tm.tm_hour << 11 | tm.tm_min << 5 | tm.tm_sec / 2);
	z->dos_date = (uint16_t)((tm.tm_year - 80) << 9 | (tm.tm_mon + 1) << 5 |
	                         tm.tm_mday);
}

/* Deflate data (raw, no zlib header) into a new allocation; NULL when it
 * would not be smaller than the data. */
static unsigned char *
deflate_raw(const void *data, size_t len, size_t *clen)
{
	z_stream zs;
	unsigned char *c;
	uLong bound;
	int rc;

	memset(&zs, 0, sizeof(zs));
	if (len == 0 || len > UINT32_MAX ||
	    deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -15, 8,
	                 Z_DEFAULT_STRATEGY) != Z_OK)
		return NULL;
	bound = deflateBound(&zs, (uLong)len);
	c = xmalloc(bound);
	zs.next_in = (Bytef *)(uintptr_t)data;
	zs.avail_in = (uInt)len;
	zs.next_out = c;
	zs.avail_out = (uInt)bound;
	rc = deflate(&zs, Z_FINISH);
	*clen = zs.total_out;
	deflateEnd(&zs);
	if (rc != Z_STREAM_END || *clen >= len) {
		free(c);
		return NULL;
	}
	return c;
}

/* The fields that the local header and the central directory share, from
 * "version needed" to the extra field length. */
static void
common_fields(struct buf *b, const struct zipwrite *z, unsigned method,
              uint32_t crc, size_t clen, size_t len, size_t namelen)
{
	put16(b, 20); /* version needed: 2.0 */
	put16(b, 0);  /* flags */
	put16(b, method);
	put16(b, z->dos_time);
	put16(b, z->dos_date);
	put32(b, crc);
	put32(b, (uint32_t)clen);
	put32(b, (uint32_t)len);
	put16(b, (unsigned)namelen);
	put16(b, 0); /* extra field length */
}

enum err
zipwrite_add(struct zipwrite *z, const char *name, const void *data, size_t len)
{
	size_t namelen = strlen(name), clen = len, lho = z->out->len;
	unsigned char *c;
	uint32_t crc;
	unsigned method = 0;

	if (z->err != ERR_OK)
		return z->err;
	if (z->n >= ZIP_ENTRIES_MAX || namelen == 0 || namelen > 0xffff ||
	    len >= UINT32_MAX || lho >= UINT32_MAX)
		return z->err = ERR_LIMIT;
	crc = (uint32_t)crc32(0L, Z_NULL, 0);
	crc = (uint32_t)crc32(crc, (const Bytef *)data, (uInt)len);
	c = deflate_raw(data, len, &clen);
	if (c != NULL)
		method = 8;
	else
		clen = len;
	put32(z->out, 0x04034b50);
	common_fields(z->out, z, method, crc, clen, len, namelen);
	buf_add(z->out, name, namelen);
	buf_add(z->out, c != NULL ? (const void *)c : data, clen);
	free(c);

	put32(&z->cd, 0x02014b50);
	put16(&z->cd, 20); /* version made by: 2.0, MS-DOS attributes */
	common_fields(&z->cd, z, method, crc, clen, len, namelen);
	put16(&z->cd, 0); /* comment length */
	put16(&z->cd, 0); /* disk number start */
	put16(&z->cd, 0); /* internal attributes */
	put32(&z->cd, 0); /* external attributes */
	put32(&z->cd, (uint32_t)lho);
	buf_add(&z->cd, name, namelen);
	z->n++;
	if (z->out->err != ERR_OK)
		z->err = z->out->err;
	else if (z->cd.err != ERR_OK)
		z->err = z->cd.err;
	return z->err;
}

enum err
zipwrite_finish(struct zipwrite *z)
{
	size_t cdo = z->out->len;

	if (z->err == ERR_OK && cdo >= UINT32_MAX)
		z->err = ERR_LIMIT;
	if (z->err == ERR_OK) {
		buf_add(z->out, z->cd.data, z->cd.len);
		put32(z->out, 0x06054b50);
		put16(z->out, 0); /* this disk */
		put16(z->out, 0); /* disk with the central directory */
		put16(z->out, z->n);
		put16(z->out, z->n);
		put32(z->out, (uint32_t)z->cd.len);
		put32(z->out, (uint32_t)cdo);
		put16(z->out, 0); /* comment length */
		z->err = z->out->err;
	}
	zipwrite_release(z);
	return z->err;
}

void
zipwrite_release(struct zipwrite *z)
{
	if (z == NULL)
		return;
	buf_release(&z->cd);
}
