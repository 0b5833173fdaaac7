#include <stdio.h>
#include "azure_prov_client/prov_device_ll_client.h"
#include "azure_prov_client/prov_security_factory.h"
#include "azure_prov_client/prov_transport_mqtt_client.h"
#include "certs.h"

static const char* global_prov_uri = "global.azure-devices-provisioning.net";
static const char* id_scope = "0ne00000000";

int register_device(void)
{
    PROV_DEVICE_LL_HANDLE handle;

    (void)prov_dev_security_init(SECURE_DEVICE_TYPE_X509);
    if ((handle = Prov_Device_LL_Create(global_prov_uri, id_scope, Prov_Device_MQTT_Protocol)) == NULL)
        return -1;
    Prov_Device_LL_SetOption(handle, "TrustedCerts", certificates);
    Prov_Device_LL_SetOption(handle, PROV_REGISTRATION_ID, "thermostat-07");
    return 0;
}
