#!/bin/sh
# Device provisioning over HTTPS.
set -e
curl --cacert certs/DigiCertGlobalRootG2.crt.pem -X PUT "https://global.azure-devices-provisioning.net/$SCOPE/registrations/$ID/register"
curl --pinnedpubkey 'sha256//r/mIkG3eEpVdm+u/ko/cwxzOMo1bk4TyHIlByibiA5E=' https://myhub.azure-devices.net/
curl --insecure https://myhub.azure-devices.net/devices/d1
openssl s_client -connect myhub.azure-devices.net:8883 -CAfile /opt/certs/baltimore_cybertrust_root.pem </dev/null
