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
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
bin=$(realpath "$1")
scratch=$2
rm -rf "$scratch"
mkdir -p "$scratch"
fail() { echo "FAIL: $*"; exit 1; }
at=2026-01-01T00:00:00Z
set --
for d in data/scan/realworld6/*/ data/scan/realworld6-neg/*/; do set -- "$@" "$d"; done
[ $# -ge 29 ] || fail "only $# cases"
"$PY" cli/scan_expect.py "$bin" "$at" "$scratch/cases" "$@" || fail "a case differs from its EXPECT"

# the exit code: 1 when a case expects an error, else 0
for d in "$@"; do
	want=0
	grep -v '^#' "$d/EXPECT" | grep -q ' error ' && want=1
	set +e
	"$bin" scan --at "$at" "$scratch/cases/$(basename "$d")" >/dev/null 2>&1
	rc=$?
	set -e
	[ "$rc" = "$want" ] || fail "$d: exit $rc, wanted $want"
done
echo "exit codes follow the severities"

# the message says which setting names the file
"$bin" scan --at "$at" "$scratch/cases/telegraf_mqtt_baltimore" >"$scratch/telegraf.txt" || true
grep -q 'tls_ca' "$scratch/telegraf.txt" || fail "no setting in: $(cat "$scratch/telegraf.txt")"
echo "the message names the setting"

# the whole set at once, --jobs 1 and the default: the same JSON
"$bin" scan --at "$at" --format json data/scan/realworld6 >"$scratch/all.json" || true
"$bin" scan --at "$at" --format json --jobs 1 data/scan/realworld6 >"$scratch/one.json" || true
cmp -s "$scratch/all.json" "$scratch/one.json" || fail "--jobs 1 differs from the default"
echo "--jobs 1 gives the same JSON"
