/*===-- tl-c/Ops.h - Building and inspecting tl ops ----------------*- C -*-===*\
|*                                                                            *|
|* Builders return a new operation that is not inserted anywhere: the caller  *|
|* owns it (insert it into a block, or mlirOperationDestroy it), as with      *|
|* mlirOperationCreate. A builder returns a null operation, after emitting an *|
|* error at `loc`, when a handle is null or an operand has the wrong kind.    *|
|* Builders check structure only; tl-verify checks the semantics.            *|
|* Inspectors take a borrowed operation; on an operation of another kind they *|
|* return a null value, 0, or the default documented with them.              *|
\*===----------------------------------------------------------------------===*/
#ifndef TL_C_OPS_H
#define TL_C_OPS_H

#include <stdint.h>

#include <mlir-c/IR.h>

#include "tl-c/Attributes.h"

#ifdef __cplusplus
extern "C" {
#endif

//===--------------------------------------------------------------------===//
// tl.region
//===--------------------------------------------------------------------===//

/// How a region is accessed: the `access` attribute of tl.region.
typedef enum TlAccess {
  TlAccessInvalid = 0,
  TlAccessRead = 1,
  TlAccessWrite = 2,
  TlAccessReadWrite = 3,
} TlAccess;

/// Creates %r = "tl.region"(%buffer, %indices...) {access, extents?}.
/// `buffer` must be a memref value and each index an `index` value. With
/// `extents` NULL (nExtents ignored) the op is a BufferLoad (head address or
/// scalar); otherwise `extents` (nExtents entries) is copied into the
/// `extents` attribute.
MlirOperation tlRegionOpCreate(MlirLocation loc, MlirValue buffer,
                               intptr_t nIndices, const MlirValue *indices,
                               TlAccess access, intptr_t nExtents,
                               const int64_t *extents);

/// Returns true if `op` is a tl.region.
bool tlOperationIsARegion(MlirOperation op);
/// The buffer operand (null value if not a tl.region).
MlirValue tlRegionOpGetBuffer(MlirOperation op);
/// Number of index operands, and the index at `pos` (null if out of range).
intptr_t tlRegionOpGetNumIndices(MlirOperation op);
MlirValue tlRegionOpGetIndex(MlirOperation op, intptr_t pos);
/// The access attribute; TlAccessInvalid if missing or out of range.
TlAccess tlRegionOpGetAccess(MlirOperation op);
/// True when the op has an `extents` attribute (a BufferRegion).
bool tlRegionOpHasExtents(MlirOperation op);
/// Number of extents (0 without the attribute) and the extent at `pos`
/// (0 if out of range).
intptr_t tlRegionOpGetNumExtents(MlirOperation op);
int64_t tlRegionOpGetExtent(MlirOperation op, intptr_t pos);
/// The !tl.buffer_region result.
MlirValue tlRegionOpGetResult(MlirOperation op);

//===--------------------------------------------------------------------===//
// tl.copy
//===--------------------------------------------------------------------===//

/// The eviction_policy attribute. TlEvictionDefault means "not set".
typedef enum TlEvictionPolicy {
  TlEvictionInvalid = -1,
  TlEvictionDefault = 0,
  TlEvictNormal = 1,
  TlEvictFirst = 2,
  TlEvictLast = 3,
} TlEvictionPolicy;

/// Returns "evict_normal", "evict_first", "evict_last", or NULL for
/// TlEvictionDefault and invalid values.
const char *tlEvictionPolicyGetName(TlEvictionPolicy policy);

/// The optional attributes of tl.copy. Unset fields are not written.
typedef struct TlCopyOptions {
  /// `coalesced_width` (i64); 0 means unset.
  int64_t coalescedWidth;
  /// `disable_tma` (unit attribute) when true.
  bool disableTma;
  /// `eviction_policy`; TlEvictionDefault means unset.
  TlEvictionPolicy evictionPolicy;
  /// `loop_layout` (#tl.fragment_layout); null means unset.
  MlirAttribute loopLayout;
  /// `annotations` (a dictionary attribute); null means unset.
  MlirAttribute annotations;
} TlCopyOptions;

/// Options with every field unset.
TlCopyOptions tlCopyOptionsGetDefault(void);

/// Creates "tl.copy"(%src, %dst) with the given options (NULL: none). Each
/// operand must be a memref or a !tl.buffer_region value.
MlirOperation tlCopyOpCreate(MlirLocation loc, MlirValue src, MlirValue dst,
                             const TlCopyOptions *options);

/// Returns true if `op` is a tl.copy (false for a tl.copy_async).
bool tlOperationIsACopy(MlirOperation op);
/// The source and destination of a tl.copy or a tl.copy_async (null value
/// for any other op).
MlirValue tlCopyOpGetSource(MlirOperation op);
MlirValue tlCopyOpGetDestination(MlirOperation op);

/// The effective options of a tl.copy or a tl.copy_async: the named
/// attributes, then every entry of `annotations` with the same name
/// overriding them (TileLang's rule). Values of the wrong kind read as unset
/// (tl-verify rejects them). Default options for any other op.
TlCopyOptions tlCopyOpGetOptions(MlirOperation op);

//===--------------------------------------------------------------------===//
// tl.copy_async and tl.wait (split-phase copies, design.md §3.1)
//===--------------------------------------------------------------------===//

/// Creates %t = "tl.copy_async"(%src, %dst) {options}: tl.copy's operands,
/// options and checks, with one !tl.token result (tlCopyAsyncOpGetToken).
/// The copy starts at the op and completes at the tl.wait of %t, which
/// must be a later op of the same block (tl-verify).
MlirOperation tlCopyAsyncOpCreate(MlirLocation loc, MlirValue src,
                                  MlirValue dst, const TlCopyOptions *options);

/// Returns true if `op` is a tl.copy_async. tlCopyOpGetSource,
/// tlCopyOpGetDestination and tlCopyOpGetOptions read it as a tl.copy.
bool tlOperationIsACopyAsync(MlirOperation op);
/// The !tl.token result (null value if not a tl.copy_async).
MlirValue tlCopyAsyncOpGetToken(MlirOperation op);

/// Creates "tl.wait"(%tokens...): completes the copies of its `n` tokens
/// (each a !tl.token value; n may be 0: a wait that does nothing).
/// `tokens` may be NULL when n is 0.
MlirOperation tlWaitOpCreate(MlirLocation loc, intptr_t n,
                             const MlirValue *tokens);

/// Returns true if `op` is a tl.wait.
bool tlOperationIsAWait(MlirOperation op);
/// Number of tokens (0 if not a tl.wait) and the token at `pos` (null if out
/// of range).
intptr_t tlWaitOpGetNumTokens(MlirOperation op);
MlirValue tlWaitOpGetToken(MlirOperation op, intptr_t pos);

/// The predicate of an asynchronous op (tl.copy_async or
/// tl.c2d_im2col_async): its i1 operand after the op's own, when false the
/// op touches no memory and its token still completes (design.md §3.1). A
/// null value when it has none or `op` is neither op.
MlirValue tlAsyncOpGetPredicate(MlirOperation op);
/// Sets (or, with a null value, removes) the predicate of an asynchronous
/// op. Returns false, changing nothing, when `op` is neither op or `pred`
/// is not an i1.
bool tlAsyncOpSetPredicate(MlirOperation op, MlirValue pred);

/// Creates %t = "tl.join"(%tokens...): one token completed when all `n`
/// (>= 1) tokens are; their copies share one barrier or group where they
/// can (design.md §3.1). A null op, after an error at `loc`, for n < 1.
MlirOperation tlJoinOpCreate(MlirLocation loc, intptr_t n,
                             const MlirValue *tokens);
/// Returns true if `op` is a tl.join.
bool tlOperationIsAJoin(MlirOperation op);

//===--------------------------------------------------------------------===//
// MMA interop: tl.fragment_read, tl.fragment_write, tl.wgmma_descriptor
//===--------------------------------------------------------------------===//

/// Creates %v = "tl.fragment_read"(%fragment) {offset}: this thread's locals
/// offset .. offset + n - 1 of a fragment (n: vectorType's element count),
/// in its layout's order. A null op, after an error at `loc`, when fragment
/// is not a #tl.fragment memref, vectorType not a vector (rank 1 to 8) of
/// its element type, or offset < 0 (that the run fits the layout's locals is checked by
/// tl-lower-copy).
MlirOperation tlFragmentReadOpCreate(MlirLocation loc, MlirValue fragment,
                                     int64_t offset, MlirType vectorType);
/// Creates "tl.fragment_write"(%fragment, %value) {offset}: sets them. A null
/// op, after an error at `loc`, as for tlFragmentReadOpCreate.
MlirOperation tlFragmentWriteOpCreate(MlirLocation loc, MlirValue fragment,
                                      int64_t offset, MlirValue value);
/// Returns true if `op` is a tl.fragment_read / a tl.fragment_write.
bool tlOperationIsAFragmentRead(MlirOperation op);
bool tlOperationIsAFragmentWrite(MlirOperation op);
/// The `offset` of a tl.fragment_read or tl.fragment_write; -1 for any other
/// op.
int64_t tlFragmentAccessOpGetOffset(MlirOperation op);

/// Creates %d = "tl.wgmma_descriptor"(%tile) : (...) -> i64: the 64-bit
/// wgmma matrix descriptor of a K-major shared tile, for
/// nvvm.wgmma.mma_async (docs/mma-interop.md). `tile` (borrowed) is a
/// workgroup memref (`#gpu.address_space<workgroup>`) or the result of a
/// tl.region of one with extents. A null op, after an error at `loc`, when
/// tile is null or from another context, neither a memref nor a tl.region
/// result, not in workgroup memory, a region without extents, or of rank < 2
/// (tl-verify's rules; the tile's swizzle and row width are checked by
/// tl-infer-layouts).
MlirOperation tlWgmmaDescriptorOpCreate(MlirLocation loc, MlirValue tile);
/// Returns true if `op` is a tl.wgmma_descriptor.
bool tlOperationIsAWgmmaDescriptor(MlirOperation op);

//===--------------------------------------------------------------------===//
// tl.c2d_im2col
//===--------------------------------------------------------------------===//

/// A (height, width) pair: square parameters have h == w.
typedef struct TlPair {
  int64_t h;
  int64_t w;
} TlPair;

/// Parameters of tl.c2d_im2col.
typedef struct TlIm2ColParams {
  TlPair kernel;
  TlPair stride;
  TlPair dilation;
  TlPair pad;
  /// TlEvictionDefault means unset.
  TlEvictionPolicy evictionPolicy;
} TlIm2ColParams;

/// Creates "tl.c2d_im2col"(%img, %col, %nhwStep, %cStep). Each parameter is
/// written as an i64 when h == w and as array<i64: h, w> otherwise.
/// `params` must not be NULL.
MlirOperation tlIm2ColOpCreate(MlirLocation loc, MlirValue img, MlirValue col,
                               MlirValue nhwStep, MlirValue cStep,
                               const TlIm2ColParams *params);

/// Creates %t = "tl.c2d_im2col_async"(%img, %col, %nhwStep, %cStep):
/// tl.c2d_im2col's operands, parameters and checks, with one !tl.token
/// result (tlIm2ColAsyncOpGetToken). The im2col starts at the op and
/// completes at the tl.wait of %t (design.md §3.1).
MlirOperation tlIm2ColAsyncOpCreate(MlirLocation loc, MlirValue img,
                                    MlirValue col, MlirValue nhwStep,
                                    MlirValue cStep,
                                    const TlIm2ColParams *params);

/// Returns true if `op` is a tl.c2d_im2col (not the async form).
bool tlOperationIsAIm2Col(MlirOperation op);
/// Returns true if `op` is a tl.c2d_im2col_async. The accessors below and
/// tlIm2ColOpGetParams read it as a tl.c2d_im2col.
bool tlOperationIsAnIm2ColAsync(MlirOperation op);
/// The !tl.token result (null value if not a tl.c2d_im2col_async).
MlirValue tlIm2ColAsyncOpGetToken(MlirOperation op);
MlirValue tlIm2ColOpGetImage(MlirOperation op);
MlirValue tlIm2ColOpGetColumn(MlirOperation op);
MlirValue tlIm2ColOpGetNHWStep(MlirOperation op);
MlirValue tlIm2ColOpGetCStep(MlirOperation op);

/// Reads the parameters; an attribute that is missing or of the wrong kind
/// reads as {0, 0}. Returns false (and fills what it can) in that case or
/// when `op` is neither a tl.c2d_im2col nor a tl.c2d_im2col_async.
bool tlIm2ColOpGetParams(MlirOperation op, TlIm2ColParams *params);

#ifdef __cplusplus
}
#endif

#endif /* TL_C_OPS_H */
