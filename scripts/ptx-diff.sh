#!/usr/bin/env bash
# Checks that the current build compiles every example, GPU-suite case and
# benchmark case to the same PTX (and the same report) as revision BASE
# (default HEAD~1): builds BASE in a worktree under build-ptx-base/ (<TL_BUILD_DIR>-ptx-base), takes a
# snapshot with each tl-opt (scripts/ptx-snapshot.sh), and diffs them.
# Exit status 0 when byte-identical, 1 with the diff otherwise.
#   usage: ptx-diff.sh [BASE]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${TL_BUILD_DIR:-$root/build}
base=${1:-HEAD~1}
work=$build-ptx-base
rev=$(git -C "$root" rev-parse "$base")
bash "$root/scripts/build.sh" >/dev/null
if [ "$(cat "$work/rev" 2>/dev/null)" != "$rev" ]; then
  git -C "$root" worktree remove --force "$work/src" 2>/dev/null || rm -rf "$work/src"
  git -C "$root" worktree prune
  mkdir -p "$work"
  git -C "$root" worktree add --detach "$work/src" "$rev" >/dev/null
  cmake -S "$work/src" -B "$work/build" -G Ninja -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir >/dev/null
  cmake --build "$work/build" --target tl-opt >/dev/null
  echo "$rev" >"$work/rev"
fi
# Both snapshots use this tree's generators: the inputs are the same.
bash "$root/scripts/ptx-snapshot.sh" "$work/build/tools/tl-opt/tl-opt" "$work/snap-base" >/dev/null
bash "$root/scripts/ptx-snapshot.sh" "$build/tools/tl-opt/tl-opt" "$work/snap-new" >/dev/null
n=$(find "$work/snap-new" -name '*.ptx' | wc -l)
if diff -r "$work/snap-base" "$work/snap-new" >"$work/diff.txt"; then
  echo "ptx-diff: $n PTX files and their reports byte-identical to $base ($rev)"
else
  echo "ptx-diff: differences against $base ($rev): $(grep -c '^diff ' "$work/diff.txt" || true) files; full diff in $work/diff.txt"
  head -100 "$work/diff.txt"
  exit 1
fi
