/* Internal: thread maps evaluated at compile time (docs/layouts.md), the
 * one evaluator shared by tl-infer-layouts (copy/SelectMap.c), tl-lower-copy
 * (copy/ThreadMap.c) and tl-lower-im2col (copy/Im2ColPlan.c).
 *
 * A thread map is an affine map from the coordinates of a tile to
 * (thread, local). Evaluating it at every coordinate checks what every pass
 * needs (each element goes to a thread of the block and a local >= 0, no two
 * to the same slot); the lowering passes then reduce it to per-chunk closed
 * forms: the v consecutive locals of chunk c start, for thread t < n_c, at
 * flat tile index a_c + b_c * t (or a_c + g(t), g a sum over t's bits, for
 * the mma fragment layouts). Failures are status codes with the offending
 * element, chunk and thread: each pass words its own messages. The default
 * thread map (design.md §3) is made here too. */
#ifndef TL_PASSES_COPY_MAPEVAL_H
#define TL_PASSES_COPY_MAPEVAL_H

#include <stdbool.h>
#include <stdint.h>

#include <mlir-c/AffineMap.h>
#include <mlir-c/IR.h>

/* The highest tile rank evaluated. */
#define TL_MAP_MAX_RANK 16

//===--------------------------------------------------------------------===//
// The default thread map
//===--------------------------------------------------------------------===//

/// The default thread map over `shape` (n dims): chunks of v consecutive
/// row-major elements dealt round-robin to T threads, f the flat index:
/// thread = (f floordiv v) mod T, local = (f floordiv (v*T)) * v + f mod v.
MlirAffineMap tlMapDefault(MlirContext ctx, const int64_t *shape, intptr_t n,
                           int64_t v, int64_t T);
/// 1 + the largest local index of the default map over N elements.
int64_t tlMapDefaultLocals(int64_t N, int64_t v, int64_t T);

//===--------------------------------------------------------------------===//
// Evaluation
//===--------------------------------------------------------------------===//

/* What went wrong first. Evaluation reports the first element (row-major)
   that fails; the collision, the first element whose slot an earlier one
   holds; the reduction, the first chunk (and in it the first thread) that
   breaks a rule. */
typedef enum TlMapStatus {
  TL_MAP_OK = 0,
  TL_MAP_UNEVALUABLE, /* the map cannot be evaluated at `at` */
  TL_MAP_THREAD,      /* `at` goes to thread r[0], outside [0, T) */
  TL_MAP_LOCAL,       /* `at` goes to the negative local r[1] */
  TL_MAP_COLLISION,   /* `at` goes to (r[0], r[1]), which `other` holds */
  TL_MAP_SPARSE,      /* more (thread, local) slots than the caller allows */
  TL_MAP_PART,        /* a thread's part of a chunk breaks a rule */
  TL_MAP_NOT_AFFINE,  /* a chunk is not a + b * thread (nor the bit mode) */
} TlMapStatus;

/* One element: its thread, its local, its flat (row-major) index. */
typedef struct TlMapEntry {
  int64_t t, l, f;
} TlMapEntry;

/* A thread map evaluated at every element of a shape. */
typedef struct TlMapEval {
  intptr_t rank;
  int64_t shape[TL_MAP_MAX_RANK];
  int64_t T;
  int64_t n;        /* elements */
  TlMapEntry *e;    /* n entries, in flat order; after tlMapUnique sorted
                       by (thread, local, flat index) (malloc'd) */
  int64_t maxLocal; /* the largest local; -1 when there is no element */
  /* The first failure (status != TL_MAP_OK). */
  TlMapStatus status;
  int64_t at, other; /* flat indices */
  int64_t r[2];      /* (thread, local) the map gives at `at` */
} TlMapEval;

/// Evaluates `map` (rank dims, two results) at every coordinate of `shape`
/// (rank <= TL_MAP_MAX_RANK) for a block of T threads into *m; the status,
/// TL_MAP_UNEVALUABLE, TL_MAP_THREAD or TL_MAP_LOCAL at the first element
/// that fails. Free m->e with tlMapEvalFree in every case.
TlMapStatus tlMapEvaluate(MlirAffineMap map, const int64_t *shape,
                          intptr_t rank, int64_t T, TlMapEval *m);
/// Sorts m->e (once, after tlMapEvaluate returned TL_MAP_OK) by slot and
/// finds the first element (row-major) whose slot an earlier element holds:
/// TL_MAP_COLLISION (at, other = the slot's first element, r = the slot),
/// else TL_MAP_OK.
TlMapStatus tlMapUnique(TlMapEval *m);
/// The coordinate of flat index f of m's shape into c.
void tlMapCoord(const TlMapEval *m, int64_t f, int64_t *c);
/// Checks the form of the #tl.fragment_layout `layout`, attribute `name`
/// of `op`: its map takes `nDims` coordinates (no symbols) to (thread,
/// local), and replicate is 1. `dims` words the coordinates in the message
/// ("the fragment's %lld coordinates" reads `dims` = "the fragment's",
/// `unit` = "coordinates"). False after a located error.
bool tlMapCheckLayoutForm(MlirOperation op, const char *name,
                          MlirAttribute layout, intptr_t nDims,
                          const char *dims, const char *unit);

/// Row-major odometer over `shape` (n dims); false after the last.
bool tlMapNextCoord(int64_t *c, const int64_t *shape, intptr_t n);
/// Frees m->e.
void tlMapEvalFree(TlMapEval *m);

//===--------------------------------------------------------------------===//
// Reduction to chunks
//===--------------------------------------------------------------------===//

/* One chunk of v locals: flat tile index a + b * t for the threads t < n
   (n == 0: no thread holds it). */
typedef struct TlMapChunk {
  int64_t a, b, n;
} TlMapChunk;

/* A thread's part of a chunk, as the reduction found it (TL_MAP_PART). */
typedef struct TlMapPart {
  int64_t chunk, thread;
  int64_t present;    /* how many of the chunk's v locals the thread holds */
  bool holdsFirst;    /* whether it holds the chunk's first local */
  int64_t firstLater; /* !holdsFirst: the first j >= 1 whose local it holds */
  int64_t first;      /* holdsFirst: the flat index of the first local */
  bool broken;        /* holdsFirst: local j is not element first + j */
  bool crossesRow;    /* the v elements from `first` leave their row */
  bool misaligned;    /* first is not a multiple of v */
  bool notPrefix;     /* it holds some while a lower thread holds none */
  int64_t owners;     /* threads [0, owners) hold the whole chunk */
} TlMapPart;

/* A thread map reduced to chunks. */
typedef struct TlMapChunks {
  int64_t v, nChunks, slots; /* slots: nChunks * v * T */
  TlMapChunk *chunks;        /* nChunks (malloc'd; the caller frees it) */
  /* Bit mode: chunk c of thread t starts at a_c + g(t), g(t) the sum of
     gBit[i] over the set bits i of t (b unused). */
  bool bitMode;
  int nBits;
  int64_t gBit[32];
  /* The failure. TL_MAP_PART: `part`; TL_MAP_NOT_AFFINE: thread `thread`
     of chunk `chunk` holds element `got`, not a + b * thread = `expected`. */
  TlMapPart part;
  int64_t chunk, thread, got, expected;
} TlMapChunks;

/// Reduces m (evaluated, status TL_MAP_OK) to chunks of v locals, rows of
/// `rowLen` elements: TL_MAP_SPARSE when the slots (nChunks * v * T)
/// overflow or pass `maxSlots`; TL_MAP_COLLISION (in m) from tlMapUnique;
/// TL_MAP_PART unless every thread holds each chunk whole or not at all,
/// as v consecutive elements of one row starting at a multiple of v, the
/// holders being threads [0, n); TL_MAP_NOT_AFFINE when a chunk is not
/// a + b * thread: at once unless `bits`, else after every chunk when the
/// bit mode does not hold either. out->chunks may be allocated whatever
/// the status.
TlMapStatus tlMapReduce(TlMapEval *m, int64_t v, int64_t rowLen,
                        int64_t maxSlots, bool bits, TlMapChunks *out);

#endif
