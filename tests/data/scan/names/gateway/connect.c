/* Reads the pinned fingerprint from device.json and hands it to the TLS client. */
#include "json.h"
#include "tls_client.h"

int connect_hub(struct tls_client *c, const struct json *cfg)
{
	const char *fp = json_get(cfg, "tls.fingerprint");
	c->setFingerprint(json_get(cfg, "fingerprint"));
	return tls_connect(c, json_get(cfg, "hub"), 8883, fp);
}
