// RUN: tl-capi-ops-fragment 2>&1 | FileCheck %s
// The C API of the MMA interop ops, tl.fragment_read / tl.fragment_write and
// tl.wgmma_descriptor (tl-c/Ops.h, docs/mma-interop.md): building, printing,
// inspecting, and the builders' located errors.
#include <mlir-c/Dialect/MemRef.h>
#include <mlir-c/Pass.h>

#include "ops-fixture.h"
#include "tl-c/Passes.h"

// A static memref.alloca of type t, inserted into @k; its result.
static MlirValue newAlloca(Fixture *f, MlirType t) {
  MlirOperationState st = mlirOperationStateGet(
      mlirStringRefCreateFromCString("memref.alloca"), f->loc);
  mlirOperationStateAddResults(&st, 1, &t);
  MlirNamedAttribute seg = mlirNamedAttributeGet(
      mlirIdentifierGet(f->ctx, mlirStringRefCreateFromCString("operandSegmentSizes")),
      mlirDenseI32ArrayGet(f->ctx, 2, (int32_t[]){0, 0}));
  mlirOperationStateAddAttributes(&st, 1, &seg);
  MlirOperation op = mlirOperationCreate(&st);
  insert(f, op);
  return mlirOperationGetResult(op, 0);
}

static void testFragmentAccess(void) {
  printf("testFragmentAccess\n"); // CHECK-LABEL: testFragmentAccess
  Fixture f;
  setUp(&f);
  mlirDialectHandleLoadDialect(mlirGetDialectHandle__memref__(), f.ctx);
  MlirType f16 = mlirF16TypeGet(f.ctx);
  int64_t shape[2] = {16, 16}, vshape[2] = {4, 2};
  MlirType fragT = mlirMemRefTypeGet(f16, 2, shape, mlirAttributeGetNull(),
                                     tlFragmentAttrGet(f.ctx));
  MlirValue frag = newAlloca(&f, fragT);
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
         (long long)tlFragmentAccessOpGetOffset(mlirOpResultGetOwner(frag)));
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

// Runs tl-verify on f's module; whether it succeeds.
static int runVerify(Fixture *f) {
  MlirPassManager pm = mlirPassManagerCreateOnOperation(
      f->ctx, mlirStringRefCreateFromCString("builtin.module"));
  mlirPassManagerAddOwnedPass(pm, tlCreateVerifyPass());
  MlirLogicalResult r = mlirPassManagerRunOnOp(pm, mlirModuleGetOperation(f->module));
  mlirPassManagerDestroy(pm);
  return mlirLogicalResultIsSuccess(r);
}

static void testWgmmaDescriptor(void) {
  printf("testWgmmaDescriptor\n"); // CHECK-LABEL: testWgmmaDescriptor
  Fixture f;
  setUp(&f);
  mlirDialectHandleLoadDialect(mlirGetDialectHandle__memref__(), f.ctx);
  MlirType f16 = mlirF16TypeGet(f.ctx);
  MlirAttribute wg = parseAttr(f.ctx, "#gpu.address_space<workgroup>");
  int64_t shape[2] = {128, 64}, ext[2] = {64, 16};
  MlirValue tile = newAlloca(&f, mlirMemRefTypeGet(f16, 2, shape, mlirAttributeGetNull(), wg));
  MlirValue ij[2] = {arg(&f, ArgI), arg(&f, ArgJ)};
  MlirOperation reg = tlRegionOpCreate(f.loc, tile, 2, ij, TlAccessRead, 2, ext);
  insert(&f, reg);

  MlirOperation d = tlWgmmaDescriptorOpCreate(f.loc, tlRegionOpGetResult(reg));
  MlirOperation whole = tlWgmmaDescriptorOpCreate(f.loc, tile);
  insert(&f, d);
  insert(&f, whole);
  char *r = printOp(reg), *a = printOp(d), *b = printOp(whole);
  printf("%s\n%s\n%s\n", r, a, b);
  // CHECK: %[[R:.*]] = "tl.region"(%[[T:.*]], %arg2, %arg3) {access = 1 : i32, extents = array<i64: 64, 16>} : (memref<128x64xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
  // CHECK: %{{.*}} = "tl.wgmma_descriptor"(%[[R]]) : (!tl.buffer_region) -> i64
  // CHECK: %{{.*}} = "tl.wgmma_descriptor"(%[[T]]) : (memref<128x64xf16, #gpu.address_space<workgroup>>) -> i64
  free(r);
  free(a);
  free(b);
  printf("descriptor %d, region %d\n", tlOperationIsAWgmmaDescriptor(d),
         tlOperationIsAWgmmaDescriptor(reg));
  // CHECK: descriptor 1, region 0
  printf("module verifies: %d, tl-verify: %d\n",
         mlirOperationVerify(mlirModuleGetOperation(f.module)), runVerify(&f));
  // CHECK: module verifies: 1, tl-verify: 1

  // Errors: a fragment memref, a tl.region of a global memref, a rank-1
  // workgroup memref, a region without extents, an index, a null tile.
  MlirValue frag = newAlloca(&f, mlirMemRefTypeGet(f16, 2, ext, mlirAttributeGetNull(),
                                                tlFragmentAttrGet(f.ctx)));
  report(&f, "fragment", tlWgmmaDescriptorOpCreate(f.loc, frag));
  // CHECK: diag error: loc("ops.c":1:2): tl.wgmma_descriptor: the tile must be in workgroup (shared) memory: wgmma reads its operands from shared memory, got 'memref<64x16xf16, #tl.fragment>'
  // CHECK: fragment -> null
  MlirOperation greg = tlRegionOpCreate(f.loc, arg(&f, ArgA), 2, ij, TlAccessRead, 2, ext);
  insert(&f, greg);
  report(&f, "global", tlWgmmaDescriptorOpCreate(f.loc, tlRegionOpGetResult(greg)));
  // CHECK: diag error: loc("ops.c":1:2): tl.wgmma_descriptor: the tile must be in workgroup (shared) memory: wgmma reads its operands from shared memory, got 'memref<512x512xf32>'
  // CHECK: global -> null
  MlirValue row = newAlloca(&f, mlirMemRefTypeGet(f16, 1, shape, mlirAttributeGetNull(), wg));
  report(&f, "rank 1", tlWgmmaDescriptorOpCreate(f.loc, row));
  // CHECK: diag error: loc("ops.c":1:2): tl.wgmma_descriptor: the tile must have rank 2 or more (rows x K), got rank 1
  // CHECK: rank 1 -> null
  MlirOperation head = tlRegionOpCreate(f.loc, tile, 2, ij, TlAccessRead, 0, NULL);
  insert(&f, head);
  report(&f, "no extents", tlWgmmaDescriptorOpCreate(f.loc, tlRegionOpGetResult(head)));
  // CHECK: diag error: loc("ops.c":1:2): tl.wgmma_descriptor: the tile's tl.region needs extents: they are the rows and the K columns one wgmma reads
  // CHECK: no extents -> null
  report(&f, "index", tlWgmmaDescriptorOpCreate(f.loc, arg(&f, ArgI)));
  // CHECK: diag error: loc("ops.c":1:2): tl.wgmma_descriptor: the tile must be a workgroup memref or a tl.region of one, got 'index'
  // CHECK: index -> null
  report(&f, "null", tlWgmmaDescriptorOpCreate(f.loc, (MlirValue){NULL}));
  // CHECK: diag error: loc("ops.c":1:2): tl.wgmma_descriptor: the tile is null
  // CHECK: null -> null
  MlirValue br = mlirBlockAddArgument(f.body, tlBufferRegionTypeGet(f.ctx), f.loc);
  report(&f, "block argument", tlWgmmaDescriptorOpCreate(f.loc, br));
  // CHECK: diag error: loc("ops.c":1:2): tl.wgmma_descriptor: the tile must be a workgroup memref or a tl.region of one, got a !tl.buffer_region that no tl.region made
  // CHECK: block argument -> null
  int before = f.diags;
  report(&f, "null loc", tlWgmmaDescriptorOpCreate((MlirLocation){NULL}, frag));
  printf("diagnostics: %d\n", f.diags - before);
  // CHECK: null loc -> null
  // CHECK-NEXT: diagnostics: 0
  tearDown(&f);
}

int main(void) {
  // Unbuffered, so that anything MLIR writes to stderr stays in order.
  setvbuf(stdout, NULL, _IONBF, 0);
  testFragmentAccess();
  testWgmmaDescriptor();
  return 0;
}
