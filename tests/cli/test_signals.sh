#!/bin/sh
# test_signals.sh BINARY SCRATCH: long commands stop cleanly on SIGINT and SIGTERM, with real child processes.
# rehearse --demo with TMPDIR set gets the signal after 4 s: it ends within 5 s, exits 130 or 143, prints its
# partial results marked partial, and TMPDIR is empty (the demo lab holds private keys). A second SIGINT ends it at
# once; SIGKILL leaves nothing behind either (the reaper). lab serve exits 130 on SIGINT and removes serve.json.
set -u
bin=$(realpath "$1")
scratch=$2
rm -rf "$scratch"
mkdir -p "$scratch/tmp"
fail() { echo "FAIL: $*"; exit 1; }
now_ms() { date +%s%3N; }

# empty_soon DIR: DIR is empty, at once or within 2 s (the reaper runs when the process is gone).
empty_soon() {
  i=0
  while [ -n "$(ls -A "$1")" ]; do
    i=$((i + 1))
    [ $i -le 20 ] || return 1
    sleep 0.1
  done
}

# demo_signal SIGNAL EXPECTED-EXIT FORMAT: --speed 300 keeps the 6 h demo running for over a minute of wall time,
# so the signal always comes mid-run.
demo_signal() {
  TMPDIR="$scratch/tmp" "$bin" rehearse --demo --speed 300 --format "$3" >"$scratch/out" 2>"$scratch/err" &
  pid=$!
  sleep 4
  [ -n "$(ls -A "$scratch/tmp")" ] || fail "rehearse --demo: no lab in TMPDIR after 4 s"
  t0=$(now_ms)
  kill -"$1" $pid
  wait $pid
  rc=$?
  took=$(( $(now_ms) - t0 ))
  [ $rc = "$2" ] || fail "rehearse --demo, SIG$1: exit $rc, expected $2: $(tail -3 "$scratch/err")"
  [ $took -le 5000 ] || fail "rehearse --demo, SIG$1: ended after $took ms"
  [ -z "$(ls -A "$scratch/tmp")" ] || fail "rehearse --demo, SIG$1: TMPDIR not empty: $(ls -A "$scratch/tmp")"
  grep -q "stopped by SIG$1.*partial" "$scratch/err" || fail "rehearse --demo, SIG$1: no note: $(cat "$scratch/err")"
  echo "ok: rehearse --demo, SIG$1 after 4 s: exit $rc in $took ms, TMPDIR empty"
}

demo_signal INT 130 text
grep -q '^partial: stopped at virtual time' "$scratch/out" || fail "text output not marked partial: $(head -3 "$scratch/out")"
grep -q '^rehearsal:' "$scratch/out" || fail "no results printed"
demo_signal TERM 143 json
/usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["partial"] is True and d["stopped_at"] >= 0, d.keys()' \
  "$scratch/out" || fail "JSON output not marked partial"

# A second Ctrl-C stops at once; the temporary directory still goes.
TMPDIR="$scratch/tmp" "$bin" rehearse --demo --speed 300 >/dev/null 2>&1 &
pid=$!
sleep 3
kill -INT $pid; kill -INT $pid
wait $pid
rc=$?
[ $rc = 130 ] || fail "two SIGINTs: exit $rc"
empty_soon "$scratch/tmp" || fail "two SIGINTs: TMPDIR not empty: $(ls -A "$scratch/tmp")"
echo "ok: two SIGINTs: exit 130, TMPDIR empty"

# SIGKILL: the process cannot clean up, its reaper does.
TMPDIR="$scratch/tmp" "$bin" rehearse --demo --speed 300 >/dev/null 2>&1 &
pid=$!
sleep 3
kill -KILL $pid
wait $pid 2>/dev/null
empty_soon "$scratch/tmp" || fail "SIGKILL: TMPDIR not empty: $(ls -A "$scratch/tmp")"
echo "ok: SIGKILL: TMPDIR empty"

# rehearse --target HOST:PORT against a server that accepts and never speaks: SIGTERM ends the probe in flight at
# once (not at --timeout), the classes probed before it are rendered, marked partial, exit 143.
/usr/bin/python3 - "$scratch/port" <<'PY' &
import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(16)
open(sys.argv[1] + ".tmp", "w").write(str(s.getsockname()[1]))
import os; os.rename(sys.argv[1] + ".tmp", sys.argv[1])
held, end = [], time.time() + 60
s.settimeout(0.5)
while time.time() < end:
    try:
        held.append(s.accept()[0])
    except socket.timeout:
        pass
PY
mute=$!
i=0
while [ ! -s "$scratch/port" ]; do i=$((i + 1)); [ $i -le 50 ] || fail "silent server did not start"; sleep 0.1; done
cat >"$scratch/fleet.json" <<JSON
{ "schema": "rootshift/fleet/1", "seed": "signals", "duration": 3600,
  "classes": [ { "name": "a", "count": 1, "store": "$(realpath data/certifi-2025.01.31.pem)" },
               { "name": "b", "count": 1, "store": "$(realpath data/certifi-2025.01.31.pem)" } ] }
JSON
"$bin" rehearse "$scratch/fleet.json" --target "127.0.0.1:$(cat "$scratch/port")" --timeout 30 \
  --at 2026-01-01T00:00:00Z --format json >"$scratch/out" 2>"$scratch/err" &
pid=$!
sleep 1
t0=$(now_ms)
kill -TERM $pid
wait $pid
rc=$?
took=$(( $(now_ms) - t0 ))
kill $mute 2>/dev/null; wait $mute 2>/dev/null
[ $rc = 143 ] || fail "rehearse --target, SIGTERM: exit $rc: $(cat "$scratch/err")"
[ $took -le 2000 ] || fail "rehearse --target, SIGTERM: ended after $took ms"
grep -q "stopped by SIGTERM after 0 of 2 classes.*partial" "$scratch/err" || fail "rehearse --target: no note: $(cat "$scratch/err")"
/usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["partial"] is True and d["classes"] == [], d' \
  "$scratch/out" || fail "rehearse --target: JSON not marked partial"
echo "ok: rehearse --target, SIGTERM mid-probe: exit 143 in $took ms, partial"

# lab serve: SIGINT ends it with 130 within 2 s, serve.json removed.
"$bin" lab init "$scratch/lab" --seed signals --at 2026-01-01T00:00:00Z --fast-keys >/dev/null 2>&1 || fail "lab init"
"$bin" lab serve "$scratch/lab" --mqtt-port 0 --https-port 0 --amqp-port 0 --ws-port 0 --admin-port 0 \
  >"$scratch/serve.log" 2>&1 &
pid=$!
i=0
while [ ! -s "$scratch/lab/serve.json" ]; do
  i=$((i + 1)); [ $i -le 100 ] || { kill $pid; fail "lab serve did not start: $(cat "$scratch/serve.log")"; }
  sleep 0.1
done
t0=$(now_ms)
kill -INT $pid
wait $pid
rc=$?
took=$(( $(now_ms) - t0 ))
[ $rc = 130 ] || fail "lab serve, SIGINT: exit $rc"
[ $took -le 2000 ] || fail "lab serve, SIGINT: ended after $took ms"
[ ! -e "$scratch/lab/serve.json" ] || fail "lab serve, SIGINT: serve.json left"
echo "ok: lab serve, SIGINT: exit 130 in $took ms, serve.json removed"
rm -rf "$scratch"
