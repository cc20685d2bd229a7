/* Internal: the selection model of tl-infer-layouts (docs/infer-layouts.md).
 *
 * One TlSelect per tl.copy / tl.c2d_im2col being decided: its two sides,
 * its iteration space, the candidate vector width and why, the user's
 * demands (annotations, loop_layout), and the results. The run
 * (TlSelState) holds every op, the fragment table (fragments joined into
 * groups that share one layout) and the workgroup attributions a tl op
 * touches. The instruction table's check / prefer / choose entries
 * (copy/Contract.h) take a TlSelect; they live in passes/inst/, the model's
 * pieces in passes/copy/ (SelectSide, Width, ThreadMap, FragmentGroups,
 * Swizzle, SelectRead, Rank, Report). */
#ifndef TL_PASSES_INST_SELECT_H
#define TL_PASSES_INST_SELECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <mlir-c/AffineMap.h>
#include <mlir-c/IR.h>

#include "Contract.h"
#include "MapEval.h"
#include "PassSupport.h"
#include "Side.h"
#include "Support.h"
#include "Target.h"
#include "tl-c/Attributes.h"
#include "tl-c/Ops.h"

#define TL_SEL_MAX_RANK TL_SIDE_MAX_RANK
/* Layouts are checked by evaluation on at most this many coordinates. */
#define TL_SEL_EVAL_LIMIT ((int64_t)1 << 20)
#define TL_SEL_DIVISOR_CAP ((int64_t)1 << 30)
/* The alignment tl-infer-layouts gives workgroup attributions, and the one
   the launcher guarantees for kernel arguments. */
#define TL_SEL_BASE_ALIGN 16
/* mbarrier transaction counts are 20-bit. */
#define TL_SEL_MAX_TX_BYTES ((INT64_C(1) << 20) - 1)
/* The size of a reason text. */
#define TL_SEL_WHY 320
/* Distinct errors remembered per run (later ones are emitted as they come). */
#define TL_SEL_MAX_SEEN 256

//===--------------------------------------------------------------------===//
// The model
//===--------------------------------------------------------------------===//

typedef struct TlSelOptions {
  bool report;
  char chip[TL_MAX_OPTION_STRING];
  bool preferTma; /* TMA wherever legal (default: only on demand) */
} TlSelOptions;

/* A vector width and the reason of its last reduction. */
typedef struct TlSelWidth {
  int64_t v;
  char why[TL_SEL_WHY];
} TlSelWidth;

/* One side of a copy (or the image / column tile of an im2col): the
   operand as read (copy/Side.h) and what selection adds. */
typedef struct TlSelSide {
  TL_COPY_SIDE_EXTENDS;
  intptr_t inner; /* the last non-unit extent, -1 for none */
  int frag;       /* index into the fragment table, -1 */
} TlSelSide;

/* A fragment (a memref.alloca) and, at its group's root, the group. */
typedef struct TlSelFrag {
  MlirOperation alloca;
  MlirType type;
  intptr_t rank;
  int64_t shape[TL_SEL_MAX_RANK];
  intptr_t coreRank; /* the non-unit dims */
  intptr_t pos[TL_SEL_MAX_RANK];
  int64_t core[TL_SEL_MAX_RANK];
  int parent;         /* union-find */
  MlirAttribute user; /* tl.layout as found, or null */
  bool userSeen;      /* compared with its group's layout */
  /* group state (valid at the root) */
  bool failed;
  int64_t T;
  bool hasRef;
  MlirAffineMap ref; /* over the core coordinates */
  char *refWhat;     /* "its tl.layout is #..." */
  int64_t demand;    /* the largest coalesced_width among its copies */
  int64_t minCand;   /* the smallest candidate width, 0 when none */
  int64_t maxCand;
  int64_t vf, locals;
} TlSelFrag;

typedef struct TlSelFrags {
  TlSelFrag *f;
  size_t n, cap;
} TlSelFrags;

/* A workgroup attribution touched by a tl op. */
typedef struct TlSelWorkgroup {
  MlirOperation func;
  intptr_t index;
  int64_t swizzle;      /* bytes, 0 none, -1 undecided */
  MlirOperation setter; /* the op that decided the swizzle, or null */
  int64_t align;        /* alignment the buffer needs (bytes) */
} TlSelWorkgroup;

typedef struct TlSelState TlSelState;

/* One op being decided. */
typedef struct TlSelect {
  TlSelState *st;
  MlirOperation op;
  bool im2col;
  bool ok;    /* read without error */
  bool fixed; /* already carried inst: keep */
  int64_t T;
  TlSelSide s[2]; /* copy: source, destination; im2col: image, column */
  int64_t base[TL_SEL_MAX_RANK];
  intptr_t baseRank;
  TlSelWidth cand;
  int64_t demand;     /* coalesced_width, 0 when unset */
  MlirAttribute loop; /* loop_layout (or fixed thread_map), or null */
  MlirAffineMap loopMap;
  int64_t loopVf, loopLocals;
  int group; /* root fragment, -1 */
  /* annotations: -1 unset, 0, 1 */
  int64_t swizzleDemand; /* swizzle (bytes); -1 unset */
  int useTma, useBulk, useCpAsync;
  int useLdmatrix; /* use_ldmatrix / use_stmatrix */
  /* results */
  TlInst inst;  /* TlInstNone until decided */
  TlSelWidth w; /* the width being decided (after the layout) */
  int64_t v;
  MlirAttribute map;
  int64_t locals; /* 1 + the largest local index, 0 when unknown */
  bool tma;       /* inst is tma_load / tma_store */
  bool bulk;      /* inst is bulk_load / bulk_store */
  bool mmaTrans;  /* ldmatrix / stmatrix with .trans */
  intptr_t boxRank;
  int64_t box[TL_SEL_MAX_RANK];
  int64_t nBoxes, tmaBytes, swizzle;
  int64_t bulkBytes;
  /* why each instruction was not used ("": nothing to report) */
  char why[TlInstCount][TL_SEL_WHY];
} TlSelect;

struct TlSelState {
  const TlSelOptions *opts;
  TlSelect *items;
  size_t n, cap;
  TlSelFrags frags;
  TlSelWorkgroup *wg;
  size_t nWg, capWg;
  bool failed;
  /* Errors already emitted (location and message hashed): tl-pipeline's
     clones of one copy share its location, and each would report the
     same error. */
  uint64_t seen[TL_SEL_MAX_SEEN];
  size_t nSeen;
};

//===--------------------------------------------------------------------===//
// Small helpers (copy/Report.c)
//===--------------------------------------------------------------------===//

/// Grows an array of `elt`-byte elements to hold n + 1 (aborts when out of
/// memory); returns the (possibly moved) array.
void *tlSelGrow(void *p, size_t *cap, size_t n, size_t elt);
/// The located error of support/Diag.h at `op`; marks the run failed.
void tlSelError(TlSelState *st, MlirOperation op, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/// Writes a reason into `why` (cap bytes); returns false, for checks.
bool tlSelNo(char *why, size_t cap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/// In a check: writes the reason into the check's `why` and returns false.
#define TL_SEL_NO(...) return tlSelNo(why, cap, __VA_ARGS__)
/// "[a<sep>b]" / "(a, b)" / "line:col" of an op, for messages.
void tlSelAppendShape(TlStr *s, const int64_t *e, intptr_t n, const char *sep);
void tlSelAppendCoord(TlStr *s, const int64_t *c, intptr_t n);
void tlSelAppendLineCol(TlStr *s, MlirOperation op);
/// Gives every fragment alloca with tl.mma_accumulator = "m16n8k16" the
/// mma.sync accumulator layout as its tl.layout (copy/MmaLayout.c); false
/// after a located error.
bool tlSelMmaAccumulatorLayouts(MlirOperation root);
/// Who decided workgroup `w`'s swizzle, for a conflict's message: "its
/// tl.swizzle is N", or "the <what> at L:C demands N" (`what` NULL: the
/// setter's op name) (copy/Swizzle.c).
void tlSelAppendSwizzleSetter(TlStr *s, const TlSelWorkgroup *w,
                              const char *what);
/// Checks every tl.wgmma_descriptor under root and gives its buffer the
/// swizzle wgmma reads it through (copy/WgmmaDesc.c); errors go through
/// tlSelError.
void tlSelWgmmaDescriptors(TlSelState *st, MlirOperation root);
/// One report line for `it` on stderr, or where tlSetReportSink
/// (support/PassSupport.h) sends them.
void tlSelReport(const TlSelect *it);
/// The target of op's gpu.module, the pass option's chip when it has none.
TlTarget tlSelTarget(const TlSelect *it);

//===--------------------------------------------------------------------===//
// Sides and widths (copy/SelectSide.c, copy/Width.c)
//===--------------------------------------------------------------------===//

/// Reads one operand (a memref or a tl.region with extents); false when it
/// is neither (no error emitted).
bool tlSelReadSide(TlSelSide *s, const char *role, MlirValue v);
/// Workgroup attribution index of `buf` in its gpu.func (in *func), or -1.
intptr_t tlSelWorkgroupIndex(MlirValue buf, MlirOperation *func);
/// The alignment in bytes known for the start of `buf`, 0 when only
/// element alignment is known; `what` says where it comes from.
int64_t tlSelBaseAlign(MlirValue buf, const char **what);
/// Reduces w by what addressing `s` allows along dimension `pos`.
void tlSelLimitByAddress(const TlSelSide *s, intptr_t pos, bool useIndices,
                         TlSelWidth *w);
/// The largest power of two dividing x (capped; 0 is divisible by all).
int64_t tlSelPow2Div(int64_t x);
/// The largest power of two <= x (x >= 1).
int64_t tlSelPow2Floor(int64_t x);
/// v = min(v, x); remembers the reason when it reduces.
void tlSelLimitTo(TlSelWidth *w, int64_t x, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/// The candidate width from everything but fragment layouts and demands.
void tlSelCandidateWidth(TlSelect *it);
/// Applies coalesced_width to `w`; false after an error.
bool tlSelApplyDemand(TlSelect *it, TlSelWidth *w);

//===--------------------------------------------------------------------===//
// Thread maps (copy/SelectMap.c; evaluated by copy/MapEval.c)
//===--------------------------------------------------------------------===//

/* How coordinates are shown in messages: base coordinates as they are, or
   expanded into a fragment's own dimensions (unit dimensions are 0). */
typedef struct TlSelCoordView {
  intptr_t rank;       /* rank of the shown coordinate */
  const intptr_t *pos; /* core dim k is shown at pos[k]; NULL: identity */
} TlSelCoordView;

/* One coordinate: thread, local, flat index (copy/MapEval.h). */
typedef TlMapEntry TlSelEntry;

/* A layout evaluated on every coordinate. */
typedef struct TlSelTable {
  TlSelEntry *e; /* sorted by (thread, local) */
  int64_t n;
  int64_t locals; /* 1 + the largest local index */
} TlSelTable;

/// The product of a shape (INT64_MAX on overflow).
int64_t tlSelProduct(const int64_t *shape, intptr_t n);
/// The results of `m` with its dims replaced by the results of `with`.
MlirAffineMap tlSelComposeMap(MlirAffineMap m, MlirAffineMap with);
/// Shows a coordinate through `view` (NULL: as it is).
void tlSelAppendViewCoord(TlStr *s, const TlSelCoordView *view,
                          const int64_t *c, intptr_t n);
/// Evaluates `map` on every coordinate of `shape` into *out (free out->e);
/// false after an error at `loc` prefixed by `prefix`.
bool tlSelBuildTable(MlirAffineMap map, const int64_t *shape, intptr_t n,
                     int64_t T, MlirLocation loc, const char *prefix,
                     const TlSelCoordView *view, TlSelTable *out);
/// The largest power of two <= cap whose chunks of locals are contiguous.
int64_t tlSelTableWidth(const TlSelTable *t, int64_t inner, int64_t cap);
/// First coordinate where two maps differ (false when they agree);
/// *unknown when the shape is too large to compare.
bool tlSelMapsDiffer(MlirAffineMap a, MlirAffineMap b, const int64_t *shape,
                     intptr_t n, int64_t *where, bool *unknown);
/// Records inst, vector_width and thread_map of a per-thread instruction
/// (inst/Simt.c); `map` null: the default map.
void tlSelRecordThreadMap(TlSelect *it, MlirAffineMap map);

//===--------------------------------------------------------------------===//
// Reading the ops (copy/SelectRead.c)
//===--------------------------------------------------------------------===//

/// Reads a tl.copy / tl.c2d_im2col into `it` (it->ok on success).
void tlSelReadCopy(TlSelState *st, TlSelect *it);
void tlSelReadIm2Col(TlSelState *st, TlSelect *it);
/// Checks a user loop_layout (or a recorded thread_map, `what`); fills
/// loopMap, loopVf, loopLocals; false after an error.
bool tlSelCheckLoopLayout(TlSelState *st, TlSelect *it, const char *what);
/// A copy that already carries inst: checks its attributes; false after an
/// error.
bool tlSelRevalidate(TlSelState *st, TlSelect *it);
/// The annotations use_* / swizzle into `it`.
void tlSelReadAnnotations(TlSelect *it);
/// Whether annotations.safe_value is absent or 0 (the engines fill zeros).
bool tlSelSafeValueIsZero(const TlCopyOptions *o);

//===--------------------------------------------------------------------===//
// Fragment groups (copy/FragmentGroups.c)
//===--------------------------------------------------------------------===//

/// Registers the fragment of side `s`; its index, or -1 after an error.
int tlSelRegisterFragment(TlSelState *st, TlSelect *it, TlSelSide *s);
/// The root of fragment i's group.
int tlSelFindRoot(TlSelFrags *fs, int i);
/// "memref<...> (memref.alloca at line:col)".
void tlSelFragName(TlStr *s, const TlSelFrag *f);
/// Joins fragments copied into each other; gives every copy its group.
void tlSelJoinGroups(TlSelState *st);
/// Gathers the layout constraints of the copies, in op order.
void tlSelCollectGroupConstraints(TlSelState *st);
/// Chooses each group's layout and sets tl.layout on its allocas.
void tlSelDecideGroups(TlSelState *st, MlirContext ctx);

//===--------------------------------------------------------------------===//
// Shared buffers (copy/Swizzle.c)
//===--------------------------------------------------------------------===//

/// Registers a workgroup attribution touched by a tl op; its entry, or -1
/// when `buf` is not one.
long tlSelMarkWorkgroup(TlSelState *st, MlirValue buf);
/// Raises the alignment a touched workgroup buffer needs.
void tlSelAlignAtLeast(TlSelState *st, MlirValue buf, int64_t align);
/// The swizzle (bytes) of a shared side, 0 for none.
int64_t tlSelSideSwizzle(const TlSelState *st, const TlSelSide *s);
/// The swizzle mode of a span: 1, 2, 3 for 32, 64, 128 bytes, else 0.
int tlSelSwizzleMode(int64_t bytes);
/// Swizzles of shared buffers: user tl.swizzle, annotations, fixed copies,
/// bank-conflict-free ldmatrix; errors for those that cannot be addressed.
void tlSelDecideSwizzles(TlSelState *st, MlirOperation root);
/// llvm.align and tl.swizzle on every touched workgroup attribution.
void tlSelAlignWorkgroups(TlSelState *st, MlirContext ctx);

//===--------------------------------------------------------------------===//
// Ranking the candidates (copy/Rank.c) and the instructions (inst/)
//===--------------------------------------------------------------------===//

/// The instructions that need no fragment layout (TMA, bulk): chosen before
/// the fragment groups.
void tlSelChooseEngines(TlSelect *it);
/// The rest (ldmatrix / stmatrix, cp.async, tma_im2col, simt, direct),
/// after the fragment layouts; records the attributes.
void tlSelChooseFinal(TlSelect *it, MlirContext ctx);

/// The 8x8 mma fragment layout of an [R, C] tile over T threads
/// (inst/Ldmatrix.c).
MlirAffineMap tlSelMmaMap(MlirContext ctx, int64_t R, int64_t C, int64_t T,
                          bool trans);
/// ldmatrix for a shared -> fragment copy, else stmatrix.
TlInst tlSelMmaInst(const TlSelect *it);

/* The table's selection entries (copy/Contract.c). */
bool tlSelCpAsyncCheck(TlSelect *s, char *why, size_t cap);
TlSelVerdict tlSelCpAsyncPrefer(TlSelect *s, bool can, char *why, size_t cap);
bool tlSelMmaCheck(TlSelect *s, char *why, size_t cap);
TlSelVerdict tlSelMmaPrefer(TlSelect *s, bool can, char *why, size_t cap);
void tlSelMmaChoose(TlSelect *s);
bool tlSelTmaCheck(TlSelect *s, char *why, size_t cap);
TlSelVerdict tlSelTmaPrefer(TlSelect *s, bool can, char *why, size_t cap);
void tlSelTmaChoose(TlSelect *s);
bool tlSelBulkCheck(TlSelect *s, char *why, size_t cap);
TlSelVerdict tlSelBulkPrefer(TlSelect *s, bool can, char *why, size_t cap);
void tlSelBulkChoose(TlSelect *s);
bool tlSelTmaIm2ColCheck(TlSelect *s, char *why, size_t cap);
TlSelVerdict tlSelTmaIm2ColPrefer(TlSelect *s, bool can, char *why, size_t cap);

#endif
