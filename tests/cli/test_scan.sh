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

# The reverse link: a definition taken by several calls leads back to each (JSON related[0].used_at; SARIF
# relatedLocations with relationships both ways), valid against the schema.
"$bin" scan $at --format json data/scan/apis/pos >"$scratch/apis.json" || true
"$bin" scan $at --format sarif data/scan/apis/pos >"$scratch/apis.sarif" || true
"$PY" - data/sarif-schema-2.1.0.json "$scratch/apis.json" "$scratch/apis.sarif" <<'PY'
import json, sys, jsonschema
doc, sarif = json.load(open(sys.argv[2])), json.load(open(sys.argv[3]))
jsonschema.Draft7Validator(json.load(open(sys.argv[1]))).validate(sarif)
uses = [f for f in doc["findings"] if f.get("related") and f["related"][0]["name"] == "file:azure_ica03.pem"]
assert len(uses) == 3, uses
for f in uses:
    back = sorted((u["path"].split("/")[-1], u["line"]) for u in f["related"][0]["used_at"])
    assert back == [("mqtt_tls.py", 5), ("uploader.py", 11), ("uploader.py", 17)], back
res = [r for r in sarif["runs"][0]["results"] if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("uploader.py")]
assert len(res) == 2, res
for r in res:
    rel = r["relatedLocations"]
    assert rel[0]["id"] == 1 and rel[0]["physicalLocation"]["artifactLocation"]["uri"].endswith("azure_ica03.pem")
    assert r["locations"][0]["relationships"][0]["target"] == 1
    assert sorted(x["target"] for x in rel[0]["relationships"]) == [0] + [x["id"] for x in rel[1:]] and len(rel) == 3
PY

# --rules FILE: an API added as data is found at its call; a bad file exits 2 naming its line and column; the
# built-in table needs no file at run time.
printf 'int f(void) { return vendor_tls_check("9f2c4e1a7b3d5f60812a4c6e8b0d2f4a6c8e0b1d"); }\n' >"$scratch/net.c"
printf '{ "format": "rootshift-scan-rules/1",\n  "value_apis": [ { "needle": "vendor_tls_check", "name": "Vendor TLS check" } ] }\n' >"$scratch/extra.json"
"$bin" scan $at "$scratch/net.c" >/dev/null || fail "built-in rules: vendor call reported"
rc=0; "$bin" scan $at --format json --rules "$scratch/extra.json" "$scratch/net.c" >"$scratch/extra.out" || rc=$?
[ "$rc" = 1 ] || fail "--rules: exit $rc, expected 1"
grep -q '"api": "Vendor TLS check"' "$scratch/extra.out" || fail "--rules: API not named"
printf '{ "format": "rootshift-scan-rules/1",\n  "value_apis": [ { "needle": "x", "nam": "X" } ] }\n' >"$scratch/bad.json"
rc=0; "$bin" scan $at --rules "$scratch/bad.json" "$scratch/net.c" >/dev/null 2>"$scratch/bad.err" || rc=$?
[ "$rc" = 2 ] || fail "bad --rules: exit $rc, expected 2"
grep -q 'bad.json line 2 column 19: value_apis\[0\]: unknown field nam' "$scratch/bad.err" || fail "bad --rules: $(cat "$scratch/bad.err")"
printf '{ "format": "rootshift-scan-rules/1", "value_apis": [ }' >"$scratch/bad.json"
rc=0; "$bin" scan $at --rules "$scratch/bad.json" "$scratch/net.c" >/dev/null 2>"$scratch/bad.err" || rc=$?
[ "$rc" = 2 ] && grep -q 'line 1 column' "$scratch/bad.err" || fail "bad JSON --rules: exit $rc, $(cat "$scratch/bad.err")"
rc=0; "$bin" scan $at --rules "$scratch/none.json" "$scratch/net.c" >/dev/null 2>&1 || rc=$?
[ "$rc" = 2 ] || fail "missing --rules file: exit $rc"

# A failed run still gives a CI job what it uploads: with --format sarif, a SARIF log valid against the schema whose
# invocation failed (executionSuccessful false, the message as an error notification), exit 2; with --format json
# (or -f json) the error document. Bad input (a missing path, a bad --jobs, an unknown profile, an unknown option)
# and a tree where nothing could be read (a FIFO only).
mkdir -p "$scratch/fifo-only"
mkfifo "$scratch/fifo-only/pipe"
n=0
for args in "$scratch/missing dir" "--jobs 0 data/scan/quiet" "--profile nope data/scan/quiet" \
	"--bogus data/scan/quiet" "$scratch/fifo-only"; do
	n=$((n + 1))
	for fmt in "--format sarif" "-f sarif" "--format json" "-fjson" "--json"; do
		rc=0
		case $args in
		"$scratch/missing dir") "$bin" scan $at $fmt "$args" >"$scratch/fail.out" 2>"$scratch/fail.err" || rc=$? ;;
		*) "$bin" scan $at $fmt $args >"$scratch/fail.out" 2>"$scratch/fail.err" || rc=$? ;;
		esac
		[ "$rc" = 2 ] || fail "failed run ($fmt $args): exit $rc"
		[ -s "$scratch/fail.err" ] || fail "failed run ($fmt $args): nothing on stderr"
		"$PY" - data/sarif-schema-2.1.0.json "$scratch/fail.out" "$fmt" "$(grep "^error: " "$scratch/fail.err")" <<'PY' || fail "failed run ($fmt $args): $(head -c 300 "$scratch/fail.out")"
import json, sys, jsonschema
doc = json.load(open(sys.argv[2]))  # exactly one document
err = sys.argv[4]
if "sarif" in sys.argv[3]:
    jsonschema.Draft7Validator(json.load(open(sys.argv[1]))).validate(doc)
    run = doc["runs"][0]
    assert run["results"] == [], run["results"]
    inv = run["invocations"][0]
    assert inv["executionSuccessful"] is False, inv
    last = inv["toolExecutionNotifications"][-1]
    assert last["level"] == "error" and last["descriptor"]["id"] in ("io", "usage", "input", "error"), last
    assert err.startswith("error: " + last["message"]["text"]), (err, last)
else:
    assert set(doc) == {"error"} and set(doc["error"]) == {"code", "message"}, doc
    assert err.startswith("error: " + doc["error"]["message"]), (err, doc)
PY
	done
done
[ "$n" = 5 ] || fail "failure cases: $n"

echo "ok"
