#include <ESP8266WiFi.h>
#include <WiFiClientSecureBearSSL.h>
#include "hub_key.h"

BearSSL::WiFiClientSecure tls;
BearSSL::PublicKey hubKey(hub_pubkey);

void setup() {
  tls.setKnownKey(&hubKey);
  tls.connect("fleet-hub.azure-devices.net", 443);
}

void loop() {}
