'use strict';
const tls = require('tls');

// The build's source digest, reported with telemetry
const BUILD_SHA256 = '4f1c9a0b7e2d3c6a5b8e9f0a1d2c3b4a5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b';

function connect() {
  return tls.connect({
    host: 'contoso-hub.azure-devices.net',
    port: 8883,
    checkServerIdentity: (host, cert) => {
      console.log('key bytes', cert.pubkey.length, 'build', BUILD_SHA256);
      return tls.checkServerIdentity(host, cert);
    },
  });
}
module.exports = { connect };
