/*
 * amqp.c: a device's AMQP 1.0 connection to IoT Hub, as the Azure IoT C SDK opens it (azure-iot-facts.md 3.6),
 * with Qpid Proton-C as the engine, driven by the fleet's own bufferevent through the connection-driver API
 * (proton/connection_driver.h): SASL MSSBCBS (uamqp's sasl_mssbcbs.c: an empty initial response), the
 * connection and a session, then CBS: a sender to "$cbs" and a receiver from it (uamqp cbs.c), and a put-token
 * request (application properties operation=put-token, type=servicebus.windows.net:sastoken, name = the audience
 * "{host}/devices/{id}"; the SAS token as an AMQP string body). The reply's status-code decides: 200 is a
 * session, 401 a rejected credential. A SASL failure is a rejected credential too.
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

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <openssl/crypto.h>

#include "run.h"

struct fleet_amqp {
	pn_connection_driver_t driver;
	pn_link_t *cbs_out, *cbs_in;
	char *token;    /* the SAS token, sent once the $cbs receiver is open */
	char audience[300];
	int sent, code; /* code: -1 until decided */
	int requests;   /* put-token requests sent */
};

/* ---- SASL MSSBCBS, the client side (Proton's own client knows PLAIN, ANONYMOUS and EXTERNAL only) ---- */

static void s_free(pn_transport_t *t)
{
	(void)t;
}

static const char *s_mechs(pn_transport_t *t)
{
	(void)t;
	return "MSSBCBS";
}

static bool s_false(pn_transport_t *t)
{
	(void)t;
	return false;
}

static bool s_true(pn_transport_t *t)
{
	(void)t;
	return true;
}

static void s_none(pn_transport_t *t)
{
	(void)t;
}

static void s_init(pn_transport_t *t, const char *mech, const pn_bytes_t *recv)
{
	(void)t;
	(void)mech;
	(void)recv;
}

static void s_bytes(pn_transport_t *t, const pn_bytes_t *recv)
{
	(void)t;
	(void)recv;
}

static bool s_mechanisms(pn_transport_t *t, const char *mechs)
{
	const char *f = strstr(mechs, "MSSBCBS");

	if (!f || (f != mechs && f[-1] != ' ') || (f[7] && f[7] != ' '))
		return false;
	pnx_sasl_set_selected_mechanism(t, "MSSBCBS");
	pnx_sasl_set_bytes_out(t, pn_bytes(0, ""));
	pnx_sasl_set_desired_state(t, SASL_POSTED_INIT);
	return true;
}

static ssize_t s_max(pn_transport_t *t)
{
	(void)t;
	return 0;
}

static ssize_t s_code(pn_transport_t *t, pn_bytes_t in, pn_bytes_t *out)
{
	(void)t;
	(void)in;
	(void)out;
	return 0;
}

static const pnx_sasl_implementation mssbcbs = {
	s_free, s_mechs, s_false, s_true, s_none, s_init, s_bytes, s_mechanisms, s_bytes, s_bytes,
	s_false, s_max, s_code, s_code,
};

/* ---- the connection ---- */

static void put_token(struct fleet_amqp *a)
{
	pn_message_t *m = pn_message();
	pn_data_t *p;
	pn_atom_t id;
	char tag[24];

	if (!m)
		return;
	id.type = PN_ULONG;
	id.u.as_ulong = (uint64_t)++a->requests;
	pn_message_set_id(m, id);
	pn_message_set_reply_to(m, "cbs");
	p = pn_message_properties(m);
	pn_data_put_map(p);
	pn_data_enter(p);
	pn_data_put_string(p, pn_bytes(9, "operation"));
	pn_data_put_string(p, pn_bytes(9, "put-token"));
	pn_data_put_string(p, pn_bytes(4, "type"));
	pn_data_put_string(p, pn_bytes(31, "servicebus.windows.net:sastoken"));
	pn_data_put_string(p, pn_bytes(4, "name"));
	pn_data_put_string(p, pn_bytes(strlen(a->audience), a->audience));
	pn_data_exit(p);
	pn_data_put_string(pn_message_body(m), pn_bytes(strlen(a->token), a->token));
	pn_delivery(a->cbs_out, pn_dtag(tag, (size_t)snprintf(tag, sizeof(tag), "%d", a->requests)));
	pn_message_send(m, a->cbs_out, NULL);
	pn_message_free(m);
	a->sent = 1;
}

static int status_of(pn_message_t *m)
{
	pn_data_t *d = pn_message_properties(m);

	pn_data_rewind(d);
	if (!pn_data_next(d) || pn_data_type(d) != PN_MAP)
		return -1;
	pn_data_enter(d);
	while (pn_data_next(d)) {
		pn_bytes_t k = pn_data_type(d) == PN_STRING ? pn_data_get_string(d) : pn_bytes(0, "");
		if (!pn_data_next(d))
			break;
		if (k.size == 11 && !memcmp(k.start, "status-code", 11))
			return pn_data_type(d) == PN_INT ? pn_data_get_int(d) : -1;
	}
	return -1;
}

static void on_reply(struct fleet_amqp *a, pn_delivery_t *d)
{
	char buf[4096];
	ssize_t n = pn_link_recv(pn_delivery_link(d), buf, sizeof(buf));
	pn_message_t *m;
	int status = -1;

	if (pn_delivery_partial(d))
		return;
	pn_link_advance(pn_delivery_link(d));
	if (n > 0 && (m = pn_message())) {
		if (pn_message_decode(m, buf, (size_t)n) == 0)
			status = status_of(m);
		pn_message_free(m);
	}
	pn_delivery_update(d, PN_ACCEPTED);
	pn_delivery_settle(d);
	a->code = status == 200 ? RS_PROBE_OK
		  : status == 401 || status == 403 ? RS_PROBE_OK_AUTH_REJECTED : RS_PROBE_PROTOCOL_ERROR;
}

static void handle(struct fleet_amqp *a, pn_event_t *e)
{
	switch (pn_event_type(e)) {
	case PN_CONNECTION_INIT: {
		pn_connection_t *cn = pn_event_connection(e);
		pn_session_t *s = pn_session(cn);
		pn_connection_open(cn);
		pn_session_open(s);
		a->cbs_out = pn_sender(s, "cbs-sender");
		pn_terminus_set_address(pn_link_target(a->cbs_out), "$cbs");
		pn_link_open(a->cbs_out);
		a->cbs_in = pn_receiver(s, "cbs-receiver");
		pn_terminus_set_address(pn_link_source(a->cbs_in), "$cbs");
		pn_terminus_set_address(pn_link_target(a->cbs_in), "cbs");
		pn_link_open(a->cbs_in);
		pn_link_flow(a->cbs_in, 1);
		break;
	}
	case PN_LINK_FLOW:
		if (pn_event_link(e) == a->cbs_out && !a->sent && pn_link_credit(a->cbs_out) > 0)
			put_token(a);
		break;
	case PN_DELIVERY:
		if (pn_event_link(e) == a->cbs_in && pn_delivery_readable(pn_event_delivery(e))) {
			on_reply(a, pn_event_delivery(e));
			pn_link_flow(a->cbs_in, 1); /* room for the next reply (a refresh) */
		} else if (pn_event_link(e) == a->cbs_out && pn_delivery_remote_state(pn_event_delivery(e))) {
			pn_delivery_settle(pn_event_delivery(e));
		}
		break;
	case PN_TRANSPORT_ERROR: {
		const char *name = pn_condition_get_name(pn_transport_condition(pn_event_transport(e)));
		if (a->code < 0)
			a->code = name && !strcmp(name, "amqp:unauthorized-access") ? RS_PROBE_OK_AUTH_REJECTED
										: RS_PROBE_PROTOCOL_ERROR;
		break;
	}
	case PN_TRANSPORT_CLOSED:
		if (a->code < 0)
			a->code = RS_PROBE_PROTOCOL_ERROR;
		break;
	default:
		break;
	}
}

static int flush(struct fleet_conn *c)
{
	pn_bytes_t w;

	while ((w = pn_connection_driver_write_buffer(&c->amqp->driver)).size > 0) {
		if (bufferevent_write(c->bev, w.start, w.size) < 0)
			return -1;
		pn_connection_driver_write_done(&c->amqp->driver, w.size);
	}
	return 0;
}

static int pump(struct fleet_conn *c)
{
	pn_event_t *e;

	while ((e = pn_connection_driver_next_event(&c->amqp->driver)))
		handle(c->amqp, e);
	return flush(c);
}

int fleet_amqp_open(struct fleet_conn *c, const char *id, const char *audience, const char *token)
{
	struct fleet_amqp *a;
	pn_transport_t *t;

	fleet_amqp_free(c);
	if (!(a = calloc(1, sizeof(*a))) || !(a->token = strdup(token)) || !(t = pn_transport())) {
		if (a)
			free(a->token);
		free(a);
		return -1;
	}
	a->code = -1;
	snprintf(a->audience, sizeof(a->audience), "%s", audience);
	pn_sasl_set_allow_insecure_mechs(pn_sasl(t), true); /* TLS is the fleet's own, below Proton */
	pnx_sasl_set_implementation(t, &mssbcbs, NULL);
	if (pn_connection_driver_init(&a->driver, NULL, t) != 0) {
		OPENSSL_cleanse(a->token, strlen(a->token));
		free(a->token);
		free(a);
		return -1;
	}
	pn_connection_set_container(a->driver.connection, id);
	pn_connection_set_hostname(a->driver.connection, c->hub);
	c->amqp = a;
	return pump(c);
}

int fleet_amqp_answer(struct fleet_conn *c, struct evbuffer *in, int *code)
{
	struct fleet_amqp *a = c->amqp;
	size_t len;

	if (!a) {
		*code = RS_PROBE_PROTOCOL_ERROR;
		return 1;
	}
	while ((len = evbuffer_get_length(in)) > 0 && a->code < 0) {
		pn_rwbytes_t rb = pn_connection_driver_read_buffer(&a->driver);
		size_t n = len < rb.size ? len : rb.size;
		if (n == 0)
			break;
		evbuffer_remove(in, rb.start, n);
		pn_connection_driver_read_done(&a->driver, n);
		if (pump(c) < 0)
			a->code = RS_PROBE_PROTOCOL_ERROR;
	}
	evbuffer_drain(in, evbuffer_get_length(in));
	if (a->code < 0)
		return 0;
	*code = a->code;
	return 1;
}

/* What the lab sends on a held connection (a refresh's reply, a link closing): through Proton, answers included. */
void fleet_amqp_feed(struct fleet_conn *c, struct evbuffer *in)
{
	int code;

	if (c->amqp)
		c->amqp->code = -1;
	fleet_amqp_answer(c, in, &code);
}

/* The C SDK's CBS refresh at 80 % of the token's lifetime, on the same connection (azure-iot-facts.md 2.3): a new
 * put-token with a new token. */
int fleet_amqp_refresh(struct fleet_conn *c, const char *token)
{
	struct fleet_amqp *a = c->amqp;
	char *t;

	if (!a || !a->cbs_out || !(t = strdup(token)))
		return -1;
	OPENSSL_cleanse(a->token, strlen(a->token));
	free(a->token);
	a->token = t;
	put_token(a);
	return pump(c);
}

void fleet_amqp_free(struct fleet_conn *c)
{
	struct fleet_amqp *a = c->amqp;

	if (!a)
		return;
	pn_connection_driver_destroy(&a->driver);
	OPENSSL_cleanse(a->token, strlen(a->token));
	free(a->token);
	free(a);
	c->amqp = NULL;
}
