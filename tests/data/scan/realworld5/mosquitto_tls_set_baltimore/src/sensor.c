#include <stdio.h>
#include <stdlib.h>
#include <mosquitto.h>

#define MQTT_HOST "contoso-hub.azure-devices.net"
#define MQTT_PORT 8883
#define CA_FILE   "certs/BaltimoreCyberTrustRoot.crt.pem"

static void on_connect(struct mosquitto *mosq, void *obj, int rc)
{
    (void)obj;
    if (rc == 0)
        mosquitto_subscribe(mosq, NULL, "devices/sensor-4/messages/devicebound/#", 1);
}

int main(void)
{
    struct mosquitto *mosq;
    int rc;

    mosquitto_lib_init();
    mosq = mosquitto_new("sensor-4", true, NULL);
    if (!mosq)
        return 1;
    mosquitto_connect_callback_set(mosq, on_connect);
    mosquitto_int_option(mosq, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V311);

    rc = mosquitto_tls_set(mosq, CA_FILE, NULL, NULL, NULL, NULL);
    if (rc != MOSQ_ERR_SUCCESS) {
        fprintf(stderr, "tls_set: %s\n", mosquitto_strerror(rc));
        return 1;
    }
    mosquitto_tls_opts_set(mosq, 1, "tlsv1.2", NULL);

    rc = mosquitto_connect(mosq, MQTT_HOST, MQTT_PORT, 60);
    if (rc == MOSQ_ERR_SUCCESS)
        rc = mosquitto_loop_forever(mosq, -1, 1);
    mosquitto_destroy(mosq);
    mosquitto_lib_cleanup();
    return rc;
}
