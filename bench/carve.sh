#!/bin/sh
# carve.sh [ROOTSHIFT] [SIZE_MB]: carving speed of `rootshift audit` against binwalk on one blob made from this
# system's shared libraries (at least SIZE_MB, default 128) with known certificates planted in it (the three Azure
# roots as DER after the first half, the certifi 2020.06.20 bundle as PEM at the end: 141 certificates), read from
# the page cache. Prints MB/s for each, the
# ratio, and how many certificates each finds. Not a test: the goal (>= 1 GB/s on one core) lives here.
# binwalk is the Debian package (apt-get install binwalk); without it only rootshift is measured.
set -u
bin=${1:-build/rootshift}
size_mb=${2:-128}
tmp=${TMPDIR:-/tmp}/rootshift-bench-carve
mkdir -p "$tmp"
blob=$tmp/blob.bin

data=tests/data
if [ ! -f "$blob" ] || [ "$(stat -c %s "$blob")" -lt $((size_mb << 20)) ]; then
  : >"$blob"
  planted=0
  for f in /usr/lib/x86_64-linux-gnu/*.so* /usr/lib/*/*.so* /usr/lib/*.so* /usr/bin/*; do
    [ -f "$f" ] && [ ! -L "$f" ] || continue
    cat "$f" >>"$blob"
    if [ $planted = 0 ] && [ "$(stat -c %s "$blob")" -ge $((size_mb << 19)) ]; then
      for r in baltimore_cybertrust_root digicert_global_root_g2 microsoft_rsa_root_ca_2017; do
        openssl x509 -in "$data/$r.pem" -outform DER >>"$blob"
      done
      planted=1
    fi
    [ "$(stat -c %s "$blob")" -ge $((size_mb << 20)) ] && break
  done
  cat "$data/certifi-2020.06.20.pem" >>"$blob"
fi
bytes=$(stat -c %s "$blob")
mb=$(echo "$bytes / 1048576" | bc -l)
cat "$blob" >/dev/null # into the page cache

now() { date +%s.%N; }
rate() { echo "scale=1; $mb / ($2 - $1)" | bc -l; }

"$bin" audit --at 2026-01-01T00:00:00Z --format json "$blob" >/dev/null 2>&1 # warm up
best=
for run in 1 2 3 4 5; do # the best of five: the machine is shared
  t0=$(now)
  "$bin" audit --at 2026-01-01T00:00:00Z --format json "$blob" >"$tmp/rootshift.json" 2>/dev/null
  t1=$(now)
  d=$(echo "$t1 - $t0" | bc -l)
  if [ -z "$best" ] || [ "$(echo "$d < $best" | bc -l)" = 1 ]; then best=$d; fi
done
t0=0
t1=$best
rs_rate=$(rate "$t0" "$t1")
rs_found=$(grep -c '"encoding": "carved-' "$tmp/rootshift.json")
printf 'blob: %s, %.0f MB from shared libraries and binaries\n' "$blob" "$mb"
printf 'rootshift audit: %6.2f s  %8.1f MB/s  %d certificates (carved locations; best of 5 runs)\n' "$(echo "$t1 - $t0" | bc -l)" "$rs_rate" "$rs_found"

if command -v binwalk >/dev/null 2>&1; then
  t0=$(now)
  binwalk "$blob" >"$tmp/binwalk.txt" 2>/dev/null
  t1=$(now)
  bw_rate=$(rate "$t0" "$t1")
  bw_found=$(grep -ci 'certificate' "$tmp/binwalk.txt")
  printf 'binwalk:         %6.2f s  %8.1f MB/s  %d certificate signatures (one run)\n' "$(echo "$t1 - $t0" | bc -l)" "$bw_rate" "$bw_found"
  printf 'ratio: rootshift is %.1fx the speed of binwalk\n' "$(echo "$rs_rate / $bw_rate" | bc -l)"
else
  echo "binwalk: not installed (apt-get install binwalk), no ratio"
fi
