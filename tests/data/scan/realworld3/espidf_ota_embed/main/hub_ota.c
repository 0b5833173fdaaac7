/* OTA from the hub's blob storage: fetches the image over HTTPS and flashes it. */
#include <string.h>
#include "freertos/FreeRTOS.h"
#include "freertos/task.h"
#include "esp_system.h"
#include "esp_event.h"
#include "esp_log.h"
#include "esp_ota_ops.h"
#include "esp_http_client.h"
#include "esp_https_ota.h"

static const char *TAG = "hub_ota";
extern const uint8_t server_cert_pem_start[] asm("_binary_ca_cert_pem_start");
extern const uint8_t server_cert_pem_end[] asm("_binary_ca_cert_pem_end");

static esp_err_t _http_event_handler(esp_http_client_event_t *evt)
{
    if (evt->event_id == HTTP_EVENT_ERROR) {
        ESP_LOGD(TAG, "HTTP_EVENT_ERROR");
    }
    return ESP_OK;
}

void hub_ota_task(void *pvParameter)
{
    ESP_LOGI(TAG, "Starting OTA");
    esp_http_client_config_t config = {
        .url = CONFIG_HUB_FIRMWARE_UPGRADE_URL,
        .cert_pem = (char *)server_cert_pem_start,
        .event_handler = _http_event_handler,
        .keep_alive_enable = true,
    };
    esp_https_ota_config_t ota_config = {
        .http_config = &config,
    };
    esp_err_t ret = esp_https_ota(&ota_config);
    if (ret == ESP_OK) {
        esp_restart();
    }
    ESP_LOGE(TAG, "Firmware upgrade failed");
    vTaskDelete(NULL);
}
