/*
 * A zip reader over bytes in memory, strict enough to be safe on hostile
 * files (internal to src/sheet/).
 *
 * zip_open() walks the central directory and checks every entry before
 * anything is inflated: entry count, names (no duplicates even by case, no
 * absolute paths, "..", backslashes or control characters), no encryption,
 * only stored and deflate, the local header agreeing with the central
 * directory, every entry inside the file and no two entries overlapping
 * (which defeats "better zip bombs").  zip_stream() inflates one entry in
 * 64 KiB chunks, counting the bytes actually produced against the per-entry
 * and total limits and the compression ratio, and checks size and CRC.
 */
#ifndef BIEBSYNC_SHEET_ZIP_H
#define BIEBSYNC_SHEET_ZIP_H

#include "reader.h"

struct zip_entry {
	char *name;
	uint16_t method, flags;
	uint32_t crc;
	uint64_t csize, usize;
	uint64_t lho;      /* local header offset */
	uint64_t data_off; /* first byte of the compressed data */
};

struct zip {
	const unsigned char *data;
	size_t len;
	const struct sheet_limits *lim;
	struct zip_entry *e;
	size_t n;
	uint64_t total; /* inflated so far, against lim->total_bytes */
};

/* true if the bytes start like a zip archive. */
bool zip_magic(const void *data, size_t len);

enum err zip_open(struct zip *z, const void *data, size_t len,
                  const struct sheet_limits *lim, struct sheet_error *e);
void zip_close(struct zip *z);

/* The entry with this name (ASCII case-insensitive, as OPC part names
 * compare), or NULL. */
const struct zip_entry *zip_find(const struct zip *z, const char *name);

typedef enum err (*zip_sink)(void *ctx, const char *p, size_t n);

/* Inflate ent into sink, chunk by chunk. */
enum err zip_stream(struct zip *z, const struct zip_entry *ent, zip_sink sink,
                    void *ctx, struct sheet_error *e);

/* Inflate ent into out (initialised by the caller with its cap). */
enum err zip_read(struct zip *z, const struct zip_entry *ent, struct buf *out,
                  struct sheet_error *e);

#endif
