#!/bin/sh
# test_audit_stdin.sh BINARY SCRATCH: `audit -` reads standard input, whatever the form.
bin=$1
fail=0
at=--at=2026-01-01T00:00:00Z
out=$("$bin" audit "$at" - <data/audit/certs.c)
[ $? = 0 ] || { echo "certs.c on stdin: not ready"; fail=1; }
echo "$out" | grep -q '(stdin) line 34 (c-string)' || { echo "certs.c on stdin: no location"; echo "$out"; fail=1; }
"$bin" audit "$at" - <data/audit/x509_crt_bundle >/dev/null || { echo "bundle on stdin: not ready"; fail=1; }
"$bin" audit "$at" - </dev/null >/dev/null
[ $? = 1 ] || { echo "empty stdin: expected not ready"; fail=1; }
exit $fail
