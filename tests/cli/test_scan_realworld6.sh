#!/bin/sh
# test_scan_realworld6.sh BINARY SCRATCH: the blind set of trust anchors and pins set in configuration files,
# scripts, units and SDK options (issue #16, data/scan/realworld6): Telegraf tls_ca, Fluent Bit tls.ca_file, Node-RED
# tls-config, ESPHome certificate_authority, Zigbee2MQTT ca, wget --ca-certificate, curl --pinnedpubkey in a script
# and a unit, mosquitto_pub --capath, SSL_CERT_FILE/REQUESTS_CA_BUNDLE in a Dockerfile, compose file and env file,
# Rust (rustls, reqwest, rumqttc with include_bytes!), Python (azure-iot-device, paho), Node (azure-iot-device
# setOptions), Java (Paho with a PEM trust store), Kotlin (OkHttp CertificatePinner). Each case is scanned on its own
# and checked against its EXPECT file (tests/cli/scan_expect.py: the setting or call, rule, severity at 2026-01-01,
# API and the definition); realworld6-neg (the recommended roots, the OS store, NODE_EXTRA_CA_CERTS, a private
# broker's CA, the device's own certificate and key) gives no warning or error; the exit code follows the
# severities; --jobs 1 gives the same JSON as the default.
set -eu
. cli/lib/blind_set.sh
blind_set_init "$@"
blind_set_check realworld6 29

# the message says which setting names the file
"$bin" scan --at "$at" "$scratch/cases/telegraf_mqtt_baltimore" >"$scratch/telegraf.txt" || true
grep -q 'tls_ca' "$scratch/telegraf.txt" || fail "no setting in: $(cat "$scratch/telegraf.txt")"
echo "the message names the setting"
