// RUN: tl-capi-legalize 2>&1 | FileCheck %s
// tl-legalize-regions through the C API: created directly and by name.
#include <stdio.h>

#include <mlir-c/IR.h>
#include <mlir-c/Pass.h>

#include "tl-c/Dialect.h"
#include "tl-c/Passes.h"

static void print(MlirStringRef s, void *ud) {
  (void)ud;
  fwrite(s.data, 1, s.length, stdout);
}

static const char *kIR =
    "func.func @f(%A: memref<128x128xf16>, %S: memref<32x64xf16, "
    "#gpu.address_space<workgroup>>, %i: index, %j: index) {\n"
    "  %a = \"tl.region\"(%A, %i, %j) {access = 1 : i32} : "
    "(memref<128x128xf16>, index, index) -> !tl.buffer_region\n"
    "  \"tl.copy\"(%a, %S) : (!tl.buffer_region, memref<32x64xf16, "
    "#gpu.address_space<workgroup>>) -> ()\n"
    "  return\n}\n";

static void run(MlirContext ctx, MlirPassManager pm) {
  MlirModule m = mlirModuleCreateParse(ctx, mlirStringRefCreateFromCString(kIR));
  MlirLogicalResult r = mlirPassManagerRunOnOp(pm, mlirModuleGetOperation(m));
  printf("run: %d\n", mlirLogicalResultIsSuccess(r));
  mlirOperationPrint(mlirModuleGetOperation(m), print, NULL);
  printf("\n");
  mlirModuleDestroy(m);
}

static void testCreatePass(MlirContext ctx) {
  MlirPassManager pm = mlirPassManagerCreateOnOperation(
      ctx, mlirStringRefCreateFromCString("builtin.module"));
  mlirPassManagerAddOwnedPass(pm, tlCreateLegalizeRegionsPass());
  run(ctx, pm);
  // CHECK-LABEL: run: 1
  // CHECK: %[[S:.*]] = "tl.region"(%arg0, %arg2, %arg3) {access = 1 : i32, bounds_check = array<i1: true, true>, extents = array<i64: 32, 64>}
  // CHECK: %[[D:.*]] = "tl.region"(%arg1, %{{.*}}, %{{.*}}) {access = 2 : i32, extents = array<i64: 32, 64>}
  // CHECK: "tl.copy"(%[[S]], %[[D]]) {base_shape = array<i64: 32, 64>, base_side = "dst"}
  mlirPassManagerDestroy(pm);
}

static void testByName(MlirContext ctx) {
  MlirPassManager pm = mlirPassManagerCreateOnOperation(
      ctx, mlirStringRefCreateFromCString("builtin.module"));
  MlirLogicalResult r = tlParsePassPipeline(
      mlirPassManagerGetAsOpPassManager(pm),
      mlirStringRefCreateFromCString(
          "builtin.module(func.func(tl-legalize-regions,tl-verify))"),
      print, NULL);
  printf("parsed: %d\n", mlirLogicalResultIsSuccess(r));
  // CHECK-LABEL: parsed: 1
  run(ctx, pm);
  // CHECK: run: 1
  // CHECK: "tl.copy"(%{{.*}}, %{{.*}}) {base_shape = array<i64: 32, 64>, base_side = "dst"}
  mlirPassManagerDestroy(pm);
}

int main(void) {
  tlRegisterAllPasses();
  MlirContext ctx = tlContextCreate();
  testCreatePass(ctx);
  testByName(ctx);
  mlirContextDestroy(ctx);
  return 0;
}
