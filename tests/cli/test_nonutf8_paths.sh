#!/bin/sh
# test_nonutf8_paths.sh BINARY SCRATCH: file names are bytes. A path that is not UTF-8 keeps `path` in JSON (its
# bad bytes written as \xNN) and gains `path_base64` with the exact bytes, in scan and in audit; audit lists a
# special file inside a tree with its reason (an `unreadable` finding), never silently (issue #14).
set -eu
bin=$(realpath "$1")
scratch=$2
rm -rf "$scratch"
mkdir -p "$scratch/tree"
fail() { echo "FAIL: $*"; exit 1; }
PY=/usr/bin/python3
bad=$(printf 'fw-\377\376.ino')
cp data/scan/fire/esp8266_baltimore.ino "$scratch/tree/$bad"
cp data/certifi-2025.01.31.pem "$scratch/tree/$(printf 'store-\351.pem')"
mkfifo "$scratch/tree/fifo"

set +e
timeout 20 "$bin" scan --at 2026-01-01T00:00:00Z --format json "$scratch/tree" >"$scratch/scan.json" 2>/dev/null
rc=$?
timeout 20 "$bin" audit --at 2026-01-01T00:00:00Z --format json "$scratch/tree" >"$scratch/audit.json" 2>/dev/null
rca=$?
timeout 20 "$bin" audit --at 2026-01-01T00:00:00Z "$scratch/tree" >"$scratch/audit.txt" 2>&1
set -e
[ $rc = 1 ] || fail "scan: exit $rc"
[ $rca -le 1 ] || fail "audit: exit $rca"
grep -q "fifo" "$scratch/audit.txt" || fail "audit text does not name the FIFO: $(cat "$scratch/audit.txt")"
"$PY" - "$scratch/scan.json" "$scratch/audit.json" <<'PY' || fail "json"
import base64, json, sys
d = json.load(open(sys.argv[1]))
bad = [f for f in d["findings"] if "path_base64" in f]
assert bad, "scan: no finding with path_base64"
raw = base64.b64decode(bad[0]["path_base64"])
assert raw.endswith(b"/fw-\xff\xfe.ino"), raw
assert bad[0]["path"].endswith("/fw-\\xff\\xfe.ino"), bad[0]["path"]
a = json.load(open(sys.argv[2]))
text = json.dumps(a)
assert "path_base64" in text, "audit: no path_base64"
def walk(o):
    if isinstance(o, dict):
        if "path_base64" in o:
            yield o
        for v in o.values():
            yield from walk(v)
    elif isinstance(o, list):
        for v in o:
            yield from walk(v)
hits = list(walk(a))
assert any(base64.b64decode(h["path_base64"]).endswith(b"/store-\xe9.pem") for h in hits), hits[:2]
assert any(h["path"].endswith("/store-\\xe9.pem") for h in hits)
assert "fifo" in text and "special file" in text, "audit: the FIFO is not listed"
print("ok: scan and audit JSON keep non-UTF-8 paths (path + path_base64); audit lists the FIFO")
PY
rm -rf "$scratch"
