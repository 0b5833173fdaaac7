#!/bin/sh
# scan.sh [ROOTSHIFT] [SIZE_MB] [JOBS]: `rootshift scan` against ripgrep on the same trees, from the page cache,
# each with its defaults: ripgrep without -j and rootshift without --jobs (both then use every online CPU), unless
# JOBS is given, when both get it (rg -jJOBS, rootshift --jobs JOBS).
#  1. a generated source-like tree of SIZE_MB (default 1024) under $TMPDIR (bench/scan_tree.py: C headers with
#     pins, name checks and near-misses planted); ripgrep searches it for the fingerprint pattern, separated forms
#     included; rootshift runs every rule (and the embedded-anchor extractors) over it;
#  2. a blob of this system's shared libraries (128 MB, as bench/carve.sh makes it): ripgrep -a with the same
#     pattern against rootshift's printable-run rules plus carving.
# Each command runs three times, alternating, and its best CPU time (user + sys,
# from GNU time) and best wall time are kept: on a shared machine CPU time is the steadier measure, and the ratio
# is taken on it. Prints MB/s for each, the ratios and what each found. Not a test. ripgrep is the Debian package
# ripgrep, GNU time the package time. The tree is never committed; delete $TMPDIR/rootshift-bench-scan when done.
set -u
bin=${1:-build/rootshift}
size_mb=${2:-1024}
jobs=${3:-}
rg_j= rs_j= jobs_shown=default
[ -n "$jobs" ] && rg_j=-j$jobs rs_j="--jobs $jobs" jobs_shown=$jobs
tmp=${TMPDIR:-/tmp}/rootshift-bench-scan
PY=/usr/bin/python3
tree=$tmp/tree-$size_mb
mkdir -p "$tmp"
pattern='[0-9a-fA-F]{40}|[0-9a-fA-F]{64}|([0-9a-fA-F]{2}[: -]){19}[0-9a-fA-F]{2}|(0x[0-9a-fA-F]{2},\s*){19}0x[0-9a-fA-F]{2}'
command -v rg >/dev/null || { echo "scan.sh: ripgrep (rg) is not installed" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "scan.sh: GNU time (/usr/bin/time) is not installed" >&2; exit 2; }

if [ ! -d "$tree" ]; then
  echo "generating $size_mb MB under $tree ..."
  "$PY" bench/scan_tree.py "$tree" "$size_mb" || exit 2
fi
min() { if [ -z "$1" ] || [ "$(echo "$2 < $1" | bc -l)" = 1 ]; then echo "$2"; else echo "$1"; fi; }
run() { # NAME COMMAND...: one run, output to $tmp/out.NAME; keeps NAME's best cpu and wall seconds
  n=$1; shift
  /usr/bin/time -f '%U %S %e' -o "$tmp/time" "$@" >"$tmp/out.$n" 2>/dev/null
  set -- $(tail -n 1 "$tmp/time") # GNU time says first when the exit status is not 0
  u=$1 s=$2 e=$3
  eval "cpu_$n=\$(min \"\${cpu_$n:-}\" \"\$(echo "$u + $s" | bc -l)\")"
  eval "wall_$n=\$(min \"\${wall_$n:-}\" \"$e\")"
}
report() { # NAME MB RG_COUNT RS_JOBS RS_COUNT (and cpu_rg, wall_rg, cpu_rs, wall_rs)
  printf '%s: %.0f MB\n' "$1" "$2"
  printf '  ripgrep, threads %s (pattern only):  cpu %6.2f s %7.1f MB/s   wall %6.2f s %7.1f MB/s  %s matching lines\n' \
    "$jobs_shown" "$cpu_rg" "$(echo "$2 / $cpu_rg" | bc -l)" "$wall_rg" "$(echo "$2 / $wall_rg" | bc -l)" "$3"
  printf '  rootshift scan, jobs %s:     cpu %6.2f s %7.1f MB/s   wall %6.2f s %7.1f MB/s  %s findings\n' \
    "$4" "$cpu_rs" "$(echo "$2 / $cpu_rs" | bc -l)" "$wall_rs" "$(echo "$2 / $wall_rs" | bc -l)" "$5"
  printf '  ratio: rootshift runs at %.2fx ripgrep'\''s speed in CPU time (%.2fx in wall time)\n' \
    "$(echo "$cpu_rg / $cpu_rs" | bc -l)" "$(echo "$wall_rg / $wall_rs" | bc -l)"
}

mb=$(du -sbL "$tree" | awk '{printf "%.0f", $1 / 1048576}')
cat "$(find "$tree" -type f | head -1)" >/dev/null; find "$tree" -type f -exec cat {} + >/dev/null # page cache
cpu_rg= wall_rg= cpu_rs= wall_rs=
for _ in 1 2 3; do
  run rg rg $rg_j -c -e "$pattern" "$tree"
  run rs "$bin" scan --at 2026-01-01T00:00:00Z --format json $rs_j "$tree"
done
rg_n=$(awk -F: '{s += $NF} END {print s + 0}' "$tmp/out.rg"); rs_n=$(grep -c '"rule"' "$tmp/out.rs")
report "source-like tree $tree" "$mb" "$rg_n" "$jobs_shown" "$rs_n"

blob=$tmp/blob.bin
if [ ! -f "$blob" ]; then
  : >"$blob"
  for f in /usr/lib/x86_64-linux-gnu/*.so* /usr/lib/*/*.so* /usr/bin/*; do
    [ -f "$f" ] && [ ! -L "$f" ] || continue
    cat "$f" >>"$blob"
    [ "$(stat -c %s "$blob")" -ge $((128 << 20)) ] && break
  done
  truncate -s 128M "$blob" # the last library overshoots: exactly 128 MB
fi
bmb=$(echo "$(stat -L -c %s "$blob") / 1048576" | bc -l)
cat "$blob" >/dev/null
cpu_rg= wall_rg= cpu_rs= wall_rs=
for _ in 1 2 3; do
  run rg rg -a $rg_j -c -e "$pattern" "$blob"
  run rs "$bin" scan --at 2026-01-01T00:00:00Z --format json $rs_j "$blob"
done
rg_n=$(cat "$tmp/out.rg"); rs_n=$(grep -c '"rule"' "$tmp/out.rs")
report "binary blob $blob (one file; rootshift splits it across its jobs)" "$bmb" "$rg_n" "$jobs_shown" "$rs_n"
