// An ESP8266 sketch from before the migration: it pins Baltimore CyberTrust Root's SHA-1.
#include <ESP8266WiFi.h>
#include <WiFiClientSecureBearSSL.h>

BearSSL::WiFiClientSecure client;

void setup() {
  client.setFingerprint("D4 DE 20 D0 5E 66 FC 53 FE 1A 50 88 2C 78 DB 28 52 CA E4 74");
  client.connect("myhub.azure-devices.net", 8883);
}

void loop() {}
