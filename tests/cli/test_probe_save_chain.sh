#!/bin/sh
# test_probe_save_chain.sh BINARY SCRATCH: `probe --save-chain FILE` writes the chain as openssl s_server serves it
# (leaf first, PEM), also when the device's store does not trust it; `--save-chain -` writes it to stdout and the
# report to stderr. Peers on loopback only.
set -eu
bin=$(realpath "$1")
scratch=$2
here=$(pwd)
. "$here/interop/lib.sh"
rm -rf "$scratch"
tmp=$(mktemp -d /tmp/rs-save-XXXXXX)
chmod 755 "$tmp"
trap 'stop_all; rm -rf "$tmp"' EXIT
make_pki "$tmp/pki"
P=$tmp/pki
AT=$("$PY" -c 'import sys, datetime as d
t = d.datetime.strptime(sys.argv[1].split("=", 1)[1].replace("  ", " "), "%b %d %H:%M:%S %Y GMT")
print((t + d.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ"))' "$(openssl x509 -in "$P/leaf.pem" -noout -startdate)")
port=$(free_port)
openssl s_server -accept "127.0.0.1:$port" -www -naccept 100 -cert "$P/leaf.pem" -key "$P/leaf.key" \
  -cert_chain "$P/int.pem" </dev/null >/dev/null 2>&1 &
PIDS="$PIDS $!"
wait_port "$port" || fail "s_server did not start on $port"
fp() { openssl x509 -in "$1" -noout -fingerprint -sha256; }

"$bin" probe --at "$AT" --timeout 5 --protocol tls --store "$P/root.pem" --save-chain "$tmp/chain.pem" \
  "localhost:$port" >"$tmp/out.txt" 2>"$tmp/err" || fail "probe with a trusted root failed: $(cat "$tmp/err")"
[ "$(grep -c 'BEGIN CERTIFICATE' "$tmp/chain.pem")" = 2 ] || fail "the saved chain does not hold 2 certificates"
# the what-ifs end with the verdict word every command uses (issue #19): this chain is not under the profile's roots
grep -q "NOT READY: the profile's new roots do not trust this chain" "$tmp/out.txt" ||
  fail "no what-if verdict in the text: $(cat "$tmp/out.txt")"
"$bin" probe --at "$AT" --timeout 5 --protocol tls --store "$P/root.pem" --format json "localhost:$port" \
  >"$tmp/out.json" 2>"$tmp/err" || fail "probe --format json failed: $(cat "$tmp/err")"
"$PY" -c 'import json, sys; d = json.load(open(sys.argv[1])); assert d["whatif_status"] == "not-ready", d["whatif_status"]' \
  "$tmp/out.json" || fail "whatif_status is not not-ready"
[ "$(fp "$tmp/chain.pem")" = "$(fp "$P/leaf.pem")" ] || fail "the saved chain does not start with the served leaf"
awk 'f; /END CERTIFICATE/ && !f { f = 1 }' "$tmp/chain.pem" >"$tmp/second.pem"
[ "$(fp "$tmp/second.pem")" = "$(fp "$P/int.pem")" ] || fail "the second certificate is not the served intermediate"
openssl verify -attime "$("$PY" -c 'import sys,datetime as d; print(int(d.datetime.strptime(sys.argv[1], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=d.timezone.utc).timestamp()))' "$AT")" \
  -CAfile "$P/root.pem" -untrusted "$tmp/second.pem" "$tmp/chain.pem" >/dev/null || fail "openssl cannot verify the saved chain"
grep -q 'ok' "$tmp/out.txt" || fail "the report is missing from stdout"
echo "ok: --save-chain FILE holds the served leaf and intermediate, and openssl verifies them"

# untrusted: the chain is still saved, exit 1
set +e
"$bin" probe --at "$AT" --timeout 5 --protocol tls --store "$P/other.pem" --save-chain - "localhost:$port" \
  >"$tmp/stdout.pem" 2>"$tmp/err"
rc=$?
set -e
[ $rc = 1 ] || fail "untrusted chain: exit $rc, expected 1"
[ "$(fp "$tmp/stdout.pem")" = "$(fp "$P/leaf.pem")" ] || fail "--save-chain - did not write the leaf to stdout"
grep -q 'cert-untrusted' "$tmp/err" || fail "--save-chain -: the report is not on stderr: $(cat "$tmp/err")"
echo "ok: --save-chain - writes the served chain to stdout even when the store does not trust it"
set +e
"$bin" probe --save-chain - --format json "localhost:$port" >/dev/null 2>&1; rc=$?
set -e
[ $rc = 2 ] || fail "--save-chain - with --format json: exit $rc, expected 2"
echo "ok: --save-chain - with --format json is a usage error"
