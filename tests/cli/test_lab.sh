#!/bin/sh
# test_lab.sh BINARY SCRATCH: the lab with real peers. `lab init` (real key shapes, deterministic), `lab serve` on
# free loopback ports, then mosquitto_pub/mosquitto_sub, openssl s_client and curl against it, before and after
# `lab migrate`, after `lab revert`, with good and bad keys.
BIN=$1
S=$2
. ./cli/lib/lab.sh
rm -rf "$S" && mkdir -p "$S" || exit 2
LAB=$S/lab
AT=2026-01-01T00:00:00Z
SE=1798761600 # 2027-01-01: the lab's clock is pinned with --at, so tokens are valid whatever today is
LAB_PID=
SUB_PID=
cleanup() {
  [ -n "$SUB_PID" ] && kill "$SUB_PID" 2>/dev/null
  stop_lab
}
trap cleanup EXIT INT TERM

for tool in mosquitto_pub mosquitto_sub openssl curl; do
  command -v $tool >/dev/null || { echo "skipping: no $tool"; exit 0; }
done

# ---- init: shapes, modes, determinism ----
"$BIN" lab init "$LAB" --seed lab-test --at $AT >"$S/init.out" 2>"$S/init.err"
check "lab init exits 0" [ $? -eq 0 ]
check "old root is RSA-2048 sha1" grep -q 'old-root .*RSA-2048 sha1WithRSAEncryption' "$S/init.out"
check "old intermediate is RSA-4096 sha256" grep -q 'old-ca .*RSA-4096 sha256WithRSAEncryption' "$S/init.out"
check "new root is RSA-2048 sha256" grep -q 'new-root .*RSA-2048 sha256WithRSAEncryption' "$S/init.out"
check "new intermediate is RSA-4096 sha384" grep -q 'new-ca .*RSA-4096 sha384WithRSAEncryption' "$S/init.out"
check "cross-signing root is RSA-4096 sha384" grep -q 'ms-root .*RSA-4096 sha384WithRSAEncryption' "$S/init.out"
check "names are marked as lab certificates" grep -q 'Baltimore CyberTrust Root (rootshift lab)' "$S/init.out"
check "private keys are mode 0600" [ -z "$(find "$LAB/pki" -name '*.key' ! -perm 600)" ]
check "old chain verifies against the old-only bundle" \
  openssl verify -no-CApath -no-CAstore -CAfile "$LAB/bundles/old-only.pem" -untrusted "$LAB/pki/old-ca.pem" "$LAB/pki/old-leaf.pem"
check "new chain verifies against the new-only bundle" \
  openssl verify -no-CApath -no-CAstore -CAfile "$LAB/bundles/new-only.pem" -untrusted "$LAB/pki/new-ca.pem" "$LAB/pki/new-leaf.pem"
check "cross-signed intermediate verifies against the 2017-like root" \
  openssl verify -no-CApath -no-CAstore -CAfile "$LAB/pki/ms-root.pem" -untrusted "$LAB/pki/new-ca-xsign.pem" "$LAB/pki/new-leaf.pem"
check "next chain (two intermediates) verifies against the new-only bundle" \
  openssl verify -no-CApath -no-CAstore -CAfile "$LAB/bundles/new-only.pem" -untrusted "$LAB/pki/next-ca1.pem" -untrusted "$LAB/pki/next-ca2.pem" "$LAB/pki/next-leaf.pem"
check "old chain does not verify against the new-only bundle" \
  sh -c "! openssl verify -no-CApath -no-CAstore -CAfile '$LAB/bundles/new-only.pem' -untrusted '$LAB/pki/old-ca.pem' '$LAB/pki/old-leaf.pem' >/dev/null 2>&1"
check "leaf covers localhost, 127.0.0.1 and both Azure wildcards" \
  sh -c "openssl x509 -in '$LAB/pki/new-leaf.pem' -noout -ext subjectAltName | grep -q 'DNS:\*.azure-devices.net, DNS:\*.azure-devices-provisioning.net, DNS:localhost, IP Address:127.0.0.1'"
"$BIN" lab init "$S/lab2" --seed lab-test --at $AT >/dev/null 2>&1
check "the same seed gives byte-identical RSA chains and bundles" \
  sh -c "cmp -s '$LAB/chains/old.pem' '$S/lab2/chains/old.pem' && cmp -s '$LAB/chains/new.pem' '$S/lab2/chains/new.pem' && cmp -s '$LAB/chains/next.pem' '$S/lab2/chains/next.pem' && cmp -s '$LAB/bundles/recommended.pem' '$S/lab2/bundles/recommended.pem' && cmp -s '$LAB/pki/new-ca.key' '$S/lab2/pki/new-ca.key'"
"$BIN" lab init "$S/lab3" --seed other --at $AT --fast-keys --exact-names >/dev/null 2>"$S/lab3.err"
check "another seed gives other keys" sh -c "! cmp -s '$LAB/pki/old-root.key' '$S/lab3/pki/old-root.key'"
check "--exact-names warns" grep -q 'warning: certificates carry the real CA names' "$S/lab3.err"
check "--exact-names copies the real names" \
  sh -c "openssl x509 -in '$S/lab3/pki/new-root.pem' -noout -subject | grep -q 'CN = DigiCert Global Root G2$'"
"$BIN" lab init "$LAB" --seed x --at $AT >/dev/null 2>&1
check "init refuses an existing lab" [ $? -eq 2 ]

# ---- devices ----
"$BIN" lab device add "$LAB" dev1 >"$S/dev1.out"
"$BIN" lab device add "$LAB" dev2 >/dev/null
KEY1=$(device_key "$LAB" dev1)
KEY2=$(device_key "$LAB" dev2)
check "device add prints a connection string" grep -q '^HostName=rootshift-lab.azure-devices.net;DeviceId=dev1;SharedAccessKey=\*\*\*' "$S/dev1.out"
check "device add never prints the key" sh -c "! grep -qF '$KEY1' '$S/dev1.out'"
check "the connection string file is mode 0600" [ -z "$(find "$LAB/devices" -name 'dev1.connstr' ! -perm 600)" ]
"$BIN" lab device add "$LAB" dev1 >/dev/null 2>&1
check "a device id is added once" [ $? -eq 2 ]

# ---- serve ----
start_lab "$LAB" "$S/serve.log" --at $AT || exit 1
USER1="rootshift-lab.azure-devices.net/dev1/?api-version=2021-04-12"
SAS1=$(sas "$KEY1" rootshift-lab.azure-devices.net/devices/dev1 $SE)
BAD1=$(sas "$KEY2" rootshift-lab.azure-devices.net/devices/dev1 $SE)

# pub BUNDLE [SAS [USER]]: one telemetry message at QoS 1, bounded in time
pub() {
  timeout 10 mosquitto_pub -h localhost -p "$MQTT_PORT" --cafile "$LAB/bundles/$1.pem" -V mqttv311 -i dev1 \
    -u "${3:-$USER1}" -P "${2:-$SAS1}" -t devices/dev1/messages/events/ -m '{"t":21}' -q 1 >"$S/pub.out" 2>&1
}
# chain_cn BUNDLE: the issuer CN of the served leaf, as s_client sees it (with verification)
served() {
  echo | timeout 10 openssl s_client -connect "127.0.0.1:$MQTT_PORT" -servername rootshift-lab.azure-devices.net \
    -no-CApath -no-CAstore -CAfile "$LAB/bundles/$1.pem" -showcerts 2>&1
}

check "before migrate: old-only device connects and publishes" pub old-only
check "before migrate: recommended device connects" pub recommended
check "before migrate: new-only device fails TLS" not pub new-only
pub new-only
check "  ... with a certificate verification error" grep -q 'certificate verify failed\|TLS error' "$S/pub.out"
check "before migrate: pinned-intermediate device connects" sh -c "echo | timeout 10 openssl s_client -connect 127.0.0.1:$MQTT_PORT -partial_chain -no-CApath -no-CAstore -CAfile '$LAB/bundles/pinned-intermediate.pem' 2>&1 | grep -q 'Verify return code: 0'"
pub old-only "$BAD1"
rc=$?
check "a wrong key is refused (mosquitto_pub exits non-zero)" [ $rc -ne 0 ]
check "  ... with CONNACK 5, not authorised" grep -q 'not authori[sz]ed' "$S/pub.out"
pub old-only "$(sas "$KEY1" rootshift-lab.azure-devices.net/devices/dev1 1767225500)"
check "an expired token is refused" grep -q 'not authori[sz]ed' "$S/pub.out"
check "the old username form (no '?') is accepted" pub old-only "$SAS1" "rootshift-lab.azure-devices.net/dev1/api-version=2016-11-14&DeviceClientType=c"
LSAS=$(sas "$KEY1" "rootshift-lab.azure-devices.net%2fdevices%2fdev1" $SE)
check "an sr encoded with lowercase %2f is verified over the literal sr" pub old-only "$LSAS"
served old-only >"$S/sc1.out"
check "s_client -showcerts sees the old chain" grep -q 'Microsoft RSA TLS CA 01 (rootshift lab)' "$S/sc1.out"
check "  ... and it verifies with the old-only bundle" grep -q 'Verify return code: 0' "$S/sc1.out"
check "the lab requests an optional client certificate, as IoT Hub does on MQTT" grep -q '^Requested Signature Algorithms' "$S/sc1.out"

# rootshift probe, as each class of device: result code of "HOST:PORT (mqtt): CODE"
probe_as() {
  "$BIN" probe --connection-string-file "$LAB/devices/dev1.connstr" --store "$LAB/bundles/$1.pem" \
    --connect-to "127.0.0.1:$MQTT_PORT" --at $AT --timeout 10 2>&1 | sed -n '1s/.*): //p'
}
check "probe before migrate: old-only device is ok" [ "$(probe_as old-only)" = ok ]
check "probe before migrate: new-only device is cert-untrusted" [ "$(probe_as new-only)" = cert-untrusted ]
check "probe before migrate: recommended device is ok" [ "$(probe_as recommended)" = ok ]

# a long-lived subscriber (C2D) on the old chain, to see that migrate keeps existing sessions
timeout 60 mosquitto_sub -h localhost -p "$MQTT_PORT" --cafile "$LAB/bundles/old-only.pem" -V mqttv311 -i dev2 \
  -u "rootshift-lab.azure-devices.net/dev2/?api-version=2021-04-12" \
  -P "$(sas "$KEY2" rootshift-lab.azure-devices.net/devices/dev2 $SE)" \
  -t devices/dev2/messages/devicebound/# -t '$iothub/twin/res/#' -q 1 -k 30 >"$S/sub.out" 2>&1 &
SUB_PID=$!
i=0; while [ $i -lt 50 ] && ! "$BIN" lab status "$LAB" | grep -q 'connected devices: 1'; do sleep 0.1; i=$((i + 1)); done
check "the subscriber is connected" sh -c "'$BIN' lab status '$LAB' | grep -q 'connected devices: 1'"

TOKEN=$(json_field "$LAB/serve.json" admin_token)
code=$(curl -sS -o "$S/c2d.json" -w '%{http_code}' --max-time 10 -X POST -H "Authorization: Bearer $TOKEN" \
  --data-binary 'hello device' "http://127.0.0.1:$ADMIN_PORT/api/c2d?device=dev2")
check "the admin API sends a cloud-to-device message to the subscribed session" [ "$code" = 200 ]
i=0; while [ $i -lt 50 ] && ! grep -q 'hello device' "$S/sub.out"; do sleep 0.1; i=$((i + 1)); done
check "  ... and mosquitto_sub receives it" grep -q '^hello device$' "$S/sub.out"

# ---- migrate ----
"$BIN" lab migrate "$LAB" >"$S/migrate.out"
check "lab migrate exits 0 and reports the new chain" grep -q 'hub serves: new' "$S/migrate.out"
check "after migrate: the existing session stays" sh -c "'$BIN' lab status '$LAB' | grep -q 'connected devices: 1'"
check "after migrate: old-only device fails TLS" not pub old-only
check "after migrate: new-only device connects and publishes" pub new-only
check "after migrate: recommended device connects" pub recommended
served new-only >"$S/sc2.out"
check "s_client -showcerts sees the new chain after migrate" grep -q 'Microsoft Azure TLS Issuing CA 01 (rootshift lab)' "$S/sc2.out"
check "  ... issued by the G2-like root" grep -q 'i:C = US, O = DigiCert Inc, OU = www.digicert.com, CN = DigiCert Global Root G2 (rootshift lab)' "$S/sc2.out"
check "  ... and it verifies with the new-only bundle" grep -q 'Verify return code: 0' "$S/sc2.out"
check "probe after migrate: old-only device is cert-untrusted" [ "$(probe_as old-only)" = cert-untrusted ]
check "probe after migrate: new-only device is ok" [ "$(probe_as new-only)" = ok ]
check "probe after migrate: recommended device is ok" [ "$(probe_as recommended)" = ok ]
"$BIN" lab status "$LAB" --format json >"$S/status.json"
check "status --format json has the schema and the chain" sh -c "grep -qx '  \"schema\": \"rootshift/lab-status/1\",' '$S/status.json' && grep -qx '  \"hub_chain\": \"new\",' '$S/status.json'"

# ---- revert, then migrate --disconnect ----
"$BIN" lab revert "$LAB" >/dev/null
check "after revert: old-only device connects again" pub old-only
check "after revert: new-only device fails again" not pub new-only
"$BIN" lab migrate "$LAB" --to next >/dev/null
served new-only >"$S/sc3.out"
check "migrate --to next serves two intermediates" grep -q 'Microsoft TLS G2 RSA CA OCSP 02 (rootshift lab)' "$S/sc3.out"
check "  ... and new-only devices still verify" grep -q 'Verify return code: 0' "$S/sc3.out"
"$BIN" lab migrate "$LAB" --to ecc >/dev/null
echo | timeout 10 openssl s_client -connect "127.0.0.1:$MQTT_PORT" -no-CApath -no-CAstore -CAfile "$LAB/bundles/ecc.pem" >"$S/sc4.out" 2>&1
check "migrate --to ecc serves the P-384 chain, verified by the ecc bundle" \
  sh -c "grep -q 'Microsoft Azure ECC TLS Issuing CA 01 (rootshift lab)' '$S/sc4.out' && grep -q 'Verify return code: 0' '$S/sc4.out' && grep -q 'Peer signature type: ECDSA' '$S/sc4.out'"
"$BIN" lab migrate "$LAB" --disconnect >/dev/null
i=0; while [ $i -lt 50 ] && ! "$BIN" lab status "$LAB" | grep -q 'connected devices: 0'; do sleep 0.1; i=$((i + 1)); done
check "migrate --disconnect drops existing sessions (and old-only cannot come back)" \
  sh -c "'$BIN' lab status '$LAB' | grep -q 'connected devices: 0'"
kill "$SUB_PID" 2>/dev/null; wait "$SUB_PID" 2>/dev/null; SUB_PID=

"$BIN" lab migrate "$LAB" --mix 50 >/dev/null
good=0 bad=0
for i in 1 2 3 4 5 6; do if pub new-only; then good=$((good + 1)); else bad=$((bad + 1)); fi; done
check "--mix 50 serves half the handshakes the other chain ($good ok, $bad failed)" [ $good -eq 3 ] && [ $bad -eq 3 ]
"$BIN" lab revert "$LAB" >/dev/null

# ---- HTTPS: DPS registration and hub events ----
SCOPE=$(json_field "$LAB/lab.json" id_scope)
DSAS="$(sas "$KEY1" "$SCOPE/registrations/dev1" $SE)&skn=registration"
BASE="https://localhost:$HTTPS_PORT"
code=$(curl -sS -o "$S/reg.json" -w '%{http_code}' --max-time 10 --cacert "$LAB/bundles/old-only.pem" -X PUT \
  -H "Authorization: $DSAS" -H 'Content-Type: application/json' -d '{"registrationId":"dev1"}' \
  "$BASE/$SCOPE/registrations/dev1/register?api-version=2021-06-01")
check "DPS HTTPS register: 202 assigning" sh -c "[ $code = 202 ] && grep -q '\"status\":\"assigning\"' '$S/reg.json'"
OP=$(sed 's/.*"operationId":"\([^"]*\)".*/\1/' "$S/reg.json")
code=$(curl -sS -o "$S/op.json" -w '%{http_code}' --max-time 10 --cacert "$LAB/bundles/old-only.pem" \
  -H "Authorization: $DSAS" "$BASE/$SCOPE/registrations/dev1/operations/$OP?api-version=2021-06-01")
check "DPS HTTPS poll: 200 assigned to the lab hub" \
  sh -c "[ $code = 200 ] && grep -q '\"status\":\"assigned\",\"registrationState\".*\"assignedHub\":\"rootshift-lab.azure-devices.net\"' '$S/op.json'"
code=$(curl -sS -o "$S/reg401.json" -w '%{http_code}' --max-time 10 --cacert "$LAB/bundles/old-only.pem" -X PUT \
  -H "Authorization: $(sas "$KEY2" "$SCOPE/registrations/dev1" $SE)&skn=registration" -d '{"registrationId":"dev1"}' \
  "$BASE/$SCOPE/registrations/dev1/register?api-version=2021-06-01")
check "DPS HTTPS with a wrong key: 401 with errorCode 401002" sh -c "[ $code = 401 ] && grep -q '\"errorCode\":401002' '$S/reg401.json'"
code=$(curl -sS -o /dev/null -w '%{http_code}' --max-time 10 --cacert "$LAB/bundles/old-only.pem" -X POST \
  -H "Authorization: $SAS1" -d '{"t":1}' "$BASE/devices/dev1/messages/events?api-version=2021-04-12")
check "hub HTTPS events: 204" [ "$code" = 204 ]
code=$(curl -sS -o "$S/ev401.json" -w '%{http_code}' --max-time 10 --cacert "$LAB/bundles/old-only.pem" -X POST \
  -H "Authorization: $BAD1" -d '{"t":1}' "$BASE/devices/dev1/messages/events?api-version=2021-04-12")
check "hub HTTPS events with a wrong key: 401 IotHubUnauthorizedAccess" \
  sh -c "[ $code = 401 ] && grep -q 'IotHubUnauthorizedAccess' '$S/ev401.json'"
curl -sS --max-time 10 "http://127.0.0.1:$ADMIN_PORT/metrics" >"$S/metrics0.txt"
check "HTTPS follows the switch too (new-only fails before migrate)" \
  sh -c "! curl -sS -o /dev/null --max-time 10 --cacert '$LAB/bundles/new-only.pem' '$BASE/' 2>/dev/null"
curl -sS --max-time 10 "http://127.0.0.1:$ADMIN_PORT/metrics" >"$S/metrics1.txt"
failed_old() { sed -n 's/^rootshift_lab_handshakes_total{chain="old",result="failed"} //p' "$1"; }
check "  ... and that HTTPS handshake failure is counted" [ "$(failed_old "$S/metrics1.txt")" -eq $(( $(failed_old "$S/metrics0.txt") + 1 )) ]

# ---- admin API: token, metrics ----
code=$(curl -sS -o /dev/null -w '%{http_code}' --max-time 10 -X POST "http://127.0.0.1:$ADMIN_PORT/api/migrate")
check "admin changes without the token: 401" [ "$code" = 401 ]
curl -sS --max-time 10 "http://127.0.0.1:$ADMIN_PORT/metrics" >"$S/metrics.txt"
check "metrics count handshakes by chain" grep -q '^rootshift_lab_handshakes_total{chain="new",result="ok"} [1-9]' "$S/metrics.txt"
check "metrics count TLS failures by alert" grep -q '^rootshift_lab_tls_failures_total{reason="tlsv1 alert unknown ca"} [1-9]' "$S/metrics.txt"
check "metrics count auth failures" grep -q '^rootshift_lab_auth_failures_total [1-9]' "$S/metrics.txt"
check "metrics count DPS registrations" grep -q '^rootshift_lab_dps_registrations_total 1$' "$S/metrics.txt"
if command -v promtool >/dev/null; then
  check "promtool check metrics" sh -c "promtool check metrics <'$S/metrics.txt'"
else
  # a strict parser: every line is a comment or NAME{labels} VALUE
  check "metrics are valid exposition text" sh -c "! grep -Ev '^(# (HELP|TYPE) [a-z_]+ .+|[a-z_]+(\{[a-z_]+=\"[^\"]*\"(,[a-z_]+=\"[^\"]*\")*\})? [0-9]+)$' '$S/metrics.txt'"
fi

# ---- AMQP, as far as the protocol header (then the lab holds the connection: s_client is stopped after 3 s) ----
printf 'AMQP\003\001\000\000' | timeout 3 openssl s_client -quiet -connect "127.0.0.1:$AMQP_PORT" -no-CApath -no-CAstore \
  -CAfile "$LAB/bundles/old-only.pem" -verify_return_error 2>/dev/null | od -An -c >"$S/amqp.out"
check "AMQP: the SASL protocol header is answered in kind" grep -q 'A   M   Q   P 003 001  \\0  \\0' "$S/amqp.out"
check "AMQP: then IoT Hub's SASL mechanisms" sh -c "tr -d ' \n' <'$S/amqp.out' | grep -q 'MSSBCBS005PLAIN'"

# ---- DPS over MQTT, twin, keep-alive, one connection per device (a Python client: one session, many steps) ----
if command -v python3 >/dev/null; then
  CLIENT="python3 ./cli/lib/mqtt_client.py"
  OLD=$LAB/bundles/old-only.pem
  check "DPS over MQTT: subscribe, register, 202 assigning, poll, 200 assigned" $CLIENT dps "$MQTT_PORT" "$OLD" "$SCOPE" dev1 "$KEY1"
  check "DPS over MQTT with a wrong key: CONNACK 0, then res/401 with errorCode 401000" $CLIENT dps "$MQTT_PORT" "$OLD" "$SCOPE" dev1 "$KEY2" 401
  check "twin GET and PATCH, PINGREQ, the C2D subscription; QoS 2 disconnects" $CLIENT twin "$MQTT_PORT" "$OLD" dev1 "$KEY1"
  check "keep-alive x 1.5 is enforced" $CLIENT keepalive "$MQTT_PORT" "$OLD" dev1 "$KEY1"
  check "a new connection for a device kicks the old one" $CLIENT kick "$MQTT_PORT" "$OLD" dev1 "$KEY1"
  check "MQTT over WebSockets, subprotocol MQTT echoed, fragmented CONNECT" $CLIENT ws "$WS_PORT" "$OLD" dev1 "$KEY1" MQTT
  check "MQTT over WebSockets, subprotocol mqtt echoed" $CLIENT ws "$WS_PORT" "$OLD" dev1 "$KEY1" mqtt
  check "a WebSocket upgrade without the mqtt subprotocol is refused" not $CLIENT ws "$WS_PORT" "$OLD" dev1 "$KEY1" chat
else
  echo "skip DPS over MQTT and session tests: no python3"
fi

# ---- events and secrets ----
stop_lab
check "the server exits 143 on SIGTERM" [ $? -eq 143 ]
check "serve.json is removed on exit" [ ! -e "$LAB/serve.json" ]
check "every line of the event log is a JSON object with time, event, device, chain" python3 -c '
import json, sys
for line in open(sys.argv[1]):
    e = json.loads(line)
    assert e["event"] == "ready" or {"time", "event", "device", "chain", "detail"} <= set(e), line
' "$S/serve.log"
check "the event log has connects with device and chain" grep -q '"event":"connect","device":"dev1","chain":"new"' "$S/serve.log"
check "the event log has TLS failures" grep -q '"event":"tls-failure".*unknown ca' "$S/serve.log"
check "the event log has auth failures" grep -q '"event":"auth-failure","device":"dev1"' "$S/serve.log"
SIG=$(printf '%s' "$SAS1" | sed 's/.*sig=\([^&]*\).*/\1/')
check "no key or signature in the log" sh -c "! grep -qF -e '$KEY1' -e '$KEY2' -e '$SIG' '$S/serve.log' '$S/serve.log.err'"

# ---- test endpoint mode: TLS succeeds, every credential is refused; DPS follows the hubs after a delay ----
start_lab "$LAB" "$S/serve2.log" --at $AT --test-endpoint --dps-delay 2 || exit 1
pub old-only
check "test endpoint: a good key gets CONNACK 5 after TLS" grep -q 'not authori[sz]ed' "$S/pub.out"
check "probe against the test endpoint: ok-auth-rejected" [ "$(probe_as recommended)" = ok-auth-rejected ]
dps_issuer() {
  echo | timeout 10 openssl s_client -connect "127.0.0.1:$MQTT_PORT" -servername global.azure-devices-provisioning.net \
    -no-CApath -no-CAstore -CAfile "$LAB/bundles/recommended.pem" 2>/dev/null | grep -q "i:.*$1"
}
"$BIN" lab migrate "$LAB" >/dev/null
check "right after migrate, the DPS host name still gets the old chain" dps_issuer 'Microsoft RSA TLS CA 01'
check "  ... while the hub host name gets the new one" sh -c "echo | timeout 10 openssl s_client -connect 127.0.0.1:$MQTT_PORT -servername rootshift-lab.azure-devices.net 2>/dev/null | grep -q 'i:.*Microsoft Azure TLS Issuing CA 01'"
sleep 2.5
check "DPS follows the hubs after --dps-delay" dps_issuer 'Microsoft Azure TLS Issuing CA 01'
stop_lab

echo "$fails failed"
[ $fails -eq 0 ]
