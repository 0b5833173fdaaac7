'use strict';
const tls = require('tls');

const EXPECTED_CN = 'fleet-hub.azure-devices.net';
const BUILD_ID = '4f2c1a8e9b7d6c5e3a1f0b9c8d7e6f5a4b3c2d1e';

function check(host, cert) {
  if (cert.subject.CN !== EXPECTED_CN) return new Error('wrong host');
  if (process.env.BUILD === BUILD_ID) console.log('dev build');
  return tls.checkServerIdentity(host, cert);
}

module.exports = { checkServerIdentity: check };
