'use strict';
const https = require('https');
const tls = require('tls');

const options = {
  host: 'contoso-hub.azure-devices.net',
  port: 443,
  checkServerIdentity: (host, cert) => {
    console.log('server certificate', cert.subject.CN, cert.fingerprint256);
    return tls.checkServerIdentity(host, cert);
  },
};

https.request(options, (res) => res.resume()).end();
