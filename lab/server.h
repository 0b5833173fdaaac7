/* server.h: what the lab server's files share: the connection (conn.c), its transports (conn_io.c, memio.c), the
 * switch (switch.c), the protocols (mqtt_hub.c, amqp.c, https.c, ws.c), the clock (control.c), the admin API
 * (http.c) and the listeners (server.c). */
#ifndef RS_LAB_SERVER_H
#define RS_LAB_SERVER_H

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/listener.h>
#include <jansson.h>
#include <openssl/ssl.h>

#include "lab.h"

#define LAB_MAX_PACKET (256 * 1024 + 1024) /* IoT Hub's 256 KB messages and their headers */
#define LAB_MAX_PENDING (512 * 1024)       /* output a peer may leave unread (every protocol: conn_send) before it
					    * is dropped as a slow consumer */
#define LAB_PONG_RATE 10                    /* WebSocket PINGs answered a second, a connection */
#define LAB_FD_SPARE 16                     /* descriptors kept beside connections: admin, HTTPS, files */
#define LAB_PING_FLOOD 100                  /* PINGs a second after which a connection is not read for a while */
#define LAB_MAX_SUBS 5
#define LAB_SESSION_BUCKETS 4096
#define LAB_EVENTS_MAX (256 * 1024)       /* event output buffered for a slow reader before events are dropped */

enum lab_proto { LAB_PROTO_MQTT, LAB_PROTO_AMQP, LAB_PROTO_HTTPS };
/* LAB_ST_HTTP: an HTTPS connection between requests (https.c) */
enum lab_conn_state {
	LAB_ST_HANDSHAKE,
	LAB_ST_WAIT_CONNECT,
	LAB_ST_HTTP,
	LAB_ST_HUB,
	LAB_ST_DPS,
	LAB_ST_AMQP,
	LAB_ST_CLOSING
};

struct lab_server;
struct lab_amqp;
struct lab_session;

/* Why a session or connection ended: the "cause" of a disconnect event and the label of
 * rootshift_lab_disconnects_total (docs/lab.md); lab_cause_name (events.c) holds the names. The documented ones
 * come first (/metrics lists each of them, 0 until seen), then the causes of the lab's own drops. */
enum lab_cause {
	LAB_CAUSE_NONE,           /* not known (yet): no "cause" member */
	LAB_CAUSE_CLIENT,         /* "client": the device closed it (DISCONNECT, close_notify, a reset) */
	LAB_CAUSE_KEEPALIVE,      /* "keepalive": no packet for 1.5 x the keep-alive */
	LAB_CAUSE_SAS_EXPIRED,    /* "sas-expired": the session's SAS token expired (IoT Hub's 401003) */
	LAB_CAUSE_MIGRATE,        /* "migrate": migrate --disconnect */
	LAB_CAUSE_REVERT,         /* "revert": revert --disconnect */
	LAB_CAUSE_KICKED,         /* "kicked": the same device connected again (400027) */
	LAB_CAUSE_PROTOCOL_ERROR, /* "protocol-error": the device broke a protocol rule */
	LAB_CAUSE_SHUTDOWN,       /* "shutdown": the lab stopped */
	LAB_CAUSE__DOCUMENTED,
	LAB_CAUSE_SLOW_CONSUMER = LAB_CAUSE__DOCUMENTED, /* "slow-consumer": output left unread past LAB_MAX_PENDING */
	LAB_CAUSE_AUTH_TIMEOUT,   /* "auth-timeout": not authenticated within the deadline */
	LAB_CAUSE_CROWDED_OUT,    /* "crowded-out": an unauthenticated connection made room for a newer one */
	LAB_CAUSE__COUNT
};

/* events.c: every event the lab reports, one kind each. */
enum lab_event_kind {
	LAB_EV_READY,
	LAB_EV_CONNECT,
	LAB_EV_DISCONNECT,
	LAB_EV_AUTH_FAILURE,
	LAB_EV_TLS_FAILURE,
	LAB_EV_TIMEOUT,
	LAB_EV_PROTOCOL_ERROR,
	LAB_EV_KICKED,
	LAB_EV_SWITCH,
	LAB_EV_DPS_SWITCH,
	LAB_EV_DPS_ASSIGNED,
	LAB_EV_C2D,
	LAB_EV_DEVICES,
	LAB_EV_SHUTDOWN,
	LAB_EV_AMQP_HEADER,
	LAB_EV_WS_UPGRADE,
	LAB_EV_WS_REFUSED,  /* a WebSocket upgrade the lab refused */
	LAB_EV_SAS_EXPIRED, /* a session's token expired: MQTT dropped, AMQP links closed */
	LAB_EV_DROPPED,  /* events lost to a slow reader of the event stream */
	LAB_EV_WARNING,
	LAB_EV__COUNT
};

/* One event. Strings are borrowed for the call and may hold anything a client sent; fields (extra members,
 * NULL when none) is consumed by lab_emit. */
struct lab_event {
	enum lab_event_kind kind;
	enum lab_chain chain;
	const char *device; /* NULL: no member */
	const char *remote; /* "IP:PORT" of the peer, or NULL */
	enum lab_cause cause; /* why a session or connection ended, or LAB_CAUSE_NONE: no member */
	const char *detail; /* NULL: no member */
	json_t *fields;
};

struct lab_conn;
struct lab_memio;

/* What a protocol does with input: -1 when c was closed or is closing. */
typedef int (*lab_on_data_fn)(struct lab_conn *c, struct evbuffer *in);

/* A connection's transport: TLS on a socket (conn_io.c) or memory (memio.c). conn.c calls it, never the other
 * way round: a transport reports what happened through conn.c's lab_conn_established, lab_conn_handshake_failed
 * and lab_conn_io_closed. */
struct lab_io_ops {
	int (*send)(struct lab_conn *c, const void *data, size_t len); /* queues what the peer does not take yet */
	size_t (*pending)(const struct lab_conn *c);                   /* bytes queued */
	void (*pause)(struct lab_conn *c);  /* stops reading c until resume (the clock's next check) */
	void (*resume)(struct lab_conn *c);
	void (*free)(struct lab_conn *c);   /* closes the transport (c itself is conn.c's) */
};

struct lab_conn {
	struct lab_server *lab;
	const struct lab_io_ops *io; /* NULL: no transport (output fails) */
	struct lab_memio *mem;  /* memio.c's state, when that is the transport */
	SSL *ssl;
	evutil_socket_t fd;
	struct event *ev;       /* the socket (conn_io.c) */
	struct evbuffer *in;    /* input the protocol left (a partial packet); NULL when none */
	struct evbuffer *out;   /* output the socket did not take yet; NULL when none */
	lab_on_data_fn on_data;
	void (*on_free)(struct lab_conn *c); /* the protocol's own state (amqp.c), freed with c; NULL when none */
	short watching;         /* EV_READ, EV_WRITE or both */
	unsigned char io_failed, read_wants_write;
	unsigned char slow;     /* its output passed LAB_MAX_PENDING: dropped as a slow consumer on the next turn */
	unsigned char paused;   /* not read until the clock's next check (a PING flood) */
	unsigned short pings;   /* WebSocket PINGs received in the second ping_sec */
	unsigned char authed;   /* authenticated: a hub session, a DPS session with valid credentials */
	unsigned char deadline_auth; /* the deadline is the authentication deadline (else the handshake's) */
	unsigned short auth_more; /* seconds of authentication deadline left when the handshake's passes */
	unsigned ping_sec;
	struct event *deadline; /* handshake and CONNECT timeouts, closing; NULL in a session, to spare an idle
				 * connection the event */
	struct lab_conn *prev, *next;
	enum lab_proto proto;
	enum lab_conn_state state;
	enum lab_chain chain;
	char device_id[129];
	char op_id[48];
	int keep_alive;
	int subs;
	int c2d_subscribed;
	unsigned reported_version;
	unsigned next_packet_id;
	int dps_authorized;
	int dps_qos;            /* the QoS granted for $dps/registrations/res/#: DPS replies go at it */
	rs_time connected_at;
	rs_time last_seen;      /* the lab's clock at the last packet, for keep-alive x 1.5 */
	unsigned short last_ms; /* the wall clock's milliseconds then (lab_conn_touch), for sub-second keep-alives */
	enum lab_cause cause;   /* for the disconnect event when the lab knows why before closing; LAB_CAUSE_NONE */
	rs_time sas_expiry;     /* the session's SAS expires then (the lab's clock); 0 when none */
	/* MQTT or AMQP over WebSockets: after the upgrade, frames are unwrapped into ws_in */
	unsigned char ws_upgraded, ws_amqp;
	struct lab_amqp *amqp;      /* amqp.c: Proton's engine for this connection; NULL until AMQP bytes come */
	struct evbuffer *ws_in;
};

struct lab_counters {
	unsigned long handshakes_ok[LAB_CHAIN__COUNT];
	unsigned long handshakes_failed[LAB_CHAIN__COUNT];
	unsigned long auth_failures;
	unsigned long mqtt_connects;
	unsigned long telemetry;
	unsigned long dps_registrations;
	unsigned long https_requests;
	unsigned long dropped_limits;
	unsigned long dropped_timeouts;
	unsigned long dropped_cap;
	unsigned long kicked;
	unsigned long events_dropped;
	unsigned long dropped_slow;  /* slow consumers */
	unsigned long dropped_auth;  /* not authenticated within the deadline */
	unsigned long dropped_crowded; /* unauthenticated connections that made room for newer ones */
	unsigned long accept_errors;   /* accept(2) failures (descriptors run out), each pausing the listeners */
	unsigned long pings_ignored; /* WebSocket PINGs over the rate, or while output waited */
};

/* TLS failures by reason, for /metrics: a small table of the reasons seen. */
#define LAB_MAX_REASONS 32
struct lab_reason_count {
	char reason[64];
	unsigned long count;
};

/* Disconnects by cause, and the order in which causes were first seen (/metrics lists the undocumented ones so). */
struct lab_cause_counts {
	unsigned long n[LAB_CAUSE__COUNT];
	unsigned char seen[LAB_CAUSE__COUNT];
	size_t nseen;
};

/* server.c: the device ports, and the accept backoff (which pauses the admin port too). */
struct lab_listeners {
	struct evconnlistener *mqtt, *amqp, *ws, *https;
	struct event *accept_retry;  /* listeners paused after accept(2) failed: resumed by this timer */
	int accept_backoff_ms;       /* the pause now; 0 while accepting works */
	rs_time last_warning;        /* the last accept warning (one per LAB_WARN_INTERVAL) */
	unsigned long warnings_held; /* accept failures since that warning */
	int mqtt_port, https_port, amqp_port, ws_port;
};

/* conn.c and mqtt_hub.c: the connections, and the devices that keep a persistent session. */
struct lab_sessions {
	struct lab_conn *conns;       /* newest first */
	struct evbuffer *scratch; /* input being handed to a protocol (conn_io.c) */
	size_t nconns, peak_conns;
	size_t nauthed;           /* connections authenticated (the rest count against the unauthenticated room) */
	struct lab_session *persistent[LAB_SESSION_BUCKETS]; /* mqtt_hub.c */
};

/* switch.c: which chain each handshake is served, and DPS following the hubs after a switch. */
struct lab_switch {
	SSL_CTX *ctx[LAB_CHAIN__COUNT];
	enum lab_chain hub_chain, dps_chain, dps_target;
	int dps_pending;            /* DPS follows the hubs when the lab's clock reaches dps_due */
	rs_time dps_due;
	int mix;                    /* percent of handshakes served the other chain */
	unsigned long accepted;     /* handshakes started, for the mix */
	rs_time switched_at;
};

/* http.c: the admin API and the web page. */
struct lab_admin {
	struct evhttp *http;
	struct evconnlistener *listener; /* evhttp's, for the accept backoff */
	int port;
	char token[65];
	/* connected devices over time, one sample every 5 s, for the web page */
	unsigned history[120];
	size_t history_len;
	struct event *sampler;
	/* the last failures, for the web page (raw strings: /api/status escapes them) */
	struct lab_recent {
		rs_time at;
		enum lab_event_kind kind;
		enum lab_chain chain;
		char device[140], detail[300];
	} recent[16];
	size_t recent_next;
};

/* events.c: the event stream's output, written without blocking */
struct lab_events_out {
	struct evbuffer *out;
	struct event *write;
	unsigned long dropped; /* dropped since the last `dropped` event */
	int failed;
};

struct lab_server {
	const struct lab_serve_opts *opts;
	struct lab_config cfg;
	struct lab_registry *registry;
	struct event_base *base;
	struct lab_listeners listen;
	struct lab_sessions sessions;
	struct lab_switch sw;
	struct lab_admin admin;
	struct lab_events_out events;
	struct event *ticker, *control; /* control.c: the clock's checks; the handle's commands */
	struct event *sig_term, *sig_int;
	rs_time started;
	struct lab_counters n;
	struct lab_reason_count reasons[LAB_MAX_REASONS];
	struct lab_cause_counts causes; /* disconnects by cause, for /metrics */
};

/* The lab's clock (opts->clock: the wall clock plus --at, or a rehearsal's virtual time). */
static inline rs_time lab_now(const struct lab_server *lab)
{
	return lab->opts->clock(lab->opts->arg);
}

/* The files, lowest first; each calls only files above it in this list (tests/arch/layers.py checks it).
 * events.c, conn.c, conn_io.c and memio.c (transports), switch.c, auth.c, dps.c, amqp.c, mqtt_hub.c, ws.c,
 * https.c, control.c, http.c, server.c. */

/* events.c */
const char *lab_event_name(enum lab_event_kind kind);
const char *lab_cause_name(enum lab_cause cause); /* NULL for LAB_CAUSE_NONE */
json_t *lab_json_string(const char *s);                          /* valid UTF-8 always; '?' for other bytes */
void lab_json_set_str(json_t *obj, const char *key, const char *s); /* skipped when s is NULL */
json_t *lab_event_json(const struct lab_event *ev, rs_time at);  /* the event's JSON object (new reference) */
void lab_emit(struct lab_server *lab, struct lab_event *ev);      /* renders and sends it; consumes ev->fields */
void lab_event(struct lab_server *lab, enum lab_event_kind kind, const char *device, enum lab_chain chain,
	       const char *detail);
void lab_conn_event(struct lab_conn *c, enum lab_event_kind kind, enum lab_cause cause, const char *detail);
void lab_remote(evutil_socket_t fd, char *out, size_t size);
int lab_events_start(struct lab_server *lab, struct rs_error *err);
void lab_events_stop(struct lab_server *lab);

/* conn.c: a connection's life, whatever its transport and protocol */
void lab_count_tls_failure(struct lab_server *lab, const char *reason);
void lab_count_reason(struct lab_reason_count *table, const char *reason); /* table has LAB_MAX_REASONS rows */
void lab_count_cause(struct lab_cause_counts *counts, enum lab_cause cause);
size_t lab_connected(const struct lab_server *lab);
int lab_conn_make_room(struct lab_server *lab); /* 0, or -1 when --max-connections is reached */
/* A new connection in the lab's list (no transport yet: lab_tls_start, lab_memio_attach); NULL out of memory. */
struct lab_conn *lab_conn_new(struct lab_server *lab, enum lab_proto proto, lab_on_data_fn on_data);
void lab_conn_close(struct lab_conn *c);
/* Closes c for a cause of the lab's: a disconnect event names it; a session the lab did not drop (LAB_CAUSE_NONE)
 * ends with cause "client". */
void lab_conn_drop(struct lab_conn *c, enum lab_cause cause, const char *detail);
void lab_conn_close_after_flush(struct lab_conn *c);
int lab_conn_send(struct lab_conn *c, const void *data, size_t len); /* through the transport; -1 failed */
size_t lab_conn_pending(const struct lab_conn *c);                   /* bytes the transport holds */
void lab_conn_pause(struct lab_conn *c);  /* stops reading c until lab_conn_resume (the clock's next check) */
void lab_conn_resume(struct lab_conn *c);
int lab_conn_write(struct lab_conn *c, const void *data, size_t len); /* in a WebSocket frame after an upgrade */
int lab_conn_deadline(struct lab_conn *c, int secs); /* arms c's deadline (lab_deadline_cb) */
void lab_conn_end_deadline(struct lab_conn *c);
void lab_conn_touch(struct lab_conn *c);           /* a packet came: last_seen, last_ms */
long lab_idle_ms(struct lab_server *lab, const struct lab_conn *c, rs_time now); /* since lab_conn_touch */
void lab_conn_wait_connect(struct lab_conn *c); /* after a WebSocket upgrade: its first packet is due in time */
void lab_deadline_cb(evutil_socket_t fd, short what, void *arg);
/* c has authenticated: its deadline ends, and it no longer counts against the room kept for connections that
 * have not (--max-connections reserves the rest for authenticated sessions). */
void lab_conn_authenticated(struct lab_conn *c);
int lab_auth_deadline(const struct lab_server *lab); /* 1 when connections must authenticate in time */
/* A transport's reports: the handshake finished or failed, the peer closed or failed (st 0 or -1); and the
 * clock's: the keep-alive passed without a packet. Each but lab_conn_established frees c. */
void lab_conn_established(struct lab_conn *c);
void lab_conn_handshake_failed(struct lab_conn *c, const char *reason);
void lab_conn_io_closed(struct lab_conn *c, int st);
void lab_conn_idle_timeout(struct lab_conn *c);

/* conn_io.c: TLS on the connection's socket, driven by libevent */
int lab_tls_start(struct lab_conn *c, evutil_socket_t fd, SSL *ssl);

/* memio.c: a transport in memory, without sockets, TLS, timers or threads (unit tests, the fuzzer). The caller
 * owns m; what the lab sends collects in m->sent; m->conn becomes NULL once the lab closed the connection. */
struct lab_memio {
	struct lab_conn *conn;
	struct evbuffer *sent; /* what the lab sent, for the caller to read */
	struct evbuffer *in;   /* input the protocol left (a partial packet) */
	size_t pending;        /* bytes reported as not yet taken by the peer (to test flushing) */
	int fail;              /* sends fail, as to a peer that went away */
	int paused, closed;
};
/* A new connection of proto on a memory transport, past its handshake (chain: the switch's hub chain). */
struct lab_conn *lab_memio_connect(struct lab_server *lab, struct lab_memio *m, enum lab_proto proto,
			       lab_on_data_fn on_data);
int lab_memio_feed(struct lab_memio *m, const void *data, size_t len); /* -1 when the lab closed it */
void lab_memio_hangup(struct lab_memio *m);                             /* the peer closes */
void lab_memio_free(struct lab_memio *m);                               /* the caller's buffers */

/* switch.c: the chains' TLS contexts, and which one each handshake is served */
int lab_switch_start(struct lab_server *lab, struct rs_error *err); /* loads the chains */
void lab_switch_stop(struct lab_server *lab);
SSL *lab_switch_new_ssl(struct lab_server *lab, enum lab_chain *chain);
int lab_switch_to(struct lab_server *lab, enum lab_chain to, int mix, int disconnect);
void lab_switch_tick(struct lab_server *lab, rs_time now); /* DPS follows the hubs when due */

/* auth.c: 0 when token is a valid SAS for resource with device's key at the lab's clock; *expiry (when not NULL)
 * gets its se. */
int lab_auth_sas(struct lab_server *lab, const char *token, const char *resource, const char *device,
		 rs_time *expiry, struct rs_error *err);

/* dps.c: DPS's replies, the same over MQTT and HTTPS */
void lab_dps_tracking_id(char *out, size_t size);
void lab_dps_new_operation(char *out, size_t size); /* "4.<16 hex>.lab" */
char *lab_dps_operation_json(struct lab_server *lab, const char *op, const char *reg, int assigned);

/* amqp.c: AMQP 1.0 with Qpid Proton-C as the engine */
int lab_amqp_on_data(struct lab_conn *c, struct evbuffer *in); /* -1 when c was closed or is closing */
void lab_amqp_tick(struct lab_conn *c, rs_time now);             /* expired tokens close their device's links */
int lab_amqp_send_c2d(struct lab_conn *c, const char *device, const unsigned char *body, size_t len); /* 1 when sent */

/* mqtt_hub.c: IoT Hub and DPS over MQTT */
struct lab_session;
int lab_hub_on_data(struct lab_conn *c, struct evbuffer *in); /* -1 when c was closed */
/* Whether id had a persistent session (the CONNACK's session present); keep 1 (clean_session 0) stores one, keep
 * 0 discards it. */
int lab_hub_session(struct lab_server *lab, const char *id, int keep);
void lab_hub_sessions_free(struct lab_server *lab);
/* Sends a cloud-to-device message to every session of device subscribed to it; returns how many got it. */
int lab_hub_send_c2d(struct lab_server *lab, const char *device, const unsigned char *body, size_t len);

/* ws.c: req is the upgrade request's head, used its length in in. 1 with *status and *why set when the upgrade is
 * refused (nothing sent); else what lab_ws_on_data returns. */
int lab_ws_upgrade(struct lab_conn *c, const struct rs_http_request *req, size_t used, struct evbuffer *in,
		   const char **status, const char **why);
int lab_ws_on_data(struct lab_conn *c, struct evbuffer *in); /* -1 when c was closed or is closing */

/* https.c: the HTTPS port (REST, and WebSocket upgrades handed to ws.c) */
int lab_https_on_data(struct lab_conn *c, struct evbuffer *in); /* -1 when c was closed or is closing */

/* control.c: what the lab does by its own clock (lab_now: opts->clock, virtual in a rehearsal): keep-alive x 1.5 and DPS
 * following the hubs, checked every 250 ms and whenever the handle asks; and the handle's stop. */
int lab_control_start(struct lab_server *lab, struct rs_error *err);
void lab_control_stop(struct lab_server *lab);
void lab_control_tick(struct lab_server *lab);

/* http.c: the admin API */
int lab_admin_start(struct lab_server *lab, struct rs_error *err);
void lab_admin_stop(struct lab_server *lab);
void lab_admin_status(struct lab_server *lab, struct evbuffer *b);  /* GET /api/status */
void lab_admin_metrics(struct lab_server *lab, struct evbuffer *b); /* GET /metrics */

/* server.c */
void lab_accept_error(struct evconnlistener *l, void *arg); /* a listener's error callback (arg: the lab) */

#endif
