#!/bin/sh
# handshakes.sh [BINARY] [SECONDS] [ROUNDS] [PROTOCOL]: full TLS handshakes per second with the lab's RSA-2048 leaf
# and old chain, side by side with nginx (TLS) and mosquitto (TLS listener) on the same machine, chain and key,
# against the `openssl speed` RSA-2048 signing limit. The load generator is `openssl s_time -new` (one connection
# at a time, no session reuse, Nagle off on every server) pinned to PROTOCOL (tls1_3 by default, or tls1_2), so
# that every server negotiates the same version; what each one negotiated (version, cipher, key-exchange group,
# signature scheme) is printed first. nginx 1.22 serves only up to TLS 1.2 unless told otherwise, so it is given
# `ssl_protocols TLSv1.2 TLSv1.3`. Servers take turns for ROUNDS rounds of SECONDS each (the machine is shared;
# turns spread its noise over all of them). Also reports each server's CPU time per handshake, read from
# /proc/PID/stat before and after each turn, since on 2 cores the load generator takes about one. Prints ratios;
# not a test.
set -u
BIN=${1:-build/rootshift}
T=${2:-5}
R=${3:-3}
PROTO=${4:-tls1_3}
W=$(mktemp -d)
PIDS=""
trap 'for p in $PIDS; do kill $p 2>/dev/null; done; sleep 0.2; rm -rf "$W"' EXIT INT TERM
TCK=$(getconf CLK_TCK)

"$BIN" lab init "$W/lab" --seed bench >/dev/null || exit 2
CHAIN=$W/lab/chains/old.pem
KEY=$W/lab/pki/old-leaf.key

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
cpu() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
wait_port() { i=0; while ! (echo | timeout 2 openssl s_client -connect "127.0.0.1:$1" >/dev/null 2>&1) && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done; }

# negotiated NAME PORT: one line with what a handshake with PORT agreed on
negotiated() {
  echo | openssl s_client -brief "-$PROTO" -connect "127.0.0.1:$2" 2>&1 | awk -v name="$1" -F': ' '
    /^Protocol version/ { v = $2 } /^Ciphersuite/ { c = $2 } /^Server Temp Key/ { g = $2 } /^Signature type/ { s = $2 }
    END { printf "%-10s %s %s, key exchange %s, signature %s\n", name, v, c, g, s }'
}

# turn NAME PID PORT: appends "handshakes cpu-ticks" of one turn to $W/NAME.turns
turn() {
  c0=$(cpu "$2")
  n=$(openssl s_time -connect "127.0.0.1:$3" "-$PROTO" -new -time "$T" 2>/dev/null | sed -n 's/^\([0-9]*\) connections in [0-9.]* real seconds.*/\1/p' | head -n 1)
  c1=$(cpu "$2")
  echo "${n:-0} $((c1 - c0))" >>"$W/$1.turns"
}

# report NAME: "NAME handshakes/s cpu-ms/handshake" over every turn
report() {
  awk -v name="$1" -v t="$((T * R))" -v tck="$TCK" '{ n += $1; c += $2 } END {
    if (n == 0) { print name ": no handshakes"; exit }
    printf "%-10s %8.0f handshakes/s   %6.3f ms server CPU per handshake\n", name, n / t, c * 1000 / tck / n }' \
    "$W/$1.turns"
}

SERVERS=""
P=$(free_port)
"$BIN" lab serve "$W/lab" --mqtt-port "$P" --https-port 0 --amqp-port 0 --ws-port 0 --no-client-cert-request >/dev/null 2>&1 &
LAB=$!; PIDS="$PIDS $LAB"; wait_port "$P"
SERVERS="lab:$LAB:$P"

if command -v nginx >/dev/null; then
  NP=$(free_port)
  mkdir -p "$W/nginx"
  cat >"$W/nginx/nginx.conf" <<NGINX
worker_processes 1;
daemon off;
pid $W/nginx/nginx.pid;
error_log $W/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  tcp_nodelay on;
  server {
    listen 127.0.0.1:$NP ssl;
    ssl_certificate $CHAIN;
    ssl_certificate_key $KEY;
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_session_cache off;
    ssl_session_tickets off;
  }
}
NGINX
  nginx -c "$W/nginx/nginx.conf" -p "$W/nginx" 2>/dev/null &
  wait_port "$NP"
  NPID=$(pgrep -P "$(cat "$W/nginx/nginx.pid" 2>/dev/null || echo 0)" | head -n 1)
  PIDS="$PIDS $(cat "$W/nginx/nginx.pid" 2>/dev/null)"
  [ -n "$NPID" ] && SERVERS="$SERVERS nginx:$NPID:$NP"
fi

if command -v mosquitto >/dev/null; then
  MP=$(free_port)
  cat >"$W/mosquitto.conf" <<MOSQ
listener $MP 127.0.0.1
certfile $CHAIN
keyfile $KEY
allow_anonymous true
set_tcp_nodelay true
user $(id -un)
MOSQ
  mosquitto -c "$W/mosquitto.conf" >/dev/null 2>&1 &
  MPID=$!; PIDS="$PIDS $MPID"; wait_port "$MP"
  SERVERS="$SERVERS mosquitto:$MPID:$MP"
fi

echo "negotiated with openssl s_client -$PROTO:"
for s in $SERVERS; do negotiated "${s%%:*}" "${s##*:}"; done
for r in $(seq "$R"); do
  for s in $SERVERS; do
    rest=${s#*:}
    turn "${s%%:*}" "${rest%%:*}" "${s##*:}"
  done
done
echo "$R turns of $T s each:"
for s in $SERVERS; do report "${s%%:*}" | tee "$W/${s%%:*}.out"; done

openssl speed -seconds 3 rsa2048 2>/dev/null | awk '/^rsa 2048 bits/ { printf "openssl speed: %.0f RSA-2048 signs/s on one core (%.3f ms each)\n", $6, 1000 / $6 }'
awk '{ r[FILENAME] = $2; c[FILENAME] = $4 } END {
  l = "'"$W"'/lab.out"; n = "'"$W"'/nginx.out"; m = "'"$W"'/mosquitto.out";
  if (n in r) printf "lab/nginx: rate %.2fx, CPU per handshake %.2fx\n", r[l] / r[n], c[l] / c[n];
  if (m in r) printf "lab/mosquitto: rate %.2fx, CPU per handshake %.2fx\n", r[l] / r[m], c[l] / c[m] }' \
  "$W/lab.out" $( [ -f "$W/nginx.out" ] && echo "$W/nginx.out") $( [ -f "$W/mosquitto.out" ] && echo "$W/mosquitto.out")
