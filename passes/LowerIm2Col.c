/* tl-lower-im2col: lower every tl.c2d_im2col to gpu/scf/arith/memref/
 * vector/nvvm ops (design.md §3, docs/im2col.md) with the instruction
 * tl-infer-layouts chose for it, its `inst` attribute: "simt" (per thread
 * vector accesses following the op's thread map, inst/SimtIm2Col.c) or
 * "tma_im2col" (one TMA im2col load per tile, inst/TmaIm2Col.c).
 *
 * This file holds only the pass: it collects the ops, reads what every
 * lowering needs (copy/Im2ColPlan.c), and dispatches on `inst` through the
 * `im2col` lowering of the instruction's row of the instruction table
 * (copy/Contract.h; design.md §8). The model of one op being lowered is
 * copy/Im2Col.h, reached from the table's struct TlLower (c->im2col).
 *
 * `eviction_policy` is accepted and ignored (docs/im2col.md). No barriers
 * are inserted: tl-lower-copy does that. The op is erased; a col tl.region
 * left without uses is erased too. */
#include <stdlib.h>
#include <string.h>

#include <mlir-c/BuiltinAttributes.h>
#include <mlir-c/Dialect/Arith.h>
#include <mlir-c/Dialect/GPU.h>
#include <mlir-c/Dialect/LLVM.h>
#include <mlir-c/Dialect/MemRef.h>
#include <mlir-c/Dialect/NVVM.h>
#include <mlir-c/Dialect/SCF.h>
#include <mlir-c/Dialect/Vector.h>

#include "Contract.h"
#include "Diag.h"
#include "IRBuild.h"
#include "Im2Col.h"
#include "Lower.h"
#include "PassSupport.h"
#include "Support.h"

//===----------------------------------------------------------------------===//
// Lowering one op
//===----------------------------------------------------------------------===//

/* The im2col lowering of op's `inst` (its row of the instruction table),
   NULL after a located error. */
static const TlInstLowering *loweringOf(MlirOperation op, TlInst *kind) {
  MlirAttribute inst = mlirOperationGetAttributeByName(
      op, mlirStringRefCreateFromCString(TL_ATTR_INST));
  if (mlirAttributeIsNull(inst)) {
    tlOpError(op, "has no 'inst' attribute: run tl-infer-layouts first");
    return NULL;
  }
  if (!mlirAttributeIsAString(inst)) {
    TlStr s = {0};
    tlStrAppendAttr(&s, inst);
    tlOpError(op, "inst must be a string attribute, got %s", tlStrGet(&s));
    tlStrFree(&s);
    return NULL;
  }
  *kind = tlInstOf(op);
  const TlInstLowering *l =
      *kind == TlInstNone ? NULL : &tlInstImpl(*kind)->im2col;
  if (!l || (!l->emit && !l->issue)) {
    MlirStringRef name = mlirStringAttrGetValue(inst);
    tlOpError(op,
              "inst = \"%.*s\" is not supported by tl-lower-im2col (only "
              "\"simt\" and \"tma_im2col\")",
              (int)name.length, name.data);
    return NULL;
  }
  return l;
}

/* Emits through the row's im2col lowering; false after a located error. */
static bool emit(const TlInstLowering *l, TlLower *c) {
  TlEmitter e;
  tlEmitterInit(&e, c, TlConstsGrouped);
  tlEmitThrough(&e, l, tlInstImpl(c->inst)->completion);
  tlEmitterFinish(&e);
  return !e.failed;
}

static bool lowerIm2Col(MlirOperation op) {
  TlInst kind;
  const TlInstLowering *l = loweringOf(op, &kind);
  if (!l)
    return false;
  TlIm2Col x;
  memset(&x, 0, sizeof x);
  x.op = op;
  x.loc = mlirOperationGetLocation(op);
  TlLower c;
  memset(&c, 0, sizeof c);
  c.op = op;
  c.inst = kind;
  c.im2col = &x;
  bool ok = tlIm2ColRead(&x) && (!l->read || l->read(&c)) && emit(l, &c);
  free(x.chunks);
  if (!ok)
    return false;
  mlirOperationDestroy(op);
  if (x.colRegion.ptr)
    tlEraseIfUnused(x.colRegion);
  return true;
}

//===----------------------------------------------------------------------===//
// The pass
//===----------------------------------------------------------------------===//

static void run(MlirOperation op, MlirExternalPass pass, void *state) {
  (void)state;
  TlOpList list = {NULL, 0, 0};
  tlCollectOps(op, "tl.c2d_im2col", &list);
  bool ok = true;
  for (size_t i = 0; i < list.n; ++i)
    ok &= lowerIm2Col(list.ops[i]);
  free(list.ops);
  if (!ok)
    mlirExternalPassSignalFailure(pass);
}

/* Literals only: a const object is not a constant expression in C11. */
const TlPassDef tlLowerIm2ColPassDef = {
    {"tl-lower-im2col",
     "Lower every tl.c2d_im2col to gpu/scf/arith/memref/vector ops following its inferred layout",
     0, NULL},
    NULL, tlCreateLowerIm2ColPass};

static _Alignas(8) char kTypeId;

MlirPass tlCreateLowerIm2ColPass(void) {
  MlirDialectHandle deps[] = {
      mlirGetDialectHandle__arith__(), mlirGetDialectHandle__gpu__(),
      mlirGetDialectHandle__llvm__(),  mlirGetDialectHandle__memref__(),
      mlirGetDialectHandle__nvvm__(),  mlirGetDialectHandle__scf__(),
      mlirGetDialectHandle__vector__()};
  return tlCreateExternalPass(&kTypeId, &tlLowerIm2ColPassDef.info,
                              sizeof deps / sizeof deps[0], deps, run, NULL, 0);
}
