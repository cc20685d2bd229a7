/*===-- tl-c/EmitC.h - C launchers for compiled kernels ------------*- C -*-===*\
|*                                                                            *|
|* After tl-to-nvvm, a module holds gpu.binary ops with their kernel ABI.    *|
|* tlEmitC writes a C source that embeds every binary and defines one typed  *|
|* launcher per kernel, and the header declaring them, in the manner of an   *|
|* AOT compiler. The launchers call libtlrt (runtime/include/tlrt.h):       *|
|*                                                                            *|
|*   int tl_launch_<kernel>(void *stream, tlrt_dim3 grid, <params>);          *|
|*                                                                            *|
|* where each global memref parameter is a uint64_t device address and each *|
|* scalar its C type (index: int64_t; f16/bf16: uint16_t bits). The block    *|
|* size and shared memory come from the ABI. A launcher returns 0 or a       *|
|* libtlrt error code (message in tlrtLastError()).                          *|
\*===----------------------------------------------------------------------===*/
#ifndef TL_C_EMITC_H
#define TL_C_EMITC_H

#include <mlir-c/IR.h>
#include <mlir-c/Support.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Writes the source (through `source`) and the header (through `header`)
/// for every gpu.binary of `module`. `headerName` is what the source
/// #includes. Fails, emitting an error at the module, when there is no
/// binary, a binary lacks its ABI (it was not compiled by tl-to-nvvm) or
/// two kernels share a name; nothing is written then.
MlirLogicalResult tlEmitC(MlirOperation module, MlirStringRef headerName,
                          MlirStringCallback source, void *sourceUserData,
                          MlirStringCallback header, void *headerUserData);

#ifdef __cplusplus
}
#endif

#endif /* TL_C_EMITC_H */
