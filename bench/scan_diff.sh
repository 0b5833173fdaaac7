#!/bin/sh
# scan_diff.sh OLD NEW PATH...: `rootshift scan --format json` of two builds on the same inputs, diffed; for changes
# that must not change findings (bench/scan.sh's tree and blob, tests/data). Each PATH is scanned on its own with
# --jobs 1 and --jobs 2, and both outputs of NEW must equal OLD's byte for byte. Prints one line a path; exit 1 on
# any difference (the first lines of the diff are printed). Not a test.
set -u
old=$1 new=$2
shift 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rc=0
for p in "$@"; do
  for j in 1 2; do
    "$old" scan --at 2026-01-01T00:00:00Z --format json --jobs $j "$p" >"$tmp/old" 2>"$tmp/old.err"; orc=$?
    "$new" scan --at 2026-01-01T00:00:00Z --format json --jobs $j "$p" >"$tmp/new" 2>"$tmp/new.err"; nrc=$?
    if [ $orc = $nrc ] && cmp -s "$tmp/old" "$tmp/new" && cmp -s "$tmp/old.err" "$tmp/new.err"; then
      echo "same: $p --jobs $j (exit $orc, $(grep -c '"rule"' "$tmp/old") findings, $(wc -c <"$tmp/old") bytes of JSON)"
    else
      echo "DIFFERENT: $p --jobs $j (exit $orc against $nrc)"
      diff "$tmp/old" "$tmp/new" | head -20
      rc=1
    fi
  done
done
exit $rc
