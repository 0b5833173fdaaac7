#!/bin/sh
# coverage.sh: builds rootshift with gcov instrumentation in build-cov, runs every test, and prints the line
# coverage of each top folder (lib/, lab/, fleet/, cli/), then of each module of lib/. Exits with ctest's status.
# Usage: sh scripts/coverage.sh [--check] [--files] [--report-only] [ctest arguments, e.g. -R unit]
#   --check        exit 1 when lib/ is under 90% or lab/ or fleet/ under 80% (also RS_COVERAGE_CHECK=1)
#   --files        also print every source under 100%, the most lines left uncovered first
#   --report-only  no build and no run: report on the counts the last run left in build-cov
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)
dir=build-cov
jobs=$(nproc 2>/dev/null || echo 2)
check=${RS_COVERAGE_CHECK:-0}
files=0
run=1
while [ $# -gt 0 ]; do
  case $1 in
    --check) check=1 ;;
    --files) files=1 ;;
    --report-only) run=0 ;;
    *) break ;;
  esac
  shift
done
status=0
if [ "$run" = 1 ]; then
  # libgcov's complaints (a test that runs the binary as an unprivileged user cannot write the counts; a build step
  # that runs an instrumented tool older than its objects) go to a file anyone may append to, not to the stderr the
  # tests compare.
  mkdir -p "$dir"
  : >"$dir/gcov-errors.log"
  chmod 666 "$dir/gcov-errors.log"
  GCOV_ERROR_FILE=$top/$dir/gcov-errors.log
  export GCOV_ERROR_FILE
  cmake -S . -B "$dir" -DRS_COVERAGE=ON -DCMAKE_BUILD_TYPE=Debug >/dev/null
  cmake --build "$dir" -j "$jobs" >/dev/null
  find "$dir" -name '*.gcda' -delete
  : >"$dir/gcov-errors.log"
  ctest --test-dir "$dir" -j "$jobs" "$@" >"$dir/ctest.log" 2>&1 ||
    status=$?
  tail -n 3 "$dir/ctest.log"
  [ ! -s "$dir/gcov-errors.log" ] ||
    echo "note: $(wc -l <"$dir/gcov-errors.log") libgcov messages (counts a run could not write) in $dir/gcov-errors.log"
fi
# The sources counted: the C files of the four folders (tests, fuzz targets, benches, headers and generated files
# are not). A source compiled into more than one object (the static and shared library's object library, a test that
# compiles a source of its own) is counted once, line by line: gcov -t prints every object's annotated source, a line
# is executable when some object has code on it and executed when some object ran it. Every object is read, run or
# not (gcov on the .gcno: a source no test reached counts with all its lines unexecuted).
find lib lab fleet cli -name '*.c' | sort >"$dir/coverage-sources.txt"
find "$dir" -name '*.gcno' | sort | xargs gcov -t 2>/dev/null >"$dir/coverage-lines.txt" || true
awk -v top="$top/" -v files="$files" -v check="$check" '
  FNR == NR { want[$0] = 1; next }
  {
    n = index($0, ":"); count = substr($0, 1, n - 1); rest = substr($0, n + 1)
    m = index(rest, ":"); line = substr(rest, 1, m - 1) + 0; text = substr(rest, m + 1)
    gsub(/[ *]/, "", count)
    if (line == 0) {
      if (text ~ /^Source:/) { f = substr(text, 8); sub("^" top, "", f); if (!(f in want)) f = "" }
      next
    }
    if (f == "" || count == "-") next
    k = f SUBSEP line
    if (!(k in exe)) { exe[k] = 1; all[f]++ }
    if (count ~ /^[0-9]+$/ && count > 0 && !(k in ran)) { ran[k] = 1; hit[f]++ }
  }
  END {
    for (f in all) {
      split(f, parts, "/"); d = parts[1] "/"; H[d] += hit[f]; A[d] += all[f]
      if (parts[1] == "lib") { m = "lib/" parts[2] "/"; H[m] += hit[f]; A[m] += all[f] }
    }
    for (d in A) printf "%-16s %5.1f%%  (%d of %d lines)\n", d, 100 * H[d] / A[d], H[d], A[d] | "sort"
    close("sort")
    for (f in all)
      if (files && hit[f] < all[f])
        printf "%5d uncovered  %-28s %5.1f%%  (%d of %d lines)\n", all[f] - hit[f], f, 100 * hit[f] / all[f],
          hit[f], all[f] | "sort -rn"
    close("sort -rn")
    if (check) {
      low = ""
      if (100 * H["lib/"] < 90 * A["lib/"]) low = low " lib/ < 90%"
      if (100 * H["lab/"] < 80 * A["lab/"]) low = low " lab/ < 80%"
      if (100 * H["fleet/"] < 80 * A["fleet/"]) low = low " fleet/ < 80%"
      if (low != "") { print "coverage check failed:" low; exit 1 }
      print "coverage check passed: lib/ >= 90%, lab/ >= 80%, fleet/ >= 80%"
    }
  }
' "$dir/coverage-sources.txt" "$dir/coverage-lines.txt" || status=1
exit "$status"
