#!/usr/bin/env bash
# The main job: set up, build, then compile every example kernel in
# examples/ through the whole pipeline (tl-to-nvvm) and print, per copy,
# which instruction path it became. PTX and (where ptxas exists) cubins land
# in build/examples/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${TL_BUILD_DIR:-$root/build}
bash "$root/scripts/build.sh" >/dev/null
tlopt="$build/tools/tl-opt/tl-opt"
out="$build/examples"
mkdir -p "$out"
export PATH="$PATH:/usr/local/cuda/bin"
have_ptxas=false
command -v ptxas >/dev/null && have_ptxas=true
for f in "$root"/examples/*.mlir; do
  name=$(basename "$f" .mlir)
  echo "=== $name"
  "$tlopt" "$f" --tl-to-nvvm="format=ptx report=true" --emit-binary="$out/$name.ptx" \
    -o "$out/$name.mlir" 2>&1 | sed "s|^$root/||"
  echo "    -> $(grep -c '' "$out/$name.ptx") lines of PTX in ${out#$root/}/$name.ptx;" \
       "global accesses: $(grep -oE '(ld|st)\.global[.A-Za-z0-9:_]*' "$out/$name.ptx" | sort | uniq -c | awk '{printf "%s x%s  ", $2, $1}')"
  if $have_ptxas; then
    "$tlopt" "$f" --tl-to-nvvm="format=bin" --emit-binary="$out/$name.cubin" -o /dev/null
    echo "    -> cubin for sm_90a: ${out#$root/}/$name.cubin ($(wc -c < "$out/$name.cubin") bytes)"
  fi
done
