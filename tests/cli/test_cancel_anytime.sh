#!/bin/sh
# test_cancel_anytime.sh BINARY SCRATCH: every long command, stopped at any moment, ends in an answer. Each command
# is started and sent SIGINT, SIGTERM or two SIGINTs after one of a fixed list of delays (50 ms to 3 s, so that the
# signal lands in set-up, in handshakes, between phases, in output, or after the end); for each run: the exit code
# is 130 or 143 (or the command's own when it ended before the signal), stderr holds no sanitizer report, the
# process ends within a bound, its TMPDIR (a scratch directory) is empty and the labs hold no *.tmp file, and a
# JSON answer parses. test_signals.sh signals at fixed times only; bugs of this class (a leak of a handshake in
# flight, LeakSanitizer's exit 134 instead of 130) hide there.
# Commands: rehearse --demo; rehearse FLEET --lab DIR (MQTT, AMQP, HTTPS, DPS over MQTT and HTTPS, a pin) at a
# --speed that crosses every phase in about two seconds; rehearse FLEET --target lab:DIR against a `lab serve`
# started here; rehearse FLEET --target HOST:PORT of a server that never answers; `lab serve` itself while clients (probes of every protocol, idle TLS, held TCP) connect; probe
# --targets with every protocol and many targets that accept and never answer; scan of a tree and of one blob;
# audit of a tar.gz archive; bundle --from the tree.
# Bounded: the runs are round-robin over the commands, at most CANCEL_ROUNDS rounds (default 3) and no new run
# after CANCEL_BUDGET seconds (default 40: a slow build, sanitizers or a loaded machine, gets fewer runs, each one
# checked in full).
# CANCEL_SHIFT=N shifts every delay to another slot of the list, for loops that want other moments; CANCEL_ONLY
# names the commands (the c_* functions below) to run.
set -u
BIN=$(realpath "$1")
bin=$BIN
scratch=$2
rm -rf "$scratch"
mkdir -p "$scratch"
scratch=$(realpath "$scratch")
. ./cli/lib/lab.sh
now_ms() { date +%s%3N; }
t_start=$(now_ms)
rounds=${CANCEL_ROUNDS:-3}
budget_ms=$(( ${CANCEL_BUDGET:-40} * 1000 ))
shift_by=${CANCEL_SHIFT:-0}

# As CI runs the sanitizer build; harmless elsewhere. Leaks are what this test is for.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
asan=0
if ldd "$bin" 2>/dev/null | grep -q 'libasan'; then asan=1; fi
# How long after the signal a command may take to end (the product's bound is 2 s; a sanitizer build under load
# is several times slower). A run still going then is a hang: it gets SIGKILL and fails.
bound=4000
[ $asan = 0 ] || bound=12000
# Before this many ms a command may still be starting (loading, parsing), before it takes SIGINT and SIGTERM over.
startup=400
[ $asan = 0 ] || startup=1000

PIDS= pid= lpid= CLIENTS=
cleanup() {
  # the run in flight (the command, its launcher), the lab's clients, the mute server, the fixture lab
  for p in $pid $lpid $CLIENTS; do kill -KILL "$p" 2>/dev/null; done
  for p in $PIDS; do kill -TERM "$p" 2>/dev/null; done
  for p in $PIDS; do wait "$p" 2>/dev/null; done
  [ -z "${LAB_PID:-}" ] || stop_lab
}
trap cleanup EXIT
trap 'exit 1' INT TERM

sleep_ms() { sleep "$(printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000)))"; }

# ---- fixtures ----
AT=2026-01-01T00:00:00Z
LAB=$scratch/lab
new_lab cancel dev1 || { echo "FAIL: lab init"; exit 1; }
# rehearse --lab and lab serve take turns on this one (each holds its lock while it runs)
"$BIN" lab init "$scratch/lab-inproc" --seed cancel-inproc --at "$AT" --fast-keys >/dev/null || { echo "FAIL: lab init"; exit 1; }
start_lab "$LAB" "$scratch/fixture.log" --at "$AT" || { echo "FAIL: fixture lab did not start"; exit 1; }

cat >"$scratch/fleet.json" <<'JSON'
{ "schema": "rootshift/fleet/1", "seed": "cancel", "duration": 3600, "ramp": 300, "sample": 60,
  "classes": [
    { "name": "mqtt-c", "count": 6, "store": "lab:recommended", "protocol": "mqtt", "sdk": "c", "sas_lifetime": 600 },
    { "name": "mqtt-old", "count": 4, "store": "lab:old-only", "protocol": "mqtt", "sdk": "node" },
    { "name": "amqp", "count": 6, "store": "lab:recommended", "protocol": "amqp" },
    { "name": "amqp-old", "count": 4, "store": "lab:old-only", "protocol": "amqp" },
    { "name": "https", "count": 4, "store": "lab:recommended", "protocol": "https", "request_interval": 120 },
    { "name": "dps-mqtt", "count": 4, "store": "lab:new-only", "protocol": "mqtt", "dps": "mqtt", "sdk": "dotnet" },
    { "name": "dps-https", "count": 4, "store": "lab:recommended", "protocol": "https", "dps": "https" },
    { "name": "pinned", "count": 3, "store": "lab:recommended", "pin": "lab:pinned-intermediate", "sdk": "python" }
  ],
  "schedule": [ { "at": 900, "action": "migrate" }, { "at": 1800, "action": "disconnect" },
                { "at": 2700, "action": "revert", "disconnect": true } ] }
JSON

# rehearse --target HOST:PORT (a real endpoint: no schedule, each class probed now): stores must be paths.
cat >"$scratch/fleet-endpoint.json" <<JSON
{ "schema": "rootshift/fleet/1", "seed": "cancel", "duration": 3600,
  "classes": [ { "name": "a", "count": 1, "store": "$(realpath data/certifi-2025.01.31.pem)" },
               { "name": "b", "count": 1, "store": "$(realpath data/certifi-2025.01.31.pem)", "protocol": "amqp" },
               { "name": "c", "count": 1, "store": "$(realpath data/certifi-2025.01.31.pem)", "protocol": "https" } ] }
JSON

# A server that accepts and never speaks (a probe of it waits until its --timeout, or a signal).
"$PY" - "$scratch/mute.port" <<'PY' &
import os, socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(128)
open(sys.argv[1] + ".tmp", "w").write(str(s.getsockname()[1])); os.rename(sys.argv[1] + ".tmp", sys.argv[1])
held, end = [], time.time() + 600
s.settimeout(0.5)
while time.time() < end:
    try:
        held.append(s.accept()[0])
    except socket.timeout:
        pass
PY
PIDS="$PIDS $!"
i=0
while [ ! -s "$scratch/mute.port" ]; do i=$((i + 1)); [ $i -le 50 ] || { echo "FAIL: mute server"; exit 1; }; sleep 0.1; done
MUTE=$(cat "$scratch/mute.port")
CLOSED=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

# probe --targets: every protocol against the fixture lab, interleaved with silent servers and a closed port.
targets() { # MQTT HTTPS AMQP WS: the targets file on stdout
  i=0
  while [ $i -lt 6 ]; do
    printf 'localhost:%s tls\nlocalhost:%s mqtt\nlocalhost:%s https\nlocalhost:%s amqp\n' "$1" "$1" "$2" "$3"
    printf 'localhost:%s mqtt-ws\n127.0.0.1:%s tls\n127.0.0.1:%s mqtt\nlocalhost:%s tls\n' "$4" "$MUTE" "$MUTE" "$CLOSED"
    i=$((i + 1))
  done
}
targets "$MQTT_PORT" "$HTTPS_PORT" "$AMQP_PORT" "$WS_PORT" >"$scratch/targets"

# scan, audit, bundle: a tree whose bytes look like certificate headers to the carver (every MiB costs real work),
# a few real roots in it (bundle finds the profile's), one blob, and the tree as a tar.gz.
"$PY" - "$scratch/tree" <<'PY' || { echo "FAIL: cannot generate the tree"; exit 1; }
import os, shutil, sys
rec = bytes([0x30, 0x82, 0x01, 0x00, 0x30, 0x82, 0x00, 0xe0, 0xa0]) + bytes(range(7))
for d in range(6):
    os.makedirs(os.path.join(sys.argv[1], "part%d" % d))
    for f in range(4):
        with open(os.path.join(sys.argv[1], "part%d" % d, "fw%d.bin" % f), "wb") as out:
            out.write(rec * (1 << 16))
for name in ("certifi-2025.01.31.pem", "g2_ms2017.pem"):
    if os.path.exists(os.path.join("data", name)):
        shutil.copy(os.path.join("data", name), os.path.join(sys.argv[1], "part5", name))
with open(os.path.join(sys.argv[1], "..", "blob.bin"), "wb") as out:
    out.write(rec * (1 << 19))
PY
tar -C "$scratch" -czf "$scratch/tree.tar.gz" tree || { echo "FAIL: tar"; exit 1; }

# ---- one run ----
runs=0 signalled=0 finished_first=0 killed=0
pre_signal=

# leftovers: *.tmp files in the labs (written through a temporary file and a rename)
leftovers() { find "$scratch/lab" "$scratch/lab-inproc" -name '*.tmp' 2>/dev/null; }

# The launcher: runs the command with SIGINT back at its default (a shell's background job starts with it
# ignored), writes its pid to $scratch/pid, waits and writes to $scratch/status how it ended (the exit code, or
# -N for a death by signal N: the shell's $? does not tell an exit 130 from a death by SIGINT).
cat >"$scratch/launch.py" <<'PY'
import os, signal, subprocess, sys
d = sys.argv[1]
p = subprocess.Popen(sys.argv[2:], preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
open(d + "/pid.tmp", "w").write(str(p.pid)); os.rename(d + "/pid.tmp", d + "/pid")
rc = p.wait()
open(d + "/status", "w").write(str(rc))
PY

# wait_end MS: waits at most MS for the launcher ($lpid) to end; 1 when it is still running.
wait_end() {
  _end=$(( $(now_ms) + $1 ))
  while kill -0 $lpid 2>/dev/null && [ -e /proc/$lpid ] && ! grep -q '^[^)]*) Z' /proc/$lpid/stat 2>/dev/null; do
    [ "$(now_ms)" -lt $_end ] || return 1
    sleep 0.02
  done
}

# cancel LABEL SIGNAL DELAY-MS FORMAT NORMAL-CODES CMD...: runs CMD with TMPDIR empty, sends SIGNAL (INT, TERM or
# INTINT, two SIGINTs) after DELAY-MS and judges the end. FORMAT json: stdout must parse when the command printed
# its answer (one signal, or no signal); jsonl: every line must. Sets $rc.
cancel() {
  label=$1 sig=$2 delay=$3 fmt=$4 normal=$5
  shift 5
  runs=$((runs + 1))
  tmp=$scratch/tmp
  rm -rf "$tmp"
  mkdir -p "$tmp"
  rm -f "$scratch/pid" "$scratch/status"
  TMPDIR=$tmp "$PY" "$scratch/launch.py" "$scratch" "$@" >"$scratch/out" 2>"$scratch/err" &
  lpid=$!
  _i=0
  while [ ! -s "$scratch/pid" ] && [ $_i -lt 100 ]; do sleep 0.01; _i=$((_i + 1)); done
  pid=$(cat "$scratch/pid")
  taken_over=
  [ -z "$pre_signal" ] || $pre_signal
  sleep_ms "$delay"
  t0=$(now_ms)
  case $sig in
    INTINT) kill -INT $pid 2>/dev/null; sleep 0.02; kill -INT $pid 2>/dev/null; want=130 sent=2 ;;
    INT) kill -INT $pid 2>/dev/null; want=130 sent=2 ;;
    TERM) kill -TERM $pid 2>/dev/null; want=143 sent=15 ;;
  esac
  what="$label, SIG$sig after $delay ms"
  if ! wait_end $bound; then
    kill -KILL $pid 2>/dev/null
    wait $lpid 2>/dev/null
    pid= lpid=
    fail "$what: still running $bound ms after the signal (hang); killed: $(tail -3 "$scratch/err")"
    return
  fi
  took=$(( $(now_ms) - t0 ))
  wait $lpid
  pid= lpid=
  rc=$(cat "$scratch/status" 2>/dev/null)
  died=0
  case $rc in -*) died=${rc#-} ;; esac
  if grep -q 'Sanitizer\|runtime error:\|^SUMMARY:' "$scratch/err"; then
    fail "$what: exit $rc, sanitizer report:"
    grep -A 12 'ERROR: \|runtime error:' "$scratch/err" | head -40
    return
  fi
  if [ $died = "$sent" ]; then
    # the default action: right only when the signal came before the command took it over (its start-up), and
    # nothing was made yet (checked below)
    if [ -n "$taken_over" ] || [ "$delay" -ge $startup ]; then
      fail "$what: killed by the signal (its default action) $took ms after it: the command did not handle it"
      return
    fi
    killed=$((killed + 1))
  elif [ $died != 0 ]; then
    fail "$what: killed by signal $died: $(tail -3 "$scratch/err")"
    return
  elif [ "$rc" = "$want" ]; then
    signalled=$((signalled + 1))
  elif echo " $normal " | grep -q " $rc "; then
    # it ended before the signal, or was already printing its answer: only believable if it ended at once
    finished_first=$((finished_first + 1))
    [ $took -le 1000 ] || { fail "$what: exit $rc (not $want) $took ms after the signal: it did not see it"; return; }
  else
    fail "$what: exit $rc, expected $want (or $normal before the signal): $(tail -3 "$scratch/err")"
    return
  fi
  i=0
  while [ -n "$(ls -A "$tmp")" ] && [ $i -lt 20 ]; do sleep 0.1; i=$((i + 1)); done # the reaper runs after the exit
  if [ -n "$(ls -A "$tmp")" ]; then
    fail "$what: exit $rc, TMPDIR not empty: $(ls -A "$tmp")"
    rm -rf "$tmp"
    return
  fi
  left=$(leftovers)
  if [ -n "$left" ]; then
    fail "$what: exit $rc, temporary files left: $left"
    rm -f $left
    return
  fi
  if [ $died = 0 ] && { [ "$sig" != INTINT ] || [ "$rc" != 130 ]; }; then
    case $fmt in
      json) "$PY" -c 'import json,sys; json.load(open(sys.argv[1]))' "$scratch/out" 2>/dev/null ||
        { fail "$what: exit $rc, stdout is not JSON: $(head -c 200 "$scratch/out")"; return; } ;;
      jsonl) "$PY" -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1])]' "$scratch/out" 2>/dev/null ||
        { fail "$what: exit $rc, a broken JSONL record: $(tail -c 200 "$scratch/out")"; return; } ;;
    esac
  fi
  ok "$what: exit $rc in $took ms"
}

# ---- the commands (each: SIGNAL DELAY) ----
c_demo() {
  cancel "rehearse --demo" "$1" "$2" json "0" "$BIN" rehearse --demo --speed 7200 --format json --no-progress
}
c_inproc() {
  cancel "rehearse --lab" "$1" "$2" json "0 1" "$BIN" rehearse "$scratch/fleet.json" --lab "$scratch/lab-inproc" \
    --at 2026-01-02T00:00:00Z --speed 1800 --format json --no-progress
  # its lab's serve.json (the admin token) goes with a clean end; a second SIGINT (_exit) may leave it, stale
  if [ "$1" != INTINT ] && [ -e "$scratch/lab-inproc/serve.json" ]; then
    fail "rehearse --lab, SIG$1 after $2 ms: exit $rc, serve.json left"
  fi
  rm -f "$scratch/lab-inproc/serve.json"
}
c_remote() {
  cancel "rehearse --target lab:" "$1" "$2" text "0 1" "$BIN" rehearse "$scratch/fleet.json" --target "lab:$LAB" \
    --at 2026-01-02T00:00:00Z --no-progress
}
# lab serve with clients: once it listens (runs signalled after 400 ms or later), probes of every protocol, idle TLS
# sessions and held TCP connections; earlier runs are signalled in its start-up.
serve_clients() {
  [ "$delay" -ge 400 ] || return 0
  _i=0
  while [ ! -s "$scratch/lab-inproc/serve.json" ] && [ $_i -lt 40 ]; do sleep 0.05; _i=$((_i + 1)); done
  [ -s "$scratch/lab-inproc/serve.json" ] || return 0
  taken_over=yes # serving: its signal events, then interrupt.c's handler
  _m=$(json_field "$scratch/lab-inproc/serve.json" mqtt_port)
  _h=$(json_field "$scratch/lab-inproc/serve.json" https_port)
  _a=$(json_field "$scratch/lab-inproc/serve.json" amqp_port)
  _w=$(json_field "$scratch/lab-inproc/serve.json" ws_port)
  _i=0
  : >"$scratch/serve-targets"
  while [ $_i -lt 4 ]; do
    printf 'localhost:%s tls\nlocalhost:%s mqtt\nlocalhost:%s https\nlocalhost:%s amqp\nlocalhost:%s mqtt-ws\n' \
      "$_m" "$_m" "$_h" "$_a" "$_w" >>"$scratch/serve-targets"
    _i=$((_i + 1))
  done
  "$BIN" probe --at "$AT" --timeout 5 --format jsonl --concurrency 8 --no-progress \
    --store "$scratch/lab-inproc/bundles/recommended.pem" --targets "$scratch/serve-targets" >/dev/null 2>&1 &
  CLIENTS="$!"
  timeout 8 $HOSTILE idle "$_m" "$scratch/lab-inproc/bundles/recommended.pem" 6 4 >/dev/null 2>&1 &
  CLIENTS="$CLIENTS $!"
  timeout 8 $HOSTILE hold-tcp "$_a" - 10 4 >/dev/null 2>&1 &
  CLIENTS="$CLIENTS $!"
}
c_serve() {
  CLIENTS=
  rm -f "$scratch/lab-inproc/serve.json"
  pre_signal=serve_clients
  cancel "lab serve" "$1" "$2" none "" "$BIN" lab serve "$scratch/lab-inproc" \
    --mqtt-port 0 --https-port 0 --amqp-port 0 --ws-port 0 --admin-port 0 --at "$AT"
  pre_signal=
  for p in $CLIENTS; do kill -KILL "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
  CLIENTS=
  [ ! -e "$scratch/lab-inproc/serve.json" ] || fail "lab serve, SIG$1 after $2 ms: serve.json left"
  rm -f "$scratch/lab-inproc/serve.json"
}
c_endpoint() { # every class's probe hangs on the mute server until the signal
  cancel "rehearse --target HOST:PORT" "$1" "$2" json "1" "$BIN" rehearse "$scratch/fleet-endpoint.json" \
    --target "127.0.0.1:$MUTE" --timeout 30 --at "$AT" --format json
}
c_probe() {
  cancel "probe --targets" "$1" "$2" jsonl "1" "$BIN" probe --at "$AT" --timeout 30 --format jsonl --concurrency 8 \
    --no-progress --store "$LAB/bundles/recommended.pem" --targets "$scratch/targets"
}
c_scan() {
  cancel "scan tree" "$1" "$2" json "0 1" "$BIN" scan --at "$AT" --format json --no-progress "$scratch/tree"
}
c_blob() {
  cancel "scan blob" "$1" "$2" text "0 1" "$BIN" scan --at "$AT" --no-progress "$scratch/blob.bin"
}
c_audit() {
  cancel "audit tar.gz" "$1" "$2" json "0 1" "$BIN" audit --at "$AT" --format json --no-progress "$scratch/tree.tar.gz"
}
c_bundle() {
  rm -rf "$scratch/bundle.pem"
  cancel "bundle --from tree" "$1" "$2" none "0 1 2" "$BIN" bundle --format pem -o "$scratch/bundle.pem" \
    --from "$scratch/tree" --at "$AT"
}

delays="50 3000 120 1600 250 2500 400 800 1300 600 2000 1000"
ndelays=12
delay_at() { echo $delays | cut -d' ' -f$(( ($1 % ndelays) + 1 )); }
signal_at() { case $(($1 % 3)) in 0) echo INT ;; 1) echo TERM ;; *) echo INTINT ;; esac; }

round=0
stopped=
while [ $round -lt "$rounds" ] && [ -z "$stopped" ]; do
  k=0
  for c in ${CANCEL_ONLY:-c_demo c_inproc c_remote c_serve c_endpoint c_probe c_scan c_blob c_audit c_bundle}; do
    if [ $(( $(now_ms) - t_start )) -gt "$budget_ms" ]; then stopped=yes; break; fi
    slot=$((round * 5 + k * 7 + shift_by))
    $c "$(signal_at $((round + k + shift_by)))" "$(delay_at $slot)"
    k=$((k + 1))
  done
  round=$((round + 1))
done

# The fixture lab, which saw every remote rehearsal and probe end mid-way, stops cleanly and reported nothing.
stop_lab
rc=$?
case $rc in 0 | 143) ok "fixture lab serve stopped (exit $rc)" ;; *) fail "fixture lab serve: exit $rc" ;; esac
if grep -q 'Sanitizer\|runtime error:' "$scratch/fixture.log.err"; then
  fail "fixture lab serve: sanitizer report"
  grep -A 12 'ERROR: \|runtime error:' "$scratch/fixture.log.err" | head -40
fi
echo "$runs runs in $(( ($(now_ms) - t_start) / 1000 )) s: $signalled ended by the signal, $finished_first before it, $killed killed by it (default action), $fails failed${stopped:+ (time budget reached)}"
[ $fails = 0 ] || exit 1
rm -rf "$scratch"
