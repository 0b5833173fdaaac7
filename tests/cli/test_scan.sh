#!/bin/sh
# test_scan.sh BINARY SCRATCH: scan's SARIF validated against the official SARIF 2.1.0 schema (python3-jsonschema),
# the JSON contract, --baseline (only new findings), .rootshiftignore, --jobs giving the same answer, and the walk
# skipping .git and build outputs.
set -eu
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
bin=$(realpath "$1")
scratch=$2
rm -rf "$scratch"
mkdir -p "$scratch"
fail() { echo "FAIL: $*"; exit 1; }
at=--at=2026-01-01T00:00:00Z

# SARIF: valid against the schema, one result per finding of the JSON output, rules with stable ids.
rc=0; "$bin" scan $at --format sarif data/scan/fire >"$scratch/fire.sarif" || rc=$?
[ "$rc" = 1 ] || fail "sarif run exit $rc, expected 1"
"$bin" scan $at --format json data/scan/fire >"$scratch/fire.json" || true
"$PY" - data/sarif-schema-2.1.0.json "$scratch/fire.sarif" "$scratch/fire.json" <<'PY'
import json, re, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
sarif = json.load(open(sys.argv[2]))
jsonschema.Draft7Validator.check_schema(schema)
jsonschema.Draft7Validator(schema).validate(sarif)
doc = json.load(open(sys.argv[3]))
run = sarif["runs"][0]
rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
assert rules == ["pin-intermediate", "pin-leaf", "pin-alias", "pin-root", "pin-unknown", "pin-placeholder",
                 "name-check", "anchor-not-root", "single-root-file", "ca-store", "archive-unread", "verify-disabled"], rules
assert len(run["results"]) == len(doc["findings"]) > 20
for r in run["results"]:
    assert rules[r["ruleIndex"]] == r["ruleId"]
    assert r["level"] in ("error", "warning", "note")
assert doc["schema"] == "rootshift/scan/1"
fired = {f["rule"] for f in doc["findings"]}
missing = set(rules) - fired - {"pin-leaf", "archive-unread"}
assert not missing, missing
for f in doc["findings"]:
    for k in ("rule", "kind", "severity", "path", "line", "column", "value", "algorithm", "known", "message"):
        assert k in f, (k, f)
    if f["kind"] in ("fingerprint", "spki-pin") and f["rule"] != "pin-placeholder":
        assert re.fullmatch(r"[0-9a-f]{40}|[0-9a-f]{64}", f["value"]), f["value"]
PY

# The near-misses stay quiet in every format.
"$bin" scan $at --format sarif data/scan/quiet >"$scratch/quiet.sarif" || fail "quiet tree has findings"
"$PY" - data/sarif-schema-2.1.0.json "$scratch/quiet.sarif" <<'PY'
import json, sys, jsonschema
jsonschema.Draft7Validator(json.load(open(sys.argv[1]))).validate(json.load(open(sys.argv[2])))
assert json.load(open(sys.argv[2]))["runs"][0]["results"] == []
PY

# --baseline: the same tree reports nothing new; one new pin is the only finding.
mkdir -p "$scratch/tree/src"
cp data/scan/fire/esp8266_fingerprint.ino data/scan/fire/openssl_verify_cb.c "$scratch/tree/src/"
(cd "$scratch" && "$bin" scan $at --format json tree >base.json) && fail "first run should exit 1"
(cd "$scratch" && "$bin" scan $at --baseline base.json tree >same.txt) || fail "baseline run should exit 0"
grep -q '^0 errors, 0 warnings, 0 notes in 2 files; [0-9]* in the baseline$' "$scratch/same.txt" || fail "baseline: $(cat "$scratch/same.txt")"
echo '  client.setFingerprint("B0 C2 D2 D1 3C DD 56 CD AA 6A B6 E2 C0 44 40 BE 4A 42 9C 75");' >>"$scratch/tree/src/esp8266_fingerprint.ino"
rc=0; (cd "$scratch" && "$bin" scan $at --format json --baseline base.json tree >new.json) || rc=$?
[ "$rc" = 1 ] || fail "new pin: exit $rc"
"$PY" - "$scratch/new.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert [f["known"] for f in d["findings"]] == ["microsoft-rsa-tls-ca-02"], d["findings"]
assert d["summary"]["baseline"] > 3
PY

# .rootshiftignore at the top of the tree, and --no-ignore.
printf '# reviewed: debug builds only\nsrc/openssl_*.c verify-disabled name-check\nvalue:417e225037fbfaa4f95761d5ae729e1aea7e3a42\n' >"$scratch/tree/.rootshiftignore"
(cd "$scratch" && "$bin" scan $at --format json tree >ign.json) || true
(cd "$scratch" && "$bin" scan $at --format json --no-ignore tree >noign.json) || true
"$PY" - "$scratch/ign.json" "$scratch/noign.json" <<'PY'
import json, sys
ign, no = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
rules = [(f["path"].split("/")[-1], f["rule"]) for f in ign["findings"]]
assert ("openssl_verify_cb.c", "verify-disabled") not in rules and ("openssl_verify_cb.c", "name-check") not in rules, rules
assert ("openssl_verify_cb.c", "pin-unknown") in rules, rules
assert ("esp8266_fingerprint.ino", "pin-alias") not in rules, rules
assert ign["summary"]["suppressed"] == 4 and no["summary"]["suppressed"] == 0, (ign["summary"], no["summary"])
assert len(no["findings"]) == len(ign["findings"]) + 4
PY

# The walk skips .git and build outputs; --jobs gives the same findings in the same order.
mkdir -p "$scratch/tree/.git/objects" "$scratch/tree/build" "$scratch/tree/out/cmake" "$scratch/tree/node_modules/x"
for d in .git/objects build out/cmake node_modules/x; do cp data/scan/fire/esp8266_insecure.ino "$scratch/tree/$d/"; done
touch "$scratch/tree/out/CMakeCache.txt"
(cd "$scratch" && "$bin" scan $at --no-ignore --format json tree >walk1.json) || true
(cd "$scratch" && "$bin" scan $at --no-ignore --format json --jobs 4 tree >walk4.json) || true
cmp -s "$scratch/walk1.json" "$scratch/walk4.json" || fail "--jobs 4 differs from --jobs 1"
cmp -s "$scratch/walk1.json" "$scratch/noign.json" || fail "skipped directories were scanned"

echo "ok"
