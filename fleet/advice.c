/*
 * advice.c: what a stranded class means and what to do next, for the end of the text and HTML reports. The cause is
 * read from the rehearsal itself: the chain the lab served in the phase where the class was first stranded (the old
 * one before a migrate and after a revert, the new one in between), the class's last failure there, and whether it
 * pins. Roots are named as the profile names them, with the SHA-1 Microsoft calls the thumbprint.
 */
#include "fleet.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

static const char *phase_label(const struct fleet_spec *s, size_t k)
{
	return k == 0 ? "from the start" : s->events[k - 1].action == FLEET_MIGRATE ? "after the migration"
					 : s->events[k - 1].action == FLEET_REVERT  ? "after the revert"
										     : "after the forced disconnect";
}

static const struct rs_known *rule_root(const struct rs_profile *p, const char *rule)
{
	return p && rs_profile_rule_count(p, rule) ? rs_profile_rule_at(p, rule, 0) : NULL;
}

static enum rs_probe_code main_reason(const struct fleet_phase_stats *st)
{
	int best = 0;

	for (int c = 1; c < RS_PROBE__COUNT; c++)
		if (st->reasons[c] > st->reasons[best])
			best = c;
	return (enum rs_probe_code)best;
}

/* The chain a class lacks in phase k, in words, and the root that would trust it. */
static const struct rs_known *missing_root(const struct fleet_result *r, size_t k, const struct rs_profile *p)
{
	return rule_root(p, fleet_result_new_chain_in(r, k) ? "required" : "old");
}

/* An old root that expired before the rehearsal's start: the real service no longer serves it. */
static int expired_at(const struct rs_known *root, rs_time at)
{
	struct rs_known_info info;

	if (!root)
		return 0;
	rs_known_info(root, &info);
	return info.not_after && info.not_after < at;
}

int fleet_phase_lab_only(const struct fleet_result *r, size_t k, const struct rs_profile *p, rs_time at)
{
	return !fleet_result_new_chain_in(r, k) && expired_at(rule_root(p, "old"), at);
}

static void untrusted(struct fleet_advice *a, const struct fleet_class *c, const struct fleet_result *r, size_t k,
		      size_t first, const struct rs_profile *p, rs_time at)
{
	const struct fleet_spec *s = fleet_result_spec(r);
	int is_new = fleet_result_new_chain_in(r, k), both = first != k && fleet_result_new_chain_in(r, first) != is_new;
	const struct rs_known *root = missing_root(r, k, p), *other = both ? missing_root(r, first, p) : NULL;
	char date[32], also[512] = "";

	if (c->pin[0]) {
		snprintf(a->meaning, sizeof(a->meaning), "its pin does not match the chain served %s: the service's "
			 "intermediates change with its root, so a pinned device is stranded although its store is right",
			 phase_label(s, k));
		snprintf(a->next, sizeof(a->next), "remove the pin on %s; pin nothing, or a root the profile requires",
			 c->pin);
		return;
	}
	snprintf(a->meaning, sizeof(a->meaning), "its trust store (%.300s) does not hold the %s root the service served "
		 "%s%s", c->store, is_new ? "new" : "old", phase_label(s, k),
		 both ? (is_new ? ", nor the old one served before" : ", nor the new one served before") : "");
	if (other && !is_new && !expired_at(other, at))
		snprintf(also, sizeof(also), "; it needs %s (SHA-1 %.4s...) too", rs_known_name(other),
			 rs_known_sha1(other));
	if (!root) {
		snprintf(a->next, sizeof(a->next), "add the profile's %s root to %.300s%.400s", is_new ? "new" : "old", c->store,
			 also);
		return;
	}
	if (!is_new && expired_at(root, at)) { /* the lab still plays it; the real service cannot serve it */
		struct rs_known_info info;
		rs_known_info(root, &info);
		rs_time_format(info.not_after, date, sizeof(date));
		snprintf(a->next, sizeof(a->next), "nothing to add for the old chain: %s expired on %.10s, before this "
			 "rehearsal's time, so the real service no longer serves it (only the lab plays it)",
			 rs_known_name(root), date);
		if (other)
			snprintf(a->next + strlen(a->next), sizeof(a->next) - strlen(a->next), "; but add %s (SHA-1 %.4s...) "
				 "to %s", rs_known_name(other), rs_known_sha1(other), c->store);
		return;
	}
	snprintf(a->next, sizeof(a->next), "add %s (SHA-1 %.4s...) to %.300s%s%.400s", rs_known_name(root),
		 rs_known_sha1(root),
		 c->store, is_new ? "" : " as well, while the service may still serve it or revert to it", also);
	if (other && is_new && !expired_at(other, at))
		snprintf(a->next + strlen(a->next), sizeof(a->next) - strlen(a->next), "; %s (SHA-1 %.4s...) as well "
			 "while the service may still serve the old chain or revert to it", rs_known_name(other),
			 rs_known_sha1(other));
}

static void advise_one(struct fleet_advice *a, const struct fleet_result *r, size_t k, size_t first,
		       const struct fleet_phase_stats *st, const struct rs_profile *p, rs_time at)
{
	const struct fleet_class *c = &fleet_result_spec(r)->classes[a->cls];

	a->reason = main_reason(st);
	switch (a->reason) {
	case RS_PROBE_CERT_UNTRUSTED:
		untrusted(a, c, r, k, first, p, at);
		break;
	case RS_PROBE_CERT_EXPIRED:
		snprintf(a->meaning, sizeof(a->meaning), "a served certificate is expired or not yet valid by the device's "
			 "clock (%+d s from true time)", c->clock_skew);
		snprintf(a->next, sizeof(a->next), "set the device's clock (NTP or the hub's time) before it connects");
		break;
	case RS_PROBE_OK_AUTH_REJECTED:
		snprintf(a->meaning, sizeof(a->meaning), "TLS works; the service rejected its credentials");
		snprintf(a->next, sizeof(a->next), "check its key and SAS token lifetime: not a certificate problem");
		break;
	default:
		snprintf(a->meaning, sizeof(a->meaning), "its connections end in %s", rs_probe_code_name(a->reason));
		snprintf(a->next, sizeof(a->next), "probe one device of the class with 'rootshift probe' to see the stage "
			 "that fails");
	}
}

size_t fleet_advise(const struct fleet_result *r, const struct rs_profile *p, rs_time at, struct fleet_advice *out,
		    size_t max)
{
	const struct fleet_spec *s = fleet_result_spec(r);
	size_t n = 0, last = fleet_result_phases(r) ? fleet_result_phases(r) - 1 : 0;

	for (size_t i = 0; i < s->nclasses && n < max; i++) {
		size_t first = SIZE_MAX, k;
		for (k = 0; k < fleet_result_phases(r) && first == SIZE_MAX; k++)
			if (fleet_result_stats(r, i, k)->stranded)
				first = k;
		if (first == SIZE_MAX)
			continue;
		memset(&out[n], 0, sizeof(out[n]));
		out[n].cls = i;
		out[n].at_end = fleet_result_stats(r, i, last)->stranded;
		/* devices stranded at the end matter most: advise on the last phase then, else on the first */
		k = out[n].at_end ? last : first;
		out[n].phase = k;
		advise_one(&out[n], r, k, first, fleet_result_stats(r, i, k), p, at);
		n++;
	}
	return n;
}
