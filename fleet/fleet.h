/*
 * fleet.h: the rehearsal. A simulated fleet (device classes with a trust store, a protocol, an SDK's reconnect
 * behaviour, a backoff policy, clock skew and pinning) put through a root migration on a virtual clock. Every
 * connection attempt is a real TLS handshake (verified with rootshift's path builder against the device's store at
 * the device's own time) followed by MQTT CONNECT/CONNACK, the AMQP protocol header or an HTTPS events POST.
 *
 * Built on librootshift's public API, OpenSSL and libevent. It never prints, exits or reads the clock: virtual time
 * is its own; the front end supplies the target (addresses, the switch) through callbacks.
 *
 * Ownership: fleet_spec_parse() returns a spec the caller frees with fleet_spec_free(); fleet_run() returns a
 * result freed with fleet_result_free(); getters borrow until their owner is freed.
 */
#ifndef RS_FLEET_H
#define RS_FLEET_H

#include "rsx.h" /* rootshift.h and the private helpers */

#include <stddef.h>
#include <stdint.h>

#include "../lib/banned.h"

/* The verification policy of the simulated devices (conn.c) and of rehearse's endpoint checks: the strict
 * default of docs/verify.md. Reports name it. */
#define FLEET_VERIFY_POLICY RS_VERIFY_POLICY_WEBPKI

#define FLEET_MAX_CLASSES 32
#define FLEET_MAX_EVENTS 16
#define FLEET_MAX_DEVICES 100000

enum fleet_proto { FLEET_MQTT, FLEET_AMQP, FLEET_HTTPS };
enum fleet_sdk { FLEET_SDK_C, FLEET_SDK_NODE, FLEET_SDK_DOTNET, FLEET_SDK_JAVA, FLEET_SDK_PYTHON };
enum fleet_backoff { FLEET_BACKOFF_EXPONENTIAL, FLEET_BACKOFF_FIXED, FLEET_BACKOFF_NONE };
enum fleet_action { FLEET_MIGRATE, FLEET_REVERT, FLEET_DISCONNECT };
enum fleet_dps { FLEET_DPS_NONE, FLEET_DPS_MQTT, FLEET_DPS_HTTPS };

/* One class of devices. Times are seconds of virtual time. */
struct fleet_class {
	char name[64];
	unsigned count;
	char store[1024];        /* a path in any form audit reads, or "lab:BUNDLE" (a lab device bundle) */
	char pin[1024];          /* "" or a path / "lab:BUNDLE": the served chain must contain one of these */
	enum fleet_proto proto;
	enum fleet_dps dps;      /* registers through DPS (over MQTT or HTTPS) before every hub connection */
	enum fleet_sdk sdk;
	int sas_lifetime;        /* default 3600 */
	int keep_alive;          /* MQTT keep-alive sent in CONNECT (default: the SDK's) */
	int pings;               /* sends PINGREQ at the keep-alive (default 1; 0: an application that stalls the SDK) */
	int request_interval;    /* HTTPS: one request (one handshake) every this many seconds (default 300) */
	enum fleet_backoff backoff;
	int backoff_initial;     /* default 1 */
	int backoff_max;         /* default 300 */
	int clock_skew;          /* device clock minus true time */
};

struct fleet_event {
	int64_t at;              /* virtual seconds from the start */
	enum fleet_action action;
	int disconnect;          /* migrate/revert: also drop every session */
};

struct fleet_spec {
	char seed[64];
	int64_t duration;        /* default 6 h */
	int64_t ramp;            /* initial connections spread over this (default 3600) */
	int sample;              /* curve sampling step (default 60) */
	int dps_delay;           /* the in-process lab's DPS follows the hubs this long after a switch (default 0) */
	struct fleet_class classes[FLEET_MAX_CLASSES];
	size_t nclasses;
	struct fleet_event events[FLEET_MAX_EVENTS];
	size_t nevents;
};

/* Parses a fleet file (JSON, schema "rootshift/fleet/1"); relative store paths are resolved against base_dir
 * (may be NULL). docs/rehearse.md describes the format. */
struct fleet_spec *fleet_spec_parse(const char *text, size_t len, const char *base_dir, struct rs_error *err);
void fleet_spec_free(struct fleet_spec *spec);
/* The built-in demo fleet (every store is a lab bundle). */
struct fleet_spec *fleet_spec_demo(void);

const char *fleet_proto_name(enum fleet_proto p);
const char *fleet_sdk_name(enum fleet_sdk s);
const char *fleet_backoff_name(enum fleet_backoff b);
const char *fleet_action_name(enum fleet_action a);
const char *fleet_dps_name(enum fleet_dps d); /* "none", "mqtt", "https" */
/* The SDK's reconnect cadence for a class: seconds between new TLS handshakes of a healthy device, 0 for never. */
int fleet_cadence(const struct fleet_class *c);

/* Device i's id ("CLASS-00042") and SAS key (base64 of 32 bytes derived from the seed). */
int fleet_device_id(const struct fleet_spec *spec, size_t i, char *out, size_t size);
int fleet_device_key(const struct fleet_spec *spec, size_t i, char *out, size_t size);
size_t fleet_device_count(const struct fleet_spec *spec);

/* Where and how to connect, and the switch. */
struct fleet_target {
	const char *host;        /* the hub's name: SNI, host check, MQTT username, SAS resource */
	const char *dps_host;    /* DPS's name and the id scope, for classes that provision */
	const char *id_scope;
	const char *connect_host; /* an IP address to connect to ("127.0.0.1") */
	int mqtt_port, amqp_port, https_port;
	const char *lab_dir;     /* for "lab:BUNDLE" stores; NULL when not a lab */
	rs_time start;           /* the true time at virtual second 0 */
	int max_inflight;        /* concurrent connection attempts (default 256) */
	int timeout_ms;          /* per attempt (default 10000, wall time, counted by libevent) */
	int max_held;            /* connections devices may hold (file descriptors); beyond, sessions are modelled */
	int drops_sessions;      /* apply() with disconnect closes the held connections itself (a lab does) */
	int starts_new;          /* the target serves the new chain at virtual second 0 (a lab migrated before) */
	/* The time the target's clock shows now, for SAS expiry (a lab on the real clock); NULL: virtual time. */
	rs_time (*sas_time)(void *ctx);
	/* Called before connections of virtual time t are made (the lab's clock follows it). */
	void (*set_time)(void *ctx, rs_time t);
	/* Performs a scheduled switch; -1 stops the rehearsal with err set. */
	int (*apply)(void *ctx, const struct fleet_event *ev, struct rs_error *err);
	void *ctx;
	/* NULL, or a descriptor that becomes readable when the rehearsal must stop (the front end's self-pipe for
	 * SIGINT and SIGTERM): the run ends within the event loop's turn and returns what it has, partial. */
	const int *cancel_fd;
	/* Translation (translate.c): with both set, each class's store and pin have the real catalog certificates in
	 * them replaced by the look-alikes that play them (rs_translate_certs); NULL: as they are. */
	const struct rs_catalog *translate_catalog;
	const struct rs_lookalike *lookalikes;
	size_t nlookalikes;
	/* NULL, or called as the run advances (before each window of virtual time): the virtual second reached, the
	 * spec's duration and the phase (0 is the start, k begins at event k-1). The front end may show it. */
	void (*progress)(void *arg, int64_t at, int64_t duration, size_t phase);
	void *progress_arg;
};

/* The outcome of one phase (from one event to the next) for one class. */
struct fleet_phase_stats {
	unsigned reconnected;     /* established a session during the phase */
	int64_t p50, p95, max;    /* seconds from the phase's start to the first session; -1 when none */
	unsigned holding;         /* still on a session from before the phase at its end */
	unsigned stranded;        /* without a session at the phase's end, after trying */
	unsigned waiting;         /* not tried yet at the phase's end: the first attempt is due later (the ramp) */
	unsigned reasons[RS_PROBE__COUNT]; /* the stranded devices' last failure */
	unsigned dps_reasons[RS_PROBE__COUNT]; /* those whose last failure was at the DPS step */
	unsigned attempts, failures;
	unsigned failures_at_dps;  /* failures at the DPS step */
};

struct fleet_result;

struct fleet_result *fleet_run(const struct fleet_spec *spec, const struct fleet_target *target,
			       struct rs_error *err);
void fleet_result_free(struct fleet_result *r);
/* -1 when the run went to its end; else the virtual second it was stopped at (target->cancel_fd): the phase it was
 * in is closed there and the later ones are empty. */
int64_t fleet_result_stopped_at(const struct fleet_result *r);
const struct fleet_spec *fleet_result_spec(const struct fleet_result *r);
/* Phases: 0 is the start, phase k (k >= 1) begins at spec event k-1. */
size_t fleet_result_phases(const struct fleet_result *r);
const struct fleet_phase_stats *fleet_result_stats(const struct fleet_result *r, size_t cls, size_t phase);
/* The connected-devices curve: samples at 0, sample, 2*sample, ... duration. */
size_t fleet_result_samples(const struct fleet_result *r);
unsigned fleet_result_connected(const struct fleet_result *r, size_t cls, size_t sample);
/* TLS handshakes that reached the device's check of the served chain (accepted or not). */
unsigned long fleet_result_handshakes(const struct fleet_result *r);
/* Devices without a session at the end. */
unsigned fleet_result_stranded_at_end(const struct fleet_result *r);
/* Held connections: the most at once, PINGREQs answered, and sessions modelled for lack of descriptors. */
unsigned fleet_result_peak_held(const struct fleet_result *r);
unsigned long fleet_result_pings(const struct fleet_result *r);
unsigned long fleet_result_modelled(const struct fleet_result *r);
/* translate.c: one catalog certificate met in a class's store or pin when the target translates. */
struct fleet_translated {
	size_t cls;
	int pin;                  /* 0: in the store; 1: in the pin */
	enum rs_translate_how how;
	char real_subject[256], real_sha256[65];
	char known[160];          /* "PROFILE:ID" the catalog knows it as */
	char name[128];           /* the catalog's name for it */
	char role[32];            /* the look-alike that replaced it ("old-root"); "" when kept */
	char plays[160];          /* what that look-alike plays ("PROFILE:ID") */
	char lab_subject[256], lab_sha256[65];
};
/* A record from the library's (a probe's translation takes the same shape). */
void fleet_translated_fill(const struct rs_translation *in, size_t cls, int pin, struct fleet_translated *out);
/* 1 when the run translated stores and pins (its target had look-alikes); the records in class order. */
int fleet_result_translating(const struct fleet_result *r);
size_t fleet_result_translated_count(const struct fleet_result *r);
const struct fleet_translated *fleet_result_translated_at(const struct fleet_result *r, size_t i);

/* A class holds its sessions' connections (MQTT and AMQP; HTTPS makes one per request). */
int fleet_class_holds(const struct fleet_class *c);

/* advice.c: per class stranded in some phase (the last when some are stranded at the end, else the first), what
 * it means and the next step, naming the roots as profile p does (NULL: generic words); an old root expired
 * before at (the rehearsal's true start) is not advised, as the real service no longer serves it. Returns how
 * many of max were filled. */
struct fleet_advice {
	size_t cls, phase;       /* the class, and the phase advised on */
	unsigned at_end;         /* devices of the class still stranded at the end */
	enum rs_probe_code reason; /* the most common last failure in that phase */
	char meaning[1536], next[1536];
};
size_t fleet_advise(const struct fleet_result *r, const struct rs_profile *p, rs_time at, struct fleet_advice *out,
		    size_t max);
/* 1 when the target served the new chain during phase k (0 is the start, k begins at event k-1). */
int fleet_result_new_chain_in(const struct fleet_result *r, size_t k);
/* 1 when phase k played a chain the real service can no longer serve: the old one, when profile p's old root
 * expired before at (the rehearsal's true start; Baltimore on 2025-05-12). Only the lab plays it, so devices
 * stranded there are shown and advised on but do not make the verdict (cmd_rehearse.c). */
int fleet_phase_lab_only(const struct fleet_result *r, size_t k, const struct rs_profile *p, rs_time at);

/* report.c: the self-contained HTML report (inline SVG, no external assets), ending with the advice; malloc'd,
 * NULL on no memory. */
char *fleet_report_html(const struct fleet_result *r, const char *title, const struct fleet_advice *adv, size_t nadv);

#endif
