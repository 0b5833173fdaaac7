/*
 * check_endpoints.c: `check --endpoints` probes the profile's endpoints (those with a concrete host name) with
 * the store the audit found, TLS only, and says plainly when the network cannot reach them.
 */
#include "cli.h"

#include <string.h>
#include <time.h>

#define ENDPOINT_TIMEOUT_MS 5000

static struct rs_probe_result *probe_endpoint(const struct rs_endpoint *e, const struct rs_certlist *store,
					      const struct rs_verify_opts *vopts)
{
	struct rs_probe_opts *o = rs_probe_opts_new();
	struct rs_probe_result *r = NULL;
	struct rs_error err;

	if (o && rs_probe_opts_set_target(o, e->host, e->port, &err) == 0 && rs_probe_opts_set_store(o, store, &err) == 0) {
		rs_probe_opts_set_protocol(o, RS_PROTO_TLS);
		rs_probe_opts_set_verify(o, vopts);
		rs_probe_opts_set_clock(o, monotonic_ms, NULL);
		rs_probe_opts_set_timeouts(o, ENDPOINT_TIMEOUT_MS, ENDPOINT_TIMEOUT_MS, ENDPOINT_TIMEOUT_MS);
		r = rs_probe_run(o, &err);
	}
	rs_probe_opts_free(o);
	return r;
}

static json_t *endpoint_json(const struct rs_endpoint *e, const struct rs_probe_result *r)
{
	json_t *o = json_object();

	json_object_set_new(o, "service", json_string(e->service));
	json_object_set_new(o, "protocol", json_string(e->protocol));
	json_object_set_new(o, "host", json_string(e->host));
	json_object_set_new(o, "port", json_integer(e->port));
	json_object_set_new(o, "test", json_boolean(e->test));
	json_object_set_new(o, "code", json_string(rs_probe_code_name(rs_probe_result_code(r))));
	json_object_set_new(o, "message", json_string(rs_probe_result_message(r)));
	return o;
}

json_t *check_endpoints(const struct rs_profile *p, const struct rs_anchorset *set, rs_time at, int *failed,
			int *unreachable)
{
	struct rs_certlist *store = rs_certlist_new();
	struct rs_verify_opts *vopts = rs_verify_opts_new();
	json_t *arr = json_array();
	struct rs_error err;
	size_t i, probed = 0, network = 0;

	*failed = 0;
	if (!store || !vopts || rs_anchorset_trusted_certs(set, store, NULL, &err) < 0)
		goto out;
	rs_verify_opts_set_time(vopts, at);
	rs_verify_opts_set_policy(vopts, CHECK_ENDPOINTS_POLICY);
	for (i = 0; i < rs_profile_endpoint_count(p); i++) {
		const struct rs_endpoint *e = rs_profile_endpoint_at(p, i);
		struct rs_probe_result *r;
		if (strchr(e->host, '*') || !(r = probe_endpoint(e, store, vopts)))
			continue;
		probed++;
		if (!strcmp(rs_probe_code_group(rs_probe_result_code(r)), "network") ||
		    rs_probe_result_code(r) == RS_PROBE_TIMEOUT)
			network++;
		else if (!(rs_probe_result_code(r) == RS_PROBE_OK || rs_probe_result_code(r) == RS_PROBE_OK_AUTH_REJECTED))
			*failed = 1;
		json_array_append_new(arr, endpoint_json(e, r));
		rs_probe_result_free(r);
	}
out:
	*unreachable = probed > 0 && network == probed;
	rs_verify_opts_free(vopts);
	rs_certlist_free(store);
	return arr;
}

void print_endpoints(const json_t *arr, int unreachable)
{
	const json_t *e;
	size_t i;

	printf("\nendpoints (TLS with this store, verify policy %s):\n", rs_verify_policy_name(CHECK_ENDPOINTS_POLICY));
	json_array_foreach(arr, i, e)
		printf("  %-48s %-22s %s\n", json_string_value(json_object_get(e, "host")),
		       json_string_value(json_object_get(e, "code")), json_string_value(json_object_get(e, "message")));
	if (unreachable)
		printf("the network cannot reach any endpoint from here: nothing was learned about TLS; the verdict "
		       "above rests on the store alone\n");
}
