/*
 * events.c: the lab's events, typed and rendered in one place. An event is a struct lab_event (its kind, the
 * device id and remote address it concerns, a cause, a detail and extra fields), rendered to one JSON object a
 * line through jansson, never by hand: whatever a client controls (client id, user name, topic, path) is a JSON
 * string escaped by the encoder, and bytes that are not UTF-8 become '?' first (jansson refuses them).
 *
 * The lines go to the front end's callback (opts->log, in-process) and to opts->events_fd, written without
 * blocking through a bounded buffer (LAB_EVENTS_MAX): when the reader falls behind, events are dropped and
 * counted, and a `dropped` event says how many once the buffer has drained. The loop never waits on a reader
 * (write(2) on a descriptor with O_NONBLOCK returns EAGAIN instead of waiting: pipe(7), "I/O on pipes and FIFOs").
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "server.h"

static const char *const kind_names[LAB_EV__COUNT] = {
	[LAB_EV_READY] = "ready",
	[LAB_EV_CONNECT] = "connect",
	[LAB_EV_DISCONNECT] = "disconnect",
	[LAB_EV_AUTH_FAILURE] = "auth-failure",
	[LAB_EV_TLS_FAILURE] = "tls-failure",
	[LAB_EV_TIMEOUT] = "timeout",
	[LAB_EV_PROTOCOL_ERROR] = "protocol-error",
	[LAB_EV_KICKED] = "kicked",
	[LAB_EV_SWITCH] = "switch",
	[LAB_EV_DPS_SWITCH] = "dps-switch",
	[LAB_EV_DPS_ASSIGNED] = "dps-assigned",
	[LAB_EV_C2D] = "c2d",
	[LAB_EV_DEVICES] = "devices",
	[LAB_EV_SHUTDOWN] = "shutdown",
	[LAB_EV_AMQP_HEADER] = "amqp-header",
	[LAB_EV_WS_UPGRADE] = "ws-upgrade",
	[LAB_EV_WS_REFUSED] = "ws-refused",
	[LAB_EV_SAS_EXPIRED] = "sas-expired",
	[LAB_EV_DROPPED] = "dropped",
	[LAB_EV_WARNING] = "warning",
};

const char *lab_event_name(enum lab_event_kind kind)
{
	return kind < LAB_EV__COUNT ? kind_names[kind] : "unknown";
}

/* The causes' names, as the event stream and /metrics write them (docs/lab.md). */
static const char *const cause_names[LAB_CAUSE__COUNT] = {
	[LAB_CAUSE_NONE] = NULL,
	[LAB_CAUSE_CLIENT] = "client",
	[LAB_CAUSE_KEEPALIVE] = "keepalive",
	[LAB_CAUSE_SAS_EXPIRED] = "sas-expired",
	[LAB_CAUSE_MIGRATE] = "migrate",
	[LAB_CAUSE_REVERT] = "revert",
	[LAB_CAUSE_KICKED] = "kicked",
	[LAB_CAUSE_PROTOCOL_ERROR] = "protocol-error",
	[LAB_CAUSE_SHUTDOWN] = "shutdown",
	[LAB_CAUSE_SLOW_CONSUMER] = "slow-consumer",
	[LAB_CAUSE_AUTH_TIMEOUT] = "auth-timeout",
	[LAB_CAUSE_CROWDED_OUT] = "crowded-out",
};

const char *lab_cause_name(enum lab_cause cause)
{
	return cause < LAB_CAUSE__COUNT ? cause_names[cause] : "unknown";
}

json_t *lab_json_string(const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t len = strlen((const char *)p), o = 0, n;
	char *copy;
	json_t *j;

	if (!(copy = malloc(len + 1)))
		return NULL;
	for (; *p; p += n ? n : 1) {
		n = rs_utf8_len((const char *)p);
		if (n) {
			memcpy(copy + o, p, n);
			o += n;
		} else {
			copy[o++] = '?';
		}
	}
	j = json_stringn(copy, o);
	free(copy);
	return j;
}

/* Sets key to a string made safe by lab_json_string; skipped when s is NULL. */
void lab_json_set_str(json_t *obj, const char *key, const char *s)
{
	if (s)
		json_object_set_new(obj, key, lab_json_string(s));
}

json_t *lab_event_json(const struct lab_event *ev, rs_time at)
{
	json_t *o = json_object();
	char when[32];

	if (!o)
		return NULL;
	rs_time_format(at, when, sizeof(when));
	json_object_set_new(o, "time", json_string(when));
	json_object_set_new(o, "event", json_string(lab_event_name(ev->kind)));
	lab_json_set_str(o, "device", ev->device);
	json_object_set_new(o, "chain", json_string(lab_chain_name(ev->chain)));
	lab_json_set_str(o, "remote", ev->remote);
	lab_json_set_str(o, "cause", lab_cause_name(ev->cause));
	lab_json_set_str(o, "detail", ev->detail);
	if (ev->fields)
		json_object_update(o, ev->fields);
	return o;
}

/* ---- the output: non-blocking, bounded ---- */

static void events_writable(evutil_socket_t fd, short what, void *arg);

/* Writes what the buffer holds until the descriptor would block; 1 drained, 0 more to write, -1 a failed
 * descriptor (its events are discarded from then on). */
static int events_flush(struct lab_server *lab)
{
	struct evbuffer *b = lab->events.out;

	while (evbuffer_get_length(b) > 0) {
		int n = evbuffer_write(b, lab->opts->events_fd);
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
			return 0;
		if (n <= 0) {
			lab->events.failed = 1;
			evbuffer_drain(b, evbuffer_get_length(b));
			return -1;
		}
	}
	return 1;
}

/* Appends one line to the buffer, or counts it as dropped when the buffer is full. */
static void events_queue(struct lab_server *lab, const char *line, size_t len)
{
	if (evbuffer_get_length(lab->events.out) + len + 1 > LAB_EVENTS_MAX) {
		lab->events.dropped++;
		lab->n.events_dropped++;
		return;
	}
	evbuffer_add(lab->events.out, line, len);
	evbuffer_add(lab->events.out, "\n", 1);
}

/* Tries to write now; leaves the rest to the descriptor's readiness. When the buffer drains after drops, a
 * `dropped` event says how many were lost. */
static void events_push(struct lab_server *lab)
{
	int st = events_flush(lab);

	if (st == 1 && lab->events.dropped) {
		struct lab_event ev = { .kind = LAB_EV_DROPPED, .chain = lab->sw.hub_chain };
		char detail[96];
		unsigned long n = lab->events.dropped;

		lab->events.dropped = 0;
		snprintf(detail, sizeof(detail), "%lu events lost: the reader fell behind", n);
		ev.detail = detail;
		ev.fields = json_pack("{s:I}", "count", (json_int_t)n);
		lab_emit(lab, &ev);
		return;
	}
	if (st == 0 && lab->events.write && !event_pending(lab->events.write, EV_WRITE, NULL))
		event_add(lab->events.write, NULL);
}

static void events_writable(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	events_push(arg);
}

int lab_events_start(struct lab_server *lab, struct rs_error *err)
{
	if (lab->opts->events_fd <= 0)
		return 0;
	if (!(lab->events.out = evbuffer_new()) ||
	    !(lab->events.write = event_new(lab->base, lab->opts->events_fd, EV_WRITE, events_writable, lab)))
		return rs_error_set(err, RS_ERR_INTERNAL, "cannot set up the event stream");
	return 0;
}

/* What is still buffered gets one more second at most: the lab stops within it whatever the reader does. */
void lab_events_stop(struct lab_server *lab)
{
	struct pollfd p = { lab->opts->events_fd, POLLOUT, 0 };

	for (int waited = 0; lab->events.out && !lab->events.failed && waited < 1000; waited += 50)
		if (events_flush(lab) != 0 || poll(&p, 1, 50) < 0)
			break;
	if (lab->events.write)
		event_free(lab->events.write);
	if (lab->events.out)
		evbuffer_free(lab->events.out);
	lab->events.write = NULL;
	lab->events.out = NULL;
}

void lab_emit(struct lab_server *lab, struct lab_event *ev)
{
	json_t *o = lab_event_json(ev, lab_now(lab));
	char *line = o ? json_dumps(o, JSON_COMPACT) : NULL;

	if (ev->fields)
		json_decref(ev->fields);
	ev->fields = NULL;
	json_decref(o);
	if (!line)
		return;
	if (lab->opts->log)
		lab->opts->log(lab->opts->arg, line);
	if (lab->events.out && !lab->events.failed) {
		events_queue(lab, line, strlen(line));
		if (!lab->events.write || !event_pending(lab->events.write, EV_WRITE, NULL))
			events_push(lab);
	}
	free(line);
}

/* ---- shorthands ---- */

/* The failures the web page lists: raw strings, rendered (and escaped) by /api/status. */
static void remember_failure(struct lab_server *lab, const struct lab_event *ev, rs_time at)
{
	size_t k = sizeof(lab->admin.recent) / sizeof(lab->admin.recent[0]);
	struct lab_recent *r = &lab->admin.recent[lab->admin.recent_next++ % k];

	r->at = at;
	r->kind = ev->kind;
	r->chain = ev->chain;
	snprintf(r->device, sizeof(r->device), "%s", ev->device ? ev->device : "");
	snprintf(r->detail, sizeof(r->detail), "%s", ev->detail ? ev->detail : "");
}

static int is_failure(enum lab_event_kind k)
{
	return k == LAB_EV_AUTH_FAILURE || k == LAB_EV_TLS_FAILURE || k == LAB_EV_TIMEOUT || k == LAB_EV_PROTOCOL_ERROR;
}

void lab_event(struct lab_server *lab, enum lab_event_kind kind, const char *device, enum lab_chain chain,
	       const char *detail)
{
	struct lab_event ev = { .kind = kind, .chain = chain, .device = device ? device : "",
				.detail = detail ? detail : "" };

	if (is_failure(kind))
		remember_failure(lab, &ev, lab_now(lab));
	lab_emit(lab, &ev);
}

/* "192.0.2.1:50000" or "[2001:db8::1]:50000": the peer of fd; empty when the socket has none any more. */
void lab_remote(evutil_socket_t fd, char *out, size_t size)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	char ip[INET6_ADDRSTRLEN];

	out[0] = '\0';
	if (fd < 0 || getpeername(fd, (struct sockaddr *)&ss, &len) < 0)
		return;
	if (ss.ss_family == AF_INET && inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, ip, sizeof(ip)))
		snprintf(out, size, "%s:%u", ip, ntohs(((struct sockaddr_in *)&ss)->sin_port));
	else if (ss.ss_family == AF_INET6 &&
		 inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, ip, sizeof(ip)))
		snprintf(out, size, "[%s]:%u", ip, ntohs(((struct sockaddr_in6 *)&ss)->sin6_port));
}

void lab_conn_event(struct lab_conn *c, enum lab_event_kind kind, enum lab_cause cause, const char *detail)
{
	char remote[64];
	struct lab_event ev = { .kind = kind, .chain = c->chain, .device = c->device_id, .cause = cause,
				.detail = detail ? detail : "" };

	lab_remote(c->fd, remote, sizeof(remote));
	ev.remote = remote[0] ? remote : NULL;
	if (is_failure(kind))
		remember_failure(c->lab, &ev, lab_now(c->lab));
	lab_emit(c->lab, &ev);
}
