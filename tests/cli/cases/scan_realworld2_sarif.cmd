scan --at=2026-01-01T00:00:00Z --format sarif data/scan/realworld2/pio_knownkey_ptr data/scan/realworld2/esp8266_x509list_obj data/scan/realworld2/curl_gateway data/scan/realworld2/openssl_store
