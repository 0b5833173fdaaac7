#!/bin/sh
# test_audit_hostile.sh BINARY SCRATCH: hostile inputs end cleanly, quickly and with bounded memory:
# a 2 GB sparse file (with a certificate near its end), 0x30 0x82 repeated, deeply escaped strings, deep braces,
# a directory loop through symlinks, a FIFO in a tree; and --system runs without crashing.
bin=$1
d=$2
rm -rf "$d" && mkdir -p "$d" || exit 2
fail=0
at=--at=2024-06-01T00:00:00Z

# run NAME EXPECTED_RCS MAX_RSS_MB ARGS...: runs the binary, checks the exit code and the peak memory
run() {
  name=$1 rcs=$2 maxmb=$3
  shift 3
  python3 - "$bin" "$@" >"$d/$name.out" 2>"$d/$name.err" <<'PY'
import resource, subprocess, sys
rc = subprocess.call(sys.argv[1:], stdout=sys.stdout, stderr=sys.stderr)
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
sys.stderr.write("rc=%d rss_mb=%d\n" % (rc, rss))
sys.exit(rc)
PY
  rc=$?
  rss=$(sed -n 's/.*rss_mb=\([0-9]*\).*/\1/p' "$d/$name.err" | tail -1)
  case " $rcs " in *" $rc "*) ;; *) echo "$name: exit code $rc, expected one of $rcs"; cat "$d/$name.err"; fail=1;; esac
  if [ -n "$maxmb" ] && [ "${rss:-0}" -gt "$maxmb" ]; then echo "$name: peak RSS $rss MB > $maxmb MB"; fail=1; fi
}

# 1. a 2 GB sparse file with DigiCert Global Root G2 (DER) at 2 GB - 64 KiB
truncate -s 2G "$d/sparse.img"
openssl x509 -in data/digicert_global_root_g2.pem -outform DER -out "$d/g2.der" 2>/dev/null
dd if="$d/g2.der" of="$d/sparse.img" bs=1 seek=$((2147483648 - 65536)) conv=notrunc status=none
run sparse "1" 400 audit "$at" --format json "$d/sparse.img"
grep -q '"offset": 2147418112' "$d/sparse.out" || { echo "sparse: G2 not found at its offset"; fail=1; }

# 2. 0x30 0x82 repeated (32 MiB)
python3 -c "import sys; sys.stdout.buffer.write(b'\x30\x82' * (16 << 20))" >"$d/3082.bin"
run seq3082 "1" 400 audit "$at" "$d/3082.bin"

# 3. deeply escaped strings and deep braces in a C file
python3 - "$d/deep.c" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write('#include <x.h>\nconst char *a = "' + "\\\\" * 500000 + 'n";\n')
    f.write('const char *b = "-----BEGIN CERTIFICATE-----' + "\\\\" * 500000 + 'n-----END CERTIFICATE-----";\n')
    f.write('int c[] = ' + "{" * 200000 + "0x30, 0x82" + "}" * 200000 + ';\n')
    f.write('const char *d = R"' + "x" * 100 + '(' + "never closed" * 1000 + '\n')
PY
run deep "1" 400 audit "$at" "$d/deep.c"

# 3b. many BEGIN lines without END (one scan for the END, findings capped)
python3 -c "import sys; sys.stdout.write('-----BEGIN CERTIFICATE-----\\n' * 400000)" >"$d/begins.pem"
run begins "1" 400 audit "$at" --format json "$d/begins.pem"
grep -q 'more findings in this file are not listed' "$d/begins.out" || { echo "begins: findings not capped"; fail=1; }

# 4. a directory loop through symlinks, a FIFO and a dangling link beside a real certificate
mkdir -p "$d/tree/a/b"
cp data/digicert_global_root_g2.pem "$d/tree/a/b/g2.pem"
ln -s ../.. "$d/tree/a/b/up"
ln -s "$d/tree" "$d/tree/a/self"
ln -s nowhere "$d/tree/dangling"
mkfifo "$d/tree/fifo" 2>/dev/null || true
run loop "1" 400 audit "$at" --format json "$d/tree"
n=$(grep -c '"encoding": "pem"' "$d/loop.out")
[ "$n" = 1 ] || { echo "loop: $n locations, expected 1"; fail=1; }

# 5. not a regular file at the top: an error, not a hang
run devzero "2" "" audit "$at" /dev/zero

# 6. the private key of a fixture never appears in any output
run key "1" "" audit "$at" --format json data/audit/not_anchors.c data/audit/throwaway_ec_key.pem
keyline=$(sed -n 2p data/audit/throwaway_ec_key.pem)
if grep -qF "$keyline" "$d/key.out" "$d/key.err"; then echo "key: private key material printed"; fail=1; fi

# 7. --system on this host: runs and ends cleanly whatever the host's store holds
run system "0 1 2" "" audit "$at" --system

exit $fail
