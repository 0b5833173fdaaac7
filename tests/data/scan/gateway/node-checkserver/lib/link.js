'use strict';
const tls = require('tls');
const { HUB_ISSUER_FP256, HUB_HOST } = require('./pins');

function open(onData) {
  const socket = tls.connect({
    host: HUB_HOST,
    port: 8883,
    servername: HUB_HOST,
    checkServerIdentity: (host, cert) => {
      const err = tls.checkServerIdentity(host, cert);
      if (err) return err;
      const issuer = cert.issuerCertificate;
      if (!issuer || issuer.fingerprint256 !== HUB_ISSUER_FP256) {
        return new Error(`unexpected issuer for ${host}`);
      }
      return undefined;
    },
  });
  socket.on('data', onData);
  return socket;
}

module.exports = { open };
