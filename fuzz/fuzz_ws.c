/* fuzz_ws.c: WebSocket frames as the lab reads them: a stream of frames, unmasked in place into a copy, their
 * payloads fed to the MQTT decoder. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char *copy = malloc(size ? size : 1);
	struct rs_ws_frame f;
	struct rs_mqtt_packet pkt;
	struct rs_error err;
	size_t used, pos = 0, mused;

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	while (pos < size && rs_ws_decode(copy + pos, size - pos, 65536, &f, &used, &err) == 1) {
		if (f.masked)
			rs_ws_unmask((unsigned char *)f.payload, f.payload_len, f.mask, 0);
		if (f.opcode == RS_WS_BINARY)
			(void)rs_mqtt_decode(f.payload, f.payload_len, 65536, &pkt, &mused, &err);
		pos += used;
	}
	free(copy);
	return 0;
}
