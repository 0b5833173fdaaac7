/*
 * creds.c: the credentials a device presents, made as the SDKs make them (../shared/docs/azure-iot-facts.md 2.2,
 * 3.1, 3.3, 3.4): the C SDK's connection-string rules, the MQTT username shapes and the SAS resource URIs.
 */
#include "azure.h"

#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>

#define HUB_API_VERSION "2021-04-12"
#define DPS_API_VERSION "2019-03-31"

/* The C SDK's parser: HostName is split at its first dot, so it needs one; exactly one of key or signature. */
static int check_connstr(const struct rs_connstr *cs, struct rs_error *err)
{
	const char *host = rs_connstr_get(cs, "HostName");
	int key = rs_connstr_get(cs, "SharedAccessKey") != NULL;
	int sig = rs_connstr_get(cs, "SharedAccessSignature") != NULL;

	if (!host || !strchr(host, '.') || host[0] == '.')
		return rs_fail(err, RS_ERR_USAGE, "connection string: HostName '%s' needs a dot (the SDK splits it into hub name and suffix)",
			       host ? host : "");
	if (!rs_connstr_get(cs, "DeviceId") || !*rs_connstr_get(cs, "DeviceId"))
		return rs_fail(err, RS_ERR_USAGE, "connection string: no DeviceId");
	if (key == sig)
		return rs_fail(err, RS_ERR_USAGE, "connection string: give exactly one of SharedAccessKey and SharedAccessSignature");
	return 0;
}

static int hub_strings(const struct rs_connstr *cs, struct rs_buf *cid, struct rs_buf *user, struct rs_buf *sr)
{
	const char *host = rs_connstr_get(cs, "HostName"), *dev = rs_connstr_get(cs, "DeviceId");
	const char *mod = rs_connstr_get(cs, "ModuleId");

	if (mod && *mod)
		return rs_buf_addf(cid, "%s/%s", dev, mod) < 0 ||
			       rs_buf_addf(user, "%s/%s/%s/?api-version=" HUB_API_VERSION, host, dev, mod) < 0 ||
			       rs_buf_addf(sr, "%s/devices/%s/modules/%s", host, dev, mod) < 0
		       ? -1
		       : 0;
	return rs_buf_addf(cid, "%s", dev) < 0 || rs_buf_addf(user, "%s/%s/?api-version=" HUB_API_VERSION, host, dev) < 0 ||
			       rs_buf_addf(sr, "%s/devices/%s", host, dev) < 0
		       ? -1
		       : 0;
}

int rs_azure_hub_credentials(const struct rs_connstr *cs, rs_time at, int lifetime, char **host, char **client_id,
			     char **username, char **sas, struct rs_error *err)
{
	struct rs_buf cid = RS_BUF_INIT, user = RS_BUF_INIT, sr = RS_BUF_INIT;
	const char *gw = rs_connstr_get(cs, "GatewayHostName");
	const char *given = rs_connstr_get(cs, "SharedAccessSignature");
	char *token = NULL;
	int rv = -1;

	if (check_connstr(cs, err) < 0)
		return -1;
	if (hub_strings(cs, &cid, &user, &sr) < 0) {
		rs_fail(err, RS_ERR_NOMEM, "out of memory");
		goto out;
	}
	/* The C SDK signs the unencoded resource URI for MQTT (mqtt_common.c); the service accepts it. */
	token = given ? rs_strdup(given) : rs_sas_make(sr.data, rs_connstr_get(cs, "SharedAccessKey"), at + lifetime, NULL, err);
	if (!token) {
		if (given)
			rs_fail(err, RS_ERR_NOMEM, "out of memory");
		goto out;
	}
	if (!(*host = rs_strdup(gw && *gw ? gw : rs_connstr_get(cs, "HostName")))) { /* found by test_allocfail */
		OPENSSL_cleanse(token, strlen(token));
		free(token);
		rs_fail(err, RS_ERR_NOMEM, "out of memory");
		goto out;
	}
	*client_id = rs_buf_detach(&cid);
	*username = rs_buf_detach(&user);
	*sas = token;
	rv = 0;
out:
	rs_buf_release(&cid);
	rs_buf_release(&user);
	rs_buf_release(&sr);
	return rv;
}

int rs_azure_dps_credentials(const char *id_scope, const char *registration_id, const char *key_b64, rs_time at,
			     int lifetime, char **username, char **sas, struct rs_error *err)
{
	struct rs_buf user = RS_BUF_INIT, sr = RS_BUF_INIT;
	char *encoded = NULL, *token = NULL;
	int rv = -1;

	if (!id_scope || !*id_scope || !registration_id || !*registration_id)
		return rs_fail(err, RS_ERR_USAGE, "DPS needs an ID scope and a registration id");
	if (rs_buf_addf(&user, "%s/registrations/%s/api-version=" DPS_API_VERSION, id_scope, registration_id) < 0 ||
	    rs_buf_addf(&sr, "%s/registrations/%s", id_scope, registration_id) < 0 ||
	    !(encoded = rs_url_encode(sr.data, 0))) {
		rs_fail(err, RS_ERR_NOMEM, "out of memory");
		goto out;
	}
	/* The C SDK's DPS client URL-encodes the scope with lowercase hex and names the key "registration". */
	if (key_b64 && !(token = rs_sas_make(encoded, key_b64, at + lifetime, "registration", err)))
		goto out;
	*username = rs_buf_detach(&user);
	*sas = token;
	rv = 0;
out:
	free(encoded);
	rs_buf_release(&user);
	rs_buf_release(&sr);
	return rv;
}
