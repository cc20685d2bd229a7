/* Internal: one side of a copy, as every copy pass reads it (design.md §2).
 *
 * A side is an operand of tl.copy (the source or the destination) or of
 * tl.c2d_im2col (the image or the column tile): a whole memref, or a
 * tl.region of one, with extents or without (a head address). tl-verify,
 * tl-legalize-regions, tl-infer-layouts and tl-lower-copy all read it the
 * same way, with tlCopySideRead: the buffer, its type, element, bits,
 * scope, shape, and the region's indices, extents and bounds_check. The
 * status says what is missing or malformed; each pass words its own error.
 *
 * A pass's own side (TlSide, TlSelSide, ...) extends TlCopySide with
 * TL_COPY_SIDE_EXTENDS: the core is its first member, `core`, and its
 * fields are also the pass side's own (s->rank is s->core.rank). */
#ifndef TL_PASSES_COPY_SIDE_H
#define TL_PASSES_COPY_SIDE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <mlir-c/IR.h>

#include "tl-c/Attributes.h"

/* The largest buffer rank a copy side may have. */
#define TL_SIDE_MAX_RANK 16

/* The fields of a side (see TlCopySide). */
#define TL_COPY_SIDE_FIELDS                                                    \
  const char *role;     /* "source", "destination", "image", "column tile" */  \
  MlirOperation region; /* the tl.region; null for a whole memref */           \
  MlirValue buffer;     /* the memref */                                       \
  MlirType type;        /* its type */                                         \
  MlirType elt;         /* its element type */                                 \
  int64_t bits;         /* element bits; 0 when it has no size in memory */    \
  int64_t storageBits;  /* bits in memory: a power of two >= 8 (index 64) */   \
  TlScope scope;        /* TlScopeInvalid for a memory space of no scope */    \
  intptr_t rank;                                                               \
  int64_t shape[TL_SIDE_MAX_RANK];                                             \
  bool hasExtents; /* a region with extents (not a whole memref) */            \
  /* a region's extents; a whole memref's shape; 0 for a head address */       \
  int64_t ext[TL_SIDE_MAX_RANK];                                               \
  MlirValue idx[TL_SIDE_MAX_RANK]; /* a region's indices; null if whole */     \
  bool check[TL_SIDE_MAX_RANK];    /* bounds_check, per dimension */

/* One operand of a copy, as written. */
typedef struct TlCopySide {
  TL_COPY_SIDE_FIELDS
} TlCopySide;

/* The first member of a pass's side: the core as `core`, and its fields by
   their own names (C11 anonymous members over one common layout). */
#define TL_COPY_SIDE_EXTENDS                                                   \
  union {                                                                      \
    TlCopySide core;                                                           \
    struct {                                                                   \
      TL_COPY_SIDE_FIELDS                                                      \
    };                                                                         \
  }

/* What tlCopySideRead found wrong, in the order it reads. */
typedef enum TlSideStatus {
  TlSideOk,
  TlSideNotBuffer,    /* neither a memref nor a !tl.buffer_region */
  TlSideNotRegion,    /* a !tl.buffer_region not made by tl.region */
  TlSideNotMemRef,    /* the region's buffer is not a memref */
  TlSideRankTooLarge, /* rank above TL_SIDE_MAX_RANK */
  TlSideIndexCount,   /* the region's index count is not the rank */
  TlSideExtentCount,  /* the region's extent count is not the rank */
  /* bounds_check is not array<i1> with one entry per dimension (the rest
     is read; passes that do not use bounds_check accept it) */
  TlSideBadBoundsCheck,
} TlSideStatus;

/// Reads operand `v` into *s (cleared first), `role` naming it; emits
/// nothing. Reading stops at the first problem, in TlSideStatus order:
/// after TlSideNotBuffer / TlSideNotRegion only role is set; after
/// TlSideNotMemRef also region, buffer, hasExtents and (when there is a
/// buffer) type; after TlSideRankTooLarge also elt, bits, storageBits,
/// scope and rank; after a count also shape; TlSideBadBoundsCheck reads
/// all but check (all false).
TlSideStatus tlCopySideRead(TlCopySide *s, const char *role, MlirValue v);
/// A shared region whose indices are constants except on its stage
/// dimensions (extent 1, ahead of the first non-unit extent; a pipeline's
/// dynamic stage, docs/tma.md "Stage slices"): *off is the constant
/// part of its start (elements, row-major `strides`), and each dynamic
/// index must be proven in bounds and have a stride (times `eb` bytes) that
/// is a multiple of `align` bytes, so the address stays aligned whatever
/// the stage. False with the reason in why (cap bytes).
bool tlSideStageOffset(const TlCopySide *s, const int64_t *strides, int64_t eb,
                       int64_t align, int64_t *off, char *why, size_t cap);
/// Bits of an element type; 0 when it has no fixed size in memory.
int64_t tlElementBits(MlirType t);
/// Whether tl moves elements of type t (docs/verify.md, element types):
/// signless i8..i64, index, f16, bf16, f32, f64 and the 8-bit floats.
bool tlElementTypeIsSupported(MlirType t);
/// Whether t is an 8-bit float (copied as bytes only).
bool tlIsF8(MlirType t);
/// Storage bits of an element type: a power of two >= 8; index is 64.
int64_t tlStorageBits(MlirType t);

#endif
