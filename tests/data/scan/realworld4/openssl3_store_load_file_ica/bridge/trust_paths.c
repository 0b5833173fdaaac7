#include "trust_paths.h"

/* Where the image installs the hub's CA (see rootfs/). */
const char bridge_ca_path[] = "/etc/bridge/azure-ica.pem";
