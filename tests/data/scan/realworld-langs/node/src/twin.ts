import config from 'config';
import * as https from 'https';
import * as tls from 'tls';

const issuerFingerprint256: string = config.get('hub.issuerFingerprint256');

export const twinAgent = new https.Agent({
  keepAlive: true,
  checkServerIdentity(host: string, cert: tls.PeerCertificate) {
    const err = tls.checkServerIdentity(host, cert);
    if (err) return err;
    const issuer = (cert as tls.DetailedPeerCertificate).issuerCertificate;
    if (!issuer || issuer.fingerprint256 !== issuerFingerprint256) {
      return new Error('unexpected issuing CA');
    }
    return undefined;
  },
});
