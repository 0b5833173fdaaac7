#!/bin/sh
# coverage.sh: builds rootshift with gcov instrumentation in build-cov, runs every test, and prints the line
# coverage of each top folder (lib/, lab/, fleet/, cli/), then of each module of lib/. Exits with ctest's status.
# Usage: sh scripts/coverage.sh [ctest arguments, e.g. -R unit]
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)
dir=build-cov
jobs=$(nproc 2>/dev/null || echo 2)
cmake -S . -B "$dir" -DRS_COVERAGE=ON -DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build "$dir" -j "$jobs" >/dev/null
find "$dir" -name '*.gcda' -delete
status=0
ctest --test-dir "$dir" -j "$jobs" "$@" >"$dir/ctest.log" 2>&1 || status=$?
tail -n 3 "$dir/ctest.log"
# gcov -n prints, per source, "File '...'" then "Lines executed:P% of N"; sum the lines over the project's sources.
find "$dir" -name '*.gcda' | while read -r gcda; do
  (cd "$(dirname "$gcda")" && gcov -n "$(basename "$gcda")" 2>/dev/null)
done | awk -v top="$top/" '
  /^File / { f = $2; gsub(/\047/, "", f); sub("^" top, "", f); next }
  /^Lines executed:/ {
    if (f == "" || f ~ /^\// || f ~ /^build/ || f ~ /^tests\// || f ~ /^fuzz\// || f ~ /^bench\// || f ~ /\.h$/) { f = ""; next }
    split($0, a, /[:% ]+/); pct = a[3]; n = a[5]
    if (seen[f]++) { f = ""; next }   # one count per source: the first object that compiled it
    split(f, parts, "/"); d = parts[1] "/"; hit[d] += pct * n / 100; all[d] += n
    if (parts[1] == "lib") { m = "lib/" parts[2] "/"; hit[m] += pct * n / 100; all[m] += n }
    f = ""
  }
  END { for (d in all) printf "%-16s %5.1f%%  (%d of %d lines)\n", d, 100 * hit[d] / all[d], hit[d] + 0.5, all[d] }
' | sort
exit "$status"
