#!/usr/bin/env bash
# The files of each Debian package in DIR, sorted, under "== <package>".
for p in libtl0.1 libtlrt0.1 libtl-dev tl-tools python3-tl; do
  echo "== $p"
  dpkg-deb -c "$1"/${p}_0.1.0_*.deb | sed -e 's/.* \.\//\//' -e 's/ -> .*//' | grep -v '/$' | sort
done
