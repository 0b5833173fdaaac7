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

# Streamed: a result ready at once (a closed port) reaches the pipe at once, while a silent server holds another
# target until --timeout; the summary comes after every record, on stderr.
printf '127.0.0.1:%s tls\nlocalhost:%s tls\n' "$silent" "$closed" >"$tmp/stream"
"$PY" - "$bin" "$AT" "$P/root.pem" "$tmp/stream" <<'PY' || fail "streaming"
import subprocess, sys, time, json
bin, at, store, targets = sys.argv[1:5]
t0 = time.time()
p = subprocess.Popen([bin, "probe", "--at", at, "--timeout", "4", "--format", "jsonl", "--concurrency", "2",
                      "--store", store, "--targets", targets], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
first = p.stdout.readline()
t_first = time.time() - t0
rest = p.stdout.read().decode()
p.wait()
assert json.loads(first)["result"]["code"] == "tcp-refused", first
assert t_first < 2.0, "the first record came after %.1f s" % t_first
lines = rest.splitlines()
assert json.loads(lines[0])["result"]["code"] == "timeout", rest
assert lines[1].startswith("summary: 2 targets"), rest
print("ok: first record after %.2f s, the slow one after %.2f s, summary last" % (t_first, time.time() - t0))
PY

# SIGINT during --targets: the records already written stay whole, the probes in flight stop, a partial summary
# comes on stderr, exit 130, within 2 s.
: >"$tmp/many"
i=0; while [ $i -lt 12 ]; do printf '127.0.0.1:%s tls\n' "$silent" >>"$tmp/many"; i=$((i + 1)); done
printf 'localhost:%s tls\n' "$closed" >>"$tmp/many"
"$bin" probe --at "$AT" --timeout 30 --format jsonl --concurrency 4 --store "$P/root.pem" --targets "$tmp/many" \
  >"$tmp/int.jsonl" 2>"$tmp/int.err" &
pid=$!
sleep 1
t0=$(date +%s%3N)
kill -INT $pid
set +e
wait $pid
rc=$?
set -e
took=$(( $(date +%s%3N) - t0 ))
[ $rc = 130 ] || fail "--targets, SIGINT: exit $rc: $(cat "$tmp/int.err")"
[ $took -le 2000 ] || fail "--targets, SIGINT: ended after $took ms"
grep -q '^summary (partial: stopped by SIGINT): 0 of 13 targets probed' "$tmp/int.err" || fail "--targets, SIGINT: summary: $(cat "$tmp/int.err")"
[ ! -s "$tmp/int.jsonl" ] || "$PY" -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1])]' "$tmp/int.jsonl" || fail "--targets, SIGINT: a broken record"
echo "ok: --targets, SIGINT: exit 130 in $took ms, partial summary"
