#ifndef GW_CONFIG_H
#define GW_CONFIG_H

#define HUB_ADDRESS "ssl://contoso-hub.azure-devices.net:8883"
#define HUB_CA_FILE "/etc/hubgw/certs/hub-ca.pem"

#endif
