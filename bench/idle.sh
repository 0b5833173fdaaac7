#!/bin/sh
# idle.sh [BINARY] [COUNT...]: resident memory per idle connected MQTT device (TLS + CONNECT, keep-alive 1177 s) in
# the lab and in mosquitto (TLS listener, same chain and key), from VmRSS before and after COUNT connections, for
# each COUNT (default 10000 and 50000), each server started afresh for each. The lab's registry holds exactly COUNT
# devices, so their keys count too. The goal is under 10 KB per connection. Needs python3 and, for more
# connections than `ulimit -Hn` allows, the right to raise it (root with CAP_SYS_RESOURCE); a COUNT that does not
# fit is skipped with a message.
set -u
BIN=${1:-build/rootshift}
[ $# -gt 0 ] && shift
COUNTS=${*:-10000 50000}
W=$(mktemp -d)
PIDS=""
trap 'for p in $PIDS; do kill $p 2>/dev/null; done; sleep 0.3; rm -rf "$W"' EXIT INT TERM
HERE=$(dirname "$0")
MAX=0
for n in $COUNTS; do [ "$n" -gt "$MAX" ] && MAX=$n; done
ulimit -n $((MAX + 1000)) 2>/dev/null || ulimit -n "$(ulimit -Hn)"
LIMIT=$(ulimit -n)

"$BIN" lab init "$W/lab" --seed idle --fast-keys >/dev/null || exit 2
KEY=$(head -c 32 /dev/urandom | base64)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
rss() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

# devices N: a registry of N devices idle0..N-1 with KEY
devices() {
  python3 - "$W/lab/devices.json" "$1" "$KEY" <<'PY'
import json, sys
path, n, key = sys.argv[1], int(sys.argv[2]), sys.argv[3]
json.dump({"devices": {f"idle{i}": {"primary_key": key, "auth": "sas"} for i in range(n)}}, open(path, "w"))
PY
}

# measure NAME PID PORT N
measure() {
  sleep 1
  before=$(rss "$2")
  fifo=$W/hold.$1.$4
  mkfifo "$fifo"
  t0=$(date +%s.%N)
  python3 "$HERE/idle_conns.py" "$3" "$W/lab/bundles/old-only.pem" "$4" "$KEY" <"$fifo" >"$W/$1.client" 2>&1 &
  client=$!
  exec 9>"$fifo"
  i=0
  while ! grep -q '^connected' "$W/$1.client" && kill -0 $client 2>/dev/null && [ $i -lt 9000 ]; do sleep 0.1; i=$((i+1)); done
  t1=$(date +%s.%N)
  sleep ${SETTLE:-1}
  after=$(rss "$2")
  got=$(sed -n 's/^connected //p' "$W/$1.client")
  awk -v name="$1" -v b="$before" -v a="$after" -v n="${got:-0}" -v t="$(echo "$t1 - $t0" | bc)" \
    'BEGIN { if (n == 0) { print name ": no connections"; exit } printf "%-10s %6d idle connections: RSS %d -> %d kB, %.1f KB per connection (connected in %.1f s)\n", name, n, b, a, (a - b) / n, t }'
  exec 9>&-
  wait $client 2>/dev/null
  rm -f "$fifo"
}

for N in $COUNTS; do
  if [ "$LIMIT" != unlimited ] && [ $((N + 100)) -gt "$LIMIT" ]; then
    echo "$N connections: skipped, a process here may open only $LIMIT files and cannot raise that (ulimit -Hn)"
    continue
  fi
  devices "$N"
  P=$(free_port)
  "$BIN" lab serve "$W/lab" --mqtt-port "$P" --https-port 0 --amqp-port 0 --ws-port 0 --max-connections $((N + 100)) >/dev/null 2>&1 &
  LAB=$!; PIDS="$PIDS $LAB"
  measure lab "$LAB" "$P" "$N"
  kill $LAB; wait $LAB 2>/dev/null

  if command -v mosquitto >/dev/null; then
    MP=$(free_port)
    printf 'listener %s 127.0.0.1\ncertfile %s\nkeyfile %s\nallow_anonymous true\nset_tcp_nodelay true\nuser %s\n' \
      "$MP" "$W/lab/chains/old.pem" "$W/lab/pki/old-leaf.key" "$(id -un)" >"$W/mosquitto.conf"
    mosquitto -c "$W/mosquitto.conf" >/dev/null 2>&1 &
    MPID=$!; PIDS="$PIDS $MPID"
    measure mosquitto "$MPID" "$MP" "$N"
    kill $MPID; wait $MPID 2>/dev/null
  fi
done
