#!/bin/sh
# test_rehearse_target.sh BINARY SCRATCH: `rehearse --target lab:DIR` against a lab served by another process
# (`lab serve --at`, so its clock is not today's): the fleet's devices registered through the admin API (POST
# /api/devices, token required), SAS tokens valid in the lab's clock, sessions held on real connections, the
# migrate and the revert with disconnect pressed through the admin API at their virtual times, the lab really
# dropping the held connections and the devices reconnecting; DPS over MQTT and HTTPS through the lab's DPS. Then
# `--target HOST:PORT` with the lab standing in for a real endpoint: each class probed now, and the azure-iot
# profile's new chain verified against its store (what-if).
BIN=$1
S=$2
PY=/usr/bin/python3
. ./cli/lib/lab.sh
rm -rf "$S" && mkdir -p "$S" || exit 2
LAB=$S/lab
AT=2026-01-01T00:00:00Z
LAB_PID=
trap 'stop_lab' EXIT INT TERM

"$BIN" lab init "$LAB" --seed target-test --at $AT --fast-keys >/dev/null || exit 2
start_lab "$LAB" "$S/serve.log" --at 2026-01-03T00:00:00Z || exit 1

# the admin API's bulk registration needs the token
code=$(curl -sS -o /dev/null -w '%{http_code}' --max-time 10 -X POST -d '{"devices":{"x1":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="}}' \
  "http://127.0.0.1:$ADMIN_PORT/api/devices")
check "POST /api/devices without the token: 401" [ "$code" = 401 ]
TOKEN=$(json_field "$LAB/serve.json" admin_token)
curl -sS --max-time 10 -H "Authorization: Bearer $TOKEN" -X POST -d '{"devices":{"x1":"not base64 secret!"}}' \
  -o "$S/bad.json" -w '%{http_code}' "http://127.0.0.1:$ADMIN_PORT/api/devices" >"$S/bad.code"
check "POST /api/devices with a bad key: 400" [ "$(cat "$S/bad.code")" = 400 ]
check "  ... naming the device, not the key" sh -c "grep -q \"the key of device 'x1'\" '$S/bad.json' && ! grep -q secret '$S/bad.json'"
curl -sS --max-time 10 -H "Authorization: Bearer $TOKEN" -X POST -d '{"devices":{"x2":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="}}' \
  "http://127.0.0.1:$ADMIN_PORT/api/devices" >"$S/good.json"
check "POST /api/devices with the token registers" grep -q '"registered":1' "$S/good.json"
check "  ... into devices.json" grep -q '"x2"' "$LAB/devices.json"

cat >"$S/fleet.json" <<'JSON'
{ "schema": "rootshift/fleet/1", "seed": "target-test", "duration": 7200, "ramp": 600,
  "classes": [
    { "name": "mqtt-recommended", "count": 5, "store": "lab:recommended" },
    { "name": "mqtt-old-only", "count": 3, "store": "lab:old-only", "backoff": { "policy": "fixed", "initial": 300 } },
    { "name": "amqp-recommended", "count": 3, "store": "lab:recommended", "protocol": "amqp" },
    { "name": "dps-https", "count": 2, "store": "lab:recommended", "dps": "https" },
    { "name": "dps-mqtt", "count": 2, "store": "lab:recommended", "dps": "mqtt" } ],
  "schedule": [ { "at": 2400, "action": "migrate" }, { "at": 4800, "action": "revert", "disconnect": true } ] }
JSON
"$BIN" rehearse "$S/fleet.json" --target "lab:$LAB" --at 2026-01-02T00:00:00Z --format json --stats \
  >"$S/out.json" 2>"$S/err"
check "rehearse --target lab:DIR exits 1: old-only stranded after the migration" [ $? -eq 1 ]
# The revert plays the old chain, whose root (Baltimore) expired before 2026-01-02: the real service can no longer
# revert to it, so the end judged is the migrate phase's, where old-only devices are stranded (docs/rehearse.md)
check "  ... the verdict says not-ready" grep -q '"status": "not-ready"' "$S/out.json"
check "  ... judged at the end of the migrate phase" grep -q \
  '"message": "some devices are stranded at the end (the end judged is that of the migrate phase, at 01:20' "$S/out.json"
$PY - "$S/out.json" <<'PYEOF' || fails=$((fails + 1))
import json, sys
doc = json.load(open(sys.argv[1]))
cls = {c["name"]: c for c in doc["classes"]}
ph = lambda n, p: next(x for x in cls[n]["phases"] if x["phase"] == p)
bad = 0
def check(what, ok):
    global bad
    print(("ok   " if ok else "FAIL ") + what)
    bad += 0 if ok else 1
check("every device connects at the start: SAS tokens valid in the lab's clock, DPS over MQTT and HTTPS",
      all(ph(n, "start")["reconnected"] == cls[n]["count"] for n in cls))
check("old-only MQTT stranded after the migrate the admin API pressed",
      ph("mqtt-old-only", "migrate")["reasons"] == {"cert-untrusted": 3})
check("AMQP holds its connection through the migrate", ph("amqp-recommended", "migrate")["holding"] == 3)
check("the revert drops every session and all come back, AMQP within its backoff",
      all(ph(n, "revert")["reconnected"] == cls[n]["count"] for n in cls)
      and ph("amqp-recommended", "revert")["max"] <= 2)
sys.exit(1 if bad else 0)
PYEOF
check "devices held real connections and pinged" grep -Eq '1[0-9] connections held at most, [0-9]{2,} pings, 0 sessions modelled' "$S/err"
check "the lab registered the fleet through its admin API" grep -q '"event":"devices".*registered 15' "$S/serve.log"
check "the lab's DPS assigned over MQTT and HTTPS" sh -c "[ \$(grep -c '\"event\":\"dps-assigned\"' '$S/serve.log') -ge 4 ]"
check "no authentication failure in the lab" sh -c "! grep -q auth-failure '$S/serve.log'"
curl -sS --max-time 10 "http://127.0.0.1:$ADMIN_PORT/metrics" >"$S/metrics.txt"
KICKED=$(sed -n 's/^rootshift_lab_dropped_connections_total{cause="kicked"} \([0-9]*\)$/\1/p' "$S/metrics.txt")
check "the lab dropped the 12 held sessions (9 MQTT, 3 AMQP) at the revert ($KICKED)" [ "${KICKED:-0}" -ge 12 ]
KEY=$(sed -n 's/.*"mqtt-recommended-00000": {[^}]*"primary_key": "\([^"]*\)".*/\1/p' "$LAB/devices.json" | head -n 1)
[ -z "$KEY" ] && KEY=$($PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["devices"]["mqtt-recommended-00000"]["primary_key"])' "$LAB/devices.json")
check "the device keys are in the lab's registry" [ -n "$KEY" ]
check "no key in the output, the errors or the lab's log" sh -c "! grep -qF -e '$KEY' '$S/out.json' '$S/err' '$S/serve.log' '$S/serve.log.err'"
sleep 0.3
curl -sS --max-time 10 "http://127.0.0.1:$ADMIN_PORT/api/status" >"$S/status.json"
check "the rehearsal closed its connections at the end" grep -q '"connections":0' "$S/status.json"

# --target HOST[:PORT]: the lab stands in for a real endpoint (no admin API used). Stores hold the lab's roots
# for "now" and the real roots for the what-if against the azure-iot profile's new chain.
D=$(pwd)/data
cat "$LAB/bundles/recommended.pem" "$D/digicert_global_root_g2.pem" >"$S/rec.pem"
cat "$LAB/bundles/old-only.pem" "$D/baltimore_cybertrust_root.pem" >"$S/old.pem"
cat >"$S/endpoint.json" <<JSON
{ "classes": [
    { "name": "recommended", "count": 100, "store": "rec.pem" },
    { "name": "old-only", "count": 50, "store": "old.pem" },
    { "name": "pinned", "count": 5, "store": "rec.pem", "pin": "lab/bundles/pinned-intermediate.pem" },
    { "name": "lab-new-only", "count": 10, "store": "lab/bundles/new-only.pem" } ] }
JSON
"$BIN" rehearse "$S/endpoint.json" --target "localhost:$MQTT_PORT" --at 2026-01-02T00:00:00Z --format json \
  >"$S/endpoint.out" 2>"$S/endpoint.err"
check "--target HOST:PORT exits 1: some classes do not survive" [ $? -eq 1 ]
$PY - "$S/endpoint.out" <<'PYEOF' || fails=$((fails + 1))
import json, sys
doc = json.load(open(sys.argv[1]))
v = {c["name"]: (c["now"]["code"], c["after_migration"]["ok"], c["verdict"]) for c in doc["classes"]}
want = {"recommended": ("ok-auth-rejected", True, "survives"),
        "old-only": ("ok-auth-rejected", False, "stranded-at-migration"),
        "pinned": ("ok-auth-rejected", False, "stranded-at-migration"),
        "lab-new-only": ("cert-untrusted", False, "stranded-now")}
ok = doc["schema"] == "rootshift/rehearse-endpoint/1" and v == want
print(("ok   " if ok else "FAIL ") + "endpoint: each class now and after the migration: %s" % v)
pin = next(c for c in doc["classes"] if c["name"] == "pinned")["after_migration"]["reason"]
print(("ok   " if pin == "pin-not-served" else "FAIL ") + "endpoint: the pinned class fails the what-if on its pin (%s)" % pin)
sys.exit(0 if ok and pin == "pin-not-served" else 1)
PYEOF
"$BIN" rehearse "$S/endpoint.json" --target "localhost:$MQTT_PORT" --at 2026-01-02T00:00:00Z >"$S/endpoint.txt" 2>&1
check "endpoint text: says no schedule runs" grep -q 'rehearse does not control its migration, so no schedule runs' "$S/endpoint.txt"
check "endpoint text: old-only stranded at the migration" grep -Eq '^  old-only +mqtt .*ok-auth-rejected +untrusted-root +stranded-at-migration$' "$S/endpoint.txt"
"$BIN" rehearse "$S/fleet.json" --target "localhost:$MQTT_PORT" >/dev/null 2>"$S/e3"
check "endpoint with lab: stores: exit 2" [ $? -eq 2 ]
check "  ... and says why" grep -q "names a lab bundle; against a real endpoint give stores as paths" "$S/e3"
stop_lab

# usage
"$BIN" rehearse "$S/fleet.json" --target "lab:$LAB" >/dev/null 2>"$S/e1"; check "--target lab:DIR without a running lab: exit 2" [ $? -eq 2 ]
check "  ... and says why" grep -q "is 'rootshift lab serve" "$S/e1"
"$BIN" rehearse "$S/fleet.json" --target "lab:$S/nolab" >/dev/null 2>"$S/e2"; check "--target lab:DIR that is no lab: exit 2" [ $? -eq 2 ]
check "  ... and says why" grep -q "a lab made by 'rootshift lab init'" "$S/e2"
"$BIN" rehearse "$S/fleet.json" --target "lab:" >/dev/null 2>&1; check "--target lab: alone: exit 2" [ $? -eq 2 ]
"$BIN" rehearse "$S/fleet.json" --lab "$LAB" --target "lab:$LAB" >/dev/null 2>&1; check "--lab and --target: exit 2" [ $? -eq 2 ]
"$BIN" rehearse --demo --target "lab:$LAB" >/dev/null 2>&1; check "--demo and --target: exit 2" [ $? -eq 2 ]
"$BIN" rehearse "$S/fleet.json" --target "lab:$LAB" --profile azure-iot >/dev/null 2>&1; check "--profile with a lab: exit 2" [ $? -eq 2 ]
"$BIN" rehearse "$S/fleet.json" --target "host:99999" >/dev/null 2>&1; check "--target with a bad port: exit 2" [ $? -eq 2 ]

echo "$fails failed"
[ $fails -eq 0 ]
