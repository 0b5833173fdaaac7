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
. cli/lib/blind_set.sh
blind_set_init "$@"
blind_set_check realworld5 30

# the message says which call installs the anchor
"$bin" scan --at "$at" "$scratch/cases/mosquitto_tls_set_baltimore" >"$scratch/mosq.txt" || true
grep -q 'installed by .*mosquitto_tls_set' "$scratch/mosq.txt" || fail "no call in: $(cat "$scratch/mosq.txt")"
echo "the message names the call"
