#!/bin/sh
# test_lab_auth.sh BINARY SCRATCH: connections that never authenticate are closed (cause auth-timeout), and cannot
# lock devices out. (1) --max-connections 20 --auth-timeout 3: 20 TLS connections that never authenticate; a real
# device (mosquitto_pub) connects within 60 s, and the 20 are all closed within the deadline and a second. (2) at
# the default deadline (10 s): TLS and silence, an AMQP SASL header, DPS with bogus credentials and keep-alive 0 are
# each closed between 9 and 13 s. Then --auth-timeout is checked on the command line.
BIN=$1
S=$2
. ./cli/lib/lab.sh
rm -rf "$S" && mkdir -p "$S" || exit 2
LAB=$S/lab
AT=2026-01-01T00:00:00Z
LAB_PID=
IDLE=
trap '[ -n "$IDLE" ] && kill $IDLE 2>/dev/null; stop_lab' EXIT INT TERM
command -v mosquitto_pub >/dev/null || { echo "skipping: no mosquitto_pub"; exit 0; }

new_lab auth dev1 || exit 2

# ---- (1) 20 idle TLS connections under --max-connections 20 ----
start_lab "$LAB" "$S/serve1.log" --at $AT --max-connections 20 --auth-timeout 3 || exit 1
$HOSTILE idle "$MQTT_PORT" "$CA" 20 8 >"$S/idle.out" 2>&1 &
IDLE=$!
i=0
while ! grep -q "TLS connections open" "$S/idle.out" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
t0=$(date +%s)
tries=0 connected=no
while [ $(($(date +%s) - t0)) -lt 60 ]; do
  pub && { connected=yes; break; }
  tries=$((tries + 1))
  sleep 1
done
t=$(($(date +%s) - t0))
echo "the device connected after $t s ($tries retries), with 20 unauthenticated connections open"
check "under --max-connections 20 with 20 unauthenticated connections, a real device connects within 60 s" \
  [ $connected = yes ]
wait $IDLE
IDLE=
cat "$S/idle.out"
check "  ... and the 20 are all closed within the 3 s deadline and a second" \
  sh -c "grep -q 'closed by the lab: 20 of 20' '$S/idle.out' && \
    awk '/the last after/ { exit !(\$(NF-1) + 0 <= 4.5) }' '$S/idle.out'"
check "  ... each a disconnect event with the cause auth-timeout, or crowded-out past the 18 kept for them" \
  sh -c "[ \$(grep -c '\"event\":\"disconnect\".*\"cause\":\"\(auth-timeout\|crowded-out\)\"' '$S/serve1.log') -eq 20 ] &&
    grep -q '\"cause\":\"auth-timeout\"' '$S/serve1.log'"
curl -s --max-time 5 "http://127.0.0.1:$ADMIN_PORT/metrics" >"$S/metrics1.txt"
check "  ... counted in /metrics" grep -q 'dropped_connections_total{cause="auth-timeout"} [1-9]' "$S/metrics1.txt"
check "a device still connects afterwards" pub
stop_lab

# ---- (2) the default deadline ----
start_lab "$LAB" "$S/serve2.log" --at $AT || exit 1
$HOSTILE unauth "$MQTT_PORT" "$CA" "$AMQP_PORT" 16 >"$S/unauth.out" 2>&1
cat "$S/unauth.out"
within() { awk -v k="$1" '{ for (i = 1; i <= NF; i++) { split($i, a, "="); if (a[1] == k) exit !(a[2] + 0 >= 9 && a[2] + 0 <= 13) } exit 1 }' "$S/unauth.out"; }
check "default deadline: a silent TLS connection is closed after 10 s" within tls
check "  ... an AMQP connection after its SASL header" within amqp
check "  ... DPS with bogus credentials and keep-alive 0" within dps
check "  ... each with a disconnect event, cause auth-timeout" \
  sh -c "[ \$(grep -c '\"event\":\"disconnect\".*\"cause\":\"auth-timeout\"' '$S/serve2.log') -eq 3 ]"
check "a device's hub session is not subject to it (silent 12 s, still open)" \
  $HOSTILE hold-hub "$MQTT_PORT" "$CA" dev1 "$KEY_dev1" 12
stop_lab

"$BIN" lab serve "$LAB" --auth-timeout -1 >/dev/null 2>"$S/bad.err"
check "--auth-timeout -1 is a usage error (exit 2)" [ $? -eq 2 ]
check "  ... with a message" grep -q "not a number from 0 to 3600" "$S/bad.err"

echo "$fails failed"
[ $fails -eq 0 ]
