#!/usr/bin/env bash
# Unpacks every Debian package of DIR into DIR/root.
for d in "$1"/*.deb; do dpkg-deb -x "$d" "$1/root"; done
