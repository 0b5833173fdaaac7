/*
 * device.c: the per-device state machine, without I/O: each device's random stream and clock, the queue of what it
 * does next (the event heap), and its moves on an attempt's outcome: a session up, a failure and its backoff, a
 * session down or dropped. conn.c reports outcomes here; run.c pops what is due. No sockets, no event loop: the
 * unit tests drive it directly.
 */
#include <stdlib.h>
#include <string.h>

#include "run.h"

/* ---- random numbers: splitmix64, one stream per device ---- */

uint64_t fleet_rand(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

rs_time fleet_device_time(const struct fleet_run *r, uint32_t dev, int64_t t)
{
	return r->target->start + t + r->spec->classes[r->dev[dev].cls].clock_skew;
}

/* ---- the event heap ---- */

static int heap_less(const struct fleet_heap_item *a, const struct fleet_heap_item *b)
{
	return a->t < b->t || (a->t == b->t && (a->dev < b->dev || (a->dev == b->dev && a->kind < b->kind)));
}

int fleet_push(struct fleet_run *r, int64_t t, uint32_t dev, enum fleet_ev_kind kind)
{
	size_t i;

	if (r->nheap == r->capheap) {
		size_t n = r->capheap ? r->capheap * 2 : 1024;
		struct fleet_heap_item *h = realloc(r->heap, n * sizeof(*h));
		if (!h) {
			r->nomem = 1;
			return -1;
		}
		r->heap = h;
		r->capheap = n;
	}
	i = r->nheap++;
	r->heap[i] = (struct fleet_heap_item){ t, dev, r->dev[dev].gen, (uint8_t)kind };
	while (i > 0 && heap_less(&r->heap[i], &r->heap[(i - 1) / 2])) {
		struct fleet_heap_item tmp = r->heap[i];
		r->heap[i] = r->heap[(i - 1) / 2];
		r->heap[(i - 1) / 2] = tmp;
		i = (i - 1) / 2;
	}
	return 0;
}

struct fleet_heap_item fleet_pop(struct fleet_run *r)
{
	struct fleet_heap_item top = r->heap[0];
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
		struct fleet_heap_item tmp = r->heap[i];
		r->heap[i] = r->heap[m];
		r->heap[m] = tmp;
		i = m;
	}
	return top;
}

/* ---- bookkeeping ---- */

static void count_at(struct fleet_run *r, size_t cls, int64_t t, long d)
{
	size_t ns = r->res->nsamples;
	int64_t b = (t + r->spec->sample - 1) / r->spec->sample;

	if (b < (int64_t)ns)
		r->delta[cls * (ns + 1) + (size_t)b] += d;
}

static int64_t backoff_delay(struct fleet_run *r, struct fleet_device *d)
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
		delay = delay / 2 + (int64_t)(fleet_rand(&d->rng) % (uint64_t)(delay - delay / 2 + 1));
	}
	return delay < 1 ? 1 : delay;
}

void fleet_session_up(struct fleet_run *r, uint32_t i, int64_t t)
{
	struct fleet_device *d = &r->dev[i];
	const struct fleet_class *cl = &r->spec->classes[d->cls];
	int cadence = r->cls[d->cls].cadence;
	int64_t expires = (int64_t)cl->sas_lifetime + cl->clock_skew; /* the token's se, from t, on the hub's clock */

	d->connected = 1;
	d->attempts = 0;
	d->session_phase = (int32_t)r->phase;
	if (d->phase_first < 0)
		d->phase_first = (int32_t)(t - r->phase_start);
	count_at(r, d->cls, t, +1);
	if (cadence > 0)
		fleet_push(r, t + cadence, i, FLEET_EV_RENEW);
	/* IoT Hub drops an MQTT session when its SAS expires (as the lab does): an SDK that renews later than that
	 * (.NET: the lifetime plus a 10-minute grace) is dropped first, and comes back by its retry policy. */
	if (cl->proto == FLEET_MQTT && expires > 0 && (cadence <= 0 || cadence >= expires))
		fleet_push(r, t + expires, i, FLEET_EV_EXPIRE);
	/* the C SDK over AMQP puts a new token on the same connection at 80 % of the lifetime: no new handshake */
	if (cl->proto == FLEET_AMQP && cadence <= 0 && cl->sas_lifetime * 4 / 5 > 0)
		fleet_push(r, t + cl->sas_lifetime * 4 / 5, i, FLEET_EV_REFRESH);
}

void fleet_session_failed(struct fleet_run *r, uint32_t i, int64_t t, struct fleet_outcome o)
{
	struct fleet_device *d = &r->dev[i];
	unsigned at_dps = o.stage == FLEET_STAGE_DPS;
	int64_t delay;

	d->last_code = (uint8_t)o.code;
	d->last_dps = (uint8_t)at_dps;
	r->res->stats[d->cls * r->res->nphases + r->phase].failures++;
	r->res->stats[d->cls * r->res->nphases + r->phase].failures_at_dps += at_dps;
	delay = backoff_delay(r, d);
	if (d->attempts < 255)
		d->attempts++;
	if (delay >= 0)
		fleet_push(r, t + delay, i, FLEET_EV_CONNECT);
}

void fleet_session_down(struct fleet_run *r, uint32_t i, int64_t t)
{
	struct fleet_device *d = &r->dev[i];

	if (d->connected) {
		d->connected = 0;
		count_at(r, d->cls, t, -1);
	}
	d->gen++;
}

/* The first try after a drop is not a retry: it comes after the policy's initial delay (with jitter between half
 * and all of it for exponential backoff), whatever the policy. */
void fleet_session_dropped(struct fleet_run *r, uint32_t i, int64_t t)
{
	struct fleet_device *d = &r->dev[i];
	const struct fleet_class *c = &r->spec->classes[d->cls];
	int64_t delay = c->backoff_initial;

	if (!d->connected)
		return;
	fleet_session_down(r, i, t);
	d->last_code = RS_PROBE_TCP_REFUSED; /* until it tries again: dropped by the hub */
	d->last_dps = 0;
	d->attempts = 0;
	if (c->backoff == FLEET_BACKOFF_EXPONENTIAL)
		delay = delay / 2 + (int64_t)(fleet_rand(&d->rng) % (uint64_t)(delay - delay / 2 + 1));
	fleet_push(r, t + (delay < 1 ? 1 : delay), i, FLEET_EV_CONNECT);
}

/* ---- how an attempt ended ---- */

enum rs_probe_code fleet_classify_end(const struct fleet_conn_end *e)
{
	if (e->timeout)
		return RS_PROBE_TIMEOUT;
	if (e->tls_done)
		return RS_PROBE_PROTOCOL_ERROR; /* closed after the handshake, before the answer */
	if (e->verdict >= 0)
		return (enum rs_probe_code)e->verdict; /* the device's own check rejected the served chain */
	if (e->ssl_error)
		return RS_PROBE_TLS_ALERT;
	if (e->refused)
		return RS_PROBE_TCP_REFUSED;
	return RS_PROBE_TLS_PROTOCOL_ERROR;
}

enum rs_probe_code fleet_classify_open(int open_rv)
{
	return open_rv == 1 ? RS_PROBE_TCP_REFUSED : RS_PROBE_INTERNAL_ERROR;
}
