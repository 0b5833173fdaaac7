/*
 * run.h: what the rehearsal's files share (run.c: the scheduler and the phases; conn.c: attempts, the device's
 * check of the served chain and held connections; proto.c: what a device says after TLS, DPS included).
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

#define MAX_PINS 16
#define CACHE_SLOTS 4

enum { EV_CONNECT, EV_RENEW, EV_PING, EV_EXPIRE, EV_REFRESH };
enum stage { STAGE_DPS, STAGE_HUB };

struct conn;

#define NOT_TRIED RS_PROBE__COUNT /* a device whose first attempt is still to come (the fleet's ramp) */

struct device {
	uint64_t rng;
	struct conn *held; /* the session's connection, or NULL (none, or modelled) */
	uint32_t gen;
	uint16_t cls;
	uint8_t connected, last_code, last_dps, attempts; /* last_code NOT_TRIED before the first attempt */
	int32_t session_phase;
	int32_t phase_first; /* seconds from the phase's start to the first session in it, -1 */
};

struct event_item {
	int64_t t;
	uint32_t dev, gen;
	uint8_t kind;
};

/* A verdict is a function of the served chain, the store, the name and the time; it cannot change while the time
 * stays between the same two validity boundaries (every not_before and not_after of the chain and the store). */
struct verdict_cache {
	unsigned char chain[SHA256_DIGEST_LENGTH];
	int stage;
	int code; /* RS_PROBE_OK or the failure */
	rs_time lo, hi; /* valid for lo <= t < hi */
	int used;
};

struct class_rt {
	struct verdict_cache cache[CACHE_SLOTS];
	unsigned cache_next;
	SSL_CTX *ctx;
	struct rs_certlist *store;
	struct rs_verify_opts *vopts[2]; /* [stage]: the host checked is DPS's or the hub's */
	char pins[MAX_PINS][65];
	size_t npins;
	int cadence;
};

/* One connection: an attempt (DPS then hub, or the hub), then, when held, the session. */
struct conn {
	struct run *run;
	struct conn *next_all; /* every conn ever made, so that a stopped run frees those in flight too */
	struct bufferevent *bev;
	uint32_t dev;
	int64_t t;
	int code;      /* set by the verify callback, or -1 */
	int tls_done;
	enum stage stage;
	int step;      /* DPS: requests sent so far */
	int ping_pending;
	char op[64];   /* DPS operation id */
	char hub[256]; /* the hub DPS assigned, or the target's */
	struct fleet_amqp *amqp; /* amqp.c: Proton's engine for an AMQP hub connection; NULL otherwise */
	struct conn *next_free;
};

struct fleet_result {
	struct fleet_spec spec;
	size_t nphases, nsamples;
	struct fleet_phase_stats *stats; /* [cls][phase] */
	unsigned *curve;                 /* [cls][sample] */
	unsigned long handshakes, pings, modelled;
	unsigned stranded_end, peak_held;
	int64_t stopped_at;              /* -1, or the virtual second a cancel stopped the run */
	int translating;                 /* translate.c: stores and pins put in the look-alikes' terms */
	struct fleet_translated *translated;
	size_t ntranslated;
};

struct run {
	const struct fleet_spec *spec;
	const struct fleet_target *target;
	struct fleet_result *res;
	struct event_base *base;
	struct class_rt cls[FLEET_MAX_CLASSES];
	struct device *dev;
	size_t ndev;
	struct event_item *heap;
	size_t nheap, capheap;
	struct { uint32_t dev; int64_t t; } *queue;
	size_t qhead, qtail, qcap;
	struct conn *free_conns;
	struct conn *all_conns;
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

/* run.c */
int push(struct run *r, int64_t t, uint32_t dev, uint8_t kind);
uint64_t next_rand(uint64_t *s);
void session_up(struct run *r, uint32_t i, int64_t t);
void session_failed(struct run *r, uint32_t i, int64_t t, int code, int at_dps);
void session_down(struct run *r, uint32_t i, int64_t t);
/* The hub dropped a session at t: the device reconnects by its backoff policy. */
void session_dropped(struct run *r, uint32_t i, int64_t t);

/* translate.c: replaces *list by its translation when the target translates (records it in r->res). */
int fleet_translate(struct run *r, size_t cls, int pin, struct rs_certlist **list, struct rs_error *err);

/* conn.c */
int conn_setup(struct run *r, struct rs_error *err);
int start_attempt(struct run *r, uint32_t i, int64_t t);
void send_ping(struct run *r, uint32_t i, int64_t t);
/* amqp.c: the hub over AMQP (SASL MSSBCBS, then a CBS put-token), with Proton-C driven by c's bufferevent.
 * fleet_amqp_answer returns 1 and sets *code once the put-token is answered (or the connection failed). */
struct fleet_amqp;
int fleet_amqp_open(struct conn *c, const char *id, const char *audience, const char *token);
int fleet_amqp_answer(struct conn *c, struct evbuffer *in, int *code);
void fleet_amqp_free(struct conn *c);
void fleet_amqp_feed(struct conn *c, struct evbuffer *in);    /* a held connection's input */
int fleet_amqp_refresh(struct conn *c, const char *token);     /* a new put-token on the same connection */
/* proto.c: a held AMQP session's CBS refresh with a token made now */
int refresh_token(struct conn *c);

/* Closes a device's held connection (politely: MQTT DISCONNECT) without touching its session. */
void release_held(struct run *r, uint32_t i);
/* Waits (bounded) until the target has closed every held connection; drops what is left. */
void await_drops(struct run *r);
void free_conns(struct run *r);
rs_time device_time(const struct run *r, uint32_t dev, int64_t t);

/* proto.c: 0 sent; -1 cannot. */
int send_opening(struct conn *c);
/* The answer so far: 1 done with *code, 0 more bytes needed (more may have been sent), 2 DPS done: on to the hub. */
int read_answer(struct conn *c, struct evbuffer *in, int *code);

#endif
