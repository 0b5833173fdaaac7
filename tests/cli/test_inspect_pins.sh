#!/bin/sh
# test_inspect_pins.sh BINARY SCRATCH: inspect's SPKI pins (sha256//BASE64, the form of curl --pinnedpubkey, OkHttp
# and Android) match what openssl computes, `openssl x509 -pubkey | openssl pkey -pubin -outform der | openssl dgst
# -sha256 -binary | base64`, for every certificate of the certifi bundle (RSA and EC keys) and a P-256 device cert.
bin=$(realpath "$1")
S=$2
rm -rf "$S" && mkdir -p "$S" || exit 2
fails=0
cat data/certifi-2025.01.31.pem data/forms/device.pem >"$S/all.pem"
# one file a certificate, in order
awk -v dir="$S" '/-----BEGIN CERTIFICATE-----/ { n++; f = sprintf("%s/c%03d.pem", dir, n) } f { print > f }
  /-----END CERTIFICATE-----/ { close(f); f = "" }' "$S/all.pem"
for f in "$S"/c*.pem; do
  printf 'sha256//%s\n' "$(openssl x509 -in "$f" -pubkey -noout | openssl pkey -pubin -outform der |
    openssl dgst -sha256 -binary | base64)"
done >"$S/openssl.txt"
"$bin" inspect --at 2025-01-31T00:00:00Z "$S/all.pem" | sed -n 's/^  spki pin *//p' >"$S/text.txt"
"$bin" inspect --at 2025-01-31T00:00:00Z --format json "$S/all.pem" |
  /usr/bin/python3 -c 'import json, sys; [print(c["spki_pin"]) for c in json.load(sys.stdin)["certificates"]]' >"$S/json.txt"
n=$(wc -l <"$S/openssl.txt")
if [ "$n" -ne 151 ]; then echo "FAIL: openssl gave $n pins, expected 151"; fails=$((fails + 1)); fi
if cmp -s "$S/openssl.txt" "$S/text.txt"; then echo "ok   text pins match openssl ($n)"; else
  echo "FAIL text pins differ from openssl"; diff "$S/openssl.txt" "$S/text.txt" | head; fails=$((fails + 1)); fi
if cmp -s "$S/openssl.txt" "$S/json.txt"; then echo "ok   JSON spki_pin matches openssl ($n)"; else
  echo "FAIL JSON pins differ from openssl"; diff "$S/openssl.txt" "$S/json.txt" | head; fails=$((fails + 1)); fi
exit $((fails > 0))
