// RUN: tl-capi-compilation 2>&1 | FileCheck %s
// tl-c/Compilation.h: text in, binaries, ABI (JSON), report and C out, in a
// context of its own (the surface of the Python package, docs/python.md).
#include <stdio.h>
#include <string.h>

#include "capi-test.h"
#include "tl-c/Compilation.h"

static const char *kIR = TL_TEST_TILE_COPY_IR(
    ", %s: f32", "{annotations = {use_tma = true}} ");

static void testCompile(void) {
  printf("testCompile\n");
  TlCompileOptions o = {NULL, NULL, "isa", -1};
  TlCompilation *c = tlCompilationCreate(kIR, "copy.mlir", &o, true);
  printf("ok %d, binaries %ld, diagnostics '%s'\n", tlCompilationSucceeded(c),
         (long)tlCompilationGetNumBinaries(c), tlCompilationGetDiagnostics(c));
  // CHECK-LABEL: testCompile
  // CHECK: ok 1, binaries 1, diagnostics ''
  printf("report: %s", tlCompilationGetReport(c));
  // CHECK: report: copy.mlir:11:7: tl.copy global->shared [64x64] f16->f16: tma_load, box [64, 64] x1
  // CHECK: copy.mlir:13:7: tl.copy shared->global [64x64] f16->f16: simt
  size_t n;
  TlBinaryFormat f;
  const char *ptx = tlCompilationGetObject(c, 0, &n, &f);
  printf("binary %s: format %d, %s\n", tlCompilationGetBinaryName(c, 0), f,
         ptx && n && strstr(ptx, ".entry copy(") ? "has .entry copy(" : "no entry");
  // CHECK: binary m: format 1, has .entry copy(
  printf("abi: %s\n", tlCompilationGetABI(c, 0));
  // CHECK: abi: [{"name": "copy", "block": [128, 1, 1], "static_shared_bytes": {{[0-9]+}}, "dynamic_shared_bytes": 0, "params": [{"kind": "ptr", "type": "memref<256x64xf16>"}, {"kind": "ptr", "type": "memref<256x64xf16>"}, {"kind": "scalar", "type": "f32"}, {"kind": "tensormap", "type": "!llvm.ptr", "map": {"box": [64, 64], "buffer": 0, "data_type": 6, "element_strides": [1, 1], "global_dim": [64, 256], "global_strides": [128], "kind": "tiled", "l2_promotion": 2, "swizzle": 0}}]}]
  printf("out of range: '%s' %p '%s'\n", tlCompilationGetABI(c, 1),
         tlCompilationGetObject(c, 1, &n, NULL), tlCompilationGetBinaryName(c, -1));
  // CHECK: out of range: '[]' (nil) ''
  printf("module has gpu.binary: %d\n",
         strstr(tlCompilationGetModule(c), "gpu.binary @m") != NULL);
  // CHECK: module has gpu.binary: 1
  const char *src, *hdr;
  bool e = tlCompilationEmitC(c, "copy.h", &src, &hdr);
  printf("emit %d: %s\n", e, strstr(hdr, "int tl_launch_copy(") ? "tl_launch_copy declared" : hdr);
  // CHECK: emit 1: tl_launch_copy declared
  tlCompilationDestroy(c);
}

static void testErrors(void) {
  printf("testErrors\n");
  TlCompilation *c = tlCompilationCreate(
      "func.func @f() {\n  \"tl.copy\"() : () -> ()\n  return\n}\n", "bad.mlir",
      NULL, false);
  printf("ok %d, binaries %ld\n%s", tlCompilationSucceeded(c),
         (long)tlCompilationGetNumBinaries(c), tlCompilationGetDiagnostics(c));
  // CHECK-LABEL: testErrors
  // CHECK: ok 0, binaries 0
  // CHECK: bad.mlir:2:3: error: op expects exactly 2 operands, but got 0
  const char *src, *hdr;
  bool e = tlCompilationEmitC(c, "x.h", &src, &hdr);
  printf("emit %d '%s' '%s', module '%s', report '%s'\n", e, src, hdr,
         tlCompilationGetModule(c), tlCompilationGetReport(c));
  // CHECK: emit 0 '' '', module '', report ''
  tlCompilationDestroy(c);
  TlCompilation *n = tlCompilationCreate(NULL, NULL, NULL, false);
  printf("null source: ok %d: %s", tlCompilationSucceeded(n),
         tlCompilationGetDiagnostics(n));
  // CHECK: null source: ok 0: error: no source
  tlCompilationDestroy(n);
  tlCompilationDestroy(NULL);
  printf("null: %d '%s'\n", tlCompilationSucceeded(NULL),
         tlCompilationGetDiagnostics(NULL));
  // CHECK: null: 0 ''
}

int main(void) {
  testCompile();
  testErrors();
  return 0;
}
