/*
 * The fuzz targets' HTTP server and loopback client (see httpfuzz.h).
 *
 * The client closes each connection with a reset (SO_LINGER 0) once the
 * server has closed its side, so thousands of connections a second leave
 * no TIME_WAIT sockets behind on either end.  A half-close waits until
 * the server has been silent for 2 ms (see httpfuzz_exchange()).  A
 * connect() that fails is tried again for a second before it counts as a
 * server that no longer answers: libFuzzer's timer signal interrupts it
 * now and then (EINTR, which a socket with a timeout does not restart),
 * and the loopback's ports are shared with every other test here.  Timeouts:
 * the server's idle and head timeouts are short (a few seconds), and the client
 * gives up after HTTPFUZZ_WAIT seconds without a byte, which is a hang.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "httpfuzz.h"
#include "../src/base/log.h"
#include "../src/http/http.h"

#define HTTPFUZZ_WAIT 8 /* seconds without a byte from the server */

static struct http_server *server;
static uint16_t port;

static void
broken(const char *what)
{
	fprintf(stderr, "httpfuzz: %s\n", what);
	abort();
}

static size_t
body_limit(enum http_method method, const char *path, void *app)
{
	(void)method;
	(void)app;
	return strncmp(path, "/klein", 6) == 0 ? HTTPFUZZ_SMALL
	                                       : HTTPFUZZ_LARGE;
}

static bool
admit(struct http_request *req, struct http_response *resp, void *app)
{
	(void)app;
	if (strncmp(req->path, "/weiger", 7) != 0)
		return true;
	resp->status = 303;
	http_add_header(resp, "Location", "/aanmelden");
	return false;
}

/* s is NUL-terminated within its array of n bytes. */
static bool
terminated(const char *s, size_t n)
{
	return memchr(s, '\0', n) != NULL;
}

static bool
buf_ok(const struct buf *b, size_t cap)
{
	return b->data != NULL && b->len <= cap && b->data[b->len] == '\0';
}

/* The promises of http.h about the request handed on. */
static void
handler(struct http_request *req, struct http_response *resp, void *app)
{
	size_t limit = body_limit(req->method, req->path, app);

	if (req->method != HTTP_GET && req->method != HTTP_HEAD &&
	    req->method != HTTP_POST)
		broken("a method other than GET, HEAD or POST");
	if (!terminated(req->rid, sizeof(req->rid)) ||
	    !terminated(req->client_addr, sizeof(req->client_addr)))
		broken("request id or client address not terminated");
	if (req->path == NULL)
		broken("no path");
	if (req->nparts < 0 || req->nparts > HTTP_MAX_PARTS)
		broken("more parts than HTTP_MAX_PARTS");
	if (!req->multipart && req->nparts != 0)
		broken("parts without a multipart body");
	if (!buf_ok(&req->body, limit))
		broken("a body past its limit or not NUL-terminated");
	if (req->multipart && req->body.len != 0)
		broken("a multipart body also in req->body");
	for (int i = 0; i < req->nparts; i++) {
		const struct http_part *p = &req->parts[i];

		if (!terminated(p->name, sizeof(p->name)) ||
		    !terminated(p->filename, sizeof(p->filename)) ||
		    !terminated(p->type, sizeof(p->type)))
			broken("a part's name, file name or type is not "
			       "NUL-terminated");
		if (!buf_ok(&p->data, p->filename[0] != '\0'
		                              ? limit
		                              : HTTP_PART_TEXT_MAX))
			broken("a part past its cap or not NUL-terminated");
	}
	resp->status = 200;
	resp->content_type = "text/plain; charset=utf-8";
	if (req->multipart)
		buf_addf(&resp->body, "parts=%d\n", req->nparts);
	else
		buf_addf(&resp->body, "body=%zu\n", req->body.len);
}

/* At exit: the server's threads and memory go before the leak check. */
static void
stop(void)
{
	http_stop(server, 0);
	server = NULL;
}

static void
start(void)
{
	struct http_options o;
	char msg[256];

	log_set_level(LOG_ERROR);
	memset(&o, 0, sizeof(o));
	snprintf(o.addr, sizeof(o.addr), "127.0.0.1");
	o.port = 0;
	o.threads = 1;
	o.max_connections = 64;
	o.per_ip_connections = 0; /* every connection comes from here */
	o.idle_timeout = 2;
	o.head_timeout = 2;
	o.header_memory = 64 * 1024; /* the shipped default */
	o.handler = handler;
	o.body_limit = body_limit;
	o.admit = admit;
	o.body_budget = 2 * HTTPFUZZ_LARGE;
	o.body_budget_per_address = HTTPFUZZ_LARGE + HTTPFUZZ_LARGE / 2;
	server = http_start(&o, msg, sizeof(msg));
	if (server == NULL)
		broken(msg);
	port = http_port(server);
	atexit(stop);
}

/* A TCP socket with the client's timeouts. */
static int
client_socket(void)
{
	struct timeval tv = { HTTPFUZZ_WAIT, 0 };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;

	if (fd < 0)
		broken("socket() failed");
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return fd;
}

static int
dial(void)
{
	struct sockaddr_in sa;
	int fd;

	if (server == NULL)
		start();
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons(port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	for (int tries = 0;; tries++) {
		fd = client_socket();
		if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
			return fd;
		fprintf(stderr, "httpfuzz: connect: %s\n", strerror(errno));
		close(fd);
		if (tries == 10)
			broken("cannot connect to the server");
		usleep(100000);
	}
}

/* Close with a reset: no TIME_WAIT. */
static void
hang_up(int fd)
{
	struct linger l = { 1, 0 };

	setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
	close(fd);
}

static int
status_of(const char *head, size_t n)
{
	int code = 0;

	if (n < 12 || strncmp(head, "HTTP/1.", 7) != 0 || head[8] != ' ')
		return 0;
	for (int i = 9; i < 12; i++) {
		if (head[i] < '0' || head[i] > '9')
			return 0;
		code = code * 10 + (head[i] - '0');
	}
	return code;
}

void
httpfuzz_exchange(const void *req, size_t n, bool half_close,
                  struct httpfuzz_answer *a)
{
	const char *p = req;
	char tmp[4096];
	size_t kept = 0;
	int fd = dial();

	memset(a, 0, sizeof(*a));
	/* The server may answer and close before all is sent (a refusal on
	 * the head): a failed send ends the sending, not the exchange. */
	while (n > 0) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			broken("the server stopped reading for seconds");
		if (w <= 0)
			break;
		p += w;
		n -= (size_t)w;
	}
	for (bool shut = !half_close;;) {
		ssize_t r;

		if (!shut) {
			/* Half-close only once the server has been silent
			 * for 2 ms: libmicrohttpd 0.9.75 (epoll) misses a
			 * FIN that arrives with the last bytes and keeps
			 * the connection until its timeout; and a server
			 * that closes first, before our FIN, would leave a
			 * TIME_WAIT socket per input. */
			struct pollfd pfd = { fd, POLLIN, 0 };
			int ready = poll(&pfd, 1, 2);

			if (ready < 0 && errno == EINTR)
				continue;
			if (ready == 0) {
				shutdown(fd, SHUT_WR);
				shut = true;
			}
		}
		r = recv(fd, tmp, sizeof(tmp), 0);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			broken("the server neither answered nor closed the "
			       "connection within seconds");
		if (r <= 0)
			break;
		if (kept + 1 < sizeof(a->head)) {
			size_t k = (size_t)r;

			if (k > sizeof(a->head) - 1 - kept)
				k = sizeof(a->head) - 1 - kept;
			memcpy(a->head + kept, tmp, k);
			kept += k;
		}
		a->len += (size_t)r;
	}
	a->head[kept] = '\0';
	a->status = status_of(a->head, kept);
	hang_up(fd);
}

void
httpfuzz_probe(void)
{
	static const char get[] = "GET /probe HTTP/1.1\r\n"
	                          "Host: 127.0.0.1\r\n"
	                          "Connection: close\r\n\r\n";
	struct httpfuzz_answer a;

	httpfuzz_exchange(get, sizeof(get) - 1, false, &a);
	if (a.status != 200 || strstr(a.head, "body=0") == NULL) {
		fprintf(stderr, "httpfuzz: the probe got \"%.60s\"\n", a.head);
		abort();
	}
}
