/*
 * Log lines on stderr: one event per line, English, with a timestamp, a level
 * and the request id when there is one.  Control characters and bytes that
 * are not printable ASCII are escaped as \xNN, so a log line can never be
 * split or forged by input.  Never log passwords, tokens, session ids or
 * anything a school uploads: log counts and ids instead.
 */
#ifndef BIEBSYNC_BASE_LOG_H
#define BIEBSYNC_BASE_LOG_H

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

/* Only lines at or above level are written (default LOG_INFO). */
void log_set_level(enum log_level level);

/* rid may be NULL (no request). */
void log_msg(enum log_level level, const char *rid, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

#define log_debug(rid, ...) log_msg(LOG_DEBUG, rid, __VA_ARGS__)
#define log_info(rid, ...)  log_msg(LOG_INFO, rid, __VA_ARGS__)
#define log_warn(rid, ...)  log_msg(LOG_WARN, rid, __VA_ARGS__)
#define log_error(rid, ...) log_msg(LOG_ERROR, rid, __VA_ARGS__)

/*
 * Escape s into out (size outsz) the way log lines do; truncates with "..."
 * when it does not fit.  Exposed for tests.
 */
void log_escape(const char *s, char *out, size_t outsz);

#endif
