/* probe.h: what cmd_probe.c and probe_render.c share. */
#ifndef RS_CLI_PROBE_H
#define RS_CLI_PROBE_H

#include "cli.h"

enum probe_format { PF_TEXT, PF_JSON, PF_JSONL };

/* One target and how it was probed, for rendering. */
struct probe_view {
	const char *target;      /* host:port as the user named it */
	const char *protocol;    /* "mqtt", "dps-mqtt", ... */
	const struct rs_probe_result *result;
	const struct rs_catalog *cat;
	const struct rs_profile *profile;
	rs_time at;
	enum rs_verify_policy policy; /* of the verification (--policy) */
	/* probe --lab: the lab's look-alikes of the profile's old, new and recommended roots, for the what-ifs (NULL:
	 * the profile's own roots); lab: no interception note (the lab signs with its own keys) */
	struct rs_certlist *const *lab_whatif;
	int lab;
};

/* The what-if verdicts of a served chain against the profile's old, new and recommended roots. */
json_t *probe_whatif_json(const struct probe_view *v);
/* Frees the what-ifs kept for chains already seen (at the end of a probe command). */
void probe_whatif_forget(void);
void probe_print_text(const struct probe_view *v, int verbose);
json_t *probe_json(const struct probe_view *v);
/* One line on what the result means for the device. */
const char *probe_meaning(enum rs_probe_code code);
/* 1 for results that mean "the device's TLS works". */
int probe_passed(enum rs_probe_code code);

/* probe_lab.c: --lab DIR (a probe of the lab in DIR). Each returns 0, or EXIT_ERROR after printing why. */
int probe_lab_connect_to(const char *dir, const char *protocol, char *out, size_t size);
int probe_lab_host(const char *dir, char *out, size_t size);
/* Real catalog certificates of *store replaced by the lab's look-alikes (notes on stderr, naming the store as
 * where: "--store", "the system store"); *json (may be NULL) gets the records for the JSON's "translated". */
int probe_lab_translate(const char *dir, const char *where, struct rs_certlist **store, json_t **json);
/* The profile's old, new (required) and recommended roots translated to the lab's look-alikes, for the what-ifs:
 * out[3] filled (free each with rs_certlist_free). */
int probe_lab_whatif_stores(const char *dir, const struct rs_profile *p, struct rs_certlist *out[3]);
/* The text report's line on it (the records from probe_lab_translate). */
void probe_lab_print_translated(const char *where, const json_t *records);

#endif
