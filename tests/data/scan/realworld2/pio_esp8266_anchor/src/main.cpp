#include <Arduino.h>
#include <ESP8266WiFi.h>
#include <WiFiClientSecureBearSSL.h>
#include "azure_certs.h"

static BearSSL::WiFiClientSecure tlsClient;

void setup() {
  Serial.begin(115200);
  WiFi.begin("plant-floor", "secret");
  while (WiFi.status() != WL_CONNECTED) delay(250);
  configTime(0, 0, "pool.ntp.org");
  tlsClient.setTrustAnchors(new BearSSL::X509List(azure_issuing_ca));
  tlsClient.setBufferSizes(1024, 1024);
  if (!tlsClient.connect("plant-hub.azure-devices.net", 8883)) {
    Serial.println("TLS connect failed");
  }
}

void loop() {}
