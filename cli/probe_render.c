/* probe_render.c: probe results as text, JSON and JSONL, with what-if verdicts and interception notes. */
#include "probe.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

const char *probe_meaning(enum rs_probe_code code)
{
	switch (code) {
	case RS_PROBE_OK: return "TLS OK with your store; the server accepted the credentials";
	case RS_PROBE_OK_AUTH_REJECTED: return "TLS OK with your store; credentials rejected, as expected for a test endpoint";
	case RS_PROBE_PROTOCOL_ERROR: return "TLS OK with your store, but the protocol exchange failed";
	case RS_PROBE_DNS_FAILED: return "the host name does not resolve: nothing was learned about TLS";
	case RS_PROBE_TCP_REFUSED: return "the port refused the connection: nothing was learned about TLS";
	case RS_PROBE_TCP_TIMEOUT: return "no answer to the TCP connection: a firewall or a wrong address";
	case RS_PROBE_PROXY_FAILED: return "the proxy did not open a tunnel";
	case RS_PROBE_TLS_ALERT: return "the server refused the TLS handshake with an alert";
	case RS_PROBE_TLS_PROTOCOL_ERROR: return "the TLS handshake failed: versions, ciphers or a broken server";
	case RS_PROBE_CERT_UNTRUSTED: return "your store does not trust the served chain: this device would not connect";
	case RS_PROBE_CERT_EXPIRED: return "a certificate of the served chain is expired or not yet valid at the chosen time";
	case RS_PROBE_CERT_HOSTNAME_MISMATCH: return "the served certificate does not name this host";
	case RS_PROBE_CERT_CHAIN_TOO_LARGE: return "the served chain is larger than the device's buffer";
	case RS_PROBE_TIMEOUT: return "the probe ran out of time";
	case RS_PROBE_CLOSED_BY_PEER: return "the server hung up after the TLS handshake: a firewall, a full broker or a gateway";
	case RS_PROBE_INTERNAL_ERROR: return "rootshift itself failed (memory, sockets): nothing was learned about the endpoint";
	case RS_PROBE__COUNT: break;
	}
	return "";
}

/* probe_meaning for this probe: a TLS-only probe sends no credentials, so its "ok" says only what it checked. */
static const char *view_meaning(const struct probe_view *v)
{
	enum rs_probe_code code = rs_probe_result_code(v->result);

	if (code == RS_PROBE_OK && v->protocol && !strcmp(v->protocol, "tls"))
		return "TLS OK with your store: the handshake and the chain verified (--protocol tls sends no credentials)";
	return probe_meaning(code);
}

int probe_passed(enum rs_probe_code code)
{
	return code == RS_PROBE_OK || code == RS_PROBE_OK_AUTH_REJECTED;
}

struct whatif {
	const char *name, *rule;
};

static const struct whatif whatifs[] = {
	{ "old", "old" }, { "new", "required" }, { "recommended", "recommended" },
};

/* The what-if i against the profile's roots of that rule, or against their look-alikes for a lab (lab_whatif). */
static struct rs_verify_result *whatif_run(const struct probe_view *v, size_t i)
{
	const struct rs_certlist *chain = rs_probe_result_served_chain(v->result);
	struct rs_certlist *store = v->lab_whatif ? NULL : rs_certlist_new();
	struct rs_verify_opts *o = rs_verify_opts_new();
	struct rs_verify_result *r = NULL;
	struct rs_error err;

	if (o && (v->lab_whatif || (store && rs_profile_rule_store(v->profile, whatifs[i].rule, store, &err) == 0))) {
		rs_verify_opts_set_time(o, v->at);
		rs_verify_opts_set_policy(o, v->policy);
		r = rs_verify(chain, NULL, v->lab_whatif ? v->lab_whatif[i] : store, o, &err);
	}
	rs_verify_opts_free(o);
	rs_certlist_free(store);
	return r;
}

/*
 * What-ifs depend only on the served chain, the profile, the time and the policy: many targets of one service serve
 * one chain, so probe --targets verifies it against the profile's stores once and copies the verdicts (three
 * verifications a target were a quarter of its work; issue #19). Keyed by the chain's SHA-256 digests; a few chains.
 */
#define WHATIF_CACHE 16
static struct {
	char *key;
	const struct rs_profile *profile;
	rs_time at;
	enum rs_verify_policy policy;
	json_t *arr;
} whatif_cache[WHATIF_CACHE];
static size_t whatif_next;
static pthread_mutex_t whatif_lock = PTHREAD_MUTEX_INITIALIZER;

static char *chain_key(const struct rs_certlist *chain)
{
	size_t i, n = rs_certlist_count(chain);
	char *key = malloc(n * 65 + 1);

	if (!key)
		return NULL;
	key[0] = '\0';
	for (i = 0; i < n; i++) {
		memcpy(key + i * 65, rs_cert_sha256(rs_certlist_at(chain, i)), 64);
		key[i * 65 + 64] = ',';
		key[i * 65 + 65] = '\0';
	}
	return key;
}

/* A copy of the cached verdicts, or NULL. */
static json_t *whatif_cached(const struct probe_view *v, const char *key)
{
	json_t *copy = NULL;
	size_t i;

	pthread_mutex_lock(&whatif_lock);
	for (i = 0; i < WHATIF_CACHE && !copy; i++)
		if (whatif_cache[i].key && whatif_cache[i].profile == v->profile && whatif_cache[i].at == v->at &&
		    whatif_cache[i].policy == v->policy && !strcmp(whatif_cache[i].key, key))
			copy = json_deep_copy(whatif_cache[i].arr);
	pthread_mutex_unlock(&whatif_lock);
	return copy;
}

static void whatif_keep(const struct probe_view *v, char *key, const json_t *arr)
{
	json_t *copy = json_deep_copy(arr);
	size_t i;

	if (!copy) {
		free(key);
		return;
	}
	pthread_mutex_lock(&whatif_lock);
	i = whatif_next++ % WHATIF_CACHE;
	free(whatif_cache[i].key);
	json_decref(whatif_cache[i].arr);
	whatif_cache[i].key = key;
	whatif_cache[i].profile = v->profile;
	whatif_cache[i].at = v->at;
	whatif_cache[i].policy = v->policy;
	whatif_cache[i].arr = copy;
	pthread_mutex_unlock(&whatif_lock);
}

void probe_whatif_forget(void)
{
	size_t i;

	pthread_mutex_lock(&whatif_lock);
	for (i = 0; i < WHATIF_CACHE; i++) {
		free(whatif_cache[i].key);
		json_decref(whatif_cache[i].arr);
		whatif_cache[i].key = NULL;
		whatif_cache[i].arr = NULL;
	}
	pthread_mutex_unlock(&whatif_lock);
}

json_t *probe_whatif_json(const struct probe_view *v)
{
	const struct rs_certlist *chain = rs_probe_result_served_chain(v->result);
	json_t *arr;
	char *key;
	size_t i;

	if (!v->profile || rs_certlist_count(chain) == 0)
		return json_array();
	key = chain_key(chain);
	if (key && (arr = whatif_cached(v, key)) != NULL) {
		free(key);
		return arr;
	}
	arr = json_array();
	for (i = 0; i < sizeof(whatifs) / sizeof(whatifs[0]); i++) {
		struct rs_verify_result *r = whatif_run(v, i);
		json_t *o;
		if (!r) {
			free(key); /* not kept: a failure of ours (memory), not a verdict */
			key = NULL;
			continue;
		}
		o = json_object();
		json_object_set_new(o, "store", json_string(whatifs[i].name));
		json_object_set_new(o, "profile", json_string(rs_profile_id(v->profile)));
		if (v->lab_whatif) /* the lab's look-alikes of the profile's roots (probe --lab) */
			json_object_set_new(o, "lookalikes", json_true());
		json_object_set_new(o, "ok", json_boolean(rs_verify_result_ok(r)));
		json_object_set_new(o, "reason", json_string(rs_verify_reason_code(rs_verify_result_reason(r))));
		json_array_append_new(arr, o);
		rs_verify_result_free(r);
	}
	if (key)
		whatif_keep(v, key, arr);
	return arr;
}

/* The what-ifs in the verdict vocabulary every command shares (rs_status_judge, issue #19): not ready when the
 * profile's new (required) roots do not trust the served chain, partial when only its recommended roots do not,
 * ready otherwise; the old roots failing is where the migration goes, not a problem. -1 without what-ifs. */
static int whatif_status(json_t *arr, enum rs_status *out)
{
	size_t i, errors = 0, warnings = 0;
	json_t *w;

	if (json_array_size(arr) == 0)
		return -1;
	json_array_foreach(arr, i, w) {
		const char *store = json_string_value(json_object_get(w, "store"));
		if (json_is_true(json_object_get(w, "ok")) || !store)
			continue;
		errors += !strcmp(store, "new");
		warnings += !strcmp(store, "recommended");
	}
	*out = rs_status_judge(errors, warnings);
	return 0;
}

/* The served certificates above the leaf that the catalog does not know: a TLS-inspecting proxy re-signs with
 * its own CA, so an unknown issuer on a host of the profile is the sign. */
static const struct rs_cert *interceptor(const struct probe_view *v)
{
	const struct rs_certlist *chain = rs_probe_result_served_chain(v->result);
	size_t i, n = rs_certlist_count(chain);

	if (!v->profile || n < 2 || !v->cat || v->lab) /* a lab's chain is its own look-alikes, not an interceptor's */
		return NULL;
	for (i = 0; i < rs_profile_leaf_pattern_count(v->profile); i++) {
		const char *pat = rs_profile_leaf_pattern_at(v->profile, i), *host = v->target;
		const char *suffix = pat[0] == '*' ? pat + 1 : pat, *colon = strrchr(host, ':');
		size_t hl = colon ? (size_t)(colon - host) : strlen(host), sl = strlen(suffix);
		if (hl < sl || strncmp(host + hl - sl, suffix, sl))
			continue;
		if (n >= 2 && !rs_catalog_identify(v->cat, rs_certlist_at(chain, 1)))
			return rs_certlist_at(chain, 1);
	}
	return NULL;
}

static json_t *chain_json(const struct probe_view *v)
{
	const struct rs_certlist *chain = rs_probe_result_served_chain(v->result);
	json_t *arr = json_array();
	size_t i;

	for (i = 0; i < rs_certlist_count(chain); i++)
		json_array_append_new(arr, cert_json(rs_certlist_at(chain, i), rs_certlist_location(chain, i), v->cat, v->at));
	return arr;
}

static json_t *path_json(const struct probe_view *v)
{
	const struct rs_verify_result *vr = rs_probe_result_verify(v->result);
	const struct rs_certlist *path;
	json_t *arr = json_array();
	size_t i;

	if (!vr || rs_verify_result_path_count(vr) == 0)
		return arr;
	path = rs_verify_result_path_at(vr, 0);
	for (i = 0; i < rs_certlist_count(path); i++) {
		const struct rs_cert *c = rs_certlist_at(path, i);
		const struct rs_known *k = v->cat ? rs_catalog_identify(v->cat, c) : NULL;
		json_t *o = json_object();
		json_object_set_new(o, "sha256", json_string(rs_cert_sha256(c)));
		json_object_set_new(o, "subject", json_string(rs_cert_subject(c)));
		json_object_set_new(o, "known", k ? json_string(rs_known_id(k)) : json_null());
		json_array_append_new(arr, o);
	}
	return arr;
}

static json_t *tls_json(const struct rs_probe_result *r)
{
	json_t *o = json_object();

	json_object_set_new(o, "version", json_string(rs_probe_result_tls_version(r)));
	json_object_set_new(o, "cipher", json_string(rs_probe_result_cipher(r)));
	json_object_set_new(o, "alpn", json_string(rs_probe_result_alpn(r)));
	json_object_set_new(o, "peer", json_string(rs_probe_result_peer(r)));
	json_object_set_new(o, "connect_ms", json_integer(rs_probe_result_connect_ms(r)));
	json_object_set_new(o, "handshake_ms", json_integer(rs_probe_result_handshake_ms(r)));
	return o;
}

/* The verification policy of the verdict (--policy; docs/verify.md). */
static const char *policy_name(const struct probe_view *v)
{
	const struct rs_verify_result *vr = rs_probe_result_verify(v->result);

	return rs_verify_policy_name(vr ? rs_verify_result_policy(vr) : v->policy);
}

json_t *probe_json(const struct probe_view *v)
{
	const struct rs_probe_result *r = v->result;
	const struct rs_cert *icpt = interceptor(v);
	json_t *o = json_object(), *res = json_object();
	char ab[32];

	json_object_set_new(o, "schema", json_string("rootshift/probe/1"));
	json_object_set_new(o, "target", json_string(v->target));
	json_object_set_new(o, "protocol", json_string(v->protocol));
	json_object_set_new(o, "at", json_string(time_str(v->at, ab)));
	json_object_set_new(res, "code", json_string(rs_probe_code_name(rs_probe_result_code(r))));
	json_object_set_new(res, "group", json_string(rs_probe_code_group(rs_probe_result_code(r))));
	json_object_set_new(res, "stage", json_string(rs_probe_result_stage(r)));
	json_object_set_new(res, "message", json_string(rs_probe_result_message(r)));
	json_object_set_new(res, "meaning", json_string(view_meaning(v)));
	json_object_set_new(res, "status", rs_probe_result_status(r) >= 0 ? json_integer(rs_probe_result_status(r)) : json_null());
	json_object_set_new(res, "detail", json_string(rs_probe_result_detail(r)));
	json_object_set_new(res, "policy", json_string(policy_name(v)));
	json_object_set_new(o, "result", res);
	json_object_set_new(o, "tls", tls_json(r));
	json_object_set_new(o, "served_chain", chain_json(v));
	json_object_set_new(o, "path", path_json(v));
	{
		json_t *w = probe_whatif_json(v);
		enum rs_status st;
		json_object_set_new(o, "whatif_status", whatif_status(w, &st) < 0 ? json_null()
										: json_string(rs_status_name(st)));
		json_object_set_new(o, "whatif", w);
	}
	json_object_set_new(o, "interception", icpt ? json_string(rs_cert_subject(icpt)) : json_null());
	return o;
}

static void print_chain_text(const struct probe_view *v)
{
	const struct rs_certlist *chain = rs_probe_result_served_chain(v->result);
	size_t i;

	for (i = 0; i < rs_certlist_count(chain); i++) {
		const struct rs_cert *c = rs_certlist_at(chain, i);
		const struct rs_known *k = v->cat ? rs_catalog_identify(v->cat, c) : NULL;
		printf("  %-12s %s%s%s%s\n", i ? "" : "served", rs_cert_subject(c), k ? " [" : "",
		       k ? rs_known_name(k) : "", k ? "]" : "");
	}
}

static void print_whatif_text(const struct probe_view *v)
{
	json_t *arr = probe_whatif_json(v), *w;
	enum rs_status st;
	size_t i;

	json_array_foreach(arr, i, w) {
		int ok = json_is_true(json_object_get(w, "ok"));
		printf("  %-12s %s roots%s: %s%s%s\n", i ? "" : "what if", json_string_value(json_object_get(w, "store")),
		       v->lab_whatif ? " (the lab's look-alikes)" : "", ok ? "valid" : "fails", ok ? "" : ", ",
		       ok ? "" : json_string_value(json_object_get(w, "reason")));
	}
	if (whatif_status(arr, &st) == 0)
		printf("  %-12s %s: %s\n", "", status_word(st),
		       st == RS_STATUS_READY     ? "the profile's new roots trust this chain"
		       : st == RS_STATUS_PARTIAL ? "the profile's new roots trust this chain, its recommended ones do not"
						 : "the profile's new roots do not trust this chain");
	json_decref(arr);
}

void probe_print_text(const struct probe_view *v, int verbose)
{
	const struct rs_probe_result *r = v->result;
	enum rs_probe_code code = rs_probe_result_code(r);
	const struct rs_cert *icpt = interceptor(v);

	printf("%s (%s): %s\n  %s\n", v->target, v->protocol, good_bad_word(rs_probe_code_name(code), probe_passed(code)),
	       view_meaning(v));
	printf("  %-12s %s: %s\n", "detail", rs_probe_result_stage(r), rs_probe_result_message(r));
	printf("  %-12s %s (docs/verify.md)\n", "policy", policy_name(v));
	if (*rs_probe_result_tls_version(r))
		printf("  %-12s %s, %s%s%s, peer %s\n", "tls", rs_probe_result_tls_version(r), rs_probe_result_cipher(r),
		       *rs_probe_result_alpn(r) ? ", alpn " : "", rs_probe_result_alpn(r), rs_probe_result_peer(r));
	print_chain_text(v);
	print_whatif_text(v);
	if (icpt)
		printf("  %-12s the chain is not the service's: a proxy or firewall re-signs TLS, issuer %s\n",
		       "interception", rs_cert_subject(icpt));
	if (*rs_probe_result_detail(r))
		printf("  %-12s %s\n", "response", rs_probe_result_detail(r));
	if (verbose && *rs_probe_result_transcript(r))
		printf("  transcript\n%s", rs_probe_result_transcript(r));
}
