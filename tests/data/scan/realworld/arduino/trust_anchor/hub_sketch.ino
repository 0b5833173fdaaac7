#include <ESP8266WiFi.h>
#include <WiFiClientSecureBearSSL.h>
#include "certs.h"

BearSSL::WiFiClientSecure client;
BearSSL::X509List cert(INTERMEDIATE_PEM);

void setup() {
  Serial.begin(115200);
  configTime(0, 0, "pool.ntp.org");
  client.setTrustAnchors(&cert);
  if (!client.connect("fleet-hub.azure-devices.net", 443)) {
    Serial.println("TLS connect failed");
  }
}

void loop() {}
