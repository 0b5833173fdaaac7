#include <ESP8266WiFi.h>
#include <ESP8266HTTPClient.h>
#include <WiFiClientSecureBearSSL.h>

// firmware image digest, checked after OTA download
const char ota_sha256[] = "5d41402abc4b2a76b9719d911017c592aa1b3c4d5e6f708192a3b4c5d6e7f801";

BearSSL::WiFiClientSecure *client;

void setup() {
  client = new BearSSL::WiFiClientSecure();
  client->setTrustAnchors(new BearSSL::X509List(digicert_g2_pem));
  HTTPClient http;
  http.begin(*client, "https://contoso-hub.azure-devices.net/api");
  if (!client->verify(nullptr, "contoso-hub.azure-devices.net")) {
    Serial.println("no session");
  }
}

void loop() {}
