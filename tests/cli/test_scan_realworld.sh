#!/bin/sh
# test_scan_realworld.sh BINARY SCRATCH: the real-world evaluation set (data/scan/realworld) packed as firmware
# images: scan of .tar.gz, .tgz, .zip, .cpio, .tar.xz, .tar.zst and a .tar.gz holding a .zip gives the findings of
# the unpacked tree (rule, level, API, line, definition), at "IMAGE!/member" paths; audit of a .tar.gz and a .gz
# gives the unpacked verdict; a certifi bundle inside an image gives no warning or error.
set -eu
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
bin=$(realpath "$1")
scratch=$2
rm -rf "$scratch"
mkdir -p "$scratch"
fail() { echo "FAIL: $*"; exit 1; }
at=--at=2026-01-01T00:00:00Z
have() { command -v "$1" >/dev/null 2>&1 || { echo "skip: no $1"; return 1; }; }
src=$(realpath data/scan/realworld)
tree="$scratch/tree"
mkdir -p "$tree"
# the sources only: the committed firmware images are judged below
(cd "$src" && tar -cf - --exclude=./firmware .) | (cd "$tree" && tar -xf -)

findings() { # findings PATH PREFIX: one line per finding, the path relative to PREFIX
	"$bin" scan $at --format json "$1" | "$PY" -c '
import json, sys
pre = sys.argv[1]
def rel(p):
    assert p.startswith(pre), (p, pre)
    return p[len(pre):]
for f in json.load(sys.stdin)["findings"]:
    r = f.get("related") or [{}]
    print(rel(f["path"]), f["line"], f["rule"], f["severity"], f["api"], r[0].get("name"),
          rel(r[0]["path"]) if "path" in r[0] else None, r[0].get("line"))
' "$2" || true
}
findings "$tree" "$tree/" >"$scratch/want"
[ "$(wc -l <"$scratch/want")" -ge 20 ] || fail "the unpacked tree gives $(wc -l <"$scratch/want") findings"
cd "$tree"
made=""
have tar && tar -cf "$scratch/fw.tar" . && made="$made fw.tar"
have gzip && tar -czf "$scratch/fw.tar.gz" . && cp "$scratch/fw.tar.gz" "$scratch/fw.tgz" && made="$made fw.tar.gz fw.tgz"
have xz && tar -cJf "$scratch/fw.tar.xz" . && made="$made fw.tar.xz"
have zstd && tar -cf - . | zstd -q -o "$scratch/fw.tar.zst" && made="$made fw.tar.zst"
have zip && zip -qr "$scratch/fw.zip" . && made="$made fw.zip"
have cpio && find . | cpio -o -H newc 2>/dev/null >"$scratch/fw.cpio" && made="$made fw.cpio"
cd - >/dev/null
for a in $made; do
	findings "$scratch/$a" "$scratch/$a!/" | sed 's|^\./||; s| \./| |' >"$scratch/got"
	diff -u "$scratch/want" "$scratch/got" || fail "$a: findings differ from the unpacked tree"
done
echo "same findings as the tree ($(wc -l <"$scratch/want")) for$made"

# nested: a .tar.gz whose sketch is a .zip inside
if have zip && have gzip; then
	mkdir -p "$scratch/nest/opt/sketch"
	(cd "$tree/arduino/define_hdr" && zip -qr "$scratch/nest/opt/sketch/sketch.zip" .)
	tar -czf "$scratch/nested.tar.gz" -C "$scratch/nest" .
	"$bin" scan $at --format json "$scratch/nested.tar.gz" >"$scratch/nested.json" || true
	"$PY" - "$scratch/nested.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
f = [x for x in d["findings"] if x["path"].endswith("nested.tar.gz!/opt/sketch/sketch.zip!/telemetry.ino")]
assert len(f) == 1 and f[0]["severity"] == "error" and f[0]["api"] == "WiFiClientSecure::setFingerprint", d["findings"]
assert f[0]["related"][0]["path"].endswith("sketch.zip!/hub_config.h"), f[0]["related"]
PY
	echo "nested zip in tar.gz: found at the call, definition in the zip"
fi

# audit: the image's verdict is the unpacked contents' verdict
verdict() { "$bin" audit $at --format json "$1" | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["verdict"]["status"])' || true; }
mkdir -p "$scratch/fwroot"
tar -xzf data/scan/realworld/firmware/gateway-fw.tar.gz -C "$scratch/fwroot"
want=$(verdict "$scratch/fwroot"); got=$(verdict data/scan/realworld/firmware/gateway-fw.tar.gz)
[ -n "$want" ] && [ "$want" = "$got" ] || fail "gateway-fw.tar.gz: audit '$got', unpacked '$want'"
gzip -dc data/scan/realworld/firmware/hub-ca.pem.gz >"$scratch/hub-ca.pem"
want=$(verdict "$scratch/hub-ca.pem"); got=$(verdict data/scan/realworld/firmware/hub-ca.pem.gz)
[ "$want" = not-ready ] && [ "$got" = "$want" ] || fail "hub-ca.pem.gz: audit '$got', unpacked '$want'"
echo "audit: gateway-fw.tar.gz $got as unpacked; hub-ca.pem.gz not-ready as unpacked"

# a certifi bundle in an image is a store: no warning, no error
mkdir -p "$scratch/certifi/etc/ssl/certs"
cp data/certifi-2025.01.31.pem "$scratch/certifi/etc/ssl/certs/ca-certificates.crt"
tar -czf "$scratch/certifi.tar.gz" -C "$scratch/certifi" .
"$bin" scan $at --format json "$scratch/certifi.tar.gz" >"$scratch/certifi.json" || fail "certifi.tar.gz: exit $?"
"$PY" - "$scratch/certifi.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
s = d["summary"]
assert s["errors"] == 0 and s["warnings"] == 0 and s["notes"] == 1, s
assert d["findings"][0]["rule"] == "ca-store", d["findings"]
PY
echo "certifi in an image: one note, no warning or error"
