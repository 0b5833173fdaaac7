/*
 * conn.c: one device's connections as a real non-blocking TLS client (libevent, bufferevent_openssl): an attempt
 * (DPS first for classes that provision, then the hub), the device's own check of the served chain at its own
 * time, and the session's connection held afterwards: MQTT answers PINGREQ at the keep-alive in virtual time, AMQP
 * stays silent; when the target closes it, the device reconnects by its backoff policy.
 */
#include <errno.h>
#include <event2/bufferevent_ssl.h>
#include <arpa/inet.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"

static int conn_idx = -1;

/* ---- the device's check of the served chain ---- */

static int add_x509(struct rs_certlist *list, X509 *x)
{
	unsigned char *der = NULL;
	int len = i2d_X509(x, &der), rv = -1;
	struct rs_cert *cert;

	if (len > 0 && (cert = rs_cert_from_der(der, (size_t)len, NULL)) != NULL) {
		rv = rs_certlist_add(list, cert, NULL, NULL);
		rs_cert_free(cert);
	}
	OPENSSL_free(der);
	return rv;
}

static int pinned(const struct fleet_class_rt *cr, const struct rs_certlist *chain)
{
	for (size_t i = 0; i < rs_certlist_count(chain); i++)
		for (size_t j = 0; j < cr->npins; j++)
			if (!strcmp(rs_cert_sha256(rs_certlist_at(chain, i)), cr->pins[j]))
				return 1;
	return 0;
}

/* The window of time around at in which no certificate of list changes validity. */
static void narrow(const struct rs_certlist *list, rs_time at, rs_time *lo, rs_time *hi)
{
	for (size_t i = 0; i < rs_certlist_count(list); i++) {
		const struct rs_cert *c = rs_certlist_at(list, i);
		rs_time b[2] = { rs_cert_not_before(c), rs_cert_not_after(c) + 1 };
		for (int k = 0; k < 2; k++) {
			if (b[k] <= at && b[k] > *lo)
				*lo = b[k];
			if (b[k] > at && b[k] < *hi)
				*hi = b[k];
		}
	}
}

static int chain_digest(X509 *leaf, STACK_OF(X509) *sk, unsigned char md[SHA256_DIGEST_LENGTH])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1;

	for (int k = -1; ok && sk && k < sk_X509_num(sk); k++) {
		X509 *x = k < 0 ? leaf : sk_X509_value(sk, k);
		unsigned char *der = NULL;
		int len = i2d_X509(x, &der);
		ok = len > 0 && EVP_DigestUpdate(ctx, der, (size_t)len) == 1;
		OPENSSL_free(der);
	}
	ok = ok && EVP_DigestFinal_ex(ctx, md, NULL) == 1;
	EVP_MD_CTX_free(ctx);
	return ok ? 0 : -1;
}

/* The full check: rootshift's path builder against the class's store, then the pins. */
static int verify_full(struct fleet_class_rt *cr, enum fleet_stage stage, X509 *leaf, STACK_OF(X509) *sk, rs_time at,
		       rs_time *lo, rs_time *hi)
{
	struct rs_certlist *chain = rs_certlist_new();
	struct rs_verify_result *vr = NULL;
	int code = RS_PROBE_INTERNAL_ERROR; /* until the path builder has judged: memory is no verdict */

	if (!chain || add_x509(chain, leaf) < 0)
		goto out;
	for (int k = 0; sk && k < sk_X509_num(sk); k++)
		if (X509_cmp(sk_X509_value(sk, k), leaf) && add_x509(chain, sk_X509_value(sk, k)) < 0)
			goto out;
	rs_verify_opts_set_time(cr->vopts[stage], at);
	if (!(vr = rs_verify(chain, NULL, cr->store, cr->vopts[stage], NULL)))
		goto out;
	if (!rs_verify_result_ok(vr))
		code = rs_probe_code_for_verify(rs_verify_result_reason(vr));
	else if (cr->npins && !pinned(cr, chain))
		code = RS_PROBE_CERT_UNTRUSTED; /* the pinned intermediate is not in the served chain */
	else
		code = RS_PROBE_OK;
	narrow(chain, at, lo, hi);
	narrow(cr->store, at, lo, hi);
out:
	rs_verify_result_free(vr);
	rs_certlist_free(chain);
	return code;
}

static int cached_verdict(struct fleet_class_rt *cr, const struct fleet_conn *c, X509 *leaf, STACK_OF(X509) *sk,
			  rs_time at)
{
	unsigned char md[SHA256_DIGEST_LENGTH];
	struct fleet_verdict_cache *v;

	if (chain_digest(leaf, sk, md) < 0)
		return verify_full(cr, c->stage, leaf, sk, at, &(rs_time){ 0 }, &(rs_time){ 0 });
	for (int i = 0; i < FLEET_CACHE_SLOTS; i++) {
		v = &cr->cache[i];
		if (v->used && v->stage == (int)c->stage && !memcmp(v->chain, md, sizeof(md)) && v->lo <= at && at < v->hi)
			return v->code;
	}
	v = &cr->cache[cr->cache_next++ % FLEET_CACHE_SLOTS];
	v->lo = INT64_MIN;
	v->hi = INT64_MAX;
	v->code = verify_full(cr, c->stage, leaf, sk, at, &v->lo, &v->hi);
	memcpy(v->chain, md, sizeof(md));
	v->stage = (int)c->stage;
	v->used = v->code != RS_PROBE_INTERNAL_ERROR; /* a failure of ours is never cached as the chain's verdict */
	return v->code;
}

/* The device's own check of the served chain at its own time (verdicts reused within a validity window). */
static int verify_cb(X509_STORE_CTX *xs, void *arg)
{
	SSL *ssl = X509_STORE_CTX_get_ex_data(xs, SSL_get_ex_data_X509_STORE_CTX_idx());
	struct fleet_conn *c = ssl ? SSL_get_ex_data(ssl, conn_idx) : NULL;
	X509 *leaf = X509_STORE_CTX_get0_cert(xs);
	int code;

	(void)arg;
	if (!c || !leaf) {
		X509_STORE_CTX_set_error(xs, X509_V_ERR_CERT_REJECTED);
		return 0;
	}
	c->run->res->handshakes++; /* the server has signed: a handshake, whatever the device decides */
	code = cached_verdict(&c->run->cls[c->run->dev[c->dev].cls], c, leaf, X509_STORE_CTX_get0_untrusted(xs),
			      fleet_device_time(c->run, c->dev, c->t));
	if (code == RS_PROBE_OK)
		return 1;
	c->code = code;
	X509_STORE_CTX_set_error(xs, X509_V_ERR_CERT_REJECTED);
	return 0;
}

/* ---- connections ---- */

static void put_conn(struct fleet_run *r, struct fleet_conn *c)
{
	if (c->bev)
		bufferevent_free(c->bev);
	c->bev = NULL;
	fleet_amqp_free(c);
	c->next_free = r->free_conns;
	r->free_conns = c;
}

static void on_read(struct bufferevent *bev, void *arg);
/* Whether the TLS layer failed on its own account. libevent's TLS bufferevent queues the SSL_get_error() code first,
 * then OpenSSL's error queue (conn_closed in libevent's bufferevent_openssl.c): a connection refused before any
 * byte left gives SSL_ERROR_SYSCALL alone, with errno ECONNREFUSED, which is a refusal, not an alert. */
static int tls_failed(struct bufferevent *bev)
{
	unsigned long e;
	int failed = 0;

	while ((e = bufferevent_get_openssl_error(bev)) != 0)
		if (e != SSL_ERROR_SYSCALL)
			failed = 1;
	return failed;
}

static void on_event(struct bufferevent *bev, short what, void *arg);

/* Opens the connection of the conn's stage: TLS to DPS's name or the hub's. 0, 1 when the port refused at once,
 * 2 when it failed on our side (memory, no socket: an internal error, never a device's verdict). */
static int open_stage(struct fleet_conn *c)
{
	struct fleet_run *r = c->run;
	const struct fleet_class *cl = &r->spec->classes[r->dev[c->dev].cls];
	struct timeval tv = { r->target->timeout_ms / 1000, (r->target->timeout_ms % 1000) * 1000 };
	int one = 1, proto = c->stage == FLEET_STAGE_HUB ? (int)cl->proto : cl->dps == FLEET_DPS_MQTT ? FLEET_MQTT : FLEET_HTTPS;
	const char *name;
	SSL *ssl;

	c->code = -1;
	c->tls_done = 0;
	if (!(ssl = SSL_new(r->cls[r->dev[c->dev].cls].ctx)))
		return 2;
	name = c->stage == FLEET_STAGE_HUB ? c->hub : r->target->dps_host;
	SSL_set_tlsext_host_name(ssl, name);
	SSL_set_ex_data(ssl, conn_idx, c);
	if (!(c->bev = bufferevent_openssl_socket_new(r->base, -1, ssl, BUFFEREVENT_SSL_CONNECTING, BEV_OPT_CLOSE_ON_FREE))) {
		SSL_free(ssl);
		return 2;
	}
	bufferevent_openssl_set_allow_dirty_shutdown(c->bev, 1);
	bufferevent_setcb(c->bev, on_read, NULL, on_event, c);
	bufferevent_set_timeouts(c->bev, &tv, &tv);
	bufferevent_enable(c->bev, EV_READ | EV_WRITE);
	/* libevent reports a refusal as an event; a failure here is socket(2) or connect(2) failing on our side,
	 * or an immediate refusal (bufferevent_socket_connect in libevent's bufferevent_sock.c) */
	if (bufferevent_socket_connect(c->bev, (struct sockaddr *)&r->addr[proto], sizeof(r->addr[0])) < 0)
		return EVUTIL_SOCKET_ERROR() == ECONNREFUSED ? 1 : 2;
	/* small writes (the CONNECT after the handshake) must not wait for a delayed ACK */
	setsockopt(bufferevent_getfd(c->bev), IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return 0;
}

static void on_held_read(struct bufferevent *bev, void *arg);
static void on_held_event(struct bufferevent *bev, short what, void *arg);

/* The session keeps its connection: no timeouts but a ping's, pings every keep-alive of virtual time. */
static void hold(struct fleet_run *r, struct fleet_conn *c)
{
	const struct fleet_class *cl = &r->spec->classes[r->dev[c->dev].cls];

	r->dev[c->dev].held = c;
	c->ping_pending = 0;
	if (++r->nheld > r->res->peak_held)
		r->res->peak_held = r->nheld;
	bufferevent_set_timeouts(c->bev, NULL, NULL);
	bufferevent_setcb(c->bev, on_held_read, NULL, on_held_event, c);
	if (cl->proto == FLEET_MQTT && cl->keep_alive > 0 && cl->pings)
		fleet_push(r, c->t + cl->keep_alive, c->dev, FLEET_EV_PING);
}

static void conn_done(struct fleet_conn *c, int code)
{
	struct fleet_run *r = c->run;
	uint32_t i = c->dev;
	const struct fleet_class *cl = &r->spec->classes[r->dev[i].cls];

	r->inflight--;
	if (code != RS_PROBE_OK) {
		fleet_session_failed(r, i, c->t, (struct fleet_outcome){ (enum rs_probe_code)code, c->stage });
		put_conn(r, c);
		return;
	}
	fleet_session_up(r, i, c->t);
	if (fleet_class_holds(cl) && r->nheld < (unsigned)r->target->max_held) {
		hold(r, c);
		return;
	}
	if (fleet_class_holds(cl))
		r->res->modelled++;
	put_conn(r, c);
}

/* DPS assigned a hub: on to it, in the same attempt. */
static void next_stage(struct fleet_conn *c)
{
	static const unsigned char disconnect[2] = { 0xe0, 0x00 };
	int rv;

	bufferevent_write(c->bev, disconnect, sizeof(disconnect));
	bufferevent_free(c->bev);
	c->bev = NULL;
	c->stage = FLEET_STAGE_HUB;
	rv = open_stage(c);
	if (rv != 0)
		conn_done(c, fleet_classify_open(rv));
}

static void on_read(struct bufferevent *bev, void *arg)
{
	struct fleet_conn *c = arg;
	int code = RS_PROBE_PROTOCOL_ERROR, k = fleet_proto_answer(c, bufferevent_get_input(bev), &code);

	if (k == 2)
		next_stage(c);
	else if (k == 1)
		conn_done(c, code);
	else if (evbuffer_get_length(bufferevent_get_input(bev)) > 65536)
		conn_done(c, RS_PROBE_PROTOCOL_ERROR);
}

static void on_event(struct bufferevent *bev, short what, void *arg)
{
	struct fleet_conn *c = arg;
	struct fleet_conn_end end;

	if (what & BEV_EVENT_CONNECTED) {
		c->tls_done = 1;
		if (fleet_proto_opening(c) < 0)
			conn_done(c, RS_PROBE_INTERNAL_ERROR); /* an encoding or a buffer of ours failed */
		return;
	}
	end = (struct fleet_conn_end){ .timeout = !!(what & BEV_EVENT_TIMEOUT), .tls_done = c->tls_done, .verdict = c->code,
				       .refused = EVUTIL_SOCKET_ERROR() == ECONNREFUSED };
	end.ssl_error = tls_failed(bev);
	while (ERR_get_error())
		;
	conn_done(c, fleet_classify_end(&end));
}

int fleet_conn_start(struct fleet_run *r, uint32_t i, int64_t t)
{
	const struct fleet_class *cl = &r->spec->classes[r->dev[i].cls];
	struct fleet_conn *c = r->free_conns;
	int rv;

	if (c)
		r->free_conns = c->next_free;
	else if (!(c = calloc(1, sizeof(*c))))
		return -1;
	else {
		c->next_all = r->all_conns;
		r->all_conns = c;
	}
	c->run = r;
	c->dev = i;
	c->t = t;
	c->step = 0;
	c->op[0] = '\0';
	c->stage = cl->dps != FLEET_DPS_NONE ? FLEET_STAGE_DPS : FLEET_STAGE_HUB;
	snprintf(c->hub, sizeof(c->hub), "%s", r->target->host);
	r->res->stats[r->dev[i].cls * r->res->nphases + r->phase].attempts++;
	r->inflight++;
	if ((rv = open_stage(c)) != 0)
		conn_done(c, fleet_classify_open(rv));
	return 0;
}

/* ---- held connections ---- */

void fleet_conn_release(struct fleet_run *r, uint32_t i)
{
	static const unsigned char disconnect[2] = { 0xe0, 0x00 };
	struct fleet_conn *c = r->dev[i].held;

	if (!c)
		return;
	if (c->ping_pending)
		r->pings_out--;
	if (r->spec->classes[r->dev[i].cls].proto == FLEET_MQTT)
		bufferevent_write(c->bev, disconnect, sizeof(disconnect));
	r->dev[i].held = NULL;
	r->nheld--;
	put_conn(r, c);
}

/* The target closed a held connection (a forced disconnect, keep-alive, a kick): a drop at the current time. */
static void held_lost(struct fleet_conn *c)
{
	struct fleet_run *r = c->run;
	uint32_t i = c->dev;

	fleet_conn_release(r, i);
	fleet_session_dropped(r, i, r->now);
}

static void on_held_read(struct bufferevent *bev, void *arg)
{
	struct fleet_conn *c = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	struct rs_mqtt_packet pkt;
	size_t used;
	int rc;

	if (c->run->spec->classes[c->run->dev[c->dev].cls].proto != FLEET_MQTT) {
		if (c->amqp)
			fleet_amqp_feed(c, in); /* a refresh's reply, or a link the lab closed */
		evbuffer_drain(in, evbuffer_get_length(in));
		return;
	}
	while ((rc = rs_mqtt_decode(evbuffer_pullup(in, -1), evbuffer_get_length(in), 65536, &pkt, &used, NULL)) > 0) {
		if (pkt.type == RS_MQTT_PINGRESP && c->ping_pending) {
			c->ping_pending = 0;
			c->run->pings_out--;
			c->run->res->pings++;
			bufferevent_set_timeouts(c->bev, NULL, NULL);
		}
		evbuffer_drain(in, used);
	}
	if (rc < 0)
		held_lost(c);
}

static void on_held_event(struct bufferevent *bev, short what, void *arg)
{
	(void)bev;
	(void)what;
	while (ERR_get_error())
		;
	held_lost(arg);
}

void fleet_conn_ping(struct fleet_run *r, uint32_t i, int64_t t)
{
	static const unsigned char pingreq[2] = { 0xc0, 0x00 };
	struct fleet_conn *c = r->dev[i].held;
	struct timeval tv = { r->target->timeout_ms / 1000, (r->target->timeout_ms % 1000) * 1000 };

	if (!c || c->ping_pending)
		return;
	if (bufferevent_write(c->bev, pingreq, sizeof(pingreq)) < 0) {
		held_lost(c);
		return;
	}
	c->ping_pending = 1;
	r->pings_out++;
	bufferevent_set_timeouts(c->bev, &tv, NULL); /* no PINGRESP in time: the connection is lost */
	fleet_push(r, t + r->spec->classes[r->dev[i].cls].keep_alive, i, FLEET_EV_PING);
}

static void on_wait_over(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	*(int *)arg = 1;
}

void fleet_conn_await_drops(struct fleet_run *r)
{
	struct timeval tv = { r->target->timeout_ms / 1000, (r->target->timeout_ms % 1000) * 1000 };
	int over = 0;
	struct event *timer = r->target->drops_sessions ? evtimer_new(r->base, on_wait_over, &over) : NULL;

	if (timer && evtimer_add(timer, &tv) == 0)
		while (r->nheld > 0 && !over && event_base_loop(r->base, EVLOOP_ONCE) == 0)
			;
	if (timer)
		event_free(timer);
	for (uint32_t i = 0; i < r->ndev && r->nheld > 0; i++)
		if (r->dev[i].held)
			held_lost(r->dev[i].held);
}

/* ---- setup ---- */

static int resolve(const struct fleet_target *t, const char *spec_path, char *out, size_t size, struct rs_error *err)
{
	int n;

	if (strncmp(spec_path, "lab:", 4))
		n = snprintf(out, size, "%s", spec_path);
	else if (!t->lab_dir)
		return rs_error_set(err, RS_ERR_USAGE, "store '%s' names a lab bundle but no lab is given", spec_path);
	else
		n = snprintf(out, size, "%s/bundles/%s.pem", t->lab_dir, spec_path + 4);
	if (n < 0 || (size_t)n >= size)
		return rs_error_set(err, RS_ERR_LIMIT, "path '%s' is too long", spec_path);
	return 0;
}

static int load_pins(struct fleet_run *r, struct fleet_class_rt *cr, const char *pin, struct rs_error *err)
{
	struct rs_certlist *pins = NULL;
	char path[4096];
	int rv = -1;

	if (resolve(r->target, pin, path, sizeof(path), err) < 0)
		return -1;
	if (!(pins = rs_certlist_new()))
		return rs_error_set(err, RS_ERR_NOMEM, "out of memory");
	if (rs_load_path(pins, path, NULL, err) == 0 && fleet_translate(r, (size_t)(cr - r->cls), 1, &pins, err) == 0) {
		for (size_t k = 0; k < rs_certlist_count(pins) && cr->npins < FLEET_MAX_PINS; k++)
			snprintf(cr->pins[cr->npins++], 65, "%s", rs_cert_sha256(rs_certlist_at(pins, k)));
		rv = 0;
	}
	rs_certlist_free(pins);
	return rv;
}

static int class_ctx(struct fleet_class_rt *cr, struct rs_error *err)
{
	if (!(cr->ctx = SSL_CTX_new(TLS_client_method())))
		return rs_error_set_ssl(err, RS_ERR_INTERNAL, "cannot make a TLS context");
	SSL_CTX_set_min_proto_version(cr->ctx, TLS1_2_VERSION);
	SSL_CTX_set_session_cache_mode(cr->ctx, SSL_SESS_CACHE_OFF);
	SSL_CTX_set_mode(cr->ctx, SSL_MODE_RELEASE_BUFFERS);
	SSL_CTX_set_verify(cr->ctx, SSL_VERIFY_PEER, NULL);
	SSL_CTX_set_cert_verify_callback(cr->ctx, verify_cb, NULL);
	return 0;
}

static int class_setup(struct fleet_run *r, size_t i, struct rs_error *err)
{
	const struct fleet_class *c = &r->spec->classes[i];
	struct fleet_class_rt *cr = &r->cls[i];
	struct rs_anchorset *set = NULL;
	char path[4096];
	int rv = -1;

	cr->cadence = fleet_cadence(c);
	if (c->dps != FLEET_DPS_NONE && (!r->target->dps_host || !r->target->id_scope))
		return rs_error_set(err, RS_ERR_USAGE, "class '%s' provisions through DPS but the target has no DPS", c->name);
	if (resolve(r->target, c->store, path, sizeof(path), err) < 0)
		return -1;
	if (!(set = rs_anchorset_new()) || !(cr->store = rs_certlist_new()) || !(cr->vopts[0] = rs_verify_opts_new()) ||
	    !(cr->vopts[1] = rs_verify_opts_new())) {
		rs_error_set(err, RS_ERR_NOMEM, "out of memory");
		goto out;
	}
	rs_verify_opts_set_policy(cr->vopts[0], FLEET_VERIFY_POLICY);
	rs_verify_opts_set_policy(cr->vopts[1], FLEET_VERIFY_POLICY);
	if (rs_anchorset_scan_path(set, path, NULL, err) < 0 || rs_anchorset_trusted_certs(set, cr->store, NULL, err) < 0 ||
	    fleet_translate(r, i, 0, &cr->store, err) < 0 ||
	    rs_verify_opts_set_host(cr->vopts[FLEET_STAGE_HUB], r->target->host, err) < 0 ||
	    (c->dps != FLEET_DPS_NONE && rs_verify_opts_set_host(cr->vopts[FLEET_STAGE_DPS], r->target->dps_host, err) < 0))
		goto out;
	if (c->pin[0] && load_pins(r, cr, c->pin, err) < 0)
		goto out;
	rv = class_ctx(cr, err);
out:
	rs_anchorset_free(set);
	return rv;
}

int fleet_conn_setup(struct fleet_run *r, struct rs_error *err)
{
	if (conn_idx < 0 && (conn_idx = SSL_get_ex_new_index(0, NULL, NULL, NULL, NULL)) < 0)
		return rs_error_set(err, RS_ERR_INTERNAL, "cannot register SSL ex data");
	for (size_t c = 0; c < r->spec->nclasses; c++)
		if (class_setup(r, c, err) < 0)
			return -1;
	return 0;
}

void fleet_conn_free_all(struct fleet_run *r)
{
	for (uint32_t i = 0; r->dev && i < r->ndev; i++)
		if (r->dev[i].held) {
			put_conn(r, r->dev[i].held);
			r->dev[i].held = NULL;
		}
	/* every conn, also those still in flight when a cancel stopped the run (the free list holds only idle ones) */
	r->free_conns = NULL;
	while (r->all_conns) {
		struct fleet_conn *c = r->all_conns;
		r->all_conns = c->next_all;
		if (c->bev)
			bufferevent_free(c->bev);
		fleet_amqp_free(c); /* an AMQP device stopped mid-handshake holds its Proton driver */
		free(c);
	}
	for (size_t c = 0; c < FLEET_MAX_CLASSES; c++) {
		SSL_CTX_free(r->cls[c].ctx);
		rs_certlist_free(r->cls[c].store);
		rs_verify_opts_free(r->cls[c].vopts[0]);
		rs_verify_opts_free(r->cls[c].vopts[1]);
	}
}
