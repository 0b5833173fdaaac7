# blind_set.sh: sourced by the test_scan_realworldN.sh scripts (run from tests/ with BINARY SCRATCH). After
# `blind_set_init "$@"`, `blind_set_check SET MIN` checks the blind set data/scan/SET and its look-alikes SET-neg:
# each case scanned on its own against its EXPECT file (cli/scan_expect.py), at least MIN cases, the exit code 1
# exactly where a case expects an error, and --jobs 1 giving the default's JSON on the whole set. The cases are left
# in $scratch/cases for the script's own checks; fail and $bin, $scratch, $at, $PY are set.
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
at=2026-01-01T00:00:00Z
fail() { echo "FAIL: $*"; exit 1; }

blind_set_init() {
	bin=$(realpath "$1")
	scratch=$2
	rm -rf "$scratch"
	mkdir -p "$scratch"
}

blind_set_check() {
	set_name=$1 min=$2
	set --
	for d in "data/scan/$set_name"/*/ "data/scan/$set_name-neg"/*/; do set -- "$@" "$d"; done
	[ $# -ge "$min" ] || fail "only $# cases"
	"$PY" cli/scan_expect.py "$bin" "$at" "$scratch/cases" "$@" || fail "a case differs from its EXPECT"

	# the exit code: 1 when a case expects an error, else 0
	for d in "$@"; do
		want=0
		grep -v '^#' "$d/EXPECT" | grep -q ' error ' && want=1
		set +e
		"$bin" scan --at "$at" "$scratch/cases/$(basename "$d")" >/dev/null 2>&1
		rc=$?
		set -e
		[ "$rc" = "$want" ] || fail "$d: exit $rc, wanted $want"
	done
	echo "exit codes follow the severities"

	# the whole set at once, --jobs 1 and the default: the same JSON
	"$bin" scan --at "$at" --format json "data/scan/$set_name" >"$scratch/all.json" || true
	"$bin" scan --at "$at" --format json --jobs 1 "data/scan/$set_name" >"$scratch/one.json" || true
	cmp -s "$scratch/all.json" "$scratch/one.json" || fail "--jobs 1 differs from the default"
	echo "--jobs 1 gives the same JSON"
}
