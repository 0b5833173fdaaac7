// ESP8266 Arduino core: WiFiClientSecure pinned by SHA-1 fingerprint (the style of many Azure IoT samples).
#include <ESP8266WiFi.h>
#include <WiFiClientSecure.h>

const char *host = "myhub.azure-devices.net";
// "Microsoft RSA TLS CA 01" as the 2023 notice printed it
const char fingerprint[] PROGMEM = "41 7E 22 50 37 FB FA A4 F9 57 61 D5 AE 72 9E 1A EA 7E 3A 42";

WiFiClientSecure client;

void setup() {
  client.setFingerprint(fingerprint);
  if (!client.connect(host, 8883))
    return;
  if (!client.verify("70:3D:7A:8F:0E:BF:55:AA:A5:9F:98:EA:F4:A2:06:00:4E:B2:51:6A", host))
    Serial.println("certificate doesn't match");
}

void loop() {}
