#!/bin/sh
# test_audit_image_links.sh BINARY SCRATCH: audit of an unpacked root file system reads the image's files that its
# absolute links name, never this host's. Debian's /etc/ssl/certs/X.pem is a link to
# /usr/share/ca-certificates/mozilla/X.crt: inside an image that is IMAGE/usr/share/..., not the host's copy.
# Each link here names an absolute path that exists on this host too, holding DigiCert Global Root G2 (a decoy),
# while the image's file at that path holds Baltimore CyberTrust Root: the audit must see Baltimore alone (not ready,
# exit 1). An image is a directory holding etc/ and usr/; a tree that is no image follows its links as they are.
bin=$1
S=$(realpath -m "$2")
rm -rf "$S" && mkdir -p "$S" || exit 2
fails=0
AT=--at=2026-01-01T00:00:00Z
BALT=$(realpath data/baltimore_cybertrust_root.pem)
G2=$(realpath data/digicert_global_root_g2.pem)
MS=$(realpath data/microsoft_rsa_root_ca_2017.pem)

check() {
  what=$1
  shift
  if "$@"; then echo "ok   $what"; else echo "FAIL $what"; fails=$((fails + 1)); fi
}

# knowns FILE: the catalog ids of the anchors an audit JSON holds, sorted, space-separated
knowns() {
  /usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(" ".join(sorted(a.get("known") or "?" for a in d["anchors"])))' "$1"
}

# audit_is NAME RC KNOWNS PATH...: audit's exit code and the anchors it found
audit_is() {
  name=$1 rc=$2 want=$3
  shift 3
  "$bin" audit $AT --format json "$@" >"$S/$name.json" 2>"$S/$name.err"
  got_rc=$?
  got=$(knowns "$S/$name.json" 2>/dev/null)
  echo "$name: exit $got_rc, anchors: $got"
  check "$name: exit $rc" [ "$got_rc" = "$rc" ]
  check "$name: anchors '$want'" [ "$got" = "$want" ]
}

# the host side: the absolute paths the links name exist here, holding G2 (and a G2 + MS 2017 bundle)
HOST=$S/host/usr/share/ca-certificates/mozilla
mkdir -p "$HOST" "$S/host/etc/ssl/certs"
cp "$G2" "$HOST/Baltimore_CyberTrust_Root.crt"
cat "$G2" "$MS" >"$S/host/etc/ssl/certs/ca-certificates.crt"

# image IMG: a root file system whose files at the same absolute paths hold Baltimore
mkimage() {
  img=$1
  mkdir -p "$img$HOST" "$img$S/host/etc/ssl/certs" "$img/etc/ssl/certs" "$img/usr/bin"
  cp "$BALT" "$img$HOST/Baltimore_CyberTrust_Root.crt"
  cp "$BALT" "$img$S/host/etc/ssl/certs/ca-certificates.crt"
  ln -s "$HOST/Baltimore_CyberTrust_Root.crt" "$img/etc/ssl/certs/Baltimore_CyberTrust_Root.pem"
  ln -s Baltimore_CyberTrust_Root.pem "$img/etc/ssl/certs/653b494a.0" # c_rehash's relative link to the link
}
mkimage "$S/img"
ln -s "$S/host/etc/ssl/certs/ca-certificates.crt" "$S/img/etc/ssl/cert.pem" # the top path itself a link

# paths FILE: every location path of the audit JSON, one per line
paths() {
  /usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); [print(l["path"]) for a in d["anchors"] for l in a.get("locations", [])]' "$1"
}

# all_inside FILE DIR: the audit has locations, and each lies under DIR
all_inside() {
  [ -n "$(paths "$1")" ] && ! paths "$1" | grep -qv "^$2/"
}

# the whole image: the file may be met under its own name first (the walk is sorted, and where the scratch
# directory lies decides whether img/etc or the image's copy of the host path comes first), but every location is
# inside the image, never the host's file
audit_is image 1 "baltimore-cybertrust-root" "$S/img"
check "image: every location is inside the image" \
  all_inside "$S/image.json" "$S/img"
# the image's CA directory alone: the file is reached only through the link, so it is reported by the link's name
audit_is image-certs-dir 1 "baltimore-cybertrust-root" "$S/img/etc/ssl/certs"
check "image-certs-dir: the location is the link's name in the image" \
  grep -q "\"path\": \"$S/img/etc/ssl/certs/Baltimore_CyberTrust_Root.pem\"" "$S/image-certs-dir.json"
audit_is image-top-link 1 "baltimore-cybertrust-root" "$S/img/etc/ssl/cert.pem"
audit_is system-root 1 "baltimore-cybertrust-root" --system-root "$S/img"

# two images side by side under one directory: each link resolves inside its own image
mkimage "$S/two/a"
mkimage "$S/two/b"
cp "$G2" "$S/two/b$HOST/Baltimore_CyberTrust_Root.crt"
audit_is two-images 1 "baltimore-cybertrust-root digicert-global-root-g2" "$S/two"

# a link in the image to a file the image lacks: dangling there, not read from the host
mkdir -p "$S/lack/etc/ssl/certs" "$S/lack/usr"
ln -s "$HOST/Baltimore_CyberTrust_Root.crt" "$S/lack/etc/ssl/certs/gone.pem"
cp "$MS" "$S/lack/etc/ssl/certs/ms.pem"
audit_is image-dangling 1 "microsoft-rsa-root-ca-2017" "$S/lack"

# a tree that is no image (no etc/ and usr/): its absolute links are this host's files, as before
mkdir -p "$S/plain"
ln -s "$S/host/etc/ssl/certs/ca-certificates.crt" "$S/plain/bundle.pem"
audit_is plain-tree 0 "digicert-global-root-g2 microsoft-rsa-root-ca-2017" "$S/plain"

echo "$fails failed"
[ $fails -eq 0 ]
