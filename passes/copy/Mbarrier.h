/* Internal: the mbarriers of tl's asynchronous copies, shared by
 * tl-lower-copy (TMA and bulk loads, inst/Tma.c, inst/Bulk.c) and
 * tl-lower-im2col (TMA im2col loads, inst/TmaIm2Col.c); design.md §8.1.
 *
 * A function's mbarriers are one set, made once at its entry by whichever
 * pass needs one first and found by the other: a private workgroup global
 * `__tl_mbar_<function>` of the gpu.module, memref<slots x i64>, whose
 * slots thread 0 initialises (arrival count 1) at the entry, and a private
 * memref<slots x i32> holding each slot's parity to wait on, flipped by
 * every completed wait. An issued asynchronous copy records what it
 * completes on in a `struct TlAsync`. */
#ifndef TL_PASSES_COPY_MBARRIER_H
#define TL_PASSES_COPY_MBARRIER_H

#include <stdbool.h>

#include <mlir-c/IR.h>

#include "Contract.h"
#include "Fold.h"

/* Slots a function's set may hold: slot 0 for the synchronous copies, one
   more per tl.copy_async on an mbarrier (design.md §8.1). */
#define TL_MBARRIER_MAX_SLOTS 32

/* What an issued asynchronous copy completes on (design.md §8): its
   completion kind, and for an mbarrier the barrier, its slot's parity, for
   groups the number of groups the wait may leave pending. */
struct TlAsync {
  TlCompletion kind;
  MlirValue bar;        /* mbarrier: !llvm.ptr<3> */
  MlirValue phase;      /* mbarrier: memref<i32> of the parities (bit k: slot k) */
  int slot;             /* mbarrier: the barrier's slot (its parity's index) */
  MlirValue slotV;      /* mbarrier: a run-time slot (an index value: a
                           stage's, design.md §8.1), used instead of slot */
  bool noArm;           /* mbarrier: a tl.join's later copy: the first one
                           armed the barrier with the bytes of both */
  int64_t armBytes;     /* mbarrier: the bytes to arm with when > 0 (a
                           tl.join's copies together), else the copy's */
  MlirValue elected;    /* the issuing thread's predicate (thread 0) */
  MlirOperation issuer; /* the terminator of the issuing thread's block;
                           a bulk-group wait goes there (null: its own) */
  MlirOperation waitAt; /* where the completion goes: a tl.copy_async's
                           tl.wait, or the terminator of the block the copy
                           was issued under (a TMA im2col's tile guard);
                           null: before the op */
  int group;            /* groups: pending groups the wait allows */
  int64_t bytes;        /* mbarrier: the transaction count armed */
  MlirValue active;     /* TMA im2col: whether the tile was issued (the
                           completion at a tl.wait waits only then) */
  MlirValue pred;       /* TMA im2col: the op's predicate (null: none) */
  bool always;          /* TMA im2col: a tile not issued (off the column
                           matrix, or predicated off) still completes: it
                           arrives with 0 bytes, and the wait always waits
                           (a carried token's wait cannot know) */
};
typedef struct TlAsync TlAsync;

/* One function's mbarrier set, as made or found at its entry. */
typedef struct TlMbarriers {
  int slots;
  MlirValue bar[TL_MBARRIER_MAX_SLOTS]; /* !llvm.ptr<3> of each slot */
  MlirValue base; /* index: the address of slot 0 */
  MlirValue phase; /* memref<i32>: the parities, bit k for slot k */
} TlMbarriers;

/// Finds the set tlMbarrierMake made for `func` (in this pass or an
/// earlier one) and makes pointers to its slots at the entry; false when
/// `func` has none.
bool tlMbarrierFind(MlirOperation func, MlirLocation loc, TlMbarriers *m);

/// Makes `func`'s set of `slots` (1 to TL_MBARRIER_MAX_SLOTS) barriers:
/// the module global, the slots' pointers before `guard` (an scf.if at the
/// function's entry on the thread of linear id 0), their initialisation in
/// guard's then-block, then after guard the block barrier and the parities
/// (all 0). Call it once per function, after tlMbarrierFind failed.
void tlMbarrierMake(MlirOperation func, int slots, MlirLocation loc,
                    MlirOperation guard, TlMbarriers *m);

/// At the entry of `func`: whether the linear thread id of a block of xyz
/// is 0 (*is0), and an scf.if on it (returned; *thenYield its
/// then-terminator), the index constants placed as `place` says (each pass
/// keeps its prologue: TlConstsInPlace or TlConstsGrouped).
MlirOperation tlEntryElected(MlirOperation func, MlirLocation loc,
                             const int64_t xyz[3], TlConstPlace place,
                             MlirValue *is0, MlirOperation *thenYield);

/// The slots of the set tlMbarrierMake made for `func`, 0 when it has none
/// (builds nothing).
int tlMbarrierSlotsOf(MlirOperation func);

/// The slots the tl.c2d_im2col_async ops of `func` on tma_im2col need: one
/// each, N per N-way buffer of the carried ones; tl-lower-copy sizes a set
/// it makes for them, tl-lower-im2col gives them the last slots of the set
/// (design.md §8.1).
int tlMbarrierIm2ColSlots(MlirOperation func);

/// The slots the tl.c2d_im2col_async ops on tma_im2col of `func` before
/// `op` in program order take (op's own first slot, offset from theirs;
/// a carried op whose N-way buffer an earlier op has gets that one's).
int tlMbarrierIm2ColSlotsBefore(MlirOperation func, MlirOperation op);

/// The N-way col buffer of a tl.c2d_im2col_async whose token a loop
/// carries (its stages' barriers are N consecutive slots), or null.
MlirValue tlIm2ColStageBuffer(MlirOperation op);

/// Whether the set of `func` holds `slots` (tl-lower-copy's) plus those of
/// its TMA tl.c2d_im2col_async ops; false after a located error at the
/// first of them that does not fit.
bool tlMbarrierCheckIm2ColSlots(MlirOperation func, int slots);

/// The located error of an op that needs mbarrier `slot`, past the
/// TL_MBARRIER_MAX_SLOTS a set holds.
void tlMbarrierSlotError(MlirOperation op, int slot);

/// The wait on mbarrier `bar` (!llvm.ptr<3>) by parity, before `at`: the
/// parity is bit `slot` (an index value) of the i32 in `bits` (a private
/// memref, loaded at indices idx[0, nIdx)), flipped after the wait.
void tlWaitParity(TlBuild *b, MlirOperation at, MlirValue bar, MlirValue bits,
                  intptr_t nIdx, const MlirValue *idx, MlirValue slot);

/// Points a at barrier `slot` of m: its pointer, the parities, the slot.
void tlMbarrierUse(const TlMbarriers *m, int slot, TlAsync *a);

/// A private workgroup global `sym` of `n` mbarriers (memref<n x i64>,
/// 8-byte aligned) before `func`, and its memref.get_global before `at`
/// (returned): the storage of tlMbarrierMake's set and of copy/Release.c's
/// empty barriers.
MlirValue tlMbarrierGlobal(TlBuild *b, MlirOperation func, MlirStringRef sym,
                           int64_t n, MlirOperation at);

/// The pointer to mbarrier `slot` (an index value) of an array of them at
/// index address `base`, built before `at`.
MlirValue tlMbarrierPtr(TlBuild *b, MlirOperation at, MlirValue base,
                        MlirValue slot);

/// The pointer to slot `slotV` (an index value) of m, built before `at`.
MlirValue tlMbarrierSlotPtr(TlBuild *b, MlirOperation at, const TlMbarriers *m,
                            MlirValue slotV);

#endif
