#!/bin/sh
# bench_probe.sh [BINARY] [N] [REPS] [M]: rootshift probe beside openssl against the same local `openssl s_server`
# (EC P-256 chain on loopback), like for like, REPS times each, medians. Not a test. Ratios: higher = rootshift
# faster.
#  (a) one process per probe on both sides: N runs of `rootshift probe --protocol tls` (handshake, captured chain,
#      verification against the store, what-if verdicts) against N runs of `openssl s_client -connect ...
#      -verify_return_error </dev/null` (handshake and verification).
#  (b) one process for many probes on both sides: `rootshift probe --targets FILE` with M lines (default 500, so
#      that one process start is small beside the probes), one at a time and
#      at the default concurrency, against `openssl s_time -new` (full handshakes, no verification) for as many
#      seconds as rootshift took, as handshakes per second.
# Then 10,000 targets in one run (closed ports on loopback, refused at once) with the peak RSS.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-$here/../build/rootshift}
n=${2:-${N:-100}}
reps=${3:-${REPS:-5}}
m=${4:-${M:-500}}
PY=/usr/bin/python3; [ -x "$PY" ] || PY=python3
. "$here/../tests/interop/lib.sh"
tmp=$(mktemp -d /tmp/rs-bench-probe-XXXXXX)
trap 'stop_all; rm -rf "$tmp"' EXIT
make_pki "$tmp/pki"
port=$(free_port)
openssl s_server -accept "127.0.0.1:$port" -naccept 10000000 -quiet -cert "$tmp/pki/leaf.pem" \
  -key "$tmp/pki/leaf.key" -cert_chain "$tmp/pki/int.pem" </dev/null >/dev/null 2>&1 &
PIDS="$PIDS $!"
wait_port "$port"
i=0; : >"$tmp/targets"
while [ $i -lt "$m" ]; do echo "localhost:$port tls" >>"$tmp/targets"; i=$((i + 1)); done

ms() { echo $(( $(date +%s%N) / 1000000 )); }
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

rs_loop() {
  i=0
  while [ $i -lt "$n" ]; do
    "$bin" probe --protocol tls --store "$tmp/pki/root.pem" "localhost:$port" >/dev/null 2>&1 || true
    i=$((i + 1))
  done
}
ossl_loop() {
  i=0
  while [ $i -lt "$n" ]; do
    openssl s_client -connect "127.0.0.1:$port" -servername localhost -CAfile "$tmp/pki/root.pem" -no-CApath \
      -no-CAstore -verify_return_error </dev/null >/dev/null 2>&1 || true
    i=$((i + 1))
  done
}
# handshakes per second of `probe --targets` at concurrency $1; the elapsed ms in $tmp/last_ms
rs_many() {
  t0=$(ms)
  "$bin" probe --format jsonl --concurrency "$1" --store "$tmp/pki/root.pem" --targets "$tmp/targets" \
    >"$tmp/many.jsonl" 2>/dev/null || true
  t1=$(ms)
  echo $((t1 - t0)) >"$tmp/last_ms"
  awk -v n="$m" -v t=$((t1 - t0)) 'BEGIN { printf "%.1f\n", n * 1000 / t }'
}
# handshakes per second of `openssl s_time -new` for at least $1 ms (whole seconds, at least 1)
ossl_many() {
  secs=$(( ($1 + 999) / 1000 ))
  t0=$(ms)
  out=$(openssl s_time -new -connect "127.0.0.1:$port" -time "$secs" 2>/dev/null || true)
  t1=$(ms)
  echo "$out" | awk -v t=$((t1 - t0)) '/connections in [0-9.]+s;/ { printf "%.1f\n", $1 * 1000 / t; exit }'
}

: >"$tmp/a"; : >"$tmp/b1"; : >"$tmp/b16"
r=0
while [ $r -lt "$reps" ]; do
  t0=$(ms); rs_loop; t1=$(ms); ossl_loop; t2=$(ms)
  a_rs=$((t1 - t0)); a_os=$((t2 - t1))
  rs1=$(rs_many 1); os1=$(ossl_many "$(cat "$tmp/last_ms")")
  rs16=$(rs_many 16); os16=$(ossl_many "$(cat "$tmp/last_ms")")
  awk -v a="$a_rs" -v b="$a_os" -v n="$n" 'BEGIN { printf "%.3f %.2f %.2f\n", b / a, a / n, b / n }' >>"$tmp/a"
  awk -v x="$rs1" -v y="$os1" 'BEGIN { printf "%.3f %s %s\n", x / y, x, y }' >>"$tmp/b1"
  awk -v x="$rs16" -v y="$os16" 'BEGIN { printf "%.3f %s %s\n", x / y, x, y }' >>"$tmp/b16"
  r=$((r + 1))
done
grep -c '"code":"ok"' "$tmp/many.jsonl" >/dev/null || echo "warning: the last --targets run had no ok result"

col() { awk -v c="$2" '{ print $c }' "$1" | median; }
echo "rootshift probe vs openssl on a local s_server (EC P-256 chain), medians of $reps runs; ratio > 1: rootshift faster"
printf "(a) one process per probe, %s probes: rootshift" "$n"
printf " %s ms/probe, s_client %s ms/probe, ratio %sx\n" \
  "$(col "$tmp/a" 2)" "$(col "$tmp/a" 3)" "$(col "$tmp/a" 1)"
printf "(b) one process, %s targets: --targets -j1" "$m"
printf " %s/s vs s_time -new %s/s, ratio %sx\n" \
  "$(col "$tmp/b1" 2)" "$(col "$tmp/b1" 3)" "$(col "$tmp/b1" 1)"
printf "                              --targets -j16 %s/s vs s_time -new %s/s, ratio %sx\n" \
  "$(col "$tmp/b16" 2)" "$(col "$tmp/b16" 3)" "$(col "$tmp/b16" 1)"

# 10,000 targets in one run: memory stays bounded because each result is written and freed as it completes.
closed=$(free_port)
"$PY" -c "
import sys
with open(sys.argv[1], 'w') as f:
    for i in range(10000): f.write('127.0.0.1:%s tls\n' % sys.argv[2])
" "$tmp/many" "$closed"
/usr/bin/time -f '%e %M' -o "$tmp/time" "$bin" probe --format jsonl --concurrency 64 --store "$tmp/pki/root.pem" \
  --targets "$tmp/many" >"$tmp/many.out" 2>/dev/null || true
read -r secs rss <<EOT
$(tail -n 1 "$tmp/time")
EOT
echo "10000 targets (refused on loopback), 64 at a time: $(wc -l <"$tmp/many.out") results in ${secs}s, peak RSS ${rss} KiB"
