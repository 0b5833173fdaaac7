#include <WiFi.h>
#include <WiFiClientSecure.h>
#include <PubSubClient.h>
#include "secrets.h"

WiFiClientSecure espClient;
PubSubClient client(espClient);

void setup() {
  WiFi.begin(WIFI_SSID, WIFI_PASS);
  while (WiFi.status() != WL_CONNECTED) delay(500);
  espClient.setCACert(root_ca);
  client.setServer(IOT_HUB_HOST, 8883);
}

void loop() {
  if (!client.connected()) client.connect("sensor-7", "fleet-hub.azure-devices.net/sensor-7/?api-version=2021-04-12", "SharedAccessSignature sr=...");
  client.loop();
}
