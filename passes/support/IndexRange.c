/* The range and power-of-two divisor of an index value (IndexRange.h):
 * the bounds proofs of tl-legalize-regions and the alignment proofs of
 * instruction selection, from the ops that compute the index. */
#include "IndexRange.h"

#include <stdint.h>
#include <string.h>

#include <mlir-c/BuiltinAttributes.h>

#include "IRBuild.h"
#include "Support.h"

static const TlRange kUnknown = {false, 0, 0};

/* The dimension (0, 1, 2) of a gpu.thread_id / gpu.block_id op. */
static int gpuDim(MlirOperation op) {
  TlStr s = {0};
  tlStrAppendAttr(&s, tlGetAttr(op, "dimension"));
  const char *t = tlStrGet(&s);
  int d = strstr(t, " x>") ? 0 : strstr(t, " y>") ? 1 : strstr(t, " z>") ? 2 : -1;
  tlStrFree(&s);
  return d;
}

/* Element `d` of the i32 array attribute `name` of the enclosing gpu.func. */
static int64_t funcBound(MlirOperation op, const char *name, int d) {
  for (MlirOperation p = mlirOperationGetParentOperation(op);
       !mlirOperationIsNull(p); p = mlirOperationGetParentOperation(p)) {
    if (!tlOpIsNamed(p, "gpu.func"))
      continue;
    MlirAttribute a = tlGetAttr(p, name);
    if (!mlirAttributeIsNull(a) && mlirAttributeIsADenseI32Array(a) &&
        mlirDenseArrayGetNumElements(a) > d)
      return mlirDenseI32ArrayGetElement(a, d);
    return 0;
  }
  return 0;
}

static TlRange idRange(MlirOperation op, const char *funcAttr) {
  int d = gpuDim(op);
  if (d < 0)
    return kUnknown;
  int64_t n = funcBound(op, funcAttr, d);
  MlirAttribute ub = tlGetAttr(op, "upper_bound");
  if (!mlirAttributeIsNull(ub) && mlirAttributeIsAInteger(ub)) {
    int64_t u = mlirIntegerAttrGetValueInt(ub);
    if (n <= 0 || u < n)
      n = u;
  }
  if (n <= 0)
    return kUnknown;
  return (TlRange){true, 0, n - 1};
}

static TlRange rangeAt(MlirValue v, int depth);

/* The scf.for whose induction variable `v` is, or a null op. */
static MlirOperation loopOf(MlirValue v) {
  if (!mlirValueIsABlockArgument(v) || mlirBlockArgumentGetArgNumber(v) != 0)
    return (MlirOperation){NULL};
  MlirBlock body = mlirBlockArgumentGetOwner(v);
  MlirOperation loop = mlirBlockGetParentOperation(body);
  if (mlirOperationIsNull(loop) || !tlOpIsNamed(loop, "scf.for") ||
      mlirOperationGetNumOperands(loop) < 3 ||
      !mlirBlockEqual(mlirRegionGetFirstBlock(mlirOperationGetRegion(loop, 0)),
                      body))
    return (MlirOperation){NULL};
  return loop;
}

/* An induction variable takes lb, lb + step, ... while below ub: inside
   the body it lies in [lo(lb), hi(ub) - 1], for a step known positive.
   Unknown when the loop may never run (that range is empty) or when its
   comparison is unsigned and lb may be negative. */
static TlRange loopRange(MlirOperation loop, int depth) {
  TlRange lb = rangeAt(mlirOperationGetOperand(loop, 0), depth + 1);
  TlRange ub = rangeAt(mlirOperationGetOperand(loop, 1), depth + 1);
  TlRange step = rangeAt(mlirOperationGetOperand(loop, 2), depth + 1);
  if (!lb.known || !ub.known || !step.known || step.lo < 1 ||
      ub.hi == INT64_MIN)
    return kUnknown;
  if (!mlirAttributeIsNull(tlGetAttr(loop, "unsignedCmp")) && lb.lo < 0)
    return kUnknown;
  TlRange r = {true, lb.lo, ub.hi - 1};
  return r.lo <= r.hi ? r : kUnknown;
}

static TlRange binary(MlirOperation op, int depth, char kind) {
  TlRange a = rangeAt(mlirOperationGetOperand(op, 0), depth + 1);
  TlRange b = rangeAt(mlirOperationGetOperand(op, 1), depth + 1);
  if (!a.known || !b.known)
    return kUnknown;
  int64_t r[4];
  int n = 2;
  switch (kind) {
  case '+':
    if (__builtin_add_overflow(a.lo, b.lo, &r[0]) ||
        __builtin_add_overflow(a.hi, b.hi, &r[1]))
      return kUnknown;
    break;
  case '-':
    if (__builtin_sub_overflow(a.lo, b.hi, &r[0]) ||
        __builtin_sub_overflow(a.hi, b.lo, &r[1]))
      return kUnknown;
    break;
  default:
    n = 4;
    if (__builtin_mul_overflow(a.lo, b.lo, &r[0]) ||
        __builtin_mul_overflow(a.lo, b.hi, &r[1]) ||
        __builtin_mul_overflow(a.hi, b.lo, &r[2]) ||
        __builtin_mul_overflow(a.hi, b.hi, &r[3]))
      return kUnknown;
  }
  TlRange out = {true, r[0], r[0]};
  for (int i = 1; i < n; ++i) {
    if (r[i] < out.lo)
      out.lo = r[i];
    if (r[i] > out.hi)
      out.hi = r[i];
  }
  return out;
}

/* Division and remainder by a positive divisor, of a non-negative
   dividend (then signed and unsigned agree, and floor = trunc): quotient
   [lo / dhi, hi / dlo] (ceil: rounded up), remainder [0, min(hi, dhi - 1)].
   An unsigned remainder by a positive divisor lies in [0, dhi - 1] whatever
   the dividend (a pipeline's stage i % N of an unknown i). Anything else
   is unknown. */
static TlRange divRem(MlirOperation op, int depth) {
  TlRange a = rangeAt(mlirOperationGetOperand(op, 0), depth + 1);
  TlRange b = rangeAt(mlirOperationGetOperand(op, 1), depth + 1);
  if (tlOpIsNamed(op, "arith.remui") && b.known && b.lo >= 1 &&
      (!a.known || a.lo < 0))
    return (TlRange){true, 0, b.hi - 1};
  if (!a.known || !b.known || a.lo < 0 || b.lo < 1)
    return kUnknown;
  if (tlOpIsNamed(op, "arith.remui") || tlOpIsNamed(op, "arith.remsi"))
    return (TlRange){true, 0, a.hi < b.hi - 1 ? a.hi : b.hi - 1};
  if (tlOpIsNamed(op, "arith.ceildivsi")) /* ceil(x/y) = x/y + (x%y != 0) */
    return (TlRange){true, a.lo / b.hi + (a.lo % b.hi != 0),
                     a.hi / b.lo + (a.hi % b.lo != 0)};
  return (TlRange){true, a.lo / b.hi, a.hi / b.lo};
}

/* min / max of two known ranges (unsigned forms: of non-negative ones).
   An unsigned min with one non-negative known operand b lies in
   [0, hi(b)] whatever the other is. */
static TlRange minMax(MlirOperation op, int depth) {
  TlRange a = rangeAt(mlirOperationGetOperand(op, 0), depth + 1);
  TlRange b = rangeAt(mlirOperationGetOperand(op, 1), depth + 1);
  bool isUnsigned = tlOpIsNamed(op, "arith.minui") || tlOpIsNamed(op, "arith.maxui");
  if (tlOpIsNamed(op, "arith.minui") && (!a.known || !b.known)) {
    TlRange k = a.known ? a : b;
    return k.known && k.lo >= 0 ? (TlRange){true, 0, k.hi} : kUnknown;
  }
  if (!a.known || !b.known || (isUnsigned && (a.lo < 0 || b.lo < 0)))
    return kUnknown;
  bool isMin = tlOpIsNamed(op, "arith.minsi") || tlOpIsNamed(op, "arith.minui");
  if (isMin)
    return (TlRange){true, a.lo < b.lo ? a.lo : b.lo, a.hi < b.hi ? a.hi : b.hi};
  return (TlRange){true, a.lo > b.lo ? a.lo : b.lo, a.hi > b.hi ? a.hi : b.hi};
}

/* arith.select: one of its two values, so the union of their ranges. */
static TlRange selectRange(MlirOperation op, int depth) {
  TlRange a = rangeAt(mlirOperationGetOperand(op, 1), depth + 1);
  TlRange b = rangeAt(mlirOperationGetOperand(op, 2), depth + 1);
  if (!a.known || !b.known)
    return kUnknown;
  return (TlRange){true, a.lo < b.lo ? a.lo : b.lo, a.hi > b.hi ? a.hi : b.hi};
}

static TlRange rangeAt(MlirValue v, int depth) {
  int64_t c;
  if (depth > 32 || mlirValueIsNull(v))
    return kUnknown;
  if (tlGetConstantIndex(v, &c))
    return (TlRange){true, c, c};
  MlirOperation loop = loopOf(v);
  if (!mlirOperationIsNull(loop))
    return loopRange(loop, depth);
  if (!mlirValueIsAOpResult(v))
    return kUnknown;
  MlirOperation op = mlirOpResultGetOwner(v);
  if (tlOpIsNamed(op, "gpu.thread_id"))
    return idRange(op, "known_block_size");
  if (tlOpIsNamed(op, "gpu.block_id"))
    return idRange(op, "known_grid_size");
  if (tlOpIsNamed(op, "arith.addi"))
    return binary(op, depth, '+');
  if (tlOpIsNamed(op, "arith.subi"))
    return binary(op, depth, '-');
  if (tlOpIsNamed(op, "arith.muli"))
    return binary(op, depth, '*');
  if (tlOpIsNamed(op, "arith.divui") || tlOpIsNamed(op, "arith.divsi") ||
      tlOpIsNamed(op, "arith.floordivsi") || tlOpIsNamed(op, "arith.ceildivsi") ||
      tlOpIsNamed(op, "arith.remui") || tlOpIsNamed(op, "arith.remsi"))
    return divRem(op, depth);
  if (tlOpIsNamed(op, "arith.minsi") || tlOpIsNamed(op, "arith.minui") ||
      tlOpIsNamed(op, "arith.maxsi") || tlOpIsNamed(op, "arith.maxui"))
    return minMax(op, depth);
  if (tlOpIsNamed(op, "arith.select") && mlirOperationGetNumOperands(op) == 3)
    return selectRange(op, depth);
  return kUnknown;
}

TlRange tlIndexRange(MlirValue v) { return rangeAt(v, 0); }

//===--------------------------------------------------------------------===//
// Power-of-two divisors (vector alignment)
//===--------------------------------------------------------------------===//

#define TL_DIVISOR_CAP ((int64_t)1 << 30)

/* The largest power of two dividing c, capped; 0 is divisible by all. */
static int64_t constDivisor(int64_t c) {
  if (c == 0)
    return TL_DIVISOR_CAP;
  uint64_t u = (uint64_t)c;
  uint64_t low = u & (~u + 1);
  return low >= (uint64_t)TL_DIVISOR_CAP ? TL_DIVISOR_CAP : (int64_t)low;
}

static int64_t divisorAt(MlirValue v, int depth) {
  int64_t c;
  if (depth > 32 || mlirValueIsNull(v))
    return 1;
  if (tlGetConstantIndex(v, &c))
    return constDivisor(c);
  MlirOperation loop = loopOf(v);
  if (!mlirOperationIsNull(loop)) { /* lb + k * step */
    int64_t a = divisorAt(mlirOperationGetOperand(loop, 0), depth + 1);
    int64_t b = divisorAt(mlirOperationGetOperand(loop, 2), depth + 1);
    return a < b ? a : b;
  }
  if (!mlirValueIsAOpResult(v))
    return 1;
  MlirOperation op = mlirOpResultGetOwner(v);
  /* select picks one of its values, min/max one of their operands; the
     unsigned remainder x - q * y (mod 2^64) is divisible by what x and y
     both are (by 2^k: x's divisor capped at 2^k). */
  bool sel = tlOpIsNamed(op, "arith.select");
  bool mul = tlOpIsNamed(op, "arith.muli");
  if (!sel && !mul && !tlOpIsNamed(op, "arith.addi") &&
      !tlOpIsNamed(op, "arith.subi") && !tlOpIsNamed(op, "arith.minsi") &&
      !tlOpIsNamed(op, "arith.minui") && !tlOpIsNamed(op, "arith.maxsi") &&
      !tlOpIsNamed(op, "arith.maxui") && !tlOpIsNamed(op, "arith.remui"))
    return 1;
  if (mlirOperationGetNumOperands(op) != (sel ? 3 : 2))
    return 1;
  int64_t a = divisorAt(mlirOperationGetOperand(op, sel), depth + 1);
  int64_t b = divisorAt(mlirOperationGetOperand(op, sel + 1), depth + 1);
  if (mul) /* both are powers of two <= 2^30: no overflow */
    return a * b >= TL_DIVISOR_CAP ? TL_DIVISOR_CAP : a * b;
  return a < b ? a : b;
}

int64_t tlIndexDivisor(MlirValue v) { return divisorAt(v, 0); }
