/*
 * server.c: the lab's event loop. One process, one libevent base: TLS listeners for MQTT (hub and DPS share the
 * port; the CONNECT user name tells them apart) and AMQP, HTTPS and the admin API (http.c), and the switch.
 *
 * The switch decides the chain of each handshake when the connection is accepted (or, for DPS host names, when
 * SNI arrives): migrate/revert change it for new handshakes only; --disconnect also drops existing sessions; a
 * mix serves a percentage of handshakes the other chain.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/rand.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "server.h"

/* ---- events and counters ---- */

void lab_count_tls_failure(struct lab_server *lab, const char *reason)
{
	size_t i;

	for (i = 0; i < LAB_MAX_REASONS && lab->reasons[i].reason[0]; i++)
		if (!strcmp(lab->reasons[i].reason, reason))
			break;
	if (i == LAB_MAX_REASONS)
		i = LAB_MAX_REASONS - 1, reason = "other";
	snprintf(lab->reasons[i].reason, sizeof(lab->reasons[i].reason), "%s", reason);
	lab->reasons[i].count++;
}

size_t lab_connected(const struct lab_server *lab)
{
	size_t n = 0;

	for (const struct conn *c = lab->conns; c; c = c->next)
		n += c->state == ST_HUB || c->state == ST_DPS || c->state == ST_AMQP;
	return n;
}

/* ---- TLS ---- */

static int accept_any_client_cert(int ok, X509_STORE_CTX *ctx)
{
	(void)ok;
	(void)ctx;
	return 1; /* requested, never required: the lab authenticates with SAS */
}

static int servername_cb(SSL *ssl, int *alert, void *arg)
{
	struct lab_server *lab = arg;
	const char *name = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);

	(void)alert;
	if (name && strstr(name, "azure-devices-provisioning") && SSL_get_SSL_CTX(ssl) != lab->ctx[lab->dps_chain])
		SSL_set_SSL_CTX(ssl, lab->ctx[lab->dps_chain]);
	return SSL_TLSEXT_ERR_OK;
}

static SSL_CTX *make_ctx(struct lab_server *lab, enum lab_chain chain, struct rs_error *err)
{
	char chain_path[4096], key_path[4096], name[64];
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
	static const char *const keys[] = { "pki/old-leaf.key", "pki/new-leaf.key", "pki/next-leaf.key",
					    "pki/ecc-leaf.key" };

	snprintf(name, sizeof(name), "chains/%s.pem", lab_chain_name(chain));
	if (!ctx || lab_path(chain_path, sizeof(chain_path), lab->opts->dir, name) < 0 ||
	    lab_path(key_path, sizeof(key_path), lab->opts->dir, keys[chain]) < 0) {
		SSL_CTX_free(ctx);
		rs_error_set_ssl(err, RS_ERR_INTERNAL, "cannot make a TLS context");
		return NULL;
	}
	if (SSL_CTX_use_certificate_chain_file(ctx, chain_path) != 1 ||
	    SSL_CTX_use_PrivateKey_file(ctx, key_path, SSL_FILETYPE_PEM) != 1 || SSL_CTX_check_private_key(ctx) != 1) {
		SSL_CTX_free(ctx);
		rs_error_set_ssl(err, RS_ERR_IO, "cannot load '%s' and its key", chain_path);
		return NULL;
	}
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS);
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
	SSL_CTX_set_num_tickets(ctx, 0);
	SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
	SSL_CTX_set_tlsext_servername_callback(ctx, servername_cb);
	SSL_CTX_set_tlsext_servername_arg(ctx, lab);
	if (lab->opts->request_client_cert)
		SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, accept_any_client_cert);
	return ctx;
}

/* The chain for the next handshake: the hub's, or with a mix, the other one for mix percent of handshakes. */
SSL *lab_new_ssl(struct lab_server *lab, enum lab_chain *chain)
{
	enum lab_chain c = lab->hub_chain;
	unsigned long k = lab->accepted++;

	if (lab->mix > 0 && (k * (unsigned long)lab->mix) % 100 + (unsigned long)lab->mix >= 100)
		c = c == LAB_CHAIN_OLD ? LAB_CHAIN_NEW : LAB_CHAIN_OLD;
	*chain = c;
	return SSL_new(lab->ctx[c]);
}

static enum lab_chain chain_of(struct lab_server *lab, SSL *ssl, enum lab_chain guess)
{
	SSL_CTX *ctx = SSL_get_SSL_CTX(ssl);

	for (int i = 0; i < LAB_CHAIN__COUNT; i++)
		if (lab->ctx[i] == ctx)
			return (enum lab_chain)i;
	return guess;
}

/* ---- connections ---- */

/* Frees c. A session's end, or a connection the lab drops for a cause, is a disconnect event. */
void conn_drop(struct conn *c, const char *cause, const char *detail)
{
	struct lab_server *lab = c->lab;

	if (c->state == ST_HUB || c->state == ST_DPS || cause)
		lab_conn_event(c, LAB_EV_DISCONNECT, cause,
			       detail ? detail : c->state == ST_DPS ? "dps" : c->state == ST_HUB ? "hub" : "");
	if (c->prev)
		c->prev->next = c->next;
	else
		lab->conns = c->next;
	if (c->next)
		c->next->prev = c->prev;
	lab->nconns--;
	lab->nauthed -= c->authed;
	if (c->deadline)
		event_free(c->deadline);
	if (c->ws_in)
		evbuffer_free(c->ws_in);
	conn_io_free(c);
	free(c);
}

void conn_close(struct conn *c)
{
	conn_drop(c, NULL, NULL);
}

static void deadline_cb(evutil_socket_t fd, short what, void *arg);

void conn_end_deadline(struct conn *c)
{
	if (c->deadline)
		event_free(c->deadline);
	c->deadline = NULL;
}

/* Sends what is queued (a CONNACK 5, an HTTP error), then closes; a peer that does not read it within 5 s, or
 * resets, is dropped anyway. */
void conn_close_after_flush(struct conn *c)
{
	struct timeval five = { 5, 0 };

	c->state = ST_CLOSING;
	if (!c->deadline)
		c->deadline = evtimer_new(c->lab->base, deadline_cb, c);
	if (!c->deadline || conn_pending(c) == 0) {
		conn_close(c);
		return;
	}
	evtimer_add(c->deadline, &five);
}

/* A sasl-mechanisms frame (AMQP 1.0, 5.3.3.1): frame header (size 32, doff 2, type 1 SASL, channel 0), the
 * descriptor 0x40, a list of one field: an array8 of the symbols MSSBCBS and PLAIN. */
static const unsigned char sasl_mechanisms[32] = {
	0, 0, 0, 32, 2, 1, 0, 0, 0x00, 0x53, 0x40, 0xc0, 19, 1, 0xe0, 16, 2, 0xa3,
	7, 'M', 'S', 'S', 'B', 'C', 'B', 'S', 5, 'P', 'L', 'A', 'I', 'N',
};

static int amqp_on_data(struct conn *c, struct evbuffer *in)
{
	unsigned char hdr[8];

	if (c->state == ST_AMQP) { /* after the header the lab speaks no more AMQP: what a held connection sends */
		evbuffer_drain(in, evbuffer_get_length(in));
		return 0;
	}
	if (evbuffer_get_length(in) < 8)
		return 0;
	evbuffer_remove(in, hdr, 8);
	if (memcmp(hdr, "AMQP", 4) != 0) {
		conn_close(c);
		return -1;
	}
	/* As far as the protocol header: answer it in kind (SASL or plain), offer IoT Hub's SASL mechanisms, then
	 * hold the connection, as a device's AMQP connection is held (its token is refreshed on it), until the peer
	 * or a disconnect closes it. */
	conn_send(c, hdr, 8);
	if (hdr[4] == 3)
		conn_send(c, sasl_mechanisms, sizeof(sasl_mechanisms));
	lab_conn_event(c, LAB_EV_AMQP_HEADER, NULL, hdr[4] == 3 ? "sasl" : "amqp");
	c->state = ST_AMQP;
	if (!lab_auth_deadline(c->lab))
		conn_end_deadline(c); /* else it must authenticate in time, which the lab's AMQP cannot offer yet */
	evbuffer_drain(in, evbuffer_get_length(in));
	return 0;
}

void conn_established(struct conn *c)
{
	c->chain = chain_of(c->lab, c->ssl, c->chain);
	c->lab->n.handshakes_ok[c->chain]++;
	c->state = ST_WAIT_CONNECT;
}

void conn_handshake_failed(struct conn *c, const char *reason)
{
	struct lab_server *lab = c->lab;

	c->chain = chain_of(lab, c->ssl, c->chain);
	lab->n.handshakes_failed[c->chain]++;
	lab_count_tls_failure(lab, reason);
	lab_conn_event(c, LAB_EV_TLS_FAILURE, NULL, reason);
	conn_close(c);
}

void conn_io_closed(struct conn *c, int st)
{
	(void)st; /* a close_notify, a reset or a TLS error after the handshake: the session ends either way */
	conn_close(c);
}

void conn_idle_timeout(struct conn *c)
{
	c->lab->n.dropped_timeouts++;
	lab_conn_event(c, LAB_EV_TIMEOUT, NULL, "keep-alive x 1.5 passed without a packet");
	conn_close(c);
}

/* A connection that has not authenticated in time (the handshake's deadline passed in a session that did not
 * authenticate, or the authentication deadline itself). */
static void auth_timeout(struct conn *c)
{
	char detail[64];

	c->lab->n.dropped_auth++;
	if (c->state == ST_HANDSHAKE) {
		c->lab->n.handshakes_failed[c->chain]++;
		lab_count_tls_failure(c->lab, "handshake timeout");
	}
	snprintf(detail, sizeof(detail), "not authenticated within %d s", c->lab->opts->auth_timeout);
	conn_drop(c, "auth-timeout", detail);
}

static void handshake_timeout(struct conn *c)
{
	c->lab->n.dropped_timeouts++;
	if (c->state == ST_HANDSHAKE) {
		c->lab->n.handshakes_failed[c->chain]++;
		lab_count_tls_failure(c->lab, "handshake timeout");
	}
	lab_conn_event(c, LAB_EV_TIMEOUT, NULL,
		       c->state == ST_HANDSHAKE ? "handshake not finished in time" : "no CONNECT in time");
	conn_close(c);
}

/* The handshake's deadline (handshake and CONNECT) and the authentication deadline share one timer: armed at
 * accept for the earlier of the two (the authentication deadline when they are equal), and when the handshake's
 * passes in an unauthenticated session, again for what is left of the other. */
static void deadline_cb(evutil_socket_t fd, short what, void *arg)
{
	struct conn *c = arg;
	struct timeval more;

	(void)fd;
	(void)what;
	if (c->state == ST_CLOSING) {
		conn_close(c);
	} else if (!c->deadline_auth && (c->state == ST_HANDSHAKE || c->state == ST_WAIT_CONNECT)) {
		handshake_timeout(c);
	} else if (!c->deadline_auth && c->auth_more) {
		more.tv_sec = c->auth_more;
		more.tv_usec = 0;
		c->deadline_auth = 1;
		c->auth_more = 0;
		evtimer_add(c->deadline, &more);
	} else {
		auth_timeout(c);
	}
}

int lab_auth_deadline(const struct lab_server *lab)
{
	return lab->opts->auth_timeout > 0;
}

void conn_authenticated(struct conn *c)
{
	if (!c->authed) {
		c->authed = 1;
		c->lab->nauthed++;
	}
	conn_end_deadline(c);
}

/* The oldest connection that has not authenticated (the list is newest first), or NULL. */
static struct conn *oldest_unauthenticated(struct lab_server *lab)
{
	struct conn *found = NULL;

	for (struct conn *c = lab->conns; c; c = c->next)
		if (!c->authed)
			found = c;
	return found;
}

/* Room for one more connection: --max-connections in all, of which a tenth (at least one) is kept for
 * authenticated sessions. When the unauthenticated ones fill theirs, the oldest of them makes room (a device's
 * own connection is unauthenticated too until its CONNECT, so it must be able to get in). 0, or -1 full. */
static int make_room(struct lab_server *lab)
{
	size_t max = (size_t)lab->opts->max_conns, reserve = max / 10 ? max / 10 : max > 1;
	struct conn *o;

	if (lab->nconns < max && lab->nconns - lab->nauthed < max - reserve)
		return 0;
	if (!(o = oldest_unauthenticated(lab)))
		return -1;
	lab->n.dropped_crowded++;
	conn_drop(o, "crowded-out", "the oldest unauthenticated connection made room for a new one");
	return 0;
}

static void on_accept(struct evconnlistener *l, evutil_socket_t fd, struct sockaddr *sa, int socklen, void *arg)
{
	struct lab_server *lab = arg;
	int proto = l == lab->amqp ? PROTO_AMQP : l == lab->ws ? PROTO_WS : PROTO_MQTT, one = 1;
	int h = lab->opts->handshake_timeout, a = lab->opts->auth_timeout;
	struct timeval tv = { a > 0 && a <= h ? a : h, 0 };
	struct conn *c;
	SSL *ssl;

	(void)sa;
	(void)socklen;
	lab->accept_backoff_ms = 0;
	if (make_room(lab) < 0) {
		lab->n.dropped_cap++;
		evutil_closesocket(fd);
		return;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (!(c = calloc(1, sizeof(*c)))) {
		evutil_closesocket(fd);
		return;
	}
	c->lab = lab;
	c->fd = fd;
	c->proto = (enum conn_proto)proto;
	c->on_data = proto == PROTO_AMQP ? amqp_on_data : proto == PROTO_WS ? ws_on_data : mqtt_process;
	c->next_packet_id = 1;
	c->deadline_auth = a > 0 && a <= h;
	c->auth_more = (unsigned short)(a > h ? a - h : 0);
	c->next = lab->conns;
	if (lab->conns)
		lab->conns->prev = c;
	lab->conns = c;
	lab->nconns++;
	if (lab->nconns > lab->peak_conns)
		lab->peak_conns = lab->nconns;
	if (!(ssl = lab_new_ssl(lab, &c->chain)) || conn_io_start(c, fd, ssl) < 0 ||
	    !(c->deadline = evtimer_new(lab->base, deadline_cb, c)) || evtimer_add(c->deadline, &tv) < 0 ||
	    (proto == PROTO_WS && !(c->ws_in = evbuffer_new()))) {
		if (!c->ssl)
			SSL_free(ssl);
		conn_close(c);
	}
}

/* ---- the switch ---- */

int lab_switch(struct lab_server *lab, enum lab_chain to, int mix, int disconnect)
{
	char detail[64];

	lab->hub_chain = to;
	lab->mix = mix;
	lab->switched_at = lab->opts->clock();
	lab->dps_target = to;
	lab->dps_pending = lab->opts->dps_delay > 0;
	lab->dps_due = lab->switched_at + lab->opts->dps_delay;
	if (!lab->dps_pending)
		lab->dps_chain = to;
	snprintf(detail, sizeof(detail), "mix=%d disconnect=%d", mix, disconnect);
	lab_event(lab, LAB_EV_SWITCH, "", to, detail);
	if (disconnect) {
		struct conn *c = lab->conns, *next;
		for (; c; c = next) {
			next = c->next;
			if (c->state != ST_CLOSING) {
				lab->n.kicked++;
				conn_close(c);
			}
		}
	}
	return 0;
}

/* ---- listeners and the state file ---- */

#define ACCEPT_BACKOFF_MIN_MS 50
#define ACCEPT_BACKOFF_MAX_MS 1000
#define LAB_WARN_INTERVAL 10 /* seconds between two warnings that accepting fails */

static void listeners_enable(struct lab_server *lab, int on)
{
	struct evconnlistener *all[] = { lab->mqtt, lab->amqp, lab->ws, lab->https_l, lab->admin_l };

	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (all[i])
			(void)(on ? evconnlistener_enable(all[i]) : evconnlistener_disable(all[i]));
}

static void accept_again(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	listeners_enable(arg, 1); /* if descriptors are still short, the next accept fails and pauses longer */
}

/* One warning per LAB_WARN_INTERVAL, saying how many failures it stands for. */
static void accept_warning(struct lab_server *lab, int e)
{
	char detail[256];
	rs_time now = lab->opts->clock();

	lab->warnings_held++;
	if (lab->last_warning && now - lab->last_warning < LAB_WARN_INTERVAL)
		return;
	snprintf(detail, sizeof(detail),
		 "cannot accept connections: %s; %lu failure(s) since the last warning; accepting paused, retried within "
		 "%d ms", strerror(e), lab->warnings_held, ACCEPT_BACKOFF_MAX_MS);
	lab->last_warning = now;
	lab->warnings_held = 0;
	lab_event(lab, LAB_EV_WARNING, "", lab->hub_chain, detail);
}

/* accept(2) failed (EMFILE, ENFILE, ENOBUFS...; EAGAIN never comes here: libevent's listener_read_cb): without
 * this, libevent retries on every turn of the loop and warns each time. Every listener pauses, for 50 ms doubling
 * to 1 s while it keeps failing, and accepting resumes by itself once descriptors free up (an accept that works
 * resets the pause). */
void lab_accept_error(struct evconnlistener *l, void *arg)
{
	struct lab_server *lab = arg;
	int e = EVUTIL_SOCKET_ERROR();
	struct timeval tv;

	(void)l;
	lab->n.accept_errors++;
	accept_warning(lab, e);
	lab->accept_backoff_ms = lab->accept_backoff_ms ? lab->accept_backoff_ms * 2 : ACCEPT_BACKOFF_MIN_MS;
	if (lab->accept_backoff_ms > ACCEPT_BACKOFF_MAX_MS)
		lab->accept_backoff_ms = ACCEPT_BACKOFF_MAX_MS;
	tv.tv_sec = lab->accept_backoff_ms / 1000;
	tv.tv_usec = (lab->accept_backoff_ms % 1000) * 1000;
	listeners_enable(lab, 0);
	if (evtimer_add(lab->accept_retry, &tv) < 0)
		listeners_enable(lab, 1);
}

static struct evconnlistener *listen_on(struct lab_server *lab, int *port, struct rs_error *err)
{
	struct sockaddr_storage ss;
	int sslen = sizeof(ss);
	struct evconnlistener *l;
	socklen_t len = sizeof(ss);

	memset(&ss, 0, sizeof(ss));
	if (evutil_parse_sockaddr_port(lab->opts->listen, (struct sockaddr *)&ss, &sslen) < 0) {
		rs_error_set(err, RS_ERR_USAGE, "cannot parse listen address '%s'", lab->opts->listen);
		return NULL;
	}
	if (ss.ss_family == AF_INET)
		((struct sockaddr_in *)&ss)->sin_port = htons((uint16_t)*port);
	else
		((struct sockaddr_in6 *)&ss)->sin6_port = htons((uint16_t)*port);
	l = evconnlistener_new_bind(lab->base, on_accept, lab, LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE, 1024,
				    (struct sockaddr *)&ss, sslen);
	if (!l) {
		rs_error_set(err, RS_ERR_IO, "cannot listen on %s port %d: %s", lab->opts->listen, *port,
			     strerror(errno));
		return NULL;
	}
	evconnlistener_set_error_cb(l, lab_accept_error);
	getsockname(evconnlistener_get_fd(l), (struct sockaddr *)&ss, &len);
	*port = ntohs(ss.ss_family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port
					      : ((struct sockaddr_in6 *)&ss)->sin6_port);
	return l;
}

static int write_state(struct lab_server *lab, struct rs_error *err)
{
	char path[4096], *text;
	json_t *o;
	int rv;

	if (lab_path(path, sizeof(path), lab->opts->dir, "serve.json") < 0)
		return rs_error_set(err, RS_ERR_USAGE, "path '%s' is too long", lab->opts->dir);
	o = json_pack("{s:s,s:I,s:s,s:i,s:i,s:i,s:i,s:i,s:s}", "schema", "rootshift/lab-serve/1", "pid",
		      (json_int_t)getpid(), "listen", lab->opts->listen, "mqtt_port", lab->mqtt_port, "https_port",
		      lab->https_port, "amqp_port", lab->amqp_port, "ws_port", lab->ws_port, "admin_port",
		      lab->admin_port, "admin_token", lab->token);
	if (!o || !(text = json_dumps(o, JSON_INDENT(2)))) {
		json_decref(o);
		return rs_error_set(err, RS_ERR_NOMEM, "out of memory");
	}
	json_decref(o);
	rv = lab_write_file(path, text, strlen(text), 1, err);
	OPENSSL_cleanse(text, strlen(text));
	free(text);
	return rv;
}

static void on_signal(evutil_socket_t sig, short what, void *arg)
{
	struct lab_server *lab = arg;

	(void)what;
	lab_event(lab, LAB_EV_SHUTDOWN, "", lab->hub_chain, sig == SIGTERM ? "SIGTERM" : "SIGINT");
	if (lab->opts->stopped_by)
		*lab->opts->stopped_by = (int)sig;
	event_base_loopexit(lab->base, NULL);
}

static void sample(evutil_socket_t fd, short what, void *arg)
{
	struct lab_server *lab = arg;
	size_t cap = sizeof(lab->history) / sizeof(lab->history[0]);

	(void)fd;
	(void)what;
	if (lab->history_len == cap) {
		memmove(lab->history, lab->history + 1, (cap - 1) * sizeof(lab->history[0]));
		lab->history_len--;
	}
	lab->history[lab->history_len++] = (unsigned)lab_connected(lab);
#ifdef __GLIBC__
	/* After a burst (a slowloris, a reconnect storm) give freed heap back to the system, so that resident
	 * memory returns to its baseline instead of staying at the burst's high-water mark. */
	if (lab->nconns < lab->peak_conns / 2) {
		malloc_trim(0);
		lab->peak_conns = lab->nconns;
	}
#endif
}

static int start(struct lab_server *lab, struct rs_error *err)
{
	unsigned char rnd[32];
	struct timeval five = { 5, 0 };

	if (lab_config_load(lab->opts->dir, &lab->cfg, err) < 0)
		return -1;
	if (!(lab->registry = lab_registry_new(lab->opts->dir)))
		return rs_error_set(err, RS_ERR_NOMEM, "out of memory");
	for (int i = 0; i < LAB_CHAIN__COUNT; i++)
		if (!(lab->ctx[i] = make_ctx(lab, (enum lab_chain)i, err)))
			return -1;
	if (RAND_bytes(rnd, sizeof(rnd)) != 1)
		return rs_error_set_ssl(err, RS_ERR_INTERNAL, "cannot draw the admin token");
	for (size_t i = 0; i < sizeof(rnd); i++)
		snprintf(lab->token + 2 * i, 3, "%02x", rnd[i]);
	if (!(lab->base = event_base_new()) || !(lab->scratch = evbuffer_new()))
		return rs_error_set(err, RS_ERR_INTERNAL, "cannot start the event loop");
	if (lab_events_start(lab, err) < 0)
		return -1;
	if (!(lab->accept_retry = evtimer_new(lab->base, accept_again, lab)))
		return rs_error_set(err, RS_ERR_INTERNAL, "cannot start the event loop");
	lab->mqtt_port = lab->opts->mqtt_port;
	lab->amqp_port = lab->opts->amqp_port;
	lab->ws_port = lab->opts->ws_port;
	if (!(lab->mqtt = listen_on(lab, &lab->mqtt_port, err)) || !(lab->amqp = listen_on(lab, &lab->amqp_port, err)) ||
	    !(lab->ws = listen_on(lab, &lab->ws_port, err)) ||
	    lab_http_start(lab, err) < 0)
		return -1;
	/* Signals are the served lab's; a lab driven by a handle (in another front end's process) is stopped by it, and
	 * libevent's signal events would take the process's handlers. */
	if (!lab->opts->handle) {
		lab->sig_term = evsignal_new(lab->base, SIGTERM, on_signal, lab);
		lab->sig_int = evsignal_new(lab->base, SIGINT, on_signal, lab);
		if (!lab->sig_term || !lab->sig_int || evsignal_add(lab->sig_term, NULL) || evsignal_add(lab->sig_int, NULL))
			return rs_error_set(err, RS_ERR_INTERNAL, "cannot set up the event loop");
	}
	lab->sampler = event_new(lab->base, -1, EV_PERSIST, sample, lab);
	if (lab_control_start(lab, err) < 0)
		return -1;
	if (!lab->sampler || event_add(lab->sampler, &five))
		return rs_error_set(err, RS_ERR_INTERNAL, "cannot set up the event loop");
	return write_state(lab, err);
}

static void stop(struct lab_server *lab)
{
	char path[4096];

	while (lab->conns)
		conn_close(lab->conns);
	if (lab->mqtt)
		evconnlistener_free(lab->mqtt);
	if (lab->amqp)
		evconnlistener_free(lab->amqp);
	if (lab->ws)
		evconnlistener_free(lab->ws);
	if (lab->https)
		evhttp_free(lab->https);
	if (lab->admin)
		evhttp_free(lab->admin);
	lab_control_stop(lab);
	lab_events_stop(lab);
	if (lab->accept_retry)
		event_free(lab->accept_retry);
	if (lab->sig_term)
		event_free(lab->sig_term);
	if (lab->sig_int)
		event_free(lab->sig_int);
	if (lab->sampler)
		event_free(lab->sampler);
	if (lab->scratch)
		evbuffer_free(lab->scratch);
	if (lab->base)
		event_base_free(lab->base);
	for (int i = 0; i < LAB_CHAIN__COUNT; i++)
		SSL_CTX_free(lab->ctx[i]);
	lab_registry_free(lab->registry);
	if (lab_path(path, sizeof(path), lab->opts->dir, "serve.json") == 0)
		unlink(path);
	OPENSSL_cleanse(lab->token, sizeof(lab->token));
}

/* Descriptors open now (/proc/self/fd, less the one reading it), or -1. */
static long open_descriptors(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	long n = -1; /* the directory's own descriptor */

	if (!d)
		return -1;
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

/* The ready event: where the lab listens, and how many connections its descriptors allow (one each, with
 * LAB_FD_SPARE kept for the admin API, HTTPS and the registry's files). */
static void ready(struct lab_server *lab)
{
	struct lab_event ev = { .kind = LAB_EV_READY, .chain = lab->hub_chain };
	struct rlimit rl;
	long open = open_descriptors(), room = -1;
	json_t *o;
	char *line;

	ev.fields = json_pack("{s:s,s:i,s:i,s:i,s:i,s:i,s:s,s:i}", "listen", lab->opts->listen, "mqtt_port",
			      lab->mqtt_port, "https_port", lab->https_port, "amqp_port", lab->amqp_port, "ws_port",
			      lab->ws_port, "admin_port", lab->admin_port, "hub", lab->cfg.hub_host, "max_connections",
			      lab->opts->max_conns);
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY && open >= 0) {
		room = (long)rl.rlim_cur - open - LAB_FD_SPARE;
		json_object_set_new(ev.fields, "descriptor_limit", json_integer((json_int_t)rl.rlim_cur));
		json_object_set_new(ev.fields, "descriptors_open", json_integer(open));
		json_object_set_new(ev.fields, "connections_allowed", json_integer(room > 0 ? room : 0));
	}
	if (lab->opts->ready && (o = lab_event_json(&ev, lab->opts->clock()))) {
		if ((line = json_dumps(o, JSON_COMPACT)))
			lab->opts->ready(line);
		free(line);
		json_decref(o);
	}
	lab_emit(lab, &ev);
}

int lab_serve(const struct lab_serve_opts *opts, struct rs_error *err)
{
	struct lab_server *lab = calloc(1, sizeof(*lab));
	int rv = -1;

	if (!lab)
		return rs_error_set(err, RS_ERR_NOMEM, "out of memory");
	lab->opts = opts;
	lab->hub_chain = lab->dps_chain = lab->dps_target = opts->chain;
	lab->started = lab->switched_at = opts->clock();
	signal(SIGPIPE, SIG_IGN);
	if (start(lab, err) == 0) {
		ready(lab);
		event_base_dispatch(lab->base);
		rv = 0;
	}
	stop(lab);
	free(lab);
	return rv;
}
