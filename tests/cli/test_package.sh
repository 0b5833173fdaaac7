#!/bin/sh
# test_package.sh BINARY SCRATCH: `cpack -G DEB` makes a Debian package holding the binary, the man page, the bash
# and zsh completions, the pkg-config file, the header and the libraries; the unpacked binary runs.
set -eu
builddir=$(dirname "$(realpath "$1")")
S=$2
command -v cpack >/dev/null && command -v dpkg-deb >/dev/null || { echo "SKIP: no cpack or dpkg-deb"; exit 77; }
rm -rf "$S" && mkdir -p "$S"
(cd "$builddir" && cpack -G DEB -B "$S" >"$S/cpack.log" 2>&1) || { cat "$S/cpack.log"; echo "FAIL: cpack"; exit 1; }
deb=$(ls "$S"/rootshift_*.deb)
dpkg-deb -c "$deb" | awk '{ print $6 }' >"$S/files"
for f in ./usr/bin/rootshift ./usr/share/man/man1/rootshift.1 ./usr/share/bash-completion/completions/rootshift \
  ./usr/share/zsh/vendor-completions/_rootshift ./usr/lib/pkgconfig/rootshift.pc ./usr/include/rootshift.h \
  ./usr/share/rootshift/profiles/azure-iot.json; do
  grep -qx "$f" "$S/files" || { echo "FAIL: $f is not in the package"; cat "$S/files"; exit 1; }
  echo "ok   $f"
done
dpkg-deb -f "$deb" Depends | grep -q 'libssl3' || { echo "FAIL: Depends misses libssl3"; exit 1; }
dpkg-deb -x "$deb" "$S/root"
"$S/root/usr/bin/rootshift" version | grep -q '^rootshift ' || { echo "FAIL: the packaged binary does not run"; exit 1; }
echo "ok   $(basename "$deb"): $(dpkg-deb -f "$deb" Depends)"
