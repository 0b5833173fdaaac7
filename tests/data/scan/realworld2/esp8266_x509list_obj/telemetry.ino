#include <ESP8266WiFi.h>
#include <WiFiClientSecure.h>
#include "certs/hub_root.h"

BearSSL::WiFiClientSecure net;
BearSSL::X509List hubRoot(hub_root_pem);

void setup() {
  WiFi.begin(SSID, PASS);
  net.setTrustAnchors(&hubRoot);
  net.connect("meter-hub.azure-devices.net", 8883);
}

void loop() {}
