/* What the C API test programs share: printing MLIR strings and
   diagnostics to stdout (for FileCheck), and a small tile-copy kernel. */
#ifndef TL_TEST_CAPI_TEST_H
#define TL_TEST_CAPI_TEST_H

#include <stdio.h>

#include <mlir-c/Diagnostics.h>
#include <mlir-c/IR.h>

static inline void print(MlirStringRef s, void *ud) {
  (void)ud;
  fwrite(s.data, 1, s.length, stdout);
}

/* "diagnostic: <message>" on stdout; the diagnostic is handled. */
static inline MlirLogicalResult onDiag(MlirDiagnostic d, void *ud) {
  (void)ud;
  printf("diagnostic: ");
  mlirDiagnosticPrint(d, print, NULL);
  printf("\n");
  return mlirLogicalResultSuccess();
}

/* A 256 x 64 f16 copy through a 64 x 64 shared tile, block 128, sm_90a:
   the tile load is line 11, column 7; the store line 13. TL_TEST_LOAD_ATTRS
   (a string literal, e.g. "{annotations = {use_tma = true}} ") goes on the
   load, TL_TEST_PARAMS after the two memrefs. */
#define TL_TEST_TILE_COPY_IR(TL_TEST_PARAMS, TL_TEST_LOAD_ATTRS)               \
  "module attributes {gpu.container_module} {\n"                               \
  "  gpu.module @m [#nvvm.target<chip = \"sm_90a\">] {\n"                      \
  "    gpu.func @copy(%A: memref<256x64xf16>, %B: memref<256x64xf16>"          \
  TL_TEST_PARAMS ")\n"                                                         \
  "        workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>>)\n"  \
  "        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {\n"   \
  "      %c0 = arith.constant 0 : index\n"                                     \
  "      %c64 = arith.constant 64 : index\n"                                   \
  "      %bx = gpu.block_id x\n"                                               \
  "      %i = arith.muli %bx, %c64 : index\n"                                  \
  "      %a = \"tl.region\"(%A, %i, %c0) {access = 1 : i32} : "                \
  "(memref<256x64xf16>, index, index) -> !tl.buffer_region\n"                 \
  "      \"tl.copy\"(%a, %S) " TL_TEST_LOAD_ATTRS                              \
  ": (!tl.buffer_region, memref<64x64xf16, #gpu.address_space<workgroup>>) "  \
  "-> ()\n"                                                                    \
  "      %b = \"tl.region\"(%B, %i, %c0) {access = 2 : i32, extents = "        \
  "array<i64: 64, 64>} : (memref<256x64xf16>, index, index) -> "              \
  "!tl.buffer_region\n"                                                        \
  "      \"tl.copy\"(%S, %b) : (memref<64x64xf16, "                            \
  "#gpu.address_space<workgroup>>, !tl.buffer_region) -> ()\n"                \
  "      gpu.return\n"                                                         \
  "    }\n"                                                                    \
  "  }\n"                                                                      \
  "}\n"

#endif
