#!/bin/sh
# test_probe_lab.sh BINARY SCRATCH: rootshift probe against the lab, every protocol: IoT Hub over MQTT, MQTT over
# WebSockets and HTTPS; DPS over MQTT and HTTPS; the AMQP header. With the device's key each is `ok`, with a
# wrong key `ok-auth-rejected`; after `lab migrate` an old-only store fails TLS on every protocol alike.
BIN=$(realpath "$1")
S=$2
. ./cli/lib/lab.sh
rm -rf "$S" && mkdir -p "$S" || exit 2
LAB=$S/lab
AT=2026-01-01T00:00:00Z
LAB_PID=
trap stop_lab EXIT INT TERM

"$BIN" lab init "$LAB" --seed probe-lab --at $AT --fast-keys >/dev/null 2>&1 || { echo "FAIL lab init"; exit 1; }
"$BIN" lab device add "$LAB" dev1 >/dev/null || { echo "FAIL device add"; exit 1; }
start_lab "$LAB" "$S/serve.log" --at $AT || exit 1
SCOPE=$(json_field "$LAB/lab.json" id_scope)
KEY=$(device_key "$LAB" dev1)
printf '%s\n' "$KEY" >"$S/key"
printf 'HostName=rootshift-lab.azure-devices.net;DeviceId=dev1;SharedAccessKey=c2VjcmV0LWJ1dC13cm9uZy1rZXktMTIzNDU2Nzg=\n' >"$S/bad.connstr"
printf 'c2VjcmV0LWJ1dC13cm9uZy1rZXktMTIzNDU2Nzg=\n' >"$S/badkey"

# code STORE PORT ARGS...: the probe's result code
code() {
  _store=$1 _port=$2
  shift 2
  "$BIN" probe --at $AT --timeout 10 --format json --store "$LAB/bundles/$_store.pem" --connect-to "127.0.0.1:$_port" \
    "$@" >"$S/out.json" 2>"$S/err"
  sed -n 's/.*"code": "\([^"]*\)".*/\1/p' "$S/out.json" | head -n 1
}
hub() { code "$1" "$2" --connection-string-file "$3" --protocol "$4"; }
dps() { code "$1" "$2" --dps --id-scope "$SCOPE" --registration-id dev1 --symmetric-key-file "$3" --protocol "$4" \
          global.azure-devices-provisioning.net; }

for store in old-only recommended; do
  check "$store: hub mqtt ok" [ "$(hub $store "$MQTT_PORT" "$LAB/devices/dev1.connstr" mqtt)" = ok ]
  check "$store: hub mqtt-ws ok" [ "$(hub $store "$WS_PORT" "$LAB/devices/dev1.connstr" mqtt-ws)" = ok ]
  check "$store: hub https ok (204)" [ "$(hub $store "$HTTPS_PORT" "$LAB/devices/dev1.connstr" https)" = ok ]
done
check "hub https answered 204" grep -q '"status": 204' "$S/out.json"
check "the verdict names its policy (webpki by default)" grep -q '"policy": "webpki"' "$S/out.json"
check "--policy rfc5280: hub mqtt ok" \
  [ "$(code recommended "$MQTT_PORT" --connection-string-file "$LAB/devices/dev1.connstr" --protocol mqtt \
      --policy rfc5280)" = ok ]
check "--policy rfc5280 is the verdict's policy" grep -q '"policy": "rfc5280"' "$S/out.json"
check "dps mqtt ok (assigning or assigned)" [ "$(dps recommended "$MQTT_PORT" "$S/key" mqtt)" = ok ]
check "dps https ok" [ "$(dps recommended "$HTTPS_PORT" "$S/key" https)" = ok ]
check "amqp header ok" [ "$(code recommended "$AMQP_PORT" --protocol amqp rootshift-lab.azure-devices.net)" = ok ]

check "wrong key: hub mqtt ok-auth-rejected" [ "$(hub recommended "$MQTT_PORT" "$S/bad.connstr" mqtt)" = ok-auth-rejected ]
check "wrong key: hub mqtt-ws ok-auth-rejected" [ "$(hub recommended "$WS_PORT" "$S/bad.connstr" mqtt-ws)" = ok-auth-rejected ]
check "wrong key: hub https ok-auth-rejected (401)" [ "$(hub recommended "$HTTPS_PORT" "$S/bad.connstr" https)" = ok-auth-rejected ]
check "wrong key: dps mqtt ok-auth-rejected" [ "$(dps recommended "$MQTT_PORT" "$S/badkey" mqtt)" = ok-auth-rejected ]
check "wrong key: dps https ok-auth-rejected" [ "$(dps recommended "$HTTPS_PORT" "$S/badkey" https)" = ok-auth-rejected ]
check "the wrong key never appears" sh -c "! grep -q 'c2VjcmV0LWJ1dC13cm9uZy1rZXkt' '$S/out.json' '$S/err'"

"$BIN" lab migrate "$LAB" >/dev/null
for p in mqtt mqtt-ws https; do
  port=$MQTT_PORT; [ $p = mqtt-ws ] && port=$WS_PORT; [ $p = https ] && port=$HTTPS_PORT
  check "after migrate: old-only $p cert-untrusted" [ "$(hub old-only "$port" "$LAB/devices/dev1.connstr" $p)" = cert-untrusted ]
  check "after migrate: recommended $p ok" [ "$(hub recommended "$port" "$LAB/devices/dev1.connstr" $p)" = ok ]
done
stop_lab
echo "$fails failed"
[ $fails -eq 0 ]
