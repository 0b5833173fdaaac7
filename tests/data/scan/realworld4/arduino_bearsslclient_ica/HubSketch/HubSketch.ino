#include <ArduinoBearSSL.h>
#include <ArduinoMqttClient.h>
#include <WiFiNINA.h>
#include "arduino_secrets.h"
#include "hub_tas.h"

const char ssid[]   = SECRET_SSID;
const char pass[]   = SECRET_PASS;
const char broker[] = "contoso-hub.azure-devices.net";

WiFiClient    wifiClient;
BearSSLClient *sslClientPtr = new BearSSLClient(wifiClient, TAs, TAs_NUM);
#define sslClient (*sslClientPtr)
MqttClient    mqttClient(sslClient);

unsigned long getTime() {
  return WiFi.getTime();
}

void setup() {
  Serial.begin(115200);
  ArduinoBearSSL.onGetTime(getTime);
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
