/* The fixture of the C API op tests (ops.c, ops-async.c): a function
 * whose arguments the tests build tl ops on, printing, and diagnostics.
 * Everything is static inline: each test program uses what it needs. */
#ifndef TL_TEST_CAPI_OPS_FIXTURE_H
#define TL_TEST_CAPI_OPS_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mlir-c/AffineExpr.h>
#include <mlir-c/AffineMap.h>
#include <mlir-c/BuiltinAttributes.h>
#include <mlir-c/BuiltinTypes.h>
#include <mlir-c/Diagnostics.h>
#include <mlir-c/IR.h>

#include "tl-c/Attributes.h"
#include "tl-c/Dialect.h"
#include "tl-c/Ops.h"

//===--------------------------------------------------------------------===//
// Helpers
//===--------------------------------------------------------------------===//

typedef struct Buf {
  char *data;
  size_t len;
} Buf;

static inline void appendToBuf(MlirStringRef s, void *ud) {
  Buf *b = ud;
  b->data = realloc(b->data, b->len + s.length + 1);
  memcpy(b->data + b->len, s.data, s.length);
  b->len += s.length;
  b->data[b->len] = 0;
}

static inline void printToStdout(MlirStringRef s, void *ud) {
  (void)ud;
  fwrite(s.data, 1, s.length, stdout);
}

static inline char *printOp(MlirOperation op) {
  Buf b = {NULL, 0};
  mlirOperationPrint(op, appendToBuf, &b);
  return b.data ? b.data : calloc(1, 1);
}

// Prints every diagnostic as "diag: <loc>: <message>", so the tests can check
// the errors the builders emit.
static inline MlirLogicalResult diagHandler(MlirDiagnostic d, void *ud) {
  int *count = ud;
  ++*count;
  printf("diag %s: ",
         mlirDiagnosticGetSeverity(d) == MlirDiagnosticError ? "error"
                                                               : "other");
  mlirLocationPrint(mlirDiagnosticGetLocation(d), printToStdout, NULL);
  printf(": ");
  mlirDiagnosticPrint(d, printToStdout, NULL);
  printf("\n");
  return mlirLogicalResultSuccess();
}

__attribute__((unused)) static const char *kKernel =
    "func.func @k(%A: memref<512x512xf32>,\n"
    "             %S: memref<64x64xf32, #gpu.address_space<workgroup>>,\n"
    "             %i: index, %j: index, %x: i32,\n"
    "             %img: memref<2x32x32x16xf16>,\n"
    "             %col: memref<64x144xf16, #gpu.address_space<workgroup>>) {\n"
    "  return\n"
    "}\n";

enum { ArgA, ArgS, ArgI, ArgJ, ArgX, ArgImg, ArgCol };

typedef struct Fixture {
  MlirContext ctx;
  MlirModule module;
  MlirBlock body;     // the entry block of @k
  MlirOperation ret;  // its func.return: ops are inserted before it
  MlirLocation loc;
  int diags;
} Fixture;

// The diagnostic handler keeps a pointer to f->diags: `f` must outlive the
// context.
static inline void setUp(Fixture *f) {
  f->ctx = tlContextCreate();
  f->diags = 0;
  mlirContextAttachDiagnosticHandler(f->ctx, diagHandler, &f->diags, NULL);
  f->module =
      mlirModuleCreateParse(f->ctx, mlirStringRefCreateFromCString(kKernel));
  MlirOperation func = mlirBlockGetFirstOperation(mlirModuleGetBody(f->module));
  f->body = mlirRegionGetFirstBlock(mlirOperationGetRegion(func, 0));
  f->ret = mlirBlockGetTerminator(f->body);
  f->loc = mlirLocationFileLineColGet(
      f->ctx, mlirStringRefCreateFromCString("ops.c"), 1, 2);
}

static inline void tearDown(Fixture *f) {
  mlirModuleDestroy(f->module);
  mlirContextDestroy(f->ctx);
}

static inline MlirValue arg(Fixture *f, intptr_t pos) {
  return mlirBlockGetArgument(f->body, pos);
}

static inline void insert(Fixture *f, MlirOperation op) {
  mlirBlockInsertOwnedOperationBefore(f->body, f->ret, op);
}

// The number of the block argument `v` is, -1 for a null value, -2 for a
// value that is not a block argument of @k.
static inline int argNo(Fixture *f, MlirValue v) {
  if (mlirValueIsNull(v))
    return -1;
  for (intptr_t i = 0; i < mlirBlockGetNumArguments(f->body); ++i)
    if (mlirValueEqual(v, arg(f, i)))
      return (int)i;
  return -2;
}

static inline MlirAttribute parseAttr(MlirContext ctx, const char *text) {
  return mlirAttributeParseGet(ctx, mlirStringRefCreateFromCString(text));
}

static inline MlirAttribute makeLayout(MlirContext ctx) {
  // (d0, d1) -> ((d0 * 64 + d1) floordiv 4 mod 128, d1 mod 4): 128 threads.
  MlirAffineExpr d0 = mlirAffineDimExprGet(ctx, 0);
  MlirAffineExpr d1 = mlirAffineDimExprGet(ctx, 1);
  MlirAffineExpr flat = mlirAffineAddExprGet(
      mlirAffineMulExprGet(d0, mlirAffineConstantExprGet(ctx, 64)), d1);
  MlirAffineExpr thread = mlirAffineModExprGet(
      mlirAffineFloorDivExprGet(flat, mlirAffineConstantExprGet(ctx, 4)),
      mlirAffineConstantExprGet(ctx, 128));
  MlirAffineExpr local = mlirAffineModExprGet(d1, mlirAffineConstantExprGet(ctx, 4));
  MlirAffineExpr results[2] = {thread, local};
  return tlFragmentLayoutAttrGet(mlirAffineMapGet(ctx, 2, 0, 2, results), 128, 1);
}

//===--------------------------------------------------------------------===//
// Building, printing, parsing back, inspecting
//===--------------------------------------------------------------------===//


static inline void report(Fixture *f, const char *what, MlirOperation op) {
  printf("%s -> %s\n", what, mlirOperationIsNull(op) ? "null" : "op");
  if (!mlirOperationIsNull(op))
    mlirOperationDestroy(op);
  (void)f;
}

#endif
