#!/bin/sh
# test_scan_realworld_langs.sh BINARY SCRATCH: the real-world evaluation set of languages other than C
# (data/scan/realworld-langs, issue #16's non-C forms): a Python gateway package, an Android app (OkHttp pins in Kotlin objects and a Java class, a
# network-security-config), a .NET device client, Go, Node/TypeScript and YAML/JSON/INI/.properties configs, with
# real certificates' digests (Baltimore, DigiCert G2, Microsoft RSA 2017, Azure intermediates). Each form is found at
# the call, with the definition in another file as the related location (and the call in its used_at), and the
# severity the migration gives at 2026-01-01; the look-alikes under neg/ give no warning or error; SARIF links the
# call and the definition both ways; --jobs 1 gives the same JSON as the default.
set -eu
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
bin=$(realpath "$1")
scratch=$2
rm -rf "$scratch"
mkdir -p "$scratch"
at=--at=2026-01-01T00:00:00Z
set +e
"$bin" scan $at --format json data/scan/realworld-langs >"$scratch/all.json"; rc=$?
"$bin" scan $at --format json --jobs 1 data/scan/realworld-langs >"$scratch/one.json"
"$bin" scan $at --format sarif data/scan/realworld-langs >"$scratch/all.sarif"
set -e
[ "$rc" = 1 ] || { echo "FAIL: exit $rc, want 1"; exit 1; }
cmp -s "$scratch/all.json" "$scratch/one.json" || { echo "FAIL: --jobs 1 differs from the default"; exit 1; }
"$PY" - "$scratch/all.json" "$scratch/all.sarif" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
pre = "data/scan/realworld-langs/"
got = {}
for f in d["findings"]:
    r = (f.get("related") or [{}])[0]
    key = (f["path"][len(pre):], f["line"], (r.get("name") or ""), r.get("line"))
    got[key] = f
# path of the call, line, name passed, rule, severity, definition's file, its line
want = [
    ("python/fleetgw/client.py", 22, "ISSUER_SHA1", "pin-intermediate", "warning", "python/fleetgw/constants.py", 22),
    ("python/fleetgw/client.py", 30, "HUB_CA_CERT", "anchor-not-root", "warning", "python/fleetgw/constants.py", 13),
    ("python/fleetgw/mqtt.py", 14, "file:azure-ica03.pem", "anchor-not-root", "warning", "python/fleetgw/certs/azure-ica03.pem", 1),
    ("python/fleetgw/mqtt.py", 19, "ROOT_CA_FILE", "single-root-file", "error", "python/fleetgw/constants.py", 16),
    ("python/fleetgw/mqtt.py", 22, "HUB_ROOT_SHA256", "pin-root", "error", "python/fleetgw/constants.py", 19),
    ("android/app/src/main/java/com/fleet/hub/HubApi.kt", 15, "ISSUING_CA", "pin-intermediate", "warning", "android/app/src/main/java/com/fleet/hub/Pins.kt", 11),
    ("android/app/src/main/java/com/fleet/hub/HubApi.kt", 16, "BACKUP_ROOT", "pin-root", "info", "android/app/src/main/java/com/fleet/hub/Pins.kt", 14),
    ("android/app/src/main/java/com/fleet/hub/HubApi.kt", 17, "LEGACY_ISSUER_PIN", "pin-intermediate", "warning", "android/app/src/main/java/com/fleet/hub/HubApi.kt", 11),
    ("android/app/src/main/java/com/fleet/hub/TelemetryClient.java", 15, "ROOT_PIN", "pin-root", "error", "android/app/src/main/java/com/fleet/hub/TelemetryPins.java", 9),
    ("android/app/src/main/res/xml/network_security_config.xml", 8, "", "pin-intermediate", "warning", None, None),
    ("android/app/src/main/res/xml/network_security_config.xml", 10, "", "pin-root", "info", None, None),
    ("dotnet/DeviceClient/HubConnection.cs", 30, "HubRootThumbprint", "pin-root", "error", "dotnet/DeviceClient/TrustedCerts.cs", 7),
    ("dotnet/DeviceClient/MqttTransport.cs", 28, "MqttIssuerThumbprint", "pin-intermediate", "warning", "dotnet/DeviceClient/TrustedCerts.cs", 10),
    ("dotnet/DeviceClient/HubOptions.cs", 25, "PinnedIssuerThumbprint", "pin-intermediate", "error", "dotnet/DeviceClient/appsettings.json", 6),
    ("go/uplink/client.go", 24, "issuerCertSHA256", "pin-intermediate", "warning", "go/uplink/pins.go", 6),
    ("go/uplink/client.go", 39, "rootKeyPin", "pin-root", "error", "go/uplink/pins.go", 7),
    ("go/uplink/ca.go", 15, "hubCAPEM", "anchor-not-root", "warning", "go/uplink/ca.go", 9),
    ("node/src/link.ts", 20, "HUB_KEY_PIN", "pin-root", "info", "node/src/config.ts", 5),
    ("node/src/link.ts", 20, "LEGACY_KEY_PIN", "pin-root", "error", "node/src/config.ts", 6),
    ("node/src/mgmt.ts", 13, "MGMT_ROOT_KEYS", "pin-root", "info", "node/src/keys.ts", 3),
    ("node/src/mgmt.ts", 13, "MGMT_ROOT_KEYS", "pin-root", "error", "node/src/keys.ts", 4),
    ("go/mgmt/tls.go", 16, "expectedRootKey", "pin-root", "info", "go/mgmt/keys.go", 4),
    ("node/src/twin.ts", 13, "issuerFingerprint256", "pin-intermediate", "warning", "node/config/default.json", 4),
    ("configs/gateway.yaml", 7, "file:ms-tls-ca-01.pem", "anchor-not-root", "error", "configs/certs/ms-tls-ca-01.pem", 1),
    ("configs/agent.ini", 8, "file:cloud-root.pem", "single-root-file", "error", "configs/certs/cloud-root.pem", 1),
    # not followed (a local variable read from a property, then compared): found at the definition
    ("configs/uplink.properties", 4, "", "pin-intermediate", "warning", None, None),
]
bad = []
for path, line, name, rule, sev, rpath, rline in want:
    f = got.pop((path, line, name, rline), None)
    if not f:
        bad.append(f"missing: {path}:{line} {name} {rule}")
        continue
    if f["rule"] != rule or f["severity"] != sev:
        bad.append(f"{path}:{line} {name}: {f['rule']} {f['severity']}, want {rule} {sev}")
    if rpath:
        r = f["related"][0]
        if r["path"] != pre + rpath or r["line"] != rline:
            bad.append(f"{path}:{line}: related {r['path']}:{r['line']}, want {rpath}:{rline}")
        if not any(u["path"] == f["path"] and u["line"] == line for u in r.get("used_at", [])):
            bad.append(f"{path}:{line}: the definition's used_at misses the call")
        if f["message"].find(f"defined in {rpath.rsplit('/', 1)[-1]} line {rline}") < 0:
            bad.append(f"{path}:{line}: the message does not name the definition: {f['message']}")
# what is left: the look-alikes give no warning or error; nothing else is reported
for (path, line, name, _), f in got.items():
    if path.startswith("neg/") and f["severity"] == "info":
        continue
    bad.append(f"unexpected: {path}:{line} {f['rule']} {f['severity']} {name}")
s = json.load(open(sys.argv[2]))
res = s["runs"][0]["results"]
link = [x for x in res if x["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("node/src/link.ts")
        and "LEGACY_KEY_PIN" in x["message"]["text"]]
if len(link) != 1 or not link[0].get("relatedLocations") or \
        not link[0]["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("node/src/config.ts"):
    bad.append("SARIF: link.ts's LEGACY_KEY_PIN result has no relatedLocation in config.ts")
elif not link[0]["relatedLocations"][0].get("relationships"):
    bad.append("SARIF: the definition does not point back at the call")
if bad:
    print("FAIL:\n  " + "\n  ".join(bad))
    sys.exit(1)
print(f"ok: {len(want)} forms at their calls with their definitions, no warning or error on the look-alikes")
PY
