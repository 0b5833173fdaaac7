#include <ESP8266WiFi.h>
#include <PubSubClient.h>
#include "settings.h"

BearSSL::WiFiClientSecure net;
PubSubClient mqtt(net);

void setup() {
  net.setFingerprint(kFingerprint);
  mqtt.setServer("fleet-hub.azure-devices.net", 8883);
}

void loop() { mqtt.loop(); }
