#include "esp_log.h"
#include "esp_http_client.h"
#include "esp_crt_bundle.h"

static const char *TAG = "http_get";

esp_err_t hub_get(const char *url)
{
    esp_http_client_config_t config = {
        .url = url,
        .crt_bundle_attach = esp_crt_bundle_attach,
        .timeout_ms = 5000,
    };
    esp_http_client_handle_t client = esp_http_client_init(&config);
    esp_err_t err = esp_http_client_perform(client);
    if (err != ESP_OK)
        ESP_LOGE(TAG, "HTTP GET failed: %s", esp_err_to_name(err));
    esp_http_client_cleanup(client);
    return err;
}

esp_err_t hub_tls(esp_tls_t *tls, const char *host)
{
    esp_tls_cfg_t cfg = {
        .crt_bundle_attach = esp_crt_bundle_attach,
    };
    return esp_tls_conn_new_sync(host, strlen(host), 443, &cfg, tls) == 1 ? ESP_OK : ESP_FAIL;
}
