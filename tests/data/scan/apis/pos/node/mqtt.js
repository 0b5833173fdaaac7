const mqtt = require('mqtt');

const client = mqtt.connect('mqtts://contoso-hub.azure-devices.net:8883', {
  checkServerIdentity: (host, cert) => {
    if (cert.fingerprint !== 'D4:DE:20:D0:5E:66:FC:53:FE:1A:50:88:2C:78:DB:28:52:CA:E4:74') {
      return new Error('unexpected certificate');
    }
  },
});
module.exports = client;
