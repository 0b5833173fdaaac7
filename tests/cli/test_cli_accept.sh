#!/bin/sh
# test_cli_accept.sh BINARY SCRATCH: issue #19 tried as a new user would, with real certificates from tests/data
# (copied from shared/corpus: Debian ca-certificates, certifi; see tests/data/README.md), for what golden cases
# cannot see: files made or not made, a lab served in another process, and a rehearsal's advice.
# - bundle -o - with a directory form is refused and leaves no directory named '-' behind;
# - rehearse --report - writes the HTML on stdout and the verdict on stderr; an unwritable --report fails before
#   the rehearsal runs (exit 2 at once, not after it);
# - the advice for a class with only Microsoft RSA Root 2017 (stranded before and after the migration) names
#   DigiCert Global Root G2, and for G2 alone (stranded on the old chain only, the real Baltimore expired before
#   the rehearsal's time) advises nothing to add for the old chain;
# - lab serve --events - writes the events to stdout, not to a file named '-';
# - probe --lab: the what-ifs are judged against the lab's look-alikes of the profile's roots (old valid on the old
#   chain, READY after the migration), with no interception note, in text and JSON.
BIN=$(realpath "$1")
S=$(realpath -m "$2")
D=$(pwd)/data
. ./cli/lib/lab.sh
rm -rf "$S" && mkdir -p "$S/cwd" || exit 2
fails=0
check() { if "$@"; then echo "ok   $*"; else echo "FAIL $*"; fails=$((fails + 1)); fi; }
AT=2026-01-01T00:00:00Z
LAB_PID=
trap stop_lab EXIT INT TERM

# bundle -o - with a directory form: refused, and no directory '-' made
for f in der-dir pem-dir hashed-dir; do
  (cd "$S/cwd" && "$BIN" bundle --format $f -o - --from "$D/certifi-2025.01.31.pem" --at $AT >/dev/null 2>&1)
  check test $? -eq 2
  check test ! -e "$S/cwd/-"
done

"$BIN" lab init "$S/lab" --seed accept-test --at $AT --fast-keys >/dev/null || exit 2
cat >"$S/fleet.json" <<JSON
{
  "schema": "rootshift/fleet/1",
  "seed": "accept-test",
  "duration": 7200,
  "ramp": 300,
  "classes": [
    { "name": "real-ms2017-only", "count": 2, "store": "$D/microsoft_rsa_root_ca_2017.pem" },
    { "name": "real-g2-only", "count": 2, "store": "$D/digicert_global_root_g2.pem" },
    { "name": "real-g2-ms2017", "count": 2, "store": "$D/g2_ms2017.pem" }
  ],
  "schedule": [ { "at": 3600, "action": "migrate" } ]
}
JSON

# an unwritable report fails at once (the rehearsal itself takes seconds)
start=$(date +%s)
"$BIN" rehearse "$S/fleet.json" --lab "$S/lab" --at 2026-01-02T00:00:00Z --report "$S/no-such-dir/r.html" \
  >"$S/bad.out" 2>"$S/bad.err"
check test $? -eq 2
check test $(($(date +%s) - start)) -lt 2
check grep -q "cannot write '$S/no-such-dir/r.html'" "$S/bad.err"
check test ! -s "$S/bad.out"

# --report -: the HTML on stdout, the verdict on stderr
"$BIN" rehearse "$S/fleet.json" --lab "$S/lab" --at 2026-01-02T00:00:00Z --report - >"$S/report.html" 2>"$S/report.err"
check test $? -eq 1
check grep -q '^<!DOCTYPE html>' "$S/report.html"
check grep -q '</html>' "$S/report.html"
check grep -q '^NOT READY: ' "$S/report.err"
check test ! -e "$S/cwd/-"

# the advice, in text and JSON
"$BIN" rehearse "$S/fleet.json" --lab "$S/lab" --at 2026-01-02T00:00:00Z >"$S/out.txt" 2>/dev/null
check test $? -eq 1
check grep -q "^  real-ms2017-only (2 of 2 stranded at the end): its trust store (.*) does not hold the new root the service served after the migration, nor the old one served before\.$" "$S/out.txt"
check grep -q "^    next: add DigiCert Global Root G2 (SHA-1 df3c...) to $D/microsoft_rsa_root_ca_2017.pem\.$" "$S/out.txt"
check grep -q "^  real-g2-only (0 of 2 stranded at the end): .* does not hold the old root the service served from the start\.$" "$S/out.txt"
check grep -q "^    next: nothing to add for the old chain: Baltimore CyberTrust Root expired on 2025-05-12, before this rehearsal's time" "$S/out.txt"
check grep -q "^  real-g2-ms2017 (0 of 2 stranded at the end): " "$S/out.txt"
"$BIN" rehearse "$S/fleet.json" --lab "$S/lab" --at 2026-01-02T00:00:00Z --format json >"$S/out.json" 2>/dev/null
python3 - "$S/out.json" <<'PYEOF' || fails=$((fails + 1))
import json, sys
doc = json.load(open(sys.argv[1]))
adv = {a["class"]: a for a in doc["advice"]}
ok = (adv["real-ms2017-only"]["phase"] == "migrate" and "DigiCert Global Root G2" in adv["real-ms2017-only"]["next"]
      and adv["real-g2-only"]["phase"] == "start" and adv["real-g2-only"]["next"].startswith("nothing to add")
      and adv["real-g2-ms2017"]["stranded_at_end"] == 0 and adv["real-g2-ms2017"]["next"].startswith("nothing"))
print(("ok   " if ok else "FAIL ") + "advice in JSON: the phase advised on and the next step")
sys.exit(0 if ok else 1)
PYEOF

# lab serve --events -: stdout
# (started from $S/cwd, not in a subshell: LAB_PID must reach stop_lab, or the server outlives the test)
cd "$S/cwd" || exit 2
start_lab "$S/lab" "$S/serve.log" --at $AT --events - || exit 1
cd "$OLDPWD" || exit 2
whatif() { # whatif STORE ARGS...: the text what-if lines of a probe of the lab
  _store=$1
  shift
  "$BIN" probe --lab "$S/lab" --protocol tls --at $AT --store "$_store" "$@" 2>/dev/null
}
whatif "$D/g2_ms2017.pem" >"$S/probe.txt"
check grep -q "^  what if      old roots (the lab's look-alikes): valid$" "$S/probe.txt"
check grep -q "^               new roots (the lab's look-alikes): fails, untrusted-root$" "$S/probe.txt"
check grep -q "^               NOT READY: the profile's new roots do not trust this chain$" "$S/probe.txt"
check sh -c "! grep -q interception '$S/probe.txt'"
whatif "$D/g2_ms2017.pem" --format json >"$S/probe.json"
python3 - "$S/probe.json" <<'PYEOF' || fails=$((fails + 1))
import json, sys
doc = json.load(open(sys.argv[1]))
w = {x["store"]: x for x in doc["whatif"]}
ok = (w["old"]["ok"] and not w["new"]["ok"] and all(x["lookalikes"] for x in doc["whatif"])
      and doc["whatif_status"] == "not-ready" and doc["interception"] is None)
print(("ok   " if ok else "FAIL ") + "probe --lab JSON: what-ifs against the look-alikes, no interception")
sys.exit(0 if ok else 1)
PYEOF
"$BIN" lab migrate "$S/lab" >/dev/null
whatif "$D/baltimore_cybertrust_root.pem" >"$S/probe2.txt"
check grep -q "cert-untrusted" "$S/probe2.txt"
check grep -q "^               new roots (the lab's look-alikes): valid$" "$S/probe2.txt"
check grep -q "^               READY: the profile's new roots trust this chain$" "$S/probe2.txt"
# --no-translate: the profile's real roots, as before
whatif "$D/g2_ms2017.pem" --no-translate >"$S/probe3.txt"
check grep -q "^  what if      old roots: fails" "$S/probe3.txt"
stop_lab
check grep -q '"event"' "$S/serve.log"
check test ! -e "$S/cwd/-"
echo "$fails failed"
[ $fails -eq 0 ]
