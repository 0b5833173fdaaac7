#!/bin/sh
# test_scan_skipped.sh BINARY SCRATCH: scan never skips a file silently. A tree with a file over the size limit
# (a 2 GB sparse file), a FIFO and a symbolic link lists each with its reason: a note on stderr in text, a
# `skipped` array in JSON, a SARIF toolExecutionNotification. The readable file is still scanned; exit 2 only
# when nothing at all could be read. Many skips for one reason are counted after the first three.
set -eu
bin=$(realpath "$1")
scratch=$2
rm -rf "$scratch"
mkdir -p "$scratch/tree" "$scratch/none"
fail() { echo "FAIL: $*"; exit 1; }
PY=/usr/bin/python3
cp data/scan/fire/esp8266_baltimore.ino "$scratch/tree/"
truncate -s 2G "$scratch/tree/huge.bin"
mkfifo "$scratch/tree/fifo"
ln -s esp8266_baltimore.ino "$scratch/tree/link"

set +e
timeout 20 "$bin" scan --at 2026-01-01T00:00:00Z "$scratch/tree" >"$scratch/out" 2>"$scratch/err"
rc=$?
set -e
[ $rc = 1 ] || fail "text: exit $rc (the .ino has an error-level finding): $(cat "$scratch/err")"
grep -q "note: skipped '.*/huge.bin': larger than" "$scratch/err" || fail "text: no note for huge.bin: $(cat "$scratch/err")"
grep -q "note: skipped '.*/fifo': a special file" "$scratch/err" || fail "text: no note for the FIFO"
grep -q "note: skipped '.*/link': a symbolic link" "$scratch/err" || fail "text: no note for the link"
echo "ok: text notes for 3 skipped files, exit 1"

set +e
timeout 20 "$bin" scan --at 2026-01-01T00:00:00Z --format json "$scratch/tree" >"$scratch/out.json" 2>/dev/null
timeout 20 "$bin" scan --at 2026-01-01T00:00:00Z --format sarif "$scratch/tree" >"$scratch/out.sarif" 2>/dev/null
set -e
"$PY" - "$scratch/out.json" "$scratch/out.sarif" <<'PY' || fail "json/sarif"
import json, sys
d = json.load(open(sys.argv[1]))
sk = {s["path"].rsplit("/", 1)[1]: s["reason"] for s in d["skipped"]}
assert set(sk) == {"huge.bin", "fifo", "link"}, sk
assert sk["huge.bin"].startswith("larger than"), sk
assert d["summary"]["files"] == 1 and d["findings"], d["summary"]
s = json.load(open(sys.argv[2]))
inv = s["runs"][0]["invocations"][0]
assert inv["executionSuccessful"] is True
notes = inv["toolExecutionNotifications"]
assert len(notes) == 3 and all(n["level"] == "warning" for n in notes), notes
assert any(n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("/huge.bin") for n in notes)
print("ok: JSON skipped[] and SARIF notifications list the 3 files")
PY

# Many skips for one reason (a rootfs holds thousands of links): the first three by name, then how many more, in
# text; JSON still lists every one.
mkdir -p "$scratch/links"
cp data/scan/fire/esp8266_baltimore.ino "$scratch/links/"
for i in 1 2 3 4 5 6 7; do ln -s esp8266_baltimore.ino "$scratch/links/l$i"; done
set +e
timeout 20 "$bin" scan --at 2026-01-01T00:00:00Z "$scratch/links" >/dev/null 2>"$scratch/err"
timeout 20 "$bin" scan --at 2026-01-01T00:00:00Z --format json "$scratch/links" >"$scratch/links.json" 2>/dev/null
set -e
[ "$(grep -c "^note: skipped '.*/l[0-9]': a symbolic link" "$scratch/err")" = 3 ] || fail "links: not 3 named: $(cat "$scratch/err")"
grep -q "^note: skipped 4 more for the same reason, a symbolic link (links inside a tree are not followed); --format json lists every skipped file$" "$scratch/err" || fail "links: no summary: $(cat "$scratch/err")"
[ "$(grep -c '"reason"' "$scratch/links.json")" = 7 ] || fail "links: JSON does not list the 7"
echo "ok: 7 links: 3 named and '4 more' in text, 7 in JSON"

mkfifo "$scratch/none/only-a-fifo"
set +e
timeout 20 "$bin" scan "$scratch/none" >/dev/null 2>"$scratch/err"
rc=$?
set -e
[ $rc = 2 ] && grep -q "nothing could be read: 1 file skipped" "$scratch/err" || fail "nothing readable: exit $rc: $(cat "$scratch/err")"
echo "ok: nothing readable: exit 2"
rm -rf "$scratch"
