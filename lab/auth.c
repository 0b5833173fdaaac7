/*
 * auth.c: the lab's one check of a device's credentials: a SAS token (azure-iot-facts.md 2.3) for a resource,
 * signed with the device's key from the registry and valid at the lab's clock. MQTT (hub and DPS), AMQP's CBS and
 * SASL PLAIN, and HTTPS all ask here.
 */
#include <string.h>

#include "server.h"

int lab_auth_sas(struct lab_server *lab, const char *token, const char *resource, const char *device,
		  rs_time *expiry, struct rs_error *err)
{
	char key[128];
	struct rs_sas *sas;
	int rv = -1;

	if (lab->opts->test_endpoint)
		return rs_error_set(err, RS_ERR_AUTH, "test endpoint: every credential is rejected after TLS");
	if (!(sas = rs_sas_parse(token, err)))
		return -1;
	if (lab_registry_key(lab->registry, device, key, sizeof(key), err) == 0)
		rv = rs_sas_verify(sas, key, resource, lab_now(lab), err);
	if (rv == 0 && expiry)
		*expiry = rs_sas_expiry(sas);
	rs_sas_free(sas);
	memset(key, 0, sizeof(key));
	return rv;
}
