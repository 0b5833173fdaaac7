'use strict';
const https = require('https');
const tls = require('tls');

// SHA-256 fingerprint of the hub's server certificate
const HUB_FP256 = '9A:1C:0B:7E:22:61:33:4F:AE:38:90:5C:C1:4D:7B:2E:5F:60:81:A2:B3:C4:D5:E6:F7:08:19:2A:3B:4C:5D:6E';

const options = {
  host: 'contoso-hub.azure-devices.net',
  port: 443,
  path: '/devices/dev1/messages/events?api-version=2021-04-12',
  method: 'POST',
  checkServerIdentity: (host, cert) => {
    const err = tls.checkServerIdentity(host, cert);
    if (err) return err;
    if (cert.fingerprint256 !== HUB_FP256) {
      return new Error('certificate fingerprint mismatch');
    }
    return undefined;
  },
};

https.request(options, (res) => res.resume()).end();
