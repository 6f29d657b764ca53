/*
 * Small text helpers that need no library: UTF-8 validation and counting,
 * ASCII case-insensitive search, time formatting.
 */
#ifndef BIEBSYNC_BASE_TEXT_H
#define BIEBSYNC_BASE_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* true if the n bytes at s are well-formed UTF-8 (no overlongs, no
 * surrogates, nothing above U+10FFFF). */
bool utf8_valid(const char *s, size_t n);

/* Write code point c (at most U+10FFFF) as UTF-8 into out; returns the
 * number of bytes, 1 to 4. */
size_t utf8_put(uint32_t c, char out[4]);

/* Number of code points in valid UTF-8 s. */
size_t utf8_count(const char *s);

/* true if needle occurs in haystack, ignoring ASCII case.  An empty needle
 * never matches. */
bool str_contains_nocase(const char *haystack, const char *needle);

/* Remove the spaces around s, in place: a name typed " OBS De Klimop ". */
void str_trim(char *s);

/* Current time in seconds since the epoch. */
int64_t time_now(void);

/* Today's local date as yyyymmdd (the reference date of imports). */
int32_t date_today(void);

/* Format t as "29-11-2026 14:05" (local time) into out. */
void time_fmt_local(int64_t t, char *out, size_t outsz);

/* Format t as "2026-11-29T13:05:00Z" into out. */
void time_fmt_iso(int64_t t, char *out, size_t outsz);

/* The start of the local day s ("2026-11-29", as an HTML date input sends
 * it) in seconds since the epoch; false for anything else or a day that
 * does not exist. */
bool time_parse_day(const char *s, int64_t *out);

#endif
