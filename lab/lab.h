/*
 * lab.h: the lab, an offline IoT Hub and DPS whose roots switch at run time. Built on librootshift's public API
 * (plus OpenSSL, libevent and jansson directly); it never prints: the front end (cli/cmd_lab.c) does.
 *
 * A lab directory holds:
 *   lab.json            the lab's settings (hub host, DPS id scope, generation time, names)
 *   pki/NAME.pem|.key   every certificate and its private key (keys mode 0600)
 *   chains/CHAIN.pem    what the server sends for a chain (leaf first, no root): old, new, next, ecc
 *   bundles/CLASS.pem   what each class of device trusts: old-only, new-only, recommended, pinned-intermediate, ecc
 *   devices.json        the registry: device ids and keys (mode 0600)
 *   serve.json          written by `lab serve`: ports, pid and the admin token (mode 0600)
 */
#ifndef RS_LAB_H
#define RS_LAB_H

#include "rsx.h" /* rootshift.h and the private helpers */

#include <stddef.h>

#include "../lib/banned.h"

#define LAB_MAX_NAMES 16

struct lab_init_opts {
	const char *seed;         /* NULL: random */
	rs_time at;               /* generation time: validity starts here */
	int exact_names;          /* copy the real subject names */
	int fast_keys;            /* RSA-4096 keys become RSA-2048 (tests only; the shapes stay otherwise) */
	const char *hub_name;     /* "rootshift-lab" → rootshift-lab.azure-devices.net */
	const char *names[LAB_MAX_NAMES]; /* extra leaf names (DNS or IP) */
	size_t name_count;
};

/* One generated certificate, for the front end's summary. */
struct lab_cert_info {
	char id[32];
	char subject[256];
	char sha1[41];
	char detail[64]; /* "RSA-2048 sha1WithRSAEncryption" */
};

struct lab_init_result {
	struct lab_cert_info certs[24];
	size_t count;
	double seconds_keys; /* time spent generating keys (CPU clock) */
};

/* pki.c: creates DIR (which must not exist or be empty) with a whole lab PKI. */
int lab_init(const char *dir, const struct lab_init_opts *opts, struct lab_init_result *res, struct rs_error *err);

/* The chains a lab serves. */
enum lab_chain { LAB_CHAIN_OLD, LAB_CHAIN_NEW, LAB_CHAIN_NEXT, LAB_CHAIN_ECC, LAB_CHAIN__COUNT };
const char *lab_chain_name(enum lab_chain c);
int lab_chain_parse(const char *name, enum lab_chain *out);

/* lookalike.c: the look-alikes that play catalog certificates (old-root plays azure-iot's Baltimore, new-ca its
 * Microsoft Azure TLS Issuing CA 01, ...), loaded from DIR/pki, for rs_translate_certs. */
#define LAB_MAX_LOOKALIKES 12
struct lab_lookalikes {
	struct rs_lookalike v[LAB_MAX_LOOKALIKES];
	size_t n;
	struct rs_certlist *certs; /* holds the look-alikes */
};
int lab_lookalikes_load(const char *dir, struct lab_lookalikes *out, struct rs_error *err);
void lab_lookalikes_release(struct lab_lookalikes *l);

/* lab.json */
struct lab_config {
	char hub_host[256];
	char dps_host[256];
	char id_scope[32];
	rs_time generated_at;
};
int lab_config_load(const char *dir, struct lab_config *cfg, struct rs_error *err);

/* registry.c: devices.json. Keys are base64 of 32 random bytes. */
int lab_device_add(const char *dir, const char *device_id, char *key_out, size_t key_size, struct rs_error *err);
/* Looks a device's primary key up; 0 found, -1 with RS_ERR_NOTFOUND when absent. */
int lab_device_key(const char *dir, const char *device_id, char *key_out, size_t key_size, struct rs_error *err);
int lab_device_id_ok(const char *id);
/* Registers many devices at once (id and base64 key each), replacing the keys of ids already there: one read
 * and one write of devices.json. The admin API's POST /api/devices and an in-process rehearsal use it. */
struct lab_device {
	const char *id;
	const char *key;
};
int lab_devices_put(const char *dir, const struct lab_device *devs, size_t n, struct rs_error *err);

/* A registry kept in memory and reloaded when devices.json changes (the server's view: devices added while it
 * runs are seen at their first connection). */
struct lab_registry;
struct lab_registry *lab_registry_new(const char *dir);
void lab_registry_free(struct lab_registry *reg);
int lab_registry_key(struct lab_registry *reg, const char *device_id, char *key_out, size_t key_size,
		     struct rs_error *err);

/* util.c */
int lab_write_file(const char *path, const void *data, size_t len, int private_mode, struct rs_error *err);
int lab_path(char *out, size_t size, const char *dir, const char *name);

/* control.c: a handle to stop an in-process lab and to make it apply its clock now. */
struct lab_handle;
struct lab_handle *lab_handle_new(struct rs_error *err);
void lab_handle_free(struct lab_handle *h);
/* Asks the lab to stop (lab_serve returns); returns at once. */
int lab_handle_stop(struct lab_handle *h);
/* Makes the lab apply its clock now (keep-alive x 1.5, DPS following the hubs) and waits until it has. */
int lab_handle_tick(struct lab_handle *h, struct rs_error *err);

/* server.c: runs until SIGTERM/SIGINT, or until its handle stops it. */
struct lab_serve_opts {
	const char *dir;
	const char *listen;       /* "127.0.0.1" */
	int mqtt_port, https_port, admin_port, amqp_port, ws_port; /* 0: pick a free port */
	int test_endpoint;        /* reject every credential after TLS */
	int request_client_cert;
	int dps_delay;            /* seconds before DPS follows a hub switch */
	int max_conns;
	int handshake_timeout;    /* seconds */
	int auth_timeout;         /* seconds from accept to authenticate (hub CONNECT, DPS with valid credentials;
				   * AMQP cannot yet), else closed with the cause auth-timeout; 0: no deadline */
	enum lab_chain chain;     /* served at start */
	rs_time (*clock)(void *arg);   /* the front end's clock */
	void (*log)(void *arg, const char *line); /* the front end's event log sink (one JSON object a line), or NULL */
	void (*ready)(void *arg, const char *line); /* called once listening, with the ready event, or NULL */
	void *arg;                /* passed to clock, log and ready */
	int events_fd;            /* > 0: the event stream also goes there, without blocking (events.c); the front
				   * end opens and closes it */
	struct lab_handle *handle; /* NULL, or the handle that drives it (in-process) */
	int *stopped_by;           /* NULL, or set to the signal (SIGINT, SIGTERM) that stopped a served lab */
	const volatile int *cancel; /* NULL, or the front end's signal flag: a signal that came while the lab started
				     * (before its own signal events took over) stops it before it serves */
};
int lab_serve(const struct lab_serve_opts *opts, struct rs_error *err);

/* admin.c: the client side of the admin API, for migrate/revert/status. */
int lab_admin_request(const char *dir, const char *method, const char *path, char **body_out, int *status_out,
		      struct rs_error *err);
/* What a running lab wrote to DIR/serve.json: where it listens (the token stays in admin.c). */
struct lab_serve_state {
	long pid;                 /* the serving process */
	char listen[64];
	int mqtt_port, https_port, amqp_port, ws_port, admin_port;
};
int lab_serve_state_load(const char *dir, struct lab_serve_state *st, struct rs_error *err);
/* The same with a request body (len bytes, may be 0). */
int lab_admin_send(const char *dir, const char *method, const char *path, const char *body, size_t len,
		   char **body_out, int *status_out, struct rs_error *err);

#endif
