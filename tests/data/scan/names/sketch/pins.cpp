#include <Arduino.h>

// SHA-1 of the intermediate IoT Hub serves (Microsoft Azure RSA TLS Issuing CA 03)
const char fingerprint_ica[] PROGMEM = "37 46 1A AC FA 59 70 F7 F2 D2 BA C5 A6 59 B5 3B 72 54 1C 68";
