// RUN: tl-capi-dialect 2>&1 | FileCheck %s
// Loading the tl dialect through the C API.
#include <stdio.h>
#include <string.h>

#include <mlir-c/IR.h>

#include <stdlib.h>

#include <mlir-c/Diagnostics.h>

#include "tl-c/Dialect.h"
#include "tl-c/Source.h"

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

static MlirLogicalResult printDiag(MlirDiagnostic d, void *ud) {
  (void)ud;
  printf("diag: ");
  mlirLocationPrint(mlirDiagnosticGetLocation(d), print, NULL);
  printf(": ");
  mlirDiagnosticPrint(d, print, NULL);
  printf("\n");
  return mlirLogicalResultSuccess();
}

/* tlModuleCreateParse screens the text first (tl-c/Source.h): brackets
   nested past TL_SOURCE_MAX_NESTING are a located error, not a stack
   overflow in the parser. */
static void testScreenedParse(void) {
  MlirContext ctx = tlContextCreate();
  mlirContextAttachDiagnosticHandler(ctx, printDiag, NULL, NULL);
  enum { Depth = 4000 };
  static char deep[2 * Depth + 64];
  size_t n = (size_t)snprintf(deep, sizeof deep, "func.func @f() attributes {a = ");
  for (int i = 0; i < Depth; ++i)
    deep[n++] = '[';
  for (int i = 0; i < Depth; ++i)
    deep[n++] = ']';
  n += (size_t)snprintf(deep + n, sizeof deep - n, "} {\n  return\n}\n");
  MlirModule m = tlModuleCreateParse(ctx, mlirStringRefCreate(deep, n),
                                     mlirStringRefCreateFromCString("deep.mlir"));
  printf("deep: null %d\n", mlirModuleIsNull(m));
  // CHECK-LABEL: diag: loc("deep.mlir":1:{{[0-9]+}}): the input nests brackets 4001 deep; tl accepts at most 256
  // CHECK: deep: null 1
  const char *ok = "func.func @g() {\n  return\n}\n";
  m = tlModuleCreateParse(ctx, mlirStringRefCreateFromCString(ok),
                          mlirStringRefCreateFromCString("ok.mlir"));
  printf("ok: null %d\n", mlirModuleIsNull(m));
  // CHECK: ok: null 0
  mlirOperationPrint(mlirModuleGetOperation(m), print, NULL);
  printf("\n");
  // CHECK: func.func @g()
  mlirModuleDestroy(m);
  m = tlModuleCreateParse(ctx, mlirStringRefCreateFromCString("func.func @h("),
                          mlirStringRefCreateFromCString("bad.mlir"));
  printf("bad: null %d\n", mlirModuleIsNull(m));
  // CHECK: diag: loc("bad.mlir":1:{{[0-9]+}}): expected
  // CHECK: bad: null 1
  mlirContextDestroy(ctx);
}

int main(void) {
  testLoadTwice();
  testNullContext();
  testParseGeneric();
  testIRDLSource();
  testScreenedParse();
  return 0;
}
