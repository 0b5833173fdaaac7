#!/bin/sh
# test_lab_events.sh BINARY SCRATCH: the event stream never blocks the lab, and what clients control is escaped
# wherever the lab prints it. (1) stdout into a FIFO nobody reads: after 3,000 connection events /api/status still
# answers 200 within 2 s, the lost events are counted, a `dropped` event follows once a reader drains the FIFO, and
# SIGTERM ends the lab within 5 s while nobody reads again. (2) a client id, user name and topic full of quotes,
# backslashes and control bytes: /api/status, every event line (to --events FILE) and /metrics still parse.
BIN=$1
S=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
. ./cli/lib/lab.sh
rm -rf "$S" && mkdir -p "$S" || exit 2
LAB=$S/lab
AT=2026-01-01T00:00:00Z
LAB_PID=
trap 'stop_lab; exec 3>&-' EXIT INT TERM

new_lab events || exit 2

# ---- (1) a FIFO nobody reads ----
FIFO=$S/events.fifo
mkfifo "$FIFO" || exit 2
exec 3<>"$FIFO" # a reader that never reads: this shell holds the FIFO open
rm -f "$LAB/serve.json"
"$BIN" lab serve "$LAB" --mqtt-port 0 --https-port 0 --amqp-port 0 --ws-port 0 --admin-port 0 --at $AT \
  >"$FIFO" 2>"$S/serve.err" 3>&- &
LAB_PID=$!
wait_lab "$LAB" "$S/serve.err" || exit 1
$HOSTILE connect-flood "$MQTT_PORT" - 3000 >"$S/flood.out" 2>&1
cat "$S/flood.out"
code=$(curl -s -o "$S/status.json" -w '%{http_code}' --max-time 2 "http://127.0.0.1:$ADMIN_PORT/api/status")
check "after 3,000 connection events into an unread FIFO, /api/status answers 200 within 2 s" [ "$code" = 200 ]
curl -s --max-time 2 "http://127.0.0.1:$ADMIN_PORT/metrics" >"$S/metrics1.txt"
dropped=$(sed -n 's/^rootshift_lab_events_dropped_total \([0-9]*\)$/\1/p' "$S/metrics1.txt")
echo "events dropped while nobody read: $dropped"
check "  ... and the events it could not write are counted" [ "${dropped:-0}" -gt 0 ]
timeout 2 cat <&3 >"$S/drained.log"
check "a reader that catches up gets a dropped event with the count" \
  grep -q "\"event\":\"dropped\".*\"count\":$dropped" "$S/drained.log"
check "  ... and no line is cut: every line read is a JSON object" $PY -c '
import json, sys
for line in open(sys.argv[1]):
    json.loads(line)
' "$S/drained.log"
$HOSTILE connect-flood "$MQTT_PORT" - 3000 >/dev/null 2>&1
t0=$(date +%s%N)
kill -TERM "$LAB_PID"
i=0
while kill -0 "$LAB_PID" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
t1=$(date +%s%N)
echo "SIGTERM to exit with nobody reading: $(((t1 - t0) / 1000000)) ms"
check "SIGTERM ends the lab within 5 s while nobody reads" not kill -0 "$LAB_PID"
wait "$LAB_PID"
check "  ... and it exits 143 (128 + SIGTERM)" [ $? -eq 143 ]
LAB_PID=
exec 3>&-

"$BIN" lab serve "$LAB" --admin-port 0 --events "$FIFO" >/dev/null 2>"$S/fifo.err"
check "--events to a FIFO nobody has open: exit 2" [ $? -eq 2 ]
check "  ... with a one-line message" sh -c "[ \$(wc -l <'$S/fifo.err') -eq 1 ] && grep -q 'cannot open' '$S/fifo.err'"

# ---- (2) what a client controls, everywhere the lab prints it (the events to --events FILE) ----
start_lab "$LAB" "$S/stdout.log" --at $AT --events "$S/serve.log" || exit 1
$HOSTILE inject "$MQTT_PORT" "$CA" 30 >"$S/inject.out" 2>&1 &
inj=$!
i=0
while ! grep -q holding "$S/inject.out" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
cat "$S/inject.out"
curl -s --max-time 5 "http://127.0.0.1:$ADMIN_PORT/api/status" >"$S/status2.json"
curl -s --max-time 5 "http://127.0.0.1:$ADMIN_PORT/metrics" >"$S/metrics2.txt"
check "/api/status parses with a hostile client id connected" $PY -c '
import json, sys
s = json.load(open(sys.argv[1]))
ids = [d["id"] for d in s["devices"]]
assert any("q\"b\\s\x01\x08\n" in i for i in ids), ids
assert s["recent_failures"], s
' "$S/status2.json"
check "lab status (text and json) reads it" sh -c "'$BIN' lab status '$LAB' && '$BIN' lab status '$LAB' --format json"
kill $inj 2>/dev/null
wait $inj 2>/dev/null
stop_lab
check "every event line parses as JSON, and the hostile id is in them" $PY -c '
import json, sys
n = 0
for line in open(sys.argv[1]):
    e = json.loads(line)
    n += "q\"b\\s" in e.get("device", "")
assert n >= 3, n
' "$S/serve.log"
check "/metrics parses as Prometheus text" $PY ./cli/lib/prom_check.py "$S/metrics2.txt"
check "no key or signature in the events" not grep -q 'sig=' "$S/serve.log"
check "with --events FILE the events go there, and nothing to stdout" sh -c \
  "grep -q '\"event\":\"ready\"' '$S/serve.log' && [ ! -s '$S/stdout.log' ]"

echo "$fails failed"
[ $fails -eq 0 ]
