#!/bin/sh
# rehearse.sh [BINARY] [DEVICES] [DURATION_S] [REHEARSE OPTIONS]: the fleet simulator's throughput and memory
# (for example "--max-held 0" to model every session instead of holding its connection). A fleet of DEVICES
# (default 20000: C SDK MQTT and Node with the recommended store, old-only C MQTT, C AMQP) rehearses a migration
# at half of DURATION (default 7200 s of virtual time, initial connections spread over the first 30 min) against
# the in-process lab. Prints handshakes per second of wall time, simulated devices per wall second, virtual
# seconds per wall second, connections held, pings and peak RSS, next to the lab's own handshake rate measured with
# `openssl s_time -new` (one connection at a time) on the same chain. Sessions hold real connections (two
# descriptors each with the in-process lab) as far as the hard limit on open files allows; the rest are modelled.
# Prints rates and ratios; not a test.
set -u
BIN=${1:-build/rootshift}
N=${2:-20000}
D=${3:-7200}
OPTS=${4:-}
T=10
W=$(mktemp -d)
LAB_PID=
trap '[ -n "$LAB_PID" ] && kill $LAB_PID 2>/dev/null; sleep 0.2; rm -rf "$W"' EXIT INT TERM

"$BIN" lab init "$W/lab" --seed bench --fast-keys --at 2026-01-01T00:00:00Z >/dev/null || exit 2

# the lab alone: full handshakes per second, one client connection at a time
"$BIN" lab serve "$W/lab" --mqtt-port 0 --https-port 0 --amqp-port 0 --ws-port 0 --admin-port 0 \
  --no-client-cert-request >/dev/null 2>&1 &
LAB_PID=$!
i=0; while [ ! -s "$W/lab/serve.json" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
P=$(sed -n 's/.*"mqtt_port": *\([0-9]*\).*/\1/p' "$W/lab/serve.json")
LAB_RATE=$(openssl s_time -connect "127.0.0.1:$P" -new -time $T 2>/dev/null |
  sed -n 's/^\([0-9]*\) connections in \([0-9.]*\) real seconds.*/\1 \2/p' | head -n 1 | awk '{ printf "%.0f", $1 / $2 }')
kill $LAB_PID; wait $LAB_PID 2>/dev/null; LAB_PID=

A=$((N * 40 / 100)); B=$((N * 20 / 100)); C=$((N * 20 / 100)); E=$((N - A - B - C))
cat >"$W/fleet.json" <<JSON
{ "schema": "rootshift/fleet/1", "seed": "bench", "duration": $D, "ramp": 1800,
  "classes": [
    { "name": "c-mqtt-recommended", "count": $A, "store": "lab:recommended" },
    { "name": "node-mqtt-recommended", "count": $B, "store": "lab:recommended", "sdk": "node" },
    { "name": "c-mqtt-old-only", "count": $C, "store": "lab:old-only", "backoff": { "policy": "exponential", "max": 600 } },
    { "name": "c-amqp-recommended", "count": $E, "store": "lab:recommended", "protocol": "amqp" } ],
  "schedule": [ { "at": $((D / 2)), "action": "migrate" } ] }
JSON
"$BIN" rehearse "$W/fleet.json" --lab "$W/lab" --at 2026-01-02T00:00:00Z --stats $OPTS >"$W/out.txt" 2>"$W/stats.txt"
rc=$?
[ $rc -le 1 ] || { cat "$W/stats.txt"; exit 2; }
cat "$W/stats.txt"
awk -v lab="$LAB_RATE" -v n="$N" '
  /^stats:/ { for (i = 1; i <= NF; i++) { if ($(i) == "handshakes/s,") hs = $(i - 1); if ($(i) == "wall" && !wall) wall = $(i - 3) } }
  END {
    printf "lab alone (openssl s_time -new, 1 connection at a time): %d handshakes/s\n", lab
    printf "rehearse: %d devices, %.0f handshakes/s (%.2fx the lab alone), %.0f devices per wall second\n", n, hs, hs / lab, n / wall
  }' "$W/stats.txt"
grep -A 6 '^migrate at' "$W/out.txt"
