#!/bin/sh
# test_check_endpoints.sh BINARY SCRATCH: `check --endpoints` probes a profile's concrete endpoints with the
# store it audited: a local TLS server whose root the store lacks is a failure (exit 1); a closed port only says
# that the network cannot reach it. Hosts are on loopback; the profile is a copy of a built-in one.
set -eu
bin=$(realpath "$1")
here=$(pwd)
. "$here/interop/lib.sh"
tmp=$(mktemp -d /tmp/rs-check-XXXXXX)
trap 'stop_all; rm -rf "$tmp"' EXIT
make_pki "$tmp/pki"
closed=$(free_port)
profile() { # FILE PORT
  "$PY" - "$here/../profiles/azure-iot.json" "$1" "$2" <<'PYEOF'
import json, sys
p = json.load(open(sys.argv[1]))
p["id"] = "loopback"
p["endpoints"] = [{"service": "iot-hub", "protocol": "mqtt", "host": "127.0.0.1", "port": int(sys.argv[3])},
                  {"service": "iot-hub", "protocol": "mqtt", "host": "*.azure-devices.net", "port": 8883}]
json.dump(p, open(sys.argv[2], "w"))
PYEOF
}
profile "$tmp/closed.json" "$closed"
set +e
"$bin" check --endpoints --profile "$tmp/closed.json" --system-root data/audit/sysroot --at 2025-06-01T00:00:00Z >"$tmp/out" 2>&1
rc=$?
set -e
grep -q "^endpoints (TLS with this store, verify policy webpki):" "$tmp/out" || fail "closed: the policy is not named"
grep -q "127.0.0.1 .*tcp-refused" "$tmp/out" || fail "closed: no tcp-refused line: $(cat "$tmp/out")"
grep -q "the network cannot reach any endpoint from here" "$tmp/out" || fail "closed: not said plainly"
grep -q "azure-devices.net" "$tmp/out" && fail "a wildcard endpoint was probed"
[ $rc = 0 ] || fail "closed: exit $rc (the store is ready; an unreachable network is no failure)"

port=$(free_port)
openssl s_server -accept "127.0.0.1:$port" -www -naccept 100 -cert "$tmp/pki/leaf.pem" -key "$tmp/pki/leaf.key" \
  -cert_chain "$tmp/pki/int.pem" </dev/null >/dev/null 2>&1 &
PIDS="$PIDS $!"
wait_port "$port" || fail "s_server did not start"
profile "$tmp/served.json" "$port"
set +e
"$bin" check --endpoints --format json --profile "$tmp/served.json" --system-root data/audit/sysroot \
  --at 2026-01-01T00:00:00Z >"$tmp/out.json" 2>&1
rc=$?
set -e
[ $rc = 1 ] || fail "served: exit $rc, expected 1 (the store does not trust the server's root)"
"$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); e=d["endpoints"]; assert len(e) == 1 and e[0]["code"] == "cert-untrusted", e; assert d["policy"] == "webpki", d["policy"]' "$tmp/out.json"
echo ok
