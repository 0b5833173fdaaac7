#!/bin/sh
# test_progress.sh BINARY SCRATCH: the progress line on standard error (issue #19). With stderr on a terminal (a pty
# made by python3's pty module) `probe --targets` and `rehearse` draw one line, rewritten in place ("\r") and cleared
# ("\r\033[K") before the results; with stderr redirected to a file, or with --no-progress, nothing of it appears, and
# the results on stdout are the same (the time pinned with --at, so that the two runs may straddle a second). Targets are closed ports on loopback (refused at once): no server needed.
set -eu
bin=$(realpath "$1")
scratch=$2
here=$(pwd)
. "$here/interop/lib.sh"
rm -rf "$scratch"
mkdir -p "$scratch"
closed=$(free_port)
i=0
while [ $i -lt 5 ]; do echo "127.0.0.1:$closed tls" >>"$scratch/targets"; i=$((i + 1)); done

# tty_run OUT ERR ARGS...: runs BINARY ARGS with stderr on a pty (stdin and stdout stay as given: stdout to OUT);
# what the pty received goes to ERR.
tty_run() {
  out=$1 err=$2
  shift 2
  "$PY" - "$out" "$err" "$bin" "$@" <<'PYEOF'
import os, pty, subprocess, sys
out, err, argv = sys.argv[1], sys.argv[2], sys.argv[3:]
master, slave = pty.openpty()
with open(out, "wb") as o:
    p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=o, stderr=slave)
os.close(slave)
got = b""
while True:
    try:
        chunk = os.read(master, 65536)
    except OSError:  # EIO: the child closed its end
        break
    if not chunk:
        break
    got += chunk
rc = p.wait()
open(err, "wb").write(got)
sys.exit(rc)
PYEOF
}

# probe --targets on a terminal: "probing: N/5 targets done", cleared at the end, before the summary.
rc=0
tty_run "$scratch/tty.out" "$scratch/tty.err" probe --format jsonl --at 2026-01-02T00:00:00Z --concurrency 2 --store "$here/data/digicert_global_root_g2.pem" \
  --targets "$scratch/targets" || rc=$?
[ "$rc" = 1 ] || fail "probe --targets of refused ports exited $rc, not 1"
grep -q 'probing: 0/5 targets done' "$scratch/tty.err" || fail "no progress line on a terminal: $(od -c "$scratch/tty.err" | head)"
grep -q 'probing: 5/5 targets done' "$scratch/tty.err" || fail "the progress line did not reach 5/5"
"$PY" -c '
import sys
d = open(sys.argv[1], "rb").read()
last = d.rfind(b"probing:")
assert d.find(b"\r\x1b[K", last) > last, "the progress line is not cleared at the end"
assert d.find(b"summary: 5 targets", last) > last, "the summary is not after the cleared line"
' "$scratch/tty.err" || fail "progress not cleared before the summary"
[ "$(wc -l <"$scratch/tty.out")" = 5 ] || fail "stdout does not hold 5 records"

# stderr to a file: no progress at all, same records.
rc=0
"$bin" probe --format jsonl --at 2026-01-02T00:00:00Z --concurrency 2 --store "$here/data/digicert_global_root_g2.pem" \
  --targets "$scratch/targets" >"$scratch/file.out" 2>"$scratch/file.err" || rc=$?
[ "$rc" = 1 ] || fail "probe --targets exited $rc with stderr to a file"
! grep -q 'probing' "$scratch/file.err" || fail "progress written to a file"
! grep -q "$(printf '\r')" "$scratch/file.err" || fail "a carriage return written to a file"
grep -q 'summary: 5 targets' "$scratch/file.err" || fail "no summary on stderr"
cmp -s "$scratch/file.out" "$scratch/tty.out" || fail "the records differ with and without a terminal"

# --no-progress on a terminal: nothing.
tty_run "$scratch/np.out" "$scratch/np.err" --no-progress probe --format jsonl --store \
  "$here/data/digicert_global_root_g2.pem" --targets "$scratch/targets" || true
! grep -q 'probing' "$scratch/np.err" || fail "progress shown despite --no-progress"
grep -q 'summary: 5 targets' "$scratch/np.err" || fail "no summary with --no-progress"
tty_run "$scratch/np2.out" "$scratch/np2.err" probe --no-progress --format jsonl --store \
  "$here/data/digicert_global_root_g2.pem" --targets "$scratch/targets" || true
! grep -q 'probing' "$scratch/np2.err" || fail "progress shown despite --no-progress after the command"

# rehearse on a terminal: the phase line, cleared; not in a file.
"$bin" lab init "$scratch/lab" --seed progress-test --at 2026-01-01T00:00:00Z --fast-keys >/dev/null
cat >"$scratch/fleet.json" <<'JSON'
{
  "schema": "rootshift/fleet/1",
  "seed": "progress-test",
  "duration": 7200,
  "ramp": 60,
  "classes": [ { "name": "recommended", "count": 2, "store": "lab:recommended" } ],
  "schedule": [ { "at": 3600, "action": "migrate" } ]
}
JSON
tty_run "$scratch/r.out" "$scratch/r.err" rehearse "$scratch/fleet.json" --lab "$scratch/lab" \
  --at 2026-01-02T00:00:00Z || true
grep -q 'rehearsing: virtual 00:00 of 02:00, phase 1 of 2 (start)' "$scratch/r.err" ||
  fail "no rehearse progress line on a terminal: $(od -c "$scratch/r.err" | head -5)"
grep -q "$(printf '\r\033\\[K')" "$scratch/r.err" || fail "the rehearse progress line is not cleared"
"$bin" rehearse "$scratch/fleet.json" --lab "$scratch/lab" --at 2026-01-02T00:00:00Z >"$scratch/r2.out" \
  2>"$scratch/r2.err" || true
! grep -q 'rehearsing:' "$scratch/r2.err" || fail "rehearse progress written to a file"
cmp -s "$scratch/r.out" "$scratch/r2.out" || fail "the rehearse report differs with and without a terminal"
echo "ok: progress on a terminal only, cleared before the results, off with --no-progress"
