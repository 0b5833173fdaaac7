#!/usr/bin/env python3
"""Writes the blind set tests/data/scan/realworld6 and realworld6-neg (issue #16): trust anchors and pins set in
configuration files, scripts, units and SDK options of Linux gateways and devices: Telegraf, Fluent Bit, Node-RED,
ESPHome, Zigbee2MQTT, wget/curl/mosquitto_pub in scripts, Dockerfile and docker-compose environments, systemd
environment files, Rust (rustls, reqwest, rumqttc), Python (azure-iot-device provisioning, paho), Node
(azure-iot-device setOptions), Java (Paho with a PEM trust store) and Kotlin (OkHttp CertificatePinner). The shapes
are written from the tools' documented settings and the libraries' documented APIs, not copied from any project.
The certificates are the public ones of tests/data (copies of /work/shared/corpus); the device certificate is
realworld3-neg's, the private CA realworld3-neg's factory CA, the device key a P-256 key made for this set.
Run from the repository root:
    python3 tools/mkscan_realworld6.py
The output is deterministic. Each EXPECT line is computed from marker text of the setting or call and of the
definition, so the set was written before the scanner was run on it.
"""
import os, re, shutil

POS, NEG = 'tests/data/scan/realworld6', 'tests/data/scan/realworld6-neg'
CERTS = {'balt': 'tests/data/baltimore_cybertrust_root.pem', 'g2': 'tests/data/digicert_global_root_g2.pem',
         'ms17': 'tests/data/microsoft_rsa_root_ca_2017.pem',
         'ica01x': 'tests/data/intermediates/microsoft_azure_tls_issuing_ca_01_xsign.pem',
         'ica03': 'tests/data/intermediates/microsoft_azure_rsa_tls_issuing_ca_03.pem',
         'ica03x': 'tests/data/intermediates/microsoft_azure_rsa_tls_issuing_ca_03_xsign.pem',
         'ica04x': 'tests/data/intermediates/microsoft_azure_rsa_tls_issuing_ca_04_xsign.pem',
         'ica07': 'tests/data/intermediates/microsoft_azure_rsa_tls_issuing_ca_07.pem',
         'ica08': 'tests/data/intermediates/microsoft_azure_rsa_tls_issuing_ca_08.pem',
         'ica08x': 'tests/data/intermediates/microsoft_azure_rsa_tls_issuing_ca_08_xsign.pem'}
# SPKI SHA-256 (base64) of the public keys, computed with openssl from the files above
SPKI = {'balt': 'Y9mvm0exBk1JoQ57f9Vm28jKo5lFm/woKcVxrYxu80o=', 'g2': 'i7WTqTvh0OioIruIfFR4kMPnBqrS2rdiVPl/s2uC/CY=',
        'ms17': 'svcpi1K/LDysTd/nLeTWgqxYlXWVmC8rYjAa9ZfGmcU=', 'ica03': 'ZkWBotC4nL+Ba/kXaVPx7TpoRSF9uwxEAuufz67J7sQ='}
DEVICE_KEY = """-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgCHS1zq76nviXvnK2
/z31w+QBkqcSCKLQPyEnBQhcLmmhRANCAATomuCK3V7ARTeAsL5xhhkvGY6hF/mZ
UlqtTJq4dTrTEBaD5+8uFNgfNtxmynamsu9USyOtl4y124msCIVJR4zH
-----END PRIVATE KEY-----
"""


def pem(*keys):
    return ''.join(open(CERTS[k]).read().strip() + '\n' for k in keys)


def c_pem(path, name):
    """The PEM of a C string literal `name[] = "...\\n" \\ ...` in another set's file."""
    text = open(path).read()
    start = text.index(name)
    body = text[text.index('-----BEGIN', start):text.index('-----END CERTIFICATE-----', start)]
    lines = re.findall(r'"([^"]*)\\n"', '"' + body + '-----END CERTIFICATE-----\\n"')
    return '\n'.join(lines) + '\n'


DEVICE_PEM = c_pem('tests/data/scan/realworld3-neg/zephyr_client_cert/src/creds.h', 'device_cert[]')
PRIVATE_CA = c_pem('tests/data/scan/realworld3-neg/mbedtls_private_ca/src/test_ca.h', 'factory_ca_pem[]')


def indent(text, n):
    return ''.join(' ' * n + l + '\n' for l in text.splitlines())


def line_of(files, path, marker):
    text = files[path]
    i = text.index(marker)
    assert text.count(marker) == 1, (path, marker)
    return text.count('\n', 0, i) + 1


def write(base, name, files, expect):
    """expect: list of (comment or None, [(path, marker), ...], rule, severity, api, [(path, marker or None)] or None)
    or the string 'none' (with an optional comment as a tuple ('none', comment))."""
    d = os.path.join(base, name)
    shutil.rmtree(d, ignore_errors=True)
    for p, t in files.items():
        os.makedirs(os.path.dirname(os.path.join(d, p)) or d, exist_ok=True)
        with open(os.path.join(d, p), 'w') as f:
            f.write(t)
    out = []
    for e in expect:
        if isinstance(e, tuple) and e[0] == 'none':
            out.append('# ' + e[1])
            out.append('none')
            continue
        comment, locs, rule, sev, api, rels = e
        out.append('# ' + comment)
        loc = '|'.join('%s:%d' % (p, line_of(files, p, m)) for p, m in locs)
        if rels is None:
            rel = '-'
        else:
            rel = '|'.join(p if m is None else '%s:%d' % (p, line_of(files, p, m)) for p, m in rels)
        out.append('%s %s %s %s %s' % (loc, rule, sev, api, rel))
    with open(os.path.join(d, 'EXPECT'), 'w') as f:
        f.write('\n'.join(out) + '\n')


HUB = 'fleet-hub-prod.azure-devices.net'

# ---------------------------------------------------------------------------------------------------- positives


def telegraf_mqtt_baltimore():
    conf = '''# Telegraf on the line gateway: press metrics to Azure IoT Hub over MQTT
[agent]
  interval = "10s"
  round_interval = true
  flush_interval = "10s"
  hostname = "gw-line-04"

[[inputs.modbus]]
  name = "press_04"
  slave_id = 1
  timeout = "1s"
  controller = "tcp://10.20.4.11:502"
  holding_registers = [
    { name = "pressure", byte_order = "AB", data_type = "INT16", scale = 0.1, address = [0] },
  ]

[[outputs.mqtt]]
  servers = ["ssl://%s:8883"]
  protocol = "3.1.1"
  topic = "devices/gw-line-04/messages/events/"
  qos = 1
  client_id = "gw-line-04"
  username = "%s/gw-line-04/?api-version=2021-04-12"
  password = "${AZ_SAS_TOKEN}"
  tls_ca = "/etc/telegraf/certs/azure-iot-root.pem"
  insecure_skip_verify = false
  data_format = "json"
''' % (HUB, HUB)
    files = {'etc/telegraf/telegraf.conf': conf, 'etc/telegraf/certs/azure-iot-root.pem': pem('balt')}
    write(POS, 'telegraf_mqtt_baltimore', files, [
        ('[[outputs.mqtt]] tls_ca names a file holding Baltimore CyberTrust Root alone (expired, not served): error.',
         [('etc/telegraf/telegraf.conf', 'tls_ca')], 'single-root-file', 'error', 'tls_ca',
         [('etc/telegraf/certs/azure-iot-root.pem', '-----BEGIN')])])


def fluentbit_http_ica08():
    conf = '''[SERVICE]
    Flush        5
    Daemon       Off
    Log_Level    info
    Parsers_File parsers.conf

[INPUT]
    Name         tail
    Path         /var/log/plc/*.log
    Tag          plc.*
    Parser       plc_line

[OUTPUT]
    Name         http
    Match        plc.*
    Host         %s
    Port         443
    URI          /devices/gw-line-04/messages/events?api-version=2021-04-12
    Format       json
    Header       Authorization ${AZ_SAS_TOKEN}
    tls          On
    tls.verify   On
    tls.ca_file  /fluent-bit/etc/certs/hub-ca.pem
''' % HUB
    parsers = '''[PARSER]
    Name        plc_line
    Format      regex
    Regex       ^(?<time>[^ ]+) (?<level>[A-Z]+) (?<msg>.*)$
    Time_Key    time
    Time_Format %Y-%m-%dT%H:%M:%S
'''
    files = {'fluent-bit/etc/fluent-bit.conf': conf, 'fluent-bit/etc/parsers.conf': parsers,
             'fluent-bit/etc/certs/hub-ca.pem': pem('ica08x')}
    write(POS, 'fluentbit_http_ica08', files, [
        ('tls.ca_file names Microsoft Azure RSA TLS Issuing CA 08 (G2-signed, valid to 2026-08-25) alone: warning.',
         [('fluent-bit/etc/fluent-bit.conf', 'tls.ca_file')], 'anchor-not-root', 'warning', 'ca_file',
         [('fluent-bit/etc/certs/hub-ca.pem', '-----BEGIN')])])


def nodered_tls_ica01():
    flows = '''[
    {
        "id": "4c1f0e3a9b7d2e10",
        "type": "tab",
        "label": "Hub uplink",
        "disabled": false,
        "info": ""
    },
    {
        "id": "b51e6f0d2a3c4e71",
        "type": "mqtt-broker",
        "name": "Azure IoT Hub",
        "broker": "%s",
        "port": "8883",
        "clientid": "nr-gw-07",
        "autoConnect": true,
        "usetls": true,
        "tls": "9f3c1d2e44b1a0c2",
        "protocolVersion": "4",
        "keepalive": "240",
        "cleansession": true
    },
    {
        "id": "9f3c1d2e44b1a0c2",
        "type": "tls-config",
        "name": "hub-tls",
        "cert": "/data/certs/nr-gw-07.pem",
        "key": "/data/certs/nr-gw-07.key",
        "ca": "/data/certs/hub-ica.pem",
        "certname": "",
        "keyname": "",
        "caname": "",
        "servername": "%s",
        "verifyservercert": true,
        "alpnprotocol": ""
    },
    {
        "id": "e2d0a4b7c9f81635",
        "type": "mqtt out",
        "z": "4c1f0e3a9b7d2e10",
        "name": "telemetry",
        "topic": "devices/nr-gw-07/messages/events/",
        "qos": "1",
        "retain": "false",
        "broker": "b51e6f0d2a3c4e71",
        "x": 520,
        "y": 140,
        "wires": []
    }
]
''' % (HUB, HUB)
    files = {'data/flows.json': flows, 'data/certs/hub-ica.pem': pem('ica01x'),
             'data/certs/nr-gw-07.pem': DEVICE_PEM, 'data/certs/nr-gw-07.key': DEVICE_KEY}
    write(POS, 'nodered_tls_ica01', files, [
        ('tls-config "ca" names Microsoft Azure TLS Issuing CA 01 alone, expired 2024-06-27: error. The device\'s '
         'own cert and key: nothing.',
         [('data/flows.json', '"ca": ')], 'anchor-not-root', 'error', 'ca', [('data/certs/hub-ica.pem', '-----BEGIN')])])


def esphome_mqtt_baltimore():
    y = '''esphome:
  name: pump-house
  friendly_name: Pump house

esp32:
  board: esp32dev
  framework:
    type: esp-idf

wifi:
  ssid: !secret wifi_ssid
  password: !secret wifi_password

logger:

mqtt:
  broker: %s
  port: 8883
  client_id: pump-house
  username: %s/pump-house/?api-version=2021-04-12
  password: !secret hub_sas_token
  discovery: false
  topic_prefix: devices/pump-house/messages/events
  certificate_authority: |
%s
sensor:
  - platform: adc
    pin: GPIO34
    name: "Tank level"
    update_interval: 30s
''' % (HUB, HUB, indent(pem('balt'), 4))
    files = {'pump-house.yaml': y}
    write(POS, 'esphome_mqtt_baltimore', files, [
        ('mqtt: certificate_authority: | holds Baltimore CyberTrust Root alone, inline: error.',
         [('pump-house.yaml', 'certificate_authority'), ('pump-house.yaml', '-----BEGIN')],
         'single-root-file', 'error', '-', None)])


def zigbee2mqtt_ica03():
    y = '''homeassistant: false
permit_join: false
frontend:
  port: 8080
mqtt:
  base_topic: z2m/plant-west
  server: mqtts://plant-west.westeurope-1.ts.eventgrid.azure.net:8883
  client_id: z2m-gw-01
  user: z2m-gw-01
  ca: /app/data/certs/eventgrid-ca.pem
  cert: /app/data/certs/z2m-gw-01.pem
  key: /app/data/certs/z2m-gw-01.key
  reject_unauthorized: true
  version: 5
serial:
  port: /dev/ttyACM0
  adapter: ember
advanced:
  log_level: info
'''
    files = {'data/configuration.yaml': y, 'data/certs/eventgrid-ca.pem': pem('ica03x'),
             'data/certs/z2m-gw-01.pem': DEVICE_PEM, 'data/certs/z2m-gw-01.key': DEVICE_KEY}
    write(POS, 'zigbee2mqtt_ica03', files, [
        ('mqtt.ca names Microsoft Azure RSA TLS Issuing CA 03 (G2-signed) alone: warning; cert/key are the client\'s.',
         [('data/configuration.yaml', '  ca: ')], 'anchor-not-root', 'warning', 'ca',
         [('data/certs/eventgrid-ca.pem', '-----BEGIN')])])


def shell_wget_baltimore():
    sh = '''#!/bin/sh
# push the package inventory to the hub once a day (/etc/cron.daily)
set -eu
. /etc/fleet/fleet.env
inv=$(mktemp)
trap 'rm -f "$inv"' EXIT
opkg list-installed > "$inv"
wget -q -O /dev/null \\
     --ca-certificate=/opt/fleet/certs/hub-root.pem \\
     --header="Authorization: $FLEET_SAS" \\
     --header="Content-Type: text/plain" \\
     --post-file="$inv" \\
     "https://%s/devices/${DEVICE_ID}/messages/events?api-version=2021-04-12"
''' % HUB
    files = {'opt/fleet/bin/push-inventory.sh': sh, 'opt/fleet/certs/hub-root.pem': pem('balt')}
    write(POS, 'shell_wget_baltimore', files, [
        ('wget --ca-certificate= names Baltimore CyberTrust Root alone: error.',
         [('opt/fleet/bin/push-inventory.sh', '--ca-certificate')], 'single-root-file', 'error', 'ca-certificate',
         [('opt/fleet/certs/hub-root.pem', '-----BEGIN')])])


def shell_curl_pin_baltimore():
    sh = '''#!/bin/sh
# health check run by gw-uplink.timer: is the hub reachable, and still the hub we know?
HUB=%s
# pinned to the hub's root key (changes only with the root)
PIN="sha256//%s"
if ! curl -sS --max-time 20 --pinnedpubkey "$PIN" -o /dev/null "https://$HUB/"; then
    logger -t gw-uplink "hub unreachable or its key changed"
    exit 1
fi
''' % (HUB, SPKI['balt'])
    files = {'usr/libexec/gw-uplink/check-hub.sh': sh}
    write(POS, 'shell_curl_pin_baltimore', files, [
        ('curl --pinnedpubkey "$PIN", PIN the SPKI SHA-256 of Baltimore CyberTrust Root: error.',
         [('usr/libexec/gw-uplink/check-hub.sh', '--pinnedpubkey'), ('usr/libexec/gw-uplink/check-hub.sh', 'PIN="')],
         'pin-root', 'error', 'pinnedpubkey', None)])


def systemd_curl_pin_ica03():
    unit = '''[Unit]
Description=Fleet agent (Azure IoT Hub uplink)
After=network-online.target
Wants=network-online.target

[Service]
Type=simple
User=fleet
ExecStartPre=/usr/bin/curl -fsS --retry 5 --pinnedpubkey sha256//%s -o /dev/null https://%s/
ExecStart=/usr/bin/fleet-agent --config /etc/fleet-agent/agent.yaml
Restart=always
RestartSec=15

[Install]
WantedBy=multi-user.target
''' % (SPKI['ica03'], HUB)
    files = {'lib/systemd/system/fleet-agent.service': unit}
    write(POS, 'systemd_curl_pin_ica03', files, [
        ('ExecStartPre curl --pinnedpubkey with the key of Microsoft Azure RSA TLS Issuing CA 03 (served today, '
         'valid to 2028 in its MS RSA 2017-signed twin): warning.',
         [('lib/systemd/system/fleet-agent.service', '--pinnedpubkey')], 'pin-intermediate', 'warning',
         'pinnedpubkey', None)])


def docker_ssl_cert_file_baltimore():
    df = '''FROM python:3.11-slim-bookworm
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY src/ ./src/
COPY certs/hub-root.pem /etc/uplink/hub-root.pem
ENV SSL_CERT_FILE=/etc/uplink/hub-root.pem \\
    PYTHONUNBUFFERED=1
USER 1000
CMD ["python", "-m", "src.uplink"]
'''
    py = '''import json
import os
import ssl
import urllib.request

HUB = os.environ["IOTHUB_HOST"]
DEVICE = os.environ["IOTHUB_DEVICE_ID"]


def send(reading: dict) -> int:
    ctx = ssl.create_default_context()
    req = urllib.request.Request(
        f"https://{HUB}/devices/{DEVICE}/messages/events?api-version=2021-04-12",
        data=json.dumps(reading).encode(),
        headers={"Authorization": os.environ["IOTHUB_SAS"], "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(req, context=ctx, timeout=30) as resp:
        return resp.status
'''
    files = {'Dockerfile': df, 'requirements.txt': 'pymodbus==3.6.9\n', 'src/__init__.py': '',
             'src/uplink.py': py, 'certs/hub-root.pem': pem('balt')}
    write(POS, 'docker_ssl_cert_file_baltimore', files, [
        ('ENV SSL_CERT_FILE= (replaces the default store) names Baltimore CyberTrust Root alone: error.',
         [('Dockerfile', 'ENV SSL_CERT_FILE')], 'single-root-file', 'error', 'SSL_CERT_FILE',
         [('certs/hub-root.pem', '-----BEGIN')])])


def env_requests_ca_bundle_ica07():
    unit = '''[Unit]
Description=Meter uplink to Azure IoT Hub
After=network-online.target
Wants=network-online.target

[Service]
Type=simple
User=meter
EnvironmentFile=/etc/meter-uplink/uplink.env
ExecStart=/opt/meter-uplink/venv/bin/python -m meter_uplink
Restart=on-failure
RestartSec=30

[Install]
WantedBy=multi-user.target
'''
    env = '''# read by meter-uplink.service (EnvironmentFile=)
IOTHUB_HOST=%s
IOTHUB_DEVICE_ID=meter-0117
REQUESTS_CA_BUNDLE=/etc/meter-uplink/tls/hub-issuing-ca.pem
LOG_LEVEL=info
''' % HUB
    files = {'etc/systemd/system/meter-uplink.service': unit, 'etc/meter-uplink/uplink.env': env,
             'etc/meter-uplink/tls/hub-issuing-ca.pem': pem('ica07')}
    write(POS, 'env_requests_ca_bundle_ica07', files, [
        ('REQUESTS_CA_BUNDLE names Microsoft Azure RSA TLS Issuing CA 07 (MS RSA 2017-signed) alone: warning.',
         [('etc/meter-uplink/uplink.env', 'REQUESTS_CA_BUNDLE')], 'anchor-not-root', 'warning', 'REQUESTS_CA_BUNDLE',
         [('etc/meter-uplink/tls/hub-issuing-ca.pem', '-----BEGIN')])])


def compose_ssl_cert_file_ica08():
    y = '''services:
  uplink:
    image: registry.acme.io/gw/uplink:4.2.1
    restart: unless-stopped
    environment:
      IOTHUB_HOST: %s
      IOTHUB_DEVICE_ID: gw-west-03
      SSL_CERT_FILE: /run/certs/hub-ca.pem
    volumes:
      - ./certs:/run/certs:ro
    healthcheck:
      test: ["CMD", "python", "-m", "uplink.health"]
      interval: 5m
''' % HUB
    files = {'docker-compose.yml': y, 'certs/hub-ca.pem': pem('ica08')}
    write(POS, 'compose_ssl_cert_file_ica08', files, [
        ('environment SSL_CERT_FILE names Microsoft Azure RSA TLS Issuing CA 08 alone: warning.',
         [('docker-compose.yml', 'SSL_CERT_FILE')], 'anchor-not-root', 'warning', 'SSL_CERT_FILE',
         [('certs/hub-ca.pem', '-----BEGIN')])])


def rust_rustls_baltimore():
    cargo = '''[package]
name = "hub-link"
version = "0.7.2"
edition = "2021"

[dependencies]
anyhow = "1"
log = "0.4"
rustls = "0.23"
rustls-pemfile = "2"
'''
    rs = '''use std::sync::Arc;

use rustls::pki_types::CertificateDer;
use rustls::{ClientConfig, RootCertStore};

/// The hub's CA, baked into the binary so that a unit fresh from the factory connects before anything is set up.
static HUB_CA_PEM: &[u8] = include_bytes!("../certs/hub-ca.pem");

pub fn client_config() -> anyhow::Result<Arc<ClientConfig>> {
    let mut roots = RootCertStore::empty();
    let certs: Vec<CertificateDer<'static>> =
        rustls_pemfile::certs(&mut &HUB_CA_PEM[..]).collect::<Result<_, _>>()?;
    let (added, ignored) = roots.add_parsable_certificates(certs);
    log::debug!("hub trust: {added} added, {ignored} ignored");
    let config = ClientConfig::builder()
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Arc::new(config))
}
'''
    files = {'Cargo.toml': cargo, 'src/tls.rs': rs, 'certs/hub-ca.pem': pem('balt')}
    write(POS, 'rust_rustls_baltimore', files, [
        ('rustls RootCertStore::empty() filled from include_bytes!("../certs/hub-ca.pem"): Baltimore alone: error.',
         [('src/tls.rs', 'include_bytes!'), ('src/tls.rs', 'rustls_pemfile::certs('),
          ('src/tls.rs', 'add_parsable_certificates')], 'single-root-file', 'error', '-',
         [('certs/hub-ca.pem', '-----BEGIN'), ('src/tls.rs', 'include_bytes!')])])


def rust_reqwest_ica04():
    rs = '''use std::time::Duration;

use reqwest::{Certificate, Client};

pub fn build_client() -> reqwest::Result<Client> {
    // Trust only the hub's issuing CA: the OS store on the old gateway image is years out of date.
    let hub_ca = Certificate::from_pem(include_bytes!("../certs/azure-issuing-ca.pem"))?;
    Client::builder()
        .tls_built_in_root_certs(false)
        .add_root_certificate(hub_ca)
        .timeout(Duration::from_secs(30))
        .build()
}
'''
    cargo = '''[package]
name = "gw-reporter"
version = "1.3.0"
edition = "2021"

[dependencies]
reqwest = { version = "0.12", default-features = false, features = ["rustls-tls", "json"] }
'''
    files = {'Cargo.toml': cargo, 'src/http.rs': rs, 'certs/azure-issuing-ca.pem': pem('ica04x')}
    write(POS, 'rust_reqwest_ica04', files, [
        ('reqwest Certificate::from_pem of Microsoft Azure RSA TLS Issuing CA 04 with the built-in roots off: warning.',
         [('src/http.rs', 'Certificate::from_pem('), ('src/http.rs', '.add_root_certificate')], 'anchor-not-root',
         'warning', '-', [('certs/azure-issuing-ca.pem', '-----BEGIN'), ('src/http.rs', 'Certificate::from_pem(')])])


def rust_rumqttc_g2():
    rs = '''use std::time::Duration;

use rumqttc::{AsyncClient, EventLoop, MqttOptions, TlsConfiguration, Transport};

pub fn connect(host: &str, device_id: &str, sas: &str) -> (AsyncClient, EventLoop) {
    let mut opts = MqttOptions::new(device_id, host, 8883);
    opts.set_keep_alive(Duration::from_secs(240));
    opts.set_credentials(format!("{host}/{device_id}/?api-version=2021-04-12"), sas);
    opts.set_transport(Transport::Tls(TlsConfiguration::Simple {
        ca: include_bytes!("../certs/hub-root.pem").to_vec(),
        alpn: None,
        client_auth: None,
    }));
    AsyncClient::new(opts, 10)
}
'''
    files = {'src/mqtt.rs': rs, 'certs/hub-root.pem': pem('g2')}
    write(POS, 'rust_rumqttc_g2', files, [
        ('rumqttc TlsConfiguration::Simple { ca: include_bytes!(...) }: DigiCert Global Root G2 alone, without '
         'Microsoft RSA Root CA 2017: warning.',
         [('src/mqtt.rs', 'ca: include_bytes!')], 'single-root-file', 'warning', '-',
         [('certs/hub-root.pem', '-----BEGIN'), ('src/mqtt.rs', 'ca: include_bytes!')])])


def py_provisioning_baltimore():
    py = '''"""Provision the device through DPS with its symmetric key."""
import pathlib

from azure.iot.device import ProvisioningDeviceClient

DPS_HOST = "global.azure-devices-provisioning.net"
ROOT_CA = pathlib.Path("/etc/fleetagent/certs/azure-root.pem")


def provision(id_scope: str, registration_id: str, key: str):
    client = ProvisioningDeviceClient.create_from_symmetric_key(
        provisioning_host=DPS_HOST,
        registration_id=registration_id,
        id_scope=id_scope,
        symmetric_key=key,
        server_verification_cert=ROOT_CA.read_text(),
    )
    return client.register()
'''
    files = {'fleetagent/__init__.py': '', 'fleetagent/provision.py': py,
             'etc/fleetagent/certs/azure-root.pem': pem('balt')}
    write(POS, 'py_provisioning_baltimore', files, [
        ('server_verification_cert=ROOT_CA.read_text(), ROOT_CA a pathlib.Path of a file holding Baltimore alone: '
         'error.',
         [('fleetagent/provision.py', 'server_verification_cert'), ('fleetagent/provision.py', 'ROOT_CA = ')],
         'single-root-file', 'error', '-',
         [('fleetagent/provision.py', 'ROOT_CA = '), ('etc/fleetagent/certs/azure-root.pem', '-----BEGIN')])])


def py_paho_ica03():
    py = '''import ssl

import paho.mqtt.client as mqtt

HUB = "%s"
DEVICE_ID = "edge-gw-12"

client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=DEVICE_ID, protocol=mqtt.MQTTv311)
client.username_pw_set(f"{HUB}/{DEVICE_ID}/?api-version=2021-04-12", password=None)
client.tls_set(
    ca_certs="/etc/edge-gw/certs/hub-ica.pem",
    certfile="/etc/edge-gw/certs/edge-gw-12.pem",
    keyfile="/etc/edge-gw/certs/edge-gw-12.key",
    cert_reqs=ssl.CERT_REQUIRED,
    tls_version=ssl.PROTOCOL_TLS_CLIENT,
)
client.connect(HUB, 8883, keepalive=60)
client.loop_forever()
''' % HUB
    files = {'gateway/uplink.py': py, 'etc/edge-gw/certs/hub-ica.pem': pem('ica03'),
             'etc/edge-gw/certs/edge-gw-12.pem': DEVICE_PEM, 'etc/edge-gw/certs/edge-gw-12.key': DEVICE_KEY}
    write(POS, 'py_paho_ica03', files, [
        ('paho tls_set(ca_certs=...) names Microsoft Azure RSA TLS Issuing CA 03 alone: warning; certfile/keyfile '
         'are the device\'s own.',
         [('gateway/uplink.py', 'ca_certs='), ('gateway/uplink.py', 'client.tls_set(')], 'anchor-not-root',
         'warning', '-', [('etc/edge-gw/certs/hub-ica.pem', '-----BEGIN')])])


def node_setoptions_baltimore():
    js = """'use strict';
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
"""
    pkg = '''{
  "name": "hub-bridge",
  "version": "2.0.4",
  "main": "src/hub.js",
  "dependencies": {
    "azure-iot-device": "^1.18.4",
    "azure-iot-device-mqtt": "^1.16.4"
  }
}
'''
    files = {'package.json': pkg, 'src/hub.js': js, 'certs/azure-iot-root.pem': pem('balt')}
    write(POS, 'node_setoptions_baltimore', files, [
        ('azure-iot-device client.setOptions({ ca: fs.readFileSync(caPath) }): Baltimore alone: error.',
         [('src/hub.js', 'client.setOptions(')], 'single-root-file', 'error', '-',
         [('src/hub.js', 'const caPath'), ('certs/azure-iot-root.pem', '-----BEGIN')])])


def java_paho_pem_g2():
    java = '''package com.acme.gw;

import java.io.FileInputStream;
import java.io.InputStream;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

public final class HubConnector {
    private static final String HUB_CA_PEM = "/opt/gw/certs/hub-root.pem";

    static SSLContext hubContext() throws Exception {
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        X509Certificate ca;
        try (InputStream in = new FileInputStream(HUB_CA_PEM)) {
            ca = (X509Certificate) cf.generateCertificate(in);
        }
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("hub-root", ca);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLSv1.2");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    public static MqttClient connect(String host, String deviceId, String sas) throws Exception {
        MqttClient client = new MqttClient("ssl://" + host + ":8883", deviceId, new MemoryPersistence());
        MqttConnectOptions opts = new MqttConnectOptions();
        opts.setUserName(host + "/" + deviceId + "/?api-version=2021-04-12");
        opts.setPassword(sas.toCharArray());
        opts.setSocketFactory(hubContext().getSocketFactory());
        client.connect(opts);
        return client;
    }

    private HubConnector() {
    }
}
'''
    files = {'src/main/java/com/acme/gw/HubConnector.java': java, 'opt/gw/certs/hub-root.pem': pem('g2')}
    j = 'src/main/java/com/acme/gw/HubConnector.java'
    write(POS, 'java_paho_pem_g2', files, [
        ('Paho socket factory from a KeyStore holding only the certificate of HUB_CA_PEM, DigiCert Global Root G2 '
         'alone: warning.',
         [(j, 'new FileInputStream(HUB_CA_PEM)'), (j, 'cf.generateCertificate'), (j, 'setCertificateEntry')],
         'single-root-file', 'warning', '-', [(j, 'String HUB_CA_PEM'), ('opt/gw/certs/hub-root.pem', '-----BEGIN')])])


def kotlin_okhttp_baltimore_pin():
    kt = '''package com.acme.meter.net

import java.util.concurrent.TimeUnit
import okhttp3.CertificatePinner
import okhttp3.OkHttpClient

object HubHttp {
    private const val HUB_HOST = "meter-hub.azure-devices.net"

    // pinned to the hub's root key so that no other CA can stand in for the hub
    private val pinner = CertificatePinner.Builder()
        .add(HUB_HOST, "sha256/%s")
        .build()

    val client: OkHttpClient = OkHttpClient.Builder()
        .certificatePinner(pinner)
        .connectTimeout(20, TimeUnit.SECONDS)
        .build()
}
''' % SPKI['balt']
    p = 'app/src/main/java/com/acme/meter/net/HubHttp.kt'
    write(POS, 'kotlin_okhttp_baltimore_pin', {p: kt}, [
        ('OkHttp CertificatePinner .add(host, "sha256/<Baltimore SPKI>"): error.',
         [(p, '.add(HUB_HOST')], 'pin-root', 'error', 'CertificatePinner', None)])


def shell_mosquitto_capath_baltimore():
    sh = '''#!/bin/sh
# publish the heartbeat (called by gw-heartbeat.timer)
. /etc/gw/identity
exec mosquitto_pub -h "$HUB_HOST" -p 8883 -V mqttv311 \\
    -i "$DEVICE_ID" \\
    -u "$HUB_HOST/$DEVICE_ID/?api-version=2021-04-12" -P "$SAS_TOKEN" \\
    --capath /etc/gw/hub-ca.d \\
    -t "devices/$DEVICE_ID/messages/events/" \\
    -m "{\\"uptime\\": $(cut -d' ' -f1 /proc/uptime)}" -q 1
'''
    ident = '''HUB_HOST=%s
DEVICE_ID=gw-north-11
''' % HUB
    files = {'usr/lib/gw/heartbeat.sh': sh, 'etc/gw/identity': ident, 'etc/gw/hub-ca.d/azure-root.pem': pem('balt')}
    write(POS, 'shell_mosquitto_capath_baltimore', files, [
        ('mosquitto_pub --capath DIR: the directory holds one file, Baltimore CyberTrust Root: error.',
         [('usr/lib/gw/heartbeat.sh', '--capath')], 'single-root-file', 'error', 'capath',
         [('etc/gw/hub-ca.d/azure-root.pem', '-----BEGIN')])])


# ---------------------------------------------------------------------------------------------------- negatives


def n_telegraf_pair():
    conf = '''[agent]
  interval = "10s"
  hostname = "gw-line-05"

[[inputs.cpu]]
  percpu = false
  totalcpu = true

[[outputs.mqtt]]
  servers = ["ssl://%s:8883"]
  topic = "devices/gw-line-05/messages/events/"
  client_id = "gw-line-05"
  username = "%s/gw-line-05/?api-version=2021-04-12"
  tls_ca = "/etc/telegraf/certs/hub-trust.pem"
  tls_cert = "/etc/telegraf/certs/gw-line-05.pem"
  tls_key = "/etc/telegraf/certs/gw-line-05.key"
  data_format = "json"
''' % (HUB, HUB)
    files = {'etc/telegraf/telegraf.conf': conf, 'etc/telegraf/certs/hub-trust.pem': pem('g2', 'ms17'),
             'etc/telegraf/certs/gw-line-05.pem': DEVICE_PEM, 'etc/telegraf/certs/gw-line-05.key': DEVICE_KEY}
    write(NEG, 'telegraf_pair', files, [('none', 'tls_ca holds G2 and Microsoft RSA Root CA 2017; tls_cert/tls_key '
                                         'are the device\'s own X.509 identity.')])


def n_rustls_webpki_client_cert():
    rs = '''use std::sync::Arc;

use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::{ClientConfig, RootCertStore};

static DEVICE_CERT_PEM: &[u8] = include_bytes!("../certs/device.pem");
static DEVICE_KEY_PEM: &[u8] = include_bytes!("../certs/device.key");

pub fn client_config() -> anyhow::Result<Arc<ClientConfig>> {
    let roots = RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    let chain: Vec<CertificateDer<'static>> =
        rustls_pemfile::certs(&mut &DEVICE_CERT_PEM[..]).collect::<Result<_, _>>()?;
    let key: PrivateKeyDer<'static> = rustls_pemfile::private_key(&mut &DEVICE_KEY_PEM[..])?
        .ok_or_else(|| anyhow::anyhow!("no device key"))?;
    let config = ClientConfig::builder()
        .with_root_certificates(roots)
        .with_client_auth_cert(chain, key)?;
    Ok(Arc::new(config))
}
'''
    files = {'src/tls.rs': rs, 'certs/device.pem': DEVICE_PEM, 'certs/device.key': DEVICE_KEY}
    write(NEG, 'rustls_webpki_client_cert', files, [('none', 'roots from webpki-roots (Mozilla); the device\'s own '
                                                     'certificate and key for client authentication.')])


def n_docker_update_ca():
    df = '''FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl \\
    && rm -rf /var/lib/apt/lists/*
# the site's inspection proxy root, added to the system store
COPY certs/site-proxy-root.crt /usr/local/share/ca-certificates/site-proxy-root.crt
COPY certs/azure-legacy-root.crt /usr/local/share/ca-certificates/azure-legacy-root.crt
RUN update-ca-certificates
COPY uplink /usr/local/bin/uplink
ENTRYPOINT ["/usr/local/bin/uplink"]
'''
    files = {'Dockerfile': df, 'certs/site-proxy-root.crt': PRIVATE_CA, 'certs/azure-legacy-root.crt': pem('balt')}
    write(NEG, 'docker_update_ca', files, [('none', 'roots copied into /usr/local/share/ca-certificates and '
                                            'update-ca-certificates: added to the OS store, which keeps G2 and '
                                            'Microsoft RSA Root CA 2017.')])


def n_node_extra_ca_certs():
    unit = '''[Unit]
Description=Hub bridge (Node.js)
After=network-online.target

[Service]
User=hubbridge
Environment=NODE_ENV=production
Environment=NODE_EXTRA_CA_CERTS=/etc/hub-bridge/extra-ca.pem
ExecStart=/usr/bin/node /opt/hub-bridge/src/index.js
Restart=always

[Install]
WantedBy=multi-user.target
'''
    files = {'etc/systemd/system/hub-bridge.service': unit, 'etc/hub-bridge/extra-ca.pem': pem('g2')}
    write(NEG, 'node_extra_ca_certs', files, [('none', 'NODE_EXTRA_CA_CERTS adds to Node\'s built-in roots (which '
                                               'hold G2 and MS RSA 2017): G2 there is not the only anchor.')])


def n_z2m_private_broker():
    y = '''homeassistant: true
permit_join: false
mqtt:
  base_topic: zigbee2mqtt
  server: mqtts://mqtt.plant.local:8883
  ca: /app/data/certs/plant-ca.pem
  cert: /app/data/certs/z2m.pem
  key: /app/data/certs/z2m.key
  reject_unauthorized: true
serial:
  port: /dev/ttyUSB0
'''
    files = {'data/configuration.yaml': y, 'data/certs/plant-ca.pem': PRIVATE_CA, 'data/certs/z2m.pem': DEVICE_PEM,
             'data/certs/z2m.key': DEVICE_KEY}
    write(NEG, 'z2m_private_broker', files, [('none', 'a private CA for the plant\'s own broker, not Azure; '
                                              'cert/key are the client\'s own.')])


def n_paho_os_store_client_cert():
    py = '''import ssl

import paho.mqtt.client as mqtt

HUB = "%s"
DEVICE_ID = "edge-gw-14"

client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=DEVICE_ID, protocol=mqtt.MQTTv311)
client.username_pw_set(f"{HUB}/{DEVICE_ID}/?api-version=2021-04-12", password=None)
client.tls_set(
    ca_certs="/etc/ssl/certs/ca-certificates.crt",
    certfile="/etc/edge-gw/certs/edge-gw-14.pem",
    keyfile="/etc/edge-gw/certs/edge-gw-14.key",
    cert_reqs=ssl.CERT_REQUIRED,
)
client.connect(HUB, 8883, keepalive=60)
''' % HUB
    files = {'gateway/uplink.py': py, 'etc/edge-gw/certs/edge-gw-14.pem': DEVICE_PEM,
             'etc/edge-gw/certs/edge-gw-14.key': DEVICE_KEY}
    write(NEG, 'paho_os_store_client_cert', files, [('none', 'ca_certs is the OS bundle; certfile/keyfile the '
                                                     'device\'s own identity.')])


def n_esphome_pair():
    y = '''esphome:
  name: pump-house-2

esp32:
  board: esp32dev
  framework:
    type: esp-idf

mqtt:
  broker: %s
  port: 8883
  client_id: pump-house-2
  username: %s/pump-house-2/?api-version=2021-04-12
  password: !secret hub_sas_token
  discovery: false
  certificate_authority: |
%s''' % (HUB, HUB, indent(pem('g2', 'ms17'), 4))
    write(NEG, 'esphome_pair', {'pump-house-2.yaml': y}, [('none', 'certificate_authority holds G2 and Microsoft '
                                                           'RSA Root CA 2017.')])


def n_fluentbit_system():
    conf = '''[SERVICE]
    Flush        5
    Log_Level    info

[INPUT]
    Name         systemd
    Tag          host.*

[OUTPUT]
    Name         http
    Match        host.*
    Host         %s
    Port         443
    URI          /devices/gw-line-06/messages/events?api-version=2021-04-12
    Format       json
    tls          On
    tls.verify   On
    tls.ca_file  /etc/ssl/certs/ca-certificates.crt
    tls.crt_file /fluent-bit/etc/certs/gw-line-06.pem
    tls.key_file /fluent-bit/etc/certs/gw-line-06.key
''' % HUB
    files = {'fluent-bit/etc/fluent-bit.conf': conf, 'fluent-bit/etc/certs/gw-line-06.pem': DEVICE_PEM,
             'fluent-bit/etc/certs/gw-line-06.key': DEVICE_KEY}
    write(NEG, 'fluentbit_system', files, [('none', 'tls.ca_file is the OS bundle; tls.crt_file/tls.key_file the '
                                            'device\'s X.509 identity.')])


def n_okhttp_root_pins():
    kt = '''package com.acme.meter.net

import okhttp3.CertificatePinner
import okhttp3.OkHttpClient

object HubHttp {
    private const val HUB_HOST = "meter-hub.azure-devices.net"

    // the roots Azure IoT Hub chains to now (DigiCert Global Root G2) and its backup (Microsoft RSA Root CA 2017)
    private val pinner = CertificatePinner.Builder()
        .add(HUB_HOST, "sha256/%s")
        .add(HUB_HOST, "sha256/%s")
        .build()

    val client: OkHttpClient = OkHttpClient.Builder().certificatePinner(pinner).build()
}
''' % (SPKI['g2'], SPKI['ms17'])
    write(NEG, 'okhttp_root_pins', {'app/src/main/java/com/acme/meter/net/HubHttp.kt': kt},
          [('none', 'pins on the SPKI of G2 and of Microsoft RSA Root CA 2017: the recommended roots (a note at '
            'most).')])


# ------------------------------------------------ negatives added after the change (not blind): the new keys' look-alikes


def n_scripts_os_store():
    push = """#!/bin/sh
# push the package inventory once a day (/etc/cron.daily)
set -eu
. /etc/fleet/fleet.env
wget -q -O /dev/null --ca-certificate=/etc/ssl/certs/ca-certificates.crt \\
     --header="Authorization: $FLEET_SAS" --post-file=/var/lib/fleet/inventory \\
     "https://%s/devices/${DEVICE_ID}/messages/events?api-version=2021-04-12"
""" % HUB
    beat = """#!/bin/sh
# heartbeat (gw-heartbeat.timer); the hub's roots, one file each, hashed by c_rehash
. /etc/gw/identity
exec mosquitto_pub -h "$HUB_HOST" -p 8883 -i "$DEVICE_ID" \\
    -u "$HUB_HOST/$DEVICE_ID/?api-version=2021-04-12" -P "$SAS_TOKEN" \\
    --capath /etc/gw/hub-ca.d \\
    -t "devices/$DEVICE_ID/messages/events/" -m up -q 1
"""
    sub = """#!/bin/sh
exec mosquitto_sub -h mqtt.plant.local -p 8883 --capath /etc/ssl/certs -t 'plant/#' -v
"""
    files = {'opt/fleet/bin/push-inventory.sh': push, 'usr/lib/gw/heartbeat.sh': beat, 'usr/lib/gw/tap.sh': sub,
             'etc/gw/hub-ca.d/digicert-global-root-g2.pem': pem('g2'),
             'etc/gw/hub-ca.d/microsoft-rsa-root-2017.pem': pem('ms17')}
    write(NEG, 'scripts_os_store', files, [('none', '(added after the change) wget --ca-certificate with the OS '
                                            'bundle; mosquitto_pub --capath of a directory holding G2 and MS RSA 2017 '
                                            'one file each; mosquitto_sub --capath /etc/ssl/certs.')])


def n_env_bundle_pair():
    env = """IOTHUB_HOST=%s
REQUESTS_CA_BUNDLE=/etc/meter-uplink/tls/hub-trust.pem
""" % HUB
    files = {'etc/meter-uplink/uplink.env': env, 'etc/meter-uplink/tls/hub-trust.pem': pem('g2', 'ms17')}
    write(NEG, 'env_bundle_pair', files, [('none', '(added after the change) REQUESTS_CA_BUNDLE names a file '
                                           'holding G2 and Microsoft RSA Root CA 2017.')])


def n_java_client_keystore():
    java = """package com.acme.gw;

import java.io.FileInputStream;
import java.io.InputStream;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

public final class DeviceIdentity {
    private static final String DEVICE_CERT_PEM = "/opt/gw/certs/device.pem";

    static SSLContext context(PrivateKey key) throws Exception {
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        Certificate cert;
        try (InputStream in = new FileInputStream(DEVICE_CERT_PEM)) {
            cert = cf.generateCertificate(in);
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("device", key, new char[0], new Certificate[] { cert });
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, new char[0]);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }

    private DeviceIdentity() {
    }
}
"""
    files = {'src/main/java/com/acme/gw/DeviceIdentity.java': java, 'opt/gw/certs/device.pem': DEVICE_PEM}
    write(NEG, 'java_client_keystore', files, [('none', '(added after the change) new FileInputStream of the '
                                                'device\'s own certificate for its KeyManager; the JDK\'s roots.')])


def n_rust_include_str_pair():
    rs = """use rumqttc::{MqttOptions, TlsConfiguration, Transport};

const HUB_TRUST: &str = include_str!("../certs/hub-trust.pem");

pub fn options(host: &str, device_id: &str) -> MqttOptions {
    let mut opts = MqttOptions::new(device_id, host, 8883);
    opts.set_transport(Transport::Tls(TlsConfiguration::Simple {
        ca: HUB_TRUST.as_bytes().to_vec(),
        alpn: None,
        client_auth: Some((include_bytes!("../certs/device.pem").to_vec(), include_bytes!("../certs/device.key").to_vec())),
    }));
    opts
}
"""
    files = {'src/mqtt.rs': rs, 'certs/hub-trust.pem': pem('g2', 'ms17'), 'certs/device.pem': DEVICE_PEM,
             'certs/device.key': DEVICE_KEY}
    write(NEG, 'rust_include_str_pair', files, [('none', '(added after the change) include_str! of G2 and MS RSA '
                                                 '2017; include_bytes! of the device\'s own certificate and key.')])


def n_esphome_client_cert():
    y = """esphome:
  name: pump-house-3

esp32:
  board: esp32dev
  framework:
    type: esp-idf

mqtt:
  broker: %s
  port: 8883
  client_id: pump-house-3
  username: %s/pump-house-3/?api-version=2021-04-12
  discovery: false
  certificate_authority: |
%s  client_certificate: |
%s  client_certificate_key: |
%s""" % (HUB, HUB, indent(pem('g2', 'ms17'), 4), indent(DEVICE_PEM, 4), indent(DEVICE_KEY, 4))
    write(NEG, 'esphome_client_cert', {'pump-house-3.yaml': y}, [('none', '(added after the change) inline '
                                                                 'client_certificate (the device\'s own) and a CA '
                                                                 'block of both recommended roots.')])


def main():
    for d in (POS, NEG):  # each case's directory is rewritten; README.md stays
        os.makedirs(d, exist_ok=True)
    for f in (telegraf_mqtt_baltimore, fluentbit_http_ica08, nodered_tls_ica01, esphome_mqtt_baltimore,
              zigbee2mqtt_ica03, shell_wget_baltimore, shell_curl_pin_baltimore, systemd_curl_pin_ica03,
              docker_ssl_cert_file_baltimore, env_requests_ca_bundle_ica07, compose_ssl_cert_file_ica08,
              rust_rustls_baltimore, rust_reqwest_ica04, rust_rumqttc_g2, py_provisioning_baltimore, py_paho_ica03,
              node_setoptions_baltimore, java_paho_pem_g2, kotlin_okhttp_baltimore_pin,
              shell_mosquitto_capath_baltimore,
              n_telegraf_pair, n_rustls_webpki_client_cert, n_docker_update_ca, n_node_extra_ca_certs,
              n_z2m_private_broker, n_paho_os_store_client_cert, n_esphome_pair, n_fluentbit_system,
              n_okhttp_root_pins, n_scripts_os_store, n_env_bundle_pair, n_java_client_keystore,
              n_rust_include_str_pair, n_esphome_client_cert):
        f()


main()
