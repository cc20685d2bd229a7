/* Internal: workgroup buffers beyond the 48 KiB static limit go to dynamic
 * shared memory (issue 15, docs/passes.md "tl-to-nvvm", design.md §7).
 *
 * A block may declare at most 48 KiB of static shared memory; more must be
 * dynamic, sized at launch and allowed by the kernel's opt-in
 * (CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES, which libtlrt raises).
 * Before NVVM lowering, a kernel whose workgroup attributions plus the
 * workgroup globals it names (the mbarrier set `__tl_mbar_<fn>`) take more
 * than 48 KiB gets its attributions replaced by `memref.view`s of one
 * `gpu.dynamic_shared_memory`, each at an offset that keeps its
 * `llvm.align` (at least 16); the byte count and the largest alignment go
 * on the gpu.func as `tl.dynamic_shared` (the ABI's
 * `dynamic_shared_bytes`). Static plus dynamic must fit the chip's opt-in
 * maximum per block (support/Target.h), or a located error says both
 * numbers. A kernel that uses gpu.dynamic_shared_memory itself keeps its
 * attributions (refused over 48 KiB); its views' extent is recorded the
 * same way and checked against the same maximum. Globals alone over 48
 * KiB are refused. After convert-gpu-to-nvvm, the dynamic shared global gets
 * external linkage (upstream makes it internal, which NVPTX turns into a
 * one-byte static variable) and the largest alignment its views need
 * (upstream gives 16; 128-byte swizzled TMA buffers need 1024). Kernels at
 * or under 48 KiB are left alone. */
#ifndef TL_PASSES_DYNAMICSHARED_H
#define TL_PASSES_DYNAMICSHARED_H

#include <stdint.h>

#include <mlir-c/IR.h>
#include <mlir-c/Pass.h>

/// The static shared memory of kernel `func`, in bytes: its workgroup
/// attributions (each at the next multiple of 128) plus the shared globals
/// it and its callees name (support/SharedSources.h, tlScanKernelShared);
/// for a kernel with dynamic shared memory, padded to the dynamic window's
/// alignment, as ptxas lays it out (the window follows the static part).
int64_t tlKernelStaticSharedBytes(MlirOperation func);

/// The dynamic shared memory the kernel `func` needs at launch, in bytes
/// (0 unless tl-to-nvvm-dynamic-shared moved its buffers there or recorded
/// the extent of the kernel's own gpu.dynamic_shared_memory views).
int64_t tlKernelDynamicSharedBytes(MlirOperation func);

/// tl-to-nvvm-dynamic-shared: the move above, on every kernel of the
/// builtin.module; before the ABI is recorded.
MlirPass tlCreateDynamicSharedPass(void);

/// tl-to-nvvm-dynamic-shared-global: the dynamic shared global's linkage
/// and alignment; after convert-gpu-to-nvvm.
MlirPass tlCreateDynamicSharedGlobalPass(void);

#endif
