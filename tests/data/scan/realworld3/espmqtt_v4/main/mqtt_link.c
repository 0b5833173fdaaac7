#include "esp_log.h"
#include "mqtt_client.h"
#include "hub_ca.h"

static const char *TAG = "mqtt_link";

esp_mqtt_client_handle_t mqtt_link_start(const char *uri, const char *client_id)
{
    esp_mqtt_client_config_t mqtt_cfg = {
        .uri = uri,
        .client_id = client_id,
        .cert_pem = (const char *)hub_ca_pem,
        .keepalive = 240,
    };
    esp_mqtt_client_handle_t client = esp_mqtt_client_init(&mqtt_cfg);
    if (client == NULL)
        ESP_LOGE(TAG, "esp_mqtt_client_init failed");
    else
        esp_mqtt_client_start(client);
    return client;
}
