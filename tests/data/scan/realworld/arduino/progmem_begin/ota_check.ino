#include <ESP8266WiFi.h>
#include <ESP8266HTTPClient.h>

// Issuing CA fingerprint, update when the hub certificate changes
const char fingerprint[] PROGMEM = "F9:38:8E:A2:C9:B7:D6:32:B6:6A:2B:0B:40:6D:F1:D3:7D:39:01:F6";
const char* hubHost = "fleet-hub.azure-devices.net";

void checkForUpdate() {
  HTTPClient http;
  String url = String("https://") + hubHost + "/twins/sensor-7?api-version=2021-04-12";
  http.begin(url,
             fingerprint);
  int code = http.GET();
  if (code == HTTP_CODE_OK) {
    Serial.println(http.getString());
  }
  http.end();
}

void setup() { Serial.begin(115200); }
void loop() { checkForUpdate(); delay(3600000UL); }
