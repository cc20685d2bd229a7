/* Internal: where shared memory may come from (issue 16, docs/passes.md
 * "tl-to-nvvm", docs/robustness.md).
 *
 * A block's shared memory is what the kernel declares: workgroup
 * attributions of its gpu.func, workgroup globals (memref.global,
 * llvm.mlir.global in address space 3) and gpu.dynamic_shared_memory.
 * Two other spellings lower silently to wrong code upstream, so tl-to-nvvm
 * refuses them before anything else runs:
 *   - memref.alloca / memref.alloc in workgroup memory: lowered as a
 *     per-thread stack slot (or a heap call) addressed with cvta.shared;
 *   - an attribution whose layout reaches past its shape-many elements
 *     (e.g. memref<64x64xf32, strided<[128, 1]>>, or an offset):
 *     convert-gpu-to-nvvm allocates shape-many elements
 *     (MemRefType::getNumElements) but indexes with the layout's strides
 *     and offset (MemRefDescriptor::fromStaticShape), so the buffer is
 *     written past its end. tl refuses it rather than resizing it: the
 *     user can declare the whole buffer and take a memref.subview. Dense
 *     permutations (column-major) reach exactly their elements and stay;
 *     a layout that is not strided with static non-negative strides
 *     cannot be sized and is refused.
 * support/DynamicShared.c counts the legal sources. */
#ifndef TL_PASSES_SHAREDSOURCES_H
#define TL_PASSES_SHAREDSOURCES_H

#include <stdbool.h>

#include <mlir-c/IR.h>

/// Whether `t` is a memref in workgroup memory: #gpu.address_space<workgroup>
/// or the integer memory space 3 (NVVM's shared address space).
bool tlIsWorkgroupMemRef(MlirType t);

/// The checks above on every gpu.module at or under `op`: a located error
/// for each workgroup memref.alloca / memref.alloc (at the op) and each
/// workgroup or private attribution whose layout reaches past its
/// elements (at its gpu.func). False when there was any.
bool tlCheckSharedSources(MlirOperation op);

#endif
