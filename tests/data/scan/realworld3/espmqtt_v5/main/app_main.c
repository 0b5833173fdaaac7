#include <stdio.h>
#include <stdint.h>
#include "esp_log.h"
#include "mqtt_client.h"

static const char *TAG = "mqtts_hub";

extern const uint8_t mqtt_hub_pem_start[]   asm("_binary_broker_ca_pem_start");
extern const uint8_t mqtt_hub_pem_end[]   asm("_binary_broker_ca_pem_end");

static void mqtt_event_handler(void *handler_args, esp_event_base_t base, int32_t event_id, void *event_data)
{
    ESP_LOGD(TAG, "Event dispatched from event loop base=%s, event_id=%" PRIi32, base, event_id);
}

static void mqtt_app_start(void)
{
    const esp_mqtt_client_config_t mqtt_cfg = {
        .broker = {
            .address.uri = CONFIG_BROKER_URI,
            .verification.certificate = (const char *)mqtt_hub_pem_start
        },
        .credentials = {
            .client_id = "thermostat-07",
        },
    };

    esp_mqtt_client_handle_t client = esp_mqtt_client_init(&mqtt_cfg);
    esp_mqtt_client_register_event(client, ESP_EVENT_ANY_ID, mqtt_event_handler, NULL);
    esp_mqtt_client_start(client);
}

void app_main(void)
{
    mqtt_app_start();
}
