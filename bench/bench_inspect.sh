#!/bin/sh
# bench_inspect.sh [BINARY] [BUNDLE]: rootshift inspect against the OpenSSL pipeline that prints the same
# certificates, on the same bundle, in the same run. Prints both medians and their ratio; not a test.
# The machine is shared and noisy: trust the ratio, not one absolute time.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-$here/../build/rootshift}
bundle=${2:-$here/../tests/data/certifi-2025.01.31.pem}
runs=${RUNS:-15}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

time_ns() {
  start=$(date +%s%N)
  sh -c "$1" >/dev/null 2>&1
  end=$(date +%s%N)
  echo $((end - start))
}

ours="'$bin' inspect --at 2025-01-31T00:00:00Z '$bundle'"
ours_json="'$bin' inspect --at 2025-01-31T00:00:00Z --format json '$bundle'"
peer="openssl crl2pkcs7 -nocrl -certfile '$bundle' | openssl pkcs7 -print_certs -text -noout"

for cmd in "$ours" "$ours_json" "$peer"; do sh -c "$cmd" >/dev/null 2>&1; done # warm the cache
: >/tmp/rs-bench-ours; : >/tmp/rs-bench-json; : >/tmp/rs-bench-peer
i=0
while [ $i -lt "$runs" ]; do
  time_ns "$ours" >>/tmp/rs-bench-ours
  time_ns "$ours_json" >>/tmp/rs-bench-json
  time_ns "$peer" >>/tmp/rs-bench-peer
  i=$((i + 1))
done
o=$(median </tmp/rs-bench-ours); j=$(median </tmp/rs-bench-json); p=$(median </tmp/rs-bench-peer)
rm -f /tmp/rs-bench-ours /tmp/rs-bench-json /tmp/rs-bench-peer
n=$(grep -c 'BEGIN CERTIFICATE' "$bundle")
printf 'inspect of %s certificates (%s), median of %s runs\n' "$n" "$(basename "$bundle")" "$runs"
awk -v o="$o" -v j="$j" -v p="$p" 'BEGIN {
  printf "  rootshift inspect (text)      %8.2f ms\n", o / 1e6
  printf "  rootshift inspect (json)      %8.2f ms\n", j / 1e6
  printf "  openssl crl2pkcs7|pkcs7 -text %8.2f ms\n", p / 1e6
  printf "  ratio openssl/rootshift: text %.2fx, json %.2fx (above 1: rootshift is faster)\n", p / o, p / j
}'
