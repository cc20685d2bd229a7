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
#include <stdint.h>

#include <mlir-c/IR.h>

/// Whether `t` is a memref in workgroup memory: #gpu.address_space<workgroup>
/// or the integer memory space 3 (NVVM's shared address space).
bool tlIsWorkgroupMemRef(MlirType t);

/// The checks above on every gpu.module at or under `op`: a located error
/// for each workgroup memref.alloca / memref.alloc (at the op) and each
/// workgroup or private attribution whose layout reaches past its
/// elements (at its gpu.func). False when there was any.
bool tlCheckSharedSources(MlirOperation op);

/// What one kernel's shared memory is made of besides its own workgroup
/// attributions, found in the kernel and (transitively) every function of
/// its gpu.module it calls by name (func.call, llvm.call):
typedef struct TlSharedScan {
  /// Static bytes: the workgroup memref.globals named by memref.get_global
  /// and the address-space-3 llvm.mlir.globals named by
  /// llvm.mlir.addressof, each once, at its alignment. (Callees cannot be
  /// gpu.funcs with attributions: func.call and llvm.call name only
  /// func.func and llvm.func.)
  int64_t staticBytes;
  /// The extent of the user's gpu.dynamic_shared_memory: the largest
  /// offset + size of its memref.views. 0 when there is none.
  int64_t dynamicBytes;
  /// Whether gpu.dynamic_shared_memory appears at all.
  bool usesDynamic;
  /// The first source that cannot be sized (a dynamic offset or shape, a
  /// use other than memref.view, a global of unknown size), null if none;
  /// `why` says what, for an error at it.
  MlirOperation bad;
  char why[200];
} TlSharedScan;

/// Fills *out for the kernel `func` (a gpu.func in a gpu.module).
void tlScanKernelShared(MlirOperation func, TlSharedScan *out);

/// Bytes of a static memref of sized elements, 0 when unknown.
int64_t tlMemRefBytes(MlirType t);

#endif
