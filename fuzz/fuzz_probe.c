/* fuzz_probe.c: the probe's decoders of server bytes: HTTP status lines and AMQP SASL mechanism lists. */
#include "probe/probe.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rs_buf out = RS_BUF_INIT;

	(void)rs_http_status_line((const char *)data, size);
	rs_amqp_mechanisms(data, size, &out);
	rs_buf_release(&out);
	return 0;
}
