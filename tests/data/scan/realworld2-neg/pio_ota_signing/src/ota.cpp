#include <ESP8266httpUpdate.h>
#include "ota_key.h"

BearSSL::PublicKey signPubKey(OTA_SIGNING_KEY);
BearSSL::HashSHA256 hash;
BearSSL::SigningVerifier sign(&signPubKey);

void ota_init() {
  Update.installSignature(&hash, &sign);
}
