#!/bin/sh
# test_bundle.sh BINARY SCRATCH: every bundle format round-trips. Each is written from certifi 2025.01.31 at
# 2025-06-01 and read back by `rootshift audit --format json`: exactly the chosen roots (certificates by SHA-256,
# ESP-IDF and BearSSL anchors by catalog identity and SPKI SHA-256); `bundle --check` proves each. The C outputs
# compile with gcc -Wall -Wextra -Werror and a program loads the PEM string with OpenSSL and parses each DER array;
# the hashed directory has the names `openssl x509 -subject_hash` and `openssl rehash` give and works with
# `openssl verify -no-CAfile -no-CAstore -CApath`. Steps needing gcc or openssl are skipped with a note without them.
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
s=$2
PY=/usr/bin/python3
at=2025-06-01
src=data/certifi-2025.01.31.pem
G2=cb3ccbb76031e5e0138f8dd39a23f9de47ffc35e43c1144cea27d46a5ab1cb5f
MS=c741f70f4b2a8d88bf2e71c14122ef53ef10eba0cfa5e64cfa20f418853073e0
G2_SPKI=8bb593a93be1d0e8a822bb887c547890c3e706aad2dab76254f97fb36b82fc26
MS_SPKI=b2f7298b52bf2c3cac4ddfe72de4d682ac58957595982f2b62301af597c699c5
fail=0
rm -rf "$s" && mkdir -p "$s" || exit 2

ck() { # ACTUAL EXPECTED WHAT
  if [ "$1" = "$2" ]; then echo "ok   $3"; else echo "FAIL $3"; echo "  got:      $1"; echo "  expected: $2"; fail=1; fi
}

# The anchors audit reads back, one "sha256 X" or "name-key KNOWN SPKI" line each, sorted.
anchors() {
  "$bin" audit --at $at --format json "$1" | $PY -c '
import json, sys
d = json.load(sys.stdin)
out = []
for a in d["anchors"]:
    if a["form"] == "certificate":
        out.append("sha256 " + a["sha256"])
    else:
        out.append("name-key %s %s" % (a["known"], a["spki_sha256"]))
print(" ".join(sorted(out)))'
}

certs_expected=$(printf 'sha256 %s\n' $G2 $MS | sort | tr '\n' ' ' | sed 's/ $//')
names_expected="name-key digicert-global-root-g2 $G2_SPKI name-key microsoft-rsa-root-ca-2017 $MS_SPKI"

write() { # FORMAT OUT [more options]
  f=$1; o=$2; shift 2
  "$bin" bundle --from $src --at $at --format "$f" -o "$o" "$@" >"$s/$f.log" 2>&1 || { echo "FAIL write $f"; cat "$s/$f.log"; fail=1; }
}

write pem "$s/bundle.pem"
write der-dir "$s/der"
write pem-dir "$s/pemdir"
write hashed-dir "$s/hashed"
write c-pem "$s/certs.c"
write c-der "$s/roots.c"
write esp-idf "$s/x509_crt_bundle"
write esp-idf "$s/x509_crt_bundle_legacy" --esp-idf-legacy
write bearssl "$s/trust_anchors.h"

for o in bundle.pem der pemdir hashed certs.c roots.c; do
  ck "$(anchors "$s/$o")" "$certs_expected" "audit reads back exactly G2 and MS RSA 2017 from $o"
done
for o in x509_crt_bundle x509_crt_bundle_legacy trust_anchors.h; do
  ck "$(anchors "$s/$o")" "$names_expected" "audit reads $o as the catalog's G2 and MS RSA 2017 by name and key"
done
for o in bundle.pem der pemdir hashed certs.c roots.c x509_crt_bundle x509_crt_bundle_legacy trust_anchors.h; do
  "$bin" bundle --check "$s/$o" --at $at >"$s/check.log" 2>&1
  ck "$? $(head -c 5 "$s/check.log")" "0 READY" "bundle --check $o"
done

# Every output says what it holds and which profile made it.
for o in bundle.pem der/rootshift-bundle.txt pemdir/rootshift-bundle.txt hashed/rootshift-bundle.txt certs.c certs.h \
         roots.c roots.h x509_crt_bundle.txt trust_anchors.h; do
  n=0
  for pat in "profile azure-iot" "SHA-256 $G2" "SHA-256 $MS" "valid 2013-08-01T12:00:00Z to 2038-01-15T12:00:00Z"; do
    grep -q "$pat" "$s/$o" && n=$((n + 1))
  done
  ck "$n" 4 "$o names the profile, both SHA-256 and G2's validity"
done

# ESP-IDF layouts: current = u32 LE offset table (first offset 4*n), legacy = u16 BE count.
ck "$(od -An -tu4 -N4 "$s/x509_crt_bundle" | tr -d ' ')" 8 "esp-idf current layout starts with offset 4*2"
ck "$(od -An -tx1 -N2 "$s/x509_crt_bundle_legacy" | tr -d ' ')" 0002 "esp-idf legacy layout starts with count 2 (big-endian)"

# C outputs compile and load.
if command -v gcc >/dev/null; then
  if gcc -std=c11 -Wall -Wextra -Werror -I"$s" -o "$s/load_roots" cli/bundle/load_roots.c "$s/certs.c" "$s/roots.c" -lcrypto \
       2>"$s/gcc.log"; then
    ck "$("$s/load_roots" | tr '\n' ' ')" "pem $G2 pem $MS der $G2 der $MS " "c-pem loads with OpenSSL, each c-der array parses"
  else
    echo "FAIL c-pem and c-der compile with gcc -Wall -Wextra -Werror"; cat "$s/gcc.log"; fail=1
  fi
  if gcc -std=c11 -Wall -Wextra -Werror -Icli/bundle -I"$s" -o "$s/use_tas" cli/bundle/use_tas.c 2>"$s/gcc2.log"; then
    ck "$("$s/use_tas" | tr '\n' ' ')" "0 1 99 1 1 103 " "the BearSSL header compiles (BearSSL's types) and holds 2 RSA anchors"
  else
    echo "FAIL the BearSSL header compiles"; cat "$s/gcc2.log"; fail=1
  fi
else
  echo "skip: no gcc"
fi

# Hashed directory: the names OpenSSL gives, and a working CApath.
if command -v openssl >/dev/null; then
  h_g2=$(openssl x509 -noout -subject_hash -in data/digicert_global_root_g2.pem)
  h_ms=$(openssl x509 -noout -subject_hash -in data/microsoft_rsa_root_ca_2017.pem)
  ck "$(cd "$s/hashed" && ls | grep -v '\.txt$' | tr '\n' ' ')" "$(printf '%s\n' "$h_g2.0" "$h_ms.0" | sort | tr '\n' ' ')" \
    "hashed-dir names are openssl x509 -subject_hash .0"
  mkdir -p "$s/rehash" && cp "$s/pemdir/"*.crt "$s/rehash/" && openssl rehash "$s/rehash" 2>/dev/null
  ck "$(cd "$s/rehash" && ls | grep -v '\.crt$' | tr '\n' ' ')" "$(cd "$s/hashed" && ls | grep -v '\.txt$' | tr '\n' ' ')" \
    "hashed-dir names equal what openssl rehash makes of pem-dir"
  v() { openssl verify -no-CAfile -no-CAstore -CApath "$s/hashed" -attime "$1" "data/intermediates/$2.pem" >/dev/null 2>&1; echo $?; }
  ck "$(v 1748736000 microsoft_azure_rsa_tls_issuing_ca_07_xsign) $(v 1748736000 microsoft_azure_rsa_tls_issuing_ca_07)" "0 0" \
    "openssl verify -CApath hashed-dir: both twins of Azure RSA TLS Issuing CA 07"
  ck "$(v 1709251200 microsoft_rsa_tls_ca_1)" 2 "openssl verify -CApath hashed-dir: Microsoft RSA TLS CA 01 (Baltimore) fails"
else
  echo "skip: no openssl command"
fi

# Audit's verdict on each written bundle: ready (G2 and Microsoft RSA 2017, after the old root expired).
for o in bundle.pem der pemdir hashed certs.c roots.c x509_crt_bundle x509_crt_bundle_legacy trust_anchors.h; do
  "$bin" audit --at $at "$s/$o" >/dev/null 2>&1
  ck $? 0 "audit says ready for $o"
done

# Without --from, the system store (here one unpacked under data/audit/sysroot) is the source.
"$bin" bundle --system-root data/audit/sysroot --at $at --format pem -o "$s/system.pem" >"$s/system.log" 2>&1
ck "$? $(anchors "$s/system.pem")" "0 $certs_expected" "bundle from the system store under --system-root"

# A directory output must be new or empty.
"$bin" bundle --from $src --at $at --format pem-dir -o "$s/pemdir" >/dev/null 2>"$s/err"
ck "$? $(grep -c 'is not empty' "$s/err")" "2 1" "pem-dir refuses a directory that is not empty"
exit $fail
