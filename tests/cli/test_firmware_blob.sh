#!/bin/sh
# test_firmware_blob.sh BINARY SCRATCH: a firmware blob holds its root file system past its start (OpenWrt's
# sysupgrade image: a uImage kernel, then a SquashFS at an erase-block boundary; a kernel with a gzip'ed initramfs;
# a vendor header before a .tar.xz; an eMMC dump with ext4 after the boot loader and no partition table). audit and
# scan open each file system in place as "BLOB!@OFFSET!/path" and give the unpacked tree's verdict, anchors and
# locations; an ext4 image's deselected or deleted certificates are not carved back from its blocks; formats read
# nowhere here (UBI, JFFS2, cramfs) are one note each that says what to run; magic numbers by chance (random bytes,
# shared libraries that hold the magics as data) open nothing and add no note. Images are made here with the real
# tools: mkimage (u-boot-tools), mksquashfs, mke2fs -d, cpio, gzip, xz, zstd, zip, ubinize and mkfs.ubifs, mkfs.jffs2
# (mtd-utils), mkfs.cramfs (util-linux).
set -eu
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
bin=$(realpath "$1")
S=$(realpath -m "$2")
data=$(realpath data)
rm -rf "$S"
mkdir -p "$S"
fail() { echo "FAIL: $*"; exit 1; }
at=--at=2026-01-01T00:00:00Z
PATH=$PATH:/sbin:/usr/sbin
for t in mkimage mksquashfs mke2fs cpio xz lzma zstd zip ubinize mkfs.ubifs mkfs.jffs2 mkfs.cramfs; do
	command -v $t >/dev/null || fail "$t is not installed (scripts/install-deps.sh installs it)"
done

# the trees: ready (G2 + Microsoft RSA 2017), old (Baltimore alone), deselect (Debian's store with Baltimore
# deselected in etc/ca-certificates.conf: its file stays in usr/share, the generated bundle lacks it)
mkdir -p "$S/ready/etc/ssl/certs" "$S/old/etc/ssl/certs" "$S/ready/usr/bin" "$S/old/usr/bin"
cat "$data/g2_ms2017.pem" >"$S/ready/etc/ssl/certs/ca-certificates.crt"
cat "$data/baltimore_cybertrust_root.pem" >"$S/old/etc/ssl/certs/ca-certificates.crt"
printf '#!/bin/sh\nexec /usr/bin/mqtt-client "$@"\n' >"$S/ready/usr/bin/start"
cp "$S/ready/usr/bin/start" "$S/old/usr/bin/start"
cp -R "$data/scan/gateway/ca-conf" "$S/deselect"
rm -f "$S/deselect/EXPECT"

# random BYTES FILE: incompressible bytes, as a kernel is
random() { head -c "$1" /dev/urandom >"$2"; }
# pad FILE ALIGN: zeros to the next multiple of ALIGN, as flash images pad to an erase block
pad() { truncate -s $((($(stat -c %s "$1") + $2 - 1) / $2 * $2)) "$1"; }

# summary FILE PREFIX: the audit of FILE summed up by cli/lib/audit_summary.py, locations less PREFIX (a tree's
# "DIR/", a blob's "BLOB!@N!/"), so that a tree and a blob compare line by line
summary() {
	"$bin" audit $at --format json "$1" | "$PY" cli/lib/audit_summary.py "$2"
}
# same NAME TREE BLOB OFFSET: the blob's audit equals the tree's, the file system read at OFFSET
same() {
	summary "$2" "$2/" >"$S/$1.tree"
	summary "$3" "$3!@$4!/" >"$S/$1.blob"
	diff "$S/$1.tree" "$S/$1.blob" >"$S/$1.diff" || fail "$1: the blob differs from its tree: $(cat "$S/$1.diff")"
	echo "ok   $1: the file system at byte $4 gives the tree's verdict and locations"
}
# rc_is NAME RC CMD...: the exit code
rc_is() {
	name=$1 want=$2
	shift 2
	set +e
	"$@" >"$S/$name.out" 2>"$S/$name.err"
	got=$?
	set -e
	[ "$got" = "$want" ] || fail "$name: exit $got, wanted $want: $(head -c 600 "$S/$name.out" "$S/$name.err")"
}

# 1. OpenWrt sysupgrade: uImage (gzip'ed kernel) padded to 64 KiB, a SquashFS (xz), the 0xdeadc0de marker
openwrt() { # openwrt TREE OUT: prints the SquashFS's offset
	random 900000 "$S/vmlinux"
	gzip -9 -n -c "$S/vmlinux" >"$S/vmlinux.gz"
	mkimage -A mips -O linux -T kernel -C gzip -a 0x80060000 -e 0x80060000 -n "MIPS OpenWrt Linux-5.15" \
		-d "$S/vmlinux.gz" "$2" >/dev/null
	pad "$2" 65536
	off=$(stat -c %s "$2")
	rm -f "$S/root.sqfs"
	mksquashfs "$1" "$S/root.sqfs" -comp xz -b 256k -noappend -all-root -quiet >/dev/null
	cat "$S/root.sqfs" >>"$2"
	pad "$2" 65536
	printf '\336\255\300\336' >>"$2"
	echo "$off"
}
off=$(openwrt "$S/ready" "$S/openwrt-ready.bin")
same openwrt-ready "$S/ready" "$S/openwrt-ready.bin" "$off"
rc_is openwrt-ready 0 "$bin" audit $at "$S/openwrt-ready.bin"
off=$(openwrt "$S/old" "$S/openwrt-old.bin")
same openwrt-old "$S/old" "$S/openwrt-old.bin" "$off"
rc_is openwrt-old 1 "$bin" audit $at "$S/openwrt-old.bin"
grep -q "openwrt-old.bin!@$off!/etc/ssl/certs/ca-certificates.crt" "$S/openwrt-old.out" ||
	fail "openwrt-old: the location names no member: $(cat "$S/openwrt-old.out")"
echo "ok   openwrt: Baltimore alone inside is NOT READY (exit 1), named at its member"

# 2. a kernel with its initramfs: a gzip'ed cpio (newc) at an odd offset, more kernel after it
(cd "$S/ready" && find . | cpio -o -H newc --quiet) | gzip -9 -n >"$S/initramfs.cpio.gz"
random 30001 "$S/initrd-kernel.bin"
cat "$S/initramfs.cpio.gz" >>"$S/initrd-kernel.bin"
random 20000 "$S/tail"
cat "$S/tail" >>"$S/initrd-kernel.bin"
same initramfs "$S/ready" "$S/initrd-kernel.bin" 30001

# 3. a vendor header (512 bytes) before a .tar.xz, and before a .tar.zst
(cd "$S/old" && tar -cf "$S/rootfs.tar" etc usr)
random 512 "$S/vendor-xz.bin"
xz -c "$S/rootfs.tar" >>"$S/vendor-xz.bin"
same vendor-xz "$S/old" "$S/vendor-xz.bin" 512
random 512 "$S/vendor-zst.bin"
zstd -q -c "$S/rootfs.tar" >>"$S/vendor-zst.bin"
same vendor-zst "$S/old" "$S/vendor-zst.bin" 512
# and an uncompressed tar and cpio: read by member, each anchor at one location (not carved a second time)
random 4096 "$S/vendor-tar.bin"
cat "$S/rootfs.tar" >>"$S/vendor-tar.bin"
random 3000 "$S/tail"
cat "$S/tail" >>"$S/vendor-tar.bin"
same vendor-tar "$S/old" "$S/vendor-tar.bin" 4096
random 4096 "$S/vendor-cpio.bin"
(cd "$S/old" && find . | cpio -o -H newc --quiet) >>"$S/vendor-cpio.bin"
cat "$S/tail" >>"$S/vendor-cpio.bin"
same vendor-cpio "$S/old" "$S/vendor-cpio.bin" 4096

# 4. an eMMC dump: 1 MiB of boot loader, then ext4 with no partition table; Baltimore deselected in
# etc/ca-certificates.conf and its file still in the image: not carved back (the tree's answer, Baltimore dropped)
mke2fs -q -F -t ext4 -d "$S/deselect" "$S/root.ext4" 8M >/dev/null 2>&1 || fail "mke2fs failed"
random 1048576 "$S/emmc.bin"
cat "$S/root.ext4" >>"$S/emmc.bin"
same emmc-ext4 "$S/deselect" "$S/emmc.bin" 1048576
# a certificate deleted from the image: its blocks still hold it, and it is not the device's
mkdir -p "$S/del/etc/ssl/certs"
cat "$data/g2_ms2017.pem" >"$S/del/etc/ssl/certs/ca-certificates.crt"
cp "$data/baltimore_cybertrust_root.pem" "$S/del/etc/ssl/certs/old.pem"
mke2fs -q -F -t ext4 -d "$S/del" "$S/del.ext4" 8M >/dev/null 2>&1
debugfs -w -R "rm /etc/ssl/certs/old.pem" "$S/del.ext4" >/dev/null 2>&1
grep -q "MIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQswCQYDVQQGEwJJ" "$S/del.ext4" ||
	fail "the deleted file's blocks were cleared: the test proves nothing"
rm "$S/del/etc/ssl/certs/old.pem"
random 65536 "$S/del.bin"
cat "$S/del.ext4" >>"$S/del.bin"
same emmc-deleted "$S/del" "$S/del.bin" 65536

# 4b. OpenWrt's initramfs kernel: a uImage whose LZMA payload (no magic of its own: the header says where) is a
# kernel holding its initramfs as a cpio
(cd "$S/ready" && find . | cpio -o -H newc --quiet) >"$S/initramfs.cpio"
random 700000 "$S/kernel"
cat "$S/initramfs.cpio" >>"$S/kernel"
random 300000 "$S/tail"
cat "$S/tail" >>"$S/kernel"
lzma -c "$S/kernel" >"$S/kernel.lzma"
mkimage -A mips -O linux -T kernel -C lzma -a 0x80060000 -e 0x80060000 -n "MIPS OpenWrt Linux-5.15.137" \
	-d "$S/kernel.lzma" "$S/openwrt-initramfs-kernel.bin" >/dev/null
same uimage-lzma "$S/ready" "$S/openwrt-initramfs-kernel.bin" "64!/data!@700000"

# 4c. an ext4 root holding many compressed files (a distribution's /usr/share/doc/*.gz): each looks like a stream
# inside the blob, and none may take the place of the image itself, nor be noted as not opened
mkdir -p "$S/docs/usr/share/doc" "$S/docs/etc/ssl/certs"
cat "$data/baltimore_cybertrust_root.pem" >"$S/docs/etc/ssl/certs/ca-certificates.crt"
for i in $(seq 1 80); do
	random 2000 "$S/docs/usr/share/doc/changelog$i"
	gzip -n "$S/docs/usr/share/doc/changelog$i"
done
mke2fs -q -F -t ext4 -d "$S/docs" "$S/docs.ext4" 16M >/dev/null 2>&1 || fail "mke2fs failed"
random 1048576 "$S/emmc-docs.bin"
cat "$S/docs.ext4" >>"$S/emmc-docs.bin"
same emmc-docs "$S/docs" "$S/emmc-docs.bin" 1048576
"$bin" audit $at --format json "$S/emmc-docs.bin" >"$S/emmc-docs.json" || true
! grep -q "more places" "$S/emmc-docs.json" || fail "emmc-docs: $(grep 'more places' "$S/emmc-docs.json")"

# 5. nested: the vendor ships the sysupgrade image in a zip
(cd "$S" && rm -f fw.zip && zip -q fw.zip openwrt-old.bin)
rc_is zip-nested 1 "$bin" audit $at --format json "$S/fw.zip"
off=$(grep -o 'openwrt-old.bin!@[0-9]*!/etc/ssl/certs/ca-certificates.crt' "$S/zip-nested.out" | head -1)
[ -n "$off" ] && grep -q "\"path\": \"$S/fw.zip!/$off\"" "$S/zip-nested.out" ||
	fail "zip-nested: no fw.zip!/openwrt-old.bin!@N!/etc/... location: $(grep '"path"' "$S/zip-nested.out")"
echo "ok   zip-nested: fw.zip!/openwrt-old.bin!@N!/etc/ssl/certs/ca-certificates.crt"

# 6. a blob larger than the 64 MiB carving window: the SquashFS at 70 MiB is opened all the same
truncate -s 70M "$S/big.bin"
cat "$S/root.sqfs" >>"$S/big.bin" # the old tree's, from case 1
same big "$S/old" "$S/big.bin" $((70 << 20))

# 7. formats read nowhere here: one note each, naming the tool to unpack with
mkdir -p "$S/ubi"
mkfs.ubifs -q -r "$S/ready" -m 2048 -e 126976 -c 64 -o "$S/ubi/root.ubifs"
printf '[rootfs]\nmode=ubi\nimage=%s\nvol_id=0\nvol_type=dynamic\nvol_name=rootfs\nvol_flags=autoresize\n' \
	"$S/ubi/root.ubifs" >"$S/ubi/ubinize.cfg"
ubinize -o "$S/ubi/root.ubi" -m 2048 -p 128KiB -s 2048 "$S/ubi/ubinize.cfg" >/dev/null 2>&1
random 262144 "$S/nand.bin"
cat "$S/ubi/root.ubi" >>"$S/nand.bin"
mkfs.jffs2 -r "$S/ready" -e 64KiB -l -o "$S/root.jffs2"
random 65536 "$S/nor.bin"
cat "$S/root.jffs2" >>"$S/nor.bin"
mkfs.cramfs "$S/ready" "$S/root.cramfs" >/dev/null
random 65536 "$S/cram.bin"
cat "$S/root.cramfs" >>"$S/cram.bin"
truncate -s 70M "$S/bignand.bin" # larger than the carving window: the note comes from the windows
cat "$S/ubi/root.ubi" >>"$S/bignand.bin"
for c in "nand.bin UBI ubireader" "bignand.bin UBI ubireader" "ubi/root.ubi UBI ubireader" "nor.bin JFFS2 jefferson" "root.jffs2 JFFS2 jefferson" \
	"cram.bin cramfs cramfsck"; do
	set -- $c
	rc_is "note-$(basename "$1")" 1 "$bin" audit $at --format json "$S/$1"
	n=$(grep -c "\"message\": \"cannot read a $2 .*$3" "$S/note-$(basename "$1").out" || true)
	[ "$n" = 1 ] || fail "$1: $n notes on $2 naming $3, wanted 1: $(grep '"message"' "$S/note-$(basename "$1").out")"
done
echo "ok   UBI, JFFS2 and cramfs: one note each, naming the tool that unpacks them"

# 8. magic numbers by chance open nothing: random bytes with each magic planted before junk, and shared libraries
# that hold the formats' magics as data (the readers' own code)
"$PY" - "$S/chance.bin" <<'EOF'
import os, sys
out = bytearray(os.urandom(1 << 20))
magics = [b"hsqs", b"sqsh", b"\x1f\x8b\x08\xff", b"\xfd7zXZ\x00\x00\x01", b"\x28\xb5\x2f\xfd\x08", b"070701zz",
          b"UBI#\x07", b"\x85\x19\x01\xe0", b"\x45\x3d\xcd\x28", b"PK\x03\x04\xff\xff", b"ustar\x0000",
          b"\x27\x05\x19\x56" + bytes(27) + b"\x03"]
for i, m in enumerate(magics):
    at = 4096 * (i + 1) + 257 * (m == b"ustar\x0000")
    out[at:at + len(m)] = m
    at = 4096 * (i + 1) + 1080 + 100 * 512
    out[at:at + 2] = b"\x53\xef"
open(sys.argv[1], "wb").write(out)
EOF
libs=""
for l in libarchive.so.13 libsquashfs.so.1 liblzma.so.5 libzstd.so.1 libz.so.1 libext2fs.so.2 libmtd.so; do
	f=$(ls /usr/lib/x86_64-linux-gnu/$l* /lib/x86_64-linux-gnu/$l* 2>/dev/null | head -1 || true)
	[ -n "$f" ] && libs="$libs $(realpath "$f")"
done
cat $libs >"$S/libs.bin"
for f in chance.bin libs.bin; do
	"$bin" audit $at --format json "$S/$f" >"$S/$f.json" 2>"$S/$f.err" || true
	! grep -q '!@' "$S/$f.json" || fail "$f: something opened: $(grep -m3 '!@' "$S/$f.json")"
	! grep -qi 'UBI\|JFFS2\|cramfs\|SquashFS' "$S/$f.json" || fail "$f: a note by chance: $(grep -m3 -i 'UBI\|JFFS2\|cramfs\|SquashFS' "$S/$f.json")"
	"$bin" scan $at --format json "$S/$f" >"$S/$f.scan.json" 2>&1 || true
	! grep -q '!@' "$S/$f.scan.json" || fail "$f: scan opened something: $(grep -m3 '!@' "$S/$f.scan.json")"
done
echo "ok   magics by chance (random bytes, $(echo $libs | wc -w) shared libraries): nothing opened, no note"

# 9. scan: a daemon's binary and its config inside the SquashFS pin Baltimore's fingerprint; a store of two roots
# beside them. The blob's findings are the tree's, each at its member (path, line, offset), and the exit code the
# tree's; --jobs 1 gives the same JSON
mkdir -p "$S/pin/usr/bin" "$S/pin/etc/ssl/certs"
cat "$data/g2_ms2017.pem" >"$S/pin/etc/ssl/certs/ca-certificates.crt"
"$PY" - "$S/pin/usr/bin/hubd" <<'EOF'
import os, sys
fp = b"D4:DE:20:D0:5E:66:FC:53:FE:1A:50:88:2C:78:DB:28:52:CA:E4:74"
body = b"\x7fELF\x02\x01\x01" + os.urandom(5000) + b"\0myhub.azure-devices.net\0" + fp + b"\0setFingerprint\0"
open(sys.argv[1], "wb").write(body + os.urandom(3000))
EOF
printf '[mqtt]\nhost=myhub.azure-devices.net\nfingerprint=D4:DE:20:D0:5E:66:FC:53:FE:1A:50:88:2C:78:DB:28:52:CA:E4:74\n' \
	>"$S/pin/etc/hubd.conf"
off=$(openwrt "$S/pin" "$S/openwrt-pin.bin")
# findings FILE PREFIX: each finding's rule, severity, path less PREFIX, line, offset and value
findings() {
	"$PY" -c '
import json, sys
pre = sys.argv[2]
for f in json.load(open(sys.argv[1]))["findings"]:
    p = f["path"][len(pre):] if f["path"].startswith(pre) else "OUTSIDE " + f["path"]
    print(f["rule"], f["severity"], p, f["line"], f["offset"], f["value"])
' "$1" "$2"
}
rc_is scan-tree 1 "$bin" scan $at --format json "$S/pin"
rc_is scan-blob 1 "$bin" scan $at --format json "$S/openwrt-pin.bin"
findings "$S/scan-tree.out" "$S/pin/" >"$S/scan-tree.txt"
findings "$S/scan-blob.out" "$S/openwrt-pin.bin!@$off!/" >"$S/scan-blob.txt"
[ "$(grep -c . "$S/scan-tree.txt")" -ge 3 ] || fail "scan-tree: fewer findings than planted: $(cat "$S/scan-tree.txt")"
diff "$S/scan-tree.txt" "$S/scan-blob.txt" >"$S/scan.diff" || fail "scan: the blob differs from its tree: $(cat "$S/scan.diff")"
# the same tree as ext4 after a boot loader: its bytes are not compressed, so the blob's own rules see the pins too;
# they are reported once, at the members
mke2fs -q -F -t ext4 -d "$S/pin" "$S/pin.ext4" 8M >/dev/null 2>&1 || fail "mke2fs failed"
random 1048576 "$S/emmc-pin.bin"
cat "$S/pin.ext4" >>"$S/emmc-pin.bin"
rc_is scan-emmc 1 "$bin" scan $at --format json "$S/emmc-pin.bin"
findings "$S/scan-emmc.out" "$S/emmc-pin.bin!@1048576!/" >"$S/scan-emmc.txt"
diff "$S/scan-tree.txt" "$S/scan-emmc.txt" >"$S/scan.diff" || fail "scan emmc: the blob differs from its tree: $(cat "$S/scan.diff")"
"$bin" scan $at --format json --jobs 1 "$S/openwrt-pin.bin" >"$S/scan-blob-j1.json" || true
cmp -s "$S/scan-blob.out" "$S/scan-blob-j1.json" || fail "scan --jobs 1 differs from the default"
echo "ok   scan: a SquashFS's and an ext4's findings are their tree's at their members ($(grep -c . "$S/scan-tree.txt")), once each, exit 1, --jobs 1 the same"
echo "all firmware blob checks passed"
