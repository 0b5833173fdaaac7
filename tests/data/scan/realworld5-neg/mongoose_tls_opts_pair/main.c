#include "mongoose.h"
#include "certs.h"

static const char *s_url = "mqtts://contoso-hub.azure-devices.net:8883";

static void fn(struct mg_connection *c, int ev, void *ev_data)
{
	if (ev == MG_EV_CONNECT && mg_url_is_ssl(s_url)) {
		struct mg_tls_opts opts = {.ca = mg_str(s_ca_pem),
					   .name = mg_url_host(s_url)};
		mg_tls_init(c, &opts);
	} else if (ev == MG_EV_MQTT_OPEN) {
		MG_INFO(("%lu CONNECTED to %s", c->id, s_url));
	} else if (ev == MG_EV_ERROR) {
		MG_ERROR(("%lu ERROR %s", c->id, (char *) ev_data));
	}
}

int main(void)
{
	struct mg_mgr mgr;
	struct mg_mqtt_opts opts = {.clean = true, .version = 4,
				    .client_id = mg_str("pump-3")};
	mg_mgr_init(&mgr);
	mg_mqtt_connect(&mgr, s_url, &opts, fn, NULL);
	for (;;) mg_mgr_poll(&mgr, 1000);
	return 0;
}
