#include "hub_ca.h"
#include "gw.h"

void install_all(void *transport, void *wolf_ctx, void *store, void *iot, void *curl)
{
	esp_transport_ssl_set_cert_data(transport, hub_ca_pem, sizeof(hub_ca_pem));
	wolfSSL_CTX_load_verify_buffer(wolf_ctx, (const unsigned char *)hub_ca_pem, sizeof(hub_ca_pem),
				       WOLFSSL_FILETYPE_PEM);
	BIO *bio = BIO_new_mem_buf(hub_ca_pem, -1);
	X509 *ca = PEM_read_bio_X509(bio, NULL, NULL, NULL);
	X509_STORE_add_cert(store, ca);
	IoTHubDeviceClient_LL_SetOption(iot, OPTION_TRUSTED_CERT, hub_ca_pem);
	curl_easy_setopt(curl, CURLOPT_CAINFO, GW_CA_FILE);
}
