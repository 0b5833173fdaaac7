#define TINY_GSM_MODEM_SIM7600
#include <Arduino.h>
#include "hub_ca.h"

#define SerialAT Serial1
#define CA_NAME "hubca.pem"

static bool sendAT(const String &cmd, const char *expect, uint32_t timeout = 3000)
{
  SerialAT.println(cmd);
  uint32_t start = millis();
  String resp;
  while (millis() - start < timeout) {
    while (SerialAT.available()) resp += (char)SerialAT.read();
    if (resp.indexOf(expect) >= 0) return true;
  }
  return false;
}

static bool uploadCaCert()
{
  size_t len = strlen_P(kHubCaCert);
  if (!sendAT(String("AT+CCERTDOWN=\"") + CA_NAME + "\"," + len, ">")) return false;
  for (size_t i = 0; i < len; i++) SerialAT.write(pgm_read_byte(kHubCaCert + i));
  if (!sendAT("", "OK", 5000)) return false;
  return sendAT(String("AT+CSSLCFG=\"cacert\",0,\"") + CA_NAME + "\"", "OK");
}

void setup()
{
  Serial.begin(115200);
  SerialAT.begin(115200, SERIAL_8N1, 26, 27);
  delay(3000);
  sendAT("AT+CSSLCFG=\"sslversion\",0,4", "OK");
  sendAT("AT+CSSLCFG=\"authmode\",0,1", "OK");
  if (!uploadCaCert()) Serial.println("CA upload failed");
  sendAT("AT+CMQTTSTART", "+CMQTTSTART: 0", 12000);
  sendAT("AT+CMQTTSSLCFG=0,0", "OK");
}

void loop() {}
