#!/bin/sh
# test_scan_realworld3.sh BINARY SCRATCH: the blind set of embedded C trust anchors and pins (data/scan/realworld3,
# issue #16): Azure IoT C SDK OPTION_TRUSTED_CERT with certs/certs.c, ESP-IDF EMBED_TXTFILES and asm() symbols,
# esp-tls, esp-mqtt 4 and 5, Zephyr tls_credential_add with a generated .der.inc, FreeRTOS pRootCa, NetX Secure,
# OpenSSL (X509_STORE_add_cert through a BIO, a CA file by name), wolfSSL, mbed TLS, a BearSSL brssl ta table,
# Arduino setCACert/X509List/setFingerprint, a bare base64 SPKI pin across C files, a root table no call installs.
# Each case is scanned on its own and checked against its EXPECT file (tests/cli/scan_expect.py: the call line,
# rule, severity at 2026-01-01, API and the definition); realworld3-neg gives no warning or error; the exit code
# follows the severities; the Azure C SDK variants agree with audit on the same certificates; SARIF relates the call
# and the definition; --jobs 1 gives the same JSON as the default.
set -eu
. cli/lib/blind_set.sh
blind_set_init "$@"
blind_set_check realworld3 25

# scan agrees with audit on the Azure C SDK's certs.c: Baltimore alone, all three roots, G2 alone
for v in baltimore:not-ready:error full:ready:none g2only:partial:warning; do
	c=${v%%:*} rest=${v#*:}
	st=${rest%%:*} sev=${rest#*:}
	got=$("$bin" audit --at "$at" --format json "data/scan/realworld3/azure_c_sdk_$c/certs/certs.c" |
	      "$PY" -c 'import json,sys; print(json.load(sys.stdin)["verdict"]["status"])') || true
	[ "$got" = "$st" ] || fail "audit of azure_c_sdk_$c: $got, wanted $st"
	got=$("$bin" scan --at "$at" --format json "$scratch/cases/azure_c_sdk_$c" | "$PY" -c '
import json, sys
f = [x["severity"] for x in json.load(sys.stdin)["findings"] if x["severity"] in ("error", "warning")]
print(f[0] if len(f) == 1 else "none" if not f else "many")') || true
	[ "$got" = "$sev" ] || fail "scan of azure_c_sdk_$c: $got, wanted $sev (audit: $st)"
done
echo "scan agrees with audit on certs.c (not-ready: error, ready: nothing, partial: warning)"

# SARIF: the call and the definition point at each other
"$bin" scan --at "$at" --format sarif "$scratch/cases/espidf_ota_embed" >"$scratch/ota.sarif" || true
"$PY" - "$scratch/ota.sarif" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["runs"][0]["results"]
assert len(r) == 1, r
res = r[0]
assert res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("main/hub_ota.c"), res
rel = res["relatedLocations"]
assert rel[0]["physicalLocation"]["artifactLocation"]["uri"].endswith("server_certs/ca_cert.pem"), rel
PY
echo "SARIF relates the call and the embedded file"
