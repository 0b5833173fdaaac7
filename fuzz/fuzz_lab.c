/* fuzz_lab.c: hostile device ids, user names and topics through the lab's hub (lab/mqtt_hub.c), then /api/status,
 * every event line and /metrics must still parse. The input is split at 0xff bytes (never part of UTF-8) into a
 * client id, a user name, a topic and a TLS failure reason. The strings go over the wire as MQTT packets into a
 * connection without a socket (its output fails, as a peer that went away), as a DPS session that the status
 * lists, a hub CONNECT that fails authentication, and a PUBLISH; and straight into an event and a metric label,
 * where bytes that are not UTF-8 may arrive too. */
#include "server.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static rs_time fixed_clock(void *arg)
{
	(void)arg;
	return 1767225600; /* 2026-01-01 */
}

static void check_line(const char *line)
{
	json_t *j = json_loads(line, JSON_REJECT_DUPLICATES, NULL);

	if (!json_is_object(j))
		abort();
	json_decref(j);
}

/* A Prometheus sample line: name, optional {label="value",...} with \\, \" and \n the only escapes, a value. */
static void check_metrics(const char *text)
{
	for (const char *p = text; *p; p = strchr(p, '\n') + 1) {
		if (!strchr(p, '\n'))
			abort(); /* every line ends with a line feed */
		if (*p == '#')
			continue;
		p += strspn(p, "abcdefghijklmnopqrstuvwxyz_");
		if (*p == '{') {
			do {
				p++;
				p += strspn(p, "abcdefghijklmnopqrstuvwxyz_");
				if (*p++ != '=' || *p++ != '"')
					abort();
				while (*p != '"') {
					if (*p == '\n' || !*p)
						abort();
					if (*p == '\\' && !strchr("\\\"n", *++p))
						abort();
					p++;
				}
				p++;
			} while (*p == ',');
			if (*p++ != '}')
				abort();
		}
		if (*p != ' ' || !strchr("0123456789", p[1]))
			abort();
	}
}

/* Feeds one CONNECT and a PUBLISH to topic through a new connection, which stays open if it became a session. */
static void feed(struct lab_server *lab, const char *cid, const char *user, const char *topic)
{
	struct rs_mqtt_packet p = { 0 };
	struct lab_memio m = { 0 };
	struct evbuffer *in = evbuffer_new();
	struct lab_conn *c;
	unsigned char buf[8192];
	struct rs_error err;
	size_t len;

	m.fail = 1; /* output fails at once, as to a peer that went away */
	if (!in || !(c = lab_memio_connect(lab, &m, LAB_PROTO_MQTT, lab_hub_on_data)))
		abort();
	p.type = RS_MQTT_CONNECT;
	p.protocol_name.ptr = "MQTT";
	p.protocol_name.len = 4;
	p.protocol_level = 4;
	p.client_id.ptr = cid;
	p.client_id.len = strlen(cid);
	p.has_username = p.has_password = 1;
	p.username.ptr = user;
	p.username.len = strlen(user);
	p.password.ptr = "SharedAccessSignature sr=x&sig=y&se=1";
	p.password.len = strlen(p.password.ptr);
	if (rs_mqtt_encode(&p, buf, sizeof(buf), &len, &err) == 0)
		evbuffer_add(in, buf, len);
	memset(&p, 0, sizeof(p));
	p.type = RS_MQTT_PUBLISH;
	p.topic.ptr = topic;
	p.topic.len = strlen(topic);
	if (rs_mqtt_encode(&p, buf, sizeof(buf), &len, &err) == 0)
		evbuffer_add(in, buf, len);
	if (lab_memio_feed(&m, evbuffer_pullup(in, -1), evbuffer_get_length(in)) == 0 && c->state == LAB_ST_WAIT_CONNECT)
		lab_conn_close(c);
	m.conn = NULL; /* a session stays in the lab's list (freed at the end); its memio state goes now */
	if (!m.closed)
		c->io = NULL;
	lab_memio_free(&m);
	evbuffer_free(in);
}

static void log_line(void *arg, const char *line)
{
	(void)arg;
	check_line(line);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct event_base *base;
	struct lab_serve_opts opts = { 0 };
	struct lab_server *lab = calloc(1, sizeof(*lab));
	char *s = malloc(size + 4);
	const char *part[4] = { "", "", "", "" };
	struct evbuffer *b = evbuffer_new();
	size_t n = 0, len;

	if (!base)
		base = event_base_new();
	if (!lab || !s || !b || !base)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	part[n++] = s;
	for (size_t i = 0; i < size && n < 4; i++)
		if ((unsigned char)s[i] == 0xff) {
			s[i] = '\0';
			part[n++] = s + i + 1;
		}
	opts.clock = fixed_clock;
	opts.log = log_line;
	opts.listen = "127.0.0.1";
	opts.test_endpoint = 1; /* every hub credential fails without a registry */
	lab->opts = &opts;
	lab->base = base;
	snprintf(lab->cfg.hub_host, sizeof(lab->cfg.hub_host), "rootshift-lab.azure-devices.net");
	snprintf(lab->cfg.id_scope, sizeof(lab->cfg.id_scope), "0ne00000000");

	feed(lab, part[0], "0ne00000000/registrations/x/api-version=2019-03-31", part[2]); /* DPS: held */
	feed(lab, part[0], part[1], part[2]);
	lab_event(lab, LAB_EV_AUTH_FAILURE, part[0], LAB_CHAIN_OLD, part[1]);
	lab_event(lab, LAB_EV_PROTOCOL_ERROR, part[2], LAB_CHAIN_NEW, part[3]);
	lab_count_tls_failure(lab, part[3]);

	lab_admin_status(lab, b);
	len = evbuffer_get_length(b);
	evbuffer_add(b, "", 1);
	if (!len)
		abort();
	check_line((const char *)evbuffer_pullup(b, -1));
	evbuffer_drain(b, evbuffer_get_length(b));
	lab_admin_metrics(lab, b);
	evbuffer_add(b, "", 1);
	check_metrics((const char *)evbuffer_pullup(b, -1));

	while (lab->sessions.conns)
		lab_conn_close(lab->sessions.conns);
	evbuffer_free(b);
	free(lab);
	free(s);
	return 0;
}
