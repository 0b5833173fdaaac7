#!/bin/sh
# test_scan_realworld4.sh BINARY SCRATCH: the blind set of the trust calls docs/scan.md's Limits listed (issue #16,
# data/scan/realworld4): BearSSL br_x509_minimal_init, ArduinoBearSSL's BearSSLClient and OPEnSLab's SSLClient
# constructors taking an anchor table, OpenSSL 3's SSL_CTX_load_verify_file/_dir/_store and X509_STORE_load_file with
# the path in a #define or another file's constant, the Azure IoT C SDK's option written as "TrustedCerts". Each case
# is scanned on its own and checked against its EXPECT file (tests/cli/scan_expect.py: the call line, rule,
# severity at 2026-01-01, API and the definition); realworld4-neg (the recommended roots, the whole Mozilla store,
# the OS store's paths, the device's own certificate) gives no warning or error; the exit code follows the
# severities; --jobs 1 gives the same JSON as the default.
set -eu
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
bin=$(realpath "$1")
scratch=$2
rm -rf "$scratch"
mkdir -p "$scratch"
fail() { echo "FAIL: $*"; exit 1; }
at=2026-01-01T00:00:00Z
set --
for d in data/scan/realworld4/*/ data/scan/realworld4-neg/*/; do set -- "$@" "$d"; done
[ $# -ge 24 ] || fail "only $# cases"
"$PY" cli/scan_expect.py "$bin" "$at" "$scratch/cases" "$@" || fail "a case differs from its EXPECT"

# the exit code: 1 when a case expects an error, else 0
for d in "$@"; do
	want=0
	grep -v '^#' "$d/EXPECT" | grep -q ' error ' && want=1
	set +e
	"$bin" scan --at "$at" "$scratch/cases/$(basename "$d")" >/dev/null 2>&1
	rc=$?
	set -e
	[ "$rc" = "$want" ] || fail "$d: exit $rc, wanted $want"
done
echo "exit codes follow the severities"

# the message says which call installs the anchor
"$bin" scan --at "$at" "$scratch/cases/bearssl_minimal_baltimore" >"$scratch/bearssl.txt" || true
grep -q 'installed by .*br_x509_minimal_init' "$scratch/bearssl.txt" || fail "no call in: $(cat "$scratch/bearssl.txt")"
echo "the message names the call"

# the whole set at once, --jobs 1 and the default: the same JSON
"$bin" scan --at "$at" --format json data/scan/realworld4 >"$scratch/all.json" || true
"$bin" scan --at "$at" --format json --jobs 1 data/scan/realworld4 >"$scratch/one.json" || true
cmp -s "$scratch/all.json" "$scratch/one.json" || fail "--jobs 1 differs from the default"
echo "--jobs 1 gives the same JSON"
