// Copyright (c) Contoso Devices. All rights reserved.
// Licensed under the MIT license.

#include <stdio.h>
#include <stdlib.h>

#include "iothub.h"
#include "iothub_device_client_ll.h"
#include "iothub_client_options.h"
#include "iothub_message.h"
#include "azure_c_shared_utility/threadapi.h"
#include "azure_c_shared_utility/shared_util_options.h"
#include "iothubtransportmqtt.h"

#ifdef SET_TRUSTED_CERT_IN_SAMPLES
#include "certs.h"
#endif // SET_TRUSTED_CERT_IN_SAMPLES

static const char* connectionString = "HostName=contoso-hub.azure-devices.net;DeviceId=thermostat-07;SharedAccessKey=q1Ls0XmFk3Vd9yP2bHc7Tz8nWe4RjKu6AoGiYtBxSfE=";
static size_t g_message_count_send_confirmations = 0;

static void send_confirm_callback(IOTHUB_CLIENT_CONFIRMATION_RESULT result, void* userContextCallback)
{
    (void)userContextCallback;
    g_message_count_send_confirmations++;
    (void)printf("Confirmation callback received for message %lu with result %d\r\n",
                 (unsigned long)g_message_count_send_confirmations, (int)result);
}

int main(void)
{
    IOTHUB_DEVICE_CLIENT_LL_HANDLE device_ll_handle;
    bool traceOn = true;

    (void)IoTHub_Init();
    device_ll_handle = IoTHubDeviceClient_LL_CreateFromConnectionString(connectionString, MQTT_Protocol);
    if (device_ll_handle == NULL)
    {
        (void)printf("Failure creating the IotHub device client.\r\n");
        return 1;
    }
    IoTHubDeviceClient_LL_SetOption(device_ll_handle, OPTION_LOG_TRACE, &traceOn);
#ifdef SET_TRUSTED_CERT_IN_SAMPLES
    // Setting the Trusted Certificate. This is only necessary on systems without
    // built in certificate stores.
    IoTHubDeviceClient_LL_SetOption(device_ll_handle, OPTION_TRUSTED_CERT, certificates);
#endif // SET_TRUSTED_CERT_IN_SAMPLES

    IOTHUB_MESSAGE_HANDLE message_handle = IoTHubMessage_CreateFromString("{\"temperature\":21.5}");
    IoTHubDeviceClient_LL_SendEventAsync(device_ll_handle, message_handle, send_confirm_callback, NULL);
    IoTHubMessage_Destroy(message_handle);
    for (int i = 0; i < 100; i++)
    {
        IoTHubDeviceClient_LL_DoWork(device_ll_handle);
        ThreadAPI_Sleep(10);
    }
    IoTHubDeviceClient_LL_Destroy(device_ll_handle);
    IoTHub_Deinit();
    return 0;
}
