#include "esp_transport_ssl.h"
extern const uint8_t hub_roots_pem_start[] asm("_binary_hub_roots_pem_start");
void init(esp_transport_handle_t ssl) { esp_transport_ssl_set_cert_data(ssl, (const char *)hub_roots_pem_start, -1); }
