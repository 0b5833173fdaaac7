import * as crypto from 'crypto';
import * as tls from 'tls';
import { DEVICE_ID, DEVICE_KEY, EXPECTED_CN } from './secrets';

export function sasToken(resource: string, expiry: number): string {
  const toSign = `${encodeURIComponent(resource)}\n${expiry}`;
  const sig = crypto.createHmac('sha256', Buffer.from(DEVICE_KEY, 'base64')).update(toSign).digest('base64');
  return `SharedAccessSignature sr=${encodeURIComponent(resource)}&sig=${encodeURIComponent(sig)}&se=${expiry}`;
}

export function connect(): tls.TLSSocket {
  return tls.connect({
    host: EXPECTED_CN,
    port: 8883,
    checkServerIdentity: (host, cert) => {
      if (cert.subject.CN !== EXPECTED_CN && !String(cert.subjectaltname).includes(EXPECTED_CN)) {
        return new Error(`unexpected server ${cert.subject.CN} for ${DEVICE_ID}`);
      }
      return tls.checkServerIdentity(host, cert);
    },
  });
}
