/*
 * Looking up compiled-in files by name (see asset.h).  Tables are small, so
 * a linear scan is the simplest correct thing.
 */
#include <string.h>

#include "asset.h"

const struct asset *
asset_find(const struct asset *table, const char *name)
{
	for (; table->name != NULL; table++)
		if (strcmp(table->name, name) == 0)
			return table;
	return NULL;
}
