/*
 * run.h: what the rehearsal's files share. The arrows run one way, lowest first:
 *   spec.c   the fleet file, device ids and keys, the SDKs' cadences;
 *   device.c the per-device state machine without I/O: random streams, the event heap, a session's moves on an
 *            attempt's outcome (fleet_outcome), the classification of how a connection ended;
 *   amqp.c   the hub over AMQP with Proton-C (fleet/noamqp/amqp.c without it);
 *   proto.c  what a device says after TLS and how it reads the answer, DPS included;
 *   conn.c   the device's connections on libevent: attempts, the check of the served chain, held sessions;
 *   run.c    the scheduler and the phases;
 *   result.c the result's getters; advice.c and report.c read a result.
 */
#ifndef RS_FLEET_RUN_H
#define RS_FLEET_RUN_H

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <netinet/in.h>
#include <openssl/sha.h>
#include <openssl/ssl.h>

#include "fleet.h"

#define FLEET_MAX_PINS 16
#define FLEET_CACHE_SLOTS 4

/* What a device does next (the event heap's kinds): connect, renew its session (a new handshake), ping, see its SAS
 * expire on the hub, put a new token on its AMQP connection. */
enum fleet_ev_kind { FLEET_EV_CONNECT, FLEET_EV_RENEW, FLEET_EV_PING, FLEET_EV_EXPIRE, FLEET_EV_REFRESH };
enum fleet_stage { FLEET_STAGE_DPS, FLEET_STAGE_HUB };

/* An attempt's outcome: the verdict (RS_PROBE_OK or the failure) and the step it ended at. */
struct fleet_outcome {
	enum rs_probe_code code;
	enum fleet_stage stage;
};

/* How an attempt's connection ended, as conn.c saw it: what fleet_classify_end() judges. */
struct fleet_conn_end {
	int timeout;  /* libevent's timeout fired */
	int tls_done; /* the handshake had completed */
	int verdict;  /* the device's own check of the served chain rejected it with this code, or -1 */
	int ssl_error; /* OpenSSL reported an error (an alert, a bad record) */
	int refused;  /* the socket's error is ECONNREFUSED */
};

struct fleet_conn;

#define FLEET_NOT_TRIED RS_PROBE__COUNT /* a device whose first attempt is still to come (the fleet's ramp) */

struct fleet_device {
	uint64_t rng;
	struct fleet_conn *held; /* the session's connection, or NULL (none, or modelled) */
	uint32_t gen;
	uint16_t cls;
	uint8_t connected, last_code, last_dps, attempts; /* last_code FLEET_NOT_TRIED before the first attempt */
	int32_t session_phase;
	int32_t phase_first; /* seconds from the phase's start to the first session in it, -1 */
};

struct fleet_heap_item {
	int64_t t;
	uint32_t dev, gen;
	uint8_t kind;
};

/* A verdict is a function of the served chain, the store, the name and the time; it cannot change while the time
 * stays between the same two validity boundaries (every not_before and not_after of the chain and the store). */
struct fleet_verdict_cache {
	unsigned char chain[SHA256_DIGEST_LENGTH];
	int stage;
	int code; /* RS_PROBE_OK or the failure */
	rs_time lo, hi; /* valid for lo <= t < hi */
	int used;
};

struct fleet_class_rt {
	struct fleet_verdict_cache cache[FLEET_CACHE_SLOTS];
	unsigned cache_next;
	SSL_CTX *ctx;
	struct rs_certlist *store;
	struct rs_verify_opts *vopts[2]; /* [stage]: the host checked is DPS's or the hub's */
	char pins[FLEET_MAX_PINS][65];
	size_t npins;
	int cadence;
};

/* One connection: an attempt (DPS then hub, or the hub), then, when held, the session. */
struct fleet_conn {
	struct fleet_run *run;
	struct fleet_conn *next_all; /* every conn ever made, so that a stopped run frees those in flight too */
	struct bufferevent *bev;
	uint32_t dev;
	int64_t t;
	int code;      /* set by the verify callback, or -1 */
	int tls_done;
	enum fleet_stage stage;
	int step;      /* DPS: requests sent so far */
	int ping_pending;
	char op[64];   /* DPS operation id */
	char hub[256]; /* the hub DPS assigned, or the target's */
	struct fleet_amqp *amqp; /* amqp.c: Proton's engine for an AMQP hub connection; NULL otherwise */
	struct fleet_conn *next_free;
};

struct fleet_result {
	struct fleet_spec spec;
	size_t nphases, nsamples;
	struct fleet_phase_stats *stats; /* [cls][phase] */
	unsigned *curve;                 /* [cls][sample] */
	unsigned long handshakes, pings, modelled;
	unsigned stranded_end, peak_held;
	int64_t stopped_at;              /* -1, or the virtual second a cancel stopped the run */
	int starts_new;                  /* the target served the new chain from virtual second 0 */
	int translating;                 /* translate.c: stores and pins put in the look-alikes' terms */
	struct fleet_translated *translated;
	size_t ntranslated;
};

struct fleet_run {
	const struct fleet_spec *spec;
	const struct fleet_target *target;
	struct fleet_result *res;
	struct event_base *base;
	struct fleet_class_rt cls[FLEET_MAX_CLASSES];
	struct fleet_device *dev;
	size_t ndev;
	struct fleet_heap_item *heap;
	size_t nheap, capheap;
	struct { uint32_t dev; int64_t t; } *queue;
	size_t qhead, qtail, qcap;
	struct fleet_conn *free_conns;
	struct fleet_conn *all_conns;
	int inflight, cap;
	unsigned nheld, pings_out;
	int nomem;
	struct event *cancel_ev; /* on target->cancel_fd */
	int cancelled;
	int64_t now;     /* the virtual time of what happens outside attempts (a drop, a ping) */
	int64_t window;  /* the scheduler's step: at most 60 s, at most half the shortest keep-alive held */
	size_t phase;
	int64_t phase_start;
	long *delta; /* [cls][sample + 1] */
	int32_t *times;
	struct sockaddr_in addr[3];
};

/* device.c: the state machine. fleet_push returns -1 (and sets r->nomem) on no memory; fleet_pop needs r->nheap > 0. */
uint64_t fleet_rand(uint64_t *s);
rs_time fleet_device_time(const struct fleet_run *r, uint32_t dev, int64_t t);
int fleet_push(struct fleet_run *r, int64_t t, uint32_t dev, enum fleet_ev_kind kind);
struct fleet_heap_item fleet_pop(struct fleet_run *r);
void fleet_session_up(struct fleet_run *r, uint32_t i, int64_t t);
/* The attempt failed: the device records why and tries again by its backoff policy (never, for "none"). */
void fleet_session_failed(struct fleet_run *r, uint32_t i, int64_t t, struct fleet_outcome o);
void fleet_session_down(struct fleet_run *r, uint32_t i, int64_t t);
/* The hub dropped a session at t: the device reconnects by its backoff policy. */
void fleet_session_dropped(struct fleet_run *r, uint32_t i, int64_t t);
/* The outcome of a connection that ended (an event) before its answer; of an attempt that could not open its
 * connection (open 1: refused at once, 2: a failure of ours, never a device's verdict). */
enum rs_probe_code fleet_classify_end(const struct fleet_conn_end *e);
enum rs_probe_code fleet_classify_open(int open_rv);

/* translate.c: replaces *list by its translation when the target translates (records it in r->res). */
int fleet_translate(struct fleet_run *r, size_t cls, int pin, struct rs_certlist **list, struct rs_error *err);

/* amqp.c: the hub over AMQP (SASL MSSBCBS, then a CBS put-token), with Proton-C driven by c's bufferevent.
 * fleet_amqp_answer returns 1 and sets *code once the put-token is answered (or the connection failed). */
struct fleet_amqp;
int fleet_amqp_open(struct fleet_conn *c, const char *id, const char *audience, const char *token);
int fleet_amqp_answer(struct fleet_conn *c, struct evbuffer *in, int *code);
void fleet_amqp_free(struct fleet_conn *c);
void fleet_amqp_feed(struct fleet_conn *c, struct evbuffer *in);    /* a held connection's input */
int fleet_amqp_refresh(struct fleet_conn *c, const char *token);     /* a new put-token on the same connection */

/* proto.c: 0 sent; -1 cannot. */
int fleet_proto_opening(struct fleet_conn *c);
/* The answer so far: 1 done with *code, 0 more bytes needed (more may have been sent), 2 DPS done: on to the hub. */
int fleet_proto_answer(struct fleet_conn *c, struct evbuffer *in, int *code);
/* A held AMQP session's CBS refresh with a token made now. */
int fleet_proto_refresh(struct fleet_conn *c);

/* conn.c */
int fleet_conn_setup(struct fleet_run *r, struct rs_error *err);
int fleet_conn_start(struct fleet_run *r, uint32_t i, int64_t t);
void fleet_conn_ping(struct fleet_run *r, uint32_t i, int64_t t);
/* Closes a device's held connection (politely: MQTT DISCONNECT) without touching its session. */
void fleet_conn_release(struct fleet_run *r, uint32_t i);
/* Waits (bounded) until the target has closed every held connection; drops what is left. */
void fleet_conn_await_drops(struct fleet_run *r);
void fleet_conn_free_all(struct fleet_run *r);

#endif
