/*
 * SPDX-License-Identifier: Apache-2.0
 */
#include <zephyr/kernel.h>
#include <zephyr/logging/log.h>
#include <zephyr/net/mqtt.h>
#include <zephyr/net/tls_credentials.h>

#include "certs.h"

LOG_MODULE_REGISTER(mqtt_tls, LOG_LEVEL_INF);

static sec_tag_t m_sec_tags[] = { HUB_CA_TAG };

int tls_init(void)
{
	int err;

	err = tls_credential_add(HUB_CA_TAG,
				 TLS_CREDENTIAL_CA_CERTIFICATE,
				 hub_ca_cert,
				 sizeof(hub_ca_cert));
	if (err < 0) {
		LOG_ERR("Failed to register public certificate: %d", err);
	}
	return err;
}

void client_tls_config(struct mqtt_client *client)
{
	struct mqtt_sec_config *tls_config = &client->transport.tls.config;

	tls_config->peer_verify = TLS_PEER_VERIFY_REQUIRED;
	tls_config->cipher_list = NULL;
	tls_config->sec_tag_list = m_sec_tags;
	tls_config->sec_tag_count = ARRAY_SIZE(m_sec_tags);
	tls_config->hostname = CONFIG_HUB_HOSTNAME;
}
