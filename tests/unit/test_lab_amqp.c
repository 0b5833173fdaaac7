/* test_lab_amqp.c: the lab's IoT Hub over AMQP 1.0 (lab/amqp.c) on the in-memory transport (lab/memio.c), with a
 * Qpid Proton-C connection driver as the device: SASL ANONYMOUS then CBS put-token (200, 400, 404, 401 for a bad
 * and for an expired token), telemetry accepted, links of a device without a token refused, a cloud-to-device
 * message, the links closed when the token expires (by the lab's clock), SASL PLAIN with a good and a wrong user.
 * No port, TLS, timer or thread. Facts from /work/shared/docs/azure-iot-facts.md 3.6 (as lab/amqp.c cites). */
#include "rs_test.h"

#include <proton/condition.h>
#include <proton/connection.h>
#include <proton/connection_driver.h>
#include <proton/delivery.h>
#include <proton/link.h>
#include <proton/message.h>
#include <proton/sasl.h>
#include <proton/session.h>
#include <proton/terminus.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "server.h"

#define HUB "rootshift-lab.azure-devices.net"
#define KEY "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=" /* base64 of 32 bytes */
#define T0 1767225600                                       /* 2026-01-01T00:00:00Z */

static rs_time now_s = T0;
static char events[65536];

static rs_time test_clock(void *arg)
{
	(void)arg;
	return now_s;
}

static void log_line(void *arg, const char *line)
{
	size_t n = strlen(events), k = strlen(line);

	(void)arg;
	if (n + k + 2 < sizeof(events)) {
		memcpy(events + n, line, k);
		memcpy(events + n + k, "\n", 2);
	}
}

struct fixture {
	char dir[64];
	struct lab_serve_opts opts;
	struct lab_server lab;
	struct lab_memio m;
	pn_connection_driver_t dev; /* the device */
	pn_session_t *ssn;
	pn_link_t *cbs_out, *cbs_in;
	int replies, status; /* CBS replies read, and the last status-code */
	char got[64];        /* the last message body the device received on another link */
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct lab_device devs[] = { { "dev1", KEY }, { "dev2", KEY } };
	struct rs_error err;
	char path[128];

	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/rs-lab-amqp-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(path, sizeof(path), "%s/devices.json", f->dir);
	if (lab_write_file(path, "{\"devices\":{}}", 14, 1, &err) < 0 || lab_devices_put(f->dir, devs, 2, &err) < 0)
		return -1;
	now_s = T0;
	events[0] = '\0';
	f->opts.dir = f->dir;
	f->opts.clock = test_clock;
	f->opts.log = log_line;
	f->opts.handshake_timeout = 10;
	f->opts.max_conns = 100;
	f->lab.opts = &f->opts;
	f->lab.registry = lab_registry_new(f->dir);
	f->lab.base = event_base_new(); /* timers are made on it, never run */
	snprintf(f->lab.cfg.hub_host, sizeof(f->lab.cfg.hub_host), "%s", HUB);
	*state = f;
	return f->lab.registry && f->lab.base ? 0 : -1;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char path[128];

	pn_connection_driver_destroy(&f->dev);
	lab_memio_free(&f->m);
	while (f->lab.sessions.conns)
		lab_conn_drop(f->lab.sessions.conns, LAB_CAUSE_SHUTDOWN, NULL);
	lab_hub_sessions_free(&f->lab);
	lab_registry_free(f->lab.registry);
	event_base_free(f->lab.base);
	snprintf(path, sizeof(path), "%s/devices.json", f->dir);
	unlink(path);
	rmdir(f->dir);
	free(f);
	return 0;
}

/* ---- the device side ---- */

/* An int or string application property of a received message. */
static int prop_int(pn_message_t *m, const char *key)
{
	pn_data_t *d = pn_message_properties(m);

	pn_data_rewind(d);
	if (!pn_data_next(d) || pn_data_type(d) != PN_MAP)
		return -1;
	pn_data_enter(d);
	while (pn_data_next(d)) {
		pn_bytes_t k = pn_data_get_string(d);
		if (!pn_data_next(d))
			break;
		if (k.size == strlen(key) && !memcmp(k.start, key, k.size) && pn_data_type(d) == PN_INT)
			return pn_data_get_int(d);
	}
	return -1;
}

static void on_message(struct fixture *f, pn_delivery_t *d)
{
	pn_link_t *l = pn_delivery_link(d);
	char buf[4096];
	ssize_t n;
	pn_message_t *m;

	if (!pn_delivery_readable(d) || pn_delivery_partial(d))
		return;
	n = pn_link_recv(l, buf, sizeof(buf));
	assert_true(n > 0);
	assert_non_null(m = pn_message());
	assert_int_equal(pn_message_decode(m, buf, (size_t)n), 0);
	if (l == f->cbs_in) {
		f->replies++;
		f->status = prop_int(m, "status-code");
		/* the reply answers the request: its correlation-id is the request's message-id */
		pn_data_rewind(pn_message_correlation_id(m));
		assert_true(pn_data_next(pn_message_correlation_id(m)));
		assert_int_equal(pn_data_get_ulong(pn_message_correlation_id(m)), (uint64_t)f->replies);
	} else {
		pn_data_t *b = pn_message_body(m);
		pn_data_rewind(b);
		if (pn_data_next(b) && pn_data_type(b) == PN_BINARY) {
			pn_bytes_t v = pn_data_get_binary(b);
			snprintf(f->got, sizeof(f->got), "%.*s", (int)v.size, v.start);
		}
	}
	pn_message_free(m);
	pn_link_advance(l);
	pn_delivery_update(d, PN_ACCEPTED);
	pn_delivery_settle(d);
}

/* Moves bytes both ways until neither side has more to say. */
static void pump(struct fixture *f)
{
	for (int round = 0; round < 100; round++) {
		pn_event_t *e;
		pn_bytes_t w;
		size_t n;
		int moved = 0;

		while ((e = pn_connection_driver_next_event(&f->dev)))
			if (pn_event_type(e) == PN_DELIVERY && pn_link_is_receiver(pn_event_link(e)))
				on_message(f, pn_event_delivery(e));
		while ((w = pn_connection_driver_write_buffer(&f->dev)).size > 0) {
			lab_memio_feed(&f->m, w.start, w.size);
			pn_connection_driver_write_done(&f->dev, w.size);
			moved = 1;
		}
		if (f->m.sent && (n = evbuffer_get_length(f->m.sent)) > 0) {
			pn_rwbytes_t rb = pn_connection_driver_read_buffer(&f->dev);
			size_t k = n < rb.size ? n : rb.size;
			if (k) {
				evbuffer_remove(f->m.sent, rb.start, k);
				pn_connection_driver_read_done(&f->dev, k);
				moved = 1;
			}
		}
		if (!moved && !pn_connection_driver_has_event(&f->dev))
			return;
	}
	fail_msg("the AMQP exchange does not settle");
}

/* Opens the device's connection (SASL mech, with user and password for PLAIN) and session, over the lab. */
static void device_open(struct fixture *f, const char *mech, const char *user, const char *pass)
{
	pn_connection_t *cn;
	pn_sasl_t *sasl;

	assert_non_null(lab_memio_connect(&f->lab, &f->m, LAB_PROTO_AMQP, lab_amqp_on_data));
	assert_int_equal(pn_connection_driver_init(&f->dev, NULL, NULL), 0);
	cn = f->dev.connection;
	sasl = pn_sasl(f->dev.transport);
	pn_sasl_allowed_mechs(sasl, mech);
	pn_sasl_set_allow_insecure_mechs(sasl, true);
	if (user) {
		pn_connection_set_user(cn, user);
		pn_connection_set_password(cn, pass);
	}
	pn_connection_set_hostname(cn, HUB);
	pn_connection_open(cn);
	f->ssn = pn_session(cn);
	pn_session_open(f->ssn);
	pump(f);
}

static pn_link_t *device_link(struct fixture *f, int sender, const char *name, const char *addr, int credit)
{
	pn_link_t *l = sender ? pn_sender(f->ssn, name) : pn_receiver(f->ssn, name);

	pn_terminus_set_address(sender ? pn_link_target(l) : pn_link_source(l), addr);
	pn_link_open(l);
	if (credit)
		pn_link_flow(l, credit);
	pump(f);
	return l;
}

static void cbs_links(struct fixture *f)
{
	f->cbs_out = device_link(f, 1, "cbs-out", "$cbs", 0);
	f->cbs_in = device_link(f, 0, "cbs-in", "$cbs", 10);
	assert_true(pn_link_credit(f->cbs_out) > 0);
}

/* Sends m (consumed) on l; returns its delivery. */
static pn_delivery_t *send_msg(struct fixture *f, pn_link_t *l, pn_message_t *m, const char *tag)
{
	pn_delivery_t *d = pn_delivery(l, pn_dtag(tag, strlen(tag)));

	assert_true(pn_message_send(m, l, NULL) >= 0);
	pn_message_free(m);
	pump(f);
	return d;
}

/* A CBS request: returns the reply's status-code. */
static int cbs(struct fixture *f, const char *op, const char *name, const char *token)
{
	pn_message_t *m = pn_message();
	pn_data_t *p;
	int before = f->replies;

	assert_non_null(m);
	pn_data_put_ulong(pn_message_id(m), (uint64_t)before + 1);
	pn_message_set_reply_to(m, "cbs-in");
	p = pn_message_properties(m);
	pn_data_put_map(p);
	pn_data_enter(p);
	pn_data_put_string(p, pn_bytes(9, "operation"));
	pn_data_put_string(p, pn_bytes(strlen(op), op));
	pn_data_put_string(p, pn_bytes(4, "type"));
	pn_data_put_string(p, pn_bytes(strlen("azure-devices.net:sastoken"), "azure-devices.net:sastoken"));
	if (name) {
		pn_data_put_string(p, pn_bytes(4, "name"));
		pn_data_put_string(p, pn_bytes(strlen(name), name));
	}
	pn_data_exit(p);
	if (token)
		pn_data_put_string(pn_message_body(m), pn_bytes(strlen(token), token));
	send_msg(f, f->cbs_out, m, "cbs");
	assert_int_equal(f->replies, before + 1);
	return f->status;
}

static char *token(const char *dev, const char *key, rs_time expiry)
{
	char res[256];
	struct rs_error err;
	char *t;

	snprintf(res, sizeof(res), HUB "/devices/%s", dev);
	assert_non_null(t = rs_sas_make(res, key, expiry, NULL, &err));
	return t;
}

static const char *remote_cond(pn_link_t *l)
{
	return pn_link_state(l) & PN_REMOTE_CLOSED ? pn_condition_get_name(pn_link_remote_condition(l)) : NULL;
}

static pn_message_t *body_msg(const char *text)
{
	pn_message_t *m = pn_message();

	assert_non_null(m);
	pn_data_put_binary(pn_message_body(m), pn_bytes(strlen(text), text));
	return m;
}

static void test_cbs_and_links(void **state)
{
	struct fixture *f = *state;
	char *good = token("dev1", KEY, T0 + 600), *old = token("dev1", KEY, T0 - 1),
	     *wrong = token("dev1", "ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA=", T0 + 600);
	pn_link_t *events_link, *stranger, *nowhere, *c2d;
	pn_delivery_t *d;

	device_open(f, "ANONYMOUS", NULL, NULL);
	assert_int_equal(pn_sasl_outcome(pn_sasl(f->dev.transport)), PN_SASL_OK);
	assert_non_null(strstr(events, "\"event\":\"amqp-header\""));
	cbs_links(f);
	assert_int_equal(cbs(f, "delete-token", HUB "/devices/dev1", good), 400);
	assert_int_equal(cbs(f, "put-token", NULL, good), 400);                 /* no name */
	assert_int_equal(cbs(f, "put-token", HUB "/modules/m1", good), 404);    /* not a device's audience */
	assert_int_equal(cbs(f, "put-token", HUB "/devices/dev1", wrong), 401); /* another key */
	assert_int_equal(cbs(f, "put-token", HUB "/devices/dev1", old), 401);   /* expired */
	assert_non_null(strstr(events, "\"event\":\"auth-failure\""));
	assert_int_not_equal(f->m.conn->state, LAB_ST_AMQP);
	assert_int_equal(f->m.conn->device_id[0], '\0'); /* nobody authenticated yet */

	/* a link before the token: refused */
	stranger = device_link(f, 1, "early", "/devices/dev1/messages/events", 0);
	assert_string_equal(remote_cond(stranger), "amqp:unauthorized-access");

	assert_int_equal(cbs(f, "put-token", HUB "/devices/dev1", good), 200);
	assert_string_equal(f->m.conn->device_id, "dev1");
	assert_int_equal(f->m.conn->state, LAB_ST_AMQP);
	assert_non_null(strstr(events, "\"event\":\"connect\""));

	events_link = device_link(f, 1, "events", "amqps://" HUB "/devices/dev1/messages/events", 0);
	assert_null(remote_cond(events_link));
	assert_true(pn_link_credit(events_link) > 0);
	d = send_msg(f, events_link, body_msg("{\"t\":21}"), "t1");
	assert_int_equal(pn_delivery_remote_state(d), PN_ACCEPTED);
	assert_int_equal(f->lab.n.telemetry, 1);
	/* another device's links, and nodes IoT Hub does not have */
	stranger = device_link(f, 1, "dev2", "/devices/dev2/messages/events", 0);
	assert_string_equal(remote_cond(stranger), "amqp:unauthorized-access");
	nowhere = device_link(f, 1, "twin", "/devices/dev1/twin", 0);
	assert_string_equal(remote_cond(nowhere), "amqp:not-found");
	nowhere = device_link(f, 1, "queue", "/devices/dev1/messages/deadletter", 0);
	assert_string_equal(remote_cond(nowhere), "amqp:not-found");

	/* cloud to device */
	c2d = device_link(f, 0, "c2d", "/devices/dev1/messages/devicebound", 5);
	assert_null(remote_cond(c2d));
	assert_int_equal(lab_amqp_send_c2d(f->m.conn, "dev2", (const unsigned char *)"no", 2), 0);
	assert_int_equal(lab_amqp_send_c2d(f->m.conn, "dev1", (const unsigned char *)"hello", 5), 1);
	pump(f);
	assert_string_equal(f->got, "hello");

	/* the token expires: the device's links are closed, the connection stays */
	now_s = T0 + 599;
	lab_amqp_tick(f->m.conn, now_s);
	pump(f);
	assert_null(remote_cond(events_link));
	now_s = T0 + 600;
	lab_amqp_tick(f->m.conn, now_s);
	pump(f);
	assert_string_equal(remote_cond(events_link), "amqp:unauthorized-access");
	assert_string_equal(remote_cond(c2d), "amqp:unauthorized-access");
	assert_null(remote_cond(f->cbs_out));
	assert_non_null(strstr(events, "\"event\":\"sas-expired\""));
	assert_int_equal(lab_amqp_send_c2d(f->m.conn, "dev1", (const unsigned char *)"late", 4), 0);
	assert_false(f->m.closed);
	/* the device closes its CBS links, its session and its connection: the lab answers each, and the session
	 * ends as the client's doing */
	pn_link_close(f->cbs_in);
	pn_link_close(f->cbs_out);
	pump(f);
	assert_true(pn_link_state(f->cbs_in) & PN_REMOTE_CLOSED);
	pn_session_close(f->ssn);
	pn_connection_close(f->dev.connection);
	pump(f);
	assert_true(pn_session_state(f->ssn) & PN_REMOTE_CLOSED);
	assert_true(f->m.closed);
	assert_non_null(strstr(events, "\"event\":\"disconnect\""));
	assert_non_null(strstr(events, "\"cause\":\"client\""));
	free(good);
	free(old);
	free(wrong);
}

static void test_sasl_plain(void **state)
{
	struct fixture *f = *state;
	char *good = token("dev2", KEY, T0 + 600);

	device_open(f, "PLAIN", "dev2@sas." HUB, good);
	assert_int_equal(pn_sasl_outcome(pn_sasl(f->dev.transport)), PN_SASL_OK);
	assert_string_equal(f->m.conn->device_id, "dev2");
	assert_non_null(strstr(events, "amqp sasl-plain"));
	free(good);
}

static void test_sasl_plain_wrong_user(void **state)
{
	struct fixture *f = *state;
	char *good = token("dev2", KEY, T0 + 600);

	device_open(f, "PLAIN", "dev2@sas.other-hub.azure-devices.net", good);
	assert_int_equal(pn_sasl_outcome(pn_sasl(f->dev.transport)), PN_SASL_AUTH);
	assert_non_null(strstr(events, "SASL PLAIN user is not {deviceId}@sas.{hubname}"));
	assert_int_equal(f->lab.n.auth_failures, 1);
	assert_true(f->m.closed);
	free(good);
}

/* Bytes that are not AMQP: the connection closes (with no event past amqp-header: no session had begun). */
static void test_not_amqp(void **state)
{
	struct fixture *f = *state;
	static const char junk[] = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";

	assert_non_null(lab_memio_connect(&f->lab, &f->m, LAB_PROTO_AMQP, lab_amqp_on_data));
	assert_int_equal(pn_connection_driver_init(&f->dev, NULL, NULL), 0); /* for teardown */
	lab_memio_feed(&f->m, junk, strlen(junk));
	assert_true(f->m.closed);
	assert_null(strstr(events, "\"event\":\"connect\""));
	assert_int_equal(f->lab.sessions.nconns, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_cbs_and_links, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sasl_plain, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sasl_plain_wrong_user, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_amqp, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
