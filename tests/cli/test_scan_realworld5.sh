#!/bin/sh
# test_scan_realworld5.sh BINARY SCRATCH: the blind set of C/C++/embedded stacks the earlier sets did not cover
# (issue #16, data/scan/realworld5): Mbed OS TLSSocket/TLSSocketWrapper, nRF Connect SDK modem_key_mgmt_write and
# tls_credential_add, cellular modems driven by AT commands (Quectel, SIMCom, u-blox), Eclipse Paho C and C++,
# libmosquitto, libwebsockets, Mongoose, Boost.Asio, Qt (CA list and digest pins), Poco, libcurl
# CURLOPT_CAINFO_BLOB, MicroPython and NodeMCU Lua. Each case is scanned on its own and checked against its EXPECT
# file (tests/cli/scan_expect.py: the call line, rule, severity at 2026-01-01, API and the definition);
# realworld5-neg (the recommended roots, the device's own certificate, a private CA, the OS store) gives no warning
# or error; the exit code follows the severities; --jobs 1 gives the same JSON as the default.
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
for d in data/scan/realworld5/*/ data/scan/realworld5-neg/*/; do set -- "$@" "$d"; done
[ $# -ge 30 ] || fail "only $# cases"
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
"$bin" scan --at "$at" "$scratch/cases/mosquitto_tls_set_baltimore" >"$scratch/mosq.txt" || true
grep -q 'installed by .*mosquitto_tls_set' "$scratch/mosq.txt" || fail "no call in: $(cat "$scratch/mosq.txt")"
echo "the message names the call"

# the whole set at once, --jobs 1 and the default: the same JSON
"$bin" scan --at "$at" --format json data/scan/realworld5 >"$scratch/all.json" || true
"$bin" scan --at "$at" --format json --jobs 1 data/scan/realworld5 >"$scratch/one.json" || true
cmp -s "$scratch/all.json" "$scratch/one.json" || fail "--jobs 1 differs from the default"
echo "--jobs 1 gives the same JSON"
