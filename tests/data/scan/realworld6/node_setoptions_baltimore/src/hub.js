'use strict';
const fs = require('fs');
const path = require('path');
const { Client } = require('azure-iot-device');
const { Mqtt } = require('azure-iot-device-mqtt');

const caPath = path.join(__dirname, '..', 'certs', 'azure-iot-root.pem');

async function open(connectionString) {
  const client = Client.fromConnectionString(connectionString, Mqtt);
  client.setOptions({ ca: fs.readFileSync(caPath, 'utf8') });
  await client.open();
  return client;
}

module.exports = { open };
