#!/usr/bin/env bash
# The main job: set up, build, then run every example kernel in examples/
# through tl-opt and show the result.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${TL_BUILD_DIR:-$root/build}
bash "$root/scripts/build.sh" >/dev/null
tlopt="$build/tools/tl-opt/tl-opt"
for f in "$root"/examples/*.mlir; do
  echo "=== $(basename "$f")"
  "$tlopt" "$f" --tl-legalize-regions
done
