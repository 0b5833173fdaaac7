#!/bin/sh
# test_esp_image.sh BINARY SCRATCH: an ESP32-family firmware that trusts ESP-IDF's certificate bundle
# (esp_crt_bundle_attach: x509_crt_bundle embedded in the app's .rodata, subject names and keys, no certificates) is
# audited from the bundle inside it: an app image, a merged flash image (bootloader at 0x1000, app at 0x10000) and
# the build's ELF, each with the current (ESP-IDF 5) and the legacy (4.x) layout, give the anchors and verdict of
# the bundle file alone, at offsets shifted by where the bundle lies; a store of Baltimore alone is NOT READY
# (exit 1), G2 alone PARTIAL (exit 1), certifi's READY; scan gives the bundle file's findings; the same bundle in bytes
# that are no ESP firmware is not looked for (random bytes may hold anything), and ESP headers around no bundle add
# nothing. The images are written by cli/lib/esp_image.py.
set -eu
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
bin=$(realpath "$1")
S=$(realpath -m "$2")
rm -rf "$S"
mkdir -p "$S"
fail() { echo "FAIL: $*"; exit 1; }
at=--at=2026-01-01T00:00:00Z

# anchors FILE SHIFT: verdict, then each anchor's key hash (a name-and-key anchor has no certificate), catalog id
# and locations' offsets less SHIFT, sorted
anchors() {
	"$bin" audit $at --format json "$1" | "$PY" -c '
import json, sys
d = json.load(sys.stdin)
shift = int(sys.argv[1])
print(d["verdict"]["status"], len(d["anchors"]))
for a in sorted(d["anchors"], key=lambda a: a.get("spki_sha256") or a.get("sha256")):
    print(a.get("spki_sha256") or a.get("sha256"), a.get("known"), a.get("form"), sorted((l["offset"] - shift, l["encoding"]) for l in a["locations"]))
' "$2"
}

for store in "certifi:data/certifi-2025.01.31.pem:ready:0" "old:data/baltimore_cybertrust_root.pem:not-ready:1" \
	"g2:data/digicert_global_root_g2.pem:partial:1"; do
	name=${store%%:*} rest=${store#*:}
	pem=${rest%%:*} rest=${rest#*:}
	want=${rest%%:*} rc_want=${rest#*:}
	for layout in current legacy; do
		"$PY" cli/lib/esp_image.py "$S/$name-$layout.bundle" raw $layout "$pem" >/dev/null
		anchors "$S/$name-$layout.bundle" 0 >"$S/$name-$layout.want"
		head -1 "$S/$name-$layout.want" | grep -q "^$want " || fail "$name $layout: the bundle file alone is $(head -1 "$S/$name-$layout.want"), wanted $want"
		for kind in app merged elf; do
			f="$S/$name-$layout-$kind.bin"
			off=$("$PY" cli/lib/esp_image.py "$f" $kind $layout "$pem")
			anchors "$f" "$off" >"$S/got"
			diff "$S/$name-$layout.want" "$S/got" >"$S/diff" ||
				fail "$name $layout $kind: differs from the bundle file: $(head -5 "$S/diff")"
			set +e
			"$bin" audit $at "$f" >/dev/null 2>&1
			rc=$?
			set -e
			[ "$rc" = "$rc_want" ] || fail "$name $layout $kind: exit $rc, wanted $rc_want"
		done
	done
	echo "ok   $name: app, merged flash and ELF images, both layouts, give the bundle's anchors and verdict ($want)"
done

# scan: the bundle inside an app gives the bundle file's findings (certifi's: one CA store, judged once; a single
# root is no store, and no call installs it in either), and the same exit code
rules() {
	"$PY" -c 'import json,sys; print(sorted((f["rule"], f["severity"]) for f in json.load(open(sys.argv[1]))["findings"]))' "$1"
}
for name in certifi old g2; do
	set +e
	"$bin" scan $at --format json "$S/$name-current.bundle" >"$S/scan-$name-file.json"
	rc_file=$?
	"$bin" scan $at --format json "$S/$name-current-app.bin" >"$S/scan-$name.json"
	rc=$?
	set -e
	[ "$rc" = "$rc_file" ] || fail "scan $name: exit $rc, the bundle file's $rc_file"
	[ "$(rules "$S/scan-$name.json")" = "$(rules "$S/scan-$name-file.json")" ] ||
		fail "scan $name: $(rules "$S/scan-$name.json"), the bundle file's $(rules "$S/scan-$name-file.json")"
done
[ "$(rules "$S/scan-certifi.json")" = "[('ca-store', 'info')]" ] || fail "scan certifi: $(rules "$S/scan-certifi.json")"
echo "ok   scan: the embedded bundle gives the bundle file's findings (certifi: one CA store, a note)"

# not an ESP firmware: the bundle among random bytes is not looked for; ESP headers with no bundle add nothing
"$PY" cli/lib/esp_image.py "$S/plain.bin" plain current data/certifi-2025.01.31.pem >/dev/null
n=$(anchors "$S/plain.bin" 0 | head -1)
[ "$n" = "not-ready 0" ] || fail "plain: $n"
"$PY" - "$S/empty.bin" <<'EOF'
import os, struct, sys
hdr = bytes([0xE9, 4, 2, 0x20]) + struct.pack("<I", 0x40380000) + bytes([0xEE, 0, 0, 0]) + struct.pack("<H", 5) + bytes(10)
open(sys.argv[1], "wb").write(hdr + os.urandom(1 << 20))
EOF
n=$(anchors "$S/empty.bin" 0 | head -1)
[ "$n" = "not-ready 0" ] || fail "empty: $n"
echo "ok   no ESP header: not looked for; an ESP image without a bundle: nothing"
echo "all ESP image checks passed"
