'use strict';
// SHA-256 of the hub's issuing CA, as Node prints it (cert.fingerprint256)
exports.HUB_ISSUER_FP256 =
  '04:EE:EA:8E:50:B4:77:5B:3C:24:79:72:62:91:7E:E5:00:02:EC:4C:75:B5:6C:DF:3E:E1:C1:8C:FC:A5:BA:52';
exports.HUB_HOST = 'contoso-plant.azure-devices.net';
