/*
 * amqp.c: IoT Hub's AMQP 1.0, on 5671 and over WebSockets (subprotocol AMQPWSB10 on the HTTPS port), with Qpid
 * Proton-C as the protocol engine. Proton never touches a socket here: the lab's own TLS I/O (conn_io.c, or the
 * WebSocket frames of ws.c) feeds it through the connection-driver API (proton/connection_driver.h:
 * pn_connection_driver_read_buffer/read_done, write_buffer/write_done, next_event), so there is no AMQP codec of
 * the lab's own.
 *
 * What IoT Hub does, as the Azure IoT SDKs expect it (azure-iot-facts.md 3.6):
 *  - SASL: MSSBCBS (uamqp's sasl_mssbcbs.c: an empty initial response; the C SDK's iothubtransport_amqp_
 *    connection.c) and ANONYMOUS succeed, and the device then authenticates with CBS; PLAIN with the user
 *    "{deviceId}@sas.{hubname}" and a SAS token as the password authenticates the connection for that device
 *    (IoT Hub's "Communicate with your IoT hub using AMQP" page), a wrong one fails SASL (outcome auth).
 *  - CBS: a sender link to "$cbs" and a receiver link from "$cbs" (uamqp cbs.c over amqp_management.c); a
 *    put-token request has the application properties operation=put-token, type (servicebus.windows.net:sastoken
 *    or azure-devices.net:sastoken), name = the audience "{host}/devices/{id}", and the token as an AMQP string
 *    body; the reply carries application properties status-code (int: 200, or 401 for a bad or expired token)
 *    and status-description, correlation-id = the request's message-id, to its reply-to address.
 *  - Device links: "/devices/{id}/messages/events" (the device sends; every message is accepted) and
 *    "/devices/{id}/messages/devicebound" (the device receives cloud-to-device messages), optionally as
 *    "amqps://{host}/devices/..." (the C SDK's iothubtransport_amqp_telemetry_messenger.c and
 *    _amqp_messenger.c build them so). Links of a device that has not authenticated are refused with
 *    amqp:unauthorized-access.
 *  - When a device's token expires (by the lab's clock), its links are closed (amqp:unauthorized-access); a new
 *    put-token on the same connection (what the C SDK does at 80 % of the lifetime) keeps them.
 */
#include <proton/condition.h>
#include <proton/connection.h>
#include <proton/connection_driver.h>
#include <proton/delivery.h>
#include <proton/event.h>
#include <proton/link.h>
#include <proton/message.h>
#include <proton/sasl.h>
#include <proton/sasl_plugin.h>
#include <proton/session.h>
#include <proton/terminus.h>
#include <proton/transport.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>

#include "server.h"

#define AMQP_MAX_AUTH 4        /* devices one connection may authenticate (a multiplexing gateway uses a few) */
#define AMQP_MAX_MESSAGE LAB_MAX_PACKET
#define AMQP_CREDIT 100

struct amqp_auth {
	char device[129];
	rs_time expiry;
};

struct lab_amqp {
	pn_connection_driver_t driver;
	struct amqp_auth auth[AMQP_MAX_AUTH];
	int nauth;
	pn_link_t *cbs_reply; /* our sender link from "$cbs" */
	unsigned long tag;
	char *buf;            /* a message being received */
	size_t buf_len;
};

/* ---- SASL: the server side, as IoT Hub ---- */

static struct lab_conn *conn_of_transport(pn_transport_t *t)
{
	return pnx_sasl_get_context(t);
}

static void sasl_free(pn_transport_t *t)
{
	(void)t; /* the context is the connection, freed by the lab */
}

static const char *sasl_mechs(pn_transport_t *t)
{
	(void)t;
	return "MSSBCBS PLAIN ANONYMOUS";
}

static bool sasl_init_server(pn_transport_t *t)
{
	pnx_sasl_set_desired_state(t, SASL_POSTED_MECHANISMS);
	return true;
}

static bool sasl_init_client(pn_transport_t *t)
{
	(void)t;
	return false;
}

static void sasl_prepare(pn_transport_t *t)
{
	(void)t;
}

static int authorize(struct lab_conn *c, const char *device, const char *token, const char *how, struct rs_error *err);

/* PLAIN's response is authzid NUL authcid NUL password (RFC 4616). */
static int plain_login(struct lab_conn *c, const pn_bytes_t *recv)
{
	const char *p = recv ? recv->start : NULL, *user, *pass, *at;
	size_t n = recv ? recv->size : 0, ulen, plen;
	char dev[129], suffix[300], token[4097];
	struct rs_error err;
	int rv;

	if (!p || n < 2 || !(user = memchr(p, '\0', n)))
		return -1;
	user++;
	if (!(pass = memchr(user, '\0', n - (size_t)(user - p))))
		return -1;
	ulen = (size_t)(pass - user);
	pass++;
	plen = n - (size_t)(pass - p);
	if (!(at = memchr(user, '@', ulen)) || (size_t)(at - user) >= sizeof(dev) || plen >= sizeof(token))
		return -1;
	memcpy(dev, user, (size_t)(at - user));
	dev[at - user] = '\0';
	snprintf(suffix, sizeof(suffix), "@sas.%s", c->lab->cfg.hub_host);
	if (ulen - (size_t)(at - user) != strlen(suffix) || strncasecmp(at, suffix, strlen(suffix))) {
		lab_event(c->lab, LAB_EV_AUTH_FAILURE, dev, c->chain, "SASL PLAIN user is not {deviceId}@sas.{hubname}");
		c->lab->n.auth_failures++;
		return -1;
	}
	memcpy(token, pass, plen);
	token[plen] = '\0';
	rv = authorize(c, dev, token, "amqp sasl-plain", &err);
	OPENSSL_cleanse(token, sizeof(token));
	return rv;
}

static void sasl_process_init(pn_transport_t *t, const char *mech, const pn_bytes_t *recv)
{
	struct lab_conn *c = conn_of_transport(t);

	if (!strcmp(mech, "MSSBCBS") || !strcmp(mech, "ANONYMOUS")) {
		pnx_sasl_set_succeeded(t, "anonymous", NULL);
	} else if (!strcmp(mech, "PLAIN") && plain_login(c, recv) == 0) {
		pnx_sasl_set_succeeded(t, c->device_id, NULL);
	} else {
		pnx_sasl_set_failed(t);
	}
	pnx_sasl_set_desired_state(t, SASL_POSTED_OUTCOME);
}

static void sasl_process_response(pn_transport_t *t, const pn_bytes_t *recv)
{
	(void)recv;
	pnx_sasl_set_failed(t); /* no mechanism here sends challenges */
	pnx_sasl_set_desired_state(t, SASL_POSTED_OUTCOME);
}

static bool sasl_process_mechanisms(pn_transport_t *t, const char *mechs)
{
	(void)t;
	(void)mechs;
	return false;
}

static void sasl_process_challenge(pn_transport_t *t, const pn_bytes_t *recv)
{
	(void)t;
	(void)recv;
}

static void sasl_process_outcome(pn_transport_t *t, const pn_bytes_t *recv)
{
	(void)t;
	(void)recv;
}

static bool sasl_can_encrypt(pn_transport_t *t)
{
	(void)t;
	return false;
}

static ssize_t sasl_max_encrypt(pn_transport_t *t)
{
	(void)t;
	return 0;
}

static ssize_t sasl_code(pn_transport_t *t, pn_bytes_t in, pn_bytes_t *out)
{
	(void)t;
	(void)in;
	(void)out;
	return 0;
}

static const pnx_sasl_implementation lab_sasl = {
	sasl_free,	     sasl_mechs,	     sasl_init_server,	     sasl_init_client,
	sasl_prepare,	     sasl_process_init,	     sasl_process_response,  sasl_process_mechanisms,
	sasl_process_challenge, sasl_process_outcome, sasl_can_encrypt,	     sasl_max_encrypt,
	sasl_code,	     sasl_code,
};

/* ---- devices on the connection ---- */

static struct amqp_auth *auth_of(struct lab_amqp *a, const char *device)
{
	for (int i = 0; i < a->nauth; i++)
		if (!strcmp(a->auth[i].device, device))
			return &a->auth[i];
	return NULL;
}

/* Checks token for device; on success the device may use its links until the token's expiry. */
static int authorize(struct lab_conn *c, const char *device, const char *token, const char *how, struct rs_error *err)
{
	struct lab_server *lab = c->lab;
	struct lab_amqp *a = c->amqp;
	struct amqp_auth *au;
	char resource[512];
	rs_time expiry = 0;

	if (!lab_device_id_ok(device)) {
		rs_error_set(err, RS_ERR_AUTH, "not a device id");
	} else {
		snprintf(resource, sizeof(resource), "%s/devices/%s", lab->cfg.hub_host, device);
		if (lab_auth_sas(lab, token, resource, device, &expiry, err) == 0)
			goto ok;
	}
	lab->n.auth_failures++;
	lab_event(lab, LAB_EV_AUTH_FAILURE, device, c->chain, err->message);
	return -1;
ok:
	if (!(au = auth_of(a, device))) {
		if (a->nauth == AMQP_MAX_AUTH)
			return rs_error_set(err, RS_ERR_LIMIT, "too many devices on one connection");
		au = &a->auth[a->nauth++];
		snprintf(au->device, sizeof(au->device), "%s", device);
		if (!c->device_id[0]) {
			snprintf(c->device_id, sizeof(c->device_id), "%s", device);
			c->state = LAB_ST_AMQP;
			c->connected_at = lab_now(lab);
			lab_conn_touch(c);
			lab_conn_authenticated(c);
			lab_conn_event(c, LAB_EV_CONNECT, LAB_CAUSE_NONE, how);
		}
	}
	au->expiry = expiry;
	c->sas_expiry = expiry;
	return 0;
}

/* "/devices/{id}/messages/{kind}" or "amqps://{host}/devices/..." → id and kind; -1 when it is not. */
static int device_address(const char *addr, char *dev, size_t dsize, char *kind, size_t ksize)
{
	const char *p, *slash;

	if (!addr)
		return -1;
	if (!strncasecmp(addr, "amqps://", 8) && (p = strchr(addr + 8, '/')))
		addr = p;
	if (strncmp(addr, "/devices/", 9))
		return -1;
	p = addr + 9;
	if (!(slash = strchr(p, '/')) || slash == p || (size_t)(slash - p) >= dsize || strncmp(slash, "/messages/", 10))
		return -1;
	memcpy(dev, p, (size_t)(slash - p));
	dev[slash - p] = '\0';
	if (strlen(slash + 10) >= ksize)
		return -1;
	snprintf(kind, ksize, "%s", slash + 10);
	return 0;
}

static void close_link(pn_link_t *l, const char *cond, const char *why)
{
	pn_condition_t *k = pn_link_condition(l);

	pn_condition_set_name(k, cond);
	pn_condition_set_description(k, why);
	pn_link_close(l);
}

static const char *link_address(pn_link_t *l)
{
	return pn_terminus_get_address(pn_link_is_sender(l) ? pn_link_remote_source(l) : pn_link_remote_target(l));
}

static void on_link_open(struct lab_conn *c, pn_link_t *l)
{
	const char *addr = link_address(l);
	char dev[129], kind[32];
	struct amqp_auth *au;

	pn_terminus_copy(pn_link_source(l), pn_link_remote_source(l));
	pn_terminus_copy(pn_link_target(l), pn_link_remote_target(l));
	pn_link_open(l);
	if (addr && !strcmp(addr, "$cbs")) {
		if (pn_link_is_sender(l))
			c->amqp->cbs_reply = l;
		else
			pn_link_flow(l, AMQP_CREDIT);
		return;
	}
	if (device_address(addr, dev, sizeof(dev), kind, sizeof(kind)) < 0 ||
	    (strcasecmp(kind, "events") && strcasecmp(kind, "devicebound"))) {
		close_link(l, "amqp:not-found", "IoT Hub has no such node for a device");
		return;
	}
	if (!(au = auth_of(c->amqp, dev)) || au->expiry <= lab_now(c->lab)) {
		close_link(l, "amqp:unauthorized-access", "put a token for this device on $cbs first (401)");
		return;
	}
	if (!pn_link_is_sender(l))
		pn_link_flow(l, AMQP_CREDIT);
}

/* ---- CBS ---- */

/* The string value of key in an application-properties map, or an empty span. */
static pn_bytes_t prop(pn_data_t *d, const char *key)
{
	pn_bytes_t none = { 0, NULL };

	pn_data_rewind(d);
	if (!pn_data_next(d) || pn_data_type(d) != PN_MAP)
		return none;
	pn_data_enter(d);
	while (pn_data_next(d)) {
		pn_bytes_t k = pn_data_type(d) == PN_STRING ? pn_data_get_string(d)
			       : pn_data_type(d) == PN_SYMBOL ? pn_data_get_symbol(d) : none;
		if (!pn_data_next(d))
			break;
		if (k.size == strlen(key) && !memcmp(k.start, key, k.size) && pn_data_type(d) == PN_STRING)
			return pn_data_get_string(d);
	}
	return none;
}

static void cbs_reply(struct lab_conn *c, pn_message_t *req, int status, const char *description)
{
	struct lab_amqp *a = c->amqp;
	pn_message_t *m;
	pn_data_t *p;
	char tag[24];
	int n;

	if (!a->cbs_reply || !(m = pn_message()))
		return;
	pn_message_set_correlation_id(m, pn_message_get_id(req));
	if (pn_message_get_reply_to(req))
		pn_message_set_address(m, pn_message_get_reply_to(req));
	p = pn_message_properties(m);
	pn_data_put_map(p);
	pn_data_enter(p);
	pn_data_put_string(p, pn_bytes(strlen("status-code"), "status-code"));
	pn_data_put_int(p, status);
	pn_data_put_string(p, pn_bytes(strlen("status-description"), "status-description"));
	pn_data_put_string(p, pn_bytes(strlen(description), description));
	pn_data_exit(p);
	n = snprintf(tag, sizeof(tag), "%lu", a->tag++);
	pn_delivery(a->cbs_reply, pn_dtag(tag, (size_t)n));
	pn_message_send(m, a->cbs_reply, NULL);
	pn_message_free(m);
}

static void cbs_request(struct lab_conn *c, const char *bytes, size_t len)
{
	pn_message_t *m = pn_message();
	pn_bytes_t op, name, body = { 0, NULL };
	char audience[600], dev[129], token[4097];
	const char *p;
	struct rs_error err;
	pn_data_t *b;

	if (!m)
		return;
	if (pn_message_decode(m, bytes, len) != 0) {
		pn_message_free(m);
		return;
	}
	op = prop(pn_message_properties(m), "operation");
	name = prop(pn_message_properties(m), "name");
	b = pn_message_body(m);
	pn_data_rewind(b);
	if (pn_data_next(b) && pn_data_type(b) == PN_STRING)
		body = pn_data_get_string(b);
	if (op.size != 9 || memcmp(op.start, "put-token", 9)) {
		cbs_reply(c, m, 400, "only put-token is supported");
	} else if (!name.size || name.size >= sizeof(audience) || !body.size || body.size >= sizeof(token)) {
		cbs_reply(c, m, 400, "put-token needs a name and a token");
	} else {
		/* the audience: "{host}/devices/{id}" (uamqp puts the SAS's sr here) */
		memcpy(audience, name.start, name.size);
		audience[name.size] = '\0';
		memcpy(token, body.start, body.size);
		token[body.size] = '\0';
		if (!(p = strstr(audience, "/devices/")) || strlen(p + 9) >= sizeof(dev) || strchr(p + 9, '/')) {
			cbs_reply(c, m, 404, "the audience is not {host}/devices/{id}");
		} else {
			snprintf(dev, sizeof(dev), "%s", p + 9);
			if (authorize(c, dev, token, "amqp cbs", &err) == 0)
				cbs_reply(c, m, 200, "OK");
			else
				cbs_reply(c, m, 401, err.code == RS_ERR_EXPIRED ? "The specified SAS token is expired"
										 : "Unauthorized");
		}
		OPENSSL_cleanse(token, sizeof(token));
	}
	pn_message_free(m);
}

/* ---- deliveries ---- */

static void on_delivery(struct lab_conn *c, pn_delivery_t *d)
{
	struct lab_amqp *a = c->amqp;
	pn_link_t *l = pn_delivery_link(d);
	const char *addr;
	char dev[129], kind[32];
	ssize_t n;

	if (pn_link_is_sender(l)) { /* the device settled (or acknowledged) what we sent */
		if (pn_delivery_remote_state(d) || pn_delivery_settled(d))
			pn_delivery_settle(d);
		return;
	}
	if (!pn_delivery_readable(d))
		return;
	for (;;) {
		size_t pending = pn_delivery_pending(d);
		char *grown;
		if (pending == 0)
			break;
		if (a->buf_len + pending > AMQP_MAX_MESSAGE) {
			c->lab->n.dropped_limits++;
			lab_conn_event(c, LAB_EV_PROTOCOL_ERROR, LAB_CAUSE_NONE, "AMQP message over IoT Hub's limit");
			pn_connection_driver_close(&a->driver);
			return;
		}
		if (!(grown = realloc(a->buf, a->buf_len + pending)))
			return;
		a->buf = grown;
		n = pn_link_recv(l, a->buf + a->buf_len, pending);
		if (n <= 0)
			break;
		a->buf_len += (size_t)n;
	}
	if (pn_delivery_partial(d))
		return;
	addr = link_address(l);
	pn_link_advance(l);
	if (addr && !strcmp(addr, "$cbs")) {
		cbs_request(c, a->buf, a->buf_len);
		pn_delivery_update(d, PN_ACCEPTED);
	} else if (device_address(addr, dev, sizeof(dev), kind, sizeof(kind)) == 0 && auth_of(a, dev) &&
		   auth_of(a, dev)->expiry > lab_now(c->lab)) {
		c->lab->n.telemetry++;
		lab_conn_touch(c);
		pn_delivery_update(d, PN_ACCEPTED);
	} else {
		pn_delivery_update(d, PN_REJECTED);
	}
	pn_delivery_settle(d);
	free(a->buf);
	a->buf = NULL;
	a->buf_len = 0;
	if (pn_link_credit(l) < AMQP_CREDIT / 2)
		pn_link_flow(l, AMQP_CREDIT - pn_link_credit(l));
}

/* ---- the engine, driven by the lab's I/O ---- */

static void handle(struct lab_conn *c, pn_event_t *e)
{
	switch (pn_event_type(e)) {
	case PN_CONNECTION_REMOTE_OPEN:
		pn_connection_set_container(pn_event_connection(e), c->lab->cfg.hub_host);
		pn_connection_open(pn_event_connection(e));
		break;
	case PN_SESSION_REMOTE_OPEN:
		pn_session_open(pn_event_session(e));
		break;
	case PN_LINK_REMOTE_OPEN:
		on_link_open(c, pn_event_link(e));
		break;
	case PN_DELIVERY:
		on_delivery(c, pn_event_delivery(e));
		break;
	case PN_LINK_REMOTE_CLOSE:
		if (pn_event_link(e) == c->amqp->cbs_reply)
			c->amqp->cbs_reply = NULL;
		pn_link_close(pn_event_link(e));
		break;
	case PN_SESSION_REMOTE_CLOSE:
		pn_session_close(pn_event_session(e));
		break;
	case PN_CONNECTION_REMOTE_CLOSE:
		pn_connection_close(pn_event_connection(e));
		break;
	case PN_TRANSPORT_ERROR: {
		pn_condition_t *k = pn_transport_condition(pn_event_transport(e));
		const char *name = pn_condition_get_name(k), *desc = pn_condition_get_description(k);
		char why[200];
		/* a SASL failure is already an auth-failure; anything else broke the protocol */
		if (!name || strcmp(name, "amqp:unauthorized-access")) {
			snprintf(why, sizeof(why), "%s: %s", name ? name : "amqp error", desc ? desc : "");
			lab_conn_event(c, LAB_EV_PROTOCOL_ERROR, LAB_CAUSE_NONE, why);
			c->cause = LAB_CAUSE_PROTOCOL_ERROR; /* the disconnect's cause */
		}
		break;
	}
	default:
		break;
	}
}

/* Runs Proton's events and sends what it wrote; -1 when the connection is over (c is then freed). */
static int pump(struct lab_conn *c)
{
	struct lab_amqp *a = c->amqp;
	pn_event_t *e;
	pn_bytes_t w;

	while ((e = pn_connection_driver_next_event(&a->driver)))
		handle(c, e);
	while ((w = pn_connection_driver_write_buffer(&a->driver)).size > 0) {
		if (lab_conn_write(c, w.start, w.size) < 0)
			break;
		pn_connection_driver_write_done(&a->driver, w.size);
	}
	if (pn_connection_driver_finished(&a->driver) || pn_connection_driver_write_closed(&a->driver)) {
		lab_conn_close_after_flush(c);
		return -1;
	}
	return 0;
}

static void amqp_free(struct lab_conn *c);

static int amqp_start(struct lab_conn *c)
{
	struct lab_amqp *a = calloc(1, sizeof(*a));
	pn_transport_t *t;

	if (!a || !(t = pn_transport())) {
		free(a);
		return -1;
	}
	pn_transport_set_server(t);
	pn_transport_require_auth(t, true);
	pn_sasl_set_allow_insecure_mechs(pn_sasl(t), true); /* TLS is the lab's, below Proton */
	pnx_sasl_set_implementation(t, &lab_sasl, c);
	if (pn_connection_driver_init(&a->driver, NULL, t) != 0) {
		free(a);
		return -1;
	}
	c->amqp = a;
	c->on_free = amqp_free;
	lab_conn_event(c, LAB_EV_AMQP_HEADER, LAB_CAUSE_NONE, c->ws_upgraded ? "websocket" : "tls");
	return 0;
}

int lab_amqp_on_data(struct lab_conn *c, struct evbuffer *in)
{
	size_t len;

	if (!c->amqp && amqp_start(c) < 0) {
		lab_conn_drop(c, LAB_CAUSE_PROTOCOL_ERROR, NULL);
		return -1;
	}
	while ((len = evbuffer_get_length(in)) > 0) {
		pn_rwbytes_t rb = pn_connection_driver_read_buffer(&c->amqp->driver);
		size_t n = len < rb.size ? len : rb.size;
		if (n == 0)
			break; /* Proton takes no more input now (closing) */
		evbuffer_remove(in, rb.start, n);
		pn_connection_driver_read_done(&c->amqp->driver, n);
		if (pump(c) < 0)
			return -1;
	}
	evbuffer_drain(in, evbuffer_get_length(in));
	return pump(c);
}

/* The lab's clock: a device whose token expired loses its links (a refresh before keeps them). */
void lab_amqp_tick(struct lab_conn *c, rs_time now)
{
	struct lab_amqp *a = c->amqp;
	char dev[129], kind[32];
	int closed = 0;

	if (!a)
		return;
	for (int i = 0; i < a->nauth; i++) {
		struct amqp_auth *au = &a->auth[i];
		if (!au->expiry || now < au->expiry)
			continue;
		for (pn_link_t *l = pn_link_head(a->driver.connection, 0); l;
		     l = pn_link_next(l, 0)) {
			if (!(pn_link_state(l) & PN_LOCAL_CLOSED) &&
			    device_address(link_address(l), dev, sizeof(dev), kind, sizeof(kind)) == 0 &&
			    !strcmp(dev, au->device))
				close_link(l, "amqp:unauthorized-access", "the SAS token expired (401003)");
		}
		lab_event(c->lab, LAB_EV_SAS_EXPIRED, au->device, c->chain, "the device's SAS token expired: links closed");
		au->expiry = 0;
		closed = 1;
	}
	if (closed)
		pump(c);
}

/* A cloud-to-device message to device on every open devicebound link of c with credit: 1 when sent. */
int lab_amqp_send_c2d(struct lab_conn *c, const char *device, const unsigned char *body, size_t len)
{
	struct lab_amqp *a = c->amqp;
	char dev[129], kind[32], tag[24];
	pn_message_t *m;
	int n = 0;

	if (!a || !(m = pn_message()))
		return 0;
	pn_data_put_binary(pn_message_body(m), pn_bytes(len, (const char *)body));
	for (pn_link_t *l = pn_link_head(a->driver.connection, PN_LOCAL_ACTIVE | PN_REMOTE_ACTIVE); l;
	     l = pn_link_next(l, PN_LOCAL_ACTIVE | PN_REMOTE_ACTIVE)) {
		const struct amqp_auth *au;
		if (!pn_link_is_sender(l) || pn_link_credit(l) <= 0 ||
		    device_address(link_address(l), dev, sizeof(dev), kind, sizeof(kind)) < 0 ||
		    strcasecmp(kind, "devicebound") || strcmp(dev, device) || !(au = auth_of(a, dev)) ||
		    au->expiry <= lab_now(c->lab))
			continue;
		pn_delivery(l, pn_dtag(tag, (size_t)snprintf(tag, sizeof(tag), "c2d-%lu", a->tag++)));
		n += pn_message_send(m, l, NULL) >= 0;
	}
	pn_message_free(m);
	if (n)
		pump(c);
	return n > 0;
}

static void amqp_free(struct lab_conn *c)
{
	if (!c->amqp)
		return;
	pn_connection_driver_destroy(&c->amqp->driver);
	free(c->amqp->buf);
	OPENSSL_cleanse(c->amqp, sizeof(*c->amqp));
	free(c->amqp);
	c->amqp = NULL;
}
