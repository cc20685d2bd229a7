#!/usr/bin/env bash
# Runs mlir-opt (MLIR 22's) and tl-opt with the same arguments and compares
# stdout, stderr and the exit status: tl-opt behaves like mlir-opt for the
# flag under test (issue 19 item 1). Inputs are upstream-only IR.
m=$(mktemp); t=$(mktemp)
mlir-opt "$@" > "$m" 2>&1; echo "exit $?" >> "$m"
tl-opt "$@" > "$t" 2>&1; echo "exit $?" >> "$t"
diff -u "$m" "$t"; rc=$?
rm -f "$m" "$t"
exit $rc
