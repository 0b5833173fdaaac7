import * as crypto from 'crypto';
import * as tls from 'tls';
import { HUB_HOST, HUB_KEY_PIN, HUB_PORT, LEGACY_KEY_PIN } from './config';

function spkiPin(cert: tls.PeerCertificate): string {
  return crypto.createHash('sha256').update(cert.pubkey).digest('base64');
}

export function openLink(): tls.TLSSocket {
  return tls.connect({
    host: HUB_HOST,
    port: HUB_PORT,
    servername: HUB_HOST,
    checkServerIdentity: (host: string, cert: tls.PeerCertificate): Error | undefined => {
      const err = tls.checkServerIdentity(host, cert);
      if (err) return err;
      let top: tls.DetailedPeerCertificate = cert as tls.DetailedPeerCertificate;
      while (top.issuerCertificate && top.issuerCertificate !== top) top = top.issuerCertificate;
      const pin = spkiPin(top);
      if (pin !== HUB_KEY_PIN && pin !== LEGACY_KEY_PIN) {
        return new Error(`root key pin mismatch: ${pin}`);
      }
      return undefined;
    },
  });
}
