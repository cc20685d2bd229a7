/* libFuzzer harness: random tl ops built through the C API.
 *
 * The fuzzer's bytes choose two buffers (rank 1-4, dims, element types,
 * scopes: kernel argument in global memory, workgroup attribution or
 * #tl.fragment alloca), regions (indices as constants or thread/block ids,
 * with or without extents), copy options (coalesced_width, disable_tma,
 * eviction_policy, annotations), sometimes an im2col, and the block size;
 * the kernel is built with the tl-c builders and compiled with tl-to-nvvm
 * (format=isa). Anything but a diagnostic is a bug. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mlir-c/BuiltinAttributes.h>
#include <mlir-c/BuiltinTypes.h>
#include <mlir-c/Diagnostics.h>
#include <mlir-c/IR.h>
#include <mlir-c/Pass.h>

#include "tl-c/Dialect.h"
#include "tl-c/Ops.h"
#include "tl-c/Passes.h"

typedef struct Bytes {
  const uint8_t *p;
  size_t n;
} Bytes;

static unsigned take(Bytes *b, unsigned mod) {
  unsigned v = b->n ? *b->p : 0;
  if (b->n) {
    ++b->p;
    --b->n;
  }
  return mod ? v % mod : v;
}

static MlirContext ctx;
static unsigned uses;

static MlirLogicalResult ignore(MlirDiagnostic d, void *u) {
  (void)d;
  (void)u;
  return mlirLogicalResultSuccess();
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  tlRegisterAllPasses();
  return 0;
}

static const char *kTypes[] = {"f32", "f16", "bf16", "i8", "i32", "f64", "i1", "index"};
static const int64_t kDims[] = {1, 2, 3, 8, 16, 31, 32, 64, 77, 128, 256, 300};

static void shape(Bytes *b, char *out, size_t cap, int64_t *dims, int *rank) {
  *rank = 1 + (int)take(b, 4);
  out[0] = 0;
  for (int i = 0; i < *rank; ++i) {
    dims[i] = kDims[take(b, sizeof kDims / sizeof kDims[0])];
    size_t len = strlen(out);
    snprintf(out + len, cap - len, "%lldx", (long long)dims[i]);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (mlirContextIsNull(ctx) || ++uses > 300) {
    if (!mlirContextIsNull(ctx))
      mlirContextDestroy(ctx);
    ctx = tlContextCreate();
    mlirContextEnableMultithreading(ctx, false);
    mlirContextAttachDiagnosticHandler(ctx, ignore, NULL, NULL);
    uses = 0;
  }
  Bytes b = {data, size};
  char s0[64], s1[64], text[2048];
  int64_t d0[4], d1[4];
  int r0, r1;
  shape(&b, s0, sizeof s0, d0, &r0);
  shape(&b, s1, sizeof s1, d1, &r1);
  const char *t0 = kTypes[take(&b, 8)], *t1 = kTypes[take(&b, 8)];
  unsigned scope1 = take(&b, 3); /* destination: global, shared, fragment */
  unsigned threads = 32u << take(&b, 4);
  snprintf(text, sizeof text,
           "module attributes {gpu.container_module} {\n"
           " gpu.module @m [#nvvm.target<chip = \"%s\">] {\n"
           "  gpu.func @k(%%A: memref<%s%s>, %%B: memref<%s%s>)"
           " workgroup(%%S: memref<%s%s, #gpu.address_space<workgroup>>)"
           " kernel attributes {known_block_size = array<i32: %u, 1, 1>} {\n"
           "   %%F = memref.alloca() : memref<%s%s, #tl.fragment>\n"
           "   %%c0 = arith.constant 0 : index\n"
           "   %%c1 = arith.constant %u : index\n"
           "   %%t = gpu.thread_id x\n"
           "   %%bx = gpu.block_id x\n"
           "   gpu.return\n  }\n }\n}\n",
           take(&b, 2) ? "sm_90a" : "sm_80", s0, t0, s1, t1, s1, t1, threads,
           s1, t1, take(&b, 300));
  MlirModule mod = mlirModuleCreateParse(ctx, mlirStringRefCreateFromCString(text));
  if (mlirModuleIsNull(mod))
    return 0;
  MlirOperation gm = mlirBlockGetFirstOperation(mlirModuleGetBody(mod));
  MlirOperation fn = mlirBlockGetFirstOperation(
      mlirRegionGetFirstBlock(mlirOperationGetRegion(gm, 0)));
  MlirBlock entry = mlirRegionGetFirstBlock(mlirOperationGetRegion(fn, 0));
  MlirOperation alloca = mlirBlockGetFirstOperation(entry);
  MlirOperation c0 = mlirOperationGetNextInBlock(alloca);
  MlirOperation c1 = mlirOperationGetNextInBlock(c0);
  MlirOperation tid = mlirOperationGetNextInBlock(c1);
  MlirOperation bid = mlirOperationGetNextInBlock(tid);
  MlirOperation ret = mlirOperationGetNextInBlock(bid);
  MlirValue idx[4] = {mlirOperationGetResult(c0, 0), mlirOperationGetResult(c1, 0),
                      mlirOperationGetResult(tid, 0), mlirOperationGetResult(bid, 0)};
  MlirValue src = mlirBlockGetArgument(entry, 0);
  MlirValue dsts[3] = {mlirBlockGetArgument(entry, 1), mlirBlockGetArgument(entry, 2),
                       mlirOperationGetResult(alloca, 0)};
  MlirValue dst = dsts[scope1];
  MlirLocation loc = mlirLocationUnknownGet(ctx);
  /* Operands: whole buffers, or regions with random corners and extents. */
  MlirValue operands[2] = {src, dst};
  int ranks[2] = {r0, r1};
  int64_t *dims[2] = {d0, d1};
  for (int side = 0; side < 2; ++side) {
    unsigned form = take(&b, 3);
    if (form == 0)
      continue;
    MlirValue ix[4];
    int64_t ext[4];
    for (int i = 0; i < ranks[side]; ++i) {
      ix[i] = idx[take(&b, 4)];
      ext[i] = 1 + (int64_t)take(&b, (unsigned)dims[side][i] + 1);
    }
    MlirOperation r = tlRegionOpCreate(
        loc, operands[side], ranks[side], ix,
        (TlAccess)(side == 0 ? 1 + 2 * take(&b, 2) : 2 + take(&b, 2)),
        form == 1 ? ranks[side] : 0, form == 1 ? ext : NULL);
    if (mlirOperationIsNull(r))
      goto done;
    mlirBlockInsertOwnedOperationBefore(entry, ret, r);
    operands[side] = tlRegionOpGetResult(r);
  }
  TlCopyOptions o = tlCopyOptionsGetDefault();
  if (take(&b, 2))
    o.coalescedWidth = 1 << take(&b, 5);
  o.disableTma = take(&b, 2);
  o.evictionPolicy = (TlEvictionPolicy)take(&b, 4);
  MlirOperation copy = tlCopyOpCreate(loc, operands[0], operands[1], &o);
  if (mlirOperationIsNull(copy))
    goto done;
  mlirBlockInsertOwnedOperationBefore(entry, ret, copy);
  {
    MlirPassManager pm = mlirPassManagerCreateOnOperation(
        ctx, mlirStringRefCreateFromCString("builtin.module"));
    if (mlirLogicalResultIsSuccess(tlOpPassManagerAddPass(
            mlirPassManagerGetAsOpPassManager(pm),
            mlirStringRefCreateFromCString("tl-to-nvvm"),
            mlirStringRefCreateFromCString("format=isa"), NULL, NULL)))
      mlirPassManagerRunOnOp(pm, mlirModuleGetOperation(mod));
    mlirPassManagerDestroy(pm);
  }
done:
  mlirModuleDestroy(mod);
  return 0;
}
