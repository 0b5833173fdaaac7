#!/bin/sh
# test_ext4.sh BINARY SCRATCH: ext2/3/4 root file system images (Yocto *.ext4, Buildroot rootfs.ext2) and whole-disk
# images (a Raspberry Pi .img, a Yocto .wic: an MBR or GPT table, a FAT boot partition and an ext4 root) are opened
# with libext2fs: audit gives the unpacked tree's findings and verdict, with anchors at "IMAGE!/member" and
# "IMAGE!p2!/member"; a root deselected in etc/ca-certificates.conf stays deselected; a deleted file's old blocks
# are not read; images nest in .tar.gz and .gz; scan gives the tree's findings; a truncated or damaged image is
# noted, never a crash or a hang. Images are made here with mke2fs -d (e2fsprogs), sfdisk and mkfs.vfat.
set -eu
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
bin=$(realpath "$1")
scratch=$(realpath -m "$2")
data=$(realpath data)
rm -rf "$scratch"
mkdir -p "$scratch/ready/etc/ssl/certs" "$scratch/old/etc/ssl/certs"
fail() { echo "FAIL: $*"; exit 1; }
at=--at=2026-01-01T00:00:00Z
PATH=$PATH:/sbin:/usr/sbin
command -v mke2fs >/dev/null || fail "mke2fs is not installed (scripts/install-deps.sh installs e2fsprogs)"
command -v sfdisk >/dev/null || fail "sfdisk is not installed (scripts/install-deps.sh installs fdisk)"
mkfs() { # mkfs TYPE DIR IMAGE: an ext2/3/4 image of DIR, 8 MiB
	rm -f "$3"
	mke2fs -q -F -t "$1" -d "$2" "$3" 8M >/dev/null 2>&1 || fail "mke2fs -t $1 -d $2 failed"
}
disk() { # disk dos|gpt ROOTIMAGE DISK: a disk image with a FAT boot partition (p1) and ROOTIMAGE as p2
	rm -f "$3"
	truncate -s $(($(stat -c %s "$2") + 6 * 1048576)) "$3" # 5 MiB before p2, room for GPT's backup after
	if [ "$1" = gpt ]; then t1=uefi t2=linux; else t1=c t2=83; fi
	printf 'label: %s\nstart=2048, size=8192, type=%s\nstart=10240, size=%s, type=%s\n' "$1" "$t1" \
		$(($(stat -c %s "$2") / 512)) "$t2" | sfdisk -q "$3" >/dev/null || fail "sfdisk $1 failed"
	if command -v mkfs.vfat >/dev/null; then
		rm -f "$scratch/fat.img"
		mkfs.vfat -C "$scratch/fat.img" 4096 >/dev/null
		printf 'kernel=zImage\n' >"$scratch/config.txt"
		command -v mcopy >/dev/null && mcopy -i "$scratch/fat.img" "$scratch/config.txt" ::config.txt
		dd if="$scratch/fat.img" of="$3" bs=512 seek=2048 conv=notrunc status=none
	fi
	dd if="$2" of="$3" bs=512 seek=10240 conv=notrunc status=none
}

cat "$data/g2_ms2017.pem" >"$scratch/ready/etc/ssl/certs/ca-certificates.crt"
cat "$data/baltimore_cybertrust_root.pem" >"$scratch/old/etc/ssl/certs/ca-certificates.crt"
ln -s ca-certificates.crt "$scratch/ready/etc/ssl/certs/3513523f.0"
cp -R "$data/scan/gateway/ca-conf" "$scratch/deselect"
rm -f "$scratch/deselect/EXPECT"

# summary PATH PREFIX: the verdict, its reasons, and each anchor with its locations less PREFIX (a tree's
# "DIR/" or an image's "IMAGE!/"), so a tree and its image compare line by line
summary() {
	"$bin" audit $at --format json "$1" | "$PY" cli/lib/audit_summary.py "$2"
}
same() { # same TREE IMAGE PREFIX WHAT
	summary "$1" "$1/" >"$scratch/want"
	summary "$2" "$3" >"$scratch/got"
	diff "$scratch/want" "$scratch/got" >"$scratch/diff" || fail "$4: differs from the tree: $(cat "$scratch/diff")"
}

# audit: each file system type, each tree: the image is the tree
for tree in ready old deselect; do
	for t in ext2 ext3 ext4; do
		mkfs $t "$scratch/$tree" "$scratch/$tree.$t"
		same "$scratch/$tree" "$scratch/$tree.$t" "$scratch/$tree.$t!/" "$tree.$t"
	done
	echo "ok: $tree: ext2, ext3 and ext4 images give the tree's findings and verdict ($(head -1 "$scratch/want"))"
done
summary "$scratch/ready.ext4" "$scratch/ready.ext4!/" | grep "^verdict ready " >/dev/null || fail "ready.ext4 is not ready"
summary "$scratch/old.ext4" "$scratch/old.ext4!/" | grep "^verdict not-ready " >/dev/null || fail "old.ext4 is ready"
summary "$scratch/deselect.ext4" "$scratch/deselect.ext4!/" | grep "required-missing" >/dev/null ||
	fail "deselect.ext4: the deselected G2 is counted"
"$bin" audit $at "$scratch/old.ext4" >"$scratch/out" || true
grep -q "Baltimore CyberTrust Root .*old.ext4!/etc/ssl/certs/ca-certificates.crt line 1 (pem)" "$scratch/out" ||
	fail "audit: the anchor's location does not name the member: $(cat "$scratch/out")"
echo "ok: verdicts ready / not-ready / G2 deselected, anchors at old.ext4!/etc/ssl/certs/ca-certificates.crt"

# disk images: MBR and GPT, a FAT boot partition and the ext4 root as p2
for label in dos gpt; do
	for tree in ready old deselect; do
		disk $label "$scratch/$tree.ext4" "$scratch/$tree-$label.img"
		same "$scratch/$tree" "$scratch/$tree-$label.img" "$scratch/$tree-$label.img!p2!/" "$tree-$label.img"
	done
	echo "ok: $label disk images (FAT p1, ext4 p2) give the trees' findings, at IMAGE!p2!/..."
done

# a deleted file's old bytes are not read: they are still in the image, but no file holds them
mkdir -p "$scratch/del/etc/ssl/certs"
cp "$data/g2_ms2017.pem" "$scratch/del/etc/ssl/certs/ca-certificates.crt"
cp "$data/baltimore_cybertrust_root.pem" "$scratch/del/etc/ssl/certs/baltimore.pem"
mkfs ext4 "$scratch/del" "$scratch/del.ext4"
summary "$scratch/del.ext4" "$scratch/del.ext4!/" | grep "etc/ssl/certs/baltimore.pem" >/dev/null ||
	fail "del.ext4: baltimore.pem is not listed before it is deleted"
debugfs -w -R 'rm /etc/ssl/certs/baltimore.pem' "$scratch/del.ext4" >/dev/null 2>&1 || fail "debugfs rm failed"
grep -q "MIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQswCQYDVQQGEwJJ" "$scratch/del.ext4" ||
	fail "del.ext4: the deleted file's bytes are gone: the test proves nothing"
rm "$scratch/del/etc/ssl/certs/baltimore.pem"
same "$scratch/del" "$scratch/del.ext4" "$scratch/del.ext4!/" "del.ext4 after rm"
summary "$scratch/del.ext4" "$scratch/del.ext4!/" | grep "^verdict ready " >/dev/null || fail "del.ext4: not ready after rm"
echo "ok: a deleted file's old blocks are not read (the image is ready, as the tree)"

# a file in scattered extents is read whole: free every other 1 KiB block, then write a bundle that spans them
mkdir -p "$scratch/frag/etc/ssl/certs" "$scratch/frag/var"
for i in $(seq 1 60); do head -c 1000 /dev/zero | tr '\0' x >"$scratch/frag/var/f$i"; done
rm -f "$scratch/frag.ext4"
mke2fs -q -F -t ext4 -b 1024 -d "$scratch/frag" "$scratch/frag.ext4" 8M >/dev/null 2>&1 || fail "mke2fs frag"
for i in $(seq 1 2 60); do echo "rm /var/f$i"; done >"$scratch/rm.cmd"
debugfs -w -f "$scratch/rm.cmd" "$scratch/frag.ext4" >/dev/null 2>&1 || fail "debugfs rm of the spacers failed"
(yes '# padding, so that the certificates cross block boundaries' | head -c 2000; echo; cat "$data/g2_ms2017.pem") \
	>"$scratch/big.pem"
debugfs -w -R "write $scratch/big.pem /etc/ssl/certs/ca-certificates.crt" "$scratch/frag.ext4" >/dev/null 2>&1 ||
	fail "debugfs write failed"
extents=$(debugfs -R "ex /etc/ssl/certs/ca-certificates.crt" "$scratch/frag.ext4" 2>/dev/null | grep -c '^ 1/ 1') || true
[ "$extents" -ge 3 ] || fail "frag.ext4: the bundle is in $extents extents, not scattered: the test proves nothing"
summary "$scratch/frag.ext4" "$scratch/frag.ext4!/" >"$scratch/got"
grep "^verdict ready " "$scratch/got" >/dev/null || fail "frag.ext4: not ready: $(cat "$scratch/got")"
[ "$(grep -c "^[0-9a-f]* anchor \[('etc/ssl/certs/ca-certificates.crt', [0-9]*, 'pem')\]$" "$scratch/got")" = 2 ] ||
	fail "frag.ext4: the two roots are not read as PEM lines of the bundle: $(cat "$scratch/got")"
echo "ok: a bundle in $extents scattered extents is read whole (ready, both roots at their lines of the file)"

# nested: .tar.gz holding the image, the image gzipped, a disk image in a .tar.gz
(cd "$scratch" && tar -czf bundle.tgz old.ext4 && gzip -c ready.ext4 >ready.ext4.gz && tar -czf sd.tar.gz old-gpt.img)
same "$scratch/old" "$scratch/bundle.tgz" "$scratch/bundle.tgz!/old.ext4!/" "bundle.tgz"
same "$scratch/ready" "$scratch/ready.ext4.gz" "$scratch/ready.ext4.gz!/ready.ext4!/" "ready.ext4.gz"
same "$scratch/old" "$scratch/sd.tar.gz" "$scratch/sd.tar.gz!/old-gpt.img!p2!/" "sd.tar.gz"
echo "ok: nested in .tar.gz and .gz: the same findings"

# scan: the real-world set's findings, unpacked and as an image, are the same but for the path prefix
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
(cd "$data/scan/realworld" && tar -cf - --exclude=./firmware .) | (cd "$scratch/src" && tar -xf -)
findings "$scratch/src" "$scratch/src/" >"$scratch/want"
[ "$(wc -l <"$scratch/want")" -ge 20 ] || fail "the unpacked set gives $(wc -l <"$scratch/want") findings"
rm -f "$scratch/fw.ext4"
mke2fs -q -F -t ext4 -d "$scratch/src" "$scratch/fw.ext4" 32M >/dev/null 2>&1 || fail "mke2fs of the set failed"
findings "$scratch/fw.ext4" "$scratch/fw.ext4!/" >"$scratch/got"
diff "$scratch/want" "$scratch/got" >"$scratch/diff" || fail "scan of fw.ext4 differs: $(cat "$scratch/diff")"
disk gpt "$scratch/fw.ext4" "$scratch/fw.wic"
findings "$scratch/fw.wic" "$scratch/fw.wic!p2!/" >"$scratch/got"
diff "$scratch/want" "$scratch/got" >"$scratch/diff" || fail "scan of fw.wic differs: $(cat "$scratch/diff")"
echo "ok: scan of fw.ext4 and fw.wic gives the $(wc -l <"$scratch/want") findings of the unpacked tree"

# damaged images: a note naming the image, exit 0 for scan and 1 or 2 at most for audit, never a signal or a hang
head -c 3000000 "$scratch/old.ext4" >"$scratch/cut.ext4"
set +e
timeout 20 "$bin" scan $at "$scratch/cut.ext4" >"$scratch/out" 2>&1
rc=$?
set -e
[ $rc = 0 ] || fail "truncated image: exit $rc: $(cat "$scratch/out")"
grep -q "cut.ext4@0: info: cannot read all of the ext2/3/4 image: shorter than its file system, truncated? (it says 8388608 bytes, there are 3000000); blocks past its end read as zeros" \
	"$scratch/out" || fail "truncated image: no note: $(cat "$scratch/out")"
head -c 4096 "$scratch/old.ext4" >"$scratch/stub.ext4" # a superblock whose file system is 2048 times the bytes
set +e
timeout 20 "$bin" scan $at "$scratch/stub.ext4" >"$scratch/out" 2>&1
rc=$?
set -e
[ $rc = 0 ] || fail "cut image: exit $rc: $(cat "$scratch/out")"
grep -q "stub.ext4@0: info: cannot read the ext2/3/4 image: truncated or damaged (it says 8388608 bytes, there are 4096)" \
	"$scratch/out" || fail "cut image: no note: $(cat "$scratch/out")"
echo "ok: a truncated image is noted, read as far as it goes; one cut to its superblock is refused (exit 0)"
"$PY" - "$scratch/old.ext4" "$scratch/bad" <<'PYEOF'
import random, sys
src = open(sys.argv[1], "rb").read()
for seed in range(8):
    b = bytearray(src)
    random.seed(seed)
    for _ in range(64):
        # the superblock, the group descriptors and the first inode table blocks, where damage hurts
        b[random.randrange(1024, 1024 * 64)] ^= 1 << random.randrange(8)
    open(f"{sys.argv[2]}{seed}.ext4", "wb").write(b)
PYEOF
for seed in 0 1 2 3 4 5 6 7; do
	for cmd in scan audit; do
		set +e
		timeout 20 "$bin" $cmd $at "$scratch/bad$seed.ext4" >/dev/null 2>&1
		rc=$?
		set -e
		[ $rc -le 2 ] || fail "$cmd of damaged image $seed: exit $rc"
	done
done
echo "ok: 8 damaged images end in an answer (scan and audit)"
rm -rf "$scratch"
