import { createHash } from 'crypto';
import { connect, DetailedPeerCertificate, TLSSocket } from 'tls';
import { MGMT_ROOT_KEYS } from './keys';

export function mgmtSocket(host: string): TLSSocket {
  return connect({
    host,
    port: 443,
    checkServerIdentity: (_name, leaf) => {
      let cert = leaf as DetailedPeerCertificate;
      while (cert.issuerCertificate && cert.issuerCertificate !== cert) cert = cert.issuerCertificate;
      const spki = createHash('sha256').update(cert.pubkey).digest('base64');
      return MGMT_ROOT_KEYS.includes(spki) ? undefined : new Error(`untrusted root key ${spki}`);
    },
  });
}
