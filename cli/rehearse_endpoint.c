/*
 * rehearse_endpoint.c: `rootshift rehearse FLEET.json --target HOST[:PORT]`, a real endpoint. Its migration is not
 * under rehearse's control, so no schedule runs and no fleet is simulated; what can be shown honestly is, for each
 * class of the fleet:
 *   now        one probe of the endpoint as a device of the class (its store, its protocol, its clock skew, its
 *              pin), with no device credentials: ok-auth-rejected means the TLS side works;
 *   migration  what-if: the profile's new chain (the catalog's intermediates issued by the profile's required
 *              roots) verified with rootshift's path builder against the class's store, as probe's what-if does.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fleet.h"

struct class_check {
	enum rs_probe_code now;
	const char *stage;
	char served_root[128]; /* the catalog name of the root the served chain reached, or "" */
	int after_ok;
	const char *after_reason; /* rs_verify_reason_code of the best failure, or the pin */
	char after_via[128];      /* the new intermediate that verified */
};

static const char *proto_port_name(enum fleet_proto p)
{
	return p == FLEET_AMQP ? "amqp" : p == FLEET_HTTPS ? "https" : "mqtt";
}

static int default_port(enum fleet_proto p)
{
	return p == FLEET_AMQP ? 5671 : p == FLEET_HTTPS ? 443 : 8883;
}

static int in_pins(const struct rs_certlist *pins, const struct rs_cert *c)
{
	for (size_t i = 0; pins && i < rs_certlist_count(pins); i++)
		if (!strcmp(rs_cert_sha256(rs_certlist_at(pins, i)), rs_cert_sha256(c)))
			return 1;
	return 0;
}

static int chain_pinned(const struct rs_certlist *pins, const struct rs_certlist *chain)
{
	for (size_t i = 0; i < rs_certlist_count(chain); i++)
		if (in_pins(pins, rs_certlist_at(chain, i)))
			return 1;
	return 0;
}

/* The probe of the endpoint as a device of the class. */
static int check_now(const struct fleet_class *c, const char *host, int port, const struct rs_certlist *store,
		     const struct rs_certlist *pins, const struct rs_catalog *cat, rs_time at, int timeout_s,
		     struct class_check *out)
{
	struct rs_probe_opts *o = rs_probe_opts_new();
	struct rs_verify_opts *v = rs_verify_opts_new();
	struct rs_probe_result *r = NULL;
	struct rs_error err;
	int rv = -1;

	if (v)
		rs_verify_opts_set_policy(v, FLEET_VERIFY_POLICY);

	if (!o || !v) {
		rv = error("out of memory");
		goto out;
	}
	rs_verify_opts_set_time(v, at + c->clock_skew);
	rs_probe_opts_set_protocol(o, c->proto == FLEET_AMQP ? RS_PROTO_AMQP : c->proto == FLEET_HTTPS ? RS_PROTO_HTTPS
												: RS_PROTO_MQTT);
	if (rs_probe_opts_set_target(o, host, port, &err) < 0 || rs_probe_opts_set_store(o, store, &err) < 0 ||
	    (c->proto == FLEET_HTTPS &&
	     rs_probe_opts_set_http(o, "POST", "/devices/rootshift-rehearse/messages/events?api-version=2021-04-12", "{}",
				    &err) < 0)) {
		rv = lib_error(&err);
		goto out;
	}
	rs_probe_opts_set_verify(o, v);
	rs_probe_opts_set_clock(o, monotonic_ms, NULL);
	rs_probe_opts_set_timeouts(o, timeout_s * 1000, timeout_s * 1000, timeout_s * 1000);
	rs_probe_opts_set_clock(o, interruptible_clock, NULL);
	if (!(r = rs_probe_run(o, &err))) {
		rv = lib_error(&err);
		goto out;
	}
	out->now = rs_probe_result_code(r);
	out->stage = rs_probe_result_stage(r);
	if (pins && (out->now == RS_PROBE_OK || out->now == RS_PROBE_OK_AUTH_REJECTED) &&
	    !chain_pinned(pins, rs_probe_result_served_chain(r))) {
		out->now = RS_PROBE_CERT_UNTRUSTED; /* the pinned certificate is not in the served chain */
		out->stage = "verify";
	}
	if (rs_probe_result_verify(r) && rs_verify_result_ok(rs_probe_result_verify(r))) {
		const struct rs_certlist *path = rs_verify_result_path_at(rs_probe_result_verify(r), 0);
		const struct rs_known *k = path && rs_certlist_count(path)
						   ? rs_catalog_identify(cat, rs_certlist_at(path, rs_certlist_count(path) - 1))
						   : NULL;
		snprintf(out->served_root, sizeof(out->served_root), "%s", k ? rs_known_name(k) : "");
	}
	rv = 0;
out:
	rs_probe_result_free(r);
	rs_verify_opts_free(v);
	rs_probe_opts_free(o);
	return rv;
}

/* Whether the intermediate k is one the service serves after the migration: issued by a required root. */
static int new_chain(const struct rs_profile *p, const struct rs_known *k)
{
	if (rs_known_kind(k) != RS_KIND_INTERMEDIATE || !rs_known_cert(k))
		return 0;
	for (size_t i = 0; i < rs_known_issuer_count(k); i++)
		for (size_t j = 0; j < rs_profile_rule_count(p, "required"); j++)
			if (!strcmp(rs_known_issuer_at(k, i), rs_known_id(rs_profile_rule_at(p, "required", j))))
				return 1;
	return 0;
}

/* What-if: the profile's new chain against the class's store at the device's time. */
static void check_after(const struct fleet_class *c, const struct rs_profile *p, const struct rs_certlist *store,
			const struct rs_certlist *pins, rs_time at, struct class_check *out)
{
	struct rs_verify_opts *v = rs_verify_opts_new();

	if (v)
		rs_verify_opts_set_policy(v, FLEET_VERIFY_POLICY);
	out->after_ok = 0;
	out->after_reason = "no-new-chain";
	for (size_t i = 0; v && i < rs_profile_known_count(p) && !out->after_ok; i++) {
		const struct rs_known *k = rs_profile_known_at(p, i);
		struct rs_certlist *chain;
		struct rs_verify_result *r;
		struct rs_cert *cert;
		size_t len;
		if (!new_chain(p, k) || !(chain = rs_certlist_new()))
			continue;
		rs_verify_opts_set_time(v, at + c->clock_skew);
		cert = rs_cert_from_der(rs_cert_der(rs_known_cert(k), &len), len, NULL);
		if (cert && rs_certlist_add(chain, cert, NULL, NULL) == 0 &&
		    (r = rs_verify(chain, NULL, store, v, NULL)) != NULL) {
			if (!rs_verify_result_ok(r))
				out->after_reason = rs_verify_reason_code(rs_verify_result_reason(r));
			else if (pins && !in_pins(pins, rs_known_cert(k)))
				out->after_reason = "pin-not-served";
			else {
				out->after_ok = 1;
				snprintf(out->after_via, sizeof(out->after_via), "%s", rs_known_name(k));
			}
			rs_verify_result_free(r);
		}
		rs_cert_free(cert);
		rs_certlist_free(chain);
	}
	rs_verify_opts_free(v);
}

static int load_class_stores(const struct fleet_class *c, struct rs_certlist **store, struct rs_certlist **pins)
{
	struct rs_error err;
	int rv;

	if (!strncmp(c->store, "lab:", 4) || !strncmp(c->pin, "lab:", 4))
		return error("class '%s': '%s' names a lab bundle; against a real endpoint give stores as paths", c->name,
			     !strncmp(c->store, "lab:", 4) ? c->store : c->pin);
	if (!(*store = rs_certlist_new()))
		return error("out of memory");
	if ((rv = load_store(*store, c->store)) != 0)
		return rv;
	if (!c->pin[0])
		return 0;
	if (!(*pins = rs_certlist_new()))
		return error("out of memory");
	return rs_load_path(*pins, c->pin, NULL, &err) < 0 ? lib_error(&err) : 0;
}

static int check_class(const struct fleet_class *c, const char *host, int port, const struct rs_catalog *cat,
		       const struct rs_profile *p, rs_time at, int timeout_s, struct class_check *out)
{
	struct rs_certlist *store = NULL, *pins = NULL;
	int rv = load_class_stores(c, &store, &pins);

	if (rv == 0)
		rv = check_now(c, host, port ? port : default_port(c->proto), store, pins, cat, at, timeout_s, out);
	if (rv == 0)
		check_after(c, p, store, pins, at, out);
	rs_certlist_free(store);
	rs_certlist_free(pins);
	return rv;
}

static int passes(enum rs_probe_code code)
{
	return code == RS_PROBE_OK || code == RS_PROBE_OK_AUTH_REJECTED;
}

static const char *verdict(const struct class_check *k)
{
	if (!passes(k->now))
		return "stranded-now";
	return k->after_ok ? "survives" : "stranded-at-migration";
}

static void print_text(const struct fleet_spec *spec, size_t n, const char *host, int port,
		       const struct rs_profile *p, rs_time at, const struct class_check *k)
{
	char when[32];

	printf("target %s: a real endpoint; rehearse does not control its migration, so no schedule runs: each class is\n"
	       "probed now (no device credentials: ok-auth-rejected means TLS works) and the profile '%s' new chain is\n"
	       "verified against its store (what-if), at %s, policy %s\n\n",
	       host, rs_profile_id(p), time_str(at, when), rs_verify_policy_name(FLEET_VERIFY_POLICY));
	printf("  %-24s %-5s %6s  %-24s %-28s %s\n", "class", "proto", "port", "now", "after the migration", "verdict");
	for (size_t i = 0; i < n; i++) {
		const struct fleet_class *c = &spec->classes[i];
		char now[64], after[160];
		snprintf(now, sizeof(now), "%s%s%s", rs_probe_code_name(k[i].now), passes(k[i].now) ? "" : " at ",
			 passes(k[i].now) ? "" : k[i].stage);
		snprintf(after, sizeof(after), "%s", k[i].after_ok ? "ok" : k[i].after_reason);
		printf("  %-24s %-5s %6d  %-24s %-28s %s\n", c->name, proto_port_name(c->proto),
		       port ? port : default_port(c->proto), now, after, verdict(&k[i]));
	}
	for (size_t i = 0; i < n; i++)
		if (spec->classes[i].dps) {
			printf("\nclasses that provision through DPS are probed at %s only, not at a DPS host\n", host);
			break;
		}
}

static json_t *to_json(const struct fleet_spec *spec, size_t n, const char *host, int port,
		       const struct rs_profile *p, rs_time at, const struct class_check *k)
{
	json_t *arr = json_array();
	char when[32];

	for (size_t i = 0; i < n; i++) {
		const struct fleet_class *c = &spec->classes[i];
		json_array_append_new(
			arr, json_pack("{s:s, s:s, s:I, s:{s:s, s:s, s:s?}, s:{s:b, s:s?, s:s?}, s:s}", "name", c->name,
				       "protocol", proto_port_name(c->proto), "port",
				       (json_int_t)(port ? port : default_port(c->proto)), "now", "code",
				       rs_probe_code_name(k[i].now), "stage", k[i].stage, "served_root",
				       k[i].served_root[0] ? k[i].served_root : NULL, "after_migration", "ok",
				       k[i].after_ok, "via", k[i].after_ok ? k[i].after_via : NULL, "reason",
				       k[i].after_ok ? NULL : k[i].after_reason, "verdict", verdict(&k[i])));
	}
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:o}", "schema", "rootshift/rehearse-endpoint/1", "target", host,
			 "profile", rs_profile_id(p), "at", time_str(at, when), "policy",
			 rs_verify_policy_name(FLEET_VERIFY_POLICY), "mode",
			 "no schedule: each class probed now, the profile's new chain verified as a what-if", "classes", arr);
}

/* The classes are probed one after another; SIGINT or SIGTERM ends the probe in flight at once (the probe's clock
 * jumps past every deadline) and the classes probed before it are rendered, marked partial (issue #14). */
int rehearse_endpoint(const struct fleet_spec *spec, const char *target, rs_time at, const char *profile,
		      enum format format, int timeout_s)
{
	char host[256];
	int port = 0, rv = 0, bad = 0;
	size_t done = 0;
	enum rs_status st;
	struct rs_catalog *cat = NULL;
	const struct rs_profile *p = NULL;
	struct class_check *k = calloc(spec->nclasses, sizeof(*k));

	if (!k)
		return error("out of memory");
	if (split_hostport(target, host, sizeof(host), &port) < 0)
		rv = usage_error("rehearse", "invalid --target '%s': use lab:DIR or HOST[:PORT]", target);
	else if (!(cat = load_catalog(profile)) || !(p = pick_profile(cat, profile)))
		rv = EXIT_ERROR;
	for (size_t i = 0; rv == 0 && i < spec->nclasses && !interrupted(); i++) {
		rv = check_class(&spec->classes[i], host, port, cat, p, at, timeout_s, &k[i]);
		if (rv == 0 && interrupted())
			break; /* its probe was cut short by the signal: no answer about this class */
		bad += rv == 0 && strcmp(verdict(&k[i]), "survives");
		done = i + 1;
	}
	/* a class stranded now or at the migration misses what the migration requires: not ready */
	st = rs_status_judge((size_t)bad, 0);
	if (rv == 0 && format == FORMAT_JSON) {
		json_t *doc = to_json(spec, done, target, port, p, at, k);
		json_object_set_new(doc, "verdict", json_pack("{s:s}", "status", rs_status_name(st)));
		if (interrupted())
			json_object_set_new(doc, "partial", json_true());
		rv = print_json(doc);
		json_decref(doc);
	} else if (rv == 0) {
		print_text(spec, done, target, port, p, at, k);
		printf("\n%s: %d of %zu classes %s\n", status_word(st), bad, done,
		       bad == 1 ? "is stranded now or at the migration" : "are stranded now or at the migration");
	}
	if (rv == 0)
		rv = status_exit(st);
	if (interrupted()) {
		fflush(stdout);
		fprintf(stderr, "rootshift: stopped by %s after %zu of %zu classes: the results are partial\n",
			interrupt_name(), done, spec->nclasses);
		rv = interrupt_exit_code();
	}
	rs_catalog_free(cat);
	free(k);
	return rv;
}
