/* server.h: what the lab server's files share (server.c: listeners, TLS, connections, the switch; mqtt_hub.c:
 * IoT Hub and DPS over MQTT; http.c: HTTPS endpoints and the admin API). */
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
#define LAB_EVENTS_MAX (256 * 1024)       /* event output buffered for a slow reader before events are dropped */

enum conn_proto { PROTO_MQTT, PROTO_AMQP, PROTO_WS };
enum conn_state { ST_HANDSHAKE, ST_WAIT_CONNECT, ST_HUB, ST_DPS, ST_AMQP, ST_CLOSING };

struct lab_server;

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
	const char *cause;  /* why the lab closed a connection (slow-consumer, auth-timeout, ...), or NULL */
	const char *detail; /* NULL: no member */
	json_t *fields;
};

struct conn {
	struct lab_server *lab;
	SSL *ssl;
	evutil_socket_t fd;
	struct event *ev;       /* the socket (conn_io.c) */
	struct evbuffer *in;    /* input the protocol left (a partial packet); NULL when none */
	struct evbuffer *out;   /* output the socket did not take yet; NULL when none */
	int (*on_data)(struct conn *c, struct evbuffer *in); /* -1 when c was closed or is closing */
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
	struct conn *prev, *next;
	enum conn_proto proto;
	enum conn_state state;
	enum lab_chain chain;
	char device_id[129];
	char op_id[48];
	int keep_alive;
	int subs;
	int c2d_subscribed;
	unsigned reported_version;
	unsigned next_packet_id;
	int dps_authorized;
	rs_time connected_at;
	rs_time last_seen;      /* the lab's clock at the last packet, for keep-alive x 1.5 */
	/* MQTT over WebSockets: after the upgrade, frames are unwrapped into ws_in */
	int ws_upgraded;
	struct evbuffer *ws_in;
};

struct counters {
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
struct reason_count {
	char reason[64];
	unsigned long count;
};

struct lab_server {
	const struct lab_serve_opts *opts;
	struct lab_config cfg;
	struct lab_registry *registry;
	struct event_base *base;
	SSL_CTX *ctx[LAB_CHAIN__COUNT];
	enum lab_chain hub_chain, dps_chain, dps_target;
	int dps_pending;            /* DPS follows the hubs when the lab's clock reaches dps_due */
	rs_time dps_due;
	struct event *ticker, *control; /* control.c: the clock's checks; the handle's commands */
	int mix;                    /* percent of handshakes served the other chain */
	unsigned long accepted;     /* handshakes started, for the mix */
	struct evconnlistener *mqtt, *amqp, *ws;
	struct evhttp *https, *admin;
	struct evconnlistener *https_l, *admin_l; /* evhttp's listeners, for the accept backoff */
	struct event *accept_retry;  /* listeners paused after accept(2) failed: resumed by this timer */
	int accept_backoff_ms;       /* the pause now; 0 while accepting works */
	rs_time last_warning;        /* the last accept warning (one per LAB_WARN_INTERVAL) */
	unsigned long warnings_held; /* accept failures since that warning */
	int mqtt_port, https_port, admin_port, amqp_port, ws_port;
	char token[65];
	struct conn *conns;
	struct evbuffer *scratch; /* input being handed to a protocol (conn_io.c) */
	size_t nconns, peak_conns;
	size_t nauthed;           /* connections authenticated (the rest count against the unauthenticated room) */
	struct counters n;
	struct reason_count reasons[LAB_MAX_REASONS];
	rs_time started;
	rs_time switched_at;
	struct event *sig_term, *sig_int;
	/* connected devices over time, one sample every 5 s, for the web page */
	unsigned history[120];
	size_t history_len;
	struct event *sampler;
	/* the last failures, for the web page (raw strings: /api/status escapes them) */
	struct recent {
		rs_time at;
		enum lab_event_kind kind;
		enum lab_chain chain;
		char device[140], detail[300];
	} recent[16];
	size_t recent_next;
	/* events.c: the event stream's output, written without blocking */
	struct evbuffer *ev_out;
	struct event *ev_write;
	unsigned long ev_dropped; /* dropped since the last `dropped` event */
	int ev_failed;
};

/* events.c */
const char *lab_event_name(enum lab_event_kind kind);
json_t *lab_json_string(const char *s);                          /* valid UTF-8 always; '?' for other bytes */
void lab_json_set_str(json_t *obj, const char *key, const char *s); /* skipped when s is NULL */
json_t *lab_event_json(const struct lab_event *ev, rs_time at);  /* the event's JSON object (new reference) */
void lab_emit(struct lab_server *lab, struct lab_event *ev);      /* renders and sends it; consumes ev->fields */
void lab_event(struct lab_server *lab, enum lab_event_kind kind, const char *device, enum lab_chain chain,
	       const char *detail);
void lab_conn_event(struct conn *c, enum lab_event_kind kind, const char *cause, const char *detail);
void lab_remote(evutil_socket_t fd, char *out, size_t size);
int lab_events_start(struct lab_server *lab, struct rs_error *err);
void lab_events_stop(struct lab_server *lab);

/* server.c */
void lab_accept_error(struct evconnlistener *l, void *arg); /* a listener's error callback (arg: the lab) */
SSL *lab_new_ssl(struct lab_server *lab, enum lab_chain *chain);
void lab_count_tls_failure(struct lab_server *lab, const char *reason);
void conn_close(struct conn *c);
/* Closes c for a cause of the lab's (slow-consumer, auth-timeout, ...): a disconnect event names it. */
void conn_drop(struct conn *c, const char *cause, const char *detail);
void conn_close_after_flush(struct conn *c);
void conn_end_deadline(struct conn *c);
/* c has authenticated: its deadline ends, and it no longer counts against the room kept for connections that
 * have not (--max-connections reserves the rest for authenticated sessions). */
void conn_authenticated(struct conn *c);
int lab_auth_deadline(const struct lab_server *lab); /* 1 when connections must authenticate in time */
size_t lab_connected(const struct lab_server *lab);
int lab_switch(struct lab_server *lab, enum lab_chain to, int mix, int disconnect);

/* server.c, called by conn_io.c: the handshake finished or failed, the socket closed or failed (st 0 or -1); and
 * by control.c: the keep-alive passed without a packet. Each but conn_established frees c. */
void conn_established(struct conn *c);
void conn_handshake_failed(struct conn *c, const char *reason);
void conn_io_closed(struct conn *c, int st);
void conn_idle_timeout(struct conn *c);

/* conn_io.c: TLS on the connection's socket */
int conn_io_start(struct conn *c, evutil_socket_t fd, SSL *ssl);
void conn_io_free(struct conn *c);
void conn_io_pause(struct conn *c);  /* stops reading c until conn_io_resume (the clock's next check) */
void conn_io_resume(struct conn *c);
int conn_send(struct conn *c, const void *data, size_t len); /* queues what the socket does not take */
size_t conn_pending(const struct conn *c);                      /* bytes queued */

/* control.c: what the lab does by its own clock (opts->clock, virtual in a rehearsal): keep-alive x 1.5 and DPS
 * following the hubs, checked every 250 ms and whenever the handle asks; and the handle's stop. */
int lab_control_start(struct lab_server *lab, struct rs_error *err);
void lab_control_stop(struct lab_server *lab);
void lab_tick(struct lab_server *lab);

/* mqtt_hub.c */
int mqtt_process(struct conn *c, struct evbuffer *in); /* -1 when c was closed */
int conn_write(struct conn *c, const void *data, size_t len);

/* ws.c */
int ws_on_data(struct conn *c, struct evbuffer *in); /* -1 when c was closed or is closing */
int lab_check_sas(struct lab_server *lab, const char *token, const char *resource, const char *device,
		  struct rs_error *err);
/* Sends a cloud-to-device message to every session of device subscribed to it; returns how many got it. */
int lab_send_c2d(struct lab_server *lab, const char *device, const unsigned char *body, size_t len);

/* http.c */
int lab_http_start(struct lab_server *lab, struct rs_error *err);
void lab_status_render(struct lab_server *lab, struct evbuffer *b);  /* GET /api/status */
void lab_metrics_render(struct lab_server *lab, struct evbuffer *b); /* GET /metrics */
void lab_tracking_id(char *out, size_t size);
char *lab_dps_operation_json(struct lab_server *lab, const char *op, const char *reg, int assigned);

#endif
