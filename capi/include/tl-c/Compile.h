/*===-- tl-c/Compile.h - Compiling to a binary, reading the ABI ----*- C -*-===*\
|*                                                                            *|
|* tl-to-nvvm turns each gpu.module into a gpu.binary whose object is PTX,   *|
|* a cubin or a fatbin, and records the kernels' ABI on it (`tl.abi`): the   *|
|* parameters in launch order, the block size and the shared memory. These   *|
|* functions run the pipeline and read both back. Strings and types they     *|
|* return are borrowed from the context: valid while the context lives and   *|
|* the operation is not modified.                                            *|
\*===----------------------------------------------------------------------===*/
#ifndef TL_C_COMPILE_H
#define TL_C_COMPILE_H

#include <stdint.h>

#include <mlir-c/IR.h>
#include <mlir-c/Support.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Options of tl-to-nvvm. NULL or empty strings mean the defaults: chip from
/// each gpu.module's #nvvm.target (else sm_90a), features +ptx80, format
/// "bin"; optLevel < 0 means 2.
typedef struct TlCompileOptions {
  const char *chip;
  const char *features;
  const char *format; /* "isa"/"ptx", "bin"/"cubin" or "fatbin" */
  int optLevel;
} TlCompileOptions;

/// Runs tl-to-nvvm on `module` (a builtin.module) in place. Registers the
/// upstream passes the pipeline names itself (tlRegisterAllPasses; the
/// context needs the tl dialect and the upstream dialects, as tlContextCreate
/// gives). Diagnostics go through the context's handlers; failure leaves the
/// module in an unspecified but valid state. Needs ptxas on PATH (or
/// CUDA_HOME) for the bin and fatbin formats.
MlirLogicalResult tlCompileModule(MlirOperation module,
                                  const TlCompileOptions *options);

/// The object formats of a gpu.binary.
typedef enum TlBinaryFormat {
  TlBinaryFormatUnknown = 0,
  TlBinaryFormatPTX,
  TlBinaryFormatCubin,
  TlBinaryFormatFatbin,
} TlBinaryFormat;

/// Number of gpu.binary ops directly in `module`, and the one at `pos`
/// (null if out of range).
intptr_t tlModuleGetNumBinaries(MlirOperation module);
MlirOperation tlModuleGetBinary(MlirOperation module, intptr_t pos);

/// The symbol name of a gpu.binary (empty if `binary` is not one).
MlirStringRef tlBinaryGetName(MlirOperation binary);

/// The bytes of the binary's first object and their format (PTX text is not
/// NUL-terminated). An empty string and TlBinaryFormatUnknown when `binary`
/// has no object.
MlirStringRef tlBinaryGetObject(MlirOperation binary, TlBinaryFormat *format);

/// Parameter kinds of a kernel, in launch order.
typedef enum TlParamKind {
  TlParamInvalid = 0,
  /// A global memref: one device pointer (bare-pointer convention).
  TlParamPointer,
  /// A scalar (index is 64-bit).
  TlParamScalar,
  /// A CUtensorMap passed by value (128 bytes, 64-byte aligned), encoded on
  /// the host from the descriptor in TlParamInfo.tensorMap and the device
  /// address of the memref parameter it names (docs/tma.md).
  TlParamTensorMap,
  /// The run-time size of dimension `dim` of the dynamic memref parameter
  /// `buffer` (an index: 64-bit). Launchers take it after the pointers.
  TlParamSize,
} TlParamKind;

/// One kernel of a binary.
typedef struct TlKernelInfo {
  MlirStringRef name;
  /// known_block_size (0, 0, 0 when the kernel has none).
  int32_t block[3];
  /// Static shared memory: the workgroup buffers declared in the kernel and
  /// the workgroup globals it names (e.g. its mbarrier set).
  int64_t staticSharedBytes;
  /// Dynamic shared memory to ask for at launch: 0, or the workgroup
  /// buffers of a kernel whose shared memory passes 48 KiB, which
  /// tl-to-nvvm placed there (docs/passes.md, "tl-to-nvvm").
  int64_t dynamicSharedBytes;
  intptr_t numParams;
} TlKernelInfo;

/// One parameter: its kind, its MLIR type (a memref — with `?` for sizes
/// that are passed at run time —, a scalar type, or
/// !llvm.ptr for a tensor map) and, for tensor maps, the descriptor
/// dictionary (kind, buffer, data_type, global_dim, global_strides, box,
/// element_strides, swizzle, l2_promotion, and for im2col lower_corner,
/// upper_corner, channels_per_pixel, pixels_per_column); null otherwise.
typedef struct TlParamInfo {
  TlParamKind kind;
  MlirType type;
  MlirAttribute tensorMap;
  /// For TlParamSize: the memref parameter and the dimension; -1 otherwise.
  intptr_t buffer, dim;
} TlParamInfo;

/// Number of kernels recorded on `binary` (0 without a `tl.abi`).
intptr_t tlBinaryGetNumKernels(MlirOperation binary);

/// Reads kernel `pos`; false (and `info` untouched) when out of range or
/// malformed.
bool tlBinaryGetKernel(MlirOperation binary, intptr_t pos, TlKernelInfo *info);

/// Reads parameter `param` of kernel `kernel`; false when out of range.
bool tlBinaryGetKernelParam(MlirOperation binary, intptr_t kernel,
                            intptr_t param, TlParamInfo *info);

#ifdef __cplusplus
}
#endif

#endif /* TL_C_COMPILE_H */
