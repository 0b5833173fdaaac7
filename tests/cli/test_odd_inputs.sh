#!/bin/sh
# test_odd_inputs.sh BINARY SCRATCH: the stores engineers really have, in the forms they really come in, give the
# same verdict word as the plain PEM: a path with spaces, DER, PKCS#7 (DER and PEM), CRLF PEM, an OpenSSL hashed
# directory (c_rehash: symbolic links beside the files, each root counted once), a device's C source, and
# standard input ('-') for every command that reads a store or a bundle: audit, bundle --check, bundle --from,
# verify --store, scan. Real roots from tests/data (Debian ca-certificates; see tests/data/README.md).
bin=$(realpath "$1")
S=$2
D=$(pwd)/data
rm -rf "$S" && mkdir -p "$S/my stores/hashed dir" || exit 2
fails=0
check() { if "$@"; then echo "ok   $*"; else echo "FAIL $*"; fails=$((fails + 1)); fi; }
AT=--at=2026-01-02T00:00:00Z
word() { sed -n '1s/^\(READY\|PARTIAL\|NOT READY\):.*/\1/p'; }
M="$S/my stores"
cp "$D/g2_ms2017.pem" "$M/g2 ms2017.pem"
openssl x509 -in "$D/digicert_global_root_g2.pem" -outform der -out "$M/g2.der"
openssl crl2pkcs7 -nocrl -certfile "$M/g2 ms2017.pem" -outform der -out "$M/g2 ms2017.p7b"
openssl crl2pkcs7 -nocrl -certfile "$M/g2 ms2017.pem" -out "$M/g2 ms2017.p7b.pem"
sed 's/$/\r/' "$M/g2 ms2017.pem" >"$M/g2 ms2017 crlf.pem"
cp "$D/digicert_global_root_g2.pem" "$D/microsoft_rsa_root_ca_2017.pem" "$M/hashed dir/"
(cd "$M/hashed dir" && for f in *.pem; do ln -s "$f" "$(openssl x509 -in "$f" -noout -subject_hash).0"; done)
{ echo '/* gateway trust store, firmware 1.4 */'; echo 'const char certificates[] ='
  sed 's/^/"/; s/$/\\r\\n"/' "$D/baltimore_cybertrust_root.pem"; echo ';'; } >"$M/gateway certs.c"

# expect FILE WORD: audit and bundle --check agree on the word, from the path and from standard input
expect() {
  a=$("$bin" audit $AT "$1" 2>/dev/null | word)
  b=$("$bin" bundle --check "$1" $AT 2>/dev/null | word)
  check [ "$(basename "$1"): $a/$b" = "$(basename "$1"): $2/$2" ]
  if [ -f "$1" ]; then
    a=$("$bin" audit $AT - <"$1" 2>/dev/null | word)
    b=$("$bin" bundle --check - $AT <"$1" 2>/dev/null | word)
    check [ "$(basename "$1") on stdin: $a/$b" = "$(basename "$1") on stdin: $2/$2" ]
  fi
}
expect "$M/g2 ms2017.pem" READY
expect "$M/g2.der" PARTIAL
expect "$M/g2 ms2017.p7b" READY
expect "$M/g2 ms2017.p7b.pem" READY
expect "$M/g2 ms2017 crlf.pem" READY
expect "$M/hashed dir" READY
expect "$M/gateway certs.c" "NOT READY"
n=$("$bin" audit $AT --format json "$M/hashed dir" | sed -n 's/^  "count": \([0-9]*\),$/\1/p')
check [ "hashed dir anchors: $n" = "hashed dir anchors: 2" ]
"$bin" bundle --check - $AT <"$M/g2.der" | head -n 1 | grep -q "^PARTIAL: standard input for azure-iot" ||
  check false "bundle --check - names standard input"

# bundle --from -: the roots picked from a bundle on standard input, written to standard output
"$bin" bundle --format pem -o - --from - $AT <"$D/certifi-2025.01.31.pem" >"$S/out.pem" 2>/dev/null
check [ "$(grep -c 'BEGIN CERTIFICATE' "$S/out.pem")" = 2 ]
# verify --store -: the chain against a store on standard input
"$bin" verify $AT --chain "$D/intermediates/microsoft_azure_rsa_tls_issuing_ca_03_xsign.pem" --store - \
  <"$D/digicert_global_root_g2.pem" >"$S/verify.txt" 2>&1
"$bin" verify $AT --chain "$D/intermediates/microsoft_azure_rsa_tls_issuing_ca_03_xsign.pem" --store - \
  <"$D/baltimore_cybertrust_root.pem" >"$S/verify-balt.txt" 2>&1
check grep -q '^verdict: valid at' "$S/verify.txt"
check grep -q '^verdict: NOT VALID' "$S/verify-balt.txt"
# scan -: standard input is one file, named (stdin)
printf 'client.setFingerprint("B0 C2 D2 D1 3C DD 56 CD AA 6A B6 E2 C0 44 40 BE 4A 42 9C 75");\n' |
  "$bin" scan $AT - >"$S/scan.txt" 2>&1
check grep -q '^(stdin):1:24: error: .*\[pin-intermediate' "$S/scan.txt"
# A rehearsal of the device's C store (real Baltimore only), the fleet file beside it in the working directory: the
# advice names the store as written in the fleet file (no "./"), spaces and all, with G2's SHA-1.
"$bin" lab init "$S/lab" --seed odd-inputs --at 2026-01-01T00:00:00Z --fast-keys >/dev/null 2>&1 || check false "lab init"
cat >"$S/fleet.json" <<JSON
{ "schema": "rootshift/fleet/1", "seed": "odd", "duration": 7200, "ramp": 300,
  "classes": [ { "name": "gateway", "count": 2, "store": "my stores/gateway certs.c" } ],
  "schedule": [ { "at": 3600, "action": "migrate" } ] }
JSON
(cd "$S" && "$bin" rehearse fleet.json --lab lab --at 2026-01-02T00:00:00Z >rehearse.txt 2>rehearse.err)
check [ $? -eq 1 ]
check grep -q '^    next: add DigiCert Global Root G2 (SHA-1 df3c...) to my stores/gateway certs.c\.$' "$S/rehearse.txt"
check grep -q '^NOT READY: ' "$S/rehearse.txt"
echo "$fails failed"
[ $fails -eq 0 ]
