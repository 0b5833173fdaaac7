#include <ESP8266WiFi.h>
#include <WiFiClientSecureBearSSL.h>

const char hub_fp[] PROGMEM = "D4 DE 20 D0 5E 66 FC 53 FE 1A 50 88 2C 78 DB 28 52 CA E4 74";
static const char *HOST = "contoso-hub.azure-devices.net";

BearSSL::WiFiClientSecure *client;

void setup() {
  client = new BearSSL::WiFiClientSecure();
  if (client->connect(HOST, 443) && !client->verify(hub_fp, HOST)) {
    Serial.println("certificate mismatch");
  }
}

void loop() {}
