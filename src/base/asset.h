/*
 * Files compiled into the binary by scripts/embed.sh: the web's static
 * assets (assets/) and data lists (data/).  Each table ends with an entry
 * whose name is NULL.
 */
#ifndef BIEBSYNC_BASE_ASSET_H
#define BIEBSYNC_BASE_ASSET_H

#include <stddef.h>

struct asset {
	const char *name; /* file name without folder */
	const char *type; /* Content-Type */
	const unsigned char *data;
	size_t len;
};

extern const struct asset web_assets[];
extern const struct asset data_files[];

/* The entry called name in table, or NULL. */
const struct asset *asset_find(const struct asset *table, const char *name);

#endif
