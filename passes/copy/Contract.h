/* Internal: the contract between tl's copy passes (docs/design.md §4, "The
 * inter-pass attribute contract", and §8, "The instruction table").
 *
 * tl-legalize-regions, tl-infer-layouts and tl-lower-copy / tl-lower-im2col
 * hand each other a copy through attributes on the op. This header names
 * them once (no pass spells an attribute name as a string literal), names
 * every instruction a copy can become (one enum, one name table), and
 * declares the instruction table: per instruction, its capability check
 * (which returns the reason it cannot be used), its parameter choice, and
 * its emission, split into issue and complete for the asynchronous ones.
 * The entries live in passes/inst/, one file per instruction; the table is
 * passes/copy/Contract.c. */
#ifndef TL_PASSES_COPY_CONTRACT_H
#define TL_PASSES_COPY_CONTRACT_H

#include <stdbool.h>
#include <stddef.h>

#include <mlir-c/IR.h>

#include "tl-c/Ops.h"

//===--------------------------------------------------------------------===//
// Attribute names (set by one pass, read by a later one)
//===--------------------------------------------------------------------===//

/* tl-legalize-regions -> tl-infer-layouts, tl-lower-copy */
#define TL_ATTR_BASE_SHAPE "base_shape"     /* array<i64>: iteration space */
#define TL_ATTR_BASE_SIDE "base_side"       /* i64: 0 source, 1 destination */
#define TL_ATTR_BOUNDS_CHECK "bounds_check" /* on tl.region: array<i1> per dim */
/* tl-infer-layouts -> tl-lower-copy / tl-lower-im2col */
#define TL_ATTR_INST "inst"                 /* string: tlInstName(...) */
#define TL_ATTR_VECTOR_WIDTH "vector_width" /* i64: elements per access */
#define TL_ATTR_THREAD_MAP "thread_map"     /* #tl.fragment_layout */
#define TL_ATTR_TMA_BOX "tma_box"           /* array<i64>: TMA box, outer first */
#define TL_ATTR_TMA_SWIZZLE "tma_swizzle"   /* i64: swizzle span in bytes */
#define TL_ATTR_MMA_TRANS "mma_trans"       /* unit: ldmatrix/stmatrix .trans */
/* on buffers: tl-infer-layouts -> tl-lower-copy */
#define TL_ATTR_LAYOUT "tl.layout"   /* fragment alloca: #tl.fragment_layout */
#define TL_ATTR_SWIZZLE "tl.swizzle" /* workgroup attribution: bytes */
/* tl-lower-copy / tl-lower-im2col -> tl-to-nvvm (the kernel ABI) */
#define TL_ATTR_TENSOR_MAP_ARGS "tl.tensor_map_args"
/* tl-to-nvvm's dynamic shared step -> the ABI and the global's fix (on the
   gpu.func, then the llvm.func): array<i64: bytes, largest alignment> */
#define TL_ATTR_DYNAMIC_SHARED "tl.dynamic_shared"
/* written by users, read by tl-infer-layouts */
#define TL_ATTR_LOOP_LAYOUT "loop_layout"
#define TL_ATTR_ANNOTATIONS "annotations"
#define TL_ATTR_SAFE_VALUE "safe_value" /* an annotations entry: fill value */

//===--------------------------------------------------------------------===//
// The copy ops
//===--------------------------------------------------------------------===//

/* tl.copy and tl.copy_async take the same operands (source, destination)
   and attributes; every copy pass reads, decides and lowers them alike
   (docs/design.md §3, "Asynchronous copies"). A tl.copy_async also yields
   the !tl.token its tl.wait completes. The public tl-c/Ops.h accessors
   (tlCopyOpGetSource, ..., tlCopyOpGetOptions) take both; the token rules
   are tl-verify's (verify/VerifyAsync.h). */

struct TlOpList; /* support/IRBuild.h */

/// Whether `op` is a tl.copy or a tl.copy_async.
bool tlIsCopyOp(MlirOperation op);

/// Whether `op` is a tl.c2d_im2col or a tl.c2d_im2col_async (the public
/// tlIm2ColOpGet* accessors take both).
bool tlIsIm2ColOp(MlirOperation op);

/// Appends every tl.copy and tl.copy_async at or below `root` to `list`,
/// in pre-order (program order). Free with free(list->ops).
void tlCollectCopies(MlirOperation root, struct TlOpList *list);


//===--------------------------------------------------------------------===//
// Instructions
//===--------------------------------------------------------------------===//

/// Every instruction a tl.copy or tl.c2d_im2col can be lowered with. The
/// order is the order of tlInstName's table (and of the messages that list
/// the names).
typedef enum TlInst {
  TlInstSimt,      /* per-thread vector loads and stores */
  TlInstDirect,    /* fragment -> fragment, register moves */
  TlInstTmaLoad,   /* cp.async.bulk.tensor global -> shared */
  TlInstTmaStore,  /* cp.async.bulk.tensor shared -> global */
  TlInstBulkLoad,  /* cp.async.bulk (1-D) global -> shared */
  TlInstBulkStore, /* cp.async.bulk (1-D) shared -> global */
  TlInstLdmatrix,  /* shared -> fragment */
  TlInstStmatrix,  /* fragment -> shared */
  TlInstCpAsync,   /* cp.async global -> shared */
  TlInstTmaIm2Col, /* cp.async.bulk.tensor im2col (tl.c2d_im2col) */
  TlInstCount,
  TlInstNone = -1
} TlInst;

/// The value of the `inst` attribute for `inst` ("simt", "tma_load", ...).
const char *tlInstName(TlInst inst);

/// The instruction named `name`, TlInstNone when there is none.
TlInst tlInstParse(MlirStringRef name);

/// The instruction recorded on `op` (its `inst` string attribute);
/// TlInstNone when absent, not a string, or not an instruction's name.
TlInst tlInstOf(MlirOperation op);

/// Why tl-pipeline's release barrier `barrier` (`gpu.barrier
/// {tl.stage_release = "mbarrier"}`) cannot become empty mbarriers, or
/// NULL when tl-lower-copy replaces it by them (copy/Release.c); read from
/// the refills' recorded instructions, so the report can say it.
const char *tlStageReleaseBlocker(MlirOperation barrier);

//===--------------------------------------------------------------------===//
// The instruction table
//===--------------------------------------------------------------------===//

/* How an instruction completes. */
typedef enum TlCompletion {
  TlCompleteSync,     /* done when the issuing thread's accesses are */
  TlCompleteMbarrier, /* an mbarrier with expect_tx, waited on by parity */
  TlCompleteGroup,    /* cp.async groups: commit, wait_group */
  TlCompleteBulkGroup /* bulk async-groups: commit, wait_group.read */
} TlCompletion;

/* Opaque models, defined by the passes that own them. */
struct TlSelect;  /* tl-infer-layouts: one op being decided (inst/Select.h) */
struct TlLower;   /* tl-lower-*: one op being lowered, a tl.copy or (through
                     its `im2col`, copy/Im2Col.h) a tl.c2d_im2col
                     (copy/Lower.h) */
struct TlEmitter; /* tl-lower-*: the emission state, the one folding
                     builder (support/Fold.h) and the per-copy caches
                     (copy/Lower.h) */
struct TlAsync;   /* what an issued copy completes on (copy/Mbarrier.h) */

/// Capability check: whether the instruction can carry the op; when not,
/// writes the reason (a sentence fragment, e.g. "chip sm_80 has no TMA")
/// into `why` (cap bytes) and returns false.
typedef bool (*TlInstCheckFn)(struct TlSelect *s, char *why, size_t cap);
/// What the preference rules make of a candidate (tl-infer-layouts).
typedef enum TlSelVerdict {
  TlSelPass, /* not this one: the next candidate */
  TlSelTake, /* this one */
  TlSelFail  /* a demand that cannot be met: an error was emitted */
} TlSelVerdict;
/// Preference: the user's demands (annotations use_*, prefer-tma) and the
/// default, given the check's result `can`. May replace the reason in `why`
/// (the check's, cap bytes) with the one to report, or clear it.
typedef TlSelVerdict (*TlInstPreferFn)(struct TlSelect *s, bool can,
                                       char *why, size_t cap);
/// Parameter choice, after the candidate was taken: records the
/// instruction's attributes (box, swizzle, .trans, ...) on the op.
typedef void (*TlInstChooseFn)(struct TlSelect *s);
/// Lowering-side reading of the recorded attributes; false after a
/// located error.
typedef bool (*TlInstReadFn)(struct TlLower *c);
/// Emission. Synchronous instructions have only `emit`. Asynchronous ones
/// have `issue` (starts the transfer, fills the barrier / group it
/// completes on and where the completion goes) and `complete` (waits for
/// it); a synchronous lowering is issue immediately followed by complete.
/// Failures are located errors that set the emitter's `failed`.
typedef void (*TlInstEmitFn)(struct TlEmitter *e, struct TlLower *c);
typedef void (*TlInstIssueFn)(struct TlEmitter *e, struct TlLower *c,
                              struct TlAsync *a);
typedef void (*TlInstCompleteFn)(struct TlEmitter *e, struct TlLower *c,
                                 struct TlAsync *a);

/// How an instruction lowers one kind of op: `read` (NULL: nothing to
/// read), then `emit`, or `issue` and `complete`. All NULL: the
/// instruction does not lower that op.
typedef struct TlInstLowering {
  TlInstReadFn read;
  TlInstEmitFn emit;
  TlInstIssueFn issue;
  TlInstCompleteFn complete;
} TlInstLowering;

/// One row of the instruction table. Entries a phase does not need are
/// NULL. An instruction lowers tl.copy (tl-lower-copy, `copy`), or
/// tl.c2d_im2col (tl-lower-im2col, `im2col`), or both in their own ways
/// (simt).
typedef struct TlInstImpl {
  TlInst inst;
  const char *name; /* == tlInstName(inst) */
  TlCompletion completion;
  TlInstCheckFn check;   /* NULL: always possible (the fallbacks) */
  TlInstPreferFn prefer; /* NULL: taken whenever possible */
  TlInstChooseFn choose; /* NULL: nothing beyond inst and the thread map */
  TlInstLowering copy;   /* of a tl.copy */
  TlInstLowering im2col; /* of a tl.c2d_im2col */
} TlInstImpl;

/// The row of `inst` (non-NULL for every inst < TlInstCount).
const TlInstImpl *tlInstImpl(TlInst inst);

#endif
