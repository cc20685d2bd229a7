/* tl-to-nvvm-outline (support/Outline.h).
 *
 * Why: LLVM's optimization of one function is superlinear in the number of
 * branches on one condition. Every SIMT copy whose thread map leaves
 * threads idle is guarded by `if tid < K`, and after CSE every guard of a
 * kernel branches on the same i1: GVN and EarlyCSE replace that value's
 * dominated uses at each branch (all its uses, every time), and
 * InstCombine's known-bits queries on the thread id walk every dominating
 * branch on it (DomConditionCache). 10,000 copies took 203 s in
 * gpu-module-to-binary. Per function the cost is bounded by the function's
 * size, so cutting a long kernel body into device functions of at most
 * `maxOps` ops makes the whole compile linear (docs/performance.md).
 *
 * What moves: runs of the gpu.func's top-level ops, in order, each into a
 * private, noinline, internal func.func, called where the run was. Values
 * the run uses from before it are rematerialized when they are cheap and
 * pure (constants, thread ids, index arithmetic, memref views: the
 * callee's code then folds as the kernel's did) and passed otherwise;
 * values it defines that later ops use are returned. Memrefs cross the
 * call with integer memory spaces (workgroup 3, private 5; a kernel's
 * memref parameters, global memory, 1, so the callee still uses
 * ld.global), cast back on each side. A run is left in the kernel when a
 * value of another type (a TMA descriptor, a token, a struct) or a pointer
 * into the run's own stack would cross. Kernels at or below the bound are
 * untouched, so their PTX is unchanged. */
#include "Outline.h"

#include <stdlib.h>
#include <string.h>

#include <mlir-c/BuiltinAttributes.h>
#include <mlir-c/BuiltinTypes.h>
#include <mlir-c/Dialect/Func.h>
#include <mlir-c/Dialect/LLVM.h>
#include <mlir-c/Dialect/MemRef.h>

#include "IRBuild.h"
#include "PassSupport.h"
#include "Support.h"

/* Rematerialization chains longer than this are passed instead. */
#define MAX_REMAT_DEPTH 16

//===--------------------------------------------------------------------===//
// A pointer -> int64 map (open addressing)
//===--------------------------------------------------------------------===//

typedef struct PtrMap {
  const void **keys;
  int64_t *vals;
  size_t cap, n;
} PtrMap;

static size_t hashPtr(const void *p) {
  uint64_t x = (uint64_t)(uintptr_t)p;
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  return (size_t)x;
}

static void *xrealloc(void *p, size_t bytes) {
  p = realloc(p, bytes ? bytes : 1);
  if (!p)
    abort();
  return p;
}

static void mapPut(PtrMap *m, const void *key, int64_t val);

static void mapGrow(PtrMap *m) {
  PtrMap old = *m;
  m->cap = old.cap ? 2 * old.cap : 64;
  m->n = 0;
  m->keys = calloc(m->cap, sizeof *m->keys);
  m->vals = calloc(m->cap, sizeof *m->vals);
  if (!m->keys || !m->vals)
    abort();
  for (size_t i = 0; i < old.cap; ++i)
    if (old.keys[i])
      mapPut(m, old.keys[i], old.vals[i]);
  free(old.keys);
  free(old.vals);
}

static void mapPut(PtrMap *m, const void *key, int64_t val) {
  if (2 * (m->n + 1) > m->cap)
    mapGrow(m);
  size_t i = hashPtr(key) & (m->cap - 1);
  while (m->keys[i] && m->keys[i] != key)
    i = (i + 1) & (m->cap - 1);
  if (!m->keys[i])
    ++m->n;
  m->keys[i] = key;
  m->vals[i] = val;
}

static bool mapGet(const PtrMap *m, const void *key, int64_t *val) {
  if (!m->cap)
    return false;
  for (size_t i = hashPtr(key) & (m->cap - 1); m->keys[i];
       i = (i + 1) & (m->cap - 1))
    if (m->keys[i] == key) {
      *val = m->vals[i];
      return true;
    }
  return false;
}

static void mapFree(PtrMap *m) {
  free(m->keys);
  free(m->vals);
  memset(m, 0, sizeof *m);
}

//===--------------------------------------------------------------------===//
// The function being cut
//===--------------------------------------------------------------------===//

typedef struct Fn {
  MlirOperation func, module;
  MlirContext ctx;
  MlirBlock entry;
  intptr_t nParams; /* the entry block's first nParams args are inputs */
  bool kernel;
  bool hasBlockSize;
  int64_t blockSize[3];
  /* Top-level op -> 2 * its position; ops added between runs (the calls
     and their casts) get the odd position before the next run. */
  PtrMap pos;
  unsigned parts; /* callees made so far (their names' numbers) */
} Fn;

static bool opEq(MlirOperation a, MlirOperation b) {
  return mlirOperationEqual(a, b);
}

/* The position of the top-level op holding `op`, or INT64_MAX when `op` is
   not inside fn->func's body (e.g. it moved into a callee). */
static int64_t topPos(const Fn *fn, MlirOperation op) {
  while (!mlirOperationIsNull(op)) {
    MlirOperation parent = mlirOperationGetParentOperation(op);
    if (mlirOperationIsNull(parent))
      break;
    if (opEq(parent, fn->func)) {
      int64_t p;
      return mapGet(&fn->pos, op.ptr, &p) ? p : INT64_MAX;
    }
    op = parent;
  }
  return INT64_MAX;
}

/* Where `v` is defined: -1 for the function's own arguments, else the
   position of the top-level op that defines it (or holds its block). */
static int64_t defPos(const Fn *fn, MlirValue v) {
  if (mlirValueIsABlockArgument(v)) {
    MlirBlock b = mlirBlockArgumentGetOwner(v);
    if (mlirBlockEqual(b, fn->entry))
      return -1;
    return topPos(fn, mlirBlockGetParentOperation(b));
  }
  return topPos(fn, mlirOpResultGetOwner(v));
}

static bool isInside(MlirOperation op, MlirOperation ancestor) {
  for (; !mlirOperationIsNull(op); op = mlirOperationGetParentOperation(op))
    if (opEq(op, ancestor))
      return true;
  return false;
}

static bool isKernelParam(const Fn *fn, MlirValue v) {
  return fn->kernel && mlirValueIsABlockArgument(v) &&
         mlirBlockEqual(mlirBlockArgumentGetOwner(v), fn->entry) &&
         mlirBlockArgumentGetArgNumber(v) < fn->nParams;
}

//===--------------------------------------------------------------------===//
// What may cross a call
//===--------------------------------------------------------------------===//

static const char *opName(MlirOperation op) {
  return mlirIdentifierStr(mlirOperationGetName(op)).data;
}

static bool startsWith(const char *s, const char *prefix) {
  return !strncmp(s, prefix, strlen(prefix));
}

/* Pure ops without regions that are cheaper to recompute in the callee than
   to pass, and whose recomputation lets the callee fold as the kernel did. */
static bool rematerializable(MlirOperation op) {
  if (mlirOperationGetNumRegions(op))
    return false;
  static const char *const kPrefixes[] = {"arith.", "index.",
                                          "nvvm.read.ptx.sreg."};
  static const char *const kNames[] = {
      "affine.apply",          "gpu.thread_id",
      "gpu.block_id",          "gpu.block_dim",
      "gpu.grid_dim",          "gpu.lane_id",
      "gpu.dynamic_shared_memory", "llvm.mlir.constant",
      "llvm.mlir.addressof",   "llvm.mlir.zero",
      "llvm.mlir.undef",       "llvm.mlir.poison",
      "llvm.getelementptr",    "ub.poison",
      "memref.subview",        "memref.reinterpret_cast",
      "memref.cast",           "memref.collapse_shape",
      "memref.expand_shape",   "memref.memory_space_cast",
      "memref.get_global",     "memref.extract_aligned_pointer_as_index",
      "memref.extract_strided_metadata", "vector.broadcast"};
  const char *name = opName(op);
  for (size_t i = 0; i < sizeof kPrefixes / sizeof *kPrefixes; ++i)
    if (startsWith(name, kPrefixes[i]))
      return true;
  for (size_t i = 0; i < sizeof kNames / sizeof *kNames; ++i)
    if (!strcmp(name, kNames[i]))
      return true;
  return false;
}

/* The integer memory space a memref crosses the call in (the top-level
   func -> llvm conversion knows no gpu address spaces): 0 keeps its own,
   -1 cannot cross. */
static int64_t crossingSpace(MlirType t, bool kernelParam) {
  MlirAttribute space = mlirMemRefTypeGetMemorySpace(t);
  if (mlirAttributeIsNull(space))
    return kernelParam ? 1 : 0;
  if (mlirAttributeIsAInteger(space))
    return 0;
  if (tlAttrPrintsAs(space, "#gpu.address_space<workgroup>"))
    return 3;
  if (tlAttrPrintsAs(space, "#gpu.address_space<global>"))
    return 1;
  if (tlAttrPrintsAs(space, "#gpu.address_space<private>"))
    return 5;
  return -1;
}

/* The type `t` has on the call's boundary, or a null type when a value of
   type `t` cannot cross. */
static MlirType boundaryType(MlirType t, bool kernelParam) {
  if (mlirTypeIsAIndex(t) || mlirTypeIsAInteger(t) || mlirTypeIsAFloat(t) ||
      mlirTypeIsALLVMPointerType(t))
    return t;
  if (mlirTypeIsAVector(t)) {
    MlirType e = mlirShapedTypeGetElementType(t);
    return mlirTypeIsAIndex(e) || mlirTypeIsAInteger(e) || mlirTypeIsAFloat(e)
               ? t
               : (MlirType){NULL};
  }
  if (!mlirTypeIsAMemRef(t))
    return (MlirType){NULL};
  intptr_t rank = mlirShapedTypeGetRank(t);
  int64_t strides[16], offset;
  if (rank > 16 || mlirLogicalResultIsFailure(
                       mlirMemRefTypeGetStridesAndOffset(t, strides, &offset)))
    return (MlirType){NULL};
  int64_t space = crossingSpace(t, kernelParam);
  if (space < 0)
    return (MlirType){NULL};
  if (space == 0)
    return t;
  int64_t shape[16];
  for (intptr_t i = 0; i < rank; ++i)
    shape[i] = mlirShapedTypeGetDimSize(t, i);
  MlirContext ctx = mlirTypeGetContext(t);
  return mlirMemRefTypeGet(
      mlirShapedTypeGetElementType(t), rank, shape, mlirMemRefTypeGetLayout(t),
      mlirIntegerAttrGet(mlirIntegerTypeGet(ctx, 64), space));
}

static bool isPointerLike(MlirType t) {
  return mlirTypeIsAMemRef(t) || mlirTypeIsALLVMPointerType(t);
}

/* True when the memref or pointer `v` may point into a stack allocation of
   the run [lo, hi) (which dies when the callee returns): traces views back
   to their root; a root of unknown kind inside the run counts as one. */
static bool mayPointIntoRun(const Fn *fn, MlirValue v, int64_t lo,
                            int64_t hi) {
  static const char *const kViews[] = {
      "memref.subview",        "memref.cast",           "memref.reinterpret_cast",
      "memref.memory_space_cast", "memref.collapse_shape", "memref.expand_shape",
      "memref.view",           "llvm.getelementptr",    "llvm.addrspacecast"};
  for (int guard = 0; guard < 256; ++guard) {
    int64_t p = defPos(fn, v);
    if (p < lo || p >= hi)
      return false;
    if (mlirValueIsABlockArgument(v))
      return true;
    MlirOperation def = mlirOpResultGetOwner(v);
    bool view = false;
    for (size_t i = 0; i < sizeof kViews / sizeof *kViews; ++i)
      view |= tlOpIsNamed(def, kViews[i]);
    if (!view || mlirOperationGetNumOperands(def) < 1)
      return true;
    v = mlirOperationGetOperand(def, 0);
  }
  return true;
}

//===--------------------------------------------------------------------===//
// One run -> one callee
//===--------------------------------------------------------------------===//

typedef struct ValueList {
  MlirValue *v;
  size_t n, cap;
} ValueList;

static void valuePush(ValueList *l, MlirValue v) {
  if (l->n == l->cap) {
    l->cap = l->cap ? 2 * l->cap : 16;
    l->v = xrealloc(l->v, sizeof *l->v * l->cap);
  }
  l->v[l->n++] = v;
}

typedef struct Part {
  Fn *fn;
  int64_t lo, hi;       /* the run's positions [lo, hi) */
  MlirOperation anchor; /* the first op after the run */
  MlirBlock body;
  PtrMap mapped;        /* outer value -> index in outer/inner */
  ValueList outer, inner;
  ValueList args;       /* the call's operands (caller side) */
  ValueList inputs;     /* values the run uses from before it */
  ValueList outs;       /* values it defines that later ops use */
  PtrMap seen;
  TlOpList callerCasts; /* created before the call; erased on failure */
} Part;

static MlirValue castSpace(MlirOperation before, MlirBlock appendTo,
                           MlirValue v, MlirType to, MlirLocation loc) {
  MlirOperationState st = mlirOperationStateGet(
      mlirStringRefCreateFromCString("memref.memory_space_cast"), loc);
  mlirOperationStateAddOperands(&st, 1, &v);
  mlirOperationStateAddResults(&st, 1, &to);
  MlirOperation op = mlirOperationCreate(&st);
  if (mlirBlockIsNull(appendTo))
    mlirBlockInsertOwnedOperationBefore(mlirOperationGetBlock(before), before,
                                        op);
  else
    mlirBlockAppendOwnedOperation(appendTo, op);
  return mlirOperationGetResult(op, 0);
}

static void record(Part *p, MlirValue outer, MlirValue inner) {
  mapPut(&p->mapped, outer.ptr, (int64_t)p->outer.n);
  valuePush(&p->outer, outer);
  valuePush(&p->inner, inner);
}

/* The dimension index (0-2) of a gpu.thread_id / gpu.block_dim. */
static int dimOf(MlirOperation op) {
  MlirAttribute d = tlGetAttr(op, "dimension");
  if (mlirAttributeIsNull(d))
    return -1;
  TlStr s = {0};
  tlStrAppendAttr(&s, d);
  const char *t = tlStrGet(&s);
  int r = strstr(t, " x>") ? 0 : strstr(t, " y>") ? 1 : strstr(t, " z>") ? 2 : -1;
  tlStrFree(&s);
  return r;
}

/* The callee's value for the outer value `v`: recomputed when it is cheap
   and pure, else passed as a new argument. Null when it can do neither. */
static MlirValue materialize(Part *p, MlirValue v, int depth) {
  int64_t k;
  if (mapGet(&p->mapped, v.ptr, &k))
    return p->inner.v[k];
  Fn *fn = p->fn;
  if (mlirValueIsAOpResult(v) && depth < MAX_REMAT_DEPTH &&
      rematerializable(mlirOpResultGetOwner(v))) {
    MlirOperation def = mlirOpResultGetOwner(v);
    intptr_t n = mlirOperationGetNumOperands(def);
    MlirValue ops[16];
    bool ok = n <= 16;
    for (intptr_t i = 0; ok && i < n; ++i) {
      ops[i] = materialize(p, mlirOperationGetOperand(def, i), depth + 1);
      ok = !mlirValueIsNull(ops[i]);
    }
    if (ok) {
      MlirOperation clone = mlirOperationClone(def);
      for (intptr_t i = 0; i < n; ++i)
        mlirOperationSetOperand(clone, i, ops[i]);
      int d = dimOf(clone);
      if (fn->hasBlockSize && d >= 0 &&
          (tlOpIsNamed(clone, "gpu.thread_id") ||
           tlOpIsNamed(clone, "gpu.block_dim")) &&
          mlirAttributeIsNull(tlGetAttr(clone, "upper_bound")))
        tlSetAttr(clone, "upper_bound",
                  mlirIntegerAttrGet(mlirIndexTypeGet(fn->ctx),
                                     fn->blockSize[d]));
      mlirBlockAppendOwnedOperation(p->body, clone);
      for (intptr_t i = 0; i < mlirOperationGetNumResults(def); ++i)
        record(p, mlirOperationGetResult(def, i),
               mlirOperationGetResult(clone, i));
      return mlirOperationGetResult(clone, mlirOpResultGetResultNumber(v));
    }
  }
  MlirType t = mlirValueGetType(v);
  MlirType bt = boundaryType(t, isKernelParam(fn, v));
  if (mlirTypeIsNull(bt))
    return (MlirValue){NULL};
  MlirLocation loc = mlirValueIsABlockArgument(v)
                         ? mlirOperationGetLocation(fn->func)
                         : mlirOperationGetLocation(mlirOpResultGetOwner(v));
  MlirValue callerSide = v, inner;
  if (!mlirTypeEqual(bt, t)) {
    callerSide = castSpace(p->anchor, (MlirBlock){NULL}, v, bt, loc);
    tlOpListPush(&p->callerCasts, mlirOpResultGetOwner(callerSide));
    inner = castSpace((MlirOperation){NULL}, p->body,
                      mlirBlockAddArgument(p->body, bt, loc), t, loc);
  } else {
    inner = mlirBlockAddArgument(p->body, bt, loc);
  }
  valuePush(&p->args, callerSide);
  record(p, v, inner);
  return inner;
}

/* Gathers the values ops of the run use from before it (walk callback). */
static MlirWalkResult collectInputs(MlirOperation op, void *ud) {
  Part *p = ud;
  for (intptr_t i = 0; i < mlirOperationGetNumOperands(op); ++i) {
    MlirValue v = mlirOperationGetOperand(op, i);
    int64_t dummy;
    if (defPos(p->fn, v) < p->lo && !mapGet(&p->seen, v.ptr, &dummy)) {
      mapPut(&p->seen, v.ptr, 0);
      valuePush(&p->inputs, v);
    }
  }
  return MlirWalkResultAdvance;
}

/* Sets every operand inside `callee` that reads `from` to `to`. */
static void replaceUsesInside(MlirValue from, MlirValue to,
                              MlirOperation callee, bool inside) {
  TlOpList owners = {0};
  size_t n = 0, cap = 0;
  intptr_t *nums = NULL;
  for (MlirOpOperand u = mlirValueGetFirstUse(from); !mlirOpOperandIsNull(u);
       u = mlirOpOperandGetNextUse(u)) {
    MlirOperation owner = mlirOpOperandGetOwner(u);
    if (isInside(owner, callee) != inside)
      continue;
    if (n == cap) {
      cap = cap ? 2 * cap : 8;
      nums = xrealloc(nums, sizeof *nums * cap);
    }
    nums[n++] = (intptr_t)mlirOpOperandGetOperandNumber(u);
    tlOpListPush(&owners, owner);
  }
  for (size_t i = 0; i < n; ++i)
    mlirOperationSetOperand(owners.ops[i], nums[i], to);
  free(nums);
  free(owners.ops);
}

static void partFree(Part *p) {
  mapFree(&p->mapped);
  mapFree(&p->seen);
  free(p->outer.v);
  free(p->inner.v);
  free(p->args.v);
  free(p->inputs.v);
  free(p->outs.v);
  free(p->callerCasts.ops);
}

/* Gathers into p->outs the results of ops[first, last) that later ops use
   (the callee returns them). False when one cannot cross a call. */
static bool findOutputs(Part *p, MlirOperation *ops, size_t first,
                        size_t last) {
  for (size_t i = first; i < last; ++i)
    for (intptr_t r = 0; r < mlirOperationGetNumResults(ops[i]); ++r) {
      MlirValue v = mlirOperationGetResult(ops[i], r);
      bool later = false;
      for (MlirOpOperand u = mlirValueGetFirstUse(v);
           !later && !mlirOpOperandIsNull(u); u = mlirOpOperandGetNextUse(u))
        later = topPos(p->fn, mlirOpOperandGetOwner(u)) >= p->hi;
      if (!later)
        continue;
      MlirType t = mlirValueGetType(v);
      if (mlirTypeIsNull(boundaryType(t, false)) ||
          (isPointerLike(t) && mayPointIntoRun(p->fn, v, p->lo, p->hi)))
        return false;
      valuePush(&p->outs, v);
    }
  return true;
}

/* Ends the callee's body with the return of p->outs (in boundary types,
   filled into retTypes) and wraps it in a private, noinline, internal
   func.func added to the gpu.module; *sym gets its (unique) name. */
static MlirOperation createCallee(Part *p, MlirLocation loc,
                                  MlirType *retTypes, MlirAttribute *sym) {
  Fn *fn = p->fn;
  MlirContext ctx = fn->ctx;
  size_t nOuts = p->outs.n;
  MlirValue *rets = xrealloc(NULL, sizeof *rets * (nOuts + 1));
  for (size_t i = 0; i < nOuts; ++i) {
    MlirType t = mlirValueGetType(p->outs.v[i]);
    retTypes[i] = boundaryType(t, false);
    rets[i] = mlirTypeEqual(retTypes[i], t)
                  ? p->outs.v[i]
                  : castSpace((MlirOperation){NULL}, p->body, p->outs.v[i],
                              retTypes[i], loc);
  }
  MlirOperationState rs =
      mlirOperationStateGet(mlirStringRefCreateFromCString("func.return"), loc);
  mlirOperationStateAddOperands(&rs, (intptr_t)nOuts, rets);
  mlirBlockAppendOwnedOperation(p->body, mlirOperationCreate(&rs));
  free(rets);

  intptr_t nArgs = mlirBlockGetNumArguments(p->body);
  MlirType *argTypes = xrealloc(NULL, sizeof *argTypes * (size_t)(nArgs + 1));
  for (intptr_t i = 0; i < nArgs; ++i)
    argTypes[i] = mlirValueGetType(mlirBlockGetArgument(p->body, i));
  TlStr name = {0};
  MlirStringRef base =
      mlirStringAttrGetValue(tlGetAttr(fn->func, "sym_name"));
  tlStrAppend(&name, base.data, base.length);
  tlStrAppendf(&name, "__part%u", ++fn->parts);
  MlirAttribute noinline = mlirStringAttrGet(
      ctx, mlirStringRefCreateFromCString("noinline"));
  MlirNamedAttribute attrs[] = {
      tlNamed(ctx, "sym_name",
              mlirStringAttrGet(ctx, mlirStringRefCreateFromCString(
                                         tlStrGet(&name)))),
      tlNamed(ctx, "function_type",
              mlirTypeAttrGet(mlirFunctionTypeGet(ctx, nArgs, argTypes,
                                                  (intptr_t)nOuts, retTypes))),
      tlNamed(ctx, "sym_visibility",
              mlirStringAttrGet(ctx, mlirStringRefCreateFromCString("private"))),
      tlNamed(ctx, "passthrough", mlirArrayAttrGet(ctx, 1, &noinline)),
      tlNamed(ctx, "llvm.linkage",
              mlirLLVMLinkageAttrGet(ctx, MlirLLVMLinkageInternal)),
  };
  tlStrFree(&name);
  free(argTypes);
  MlirOperationState fs =
      mlirOperationStateGet(mlirStringRefCreateFromCString("func.func"), loc);
  mlirOperationStateAddAttributes(&fs, sizeof attrs / sizeof *attrs, attrs);
  MlirRegion region = mlirRegionCreate();
  mlirRegionAppendOwnedBlock(region, p->body);
  mlirOperationStateAddOwnedRegions(&fs, 1, &region);
  MlirOperation callee = mlirOperationCreate(&fs);
  /* The symbol table renames the callee if the name is taken. */
  MlirSymbolTable table = mlirSymbolTableCreate(fn->module);
  *sym = mlirSymbolTableInsert(table, callee);
  mlirSymbolTableDestroy(table);
  return callee;
}

/* The call of `callee` before the run's anchor; later ops then read its
   results (cast back to their own types). */
static void createCall(Part *p, MlirOperation callee, MlirAttribute sym,
                       const MlirType *retTypes, MlirLocation loc) {
  Fn *fn = p->fn;
  MlirNamedAttribute calleeAttr = tlNamed(
      fn->ctx, "callee",
      mlirFlatSymbolRefAttrGet(fn->ctx, mlirStringAttrGetValue(sym)));
  MlirOperationState cs =
      mlirOperationStateGet(mlirStringRefCreateFromCString("func.call"), loc);
  mlirOperationStateAddAttributes(&cs, 1, &calleeAttr);
  mlirOperationStateAddOperands(&cs, (intptr_t)p->args.n, p->args.v);
  mlirOperationStateAddResults(&cs, (intptr_t)p->outs.n, retTypes);
  MlirOperation call = mlirOperationCreate(&cs);
  mlirBlockInsertOwnedOperationBefore(fn->entry, p->anchor, call);
  mapPut(&fn->pos, call.ptr, p->hi - 1);
  for (size_t i = 0; i < p->callerCasts.n; ++i)
    mapPut(&fn->pos, p->callerCasts.ops[i].ptr, p->hi - 1);
  for (size_t i = 0; i < p->outs.n; ++i) {
    MlirValue r = mlirOperationGetResult(call, (intptr_t)i);
    MlirType t = mlirValueGetType(p->outs.v[i]);
    if (!mlirTypeEqual(t, retTypes[i])) {
      r = castSpace(p->anchor, (MlirBlock){NULL}, r, t, loc);
      mapPut(&fn->pos, mlirOpResultGetOwner(r).ptr, p->hi - 1);
    }
    replaceUsesInside(p->outs.v[i], r, callee, false);
  }
}

/* Moves ops[first, last) of fn into a new callee called before `anchor`.
   False (and nothing changed) when a value that must cross cannot. */
static bool outlineRun(Fn *fn, MlirOperation *ops, size_t first, size_t last,
                       MlirOperation anchor) {
  Part p;
  memset(&p, 0, sizeof p);
  p.fn = fn;
  p.lo = 2 * (int64_t)first;
  p.hi = 2 * (int64_t)last;
  p.anchor = anchor;
  bool ok = findOutputs(&p, ops, first, last);
  if (ok) {
    for (size_t i = first; i < last; ++i)
      mlirOperationWalk(ops[i], collectInputs, &p, MlirWalkPreOrder);
    p.body = mlirBlockCreate(0, NULL, NULL);
    for (size_t i = 0; ok && i < p.inputs.n; ++i)
      ok = !mlirValueIsNull(materialize(&p, p.inputs.v[i], 0));
    if (!ok) {
      mlirBlockDestroy(p.body);
      for (size_t i = 0; i < p.callerCasts.n; ++i)
        mlirOperationDestroy(p.callerCasts.ops[i]);
    }
  }
  if (ok) {
    MlirLocation loc = mlirOperationGetLocation(ops[first]);
    for (size_t i = first; i < last; ++i) {
      mlirOperationRemoveFromParent(ops[i]);
      mlirBlockAppendOwnedOperation(p.body, ops[i]);
    }
    MlirType *retTypes = xrealloc(NULL, sizeof *retTypes * (p.outs.n + 1));
    MlirAttribute sym;
    MlirOperation callee = createCallee(&p, loc, retTypes, &sym);
    for (size_t i = 0; i < p.outer.n; ++i)
      replaceUsesInside(p.outer.v[i], p.inner.v[i], callee, true);
    createCall(&p, callee, sym, retTypes, loc);
    free(retTypes);
  }
  partFree(&p);
  return ok;
}

//===--------------------------------------------------------------------===//
// The pass
//===--------------------------------------------------------------------===//

static MlirWalkResult countOp(MlirOperation op, void *ud) {
  (void)op;
  ++*(int64_t *)ud;
  return MlirWalkResultAdvance;
}

/* Moves the body's pure, cheap top-level ops computed from the function's
   arguments alone (constants, thread ids, their index arithmetic, views of
   the parameters) to its start, in order. Then no run defines them: each
   callee recomputes what it uses, and no call returns them. */
static size_t hoistPure(Fn *fn, MlirOperation term) {
  PtrMap hoisted = {0};
  MlirOperation firstKept = {NULL};
  size_t n = 0;
  for (MlirOperation op = mlirBlockGetFirstOperation(fn->entry);
       !opEq(op, term);) {
    MlirOperation next = mlirOperationGetNextInBlock(op);
    bool pure = rematerializable(op);
    for (intptr_t i = 0; pure && i < mlirOperationGetNumOperands(op); ++i) {
      MlirValue v = mlirOperationGetOperand(op, i);
      int64_t dummy;
      pure = mlirValueIsABlockArgument(v)
                 ? mlirBlockEqual(mlirBlockArgumentGetOwner(v), fn->entry)
                 : mapGet(&hoisted, mlirOpResultGetOwner(v).ptr, &dummy);
    }
    if (pure) {
      mapPut(&hoisted, op.ptr, 0);
      ++n;
      if (!mlirOperationIsNull(firstKept))
        mlirOperationMoveBefore(op, firstKept);
    } else if (mlirOperationIsNull(firstKept)) {
      firstKept = op;
    }
    op = next;
  }
  mapFree(&hoisted);
  return n;
}

static void outlineFunc(MlirOperation func, int64_t maxOps) {
  MlirRegion body = mlirOperationGetRegion(func, 0);
  MlirBlock entry = mlirRegionGetFirstBlock(body);
  /* One block only: a body with its own control flow is left alone. */
  if (mlirBlockIsNull(entry) ||
      !mlirBlockIsNull(mlirBlockGetNextInRegion(entry)))
    return;
  MlirOperation term = mlirBlockGetTerminator(entry);
  if (mlirOperationIsNull(term))
    return;
  Fn fn;
  memset(&fn, 0, sizeof fn);
  fn.func = func;
  fn.module = mlirOperationGetParentOperation(func);
  fn.ctx = mlirOperationGetContext(func);
  fn.entry = entry;
  fn.kernel = !mlirAttributeIsNull(tlGetAttr(func, "gpu.kernel"));
  MlirAttribute ft = tlGetAttr(func, "function_type");
  fn.nParams = mlirAttributeIsNull(ft)
                   ? 0
                   : mlirFunctionTypeGetNumInputs(mlirTypeAttrGetValue(ft));
  MlirAttribute bs = tlGetAttr(func, "known_block_size");
  if (!mlirAttributeIsNull(bs) && mlirAttributeIsADenseI32Array(bs) &&
      mlirDenseArrayGetNumElements(bs) == 3) {
    fn.hasBlockSize = true;
    for (int d = 0; d < 3; ++d)
      fn.blockSize[d] = mlirDenseI32ArrayGetElement(bs, d);
  }
  /* Each top-level op's weight (its ops, nested ones counted), once:
     hoisting below only reorders them. */
  PtrMap weights = {0};
  int64_t total = 0;
  for (MlirOperation op = mlirBlockGetFirstOperation(entry);
       !opEq(op, term); op = mlirOperationGetNextInBlock(op)) {
    int64_t w = 0;
    mlirOperationWalk(op, countOp, &w, MlirWalkPreOrder);
    mapPut(&weights, op.ptr, w);
    total += w;
  }
  if (total <= maxOps) {
    mapFree(&weights);
    return;
  }
  size_t prefix = hoistPure(&fn, term);
  TlOpList ops = {0};
  for (MlirOperation op = mlirBlockGetFirstOperation(entry);
       !opEq(op, term); op = mlirOperationGetNextInBlock(op)) {
    tlOpListPush(&ops, op);
    mapPut(&fn.pos, op.ptr, 2 * (int64_t)(ops.n - 1));
  }
  mapPut(&fn.pos, term.ptr, 2 * (int64_t)ops.n);
  int64_t *weight = xrealloc(NULL, sizeof *weight * (ops.n + 1));
  for (size_t i = 0; i < ops.n; ++i)
    mapGet(&weights, ops.ops[i].ptr, &weight[i]);
  mapFree(&weights);
  /* Runs of about maxOps ops; the first, with the hoisted ops, stays in the
     kernel. */
  size_t start = 0;
  int64_t acc = 0;
  bool first = true;
  for (size_t i = prefix; i <= ops.n; ++i) {
    bool end = i == ops.n || (acc > 0 && acc + weight[i] > maxOps);
    if (end && i > start) {
      if (!first)
        outlineRun(&fn, ops.ops, start, i, i < ops.n ? ops.ops[i] : term);
      first = false;
      start = i;
      acc = 0;
    }
    if (i < ops.n)
      acc += weight[i];
  }
  free(weight);
  free(ops.ops);
  mapFree(&fn.pos);
}

typedef struct OutlineState {
  int64_t maxOps;
} OutlineState;

static void run(MlirOperation root, MlirExternalPass pass, void *state) {
  (void)pass;
  const OutlineState *st = state;
  if (st->maxOps <= 0)
    return;
  TlOpList funcs = {0};
  tlCollectOps(root, "gpu.func", &funcs);
  for (size_t i = 0; i < funcs.n; ++i)
    outlineFunc(funcs.ops[i], st->maxOps);
  free(funcs.ops);
}

static const TlPassInfo kInfo = {
    "tl-to-nvvm-outline",
    "Cut very long gpu.func bodies into noinline device functions so that "
    "LLVM's optimization stays linear",
    0, NULL};

static _Alignas(8) char kTypeId;

MlirPass tlCreateOutlinePass(int64_t maxOps) {
  MlirDialectHandle deps[] = {mlirGetDialectHandle__func__(),
                              mlirGetDialectHandle__memref__()};
  OutlineState st = {maxOps};
  return tlCreateExternalPass(&kTypeId, &kInfo, 2, deps, run, &st, sizeof st);
}
