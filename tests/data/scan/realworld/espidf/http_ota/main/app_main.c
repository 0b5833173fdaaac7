#include <string.h>
#include "esp_log.h"
#include "esp_http_client.h"

static const char *TAG = "hub_http";

extern const char azure_root_pem_start[] asm("_binary_azure_root_pem_start");
extern const char azure_root_pem_end[]   asm("_binary_azure_root_pem_end");

static void post_telemetry(const char *body)
{
    esp_http_client_config_t cfg = {
        .url = "https://fleet-hub.azure-devices.net/devices/sensor-7/messages/events?api-version=2020-03-13",
        .cert_pem = azure_root_pem_start,
        .method = HTTP_METHOD_POST,
        .timeout_ms = 5000,
    };
    esp_http_client_handle_t c = esp_http_client_init(&cfg);
    esp_http_client_set_post_field(c, body, strlen(body));
    esp_err_t err = esp_http_client_perform(c);
    ESP_LOGI(TAG, "POST: %s", esp_err_to_name(err));
    esp_http_client_cleanup(c);
}

void app_main(void)
{
    post_telemetry("{\"t\":21}");
}
