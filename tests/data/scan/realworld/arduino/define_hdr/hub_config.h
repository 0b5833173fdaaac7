#pragma once

#define HUB_HOST  "fleet-hub.azure-devices.net"
#define HUB_PORT  443
// SHA1 fingerprint of the hub certificate chain (from Chrome: Certificate -> Details)
#define HUB_FP    "D4 DE 20 D0 5E 66 FC 53 FE 1A 50 88 2C 78 DB 28 52 CA E4 74"
