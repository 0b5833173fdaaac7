#!/bin/sh
# test_bounded_input.sh BINARY SCRATCH: every file the CLI reads is checked before it is read and read with a
# bound. A 2 GB sparse file is refused at once (by its size, before a byte is read), an endless pipe is cut at
# the limit, and a read error is an error: exit 2 with a one-line message, within seconds.
set -eu
bin=$(realpath "$1")
scratch=$2
rm -rf "$scratch"
mkdir -p "$scratch"
fail() { echo "FAIL: $*"; exit 1; }

# expect2 WHAT-IN-MESSAGE ARGS...: exit 2 in at most $T s (default 3; timeout would give 124), one line on stderr.
expect2() {
  want=$1; shift
  set +e
  timeout "${T:-3}" "$bin" "$@" >"$scratch/out" 2>"$scratch/err" </dev/null
  rc=$?
  set -e
  [ $rc = 2 ] || fail "$*: exit $rc: $(head -c 300 "$scratch/err")"
  [ "$(wc -l <"$scratch/err")" = 1 ] || fail "$*: not one line: $(head -c 300 "$scratch/err")"
  grep -q -- "$want" "$scratch/err" || fail "$*: '$(cat "$scratch/err")' does not say '$want'"
  echo "ok: exit 2 <- $* ($(cat "$scratch/err"))"
}

store=data/digicert_global_root_g2.pem
truncate -s 2G "$scratch/sparse"
expect2 'larger than' probe --targets "$scratch/sparse" --store "$store"
expect2 'larger than' inspect "$scratch/sparse"
expect2 'larger than' scan --ignore-file "$scratch/sparse" data/scan
expect2 'larger than' rehearse "$scratch/sparse" --lab "$scratch"
expect2 'larger than' probe --connection-string-file "$scratch/sparse" --store "$store" localhost
rm -f "$scratch/sparse"

# An endless pipe: read up to the limit, then refused.
mkfifo "$scratch/fifo"
( cat /dev/zero >"$scratch/fifo" 2>/dev/null & echo $! >"$scratch/writer" ) 
T=15 expect2 'larger than' probe --targets "$scratch/fifo" --store "$store" # 16 MiB read first (slow under ASan)
kill "$(cat "$scratch/writer")" 2>/dev/null || true
# Standard input too.
set +e
timeout 5 "$bin" probe --targets - --store "$store" </dev/zero >/dev/null 2>"$scratch/err"
rc=$?
set -e
[ $rc = 2 ] && grep -q 'standard input.*larger than' "$scratch/err" || fail "--targets - </dev/zero: exit $rc: $(cat "$scratch/err")"
echo "ok: exit 2 <- probe --targets - </dev/zero"

# A read error is an error, not an empty file: a directory opened as a file gives EISDIR on read, which fstat
# catches first; /proc/self/mem reads fail with EIO.
expect2 'cannot read\|not a regular' probe --targets /proc/self/mem --store "$store"
