#pragma once
// TODO: put the real fingerprint here before flashing
const char* kFingerprint = "YOUR_FINGERPRINT_HERE";
