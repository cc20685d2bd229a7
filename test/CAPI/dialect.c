// RUN: tl-capi-dialect 2>&1 | FileCheck %s
// Loading the tl dialect through the C API.
#include <stdio.h>
#include <string.h>

#include <mlir-c/IR.h>

#include "tl-c/Dialect.h"

static void print(MlirStringRef s, void *ud) {
  (void)ud;
  fwrite(s.data, 1, s.length, stdout);
}

static void testLoadTwice(void) {
  MlirContext ctx = mlirContextCreate();
  printf("loaded before: %d\n", tlContextIsDialectLoaded(ctx));
  // CHECK-LABEL: loaded before: 0
  printf("first load: %d\n", mlirLogicalResultIsSuccess(tlContextLoadDialect(ctx)));
  // CHECK: first load: 1
  printf("second load: %d\n", mlirLogicalResultIsSuccess(tlContextLoadDialect(ctx)));
  // CHECK: second load: 1
  printf("loaded after: %d\n", tlContextIsDialectLoaded(ctx));
  // CHECK: loaded after: 1
  mlirContextDestroy(ctx);
}

static void testNullContext(void) {
  MlirContext null = {NULL};
  printf("null load: %d, null loaded: %d\n",
         mlirLogicalResultIsSuccess(tlContextLoadDialect(null)),
         tlContextIsDialectLoaded(null));
  // CHECK-LABEL: null load: 0, null loaded: 0
}

static void testParseGeneric(void) {
  MlirContext ctx = tlContextCreate();
  const char *ir =
      "func.func @f(%A: memref<64xf32>, %B: memref<64xf32, "
      "#gpu.address_space<workgroup>>, %i: index) {\n"
      "  %r = \"tl.region\"(%A, %i) {access = 1 : i32, extents = "
      "array<i64: 16>} : (memref<64xf32>, index) -> !tl.buffer_region\n"
      "  \"tl.copy\"(%r, %B) : (!tl.buffer_region, memref<64xf32, "
      "#gpu.address_space<workgroup>>) -> ()\n"
      "  return\n}\n";
  MlirModule m = mlirModuleCreateParse(ctx, mlirStringRefCreateFromCString(ir));
  printf("parsed: %d\n", !mlirModuleIsNull(m));
  // CHECK-LABEL: parsed: 1
  mlirOperationPrint(mlirModuleGetOperation(m), print, NULL);
  // CHECK: "tl.region"(%arg0, %arg2) {access = 1 : i32, extents = array<i64: 16>} : (memref<64xf32>, index) -> !tl.buffer_region
  // CHECK: "tl.copy"(%0, %arg1) : (!tl.buffer_region, memref<64xf32, #gpu.address_space<workgroup>>) -> ()
  printf("\n");
  mlirModuleDestroy(m);
  mlirContextDestroy(ctx);
}

static void testIRDLSource(void) {
  MlirStringRef src = tlGetDialectIRDL();
  printf("irdl: %d %s\n", src.length > 0 && src.data[src.length] == 0,
         strstr(src.data, "irdl.dialect @tl") ? "has-dialect" : "missing");
  // CHECK-LABEL: irdl: 1 has-dialect
  printf("version: %s\n", tlGetVersion());
  // CHECK: version: {{[0-9]+\.[0-9]+\.[0-9]+}}
}

int main(void) {
  testLoadTwice();
  testNullContext();
  testParseGeneric();
  testIRDLSource();
  return 0;
}
