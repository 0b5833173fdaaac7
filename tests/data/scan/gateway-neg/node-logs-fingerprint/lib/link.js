'use strict';
const tls = require('tls');

function open(host) {
  return tls.connect({
    host, port: 8883, servername: host,
    checkServerIdentity: (h, cert) => {
      console.log(`server ${h} presents ${cert.fingerprint256}`);
      return tls.checkServerIdentity(h, cert);
    },
  });
}
module.exports = { open };
