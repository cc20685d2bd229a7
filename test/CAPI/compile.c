// RUN: tl-capi-compile 2>&1 | FileCheck %s
// Compiling through the C API and reading the binary and the kernel ABI.
#include <stdio.h>
#include <string.h>

#include <mlir-c/Diagnostics.h>
#include <mlir-c/IR.h>

#include "tl-c/Compile.h"
#include "capi-test.h"
#include "tl-c/Dialect.h"


static const char *kIR =
    "module attributes {gpu.container_module} {\n"
    "  gpu.module @kernels {\n"
    "    gpu.func @axpy(%X: memref<1024xf16>, %Y: memref<1024xf16>, %a: f16, "
    "%n: i32) kernel attributes {known_block_size = array<i32: 32, 4, 1>} {\n"
    "      %t = gpu.thread_id x\n"
    "      %x = memref.load %X[%t] : memref<1024xf16>\n"
    "      %y = arith.mulf %x, %a : f16\n"
    "      memref.store %y, %Y[%t] : memref<1024xf16>\n"
    "      gpu.return\n"
    "    }\n"
    "  }\n"
    "}\n";

static MlirOperation parse(MlirContext ctx) {
  return mlirModuleGetOperation(
      mlirModuleCreateParse(ctx, mlirStringRefCreateFromCString(kIR)));
}

static void testCompilePTX(MlirContext ctx) {
  MlirOperation m = parse(ctx);
  TlCompileOptions o = {"sm_80", NULL, "ptx", -1};
  printf("compile: %d\n", mlirLogicalResultIsSuccess(tlCompileModule(m, &o)));
  // CHECK-LABEL: compile: 1
  printf("binaries: %ld\n", (long)tlModuleGetNumBinaries(m));
  // CHECK: binaries: 1
  MlirOperation b = tlModuleGetBinary(m, 0);
  MlirStringRef name = tlBinaryGetName(b);
  printf("name: %.*s\n", (int)name.length, name.data);
  // CHECK: name: kernels
  TlBinaryFormat f;
  MlirStringRef obj = tlBinaryGetObject(b, &f);
  printf("format: %d, ptx target: %d, entry: %d\n", (int)f,
         strstr(obj.data, ".target sm_80") != NULL,
         strstr(obj.data, ".entry axpy(") != NULL);
  // CHECK: format: 1, ptx target: 1, entry: 1
  printf("kernels: %ld\n", (long)tlBinaryGetNumKernels(b));
  // CHECK: kernels: 1
  TlKernelInfo k;
  printf("kernel: %d\n", tlBinaryGetKernel(b, 0, &k));
  printf("%.*s block=%d,%d,%d static=%lld dynamic=%lld params=%ld\n",
         (int)k.name.length, k.name.data, k.block[0], k.block[1], k.block[2],
         (long long)k.staticSharedBytes, (long long)k.dynamicSharedBytes,
         (long)k.numParams);
  // CHECK: kernel: 1
  // CHECK: axpy block=32,4,1 static=0 dynamic=0 params=4
  for (intptr_t i = 0; i < k.numParams; ++i) {
    TlParamInfo p;
    tlBinaryGetKernelParam(b, 0, i, &p);
    printf("param %ld: kind %d type ", (long)i, (int)p.kind);
    mlirTypePrint(p.type, print, NULL);
    printf("\n");
  }
  // CHECK: param 0: kind 1 type memref<1024xf16>
  // CHECK: param 1: kind 1 type memref<1024xf16>
  // CHECK: param 2: kind 2 type f16
  // CHECK: param 3: kind 2 type i32
  TlParamInfo p;
  printf("out of range: %d %d %d\n", tlBinaryGetKernel(b, 1, &k),
         tlBinaryGetKernelParam(b, 0, 4, &p),
         tlBinaryGetKernelParam(b, -1, 0, &p));
  // CHECK: out of range: 0 0 0
  mlirOperationDestroy(m);
}

static void testNotABinary(MlirContext ctx) {
  MlirOperation m = parse(ctx);
  TlBinaryFormat f = TlBinaryFormatPTX;
  MlirStringRef obj = tlBinaryGetObject(m, &f);
  printf("uncompiled: binaries %ld, object %ld, format %d, kernels %ld, "
         "null binary %d\n",
         (long)tlModuleGetNumBinaries(m), (long)obj.length, (int)f,
         (long)tlBinaryGetNumKernels(m),
         mlirOperationIsNull(tlModuleGetBinary(m, 0)));
  // CHECK-LABEL: uncompiled: binaries 0, object 0, format 0, kernels 0, null binary 1
  mlirOperationDestroy(m);
}

static void testBadOptions(MlirContext ctx) {
  MlirOperation m = parse(ctx);
  TlCompileOptions o = {NULL, NULL, "elf", -1};
  printf("bad format: %d\n",
         mlirLogicalResultIsSuccess(tlCompileModule(m, &o)));
  // CHECK: diagnostic: tl-to-nvvm: format must be isa (or ptx), bin (or cubin) or fatbin, got 'elf'
  // CHECK: bad format: 0
  TlCompileOptions low = {"sm_90a", "+ptx70", "ptx", -1};
  printf("low ptx: %d\n", mlirLogicalResultIsSuccess(tlCompileModule(m, &low)));
  // CHECK: diagnostic: tl-to-nvvm: sm_90a needs PTX ISA 8.0 or newer, but the features say +ptx70
  // CHECK: low ptx: 0
  MlirOperation null = {NULL};
  printf("null module: %d\n",
         mlirLogicalResultIsSuccess(tlCompileModule(null, NULL)));
  // CHECK: null module: 0
  mlirOperationDestroy(m);
}

int main(void) {
  /* No tlRegisterAllPasses: tlCompileModule registers what it needs. */
  MlirContext ctx = tlContextCreate();
  mlirContextAttachDiagnosticHandler(ctx, onDiag, NULL, NULL);
  testCompilePTX(ctx);
  testNotABinary(ctx);
  testBadOptions(ctx);
  mlirContextDestroy(ctx);
  return 0;
}
