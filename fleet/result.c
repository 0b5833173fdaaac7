/* result.c: a rehearsal's result, read by advice.c, report.c and the front end (run.c fills it in). */
#include <stdlib.h>

#include "run.h"

void fleet_result_free(struct fleet_result *r)
{
	if (!r)
		return;
	free(r->stats);
	free(r->curve);
	free(r->translated);
	free(r);
}

const struct fleet_spec *fleet_result_spec(const struct fleet_result *r) { return &r->spec; }
size_t fleet_result_phases(const struct fleet_result *r) { return r->nphases; }
size_t fleet_result_samples(const struct fleet_result *r) { return r->nsamples; }
int64_t fleet_result_stopped_at(const struct fleet_result *r) { return r->stopped_at; }
unsigned long fleet_result_handshakes(const struct fleet_result *r) { return r->handshakes; }
unsigned fleet_result_stranded_at_end(const struct fleet_result *r) { return r->stranded_end; }
unsigned fleet_result_peak_held(const struct fleet_result *r) { return r->peak_held; }
unsigned long fleet_result_pings(const struct fleet_result *r) { return r->pings; }
unsigned long fleet_result_modelled(const struct fleet_result *r) { return r->modelled; }

const struct fleet_phase_stats *fleet_result_stats(const struct fleet_result *r, size_t cls, size_t phase)
{
	return cls < r->spec.nclasses && phase < r->nphases ? &r->stats[cls * r->nphases + phase] : NULL;
}

unsigned fleet_result_connected(const struct fleet_result *r, size_t cls, size_t sample)
{
	return cls < r->spec.nclasses && sample < r->nsamples ? r->curve[cls * r->nsamples + sample] : 0;
}

int fleet_result_new_chain_in(const struct fleet_result *r, size_t k)
{
	const struct fleet_spec *s = fleet_result_spec(r);
	int migrated = r->starts_new;

	for (size_t e = 0; e < k && e < s->nevents; e++)
		if (s->events[e].action != FLEET_DISCONNECT)
			migrated = s->events[e].action == FLEET_MIGRATE;
	return migrated;
}
