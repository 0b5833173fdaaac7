/* fuzz_fleet.c: the fleet file parser (rootshift rehearse FLEET.json) on arbitrary bytes. */
#include <stdint.h>
#include <stdlib.h>

#include "../fleet/fleet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rs_error err;
	struct fleet_spec *s = fleet_spec_parse((const char *)data, size, "base", &err);

	if (s) {
		char id[128], key[64];
		for (size_t i = 0; i < s->nclasses; i++)
			(void)fleet_cadence(&s->classes[i]);
		if (fleet_device_count(s) > 0) {
			(void)fleet_device_id(s, fleet_device_count(s) - 1, id, sizeof(id));
			(void)fleet_device_key(s, 0, key, sizeof(key));
		}
		fleet_spec_free(s);
	}
	return 0;
}
