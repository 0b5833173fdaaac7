/*
 * conn_io.c: TLS on a device connection's socket, driven directly (no bufferevent). One libevent event per
 * connection, read interest only while nothing waits to be sent; input and output buffers exist only while they
 * hold something. An idle MQTT session is then its SSL object, one event and struct lab_conn.
 *
 * What this relies on (OpenSSL 3.0 SSL_read(3), SSL_write(3), SSL_get_error(3)): a call that returns
 * SSL_ERROR_WANT_READ or SSL_ERROR_WANT_WRITE is retried when the socket is ready; with
 * SSL_MODE_ENABLE_PARTIAL_WRITE and SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER a retried SSL_write may pass the same
 * bytes from another address, at least as many as before (output only grows at its end, so the first
 * min(length, 16 KB) bytes of it always qualify). SSL_read returns what one record held; with read-ahead
 * (SSL_set_read_ahead(3)) OpenSSL reads what the socket has and may keep whole records the socket will not signal
 * again, which SSL_has_pending tells; reading until SSL_ERROR_WANT_READ leaves none behind. libevent (event_add(3)): a persistent event's timeout
 * starts again whenever the event is activated, which makes it the keep-alive timer.
 */
#include <errno.h>
#include <limits.h>
#include <openssl/err.h>
#include <string.h>
#include <unistd.h>

#include "server.h"

#define IO_CHUNK 16384         /* the largest TLS record's plaintext */
#define IO_READ_BUDGET 65536   /* bytes read for one connection before others get a turn */

static void conn_io_cb(evutil_socket_t fd, short what, void *arg);

/* Watches c's socket for what (EV_READ, EV_WRITE or both). Keep-alive is the lab's clock's check (control.c),
 * not a timeout here, so that a rehearsal's virtual clock governs it. */
static int io_watch(struct lab_conn *c, short what)
{
	if (c->paused)
		what &= (short)~EV_READ; /* a paused connection is not read; its output still goes */
	if (c->watching == what)
		return 0;
	event_del(c->ev);
	c->watching = 0;
	if (!what)
		return 0;
	if (event_assign(c->ev, c->lab->base, c->fd, what | EV_PERSIST, conn_io_cb, c) < 0 || event_add(c->ev, NULL) < 0)
		return -1;
	c->watching = what;
	return 0;
}

static int tls_send(struct lab_conn *c, const void *data, size_t len);
static size_t tls_pending(const struct lab_conn *c);
static void tls_pause(struct lab_conn *c);
static void tls_resume(struct lab_conn *c);
static void tls_free(struct lab_conn *c);

static const struct lab_io_ops tls_ops = { tls_send, tls_pending, tls_pause, tls_resume, tls_free };

int lab_tls_start(struct lab_conn *c, evutil_socket_t fd, SSL *ssl)
{
	c->fd = fd;
	c->ssl = ssl;
	c->io = &tls_ops;
	SSL_set_accept_state(ssl);
	SSL_set_mode(ssl, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	SSL_set_read_ahead(ssl, 1); /* one read(2) per flight, not two per record; see readable_later() */
	if (SSL_set_fd(ssl, (int)fd) != 1 || !(c->ev = event_new(c->lab->base, fd, EV_READ | EV_PERSIST, conn_io_cb, c)))
		return -1;
	if (event_add(c->ev, NULL) < 0)
		return -1;
	c->watching = EV_READ;
	return 0;
}

static void tls_free(struct lab_conn *c)
{
	if (c->ssl && c->state != LAB_ST_HANDSHAKE && !c->io_failed)
		(void)SSL_shutdown(c->ssl); /* a close_notify if the socket takes it; nobody waits for the answer */
	ERR_clear_error();
	if (c->ev)
		event_free(c->ev);
	if (c->in)
		evbuffer_free(c->in);
	if (c->out)
		evbuffer_free(c->out);
	SSL_free(c->ssl);
	if (c->fd >= 0)
		evutil_closesocket(c->fd);
}

static void tls_pause(struct lab_conn *c)
{
	c->paused = 1;
	if (io_watch(c, c->watching) < 0) {
		c->io_failed = 1;
		event_active(c->ev, EV_READ, 0);
	}
}

static void tls_resume(struct lab_conn *c)
{
	c->paused = 0;
	if (io_watch(c, c->out ? EV_READ | EV_WRITE : EV_READ) < 0) {
		c->io_failed = 1;
		event_active(c->ev, EV_READ, 0);
	} else if (c->in) {
		event_active(c->ev, EV_READ, 0); /* what was left unread when it paused */
	}
}

static size_t tls_pending(const struct lab_conn *c)
{
	return c->out ? evbuffer_get_length(c->out) : 0;
}

/* What to do after an SSL call returned r <= 0: 1 wait for the socket, 0 the peer closed, -1 an error. */
static int io_status(struct lab_conn *c, int r, int *want_write)
{
	int e = SSL_get_error(c->ssl, r);

	*want_write = e == SSL_ERROR_WANT_WRITE;
	if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE)
		return 1;
	c->io_failed = e != SSL_ERROR_ZERO_RETURN;
	if (e == SSL_ERROR_ZERO_RETURN || (e == SSL_ERROR_SYSCALL && ERR_peek_error() == 0 && errno == 0))
		return 0;
	return -1;
}

/* Sends what c->out holds; 1 all sent, 0 the socket is full, -1 an error. */
static int flush_out(struct lab_conn *c)
{
	int want_write;

	while (tls_pending(c) > 0) {
		size_t len = tls_pending(c) < IO_CHUNK ? tls_pending(c) : IO_CHUNK;
		int n = SSL_write(c->ssl, evbuffer_pullup(c->out, (ev_ssize_t)len), (int)len);
		if (n <= 0)
			return io_status(c, n, &want_write) > 0 ? 0 : -1;
		evbuffer_drain(c->out, (size_t)n);
	}
	evbuffer_free(c->out);
	c->out = NULL;
	return 1;
}

static int tls_send(struct lab_conn *c, const void *data, size_t len)
{
	const unsigned char *p = data;
	int want_write;

	if (c->io_failed || c->slow)
		return -1;
	while (tls_pending(c) == 0 && len > 0) {
		int n = SSL_write(c->ssl, p, len < INT_MAX ? (int)len : INT_MAX);
		if (n <= 0 && io_status(c, n, &want_write) <= 0) {
			event_active(c->ev, EV_READ, 0); /* the read side closes it */
			return -1;
		}
		if (n <= 0)
			break;
		p += n;
		len -= (size_t)n;
	}
	if (len == 0)
		return 0;
	if (tls_pending(c) + len > LAB_MAX_PENDING) { /* a peer that does not read: dropped on the next turn */
		c->slow = 1;
		event_active(c->ev, EV_READ, 0);
		return -1;
	}
	if ((!c->out && !(c->out = evbuffer_new())) || evbuffer_add(c->out, p, len) < 0 ||
	    io_watch(c, c->state == LAB_ST_CLOSING ? EV_WRITE : EV_READ | EV_WRITE) < 0) {
		c->io_failed = 1;
		event_active(c->ev, EV_READ, 0);
		return -1;
	}
	return 0;
}

/* The server's flight (certificate included) is out and the server waits for the client's answer: OpenSSL 3.0's
 * server states after writing ServerHelloDone (TLS 1.2) or its Finished (TLS 1.3: TLS_ST_EARLY_DATA), ssl.h
 * OSSL_HANDSHAKE_STATE. */
static int after_server_certificate(const SSL *ssl)
{
	switch (SSL_get_state(ssl)) {
	case TLS_ST_SR_CERT:
	case TLS_ST_SR_KEY_EXCH:
	case TLS_ST_SR_CERT_VRFY:
	case TLS_ST_SR_CHANGE:
	case TLS_ST_SR_NEXT_PROTO:
	case TLS_ST_SR_FINISHED:
	case TLS_ST_SW_SRVR_DONE:
	case TLS_ST_SW_FINISHED:
	case TLS_ST_EARLY_DATA: /* TLS 1.3: where the server waits for the client's Finished */
		return 1;
	default:
		return 0;
	}
}

/* The reason a handshake failed, from OpenSSL's error queue (which it empties): the alert the client sent ("tlsv1
 * alert unknown ca"), or, when the client closed without one after the server's certificate (as some TLS stacks do
 * when they reject the chain), that; OpenSSL 3.0 reports such a close as SSL_R_UNEXPECTED_EOF_WHILE_READING or
 * not at all. */
static const char *handshake_reason(const SSL *ssl)
{
	unsigned long e = ERR_get_error();
	const char *r = e ? ERR_reason_error_string(e) : NULL;

	ERR_clear_error();
	if ((!e || ERR_GET_REASON(e) == SSL_R_UNEXPECTED_EOF_WHILE_READING) && after_server_certificate(ssl))
		return "closed without an alert after the server's certificate";
	return r ? r : "connection closed during handshake";
}

/* With read-ahead, OpenSSL may hold records the socket will not signal again (a CONNECT sent with the client's
 * Finished): have them read on the loop's next turn. */
static void readable_later(struct lab_conn *c)
{
	if (SSL_has_pending(c->ssl))
		event_active(c->ev, EV_READ, 0);
}

static void handshake(struct lab_conn *c)
{
	int r = SSL_do_handshake(c->ssl), want_write, st;

	if (r == 1) {
		if (io_watch(c, EV_READ) < 0) {
			lab_conn_io_closed(c, -1);
			return;
		}
		lab_conn_established(c);
		readable_later(c);
		return;
	}
	st = io_status(c, r, &want_write);
	if (st > 0) {
		if (io_watch(c, want_write ? EV_READ | EV_WRITE : EV_READ) < 0)
			lab_conn_handshake_failed(c, "out of memory");
		return;
	}
	lab_conn_handshake_failed(c, handshake_reason(c->ssl));
}

/* Reads what TLS has for c into in: 1 more may come, 0 the peer closed, -1 an error. */
static int read_into(struct lab_conn *c, struct evbuffer *in)
{
	unsigned char buf[IO_CHUNK];
	size_t total = 0;
	int want_write;

	while (total < IO_READ_BUDGET) {
		int n = SSL_read(c->ssl, buf, sizeof(buf));
		if (n <= 0) {
			int st = io_status(c, n, &want_write);
			c->read_wants_write = st > 0 && want_write;
			if (c->read_wants_write && io_watch(c, EV_READ | EV_WRITE) < 0)
				return -1;
			return st;
		}
		if (evbuffer_add(in, buf, (size_t)n) < 0)
			return -1;
		total += (size_t)n;
	}
	event_active(c->ev, EV_READ, 0); /* the rest on the loop's next turn, so one peer cannot hold it */
	return 1;
}

/* Reads, hands the input to the protocol, and keeps what it left (a partial packet) for next time. The lab's
 * scratch buffer takes the input while c has none left over, so an idle connection holds no buffer. */
static void readable(struct lab_conn *c)
{
	struct evbuffer *scratch = c->lab->sessions.scratch, *in = c->in ? c->in : scratch;
	int st = read_into(c, in);

	if (evbuffer_get_length(in) > 0 && c->on_data(c, in) < 0) {
		evbuffer_drain(scratch, evbuffer_get_length(scratch)); /* c is gone, or closing */
		return;
	}
	if (in == scratch && evbuffer_get_length(scratch) > 0) {
		if ((!c->in && !(c->in = evbuffer_new())) || evbuffer_add_buffer(c->in, scratch) < 0) {
			evbuffer_drain(scratch, evbuffer_get_length(scratch));
			st = -1;
		}
	} else if (c->in && evbuffer_get_length(c->in) == 0) {
		evbuffer_free(c->in);
		c->in = NULL;
	}
	if (st <= 0)
		lab_conn_io_closed(c, st);
}

static void writable(struct lab_conn *c)
{
	int st = flush_out(c);

	if (st < 0) {
		lab_conn_io_closed(c, -1);
		return;
	}
	if (st == 0)
		return;
	if (c->state == LAB_ST_CLOSING) {
		lab_conn_close(c);
		return;
	}
	if (io_watch(c, EV_READ) < 0)
		lab_conn_io_closed(c, -1);
	else if (c->read_wants_write)
		readable(c);
}

static void conn_io_cb(evutil_socket_t fd, short what, void *arg)
{
	struct lab_conn *c = arg;

	(void)fd;
	if (c->slow) {
		c->lab->n.dropped_slow++;
		lab_conn_drop(c, LAB_CAUSE_SLOW_CONSUMER, "the peer left more output unread than the lab keeps for it");
		return;
	}
	if (c->state == LAB_ST_HANDSHAKE) {
		handshake(c);
		return;
	}
	if (what & EV_WRITE) {
		writable(c);
		return; /* a read waits for the next turn: c may be gone */
	}
	if ((what & EV_READ) && c->state != LAB_ST_CLOSING && (!c->paused || c->io_failed))
		readable(c);
}
