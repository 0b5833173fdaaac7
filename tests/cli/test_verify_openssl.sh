#!/bin/sh
# test_verify_openssl.sh BINARY SCRATCH: the cross-sign proof on the command line. Given both twins of "Microsoft
# Azure RSA TLS Issuing CA 07" (tests/data/pki: one key, certified by a G2 look-alike and by an MS RSA 2017
# look-alike) as untrusted certificates and one root, `openssl verify` (OpenSSL 3.0) takes the first twin by name
# and fails in one order for each root; rootshift verify finds the path in both. -no-CApath -no-CAstore keep the
# host's store out. Skips (exit 0 with a note) when no openssl command is installed.
bin=$1
pki=data/pki
at=1748736000 # 2025-06-01T00:00:00Z
fail=0
command -v openssl >/dev/null || { echo "skip: no openssl command"; exit 0; }

ossl() { # ROOT TWINS -> 0 when openssl verifies
  openssl verify -no-CApath -no-CAstore -attime $at -CAfile "$pki/$1.pem" -untrusted "$pki/$2.pem" "$pki/leaf.pem" \
    >/dev/null 2>&1
}
rs() {
  "$bin" verify --chain "$pki/leaf.pem" --untrusted "$pki/$2.pem" --store "$pki/$1.pem" --at 2025-06-01 >/dev/null
}
check() { # ROOT TWINS OPENSSL_EXPECTED(0 ok, 1 fails)
  ossl "$1" "$2"; o=$?; [ $o -ne 0 ] && o=1
  rs "$1" "$2"; r=$?
  echo "$1 with $2: openssl $( [ $o = 0 ] && echo verifies || echo fails ), rootshift exit $r"
  if [ "$o" != "$3" ]; then echo "  unexpected: openssl was expected to $( [ "$3" = 0 ] && echo verify || echo fail )"; fail=1; fi
  if [ "$r" != 0 ]; then echo "  unexpected: rootshift must find the path"; fail=1; fi
}
check root_g2 twins_xsign_first 0
check root_g2 twins_ms2017_first 1
check root_ms2017 twins_xsign_first 1
check root_ms2017 twins_ms2017_first 0
exit $fail
