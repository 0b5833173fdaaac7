#!/bin/sh
# test_cli_review.sh BINARY SCRATCH: issue #19 tried as a new user would, with material the other tests do not use,
# and what that review fixed.
# - One verdict for one store in every form it takes: PEM with text around it, DER, an OpenSSL hashed directory,
#   PKCS#7 (PEM and DER), PKCS#12 without a password, a Java JKS truststore (when keytool is installed), NSS
#   certdata.txt, certifi, duplicates, a leaf among the roots, an empty file: audit and bundle --check say the same
#   word with the same exit status.
# - --json is named as given in errors; lab status/migrate --json print indented JSON.
# - Fleet files: a wrong value names itself, the words allowed and the nearest; a wrong schema is refused.
# - --profile WORD loads a file of that name when no built-in profile has it.
# - bundle --format esp-idf -o - writes the bundle file, byte for byte the one -o FILE writes.
# - probe --protocol tls says it sent no credentials; --save-chain keeps a 3-certificate chain as served.
# Peers on loopback only; time pinned with --at.
bin=$(realpath "$1")
S=$2
here=$(pwd)
rm -rf "$S" && mkdir -p "$S" || exit 2
. "$here/cli/lib/lab.sh"
LAB=$S/lab
AT=2024-01-01T00:00:00Z
SPID=
trap 'stop_lab; [ -n "$SPID" ] && kill $SPID 2>/dev/null; wait 2>/dev/null' EXIT
word() { sed -n '1s/^\(READY\|PARTIAL\|NOT READY\):.*/\1/p' "$1"; }

# ---- one verdict for one store, whatever its form ----
D=$S/stores
mkdir -p "$D/hashed"
cat data/digicert_global_root_g2.pem data/microsoft_rsa_root_ca_2017.pem >"$D/g2ms.pem"
{ echo "Trust store exported by a device tool"; openssl x509 -in data/digicert_global_root_g2.pem -text
  echo "-- next --"; openssl x509 -in data/microsoft_rsa_root_ca_2017.pem -text; echo "end of export"; } >"$D/text.pem"
openssl x509 -in data/digicert_global_root_g2.pem -outform der -out "$D/g2.der"
cp data/digicert_global_root_g2.pem data/microsoft_rsa_root_ca_2017.pem "$D/hashed/"
openssl rehash "$D/hashed" 2>/dev/null || c_rehash "$D/hashed" >/dev/null 2>&1
openssl crl2pkcs7 -nocrl -certfile "$D/g2ms.pem" -out "$D/g2ms.p7b"
openssl crl2pkcs7 -nocrl -certfile "$D/g2ms.pem" -outform der -out "$D/g2ms-der.p7b"
openssl pkcs12 -export -nokeys -in "$D/g2ms.pem" -passout pass: -out "$D/g2ms.p12" 2>/dev/null
# a Java trust store as keytool (JDK 9+) and ca-certificates-java write it: PKCS#12 under the public default
# password "changeit", read without --password-file
openssl pkcs12 -export -nokeys -in "$D/g2ms.pem" -passout pass:changeit -out "$D/g2ms-changeit.p12" 2>/dev/null
cat "$D/g2ms.pem" "$D/g2ms.pem" >"$D/dup.pem"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$D/leaf.key" -subj /CN=device \
  -addext basicConstraints=critical,CA:FALSE -days 30 -out "$D/leaf.pem" 2>/dev/null
cat "$D/g2ms.pem" "$D/leaf.pem" >"$D/with-leaf.pem"
cat "$D/g2ms.pem" data/baltimore_cybertrust_root.pem >"$D/all3.pem"
: >"$D/empty.pem"
stores="$D/g2ms.pem $D/text.pem $D/g2.der $D/hashed $D/g2ms.p7b $D/g2ms-der.p7b $D/g2ms.p12 $D/g2ms-changeit.p12 $D/dup.pem
  $D/with-leaf.pem $D/all3.pem $D/empty.pem data/baltimore_cybertrust_root.pem data/nss-3.114-certdata.txt
  data/certifi-2020.04.05.2.pem data/certifi-2025.01.31.pem"
if command -v keytool >/dev/null 2>&1; then
  for a in g2:data/digicert_global_root_g2.pem ms:data/microsoft_rsa_root_ca_2017.pem; do
    keytool -importcert -noprompt -alias "${a%%:*}" -file "${a#*:}" -keystore "$D/cacerts.jks" -storetype JKS \
      -storepass changeit >/dev/null 2>&1
  done
  for a in g2:data/digicert_global_root_g2.pem ms:data/microsoft_rsa_root_ca_2017.pem; do
    keytool -importcert -noprompt -alias "${a%%:*}" -file "${a#*:}" -keystore "$D/cacerts.p12" -storetype PKCS12 \
      -storepass changeit >/dev/null 2>&1
  done
  stores="$stores $D/cacerts.jks $D/cacerts.p12"
fi
for at in 2024-06-01T00:00:00Z 2026-01-02T00:00:00Z; do
  for st in $stores; do
    "$bin" audit --at $at "$st" >"$S/a.txt" 2>&1; arc=$?
    "$bin" bundle --check "$st" --at $at >"$S/b.txt" 2>&1; brc=$?
    a=$(word "$S/a.txt"); b=$(word "$S/b.txt")
    check "$(basename "$st") at $at: audit '$a' ($arc), bundle --check '$b' ($brc)" \
      test -n "$a" -a "$a $arc" = "$b $brc"
  done
done
# the same words every form gives for the same roots: G2 + Microsoft 2017 after the window is READY
for st in $D/text.pem $D/hashed $D/g2ms-der.p7b $D/g2ms.p12 $D/g2ms-changeit.p12 $D/dup.pem $D/with-leaf.pem \
  $(ls "$D/cacerts.p12" 2>/dev/null); do
  "$bin" audit --at 2026-01-02T00:00:00Z "$st" >"$S/a.txt" 2>&1
  check "$(basename "$st") holds G2 and Microsoft 2017: READY" test "$(word "$S/a.txt")" = READY
done
"$bin" audit --at 2026-01-02T00:00:00Z "$D/empty.pem" >"$S/a.txt" 2>&1; rc=$?
check "an empty store is NOT READY, exit 1" test "$(word "$S/a.txt") $rc" = "NOT READY 1"

# ---- --json as given; JSON errors ----
"$bin" lab init "$S/nolab" --json >"$S/j.out" 2>"$S/j.err"; rc=$?
check "lab init --json: exit 2" test $rc = 2
check "lab init --json: the error names --json as given" grep -q "'--json'" "$S/j.err"
check "lab init --json: not the internal --format=json" not grep -q "format=json" "$S/j.err" "$S/j.out"
check "lab init --json: the error is JSON on stdout" "$PY" -c '
import json, sys; d = json.load(open(sys.argv[1])); assert d["error"]["code"] == "usage"' "$S/j.out"
"$bin" version --json >"$S/j.out" 2>"$S/j.err"
check "version --json: the error names --json" grep -q "unexpected argument '--json'" "$S/j.err"

# a directory where a file is expected: exit 2, an "io" error said as such, whatever the option
for args in "probe --json --targets $D/hashed" "scan --json --baseline $D/hashed data/g2_ms2017.pem" \
  "rehearse --json $D/hashed --lab $S/nolab" "inspect --json --password-file $D/hashed $D/g2ms.p12"; do
  # shellcheck disable=SC2086
  "$bin" $args >"$S/j.out" 2>"$S/j.err"; rc=$?
  check "$args: exit 2, JSON io error naming the directory" "$PY" -c '
import json, sys; d = json.load(open(sys.argv[1])); e = d["error"]
assert sys.argv[2] == "2" and e["code"] == "io" and "is a directory, not a file" in e["message"], (sys.argv[2], e)' \
    "$S/j.out" "$rc"
done
"$bin" verify --chain "$D/hashed" --store "$D/g2ms.pem" >"$S/v.out" 2>"$S/v.err"; rc=$?
check "verify --chain DIR: exit 2 (a directory has no order)" test $rc = 2
check "verify --chain DIR: said why" grep -q "is a directory: give the served chain as one file" "$S/v.err"

# ---- fleet files: values named, schema checked ----
FL=$S/fleet
mkdir -p "$FL"
fleet() {
  printf '{ "schema": "%s", "seed": "r", "duration": 7200,\n  "classes": [ { "name": "a", "count": 2, "store": "lab:recommended", "sdk": "%s" } ],\n  "schedule": [ { "at": 2400, "action": "%s" } ] }\n' "$1" "$2" "$3"
}
fleet rootshift/fleet/1 c migrat >"$FL/action.json"
fleet rootshift/fleet/1 rust migrate >"$FL/sdk.json"
fleet rootshift/fleet/2 c migrate >"$FL/schema.json"
fleet rootshift/profile/1 c migrate >"$FL/profile.json"
for f in action sdk schema profile; do
  "$bin" rehearse "$FL/$f.json" --lab "$S/nolab" >"$S/f.out" 2>"$S/f.$f"; rc=$?
  check "fleet $f: exit 2" test $rc = 2
done
check "fleet: a wrong action is named, with the words allowed and the nearest" grep -q \
  "invalid fleet file '$FL/action.json': schedule\[0\].action 'migrat' is not one of migrate, revert, disconnect (did you mean 'migrate'?)" \
  "$S/f.action"
check "fleet: a wrong sdk lists the SDKs" grep -q "classes\[0\].sdk 'rust' is not one of c, node, dotnet, java, python" "$S/f.sdk"
check "fleet: another schema version is refused" grep -q '"schema" must be "rootshift/fleet/1", not .rootshift/fleet/2.' "$S/f.schema"
check "fleet: a profile given as a fleet is refused" grep -q "not 'rootshift/profile/1'" "$S/f.profile"

# ---- --profile WORD: a file of that name ----
cp ../profiles/azure-iot.json "$S/plant7"
(cd "$S" && "$bin" audit --profile plant7 --at 2026-01-02T00:00:00Z "$here/data/g2_ms2017.pem") >"$S/p.out" 2>"$S/p.err"
check "--profile plant7 (a file, no .json) loads it" grep -q '^READY: ' "$S/p.out"
sed 's/"recommended": \[/"recomended": [/' ../profiles/azure-iot.json >"$S/plant8"
(cd "$S" && "$bin" profiles plant8) >/dev/null 2>"$S/p.err"; rc=$?
check "profiles plant8 (a file with a typo): exit 2 naming the key" test $rc = 2
check "profiles plant8: the key and the nearest" grep -q "invalid profile 'plant8': unknown key 'recomended'.*did you mean 'recommended'" "$S/p.err"
(cd "$S" && "$bin" profiles nope) >/dev/null 2>"$S/p.err"; rc=$?
check "profiles nope (no file, no built-in): exit 2, the built-in names" grep -q "built-in profiles: azure-iot" "$S/p.err"

# ---- bundle --format esp-idf -o - ----
"$bin" bundle --format esp-idf -o "$S/esp.bin" --from data/certifi-2025.01.31.pem --at 2026-01-02T00:00:00Z \
  >/dev/null 2>&1
"$bin" bundle --format esp-idf -o - --from data/certifi-2025.01.31.pem --at 2026-01-02T00:00:00Z \
  >"$S/esp-stdout.bin" 2>"$S/esp.err"; rc=$?
check "esp-idf -o -: exit 0" test $rc = 0
check "esp-idf -o -: the same bytes as -o FILE" cmp "$S/esp.bin" "$S/esp-stdout.bin"
check "esp-idf -o -: the summary on stderr" grep -q '^bundle for azure-iot at 2026-01-02T00:00:00Z: 2 roots' "$S/esp.err"
"$bin" bundle --format c-pem -o - --from data/certifi-2025.01.31.pem --at 2026-01-02T00:00:00Z >"$S/c.out" 2>&1
check "c-pem -o -: still refused (two files)" test $? = 2

# ---- probe of s_server with a 3-certificate chain ----
P=$S/pki
mkdir -p "$P"
cat >"$P/ext.cnf" <<'CNF'
[ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
[leaf]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1
CNF
key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$P/$1.key" 2>/dev/null; }
sign() { # sign NAME CN ISSUER EXT
  key "$1"
  openssl req -new -key "$P/$1.key" -subj "/CN=$2" -out "$P/$1.csr" 2>/dev/null
  openssl x509 -req -in "$P/$1.csr" -CA "$P/$3.pem" -CAkey "$P/$3.key" -CAcreateserial -days 300 -sha256 \
    -extfile "$P/ext.cnf" -extensions "$4" -out "$P/$1.pem" 2>/dev/null
}
key root
openssl req -x509 -new -key "$P/root.key" -subj "/CN=review root" -days 365 -sha256 -extensions ca \
  -config "$P/ext.cnf" -out "$P/root.pem" 2>/dev/null
sign int1 "review intermediate 1" root ca
sign int2 "review intermediate 2" int1 ca
sign leaf localhost int2 leaf
cat "$P/int2.pem" "$P/int1.pem" >"$P/chain.pem"
PAT=$("$PY" -c 'import sys, datetime as d
t = d.datetime.strptime(sys.argv[1].split("=", 1)[1].replace("  ", " "), "%b %d %H:%M:%S %Y GMT")
print((t + d.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ"))' "$(openssl x509 -in "$P/leaf.pem" -noout -startdate)")
port=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
openssl s_server -accept "127.0.0.1:$port" -www -naccept 20 -cert "$P/leaf.pem" -key "$P/leaf.key" \
  -cert_chain "$P/chain.pem" </dev/null >/dev/null 2>&1 &
SPID=$!
i=0
while ! "$PY" -c "import socket; socket.create_connection(('127.0.0.1', $port), 0.2).close()" 2>/dev/null; do
  i=$((i + 1)); [ $i -gt 100 ] && break; sleep 0.1
done
"$bin" probe --at "$PAT" --timeout 5 --protocol tls --store "$P/root.pem" --save-chain "$S/saved.pem" \
  "localhost:$port" >"$S/probe.txt" 2>"$S/probe.err"; rc=$?
check "probe --protocol tls of a 3-certificate chain: ok, exit 0" test $rc = 0
check "probe --protocol tls: says no credentials were sent" grep -q "sends no credentials" "$S/probe.txt"
check "probe --protocol tls: does not claim credentials were accepted" not grep -q "accepted the credentials" "$S/probe.txt"
cat "$P/leaf.pem" "$P/int2.pem" "$P/int1.pem" >"$S/served.pem"
check "--save-chain: the 3 certificates as served, leaf first" cmp "$S/served.pem" "$S/saved.pem"
"$bin" probe --at "$PAT" --timeout 5 --protocol tls --store "$P/root.pem" --format json "localhost:$port" \
  >"$S/probe.json" 2>/dev/null
check "probe --protocol tls JSON: the meaning says no credentials" "$PY" -c '
import json, sys; d = json.load(open(sys.argv[1])); assert "no credentials" in d["result"]["meaning"], d["result"]' \
  "$S/probe.json"

# ---- lab status, migrate --json: indented ----
BIN=$bin
"$bin" lab init "$LAB" --seed review --at "$AT" --fast-keys >/dev/null 2>&1
start_lab "$LAB" "$S/lab.log" --at "$AT" >/dev/null
for c in "status" "migrate --to new" "revert"; do
  # shellcheck disable=SC2086
  "$bin" lab $c "$LAB" --json >"$S/st.json" 2>"$S/st.err"; rc=$?
  check "lab $c --json: exit 0" test $rc = 0
  check "lab $c --json: indented (first line '{', members on their own lines)" \
    test "$(sed -n 1p "$S/st.json")" = "{" -a "$(sed -n 2p "$S/st.json")" = '  "schema": "rootshift/lab-status/1",'
  check "lab $c --json: one valid document" "$PY" -c 'import json, sys; json.load(open(sys.argv[1]))' "$S/st.json"
done
check "lab migrate then revert: the hub serves old" grep -q '"hub_chain": "old"' "$S/st.json"
"$bin" lab revert "$LAB" --to new >"$S/rv.out" 2>"$S/rv.err"; rc=$?
check "lab revert --to new: exit 2 (revert goes back to the old chain; migrate --to picks one)" test $rc = 2
"$bin" lab status "$LAB" --json >"$S/st.json" 2>&1
check "lab revert --to new: the lab still serves old" grep -q '"hub_chain": "old"' "$S/st.json"
exit $((fails > 0))
