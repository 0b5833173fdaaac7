#!/bin/sh
# bench_probe.sh [BINARY]: probes per second against a local TLS server (openssl s_server -www on loopback),
# rootshift probe --targets against a loop of `openssl s_client` doing the same handshakes, in the same run;
# then 10,000 targets in one run (closed ports on loopback, refused at once) with the peak RSS. Not a test.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-$here/../build/rootshift}
n=${N:-200}
PY=/usr/bin/python3; [ -x "$PY" ] || PY=python3
. "$here/../tests/interop/lib.sh"
tmp=$(mktemp -d /tmp/rs-bench-probe-XXXXXX)
trap 'stop_all; rm -rf "$tmp"' EXIT
make_pki "$tmp/pki"
port=$(free_port)
openssl s_server -accept "127.0.0.1:$port" -www -naccept 100000 -cert "$tmp/pki/leaf.pem" -key "$tmp/pki/leaf.key" \
  -cert_chain "$tmp/pki/int.pem" </dev/null >/dev/null 2>&1 &
PIDS="$PIDS $!"
wait_port "$port"

i=0; : >"$tmp/targets"
while [ $i -lt "$n" ]; do echo "localhost:$port tls" >>"$tmp/targets"; i=$((i + 1)); done

ms() { echo $(( $(date +%s%N) / 1000000 )); }
t0=$(ms)
"$bin" probe --format jsonl --concurrency 1 --store "$tmp/pki/root.pem" --targets "$tmp/targets" >/dev/null 2>&1 || true
t1=$(ms)
"$bin" probe --format jsonl --concurrency 8 --store "$tmp/pki/root.pem" --targets "$tmp/targets" >/dev/null 2>&1 || true
t2=$(ms)
i=0
while [ $i -lt "$n" ]; do
  openssl s_client -connect "127.0.0.1:$port" -servername localhost -CAfile "$tmp/pki/root.pem" -no-CApath -no-CAstore \
    -verify_return_error </dev/null >/dev/null 2>&1 || true
  i=$((i + 1))
done
t3=$(ms)
a1=$((t1 - t0)); b1=$((t2 - t1)); c1=$((t3 - t2))
awk -v n="$n" -v a=$a1 -v b=$b1 -v c=$c1 'BEGIN {
  printf "%d TLS probes of a local s_server (handshake + chain verification)\n", n
  printf "  rootshift probe --targets, 1 at a time   %7.1f probes/s\n", n * 1000 / a
  printf "  rootshift probe --targets, 8 at a time   %7.1f probes/s\n", n * 1000 / b
  printf "  openssl s_client in a loop                %7.1f probes/s\n", n * 1000 / c
  printf "  ratio rootshift (1 at a time) / s_client loop: %.2fx\n", c / a
}'

# testssl.sh (Debian package testssl.sh, not installed by install-deps) on the same host, once: it checks far
# more than a probe does, so this is the cost of the heavyweight peer for "is this endpoint's chain OK?".
if command -v testssl >/dev/null 2>&1; then
  t0=$(ms)
  timeout 600 testssl --quiet --color 0 --warnings off -S --add-ca "$tmp/pki/root.pem" "127.0.0.1:$port" \
    >/dev/null 2>&1 || true
  t1=$(ms)
  awk -v a=$((t1 - t0)) -v n="$n" -v r=$a1 'BEGIN {
    printf "  testssl.sh -S on the same host, once        %7.1f s (one rootshift probe: %.1f ms)\n", a / 1000, r / n
  }'
else
  echo "  testssl.sh not installed: apt-get install testssl.sh to compare with it"
fi

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
