#!/bin/sh
# test_scan_signals.sh BINARY SCRATCH: `scan` and `audit` of a large tree stop within 2 s of SIGINT or SIGTERM,
# print what they found so far marked partial (JSON "partial": true, a "partial:" line in text) and exit 130 or 143;
# a second SIGINT ends them at once. The tree is generated in a temporary directory (32 files of 2 MiB whose bytes
# look like certificate headers to the carver, so that every MiB costs real work: several seconds in all) and
# removed afterwards.
set -u
bin=$(realpath "$1")
scratch=$2
rm -rf "$scratch"
mkdir -p "$scratch"
tree=$(mktemp -d "${TMPDIR:-/tmp}/rootshift-sigtree.XXXXXX") || exit 1
trap 'rm -rf "$tree"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
now_ms() { date +%s%3N; }

/usr/bin/python3 - "$tree" <<'EOF' || fail "cannot generate the tree"
import os, sys
# 30 82 01 00 30 82 00 e0 a0: a SEQUENCE holding a tbsCertificate that starts right, which OpenSSL then rejects
rec = bytes([0x30, 0x82, 0x01, 0x00, 0x30, 0x82, 0x00, 0xe0, 0xa0]) + bytes(range(7))
for d in range(8):
    os.makedirs(os.path.join(sys.argv[1], "part%d" % d))
    for f in range(4):
        with open(os.path.join(sys.argv[1], "part%d" % d, "fw%d.bin" % f), "wb") as out:
            out.write(rec * (1 << 17))
EOF

# The bound is 2 s for the product; a sanitizer build runs the same code about three times slower.
bound=2000
if ldd "$bin" 2>/dev/null | grep -q 'libasan'; then bound=6000; fi

# stop CMD SIGNAL EXPECTED-EXIT FORMAT: the signal 1.5 s into a run that takes several seconds
stop() {
  "$bin" "$1" --at 2026-01-01T00:00:00Z --format "$4" "$tree" >"$scratch/out" 2>"$scratch/err" &
  pid=$!
  sleep 1.5
  kill -0 $pid 2>/dev/null || fail "$1: ended before the signal: $(cat "$scratch/err")"
  t0=$(now_ms)
  kill -"$2" $pid
  wait $pid
  rc=$?
  took=$(( $(now_ms) - t0 ))
  [ $rc = "$3" ] || fail "$1, SIG$2: exit $rc, expected $3: $(tail -3 "$scratch/err")"
  [ $took -le $bound ] || fail "$1, SIG$2: ended $took ms after the signal (bound $bound ms)"
  echo "ok: $1 --format $4, SIG$2 after 1.5 s: exit $rc in $took ms"
}

stop scan INT 130 json
/usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["partial"] is True, d.keys(); assert d["summary"]["files"] < 32, d["summary"]' \
  "$scratch/out" || fail "scan: JSON not marked partial, or not partial: $(head -c 300 "$scratch/out")"
stop scan TERM 143 text
grep -q '^partial: stopped by SIGTERM' "$scratch/out" || fail "scan: text not marked partial: $(tail -3 "$scratch/out")"
stop audit TERM 143 json
/usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["partial"] is True, d.keys(); assert "verdict" in d' \
  "$scratch/out" || fail "audit: JSON not marked partial: $(head -c 300 "$scratch/out")"
stop audit INT 130 text
grep -q '^partial: stopped by SIGINT' "$scratch/out" || fail "audit: text not marked partial: $(tail -3 "$scratch/out")"

# Without a signal the same run is whole: no partial marker (one file).
"$bin" scan --at 2026-01-01T00:00:00Z --format json "$tree/part0/fw0.bin" >"$scratch/out" 2>"$scratch/err"
/usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert "partial" not in d, d.keys()' \
  "$scratch/out" || fail "scan of one file marked partial"

# A second SIGINT ends the process at once (signal handler: _exit), before it prints anything.
"$bin" scan --at 2026-01-01T00:00:00Z "$tree" >"$scratch/out" 2>/dev/null &
pid=$!
sleep 1.5
kill -INT $pid
sleep 0.02
t0=$(now_ms)
kill -INT $pid 2>/dev/null
wait $pid
rc=$?
took=$(( $(now_ms) - t0 ))
[ $rc = 130 ] || fail "two SIGINTs: exit $rc"
[ $took -le 500 ] || fail "two SIGINTs: ended $took ms after the second"
echo "ok: two SIGINTs: exit 130, $took ms after the second"
