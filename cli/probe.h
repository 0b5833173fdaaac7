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

#endif
