/* Internal: the model of one tl.c2d_im2col being lowered by tl-lower-im2col
 * (docs/im2col.md), shared by the pass (LowerIm2Col.c), the reading of the
 * op (copy/Im2ColPlan.c) and the two emissions: inst/SimtIm2Col.c (per
 * thread vector accesses following the thread map) and inst/TmaIm2Col.c
 * (one TMA im2col load per tile, issued and completed on the function's
 * mbarrier, copy/Mbarrier.h).
 *
 * The col tile (BM, BK) lives in shared memory: a memref, or a tl.region of
 * one with two extents (the tile then starts at the region's indices), or
 * a tl.region of one stage of a multi-buffered tile (a buffer of rank > 2:
 * extent 1 in each leading "stage" dimension, whose index may be dynamic,
 * (BM, BK) the last two; tl-pipeline's N-way buffers). Row
 * i of the tile is m = nhw_step*BM + i over N*OH*OW as (n, oh, ow); column
 * j is k = c_step*BK + j over KH*KW*C as (kh, kw, c), c fastest. */
#ifndef TL_PASSES_COPY_IM2COL_H
#define TL_PASSES_COPY_IM2COL_H

#include <stdbool.h>
#include <stdint.h>

#include <mlir-c/IR.h>

#include "Fold.h"
#include "MapEval.h"
#include "Mbarrier.h"
#include "TensorMap.h"
#include "tl-c/Ops.h"

/* Upper bound on (threads x locals) slots of the evaluated thread map. */
#define TL_IM2COL_MAX_MAP_SLOTS ((int64_t)1 << 24)
/* The largest col buffer rank (a stage of a multi-buffered tile). */
#define TL_IM2COL_MAX_COL_RANK 16
/* The largest kernel, stride, dilation and pad entry (tl-verify's rule):
   2P - D(K-1) - 1 and K_h * K_w then stay far inside 64 bits, also for a
   dynamic H or W, whose output size is computed at run time. */
#define TL_IM2COL_MAX_PARAM 65536
/* Accesses wider than 16 bytes are split into at most this many pieces. */
#define TL_IM2COL_MAX_PIECES 16

//===----------------------------------------------------------------------===//
// The op
//===----------------------------------------------------------------------===//

/// One chunk of v locals of the thread map: flat tile index a + b*t for the
/// threads t < n (n == 0: no thread holds it); copy/MapEval.h.
typedef TlMapChunk TlIm2ColChunk;

/// One tl.c2d_im2col, as read by copy/Im2ColPlan.c.
typedef struct TlIm2Col {
  MlirOperation op;
  MlirLocation loc;
  TlIm2ColParams p;
  int64_t v;             /* vector_width (SIMT) */
  int64_t dimX, dimY, T; /* known_block_size x, y and the thread count */
  MlirValue img;
  MlirType imgType, elt;
  int64_t imgDim[4]; /* N, H, W, C; dynamic as ShapedType says */
  MlirValue colBuf;
  MlirOperation colRegion; /* null for a whole memref */
  intptr_t colRank;        /* the col buffer's: 2, or more for a stage */
  int64_t BM, BK;
  int64_t eltBits;       /* 0 for index (and non-numeric) elements */
  TlIm2ColChunk *chunks; /* SIMT: the evaluated thread map (malloc'd) */
  int64_t nChunks;       /* chunk slots (some may have n == 0) */
  TlTensorMapDesc desc;  /* TMA: the tensor map (tlTmaIm2ColRead) */
} TlIm2Col;

/// The block (X, Y, Z) of x (known_block_size).
static inline void tlIm2ColBlock(const TlIm2Col *x, int64_t xyz[3]) {
  xyz[0] = x->dimX;
  xyz[1] = x->dimY;
  xyz[2] = x->T / (x->dimX * x->dimY);
}

/// The col region's index of tile dimension d (0: rows, 1: columns): its
/// index colRank - 2 + d (x->colRegion must be set).
static inline MlirValue tlIm2ColTileIndex(const TlIm2Col *x, int d) {
  return tlRegionOpGetIndex(x->colRegion, x->colRank - 2 + d);
}

/// The output size along one axis, (size + 2P - D(K-1) - 1) / S + 1
/// (design.md §3); 0 when the dilated kernel does not fit the padded input.
int64_t tlIm2ColOutSize(int64_t size, int64_t k, int64_t s, int64_t p,
                        int64_t d);

/// Reads what every lowering needs: the kernel/stride/dilation/pad, the
/// enclosing gpu.func's known_block_size, the img and col operands (col's
/// tile (BM, BK) static and inside its buffer) and the element width.
/// False after a located error on the op.
bool tlIm2ColRead(TlIm2Col *x);

/// What the SIMT lowering needs besides: `vector_width` (and that it fits
/// the element type, BK, C and both sides' layouts) and the thread map,
/// evaluated at compile time into x->chunks. False after a located error
/// (x->chunks may be allocated then: the caller frees it).
bool tlIm2ColReadSimt(TlIm2Col *x);

//===----------------------------------------------------------------------===//
// Emission
//===----------------------------------------------------------------------===//

/* The emissions are rows of the instruction table (inst/Inst.h): simt's
   `im2col` lowering (inst/SimtIm2Col.c: the chunks' loads and stores
   before the op) and tma_im2col's (inst/TmaIm2Col.c: the descriptor read,
   then the load issued on the function's mbarrier set, found or made at
   its entry, and completed by tlWaitMbarrier in the tile guard). They
   build with the emitter's builder, constants TlConstsGrouped. */

/// Raises the llvm.align of x's col buffer to at least `bytes` when it is
/// a workgroup attribution of its gpu.func (tl-infer-layouts sets it; this
/// only ever raises it). Other shared buffers (dynamic shared memory views)
/// are trusted.
void tlIm2ColEnsureColAlignment(TlBuild *b, TlIm2Col *x, int64_t bytes);

//===----------------------------------------------------------------------===//
// SIMT: values shared by the chunks
//===----------------------------------------------------------------------===//

/// Values shared by every chunk, built before the op.
typedef struct TlIm2ColCommon {
  MlirValue tid;
  MlirValue N, H, W, C, OH, OW, M, K;
  MlirValue nhwBase, cBase;
  MlirValue colRow, colCol; /* the col tile's origin in its buffer */
  int64_t pieceWidth, nPieces, alignment;
  MlirType pieceType; /* vector<w x elt>, or elt when v == 1 */
  MlirValue zero;
  /* Whether the tile starts inside the column matrix (row nhw_step*BM <
     N*OH*OW and column c_step*BK < KH*KW*C): only then is it written. */
  MlirValue tileOk;
  /* A swizzled col buffer (tl.swizzle, bytes; 0: none): its flat view and
     row-major element strides, the stores' indices swizzled. */
  int64_t swz;
  MlirValue flat;
  int64_t colStride[TL_IM2COL_MAX_COL_RANK];
  /* Per distinct b: b*tid, (b*tid)/BK, (b*tid)%BK. */
  int64_t bKey[64];
  MlirValue bt[64], bq[64], br[64];
  int nB;
} TlIm2ColCommon;

/// The image coordinates of tile row m and column k; `inside` (null:
/// always) says 0 <= h < H and 0 <= w < W.
typedef struct TlIm2ColPixel {
  MlirValue n, h, w, c, inside;
} TlIm2ColPixel;

#endif
