'use strict';
const https = require('https');
const tls = require('tls');
const crypto = require('crypto');
const { HUB_ISSUER_FP256, HUB_KEY_PIN } = require('./pins');

function sha256b64(buf) {
  return crypto.createHash('sha256').update(buf).digest('base64');
}

const agent = new https.Agent({
  checkServerIdentity(host, cert) {
    const err = tls.checkServerIdentity(host, cert);
    if (err) return err;
    if (cert.issuerCertificate.fingerprint256 !== HUB_ISSUER_FP256) {
      return new Error('unexpected issuing CA');
    }
    if (sha256b64(cert.issuerCertificate.pubkey) !== HUB_KEY_PIN) {
      return new Error('unexpected issuer key');
    }
    return undefined;
  },
});

module.exports = { agent };
