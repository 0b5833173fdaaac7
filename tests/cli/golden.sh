#!/bin/sh
# golden.sh BINARY CASE.cmd: runs `BINARY $(cat CASE.cmd)` from tests/ and compares stdout, stderr and the exit
# code with CASE.out, CASE.err and CASE.rc (each optional but .rc, which defaults to 0).
# Set RS_UPDATE_GOLDEN=1 to rewrite the expected files from the actual output.
bin=$1
case=$2
base=${case%.cmd}
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
# shellcheck disable=SC2046
eval "set -- $(cat "$case")"
"$bin" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
rc=$?
echo "$rc" >"$tmp/rc"
if [ -n "$RS_UPDATE_GOLDEN" ]; then
  cp "$tmp/out" "$base.out"; cp "$tmp/err" "$base.err"; cp "$tmp/rc" "$base.rc"
  exit 0
fi
fail=0
expected_rc=$(cat "$base.rc" 2>/dev/null || echo 0)
if [ "$rc" != "$expected_rc" ]; then echo "exit code $rc, expected $expected_rc"; fail=1; fi
for s in out err; do
  if [ -f "$base.$s" ] && ! diff -u "$base.$s" "$tmp/$s"; then echo "std$s differs"; fail=1; fi
done
exit $fail
