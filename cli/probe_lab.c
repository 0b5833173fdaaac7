/*
 * probe_lab.c: `probe --lab DIR`, a probe of the lab in DIR. Real certificates the catalog knows in the store
 * (--store, or the system store without it) are replaced by the lab's look-alikes of the same role (translate.h; --no-translate keeps them), since the lab signs
 * with its own keys; without --connect-to the probe connects to the port `lab serve` wrote to DIR/serve.json for
 * the protocol, and without a target it names the lab's hub.
 */
#include "probe.h"
#include "translate.h"

#include <string.h>

/* The lab's port for a protocol, from serve.json: "LISTEN:PORT" in out. */
int probe_lab_connect_to(const char *dir, const char *protocol, char *out, size_t size)
{
	struct lab_serve_state st;
	struct rs_error err;
	int port;

	if (lab_serve_state_load(dir, &st, &err) < 0)
		return error("--lab '%s': %s (is 'rootshift lab serve %s' running? or give --connect-to)", dir, err.message,
			     dir);
	port = !strcmp(protocol, "mqtt") ? st.mqtt_port : !strcmp(protocol, "mqtt-ws") ? st.ws_port
	       : !strcmp(protocol, "amqp") ? st.amqp_port : st.https_port;
	snprintf(out, size, "%s:%d", strcmp(st.listen, "0.0.0.0") ? st.listen : "127.0.0.1", port);
	return 0;
}

/* The lab's hub name (lab.json), for a probe without a target. */
int probe_lab_host(const char *dir, char *out, size_t size)
{
	struct lab_config cfg;
	struct rs_error err;

	if (lab_config_load(dir, &cfg, &err) < 0)
		return error("--lab '%s': %s", dir, err.message);
	snprintf(out, size, "%s", cfg.hub_host);
	return 0;
}

/* Replaces *store by its translation to the lab's look-alikes; notes on stderr; *json (may be NULL) gets the
 * records. 0, or EXIT_ERROR after printing why. */
int probe_lab_translate(const char *dir, const char *where, struct rs_certlist **store, json_t **json)
{
	struct rs_translation met[64];
	struct fleet_translated rec;
	struct lab_translation tr;
	struct rs_certlist *out;
	struct rs_error err;
	size_t replaced = 0, kept = 0;
	int n, rv;

	if ((rv = translation_open(&tr, dir)) != 0)
		return rv;
	if (!(out = rs_certlist_new())) {
		translation_close(&tr);
		return error("out of memory");
	}
	n = rs_translate_certs(tr.cat, tr.looks.v, tr.looks.n, *store, out, met, 64, &err);
	if (n < 0) {
		rs_certlist_free(out);
		translation_close(&tr);
		return lib_error(&err);
	}
	if (json)
		*json = json_array();
	for (int i = 0; i < n && i < 64; i++) {
		fleet_translated_fill(&met[i], 0, 0, &rec);
		translation_note(where, &rec);
		*(rec.role[0] ? &replaced : &kept) += 1;
		if (json)
			json_array_append_new(*json, translation_json(NULL, &rec));
	}
	translation_note_end(replaced, kept);
	rs_certlist_free(*store);
	*store = out;
	translation_close(&tr); /* the look-alikes stay referenced by out */
	return 0;
}

int probe_lab_whatif_stores(const char *dir, const struct rs_profile *p, struct rs_certlist *out[3])
{
	static const char *const rules[3] = { "old", "required", "recommended" };
	struct rs_translation met[64];
	struct lab_translation tr;
	struct rs_error err;
	int rv;

	out[0] = out[1] = out[2] = NULL;
	if (!p)
		return 0;
	if ((rv = translation_open(&tr, dir)) != 0)
		return rv;
	for (int i = 0; i < 3 && rv == 0; i++) {
		struct rs_certlist *real = rs_certlist_new();
		if (!real || !(out[i] = rs_certlist_new()))
			rv = error("out of memory");
		else if (rs_profile_rule_store(p, rules[i], real, &err) < 0 ||
			 rs_translate_certs(tr.cat, tr.looks.v, tr.looks.n, real, out[i], met, 64, &err) < 0)
			rv = lib_error(&err);
		rs_certlist_free(real);
	}
	translation_close(&tr);
	return rv;
}

void probe_lab_print_translated(const char *where, const json_t *records)
{
	size_t i, replaced = 0;
	json_t *rec;

	json_array_foreach(records, i, rec)
		replaced += json_is_object(json_object_get(rec, "lookalike"));
	printf("  translated   %s: %zu real certificate%s replaced by the lab's look-alikes, %zu kept (notes on "
	       "stderr; --no-translate keeps them)\n", where, replaced, replaced == 1 ? "" : "s",
	       json_array_size(records) - replaced);
}
