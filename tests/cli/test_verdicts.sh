#!/bin/sh
# test_verdicts.sh BINARY SCRATCH: one verdict vocabulary (issue #19). audit and bundle --check give the same word
# (READY, PARTIAL, NOT READY) and the same exit status on a G2-only store, a Baltimore-only store and a G2 +
# Microsoft RSA 2017 store, inside and after the migration window; and `bundle --format pem -o -` writes PEM that
# openssl reads back, with the old root kept inside the window.
bin=$(realpath "$1")
S=$2
rm -rf "$S" && mkdir -p "$S" || exit 2
fails=0
check() { if "$@"; then echo "ok   $*"; else echo "FAIL $*"; fails=$((fails + 1)); fi; }
word() { sed -n '1s/^\(READY\|PARTIAL\|NOT READY\):.*/\1/p' "$1"; }

for at in 2023-06-01T00:00:00Z 2026-01-02T00:00:00Z; do
  for store in digicert_global_root_g2 baltimore_cybertrust_root g2_ms2017; do
    "$bin" audit --at $at data/$store.pem >"$S/a.txt" 2>&1; arc=$?
    "$bin" bundle --check data/$store.pem --at $at >"$S/b.txt" 2>&1; brc=$?
    a=$(word "$S/a.txt"); b=$(word "$S/b.txt")
    check [ -n "$a" ] && check [ "$store $at: audit $a ($arc)" = "$store $at: audit $b ($brc)" ]
  done
done
# the words themselves, at 2026-01-02 (after the window): G2 alone partial, Baltimore alone not ready, both ready
"$bin" audit --at 2026-01-02T00:00:00Z data/digicert_global_root_g2.pem | head -1 >"$S/w1"
"$bin" bundle --check data/baltimore_cybertrust_root.pem --at 2026-01-02T00:00:00Z | head -1 >"$S/w2"
"$bin" bundle --check data/g2_ms2017.pem --at 2026-01-02T00:00:00Z | head -1 >"$S/w3"
check grep -q '^PARTIAL: ' "$S/w1"
check grep -q '^NOT READY: ' "$S/w2"
check grep -q '^READY: ' "$S/w3"

# pipes: the PEM on stdout reads back with openssl, the summary on stderr
"$bin" bundle --format pem -o - --from data/certifi-2025.01.31.pem --at 2026-01-02T00:00:00Z >"$S/out.pem" 2>"$S/out.err"
check [ $? -eq 0 ]
n=$(openssl crl2pkcs7 -nocrl -certfile "$S/out.pem" | openssl pkcs7 -print_certs -noout | grep -c '^subject=')
check [ "$n" = 2 ]
check grep -q '^bundle for azure-iot at 2026-01-02T00:00:00Z: 2 roots' "$S/out.err"
# inside the migration window the old root is kept without --keep-old
"$bin" bundle --format pem -o - --from data/certifi-2025.01.31.pem --at 2024-03-01T00:00:00Z >"$S/win.pem" 2>/dev/null
n=$(openssl crl2pkcs7 -nocrl -certfile "$S/win.pem" | openssl pkcs7 -print_certs -noout | grep -c 'Baltimore')
check [ "$n" -ge 1 ]
exit $((fails > 0))
