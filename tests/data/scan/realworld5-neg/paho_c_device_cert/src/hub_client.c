#include <stdio.h>
#include <string.h>
#include "MQTTClient.h"
#include "gw_config.h"

int hub_connect(MQTTClient *client, const char *device_id, const char *sas)
{
    MQTTClient_connectOptions conn_opts = MQTTClient_connectOptions_initializer;
    MQTTClient_SSLOptions ssl_opts = MQTTClient_SSLOptions_initializer;
    char user[256];
    int rc;

    if ((rc = MQTTClient_create(client, HUB_ADDRESS, device_id, MQTTCLIENT_PERSISTENCE_NONE, NULL)) != MQTTCLIENT_SUCCESS)
        return rc;

    ssl_opts.trustStore = HUB_CA_FILE;
    ssl_opts.keyStore = DEVICE_CERT;
    ssl_opts.privateKey = DEVICE_KEY;
    ssl_opts.enableServerCertAuth = 1;
    ssl_opts.sslVersion = MQTT_SSL_VERSION_TLS_1_2;
    ssl_opts.verify = 1;

    snprintf(user, sizeof user, "contoso-hub.azure-devices.net/%s/?api-version=2021-04-12", device_id);
    conn_opts.keepAliveInterval = 240;
    conn_opts.cleansession = 0;
    conn_opts.MQTTVersion = MQTTVERSION_3_1_1;
    conn_opts.username = user;
    conn_opts.password = sas;
    conn_opts.ssl = &ssl_opts;

    return MQTTClient_connect(*client, &conn_opts);
}
