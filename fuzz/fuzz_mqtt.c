/* fuzz_mqtt.c: the MQTT decoder as the lab's server runs it (a stream of packets, 64 KiB limit), and re-encoding
 * of every packet it accepts, which must decode to the same length. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rs_mqtt_packet pkt, back;
	struct rs_error err;
	size_t used, len, used2;
	unsigned char *out;

	while (size > 0 && rs_mqtt_decode(data, size, 65536, &pkt, &used, &err) == 1) {
		if (rs_mqtt_encode(&pkt, NULL, 0, &len, &err) == 0 && (out = malloc(len)) != NULL) {
			if (rs_mqtt_encode(&pkt, out, len, &len, &err) != 0 ||
			    rs_mqtt_decode(out, len, 65536 + 16, &back, &used2, &err) != 1 || used2 != len ||
			    back.type != pkt.type)
				abort();
			free(out);
		}
		data += used;
		size -= used;
	}
	return 0;
}
