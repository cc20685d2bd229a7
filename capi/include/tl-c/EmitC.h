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
/// #includes. Checks the module itself, whoever built it, and fails,
/// emitting an error through the context's diagnostics, when there is no
/// binary, a binary lacks its ABI (it was not compiled by tl-to-nvvm), a
/// binary or kernel name is not a C identifier ([A-Za-z_][A-Za-z0-9_]*:
/// the C names are tl_image_<binary>, tl_binary_<binary> and
/// tl_launch_<kernel>, not mangled), two of those C names are the same (the
/// error names both), or `headerName` is empty or holds '"', '\', ''',
/// a control byte, "//" or a slash and a star; nothing is written then.
/// Text from the module that lands in comments (parameter types) cannot
/// end them.
MlirLogicalResult tlEmitC(MlirOperation module, MlirStringRef headerName,
                          MlirStringCallback source, void *sourceUserData,
                          MlirStringCallback header, void *headerUserData);

#ifdef __cplusplus
}
#endif

#endif /* TL_C_EMITC_H */
