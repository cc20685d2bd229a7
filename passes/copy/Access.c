/* Accesses of one side of a copy (docs/lower-copy.md): indices, addresses
 * and pointers, loads and stores of 16-byte pieces and of whole chunks,
 * the inline-PTX accesses that carry an eviction qualifier, predication by
 * the region's bounds checks, element casts, and the swizzled indexing of
 * swizzled shared buffers (docs/tma.md). */
#include <stdlib.h>
#include <string.h>

#include <mlir-c/BuiltinAttributes.h>
#include <mlir-c/BuiltinTypes.h>
#include <mlir-c/Dialect/LLVM.h>

#include "Diag.h"
#include "IRBuild.h"
#include "Lower.h"
#include "Support.h"

static int64_t lowBit(int64_t x) {
  if (x < 0)
    x = -x;
  return x & -x;
}

static int64_t minI(int64_t a, int64_t b) { return a < b ? a : b; }

//===--------------------------------------------------------------------===//
// Swizzled shared buffers (docs/tma.md)
//===--------------------------------------------------------------------===//

MlirValue tlSwizzledIndex(TlBuild *b, MlirOperation at, const MlirValue *idx,
                          const int64_t *strides, intptr_t rank,
                          int64_t eltBytes, int64_t span) {
  MlirValue lin = tlCst(b, 0);
  for (intptr_t d = 0; d < rank; ++d)
    lin = tlAddV(b, at, lin, tlMulV(b, at, idx[d], tlCst(b, strides[d])));
  MlirValue o = tlMulV(b, at, lin, tlCst(b, eltBytes));
  MlirValue row = tlBinop(b, at, "arith.shrui", o, tlCst(b, 7));
  row = tlBinop(b, at, "arith.andi", row, tlCst(b, span / 16 - 1));
  MlirValue x = tlBinop(b, at, "arith.shli", row, tlCst(b, 4));
  MlirValue o2 = tlBinop(b, at, "arith.xori", o, x);
  return tlDivK(b, at, o2, eltBytes);
}

MlirValue tlFlatView(TlBuild *b, MlirOperation at, MlirValue buf) {
  MlirType t = mlirValueGetType(buf);
  intptr_t rank = mlirShapedTypeGetRank(t);
  int64_t n = 1;
  TlStr txt = {0};
  tlStrAppendf(&txt, "[[");
  for (intptr_t d = 0; d < rank; ++d) {
    n *= mlirShapedTypeGetDimSize(t, d);
    tlStrAppendf(&txt, d ? ", %lld" : "%lld", (long long)d);
  }
  tlStrAppendf(&txt, "]]");
  MlirType ft = mlirMemRefTypeGet(mlirShapedTypeGetElementType(t), 1, &n,
                                  (MlirAttribute){NULL},
                                  mlirMemRefTypeGetMemorySpace(t));
  MlirNamedAttribute re = tlNamed(
      b->ctx, "reassociation",
      mlirAttributeParseGet(b->ctx, mlirStringRefCreate(txt.data, txt.len)));
  tlStrFree(&txt);
  return tlRes0(tlMk(b, at, "memref.collapse_shape", 1, &buf, 1, &ft, 1, &re));
}

/* The swizzled element index of `idx` in a swizzled side's flat view. */
static MlirValue swizzledIndex(TlEmitter *e, MlirOperation at, TlSide *s,
                               const MlirValue *idx) {
  return tlSwizzledIndex(&e->b, at, idx, s->sstride, s->rank, s->bits / 8,
                         s->swz);
}

void tlPrepareSwizzle(TlEmitter *e, TlSide *s) {
  if (!s->swz || s->frag || !mlirValueIsNull(s->flat))
    return;
  s->flat = tlFlatView(&e->b, e->b.hoist, s->buffer);
}

//===--------------------------------------------------------------------===//
// Indices, addresses and pointers
//===--------------------------------------------------------------------===//

/* The indices of one side for base coordinates x (global/shared), or the
   chunk's first local (fragment). */
void tlSideIndices(TlEmitter *e, MlirOperation at, TlSide *s,
                   const MlirValue *x, MlirValue c, int64_t cc,
                   MlirValue *out) {
  if (s->frag) {
    out[0] = tlAffV(e, at, s->curFl, c, cc);
    return;
  }
  for (intptr_t d = 0; d < s->rank; ++d)
    out[d] = s->baseDim[d] >= 0 ? tlAddV(&e->b, at, s->idx[d], x[s->baseDim[d]])
                                : s->idx[d];
}

static MlirValue sideBuffer(const TlSide *s) {
  return s->frag ? s->frag->repl : s->buffer;
}

static intptr_t sideRank(const TlSide *s) { return s->frag ? 1 : s->rank; }

static intptr_t sideVecDim(const TlSide *s) { return s->frag ? 0 : s->vecDim; }

/* The address of idx in a global (space 1) or shared (space 3) buffer;
   with `pred` (in bounds) an out-of-bounds index gives the buffer start. */
MlirValue tlPointerTo(TlEmitter *e, MlirOperation at, TlSide *s,
                      const MlirValue *idx, unsigned space, MlirValue pred) {
  MlirValue addr;
  int64_t eb = s->bits / 8;
  if (s->swz) {
    addr = tlAddV(
        &e->b, at, s->ptr,
        tlMulV(&e->b, at, swizzledIndex(e, at, s, idx), tlCst(&e->b, eb)));
  } else {
    MlirValue lin = s->offsetV;
    for (intptr_t d = 0; d < s->rank; ++d)
      lin = tlAddV(&e->b, at, lin, tlMulV(&e->b, at, idx[d], s->strideV[d]));
    addr = tlAddV(&e->b, at, s->ptr, tlMulV(&e->b, at, lin, tlCst(&e->b, eb)));
  }
  if (!mlirValueIsNull(pred)) {
    MlirValue ops[3] = {pred, addr, s->ptr};
    MlirType index = tlIndexTy(&e->b);
    addr = tlRes0(tlMk(&e->b, at, "arith.select", 3, ops, 1, &index, 0, NULL));
  }
  if (space == 3)
    return tlIndexToPtr(&e->b, at, addr, 3);
  /* A generic pointer, converted to the global space as LLVM does for its
     own global accesses (cvta.to.global). */
  return tlIndexToSpacePtr(&e->b, at, addr, space);
}

/* A stage slice (tlSideStageOffset): the buffer's address `base` plus
   index * stride bytes of each dynamic index; `base` itself when every
   index is a constant (those are the caller's constant offset). */
MlirValue tlStageBase(TlEmitter *e, MlirOperation at, const TlSide *s,
                      MlirValue base) {
  int64_t k, eb = s->bits / 8;
  for (intptr_t d = 0; d < s->rank; ++d)
    if (!tlGetConstantIndex(s->idx[d], &k))
      base = tlAddV(&e->b, at, base,
                    tlMulV(&e->b, at, s->idx[d],
                           tlCst(&e->b, s->sstride[d] * eb)));
  return base;
}

/* Per-copy values before the copy: the thread id, dimension sizes for
   bounds checks, pointers and strides for inline PTX. */
void tlPrepareSide(TlEmitter *e, TlSide *s) {
  MlirType index = tlIndexTy(&e->b);
  for (intptr_t d = 0; d < s->rank; ++d) {
    if (!s->check[d])
      continue;
    if (!mlirShapedTypeIsDynamicSize(s->shape[d])) {
      s->dimV[d] = tlCst(&e->b, s->shape[d]);
    } else {
      MlirValue ops[2] = {s->buffer, tlCst(&e->b, d)};
      s->dimV[d] = tlRes0(
          tlMk(&e->b, e->b.hoist, "memref.dim", 2, ops, 1, &index, 0, NULL));
    }
  }
  if (!s->evict && !s->addr)
    return;
  s->ptr =
      tlRes0(tlMk(&e->b, e->b.hoist, "memref.extract_aligned_pointer_as_index",
                  1, &s->buffer, 1, &index, 0, NULL));
  int64_t strides[MAX_RANK], offset;
  bool isStatic = mlirLogicalResultIsSuccess(
      mlirMemRefTypeGetStridesAndOffset(s->type, strides, &offset));
  for (intptr_t d = 0; isStatic && d < s->rank; ++d)
    isStatic = !mlirShapedTypeIsDynamicStrideOrOffset(strides[d]);
  isStatic = isStatic && !mlirShapedTypeIsDynamicStrideOrOffset(offset);
  if (isStatic) {
    s->offsetV = tlCst(&e->b, offset);
    for (intptr_t d = 0; d < s->rank; ++d)
      s->strideV[d] = tlCst(&e->b, strides[d]);
    return;
  }
  /* Dynamic strides or offset: read them from the descriptor. */
  MlirType types[2 + 2 * MAX_RANK];
  types[0] = mlirMemRefTypeContiguousGet(s->elt, 0, NULL,
                                         mlirMemRefTypeGetMemorySpace(s->type));
  for (intptr_t i = 1; i < 2 + 2 * s->rank; ++i)
    types[i] = index;
  MlirOperation md = tlMk(&e->b, e->b.hoist, "memref.extract_strided_metadata",
                          1, &s->buffer, 2 + 2 * s->rank, types, 0, NULL);
  s->offsetV = mlirOperationGetResult(md, 1);
  for (intptr_t d = 0; d < s->rank; ++d)
    s->strideV[d] = mlirOperationGetResult(md, 2 + s->rank + d);
}

//===--------------------------------------------------------------------===//
// Inline PTX with an eviction qualifier
//===--------------------------------------------------------------------===//

/* How n elements travel through PTX registers. */
typedef struct Regs {
  int k;           /* registers */
  int rw;          /* register bits */
  const char *ty;  /* PTX type */
  const char *con; /* constraint letter */
} Regs;

static Regs regsFor(const TlSide *s, int64_t n) {
  int64_t bytes = n * s->bits / 8;
  if (bytes == 1)
    return (Regs){1, 16, "b8", "h"};
  if (bytes == 2)
    return (Regs){1, 16, "b16", "h"};
  if (bytes == 8 && n == 1)
    return (Regs){1, 64, "b64", "l"};
  return (Regs){(int)(bytes / 4), 32, "b32", "r"};
}

static const char *policyQualifier(const TlLower *c) {
  if (c->legacyEvict)
    return ".cs";
  return c->policy == TlEvictFirst ? ".L1::evict_first" : ".L1::evict_last";
}

/* ld.global.L1::evict_* of n elements at idx. */
static MlirValue asmLoad(TlEmitter *e, MlirOperation at, TlSide *s,
                         const MlirValue *idx, int64_t n) {
  Regs r = regsFor(s, n);
  MlirValue ptr = tlPointerTo(e, at, s, idx, 1, (MlirValue){NULL});
  TlStr text = {0}, cons = {0};
  tlStrAppendf(&text, "ld.global%s%s.%s ", policyQualifier(e->c),
               r.k > 1 ? (r.k == 4 ? ".v4" : ".v2") : "", r.ty);
  if (r.k > 1)
    tlStrAppend(&text, "{", 1);
  for (int i = 0; i < r.k; ++i) {
    tlStrAppendf(&text, i ? ", $%d" : "$%d", i);
    tlStrAppendf(&cons, "=%s,", r.con);
  }
  if (r.k > 1)
    tlStrAppend(&text, "}", 1);
  tlStrAppendf(&text, ", [$%d];", r.k);
  tlStrAppend(&cons, "l", 1);
  MlirType regTy = mlirIntegerTypeGet(e->b.ctx, (unsigned)r.rw);
  MlirType resTy = regTy;
  if (r.k > 1) {
    MlirType f[4] = {regTy, regTy, regTy, regTy};
    resTy = mlirLLVMStructTypeLiteralGet(e->b.ctx, r.k, f, false);
  }
  MlirValue out =
      tlInlineAsm(&e->b, at, tlStrGet(&text), tlStrGet(&cons), 1, &ptr, &resTy);
  tlStrFree(&text);
  tlStrFree(&cons);
  MlirValue regs[4];
  if (r.k == 1) {
    regs[0] = out;
  } else {
    for (int i = 0; i < r.k; ++i) {
      MlirNamedAttribute p =
          tlNamed(e->b.ctx, "position",
                  mlirDenseI64ArrayGet(e->b.ctx, 1, (int64_t[]){i}));
      regs[i] = tlRes0(
          tlMk(&e->b, at, "llvm.extractvalue", 1, &out, 1, &regTy, 1, &p));
    }
  }
  if (n == 1) {
    MlirValue v = regs[0];
    if (s->bits < r.rw) {
      MlirType it = mlirIntegerTypeGet(e->b.ctx, (unsigned)s->bits);
      v = tlRes0(tlMk(&e->b, at, "arith.trunci", 1, &v, 1, &it, 0, NULL));
    }
    if (!mlirTypeEqual(mlirValueGetType(v), s->elt))
      v = tlRes0(tlMk(&e->b, at, "arith.bitcast", 1, &v, 1, &s->elt, 0, NULL));
    return v;
  }
  int64_t k = r.k;
  MlirType vecRegs = mlirVectorTypeGet(1, &k, regTy);
  MlirValue vec = tlRes0(
      tlMk(&e->b, at, "vector.from_elements", r.k, regs, 1, &vecRegs, 0, NULL));
  MlirType dt = tlDataType(s->elt, n);
  return tlRes0(tlMk(&e->b, at, "vector.bitcast", 1, &vec, 1, &dt, 0, NULL));
}

/* st.global.L1::evict_* of a value of n elements at idx. */
static void asmStore(TlEmitter *e, MlirOperation at, TlSide *s,
                     const MlirValue *idx, MlirValue val, int64_t n) {
  Regs r = regsFor(s, n);
  MlirType regTy = mlirIntegerTypeGet(e->b.ctx, (unsigned)r.rw);
  MlirValue ops[5];
  if (n == 1) {
    MlirValue v = val;
    MlirType it = mlirIntegerTypeGet(e->b.ctx, (unsigned)s->bits);
    if (!mlirTypeEqual(s->elt, it))
      v = tlRes0(tlMk(&e->b, at, "arith.bitcast", 1, &v, 1, &it, 0, NULL));
    if (s->bits < r.rw)
      v = tlRes0(tlMk(&e->b, at, "arith.extui", 1, &v, 1, &regTy, 0, NULL));
    ops[1] = v;
  } else {
    int64_t k = r.k;
    MlirType vecRegs = mlirVectorTypeGet(1, &k, regTy);
    MlirValue vec = tlRes0(
        tlMk(&e->b, at, "vector.bitcast", 1, &val, 1, &vecRegs, 0, NULL));
    for (int i = 0; i < r.k; ++i) {
      MlirNamedAttribute p =
          tlNamed(e->b.ctx, "static_position",
                  mlirDenseI64ArrayGet(e->b.ctx, 1, (int64_t[]){i}));
      ops[1 + i] =
          tlRes0(tlMk(&e->b, at, "vector.extract", 1, &vec, 1, &regTy, 1, &p));
    }
  }
  ops[0] = tlPointerTo(e, at, s, idx, 1, (MlirValue){NULL});
  TlStr text = {0}, cons = {0};
  tlStrAppendf(&text, "st.global%s%s.%s [$0], ", policyQualifier(e->c),
               r.k > 1 ? (r.k == 4 ? ".v4" : ".v2") : "", r.ty);
  tlStrAppend(&cons, "l", 1);
  if (r.k > 1)
    tlStrAppend(&text, "{", 1);
  for (int i = 0; i < r.k; ++i) {
    tlStrAppendf(&text, i ? ", $%d" : "$%d", i + 1);
    tlStrAppendf(&cons, ",%s", r.con);
  }
  if (r.k > 1)
    tlStrAppend(&text, "}", 1);
  tlStrAppend(&text, ";", 1);
  tlInlineAsm(&e->b, at, tlStrGet(&text), tlStrGet(&cons), 1 + r.k, ops, NULL);
  tlStrFree(&text);
  tlStrFree(&cons);
}

//===--------------------------------------------------------------------===//
// Pieces and chunks
//===--------------------------------------------------------------------===//

/* Elements per access: at most 16 bytes. */
static int64_t pieceElts(const TlSide *s, int64_t n) {
  int64_t eb = s->bits / 8;
  if (s->bits % 8 != 0 || n * eb <= MAX_ACCESS_BYTES)
    return n;
  return MAX_ACCESS_BYTES / eb;
}

/* Alignment (bytes) of an access of n elements: the access size for global
   and shared buffers (tl-infer-layouts' vector width guarantees it), and
   what the local index proves for private arrays (aligned to 16). */
static int64_t alignmentOf(const TlSide *s, int64_t n) {
  if (s->bits % 8 != 0)
    return 1; /* sub-byte elements (i1): no claim */
  int64_t eb = s->bits / 8, al = n * eb;
  if (s->frag) {
    if (s->curFl.base)
      al = minI(al, lowBit(s->curFl.base * eb));
    if (s->curFl.step)
      al = minI(al, lowBit(s->curFl.step * eb));
    al = minI(al, MAX_ACCESS_BYTES);
  }
  return al;
}

static MlirValue loadPiece(TlEmitter *e, MlirOperation at, TlSide *s,
                           const MlirValue *idx, int64_t n) {
  if (s->evict)
    return asmLoad(e, at, s, idx, n);
  intptr_t rank = sideRank(s);
  MlirValue ops[MAX_RANK + 1];
  ops[0] = sideBuffer(s);
  memcpy(ops + 1, idx, sizeof(MlirValue) * (size_t)rank);
  if (s->swz && !s->frag) {
    ops[0] = s->flat;
    ops[1] = swizzledIndex(e, at, s, idx);
    rank = 1;
  }
  MlirType t = tlDataType(s->elt, n);
  if (n == 1)
    return tlRes0(
        tlMk(&e->b, at, "memref.load", 1 + rank, ops, 1, &t, 0, NULL));
  MlirNamedAttribute al =
      tlNamed(e->b.ctx, "alignment", tlI64Attr(&e->b, alignmentOf(s, n)));
  return tlRes0(tlMk(&e->b, at, "vector.load", 1 + rank, ops, 1, &t, 1, &al));
}

static void storePiece(TlEmitter *e, MlirOperation at, TlSide *s,
                       const MlirValue *idx, MlirValue val, int64_t n) {
  if (s->evict) {
    asmStore(e, at, s, idx, val, n);
    return;
  }
  intptr_t rank = sideRank(s);
  MlirValue ops[MAX_RANK + 2];
  ops[0] = val;
  ops[1] = sideBuffer(s);
  memcpy(ops + 2, idx, sizeof(MlirValue) * (size_t)rank);
  if (s->swz && !s->frag) {
    ops[1] = s->flat;
    ops[2] = swizzledIndex(e, at, s, idx);
    rank = 1;
  }
  if (n == 1) {
    tlMk(&e->b, at, "memref.store", 2 + rank, ops, 0, NULL, 0, NULL);
    return;
  }
  MlirNamedAttribute al =
      tlNamed(e->b.ctx, "alignment", tlI64Attr(&e->b, alignmentOf(s, n)));
  tlMk(&e->b, at, "vector.store", 2 + rank, ops, 0, NULL, 1, &al);
}

/* vector.shuffle %a, %b with mask [first, first + n): a slice of a (b = a)
   or the concatenation of a and b. Upstream lowers shuffles to LLVM
   directly (extract/insert_strided_slice need extra vector patterns). */
static MlirValue shuffle(TlEmitter *e, MlirOperation at, MlirValue a,
                         MlirValue b, int64_t first, int64_t n) {
  int64_t *mask = tlXmalloc(sizeof(int64_t) * (size_t)n);
  for (int64_t i = 0; i < n; ++i)
    mask[i] = first + i;
  MlirType elt = mlirShapedTypeGetElementType(mlirValueGetType(a));
  MlirType t = mlirVectorTypeGet(1, &n, elt);
  MlirValue ops[2] = {a, b};
  MlirNamedAttribute m =
      tlNamed(e->b.ctx, "mask", mlirDenseI64ArrayGet(e->b.ctx, n, mask));
  free(mask);
  return tlRes0(tlMk(&e->b, at, "vector.shuffle", 2, ops, 1, &t, 1, &m));
}

/* n elements at idx (n consecutive along the vector dimension), as one
   value: 16-byte pieces concatenated. */
static MlirValue loadChunk(TlEmitter *e, MlirOperation at, TlSide *s,
                           const MlirValue *idx, int64_t n) {
  int64_t pe = pieceElts(s, n);
  if (pe == n)
    return loadPiece(e, at, s, idx, n);
  intptr_t vd = sideVecDim(s);
  MlirValue pidx[MAX_RANK], acc = {NULL};
  memcpy(pidx, idx, sizeof(MlirValue) * (size_t)sideRank(s));
  for (int64_t p = 0; p < n / pe; ++p) {
    pidx[vd] = tlAddV(&e->b, at, idx[vd], tlCst(&e->b, p * pe));
    MlirValue piece = loadPiece(e, at, s, pidx, pe);
    acc = p == 0 ? piece : shuffle(e, at, acc, piece, 0, (p + 1) * pe);
  }
  return acc;
}

static void storeChunk(TlEmitter *e, MlirOperation at, TlSide *s,
                       const MlirValue *idx, MlirValue val, int64_t n) {
  int64_t pe = pieceElts(s, n);
  if (pe == n) {
    storePiece(e, at, s, idx, val, n);
    return;
  }
  intptr_t vd = sideVecDim(s);
  MlirValue pidx[MAX_RANK];
  memcpy(pidx, idx, sizeof(MlirValue) * (size_t)sideRank(s));
  for (int64_t p = 0; p < n / pe; ++p) {
    pidx[vd] = tlAddV(&e->b, at, idx[vd], tlCst(&e->b, p * pe));
    storePiece(e, at, s, pidx, shuffle(e, at, val, val, p * pe, pe), pe);
  }
}

//===--------------------------------------------------------------------===//
// Predication and casts
//===--------------------------------------------------------------------===//

/* The conjunction of `index < dim` over the side's checked dimensions, or
   null when none is checked. */
MlirValue tlInBounds(TlEmitter *e, MlirOperation at, TlSide *s,
                          const MlirValue *idx) {
  MlirValue pred = {NULL};
  for (intptr_t d = 0; d < s->rank; ++d) {
    if (!s->check[d])
      continue;
    MlirValue p = tlCmp(&e->b, at, TlCmpUlt, idx[d], s->dimV[d]);
    if (mlirValueIsNull(pred)) {
      pred = p;
    } else {
      MlirValue ops[2] = {pred, p};
      MlirType i1 = mlirIntegerTypeGet(e->b.ctx, 1);
      pred = tlRes0(tlMk(&e->b, at, "arith.andi", 2, ops, 1, &i1, 0, NULL));
    }
  }
  return pred;
}

MlirValue tlReadChunk(TlEmitter *e, MlirOperation at, TlSide *s,
                           const MlirValue *idx, int64_t n) {
  MlirValue pred = s->frag ? (MlirValue){NULL} : tlInBounds(e, at, s, idx);
  if (mlirValueIsNull(pred))
    return loadChunk(e, at, s, idx, n);
  MlirType t = tlDataType(s->elt, n);
  MlirOperation thenY, elseY;
  MlirOperation ifOp =
      tlBuildIfBefore(at, e->b.loc, pred, 1, &t, &thenY, &elseY);
  MlirValue v = loadChunk(e, thenY, s, idx, n);
  mlirOperationSetOperands(thenY, 1, &v);
  MlirValue safe = tlSplat(e, t, e->c->safe);
  mlirOperationSetOperands(elseY, 1, &safe);
  return tlRes0(ifOp);
}

void tlWriteChunk(TlEmitter *e, MlirOperation at, TlSide *s,
                       const MlirValue *idx, MlirValue val, int64_t n) {
  MlirValue pred = s->frag ? (MlirValue){NULL} : tlInBounds(e, at, s, idx);
  if (!mlirValueIsNull(pred))
    tlBuildIfBefore(at, e->b.loc, pred, 0, NULL, &at, NULL);
  storeChunk(e, at, s, idx, val, n);
}

MlirValue tlCastTo(TlEmitter *e, MlirOperation at, MlirValue v, MlirType to) {
  MlirValue r = tlBuildCast(at, e->b.loc, v, to);
  if (mlirValueIsNull(r) && !e->failed) {
    char *a = tlTypeText(mlirValueGetType(v)), *b = tlTypeText(to);
    tlOpError(e->c->op, "cannot cast %s to %s", a, b);
    free(a);
    free(b);
    e->failed = true;
  }
  return r;
}
