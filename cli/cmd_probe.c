/*
 * cmd_probe.c: check a live endpoint as the device sees it: its own trust store, SNI, then just enough MQTT,
 * HTTPS or AMQP to tell "TLS failed" from "TLS fine, credentials rejected". One target, or many from a file.
 */
#include "probe.h"

#include <errno.h>
#include <pthread.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_STORES 32
#define DEFAULT_DPS_HOST "global.azure-devices-provisioning.net"
#define SAS_LIFETIME 3600

struct probe_args {
	enum probe_format format;
	rs_time at;
	const char *target, *protocol, *profile, *connect_to, *proxy, *alpn, *tls_min, *tls_max;
	const char *stores[MAX_STORES];
	size_t n_stores;
	char *connstr, *dps_key;
	int dps, group_key, verbose, timeout_s;
	const char *id_scope, *registration_id, *targets;
	int concurrency;
	enum rs_verify_policy policy;
	const char *save_chain; /* --save-chain FILE: the served chain as PEM, "-" for stdout */
	const char *lab;        /* --lab DIR: the target is that lab (probe_lab.c) */
	int no_translate;       /* --no-translate: real stores stay as they are against the lab */
	char lab_connect[300], lab_host[256];
	const char *system_root; /* --system-root DIR: without --store, the system store of the system under DIR */
};

/* "host", "host:port" or "[v6]:port"; port 0 when absent. */
static int default_port(const char *protocol)
{
	if (!strcmp(protocol, "mqtt"))
		return 8883;
	if (!strcmp(protocol, "amqp"))
		return 5671;
	return 443;
}

static int parse_protocol(const char *name, int dps, enum rs_probe_protocol *out)
{
	if (!strcmp(name, "tls"))
		*out = RS_PROTO_TLS;
	else if (!strcmp(name, "mqtt") || !strcmp(name, "mqtt-ws"))
		*out = dps ? RS_PROTO_DPS_MQTT : RS_PROTO_MQTT;
	else if (!strcmp(name, "https"))
		*out = RS_PROTO_HTTPS;
	else if (!strcmp(name, "amqp"))
		*out = RS_PROTO_AMQP;
	else
		return -1;
	return 0;
}

static char *secret_from(const char *file, const char *env)
{
	const char *v;

	if (file)
		return read_secret_file(file);
	v = getenv(env);
	return v ? strdup(v) : NULL;
}

/* ---- credentials ---- */

static int hub_creds(struct probe_args *a, struct rs_probe_opts *o, char **host, struct rs_error *err)
{
	struct rs_connstr *cs = rs_connstr_parse(a->connstr, err);
	char *cid = NULL, *user = NULL, *sas = NULL, path[512];
	int rv = -1;

	if (!cs || rs_azure_hub_credentials(cs, a->at, SAS_LIFETIME, host, &cid, &user, &sas, err) < 0)
		goto out;
	if (rs_probe_opts_set_credentials(o, cid, user, sas, err) < 0)
		goto out;
	snprintf(path, sizeof(path), "/devices/%s/messages/events?api-version=2021-04-12", rs_connstr_get(cs, "DeviceId"));
	rv = rs_probe_opts_set_http(o, "POST", path, "{\"rootshift\":\"probe\"}", err);
out:
	free(cid);
	free(user);
	free(sas);
	rs_connstr_free(cs);
	return rv;
}

static int dps_creds(struct probe_args *a, struct rs_probe_opts *o, struct rs_error *err)
{
	char *key = NULL, *user = NULL, *sas = NULL, path[512], body[300];
	int rv = -1;

	if (a->dps_key && a->group_key && !(key = rs_derive_device_key(a->dps_key, a->registration_id, err)))
		return -1;
	if (rs_azure_dps_credentials(a->id_scope, a->registration_id, key ? key : a->dps_key, a->at, SAS_LIFETIME,
				     &user, &sas, err) < 0)
		goto out;
	if (rs_probe_opts_set_credentials(o, a->registration_id, user, sas, err) < 0)
		goto out;
	snprintf(path, sizeof(path), "/%s/registrations/%s/register?api-version=2019-03-31", a->id_scope,
		 a->registration_id);
	snprintf(body, sizeof(body), "{\"registrationId\":\"%s\"}", a->registration_id);
	rv = rs_probe_opts_set_http(o, "PUT", path, body, err);
out:
	free(key);
	free(user);
	free(sas);
	return rv;
}

/* ---- one probe ---- */

struct probe_env {
	struct probe_args *a;
	struct rs_catalog *cat;
	struct rs_certlist *store;
	struct rs_verify_opts *vopts;
	json_t *translated; /* --lab: what replaced what in --store, for the JSON; NULL otherwise */
	struct rs_certlist *lab_whatif[3]; /* --lab: the look-alikes of the profile's roots, for the what-ifs */
	struct progress *progress; /* probe --targets on a terminal: cleared before each record is written */
};

static int configure(struct probe_env *e, const char *target, const char *protocol, struct rs_probe_opts *o,
		     char *label, size_t lsize, struct rs_error *err)
{
	struct probe_args *a = e->a;
	char host[256], chost[256], *cred_host = NULL;
	enum rs_probe_protocol proto = RS_PROTO_TLS;
	int port = 0, cport = 0, rv = -1;

	if (parse_protocol(protocol, a->dps, &proto))
		return set_error(err, RS_ERR_USAGE, "unknown protocol '%s' (use tls, mqtt, mqtt-ws, https or amqp)", protocol);
	if (a->connstr && !a->dps && hub_creds(a, o, &cred_host, err) < 0)
		return -1;
	if (a->dps && dps_creds(a, o, err) < 0)
		return -1;
	if (!target)
		target = cred_host ? cred_host : a->dps ? DEFAULT_DPS_HOST : NULL;
	if (!target || split_hostport(target, host, sizeof(host), &port) < 0) {
		set_error(err, RS_ERR_USAGE, "invalid target '%s': use HOST[:PORT]", target ? target : "");
		goto out;
	}
	port = port ? port : default_port(protocol);
	snprintf(label, lsize, "%s:%d", host, port);
	if (a->connect_to && (split_hostport(a->connect_to, chost, sizeof(chost), &cport) < 0 || !cport)) {
		set_error(err, RS_ERR_USAGE, "invalid --connect-to '%s': use HOST:PORT", a->connect_to);
		goto out;
	}
	rs_probe_opts_set_protocol(o, proto);
	if (!strcmp(protocol, "mqtt-ws") && rs_probe_opts_set_websocket(o, "/$iothub/websocket", err) < 0)
		goto out;
	rv = rs_probe_opts_set_target(o, host, port, err) < 0 || rs_probe_opts_set_store(o, e->store, err) < 0 ||
	     (a->connect_to && rs_probe_opts_set_connect_to(o, chost, cport, err) < 0) ||
	     rs_probe_opts_set_alpn(o, a->alpn, err) < 0 || rs_probe_opts_set_tls_versions(o, a->tls_min, a->tls_max, err) < 0
		     ? -1
		     : 0;
	if (rv == 0 && a->proxy) {
		rv = split_hostport(a->proxy, chost, sizeof(chost), &cport) < 0 || !cport
			     ? set_error(err, RS_ERR_USAGE, "invalid --proxy '%s': use HOST:PORT", a->proxy)
			     : rs_probe_opts_set_proxy(o, chost, cport, err);
	}
	rs_probe_opts_set_verify(o, e->vopts);
	rs_probe_opts_set_clock(o, interruptible_clock, NULL);
	rs_probe_opts_set_timeouts(o, a->timeout_s * 1000, a->timeout_s * 1000, a->timeout_s * 1000);
	rs_probe_opts_set_transcript(o, a->verbose);
out:
	free(cred_host);
	return rv;
}

static const char *protocol_label(const struct probe_args *a, const char *protocol)
{
	if (a->dps)
		return !strcmp(protocol, "mqtt") ? "dps-mqtt" : !strcmp(protocol, "mqtt-ws") ? "dps-mqtt-ws"
		       : !strcmp(protocol, "https") ? "dps-https" : protocol;
	return protocol;
}

/* --save-chain: the chain as the server sent it (leaf first), even when the probe failed after the handshake;
 * with "-" it goes to stdout and the report is one line on stderr. */
static int save_chain(const char *path, const struct probe_view *v)
{
	const struct rs_certlist *chain = rs_probe_result_served_chain(v->result);
	FILE *f = strcmp(path, "-") ? fopen(path, "w") : stdout;
	size_t i;
	int bad = 0;

	if (!f)
		return io_error("cannot write '%s': %s", path, strerror(errno));
	for (i = 0; i < rs_certlist_count(chain) && !bad; i++) {
		char *pem = rs_cert_pem(rs_certlist_at(chain, i));
		bad = !pem || fputs(pem, f) < 0;
		free(pem);
	}
	if (f != stdout)
		bad |= fclose(f) != 0;
	if (bad)
		return io_error("cannot write '%s'", path);
	if (!rs_certlist_count(chain))
		fprintf(stderr, "note: the server sent no certificate: '%s' is empty\n", path);
	return 0;
}

static void render(struct probe_env *e, const struct probe_view *v)
{
	json_t *doc;

	if (e->a->save_chain && !strcmp(e->a->save_chain, "-")) {
		fprintf(stderr, "%s (%s): %s\n", v->target, v->protocol, rs_probe_code_name(rs_probe_result_code(v->result)));
		return;
	}
	if (e->a->format == PF_TEXT) {
		probe_print_text(v, e->a->verbose);
		if (e->translated)
			probe_lab_print_translated(e->a->n_stores ? "--store" : "the system store", e->translated);
		return;
	}
	doc = probe_json(v);
	if (e->translated)
		json_object_set(doc, "translated", e->translated);
	json_dumpf(doc, stdout, e->a->format == PF_JSONL ? JSON_COMPACT | JSON_PRESERVE_ORDER
							 : JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', stdout);
	json_decref(doc);
}

/* Each record reaches a pipe as soon as its target ends: whole, and before anything else is written. */
static void render_record(struct probe_env *e, const struct probe_view *v)
{
	render(e, v);
	fflush(stdout);
}

/* Probes one target; renders it under lock (NULL: no lock). Returns the result code, -1 when it could not run
 * (reported), -2 when a signal stopped it (not rendered: its result would be the stop's, not the target's). */
static int probe_one(struct probe_env *e, const char *target, const char *protocol, pthread_mutex_t *lock)
{
	struct rs_probe_opts *o = rs_probe_opts_new();
	struct rs_probe_result *r = NULL;
	struct rs_error err;
	char label[300];
	int rv = -1;

	if (!o)
		return error("out of memory"), -1;
	if (configure(e, target, protocol, o, label, sizeof(label), &err) < 0 || !(r = rs_probe_run(o, &err))) {
		if (lock)
			pthread_mutex_lock(lock);
		if (target)
			error("cannot probe '%s': %s", target, err.message);
		else
			lib_error(&err);
		if (lock)
			pthread_mutex_unlock(lock);
		goto out;
	}
	{
		struct probe_view v = { label, protocol_label(e->a, protocol), r, e->cat,
					rs_catalog_profile_at(e->cat, 0), e->a->at, e->a->policy,
					e->lab_whatif[0] ? e->lab_whatif : NULL, e->a->lab != NULL };
		if (lock)
			pthread_mutex_lock(lock);
		if (e->progress)
			progress_clear(e->progress);
		if (!interrupted())
			render_record(e, &v);
		if (lock)
			pthread_mutex_unlock(lock);
		if (e->a->save_chain && save_chain(e->a->save_chain, &v))
			goto out;
	}
	rv = interrupted() ? -2 : (int)rs_probe_result_code(r);
out:
	rs_probe_result_free(r);
	rs_probe_opts_free(o);
	return rv;
}

/* ---- many targets ---- */

struct mass {
	struct probe_env *e;
	char **targets, **protocols;
	size_t n, next, done;
	size_t counts[RS_PROBE__COUNT], errors;
	pthread_mutex_t lock;
	struct progress progress;
};

static void *worker(void *arg)
{
	struct mass *m = arg;

	for (;;) {
		size_t i;
		int code;
		pthread_mutex_lock(&m->lock);
		i = m->next < m->n && !interrupted() ? m->next++ : m->n;
		pthread_mutex_unlock(&m->lock);
		if (i >= m->n)
			return NULL;
		code = probe_one(m->e, m->targets[i], m->protocols[i] ? m->protocols[i] : m->e->a->protocol, &m->lock);
		pthread_mutex_lock(&m->lock);
		if (code == -2) {
			pthread_mutex_unlock(&m->lock);
			continue;
		}
		if (code < 0)
			m->errors++;
		else
			m->counts[code]++;
		m->done++;
		if (m->e->progress)
			progress_line(m->e->progress, m->done == m->n, "probing: %zu/%zu targets done", m->done, m->n);
		pthread_mutex_unlock(&m->lock);
	}
}

/* One target a line: "HOST[:PORT] [PROTOCOL]", or JSONL {"target": "...", "protocol": "..."}; '#' comments. */
static int parse_target_line(char *line, char **target, char **protocol, struct rs_error *err)
{
	char *p = line, *q;
	json_t *j;

	*target = *protocol = NULL;
	line[strcspn(line, "\r\n")] = '\0';
	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p || *p == '#')
		return 0;
	if (*p == '{') {
		static const char *const keys[] = { "target", "protocol", NULL };
		static const struct rs_json_keys schema[] = { { "", keys } };
		if (!(j = json_loads(p, 0, NULL)) || !json_is_string(json_object_get(j, "target"))) {
			json_decref(j);
			return -1;
		}
		json_decref(j);
		if (rs_json_check_keys(p, strlen(p), schema, 1, "a target", err) < 0) /* strict, as fleet files are */
			return -2;
		j = json_loads(p, 0, NULL);
		*target = strdup(json_string_value(json_object_get(j, "target")));
		if (json_is_string(json_object_get(j, "protocol")))
			*protocol = strdup(json_string_value(json_object_get(j, "protocol")));
		json_decref(j);
		return 1;
	}
	q = p + strcspn(p, " \t");
	if (*q) {
		*q++ = '\0';
		q += strspn(q, " \t");
		if (*q)
			*protocol = strdup(q);
	}
	*target = strdup(p);
	return 1;
}

static int read_targets(const char *path, struct mass *m)
{
	char *data, *line, *next;
	struct rs_error err;
	size_t len;
	long lineno = 0;
	int rv;

	if ((rv = read_bounded_file(path, LIMIT_TARGETS_FILE, &data, &len)) != 0)
		return rv;
	for (line = data; rv == 0 && line < data + len; line = next) {
		char *t, *p, **nt, **np;
		int got;
		next = line + strcspn(line, "\n");
		if (*next)
			*next++ = '\0';
		lineno++;
		if ((got = next - line > 1024 ? -1 : parse_target_line(line, &t, &p, &err)) == -2) {
			char *one = strstr(err.message, "at line 1 column "); /* the key's place in this line: its column */
			if (one)
				memmove(one + 3, one + 10, strlen(one + 10) + 1);
			rv = input_error("cannot read '%s' line %ld: %s", path, lineno, err.message);
			break;
		}
		if (got < 0) {
			rv = input_error("cannot parse '%s' line %ld: expected HOST[:PORT] [PROTOCOL] or a JSON object with \"target\"", path, lineno);
			break;
		}
		if (!got)
			continue;
		nt = realloc(m->targets, (m->n + 1) * sizeof(*nt));
		if (nt)
			m->targets = nt;
		np = nt ? realloc(m->protocols, (m->n + 1) * sizeof(*np)) : NULL;
		if (np)
			m->protocols = np;
		if (!nt || !np) {
			free(t);
			free(p);
			rv = error("out of memory");
			break;
		}
		m->targets[m->n] = t;
		m->protocols[m->n++] = p;
	}
	free(data);
	return rv;
}

static void print_summary(const struct mass *m, FILE *out)
{
	size_t i;

	fflush(stdout);
	if (interrupted())
		fprintf(out, "summary (partial: stopped by %s): %zu of %zu targets probed", interrupt_name(), m->done, m->n);
	else
		fprintf(out, "summary: %zu targets", m->n);
	for (i = 0; i < RS_PROBE__COUNT; i++)
		if (m->counts[i])
			fprintf(out, ", %zu %s", m->counts[i], rs_probe_code_name((enum rs_probe_code)i));
	if (m->errors)
		fprintf(out, ", %zu could not run", m->errors);
	fputc('\n', out);
}

static int probe_many(struct probe_env *e)
{
	struct mass m;
	pthread_t threads[256];
	sigset_t mask;
	int i, n, rv;
	size_t k;

	memset(&m, 0, sizeof(m));
	m.e = e;
	pthread_mutex_init(&m.lock, NULL);
	if ((rv = read_targets(e->a->targets, &m)) != 0)
		goto out;
	if (m.n == 0) { /* nothing probed is not "every target ok": a CI gate must not pass on an empty list */
		rv = input_error("no target in '%s' (one 'HOST[:PORT] [PROTOCOL]' a line, or JSONL)", e->a->targets);
		goto out;
	}
	if (progress_wanted()) {
		e->progress = &m.progress;
		progress_line(e->progress, 1, "probing: 0/%zu targets done", m.n);
	}
	if ((rv = interrupt_install()) != 0)
		goto out;
	n = e->a->concurrency < (int)m.n ? e->a->concurrency : (int)m.n;
	interrupt_block_in_thread(&mask); /* the workers inherit it: signals reach this thread */
	for (i = 0; i < n; i++)
		if (pthread_create(&threads[i], NULL, worker, &m) != 0)
			break;
	pthread_sigmask(SIG_SETMASK, &mask, NULL);
	n = i;
	if (n == 0 && m.n > 0)
		worker(&m);
	for (i = 0; i < n; i++)
		pthread_join(threads[i], NULL);
	if (e->progress)
		progress_clear(e->progress);
	e->progress = NULL;
	print_summary(&m, e->a->format == PF_TEXT ? stdout : stderr);
	rv = m.errors ? EXIT_ERROR : m.counts[RS_PROBE_OK] + m.counts[RS_PROBE_OK_AUTH_REJECTED] == m.n ? EXIT_OK : EXIT_PROBLEM;
	if (interrupted())
		rv = interrupt_exit_code();
out:
	for (k = 0; k < m.n; k++) {
		free(m.targets[k]);
		free(m.protocols[k]);
	}
	free(m.targets);
	free(m.protocols);
	pthread_mutex_destroy(&m.lock);
	return rv;
}

/* ---- arguments ---- */

static const struct cli_opt rows[] = {
	{ "protocol", 'p', "P", .help = "tls (handshake only), mqtt (default; port 8883), mqtt-ws (MQTT over WebSockets on\n"
	  "/$iothub/websocket, 443), https (443), amqp (5671)", CLI_SHORT },
	{ "connection-string", 'C', "CS", .help = "IoT Hub: HostName, DeviceId, SharedAccessKey or SharedAccessSignature, ModuleId,\n"
	  "GatewayHostName; or from --connection-string-file or $ROOTSHIFT_CONNECTION_STRING" },
	{ "dps", 'd', NULL, .help = "DPS registration (mqtt or https) at HOST (default global.azure-devices-provisioning.net);\n"
	  "the key from --symmetric-key-file, --group-key-file or $ROOTSHIFT_DPS_KEY" },
	{ "connect-to", 'c', "HOST:PORT", .help = "connect there but keep the target's name (SNI, host check, credentials)" },
	{ "proxy", 'x', "HOST:PORT", .help = "through an HTTP CONNECT proxy" },
	{ "tls-min", 'm', "V", .help = "1.0, 1.1, 1.2 or 1.3", 0, 0, 0, "--tls-min, --tls-max" },
	{ "timeout", 't', "SECONDS", .help = "for each step and the whole probe (default 30)" },
	{ "targets", 'T', "FILE", .help = "many targets: one 'HOST[:PORT] [PROTOCOL]' a line, or JSONL {\"target\", \"protocol\"};\n"
	  "probed --concurrency at a time (default 16), one result each, then a summary" },
	{ "policy", 'y', "NAME", .help = "verification policy: webpki (default, strict) or rfc5280 (lenient stacks);\n"
	  "see docs/verify.md" },
	{ "verbose", 'v', NULL, .help = "the protocol exchange, secrets masked", CLI_SHORT },
	{ "save-chain", 'S', "FILE", .help = "write the served chain as PEM, leaf first, as served (even when untrusted); '-'\n"
	  "writes it to standard output and the result line to standard error" },
	{ "lab", 'L', "DIR", .help = "the target is the lab in DIR: its port from DIR/serve.json unless --connect-to, its\n"
	  "hub's name unless a target is given; real certificates the catalog knows in the store\n"
	  "(--store, or the system store) are replaced by the lab's look-alikes of the same role\n"
	  "(notes on stderr)" },
	{ "no-translate", 'N', NULL, .help = "with --lab: keep the real certificates as they are (the lab's chains then fail)" },
	{ "system-root", 'R', "DIR", .help = "without --store: the system store of a root file system unpacked under DIR" },
	{ "format", 'f', "text|json|jsonl", .help = NULL, CLI_SHORT },
	{ "at", 'a', "TIME", .help = NULL, CLI_SHORT },
	{ "store", 's', "PATH", .help = NULL, CLI_SHORT },
	{ "profile", 'P', "NAME|FILE", .help = NULL },
	{ "alpn", 'A', "P", .help = NULL },
	{ "tls-max", 'M', "V", .help = NULL },
	{ "connection-string-file", 'F', "FILE", .help = NULL },
	{ "id-scope", 'i', "S", .help = NULL },
	{ "registration-id", 'r', "R", .help = NULL },
	{ "symmetric-key-file", 'k', "F", .help = NULL },
	{ "group-key-file", 'g', "F", .help = NULL },
	{ "concurrency", 'j', "N", .help = NULL, CLI_SHORT },
	CLI_END_ROWS,
};

const struct cli_spec cli_probe = {
	"probe",
	"check a live endpoint as the device sees it: its store, TLS, then MQTT, HTTPS or AMQP",
	"usage: rootshift probe [HOST[:PORT]] [--protocol tls|mqtt|mqtt-ws|https|amqp] [--store PATH]... [--at TIME]\n"
	"                       [--connection-string CS | --connection-string-file FILE]\n"
	"                       [--dps --id-scope S --registration-id R [--symmetric-key-file F | --group-key-file F]]\n"
	"                       [--connect-to HOST:PORT] [--proxy HOST:PORT] [--alpn P] [--tls-min V] [--tls-max V]\n"
	"                       [--timeout SECONDS] [--profile NAME|FILE] [--format text|json|jsonl] [--verbose]\n"
	"                       [--targets FILE [--concurrency N]] [--policy webpki|rfc5280] [--save-chain FILE]\n"
	"                       [--lab DIR [--no-translate]] [--system-root DIR]\n",
	"Connects with the device's own trust store (--store, in any form inspect reads; default the system store),\n"
	"captures the served chain even when it fails, verifies it with rootshift's path builder, then speaks just\n"
	"enough of the protocol to tell \"TLS failed\" from \"TLS fine, credentials rejected\" (the answer of a test\n"
	"endpoint). What-if verdicts show the chain against the profile's old, new and recommended roots.\n",
	25,
	rows,
	"Result codes: ok, ok-auth-rejected, protocol-error, dns-failed, tcp-refused, tcp-timeout, proxy-failed,\n"
	"tls-alert, tls-protocol-error, cert-untrusted, cert-expired, cert-hostname-mismatch, cert-chain-too-large,\n"
	"timeout, closed-by-peer (the server hung up after TLS; the stage says after what), internal-error.\n"
	"Exit status: 0 when every target is ok or ok-auth-rejected, 1 otherwise, 2 when it cannot run (a\n"
	"--targets file without a target too).\n", NULL
};

static int parse_int(const char *opt, const char *arg, int lo, int hi, int *out)
{
	char *end;
	long v = strtol(arg, &end, 10);

	if (*end || end == arg || v < lo || v > hi)
		return usage_error("probe", "%s must be a number from %d to %d, not '%s'", opt, lo, hi, arg);
	*out = (int)v;
	return 0;
}

static int take_secret(char **dst, const char *file)
{
	free(*dst);
	*dst = read_secret_file(file);
	return *dst ? 0 : EXIT_ERROR;
}

static int parse_option(struct probe_args *a, int c, const char *arg)
{
	switch (c) {
	case 'f':
		if (!strcmp(arg, "jsonl"))
			a->format = PF_JSONL;
		else if (!strcmp(arg, "json"))
			a->format = PF_JSON;
		else if (!strcmp(arg, "text"))
			a->format = PF_TEXT;
		else
			return usage_error("probe", "unknown format '%s' (use text, json or jsonl)", arg);
		return 0;
	case 'a': return parse_at(arg, &a->at);
	case 'p': a->protocol = arg; return 0;
	case 's':
		if (a->n_stores == MAX_STORES)
			return usage_error("probe", "at most %d --store options", MAX_STORES);
		a->stores[a->n_stores++] = arg;
		return 0;
	case 'P': a->profile = arg; return 0;
	case 'c': a->connect_to = arg; return 0;
	case 'x': a->proxy = arg; return 0;
	case 'A': a->alpn = arg; return 0;
	case 'm': a->tls_min = arg; return 0;
	case 'M': a->tls_max = arg; return 0;
	case 't': return parse_int("--timeout", arg, 1, 3600, &a->timeout_s);
	case 'C':
		free(a->connstr);
		a->connstr = strdup(arg);
		return 0;
	case 'F': return take_secret(&a->connstr, arg);
	case 'd': a->dps = 1; return 0;
	case 'i': a->id_scope = arg; return 0;
	case 'r': a->registration_id = arg; return 0;
	case 'k': a->group_key = 0; return take_secret(&a->dps_key, arg);
	case 'g': a->group_key = 1; return take_secret(&a->dps_key, arg);
	case 'T': a->targets = arg; return 0;
	case 'j': return parse_int("--concurrency", arg, 1, 256, &a->concurrency);
	case 'v': a->verbose = 1; return 0;
	case 'y': {
		struct rs_error err;
		if (rs_verify_policy_parse(arg, &a->policy, &err) < 0)
			return usage_error("probe", "%s", err.message);
		return 0;
	}
	case 'S': a->save_chain = arg; return 0;
	case 'L': a->lab = arg; return 0;
	case 'N': a->no_translate = 1; return 0;
	case 'R': a->system_root = arg; return 0;
	default: return EXIT_ERROR;
	}
}

static int check_args(struct probe_args *a, int argc, char **argv)
{
	if (argc - optind > 1)
		return usage_error("probe", "give one target, or many with --targets");
	a->target = optind < argc ? argv[optind] : NULL;
	if (!a->connstr)
		a->connstr = secret_from(NULL, "ROOTSHIFT_CONNECTION_STRING");
	if (!a->dps_key && a->dps)
		a->dps_key = secret_from(NULL, "ROOTSHIFT_DPS_KEY");
	if (a->dps && (!a->id_scope || !a->registration_id))
		return usage_error("probe", "--dps needs --id-scope and --registration-id");
	if (a->system_root && a->n_stores)
		return usage_error("probe", "give --store or --system-root, not both");
	if (a->no_translate && !a->lab)
		return usage_error("probe", "--no-translate is for a probe of a lab (--lab DIR)");
	if (a->lab && !a->target && !a->connstr && !a->dps && !a->targets) {
		if (probe_lab_host(a->lab, a->lab_host, sizeof(a->lab_host)))
			return EXIT_ERROR;
		a->target = a->lab_host;
	}
	if (a->lab && !a->connect_to) {
		if (probe_lab_connect_to(a->lab, a->protocol, a->lab_connect, sizeof(a->lab_connect)))
			return EXIT_ERROR;
		a->connect_to = a->lab_connect;
	}
	if (!a->target && !a->connstr && !a->dps && !a->targets)
		return usage_error("probe", "no target: give HOST[:PORT], --connection-string, --dps or --targets");
	if (a->targets && a->target)
		return usage_error("probe", "give a target or --targets, not both");
	if (a->targets && a->save_chain)
		return usage_error("probe", "--save-chain is for one target, not --targets");
	if (a->save_chain && !strcmp(a->save_chain, "-") && a->format != PF_TEXT)
		return usage_error("probe", "--save-chain - writes the chain to standard output: leave out --format json");
	return 0;
}

static int parse_args(struct probe_args *a, int argc, char **argv)
{
	int c, rv;

	struct cli_parser ps;

	cli_init(&ps, &cli_probe, 0, argc, argv);
	while ((c = cli_next(&ps)) != CLI_DONE) {
		if (c == CLI_HELP)
			return show_help("probe"), -1;
		if (c == '?' || c == ':')
			return unknown_option("probe", argc, argv);
		if ((rv = parse_option(a, c, optarg)) != 0)
			return rv;
	}
	return check_args(a, argc, argv);
}

static int load_stores(struct probe_args *a, struct rs_certlist *store)
{
	size_t i;

	if (a->n_stores == 0)
		return load_system_store(store, a->system_root);
	for (i = 0; i < a->n_stores; i++)
		if (load_store(store, a->stores[i]))
			return EXIT_ERROR;
	return 0;
}

static void free_args(struct probe_args *a)
{
	if (a->connstr)
		memset(a->connstr, 0, strlen(a->connstr));
	if (a->dps_key)
		memset(a->dps_key, 0, strlen(a->dps_key));
	free(a->connstr);
	free(a->dps_key);
}

int cmd_probe(int argc, char **argv)
{
	struct probe_args a = { PF_TEXT, now(), NULL, "mqtt", NULL, NULL, NULL, NULL, NULL, NULL, { NULL }, 0,
				NULL, NULL, 0, 0, 0, 30, NULL, NULL, NULL, 16, RS_VERIFY_POLICY_WEBPKI, NULL,
				NULL, 0, "", "", NULL };
	struct probe_env e = { &a, NULL, NULL, NULL, NULL, { NULL, NULL, NULL }, NULL };
	int rv = EXIT_ERROR, pa = parse_args(&a, argc, argv);

	if (pa != 0)
		goto out;
	if (a.save_chain && strcmp(a.save_chain, "-")) { /* a path that cannot be written fails before the probe */
		FILE *f = fopen(a.save_chain, "a");
		if (!f || fclose(f) != 0) {
			rv = io_error("cannot write '%s': %s", a.save_chain, strerror(errno));
			goto out;
		}
	}
	if (!(e.cat = load_catalog(a.profile)) || !(e.store = rs_certlist_new()) || load_stores(&a, e.store) ||
	    !(e.vopts = rs_verify_opts_new()))
		goto out;
	/* against a lab, the store's real catalog certificates become the lab's look-alikes, whether the store is
	 * --store or the system store (as rehearse does with a class's store) */
	if (a.lab && !a.no_translate &&
	    probe_lab_translate(a.lab, a.n_stores ? "--store" : "the system store", &e.store, &e.translated))
		goto out;
	if (a.lab && !a.no_translate && probe_lab_whatif_stores(a.lab, rs_catalog_profile_at(e.cat, 0), e.lab_whatif))
		goto out;
	rs_verify_opts_set_time(e.vopts, a.at);
	rs_verify_opts_set_policy(e.vopts, a.policy);
	if (a.targets)
		rv = probe_many(&e);
	else {
		int code = probe_one(&e, a.target, a.protocol, NULL);
		rv = code < 0 ? EXIT_ERROR : probe_passed((enum rs_probe_code)code) ? EXIT_OK : EXIT_PROBLEM;
	}
out:
	probe_whatif_forget();
	rs_verify_opts_free(e.vopts);
	rs_certlist_free(e.store);
	json_decref(e.translated);
	for (int i = 0; i < 3; i++)
		rs_certlist_free(e.lab_whatif[i]);
	rs_catalog_free(e.cat);
	free_args(&a);
	return pa < 0 ? EXIT_OK : rv;
}
