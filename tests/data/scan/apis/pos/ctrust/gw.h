#pragma once
#define GW_CA_FILE "/etc/gw/hub_ca.pem"
