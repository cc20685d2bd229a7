// Pipelines mix tl and upstream passes, nested anchors and options.
// RUN: tl-opt %s --pass-pipeline='builtin.module(tl-verify, func.func(canonicalize{max-iterations=2}, tl-verify), gpu.module(cse))' | FileCheck %s
// RUN: tl-opt %s --tl-verify --canonicalize --cse | FileCheck %s
// RUN: tl-opt %s --canonicalize='max-iterations=2' | FileCheck %s
// RUN: cat %s | tl-opt - -o %t && FileCheck %s --check-prefix=NOFOLD < %t

// RUN: not tl-opt %s --pass-pipeline='builtin.module(tl-verify' 2>&1 | FileCheck %s --check-prefix=UNBALANCED
// UNBALANCED: invalid pass pipeline at offset 14: unbalanced '('
// UNBALANCED: tl-opt: invalid --pass-pipeline

// A closer of the wrong kind does not close a bracket (issue 16).
// RUN: not tl-opt %s --pass-pipeline='builtin.module(tl-verify}' 2>&1 | FileCheck %s --check-prefix=MISMATCH
// MISMATCH: invalid pass pipeline at offset 24: '}' does not close the '(' at offset 14
// MISMATCH-NEXT: {{^  builtin.module\(tl-verify}$}}
// MISMATCH-NEXT: {{^                          \^$}}
// MISMATCH: tl-opt: invalid --pass-pipeline
// RUN: not tl-opt %s --pass-pipeline='builtin.module(gpu.module(tl-verify},cse)' 2>&1 | FileCheck %s --check-prefix=MISMATCH2
// MISMATCH2: invalid pass pipeline at offset 35: '}' does not close the '(' at offset 25
// RUN: not tl-opt %s --pass-pipeline='builtin.module(tl-infer-layouts{chip=sm_90a)})' 2>&1 | FileCheck %s --check-prefix=MISMATCH3
// MISMATCH3: invalid pass pipeline at offset 43: ')' does not close the '{' at offset 31
// RUN: not tl-opt %s --pass-pipeline='builtin.module(tl-verify])' 2>&1 | FileCheck %s --check-prefix=MISMATCH4
// MISMATCH4: invalid pass pipeline at offset 24: ']' does not close the '(' at offset 14

// RUN: not tl-opt %s --pass-pipeline='builtin.module(tl-verify cse)' 2>&1 | FileCheck %s --check-prefix=COMMA
// COMMA: expected ',' between pipeline elements

// RUN: not tl-opt %s --pass-pipeline='builtin.module(no-such-pass)' 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// UNKNOWN: 'no-such-pass' does not refer to a registered pass or pass pipeline

// RUN: not tl-opt %s --pass-pipeline='func.func(tl-verify)' 2>&1 | FileCheck %s --check-prefix=ANCHOR
// ANCHOR: pipeline anchored on 'func.func' cannot run on the pass manager's 'builtin.module'

// RUN: not tl-opt %s --pass-pipeline='builtin.module(tl-verify{bogus=1})' 2>&1 | FileCheck %s --check-prefix=OPTION
// OPTION: tl-verify: unknown option 'bogus' (this pass takes no options)

// RUN: not tl-opt %s --pass-pipeline='builtin.module(tl-verify(cse))' 2>&1 | FileCheck %s --check-prefix=NESTED
// NESTED: a tl pass cannot have a nested pipeline

// RUN: not tl-opt %s --pass-pipeline='builtin.module(any(tl-verify))' 2>&1 | FileCheck %s --check-prefix=ANY
// ANY: tl passes cannot be nested under 'any'

// RUN: not tl-opt %s --pass-pipeline='builtin.module(cse)' --cse 2>&1 | FileCheck %s --check-prefix=MIX
// MIX: tl-opt: --pass-pipeline cannot be mixed with pass flags such as --cse

// canonicalize folds the addition of zero away.
// CHECK-LABEL: func.func @fold
// CHECK-NOT: arith.addi
// CHECK: return %arg0
// NOFOLD: arith.addi
func.func @fold(%x: index) -> index {
  %c0 = arith.constant 0 : index
  %y = arith.addi %x, %c0 : index
  return %y : index
}
