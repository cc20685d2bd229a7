/* Internal: the lowering side of the copy model, shared by tl-lower-copy
 * (passes/LowerCopy.c), its helpers in passes/copy/ and the emission halves
 * of passes/inst/ (docs/lower-copy.md).
 *
 * A copy being lowered is a `struct TlLower`: its two sides (buffer,
 * region, scope, fragment, swizzle), the attributes tl-infer-layouts left
 * and, for thread-mapped instructions, the thread map reduced to per-chunk
 * closed forms. Emission goes through a `struct TlEmitter`: the one
 * folding builder (support/Fold.h: insertion points, constants), the
 * per-copy caches of the thread id and splats, and the per-function TMA
 * state. tl-lower-im2col lowers through the same two structs (a TlLower
 * whose `im2col` is the op, copy/Im2Col.h) and the rows' `im2col`
 * lowerings. An asynchronous instruction's issue fills a `struct TlAsync`
 * (copy/Mbarrier.h) with what its completion waits on: right after the
 * issue for a tl.copy, at its tl.wait for a tl.copy_async (copy/Async.c). */
#ifndef TL_PASSES_COPY_LOWER_H
#define TL_PASSES_COPY_LOWER_H

#include <stdbool.h>
#include <stdint.h>

#include <mlir-c/AffineMap.h>
#include <mlir-c/IR.h>

#include "Contract.h"
#include "Fold.h"
#include "MapEval.h"
#include "Mbarrier.h"
#include "Side.h"
#include "TensorMap.h"
#include "tl-c/Attributes.h"
#include "tl-c/Ops.h"

#define MAX_RANK TL_SIDE_MAX_RANK
/* Chunks per thread up to which the chunk loop is unrolled. */
#define MAX_UNROLL 64
/* Largest base range (elements) evaluated at compile time. */
#define MAX_ELEMENTS (INT64_C(1) << 22)
/* Widest single access, in bytes. */
#define MAX_ACCESS_BYTES 16

//===--------------------------------------------------------------------===//
// The model
//===--------------------------------------------------------------------===//

/* A `memref.alloca` in the fragment scope and its layout. */
typedef struct TlFrag {
  MlirOperation alloca;
  MlirValue value;
  MlirAttribute layout; /* tl.layout; null when absent */
  MlirAffineMap map;
  int64_t threads;
  intptr_t rank;
  int64_t shape[MAX_RANK];
  MlirType elt;
  int64_t length; /* L: 1 + the largest local index */
  MlirValue repl; /* the private array, once created */
  bool valid;     /* planned without error, with a layout */
} TlFrag;

typedef struct TlFragTable {
  TlFrag *v;
  size_t n, cap;
} TlFragTable;

/* base + step * c */
typedef struct TlAff {
  int64_t base, step;
} TlAff;

/* A side of a copy being lowered: the operand as read (Side.h) and how it
   is lowered. */
typedef struct TlSide {
  TL_COPY_SIDE_EXTENDS;
  intptr_t baseDim[MAX_RANK]; /* base coordinate of each dim, -1: unit */
  intptr_t vecDim;            /* dim of the innermost base coordinate */
  TlFrag *frag;
  int64_t *fl; /* fragments: first local of each chunk (-1: none) */
  bool evict;  /* global access with an eviction qualifier (inline PTX) */
  bool addr;   /* addressed through pointers (cp.async, ldmatrix, ...) */
  /* Emission state. */
  TlAff curFl;
  MlirValue ptr;                /* aligned pointer (index), evict only */
  MlirValue strideV[MAX_RANK];  /* element strides, evict only */
  MlirValue offsetV;            /* element offset, evict only */
  MlirValue dimV[MAX_RANK];     /* dimension sizes, checked dims only */
  /* Swizzled shared buffers (tl.swizzle, bytes; 0: none). */
  int64_t swz;
  int64_t sstride[MAX_RANK]; /* element strides (static, row-major) */
  MlirValue flat;            /* the rank-1 view, during emission */
} TlSide;

/* A chunk of the thread map (copy/MapEval.h). */
typedef TlMapChunk TlChunk;

struct TlLower {
  MlirOperation op;
  TlInst inst;
  /* tl-lower-im2col: the tl.c2d_im2col (copy/Im2Col.h); the rest unused */
  struct TlIm2Col *im2col;
  TlSide src, dst;
  intptr_t B;
  int64_t baseShape[MAX_RANK];
  int64_t v;
  int64_t xyz[3], T;
  MlirAffineMap map;
  int64_t nChunks;
  TlChunk *chunks;
  int64_t loopChunks; /* chunks [0, loopChunks) in an scf.for; 0: none */
  /* Bit mode: chunk c of thread t starts at a_c + g(t), g(t) the sum of
     gBit[i] over the set bits i of t (mma fragment layouts; b unused). */
  bool bitMode;
  int nBits;
  int64_t gBit[32];
  /* ldmatrix / stmatrix (docs/mma-copies.md) */
  bool trans;
  TlEvictionPolicy policy;
  bool legacyEvict; /* the target lacks .L1::evict_*: use .cs */
  MlirAttribute safe; /* annotations.safe_value; null: 0 */
  /* TMA */
  MlirOperation func;
  int64_t box[MAX_RANK];
  int64_t swizzle, nBoxes, bytes, shOff;
  bool view; /* the innermost dimension is split into blocks (rank + 1) */
  TlTensorMapDesc desc;
  /* A tl.copy_async (copy/Async.c): issued at the op, completed at its
     tl.wait on what the issue left in `issued`. A synchronous bulk-group
     store is completed later too, before `wait` (its deferred completion
     point; design.md §3.1). */
  bool async;
  MlirOperation wait;
  int slot;    /* its mbarrier slot (0: the synchronous copies') */
  int pending; /* groups committed after its own before the wait (a
                  statically known count, else 0): the wait allows them */
  TlAsync issued;
  /* Beyond one block (copy/AsyncCarry.c, design.md §3.1): */
  MlirValue pred;        /* its predicate; null: none */
  MlirOperation join;    /* the tl.join its token goes into; null: none */
  struct TlLower *head;  /* on an mbarrier: the copy that arms the barrier
                            it completes on (itself, or its join's first) */
  bool carried;          /* its token, or its join's, an scf.for carries */
  int rangeBase;         /* carried, on an mbarrier: slot = rangeBase + the
                            stage (its destination's index 0) */
  MlirValue tokenValue;  /* what its token becomes: the slot, or 0 */
};
typedef struct TlLower TlLower;

/* What a token an scf.for carries stands for (an iter_arg or a result):
   the copy whose completion completes it, and the cp.async / bulk groups
   it holds. */
typedef struct TlCarry {
  MlirValue value;
  TlLower *rep;
  int groups;
} TlCarry;

typedef struct TlCarryTable {
  TlCarry *v;
  size_t n, cap;
  struct TlOpList *loops; /* the scf.for ops that carry copy tokens */
  struct TlOpList *joins; /* the tl.join ops of copies */
} TlCarryTable;

/* Per-function TMA state: the elected-thread predicate, the mbarrier and
   the phase, made once at the function's entry. */
typedef struct TlFuncTma {
  MlirOperation func;
  MlirOperation initYield; /* the entry scf.if's then-yield (prefetches) */
  MlirValue is0;
  TlMbarriers mbar; /* the mbarrier set (slots 0: none) */
  MlirValue maps[16];
  int nMaps;
} TlFuncTma;

typedef struct TlFuncTmaList {
  TlFuncTma *v;
  size_t n, cap;
} TlFuncTmaList;

/* The emission state of one op's lowering: the one folding index builder
   (support/Fold.h; tl-lower-copy places constants TlConstsAhead,
   tl-lower-im2col TlConstsGrouped) and the per-copy caches. */
struct TlEmitter {
  TlBuild b;
  TlLower *c;
  MlirValue tid;
  MlirAttribute sKey[8]; /* splat constants */
  MlirValue sVal[8];
  int nS;
  MlirValue gVal;   /* the bit mode's g(thread id) */
  int64_t tKey[8]; /* thread id * k */
  MlirValue tVal[8];
  int nT;
  bool failed;
  /* The pass's run: per-function TMA state and every copy being lowered. */
  TlFuncTmaList *funcs;
  TlLower *all;
  size_t nAll;
};
typedef struct TlEmitter TlEmitter;

/* One chunk's access, given each side's indices (tlEmitChunks). */
typedef void (*TlChunkFn)(TlEmitter *e, MlirOperation at,
                          const MlirValue *srcIdx, const MlirValue *dstIdx);


//===--------------------------------------------------------------------===//
// copy/LowerPlan.c: reading a copy
//===--------------------------------------------------------------------===//

/// malloc that aborts when out of memory.
void *tlXmalloc(size_t n);
/// Printed forms for messages (a type, an attribute, a coordinate "(1, 2)");
/// the caller frees them.
char *tlTypeText(MlirType t);
char *tlAttrText(MlirAttribute a);
char *tlCoordText(const int64_t *x, intptr_t n);
/// The enclosing gpu.func / func.func of `op`, or null.
MlirOperation tlEnclosingFunc(MlirOperation op);
/// known_block_size of the enclosing gpu.func into xyz; false when absent.
bool tlBlockSize(MlirOperation op, int64_t xyz[3]);
/// The product of `shape`; sets *overflow (and returns 0) past
/// MAX_ELEMENTS.
int64_t tlProduct(const int64_t *shape, intptr_t n, bool *overflow);
/// The fragment coordinates of base coordinate x on side s: the base
/// coordinates on the non-unit dimensions, 0 on the unit ones.
void tlFragCoord(const TlSide *s, const int64_t *x, int64_t *y);

/// Reads and checks c->op (its `op` set): inst, base_shape, both sides,
/// options, then the instruction's own row (`read`). False after a located
/// error.
bool tlReadCopy(TlLower *c, TlFragTable *frags);
/// vector_width (1 when absent); false after a located error.
bool tlReadVectorWidth(TlLower *c);
/// What every thread-mapped instruction needs: vector_width (present),
/// the thread map against known_block_size, and vector-sized accesses on
/// each global or shared side. False after a located error.
bool tlReadThreadMapped(TlLower *c);
/// The global and shared sides of a TMA or bulk copy (`load`: global ->
/// shared) into *g and *sh, and c->func. False after a located error.
bool tlReadGlobalShared(TlLower *c, bool load, const char *kind, TlSide **g,
                        TlSide **sh);

//===--------------------------------------------------------------------===//
// copy/ThreadMap.c: chunks of a thread map
//===--------------------------------------------------------------------===//

/// Evaluates the thread map over the base range and reduces it to chunks
/// (c->chunks, the bit mode, each fragment side's first locals, the loop).
/// False after a located error.
bool tlPlanChunks(TlLower *c);
/// Emits every planned chunk of every thread before e->top through `fn`
/// (an scf.for over the affine prefix, the rest unrolled), after the
/// per-copy values (thread id, sides).
void tlEmitChunks(TlEmitter *e, TlChunkFn fn);

//===--------------------------------------------------------------------===//
// copy/Fragments.c
//===--------------------------------------------------------------------===//

/// Whether `op` is a memref.alloca in the fragment scope.
bool tlIsFragmentAlloca(MlirOperation op);
/// The `tl.swizzle` (bytes) of the workgroup attribution `buf`, 0 when it
/// has none or is not a workgroup attribution (copy/LowerPlan.c).
int64_t tlWorkgroupSwizzle(MlirValue buf);
/// Replaces every tl.wgmma_descriptor under root by its i64 bits
/// (copy/WgmmaDesc.c); false after a located error.
bool tlLowerWgmmaDescriptors(MlirOperation root);
/// Whether op is a tl.fragment_read or tl.fragment_write.
bool tlIsFragmentAccess(MlirOperation op);
/// Lowers a tl.fragment_read / tl.fragment_write to a vector load / store
/// of its fragment's private array (after tlReplaceFragment) and erases it;
/// false after a located error (the locals run past the layout's).
bool tlLowerFragmentAccess(TlFragTable *t, MlirOperation op);
/// Reads one fragment alloca (f->alloca, f->value set): its layout, its
/// length, and that every use is a tl op. False after a located error.
bool tlPlanFragment(TlFrag *f);
/// The fragment of `t` whose alloca result is `v`, or NULL.
TlFrag *tlFindFrag(TlFragTable *t, MlirValue v);
/// Makes f->repl, the private array memref<length x elt>, before the alloca.
void tlReplaceFragment(TlFrag *f);
/// Erases the fragment's unused regions and its alloca; false (after a
/// located error) when it is still used.
bool tlEraseFragment(TlFrag *f);

//===--------------------------------------------------------------------===//
// copy/Barriers.c
//===--------------------------------------------------------------------===//

/// Inserts the gpu.barrier ops the tl ops of every function under `root`
/// need between them (a tl.wait touching what its copies touch).
void tlInsertCopyBarriers(MlirOperation root);

/// copy/Release.c: replaces each tl-pipeline release barrier under `root`
/// tagged `{tl.stage_release = "mbarrier"}` by per-stage empty mbarriers
/// (docs/pipeline.md, "The stage release"). Call it before
/// tlInsertCopyBarriers. False after a located error, changing nothing,
/// when a loop's refills are not all issued by one thread on an mbarrier.
bool tlLowerStageReleases(MlirOperation root);

//===--------------------------------------------------------------------===//
// copy/Async.c: tl.copy_async and tl.wait
//===--------------------------------------------------------------------===//

/// Plans the split-phase copies among copies[0, n) (c->async set, read):
/// the use of each one's token (its tl.wait later in its block, a tl.join,
/// or an scf.for that carries it: copy/AsyncCarry.c), mbarrier slots (a
/// join's copies share one; a carried copy's stage has its own) and
/// pending-group counts, and each synchronous bulk-group store's deferred
/// completion point (c->wait); every operand of `waits` must be a token
/// value. False after located errors. `carry` is planned after it
/// (tlAsyncPlanCarried).
bool tlPlanAsync(TlLower *copies, size_t n, const struct TlOpList *waits,
                 TlCarryTable *carry);
/// Completes, before each tl.wait of `waits`, the copies of its tokens
/// (in operand order; each issued already), then erases the waits; a wait
/// that also has tl.c2d_im2col_async tokens keeps those (in order) for
/// tl-lower-im2col.
/// False after a located error.
bool tlCompleteWaits(TlLower *copies, size_t n, const struct TlOpList *waits,
                     const TlCarryTable *carry,
                     TlFuncTmaList *funcs);
//===--------------------------------------------------------------------===//
// copy/Im2ColCarry.c: predicated and carried tl.c2d_im2col_async
//===--------------------------------------------------------------------===//

/// Before an async im2col c is issued: its predicate and whether it must
/// complete when not issued (c->issued), its stage's slot when carried,
/// its token's value (c->tokenValue); a predicated SIMT one is issued in
/// an scf.if (returned: where the issue goes; else c->op).
MlirOperation tlIm2ColPrepareIssue(TlEmitter *e, TlLower *c);

/// What each token an scf.for under `root` carries for the im2col ops
/// (n of them, the first at `first`, `stride` bytes apart: tl-lower-im2col's
/// items) stands for, into t (its loops list filled). False after errors.
bool tlIm2ColPlanCarried(TlLower *first, size_t stride, size_t n,
                         MlirOperation root, TlCarryTable *t);

/// Completes the carried im2col token `v` before `wait`. False after errors.
bool tlIm2ColCompleteCarried(const TlCarry *k, MlirValue v,
                             MlirOperation wait);

//===--------------------------------------------------------------------===//
// copy/AsyncCarry.c: predicates, tl.join, carried tokens
//===--------------------------------------------------------------------===//

/// Reads the use of c's token (c->wait, c->join, c->carried, c->pred).
/// False after located errors.
bool tlAsyncPlanUse(TlLower *c);
/// The mbarrier each copy completes on: its own, or its join's first
/// copy's (c->head), which arms the bytes of all. False after errors.
bool tlAsyncPlanHeads(TlLower *copies, size_t n);
/// The mbarrier slots of the heads (static ones, then N per N-way buffer
/// of carried copies); the others take their head's. False after errors.
bool tlAsyncGiveSlots(TlLower *copies, size_t n);
/// The last copy of c's join that completes as c does (c without one).
TlLower *tlAsyncLastOfJoin(TlLower *copies, size_t n, TlLower *c);
/// What each token the scf.for ops under `root` carry stands for (into
/// t, whose loops and joins lists it fills). False after errors.
bool tlAsyncPlanCarried(TlLower *copies, size_t n, MlirOperation root,
                        TlCarryTable *t);
/// What scf.for `loop` yields for its iter_arg j, followed through its own
/// iter_args (tl-pipeline rotates them): a value from the body.
MlirValue tlCarriedYieldSource(MlirOperation loop, intptr_t j);
/// The entry of a carried token value (an iter_arg or a loop result), or
/// NULL.
const TlCarry *tlCarryOf(const TlCarryTable *t, MlirValue v);
/// Before c (an async copy) is issued: its slot's barrier, its token's
/// value, and for a predicated copy the scf.if it is issued in (the
/// predicated-off completion after it). Returns where the issue goes.
MlirOperation tlAsyncPrepareIssue(TlEmitter *e, TlLower *c);
/// Completes the carried token `v` before `wait` (a run-time slot for
/// mbarriers; the younger carried groups left pending). False after errors.
bool tlAsyncCompleteCarried(const TlCarryTable *t, MlirValue v,
                            MlirOperation wait, TlFuncTmaList *funcs,
                            TlLower *all, size_t nAll);
/// Completes the copies of a tl.join before `wait`. False after errors.
bool tlAsyncCompleteJoin(TlLower *copies, size_t n, MlirOperation join,
                         MlirOperation wait, TlFuncTmaList *funcs);
/// Gives the carried token values type index (their slots).
void tlAsyncRetypeCarried(const TlCarryTable *t);
/// Replaces every remaining token of a copy or tl.join by its value and
/// erases the joins.
void tlAsyncReplaceTokens(TlLower *copies, size_t n, TlCarryTable *t);

/// Whether c is a synchronous store whose completion tlPlanAsync deferred
/// (issued at the op, completed by tlCompleteStore).
bool tlIsDeferredStore(const TlLower *c);
/// Completes the deferred store c (issued already, its op still there):
/// bulk-group read wait 0 and barrier before c->wait, or before the
/// gpu.barrier ops right ahead of it; in the issuing block, as an
/// undeferred store, when nothing else lies between. False after a
/// located error.
bool tlCompleteStore(TlLower *c, TlFuncTmaList *funcs, TlLower *all,
                     size_t nAll);

//===--------------------------------------------------------------------===//
// copy/Emit.c: the copy-specific emission state
//===--------------------------------------------------------------------===//

/// Starts the lowering of `c` (c->op set): e->b builds before c->op and
/// places constants as `place` says.
void tlEmitterInit(TlEmitter *e, TlLower *c, TlConstPlace place);
/// The same, building before `at` (a tl.wait completing c) at its location.
void tlEmitterInitAt(TlEmitter *e, TlLower *c, MlirOperation at,
                     TlConstPlace place);
/// Ends it: the builder's unused constants and its placeholder go.
void tlEmitterFinish(TlEmitter *e);
/// Lowers e->c through `l` (its row's lowering for the op's kind): emit,
/// or issue immediately followed by complete on a TlAsync of kind
/// `completion` (the transfer done when the op's lowering ends).
void tlEmitThrough(TlEmitter *e, const TlInstLowering *l,
                   TlCompletion completion);
/// The halves of tlEmitThrough: `emit` or `issue` (filling *a, whose kind
/// and slot the caller set), then `complete` on *a (nothing after `emit`).
void tlEmitIssue(TlEmitter *e, const TlInstLowering *l, TlAsync *a);
void tlEmitComplete(TlEmitter *e, const TlInstLowering *l, TlAsync *a);
/// f.base + f.step * c; `c` null means the chunk index is the constant cc.
MlirValue tlAffV(TlEmitter *e, MlirOperation at, TlAff f, MlirValue c,
                 int64_t cc);
/// elt for n == 1, else vector<n x elt>.
MlirType tlDataType(MlirType elt, int64_t n);
/// A splat constant of `type` (scalar or vector) from an integer / float
/// attribute (converted to the element type), or zero; cached per copy.
MlirValue tlSplat(TlEmitter *e, MlirType type, MlirAttribute value);
/// The copy's linear thread id, made once ahead of the lowering.
MlirValue tlThreadId(TlEmitter *e);
/// thread id * k, made once per copy ahead of the lowering.
MlirValue tlTidTimes(TlEmitter *e, int64_t k);

//===--------------------------------------------------------------------===//
// copy/Access.c: accesses of one side
//===--------------------------------------------------------------------===//

/// The address `base` of a stage slice's buffer plus index * stride bytes
/// of each of its dynamic (stage) indices, before `at` (support/Fold.h);
/// `base` when all are constants.
MlirValue tlStageBase(TlEmitter *e, MlirOperation at, const TlSide *s,
                      MlirValue base);
/// Per-copy values ahead of the lowering: dimension sizes for bounds
/// checks, pointers and strides for inline PTX and addressed sides.
void tlPrepareSide(TlEmitter *e, TlSide *s);
/// The rank-1 view of a swizzled shared side (s->flat).
void tlPrepareSwizzle(TlEmitter *e, TlSide *s);
/// The element index, in the flat view of a static row-major shared buffer
/// (element `strides`, `eltBytes` each) swizzled by `span` bytes, of index
/// `idx`: byte offset o -> o ^ (((o >> 7) & (span/16 - 1)) << 4), the
/// CUTLASS Swizzle<B,4,3> of CU_TENSOR_MAP_SWIZZLE_{32,64,128}B and of
/// wgmma's swizzled layouts. Built before `at`.
MlirValue tlSwizzledIndex(TlBuild *b, MlirOperation at, const MlirValue *idx,
                          const int64_t *strides, intptr_t rank,
                          int64_t eltBytes, int64_t span);
/// The rank-1 memref.collapse_shape of the static identity-layout `buf`,
/// before `at`.
MlirValue tlFlatView(TlBuild *b, MlirOperation at, MlirValue buf);
/// The indices of one side for base coordinates x (global/shared), or the
/// chunk's first local (fragment).
void tlSideIndices(TlEmitter *e, MlirOperation at, TlSide *s,
                   const MlirValue *x, MlirValue c, int64_t cc,
                   MlirValue *out);
/// The address of idx in a global (space 1) or shared (space 3) buffer;
/// with `pred` (in bounds) an out-of-bounds index gives the buffer start.
MlirValue tlPointerTo(TlEmitter *e, MlirOperation at, TlSide *s,
                      const MlirValue *idx, unsigned space, MlirValue pred);
/// The conjunction of `index < dim` over the side's checked dimensions, or
/// null when none is checked.
MlirValue tlInBounds(TlEmitter *e, MlirOperation at, TlSide *s,
                     const MlirValue *idx);
/// n elements at idx as one value; out of bounds, the safe value.
MlirValue tlReadChunk(TlEmitter *e, MlirOperation at, TlSide *s,
                      const MlirValue *idx, int64_t n);
/// Stores n elements at idx, skipped out of bounds.
void tlWriteChunk(TlEmitter *e, MlirOperation at, TlSide *s,
                  const MlirValue *idx, MlirValue val, int64_t n);
/// `v` cast to `to`; null (after a located error, e->failed) when no cast
/// exists.
MlirValue tlCastTo(TlEmitter *e, MlirOperation at, MlirValue v, MlirType to);

//===--------------------------------------------------------------------===//
// copy/Mbarrier.c: TMA state and completions
//===--------------------------------------------------------------------===//

/// The TMA state of the copy's function, made at its entry on first use.
TlFuncTma *tlFuncTma(TlEmitter *e);
/// Prefetches tensor map `map` once per function (in the entry's elected
/// block).
void tlPrefetchMap(TlEmitter *e, TlFuncTma *f, MlirValue map);
/// The L2 cache policy of the copy's eviction policy, or null.
MlirValue tlL2Policy(TlEmitter *e, MlirOperation at);
/// fence.proxy.async (shared, cta) and gpu.barrier before `at`: the
/// threads' shared writes become visible to a bulk or TMA store.
void tlAsyncProxyFenceAndBarrier(TlEmitter *e, MlirOperation at);
/// Opens the elected thread's block before e->top and records it, the
/// mbarrier of slot a->slot and its phase in `a`; returns the block's
/// terminator.
MlirOperation tlOpenElected(TlEmitter *e, TlFuncTma *f, TlAsync *a);
/// In the elected block: arms the mbarrier with expect_tx of `bytes`.
void tlArmMbarrier(TlEmitter *e, TlAsync *a, MlirValue bytes);
/// In the elected block: commits the issued bulk copies to a bulk group.
void tlCommitBulkGroup(TlEmitter *e, TlAsync *a);
/// Where a's completion goes: a->waitAt, or (null) before the op.
MlirOperation tlAsyncWaitPoint(const TlEmitter *e, const TlAsync *a);

#endif
