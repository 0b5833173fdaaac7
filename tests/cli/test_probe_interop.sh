#!/bin/sh
# test_probe_interop.sh BINARY SCRATCH: rootshift probe against real peers on loopback: openssl s_server with
# chosen chains, a closed port, a port that never answers, and mosquitto with TLS, a password file and an ACL.
set -eu
bin=$(realpath "$1")
scratch=$2
here=$(pwd)
. "$here/interop/lib.sh"
rm -rf "$scratch"
tmp=$(mktemp -d /tmp/rs-probe-XXXXXX)
chmod 755 "$tmp"
trap 'stop_all; rm -rf "$tmp"' EXIT
make_pki "$tmp/pki"
P=$tmp/pki
# Times come from the certificates made above, never from the clock: an hour after the leaf begins, and a day
# after it ends.
cert_time() { # FILE startdate|enddate SECONDS-TO-ADD
  "$PY" -c 'import sys, datetime as d
t = d.datetime.strptime(sys.argv[1].split("=", 1)[1].replace("  ", " "), "%b %d %H:%M:%S %Y GMT")
print((t + d.timedelta(seconds=int(sys.argv[2]))).strftime("%Y-%m-%dT%H:%M:%SZ"))' "$(openssl x509 -in "$1" -noout -"$2")" "$3"
}
AT=$(cert_time "$P/leaf.pem" startdate 3600)
AFTER=$(cert_time "$P/leaf.pem" enddate 86400)

# probe_expect CODE ARGS...: runs a probe and checks the result code in its JSON.
probe_expect() {

  want=$1; shift
  set +e
  "$bin" probe --at "$AT" --timeout 5 --format json "$@" >"$tmp/out.json" 2>"$tmp/err"
  rc=$?
  set -e
  got=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["result"]["code"])' "$tmp/out.json" 2>/dev/null || echo "none")
  [ "$got" = "$want" ] || fail "probe $*: got '$got' (exit $rc), expected '$want': $(cat "$tmp/err") $(head -c 600 "$tmp/out.json")"
  case "$want" in ok|ok-auth-rejected) [ $rc = 0 ] || fail "probe $*: exit $rc for $want" ;; *) [ $rc = 1 ] || fail "probe $*: exit $rc for $want" ;; esac
  echo "ok: $want <- $*"
}

start_s_server() { # port args...
  port=$1; shift
  openssl s_server -accept "127.0.0.1:$port" -www -naccept 1000 "$@" </dev/null >/dev/null 2>&1 &
  PIDS="$PIDS $!"
  wait_port "$port" || fail "s_server did not start on $port"
}

# A good chain: the device trusts the root.
p1=$(free_port); start_s_server "$p1" -cert "$P/leaf.pem" -key "$P/leaf.key" -cert_chain "$P/int.pem"
probe_expect ok --protocol tls --store "$P/root.pem" "localhost:$p1"
"$PY" - "$tmp/out.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["schema"] == "rootshift/probe/1"
assert len(d["served_chain"]) == 2, d["served_chain"]
assert d["served_chain"][0]["subject"] == "CN=localhost"
assert [c["subject"] for c in d["path"]] == ["CN=localhost", "CN=rootshift interop intermediate", "CN=rootshift interop root"]
assert d["tls"]["version"] in ("TLSv1.3", "TLSv1.2")
PY
# An untrusted root: the device trusts another one. The chain is still captured.
probe_expect cert-untrusted --protocol tls --store "$P/other.pem" "localhost:$p1"
"$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d["served_chain"]) == 2' "$tmp/out.json"
# A wrong host: the same server reached under another name.
probe_expect cert-hostname-mismatch --protocol tls --store "$P/root.pem" --connect-to "127.0.0.1:$p1" "wrong.example.org:443"
# Expired: judged at a time after the leaf's end.
saved=$AT; AT=$AFTER
probe_expect cert-expired --protocol tls --store "$P/root.pem" "localhost:$p1"
AT=$saved

# Through an HTTP CONNECT proxy: the tunnel to the good server, and a proxy whose target refuses.
px=$(free_port)
"$PY" "$here/interop/connect_proxy.py" "$px" &
PIDS="$PIDS $!"
wait_port "$px" || fail "proxy did not start"
probe_expect ok --protocol tls --store "$P/root.pem" --proxy "127.0.0.1:$px" "localhost:$p1"
probe_expect proxy-failed --protocol tls --store "$P/root.pem" --proxy "127.0.0.1:$px" "localhost:$(free_port)"

# A missing intermediate: the server sends the leaf alone.
p2=$(free_port); start_s_server "$p2" -cert "$P/leaf.pem" -key "$P/leaf.key"
probe_expect cert-untrusted --protocol tls --store "$P/root.pem" "localhost:$p2"

# TLS 1.0 only, against a device that needs TLS 1.2.
p3=$(free_port); start_s_server "$p3" -cert "$P/leaf.pem" -key "$P/leaf.key" -cert_chain "$P/int.pem" -tls1 -cipher 'DEFAULT:@SECLEVEL=0'
set +e; "$bin" probe --at "$AT" --timeout 5 --format json --protocol tls --tls-min 1.2 --store "$P/root.pem" "localhost:$p3" >"$tmp/out.json" 2>&1; set -e
code=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["result"]["code"])' "$tmp/out.json")
case "$code" in tls-alert|tls-protocol-error) echo "ok: $code <- TLS 1.0 only" ;; *) fail "TLS 1.0 only: got $code" ;; esac

# A closed port, and a port that accepts and never answers (a timeout within the bound).
p4=$(free_port)
probe_expect tcp-refused --protocol tls --store "$P/root.pem" "127.0.0.1:$p4"
p5=$(free_port)
"$PY" -c "
import socket, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(('127.0.0.1', $p5)); s.listen(8)
conns = []
end = time.time() + 60
while time.time() < end:
    s.settimeout(1)
    try: conns.append(s.accept()[0])
    except socket.timeout: pass
" &
PIDS="$PIDS $!"
wait_port "$p5" || fail "silent server did not start"
start=$(date +%s)
set +e; "$bin" probe --at "$AT" --timeout 2 --format json --protocol tls --store "$P/root.pem" "127.0.0.1:$p5" >"$tmp/out.json" 2>&1; set -e
took=$(( $(date +%s) - start ))
code=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["result"]["code"])' "$tmp/out.json")
[ "$code" = timeout ] || fail "silent server: got $code"
[ "$took" -le 5 ] || fail "silent server: took ${took}s with --timeout 2"
echo "ok: timeout <- silent server (${took}s)"

# mosquitto with a TLS listener, a password file and an ACL. Started as root it drops to its own user, so what
# it reads is world-readable.
m=$(free_port)
mkdir -p "$tmp/mosq"
# The broker user is the IoT Hub username the probe derives from the connection string; its password is the
# connection string's SharedAccessSignature, sent as is.
hubuser='localhost.lab/device1/?api-version=2021-04-12'
mosquitto_passwd -b -c "$tmp/mosq/passwd" "$hubuser" secret-password-1 >/dev/null 2>&1
printf 'user %s\ntopic readwrite devices/device1/#\n' "$hubuser" >"$tmp/mosq/acl"
cat >"$tmp/mosq/mosquitto.conf" <<CONF
listener $m 127.0.0.1
cafile $P/root.pem
certfile $P/chain.pem
keyfile $P/leaf.key
allow_anonymous false
password_file $tmp/mosq/passwd
acl_file $tmp/mosq/acl
persistence false
log_dest none
CONF
chmod 644 "$tmp/mosq/"*
mosquitto -c "$tmp/mosq/mosquitto.conf" >/dev/null 2>&1 &
PIDS="$PIDS $!"
wait_port "$m" || fail "mosquitto did not start"
printf 'HostName=localhost.lab;DeviceId=device1;SharedAccessSignature=secret-password-1\n' >"$tmp/cs-good"
printf 'HostName=localhost.lab;DeviceId=device1;SharedAccessSignature=wrong-password-99\n' >"$tmp/cs-bad"
probe_expect ok --protocol mqtt --store "$P/root.pem" --connection-string-file "$tmp/cs-good" --connect-to "127.0.0.1:$m" "localhost:$m"
probe_expect ok-auth-rejected --protocol mqtt --store "$P/root.pem" --connection-string-file "$tmp/cs-bad" --connect-to "127.0.0.1:$m" "localhost:$m"
grep -q 'wrong-password' "$tmp/out.json" "$tmp/err" && fail "the secret appears in the output"
"$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["result"]["status"] in (4, 5), d["result"]' "$tmp/out.json"
# --verbose shows the exchange with the secret masked.
"$bin" probe --at "$AT" --verbose --protocol mqtt --store "$P/root.pem" --connection-string-file "$tmp/cs-bad" --connect-to "127.0.0.1:$m" "localhost:$m" >"$tmp/verbose.txt" 2>&1 || true
grep -q "> CONNECT client_id='device1' username='localhost.lab/device1/?api-version=2021-04-12' password='\*\*\*[^']\{0,4\}'" "$tmp/verbose.txt" || fail "verbose: no masked CONNECT: $(cat "$tmp/verbose.txt")"
grep -q 'wrong-password' "$tmp/verbose.txt" && fail "verbose: the secret appears"
# HTTPS to IoT Hub and DPS, and the AMQP header, against small TLS peers that answer like the service.
start_fake() { # mode port
  "$PY" "$here/interop/fake_service.py" "$1" "$2" "$P/chain.pem" "$P/leaf.key" &
  PIDS="$PIDS $!"
  wait_port "$2" || fail "fake $1 service did not start"
}
h=$(free_port); start_fake https401 "$h"
probe_expect ok-auth-rejected --protocol https --store "$P/root.pem" --connection-string-file "$tmp/cs-bad" --connect-to "127.0.0.1:$h" "localhost:$h"
"$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); r=d["result"]; assert r["status"] == 401 and "IotHubUnauthorizedAccess" in r["detail"], r' "$tmp/out.json"
dp=$(free_port); start_fake dps401 "$dp"
printf 'aGVsbG8gd29ybGQgZnJvbSByb290c2hpZnQ=\n' >"$tmp/dps-key"
probe_expect ok-auth-rejected --protocol https --dps --id-scope 0ne002B1DF7 --registration-id abc --symmetric-key-file "$tmp/dps-key" --store "$P/root.pem" --connect-to "127.0.0.1:$dp" "localhost:$dp"
grep -q 'aGVsbG8gd29ybGQgZnJvbSByb290c2hpZnQ' "$tmp/out.json" && fail "the DPS key appears in the output"
a=$(free_port); start_fake amqp "$a"
probe_expect ok --protocol amqp --store "$P/root.pem" "localhost:$a"
"$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["result"]["detail"] == "MSSBCBS PLAIN ANONYMOUS", d["result"]' "$tmp/out.json"

# Many targets at once: JSONL, one line per target, and a summary.
printf 'localhost:%s tls\n# a comment\n{"target": "127.0.0.1:%s", "protocol": "tls"}\nlocalhost:%s amqp\n' "$p1" "$p4" "$a" >"$tmp/targets"
set +e; "$bin" probe --at "$AT" --timeout 5 --format jsonl --concurrency 3 --store "$P/root.pem" --targets "$tmp/targets" >"$tmp/mass.jsonl" 2>"$tmp/mass.err"; rc=$?; set -e
[ $rc = 1 ] || fail "mass: exit $rc, expected 1 (one target refused)"
[ "$(wc -l <"$tmp/mass.jsonl")" = 3 ] || fail "mass: expected 3 lines: $(cat "$tmp/mass.jsonl")"
grep -q 'summary: 3 targets, 2 ok, 1 tcp-refused' "$tmp/mass.err" || fail "mass: summary: $(cat "$tmp/mass.err")"
echo "all probe interop cases passed"
