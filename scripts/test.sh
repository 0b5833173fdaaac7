#!/bin/sh
# test.sh: builds rootshift twice (a normal build with warnings as errors, and an AddressSanitizer +
# UndefinedBehaviorSanitizer build) and runs every test in both. Exits non-zero on any failure.
set -eu
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)

run() {
  dir=$1; shift
  echo "== $dir: configure and build"
  cmake -S . -B "$dir" -DRS_WERROR=ON "$@" >/dev/null
  cmake --build "$dir" -j "$jobs"
  echo "== $dir: test"
  ctest --test-dir "$dir" --output-on-failure -j "$jobs"
}

run build -DCMAKE_BUILD_TYPE=RelWithDebInfo
(
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  run build-asan -DCMAKE_BUILD_TYPE=Debug -DRS_SANITIZE=ON
)
