#!/bin/sh
# test_color.sh BINARY SCRATCH: --color=auto colours the verdict word (and scan's severities, verify's verdict,
# probe's result code) only on a terminal (a pseudo-terminal made with
# Python's pty module; script(1) lost output under load), and
# NO_COLOR (https://no-color.org) turns it off unless --color=always asks for it.
bin=$(realpath "$1")
fails=0
# the host's TERM must not decide: a terminal here is one that shows colour; TERM=dumb is tried below
TERM=xterm-256color
export TERM
# run CMD...: the first line CMD writes to a terminal on its stdout
run() {
  /usr/bin/python3 -c '
import os, subprocess, sys
master, slave = os.openpty()
p = subprocess.Popen(sys.argv[1], shell=True, stdout=slave, stdin=subprocess.DEVNULL)
os.close(slave)
out = b""
while True:
    try:
        chunk = os.read(master, 65536)
    except OSError:
        break
    if not chunk:
        break
    out += chunk
p.wait()
sys.stdout.write(out.decode(errors="replace").splitlines()[0] if out else "")
' "$*"
}
esc=$(printf '\033')
cmd="$bin audit --at 2026-01-02T00:00:00Z data/digicert_global_root_g2.pem"
check() { if eval "$2"; then echo "ok   $1"; else echo "FAIL $1"; fails=$((fails + 1)); fi; }
out=$(run "$cmd"); check "a terminal gets colour" 'case "$out" in "$esc"*PARTIAL*) true ;; *) false ;; esac'
out=$(NO_COLOR=1 run "$cmd"); check "NO_COLOR turns it off" 'case "$out" in PARTIAL:*) true ;; *) false ;; esac'
out=$(NO_COLOR= run "$cmd"); check "an empty NO_COLOR does not" 'case "$out" in "$esc"*) true ;; *) false ;; esac'
out=$(NO_COLOR=1 run "$cmd --color=always"); check "--color=always wins over NO_COLOR" 'case "$out" in "$esc"*) true ;; *) false ;; esac'
out=$(run "$cmd --color=never"); check "--color=never on a terminal" 'case "$out" in PARTIAL:*) true ;; *) false ;; esac'
out=$($cmd | head -1); check "a pipe gets none" 'case "$out" in PARTIAL:*) true ;; *) false ;; esac'
# beyond the verdict words: scan's severities, verify's verdict and probe's result code (issue #19)
scan="$bin scan --at 2026-01-02T00:00:00Z data/scan/apis/pos/android"
out=$(run "$scan"); check "scan: the severity is coloured on a terminal" 'case "$out" in *": ${esc}["*"m"*) true ;; *) false ;; esac'
out=$($scan | head -1); check "scan: a pipe gets none" 'case "$out" in *"$esc"*) false ;; *) true ;; esac'
out=$(run "$scan --format json" | head -c 200); check "scan: JSON on a terminal gets none" 'case "$out" in *"$esc"*) false ;; *) true ;; esac'
ver="$bin verify --at 2026-01-02T00:00:00Z --chain data/g2_ms2017.pem --store data/g2_ms2017.pem"
out=$(run "$ver"); check "verify: the verdict is coloured" 'case "$out" in "verdict: ${esc}[1;32mvalid"*) true ;; *) false ;; esac'
out=$(NO_COLOR=1 run "$ver"); check "verify: NO_COLOR" 'case "$out" in "verdict: valid "*) true ;; *) false ;; esac'
out=$(run "$bin probe --at 2026-01-02T00:00:00Z --protocol tls --timeout 5 --store data/g2_ms2017.pem 127.0.0.1:1")
check "probe: the result code is coloured" 'case "$out" in *"(tls): ${esc}[1;31m"*) true ;; *) false ;; esac'
# TERM=dumb cannot show escapes; a bare --color means always (as git and ls), --color WHEN takes the next word
out=$(TERM=dumb run "$cmd"); check "TERM=dumb gets none" 'case "$out" in PARTIAL:*) true ;; *) false ;; esac'
out=$(TERM=dumb run "$cmd --color=always"); check "--color=always wins over TERM=dumb" 'case "$out" in "$esc"*) true ;; *) false ;; esac'
out=$($bin audit --color --at 2026-01-02T00:00:00Z data/digicert_global_root_g2.pem | head -1)
check "a bare --color before an option means always" 'case "$out" in "$esc"*PARTIAL*) true ;; *) false ;; esac'
out=$($cmd --color | head -1); check "a bare --color at the end means always" 'case "$out" in "$esc"*) true ;; *) false ;; esac'
out=$(run "$cmd --color never"); check "--color never (two words)" 'case "$out" in PARTIAL:*) true ;; *) false ;; esac'
$cmd --color=sometimes >/dev/null 2>&1; rc=$?
check "--color=sometimes is a usage error (exit 2)" '[ $rc -eq 2 ]'
exit $((fails > 0))
