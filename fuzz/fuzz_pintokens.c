/*
 * fuzz_pintokens.c: the pinning scanner's tokenizers and rules (lib/pin/): digests in every notation, base64 pins,
 * then every text rule over the same bytes as a text file and as a binary's printable view, with the built-in
 * catalog. The corpus holds the notations and the API shapes the rules look for.
 */
#include "pin/pin.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int count_hit(void *arg, const struct rs_pin_hit *h)
{
	size_t *n = arg;

	if (!h->rule || !h->message || h->end < h->at)
		abort();
	(*n)++;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct rs_catalog *cat;
	struct rs_pin_token t;
	size_t pos = 0, n = 0;
	struct rs_pin_sink sink = { count_hit, &n, NULL, NULL };
	struct rs_pinscan *ps;

	if (!cat) {
		cat = rs_catalog_new();
		if (!cat || rs_catalog_add_builtin(cat, NULL, NULL) < 0)
			abort();
	}
	while (rs_pin_next_hex(data, size, &pos, &t))
		if (t.end <= t.start || t.end > size || (t.nbytes != 20 && t.nbytes != 32))
			abort();
	for (pos = 0; rs_pin_next_b64(data, size, &pos, &t);)
		if (t.end > size || t.nbytes != 32)
			abort();
	{
		struct rs_pin_context pc = { cat, NULL, 0, 0, 0, NULL };
		rs_pin_rules_text(&pc, data, size, "fuzz.c", 0, &sink);
		pc.store = 1;
		pc.timed = 1;
		rs_pin_rules_text(&pc, data, size, "fuzz.lock", 1, &sink);
	}
	if ((ps = rs_pinscan_new(cat)) != NULL) {
		rs_pinscan_mem(ps, data, size, "fuzz", NULL);
		for (pos = 0; pos < rs_pinscan_count(ps); pos++)
			(void)strlen(rs_pinscan_at(ps, pos)->text);
		rs_pinscan_free(ps);
	}
	return 0;
}
