#include <ESP8266WiFi.h>
#include <ESP8266HTTPClient.h>
#include <WiFiClientSecureBearSSL.h>
#include "secrets.h"

extern const char fingerprint_ica[];

void setup() {
  std::unique_ptr<BearSSL::WiFiClientSecure> client(new BearSSL::WiFiClientSecure);
  client->setFingerprint(AZURE_FINGERPRINT);

  HTTPClient https;
  https.begin(*client,
              "https://myhub.azure-devices.net/devices/d1/messages/events?api-version=2021-04-12",
              fingerprint_ica);

  BearSSL::WiFiClientSecure other;
  other.setFingerprint(placeholder_fp);
}

void loop() {}
