// Copyright (c) Contoso Devices. All rights reserved.
// Licensed under the MIT license.

#include <stdio.h>
#include <stdlib.h>

#include "iothub.h"
#include "iothub_device_client_ll.h"
#include "iothub_message.h"
#include "iothubtransportmqtt.h"
#include "certs.h"

static const char* connectionString = "HostName=contoso-hub.azure-devices.net;DeviceId=thermostat-07;x509=true";

int main(void)
{
    IOTHUB_DEVICE_CLIENT_LL_HANDLE device_ll_handle;
    bool traceOn = true;

    (void)IoTHub_Init();
    device_ll_handle = IoTHubDeviceClient_LL_CreateFromConnectionString(connectionString, MQTT_Protocol);
    if (device_ll_handle == NULL)
        return 1;
    (void)IoTHubDeviceClient_LL_SetOption(device_ll_handle, "logtrace", &traceOn);
    (void)IoTHubDeviceClient_LL_SetOption(device_ll_handle,
        "TrustedCerts", hub_ca_pem);
    IoTHubDeviceClient_LL_DoWork(device_ll_handle);
    IoTHubDeviceClient_LL_Destroy(device_ll_handle);
    IoTHub_Deinit();
    return 0;
}
