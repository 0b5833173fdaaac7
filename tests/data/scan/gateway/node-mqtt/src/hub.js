'use strict';
const fs = require('fs');
const path = require('path');
const mqtt = require('mqtt');

const HUB = process.env.HUB_HOST || 'contoso-plant.azure-devices.net';
const DEVICE = process.env.DEVICE_ID || 'gw-node-1';

function connect(sas) {
  return mqtt.connect(`mqtts://${HUB}:8883`, {
    clientId: DEVICE,
    username: `${HUB}/${DEVICE}/?api-version=2021-04-12`,
    password: sas,
    protocolVersion: 4,
    ca: fs.readFileSync(path.join(__dirname, 'certs', 'root.pem')),
    rejectUnauthorized: true,
  });
}

module.exports = { connect };
