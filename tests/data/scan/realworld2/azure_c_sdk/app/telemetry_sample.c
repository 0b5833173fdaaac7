#include "iothub.h"
#include "iothub_device_client_ll.h"
#include "iothub_client_options.h"
#include "iothubtransportmqtt.h"
#include "certs.h"

static const char *connectionString = "HostName=farm-hub.azure-devices.net;DeviceId=probe7;SharedAccessKey=AAAA";

int main(void)
{
    IOTHUB_DEVICE_CLIENT_LL_HANDLE handle;

    (void)IoTHub_Init();
    handle = IoTHubDeviceClient_LL_CreateFromConnectionString(connectionString, MQTT_Protocol);
    IoTHubDeviceClient_LL_SetOption(handle, OPTION_TRUSTED_CERT, certificates);
    IoTHubDeviceClient_LL_Destroy(handle);
    IoTHub_Deinit();
    return 0;
}
