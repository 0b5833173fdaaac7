#include <libwebsockets.h>
#include <string.h>
#include <signal.h>

static int interrupted;

static int hub_ws_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	switch (reason) {
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
		lwsl_err("CLIENT_CONNECTION_ERROR: %s\n", in ? (char *)in : "(null)");
		interrupted = 1;
		break;
	case LWS_CALLBACK_CLIENT_CLOSED:
		interrupted = 1;
		break;
	default:
		break;
	}
	return lws_callback_http_dummy(wsi, reason, user, in, len);
}

static const struct lws_protocols protocols[] = {
	{ "hub-ws", hub_ws_callback, 0, 4096, 0, NULL, 0 },
	LWS_PROTOCOL_LIST_TERM
};

int main(int argc, const char **argv)
{
	struct lws_context_creation_info info;
	struct lws_client_connect_info i;
	struct lws_context *context;

	lws_set_log_level(LLL_USER | LLL_ERR | LLL_WARN, NULL);

	memset(&info, 0, sizeof info);
	info.options = LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = protocols;
	info.client_ssl_ca_filepath = "/etc/ssl/certs/ca-certificates.crt";

	context = lws_create_context(&info);
	if (!context) {
		lwsl_err("lws init failed\n");
		return 1;
	}

	memset(&i, 0, sizeof i);
	i.context = context;
	i.address = "contoso-hub.azure-devices.net";
	i.port = 443;
	i.path = "/$iothub/websocket";
	i.host = i.address;
	i.origin = i.address;
	i.ssl_connection = LCCSCF_USE_SSL;
	i.protocol = "mqtt";
	lws_client_connect_via_info(&i);

	while (!interrupted)
		if (lws_service(context, 0) < 0)
			break;
	lws_context_destroy(context);
	return 0;
}
