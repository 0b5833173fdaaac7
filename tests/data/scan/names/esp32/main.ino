#include <WiFiClientSecure.h>
#include <BearSSLHelpers.h>
#include "ca.h"

WiFiClientSecure net;

void setup() {
  net.setCACert(ica_pem);
  net.connect("myhub.azure-devices.net", 8883);
}

void loop() {}
