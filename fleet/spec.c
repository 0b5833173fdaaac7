/* spec.c: the fleet file (JSON), the demo fleet, device ids and keys. */
#include <jansson.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fleet.h"

static const char *const proto_names[] = { "mqtt", "amqp", "https" };
static const char *const sdk_names[] = { "c", "node", "dotnet", "java", "python" };
static const char *const backoff_names[] = { "exponential", "fixed", "none" };
static const char *const action_names[] = { "migrate", "revert", "disconnect" };
static const char *const dps_names[] = { "none", "mqtt", "https" };

const char *fleet_proto_name(enum fleet_proto p) { return proto_names[p]; }
const char *fleet_sdk_name(enum fleet_sdk s) { return sdk_names[s]; }
const char *fleet_backoff_name(enum fleet_backoff b) { return backoff_names[b]; }
const char *fleet_action_name(enum fleet_action a) { return action_names[a]; }
const char *fleet_dps_name(enum fleet_dps d) { return dps_names[d]; }

int fleet_class_holds(const struct fleet_class *c)
{
	return c->proto != FLEET_HTTPS;
}

static int lookup(const char *const *names, size_t n, const char *s)
{
	for (size_t i = 0; s && i < n; i++)
		if (!strcmp(names[i], s))
			return (int)i;
	return -1;
}

/* azure-iot-facts.md 2.3: C MQTT at 80 % of the SAS lifetime; Node 900 s before expiry; .NET at the lifetime
 * plus a 10-minute grace; Java at 85 %; Python 120 s before expiry; C AMQP never (CBS refresh on the same
 * connection); HTTPS a handshake per request. */
int fleet_cadence(const struct fleet_class *c)
{
	int life = c->sas_lifetime;

	if (c->proto == FLEET_HTTPS)
		return c->request_interval;
	if (c->proto == FLEET_AMQP && c->sdk == FLEET_SDK_C)
		return 0;
	switch (c->sdk) {
	case FLEET_SDK_C: return life * 4 / 5;
	case FLEET_SDK_NODE: return life > 1800 ? life - 900 : life / 2;
	case FLEET_SDK_DOTNET: return life + 600;
	case FLEET_SDK_JAVA: return life * 85 / 100;
	case FLEET_SDK_PYTHON: return life > 240 ? life - 120 : life / 2;
	}
	return 0;
}

static int default_keep_alive(enum fleet_sdk s)
{
	static const int ka[] = { 240, 180, 300, 230, 60 };
	return ka[s];
}

static void class_defaults(struct fleet_class *c)
{
	c->sas_lifetime = 3600;
	c->request_interval = 300;
	c->backoff = FLEET_BACKOFF_EXPONENTIAL;
	c->backoff_initial = 1;
	c->backoff_max = 300;
	c->pings = 1;
}

static int get_int(json_t *obj, const char *key, long long lo, long long hi, long long *out, const char *where,
		   struct rs_error *err)
{
	json_t *v = json_object_get(obj, key);

	if (!v)
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi)
		return rs_error_set(err, RS_ERR_PARSE, "fleet: %s.%s must be an integer from %lld to %lld", where, key,
				    lo, hi);
	*out = json_integer_value(v);
	return 0;
}

static int get_path(json_t *obj, const char *key, const char *base, char *out, size_t size, const char *where,
		    struct rs_error *err)
{
	json_t *v = json_object_get(obj, key);
	const char *s = json_string_value(v);
	int n;

	if (!v)
		return 0;
	if (!s || !*s)
		return rs_error_set(err, RS_ERR_PARSE, "fleet: %s.%s must be a non-empty string", where, key);
	/* relative to the fleet file's directory; "." adds nothing ("stores/x.c", as the user wrote it, in the advice) */
	if (!strncmp(s, "lab:", 4) || s[0] == '/' || !base || !*base || !strcmp(base, "."))
		n = snprintf(out, size, "%s", s);
	else
		n = snprintf(out, size, "%s/%s", base, s);
	if (n < 0 || (size_t)n >= size)
		return rs_error_set(err, RS_ERR_LIMIT, "fleet: %s.%s is too long", where, key);
	return 0;
}

/* A word of names (n of them), or an error naming the value, the words allowed and the nearest one. */
static int get_enum(json_t *obj, const char *key, const char *const *names, size_t n, int *out, const char *where,
		    struct rs_error *err)
{
	json_t *v = json_object_get(obj, key);
	const char *words[8] = { NULL }, *s = json_string_value(v), *near;
	char list[128] = "";
	size_t i, used = 0;
	int k;

	if (!v)
		return 0;
	if ((k = lookup(names, n, s)) >= 0) {
		*out = k;
		return 0;
	}
	for (i = 0; i < n && i + 1 < sizeof(words) / sizeof(words[0]); i++) {
		words[i] = names[i];
		used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%s", i ? ", " : "", names[i]);
		if (used >= sizeof(list))
			break;
	}
	if (!s)
		return rs_error_set(err, RS_ERR_PARSE, "fleet: %s.%s must be a string: one of %s", where, key, list);
	near = rs_nearest_word(s, words);
	return rs_error_set(err, RS_ERR_PARSE, "fleet: %s.%s '%.64s' is not one of %s%s%s%s", where, key, s, list,
			    near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "");
}

/* An optional true or false; a string "true" or a number is a typo that would silently mean false. */
static int get_bool(json_t *obj, const char *key, int def, int *out, const char *where, struct rs_error *err)
{
	json_t *v = json_object_get(obj, key);

	if (v && !json_is_boolean(v))
		return rs_error_set(err, RS_ERR_PARSE, "fleet: %s.%s must be true or false", where, key);
	*out = v ? json_is_true(v) : def;
	return 0;
}

static int parse_class(json_t *o, const char *base, struct fleet_class *c, size_t i, struct rs_error *err)
{
	char where[32];
	const char *name = json_string_value(json_object_get(o, "name"));
	long long v;
	int e;
	json_t *b = json_object_get(o, "backoff");

	snprintf(where, sizeof(where), "classes[%zu]", i);
	class_defaults(c);
	if (!json_is_object(o))
		return rs_error_set(err, RS_ERR_PARSE, "fleet: %s must be an object", where);
	if (!name || !*name || strlen(name) >= 40 ||
	    strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") != strlen(name))
		return rs_error_set(err, RS_ERR_PARSE, "fleet: %s.name must be 1-39 of [A-Za-z0-9-_.]", where);
	snprintf(c->name, sizeof(c->name), "%s", name);
	v = -1;
	if (get_int(o, "count", 0, FLEET_MAX_DEVICES, &v, where, err) < 0)
		return -1;
	if (v < 0)
		return rs_error_set(err, RS_ERR_PARSE, "fleet: %s.count is required", where);
	c->count = (unsigned)v;
	if (!json_object_get(o, "store"))
		return rs_error_set(err, RS_ERR_PARSE, "fleet: %s.store is required", where);
	if (get_path(o, "store", base, c->store, sizeof(c->store), where, err) < 0 ||
	    get_path(o, "pin", base, c->pin, sizeof(c->pin), where, err) < 0)
		return -1;
	e = 0;
	if (get_enum(o, "protocol", proto_names, 3, &e, where, err) < 0)
		return -1;
	c->proto = (enum fleet_proto)e;
	e = 0;
	if (get_enum(o, "dps", dps_names, 3, &e, where, err) < 0)
		return -1;
	c->dps = (enum fleet_dps)e;
	if (c->dps != FLEET_DPS_NONE && c->proto == FLEET_AMQP)
		return rs_error_set(err, RS_ERR_PARSE, "fleet: %s.dps: the lab's AMQP stops at the protocol header, so "
				    "a class that provisions connects to the hub over mqtt or https", where);
	e = 0;
	if (get_enum(o, "sdk", sdk_names, 5, &e, where, err) < 0)
		return -1;
	c->sdk = (enum fleet_sdk)e;
	c->keep_alive = default_keep_alive(c->sdk);
	v = c->sas_lifetime;
	if (get_int(o, "sas_lifetime", 5, 365 * 86400, &v, where, err) < 0)
		return -1;
	c->sas_lifetime = (int)v;
	v = c->keep_alive;
	if (get_int(o, "keep_alive", 0, 1177, &v, where, err) < 0)
		return -1;
	c->keep_alive = (int)v;
	if (get_bool(o, "pings", 1, &c->pings, where, err) < 0)
		return -1;
	v = c->request_interval;
	if (get_int(o, "request_interval", 1, 86400, &v, where, err) < 0)
		return -1;
	c->request_interval = (int)v;
	v = 0;
	if (get_int(o, "clock_skew", -10LL * 365 * 86400, 10LL * 365 * 86400, &v, where, err) < 0)
		return -1;
	c->clock_skew = (int)v;
	if (b) {
		if (!json_is_object(b))
			return rs_error_set(err, RS_ERR_PARSE, "fleet: %s.backoff must be an object", where);
		snprintf(where, sizeof(where), "classes[%zu].backoff", i);
		e = 0;
		if (get_enum(b, "policy", backoff_names, 3, &e, where, err) < 0)
			return -1;
		c->backoff = (enum fleet_backoff)e;
		v = c->backoff_initial;
		if (get_int(b, "initial", 1, 86400, &v, where, err) < 0)
			return -1;
		c->backoff_initial = (int)v;
		v = c->backoff_max;
		if (get_int(b, "max", 1, 86400, &v, where, err) < 0)
			return -1;
		c->backoff_max = (int)v;
	}
	return 0;
}

static int parse_event(json_t *o, struct fleet_event *ev, size_t i, struct rs_error *err)
{
	char where[32];
	long long v = -1;
	int e = -1;

	snprintf(where, sizeof(where), "schedule[%zu]", i);
	if (!json_is_object(o))
		return rs_error_set(err, RS_ERR_PARSE, "fleet: %s must be an object", where);
	if (get_int(o, "at", 0, 30LL * 86400, &v, where, err) < 0 ||
	    get_enum(o, "action", action_names, 3, &e, where, err) < 0)
		return -1;
	if (v < 0 || e < 0)
		return rs_error_set(err, RS_ERR_PARSE, "fleet: %s needs \"at\" (seconds) and \"action\"", where);
	ev->at = v;
	ev->action = (enum fleet_action)e;
	if (get_bool(o, "disconnect", 0, &ev->disconnect, where, err) < 0)
		return -1;
	ev->disconnect |= e == FLEET_DISCONNECT;
	return 0;
}

static int parse_doc(json_t *doc, const char *base, struct fleet_spec *s, struct rs_error *err)
{
	json_t *classes = json_object_get(doc, "classes"), *sched = json_object_get(doc, "schedule");
	const char *seed = json_string_value(json_object_get(doc, "seed"));
	const char *schema = json_string_value(json_object_get(doc, "schema"));
	long long v;
	size_t total = 0;

	if (!json_is_object(doc))
		return rs_error_set(err, RS_ERR_PARSE, "fleet: not a JSON object");
	if (json_object_get(doc, "schema") && (!schema || strcmp(schema, "rootshift/fleet/1")))
		return rs_error_set(err, RS_ERR_PARSE, "fleet: \"schema\" must be \"rootshift/fleet/1\"%s%.64s%s",
				    schema ? ", not '" : "", schema ? schema : "", schema ? "'" : "");
	if (json_object_get(doc, "seed") && !seed)
		return rs_error_set(err, RS_ERR_PARSE, "fleet: \"seed\" must be a string");
	snprintf(s->seed, sizeof(s->seed), "%s", seed ? seed : "rootshift");
	v = s->duration;
	if (get_int(doc, "duration", 60, 30LL * 86400, &v, "fleet", err) < 0)
		return -1;
	s->duration = v;
	v = s->ramp;
	if (get_int(doc, "ramp", 0, 30LL * 86400, &v, "fleet", err) < 0)
		return -1;
	s->ramp = v;
	v = s->sample;
	if (get_int(doc, "sample", 1, 86400, &v, "fleet", err) < 0)
		return -1;
	s->sample = (int)v;
	v = s->dps_delay;
	if (get_int(doc, "dps_delay", 0, 86400, &v, "fleet", err) < 0)
		return -1;
	s->dps_delay = (int)v;
	if (s->duration / s->sample > 100000)
		return rs_error_set(err, RS_ERR_LIMIT, "fleet: more than 100000 curve samples");
	if (!json_is_array(classes) || json_array_size(classes) == 0 || json_array_size(classes) > FLEET_MAX_CLASSES)
		return rs_error_set(err, RS_ERR_PARSE, "fleet: \"classes\" must be an array of 1 to %d classes",
				    FLEET_MAX_CLASSES);
	for (size_t i = 0; i < json_array_size(classes); i++) {
		if (parse_class(json_array_get(classes, i), base, &s->classes[i], i, err) < 0)
			return -1;
		for (size_t j = 0; j < i; j++)
			if (!strcmp(s->classes[j].name, s->classes[i].name))
				return rs_error_set(err, RS_ERR_PARSE, "fleet: class name '%s' is used twice",
						    s->classes[i].name);
		total += s->classes[i].count;
		s->nclasses++;
	}
	if (total > FLEET_MAX_DEVICES)
		return rs_error_set(err, RS_ERR_LIMIT, "fleet: more than %d devices", FLEET_MAX_DEVICES);
	if (sched && (!json_is_array(sched) || json_array_size(sched) > FLEET_MAX_EVENTS))
		return rs_error_set(err, RS_ERR_PARSE, "fleet: \"schedule\" must be an array of at most %d events",
				    FLEET_MAX_EVENTS);
	for (size_t i = 0; sched && i < json_array_size(sched); i++) {
		if (parse_event(json_array_get(sched, i), &s->events[i], i, err) < 0)
			return -1;
		if ((i > 0 && s->events[i].at <= s->events[i - 1].at) || s->events[i].at == 0 ||
		    s->events[i].at >= s->duration)
			return rs_error_set(err, RS_ERR_PARSE,
					    "fleet: schedule[%zu].at must be after the previous event and before the end", i);
		s->nevents++;
	}
	return 0;
}

static struct fleet_spec *spec_new(void)
{
	struct fleet_spec *s = calloc(1, sizeof(*s));

	if (s) {
		s->duration = 6 * 3600;
		s->ramp = 3600;
		s->sample = 60;
	}
	return s;
}

/* The keys a fleet file may have (docs/rehearse.md); any other is a typo that would silently keep a default. */
static const char *const top_keys[] = { "schema", "seed", "duration", "ramp", "sample", "dps_delay", "classes",
					"schedule", NULL };
static const char *const class_keys[] = { "name", "count", "store", "pin", "protocol", "dps", "sdk", "sas_lifetime",
					  "keep_alive", "pings", "request_interval", "clock_skew", "backoff", NULL };
static const char *const backoff_keys[] = { "policy", "initial", "max", NULL };
static const char *const event_keys[] = { "at", "action", "disconnect", NULL };
static const struct rs_json_keys fleet_keys[] = {
	{ "", top_keys }, { "classes[]", class_keys }, { "classes[].backoff", backoff_keys }, { "schedule[]", event_keys },
};

struct fleet_spec *fleet_spec_parse(const char *text, size_t len, const char *base_dir, struct rs_error *err)
{
	json_error_t jerr;
	json_t *doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	struct fleet_spec *s = NULL;

	if (!doc) {
		rs_error_set(err, RS_ERR_PARSE, "fleet: line %d column %d: %s", jerr.line, jerr.column, jerr.text);
		return NULL;
	}
	if (!(s = spec_new()))
		rs_error_set(err, RS_ERR_NOMEM, "out of memory");
	else if (rs_json_check_keys(text, len, fleet_keys, sizeof(fleet_keys) / sizeof(fleet_keys[0]), "fleet", err) < 0 ||
		 parse_doc(doc, base_dir, s, err) < 0) {
		free(s);
		s = NULL;
	}
	json_decref(doc);
	return s;
}

void fleet_spec_free(struct fleet_spec *spec)
{
	free(spec);
}

/* The demo: a fleet like a real one, with every kind of device the notice worries about. Ramp 1 h (random phases),
 * migrate at 2 h, the hub forces every session to reconnect at 4 h, revert at 5 h, end at 6 h. DPS follows the hub
 * 30 minutes after each switch, which the devices that provision through it and trust only the new root show. */
struct fleet_spec *fleet_spec_demo(void)
{
	static const struct {
		const char *name;
		unsigned count;
		const char *store, *pin;
		enum fleet_proto proto;
		enum fleet_sdk sdk;
		enum fleet_dps dps;
	} demo[] = {
		{ "c-mqtt-recommended", 80, "lab:recommended", "", FLEET_MQTT, FLEET_SDK_C, FLEET_DPS_NONE },
		{ "node-mqtt-recommended", 30, "lab:recommended", "", FLEET_MQTT, FLEET_SDK_NODE, FLEET_DPS_NONE },
		{ "c-mqtt-old-only", 40, "lab:old-only", "", FLEET_MQTT, FLEET_SDK_C, FLEET_DPS_NONE },
		{ "c-amqp-recommended", 20, "lab:recommended", "", FLEET_AMQP, FLEET_SDK_C, FLEET_DPS_NONE },
		{ "c-amqp-old-only", 20, "lab:old-only", "", FLEET_AMQP, FLEET_SDK_C, FLEET_DPS_NONE },
		{ "c-mqtt-pinned", 20, "lab:recommended", "lab:pinned-intermediate", FLEET_MQTT, FLEET_SDK_C, FLEET_DPS_NONE },
		{ "dotnet-mqtt-new-only", 20, "lab:new-only", "", FLEET_MQTT, FLEET_SDK_DOTNET, FLEET_DPS_NONE },
		{ "c-dps-mqtt-new-only", 20, "lab:new-only", "", FLEET_MQTT, FLEET_SDK_C, FLEET_DPS_MQTT },
	};
	struct fleet_spec *s = spec_new();

	if (!s)
		return NULL;
	snprintf(s->seed, sizeof(s->seed), "rootshift-demo");
	s->dps_delay = 1800;
	for (size_t i = 0; i < sizeof(demo) / sizeof(demo[0]); i++) {
		struct fleet_class *c = &s->classes[i];
		class_defaults(c);
		snprintf(c->name, sizeof(c->name), "%s", demo[i].name);
		c->count = demo[i].count;
		snprintf(c->store, sizeof(c->store), "%s", demo[i].store);
		snprintf(c->pin, sizeof(c->pin), "%s", demo[i].pin);
		c->proto = demo[i].proto;
		c->sdk = demo[i].sdk;
		c->dps = demo[i].dps;
		c->keep_alive = default_keep_alive(c->sdk);
		c->backoff_max = 600;
	}
	s->nclasses = sizeof(demo) / sizeof(demo[0]);
	s->events[0] = (struct fleet_event){ 2 * 3600, FLEET_MIGRATE, 0 };
	s->events[1] = (struct fleet_event){ 4 * 3600, FLEET_DISCONNECT, 1 };
	s->events[2] = (struct fleet_event){ 5 * 3600, FLEET_REVERT, 0 };
	s->nevents = 3;
	return s;
}

size_t fleet_device_count(const struct fleet_spec *spec)
{
	size_t n = 0;

	for (size_t i = 0; i < spec->nclasses; i++)
		n += spec->classes[i].count;
	return n;
}

static int locate(const struct fleet_spec *spec, size_t i, size_t *cls, size_t *k)
{
	for (size_t c = 0; c < spec->nclasses; c++) {
		if (i < spec->classes[c].count) {
			*cls = c;
			*k = i;
			return 0;
		}
		i -= spec->classes[c].count;
	}
	return -1;
}

int fleet_device_id(const struct fleet_spec *spec, size_t i, char *out, size_t size)
{
	size_t c, k;
	int n;

	if (locate(spec, i, &c, &k) < 0)
		return -1;
	n = snprintf(out, size, "%s-%05zu", spec->classes[c].name, k);
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

int fleet_device_key(const struct fleet_spec *spec, size_t i, char *out, size_t size)
{
	unsigned char md[SHA256_DIGEST_LENGTH];
	char id[128], msg[256];
	int n;

	if (size < 45 || fleet_device_id(spec, i, id, sizeof(id)) < 0)
		return -1;
	n = snprintf(msg, sizeof(msg), "%s\n%s", spec->seed, id);
	SHA256((const unsigned char *)msg, (size_t)n, md);
	EVP_EncodeBlock((unsigned char *)out, md, sizeof(md));
	return 0;
}
