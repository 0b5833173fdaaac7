#include <ESP8266WiFi.h>
#include <WiFiClientSecure.h>
#include "fingerprints.h"

WiFiClientSecure client;

void setup() {
  client.setFingerprint(HUB_FINGERPRINT);
  client.connect("silo-hub.azure-devices.net", 443);
}

void loop() {}
