#!/bin/sh
# test_rehearse_fleet.sh BINARY SCRATCH: a fleet file against a lab made by `lab init`: HTTPS devices (a handshake
# per request), a device clock two hours slow (TLS fine, SAS rejected: ok-auth-rejected), a class that never retries
# (stranded at the end: exit 1), a store given as a path, devices that provision through DPS over HTTPS while DPS
# lags the hub by dps_delay, the same result with one attempt at a time; devices that never ping dropped by the lab
# at 1.5 x their keep-alive (virtual time); then the HTML report in headless Chromium (DOM and a screenshot; skipped
# without chromium). Usage errors exit 2.
BIN=$1
S=$2
PY=/usr/bin/python3
rm -rf "$S" && mkdir -p "$S/fleet/stores" || exit 2
fails=0
check() { if "$@"; then echo "ok   $*"; else echo "FAIL $*"; fails=$((fails + 1)); fi; }
AT=2026-01-01T00:00:00Z

"$BIN" lab init "$S/lab" --seed fleet-test --at $AT --fast-keys >/dev/null || exit 2
cp "$S/lab/bundles/recommended.pem" "$S/fleet/stores/recommended.pem"
cat >"$S/fleet/fleet.json" <<'JSON'
{
  "schema": "rootshift/fleet/1",
  "seed": "fleet-test",
  "duration": 10800,
  "ramp": 600,
  "dps_delay": 1200,
  "classes": [
    { "name": "https-recommended", "count": 4, "store": "stores/recommended.pem", "protocol": "https",
      "request_interval": 900 },
    { "name": "mqtt-slow-clock", "count": 3, "store": "lab:recommended", "clock_skew": -7200,
      "backoff": { "policy": "fixed", "initial": 600 } },
    { "name": "old-never-retries", "count": 3, "store": "lab:old-only", "backoff": { "policy": "none" } },
    { "name": "java-new-only", "count": 3, "store": "lab:new-only", "sdk": "java",
      "backoff": { "policy": "fixed", "initial": 120 } },
    { "name": "dps-https-new-only", "count": 3, "store": "lab:new-only", "dps": "https",
      "backoff": { "policy": "fixed", "initial": 120 } }
  ],
  "schedule": [ { "at": 3600, "action": "migrate" }, { "at": 7200, "action": "revert" } ]
}
JSON
"$BIN" rehearse "$S/fleet/fleet.json" --lab "$S/lab" --at 2026-01-02T00:00:00Z --format json \
  --report "$S/report.html" >"$S/out.json" 2>"$S/err"
rc=$?
check test "$rc" -eq 1
$PY - "$S/out.json" <<'PYEOF' || fails=$((fails + 1))
import json, sys
doc = json.load(open(sys.argv[1]))
cls = {c["name"]: c for c in doc["classes"]}
ph = lambda n, p: next(x for x in cls[n]["phases"] if x["phase"] == p)
fails = 0
def check(what, ok):
    global fails
    print(("ok   " if ok else "FAIL ") + what)
    fails += 0 if ok else 1
check("https: a handshake per request, all through (cadence 900)",
      cls["https-recommended"]["cadence"] == 900 and ph("https-recommended", "migrate")["reconnected"] == 4
      and ph("https-recommended", "migrate")["max"] <= 900)
check("slow clock: TLS fine, SAS rejected", ph("mqtt-slow-clock", "start")["reasons"] == {"ok-auth-rejected": 3})
check("no retries: stranded after migrate and still after revert",
      ph("old-never-retries", "migrate")["reasons"] == {"cert-untrusted": 3}
      and ph("old-never-retries", "revert")["stranded"] == 3)
check("java new-only: connects after migrate (fixed 120 s backoff)",
      ph("java-new-only", "migrate")["reconnected"] == 3 and ph("java-new-only", "migrate")["max"] <= 120)
p = ph("dps-https-new-only", "migrate")
check("DPS over HTTPS, new-only: connects after migrate once DPS follows (dps_delay 1200 s; p50 %s, max %s)"
      % (p["p50"], p["max"]), p["reconnected"] == 3 and 1200 <= p["p50"] and p["max"] <= 1200 + 120)
check("DPS over HTTPS, new-only: stranded at the DPS step before migrate",
      ph("dps-https-new-only", "start")["reasons_at_dps"] == {"cert-untrusted": 3})
check("DPS over HTTPS, new-only: hub first, then DPS, fail after revert",
      ph("dps-https-new-only", "revert")["stranded"] == 3 and ph("dps-https-new-only", "revert")["failures_at_dps"] > 0)
check("stranded at the end", doc["stranded_at_end"] == 3 + 3 + 3 + 3)
sys.exit(1 if fails else 0)
PYEOF
check grep -q '"java-new-only-00002"' "$S/lab/devices.json"

# determinism: one attempt at a time instead of 256, the same rehearsal (virtual time ignores wall-clock order)
"$BIN" rehearse "$S/fleet/fleet.json" --lab "$S/lab" --at 2026-01-02T00:00:00Z --format json --max-inflight 1 \
  >"$S/out1.json" 2>/dev/null
check cmp "$S/out.json" "$S/out1.json"

# keep-alive: a device that announces 60 s but never pings is dropped by the lab after 1.5 x 60 s of virtual time
# and reconnects by its backoff, again and again; one that pings keeps its one connection
cat >"$S/fleet/stalled.json" <<'JSON'
{ "schema": "rootshift/fleet/1", "seed": "stall", "duration": 1800, "ramp": 60,
  "classes": [
    { "name": "stalled", "count": 2, "store": "lab:recommended", "keep_alive": 60, "pings": false },
    { "name": "pinging", "count": 2, "store": "lab:recommended", "keep_alive": 60 } ] }
JSON
"$BIN" rehearse "$S/fleet/stalled.json" --lab "$S/lab" --at 2026-01-02T00:00:00Z --format json --stats \
  >"$S/stalled.json" 2>"$S/stalled.err"
check test $? -eq 0
$PY - "$S/stalled.json" <<'PYEOF' || fails=$((fails + 1))
import json, sys
doc = json.load(open(sys.argv[1]))
st = {c["name"]: c["phases"][0] for c in doc["classes"]}
ok = st["pinging"]["attempts"] == 2 and st["stalled"]["attempts"] >= 2 * 1700 // 150 and st["stalled"]["stranded"] == 0
print(("ok   " if ok else "FAIL ") + "keep-alive x 1.5: the stalled devices reconnect %d times, the pinging ones hold (%d attempts)"
      % (st["stalled"]["attempts"], st["pinging"]["attempts"]))
sys.exit(0 if ok else 1)
PYEOF
check grep -Eq 'connections held at most, [0-9]{2,} pings' "$S/stalled.err"

# a migration before the ramp is over: devices whose first attempt is still to come are "not tried yet" (waiting),
# not stranded
cat >"$S/fleet/early.json" <<'JSON'
{ "schema": "rootshift/fleet/1", "seed": "early", "duration": 3600, "ramp": 1800,
  "classes": [ { "name": "good", "count": 6, "store": "lab:recommended" } ],
  "schedule": [ { "at": 300, "action": "migrate" } ] }
JSON
"$BIN" rehearse "$S/fleet/early.json" --lab "$S/lab" --at 2026-01-02T00:00:00Z --format json >"$S/early.json" 2>/dev/null
check test $? -eq 0
$PY - "$S/early.json" <<'PYEOF' || fails=$((fails + 1))
import json, sys
start, migrate = json.load(open(sys.argv[1]))["classes"][0]["phases"]
ok = (start["stranded"] == 0 and start["waiting"] > 0 and start["reconnected"] + start["waiting"] == 6
      and migrate["waiting"] == 0 and migrate["stranded"] == 0)
print(("ok   " if ok else "FAIL ") + "before the ramp ends: %d connected, %d not tried yet, %d stranded"
      % (start["reconnected"], start["waiting"], start["stranded"]))
sys.exit(0 if ok else 1)
PYEOF
"$BIN" rehearse "$S/fleet/early.json" --lab "$S/lab" --at 2026-01-02T00:00:00Z 2>/dev/null >"$S/early.txt"
check grep -Eq '^  good +6 +[0-9]+ .* 0  not tried yet [1-9]$' "$S/early.txt"

# --speed: the same rehearsal, paced to at most 5400 virtual seconds per wall second (3 h take at least 2 s)
t0=$(date +%s%N)
"$BIN" rehearse "$S/fleet/fleet.json" --lab "$S/lab" --at 2026-01-02T00:00:00Z --format json --speed 5400 \
  >"$S/out2.json" 2>/dev/null
t1=$(date +%s%N)
check cmp "$S/out.json" "$S/out2.json"
check test $(( (t1 - t0) / 1000000 )) -ge 1950
"$BIN" rehearse --demo --speed 0 >/dev/null 2>&1; check test $? -eq 2

# usage errors
"$BIN" rehearse >/dev/null 2>&1; check test $? -eq 2
"$BIN" rehearse "$S/fleet/fleet.json" >/dev/null 2>&1; check test $? -eq 2
echo '{"classes": []}' >"$S/bad.json"
"$BIN" rehearse "$S/bad.json" --lab "$S/lab" 2>"$S/bad.err" >/dev/null; check test $? -eq 2
check grep -q "invalid fleet file '$S/bad.json': \"classes\" must be an array" "$S/bad.err"

# the report in headless Chromium: the chart is drawn (one polyline per class) and a screenshot is taken
if command -v chromium >/dev/null; then
  CH="chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
      --disable-component-update --disable-sync --user-data-dir=$S/chromium"
  HOME=$S timeout 60 $CH --dump-dom "file://$S/report.html" >"$S/dom.html" 2>"$S/chromium.err"
  check test "$(grep -o "<polyline" "$S/dom.html" | wc -l)" -eq 5
  check grep -q 'aria-label="connected devices over virtual time"' "$S/dom.html"
  HOME=$S timeout 60 $CH --window-size=1000,1200 --screenshot="$S/report.png" "file://$S/report.html" \
    >/dev/null 2>>"$S/chromium.err"
  check test -s "$S/report.png"
  check sh -c "head -c 8 '$S/report.png' | od -An -c | grep -q 'P   N   G'"
else
  echo "skipping the Chromium part: no chromium"
fi

echo "$fails failed"
[ $fails -eq 0 ]
