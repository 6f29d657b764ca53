/*
 * Test helper: a tiny zip writer, so tests can build xlsx and ods packages
 * byte by byte, including broken and hostile ones (lying sizes, duplicate
 * names, overlapping entries, unsafe names).  Entries are stored or
 * deflated with zlib; zipw_finish() appends the central directory.
 */
#ifndef BIEBSYNC_TESTS_SHEET_ZIPW_H
#define BIEBSYNC_TESTS_SHEET_ZIPW_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "../../src/base/buf.h"

#define ZIPW_MAX 64

struct zipw {
	struct buf out;
	struct buf cd;
	unsigned n;
	uint32_t lho[ZIPW_MAX];
};

static __attribute__((unused)) void
zw16(struct buf *b, unsigned v)
{
	char p[2] = { (char)(v & 0xff), (char)(v >> 8 & 0xff) };

	buf_add(b, p, 2);
}

static __attribute__((unused)) void
zw32(struct buf *b, uint32_t v)
{
	zw16(b, v & 0xffff);
	zw16(b, v >> 16);
}

static __attribute__((unused)) void
zipw_init(struct zipw *z)
{
	memset(z, 0, sizeof(*z));
	buf_init(&z->out, 1u << 28);
	buf_init(&z->cd, 1u << 24);
}

/*
 * Add an entry.  deflate: compress (else store).  claim_usize: when not
 * (uint32_t)-1, the uncompressed size written in both headers instead of
 * the true one.
 */
static __attribute__((unused)) void
zipw_add_ex(struct zipw *z, const char *name, const void *data, size_t len,
            int compress_it, uint32_t claim_usize)
{
	uLongf clen = compressBound((uLong)len) + 16;
	unsigned char *comp = malloc(clen);
	const unsigned char *payload = data;
	uint32_t crc = (uint32_t)crc32(0, data, (uInt)len);
	uint32_t usize =
	        claim_usize != (uint32_t)-1 ? claim_usize : (uint32_t)len;
	size_t plen = len;
	size_t nlen = strlen(name);

	if (compress_it) {
		z_stream s;

		memset(&s, 0, sizeof(s));
		deflateInit2(&s, 9, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY);
		s.next_in = (Bytef *)(uintptr_t)data;
		s.avail_in = (uInt)len;
		s.next_out = comp;
		s.avail_out = (uInt)clen;
		deflate(&s, Z_FINISH);
		plen = s.total_out;
		deflateEnd(&s);
		payload = comp;
	}
	z->lho[z->n] = (uint32_t)z->out.len;
	zw32(&z->out, 0x04034b50);
	zw16(&z->out, 20);
	zw16(&z->out, 0);
	zw16(&z->out, compress_it ? 8 : 0);
	zw16(&z->out, 0);
	zw16(&z->out, 0x21);
	zw32(&z->out, crc);
	zw32(&z->out, (uint32_t)plen);
	zw32(&z->out, usize);
	zw16(&z->out, (unsigned)nlen);
	zw16(&z->out, 0);
	buf_add(&z->out, name, nlen);
	buf_add(&z->out, payload, plen);

	zw32(&z->cd, 0x02014b50);
	zw16(&z->cd, 20);
	zw16(&z->cd, 20);
	zw16(&z->cd, 0);
	zw16(&z->cd, compress_it ? 8 : 0);
	zw16(&z->cd, 0);
	zw16(&z->cd, 0x21);
	zw32(&z->cd, crc);
	zw32(&z->cd, (uint32_t)plen);
	zw32(&z->cd, usize);
	zw16(&z->cd, (unsigned)nlen);
	zw16(&z->cd, 0);
	zw16(&z->cd, 0);
	zw16(&z->cd, 0);
	zw16(&z->cd, 0);
	zw32(&z->cd, 0);
	zw32(&z->cd, z->lho[z->n]);
	buf_add(&z->cd, name, nlen);
	z->n++;
	free(comp);
}

static __attribute__((unused)) void
zipw_add(struct zipw *z, const char *name, const char *text)
{
	zipw_add_ex(z, name, text, strlen(text), 1, (uint32_t)-1);
}

/* A second central directory record for an existing local entry, under
 * another name: two entries sharing bytes. */
static __attribute__((unused)) void
zipw_alias(struct zipw *z, unsigned entry, const char *name)
{
	/* copy the record of entry (46 + name) and patch name */
	const char *p = z->cd.data;
	size_t off = 0;

	for (unsigned i = 0; i < entry; i++) {
		unsigned nl = (unsigned char)p[off + 28] |
		              (unsigned char)p[off + 29] << 8;

		off += 46 + nl;
	}
	{
		char rec[46];
		size_t nlen = strlen(name);

		memcpy(rec, p + off, 46);
		rec[28] = (char)(nlen & 0xff);
		rec[29] = (char)(nlen >> 8);
		buf_add(&z->cd, rec, 46);
		buf_add(&z->cd, name, nlen);
	}
	z->n++;
}

/* Append the central directory; returns the bytes (free them). */
static __attribute__((unused)) char *
zipw_finish(struct zipw *z, size_t *len)
{
	uint32_t cdoff = (uint32_t)z->out.len;

	buf_add(&z->out, z->cd.data, z->cd.len);
	zw32(&z->out, 0x06054b50);
	zw16(&z->out, 0);
	zw16(&z->out, 0);
	zw16(&z->out, z->n);
	zw16(&z->out, z->n);
	zw32(&z->out, (uint32_t)z->cd.len);
	zw32(&z->out, cdoff);
	zw16(&z->out, 0);
	buf_release(&z->cd);
	{
		char *s = buf_detach(&z->out, len);

		buf_release(&z->out);
		return s;
	}
}

/* The parts of a minimal workbook around one worksheet. */
static __attribute__((unused)) void
zipw_xlsx(struct zipw *z, const char *workbook_pr, const char *sheet_xml,
          const char *sst_xml, const char *styles_xml)
{
	char wb[1024];

	zipw_add(
	        z, "[Content_Types].xml",
	        "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>");
	zipw_add(
	        z, "_rels/.rels",
	        "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
	        "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/>"
	        "</Relationships>");
	snprintf(
	        wb, sizeof(wb),
	        "<?xml version=\"1.0\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">%s<sheets><sheet name=\"Blad1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>",
	        workbook_pr != NULL ? workbook_pr : "");
	zipw_add(z, "xl/workbook.xml", wb);
	zipw_add(
	        z, "xl/_rels/workbook.xml.rels",
	        "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
	        "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
	        "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" Target=\"sharedStrings.xml\"/>"
	        "<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>"
	        "</Relationships>");
	if (sheet_xml != NULL)
		zipw_add(z, "xl/worksheets/sheet1.xml", sheet_xml);
	if (sst_xml != NULL)
		zipw_add(z, "xl/sharedStrings.xml", sst_xml);
	if (styles_xml != NULL)
		zipw_add(z, "xl/styles.xml", styles_xml);
}

#endif
