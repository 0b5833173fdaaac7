// ESP32 Arduino: HTTPClient::begin(url, fingerprint) and a byte-array fingerprint.
#include <WiFi.h>
#include <HTTPClient.h>
#include <WiFiClientSecure.h>

static const uint8_t azure_fp[20] = {0x2F, 0x28, 0x77, 0xC5, 0xD7, 0x78, 0xC3, 0x1E, 0x0F, 0x29,
                                     0xC7, 0xE3, 0x71, 0xDF, 0x54, 0x71, 0xBD, 0x67, 0x31, 0x73};

void send(const char *body) {
  HTTPClient http;
  http.begin("https://myhub.azure-devices.net/devices/d1/messages/events?api-version=2021-04-12",
             "df3c24f9bfd666761b268073fe06d1cc8d4f82a4");
  http.POST(body);
  WiFiClientSecure c;
  c.setFingerprint(azure_fp);
}
void setup() {}
void loop() {}
