#ifndef GW_CONFIG_H
#define GW_CONFIG_H

#define GW_HUB_HOST     "contoso-hub.azure-devices.net"
#define GW_HUB_PORT     8883

#define GW_DEVICE_CERT  "/etc/hubgw/certs/device.crt"
#define GW_DEVICE_KEY   "/etc/hubgw/private/device.key"

#endif
