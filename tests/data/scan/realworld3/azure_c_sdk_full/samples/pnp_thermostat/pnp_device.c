// Copyright (c) Contoso Devices. All rights reserved.
// Licensed under the MIT license.

#include <stdbool.h>
#include <stdio.h>

#include "iothub_device_client_ll.h"
#include "iothub_client_options.h"
#include "iothubtransportmqtt.h"
#include "certs.h"

static const char g_modelId[] = "dtmi:com:example:Thermostat;1";

IOTHUB_DEVICE_CLIENT_LL_HANDLE PnP_CreateDeviceClientLLHandle(const char *connectionString)
{
    IOTHUB_DEVICE_CLIENT_LL_HANDLE deviceHandle = NULL;
    bool urlAutoEncodeDecode = true;
    int result = 0;

    if ((deviceHandle = IoTHubDeviceClient_LL_CreateFromConnectionString(connectionString, MQTT_Protocol)) == NULL)
    {
        printf("Failure creating IotHub client.\n");
        return NULL;
    }
    if (IoTHubDeviceClient_LL_SetOption(deviceHandle, OPTION_MODEL_ID, g_modelId) != IOTHUB_CLIENT_OK)
        result = 1;
    else if (IoTHubDeviceClient_LL_SetOption(deviceHandle, OPTION_AUTO_URL_ENCODE_DECODE, &urlAutoEncodeDecode) != IOTHUB_CLIENT_OK)
        result = 1;
    else if (IoTHubDeviceClient_LL_SetOption(deviceHandle, OPTION_TRUSTED_CERT, certificates) != IOTHUB_CLIENT_OK)
        result = 1;
    if (result != 0)
    {
        IoTHubDeviceClient_LL_Destroy(deviceHandle);
        deviceHandle = NULL;
    }
    return deviceHandle;
}
