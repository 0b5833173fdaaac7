#include <SSLClient.h>
#include <ArduinoMqttClient.h>
#include <WiFiNINA.h>
#include "arduino_secrets.h"
#include "certificates.h"

const char ssid[]   = SECRET_SSID;
const char pass[]   = SECRET_PASS;
const char broker[] = "contoso-hub.azure-devices.net";

WiFiClient    wifiClient;
SSLClient client(wifiClient, TAs, (size_t)TAs_NUM, A0);
MqttClient    mqttClient(client);

unsigned long getTime() {
  return WiFi.getTime();
}

void setup() {
  Serial.begin(115200);
  while (WiFi.begin(ssid, pass) != WL_CONNECTED) {
    delay(5000);
  }
  mqttClient.setId("thermostat-07");
  mqttClient.setUsernamePassword("contoso-hub.azure-devices.net/thermostat-07/?api-version=2021-04-12", SECRET_SAS);
  mqttClient.connect(broker, 8883);
}

void loop() {
  mqttClient.poll();
}
