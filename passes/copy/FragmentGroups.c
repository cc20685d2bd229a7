/* Fragments and their groups (docs/layouts.md): every memref.alloca'd
 * fragment a copy touches, joined with those it is copied to or from; a
 * group shares one layout over its non-unit shape: a user tl.layout,
 * loop_layout or recorded thread_map, the 8x8 mma layout when a shared <->
 * fragment copy can be ldmatrix / stmatrix, or the default map. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mlir-c/AffineExpr.h>
#include <mlir-c/AffineMap.h>
#include <mlir-c/BuiltinAttributes.h>
#include <mlir-c/BuiltinTypes.h>

#include "AffineEval.h"
#include "Diag.h"
#include "IRBuild.h"
#include "IndexRange.h"
#include "Select.h"
#include "TensorMap.h"

//===--------------------------------------------------------------------===//
// Fragments
//===--------------------------------------------------------------------===//

int tlSelFindRoot(TlSelFrags *fs, int i) {
  while (fs->f[i].parent != i)
    i = fs->f[i].parent = fs->f[fs->f[i].parent].parent;
  return i;
}

void tlSelFragName(TlStr *s, const TlSelFrag *f) {
  tlStrAppendType(s, f->type);
  tlStrAppendf(s, " (memref.alloca at ");
  tlSelAppendLineCol(s, f->alloca);
  tlStrAppendf(s, ")");
}

/* (core dims) -> (fragment dims): unit dims are 0. */
static MlirAffineMap coreToFrag(MlirContext ctx, const TlSelFrag *f) {
  MlirAffineExpr res[TL_SEL_MAX_RANK];
  intptr_t k = 0;
  for (intptr_t i = 0; i < f->rank; ++i)
    res[i] = (k < f->coreRank && f->pos[k] == i)
                 ? mlirAffineDimExprGet(ctx, k++)
                 : mlirAffineConstantExprGet(ctx, 0);
  return mlirAffineMapGet(ctx, f->coreRank, 0, f->rank, res);
}

/* (fragment dims) -> (core dims). */
static MlirAffineMap fragToCore(MlirContext ctx, const TlSelFrag *f) {
  MlirAffineExpr res[TL_SEL_MAX_RANK];
  for (intptr_t k = 0; k < f->coreRank; ++k)
    res[k] = mlirAffineDimExprGet(ctx, f->pos[k]);
  return mlirAffineMapGet(ctx, f->rank, 0, f->coreRank, res);
}
/* Registers the fragment of side `s`: it must be a whole memref.alloca'd
   fragment. Returns its index or -1 after an error. */
int tlSelRegisterFragment(TlSelState *st, TlSelect *it, TlSelSide *s) {
  MlirValue buf = s->buffer;
  TlStr ty = {0};
  tlStrAppendType(&ty, s->type);
  if (!mlirValueIsAOpResult(buf) ||
      !tlOpIsNamed(mlirOpResultGetOwner(buf), "memref.alloca")) {
    tlSelError(st, it->op,
               "the %s fragment %s is %s; fragment buffers must be "
               "produced by memref.alloca",
               s->role, tlStrGet(&ty),
               mlirValueIsAOpResult(buf) ? "not produced by memref.alloca"
                                         : "a block argument");
    tlStrFree(&ty);
    return -1;
  }
  bool whole = true;
  for (intptr_t d = 0; d < s->rank; ++d) {
    int64_t c;
    if (mlirShapedTypeIsDynamicSize(s->shape[d]) || s->ext[d] != s->shape[d] ||
        !tlGetConstantIndex(s->idx[d], &c) || c != 0)
      whole = false;
  }
  if (!whole) {
    TlStr e = {0};
    tlSelAppendShape(&e, s->ext, s->rank, ", ");
    tlSelError(st, it->op,
               "copies only part of the %s fragment %s (extents %s "
               "at a corner that is not provably the origin, or a "
               "dynamic shape): partial fragment regions are not "
               "supported yet; copy the whole fragment",
               s->role, tlStrGet(&ty), tlStrGet(&e));
    tlStrFree(&e);
    tlStrFree(&ty);
    return -1;
  }
  tlStrFree(&ty);
  MlirOperation alloca = mlirOpResultGetOwner(buf);
  for (size_t i = 0; i < st->frags.n; ++i)
    if (mlirOperationEqual(st->frags.f[i].alloca, alloca))
      return (int)i;
  st->frags.f =
      tlSelGrow(st->frags.f, &st->frags.cap, st->frags.n, sizeof(TlSelFrag));
  TlSelFrag *f = &st->frags.f[st->frags.n];
  memset(f, 0, sizeof *f);
  f->alloca = alloca;
  f->type = s->type;
  f->rank = s->rank;
  for (intptr_t d = 0; d < s->rank; ++d) {
    f->shape[d] = s->shape[d];
    if (s->shape[d] != 1) {
      f->pos[f->coreRank] = d;
      f->core[f->coreRank++] = s->shape[d];
    }
  }
  f->parent = (int)st->frags.n;
  f->user = tlGetAttr(alloca, TL_ATTR_LAYOUT);
  f->T = it->T;
  return (int)st->frags.n++;
}

//===--------------------------------------------------------------------===//
// Fragment groups
//===--------------------------------------------------------------------===//

/* Fragments joined by fragment -> fragment copies form a group; a copy
   touching a fragment belongs to its group, and a failed copy fails it. */
void tlSelJoinGroups(TlSelState *st) {
  TlSelFrags *fs = &st->frags;
  for (size_t i = 0; i < st->n; ++i) {
    TlSelect *it = &st->items[i];
    if (it->s[0].frag >= 0 && it->s[1].frag >= 0) {
      int a = tlSelFindRoot(fs, it->s[0].frag);
      int b = tlSelFindRoot(fs, it->s[1].frag);
      if (a != b)
        fs->f[b].parent = a;
    }
  }
  for (size_t i = 0; i < st->n; ++i) {
    TlSelect *it = &st->items[i];
    int fi = it->s[0].frag >= 0 ? it->s[0].frag : it->s[1].frag;
    if (fi < 0)
      continue;
    it->group = tlSelFindRoot(fs, fi);
    if (!it->ok)
      fs->f[it->group].failed = true;
  }
  for (size_t i = 0; i < fs->n; ++i) {
    TlSelFrag *r = &fs->f[tlSelFindRoot(fs, (int)i)];
    if (fs->f[i].failed)
      r->failed = true;
  }
}

//===--------------------------------------------------------------------===//
// Layout constraints
//===--------------------------------------------------------------------===//

static char *copyStr(const char *text) {
  size_t n = strlen(text) + 1;
  char *p = malloc(n);
  if (!p)
    abort();
  memcpy(p, text, n);
  return p;
}

/* Compares a constraint (a map over the group's core coordinates,
   described by `what`) with the group's layout, or makes it the layout. */
static void constrainGroup(TlSelState *st, TlSelect *it, TlSelFrag *root,
                           MlirAffineMap m, const char *what) {
  if (root->failed)
    return;
  if (!root->hasRef) {
    root->hasRef = true;
    root->ref = m;
    root->refWhat = copyStr(what);
    return;
  }
  int64_t where[TL_SEL_MAX_RANK];
  bool unknown;
  if (!tlSelMapsDiffer(root->ref, m, root->core, root->coreRank, where,
                       &unknown))
    return;
  TlStr name = {0}, at = {0};
  tlSelFragName(&name, root);
  if (unknown)
    tlStrAppendf(&at, "the fragment is too large to compare them");
  else {
    tlStrAppendf(&at, "they differ at ");
    TlSelCoordView view = {root->rank, root->pos};
    tlSelAppendViewCoord(&at, &view, where, root->coreRank);
  }
  tlSelError(st, it->op,
             "conflicting layouts for the fragment %s: %s, but %s "
             "(%s)",
             tlStrGet(&name), root->refWhat, what, tlStrGet(&at));
  tlStrFree(&name);
  tlStrFree(&at);
  root->failed = true;
}

/* A fragment's user tl.layout, checked and restricted to its core
   coordinates; null after an error. */
static MlirAffineMap userCoreLayout(TlSelState *st, TlSelFrag *f) {
  MlirAffineMap none = {NULL};
  MlirAttribute a = f->user;
  TlStr txt = {0};
  tlStrAppendAttr(&txt, a);
  MlirAffineMap m = tlFragmentLayoutAttrGetMap(a);
  if (!tlAttributeIsAFragmentLayout(a) || mlirAffineMapIsNull(m) ||
      mlirAffineMapGetNumResults(m) != 2) {
    tlSelError(st, f->alloca,
               "tl.layout must be a #tl.fragment_layout<map, "
               "threads, replicate> whose map has 2 results, got "
               "%s",
               tlStrGet(&txt));
    goto fail;
  }
  if (mlirAffineMapGetNumDims(m) != f->rank ||
      mlirAffineMapGetNumSymbols(m) != 0) {
    tlSelError(st, f->alloca,
               "tl.layout map must have one dimension per "
               "fragment dimension (%lld) and no symbols: %s",
               (long long)f->rank, tlStrGet(&txt));
    goto fail;
  }
  if (tlFragmentLayoutAttrGetReplicate(a) != 1) {
    tlSelError(st, f->alloca,
               "replicated fragment layouts are not supported "
               "for copies yet (replicate = %lld in %s)",
               (long long)tlFragmentLayoutAttrGetReplicate(a), tlStrGet(&txt));
    goto fail;
  }
  if (tlFragmentLayoutAttrGetThreads(a) != f->T) {
    tlSelError(st, f->alloca,
               "tl.layout is for %lld threads, but the block has "
               "%lld: %s",
               (long long)tlFragmentLayoutAttrGetThreads(a), (long long)f->T,
               tlStrGet(&txt));
    goto fail;
  }
  MlirAffineMap core =
      tlSelComposeMap(m, coreToFrag(mlirAffineMapGetContext(m), f));
  TlSelCoordView view = {f->rank, f->pos};
  TlSelTable t;
  if (!tlSelBuildTable(core, f->core, f->coreRank, f->T,
                       mlirOperationGetLocation(f->alloca),
                       "'memref.alloca' op tl.layout", &view, &t))
    goto fail;
  free(t.e);
  tlStrFree(&txt);
  return core;
fail:
  st->failed = true;
  tlStrFree(&txt);
  return none;
}

/* Gathers the constraints of the copies touching fragments, in op order. */
void tlSelCollectGroupConstraints(TlSelState *st) {
  for (size_t i = 0; i < st->n; ++i) {
    TlSelect *it = &st->items[i];
    if (it->group < 0)
      continue;
    TlSelFrag *root = &st->frags.f[it->group];
    for (int k = 0; k < 2; ++k) {
      int fi = it->s[k].frag;
      if (fi < 0)
        continue;
      TlSelFrag *f = &st->frags.f[fi];
      if (f->userSeen || mlirAttributeIsNull(f->user))
        continue;
      f->userSeen = true;
      MlirAffineMap core = userCoreLayout(st, f);
      if (mlirAffineMapIsNull(core)) {
        root->failed = true;
        continue;
      }
      TlStr what = {0}, name = {0};
      tlSelFragName(&name, f);
      tlStrAppendf(&what, "the tl.layout of %s is ", tlStrGet(&name));
      tlStrAppendAttr(&what, f->user);
      constrainGroup(st, it, root, core, tlStrGet(&what));
      tlStrFree(&what);
      tlStrFree(&name);
    }
    if (!mlirAttributeIsNull(it->loop) && !mlirAffineMapIsNull(it->loopMap)) {
      TlStr what = {0};
      tlStrAppendf(&what, "the %s of the copy at ",
                   it->fixed ? TL_ATTR_THREAD_MAP : TL_ATTR_LOOP_LAYOUT);
      tlSelAppendLineCol(&what, it->op);
      tlStrAppendf(&what, " is ");
      tlStrAppendAttr(&what, it->loop);
      constrainGroup(st, it, root, it->loopMap, tlStrGet(&what));
      tlStrFree(&what);
    }
  }
}

//===--------------------------------------------------------------------===//
// Choosing the layouts
//===--------------------------------------------------------------------===//

/* Whether the group's copies let it take the mma fragment layout. */
static bool groupWantsMma(TlSelState *st, int root) {
  bool any = false;
  for (size_t i = 0; i < st->n; ++i) {
    TlSelect *it = &st->items[i];
    if (it->group != root || !it->ok)
      continue;
    if (it->fixed || !mlirAttributeIsNull(it->loop))
      return false;
    if (it->useLdmatrix == 0)
      continue;
    TlInst mma = tlSelMmaInst(it);
    it->why[mma][0] = 0;
    if (tlInstImpl(mma)->check(it, it->why[mma], TL_SEL_WHY))
      any = true;
  }
  return any;
}

void tlSelDecideGroups(TlSelState *st, MlirContext ctx) {
  /* Demands and candidates of the copies that are still to be inferred. */
  for (size_t i = 0; i < st->n; ++i) {
    TlSelect *it = &st->items[i];
    if (it->group < 0 || it->fixed)
      continue;
    TlSelFrag *r = &st->frags.f[it->group];
    if (it->demand > r->demand)
      r->demand = it->demand;
    if (!r->minCand || it->cand.v < r->minCand)
      r->minCand = it->cand.v;
    if (it->cand.v > r->maxCand)
      r->maxCand = it->cand.v;
  }
  for (size_t i = 0; i < st->frags.n; ++i) {
    TlSelFrag *r = &st->frags.f[i];
    if (tlSelFindRoot(&st->frags, (int)i) != (int)i || r->failed)
      continue;
    if (r->hasRef) {
      TlSelTable t;
      TlSelCoordView view = {r->rank, r->pos};
      if (!tlSelBuildTable(r->ref, r->core, r->coreRank, r->T,
                           mlirOperationGetLocation(r->alloca),
                           "'memref.alloca' op layout", &view, &t)) {
        st->failed = r->failed = true;
        continue;
      }
      r->vf = tlSelTableWidth(&t, r->coreRank ? r->core[r->coreRank - 1] : 1,
                              r->maxCand ? r->maxCand : 16);
      r->locals = t.locals;
      free(t.e);
    } else if (r->demand <= 2 && groupWantsMma(st, (int)i)) {
      /* A shared <-> fragment copy can be ldmatrix / stmatrix: the mma
         fragment layout (docs/mma-copies.md); 2 elements per chunk. */
      r->ref = tlSelMmaMap(ctx, r->core[0], r->core[1], r->T, false);
      r->vf = 2;
      r->locals = 2 * (r->core[0] / (r->T / 32) / 8) * (r->core[1] / 8);
      r->hasRef = true;
    } else {
      /* The smallest candidate, so that every copy can use it, raised to
         the largest coalesced_width a copy demands. */
      r->vf = r->minCand ? r->minCand : 1;
      if (r->demand > r->vf)
        r->vf = r->demand;
      r->ref = tlMapDefault(ctx, r->core, r->coreRank, r->vf, r->T);
      r->locals =
          tlMapDefaultLocals(tlSelProduct(r->core, r->coreRank), r->vf, r->T);
      r->hasRef = true;
    }
  }
  /* tl.layout on every alloca of a group that lacks one. */
  for (size_t i = 0; i < st->frags.n; ++i) {
    TlSelFrag *f = &st->frags.f[i];
    TlSelFrag *r = &st->frags.f[tlSelFindRoot(&st->frags, (int)i)];
    if (r->failed || !mlirAttributeIsNull(f->user))
      continue;
    MlirAffineMap m = tlSelComposeMap(r->ref, fragToCore(ctx, f));
    tlSetAttr(f->alloca, TL_ATTR_LAYOUT,
                 tlFragmentLayoutAttrGet(m, r->T, 1));
  }
}
