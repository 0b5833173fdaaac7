#!/bin/sh
# install-deps.sh: installs the Debian 12 packages that rootshift's build and tests need. Idempotent; run as root.
# It runs `apt-get update` first whenever something is missing, then installs only what is missing.
set -eu
PACKAGES="build-essential cmake pkg-config clang libclang-rt-14-dev libssl-dev openssl libjansson-dev libcmocka-dev
libevent-dev mosquitto mosquitto-clients curl ca-certificates python3 python3-jsonschema valgrind util-linux
chromium chromium-driver nginx-light ripgrep libarchive-dev libsquashfs-dev squashfs-tools libext2fs-dev e2fsprogs fdisk dosfstools liblz4-dev libzstd-dev libacl1-dev libqpid-proton11-dev python3-paho-mqtt python3-qpid-proton
cpio zip xz-utils zstd bzip2 zsh man-db groff-base lintian mtd-utils u-boot-tools binutils"

missing=""
for p in $PACKAGES; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  case "$status" in
    *"install ok installed"*) ;;
    *) missing="$missing $p" ;;
  esac
done
if [ -z "$missing" ]; then
  echo "install-deps: all packages present"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: missing:$missing; run as root to install them" >&2
  exit 2
fi
echo "install-deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing
