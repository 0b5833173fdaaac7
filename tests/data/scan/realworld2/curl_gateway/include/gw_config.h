#ifndef GW_CONFIG_H
#define GW_CONFIG_H

#define GW_HUB_URL      "https://yard-hub.azure-devices.net/devices/gw1/messages/events?api-version=2021-04-12"
#define GW_CA_FILE      "/etc/yardgw/certs/hub-root.pem"
/* public key of the hub's issuing CA */
#define GW_PINNED_KEY   "sha256//ZkWBotC4nL+Ba/kXaVPx7TpoRSF9uwxEAuufz67J7sQ="

#endif
