#!/bin/sh
# test_rehearse.sh BINARY SCRATCH: the demo fleet's story, pinned (issue 7), from one run of `rehearse --demo`
# (JSON and the HTML report), DPS lagging the hub included; then the same run with only 40 held connections (the
# other sessions modelled) gives the same result. test_rehearse_fleet.sh checks that a result does not depend on
# the concurrency; test_rehearse_target.sh runs against a lab in another process and a stand-in real endpoint.
BIN=$1
S=$2
PY=/usr/bin/python3
rm -rf "$S" && mkdir -p "$S" || exit 2
fails=0

"$BIN" rehearse --demo --format json --report "$S/report.html" --stats >"$S/demo.json" 2>"$S/demo.err"
rc=$?
if [ $rc -ne 0 ]; then echo "FAIL: --demo exits $rc, expected 0 (the demonstration ran as designed)"; cat "$S/demo.err"; fails=$((fails + 1)); fi

$PY - "$S/demo.json" <<'PYEOF' || fails=$((fails + 1))
import json, sys
doc = json.load(open(sys.argv[1]))
fails = 0
def check(what, ok):
    global fails
    print(("ok   " if ok else "FAIL ") + what)
    fails += 0 if ok else 1
check("schema", doc["schema"] == "rootshift/rehearse/1")
check("start is the demo's fixed time", doc["start"] == "2026-01-02T00:00:00Z")
cls = {c["name"]: c for c in doc["classes"]}
def ph(name, phase):
    return next(p for p in cls[name]["phases"] if p["phase"] == phase)
def all_(name, phase, field):
    return ph(name, phase)[field] == cls[name]["count"]
def why(name, phase, code):
    p = ph(name, phase)
    return p["reasons"].get(code) == p["stranded"] == cls[name]["count"]

check("schedule: migrate 2h, forced disconnect 4h, revert 5h",
      [(e["at"], e["action"]) for e in doc["schedule"]] == [(7200, "migrate"), (14400, "disconnect"), (18000, "revert")])
# old-only devices: stranded after migrate, recovered after revert
check("old-only MQTT: every device stranded after migrate, cert-untrusted", why("c-mqtt-old-only", "migrate", "cert-untrusted"))
check("old-only MQTT: every device reconnects after revert", all_("c-mqtt-old-only", "revert", "reconnected"))
check("old-only MQTT: the curve falls to 0 before the revert and returns to all",
      min(cls["c-mqtt-old-only"]["curve"][150:300]) == 0 and cls["c-mqtt-old-only"]["curve"][-1] == 40)
# recommended store: reconnect at the SDK's cadence
p = ph("c-mqtt-recommended", "migrate")
check("C SDK MQTT, recommended: all reconnect after migrate, within 48 min, the last after 45 min (p50 %s, p95 %s, max %s)"
      % (p["p50"], p["p95"], p["max"]),
      p["reconnected"] == cls["c-mqtt-recommended"]["count"] and p["stranded"] == 0 and 2700 <= p["max"] <= 2880)
check("C SDK MQTT cadence is 2880 s", cls["c-mqtt-recommended"]["cadence"] == 2880)
p = ph("node-mqtt-recommended", "migrate")
check("Node, recommended: all reconnect within 45 min (max %s)" % p["max"],
      p["reconnected"] == cls["node-mqtt-recommended"]["count"] and 2400 <= p["max"] <= 2700)
# AMQP keeps its session until forced
check("AMQP recommended: holds its old session through the migrate", all_("c-amqp-recommended", "migrate", "holding"))
check("AMQP old-only: holds its session through the migrate (not stranded)",
      all_("c-amqp-old-only", "migrate", "holding") and ph("c-amqp-old-only", "migrate")["stranded"] == 0)
check("AMQP old-only: stranded once forced, cert-untrusted", why("c-amqp-old-only", "disconnect", "cert-untrusted"))
check("AMQP recommended: reconnects once forced", all_("c-amqp-recommended", "disconnect", "reconnected"))
check("AMQP old-only: recovers after revert", all_("c-amqp-old-only", "revert", "reconnected"))
# pinned intermediate: fails after migrate although the store has the new root
check("pinned class has the recommended store", cls["c-mqtt-pinned"]["store"] == "lab:recommended" and cls["c-mqtt-pinned"]["pin"])
check("pinned intermediate: every device stranded after migrate, cert-untrusted", why("c-mqtt-pinned", "migrate", "cert-untrusted"))
check("pinned intermediate: recovers after revert", all_("c-mqtt-pinned", "revert", "reconnected"))
# new-only: the mirror image
check("new-only: stranded at the start, connects after migrate, stranded after revert",
      why("dotnet-mqtt-new-only", "start", "cert-untrusted") and all_("dotnet-mqtt-new-only", "migrate", "reconnected")
      and why("dotnet-mqtt-new-only", "revert", "cert-untrusted"))
# DPS follows the hub 30 minutes after each switch: devices that provision through it and trust only the new root
check("dps_delay is 30 min", doc["dps_delay"] == 1800 and cls["c-dps-mqtt-new-only"]["dps"] == "mqtt")
p = ph("c-dps-mqtt-new-only", "start")
check("DPS new-only: stranded at the start at the DPS step, cert-untrusted",
      why("c-dps-mqtt-new-only", "start", "cert-untrusted") and p["reasons_at_dps"] == {"cert-untrusted": 20})
p = ph("c-dps-mqtt-new-only", "migrate")
check("DPS new-only: all connect after migrate, none before DPS follows 30 min later (p50 %s, max %s)" % (p["p50"], p["max"]),
      all_("c-dps-mqtt-new-only", "migrate", "reconnected") and ph("dotnet-mqtt-new-only", "migrate")["p50"] < 1800 <= p["p50"])
check("DPS new-only: reconnects once forced (DPS and hub both new)", all_("c-dps-mqtt-new-only", "disconnect", "reconnected"))
p = ph("c-dps-mqtt-new-only", "revert")
check("DPS new-only: stranded after revert, last at the DPS step once it followed",
      why("c-dps-mqtt-new-only", "revert", "cert-untrusted") and p["reasons_at_dps"] == {"cert-untrusted": 20})
p = ph("c-dps-mqtt-new-only", "migrate")
check("DPS new-only: after migrate every failure is at the DPS step, the hub is already fine (%d of %d)"
      % (p["failures_at_dps"], p["failures"]), 0 < p["failures_at_dps"] == p["failures"])
check("no class without DPS reports a failure at the DPS step",
      all(not p["reasons_at_dps"] for c in doc["classes"] if "dps" not in c for p in c["phases"]))
check("stranded at the end: the new-only devices, with and without DPS", doc["stranded_at_end"] == 40)
check("verdict: not-ready (devices stranded at the end), and the run is the demo",
      doc["verdict"]["status"] == "not-ready" and doc["demo"] is True)
check("curve has a sample a minute for 6 h", all(len(c["curve"]) == 361 for c in doc["classes"]))
sys.exit(1 if fails else 0)
PYEOF

# sessions hold real connections and ping at their keep-alive (in virtual time); the forced disconnect is the lab's
check() { if "$@"; then echo "ok   $*"; else echo "FAIL $*"; fails=$((fails + 1)); fi; }
check grep -Eq 'stats: 250 devices, .* 2[0-9][0-9] connections held at most, [0-9]{4,} pings, 0 sessions modelled' "$S/demo.err"
# holding a connection changes nothing in the result: with room for 40 (the rest modelled), the same rehearsal
"$BIN" rehearse --demo --format json --max-held 40 --stats >"$S/demo40.json" 2>"$S/demo40.err"
check cmp "$S/demo.json" "$S/demo40.json"
check grep -Eq ' 40 connections held at most, [0-9]+ pings, [1-9][0-9]* sessions modelled' "$S/demo40.err"
# few open files (hard limit 200): fewer attempts at once, every session modelled, a note, the same result
sh -c "ulimit -n 200 && exec '$BIN' rehearse --demo --format json" >"$S/demo200.json" 2>"$S/demo200.err"
check cmp "$S/demo.json" "$S/demo200.json"
check grep -q '^note: 34 connection attempts at once, not 256: this process may open 200 files$' "$S/demo200.err"
check grep -q '^note: 250 devices may hold a connection, .* at most 0 hold real connections' "$S/demo200.err"
sh -c "ulimit -n 67 && exec '$BIN' rehearse --demo" >/dev/null 2>"$S/demo67.err"
check test $? -eq 2
check grep -q "may open only 67 files: too few for a rehearsal" "$S/demo67.err"

# the report: self-contained
check grep -q '<svg xmlns="http://www.w3.org/2000/svg"' "$S/report.html"
check grep -q 'c-mqtt-pinned' "$S/report.html"
if grep -Eiq '<script|src=|href=|@import|url\(' "$S/report.html"; then echo "FAIL the report loads something"; fails=$((fails + 1)); fi
if grep -o 'http[s]*://[^"]*' "$S/report.html" | grep -qv '^http://www.w3.org/2000/svg$'; then echo "FAIL the report names a URL"; fails=$((fails + 1)); fi

echo "$fails failed"
[ $fails -eq 0 ]
