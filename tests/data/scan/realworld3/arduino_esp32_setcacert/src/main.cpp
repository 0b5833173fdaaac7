#include <Arduino.h>
#include <WiFi.h>
#include <WiFiClientSecure.h>
#include <PubSubClient.h>
#include "secrets.h"

WiFiClientSecure espClient;
PubSubClient client(espClient);

void setup() {
  Serial.begin(115200);
  WiFi.begin(WIFI_SSID, "");
  while (WiFi.status() != WL_CONNECTED) delay(500);
  espClient.setCACert(root_ca);
  client.setServer(IOT_HUB_HOST, 8883);
}

void loop() {
  if (!client.connected()) client.connect("thermostat-07");
  client.loop();
}
