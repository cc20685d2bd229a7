// RUN: tl-capi-ops-fragment 2>&1 | FileCheck %s
// The C API of tl.fragment_read / tl.fragment_write (tl-c/Ops.h,
// docs/mma-interop.md): building, printing, inspecting, and the builders'
// located errors.
#include <mlir-c/Dialect/MemRef.h>

#include "ops-fixture.h"

static void testFragmentAccess(void) {
  printf("testFragmentAccess\n"); // CHECK-LABEL: testFragmentAccess
  Fixture f;
  setUp(&f);
  mlirDialectHandleLoadDialect(mlirGetDialectHandle__memref__(), f.ctx);
  MlirType f16 = mlirF16TypeGet(f.ctx);
  int64_t shape[2] = {16, 16}, vshape[2] = {4, 2};
  MlirType fragT = mlirMemRefTypeGet(f16, 2, shape, mlirAttributeGetNull(),
                                     tlFragmentAttrGet(f.ctx));
  MlirOperationState st = mlirOperationStateGet(
      mlirStringRefCreateFromCString("memref.alloca"), f.loc);
  mlirOperationStateAddResults(&st, 1, &fragT);
  MlirNamedAttribute seg = mlirNamedAttributeGet(
      mlirIdentifierGet(f.ctx, mlirStringRefCreateFromCString("operandSegmentSizes")),
      mlirDenseI32ArrayGet(f.ctx, 2, (int32_t[]){0, 0}));
  mlirOperationStateAddAttributes(&st, 1, &seg);
  MlirOperation alloca = mlirOperationCreate(&st);
  insert(&f, alloca);
  MlirValue frag = mlirOperationGetResult(alloca, 0);
  MlirType vt = mlirVectorTypeGet(2, vshape, f16);

  MlirOperation rd = tlFragmentReadOpCreate(f.loc, frag, 8, vt);
  insert(&f, rd);
  MlirOperation wr = tlFragmentWriteOpCreate(f.loc, frag, 0, mlirOperationGetResult(rd, 0));
  insert(&f, wr);
  char *a = printOp(rd), *b = printOp(wr);
  printf("%s\n%s\n", a, b);
  // CHECK: "tl.fragment_read"(%{{.*}}) {offset = 8 : i64} : (memref<16x16xf16, #tl.fragment>) -> vector<4x2xf16>
  // CHECK: "tl.fragment_write"(%{{.*}}, %{{.*}}) {offset = 0 : i64} : (memref<16x16xf16, #tl.fragment>, vector<4x2xf16>) -> ()
  free(a);
  free(b);
  printf("read %d %d offset %lld, write %d %d offset %lld, copy offset %lld\n",
         tlOperationIsAFragmentRead(rd), tlOperationIsAFragmentWrite(rd),
         (long long)tlFragmentAccessOpGetOffset(rd), tlOperationIsAFragmentRead(wr),
         tlOperationIsAFragmentWrite(wr), (long long)tlFragmentAccessOpGetOffset(wr),
         (long long)tlFragmentAccessOpGetOffset(alloca));
  // CHECK: read 1 0 offset 8, write 0 1 offset 0, copy offset -1
  printf("module verifies: %d\n", mlirOperationVerify(mlirModuleGetOperation(f.module)));
  // CHECK: module verifies: 1

  // Errors: a shared (not fragment) memref, a vector of another element
  // type, a negative offset, a null value.
  report(&f, "shared", tlFragmentReadOpCreate(f.loc, arg(&f, ArgS), 0, vt));
  // CHECK: diag error: loc("ops.c":1:2): tl.fragment_read: the fragment must be a memref in #tl.fragment memory
  // CHECK: shared -> null
  report(&f, "f32", tlFragmentReadOpCreate(f.loc, frag, 0,
                                           mlirVectorTypeGet(2, vshape, mlirF32TypeGet(f.ctx))));
  // CHECK: diag error: loc("ops.c":1:2): tl.fragment_read: the value must be a vector (rank 1 to 8) of the fragment's element type
  // CHECK: f32 -> null
  report(&f, "0-d", tlFragmentReadOpCreate(f.loc, frag, 0, mlirVectorTypeGet(0, NULL, f16)));
  // CHECK: diag error: loc("ops.c":1:2): tl.fragment_read: the value must be a vector (rank 1 to 8) of the fragment's element type
  // CHECK: 0-d -> null
  report(&f, "negative", tlFragmentReadOpCreate(f.loc, frag, -1, vt));
  // CHECK: diag error: loc("ops.c":1:2): tl.fragment_read: offset must be >= 0, got -1
  // CHECK: negative -> null
  report(&f, "null value", tlFragmentWriteOpCreate(f.loc, frag, 0, (MlirValue){NULL}));
  // CHECK: diag error: loc("ops.c":1:2): tl.fragment_write: the value is null
  // CHECK: null value -> null
  tearDown(&f);
}

int main(void) {
  // Unbuffered, so that anything MLIR writes to stderr stays in order.
  setvbuf(stdout, NULL, _IONBF, 0);
  testFragmentAccess();
  return 0;
}
