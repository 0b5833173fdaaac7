#include <ESP8266WiFi.h>
#include <WiFiClientSecureBearSSL.h>
#include <ESP8266HTTPClient.h>
#include "hub_config.h"

std::unique_ptr<BearSSL::WiFiClientSecure> client(new BearSSL::WiFiClientSecure);

void setup() {
  Serial.begin(115200);
  WiFi.begin("ssid", "password");
  while (WiFi.status() != WL_CONNECTED) delay(250);
  client->setFingerprint(HUB_FP);
  client->setBufferSizes(1024, 1024);
}

void loop() {
  HTTPClient https;
  if (https.begin(*client, HUB_HOST, HUB_PORT, "/devices/sensor-7/messages/events?api-version=2020-03-13", true)) {
    int code = https.POST("{\"t\":21.5}");
    Serial.printf("POST -> %d\n", code);
    https.end();
  }
  delay(60000);
}
