/*
 * The record reader behind tlsreneg.h: a pull function for GnuTLS that
 * reads with recv() and follows the record layer's framing (a 5-byte header
 * of type, version and length, then the body) over every byte, so it knows
 * each record's type without decrypting anything.
 *
 * The client's handshake ends with ChangeCipherSpec (type 20) followed by
 * its Finished (type 22).  In TLS 1.3 the ChangeCipherSpec is the
 * compatibility one, and every later handshake message travels inside
 * application-data records (type 23); after a HelloRetryRequest the second
 * ClientHello follows the ChangeCipherSpec.  So: the first handshake record
 * after the first ChangeCipherSpec is allowed, and any handshake record
 * after that is a renegotiation.
 */
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

#include <gnutls/gnutls.h>

#include "tlsreneg.h"

/* Record types (RFC 5246, 6.2.1). */
enum { T_CHANGE_CIPHER_SPEC = 20, T_HANDSHAKE = 22 };

enum phase {
	P_OFF,      /* not watched */
	P_HELLO,    /* before the client's ChangeCipherSpec */
	P_FINISHED, /* after it: one handshake record (Finished) allowed */
	P_DONE,     /* the handshake is over */
	P_REFUSED,  /* the alert was sent */
};

struct rec {
	gnutls_session_t session;
	uint8_t phase;
	uint8_t have;   /* header bytes seen of the current record */
	uint8_t type;   /* the current record's type */
	uint8_t len_hi; /* first length byte */
	uint32_t left;  /* body bytes still to come */
};

static struct rec recs[TLSRENEG_FDS];

/* A record starts (its header is complete). */
static void
record_starts(struct rec *r)
{
	if (r->type == T_CHANGE_CIPHER_SPEC && r->phase == P_HELLO) {
		r->phase = P_FINISHED;
	} else if (r->type == T_HANDSHAKE) {
		if (r->phase == P_FINISHED) {
			r->phase = P_DONE;
		} else if (r->phase == P_DONE) {
			r->phase = P_REFUSED;
			gnutls_alert_send(r->session, GNUTLS_AL_WARNING,
			                  GNUTLS_A_NO_RENEGOTIATION);
		}
	}
}

/* Follow the framing over n bytes just read. */
static void
follow(struct rec *r, const uint8_t *p, size_t n)
{
	while (n > 0 && r->phase != P_REFUSED) {
		if (r->left > 0) {
			size_t k = n < r->left ? n : r->left;

			r->left -= (uint32_t)k;
			p += k;
			n -= k;
			continue;
		}
		switch (r->have++) {
		case 0:
			r->type = *p;
			break;
		case 3:
			r->len_hi = *p;
			break;
		case 4:
			r->left = (uint32_t)r->len_hi << 8 | *p;
			r->have = 0;
			record_starts(r);
			break;
		default:
			break;
		}
		p++;
		n--;
	}
}

static ssize_t
pull(gnutls_transport_ptr_t ptr, void *buf, size_t len)
{
	int fd = (int)(intptr_t)ptr;
	ssize_t n = recv(fd, buf, len, 0);

	if (n > 0 && fd >= 0 && fd < TLSRENEG_FDS && recs[fd].phase != P_OFF)
		follow(&recs[fd], buf, (size_t)n);
	return n;
}

void
tlsreneg_watch(void *session, int fd)
{
	if (session == NULL || fd < 0 || fd >= TLSRENEG_FDS)
		return;
	recs[fd] = (struct rec){ .session = session, .phase = P_HELLO };
	gnutls_transport_set_pull_function(session, pull);
}

void
tlsreneg_forget(int fd)
{
	if (fd >= 0 && fd < TLSRENEG_FDS)
		recs[fd] = (struct rec){ 0 };
}
