/* Internal: tl-to-nvvm's step that keeps LLVM's optimization of very long
 * kernels linear (support/Outline.c). */
#ifndef TL_PASSES_SUPPORT_OUTLINE_H
#define TL_PASSES_SUPPORT_OUTLINE_H

#include <stdint.h>

#include <mlir-c/Pass.h>

/// tl-to-nvvm's default `max-function-ops`: a gpu.func whose body holds
/// more ops than this (nested ops counted) is cut into device functions.
/// Chosen from bench/compile_scaling.py (docs/performance.md); every kernel
/// of the examples and tests is far below it.
#define TL_OUTLINE_DEFAULT_OPS 4096

/// Creates `tl-to-nvvm-outline`: in every gpu.func with one block holding
/// more than `maxOps` ops (0: never), keeps the first `maxOps` ops and
/// moves each following run of about `maxOps` ops into a private,
/// noinline func.func of the gpu.module, called in its place (semantics
/// unchanged). A run whose inputs or results cannot cross a call is left
/// in place.
MlirPass tlCreateOutlinePass(int64_t maxOps);

#endif
