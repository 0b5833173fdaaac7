/* run.c: the scheduler. Virtual time advances in windows (at most 60 s, never across a scheduled switch); every
 * connection attempt due in a window runs concurrently as a real non-blocking TLS client (libevent,
 * bufferevent_openssl) and its outcome is stamped at its own virtual time. A device's decisions depend only on its
 * own outcomes and its own random stream, so a rehearsal is deterministic for a seed. */
#include <errno.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fleet.h"

#define WINDOW 60
#define MAX_PINS 16

enum { EV_CONNECT, EV_RENEW };

struct device {
	uint64_t rng;
	uint32_t gen;
	uint16_t cls;
	uint8_t connected, last_code, attempts;
	int32_t session_phase;
	int32_t phase_first; /* seconds from the phase's start to the first session in it, -1 */
};

struct event_item {
	int64_t t;
	uint32_t dev, gen;
	uint8_t kind;
};

/* A verdict is a function of the served chain, the store and the time; it cannot change while the time stays
 * between the same two validity boundaries (every not_before and not_after of the chain and the store). */
struct verdict_cache {
	unsigned char chain[SHA256_DIGEST_LENGTH];
	int code; /* RS_PROBE_OK or the failure */
	rs_time lo, hi; /* valid for lo <= t < hi */
	int used;
};

#define CACHE_SLOTS 4

struct class_rt {
	struct verdict_cache cache[CACHE_SLOTS];
	unsigned cache_next;
	SSL_CTX *ctx;
	struct rs_certlist *store;
	struct rs_verify_opts *vopts;
	char pins[MAX_PINS][65];
	size_t npins;
	int cadence;
};

struct conn {
	struct run *run;
	struct bufferevent *bev;
	uint32_t dev;
	int64_t t;
	int code;      /* set by the verify callback, or -1 */
	int tls_done;
	struct conn *next_free;
};

struct fleet_result {
	struct fleet_spec spec;
	size_t nphases, nsamples;
	struct fleet_phase_stats *stats; /* [cls][phase] */
	unsigned *curve;                 /* [cls][sample] */
	unsigned long handshakes;
	unsigned stranded_end;
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
	int inflight, cap;
	size_t phase;
	int64_t phase_start;
	long *delta; /* [cls][sample + 1] */
	int32_t *times;
	struct sockaddr_in addr[3];
};

static int conn_idx = -1;

/* ---- random numbers: splitmix64, one stream per device ---- */

static uint64_t next_rand(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t seed_of(const char *seed, size_t i)
{
	unsigned char md[SHA256_DIGEST_LENGTH];
	uint64_t v = 0;

	SHA256((const unsigned char *)seed, strlen(seed), md);
	memcpy(&v, md, sizeof(v));
	return v ^ (0x5851f42d4c957f2dULL * (uint64_t)(i + 1));
}

/* ---- the event heap ---- */

static int heap_less(const struct event_item *a, const struct event_item *b)
{
	return a->t < b->t || (a->t == b->t && a->dev < b->dev);
}

static int push(struct run *r, int64_t t, uint32_t dev, uint8_t kind)
{
	size_t i;

	if (r->nheap == r->capheap) {
		size_t n = r->capheap ? r->capheap * 2 : 1024;
		struct event_item *h = realloc(r->heap, n * sizeof(*h));
		if (!h)
			return -1;
		r->heap = h;
		r->capheap = n;
	}
	i = r->nheap++;
	r->heap[i] = (struct event_item){ t, dev, r->dev[dev].gen, kind };
	while (i > 0 && heap_less(&r->heap[i], &r->heap[(i - 1) / 2])) {
		struct event_item tmp = r->heap[i];
		r->heap[i] = r->heap[(i - 1) / 2];
		r->heap[(i - 1) / 2] = tmp;
		i = (i - 1) / 2;
	}
	return 0;
}

static struct event_item pop(struct run *r)
{
	struct event_item top = r->heap[0];
	size_t i = 0;

	r->heap[0] = r->heap[--r->nheap];
	for (;;) {
		size_t l = 2 * i + 1, m = i;
		if (l < r->nheap && heap_less(&r->heap[l], &r->heap[m]))
			m = l;
		if (l + 1 < r->nheap && heap_less(&r->heap[l + 1], &r->heap[m]))
			m = l + 1;
		if (m == i)
			break;
		struct event_item tmp = r->heap[i];
		r->heap[i] = r->heap[m];
		r->heap[m] = tmp;
		i = m;
	}
	return top;
}

/* ---- bookkeeping ---- */

static void count_at(struct run *r, size_t cls, int64_t t, long d)
{
	size_t ns = r->res->nsamples;
	int64_t b = (t + r->spec->sample - 1) / r->spec->sample;

	if (b < (int64_t)ns)
		r->delta[cls * (ns + 1) + (size_t)b] += d;
}

static int64_t backoff_delay(struct run *r, struct device *d)
{
	const struct fleet_class *c = &r->spec->classes[d->cls];
	int64_t delay = c->backoff_initial;

	if (c->backoff == FLEET_BACKOFF_NONE)
		return -1;
	if (c->backoff == FLEET_BACKOFF_EXPONENTIAL) {
		for (unsigned i = 0; i < d->attempts && delay < c->backoff_max; i++)
			delay *= 2;
		if (delay > c->backoff_max)
			delay = c->backoff_max;
		/* jitter: between half and all of the delay */
		delay = delay / 2 + (int64_t)(next_rand(&d->rng) % (uint64_t)(delay - delay / 2 + 1));
	}
	return delay < 1 ? 1 : delay;
}

static int session_up(struct run *r, uint32_t i, int64_t t)
{
	struct device *d = &r->dev[i];
	int cadence = r->cls[d->cls].cadence;

	d->connected = 1;
	d->attempts = 0;
	d->session_phase = (int32_t)r->phase;
	if (d->phase_first < 0)
		d->phase_first = (int32_t)(t - r->phase_start);
	count_at(r, d->cls, t, +1);
	return cadence > 0 ? push(r, t + cadence, i, EV_RENEW) : 0;
}

static int session_failed(struct run *r, uint32_t i, int64_t t, int code)
{
	struct device *d = &r->dev[i];
	int64_t delay;

	d->last_code = (uint8_t)code;
	r->res->stats[d->cls * r->res->nphases + r->phase].failures++;
	delay = backoff_delay(r, d);
	if (d->attempts < 255)
		d->attempts++;
	return delay < 0 ? 0 : push(r, t + delay, i, EV_CONNECT);
}

static void session_down(struct run *r, uint32_t i, int64_t t)
{
	struct device *d = &r->dev[i];

	if (d->connected) {
		d->connected = 0;
		count_at(r, d->cls, t, -1);
	}
	d->gen++;
}

/* ---- one attempt: TLS, then the protocol's first exchange ---- */

static void conn_done(struct conn *c, int code)
{
	struct run *r = c->run;
	uint32_t i = c->dev;
	int64_t t = c->t;

	bufferevent_free(c->bev);
	c->bev = NULL;
	c->next_free = r->free_conns;
	r->free_conns = c;
	r->inflight--;
	if (code == RS_PROBE_OK)
		session_up(r, i, t);
	else
		session_failed(r, i, t, code);
}

static rs_time device_time(struct run *r, const struct conn *c)
{
	return r->target->start + c->t + r->spec->classes[r->dev[c->dev].cls].clock_skew;
}

static int cert_code(enum rs_verify_reason reason)
{
	switch (reason) {
	case RS_VERIFY_EXPIRED:
	case RS_VERIFY_NOT_YET_VALID: return RS_PROBE_CERT_EXPIRED;
	case RS_VERIFY_NAME_MISMATCH: return RS_PROBE_CERT_HOSTNAME_MISMATCH;
	case RS_VERIFY_CHAIN_TOO_LARGE: return RS_PROBE_CERT_CHAIN_TOO_LARGE;
	default: return RS_PROBE_CERT_UNTRUSTED;
	}
}

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

static int pinned(const struct class_rt *cr, const struct rs_certlist *chain)
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
static int verify_full(struct class_rt *cr, X509 *leaf, STACK_OF(X509) *sk, rs_time at, rs_time *lo, rs_time *hi)
{
	struct rs_certlist *chain = rs_certlist_new();
	struct rs_verify_result *vr = NULL;
	int code = RS_PROBE_CERT_UNTRUSTED;

	if (!chain || add_x509(chain, leaf) < 0)
		goto out;
	for (int k = 0; sk && k < sk_X509_num(sk); k++)
		if (X509_cmp(sk_X509_value(sk, k), leaf) && add_x509(chain, sk_X509_value(sk, k)) < 0)
			goto out;
	rs_verify_opts_set_time(cr->vopts, at);
	if (!(vr = rs_verify(chain, NULL, cr->store, cr->vopts, NULL)))
		goto out;
	if (!rs_verify_result_ok(vr))
		code = cert_code(rs_verify_result_reason(vr));
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

/* The device's own check of the served chain at its own time (verdicts reused within a validity window). */
static int verify_cb(X509_STORE_CTX *xs, void *arg)
{
	SSL *ssl = X509_STORE_CTX_get_ex_data(xs, SSL_get_ex_data_X509_STORE_CTX_idx());
	struct conn *c = ssl ? SSL_get_ex_data(ssl, conn_idx) : NULL;
	STACK_OF(X509) *sk = X509_STORE_CTX_get0_untrusted(xs);
	X509 *leaf = X509_STORE_CTX_get0_cert(xs);
	unsigned char md[SHA256_DIGEST_LENGTH];
	struct class_rt *cr;
	struct verdict_cache *v;
	rs_time at;
	int code = -1;

	(void)arg;
	if (!c || !leaf) {
		X509_STORE_CTX_set_error(xs, X509_V_ERR_CERT_REJECTED);
		return 0;
	}
	c->run->res->handshakes++; /* the server has signed: a handshake, whatever the device decides */
	cr = &c->run->cls[c->run->dev[c->dev].cls];
	at = device_time(c->run, c);
	if (chain_digest(leaf, sk, md) == 0) {
		for (int i = 0; i < CACHE_SLOTS && code < 0; i++) {
			v = &cr->cache[i];
			if (v->used && !memcmp(v->chain, md, sizeof(md)) && v->lo <= at && at < v->hi)
				code = v->code;
		}
		if (code < 0) {
			v = &cr->cache[cr->cache_next++ % CACHE_SLOTS];
			v->lo = INT64_MIN;
			v->hi = INT64_MAX;
			code = verify_full(cr, leaf, sk, at, &v->lo, &v->hi);
			memcpy(v->chain, md, sizeof(md));
			v->code = code;
			v->used = 1;
		}
	} else
		code = verify_full(cr, leaf, sk, at, &(rs_time){ 0 }, &(rs_time){ 0 });
	if (code == RS_PROBE_OK)
		return 1;
	c->code = code;
	X509_STORE_CTX_set_error(xs, X509_V_ERR_CERT_REJECTED);
	return 0;
}

static int send_opening(struct conn *c)
{
	struct run *r = c->run;
	const struct fleet_class *cl = &r->spec->classes[r->dev[c->dev].cls];
	char id[128], key[64], sr[512], user[700];
	char *sas = NULL;
	unsigned char buf[4096];
	size_t len = 0;
	int rv = -1;

	if (cl->proto == FLEET_AMQP) /* the AMQP SASL protocol header; the CBS token goes on the same connection */
		return bufferevent_write(c->bev, "AMQP\x03\x01\x00\x00", 8);
	if (fleet_device_id(r->spec, c->dev, id, sizeof(id)) < 0 || fleet_device_key(r->spec, c->dev, key, sizeof(key)) < 0)
		return -1;
	snprintf(sr, sizeof(sr), "%s/devices/%s", r->target->host, id);
	if (!(sas = rs_sas_make(sr, key, device_time(r, c) + cl->sas_lifetime, NULL, NULL)))
		return -1;
	if (cl->proto == FLEET_MQTT) {
		struct rs_mqtt_packet p = { 0 };
		snprintf(user, sizeof(user), "%s/%s/?api-version=2021-04-12", r->target->host, id);
		p.type = RS_MQTT_CONNECT;
		p.protocol_name = (struct rs_mqtt_str){ "MQTT", 4 };
		p.protocol_level = 4;
		p.keep_alive = cl->keep_alive;
		p.client_id = (struct rs_mqtt_str){ id, strlen(id) };
		p.has_username = p.has_password = 1;
		p.username = (struct rs_mqtt_str){ user, strlen(user) };
		p.password = (struct rs_mqtt_str){ sas, strlen(sas) };
		if (rs_mqtt_encode(&p, buf, sizeof(buf), &len, NULL) == 0)
			rv = bufferevent_write(c->bev, buf, len);
	} else {
		int n = snprintf((char *)buf, sizeof(buf),
				 "POST /devices/%s/messages/events?api-version=2021-04-12 HTTP/1.1\r\nHost: %s\r\n"
				 "Authorization: %s\r\nContent-Type: application/json\r\nContent-Length: 2\r\n"
				 "Connection: close\r\n\r\n{}",
				 id, r->target->host, sas);
		if (n > 0 && (size_t)n < sizeof(buf))
			rv = bufferevent_write(c->bev, buf, (size_t)n);
	}
	OPENSSL_cleanse(sas, strlen(sas));
	free(sas);
	OPENSSL_cleanse(key, sizeof(key));
	return rv;
}

/* The protocol's answer: 1 done (code set), 0 more bytes needed. */
static int read_answer(struct conn *c, struct evbuffer *in, int *code)
{
	const struct fleet_class *cl = &c->run->spec->classes[c->run->dev[c->dev].cls];
	size_t n = evbuffer_get_length(in);
	unsigned char *p;

	if (cl->proto == FLEET_AMQP) {
		if (n < 8)
			return 0;
		p = evbuffer_pullup(in, 8);
		*code = memcmp(p, "AMQP", 4) ? RS_PROBE_PROTOCOL_ERROR : RS_PROBE_OK;
		return 1;
	}
	if (cl->proto == FLEET_MQTT) {
		struct rs_mqtt_packet pkt;
		size_t used;
		int rc = rs_mqtt_decode(evbuffer_pullup(in, -1), n, 1024, &pkt, &used, NULL);
		if (rc == 0)
			return 0;
		*code = rc < 0 || pkt.type != RS_MQTT_CONNACK ? RS_PROBE_PROTOCOL_ERROR
			: pkt.return_code == 0			       ? RS_PROBE_OK
			: pkt.return_code == 4 || pkt.return_code == 5 ? RS_PROBE_OK_AUTH_REJECTED
								       : RS_PROBE_PROTOCOL_ERROR;
		return 1;
	}
	if (n < 12)
		return 0;
	p = evbuffer_pullup(in, 12);
	if (memcmp(p, "HTTP/1.", 7) || p[8] != ' ')
		*code = RS_PROBE_PROTOCOL_ERROR;
	else if (p[9] == '2')
		*code = RS_PROBE_OK;
	else if (!memcmp(p + 9, "401", 3) || !memcmp(p + 9, "403", 3))
		*code = RS_PROBE_OK_AUTH_REJECTED;
	else
		*code = RS_PROBE_PROTOCOL_ERROR;
	return 1;
}

static void on_read(struct bufferevent *bev, void *arg)
{
	struct conn *c = arg;
	int code;

	if (read_answer(c, bufferevent_get_input(bev), &code))
		conn_done(c, code);
	else if (evbuffer_get_length(bufferevent_get_input(bev)) > 65536)
		conn_done(c, RS_PROBE_PROTOCOL_ERROR);
}

static void on_event(struct bufferevent *bev, short what, void *arg)
{
	struct conn *c = arg;
	int code;

	if (what & BEV_EVENT_CONNECTED) {
		c->tls_done = 1;
		if (send_opening(c) < 0)
			conn_done(c, RS_PROBE_PROTOCOL_ERROR);
		return;
	}
	if (what & BEV_EVENT_TIMEOUT)
		code = RS_PROBE_TIMEOUT;
	else if (c->tls_done)
		code = RS_PROBE_PROTOCOL_ERROR;
	else if (c->code >= 0)
		code = c->code;
	else if (bufferevent_get_openssl_error(bev))
		code = RS_PROBE_TLS_ALERT;
	else if (EVUTIL_SOCKET_ERROR() == ECONNREFUSED)
		code = RS_PROBE_TCP_REFUSED;
	else
		code = RS_PROBE_TLS_PROTOCOL_ERROR;
	while (ERR_get_error())
		;
	conn_done(c, code);
}

static int start_attempt(struct run *r, uint32_t i, int64_t t)
{
	struct device *d = &r->dev[i];
	const struct fleet_class *cl = &r->spec->classes[d->cls];
	struct conn *c = r->free_conns;
	struct timeval tv = { r->target->timeout_ms / 1000, (r->target->timeout_ms % 1000) * 1000 };
	int one = 1;
	SSL *ssl;

	if (c)
		r->free_conns = c->next_free;
	else if (!(c = calloc(1, sizeof(*c))))
		return -1;
	c->run = r;
	c->dev = i;
	c->t = t;
	c->code = -1;
	c->tls_done = 0;
	r->res->stats[d->cls * r->res->nphases + r->phase].attempts++;
	r->inflight++;
	if (!(ssl = SSL_new(r->cls[d->cls].ctx))) {
		c->next_free = r->free_conns;
		r->free_conns = c;
		r->inflight--;
		return -1;
	}
	SSL_set_tlsext_host_name(ssl, r->target->host);
	SSL_set_ex_data(ssl, conn_idx, c);
	if (!(c->bev = bufferevent_openssl_socket_new(r->base, -1, ssl, BUFFEREVENT_SSL_CONNECTING,
						      BEV_OPT_CLOSE_ON_FREE))) {
		SSL_free(ssl);
		c->next_free = r->free_conns;
		r->free_conns = c;
		r->inflight--;
		return -1;
	}
	bufferevent_openssl_set_allow_dirty_shutdown(c->bev, 1);
	bufferevent_setcb(c->bev, on_read, NULL, on_event, c);
	bufferevent_set_timeouts(c->bev, &tv, &tv);
	bufferevent_enable(c->bev, EV_READ | EV_WRITE);
	if (bufferevent_socket_connect(c->bev, (struct sockaddr *)&r->addr[cl->proto], sizeof(r->addr[0])) < 0) {
		conn_done(c, RS_PROBE_TCP_REFUSED);
		return 0;
	}
	/* small writes (the CONNECT after the handshake) must not wait for a delayed ACK */
	setsockopt(bufferevent_getfd(c->bev), IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return 0;
}

static int enqueue(struct run *r, uint32_t dev, int64_t t)
{
	if (r->qtail == r->qcap) {
		if (r->qhead > 0) {
			memmove(r->queue, r->queue + r->qhead, (r->qtail - r->qhead) * sizeof(*r->queue));
			r->qtail -= r->qhead;
			r->qhead = 0;
		} else {
			size_t n = r->qcap ? r->qcap * 2 : 1024;
			void *q = realloc(r->queue, n * sizeof(*r->queue));
			if (!q)
				return -1;
			r->queue = q;
			r->qcap = n;
		}
	}
	r->queue[r->qtail].dev = dev;
	r->queue[r->qtail].t = t;
	r->qtail++;
	return 0;
}

static int handle(struct run *r, struct event_item ev)
{
	struct device *d = &r->dev[ev.dev];

	if (ev.gen != d->gen)
		return 0;
	if (ev.kind == EV_RENEW) {
		if (!d->connected)
			return 0;
		session_down(r, ev.dev, ev.t); /* the SDK disconnects and reconnects: a new handshake */
	}
	return enqueue(r, ev.dev, ev.t);
}

/* Runs every attempt due before end, with at most cap in flight. */
static int run_window(struct run *r, int64_t end, struct rs_error *err)
{
	for (;;) {
		while (r->inflight < r->cap && r->qhead < r->qtail) {
			r->qhead++;
			if (start_attempt(r, r->queue[r->qhead - 1].dev, r->queue[r->qhead - 1].t) < 0)
				return rs_error_set(err, RS_ERR_NOMEM, "cannot start a connection");
		}
		if (r->qhead == r->qtail) {
			r->qhead = r->qtail = 0;
			if (r->nheap && r->heap[0].t < end) {
				if (handle(r, pop(r)) < 0)
					return rs_error_set(err, RS_ERR_NOMEM, "out of memory");
				continue;
			}
		}
		if (r->inflight == 0 && r->qhead == r->qtail)
			return 0;
		if (event_base_loop(r->base, EVLOOP_ONCE) < 0)
			return rs_error_set(err, RS_ERR_INTERNAL, "the event loop failed");
	}
}

/* ---- phases ---- */

static int cmp_i32(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
	return (x > y) - (x < y);
}

static int64_t rank(const int32_t *v, size_t n, int pct)
{
	size_t k = (n * (size_t)pct + 99) / 100;
	return n ? v[k ? k - 1 : 0] : -1;
}

static void close_phase(struct run *r)
{
	size_t base = 0;

	for (size_t c = 0; c < r->spec->nclasses; c++) {
		struct fleet_phase_stats *st = &r->res->stats[c * r->res->nphases + r->phase];
		size_t n = 0;
		for (size_t i = base; i < base + r->spec->classes[c].count; i++) {
			struct device *d = &r->dev[i];
			if (d->phase_first >= 0)
				r->times[n++] = d->phase_first;
			if (d->connected && d->session_phase < (int32_t)r->phase)
				st->holding++;
			if (!d->connected) {
				st->stranded++;
				st->reasons[d->last_code]++;
			}
			d->phase_first = -1;
		}
		qsort(r->times, n, sizeof(*r->times), cmp_i32);
		st->reconnected = (unsigned)n;
		st->p50 = rank(r->times, n, 50);
		st->p95 = rank(r->times, n, 95);
		st->max = n ? r->times[n - 1] : -1;
		base += r->spec->classes[c].count;
	}
}

static int apply_event(struct run *r, const struct fleet_event *ev, struct rs_error *err)
{
	if (r->target->apply && r->target->apply(r->target->ctx, ev, err) < 0)
		return -1;
	close_phase(r);
	r->phase++;
	r->phase_start = ev->at;
	if (!ev->disconnect)
		return 0;
	for (uint32_t i = 0; i < r->ndev; i++) {
		struct device *d = &r->dev[i];
		if (!d->connected)
			continue;
		session_down(r, i, ev->at);
		d->last_code = RS_PROBE_TCP_REFUSED; /* until it tries again: dropped by the hub */
		d->attempts = 0;
		if (push(r, ev->at + (int64_t)(next_rand(&d->rng) % 30), i, EV_CONNECT) < 0)
			return rs_error_set(err, RS_ERR_NOMEM, "out of memory");
	}
	return 0;
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

static int class_setup(struct run *r, size_t i, struct rs_error *err)
{
	const struct fleet_class *c = &r->spec->classes[i];
	struct class_rt *cr = &r->cls[i];
	struct rs_anchorset *set = NULL;
	struct rs_certlist *pins = NULL;
	char path[4096];
	int rv = -1;

	cr->cadence = fleet_cadence(c);
	if (resolve(r->target, c->store, path, sizeof(path), err) < 0)
		return -1;
	if (!(set = rs_anchorset_new()) || !(cr->store = rs_certlist_new()) || !(cr->vopts = rs_verify_opts_new())) {
		rs_error_set(err, RS_ERR_NOMEM, "out of memory");
		goto out;
	}
	if (rs_anchorset_scan_path(set, path, NULL, err) < 0 || rs_anchorset_trusted_certs(set, cr->store, NULL, err) < 0 ||
	    rs_verify_opts_set_host(cr->vopts, r->target->host, err) < 0)
		goto out;
	if (c->pin[0]) {
		if (resolve(r->target, c->pin, path, sizeof(path), err) < 0 || !(pins = rs_certlist_new()) ||
		    rs_load_path(pins, path, NULL, err) < 0)
			goto out;
		for (size_t k = 0; k < rs_certlist_count(pins) && cr->npins < MAX_PINS; k++)
			snprintf(cr->pins[cr->npins++], 65, "%s", rs_cert_sha256(rs_certlist_at(pins, k)));
	}
	if (!(cr->ctx = SSL_CTX_new(TLS_client_method()))) {
		rs_error_set_ssl(err, RS_ERR_INTERNAL, "cannot make a TLS context");
		goto out;
	}
	SSL_CTX_set_min_proto_version(cr->ctx, TLS1_2_VERSION);
	SSL_CTX_set_session_cache_mode(cr->ctx, SSL_SESS_CACHE_OFF);
	SSL_CTX_set_mode(cr->ctx, SSL_MODE_RELEASE_BUFFERS);
	SSL_CTX_set_verify(cr->ctx, SSL_VERIFY_PEER, NULL);
	SSL_CTX_set_cert_verify_callback(cr->ctx, verify_cb, NULL);
	rv = 0;
out:
	rs_certlist_free(pins);
	rs_anchorset_free(set);
	return rv;
}

static void set_addr(struct sockaddr_in *sa, const char *host, int port)
{
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_port = htons((uint16_t)port);
	inet_pton(AF_INET, host, &sa->sin_addr);
}

static int setup(struct run *r, struct rs_error *err)
{
	const struct fleet_spec *s = r->spec;
	struct fleet_result *res = r->res;
	size_t k = 0;

	if (conn_idx < 0 && (conn_idx = SSL_get_ex_new_index(0, NULL, NULL, NULL, NULL)) < 0)
		return rs_error_set(err, RS_ERR_INTERNAL, "cannot register SSL ex data");
	res->spec = *s;
	res->nphases = s->nevents + 1;
	res->nsamples = (size_t)(s->duration / s->sample) + 1;
	r->ndev = fleet_device_count(s);
	r->cap = r->target->max_inflight > 0 ? r->target->max_inflight : 256;
	if (!(res->stats = calloc(s->nclasses * res->nphases, sizeof(*res->stats))) ||
	    !(res->curve = calloc(s->nclasses * res->nsamples, sizeof(*res->curve))) ||
	    !(r->delta = calloc(s->nclasses * (res->nsamples + 1), sizeof(*r->delta))) ||
	    !(r->dev = calloc(r->ndev ? r->ndev : 1, sizeof(*r->dev))) ||
	    !(r->times = calloc(r->ndev ? r->ndev : 1, sizeof(*r->times))) || !(r->base = event_base_new()))
		return rs_error_set(err, RS_ERR_NOMEM, "out of memory");
	set_addr(&r->addr[FLEET_MQTT], r->target->connect_host, r->target->mqtt_port);
	set_addr(&r->addr[FLEET_AMQP], r->target->connect_host, r->target->amqp_port);
	set_addr(&r->addr[FLEET_HTTPS], r->target->connect_host, r->target->https_port);
	for (size_t c = 0; c < s->nclasses; c++) {
		if (class_setup(r, c, err) < 0)
			return -1;
		for (unsigned j = 0; j < s->classes[c].count; j++, k++) {
			struct device *d = &r->dev[k];
			d->cls = (uint16_t)c;
			d->rng = seed_of(s->seed, k);
			d->phase_first = -1;
			d->last_code = RS_PROBE_TIMEOUT;
			if (push(r, s->ramp > 0 ? (int64_t)(next_rand(&d->rng) % (uint64_t)s->ramp) : 0, (uint32_t)k,
				 EV_CONNECT) < 0)
				return rs_error_set(err, RS_ERR_NOMEM, "out of memory");
		}
	}
	return 0;
}

static void teardown(struct run *r)
{
	while (r->free_conns) {
		struct conn *c = r->free_conns;
		r->free_conns = c->next_free;
		free(c);
	}
	for (size_t c = 0; c < FLEET_MAX_CLASSES; c++) {
		SSL_CTX_free(r->cls[c].ctx);
		rs_certlist_free(r->cls[c].store);
		rs_verify_opts_free(r->cls[c].vopts);
	}
	if (r->base)
		event_base_free(r->base);
	free(r->dev);
	free(r->heap);
	free(r->queue);
	free(r->delta);
	free(r->times);
}

static void finish(struct run *r)
{
	struct fleet_result *res = r->res;

	for (size_t c = 0; c < r->spec->nclasses; c++) {
		long v = 0;
		for (size_t s = 0; s < res->nsamples; s++) {
			v += r->delta[c * (res->nsamples + 1) + s];
			res->curve[c * res->nsamples + s] = v < 0 ? 0 : (unsigned)v;
		}
	}
	for (size_t i = 0; i < r->ndev; i++)
		res->stranded_end += !r->dev[i].connected;
}

struct fleet_result *fleet_run(const struct fleet_spec *spec, const struct fleet_target *target,
			       struct rs_error *err)
{
	struct run r = { 0 };
	size_t next = 0;
	int64_t t = 0;
	int ok = -1;

	r.spec = spec;
	r.target = target;
	if (!(r.res = calloc(1, sizeof(*r.res)))) {
		rs_error_set(err, RS_ERR_NOMEM, "out of memory");
		return NULL;
	}
	if (setup(&r, err) < 0)
		goto out;
	while (t < spec->duration) {
		int64_t end = t + WINDOW;
		if (next < spec->nevents && end > spec->events[next].at)
			end = spec->events[next].at;
		if (end > spec->duration)
			end = spec->duration;
		if (target->set_time)
			target->set_time(target->ctx, target->start + t);
		if (run_window(&r, end, err) < 0)
			goto out;
		t = end;
		if (next < spec->nevents && t == spec->events[next].at) {
			if (target->set_time)
				target->set_time(target->ctx, target->start + t);
			if (apply_event(&r, &spec->events[next++], err) < 0)
				goto out;
		}
	}
	close_phase(&r);
	finish(&r);
	ok = 0;
out:
	teardown(&r);
	if (ok < 0) {
		fleet_result_free(r.res);
		return NULL;
	}
	return r.res;
}

void fleet_result_free(struct fleet_result *r)
{
	if (!r)
		return;
	free(r->stats);
	free(r->curve);
	free(r);
}

const struct fleet_spec *fleet_result_spec(const struct fleet_result *r) { return &r->spec; }
size_t fleet_result_phases(const struct fleet_result *r) { return r->nphases; }
size_t fleet_result_samples(const struct fleet_result *r) { return r->nsamples; }
unsigned long fleet_result_handshakes(const struct fleet_result *r) { return r->handshakes; }
unsigned fleet_result_stranded_at_end(const struct fleet_result *r) { return r->stranded_end; }

const struct fleet_phase_stats *fleet_result_stats(const struct fleet_result *r, size_t cls, size_t phase)
{
	return cls < r->spec.nclasses && phase < r->nphases ? &r->stats[cls * r->nphases + phase] : NULL;
}

unsigned fleet_result_connected(const struct fleet_result *r, size_t cls, size_t sample)
{
	return cls < r->spec.nclasses && sample < r->nsamples ? r->curve[cls * r->nsamples + sample] : 0;
}
