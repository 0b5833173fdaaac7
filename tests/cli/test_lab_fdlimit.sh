#!/bin/sh
# test_lab_fdlimit.sh BINARY SCRATCH: the lab at its open-file limit. Under `ulimit -n 64` it reports the limit and
# the connections it allows; 80 connections held 6 s run it out of descriptors, and meanwhile it uses under 20% of
# a CPU and writes under 1,000 lines to stderr (accepting pauses and retries, one warning per interval, counted);
# once they close, a device (mosquitto_pub) is served again.
BIN=$1
S=$2
. ./cli/lib/lab.sh
rm -rf "$S" && mkdir -p "$S" || exit 2
LAB=$S/lab
AT=2026-01-01T00:00:00Z
LAB_PID=
trap 'stop_lab' EXIT INT TERM
command -v mosquitto_pub >/dev/null || { echo "skipping: no mosquitto_pub"; exit 0; }

new_lab fdlimit dev1 || exit 2
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$LAB_PID/stat"; }

rm -f "$LAB/serve.json"
(ulimit -n 64 && exec "$BIN" lab serve "$LAB" --mqtt-port 0 --https-port 0 --amqp-port 0 --ws-port 0 \
  --admin-port 0 --at $AT >"$S/serve.log" 2>"$S/serve.err") &
LAB_PID=$!
wait_lab "$LAB" "$S/serve.err" || exit 1
cat "$S/serve.err"
check "lab serve reports its descriptor limit and the connections it allows" \
  grep -q '^lab: descriptor limit 64 allows about [0-9]* connections' "$S/serve.err"
check "  ... and the ready event carries them" grep -q '"descriptor_limit":64,.*"connections_allowed":[0-9]' "$S/serve.log"
check "a device is served under the limit" pub

hz=$(getconf CLK_TCK)
c0=$(cpu_ticks) t0=$(date +%s%N)
$HOSTILE hold-tcp "$MQTT_PORT" - 80 6 >"$S/hold.out" 2>&1
c1=$(cpu_ticks) t1=$(date +%s%N)
cat "$S/hold.out"
pct=$(( (c1 - c0) * 100 * 1000000000 / hz / (t1 - t0) ))
lines=$(wc -l <"$S/serve.err")
echo "while out of descriptors: $pct% of a CPU, $lines lines on stderr"
check "out of descriptors, the lab uses under 20% CPU" [ "$pct" -lt 20 ]
check "  ... and writes under 1,000 lines to stderr" [ "$lines" -lt 1000 ]
check "  ... one warning event, not one per failure" sh -c "[ \$(grep -c '\"event\":\"warning\"' '$S/serve.log') -ge 1 ] &&
  [ \$(grep -c '\"event\":\"warning\"' '$S/serve.log') -le 2 ]"
ok=no
for i in 1 2 3 4 5; do pub && { ok=yes; break; }; sleep 1; done
check "once they close, a device is served again" [ $ok = yes ]
curl -s --max-time 5 "http://127.0.0.1:$ADMIN_PORT/metrics" >"$S/metrics.txt"
grep '^rootshift_lab_accept_errors_total' "$S/metrics.txt"
check "  ... and the failed accepts are counted" grep -q '^rootshift_lab_accept_errors_total [1-9]' "$S/metrics.txt"
stop_lab
check "the server exits 0 on SIGTERM" [ $? -eq 0 ]

echo "$fails failed"
[ $fails -eq 0 ]
