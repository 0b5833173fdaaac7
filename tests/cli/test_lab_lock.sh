#!/bin/sh
# test_lab_lock.sh BINARY SCRATCH: one server per lab directory. A second `lab serve` on a served directory exits 2
# within seconds naming the running server's pid and ports; the first still answers on its admin port and
# serve.json still names it. rehearse --lab on it is refused the same way. After kill -9 the stale serve.json is
# taken over with a note.
set -u
bin=$(realpath "$1")
scratch=$2
rm -rf "$scratch"
mkdir -p "$scratch"
PY=/usr/bin/python3
fail() { echo "FAIL: $*"; kill -9 $pids 2>/dev/null; exit 1; }
pids=""
field() { "$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"; }
lab=$scratch/lab

serve() { # LOG: starts a server in the background; sets $pid
  "$bin" lab serve "$lab" --mqtt-port 0 --https-port 0 --amqp-port 0 --ws-port 0 --admin-port 0 >"$1" 2>&1 &
  pid=$!
  pids="$pids $pid"
}
wait_json() { # PID: serve.json names PID
  i=0
  while [ "$(field "$lab/serve.json" pid 2>/dev/null)" != "$1" ]; do
    i=$((i + 1)); [ $i -le 100 ] || fail "serve.json never named pid $1: $(cat "$scratch"/*.log)"
    sleep 0.1
  done
}

"$bin" lab init "$lab" --seed lock --at 2026-01-01T00:00:00Z --fast-keys >/dev/null 2>&1 || fail "lab init"
serve "$scratch/a.log"; a=$pid
wait_json $a
admin=$(field "$lab/serve.json" admin_port)
mqtt=$(field "$lab/serve.json" mqtt_port)

t0=$(date +%s)
timeout 10 "$bin" lab serve "$lab" --mqtt-port 0 --https-port 0 --amqp-port 0 --ws-port 0 --admin-port 0 \
  >"$scratch/b.out" 2>"$scratch/b.err"
rc=$?
took=$(( $(date +%s) - t0 ))
[ $rc = 2 ] || fail "second lab serve: exit $rc: $(cat "$scratch/b.err")"
[ $took -le 3 ] || fail "second lab serve took ${took}s"
grep -q "already served by pid $a (mqtt port $mqtt.*admin port $admin)" "$scratch/b.err" ||
  fail "second lab serve does not name the server: $(cat "$scratch/b.err")"
[ "$(field "$lab/serve.json" pid)" = "$a" ] || fail "serve.json no longer names the first server"
curl -sf "http://127.0.0.1:$admin/api/status" >/dev/null || fail "the first server does not answer on its admin port"
echo "ok: second lab serve: exit 2 in ${took}s: $(cat "$scratch/b.err")"

printf '{"duration": 600, "classes": [{"name": "c", "count": 1, "store": "lab:recommended"}]}\n' >"$scratch/fleet.json"
timeout 20 "$bin" rehearse "$scratch/fleet.json" --lab "$lab" --at 2026-01-02T00:00:00Z >/dev/null 2>"$scratch/r.err"
rc=$?
[ $rc = 2 ] && grep -q "already served by pid $a" "$scratch/r.err" || fail "rehearse --lab on a served lab: exit $rc: $(cat "$scratch/r.err")"
[ "$(field "$lab/serve.json" pid)" = "$a" ] || fail "rehearse --lab touched serve.json"
echo "ok: rehearse --lab on a served lab: exit 2"

# kill -9: the kernel drops the lock; serve.json stays behind, stale; the next server takes over with a note.
kill -9 $a; wait $a 2>/dev/null
[ -e "$lab/serve.json" ] || fail "serve.json vanished after kill -9 (the test assumes it stays)"
serve "$scratch/c.log"; c=$pid
wait_json $c
grep -q "left by pid $a, which is gone.*taking the lab over" "$scratch/c.log" || fail "no takeover note: $(cat "$scratch/c.log")"
curl -sf "http://127.0.0.1:$(field "$lab/serve.json" admin_port)/api/status" >/dev/null || fail "the new server does not answer"
kill -TERM $c; wait $c
rc=$?
[ $rc = 143 ] || fail "the new server: exit $rc on SIGTERM"
[ ! -e "$lab/serve.json" ] || fail "serve.json left after SIGTERM"
echo "ok: stale serve.json after kill -9 taken over with a note; SIGTERM exits 143 and removes serve.json"
rm -rf "$scratch"
