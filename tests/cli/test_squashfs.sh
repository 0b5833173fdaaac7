#!/bin/sh
# test_squashfs.sh BINARY SCRATCH: SquashFS images (the root file system of most embedded Linux firmware), which
# libarchive does not read, are opened with libsquashfs: audit gives the verdict of the unpacked tree and scan its
# findings at "IMAGE!/member" paths, with every compressor mksquashfs offers, inside a .tar.gz too; a truncated or
# damaged image is noted, never a crash or a silent pass. Images are made here with mksquashfs (squashfs-tools).
set -eu
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
bin=$(realpath "$1")
scratch=$2
rm -rf "$scratch"
mkdir -p "$scratch/ready/etc/ssl/certs" "$scratch/old/etc/ssl/certs"
fail() { echo "FAIL: $*"; exit 1; }
at=--at=2026-01-01T00:00:00Z
command -v mksquashfs >/dev/null || fail "mksquashfs is not installed (scripts/install-deps.sh installs squashfs-tools)"
mk() { # mk DIR IMAGE [COMPRESSOR]: a SquashFS image of DIR
	mksquashfs "$1" "$2" -comp "${3:-xz}" -noappend -quiet -no-progress -processors 1 >/dev/null 2>&1
}

cat data/digicert_global_root_g2.pem data/microsoft_rsa_root_ca_2017.pem >"$scratch/ready/etc/ssl/certs/ca-certificates.crt"
cat data/baltimore_cybertrust_root.pem >"$scratch/old/etc/ssl/certs/ca-certificates.crt"
ln -s ca-certificates.crt "$scratch/ready/etc/ssl/certs/3513523f.0"

verdict() { # verdict FILE: the audit's verdict in JSON
	"$bin" audit $at --format json "$1" | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["verdict"]["status"])'
}

# audit: the image's verdict is the unpacked tree's, with each compressor
for tree in ready old; do
	want=$(verdict "$scratch/$tree") || true
	[ -n "$want" ] || fail "no verdict for $tree"
	for comp in xz gzip lz4 zstd lzo lzma; do
		mk "$scratch/$tree" "$scratch/$tree-$comp.sqfs" $comp || { echo "note: mksquashfs has no $comp"; continue; }
		got=$(verdict "$scratch/$tree-$comp.sqfs") || true
		if [ "$got" != "$want" ] && [ $comp = lzo ]; then # Debian's libsquashfs is built without LZO: a note
			"$bin" scan $at "$scratch/$tree-$comp.sqfs" >"$scratch/out" 2>&1 || true
			grep -q "it is compressed with lzo, which the installed libsquashfs cannot decompress; unpack it with unsquashfs" \
				"$scratch/out" || fail "$tree-lzo.sqfs: neither read nor noted: $(cat "$scratch/out")"
			echo "note: this libsquashfs has no lzo: the lzo image is noted as not opened"
			continue
		fi
		[ "$got" = "$want" ] || fail "$tree-$comp.sqfs: verdict $got, unpacked $want"
	done
	echo "ok: $tree: every image gives '$want', as the unpacked tree"
done
"$bin" audit $at "$scratch/old-xz.sqfs" >"$scratch/out" || true
grep -q "Baltimore CyberTrust Root .*old-xz.sqfs!/etc/ssl/certs/ca-certificates.crt line 1 (pem)" "$scratch/out" ||
	fail "audit: the anchor's location does not name the member: $(cat "$scratch/out")"
echo "ok: audit names the member (old-xz.sqfs!/etc/ssl/certs/ca-certificates.crt)"

# scan: the findings of the real-world set, unpacked and as an image, are the same but for the path prefix
findings() { # findings PATH PREFIX
	"$bin" scan $at --format json "$1" | "$PY" -c '
import json, sys
pre = sys.argv[1]
for f in json.load(sys.stdin)["findings"]:
    assert f["path"].startswith(pre), (f["path"], pre)
    print(f["path"][len(pre):], f["line"], f["rule"], f["severity"], f.get("api"))
' "$2" | sort
}
mkdir -p "$scratch/src"
(cd data/scan/realworld && tar -cf - --exclude=./firmware .) | (cd "$scratch/src" && tar -xf -)
findings "$scratch/src" "$scratch/src/" >"$scratch/want"
[ "$(wc -l <"$scratch/want")" -ge 20 ] || fail "the unpacked set gives $(wc -l <"$scratch/want") findings"
mk "$scratch/src" "$scratch/fw.sqfs" gzip
findings "$scratch/fw.sqfs" "$scratch/fw.sqfs!/" >"$scratch/got"
diff "$scratch/want" "$scratch/got" >"$scratch/diff" || fail "scan of the image differs: $(cat "$scratch/diff")"
echo "ok: scan of fw.sqfs gives the $(wc -l <"$scratch/want") findings of the unpacked tree"

# nested: a SquashFS image inside a .tar.gz (an update bundle)
(cd "$scratch" && tar -czf bundle.tgz fw.sqfs)
findings "$scratch/bundle.tgz" "$scratch/bundle.tgz!/fw.sqfs!/" >"$scratch/got"
diff "$scratch/want" "$scratch/got" >"$scratch/diff" || fail "scan of bundle.tgz differs: $(cat "$scratch/diff")"
echo "ok: bundle.tgz!/fw.sqfs!/... gives the same findings"

# damaged images: a note naming the image, exit 0 for scan, never a signal
head -c 700 "$scratch/fw.sqfs" >"$scratch/cut.sqfs"
set +e
timeout 20 "$bin" scan $at "$scratch/cut.sqfs" >"$scratch/out" 2>&1
rc=$?
set -e
[ $rc = 0 ] || fail "truncated image: exit $rc: $(cat "$scratch/out")"
grep -q "cut.sqfs@0: info: cannot read the SquashFS image: truncated (it says [0-9]* bytes, there are 700)" "$scratch/out" ||
	fail "truncated image: no note: $(cat "$scratch/out")"
echo "ok: a truncated image is noted (exit 0)"
"$PY" - "$scratch/fw.sqfs" "$scratch/bad.sqfs" <<'PYEOF'
import random, sys
b = bytearray(open(sys.argv[1], "rb").read())
random.seed(7)
for _ in range(64):
    b[random.randrange(96, len(b))] ^= 0x5a
open(sys.argv[2], "wb").write(b)
PYEOF
for cmd in scan audit; do
	set +e
	timeout 20 "$bin" $cmd $at "$scratch/bad.sqfs" >/dev/null 2>&1
	rc=$?
	set -e
	[ $rc -le 2 ] || fail "$cmd of a damaged image: exit $rc"
done
echo "ok: a damaged image ends in an answer (scan and audit)"
rm -rf "$scratch"
