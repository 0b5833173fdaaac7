'use strict';
// SHA-256 fingerprint of the hub's issuing CA (cert.fingerprint256 format)
module.exports.HUB_ISSUER_FP256 =
  '9D:1B:C5:D2:DD:75:BF:8B:64:F3:5E:7F:91:9E:25:46:C2:25:BE:88:8C:1A:8C:BE:82:C0:E9:57:92:34:A7:ED';
// public key pin, sha256 of the DER SPKI in base64
module.exports.HUB_KEY_PIN = 'Mfmoi2wKbxJCpI54JB7B+PPNkO8dRO51Bpbp+Gu4aFg=';
