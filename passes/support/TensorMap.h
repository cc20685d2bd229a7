/* Internal: tensor-map kernel parameters (docs/tma.md).
 *
 * A TMA copy needs a CUtensorMap encoded on the host with the real device
 * pointer and passed by value as a 64-byte aligned grid-constant parameter.
 * In the IR before NVVM lowering such a parameter is a gpu.func argument of
 * type !llvm.ptr (the address of the parameter) whose argument attribute
 * `tl.tensor_map` describes the map; the function lists these arguments in
 * `tl.tensor_map_args` (function attributes survive convert-gpu-to-nvvm,
 * argument attributes do not), so that tl-to-nvvm can mark them byval /
 * align 64 / grid_constant on the llvm.func and record them in the ABI. */
#ifndef TL_PASSES_TENSORMAP_H
#define TL_PASSES_TENSORMAP_H

#include <stdbool.h>
#include <stdint.h>

#include <mlir-c/IR.h>

/// The descriptor of one map, as the driver wants it (dims innermost
/// first). `kind` is "tiled" or "im2col".
typedef struct TlTensorMapDesc {
  const char *kind;
  int64_t buffer; /* index of the memref kernel parameter mapped */
  int64_t dataType; /* CUtensorMapDataType */
  int64_t rank;
  int64_t globalDim[5];
  int64_t globalStrides[4]; /* bytes, dims 1..rank-1 */
  int64_t box[5];           /* tiled */
  int64_t elementStrides[5];
  int64_t swizzle;     /* 0 none, 1 32B, 2 64B, 3 128B */
  int64_t l2Promotion; /* 0 none, 1 64B, 2 128B, 3 256B */
  /* im2col only */
  int64_t lowerCorner[3], upperCorner[3];
  int64_t channelsPerPixel, pixelsPerColumn;
  /* Dynamic global sizes (docs/dynamic.md, "TMA"): globalDim[k] = -1 is the
     run-time size of memref dimension dimsFrom[k] of `buffer`; a stride of
     -1 is computed by the launcher (elementBytes x the inner sizes). */
  bool dynamic;
  int64_t dimsFrom[5];
  int64_t elementBytes;
} TlTensorMapDesc;

/// The CUtensorMapDataType of an element type; -1 when TMA cannot move it.
int64_t tlTensorMapDataType(MlirType elementType);

/// The `tl.tensor_map` dictionary of a descriptor.
MlirAttribute tlTensorMapDescAttr(MlirContext ctx, const TlTensorMapDesc *d);

/// Returns the !llvm.ptr argument of `gpuFunc` (a gpu.func) for `desc`,
/// adding it (after the existing inputs, before the workgroup attributions)
/// when no argument has an equal descriptor. Updates function_type,
/// arg_attrs and tl.tensor_map_args.
MlirValue tlGetOrAddTensorMapArg(MlirOperation gpuFunc,
                                 const TlTensorMapDesc *desc);

/// The index of the gpu.func input `v` is, or -1 when `v` is not an input
/// argument of `gpuFunc`'s entry block.
int64_t tlFuncInputIndex(MlirOperation gpuFunc, MlirValue v);

#endif
