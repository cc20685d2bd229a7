/* Internal: dynamic memref kernel parameters (issue 10, docs/dynamic.md).
 *
 * Kernels take bare pointers (design.md §7), which cannot carry sizes. Before
 * NVVM lowering, each kernel parameter memref<?x1024xf16> becomes
 * memref<1x1024xf16> (a bare pointer: dynamic dimensions read as 1), one
 * `index` parameter per dynamic dimension is appended (argument attribute
 * `tl.dim_of = array<i64: param, dim>`), and a memref.reinterpret_cast at
 * entry rebuilds the original memref<?x1024xf16> from the pointer and the
 * sizes (row-major strides), so every memref.dim and bounds check in the
 * kernel reads the run-time size. The ABI records the size parameters; the
 * launchers take them after the pointer. */
#ifndef TL_PASSES_DYNAMICARGS_H
#define TL_PASSES_DYNAMICARGS_H

#include <stdbool.h>

#include <mlir-c/IR.h>

/// Rewrites the dynamic memref parameters of the kernel `gpuFunc`. Returns
/// false, after a located error, for a dynamic memref with a non-identity
/// layout.
bool tlRewriteDynamicKernelArgs(MlirOperation gpuFunc);

#endif
