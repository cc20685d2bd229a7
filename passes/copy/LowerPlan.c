/* Reading a tl.copy for tl-lower-copy (docs/lower-copy.md): the small
 * shared utilities of the lowering model, the two sides of a copy (read by
 * copy/Side.h; then base dimensions, swizzle, fragment), the attributes every
 * instruction shares (inst, base_shape, options, eviction policy), and the
 * vector width and thread map of the thread-mapped instructions. What is
 * particular to one instruction is read by its row of the instruction
 * table (passes/inst/). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mlir-c/BuiltinAttributes.h>
#include <mlir-c/BuiltinTypes.h>

#include "AffineEval.h"
#include "Diag.h"
#include "IRBuild.h"
#include "Lower.h"
#include "Support.h"
#include "Target.h"

//===--------------------------------------------------------------------===//
// Small utilities
//===--------------------------------------------------------------------===//

void *tlXmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p)
    abort();
  return p;
}

/* Printed forms for messages; the caller frees them. */
char *tlTypeText(MlirType t) {
  TlStr s = {0};
  tlStrAppendType(&s, t);
  if (!s.data)
    tlStrAppend(&s, "", 0);
  return s.data;
}

char *tlAttrText(MlirAttribute a) {
  TlStr s = {0};
  tlStrAppendAttr(&s, a);
  if (!s.data)
    tlStrAppend(&s, "", 0);
  return s.data;
}

char *tlCoordText(const int64_t *x, intptr_t n) {
  TlStr s = {0};
  tlStrAppend(&s, "(", 1);
  for (intptr_t i = 0; i < n; ++i)
    tlStrAppendf(&s, i ? ", %lld" : "%lld", (long long)x[i]);
  tlStrAppend(&s, ")", 1);
  return s.data;
}

/* The enclosing gpu.func / func.func of `op`, or null. */
MlirOperation tlEnclosingFunc(MlirOperation op) {
  for (MlirOperation p = mlirOperationGetParentOperation(op);
       !mlirOperationIsNull(p); p = mlirOperationGetParentOperation(p))
    if (tlOpIsNamed(p, "gpu.func") || tlOpIsNamed(p, "func.func"))
      return p;
  return (MlirOperation){NULL};
}

/* known_block_size of the enclosing gpu.func into xyz; false when absent. */
bool tlBlockSize(MlirOperation op, int64_t xyz[3]) {
  MlirOperation f = tlEnclosingFunc(op);
  if (mlirOperationIsNull(f))
    return false;
  MlirAttribute a = tlGetAttr(f, "known_block_size");
  if (mlirAttributeIsNull(a) || !mlirAttributeIsADenseI32Array(a) ||
      mlirDenseArrayGetNumElements(a) != 3)
    return false;
  for (int i = 0; i < 3; ++i) {
    xyz[i] = mlirDenseI32ArrayGetElement(a, i);
    if (xyz[i] <= 0)
      return false;
  }
  return true;
}

/* Whether every NVVM target of the enclosing gpu.module accepts the
   `.L1::evict_*` qualifiers: sm_70 or later and PTX ISA 7.4 or later (a
   `+ptxNN` feature, or else the chip's minimum PTX version, which is >= 7.4
   from sm_87 on). A module without targets gets them (the pipeline picks
   the chip; design.md's default is sm_90a). */
static bool evictionQualifiersSupported(MlirOperation op) {
  intptr_t n = tlModuleTargets(op, NULL, 0);
  TlTarget *t = tlXmalloc(sizeof(TlTarget) * (size_t)n);
  tlModuleTargets(op, t, n);
  bool ok = true;
  for (intptr_t i = 0; ok && i < n; ++i) {
    /* An unparsable chip counts as NVVMTargetAttr's default, sm_50. */
    int sm = t[i].sm < 0 ? 50 : t[i].sm;
    int ptx = t[i].ptx ? t[i].ptx : sm >= 87 ? 74 : 70;
    ok = sm >= 70 && ptx >= 74;
  }
  free(t);
  return ok;
}

/* Row-major odometer over `shape` (n dims); false after the last. */
int64_t tlProduct(const int64_t *shape, intptr_t n, bool *overflow) {
  int64_t p = 1;
  for (intptr_t i = 0; i < n; ++i)
    if (__builtin_mul_overflow(p, shape[i], &p) || p > MAX_ELEMENTS) {
      *overflow = true;
      return 0;
    }
  return p;
}

//===--------------------------------------------------------------------===//
// Sides
//===--------------------------------------------------------------------===//

int64_t tlWorkgroupSwizzle(MlirValue buf) {
  if (!mlirValueIsABlockArgument(buf))
    return 0;
  MlirBlock block = mlirBlockArgumentGetOwner(buf);
  MlirOperation f = mlirBlockGetParentOperation(block);
  if (mlirOperationIsNull(f) || !tlOpIsNamed(f, "gpu.func") ||
      !mlirBlockEqual(block,
                      mlirRegionGetFirstBlock(mlirOperationGetRegion(f, 0))))
    return 0;
  MlirAttribute ft = tlGetAttr(f, "function_type");
  MlirAttribute arr = tlGetAttr(f, "workgroup_attrib_attrs");
  if (mlirAttributeIsNull(ft) || mlirAttributeIsNull(arr) ||
      !mlirAttributeIsAArray(arr))
    return 0;
  intptr_t i = mlirBlockArgumentGetArgNumber(buf) -
               mlirFunctionTypeGetNumInputs(mlirTypeAttrGetValue(ft));
  if (i < 0 || i >= mlirArrayAttrGetNumElements(arr))
    return 0;
  MlirAttribute d = mlirArrayAttrGetElement(arr, i);
  if (!mlirAttributeIsADictionary(d))
    return 0;
  MlirAttribute s = mlirDictionaryAttrGetElementByName(
      d, mlirStringRefCreateFromCString(TL_ATTR_SWIZZLE));
  return !mlirAttributeIsNull(s) && mlirAttributeIsAInteger(s)
             ? mlirIntegerAttrGetValueInt(s)
             : 0;
}

/* Checks a swizzled shared side (set by readSide). */
static bool checkSwizzledSide(TlLower *c, TlSide *s) {
  if (s->swz == 0)
    return true;
  if (s->swz != 32 && s->swz != 64 && s->swz != 128) {
    tlOpError(c->op, "the %s's tl.swizzle must be 32, 64 or 128, got %lld",
              s->role, (long long)s->swz);
    return false;
  }
  if (!tlStaticRowMajor(s->type, s->sstride) || s->bits % 8 != 0) {
    char *t = tlTypeText(s->type);
    tlOpError(c->op,
              "the swizzled %s %s needs a static shape, the identity "
              "layout and byte-sized elements",
              s->role, t);
    free(t);
    return false;
  }
  return true;
}

/* The side's reading (copy/Side.h) as tl-lower-copy needs it: a region with
   one index and one extent per dimension, a sized element, a well-formed
   bounds_check. */
static bool readSideCore(TlLower *c, intptr_t pos, const char *role,
                         TlSide *s) {
  MlirOperation op = c->op;
  TlSideStatus st =
      tlCopySideRead(&s->core, role, mlirOperationGetOperand(op, pos));
  if (!s->region.ptr || !s->hasExtents) {
    tlOpError(op,
              "%s is not a tl.region with extents: run tl-legalize-regions "
              "and tl-infer-layouts first",
              role);
    return false;
  }
  if (st != TlSideOk && st != TlSideBadBoundsCheck) {
    tlOpError(op,
              "%s region must have one index and one extent per buffer "
              "dimension (rank at most %d)",
              role, MAX_RANK);
    return false;
  }
  if (s->bits == 0) {
    char *t = tlTypeText(s->elt);
    tlOpError(op, "%s element type %s has no size in memory", role, t);
    free(t);
    return false;
  }
  if (st == TlSideBadBoundsCheck) {
    tlOpError(op,
              "%s region's bounds_check must be array<i1> with one entry "
              "per dimension",
              role);
    return false;
  }
  return true;
}

/* Operand `pos`: its dimensions matched to base_shape, its swizzle (shared)
   or its fragment, which it covers whole. */
static bool readSide(TlLower *c, intptr_t pos, const char *role, TlSide *s,
                     TlFragTable *frags) {
  MlirOperation op = c->op;
  if (!readSideCore(c, pos, role, s))
    return false;
  s->vecDim = -1;
  intptr_t k = 0;
  for (intptr_t d = 0; d < s->rank; ++d) {
    s->baseDim[d] = -1;
    if (s->ext[d] != 1) {
      if (k >= c->B || s->ext[d] != c->baseShape[k]) {
        tlOpError(op,
                  "%s region extents do not match base_shape: run "
                  "tl-legalize-regions first",
                  role);
        return false;
      }
      s->baseDim[d] = k++;
    }
  }
  if (k != c->B) {
    tlOpError(op,
              "%s region extents do not match base_shape: run "
              "tl-legalize-regions first",
              role);
    return false;
  }
  for (intptr_t d = 0; d < s->rank; ++d)
    if (c->B > 0 && s->baseDim[d] == c->B - 1)
      s->vecDim = d;
  if (s->scope == TlScopeShared)
    s->swz = tlWorkgroupSwizzle(s->buffer);
  if (s->scope == TlScopeFragment) {
    s->frag = tlFindFrag(frags, s->buffer);
    if (!s->frag) {
      tlOpError(op, "%s fragment must be made by memref.alloca in the kernel",
                role);
      return false;
    }
    if (!s->frag->valid)
      return false; /* the alloca's error says why */
    for (intptr_t d = 0; d < s->rank; ++d) {
      int64_t i;
      if (!tlGetConstantIndex(s->idx[d], &i) || i != 0 ||
          s->ext[d] != s->shape[d]) {
        tlOpError(op,
                  "%s covers part of a fragment; copies of a fragment must "
                  "cover all of it (region at the origin with the "
                  "fragment's shape)",
                  role);
        return false;
      }
      s->check[d] = false;
    }
  }
  return true;
}

/* The fragment coordinates of base coordinate x on side s: the base
   coordinates on the non-unit dimensions, 0 on the unit ones. */
void tlFragCoord(const TlSide *s, const int64_t *x, int64_t *y) {
  for (intptr_t d = 0; d < s->rank; ++d)
    y[d] = s->baseDim[d] >= 0 ? x[s->baseDim[d]] : 0;
}

//===--------------------------------------------------------------------===//
// Copies
//===--------------------------------------------------------------------===//

/* The `inst` attribute: an instruction whose row can be read here. */
static bool readInst(TlLower *c) {
  MlirOperation op = c->op;
  MlirAttribute inst = tlGetAttr(op, TL_ATTR_INST);
  if (mlirAttributeIsNull(inst)) {
    tlOpError(op, "has no inst attribute: run tl-infer-layouts first");
    return false;
  }
  if (!mlirAttributeIsAString(inst)) {
    char *a = tlAttrText(inst);
    tlOpError(op, "inst must be a string, got %s", a);
    free(a);
    return false;
  }
  MlirStringRef kind = mlirStringAttrGetValue(inst);
  c->inst = tlInstParse(kind);
  const TlInstImpl *impl = tlInstImpl(c->inst);
  if (!impl || !impl->copy.read) {
    /* The list is this pass's own order (the message predates the table). */
    tlOpError(op,
              "inst \"%.*s\" is not supported by tl-lower-copy (supported: "
              "\"simt\", \"direct\", \"tma_load\", \"tma_store\", "
              "\"bulk_load\", \"bulk_store\", \"cp_async\", \"ldmatrix\", "
              "\"stmatrix\")",
              (int)kind.length, kind.data);
    return false;
  }
  return true;
}

static bool readBaseShape(TlLower *c) {
  MlirOperation op = c->op;
  MlirAttribute shape = tlGetAttr(op, TL_ATTR_BASE_SHAPE);
  if (mlirAttributeIsNull(shape) || !mlirAttributeIsADenseI64Array(shape) ||
      mlirDenseArrayGetNumElements(shape) > MAX_RANK) {
    tlOpError(op, "has no base_shape: run tl-legalize-regions and "
                  "tl-infer-layouts first");
    return false;
  }
  c->B = mlirDenseArrayGetNumElements(shape);
  for (intptr_t k = 0; k < c->B; ++k) {
    c->baseShape[k] = mlirDenseI64ArrayGetElement(shape, k);
    if (c->baseShape[k] <= 0) {
      tlOpError(op, "base_shape entries must be positive");
      return false;
    }
  }
  return true;
}

/* annotations.safe_value and the eviction policy of each side. */
static bool readOptions(TlLower *c) {
  MlirOperation op = c->op;
  TlCopyOptions o = tlCopyOpGetOptions(op);
  c->policy = o.evictionPolicy;
  if (!mlirAttributeIsNull(o.annotations))
    c->safe = mlirDictionaryAttrGetElementByName(
        o.annotations, mlirStringRefCreateFromCString(TL_ATTR_SAFE_VALUE));
  if (!mlirAttributeIsNull(c->safe) && !mlirAttributeIsAInteger(c->safe) &&
      !mlirAttributeIsAFloat(c->safe)) {
    tlOpError(op, "annotations.safe_value must be an integer or float");
    return false;
  }
  bool evict = c->policy == TlEvictFirst || c->policy == TlEvictLast;
  /* Without `.L1::evict_*` (PTX < 7.4): evict_first becomes the streaming
     `.cs` access (evict-first allocation in L1 and L2), evict_last the
     plain access. */
  c->legacyEvict = evict && !evictionQualifiersSupported(op);
  if (c->legacyEvict && c->policy == TlEvictLast)
    evict = false;
  TlSide *sides[2] = {&c->src, &c->dst};
  for (int i = 0; i < 2; ++i) {
    TlSide *s = sides[i];
    /* Inline PTX moves whole registers: 8/16/32/64-bit elements only;
       others keep the plain access (the policy is a hint). */
    s->evict = evict && s->scope == TlScopeGlobal &&
               (s->bits == 8 || s->bits == 16 || s->bits == 32 ||
                s->bits == 64);
  }
  return true;
}

bool tlReadCopy(TlLower *c, TlFragTable *frags) {
  if (!readInst(c) || !readBaseShape(c) ||
      !readSide(c, 0, "source", &c->src, frags) ||
      !readSide(c, 1, "destination", &c->dst, frags) ||
      !checkSwizzledSide(c, &c->src) || !checkSwizzledSide(c, &c->dst) ||
      !readOptions(c))
    return false;
  return tlInstImpl(c->inst)->copy.read(c);
}

//===--------------------------------------------------------------------===//
// Vector width and thread map (the thread-mapped instructions)
//===--------------------------------------------------------------------===//

bool tlReadVectorWidth(TlLower *c) {
  MlirAttribute vw = tlGetAttr(c->op, TL_ATTR_VECTOR_WIDTH);
  c->v = 1;
  if (!mlirAttributeIsNull(vw)) {
    if (!mlirAttributeIsAInteger(vw) || mlirIntegerAttrGetValueInt(vw) <= 0) {
      tlOpError(c->op, "vector_width must be a positive integer");
      return false;
    }
    c->v = mlirIntegerAttrGetValueInt(vw);
  }
  return true;
}

/* The thread_map attribute against the kernel's known_block_size. */
static bool readThreadMap(TlLower *c) {
  MlirOperation op = c->op;
  MlirAttribute tm = tlGetAttr(op, TL_ATTR_THREAD_MAP);
  if (mlirAttributeIsNull(tm)) {
    tlOpError(op, "has no thread_map: run tl-infer-layouts first");
    return false;
  }
  if (!tlAttributeIsAFragmentLayout(tm)) {
    tlOpError(op, "thread_map must be a #tl.fragment_layout");
    return false;
  }
  c->map = tlFragmentLayoutAttrGetMap(tm);
  c->T = tlFragmentLayoutAttrGetThreads(tm);
  if (!tlMapCheckLayoutForm(op, "thread_map", tm, c->B, "the",
                            "base coordinates"))
    return false;
  if (!tlBlockSize(op, c->xyz)) {
    tlOpError(op, "needs known_block_size on its gpu.func (the thread count "
                  "of the thread map)");
    return false;
  }
  int64_t T = c->xyz[0] * c->xyz[1] * c->xyz[2];
  if (T != c->T) {
    tlOpError(op,
              "thread_map is for %lld threads, but known_block_size gives "
              "%lld",
              (long long)c->T, (long long)T);
    return false;
  }
  return true;
}

/* A vector width > 1 on a global or shared side: byte-sized elements, a
   unit-stride innermost dimension, whole vectors under a bounds check. */
static bool checkVectorSide(TlLower *c, TlSide *s) {
  MlirOperation op = c->op;
  if (c->v == 1 || s->frag)
    return true;
  if (s->bits % 8 != 0) {
    tlOpError(op,
              "vector_width %lld on the %s needs a byte-sized element "
              "type",
              (long long)c->v, s->role);
    return false;
  }
  int64_t strides[MAX_RANK], offset;
  if (mlirLogicalResultIsFailure(
          mlirMemRefTypeGetStridesAndOffset(s->type, strides, &offset)) ||
      strides[s->vecDim] != 1) {
    char *t = tlTypeText(s->type);
    tlOpError(op,
              "vector_width %lld needs the %s's innermost copied "
              "dimension (%lld of %s) to have stride 1",
              (long long)c->v, s->role, (long long)s->vecDim, t);
    free(t);
    return false;
  }
  if (s->check[s->vecDim] &&
      !mlirShapedTypeIsDynamicSize(s->shape[s->vecDim]) &&
      s->shape[s->vecDim] % c->v != 0) {
    char *t = tlTypeText(s->type);
    tlOpError(op,
              "vector_width %lld with a bounds check on dimension %lld of "
              "the %s %s needs that dimension's size to be a multiple of "
              "the width",
              (long long)c->v, (long long)s->vecDim, s->role, t);
    free(t);
    return false;
  }
  return true;
}

bool tlReadThreadMapped(TlLower *c) {
  if (!tlReadVectorWidth(c))
    return false;
  if (mlirAttributeIsNull(tlGetAttr(c->op, TL_ATTR_VECTOR_WIDTH))) {
    tlOpError(c->op, "has no vector_width: run tl-infer-layouts first");
    return false;
  }
  if (!readThreadMap(c))
    return false;
  if (c->v > 1 && (c->B == 0 || c->baseShape[c->B - 1] % c->v != 0)) {
    tlOpError(c->op,
              "vector_width %lld does not divide the innermost base "
              "extent %lld",
              (long long)c->v, (long long)(c->B ? c->baseShape[c->B - 1] : 1));
    return false;
  }
  return checkVectorSide(c, &c->src) && checkVectorSide(c, &c->dst);
}

//===--------------------------------------------------------------------===//
// The global and shared sides of a TMA or bulk copy
//===--------------------------------------------------------------------===//

bool tlReadGlobalShared(TlLower *c, bool load, const char *kind, TlSide **g,
                        TlSide **sh) {
  *g = load ? &c->src : &c->dst;
  *sh = load ? &c->dst : &c->src;
  if ((*g)->scope != TlScopeGlobal || (*sh)->scope != TlScopeShared ||
      (*g)->frag || (*sh)->frag) {
    tlOpError(c->op, "inst \"%s\" copies %s, but this copy is %s -> %s", kind,
              load ? "global -> shared" : "shared -> global",
              tlScopeGetName(c->src.scope), tlScopeGetName(c->dst.scope));
    return false;
  }
  c->func = tlEnclosingFunc(c->op);
  return true;
}
