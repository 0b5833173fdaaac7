#!/bin/sh
# test_rehearse_translate.sh BINARY SCRATCH: real device stores and pins against the lab (issue #19, item 4). The
# stores and pins are real certificates from tests/data (copied from shared/corpus: Debian ca-certificates and
# Microsoft's public CA repository; see tests/data/README.md). Translated to the lab's look-alikes, the real
# G2 + Microsoft RSA 2017 store survives the migration, real Baltimore alone is stranded at it, a pin on the real
# Microsoft RSA TLS CA 01 becomes the lab's old-ca, one on CA 02 too (same role, same issuer), one on the real
# Azure TLS Issuing CA 01 (G2) the lab's new-ca, and the real Microsoft ECC 2017 root, which nothing in the lab
# plays, is kept. With --no-translate every class is cert-untrusted, as before. Then `probe --lab` the same way, with
# --store and with the system store of a device image (--system-root).
BIN=$(realpath "$1")
S=$2
D=$(pwd)/data
PY=/usr/bin/python3
. ./cli/lib/lab.sh
rm -rf "$S" && mkdir -p "$S" || exit 2
fails=0
check() { if "$@"; then echo "ok   $*"; else echo "FAIL $*"; fails=$((fails + 1)); fi; }
AT=2026-01-01T00:00:00Z
LAB_PID=
trap stop_lab EXIT INT TERM

"$BIN" lab init "$S/lab" --seed translate-test --at $AT --fast-keys >/dev/null || exit 2
cat >"$S/fleet.json" <<JSON
{
  "schema": "rootshift/fleet/1",
  "seed": "translate-test",
  "duration": 7200,
  "ramp": 300,
  "classes": [
    { "name": "real-g2-ms2017", "count": 3, "store": "$D/g2_ms2017.pem" },
    { "name": "real-baltimore", "count": 3, "store": "$D/baltimore_cybertrust_root.pem" },
    { "name": "pin-rsa-tls-ca-01", "count": 2, "store": "$D/forms/three_roots.pem",
      "pin": "$D/intermediates/microsoft_rsa_tls_ca_1.pem" },
    { "name": "pin-rsa-tls-ca-02", "count": 2, "store": "$D/forms/three_roots.pem",
      "pin": "$D/intermediates/microsoft_rsa_tls_ca_2.pem" },
    { "name": "pin-azure-ca-01-g2", "count": 2, "store": "$D/forms/three_roots.pem",
      "pin": "$D/intermediates/microsoft_azure_tls_issuing_ca_01_xsign.pem" },
    { "name": "real-ecc-ms2017", "count": 1, "store": "$D/microsoft_ecc_root_ca_2017.pem" }
  ],
  "schedule": [ { "at": 3600, "action": "migrate" } ]
}
JSON

run() { # run OUT ARGS...: the rehearsal against an in-process lab, at a pinned time
  _out=$1
  shift
  "$BIN" rehearse "$S/fleet.json" --lab "$S/lab" --at 2026-01-02T00:00:00Z "$@" >"$S/$_out" 2>"$S/$_out.err"
}

run out.json --format json --report "$S/report.html"
check test $? -eq 1
$PY - "$S/out.json" <<'PYEOF' || fails=$((fails + 1))
import json, sys
doc = json.load(open(sys.argv[1]))
cls = {c["name"]: c for c in doc["classes"]}
ph = lambda n, p: next(x for x in cls[n]["phases"] if x["phase"] == p)
tr = doc["translated"]
by = lambda n, where: [t for t in tr if t["class"] == n and t["in"] == where]
fails = 0
def check(what, ok):
    global fails
    print(("ok   " if ok else "FAIL ") + what)
    fails += 0 if ok else 1
check("G2 + MS 2017: translated to new-root and ms-root",
      [(t["real"]["catalog"], t["lookalike"]["role"], t["how"]) for t in by("real-g2-ms2017", "store")] ==
      [("azure-iot:digicert-global-root-g2", "new-root", "same"),
       ("azure-iot:microsoft-rsa-root-ca-2017", "ms-root", "same")])
check("G2 + MS 2017: the real SHA-256 and the look-alike's",
      by("real-g2-ms2017", "store")[0]["real"]["sha256"] ==
      "cb3ccbb76031e5e0138f8dd39a23f9de47ffc35e43c1144cea27d46a5ab1cb5f"
      and by("real-g2-ms2017", "store")[0]["lookalike"]["sha256"] != by("real-g2-ms2017", "store")[0]["real"]["sha256"]
      and "(rootshift lab)" in by("real-g2-ms2017", "store")[0]["lookalike"]["subject"])
check("G2 + MS 2017: survives the migration (all reconnect, none stranded)",
      ph("real-g2-ms2017", "migrate")["reconnected"] == 3 and ph("real-g2-ms2017", "migrate")["stranded"] == 0
      and cls["real-g2-ms2017"]["curve"][-1] == 3)
check("Baltimore: translated to old-root", [t["lookalike"]["role"] for t in by("real-baltimore", "store")] == ["old-root"])
check("Baltimore: connected before the migration",
      ph("real-baltimore", "start")["stranded"] == 0 and ph("real-baltimore", "start")["reconnected"] == 3)
check("Baltimore: stranded at the migration",
      ph("real-baltimore", "migrate")["reasons"] == {"cert-untrusted": 3} and cls["real-baltimore"]["curve"][-1] == 0)
check("pin on the real RSA TLS CA 01: the lab's old-ca, the same certificate",
      [(t["lookalike"]["role"], t["how"]) for t in by("pin-rsa-tls-ca-01", "pin")] == [("old-ca", "same")])
check("pin on the real RSA TLS CA 02: the lab's old-ca, by role",
      [(t["lookalike"]["role"], t["lookalike"]["plays"], t["how"]) for t in by("pin-rsa-tls-ca-02", "pin")] ==
      [("old-ca", "azure-iot:microsoft-rsa-tls-ca-01", "role")])
check("pin on CA 01: connected on the old chain, stranded by the pin after the migration",
      ph("pin-rsa-tls-ca-01", "start")["stranded"] == 0 and ph("pin-rsa-tls-ca-01", "migrate")["stranded"] == 2)
check("pin on the real Azure TLS Issuing CA 01 (G2): the lab's new-ca",
      [(t["lookalike"]["role"], t["how"]) for t in by("pin-azure-ca-01-g2", "pin")] == [("new-ca", "same")])
check("pin on Azure CA 01: refused on the old chain, connected after the migration",
      ph("pin-azure-ca-01-g2", "start")["stranded"] == 2 and ph("pin-azure-ca-01-g2", "migrate")["reconnected"] == 2
      and ph("pin-azure-ca-01-g2", "migrate")["stranded"] == 0)
check("Microsoft ECC 2017: known, nothing plays it, kept",
      [(t["real"]["catalog"], t["lookalike"], t["how"]) for t in by("real-ecc-ms2017", "store")] ==
      [("azure-iot:microsoft-ecc-root-ca-2017", None, "kept")]
      and ph("real-ecc-ms2017", "start")["reasons"] == {"cert-untrusted": 1})
sys.exit(fails)
PYEOF
check grep -q "note: class 'real-g2-ms2017' store: translated DigiCert Global Root G2 (SHA-256 cb3ccbb76031e5e0...) -> the lab's new-root" "$S/out.json.err"
check grep -q "note: class 'real-ecc-ms2017' store: Microsoft ECC Root Certificate Authority 2017 .* nothing in the lab plays it: kept as it is" "$S/out.json.err"
check grep -q "note: 15 real certificates replaced by the lab's look-alikes of the same role, 1 kept (--no-translate" "$S/out.json.err"
check grep -q "translated to the lab's look-alikes" "$S/report.html"
check grep -q "<td>pin-rsa-tls-ca-02</td><td>pin</td><td>Microsoft RSA TLS CA 02</td>" "$S/report.html"

run out.txt
check test $? -eq 1
check grep -q "^translated: real certificates of the stores and pins, replaced by the lab's look-alikes" "$S/out.txt"
check grep -q "^  real-baltimore  *store Baltimore CyberTrust Root (SHA-256 16af57a9f676b0ab...) -> the lab's old-root" "$S/out.txt"

# The verdict agrees with audit on the real G2 + Microsoft RSA 2017 store: at a time after Baltimore expired
# (2025-05-12), its devices stranded on the lab's old chain do not count (the real service cannot serve that chain
# any more), so a fleet of that class alone is READY (exit 0), as `audit` of the store is; before the expiry the
# same fleet is PARTIAL (exit 1): such devices cannot connect to the service of that day.
$PY - "$S/fleet.json" "$S/g2only.json" <<'PYEOF'
import json, sys
doc = json.load(open(sys.argv[1]))
doc["classes"] = [c for c in doc["classes"] if c["name"] == "real-g2-ms2017"]
json.dump(doc, open(sys.argv[2], "w"))
PYEOF
"$BIN" audit --at 2026-01-02T00:00:00Z "$D/g2_ms2017.pem" >"$S/audit.txt" 2>&1
check test $? -eq 0
check grep -q "^READY" "$S/audit.txt"
"$BIN" rehearse "$S/g2only.json" --lab "$S/lab" --at 2026-01-02T00:00:00Z >"$S/g2only.txt" 2>"$S/g2only.err"
check test $? -eq 0
check grep -q "^READY: every device kept or regained a session in every phase; not counted: 1 class stranded on the old chain, whose root (Baltimore CyberTrust Root) expired on 2025-05-12" "$S/g2only.txt"
check grep -q "nothing to add for the old chain" "$S/g2only.txt"
"$BIN" rehearse "$S/g2only.json" --lab "$S/lab" --at 2026-01-02T00:00:00Z --format json >"$S/g2only.json.out" 2>/dev/null
check test $? -eq 0
check grep -q '"lab_only_classes": 1' "$S/g2only.json.out"
"$BIN" lab init "$S/lab2024" --seed translate-test --at 2024-05-01T00:00:00Z --fast-keys >/dev/null || exit 2
"$BIN" rehearse "$S/g2only.json" --lab "$S/lab2024" --at 2024-06-01T00:00:00Z >"$S/g2only-2024.txt" 2>/dev/null
check test $? -eq 1
check grep -q "^PARTIAL: every device has a session at the end, but some were stranded on the way$" "$S/g2only-2024.txt"

# --no-translate: today's behaviour, every class cert-untrusted from the start, and nothing said about translation
run plain.json --format json --no-translate --report "$S/plain.html"
check test $? -eq 1
$PY - "$S/plain.json" <<'PYEOF' || fails=$((fails + 1))
import json, sys
doc = json.load(open(sys.argv[1]))
ok = "translated" not in doc and all(
    p["reasons"] == {"cert-untrusted": c["count"]} for c in doc["classes"] for p in c["phases"])
print(("ok   " if ok else "FAIL ") + "--no-translate: every class cert-untrusted in every phase, no translated section")
sys.exit(0 if ok else 1)
PYEOF
check sh -c "! grep -q 'translated' '$S/plain.json.err' '$S/plain.html'"

# probe --lab: the same translation against a lab served by another process
start_lab "$S/lab" "$S/serve.log" --at $AT || exit 1
probe() { # probe STORE ARGS...: the result code against the lab's hub (its name and port from --lab)
  _store=$1
  shift
  "$BIN" probe --lab "$S/lab" --protocol tls --at $AT --store "$_store" --format json "$@" >"$S/probe.json" \
    2>"$S/probe.err"
  sed -n 's/.*"code": "\([^"]*\)".*/\1/p' "$S/probe.json" | head -n 1
}
check [ "$(probe "$D/baltimore_cybertrust_root.pem")" = ok ]
check grep -q '"role": "old-root"' "$S/probe.json"
check grep -q "note: --store: translated Baltimore CyberTrust Root" "$S/probe.err"
"$BIN" probe --lab "$S/lab" --protocol tls --at $AT --store "$D/baltimore_cybertrust_root.pem" >"$S/probe.txt" 2>/dev/null
check grep -q "^  translated   --store: 1 real certificate replaced by the lab's look-alikes, 0 kept" "$S/probe.txt"
check [ "$(probe "$D/baltimore_cybertrust_root.pem" --no-translate)" = cert-untrusted ]
check sh -c "! grep -q translated '$S/probe.json' '$S/probe.err'"
check [ "$(probe "$D/g2_ms2017.pem")" = cert-untrusted ]
# Without --store the system store is translated the same way: the system store of a device image unpacked under
# --system-root (never this host's, whose contents the test cannot know).
mkdir -p "$S/rootfs-balt/etc/ssl/certs" "$S/rootfs-g2/etc/ssl/certs"
cp "$D/baltimore_cybertrust_root.pem" "$S/rootfs-balt/etc/ssl/certs/ca-certificates.crt"
cp "$D/g2_ms2017.pem" "$S/rootfs-g2/etc/ssl/certs/ca-certificates.crt"
sysprobe() { # sysprobe ROOTFS ARGS...: the result code with the system store under ROOTFS
  _root=$1
  shift
  "$BIN" probe --lab "$S/lab" --protocol tls --at $AT --system-root "$_root" --format json "$@" >"$S/sys.json" \
    2>"$S/sys.err"
  sed -n 's/.*"code": "\([^"]*\)".*/\1/p' "$S/sys.json" | head -n 1
}
check [ "$(sysprobe "$S/rootfs-balt")" = ok ]
check grep -q '"role": "old-root"' "$S/sys.json"
check grep -q "note: the system store: translated Baltimore CyberTrust Root" "$S/sys.err"
"$BIN" probe --lab "$S/lab" --protocol tls --at $AT --system-root "$S/rootfs-balt" >"$S/sys.txt" 2>/dev/null
check grep -q "^  translated   the system store: 1 real certificate replaced by the lab's look-alikes, 0 kept" "$S/sys.txt"
check [ "$(sysprobe "$S/rootfs-balt" --no-translate)" = cert-untrusted ]
check sh -c "! grep -q translated '$S/sys.json' '$S/sys.err'"
check [ "$(sysprobe "$S/rootfs-g2")" = cert-untrusted ]
"$BIN" probe --lab "$S/lab" --protocol tls --system-root "$S/rootfs-g2" --store "$D/g2_ms2017.pem" >/dev/null \
  2>"$S/usage.err"
check test $? -eq 2
check grep -q -- "give --store or --system-root, not both" "$S/usage.err"
"$BIN" lab migrate "$S/lab" >/dev/null
check [ "$(probe "$D/g2_ms2017.pem")" = ok ]
check [ "$(sysprobe "$S/rootfs-g2")" = ok ]
check [ "$(sysprobe "$S/rootfs-balt")" = cert-untrusted ]
check [ "$(probe "$D/g2_ms2017.pem" --no-translate)" = cert-untrusted ]
check [ "$(probe "$D/baltimore_cybertrust_root.pem")" = cert-untrusted ]
# rehearse --target lab:DIR translates too; that lab serves the new chain now, so the rehearsal starts from it
"$BIN" rehearse "$S/fleet.json" --target "lab:$S/lab" --at 2026-01-02T00:00:00Z --format json >"$S/remote.json" \
  2>"$S/remote.err"
$PY - "$S/remote.json" <<'PYEOF' || fails=$((fails + 1))
import json, sys
doc = json.load(open(sys.argv[1]))
cls = {c["name"]: c for c in doc["classes"]}
ok = (len(doc["translated"]) == 16 and cls["real-g2-ms2017"]["phases"][0]["stranded"] == 0
      and cls["real-baltimore"]["phases"][0]["reasons"] == {"cert-untrusted": 3})
print(("ok   " if ok else "FAIL ") + "--target lab:DIR: translated, G2 + MS 2017 connects to the new chain, Baltimore not")
sys.exit(0 if ok else 1)
PYEOF
check grep -q "note: 15 real certificates replaced" "$S/remote.err"
# A lab that serves the new chain when the rehearsal starts: its first phase played the new chain, so Baltimore
# devices stranded there count and the advice names the new root; the revert plays the expired old chain, so the
# end judged is the first phase's (NOT READY although the revert brought them back in the lab).
$PY - "$S/fleet.json" "$S/balt-revert.json" <<'PYEOF'
import json, sys
doc = json.load(open(sys.argv[1]))
doc["classes"] = [c for c in doc["classes"] if c["name"] == "real-baltimore"]
doc["schedule"] = [{"at": 3600, "action": "revert"}]
json.dump(doc, open(sys.argv[2], "w"))
PYEOF
"$BIN" rehearse "$S/balt-revert.json" --target "lab:$S/lab" --at 2026-01-02T00:00:00Z >"$S/remote.txt" 2>/dev/null
check test $? -eq 1
check grep -q "^NOT READY: some devices are stranded at the end (the end judged is that of the start phase, at 01:00, the last that played a chain the real service can serve)$" "$S/remote.txt"
check grep -q "real-baltimore (0 of 3 stranded at the end): its trust store (.*baltimore_cybertrust_root.pem) does not hold the new root the service served from the start" "$S/remote.txt"
"$BIN" lab migrate "$S/lab" >/dev/null

"$BIN" probe --at $AT --store "$D/g2_ms2017.pem" --no-translate 127.0.0.1 >/dev/null 2>"$S/usage.err"
check test $? -eq 2
check grep -q -- "--no-translate is for a probe of a lab (--lab DIR)" "$S/usage.err"
"$BIN" probe --lab "$S/nolab" --protocol tls --store "$D/g2_ms2017.pem" >/dev/null 2>"$S/usage.err"
check test $? -eq 2
stop_lab
echo "$fails failed"
[ $fails -eq 0 ]
