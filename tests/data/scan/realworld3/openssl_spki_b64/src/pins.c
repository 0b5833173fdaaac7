/* Public-key pin of the hub's issuing CA: base64(SHA-256(SubjectPublicKeyInfo)). */
#include "pins.h"

const char hub_spki_pin[] = "ZkWBotC4nL+Ba/kXaVPx7TpoRSF9uwxEAuufz67J7sQ=";
