// secrets.h: kept out of version control in real projects
#pragma once
#define WIFI_SSID "devices"
#define AZURE_FINGERPRINT "D4 DE 20 D0 5E 66 FC 53 FE 1A 50 88 2C 78 DB 28 52 CA E4 74"
static const char *placeholder_fp = "YOUR_FINGERPRINT_HERE";
