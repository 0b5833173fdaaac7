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
  # nothing a test starts may outlive it: a server left running is a leak no test can see from inside
  left=$(leftovers "$dir")
  [ -z "$left" ] || { sleep 2; left=$(leftovers "$dir"); }
  if [ -n "$left" ]; then
    echo "== $dir: processes the tests left running:"
    echo "$left"
    exit 1
  fi
}

# leftovers DIR: the processes whose command line names this checkout's DIR (its binaries, its tests' scratch)
leftovers() {
  ps -eo pid=,args= | grep -F "$(pwd)/$1/" | grep -v -e 'grep -F' || true
}

# The gateway build: one statically linked rootshift; it must link and run.
echo "== build-static: configure, build and smoke-test"
cmake -S . -B build-static -DRS_STATIC=ON -DRS_TESTS=OFF -DRS_WERROR=ON -DCMAKE_BUILD_TYPE=MinSizeRel >/dev/null
# (glibc warns that getaddrinfo in a static binary loads its NSS modules at run time: documented in the README)
cmake --build build-static -j "$jobs" >build-static/build.log 2>&1 || { cat build-static/build.log; exit 1; }
build-static/rootshift --version
build-static/rootshift inspect --at 2026-01-01T00:00:00Z --known-only tests/data/certifi-2025.01.31.pem | grep -q 'DigiCert Global Root G2'
# libsquashfs linked in: a SquashFS root file system read from inside
build-static/rootshift audit --at 2026-01-01T00:00:00Z fuzz/corpus/audit/rootfs-xz.sqfs |
  grep -q 'Baltimore CyberTrust Root .*rootfs-xz.sqfs!/etc/ssl/certs/ca.pem'
# libext2fs linked in: an ext4 root file system, and one inside a GPT disk image
build-static/rootshift audit --at 2026-01-01T00:00:00Z fuzz/corpus/audit/rootfs.ext4 |
  grep -q 'Baltimore CyberTrust Root .*rootfs.ext4!/etc/ssl/certs/ca.pem'
build-static/rootshift audit --at 2026-01-01T00:00:00Z fuzz/corpus/audit/sdcard-gpt.img.gz |
  grep -q 'Baltimore CyberTrust Root .*sdcard-gpt.img!p1!/etc/ssl/certs/ca.pem'
echo "static build: ok ($(wc -c <build-static/rootshift) bytes)"

run build -DCMAKE_BUILD_TYPE=RelWithDebInfo
(
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  run build-asan -DCMAKE_BUILD_TYPE=Debug -DRS_SANITIZE=ON
)

