#!/bin/sh
# test_lab_interop.sh BINARY SCRATCH: the lab against clients it did not write, as IoT Hub serves them (issue 15).
# One `lab serve` on free loopback ports: Eclipse Paho over WebSockets on the HTTPS port (its PUBACK) and curl's
# event POST on the same port (204); Qpid Proton's Python client on the AMQP port: CBS put-token 200 and an
# accepted event with the device's key, 401 with a wrong one, SASL PLAIN both ways, a token expiring closes the
# device's link; AMQP over WebSockets on the HTTPS port; a Paho session whose SAS expires 5 s after connecting is dropped 2-12 s
# later with cause sas-expired; an expired token over HTTPS gets 401; `POST /api/migrate?to=new&disconnect=1`
# drops a held Paho session with cause migrate; clients that complete their handshake leave no tls-failure count,
# two that reject the chain add exactly two. The lab's clock runs from --at, so no test depends on today's date.
BIN=$1
S=$2
. ./cli/lib/lab.sh
PY=/usr/bin/python3
PAHO="$PY ./interop/lab_paho.py"
rm -rf "$S" && mkdir -p "$S" || exit 2
LAB=$S/lab
AT=2026-01-01T00:00:00Z
SE=1798761600 # 2027-01-01
HUB=rootshift-lab.azure-devices.net
LAB_PID=
HOLD_PID=
cleanup() {
  [ -n "$HOLD_PID" ] && kill "$HOLD_PID" 2>/dev/null
  stop_lab
}
trap cleanup EXIT INT TERM

for tool in openssl curl; do
  command -v $tool >/dev/null || { echo "skipping: no $tool"; exit 77; }
done
"$PY" -c 'import paho.mqtt.client' 2>/dev/null || { echo "skipping: no python3-paho-mqtt"; exit 77; }

"$BIN" lab init "$LAB" --seed interop --at $AT --fast-keys >/dev/null 2>&1 || { echo "lab init failed"; exit 1; }
"$BIN" lab device add "$LAB" dev1 >/dev/null && "$BIN" lab device add "$LAB" dev2 >/dev/null &&
  "$BIN" lab device add "$LAB" dev3 >/dev/null || exit 1
KEY1=$(device_key "$LAB" dev1)
KEY2=$(device_key "$LAB" dev2)
KEY3=$(device_key "$LAB" dev3)
REC=$LAB/bundles/recommended.pem
start_lab "$LAB" "$S/serve.log" --at $AT || exit 1
TOKEN=$(json_field "$LAB/serve.json" admin_token)
ADMIN="http://127.0.0.1:$ADMIN_PORT"

# lab_now: the lab's clock, in epoch seconds (from GET /api/status)
lab_now() {
  curl -sS --max-time 5 "$ADMIN/api/status" | "$PY" -c '
import calendar, json, sys, time
print(calendar.timegm(time.strptime(json.load(sys.stdin)["time"], "%Y-%m-%dT%H:%M:%SZ")))'
}
# tls_failures: the sum of rootshift_lab_tls_failures_total
tls_failures() {
  curl -sS --max-time 5 "$ADMIN/metrics" | awk '/^rootshift_lab_tls_failures_total/ { n += $NF } END { print n + 0 }'
}
# events EVENT PATTERN: the event log has EVENT with PATTERN somewhere on its line
has_event() {
  grep "\"event\":\"$1\"" "$S/serve.log" | grep -q "$2"
}

# ---- one port for HTTPS and WebSockets (IoT Hub's 443) ----
check "Paho over WebSockets on the HTTPS port gets its PUBACK" \
  $PAHO pub ws "$HTTPS_PORT" "$REC" $HUB dev1 "$KEY1" $SE
check "  ... and the upgrade is an event (ws-upgrade, mqtt)" has_event ws-upgrade '"detail":"mqtt"'
SAS1=$(sas "$KEY1" $HUB/devices/dev1 $SE)
code=$(curl -sS -o /dev/null -w '%{http_code}' --max-time 10 --cacert "$REC" -X POST -H "Authorization: $SAS1" \
  -d '{"t":1}' "https://localhost:$HTTPS_PORT/devices/dev1/messages/events?api-version=2021-04-12")
check "curl's event POST to the same port gets 204 ($code)" [ "$code" = 204 ]
code=$(curl -sS -o /dev/null -w '%{http_code}' --max-time 10 --cacert "$REC" -H 'Upgrade: websocket' \
  -H 'Connection: Upgrade' -H 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==' -H 'Sec-WebSocket-Version: 13' \
  -H 'Sec-WebSocket-Protocol: chat' "https://localhost:$HTTPS_PORT/\$iothub/websocket")
check "an upgrade without mqtt or AMQPWSB10 is refused with 400 ($code)" [ "$code" = 400 ]
check "  ... and the refusal is an event (ws-refused)" has_event ws-refused 'subprotocol'

# ---- AMQP 1.0 with CBS (Qpid Proton's Python client) ----
if "$PY" -c 'import proton' 2>/dev/null; then
  PROTON="$PY ./interop/lab_proton.py"
  out=$(timeout 30 $PROTON cbs "$AMQP_PORT" "$REC" $HUB dev1 "$KEY1" $SE)
  check "Proton: put-token with the device's SAS gets 200 and its event is accepted ($out)" \
    sh -c "echo '$out' | grep -q '^status int32(200), accepted$'"
  out=$(timeout 30 $PROTON cbs "$AMQP_PORT" "$REC" $HUB dev1 "$KEY2" $SE)
  check "Proton: put-token with a wrong key gets 401 ($out)" sh -c "echo '$out' | grep -q '^status int32(401)$'"
  out=$(timeout 30 $PROTON plain "$AMQP_PORT" "$REC" $HUB dev1 "$KEY1" $SE)
  check "Proton: SASL PLAIN with {id}@sas.{hub} and the SAS, then an event accepted ($out)" \
    sh -c "echo '$out' | grep -q '^accepted$'"
  out=$(timeout 30 $PROTON plain "$AMQP_PORT" "$REC" $HUB dev1 "$KEY2" $SE)
  check "Proton: SASL PLAIN with a wrong key fails SASL ($out)" sh -c "echo '$out' | grep -q 'sasl failed'"
  NOW=$(lab_now)
  # the token expires 6 s from now (the client needs a second or two to start); the link is open before that
  out=$(timeout 30 $PROTON hold "$AMQP_PORT" "$REC" $HUB dev2 "$KEY2" "$NOW@$(date +%s)+6" 15)
  check "Proton: a token that expires while its link is open closes the link ($out)" \
    sh -c "echo '$out' | grep -Eq '^status int32\(200\), accepted, link closed after ([0-9]|1[0-2])\.[0-9] s$'"
  check "  ... with a sas-expired event" has_event sas-expired '"device":"dev2".*links closed'
  NOW=$(lab_now)
  out=$(timeout 30 $PROTON refresh "$AMQP_PORT" "$REC" $HUB dev2 "$KEY2" "$NOW@$(date +%s)+8" 14 $SE)
  check "Proton: a new put-token before expiry (the C SDK's refresh) keeps the link past the first token ($out)" \
    sh -c "echo '$out' | grep -q '^status int32(200), accepted, status int32(200), link kept$'"
  rm -f "$S/c2d.ready"
  timeout 30 $PROTON c2d "$AMQP_PORT" "$REC" $HUB dev1 "$KEY1" $SE 20 "$S/c2d.ready" >"$S/c2d.out" 2>&1 &
  C2D_PID=$!
  i=0; while [ ! -e "$S/c2d.ready" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
  code=$(curl -sS -o /dev/null -w '%{http_code}' --max-time 10 -X POST -H "Authorization: Bearer $TOKEN" \
    --data-binary 'hello device' "$ADMIN/api/c2d?device=dev1")
  wait "$C2D_PID"
  check "Proton: a cloud-to-device message on /devices/{id}/messages/devicebound ($code, $(cat "$S/c2d.out"))" \
    sh -c "[ $code = 200 ] && grep -q '^status int32(200), c2d hello device$' '$S/c2d.out'"
  check "AMQP connects and disconnects are events, with their cause" has_event disconnect '"device":"dev1".*"cause":"client","detail":"amqp"'
  check "AMQP auth failures are events" has_event auth-failure '"device":"dev1".*invalid signature'
else
  echo "skip AMQP: no python3-qpid-proton"
fi
# AMQP over WebSockets on the HTTPS port: the upgrade with AMQPWSB10, then the SASL header in a binary frame is
# answered by Proton with the header and IoT Hub's mechanisms
check "AMQP over WebSockets (AMQPWSB10) on the HTTPS port: SASL header and mechanisms" \
  "$PY" ./interop/ws_amqp_header.py "$HTTPS_PORT" "$REC"
check "  ... and the upgrade is an event (ws-upgrade, AMQPWSB10)" has_event ws-upgrade '"detail":"AMQPWSB10"'

# ---- SAS expiry, by the lab's clock ----
NOW=$(lab_now)
out=$($PAHO hold tcp "$MQTT_PORT" "$REC" $HUB dev2 "$KEY2" "$NOW@$(date +%s)+5" 14)
check "a Paho session whose SAS expires 5 s after connecting is dropped 2-12 s after connecting ($out s)" \
  "$PY" -c "import sys; sys.exit(not 2 <= float('$out') <= 12)"
check "  ... with cause sas-expired in its disconnect event" has_event disconnect '"device":"dev2".*"cause":"sas-expired"'
NOW=$(lab_now)
code=$(curl -sS -o "$S/expired.json" -w '%{http_code}' --max-time 10 --cacert "$REC" -X POST \
  -H "Authorization: $(sas "$KEY1" $HUB/devices/dev1 $((NOW - 1)))" -d '{"t":1}' \
  "https://localhost:$HTTPS_PORT/devices/dev1/messages/events?api-version=2021-04-12")
check "HTTPS with an expired token gets 401 ($code)" [ "$code" = 401 ]
check "  ... and an auth-failure event that says expired" has_event auth-failure '"device":"dev1".*expired'

# ---- migrate --disconnect drops a held session with cause migrate ----
$PAHO hold tcp "$MQTT_PORT" "$REC" $HUB dev1 "$KEY1" $SE 20 "$S/held" >"$S/hold.out" 2>&1 &
HOLD_PID=$!
AMQP_HOLD=
if "$PY" -c 'import proton' 2>/dev/null; then # an AMQP device held beside it
  rm -f "$S/amqp.ready"
  timeout 30 "$PY" ./interop/lab_proton.py c2d "$AMQP_PORT" "$REC" $HUB dev3 "$KEY3" $SE 20 "$S/amqp.ready" >/dev/null 2>&1 &
  AMQP_HOLD=$!
  i=0; while [ ! -e "$S/amqp.ready" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
fi
i=0; while [ ! -e "$S/held" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
code=$(curl -sS -o /dev/null -w '%{http_code}' --max-time 10 -X POST -H "Authorization: Bearer $TOKEN" \
  "$ADMIN/api/migrate?to=new&disconnect=1")
wait "$HOLD_PID"
rc=$?
HOLD_PID=
check "POST /api/migrate?to=new&disconnect=1 ($code) drops the held Paho session ($(cat "$S/hold.out") s)" [ $rc -eq 0 ]
check "  ... with cause migrate in its disconnect event" has_event disconnect '"device":"dev1".*"cause":"migrate"'
if [ -n "$AMQP_HOLD" ]; then
  wait "$AMQP_HOLD"
  check "  ... and the held AMQP connection too, with cause migrate" has_event disconnect '"device":"dev3".*"cause":"migrate","detail":"amqp"'
fi

# ---- the smaller differences: session present, keep-alive 1 s at 1.5 s, DPS replies at the subscribed QoS ----
CLIENT="$PY ./cli/lib/mqtt_client.py"
check "session present is 1 when a clean_session=0 device had a session, 0 after a clean one" \
  $CLIENT session "$MQTT_PORT" "$REC" dev3 "$KEY3"
check "a keep-alive of 1 s is enforced at 1.5 s" $CLIENT keepalive "$MQTT_PORT" "$REC" dev2 "$KEY2" 1
check "  ... with cause keepalive" has_event disconnect '"device":"dev2".*"cause":"keepalive"'

# ---- TLS failures are counted once per failed handshake, never for completed ones ----
before=$(tls_failures)
for i in 1 2 3; do
  check "a completed handshake ($i)" $PAHO pub tcp "$MQTT_PORT" "$REC" $HUB dev1 "$KEY1" $SE
done
curl -sS -o /dev/null --max-time 10 --cacert "$REC" "https://localhost:$HTTPS_PORT/" || true
mid=$(tls_failures)
check "clients that complete their handshake leave no tls-failure count ($before -> $mid)" [ "$mid" -eq "$before" ]
# the lab now serves the new chain: two clients that trust only the old root reject it
curl -sS -o /dev/null --max-time 10 --cacert "$LAB/bundles/old-only.pem" "https://localhost:$HTTPS_PORT/" 2>/dev/null
$PAHO pub tcp "$MQTT_PORT" "$LAB/bundles/old-only.pem" $HUB dev1 "$KEY1" $SE >/dev/null 2>&1
i=0; while [ "$(tls_failures)" -lt $((mid + 2)) ] && [ $i -lt 30 ]; do sleep 0.1; i=$((i + 1)); done
sleep 0.3
after=$(tls_failures)
check "two clients that reject the chain add exactly two ($mid -> $after)" [ "$after" -eq $((mid + 2)) ]
check "  ... each with the alert it sent" sh -c "[ \$(grep -c '\"event\":\"tls-failure\".*tlsv1 alert unknown ca' '$S/serve.log') -eq 2 ]"
check "a client that closes after the server's certificate without an alert" "$PY" ./interop/tls_close_after_cert.py "$MQTT_PORT"
i=0; while [ "$(tls_failures)" -lt $((after + 1)) ] && [ $i -lt 30 ]; do sleep 0.1; i=$((i + 1)); done
check "  ... is one tls-failure, 'closed without an alert after the server's certificate'" \
  sh -c "[ $(tls_failures) -eq $((after + 1)) ] && grep -q '\"event\":\"tls-failure\".*closed without an alert after the server' '$S/serve.log'"

curl -sS --max-time 5 "$ADMIN/metrics" >"$S/metrics.txt"
stop_lab
check "the lab exits 143 on SIGTERM (128 + the signal, as lab serve now reports it)" [ $? -eq 143 ]
check "metrics counted disconnects by cause" sh -c "grep -q '^rootshift_lab_disconnects_total{cause=\"migrate\"} [1-9]' '$S/metrics.txt' && grep -q '^rootshift_lab_disconnects_total{cause=\"sas-expired\"} [1-9]' '$S/metrics.txt' && grep -q '^rootshift_lab_disconnects_total{cause=\"client\"} [1-9]' '$S/metrics.txt' && grep -q '^rootshift_lab_disconnects_total{cause=\"shutdown\"} 0' '$S/metrics.txt'"
SIG=$(printf '%s' "$SAS1" | sed 's/.*sig=\([^&]*\).*/\1/')
check "no key or signature in the event log" sh -c "! grep -qF -e '$KEY1' -e '$KEY2' -e '$SIG' '$S/serve.log'"
[ $fails -eq 0 ] || { echo "--- serve.log"; tail -n 40 "$S/serve.log"; }
exit $fails
