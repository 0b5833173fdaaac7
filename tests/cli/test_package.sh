#!/bin/sh
# test_package.sh BINARY SCRATCH: `cpack -G DEB` makes a Debian package holding the binary, the man page, the bash
# and zsh completions, the pkg-config file, the header and the libraries; the unpacked binary runs. The man page is
# gzipped as Debian policy wants (/usr/share/man/man1/rootshift.1.gz) and renders; lintian, when installed, finds
# none of the tags that were fixed (the others are listed: see the report printed).
set -eu
builddir=$(dirname "$(realpath "$1")")
S=$2
command -v cpack >/dev/null && command -v dpkg-deb >/dev/null || { echo "SKIP: no cpack or dpkg-deb"; exit 77; }
rm -rf "$S" && mkdir -p "$S"
(cd "$builddir" && cpack -G DEB -B "$S" >"$S/cpack.log" 2>&1) || { cat "$S/cpack.log"; echo "FAIL: cpack"; exit 1; }
deb=$(ls "$S"/rootshift_*.deb)
dpkg-deb -c "$deb" | awk '{ print $6 }' >"$S/files"
for f in ./usr/bin/rootshift ./usr/share/man/man1/rootshift.1.gz ./usr/share/bash-completion/completions/rootshift \
  ./usr/share/zsh/vendor-completions/_rootshift ./usr/lib/pkgconfig/rootshift.pc ./usr/include/rootshift.h \
  ./usr/share/rootshift/profiles/azure-iot.json; do
  grep -qx "$f" "$S/files" || { echo "FAIL: $f is not in the package"; cat "$S/files"; exit 1; }
  echo "ok   $f"
done
! grep -qx './usr/share/man/man1/rootshift.1' "$S/files" || { echo "FAIL: the man page is not gzipped"; exit 1; }
# Debian policy 12.5 and 12.7: a copyright file and, for a native package, changelog.gz; a maintainer address
for f in ./usr/share/doc/rootshift/copyright ./usr/share/doc/rootshift/changelog.gz; do
  grep -qx "$f" "$S/files" || { echo "FAIL: $f is not in the package"; exit 1; }
  echo "ok   $f"
done
case $(dpkg-deb -f "$deb" Maintainer) in
  *@localhost*|'') echo "FAIL: Maintainer: $(dpkg-deb -f "$deb" Maintainer)"; exit 1 ;;
esac
dpkg-deb -f "$deb" Depends | grep -q 'libssl3' || { echo "FAIL: Depends misses libssl3"; exit 1; }
dpkg-deb -x "$deb" "$S/root"
"$S/root/usr/bin/rootshift" version | grep -q '^rootshift ' || { echo "FAIL: the packaged binary does not run"; exit 1; }
gzip -t "$S/root/usr/share/man/man1/rootshift.1.gz" || { echo "FAIL: rootshift.1.gz is not gzip"; exit 1; }
zcat "$S/root/usr/share/doc/rootshift/changelog.gz" | head -n 1 | grep -q "^rootshift ($(dpkg-deb -f "$deb" Version)) " ||
  { echo "FAIL: changelog.gz does not start with this version"; exit 1; }
grep -q '^Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/' \
  "$S/root/usr/share/doc/rootshift/copyright" || { echo "FAIL: the copyright file is not machine-readable"; exit 1; }
if command -v man >/dev/null; then
  MANWIDTH=80 man -l "$S/root/usr/share/man/man1/rootshift.1.gz" 2>&1 | grep -q 'rootshift audit' ||
    { echo "FAIL: the packaged man page does not render"; exit 1; }
  echo "ok   the packaged rootshift.1.gz renders"
fi
dpkg-deb --ctrl-tarfile "$deb" | tar -t | grep -qx './triggers' || { echo "FAIL: no ldconfig trigger"; exit 1; }
echo "ok   $(basename "$deb"): $(dpkg-deb -f "$deb" Depends)"
if command -v lintian >/dev/null; then
  lintian --tag-display-limit 0 "$deb" 2>/dev/null | sort >"$S/lintian" || true
  # Fixed, and kept fixed: a compressed man page, stripped binaries, shlibs and the ldconfig trigger, a wrapped
  # description, the copyright file, the changelog and a well-formed maintainer address.
  for tag in uncompressed-manual-page unstripped-binary-or-object no-shlibs lacks-ldconfig-trigger \
    extended-description-line-too-long manpage-has-errors-from-man no-copyright-file no-changelog bogus-mail-host \
    copyright-without-copyright-notice; do
    if grep -q ": $tag" "$S/lintian"; then echo "FAIL: lintian: $(grep ": $tag" "$S/lintian")"; exit 1; fi
  done
  echo "ok   lintian finds none of the fixed tags; it still reports:"
  sed 's/^/     /' "$S/lintian"
else
  echo "note: no lintian; the package's files were checked with dpkg-deb -c only"
fi
