#include <ESP8266WiFi.h>
#include <WiFiClientSecure.h>
#include <PubSubClient.h>
#include <time.h>
#include "root_ca.h"

const char* ssid = "contoso-iot";
const char* password = "not-the-real-one";
const char* mqtt_server = "contoso-hub.azure-devices.net";

BearSSL::WiFiClientSecure wifiClient;
BearSSL::X509List trustAnchors(azure_root_ca);
PubSubClient mqtt(wifiClient);

void setClock() {
  configTime(0, 0, "pool.ntp.org", "time.nist.gov");
  while (time(nullptr) < 8 * 3600 * 2) delay(500);
}

void setup() {
  Serial.begin(115200);
  WiFi.mode(WIFI_STA);
  WiFi.begin(ssid, password);
  while (WiFi.status() != WL_CONNECTED) delay(500);
  setClock();
  wifiClient.setTrustAnchors(&trustAnchors);
  mqtt.setServer(mqtt_server, 8883);
}

void loop() {
  if (!mqtt.connected()) mqtt.connect("thermostat-07");
  mqtt.loop();
}
