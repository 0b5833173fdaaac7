/*
 * conn.c: a device connection's life, whatever its transport (conn_io.c: TLS on a socket; memio.c: memory) and
 * protocol (mqtt_hub.c, amqp.c, https.c, ws.c): the lab's list of connections and the room in it, the deadlines
 * (handshake, CONNECT, authentication, closing), the disconnect event with its cause, and output through the
 * transport. Protocols and transports call down into this file; it calls them only through the function pointers
 * a connection carries (c->io, c->on_data, c->on_free), so the arrows run one way.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server.h"

/* ---- counters ---- */

void lab_count_reason(struct lab_reason_count *table, const char *reason)
{
	size_t i;

	for (i = 0; i < LAB_MAX_REASONS && table[i].reason[0]; i++)
		if (!strcmp(table[i].reason, reason))
			break;
	if (i == LAB_MAX_REASONS)
		i = LAB_MAX_REASONS - 1, reason = "other";
	snprintf(table[i].reason, sizeof(table[i].reason), "%s", reason);
	table[i].count++;
}

void lab_count_cause(struct lab_cause_counts *counts, enum lab_cause cause)
{
	if (cause >= LAB_CAUSE__COUNT)
		return;
	if (counts->n[cause]++ == 0)
		counts->seen[counts->nseen++] = (unsigned char)cause;
}

void lab_count_tls_failure(struct lab_server *lab, const char *reason)
{
	lab_count_reason(lab->reasons, reason);
}

size_t lab_connected(const struct lab_server *lab)
{
	size_t n = 0;

	for (const struct lab_conn *c = lab->sessions.conns; c; c = c->next)
		n += c->state == LAB_ST_HUB || c->state == LAB_ST_DPS || c->state == LAB_ST_AMQP;
	return n;
}

/* ---- the list, and the room in it ---- */

/* The oldest connection that has not authenticated (the list is newest first), or NULL. */
static struct lab_conn *oldest_unauthenticated(struct lab_server *lab)
{
	struct lab_conn *found = NULL;

	for (struct lab_conn *c = lab->sessions.conns; c; c = c->next)
		if (!c->authed)
			found = c;
	return found;
}

/* Room for one more connection: --max-connections in all, of which a tenth (at least one) is kept for
 * authenticated sessions. When the unauthenticated ones fill theirs, the oldest of them makes room (a device's
 * own connection is unauthenticated too until its CONNECT, so it must be able to get in). 0, or -1 full. */
int lab_conn_make_room(struct lab_server *lab)
{
	struct lab_sessions *s = &lab->sessions;
	size_t max = (size_t)lab->opts->max_conns, reserve = max / 10 ? max / 10 : max > 1;
	struct lab_conn *o;

	if (s->nconns < max && s->nconns - s->nauthed < max - reserve)
		return 0;
	if (!(o = oldest_unauthenticated(lab)))
		return -1;
	lab->n.dropped_crowded++;
	lab_conn_drop(o, LAB_CAUSE_CROWDED_OUT, "the oldest unauthenticated connection made room for a new one");
	return 0;
}

struct lab_conn *lab_conn_new(struct lab_server *lab, enum lab_proto proto, lab_on_data_fn on_data)
{
	struct lab_sessions *s = &lab->sessions;
	struct lab_conn *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->lab = lab;
	c->fd = -1;
	c->proto = proto;
	c->on_data = on_data;
	c->next_packet_id = 1;
	c->next = s->conns;
	if (s->conns)
		s->conns->prev = c;
	s->conns = c;
	s->nconns++;
	if (s->nconns > s->peak_conns)
		s->peak_conns = s->nconns;
	return c;
}

/* The disconnect event's detail for a session that ended by itself: its service. */
static const char *session_name(enum lab_conn_state st)
{
	return st == LAB_ST_DPS ? "dps" : st == LAB_ST_HUB ? "hub" : st == LAB_ST_AMQP ? "amqp" : "";
}

/* A session's end (hub, DPS or AMQP), or a connection the lab drops for a cause, is a disconnect event with its
 * cause ("client" when the device ended a session: DISCONNECT, close_notify, a reset), counted by cause. */
static void session_ended(struct lab_conn *c, enum lab_cause cause, const char *detail)
{
	int session = c->state == LAB_ST_HUB || c->state == LAB_ST_DPS || c->state == LAB_ST_AMQP;

	if (cause == LAB_CAUSE_NONE)
		cause = c->cause;
	if (!session && cause == LAB_CAUSE_NONE)
		return;
	if (cause == LAB_CAUSE_NONE)
		cause = LAB_CAUSE_CLIENT;
	c->cause = LAB_CAUSE_NONE; /* once */
	lab_count_cause(&c->lab->causes, cause);
	lab_conn_event(c, LAB_EV_DISCONNECT, cause, detail ? detail : session_name(c->state));
}

/* Frees c, after its disconnect event (session_ended). */
void lab_conn_drop(struct lab_conn *c, enum lab_cause cause, const char *detail)
{
	struct lab_sessions *s = &c->lab->sessions;

	session_ended(c, cause, detail);
	if (c->prev)
		c->prev->next = c->next;
	else
		s->conns = c->next;
	if (c->next)
		c->next->prev = c->prev;
	s->nconns--;
	s->nauthed -= c->authed;
	if (c->deadline)
		event_free(c->deadline);
	if (c->ws_in)
		evbuffer_free(c->ws_in);
	if (c->on_free)
		c->on_free(c);
	if (c->io)
		c->io->free(c);
	free(c);
}

void lab_conn_close(struct lab_conn *c)
{
	lab_conn_drop(c, LAB_CAUSE_NONE, NULL);
}

/* ---- output, through the transport ---- */

int lab_conn_send(struct lab_conn *c, const void *data, size_t len)
{
	return c->io ? c->io->send(c, data, len) : -1;
}

size_t lab_conn_pending(const struct lab_conn *c)
{
	return c->io ? c->io->pending(c) : 0;
}

void lab_conn_pause(struct lab_conn *c)
{
	if (c->io)
		c->io->pause(c);
}

void lab_conn_resume(struct lab_conn *c)
{
	if (c->io)
		c->io->resume(c);
}

/* A protocol's bytes: as they are, or in a binary WebSocket frame after an upgrade (ws.c). */
int lab_conn_write(struct lab_conn *c, const void *data, size_t len)
{
	unsigned char hdr[14];
	size_t n;

	if (!c->ws_upgraded)
		return lab_conn_send(c, data, len);
	n = rs_ws_header(RS_WS_BINARY, len, NULL, hdr);
	return lab_conn_send(c, hdr, n) || lab_conn_send(c, data, len) ? -1 : 0;
}

/* ---- time ---- */

/* The lab's clock has whole seconds; the wall clock's milliseconds refine it, so that a keep-alive of 1 s is
 * enforced at 1.5 s. With `lab serve` the lab's clock is the wall clock plus whole seconds, so the sum is exact;
 * with a rehearsal's virtual clock the refinement is under a second against keep-alives of a minute or more. */
static unsigned short wall_ms(struct lab_server *lab)
{
	struct timeval tv;

	if (!lab->base || event_base_gettimeofday_cached(lab->base, &tv) < 0)
		return 0;
	return (unsigned short)(tv.tv_usec / 1000);
}

void lab_conn_touch(struct lab_conn *c)
{
	c->last_seen = lab_now(c->lab);
	c->last_ms = wall_ms(c->lab);
}

long lab_idle_ms(struct lab_server *lab, const struct lab_conn *c, rs_time now)
{
	return (long)(now - c->last_seen) * 1000 + (long)wall_ms(lab) - (long)c->last_ms;
}

/* ---- deadlines ---- */

void lab_conn_end_deadline(struct lab_conn *c)
{
	if (c->deadline)
		event_free(c->deadline);
	c->deadline = NULL;
}

/* Arms c's deadline for secs seconds (creating its timer); -1 when it cannot. */
int lab_conn_deadline(struct lab_conn *c, int secs)
{
	struct timeval tv = { secs, 0 };

	if (!c->deadline && c->lab->base)
		c->deadline = evtimer_new(c->lab->base, lab_deadline_cb, c);
	return c->deadline ? evtimer_add(c->deadline, &tv) : -1;
}

void lab_conn_wait_connect(struct lab_conn *c)
{
	c->state = LAB_ST_WAIT_CONNECT;
	(void)lab_conn_deadline(c, c->lab->opts->handshake_timeout);
}

/* Sends what is queued (a CONNACK 5, an HTTP error), then closes; a peer that does not read it within 5 s, or
 * resets, is dropped anyway. */
void lab_conn_close_after_flush(struct lab_conn *c)
{
	session_ended(c, LAB_CAUSE_NONE, NULL);
	c->state = LAB_ST_CLOSING; /* no second disconnect event when it is freed */
	if (lab_conn_pending(c) == 0 || lab_conn_deadline(c, 5) < 0)
		lab_conn_close(c);
}

/* The chain c's handshake is served: its TLS context's, or the guess made at accept. */
static enum lab_chain chain_of(struct lab_server *lab, SSL *ssl, enum lab_chain guess)
{
	SSL_CTX *ctx = ssl ? SSL_get_SSL_CTX(ssl) : NULL;

	for (int i = 0; ctx && i < LAB_CHAIN__COUNT; i++)
		if (lab->sw.ctx[i] == ctx)
			return (enum lab_chain)i;
	return guess;
}

void lab_conn_established(struct lab_conn *c)
{
	c->chain = chain_of(c->lab, c->ssl, c->chain);
	c->lab->n.handshakes_ok[c->chain]++;
	c->state = LAB_ST_WAIT_CONNECT;
}

void lab_conn_handshake_failed(struct lab_conn *c, const char *reason)
{
	struct lab_server *lab = c->lab;

	c->chain = chain_of(lab, c->ssl, c->chain);
	lab->n.handshakes_failed[c->chain]++;
	lab_count_tls_failure(lab, reason);
	lab_conn_event(c, LAB_EV_TLS_FAILURE, LAB_CAUSE_NONE, reason);
	lab_conn_close(c);
}

void lab_conn_io_closed(struct lab_conn *c, int st)
{
	(void)st; /* a close_notify, a reset or a TLS error after the handshake: the session ends either way */
	lab_conn_close(c);
}

void lab_conn_idle_timeout(struct lab_conn *c)
{
	c->lab->n.dropped_timeouts++;
	lab_conn_event(c, LAB_EV_TIMEOUT, LAB_CAUSE_NONE, "keep-alive x 1.5 passed without a packet");
	lab_conn_drop(c, LAB_CAUSE_KEEPALIVE, NULL);
}

/* A connection that has not authenticated in time (the handshake's deadline passed in a session that did not
 * authenticate, or the authentication deadline itself). */
static void auth_timeout(struct lab_conn *c)
{
	char detail[64];

	c->lab->n.dropped_auth++;
	if (c->state == LAB_ST_HANDSHAKE) {
		c->lab->n.handshakes_failed[c->chain]++;
		lab_count_tls_failure(c->lab, "handshake timeout");
	}
	snprintf(detail, sizeof(detail), "not authenticated within %d s", c->lab->opts->auth_timeout);
	lab_conn_drop(c, LAB_CAUSE_AUTH_TIMEOUT, detail);
}

static void handshake_timeout(struct lab_conn *c)
{
	c->lab->n.dropped_timeouts++;
	if (c->state == LAB_ST_HANDSHAKE) {
		c->lab->n.handshakes_failed[c->chain]++;
		lab_count_tls_failure(c->lab, "handshake timeout");
	}
	lab_conn_event(c, LAB_EV_TIMEOUT, LAB_CAUSE_NONE,
		       c->state == LAB_ST_HANDSHAKE ? "handshake not finished in time" : "no CONNECT in time");
	lab_conn_close(c);
}

/* The handshake's deadline (handshake and CONNECT) and the authentication deadline share one timer: armed at
 * accept for the earlier of the two (the authentication deadline when they are equal), and when the handshake's
 * passes in an unauthenticated session, again for what is left of the other. */
void lab_deadline_cb(evutil_socket_t fd, short what, void *arg)
{
	struct lab_conn *c = arg;

	(void)fd;
	(void)what;
	if (c->state == LAB_ST_CLOSING || c->state == LAB_ST_HTTP) { /* closing, or an HTTPS connection idle for 30 s */
		lab_conn_close(c);
	} else if (!c->deadline_auth && (c->state == LAB_ST_HANDSHAKE || c->state == LAB_ST_WAIT_CONNECT)) {
		handshake_timeout(c);
	} else if (!c->deadline_auth && c->auth_more) {
		int more = c->auth_more;
		c->deadline_auth = 1;
		c->auth_more = 0;
		(void)lab_conn_deadline(c, more);
	} else {
		auth_timeout(c);
	}
}

int lab_auth_deadline(const struct lab_server *lab)
{
	return lab->opts->auth_timeout > 0;
}

void lab_conn_authenticated(struct lab_conn *c)
{
	if (!c->authed) {
		c->authed = 1;
		c->lab->sessions.nauthed++;
	}
	lab_conn_end_deadline(c);
}
