#!/usr/bin/env bash
# Installs tl's Debian packages (docs/packaging.md) on a fresh Debian 12 root (debootstrap
# minbase + apt) and runs the packaged tl-opt there: the "install it on a
# fresh machine" check of issue 11. Needs root and Debian's mirrors.
# usage: bash scripts/deb-fresh-install.sh [build-dir] [work-dir]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-${TL_BUILD_DIR:-$root/build}}
work=${2:-/tmp/tl-fresh-root}
bash "$root/scripts/setup.sh" debootstrap
(cd "$build" && cpack -G DEB >/dev/null)
rm -rf "$work"
debootstrap --variant=minbase bookworm "$work" http://deb.debian.org/debian >/dev/null
printf 'deb http://deb.debian.org/debian bookworm main\ndeb http://deb.debian.org/debian-security bookworm-security main\n' \
  > "$work/etc/apt/sources.list"
mkdir -p "$work/tmp/debs" && cp "$build"/*_0.1.0_*.deb "$work/tmp/debs/"
cp /etc/resolv.conf "$work/etc/resolv.conf" 2>/dev/null || true
mount -t proc proc "$work/proc"
trap 'umount "$work/proc" 2>/dev/null || true' EXIT
chroot "$work" bash -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq /tmp/debs/*.deb >/dev/null'
chroot "$work" bash -c '
  set -e
  dpkg -s tl-tools libtl0.1 | grep -E "^(Package|Version):"
  tl-opt --version
  printf "func.func @f(%%A: memref<4xf32>, %%B: memref<4xf32>) {\n  \"tl.copy\"(%%A, %%B) : (memref<4xf32>, memref<4xf32>) -> ()\n  return\n}\n" | tl-opt --tl-legalize-regions | grep -q "base_side"
  python3 -c "import tl; print(tl.__version__, tl.load_library(\"tl\"))"
  echo "tl-opt legalized a copy in the fresh root; the Python package loads libtl"'
