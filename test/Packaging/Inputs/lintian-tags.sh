#!/usr/bin/env bash
# lintian's tags on every Debian package of DIR: "<severity>: <tag>", once.
for d in "$1"/*.deb; do lintian --tag-display-limit 0 "$d" 2>/dev/null; done |
  sed -e 's/^\(.\): [a-z0-9.-]*: \([a-z0-9-]*\).*/\1: \2/' | sort -u
