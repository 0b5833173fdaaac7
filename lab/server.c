/*
 * server.c: the lab's event loop, the top of the lab's files. One process, one libevent base: TLS listeners for
 * MQTT (hub and DPS share the port; the CONNECT user name tells them apart), AMQP, WebSockets and HTTPS, each
 * accepted connection handed to its protocol on a TLS transport (conn_io.c) with the chain the switch picks
 * (switch.c); the admin API (http.c), the clock's checks (control.c), the state file and the signals.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/rand.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "server.h"

static void on_accept(struct evconnlistener *l, evutil_socket_t fd, struct sockaddr *sa, int socklen, void *arg)
{
	struct lab_server *lab = arg;
	int proto = l == lab->listen.amqp			     ? LAB_PROTO_AMQP
		    : l == lab->listen.ws || l == lab->listen.https ? LAB_PROTO_HTTPS
								     : LAB_PROTO_MQTT;
	int one = 1;
	int h = lab->opts->handshake_timeout, a = lab->opts->auth_timeout;
	struct lab_conn *c;
	SSL *ssl;

	(void)sa;
	(void)socklen;
	lab->listen.accept_backoff_ms = 0;
	if (lab_conn_make_room(lab) < 0) {
		lab->n.dropped_cap++;
		evutil_closesocket(fd);
		return;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (!(c = lab_conn_new(lab, (enum lab_proto)proto,
			       proto == LAB_PROTO_AMQP	  ? lab_amqp_on_data
			       : proto == LAB_PROTO_HTTPS ? lab_https_on_data
							  : lab_hub_on_data))) {
		evutil_closesocket(fd);
		return;
	}
	c->deadline_auth = a > 0 && a <= h;
	c->auth_more = (unsigned short)(a > h ? a - h : 0);
	if (!(ssl = lab_switch_new_ssl(lab, &c->chain)) || lab_tls_start(c, fd, ssl) < 0 ||
	    lab_conn_deadline(c, a > 0 && a <= h ? a : h) < 0) {
		if (!c->ssl)
			SSL_free(ssl);
		if (!c->io)
			evutil_closesocket(fd);
		lab_conn_close(c);
	}
}

/* ---- listeners and the state file ---- */

#define ACCEPT_BACKOFF_MIN_MS 50
#define ACCEPT_BACKOFF_MAX_MS 1000
#define LAB_WARN_INTERVAL 10 /* seconds between two warnings that accepting fails */

static void listeners_enable(struct lab_server *lab, int on)
{
	struct evconnlistener *all[] = { lab->listen.mqtt, lab->listen.amqp, lab->listen.ws, lab->listen.https, lab->admin.listener };

	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (all[i])
			(void)(on ? evconnlistener_enable(all[i]) : evconnlistener_disable(all[i]));
}

static void accept_again(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	listeners_enable(arg, 1); /* if descriptors are still short, the next accept fails and pauses longer */
}

/* One warning per LAB_WARN_INTERVAL, saying how many failures it stands for. */
static void accept_warning(struct lab_server *lab, int e)
{
	char detail[256];
	rs_time now = lab_now(lab);

	lab->listen.warnings_held++;
	if (lab->listen.last_warning && now - lab->listen.last_warning < LAB_WARN_INTERVAL)
		return;
	snprintf(detail, sizeof(detail),
		 "cannot accept connections: %s; %lu failure(s) since the last warning; accepting paused, retried within "
		 "%d ms", strerror(e), lab->listen.warnings_held, ACCEPT_BACKOFF_MAX_MS);
	lab->listen.last_warning = now;
	lab->listen.warnings_held = 0;
	lab_event(lab, LAB_EV_WARNING, "", lab->sw.hub_chain, detail);
}

/* accept(2) failed (EMFILE, ENFILE, ENOBUFS...; EAGAIN never comes here: libevent's listener_read_cb): without
 * this, libevent retries on every turn of the loop and warns each time. Every listener pauses, for 50 ms doubling
 * to 1 s while it keeps failing, and accepting resumes by itself once descriptors free up (an accept that works
 * resets the pause). */
void lab_accept_error(struct evconnlistener *l, void *arg)
{
	struct lab_server *lab = arg;
	int e = EVUTIL_SOCKET_ERROR();
	struct timeval tv;

	(void)l;
	lab->n.accept_errors++;
	accept_warning(lab, e);
	lab->listen.accept_backoff_ms = lab->listen.accept_backoff_ms ? lab->listen.accept_backoff_ms * 2 : ACCEPT_BACKOFF_MIN_MS;
	if (lab->listen.accept_backoff_ms > ACCEPT_BACKOFF_MAX_MS)
		lab->listen.accept_backoff_ms = ACCEPT_BACKOFF_MAX_MS;
	tv.tv_sec = lab->listen.accept_backoff_ms / 1000;
	tv.tv_usec = (lab->listen.accept_backoff_ms % 1000) * 1000;
	listeners_enable(lab, 0);
	if (evtimer_add(lab->listen.accept_retry, &tv) < 0)
		listeners_enable(lab, 1);
}

static struct evconnlistener *listen_on(struct lab_server *lab, int *port, struct rs_error *err)
{
	struct sockaddr_storage ss;
	int sslen = sizeof(ss);
	struct evconnlistener *l;
	socklen_t len = sizeof(ss);

	memset(&ss, 0, sizeof(ss));
	if (evutil_parse_sockaddr_port(lab->opts->listen, (struct sockaddr *)&ss, &sslen) < 0) {
		rs_error_set(err, RS_ERR_USAGE, "cannot parse listen address '%s'", lab->opts->listen);
		return NULL;
	}
	if (ss.ss_family == AF_INET)
		((struct sockaddr_in *)&ss)->sin_port = htons((uint16_t)*port);
	else
		((struct sockaddr_in6 *)&ss)->sin6_port = htons((uint16_t)*port);
	l = evconnlistener_new_bind(lab->base, on_accept, lab, LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE, 1024,
				    (struct sockaddr *)&ss, sslen);
	if (!l) {
		rs_error_set(err, RS_ERR_IO, "cannot listen on %s port %d: %s", lab->opts->listen, *port,
			     strerror(errno));
		return NULL;
	}
	evconnlistener_set_error_cb(l, lab_accept_error);
	getsockname(evconnlistener_get_fd(l), (struct sockaddr *)&ss, &len);
	*port = ntohs(ss.ss_family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port
					      : ((struct sockaddr_in6 *)&ss)->sin6_port);
	return l;
}

static int write_state(struct lab_server *lab, struct rs_error *err)
{
	char path[4096], *text;
	json_t *o;
	int rv;

	if (lab_path(path, sizeof(path), lab->opts->dir, "serve.json") < 0)
		return rs_error_set(err, RS_ERR_USAGE, "path '%s' is too long", lab->opts->dir);
	o = json_pack("{s:s,s:I,s:s,s:i,s:i,s:i,s:i,s:i,s:s}", "schema", "rootshift/lab-serve/1", "pid",
		      (json_int_t)getpid(), "listen", lab->opts->listen, "mqtt_port", lab->listen.mqtt_port, "https_port",
		      lab->listen.https_port, "amqp_port", lab->listen.amqp_port, "ws_port", lab->listen.ws_port, "admin_port",
		      lab->admin.port, "admin_token", lab->admin.token);
	if (!o || !(text = json_dumps(o, JSON_INDENT(2)))) {
		json_decref(o);
		return rs_error_set(err, RS_ERR_NOMEM, "out of memory");
	}
	json_decref(o);
	rv = lab_write_file(path, text, strlen(text), 1, err);
	OPENSSL_cleanse(text, strlen(text));
	free(text);
	return rv;
}

static void on_signal(evutil_socket_t sig, short what, void *arg)
{
	struct lab_server *lab = arg;

	(void)what;
	lab_event(lab, LAB_EV_SHUTDOWN, "", lab->sw.hub_chain, sig == SIGTERM ? "SIGTERM" : "SIGINT");
	if (lab->opts->stopped_by)
		*lab->opts->stopped_by = (int)sig;
	event_base_loopexit(lab->base, NULL);
}

static void sample(evutil_socket_t fd, short what, void *arg)
{
	struct lab_server *lab = arg;
	size_t cap = sizeof(lab->admin.history) / sizeof(lab->admin.history[0]);

	(void)fd;
	(void)what;
	if (lab->admin.history_len == cap) {
		memmove(lab->admin.history, lab->admin.history + 1, (cap - 1) * sizeof(lab->admin.history[0]));
		lab->admin.history_len--;
	}
	lab->admin.history[lab->admin.history_len++] = (unsigned)lab_connected(lab);
#ifdef __GLIBC__
	/* After a burst (a slowloris, a reconnect storm) give freed heap back to the system, so that resident
	 * memory returns to its baseline instead of staying at the burst's high-water mark. */
	if (lab->sessions.nconns < lab->sessions.peak_conns / 2) {
		malloc_trim(0);
		lab->sessions.peak_conns = lab->sessions.nconns;
	}
#endif
}

static int start(struct lab_server *lab, struct rs_error *err)
{
	unsigned char rnd[32];
	struct timeval five = { 5, 0 };

	if (lab_config_load(lab->opts->dir, &lab->cfg, err) < 0)
		return -1;
	if (!(lab->registry = lab_registry_new(lab->opts->dir)))
		return rs_error_set(err, RS_ERR_NOMEM, "out of memory");
	if (lab_switch_start(lab, err) < 0)
		return -1;
	if (RAND_bytes(rnd, sizeof(rnd)) != 1)
		return rs_error_set_ssl(err, RS_ERR_INTERNAL, "cannot draw the admin token");
	for (size_t i = 0; i < sizeof(rnd); i++)
		snprintf(lab->admin.token + 2 * i, 3, "%02x", rnd[i]);
	if (!(lab->base = event_base_new()) || !(lab->sessions.scratch = evbuffer_new()))
		return rs_error_set(err, RS_ERR_INTERNAL, "cannot start the event loop");
	if (lab_events_start(lab, err) < 0)
		return -1;
	if (!(lab->listen.accept_retry = evtimer_new(lab->base, accept_again, lab)))
		return rs_error_set(err, RS_ERR_INTERNAL, "cannot start the event loop");
	lab->listen.mqtt_port = lab->opts->mqtt_port;
	lab->listen.amqp_port = lab->opts->amqp_port;
	lab->listen.ws_port = lab->opts->ws_port;
	lab->listen.https_port = lab->opts->https_port;
	if (!(lab->listen.mqtt = listen_on(lab, &lab->listen.mqtt_port, err)) || !(lab->listen.amqp = listen_on(lab, &lab->listen.amqp_port, err)) ||
	    !(lab->listen.ws = listen_on(lab, &lab->listen.ws_port, err)) || !(lab->listen.https = listen_on(lab, &lab->listen.https_port, err)) ||
	    lab_admin_start(lab, err) < 0)
		return -1;
	/* Signals are the served lab's; a lab driven by a handle (in another front end's process) is stopped by it, and
	 * libevent's signal events would take the process's handlers. */
	if (!lab->opts->handle) {
		lab->sig_term = evsignal_new(lab->base, SIGTERM, on_signal, lab);
		lab->sig_int = evsignal_new(lab->base, SIGINT, on_signal, lab);
		if (!lab->sig_term || !lab->sig_int || evsignal_add(lab->sig_term, NULL) || evsignal_add(lab->sig_int, NULL))
			return rs_error_set(err, RS_ERR_INTERNAL, "cannot set up the event loop");
	}
	lab->admin.sampler = event_new(lab->base, -1, EV_PERSIST, sample, lab);
	if (lab_control_start(lab, err) < 0)
		return -1;
	if (!lab->admin.sampler || event_add(lab->admin.sampler, &five))
		return rs_error_set(err, RS_ERR_INTERNAL, "cannot set up the event loop");
	return write_state(lab, err);
}

static void stop(struct lab_server *lab)
{
	char path[4096];

	/* First: serve.json holds the admin token, and once the signal events are freed below a signal may end the
	 * process before the end of stop() (the lock, not this file, keeps a second server out until we are gone). */
	if (lab_path(path, sizeof(path), lab->opts->dir, "serve.json") == 0)
		unlink(path);
	while (lab->sessions.conns)
		lab_conn_drop(lab->sessions.conns, LAB_CAUSE_SHUTDOWN, NULL);
	if (lab->listen.mqtt)
		evconnlistener_free(lab->listen.mqtt);
	if (lab->listen.amqp)
		evconnlistener_free(lab->listen.amqp);
	if (lab->listen.ws)
		evconnlistener_free(lab->listen.ws);
	if (lab->listen.https)
		evconnlistener_free(lab->listen.https);
	lab_admin_stop(lab);
	lab_control_stop(lab);
	lab_events_stop(lab);
	if (lab->listen.accept_retry)
		event_free(lab->listen.accept_retry);
	if (lab->sig_term)
		event_free(lab->sig_term);
	if (lab->sig_int)
		event_free(lab->sig_int);
	if (lab->admin.sampler)
		event_free(lab->admin.sampler);
	if (lab->sessions.scratch)
		evbuffer_free(lab->sessions.scratch);
	if (lab->base)
		event_base_free(lab->base);
	lab_switch_stop(lab);
	lab_registry_free(lab->registry);
	lab_hub_sessions_free(lab);
	OPENSSL_cleanse(lab->admin.token, sizeof(lab->admin.token));
}

/* Descriptors open now (/proc/self/fd, less the one reading it), or -1. */
static long open_descriptors(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	long n = -1; /* the directory's own descriptor */

	if (!d)
		return -1;
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

/* The ready event: where the lab listens, and how many connections its descriptors allow (one each, with
 * LAB_FD_SPARE kept for the admin API, HTTPS and the registry's files). */
static void ready(struct lab_server *lab)
{
	struct lab_event ev = { .kind = LAB_EV_READY, .chain = lab->sw.hub_chain };
	struct rlimit rl;
	long open = open_descriptors(), room = -1;
	json_t *o;
	char *line;

	ev.fields = json_pack("{s:s,s:i,s:i,s:i,s:i,s:i,s:s,s:i}", "listen", lab->opts->listen, "mqtt_port",
			      lab->listen.mqtt_port, "https_port", lab->listen.https_port, "amqp_port", lab->listen.amqp_port, "ws_port",
			      lab->listen.ws_port, "admin_port", lab->admin.port, "hub", lab->cfg.hub_host, "max_connections",
			      lab->opts->max_conns);
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY && open >= 0) {
		room = (long)rl.rlim_cur - open - LAB_FD_SPARE;
		json_object_set_new(ev.fields, "descriptor_limit", json_integer((json_int_t)rl.rlim_cur));
		json_object_set_new(ev.fields, "descriptors_open", json_integer(open));
		json_object_set_new(ev.fields, "connections_allowed", json_integer(room > 0 ? room : 0));
	}
	if (lab->opts->ready && (o = lab_event_json(&ev, lab_now(lab)))) {
		if ((line = json_dumps(o, JSON_COMPACT)))
			lab->opts->ready(lab->opts->arg, line);
		free(line);
		json_decref(o);
	}
	lab_emit(lab, &ev);
}

int lab_serve(const struct lab_serve_opts *opts, struct rs_error *err)
{
	struct lab_server *lab = calloc(1, sizeof(*lab));
	int rv = -1;

	if (!lab)
		return rs_error_set(err, RS_ERR_NOMEM, "out of memory");
	lab->opts = opts;
	lab->sw.hub_chain = lab->sw.dps_chain = lab->sw.dps_target = opts->chain;
	lab->started = lab->sw.switched_at = opts->clock(opts->arg);
	signal(SIGPIPE, SIG_IGN);
	if (start(lab, err) == 0) {
		if (opts->cancel && *opts->cancel) { /* a signal in the start, before ours took over */
			if (opts->stopped_by)
				*opts->stopped_by = *opts->cancel;
		} else {
			ready(lab);
			event_base_dispatch(lab->base);
		}
		rv = 0;
	}
	stop(lab);
	free(lab);
	return rv;
}
