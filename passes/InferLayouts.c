/* tl-infer-layouts: the SIMT part of docs/layouts.md.
 *
 * For every legalized tl.copy and every tl.c2d_im2col below the operation it
 * runs on, records
 *   inst         "simt", or "direct" for fragment -> fragment copies;
 *   vector_width elements per access chunk (a power of two);
 *   thread_map   #tl.fragment_layout<map, T, 1> from the base coordinates
 *                to (thread, local), T the block's thread count;
 * on every fragment's memref.alloca its layout `tl.layout`, and on every
 * workgroup attribution a tl op touches `llvm.align` >= 16. Nothing is
 * lowered. The order of the work:
 *   1. read every op (legalized form, thread count, sides, fragments,
 *      workgroup attributions, user loop_layouts);
 *   2. per op, the candidate vector width from everything except fragment
 *      layouts (element size, innermost extent, contiguity, alignment,
 *      strides, bounds checks);
 *   3. per fragment group (fragments joined by fragment -> fragment copies;
 *      they share one layout over the common non-unit shape), the layout:
 *      a user tl.layout / loop_layout / earlier thread_map, or the default
 *      map with the smallest candidate (raised to the largest
 *      coalesced_width a copy demands);
 *   4. per op, the final attributes.
 * Copies that already carry `inst` keep their attributes (re-validated): the
 * pass is idempotent. With `report`, one line per op goes to stderr.
 *
 * This file holds the pass: it collects the ops and runs the phases in
 * order. The model is inst/Select.h; its pieces are in passes/copy/
 * (SelectRead, SelectSide, Width, ThreadMap, FragmentGroups, Swizzle, Rank,
 * Report) and the instructions' checks and preferences in passes/inst/. */
#include <stdlib.h>
#include <string.h>

#include <mlir-c/Dialect/Arith.h>
#include <mlir-c/Dialect/GPU.h>
#include <mlir-c/Dialect/LLVM.h>
#include <mlir-c/Dialect/MemRef.h>
#include <mlir-c/Dialect/SCF.h>
#include <mlir-c/Dialect/Vector.h>

#include "PassSupport.h"
#include "Select.h"
#include "Target.h"
#include "tl-c/Ops.h"

//===--------------------------------------------------------------------===//
// The pass
//===--------------------------------------------------------------------===//

static MlirWalkResult collect(MlirOperation op, void *userData) {
  TlSelState *st = userData;
  bool copy = tlIsCopyOp(op), im2col = tlIsIm2ColOp(op);
  if (copy || im2col) {
    st->items = tlSelGrow(st->items, &st->cap, st->n, sizeof(TlSelect));
    TlSelect *it = &st->items[st->n++];
    memset(it, 0, sizeof *it);
    it->op = op;
    it->group = -1;
    it->s[0].frag = it->s[1].frag = -1;
    it->im2col = im2col;
    it->st = st;
    it->inst = TlInstNone;
  }
  return MlirWalkResultAdvance;
}

static void freeState(TlSelState *st) {
  for (size_t i = 0; i < st->frags.n; ++i)
    free(st->frags.f[i].refWhat);
  free(st->frags.f);
  free(st->items);
  free(st->wg);
}

/* 1. Read every op; 2. candidate widths and loop layouts. */
static void readOps(TlSelState *st) {
  for (size_t i = 0; i < st->n; ++i) {
    TlSelect *it = &st->items[i];
    if (it->im2col)
      tlSelReadIm2Col(st, it);
    else
      tlSelReadCopy(st, it);
    if (!it->ok)
      continue;
    tlSelCandidateWidth(it);
    if (it->fixed)
      it->ok = tlSelRevalidate(st, it);
    else if (!mlirAttributeIsNull(it->loop))
      it->ok = tlSelCheckLoopLayout(st, it, TL_ATTR_LOOP_LAYOUT);
  }
}

static void run(MlirOperation op, MlirExternalPass pass, void *state) {
  TlSelState st;
  memset(&st, 0, sizeof st);
  st.opts = state;
  MlirContext ctx = mlirOperationGetContext(op);
  /* A target chip outside tl's table: the same error tl-to-nvvm gives. */
  if (!tlCheckTargetChips(op, "tl-infer-layouts")) {
    mlirExternalPassSignalFailure(pass);
    return;
  }
  /* Requested mma accumulator layouts become user layouts first. */
  if (!tlSelMmaAccumulatorLayouts(op)) {
    mlirExternalPassSignalFailure(pass);
    return;
  }
  mlirOperationWalk(op, collect, &st, MlirWalkPreOrder);
  readOps(&st);
  /* Shared-buffer swizzles, then the engines: TMA and bulk copies
     (docs/tma.md). */
  tlSelDecideSwizzles(&st, op);
  for (size_t i = 0; i < st.n; ++i) {
    TlSelect *it = &st.items[i];
    if (it->ok && !it->fixed && !it->im2col)
      tlSelChooseEngines(it);
  }
  /* 3. Fragment groups and their layouts. */
  tlSelJoinGroups(&st);
  tlSelCollectGroupConstraints(&st);
  tlSelDecideGroups(&st, ctx);
  /* 4. Final attributes. */
  for (size_t i = 0; i < st.n; ++i) {
    TlSelect *it = &st.items[i];
    if (it->ok && !it->fixed && !it->tma && !it->bulk)
      tlSelChooseFinal(it, ctx);
  }
  tlSelAlignWorkgroups(&st, ctx);
  if (st.opts->report)
    for (size_t i = 0; i < st.n; ++i)
      if (st.items[i].ok && st.items[i].inst != TlInstNone)
        tlSelReport(&st.items[i]);
  bool failed = st.failed;
  freeState(&st);
  if (failed)
    mlirExternalPassSignalFailure(pass);
}

//===--------------------------------------------------------------------===//
// Registration and options
//===--------------------------------------------------------------------===//

static const TlPassOptionInfo kOptions[] = {
    {"report", TlPassOptionBool, "false",
     "Print one line per tl op to stderr: the instruction, vector width, "
     "thread count and chunks per thread"},
    {"chip", TlPassOptionString, "sm_90a",
     "Target architecture (sm_XX) when the gpu.module has no #nvvm.target"},
    {"prefer-tma", TlPassOptionBool, "false",
     "Use TMA for every copy and im2col that can (default: only with "
     "use_tma = true; SIMT measured faster, docs/performance.md)"},
};

static _Alignas(8) char kTypeId;

static MlirPass createPass(const TlSelOptions *o) {
  MlirDialectHandle deps[] = {
      mlirGetDialectHandle__arith__(), mlirGetDialectHandle__gpu__(),
      mlirGetDialectHandle__llvm__(),  mlirGetDialectHandle__memref__(),
      mlirGetDialectHandle__scf__(),   mlirGetDialectHandle__vector__()};
  return tlCreateExternalPass(&kTypeId, &tlInferLayoutsPassDef.info,
                              sizeof deps / sizeof deps[0], deps, run, o,
                              sizeof *o);
}

static MlirLogicalResult add(MlirOpPassManager pm,
                             const TlOptionValues *options,
                             MlirStringCallback err, void *userData) {
  TlSelOptions o;
  memset(&o, 0, sizeof o);
  o.report = options->boolValue[0];
  o.preferTma = options->boolValue[2];
  memcpy(o.chip, options->stringValue[1], sizeof o.chip);
  o.chip[sizeof o.chip - 1] = 0;
  char msg[256];
  if (!tlChipCheck("tl-infer-layouts", o.chip, msg, sizeof msg)) {
    tlReport(err, userData, "%s", msg);
    return mlirLogicalResultFailure();
  }
  mlirOpPassManagerAddOwnedPass(pm, createPass(&o));
  return mlirLogicalResultSuccess();
}

/* Literals only: a const object is not a constant expression in C11. */
const TlPassDef tlInferLayoutsPassDef = {
    {"tl-infer-layouts",
     "Choose each tl op's instruction, vector width and thread map, and the "
     "layouts of fragment and shared buffers (attributes only)",
     3, kOptions},
    add, NULL};

MlirPass tlCreateInferLayoutsPass(void) {
  TlSelOptions o;
  memset(&o, 0, sizeof o);
  strcpy(o.chip, "sm_90a");
  return createPass(&o);
}
