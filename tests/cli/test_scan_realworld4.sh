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
. cli/lib/blind_set.sh
blind_set_init "$@"
blind_set_check realworld4 24

# the message says which call installs the anchor
"$bin" scan --at "$at" "$scratch/cases/bearssl_minimal_baltimore" >"$scratch/bearssl.txt" || true
grep -q 'installed by .*br_x509_minimal_init' "$scratch/bearssl.txt" || fail "no call in: $(cat "$scratch/bearssl.txt")"
echo "the message names the call"
