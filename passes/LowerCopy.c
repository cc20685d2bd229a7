/* tl-lower-copy: every tl.copy becomes upstream gpu/scf/arith/memref/vector/
 * llvm ops, following the attributes tl-infer-layouts left
 * (docs/layouts.md); docs/lower-copy.md describes the output. A
 * tl.copy_async is lowered alike but split: issued at the op, completed at
 * its tl.wait (copy/Async.c); the waits go too.
 *
 * The pass works in three phases so that a failure leaves the IR untouched:
 *  1. plan: read and check every fragment alloca and every copy, evaluate
 *     each thread map at compile time over the whole base range and reduce
 *     it to per-chunk closed forms (flat base index a_c + b_c * thread for
 *     threads [0, n_c)); pair each tl.copy_async with its wait;
 *  2. barriers: tl-pipeline's stage releases become empty mbarriers where
 *     one thread issues the refills (copy/Release.c), then a gpu.barrier
 *     goes where a tl op touches a shared buffer that an earlier tl op
 *     touched since the last barrier (one writing);
 *  3. rewrite: fragments become per-thread private arrays, each copy becomes
 *     its loads, casts and stores; the copies, their unused tl.region ops and
 *     the old fragment allocas are erased.
 *
 * The model of a copy being lowered is passes/copy/Lower.h; each
 * instruction's reading and emission is its row of the instruction table
 * (copy/Contract.c, entries in passes/inst/), which this file dispatches
 * through. */
#include <stdlib.h>
#include <string.h>

#include <mlir-c/Dialect/Arith.h>
#include <mlir-c/Dialect/GPU.h>
#include <mlir-c/Dialect/LLVM.h>
#include <mlir-c/Dialect/MemRef.h>
#include <mlir-c/Dialect/NVVM.h>
#include <mlir-c/Dialect/SCF.h>
#include <mlir-c/Dialect/Vector.h>

#include "IRBuild.h"
#include "Lower.h"
#include "PassSupport.h"

//===--------------------------------------------------------------------===//
// Lowering one copy
//===--------------------------------------------------------------------===//

/* Erases the copy with its unused regions. */
static void eraseCopy(TlLower *c) {
  MlirOperation src = c->src.region, dst = c->dst.region;
  mlirOperationDestroy(c->op);
  tlEraseIfUnused(src);
  if (!mlirOperationEqual(src, dst))
    tlEraseIfUnused(dst);
}

/* Emits the copy through its row. A tl.copy is erased with its unused
   regions: an asynchronous instruction was issued and completed right away
   (its transfer done when the copy's lowering ends, as tl.copy promises),
   but for a store whose completion waits for a later op (its source only
   has to stay untouched until then; copy/Async.c). A tl.copy_async is only
   issued, on its own mbarrier slot; its wait completes it (copy/Async.c)
   and it goes after that. */
static bool lowerCopy(TlLower *c, TlFuncTmaList *funcs, TlLower *all,
                      size_t nAll) {
  TlEmitter e;
  tlEmitterInit(&e, c, TlConstsAhead);
  e.funcs = funcs;
  e.all = all;
  e.nAll = nAll;
  const TlInstImpl *impl = tlInstImpl(c->inst);
  bool deferred = tlIsDeferredStore(c);
  if (c->async) {
    /* Predicated: issued in an scf.if (copy/AsyncCarry.c). */
    MlirOperation at = tlAsyncPrepareIssue(&e, c);
    if (!mlirOperationEqual(at, c->op)) {
      tlEmitterFinish(&e);
      tlEmitterInitAt(&e, c, at, TlConstsAhead);
      e.funcs = funcs;
      e.all = all;
      e.nAll = nAll;
    }
  }
  if (c->async || deferred) {
    c->issued.kind = impl->completion;
    c->issued.slot = c->slot;
    tlEmitIssue(&e, &impl->copy, &c->issued);
  } else {
    tlEmitThrough(&e, &impl->copy, impl->completion);
  }
  tlEmitterFinish(&e);
  if (e.failed || (deferred && !tlCompleteStore(c, funcs, all, nAll)))
    return false;
  if (!c->async)
    eraseCopy(c);
  return true;
}

static void freeCopy(TlLower *c) {
  free(c->chunks);
  free(c->src.fl);
  free(c->dst.fl);
}

//===--------------------------------------------------------------------===//
// The pass
//===--------------------------------------------------------------------===//

/* 1. Plan: every fragment alloca, then every copy. */
static bool plan(const TlOpList *allocas, TlFragTable *frags,
                 const TlOpList *ops, TlLower *copies) {
  bool ok = true;
  for (size_t i = 0; i < allocas->n; ++i) {
    if (!tlIsFragmentAlloca(allocas->ops[i]))
      continue;
    TlFrag *f = &frags->v[frags->n++];
    memset(f, 0, sizeof *f);
    f->alloca = allocas->ops[i];
    f->value = mlirOperationGetResult(f->alloca, 0);
    bool planned = tlPlanFragment(f);
    ok &= planned;
    f->valid = planned && !mlirAttributeIsNull(f->layout);
  }
  for (size_t i = 0; i < ops->n; ++i) {
    copies[i].op = ops->ops[i];
    copies[i].async = tlOperationIsACopyAsync(ops->ops[i]);
    ok &= tlReadCopy(&copies[i], frags);
  }
  return ok;
}

/* 3. Rewrite: fragments to private arrays, each copy (a copy_async
   issued), the waits (the copy_async ops completed, then erased), the
   fragment accesses and wgmma descriptors, then the old fragments. */
static bool rewrite(MlirOperation root, TlFragTable *frags, TlLower *copies,
                    size_t n, const TlOpList *waits, TlCarryTable *carry,
                    const TlOpList *accesses) {
  bool ok = true;
  for (size_t i = 0; i < frags->n; ++i)
    if (!mlirAttributeIsNull(frags->v[i].layout))
      tlReplaceFragment(&frags->v[i]);
  TlFuncTmaList funcs = {NULL, 0, 0};
  for (size_t i = 0; i < n && ok; ++i)
    ok &= lowerCopy(&copies[i], &funcs, copies, n);
  if (ok)
    tlAsyncRetypeCarried(carry);
  ok = ok && tlCompleteWaits(copies, n, waits, carry, &funcs);
  if (ok)
    tlAsyncReplaceTokens(copies, n, carry);
  for (size_t i = 0; i < n && ok; ++i)
    if (copies[i].async)
      eraseCopy(&copies[i]);
  free(funcs.v);
  for (size_t i = 0; i < accesses->n && ok; ++i)
    ok &= tlLowerFragmentAccess(frags, accesses->ops[i]);
  ok = ok && tlLowerWgmmaDescriptors(root);
  for (size_t i = 0; i < frags->n && ok; ++i)
    ok &= tlEraseFragment(&frags->v[i]);
  return ok;
}

static void run(MlirOperation root, MlirExternalPass pass, void *state) {
  (void)state;
  TlOpList ops = {NULL, 0, 0}, allocas = {NULL, 0, 0}, waits = {NULL, 0, 0};
  tlCollectCopies(root, &ops);
  tlCollectOps(root, "tl.wait", &waits);
  tlCollectOps(root, "memref.alloca", &allocas);
  TlOpList accesses = {NULL, 0, 0};
  tlCollectOps(root, "tl.fragment_read", &accesses);
  tlCollectOps(root, "tl.fragment_write", &accesses);
  TlFragTable frags = {NULL, 0, 0};
  frags.v = tlXmalloc(sizeof(TlFrag) * (allocas.n + 1));
  TlLower *copies = tlXmalloc(sizeof(TlLower) * (ops.n + 1));
  memset(copies, 0, sizeof(TlLower) * (ops.n + 1));

  bool ok = plan(&allocas, &frags, &ops, copies);
  TlOpList loops = {NULL, 0, 0}, joins = {NULL, 0, 0};
  TlCarryTable carry = {NULL, 0, 0, &loops, &joins};
  ok = ok && tlPlanAsync(copies, ops.n, &waits, &carry) &&
       tlAsyncPlanCarried(copies, ops.n, root, &carry);
  ok = ok && tlLowerStageReleases(root);
  if (ok) {
    tlInsertCopyBarriers(root); /* 2. */
    ok = rewrite(root, &frags, copies, ops.n, &waits, &carry, &accesses);
  }

  for (size_t i = 0; i < ops.n; ++i)
    freeCopy(&copies[i]);
  free(copies);
  free(frags.v);
  free(ops.ops);
  free(waits.ops);
  free(allocas.ops);
  free(accesses.ops);
  free(carry.v);
  free(loops.ops);
  free(joins.ops);
  if (!ok)
    mlirExternalPassSignalFailure(pass);
}

/* Literals only: a const object is not a constant expression in C11. */
const TlPassDef tlLowerCopyPassDef = {
    {"tl-lower-copy",
     "Lower every tl.copy to gpu/scf/arith/memref/vector/llvm ops following "
     "its inferred layout; insert the barriers later copies need",
     0, NULL},
    NULL, tlCreateLowerCopyPass};

static _Alignas(8) char kTypeId;

MlirPass tlCreateLowerCopyPass(void) {
  MlirDialectHandle deps[] = {
      mlirGetDialectHandle__arith__(), mlirGetDialectHandle__gpu__(),
      mlirGetDialectHandle__llvm__(),  mlirGetDialectHandle__memref__(),
      mlirGetDialectHandle__scf__(),   mlirGetDialectHandle__vector__(),
      mlirGetDialectHandle__nvvm__()};
  return tlCreateExternalPass(&kTypeId, &tlLowerCopyPassDef.info,
                              sizeof deps / sizeof deps[0], deps, run, NULL, 0);
}
