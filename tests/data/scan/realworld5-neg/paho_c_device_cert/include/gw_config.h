#ifndef GW_CONFIG_H
#define GW_CONFIG_H

#define HUB_ADDRESS "ssl://contoso-hub.azure-devices.net:8883"
#define HUB_CA_FILE "/etc/ssl/certs/ca-certificates.crt"
#define DEVICE_CERT "/etc/hubgw/device-cert.pem"
#define DEVICE_KEY "/etc/hubgw/device-key.pem"

#endif
