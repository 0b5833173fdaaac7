#!/bin/sh
# test_probe_hangup.sh BINARY SCRATCH: servers that end badly never kill the probe. A TLS server that hangs up
# right after the handshake (FIN, and RST) for every protocol, one that accepts and never speaks, one that sends
# garbage: each gives exit 0 or 1 and a JSON result with a code, never a signal (SIGPIPE was exit 141). A
# --targets file mixing them with a closed port gives every result and exits 1.
set -eu
bin=$(realpath "$1")
scratch=$2
here=$(pwd)
. "$here/interop/lib.sh"
rm -rf "$scratch"
tmp=$(mktemp -d /tmp/rs-hangup-XXXXXX)
trap 'stop_all; rm -rf "$tmp"' EXIT
make_pki "$tmp/pki"
P=$tmp/pki
AT=$("$PY" -c 'import sys, datetime as d
t = d.datetime.strptime(sys.argv[1].split("=", 1)[1].replace("  ", " "), "%b %d %H:%M:%S %Y GMT")
print((t + d.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ"))' "$(openssl x509 -in "$P/leaf.pem" -noout -startdate)")
CS='HostName=lab.azure-devices.net;DeviceId=device1;SharedAccessSignature=SharedAccessSignature sr=x&sig=abcd&se=1'

start_server() { # MODE: sets $port
  port=$(free_port)
  "$PY" "$here/interop/hangup_server.py" "$1" "$port" "$P/chain.pem" "$P/leaf.key" >/dev/null 2>&1 &
  PIDS="$PIDS $!"
  wait_port "$port" || fail "hangup_server $1 did not start"
}

# expect_code PATTERN STAGE-PATTERN ARGS...: the probe's exit is 0 or 1 (never a signal) and its JSON result code
# and stage match the shell patterns.
expect_code() {
  want=$1 stage_want=$2; shift 2
  set +e
  timeout 20 "$bin" probe --at "$AT" --timeout 3 --format json --store "$P/root.pem" "$@" >"$tmp/out.json" 2>"$tmp/err"
  rc=$?
  set -e
  [ $rc -le 1 ] || fail "probe $*: exit $rc (a signal or an error): $(cat "$tmp/err")"
  got=$("$PY" -c 'import json,sys; r=json.load(open(sys.argv[1]))["result"]; print(r["code"], r["stage"])' "$tmp/out.json" 2>/dev/null || echo "none none")
  # shellcheck disable=SC2254
  case "${got% *}" in $want) ;; *) fail "probe $*: got '$got' (exit $rc), expected '$want': $(cat "$tmp/err")" ;; esac
  # shellcheck disable=SC2254
  case "${got#* }" in $stage_want) ;; *) fail "probe $*: stage '${got#* }', expected '$stage_want'" ;; esac
  echo "ok: $got (exit $rc) <- $*"
}

start_server fin; fin=$port
start_server rst; rst=$port
start_server silent; silent=$port
start_server garbage; garbage=$port
for port in "$fin" "$rst"; do
  # The handshake completed and the chain verified before the hang-up: the answer for --protocol tls is ok.
  expect_code ok done --protocol tls "localhost:$port"
  expect_code closed-by-peer 'after-*' --protocol mqtt --connection-string "$CS" --connect-to "127.0.0.1:$port" "lab.azure-devices.net"
  expect_code closed-by-peer 'after-*' --protocol mqtt-ws --connection-string "$CS" --connect-to "127.0.0.1:$port" "lab.azure-devices.net"
  expect_code closed-by-peer 'after-*' --protocol https --connection-string "$CS" --connect-to "127.0.0.1:$port" "lab.azure-devices.net"
  expect_code closed-by-peer 'after-*' --protocol amqp "localhost:$port"
done
"$PY" -c 'import json,sys; r=json.load(open(sys.argv[1]))["result"]; assert r["group"] == "network", r; assert r["meaning"], r' "$tmp/out.json"
expect_code timeout tls --protocol mqtt "localhost:$silent"
expect_code tls-protocol-error tls --protocol mqtt "localhost:$garbage"

# Many targets: every one has its result, and the exit is 1.
closed=$(free_port)
printf 'localhost:%s mqtt\nlocalhost:%s https\nlocalhost:%s amqp\nlocalhost:%s tls\nlocalhost:%s mqtt-ws\nlocalhost:%s tls\n127.0.0.1:%s tls\n' \
  "$fin" "$rst" "$fin" "$rst" "$rst" "$garbage" "$closed" >"$tmp/targets"
set +e
timeout 30 "$bin" probe --at "$AT" --timeout 3 --format jsonl --concurrency 3 --store "$P/root.pem" \
  --targets "$tmp/targets" >"$tmp/mass.jsonl" 2>"$tmp/mass.err"
rc=$?
set -e
[ $rc = 1 ] || fail "targets: exit $rc: $(cat "$tmp/mass.err")"
"$PY" - "$tmp/mass.jsonl" "$fin" "$rst" "$garbage" "$closed" <<'PY'
import json, sys
fin, rst, garbage, closed = sys.argv[2:6]
got = {}
for line in open(sys.argv[1]):
    d = json.loads(line)
    got[(d["target"].rsplit(":", 1)[1], d["protocol"])] = d["result"]["code"]
want = {(fin, "mqtt"): "closed-by-peer", (rst, "https"): "closed-by-peer", (fin, "amqp"): "closed-by-peer",
        (rst, "tls"): "ok", (rst, "mqtt-ws"): "closed-by-peer", (garbage, "tls"): "tls-protocol-error",
        (closed, "tls"): "tcp-refused"}
assert got == want, (got, want)
PY
grep -q 'summary: 7 targets' "$tmp/mass.err" || fail "targets: no summary: $(cat "$tmp/mass.err")"
echo "ok: --targets: 7 results, exit 1"
