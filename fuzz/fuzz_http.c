/* fuzz_http.c: the HTTP request-head parser and its header lookups, as the lab's WebSocket endpoint runs them. */
#include "internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rs_http_request req;
	struct rs_error err;
	const struct rs_span *key;
	char accept[29];
	size_t used;

	if (rs_http_parse_request((const char *)data, size, 8192, &req, &used, &err) == 1) {
		(void)rs_http_header_has_token(&req, "Connection", "upgrade");
		(void)rs_http_header(&req, "Sec-WebSocket-Protocol");
		if ((key = rs_http_header(&req, "Sec-WebSocket-Key")) != NULL)
			(void)rs_ws_accept(*key, accept, &err);
	}
	return 0;
}
