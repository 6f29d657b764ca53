/*
 * libFuzzer target for the fast path of src/sheet/ (xmlscan.c), checked
 * against expat: a document the scanner finishes without giving up must
 * get the same verdict from expat (accepted, or stopped by the nesting
 * limit) and the same handler calls (tests/sheet/xmllog.h writes them
 * down); when it gives up, the calls it made must be the start of expat's,
 * since the xlsx reader hands on what it read before.  A difference is
 * printed and abort()ed.
 *
 * Input: one byte that picks how the document is cut into feeds (the
 * scanner keeps an unfinished token across them) and, when its top bit is
 * set, a nesting limit below the scanner's own 64, which must stop both
 * parsers alike; then the document.  The scanner reads it twice: whole,
 * and in those pieces.
 *
 * fuzz/replay.c runs this same function over saved inputs
 * (fuzz/regress/xmlscan-*, fuzz/seeds/xmlscan/) without libFuzzer.
 */
#include <stdint.h>
#include <stdlib.h>

#include "../tests/sheet/xmllog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NSIZES 16

/* Chunk sizes from the seed byte: its low two bits pick the range (1-4,
 * 1-64, 1-1024 bytes, or 0-16 with empty feeds), the rest a sequence. */
static void
chunk_sizes(unsigned seed, size_t sizes[NSIZES])
{
	static const uint32_t range[4] = { 4, 64, 1024, 17 };
	uint32_t r = seed * 2654435761u + 1;

	for (int i = 0; i < NSIZES; i++) {
		r ^= r << 13;
		r ^= r >> 17;
		r ^= r << 5;
		sizes[i] = r % range[seed & 3] + ((seed & 3) != 3);
	}
	if (sizes[0] == 0)
		sizes[0] = 1;
}

static void
check(struct sheet_book *b, const char *doc, size_t n, const size_t *sizes,
      size_t nsizes, enum err expat_rc, const char *elog, const char *how)
{
	struct xmllog l;
	bool fallback;
	enum err rc;

	xmllog_init(&l);
	rc = xmllog_fast(b, doc, n, sizes, nsizes, &l, &fallback);
	if (fallback) {
		if (!xmllog_is_prefix(&l, elog)) {
			fprintf(stderr,
			        "%s: before its fallback the fast path gave\n"
			        "  %s%s\nwhich is not the start of expat's\n"
			        "  %s\n",
			        how, l.log.data, l.text.data, elog);
			abort();
		}
	} else {
		xmllog_flush(&l);
		if (rc != expat_rc || strcmp(l.log.data, elog) != 0) {
			fprintf(stderr,
			        "%s: the fast path (rc %d) gave\n  %s\n"
			        "expat (rc %d)\n  %s\n",
			        how, (int)rc, l.log.data, (int)expat_rc, elog);
			abort();
		}
	}
	xmllog_release(&l);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sheet_book b;
	struct sheet_error e;
	struct xmllog l;
	size_t sizes[NSIZES], whole;
	const char *doc = (const char *)data + 1;
	enum err rc;

	if (size < 1)
		return 0;
	whole = size > 1 ? size - 1 : 1;
	chunk_sizes(data[0], sizes);
	xmllog_book(&b);
	if (data[0] & 0x80)
		b.lim.depth = 1 + (data[0] >> 2 & 7);
	xmllog_init(&l);
	rc = xmllog_expat(&b, doc, size - 1, &l, &e);
	check(&b, doc, size - 1, &whole, 1, rc, l.log.data, "whole");
	check(&b, doc, size - 1, sizes, NSIZES, rc, l.log.data, "in pieces");
	xmllog_release(&l);
	return 0;
}
