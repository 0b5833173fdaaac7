#include <zephyr/kernel.h>
#include <zephyr/net/socket.h>
#include <zephyr/net/tls_credentials.h>
#include <zephyr/net/mqtt.h>
#include <zephyr/logging/log.h>

#include "certificates.h"

LOG_MODULE_REGISTER(hub_conn, CONFIG_HUB_CONN_LOG_LEVEL);

static const sec_tag_t sec_tag_list[] = { CONFIG_HUB_CONN_SEC_TAG };
static const char ca_certificate[] = CA_CERTIFICATE;

int hub_conn_credentials_add(void)
{
	int err = tls_credential_add(CONFIG_HUB_CONN_SEC_TAG, TLS_CREDENTIAL_CA_CERTIFICATE,
				     ca_certificate, sizeof(ca_certificate));
	if (err == -EEXIST) {
		LOG_DBG("CA certificate already present");
		err = 0;
	} else if (err < 0) {
		LOG_ERR("Failed to register CA certificate: %d", err);
	}
	return err;
}

void hub_conn_tls_config(struct mqtt_client *client)
{
	struct mqtt_sec_config *tls_cfg = &client->transport.tls.config;

	tls_cfg->peer_verify = TLS_PEER_VERIFY_REQUIRED;
	tls_cfg->cipher_list = NULL;
	tls_cfg->sec_tag_list = sec_tag_list;
	tls_cfg->sec_tag_count = ARRAY_SIZE(sec_tag_list);
	tls_cfg->hostname = CONFIG_HUB_CONN_HOSTNAME;
	client->transport.type = MQTT_TRANSPORT_SECURE;
}
