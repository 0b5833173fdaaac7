#!/bin/sh
# test_color.sh BINARY SCRATCH: --color=auto colours the verdict word only on a terminal (script(1) gives one), and
# NO_COLOR (https://no-color.org) turns it off unless --color=always asks for it.
bin=$(realpath "$1")
command -v script >/dev/null || { echo "SKIP: no script(1)"; exit 77; }
fails=0
run() { script -qec "$*" /dev/null </dev/null | head -1; }
esc=$(printf '\033')
cmd="$bin audit --at 2026-01-02T00:00:00Z data/digicert_global_root_g2.pem"
check() { if eval "$2"; then echo "ok   $1"; else echo "FAIL $1"; fails=$((fails + 1)); fi; }
out=$(run "$cmd"); check "a terminal gets colour" 'case "$out" in "$esc"*PARTIAL*) true ;; *) false ;; esac'
out=$(NO_COLOR=1 run "$cmd"); check "NO_COLOR turns it off" 'case "$out" in PARTIAL:*) true ;; *) false ;; esac'
out=$(NO_COLOR= run "$cmd"); check "an empty NO_COLOR does not" 'case "$out" in "$esc"*) true ;; *) false ;; esac'
out=$(NO_COLOR=1 run "$cmd --color=always"); check "--color=always wins over NO_COLOR" 'case "$out" in "$esc"*) true ;; *) false ;; esac'
out=$(run "$cmd --color=never"); check "--color=never on a terminal" 'case "$out" in PARTIAL:*) true ;; *) false ;; esac'
out=$($cmd | head -1); check "a pipe gets none" 'case "$out" in PARTIAL:*) true ;; *) false ;; esac'
exit $((fails > 0))
