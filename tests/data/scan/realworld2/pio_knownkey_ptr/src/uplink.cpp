#include <ESP8266WiFi.h>
#include <WiFiClientSecureBearSSL.h>
#include "hub_pubkey.h"

namespace {
BearSSL::WiFiClientSecure *client;
BearSSL::PublicKey *issuerKey;
}

void uplink_init() {
  client = new BearSSL::WiFiClientSecure();
  issuerKey = new BearSSL::PublicKey(HUB_ISSUER_KEY);
  client->setKnownKey(issuerKey);
}

bool uplink_send(const char *payload) {
  if (!client->connect("line4-hub.azure-devices.net", 443)) return false;
  client->print(payload);
  return true;
}
