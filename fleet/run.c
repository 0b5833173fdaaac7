/* run.c: the scheduler. Virtual time advances in windows (at most 60 s, at most half the shortest keep-alive held,
 * never across a scheduled switch); every connection attempt and PINGREQ due in a window runs concurrently as a
 * real non-blocking TLS client (conn.c) and its outcome is stamped at its own virtual time. A device's decisions
 * depend only on its own outcomes and its own random stream, so a rehearsal is deterministic for a seed, whether
 * its sessions hold real connections or are modelled. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"

#define WINDOW 60

static uint64_t seed_of(const char *seed, size_t i)
{
	unsigned char md[SHA256_DIGEST_LENGTH];
	uint64_t v = 0;

	SHA256((const unsigned char *)seed, strlen(seed), md);
	memcpy(&v, md, sizeof(v));
	return v ^ (0x5851f42d4c957f2dULL * (uint64_t)(i + 1));
}

static int enqueue(struct fleet_run *r, uint32_t dev, int64_t t)
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

static int handle(struct fleet_run *r, struct fleet_heap_item ev)
{
	struct fleet_device *d = &r->dev[ev.dev];

	if (ev.gen != d->gen)
		return 0;
	if (ev.kind == FLEET_EV_PING) {
		fleet_conn_ping(r, ev.dev, ev.t);
		return 0;
	}
	if (ev.kind == FLEET_EV_REFRESH) {
		const struct fleet_class *cl = &r->spec->classes[d->cls];
		if (!d->connected)
			return 0;
		if (d->held) {
			d->held->t = ev.t; /* the token is made at the refresh's time */
			fleet_proto_refresh(d->held);
		}
		fleet_push(r, ev.t + cl->sas_lifetime * 4 / 5, ev.dev, FLEET_EV_REFRESH);
		return 0;
	}
	if (ev.kind == FLEET_EV_EXPIRE) {
		if (d->connected) {
			fleet_conn_release(r, ev.dev);
			fleet_session_dropped(r, ev.dev, ev.t);
		}
		return 0;
	}
	if (ev.kind == FLEET_EV_RENEW) {
		if (!d->connected)
			return 0;
		fleet_conn_release(r, ev.dev);
		fleet_session_down(r, ev.dev, ev.t); /* the SDK disconnects and reconnects: a new handshake */
	}
	return enqueue(r, ev.dev, ev.t);
}

/* What the target closed when its clock moved to t (keep-alive x 1.5 passed): drops at t. */
static void take_drops(struct fleet_run *r, int64_t t)
{
	r->now = t;
	for (int i = 0; i < 3 && r->nheld; i++)
		event_base_loop(r->base, EVLOOP_NONBLOCK);
}

/* Runs every attempt and ping due before end, with at most cap attempts in flight; 1 when cancelled. */
static int run_window(struct fleet_run *r, int64_t start, int64_t end, struct rs_error *err)
{
	r->now = start;
	for (;;) {
		if (r->cancelled)
			return 1;
		while (r->inflight < r->cap && r->qhead < r->qtail) {
			r->qhead++;
			if (fleet_conn_start(r, r->queue[r->qhead - 1].dev, r->queue[r->qhead - 1].t) < 0)
				return rs_error_set(err, RS_ERR_NOMEM, "cannot start a connection");
		}
		if (r->qhead == r->qtail) {
			r->qhead = r->qtail = 0;
			if (r->nheap && r->heap[0].t < end) {
				if (handle(r, fleet_pop(r)) < 0)
					return rs_error_set(err, RS_ERR_NOMEM, "out of memory");
				continue;
			}
		}
		if (r->nomem)
			return rs_error_set(err, RS_ERR_NOMEM, "out of memory");
		if (r->inflight == 0 && r->pings_out == 0 && r->qhead == r->qtail)
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

static void close_phase(struct fleet_run *r)
{
	size_t base = 0;

	for (size_t c = 0; c < r->spec->nclasses; c++) {
		struct fleet_phase_stats *st = &r->res->stats[c * r->res->nphases + r->phase];
		size_t n = 0;
		for (size_t i = base; i < base + r->spec->classes[c].count; i++) {
			struct fleet_device *d = &r->dev[i];
			if (d->phase_first >= 0)
				r->times[n++] = d->phase_first;
			if (d->connected && d->session_phase < (int32_t)r->phase)
				st->holding++;
			if (!d->connected && d->last_code == FLEET_NOT_TRIED) {
				st->waiting++;
			} else if (!d->connected) {
				st->stranded++;
				st->reasons[d->last_code]++;
				st->dps_reasons[d->last_code] += d->last_dps;
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

/* A scheduled switch: with a disconnect, every session ends at its time; held connections are closed by the target
 * (a lab) and seen to close, modelled sessions are ended here, and every device reconnects by its policy. */
static int apply_event(struct fleet_run *r, const struct fleet_event *ev, struct rs_error *err)
{
	if (r->target->apply && r->target->apply(r->target->ctx, ev, err) < 0)
		return -1;
	close_phase(r);
	r->phase++;
	r->phase_start = ev->at;
	r->now = ev->at;
	if (!ev->disconnect)
		return 0;
	fleet_conn_await_drops(r);
	for (uint32_t i = 0; i < r->ndev; i++)
		fleet_session_dropped(r, i, ev->at);
	return r->nomem ? rs_error_set(err, RS_ERR_NOMEM, "out of memory") : 0;
}

static void set_addr(struct sockaddr_in *sa, const char *host, int port)
{
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_port = htons((uint16_t)port);
	inet_pton(AF_INET, host, &sa->sin_addr);
}

/* The scheduler's step: 60 s, or half the shortest keep-alive of a class that holds connections, so that a ping
 * due in a window reaches the lab before its clock (the window's start) passes 1.5 x the keep-alive since the
 * last one. */
static int64_t window_of(const struct fleet_run *r)
{
	int64_t w = WINDOW;

	for (size_t c = 0; r->target->max_held > 0 && c < r->spec->nclasses; c++) {
		const struct fleet_class *cl = &r->spec->classes[c];
		if (cl->count && cl->proto == FLEET_MQTT && cl->pings && cl->keep_alive > 0 && cl->keep_alive / 2 < w)
			w = cl->keep_alive / 2;
	}
	return w < 1 ? 1 : w;
}

/* The front end asked to stop (a signal): out of the event loop now; run_window returns at its next turn. */
static void on_cancel(evutil_socket_t fd, short what, void *arg)
{
	struct fleet_run *r = arg;

	(void)fd;
	(void)what;
	r->cancelled = 1;
	event_base_loopbreak(r->base);
}

static int setup(struct fleet_run *r, struct rs_error *err)
{
	const struct fleet_spec *s = r->spec;
	struct fleet_result *res = r->res;
	size_t k = 0;

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
	r->window = window_of(r);
	if (fleet_conn_setup(r, err) < 0)
		return -1;
	if (r->target->cancel_fd &&
	    (!(r->cancel_ev = event_new(r->base, *r->target->cancel_fd, EV_READ | EV_PERSIST, on_cancel, r)) ||
	     event_add(r->cancel_ev, NULL) < 0))
		return rs_error_set(err, RS_ERR_INTERNAL, "cannot watch for a stop");
	for (size_t c = 0; c < s->nclasses; c++) {
		for (unsigned j = 0; j < s->classes[c].count; j++, k++) {
			struct fleet_device *d = &r->dev[k];
			d->cls = (uint16_t)c;
			d->rng = seed_of(s->seed, k);
			d->phase_first = -1;
			d->last_code = FLEET_NOT_TRIED;
			if (fleet_push(r, s->ramp > 0 ? (int64_t)(fleet_rand(&d->rng) % (uint64_t)s->ramp) : 0, (uint32_t)k,
				 FLEET_EV_CONNECT) < 0)
				return rs_error_set(err, RS_ERR_NOMEM, "out of memory");
		}
	}
	return 0;
}

static void teardown(struct fleet_run *r)
{
	fleet_conn_free_all(r);
	if (r->cancel_ev)
		event_free(r->cancel_ev);
	if (r->base)
		event_base_free(r->base);
	free(r->dev);
	free(r->heap);
	free(r->queue);
	free(r->delta);
	free(r->times);
}

static void finish(struct fleet_run *r)
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
	struct fleet_run r = { 0 };
	size_t next = 0;
	int64_t t = 0;
	int ok = -1, rv;

	r.spec = spec;
	r.target = target;
	if (!(r.res = calloc(1, sizeof(*r.res)))) {
		rs_error_set(err, RS_ERR_NOMEM, "out of memory");
		return NULL;
	}
	r.res->stopped_at = -1;
	r.res->starts_new = target->starts_new;
	if (setup(&r, err) < 0)
		goto out;
	while (t < spec->duration) {
		int64_t end = t + r.window;
		if (next < spec->nevents && end > spec->events[next].at)
			end = spec->events[next].at;
		if (end > spec->duration)
			end = spec->duration;
		if (target->set_time)
			target->set_time(target->ctx, target->start + t);
		if (target->progress)
			target->progress(target->progress_arg, t, spec->duration, r.phase);
		take_drops(&r, t);
		if ((rv = run_window(&r, t, end, err)) < 0)
			goto out;
		if (rv > 0 || r.cancelled) {
			r.res->stopped_at = r.now > t ? r.now : t;
			break;
		}
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
