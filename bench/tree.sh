#!/bin/sh
# tree.sh [ROOTSHIFT] [TREE...]: a source-tree audit against `grep -r 'BEGIN CERTIFICATE'` on the same tree (default
# /usr/include, /usr/share/doc and this repository's tests/data), from the page cache. Prints the time of each, the
# ratio, and what each finds: grep finds files with the marker, rootshift finds anchors in every form (also DER
# arrays, name-and-key headers, bundles) and ignores broken and commented-out ones. Not a test.
set -u
bin=${1:-build/rootshift}
shift 2>/dev/null
[ $# -gt 0 ] || set -- /usr/include /usr/share/doc tests/data
tmp=${TMPDIR:-/tmp}/rootshift-bench-tree
mkdir -p "$tmp"
now() { date +%s.%N; }

grep -r 'BEGIN CERTIFICATE' "$@" >/dev/null 2>&1 # warm up the page cache
t0=$(now)
grep -r 'BEGIN CERTIFICATE' "$@" >"$tmp/grep.txt" 2>/dev/null
t1=$(now)
g=$(echo "$t1 - $t0" | bc -l)
"$bin" audit --at 2026-01-01T00:00:00Z --format json "$@" >/dev/null 2>&1
t0=$(now)
"$bin" audit --at 2026-01-01T00:00:00Z --format json "$@" >"$tmp/audit.json" 2>/dev/null
t1=$(now)
r=$(echo "$t1 - $t0" | bc -l)
files=$(du -sb "$@" 2>/dev/null | awk '{s += $1} END {printf "%.0f", s / 1048576}')
printf 'tree: %s (%s MB)\n' "$*" "$files"
printf 'grep -r:         %6.2f s  %d lines with the marker in %d files\n' "$g" "$(wc -l <"$tmp/grep.txt")" \
  "$(cut -d: -f1 "$tmp/grep.txt" | sort -u | wc -l)"
printf 'rootshift audit: %6.2f s  %s anchors, %s locations\n' "$r" "$(grep -m1 '"count"' "$tmp/audit.json" | tr -dc 0-9)" \
  "$(grep -c '"encoding"' "$tmp/audit.json")"
printf 'ratio: rootshift takes %.2fx the time of grep\n' "$(echo "$r / $g" | bc -l)"
