/*
 * Bounded parsers for numbers and words in configuration, command lines and
 * requests.  Each parses the whole string (no trailing garbage, no leading
 * spaces or signs unless stated), checks the range and writes the result only
 * on success.  They replace atoi/strtol/sscanf, which silently accept junk.
 */
#ifndef BIEBSYNC_BASE_STRPARSE_H
#define BIEBSYNC_BASE_STRPARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* Decimal digits only, value in [min, max]. */
enum err parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out);

/*
 * A size with an optional unit suffix: k, m, g (powers of 1024, either case,
 * optional trailing "b"/"B"), e.g. "64k", "20MB".  Value in [min, max].
 */
enum err parse_size(const char *s, uint64_t min, uint64_t max, uint64_t *out);

/*
 * A duration: digits with an optional unit s, m, h, d (default seconds),
 * e.g. "30m", "12h".  Result in seconds, in [min, max].
 */
enum err parse_duration(const char *s, uint64_t min, uint64_t max,
                        uint64_t *out);

/* yes/no, true/false, on/off, 1/0 (case-insensitive). */
enum err parse_bool(const char *s, bool *out);

/*
 * "ADDR:PORT" with an IPv4 address or "[IPv6]": copies the address (without
 * brackets) into addr (size addrsz) and the port into *port (0-65535; 0
 * asks for any free port).
 */
enum err parse_listen(const char *s, char *addr, size_t addrsz, uint16_t *port);

/* Copy src into dst (size dstsz) if it fits, NUL-terminated; else ERR_LIMIT. */
enum err str_copy(char *dst, size_t dstsz, const char *src);

/* true if s starts with prefix. */
bool str_starts(const char *s, const char *prefix);

/* ASCII case-insensitive equality. */
bool str_eq_nocase(const char *a, const char *b);

#endif
