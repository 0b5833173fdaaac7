#!/bin/sh
# test_lab_hostile.sh BINARY SCRATCH: the lab keeps serving good clients, and drops every connection it should,
# through garbage before and after the handshake, a 256 MB remaining length, a slowloris, and 1,000 connections
# dropped mid-handshake. Its resident memory is reported before and after (and must come back near baseline).
BIN=$1
S=$2
. ./cli/lib/lab.sh
rm -rf "$S" && mkdir -p "$S" || exit 2
LAB=$S/lab
AT=2026-01-01T00:00:00Z
LAB_PID=
trap 'stop_lab' EXIT INT TERM
command -v python3 >/dev/null || { echo "skipping: no python3"; exit 0; }
CLIENT="python3 ./cli/lib/mqtt_client.py"

"$BIN" lab init "$LAB" --seed hostile --at $AT --fast-keys >/dev/null || exit 2
"$BIN" lab device add "$LAB" good >/dev/null || exit 2
KEY=$(device_key "$LAB" good)
CA=$LAB/bundles/old-only.pem
start_lab "$LAB" "$S/serve.log" --at $AT --handshake-timeout 2 || exit 1

rss() { awk '/^VmRSS:/ { print $2 }' "/proc/$LAB_PID/status"; }
good() { $CLIENT twin "$MQTT_PORT" "$CA" good "$KEY" >/dev/null 2>&1; }
connections() { "$BIN" lab status "$LAB" --format json | sed -n 's/^ *"connections": *\([0-9]*\).*/\1/p'; }
settle() { i=0; while [ "$(connections)" != 0 ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done; }

for i in 1 2 3 4 5; do good; done
settle
base=$(rss)
check "a good client is served" good
check "garbage before the handshake is dropped" $CLIENT garbage-before "$MQTT_PORT" "$CA"
check "  ... and good clients are still served" good
check "garbage after the handshake is dropped" $CLIENT garbage-after "$MQTT_PORT" "$CA"
check "a 256 MB remaining length is dropped at once" $CLIENT huge "$MQTT_PORT" "$CA" good "$KEY"
check "  ... and good clients are still served" good
$CLIENT slowloris "$MQTT_PORT" "$CA" 50 4 >"$S/slow.out" 2>&1 &
slow=$!
sleep 0.5
check "during a slowloris, good clients are served" good
wait $slow
check "the slowloris connections are closed by the handshake timeout" [ $? -eq 0 ]
check "1,000 connections dropped mid-handshake" $CLIENT drop-mid-handshake "$MQTT_PORT" "$CA" 1000 100
check "  ... and good clients are still served" good
settle
check "every hostile connection is gone" [ "$(connections)" = 0 ]
sleep 5.5 # the lab gives freed heap back on its 5 s sampler tick
after=$(rss)
echo "resident memory: $base kB before, $after kB after"
mem_ok() { [ -n "$base" ] && [ -n "$after" ] && [ $((after - base)) -lt 4096 ]; }
if ldd "$BIN" 2>/dev/null | grep -q libasan; then
  echo "skip memory comes back near baseline (AddressSanitizer keeps freed memory in quarantine)"
else
  check "memory comes back near baseline (within 4 MB)" mem_ok
fi
curl -sS --max-time 10 "http://127.0.0.1:$ADMIN_PORT/metrics" >"$S/metrics.txt"
check "metrics count the limit and timeout drops" \
  sh -c "grep -q 'cause=\"limit\"} [1-9]' '$S/metrics.txt' && grep -q 'cause=\"timeout\"} [1-9]' '$S/metrics.txt'"
stop_lab
check "the server exits 143 on SIGTERM" [ $? -eq 143 ]

echo "$fails failed"
[ $fails -eq 0 ]
