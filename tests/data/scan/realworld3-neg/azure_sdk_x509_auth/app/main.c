#include "iothub_device_client_ll.h"
#include "iothub_client_options.h"
#include "iothubtransportmqtt.h"
#include "device_cert.h"

int connect_hub(const char *cs)
{
    IOTHUB_DEVICE_CLIENT_LL_HANDLE h = IoTHubDeviceClient_LL_CreateFromConnectionString(cs, MQTT_Protocol);
    if (h == NULL)
        return 1;
    if (IoTHubDeviceClient_LL_SetOption(h, OPTION_X509_CERT, x509certificate) != IOTHUB_CLIENT_OK ||
        IoTHubDeviceClient_LL_SetOption(h, OPTION_X509_PRIVATE_KEY, x509privatekey) != IOTHUB_CLIENT_OK)
        return 1;
    return 0;
}
