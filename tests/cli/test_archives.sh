#!/bin/sh
# test_archives.sh BINARY SCRATCH: audit and scan read archives and compressed files in memory (libarchive): the
# same verdict and findings as the unpacked files, locations naming the member ("fw.tgz!/etc/ssl/..."), nested
# archives, and an archive bomb stopped with a note. Archives are made here with tar, gzip, xz, zstd, bzip2, zip
# and cpio; a tool that is missing skips its format with a message.
set -eu
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
bin=$(realpath "$1")
scratch=$2
rm -rf "$scratch"
mkdir -p "$scratch/ready/etc/ssl/certs" "$scratch/old/etc/ssl/certs"
fail() { echo "FAIL: $*"; exit 1; }
at=--at=2026-01-01T00:00:00Z
have() { command -v "$1" >/dev/null 2>&1 || { echo "skip: no $1"; return 1; }; }

cat data/digicert_global_root_g2.pem data/microsoft_rsa_root_ca_2017.pem >"$scratch/ready/etc/ssl/certs/ca-certificates.crt"
cat data/baltimore_cybertrust_root.pem >"$scratch/old/etc/ssl/certs/ca-certificates.crt"

verdict() { # verdict FILE: the audit's verdict in JSON
	"$bin" audit $at --format json "$1" | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["verdict"]["status"])'
}

for tree in ready old; do
	want=$(verdict "$scratch/$tree") || true
	[ -n "$want" ] || fail "no verdict for $tree"
	cd "$scratch"
	made=""
	have tar && tar -cf $tree.tar -C $tree . && made="$made $tree.tar"
	have gzip && tar -czf $tree.tgz -C $tree . && made="$made $tree.tgz" &&
		gzip -c $tree/etc/ssl/certs/ca-certificates.crt >$tree.crt.gz && made="$made $tree.crt.gz"
	have xz && tar -cJf $tree.tar.xz -C $tree . && made="$made $tree.tar.xz"
	have zstd && tar -cf - -C $tree . | zstd -q -o $tree.tar.zst && made="$made $tree.tar.zst"
	have bzip2 && tar -cjf $tree.tar.bz2 -C $tree . && made="$made $tree.tar.bz2"
	have zip && (cd $tree && zip -qr ../$tree.zip .) && made="$made $tree.zip"
	have cpio && (cd $tree && find . | cpio -o -H newc 2>/dev/null >../$tree.cpio) && made="$made $tree.cpio"
	# nested: a tar holding a .tgz holding the store
	have gzip && mkdir -p nest-$tree && cp $tree.tgz nest-$tree/rootfs.tgz && tar -cf $tree-nested.tar -C nest-$tree . &&
		made="$made $tree-nested.tar"
	cd - >/dev/null
	for a in $made; do
		got=$(verdict "$scratch/$a") || true
		[ "$got" = "$want" ] || fail "$a: verdict '$got', unpacked '$want'"
	done
	echo "$tree: $want for$made"
done

# The location names the member; exit codes follow the verdict.
"$bin" audit $at --format json "$scratch/ready.tgz" >"$scratch/ready.json" || fail "ready.tgz: exit $?"
"$PY" - "$scratch/ready.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
paths = {l["path"] for a in d["anchors"] for l in a["locations"]}
assert any(p.endswith("ready.tgz!/etc/ssl/certs/ca-certificates.crt") for p in paths), paths
PY
rc=0; "$bin" audit $at "$scratch/old.tgz" >/dev/null || rc=$?
[ "$rc" = 1 ] || fail "old.tgz: exit $rc, expected 1"
if [ -e "$scratch/ready-nested.tar" ]; then
	"$bin" audit $at --format json "$scratch/ready-nested.tar" | grep -q 'ready-nested.tar!/rootfs.tgz!/etc/ssl/certs/ca-certificates.crt' ||
		fail "nested location"
fi

# scan: the findings of a packed tree are those of the tree, each path behind "fire.tgz!/fire/".
(cd data/scan && tar -czf "$scratch/fire.tgz" fire)
"$bin" scan $at --format json data/scan/fire >"$scratch/fire.json" || true
"$bin" scan $at --format json "$scratch/fire.tgz" >"$scratch/fire-tgz.json" || true
"$PY" - "$scratch/fire.json" "$scratch/fire-tgz.json" <<'PY'
import json, sys
plain, packed = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
key = lambda f, p: (f["path"].split(p, 1)[1], f["rule"], f["severity"], f["line"], f["offset"], f["value"], f["message"])
a = sorted(key(f, "data/scan/fire/") for f in plain["findings"])
b = sorted(key(f, "fire.tgz!/fire/") for f in packed["findings"])
assert a == b and len(a) > 20, (len(a), len(b), set(a) ^ set(b))
PY

# A bomb: 100 MB of one byte in 100 KB of gzip stops with a note, fast, in audit and in scan.
head -c 100000000 /dev/zero | tr '\0' 'A' | gzip -9 >"$scratch/bomb.gz"
"$bin" audit $at "$scratch/bomb.gz" >"$scratch/bomb.txt" || true
grep -q 'bomb.gz!/bomb.*an archive bomb? the rest is not read' "$scratch/bomb.txt" || fail "audit bomb: $(cat "$scratch/bomb.txt")"
"$bin" scan $at --format json "$scratch/bomb.gz" >"$scratch/bomb.json" || fail "scan bomb: exit $?"
grep -q '"archive-unread"' "$scratch/bomb.json" || fail "scan bomb: no archive-unread note"

# A corrupt archive: a note, not a crash; bytes that only look like gzip are read as they are.
head -c 4000 "$scratch/ready.tgz" >"$scratch/cut.tgz"
"$bin" audit $at "$scratch/cut.tgz" >/dev/null 2>&1 || [ $? = 1 ] || fail "cut.tgz: crash or exit 2"
printf '\037\213 not really gzip\n' >"$scratch/fake.gz"
"$bin" scan $at "$scratch/fake.gz" >/dev/null || fail "fake.gz: exit $?"
echo "ok"
