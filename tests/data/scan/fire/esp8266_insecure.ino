#include <ESP8266WiFi.h>
#include <WiFiClientSecureBearSSL.h>

std::unique_ptr<BearSSL::WiFiClientSecure> client(new BearSSL::WiFiClientSecure);

void setup() {
  // TODO: remove before release
  client->setInsecure();
  client->setFingerprint("YOUR_FINGERPRINT_HERE");
}
void loop() {}
