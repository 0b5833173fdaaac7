#!/bin/sh
# test_install.sh BINARY SCRATCH: `cmake --install` into a scratch prefix, then build and run a program against the
# installed header, library and pkg-config file, and check that the shared library exports only rs_* symbols.
set -eu
builddir=$(dirname "$(realpath "$1")")
scratch=$2
rm -rf "$scratch"
mkdir -p "$scratch"
cmake --install "$builddir" --prefix "$scratch/prefix" >/dev/null
pc=$(find "$scratch/prefix" -name rootshift.pc)
[ -n "$pc" ] || { echo "FAIL: no rootshift.pc installed"; exit 1; }
for f in bin/rootshift include/rootshift.h share/man/man1/rootshift.1.gz share/rootshift/profiles/azure-iot.json; do
  [ -e "$scratch/prefix/$f" ] || { echo "FAIL: $f not installed"; exit 1; }
done
cat >"$scratch/use.c" <<'C'
#include <rootshift.h>
#include <stdio.h>
int main(void)
{
	struct rs_catalog *cat = rs_catalog_new();
	struct rs_error err;
	int rv = rs_catalog_add_builtin(cat, "azure-iot", &err);
	printf("%s %d %zu\n", rs_version(), rv, rs_profile_known_count(rs_catalog_profile(cat, "azure-iot")));
	rs_catalog_free(cat);
	return rv ? 1 : 0;
}
C
export PKG_CONFIG_PATH
PKG_CONFIG_PATH=$(dirname "$pc")
libdir=$(pkg-config --variable=libdir rootshift)
san=""
if ldd "$libdir/librootshift.so" | grep -q libasan; then san="-fsanitize=address,undefined"; fi
# shellcheck disable=SC2046,SC2086
cc $san "$scratch/use.c" $(pkg-config --cflags --libs rootshift) -o "$scratch/use"
out=$(LD_LIBRARY_PATH=$libdir "$scratch/use")
[ "$out" = "0.1.0 0 24" ] || { echo "FAIL: unexpected output '$out'"; exit 1; }
bad=$(nm -D --defined-only "$libdir/librootshift.so" | awk '{ print $3 }' | grep -v '^rs_' || true)
[ -z "$bad" ] || { echo "FAIL: exported symbols without the rs_ prefix: $bad"; exit 1; }
rm -rf "$scratch"
echo ok
