/*
 * The recv() interposer behind headscan.h: a byte-at-a-time state machine
 * per watched descriptor over the request line and the header lines.
 *
 * The executable's own recv() takes precedence over the C library's for
 * every caller in the process, libmicrohttpd included; it reads with the
 * recvfrom system call and then feeds what it read to the scanner.  For a
 * descriptor that is not watched it only costs a table lookup.
 */
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

#include "headscan.h"

/* Not from <sys/socket.h>: with _FORTIFY_SOURCE that header defines an
 * inline recv() of its own, which this file replaces. */
ssize_t recv(int fd, void *buf, size_t len, int flags);

#define MSG_PEEK_FLAG 0x2 /* MSG_PEEK: the bytes will be read again */

enum {
	S_ACTIVE = 1,     /* inside a request head */
	S_LINE_START = 2, /* no byte of the current line yet */
	S_PREV_CR = 4,    /* the last byte was CR */
	S_BAD = 8,        /* the head broke the rules */
	S_SEEN = 16,      /* a line with content was read */
};

static unsigned char state[HEADSCAN_FDS];

void
headscan_start(int fd)
{
	if (fd >= 0 && fd < HEADSCAN_FDS)
		state[fd] = S_ACTIVE | S_LINE_START;
}

void
headscan_stop(int fd)
{
	if (fd >= 0 && fd < HEADSCAN_FDS)
		state[fd] = 0;
}

bool
headscan_bad(int fd)
{
	return fd >= 0 && fd < HEADSCAN_FDS && (state[fd] & S_BAD) != 0;
}

/* One step; returns the new state (without S_ACTIVE once the head ends). */
static unsigned char
step(unsigned char st, unsigned char ch)
{
	if (st & S_PREV_CR) {
		if (ch != '\n')
			return S_BAD; /* bare CR */
		st &= (unsigned char)~S_PREV_CR;
		if ((st & S_LINE_START) && (st & S_SEEN))
			return 0; /* the empty line: the head is complete */
		return st | S_LINE_START; /* empty lines before it are ok */
	}
	if (ch == '\r')
		return st | S_PREV_CR;
	if (ch == '\n')
		return S_BAD; /* bare LF */
	if (st & S_LINE_START) {
		if (ch == ' ' || ch == '\t')
			return S_BAD; /* obs-fold, or white space first */
		st &= (unsigned char)~S_LINE_START;
		st |= S_SEEN;
	}
	return st;
}

static void
feed(int fd, const unsigned char *p, size_t n)
{
	unsigned char st = state[fd];

	for (size_t i = 0; i < n && (st & S_ACTIVE); i++)
		st = step(st, p[i]);
	state[fd] = st;
}

ssize_t
recv(int fd, void *buf, size_t len, int flags)
{
	ssize_t n = syscall(SYS_recvfrom, fd, buf, len, flags, NULL, NULL);

	if (n > 0 && fd >= 0 && fd < HEADSCAN_FDS && (state[fd] & S_ACTIVE) &&
	    !(flags & MSG_PEEK_FLAG))
		feed(fd, buf, (size_t)n);
	return n;
}
