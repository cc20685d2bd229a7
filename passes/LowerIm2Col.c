/* tl-lower-im2col: lower every tl.c2d_im2col to gpu/scf/arith/memref/
 * vector/nvvm ops (design.md §3, docs/im2col.md) with the instruction
 * tl-infer-layouts chose for it, its `inst` attribute: "simt" (per thread
 * vector accesses following the op's thread map, inst/SimtIm2Col.c) or
 * "tma_im2col" (one TMA im2col load per tile, inst/TmaIm2Col.c).
 *
 * This file holds only the pass: it collects the ops, reads what every
 * lowering needs (copy/Im2ColPlan.c), and dispatches on `inst` through the
 * table of im2col emitters below. The model of one op being lowered is
 * copy/Im2Col.h.
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
#include "PassSupport.h"
#include "Support.h"

//===----------------------------------------------------------------------===//
// The im2col emitters
//===----------------------------------------------------------------------===//

/* One row per instruction a tl.c2d_im2col can be lowered with. */
typedef struct Im2ColEmitter {
  /* What the instruction reads besides tlIm2ColRead (NULL: nothing); false
     after a located error. */
  bool (*read)(TlIm2Col *x);
  /* Builds the lowering before the op; false after a located error. */
  bool (*emit)(TlIm2Col *x);
} Im2ColEmitter;

static const Im2ColEmitter kEmitters[TlInstCount] = {
    [TlInstSimt] = {tlIm2ColReadSimt, tlSimtIm2ColEmit},
    [TlInstTmaIm2Col] = {NULL, tlTmaIm2ColEmit},
};

/* The emitter of op's `inst`, NULL after a located error. */
static const Im2ColEmitter *emitterOf(MlirOperation op) {
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
  TlInst kind = tlInstOf(op);
  if (kind == TlInstNone || !kEmitters[kind].emit) {
    MlirStringRef name = mlirStringAttrGetValue(inst);
    tlOpError(op,
              "inst = \"%.*s\" is not supported by tl-lower-im2col (only "
              "\"simt\" and \"tma_im2col\")",
              (int)name.length, name.data);
    return NULL;
  }
  return &kEmitters[kind];
}

//===----------------------------------------------------------------------===//
// The pass
//===----------------------------------------------------------------------===//

static bool lowerIm2Col(MlirOperation op) {
  const Im2ColEmitter *em = emitterOf(op);
  if (!em)
    return false;
  TlIm2Col x;
  memset(&x, 0, sizeof x);
  x.op = op;
  x.loc = mlirOperationGetLocation(op);
  bool ok = tlIm2ColRead(&x) && (!em->read || em->read(&x)) && em->emit(&x);
  free(x.chunks);
  if (!ok)
    return false;
  mlirOperationDestroy(op);
  if (x.colRegion.ptr)
    tlEraseIfUnused(x.colRegion);
  return true;
}

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
