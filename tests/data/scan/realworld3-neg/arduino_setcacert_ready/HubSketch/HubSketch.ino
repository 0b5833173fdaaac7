#include <WiFi.h>
#include <WiFiClientSecure.h>
#include "certs.h"

WiFiClientSecure net;

void setup() {
  WiFi.begin("contoso-iot", "");
  net.setCACert(hub_roots);
}

void loop() {}
