#!/bin/sh
# test_lab_limits.sh BINARY SCRATCH: every queue the lab writes for a peer is bounded. (1) a WebSocket PING flood
# whose PONGs are never read: meanwhile a device's MQTT publish (mosquitto_pub, QoS 1) completes within 3 s each
# time, and the lab's resident memory grows less than 64 MB; (2) a device that never reads its answers is closed
# with the cause slow-consumer, counted in /metrics.
BIN=$1
S=$2
. ./cli/lib/lab.sh
rm -rf "$S" && mkdir -p "$S" || exit 2
LAB=$S/lab
AT=2026-01-01T00:00:00Z
LAB_PID=
FLOOD=
trap '[ -n "$FLOOD" ] && kill $FLOOD 2>/dev/null; stop_lab' EXIT INT TERM
command -v mosquitto_pub >/dev/null || { echo "skipping: no mosquitto_pub"; exit 0; }

new_lab limits dev1 hog || exit 2
start_lab "$LAB" "$S/serve.log" --at $AT || exit 1
rss() { awk '/^VmRSS:/ { print $2 }' "/proc/$LAB_PID/status"; }
ms() { date +%s%N | cut -c1-13; }

# ---- (1) a PING flood ----
pub
# the same publish without the flood, to scale the bound on a slow machine (a sanitizer build, a loaded host)
calm=0
for i in 1 2 3; do
  t0=$(ms); pub; t=$(($(ms) - t0))
  [ $t -gt $calm ] && calm=$t
done
bound=$((5 * calm > 3000 ? 5 * calm : 3000))
base=$(rss)
$HOSTILE ping-flood "$WS_PORT" "$CA" 8 >"$S/flood.out" 2>&1 &
FLOOD=$!
sleep 1
peak=$base worst=0 ok=0
for i in 1 2 3 4 5; do
  t0=$(ms)
  pub && ok=$((ok + 1))
  t=$(($(ms) - t0))
  [ $t -gt $worst ] && worst=$t
  r=$(rss)
  [ "$r" -gt "$peak" ] && peak=$r
  sleep 0.5
done
wait $FLOOD
FLOOD=
cat "$S/flood.out"
echo "during the flood: $ok of 5 publishes, the slowest in $worst ms (without it: $calm ms); resident memory $base kB before, $peak kB at most"
check "during a PING flood a device's publish completes, each within 3 s (or 5 times its calm time)" \
  sh -c "[ $ok -eq 5 ] && [ $worst -lt $bound ]"
check "  ... and the lab grows less than 64 MB" [ $((peak - base)) -lt 65536 ]
curl -s --max-time 5 "http://127.0.0.1:$ADMIN_PORT/metrics" >"$S/metrics1.txt"
grep ws_pings_ignored_total "$S/metrics1.txt" | grep -v '^#'
check "  ... and the PINGs it did not answer are counted" grep -q '^rootshift_lab_ws_pings_ignored_total [1-9]' "$S/metrics1.txt"

# ---- (2) a device that never reads ----
check "a device that never reads its answers is closed by the lab" \
  sh -c "$HOSTILE no-read $MQTT_PORT $CA hog $KEY_hog >$S/noread.out 2>&1"
cat "$S/noread.out"
for i in 1 2 3 4 5 6 7 8 9 10; do # the event is written as the lab closes the connection: wait for it, 5 s at most
  grep -q '"cause":"slow-consumer"' "$S/serve.log" && break
  sleep 0.5
done
check "  ... a disconnect event with the cause slow-consumer" \
  grep -q '"event":"disconnect","device":"hog",.*"cause":"slow-consumer"' "$S/serve.log"
curl -s --max-time 5 "http://127.0.0.1:$ADMIN_PORT/metrics" >"$S/metrics2.txt"
check "  ... counted in /metrics" grep -q 'dropped_connections_total{cause="slow-consumer"} [1-9]' "$S/metrics2.txt"
check "a device is still served afterwards" pub
stop_lab
check "the server exits 143 on SIGTERM" [ $? -eq 143 ]

echo "$fails failed"
[ $fails -eq 0 ]
