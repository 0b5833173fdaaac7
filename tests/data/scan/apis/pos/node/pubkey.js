'use strict';
const crypto = require('crypto');
const tls = require('tls');

// SHA-256 of the issuing CA's public key (SubjectPublicKeyInfo), hex
const ISSUER_PUBKEY_SHA256 = '664581a2d0b89cbf816bf9176953f1ed3a6845217dbb0c4402eb9fcfaec9eec4';

function connect() {
  return tls.connect({
    host: 'contoso-hub.azure-devices.net',
    port: 8883,
    checkServerIdentity: (host, cert) => {
      const issuer = cert.issuerCertificate;
      if (crypto.createHash('sha256').update(issuer.pubkey).digest('hex') !== ISSUER_PUBKEY_SHA256) {
        return new Error('issuer key mismatch');
      }
      return tls.checkServerIdentity(host, cert);
    },
  });
}
module.exports = { connect };
