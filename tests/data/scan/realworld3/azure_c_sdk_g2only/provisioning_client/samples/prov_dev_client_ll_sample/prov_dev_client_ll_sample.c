// Copyright (c) Contoso Devices. All rights reserved.
// Licensed under the MIT license.

#include <stdio.h>
#include <stdlib.h>

#include "azure_prov_client/prov_device_ll_client.h"
#include "azure_prov_client/prov_security_factory.h"
#include "azure_prov_client/prov_transport_mqtt_client.h"
#include "azure_c_shared_utility/shared_util_options.h"
#include "certs.h"

static const char* global_prov_uri = "global.azure-devices-provisioning.net";
static const char* id_scope = "0ne000A1B2C";

static void register_device_callback(PROV_DEVICE_RESULT register_result, const char* iothub_uri, const char* device_id, void* user_context)
{
    (void)user_context;
    if (register_result == PROV_DEVICE_RESULT_OK)
        (void)printf("Registration Information received from service: %s, deviceId: %s\r\n", iothub_uri, device_id);
}

int main(void)
{
    PROV_DEVICE_LL_HANDLE handle;

    (void)prov_dev_security_init(SECURE_DEVICE_TYPE_X509);
    if ((handle = Prov_Device_LL_Create(global_prov_uri, id_scope, Prov_Device_MQTT_Protocol)) == NULL)
    {
        (void)printf("failed calling Prov_Device_LL_Create\r\n");
        return 1;
    }
    Prov_Device_LL_SetOption(handle, OPTION_TRUSTED_CERT, certificates);
    if (Prov_Device_LL_Register_Device(handle, register_device_callback, NULL, NULL, NULL) != PROV_DEVICE_RESULT_OK)
        (void)printf("failed calling Prov_Device_LL_Register_Device\r\n");
    Prov_Device_LL_Destroy(handle);
    prov_dev_security_deinit();
    return 0;
}
