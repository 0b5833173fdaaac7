#!/bin/sh
# scan.sh [ROOTSHIFT] [SIZE_MB] [JOBS]: `rootshift scan` against ripgrep on the same trees, from the page cache.
#  1. a generated source-like tree of SIZE_MB (default 1024) under $TMPDIR (bench/scan_tree.py: C headers with
#     pins, name checks and near-misses planted); ripgrep searches it for the fingerprint pattern, separated forms
#     included; rootshift runs every rule (and the embedded-anchor extractors) over it;
#  2. a blob of this system's shared libraries (128 MB, as bench/carve.sh makes it): ripgrep -a with the same
#     pattern against rootshift's printable-run rules plus carving.
# Both use JOBS threads (default 2). Prints MB/s for each, the ratio and what each found. Not a test. ripgrep is
# the Debian package ripgrep. The tree is never committed; delete $TMPDIR/rootshift-bench-scan when done.
set -u
bin=${1:-build/rootshift}
size_mb=${2:-1024}
jobs=${3:-2}
tmp=${TMPDIR:-/tmp}/rootshift-bench-scan
PY=/usr/bin/python3
tree=$tmp/tree-$size_mb
mkdir -p "$tmp"
pattern='[0-9a-fA-F]{40}|[0-9a-fA-F]{64}|([0-9a-fA-F]{2}[: -]){19}[0-9a-fA-F]{2}|(0x[0-9a-fA-F]{2},\s*){19}0x[0-9a-fA-F]{2}'
command -v rg >/dev/null || { echo "scan.sh: ripgrep (rg) is not installed" >&2; exit 2; }

if [ ! -d "$tree" ]; then
  echo "generating $size_mb MB under $tree ..."
  "$PY" bench/scan_tree.py "$tree" "$size_mb" || exit 2
fi
now() { date +%s.%N; }
best() { # best of three wall times of "$@", output to $tmp/out
  b=
  for _ in 1 2 3; do
    t0=$(now); "$@" >"$tmp/out" 2>/dev/null; t1=$(now)
    t=$(echo "$t1 - $t0" | bc -l)
    if [ -z "$b" ] || [ "$(echo "$t < $b" | bc -l)" = 1 ]; then b=$t; fi
  done
  echo "$b"
}
report() { # name MB rg_seconds rs_seconds rg_count rs_count
  printf '%s: %.0f MB\n' "$1" "$2"
  printf '  ripgrep -j%s (pattern only):   %6.2f s  %7.1f MB/s  %s matching lines\n' "$jobs" "$3" "$(echo "$2 / $3" | bc -l)" "$5"
  printf '  rootshift scan --jobs %s:      %6.2f s  %7.1f MB/s  %s findings\n' "$jobs" "$4" "$(echo "$2 / $4" | bc -l)" "$6"
  printf '  ratio: rootshift runs at %.2fx ripgrep'\''s speed\n' "$(echo "$3 / $4" | bc -l)"
}

mb=$(du -sb "$tree" | awk '{printf "%.0f", $1 / 1048576}')
cat "$(find "$tree" -type f | head -1)" >/dev/null; find "$tree" -type f -exec cat {} + >/dev/null # page cache
rg_t=$(best rg -j"$jobs" -c -e "$pattern" "$tree"); rg_n=$(awk -F: '{s += $NF} END {print s + 0}' "$tmp/out")
rs_t=$(best "$bin" scan --at 2026-01-01T00:00:00Z --format json --jobs "$jobs" "$tree"); rs_n=$(grep -c '"rule"' "$tmp/out")
report "source-like tree $tree" "$mb" "$rg_t" "$rs_t" "$rg_n" "$rs_n"

blob=$tmp/blob.bin
if [ ! -f "$blob" ]; then
  : >"$blob"
  for f in /usr/lib/x86_64-linux-gnu/*.so* /usr/lib/*/*.so* /usr/bin/*; do
    [ -f "$f" ] && [ ! -L "$f" ] || continue
    cat "$f" >>"$blob"
    [ "$(stat -c %s "$blob")" -ge $((128 << 20)) ] && break
  done
fi
bmb=$(echo "$(stat -c %s "$blob") / 1048576" | bc -l)
cat "$blob" >/dev/null
rg_t=$(best rg -a -j"$jobs" -c -e "$pattern" "$blob"); rg_n=$(cat "$tmp/out")
rs_t=$(best "$bin" scan --at 2026-01-01T00:00:00Z --format json "$blob"); rs_n=$(grep -c '"rule"' "$tmp/out")
report "binary blob $blob (one file: one thread each)" "$bmb" "$rg_t" "$rs_t" "$rg_n" "$rs_n"
