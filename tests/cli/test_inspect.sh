#!/bin/sh
# test_inspect.sh BINARY SCRATCH: inspect on the 150-certificate certifi bundle, standard input, and a directory
# with an unreadable file (run as an unprivileged user when we are root, since root reads everything).
set -eu
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
bin=$(realpath "$1")
scratch=$2
rm -rf "$scratch"
mkdir -p "$scratch"
fail() { echo "FAIL: $*"; exit 1; }

# The certifi bundle: all 150 certificates with the fields of design.md.
"$bin" inspect --at 2025-01-31T00:00:00Z --format json data/certifi-2025.01.31.pem >"$scratch/certifi.json"
"$PY" - "$scratch/certifi.json" <<'PY'
import json, re, sys
d = json.load(open(sys.argv[1]))
assert d["schema"] == "rootshift/inspect/1", d["schema"]
certs = d["certificates"]
assert len(certs) == 150 == d["count"], len(certs)
fields = ["sha1", "sha256", "spki_sha256", "subject", "issuer", "serial", "not_before", "not_after", "is_ca", "known", "locations"]
for c in certs:
    for f in fields:
        assert f in c, (f, c["subject"])
    assert re.fullmatch(r"[0-9a-f]{40}", c["sha1"]) and re.fullmatch(r"[0-9a-f]{64}", c["sha256"])
    loc = c["locations"][0]
    assert loc["path"] == "data/certifi-2025.01.31.pem" and loc["line"] >= 1 and loc["encoding"] == "pem"
known = sorted(c["known"] for c in certs if c["known"])
assert known == sorted(["baltimore-cybertrust-root", "digicert-global-root-g2", "microsoft-rsa-root-ca-2017",
                        "digicert-global-root-g3", "microsoft-ecc-root-ca-2017", "digicert-global-root-ca"]), known
lines = [c["locations"][0]["line"] for c in certs]
assert lines == sorted(lines) and len(set(lines)) == 150
PY

# Standard input gives the same certificates.
"$bin" inspect --at 2025-01-31T00:00:00Z --format json - <data/certifi-2025.01.31.pem >"$scratch/stdin.json"
[ "$(grep -c '"sha1"' "$scratch/stdin.json")" = 150 ] || fail "stdin: expected 150 certificates"
grep -q '"path": "(stdin)"' "$scratch/stdin.json" || fail "stdin: location is not (stdin)"

# G2's thumbprint, named.
out=$("$bin" inspect --at 2026-01-01T00:00:00Z data/digicert_global_root_g2.pem)
echo "$out" | grep -q 'df3c24f9bfd666761b268073fe06d1cc8d4f82a4' || fail "g2 thumbprint missing"
echo "$out" | grep -q 'DigiCert Global Root G2: the root Azure IoT Hub and DPS moved to in 2023' || fail "g2 not named"

# An unreadable file inside a directory: a one-line error naming the file, exit 2. Under /tmp, so that an
# unprivileged user can reach it wherever the checkout is.
tmp=$(mktemp -d /tmp/rs-inspect-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
dir="$tmp/store"
mkdir -p "$dir"
cp data/digicert_global_root_g2.pem data/baltimore_cybertrust_root.pem "$dir/"
chmod 000 "$dir/baltimore_cybertrust_root.pem"
chmod 755 "$tmp" "$dir"
if [ "$(id -u)" = 0 ]; then
  cp "$bin" "$tmp/rootshift" && chmod 755 "$tmp/rootshift"
  # (a coverage build writes its counters under a directory that user may write, not the build's: no complaints
  # from libgcov on stderr; a normal build ignores GCOV_PREFIX)
  mkdir -m 777 "$tmp/gcov"
  run="env GCOV_PREFIX=$tmp/gcov setpriv --reuid=65534 --regid=65534 --clear-groups $tmp/rootshift"
else
  run=$bin
fi
set +e
$run inspect --at 2026-01-01T00:00:00Z "$dir" >"$tmp/out" 2>"$scratch/err"
rc=$?
set -e
[ "$rc" = 2 ] || fail "unreadable file: exit $rc, expected 2 ($(cat "$scratch/err"))"
[ "$(wc -l <"$scratch/err")" = 1 ] || fail "unreadable file: expected one line: $(cat "$scratch/err")"
grep -q "error: cannot open '$dir/baltimore_cybertrust_root.pem': Permission denied" "$scratch/err" ||
  fail "unreadable file: unexpected message: $(cat "$scratch/err")"
rm -rf "$scratch"
echo "ok"
