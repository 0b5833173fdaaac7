#include <ESP8266WiFi.h>
#include <WiFiClientSecureBearSSL.h>
#include <ESP8266HTTPClient.h>
#include "hub_fp.h"

std::unique_ptr<BearSSL::WiFiClientSecure> client(new BearSSL::WiFiClientSecure);

void setup() {
  Serial.begin(115200);
  WiFi.begin("contoso-iot", "");
  while (WiFi.status() != WL_CONNECTED) delay(500);
  client->setFingerprint(hub_fingerprint);
}

void loop() {
  HTTPClient https;
  if (https.begin(*client, "https://contoso-hub.azure-devices.net/devices/thermostat-07/messages/events?api-version=2021-04-12")) {
    https.POST("{\"t\":21}");
    https.end();
  }
  delay(60000);
}
